import { negateCondition } from '../../model/branch';
import type { ScriptDialect, Token } from './script-reader';
import { remoteRunnerOf, SCRIPT_BLOCK_WORD } from './wrapped-commands';

/** One piece of a logical line, in order, as the script lexer splits it. */
export type LineEvent =
  | { kind: 'token'; token: Token }
  /** cmd `(` where a block may start, PowerShell `{`. `at` is its offset in the line. */
  | { kind: 'open'; at: number }
  /** cmd `)` closing an open `(`, PowerShell `}`. */
  | { kind: 'close'; at: number }
  /** `&`, `&&`, `|`, `||`, PowerShell `;`, as written: `text[at, end)`. */
  | { kind: 'separator'; text: string; at: number; end: number };

/** A simple command and the conditions it runs under (`Rule.branch` literals; none when it runs whenever the script does). */
export interface FlowCommand {
  tokens: Token[];
  conditions: string[];
  /** The loops over literal lists it is in, outermost first: it runs once per item of each (`expandCases`). */
  loops: LiteralLoop[];
  /** In a PowerShell function: its assignments are the function's own (unless `$script:`). */
  isInFunction: boolean;
  /**
   * The statements whose PowerShell script blocks it is in, outermost first (`Invoke-Command -ComputerName HOST
   * -ScriptBlock`): what runs the block may run it on another computer.
   */
  enclosingStatements: string[];
  /** It runs only when a firewall command failed (`netsh … || call :fail`): not on the path fwlint judges. */
  isErrorHandling?: true;
  /** A PowerShell function defined at the script's top level that it is written in, lower-case. */
  definedIn?: string;
  /** It follows a `|`: it gets its input from the command before (`Get-NetFirewallRule … | Set-NetFirewallRule …`). */
  isPiped?: true;
}

/** A PowerShell function defined at the script's top level: its name, lower-case, and the line its header starts on. */
export interface FunctionDefinition {
  name: string;
  line: number;
}

/** A loop over a list written in the script: `for %%p in (22 445) do`, `foreach ($p in 22, 445)`, `22, 445 | ForEach-Object`. */
export interface LiteralLoop {
  /** The loop variable as written where it is used: `%%p`, `$p`, `$_`. */
  variable: string;
  items: string[];
  /**
   * A PowerShell `foreach` whose body may take a `break` (`loopBodyBreak`): a pass after the first runs only where
   * none before took it (`the loop over $p reached 8080`).
   */
  mayBreak?: true;
}

/** What a block opened after a header (`if C (`, `else {`, `function F {`, `foreach (…) {`) runs under. */
interface Header {
  literals: string[];
  loops?: LiteralLoop[];
  /** For an `if`/`elseif`: what a following `else` (or `elseif`) runs under, besides its own condition. */
  elseLiterals?: string[];
  isFunction?: boolean;
  /** A PowerShell function: its name, lower-case, and the line its header starts on. */
  definition?: FunctionDefinition;
  /** The body of the function a call runs (`ScriptFlow` of that call): read as it runs, without a condition of its own. */
  isCalledFunction?: boolean;
  /** A PowerShell function, loop or script block: a `return` in it leaves it, not the script. */
  isReturnScope?: boolean;
  /** A PowerShell script block: the statement it is an argument of. */
  statement?: string;
  /** A PowerShell script block run once, at once (`runsBlockAtOnce`): a `return` in it ends the block. */
  runsAtOnce?: boolean;
  /** A PowerShell `try` block: a `throw` in it goes to its `catch`, not out of the script. */
  isTry?: boolean;
  /**
   * A PowerShell loop or `switch` statement, whose `break`/`continue` ends it (or its pass), or a `trap`, in which
   * `break` rethrows the error: such a statement stops a `break` looking outward (`loopOrScriptEnd`).
   */
  stopsBreak?: boolean;
}

/** What starts a simple command: conditions and loops it runs under, the token its command starts at, the header it is. */
interface Prefix {
  prefix: string[];
  loops?: LiteralLoop[];
  start: number;
  header?: Header;
}

interface Block {
  /** Conditions the block adds to those outside it. */
  literals: string[];
  /** The block is the body of these loops over literal lists: it runs once per item. */
  loops: LiteralLoop[];
  elseLiterals?: string[];
  isFunction: boolean;
  definition?: FunctionDefinition;
  isCalledFunction?: boolean;
  isReturnScope: boolean;
  /** A cmd `(` inside a command's arguments (`echo (x)`): text, not a block of commands. */
  isText: boolean;
  /** A PowerShell script block: the statement it is an argument of (`FlowCommand.enclosingStatements`). */
  statement?: string;
  /**
   * A PowerShell script block run once, at once: `openAt` is where its part of `openLiterals` ends, `returns` how many
   * literals its `return`s taken so far put there, after its own (the lines after them in the block run only where
   * those returns were not taken).
   */
  runsAtOnce?: { openAt: number; returns: number };
  /**
   * The body of a PowerShell `foreach` over a literal list, as `runsAtOnce` for its `continue`s and `break`s taken so
   * far: the lines after them in the body run only where they were not taken, decided per item (`expandCases`).
   */
  loopPass?: { openAt: number; returns: number };
  isTry?: boolean;
  stopsBreak?: boolean;
  /** The `&&`/`||` conditions and pipeline start outside the block, back in force after it. */
  outerChain: string[];
  outerPipelineStart: number;
}

/** A `goto` seen before its label: the conditions at the jump, or the literal it added to the lines after it. */
interface JumpTarget {
  flowLiterals?: string[];
  literal?: string;
}

const CMD_TEST_KEYWORDS: ReadonlySet<string> = new Set(['exist', 'defined', 'errorlevel', 'cmdextversion']);
const CMD_COMPARISONS: ReadonlySet<string> = new Set(['equ', 'neq', 'lss', 'leq', 'gtr', 'geq']);
/** PowerShell statements whose `{ … }` runs zero or more times, or only when something holds. */
const POWERSHELL_LOOPS: ReadonlySet<string> = new Set(['foreach', 'for', 'while', 'do', 'until', 'switch', 'catch', 'trap']);
/** Literals of a command's conditions beyond which "the command did not run" is not split into cases (see `splitWorlds`). */
const MAX_SPLIT_LITERALS = 4;
const MAX_LITERAL_CHARS = 120;
/** Items of a literal loop (`for /l` ranges, PowerShell `1..n` included) fwlint expands; a longer one stays unknown. */
const MAX_LOOP_ITEMS = 256;
/** Conditions a line keeps apart; deeper nesting (or more conditional exits) is one more literal, `DEEPER_CONDITIONS`. */
const MAX_LITERALS = 24;
const DEEPER_CONDITIONS = 'further conditions hold';
/** The condition of a command that never runs (`if "RDP"=="" …`): it and its jumps are dropped. */
const NEVER = '\u0000never';

/**
 * Which commands of a cmd or PowerShell script run only under a condition fwlint cannot decide (README, Windows
 * Firewall): after `if …`, `&&`/`||`, inside `if (…) ( … )`/`else`, `for … do`, PowerShell `if`/`elseif`/`else`,
 * loops, `switch`, script blocks and functions, after a `goto`/`exit` taken under a condition, and after a `:label`
 * that only a `goto`/`call` reaches (a called subroutine's lines read through its call start under the call's conditions). Each condition is a literal as `Rule.branch` writes them (`"%1"=="prod"`,
 * `!$Prod`, `:uninstall is reached`), so that findings can say when a rule exists. Lines are fed in order.
 */
