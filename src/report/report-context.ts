import type { Check } from '../checks/define-check';
import type { Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import { targetNamer, type TargetEntry } from '../model/target';

/** What a reporter renders: sorted data only, no I/O. */
export interface ReportInput {
  findings: Finding[];
  diagnostics: Diagnostic[];
  checks: ReadonlyArray<Check<unknown>>;
  /**
   * Every target scanned (id and defining file, and for a module instance its root module's folder), for reports
   * that list clean targets too (JUnit).
   */
  targets?: readonly TargetEntry[];
  stats: { files: number; parsedFiles: number; targets: number; rules: number; suppressed: number; baselined: number; baselineAbsent: number };
  exitCode: number;
}

export interface ReportContext {
  toolVersion: string;
  color: boolean;
  /** Source lines of a scanned file (1-based index 0 = line 1), for code frames; undefined when unavailable. */
  sourceLines(file: string): string[] | undefined;
  /**
   * SARIF URIs (and GitHub annotation paths) relative to the repository root, with `originalUriBaseIds` (see `sarifRoot`). Without it, URIs are the
   * findings' paths (relative to the working directory) under `%SRCROOT%`, and `originalUriBaseIds` is left out.
   */
  sarifRoot?: import('./sarif-root').SarifRoot;
  /** SARIF `automationDetails.id` category. */
  category?: string;
  includeSuppressed: boolean;
  /** Contents of docs/checks/<ID>-<name>.md per check id, for SARIF help. */
  checkDocs(checkId: string): string | undefined;
}

export type Reporter = (input: ReportInput, context: ReportContext) => string;

/** Findings that count: not suppressed by an annotation, the config or the baseline. */
export function activeFindings(findings: Finding[]): Finding[] {
  return findings.filter((finding) => !finding.suppression);
}

/** `1 finding`, `2 findings`; `plural` for nouns that do not just take an s (`1 baseline entry`, `2 baseline entries`). */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/**
 * Names for the targets of a report that lists them (Markdown, JUnit), from `input.targets` and the findings (see
 * `targetNamer`): a finding's target is its id, root module and defining file (else the file it is reported in).
 */
export function reportTargetNames(input: ReportInput, findings: readonly Finding[]): { ofTarget(target: TargetEntry): string; ofFinding(finding: Finding): string } {
  const findingTarget = (finding: Finding): { id: string; root: string | undefined; file: string } => ({ id: finding.targetId, root: finding.rootModule?.folder, file: finding.targetFile ?? finding.location.file });
  const name = targetNamer([...(input.targets ?? []), ...findings.map(findingTarget)]);
  return {
    ofTarget: (target) => name(target.id, target.root, target.file),
    ofFinding: (finding) => {
      const { id, root, file } = findingTarget(finding);
      return name(id, root, file);
    },
  };
}

/**
 * The findings as reports that name files with links resolved (SARIF, GitHub) show them: one of each set that lands
 * on the same range of the same file with the same check, fingerprint and message. A `.tf` file linked into another
 * folder is part of that folder's module too (two targets, at both paths in text and JSON); with the link resolved
 * both are one place, and two identical results there would be two identical annotations, or two alerts GitHub
 * merges. The first of each set is kept, or its first active one where the first is suppressed.
 */
export function distinctAtResolvedPlaces(findings: readonly Finding[], resolvedFile: (file: string) => string): Finding[] {
  // Only where two paths are one file (the common case has none: no key is built per finding then).
  const resolvedByFile = new Map<string, string>();
  const fileByResolved = new Map<string, string>();
  let isFileAtTwoPaths = false;
  for (const { location: { file } } of findings) {
    if (resolvedByFile.has(file)) continue;
    const resolved = resolvedFile(file);
    resolvedByFile.set(file, resolved);
    if (fileByResolved.has(resolved)) isFileAtTwoPaths = true;
    else fileByResolved.set(resolved, file);
  }
  if (!isFileAtTwoPaths) return [...findings];
  const kept: Finding[] = [];
  const indexByPlace = new Map<string, number>();
  for (const finding of findings) {
    const { file, range } = finding.location;
    const place = [resolvedByFile.get(file)!, range.startLine, range.startColumn, range.endLine, range.endColumn, finding.checkId, finding.fingerprint, finding.message].join('\u0000');
    const index = indexByPlace.get(place);
    if (index === undefined) {
      indexByPlace.set(place, kept.length);
      kept.push(finding);
    } else if (kept[index]!.suppression && !finding.suppression) {
      kept[index] = finding;
    }
  }
  return kept;
}

/**
 * A finding's message with the root module it names (`… (root envs/dev)`, scan.ts useRootFingerprints) named by
 * `namePath`, for reports that name paths relative to the repository root (SARIF, GitHub annotations).
 */
export function messageNamingRoot(finding: Finding, namePath: (folder: string) => string): string {
  const folder = finding.rootModule?.folder;
  if (folder === undefined) return finding.message;
  const suffix = ` (root ${folder})`;
  return finding.message.endsWith(suffix) ? `${finding.message.slice(0, -suffix.length)} (root ${namePath(folder)})` : finding.message;
}
