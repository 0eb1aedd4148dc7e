import { renderGithub } from './github';
import { renderJson, renderJsonChunks } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import type { ReportFormat } from './formats';
import type { Reporter, ReportContext, ReportInput } from './report-context';
import { renderSarif, renderSarifChunks } from './sarif';
import { renderText } from './text';

/** Reporters by `--format` name (`REPORT_FORMATS`, in that order). */
export const REPORTERS: Record<ReportFormat, Reporter> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  github: renderGithub,
  markdown: renderMarkdown,
};

/**
 * The report of a format as pieces to write one after another: JSON and SARIF are produced incrementally (a large
 * scan's report is tens of MB), the other formats as one piece. Joined, the pieces are the reporter's string.
 */
export function renderReportChunks(format: ReportFormat, input: ReportInput, context: ReportContext): Iterable<string> {
  if (format === 'sarif') return renderSarifChunks(input, context);
  if (format === 'json') return renderJsonChunks(input, context);
  return [REPORTERS[format](input, context)];
}

export { renderGithubSummary } from './github';
export type { Reporter, ReportContext, ReportInput } from './report-context';
export { REPORT_FORMATS, type ReportFormat } from './formats';
