import { Session } from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';

/**
 * Counts the work of a piece of code, without a clock: a deterministic guard against quadratic paths, where a time limit
 * would be flaky on a loaded machine and a bound on output would miss a loop that produces nothing.
 *
 * The count has two parts, both fixed by the code and its input (not by the machine, the JIT or the collector):
 * - JavaScript steps: V8's precise block coverage (the inspector's `Profiler.startPreciseCoverage` with call
 *   counts), summed over every executed function and block of every script, dependencies included. A loop that
 *   rescans the text from its start for each token shows here as a block run n² times. Optimized code loses block
 *   counts, so the optimizing and baseline compilers are off while a meter is on: the counts are then exact and the
 *   same on every run.
 * - Native scans, which coverage cannot see: the builtins below are wrapped for the duration of `run` and add the
 *   characters or elements they may touch (`text.indexOf(x)` from 0 for each token, `text.slice(0, at).split('\n')`
 *   for each line number, `list.includes(x)` over a growing list, a regular expression run over the rest of the
 *   text). Not counted: `slice` and `substring`, which V8 answers in constant time with a view of the string (the
 *   YAML reader takes the rest of the line for each token), and spread copies (`[...list, x]`), which go through no
 *   builtin that can be wrapped.
 *
 * Block counts exist only in functions compiled while a meter is on: one compiled before (by an earlier test of the
 * same jest worker, whose compilation cache V8 shares between test files) reports its calls but not its loops. So
 * measure with `measureWorkInFreshThread`, which loads the code in a new thread and starts the meter before calling it.
 */
export class WorkMeter {
  private readonly session = new Session();
  private readonly native = { units: 0 };

  /** Starting costs about half a second (every function is recompiled with counters): share one meter per file. */
  constructor() {
    v8.setFlagsFromString('--no-opt');
    v8.setFlagsFromString('--no-sparkplug');
    this.session.connect();
    post(this.session, 'Profiler.enable');
    post(this.session, 'Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  /** The units of work `run` does. */
  measure(run: () => void): number {
    // Taking the coverage resets its counters: what runs from here on is counted from zero.
    post(this.session, 'Profiler.takePreciseCoverage');
    this.native.units = 0;
    const restore = wrapNativeScans(this.native);
    try {
      run();
    } finally {
      restore();
    }
    const coverage = post(this.session, 'Profiler.takePreciseCoverage') as { result: Array<{ functions: Array<{ ranges: Array<{ count: number }> }> }> };
    let steps = 0;
    for (const script of coverage.result) for (const fn of script.functions) for (const range of fn.ranges) steps += range.count;
    return steps + this.native.units;
  }

  stop(): void {
    try {
      post(this.session, 'Profiler.stopPreciseCoverage');
      post(this.session, 'Profiler.disable');
    } finally {
      this.session.disconnect();
      v8.setFlagsFromString('--opt');
      v8.setFlagsFromString('--sparkplug');
    }
  }
}

/**
 * Transpiles the TypeScript a measuring thread loads, keeping the output by content: a fresh thread transpiles the
 * parsers (about 120 files) in seconds, a cached one reads them in a fraction of that. `typescript` is loaded only on
 * a miss. (src/pipeline/parallel-parse.ts has the uncached loader of the parse workers.)
 */
const CACHED_TYPESCRIPT_LOADER = `
{
  const fs = require('node:fs');
  const crypto = require('node:crypto');
  const { threadId, workerData } = require('node:worker_threads');
  let ts;
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const key = crypto.createHash('sha256').update(workerData.typescript.version).update(filename).update('\\0').update(source).digest('hex');
    const cached = require('node:path').join(workerData.cacheDirectory, key + '.js');
    let output;
    try {
      output = fs.readFileSync(cached, 'utf8');
    } catch {
      ts ??= require(workerData.typescript.path);
      output = ts.transpileModule(source, {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
      }).outputText;
      fs.mkdirSync(workerData.cacheDirectory, { recursive: true });
      // Written aside and renamed, so that a parallel run never reads half a file.
      const partial = cached + '.' + process.pid + '-' + threadId;
      fs.writeFileSync(partial, output);
      fs.renameSync(partial, cached);
    }
    module._compile(output, filename);
  };
}`;

/**
 * Loads `modulePath` (TypeScript, transpiled) in a new worker thread, starts a meter there before calling anything of
 * it, calls its export `exportName` once with `warmUp` (first calls fill caches, which is not the inputs' work), then
 * once per entry of `inputs`, and returns the work of each call. Load the code's modules eagerly from `modulePath`:
 * one loaded under the meter runs the transpiler in the interpreter.
 */
export function measureWorkInFreshThread(modulePath: string, exportName: string, warmUp: unknown[], inputs: unknown[][]): Promise<number[]> {
  const code = `
const { parentPort, workerData } = require('node:worker_threads');
${CACHED_TYPESCRIPT_LOADER}
const { WorkMeter } = require(workerData.meter);
const run = require(workerData.entry)[workerData.exportName];
const meter = new WorkMeter();
let answer;
try {
  run(...workerData.warmUp);
  answer = { work: workerData.inputs.map((args) => meter.measure(() => run(...args))) };
} catch (error) {
  answer = { failed: String((error && error.stack) || error) };
} finally {
  // Before answering: the answer ends the thread, and the compiler flags are the whole process's.
  meter.stop();
}
parentPort.postMessage(answer);`;
  const typescript = { path: require.resolve('typescript'), version: (require('typescript/package.json') as { version: string }).version };
  const cacheDirectory = path.join(os.tmpdir(), 'fwlint-work-meter-transpiled');
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { meter: __filename, entry: modulePath, exportName, warmUp, inputs, typescript, cacheDirectory } });
    worker.once('message', (message: { work?: number[]; failed?: string }) => {
      if (message.work) resolve(message.work);
      else reject(new Error(message.failed));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (exitCode) => reject(new Error(`the measuring thread exited (${exitCode}) without an answer`)));
  });
}

