import { PRIVATE_ADDRESSES } from '../model/address-set';
import { describePeer } from '../model/peer';
import { hasPorts, protocolName } from '../model/protocol';
import type { EffectiveSet } from '../engine/effective';
import { constructKey, type Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';
import { worldOpenEgress } from './fw104-world-egress-sets';

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
  evaluate(target, ctx) {
    const worldEgress = reportedByWorldOpenEgress(ctx.effective(target));
    // One finding per written rule: the items of a netsh RemoteIP list that allow all traffic are reported together.
    const groups = new Map<string, { rules: Rule[]; isPublic: boolean }>();
    for (const rule of target.rules) {
      // A rule whose ports are unknown (empty) allows nothing known: FW303 reports it instead.
      if (!rule.enabled || rule.action === 'deny' || rule.peer.kind === 'self' || rule.ports.isEmpty()) continue;
      const allProtocols = rule.protocol.kind === 'any';
      if (!allProtocols && !(hasPorts(rule.protocol) && rule.ports.isAll())) continue;
      const addresses = rule.peer.kind === 'addresses' ? rule.peer.addresses : undefined;
      // World-wide egress on everything is FW104's case (the vendors' "basic" outbound rule), also when the world is
      // split over several rules (`0.0.0.0/1` + `128.0.0.0/1`); don't report it twice. Only where FW104 does report
      // it: a deny ahead of it (a NACL blocking tcp/25) leaves the rule world-open on all ports but one, which FW104
      // does not flag, and which must not pass unreported.
      if (rule.direction === 'out' && worldEgress.has(rule)) continue;
      // Egress to the whole internet that FW104 left here (a deny takes part of it out) keeps FW104's severity: it is
      // less open than the rule FW104 reports as medium, so it must not rank above it.
      const worldEgressLeftHere = rule.direction === 'out' && addresses?.coversWorld() === true;
      const isPublic = addresses !== undefined && !PRIVATE_ADDRESSES.containsAll(addresses) && !worldEgressLeftHere;
      const key = `${constructKey(rule)}\u0000${protocolName(rule.protocol)}`;
      const group = groups.get(key);
      if (group) {
        group.rules.push(rule);
        group.isPublic ||= isPublic;
      } else groups.set(key, { rules: [rule], isPublic });
    }
    const findings: FindingSpec[] = [];
    for (const { rules, isPublic } of groups.values()) {
      const rule = rules[0]!;
      const peer = rules.map((each) => describePeer(each.peer)).join(', ');
      const spec: FindingSpec = {
        messageId: rule.protocol.kind === 'any' ? 'allProtocols' : 'allPorts',
        rule,
        data: { target: target.id, protocol: protocolName(rule.protocol), direction: rule.direction === 'in' ? 'from' : 'to', peer },
        severity: isPublic ? 'high' : 'medium',
        properties: { protocol: protocolName(rule.protocol), ports: rule.ports.toString(), peer },
      };
      if (rules.length > 1) spec.rules = rules;
      findings.push(spec);
    }
    return findings;
  },
});

/**
 * The egress rules FW104 reports in full: every part of what each effectively allows is world-open on every port,
 * alone or together with the target's other rules (as FW104 judges it, on the effective set).
 */
function reportedByWorldOpenEgress(effective: EffectiveSet): Set<Rule> {
  const { pieces, alone, combined } = worldOpenEgress(effective);
  const inFull = new Map<Rule, boolean>();
  for (const piece of pieces) {
    // Half the internet on every protocol stays FW102's even when another rule's other half makes TCP alone world-open.
    const reported = alone.has(piece) || combined.get(piece)?.containsAll(piece.protocols) === true;
    if (piece.rules === undefined) inFull.set(piece.rule, (inFull.get(piece.rule) ?? true) && reported);
    else for (const rule of piece.rules) inFull.set(rule, (inFull.get(rule) ?? true) && reported);
  }
  const rules = new Set<Rule>();
  for (const [rule, reported] of inFull) if (reported) rules.add(rule);
  return rules;
}
