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
  /**
   * Files or folders the message names, as `file` is named (relative to cwd), and where in the message: reports that
   * name paths another way (SARIF, GitHub annotations: relative to the repository root) name these so too.
   */
  messagePaths?: MessagePath[];
}

export interface MessagePath {
  offset: number;
  path: string;
}

/**
 * A message with the paths it names recorded (`Diagnostic.messagePaths`): a template tag whose every substitution is
 * a path, as reports name files (relative to cwd). `textWithPaths\`scan ${file} again\``
 */
export function textWithPaths(strings: TemplateStringsArray, ...paths: string[]): { message: string; messagePaths: MessagePath[] } {
  let message = strings[0]!;
  const messagePaths: MessagePath[] = [];
  paths.forEach((file, index) => {
    messagePaths.push({ offset: message.length, path: file });
    message += file + strings[index + 1]!;
  });
  return { message, messagePaths };
}

/** The message with the paths it names (`messagePaths`) named by `namePath`; as it is where it no longer holds them there. */
export function messageNamingPaths(diagnostic: Diagnostic, namePath: (file: string) => string): string {
  const { message, messagePaths } = diagnostic;
  if (!messagePaths || messagePaths.length === 0) return message;
  let text = '';
  let at = 0;
  for (const { offset, path } of [...messagePaths].sort((a, b) => a.offset - b.offset)) {
    // Changed since it was made (a prefix added): left as written rather than garbled.
    if (offset < at || !message.startsWith(path, offset)) return message;
    text += message.slice(at, offset) + namePath(path);
    at = offset + path.length;
  }
  return text + message.slice(at);
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
