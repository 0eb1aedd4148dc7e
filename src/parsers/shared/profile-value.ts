import type { ProfileBinding } from '../../model/target';

/**
 * The value of a `fwlint:profile` comment or tag, the same in every format: `<pack>/<role> [phase=install|operate]
 * [options=a,b]`. Each reader reports the problems its own way (an error for a comment, a warning for a tag, which
 * still maps what it can); whether the pack and role exist is the packs' question, asked later.
 */
export function parseProfileValue(text: string, location: ProfileBinding['location']): { binding?: ProfileBinding; problems: string[] } {
  const [ref, ...settings] = text.trim().split(/\s+/);
  if (!ref || !/^[^/\s]+\/[^/\s]+$/.test(ref)) return { problems: [`fwlint:profile needs <pack>/<role>, got "${text.trim()}"`] };
  const binding: ProfileBinding = { ref, options: [], location };
  const problems: string[] = [];
  for (const setting of settings) {
    const [key, value = ''] = setting.split('=', 2) as [string, string?];
    if (key === 'phase' && (value === 'install' || value === 'operate')) binding.phase = value;
    else if (key === 'options' && value !== '') binding.options = value.split(',').filter((option) => option !== '');
    else problems.push(`fwlint:profile: "${setting}" is not phase=install|operate or options=a,b`);
  }
  return { binding, problems };
}
