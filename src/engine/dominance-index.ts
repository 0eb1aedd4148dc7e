/**
 * Which items may contain a given one, by numeric bounds: an item `a` can only contain `b` when each of `a`'s lower
 * bounds is at most `b`'s and each of its upper bounds at least `b`'s (lowest and highest port, first and last
 * address). Answering that for every pair is quadratic; here each dimension keeps the items sorted by its key and,
 * for every prefix of that order, the set of items in it as a bitset. A query ANDs one prefix per dimension, so it
 * costs n/32 word operations per dimension, and yields the candidates in index order (checks want the *first*
 * container in rule order). Memory and build are (n + 1) · n/32 words per dimension: meant for a few thousand items.
 *
 * The bounds are a necessary condition only: the caller still tests real containment on each candidate.
 */
export interface DominanceDimension {
  /** One key per item. `lower`: a candidate's key must be ≤ the query's; `upper`: ≥ the query's. */
  keys: ArrayLike<number>;
  kind: 'lower' | 'upper';
}

interface PreparedDimension {
  /** Keys in the dimension's order: ascending for `lower`, descending for `upper`. */
  sorted: Float64Array;
  kind: 'lower' | 'upper';
  /** Prefix k (items sorted[0..k)) as a bitset at words [k·words, (k + 1)·words). */
  prefixes: Uint32Array;
}

export class DominanceIndex {
  readonly count: number;
  /** Words per bitset. */
  readonly words: number;
  private readonly dimensions: PreparedDimension[];

  constructor(count: number, dimensions: DominanceDimension[]) {
    this.count = count;
    this.words = Math.ceil(count / 32);
    this.dimensions = dimensions.map((dimension) => this.prepare(dimension));
  }

  /** A bitset of the items for which `include` holds: a mask for `firstCandidate` (a protocol, say). */
  maskOf(include: (index: number) => boolean): Uint32Array {
    const mask = new Uint32Array(this.words);
    for (let index = 0; index < this.count; index++) if (include(index)) mask[index >>> 5]! |= 1 << (index & 31);
    return mask;
  }

  /**
   * The first item, in index order, whose bounds allow it to contain an item with keys `query` (one per dimension,
   * in constructor order), that is in `mask`, and that `accept` takes; undefined when none is.
   */
  firstCandidate(query: ArrayLike<number>, mask: Uint32Array, accept: (index: number) => boolean): number | undefined {
    const words = this.words;
    const offsets = new Array<number>(this.dimensions.length);
    for (let d = 0; d < this.dimensions.length; d++) {
      const dimension = this.dimensions[d]!;
      const taken = dimension.kind === 'lower' ? countAtMost(dimension.sorted, query[d]!) : countAtLeast(dimension.sorted, query[d]!);
      if (taken === 0) return undefined;
      offsets[d] = taken * words;
    }
    for (let word = 0; word < words; word++) {
      let bits = mask[word]!;
      for (let d = 0; d < this.dimensions.length && bits !== 0; d++) bits &= this.dimensions[d]!.prefixes[offsets[d]! + word]!;
      while (bits !== 0) {
        const lowest = bits & -bits;
        const index = word * 32 + (31 - Math.clz32(lowest));
        if (accept(index)) return index;
        bits ^= lowest;
      }
    }
    return undefined;
  }

  private prepare({ keys, kind }: DominanceDimension): PreparedDimension {
    const count = this.count;
    const words = this.words;
    const order = Array.from({ length: count }, (_, index) => index);
    order.sort(kind === 'lower' ? (a, b) => keys[a]! - keys[b]! || a - b : (a, b) => keys[b]! - keys[a]! || a - b);
    const sorted = new Float64Array(count);
    const prefixes = new Uint32Array((count + 1) * words);
    for (let k = 0; k < count; k++) {
      const index = order[k]!;
      sorted[k] = keys[index]!;
      // Prefix k + 1 is prefix k plus this item.
      prefixes.copyWithin((k + 1) * words, k * words, (k + 1) * words);
      prefixes[(k + 1) * words + (index >>> 5)]! |= 1 << (index & 31);
    }
    return { sorted, kind, prefixes };
  }
}

/** How many of the ascending `sorted` keys are ≤ `value`. */
function countAtMost(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many of the descending `sorted` keys are ≥ `value`. */
function countAtLeast(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! >= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
