import * as fc from 'fast-check';
import { decodeBytes, decodeCp437 } from '../../../src/discover/read';

// Code page 437, 0x80–0xFF, as Python's codecs module decodes it (an independent reference for our table).
const CP437_REFERENCE =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const SAMPLE = 'Rule Name:                            Café – Überwachung\r\nOk.\r\n';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return be;
}

// The one decoder of every input (the CLI's read stage), exercised here with netsh exports' encodings.
describe('decodeBytes', () => {
  it('decodes UTF-16LE with a BOM (Windows PowerShell 5.1 redirection) and strips the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]);
    expect(decodeBytes(bytes)).toEqual({ text: SAMPLE, encoding: 'utf-16le' });
  });

  it('decodes UTF-16BE with a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(SAMPLE)]);
    expect(decodeBytes(bytes)).toEqual({ text: SAMPLE, encoding: 'utf-16be' });
  });

  it('decodes UTF-8 with a BOM (Out-File -Encoding utf8 in 5.1) and strips the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]);
    expect(decodeBytes(bytes)).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('recognises UTF-16 without a BOM by the 00 bytes at odd (LE) or even (BE) offsets', () => {
    expect(decodeBytes(Buffer.from(SAMPLE, 'utf16le'))).toEqual({ text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeBytes(utf16be(SAMPLE))).toEqual({ text: SAMPLE, encoding: 'utf-16be' });
  });

  it('recognises UTF-16LE without a BOM whose text has a few CJK characters (00 bytes at even offsets too)', () => {
    // U+4E00 is the bytes 00 4E in UTF-16LE: a 00 at an even offset, which must not make the file binary.
    const text = 'Rule Name:                            一 Web\r\nEnabled:                              Yes\r\n';
    expect(decodeBytes(Buffer.from(text, 'utf16le'))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeBytes(utf16be(text))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('refuses binary content: NUL bytes in what is not UTF-16', () => {
    expect(decodeBytes(Buffer.from([0x52, 0x75, 0x6c, 0x65, 0x00, 0x82, 0x9f, 0x00, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46]))).toBeUndefined();
  });

  it('decodes valid UTF-8 without a BOM (PowerShell 7) as UTF-8', () => {
    expect(decodeBytes(Buffer.from(SAMPLE, 'utf8'))).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('falls back to cp437 for bytes that are not UTF-8 (cmd.exe redirection on US Windows)', () => {
    // "Café" in code page 437: é is 0x82, which can never start a UTF-8 sequence.
    const bytes = Buffer.from([0x43, 0x61, 0x66, 0x82, 0x0d, 0x0a]);
    expect(decodeBytes(bytes)).toEqual({ text: 'Café\r\n', encoding: 'cp437', invalidUtf8At: 3 });
  });

  it('maps every byte 0x80-0xFF through the real cp437 table', () => {
    const high = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    expect(decodeCp437(high)).toBe(CP437_REFERENCE);
    expect(decodeBytes(high)).toEqual({ text: CP437_REFERENCE, encoding: 'cp437', invalidUtf8At: 0 });
  });

  it('keeps ASCII as it is, including control characters', () => {
    const ascii = Buffer.from(Array.from({ length: 128 }, (_, i) => i));
    expect(decodeCp437(ascii)).toBe(String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i)));
  });

  it('handles empty input and a dangling odd byte after a UTF-16 BOM', () => {
    expect(decodeBytes(Buffer.alloc(0))).toEqual({ text: '', encoding: 'utf-8' });
    expect(decodeBytes(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]))).toEqual({ text: 'A', encoding: 'utf-16le' });
  });

  it('decodes a large cp437 buffer in one piece', () => {
    const bytes = Buffer.alloc(100_000, 0x82);
    const { text, encoding } = decodeBytes(bytes)!;
    expect(encoding).toBe('cp437');
    expect(text).toBe('é'.repeat(100_000));
  });

  it('never throws, and cp437 gives one character per byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (array) => {
        const decoded = decodeBytes(Buffer.from(array));
        if (decoded?.encoding === 'cp437') expect(decoded.text.length).toBe(array.length);
      }),
    );
  });
});
