/**
 * cmd `call :label [args…]` subroutines (README, Windows Firewall): where the labels are, which of them only a `call`
 * reaches, and the arguments a call binds to `%1`…`%9`, `%~1`…`%~9` and `%*`.
 */

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
  // The largest set of labels each jumped to only from sections of the set: no path from the script's own lines.
  const enclosed = new Set([...labels.lines.keys()].filter((label) =>
    !readWhereWritten.has(label) && (labels.called.has(label) || labels.jumpedFrom.has(label))));
  for (let isChanged = true; isChanged;) {
    isChanged = false;
    for (const label of enclosed) {
      const sections = labels.jumpedFrom.get(label);
      if (sections === undefined || [...sections].every((section) => section !== undefined && enclosed.has(section))) continue;
      enclosed.delete(label);
      isChanged = true;
    }
  }
  // Of those, the ones a call reaches, directly or by gotos from a reached one's section (not a loop of gotos
  // that nothing enters).
  const reached = new Set([...enclosed].filter((label) => labels.called.has(label)));
  for (let isChanged = true; isChanged;) {
    isChanged = false;
    for (const label of enclosed) {
      if (reached.has(label) || ![...labels.jumpedFrom.get(label) ?? []].some((section) => reached.has(section!))) continue;
      reached.add(label);
      isChanged = true;
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
