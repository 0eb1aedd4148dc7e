import fc from 'fast-check';
import { codeFrame, printable } from '../../src/report/code-frame';
import { displayWidth } from '../../src/report/display-width';

describe('codeFrame', () => {
  it('puts the caret under the range on a short line', () => {
    const frame = codeFrame(['a = 1', 'cidr = "0.0.0.0/0"'], { startLine: 2, startColumn: 8, endLine: 2, endColumn: 19 }, false);
    expect(frame.split('\n')).toEqual(['    1 | a = 1', '  > 2 | cidr = "0.0.0.0/0"', '      |        ^^^^^^^^^^^']);
  });

  it('windows a long single line around the finding, keeping the frame short and the caret aligned', () => {
    const line = `${'x'.repeat(500000)}"0.0.0.0/0"${'y'.repeat(500000)}`;
    const frame = codeFrame([line], { startLine: 1, startColumn: 500001, endLine: 1, endColumn: 500012 }, false);
    expect(frame.length).toBeLessThan(500);
    const [source, caret] = frame.split('\n') as [string, string];
    const caretAt = caret.indexOf('^');
    expect(source.slice(caretAt, caretAt + 11)).toBe('"0.0.0.0/0"');
  });

  // Regression (QA 18b): the caret was placed by UTF-16 column, three columns left of the value on a terminal after
  // "日本語😀" (each CJK character takes two columns; the emoji two UTF-16 units and two columns).
  it('places the caret by display width after wide characters and emoji', () => {
    const line = 'd = "日本語😀" cidr = "0.0.0.0/0"';
    const frame = codeFrame([line], { startLine: 1, startColumn: line.indexOf('"0.0.0.0/0"') + 1, endLine: 1, endColumn: line.length + 1 }, false);
    // `d = "` 5, 日本語 6, 😀 2, `" cidr = ` 9: the value starts at column 22.
    expect(frame.split('\n')).toEqual([`  > 1 | ${line}`, `      | ${' '.repeat(22)}${'^'.repeat(11)}`]);
  });

  it('expands tabs alike in the source line and the caret line', () => {
    const lines = ['{', '\t\t"CidrIp":\t"0.0.0.0/0"'];
    const frame = codeFrame(lines, { startLine: 2, startColumn: 13, endLine: 2, endColumn: 24 }, false);
    expect(frame.split('\n')).toEqual(['    1 | {', '  > 2 |         "CidrIp":   "0.0.0.0/0"', `      | ${' '.repeat(20)}${'^'.repeat(11)}`]);
  });

  it('counts combining marks as nothing, and emoji sequences and flags as one wide character', () => {
    const line = 'n = "Zoe\u0301 👨\u200d👩\u200d👧 🇯🇵" x = "0.0.0.0/0"';
    const start = line.indexOf('"0.0.0.0/0"');
    const frame = codeFrame([line], { startLine: 1, startColumn: start + 1, endLine: 1, endColumn: start + 12 }, false);
    // `n = "` 5, `Zoé` 3, space, family 2, space, flag 2, `" x = ` 6.
    expect(frame.split('\n')[1]).toBe(`      | ${' '.repeat(20)}${'^'.repeat(11)}`);
  });

  it('keeps the caret under the value on a long line of wide characters, windowed by columns', () => {
    const line = `${'あ'.repeat(300)}"0.0.0.0/0"${'い'.repeat(300)}`;
    const frame = codeFrame([line], { startLine: 1, startColumn: 301, endLine: 1, endColumn: 312 }, false);
    const [source, caret] = frame.split('\n') as [string, string];
    const shown = source.slice('  > 1 | '.length);
    expect(displayWidth(shown)).toBeLessThanOrEqual(162);
    expect(caret.indexOf('^') - '      | '.length).toBe(displayWidth(shown.slice(0, shown.indexOf('"0.0.0.0/0"'))));
    expect(caret.trimEnd().endsWith('^'.repeat(11))).toBe(true);
  });

  it('puts the caret under the value whatever precedes it (property)', () => {
    const piece = fc.constantFrom('a', ' ', '\t', '日', 'ｶ', '１', '😀', 'e\u0301', '\u200b', '❤\ufe0f', '1\ufe0f\u20e3', '🇯🇵', '👍🏽', '한', '\u0007', 'é', 'x'.repeat(40));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), (pieces) => {
        const prefix = pieces.join('');
        const line = `${prefix}"0.0.0.0/0"`;
        const [source, caret] = codeFrame([line], { startLine: 1, startColumn: prefix.length + 1, endLine: 1, endColumn: line.length + 1 }, false).split('\n') as [string, string];
        const shown = source.slice('  > 1 | '.length);
        const valueAt = shown.lastIndexOf('"0.0.0.0/0"');
        return valueAt >= 0 && caret === `      | ${' '.repeat(displayWidth(shown.slice(0, valueAt)))}${'^'.repeat(11)}`;
      }),
    );
  });

  // Regression (QA): an escape sequence in a scanned line reached the terminal (it could retitle or clear it).
  it('shows control characters of the source as U+FFFD, one column each', () => {
    const frame = codeFrame(['# \u001b]0;owned\u0007\u001b[2J', 'cidr = "0.0.0.0/0"'], { startLine: 2, startColumn: 8, endLine: 2, endColumn: 19 }, false);
    expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(frame.split('\n')[0]).toBe('    1 | # \uFFFD]0;owned\uFFFD\uFFFD[2J');
  });
});

describe('printable', () => {
  afterEach(() => {
    delete process.env.FWLINT_DEBUG;
  });

  // Regression (QA): a line feed in a quoted value put `::error …` at the start of an output line.
  it('puts a value on one line: line feeds become U+FFFD like the other control characters, tabs stay', () => {
    expect(printable('a\n::error::x\r\n\tb\u2028')).toBe('a\uFFFD::error::x\uFFFD\uFFFD\tb\u2028');
    expect(printable('bug\nError: bug\n    at f (x.js:1:2)')).toBe('bug\uFFFDError: bug\uFFFD    at f (x.js:1:2)');
  });

  it('keeps the lines of a stack trace under --debug, and no other line feed', () => {
    process.env.FWLINT_DEBUG = '1';
    expect(printable('bug\n::error::x\n    at f (x.js:1:2)\n    at g (y.js:3:4)')).toBe('bug\uFFFD::error::x\n    at f (x.js:1:2)\n    at g (y.js:3:4)');
  });
});

describe('displayWidth', () => {
  it('counts terminal columns: wide and fullwidth 2, emoji 2, combining and zero-width 0, tabs to the next stop of 4', () => {
    expect(['abc', '日本語', 'ｶ', '１', '한', '😀', '❤', '❤\ufe0f', '1\ufe0f\u20e3', '🇯🇵', '👨\u200d👩\u200d👧', 'e\u0301', '\u200b', '\u00ad', '\t', 'a\tb', 'ab\t\t', '\u0007', '\u0085', '👍🏽', '🏽', '🇯🇵🇺'].map(displayWidth))
      .toEqual([3, 6, 1, 2, 2, 2, 1, 2, 2, 2, 2, 1, 0, 1, 4, 5, 8, 1, 1, 2, 2, 4]);
  });
});
