/**
 * Entry of the scan thread (`scan-thread.ts`): runs `fwlint scan` and sends its output and exit code to the main
 * thread, which writes them through its own streams (or a test's capture).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RemoteGzipSizeMeter } from './gzip-size-meter';
import { MAX_SARIF_GZIP_BYTES, runScan } from './scan-command';
import { withDebug, type ScanThreadData, type ScanThreadMessage } from './scan-thread';

const data = workerData as ScanThreadData;
const send = (message: ScanThreadMessage): void => parentPort!.postMessage(message);
const code = withDebug(data.debug, () =>
  runScan(data.paths, data.flags, {
    stdout: (text) => send({ kind: 'stdout', text }),
    stderr: (text) => send({ kind: 'stderr', text }),
    isTty: data.isTty,
    env: process.env,
    cwd: data.cwd,
    gzipSizeMeter: new RemoteGzipSizeMeter(data.gzipSizeMeter.port, new Int32Array(data.gzipSizeMeter.signal), MAX_SARIF_GZIP_BYTES),
  }),
);
send({ kind: 'exit', code });
