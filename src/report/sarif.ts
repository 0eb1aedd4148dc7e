import type { Check } from '../checks/define-check';
import { messageNamingPaths, type Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import type { RuleChange } from '../model/rule';
import { compareLocations, type SourceLocation, type SourceRange } from '../model/location';
import { SEVERITIES, severityRank, type Severity } from '../model/severity';
import { jsonChunks } from './json-chunks';
import type { ArtifactLocation } from './sarif-root';
import { countOf, distinctAtResolvedPlaces, messageNamingRoot, type ReportContext, type ReportInput } from './report-context';

export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'warning', note: 'note',
};

/** Contract: GitHub reads `security-severity` as a string. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', note: '1.0' };

/** GitHub rejects a run with more results than this (formats.md §5.6); the rest are counted in a notification. */
export const MAX_SARIF_RESULTS = 25000;

/** GitHub keeps this many locations of a result (and rejects more than 1,000), formats.md §5.6. */
export const MAX_RELATED_LOCATIONS = 100;

const INFORMATION_URI = 'https://github.com/fwlint/fwlint';

/** SARIF 2.1.0 for GitHub code scanning (formats.md §5): one run, every check in rules[], stable fingerprints. */
export function renderSarif(input: ReportInput, context: ReportContext): string {
  return `${JSON.stringify(sarifLog(input, context), null, 2)}\n`;
}

/** `renderSarif` in pieces, for writing a large log without holding its text (same bytes). */
export function* renderSarifChunks(input: ReportInput, context: ReportContext): Generator<string> {
  yield* jsonChunks(sarifLog(input, context));
  yield '\n';
}

function isConfigDiagnostic(diagnostic: Diagnostic): boolean {
  return diagnostic.code.startsWith('config/');
}

function sarifLog(input: ReportInput, context: ReportContext): Record<string, unknown> {
  const ruleIndex = new Map(input.checks.map((check, index) => [check.id, index]));
  const locate = artifactLocator(context);
  const resolvedFile = (file: string): string => {
    const location = locate(file);
    return `${location.uriBaseId ?? ''}\u0000${location.uri}`;
  };
  // URIs name files with links resolved (formats.md §5.3): a file scanned at two paths is one file here.
  const findings = distinctAtResolvedPlaces(input.findings, resolvedFile);
  const lineHashes = primaryLocationLineHashes(findings, resolvedFile);
  const included = findings.filter((finding) => context.includeSuppressed || !finding.suppression);
  const { kept, left } = capResults(included, MAX_SARIF_RESULTS);
  const worst = mostSevereByCheck(kept);
  const rules = input.checks.map((check) => sarifRule(check, context, worst.get(check.id)));
  const textPath = textPathOf(context);
  const results = kept.map((finding) => sarifResult(finding, ruleIndex.get(finding.checkId)!, lineHashes.get(finding)!, locate, textPath));
  // Problems with fwlint's own configuration are configuration notifications (formats.md §5.5), the rest execution ones.
  const notifications = input.diagnostics.filter((diagnostic) => !isConfigDiagnostic(diagnostic)).map((diagnostic) => sarifNotification(diagnostic, locate, textPath));
  const configNotifications = input.diagnostics.filter(isConfigDiagnostic).map((diagnostic) => sarifNotification(diagnostic, locate, textPath));
  if (left.length > 0) {
    const bySeverity = SEVERITIES.map((severity) => [severity, left.filter((finding) => finding.severity === severity).length] as const)
      .filter(([, count]) => count > 0)
      .map(([severity, count]) => `${count} ${severity}`)
      .join(', ');
    notifications.push({
      level: 'warning',
      descriptor: { id: 'FWL-LIMIT' },
      message: {
        text: `${countOf(left.length, 'result')} left out (${bySeverity}): GitHub accepts at most ${MAX_SARIF_RESULTS} per run; the most severe were kept. Scan fewer paths per --category, or turn noisy checks off`,
      },
    });
  }
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'fwlint',
        version: context.toolVersion,
        semanticVersion: context.toolVersion,
        informationUri: INFORMATION_URI,
        rules,
      },
    },
  };
  if (context.category) run.automationDetails = { id: context.category.endsWith('/') ? context.category : `${context.category}/` };
  const invocation: Record<string, unknown> = {
    executionSuccessful: !input.diagnostics.some((diagnostic) => diagnostic.severity === 'error'),
    exitCode: input.exitCode,
    toolExecutionNotifications: notifications,
  };
  if (configNotifications.length > 0) invocation.toolConfigurationNotifications = configNotifications;
  run.invocations = [invocation];
  if (context.sarifRoot) run.originalUriBaseIds = { '%SRCROOT%': { uri: context.sarifRoot.rootUri } };
  run.columnKind = 'utf16CodeUnits';
  run.results = results;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

