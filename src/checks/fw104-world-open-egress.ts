import { constructOf, rulesOf, type ConstructPiece } from '../engine/construct-pieces';
import { cidrText } from '../engine/set-facts';
import { describeTraffic } from '../engine/traffic';
import { unionOf } from '../model/address-set';
import type { IntervalSet } from '../model/interval-set';
import { rulesInOrder, type Rule } from '../model/rule';
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
    const { pieces, alone, combined } = worldOpenEgress(ctx.effective(target));
    // One finding per written rule: the items of a netsh RemoteIP list are reported together.
    const groups = new Map<Rule, Array<{ piece: ConstructPiece; protocols: IntervalSet }>>();
    for (const piece of pieces) {
      const protocols = alone.has(piece) ? piece.protocols : combined.get(piece)?.intersect(piece.protocols);
      if (!protocols || protocols.isEmpty()) continue;
      const group = groups.get(constructOf(piece));
      if (group) group.push({ piece, protocols });
      else groups.set(constructOf(piece), [{ piece, protocols }]);
    }
    const findings: FindingSpec[] = [];
    for (const group of groups.values()) {
      const single = group.length === 1 ? group[0]!.piece : undefined;
      const traffic = single ? describeTraffic(group[0]!.protocols, single.ports) : group.map(({ piece, protocols }) => describeTraffic(protocols, piece.ports)).join('; ');
      const addresses = single ? single.addresses : unionOf(group.map(({ piece }) => piece.addresses));
      const rules = single && single.rules === undefined ? [single.rule] : rulesInOrder(target.rules, group.flatMap(({ piece }) => rulesOf(piece)));
      const rule = rules[0]!;
      const peer = cidrText(addresses);
      const spec: FindingSpec = {
        messageId: group.every(({ piece }) => alone.has(piece)) ? 'worldOpenEgress' : 'worldOpenEgressCombined',
        rule,
        data: { target: target.id, peer, traffic, origin: originOf(rule) },
        key: traffic,
        properties: { traffic, peer, synthetic: rule.synthetic === true },
      };
      if (rules.length > 1) spec.rules = rules;
      spec.traffic = group.map(({ piece, protocols }) => ({ protocols, ports: piece.ports }));
      findings.push(spec);
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
