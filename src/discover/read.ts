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

/** Reads and decodes one discovered file; problems become diagnostics naming the file. */
export function readSourceFile(file: DiscoveredFile, maxFileBytes: number): { file?: SourceFile; diagnostic?: Diagnostic } {
  if (file.size > maxFileBytes) {
    return {
      diagnostic: errorDiagnostic(
        'read/too-large',
        file.path,
        `file is ${(file.size / 1048576).toFixed(1)} MB, over the ${(maxFileBytes / 1048576).toFixed(0)} MB limit (raise it with --max-file-size)`,
      ),
    };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file.absolutePath);
  } catch (error) {
    return { diagnostic: errorDiagnostic('read/unreadable', file.path, `cannot read file: ${describeError(error)}`) };
  }
  const decoded = decodeBytes(bytes);
  if (!decoded) {
    return { diagnostic: errorDiagnostic('read/binary', file.path, 'file is binary (contains NUL bytes), not text', { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }) };
  }
  return { file: { path: file.path, absolutePath: file.absolutePath, text: decoded.text, encoding: decoded.encoding } };
}
