import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanOptions, type ScanResult } from '../../src/pipeline/scan';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Scans fixture paths (relative to fixtures/) from the repository root, as the CLI would. */
export function scanFixture(fixtures: string | string[], options: Partial<ScanOptions> = {}): ScanResult {
  const paths = (Array.isArray(fixtures) ? fixtures : [fixtures]).map((fixture) => path.join('fixtures', fixture));
  return scan({ paths, cwd: REPO_ROOT, today: '2026-11-23', ...options });
}

/** Writes `files` (name → text) into a fresh temporary folder, scans it as `fwlint scan .` there would, and removes it. */
export function scanFiles(files: Record<string, string>, options: Partial<ScanOptions> = {}): ScanResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-files-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), text);
    }
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', ...options });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
