import { renderGithub } from './github';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderMarkdown } from './markdown';
import type { Reporter } from './report-context';
import { renderSarif } from './sarif';
import { renderText } from './text';

/** Reporters by `--format` name. */
export const REPORTERS: Record<string, Reporter> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  github: renderGithub,
  markdown: renderMarkdown,
};

export { renderGithubSummary } from './github';
export type { Reporter, ReportContext, ReportInput } from './report-context';
