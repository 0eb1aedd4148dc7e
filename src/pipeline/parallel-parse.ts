import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FormatParser, ParseOptions, SourceFile } from '../model/source-file';
import { ModelDecoder, type EncodedParseResult } from './model-codec';
import { parseHere, type ParseUnit, type UnitOutcome } from './parse-units';

/** Handed to each worker: the counter it bumps after every reply (the main thread sleeps on it). */
export interface WorkerData {
  signal: SharedArrayBuffer;
  /** Source entry, when running from TypeScript sources (tests): see `startWorker`. */
  entry?: string;
}

export interface UnitRequest {
  unit: number;
  /** Index of the parser in the registry (`src/parsers/index.ts`), which the worker loads itself. */
  parserIndex: number;
  files: SourceFile[];
  options: ParseOptions;
}

export type UnitReply =
  | { unit: number; kind: 'ready' }
  /** The worker could not load its code: whatever it was given is parsed in the main thread. */
  | { unit: number; kind: 'failed'; reason: string }
  | { unit: number; kind: 'result'; encoded: EncodedParseResult }
  | { unit: number; kind: 'error'; message: string; stack: string | undefined }
  | { unit: number; kind: 'fallback'; reason: string };


/** No reply from any worker for this long means a worker died (out of memory, say): the rest is parsed here. */
const STALL_MS = 120_000;
/** Units queued per worker, so a worker starts its next unit while this thread is busy with one of its own. */
const IN_FLIGHT_PER_WORKER = 3;

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  /** Units sent and not answered yet. */
  inFlight: number[];
  failed: boolean;
}

/** How the parallel parses went: tests check that workers really parsed (a silent fallback would also pass). */
export const poolStatistics = { pools: 0, unitsParsedInWorkers: 0, unitsParsedInThisThread: 0, unitsRetriedInThisThread: 0 };

/**
 * When running from TypeScript sources (ts-jest), there is no compiled `parse-worker.js` next to this file: the
 * worker then transpiles the sources it loads with the project's `typescript` (transpileModule, no type check),
 * so tests exercise the real worker path without a build. A compiled install never takes this path. The scan
 * thread (`src/cli/scan-thread.ts`) uses the same loader.
 */
export const TYPESCRIPT_LOADER = `
{
  const fs = require('node:fs');
  const ts = require(require.resolve('typescript', { paths: [require('node:worker_threads').workerData.entry] }));
  require.extensions['.ts'] = (module, filename) => {
    const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
    });
    module._compile(output.outputText, filename);
  };
}
`;

const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
try {
  ${TYPESCRIPT_LOADER}
  require(workerData.entry);
} catch (error) {
  workerData.port.postMessage({ unit: -1, kind: 'failed', reason: String(error && error.stack || error) });
  const counter = new Int32Array(workerData.signal);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}
