import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { AddressFamily, AddressSet, coveringSizeOf, formatAddress, mayCoverInternet, PRIVATE_ADDRESSES, routableAddressesOf, SetParseError } from '../../src/model/address-set';

const RUNS = { numRuns: 200 };
const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

// ---------------------------------------------------------------------------------------------------------------
// Independent oracles: these do not use the code under test.

function v4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/**
 * RFC 5952 text of an IPv6 value, via the WHATWG URL host serializer (lower case, no leading zeros, first longest
 * run of two or more zero groups compressed, never a single group) rather than our own formatAddress.
 */
function v6Text(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return urlIpv6(groups.join(':'))!;
}

/** WHATWG URL's IPv6 parser as a second opinion: canonical text, or undefined when it rejects the input. */
function urlIpv6(text: string): string | undefined {
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

const textOf = (value: bigint, family: AddressFamily): string => (family === 4 ? v4Text(value) : v6Text(value));
const single = (family: AddressFamily, value: bigint): AddressSet => AddressSet.fromInterval(family, value, value);

/** Numeric value of canonical address text, parsed without the code under test. */
function valueOf(text: string, family: AddressFamily): bigint {
  if (family === 4) return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  const [left, right] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const groups = right === undefined ? leftGroups : [...leftGroups, ...new Array<string>(8 - leftGroups.length - rightGroups.length).fill('0'), ...rightGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Minimal exact CIDR cover of a boolean model over an aligned block of 2^k addresses starting at `base`. */
function minimalCover(model: boolean[], base: bigint, family: AddressFamily): string[] {
  const bits = family === 4 ? 32 : 128;
  const out: string[] = [];
  const walk = (start: number, length: number): void => {
    const slice = model.slice(start, start + length);
    if (slice.every(Boolean)) out.push(`${textOf(base + BigInt(start), family)}/${bits - Math.log2(length)}`);
    else if (slice.some(Boolean)) {
      walk(start, length / 2);
      walk(start + length / 2, length / 2);
    }
  };
  walk(0, model.length);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

describe('AddressSet.parseCidr: valid input', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8', { v4: 1n << 24n, v6: 0n }],
    ['192.0.2.7', '192.0.2.7/32', { v4: 1n, v6: 0n }],
    ['192.0.2.7/32', '192.0.2.7/32', { v4: 1n, v6: 0n }],
    ['0.0.0.0/0', '0.0.0.0/0', { v4: 1n << 32n, v6: 0n }],
    ['255.255.255.255', '255.255.255.255/32', { v4: 1n, v6: 0n }],
    ['0.0.0.0', '0.0.0.0/32', { v4: 1n, v6: 0n }],
    ['  172.16.0.0/12 ', '172.16.0.0/12', { v4: 1n << 20n, v6: 0n }],
    ['::/0', '::/0', { v4: 0n, v6: 1n << 128n }],
    ['2001:db8::/32', '2001:db8::/32', { v4: 0n, v6: 1n << 96n }],
    ['::ffff:192.0.2.1', '::ffff:c000:201/128', { v4: 0n, v6: 1n }],
    ['::ffff:0:0/96', '::ffff:0:0/96', { v4: 0n, v6: 1n << 32n }],
    ['fe80::1', 'fe80::1/128', { v4: 0n, v6: 1n }],
    ['fe80::/10', 'fe80::/10', { v4: 0n, v6: 1n << 118n }],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', { v4: 0n, v6: 1n }],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6/128', { v4: 0n, v6: 1n }],
    ['2001:DB8::ABCD', '2001:db8::abcd/128', { v4: 0n, v6: 1n }],
    ['FE80::/10', 'fe80::/10', { v4: 0n, v6: 1n << 118n }],
    ['::', '::/128', { v4: 0n, v6: 1n }],
    ['::1', '::1/128', { v4: 0n, v6: 1n }],
    ['1::', '1::/128', { v4: 0n, v6: 1n }],
    ['::1.2.3.4', '::102:304/128', { v4: 0n, v6: 1n }],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304/128', { v4: 0n, v6: 1n }],
    ['ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', { v4: 0n, v6: 1n }],
    ['2001:db8::/128', '2001:db8::/128', { v4: 0n, v6: 1n }],
  ] as Array<[string, string, { v4: bigint; v6: bigint }]>)('parses %j', (text, printed, size) => {
    const set = AddressSet.parseCidr(text);
    expect(set.toString()).toBe(printed);
    expect(set.size()).toEqual(size);
    expect(AddressSet.parseList(printed).equals(set)).toBe(true);
  });

  it('::ffff:192.0.2.1 is the same address as ::ffff:c000:201', () => {
    expect(AddressSet.parseCidr('::ffff:192.0.2.1').equals(AddressSet.parseCidr('::ffff:c000:201'))).toBe(true);
    expect(AddressSet.parseCidr('::ffff:192.0.2.1').equals(single(6, 0xffffc0000201n))).toBe(true);
    // An IPv4-mapped IPv6 address is not the IPv4 address: families are kept apart.
    expect(AddressSet.parseCidr('::ffff:192.0.2.1').overlaps(AddressSet.parseCidr('192.0.2.1'))).toBe(false);
  });

  it('upper- and lower-case hex parse to the same set', () => {
    expect(AddressSet.parseCidr('2001:DB8:ABCD::/48').equals(AddressSet.parseCidr('2001:db8:abcd::/48'))).toBe(true);
  });

  it('hostBits: "mask" clears host bits instead of failing', () => {
    expect(AddressSet.parseCidr('10.0.0.1/8', { hostBits: 'mask' }).toString()).toBe('10.0.0.0/8');
    expect(AddressSet.parseCidr('192.0.2.77/24', { hostBits: 'mask' }).toString()).toBe('192.0.2.0/24');
    expect(AddressSet.parseCidr('255.255.255.255/0', { hostBits: 'mask' }).toString()).toBe('0.0.0.0/0');
    expect(AddressSet.parseCidr('2001:db8::1/32', { hostBits: 'mask' }).toString()).toBe('2001:db8::/32');
    expect(AddressSet.parseCidr('ffff::1/0', { hostBits: 'mask' }).toString()).toBe('::/0');
    expect(AddressSet.parseCidr('10.0.0.0/8', { hostBits: 'mask' }).toString()).toBe('10.0.0.0/8');
    expect(() => AddressSet.parseCidr('10.0.0.1/8', { hostBits: 'error' })).toThrow(SetParseError);
    expect(AddressSet.parseList('10.0.0.1/8, 2001:db8::1/32', { hostBits: 'mask' }).toString()).toBe('10.0.0.0/8, 2001:db8::/32');
  });

  it('hostBits: "mask" equals parsing the network address (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom<AddressFamily>(4, 6), fc.bigInt({ min: 0n, max: V6_MAX }), fc.nat(128), (family, raw, rawPrefix) => {
        const bits = family === 4 ? 32 : 128;
        const address = family === 4 ? raw & V4_MAX : raw;
        const prefix = rawPrefix % (bits + 1);
        const hostMask = (1n << BigInt(bits - prefix)) - 1n;
        const network = address & ~hostMask;
        const masked = AddressSet.parseCidr(`${textOf(address, family)}/${prefix}`, { hostBits: 'mask' });
        expect(masked.equals(AddressSet.parseCidr(`${textOf(network, family)}/${prefix}`))).toBe(true);
        expect(masked.equals(AddressSet.fromInterval(family, network, network | hostMask))).toBe(true);
        if ((address & hostMask) !== 0n) {
          expect(() => AddressSet.parseCidr(`${textOf(address, family)}/${prefix}`)).toThrow(
            `network address is ${textOf(network, family)}/${prefix}`,
          );
        }
      }),
      RUNS,
    );
  });
});

