import type { Rule } from '../model/rule';
import type { Target } from '../model/target';

/**
 * A rule of another GCP firewall applies here because its target tags or service accounts include these instances (or
 * it has none): removing or replacing it changes that firewall's instances too, narrowing its scope does not.
 */
const SHARED_GCP_RULE_ADVICE =
  "; it is another firewall's rule and applies to that firewall's instances too: to keep it there, narrow its target tags (or target service accounts) so that it leaves these instances out";

/**
 * The advice FW202 and FW203 append for a rule shared from another GCP firewall (`Target.sharedRules`); else ''. Not
 * for a firewall of exactly these instances (`Target.sharedRulesOfSameInstances`): no narrowing leaves them out.
 */
export function sharedRuleAdvice(rule: Rule, target: Target): string {
  if (rule.synthetic || rule.platform !== 'gcp-fw' || !target.sharedRules?.includes(rule)) return '';
  return target.sharedRulesOfSameInstances?.includes(rule) ? '' : SHARED_GCP_RULE_ADVICE;
}

/**
 * The standalone egress resources of a group whose implicit egress stays (CloudFormation `AWS::EC2::SecurityGroupEgress`,
 * CDK `CfnSecurityGroupEgress`), by name: AWS removes the implicit rule only for rules in the group's own
 * `SecurityGroupEgress` list, so a message must not suggest that writing these would have. Their rules are the
 * group's outbound rules not written inside the group (whose addresses start with the group's id).
 */
export function standaloneEgressNames(target: Target): string[] {
  const names = target.rules
    .filter((rule) => rule.direction === 'out' && !rule.synthetic && rule.resourceAddress !== target.id && !rule.resourceAddress.startsWith(`${target.id}.`))
    .map((rule) => rule.resourceAddress);
  return [...new Set(names)];
}

/** `Out80` or `Out80, Out443 and 2 more`: few names of a list, for a message. */
function someNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

/**
 * Why the implicit egress of a group is there, for FW104 and FW202 (`standalone`: `standaloneEgressNames`): the group
 * lists no egress rule, or, when standalone egress resources are attached to it, that they do not remove it.
 */
export function implicitEgressCause(standalone: readonly string[]): string {
  return standalone.length === 0
    ? 'the group lists no egress rule'
    : `the group's own SecurityGroupEgress list is empty, and standalone egress rules such as ${someNames(standalone)} do not remove it`;
}

/**
 * What to write instead of the implicit egress of `target`: egress rules in the group's own list. Standalone egress
 * resources attached to it stay in force beside them.
 */
export function implicitEgressAdvice(target: Target, replacement: string): string {
  const standalone = standaloneEgressNames(target);
  if (standalone.length === 0) {
    return replacement.length > 0
      ? `write the egress rules instead (writing any egress rule removes the implicit one): ${replacement}`
      : 'the role needs no outbound traffic: write one egress rule that admits nothing (for example all traffic to 127.0.0.1/32), which removes the implicit one';
  }
  const kept = `${someNames(standalone)} ${standalone.length === 1 ? 'stays' : 'stay'} in force beside them`;
  return replacement.length > 0
    ? `list the egress rules in the group's SecurityGroupEgress instead (any rule there removes the implicit one; ${kept}): ${replacement}`
    : `the role needs no outbound traffic beyond what ${someNames(standalone)} ${standalone.length === 1 ? 'allows' : 'allow'}: list one egress rule that admits nothing (for example all traffic to 127.0.0.1/32) in the group's SecurityGroupEgress, which removes the implicit one`;
}