export class ScriptFlow {
  private readonly stack: Block[] = [];
  /** Literals of the open blocks, outermost first, and how many of them are functions. */
  private readonly openLiterals: string[] = [];
  private readonly openLoops: LiteralLoop[] = [];
  private functionDepth = 0;
  private returnScopeDepth = 0;
  /** Conditions every later line runs under: a `goto`/`exit` taken under a condition, a label reached by `goto`/`call`. */
  private flowLiterals: string[] = [];
  /** An unconditional `exit`/`goto` was the last thing run: the lines after it run only when a label is jumped to. */
  private isBroken = false;
  private readonly targets = new Map<string, JumpTarget>();
  /** The block just closed, for an `else`/`elseif` after it. */
  private lastClosed: Block | undefined;
  /** PowerShell: a header ending its line (`if ($x)`, `function F`) whose `{` opens the next line. */
  private carriedHeader: Header | undefined;
  private readonly initialLiteralCount: number;
  /** A cmd `exit` (not `exit /b`) ran whenever the lines read run: a called subroutine ends its caller's script. */
  private isScriptEnded = false;
  /** The last command run was a firewall command (`netsh …`): an exit-code test after it asks whether it failed. */
  private isAfterFirewallCommand = false;
  /** The line the logical line being read starts on. */
  private lineStart = 0;
  /** PowerShell functions defined at the top level since `takeDefinitions` was last asked. */
  private definitions: FunctionDefinition[] = [];
  /** Reading a called PowerShell function: whether its body is still to come, being read, or over. */
  private calledFunctionState: 'before' | 'inside' | 'after' = 'before';

  /**
   * `initialLiterals`: the conditions every line runs under, those of the call that runs a cmd subroutine or a
   * PowerShell function; `calledFunction`: that function's name, lower-case: only its body's commands are read;
   * `valueOf`: in a called PowerShell function, the value a variable (lower-case name) has there when fwlint knows it
   * (a parameter bound at the call), so that an `if` over it is decided per call (`powerShellConditionHolds`);
   * `linesAfter`: the script's text after a (1-based) line, where a script block's statement goes on after its `}`.
   */
  constructor(
    private readonly dialect: ScriptDialect,
    initialLiterals: readonly string[] = [],
    private readonly calledFunction?: string,
    private readonly valueOf?: (name: string) => string | undefined,
    private readonly linesAfter?: (line: number) => string,
    /** PowerShell: the script has a `trap` at its top level that lets it go on after an error (no `break` in it). */
    private readonly trapGoesOn = false,
  ) {
    this.flowLiterals = [...initialLiterals];
    this.initialLiteralCount = initialLiterals.length;
  }

  /** A called PowerShell function's body has been opened. */
  get hasEnteredCalledFunction(): boolean {
    return this.calledFunctionState !== 'before';
  }

  /** A called PowerShell function's body has been read to its closing brace. */
  get hasLeftCalledFunction(): boolean {
    return this.calledFunctionState === 'after';
  }

  /** The PowerShell functions whose body opened at the script's top level since the last time this was asked. */
  takeDefinitions(): FunctionDefinition[] {
    const taken = this.definitions;
    this.definitions = [];
    return taken;
  }

  /** Open blocks: cmd's `)` closes one only while one is open. */
  get depth(): number {
    return this.stack.length;
  }

  /** An unconditional `exit`/`goto` was the last thing run: only a jump reaches the next line. */
  get isReachedOnlyByJump(): boolean {
    return this.isBroken;
  }

  get hasEndedScript(): boolean {
    return this.isScriptEnded;
  }

  /** The labels the `goto`s read so far jump to. */
  get jumpTargets(): string[] {
    return [...this.targets.keys()];
  }

  /** Whether a `goto` read so far jumps to `label`. */
  isJumpTarget(label: string): boolean {
    return this.targets.has(label);
  }

  /** Whether a line starting now runs only under a condition. */
  isConditional(): boolean {
    return this.flowLiterals.length > 0 || this.openLiterals.length > 0;
  }

  /**
   * The simple commands of one logical line (`events` of `text`, from line `startLine` to `endLine`), each with its
   * conditions.
   */
  readLine(events: readonly LineEvent[], text: string, endLine: number, startLine = endLine): FlowCommand[] {
    const commands: FlowCommand[] = [];
    this.lineStart = startLine;
    if (this.dialect === 'plain') {
      // `netsh -f` scripts have no conditions: every command runs.
      let tokens: Token[] = [];
      for (const event of events) {
        if (event.kind === 'token') {
          tokens.push(event.token);
        } else if (event.kind !== 'open' && tokens.length > 0) {
          commands.push({ tokens, conditions: [], loops: [], isInFunction: false, enclosingStatements: [] });
          tokens = [];
        }
      }
      if (tokens.length > 0) commands.push({ tokens, conditions: [], loops: [], isInFunction: false, enclosingStatements: [] });
      return commands;
    }
    const first = events[0];
    if (this.dialect === 'cmd' && first?.kind === 'token' && /^:[^:]/.test(text.slice(first.token.start, first.token.end))) {
      this.label(text.slice(first.token.start + 1, first.token.end).toLowerCase());
      return commands;
    }
    const isPowerShell = this.dialect === 'powershell';
    let chain: string[] = [];
    /** The pipeline before the last `&&` of the statement, and the chain's length before it. */
    let lastAnd: { chainLength: number; pipeline: string } | undefined;
    let pipelineStart = 0;
    let segment: Token[] = [];
    let isAfterPipe = false;
    let carried = this.carriedHeader;
    this.carriedHeader = undefined;
    /** Ends the current simple command; returns the header it was (`if C`, `else`), if it was one. */
    const flush = (): Header | undefined => {
      if (segment.length === 0) return undefined;
      const tokens = segment;
      segment = [];
      const parsed = isPowerShell ? this.powerShellHeader(tokens, text, pipelineStart) : this.cmdPrefix(tokens, text);
      if (parsed.start >= tokens.length) return parsed.header;
      this.lastClosed = undefined;
      // A called function's reading: the lines it starts and ends on may hold other commands.
      if (this.calledFunction !== undefined && this.calledFunctionState !== 'inside') return undefined;
      const local = [...this.openLiterals, ...chain, ...parsed.prefix];
      if (local.includes(NEVER)) return undefined;
      const command = tokens.slice(parsed.start);
      const flowCommand: FlowCommand = {
        tokens: command,
        conditions: unique([...this.flowLiterals, ...local]),
        loops: [...this.openLoops, ...(parsed.loops ?? [])],
        isInFunction: this.functionDepth > 0,
        enclosingStatements: this.stack.flatMap((block) => (block.statement === undefined ? [] : [block.statement])),
      };
      const definition = this.stack[0]?.definition;
      if (definition !== undefined) flowCommand.definedIn = definition.name;
      if (isAfterPipe) flowCommand.isPiped = true;
      commands.push(flowCommand);
      // Error handling (`|| exit /b 1`, `if errorlevel 1 goto :fail` after a netsh command) does not run on the path
      // fwlint judges, where the firewall commands succeed: a jump there leaves the lines after it unconditional.
      if (local.some((literal) => this.isFailureTest(literal))) {
        flowCommand.isErrorHandling = true;
        return undefined;
      }
      this.control(command, local, endLine);
      const commandText = text.slice(command[0]!.start, command[command.length - 1]!.end);
      if (!isTransparentCommand(commandText)) this.isAfterFirewallCommand = isFirewallCommand(commandText);
      return undefined;
    };
    for (const event of events) {
      // A header carried from the line above opens a block only with the `{` that starts this line.
      if (event.kind !== 'open') carried = undefined;
      if (event.kind === 'token') {
        segment.push(event.token);
        continue;
      }
      if (event.kind === 'separator') {
        flush();
        isAfterPipe = event.text === '|';
        if (event.text === '&&' || event.text === '||') {
          let pipeline = text.slice(pipelineStart, event.at);
          if (event.text === '||' && lastAnd !== undefined && isTransparentCommand(pipeline)) {
            // `A && echo ok || C`: echo never fails, so C runs exactly when A fails (cmd's usual error handling).
            chain.length = lastAnd.chainLength;
            pipeline = lastAnd.pipeline;
          }
          if (event.text === '&&') lastAnd = { chainLength: chain.length, pipeline };
          const succeeded = `${sanitize(pipeline)} succeeds`;
          // A firewall command succeeds on the path fwlint judges (its rule exists): `netsh … && B` runs B there.
          if (!(event.text === '&&' && isFirewallCommand(pipeline))) chain.push(chain.length >= MAX_LITERALS ? DEEPER_CONDITIONS : event.text === '&&' ? succeeded : negateCondition(succeeded));
          pipelineStart = event.end;
        } else if (event.text !== '|' && !(isPowerShell && event.text === '&')) {
          // `&` (cmd) and `;` end a statement: what follows runs whether it succeeded or not.
          chain = [];
          lastAnd = undefined;
          pipelineStart = event.end;
        }
      } else if (event.kind === 'open') {
        if (!isPowerShell && segment.length > 0 && this.cmdPrefix(segment, text).start < segment.length) {
          // `echo (x)`: a parenthesis in a command's arguments.
          this.push({ literals: [], loops: [], isFunction: false, isReturnScope: false, isText: true, outerChain: chain, outerPipelineStart: pipelineStart });
          continue;
        }
        const header = flush() ?? carried ?? (isPowerShell ? scriptBlockHeader(text.slice(pipelineStart, event.at), () => this.statementAfterBlock(text, event.at, endLine)) : { literals: [] });
        carried = undefined;
        isAfterPipe = false;
        const block: Block = {
          literals: [...chain, ...header.literals],
          loops: header.stopsBreak === true && header.loops !== undefined ? this.loopsWithBreak(header.loops, text, event.at, endLine) : header.loops ?? [],
          isFunction: header.isFunction === true,
          isReturnScope: header.isReturnScope === true,
          isText: false,
          outerChain: chain,
          outerPipelineStart: pipelineStart,
        };
        if (header.elseLiterals !== undefined) block.elseLiterals = [...chain, ...header.elseLiterals];
        if (header.statement !== undefined) block.statement = header.statement;
        if (header.definition !== undefined) block.definition = header.definition;
        if (header.isCalledFunction === true) block.isCalledFunction = true;
        if (header.isTry === true) block.isTry = true;
        if (header.stopsBreak === true) block.stopsBreak = true;
        this.push(block);
        if (header.runsAtOnce === true) block.runsAtOnce = { openAt: this.openLiterals.length, returns: 0 };
        if (header.stopsBreak === true && block.loops.length > 0) block.loopPass = { openAt: this.openLiterals.length, returns: 0 };
        chain = [];
        pipelineStart = event.at + 1;
      } else {
        const block = this.stack[this.stack.length - 1];
        // `for %%p in (22 445) do …`: the parenthesis was part of the command, which goes on.
        if (block?.isText) {
          this.pop();
          continue;
        }
        flush();
        isAfterPipe = false;
        if (block === undefined) continue;
        this.pop();
        chain = block.outerChain;
        // cmd `(…) && x` runs x when the block succeeded; a PowerShell `} catch {` starts a statement of its own.
        pipelineStart = isPowerShell ? event.at + 1 : block.outerPipelineStart;
        this.lastClosed = block;
      }
    }
    const header = flush();
    if (isPowerShell) this.carriedHeader = header;
    // A parenthesis in a command's arguments ends with its line.
    while (this.stack[this.stack.length - 1]?.isText) this.pop();
    return commands;
  }

