import fc from 'fast-check';
import { MAX_PORT, PortSet, SetParseError } from '../../src/model/port-set';

const RUNS = { numRuns: 300 };

/** A port, biased towards the edges 0 and 65535 and small numbers so adjacency and edges come up often. */
const portArb = fc.oneof(
  fc.integer({ min: 0, max: MAX_PORT }),
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: MAX_PORT - 40, max: MAX_PORT }),
  fc.constantFrom(0, 1, 22, 80, 443, 1023, 1024, MAX_PORT - 1, MAX_PORT),
);
const rangeArb: fc.Arbitrary<[number, number]> = fc.tuple(portArb, portArb).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
const rangesArb = fc.array(rangeArb, { maxLength: 6 });
const portSetArb = rangesArb.map((ranges) => PortSet.fromRanges(ranges));

/** Ranges of a canonical member list, computed independently of the implementation. */
function canonicalRanges(members: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(members)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const m of sorted) {
    const last = out[out.length - 1];
    if (last && m === last[1] + 1) last[1] = m;
    else out.push([m, m]);
  }
  return out;
}

const printRanges = (ranges: Array<[number, number]>): string[] =>
  ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`));

describe('PortSet.parse and toString', () => {
  it('parses single ports, ranges and lists', () => {
    expect(PortSet.parse('22').ranges()).toEqual([[22, 22]]);
    expect(PortSet.parse('80-90').ranges()).toEqual([[80, 90]]);
    expect(PortSet.parse('22, 80-90').ranges()).toEqual([
      [22, 22],
      [80, 90],
    ]);
    expect(PortSet.parse('22,80-90').equals(PortSet.parse('22, 80-90'))).toBe(true);
    expect(PortSet.parse('  443 , 80 - 90 ,22 ').toString()).toBe('22, 80-90, 443');
    expect(PortSet.parse('90-90').toString()).toBe('90');
  });

  it('normalises overlapping, adjacent and unordered items', () => {
    expect(PortSet.parse('443, 80-85, 86-90, 22, 84').toString()).toBe('22, 80-90, 443');
    expect(PortSet.parse('1-10, 5-20, 21').toString()).toBe('1-21');
    expect(PortSet.parse('22, 22, 22').toString()).toBe('22');
  });

  it('handles the edges 0 and 65535', () => {
    const zero = PortSet.parse('0');
    expect(zero.has(0)).toBe(true);
    expect(zero.size()).toBe(1);
    expect(zero.first()).toBe(0);
    expect(zero.toString()).toBe('0');
    const top = PortSet.parse('65535');
    expect(top.has(MAX_PORT)).toBe(true);
    expect(top.has(MAX_PORT - 1)).toBe(false);
    expect(top.toString()).toBe('65535');
    expect(PortSet.single(0).equals(zero)).toBe(true);
    expect(PortSet.single(MAX_PORT).equals(top)).toBe(true);
    expect(PortSet.parse('0, 65535').toStrings()).toEqual(['0', '65535']);
    expect(PortSet.parse('0-65534').isAll()).toBe(false);
    expect(PortSet.parse('1-65535').isAll()).toBe(false);
    expect(PortSet.parse('0-65534').union(top).isAll()).toBe(true);
    expect(PortSet.parse('0, 1-65535').isAll()).toBe(true);
  });

  it('ALL, isAll, any and *', () => {
    expect(PortSet.ALL.isAll()).toBe(true);
    expect(PortSet.ALL.size()).toBe(65536);
    expect(PortSet.ALL.first()).toBe(0);
    expect(PortSet.ALL.toString()).toBe('0-65535');
    expect(PortSet.ALL.toStrings()).toEqual(['0-65535']);
    expect(PortSet.ALL.has(0) && PortSet.ALL.has(MAX_PORT)).toBe(true);
    expect(PortSet.ALL.has(MAX_PORT + 1)).toBe(false);
    expect(PortSet.ALL.has(-1)).toBe(false);
    // Regression: has() threw a RangeError (BigInt conversion) for non-integers instead of answering false.
    expect(PortSet.ALL.has(22.5)).toBe(false);
    expect(PortSet.ALL.has(Number.NaN)).toBe(false);
    expect(PortSet.ALL.has(Number.POSITIVE_INFINITY)).toBe(false);
    for (const text of ['any', 'ANY', 'Any', '*', ' * ', '\tany\n', '0-65535', '0 - 65535']) {
      const parsed = PortSet.parse(text);
      expect(parsed.isAll()).toBe(true);
      expect(parsed.equals(PortSet.ALL)).toBe(true);
    }
    expect(PortSet.parse(PortSet.ALL.toString()).isAll()).toBe(true);
    expect(PortSet.EMPTY.isAll()).toBe(false);
    expect(PortSet.range(0, MAX_PORT).isAll()).toBe(true);
  });

  it.each([
    ['70000'],
    ['65536'],
    ['99999'],
    ['100000'],
    ['-5'],
    ['-1'],
    ['022'],
    ['00'],
    ['80-022'],
    ['80-22'],
    ['1-0'],
    ['65535-0'],
    ['abc'],
    ['22abc'],
    ['1,,2'],
    [',22'],
    ['22,'],
    [''],
    ['   '],
    ['22 80'],
    ['22;80'],
    ['1-2-3'],
    ['1-'],
    ['-'],
    ['0x16'],
    ['2.5'],
    ['1e3'],
    ['+22'],
    ['any, 22'],
    ['**'],
    ['٢٢'], // Arabic-Indic digits: not ASCII digits
  ])('rejects %j with SetParseError', (text) => {
    expect(() => PortSet.parse(text)).toThrow(SetParseError);
  });

  it('error messages say what is wrong', () => {
    expect(() => PortSet.parse('70000')).toThrow(/70000.*out of range/);
    expect(() => PortSet.parse('022')).toThrow(/leading zero/);
    expect(() => PortSet.parse('80-22')).toThrow(/reversed port range "80-22"/);
    expect(() => PortSet.parse('')).toThrow(/empty/);
    expect(() => PortSet.parse('abc')).toThrow(/invalid port "abc"/);
  });

  it('SetParseError is an Error with its own name', () => {
    try {
      PortSet.parse('abc');
      throw new Error('expected a SetParseError');
    } catch (error) {
      expect(error).toBeInstanceOf(SetParseError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('SetParseError');
    }
  });

  it('range(), single() and fromRanges() validate like parse()', () => {
    expect(() => PortSet.range(22, 21)).toThrow(SetParseError);
    expect(() => PortSet.range(-1, 5)).toThrow(SetParseError);
    expect(() => PortSet.range(0, 65536)).toThrow(SetParseError);
    expect(() => PortSet.single(1.5)).toThrow(SetParseError);
    expect(() => PortSet.single(Number.NaN)).toThrow(SetParseError);
    expect(() => PortSet.fromRanges([[1, 2], [9, 3]])).toThrow(SetParseError);
    expect(() => PortSet.fromRanges([[1, 70000]])).toThrow(SetParseError);
    expect(PortSet.fromRanges([]).isEmpty()).toBe(true);
  });

  it('EMPTY prints as the empty string and has no first()', () => {
    expect(PortSet.EMPTY.toString()).toBe('');
    expect(PortSet.EMPTY.toStrings()).toEqual([]);
    expect(PortSet.EMPTY.size()).toBe(0);
    expect(PortSet.EMPTY.first()).toBeUndefined();
    expect(PortSet.EMPTY.isEmpty()).toBe(true);
  });

  it('toStrings, size and first on a mixed set', () => {
    const set = PortSet.parse('161-162, 22, 8080, 0');
    expect(set.toStrings()).toEqual(['0', '22', '161-162', '8080']);
    expect(set.toString()).toBe('0, 22, 161-162, 8080');
    expect(set.size()).toBe(5);
    expect(set.first()).toBe(0);
    expect(PortSet.parse('443, 80').first()).toBe(80);
  });

  it('parse(s.toString()) equals s for random sets', () => {
    fc.assert(
      fc.property(portSetArb, (set) => {
        if (set.isEmpty()) {
          expect(set.toString()).toBe('');
          return;
        }
        const text = set.toString();
        const back = PortSet.parse(text);
        expect(back.equals(set)).toBe(true);
        expect(back.toString()).toBe(text);
        expect(PortSet.parse(set.toStrings().join(',')).equals(set)).toBe(true);
        expect(set.toStrings().join(', ')).toBe(text);
      }),
      RUNS,
    );
  });

  it('equal sets print equal strings however they were built', () => {
    // Build the same set from its ranges split into random pieces, shuffled, with redundant overlaps.
    const splitArb = rangesArb.chain((ranges) => {
      const pieces: Array<fc.Arbitrary<Array<[number, number]>>> = ranges.map(([lo, hi]) =>
        fc.integer({ min: lo, max: hi }).map((cut): Array<[number, number]> => (cut === lo ? [[lo, hi]] : [[lo, cut - 1], [cut, hi]])),
      );
      return fc.tuple(fc.constant(ranges), fc.tuple(...pieces).chain((parts) => fc.shuffledSubarray(parts.flat(), { minLength: parts.flat().length })));
    });
    fc.assert(
      fc.property(splitArb, fc.array(fc.constantFrom(' ', '', '  ')), ([ranges, pieces], spaces) => {
        const a = PortSet.fromRanges(ranges);
        const b = PortSet.fromRanges([...pieces, ...ranges.slice(0, 1)]);
        expect(b.equals(a)).toBe(true);
        expect(b.toString()).toBe(a.toString());
        expect(b.toStrings()).toEqual(a.toStrings());
        if (pieces.length > 0) {
          // Free-form spacing in the source text does not change the canonical print.
          const text = pieces
            .map(([lo, hi], i) => {
              const s = spaces[i % Math.max(spaces.length, 1)] ?? '';
              return lo === hi ? `${s}${lo}${s}` : `${s}${lo}${s}-${s}${hi}${s}`;
            })
            .join(',');
          expect(PortSet.parse(text).toString()).toBe(a.toString());
        }
      }),
      RUNS,
    );
  });

  it('toString is canonical: sorted, disjoint, non-adjacent ranges in canonical spelling', () => {
    fc.assert(
      fc.property(portSetArb, (set) => {
        const ranges = set.ranges();
        ranges.forEach(([lo, hi], i) => {
          expect(lo <= hi).toBe(true);
          if (i > 0) expect(lo > ranges[i - 1]![1] + 1).toBe(true);
        });
        expect(set.toStrings()).toEqual(printRanges(ranges));
        expect(set.size()).toBe(ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0));
        expect(set.first()).toBe(ranges[0]?.[0]);
      }),
      RUNS,
    );
  });
});

describe('PortSet operations vs a brute-force model', () => {
  /** Small random sets: members expanded into a JS Set, so every operation can be checked element by element. */
  const base = fc.constantFrom(0, 1000, MAX_PORT - 60);
  const smallRangesArb = base.chain((b) =>
    fc.array(
      fc
        .tuple(fc.integer({ min: b, max: b + 60 }), fc.integer({ min: 0, max: 12 }))
        .map(([lo, len]): [number, number] => [lo, Math.min(lo + len, MAX_PORT)]),
      { maxLength: 6 },
    ),
  );
  const pairArb = fc.tuple(smallRangesArb, smallRangesArb);

  const members = (ranges: Array<[number, number]>): Set<number> => {
    const out = new Set<number>();
    for (const [lo, hi] of ranges) for (let p = lo; p <= hi; p++) out.add(p);
    return out;
  };
  const probes = (a: Set<number>, b: Set<number>): number[] => {
    const out = new Set<number>([0, 1, MAX_PORT - 1, MAX_PORT]);
    for (const p of [...a, ...b]) for (const q of [p - 1, p, p + 1]) if (q >= 0 && q <= MAX_PORT) out.add(q);
    return [...out];
  };

  it('union, intersect, subtract agree with the model', () => {
    fc.assert(
      fc.property(pairArb, ([ra, rb]) => {
        const a = PortSet.fromRanges(ra);
        const b = PortSet.fromRanges(rb);
        const ma = members(ra);
        const mb = members(rb);
        const union = new Set([...ma, ...mb]);
        const inter = new Set([...ma].filter((p) => mb.has(p)));
        const diff = new Set([...ma].filter((p) => !mb.has(p)));
        expect(a.union(b).ranges()).toEqual(canonicalRanges(union));
        expect(a.intersect(b).ranges()).toEqual(canonicalRanges(inter));
        expect(a.subtract(b).ranges()).toEqual(canonicalRanges(diff));
        expect(a.union(b).size()).toBe(union.size);
        expect(a.intersect(b).size()).toBe(inter.size);
        expect(a.subtract(b).size()).toBe(diff.size);
        expect(a.ranges()).toEqual(canonicalRanges(ma));
        expect(a.toStrings()).toEqual(printRanges(canonicalRanges(ma)));
      }),
      RUNS,
    );
  });

  it('has, containsAll, overlaps, equals, first and isEmpty agree with the model', () => {
    fc.assert(
      fc.property(pairArb, ([ra, rb]) => {
        const a = PortSet.fromRanges(ra);
        const b = PortSet.fromRanges(rb);
        const ma = members(ra);
        const mb = members(rb);
        const points = probes(ma, mb);
        expect(points.filter((p) => a.has(p))).toEqual(points.filter((p) => ma.has(p)));
        expect(a.containsAll(b)).toBe([...mb].every((p) => ma.has(p)));
        expect(a.overlaps(b)).toBe([...ma].some((p) => mb.has(p)));
        expect(a.equals(b)).toBe(ma.size === mb.size && [...ma].every((p) => mb.has(p)));
        expect(a.isEmpty()).toBe(ma.size === 0);
        expect(a.first()).toBe(ma.size === 0 ? undefined : Math.min(...ma));
      }),
      RUNS,
    );
  });

  it('algebraic laws: commutativity, associativity, (A − B) ∩ B = ∅, (A − B) ∪ (A ∩ B) = A, De Morgan', () => {
    fc.assert(
      fc.property(portSetArb, portSetArb, portSetArb, (a, b, c) => {
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(a.union(b).union(c).equals(a.union(b.union(c)))).toBe(true);
        expect(a.intersect(b).intersect(c).equals(a.intersect(b.intersect(c)))).toBe(true);
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        const not = (s: PortSet): PortSet => PortSet.ALL.subtract(s);
        expect(not(a.union(b)).equals(not(a).intersect(not(b)))).toBe(true);
        expect(not(a.intersect(b)).equals(not(a).union(not(b)))).toBe(true);
        expect(a.union(not(a)).isAll()).toBe(true);
        expect(a.size() + not(a).size()).toBe(MAX_PORT + 1);
        expect(PortSet.ALL.containsAll(a)).toBe(true);
      }),
      RUNS,
    );
  });
});
