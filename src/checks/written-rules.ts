import type { EffectiveSet, Grant } from '../engine/effective';
import { unionOf, type AddressSet } from '../model/address-set';
import { describeRuleTraffic } from '../engine/traffic';
import { describePeer } from '../model/peer';
import { constructKey, type Rule } from '../model/rule';
import type { FindingSpec } from './define-check';

/**
 * One finding per written rule: the model rules one written rule expanded into (a netsh RemoteIP list, one model rule
 * per item, see `constructKey`) are judged one by one, but a reader sees one rule. Findings on pieces of one written
 * rule that say the same (`sameSaying`: the same container, the same blockers) are joined by `join`, given them in
 * rule order; a finding alone in its group is returned as it is (same message, same fingerprint).
 */
export function joinWrittenRules(findings: FindingSpec[], sameSaying: (finding: FindingSpec) => string, join: (group: FindingSpec[]) => FindingSpec): FindingSpec[] {
  if (findings.length < 2) return findings;
  const groups = new Map<string, FindingSpec[]>();
  for (const finding of findings) {
    const key = `${constructKey(finding.rule!)}\u0001${sameSaying(finding)}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  if (groups.size === findings.length) return findings;
  return [...groups.values()].map((group) => (group.length === 1 ? group[0]! : join(group)));
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
