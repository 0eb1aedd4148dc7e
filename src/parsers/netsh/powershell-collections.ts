import { literalValue } from './script-calls';

/**
 * A PowerShell array `@('a', 3389)` or hashtable `@{ Port = 445; Remote = "10.0.0.0/8" }` written out in a script, as
 * a splat (`netsh @a`, `Open-Port @h`) passes it: items (or values) are literals, `undefined` where one is not
 * (`$x`, `(Get-Cidr)`), which the reader takes as unknown.
 */
export type LiteralCollection =
  | { kind: 'array'; items: Array<string | undefined> }
  | { kind: 'hashtable'; entries: Map<string, string | undefined>; written: Map<string, string> };

/** The collection the right-hand side of an assignment writes out, or undefined when it is not `@(…)` or `@{…}`. */
export function literalCollection(text: string): LiteralCollection | undefined {
  const trimmed = text.trim();
  const array = /^@\(([\s\S]*)\)$/.exec(trimmed);
  if (array !== null) {
    const body = itemsOnOneLine(array[1]!);
    const items = body === undefined ? undefined : body === '' ? [] : splitOutsideQuotes(body, /,/);
    if (items === undefined || items.some((item) => item.trim() === '')) return undefined;
    return { kind: 'array', items: items.map((item) => literalValue(item.trim())) };
  }
  const hashtable = /^@\{([\s\S]*)\}$/.exec(trimmed);
  if (hashtable === null) return undefined;
  const parts = splitOutsideQuotes(hashtable[1]!, /[;\n]/);
  if (parts === undefined) return undefined;
  const entries = new Map<string, string | undefined>();
  // The values as written, for a splat into a cmdlet whose parameters take arrays (`LocalPort = 80, 443`).
  const written = new Map<string, string>();
  for (const part of parts) {
    if (part.trim() === '') continue;
    const entry = /^\s*(?:([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"`$]*)")\s*=\s*([\s\S]*?)\s*$/.exec(part);
    if (entry === null) return undefined;
    const key = (entry[1] ?? entry[2] ?? entry[3]!).toLowerCase();
    entries.set(key, literalValue(entry[4]!));
    written.set(key, entry[4]!);
  }
  return { kind: 'hashtable', entries, written };
}

/**
 * An array body written over several lines as one comma list: a line end separates items as a comma does, except
 * after a comma (the expression goes on) and around blank lines; undefined when a quote or bracket is left open.
 */
function itemsOnOneLine(body: string): string | undefined {
  const lines = splitOutsideQuotes(body, /\n/);
  if (lines === undefined) return undefined;
  const written = lines.map((line) => line.trim()).filter((line) => line !== '');
  return written.map((line, index) => (index < written.length - 1 && !line.endsWith(',') ? `${line},` : line)).join('');
}

/** A PowerShell line without its trailing comment (`Port = 445  # SMB`): from a `#` outside quotes that starts a word. */
export function withoutLineComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line;
}

/** The variable a PowerShell splat argument names (`@args2` → `args2`), lower-case; undefined for anything else. */
export function splattedVariable(written: string): string | undefined {
  const match = /^@([A-Za-z_][A-Za-z0-9_]*)$/.exec(written);
  return match === null ? undefined : match[1]!.toLowerCase();
}

/**
 * `text` split at the characters `separator` matches outside quotes and brackets; undefined when a quote or bracket
 * is left open (then the collection is not one fwlint reads).
 */
function splitOutsideQuotes(text: string, separator: RegExp): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth < 0) return undefined;
    } else if (depth === 0 && separator.test(ch)) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== undefined || depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}
