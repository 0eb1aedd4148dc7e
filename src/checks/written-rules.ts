import type { EffectiveSet, Grant } from '../engine/effective';
import { unionOf, type AddressSet } from '../model/address-set';
import { describeRuleTraffic } from '../engine/traffic';
import { describePeer } from '../model/peer';
import type { SourceLocation } from '../model/location';
import { constructKey, type Rule } from '../model/rule';
import { writtenPlaceKey, type CheckContext, type FindingSpec } from './define-check';
import type { Target } from '../model/target';

/**
 * One finding per written place: the model rules one written rule expanded into (a netsh RemoteIP list, one model
 * rule per item, see `constructKey`) are judged one by one, but a reader sees one rule, and the written rules shown at
 * one place (the items of a `dynamic` block, the instances of a counted rule resource: `writtenPlaceKey`) are one
 * finding too. Findings in one group that say the same (`sameSaying`: the same container, the same blockers) are
 * joined by `join`, given them in rule order and whether they are of several written rules (`severalRules`: then it
 * names them all); a finding alone in its group is returned as it is (same message, same fingerprint).
 */
export function joinWrittenRules(findings: FindingSpec[], sameSaying: (finding: FindingSpec) => string, join: (group: FindingSpec[], severalRules: boolean) => FindingSpec): FindingSpec[] {
  if (findings.length < 2) return findings;
  const groups = new Map<string, FindingSpec[]>();
  for (const finding of findings) {
    const rule = finding.rule!;
    const key = `${writtenPlaceOf(rule, finding.location)}\u0001${sameSaying(finding)}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  if (groups.size === findings.length) return findings;
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    const parts = writtenRuleParts(group[0]!.messageId, group.map((finding) => finding.rule!));
    const joined = join(group, parts !== undefined);
    if (parts) joined.mergedParts = parts.map((part) => ({ ...part, ...(group[0]!.key !== undefined ? { key: group[0]!.key } : {}) }));
    return joined;
  });
}

/** The written rules' names, each once: `aws_security_group_rule.app[0], aws_security_group_rule.app[1]`. */
export function distinctRuleNames(rules: readonly Rule[]): string {
  return [...new Set(rules.map((rule) => rule.resourceAddress))].join(', ');
}

/**
 * The place a rule's finding is shown at (`at`, by default its peer or else the rule), with its condition
 * (`writtenPlaceKey`): the key of `constructKey` without the resource address, so that the written rules at one place
 * (the items of a `dynamic` block, the instances of a counted rule resource) are one finding. A rule nobody wrote, or
 * without a place of its own, keeps its `constructKey`.
 */
export function writtenPlaceOf(rule: Rule, at?: SourceLocation): string {
  const place = rule.synthetic ? undefined : writtenPlaceKey(rule, at);
  return place === undefined ? constructKey(rule) : `${place}\u0000${rule.branch ?? ''}`;
}

/** The model rules of each written rule of a target, by `constructKey`: built once per target that needs them. */
const rulesByConstruct = new WeakMap<Target, Map<string, Rule[]>>();

/**
 * `CheckContext.ignoreKey` of the written rule a model rule is part of, judged on its rules as written (every model
 * rule of it, as a config entry must cover them all): `''` where the config limits no entry of the check by ports or
 * peer. Checks that join the written rules of one place add it to the place, so that an entry accepting some of them
 * mutes those and leaves the others' finding narrower.
 */
export function writtenRuleIgnoreKey(target: Target, ctx: CheckContext<unknown>, rule: Rule): string {
  if (ctx.ignoreKey === undefined) return '';
  let byConstruct = rulesByConstruct.get(target);
  if (byConstruct === undefined) {
    byConstruct = new Map();
    for (const each of target.rules) {
      const key = constructKey(each);
      const same = byConstruct.get(key);
      if (same) same.push(each);
      else byConstruct.set(key, [each]);
    }
    rulesByConstruct.set(target, byConstruct);
  }
  return ctx.ignoreKey(target, byConstruct.get(constructKey(rule)) ?? [rule]);
}

/**
 * The findings that rules at one place (in rule order) were before they were joined, one per written rule
 * (`constructKey`), as `FindingSpec.mergedParts`; undefined when they are of one written rule.
 */
export function writtenRuleParts(messageId: string, rules: readonly Rule[]): FindingSpec['mergedParts'] {
  const byConstruct = new Map<string, Rule[]>();
  for (const rule of rules) {
    const key = constructKey(rule);
    const same = byConstruct.get(key);
    if (same) same.push(rule);
    else byConstruct.set(key, [rule]);
  }
  if (byConstruct.size < 2) return undefined;
  return [...byConstruct.values()].map((each) => ({ messageId, rule: each[0]!, ...(each.length > 1 ? { rules: each } : {}) }));
}

/** The peers of rules as written, each once (`10.0.0.0/8, 0.0.0.0/0`): the items of a `dynamic` block often share one. */
export function distinctPeerTexts(rules: readonly Rule[]): string {
  return [...new Set(rules.map((rule) => describePeer(rule.peer)))].join(', ');
}

/** The peers of pieces of one written rule as one text: their addresses united (`10.0.0.1/32, 10.0.0.2/31`), or their names. */
export function joinedPeerText(rules: readonly Rule[]): string {
  const addresses = writtenAddresses(rules);
  if (addresses) return addresses.toString();
  return [...new Set(rules.map((rule) => describePeer(rule.peer)))].join(', ');
}

/** The addresses the pieces of one written rule name, united; undefined when a peer is not addresses. */
export function writtenAddresses(rules: readonly Rule[]): AddressSet | undefined {
  const sets: AddressSet[] = [];
  for (const rule of rules) {
    if (rule.peer.kind !== 'addresses') return undefined;
    sets.push(rule.peer.addresses);
  }
  return unionOf(sets);
}

/** What a message says of one rule: its target, name, traffic and peer (`{rule} ({traffic} {preposition} {peer})`). */
export function ruleMessageData(targetId: string, rule: Rule): Record<string, string> {
  return {
    target: targetId,
    rule: rule.resourceAddress,
    traffic: describeRuleTraffic(rule),
    preposition: rule.direction === 'in' ? 'from' : 'to',
    peer: describePeer(rule.peer),
  };
}

/** The grants of each allow rule (both directions): what each rule effectively allows after the denies before it. */
export function grantsByRule(effective: EffectiveSet): Map<Rule, Grant[]> {
  const byRule = new Map<Rule, Grant[]>();
  for (const list of [effective.in, effective.out]) {
    for (const grant of list) {
      const grants = byRule.get(grant.rule);
      if (grants) grants.push(grant);
      else byRule.set(grant.rule, [grant]);
    }
  }
  return byRule;
}