  private push(block: Block): void {
    // Bounded, so that a hostile script of nested blocks costs linear time: past the bound a block adds one literal
    // that keeps its lines conditional.
    if (this.openLiterals.length + block.literals.length > MAX_LITERALS && block.literals.length > 0) block.literals = [DEEPER_CONDITIONS];
    this.openLiterals.push(...block.literals);
    this.openLoops.push(...block.loops);
    if (block.isFunction) this.functionDepth++;
    if (block.isReturnScope) this.returnScopeDepth++;
    if (block.isCalledFunction === true) this.calledFunctionState = 'inside';
    if (block.definition !== undefined && this.stack.length === 0) this.definitions.push(block.definition);
    this.stack.push(block);
  }

  private pop(): void {
    const block = this.stack.pop();
    if (block === undefined) return;
    this.openLiterals.length -= block.literals.length + (block.runsAtOnce?.returns ?? 0) + (block.loopPass?.returns ?? 0);
    this.openLoops.length -= block.loops.length;
    if (block.isFunction) this.functionDepth--;
    if (block.isReturnScope) this.returnScopeDepth--;
    if (block.isCalledFunction === true) this.calledFunctionState = 'after';
  }

  /**
   * cmd prefixes that make the rest of a simple command conditional: `if [/i] [not] TEST`, `else` after a block,
   * `for … do`. `start` is where the command after them begins (the token count when nothing follows: a header).
   */
  private cmdPrefix(tokens: readonly Token[], text: string): Prefix {
    const prefix: string[] = [];
    const loops: LiteralLoop[] = [];
    let header: Header | undefined;
    let i = 0;
    while (i < tokens.length) {
      const word = wordOf(tokens[i]!).replace(/^@/, '');
      if (word === 'if') {
        const test = this.cmdTest(tokens, i + 1, text);
        if (test === undefined) break;
        const literals = test.holds === undefined ? [test.literal] : test.holds ? [] : [NEVER];
        const otherwise = test.holds === undefined ? [negateCondition(test.literal)] : test.holds ? [NEVER] : [];
        header = { literals: [...prefix, ...literals], elseLiterals: [...prefix, ...otherwise] };
        prefix.push(...literals);
        i = test.next;
      } else if (word === 'else' && i === 0) {
        prefix.push(...this.elseLiterals());
        header = { literals: [...prefix] };
        i++;
      } else if (word === 'for') {
        let doAt = i + 1;
        while (doAt < tokens.length && wordOf(tokens[doAt]!) !== 'do') doAt++;
        if (doAt >= tokens.length) break;
        // Over a list written in the script, the body runs once per item, for certain.
        const loop = cmdLiteralLoop(tokens.slice(i + 1, doAt));
        if (loop === undefined) prefix.push(`${sanitize(text.slice(tokens[i]!.start, tokens[doAt]!.start))} runs`);
        else loops.push(loop);
        header = { literals: [...prefix], loops: [...loops] };
        i = doAt + 1;
      } else {
        break;
      }
    }
    return header === undefined ? { prefix, loops, start: i } : { prefix, loops, start: i, header };
  }

  /**
   * The test of a cmd `if` starting at token `at`, as a literal, and the token after it; `holds` when it compares two
   * strings written out (`"RDP"==""`, as a called subroutine's `if "%~1"==""` reads with its argument put in), or
   * with `equ`…`geq` two sides `operatorComparisonHolds` decides (`3 LEQ 0` from `if %1 LEQ 0`).
   */
  private cmdTest(tokens: readonly Token[], at: number, text: string): { literal: string; next: number; holds?: boolean } | undefined {
    const word = (index: number): string => (index < tokens.length ? wordOf(tokens[index]!) : '');
    let k = at;
    let isNegated = false;
    let isCaseInsensitive = false;
    while (word(k) === '/i' || word(k) === 'not') {
      if (word(k) === 'not') isNegated = true;
      else isCaseInsensitive = true;
      k++;
    }
    if (k >= tokens.length) return undefined;
    const first = word(k);
    // `==` as written: the quotes of `"%1"==""` leave `%1==` in the word, which is not a comparison missing its side.
    const written = (index: number): string => (index < tokens.length ? text.slice(tokens[index]!.start, tokens[index]!.end) : '');
    let end: number;
    let isOperatorComparison = false;
    if (CMD_TEST_KEYWORDS.has(first)) end = k + 2;
    else if (written(k).includes('==')) end = written(k).endsWith('==') ? k + 2 : k + 1;
    else if (written(k + 1).startsWith('==')) end = written(k + 1) === '==' ? k + 3 : k + 2;
    else if (CMD_COMPARISONS.has(word(k + 1))) {
      end = k + 3;
      isOperatorComparison = true;
    } else end = k + 1;
    if (end > tokens.length) return undefined;
    const whole = text.slice(tokens[k]!.start, tokens[end - 1]!.end);
    const test = sanitize(whole);
    const literal = isNegated ? negateCondition(test) : test;
    if (isOperatorComparison) {
      const holds = operatorComparisonHolds(written(k), word(k + 1), written(k + 2), isCaseInsensitive);
      return holds === undefined ? { literal, next: end } : { literal, next: end, holds: holds !== isNegated };
    }
    // cmd compares the two sides as written, quotes included; a variable or escape left in them is decided at run time.
    const sides = /^([^%!^]*?)\s*==\s*([^%!^]*)$/.exec(whole);
    if (sides === null || CMD_TEST_KEYWORDS.has(first)) return { literal, next: end };
    const isEqual = isCaseInsensitive ? sides[1]!.toLowerCase() === sides[2]!.toLowerCase() : sides[1] === sides[2];
    return { literal, next: end, holds: isEqual !== isNegated };
  }

