import type { Grant } from '../engine/effective';
import { cidrText } from '../engine/set-facts';
import { PRIVATE_ADDRESSES, unionOf } from '../model/address-set';
import { PortSet } from '../model/port-set';
import { hasPorts, protocolName } from '../model/protocol';
import type { Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';
import { distinctPeerTexts, grantsByRule, writtenPlaceOf, writtenRuleIgnoreKey, writtenRuleParts } from './written-rules';

/** FW103's default `maxPorts`: more ports than this open is a wide range (FW102 judges what denies leave with it). */
export const DEFAULT_MAX_PORTS = 1024;

export default defineCheck<{ maxPorts: number }>({
  id: 'FW103',
  name: 'wide-port-range',
  defaultSeverity: 'medium',
  summary: 'More than maxPorts ports (default 1024) open to a peer outside private address space',
  precision: 'high',
  tags: ['security', 'network', 'least-privilege'],
  messages: {
    // `denied` is empty unless deny rules take part of the written range out: then `ports` is what stays open and
    // `denied` names the written range (one message id, so the fingerprint a baseline holds does not change).
    widePortRange: '{target} opens {count} {protocol} ports ({ports}) {direction} {peer}, more than {maxPorts}{denied}',
  },
  defaultOptions: { maxPorts: DEFAULT_MAX_PORTS },
  optionsSchema: {
    type: 'object',
    properties: { maxPorts: { type: 'integer', minimum: 1, maximum: 65535 } },
    additionalProperties: false,
  },
  evaluate(target, ctx) {
    // One finding per written place: the items of a netsh RemoteIP list, or of a `dynamic` block, are reported together.
    const groups = new Map<string, Rule[]>();
    for (const rule of target.rules) {
      if (!rule.enabled || rule.action === 'deny' || !hasPorts(rule.protocol)) continue;
      if (rule.ports.size() <= ctx.options.maxPorts) continue;
      if (rule.peer.kind !== 'addresses' || PRIVATE_ADDRESSES.containsAll(rule.peer.addresses)) continue;
      // Per protocol too: an Azure `*` rule with ports is a TCP rule and a UDP rule at one place.
      const key = `${writtenPlaceOf(rule)}\u0000${protocolName(rule.protocol)}\u0000${writtenRuleIgnoreKey(target, ctx, rule)}`;
      const group = groups.get(key);
      if (group) group.push(rule);
      else groups.set(key, [rule]);
    }
    const findings: FindingSpec[] = [];
    if (groups.size === 0) return findings;
    // Judged on what the rule effectively opens (FW101's effective set): a NACL or NSG deny that precedes it takes
    // ports out, and so does one that leaves them open to private addresses only.
    // Built once per target that has a candidate rule.
    const grants = grantsByRule(ctx.effective(target));
    for (const rules of groups.values()) {
      const rule = rules[0]!;
      const parts = publicPorts(rules, grants, ctx.options.maxPorts);
      // What the rules allow as written: one rule's ports, or the union of the items' at one place.
      const written = rules.length === 1 ? rule.ports : rules.reduce((ports, each) => ports.union(each.ports), PortSet.EMPTY);
      const mergedParts = writtenRuleParts('widePortRange', rules);
      for (const { open, branch } of parts) {
        const count = open.size();
        // Every port of a protocol is FW102's finding while denies leave more than DEFAULT_MAX_PORTS of it (this check
        // is about wide but partial ranges); with fewer left, a lower maxPorts makes it this check's.
        if (written.isAll() && count > DEFAULT_MAX_PORTS) continue;
        const reduced = !open.equals(written);
        const addresses = unionOf(rules.flatMap((each) => (each.peer.kind === 'addresses' ? [each.peer.addresses] : [])));
        const spec: FindingSpec = {
          messageId: 'widePortRange',
          rule,
          data: {
            target: target.id,
            count,
            protocol: protocolName(rule.protocol),
            ports: open.toString(),
            direction: rule.direction === 'in' ? 'from' : 'to',
            peer: distinctPeerTexts(rules),
            maxPorts: ctx.options.maxPorts,
            denied: reduced ? ` (the rule allows ${written.toString()}; deny rules that take precedence block the rest from public addresses)` : '',
          },
          properties: reduced
            ? { protocol: protocolName(rule.protocol), ports: open.toString(), portCount: count, writtenPorts: written.toString(), peer: cidrText(addresses) }
            : { protocol: protocolName(rule.protocol), ports: written.toString(), portCount: count, peer: cidrText(addresses) },
        };
        if (rules.length > 1) spec.rules = rules;
        if (mergedParts) spec.mergedParts = mergedParts;
        if (branch !== undefined) {
          spec.branch = branch;
          // Beside the rule's other findings (what is open in every case), told apart by the condition.
          if (parts.length > 1) spec.key = branch;
        }
        findings.push(spec);
      }
    }
    return findings;
  },
});

/**
 * The ports the rules effectively open to some address outside private address space (after the denies before them),
 * when more than `maxPorts`, split by condition as FW101 splits what it reports: those open in every case (no
 * `branch`: the rules' own), then, for each condition under which denies leave more open (a deny under `var.strict`
 * closes part of the range only there: `!var.strict`), all that is open under it. Ports open under one condition only
 * are too many there alone, not in every case.
 */
function publicPorts(rules: readonly Rule[], grants: ReadonlyMap<Rule, Grant[]>, maxPorts: number): Array<{ open: PortSet; branch?: string }> {
  let always = PortSet.EMPTY;
  const byCondition = new Map<string, PortSet>();
  for (const rule of rules) {
    for (const grant of grants.get(rule) ?? []) {
      if (grant.addresses === undefined || PRIVATE_ADDRESSES.containsAll(grant.addresses)) continue;
      const branch = grant.when?.branch;
      if (branch === undefined) always = always.union(grant.ports);
      else byCondition.set(branch, (byCondition.get(branch) ?? PortSet.EMPTY).union(grant.ports));
    }
  }
  const parts: Array<{ open: PortSet; branch?: string }> = always.size() > maxPorts ? [{ open: always }] : [];
  for (const [branch, ports] of byCondition) {
    const open = always.union(ports);
    if (open.size() > maxPorts && !open.equals(always)) parts.push({ open, branch });
  }
  return parts;
}
