import { Writable } from 'node:stream';
import { writerTo } from '../../src/cli/main';

/** A stream whose reader has gone away after `accepted` writes, as `fwlint scan . | head` leaves stdout. */
function closingStream(accepted: number): { stream: Writable; written: string[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (written.length >= accepted) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        return;
      }
      written.push(chunk.toString());
      callback();
    },
  });
  return { stream, written };
}

describe('output to a reader that goes away', () => {
  it('stops writing after EPIPE instead of crashing', async () => {
    const { stream, written } = closingStream(1);
    const write = writerTo(stream);
    write('first\n');
    write('second\n');
    // The error event comes asynchronously; without the handler it is an uncaught exception.
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => write('third\n')).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['first\n']);
    expect(stream.destroyed).toBe(true);
  });

  it('still fails on other stream errors', () => {
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    writerTo(stream);
    expect(() => stream.emit('error', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))).toThrow('no space left');
  });
});
