import { describeRuleTraffic, MAX_LISTED_ITEMS } from '../engine/traffic';
import type { Rule, UnknownValue } from '../model/rule';
import { defineCheck, groupByWrittenPlace, writtenPlaceKey, type FindingSpec } from './define-check';
import { cappedList } from './fw101-world-union';

export default defineCheck({
  id: 'FW303',
  name: 'unresolved-value',
  defaultSeverity: 'note',
  summary: 'A rule value could not be resolved statically, so the rule was checked only as far as it is known',
  precision: 'very-high',
  tags: ['coverage'],
  messages: {
    // `{ofRule}` names the rule and its traffic (` of rule web.ingress[1] (inbound tcp/3389)`); see ruleText.
    // `{ruleWas}`: `the rule was`, or for the rules of one written place, `the rules were`.
    unresolved: '{target}: {field}{ofRule} could not be resolved statically ({expr}); {ruleWas} checked only as far as it is known',
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
    const distinct: Array<{ unknown: UnknownValue; rule: Rule | undefined }> = [];
    for (const entry of unknowns) {
      // One construct expands into one rule per peer, all with the construct's address: report each unresolved value
      // once per construct. Distinct constructs stay distinct findings even when their values share a location (one
      // variable used by two rules; a plan without its .tf files, where everything is at plan.json:1:1), unless they
      // are written at one place too (below).
      const { unknown, rule } = entry;
      const address = rule?.resourceAddress ?? '';
      const range = unknown.location.range;
      const key = [unknown.location.file, range.startLine, range.startColumn, unknown.field, unknown.expr, address].join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      distinct.push(entry);
    }
    // One finding per written place: the items of a `dynamic` block, the instances of a counted rule resource, the rules
    // of a netsh `for` loop's line (rules written at one place, their value at one place) with one unresolved value.
    const groups = groupByWrittenPlace(
      distinct,
      ({ unknown, rule }) => {
        const valueAt = rule && writtenPlaceKey(rule, unknown.location);
        const ruleAt = rule && writtenPlaceKey(rule, rule.location);
        return valueAt === undefined || ruleAt === undefined ? undefined : `${valueAt}\u0000${ruleAt}`;
      },
      ({ unknown, rule }) => [fieldOfItems(unknown.field, rule), unknown.expr, rule?.branch ?? ''].join('\u0000'),
    );
    for (const group of groups) {
      const { unknown, rule } = group[0]!;
      if (group.length === 1) {
        const spec: FindingSpec = {
          messageId: 'unresolved',
          location: unknown.location,
          data: { target: target.id, field: unknown.field, ofRule: rule ? ruleText(rule, unknown.field) : '', expr: unknown.expr, ruleWas: 'the rule was' },
          key: `${unknown.field}=${unknown.expr}`,
          properties: { field: unknown.field, expression: unknown.expr },
        };
        if (rule) spec.rule = rule;
        findings.push(spec);
        continue;
      }
      const rules = group.map((entry) => entry.rule!);
      const field = fieldOfItems(unknown.field, rule);
      const addresses = rules.map((each) => each.resourceAddress);
      // Their traffic where it is the same for all (else each would need its own).
      const traffic = [...new Set(rules.map((each) => trafficText(each)))];
      findings.push({
        messageId: 'unresolved',
        location: unknown.location,
        rule: rules[0]!,
        // The fingerprint hashes them all, as other findings of one written place do.
        rules,
        mergedParts: group.map((entry) => ({ messageId: 'unresolved', rule: entry.rule!, key: `${entry.unknown.field}=${entry.unknown.expr}` })),
        data: { target: target.id, field, ofRule: ` of rules ${itemNames(addresses)}${traffic.length === 1 ? traffic[0] : ''}`, expr: unknown.expr, ruleWas: 'the rules were' },
        key: `${field}=${unknown.expr}`,
        properties: { field, expression: unknown.expr, rules: addresses },
      });
    }
    return findings;
  },
});

/**
 * The field an unknown names, without the rule's address where it starts with it (Terraform names a block's field
 * `aws_security_group.web.ingress[0].from_port`): what the items of one place share (`from_port`).
 */
function fieldOfItems(field: string, rule: Rule | undefined): string {
  return rule && field.startsWith(`${rule.resourceAddress}.`) ? field.slice(rule.resourceAddress.length + 1) : field;
}

/**
 * `aws_security_group.web.ingress[0], [1], [2]`: the addresses of items of one place, those after the first shortened
 * to their index where they share its base; past `MAX_LISTED_ITEMS`, counted.
 */
function itemNames(addresses: readonly string[]): string {
  const base = /^(.*)\[[^\]]*\]$/.exec(addresses[0]!)?.[1];
  const names = addresses.map((address, index) => (index > 0 && base !== undefined && address.startsWith(`${base}[`) && address.endsWith(']') && !address.slice(base.length + 1, -1).includes('[') ? address.slice(base.length) : address));
  return cappedList(names, MAX_LISTED_ITEMS);
}

/** Whether an unknown makes the rule's protocol or ports unknown, so that describing them would mislead. */
const TRAFFIC_FIELD = /port|protocol|icmp/i;

/**
 * ` of rule web.ingress[1] (inbound tcp/3389)`: the rule's address, unless the field already starts with it
 * (Terraform: `aws_security_group.web.ingress[0].from_port`), and its traffic when that is fully known, so that rules
 * sharing one unresolved value can be told apart. Empty for a value of the target itself.
 */
function ruleText(rule: Rule, field: string): string {
  const address = field.startsWith(`${rule.resourceAddress}.`) ? '' : ` of rule ${rule.resourceAddress}`;
  return `${address}${trafficText(rule)}`;
}

/** ` (inbound tcp/3389)`: a rule's direction and traffic, when its traffic is fully known; else ''. */
function trafficText(rule: Rule): string {
  // A rule whose whole item is unresolved (a CloudFormation `!If` beyond the condition limit) holds no ports yet.
  // An unresolved protocol may be named by a field that does not say so (a CDK NetworkAclEntry's `traffic`).
  const trafficKnown = rule.protocol.kind !== 'unknown' && !rule.unknowns.some((unknown) => TRAFFIC_FIELD.test(unknown.field)) && (rule.portKeywords ?? []).length === 0 && !rule.ports.isEmpty();
  return trafficKnown ? ` (${rule.direction === 'in' ? 'inbound' : 'outbound'} ${describeRuleTraffic(rule)})` : '';
}
