import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { SourceRange } from '../../model/location';
import { lineStarts, rangeOf } from './annotations';

const JSON_ERROR_TEXT: Record<string, string> = {
  InvalidCommentToken: 'comments are not allowed in JSON',
  ValueExpected: 'value expected (a trailing comma?)',
  PropertyNameExpected: 'property name expected (a trailing comma?)',
  CommaExpected: 'comma expected',
  ColonExpected: 'colon expected',
  CloseBraceExpected: 'closing } expected',
  CloseBracketExpected: 'closing ] expected',
  EndOfFileExpected: 'end of file expected',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfComment: 'unterminated comment',
};

/** A jsonc-parser error code in words: `value expected (a trailing comma?)`. */
export function describeJsonError(code: string): string {
  return JSON_ERROR_TEXT[code] ?? code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * The first syntax error of text that `JSON.parse` rejected, in words and where it is: `JSON.parse` says where only
 * in prose, so strict JSON is read again with jsonc-parser for the offset. Called only on the error path.
 */
export function firstJsonSyntaxError(text: string): { message: string; range: SourceRange } {
  const errors: ParseError[] = [];
  try {
    // A byte-order mark is not JSON; a space of the same length keeps every offset.
    parseJsonc(text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses once per level: a hostile depth leaves the place unknown, not the scan broken.
  }
  const error = errors[0];
  if (error === undefined) return { message: 'not valid JSON', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } };
  return {
    message: describeJsonError(printParseErrorCode(error.error)),
    range: rangeOf(lineStarts(text), error.offset, error.offset + Math.max(1, error.length)),
  };
}

/** Deepest `[`/`{` nesting outside strings, up to just past `limit`, and where it is reached; linear. */
export function bracketDepth(text: string, limit: number): { depth: number; offset: number } {
  let depth = 0;
  let deepest = { depth: 0, offset: 0 };
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92 /* \ */) i++;
      else if (char === 34 /* " */) inString = false;
    } else if (char === 34) {
      inString = true;
    } else if (char === 91 || char === 123) {
      depth++;
      if (depth > deepest.depth) deepest = { depth, offset: i };
      if (depth > limit) break;
    } else if (char === 93 || char === 125) {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}
