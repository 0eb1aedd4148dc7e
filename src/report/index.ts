import { renderGithub } from './github';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import type { ReportFormat } from './formats';
import type { Reporter } from './report-context';
import { renderSarif } from './sarif';
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

export { renderGithubSummary } from './github';
export type { Reporter, ReportContext, ReportInput } from './report-context';
export { REPORT_FORMATS, type ReportFormat } from './formats';
