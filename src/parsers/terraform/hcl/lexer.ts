import type { SourceRange } from '../../../model/location';

/**
 * Token kinds of HCL native syntax. Modelled on hashicorp/hcl `hclsyntax/scan_tokens.rl`: the scanner is modal
 * (quoted templates, heredocs and `${ }` sequences nest), so template text arrives as separate literal tokens.
 */
export enum Tok {
  EOF,
  Newline,
  Ident,
  Number,
  OBrace,
  CBrace,
  OBrack,
  CBrack,
  OParen,
  CParen,
  Comma,
  Dot,
  Equal,
  Colon,
  Question,
  Ellipsis,
  FatArrow,
  DoubleColon,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang,
  EqualOp,
  NotEqual,
  Lt,
  Gt,
  LtEq,
  GtEq,
  And,
  Or,
  /** `"` opening a quoted template. */
  OQuote,
  /** `"` closing a quoted template (zero-width when the string is unterminated). */
  CQuote,
  /** Literal run inside a quoted template, escapes not yet decoded. */
  QuotedLit,
  /** `<<EOT` or `<<-EOT` plus its newline. */
  OHeredoc,
  /** The closing marker line of a heredoc, without its newline. */
  CHeredoc,
  /** Literal run inside a heredoc; a run that ends a line includes the newline. */
  StringLit,
  /** `${` or `${~`. */
  TemplateInterp,
  /** `%{` or `%{~`. */
  TemplateControl,
  /** `}` or `~}` closing a template sequence. */
  TemplateSeqEnd,
  /** A character that starts no token; the lexer has already reported it. */
  Invalid,
}

/** A comment with its position; fwlint reads `fwlint:` annotations from these. */
export interface HclComment {
  /** Raw text including the `#`, `//` or `/* *\/` markers, without the line terminator. */
  text: string;
  /** 1-based line of the comment's first character. */
  line: number;
  range: SourceRange;
  start: number;
  end: number;
  /**
   * A `"//"` property of a JSON-syntax file written in a block's object (a resource's, a rule's): the line the block
   * starts on, as the comment is about that block (`Annotation.subjectLine`).
   */
  subjectLine?: number;
  /** With `subjectLine`, the column where the subject starts (`Annotation.subjectColumn`). */
  subjectColumn?: number;
}

/** A lexical problem, positioned by offsets; the parser turns it into a Diagnostic. */
export interface LexProblem {
  code: string;
  message: string;
  start: number;
  end: number;
  /** For unterminated constructs: the span they swallowed, where follow-on parser errors are noise. */
  swallowedEnd?: number;
}

/** Token stream in parallel typed arrays (one object per token would dominate parse time on large files). */
export interface TokenStream {
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** Number of tokens including the final EOF. */
  count: number;
  /** Comments as offsets; positions are added by the parser, which owns the line map. */
  comments: Array<{ start: number; end: number }>;
  problems: LexProblem[];
}

const enum Mode {
  Main,
  Quoted,
  Heredoc,
}

interface ModeFrame {
  mode: Mode;
  /** Main frames opened by `${`/`%{`: the brace depth whose `}` returns to the enclosing template. */
  returnBraces: number;
  /** Quoted and heredoc frames: offset of the opener, for "unterminated" messages. */
  openStart: number;
  heredocMarker: string;
  heredocAtLineStart: boolean;
}

/** The marker of a bare template's frame: no line's text can equal it, so the template ends only with the text. */
const BARE_TEMPLATE_MARKER = '\n';

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_QUOTE = 34;
const CH_HASH = 35;
const CH_DOLLAR = 36;
const CH_PERCENT = 37;
const CH_AMP = 38;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_0 = 48;
const CH_9 = 57;
const CH_COLON = 58;
const CH_LT = 60;
const CH_EQ = 61;
const CH_GT = 62;
const CH_QUESTION = 63;
const CH_LBRACK = 91;
const CH_BACKSLASH = 92;
const CH_RBRACK = 93;
const CH_LBRACE = 123;
const CH_PIPE = 124;
const CH_RBRACE = 125;
const CH_TILDE = 126;
const CH_BOM = 0xfeff;

