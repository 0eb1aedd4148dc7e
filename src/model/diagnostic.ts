import type { SourceRange } from './location';

/**
 * A problem with an input (parse error, unreadable file, bad config), reported as data rather than thrown.
 * `code` is namespaced by stage: `parse/hcl-unterminated-string`, `read/binary`, `config/schema`, `internal/parse`.
 */
export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** Relative to cwd, `/` separators. Empty for problems that concern no file (e.g. a bad CLI flag). */
  file: string;
  range?: SourceRange;
}

/** Value-plus-diagnostics result of every stage that reads user input: stages never throw on bad input. */
export interface WithDiagnostics<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function errorDiagnostic(code: string, file: string, message: string, range?: SourceRange): Diagnostic {
  return range ? { code, severity: 'error', message, file, range } : { code, severity: 'error', message, file };
}

export function warningDiagnostic(code: string, file: string, message: string, range?: SourceRange): Diagnostic {
  return range ? { code, severity: 'warning', message, file, range } : { code, severity: 'warning', message, file };
}
