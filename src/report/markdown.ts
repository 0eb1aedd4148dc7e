import type { Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import { SEVERITIES, severityRank } from '../model/severity';
import { activeFindings, countOf, reportTargetNames, type ReportContext, type ReportInput } from './report-context';

/** A GitHub comment holds at most 65,536 characters; leave room for whatever a bot wraps around the report. */
const COMMENT_MAX_BYTES = 60000;

/** First line of the PR comment, so a bot can find and update its earlier comment instead of adding another. */
export const MARKDOWN_MARKER = '<!-- fwlint-report -->';

export interface MarkdownOptions {
  /** Size budget in UTF-8 bytes: findings that do not fit are counted in a closing note instead of listed. */
  maxBytes: number;
  /** Start with MARKDOWN_MARKER. */
  marker: boolean;
}

/** Pull-request comment: totals by severity, one table per target, input errors, suppressed count. */
export function renderMarkdown(input: ReportInput, context: ReportContext): string {
  return renderMarkdownReport(input, context, { maxBytes: COMMENT_MAX_BYTES, marker: true });
}

/** The markdown report with a size budget; shared with the GitHub job summary. */
export function renderMarkdownReport(input: ReportInput, context: ReportContext, options: MarkdownOptions): string {
  const findings = activeFindings(input.findings);
  const errors = input.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const warnings = input.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
  const helpUris = new Map(input.checks.map((check) => [check.id, check.helpUri]));
  const targetNames = reportTargetNames(input, findings);
  const byTarget = new Map<string, Finding[]>();
  for (const finding of findings) {
    // A module's resource in each of several roots that use the module is a target of its own, named with its root;
    // likewise a target of an id that other files define too (two templates' `WebSG`), named with its file.
    const label = targetNames.ofFinding(finding);
    const list = byTarget.get(label) ?? [];
    list.push(finding);
    byTarget.set(label, list);
  }
  const targets = [...byTarget.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const head: string[] = [];
  if (options.marker) head.push(MARKDOWN_MARKER);
  head.push('## fwlint report', '');
  const facts = [
    `**${countOf(findings.length, 'finding')}** in ${countOf(targets.length, 'target')}`,
    `${input.stats.suppressed} suppressed`,
  ];
  if (input.stats.baselined > 0) facts.push(`${input.stats.baselined} in baseline`);
  if (errors.length > 0) facts.push(`**${countOf(errors.length, 'input error')}**`);
  head.push(facts.join(' · '), '');
  if (findings.length > 0) {
    head.push('| Severity | Findings |', '|---|---:|');
    for (const severity of SEVERITIES) head.push(`| ${severity} | ${findings.filter((finding) => finding.severity === severity).length} |`);
    head.push('');
  } else if (errors.length === 0) {
    head.push('No findings.', '');
  }

  // Input errors come before the findings: a file that did not parse may hide an open port (exit code 2).
  const problems: string[] = [];
  if (errors.length > 0) problems.push('### Input errors', '', ...errors.map(diagnosticItem), '');
  if (warnings.length > 0) problems.push('### Warnings', '', ...warnings.map(diagnosticItem), '');

  const footer = ['', `<sub>fwlint ${mdText(context.toolVersion)} · suppressed findings are not listed · \`fwlint explain <CHECK-ID>\` shows how to fix a check</sub>`, ''];
  let budget = options.maxBytes - byteLength([...head, ...problems, ...footer].join('\n')) - 200;

  const sections: string[] = [];
  let shown = 0;
  for (const target of targets) {
    const list = byTarget.get(target)!.slice().sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
    const section = [`### ${mdText(target)}`, '', '| Severity | Check | Location | Message |', '|---|---|---|---|'];
    let cost = byteLength(section.join('\n'));
    const rows: string[] = [];
    for (const finding of list) {
      const row = findingRow(finding, helpUris.get(finding.checkId));
      const rowCost = byteLength(row) + 1;
      if (cost + rowCost > budget) break;
      rows.push(row);
      cost += rowCost;
    }
    if (rows.length === 0) break;
    sections.push(...section, ...rows, '');
    budget -= cost;
    shown += rows.length;
    if (rows.length < list.length) break;
  }
  if (shown < findings.length) {
    sections.push(`_${countOf(findings.length - shown, 'more finding')} not shown here (size limit); see the full report (\`--format sarif\`, \`json\` or \`text\`)._`, '');
  }
  const lines = [...head, ...problems, ...sections];
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return `${[...lines, ...footer].join('\n')}`;
}

function findingRow(finding: Finding, helpUri: string | undefined): string {
  const check = helpUri ? `[${finding.checkId}](${helpUri}) ${mdText(finding.checkName)}` : mdText(`${finding.checkId} ${finding.checkName}`);
  const { file, range } = finding.location;
  return `| ${finding.severity} | ${check} | ${mdText(`${file}:${range.startLine}:${range.startColumn}`)} | ${mdText(finding.message)} |`;
}

function diagnosticItem(diagnostic: Diagnostic): string {
  const where = diagnostic.file ? `${diagnostic.file}${diagnostic.range ? `:${diagnostic.range.startLine}:${diagnostic.range.startColumn}` : ''}` : '(fwlint)';
  return `- ${mdText(where)}: ${mdText(diagnostic.message)} (${mdText(diagnostic.code)})`;
}

/**
 * Text for a table cell or list item: one line; characters Markdown would read as markup are escaped, `|` so it
 * cannot end a table cell, `<`/`&` so nothing becomes HTML. `_` inside a word is left alone (GitHub never emphasises
 * there, and target ids are full of underscores); at a word's edge it is escaped (`__PORT__` would be bold).
 */
export function mdText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]~|]/g, (character) => `\\${character}`)
    .replace(/_/g, (underscore, offset: number, whole: string) => (isWordCharacter(whole[offset - 1]) && isWordCharacter(whole[offset + 1]) ? underscore : '\\_'));
}

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && /[\p{L}\p{N}]/u.test(character);
}


function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
