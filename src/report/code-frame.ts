import type { SourceRange } from '../model/location';

/** Widest source excerpt shown per line; long lines are windowed around the finding's column. */
const MAX_WIDTH = 160;

/**
 * Up to two lines of source with a caret line under the range, ESLint-style. Lines longer than MAX_WIDTH are shown
 * as a window around the range's start column, so a finding deep in a one-line file prints a short frame.
 */
export function codeFrame(lines: string[], range: SourceRange, color: boolean): string {
  const first = Math.max(1, range.startLine - 1);
  const out: string[] = [];
  const width = String(range.startLine).length;
  const lineText = (lines[range.startLine - 1] ?? '').replace(/\r$/, '');
  // One window for both lines, so the caret stays under the right character.
  const windowStart = lineText.length > MAX_WIDTH ? Math.max(0, Math.min(range.startColumn - 1 - 20, lineText.length - MAX_WIDTH)) : 0;
  const excerpt = (text: string): string => {
    const plain = printable(text.replace(/\r$/, '').replace(/\t/g, ' '));
    if (plain.length <= MAX_WIDTH && windowStart === 0) return plain;
    const slice = plain.slice(windowStart, windowStart + MAX_WIDTH);
    return `${windowStart > 0 ? '…' : ''}${slice}${windowStart + MAX_WIDTH < plain.length ? '…' : ''}`;
  };
  for (let lineNumber = first; lineNumber <= range.startLine; lineNumber++) {
    const marker = lineNumber === range.startLine ? '>' : ' ';
    out.push(`  ${marker} ${String(lineNumber).padStart(width)} | ${excerpt(lines[lineNumber - 1] ?? '')}`);
  }
  const endColumn = range.endLine === range.startLine ? range.endColumn : lineText.length + 1;
  const caretStart = range.startColumn - 1 - windowStart + (windowStart > 0 ? 1 : 0);
  const caretCount = Math.max(1, Math.min(endColumn - range.startColumn, MAX_WIDTH - (caretStart - (windowStart > 0 ? 1 : 0))));
  const caret = `${' '.repeat(Math.max(0, caretStart))}${'^'.repeat(caretCount)}`;
  out.push(`    ${' '.repeat(width)} | ${color ? `\u001b[31m${caret}\u001b[39m` : caret}`);
  return out.join('\n');
}

/**
 * Text from scanned files made safe for a terminal and a CI log, on one line: control characters (an escape sequence
 * in a rule name could retitle or clear the terminal; a line feed in a quoted value could start a line with
 * `::error …`, which a GitHub Actions runner executes as a workflow command) become U+FFFD, one column each, so
 * carets stay aligned.
 */
export function printable(text: string): string {
  return text.replace(process.env.FWLINT_DEBUG === '1' ? CONTROL_CHARACTERS_BUT_STACK_FRAMES : CONTROL_CHARACTERS, '\uFFFD');
}

// C0 controls but tab, DEL and C1 controls.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
// Under --debug an internal error's message ends with its stack: a line feed is kept where it starts a frame. Such a
// line starts with "at" once trimmed (the runner trims), so it cannot be a workflow command.
const CONTROL_CHARACTERS_BUT_STACK_FRAMES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\n(?! {4}at )/g;
