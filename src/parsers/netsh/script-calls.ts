/**
 * cmd `call :label [args…]` subroutines (README, Windows Firewall): where the labels are, which of them only a `call`
 * reaches, and the arguments a call binds to `%1`…`%9`, `%~1`…`%~9` and `%*`.
 */

import { literalCollection } from './powershell-collections';

/** Calls nested in one another that are followed; a deeper one is not (`parse/netsh-call-not-followed`). */
export const MAX_CALL_DEPTH = 8;
/** Lines all followed calls of one script may read, so that a hostile script of many calls stays cheap. */
export const MAX_CALL_LINES = 20_000;

/** A cmd label line (`:allow`), not a `::` comment: the label's name, lower-case. */
const LABEL_LINE = /^\s*:([^\s:&|<>()][^\s&|<>()]*)/;
const COMMENT_LINE = /^\s*(?:@?\s*rem(?:\s|$)|::)/i;
const GOTO = /(?:^|[\s&|(@])goto(?:\s+:?|:)([^\s&|<>()]+)/gi;
const CALL = /(?:^|[\s&|(@])call\s+:([^\s&|<>()]+)/gi;
/** What cmd splits a call's arguments at, outside quotes. */
const ARGUMENT_DELIMITERS = /[\s,;=]/;

export function labelOfLine(line: string): string | undefined {
  return LABEL_LINE.exec(line)?.[1]?.toLowerCase();
}

export interface ScriptLabels {
  /** Each label's line index; cmd jumps to the first label of a name. */
  lines: Map<string, number>;
  /** Labels some `call :label` names. */
  called: Set<string>;
  /**
   * For each label some `goto` names, where those gotos are written: the label of the section each is in (the
   * nearest label line above it), `undefined` for one above every label.
   */
  jumpedFrom: Map<string, Set<string | undefined>>;
}

export function scanLabels(lines: readonly string[]): ScriptLabels {
  const labelLines = new Map<string, number>();
  const called = new Set<string>();
  const jumpedFrom = new Map<string, Set<string | undefined>>();
  let section: string | undefined;
  lines.forEach((line, index) => {
    if (COMMENT_LINE.test(line)) return;
    const label = labelOfLine(line);
    if (label !== undefined) {
      if (!labelLines.has(label)) labelLines.set(label, index);
      section = label;
      return;
    }
    if (!/goto|call/i.test(line)) return;
    for (const match of line.matchAll(GOTO)) {
      const target = match[1]!.toLowerCase();
      const sections = jumpedFrom.get(target) ?? new Set<string | undefined>();
      sections.add(section);
      jumpedFrom.set(target, sections);
    }
    for (const match of line.matchAll(CALL)) called.add(match[1]!.toLowerCase());
  });
  return { lines: labelLines, called, jumpedFrom };
}

/**
 * The labels only calls reach, so that their lines are read through the calls alone: a called label no `goto`
 * outside such labels' sections names, and a label inside a called subroutine (`if "%1"=="" goto :skip` … `:skip`)
 * that only gotos written in those sections name. `readWhereWritten`: labels read where written anyway (a call to
 * them was not followed); a goto in their sections reaches its label from the script's own path.
 */
export function labelsReachedOnlyThroughCalls(labels: ScriptLabels, readWhereWritten: ReadonlySet<string>): Set<string> {
  /** The labels the gotos of each section jump to. */
  const targetsOf = new Map<string | undefined, string[]>();
  for (const [target, sections] of labels.jumpedFrom) {
    for (const section of sections) {
      const targets = targetsOf.get(section);
      if (targets === undefined) targetsOf.set(section, [target]);
      else targets.push(target);
    }
  }
  // The largest set of labels each jumped to only from sections of the set: no path from the script's own lines.
  // A worklist, so that a long chain of gotos costs linear time.
  const enclosed = new Set([...labels.lines.keys()].filter((label) =>
    !readWhereWritten.has(label) && (labels.called.has(label) || labels.jumpedFrom.has(label))));
  const removed = [...enclosed].filter((label) => [...labels.jumpedFrom.get(label) ?? []].some((section) => section === undefined || !enclosed.has(section)));
  for (const label of removed) enclosed.delete(label);
  while (removed.length > 0) {
    for (const target of targetsOf.get(removed.pop()) ?? []) {
      if (!enclosed.delete(target)) continue;
      removed.push(target);
    }
  }
  // Of those, the ones a call reaches, directly or by gotos from a reached one's section (not a loop of gotos
  // that nothing enters).
  const reached = new Set([...enclosed].filter((label) => labels.called.has(label)));
  const pending = [...reached];
  while (pending.length > 0) {
    for (const target of targetsOf.get(pending.pop()) ?? []) {
      if (!enclosed.has(target) || reached.has(target)) continue;
      reached.add(target);
      pending.push(target);
    }
  }
  return reached;
}

/** The arguments of one call: `%1`… are `values` (quotes kept), `%*` is `all`; unknown after a `shift` fwlint cannot follow. */
export interface CallArguments {
  values: string[];
  all: string;
  isUnknown: boolean;
}

/** A call's argument text split as cmd does: at spaces, tabs, commas, semicolons and `=` outside quotes, quotes kept. */
export function callArguments(text: string): CallArguments {
  const values: string[] = [];
  let current = '';
  let isQuoted = false;
  for (const ch of text) {
    if (ch === '"') isQuoted = !isQuoted;
    if (!isQuoted && ARGUMENT_DELIMITERS.test(ch)) {
      if (current !== '') values.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') values.push(current);
  return { values, all: text.replace(/^[\s,;=]+/, '').trimEnd(), isUnknown: false };
}

/**
 * What `%n` (`which` 1–9) or `%*` stands for in a called subroutine: the argument as passed, without its surrounding
 * quotes for `%~n`; an empty string for a missing one (cmd expands it to nothing); undefined when unknown.
 */
export function parameterValue(args: CallArguments, which: string, isUnquoted: boolean): string | undefined {
  if (which === '*') return args.all;
  if (args.isUnknown) return undefined;
  const value = args.values[Number(which) - 1] ?? '';
  return isUnquoted ? value.replace(/^"/, '').replace(/"$/, '') : value;
}

/**
 * A parameter of a PowerShell function: its name, lower-case, and its default: the literal written (`= 3389`,
 * `= "any"`), `undefined` for one fwlint does not compute, absent for none.
 */
export interface FunctionParameter {
  name: string;
  default?: string | undefined;
}

/** Lines after a function's header that its parameter list may take. */
const MAX_PARAMETER_LINES = 40;

/**
 * The parameters of the PowerShell function whose header starts on line index `at`: `function Open-Rdp($Port,
 * $Cidr = "any") {` or a `param(…)` first in its body (after `[CmdletBinding()]`), attributes and types
 * (`[Parameter(Mandatory)][int]`) skipped. Undefined when they cannot be read.
 */
export function functionParameters(lines: readonly string[], at: number): FunctionParameter[] | undefined {
  const text = lines.slice(at, at + MAX_PARAMETER_LINES).join('\n');
  const header = /^\s*(?:function|filter)\s+[^\s({]+\s*/i.exec(text);
  if (header === null) return undefined;
  let position = header[0].length;
  if (text[position] === '(') {
    const end = closingAt(text, position);
    return end === undefined ? undefined : parameterList(text.slice(position + 1, end));
  }
  if (text[position] !== '{') return undefined;
  const body = /^\{(?:\s|#[^\n]*\n)*(?:\[CmdletBinding\([^)]*\)\](?:\s|#[^\n]*\n)*)?/i.exec(text.slice(position))!;
  position += body[0].length;
  if (!/^param\s*\(/i.test(text.slice(position))) return [];
  position = text.indexOf('(', position);
  const end = closingAt(text, position);
  return end === undefined ? undefined : parameterList(text.slice(position + 1, end));
}

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** The offset of the bracket closing the one at `open`, quotes skipped; undefined when it is not there or mismatched. */
export function closingAt(text: string, open: number): number | undefined {
  const expected: string[] = [];
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (CLOSING[ch] !== undefined) {
      expected.push(CLOSING[ch]!);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (expected.pop() !== ch) return undefined;
      if (expected.length === 0) return i;
    }
  }
  return undefined;
}

/** `[int]$Port, $Cidr = "any"`: each parameter, or undefined when one is not a `$name` with an optional default. */
function parameterList(text: string): FunctionParameter[] | undefined {
  const parameters: FunctionParameter[] = [];
  if (text.trim() === '') return parameters;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{' || ch === '"' || ch === "'") {
      const end = ch === '"' || ch === "'" ? text.indexOf(ch, i + 1) : closingAt(text, i);
      if (end === undefined || end < 0) return undefined;
      i = end;
      continue;
    }
    if (ch !== ',' && ch !== undefined) continue;
    let part = text.slice(start, i).trim();
    start = i + 1;
    // Attributes and types before the name.
    while (part.startsWith('[')) {
      const end = closingAt(part, 0);
      if (end === undefined) return undefined;
      part = part.slice(end + 1).trim();
    }
    const match = /^\$([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*([\s\S]*))?$/.exec(part);
    if (match === null) return undefined;
    const parameter: FunctionParameter = { name: match[1]!.toLowerCase() };
    if (match[2] !== undefined) parameter.default = defaultValue(match[2].trim());
    parameters.push(parameter);
  }
  return parameters;
}

/** A parameter's default: a literal, or an array of literals (`@('Any')`, `80, 443`) as the comma list a call passes. */
function defaultValue(written: string): string | undefined {
  const literal = literalValue(written);
  if (literal !== undefined) return literal;
  const array = literalCollection(/^@\(/.test(written) ? written : `@(${written})`);
  if (array?.kind !== 'array' || array.items.length === 0 || array.items.some((item) => item === undefined || item.includes(','))) return undefined;
  return array.items.join(',');
}

/** A PowerShell literal as the value it gives: `3389`, `'any'`, `"any"` (without `$` or a backtick); else undefined. */
export function literalValue(text: string): string | undefined {
  const match = /^(?:(\d+)|'([^']*)'|"([^"`$]*)")$/.exec(text);
  return match === null ? undefined : (match[1] ?? match[2] ?? match[3]!);
}

/**
 * Where the script names each of the PowerShell functions `names` (lower-case) other than in its definition's header:
 * `line:column`, 1-based. Every one must be a call fwlint follows for the function to be read only through its calls.
 */
export function functionNameOccurrences(lines: readonly string[], names: ReadonlySet<string>): Map<string, string[]> {
  const occurrences = new Map<string, string[]>();
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/(?<![A-Za-z0-9_$-])[A-Za-z_][A-Za-z0-9_-]*/g)) {
      const name = match[0].toLowerCase();
      // A bounded look back, so that a long line of names costs linear time.
      if (!names.has(name) || /(?:^|[\s;{])(?:function|filter)\s+$/i.test(line.slice(Math.max(0, match.index - 32), match.index))) continue;
      const at = occurrences.get(name) ?? [];
      at.push(`${index + 1}:${match.index + 1}`);
      occurrences.set(name, at);
    }
  });
  return occurrences;
}

/** The names of the functions a PowerShell script defines (`function Open-Rdp`), lower-case. */
export function definedFunctionNames(lines: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const line of lines) {
    for (const match of line.matchAll(/(?:^|[\s;{])(?:function|filter)\s+([A-Za-z_][A-Za-z0-9_-]*)/gi)) names.add(match[1]!.toLowerCase());
  }
  return names;
}
