import fc from 'fast-check';
import { Interval, IntervalSet, SetParseError } from '../../src/model/interval-set';

/**
 * Property tests for IntervalSet against a brute-force model: a boolean array over the universe 0..63
 * (style.md §3). The same properties are re-run after shifting the universe by 2^100 so BigInt arithmetic
 * far beyond Number.MAX_SAFE_INTEGER (IPv6 scale) is exercised too.
 */

const N = 64;
const RUNS = { numRuns: 300 };

type Model = boolean[];

/** Random intervals inside 0..N-1, in any order, overlapping, adjacent or nested. */
const intervalArb: fc.Arbitrary<[number, number]> = fc
  .tuple(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 0, max: N - 1 }))
  .map(([a, b]) => (a <= b ? [a, b] : [b, a]));
const intervalListArb = fc.array(intervalArb, { maxLength: 7 });

/** Also produce sets from arbitrary member subsets so sparse, fragmented sets are covered. */
const memberListArb = fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { maxLength: N }).map((members) =>
  members.map((m): [number, number] => [m, m]),
);

const rawArb = fc.oneof(intervalListArb, memberListArb, fc.constant<[number, number][]>([[0, N - 1]]));

function modelOf(raw: readonly (readonly [number, number])[]): Model {
  const model: Model = new Array<boolean>(N).fill(false);
  for (const [lo, hi] of raw) for (let v = lo; v <= hi; v++) model[v] = true;
  return model;
}

function setOf(raw: readonly (readonly [number, number])[], offset = 0n): IntervalSet {
  return IntervalSet.of(raw.map(([lo, hi]): Interval => [BigInt(lo) + offset, BigInt(hi) + offset]));
}

/** Model → canonical intervals (maximal runs of members). */
function modelIntervals(model: Model, offset = 0n): Array<[bigint, bigint]> {
  const out: Array<[bigint, bigint]> = [];
  let v = 0;
  while (v < N) {
    if (!model[v]) {
      v++;
      continue;
    }
    const start = v;
    while (v < N && model[v]) v++;
    out.push([BigInt(start) + offset, BigInt(v - 1) + offset]);
  }
  return out;
}

function modelSize(model: Model): bigint {
  return BigInt(model.filter(Boolean).length);
}

const zip = (a: Model, b: Model, f: (x: boolean, y: boolean) => boolean): Model => a.map((x, i) => f(x, b[i]!));

/** Sorted, each interval non-empty, disjoint and non-adjacent, with BigInt bounds. */
function isCanonical(set: IntervalSet): boolean {
  const iv = set.intervals;
  return iv.every(
    ([lo, hi], i) =>
      typeof lo === 'bigint' && typeof hi === 'bigint' && lo <= hi && (i === 0 || lo > iv[i - 1]![1] + 1n),
  );
}

const bits = (f: (v: number) => boolean): string => Array.from({ length: N }, (_, v) => (f(v) ? '1' : '0')).join('');

/**
 * Full agreement of a set with its model: canonical intervals, size, has, isEmpty and first. Compared as one
 * object so a failure shows everything at once (and per-member expect() calls do not dominate the run time).
 */
function expectMatchesModel(set: IntervalSet, model: Model, offset = 0n): void {
  const firstMember = model.indexOf(true);
  expect({
    canonical: isCanonical(set),
    intervals: set.intervals.map(([lo, hi]) => [lo, hi]),
    size: set.size(),
    isEmpty: set.isEmpty(),
    first: set.first(),
    members: bits((v) => set.has(BigInt(v) + offset)),
    outside: [set.has(offset - 1n), set.has(offset + BigInt(N))],
  }).toEqual({
    canonical: true,
    intervals: modelIntervals(model, offset),
    size: modelSize(model),
    isEmpty: !model.some(Boolean),
    first: firstMember === -1 ? undefined : BigInt(firstMember) + offset,
    members: bits((v) => model[v]!),
    outside: [false, false],
  });
}

const snapshot = (set: IntervalSet): Array<[bigint, bigint]> => set.intervals.map(([lo, hi]) => [lo, hi]);

