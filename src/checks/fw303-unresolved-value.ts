import { describeRuleTraffic } from '../engine/traffic';
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
    // `{ofRule}` names the rule and its traffic (` of rule web.ingress[1] (inbound tcp/3389)`); see ruleText.
    unresolved: '{target}: {field}{ofRule} could not be resolved statically ({expr}); the rule was checked only as far as it is known',
  },
  defaultOptions: {},
  evaluate(target) {
    const findings: FindingSpec[] = [];
    const unknowns: Array<{ unknown: UnknownValue; rule: Rule | undefined }> = (target.unknowns ?? []).map((unknown) => ({ unknown, rule: undefined }));
    // A plain loop: almost every rule has no unknowns, and this runs over every rule of the scan.
    for (const rule of target.rules) {
      if (rule.unknowns.length === 0) continue;
      for (const unknown of rule.unknowns) unknowns.push({ unknown, rule });
    }
    // Almost every target has none: no set for them.
    if (unknowns.length === 0) return findings;
    const seen = new Set<string>();
    for (const { unknown, rule } of unknowns) {
      // One construct expands into one rule per peer, all with the construct's address: report each unresolved value
      // once per construct. Distinct constructs stay distinct findings even when their values share a location (one
      // variable used by two rules; a plan without its .tf files, where everything is at plan.json:1:1).
      const address = rule?.resourceAddress ?? '';
      const range = unknown.location.range;
      const key = [unknown.location.file, range.startLine, range.startColumn, unknown.field, unknown.expr, address].join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const spec: FindingSpec = {
        messageId: 'unresolved',
        location: unknown.location,
        data: { target: target.id, field: unknown.field, ofRule: rule ? ruleText(rule, unknown.field) : '', expr: unknown.expr },
        key: `${unknown.field}=${unknown.expr}`,
        properties: { field: unknown.field, expression: unknown.expr },
      };
      if (rule) spec.rule = rule;
      findings.push(spec);
    }
    return findings;
  },
});

/** Whether an unknown makes the rule's protocol or ports unknown, so that describing them would mislead. */
const TRAFFIC_FIELD = /port|protocol|icmp/i;

/**
 * ` of rule web.ingress[1] (inbound tcp/3389)`: the rule's address, unless the field already starts with it
 * (Terraform: `aws_security_group.web.ingress[0].from_port`), and its traffic when that is fully known, so that rules
 * sharing one unresolved value can be told apart. Empty for a value of the target itself.
 */
function ruleText(rule: Rule, field: string): string {
  const address = field.startsWith(`${rule.resourceAddress}.`) ? '' : ` of rule ${rule.resourceAddress}`;
  // A rule whose whole item is unresolved (a CloudFormation `!If` beyond the condition limit) holds no ports yet.
  // An unresolved protocol may be named by a field that does not say so (a CDK NetworkAclEntry's `traffic`).
  const trafficKnown = rule.protocol.kind !== 'unknown' && !rule.unknowns.some((unknown) => TRAFFIC_FIELD.test(unknown.field)) && (rule.portKeywords ?? []).length === 0 && !rule.ports.isEmpty();
  if (!trafficKnown) return address;
  return `${address} (${rule.direction === 'in' ? 'inbound' : 'outbound'} ${describeRuleTraffic(rule)})`;
}