/**
 * At most `max` findings: the most severe first (critical before high …), ties in the report's stable order, so a
 * flood of notes can never push a critical result out. The kept ones stay in the report's order.
 */
export function capResults(findings: Finding[], max: number): { kept: Finding[]; left: Finding[] } {
  if (findings.length <= max) return { kept: findings, left: [] };
  const order = findings.map((_finding, index) => index);
  // Array.prototype.sort is stable: equal severities keep the report's order.
  order.sort((a, b) => severityRank(findings[a]!.severity) - severityRank(findings[b]!.severity));
  const keep = new Set(order.slice(0, max));
  const kept: Finding[] = [];
  const left: Finding[] = [];
  findings.forEach((finding, index) => (keep.has(index) ? kept : left).push(finding));
  return { kept, left };
}

/** The most severe severity among the results of each check (absent: the check has none), in one pass over them. */
function mostSevereByCheck(findings: Finding[]): Map<string, Severity> {
  const worst = new Map<string, Severity>();
  for (const finding of findings) {
    const current = worst.get(finding.checkId);
    if (current === undefined || severityRank(finding.severity) < severityRank(current)) worst.set(finding.checkId, finding.severity);
  }
  return worst;
}

/**
 * A `rules[]` entry. GitHub takes an alert's severity from its rule (`security-severity`, `defaultConfiguration.level`);
 * the result-level `security-severity` is not documented. So a rule carries the most severe of its results in this
 * run (a config override such as `FW101: low` lowers it, a critical FW101 raises it), and its default severity when it
 * has no result.
 */
function sarifRule(check: Check<unknown>, context: ReportContext, resultSeverity: Severity | undefined): Record<string, unknown> {
  const severity = resultSeverity ?? check.defaultSeverity;
  const source = context.checkDocs(check.id);
  // GitHub shows help.markdown outside the repository: links relative to docs/checks/ must be absolute there, and
  // the page itself is linked at the end (GitHub does not show helpUri).
  const docs = source === undefined ? undefined : `${absoluteLinks(source, check.helpUri).trimEnd()}\n\n[${check.id} documentation](${check.helpUri})\n`;
  const markdown = docs ?? `${check.summary}\n\nSee ${check.helpUri}`;
  return {
    id: check.id,
    name: pascalCase(check.name),
    shortDescription: { text: check.summary },
    fullDescription: { text: firstParagraph(docs, 'What') ?? check.summary },
    helpUri: check.helpUri,
    help: { text: stripMarkdown(markdown), markdown },
    defaultConfiguration: { level: SARIF_LEVEL[severity] },
    properties: {
      tags: check.tags.slice(0, 10),
      precision: check.precision,
      'security-severity': SECURITY_SEVERITY[severity],
      'problem.severity': SARIF_LEVEL[severity] === 'note' ? 'recommendation' : SARIF_LEVEL[severity],
    },
  };
}

/**
 * GitHub's `primaryLocationLineHash`: the semantic fingerprint, suffixed `:n` where n counts the same fingerprint
 * earlier in the same file (the file the URI names, links resolved; formats.md §5.3), so alerts survive line moves.
 * Numbered over all findings, suppressed ones included, so `includeSuppressed` cannot renumber the others. (`fwlint/v1` is the finding's baseline key.)
 */
function primaryLocationLineHashes(findings: Finding[], resolvedFile: (file: string) => string): Map<Finding, string> {
  // Counts by file, then fingerprint: no key string is built (and hashed) per finding.
  const seenByFile = new Map<string, Map<string, number>>();
  const hashes = new Map<Finding, string>();
  for (const finding of findings) {
    // A Terraform resource renamed with `moved` blocks keeps the fingerprint of its oldest address: Terraform holds it
    // for the same object, and GitHub keeps an alert (and its dismissal) only while this value stays the same.
    const formers = finding.formerFingerprints;
    const alertFingerprint = formers && formers.length > 0 ? formers[formers.length - 1]! : finding.fingerprint;
    const file = resolvedFile(finding.location.file);
    let seen = seenByFile.get(file);
    if (seen === undefined) seenByFile.set(file, (seen = new Map()));
    const count = (seen.get(alertFingerprint) ?? 0) + 1;
    seen.set(alertFingerprint, count);
    hashes.set(finding, `${alertFingerprint}:${count}`);
  }
  return hashes;
}

