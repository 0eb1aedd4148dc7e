import type { ProfileBinding } from '../../model/target';
import type { ModelContext } from './rule-items';
import type { Node } from './values';

/** The value of a `fwlint:profile` tag: `pack/role [phase=install|operate] [options=a,b]`, as the Terraform reader reads it. */
export function profileFromTag(context: ModelContext, text: string, at: Node): ProfileBinding | undefined {
  const [ref, ...settings] = text.trim().split(/\s+/);
  if (!ref) return undefined;
  const binding: ProfileBinding = { ref, options: [], location: context.source.location(at) };
  for (const setting of settings) {
    const [key, value] = setting.split('=');
    if (key === 'phase' && (value === 'install' || value === 'operate')) binding.phase = value;
    else if (key === 'options' && value) binding.options = value.split(',').filter((option) => option !== '');
    else context.source.warning('parse/cdk-profile-tag', `fwlint:profile: "${setting}" is not phase=install|operate or options=a,b`, at);
  }
  return binding;
}
