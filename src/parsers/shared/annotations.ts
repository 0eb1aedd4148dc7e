import type { SourceRange } from '../../model/location';
import type { Annotation } from '../../model/source-file';

const DIRECTIVES = ['profile', 'ignore', 'target'];
/** Directives are case-sensitive, as ESLint's `eslint-disable` is: `FWLINT:IGNORE` is no directive (see NEAR_MISS). */
const ANNOTATION = /fwlint:(profile|ignore|target)\b[ \t]*([^\r\n]*)/;
/** What may be meant as a directive: any case, spaces around the colon, or a hyphen (`fwlint-ignore`). */
const NEAR_MISS = /\bfwlint[ \t]*[:-][ \t]*([A-Za-z]+)/i;

/**
 * Reads a `fwlint:profile|ignore|target …` directive from a comment's text (comment markers already stripped or not:
 * the directive may appear anywhere in it). Returns undefined for ordinary comments, and a `misspelled` annotation
 * (its argument the text as written) for a near miss (`FWLINT:IGNORE`, `fwlint: ignore`, `fwlint:ignroe`), which
 * would otherwise be silently no directive: the pipeline warns about it.
 */
export function annotationFromComment(commentText: string, file: string, range: SourceRange): Annotation | undefined {
  const match = ANNOTATION.exec(commentText);
  if (!match) {
    const nearMiss = NEAR_MISS.exec(commentText);
    if (nearMiss === null) return undefined;
    // A directive word in another case or spacing, or a typo of one after the exact `fwlint:` (prose such as
    // "FWLint: targets below" is no near miss).
    const word = nearMiss[1]!;
    const isTypo = nearMiss[0].startsWith('fwlint:') && DIRECTIVES.some((directive) => isAtMostOneEditApart(word, directive));
    if (!DIRECTIVES.includes(word.toLowerCase()) && !isTypo) return undefined;
    return { directive: 'misspelled', argument: nearMiss[0], file, range };
  }
  const argument = match[2]!.replace(/\*\/\s*$/, '').trim();
  return { directive: match[1] as Annotation['directive'], argument, file, range };
}

/** Whether one insertion, deletion, substitution or swap of neighbours (or none) turns `a` into `b`. */
export function isAtMostOneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  if (a.slice(start + 1) === b.slice(start + 1) || a.slice(start + 1) === b.slice(start) || a.slice(start) === b.slice(start + 1)) return true;
  return a[start] === b[start + 1] && a[start + 1] === b[start] && a.slice(start + 2) === b.slice(start + 2);
}

/** A comment of a file: its text (markers stripped or not), place, and 0-based offsets (end exclusive). */
export interface SourceComment {
  text: string;
  range: SourceRange;
  start: number;
  end: number;
  /** See `Annotation.subjectLine`: set by a reader that knows what the comment is about beyond its position. */
  subjectLine?: number;
  /** See `Annotation.subjectColumn`: with `subjectLine`, where the subject starts exactly. */
  subjectColumn?: number;
}

/**
 * The `fwlint:` annotations among a file's comments, each written on its own line with the line it applies to
 * (`Annotation.nextCodeLine`): the first line after the comment holding anything but blank space and comments. A
 * comment at the end of a line of code applies to that line only. A comment whose reader placed its subject exactly
 * (`SourceComment.subjectColumn`: a `"//"` property of JSON) has no next line: only its subject counts.
 */
export function annotationsFromComments(text: string, file: string, comments: readonly SourceComment[]): Annotation[] {
  const annotations: Annotation[] = [];
  let commentEndAt: Map<number, number> | undefined;
  let starts: number[] | undefined;
  for (const comment of comments) {
    const annotation = annotationFromComment(comment.text, file, comment.range);
    if (!annotation) continue;
    annotations.push(annotation);
    if (comment.subjectLine !== undefined) annotation.subjectLine = comment.subjectLine;
    if (comment.subjectColumn !== undefined) {
      annotation.subjectColumn = comment.subjectColumn;
      continue;
    }
    const lineStart = text.lastIndexOf('\n', comment.start - 1) + 1;
    if (text.slice(lineStart, comment.start).trim() !== '') continue;
    commentEndAt ??= new Map(comments.map((other) => [other.start, other.end]));
    let offset = comment.end;
    for (;;) {
      while (offset < text.length && /\s/.test(text[offset]!)) offset++;
      const skipTo = commentEndAt.get(offset);
      if (skipTo === undefined || skipTo <= offset) break;
      offset = skipTo;
    }
    if (offset < text.length) annotation.nextCodeLine = positionAt((starts ??= lineStarts(text)), offset).line;
  }
  return annotations;
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