/** `change by set rule after the rule was created: remoteip`: a related location of a rule's later change. */
function changeText(change: RuleChange): string {
  return `change by ${change.command} after the rule was created${change.changed.length > 0 ? `: ${change.changed.join(', ')}` : ''}`;
}

function sarifResult(finding: Finding, ruleIndex: number, lineHash: string, locate: Locate, textPath: TextPath): Record<string, unknown> {
  const root = finding.rootModule && textPath(finding.rootModule.folder);
  const message = messageNamingRoot(finding, textPath);
  const result: Record<string, unknown> = {
    ruleId: finding.checkId,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: message },
    locations: [sarifLocation(finding.location, locate)],
  };
  if (finding.relatedLocations.length > 0) {
    // A rule finding points to its target's definition, a shadowed rule (FW301) to the rules overriding it; a target
    // finding (FW201) to the rules involved (the rules blocking a required flow). GitHub keeps 100 locations per result.
    const blockedBy = Array.isArray(finding.properties.blockedBy) ? (finding.properties.blockedBy as unknown[]) : [];
    const overriddenBy = Array.isArray(finding.properties.overriddenBy) ? (finding.properties.overriddenBy as unknown[]) : [];
    const call = finding.rootModule?.call;
    const isCall = (location: SourceLocation): boolean =>
      call !== undefined && location.file === call.file && location.range.startLine === call.range.startLine && location.range.startColumn === call.range.startColumn;
    // A finding reported at the call of an installed module first points to where its rule is written; the root's
    // module call, when present, comes after the locations the check gave.
    const isWritten = (index: number): boolean => index === 0 && finding.writtenAt !== undefined && finding.relatedLocations[0] === finding.writtenAt;
    const checkOffset = isWritten(0) ? 1 : 0;
    // A command that changed the rule after it was created (Windows `set rule`), named as such.
    const changeOf = (location: SourceLocation): RuleChange | undefined => finding.ruleChanges?.find((change) => compareLocations(change.location, location) === 0);
    const checkLocations = finding.relatedLocations.filter((location, index) => !isCall(location) && !isWritten(index) && changeOf(location) === undefined).length;
    const overriding = overriddenBy.length > 0 && overriddenBy.length === checkLocations;
    // Where a rule's peer is written (a prefix list), named as the peer is.
    const definitionOf = (location: SourceLocation): string | undefined => finding.peerDefinitions?.find((definition) => compareLocations(definition.location, location) === 0)?.name;
    const text = (index: number): string =>
      isWritten(index) ? 'rule written in the module terraform init installed'
      : isCall(finding.relatedLocations[index]!) ? `use of the module by root ${root!}`
      : changeOf(finding.relatedLocations[index]!) !== undefined ? changeText(changeOf(finding.relatedLocations[index]!)!)
      : definitionOf(finding.relatedLocations[index]!) !== undefined ? `definition of ${definitionOf(finding.relatedLocations[index]!)!}`
      : overriding ? `overriding rule ${String(overriddenBy[index - checkOffset])}`
      : finding.ruleId ? `definition of ${finding.targetId}`
      : typeof blockedBy[index - checkOffset] === 'string' ? `blocking rule ${blockedBy[index - checkOffset] as string}` : `rule of ${finding.targetId}`;
    result.relatedLocations = finding.relatedLocations
      .slice(0, MAX_RELATED_LOCATIONS)
      .map((location, index) => ({ id: index + 1, ...sarifLocation(location, locate), message: { text: text(index) } }));
  }
  result.partialFingerprints = { primaryLocationLineHash: lineHash, 'fwlint/v1': finding.fingerprint };
  result.properties = { severity: finding.severity, 'security-severity': SECURITY_SEVERITY[finding.severity], target: finding.targetId, ...(root !== undefined ? { root } : {}), ...finding.properties };
  if (finding.suppression) {
    result.suppressions = [{ kind: finding.suppression.kind, status: 'accepted', justification: finding.suppression.justification }];
  }
  if (finding.fixes && finding.fixes.length > 0) {
    result.fixes = finding.fixes.map((fix) => ({
      description: { text: fix.description },
      artifactChanges: [
        {
          artifactLocation: locate(fix.file),
          replacements: [{ deletedRegion: sarifRegion(fix.deleted), insertedContent: { text: fix.insertedText } }],
        },
      ],
    }));
  }
  return result;
}

