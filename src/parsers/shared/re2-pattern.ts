/**
 * Terraform's `regex`/`regexall` take RE2 patterns (Go `regexp`). RE2 matches in linear time; a JS RegExp
 * backtracks, and the two syntaxes differ in places. A pattern is translated only when it uses constructs both
 * engines treat alike (each rewritten where the spelling differs: `(?P<name>`, `\A`, `\z`, `\s`, `.`, `(?m)` anchors,
 * `\Q…\E`); anything else is refused, and the caller leaves the value unknown rather than guessing.
 *
 * Backtracking is bounded instead of timed, so results never depend on the machine: a group repeated without bound
 * (`*`, `+`, `{2,}`) may not itself contain a repetition or an alternation (`(a+)+`, `(a|ab)*` are refused); one
 * repeated a bounded number of times counts as its copies written out (`((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}`, the
 * usual CIDR pattern, is three copies of the group), and then a match attempt explores at most C(n + q, q) · A paths
 * for an input of n characters, q quantifiers and A the product of the alternations' branch counts. `isWithinBudget`
 * refuses an input for which that bound, times the n + 1 start positions, exceeds MAX_SEARCH_PATHS.
 *
 * Shared by the parsers: Terraform's regex functions, and CloudFormation's parameter `AllowedPattern` (a Java
 * pattern; the constructs accepted here read the same in Java, but for `.` and `$` around line terminators other
 * than `\n`, which a parameter value does not hold).
 */

export type TranslatedPattern =
  | {
      kind: 'translated';
      regexp: RegExp;
      groupNames: ReadonlyArray<string | undefined>;
      /** Whether matching against a string of this length is cheap enough (see above). */
      isWithinBudget: (inputLength: number) => boolean;
    }
  /** `reason` says what fwlint does not translate; the pattern may still be valid RE2. */
  | { kind: 'refused'; reason: string };

/** Longer patterns are not translated: firewall-relevant patterns are short. */
const MAX_PATTERN_LENGTH = 1000;
/** RE2's own limit on a counted repetition (`{n,m}`); larger counts fail in Terraform. */
const MAX_REPEAT_COUNT = 1000;
/** Some 0.1 s of backtracking at worst (measured); a CIDR or an id against a typical pattern needs far fewer. */
const MAX_SEARCH_PATHS = 1e7;

/** A parsed piece of pattern: its JS source, and its quantifiers and alternation branches for the bound. */
interface Piece {
  source: string;
  quantifiers: number;
  /** Product of the branch counts of its alternations (1 without any). */
  branchProduct: number;
}

function hasChoices(piece: Piece): boolean {
  return piece.quantifiers > 0 || piece.branchProduct > 1;
}

/** C(n + q, q) · A · (n + 1) as a float: only compared with the budget. */
function searchPathBound(inputLength: number, quantifiers: number, branchProduct: number): number {
  let distributions = 1;
  for (let i = 1; i <= quantifiers; i++) distributions = (distributions * (inputLength + i)) / i;
  return distributions * branchProduct * (inputLength + 1);
}

class Refusal {
  constructor(readonly reason: string) {}
}

const WORD_CLASS = '0-9A-Za-z_';
// RE2's \s is Perl's [\t\n\f\r ]; JS \s also matches \v and Unicode spaces.
const SPACE_CLASS = '\\t\\n\\f\\r ';
const NOT_SPACE_RANGES = '\\u{0}-\\u{8}\\u{b}\\u{e}-\\u{1f}\\u{21}-\\u{10ffff}';
const NOT_DIGIT_RANGES = '\\u{0}-\\u{2f}\\u{3a}-\\u{10ffff}';
const NOT_WORD_RANGES = '\\u{0}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{5e}\\u{60}\\u{7b}-\\u{10ffff}';

