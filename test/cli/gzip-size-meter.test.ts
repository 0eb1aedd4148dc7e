import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { MessageChannel, Worker } from 'node:worker_threads';
import { RemoteGzipSizeMeter } from '../../src/cli/gzip-size-meter';
import { TYPESCRIPT_LOADER } from '../../src/pipeline/parallel-parse';
import { REPO_ROOT } from '../helpers/scan-fixture';

/** Pieces of a report-like text: large ones (an ArrayBuffer of their own, moved) and small ones (pooled, copied). */
function pieces(): Buffer[] {
  const random = (bytes: number): string => crypto.randomBytes(bytes).toString('hex');
  return [Buffer.from('{\n  "runs": ['), Buffer.from(random(40_000)), Buffer.from(random(100)), Buffer.from(`"${'a'.repeat(50_000)}"`), Buffer.from(random(30_000)), Buffer.from('\n]}\n')];
}

describe('gzip size meter', () => {
  // The compressing side needs an event loop while this thread sleeps in `finish`: it runs in a worker, as it runs
  // in the main thread while the scan thread writes.
  let worker: Worker;
  let meter: RemoteGzipSizeMeter;
  const threshold = 10_000;

  beforeAll(() => {
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const entry = path.join(REPO_ROOT, 'src/cli/gzip-size-meter.ts');
    worker = new Worker(`${TYPESCRIPT_LOADER}\nconst { workerData } = require('node:worker_threads');\nrequire(workerData.entry).serveGzipSizes(workerData.port, new Int32Array(workerData.signal));`, {
      eval: true,
      workerData: { entry, port: channel.port2, signal },
      transferList: [channel.port2],
    });
    meter = new RemoteGzipSizeMeter(channel.port1, new Int32Array(signal), threshold);
  });

  afterAll(async () => {
    await worker.terminate();
  });

  it('gives the fastest-level gzip size of everything added, as gzipSync of the whole text does', () => {
    const written = pieces();
    const whole = Buffer.concat(written);
    for (const piece of written) meter.add(piece);
    expect(meter.finish()).toEqual({ bytes: whole.length, fastestLevelGzipBytes: zlib.gzipSync(whole, { level: zlib.constants.Z_BEST_SPEED }).length });
    // The large pieces were moved to the other thread, the pooled small ones copied (the pool stays usable).
    expect(written[1]!.length).toBe(0);
    expect(written[0]!.length).toBeGreaterThan(0);
  }, 60_000);

  it('compresses nothing while the bytes stay within its threshold', () => {
    meter.add(Buffer.from('x'.repeat(threshold - 1)));
    meter.add(Buffer.from('y'));
    expect(meter.finish()).toEqual({ bytes: threshold });
  });

  it('starts afresh after a discarded measurement and after one within the threshold', () => {
    for (const piece of pieces()) meter.add(piece);
    meter.discard();
    meter.add(Buffer.from('small'));
    expect(meter.finish()).toEqual({ bytes: 5 });
    const written = pieces().reverse();
    const whole = Buffer.concat(written);
    for (const piece of written) meter.add(piece);
    expect(meter.finish()).toEqual({ bytes: whole.length, fastestLevelGzipBytes: zlib.gzipSync(whole, { level: zlib.constants.Z_BEST_SPEED }).length });
  }, 60_000);
});
