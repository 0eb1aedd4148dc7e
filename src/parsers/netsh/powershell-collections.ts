import { literalValue } from './script-calls';

/**
 * A PowerShell array `@('a', 3389)` or hashtable `@{ Port = 445; Remote = "10.0.0.0/8" }` written out in a script, as
 * a splat (`netsh @a`, `Open-Port @h`) passes it: items (or values) are literals, `undefined` where one is not
 * (`$x`, `(Get-Cidr)`), which the reader takes as unknown.
 */
export type LiteralCollection =
  | { kind: 'array'; items: Array<string | undefined> }
  | { kind: 'hashtable'; entries: Map<string, string | undefined>; written: Map<string, string> };

/** A copy of `collection` of its own (`$b = $a.Clone()`): changing one leaves the other as it is. */
export function cloneCollection(collection: LiteralCollection): LiteralCollection {
  return collection.kind === 'array' ? { kind: 'array', items: [...collection.items] }
    : { kind: 'hashtable', entries: new Map(collection.entries), written: new Map(collection.written) };
}

/**
 * The collection the right-hand side of an assignment writes out, or undefined when it is not `@(…)` or `@{…}`
 * (`[ordered]@{…}` too: the same keys and values, kept in order).
 */
export function literalCollection(text: string): LiteralCollection | undefined {
  const trimmed = text.trim().replace(/^\[ordered\]\s*(?=@\{)/i, '');
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
    // An array value with one item per line (`RemoteAddress = @(` … `)`) is the comma list it stands for.
    const array = /^@\(([\s\S]*)\)$/.exec(entry[4]!);
    const items = array === null || !array[1]!.includes('\n') ? undefined : itemsOnOneLine(array[1]!);
    const value = items === undefined ? entry[4]! : `@(${items})`;
    entries.set(key, literalValue(value));
    written.set(key, value);
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

/**
 * The line that ends the here-string a PowerShell line opens (`$text = @"` → `"@`), or undefined when it opens none:
 * the lines between are data, not commands.
 */
export function hereStringEnd(line: string): string | undefined {
  return /(?:^|[\s=(,])@["']\s*$/.test(line) ? `${line.trimEnd().slice(-1)}@` : undefined;
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
export function splitOutsideQuotes(text: string, separator: RegExp): string[] | undefined {
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

/**
 * A change a command makes to a collection the script wrote out: `$p.Key = v`, `$p['Key'] = v`, `$p.Set_Item('Key', v)`
 * and `$p.Add('Key', v)` set a hashtable key (`value` as written), `$p.Remove('Key')` removes one, `$a[0] = v` sets an
 * array item; `unknown` is a change fwlint does not compute (`+=`, a key from a variable, `.Clear()`…): of that key
 * when `key` is given, else of the whole collection.
 */
export type CollectionChange =
  | { variable: string; kind: 'set'; key: string; value: string; isAdd: boolean }
  | { variable: string; kind: 'remove'; key: string }
  | { variable: string; kind: 'item'; index: number; value: string }
  | { variable: string; kind: 'unknown'; key?: string };

const MEMBER_ASSIGNMENT = /^\$([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*([+\-*/%]?)=(?!=)\s*([\s\S]*)$/;
const INDEX_ASSIGNMENT = /^\$([A-Za-z_][A-Za-z0-9_]*)\[\s*([^\]]*?)\s*\]\s*([+\-*/%]?)=(?!=)\s*([\s\S]*)$/;
const METHOD_CALL = /^\$([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)$/;
/** Methods of a hashtable or array that change it. */
const CHANGING_METHODS: ReadonlySet<string> = new Set(['add', 'remove', 'set_item', 'clear', 'insert', 'removeat', 'removeall', 'removerange', 'addrange', 'reverse', 'sort']);

/**
 * The change the simple command `command` (as written) makes to one of the collections `collections` holds (by
 * lower-case variable name); undefined when it changes none. A command that writes to a collection in any other way
 * (`Foo ($p.Remove('X'))`, `$p.Item('X') = 1`) changes it in a way fwlint does not compute.
 */
export function collectionChange(command: string, collections: ReadonlyMap<string, LiteralCollection>): CollectionChange | undefined {
  // `[void]$p.Remove('X')` and `$null = $p.Add('X', 1)` only drop the method's result.
  const text = command.trim().replace(/^(?:\[void\]\s*|\$null\s*=\s*)/i, '');
  const member = MEMBER_ASSIGNMENT.exec(text);
  const index = member === null ? INDEX_ASSIGNMENT.exec(text) : null;
  const assignment = member ?? index;
  if (assignment !== null) {
    const variable = assignment[1]!.toLowerCase();
    const collection = collections.get(variable);
    if (collection === undefined) return undefined;
    const [, , where, operator, value] = assignment;
    const key = member !== null ? where! : literalValue(where!);
    if (collection.kind === 'array') {
      const at = /^-?\d+$/.test(where!) ? Number(where) : undefined;
      // `$a[-1]` is the last item; one past either end makes PowerShell fail the statement, which then changes nothing.
      const item = at === undefined ? undefined : at < 0 ? collection.items.length + at : at;
      if (member !== null || item === undefined || operator !== '') return { variable, kind: 'unknown' };
      return item >= 0 && item < collection.items.length ? { variable, kind: 'item', index: item, value: value!.trim() } : undefined;
    }
    if (key === undefined) return { variable, kind: 'unknown' };
    // The value of a statement (`= if ($Dev) {` over several lines, `= switch …`): the entry is unknown, named as
    // `$p.Key`, not by the statement's first words.
    const isStatement = /^(?:if|switch|foreach|for|while|do|try)\b/i.test(value!.trim());
    return operator === '' && !isStatement ? { variable, kind: 'set', key, value: value!.trim(), isAdd: false } : { variable, kind: 'unknown', key };
  }
  const call = METHOD_CALL.exec(text);
  const variable = call?.[1]!.toLowerCase();
  const collection = variable === undefined ? undefined : collections.get(variable);
  if (call !== null && collection !== undefined && CHANGING_METHODS.has(call[2]!.toLowerCase())) {
    const method = call[2]!.toLowerCase();
    const args = splitOutsideQuotes(call[3]!, /,/)?.map((arg) => arg.trim());
    const key = args === undefined ? undefined : literalValue(args[0]!);
    if (collection.kind === 'hashtable' && key !== undefined) {
      if (method === 'remove' && args!.length === 1) return { variable: variable!, kind: 'remove', key };
      if ((method === 'add' || method === 'set_item') && args!.length === 2) return { variable: variable!, kind: 'set', key, value: args![1]!, isAdd: method === 'add' };
    }
    return { variable: variable!, kind: 'unknown', ...(collection.kind === 'hashtable' && key !== undefined && method !== 'clear' ? { key } : {}) };
  }
  // A write or a changing method call elsewhere in the command (`if ($x) { … }` bodies are commands of their own).
  for (const match of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*)\s*(\()?|\[[^\]]*\]\s*[+\-*/%]?=(?!=))/g)) {
    const name = match[1]!.toLowerCase();
    if (!collections.has(name)) continue;
    const isWrite = match[2] === undefined || (match[3] !== undefined && CHANGING_METHODS.has(match[2].toLowerCase()))
      || (match[3] === undefined && /^\s*[+\-*/%]?=(?!=)/.test(text.slice(match.index + match[0].length)));
    if (isWrite) return { variable: name, kind: 'unknown' };
  }
  return undefined;
}
