import { readFileSync } from 'fs';
import { join } from 'path';
import type { ParseOptions, ParseResult, SourceFile, Target } from '../../../src/model';
import { decodeNetshBytes, netshParser } from '../../../src/parsers/netsh';

const FIXTURES = join(__dirname, '../../../fixtures/netsh');
export const NETSH_OPTIONS: ParseOptions = { vars: {}, varFiles: [], params: {} };

/** Loads a fixture as the bytes on disk, decodes it with our decoder, and builds the SourceFile the parser gets. */
export function loadNetshFixture(relative: string): SourceFile {
  const absolutePath = join(FIXTURES, relative);
  const { text, encoding } = decodeNetshBytes(readFileSync(absolutePath));
  return { path: `fixtures/netsh/${relative}`, absolutePath, text, encoding };
}

/** Parses in-memory text as one netsh input file named `path`. */
export function parseNetshText(text: string, path: string): ParseResult {
  return netshParser.parse([{ path, absolutePath: `/work/${path}`, text, encoding: 'utf-8' }], NETSH_OPTIONS);
}

export function onlyTarget(result: ParseResult): Target {
  expect(result.targets).toHaveLength(1);
  return result.targets[0]!;
}