function sarifNotification(diagnostic: Diagnostic, locate: Locate, textPath: TextPath): Record<string, unknown> {
  const notification: Record<string, unknown> = {
    level: diagnostic.severity,
    descriptor: { id: diagnostic.code.startsWith('parse/') || diagnostic.code.startsWith('read/') ? 'FWL-PARSE' : `FWL-${diagnostic.code.split('/')[0]!.toUpperCase()}` },
    message: { text: `${diagnostic.file ? `${textPath(diagnostic.file)}${diagnostic.range ? `:${diagnostic.range.startLine}:${diagnostic.range.startColumn}` : ''}: ` : ''}${messageNamingPaths(diagnostic, textPath)}` },
  };
  if (diagnostic.file) {
    const physicalLocation: Record<string, unknown> = { artifactLocation: locate(diagnostic.file) };
    if (diagnostic.range) physicalLocation.region = sarifRegion(diagnostic.range);
    notification.locations = [{ physicalLocation }];
  }
  return notification;
}

type Locate = (file: string) => ArtifactLocation;

/** How SARIF texts name a file or folder given as reports name files (relative to the working directory). */
type TextPath = (file: string) => string;

/**
 * Texts name paths as the URIs do, relative to the repository root when the context knows it (see `sarifRoot`), so
 * the log is the same from any folder of the repository; else as given, like the URIs then.
 */
function textPathOf(context: ReportContext): TextPath {
  const root = context.sarifRoot;
  return root ? (file) => root.rootRelativePath(file) : (file) => file;
}

/** Repository-root-relative locations when the context knows the root, else the findings' paths under `%SRCROOT%`. */
function artifactLocator(context: ReportContext): Locate {
  const root = context.sarifRoot;
  if (root) return (file) => root.locate(file);
  return (file) => ({ uri: encodeUri(file), uriBaseId: '%SRCROOT%' });
}

function sarifLocation(location: SourceLocation, locate: Locate): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: locate(location.file),
      region: sarifRegion(location.range),
    },
  };
}

function sarifRegion(range: SourceRange): Record<string, number> {
  // SARIF requires endColumn > startColumn on one line; a zero-width range becomes one character wide.
  const endColumn = range.endLine === range.startLine && range.endColumn <= range.startColumn ? range.startColumn + 1 : range.endColumn;
  return { startLine: range.startLine, startColumn: range.startColumn, endLine: Math.max(range.endLine, range.startLine), endColumn: Math.max(1, endColumn) };
}

/** Relative, forward slashes, percent-encoded per segment, no leading `./` (formats.md §5.9). */
export function encodeUri(file: string): string {
  // Every result names a file, and a scan has far fewer files than results.
  let uri = encodedUris.get(file);
  if (uri === undefined) {
    uri = file.replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
    if (encodedUris.size >= 100_000) encodedUris.clear();
    encodedUris.set(file, uri);
  }
  return uri;
}

const encodedUris = new Map<string, string>();

/**
 * Markdown with relative link targets (`[FW202](FW202-broader-than-profile.md)`, `](#how-to-fix)`, reference
 * definitions `[x]: ../y.md`) resolved against `base`; absolute URLs and code spans are left as they are.
 */
export function absoluteLinks(markdown: string, base: string): string {
  const resolve = (target: string): string => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return target;
    try {
      return new URL(target, base).href;
    } catch {
      return target;
    }
  };
  // Fenced code blocks and inline code spans are kept verbatim (odd pieces of the split).
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((piece, index) =>
      index % 2 === 1
        ? piece
        : piece
            .replace(/(\]\()([^)\s]+)((?:\s+"[^"]*")?\))/g, (_match, open: string, target: string, close: string) => `${open}${resolve(target)}${close}`)
            .replace(/^( {0,3}\[[^\]\n]+\]:[ \t]*)(\S+)/gm, (_match, open: string, target: string) => `${open}${resolve(target)}`),
    )
    .join('');
}

function pascalCase(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

function firstParagraph(markdown: string | undefined, heading: string): string | undefined {
  if (!markdown) return undefined;
  // Up to the first blank line or the end of the text (not `$`: with the `m` flag it would stop at the first line end).
  const match = new RegExp(`^## ${heading}[ \\t]*\\n\\s*([\\s\\S]*?)(?:\\n[ \\t]*\\n|(?![\\s\\S]))`, 'm').exec(markdown);
  return match ? stripMarkdown(match[1]!.trim()).replace(/\s*\n\s*/g, ' ') : undefined;
}

function stripMarkdown(markdown: string): string {
  return markdown.replace(/`{3}[a-z]*\n?/g, '').replace(/`/g, '').replace(/^#+\s*/gm, '').replace(/\*\*/g, '');
}
