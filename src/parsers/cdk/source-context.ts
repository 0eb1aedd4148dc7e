import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceLocation, SourceRange } from '../../model/location';
import { lineStarts, rangeOf } from '../shared/annotations';
import type { Node } from './values';

/** Longest source excerpt kept in an unknown value's `expr`; longer ones are shortened with `…`. */
const MAX_EXPR_CHARS = 120;

/** A point in the diagnostics of a file (see `SourceContext.mark`). */
export interface DiagnosticMark {
  at: number;
  errors: number;
}

/** One source file being read: positions, source excerpts and the diagnostics found so far. */
export class SourceContext {
  /** In the order reported; undefined where a demoted error repeated a warning already reported (see demoteErrors). */
  private readonly reports: (Diagnostic | undefined)[] = [];
  private readonly starts: number[];
  private readonly reported = new Set<string>();
  private errorsReported = 0;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.starts = lineStarts(text);
  }

  /** The diagnostics found so far, in the order reported. */
  get diagnostics(): Diagnostic[] {
    return this.reports.filter((diagnostic): diagnostic is Diagnostic => diagnostic !== undefined);
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
    this.errorsReported++;
    this.push(errorDiagnostic(code, this.file, message, node ? this.range(node) : undefined));
  }

  warning(code: string, message: string, node?: Node): void {
    this.push(warningDiagnostic(code, this.file, message, node ? this.range(node) : undefined));
  }

  /** Where the diagnostics stand: `errors` counts every error reported, one reported before at the place included. */
  mark(): DiagnosticMark {
    return { at: this.reports.length, errors: this.errorsReported };
  }

  /**
   * The errors among the diagnostics reported from `from` up to `to` become warnings naming the condition they depend
   * on (`… (when cidr.includes(':'))`): a value invalid on one side only of an undecidable condition (the Terraform
   * reader's rule). A warning already reported at the same place is not repeated; the error may be reported again
   * should the same code be read where it surely runs.
   */
  demoteErrors(from: DiagnosticMark, to: DiagnosticMark, when: string): void {
    for (let i = from.at; i < to.at; i++) {
      const diagnostic = this.reports[i];
      if (diagnostic?.severity !== 'error') continue;
      this.reported.delete(diagnosticKey(diagnostic));
      const warning: Diagnostic = { ...diagnostic, severity: 'warning', message: `${diagnostic.message} (when ${when})` };
      const key = diagnosticKey(warning);
      if (this.reported.has(key)) {
        this.reports[i] = undefined;
      } else {
        this.reported.add(key);
        this.reports[i] = warning;
      }
    }
  }

  /** A loop or a function called twice reads the same code again: report each problem at a place once. */
  private push(diagnostic: Diagnostic): void {
    const key = diagnosticKey(diagnostic);
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.reports.push(diagnostic);
  }
}

function diagnosticKey(diagnostic: Diagnostic): string {
  return `${diagnostic.code}\u0000${diagnostic.range?.startLine}:${diagnostic.range?.startColumn}\u0000${diagnostic.message}`;
}
