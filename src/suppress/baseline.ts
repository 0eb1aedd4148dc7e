import { firstJsonSyntaxError } from '../parsers/shared/json-error';
import { errorDiagnostic, type WithDiagnostics } from '../model/diagnostic';
import type { Finding } from '../model/finding';

/**
 * The baseline file: findings accepted as they are, identified by fingerprint and where they are (never by line).
 * The fingerprint hashes the check, target id and rule content, which two root modules can share (`envs/dev` and
 * `envs/prod` both defining `aws_security_group.web`): the place keeps an accepted finding in dev from hiding the
 * same new one in prod. The place is the file, except for Terraform, where a module's folder is the unit (its files
 * are read as one, and an address is unique in it): moving a resource to another file of the module keeps it
 * accepted. A module used by several roots is one folder for all of them: there the root module tells them apart.
 * Entries without a file (written before it was recorded) match by fingerprint alone.
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
  /** Terraform, a finding on a resource of a module instance: the folder of its root module, named like `file`. */
  root?: string;
}

/**
 * Terraform reads a folder's `.tf` files as one module: the folder, not the file, is where a resource is. A module
 * `terraform init` installed (`envs/prod/.terraform/modules/sg/main.tf`, where earlier versions reported its findings)
 * is the root module's folder, where its `module` block is: the place does not depend on the download's key path.
 */
function placeOf(file: string): string {
  if (!/\.tf(\.json)?$/.test(file)) return file;
  const installed = /(?:^|\/)\.terraform\//.exec(file);
  return installed ? file.slice(0, installed.index) : file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

function compareText(a: string | undefined, b: string | undefined): number {
  const [x, y] = [a ?? '', b ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The baseline of a scan: every finding that is not suppressed, plus the findings the applied baseline muted (so
 * `--baseline X --write-baseline X` keeps the entries that still occur and drops only the absent ones), plus the
 * entries in `kept` (absent ones the caller cannot be sure are gone).
 */
export function createBaseline(findings: Finding[], kept: readonly BaselineEntry[] = []): Baseline {
  const entries: BaselineEntry[] = findings
    .filter((finding) => !finding.suppression || finding.suppression.baseline === true)
    .map((finding) => {
      const entry: BaselineEntry = { fingerprint: finding.fingerprint, checkId: finding.checkId, targetId: finding.targetId, message: finding.message, file: finding.location.file };
      if (finding.rootModule) entry.root = finding.rootModule.folder;
      return entry;
    });
  // One entry per finding: two findings with one fingerprint in one place (the same rule content under two conditions,
  // or written twice) are two entries, so that a third one added later is new (see `applyBaseline`).
  const order = (a: BaselineEntry, b: BaselineEntry): number =>
    compareText(a.fingerprint, b.fingerprint) || compareText(a.file, b.file) || compareText(a.root, b.root) || compareText(a.message, b.message);
  return { version: 1, tool: 'fwlint', findings: [...entries, ...kept].sort(order) };
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
  if (!candidate.findings.every((entry) => entry.root === undefined || typeof entry.root === 'string')) {
    return { error: 'a baseline entry\'s "root" must be a string' };
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

/**
 * Whether a baseline entry stands for a finding. An entry with a root matches that root's finding by either of its
 * fingerprints (the scan that wrote it may or may not have seen the module used by several roots). An entry without
 * one matches by the finding's fingerprint: so it still matches where it did, but not a finding that has the root in
 * its fingerprint (its module is used by several roots, and the entry does not say which of them it accepted).
 */
function entryMatches(entry: BaselineEntry, finding: Finding): boolean {
  if (entry.file !== undefined && placeOf(entry.file) !== placeOf(finding.location.file)) return false;
  // A resource renamed with a `moved` block: an entry recorded under a former address is the same finding.
  const isFormer = finding.formerFingerprints?.includes(entry.fingerprint) === true;
  if (entry.root === undefined) return entry.fingerprint === finding.fingerprint || isFormer;
  const fingerprints = finding.rootFingerprints;
  return (
    finding.rootModule?.folder === entry.root &&
    (entry.fingerprint === finding.fingerprint ||
      (fingerprints !== undefined &&
        (entry.fingerprint === fingerprints.withoutRoot ||
          entry.fingerprint === fingerprints.withRoot ||
          fingerprints.formerWithoutRoot?.includes(entry.fingerprint) === true ||
          fingerprints.formerWithRoot?.includes(entry.fingerprint) === true)))
  );
}

/**
 * Marks findings present in the baseline as external suppressions; returns how many matched, and the entries no finding
 * matched where the scan looked (`couldOccur`: `absent`), and the entries of places it did not look at (`unseen`,
 * matched or not: a file or root module outside the scanned paths, a sibling of a named `.tf` file whose findings are
 * left out), which a partial scan must neither call gone nor rewrite. Each
 * entry accepts one finding: where a place has more findings of a fingerprint than the baseline has
 * entries for it (a rule of the same content added under another condition, or written twice), the extra ones are
 * new, in report order, as GitHub counts such duplicates (`:2`). An entry without a file (written before files were
 * recorded) still matches every finding of its fingerprint, as it always did.
 */
export function applyBaseline(
  findings: Finding[],
  baseline: Baseline,
  couldOccur: (entry: BaselineEntry) => boolean = () => true,
): { baselined: number; absent: BaselineEntry[]; unseen: BaselineEntry[] } {
  const byFingerprint = new Map<string, BaselineEntry[]>();
  // Entries that say where come first: an entry without a file is the fallback.
  const all = baseline.findings;
  const entries = [...all.filter((entry) => entry.file !== undefined), ...all.filter((entry) => entry.file === undefined)];
  for (const entry of entries) {
    const list = byFingerprint.get(entry.fingerprint);
    if (list) list.push(entry);
    else byFingerprint.set(entry.fingerprint, [entry]);
  }
  const seen = new Set<BaselineEntry>();
  let baselined = 0;
  for (const finding of findings) {
    if (finding.suppression) continue;
    const roots = finding.rootFingerprints;
    const fingerprints = new Set([finding.fingerprint, roots?.withoutRoot, roots?.withRoot]);
    // Then those under former addresses (`moved` blocks), nearest first: the current address is the better match.
    for (const former of [finding.formerFingerprints, roots?.formerWithoutRoot, roots?.formerWithRoot]) for (const fingerprint of former ?? []) fingerprints.add(fingerprint);
    let match: BaselineEntry | undefined;
    for (const fingerprint of fingerprints) {
      match = fingerprint === undefined ? undefined : byFingerprint.get(fingerprint)?.find((entry) => (entry.file === undefined || !seen.has(entry)) && entryMatches(entry, finding));
      if (match) break;
    }
    if (!match) continue;
    finding.suppression = { kind: 'external', justification: 'in baseline', baseline: true };
    seen.add(match);
    baselined++;
  }
  return { baselined, absent: all.filter((entry) => !seen.has(entry) && couldOccur(entry)), unseen: all.filter((entry) => !couldOccur(entry)) };
}
