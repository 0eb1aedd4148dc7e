import * as fs from 'node:fs';
import { describeFileError, errorDiagnostic, type Diagnostic } from '../model/diagnostic';
import type { SourceFile } from '../model/source-file';
import type { DiscoveredFile } from './discover';

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

/** `invalidUtf8At`: for cp437 or cp1252 text, the offset (in bytes and characters alike) of the first byte that is not UTF-8. */
export type DecodedText = { text: string; encoding: SourceFile['encoding']; invalidUtf8At?: number };

/**
 * IBM code page 437, bytes 0x80–0xFF. cmd.exe writes `netsh … > file` in the console's OEM code page, which is 437
 * on US Windows (formats.md §4.2). Bytes 0x00–0x7F are ASCII (control codes stay control codes: we decode text, not
 * screen glyphs).
 */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/**
 * Windows-1252, bytes 0x80–0x9F (0xA0–0xFF are U+00A0–U+00FF, as in Latin-1): the ANSI code page of US and
 * Western-European Windows, in which Windows PowerShell 5.1 reads a `.ps1` without BOM and Notepad/ISE saved one as
 * "ANSI". The five bytes 1252 leaves undefined (81, 8D, 8F, 90, 9D) map to the C1 controls, as the WHATWG decoder does.
 */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const CP1252_HIGH = CP1252_C1 + Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0xa0 + i)).join('');

/** The code page bytes that are not UTF-8 are read in, by what reads the file on Windows. */
type LegacyCodePage = 'cp437' | 'cp1252';

/**
 * Windows PowerShell 5.1 reads a `.ps1` without BOM in the ANSI code page (1252); cmd.exe reads `.cmd`/`.bat` and
 * writes `netsh … > file` in the OEM code page (437), and so does everything else here (netsh exports, `netsh -f`
 * scripts). PowerShell 7 reads such a script as UTF-8, which is tried first anyway.
 */
function legacyCodePageOf(path: string | undefined): LegacyCodePage {
  return path !== undefined && /\.ps1$/i.test(path) ? 'cp1252' : 'cp437';
}

/** How many leading bytes the UTF-16-without-BOM heuristic looks at. */
const SNIFF_BYTES = 4096;

/**
 * The one decoder of input bytes (every format, netsh exports included; formats.md §4.2): BOM first (`EF BB BF`
 * UTF-8, `FF FE` UTF-16LE, `FE FF` UTF-16BE), then UTF-16 without BOM when most bytes at odd (LE) or even (BE)
 * offsets are 00 and few at the other offsets are (a CJK character such as U+4E00 puts a 00 there), then strict
 * UTF-8, else the code page Windows reads the file in (`legacyCodePageOf` the file's `path`): 1252 for a `.ps1`,
 * else the OEM code page 437 in which `cmd` saves netsh output. The BOM is stripped; a dangling odd byte of UTF-16 is
 * dropped. Returns undefined for binary content (NUL bytes in what is not UTF-16). Never throws.
 */
export function decodeBytes(bytes: Buffer, path?: string): DecodedText | undefined {
  const codePage = legacyCodePageOf(path);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8OrLegacy(bytes.subarray(3), codePage);
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decodeUtf16le(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeUtf16be(bytes.subarray(2)), encoding: 'utf-16be' };
  const sniffed = sniffUtf16(bytes);
  if (sniffed === 'utf-16le') return { text: decodeUtf16le(bytes), encoding: 'utf-16le' };
  if (sniffed === 'utf-16be') return { text: decodeUtf16be(bytes), encoding: 'utf-16be' };
  if (bytes.includes(0)) return undefined;
  return decodeUtf8OrLegacy(bytes, codePage);
}

/** Decodes bytes as code page 437 (every byte maps to one character). */
export function decodeCp437(bytes: Uint8Array): string {
  return decodeSingleByte(bytes, CP437_HIGH);
}

/** Decodes bytes as Windows-1252 (every byte maps to one character). */
export function decodeCp1252(bytes: Uint8Array): string {
  return decodeSingleByte(bytes, CP1252_HIGH);
}

/** Bytes 0x00–0x7F as ASCII, 0x80–0xFF through `high`. */
function decodeSingleByte(bytes: Uint8Array, high: string): string {
  const parts: string[] = [];
  const chunk: number[] = [];
  for (const byte of bytes) {
    chunk.push(byte < 0x80 ? byte : high.charCodeAt(byte - 0x80));
    if (chunk.length === 8192) {
      parts.push(String.fromCharCode(...chunk));
      chunk.length = 0;
    }
  }
  if (chunk.length > 0) parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

function decodeUtf8OrLegacy(bytes: Buffer, codePage: LegacyCodePage): DecodedText {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = codePage === 'cp1252' ? decodeCp1252(bytes) : decodeCp437(bytes);
    return { text, encoding: codePage, invalidUtf8At: firstInvalidUtf8(bytes) };
  }
}

/**
 * The offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), so the error can name its line; -1 when the bytes are valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || index + length > bytes.length) return index;
    for (let next = 1; next < length; next++) if ((bytes[index + next]! & 0xc0) !== 0x80) return index;
    const second = bytes[index + 1]!;
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return index;
    index += length;
  }
  return -1;
}

function decodeUtf16le(bytes: Buffer): string {
  // An odd trailing byte cannot be half of a code unit we could use: drop it.
  const even = bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1);
  return even.toString('utf16le');
}

function decodeUtf16be(bytes: Buffer): string {
  const length = bytes.length - (bytes.length % 2);
  const swapped = Buffer.alloc(length);
  for (let i = 0; i < length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped.toString('utf16le');
}

/**
 * ASCII-heavy text saved as UTF-16 without a BOM has a 00 byte in (nearly) every other position: at odd offsets for
 * little-endian, even offsets for big-endian. Up to 5 % of the other offsets may be 00 too (CJK characters
 * U+4E00–U+4EFF and the like). Real UTF-8 or cp437 text has almost no 00 bytes at all.
 */
function sniffUtf16(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const length = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (length < 4) return undefined;
  let zerosAtOdd = 0;
  let zerosAtEven = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) zerosAtEven++;
    if (bytes[i + 1] === 0) zerosAtOdd++;
  }
  const pairs = length / 2;
  if (zerosAtOdd >= pairs * 0.4 && zerosAtEven <= pairs * 0.05) return 'utf-16le';
  if (zerosAtEven >= pairs * 0.4 && zerosAtOdd <= pairs * 0.05) return 'utf-16be';
  return undefined;
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
    return { problem: 'unreadable', reason: describeFileError(error) };
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
    return { problem: 'unreadable', reason: describeFileError(error) };
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
  // Whole bytes (`--max-file-size 0.0001` is 104.8576 of them), and KB where two decimals of MB would read 0.
  if (bytes < 1024) return `${Math.round(bytes)} bytes`;
  if (bytes < 10486) return `${Number((bytes / 1024).toFixed(1)).toString()} KB`;
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
  const decoded = decodeBytes(bytes, file.path);
  if (!decoded) {
    return { diagnostic: errorDiagnostic('read/binary', file.path, 'file is binary (contains NUL bytes), not text', { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }) };
  }
  const source: SourceFile = { path: file.path, absolutePath: file.absolutePath, text: decoded.text, encoding: decoded.encoding };
  if (decoded.invalidUtf8At !== undefined && decoded.invalidUtf8At >= 0) source.invalidUtf8At = decoded.invalidUtf8At;
  return { file: source };
}
