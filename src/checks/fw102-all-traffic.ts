import { PRIVATE_ADDRESSES } from '../model/address-set';
import { describePeer } from '../model/peer';
import { hasPorts, protocolName } from '../model/protocol';
import type { EffectiveSet } from '../engine/effective';
import type { Rule } from '../model/rule';
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
    const findings: FindingSpec[] = [];
    const worldEgress = reportedByWorldOpenEgress(ctx.effective(target));
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

/**
 * The egress rules FW104 reports in full: every part of what each effectively allows is world-open on every port,
 * alone or together with the target's other rules (as FW104 judges it, on the effective set).
 */
function reportedByWorldOpenEgress(effective: EffectiveSet): Set<Rule> {
  const { grants, alone, combined } = worldOpenEgress(effective);
  const inFull = new Map<Rule, boolean>();
  for (const grant of grants) {
    // Half the internet on every protocol stays FW102's even when another rule's other half makes TCP alone world-open.
    const reported = alone.has(grant) || combined.get(grant)?.containsAll(grant.protocols) === true;
    inFull.set(grant.rule, (inFull.get(grant.rule) ?? true) && reported);
  }
  const rules = new Set<Rule>();
  for (const [rule, reported] of inFull) if (reported) rules.add(rule);
  return rules;
}
