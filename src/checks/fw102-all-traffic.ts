import { PRIVATE_ADDRESSES } from '../model/address-set';
import { describePeer } from '../model/peer';
import { hasPorts, protocolName } from '../model/protocol';
import { protocolSet } from '../engine/effective';
import type { AddressSet } from '../model/address-set';
import type { Rule } from '../model/rule';
import type { Target } from '../model/target';
import { defineCheck, type FindingSpec } from './define-check';
import { isWorldOpenEgress, worldOpenEgressCombinations, type EgressPiece } from './fw104-world-egress-sets';

export default defineCheck({
  id: 'FW102',
  name: 'all-traffic',
  defaultSeverity: 'high',
  summary: 'A rule allows every protocol, or every TCP/UDP port, to or from a peer other than the group itself',
  precision: 'very-high',
  tags: ['security', 'network', 'least-privilege', 'external/cwe/cwe-284'],
  messages: {
    allProtocols: '{target} allows all traffic {direction} {peer}',
    allPorts: '{target} allows every {protocol} port {direction} {peer}',
  },
  defaultOptions: {},
  evaluate(target) {
    const findings: FindingSpec[] = [];
    const worldEgress = worldOpenEgressRules(target);
    for (const rule of target.rules) {
      // A rule whose ports are unknown (empty) allows nothing known: FW303 reports it instead.
      if (!rule.enabled || rule.action === 'deny' || rule.peer.kind === 'self' || rule.ports.isEmpty()) continue;
      const allProtocols = rule.protocol.kind === 'any';
      if (!allProtocols && !(hasPorts(rule.protocol) && rule.ports.isAll())) continue;
      const addresses = rule.peer.kind === 'addresses' ? rule.peer.addresses : undefined;
      // World-wide egress on everything is FW104's case (the vendors' "basic" outbound rule), also when the world is
      // split over several rules (`0.0.0.0/1` + `128.0.0.0/1`); don't report it twice.
      if (rule.direction === 'out' && (addresses?.coversWorld() || worldEgress.has(rule))) continue;
      const isPublic = addresses !== undefined && !PRIVATE_ADDRESSES.containsAll(addresses);
      findings.push({
        messageId: allProtocols ? 'allProtocols' : 'allPorts',
        rule,
        data: {
          target: target.id,
          protocol: protocolName(rule.protocol),
          direction: rule.direction === 'in' ? 'from' : 'to',
          peer: describePeer(rule.peer),
        },
        severity: isPublic ? 'high' : 'medium',
        properties: { protocol: protocolName(rule.protocol), ports: rule.ports.toString(), peer: describePeer(rule.peer) },
      });
    }
    return findings;
  },
});

/** The target's enabled allow egress rules that are world-open only together with others (FW104 reports them). */
function worldOpenEgressRules(target: Target): Set<Rule> {
  const pieces: Array<EgressPiece & { rule: Rule }> = [];
  for (const rule of target.rules) {
    if (rule.direction !== 'out' || !rule.enabled || rule.action === 'deny' || rule.peer.kind !== 'addresses') continue;
    const addresses: AddressSet = rule.peer.addresses;
    const piece = { rule, protocols: protocolSet(rule.protocol), ports: rule.ports, addresses };
    if (!isWorldOpenEgress(piece)) pieces.push(piece);
  }
  const rules = new Set<Rule>();
  // Only when FW104 reports all of what the rule allows: half the internet on every protocol stays FW102's even when
  // another rule's other half makes TCP alone world-open.
  for (const [piece, protocols] of worldOpenEgressCombinations(pieces)) if (protocols.containsAll(piece.protocols)) rules.add(piece.rule);
  return rules;
}