describe('AddressSet.parseCidr: strict errors', () => {
  it.each([
    '10.0.0.0/33',
    '10.0.0.0/99',
    '10.0.0.0/999',
    '10.0.0.0/1000',
    '2001:db8::/129',
    '::/200',
    '10.0.0.0/08',
    '10.0.0.0/00',
    '::/00',
    '10.0.0.0/',
    '10.0.0.0/-1',
    '10.0.0.0/+8',
    '10.0.0.0/8/8',
    '10.0.0.0/ 8',
    '10.0.0.0 /8',
    '10.0.0.0/8.0',
    '010.0.0.0/8',
    '10.00.0.0/16',
    '10.0.0.01',
    '256.0.0.0',
    '1.2.3.256',
    '999.0.0.0',
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    '1.2.3.',
    '.1.2.3',
    '1.2.3.4a',
    '0x0a.0.0.0',
    '1e1.0.0.0',
    '١.٢.٣.٤',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1::2::3',
    ':::',
    '::::',
    '1:::2',
    ':1::',
    '1:',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    'g::1',
    '2001:db8::/32x',
    'fe80::1%eth0',
    '[::1]',
    '::ffff:256.0.0.1',
    '::ffff:1.2.3',
    '::ffff:01.2.3.4',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '1:2:3:4:5:6:7:1.2.3.4',
    '1:2:3:4:5:6:7::1.2.3.4',
    'localhost',
    'any',
    '*',
    'junk',
    '10.0.0.0/8, 10.1.0.0/16',
    '10.0.0.0-10.0.0.1',
    '',
    '   ',
    '/8',
  ])('rejects %j with SetParseError', (text) => {
    expect(() => AddressSet.parseCidr(text)).toThrow(SetParseError);
  });

  it('rejects host bits with a message naming the network address', () => {
    expect(() => AddressSet.parseCidr('10.0.0.1/8')).toThrow(SetParseError);
    expect(() => AddressSet.parseCidr('10.0.0.1/8')).toThrow('network address is 10.0.0.0/8');
    expect(() => AddressSet.parseCidr('192.168.1.1/16')).toThrow('network address is 192.168.0.0/16');
    expect(() => AddressSet.parseCidr('0.0.0.1/0')).toThrow('network address is 0.0.0.0/0');
    expect(() => AddressSet.parseCidr('2001:db8::1/32')).toThrow('network address is 2001:db8::/32');
    expect(() => AddressSet.parseCidr('::1/0')).toThrow('network address is ::/0');
    expect(() => AddressSet.parseCidr('fe80::1/64')).toThrow('network address is fe80::/64');
  });

  it('other error messages name the problem', () => {
    expect(() => AddressSet.parseCidr('10.0.0.0/33')).toThrow(/\/33 is out of range 0-32/);
    expect(() => AddressSet.parseCidr('::/129')).toThrow(/\/129 is out of range 0-128/);
    expect(() => AddressSet.parseCidr('10.0.0.0/08')).toThrow(/invalid prefix length "\/08"/);
    expect(() => AddressSet.parseCidr('010.0.0.0/8')).toThrow(/leading zero/);
    expect(() => AddressSet.parseCidr('256.0.0.0')).toThrow(/over 255/);
    expect(() => AddressSet.parseCidr('1::2::3')).toThrow(/more than one "::"/);
  });

  it('IPv4 acceptance agrees with node:net isIPv4 on random dotted strings', () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '01', '010', '0255', '', 'a', '1a', ' 1', '-1', '+1', '0x1'),
    );
    const dotted = fc.array(octet, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(dotted, (text) => {
        let ours: bigint | undefined;
        try {
          ours = AddressSet.parseCidr(text).size().v4;
        } catch (error) {
          expect(error).toBeInstanceOf(SetParseError);
        }
        // parseCidr trims surrounding whitespace by design.
        expect({ text, accepted: ours === 1n }).toEqual({ text, accepted: isIPv4(text.trim()) });
      }),
      { numRuns: 500 },
    );
  });

  it('IPv6 parsing agrees with the WHATWG URL parser and node:net isIPv6 on random near-valid strings', () => {
    const hexGroup = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
      fc.constantFrom('0', '0', '0', '00', '0000', '00000', 'ffff', 'FFFF', 'DB8', '0db8', '12345', 'g', ''),
    );
    const v4Tail = fc.oneof(
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.')),
      fc.constantFrom('256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3'),
    );
    const structured = fc
      .tuple(
        fc.array(hexGroup, { minLength: 0, maxLength: 9 }),
        fc.option(fc.nat(9), { nil: undefined }),
        fc.option(fc.nat(9), { nil: undefined }),
        fc.option(v4Tail, { nil: undefined }),
      )
      .map(([groups, compressAt, secondCompressAt, tail]) => {
        const parts: string[] = [...groups];
        if (tail !== undefined) parts.push(tail);
        let text = parts.join(':');
        for (const at of [compressAt, secondCompressAt]) {
          if (at === undefined) continue;
          // Insert "::" at a group boundary (or anywhere, for junk).
          const colons = [...text.matchAll(/:/g)].map((m) => m.index!);
          const cut = colons.length === 0 ? (at % 2 === 0 ? 0 : text.length) : (colons[at % colons.length] ?? 0);
          text = `${text.slice(0, cut)}::${text.slice(cut + (text[cut] === ':' ? 1 : 0))}`;
        }
        return text;
      });
    const tokens = fc
      .array(fc.constantFrom('0', '1', 'ff', 'FFFF', 'db8', '12345', ':', ':', '::', '1.2.3.4', '01.2.3.4', '.', 'x'), {
        minLength: 1,
        maxLength: 12,
      })
      .map((t) => t.join(''));
    // Mostly-valid addresses: 8 groups, maybe an IPv4 tail, maybe one run (of any length) compressed to "::".
    const validGroup = fc.oneof(
      fc.constant('0'),
      fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
      fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, '0')),
    );
    const validish = fc
      .tuple(fc.array(validGroup, { minLength: 8, maxLength: 8 }), fc.boolean(), fc.option(fc.tuple(fc.nat(7), fc.nat(8))), fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)))
      .map(([groups, withTail, compress, octets]) => {
        const parts = withTail ? [...groups.slice(0, 6), octets.join('.')] : groups;
        if (compress === null) return parts.join(':');
        const start = compress[0] % parts.length;
        const length = Math.min(compress[1], parts.length - start);
        return `${parts.slice(0, start).join(':')}::${parts.slice(start + length).join(':')}`;
      });
    const mutated = fc.tuple(validish, fc.nat(), fc.constantFrom('delete', 'duplicate', ':', '.', '0', 'g', '::')).map(([text, at, op]) => {
      const i = at % (text.length + 1);
      if (op === 'delete') return text.slice(0, i) + text.slice(i + 1);
      if (op === 'duplicate') return text.slice(0, i) + text.slice(i, i + 1) + text.slice(i);
      return text.slice(0, i) + op + text.slice(i);
    });
    const candidate = fc
      .oneof({ arbitrary: validish, weight: 3 }, { arbitrary: mutated, weight: 3 }, structured, tokens)
      .filter((text) => text.includes(':') && text.trim() === text);

    fc.assert(
      fc.property(candidate, (text) => {
        let ours: string | undefined;
        try {
          const set = AddressSet.parseCidr(text);
          expect(set.size()).toEqual({ v4: 0n, v6: 1n });
          ours = set.toString().replace(/\/128$/, '');
        } catch (error) {
          expect(error).toBeInstanceOf(SetParseError);
        }
        expect({ text, ours }).toEqual({ text, ours: urlIpv6(text) });
        expect({ text, accepted: ours !== undefined }).toEqual({ text, accepted: isIPv6(text) });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('AddressSet.parseRange and parseList', () => {
  it('parses inclusive ranges of one family', () => {
    expect(AddressSet.parseRange('10.0.0.1-10.0.0.6').toCidrs()).toEqual([
      '10.0.0.1/32',
      '10.0.0.2/31',
      '10.0.0.4/31',
      '10.0.0.6/32',
    ]);
    expect(AddressSet.parseRange('10.0.0.1-10.0.0.6').size()).toEqual({ v4: 6n, v6: 0n });
    expect(AddressSet.parseRange('10.0.0.0-10.255.255.255').toString()).toBe('10.0.0.0/8');
    expect(AddressSet.parseRange('10.0.0.7-10.0.0.7').toString()).toBe('10.0.0.7/32');
    expect(AddressSet.parseRange(' 10.0.0.1 - 10.0.0.2 ').toString()).toBe('10.0.0.1/32, 10.0.0.2/32');
    expect(AddressSet.parseRange('0.0.0.0-255.255.255.255').coversAllIpv4()).toBe(true);
    expect(AddressSet.parseRange('2001:db8::-2001:db8::ff').toString()).toBe('2001:db8::/120');
    expect(AddressSet.parseRange('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff').coversAllIpv6()).toBe(true);
    expect(AddressSet.parseRange('::1-::2').toString()).toBe('::1/128, ::2/128');
  });

  it.each([
    '10.0.0.6-10.0.0.1',
    '10.0.0.1-::1',
    '::1-10.0.0.1',
    '::2-::1',
    '10.0.0.1-10.0.0.2-10.0.0.3',
    '10.0.0.1-',
    '-10.0.0.1',
    '-',
    '10.0.0.0/8-10.1.0.0',
    '10.0.0.1',
    '010.0.0.1-10.0.0.2',
    '10.0.0.1-10.0.0.256',
    '',
  ])('parseRange rejects %j with SetParseError', (text) => {
    expect(() => AddressSet.parseRange(text)).toThrow(SetParseError);
  });

  it('parseRange names the problem', () => {
    expect(() => AddressSet.parseRange('10.0.0.6-10.0.0.1')).toThrow(/reversed/);
    expect(() => AddressSet.parseRange('10.0.0.1-::1')).toThrow(/mixes IPv4 and IPv6/);
  });

  it('parseList unions CIDRs, addresses and ranges of both families', () => {
    const set = AddressSet.parseList('192.0.2.0/24, 10.0.0.0/8,2001:db8::/32 , 10.0.0.5, 198.51.100.1-198.51.100.2, ::1');
    expect(set.toCidrs()).toEqual([
      '10.0.0.0/8',
      '192.0.2.0/24',
      '198.51.100.1/32',
      '198.51.100.2/32',
      '::1/128',
      '2001:db8::/32',
    ]);
    expect(set.toString()).toBe(set.toCidrs().join(', '));
    expect(AddressSet.parseList('10.0.0.0/9, 10.128.0.0/9').toString()).toBe('10.0.0.0/8');
    expect(AddressSet.parseList('10.0.0.0/25, 10.0.0.128-10.0.0.255').toString()).toBe('10.0.0.0/24');
  });

  it.each(['', ' ', ',', '10.0.0.0/8,', ',10.0.0.0/8', '10.0.0.0/8,,10.1.0.0/16', '10.0.0.0/8, junk', '10.0.0.1/8', '10.0.0.0/8 10.1.0.0/16'])(
    'parseList rejects %j with SetParseError',
    (text) => {
      expect(() => AddressSet.parseList(text)).toThrow(SetParseError);
    },
  );
});

describe('world and private address space', () => {
  it('0.0.0.0/0 and ::/0 cover the world; a /1 alone does not', () => {
    expect(AddressSet.parseCidr('0.0.0.0/0').coversWorld()).toBe(true);
    expect(AddressSet.parseCidr('0.0.0.0/0').coversAllIpv4()).toBe(true);
    expect(AddressSet.parseCidr('0.0.0.0/0').coversAllIpv6()).toBe(false);
    expect(AddressSet.parseCidr('::/0').coversWorld()).toBe(true);
    expect(AddressSet.parseCidr('::/0').coversAllIpv6()).toBe(true);
    expect(AddressSet.parseCidr('::/0').coversAllIpv4()).toBe(false);
    expect(AddressSet.parseCidr('0.0.0.0/1').coversWorld()).toBe(false);
    expect(AddressSet.parseCidr('128.0.0.0/1').coversWorld()).toBe(false);
    expect(AddressSet.parseCidr('::/1').coversWorld()).toBe(false);
    expect(AddressSet.parseCidr('8000::/1').coversWorld()).toBe(false);
    expect(AddressSet.EMPTY.coversWorld()).toBe(false);
    expect(AddressSet.ALL.coversWorld()).toBe(true);
    expect(AddressSet.ALL_V4.coversWorld()).toBe(true);
    expect(AddressSet.ALL_V6.coversWorld()).toBe(true);
  });

  it('0.0.0.0/1 + 128.0.0.0/1 is the world, and prints as 0.0.0.0/0', () => {
    const halves = AddressSet.parseList('0.0.0.0/1, 128.0.0.0/1');
    expect(halves.coversWorld()).toBe(true);
    expect(halves.equals(AddressSet.ALL_V4)).toBe(true);
    expect(halves.toString()).toBe('0.0.0.0/0');
    const v6Halves = AddressSet.parseCidr('::/1').union(AddressSet.parseCidr('8000::/1'));
    expect(v6Halves.coversWorld()).toBe(true);
    expect(v6Halves.toString()).toBe('::/0');
    // Missing one address anywhere breaks it.
    expect(halves.subtract(AddressSet.parseCidr('203.0.113.7')).coversWorld()).toBe(false);
    expect(AddressSet.parseList('0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/2').coversWorld()).toBe(true);
    expect(AddressSet.parseList('0.0.0.0-127.255.255.255, 128.0.0.0/1').coversWorld()).toBe(true);
  });

  it('the world is covered by any random split of it into CIDRs', () => {
    fc.assert(
      fc.property(fc.constantFrom<AddressFamily>(4, 6), fc.array(fc.bigInt({ min: 1n, max: V6_MAX }), { maxLength: 6 }), (family, cuts) => {
        const max = family === 4 ? V4_MAX : V6_MAX;
        const points = [...new Set(cuts.map((c) => c % (max + 1n)).filter((c) => c > 0n))].sort((a, b) => (a < b ? -1 : 1));
        const bounds = [0n, ...points, max + 1n];
        let set = AddressSet.EMPTY;
        for (let i = 0; i + 1 < bounds.length; i++) {
          const piece = AddressSet.fromInterval(family, bounds[i]!, bounds[i + 1]! - 1n);
          set = set.union(AddressSet.parseList(piece.toString()));
          if (i + 2 < bounds.length) expect(set.coversWorld()).toBe(false);
        }
        expect(set.coversWorld()).toBe(true);
        expect(set.toString()).toBe(family === 4 ? '0.0.0.0/0' : '::/0');
      }),
      { numRuns: 40 },
    );
  });

  it('PRIVATE_ADDRESSES', () => {
    const has = (text: string): boolean => PRIVATE_ADDRESSES.containsAll(AddressSet.parseCidr(text));
    expect(has('10.1.2.3')).toBe(true);
    expect(has('8.8.8.8')).toBe(false);
    expect(has('172.16.0.1')).toBe(true);
    expect(has('172.31.255.255')).toBe(true);
    expect(has('172.32.0.0')).toBe(false);
    expect(has('192.168.255.255')).toBe(true);
    expect(has('100.64.0.1')).toBe(true);
    expect(has('127.0.0.1')).toBe(true);
    expect(has('169.254.169.254')).toBe(true);
    expect(has('::1')).toBe(true);
    expect(has('fd00::1')).toBe(true);
    expect(has('fe80::1')).toBe(true);
    expect(has('2001:4860:4860::8888')).toBe(false);
    expect(has('::')).toBe(false);
    expect(PRIVATE_ADDRESSES.coversWorld()).toBe(false);
    expect(PRIVATE_ADDRESSES.overlaps(AddressSet.parseCidr('8.8.8.0/24'))).toBe(false);
  });

  it('coversInternet: every public address of a family but less than 1/256 of them', () => {
    const world = (list: string, family: AddressFamily): boolean => AddressSet.parseList(list).coversInternet(family);
    const less = (denied: string): AddressSet => AddressSet.ALL.subtract(AddressSet.parseList(denied));
    expect(world('0.0.0.0/0', 4)).toBe(true);
    expect(world('0.0.0.0/1, 128.0.0.0/1', 4)).toBe(true);
    expect(world('0.0.0.0/1', 4)).toBe(false);
    expect(world('0.0.0.0/0', 6)).toBe(false);
    expect(less('0.0.0.0/32').coversInternet(4)).toBe(true);
    expect(less('10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8').coversInternet(4)).toBe(true);
    // Public IPv4 holds 2^32 less 38,928,384 private addresses: 1/256 of it is 16,625,152. A /9 (8,388,608) may be
    // left out, a /8 (16,777,216) or a /7 may not.
    expect(less('8.0.0.0/9').coversInternet(4)).toBe(true);
    expect(less('8.0.0.0/8').coversInternet(4)).toBe(false);
    expect(less('8.0.0.0/7').coversInternet(4)).toBe(false);
    // Private ranges do not count against it: 0.0.0.0/0 less 10.0.0.0/8 and a public /9 is still world-open.
    expect(less('10.0.0.0/8, 8.0.0.0/9').coversInternet(4)).toBe(true);
    expect(less('2001:db8::/32, fc00::/7').coversInternet(6)).toBe(true);
    expect(less('2000::/8').coversInternet(6)).toBe(false);
    // IPv6's internet is global unicast 2000::/3 (QA 4/01): it, ::/1 holding it, or ::/0 less ULA are world-open;
    // 8000::/1, documentation or ULA space alone are not, nor ::/0 less 2000::/3 (a deny of it ahead of the allow).
    expect(world('2000::/3', 6)).toBe(true);
    expect(world('::/1', 6)).toBe(true);
    expect(world('2000::/4, 3000::/4', 6)).toBe(true);
    expect(world('2000::/4', 6)).toBe(false);
    expect(world('8000::/1', 6)).toBe(false);
    expect(world('2001:db8::/32', 6)).toBe(false);
    expect(world('fc00::/7', 6)).toBe(false);
    expect(less('2000::/3').coversInternet(6)).toBe(false);
    expect(less('fc00::/7').coversInternet(6)).toBe(true);
    expect(less('8000::/1').coversInternet(6)).toBe(true);
    expect(less('0.0.0.0/32').coversInternetOnAnyFamily()).toBe(true);
    expect(AddressSet.parseList('10.0.0.0/8').coversInternetOnAnyFamily()).toBe(false);
  });

  it('mayCoverInternet is one comparison with the fewest addresses that leave out less than 1/256 of the internet', () => {
    // The definition, `(routable - n) * 256 < routable`, as the oracle.
    const leavesOutLittle = (routable: bigint, size: bigint): boolean => (routable - size) * 256n < routable;
    for (const routable of [1n, 2n, 255n, 256n, 257n, 511n, 512n, 513n, 65_536n, 3_702_258_432n, 1n << 125n, (1n << 128n) - 1n]) {
      const fewest = coveringSizeOf(routable);
      expect([leavesOutLittle(routable, fewest), leavesOutLittle(routable, fewest - 1n)]).toEqual([true, false]);
    }
    fc.assert(
      fc.property(fc.constantFrom<AddressFamily>(4, 6), fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }), (family, offset) => {
        const routable = routableAddressesOf(family).sizeOf(family);
        const size = coveringSizeOf(routable) + offset;
        expect(mayCoverInternet(size, family)).toBe(leavesOutLittle(routable, size));
      }),
      RUNS,
    );
  });

  it('coversInternet agrees with its definition on sets near and far from the internet', () => {
    // The definition without the shortcuts (span, last address, size): every address of the family, or the routable
    // ones but fewer than 1/256 of them.
    const oracle = (set: AddressSet, family: AddressFamily): boolean => {
      const all = family === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6;
      const own = set.intersect(all);
      if (own.equals(all)) return true;
      const routable = routableAddressesOf(family);
      return routable.subtract(own).sizeOf(family) * 256n < routable.sizeOf(family);
    };
    const cidrArb = fc.tuple(fc.constantFrom<AddressFamily>(4, 6), fc.bigInt({ min: 0n, max: V6_MAX }), fc.integer({ min: 0, max: 128 })).map(([family, value, prefix]) => {
      const bits = family === 4 ? 32 : 128;
      const length = BigInt(bits - Math.min(prefix, bits));
      const start = ((value % (family === 4 ? V4_MAX + 1n : V6_MAX + 1n)) >> length) << length;
      return AddressSet.fromInterval(family, start, start + (1n << length) - 1n);
    });
    fc.assert(
      fc.property(fc.array(cidrArb, { maxLength: 5 }), fc.boolean(), (cidrs, taken) => {
        const union = cidrs.reduce((set, cidr) => set.union(cidr), AddressSet.EMPTY);
        const set = taken ? AddressSet.ALL.subtract(union) : union;
        expect([set.coversInternet(4), set.coversInternet(6)]).toEqual([oracle(set, 4), oracle(set, 6)]);
        expect([set.sizeOf(4), set.sizeOf(6)]).toEqual([set.size().v4, set.size().v6]);
      }),
      { numRuns: 500 },
    );
  });

  it('firstAddress prefers IPv4', () => {
    expect(AddressSet.parseList('2001:db8::5, 192.0.2.9').firstAddress()).toBe('192.0.2.9');
    expect(AddressSet.parseList('2001:db8::5/128').firstAddress()).toBe('2001:db8::5');
    expect(AddressSet.EMPTY.firstAddress()).toBeUndefined();
    expect(AddressSet.EMPTY.toString()).toBe('');
    expect(AddressSet.EMPTY.toCidrs()).toEqual([]);
  });
});

describe('printing', () => {
  it('toCidrs gives the minimal decomposition', () => {
    expect(AddressSet.parseRange('10.0.0.1-10.0.0.6').toCidrs()).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
    expect(AddressSet.parseRange('10.0.0.0-10.0.0.6').toCidrs()).toEqual(['10.0.0.0/30', '10.0.0.4/31', '10.0.0.6/32']);
    expect(AddressSet.parseRange('0.0.0.1-255.255.255.254').toCidrs()).toHaveLength(62);
    expect(AddressSet.parseRange('::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe').toCidrs()).toHaveLength(254);
    expect(AddressSet.parseRange('255.255.255.254-255.255.255.255').toCidrs()).toEqual(['255.255.255.254/31']);
  });

  it.each([
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1'],
    ['0:1:0:1:0:1:0:1', '0:1:0:1:0:1:0:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ])('formats %s as %s (RFC 5952)', (input, expected) => {
    expect(AddressSet.parseCidr(input).toString()).toBe(`${expected}/128`);
    expect(AddressSet.parseCidr(input).firstAddress()).toBe(expected);
  });

  it('formatAddress matches an independent RFC 5952 serializer (WHATWG URL) for random IPv6 values', () => {
    const group = fc.oneof(fc.constant(0n), fc.constant(0n), fc.constant(1n), fc.constant(0xffffn), fc.bigInt({ min: 0n, max: 0xffffn }));
    const value = fc.oneof(
      fc.array(group, { minLength: 8, maxLength: 8 }).map((gs) => gs.reduce((acc, g) => (acc << 16n) | g, 0n)),
      fc.bigInt({ min: 0n, max: V6_MAX }),
    );
    fc.assert(
      fc.property(value, (v) => {
        const text = formatAddress(v, 6);
        expect(text).toBe(v6Text(v));
        expect(text).toBe(text.toLowerCase());
        expect(AddressSet.parseCidr(text).equals(single(6, v))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('formatAddress prints IPv4 dotted decimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: V4_MAX }), (v) => {
        expect(formatAddress(v, 4)).toBe(v4Text(v));
        expect(AddressSet.parseCidr(formatAddress(v, 4)).equals(single(4, v))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Random sets of random CIDRs in both families.

/** Addresses clustered near interesting places so CIDRs often touch, nest or overlap. */
function addressArb(family: AddressFamily): fc.Arbitrary<bigint> {
  const max = family === 4 ? V4_MAX : V6_MAX;
  const anchors = family === 4 ? [0n, 0x0a000000n, 0xc0000200n, 0x80000000n, max] : [0n, 0x20010db8n << 96n, 0xffff00000000n, 1n << 127n, max];
  return fc.oneof(
    fc.bigInt({ min: 0n, max }),
    fc.tuple(fc.constantFrom(...anchors), fc.bigInt({ min: -300n, max: 300n })).map(([a, d]) => {
      const v = a + d;
      return v < 0n ? 0n : v > max ? max : v;
    }),
  );
}

function cidrArb(family: AddressFamily): fc.Arbitrary<string> {
  const bits = family === 4 ? 32 : 128;
  const prefix = fc.oneof(fc.integer({ min: 0, max: bits }), fc.integer({ min: bits - 10, max: bits }), fc.constantFrom(0, 1, 2, bits));
  return fc.tuple(addressArb(family), prefix).map(([address, p]) => {
    const hostMask = (1n << BigInt(bits - p)) - 1n;
    const network = address & ~hostMask;
    return p === bits && address % 2n === 0n ? textOf(network, family) : `${textOf(network, family)}/${p}`;
  });
}

describe.each([4, 6] as AddressFamily[])('random CIDR sets, IPv%d', (family) => {
  const bits = family === 4 ? 32 : 128;
  const cidrList = fc.array(cidrArb(family), { minLength: 1, maxLength: 6 });

  it('parseList(toString()) equals the set, and the print is stable', () => {
    fc.assert(
      fc.property(cidrList, (cidrs) => {
        const set = AddressSet.parseList(cidrs.join(', '));
        const text = set.toString();
        const back = AddressSet.parseList(text);
        expect(back.equals(set)).toBe(true);
        expect(back.toString()).toBe(text);
        // Built in another order, as a union of singletons: same set, same bytes.
        const other = [...cidrs].reverse().reduce((acc, c) => acc.union(AddressSet.parseCidr(c)), AddressSet.EMPTY);
        expect(other.equals(set)).toBe(true);
        expect(other.toString()).toBe(text);
      }),
      RUNS,
    );
  });

  it('toCidrs is a minimal exact cover: strict-parseable, disjoint, sorted, no block mergeable into its parent', () => {
    fc.assert(
      fc.property(cidrList, (cidrs) => {
        const set = AddressSet.parseList(cidrs.join(','));
        const blocks = set.toCidrs().map((text) => {
          expect(text).toMatch(/^[^/]+\/\d{1,3}$/);
          const [addr, p] = text.split('/') as [string, string];
          const prefix = Number(p);
          const block = AddressSet.parseCidr(text); // strict: no host bits
          expect(addr).toBe(textOf(valueOf(addr, family), family)); // canonical spelling
          const start = valueOf(addr, family);
          return { block, prefix, start, end: start + (1n << BigInt(bits - prefix)) - 1n };
        });
        let total = 0n;
        let union = AddressSet.EMPTY;
        blocks.forEach(({ block, prefix, start, end }, i) => {
          if (i > 0) expect(start > blocks[i - 1]!.end).toBe(true); // sorted and disjoint
          union = union.union(block);
          total += end - start + 1n;
          if (prefix > 0) {
            // Minimality: the enclosing block one bit shorter is not wholly in the set.
            const parent = AddressSet.parseCidr(`${textOf(start, family)}/${prefix - 1}`, { hostBits: 'mask' });
            expect(set.containsAll(parent)).toBe(false);
          }
        });
        expect(union.equals(set)).toBe(true);
        expect(total).toBe(family === 4 ? set.size().v4 : set.size().v6);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Set operations per family vs a 64-entry boolean model over a small sub-universe.

describe.each([
  [4 as AddressFamily, '10.0.0.0/26', 0x0a000000n],
  [6 as AddressFamily, '2001:db8::/122', 0x20010db8n << 96n],
])('set operations vs a brute-force model, IPv%d inside %s', (family, universeText, base) => {
  const N = 64;
  const bits = family === 4 ? 32 : 128;
  const universe = AddressSet.parseCidr(universeText);
  type Piece = { text: string; lo: number; hi: number };

  const cidrPiece: fc.Arbitrary<Piece> = fc
    .tuple(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 0, max: 6 }))
    .map(([offset, hostBits]) => {
      const lo = offset & ~((1 << hostBits) - 1);
      const hi = lo + (1 << hostBits) - 1;
      return { text: `${textOf(base + BigInt(lo), family)}/${bits - hostBits}`, lo, hi };
    });
  const rangePiece: fc.Arbitrary<Piece> = fc
    .tuple(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 0, max: N - 1 }))
    .map(([a, b]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return { text: `${textOf(base + BigInt(lo), family)}-${textOf(base + BigInt(hi), family)}`, lo, hi };
    });
  const piecesArb = fc.array(fc.oneof(cidrPiece, cidrPiece, rangePiece), { maxLength: 5 });

  const build = (pieces: Piece[]): { set: AddressSet; model: boolean[] } => {
    const model = new Array<boolean>(N).fill(false);
    for (const { lo, hi } of pieces) for (let i = lo; i <= hi; i++) model[i] = true;
    const set = pieces.length === 0 ? AddressSet.EMPTY : AddressSet.parseList(pieces.map((p) => p.text).join(', '));
    return { set, model };
  };

  const observe = (set: AddressSet): object => ({
    members: Array.from({ length: N }, (_, i) => (set.containsAll(single(family, base + BigInt(i))) ? '1' : '0')).join(''),
    cidrs: set.toCidrs(),
    size: set.size(),
    isEmpty: set.isEmpty(),
    first: set.firstAddress(),
  });
  const expected = (model: boolean[]): object => {
    const firstIndex = model.indexOf(true);
    const count = BigInt(model.filter(Boolean).length);
    return {
      members: model.map((x) => (x ? '1' : '0')).join(''),
      cidrs: minimalCover(model, base, family),
      size: family === 4 ? { v4: count, v6: 0n } : { v4: 0n, v6: count },
      isEmpty: firstIndex === -1,
      first: firstIndex === -1 ? undefined : textOf(base + BigInt(firstIndex), family),
    };
  };

  it('parsing agrees with the model', () => {
    fc.assert(
      fc.property(piecesArb, (pieces) => {
        const { set, model } = build(pieces);
        expect(observe(set)).toEqual(expected(model));
        expect(universe.containsAll(set)).toBe(true);
      }),
      RUNS,
    );
  });

  it('union, intersect, subtract, containsAll, overlaps, equals agree with the model', () => {
    fc.assert(
      fc.property(piecesArb, piecesArb, (pa, pb) => {
        const a = build(pa);
        const b = build(pb);
        const zip = (f: (x: boolean, y: boolean) => boolean): boolean[] => a.model.map((x, i) => f(x, b.model[i]!));
        expect(observe(a.set.union(b.set))).toEqual(expected(zip((x, y) => x || y)));
        expect(observe(a.set.intersect(b.set))).toEqual(expected(zip((x, y) => x && y)));
        expect(observe(a.set.subtract(b.set))).toEqual(expected(zip((x, y) => x && !y)));
        expect({
          containsAll: a.set.containsAll(b.set),
          overlaps: a.set.overlaps(b.set),
          equals: a.set.equals(b.set),
        }).toEqual({
          containsAll: b.model.every((y, i) => !y || a.model[i]),
          overlaps: a.model.some((x, i) => x && b.model[i]),
          equals: a.model.every((x, i) => x === b.model[i]),
        });
      }),
      RUNS,
    );
  });

  it('algebraic laws within the sub-universe', () => {
    fc.assert(
      fc.property(piecesArb, piecesArb, piecesArb, (pa, pb, pc) => {
        const [a, b, c] = [build(pa).set, build(pb).set, build(pc).set];
        const not = (s: AddressSet): AddressSet => universe.subtract(s);
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(a.union(b).union(c).equals(a.union(b.union(c)))).toBe(true);
        expect(a.intersect(b).intersect(c).equals(a.intersect(b.intersect(c)))).toBe(true);
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        expect(not(a.union(b)).equals(not(a).intersect(not(b)))).toBe(true);
        expect(not(a.intersect(b)).equals(not(a).union(not(b)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('families never mix', () => {
    fc.assert(
      fc.property(piecesArb, (pieces) => {
        const { set } = build(pieces);
        const otherWorld = family === 4 ? AddressSet.ALL_V6 : AddressSet.ALL_V4;
        expect(set.overlaps(otherWorld)).toBe(false);
        expect(set.union(otherWorld).subtract(otherWorld).equals(set)).toBe(true);
        expect(set.union(otherWorld).coversWorld()).toBe(true);
        expect(set.coversWorld()).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('parseCidr: canonical IPv4 CIDRs looked up by their numbers', () => {
  it('gives the same sets and the same errors as the general parser', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (value, prefix) => {
        const size = 2 ** (32 - prefix);
        const network = value - (value % size);
        const text = `${v4Text(BigInt(network))}/${prefix}`;
        const set = AddressSet.parseCidr(text);
        expect(set.toCidrs()).toEqual([text]);
        // The same set from a text the fast path leaves to the general parser (leading blank), and the same instance
        // on the next lookup.
        expect(set.equals(AddressSet.parseCidr(` ${text}`))).toBe(true);
        expect(AddressSet.parseCidr(text)).toBe(set);
      }),
      RUNS,
    );
  });

  it('accepts and rejects host bits as the general parser does, at every prefix length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (value, prefix) => {
        const text = `${v4Text(BigInt(value))}/${prefix}`;
        const general = (): AddressSet => AddressSet.parseCidr(` ${text}`);
        if ((value % 2 ** (32 - prefix)) !== 0) {
          expect(general).toThrow(SetParseError);
          expect(() => AddressSet.parseCidr(text)).toThrow(SetParseError);
        } else {
          expect(AddressSet.parseCidr(text).equals(general())).toBe(true);
        }
      }),
      RUNS,
    );
    for (const text of ['0.0.0.0/0', '128.0.0.0/1', '255.255.255.254/31', '255.255.255.255/32', '192.168.0.0/30']) {
      expect(AddressSet.parseCidr(text).toCidrs()).toEqual([text]);
    }
    for (const text of ['1.0.0.0/0', '192.0.0.0/1', '255.255.255.255/31', '192.168.0.2/30', '0.0.0.1/0']) {
      expect(() => AddressSet.parseCidr(text)).toThrow(SetParseError);
    }
  });

  it.each(['10.0.0.1/8', '010.0.0.0/8', '10.0.0.0/08', '10.0.0.0/33', '10.0.0.256/32', '10.0.0/24', '10.0.0.0.0/8', '10.0.0.0/', '10.0.0.0/8x'])(
    'rejects %s',
    (text) => {
      expect(() => AddressSet.parseCidr(text)).toThrow(SetParseError);
    },
  );

  it('sharedText gives one string per canonical CIDR, equal to the text, and leaves any other text as it is', () => {
    const source = 'cidr_blocks = ["198.51.100.0/24"]';
    const first = source.slice(16, 31);
    const second = `198.51.${'100'}.0/24`;
    const a = AddressSet.sharedText(AddressSet.parseCidr(first), first);
    const b = AddressSet.sharedText(AddressSet.parseCidr(second), second);
    expect(a).toBe('198.51.100.0/24');
    expect(b).toBe(a);
    const other = AddressSet.parseCidr('2001:db8::/32');
    expect(AddressSet.sharedText(other, '2001:db8::/32')).toBe('2001:db8::/32');
    // A set and a text that do not belong together are never swapped.
    expect(AddressSet.sharedText(AddressSet.parseCidr('10.0.0.0/8'), '10.0.0.0/9')).toBe('10.0.0.0/9');
  });

  it('sharedText matches the text by its characters, not only the string parseCidr was given', () => {
    const parsed = `203.0.${'113'}.0/24`;
    const set = AddressSet.parseCidr(parsed);
    const shared = AddressSet.sharedText(set, parsed);
    expect(AddressSet.sharedText(set, `203.0.113.${'0'}/24`)).toBe(shared);
    expect(AddressSet.sharedText(set, '203.0.113.0/25')).toBe('203.0.113.0/25');
    // After a CIDR of the general path (IPv6), the last canonical one is shared no more: the text is kept.
    AddressSet.parseCidr('2001:db8::/32');
    expect(AddressSet.sharedText(set, parsed)).toBe(parsed);
  });

  it('keeps host bits masked only when asked', () => {
    expect(AddressSet.parseCidr('10.0.0.1/8', { hostBits: 'mask' }).toString()).toBe('10.0.0.0/8');
    expect(AddressSet.parseCidr('192.0.2.7').toString()).toBe('192.0.2.7/32');
  });
});
