import type { Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import { SEVERITIES } from '../model/severity';
import { codeFrame, printable } from './code-frame';
import { activeFindings, countOf, type ReportContext, type ReportInput } from './report-context';

const SEVERITY_COLORS: Record<string, number> = { critical: 35, high: 31, medium: 33, low: 36, note: 90, error: 31, warning: 33 };

/** ESLint "stylish"-like output grouped by file, with a code frame per finding and a summary. */
export function renderText(input: ReportInput, context: ReportContext): string {
  const paint = (code: number, text: string): string => (context.color ? `\u001b[${code}m${text}\u001b[39m` : text);
  const bold = (text: string): string => (context.color ? `\u001b[1m${text}\u001b[22m` : text);
  const findings = activeFindings(input.findings);
  const byFile = new Map<string, Array<{ kind: 'finding'; item: Finding } | { kind: 'diagnostic'; item: Diagnostic }>>();
  for (const finding of findings) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push({ kind: 'finding', item: finding });
    byFile.set(finding.location.file, list);
  }
  for (const diagnostic of input.diagnostics) {
    const key = diagnostic.file || '(fwlint)';
    const list = byFile.get(key) ?? [];
    list.push({ kind: 'diagnostic', item: diagnostic });
    byFile.set(key, list);
  }
  const out: string[] = [];
  for (const file of [...byFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(bold(printable(file)));
    const entries = byFile.get(file)!;
    entries.sort((a, b) => lineOf(a) - lineOf(b) || columnOf(a) - columnOf(b));
    for (const entry of entries) {
      if (entry.kind === 'finding') {
        const { item } = entry;
        const position = `${item.location.range.startLine}:${item.location.range.startColumn}`;
        out.push(`  ${position.padEnd(8)} ${paint(SEVERITY_COLORS[item.severity]!, item.severity.padEnd(8))} ${printable(item.message)}  ${paint(90, `${item.checkId} ${item.checkName}`)}`);
        const lines = context.sourceLines(item.location.file);
        if (lines) out.push(codeFrame(lines, item.location.range, context.color));
      } else {
        const { item } = entry;
        const position = item.range ? `${item.range.startLine}:${item.range.startColumn}` : '-';
        out.push(`  ${position.padEnd(8)} ${paint(SEVERITY_COLORS[item.severity]!, item.severity.padEnd(8))} ${printable(item.message)}  ${paint(90, item.code)}`);
      }
    }
    out.push('');
  }
  const counts = SEVERITIES.map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const).filter(([, count]) => count > 0);
  const errors = input.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const summaryParts = [
    `${countOf(findings.length, 'finding')}${counts.length > 0 ? ` (${counts.map(([severity, count]) => `${count} ${severity}`).join(', ')})` : ''}`,
    `${countOf(input.stats.targets, 'target')}, ${countOf(input.stats.rules, 'rule')} in ${countOf(input.stats.parsedFiles, 'file')}`,
  ];
  if (input.stats.suppressed > 0) summaryParts.push(`${input.stats.suppressed} suppressed`);
  if (input.stats.baselined > 0 || input.stats.baselineAbsent > 0) {
    const absent = input.stats.baselineAbsent;
    summaryParts.push(`${input.stats.baselined} in baseline, ${countOf(absent, 'baseline entry', 'baseline entries')} no longer ${absent === 1 ? 'occurs' : 'occur'}`);
  }
  if (errors > 0) summaryParts.push(countOf(errors, 'input error'));
  const mark = findings.length === 0 && errors === 0 ? paint(32, '✔') : paint(31, '✖');
  out.push(`${mark} ${summaryParts.join('; ')}`);
  return `${out.join('\n')}\n`;
}

function lineOf(entry: { kind: 'finding'; item: Finding } | { kind: 'diagnostic'; item: Diagnostic }): number {
  return entry.kind === 'finding' ? entry.item.location.range.startLine : entry.item.range?.startLine ?? 0;
}

function columnOf(entry: { kind: 'finding'; item: Finding } | { kind: 'diagnostic'; item: Diagnostic }): number {
  return entry.kind === 'finding' ? entry.item.location.range.startColumn : entry.item.range?.startColumn ?? 0;
}
