import * as fc from 'fast-check';
import { firstInvalidUtf8 } from '../../src/discover/read';

describe('firstInvalidUtf8', () => {
  it.each([
    ['valid ASCII and multi-byte text', Buffer.from('a é € 😀\n'), -1],
    ['a lone continuation byte', Buffer.from([0x61, 0x80]), 1],
    ['an overlong slash (C0 AF)', Buffer.from([0x61, 0x62, 0xc0, 0xaf]), 2],
    ['an overlong three-byte form (E0 80 AF)', Buffer.from([0xe0, 0x80, 0xaf]), 0],
    ['a UTF-16 surrogate (ED A0 80)', Buffer.from([0x41, 0xed, 0xa0, 0x80]), 1],
    ['a code point above U+10FFFF (F4 90 80 80)', Buffer.from([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a sequence cut at the end of the file', Buffer.from([0x41, 0xe2, 0x82]), 1],
    ['a Latin-1 é on line 2', Buffer.from('x\nname = "caf\xe9"', 'latin1'), 13],
  ])('%s', (_name, bytes, expected) => {
    expect(firstInvalidUtf8(bytes)).toBe(expected);
  });

  it('agrees with the platform decoder on whether bytes are valid, and points at the first bad sequence', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const found = firstInvalidUtf8(bytes);
        const valid = (() => {
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(bytes);
            return true;
          } catch {
            return false;
          }
        })();
        expect(found === -1).toBe(valid);
        if (found >= 0) {
          // Everything before the offset is valid UTF-8 on its own.
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, found))).not.toThrow();
          // And what starts there is not: the offset is the first bad sequence, not a later one.
          expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(found))).toThrow();
        }
      }),
    );
  });
});