/** A same-thread inspector session answers synchronously. */
function post(session: Session, method: string, params: object = {}): unknown {
  let answered = false;
  let failure: Error | null = null;
  let answer: unknown;
  session.post(method, params, (error, result) => {
    answered = true;
    failure = error;
    answer = result;
  });
  if (!answered) throw new Error(`the inspector did not answer ${method} synchronously`);
  if (failure) throw failure;
  return answer;
}

type Weigh = (self: never, args: never[], result: unknown) => number;

const clampStart = (from: unknown, length: number): number => {
  const start = Math.trunc(Number(from ?? 0)) || 0;
  return start < 0 ? Math.max(0, length + start) : Math.min(start, length);
};

const searchedTo = (self: { length: number }, args: unknown[], found: number, needleLength: number): number =>
  found < 0 ? self.length - clampStart(args[1], self.length) : found - clampStart(args[1], self.length) + needleLength;

const STRING_SCANS: Record<string, Weigh> = {
  indexOf: (self: string, args: unknown[], found) => searchedTo(self, args, found as number, String(args[0]).length),
  includes: (self: string, args: unknown[]) => searchedTo(self, args, originalStringIndexOf.call(self, String(args[0]), args[1] as number), String(args[0]).length),
  lastIndexOf: (self: string) => self.length,
  split: (self: string) => self.length,
  replace: (self: string) => self.length,
  replaceAll: (self: string) => self.length,
  match: (self: string) => self.length,
  matchAll: (self: string) => self.length,
  search: (self: string) => self.length,
  toLowerCase: (self: string) => self.length,
  toUpperCase: (self: string) => self.length,
  trim: (self: string) => self.length,
  normalize: (self: string) => self.length,
};

const ARRAY_SCANS: Record<string, Weigh> = {
  indexOf: (self: unknown[], _args, found) => ((found as number) < 0 ? self.length : (found as number) + 1),
  lastIndexOf: (self: unknown[]) => self.length,
  includes: (self: unknown[]) => self.length,
  slice: (_self: unknown[], _args, result) => (result as unknown[]).length,
  concat: (_self: unknown[], _args, result) => (result as unknown[]).length,
  splice: (self: unknown[], args: unknown[]) => self.length - clampStart(args[0], self.length) + 1,
  join: (self: unknown[]) => self.length,
};

const originalStringIndexOf = String.prototype.indexOf;

function wrapNativeScans(meter: { units: number }): () => void {
  const restores: Array<() => void> = [];
  const wrap = (prototype: object, name: string, weigh: Weigh): void => {
    const original = (prototype as Record<string, (...args: unknown[]) => unknown>)[name]!;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
    Object.defineProperty(prototype, name, {
      ...descriptor,
      value: function counted(this: never, ...args: never[]): unknown {
        const result = original.apply(this, args);
        meter.units += weigh(this, args, result);
        return result;
      },
    });
    restores.push(() => Object.defineProperty(prototype, name, descriptor));
  };
  for (const [name, weigh] of Object.entries(STRING_SCANS)) wrap(String.prototype, name, weigh);
  for (const [name, weigh] of Object.entries(ARRAY_SCANS)) wrap(Array.prototype, name, weigh);
  // Every use of a regular expression (test, match, replace, split) goes through exec once it is replaced.
  const exec = RegExp.prototype.exec;
  const execDescriptor = Object.getOwnPropertyDescriptor(RegExp.prototype, 'exec')!;
  Object.defineProperty(RegExp.prototype, 'exec', {
    ...execDescriptor,
    value: function counted(this: RegExp, input: string): RegExpExecArray | null {
      const from = this.global || this.sticky ? this.lastIndex : 0;
      const match = exec.call(this, input);
      if (match) meter.units += Math.max(1, match.index + match[0].length - from);
      // A failed sticky or start-anchored expression looks at one position; any other at the rest of the text.
      else meter.units += this.sticky || (this.source.startsWith('^') && !this.multiline) ? 1 : Math.max(1, String(input).length - from);
      return match;
    },
  });
  restores.push(() => Object.defineProperty(RegExp.prototype, 'exec', execDescriptor));
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
