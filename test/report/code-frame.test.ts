import { codeFrame, printable } from '../../src/report/code-frame';

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