/** Translates an RE2 pattern into a JS RegExp (flag `u`, plus `i` for a leading `(?i)`), or refuses it. */
export function translateRe2(pattern: string): TranslatedPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) return { kind: 'refused', reason: 'the pattern is too long' };
  try {
    const parser = new Re2Parser(pattern);
    const { piece, groupNames, caseInsensitive } = parser.parse();
    const regexp = new RegExp(piece.source, caseInsensitive ? 'iu' : 'u');
    const isWithinBudget = (inputLength: number): boolean => searchPathBound(inputLength, piece.quantifiers, piece.branchProduct) <= MAX_SEARCH_PATHS;
    return { kind: 'translated', regexp, groupNames, isWithinBudget };
  } catch (error) {
    if (error instanceof Refusal) return { kind: 'refused', reason: error.reason };
    // The translation is built to be valid JS; a RegExp that still does not compile is refused, not trusted.
    if (error instanceof SyntaxError) return { kind: 'refused', reason: 'not translated' };
    throw error;
  }
}

function codeEscape(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

function isAsciiAlphanumeric(char: string): boolean {
  return /^[0-9A-Za-z]$/.test(char);
}

class Re2Parser {
  private position = 0;
  private readonly groupNames: Array<string | undefined> = [];
  private multiLine = false;
  private dotAll = false;

  constructor(private readonly pattern: string) {}

  parse(): { piece: Piece; groupNames: Array<string | undefined>; caseInsensitive: boolean } {
    const caseInsensitive = this.leadingFlags();
    const piece = this.alternation();
    if (this.position < this.pattern.length) throw new Refusal('unbalanced parenthesis');
    return { piece, groupNames: this.groupNames, caseInsensitive };
  }

  /** `(?ims)` at the very start becomes JS flags or anchor rewrites; flags anywhere else are refused. */
  private leadingFlags(): boolean {
    const match = /^\(\?([ims]+)\)/.exec(this.pattern);
    if (!match) return false;
    this.position = match[0].length;
    this.multiLine = match[1]!.includes('m');
    this.dotAll = match[1]!.includes('s');
    return match[1]!.includes('i');
  }

  private peek(): string | undefined {
    return this.pattern[this.position];
  }

  /** The next character as a whole code point (a pattern may hold astral characters). */
  private nextChar(): string {
    const codePoint = this.pattern.codePointAt(this.position);
    if (codePoint === undefined) throw new Refusal('the pattern ends early');
    const char = String.fromCodePoint(codePoint);
    this.position += char.length;
    return char;
  }

  private alternation(): Piece {
    const branches = [this.concatenation()];
    while (this.peek() === '|') {
      this.position++;
      branches.push(this.concatenation());
    }
    // Branches are tried one after another: their paths add up (bounded here by the branch count times the most).
    return {
      source: branches.map((branch) => branch.source).join('|'),
      quantifiers: branches.reduce((total, branch) => total + branch.quantifiers, 0),
      branchProduct: branches.length * branches.reduce((most, branch) => Math.max(most, branch.branchProduct), 1),
    };
  }

  private concatenation(): Piece {
    let source = '';
    let quantifiers = 0;
    let branchProduct = 1;
    while (this.position < this.pattern.length && this.peek() !== '|' && this.peek() !== ')') {
      const quantified = this.quantified(this.atom());
      source += quantified.source;
      quantifiers += quantified.quantifiers;
      branchProduct *= quantified.branchProduct;
    }
    return { source, quantifiers, branchProduct };
  }

  private quantified(atom: Piece & { isGroup: boolean }): Piece {
    const quantifier = this.quantifier();
    if (quantifier === undefined) return atom;
    if (this.quantifier() !== undefined) throw new Refusal('invalid nested repetition operator');
    // A JS quantifier binds to the last atom only; a group is one atom, anything else is wrapped.
    const operand = atom.isGroup ? atom.source : `(?:${atom.source})`;
    const source = operand + quantifier.source;
    // An exact count of a piece without choices (`[0-9]{2}`) matches one way: no choice is added.
    if (quantifier.min === quantifier.max && !hasChoices(atom)) return { source, quantifiers: 0, branchProduct: 1 };
    if (!quantifier.repeatsMoreThanOnce || !hasChoices(atom)) return { source, quantifiers: atom.quantifiers + 1, branchProduct: atom.branchProduct };
    // Repeating without bound a piece that can itself match in several ways is what backtracks exponentially.
    if (quantifier.max === Infinity) throw new Refusal('nested repetition');
    // A bounded count explores no more than its copies written out (`(X){3}` is `XXX`, `(X){1,3}` is `X(X)?(X)?`),
    // so it counts as them: the bound of the header holds. Copies past the budget whatever the input are refused.
    const optional = quantifier.max - quantifier.min;
    const piece = { source, quantifiers: atom.quantifiers * quantifier.max + optional, branchProduct: atom.branchProduct ** quantifier.max };
    if (!(searchPathBound(0, piece.quantifiers, piece.branchProduct) <= MAX_SEARCH_PATHS)) throw new Refusal('nested repetition');
    return piece;
  }

  /** A quantifier with its optional lazy `?`. */
  private quantifier(): { source: string; repeatsMoreThanOnce: boolean; min: number; max: number } | undefined {
    const char = this.peek();
    let source: string;
    let repeatsMoreThanOnce: boolean;
    let min: number;
    let max: number;
    if (char === '*' || char === '+' || char === '?') {
      this.position++;
      source = char;
      repeatsMoreThanOnce = char !== '?';
      [min, max] = char === '+' ? [1, Infinity] : [0, char === '?' ? 1 : Infinity];
    } else if (char === '{') {
      // RE2 reads a `{` that does not start a valid count as a literal brace.
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.position));
      if (!match) return undefined;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      if (min > MAX_REPEAT_COUNT || (max !== Infinity && (max > MAX_REPEAT_COUNT || max < min))) throw new Refusal('invalid repeat count');
      this.position += match[0].length;
      source = match[0];
      repeatsMoreThanOnce = max > 1;
    } else {
      return undefined;
    }
    if (this.peek() === '?') {
      this.position++;
      source += '?';
    }
    return { source, repeatsMoreThanOnce, min, max };
  }

  private atom(): Piece & { isGroup: boolean } {
    const char = this.nextChar();
    const plain = (source: string): Piece & { isGroup: boolean } => ({ source, quantifiers: 0, branchProduct: 1, isGroup: false });
    switch (char) {
      case '(':
        return { ...this.group(), isGroup: true };
      case '[':
        return plain(this.characterClass());
      case '\\': {
        if (this.pattern.startsWith('Q', this.position)) return plain(this.quotedText());
        return plain(this.escape());
      }
      case '.':
        return plain(this.dotAll ? '[^]' : '[^\\n]');
      // RE2's (?m) anchors stop at \n only; JS multiline ones also at \r, \u2028 and \u2029.
      case '^':
        return plain(this.multiLine ? '(?<![^\\n])' : '^');
      case '$':
        return plain(this.multiLine ? '(?![^\\n])' : '$');
      case '*':
      case '+':
      case '?':
        throw new Refusal('missing argument to repetition operator');
      default:
        return plain(isAsciiAlphanumeric(char) ? char : codeEscape(char.codePointAt(0)!));
    }
  }

  private group(): Piece {
    let open = '(';
    if (this.peek() === '?') {
      const named = /^\?P?<([A-Za-z_][0-9A-Za-z_]*)>/.exec(this.pattern.slice(this.position));
      if (named) {
        if (this.groupNames.includes(named[1])) throw new Refusal('duplicate capture group name');
        this.position += named[0].length;
        this.groupNames.push(named[1]);
        open = `(?<${named[1]}>`;
      } else if (this.pattern.startsWith('?:', this.position)) {
        this.position += 2;
        open = '(?:';
      } else {
        // Flag groups after the start, lookaround (not RE2) and anything else.
        throw new Refusal('unsupported group');
      }
    } else {
      this.groupNames.push(undefined);
    }
    const inner = this.alternation();
    if (this.peek() !== ')') throw new Refusal('missing closing parenthesis');
    this.position++;
    return { ...inner, source: `${open}${inner.source})` };
  }

  /** `\Q…\E`: literal text up to `\E` or the end of the pattern. */
  private quotedText(): string {
    this.position++;
    const end = this.pattern.indexOf('\\E', this.position);
    const text = this.pattern.slice(this.position, end < 0 ? undefined : end);
    this.position = end < 0 ? this.pattern.length : end + 2;
    return [...text].map((char) => (isAsciiAlphanumeric(char) ? char : codeEscape(char.codePointAt(0)!))).join('');
  }

  /** An escape outside a class (the backslash already read). */
  private escape(): string {
    const char = this.nextChar();
    switch (char) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'b':
      case 'B':
        return `\\${char}`;
      case 's':
        return `[${SPACE_CLASS}]`;
      case 'S':
        return `[^${SPACE_CLASS}]`;
      case 'A':
        return '(?<![^])';
      case 'z':
        return '(?![^])';
      default:
        return codeEscape(this.escapedCodePoint(char));
    }
  }

  /** The character a literal escape stands for (`\n`, `\x41`, `\x{263a}`, `\.`); others are refused. */
  private escapedCodePoint(char: string): number {
    const controls: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (char in controls) return controls[char]!;
    if (char === 'x') {
      const match = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.pattern.slice(this.position));
      if (!match) throw new Refusal('invalid escape');
      this.position += match[0].length;
      const codePoint = parseInt(match[1] ?? match[2]!, 16);
      if (codePoint > 0x10ffff) throw new Refusal('invalid escape');
      return codePoint;
    }
    // RE2 lets any ASCII punctuation be escaped; letters and digits (\C, \p, octal, back references) are refused.
    if (char.length === 1 && char < '\x80' && !isAsciiAlphanumeric(char) && char > ' ') return char.charCodeAt(0);
    throw new Refusal(`unsupported escape \\${char}`);
  }

  /** `[…]` (the `[` already read). Literal characters become code escapes, so JS reads nothing specially. */
  private characterClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.position++;
    }
    let source = '';
    let isFirst = true;
    while (this.peek() !== ']' || isFirst) {
      if (this.position >= this.pattern.length) throw new Refusal('missing closing ]');
      isFirst = false;
      if (this.pattern.startsWith('[:', this.position)) throw new Refusal('POSIX character classes are not translated');
      const start = this.classItem();
      if (start.isClass || this.peek() !== '-' || this.pattern[this.position + 1] === ']') {
        source += start.source;
        continue;
      }
      this.position++;
      const end = this.classItem();
      if (end.isClass || end.codePoint! < start.codePoint!) throw new Refusal('invalid character class range');
      source += `${start.source}-${end.source}`;
    }
    this.position++;
    if (source === '') throw new Refusal('empty character class');
    return `[${negated ? '^' : ''}${source}]`;
  }

  private classItem(): { source: string; isClass: boolean; codePoint?: number } {
    const char = this.nextChar();
    if (char !== '\\') return { source: codeEscape(char.codePointAt(0)!), isClass: false, codePoint: char.codePointAt(0)! };
    const escaped = this.nextChar();
    switch (escaped) {
      case 'd':
        return { source: '0-9', isClass: true };
      case 'w':
        return { source: WORD_CLASS, isClass: true };
      case 's':
        return { source: SPACE_CLASS, isClass: true };
      case 'D':
        return { source: NOT_DIGIT_RANGES, isClass: true };
      case 'W':
        return { source: NOT_WORD_RANGES, isClass: true };
      case 'S':
        return { source: NOT_SPACE_RANGES, isClass: true };
      default: {
        const codePoint = this.escapedCodePoint(escaped);
        return { source: codeEscape(codePoint), isClass: false, codePoint };
      }
    }
  }
}