  /** A PowerShell statement that opens a block: `if (C)`, `elseif (C)`, `else`, `function F`, a loop, `try`. */
  private powerShellHeader(tokens: readonly Token[], text: string, statementStart: number): Prefix {
    const raw = text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end);
    const keyword = /^[A-Za-z]+/.exec(raw)?.[0].toLowerCase() ?? '';
    const rest = raw.slice(keyword.length);
    const isKeyword = rest === '' || /^[\s(]/.test(rest);
    const whole = { prefix: [], start: tokens.length };
    if (!isKeyword) return { prefix: [], start: 0 };
    if (keyword === 'if' || keyword === 'elseif') {
      const test = unparenthesized(rest.trim());
      const condition = sanitize(test);
      const before = keyword === 'elseif' ? this.elseLiterals() : [];
      const holds = this.valueOf === undefined ? undefined : powerShellConditionHolds(test, this.valueOf);
      if (holds !== undefined) return { ...whole, header: { literals: [...before, ...(holds ? [] : [NEVER])], elseLiterals: [...before, ...(holds ? [NEVER] : [])] } };
      return { ...whole, header: { literals: [...before, condition], elseLiterals: [...before, negateCondition(condition)] } };
    }
    if (keyword === 'else') return { ...whole, header: { literals: this.elseLiterals() } };
    if (keyword === 'function' || keyword === 'filter') {
      const written = tokens.length > 1 ? text.slice(tokens[1]!.start, tokens[1]!.end).replace(/\(.*$/, '') : '';
      const name = written === '' ? 'the function' : sanitize(written);
      const definition = { name: written.toLowerCase(), line: this.lineStart };
      // The function a call runs: its body runs, under the call's conditions; its `return` ends the reading.
      if (this.calledFunction === definition.name && this.calledFunctionState === 'before' && this.stack.length === 0) {
        return { ...whole, header: { literals: [], isCalledFunction: true } };
      }
      return { ...whole, header: { literals: [`${name} is called`], isFunction: true, isReturnScope: true, ...(written === '' ? {} : { definition }) } };
    }
    if (keyword === 'try') return { ...whole, header: { literals: [], isTry: true } };
    if (keyword === 'finally') return { ...whole, header: { literals: [] } };
    if (keyword === 'foreach') {
      const loop = powerShellForeachLoop(raw);
      if (loop !== undefined) return { ...whole, header: { literals: [], loops: [loop], isReturnScope: true, stopsBreak: true } };
    }
    if (POWERSHELL_LOOPS.has(keyword)) {
      const header: Header = { literals: [`${sanitize(text.slice(statementStart, tokens[tokens.length - 1]!.end))} runs`], isReturnScope: true };
      // A `catch` is no loop: a `break` in it goes on outward.
      if (keyword !== 'catch') header.stopsBreak = true;
      return { ...whole, header };
    }
    return { prefix: [], start: 0 };
  }

  /** What an `else` runs under: the negated conditions of the `if`/`elseif` chain just closed. */
  private elseLiterals(): string[] {
    return this.lastClosed?.elseLiterals ?? ['an else branch runs'];
  }

  /**
   * `exit`, `goto` (cmd), `exit`/`return`/`throw` outside a function (PowerShell; `throw` outside a `try`): the lines
   * after run only when it is not taken. A `return` (`break`, `continue`) in a script block run at once ends that block.
   */
  private control(command: readonly Token[], local: readonly string[], line: number): void {
    let word = wordOf(command[0]!).replace(/^@/, '');
    let target: string | undefined;
    if (this.dialect === 'powershell') {
      // `break`/`continue` outside a loop, `switch` or `trap` (through `& { }` blocks too) ends the script.
      if ((word === 'break' || word === 'continue') && this.isBreakEndingScript()) word = 'exit';
      const scope = this.innermostReturnScope();
      // In a `foreach` over a literal list, the rest of the pass runs only where it is not taken (a `break` also ends
      // the passes after, read ahead: `breakOfLoopBody`).
      if (scope?.loopPass !== undefined && (word === 'break' || word === 'continue')) {
        this.returnFromBlock(scope.loopPass, local, line);
        return;
      }
      if (scope?.runsAtOnce !== undefined && (word === 'return' || word === 'break' || word === 'continue')) {
        this.returnFromBlock(scope.runsAtOnce, local, line);
        return;
      }
      // An exception not caught in the script ends it, as `exit` does, unless a `trap` of the script takes it and
      // lets the script go on (one without `break`).
      if (word === 'throw' && !this.stack.some((block) => block.isTry === true) && !(this.trapGoesOn && this.functionDepth === 0 && this.calledFunction === undefined)) word = 'exit';
    }
    if (this.dialect === 'cmd') {
      if (word === 'goto' || word.startsWith('goto:')) {
        const label = (word === 'goto' ? (command[1] === undefined ? '' : wordOf(command[1])) : word.slice('goto'.length)).replace(/^:/, '');
        if (label !== 'eof') target = label;
      } else if (word !== 'exit') {
        return;
      }
    } else if ((word !== 'exit' && word !== 'return') || this.functionDepth > 0 || (word === 'return' && this.returnScopeDepth > 0)) {
      // `exit` in a function ends the script only if the function is called; `return` in a loop or script block
      // leaves just that.
      return;
    }
    // cmd `exit` without `/b` ends the script, also from a called subroutine; PowerShell `exit` from a called function.
    const isScriptExit = word === 'exit' && (this.dialect !== 'cmd' || command[1] === undefined || wordOf(command[1]) !== '/b');
    this.jump(local, line, target, isScriptExit);
  }

  /**
   * A called subroutine ended the script (`exit` without `/b`, run whenever it runs): the caller's lines after the
   * call (run under `conditions`) run only where it was not called.
   */
  exitAfterCall(conditions: readonly string[], line: number): void {
    const known = new Set(this.flowLiterals);
    this.jump(conditions.filter((literal) => !known.has(literal)), line, undefined, true);
  }

  /**
   * What a PowerShell statement says after the `}` of its script block that opens at `at` of `text` (the logical line
   * ending on `endLine`), or undefined when fwlint cannot find that `}`.
   */
  private statementAfterBlock(text: string, at: number, endLine: number): string | undefined {
    // The lines below are joined only for a block the logical line leaves open.
    return statementAfterScriptBlock(text.slice(at))
      ?? (this.linesAfter === undefined ? undefined : statementAfterScriptBlock(`${text.slice(at)}\n${this.linesAfter(endLine)}`));
  }

  /**
   * The loops of a PowerShell `foreach` over a literal list whose body opens at `at` of `text` (the logical line ending
   * on `endLine`), read ahead for a `break` (`loopBodyBreak`): one taken in every pass leaves only the first item, one
   * that may be taken makes the passes after the first conditional. As they were when the body is not closed within
   * the lines fwlint reads ahead.
   */
  private loopsWithBreak(loops: LiteralLoop[], text: string, at: number, endLine: number): LiteralLoop[] {
    const body = scriptBlockText(text.slice(at)) ?? (this.linesAfter === undefined ? undefined : scriptBlockText(`${text.slice(at)}\n${this.linesAfter(endLine)}`));
    const taken = body === undefined ? undefined : loopBodyBreak(body);
    if (taken === 'always') return loops.map((loop) => ({ variable: loop.variable, items: loop.items.slice(0, 1) }));
    if (taken === 'maybe') return loops.map((loop) => ({ ...loop, mayBreak: true }));
    return loops;
  }

  /**
   * Whether a PowerShell `break` or `continue` here ends the script: PowerShell looks outward for a loop or `switch`
   * (a `trap`'s `break` rethrows), through script blocks and function calls alike (about_Break), and ends the script
   * when there is none. Only script blocks run at once are looked through: in a function, a script block run later
   * or a `ForEach-Object` block, it depends on where the block runs or the function is called, so it is read as
   * before (leaving that block).
   */
  private isBreakEndingScript(): boolean {
    if (this.calledFunction !== undefined) return false;
    for (let at = this.stack.length - 1; at >= 0; at--) {
      const block = this.stack[at]!;
      if (block.stopsBreak === true || block.isFunction) return false;
      if (block.isReturnScope && block.runsAtOnce === undefined) return false;
    }
    return true;
  }

  /** The innermost open block a PowerShell `return` leaves (a function, loop or script block), if any. */
  private innermostReturnScope(): Block | undefined {
    for (let at = this.stack.length - 1; at >= 0; at--) if (this.stack[at]!.isReturnScope) return this.stack[at];
    return undefined;
  }

  /**
   * A `return` on `line`, under `local` conditions, in a script block run at once: as a top-level `return` does to
   * the script (`jump`), it leaves the block's lines after it run only where it is not taken.
   */
  private returnFromBlock(scope: { openAt: number; returns: number }, local: readonly string[], line: number): void {
    const end = scope.openAt + scope.returns;
    const inBlock = local.slice(end);
    let literal = inBlock.length === 0 ? reachedOnlyByJump(line) : jumpNotTaken(inBlock);
    if (this.openLiterals.length >= MAX_LITERALS) {
      if (this.openLiterals.slice(scope.openAt, end).includes(DEEPER_CONDITIONS)) return;
      literal = DEEPER_CONDITIONS;
    }
    this.openLiterals.splice(end, 0, literal);
    scope.returns++;
  }

  /** A jump (`goto target`, `exit`) run under `local` conditions besides the flow's, on `line`. */
  private jump(local: readonly string[], line: number, target: string | undefined, isScriptExit: boolean): void {
    if (local.length === 0) {
      if (target !== undefined) this.targets.set(target, { flowLiterals: [...this.flowLiterals] });
      // Whenever a called subroutine runs (no condition of its own before), its exit ends its caller too.
      if (isScriptExit && this.flowLiterals.length === this.initialLiteralCount && !this.isBroken) this.isScriptEnded = true;
      this.isBroken = true;
      this.flowLiterals = [reachedOnlyByJump(line)];
      return;
    }
    const literal = jumpNotTaken(local);
    this.flowLiterals = unique(this.flowLiterals.length < MAX_LITERALS ? [...this.flowLiterals, literal] : [...this.flowLiterals, DEEPER_CONDITIONS]);
    if (target !== undefined) this.targets.set(target, { literal });
  }

  /**
   * A condition true only when a firewall command failed: `netsh … ||`, or an exit-code test (`errorlevel 1`,
   * `%ERRORLEVEL% neq 0`, `$LASTEXITCODE -ne 0`, `-not $?`) right after one. After any other command the same test
   * is a real condition (`findstr prod env.txt` then `if errorlevel 1 goto :dev`).
   */
  private isFailureTest(literal: string): boolean {
    const failed = /^!\((.*) succeeds\)$/.exec(literal);
    if (failed) return isFirewallCommand(failed[1]!);
    return this.isAfterFirewallCommand && EXIT_CODE_FAILURE_TESTS.some((test) => test.test(literal));
  }

  /** A cmd `:label` line: after an unconditional jump, only a `goto`/`call` reaches it. */
  private label(name: string): void {
    const target = this.targets.get(name);
    if (this.isBroken) {
      this.flowLiterals = target?.flowLiterals ?? [`:${sanitize(name)} is reached`];
      this.isBroken = false;
    } else if (target?.flowLiterals !== undefined) {
      // Reached by falling through and by an unconditional jump: under what both have in common.
      const jumped = new Set(target.flowLiterals);
      this.flowLiterals = this.flowLiterals.filter((literal) => jumped.has(literal));
    } else if (target?.literal !== undefined) {
      // Reached both by falling through (the jump not taken) and by the jump.
      this.flowLiterals = this.flowLiterals.filter((literal) => literal !== target.literal);
    }
  }
}

/**
 * How a `set`/`delete` run under `conditions` meets a rule that exists under `branch`: it `never` runs where the rule
 * exists (a condition contradicts the branch), runs `always` (the branch holds all its conditions), or `sometimes`:
 * then the rule is changed under `branch` plus `added`, and stays as it was under `branch` plus each of `otherwise`
 * (disjoint cases: the first added condition false, or it true and the second false, …), or, past
 * MAX_SPLIT_LITERALS, under `branch` alone (`otherwise` undefined: judged as possibly unchanged everywhere).
 */
export function splitWorlds(branch: readonly string[], conditions: readonly string[]): WorldSplit {
  const negations = new Set(branch.map(negateCondition));
  if (conditions.some((literal) => negations.has(literal))) return { runs: 'never' };
  const added = conditions.filter((literal) => !branch.includes(literal));
  if (added.length === 0) return { runs: 'always' };
  if (added.length > MAX_SPLIT_LITERALS) return { runs: 'sometimes', added };
  return { runs: 'sometimes', added, otherwise: added.map((literal, index) => [...added.slice(0, index), negateCondition(literal)]) };
}

export type WorldSplit = { runs: 'never' } | { runs: 'always' } | { runs: 'sometimes'; added: string[]; otherwise?: string[][] };

/**
 * `for %%p in (22 445)` (items split at spaces, commas, semicolons and `=`, as cmd does) or `for /l %%p in
 * (5000,1,5010)`, given the tokens between `for` and `do`; undefined for any other `for` (`/f`, `/d`, `/r`, file
 * patterns, a variable fwlint cannot resolve, an empty list).
 */
function cmdLiteralLoop(tokens: readonly Token[]): LiteralLoop | undefined {
  const words = tokens.map((token) => token.parts.join(''));
  const isRange = words[0]?.toLowerCase() === '/l';
  const at = isRange ? 1 : 0;
  const variable = words[at];
  if (variable === undefined || !/^%%[A-Za-z]$/.test(variable) || words[at + 1]?.toLowerCase() !== 'in') return undefined;
  const setTokens = tokens.slice(at + 2);
  if (setTokens.some((token) => token.unresolved !== undefined)) return undefined;
  const items = setTokens.flatMap((token) => token.parts.join('').split(/[,;=]/)).filter((item) => item !== '');
  if (isRange) {
    const numbers = items.map(Number);
    if (numbers.length !== 3 || numbers.some((number) => !Number.isInteger(number))) return undefined;
    const range = rangeItems(numbers[0]!, numbers[1]!, numbers[2]!);
    return range === undefined ? undefined : { variable, items: range };
  }
  if (items.length === 0 || items.length > MAX_LOOP_ITEMS || items.some((item) => /[*?]/.test(item))) return undefined;
  return { variable, items };
}

/**
 * Whether cmd's `if LEFT OPERATOR RIGHT` (`equ`, `neq`, `lss`, `leq`, `gtr`, `geq`; sides as written, quotes kept)
 * holds: two numbers (`cmdOperand`) compare as numbers, anything else as strings, of which fwlint decides only
 * `equ`/`neq` (cmd orders strings by the locale's collation). Undefined when a side is expanded at run time (`%`,
 * `!`, `^`), a number cmd would clamp, or a string not plain ASCII.
 */
function operatorComparisonHolds(left: string, operator: string, right: string, isCaseInsensitive: boolean): boolean | undefined {
  if (/[%!^]/.test(left + right)) return undefined;
  const a = cmdOperand(left);
  const b = cmdOperand(right);
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === 'number' && typeof b === 'number') {
    switch (operator) {
      case 'equ': return a === b;
      case 'neq': return a !== b;
      case 'lss': return a < b;
      case 'leq': return a <= b;
      case 'gtr': return a > b;
      default: return a >= b;
    }
  }
  if ((operator !== 'equ' && operator !== 'neq') || !/^[\x20-\x7e]*$/.test(left + right)) return undefined;
  const isEqual = isCaseInsensitive ? left.toLowerCase() === right.toLowerCase() : left === right;
  return isEqual === (operator === 'equ');
}

