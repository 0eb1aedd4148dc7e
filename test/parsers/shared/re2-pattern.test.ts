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
    ['(a|ab){1000}', 'a counted repetition whose copies exceed the budget on any input'],
    ['((a|b){3})+', 'an unbounded repetition of a counted one'],
  ])('refuses %j (%s)', (pattern) => {
    expect(translateRe2(pattern).kind).toBe('refused');
  });

  it('keeps repetitions that cannot backtrack exponentially', () => {
    expect(firstMatch('^(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)/(\\d+)$', '10.0.0.0/16')).toBe('10.0.0.0/16');
    expect(firstMatch('(?:ab)+', 'xabab')).toBe('abab');
    expect(firstMatch('(a+b)?c', 'aabc')).toBe('aabc');
  });

  // Regression (QA-13 12): any repeated group holding a choice was refused, the usual CIDR pattern among them.
  it('keeps a bounded repetition of a piece with choices, counted as its copies written out', () => {
    const quickStartCidr = '^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(\\/([0-9]|[1-2][0-9]|3[0-2]))$';
    expect(firstMatch(quickStartCidr, '255.255.255.255/32')).toBe('255.255.255.255/32');
    expect(firstMatch(quickStartCidr, '10.0.0.0/33')).toBeNull();
    expect(firstMatch('^10\\.(\\d{1,3}\\.){2}\\d{1,3}/(8|16|24)$', '10.1.2.3/16')).toBe('10.1.2.3/16');
    const cidr = translateRe2(quickStartCidr);
    expect(cidr.kind === 'translated' && cidr.isWithinBudget(1000)).toBe(true);
    // `(a?a?){3}` is `a?a?a?a?a?a?`: polynomial, so run on short values only, as that pattern is.
    const optional = translateRe2('(a?a?){3}b');
    expect(optional.kind === 'translated' && optional.isWithinBudget(10)).toBe(true);
    expect(optional.kind === 'translated' && optional.isWithinBudget(100)).toBe(false);
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
