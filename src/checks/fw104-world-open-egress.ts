import { cidrText } from '../engine/set-facts';
import { describeTraffic } from '../engine/traffic';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW104',
  name: 'world-open-egress',
  defaultSeverity: 'medium',
  summary: 'Egress allowed to the whole internet on all ports (the vendors\' "basic" outbound rule)',
  precision: 'very-high',
  tags: ['security', 'network', 'exfiltration', 'least-privilege'],
  messages: {
    worldOpenEgress: '{target} allows egress to {peer} on {traffic}{origin}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const findings: FindingSpec[] = [];
    for (const grant of ctx.effective(target).out) {
      if (grant.isPlatformDefault || !grant.addresses?.coversWorld()) continue;
      const allProtocols = grant.protocols.size() === 256n;
      const allTcpOrUdp = (grant.protocols.has(6n) || grant.protocols.has(17n)) && grant.ports.isAll();
      if (!allProtocols && !allTcpOrUdp) continue;
      const traffic = describeTraffic(grant.protocols, grant.ports);
      findings.push({
        messageId: 'worldOpenEgress',
        rule: grant.rule,
        data: {
          target: target.id,
          peer: cidrText(grant.addresses),
          traffic,
          origin: grant.rule.synthetic ? ' (the platform\'s implicit default egress, added because the group lists no egress rule)' : '',
        },
        key: traffic,
        properties: { traffic, peer: cidrText(grant.addresses), synthetic: grant.rule.synthetic === true },
      });
    }
    return findings;
  },
});
