import { IntervalSet, SetParseError } from './interval-set';

export { SetParseError } from './interval-set';

export const MAX_PORT = 65535;

/** An exact set of TCP/UDP ports (0–65535). Immutable; prints canonically as `22, 80-90`. */
export class PortSet {
  static readonly EMPTY = new PortSet(IntervalSet.EMPTY);
  static readonly ALL = new PortSet(IntervalSet.range(0n, BigInt(MAX_PORT)));

  private constructor(private readonly set: IntervalSet) {}

  static range(from: number, to: number): PortSet {
    checkPort(from);
    checkPort(to);
    if (from > to) throw new SetParseError(`reversed port range ${from}-${to}`);
    if (from === 0 && to === MAX_PORT) return PortSet.ALL;
    // Most rules name one of a few hundred ranges: share one immutable set per range.
    const key = from * 65536 + to;
    let set = rangeSets.get(key);
    if (set === undefined) {
      set = new PortSet(IntervalSet.range(BigInt(from), BigInt(to)));
      if (rangeSets.size >= RANGE_SET_LIMIT) rangeSets.clear();
      rangeSets.set(key, set);
    }
    return set;
  }

  static single(port: number): PortSet {
    return PortSet.range(port, port);
  }

  static fromRanges(ranges: Iterable<readonly [number, number]>): PortSet {
    const intervals: [bigint, bigint][] = [];
    for (const [from, to] of ranges) {
      checkPort(from);
      checkPort(to);
      if (from > to) throw new SetParseError(`reversed port range ${from}-${to}`);
      intervals.push([BigInt(from), BigInt(to)]);
    }
    return new PortSet(IntervalSet.of(intervals));
  }

  /**
   * Parses `22`, `80-90`, `22, 80-90`, `22,80-90` or `any`/`*`. Strict: out-of-range numbers, leading zeros,
   * reversed ranges and junk throw SetParseError.
   */
  static parse(text: string): PortSet {
    const trimmed = text.trim();
    if (/^(any|\*)$/i.test(trimmed)) return PortSet.ALL;
    if (trimmed === '') throw new SetParseError('empty port list');
    const ranges: [number, number][] = [];
    for (const rawItem of trimmed.split(',')) {
      const item = rawItem.trim();
      const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
      if (!match) throw new SetParseError(`invalid port "${item}"`);
      const from = parsePortNumber(match[1]!);
      const to = match[2] === undefined ? from : parsePortNumber(match[2]);
      if (from > to) throw new SetParseError(`reversed port range "${item}"`);
      ranges.push([from, to]);
    }
    return PortSet.fromRanges(ranges);
  }

  isEmpty(): boolean {
    return this.set.isEmpty();
  }

  isAll(): boolean {
    return this.set.equals(PortSet.ALL.set);
  }

  size(): number {
    return Number(this.set.size());
  }

  has(port: number): boolean {
    // BigInt() throws on 22.5, NaN or Infinity; a membership test answers false instead.
    return Number.isInteger(port) && this.set.has(BigInt(port));
  }

  union(other: PortSet): PortSet {
    return new PortSet(this.set.union(other.set));
  }

  intersect(other: PortSet): PortSet {
    return new PortSet(this.set.intersect(other.set));
  }

  subtract(other: PortSet): PortSet {
    return new PortSet(this.set.subtract(other.set));
  }

  containsAll(other: PortSet): boolean {
    return this.set.containsAll(other.set);
  }

  overlaps(other: PortSet): boolean {
    return this.set.overlaps(other.set);
  }

  equals(other: PortSet): boolean {
    return this.set.equals(other.set);
  }

  /** Inclusive ranges in ascending order. */
  ranges(): Array<[number, number]> {
    return this.set.intervals.map(([lo, hi]) => [Number(lo), Number(hi)]);
  }

  first(): number | undefined {
    const value = this.set.first();
    return value === undefined ? undefined : Number(value);
  }

  /** Largest port, or undefined when empty. */
  last(): number | undefined {
    const intervals = this.set.intervals;
    return intervals.length === 0 ? undefined : Number(intervals[intervals.length - 1]![1]);
  }

  /** Canonical text: `22, 80-90`; `0-65535` for all ports; empty string for the empty set. */
  toString(): string {
    let text = portTexts.get(this);
    if (text === undefined) {
      text = this.toStrings().join(', ');
      portTexts.set(this, text);
    }
    return text;
  }

  /** Canonical range strings: `["22", "161-162"]`. */
  toStrings(): string[] {
    return this.ranges().map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`));
  }
}

/** Shared single-range sets (`PortSet.range`), bounded. */
const rangeSets = new Map<number, PortSet>();
const RANGE_SET_LIMIT = 10_000;

/** Printed form of each set, kept outside the instance so that sets stay plain values (deep equality in tests). */
const portTexts = new WeakMap<PortSet, string>();

function parsePortNumber(digits: string): number {
  if (digits.length > 1 && digits.startsWith('0')) throw new SetParseError(`port "${digits}" has a leading zero`);
  const value = Number(digits);
  checkPort(value);
  return value;
}

function checkPort(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_PORT) {
    throw new SetParseError(`port ${value} is out of range 0-${MAX_PORT}`);
  }
}
