import type { ProfileBinding } from '../../model/target';

/**
 * The value of a `fwlint:profile` comment or tag, the same in every format: `<pack>/<role>[,<role>...]
 * [phase=install|operate] [options=a,b]`, each setting once. Each reader reports the problems its own way (an error for a comment, a warning
 * for a tag, which still maps what it can: a repeated setting's first value); whether the pack and role exist is the
 * packs' question, asked later.
 */
export function parseProfileValue(text: string, location: ProfileBinding['location']): { binding?: ProfileBinding; problems: string[] } {
  const [ref, ...settings] = text.trim().split(/\s+/);
  // Several roles of one pack (a host that carries them all): `pack/a,pack/b` or `pack/a,b`.
  if (!ref || !/^[^/\s,]+\/[^/\s,]+(?:,(?:[^/\s,]+\/)?[^/\s,]+)*$/.test(ref)) return { problems: [`fwlint:profile needs <pack>/<role>, got "${text.trim()}"`] };
  const binding: ProfileBinding = { ref, options: [], location };
  const problems: string[] = [];
  // A setting given twice is reported rather than silently replaced: `options=ha options=backup-to-s3` reads as both
  // options to a person, and as the last one only to a key-value reader.
  const given = new Map<string, string>();
  for (const setting of settings) {
    const [key, value = ''] = setting.split('=', 2) as [string, string?];
    const first = given.get(key);
    if (first !== undefined) {
      const merged = key === 'options' ? `: options=${[...new Set([...first.slice('options='.length).split(','), ...value.split(',')])].filter((option) => option !== '').join(',')}` : '';
      problems.push(`fwlint:profile: ${key}= is given more than once ("${first}", then "${setting}"); write it once${merged}`);
    } else if (key === 'phase' && (value === 'install' || value === 'operate')) {
      binding.phase = value;
      given.set(key, setting);
    } else if (key === 'options' && value !== '') {
      binding.options = value.split(',').filter((option) => option !== '');
      given.set(key, setting);
    } else problems.push(`fwlint:profile: "${setting}" is not phase=install|operate or options=a,b`);
  }
  return { binding, problems };
}
