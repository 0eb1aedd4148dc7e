import { describeBox } from '../engine/profile-diff';
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
    basicRule: '{target} ({profile}): this is the vendor\'s basic rule, allowing {excess} beyond the advanced rule set; {instead}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    return diff.excess.map((excess): FindingSpec => {
      const direction = excess.rule.direction;
      const text = excess.excess.slice(0, 6).map((box) => describeBox(box, direction)).join('; ') + (excess.excess.length > 6 ? `; and ${excess.excess.length - 6} more` : '');
      const replacement = excess.replacementFlows.map((flow) => `${flow.protocol}/${flow.ports.isAll() ? 'all' : flow.ports.toString()} ${direction === 'in' ? 'from' : 'to'} ${flow.peer}`);
      const instead = replacement.length > 0 ? `use instead: ${replacement.join('; ')}` : 'the role needs none of it: remove the rule';
      return {
        messageId: excess.isVendorBasicRule ? 'basicRule' : 'excess',
        rule: excess.rule,
        location: excess.rule.location,
        data: { target: target.id, profile: diff.assignment.ref, excess: text, instead },
        properties: {
          profile: diff.assignment.ref,
          excess: excess.excess.map((box) => ({ traffic: describeBox(box, direction), ports: box.ports.toString(), addresses: box.addresses ? box.addresses.toString() : 'any' })),
          witness: excess.witness,
          replacementFlows: excess.replacementFlows.map((flow) => ({ direction: flow.direction, protocol: flow.protocol, ports: flow.ports.toStrings(), peer: flow.peer, purpose: flow.purpose })),
        },
      };
    });
  },
});