describe.each([
  ['small universe 0..63', 0n],
  ['universe shifted by 2^100', 1n << 100n],
])('IntervalSet vs brute-force model (%s)', (_label, offset) => {
  const universe = IntervalSet.range(offset, offset + BigInt(N - 1));

  it('of() builds the canonical form of any interval list', () => {
    fc.assert(
      fc.property(rawArb, (raw) => {
        expectMatchesModel(setOf(raw, offset), modelOf(raw), offset);
      }),
      RUNS,
    );
  });

  it('size() is computed once and kept: it equals the sum of the intervals, and reading it leaves sets deeply equal', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const set = setOf(ra, offset).union(setOf(rb, offset)).subtract(setOf(rb.slice(1), offset));
        const sum = set.intervals.reduce((total, [lo, hi]) => total + hi - lo + 1n, 0n);
        expect(set.size()).toBe(sum);
        // The second call answers from what the first kept.
        expect(set.size()).toBe(sum);
        // The kept size is no property: a set whose size was read equals one whose size was not.
        expect(set).toEqual(IntervalSet.of(set.intervals));
      }),
      RUNS,
    );
  });

  it('of() is insensitive to input order and duplication', () => {
    fc.assert(
      fc.property(
        rawArb.chain((raw) => fc.tuple(fc.constant(raw), fc.shuffledSubarray(raw, { minLength: raw.length, maxLength: raw.length }))),
        ([raw, shuffled]) => {
          const a = setOf(raw, offset);
          const b = setOf([...shuffled, ...raw], offset);
          expect(a.equals(b)).toBe(true);
          expect(snapshot(a)).toEqual(snapshot(b));
        },
      ),
      RUNS,
    );
  });

  it('union, intersect and subtract agree with the model and stay canonical', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const b = setOf(rb, offset);
        const ma = modelOf(ra);
        const mb = modelOf(rb);
        expectMatchesModel(a.union(b), zip(ma, mb, (x, y) => x || y), offset);
        expectMatchesModel(a.intersect(b), zip(ma, mb, (x, y) => x && y), offset);
        expectMatchesModel(a.subtract(b), zip(ma, mb, (x, y) => x && !y), offset);
      }),
      RUNS,
    );
  });

  it('containsAll, overlaps and equals agree with the model', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const b = setOf(rb, offset);
        const ma = modelOf(ra);
        const mb = modelOf(rb);
        expect(a.containsAll(b)).toBe(mb.every((y, i) => !y || ma[i]));
        expect(b.containsAll(a)).toBe(ma.every((x, i) => !x || mb[i]));
        expect(a.overlaps(b)).toBe(ma.some((x, i) => x && mb[i]));
        expect(b.overlaps(a)).toBe(a.overlaps(b));
        expect(a.equals(b)).toBe(ma.every((x, i) => x === mb[i]));
        expect(b.equals(a)).toBe(a.equals(b));
      }),
      RUNS,
    );
  });

  it('containsAll holds for subsets built from the set itself', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const sub = a.intersect(setOf(rb, offset));
        expect(a.containsAll(sub)).toBe(true);
        expect(a.containsAll(a)).toBe(true);
        expect(a.containsAll(IntervalSet.EMPTY)).toBe(true);
        expect(a.overlaps(sub)).toBe(!sub.isEmpty());
      }),
      RUNS,
    );
  });

  it('union and intersection commute and associate', () => {
    fc.assert(
      fc.property(rawArb, rawArb, rawArb, (ra, rb, rc) => {
        const [a, b, c] = [setOf(ra, offset), setOf(rb, offset), setOf(rc, offset)];
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(a.union(b).union(c).equals(a.union(b.union(c)))).toBe(true);
        expect(a.intersect(b).intersect(c).equals(a.intersect(b.intersect(c)))).toBe(true);
        // Distributivity, for good measure.
        expect(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c)))).toBe(true);
        expect(a.union(b.intersect(c)).equals(a.union(b).intersect(a.union(c)))).toBe(true);
      }),
      RUNS,
    );
  });

  it('(A − B) ∩ B = ∅ and (A − B) ∪ (A ∩ B) = A', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const b = setOf(rb, offset);
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).overlaps(b)).toBe(false);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        expect(a.subtract(a).isEmpty()).toBe(true);
        expect(a.subtract(IntervalSet.EMPTY).equals(a)).toBe(true);
        expect(IntervalSet.EMPTY.subtract(a).isEmpty()).toBe(true);
      }),
      RUNS,
    );
  });

  it('De Morgan holds within the universe', () => {
    const complement = (s: IntervalSet): IntervalSet => universe.subtract(s);
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const b = setOf(rb, offset);
        expect(complement(a.union(b)).equals(complement(a).intersect(complement(b)))).toBe(true);
        expect(complement(a.intersect(b)).equals(complement(a).union(complement(b)))).toBe(true);
        expect(complement(complement(a)).equals(a)).toBe(true);
        expect(a.union(complement(a)).equals(universe)).toBe(true);
        expect(a.size() + complement(a).size()).toBe(BigInt(N));
        expectMatchesModel(complement(a), modelOf(ra).map((x) => !x), offset);
      }),
      RUNS,
    );
  });

  it('inclusion–exclusion: |A ∪ B| + |A ∩ B| = |A| + |B|', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const b = setOf(rb, offset);
        expect(a.union(b).size() + a.intersect(b).size()).toBe(a.size() + b.size());
      }),
      RUNS,
    );
  });

  it('operations never mutate their operands', () => {
    fc.assert(
      fc.property(rawArb, rawArb, (ra, rb) => {
        const a = setOf(ra, offset);
        const b = setOf(rb, offset);
        const [sa, sb] = [snapshot(a), snapshot(b)];
        a.union(b);
        a.intersect(b);
        a.subtract(b);
        b.subtract(a);
        a.containsAll(b);
        a.overlaps(b);
        expect(snapshot(a)).toEqual(sa);
        expect(snapshot(b)).toEqual(sb);
      }),
      RUNS,
    );
  });
});

