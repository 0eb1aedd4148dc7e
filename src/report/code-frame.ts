import type { SourceRange } from '../model/location';

/** Up to two lines of source with a caret line under the range, ESLint-style. */
export function codeFrame(lines: string[], range: SourceRange, color: boolean): string {
  const first = Math.max(1, range.startLine - 1);
  const out: string[] = [];
  const width = String(range.startLine).length;
  for (let lineNumber = first; lineNumber <= range.startLine; lineNumber++) {
    const text = (lines[lineNumber - 1] ?? '').replace(/\t/g, ' ').replace(/\r$/, '');
    const clipped = text.length > 160 ? `${text.slice(0, 157)}...` : text;
    const marker = lineNumber === range.startLine ? '>' : ' ';
    out.push(`  ${marker} ${String(lineNumber).padStart(width)} | ${clipped}`);
  }
  const lineText = lines[range.startLine - 1] ?? '';
  const endColumn = range.endLine === range.startLine ? range.endColumn : lineText.length + 1;
  const caretCount = Math.max(1, Math.min(endColumn - range.startColumn, 160 - range.startColumn + 1));
  const caret = `${' '.repeat(Math.max(0, range.startColumn - 1))}${'^'.repeat(caretCount)}`;
  out.push(`    ${' '.repeat(width)} | ${color ? `\u001b[31m${caret}\u001b[39m` : caret}`);
  return out.join('\n');
}
