import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceLocation, SourceRange } from '../../model/location';
import { lineStarts, rangeOf } from '../shared/annotations';
import type { Node } from './values';

/** Longest source excerpt kept in an unknown value's `expr`; longer ones are shortened with `…`. */
const MAX_EXPR_CHARS = 120;

/** One source file being read: positions, source excerpts and the diagnostics found so far. */
export class SourceContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly starts: number[];
  private readonly reported = new Set<string>();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.starts = lineStarts(text);
  }

  /** 1-based, end column exclusive, UTF-16 code units (typescript-estree ranges are UTF-16 offsets). */
  range(node: Node): SourceRange {
    return rangeOf(this.starts, node.range[0], node.range[1]);
  }

  rangeOfOffsets(start: number, end: number): SourceRange {
    return rangeOf(this.starts, start, end);
  }

  location(node: Node): SourceLocation {
    return { file: this.file, range: this.range(node) };
  }

  /** From the start of `from` to the end of `to`. */
  span(from: Node, to: Node): SourceLocation {
    return { file: this.file, range: rangeOf(this.starts, from.range[0], to.range[1]) };
  }

  /** The expression as written, on one line and shortened: what FW303 shows for an unresolved value. */
  textOf(node: Node): string {
    const text = this.text.slice(node.range[0], node.range[1]).replace(/\s+/g, ' ').trim();
    return text.length > MAX_EXPR_CHARS ? `${text.slice(0, MAX_EXPR_CHARS - 1)}…` : text;
  }

  error(code: string, message: string, node?: Node): void {
    this.push(errorDiagnostic(code, this.file, message, node ? this.range(node) : undefined));
  }

  warning(code: string, message: string, node?: Node): void {
    this.push(warningDiagnostic(code, this.file, message, node ? this.range(node) : undefined));
  }

  /** A loop or a function called twice reads the same code again: report each problem at a place once. */
  private push(diagnostic: Diagnostic): void {
    const key = `${diagnostic.code}\u0000${diagnostic.range?.startLine}:${diagnostic.range?.startColumn}\u0000${diagnostic.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diagnostic);
  }
}