/**
 * PowerShell conditions of a pass of a loop over a literal list whose `variable` (`$p`) holds `item`: a condition
 * decided for it (`powerShellConditionHolds`: `$p -eq 22`, `!($p -eq 22)` after a `continue`) is left out when it
 * holds; undefined when one does not hold (the command does not run in that pass). Any other stays as written.
 */
export function powerShellLoopConditionsDecided(literals: readonly string[], variable: string, item: string): string[] | undefined {
  const name = variable.slice(1).toLowerCase();
  const kept: string[] = [];
  for (const literal of literals) {
    // A literal shortened for display (`sanitize`) is not the condition as written.
    const holds = literal.includes('…') ? undefined : powerShellConditionHolds(literal, (each) => (each === name ? item : undefined));
    if (holds === false) return undefined;
    if (holds === undefined) kept.push(literal);
  }
  return kept;
}

/** A PowerShell operand: a variable, a quoted string without expansions, or a decimal integer. */
const POWERSHELL_OPERAND = String.raw`(\$(?:\{[^}]+\}|[A-Za-z_][A-Za-z0-9_]*)|'[^']*'|"[^"\x60$]*"|[+-]?\d+)`;
const POWERSHELL_COMPARISON = new RegExp(`^${POWERSHELL_OPERAND}\\s*-([ci]?)(eq|ne|lt|le|gt|ge)\\s*${POWERSHELL_OPERAND}$`, 'i');
const POWERSHELL_OPERAND_ONLY = new RegExp(`^${POWERSHELL_OPERAND}$`);
/** An integer PowerShell reads the same as a number and as text (no sign but `-`, no leading zero, within Int32). */
const CANONICAL_INTEGER = /^(?:0|-?[1-9]\d{0,8})$/;

