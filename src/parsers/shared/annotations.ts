import type { SourceRange } from '../../model/location';
import type { Annotation } from '../../model/source-file';

const ANNOTATION = /fwlint:(profile|ignore|target)\b[ \t]*([^\r\n]*)/;

/**
 * Reads a `fwlint:profile|ignore|target …` directive from a comment's text (comment markers already stripped or not:
 * the directive may appear anywhere in it). Returns undefined for ordinary comments.
 */
export function annotationFromComment(commentText: string, file: string, range: SourceRange): Annotation | undefined {
  const match = ANNOTATION.exec(commentText);
  if (!match) return undefined;
  const argument = match[2]!.replace(/\*\/\s*$/, '').trim();
  return { directive: match[1] as Annotation['directive'], argument, file, range };
}

/** Line starts (0-based offsets) of a text, for offset → line/column conversion. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Converts a 0-based offset into a 1-based line and column (UTF-16 code units), by binary search over lineStarts. */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/** Range between two 0-based offsets (end exclusive). */
export function rangeOf(starts: readonly number[], startOffset: number, endOffset: number): SourceRange {
  const start = positionAt(starts, startOffset);
  const end = positionAt(starts, endOffset);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}
