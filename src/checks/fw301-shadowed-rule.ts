import { describePeer } from '../model/peer';
import { defineCheck, type FindingSpec } from './define-check';
import { joinedPeerText, joinWrittenRules } from './written-rules';

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
    const findings: FindingSpec[] = ctx.effective(target).shadowed.map(({ rule, by }) => ({
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
    // Pieces of one written rule overridden by the same rules: one finding, their addresses united.
    return joinWrittenRules(
      findings,
      (finding) => String(finding.data.blockers),
      (group) => {
        const rules = group.map((finding) => finding.rule!);
        return { ...group[0]!, rules, data: { ...group[0]!.data, peer: joinedPeerText(rules) } };
      },
    );
  },
});
