import type { SourceRange } from '../../../model/location';
import { errorDiagnostic, type Diagnostic } from '../../../model/diagnostic';
import type {
  Attribute,
  BinaryOperator,
  Block,
  Body,
  Expression,
  ObjectItem,
  TemplateExpr,
  TemplatePart,
} from './ast';
import { isUnicodeSpace, lex, Tok, type HclComment } from './lexer';
import { identifierText } from './names';
import {
  AttributeNode,
  BinaryNode,
  BlockNode,
  BodyNode,
  ConditionalNode,
  ForNode,
  FunctionCallNode,
  GetAttrNode,
  IndexNode,
  InterpNode,
  InvalidNode,
  LiteralNode,
  ObjectItemNode,
  ObjectNode,
  ParensNode,
  SplatItemNode,
  SplatNode,
  TemplateForNode,
  TemplateIfNode,
  TemplateNode,
  TupleNode,
  UnaryNode,
  VariableNode,
} from './nodes';

const NO_LABELS: readonly number[] = [];

/** Result of `parseHcl`: a (possibly partial) body, every comment, and syntax problems as diagnostics. */
export interface ParsedHcl {
  /** This reader always returns a body, partial after syntax errors; null is kept for callers' unreadable inputs. */
  body: Body | null;
  comments: HclComment[];
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Nesting limit for blocks and expressions; deeper input yields `parse/hcl-too-deep` instead of a stack overflow. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 500;
/** Beyond this many syntax errors a file is almost certainly not HCL; stop rather than flood the report. */
const MAX_ERRORS = 50;

/** Maps UTF-16 offsets to 1-based line/column positions. */
export class LineMap {
  private readonly lineStarts: Int32Array;
  private readonly lineCount: number;
  private lastLine = 0;

  constructor(text: string) {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    // A UTF-8 byte order mark is invisible in editors, so columns on line 1 start after it.
    starts[0] = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    this.lineStarts = starts;
    this.lineCount = count;
  }

  /** Returns the 0-based line index containing `offset`. */
  private lineIndex(offset: number): number {
    const starts = this.lineStarts;
    const last = this.lastLine;
    if (offset >= starts[last] && (last + 1 === this.lineCount || offset < starts[last + 1])) return last;
    let lo = 0;
    let hi = this.lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.lastLine = lo;
    return lo;
  }

