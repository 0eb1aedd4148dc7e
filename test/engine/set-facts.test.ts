import fc from 'fast-check';
import { cidrsOf, cidrText, portRanges, rangesContain, rangesOverlap } from '../../src/engine/set-facts';
import { AddressSet } from '../../src/model/address-set';
import { MAX_PORT, PortSet } from '../../src/model/port-set';

const portArb = fc.oneof(fc.integer({ min: 0, max: MAX_PORT }), fc.integer({ min: 0, max: 30 }), fc.constantFrom(0, 22, 80, 443, MAX_PORT));
const rangeArb: fc.Arbitrary<[number, number]> = fc.tuple(portArb, portArb).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
const portSetArb = fc.array(rangeArb, { maxLength: 5 }).map((ranges) => PortSet.fromRanges(ranges));

describe('set facts', () => {
  it('answers containment and overlap exactly as PortSet does', () => {
    fc.assert(
      fc.property(portSetArb, portSetArb, (a, b) => {
        expect(rangesContain(portRanges(a), portRanges(b))).toBe(a.containsAll(b));
        expect(rangesContain(portRanges(b), portRanges(a))).toBe(b.containsAll(a));
        expect(rangesOverlap(portRanges(a), portRanges(b))).toBe(a.overlaps(b));
      }),
      { numRuns: 500 },
    );
  });

  it('computes a set\'s ranges once', () => {
    const ports = PortSet.parse('22, 80-90');
    expect(portRanges(ports)).toEqual([22, 22, 80, 90]);
    expect(portRanges(ports)).toBe(portRanges(ports));
  });

  it('prints address sets as toCidrs/toString do, the world without computing it', () => {
    for (const text of ['0.0.0.0/0', '::/0', '0.0.0.0/0, ::/0', '0.0.0.0/1, 128.0.0.0/1', '10.0.0.0/8, 192.0.2.7, 2001:db8::/32', '10.0.0.1-10.0.0.9']) {
      const set = AddressSet.parseList(text);
      expect(cidrsOf(set)).toEqual(set.toCidrs());
      expect(cidrText(set)).toBe(set.toString());
    }
    expect(cidrsOf(AddressSet.EMPTY)).toEqual([]);
  });

  it('prints any IPv4 set like toCidrs, with or without all of IPv6', () => {
    const v4 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    const edge = fc.constantFrom(0, 1, 255, 256, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1);
    const bound = fc.oneof(v4, edge);
    const intervals = fc.array(fc.tuple(bound, bound).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(intervals, fc.boolean(), (ranges, withV6) => {
        let set = withV6 ? AddressSet.ALL_V6 : AddressSet.EMPTY;
        for (const [lo, hi] of ranges) set = set.union(AddressSet.fromInterval(4, BigInt(lo), BigInt(hi)));
        expect(cidrsOf(set)).toEqual(set.toCidrs());
      }),
      { numRuns: 300 },
    );
  });
});
