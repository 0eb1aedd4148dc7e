import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHcl } from '../parsers/terraform/hcl';

/** Files, bytes and the best rate over `runs` passes of the HCL reader (lexer and parser, positions on every node). */
export interface HclThroughput {
  files: number;
  bytes: number;
  bestMs: number;
  mbPerSecond: number;
}

/**
 * The HCL reader alone over every `.tf` file of a corpus (issue #2 sets it a floor of 10 MB/s): the files are read
 * first, then parsed `runs` times after one warm-up pass, in this process; evaluation and checks are not included.
 */
export function measureHclReader(root: string, runs = 3): HclThroughput {
  const texts: Array<{ file: string; text: string }> = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tf')) texts.push({ file: full, text: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  const bytes = texts.reduce((sum, { text }) => sum + Buffer.byteLength(text), 0);
  let bestMs = Infinity;
  for (let run = 0; run <= runs; run++) {
    const started = process.hrtime.bigint();
    for (const { file, text } of texts) {
      const parsed = parseHcl(text, file);
      if (parsed.diagnostics.length > 0) throw new Error(`${file}: ${parsed.diagnostics[0]!.message}`);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run > 0) bestMs = Math.min(bestMs, ms);
  }
  return { files: texts.length, bytes, bestMs, mbPerSecond: bytes / 1e6 / (bestMs / 1000) };
}