  /** 1-based line of `offset`. */
  line(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  /** The range from `start` to `end` (end exclusive). */
  range(start: number, end: number): SourceRange {
    const starts = this.lineStarts;
    const a = this.lineIndex(start);
    const lineStart = starts[a];
    const startColumn = start >= lineStart ? start - lineStart + 1 : 1;
    // Most nodes end on the line they start on; skip the second lookup then.
    if (a + 1 === this.lineCount || end < starts[a + 1]) {
      return { startLine: a + 1, startColumn, endLine: a + 1, endColumn: end >= lineStart ? end - lineStart + 1 : 1 };
    }
    const b = this.lineIndex(end);
    return { startLine: a + 1, startColumn, endLine: b + 1, endColumn: end - starts[b] + 1 };
  }
}

/**
 * Parses HCL native syntax (hashicorp/hcl `hclsyntax`). Never throws on bad input: syntax problems become
 * `parse/hcl-*` diagnostics and the body holds everything that could still be read.
 */
export function parseHcl(text: string, file: string, options: ParseOptions = {}): ParsedHcl {
  const parser = new Parser(text, file, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  return parser.parseFile();
}

/** A lone template or expression read from a text of its own (`parseHclTemplate`, `parseHclExpression`). */
export interface ParsedHclExpression<T extends Expression = Expression> {
  expr: T;
  diagnostics: Diagnostic[];
}

/**
 * Parses a whole text as a template, as Terraform reads a string of its JSON syntax (HCL `ParseTemplate`): literal
 * text with `${…}` and `%{…}` sequences, backslashes not escapes. Offsets are into `text`.
 */
export function parseHclTemplate(text: string, file: string): ParsedHclExpression<TemplateExpr> {
  return new Parser(text, file, DEFAULT_MAX_DEPTH, true).parseBareTemplate();
}

/** Parses a whole text as one expression (HCL `ParseExpression`): a JSON string where Terraform wants a name or type. */
export function parseHclExpression(text: string, file: string): ParsedHclExpression {
  return new Parser(text, file, DEFAULT_MAX_DEPTH).parseLoneExpression();
}

const enum Flat {
  Literal,
  Interp,
  If,
  Else,
  EndIf,
  For,
  EndFor,
}

interface FlatToken {
  kind: Flat;
  value: string;
  start: number;
  end: number;
  expr: Expression | null;
  keyVar: string | null;
  valueVar: string;
}

/** Binary operator precedence by token type (hclsyntax `binaryOps`); 0 = not a binary operator. */
const PRECEDENCE = new Uint8Array(64);
PRECEDENCE[Tok.Or] = 1;
PRECEDENCE[Tok.And] = 2;
PRECEDENCE[Tok.EqualOp] = 3;
PRECEDENCE[Tok.NotEqual] = 3;
PRECEDENCE[Tok.Lt] = 4;
PRECEDENCE[Tok.Gt] = 4;
PRECEDENCE[Tok.LtEq] = 4;
PRECEDENCE[Tok.GtEq] = 4;
PRECEDENCE[Tok.Plus] = 5;
PRECEDENCE[Tok.Minus] = 5;
PRECEDENCE[Tok.Star] = 6;
PRECEDENCE[Tok.Slash] = 6;
PRECEDENCE[Tok.Percent] = 6;

const OPERATOR: Partial<Record<Tok, BinaryOperator>> = {
  [Tok.Or]: '||',
  [Tok.And]: '&&',
  [Tok.EqualOp]: '==',
  [Tok.NotEqual]: '!=',
  [Tok.Lt]: '<',
  [Tok.Gt]: '>',
  [Tok.LtEq]: '<=',
  [Tok.GtEq]: '>=',
  [Tok.Plus]: '+',
  [Tok.Minus]: '-',
  [Tok.Star]: '*',
  [Tok.Slash]: '/',
  [Tok.Percent]: '%',
};

class Parser {
  private readonly types: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly eofIndex: number;
  private readonly lines: LineMap;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly comments: HclComment[];
  /** [start, end] spans swallowed by unterminated strings, heredocs and comments (sorted by start). */
  private readonly swallowed: Array<[number, number]> = [];
  private pos = 0;
  private includeNewlines = true;
  private readonly newlineStack: boolean[] = [];
  private depth = 0;
  private isAborted = false;
  /** Set after an error until the next body item, so one mistake yields one diagnostic (hclsyntax `recovery`). */
  private isRecovering = false;
  private errorCount = 0;
  private tooManyErrors: Diagnostic | null = null;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly maxDepth: number,
    isBareTemplate = false,
  ) {
    const tokens = lex(text, isBareTemplate);
    this.types = tokens.types;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.eofIndex = tokens.count - 1;
    this.lines = new LineMap(text);
    this.comments = tokens.comments.map(({ start, end }) => ({
      text: text.slice(start, end),
      line: this.lines.line(start),
      range: this.lines.range(start, end),
      start,
      end,
    }));
    const problems = [...tokens.problems].sort((a, b) => a.start - b.start);
    for (const problem of problems) {
      if (problem.swallowedEnd !== undefined) {
        // A string left open inside another one's interpolation is a consequence of the outer one.
        if (this.isSwallowed(problem.start)) continue;
        this.swallowed.push([problem.start, problem.swallowedEnd]);
      }
      this.report(problem.code, problem.message, problem.start, problem.end);
    }
  }

  parseFile(): ParsedHcl {
    const body = this.parseBody(-1, '');
    return { body, comments: this.comments, diagnostics: this.sortedDiagnostics() };
  }

  parseBareTemplate(): ParsedHclExpression<TemplateExpr> {
    const expr = this.parseTemplate(0);
    return { expr, diagnostics: this.sortedDiagnostics() };
  }

  parseLoneExpression(): ParsedHclExpression {
    this.pushNewlines(false);
    const expr = this.parseExpression();
    const next = this.peek();
    if (this.types[next] !== Tok.EOF) this.error('parse/hcl-unexpected-token', `expected the end of the expression, found ${this.describe(next)}`, next);
    return { expr, diagnostics: this.sortedDiagnostics() };
  }

  private sortedDiagnostics(): Diagnostic[] {
    this.diagnostics.sort((a, b) => (a.range!.startLine - b.range!.startLine) || (a.range!.startColumn - b.range!.startColumn));
    if (this.tooManyErrors) this.diagnostics.push(this.tooManyErrors);
    return this.diagnostics;
  }

  // ---- diagnostics -------------------------------------------------------------------------------------------

  private report(code: string, message: string, start: number, end: number): void {
    if (this.errorCount >= MAX_ERRORS) return;
    this.errorCount++;
    this.diagnostics.push(errorDiagnostic(code, this.file, message, this.lines.range(start, end)));
    if (this.errorCount === MAX_ERRORS) {
      const message = `stopped after ${MAX_ERRORS} syntax errors`;
      this.tooManyErrors = errorDiagnostic('parse/hcl-too-many-errors', this.file, message, this.lines.range(start, end));
      this.abort();
    }
  }

  /** Reports a syntax error at token `at`, unless already recovering from an earlier one or the lexer has explained it. */
  private error(code: string, message: string, at: number): void {
    if (this.isRecovering || this.isAborted) {
      this.isRecovering = true;
      return;
    }
    this.isRecovering = true;
    // An invalid character or an unterminated string/heredoc/comment has been reported by the lexer already.
    if (this.types[at] === Tok.Invalid || this.isSwallowed(this.starts[at])) return;
    this.report(code, message, this.starts[at], this.ends[at]);
  }

  private isSwallowed(offset: number): boolean {
    for (const [start, end] of this.swallowed) if (offset >= start && offset <= end) return true;
    return false;
  }

  private describe(at: number): string {
    switch (this.types[at]) {
      case Tok.EOF:
        return 'end of file';
      case Tok.Newline:
        return 'a newline';
      case Tok.OQuote:
        return 'a string';
      case Tok.OHeredoc:
        return 'a heredoc';
      default: {
        const raw = this.text.slice(this.starts[at], Math.min(this.ends[at], this.starts[at] + 30));
        return JSON.stringify(raw);
      }
    }
  }

  private abort(): void {
    this.isAborted = true;
    this.pos = this.eofIndex;
  }

  /** Enters one nesting level; false (and parsing stops) when the depth limit is exceeded. */
  private enter(): boolean {
    if (++this.depth <= this.maxDepth) return true;
    if (!this.isAborted) {
      const at = this.peek();
      this.isRecovering = false;
      this.report('parse/hcl-too-deep', `nesting deeper than ${this.maxDepth} levels`, this.starts[at], this.ends[at]);
      this.abort();
    }
    return false;
  }

  // ---- token access ------------------------------------------------------------------------------------------

  /** Index of the next significant token; newlines are skipped inside brackets (hclsyntax peeker). */
  private peek(): number {
    let i = this.pos;
    if (!this.includeNewlines) {
      const types = this.types;
      while (types[i] === Tok.Newline) i++;
    }
    return i;
  }

  private pushNewlines(include: boolean): void {
    this.newlineStack.push(this.includeNewlines);
    this.includeNewlines = include;
  }

  private popNewlines(): void {
    this.includeNewlines = this.newlineStack.pop() ?? true;
  }

  private tokenText(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }

  /** An identifier token's text: a shared constant for the names the Terraform reader looks for (`names.ts`). */
  private identifier(i: number): string {
    return identifierText(this.text, this.starts[i], this.ends[i]);
  }

  private isKeyword(i: number, word: string): boolean {
    return this.types[i] === Tok.Ident && this.ends[i] - this.starts[i] === word.length && this.text.startsWith(word, this.starts[i]);
  }

  private range(start: number, end: number): SourceRange {
    return this.lines.range(start, end);
  }

  /** Skips to just past the token closing the current construct, counting nested pairs; returns its end offset. */
  private recoverTo(close: Tok): number {
    this.isRecovering = true;
    const types = this.types;
    let nest = 0;
    for (;;) {
      const i = this.pos;
      const t = types[i];
      if (t === Tok.EOF) return this.ends[i];
      this.pos = i + 1;
      if (close === Tok.TemplateSeqEnd ? t === Tok.TemplateInterp || t === Tok.TemplateControl : t === openerOf(close)) {
        nest++;
      } else if (t === close) {
        if (nest === 0) return this.ends[i];
        nest--;
      }
    }
  }

  /** Skips the rest of a broken body item: up to the next newline outside brackets, or before a closing `}`. */
  private recoverAfterBodyItem(): void {
    this.isRecovering = true;
    const types = this.types;
    let nest = 0;
    for (;;) {
      const t = types[this.pos];
      if (t === Tok.EOF) return;
      switch (t) {
        case Tok.Newline:
          if (nest === 0) {
            this.pos++;
            return;
          }
          break;
        case Tok.OBrace:
        case Tok.OBrack:
        case Tok.OParen:
        case Tok.OQuote:
        case Tok.OHeredoc:
        case Tok.TemplateInterp:
        case Tok.TemplateControl:
          nest++;
          break;
        case Tok.CBrace:
        case Tok.CBrack:
        case Tok.CParen:
        case Tok.CQuote:
        case Tok.CHeredoc:
        case Tok.TemplateSeqEnd:
          if (nest === 0 && t === Tok.CBrace) return;
          if (nest > 0) nest--;
          break;
        default:
          break;
      }
      this.pos++;
    }
  }

  // ---- structure ---------------------------------------------------------------------------------------------

  /** Parses a body up to its `}` (or EOF when `openBrace` is -1, the file body). */
  private parseBody(openBrace: number, blockType: string): Body {
    const isFile = openBrace < 0;
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    const start = isFile ? 0 : this.starts[openBrace];
    let end = this.text.length;
    for (;;) {
      this.isRecovering = false;
      const i = this.pos;
      const t = this.types[i];
      if (t === Tok.EOF) {
        if (!isFile) this.error('parse/hcl-unclosed-block', `unclosed block "${blockType}": no "}" before end of file`, openBrace);
        end = this.ends[i];
        break;
      }
      if (t === Tok.CBrace && !isFile) {
        this.pos = i + 1;
        end = this.ends[i];
        break;
      }
      if (t === Tok.Newline) {
        this.pos = i + 1;
        continue;
      }
      if (t === Tok.Ident) {
        const item = this.parseBodyItem();
        if (item === null) continue;
        if ('expr' in item) {
          const earlier = findByName(attributes, item.name);
          if (earlier) {
            this.report(
              'parse/hcl-duplicate-argument',
              `argument "${item.name}" was already set on line ${earlier.range.startLine}`,
              item.start,
              item.start + item.name.length,
            );
          } else {
            attributes.push(item);
          }
        } else {
          blocks.push(item);
        }
        continue;
      }
      if (t === Tok.CBrace) {
        this.error('parse/hcl-unexpected-token', 'unexpected "}": no block is open here', i);
        this.pos = i + 1;
        continue;
      }
      const hint = t === Tok.OQuote ? ' (argument names are not quoted)' : '';
      this.error('parse/hcl-unexpected-token', `expected an argument or block definition, found ${this.describe(i)}${hint}`, i);
      this.recoverAfterBodyItem();
    }
    return new BodyNode(this.lines, start, end, attributes, blocks);
  }

  private parseBodyItem(): Attribute | Block | null {
    const name = this.pos;
    this.pos++;
    const next = this.peek();
    switch (this.types[next]) {
      case Tok.Equal:
        return this.parseAttribute(name, false);
      case Tok.OQuote:
      case Tok.OBrace:
      case Tok.Ident:
        return this.parseBlock(name);
      default:
        this.error('parse/hcl-missing-equals', `expected "=" or "{" after ${JSON.stringify(this.tokenText(name))}`, next);
        this.recoverAfterBodyItem();
        return null;
    }
  }

  private parseAttribute(nameToken: number, isSingleLine: boolean): Attribute {
    this.pos = this.peek() + 1; // the "="
    const expr = this.parseExpression();
    const name = this.identifier(nameToken);
    if (!isSingleLine) {
      const next = this.peek();
      const t = this.types[next];
      if (t === Tok.Newline) {
        this.pos = next + 1;
      } else if (t !== Tok.EOF) {
        if (t === Tok.Comma) {
          this.error('parse/hcl-missing-newline', `unexpected "," after the value of "${name}": arguments are separated by newlines`, next);
        } else {
          this.error('parse/hcl-missing-newline', `expected a newline after the value of "${name}", found ${this.describe(next)}`, next);
        }
        this.recoverAfterBodyItem();
      }
    }
    const start = this.starts[nameToken];
    const end = Math.max(expr.end, this.ends[nameToken]);
    return new AttributeNode(this.lines, start, end, name, expr);
  }

  private parseBlock(typeToken: number): Block {
    const type = this.identifier(typeToken);
    const labels: string[] = [];
    /** Start and end offset of each label, in pairs; none for most blocks (nested ones). */
    let labelOffsets: number[] | undefined;
    const start = this.starts[typeToken];
    const typeEnd = this.ends[typeToken];
    let lastEnd = this.ends[typeToken];
    let openBrace = -1;
    for (;;) {
      const i = this.peek();
      const t = this.types[i];
      if (t === Tok.OBrace) {
        openBrace = i;
        this.pos = i + 1;
        break;
      }
      if (t === Tok.OQuote) {
        const label = this.parseLabel();
        labels.push(label.value);
        (labelOffsets ??= []).push(label.start, label.end);
        lastEnd = label.end;
        continue;
      }
      if (t === Tok.Ident) {
        labels.push(this.tokenText(i));
        (labelOffsets ??= []).push(this.starts[i], this.ends[i]);
        lastEnd = this.ends[i];
        this.pos = i + 1;
        continue;
      }
      if (t === Tok.Newline || t === Tok.EOF) {
        this.error('parse/hcl-invalid-block', `expected "{" on the same line to open block "${type}"`, i);
      } else if (t === Tok.Equal) {
        this.error('parse/hcl-invalid-block', `unexpected "=" after the labels of block "${type}"`, i);
      } else {
        this.error('parse/hcl-invalid-block', `expected a label or "{" after ${JSON.stringify(type)}, found ${this.describe(i)}`, i);
      }
      this.recoverAfterBodyItem();
      const body: Body = new BodyNode(this.lines, lastEnd, lastEnd, [], []);
      return new BlockNode(this.lines, start, lastEnd, type, typeEnd, labels, labelOffsets ?? NO_LABELS, body);
    }

    let body: Body;
    if (!this.enter()) {
      body = new BodyNode(this.lines, lastEnd, lastEnd, [], []);
    } else {
      const first = this.peek();
      const ft = this.types[first];
      if (ft === Tok.Newline || ft === Tok.EOF || ft === Tok.CBrace) {
        body = this.parseBody(openBrace, type);
      } else {
        body = this.parseSingleLineBody(openBrace, type);
      }
    }
    this.depth--;
    const end = body.end;

    const eol = this.peek();
    const et = this.types[eol];
    if (et === Tok.Newline) {
      this.pos = eol + 1;
    } else if (et !== Tok.EOF) {
      this.error('parse/hcl-missing-newline', `expected a newline after block "${type}", found ${this.describe(eol)}`, eol);
      this.recoverAfterBodyItem();
    }
    return new BlockNode(this.lines, start, end, type, typeEnd, labels, labelOffsets ?? NO_LABELS, body);
  }

  /** `x { a = 1 }`: hclsyntax allows exactly one argument when a block opens and closes on one line. */
  private parseSingleLineBody(openBrace: number, type: string): Body {
    const start = this.starts[openBrace];
    const attributes: Attribute[] = [];
    const name = this.peek();
    const afterName = name + 1;
    if (this.types[name] === Tok.Ident && this.types[afterName] === Tok.Equal) {
      this.pos = afterName;
      attributes.push(this.parseAttribute(name, true));
    } else {
      const message = this.types[name] === Tok.Ident
        ? `a single-line block can hold only one argument; put nested block "${this.tokenText(name)}" on its own line`
        : `expected an argument in single-line block "${type}", found ${this.describe(name)}`;
      this.error('parse/hcl-invalid-block', message, this.types[name] === Tok.Ident ? afterName : name);
      const end = this.recoverTo(Tok.CBrace);
      return new BodyNode(this.lines, start, end, attributes, []);
    }
    const close = this.peek();
    const ct = this.types[close];
    let end: number;
    if (ct === Tok.CBrace) {
      this.pos = close + 1;
      end = this.ends[close];
    } else {
      if (ct === Tok.Comma) {
        this.error('parse/hcl-invalid-block', `a single-line block can hold only one argument; put each argument of "${type}" on its own line`, close);
      } else if (ct === Tok.Newline) {
        this.error('parse/hcl-invalid-block', `a single-line block must close on the same line: expected "}" after the argument of "${type}"`, close);
      } else if (ct === Tok.EOF) {
        this.error('parse/hcl-unclosed-block', `unclosed block "${type}": no "}" before end of file`, openBrace);
      } else {
        this.error('parse/hcl-invalid-block', `expected "}" to close single-line block "${type}", found ${this.describe(close)}`, close);
      }
      end = this.recoverTo(Tok.CBrace);
    }
    return new BodyNode(this.lines, start, end, attributes, []);
  }

  /** A quoted block label: a plain string, template sequences are not allowed. */
  private parseLabel(): { value: string; start: number; end: number } {
    const open = this.peek();
    this.pos = open + 1;
    const start = this.starts[open];
    let value = '';
    for (;;) {
      const i = this.pos;
      const t = this.types[i];
      if (t === Tok.CQuote) {
        this.pos = i + 1;
        return { value, start, end: this.ends[i] };
      }
      if (t === Tok.QuotedLit) {
        value += this.decodeLiteral(i, true);
        this.pos = i + 1;
        continue;
      }
      if (t === Tok.TemplateInterp || t === Tok.TemplateControl) {
        const which = t === Tok.TemplateInterp ? '${' : '%{';
        this.error('parse/hcl-invalid-label', `block labels cannot contain template sequences ("${which}"); write "${which[0]}${which}" for a literal "${which}"`, i);
        this.pos = i + 1;
        this.recoverTo(Tok.TemplateSeqEnd);
        value += `${which} ... }`;
        continue;
      }
      return { value, start, end: this.ends[i] }; // EOF: the lexer reported the unterminated string
    }
  }

  // ---- expressions -------------------------------------------------------------------------------------------

  private invalidAt(at: number): Expression {
    const start = this.starts[at];
    return new InvalidNode(this.lines, start, start);
  }

  private parseExpression(): Expression {
    if (!this.enter()) {
      this.depth--;
      return this.invalidAt(this.peek());
    }
    const condition = this.parseBinary(1);
    const question = this.peek();
    if (this.types[question] !== Tok.Question) {
      this.depth--;
      return condition;
    }
    this.pos = question + 1;
    const trueExpr = this.parseExpression();
    const colon = this.peek();
    let falseExpr: Expression;
    if (this.types[colon] === Tok.Colon) {
      this.pos = colon + 1;
      falseExpr = this.parseExpression();
    } else {
      this.error('parse/hcl-invalid-conditional', `expected ":" in conditional expression, found ${this.describe(colon)}`, colon);
      falseExpr = this.invalidAt(colon);
    }
    this.depth--;
    const start = condition.start;
    const end = Math.max(falseExpr.end, trueExpr.end);
    return new ConditionalNode(this.lines, start, end, condition, trueExpr, falseExpr);
  }

  /** Precedence climbing; left-associative like hclsyntax's per-level loop. */
  private parseBinary(minPrecedence: number): Expression {
    let left = this.parsePostfix();
    let chain = 0;
    for (;;) {
      const i = this.peek();
      const type = this.types[i] as Tok;
      const precedence = PRECEDENCE[type];
      if (precedence === 0 || precedence < minPrecedence) break;
      // A long operator chain builds a deep left-nested tree; count it against the depth limit.
      chain++;
      if (!this.enter()) break;
      this.pos = i + 1;
      const right = this.parseBinary(precedence + 1);
      const start = left.start;
      const end = right.end;
      left = new BinaryNode(this.lines, start, end, OPERATOR[type]!, left, right);
    }
    this.depth -= chain;
    return left;
  }

  private parsePostfix(): Expression {
    return this.parseTraversals(this.parseTerm());
  }

  private parseTerm(): Expression {
    const i = this.peek();
    const start = this.starts[i];
    switch (this.types[i]) {
      case Tok.OParen: {
        this.pos = i + 1;
        this.pushNewlines(false);
        const expr = this.parseExpression();
        const close = this.peek();
        let end: number;
        if (this.types[close] === Tok.CParen) {
          this.pos = close + 1;
          end = this.ends[close];
        } else {
          this.error('parse/hcl-unclosed-paren', `expected ")" to close the "(" on line ${this.lines.line(start)}, found ${this.describe(close)}`, close);
          end = this.recoverTo(Tok.CParen);
        }
        this.popNewlines();
        return new ParensNode(this.lines, start, end, expr);
      }
      case Tok.Number: {
        this.pos = i + 1;
        const end = this.ends[i];
        // Ports and counts are short digit runs: read without cutting their text out first.
        const digits = digitsValue(this.text, start, end);
        if (digits !== undefined) return new LiteralNode(this.lines, start, end, digits);
        const source = this.text.slice(start, end);
        const value = Number(source);
        if (Number.isNaN(value)) {
          this.error('parse/hcl-invalid-number', `invalid number ${JSON.stringify(source)}`, i);
          return new InvalidNode(this.lines, start, end);
        }
        return new LiteralNode(this.lines, start, end, value);
      }
      case Tok.Ident: {
        this.pos = i + 1;
        const next = this.peek();
        const nt = this.types[next];
        if (nt === Tok.OParen || nt === Tok.DoubleColon) return this.parseFunctionCall(i);
        const end = this.ends[i];
        const name = identifierText(this.text, start, end);
        if (name === 'true' || name === 'false') {
          return new LiteralNode(this.lines, start, end, name === 'true');
        }
        if (name === 'null') return new LiteralNode(this.lines, start, end, null);
        return new VariableNode(this.lines, start, end, name);
      }
      case Tok.OQuote:
      case Tok.OHeredoc:
        return this.parseTemplate(i);
      case Tok.Minus:
      case Tok.Bang: {
        this.pos = i + 1;
        if (!this.enter()) {
          this.depth--;
          return this.invalidAt(i);
        }
        // The operand excludes binary operators: -46+5 is (-46)+5 (hclsyntax parseExpressionTerm).
        const operand = this.parsePostfix();
        this.depth--;
        const end = operand.end;
        const op = this.types[i] === Tok.Minus ? '-' : '!';
        return new UnaryNode(this.lines, start, end, op, operand);
      }
      case Tok.OBrack:
        return this.parseTuple(i);
      case Tok.OBrace:
        return this.parseObject(i);
      default:
        this.error('parse/hcl-missing-expression', `expected an expression, found ${this.describe(i)}`, i);
        return this.invalidAt(i);
    }
  }

  private parseTraversals(from: Expression): Expression {
    let result = from;
    let chain = 0;
    for (;;) {
      const i = this.peek();
      const t = this.types[i];
      if (t !== Tok.Dot && t !== Tok.OBrack) break;
      chain++;
      if (!this.enter()) break;
      const start = result.start;
      if (t === Tok.Dot) {
        this.pos = i + 1;
        const name = this.peek();
        const nt = this.types[name];
        if (nt === Tok.Ident) {
          this.pos = name + 1;
          const end = this.ends[name];
          result = new GetAttrNode(this.lines, start, end, result, this.identifier(name));
        } else if (nt === Tok.Number) {
          this.pos = name + 1;
          result = this.legacyIndex(result, name);
        } else if (nt === Tok.Star) {
          this.pos = name + 1;
          result = this.parseAttrOnlySplat(result, i, name);
        } else {
          this.error('parse/hcl-invalid-traversal', `expected an attribute name after ".", found ${this.describe(name)}`, name);
          break;
        }
        continue;
      }
      // "[": index or full splat.
      this.pos = i + 1;
      const afterOpen = this.peek();
      if (this.types[afterOpen] === Tok.Star) {
        this.pos = afterOpen + 1;
        const close = this.peek();
        let markerEnd: number;
        if (this.types[close] === Tok.CBrack) {
          this.pos = close + 1;
          markerEnd = this.ends[close];
        } else {
          this.error('parse/hcl-invalid-splat', `expected "]" after "[*", found ${this.describe(close)}`, close);
          markerEnd = this.recoverTo(Tok.CBrack);
        }
        const markerStart = this.starts[i];
        const item: Expression = new SplatItemNode(this.lines, markerStart, markerEnd);
        // A full splat takes every following traversal step into its per-element expression.
        const each = this.parseTraversals(item);
        const end = each.end;
        result = new SplatNode(this.lines, start, end, result, each, false);
        continue;
      }
      this.pushNewlines(false);
      const key = this.parseExpression();
      const close = this.peek();
      let end: number;
      if (this.types[close] === Tok.CBrack) {
        this.pos = close + 1;
        end = this.ends[close];
      } else {
        this.error('parse/hcl-unclosed-bracket', `expected "]" to close the index, found ${this.describe(close)}`, close);
        end = this.recoverTo(Tok.CBrack);
      }
      this.popNewlines();
      result = new IndexNode(this.lines, start, end, result, key, false);
    }
    this.depth -= chain;
    return result;
  }

  /** `list.0`: index syntax inherited from HIL; `list.0.1` lexes as the number 0.1 and is rejected as in hclsyntax. */
  private legacyIndex(collection: Expression, numberToken: number): Expression {
    const source = this.tokenText(numberToken);
    const start = collection.start;
    const end = this.ends[numberToken];
    const keyStart = this.starts[numberToken];
    if (source.includes('.') || source.includes('e') || source.includes('E')) {
      this.error('parse/hcl-invalid-traversal', `chained legacy index ".${source}": write it as [${source.split('.').join('][')}]`, numberToken);
      const key: Expression = new InvalidNode(this.lines, keyStart, end);
      return new IndexNode(this.lines, start, end, collection, key, true);
    }
    const key: Expression = new LiteralNode(this.lines, keyStart, end, Number(source));
    return new IndexNode(this.lines, start, end, collection, key, true);
  }

  /** `source.*.a.b`: only attribute (and legacy index) steps belong to the splat; a following `[i]` applies to its result. */
  private parseAttrOnlySplat(source: Expression, dot: number, star: number): Expression {
    const markerStart = this.starts[dot];
    const markerEnd = this.ends[star];
    let each: Expression = new SplatItemNode(this.lines, markerStart, markerEnd);
    for (;;) {
      const d = this.peek();
      if (this.types[d] !== Tok.Dot) break;
      const name = d + 1;
      const nt = this.types[name];
      if (nt === Tok.Ident) {
        this.pos = name + 1;
        const end = this.ends[name];
        each = new GetAttrNode(this.lines, each.start, end, each, this.identifier(name));
      } else if (nt === Tok.Number) {
        this.pos = name + 1;
        each = this.legacyIndex(each, name);
      } else {
        this.pos = name;
        this.error('parse/hcl-invalid-traversal', `expected an attribute name after ".", found ${this.describe(name)}`, name);
        break;
      }
    }
    const start = source.start;
    const end = each.end;
    return new SplatNode(this.lines, start, end, source, each, true);
  }

  private parseFunctionCall(nameToken: number): Expression {
    const start = this.starts[nameToken];
    let name = this.tokenText(nameToken);
    let nameEnd = this.ends[nameToken];
    for (;;) {
      const sep = this.peek();
      if (this.types[sep] !== Tok.DoubleColon) break;
      const part = sep + 1;
      if (this.types[part] !== Tok.Ident) {
        this.pos = part;
        this.error('parse/hcl-invalid-function-call', `expected a function name after "::", found ${this.describe(part)}`, part);
        return new InvalidNode(this.lines, start, this.ends[sep]);
      }
      name += '::' + this.tokenText(part);
      nameEnd = this.ends[part];
      this.pos = part + 1;
    }
    const open = this.peek();
    if (this.types[open] !== Tok.OParen) {
      this.error('parse/hcl-invalid-function-call', `expected "(" after function name "${name}", found ${this.describe(open)}`, open);
      return new InvalidNode(this.lines, start, nameEnd);
    }
    this.pos = open + 1;
    this.pushNewlines(false);
    const args: Expression[] = [];
    let expandFinal = false;
    let end: number;
    for (;;) {
      const i = this.peek();
      if (this.types[i] === Tok.CParen) {
        this.pos = i + 1;
        end = this.ends[i];
        break;
      }
      args.push(this.parseExpression());
      const sep = this.peek();
      const st = this.types[sep];
      if (st === Tok.CParen) {
        this.pos = sep + 1;
        end = this.ends[sep];
        break;
      }
      if (st === Tok.Comma) {
        this.pos = sep + 1;
        continue;
      }
      if (st === Tok.Ellipsis) {
        this.pos = sep + 1;
        expandFinal = true;
        const close = this.peek();
        if (this.types[close] === Tok.CParen) {
          this.pos = close + 1;
          end = this.ends[close];
        } else {
          this.error('parse/hcl-invalid-function-call', `expected ")" after "..." in call to "${name}", found ${this.describe(close)}`, close);
          end = this.recoverTo(Tok.CParen);
        }
        break;
      }
      if (st === Tok.EOF) {
        this.error('parse/hcl-unclosed-paren', `unclosed call to "${name}": no ")" before end of file`, open);
        end = this.ends[sep];
        break;
      }
      this.error('parse/hcl-invalid-function-call', `expected "," or ")" in call to "${name}", found ${this.describe(sep)}`, sep);
      end = this.recoverTo(Tok.CParen);
      break;
    }
    this.popNewlines();
    return new FunctionCallNode(this.lines, start, end, name, this.range(start, nameEnd), args, expandFinal);
  }

  private parseTuple(open: number): Expression {
    this.pos = open + 1;
    this.pushNewlines(false);
    if (this.isKeyword(this.peek(), 'for')) {
      const result = this.parseFor(open, false);
      this.popNewlines();
      return result;
    }
    const start = this.starts[open];
    const items: Expression[] = [];
    let end: number;
    for (;;) {
      const i = this.peek();
      const t = this.types[i];
      if (t === Tok.CBrack) {
        this.pos = i + 1;
        end = this.ends[i];
        break;
      }
      if (t === Tok.EOF) {
        this.error('parse/hcl-unclosed-bracket', 'unclosed "[": no "]" before end of file', open);
        end = this.ends[i];
        break;
      }
      items.push(this.parseExpression());
      const sep = this.peek();
      const st = this.types[sep];
      if (st === Tok.CBrack) {
        this.pos = sep + 1;
        end = this.ends[sep];
        break;
      }
      if (st === Tok.Comma) {
        this.pos = sep + 1;
        continue;
      }
      if (st === Tok.EOF) {
        this.error('parse/hcl-unclosed-bracket', 'unclosed "[": no "]" before end of file', open);
        end = this.ends[sep];
        break;
      }
      this.error('parse/hcl-missing-separator', `expected "," or "]" in list, found ${this.describe(sep)}`, sep);
      end = this.recoverTo(Tok.CBrack);
      break;
    }
    this.popNewlines();
    return new TupleNode(this.lines, start, end, items);
  }

  private parseObject(open: number): Expression {
    this.pos = open + 1;
    // "for" is looked for across newlines, but object items themselves are newline-separated.
    this.pushNewlines(false);
    const isFor = this.isKeyword(this.peek(), 'for');
    if (isFor) {
      const result = this.parseFor(open, true);
      this.popNewlines();
      return result;
    }
    this.popNewlines();
    this.pushNewlines(true);
    const start = this.starts[open];
    const items: ObjectItem[] = [];
    let end: number;
    for (;;) {
      const i = this.peek();
      const t = this.types[i];
      if (t === Tok.Newline) {
        this.pos = i + 1;
        continue;
      }
      if (t === Tok.CBrace) {
        this.pos = i + 1;
        end = this.ends[i];
        break;
      }
      if (t === Tok.EOF) {
        this.error('parse/hcl-unclosed-brace', 'unclosed "{": no "}" before end of file', open);
        end = this.ends[i];
        break;
      }
      const key = this.parseExpression();
      const eq = this.peek();
      const et = this.types[eq];
      if (et !== Tok.Equal && et !== Tok.Colon) {
        if (et === Tok.EOF) {
          this.error('parse/hcl-unclosed-brace', 'unclosed "{": no "}" before end of file', open);
        } else {
          const keyText = JSON.stringify(this.text.slice(key.start, Math.min(key.end, key.start + 30)));
          this.error('parse/hcl-missing-equals', `expected "=" after object key ${keyText}, found ${this.describe(eq)}`, eq);
        }
        end = this.recoverTo(Tok.CBrace);
        break;
      }
      this.pos = eq + 1;
      const value = this.parseExpression();
      items.push(new ObjectItemNode(this.lines, key.start, value.end, key, value));
      const sep = this.peek();
      const st = this.types[sep];
      if (st === Tok.CBrace) {
        this.pos = sep + 1;
        end = this.ends[sep];
        break;
      }
      if (st === Tok.Comma || st === Tok.Newline) {
        this.pos = sep + 1;
        continue;
      }
      if (st === Tok.EOF) {
        this.error('parse/hcl-unclosed-brace', 'unclosed "{": no "}" before end of file', open);
        end = this.ends[sep];
        break;
      }
      this.error('parse/hcl-missing-separator', `expected "," or a newline between object items, found ${this.describe(sep)}`, sep);
      end = this.recoverTo(Tok.CBrace);
      break;
    }
    this.popNewlines();
    return new ObjectNode(this.lines, start, end, items);
  }

  private parseFor(open: number, isObject: boolean): Expression {
    const close = isObject ? Tok.CBrace : Tok.CBrack;
    const closeText = isObject ? '}' : ']';
    const start = this.starts[open];
    this.pos = this.peek() + 1; // "for"
    const fail = (message: string, at: number): Expression => {
      this.error('parse/hcl-invalid-for', message, at);
      const end = this.recoverTo(close);
      return new InvalidNode(this.lines, start, end);
    };
    let name = this.peek();
    if (this.types[name] !== Tok.Ident) return fail(`expected a variable name after "for", found ${this.describe(name)}`, name);
    this.pos = name + 1;
    let keyVar: string | null = null;
    let valueVar = this.tokenText(name);
    const comma = this.peek();
    if (this.types[comma] === Tok.Comma) {
      this.pos = comma + 1;
      name = this.peek();
      if (this.types[name] !== Tok.Ident) return fail(`expected a value variable name after ",", found ${this.describe(name)}`, name);
      this.pos = name + 1;
      keyVar = valueVar;
      valueVar = this.tokenText(name);
    }
    const inToken = this.peek();
    if (!this.isKeyword(inToken, 'in')) return fail(`expected "in" after the for-expression variables, found ${this.describe(inToken)}`, inToken);
    this.pos = inToken + 1;
    const collection = this.parseExpression();
    const colon = this.peek();
    if (this.types[colon] !== Tok.Colon) return fail(`expected ":" after the for-expression collection, found ${this.describe(colon)}`, colon);
    this.pos = colon + 1;
    let keyExpr: Expression | null = null;
    let valueExpr = this.parseExpression();
    const arrow = this.peek();
    if (this.types[arrow] === Tok.FatArrow) {
      this.pos = arrow + 1;
      keyExpr = valueExpr;
      valueExpr = this.parseExpression();
    }
    let isGrouped = false;
    const ellipsis = this.peek();
    if (this.types[ellipsis] === Tok.Ellipsis) {
      this.pos = ellipsis + 1;
      isGrouped = true;
    }
    let condition: Expression | null = null;
    const ifToken = this.peek();
    if (this.isKeyword(ifToken, 'if')) {
      this.pos = ifToken + 1;
      condition = this.parseExpression();
    }
    const closeToken = this.peek();
    let end: number;
    if (this.types[closeToken] === close) {
      this.pos = closeToken + 1;
      end = this.ends[closeToken];
    } else {
      this.error('parse/hcl-invalid-for', `expected "${closeText}" to end the for expression, found ${this.describe(closeToken)}`, closeToken);
      end = this.recoverTo(close);
    }
    if (!isObject && keyExpr) {
      this.error('parse/hcl-invalid-for', 'a list for expression has no key: remove "=>" or use {for ...} to build an object', arrow);
    } else if (!isObject && isGrouped) {
      this.error('parse/hcl-invalid-for', '"..." grouping is only valid in an object for expression', ellipsis);
    } else if (isObject && !keyExpr) {
      this.error('parse/hcl-invalid-for', 'an object for expression needs a key: {for k, v in x : k => v}', closeToken);
    }
    return new ForNode(this.lines, start, end, keyVar, valueVar, collection, keyExpr, valueExpr, condition, isGrouped, isObject);
  }

  // ---- templates ---------------------------------------------------------------------------------------------

  private parseTemplate(open: number): TemplateExpr {
    const types = this.types;
    if (types[open] === Tok.OQuote) {
      // Fast path for the common plain string: "..." with no template sequences.
      const start = this.starts[open];
      if (types[open + 1] === Tok.CQuote) {
        this.pos = open + 2;
        const end = this.ends[open + 1];
        return new TemplateNode(this.lines, start, end, [], null);
      }
      if (types[open + 1] === Tok.QuotedLit && types[open + 2] === Tok.CQuote) {
        this.pos = open + 3;
        const end = this.ends[open + 2];
        const textStart = this.starts[open + 1];
        const textEnd = this.ends[open + 1];
        const value = this.decodeLiteral(open + 1, true);
        const part: TemplatePart = { kind: 'text', value, start: textStart, end: textEnd };
        return new TemplateNode(this.lines, start, end, [part], null);
      }
    }
    const isHeredoc = types[open] === Tok.OHeredoc;
    const closeType = isHeredoc ? Tok.CHeredoc : Tok.CQuote;
    const start = this.starts[open];
    let heredoc: TemplateExpr['heredoc'] = null;
    if (isHeredoc) {
      const isIndented = this.text.charCodeAt(start + 2) === 45;
      let markerEnd = this.ends[open] - 1;
      if (this.text.charCodeAt(markerEnd - 1) === 13) markerEnd--;
      heredoc = { marker: this.text.slice(start + (isIndented ? 3 : 2), markerEnd), isIndented };
    }
    this.pos = open + 1;
    const flat: FlatToken[] = [];
    let end = this.ends[open];
    let trimNextLeft = false;
    let nextCanTrimPrevious = false;
    for (;;) {
      const i = this.pos;
      const t = this.types[i];
      if (t === closeType) {
        this.pos = i + 1;
        end = this.ends[i];
        break;
      }
      if (t === Tok.EOF) {
        end = this.ends[i];
        break;
      }
      const trimLeft = trimNextLeft;
      trimNextLeft = false;
      const canTrimPrevious = nextCanTrimPrevious;
      nextCanTrimPrevious = false;
      if (t === Tok.QuotedLit || t === Tok.StringLit) {
        let value = this.decodeLiteral(i, t === Tok.QuotedLit);
        if (trimLeft) value = trimStartSpace(value);
        flat.push(flatToken(Flat.Literal, value, this.starts[i], this.ends[i], null));
        nextCanTrimPrevious = true;
        this.pos = i + 1;
        continue;
      }
      if (t !== Tok.TemplateInterp && t !== Tok.TemplateControl) {
        // Cannot happen with a balanced lexer; skip defensively rather than loop.
        this.pos = i + 1;
        continue;
      }
      const isStripping = this.ends[i] - this.starts[i] === 3;
      if (isStripping && canTrimPrevious && flat.length > 0) {
        const previous = flat[flat.length - 1];
        if (previous.kind === Flat.Literal) previous.value = trimEndSpace(previous.value);
      }
      this.pos = i + 1;
      this.pushNewlines(false);
      let token: FlatToken | null;
      if (t === Tok.TemplateInterp) {
        const expr = this.parseExpression();
        token = flatToken(Flat.Interp, '', this.starts[i], 0, expr);
      } else {
        token = this.parseDirective(i);
      }
      if (token) {
        const close = this.peek();
        if (this.types[close] === Tok.TemplateSeqEnd) {
          this.pos = close + 1;
          token.end = this.ends[close];
          if (this.ends[close] - this.starts[close] === 2) trimNextLeft = true;
        } else {
          const what = t === Tok.TemplateInterp ? '"${"' : '"%{"';
          this.error('parse/hcl-unclosed-interpolation', `expected "}" to close the ${what} on line ${this.lines.line(this.starts[i])}, found ${this.describe(close)}`, close);
          token.end = this.recoverTo(Tok.TemplateSeqEnd);
        }
        flat.push(token);
      }
      this.popNewlines();
    }
    if (heredoc?.isIndented) flushHeredocIndent(flat);
    const melded = meldLiterals(flat);
    const cursor = { index: 0 };
    const parts = this.buildTemplateParts(melded, cursor, TemplateContext.Root);
    return new TemplateNode(this.lines, start, end, parts, heredoc);
  }

  /** Parses the inside of `%{ ... }` up to (not including) its closing brace; null after an error was reported. */
  private parseDirective(open: number): FlatToken | null {
    const start = this.starts[open];
    const keyword = this.peek();
    const fail = (message: string, at: number): null => {
      this.error('parse/hcl-invalid-template-directive', message, at);
      this.recoverTo(Tok.TemplateSeqEnd);
      return null;
    };
    if (this.types[keyword] !== Tok.Ident) {
      return fail(`expected "if", "for", "else", "endif" or "endfor" after "%{", found ${this.describe(keyword)}`, keyword);
    }
    const word = this.tokenText(keyword);
    this.pos = keyword + 1;
    switch (word) {
      case 'if':
        return flatToken(Flat.If, '', start, 0, this.parseExpression());
      case 'else':
        return flatToken(Flat.Else, '', start, 0, null);
      case 'endif':
        return flatToken(Flat.EndIf, '', start, 0, null);
      case 'endfor':
        return flatToken(Flat.EndFor, '', start, 0, null);
      case 'for': {
        let name = this.peek();
        if (this.types[name] !== Tok.Ident) return fail(`expected a variable name after "%{for", found ${this.describe(name)}`, name);
        this.pos = name + 1;
        let keyVar: string | null = null;
        let valueVar = this.tokenText(name);
        const comma = this.peek();
        if (this.types[comma] === Tok.Comma) {
          this.pos = comma + 1;
          name = this.peek();
          if (this.types[name] !== Tok.Ident) return fail(`expected a value variable name after ",", found ${this.describe(name)}`, name);
          this.pos = name + 1;
          keyVar = valueVar;
          valueVar = this.tokenText(name);
        }
        const inToken = this.peek();
        if (!this.isKeyword(inToken, 'in')) return fail(`expected "in" in the "%{for" directive, found ${this.describe(inToken)}`, inToken);
        this.pos = inToken + 1;
        const token = flatToken(Flat.For, '', start, 0, this.parseExpression());
        token.keyVar = keyVar;
        token.valueVar = valueVar;
        return token;
      }
      default:
        return fail(`unknown template directive ${JSON.stringify(word)}: expected if, for, else, endif or endfor`, keyword);
    }
  }

  private buildTemplateParts(flat: FlatToken[], cursor: { index: number }, context: TemplateContext): TemplatePart[] {
    const parts: TemplatePart[] = [];
    while (cursor.index < flat.length) {
      const token = flat[cursor.index];
      switch (token.kind) {
        case Flat.Literal:
          parts.push({ kind: 'text', value: token.value, start: token.start, end: token.end });
          cursor.index++;
          break;
        case Flat.Interp:
          parts.push(new InterpNode(this.lines, token.start, token.end, token.expr!));
          cursor.index++;
          break;
        case Flat.Else:
          if (context === TemplateContext.IfThen) return parts;
          this.reportDirective('unexpected "%{else}" outside an "%{if}"', token);
          cursor.index++;
          break;
        case Flat.EndIf:
          if (context === TemplateContext.IfThen || context === TemplateContext.IfElse) return parts;
          this.reportDirective('unexpected "%{endif}" without a matching "%{if}"', token);
          cursor.index++;
          break;
        case Flat.EndFor:
          if (context === TemplateContext.For) return parts;
          this.reportDirective('unexpected "%{endfor}" without a matching "%{for}"', token);
          cursor.index++;
          break;
        case Flat.If: {
          cursor.index++;
          if (!this.enter()) {
            this.depth--;
            return parts;
          }
          const thenParts = this.buildTemplateParts(flat, cursor, TemplateContext.IfThen);
          let elseParts: TemplatePart[] | null = null;
          if (flat[cursor.index]?.kind === Flat.Else) {
            cursor.index++;
            elseParts = this.buildTemplateParts(flat, cursor, TemplateContext.IfElse);
          }
          this.depth--;
          let end = token.end;
          const closing = flat[cursor.index];
          if (closing?.kind === Flat.EndIf) {
            end = closing.end;
            cursor.index++;
          } else {
            this.reportDirective('"%{if}" has no matching "%{endif}"', token);
          }
          parts.push(new TemplateIfNode(this.lines, token.start, end, token.expr!, thenParts, elseParts));
          break;
        }
        case Flat.For: {
          cursor.index++;
          if (!this.enter()) {
            this.depth--;
            return parts;
          }
          const bodyParts = this.buildTemplateParts(flat, cursor, TemplateContext.For);
          this.depth--;
          let end = token.end;
          const closing = flat[cursor.index];
          if (closing?.kind === Flat.EndFor) {
            end = closing.end;
            cursor.index++;
          } else {
            this.reportDirective('"%{for}" has no matching "%{endfor}"', token);
          }
          parts.push(new TemplateForNode(this.lines, token.start, end, token.keyVar, token.valueVar, token.expr!, bodyParts));
          break;
        }
      }
    }
    return parts;
  }

  private reportDirective(message: string, token: FlatToken): void {
    if (this.isAborted) return;
    this.report('parse/hcl-invalid-template-directive', message, token.start, token.end);
  }

  /** Decodes a literal token: escapes in quoted strings, `$${`/`%%{` everywhere (hclsyntax ParseStringLiteralToken). */
  private decodeLiteral(token: number, isQuoted: boolean): string {
    const text = this.text;
    const start = this.starts[token];
    const end = this.ends[token];
    let needsDecoding = false;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if ((c === 92 && isQuoted) || ((c === 36 || c === 37) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 123)) {
        needsDecoding = true;
        break;
      }
    }
    if (!needsDecoding) return text.slice(start, end);
    const chunks: string[] = [];
    let plainFrom = start;
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if ((c === 36 || c === 37) && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === 123) {
        chunks.push(text.slice(plainFrom, i + 1));
        i += 2; // keep one "$" / "%", then the "{" follows as plain text
        plainFrom = i;
        continue;
      }
      if (c !== 92 || !isQuoted) {
        i++;
        continue;
      }
      chunks.push(text.slice(plainFrom, i));
      const selector = text.charCodeAt(i + 1);
      let width = 2;
      switch (selector) {
        case 110: chunks.push('\n'); break;
        case 114: chunks.push('\r'); break;
        case 116: chunks.push('\t'); break;
        case 34: chunks.push('"'); break;
        case 92: chunks.push('\\'); break;
        case 117:
        case 85: {
          const digits = selector === 117 ? 4 : 8;
          let n = 0;
          while (n < digits && i + 2 + n < end && isHexDigit(text.charCodeAt(i + 2 + n))) n++;
          width = 2 + n;
          const codePoint = n === digits ? parseInt(text.slice(i + 2, i + 2 + n), 16) : -1;
          if (codePoint < 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            const what = n === digits ? `"${text.slice(i, i + width)}" is not a valid Unicode character` : `"\\${String.fromCharCode(selector)}" needs ${digits} hexadecimal digits`;
            this.report('parse/hcl-invalid-escape', `invalid escape sequence: ${what}`, i, i + width);
          } else {
            chunks.push(String.fromCodePoint(codePoint));
          }
          break;
        }
        default: {
          if (i + 1 >= end) {
            width = 1;
            this.report('parse/hcl-invalid-escape', 'invalid escape sequence: "\\" at the end of the string', i, i + 1);
            break;
          }
          const shown = text.slice(i, i + 2);
          this.report('parse/hcl-invalid-escape', `invalid escape sequence ${JSON.stringify(shown)}`, i, i + 2);
          chunks.push(text.slice(i + 1, i + 2));
        }
      }
      i += width;
      plainFrom = i;
    }
    chunks.push(text.slice(plainFrom, end));
    return chunks.join('');
  }
}

