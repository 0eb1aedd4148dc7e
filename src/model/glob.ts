/**
 * Matches a target id against a glob with `*` (any run of characters) and `?` (one character). A two-pointer
 * match, not a regular expression: `*a*a*a*a*c` against a long id cannot backtrack exponentially (O(glob × id)
 * at worst, linear in practice).
 */
export function matchesGlob(glob: string, value: string): boolean {
  let g = 0;
  let v = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (v < value.length) {
    if (g < glob.length && (glob[g] === '?' || (glob[g] !== '*' && glob[g] === value[v]))) {
      g++;
      v++;
    } else if (g < glob.length && glob[g] === '*') {
      starAt = g++;
      resumeAt = v;
    } else if (starAt !== -1) {
      g = starAt + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
