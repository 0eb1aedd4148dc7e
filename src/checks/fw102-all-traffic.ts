import { PRIVATE_ADDRESSES } from '../model/address-set';
import { describePeer } from '../model/peer';
import { hasPorts, protocolName } from '../model/protocol';
import { defineCheck, type FindingSpec } from './define-check';

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
    for (const rule of target.rules) {
      // A rule whose ports are unknown (empty) allows nothing known: FW303 reports it instead.
      if (!rule.enabled || rule.action === 'deny' || rule.peer.kind === 'self' || rule.ports.isEmpty()) continue;
      const allProtocols = rule.protocol.kind === 'any';
      if (!allProtocols && !(hasPorts(rule.protocol) && rule.ports.isAll())) continue;
      const addresses = rule.peer.kind === 'addresses' ? rule.peer.addresses : undefined;
      // World-wide egress on everything is FW104's case (the vendors' "basic" outbound rule); don't report it twice.
      if (rule.direction === 'out' && addresses?.coversWorld()) continue;
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
