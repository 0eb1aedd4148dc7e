import { protocolSet } from '../engine/effective';
import { ICMP_V4_PROTOCOL, icmpReachableAddresses } from '../engine/icmp';
import { describePeer } from '../model/peer';
import { constructKey, type Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';
import { distinctRuleNames, joinedPeerText, joinWrittenRules, ruleMessageData } from './written-rules';

export default defineCheck({
  id: 'FW301',
  name: 'shadowed-rule',
  defaultSeverity: 'low',
  summary: 'A rule can never take effect: it is fully overridden by block rules or higher-priority rules',
  precision: 'high',
  tags: ['maintainability', 'network'],
  messages: {
    shadowed: '{target}: allow rule {rule} ({peer}) never takes effect; it is fully overridden by {blockers}',
    icmpFamily: '{target}: allow rule {rule} ({traffic} {preposition} {peer}) never takes effect: {version} reaches only {family} addresses{hint}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const all = ctx.effective(target).shadowed;
    const living = all.length > 0 ? livingConstructs(target.rules, new Set(all.map(({ rule }) => rule))) : undefined;
    const shadowed = all.filter(({ rule, icmpFamily }) => (icmpFamily ? !siblingAdmits(target.rules, rule) : !living!.has(livingKey(rule))));
    const findings: FindingSpec[] = shadowed.map(({ rule, by, icmpFamily }) => {
      if (icmpFamily) return icmpFamilyFinding(target.id, rule);
      // A written rule that expanded into several model rules (a remoteip= list) is named once, and pointed at once.
      const blockers = overridingRules(by);
      const spec: FindingSpec = {
        messageId: 'shadowed',
        rule,
        location: rule.location,
        data: { target: target.id, rule: rule.resourceAddress, peer: describePeer(rule.peer), blockers: blockers.map((blocker) => blocker.resourceAddress).join(', ') || 'other rules' },
        properties: { overriddenBy: blockers.map((blocker) => blocker.resourceAddress) },
        // The rule lies inside what overrides it: its peer and ports would tell a sensitive blocker's value.
        namedRules: [...by],
      };
      // Related locations: the rules that override it (the ingress block, the rule entry), where a reader goes next.
      if (blockers.length > 0) spec.related = blockers.map((blocker) => blocker.location);
      return spec;
    });
    // Pieces of one written rule (or the written rules at one place) overridden by the same rules: one finding, their
    // addresses united.
    return joinWrittenRules(
      findings,
      (finding) => `${finding.messageId}\u0001${finding.data.blockers ?? ''}`,
      (group, severalRules) => {
        const rules = group.map((finding) => finding.rule!);
        return { ...group[0]!, rules, data: { ...group[0]!.data, peer: joinedPeerText(rules), ...(severalRules ? { rule: distinctRuleNames(rules) } : {}) } };
      },
    );
  },
});

/** The overriding rules, one per written rule name (`overriddenBy`), in the order the engine found them. */
function overridingRules(by: readonly Rule[]): Rule[] {
  const byName = new Map<string, Rule>();
  for (const blocker of by) if (!byName.has(blocker.resourceAddress)) byName.set(blocker.resourceAddress, blocker);
  return [...byName.values()];
}

/**
 * Whether another part of the same written rule or block admits traffic: `RemoteIP: 0.0.0.0/1,128.0.0.0/1,::/0` on an
 * ICMPv4 rule, or `cidr_blocks` beside `ipv6_cidr_blocks`, is the common way to write "from anywhere", and the rule
 * takes effect through its IPv4 part: only an ICMP rule none of whose addresses it can reach is reported.
 */
function siblingAdmits(rules: readonly Rule[], rule: Rule): boolean {
  return rules.some(
    (other) =>
      other !== rule &&
      other.resourceAddress === rule.resourceAddress &&
      other.branch === rule.branch &&
      other.direction === rule.direction &&
      other.enabled &&
      other.action !== 'deny' &&
      other.peer.kind === 'addresses' &&
      !icmpReachableAddresses(protocolSet(other.protocol), other.peer.addresses).isEmpty(),
  );
}

/**
 * The written rules (with peer and direction) that take effect through some model rule: Azure's `*` on ports is a
 * TCP and a UDP rule to the model, and a Deny of UDP alone leaves the written rule working for TCP. One pass over
 * the rules (a Windows host has tens of thousands), looked up per shadowed rule.
 */
function livingConstructs(rules: readonly Rule[], dead: ReadonlySet<Rule>): Set<string> {
  // Only rules written where a shadowed one is can share its written rule: no key is built for the others.
  const addresses = new Set<string>();
  for (const rule of dead) addresses.add(rule.resourceAddress);
  const living = new Set<string>();
  for (const rule of rules) {
    if (rule.enabled && rule.action !== 'deny' && addresses.has(rule.resourceAddress) && !dead.has(rule)) living.add(livingKey(rule));
  }
  return living;
}

function livingKey(rule: Rule): string {
  return `${constructKey(rule)}\u0000${rule.direction}\u0000${describePeer(rule.peer)}`;
}

/** An ICMP rule whose peers are all of the other address family: ICMPv4 from `::/0`, ICMPv6 from `0.0.0.0/0`. */
function icmpFamilyFinding(targetId: string, rule: Rule): FindingSpec {
  const v4 = rule.protocol.kind === 'number' && rule.protocol.value === ICMP_V4_PROTOCOL;
  return {
    messageId: 'icmpFamily',
    rule,
    location: rule.peerLocation ?? rule.location,
    data: {
      ...ruleMessageData(targetId, rule),
      version: v4 ? 'ICMPv4' : 'ICMPv6',
      family: v4 ? 'IPv4' : 'IPv6',
      hint: v4 ? ' (for IPv6 peers use ICMPv6, protocol 58)' : ' (for IPv4 peers use ICMP, protocol 1)',
    },
    properties: { overriddenBy: [], icmpFamily: true },
  };
}
