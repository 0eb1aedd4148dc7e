import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { printable } from '../report/code-frame';
import { serveGzipSizes } from './gzip-size-meter';
import type { Io, ScanFlags } from './scan-command';

/**
 * Large scans run in a worker thread whose young generation is sized for parsing. A parser allocates about 80 bytes
 * per source byte, most of it short-lived; with V8's default young generation (16 MiB semi-spaces) much of it is
 * copied twice and promoted before it dies. With 64 MiB semi-spaces the 2,000-file Terraform benchmark scans about
 * 19 % faster with 180 MiB less peak memory (docs/performance.md). V8 fixes the main thread's heap at start-up, and
 * a worker's can be chosen: hence a thread rather than a flag. Output is the same bytes either way (tested).
 */
export const SCAN_THREAD_LIMITS = { maxYoungGenerationSizeMb: 192 };

/** Below this much input the thread's start (about 30 ms) costs more than the collector saves. */
export const SCAN_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/** Directory entries the size estimate looks at before it assumes the input is large. */
const ESTIMATE_MAX_ENTRIES = 20_000;

/** What the main thread hands the scan thread: plain data (structured clone). */
export interface ScanThreadData {
  paths: string[];
  flags: ScanFlags;
  isTty: boolean;
  cwd: string;
  debug: boolean;
  /** Source entry when running from TypeScript sources (tests), as for the parse workers. */
  entry?: string;
  /** The thread's end of the main thread's gzip size meter (`gzip-size-meter.ts`), and the signal it waits on. */
  gzipSizeMeter: { port: MessagePort; signal: SharedArrayBuffer };
}

/** Scans run in the scan thread so far: tests check that the thread really ran (a silent fallback would also pass). */
export const scanThreadStatistics = { started: 0 };

export type ScanThreadMessage = { kind: 'stdout' | 'stderr'; text: string } | { kind: 'exit'; code: number };

/**
 * Runs `fwlint scan`: in this thread for small inputs, in the scan thread for large ones (`FWLINT_SCAN_THREAD=0`
 * or `1` forces the choice). Resolves to the exit code.
 */
export async function runScanCommand(paths: string[], flags: ScanFlags, io: Io, debug: boolean): Promise<number> {
  const useThread = shouldUseScanThread(paths.length > 0 ? paths : ['.'], io.cwd, io.env, Number(flags.maxFileSize) * 1024 * 1024);
  if (useThread) {
    // This thread only waits while the scan thread works: it measures the SARIF report's gzip size meanwhile.
    const meter = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const worker = startScanThread({ paths, flags, isTty: io.isTty, cwd: io.cwd, debug, gzipSizeMeter: { port: meter.port2, signal } }, io.env);
    if (worker) {
      serveGzipSizes(meter.port1, new Int32Array(signal));
      return scanThreadResult(worker, io, debug).finally(() => meter.port1.close());
    }
    meter.port1.close();
  }
  const { runScan } = require('./scan-command') as typeof import('./scan-command');
  return withDebug(debug, () => runScan(paths, flags, io));
}

/** The exit code of the scan thread's run; its output goes through `io` as it arrives. */
function scanThreadResult(worker: Worker, io: Io, debug: boolean): Promise<number> {
  scanThreadStatistics.started++;
  return new Promise<number>((resolve) => {
    let exitCode: number | undefined;
    worker.on('message', (message: ScanThreadMessage) => {
      if (message.kind === 'exit') exitCode = message.code;
      else io[message.kind](message.text);
    });
    worker.on('error', (error) => {
      // An uncaught error or an exhausted heap in the scan thread: a bug or a limit, reported as the CLI does.
      const text = error instanceof Error ? error.message : String(error);
      io.stderr(`fwlint: internal error (please report it): ${printable(text)}\n`);
      if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
      exitCode = 2;
    });
    worker.on('exit', () => resolve(exitCode ?? 2));
  });
}

/** Whether a scan of `paths` runs in the scan thread: `FWLINT_SCAN_THREAD=0|1` decides, else the input's size. */
export function shouldUseScanThread(paths: string[], cwd: string, env: NodeJS.ProcessEnv, maxFileBytes = Infinity): boolean {
  const choice = env.FWLINT_SCAN_THREAD;
  if (choice === '1' || choice === '0') return choice === '1';
  return estimateInputBytes(paths, cwd, SCAN_THREAD_MIN_BYTES, maxFileBytes) >= SCAN_THREAD_MIN_BYTES;
}

function startScanThread(data: ScanThreadData, env: NodeJS.ProcessEnv): Worker | undefined {
  const options = { workerData: data, transferList: [data.gzipSizeMeter.port], env: { ...env }, resourceLimits: SCAN_THREAD_LIMITS, stdout: false, stderr: false };
  const compiled = path.join(__dirname, 'scan-thread-worker.js');
  if (fs.existsSync(compiled)) return new Worker(compiled, options);
  const source = path.join(__dirname, 'scan-thread-worker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(source)) {
    const { TYPESCRIPT_LOADER } = require('../pipeline/parallel-parse') as typeof import('../pipeline/parallel-parse');
    return new Worker(`${TYPESCRIPT_LOADER}\nrequire(require('node:worker_threads').workerData.entry);`, { ...options, eval: true, workerData: { ...data, entry: source } });
  }
  return undefined;
}

/**
 * Bytes of regular files under `paths`, counted until `stopAt` is reached: enough to choose where the scan runs.
 * Cheap on purpose: no ignore rules, symbolic links not followed, unreadable entries skipped; files over the size
 * cap count nothing (the scan skips them).
 */
export function estimateInputBytes(paths: string[], cwd: string, stopAt: number, maxFileBytes = Infinity): number {
  let total = 0;
  let entries = 0;
  const pending = paths.map((item) => path.resolve(cwd, item));
  while (pending.length > 0 && total < stopAt) {
    const current = pending.pop()!;
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch {
      continue;
    }
    if (stat.isFile()) {
      if (stat.size <= maxFileBytes) total += stat.size;
    } else if (stat.isDirectory()) {
      let names: string[];
      try {
        names = fs.readdirSync(current);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name === '.git' || name === 'node_modules') continue;
        if (++entries > ESTIMATE_MAX_ENTRIES) return stopAt;
        pending.push(path.join(current, name));
      }
    }
  }
  return total;
}

/**
 * Runs `action` with stack traces of internal errors on or off. The stages read `FWLINT_DEBUG` from the process
 * environment; the CLI's own environment (`io.env`, which tests set) and `--debug` decide, for this run only.
 */
export function withDebug<T>(debug: boolean, action: () => T): T {
  const previous = process.env.FWLINT_DEBUG;
  if (debug) process.env.FWLINT_DEBUG = '1';
  else delete process.env.FWLINT_DEBUG;
  try {
    return action();
  } finally {
    if (previous === undefined) delete process.env.FWLINT_DEBUG;
    else process.env.FWLINT_DEBUG = previous;
  }
}
