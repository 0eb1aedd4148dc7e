import type { SourceRange } from '../../model';

/**
 * Splits text into lines on LF, dropping the CR of CRLF (line numbers then match `lineStarts`). Every CR before the
 * LF goes: `netsh … > file` run through a tool that converts line ends again writes CR CR LF, one line break.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith('\r')) {
      let end = line.length - 1;
      while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
      lines[i] = line.slice(0, end);
    }
  }
  return lines;
}

/** Range covering whole lines `startLine`..`endLine` (1-based) of `lines`, end column exclusive. */
export function lineSpan(lines: readonly string[], startLine: number, endLine: number): SourceRange {
  return { startLine, startColumn: 1, endLine, endColumn: (lines[endLine - 1] ?? '').length + 1 };
}
