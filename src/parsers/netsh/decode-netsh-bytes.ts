import type { SourceFile } from '../../model';

export type NetshEncoding = SourceFile['encoding'];

export interface DecodedText {
  text: string;
  encoding: NetshEncoding;
}

/**
 * IBM code page 437, bytes 0x80–0xFF. cmd.exe writes `netsh … > file` in the console's OEM code page, which is
 * 437 on US Windows (formats.md §4.2). Bytes 0x00–0x7F are ASCII (control codes stay control codes: we decode
 * text, not screen glyphs).
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

/** How many leading bytes the UTF-16-without-BOM heuristic looks at. */
const SNIFF_BYTES = 4096;

/**
 * Decodes a saved netsh export or script (formats.md §4.2): BOM first (`FF FE` UTF-16LE, `FE FF` UTF-16BE,
 * `EF BB BF` UTF-8), then UTF-16 without BOM when most bytes at odd (LE) or even (BE) offsets are 00, then strict
 * UTF-8, else cp437. The BOM is stripped. Never throws.
 */
export function decodeNetshBytes(buf: Buffer): DecodedText {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: decodeUtf16le(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: decodeUtf16be(buf.subarray(2)), encoding: 'utf-16be' };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const utf8 = decodeStrictUtf8(buf.subarray(3));
    return utf8 === undefined ? { text: decodeCp437(buf.subarray(3)), encoding: 'cp437' } : { text: utf8, encoding: 'utf-8' };
  }
  const sniffed = sniffUtf16(buf);
  if (sniffed === 'utf-16le') return { text: decodeUtf16le(buf), encoding: 'utf-16le' };
  if (sniffed === 'utf-16be') return { text: decodeUtf16be(buf), encoding: 'utf-16be' };
  const utf8 = decodeStrictUtf8(buf);
  return utf8 === undefined ? { text: decodeCp437(buf), encoding: 'cp437' } : { text: utf8, encoding: 'utf-8' };
}

/** Decodes bytes as code page 437 (every byte maps to one character). */
export function decodeCp437(buf: Uint8Array): string {
  const parts: string[] = [];
  const chunk: number[] = [];
  for (const byte of buf) {
    chunk.push(byte < 0x80 ? byte : CP437_HIGH.charCodeAt(byte - 0x80));
    if (chunk.length === 8192) {
      parts.push(String.fromCharCode(...chunk));
      chunk.length = 0;
    }
  }
  if (chunk.length > 0) parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

function decodeStrictUtf8(buf: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

function decodeUtf16le(buf: Buffer): string {
  // An odd trailing byte cannot be half of a code unit we could use: drop it.
  const even = buf.length % 2 === 0 ? buf : buf.subarray(0, buf.length - 1);
  return even.toString('utf16le');
}

function decodeUtf16be(buf: Buffer): string {
  const length = buf.length - (buf.length % 2);
  const swapped = Buffer.alloc(length);
  for (let i = 0; i < length; i += 2) {
    swapped[i] = buf[i + 1]!;
    swapped[i + 1] = buf[i]!;
  }
  return swapped.toString('utf16le');
}

/**
 * ASCII-heavy text saved as UTF-16 without a BOM has a 00 byte in (nearly) every other position: at odd offsets for
 * little-endian, even offsets for big-endian. Real UTF-8 or cp437 text has almost no 00 bytes at all.
 */
function sniffUtf16(buf: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const length = Math.min(buf.length, SNIFF_BYTES) & ~1;
  if (length < 4) return undefined;
  let zerosAtOdd = 0;
  let zerosAtEven = 0;
  for (let i = 0; i < length; i += 2) {
    if (buf[i] === 0) zerosAtEven++;
    if (buf[i + 1] === 0) zerosAtOdd++;
  }
  const pairs = length / 2;
  if (zerosAtOdd >= pairs * 0.4 && zerosAtEven <= pairs * 0.05) return 'utf-16le';
  if (zerosAtEven >= pairs * 0.4 && zerosAtOdd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}
