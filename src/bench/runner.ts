/**
 * One measurement, in a fresh process forked by `run.ts` so RSS and JIT state never leak between kinds: the whole
 * scan as the CLI runs it with `--format sarif --output FILE` (read, parse, resolve, every check, SARIF written).
 * Receives a RunRequest over IPC, answers with a RunMeasurement, exits. Where the CLI would scan in its scan thread
 * (`src/cli/scan-thread.ts`: large inputs), the measurement runs in such a thread too, with the same heap settings.
 */
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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
  /** True when the scan ran in the CLI's scan thread. */
  scanThread: boolean;
  loadMs: number;
  stages: { discover: number; read: number; parse: number; evaluate: number; report: number };
  /**
   * Part of `evaluate`: the engine alone (every target's effective set, `computeEffective`, and profile diff,
   * `computeProfileDiff`), timed around each call; the rest of `evaluate` is the checks and their messages.
   */
  engineMs: number;
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

/**
 * Wraps the engine's two entry points, as the pipeline looks them up on their modules at each scan, with a timer:
 * the engine's share of the evaluate stage.
 */
function timeEngine(): () => number {
  let total = 0;
  const effective = require('../engine/effective') as { computeEffective: (...args: unknown[]) => unknown };
  const diff = require('../engine/profile-diff') as { computeProfileDiff: (...args: unknown[]) => unknown };
  for (const [module, name] of [[effective, 'computeEffective'], [diff, 'computeProfileDiff']] as const) {
    const original = (module as Record<string, (...args: unknown[]) => unknown>)[name]!;
    (module as Record<string, unknown>)[name] = (...args: unknown[]): unknown => {
      const start = performance.now();
      try {
        return original(...args);
      } finally {
        total += performance.now() - start;
      }
    };
  }
  return () => total;
}

function measure(request: RunRequest, scanThread: boolean): RunMeasurement {
  const engineTime = timeEngine();
  const { scan } = require('../pipeline/scan') as typeof import('../pipeline/scan');
  const { renderSarifChunks } = require('../report/sarif') as typeof import('../report/sarif');
  const { batched } = require('../report/json-chunks') as typeof import('../report/json-chunks');
  const { writeFileAtomic } = require('../cli/output') as typeof import('../cli/output');
  const { readCheckDocs, toolVersion } = require('../cli/package-info') as typeof import('../cli/package-info');
  const loaded = performance.now();

  const options: ScanOptions = { paths: request.paths, cwd: request.cwd, today: '2026-11-23', keepModel: false };
  if (request.workers !== undefined) options.workers = request.workers;
  // As the CLI does: the model is dropped before the report is rendered (only its size is kept for the table).
  const { findings, diagnostics, checks, stats } = scan(options);
  const result = { findings, diagnostics, checks, stats };
  const reportStart = performance.now();
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const exitCode = errors > 0 ? 2 : result.findings.some((finding) => !finding.suppression) ? 1 : 0;
  let sarifBytes = 0;
  const pieces = batched(
    renderSarifChunks(
      { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode },
      { toolVersion: toolVersion(), color: false, sourceLines: () => undefined, includeSuppressed: false, checkDocs: readCheckDocs },
    ),
  );
  // Streamed to the file as the CLI writes it; the byte count is taken on the way.
  writeFileAtomic(path.resolve(request.cwd, request.sarifFile), (function* count(): Generator<string> {
    for (const piece of pieces) {
      sarifBytes += Buffer.byteLength(piece);
      yield piece;
    }
  })());
  const finished = performance.now();
  const timings = result.stats.timingsMs;
  sampledRss = Math.max(sampledRss, process.memoryUsage().rss);
  return {
    inProcessMs: finished - started,
    scanThread,
    loadMs: loaded - started,
    stages: { discover: timings.discover, read: timings.read, parse: timings.parse, evaluate: timings.evaluate, report: finished - reportStart },
    engineMs: engineTime(),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampledRssBytes: sampledRss,
    files: result.stats.files,
    targets: result.stats.targets,
    rules: result.stats.rules,
    findings: result.findings.length,
    errors,
    sarifBytes,
  };
}

type Answer = { ok: true; measurement: RunMeasurement } | { ok: false; error: string };

function answer(request: RunRequest, scanThread: boolean): Answer {
  try {
    return { ok: true, measurement: measure(request, scanThread) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

/** Measures in the scan thread when the CLI would use one: same decision, same heap settings. */
async function measureAsTheCliWould(request: RunRequest): Promise<Answer> {
  const { SCAN_THREAD_LIMITS, shouldUseScanThread } = require('../cli/scan-thread') as typeof import('../cli/scan-thread');
  if (!shouldUseScanThread(request.paths, request.cwd, process.env)) return answer(request, false);
  return new Promise<Answer>((resolve) => {
    const worker = new Worker(__filename, { workerData: request, resourceLimits: SCAN_THREAD_LIMITS });
    worker.once('message', resolve);
    worker.once('error', (error) => resolve({ ok: false, error: error.stack ?? error.message }));
  });
}

if (isMainThread) {
  process.once('message', (request: RunRequest) => {
    void measureAsTheCliWould(request).then((result) => {
      clearInterval(sampler);
      if (result.ok) {
        // The thread's own sampler cannot see this process's RSS peak between its samples; take the larger.
        result.measurement.maxRssBytes = Math.max(result.measurement.maxRssBytes, process.resourceUsage().maxRSS * 1024);
        result.measurement.sampledRssBytes = Math.max(result.measurement.sampledRssBytes, sampledRss);
      }
      process.send!(result, () => process.disconnect());
    });
  });
} else {
  const result = answer(workerData as RunRequest, true);
  clearInterval(sampler);
  parentPort!.postMessage(result);
}
