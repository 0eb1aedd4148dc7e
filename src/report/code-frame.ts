import type { SourceRange } from '../model/location';
import { plainPrefixLength, scanCells } from './display-width';

/** Widest source excerpt shown per line, in terminal columns; long lines are windowed around the finding's column. */
const MAX_WIDTH = 160;

/**
 * Up to two lines of source with a caret line under the range, ESLint-style. Lines wider than MAX_WIDTH are shown
 * as a window around the range's start, so a finding deep in a one-line file prints a short frame. Placed by
 * display width (`scanCells`): wide characters and emoji before the value take two columns, tabs are expanded alike
 * in the source and caret lines, so the caret is under the value in a terminal.
 */
export function codeFrame(lines: string[], range: SourceRange, color: boolean): string {
  const first = Math.max(1, range.startLine - 1);
  const out: string[] = [];
  const width = String(range.startLine).length;
  const lineText = withoutCr(lines[range.startLine - 1] ?? '');
  const startIndex = range.startColumn - 1;
  const endIndex = range.endLine === range.startLine ? range.endColumn - 1 : lineText.length;
  // The columns the range starts and ends at, and the line's width as far as the window needs it: the scan stops
  // once past MAX_WIDTH columns from 20 before the start (the window then starts there). In the plain prefix of the
  // line (most lines are plain ASCII) columns are indices, so the scan starts at the range there.
  const plain = plainPrefixLength(lineText);
  const scanFrom = Math.max(0, Math.min(plain, startIndex, endIndex));
  let startColumn = scanFrom;
  let endColumn: number | undefined;
  let lineWidth = scanFrom;
  scanCells(lineText, (index, column, cellWidth) => {
    if (index <= startIndex) startColumn = column;
    else if (column > Math.max(0, startColumn - 20) + MAX_WIDTH) return false;
    if (endColumn === undefined && index >= endIndex) endColumn = column;
    lineWidth = column + cellWidth;
    return true;
  }, scanFrom);
  // A range past the end of the line (a column of its line break) starts after it.
  if (startIndex >= lineText.length) startColumn = lineWidth + (startIndex - lineText.length);
  endColumn ??= lineWidth + Math.max(0, endIndex - lineText.length);
  // One window for both lines, so the caret stays under the right character.
  const windowStart = lineWidth > MAX_WIDTH ? Math.max(0, Math.min(startColumn - 20, lineWidth - MAX_WIDTH)) : 0;
  const windowEnd = windowStart + MAX_WIDTH;
  const excerpt = (text: string): string => {
    let shown = '';
    let cut = false;
    const line = withoutCr(text);
    scanCells(line, (_index, column, cellWidth, cell) => {
      if (column + cellWidth > windowEnd) {
        cut = true;
        return false;
      }
      if (column >= windowStart) shown += cell;
      // A wide character the window's left edge cuts: the columns of it inside the window stay blank.
      else if (column + cellWidth > windowStart) shown += ' '.repeat(column + cellWidth - windowStart);
      return true;
    }, Math.min(windowStart, plainPrefixLength(line)));
    return `${windowStart > 0 ? '…' : ''}${shown}${cut ? '…' : ''}`;
  };
  for (let lineNumber = first; lineNumber <= range.startLine; lineNumber++) {
    const marker = lineNumber === range.startLine ? '>' : ' ';
    out.push(`  ${marker} ${String(lineNumber).padStart(width)} | ${excerpt(lines[lineNumber - 1] ?? '')}`);
  }
  const caretStart = startColumn - windowStart + (windowStart > 0 ? 1 : 0);
  const caretCount = Math.max(1, Math.min(endColumn, windowEnd) - startColumn);
  const caret = `${' '.repeat(Math.max(0, caretStart))}${'^'.repeat(caretCount)}`;
  out.push(`    ${' '.repeat(width)} | ${color ? `\u001b[31m${caret}\u001b[39m` : caret}`);
  return out.join('\n');
}

function withoutCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
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
