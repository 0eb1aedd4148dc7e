import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes a file atomically (temp file in the same folder, then rename): a killed run never leaves half a report. */
export function writeFileAtomic(file: string, content: string): void {
  const directory = path.dirname(path.resolve(file));
  fs.mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}
