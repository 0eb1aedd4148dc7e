import { DominanceIndex } from '../../src/engine/dominance-index';
import { Prng } from '../../src/bench/prng';

describe('DominanceIndex', () => {
  it('yields the first item, in index order, whose bounds surround the query, as a scan of every item does', () => {
    const random = new Prng(302);
    for (let round = 0; round < 200; round++) {
      const count = 1 + Math.floor(random.next() * 90);
      const dimensions = 1 + Math.floor(random.next() * 4);
      const kinds = Array.from({ length: dimensions }, (_, d) => (d % 2 === 0 ? 'lower' : 'upper') as 'lower' | 'upper');
      // Few distinct keys, so that ties and equal bounds are common; infinities as a rule without that family has.
      const key = (): number => (random.next() < 0.1 ? (random.next() < 0.5 ? Infinity : -Infinity) : Math.floor(random.next() * 12));
      const keys = kinds.map(() => Array.from({ length: count }, key));
      const index = new DominanceIndex(count, kinds.map((kind, d) => ({ kind, keys: keys[d]! })));
      const included = Array.from({ length: count }, () => random.next() < 0.8);
      const mask = index.maskOf((item) => included[item]!);
      const accepted = Array.from({ length: count }, () => random.next() < 0.6);
      for (let query = 0; query < 20; query++) {
        const bounds = kinds.map(key);
        const fits = (item: number): boolean => kinds.every((kind, d) => (kind === 'lower' ? keys[d]![item]! <= bounds[d]! : keys[d]![item]! >= bounds[d]!));
        let expected: number | undefined;
        for (let item = 0; item < count && expected === undefined; item++) if (included[item] && fits(item) && accepted[item]) expected = item;
        const visited: number[] = [];
        const found = index.firstCandidate(bounds, mask, (item) => {
          visited.push(item);
          return accepted[item]!;
        });
        expect(found).toBe(expected);
        // Every candidate offered fits the bounds and the mask, and they come in index order.
        expect(visited.every((item) => included[item] && fits(item))).toBe(true);
        expect(visited).toEqual([...visited].sort((a, b) => a - b));
      }
    }
  });

  it('handles an empty index and a count that is a multiple of 32', () => {
    expect(new DominanceIndex(0, [{ kind: 'lower', keys: [] }]).firstCandidate([5], new Uint32Array(0), () => true)).toBeUndefined();
    const keys = Array.from({ length: 64 }, (_, item) => item);
    const index = new DominanceIndex(64, [{ kind: 'lower', keys }, { kind: 'upper', keys }]);
    const all = index.maskOf(() => true);
    expect(index.firstCandidate([63, 63], all, () => true)).toBe(63);
    expect(index.firstCandidate([31, 31], all, () => true)).toBe(31);
    expect(index.firstCandidate([10, 11], all, () => true)).toBeUndefined();
  });
});