describe('IntervalSet examples and edges', () => {
  it('merges overlapping and adjacent intervals, keeps gaps of one', () => {
    const set = IntervalSet.of([
      [10n, 12n],
      [0n, 3n],
      [4n, 5n],
      [7n, 7n],
      [11n, 20n],
    ]);
    expect(snapshot(set)).toEqual([
      [0n, 5n],
      [7n, 7n],
      [10n, 20n],
    ]);
    expect(set.size()).toBe(6n + 1n + 11n);
  });

  it('of() with reversed bounds throws RangeError, wherever the interval sorts', () => {
    expect(() => IntervalSet.of([[5n, 3n]])).toThrow(RangeError);
    expect(() => IntervalSet.range(1n, 0n)).toThrow(RangeError);
    expect(() =>
      IntervalSet.of([
        [0n, 100n],
        [50n, 49n],
      ]),
    ).toThrow(/reversed interval 50-49/);
    expect(() =>
      IntervalSet.of([
        [200n, 100n],
        [0n, 1n],
      ]),
    ).toThrow(RangeError);
    // A bug, not bad input: never a SetParseError.
    expect(() => IntervalSet.of([[5n, 3n]])).not.toThrow(SetParseError);
  });

  it('of() with reversed bounds throws for any reversed pair (property)', () => {
    fc.assert(
      fc.property(
        intervalListArb,
        fc.integer({ min: 0, max: N - 2 }),
        fc.integer({ min: 1, max: N }),
        fc.nat(),
        (raw, lo, delta, at) => {
          const intervals: Interval[] = raw.map(([a, b]) => [BigInt(a), BigInt(b)]);
          intervals.splice(at % (intervals.length + 1), 0, [BigInt(lo + delta), BigInt(lo)]);
          expect(() => IntervalSet.of(intervals)).toThrow(RangeError);
        },
      ),
      RUNS,
    );
  });

  it('single points and empty sets', () => {
    const point = IntervalSet.range(42n, 42n);
    expect(point.size()).toBe(1n);
    expect(point.has(42n)).toBe(true);
    expect(point.has(41n)).toBe(false);
    expect(point.first()).toBe(42n);
    expect(IntervalSet.EMPTY.isEmpty()).toBe(true);
    expect(IntervalSet.EMPTY.size()).toBe(0n);
    expect(IntervalSet.EMPTY.first()).toBeUndefined();
    expect(IntervalSet.EMPTY.has(0n)).toBe(false);
    expect(IntervalSet.of([]).equals(IntervalSet.EMPTY)).toBe(true);
    expect(IntervalSet.EMPTY.union(point).equals(point)).toBe(true);
    expect(point.union(IntervalSet.EMPTY).equals(point)).toBe(true);
    expect(point.intersect(IntervalSet.EMPTY).isEmpty()).toBe(true);
    expect(point.overlaps(IntervalSet.EMPTY)).toBe(false);
    expect(IntervalSet.EMPTY.containsAll(point)).toBe(false);
  });

  it('handles the full IPv6-sized range', () => {
    const max = (1n << 128n) - 1n;
    const all = IntervalSet.range(0n, max);
    expect(all.size()).toBe(1n << 128n);
    const lowHalf = IntervalSet.range(0n, (1n << 127n) - 1n);
    const highHalf = IntervalSet.range(1n << 127n, max);
    expect(lowHalf.union(highHalf).equals(all)).toBe(true);
    expect(all.subtract(lowHalf).equals(highHalf)).toBe(true);
    expect(all.has(max)).toBe(true);
    expect(all.has(max + 1n)).toBe(false);
  });
});
