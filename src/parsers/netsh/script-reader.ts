import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Annotation, Diagnostic, SourceRange } from '../../model';
import { annotationFromComment } from '../shared/annotations';
import { shorten } from '../shared/hostile-input';
import { expandCommandWords, isWithoutRuleEffect, readNetshInvocation } from './command-words';
import { firewallOffWarning, hostCommandAt } from './host-policy';
import type { HostCommand } from './host-policy';
import { lineSpan } from './line-span';
import { arrayAsCommandLine, remoteRunnerOf, scriptRunBy, wrappedCommandOf } from './wrapped-commands';
import type { WrappedCommand } from './wrapped-commands';
import { powerShellLoopConditionsDecided, ScriptFlow, splitWorlds, substituteVariable, topLevelTrapGoesOn } from './script-flow';
import type { FlowCommand, FunctionDefinition, LineEvent, LiteralLoop } from './script-flow';
import {
  callArguments, closingAt, definedFunctionNames, functionNameOccurrences, functionParameters, labelOfLine, labelsReachedOnlyThroughCalls, literalValue,
  MAX_CALL_DEPTH, MAX_CALL_LINES, parameterValue, scanLabels,
} from './script-calls';
import type { CallArguments, FunctionParameter, ScriptLabels } from './script-calls';
import {
  cloneCollection, collectionChange, hereStringEnd as hereStringEndOf, literalCollection, splitOutsideQuotes, splattedVariable, withoutLineComment,
} from './powershell-collections';
import { readSetNetFirewallProfile } from './profile-cmdlet';
import { firewallRuleCmdletSpelling, isFirewallRuleCmdlet, readFirewallRuleCmdlet, splatEntryValue, withoutNetSecurityModule } from './firewall-rule-cmdlet';
import type { CmdletLookups, FirewallRuleCommand } from './firewall-rule-cmdlet';
import type { LiteralCollection } from './powershell-collections';

/** The other computer a script block's statement runs it on (`Invoke-Command -ComputerName HOST -ScriptBlock { … }`). */
function enclosingRunner(statements: readonly string[]): { computer: string; how: string } | undefined {
  for (const statement of statements) {
    const runner = remoteRunnerOf(statement.trim().toLowerCase().split(/\s+/));
    if (runner !== undefined) return runner;
  }
  return undefined;
}

/** `cmd` for .cmd/.bat, `powershell` for .ps1, `plain` for a text file of commands or a `netsh -f` script. */
export type ScriptDialect = 'cmd' | 'powershell' | 'plain';

/** One argument as netsh receives it: quotes and escapes removed, variables expanded where the script sets them. */
export interface ScriptArg {
  text: string;
  range: SourceRange;
  /** The first variable reference that could not be resolved (`%MGMT_NET%`, `$env:PORT`, `%%p`). */
  unresolved?: string;
  /**
   * cmd: a reference whose value holds a blank outside quotes (`%LIST%` set to `10.0.0.0/8, 192.168.0.0/16`). cmd
   * expands it before the command line is split into arguments, so netsh gets the text after the blank as arguments
   * of their own; fwlint keeps the value as one argument and warns where that changes a rule.
   */
  splitReference?: string;
}

/** A `netsh advfirewall firewall add|set|delete rule …` or legacy `netsh firewall add|set|delete …` command. */
export interface NetshCommand {
  family: 'advfirewall' | 'legacy';
  verb: 'add' | 'set' | 'delete';
  /** `rule` (advfirewall), `portopening`, `allowedprogram`, `service` or `icmpsetting` (legacy). */
  object: string;
  /** Arguments after the object word. */
  args: ScriptArg[];
  /** The whole command line(s), continuations included. */
  location: SourceRange;
  /** The conditions it runs under, as `Rule.branch` literals, when it runs only under some (`script-flow.ts`). */
  conditions?: string[];
}

/** A command the replay runs: on rules (netsh's or a NetSecurity cmdlet's), or on the firewall as a whole. */
export type ScriptCommand = NetshCommand | HostCommand | FirewallRuleCommand;

export interface ScriptReading {
  commands: ScriptCommand[];
  annotations: Annotation[];
  /** Warnings about how the script would run differently from how it reads (a `^` before trailing spaces). */
  diagnostics: Diagnostic[];
  /** The lines of the NetSecurity rule cmdlets read (as commands, or warned about): the others were not read at all. */
  cmdletLines: ReadonlySet<number>;
}

/** The warning at a command that runs another script file, which fwlint does not follow. */
export const SCRIPT_NOT_FOLLOWED = 'parse/netsh-script-not-followed';

/** Commands one command inside nested literal loops may expand into; past it, the loop variables stay unknown (FW303). */
const MAX_LOOP_COMMANDS = 1024;
/** Cases one variable assigned under conditions may have (`if "%1"=="dev" set CIDR=any`); past it, it is unknown. */
const MAX_VARIABLE_CASES = 8;
/** Variables with several cases at once; past it, another conditional assignment makes its variable unknown. */
const MAX_VARIABLES_WITH_CASES = 64;
/** Commands all literal loops and variable cases of one script may add, so that a hostile script cannot make millions of rules. */
const MAX_LOOP_COMMANDS_PER_SCRIPT = 20_000;
/** Longest logical line we join from continuations; beyond it the rest is read as new lines. */
const MAX_LOGICAL_LINE_CHARS = 1_000_000;
/** Lines a PowerShell collection written over several lines (`$h = @{` … `}`) may take after its first. */
const MAX_COLLECTION_LINES = 256;
/**
 * Lines below a PowerShell script block's first line searched for its `}`: an `Invoke-Command` block's, for the
 * parameters after it, and a `foreach` body's, for a `break` in it.
 */
const MAX_SCRIPT_BLOCK_LINES = 500;
const NETSH_PROGRAM = /^@?(?:.*[\\/])?netsh(?:\.exe)?$/i;
const TYPOGRAPHIC_QUOTES: ReadonlyMap<string, string> = new Map([
  ['\u201c', '"'], ['\u201d', '"'], ['\u201e', '"'], ['\u2018', "'"], ['\u2019', "'"], ['\u201a', "'"], ['\u201b', "'"],
]);
/** First words of commands that only print or store their arguments. */
const NOT_RUN = /^@?(?:echo[.:(]?|rem|set|title|write-\w+|out-\w+|findstr|find|select-string|type|more)$/i;
/** A cmd `REM` comment command, as the text after a `&` begins. */
const REM_COMMAND = /^@?rem(?:\s|$)/i;
const VERBS: ReadonlySet<string> = new Set(['add', 'set', 'delete']);
const LEGACY_OBJECTS: ReadonlySet<string> = new Set(['portopening', 'allowedprogram', 'service', 'icmpsetting']);
/** Legacy objects `set` alone accepts: built-in exceptions, always there, that `set` turns on or off. */
const LEGACY_SET_ONLY: ReadonlySet<string> = new Set(['service', 'icmpsetting']);
/** How deep wrappers may nest (`iex "cmd /c …"`); a variable that runs itself would go on forever. */
const MAX_WRAPPER_DEPTH = 4;
/** A cmd variable's value that runs netsh when it is a command's program (`netsh advfirewall firewall`, `"C:\…\netsh.exe"`). */
const NETSH_VALUE = /^\s*"?@?(?:\S*[\\/])?netsh(?:\.exe)?(?:[\s"]|$)/i;
/** A netsh firewall command somewhere in a command's text. */
const NETSH_FIREWALL_TEXT = /(?:^|[\s\\/(&|;{=])netsh(?:\.exe)?\s[\s\S]*\b(?:advfirewall|firewall)\b/i;

/** Where each piece of a logical line (a physical line, or its part after a continuation) starts in the source. */
interface Piece {
  textStart: number;
  line: number;
  column: number;
  /** A value put in for a reference (`%1` in a called subroutine): the reference's length in the source, which every character of the value is placed in. */
  sourceWidth?: number;
}

class LogicalLine {
  text = '';
  readonly pieces: Piece[] = [];
  startLine = 0;
  endLine = 0;
  /**
   * Where every character is, for a command line that is not written out in the source as it is read (a wrapper's
   * argument after variables were expanded): its argument's place.
   */
  pinned?: { line: number; column: number };

  append(physical: string, line: number, column = 1, sourceWidth?: number): void {
    if (this.pieces.length === 0) this.startLine = line;
    const piece: Piece = { textStart: this.text.length, line, column };
    if (sourceWidth !== undefined) piece.sourceWidth = sourceWidth;
    this.pieces.push(piece);
    this.text += physical;
    this.endLine = line;
  }

  /** Appends `source.text[from, to)` where it is in the source. */
  appendSlice(source: LogicalLine, from: number, to: number): void {
    let at = from;
    while (at < to) {
      // One piece at a time: positions run on within a piece only.
      const next = source.pieces.find((piece) => piece.textStart > at)?.textStart ?? Infinity;
      const end = Math.min(to, next);
      const position = source.positionAt(at);
      this.append(source.text.slice(at, end), position.line, position.column);
      at = end;
    }
  }

  /** Source position of a character offset in `text`. */
  positionAt(offset: number): { line: number; column: number } {
    if (this.pinned !== undefined) return this.pinned;
    let low = 0;
    let high = this.pieces.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.pieces[mid]!.textStart <= offset) low = mid;
      else high = mid - 1;
    }
    const piece = this.pieces[low]!;
    const within = offset - piece.textStart;
    return { line: piece.line, column: piece.column + (piece.sourceWidth === undefined ? within : Math.min(within, piece.sourceWidth - 1)) };
  }

  /** Range of `text[start, end)`. */
  rangeOf(start: number, end: number): SourceRange {
    const from = this.positionAt(start);
    const to = this.positionAt(Math.max(start, end - 1));
    return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column + 1 };
  }
}

/** One case of a cmd command whose program is a variable with cases (`programCases`), and the variables it is read from. */
interface ProgramCase {
  name: string;
  value: string | undefined;
  cases: VariableCase[];
  added: string[];
  variables: Map<string, string | undefined | VariableCase[]>;
}

/** One value a variable may have (undefined: unknown) and the conditions it has it under (`Rule.branch` literals). */
interface VariableCase {
  value: string | undefined;
  when: string[];
}

/** What one command is replayed over: a literal loop's items, or the cases of a variable assigned under conditions. */
interface Substitution {
  /** How the variable is written where it is used: `%%p`, `%CIDR%`, `!CIDR!`, `$cidr`. */
  references: string[];
  cases: VariableCase[];
  /** A literal loop's items. */
  isLoop?: true;
}

export interface Token {
  parts: string[];
  start: number;
  end: number;
  unresolved?: string;
  /** cmd: the first reference expanded outside quotes to a value with a blank in it (`splitReference` of `ScriptArg`). */
  splitReference?: string;
}

/**
 * Reads the netsh firewall commands of a script (formats.md §4.4): comments (`REM`, `::`, `#`, PowerShell `<# #>`)
 * give annotations, cmd `^` and PowerShell backtick continuations join lines, quotes and escapes are removed,
 * `set NAME=value` / `$name = 'value'` variables are expanded and any other reference is marked unresolved,
 * redirections and chained commands (`>nul 2>&1`, `&&`, `|`) are cut off. Every other line is ignored. `callLineBudget`:
 * the lines all followed calls may read (smaller in tests).
 */
export function readNetshScript(lines: readonly string[], file: string, dialect: ScriptDialect, callLineBudget = MAX_CALL_LINES): ScriptReading {
  if (dialect === 'plain') return readWithoutCalls(lines, file, dialect);
  // A subroutine (cmd) or function (PowerShell) only calls reach is read through its calls alone, unless one of them
  // is not followed (recursion, too deep, the line budget spent, a PowerShell use fwlint does not follow): then, as
  // before, where it is written too. Which calls those are shows only once the script is read, so it is read again
  // without those. A body read where written may hold calls that are then not followed (the budget spent sooner, error
  // handling): past MAX_READINGS, no call is followed, so that no call's commands are read both at it and where written.
  const labels = dialect === 'cmd' ? scanLabels(lines) : { lines: new Map(), called: new Set<string>(), jumpedFrom: new Map() };
  const functionNames = dialect === 'powershell' ? definedFunctionNames(lines) : new Set<string>();
  const occurrences = functionNameOccurrences(lines, functionNames);
  if (dialect === 'powershell' && occurrences.size === 0) return readWithoutCalls(lines, file, dialect);
  const readWhereWritten = new Set<string>();
  let lastUnfollowed: SourceRange | undefined;
  for (let reading = 1; reading <= MAX_READINGS; reading++) {
    const readOnlyThroughCalls = dialect === 'cmd' ? labelsReachedOnlyThroughCalls(labels, readWhereWritten)
      : new Set([...occurrences.keys()].filter((name) => !readWhereWritten.has(name)));
    const calls: CallState = {
      labels, readOnlyThroughCalls, notFollowed: new Map(), linesLeft: callLineBudget, lineBudget: callLineBudget, active: [], hasWarnedBudget: false,
      functions: new Map(), followedAt: [], readLines: new Set(), skippedLines: new Set(),
    };
    const reader = new ScriptLexer(lines, file, dialect, 0, calls);
    reader.run();
    // A PowerShell function named where fwlint followed no call (`& $name`, `${function:Open-Rdp}`, a string) may run there.
    // A use in a body only calls reach, skipped where written, is judged where that body is read.
    const followedAt = new Set(calls.followedAt);
    const isUnfollowedUse = (at: string): boolean => {
      const line = Number(at.slice(0, at.indexOf(':')));
      return !followedAt.has(at) && (calls.readLines.has(line) || !calls.skippedLines.has(line));
    };
    const missed = [...readOnlyThroughCalls].filter((name) => calls.notFollowed.has(name) || (calls.functions.has(name) && occurrences.get(name)!.some(isUnfollowedUse)));
    if (missed.length === 0) return { commands: reader.commands, annotations: inSourceOrder(reader.annotations), diagnostics: reader.diagnostics, cmdletLines: reader.cmdletLines };
    for (const name of missed) readWhereWritten.add(name);
    lastUnfollowed = missed.map((name) => calls.notFollowed.get(name) ?? occurrenceRange(occurrences.get(name)!.find(isUnfollowedUse)!))
      .sort((a, b) => a.startLine - b.startLine || a.startColumn - b.startColumn)[0];
  }
  const reading = readWithoutCalls(lines, file, dialect);
  const [bodies, unknown] = dialect === 'powershell' ? ['function', 'its parameters'] : ['subroutine', 'its arguments %1 to %9'];
  reading.diagnostics.unshift(warningDiagnostic('parse/netsh-call-not-followed', file,
    `no call of this script is followed: reading where it is written each ${bodies} whose calls fwlint does not follow ` +
      `(this call is among the last found) left further calls unfollowed, ${MAX_READINGS} times over; so every ${bodies} ` +
      `is read only where it is written, ${unknown} unknown (FW303)`,
    lastUnfollowed!));
  return reading;
}

/** The script read as fwlint did before it followed calls: every subroutine or function only where it is written. */
function readWithoutCalls(lines: readonly string[], file: string, dialect: ScriptDialect): ScriptReading {
  const reader = new ScriptLexer(lines, file, dialect);
  reader.run();
  return { commands: reader.commands, annotations: reader.annotations, diagnostics: reader.diagnostics, cmdletLines: reader.cmdletLines };
}

/** A `line:column` of `functionNameOccurrences` as a one-character range. */
function occurrenceRange(at: string): SourceRange {
  const [line, column] = at.split(':').map(Number) as [number, number];
  return { startLine: line, startColumn: column, endLine: line, endColumn: column + 1 };
}

/** Readings of a script that follow calls (`readNetshScript`); past them, the script is read without following any. */
const MAX_READINGS = 4;

/** What the calls of one reading of a cmd or PowerShell script share. */
interface CallState {
  labels: ScriptLabels;
  /**
   * Labels (cmd) or functions (PowerShell, lower-case) whose lines are read only through the calls that reach them
   * (none reached them otherwise).
   */
  readOnlyThroughCalls: ReadonlySet<string>;
  /** Labels or functions some call to which was not followed (or was error handling), each with its first such call: read where written too. */
  notFollowed: Map<string, SourceRange>;
  linesLeft: number;
  /** The lines all followed calls may read (MAX_CALL_LINES unless a test gives another). */
  lineBudget: number;
  /** The labels or functions of the calls being followed, outermost first. */
  active: string[];
  hasWarnedBudget: boolean;
  /** The PowerShell functions defined at the script's top level so far, by name, lower-case; `line` is an index. */
  functions: Map<string, FunctionDefinition & { parameters?: FunctionParameter[] | undefined }>;
  /**
   * Where the PowerShell function calls followed are written, `line:column` (`functionNameOccurrences`), in the order
   * followed: a call undone (past the budget) takes back those made inside it.
   */
  followedAt: string[];
  /** PowerShell: lines (1-based) whose commands were read, and lines whose commands were skipped as a body only calls reach. */
  readLines: Set<number>;
  skippedLines: Set<number>;
}

