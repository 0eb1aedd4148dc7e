import { translateRe2 } from '../../../src/parsers/shared/re2-pattern';

/** The first match of an RE2 pattern as the translation finds it, or `refused`. */
function firstMatch(pattern: string, text: string): string | null | 'refused' {
  const translated = translateRe2(pattern);
  if (translated.kind === 'refused') return 'refused';
  return translated.regexp.exec(text)?.[0] ?? null;
}

describe('translateRe2: RE2 patterns as JS regular expressions', () => {
  it.each([
    // RE2's `.` excludes only \n, JS's also \r; `(?s)` lets it match \n.
    ['a.c', 'a\rc', 'a\rc'],
    ['a.c', 'a\nc', null],
    ['(?s)a.c', 'a\nc', 'a\nc'],
    // RE2's \s is [\t\n\f\r ]: no \v, no Unicode spaces.
    ['\\s', '\v\u00a0', null],
    ['[^\\s]+', ' ab ', 'ab'],
    // (?m) anchors stop at \n only.
    ['(?m)^b$', 'a\nb\r\nc', null],
    ['(?m)^b$', 'a\nb\nc', 'b'],
    ['\\Ab\\z', 'b', 'b'],
    ['\\Q1.2\\E', 'x1.2', '1.2'],
    ['\\Q1.2\\E', '102', null],
    ['\\x{41}\\x42\\.', 'AB.', 'AB.'],
    // A `{` that starts no repeat count is a literal in RE2 (a syntax error in a JS `u` RegExp).
    ['x{', 'x{', 'x{'],
    ['[a-c\\d-]+', 'zb-2z', 'b-2'],
    ['[]a]+', ']a', ']a'],
    ['(?P<port>\\d{2,5})', 'tcp/8080', '8080'],
    ['ü+', 'aüü', 'üü'],
  ])('%j on %j matches %j', (pattern, text, expected) => {
    expect(firstMatch(pattern, text)).toBe(expected);
  });

  it.each([
    ['(?<=a)b', 'lookbehind is not RE2'],
    ['(?=a)', 'lookahead is not RE2'],
    ['(a)\\1', 'back references are not RE2'],
    ['\\C', 'any byte: no JS equivalent'],
    ['\\pL', 'Unicode classes are spelled differently'],
    ['[[:alpha:]]', 'POSIX classes'],
    ['a(?i)b', 'flags after the start'],
    ['(?U)a+', 'ungreedy mode'],
    ['a**', 'nested repetition operator (an RE2 error)'],
    ['a{1001}', 'a count above RE2 limit'],
    ['(a+)+', 'a repeated repetition backtracks exponentially'],
    ['(a|ab)*c', 'a repeated alternation backtracks exponentially'],
    ['(a?a?){3}', 'a counted repetition of optional pieces'],
  ])('refuses %j (%s)', (pattern) => {
    expect(translateRe2(pattern).kind).toBe('refused');
  });

  it('keeps repetitions that cannot backtrack exponentially', () => {
    expect(firstMatch('^(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)/(\\d+)$', '10.0.0.0/16')).toBe('10.0.0.0/16');
    expect(firstMatch('(?:ab)+', 'xabab')).toBe('abab');
    expect(firstMatch('(a+b)?c', 'aabc')).toBe('aabc');
  });

  it('bounds backtracking by the input length, so a polynomial pattern on a long string is not run', () => {
    const translated = translateRe2('a*a*a*a*b');
    if (translated.kind !== 'translated') throw new Error('not translated');
    expect(translated.isWithinBudget(20)).toBe(true);
    // About 1.6e7 paths; unbounded, 200 characters take seconds.
    expect(translated.isWithinBudget(50)).toBe(false);
    const simple = translateRe2(':');
    expect(simple.kind === 'translated' && simple.isWithinBudget(100_000)).toBe(true);
  });
});
