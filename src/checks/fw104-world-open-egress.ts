import { cidrText } from '../engine/set-facts';
import { describeTraffic } from '../engine/traffic';
import type { Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';
import { worldOpenEgress } from './fw104-world-egress-sets';

export default defineCheck({
  id: 'FW104',
  name: 'world-open-egress',
  defaultSeverity: 'medium',
  summary: 'Egress allowed to the whole internet on all ports (the vendors\' "basic" outbound rule)',
  precision: 'very-high',
  tags: ['security', 'network', 'exfiltration', 'least-privilege'],
  messages: {
    worldOpenEgress: '{target} allows egress to {peer} on {traffic}{origin}',
    worldOpenEgressCombined: '{target} allows egress to {peer} on {traffic}, which together with its other rules opens it to the whole internet{origin}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const findings: FindingSpec[] = [];
    const { grants, alone, combined } = worldOpenEgress(ctx.effective(target));
    for (const grant of grants) {
      const protocols = alone.has(grant) ? grant.protocols : combined.get(grant)?.intersect(grant.protocols);
      if (!protocols || protocols.isEmpty()) continue;
      const traffic = describeTraffic(protocols, grant.ports);
      findings.push({
        messageId: alone.has(grant) ? 'worldOpenEgress' : 'worldOpenEgressCombined',
        rule: grant.rule,
        data: { target: target.id, peer: cidrText(grant.addresses), traffic, origin: originOf(grant.rule) },
        key: traffic,
        properties: { traffic, peer: cidrText(grant.addresses), synthetic: grant.rule.synthetic === true },
      });
    }
    return findings;
  },
});

/** Why a rule nobody wrote is there: CDK L2's `allowAllOutbound` default, or AWS's default for a group without egress. */
function originOf(rule: Rule): string {
  if (!rule.synthetic) return '';
  // The CDK parser names the default rule after the L2 property that creates it (`App.allowAllOutbound#0`).
  const setting = rule.kind === 'cdk' ? /\.(allowAll(?:Ipv6)?Outbound)$/.exec(rule.resourceAddress)?.[1] : undefined;
  if (setting) return ` (CDK's default egress: ${setting} is not set to false, and egress rules added to the group do not remove it)`;
  return ' (the platform\'s implicit default egress, added because the group lists no egress rule)';
}
