import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a generator wrote: the scan inputs, relative to `root`. */
export interface Corpus {
  kind: string;
  root: string;
  files: number;
  bytes: number;
  /** Anything worth printing next to the figures (trimmed sizes, skipped parts). */
  note?: string;
}

/** Writes generated files under `root`, counting them; folders are created as needed. */
export class CorpusWriter {
  files = 0;
  bytes = 0;
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  write(relativePath: string, text: string): void {
    const file = path.join(this.root, relativePath);
    const folder = path.dirname(file);
    if (!this.folders.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    fs.writeFileSync(file, text);
    this.files++;
    this.bytes += Buffer.byteLength(text);
  }

  corpus(kind: string, note?: string): Corpus {
    return note ? { kind, root: this.root, files: this.files, bytes: this.bytes, note } : { kind, root: this.root, files: this.files, bytes: this.bytes };
  }
}

/** `0042` */
export function pad(value: number, width = 4): string {
  return String(value).padStart(width, '0');
}
