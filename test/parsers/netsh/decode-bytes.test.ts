import * as fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBytes, decodeCp1252, decodeCp437, readSourceFile } from '../../../src/discover/read';
import { netshParser } from '../../../src/parsers/netsh';
import { NETSH_OPTIONS, onlyTarget } from './netsh-test-helpers';

// Code page 437, 0x80–0xFF, as Python's codecs module decodes it (an independent reference for our table).
const CP437_REFERENCE =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

// Windows-1252, 0x80–0xFF, as Python's codecs module decodes it; the five bytes it leaves undefined are the C1
// controls, as in the WHATWG decoder (Node 20's TextDecoder reads this label as Latin-1, so it is no reference).
const CP1252_REFERENCE =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ' +
  '\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ';

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

  it('falls back to Windows-1252 for a .ps1 (Windows PowerShell 5.1 reads a script without BOM in the ANSI code page)', () => {
    // "RDP Büro" saved as "ANSI" by Notepad or the ISE: ü is 0xFC in 1252 (and ⁿ in 437).
    const bytes = Buffer.from([0x52, 0x44, 0x50, 0x20, 0x42, 0xfc, 0x72, 0x6f]);
    expect(decodeBytes(bytes, 'scripts/open.ps1')).toEqual({ text: 'RDP Büro', encoding: 'cp1252', invalidUtf8At: 5 });
    expect(decodeBytes(bytes, 'C:/scripts/OPEN.PS1')).toMatchObject({ text: 'RDP Büro', encoding: 'cp1252' });
    // cmd.exe reads a batch file, and writes netsh output, in the OEM code page: 437 there.
    expect(decodeBytes(bytes, 'open.cmd')).toMatchObject({ text: 'RDP Bⁿro', encoding: 'cp437' });
    expect(decodeBytes(bytes, 'host01.txt')).toMatchObject({ text: 'RDP Bⁿro', encoding: 'cp437' });
    // UTF-8 (PowerShell 7, or a BOM) is still UTF-8 in a .ps1.
    expect(decodeBytes(Buffer.from('RDP Büro', 'utf8'), 'open.ps1')).toEqual({ text: 'RDP Büro', encoding: 'utf-8' });
  });

  it('maps every byte 0x80-0xFF through the real Windows-1252 table', () => {
    const high = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    expect(decodeCp1252(high)).toBe(CP1252_REFERENCE);
    expect(decodeCp1252(Buffer.from([0x80, 0x93, 0x94, 0x9f, 0xe9]))).toBe('€“”Ÿé');
  });

  it('reads a rule name with umlauts from a .ps1 saved in Windows-1252 as Windows shows it (QA 6/11 g)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fwlint-ansi-'));
    const absolutePath = join(folder, 'ansi.ps1');
    writeFileSync(absolutePath, Buffer.concat([
      Buffer.from('# Firewall f'), Buffer.from([0xfc]), Buffer.from('r B'), Buffer.from([0xfc]), Buffer.from('ro\r\n'),
      Buffer.from('netsh advfirewall firewall add rule name="RDP B'), Buffer.from([0xfc]), Buffer.from('ro" dir=in action=allow protocol=TCP localport=3389 remoteip=any\r\n'),
    ]));
    const { file } = readSourceFile({ path: 'ansi.ps1', absolutePath, size: 200 }, 1 << 20);
    expect(file!.encoding).toBe('cp1252');
    const result = netshParser.parse([file!], NETSH_OPTIONS);
    expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"RDP Büro"#1']);
    expect(result.diagnostics).toEqual([]);
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

  it('never throws, and cp437 and cp1252 give one character per byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('host.txt', 'setup.ps1'), (array, path) => {
        const decoded = decodeBytes(Buffer.from(array), path);
        if (decoded?.encoding === 'cp437' || decoded?.encoding === 'cp1252') expect(decoded.text.length).toBe(array.length);
      }),
    );
  });
});
