import { firstJsonSyntaxError } from '../parsers/shared/json-error';
import { errorDiagnostic, type WithDiagnostics } from '../model/diagnostic';
import type { Finding } from '../model/finding';

/** The baseline file: findings accepted as they are, identified by fingerprint (never by line). */
export interface Baseline {
  version: 1;
  tool: 'fwlint';
  findings: Array<{ fingerprint: string; checkId: string; targetId: string; message: string }>;
}

/**
 * The baseline of a scan: every finding that is not suppressed, plus the findings the applied baseline muted (so
 * `--baseline X --write-baseline X` keeps the entries that still occur and drops only the absent ones).
 */
export function createBaseline(findings: Finding[]): Baseline {
  const entries = findings
    .filter((finding) => !finding.suppression || finding.suppression.baseline === true)
    .map((finding) => ({ fingerprint: finding.fingerprint, checkId: finding.checkId, targetId: finding.targetId, message: finding.message }));
  const unique = new Map(entries.map((entry) => [entry.fingerprint, entry]));
  return { version: 1, tool: 'fwlint', findings: [...unique.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)) };
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

/** Marks findings present in the baseline as external suppressions; returns how many matched and how many entries are gone. */
export function applyBaseline(findings: Finding[], baseline: Baseline): { baselined: number; absent: number } {
  const known = new Set(baseline.findings.map((entry) => entry.fingerprint));
  const seen = new Set<string>();
  let baselined = 0;
  for (const finding of findings) {
    if (finding.suppression || !known.has(finding.fingerprint)) continue;
    finding.suppression = { kind: 'external', justification: 'in baseline', baseline: true };
    seen.add(finding.fingerprint);
    baselined++;
  }
  return { baselined, absent: [...known].filter((fingerprint) => !seen.has(fingerprint)).length };
}
