import type { ProfileBinding } from '../../model/target';
import { parseProfileValue } from '../shared/profile-value';
import type { ModelContext } from './rule-items';
import type { Node } from './values';

/** The value of a `fwlint:profile` tag: it maps what it can, each problem a warning (as in the other formats). */
export function profileFromTag(context: ModelContext, text: string, at: Node): ProfileBinding | undefined {
  const { binding, problems } = parseProfileValue(text, context.source.location(at));
  for (const problem of problems) context.source.warning('parse/cdk-profile-tag', problem, at);
  return binding;
}
