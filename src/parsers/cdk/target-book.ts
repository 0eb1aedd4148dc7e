import type { SourceLocation } from '../../model/location';
import type { Peer } from '../../model/peer';
import type { PortSet } from '../../model/port-set';
import type { Protocol } from '../../model/protocol';
import type { Action, Direction, Platform, Rule, UnknownValue } from '../../model/rule';
import type { Target } from '../../model/target';
import type { SourceContext } from './source-context';
import type { Node } from './values';

/**
 * How a group takes rules: CDK L2 `SecurityGroup` (methods, allowAllOutbound), CDK L1 (CloudFormation properties),
 * an imported CDK group, a Terraform-shaped resource (Pulumi, CDKTF), a network ACL, or a stand-in for a group that
 * could not be resolved statically (rules added through a function parameter, a standalone rule's own target).
 */
export type GroupStyle = 'cdk' | 'cdk-l1' | 'cdk-imported' | 'terraform' | 'acl' | 'stand-in';

export interface Group {
  target: Target;
  style: GroupStyle;
  /** CDK L2 `allowAllOutbound` (default true) and `allowAllIpv6Outbound` (default false). */
  allowAllOutbound: boolean | 'unknown';
  allowAllIpv6Outbound: boolean | 'unknown';
  /** Imported groups and stand-ins are reported only once a rule is added to them. */
  listed: boolean;
  /** An imported CDK group with `mutable: false`: CDK silently drops the rules added to it. */
  immutable?: boolean;
  /** Content of the rules added through CDK methods: CDK adds an identical rule only once. */
  methodRuleKeys: Set<string>;
  counters: Map<string, number>;
  ruleIds: Set<string>;
}

export interface GroupSpec {
  id: string;
  resourceType: string;
  platform: Platform;
  location: SourceLocation;
  style: GroupStyle;
  listed: boolean;
  unknowns?: UnknownValue[];
}

/** One rule before its id and content key: every field of the model's Rule a construct decides. */
export interface RuleDraft {
  address: string;
  location: SourceLocation;
  peerLocation?: SourceLocation;
  direction: Direction;
  action: Action;
  protocol: Protocol;
  ports: PortSet;
  icmp?: Rule['icmp'];
  peer: Peer;
  priority: number | null;
  description?: string;
  unknowns: UnknownValue[];
  synthetic?: boolean;
}

/** The targets of one file: unique ids, per-target rule addresses, and rules with ids and content keys. */
export class TargetBook {
  private readonly groups: Group[] = [];
  private readonly usedIds = new Set<string>();
  /**
   * The conditions the code adding a rule runs under (`open`, `!(stage === 'prod')`), noted on the rule's description
   * as the CloudFormation reader notes `Fn::If` branches: `… (when open)`.
   */
  conditionNote: () => string | undefined = () => undefined;

  constructor(private readonly source: SourceContext) {}

  /** A new group; an id already used in the file gets a `#2` suffix and a warning (CDK and Pulumi reject duplicates). */
  createGroup(spec: GroupSpec, idNode: Node): Group {
    let id = spec.id;
    if (this.usedIds.has(id)) {
      let n = 2;
      while (this.usedIds.has(`${spec.id}#${n}`)) n++;
      id = `${spec.id}#${n}`;
      this.source.warning('parse/cdk-duplicate-id', `${spec.id} is created more than once in this file; the later one is reported as ${id}`, idNode);
    }
    this.usedIds.add(id);
    const target: Target = { id, kind: 'cdk', platform: spec.platform, resourceType: spec.resourceType, location: spec.location, rules: [] };
    if (spec.unknowns && spec.unknowns.length > 0) target.unknowns = [...spec.unknowns];
    // An imported group or ACL (`fromSecurityGroupId`, `NetworkAcl.fromNetworkAclId`), or a stand-in for one that
    // cannot be resolved: its other rules are written where it is defined, not here.
    if (spec.style === 'cdk-imported' || spec.style === 'stand-in' || spec.resourceType.endsWith(' (imported)')) target.definedElsewhere = true;
    const group: Group = {
      target,
      style: spec.style,
      allowAllOutbound: spec.style === 'cdk' || spec.style === 'cdk-imported' ? true : false,
      allowAllIpv6Outbound: false,
      listed: spec.listed,
      counters: new Map(),
      ruleIds: new Set(),
      methodRuleKeys: new Set(),
    };
    this.groups.push(group);
    return group;
  }

  /** `AppStack/WebSg.addIngressRule[0]`: the construct a rule comes from, numbered per method and target. */
  nextAddress(group: Group, label: string): string {
    const index = group.counters.get(label) ?? 0;
    group.counters.set(label, index + 1);
    return `${group.target.id}.${label}[${index}]`;
  }

  /** Every group's address counters, so that one call read twice (both sides of a choice) numbers its rules once. */
  saveCounters(): Map<Group, Map<string, number>> {
    return new Map(this.groups.map((group) => [group, new Map(group.counters)]));
  }

  restoreCounters(saved: ReadonlyMap<Group, ReadonlyMap<string, number>>): void {
    for (const group of this.groups) group.counters = new Map(saved.get(group) ?? []);
  }

  /** Counters at least as high as `saved` (a group created by the first reading only keeps its own). */
  keepHigherCounters(saved: ReadonlyMap<Group, ReadonlyMap<string, number>>): void {
    for (const [group, counters] of saved) {
      for (const [label, count] of counters) if ((group.counters.get(label) ?? 0) < count) group.counters.set(label, count);
    }
  }

  addRule(group: Group, draft: RuleDraft, idSuffix: string): Rule {
    let id = `${draft.address}#${idSuffix}`;
    for (let n = 2; group.ruleIds.has(id); n++) id = `${draft.address}#${idSuffix}~${n}`;
    group.ruleIds.add(id);
    const rule: Rule = {
      id,
      kind: 'cdk',
      location: draft.location,
      platform: group.target.platform,
      resourceAddress: draft.address,
      direction: draft.direction,
      action: draft.action,
      protocol: draft.protocol,
      ports: draft.ports,
      peer: draft.peer,
      priority: draft.priority,
      enabled: true,
      unknowns: draft.unknowns,
    };
    if (draft.peerLocation) rule.peerLocation = draft.peerLocation;
    if (draft.icmp) rule.icmp = draft.icmp;
    // Code under a condition fwlint cannot decide adds the rule on one branch only: findings say so (`(when open)`),
    // as for a CloudFormation Fn::If branch.
    const condition = this.conditionNote();
    if (condition !== undefined) rule.branch = condition;
    if (draft.description !== undefined) rule.description = draft.description;
    if (draft.synthetic) rule.synthetic = true;
    group.target.rules.push(rule);
    group.listed = true;
    return rule;
  }

  addTargetUnknown(group: Group, unknown: UnknownValue): void {
    const unknowns = (group.target.unknowns ??= []);
    const duplicate = unknowns.some((known) => known.field === unknown.field && known.expr === unknown.expr
      && known.location.range.startLine === unknown.location.range.startLine && known.location.range.startColumn === unknown.location.range.startColumn);
    if (!duplicate) unknowns.push(unknown);
    group.listed = true;
  }

  /** Listed targets, rules in source order. */
  targets(): Target[] {
    const targets = this.groups.filter((group) => group.listed).map((group) => group.target);
    for (const target of targets) {
      // Stable: rules written at the same place (a loop, a list of peers) keep the order they were read in.
      target.rules.sort((a, b) => a.location.range.startLine - b.location.range.startLine || a.location.range.startColumn - b.location.range.startColumn);
    }
    return targets;
  }
}
