/**
 * Worker thread entry of the parallel parse (parallel-parse.ts): parses one unit at a time with the registry's
 * parser and sends the encoded result back on its port, then bumps the shared counter the main thread waits on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FormatParser } from '../model/source-file';
import { encodeParseResult, ModelCodecError } from './model-codec';
import type { UnitReply, UnitRequest, WorkerData } from './parallel-parse';

const { port, signal } = workerData as WorkerData & { port: MessagePort };
const counter = new Int32Array(signal);

function reply(message: UnitReply): void {
  port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

// The parsers load as soon as the worker starts, while the main thread is still reading the files.
let parsers: readonly FormatParser[] = [];
let loadError: string | undefined;
try {
  parsers = (require('../parsers') as typeof import('../parsers')).PARSERS;
} catch (error) {
  loadError = error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function handle(request: UnitRequest): UnitReply {
  if (loadError !== undefined) return { unit: request.unit, kind: 'fallback', reason: loadError };
  try {
    const parser = parsers[request.parserIndex];
    if (!parser) return { unit: request.unit, kind: 'fallback', reason: `no parser at index ${request.parserIndex}` };
    let result;
    try {
      result = parser.parse(request.files, request.options);
    } catch (error) {
      return { unit: request.unit, kind: 'error', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined };
    }
    return { unit: request.unit, kind: 'result', encoded: encodeParseResult(result) };
  } catch (error) {
    // The result cannot travel (a class the codec does not know) or the registry failed to load: the main thread
    // parses this unit itself, so the output stays what a single-threaded scan gives.
    const reason = error instanceof ModelCodecError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { unit: request.unit, kind: 'fallback', reason };
  }
}

parentPort!.on('message', (request: UnitRequest) => reply(handle(request)));
reply({ unit: -1, kind: 'ready' });
