import { statSync } from 'fs';
import { join } from 'path';
import { DEFAULT_MAX_FILE_BYTES, readSourceFile } from '../../../src/discover/read';
import type { Diagnostic, ParseOptions, ParseResult, SourceFile, Target } from '../../../src/model';
import { netshParser } from '../../../src/parsers/netsh';

const FIXTURES = join(__dirname, '../../../fixtures/netsh');
export const NETSH_OPTIONS: ParseOptions = { vars: {}, varFiles: [], params: {} };

/** Reads a fixture as the CLI does (`readSourceFile`: the bytes on disk through the one production decoder). */
export function readNetshFixture(relative: string): { file?: SourceFile; diagnostic?: Diagnostic } {
  const absolutePath = join(FIXTURES, relative);
  return readSourceFile({ path: `fixtures/netsh/${relative}`, absolutePath, size: statSync(absolutePath).size }, DEFAULT_MAX_FILE_BYTES);
}

/** The SourceFile the parser gets for a fixture, read and decoded by the production path. */
export function loadNetshFixture(relative: string): SourceFile {
  const { file, diagnostic } = readNetshFixture(relative);
  if (file === undefined) throw new Error(`${relative}: ${diagnostic?.message ?? 'not read'}`);
  return file;
}

/** Parses in-memory text as one netsh input file named `path`. */
export function parseNetshText(text: string, path: string): ParseResult {
  return netshParser.parse([{ path, absolutePath: `/work/${path}`, text, encoding: 'utf-8' }], NETSH_OPTIONS);
}

export function onlyTarget(result: ParseResult): Target {
  expect(result.targets).toHaveLength(1);
  return result.targets[0]!;
}
