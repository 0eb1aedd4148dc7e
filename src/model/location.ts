/** A span in a source file: 1-based lines and columns, end column exclusive, columns in UTF-16 code units (as SARIF). */
export interface SourceRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Where a model element came from. `file` is relative to the scan's working directory, with `/` separators. */
export interface SourceLocation {
  file: string;
  range: SourceRange;
}

export type SourceKind = 'terraform-hcl' | 'terraform-plan' | 'cloudformation' | 'netsh' | 'powershell' | 'cdk';

/**
 * Whether a target or rule of this kind is one Windows host's (a netsh export or script, a PowerShell JSON export):
 * read alike from there on, whichever export it came from.
 */
export function isWindowsHostKind(kind: SourceKind): boolean {
  return kind === 'netsh' || kind === 'powershell';
}

/** Returns the range covering both `a` and `b`. */
export function spanRanges(a: SourceRange, b: SourceRange): SourceRange {
  const startFirst = a.startLine < b.startLine || (a.startLine === b.startLine && a.startColumn <= b.startColumn);
  const endLast = a.endLine > b.endLine || (a.endLine === b.endLine && a.endColumn >= b.endColumn);
  const start = startFirst ? a : b;
  const end = endLast ? a : b;
  return { startLine: start.startLine, startColumn: start.startColumn, endLine: end.endLine, endColumn: end.endColumn };
}

/** Compares two locations by file (code-unit order), then start line, then start column. */
export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn;
}