/**
 * A called subroutine or function being read: its label (or the function's name), the call's arguments (cmd; a
 * function's parameters are variables of its reading) and the conditions the call runs under.
 */
interface CallFrame {
  label: string;
  args?: CallArguments;
  conditions: string[];
}

/** Variables as they were at a `setlocal` in a called subroutine, for its `endlocal` (or the subroutine's end). */
interface LocalScope {
  variables: Map<string, string | undefined | VariableCase[]>;
  namesWithCases: Set<string>;
  isDelayedExpansion: boolean;
}

/** The variables a cmd call being followed changed, as they were before it (`undefined`: not set), for it to be undone. */
interface VariableUndo {
  before: Map<string, { value: string | undefined | VariableCase[] } | undefined>;
  isDelayedExpansion: boolean;
}

/** Annotations in source order, each once: the comments of a subroutine are read by each of its calls too. */
function inSourceOrder(annotations: readonly Annotation[]): Annotation[] {
  const seen = new Set<string>();
  const unique = annotations.filter((annotation) => {
    const key = `${annotation.range.startLine}:${annotation.range.startColumn}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn);
}

class ScriptLexer {
  readonly commands: ScriptCommand[] = [];
  readonly annotations: Annotation[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** `ScriptReading.cmdletLines`, shared with the readings of calls and wrapped command lines. */
  cmdletLines = new Set<number>();
  /**
   * Variables the script sets, lower-case names; `undefined` value = set at run time (`set /p`), so unresolved;
   * cases for one set under conditions, each command using it replayed once per case (`expandCases`).
   */
  private variables = new Map<string, string | undefined | VariableCase[]>();
  private namesWithCases = new Set<string>();
  /** PowerShell variables assigned a literal `@(…)` or `@{…}` (their `variables` value is unknown), for splats. */
  private collections = new Map<string, LiteralCollection>();
  /**
   * Hashtable entries changed under conditions (`if ($Dev) { $p.RemoteAddress = 'Any' }`): the variable holding their
   * cases (`p.remoteaddress`) → the reference the entry was left holding, while it still holds it.
   */
  private collectionCases = new Map<string, string>();
  private isDelayedExpansion = false;
  /**
   * cmd: the variables as they were when cmd read the line, or the `( … )` block, being read, for `%VAR%`: cmd expands
   * `%VAR%` once when it reads a line or a whole block (`if … ( … )`, `for … do ( … )`), before any command in it runs,
   * so a `set` there changes only what `!VAR!` (delayed expansion) gives later in it. Undefined while the variables
   * are still as they were then (taken before the first change, `keepPercentVariables`).
   */
  private percentVariables: { variables: Map<string, string | undefined | VariableCase[]>; namesWithCases: Set<string> } | undefined;
  /** netsh context entered by a `netsh -f` script line such as `advfirewall firewall`. */
  private context: string[] = [];
  private readonly flow: ScriptFlow;
  private loopBudget = MAX_LOOP_COMMANDS_PER_SCRIPT;
  /** The lines of a subroutine only calls reach, met where they are written: read through the calls instead. */
  private isSkippingSubroutine = false;
  private readonly localScopes: LocalScope[] = [];
  /** A called subroutine stopped when the script's call line budget ran out. */
  private isTruncated = false;
  private readonly mergedDiagnostics = new Set<string>();
  /** In a called PowerShell function: the variables it assigns that outlive the call (`$script:`, `$global:`, `$env:`). */
  private readonly outerAssignments = new Set<string>();
  /** In a cmd subroutine being followed: the variables as they were before the outermost such call (`undoCall`). */
  private undo: VariableUndo | undefined;

  /** `calls`: a cmd script's labels and calls (`readNetshScript`); `frame`: the call whose subroutine this reads. */
  constructor(
    private readonly lines: readonly string[],
    private readonly file: string,
    private readonly dialect: ScriptDialect,
    private readonly depth = 0,
    private readonly calls?: CallState,
    private readonly frame?: CallFrame,
  ) {
    // In a called PowerShell function, an `if` over a parameter bound at the call is decided for that call.
    const knownValue = (name: string): string | undefined => {
      const value = this.variables.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const isCalledFunction = dialect === 'powershell' && frame !== undefined;
    // Bounded, so that many script blocks cost linear time; a block not closed within it is not taken to run at once.
    const linesAfter = (line: number): string => lines.slice(line, line + MAX_SCRIPT_BLOCK_LINES).join('\n');
    const trapGoesOn = dialect === 'powershell' && frame === undefined && topLevelTrapGoesOn(lines);
    this.flow = new ScriptFlow(dialect, frame?.conditions, isCalledFunction ? frame.label : undefined, isCalledFunction ? knownValue : undefined, linesAfter, trapGoesOn);
  }

  /** Reads the script from line index `from`: a called subroutine from its label to where it returns. */
  run(from = 0): void {
    const { lines } = this;
    let isInBlockComment = false;
    let hereStringEnd: string | undefined;
    for (let index = from; index < lines.length; index++) {
      const line = lines[index]!;
      const trimmed = line.trimStart();
      if (hereStringEnd !== undefined) {
        // PowerShell here-string body: data, not commands (it may well quote netsh lines).
        if (line.startsWith(hereStringEnd)) hereStringEnd = undefined;
        continue;
      }
      if (this.dialect === 'powershell' && hereStringEndOf(line) !== undefined) {
        hereStringEnd = hereStringEndOf(line);
        continue;
      }
      let from = 0;
      if (isInBlockComment) {
        const close = line.indexOf('#>');
        this.noteComment(close === -1 ? line : line.slice(0, close + 2), index + 1, 1);
        if (close === -1) continue;
        isInBlockComment = false;
        // Code may follow the comment on its last line: PowerShell reads it.
        if (line.slice(close + 2).trim() === '') continue;
        from = close + 2;
      } else if (this.dialect !== 'cmd' && trimmed.startsWith('<#')) {
        this.noteComment(trimmed, index + 1, line.length - trimmed.length + 1);
        isInBlockComment = !trimmed.slice(2).includes('#>');
        continue;
      }
      if (from === 0 && /^(?:@?\s*rem(?:\s|$)|::|#)/i.test(trimmed)) {
        this.noteComment(trimmed, index + 1, line.length - trimmed.length + 1);
        continue;
      }
      if (this.calls !== undefined) {
        const path = this.pathAt(line, index);
        if (path === 'stop') break;
        if (path === 'skip') continue;
      }
      const logical = new LogicalLine();
      index = this.appendCode(logical, index, from);
      while (index + 1 < lines.length && logical.text.length < MAX_LOGICAL_LINE_CHARS) {
        const cut = this.continuationAt(logical.text);
        if (cut === undefined) break;
        if (cut.isBroken) {
          // The escaped space adds no argument (cmd passes spaces; netsh splits them away): the command ends here.
          this.warnBrokenContinuation(logical, cut.offset);
          logical.text = logical.text.slice(0, cut.offset);
          break;
        }
        logical.text = logical.text.slice(0, cut.offset);
        index = this.appendCode(logical, index + 1);
      }
      if (this.dialect === 'powershell') index = this.joinGroupedCommand(logical, index);
      if (this.dialect === 'powershell') index = this.joinCollectionLines(logical, index);
      this.readLogicalLine(logical);
    }
  }

  /**
   * Appends line `index` from offset `from` (the text before it blank) to `logical`; the index of the last line
   * appended. A PowerShell block comment `<#` that the line leaves open (after code: one at the start of a line is a
   * comment block of its own, `run`) is a blank up to its `#>` lines below, as PowerShell reads it: the statement goes
   * on after the `#>`.
   */
  private appendCode(logical: LogicalLine, index: number, from = 0): number {
    const line = this.lines[index]!;
    const open = this.dialect !== 'powershell' ? undefined : unclosedBlockCommentAt(line, from);
    if (open === undefined) {
      logical.append(' '.repeat(from) + line.slice(from), index + 1);
      return index;
    }
    logical.append(' '.repeat(from) + line.slice(from, open), index + 1);
    this.noteComment(line.slice(open), index + 1, open + 1);
    for (let next = index + 1; next < this.lines.length; next++) {
      const close = this.lines[next]!.indexOf('#>');
      this.noteComment(close === -1 ? this.lines[next]! : this.lines[next]!.slice(0, close + 2), next + 1, 1);
      if (close === -1) continue;
      logical.append(' ', index + 1, open + 1);
      return this.appendCode(logical, next, close + 2);
    }
    return this.lines.length - 1;
  }

  /**
   * A command in grouping brackets (`[void](New-NetFirewallRule …`, `$null = (…`, `(…) | Out-Null`) whose `)` is on a
   * later line: the lines up to it joined to the command, so that the rule is read as written; the index of the last
   * line joined. PowerShell reads `( new-lines pipeline new-lines )` (its parser's ParenthesizedExpressionRule): a
   * command inside ends at a line end not after `|`, `,` or a backtick, as anywhere else, and the `)` then missing
   * is a parse error ("Missing closing ')' in expression") that makes PowerShell run none of the script. That is an
   * error at the line the command breaks; the command is still read as meant, so its findings are there once fixed.
   */
  private joinGroupedCommand(logical: LogicalLine, index: number): number {
    const code = withoutLineComment(logical.text);
    const unclosed = unclosedGroupingAt(code);
    if (unclosed === undefined) return index;
    let text = code;
    const joined: string[] = [];
    // The lines of the command (1-based) and whether PowerShell goes on from each to the next: after a `|`, a `,` or a
    // backtick. Comment lines are skipped.
    const lineEnds = [{ line: index + 1, goesOn: /[|,]$/.test(code.trimEnd()) }];
    for (let next = index + 1; next < this.lines.length && next <= index + MAX_COLLECTION_LINES; next++) {
      // A comment is no part of the command; a line-ending backtick joins as it does elsewhere.
      const written = withoutLineComment(this.lines[next]!).trim();
      const line = written.replace(/(^|\s)`$/, '$1').trimEnd();
      if (written !== '') lineEnds.push({ line: next + 1, goesOn: line !== written || /[|,]$/.test(line) });
      joined.push(line);
      text += ` ${line}`;
      if (closingParenthesis(text, unclosed.open) === undefined) continue;
      if (statementGrouping(text, 0, unclosed.at) === undefined) return index;
      const broken = lineEnds.findIndex((end, at) => !end.goesOn && at < lineEnds.length - 1);
      if (broken !== -1) {
        const { line } = lineEnds[broken]!;
        const opening = logical.positionAt(unclosed.open);
        this.diagnostics.push(errorDiagnostic('parse/netsh-broken-continuation', this.file,
          `the command in the "(" on line ${opening.line} goes on to line ${lineEnds[broken + 1]!.line} without a backtick: PowerShell ends a command at the ` +
            `line end inside brackets too, so it refuses the script ("Missing closing ')' in expression") and runs none of it; ` +
            `fwlint reads the command as meant: end line ${line} with a backtick (or close the bracket there)`,
          { startLine: opening.line, startColumn: opening.column, endLine: opening.line, endColumn: this.lines[opening.line - 1]!.length + 1 }));
      }
      logical.text = code;
      joined.forEach((each, offset) => {
        const at = index + 1 + offset;
        logical.append(' ', at, this.lines[at - 1]!.length + 1);
        logical.append(each, at + 1, this.lines[at]!.length - this.lines[at]!.trimStart().length + 1);
      });
      return next;
    }
    return index;
  }

  /**
   * A PowerShell collection written over several lines (`$h = @{` … `}`, `$a = @(` … `)`) joined to its first line,
   * with the line ends kept (they separate items as `;` and `,` do), so that it is read as the one-line form is; the
   * index of its last line. Lines are joined only when they close a collection fwlint reads (`literalCollection`).
   */
  private joinCollectionLines(logical: LogicalLine, index: number): number {
    const code = withoutLineComment(logical.text);
    const opening = /^\s*\$[A-Za-z_][A-Za-z0-9_]*\s*=\s*((?:\[ordered\]\s*)?@[({][\s\S]*)$/i.exec(code);
    if (opening === null) {
      // An array argument with one item per line (`-LocalPort @(` … `)`).
      const argument = /\s(@\()$/.exec(code);
      return argument === null ? index : this.joinArgumentArray(logical, code, index);
    }
    if (literalCollection(opening[1]!) !== undefined) return index;
    const closing = opening[1]!.endsWith('(') || /^@\(/.test(opening[1]!) ? ')' : '}';
    let text = opening[1]!;
    // Comments between the items are no part of the value (`Port = 445  # SMB`).
    const joined: string[] = [];
    for (let next = index + 1; next < this.lines.length && next <= index + MAX_COLLECTION_LINES; next++) {
      const line = withoutLineComment(this.lines[next]!).trimEnd();
      joined.push(line);
      text += `\n${line}`;
      if (!line.endsWith(closing)) continue;
      // The first line that ends with the closing bracket closes the collection, or it is not one fwlint reads.
      if (literalCollection(text) === undefined) return index;
      logical.text = code;
      this.noteJoinedComments(index + 1, next);
      joined.forEach((each, offset) => {
        const at = index + 1 + offset;
        logical.append('\n', at, this.lines[at - 1]!.length + 1);
        logical.append(each, at + 1);
      });
      return next;
    }
    return index;
  }

  /**
   * The comments of lines `from` to `to` (indexes) joined to a collection's first line without them: a `fwlint:`
   * directive there (`) -RemoteAddress Any # fwlint:ignore …` closing an `@(` argument) applies as on any line.
   */
  private noteJoinedComments(from: number, to: number): void {
    for (let at = from; at <= to; at++) {
      const line = this.lines[at]!;
      const code = withoutLineComment(line);
      if (code.length === line.length) continue;
      const start = line.indexOf('#', code.length);
      this.noteComment(line.slice(start), at + 1, start + 1);
    }
  }

  /**
   * `code` (the logical line without its comment) ends with an array argument's `@(` whose items follow one per line:
   * the lines up to its `)` joined to it, a line end between two items read as the comma PowerShell reads it as, so
   * that the command's words are those of `@(5985, 5986)`; the index of its last line (`index` when it is not an
   * array fwlint reads).
   */
  private joinArgumentArray(logical: LogicalLine, code: string, index: number): number {
    let text = '@(';
    const joined: string[] = [];
    for (let next = index + 1; next < this.lines.length && next <= index + MAX_COLLECTION_LINES; next++) {
      const line = withoutLineComment(this.lines[next]!).trim();
      joined.push(line);
      // The array closes on a line that starts with its `)` (more of the command may follow) or ends with it.
      const close = line.startsWith(')') ? 0 : line.endsWith(')') ? line.length - 1 : -1;
      text += `\n${line.slice(0, Math.max(0, close))}`;
      if (close < 0) continue;
      if (literalCollection(`${text})`)?.kind !== 'array') return index;
      logical.text = code;
      this.noteJoinedComments(index + 1, next);
      let previous = '(';
      joined.forEach((each, offset) => {
        if (each === '') return;
        const at = index + 1 + offset;
        // No blank after `@(` or before `)`: the command's words are then `@(5985,` and `5986)`, as on one line.
        const separator = previous === '(' || each.startsWith(')') ? '' : /,$/.test(previous) || each.startsWith(',') ? ' ' : ', ';
        if (separator !== '') logical.append(separator, at, this.lines[at - 1]!.length + 1);
        logical.append(each, at + 1, this.lines[at]!.length - this.lines[at]!.trimStart().length + 1);
        previous = each;
      });
      return next;
    }
    return index;
  }

  /**
   * Whether line `index` of a cmd script is read on the path this reading follows: a called subroutine's reading
   * stops where it returned (after an unconditional `exit /b`/`goto :eof`, at a label no jump of its own reaches,
   * none reaching one further down either) or when the script's call line budget is spent; the script's own reading
   * skips a subroutine only calls reach.
   */
  private pathAt(line: string, index: number): 'read' | 'skip' | 'stop' {
    if (this.frame !== undefined) {
      if (--this.calls!.linesLeft < 0) {
        this.isTruncated = true;
        return 'stop';
      }
      // A called PowerShell function returns at its closing brace, or at a `return`/`exit` it always runs.
      if (this.dialect === 'powershell') return this.flow.hasLeftCalledFunction || this.flow.isReachedOnlyByJump ? 'stop' : 'read';
    }
    if (this.dialect === 'powershell') return 'read';
    const label = labelOfLine(line);
    if (this.frame !== undefined) {
      if (!this.flow.isReachedOnlyByJump) return 'read';
      if (label === undefined) return 'skip';
      if (this.flow.isJumpTarget(label)) return 'read';
      // `goto :other` past this label: the subroutine goes on below.
      const labelLines = this.calls!.labels.lines;
      return this.flow.jumpTargets.some((target) => (labelLines.get(target) ?? -1) > index) ? 'skip' : 'stop';
    }
    if (this.isSkippingSubroutine) {
      if (label === undefined || this.isReadOnlyThroughCalls(label)) return 'skip';
      this.isSkippingSubroutine = false;
      return 'read';
    }
    if (label !== undefined && this.flow.isReachedOnlyByJump && this.isReadOnlyThroughCalls(label)) {
      this.isSkippingSubroutine = true;
      return 'skip';
    }
    return 'read';
  }

  /**
   * A label the script's own path reaches only through calls: a `goto` this path ran (in a subroutine's section it
   * read by falling through) reaches it here too.
   */
  private isReadOnlyThroughCalls(label: string): boolean {
    return this.calls!.readOnlyThroughCalls.has(label) && !this.flow.isJumpTarget(label);
  }

  /** `text` starts at `column` of `line` and runs to the end of that line. */
  private noteComment(text: string, line: number, column: number): void {
    const range = { startLine: line, startColumn: column, endLine: line, endColumn: column + text.length };
    const annotation = annotationFromComment(text, this.file, range);
    if (annotation !== undefined) this.annotations.push(annotation);
  }

  /**
   * Offset of a line-ending continuation character (cmd `^`, PowerShell backtick) outside quotes, if any. Followed
   * by spaces or tabs it is `isBroken`: cmd and PowerShell then escape the space, not the line end, so the command
   * ends on this line and the next line is a command of its own.
   */
  private continuationAt(text: string): { offset: number; isBroken: boolean } | undefined {
    const end = text.trimEnd();
    const last = end[end.length - 1];
    const isContinuation =
      (last === '^' && this.dialect !== 'powershell') || (last === '`' && this.dialect !== 'cmd');
    if (!isContinuation) return undefined;
    // An odd number of double quotes before it means the character sits inside a quoted string.
    let quotes = 0;
    for (let i = 0; i < end.length - 1; i++) if (end[i] === '"') quotes++;
    return quotes % 2 === 0 ? { offset: end.length - 1, isBroken: end.length < text.length } : undefined;
  }

  /** Warns about a `^`/backtick that does not continue the line because spaces follow it (only on a netsh line). */
  private warnBrokenContinuation(logical: LogicalLine, offset: number): void {
    if (!/\bnetsh\b|-NetFirewall(?:Rule|Profile)\b/i.test(logical.text)) return;
    const character = logical.text[offset] === '^' ? '^' : 'backtick';
    const at = logical.positionAt(offset);
    const next = at.line + 1;
    this.diagnostics.push(warningDiagnostic('parse/netsh-broken-continuation', this.file,
      `the ${character} at the end of line ${at.line} is followed by spaces, so it does not continue the command: ` +
        `Windows runs line ${at.line} alone and line ${next} as a separate command, and fwlint reads them the same ` +
        `way; remove the trailing spaces if line ${next} belongs to the command`,
      logical.rangeOf(offset, logical.text.length)));
  }

  private readLogicalLine(written: LogicalLine): void {
    const logical = this.frame?.args !== undefined ? this.withArguments(written)
      : this.dialect === 'powershell' ? (asBranchAssignments(written) ?? written)
      : written;
    // A line outside any block is read (and its `%VAR%` expanded) anew; one inside a block was read with the block.
    if (this.flow.depth === 0) this.percentVariables = undefined;
    if (this.dialect === 'cmd' && this.readLocalScope(logical.text)) return;
    // A line that may not run (in a block, after `if`, a label only `goto` reaches) gives no certain value: its
    // assignments are read below, as the commands they are, and give the variable one value per case.
    if (!this.flow.isConditional() && (this.dialect !== 'cmd' || this.flow.depth === 0) && this.readAssignment(logical.text)) return;
    const annotationCount = this.annotations.length;
    let hasCommand = false;
    const events = this.tokenize(logical);
    const simples = this.flow.readLine(events, logical.text, logical.endLine, logical.startLine);
    // The latest definition of a name is the one a later call runs.
    const definitions = this.flow.takeDefinitions();
    if (this.calls !== undefined && this.frame === undefined) for (const definition of definitions) this.calls.functions.set(definition.name, { ...definition, line: definition.line - 1 });
    let previous: FlowCommand | undefined;
    for (const simple of simples) {
      const source = previous;
      previous = simple;
      // The body of a function only calls reach is read through them.
      const isSkipped = simple.definedIn !== undefined && this.calls?.readOnlyThroughCalls.has(simple.definedIn) === true;
      if (this.calls !== undefined && this.dialect === 'powershell') for (let line = logical.startLine; line <= logical.endLine; line++) (isSkipped ? this.calls.skippedLines : this.calls.readLines).add(line);
      if (isSkipped) continue;
      if (this.followCall(simple, logical) || this.followFunctionCall(simple, logical) || this.shift(simple)) continue;
      if (this.dialect === 'powershell' && this.changeCollection(simple, logical.text)) continue;
      this.assignInCommand(simple, logical.text);
      const selected = simple.isPiped === true ? this.pipedSelection(source, simple, logical) : undefined;
      const tokens = selected ?? simple.tokens;
      for (const program of this.programCases(tokens, simple.conditions, logical)) {
        if (program?.value === undefined && program !== undefined) {
          const when = program.added.length > 0 ? ` when ${program.added.join(' and ')}` : '';
          this.warnNotRead(tokens, logical, `the command comes from ${shorten(logical.text.slice(tokens[0]!.start, tokens[0]!.end))}, whose value cannot be resolved statically${when}`);
          continue;
        }
        const commandCount = this.commands.length;
        if (program !== undefined) program.variables.set(program.name, program.value);
        const command = this.recognize(tokens, logical, simple.enclosingStatements, selected === undefined && simple.isPiped === true);
        if (program !== undefined) program.variables.set(program.name, program.cases);
        // What a wrapper on this line ran (`cmd /c "netsh …"`, read by `recognize`) runs under this line's conditions
        // (and those of the program's case) and loops too.
        const ran = this.commands.splice(commandCount);
        if (command !== undefined) ran.push(command);
        const conditions = [...simple.conditions, ...(program?.added ?? [])];
        for (const each of ran) {
          if (conditions.length > 0) each.conditions = [...conditions, ...(each.conditions ?? [])];
          for (const expanded of this.expandCases(each, simple.loops)) this.commands.push(expanded);
          hasCommand = true;
        }
      }
    }
    if (hasCommand && this.annotations.length === annotationCount && logical.text.includes('fwlint:')) this.warnDirectiveOutsideComment(logical);
  }

  /**
   * The line with the call's arguments put in for `%1`…`%9`, `%~1`…`%~9` and `%*`, as cmd does before it reads a
   * line; each value placed at its reference. An unknown argument (after a `shift` fwlint cannot follow) stays a
   * reference, unresolved (FW303).
   */
  private withArguments(logical: LogicalLine): LogicalLine {
    let result: LogicalLine | undefined;
    let last = 0;
    for (const match of logical.text.matchAll(/%%|%(~?)([1-9*])/g)) {
      if (match[0] === '%%') continue;
      const value = parameterValue(this.frame!.args!, match[2]!, match[1] === '~');
      if (value === undefined) continue;
      result ??= new LogicalLine();
      result.appendSlice(logical, last, match.index);
      const at = logical.positionAt(match.index);
      result.append(value, at.line, at.column, match[0].length);
      last = match.index + match[0].length;
    }
    if (result === undefined) return logical;
    result.appendSlice(logical, last, logical.text.length);
    result.startLine = logical.startLine;
    result.endLine = logical.endLine;
    return result;
  }

  /**
   * `setlocal` keeps the variables (and the expansion mode) as they are, for its `endlocal`, or the end of the called
   * subroutine or of the script, to restore, at the top level as in a subroutine (true for `endlocal`, when it is all
   * the line does). Under a condition they are taken as run. `endlocal & set X=%X%` keeps a value past the `endlocal`:
   * cmd expanded the line before it ran it, so `%X%` is the value from before the `endlocal`.
   */
  private readLocalScope(text: string): boolean {
    const match = /^\s*@?(setlocal|endlocal)\b(.*)$/is.exec(text);
    if (match === null) return false;
    if (match[1]!.toLowerCase() === 'setlocal') {
      this.localScopes.push({ variables: new Map(this.variables), namesWithCases: new Set(this.namesWithCases), isDelayedExpansion: this.isDelayedExpansion });
      return false;
    }
    this.endLocal();
    return match[2]!.trim() === '';
  }

  private endLocal(): void {
    const scope = this.localScopes.pop();
    if (scope === undefined) return;
    this.keepPercentVariables();
    for (const name of this.variables.keys()) this.noteUndo(name);
    for (const name of scope.variables.keys()) this.noteUndo(name);
    // The maps are the caller's too: restored in place.
    this.variables.clear();
    for (const [name, value] of scope.variables) this.variables.set(name, value);
    this.namesWithCases.clear();
    for (const name of scope.namesWithCases) this.namesWithCases.add(name);
    this.isDelayedExpansion = scope.isDelayedExpansion;
  }

  /**
   * `shift` in a called subroutine: `%2` becomes `%1`, and so on. One that may not run (under a condition, in a loop)
   * or shifts from another place (`shift /2`) leaves the arguments unknown.
   */
  private shift(simple: FlowCommand): boolean {
    const args = this.frame?.args;
    if (args === undefined || !/^@?shift$/i.test(simple.tokens[0]!.parts.join(''))) return false;
    const isCertain = simple.tokens.length === 1 && simple.loops.length === 0 && simple.conditions.length === this.frame!.conditions.length;
    if (isCertain) args.values.shift();
    else args.isUnknown = true;
    return true;
  }

  /**
   * `call :label [args…]` in a cmd script: reads the subroutine's lines from its label to where it returns, with
   * `%1`… bound to the arguments, under the call's conditions, its variables shared with the caller; its commands are
   * the call's, located where they are written. True when the command was a call to a label (followed or not).
   */
  private followCall(simple: FlowCommand, logical: LogicalLine): boolean {
    const calls = this.calls;
    const [first, target] = simple.tokens;
    if (calls === undefined || target === undefined || !/^@?call$/i.test(first!.parts.join(''))) return false;
    const written = target.parts.join('');
    if (!written.startsWith(':')) return false;
    const label = written.slice(1).toLowerCase();
    const at = calls.labels.lines.get(label);
    // `call :eof` and a call to a label the script lacks run nothing.
    if (at === undefined) return true;
    const range = logical.rangeOf(first!.start, simple.tokens[simple.tokens.length - 1]!.end);
    if (this.isCallStopped(label, simple, range, 'the subroutine calls itself')) return true;
    const argumentText = this.expandCmdText(logical.text.slice(target.end, simple.tokens[simple.tokens.length - 1]!.end)).text;
    const child = new ScriptLexer(this.lines, this.file, 'cmd', this.depth, calls, { label, args: callArguments(argumentText), conditions: simple.conditions });
    // The subroutine changes the variables the caller's line or block was expanded with before it ran.
    this.keepPercentVariables();
    // cmd variables have no scope: what the subroutine sets, the caller sees (but for setlocal … endlocal).
    child.variables = this.variables;
    child.namesWithCases = this.namesWithCases;
    child.isDelayedExpansion = this.isDelayedExpansion;
    child.loopBudget = this.loopBudget;
    child.cmdletLines = this.cmdletLines;
    // The outermost call being followed keeps what the variables were before it, for the call to be undone.
    const undo = this.undo ?? { before: new Map(), isDelayedExpansion: this.isDelayedExpansion };
    child.undo = undo;
    const followedBefore = calls.followedAt.length;
    calls.active.push(label);
    child.run(at + 1);
    calls.active.pop();
    // The end of a called subroutine ends its setlocal scopes.
    while (child.localScopes.length > 0) child.endLocal();
    if (child.isTruncated && this.undo === undefined) this.undoCall(undo, followedBefore);
    else this.isDelayedExpansion = child.isDelayedExpansion;
    this.adoptCall(child, label, simple, logical, range);
    return true;
  }

  /**
   * A call of a PowerShell function the script defined above (`Open-Rdp 3389`): reads the function's body with its
   * parameters bound (`bindParameters`), under the call's conditions, as `followCall` does a cmd subroutine; the
   * variables it assigns are its own, but for `$script:`, `$global:` and `$env:` ones. True when the command was a
   * call of such a function (followed or not).
   */
  private followFunctionCall(simple: FlowCommand, logical: LogicalLine): boolean {
    const calls = this.calls;
    if (calls === undefined || this.dialect !== 'powershell') return false;
    const [first] = simple.tokens;
    const name = logical.text.slice(first!.start, first!.end).toLowerCase();
    const definition = calls.functions.get(name);
    if (definition === undefined) return false;
    const range = logical.rangeOf(first!.start, simple.tokens[simple.tokens.length - 1]!.end);
    if (!('parameters' in definition)) definition.parameters = functionParameters(this.lines, definition.line);
    const { parameters } = definition;
    if (this.isCallStopped(name, simple, range, 'the function calls itself', parameters === undefined ? 'its parameter list is not one fwlint reads' : undefined)) return true;
    const child = new ScriptLexer(this.lines, this.file, 'powershell', this.depth, calls, { label: name, conditions: simple.conditions });
    // A function reads the caller's variables; what it assigns is its own (`outerAssignments` aside).
    child.variables = new Map(this.variables);
    child.collections = new Map(this.collections);
    child.namesWithCases = new Set(this.namesWithCases);
    child.cmdletLines = this.cmdletLines;
    const passedCollections = new Map<string, LiteralCollection>();
    for (const [parameter, value] of this.bindParameters(parameters!, simple.tokens.slice(1), logical.text, simple.loops, passedCollections)) child.setVariable(parameter, value);
    // Set after the parameters' values, which would take them back: a change through the parameter is one of the caller's collection.
    for (const [parameter, collection] of passedCollections) child.collections.set(parameter, collection);
    child.loopBudget = this.loopBudget;
    const followedBefore = calls.followedAt.length;
    calls.active.push(name);
    child.run(definition.line);
    calls.active.pop();
    if (child.isTruncated) {
      // The function's own variables were a copy: only the calls followed inside it are taken back.
      if (this.frame === undefined) calls.followedAt.length = followedBefore;
      this.adoptCall(child, name, simple, logical, range);
      return true;
    }
    // Its header not read as the function's where the definition was seen: the body is read where written instead.
    if (!child.flow.hasEnteredCalledFunction) this.markNotFollowed(name, range);
    const at = logical.positionAt(first!.start);
    calls.followedAt.push(`${at.line}:${at.column}`);
    for (const variable of child.outerAssignments) {
      this.setVariable(variable, child.variables.get(variable));
      if (this.frame !== undefined) this.outerAssignments.add(variable);
    }
    this.adoptCall(child, name, simple, logical, range);
    return true;
  }

  /**
   * The values a call's arguments give a function's parameters: positional ones in order, named ones (`-Port 3389`,
   * `-Port:3389`, or an unambiguous prefix of the name) to theirs, a parameter not passed its literal default; the
   * variable of a literal loop the call is in (`foreach ($p in 22, 445) { Open-Port $p }`) gives each item, as cases
   * the body's commands are replayed over (one parameter only: two would pair items that never go together). A value
   * fwlint does not compute (`$(…)`, `@(…)`, a variable it does not know), a parameter without a value, and every
   * parameter when an argument names none of them (a switch, a common parameter) are unknown (FW303).
   */
  private bindParameters(parameters: readonly FunctionParameter[], args: readonly Token[], text: string, loops: readonly LiteralLoop[], collections?: Map<string, LiteralCollection>): Map<string, string | undefined | VariableCase[]> {
    type Value = string | undefined | VariableCase[];
    const passed = new Map<string, Value>();
    const positional: Value[] = [];
    // A collection the script wrote out, passed as `$name`: the parameter holds the same one (a reference).
    const passedCollections = new Map<string, LiteralCollection>();
    const positionalCollections: Array<LiteralCollection | undefined> = [];
    const collectionAt = (at: number): LiteralCollection | undefined => {
      const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(text.slice(args[at]!.start, args[at]!.end));
      return variable === null ? undefined : this.collections.get(variable[1]!.toLowerCase());
    };
    const valueOf = (token: Token | undefined): Value => {
      if (token === undefined) return undefined;
      const written = text.slice(token.start, token.end).toLowerCase();
      const loop = loops.find((each) => each.variable.toLowerCase() === written);
      if (loop !== undefined) return loop.items.map((item) => ({ value: item, when: [] }));
      if (token.unresolved !== undefined || /[(@{[]/.test(written)) return undefined;
      return token.parts.join('');
    };
    /**
     * The value starting at argument `at` and the index of its last argument: an array written with blanks after its
     * commas (`-Port 5985, 5986`) is one argument, as PowerShell's comma binds tighter than arguments are separated,
     * given as the comma list it is without them (`5985,5986`).
     */
    const valueFrom = (at: number, first: Token | undefined = args[at]): { value: Value; last: number } => {
      let last = at;
      const tokens = first === undefined ? [] : [first];
      while (tokens.length > 0 && last + 1 < args.length && /,$/.test(text.slice(tokens[tokens.length - 1]!.start, tokens[tokens.length - 1]!.end))) tokens.push(args[++last]!);
      if (tokens.length <= 1) return { value: valueOf(first), last };
      const items = tokens.map(valueOf);
      return { value: items.some((item) => typeof item !== 'string') ? undefined : items.join(''), last };
    };
    let isUnknown = false;
    let isSplatUnknown = false;
    for (let i = 0; i < args.length; i++) {
      const splat = splattedVariable(text.slice(args[i]!.start, args[i]!.end));
      if (splat !== undefined) {
        isSplatUnknown ||= !bindSplat(this.collections.get(splat), parameters, passed, positional);
        continue;
      }
      const named = /^-([A-Za-z_][A-Za-z0-9_]*)(:?)(.*)$/s.exec(text.slice(args[i]!.start, args[i]!.end));
      if (named === null) {
        const { value, last } = valueFrom(i);
        positional.push(value);
        positionalCollections.push(last === i ? collectionAt(i) : undefined);
        i = last;
        continue;
      }
      const prefix = named[1]!.toLowerCase();
      const exact = parameters.find((parameter) => parameter.name === prefix);
      const matching = exact === undefined ? parameters.filter((parameter) => parameter.name.startsWith(prefix)) : [exact];
      if (matching.length !== 1) {
        isUnknown = true;
        break;
      }
      if (named[2] === ':' && named[3] !== '') {
        const isArray = named[3]!.endsWith(',') && i + 1 < args.length;
        const { value, last } = isArray ? valueFrom(i + 1) : { value: undefined, last: i };
        const written = named[3]!.replace(/^(['"])(.*)\1$/, '$2');
        passed.set(matching[0]!.name, /[$(@{[]/.test(named[3]!) || (isArray && (typeof value !== 'string' || /['"]/.test(named[3]!))) ? undefined : isArray ? `${written}${value as string}` : written);
        i = last;
      } else {
        const { value, last } = valueFrom(i + 1);
        passed.set(matching[0]!.name, value);
        const collection = last === i + 1 ? collectionAt(i + 1) : undefined;
        if (collection !== undefined) passedCollections.set(matching[0]!.name, collection);
        i = last;
      }
    }
    const bound = new Map<string, Value>();
    for (const parameter of parameters) {
      if (isUnknown) bound.set(parameter.name, undefined);
      else if (passed.has(parameter.name)) bound.set(parameter.name, passed.get(parameter.name));
      else if (positional.length > 0) {
        bound.set(parameter.name, positional.shift());
        const collection = positionalCollections.shift();
        if (collection !== undefined) passedCollections.set(parameter.name, collection);
      }
      // A splat fwlint cannot read may set any parameter the call does not set itself.
      else if (isSplatUnknown) bound.set(parameter.name, undefined);
      else bound.set(parameter.name, 'default' in parameter ? parameter.default : undefined);
    }
    const fromLoops = [...bound].filter(([, value]) => Array.isArray(value));
    if (fromLoops.length > 1) for (const [name] of fromLoops) bound.set(name, undefined);
    if (collections !== undefined && !isUnknown) for (const [name, collection] of passedCollections) collections.set(name, collection);
    return bound;
  }

  /**
   * What a followed call's reading gives the caller: its commands (once per item of the call's loops), annotations,
   * warnings. A call that ran out of the line budget gives nothing: it is not followed at all, so that its subroutine's
   * commands are read where written alone, never both there and at the call; the calls it is in are not followed either.
   */
  private adoptCall(child: ScriptLexer, label: string, simple: FlowCommand, logical: LogicalLine, range: SourceRange): void {
    if (child.isTruncated) {
      this.stopAtBudget(label, range);
      return;
    }
    this.loopBudget = child.loopBudget;
    if (child.flow.hasEndedScript) this.flow.exitAfterCall(simple.conditions, logical.endLine);
    // The call's conditions are the commands' already; a call in a literal loop runs them once per item.
    for (const command of child.commands) for (const expanded of this.expandCases(command, simple.loops)) this.commands.push(expanded);
    this.annotations.push(...child.annotations);
    for (const diagnostic of child.diagnostics) {
      const key = `${diagnostic.code}\u0000${diagnostic.range?.startLine}:${diagnostic.range?.startColumn}\u0000${diagnostic.message}`;
      if (this.mergedDiagnostics.has(key)) continue;
      this.mergedDiagnostics.add(key);
      this.diagnostics.push(diagnostic);
    }
  }

  /**
   * Whether a call of the cmd subroutine or PowerShell function `name` is left unfollowed, with the warning a user
   * needs: one run only when a firewall command failed (not on the path fwlint judges, no warning), one past the line
   * budget, one calling itself (`selfCall`), one nested too deep, or `unreadable` (why its definition cannot be bound).
   */
  private isCallStopped(name: string, simple: FlowCommand, range: SourceRange, selfCall: string, unreadable?: string): boolean {
    const calls = this.calls!;
    if (simple.isErrorHandling === true) {
      this.markNotFollowed(name, range);
      return true;
    }
    if (calls.linesLeft <= 0) {
      this.stopAtBudget(name, range);
      return true;
    }
    const why = calls.active.includes(name) ? selfCall
      : calls.active.length >= MAX_CALL_DEPTH ? `it is nested in more than ${MAX_CALL_DEPTH} calls`
      : unreadable;
    if (why === undefined) return false;
    this.warnCallNotFollowed(name, why, range);
    return true;
  }

  /**
   * A call of `name` at `range` that does not fit in the line budget: in a call being followed, that call does not fit
   * either (it is undone, and warned about where the script's own lines make it).
   */
  private stopAtBudget(name: string, range: SourceRange): void {
    if (this.frame === undefined) {
      this.warnCallBudget(name, range);
    } else {
      this.markNotFollowed(name, range);
      this.isTruncated = true;
    }
  }

  /** Once per reading, at the first call the script's own lines make that does not fit: no later call is followed either. */
  private warnCallBudget(label: string, range: SourceRange): void {
    const calls = this.calls!;
    if (!calls.hasWarnedBudget) this.warnCallNotFollowed(label, `the script's calls would run more than ${calls.lineBudget} lines; no call after it is followed either`, range);
    calls.hasWarnedBudget = true;
    this.markNotFollowed(label, range);
  }

  /** A call of `name` at `range` is not followed: the subroutine or function is read where written. */
  private markNotFollowed(name: string, range: SourceRange): void {
    if (!this.calls!.notFollowed.has(name)) this.calls!.notFollowed.set(name, range);
  }

  /** Puts the variables back as they were before the outermost call being followed, and takes back the calls followed in it. */
  private undoCall(undo: VariableUndo, followedBefore: number): void {
    for (const [name, before] of undo.before) {
      if (before === undefined) {
        this.variables.delete(name);
        this.namesWithCases.delete(name);
      } else {
        this.setVariable(name, before.value);
      }
    }
    this.isDelayedExpansion = undo.isDelayedExpansion;
    this.calls!.followedAt.length = followedBefore;
  }

  private warnCallNotFollowed(label: string, why: string, range: SourceRange): void {
    this.markNotFollowed(label, range);
    const message = this.dialect === 'powershell'
      ? `the call of ${shorten(label)} is not followed (${why}): the function's commands are read only where they are written, ` +
        `as when it is called, with its parameters unknown (FW303)`
      : `call :${shorten(label)} is not followed (${why}): the subroutine's commands are read only where they are written, ` +
        'as when the script reaches them there, with its arguments %1 to %9 unknown (FW303)';
    this.diagnostics.push(warningDiagnostic('parse/netsh-call-not-followed', this.file, message, range));
  }

  /**
   * Warns about a `fwlint:` directive on a netsh command line outside a comment fwlint reads (`netsh … & :: fwlint:ignore
   * …`, or in an argument): a suppression that silently did nothing would leave the user believing it applies.
   */
  private warnDirectiveOutsideComment(logical: LogicalLine): void {
    const match = /fwlint:(?:ignore|profile|target)\b/.exec(logical.text);
    if (match === null) return;
    const how = this.dialect === 'powershell' ? 'after " # " at the end of the line' : this.dialect === 'cmd' ? 'after " & REM " at the end of the line' : '';
    this.diagnostics.push(warningDiagnostic('parse/netsh-annotation-not-comment', this.file,
      `${match[0]} is not in a comment fwlint reads, so it applies to nothing; ` +
        `write it in a comment on the line above the command${how === '' ? '' : `, or ${how}`}`,
      logical.rangeOf(match.index, match.index + match[0].length)));
  }

  /** Records `set NAME=value` (cmd) or `$name = 'value'` (PowerShell); true when the line was one. */
  private readAssignment(text: string): boolean {
    if (this.dialect !== 'powershell') {
      const expansion = /^\s*@?setlocal\b.*\b(en|dis)abledelayedexpansion\b/i.exec(text);
      if (expansion !== null) {
        this.isDelayedExpansion = expansion[1]!.toLowerCase() === 'en';
        return true;
      }
      const dynamic = /^\s*@?set\s+\/[ap]\s+"?([^=\s"]+)=/i.exec(text);
      if (dynamic !== null) {
        this.setVariable(dynamic[1]!.toLowerCase(), undefined);
        return true;
      }
      const match = /^\s*@?set\s+(?:"([^=\s"]+)=([^"]*)"|([^=\s"/][^=\s"]*)=(.*))\s*$/i.exec(text);
      // `set X=a & netsh …` is two commands (read by the flow, the line's `%X%` expanded before the set ran).
      if (match !== null && !hasSeparatorOutsideQuotes(text)) {
        const name = (match[1] ?? match[3])!;
        const raw = (match[2] ?? match[4] ?? '').trimEnd();
        const expanded = this.expandCmdText(raw);
        this.setVariable(name.toLowerCase(), expanded.unresolved === undefined ? expanded.text : undefined);
        return true;
      }
      return false;
    }
    const match = /^\s*\$((?:env:)?[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"`$]*)"|'([^']*)'|(\d+))\s*(?:#.*)?$/i.exec(text);
    const collection = match === null ? /^\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*=\s*((?:\[ordered\]\s*)?@[({][\s\S]*)$/i.exec(text) : null;
    // `$ports = 22, 3389` (no `@( )`) is the same array.
    const bare = match === null && collection === null ? /^\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^@(\s,][^,]*,[\s\S]*)$/.exec(withoutLineComment(text)) : null;
    const bareArray = bare === null ? undefined : literalCollection(`@(${bare[2]!})`);
    const literal = collection === null ? (bareArray?.kind === 'array' && bareArray.items.every((item) => item !== undefined) ? bareArray : undefined) : literalCollection(collection[2]!);
    const assigned = collection ?? bare;
    if (literal !== undefined) {
      // No string value: a splat (`netsh @a`, `Open-Port @h`) reads the items.
      this.setVariable(assigned![1]!.toLowerCase(), undefined);
      this.collections.set(assigned![1]!.toLowerCase(), literal);
      return true;
    }
    const copy = match === null ? /^\s*\$((?:env:)?[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\$\S+)\s*(?:#.*)?$/i.exec(text) : null;
    if (copy !== null && this.aliasCollection(copy[1]!.toLowerCase(), copy[2]!)) return true;
    const copied = copy === null ? undefined : this.powerShellAssignedValue(copy[2]!);
    if (copied !== undefined) {
      const name = copy![1]!.toLowerCase();
      this.setVariable(name, copied);
      if (this.frame !== undefined && name.startsWith('env:')) this.outerAssignments.add(name);
      return true;
    }
    if (match === null) {
      // Any other assignment gives the variable a value we do not compute; its right-hand side may still run
      // netsh (`$out = netsh advfirewall …`), so the line is read on.
      const other = /^\s*\$((?:env:)?[A-Za-z_][A-Za-z0-9_]*)\s*[+\-*/]?=/i.exec(text);
      if (other !== null) {
        const name = other[1]!.toLowerCase();
        this.setVariable(name, undefined);
        if (this.frame !== undefined && name.startsWith('env:')) this.outerAssignments.add(name);
      }
      return false;
    }
    const name = match[1]!.toLowerCase();
    this.setVariable(name, match[2] ?? match[3] ?? match[4] ?? '');
    if (this.frame !== undefined && name.startsWith('env:')) this.outerAssignments.add(name);
    return true;
  }

  /**
   * A change to a hashtable or array the script wrote out (`$p.RemoteAddress = 'Any'`, `$p['X'] = …`, `$p.Remove('X')`,
   * `$p.Add('X', v)`, `$a[0] = …`, `collectionChange`), made in place, as PowerShell changes the one object every
   * reference to it shares. It is applied when it runs whenever the script does; under a condition, in a loop or a
   * function, or when fwlint does not compute it, what it may change becomes unknown (FW303), or, when fwlint cannot
   * tell which key, the whole collection (a splat of it is then not read): never the value from before. True when the
   * command was such a change and nothing else.
   */
  private changeCollection(simple: FlowCommand, text: string): boolean {
    const { tokens } = simple;
    if (tokens.length === 0) return false;
    const change = collectionChange(text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end), this.collections);
    if (change === undefined) return false;
    const collection = this.collections.get(change.variable)!;
    const isCertain = simple.conditions.length === 0 && simple.loops.length === 0 && !simple.isInFunction;
    if (change.kind === 'unknown' && change.key === undefined) {
      this.forgetCollection(collection);
      return false;
    }
    if (change.kind === 'item') {
      if (collection.kind === 'array') collection.items[change.index] = isCertain ? literalValue(change.value) : undefined;
      return true;
    }
    if (collection.kind === 'array') return false;
    const written = change.key!;
    const key = written.toLowerCase();
    const setUnknown = (): void => {
      collection.entries.set(key, undefined);
      // Read as a reference fwlint cannot resolve: the splat's value is unknown (FW303), named as the script names it.
      collection.written.set(key, `$${change.variable}.${written}`);
    };
    // The entry's value per case of the conditions it is changed under, as a variable assigned there has them
    // (`casesAfter`), named as the script reads it: `$p.RemoteAddress`, which the cmdlet's argument then holds.
    const caseVariable = `${change.variable}.${key}`;
    const isOnlyConditional = simple.conditions.length > 0 && simple.loops.length === 0 && !simple.isInFunction;
    if (isOnlyConditional && change.kind === 'set' && !change.isAdd && collection.written.has(key)) {
      const lookups = this.cmdletLookups();
      const before = this.collectionCases.get(caseVariable) === collection.written.get(key) ? this.variables.get(caseVariable)
        : splatEntryValue(collection.written.get(key)!, lookups);
      this.setVariable(caseVariable, before);
      this.setVariable(caseVariable, this.casesAfter(caseVariable, splatEntryValue(change.value, lookups), simple.conditions));
      setUnknown();
      this.collectionCases.set(caseVariable, collection.written.get(key)!);
      return true;
    }
    if (this.collectionCases.delete(caseVariable)) this.setVariable(caseVariable, undefined);
    if (!isCertain || change.kind === 'unknown') setUnknown();
    else if (change.kind === 'remove') {
      collection.entries.delete(key);
      collection.written.delete(key);
    } else if (change.kind === 'set' && !(change.isAdd && collection.written.has(key))) {
      // `.Add` of a key the hashtable has fails and changes nothing.
      collection.entries.set(key, literalValue(change.value));
      collection.written.set(key, change.value);
    }
    return change.kind !== 'unknown';
  }

  /**
   * `$b = $a` of a collection the script wrote out: PowerShell copies the reference, so both names are the one
   * hashtable or array, and a change through either is a change of both ("Hashtables … are reference types": the
   * assignment does not copy them); `$b = $a.Clone()` is a copy of its own. True when the assignment was one of these.
   */
  private aliasCollection(name: string, value: string): boolean {
    const source = /^\$([A-Za-z_][A-Za-z0-9_]*)(\.Clone\(\))?$/i.exec(value);
    const collection = source === null ? undefined : this.collections.get(source[1]!.toLowerCase());
    if (collection === undefined || name.startsWith('env:')) return false;
    this.setVariable(name, undefined);
    this.collections.set(name, source![2] === undefined ? collection : cloneCollection(collection));
    return true;
  }

  /**
   * A collection changed where fwlint cannot tell how: no name holding it is read as a splat any more. An alias of it
   * made under a condition, in a loop or a function (`if ($Rdp) { $p = $base }`) is such a change too, as fwlint does
   * not follow what each name holds per case: the changes made through it would otherwise be missed.
   */
  private forgetCollection(collection: LiteralCollection): void {
    for (const [name, each] of this.collections) if (each === collection) this.collections.delete(name);
  }

  /** Keeps what `name` was before the outermost cmd call being followed first changes it. */
  private noteUndo(name: string): void {
    const undo = this.undo;
    if (undo === undefined || undo.before.has(name)) return;
    undo.before.set(name, this.variables.has(name) ? { value: this.variables.get(name) } : undefined);
  }

  /**
   * The value a PowerShell assignment's right-hand side gives: a literal, or a variable alone (`$ip = $Remote`) whose
   * one value fwlint knows, copied as PowerShell copies a string; undefined for anything else.
   */
  private powerShellAssignedValue(text: string): string | undefined {
    const variable = /^\$(?:\{([^}]+)\}|((?:env:)?[A-Za-z_][A-Za-z0-9_]*))$/i.exec(text);
    if (variable === null) return literalValue(text);
    const name = (variable[1] ?? variable[2]!).toLowerCase();
    if (name === 'true' || name === 'false' || name === 'null') return undefined;
    const value = this.variables.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  /** Keeps the variables as cmd expands `%VAR%` on the line or block being read, before they change (`percentVariables`). */
  private keepPercentVariables(): void {
    if (this.dialect === 'powershell' || this.percentVariables !== undefined) return;
    this.percentVariables = { variables: new Map(this.variables), namesWithCases: new Set(this.namesWithCases) };
  }

  private setVariable(name: string, value: string | undefined | VariableCase[]): void {
    this.keepPercentVariables();
    this.noteUndo(name);
    this.variables.set(name, value);
    this.collections.delete(name);
    if (Array.isArray(value)) this.namesWithCases.add(name);
    else this.namesWithCases.delete(name);
  }

  /**
   * One command per item of the literal loops (`for %%p in (22 445) do netsh … localport=%%p`) and per case of the
   * variables assigned under conditions (`if "%1"=="dev" set CIDR=any`) whose variables it uses, all at the command's
   * own lines, a variable's case adding its conditions; the command itself when it uses none, or past
   * MAX_LOOP_COMMANDS (the variables then stay unknown).
   */
  private expandCases<C extends ScriptCommand>(command: C, loops: readonly LiteralLoop[]): C[] {
    const unresolved = command.args.filter((arg) => arg.unresolved !== undefined);
    // A condition over a loop's item (`if "%%p"=="22" netsh …`, `if ($p -eq 22) { continue }`) is decided per item.
    const isInConditions = (reference: string): boolean => (command.conditions ?? []).some((literal) => substituteVariable(literal, reference, '') !== literal);
    if (unresolved.length === 0 && !loops.some((loop) => isInConditions(loop.variable))) return [command];
    // A pass after the first of a loop that may break runs only where no pass before took the break.
    const passCondition = (loop: LiteralLoop, item: string, index: number): string[] => (loop.mayBreak === true && index > 0 ? [`the loop over ${loop.variable} reached ${shorten(item)}`] : []);
    const substitutions: Substitution[] = loops.map((loop) => ({ references: [loop.variable], cases: loop.items.map((item, index) => ({ value: item, when: passCondition(loop, item, index) })), isLoop: true }));
    if (this.dialect === 'powershell') {
      for (const name of this.namesWithCases) substitutions.push({ references: [`$${name}`], cases: this.variables.get(name) as VariableCase[] });
    } else {
      substitutions.push(...this.cmdCaseSubstitutions());
    }
    const isUsed = (substitution: Substitution): boolean =>
      unresolved.some((arg) => substitution.references.some((reference) => substituteVariable(arg.text, reference, '') !== arg.text)) ||
      (substitution.isLoop === true && isInConditions(substitution.references[0]!));
    const used = substitutions.filter(isUsed);
    if (used.length === 0) return [command];
    let bindings: Array<{ cases: VariableCase[]; when: string[] }> = [{ cases: [], when: command.conditions ?? [] }];
    for (const substitution of used) {
      if (bindings.length * substitution.cases.length > MAX_LOOP_COMMANDS) return [command];
      bindings = bindings.flatMap((binding) => substitution.cases.flatMap((each) => {
        // A case that cannot hold where the command runs (`set X=a` under C, used under !C) gives no command.
        const split = splitWorlds(binding.when, each.when);
        if (split.runs === 'never') return [];
        return [{ cases: [...binding.cases, each], when: split.runs === 'always' ? binding.when : [...binding.when, ...split.added] }];
      }));
    }
    if (this.dialect === 'powershell' && used.some((substitution) => substitution.isLoop === true)) {
      bindings = this.powerShellPassesDecided(bindings, used, command.conditions?.length ?? 0, unresolved);
    } else if (used.some((substitution) => substitution.isLoop === true)) {
      // Only the command's own conditions (first in `when`): a variable's case set under a condition over the item
      // (`if "%%p"=="22" set R=any`) stays in force in the iterations after it, so it is not the item's alone.
      const own = command.conditions?.length ?? 0;
      bindings = bindings.flatMap((binding) => {
        let when = binding.when.slice(0, own);
        used.forEach((substitution, index) => {
          if (substitution.isLoop === true) when = when.map((literal) => substituteVariable(literal, substitution.references[0]!, binding.cases[index]!.value!));
        });
        const decided = withComparisonsDecided(when);
        return decided === undefined ? [] : [{ cases: binding.cases, when: [...decided, ...binding.when.slice(own)] }];
      });
    }
    if (bindings.length > this.loopBudget) {
      if (this.loopBudget >= 0) this.warnLoopBudget(command.location);
      this.loopBudget = -1;
      return [command];
    }
    this.loopBudget -= bindings.length;
    return bindings.map((binding) => {
      const args = command.args.map((arg): ScriptArg => {
        if (arg.unresolved === undefined) return arg;
        let text = arg.text;
        used.forEach((substitution, index) => {
          const value = binding.cases[index]!.value;
          // cmd expands before it splits arguments, so quotes in a value only delimit (as `lookup` does).
          if (value === undefined) return;
          const written = this.dialect === 'powershell' ? value : value.replace(/"/g, '');
          for (const reference of substitution.references) text = substituteVariable(text, reference, written);
        });
        if (text === arg.text) return arg;
        const remaining = this.firstReference(text);
        return remaining === undefined ? { text, range: arg.range } : { text, range: arg.range, unresolved: remaining };
      });
      const expanded: C = { ...command, args };
      // A condition decided for the item (`withComparisonsDecided`) may leave none.
      if (binding.when.length > 0) expanded.conditions = binding.when;
      else if ((command.conditions?.length ?? 0) > 0) delete expanded.conditions;
      return expanded;
    });
  }

  /**
   * A PowerShell command's bindings (`expandCases`) with its own conditions (the first `own` of `when`) over the items
   * of its loops decided per item (`powerShellLoopConditionsDecided`): a pass where one does not hold gives no
   * command. An undecided condition stays as written, so passes of a loop its arguments do not use are one command.
   */
  private powerShellPassesDecided(
    bindings: ReadonlyArray<{ cases: VariableCase[]; when: string[] }>, used: readonly Substitution[], own: number, unresolved: readonly ScriptArg[],
  ): Array<{ cases: VariableCase[]; when: string[] }> {
    const isInArgs = used.map((substitution) => unresolved.some((arg) => substitution.references.some((reference) => substituteVariable(arg.text, reference, '') !== arg.text)));
    const seen = new Set<string>();
    return bindings.flatMap((binding) => {
      let when: string[] | undefined = binding.when.slice(0, own);
      used.forEach((substitution, index) => {
        if (substitution.isLoop === true && when !== undefined) when = powerShellLoopConditionsDecided(when, substitution.references[0]!, binding.cases[index]!.value!);
      });
      if (when === undefined) return [];
      const decided = { cases: binding.cases, when: [...when, ...binding.when.slice(own)] };
      const key = JSON.stringify([decided.when, binding.cases.map((each, index) => (isInArgs[index] === true ? used[index]!.cases.indexOf(each) : -1))]);
      if (seen.has(key)) return [];
      seen.add(key);
      return [decided];
    });
  }

  /**
   * The cases a cmd command's variables are replaced by: those `%VAR%` had when cmd read the line or block
   * (`percentVariables`), those `!VAR!` has at the command (under delayed expansion); one substitution for both where
   * they are the same.
   */
  private cmdCaseSubstitutions(): Substitution[] {
    const percent = this.percentVariables ?? { variables: this.variables, namesWithCases: this.namesWithCases };
    const substitutions: Substitution[] = [];
    const names = new Set([...percent.namesWithCases, ...(this.isDelayedExpansion ? this.namesWithCases : [])]);
    for (const name of names) {
      const percentCases = percent.namesWithCases.has(name) ? percent.variables.get(name) as VariableCase[] : undefined;
      const bangCases = this.isDelayedExpansion && this.namesWithCases.has(name) ? this.variables.get(name) as VariableCase[] : undefined;
      if (percentCases !== undefined && percentCases === bangCases) {
        substitutions.push({ references: [`%${name}%`, `!${name}!`], cases: percentCases });
        continue;
      }
      if (percentCases !== undefined) substitutions.push({ references: [`%${name}%`], cases: percentCases });
      if (bangCases !== undefined) substitutions.push({ references: [`!${name}!`], cases: bangCases });
    }
    return substitutions;
  }

  private warnLoopBudget(location: SourceRange): void {
    this.diagnostics.push(warningDiagnostic('parse/netsh-loop-not-expanded', this.file,
      `the loops (and variables set under conditions) of this script would make more than ${MAX_LOOP_COMMANDS_PER_SCRIPT} ` +
        `netsh commands: from line ${location.startLine} on, their variables are left unknown (FW303) instead of being ` +
        'replaced by each item or value', location));
  }

  /** The first variable reference left in an argument's text once loop items and variable cases are put in. */
  private firstReference(text: string): string | undefined {
    const pattern = this.dialect === 'powershell'
      ? /\$(?:\{[^}]+\}|\(|(?:env:)?[A-Za-z_][A-Za-z0-9_]*)/i
      : this.isDelayedExpansion ? /%%~?[A-Za-z]|%(?:~[A-Za-z$:]*)?[0-9*]|%[^%\s"]+%|![^!\s"]+!/ : /%%~?[A-Za-z]|%(?:~[A-Za-z$:]*)?[0-9*]|%[^%\s"]+%/;
    return pattern.exec(text)?.[0];
  }

  /**
   * A variable assigned by a simple command not read as a whole-line assignment: `if "%1"=="dev" set CIDR=any`,
   * `… && set CIDR=any`, `if ($Dev) { $cidr = "any" }`, `$script:cidr = "any"` in a function, `echo x & set X=1`.
   * Under conditions it gets one case per value (the one before where they do not hold); a value fwlint does not
   * compute, or one assigned in a function's own scope, is unknown.
   */
  private assignInCommand({ tokens, conditions, loops, isInFunction }: FlowCommand, text: string): void {
    if (tokens.length === 0) return;
    const raw = text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end);
    let name: string;
    let value: string | undefined;
    if (this.dialect === 'powershell') {
      const match = /^\$(?:(script|global|local|private):)?((?:env:)?[A-Za-z_][A-Za-z0-9_]*)\s*([+\-*/]?)=(?!=)\s*([\s\S]*)$/i.exec(raw);
      if (match === null) return;
      name = match[2]!.toLowerCase();
      const scope = match[1]?.toLowerCase();
      const isScriptScope = scope === 'script' || (scope === undefined && !isInFunction);
      value = match[3] === '' && isScriptScope ? this.powerShellAssignedValue(match[4]!.trim()) : undefined;
      const aliased = match[3] === '' && !name.startsWith('env:') ? /^\$([A-Za-z_][A-Za-z0-9_]*)(\.Clone\(\))?$/i.exec(match[4]!.trim()) : null;
      const collection = aliased === null ? undefined : this.collections.get(aliased[1]!.toLowerCase());
      if (collection !== undefined && conditions.length === 0 && loops.length === 0 && isScriptScope && scope === undefined) {
        this.setVariable(name, undefined);
        this.collections.set(name, aliased![2] === undefined ? collection : cloneCollection(collection));
        return;
      }
      if (collection !== undefined && aliased![2] === undefined) this.forgetCollection(collection);
      if (this.frame !== undefined && (scope === 'script' || scope === 'global' || name.startsWith('env:'))) this.outerAssignments.add(name);
    } else {
      if (!/^@?set$/i.test(tokens[0]!.parts.join(''))) return;
      const dynamic = /^@?set\s+\/[ap]\s+"?([^=\s"]+)=/i.exec(raw);
      const match = /^@?set\s+(?:"([^=\s"]+)=([^"]*)"|([^=\s"/][^=\s"]*)=(.*))$/i.exec(raw);
      if (dynamic !== null) {
        name = dynamic[1]!.toLowerCase();
      } else if (match !== null) {
        name = (match[1] ?? match[3])!.toLowerCase();
        const expanded = this.expandCmdText((match[2] ?? match[4] ?? '').trimEnd());
        // `set PORT=%%p` in a loop over a literal list: the value is the item, put in per item where `!PORT!` is used
        // in the loop (`expandCases`); nothing else unknown in it.
        const withoutItems = loops.reduce((text, loop) => substituteVariable(text, loop.variable, ''), expanded.text);
        value = expanded.unresolved === undefined || (withoutItems !== expanded.text && this.firstReference(withoutItems) === undefined) ? expanded.text : undefined;
      } else {
        return;
      }
    }
    this.setVariable(name, conditions.length === 0 ? value : this.casesAfter(name, value, conditions));
  }

  /** The cases of variable `name` once `value` is assigned to it under `conditions` (undefined past MAX_VARIABLE_CASES). */
  private casesAfter(name: string, value: string | undefined, conditions: readonly string[]): string | undefined | VariableCase[] {
    const before = this.variables.get(name);
    const cases: VariableCase[] = Array.isArray(before) ? before : [{ value: before, when: [] }];
    const after = cases.flatMap((each): VariableCase[] => {
      const split = splitWorlds(each.when, conditions);
      if (split.runs === 'never') return [each];
      if (split.runs === 'always') return [{ value, when: each.when }];
      const assigned = { value, when: [...each.when, ...split.added] };
      if (split.otherwise === undefined) return [each, assigned];
      return [...split.otherwise.map((cell) => ({ value: each.value, when: [...each.when, ...cell] })), assigned];
    });
    const values = new Set(after.map((each) => each.value));
    if (values.size === 1) return after[0]!.value;
    if (after.length > MAX_VARIABLE_CASES || (!this.namesWithCases.has(name) && this.namesWithCases.size >= MAX_VARIABLES_WITH_CASES)) return undefined;
    return after;
  }

  private expandCmdText(text: string): { text: string; unresolved?: string } {
    const token: Token = { parts: [], start: 0, end: 0 };
    for (let i = 0; i < text.length; ) i = this.expandAt(text, i, token);
    return token.unresolved === undefined ? { text: token.parts.join('') } : { text: token.parts.join(''), unresolved: token.unresolved };
  }

  /**
   * Appends the character at `i` to `token`, expanding a variable reference that starts there; returns the next
   * offset. Unresolved references are kept as written and noted on the token.
   */
  private expandAt(text: string, i: number, token: Token, isQuoted = false): number {
    const ch = text[i]!;
    const keep = (length: number): number => {
      const raw = text.slice(i, i + length);
      token.parts.push(raw);
      token.unresolved ??= raw;
      return i + length;
    };
    const lookup = (name: string, length: number, isDelayed = false): number => {
      const variables = isDelayed ? this.variables : (this.percentVariables?.variables ?? this.variables);
      const value = variables.get(name.toLowerCase());
      // A variable with cases is replaced per case once the command is read (`expandCases`).
      if (typeof value !== 'string') return keep(length);
      // cmd expands before it splits arguments, so quotes in a value (`set N="My Rule"`) only delimit.
      token.parts.push(this.dialect === 'powershell' ? value : value.replace(/"/g, ''));
      // A loop's item the value holds (`set PORT=%%p`, `assignInCommand`) is put in per item.
      const item = this.dialect === 'powershell' ? null : /%%~?[A-Za-z]/.exec(value);
      if (item !== null) token.unresolved ??= item[0];
      if (this.dialect === 'cmd' && !isQuoted && hasBlankOutsideQuotes(value)) token.splitReference ??= text.slice(i, i + length);
      return i + length;
    };
    if (this.dialect !== 'powershell' && ch === '%') {
      const forVariable = matchAt(/%%~?[A-Za-z]/y, text, i);
      if (forVariable !== undefined) return keep(forVariable.length);
      if (text[i + 1] === '%') {
        token.parts.push('%');
        return i + 2;
      }
      const argument = matchAt(/%(?:~[A-Za-z$:]*)?[0-9*]/y, text, i);
      if (argument !== undefined) return keep(argument.length);
      const variable = matchAt(/%([^%\s"]+)%/y, text, i);
      if (variable !== undefined) {
        const name = variable.slice(1, -1);
        // `%VAR:~0,3%` and `%VAR:a=b%` compute on the value at run time.
        return name.includes(':') ? keep(variable.length) : lookup(name, variable.length);
      }
    }
    if (this.dialect !== 'powershell' && this.isDelayedExpansion && ch === '!') {
      const variable = matchAt(/!([^!\s"]+)!/y, text, i);
      if (variable !== undefined) return lookup(variable.slice(1, -1), variable.length, true);
    }
    if (this.dialect === 'powershell' && ch === '$') {
      const braced = matchAt(/\$\{([^}]+)\}/y, text, i);
      if (braced !== undefined) return lookup(braced.slice(2, -1), braced.length);
      if (text[i + 1] === '(') return keep(subexpressionLength(text, i));
      const named = matchAt(/\$(?:env:)?[A-Za-z_][A-Za-z0-9_]*/iy, text, i);
      if (named !== undefined) {
        const name = named.slice(1).toLowerCase();
        if (name === 'true' || name === 'false') {
          token.parts.push(name === 'true' ? 'True' : 'False');
          return i + named.length;
        }
        if (name === 'null') return i + named.length;
        return lookup(name, named.length);
      }
    }
    token.parts.push(ch);
    return i + 1;
  }

  /**
   * Splits a logical line into tokens, removing quotes, escapes and redirections, and the separators (unquoted `&`,
   * `|`, PowerShell `;`) and block delimiters (cmd `(` `)`, PowerShell `{` `}`) between them, in order: `ScriptFlow`
   * makes simple commands of them. A PowerShell `#` starting a token begins a trailing comment.
   */
  private tokenize(logical: LogicalLine): LineEvent[] {
    const { text } = logical;
    const isPowerShell = this.dialect === 'powershell';
    const events: LineEvent[] = [];
    let current: Token | undefined;
    let quote: '"' | "'" | undefined;
    /** Open cmd blocks, `if … (netsh …)`, this line's and those above it: an unquoted `)` closes one. */
    let blockDepth = isPowerShell ? 0 : this.flow.depth;
    /** PowerShell: where the statement being read starts (after `;`, `|`, `{`, `}`), and the `)` of its grouping. */
    let statementStart = 0;
    /** The `)` of each grouping read, to the offset after it and any member of the output taken (`).Name`). */
    const groupingCloses = new Map<number, number>();
    const start = (at: number): Token => (current ??= { parts: [], start: at, end: at });
    const finish = (at: number): void => {
      if (current === undefined) return;
      current.end = at;
      events.push({ kind: 'token', token: current });
      current = undefined;
    };
    let i = 0;
    while (i < text.length) {
      // PowerShell also takes typographic quotes as quotes (editors and web pages put them in scripts).
      const ch = isPowerShell ? (TYPOGRAPHIC_QUOTES.get(text[i]!) ?? text[i]!) : text[i]!;
      if (quote === "'") {
        if (ch === "'" && text[i + 1] === "'") {
          current!.parts.push("'");
          i += 2;
        } else if (ch === "'") {
          quote = undefined;
          i++;
        } else {
          current!.parts.push(ch);
          i++;
        }
        continue;
      }
      if (quote === '"') {
        if (ch === '"' && isPowerShell && text[i + 1] === '"') {
          current!.parts.push('"');
          i += 2;
        } else if (ch === '"') {
          quote = undefined;
          i++;
        } else if (ch === '`' && isPowerShell && i + 1 < text.length) {
          current!.parts.push(text[i + 1]!);
          i += 2;
        } else {
          i = this.expandAt(text, i, current!, true);
        }
        continue;
      }
      if (ch === ' ' || ch === '\t') {
        finish(i);
        i++;
        continue;
      }
      if (ch === '"' || (ch === "'" && isPowerShell)) {
        start(i);
        quote = ch;
        i++;
        continue;
      }
      if (isPowerShell && current === undefined && (ch === '(' || ch === '[' || (ch === '$' && text[i + 1] === '('))) {
        // `[void](New-NetFirewallRule …)`, `(New-NetFirewallRule …) | Out-Null`, `$null = $(…)`, `$r = (…).Name`: the
        // command in the brackets runs, only its output is dropped or used.
        const grouping = statementGrouping(text, statementStart, i);
        if (grouping !== undefined) {
          groupingCloses.set(grouping.close, grouping.end);
          i = grouping.open + 1;
          continue;
        }
      }
      if (ch === ')' && isPowerShell && groupingCloses.has(i)) {
        finish(i);
        // A member of the output (`).Name`) is no argument of the command.
        i = groupingCloses.get(i)!;
        continue;
      }
      if ((ch === '^' && this.dialect === 'cmd') || (ch === '`' && isPowerShell)) {
        start(i);
        if (i + 1 < text.length) current!.parts.push(text[i + 1]!);
        i += 2;
        continue;
      }
      if (ch === '<' && isPowerShell && text[i + 1] === '#') {
        // An inline block comment `<# … #>` separates words as a blank does.
        finish(i);
        const end = text.indexOf('#>', i + 2);
        if (end === -1) break;
        i = end + 2;
        continue;
      }
      if (ch === '>' || ch === '<') {
        // Redirection: `>nul`, `2>&1`, `>> log.txt`. A stream number glued before it is not an argument, nor is
        // PowerShell's `*` ("all streams", PowerShell 3+: `*> $null`, `*>&1`).
        if (current !== undefined && (isPowerShell ? /^[\d*]$/ : /^\d$/).test(current.parts.join('')) && current.start === i - 1) current = undefined;
        finish(i);
        i++;
        while (text[i] === '>' || text[i] === '&') i++;
        while (text[i] === ' ' || text[i] === '\t') i++;
        while (i < text.length && !/[\s&|;<>]/.test(text[i]!) && !(text[i] === ')' && blockDepth > 0) && !(isPowerShell && text[i] === '}')) i++;
        continue;
      }
      if ((ch === '(' && !isPowerShell && current === undefined) || (ch === '{' && isPowerShell)) {
        finish(i);
        if (!isPowerShell) blockDepth++;
        events.push({ kind: 'open', at: i });
        i++;
        statementStart = i;
        continue;
      }
      if ((ch === ')' && !isPowerShell && blockDepth > 0) || (ch === '}' && isPowerShell)) {
        if (!isPowerShell) blockDepth--;
        finish(i);
        events.push({ kind: 'close', at: i });
        i++;
        statementStart = i;
        continue;
      }
      if (ch === '&' || ch === '|' || (ch === ';' && isPowerShell)) {
        finish(i);
        const at = i;
        i++;
        while (text[i] === ch) i++;
        events.push({ kind: 'separator', text: text.slice(at, i), at, end: i });
        statementStart = i;
        // cmd: `netsh … & REM fwlint:ignore …` ends the line with a comment (REM takes the rest of the line, `&` too).
        if (ch === '&' && !isPowerShell) {
          let after = i;
          while (text[after] === ' ' || text[after] === '\t') after++;
          if (REM_COMMAND.test(text.slice(after, after + 5))) {
            const column = logical.positionAt(after);
            this.noteComment(text.slice(after), column.line, column.column);
            break;
          }
        }
        continue;
      }
      if (ch === '#' && isPowerShell && current === undefined) {
        const column = logical.positionAt(i);
        this.noteComment(text.slice(i), column.line, column.column);
        break;
      }
      i = this.expandAt(text, i, start(i));
    }
    finish(i);
    return events;
  }

  private recognize(written: Token[], logical: LogicalLine, enclosingStatements: readonly string[] = [], isPiped = false): ScriptCommand | undefined {
    // cmd expands `%NETSH%` (`set NETSH=netsh advfirewall firewall`) before it splits the line, program name included.
    const leading = this.dialect === 'cmd' ? this.spreadLeadingVariable(written, logical) : undefined;
    let tokens = leading === undefined ? written : [...leading, ...written.slice(1)];
    let words = tokens.map((token) => token.parts.join(''));
    let lower = words.map((word) => word.toLowerCase());
    // `echo netsh …` or `Write-Host "netsh …"` prints a command, it does not run it.
    if (lower[0] !== undefined && NOT_RUN.test(lower[0])) return undefined;
    if (this.dialect === 'powershell') lower = lower.map((word, index) => (index === 0 || index === 2 ? withoutNetSecurityModule(word) : word));
    // `New-NetFirewallRule …`, or `$rule = New-NetFirewallRule …` (`$null = …`): the cmdlet runs, its result is kept.
    const isAssigned = tokens[0] !== undefined && /^\$/.test(logical.text.slice(tokens[0].start, tokens[0].end)) && lower[1] === '=';
    const cmdletAt = this.dialect !== 'powershell' ? -1
      : isFirewallRuleCmdlet(lower[0] ?? '') ? 0
      : isAssigned && isFirewallRuleCmdlet(lower[2] ?? '') ? 2
      : -1;
    if (cmdletAt !== -1) return this.readRuleCmdlet(tokens.slice(cmdletAt), logical, enclosingStatements, isPiped);
    if (this.dialect === 'powershell' && lower[0] === 'set-netfirewallprofile') {
      // What the replay needs (the inbound default policy) goes with this line's commands, as a wrapper's do.
      const cmdlet = readSetNetFirewallProfile(this.argsOf(tokens.slice(1), logical), lineSpan(this.lines, logical.startLine, logical.endLine), this.file);
      // Run on another computer (Invoke-Command -ComputerName/-Session, -CimSession), it is skipped as netsh there is.
      const runner = enclosingRunner(enclosingStatements) ?? cmdlet.remote;
      if (runner !== undefined) {
        this.warnRemote(tokens, logical, runner.computer, runner.how);
        return undefined;
      }
      this.diagnostics.push(...cmdlet.diagnostics);
      this.commands.push(...cmdlet.commands);
      return undefined;
    }
    const raw = tokens.map((token) => logical.text.slice(token.start, token.end));
    const script = scriptRunBy(words, this.dialect);
    if (script !== undefined) {
      this.warnScriptNotFollowed(script, tokens, logical);
      return undefined;
    }
    const wrapped = wrappedCommandOf(words, raw, this.dialect);
    if (wrapped !== undefined) {
      this.readWrapped(wrapped, tokens, words, raw, logical);
      return undefined;
    }
    let at = lower.findIndex((word) => NETSH_PROGRAM.test(word));
    let path: string[];
    let remote: { computer: string; how: string } | undefined;
    if (at !== -1) {
      // The words a leading `%NETSH%` gave after netsh are spread already.
      const spread = this.spreadNetshArguments(tokens, Math.max(at + 1, leading?.length ?? 0), logical);
      if (spread === undefined) return undefined;
      tokens = spread;
      words = tokens.map((token) => token.parts.join(''));
      lower = words.map((word) => word.toLowerCase());
      // `netsh -c "advfirewall firewall" add rule …` runs the command in that context; `-r HOST` (or Invoke-Command
      // -ComputerName, psexec \\HOST before netsh) on another computer.
      const runner = remoteRunnerOf(lower.slice(0, at)) ?? enclosingRunner(enclosingStatements);
      const invocation = readNetshInvocation(lower, at + 1);
      at = invocation.at;
      const computed = this.computedContext(tokens[at], words[at], logical);
      if (computed !== undefined) {
        this.warnNotRead(tokens, logical, computed);
        return undefined;
      }
      path = invocation.context;
      remote = invocation.remote === undefined ? runner : { computer: invocation.remote, how: 'netsh -r' };
    } else if (this.dialect === 'plain') {
      // `netsh -f` scripts: commands are written from the root (`advfirewall firewall add rule …`) or inside a
      // context entered by a line of context words alone.
      if (this.enterContext(lower)) return undefined;
      at = 0;
      const first = expandCommandWords(lower.slice(0, 1)).words[0];
      const isFromRoot = first === 'advfirewall' || (first === 'firewall' && this.context.join(' ') !== 'advfirewall');
      path = isFromRoot ? [] : this.context;
    } else {
      const program = this.variableProgram(tokens[0], logical);
      if (program !== undefined) this.warnNotRead(tokens, logical, program);
      else if (NETSH_FIREWALL_TEXT.test(words.join(' '))) this.warnNotRead(tokens, logical, 'netsh is run in a way fwlint does not read (inside a string or by another program)');
      return undefined;
    }
    const { words: full, unmatched } = expandCommandWords([...path, ...lower.slice(at)]);
    const isFirewall = full[0] === 'advfirewall' || full[0] === 'firewall';
    if (remote !== undefined) {
      if (isFirewall) this.warnRemote(tokens, logical, remote.computer, remote.how);
      return undefined;
    }
    if (unmatched !== undefined) {
      const why = unmatched.candidates.length === 0
        ? `netsh has no command "${shorten(unmatched.word)}" there`
        : `"${shorten(unmatched.word)}" could be ${unmatched.candidates.join(' or ')}`;
      this.warnNotRead(tokens, logical, why);
      return undefined;
    }
    this.noteFirewallOff(full, logical);
    const location = this.commandSpan(logical, tokens[0]!);
    const host = hostCommandAt(full);
    if (host !== undefined) {
      const command: ScriptCommand = {
        family: 'host', what: host.what, text: `netsh ${full.slice(0, host.argsAt).join(' ')}`,
        args: this.argsOf(tokens.slice(at + host.argsAt - path.length), logical), location,
      };
      if (host.profile !== undefined) command.profile = host.profile;
      return command;
    }
    let family: NetshCommand['family'] | undefined;
    let rest = 0;
    if (full[0] === 'advfirewall' && full[1] === 'firewall' && full[3] === 'rule' && VERBS.has(full[2]!)) {
      family = 'advfirewall';
      rest = 4;
    } else if (full[0] === 'firewall' && LEGACY_OBJECTS.has(full[2] ?? '') && VERBS.has(full[1]!) && (full[1] === 'set' || !LEGACY_SET_ONLY.has(full[2]!))) {
      family = 'legacy';
      rest = 3;
    }
    if (family === undefined) {
      if (!isWithoutRuleEffect(full)) this.warnNotRead(tokens, logical, 'fwlint does not read this firewall command');
      return undefined;
    }
    return {
      family,
      verb: full[rest - 2] as NetshCommand['verb'],
      object: full[rest - 1]!,
      args: this.argsOf(tokens.slice(at + rest - path.length), logical),
      location,
    };
  }

  /**
   * netsh's arguments (from `from`) with those a variable holds spread out, as the shell passes them: in cmd, an
   * unquoted `%VAR%` among the context and command words (before the first `key=value`) is split at blanks, as cmd
   * expands a line before it splits it (`set FW=advfirewall firewall`, `netsh %FW% add rule …`); in PowerShell, a splat
   * `@a` of an array the script writes out (`$a = @('advfirewall', 'firewall', …)`) gives its items. Each piece is
   * placed at its variable. Undefined, with the warning parse/netsh-not-read, for a splat fwlint cannot read.
   */
  private spreadNetshArguments(tokens: readonly Token[], from: number, logical: LogicalLine): Token[] | undefined {
    const result = tokens.slice(0, from);
    let isCommandPath = true;
    for (let i = from; i < tokens.length; i++) {
      const token = tokens[i]!;
      const written = logical.text.slice(token.start, token.end);
      if (written.includes('=')) isCommandPath = false;
      const splatted = this.dialect === 'powershell' ? splattedVariable(written) : undefined;
      if (splatted !== undefined) {
        const collection = this.collections.get(splatted);
        if (collection?.kind !== 'array' || collection.items.some((item) => item === undefined)) {
          this.warnNotRead(tokens, logical, `its arguments come from the splat ${written}, which is not an array of literal values written in the script`);
          return undefined;
        }
        for (const item of collection.items) result.push({ parts: [item!], start: token.start, end: token.end });
        continue;
      }
      if (this.dialect === 'cmd' && isCommandPath && this.cmdWordReference().test(written) && !/["^]/.test(written)) {
        result.push(...this.splitExpandedCmdWord(token, written));
        continue;
      }
      result.push(token);
    }
    return result;
  }

  /**
   * The first word of a cmd command when it is an unquoted `%VAR%` holding several words (`%NETSH% add rule …`), split
   * as cmd splits it; undefined otherwise.
   */
  private spreadLeadingVariable(tokens: readonly Token[], logical: LogicalLine): Token[] | undefined {
    const first = tokens[0];
    if (first === undefined) return undefined;
    const written = logical.text.slice(first.start, first.end);
    if (!this.cmdWordReference().test(written) || /["^]/.test(written)) return undefined;
    const pieces = this.splitExpandedCmdWord(first, written);
    return pieces.length > 1 ? pieces : undefined;
  }

  /**
   * The cases a cmd command is read under when its program is a variable set differently under conditions
   * (`if "%1"=="lab" (set NETSH=netsh -r lab01 advfirewall firewall) else (set NETSH=netsh advfirewall firewall)`, then
   * `%NETSH% add rule …`): one per value that can hold where the command runs, with the conditions it adds, as an
   * argument's variable is replayed per case (`expandCases`); a case whose value is unknown (the variable unset there)
   * has no value, and the command is not read under it. One case of `undefined` for every other command: read it as
   * it is.
   */
  private programCases(tokens: readonly Token[], conditions: readonly string[], logical: LogicalLine): Array<ProgramCase | undefined> {
    const written = tokens[0] === undefined ? '' : logical.text.slice(tokens[0].start, tokens[0].end);
    const name = this.dialect === 'cmd' ? this.programVariable(written) : undefined;
    // `%NETSH%` has the cases it had when the line or block was read, `!NETSH!` those it has now.
    const variables = this.programWordVariables(written);
    const cases = name === undefined ? undefined : variables.get(name);
    if (name === undefined || !Array.isArray(cases) || !cases.some((each) => each.value !== undefined && NETSH_VALUE.test(each.value))) return [undefined];
    return cases.flatMap((each) => {
      const split = splitWorlds(conditions, each.when);
      if (split.runs === 'never') return [];
      return [{ name, value: each.value, cases, added: split.runs === 'always' ? [] : split.added, variables }];
    });
  }

  /** The variables a cmd program word is expanded with (`programCases`). */
  private programWordVariables(written: string): Map<string, string | undefined | VariableCase[]> {
    return /^@?!/.test(written) ? this.variables : (this.percentVariables?.variables ?? this.variables);
  }

  /** The lower-case name of the variable a cmd program word is (`%NETSH%`, `!NETSH!` under delayed expansion). */
  private programVariable(written: string): string | undefined {
    const reference = /^@?(?:%([^%\s"]+)%|!([^!\s"]+)!)$/.exec(written);
    if (reference === null || (reference[2] !== undefined && !this.isDelayedExpansion)) return undefined;
    return (reference[1] ?? reference[2])!.toLowerCase();
  }

  /**
   * Why a command whose program comes from a cmd variable (`%NETSH% add rule …`) is not read, when that variable holds
   * netsh quoted (`set NETSH="netsh advfirewall firewall"`); undefined otherwise. (One set differently under
   * conditions is read per case: `programCases`.)
   */
  private variableProgram(token: Token | undefined, logical: LogicalLine): string | undefined {
    if (token === undefined || this.dialect !== 'cmd') return undefined;
    const written = logical.text.slice(token.start, token.end);
    const name = this.programVariable(written);
    if (name === undefined) return undefined;
    const value = this.programWordVariables(written).get(name);
    if (typeof value !== 'string' || !NETSH_VALUE.test(value)) return undefined;
    // A value with quotes (`set NETSH="netsh advfirewall firewall"`) is one program name to cmd, not netsh and its words.
    return `the command comes from ${shorten(written)}, which holds ${shorten(value)}: cmd runs that as one program name, not netsh and its words`;
  }

  /**
   * A cmd variable reference in a command word: `%VAR%`, and under `setlocal enabledelayedexpansion` also `!VAR!`. cmd
   * expands `!VAR!` after it has split the line, but netsh is a program: it gets the expanded line as one string and
   * splits it into its arguments itself, so `!NETSH! add rule …` (`set NETSH=netsh advfirewall firewall`) and
   * `netsh !FW! add rule …` run as their `%VAR%` forms do.
   */
  private cmdWordReference(isGlobal = false): RegExp {
    const source = this.isDelayedExpansion ? '%([^%\\s"]+)%|!([^!\\s"]+)!' : '%([^%\\s"]+)%';
    return new RegExp(source, isGlobal ? 'g' : '');
  }

  /** A cmd word with its variable references expanded, split at blanks outside quotes as cmd does (quotes removed). */
  private splitExpandedCmdWord(token: Token, written: string): Token[] {
    const expanded = written.replace(this.cmdWordReference(true), (reference, percentName: string | undefined, bangName: string | undefined) => {
      const name = (percentName ?? bangName)!;
      const value = (percentName === undefined ? this.variables : (this.percentVariables?.variables ?? this.variables)).get(name.toLowerCase());
      return typeof value === 'string' && !name.includes(':') ? value : reference;
    });
    if (!/\s/.test(expanded.trim())) return [token];
    const pieces: Token[] = [];
    let current: string | undefined;
    let isQuoted = false;
    for (const ch of expanded) {
      if (ch === '"') {
        isQuoted = !isQuoted;
        current ??= '';
      } else if (!isQuoted && (ch === ' ' || ch === '\t')) {
        if (current !== undefined) pieces.push(this.expandedPiece(current, token));
        current = undefined;
      } else {
        current = (current ?? '') + ch;
      }
    }
    if (current !== undefined) pieces.push(this.expandedPiece(current, token));
    return pieces;
  }

  private expandedPiece(text: string, token: Token): Token {
    const piece: Token = { parts: [text], start: token.start, end: token.end };
    const unresolved = this.cmdWordReference().exec(text);
    if (unresolved !== null) piece.unresolved = unresolved[0];
    return piece;
  }

  /**
   * Why netsh's first context word (`token`, at `word`) is not one fwlint can read, when it comes from a value it does
   * not compute (`netsh %CTX% …` unset, `netsh $cmd.Split(" ")`), or is a PowerShell value holding several words, which
   * netsh gets as one argument; undefined otherwise.
   */
  private computedContext(token: Token | undefined, word: string | undefined, logical: LogicalLine): string | undefined {
    if (token === undefined || word === undefined) return undefined;
    const written = logical.text.slice(token.start, token.end);
    if (token.unresolved !== undefined) return `its context comes from ${shorten(token.unresolved)}, which cannot be resolved statically`;
    // A splat that gets here was spread into its items (`spreadNetshArguments`), which are the words.
    if (this.dialect === 'powershell' && /^[$(]/.test(written) && (/\s/.test(word) || written.includes('('))) {
      return `its context comes from ${shorten(written)}, which fwlint does not compute`;
    }
    return undefined;
  }

  private argsOf(argTokens: readonly Token[], logical: LogicalLine): ScriptArg[] {
    const args: ScriptArg[] = [];
    for (const token of argTokens) {
      const text = token.parts.join('');
      // Block delimiters of `if (…) ( … )` and `{ … }`, and PowerShell's stop-parsing marker, are not arguments.
      if (text === '(' || text === ')' || text === '{' || text === '}' || text === '--%') continue;
      const arg: ScriptArg = { text, range: logical.rangeOf(token.start, token.end) };
      if (token.unresolved !== undefined) arg.unresolved = token.unresolved;
      if (token.splitReference !== undefined) arg.splitReference = token.splitReference;
      args.push(arg);
    }
    return args;
  }

  /**
   * Reads the command line a wrapper runs (`Invoke-Expression "netsh …"`, `cmd /c "netsh …"`, `Start-Process netsh
   * -ArgumentList "…"`) as a line of its own, in the dialect of the program that runs it, at its place in the source.
   */
  private readWrapped(wrapped: WrappedCommand, tokens: readonly Token[], words: readonly string[], raw: readonly string[], logical: LogicalLine): void {
    if (this.depth >= MAX_WRAPPER_DEPTH) {
      if (NETSH_FIREWALL_TEXT.test(words.join(' '))) this.warnNotRead(tokens, logical, 'the command is nested too deeply');
      return;
    }
    const nested = new LogicalLine();
    if (wrapped.programToken !== undefined) {
      const program = logical.positionAt(tokens[wrapped.programToken]!.start);
      nested.append(`${words[wrapped.programToken]!} `, program.line, program.column);
    }
    const written = raw[wrapped.textToken]!;
    const isQuoted = /^["'\u201c\u201d\u201e\u2018\u2019]/.test(written);
    const start = logical.positionAt(tokens[wrapped.textToken]!.start + (isQuoted ? 1 : 0));
    const text = wrapped.isArray === true ? arrayAsCommandLine(written) : words[wrapped.textToken]!;
    nested.append(text, start.line, start.column);
    if (text !== (isQuoted ? written.slice(1, -1) : written)) nested.pinned = start;
    // Rules it creates are located at the whole command, as any other command's.
    nested.startLine = logical.startLine;
    nested.endLine = logical.endLine;
    const child = new ScriptLexer(this.lines, this.file, wrapped.dialect, this.depth + 1);
    // The command line was expanded as this line or block was read.
    for (const [name, value] of this.percentVariables?.variables ?? this.variables) child.variables.set(name, value);
    child.collections = new Map(this.collections);
    child.isDelayedExpansion = this.isDelayedExpansion;
    child.cmdletLines = this.cmdletLines;
    child.readLogicalLine(nested);
    this.commands.push(...child.commands);
    this.annotations.push(...child.annotations);
    this.diagnostics.push(...child.diagnostics);
  }

  /**
   * `Get-NetFirewallRule -DisplayName X | Set-NetFirewallRule …` (or `Remove-`, `Enable-`, `Disable-NetFirewallRule`):
   * a `Get-NetFirewallRule` with only literal selectors (`-DisplayName`, `-Name`, `-Group`, `-DisplayGroup`, one value
   * each; `-ErrorAction` aside) passes the rules those selectors select on the piped cmdlet, so that cmdlet's words
   * with the selectors put in; undefined for any other pipeline (a filter, `Where-Object`, a selector of its own), which
   * stays not read.
   */
  private pipedSelection(source: FlowCommand | undefined, piped: FlowCommand, logical: LogicalLine): Token[] | undefined {
    if (source === undefined || this.dialect !== 'powershell') return undefined;
    const word = (token: Token): string => logical.text.slice(token.start, token.end);
    const [getter, ...selection] = source.tokens;
    const [cmdlet, ...rest] = piped.tokens;
    const name = withoutNetSecurityModule(word(cmdlet!)).toLowerCase();
    if (withoutNetSecurityModule(word(getter!)).toLowerCase() !== 'get-netfirewallrule' || name === 'new-netfirewallrule' || !isFirewallRuleCmdlet(name)) return undefined;
    const selectors: Token[] = [];
    for (let i = 0; i < selection.length; i += 2) {
      const parameter = /^-(displayname|name|group|displaygroup|erroraction|ea)$/i.exec(word(selection[i]!));
      const value = selection[i + 1];
      if (parameter === null || value === undefined || value.unresolved !== undefined || /^-|,$/.test(word(value))) return undefined;
      if (!/^(?:erroraction|ea)$/i.test(parameter[1]!)) selectors.push(selection[i]!, value);
    }
    if (selectors.length === 0 || rest.some((token) => /^-(?:displayname|name|group|displaygroup|all|inputobject)(?::|$)/i.test(word(token)))) return undefined;
    return [cmdlet!, ...selectors, ...rest];
  }

  /**
   * A NetSecurity rule cmdlet (`New-NetFirewallRule`, `Set-`, `Remove-`, `Enable-`, `Disable-NetFirewallRule`) as the
   * netsh command it is equivalent to; skipped, with the warning that says why, when it runs on another computer or
   * policy store, only says what it would do (`-WhatIf`), acts on rules fwlint does not know (piped in), or is refused.
   */
  private readRuleCmdlet(tokens: readonly Token[], logical: LogicalLine, enclosingStatements: readonly string[], isPiped: boolean): FirewallRuleCommand | undefined {
    for (let line = logical.startLine; line <= logical.endLine; line++) this.cmdletLines.add(line);
    const name = withoutNetSecurityModule(tokens[0]!.parts.join(''));
    const words = tokens.slice(1).flatMap((token) => {
      const written = logical.text.slice(token.start, token.end);
      // A bracket written apart (`@( 80, 443 )`) belongs to the array it opens or closes: no block delimiter here.
      if (written === '(' || written === ')') return [{ arg: { text: written, range: logical.rangeOf(token.start, token.end) }, written }];
      return this.argsOf([token], logical).map((arg) => ({ arg, written }));
    });
    const lookups = this.cmdletLookups();
    const location = this.commandSpan(logical, tokens[0]!);
    const reading = readFirewallRuleCmdlet(name, words, isPiped, location, lookups);
    const runner = enclosingRunner(enclosingStatements) ?? (reading.kind === 'remote' ? reading : undefined);
    const range = logical.rangeOf(tokens[0]!.start, tokens[tokens.length - 1]!.end);
    const cmdlet = firewallRuleCmdletSpelling(name);
    if (runner !== undefined) {
      this.warnRemote(tokens, logical, runner.computer, runner.how);
    } else if (reading.kind === 'command') {
      return reading.command;
    } else if (reading.kind === 'other-store') {
      this.diagnostics.push(warningDiagnostic('parse/netsh-remote-host', this.file,
        `this command changes the policy store "${shorten(reading.store)}" (${reading.how}), not this host's own rules: fwlint skips it; ` +
          'a Group Policy store\'s rules reach the computers it applies to, so check one of them by scanning an export of its rules ' +
          '("netsh advfirewall firewall show rule name=all verbose" run there)',
        range));
    } else if (reading.kind === 'not-read') {
      this.diagnostics.push(warningDiagnostic('parse/netsh-powershell-cmdlets', this.file,
        `${cmdlet} on line ${logical.startLine} is not read: ${reading.why}, which fwlint does not follow, so ` +
          `${cmdlet === 'New-NetFirewallRule' ? 'the rule it creates is not checked' : 'the rules it changes or removes are checked as they were before it'}; check the host by scanning an export of its rules ` +
          '("netsh advfirewall firewall show rule name=all verbose > host.txt" after the script has run)',
        range));
    } else if (reading.kind === 'rejected') {
      this.diagnostics.push(warningDiagnostic('parse/netsh-bad-argument', this.file,
        `${cmdlet} on line ${logical.startLine}: ${reading.why}, so PowerShell refuses the command and it changes no rule; it is skipped`,
        range));
    }
    return undefined;
  }

  /** What a rule cmdlet's arguments and splats may name: the collections and the variables with one known value. */
  /**
   * Where a command starting with `first` is located: the whole lines from the one it starts on to the logical line's
   * end. A command after a block comment that opened on a line above (`$x = 1 <# …` then `#> ; New-NetFirewallRule …`)
   * starts below the logical line's first line.
   */
  private commandSpan(logical: LogicalLine, first: Token): SourceRange {
    const startLine = Math.min(Math.max(logical.positionAt(first.start).line, logical.startLine), logical.endLine);
    return lineSpan(this.lines, startLine, logical.endLine);
  }

  private cmdletLookups(): CmdletLookups {
    return {
      collection: (variable) => this.collections.get(variable),
      variable: (variable) => {
        const value = this.variables.get(variable);
        return typeof value === 'string' ? value : undefined;
      },
    };
  }

  /** Warns about a command that runs netsh on another computer (`netsh -r HOST`): its rules are not this host's. */
  private warnRemote(tokens: readonly Token[], logical: LogicalLine, remote: string, how: string): void {
    this.diagnostics.push(warningDiagnostic('parse/netsh-remote-host', this.file,
      `this command runs on the computer "${shorten(remote)}" (${how}), not on the host this file describes: fwlint skips it; ` +
        "check that computer's rules by scanning an export of them (\"netsh advfirewall firewall show rule name=all verbose\" run there)",
      logical.rangeOf(tokens[0]!.start, tokens[tokens.length - 1]!.end)));
  }

  /**
   * Warns about a command that runs another script file (`call other.cmd`, `& .\other.ps1`, `. .\lib.ps1`): fwlint
   * reads each file on its own (one parse unit, one host each) and never runs anything, so what that script does to
   * the firewall is missing from this host's rules.
   */
  private warnScriptNotFollowed(script: string, tokens: readonly Token[], logical: LogicalLine): void {
    this.diagnostics.push(warningDiagnostic(SCRIPT_NOT_FOLLOWED, this.file,
      `this command runs the script "${shorten(script)}", which fwlint does not follow: the rules it adds, changes or deletes are ` +
        'not among this host\'s rules, so rules may be missing from its checks (a script in the scanned folders is checked on its own, ' +
        'as the host named after its file); write the rules in this script, or scan an export of the host\'s rules',
      logical.rangeOf(tokens[0]!.start, tokens[tokens.length - 1]!.end)));
  }

  /** Warns about a netsh firewall command fwlint does not read, so that its rules are never dropped silently. */
  private warnNotRead(tokens: readonly Token[], logical: LogicalLine, why: string): void {
    this.diagnostics.push(warningDiagnostic('parse/netsh-not-read', this.file,
      `netsh command not read: ${why}, so the rules it creates or changes, if any, are not checked`,
      logical.rangeOf(tokens[0]!.start, tokens[tokens.length - 1]!.end)));
  }

  /**
   * Warns about `netsh advfirewall set allprofiles|domainprofile|privateprofile|publicprofile|currentprofile state off`
   * and legacy `netsh firewall set opmode disable`: with the firewall off no rule applies and every port is open,
   * which no rule check can see.
   */
  private noteFirewallOff(full: string[], logical: LogicalLine): void {
    const isAdvfirewallOff =
      full[0] === 'advfirewall' && full[1] === 'set' && /^(?:all|domain|private|public|current)profiles?$/.test(full[2] ?? '') &&
      full[3] === 'state' && full[4] === 'off';
    const isLegacyOff = full[0] === 'firewall' && full[1] === 'set' && full[2] === 'opmode' && (full[3] === 'disable' || full[3] === 'mode=disable');
    if (!isAdvfirewallOff && !isLegacyOff) return;
    const which = isLegacyOff ? 'the current profile' : full[2] === 'allprofiles' ? 'all profiles' : `the ${full[2]!.replace(/profiles?$/, '')} profile`;
    this.diagnostics.push(firewallOffWarning(this.file, which, 'this command turns', lineSpan(this.lines, logical.startLine, logical.endLine)));
  }

  /** Handles a line of netsh context words (`advfirewall firewall`, `firewall`, `..`); true when it was one. */
  private enterContext(written: string[]): boolean {
    // Context words may be abbreviated as elsewhere (`adv fi`); `advfirewall` and `firewall` are the same words at
    // the root and inside advfirewall, so they are written out from the root.
    const expanded = expandCommandWords(written);
    const words = expanded.unmatched === undefined ? expanded.words : written;
    if (words.length === 1 && words[0] === '..') {
      this.context = this.context.slice(0, -1);
      return true;
    }
    if (words.length === 0 || !words.every((word) => word === 'advfirewall' || word === 'firewall')) return false;
    const path = words[0] === 'advfirewall' ? words : [...this.context, ...words];
    this.context = path.length <= 2 ? path : words;
    return true;
  }
}

/**
 * Binds a PowerShell splat (`Open-Port @h`) of a collection the script writes out: a hashtable's entries by parameter
 * name (exact, as PowerShell binds splatted names), an array's items by position; false when it cannot be read (not a
 * literal collection, or a key naming no parameter), so that the caller takes every parameter not set otherwise as
 * unknown rather than its default.
 */
function bindSplat(
  collection: LiteralCollection | undefined,
  parameters: readonly FunctionParameter[],
  passed: Map<string, string | undefined | VariableCase[]>,
  positional: Array<string | undefined | VariableCase[]>,
): boolean {
  if (collection === undefined) return false;
  if (collection.kind === 'array') {
    positional.push(...collection.items);
    return true;
  }
  for (const key of collection.entries.keys()) if (!parameters.some((parameter) => parameter.name === key)) return false;
  for (const [key, value] of collection.entries) passed.set(key, value);
  return true;
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  return match === null ? undefined : match[0];
}

/** Length of a PowerShell `$( … )` subexpression starting at `at`, nested parentheses counted. */
function subexpressionLength(text: string, at: number): number {
  const close = closingParenthesis(text, at + 1);
  return close === undefined ? text.length - at : close - at + 1;
}

/**
 * Offset of a PowerShell block comment's `<#` that `line` opens from offset `from` on and does not close, outside
 * quotes and before a `#` line comment; undefined when there is none.
 */
function unclosedBlockCommentAt(line: string, from: number): number | undefined {
  let quote: string | undefined;
  for (let i = from; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== undefined) {
      if (ch === '`' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '<' && line[i + 1] === '#') {
      const close = line.indexOf('#>', i + 2);
      if (close === -1) return i;
      i = close + 1;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return undefined;
    }
  }
  return undefined;
}

/** Offset of the `)` that closes the `(` at `open`, brackets inside quotes aside; undefined when the text ends first. */
function closingParenthesis(text: string, open: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === '`' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return undefined;
}

/**
 * The opening of a PowerShell command in grouping brackets or a subexpression, its output cast away or not:
 * `(`, `$(`, `[void](`, `[System.Void] $(` (type names are case-insensitive).
 */
const GROUPING_OPEN = /(?:\[(?:System\.)?void\]\s*)?\$?\(/iy;

/**
 * A PowerShell statement that is a command in grouping brackets, its output cast away or assigned: `[void](X …)`,
 * `[System.Void] (X …)`, `(X …) | Out-Null`, `$null = (X …)`, `$null = $(X …)`, `$r = (X …).Name`, where `X` is a
 * command name and the `)`, or a member of the output after it, ends the statement (or a pipeline element): the
 * offsets of its `(` and `)`, and the end of the member taken (after the `)` when none is). `statementStart` is where
 * the statement starts in `text`, `at` where the bracket or cast is.
 */
function statementGrouping(text: string, statementStart: number, at: number): { open: number; close: number; end: number } | undefined {
  if (!/^\s*(?:\$[A-Za-z_][\w:]*\s*=\s*)?$/.test(text.slice(statementStart, at))) return undefined;
  GROUPING_OPEN.lastIndex = at;
  const cast = GROUPING_OPEN.exec(text);
  if (cast === null) return undefined;
  const parenthesis = at + cast[0].length - 1;
  if (!/^\s*[A-Za-z]/.test(text.slice(parenthesis + 1))) return undefined;
  const close = closingParenthesis(text, parenthesis);
  if (close === undefined) return undefined;
  const after = /^(?:\.[A-Za-z_]\w*)*(?=\s*(?:$|[;|}#>]))/.exec(text.slice(close + 1));
  if (after === null) return undefined;
  return { open: parenthesis, close, end: close + 1 + after[0].length };
}

/** A statement's start up to a grouping's `(` followed by a command name: the assignment or blanks, and the opening. */
const UNCLOSED_GROUPING = new RegExp(`^(\\s*(?:\\$[A-Za-z_][\\w:]*\\s*=\\s*)?)(${GROUPING_OPEN.source})\\s*[A-Za-z]`, 'i');

/**
 * Where a PowerShell statement (`code`, from its start) opens grouping brackets around a command that it does not close
 * (`[void](New-NetFirewallRule -DisplayName X`): the offsets of the statement's cast or bracket (`at`) and of the `(`.
 */
function unclosedGroupingAt(code: string): { at: number; open: number } | undefined {
  const match = UNCLOSED_GROUPING.exec(code);
  if (match === null) return undefined;
  const at = match[1]!.length;
  const open = at + match[2]!.length - 1;
  return closingParenthesis(code, open) === undefined ? { at, open } : undefined;
}

/**
 * cmd conditions with a loop's item put in: a comparison of two strings written out (`"22"=="22"`, or negated,
 * `!("3389"=="22")`) is decided, as cmd compares them, quotes included, and left out when it holds; undefined when
 * one does not hold (the command does not run for that item). Strings equal but for case stay a condition: `if /i`
 * is not in the literal.
 */
function withComparisonsDecided(literals: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  for (const literal of literals) {
    const negated = /^!\((.*)\)$/s.exec(literal);
    const sides = literal.includes('…') ? null : /^([^%!^]*?)\s*==\s*([^%!^]*)$/.exec(negated?.[1] ?? literal);
    if (sides === null || (sides[1] !== sides[2] && sides[1]!.toLowerCase() === sides[2]!.toLowerCase())) {
      kept.push(literal);
      continue;
    }
    if ((sides[1] === sides[2]) === (negated === null)) continue;
    return undefined;
  }
  return kept;
}

/** A piece of a line rewritten from another: a part of it, or text put in at a place of it. */
type LinePiece = { from: number; to: number } | { text: string; at: number; width: number };

/**
 * `$x = if (C) { A } elseif (D) { B } else { E }`, or PowerShell 7's `$x = C ? A : B`, written on one line with one
 * value per branch, as the statement PowerShell runs alike: `if (C) { $x = A } elseif (D) { $x = B } else { $x = E }`
 * (an `if` statement's value is the value of the branch taken, `$null` when none is: `else { $x = $null }`), so that
 * each branch's value is read under its case, as the statement form's is. Undefined for any other line.
 */
function asBranchAssignments(logical: LogicalLine): LogicalLine | undefined {
  const code = withoutLineComment(logical.text);
  const target = /^(\s*)(\$[A-Za-z_][\w:]*(?:\.[A-Za-z_]\w*|\[[^\]]*\])*)\s*=(?!=)\s*/.exec(code);
  if (target === null) return undefined;
  const lhs = target[2]!;
  const lhsAt = target[1]!.length;
  // The assignment put in each branch is located at the variable assigned.
  const assign: LinePiece = { text: ` ${lhs} = `, at: lhsAt, width: lhs.length };
  const pieces = ifExpressionPieces(code, target[0].length, assign) ?? ternaryPieces(code, target[0].length, assign);
  if (pieces === undefined) return undefined;
  const lowered = new LogicalLine();
  for (const piece of [{ from: 0, to: lhsAt }, ...pieces, { from: code.length, to: logical.text.length }]) {
    if ('from' in piece) {
      if (piece.to > piece.from) lowered.appendSlice(logical, piece.from, piece.to);
    } else {
      const at = logical.positionAt(piece.at);
      lowered.append(piece.text, at.line, at.column, piece.width);
    }
  }
  lowered.startLine = logical.startLine;
  lowered.endLine = logical.endLine;
  return lowered;
}

/** A branch's value: one expression, no statements after it; a block with nothing in it or several statements is not. */
function isOneValue(body: string): boolean {
  const parts = splitOutsideQuotes(body, /[;\n]/);
  return parts !== undefined && parts.length === 1 && body.trim() !== '';
}

/** `if (C) { A } [elseif (D) { B }]… [else { E }]` from `at` to the end of `code`, each value assigned (`asBranchAssignments`). */
function ifExpressionPieces(code: string, at: number, assign: LinePiece): LinePiece[] | undefined {
  if (!/^if\s*\(/i.test(code.slice(at))) return undefined;
  const pieces: LinePiece[] = [];
  let clause = 'if';
  let i = at;
  for (;;) {
    let open: number;
    if (clause === 'else') {
      open = code.indexOf('{', i);
    } else {
      const close = closingAt(code, code.indexOf('(', i));
      const brace = close === undefined ? null : /\s*\{/y;
      if (brace === null) return undefined;
      brace.lastIndex = close! + 1;
      if (brace.exec(code) === null) return undefined;
      open = brace.lastIndex - 1;
    }
    const end = closingAt(code, open);
    if (end === undefined || !isOneValue(code.slice(open + 1, end))) return undefined;
    pieces.push({ from: i, to: open + 1 }, assign, { from: open + 1, to: end + 1 });
    i = end + 1;
    const next = /\s*(elseif\s*(?=\()|else\s*(?=\{))/iy;
    next.lastIndex = i;
    const match = next.exec(code);
    if (match === null || clause === 'else') break;
    clause = match[1]!.trim().toLowerCase();
  }
  if (code.slice(i).trim() !== '') return undefined;
  if (clause !== 'else') pieces.push({ text: ' else {', at: i - 1, width: 1 }, assign, { text: '$null }', at: i - 1, width: 1 });
  return pieces;
}

/** `C ? A : B` from `at` to the end of `code` (PowerShell 7), as `if (C) { $x = A } else { $x = B }` (`asBranchAssignments`). */
function ternaryPieces(code: string, at: number, assign: LinePiece): LinePiece[] | undefined {
  const operators: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = at; i < code.length; i++) {
    const ch = code[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    // Operators with blanks around them: `$a?.b`, `$env:X` and `[int]::Max` are no ternary.
    else if (depth === 0 && (ch === '?' || ch === ':') && /\s/.test(code[i - 1] ?? '') && /\s/.test(code[i + 1] ?? '')) operators.push(i);
  }
  if (operators.length !== 2 || code[operators[0]!] !== '?' || code[operators[1]!] !== ':') return undefined;
  const [question, colon] = operators as [number, number];
  const condition = code.slice(at, question).trim();
  if (condition === '' || !isOneValue(code.slice(question + 1, colon)) || !isOneValue(code.slice(colon + 1))) return undefined;
  // `($Dev) ? …`: the brackets are the `if`'s own.
  const isBracketed = condition.startsWith('(') && closingAt(condition, 0) === condition.length - 1;
  const conditionFrom = at + (isBracketed ? 1 : 0);
  const conditionTo = at + condition.length - (isBracketed ? 1 : 0);
  return [
    { text: 'if (', at, width: 1 }, { from: conditionFrom, to: conditionTo }, { text: ') {', at: question, width: 1 }, assign,
    { from: question + 1, to: colon }, { text: ' } else {', at: colon, width: 1 }, assign, { from: colon + 1, to: code.length }, { text: ' }', at: code.length - 1, width: 1 },
  ];
}

/** Whether a cmd line chains commands: an `&` or `|` outside quotes, not escaped by `^`. */
function hasSeparatorOutsideQuotes(text: string): boolean {
  let isQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') isQuoted = !isQuoted;
    else if (ch === '^' && !isQuoted) i++;
    else if (!isQuoted && (ch === '&' || ch === '|')) return true;
  }
  return false;
}

/** Whether cmd splits a command line at a blank of `value` once expanded: a space or tab outside its own quotes. */
function hasBlankOutsideQuotes(value: string): boolean {
  let isQuoted = false;
  for (const ch of value) {
    if (ch === '"') isQuoted = !isQuoted;
    else if (!isQuoted && (ch === ' ' || ch === '\t')) return true;
  }
  return false;
}