`;

/**
 * Parsing makes much short-lived garbage: a young generation larger than V8's default keeps it from being promoted
 * and collected again (about 8% less parse time in the benchmark, for a few dozen MB per worker).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 48 };

function startWorker(data: WorkerData, port: MessagePort): Worker | undefined {
  const compiled = path.join(__dirname, 'parse-worker.js');
  if (fs.existsSync(compiled)) {
    return new Worker(compiled, { workerData: { ...data, port }, transferList: [port], resourceLimits: WORKER_LIMITS });
  }
  const source = path.join(__dirname, 'parse-worker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(source)) {
    return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: { ...data, entry: source, port }, transferList: [port], resourceLimits: WORKER_LIMITS });
  }
  return undefined;
}

/**
 * Threads that parse units: this thread and `size` workers. `scan()` returns a value, so this thread never yields to
 * an event loop: between its own units it takes replies with `receiveMessageOnPort`, and when it has nothing left
 * to parse it sleeps on a shared counter (`Atomics.wait`) that workers bump after each reply. Units this thread
 * parses cost no encoding, which is why it parses too rather than only waiting. Outcomes come back in unit order.
 */
export class ParsePool {
  private readonly signal = new SharedArrayBuffer(4);
  private readonly counter = new Int32Array(this.signal);
  private readonly workers: PoolWorker[] = [];

  private constructor() {}

  /** Starts `count` workers (they load the parsers while this thread reads files); undefined when none starts. */
  static start(count: number): ParsePool | undefined {
    const pool = new ParsePool();
    try {
      for (let i = 0; i < count; i++) {
        const channel = new MessageChannel();
        const worker = startWorker({ signal: pool.signal }, channel.port2);
        if (!worker) break;
        worker.unref();
        // A worker that fails to start is noticed as a stall; its error must not become an uncaught exception.
        worker.on('error', () => undefined);
        pool.workers.push({ worker, port: channel.port1, inFlight: [], failed: false });
      }
    } catch {
      // Too many threads, or workers unavailable here: parse in this thread.
    }
    if (pool.workers.length === 0) return undefined;
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Parses every unit and returns the outcomes by unit index. Largest units go first, so the last to finish is
   * small. Units a worker cannot handle (a result the codec cannot carry, a parser that threw there) are parsed
   * again in this thread, so outcomes are the ones a single-threaded scan meets. With `onOutcome`, each outcome is
   * instead handed to it as soon as it and every earlier unit's are in, in unit order, and not returned.
   */
  parse(units: ParseUnit[], options: ParseOptions, parsers: readonly FormatParser[], onOutcome?: (unit: ParseUnit, outcome: UnitOutcome) => void): UnitOutcome[] {
    const outcomes: UnitOutcome[] = new Array(units.length);
    const decoder = new ModelDecoder();
    // With `onOutcome`, units go out in their order, so that few results wait for an earlier one to be handed over.
    const queue = onOutcome ? [...units] : [...units].sort((a, b) => b.chars - a.chars || a.index - b.index);
    let handedOver = 0;
    /** Whether anything was handed over (the time spent there is this thread's, not a stalled worker's). */
    const handOver = (): boolean => {
      if (!onOutcome) return false;
      const before = handedOver;
      for (let outcome = outcomes[handedOver]; outcome !== undefined; outcome = outcomes[handedOver]) {
        // Handed over once and forgotten here: the caller may drop the model when it is done with it.
        delete outcomes[handedOver];
        onOutcome(units[handedOver]!, outcome);
        handedOver++;
      }
      return handedOver > before;
    };
    const retries: ParseUnit[] = [];
    let unresolved = units.length;
    let next = 0;

    const dispatch = (entry: PoolWorker): void => {
      while (!entry.failed && entry.inFlight.length < IN_FLIGHT_PER_WORKER && next < queue.length) {
        const unit = queue[next++]!;
        const request: UnitRequest = { unit: unit.index, parserIndex: parsers.indexOf(unit.parser), files: unit.files, options };
        entry.worker.postMessage(request);
        entry.inFlight.push(unit.index);
      }
    };
    const receive = (entry: PoolWorker, reply: UnitReply): void => {
      // A worker given up on (failed, or silent too long) has had its units taken back: late replies are ignored.
      if (reply.kind === 'ready' || entry.failed) return;
      if (reply.kind === 'failed') {
        // The worker could not load its code: what it was given is parsed here, and it gets nothing more.
        entry.failed = true;
        for (const index of entry.inFlight) retries.push(units[index]!);
        entry.inFlight = [];
        return;
      }
      entry.inFlight.splice(entry.inFlight.indexOf(reply.unit), 1);
      const unit = units[reply.unit]!;
      if (reply.kind === 'result') {
        outcomes[reply.unit] = { kind: 'result', result: decoder.decode(reply.encoded) };
        unit.files = [];
        unresolved--;
        poolStatistics.unitsParsedInWorkers++;
      } else {
        // A parser that threw in a worker runs again here: a worker has its own limits (stack, heap), and the
        // error reported must be the one a single-threaded scan meets.
        retries.push(unit);
      }
      dispatch(entry);
    };
    const parseLocally = (unit: ParseUnit): void => {
      outcomes[unit.index] = parseHere(unit, options);
      unit.files = [];
      unresolved--;
    };
    const drain = (): boolean => {
      let received = false;
      for (const entry of this.workers) {
        for (let message = receiveMessageOnPort(entry.port); message; message = receiveMessageOnPort(entry.port)) {
          receive(entry, message.message as UnitReply);
          received = true;
        }
      }
      return received;
    };

    poolStatistics.pools++;
    for (const entry of this.workers) dispatch(entry);
    let lastProgress = Date.now();
    while (unresolved > 0) {
      const seen = Atomics.load(this.counter, 0);
      if (drain()) lastProgress = Date.now();
      // After the workers have their next units: they parse while this thread judges what was handed over.
      if (handOver()) lastProgress = Date.now();
      const retry = retries.shift();
      const local = retry ?? (next < queue.length ? queue[next++] : undefined);
      if (local) {
        parseLocally(local);
        if (retry) poolStatistics.unitsRetriedInThisThread++;
        else poolStatistics.unitsParsedInThisThread++;
        lastProgress = Date.now();
        continue;
      }
      if (Date.now() - lastProgress > STALL_MS) {
        // A worker died without a word (out of memory, say): whatever it still had is parsed here.
        for (const entry of this.workers) {
          entry.failed = true;
          for (const index of entry.inFlight) retries.push(units[index]!);
          entry.inFlight = [];
        }
        continue;
      }
      Atomics.wait(this.counter, 0, seen, 1000);
    }
    handOver();
    return outcomes;
  }

  /** Stops the workers (asynchronously; they are unref'ed, so they never keep the process alive). */
  close(): void {
    for (const { worker, port } of this.workers) {
      port.close();
      void worker.terminate();
    }
    this.workers.length = 0;
  }
}
