import fc from 'fast-check';
import { ANY_PROTOCOL, hasPorts, ICMP, ICMPV6, parseProtocol, Protocol, protocolName, sameProtocol, TCP, UDP } from '../../src/model/protocol';

const num = (value: number): Protocol => ({ kind: 'number', value });

describe('parseProtocol', () => {
  it.each([
    ['tcp', 6],
    ['TCP', 6],
    ['Tcp', 6],
    ['udp', 17],
    ['Udp', 17],
    ['UDP', 17],
    ['icmp', 1],
    ['ICMP', 1],
    ['icmpv4', 1],
    ['IcmpV4', 1],
    ['icmpv6', 58],
    ['ICMPv6', 58],
    ['ICMPV6', 58],
    ['gre', 47],
    ['ESP', 50],
    ['ah', 51],
    ['SCTP', 132],
    ['ipip', 4],
    [' tcp ', 6],
    ['\tudp\n', 17],
  ])('maps the name %j to %d', (text, value) => {
    expect(parseProtocol(text)).toEqual(num(value));
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['6', 6],
    ['17', 17],
    ['50', 50],
    ['58', 58],
    ['255', 255],
    [' 47 ', 47],
  ])('accepts the number string %j', (text, value) => {
    expect(parseProtocol(text)).toEqual(num(value));
  });

  it('accepts numbers as numbers', () => {
    expect(parseProtocol(6)).toEqual(TCP);
    expect(parseProtocol(17)).toEqual(UDP);
    expect(parseProtocol(0)).toEqual(num(0));
    expect(parseProtocol(255)).toEqual(num(255));
    expect(parseProtocol(-1)).toEqual(ANY_PROTOCOL);
  });

  it('every number 0..255 parses to itself, as a string and as a number', () => {
    for (let value = 0; value <= 255; value++) {
      expect(parseProtocol(String(value))).toEqual(num(value));
      expect(parseProtocol(value)).toEqual(num(value));
    }
  });

  it.each(['-1', 'all', 'ALL', 'All', 'any', 'ANY', '*', ' -1 ', ' * '])('maps %j to every protocol', (text) => {
    expect(parseProtocol(text)).toEqual(ANY_PROTOCOL);
  });

  it.each([
    '256',
    '999',
    '1000',
    '-2',
    '-0',
    '+6',
    '6.0',
    '1e1',
    '0x6',
    '',
    '   ',
    'tcp6',
    'tcp/udp',
    'tcp,udp',
    'icmpv7',
    'ip',
    'junk',
    '**',
    '٦',
    // Object.prototype members must not be mistaken for protocol names.
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    '__proto__',
    '__defineGetter__',
    'isPrototypeOf',
    'CONSTRUCTOR',
  ])('rejects %j', (text) => {
    expect(parseProtocol(text)).toBeUndefined();
  });

  it('rejects out-of-range and non-integer numbers', () => {
    expect(parseProtocol(256)).toBeUndefined();
    expect(parseProtocol(1000)).toBeUndefined();
    expect(parseProtocol(-2)).toBeUndefined();
    expect(parseProtocol(6.5)).toBeUndefined();
    expect(parseProtocol(Number.NaN)).toBeUndefined();
    expect(parseProtocol(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('never returns anything but undefined, ANY or a number 0..255 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer({ min: -1000, max: 1000 }), fc.double()), (input) => {
        const result = parseProtocol(input);
        if (result === undefined) return;
        if (result.kind === 'any') {
          expect(result).toEqual(ANY_PROTOCOL);
          return;
        }
        expect(result.kind).toBe('number');
        expect(Number.isInteger(result.value)).toBe(true);
        expect(result.value).toBeGreaterThanOrEqual(0);
        expect(result.value).toBeLessThanOrEqual(255);
      }),
      { numRuns: 500 },
    );
  });

  it('is case-insensitive for every known name (property)', () => {
    const names = ['tcp', 'udp', 'icmp', 'icmpv4', 'icmpv6', 'gre', 'esp', 'ah', 'sctp', 'ipip', 'all', 'any'];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (name, upper) => {
        const mixed = [...name].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
        expect(parseProtocol(mixed)).toEqual(parseProtocol(name));
        expect(parseProtocol(name)).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe('protocolName', () => {
  it.each([
    [ANY_PROTOCOL, 'all'],
    [TCP, 'tcp'],
    [UDP, 'udp'],
    [ICMP, 'icmp'],
    [ICMPV6, 'icmpv6'],
    [num(4), 'ipip'],
    [num(47), 'gre'],
    [num(50), 'esp'],
    [num(51), 'ah'],
    [num(132), 'sctp'],
    [num(0), 'proto-0'],
    [num(2), 'proto-2'],
    [num(255), 'proto-255'],
  ])('names %j as %j', (protocol, name) => {
    expect(protocolName(protocol)).toBe(name);
  });

  it('round-trips: parseProtocol(protocolName(p)) is p for named protocols and ANY', () => {
    for (const p of [ANY_PROTOCOL, TCP, UDP, ICMP, ICMPV6, num(4), num(47), num(50), num(51), num(132)]) {
      expect(parseProtocol(protocolName(p))).toEqual(p);
    }
  });

  it('every parsed number has a name, and icmpv4 is printed as icmp', () => {
    for (let value = 0; value <= 255; value++) expect(protocolName(parseProtocol(value)!)).toMatch(/^[a-z0-9-]+$/);
    expect(protocolName(parseProtocol('icmpv4')!)).toBe('icmp');
  });
});

describe('hasPorts', () => {
  it('is true only for TCP, UDP and SCTP', () => {
    expect(hasPorts(TCP)).toBe(true);
    expect(hasPorts(UDP)).toBe(true);
    expect(hasPorts(num(132))).toBe(true);
    expect(hasPorts(parseProtocol('Sctp')!)).toBe(true);
    expect(hasPorts(ANY_PROTOCOL)).toBe(false);
    expect(hasPorts(ICMP)).toBe(false);
    expect(hasPorts(ICMPV6)).toBe(false);
    for (let value = 0; value <= 255; value++) {
      expect(hasPorts(num(value))).toBe(value === 6 || value === 17 || value === 132);
    }
  });
});

describe('sameProtocol', () => {
  it('compares kind and number', () => {
    expect(sameProtocol(TCP, parseProtocol('tcp')!)).toBe(true);
    expect(sameProtocol(TCP, UDP)).toBe(false);
    expect(sameProtocol(ANY_PROTOCOL, parseProtocol('*')!)).toBe(true);
    expect(sameProtocol(ANY_PROTOCOL, TCP)).toBe(false);
    expect(sameProtocol(TCP, ANY_PROTOCOL)).toBe(false);
    expect(sameProtocol(ICMP, parseProtocol('icmpv4')!)).toBe(true);
  });
});
