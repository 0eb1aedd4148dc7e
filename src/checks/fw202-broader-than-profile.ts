import { describeTraffic } from '../engine/traffic';
import { describeBox, type ExcessGrant, type ProfileFlow, type TrafficBox } from '../engine/profile-diff';
import { describePeer } from '../model/peer';
import type { Direction, Rule } from '../model/rule';
import { PortSet } from '../model/port-set';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW202',
  name: 'broader-than-profile',
  defaultSeverity: 'medium',
  summary: 'A rule allows ports, protocols or peers beyond the role\'s advanced rule set',
  precision: 'high',
  tags: ['security', 'least-privilege', 'vendor-profile', 'network'],
  messages: {
    excess: '{target} ({profile}): rule allows {excess} beyond the vendor\'s advanced rule set; {instead}',
    basicRule: '{target} ({profile}): this is the vendor\'s basic rule ({granted}); the advanced rule set allows only: {advanced}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    return diff.excess.map((excess): FindingSpec => {
      const direction = excess.rule.direction;
      const replacement = groupFlows(excess.replacementFlows, direction);
      const instead = replacement.length > 0 ? `use instead: ${replacement}` : 'the role needs none of it: remove the rule';
      const granted = excess.granted.map((box) => describeRuleBox(box, excess.rule)).join('; ');
      return {
        messageId: excess.isVendorBasicRule ? 'basicRule' : 'excess',
        rule: excess.rule,
        location: excess.rule.location,
        data: { target: target.id, profile: diff.assignment.ref, excess: describeExcess(excess), instead, granted, advanced: replacement || 'nothing in this direction' },
        properties: {
          profile: diff.assignment.ref,
          excess: excess.excess.map((box) => ({ traffic: describeRuleBox(box, excess.rule), ports: box.ports.toString(), addresses: box.addresses ? box.addresses.toString() : describePeer(excess.rule.peer) })),
          witness: excess.witness,
          replacementFlows: excess.replacementFlows.map((flow) => ({ direction: flow.direction, protocol: flow.protocol, ports: flow.ports.toStrings(), peer: flow.peer, purpose: flow.purpose })),
        },
      };
    });
  },
});

/** The exact excess when it is short; otherwise what the rule grants. */
function describeExcess(excess: ExcessGrant): string {
  if (excess.excess.length <= 2) return excess.excess.map((box) => describeRuleBox(box, excess.rule)).join('; ');
  // Many excess pieces (all traffic minus a few flows) read better as what the rule grants; the exact pieces are in properties.
  return excess.granted.map((box: TrafficBox) => describeRuleBox(box, excess.rule)).join('; ');
}

/** A box of a rule's traffic; a symbolic peer (security group, prefix list, unresolved) is named, never "any address". */
function describeRuleBox(box: TrafficBox, rule: Rule): string {
  if (box.addresses) return describeBox(box, rule.direction);
  const preposition = rule.direction === 'in' ? 'from' : 'to';
  return `${describeTraffic(box.protocols, box.ports)} ${preposition} ${describePeer(rule.peer)}`;
}

/** `tcp/88, 139, 389 and udp/137 to active-directory; tcp/443 to internet`: flows grouped by peer, ports merged. */
function groupFlows(flows: ProfileFlow[], direction: Direction): string {
  const byPeer = new Map<string, Map<string, PortSet>>();
  for (const flow of flows) {
    const protocols = byPeer.get(flow.peer) ?? new Map<string, PortSet>();
    protocols.set(flow.protocol, (protocols.get(flow.protocol) ?? PortSet.EMPTY).union(flow.ports));
    byPeer.set(flow.peer, protocols);
  }
  const preposition = direction === 'in' ? 'from' : 'to';
  return [...byPeer.entries()]
    .map(([peer, protocols]) => {
      const parts = [...protocols.entries()].map(([protocol, ports]) => (protocol === 'tcp' || protocol === 'udp' ? `${protocol}/${ports.toString()}` : protocol === 'all' ? 'all traffic' : protocol));
      return `${parts.join(' and ')} ${preposition} ${peer}`;
    })
    .join('; ');
}
