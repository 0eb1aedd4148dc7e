/**
 * Detection of the PowerShell JSON export of Windows Firewall rules (formats.md §4.5), kept apart from the parser so
 * that a scan loads the parser only when a file is detected (docs/performance.md, start-up).
 */

/** How much of a file detection looks at (style.md §2: the first 4 KiB). */
const HEAD_CHARS = 4096;

/** Properties every rule object of `Get-NetFirewallRule` has, and no other JSON input fwlint reads has together. */
const RULE_PROPERTIES: readonly string[] = ['DisplayName', 'Direction', 'Action'];

/**
 * True for a `.json` file whose first 4 KiB open a rule object (the file itself, or the first item of its top-level
 * array: `ConvertTo-Json` writes one rule as an object, several as an array) holding `DisplayName`, `Direction` and
 * `Action`. Cheap and total: never throws; other JSON keeps being skipped.
 */
export function isPowerShellRuleExport(path: string, head: string): boolean {
  if (typeof path !== 'string' || typeof head !== 'string' || !/\.json$/i.test(path)) return false;
  const keys = firstObjectKeys(head.slice(0, HEAD_CHARS));
  return RULE_PROPERTIES.every((property) => keys.has(property));
}

/**
 * The keys of the first rule object as far as the (possibly cut) text goes: the top-level object's, or those of a
 * top-level array's first item when it is an object. Empty for anything else. Linear in the text.
 */
function firstObjectKeys(text: string): Set<string> {
  const keys = new Set<string>();
  let at = skipBlanks(text, text.startsWith('\uFEFF') ? 1 : 0);
  if (text[at] === '[') at = skipBlanks(text, at + 1);
  if (text[at] !== '{') return keys;
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i + 1;
      for (i = start; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth !== 1) continue;
      const next = skipBlanks(text, i + 1);
      if (text[next] === ':') keys.add(text.slice(start, i));
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  return keys;
}

function skipBlanks(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}
