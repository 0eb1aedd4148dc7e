/**
 * Detection of the PowerShell JSON export of Windows Firewall rules (formats.md §4.5), kept apart from the parser so
 * that a scan loads the parser only when a file is detected (docs/performance.md, start-up).
 */

/**
 * How much of a file detection reads for its first rule object: more than the 4 KiB head, since a rule listing
 * hundreds of addresses before its `Direction` is still an export; bounded, so a large JSON file costs little.
 */
const FIRST_OBJECT_CHARS = 256 * 1024;

/** The values a rule's `Direction` and `Action` take (enum names, any case), or an integer (5.1's enum numbers). */
const DIRECTIONS = new Set(['inbound', 'outbound']);
const ACTIONS = new Set(['allow', 'block', 'notconfigured']);

/**
 * True for a `.json` file whose first rule object (the file itself, the first item of its top-level array:
 * `ConvertTo-Json` writes one rule as an object, several as an array, or the first item of the `value` array of
 * Windows PowerShell 5.1's `{"value": […], "Count": n}` wrapper) holds `DisplayName`, a `Direction` of `Inbound`/
 * `Outbound` and an `Action` of `Allow`/`Block`/`NotConfigured` (or integers: the parser explains those). An
 * application's JSON with such keys (`"Direction": "Descending"`) is left alone. Cheap and total: never throws.
 */
export function isPowerShellRuleExport(path: string, head: string, text?: string): boolean {
  if (typeof path !== 'string' || typeof head !== 'string' || !/\.json$/i.test(path)) return false;
  const values = firstObjectValues((typeof text === 'string' ? text : head).slice(0, FIRST_OBJECT_CHARS));
  return values.has('DisplayName') && isEnumValue(values.get('Direction'), DIRECTIONS) && isEnumValue(values.get('Action'), ACTIONS);
}

function isEnumValue(value: string | number | null | undefined, names: ReadonlySet<string>): boolean {
  return typeof value === 'number' ? Number.isInteger(value) : typeof value === 'string' && names.has(value.trim().toLowerCase());
}

/**
 * The properties of the first rule object as far as the (possibly cut) text goes, each with its value where it is a
 * string or number literal (`null` otherwise). Empty for anything else. Linear in the text.
 */
function firstObjectValues(text: string): Map<string, string | number | null> {
  const values = new Map<string, string | number | null>();
  let at = skipBlanks(text, text.startsWith('\uFEFF') ? 1 : 0);
  if (text[at] === '[') at = skipBlanks(text, at + 1);
  else {
    const wrapper = /^\{\s*"value"\s*:\s*\[\s*/.exec(text.slice(at, at + 64));
    if (wrapper !== null) at += wrapper[0].length;
  }
  if (text[at] !== '{') return values;
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i + 1;
      i = stringEnd(text, start);
      if (depth !== 1) continue;
      const colon = skipBlanks(text, i + 1);
      if (text[colon] !== ':') continue;
      const key = text.slice(start, i);
      const valueAt = skipBlanks(text, colon + 1);
      if (text[valueAt] === '"') {
        const end = stringEnd(text, valueAt + 1);
        values.set(key, text.slice(valueAt + 1, end));
        i = end;
      } else {
        const number = /^-?\d+/.exec(text.slice(valueAt, valueAt + 24));
        values.set(key, number === null ? null : Number(number[0]));
      }
    } else if (char === '{' || char === '[') {
      depth++;
    } else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  return values;
}

/** The index of the quote that ends the string starting at `from` (or the text's length). */
function stringEnd(text: string, from: number): number {
  let i = from;
  for (; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
  return i;
}

function skipBlanks(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}
