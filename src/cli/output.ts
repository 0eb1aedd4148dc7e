import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically: a temporary file in the same folder, flushed to disk, then renamed over the target, so a
 * killed run never leaves half a report. The temporary file is removed when anything fails. `content` may come in
 * pieces (a large report is written as it is rendered).
 */
export function writeFileAtomic(file: string, content: string | Iterable<string>): void {
  const directory = path.dirname(path.resolve(file));
  fs.mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const descriptor = fs.openSync(temporary, 'w');
    try {
      if (typeof content === 'string') fs.writeFileSync(descriptor, content);
      else for (const piece of content) fs.writeSync(descriptor, piece);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
