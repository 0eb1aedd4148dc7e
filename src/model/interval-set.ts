/**
 * Canonical sets of non-negative integers as sorted, disjoint, non-adjacent inclusive intervals over BigInt.
 * Shared by PortSet (0–65535) and AddressSet (IPv4 0–2^32-1, IPv6 0–2^128-1). Instances are immutable.
 */
export type Interval = readonly [bigint, bigint];

export class IntervalSet {
  static readonly EMPTY = new IntervalSet([]);

  /**
   * The number of members, summed on first use and kept: the set is immutable, and the world tests of FW101/FW104
   * ask for the size of every piece (often one shared CIDR set). A private field, so that equal sets stay deeply equal.
   */
  #size: bigint | undefined = undefined;

  private constructor(readonly intervals: readonly Interval[]) {}

  /** Builds a canonical set from intervals in any order, overlapping or not; reversed bounds are a bug (throws). */
  static of(intervals: Iterable<Interval>): IntervalSet {
    const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: [bigint, bigint][] = [];
    for (const [lo, hi] of sorted) {
      if (lo > hi) throw new RangeError(`reversed interval ${lo}-${hi}`);
      const last = merged[merged.length - 1];
      if (last && lo <= last[1] + 1n) {
        if (hi > last[1]) last[1] = hi;
      } else {
        merged.push([lo, hi]);
      }
    }
    return new IntervalSet(merged);
  }

  static range(lo: bigint, hi: bigint): IntervalSet {
    // One interval is canonical as it is: no sort, no merge (parsers build millions of these).
    if (lo > hi) throw new RangeError(`reversed interval ${lo}-${hi}`);
    return new IntervalSet([[lo, hi]]);
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** Number of members. */
  size(): bigint {
    let total = this.#size;
    if (total === undefined) {
      total = 0n;
      for (const [lo, hi] of this.intervals) total += hi - lo + 1n;
      this.#size = total;
    }
    return total;
  }

  has(value: bigint): boolean {
    // Binary search: intervals are sorted and disjoint.
    let low = 0;
    let high = this.intervals.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const [lo, hi] = this.intervals[mid]!;
      if (value < lo) high = mid - 1;
      else if (value > hi) low = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: IntervalSet): IntervalSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    // Both sides are canonical (sorted, disjoint): one merge pass, no sort.
    const a = this.intervals;
    const b = other.intervals;
    const out: [bigint, bigint][] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const next = j >= b.length || (i < a.length && a[i]![0] <= b[j]![0]) ? a[i++]! : b[j++]!;
      const last = out[out.length - 1];
      if (last && next[0] <= last[1] + 1n) {
        if (next[1] > last[1]) last[1] = next[1];
      } else {
        out.push([next[0], next[1]]);
      }
    }
    return new IntervalSet(out);
  }

  intersect(other: IntervalSet): IntervalSet {
    const out: [bigint, bigint][] = [];
    let i = 0;
    let j = 0;
    const a = this.intervals;
    const b = other.intervals;
    while (i < a.length && j < b.length) {
      const [alo, ahi] = a[i]!;
      const [blo, bhi] = b[j]!;
      const lo = alo > blo ? alo : blo;
      const hi = ahi < bhi ? ahi : bhi;
      if (lo <= hi) out.push([lo, hi]);
      if (ahi < bhi) i++;
      else j++;
    }
    return new IntervalSet(out);
  }

  subtract(other: IntervalSet): IntervalSet {
    if (other.isEmpty() || this.isEmpty()) return this;
    const out: [bigint, bigint][] = [];
    let j = 0;
    const b = other.intervals;
    for (const [alo, ahi] of this.intervals) {
      let lo = alo;
      while (j < b.length && b[j]![1] < lo) j++;
      let k = j;
      while (k < b.length && b[k]![0] <= ahi && lo <= ahi) {
        const [blo, bhi] = b[k]!;
        if (blo > lo) out.push([lo, blo - 1n]);
        lo = bhi + 1n;
        k++;
      }
      if (lo <= ahi) out.push([lo, ahi]);
    }
    return new IntervalSet(out);
  }

  /** True when every member of `other` is in this set. */
  containsAll(other: IntervalSet): boolean {
    // A merge scan that allocates nothing: canonical intervals never touch, so one of ours must hold each of theirs.
    const a = this.intervals;
    const b = other.intervals;
    let i = 0;
    for (let j = 0; j < b.length; j++) {
      const [blo, bhi] = b[j]!;
      while (i < a.length && a[i]![1] < blo) i++;
      if (i >= a.length || a[i]![0] > blo || a[i]![1] < bhi) return false;
    }
    return true;
  }

  /** True when the sets share a member; a merge scan that allocates nothing (hot in the profile diff). */
  overlaps(other: IntervalSet): boolean {
    const a = this.intervals;
    const b = other.intervals;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const [alo, ahi] = a[i]!;
      const [blo, bhi] = b[j]!;
      if (ahi < blo) i++;
      else if (bhi < alo) j++;
      else return true;
    }
    return false;
  }

  equals(other: IntervalSet): boolean {
    // The world tests of FW101/FW104 compare every piece's set: a plain loop, no callback (a closure per call).
    if (this === other) return true;
    const mine = this.intervals;
    const theirs = other.intervals;
    if (mine.length !== theirs.length) return false;
    for (let i = 0; i < mine.length; i++) if (mine[i]![0] !== theirs[i]![0] || mine[i]![1] !== theirs[i]![1]) return false;
    return true;
  }

  /** Smallest member, or undefined when empty (used for witness flows). */
  first(): bigint | undefined {
    return this.intervals[0]?.[0];
  }
}

/** Thrown by the strict set parsers; callers in parsers turn it into a located Diagnostic. */
export class SetParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetParseError';
  }
}
