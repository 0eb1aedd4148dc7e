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

/** A file system error as a diagnostic says it: `no such file or folder`, not `ENOENT: …, open '/abs/path'`. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}
