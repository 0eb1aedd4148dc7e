import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically: a temporary file in the same folder, flushed to disk, then renamed over the target, so a
 * killed run never leaves half a report. The temporary file is removed when anything fails. `content` may come in
 * pieces, text or bytes (a large report is written as it is rendered).
 */
export function writeFileAtomic(file: string, content: string | Iterable<string | Uint8Array>): void {
  const existing = statIfAny(file);
  // A pipe, a device or a terminal (`-o /dev/stdout`) is written to, never replaced by a file; so is `/dev/stdout`
  // (or `/proc/self/fd/1`) redirected to a file, which the shell holds open, maybe to append.
  if (existing !== undefined && (!existing.isFile() || isSystemPath(path.resolve(file)))) return writeThrough(file, content);
  // A link to a report or a shared baseline is followed: the file it names is replaced (or made), the link stays.
  const target = existing !== undefined ? fs.realpathSync(file) : danglingLinkTarget(file);
  const real = target ?? path.resolve(file);
  const directory = path.dirname(real);
  // The folders of a path given are made; those of a link's target are the link's business (ENOENT, reported).
  if (target === undefined) fs.mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(real)}.${process.pid}.tmp`);
  try {
    const descriptor = fs.openSync(temporary, 'w');
    try {
      writeContent(descriptor, content);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    fs.renameSync(temporary, real);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function statIfAny(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function writeThrough(file: string, content: string | Iterable<string | Uint8Array>): void {
  const descriptor = fs.openSync(file, 'w');
  try {
    writeContent(descriptor, content);
  } finally {
    fs.closeSync(descriptor);
  }
}

function writeContent(descriptor: number, content: string | Iterable<string | Uint8Array>): void {
  if (typeof content === 'string') fs.writeFileSync(descriptor, content);
  else for (const piece of content) typeof piece === 'string' ? fs.writeSync(descriptor, piece) : fs.writeSync(descriptor, piece);
}

function isSystemPath(file: string): boolean {
  return file.startsWith('/dev/') || file.startsWith('/proc/');
}

/** Where a link that names no existing file points, or undefined when `file` is not such a link. */
function danglingLinkTarget(file: string): string | undefined {
  try {
    if (!fs.lstatSync(file).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  return path.resolve(path.dirname(path.resolve(file)), fs.readlinkSync(file));
}