/** ASCII character classes: identifier start, identifier continuation (hclsyntax `Ident` allows `-`). */
const IDENT_START = 1;
const IDENT_CONTINUE = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const isLetter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  CHAR_CLASS[c] = (isLetter ? IDENT_START | IDENT_CONTINUE : 0) | ((c >= 48 && c <= 57) || c === 45 ? IDENT_CONTINUE : 0);
}

const ID_START_RE = /^[\p{ID_Start}]$/u;
const ID_CONTINUE_RE = /^[\p{ID_Continue}]$/u;

/** Identifier start: ASCII fast path, Unicode ID_Start otherwise (hclsyntax `Ident`). */
function isIdentStart(c: number, text: string, i: number): boolean {
  if (c < 128) return (CHAR_CLASS[c] & IDENT_START) !== 0;
  return ID_START_RE.test(String.fromCodePoint(text.codePointAt(i) ?? c));
}

/** Identifier continuation: hclsyntax allows `-` inside identifiers (`foo-bar` is one name). */
function isIdentContinue(c: number, text: string, i: number): boolean {
  if (c < 128) return (CHAR_CLASS[c] & IDENT_CONTINUE) !== 0;
  // A surrogate pair is tested as one code point; its low half is accepted with it.
  if (c >= 0xdc00 && c <= 0xdfff) return true;
  return ID_CONTINUE_RE.test(String.fromCodePoint(text.codePointAt(i) ?? c));
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** Whitespace as Go's `unicode.IsSpace`, which hclsyntax uses for heredoc markers and `~` trimming. */
export function isUnicodeSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 9 && c <= 13);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Scans HCL native syntax into tokens. Never throws; problems are returned in `problems`. */
export function lex(text: string, isBareTemplate = false): TokenStream {
  const len = text.length;
  const tokens = new TokenBuffer(Math.max(64, (len >> 2) + 16));
  const comments: Array<{ start: number; end: number }> = [];
  const problems: LexProblem[] = [];
  const frames: ModeFrame[] = [];
  let braces = 0;
  let pos = len > 0 && text.charCodeAt(0) === CH_BOM ? 1 : 0;
  if (isBareTemplate) {
    // A whole text that is a template (a string of Terraform's JSON syntax): read as a heredoc's content is, without
    // escapes, between zero-width quotes so that the parser reads it as one quoted template.
    tokens.push(Tok.OQuote, 0, 0);
    frames.push({ mode: Mode.Heredoc, returnBraces: 0, openStart: 0, heredocMarker: BARE_TEMPLATE_MARKER, heredocAtLineStart: false });
  }

  while (pos < len) {
    const frame = frames.length > 0 ? frames[frames.length - 1] : undefined;
    const mode = frame ? frame.mode : Mode.Main;

    if (mode === Mode.Quoted) {
      const c = text.charCodeAt(pos);
      if (c === CH_QUOTE) {
        tokens.push(Tok.CQuote, pos, pos + 1);
        pos++;
        frames.pop();
        continue;
      }
      if (c === CH_LF || c === CH_CR) {
        // A quoted string cannot span lines. Close it and every string whose interpolation it sits in (up to an
        // enclosing heredoc) with zero-width closers, so the next line is read afresh; report the outermost once.
        let outermost = frame!.openStart;
        while (frames.length > 0) {
          const top = frames[frames.length - 1];
          if (top.mode === Mode.Heredoc) break;
          if (top.mode === Mode.Quoted) {
            tokens.push(Tok.CQuote, pos, pos);
            outermost = top.openStart;
          } else {
            tokens.push(Tok.TemplateSeqEnd, pos, pos);
            braces = top.returnBraces - 1;
          }
          frames.pop();
        }
        problems.push({ code: 'parse/hcl-unterminated-string', message: 'unterminated string', start: outermost, end: pos, swallowedEnd: pos });
        continue;
      }
      const next = text.charCodeAt(pos + 1);
      if (c === CH_DOLLAR && next === CH_LBRACE) {
        pos = openTemplateSequence(tokens, Tok.TemplateInterp, text, pos);
        frames.push(interpolationFrame(++braces, pos));
        continue;
      }
      if (c === CH_PERCENT && next === CH_LBRACE) {
        pos = openTemplateSequence(tokens, Tok.TemplateControl, text, pos);
        frames.push(interpolationFrame(++braces, pos));
        continue;
      }
      const start = pos;
      pos = quotedLiteralEnd(text, pos);
      tokens.push(Tok.QuotedLit, start, pos);
      continue;
    }

    if (mode === Mode.Heredoc) {
      const doc = frame!;
      if (doc.heredocAtLineStart) {
        let lineEnd = text.indexOf('\n', pos);
        if (lineEnd < 0) lineEnd = len;
        let a = pos;
        let b = lineEnd;
        while (a < b && isUnicodeSpace(text.charCodeAt(a))) a++;
        while (b > a && isUnicodeSpace(text.charCodeAt(b - 1))) b--;
        const marker = doc.heredocMarker;
        if (b - a === marker.length && text.startsWith(marker, a)) {
          const markerEnd = lineEnd > pos && text.charCodeAt(lineEnd - 1) === CH_CR ? lineEnd - 1 : lineEnd;
          tokens.push(Tok.CHeredoc, pos, markerEnd);
          frames.pop();
          // The newline after the marker ends the attribute, so it is left for the main mode to emit.
          pos = markerEnd;
          continue;
        }
      }
      const start = pos;
      let stop = -1;
      while (pos < len) {
        const d = text.charCodeAt(pos);
        if (d === CH_LF) {
          pos++;
          stop = CH_LF;
          break;
        }
        if (d === CH_DOLLAR || d === CH_PERCENT) {
          const e = text.charCodeAt(pos + 1);
          if (e === CH_LBRACE) {
            stop = d;
            break;
          }
          pos += e === d && text.charCodeAt(pos + 2) === CH_LBRACE ? 3 : 1;
          continue;
        }
        pos++;
      }
      if (pos > start) tokens.push(Tok.StringLit, start, pos);
      if (stop === CH_LF) {
        doc.heredocAtLineStart = true;
      } else if (stop === CH_DOLLAR || stop === CH_PERCENT) {
        doc.heredocAtLineStart = false;
        pos = openTemplateSequence(tokens, stop === CH_DOLLAR ? Tok.TemplateInterp : Tok.TemplateControl, text, pos);
        frames.push(interpolationFrame(++braces, pos));
      }
      continue;
    }

    // Main mode: ordinary tokens.
    const c = text.charCodeAt(pos);
    if (c === CH_SPACE || c === CH_TAB) {
      pos++;
      for (let d = text.charCodeAt(pos); d === CH_SPACE || d === CH_TAB; d = text.charCodeAt(pos)) pos++;
      continue;
    }
    if (c === CH_LF) {
      tokens.push(Tok.Newline, pos, pos + 1);
      pos++;
      continue;
    }
    if (c === CH_CR) {
      if (text.charCodeAt(pos + 1) === CH_LF) {
        tokens.push(Tok.Newline, pos, pos + 2);
        pos += 2;
      } else {
        pos++; // A lone CR (old Mac line ending) is treated as blank space.
      }
      continue;
    }
    if (isIdentStart(c, text, pos)) {
      const start = pos;
      pos += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      while (pos < len && isIdentContinue(text.charCodeAt(pos), text, pos)) pos++;
      tokens.push(Tok.Ident, start, pos);
      continue;
    }
    if (isDigit(c)) {
      const start = pos;
      pos++;
      // hclsyntax NumberLit: digits, '.', and exponents, never ending in '.'.
      for (;;) {
        const d = text.charCodeAt(pos);
        if (isDigit(d)) {
          pos++;
        } else if (d === CH_DOT && isDigit(text.charCodeAt(pos + 1))) {
          pos += 2;
        } else if (d === 101 || d === 69) {
          const e = text.charCodeAt(pos + 1);
          if (isDigit(e)) pos += 2;
          else if ((e === CH_PLUS || e === CH_MINUS) && isDigit(text.charCodeAt(pos + 2))) pos += 3;
          else break;
        } else {
          break;
        }
      }
      tokens.push(Tok.Number, start, pos);
      continue;
    }
    const next = text.charCodeAt(pos + 1);
    switch (c) {
      case CH_QUOTE: {
        tokens.push(Tok.OQuote, pos, pos + 1);
        // Most strings are plain ("tcp", "10.0.0.0/16"): their tokens are emitted here, without a quoted-mode frame
        // (an allocation and a loop turn per string). The same tokens as the quoted mode would emit.
        const literalEnd = quotedLiteralEnd(text, pos + 1);
        if (text.charCodeAt(literalEnd) === CH_QUOTE) {
          if (literalEnd > pos + 1) tokens.push(Tok.QuotedLit, pos + 1, literalEnd);
          tokens.push(Tok.CQuote, literalEnd, literalEnd + 1);
          pos = literalEnd + 1;
          continue;
        }
        frames.push({ mode: Mode.Quoted, returnBraces: 0, openStart: pos, heredocMarker: '', heredocAtLineStart: false });
        pos++;
        continue;
      }
      case CH_HASH:
        pos = lineComment(text, pos, comments);
        continue;
      case CH_SLASH:
        if (next === CH_SLASH) {
          pos = lineComment(text, pos, comments);
        } else if (next === CH_STAR) {
          const close = text.indexOf('*/', pos + 2);
          if (close < 0) {
            problems.push({ code: 'parse/hcl-unterminated-comment', message: 'unterminated comment: no "*/" before end of file', start: pos, end: pos + 2, swallowedEnd: len });
            comments.push({ start: pos, end: len });
            pos = len;
          } else {
            comments.push({ start: pos, end: close + 2 });
            pos = close + 2;
          }
        } else {
          tokens.push(Tok.Slash, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_LBRACE:
        tokens.push(Tok.OBrace, pos, pos + 1);
        braces++;
        pos++;
        continue;
      case CH_RBRACE:
        if (frame && frame.returnBraces === braces) {
          tokens.push(Tok.TemplateSeqEnd, pos, pos + 1);
          frames.pop();
        } else {
          tokens.push(Tok.CBrace, pos, pos + 1);
        }
        braces--;
        pos++;
        continue;
      case CH_TILDE:
        if (next === CH_RBRACE) {
          // hclsyntax emits a sequence end for `~}` even when unbalanced, so the parser reports the misuse.
          tokens.push(Tok.TemplateSeqEnd, pos, pos + 2);
          if (frame && frame.returnBraces === braces) frames.pop();
          braces--;
          pos += 2;
          continue;
        }
        break;
      case CH_LT:
        if (next === CH_LT) {
          const heredoc = scanHeredocOpener(text, pos);
          if (heredoc) {
            tokens.push(Tok.OHeredoc, pos, heredoc.end);
            frames.push({ mode: Mode.Heredoc, returnBraces: 0, openStart: pos, heredocMarker: heredoc.marker, heredocAtLineStart: true });
            pos = heredoc.end;
            continue;
          }
        }
        if (next === CH_EQ) {
          tokens.push(Tok.LtEq, pos, pos + 2);
          pos += 2;
        } else {
          tokens.push(Tok.Lt, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_GT:
        if (next === CH_EQ) {
          tokens.push(Tok.GtEq, pos, pos + 2);
          pos += 2;
        } else {
          tokens.push(Tok.Gt, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_EQ:
        if (next === CH_EQ) {
          tokens.push(Tok.EqualOp, pos, pos + 2);
          pos += 2;
        } else if (next === CH_GT) {
          tokens.push(Tok.FatArrow, pos, pos + 2);
          pos += 2;
        } else {
          tokens.push(Tok.Equal, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_BANG:
        if (next === CH_EQ) {
          tokens.push(Tok.NotEqual, pos, pos + 2);
          pos += 2;
        } else {
          tokens.push(Tok.Bang, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_AMP:
        if (next === CH_AMP) {
          tokens.push(Tok.And, pos, pos + 2);
          pos += 2;
          continue;
        }
        break;
      case CH_PIPE:
        if (next === CH_PIPE) {
          tokens.push(Tok.Or, pos, pos + 2);
          pos += 2;
          continue;
        }
        break;
      case CH_DOT:
        if (next === CH_DOT && text.charCodeAt(pos + 2) === CH_DOT) {
          tokens.push(Tok.Ellipsis, pos, pos + 3);
          pos += 3;
        } else {
          tokens.push(Tok.Dot, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_COLON:
        if (next === CH_COLON) {
          tokens.push(Tok.DoubleColon, pos, pos + 2);
          pos += 2;
        } else {
          tokens.push(Tok.Colon, pos, pos + 1);
          pos++;
        }
        continue;
      case CH_LBRACK:
        tokens.push(Tok.OBrack, pos, pos + 1);
        pos++;
        continue;
      case CH_RBRACK:
        tokens.push(Tok.CBrack, pos, pos + 1);
        pos++;
        continue;
      case CH_LPAREN:
        tokens.push(Tok.OParen, pos, pos + 1);
        pos++;
        continue;
      case CH_RPAREN:
        tokens.push(Tok.CParen, pos, pos + 1);
        pos++;
        continue;
      case CH_COMMA:
        tokens.push(Tok.Comma, pos, pos + 1);
        pos++;
        continue;
      case CH_QUESTION:
        tokens.push(Tok.Question, pos, pos + 1);
        pos++;
        continue;
      case CH_PLUS:
        tokens.push(Tok.Plus, pos, pos + 1);
        pos++;
        continue;
      case CH_MINUS:
        tokens.push(Tok.Minus, pos, pos + 1);
        pos++;
        continue;
      case CH_STAR:
        tokens.push(Tok.Star, pos, pos + 1);
        pos++;
        continue;
      case CH_PERCENT:
        tokens.push(Tok.Percent, pos, pos + 1);
        pos++;
        continue;
      default:
        break;
    }
    if (c === 39) {
      // A single-quoted string: one diagnostic for the whole string rather than one per quote.
      let close = pos + 1;
      while (close < len && text.charCodeAt(close) !== 39 && text.charCodeAt(close) !== CH_LF) close++;
      const end = close < len && text.charCodeAt(close) === 39 ? close + 1 : pos + 1;
      problems.push({ code: 'parse/hcl-invalid-character', message: 'invalid character "\'": strings use double quotes', start: pos, end });
      tokens.push(Tok.Invalid, pos, end);
      pos = end;
      continue;
    }
    // Anything else starts no token.
    const width = c >= 0xd800 && c <= 0xdbff && pos + 1 < len ? 2 : 1;
    const shown = text.slice(pos, pos + width);
    problems.push({ code: 'parse/hcl-invalid-character', message: `invalid character ${JSON.stringify(shown)}`, start: pos, end: pos + width });
    tokens.push(Tok.Invalid, pos, pos + width);
    pos += width;
  }

  // Close whatever the input left open, innermost first, so the parser sees balanced templates.
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i];
    if (frame.mode === Mode.Quoted) {
      problems.push({ code: 'parse/hcl-unterminated-string', message: 'unterminated string', start: frame.openStart, end: len, swallowedEnd: len });
      tokens.push(Tok.CQuote, len, len);
    } else if (frame.mode === Mode.Heredoc && frame.heredocMarker === BARE_TEMPLATE_MARKER) {
      tokens.push(Tok.CQuote, len, len);
    } else if (frame.mode === Mode.Heredoc) {
      problems.push({
        code: 'parse/hcl-unterminated-heredoc',
        message: `unterminated heredoc: no closing "${frame.heredocMarker}" line before end of file`,
        start: frame.openStart,
        end: frame.openStart + 2,
        swallowedEnd: len,
      });
      tokens.push(Tok.CHeredoc, len, len);
    }
  }
  tokens.push(Tok.EOF, len, len);
  // A second EOF past `count` keeps any look-ahead of one token inside the arrays.
  tokens.push(Tok.EOF, len, len);
  return { types: tokens.types, starts: tokens.starts, ends: tokens.ends, count: tokens.count - 1, comments, problems };
}

/** Growable parallel arrays (a class, not a closure, so the hot loop's locals stay in registers). */
class TokenBuffer {
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;

  constructor(private capacity: number) {
    this.types = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(type: Tok, start: number, end: number): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.types[i] = type;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  private grow(): void {
    this.capacity *= 2;
    const types = new Uint8Array(this.capacity);
    types.set(this.types);
    this.types = types;
    const starts = new Int32Array(this.capacity);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(this.capacity);
    ends.set(this.ends);
    this.ends = ends;
  }
}

/**
 * The end of the literal text of a quoted string from `pos`: the offset of its closing quote, of a line end (which
 * leaves the string unterminated), of a template sequence (`${`, `%{`), or the end of the text.
 */
function quotedLiteralEnd(text: string, pos: number): number {
  const len = text.length;
  while (pos < len) {
    const d = text.charCodeAt(pos);
    if (d === CH_QUOTE || d === CH_LF || d === CH_CR) break;
    if (d === CH_BACKSLASH) {
      const e = text.charCodeAt(pos + 1);
      pos += e === CH_LF || e === CH_CR || pos + 1 >= len ? 1 : 2;
      continue;
    }
    if (d === CH_DOLLAR || d === CH_PERCENT) {
      const e = text.charCodeAt(pos + 1);
      if (e === CH_LBRACE) break;
      // `$${` and `%%{` are escapes for a literal `${` / `%{` (hclsyntax TemplateNotInterp).
      pos += e === d && text.charCodeAt(pos + 2) === CH_LBRACE ? 3 : 1;
      continue;
    }
    pos++;
  }
  return pos;
}

/** Emits `${`, `${~`, `%{` or `%{~` at `start`; returns the offset after it. */
function openTemplateSequence(tokens: TokenBuffer, type: Tok, text: string, start: number): number {
  const end = start + (text.charCodeAt(start + 2) === CH_TILDE ? 3 : 2);
  tokens.push(type, start, end);
  return end;
}

function interpolationFrame(returnBraces: number, openStart: number): ModeFrame {
  return { mode: Mode.Main, returnBraces, openStart, heredocMarker: '', heredocAtLineStart: false };
}

function lineComment(text: string, pos: number, comments: Array<{ start: number; end: number }>): number {
  let end = text.indexOf('\n', pos);
  if (end < 0) end = text.length;
  let textEnd = end;
  if (textEnd > pos && text.charCodeAt(textEnd - 1) === CH_CR) textEnd--;
  comments.push({ start: pos, end: textEnd });
  // The newline is left for the main loop, so a line comment still ends an attribute.
  return textEnd;
}

/** Recognises `<<EOT\n` / `<<-EOT\r\n`; returns the marker and the offset after the newline. */
function scanHeredocOpener(text: string, pos: number): { marker: string; end: number } | null {
  let i = pos + 2;
  if (text.charCodeAt(i) === CH_MINUS) i++;
  const markerStart = i;
  if (i >= text.length || !isIdentStart(text.charCodeAt(i), text, i)) return null;
  i++;
  while (i < text.length && isIdentContinue(text.charCodeAt(i), text, i)) i++;
  const markerEnd = i;
  if (text.charCodeAt(i) === CH_CR) i++;
  if (text.charCodeAt(i) !== CH_LF) return null;
  return { marker: text.slice(markerStart, markerEnd), end: i + 1 };
}
