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
