import type { SourceFile } from '../../src/model';
import { PARSERS } from '../../src/parsers';
// The parsers load lazily; loading (transpiling) them under a work meter, which turns the compilers off, would be slow.
import '../../src/parsers/cloudformation';
import '../../src/parsers/netsh';
import '../../src/parsers/terraform';

/** Reads one file as the pipeline does: the first parser that detects it parses it into rules. */
export function readAsPipeline(file: string, text: string): void {
  const source: SourceFile = { path: file, absolutePath: `/hostile/${file}`, text, encoding: 'utf-8' };
  const parser = PARSERS.find((candidate) => candidate.detect(file, text.slice(0, 4096), text));
  if (!parser) throw new Error(`no parser detects ${file}`);
  parser.parse([source], { vars: {}, varFiles: [], params: {} });
}
