import type { Check } from './define-check';
import fw101 from './fw101-world-open-ingress';
import fw102 from './fw102-all-traffic';
import fw103 from './fw103-wide-port-range';
import fw104 from './fw104-world-open-egress';
import fw201 from './fw201-required-flow-missing';
import fw202 from './fw202-broader-than-profile';
import fw203 from './fw203-install-only-port-open';
import fw301 from './fw301-shadowed-rule';
import fw302 from './fw302-redundant-rule';
import fw303 from './fw303-unresolved-value';

/** Every check, in id order: SARIF `rules[]` order and `ruleIndex` follow it, so only ever append. */
export const CHECKS: ReadonlyArray<Check<any>> = [fw101, fw102, fw103, fw104, fw201, fw202, fw203, fw301, fw302, fw303];

export function findCheck(id: string): Check<any> | undefined {
  return CHECKS.find((check) => check.id.toUpperCase() === id.toUpperCase());
}

export type { Check, CheckContext, FindingSpec } from './define-check';
export { toFinding, formatMessage, specsAcrossBranches } from './define-check';