/**
 * Whether a PowerShell `if` condition holds, when fwlint can tell: `$Port -eq 0`, `$Mode -ne 'prod'`, `0 -lt $Port`,
 * `$Port` (true when set to something not empty) and `-not`/`!` of those, over variables whose value `valueOf` knows.
 * A value is text as the call passed it: `0` may be a number or a string (`"0"`), so only what holds for both is
 * decided: `-eq`/`-ne` (`-ceq`, `-ine`, …) between integers written the same way, between words that are no number, or
 * of one and the other, or of `''` written in the condition and a word or a non-zero integer (never equal); an order between integers only when the left side is a number written in the
 * condition or both have as many digits (text then sorts as numbers do); truth of a non-zero integer, a word or an
 * empty value. `$true`, `$false`, `$null`, an empty value compared, and anything else are not decided (undefined).
 */
function powerShellConditionHolds(text: string, valueOf: (name: string) => string | undefined): boolean | undefined {
  let test = text.trim();
  let isNegated = false;
  for (let negation = /^(?:-not\s+|!\s*)([\s\S]*)$/i.exec(test); negation !== null; negation = /^(?:-not\s+|!\s*)([\s\S]*)$/i.exec(test)) {
    isNegated = !isNegated;
    test = unparenthesized(negation[1]!.trim());
  }
  type Operand = { value: string; isNumberLiteral: boolean; isTextLiteral?: boolean };
  const operand = (written: string): Operand | undefined => {
    if (written.startsWith('$')) {
      const name = written.replace(/^\$\{?|\}$/g, '').toLowerCase();
      const value = name === 'true' || name === 'false' || name === 'null' ? undefined : valueOf(name);
      // `$false` passed as an argument is the text "False"; an empty value may be `$null`.
      return value === undefined || /^(?:true|false)$/i.test(value) ? undefined : { value, isNumberLiteral: false };
    }
    if (/^['"]/.test(written)) return { value: written.slice(1, -1), isNumberLiteral: false, isTextLiteral: true };
    return CANONICAL_INTEGER.test(written) ? { value: written, isNumberLiteral: true } : undefined;
  };
  // Text PowerShell could take for a number (`1e3`, `0x10`, `1kb`, `1,000`) is neither a word nor an integer here.
  const isWord = (value: string): boolean => /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value)
    && !/^[+-]?(?:[\d.,]*\d[\d.,]*(?:e[+-]?\d+)?(?:[dl]|[kmgtp]b)?|0x[0-9a-f]+)$/i.test(value);
  // `''` written in the condition against a word or a non-zero integer (as a number, '' is 0): never equal. An empty
  // value compared stays undecided, as it may be `$null` (`$null -ne ''` holds).
  const isEmptyText = (side: Operand): boolean => side.isTextLiteral === true && side.value === '';
  const isNeverEmpty = (value: string): boolean => isWord(value) || (CANONICAL_INTEGER.test(value) && value !== '0');
  let holds: boolean | undefined;
  const comparison = POWERSHELL_COMPARISON.exec(test);
  if (comparison !== null) {
    const left = operand(comparison[1]!);
    const right = operand(comparison[4]!);
    if (left === undefined || right === undefined) return undefined;
    const [a, b] = [left.value, right.value];
    const operator = comparison[3]!.toLowerCase();
    const areIntegers = CANONICAL_INTEGER.test(a) && CANONICAL_INTEGER.test(b);
    if (operator === 'eq' || operator === 'ne') {
      let isEqual: boolean | undefined;
      if (areIntegers) isEqual = a === b;
      else if (isWord(a) && isWord(b)) isEqual = comparison[2]!.toLowerCase() === 'c' ? a === b : a.toLowerCase() === b.toLowerCase();
      else if ((isWord(a) && CANONICAL_INTEGER.test(b)) || (CANONICAL_INTEGER.test(a) && isWord(b))) isEqual = false;
      else if (isEmptyText(left) ? isNeverEmpty(b) : isEmptyText(right) && isNeverEmpty(a)) isEqual = false;
      holds = isEqual === undefined ? undefined : isEqual === (operator === 'eq');
    } else if (areIntegers && (left.isNumberLiteral || (a.length === b.length && !a.startsWith('-') && !b.startsWith('-')))) {
      const difference = Number(a) - Number(b);
      holds = operator === 'lt' ? difference < 0 : operator === 'le' ? difference <= 0 : operator === 'gt' ? difference > 0 : difference >= 0;
    }
  } else if (POWERSHELL_OPERAND_ONLY.test(test) && test.startsWith('$')) {
    const value = operand(test)?.value;
    if (value === '') holds = false;
    else if (value !== undefined && ((CANONICAL_INTEGER.test(value) && value !== '0') || isWord(value))) holds = true;
  }
  return holds === undefined ? undefined : holds !== isNegated;
}

/** cmd's 32-bit integer range: a number past it is clamped to its end, so `2147483648 EQU 2147483647` holds. */
const CMD_INT_MIN = -(2 ** 31);
const CMD_INT_MAX = 2 ** 31 - 1;

/**
 * An `if` operand as cmd reads it for `equ`…`geq`: the number when the whole text is one (an optional sign, then
 * decimal, `0x` hex or `0`-led octal: `010` is 8, `08` is not a number), `'string'` otherwise; undefined for a number
 * past 32 bits, which cmd clamps.
 */
function cmdOperand(text: string): number | 'string' | undefined {
  const match = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/.exec(text);
  if (match === null) return 'string';
  const [, sign, hex, octal, decimal] = match;
  const digits = hex ?? octal ?? decimal!;
  if (digits.length > 12) return undefined;
  const magnitude = hex !== undefined ? parseInt(hex, 16) : octal !== undefined ? (octal === '' ? 0 : parseInt(octal, 8)) : Number(decimal);
  const value = sign === '-' ? -magnitude : magnitude;
  return value < CMD_INT_MIN || value > CMD_INT_MAX ? undefined : value;
}

/** `start, start + step, …` up to `end`, or undefined when it is empty, endless or longer than MAX_LOOP_ITEMS. */
function rangeItems(start: number, step: number, end: number): string[] | undefined {
  if (step === 0 || (step > 0 ? start > end : start < end)) return undefined;
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_LOOP_ITEMS) return undefined;
  return Array.from({ length: count }, (_, index) => String(start + index * step));
}

