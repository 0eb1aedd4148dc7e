import type { Finding } from '../model/finding';
import { jsonChunks } from './json-chunks';
import type { ReportContext, ReportInput } from './report-context';

/**
 * Stable JSON report (schema: schemas/fwlint-report.schema.json). Keys are written in a fixed order; suppressed
 * findings are included with their `suppression` so consumers can count them.
 */
export function renderJson(input: ReportInput, context: ReportContext): string {
  return `${JSON.stringify(jsonReport(input, context), null, 2)}\n`;
}

/** `renderJson` in pieces, for writing a large report without holding its text (same bytes). */
export function* renderJsonChunks(input: ReportInput, context: ReportContext): Generator<string> {
  yield* jsonChunks(jsonReport(input, context));
  yield '\n';
}

function jsonReport(input: ReportInput, context: ReportContext): Record<string, unknown> {
  return {
    tool: { name: 'fwlint', version: context.toolVersion },
    exitCode: input.exitCode,
    summary: {
      findings: input.findings.filter((finding) => !finding.suppression).length,
      suppressed: input.stats.suppressed,
      baselined: input.stats.baselined,
      baselineAbsent: input.stats.baselineAbsent,
      errors: input.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length,
      files: input.stats.parsedFiles,
      targets: input.stats.targets,
      rules: input.stats.rules,
    },
    findings: input.findings.map(findingJson),
    diagnostics: input.diagnostics.map((diagnostic) => ({
      code: diagnostic.code,
      severity: diagnostic.severity,
      message: diagnostic.message,
      file: diagnostic.file,
      range: diagnostic.range ?? null,
    })),
  };
}

function findingJson(finding: Finding): Record<string, unknown> {
  return {
    checkId: finding.checkId,
    checkName: finding.checkName,
    severity: finding.severity,
    messageId: finding.messageId,
    message: finding.message,
    target: finding.targetId,
    ...(finding.rootModule ? { root: finding.rootModule.folder } : {}),
    rule: finding.ruleId ?? null,
    file: finding.location.file,
    range: finding.location.range,
    relatedLocations: finding.relatedLocations,
    fingerprint: finding.fingerprint,
    properties: finding.properties,
    suppression: finding.suppression ?? null,
  };
}
