import { branchesCompatible } from '../../model/branch';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { Rule } from '../../model/rule';
import type { Target } from '../../model/target';
import type { Fields } from './to-model';

/** The argument holding a rule's place in the order, by platform: where a clash is reported. */
const ORDER_FIELDS: Partial<Record<Rule['platform'], readonly string[]>> = {
  'azure-nsg': ['priority'],
  'aws-nacl': ['rule_no', 'rule_number'],
};

/**
 * Two rules of one NSG with the same priority and direction, or two entries of one network ACL with the same rule
 * number and direction: Azure and AWS reject the second at apply (an inline entry beside an `aws_network_acl_rule`
 * of the same number fails, or the two resources replace each other on every apply), as they reject a priority out
 * of range, so it is an error, at the second rule's priority or rule number, naming the first. The rules are kept
 * and judged in the order the engine reads them (a deny does not win the tie: the safe reading). Rules that cannot
 * exist together (the two sides of an undecidable condition) do not clash; nor do rules whose place is unknown.
 * `fieldsOf` gives a written rule's arguments by its resource address, for the place of its order argument.
 */
export function duplicateOrderDiagnostics(targets: Iterable<Target>, fieldsOf: ReadonlyMap<string, WrittenArguments>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const target of targets) {
    if (ORDER_FIELDS[target.platform] === undefined) continue;
    const byPlace = new Map<string, Rule[]>();
    const reported = new Set<string>();
    for (const rule of target.rules) {
      if (rule.priority === null || reported.has(rule.resourceAddress)) continue;
      const key = `${rule.direction} ${rule.priority}`;
      const earlier = byPlace.get(key);
      if (earlier === undefined) {
        byPlace.set(key, [rule]);
        continue;
      }
      const first = earlier.find((other) => other.resourceAddress !== rule.resourceAddress && branchesCompatible(other, rule));
      earlier.push(rule);
      if (first === undefined) continue;
      reported.add(rule.resourceAddress);
      diagnostics.push(clash(rule, first, fieldsOf.get(rule.resourceAddress)));
    }
  }
  return diagnostics;
}

/** A written rule's arguments and the file their ranges point into (a plan's, where the rule may point at HCL). */
export interface WrittenArguments {
  file: string;
  fields: Fields;
}

function clash(rule: Rule, first: Rule, written: WrittenArguments | undefined): Diagnostic {
  const names = ORDER_FIELDS[rule.platform]!;
  const field = names.map((name) => written?.fields.get(name)).find((each) => each !== undefined);
  const { file, range } = field !== undefined ? { file: field.file ?? written!.file, range: field.range } : rule.location;
  const message =
    rule.platform === 'azure-nsg'
      ? `${rule.resourceAddress}: priority ${rule.priority} ${rule.direction === 'in' ? 'Inbound' : 'Outbound'} is also used by ${first.resourceAddress}; Azure rejects two rules of one network security group with the same priority and direction`
      : `${rule.resourceAddress}: rule number ${rule.priority} ${rule.direction === 'in' ? 'ingress' : 'egress'} is also used by ${first.resourceAddress}; AWS rejects two entries of one network ACL with the same rule number and direction`;
  return errorDiagnostic(rule.platform === 'azure-nsg' ? 'parse/terraform-nsg-duplicate-priority' : 'parse/terraform-nacl-duplicate-number', file, message, range);
}
