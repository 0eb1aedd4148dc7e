import { describeTraffic } from '../engine/traffic';
import { profileNames } from '../engine/effective';
import { onProfiles } from '../engine/profile-diff';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW203',
  name: 'install-only-port-open',
  defaultSeverity: 'medium',
  summary: 'A port the vendor needs only during installation is open while the target is in the operate phase',
  precision: 'high',
  tags: ['security', 'least-privilege', 'vendor-profile'],
  messages: {
    installOnly: '{target} ({profile}) is in the operate phase but still allows {traffic}{where}, needed only during installation ({purposes})',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    return diff.installOnlyOpen.map((open): FindingSpec => {
      const traffic = describeTraffic(open.open.protocols, open.open.ports);
      return {
        messageId: 'installOnly',
        rule: open.rule,
        location: open.rule.location,
        data: { target: target.id, profile: diff.assignment.ref, traffic, where: onProfiles(open.profiles), purposes: [...new Set(open.flows.map((flow) => flow.purpose))].join('; ') },
        key: traffic,
        properties: {
          profile: diff.assignment.ref,
          traffic,
          ports: open.open.ports.toString(),
          flows: open.flows.map((flow) => flow.id),
          ...(onProfiles(open.profiles) ? { firewallProfiles: profileNames(open.profiles) } : {}),
        },
      };
    });
  },
});
