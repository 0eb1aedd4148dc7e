import * as fs from 'node:fs';
import { errorDiagnostic, type Diagnostic } from '../model/diagnostic';
import type { SourceFile } from '../model/source-file';
import { describeError, type DiscoveredFile } from './discover';

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/**
 * Decodes input bytes: BOM first (UTF-8, UTF-16LE, UTF-16BE), then UTF-16LE without BOM (NULs at odd offsets, as
 * Windows tools write), then strict UTF-8, else the OEM code page 437 in which `cmd` saves netsh output.
 * Returns undefined for binary content (NUL bytes in what is not UTF-16).
 */
export function decodeBytes(bytes: Buffer): { text: string; encoding: SourceFile['encoding'] } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const sample = bytes.subarray(0, 4096);
  let nulAtOdd = 0;
  let nulAtEven = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 1) nulAtOdd++;
      else nulAtEven++;
    }
  }
  if (nulAtOdd > sample.length / 4 && nulAtEven === 0) {
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  }
  if (nulAtEven > sample.length / 4 && nulAtOdd === 0) {
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  }
  if (bytes.includes(0)) return undefined;
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Buffer): { text: string; encoding: SourceFile['encoding'] } | undefined {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    let text = '';
    for (const byte of bytes) text += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
    return { text, encoding: 'cp437' };
  }
}

export type BoundedRead = { bytes: Buffer } | { problem: 'too-large'; size: number } | { problem: 'not-a-file' | 'unreadable'; reason: string };

/**
 * Reads a regular file, at most `maxBytes` of it. Never blocks on a FIFO or device (`fwlint scan /dev/zero`, a named
 * pipe called `main.tf`): anything that is not a regular file is refused before reading. A file that grows while it
 * is read (or reports a size of 0, as /proc files do) is still cut off at the limit. Never throws.
 */
export function readRegularFile(absolutePath: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer before fstat could refuse it.
    fd = fs.openSync(absolutePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { problem: 'unreadable', reason: describeError(error) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { problem: 'not-a-file', reason: 'is a folder' };
    if (!stat.isFile()) return { problem: 'not-a-file', reason: 'is not a regular file (a pipe, socket or device)' };
    if (stat.size > maxBytes) return { problem: 'too-large', size: stat.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The announced size plus one byte (to notice growth) in one read; 64 KiB at a time past it or without a size.
      const wanted = total < stat.size ? stat.size - total + 1 : 65536;
      const chunk = Buffer.allocUnsafe(Math.max(1, Math.floor(Math.min(wanted, maxBytes + 1 - total))));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) return { problem: 'too-large', size: total };
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (error) {
    return { problem: 'unreadable', reason: describeError(error) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing to do
    }
  }
}

/** `2.5 MB`, `50 MB`, `0.5 MB`, `12 bytes`: sizes in messages about the limit. */
export function formatMegabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const mb = bytes / 1048576;
  return `${mb >= 10 ? mb.toFixed(0) : Number(mb.toFixed(2)).toString()} MB`;
}

/** Reads and decodes one discovered file; problems become diagnostics naming the file. */
export function readSourceFile(file: DiscoveredFile, maxFileBytes: number): { file?: SourceFile; diagnostic?: Diagnostic } {
  const limit = formatMegabytes(maxFileBytes);
  const tooLarge = (size: string): { diagnostic: Diagnostic } => ({
    diagnostic: errorDiagnostic('read/too-large', file.path, `file is ${size}, over the ${limit} limit, so it was not scanned (raise the limit with --max-file-size <MB>)`),
  });
  if (file.size > maxFileBytes) return tooLarge(formatMegabytes(file.size));
  const read = readRegularFile(file.absolutePath, maxFileBytes);
  if ('problem' in read) {
    // A file that grew past the limit while being read: only a lower bound of its size is known.
    if (read.problem === 'too-large') return tooLarge(read.size > file.size && file.size <= maxFileBytes ? `more than ${limit}` : formatMegabytes(read.size));
    return { diagnostic: errorDiagnostic(read.problem === 'not-a-file' ? 'read/not-a-file' : 'read/unreadable', file.path, `cannot read file: ${read.reason}`) };
  }
  const bytes = read.bytes;
  const decoded = decodeBytes(bytes);
  if (!decoded) {
    return { diagnostic: errorDiagnostic('read/binary', file.path, 'file is binary (contains NUL bytes), not text', { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }) };
  }
  return { file: { path: file.path, absolutePath: file.absolutePath, text: decoded.text, encoding: decoded.encoding } };
}
