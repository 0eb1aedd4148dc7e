import type { Diagnostic } from './diagnostic';
import type { SourceKind, SourceRange } from './location';
import type { Target } from './target';

/** A discovered input: `path` is relative to cwd with `/` separators; `text` is decoded. */
export interface SourceFile {
  path: string;
  absolutePath: string;
  text: string;
  /** How the bytes were decoded; `cp437` means they were not valid UTF-8 (only netsh exports accept that). */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'cp437';
  /** For `cp437` text: where the first byte that is not UTF-8 is (an offset into `text`, one character per byte). */
  invalidUtf8At?: number;
}

/** An in-source `fwlint:` comment, attached to the target or rule below it by the suppress stage. */
export interface Annotation {
  directive: 'profile' | 'ignore' | 'target';
  /** Everything after the directive word. */
  argument: string;
  file: string;
  range: SourceRange;
}

/** Options the parsers need from the command line and config. */
export interface ParseOptions {
  /** Terraform `--var NAME=VALUE` (values are HCL expressions or plain strings). */
  vars: Record<string, string>;
  /** Terraform `--var-file` paths, absolute. */
  varFiles: string[];
  /** CloudFormation `--param NAME=VALUE`. */
  params: Record<string, string>;
}

export interface ParseResult {
  targets: Target[];
  annotations: Annotation[];
  diagnostics: Diagnostic[];
}

/** A format handler (style.md §2): cheap detection, and parsing that never throws on bad input. */
export interface FormatParser {
  kind: SourceKind;
  /** Looks only at the path and the first 4 KiB of text; never throws. */
  detect(path: string, head: string): boolean;
  /** Parses every file detected as this format in one call (Terraform needs a module's files together). */
  parse(files: SourceFile[], options: ParseOptions): ParseResult;
}
