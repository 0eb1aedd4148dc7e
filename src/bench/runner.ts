/**
 * One measurement, in a fresh process forked by `run.ts` so RSS and JIT state never leak between kinds: the whole
 * scan as the CLI runs it with `--format sarif --output FILE` (read, parse, resolve, every check, SARIF written).
 * Receives a RunRequest over IPC, answers with a RunMeasurement, exits.
 */
import * as path from 'node:path';
import type { ScanOptions } from '../pipeline/scan';

export interface RunRequest {
  paths: string[];
  cwd: string;
  sarifFile: string;
  workers?: number;
}

export interface RunMeasurement {
  /** From the first line of this module to the SARIF on disk, including loading fwlint's modules. */
  inProcessMs: number;
  loadMs: number;
  stages: { discover: number; read: number; parse: number; evaluate: number; report: number };
  /** Peak resident set of the process (worker threads included), from `process.resourceUsage().maxRSS`. */
  maxRssBytes: number;
  /** Highest `process.memoryUsage().rss` sampled every 25 ms: a cross-check of maxRSS. */
  sampledRssBytes: number;
  files: number;
  targets: number;
  rules: number;
  findings: number;
  errors: number;
  sarifBytes: number;
}

const started = performance.now();
let sampledRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  sampledRss = Math.max(sampledRss, process.memoryUsage().rss);
}, 25);

function measure(request: RunRequest): RunMeasurement {
  const { scan } = require('../pipeline/scan') as typeof import('../pipeline/scan');
  const { renderSarif } = require('../report/sarif') as typeof import('../report/sarif');
  const { writeFileAtomic } = require('../cli/output') as typeof import('../cli/output');
  const { readCheckDocs, toolVersion } = require('../cli/main') as typeof import('../cli/main');
  const loaded = performance.now();

  const options: ScanOptions = { paths: request.paths, cwd: request.cwd, today: '2026-11-23' };
  if (request.workers !== undefined) options.workers = request.workers;
  const result = scan(options);
  const reportStart = performance.now();
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const exitCode = errors > 0 ? 2 : result.findings.some((finding) => !finding.suppression) ? 1 : 0;
  const sarif = renderSarif(
    { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode },
    { toolVersion: toolVersion(), color: false, sourceLines: () => undefined, includeSuppressed: false, checkDocs: readCheckDocs },
  );
  writeFileAtomic(path.resolve(request.cwd, request.sarifFile), sarif);
  const finished = performance.now();
  const timings = result.stats.timingsMs;
  sampledRss = Math.max(sampledRss, process.memoryUsage().rss);
  return {
    inProcessMs: finished - started,
    loadMs: loaded - started,
    stages: { discover: timings.discover, read: timings.read, parse: timings.parse, evaluate: timings.evaluate, report: finished - reportStart },
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampledRssBytes: sampledRss,
    files: result.stats.files,
    targets: result.stats.targets,
    rules: result.stats.rules,
    findings: result.findings.length,
    errors,
    sarifBytes: Buffer.byteLength(sarif),
  };
}

process.once('message', (request: RunRequest) => {
  let answer: { ok: true; measurement: RunMeasurement } | { ok: false; error: string };
  try {
    answer = { ok: true, measurement: measure(request) };
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  clearInterval(sampler);
  process.send!(answer, () => process.disconnect());
});
