import { visit, type Document } from 'yaml';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';

/**
 * Helpers that keep hostile input (issue #11) from turning into unreadable or endless diagnostics: values quoted in
 * messages are shortened, and the YAML library's own failure messages are reworded and reported once.
 */

/** Longest value quoted verbatim in a message; longer ones are cut with an ellipsis (a 1 MB rule name stays 1 line). */
export const MAX_QUOTED_CHARS = 120;

/** `text` as it may appear inside a message: control characters made visible, at most `max` characters. */
export function shorten(text: string, max = MAX_QUOTED_CHARS): string {
  const visible = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (visible.length <= max) return visible;
  // Do not cut a surrogate pair in half.
  let cut = max - 1;
  const code = visible.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${visible.slice(0, cut)}…`;
}

/**
 * The `yaml` library catches a stack overflow on absurd nesting and reports it as an ordinary error, once per
 * bracket that could not be composed ("Maximum call stack size exceeded"). True for that error.
 */
export function isYamlStackOverflow(message: string): boolean {
  return /Maximum call stack size exceeded|too much recursion/i.test(message);
}

/** First line of a `yaml` error message, with the stack overflow reworded into what the user can fix. */
export function describeYamlError(message: string): string {
  if (isYamlStackOverflow(message)) return 'values are nested too deeply to read (thousands of levels of [ { or indentation)';
  return (message.split('\n')[0] ?? '').trim();
}

/**
 * Whether a `yaml` error should be reported: the same failure at many offsets (a stack overflow repeats once per
 * nesting level) is reported only at its first offset. `seen` is per document.
 */
export function firstOfItsKind(seen: Set<string>, code: string, message: string, offset: number): boolean {
  const key = isYamlStackOverflow(message) ? 'stack-overflow' : `${code}:${offset}:${message}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * A parser bug (an exception on some input) as a diagnostic for that one file, worded as the pipeline words its
 * own `internal/*` diagnostics: the message, and the stack only when `FWLINT_DEBUG=1` (or `--debug`).
 */
export function internalDiagnostic(file: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const detail = process.env.FWLINT_DEBUG === '1' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return errorDiagnostic('internal/parse', file, `internal error while reading this file (please report it): ${message}${detail}`);
}

/** Offset of the first alias (`*name`) of a YAML document, where an alias bomb is reported; 0 when it has none. */
export function firstAliasOffset(document: Document.Parsed): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}
