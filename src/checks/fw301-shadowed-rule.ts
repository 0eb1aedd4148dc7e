import { describePeer } from '../model/peer';
import { defineCheck } from './define-check';

export default defineCheck({
  id: 'FW301',
  name: 'shadowed-rule',
  defaultSeverity: 'low',
  summary: 'A rule can never take effect: it is fully overridden by block rules or higher-priority rules',
  precision: 'high',
  tags: ['maintainability', 'network'],
  messages: {
    shadowed: '{target}: allow rule {rule} ({peer}) never takes effect; it is fully overridden by {blockers}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    return ctx.effective(target).shadowed.map(({ rule, by }) => ({
      messageId: 'shadowed',
      rule,
      location: rule.location,
      data: {
        target: target.id,
        rule: rule.resourceAddress,
        peer: describePeer(rule.peer),
        blockers: by.map((blocker) => blocker.resourceAddress).join(', ') || 'other rules',
      },
      properties: { overriddenBy: by.map((blocker) => blocker.resourceAddress) },
    }));
  },
});
