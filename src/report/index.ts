import { renderJson } from './json';
import type { Reporter } from './report-context';
import { renderSarif } from './sarif';
import { renderText } from './text';

/** Reporters by `--format` name. */
export const REPORTERS: Record<string, Reporter> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
};

export type { Reporter, ReportContext, ReportInput } from './report-context';
