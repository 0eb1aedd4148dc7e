/**
 * The gzip size of a report, measured by another thread while the report is written. GitHub's upload limit is on the
 * compressed SARIF (`sarifUploadSizeWarning`); reading 40 MB of SARIF back and compressing it after writing it cost
 * the scan thread about 90 ms at the end of a large scan. Instead the scan thread hands each piece it has written to
 * the main thread, which only waits for the scan meanwhile, and which compresses the pieces on libuv's thread pool
 * while the rest of the report is rendered. The main thread answers when the scan thread asks for the result.
 */
import * as zlib from 'node:zlib';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What a meter measured: the bytes it was given, and their gzip size at the fastest level when it measured it. */
export interface GzipMeasurement {
  bytes: number;
  /** Left out when the bytes stayed within the meter's threshold (nothing was compressed) or the other thread failed. */
  fastestLevelGzipBytes?: number;
}

/**
 * Measures one report at a time: `add` every piece in order (the meter may take the piece's memory: the caller is done
 * with it), then `finish`, or `discard` when the write failed.
 */
export interface GzipSizeMeter {
  add(bytes: Uint8Array): void;
  finish(): GzipMeasurement;
  discard(): void;
}

type MeterMessage = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'end' } | { kind: 'discard' };
type MeterAnswer = { gzipBytes: number | undefined };

/** How long `finish` waits for the other thread before it gives up (the caller then compresses the file itself). */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * The meter's compressing side, in a thread with an event loop (the main thread while the scan thread runs): gzip at
 * the fastest level, as the pieces arrive. Answers each `end` on the port, then bumps `signal` for the waiting thread.
 */
export function serveGzipSizes(port: MessagePort, signal: Int32Array): void {
  let current: { gzip: zlib.Gzip; size: Promise<number | undefined> } | undefined;
  const answer = (gzipBytes: number | undefined): void => {
    port.postMessage({ gzipBytes } satisfies MeterAnswer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  port.on('message', (message: MeterMessage) => {
    if (message.kind === 'bytes') {
      current ??= fastestGzipSize();
      current.gzip.write(message.bytes);
    } else if (message.kind === 'end') {
      const measured = current;
      current = undefined;
      if (!measured) return answer(undefined);
      measured.gzip.end();
      void measured.size.then(answer);
    } else {
      current?.gzip.destroy();
      current = undefined;
    }
  });
}

function fastestGzipSize(): { gzip: zlib.Gzip; size: Promise<number | undefined> } {
  const gzip = zlib.createGzip({ level: zlib.constants.Z_BEST_SPEED });
  let size = 0;
  gzip.on('data', (chunk: Buffer) => (size += chunk.length));
  return {
    gzip,
    size: new Promise((resolve) => {
      gzip.once('end', () => resolve(size));
      gzip.once('error', () => resolve(undefined));
    }),
  };
}

/**
 * The meter's writing side, in a thread that must not wait for its event loop (the scan thread): pieces go to the
 * compressing thread over `port`, and `finish` sleeps on `signal` until the answer is there. Nothing is sent until
 * more than `threshold` bytes were added: a report within the upload limit needs no compressing at all.
 */
export class RemoteGzipSizeMeter implements GzipSizeMeter {
  private held: Uint8Array[] | undefined = [];
  private bytes = 0;
  /** Set when an answer did not come in time: a late answer would be taken for the next one, so none is asked for. */
  private gaveUp = false;

  constructor(
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    private readonly threshold: number,
  ) {}

  add(bytes: Uint8Array): void {
    this.bytes += bytes.byteLength;
    if (this.gaveUp) return;
    if (this.held === undefined) return this.send(bytes);
    this.held.push(bytes);
    if (this.bytes <= this.threshold) return;
    for (const piece of this.held) this.send(piece);
    this.held = undefined;
  }

  finish(): GzipMeasurement {
    const bytes = this.bytes;
    const sent = this.held === undefined;
    this.reset();
    if (!sent || this.gaveUp) return { bytes };
    const seen = Atomics.load(this.signal, 0);
    this.port.postMessage({ kind: 'end' } satisfies MeterMessage);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const { gzipBytes } = received.message as MeterAnswer;
        return gzipBytes === undefined ? { bytes } : { bytes, fastestLevelGzipBytes: gzipBytes };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.gaveUp = true;
        return { bytes };
      }
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  discard(): void {
    if (this.held === undefined && !this.gaveUp) this.port.postMessage({ kind: 'discard' } satisfies MeterMessage);
    this.reset();
  }

  private reset(): void {
    this.held = [];
    this.bytes = 0;
  }

  private send(bytes: Uint8Array): void {
    // A piece that has an ArrayBuffer of its own is moved, not copied; a view of a shared pool (small Buffers) is copied.
    const { buffer } = bytes;
    const owned = buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
    this.port.postMessage({ kind: 'bytes', bytes } satisfies MeterMessage, owned ? [buffer] : []);
  }
}