/** `foreach ($p in 22, 445)`, `foreach ($p in @(22, 445))`, `foreach ($p in 'a', 'b')`, `foreach ($p in 1..3)`. */
function powerShellForeachLoop(statement: string): LiteralLoop | undefined {
  const match = /^foreach\s*\(\s*\$([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([\s\S]+)\)$/i.exec(statement.trim());
  const items = match === null ? undefined : powerShellListItems(match[2]!);
  return items === undefined ? undefined : { variable: `$${match![1]!}`, items };
}

/**
 * The header of a PowerShell script block: `22, 445 | ForEach-Object {` loops over a literal list with `$_`; a block
 * its statement runs once there and then (`runsBlockAtOnce`) runs whenever the statement does; any other runs under a
 * condition (it may run later, elsewhere, several times or not at all).
 */
function scriptBlockHeader(statement: string, statementAfterBlock: () => string | undefined): Header {
  const before = statement.trim().toLowerCase().split(/\s+/);
  if (before.length === 1 && (before[0] === '&' || before[0] === '.')) return { literals: [], isReturnScope: true, statement, runsAtOnce: true };
  if (before[0] === 'invoke-command' || before[0] === 'icm') {
    const after = statementAfterBlock();
    // What the statement says after the block counts as what it says before (`} -ComputerName SRV02`); the block stays
    // a word (`{…}`), as where it is tells what a positional argument binds to (`Invoke-Command SRV02 { … }`).
    const whole = `${statement.trim()} ${SCRIPT_BLOCK_WORD}${after === undefined || after === '' ? '' : ` ${after}`}`;
    const words = after === undefined ? undefined : whole.trim().toLowerCase().split(/\s+/);
    if (runsBlockAtOnce(words)) return { literals: [], isReturnScope: true, statement: whole, runsAtOnce: true };
    return { literals: [`${sanitize(statement)} runs`], isReturnScope: true, statement: whole };
  }
  const match = /^([\s\S]+?)\s*\|\s*(?:ForEach-Object|foreach|%)$/i.exec(statement.trim());
  const items = match === null ? undefined : powerShellListItems(match[1]!);
  return items === undefined
    ? { literals: [`${sanitize(statement)} runs`], isReturnScope: true, statement }
    : { literals: [], loops: [{ variable: '$_', items }], isReturnScope: true };
}

/** Invoke-Command switches and parameters taking a value that leave its block running once, on this computer, at once. */
const INVOKE_HERE_SWITCHES: ReadonlySet<string> = new Set(['-scriptblock', '-nonewscope']);
const INVOKE_HERE_VALUE_PARAMETERS: ReadonlySet<string> = new Set(['-computername', '-cn', '-argumentlist', '-args', '-credential', '-erroraction', '-ea']);

/**
 * `& { … }`, `. { … }` and `Invoke-Command [-ScriptBlock] { … }` on this computer (no computer or with
 * `-ComputerName localhost`, no `-Session`, `-AsJob`, splat, positional argument or other parameter fwlint does not
 * know, on either side of the block, as PowerShell binds them in any order): the block runs once, at once. `words`
 * is the whole statement, lower case, the block written `{…}`; undefined when fwlint could not find the block's end.
 */
function runsBlockAtOnce(words: readonly string[] | undefined): boolean {
  if (words === undefined) return false;
  if (words[0] === '&' || words[0] === '.') return true;
  if ((words[0] !== 'invoke-command' && words[0] !== 'icm') || remoteRunnerOf(words) !== undefined) return false;
  for (let at = 1; at < words.length; at++) {
    const word = words[at]!;
    if (INVOKE_HERE_SWITCHES.has(word)) continue;
    // The block itself; a positional argument before it names a computer (and is not known here).
    if (word === SCRIPT_BLOCK_WORD) continue;
    if (!INVOKE_HERE_VALUE_PARAMETERS.has(word)) return false;
    // The value, and the items of a list after it (`-ArgumentList 1, 2`).
    do at++;
    while (words[at]?.endsWith(',') === true);
  }
  return true;
}

/** `22, 445`, `@(22, 445)`, `('a', "b")`, `1..3`: the items of a list of literal numbers and strings. */
function powerShellListItems(text: string): string[] | undefined {
  let list = text.trim();
  const wrapped = /^@?\(([\s\S]*)\)$/.exec(list);
  if (wrapped !== null) list = wrapped[1]!.trim();
  const range = /^(-?\d+)\s*\.\.\s*(-?\d+)$/.exec(list);
  if (range !== null) {
    const start = Number(range[1]);
    const end = Number(range[2]);
    return rangeItems(start, start <= end ? 1 : -1, end);
  }
  const items: string[] = [];
  for (const part of list.split(',')) {
    const item = /^\s*(?:(-?\d+)|'([^']*)'|"([^"$`]*)")\s*$/.exec(part);
    if (item === null) return undefined;
    items.push(item[1] ?? item[2] ?? item[3]!);
  }
  return items.length > MAX_LOOP_ITEMS ? undefined : items;
}

/**
 * `text` with a variable reference replaced by `value`: `%%p` (cmd loop variable, case-sensitive), `%NAME%`/`!NAME!`
 * (cmd, any case), `$p`/`${p}` (PowerShell, any case, not `$port`).
 */
export function substituteVariable(text: string, reference: string, value: string): string {
  if (reference.startsWith('%%')) return text.split(reference).join(value);
  const escaped = (raw: string): string => raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!reference.startsWith('$')) return text.replace(new RegExp(escaped(reference), 'gi'), () => value);
  const name = escaped(reference.slice(1));
  return text.replace(new RegExp(`\\$(?:\\{${name}\\}|${name}(?![A-Za-z0-9_:]))`, 'gi'), () => value);
}

function wordOf(token: Token): string {
  return token.parts.join('').toLowerCase();
}

function unique(literals: readonly string[]): string[] {
  return [...new Set(literals)];
}

/** A condition as a branch literal: one line, short, without ` and ` (which separates a branch's literals). */
/** Commands that leave the exit code as it was: an exit-code test after them still asks about the command before. */
const TRANSPARENT_COMMANDS: ReadonlySet<string> = new Set(['echo', 'echo.', 'rem', 'write-host', 'write-output', 'write-error', 'write-warning']);

/** Exit-code tests that hold when the command before failed, as condition literals write them. */
const EXIT_CODE_FAILURE_TESTS: readonly RegExp[] = [
  /^errorlevel 0*[1-9]\d*$/i,
  /^"?[%!]errorlevel[%!]"? (?:neq|gtr) "?0+"?$/i,
  /^"?[%!]errorlevel[%!]"? geq "?0*[1-9]\d*"?$/i,
  /^!\("?[%!]errorlevel[%!]"? ?(?:==|equ) ?"?0+"?\)$/i,
  /^\$lastexitcode(?: -(?:ne|gt) 0)?$/i,
  /^(?:-not ?|!)\(?\$\?\)?$/i,
  /^\$\? -eq \$false$/i,
];