const enum TemplateContext {
  Root,
  IfThen,
  IfElse,
  For,
}

/** The value of a number token of at most 9 decimal digits and nothing else (as `Number` reads it), else undefined. */
export function digitsValue(text: string, start: number, end: number): number | undefined {
  if (end - start > 9) return undefined;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
    value = value * 10 + (code - 48);
  }
  return end > start ? value : undefined;
}

function findByName(attributes: Attribute[], name: string): Attribute | undefined {
  for (let i = 0; i < attributes.length; i++) if (attributes[i].name === name) return attributes[i];
  return undefined;
}

function openerOf(close: Tok): Tok {
  switch (close) {
    case Tok.CBrace:
      return Tok.OBrace;
    case Tok.CBrack:
      return Tok.OBrack;
    case Tok.CParen:
      return Tok.OParen;
    default:
      return Tok.EOF;
  }
}

function flatToken(kind: Flat, value: string, start: number, end: number, expr: Expression | null): FlatToken {
  return { kind, value, start, end, expr, keyVar: null, valueVar: '' };
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function trimStartSpace(value: string): string {
  let i = 0;
  while (i < value.length && isUnicodeSpace(value.charCodeAt(i))) i++;
  return i === 0 ? value : value.slice(i);
}

function trimEndSpace(value: string): string {
  let i = value.length;
  while (i > 0 && isUnicodeSpace(value.charCodeAt(i - 1))) i--;
  return i === value.length ? value : value.slice(0, i);
}

/**
 * `<<-` heredocs: remove the smallest leading-space count of all non-blank lines from every line
 * (hclsyntax flushHeredocTemplateParts; applied to literal tokens, so interpolated values never count).
 */
function flushHeredocIndent(flat: FlatToken[]): void {
  let minSpaces = Number.MAX_SAFE_INTEGER;
  let isLineStart = true;
  const adjust: Array<{ token: FlatToken; spaces: number }> = [];
  for (const token of flat) {
    if (isLineStart) {
      isLineStart = false;
      let spaces = 0;
      if (token.kind === Flat.Literal) {
        const value = token.value;
        let n = 0;
        while (n < value.length && isUnicodeSpace(value.charCodeAt(n))) n++;
        if (n === value.length && value.endsWith('\n')) {
          spaces = Number.MAX_SAFE_INTEGER; // a blank line does not count
        } else {
          spaces = n;
          adjust.push({ token, spaces: n });
        }
      }
      if (spaces < minSpaces) minSpaces = spaces;
    }
    if (token.kind === Flat.Literal && token.value.endsWith('\n')) isLineStart = true;
  }
  if (minSpaces === Number.MAX_SAFE_INTEGER) return;
  for (const { token } of adjust) {
    token.value = token.value.slice(minSpaces);
    token.start += minSpaces;
  }
}

/** Joins consecutive literal tokens, as hclsyntax does after trimming. */
function meldLiterals(flat: FlatToken[]): FlatToken[] {
  if (flat.length < 2) return flat;
  const out: FlatToken[] = [];
  for (const token of flat) {
    const previous = out.length > 0 ? out[out.length - 1] : undefined;
    if (previous && previous.kind === Flat.Literal && token.kind === Flat.Literal) {
      previous.value += token.value;
      previous.end = token.end;
    } else {
      out.push(token);
    }
  }
  return out;
}
