import type { SourceLocation } from '../../model/location';
import type { UnknownValue } from '../../model/rule';
import { fieldFile, unknownText, type BuildContext, type Fields } from './to-model';

/**
 * The unknown of an ordering field (NSG `priority`, NACL `rule_no` / `rule_number`) whose value cannot be resolved
 * statically (a variable without a default, a data source, "known after apply"); undefined when the field is
 * absent or known. The rule is kept with `priority: null` and this unknown on it, rather than dropped: the contract
 * says what cannot be known is reported as unknown, never silently lost. The engine reads a null priority on an
 * ordered platform as "place in the order unknown" and judges it conservatively: such an allow still allows (no
 * deny is assumed to precede it), such a deny blocks nothing (it is not assumed to precede any allow), and no
 * shadowing is claimed on it. FW303 reports the field at its value.
 */
export function unknownOrder(fields: Fields, name: string, owner: { resourceAddress: string; location: SourceLocation }, ctx: BuildContext): UnknownValue | undefined {
  const field = fields.get(name);
  if (!field) return undefined;
  const expr = unknownText(field.value);
  if (expr === undefined) return undefined;
  return { field: `${owner.resourceAddress}.${name}`, expr, location: { file: fieldFile(field, ctx), range: field.range } };
}