/** A command that leaves the exit code alone and never fails (`echo ok`), as written. */
function isTransparentCommand(text: string): boolean {
  return TRANSPARENT_COMMANDS.has(text.trim().split(/\s+/)[0]!.replace(/^@/, '').toLowerCase());
}

/** A `netsh` command (`netsh.exe`, with a path) or a NetSecurity cmdlet (`New-NetFirewallRule`, `NetSecurity\New-…`), as written. */
function isFirewallCommand(text: string): boolean {
  return /^\s*@?(?:(?:[^\s"]*[\\/])?netsh(?:\.exe)?\s|(?:netsecurity\\)?[a-z]+-netfirewall)/i.test(text);
}

/** What the lines after a jump taken whenever it is reached (on 0-based `line`) run under: another way there. */
function reachedOnlyByJump(line: number): string {
  return `line ${line + 1} is reached`;
}

/** What the lines after a jump taken under `local` conditions run under: that it was not taken. */
function jumpNotTaken(local: readonly string[]): string {
  return negateCondition(local.length === 1 ? local[0]! : sanitize(local.join(' & ')));
}

/**
 * Whether a PowerShell script (`lines`) has a `trap` at its top level (written at the start of a line) whose block
 * holds no `break`: a terminating error, such as a `throw` outside a `try`, then runs the trap and the script goes on
 * after the statement that failed (about_Trap), wherever in the script the trap is written. A trap with `break`
 * rethrows the error, which ends the script.
 */
export function topLevelTrapGoesOn(lines: readonly string[]): boolean {
  return lines.some((line, index) => {
    const header = /^trap(?:\s*\[[^\]]*\])?\s*\{/i.exec(line);
    if (header === null) return false;
    const text = [line.slice(header[0].length - 1), ...lines.slice(index + 1, index + 1 + MAX_TRAP_LINES)].join('\n');
    const body = scriptBlockText(text);
    return body !== undefined && !/(^|[\s;{])break($|[\s;}])/i.test(body);
  });
}

/** Statements a `break` in them ends (or that hold it for a call: a function) rather than a loop around them. */
const BREAK_SCOPES: ReadonlySet<string> = new Set(['foreach', 'for', 'while', 'do', 'until', 'switch', 'trap', 'function', 'filter']);
const WORD = /[A-Za-z][\w-]*/y;

/**
 * Whether the body of a PowerShell `foreach` (`body`, from its `{` to its `}`) takes a `break` in every pass, `always`
 * (one written directly in the body, and no `continue` anywhere that might skip it), `maybe` (any other `break` that
 * may be the loop's: under a condition, or after a `continue`), or never (undefined: none, or only inside a loop,
 * `switch`, `trap` or function of its own, which fwlint takes as theirs). Strings and comments are skipped.
 */
function loopBodyBreak(body: string): 'always' | 'maybe' | undefined {
  let depth = 0;
  let isDirect = false;
  let isNested = false;
  let hasContinue = false;
  let hasBreakScope = false;
  for (let at = 0; at < body.length; at++) {
    const ch = body[at]!;
    if (ch === '`') {
      at++;
    } else if (ch === '"' || ch === "'") {
      const close = closingQuote(body, at);
      if (close === undefined) break;
      at = close;
    } else if (ch === '<' && body[at + 1] === '#') {
      const close = body.indexOf('#>', at + 2);
      if (close === -1) break;
      at = close + 1;
    } else if (ch === '#') {
      const close = body.indexOf('\n', at);
      if (close === -1) break;
      at = close;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
    } else if (/[A-Za-z]/.test(ch)) {
      WORD.lastIndex = at;
      const word = WORD.exec(body)![0].toLowerCase();
      // Only a word that starts a statement is a keyword (`Write-Host break` is not).
      let before = at - 1;
      while (before >= 0 && ' \t\r'.includes(body[before]!)) before--;
      const isStatement = before < 0 || '{};\n'.includes(body[before]!);
      at += word.length - 1;
      if (!isStatement) continue;
      if (word === 'break') {
        if (depth === 1) isDirect = true;
        else isNested = true;
      } else if (word === 'continue') {
        hasContinue = true;
      } else if (BREAK_SCOPES.has(word)) {
        hasBreakScope = true;
      }
    }
  }
  if (isDirect) return hasContinue ? 'maybe' : 'always';
  return isNested && !hasBreakScope ? 'maybe' : undefined;
}

/** Lines of a `trap` block `topLevelTrapGoesOn` reads; a longer one is taken to hold a `break`. */
const MAX_TRAP_LINES = 500;

/** The script block `text` starts with (at its `{`), up to its closing `}`, strings skipped; undefined when not closed. */
function scriptBlockText(text: string): string | undefined {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '`') at++;
    else if (ch === '"' || ch === "'") {
      const close = closingQuote(text, at);
      if (close === undefined) return undefined;
      at = close;
    } else if (ch === '#' && (at === 0 || /\s/.test(text[at - 1]!))) {
      const close = text.indexOf('\n', at);
      if (close === -1) return undefined;
      at = close;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(0, at + 1);
  }
  return undefined;
}

/**
 * The rest of a PowerShell statement after the script block `text` starts with (at its `{`): what follows the `}`
 * that closes it, up to the end of the statement (a line end not continued by a backtick, `;`, `|`, a closing
 * bracket, a comment), with strings, comments and here-strings in the block skipped; undefined when the block is not
 * closed in `text`.
 */
function statementAfterScriptBlock(text: string): string | undefined {
  const lineEnd = /[ \t]*\r?\n/y;
  const endsLine = (offset: number): boolean => {
    lineEnd.lastIndex = offset;
    return lineEnd.test(text);
  };
  let depth = 0;
  let at = 0;
  for (; at < text.length; at++) {
    const ch = text[at]!;
    if (ch === '`') {
      at++;
    } else if (ch === '@' && (text[at + 1] === '"' || text[at + 1] === "'") && endsLine(at + 2)) {
      const close = text.indexOf(`\n${text[at + 1]}@`, at + 2);
      if (close === -1) return undefined;
      at = close + 2;
    } else if (ch === '"' || ch === "'") {
      const close = closingQuote(text, at);
      if (close === undefined) return undefined;
      at = close;
    } else if (ch === '<' && text[at + 1] === '#') {
      const close = text.indexOf('#>', at + 2);
      if (close === -1) return undefined;
      at = close + 1;
    } else if (ch === '#') {
      const close = text.indexOf('\n', at);
      if (close === -1) return undefined;
      at = close;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}' && --depth === 0) {
      break;
    }
  }
  if (at >= text.length) return undefined;
  let rest = '';
  for (let next = at + 1; next < text.length; next++) {
    const ch = text[next]!;
    if (ch === '`' && endsLine(next + 1)) {
      rest += ' ';
      next = lineEnd.lastIndex - 1;
    } else if ('\n;|})#'.includes(ch)) {
      break;
    } else {
      rest += ch;
    }
  }
  return rest.trim();
}

/** The offset of the quote closing the PowerShell string opened at `open` (`''` and `\`"` inside it kept), if any. */
function closingQuote(text: string, open: number): number | undefined {
  const quote = text[open]!;
  for (let at = open + 1; at < text.length; at++) {
    if (quote === '"' && text[at] === '`') at++;
    else if (text[at] === quote && text[at + 1] === quote) at++;
    else if (text[at] === quote) return at;
  }
  return undefined;
}

function sanitize(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim().replace(/ and /g, ' AND ');
  const short = oneLine.length > MAX_LITERAL_CHARS ? `${oneLine.slice(0, MAX_LITERAL_CHARS - 1)}…` : oneLine;
  return short === '' ? '(empty)' : short;
}

/** `($x -eq 1)` → `$x -eq 1`; text not wholly in one pair of parentheses is returned as it is. */
function unparenthesized(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1).trim();
}
