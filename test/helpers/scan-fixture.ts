import * as path from 'node:path';
import { scan, type ScanOptions, type ScanResult } from '../../src/pipeline/scan';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Scans fixture paths (relative to fixtures/) from the repository root, as the CLI would. */
export function scanFixture(fixtures: string | string[], options: Partial<ScanOptions> = {}): ScanResult {
  const paths = (Array.isArray(fixtures) ? fixtures : [fixtures]).map((fixture) => path.join('fixtures', fixture));
  return scan({ paths, cwd: REPO_ROOT, today: '2026-11-23', ...options });
}
