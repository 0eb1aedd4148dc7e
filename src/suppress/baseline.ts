import { firstJsonSyntaxError } from '../parsers/shared/json-error';
import { errorDiagnostic, type WithDiagnostics } from '../model/diagnostic';
import type { Finding } from '../model/finding';

/**
 * The baseline file: findings accepted as they are, identified by fingerprint and file (never by line). The
 * fingerprint hashes the check, target id and rule content, which two root modules can share (`envs/dev` and
 * `envs/prod` both defining `aws_security_group.web`): the file keeps an accepted finding in dev from hiding the
 * same new one in prod. Entries without a file (written before it was recorded) match by fingerprint alone.
 */
export interface Baseline {
  version: 1;
  tool: 'fwlint';
  findings: BaselineEntry[];
}

export interface BaselineEntry {
  fingerprint: string;
  checkId: string;
  targetId: string;
  message: string;
  /** The finding's file, as the report names it (relative to the folder the scan ran in). */
  file?: string;
}

/** How an entry is looked up: fingerprint and file, or the fingerprint alone for an entry without a file. */
function entryKey(fingerprint: string, file: string | undefined): string {
  return file === undefined ? fingerprint : `${fingerprint}\u0000${file}`;
}

/**
 * The baseline of a scan: every finding that is not suppressed, plus the findings the applied baseline muted (so
 * `--baseline X --write-baseline X` keeps the entries that still occur and drops only the absent ones), plus the
 * entries in `kept` (absent ones the caller cannot be sure are gone).
 */
export function createBaseline(findings: Finding[], kept: readonly BaselineEntry[] = []): Baseline {
  const entries: BaselineEntry[] = findings
    .filter((finding) => !finding.suppression || finding.suppression.baseline === true)
    .map((finding) => ({ fingerprint: finding.fingerprint, checkId: finding.checkId, targetId: finding.targetId, message: finding.message, file: finding.location.file }));
  const unique = new Map([...entries, ...kept].map((entry) => [entryKey(entry.fingerprint, entry.file), entry]));
  const order = (a: BaselineEntry, b: BaselineEntry): number =>
    a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : 0;
  return { version: 1, tool: 'fwlint', findings: [...unique.values()].sort(order) };
}

/** Validates parsed JSON as a baseline; returns an error message for anything else. */
export function parseBaseline(data: unknown): Baseline | { error: string } {
  const candidate = data as Partial<Baseline> | null;
  if (!candidate || candidate.version !== 1 || !Array.isArray(candidate.findings)) {
    return { error: 'not an fwlint baseline (expected {"version": 1, "findings": [...]}; write one with --write-baseline)' };
  }
  if (!candidate.findings.every((entry) => entry && typeof entry.fingerprint === 'string')) {
    return { error: 'baseline entries need a "fingerprint" string' };
  }
  if (!candidate.findings.every((entry) => entry.file === undefined || typeof entry.file === 'string')) {
    return { error: 'a baseline entry\'s "file" must be a string' };
  }
  return candidate as Baseline;
}

/**
 * Reads the text of a `--baseline` file (`file` is its display path): the baseline, or undefined with a
 * `baseline/invalid` diagnostic (at the first syntax error, when it is not JSON) so the scan goes on without it.
 */
export function baselineFromText(text: string, file: string): WithDiagnostics<Baseline | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    const { range } = firstJsonSyntaxError(text);
    return { value: undefined, diagnostics: [errorDiagnostic('baseline/invalid', file, 'invalid baseline file: not valid JSON; findings were not compared with a baseline', range)] };
  }
  const parsed = parseBaseline(data);
  if ('error' in parsed) {
    return { value: undefined, diagnostics: [errorDiagnostic('baseline/invalid', file, `invalid baseline file: ${parsed.error}; findings were not compared with a baseline`)] };
  }
  return { value: parsed, diagnostics: [] };
}

/** Marks findings present in the baseline as external suppressions; returns how many matched, and the entries no finding matched. */
export function applyBaseline(findings: Finding[], baseline: Baseline): { baselined: number; absent: BaselineEntry[] } {
  const known = new Map(baseline.findings.map((entry) => [entryKey(entry.fingerprint, entry.file), entry]));
  const seen = new Set<string>();
  let baselined = 0;
  for (const finding of findings) {
    if (finding.suppression) continue;
    const withFile = entryKey(finding.fingerprint, finding.location.file);
    const key = known.has(withFile) ? withFile : known.has(finding.fingerprint) ? finding.fingerprint : undefined;
    if (key === undefined) continue;
    finding.suppression = { kind: 'external', justification: 'in baseline', baseline: true };
    seen.add(key);
    baselined++;
  }
  return { baselined, absent: [...known].filter(([key]) => !seen.has(key)).map(([, entry]) => entry) };
}
