import type { Rule, UnknownValue } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW303',
  name: 'unresolved-value',
  defaultSeverity: 'note',
  summary: 'A rule value could not be resolved statically, so the rule was checked only as far as it is known',
  precision: 'very-high',
  tags: ['coverage'],
  messages: {
    unresolved: '{target}: {field} could not be resolved statically ({expr}); the rule was checked only as far as it is known',
  },
  defaultOptions: {},
  evaluate(target) {
    const findings: FindingSpec[] = [];
    const seen = new Set<string>();
    const unknowns: Array<{ unknown: UnknownValue; rule: Rule | undefined }> = (target.unknowns ?? []).map((unknown) => ({ unknown, rule: undefined }));
    // A plain loop: almost every rule has no unknowns, and this runs over every rule of the scan.
    for (const rule of target.rules) {
      for (const unknown of rule.unknowns) unknowns.push({ unknown, rule });
    }
    for (const { unknown, rule } of unknowns) {
      // One construct expands into one rule per peer; report each unresolved value once.
      const key = `${unknown.location.file}:${unknown.location.range.startLine}:${unknown.location.range.startColumn}:${unknown.field}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const spec: FindingSpec = {
        messageId: 'unresolved',
        location: unknown.location,
        data: { target: target.id, field: unknown.field, expr: unknown.expr },
        key: `${unknown.field}=${unknown.expr}`,
        properties: { field: unknown.field, expression: unknown.expr },
      };
      if (rule) spec.rule = rule;
      findings.push(spec);
    }
    return findings;
  },
});
