import { messageNamingPaths, type Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import type { SourceRange } from '../model/location';
import { severityRank, type Severity } from '../model/severity';
import { renderMarkdownReport } from './markdown';
import { activeFindings, distinctAtResolvedPlaces, messageNamingRoot, type ReportContext, type ReportInput } from './report-context';
import { printable } from './code-frame';

type AnnotationLevel = 'error' | 'warning' | 'notice';

export const GITHUB_LEVEL: Record<Severity, AnnotationLevel> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'warning', note: 'notice',
};

const LEVEL_RANK: Record<AnnotationLevel, number> = { error: 0, warning: 1, notice: 2 };

/** GitHub caps a step summary at 1 MiB; stay clearly below it. */
const SUMMARY_MAX_BYTES = 900 * 1024;

interface Annotation {
  level: AnnotationLevel;
  /** Order inside a level: input errors first, then findings by severity. */
  rank: number;
  properties: Array<[string, string | number]>;
  message: string;
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), one per active finding and per input
 * problem. GitHub shows only the first 10 annotations of each level per step, so the lines are ordered by level,
 * then severity (input errors first), keeping the input's file order within each.
 */
export function renderGithub(input: ReportInput, context: ReportContext): string {
  // GitHub resolves a relative `file=` against the repository root (GITHUB_WORKSPACE), not the step's working
  // directory. A file outside the root gets its absolute path: the runner makes an absolute path relative to the
  // workspace itself when it lies inside it and keeps it otherwise (actions/runner ActionCommandManager.cs,
  // IssueCommandExtension), so the annotation still names the file, where `../x.tf` would be looked up in the
  // repository and leaving out `file=` pins the annotation to `.github`.
  const root = context.sarifRoot;
  const repoPath = (file: string): string => (root ? root.rootRelativePath(file) : file);
  const annotations: Annotation[] = [
    ...input.diagnostics.map((diagnostic) => diagnosticAnnotation(diagnostic, repoPath)),
    // Paths with links resolved, as in SARIF: a file scanned at two paths is one file here.
    ...distinctAtResolvedPlaces(activeFindings(input.findings), repoPath).map((finding) => findingAnnotation(finding, repoPath)),
  ];
  const ordered = annotations
    .map((annotation, index) => ({ annotation, index }))
    .sort((a, b) => LEVEL_RANK[a.annotation.level] - LEVEL_RANK[b.annotation.level] || a.annotation.rank - b.annotation.rank || a.index - b.index)
    .map(({ annotation }) => annotation);
  return ordered.map(command).join('');
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: the same report as `--format markdown`, sized for the summary limit. */
export function renderGithubSummary(input: ReportInput, context: ReportContext): string {
  return renderMarkdownReport(input, context, { maxBytes: SUMMARY_MAX_BYTES, marker: false });
}

function findingAnnotation(finding: Finding, repoPath: (file: string) => string): Annotation {
  return {
    level: GITHUB_LEVEL[finding.severity],
    rank: 1 + severityRank(finding.severity),
    properties: [...locationProperties(repoPath(finding.location.file), finding.location.range), ['title', `${finding.checkId} ${finding.checkName}`]],
    // Paths in the text as in `file=`: relative to the repository root, the same from any working directory.
    message: messageNamingRoot(finding, repoPath),
  };
}

function diagnosticAnnotation(diagnostic: Diagnostic, repoPath: (file: string) => string): Annotation {
  const properties: Array<[string, string | number]> = diagnostic.file ? locationProperties(repoPath(diagnostic.file), diagnostic.range) : [];
  properties.push(['title', `fwlint ${diagnostic.code}`]);
  return { level: diagnostic.severity, rank: 0, properties, message: messageNamingPaths(diagnostic, repoPath) };
}

/**
 * The runner drops `col`/`endColumn` unless `line` equals `endLine` and `endColumn >= col`
 * (actions/runner ActionCommandManager.ValidateLinesAndColumns), so columns are sent for one-line ranges only.
 * Our end column is exclusive; GitHub's is the last column of the range.
 */
function locationProperties(file: string, range: SourceRange | undefined): Array<[string, string | number]> {
  const properties: Array<[string, string | number]> = [['file', file]];
  if (!range) return properties;
  const endLine = Math.max(range.startLine, range.endLine);
  properties.push(['line', range.startLine]);
  if (endLine === range.startLine) {
    properties.push(['col', range.startColumn]);
    properties.push(['endLine', endLine]);
    properties.push(['endColumn', Math.max(range.startColumn, range.endColumn - 1)]);
  } else {
    properties.push(['endLine', endLine]);
  }
  return properties;
}

function command(annotation: Annotation): string {
  const properties = annotation.properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${annotation.level}${properties ? ` ${properties}` : ''}::${escapeData(annotation.message)}\n`;
}

/** Command data: `%`, CR and LF are percent-encoded (actions/toolkit `packages/core/src/command.ts` escapeData). */
export function escapeData(text: string): string {
  // Other control characters (an escape sequence in a scanned name) would reach the log as they are.
  return printable(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Command property values: also `:` and `,`, which would end the value (toolkit escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
