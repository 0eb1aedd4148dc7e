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
  if (target === undefined) makeFolders(directory);
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

/**
 * Makes a folder and its missing parents one level at a time. Node 20's `mkdirSync(…, { recursive: true })` spins
 * forever where mkdir(2) answers ENOENT under an existing parent (`/proc/nope`); level by level, that ENOENT is thrown.
 * A parent that is a file is ENOTDIR (recursive mkdir says EEXIST, "file already exists", for a file never asked for).
 */
function makeFolders(directory: string): void {
  const missing: string[] = [];
  let existing = directory;
  let stats = statIfAny(existing);
  while (stats === undefined && path.dirname(existing) !== existing) {
    missing.push(existing);
    existing = path.dirname(existing);
    stats = statIfAny(existing);
  }
  if (stats !== undefined && !stats.isDirectory()) {
    throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${missing.at(-1) ?? directory}'`), { code: 'ENOTDIR', syscall: 'mkdir', path: missing.at(-1) ?? directory });
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder);
    } catch (error) {
      // Made meanwhile by another process: as good as made here.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statIfAny(folder)?.isDirectory()) throw error;
    }
  }
}

/** Why a file could not be written (by writeFileAtomic), in words. */
export function writeProblem(error: unknown): string {
  const failure = error as NodeJS.ErrnoException;
  const code = failure?.code;
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a parent is not a folder';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOENT' && failure.path !== undefined) {
    // A folder that cannot be made although its parent exists (`/proc/nope`), or a folder that exists but takes no
    // new file (`/proc`): neither is a missing folder the user could make.
    if (failure.syscall === 'mkdir') return `its folder ${failure.path} cannot be made (the system says: ${systemReason(failure)})`;
    if (statIfAny(path.dirname(failure.path))?.isDirectory()) return `no file can be made in its folder (the system says: ${systemReason(failure)})`;
    return `its folder ${path.dirname(failure.path)} does not exist`;
  }
  if (code === 'ENOENT') return 'its folder does not exist';
  return error instanceof Error ? error.message : String(error);
}

/** `no such file or directory` of Node's `ENOENT: no such file or directory, open '/proc/x'`. */
function systemReason(error: Error): string {
  return /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
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
