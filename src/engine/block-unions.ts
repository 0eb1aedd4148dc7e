import { AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import type { Rule } from '../model/rule';

/**
 * Where several narrower block rules together hold every address of a family (`0.0.0.0-127.255.255.255` and
 * `128.0.0.0-255.255.255.255` in two rules): a Windows keyword peer (`LocalSubnet`) has addresses only at run time,
 * so only blocks holding whole families are known to hold it. The union of the blocks' addresses is worked out once
 * per direction, by one sweep over the ports per protocol and profile, not per allow rule: a host with thousands of
 * keyword allows and blocks stays linear (apart from sorting).
 */

/** A block rule with exact addresses and no condition the sets do not model (every allow it meets, it reaches). */
export interface ExactBlock {
  rule: Rule;
  protocols: IntervalSet;
  /** Flat `[from, to, …]` (`portRanges`). */
  ports: readonly number[];
  profiles: number;
  addresses: AddressSet;
}

/** Traffic a keyword allow admits before blocks: where the sweep looks. */
interface WantedTraffic {
  protocols: IntervalSet;
  ports: readonly number[];
  profiles: number;
}

/**
 * Protocols × ports `from`–`to` × profiles where the blocks `heldBy` together hold every address the protocols reach
 * (`families`: both families, or one for ICMP), so a keyword allow has nothing left there.
 */
export interface WholeFamilyRegion {
  protocols: IntervalSet;
  from: number;
  to: number;
  profiles: number;
  families: AddressSet;
  heldBy: Rule[];
}

const ALL_PROTOCOLS = IntervalSet.range(0n, 255n);
const V4_SIZE = 2 ** 32;
/** One past the last address of each family. */
const V4_END = 1n << 32n;
const V6_END = 1n << 128n;
/** Sizes of IPv6 sets are summed as doubles, a filter only: exact set operations decide. */
const V6_SIZE_WITH_ROUNDING = 2 ** 128 * (1 - 1e-9);
const PROFILE_BITS = [1, 2, 4];

interface Sized {
  block: ExactBlock;
  v4: number;
  v6: number;
  /** In force at the sweep's current port. */
  active: boolean;
}

/** One family's blocks in force during a sweep, and what was last found about their union. */
interface FamilyWatch {
  family: 4 | 6;
  /** Largest first: the union is built from the front and stops once it holds the family. */
  bySize: Sized[];
  /**
   * The summed sizes of the distinct address sets in force (a host blocks the same range on many ports and in many
   * rules; counted once, the sum stays a useful filter), and how many blocks in force hold each.
   */
  sum: number;
  holding: Map<AddressSet, number>;
  /** The blocks last found to hold the family; they still do while all are in force. */
  heldBy: Sized[] | undefined;
  /** A block started since the union was last found not to hold the family (only a new block can change that). */
  grown: boolean;
  /** The family's stretches (`StretchIndex`), shared by every sweep of the host. */
  stretches: () => StretchIndex;
}

/**
 * A family cut into stretches at the bounds of every block's intervals, so that each block holds a stretch whole or
 * not at all, and each block's intervals as stretch numbers: built once per host and family, finding the blocks that
 * hold the family again at another port is a pass over small integers, not a sort of BigInt bounds.
 */
interface StretchIndex {
  count: number;
  /** Per block: `[first, end, …]`, the stretches of each of its intervals (`end` excluded). */
  ranges: Map<Sized, Int32Array>;
}

export function wholeFamilyRegions(blocks: readonly ExactBlock[], wanted: readonly WantedTraffic[]): WholeFamilyRegion[] {
  const regions: WholeFamilyRegion[] = [];
  if (blocks.length < 2 || wanted.length === 0) return regions;
  // Protocol classes: each single protocol a block or an allow names, and the rest (only blocks of every protocol meet it).
  const named = new Set<bigint>();
  for (const { protocols } of [...blocks, ...wanted]) if (!protocols.equals(ALL_PROTOCOLS)) for (const [lo, hi] of protocols.intervals) for (let p = lo; p <= hi; p++) named.add(p);
  const classes = [...named].map((value) => IntervalSet.range(value, value));
  const rest = ALL_PROTOCOLS.subtract(IntervalSet.of([...named].map((value) => [value, value] as const)));
  if (!rest.isEmpty()) classes.push(rest);
  // The same region on several profiles is one (a keyword allow is split by what is left, not by how it was found).
  const byPlace = new Map<string, WholeFamilyRegion>();
  const index = new Map(blocks.map((block, i) => [block.rule, i]));
  const sized: Sized[] = blocks.map((block) => {
    const { v4, v6 } = block.addresses.size();
    return { block, v4: Number(v4), v6: Number(v6), active: false };
  });
  const indexes = new Map<4 | 6, StretchIndex>();
  const stretchesOf = (family: 4 | 6) => (): StretchIndex => {
    let index = indexes.get(family);
    if (index === undefined) indexes.set(family, (index = stretchIndex(sized, family)));
    return index;
  };
  for (const protocols of classes) {
    const meeting = wanted.filter((traffic) => traffic.protocols.overlaps(protocols));
    if (meeting.length === 0) continue;
    const applicable = sized.filter(({ block }) => block.protocols.containsAll(protocols));
    if (applicable.length < 2) continue;
    // ICMPv4 reaches IPv4 addresses only, ICMPv6 IPv6 ones.
    const single = protocols.intervals.length === 1 && protocols.intervals[0]![0] === protocols.intervals[0]![1] ? protocols.intervals[0]![0] : undefined;
    const families = single === 1n ? AddressSet.ALL_V4 : single === 58n ? AddressSet.ALL_V6 : AddressSet.ALL;
    for (const bit of PROFILE_BITS) {
      const interest = mergedRanges(meeting.filter((traffic) => (traffic.profiles & bit) !== 0).map((traffic) => traffic.ports));
      if (interest.length === 0) continue;
      const present = applicable.filter(({ block }) => (block.profiles & bit) !== 0);
      if (present.length < 2) continue;
      for (const region of sweep(present, interest, protocols, bit, families, stretchesOf)) {
        const key = `${protocols.toString()} ${region.from}-${region.to} ${region.heldBy.map((rule) => index.get(rule)).join(',')}`;
        const same = byPlace.get(key);
        if (same !== undefined) same.profiles |= bit;
        else {
          byPlace.set(key, region);
          regions.push(region);
        }
      }
    }
  }
  return regions;
}

/**
 * One pass over the ports in order: the blocks in force between two boundaries are the same, and their summed
 * sizes (kept as blocks start and end) say cheaply when they cannot hold a family; only then is the union built.
 */
function sweep(
  blocks: readonly Sized[],
  interest: readonly number[],
  protocols: IntervalSet,
  profiles: number,
  families: AddressSet,
  stretchesOf: (family: 4 | 6) => () => StretchIndex,
): WholeFamilyRegion[] {
  const regions: WholeFamilyRegion[] = [];
  const needV4 = !families.intersect(AddressSet.ALL_V4).isEmpty();
  const needV6 = !families.intersect(AddressSet.ALL_V6).isEmpty();
  const events: Array<{ at: number; sized: Sized; start: boolean }> = [];
  for (const sized of blocks) {
    const ports = sized.block.ports;
    for (let i = 0; i < ports.length; i += 2) {
      if (!overlapsAny(interest, ports[i]!, ports[i + 1]!)) continue;
      events.push({ at: ports[i]!, sized, start: true }, { at: ports[i + 1]! + 1, sized, start: false });
    }
  }
  if (events.length < 4) return regions;
  events.sort((a, b) => a.at - b.at);
  const boundaries = [...new Set([...events.map((event) => event.at), ...interest.map((port, i) => (i % 2 === 0 ? port : port + 1))])].sort((a, b) => a - b);
  const watches: FamilyWatch[] = [];
  if (needV4) watches.push({ family: 4, bySize: [], sum: 0, holding: new Map(), heldBy: undefined, grown: true, stretches: stretchesOf(4) });
  if (needV6) watches.push({ family: 6, bySize: [], sum: 0, holding: new Map(), heldBy: undefined, grown: true, stretches: stretchesOf(6) });
  for (const sized of blocks) sized.active = false;
  let next = 0;
  // The interest's bounds are boundaries too: each stretch lies wholly inside one of its ranges or outside them all.
  let range = 0;
  for (let b = 0; b + 1 < boundaries.length; b++) {
    const from = boundaries[b]!;
    while (range < interest.length && interest[range + 1]! < from) range += 2;
    for (; next < events.length && events[next]!.at <= from; next++) {
      const { sized, start } = events[next]!;
      sized.active = start;
      for (const watch of watches) {
        const size = sizeOf(sized, watch.family);
        if (size === 0) continue;
        const addresses = sized.block.addresses;
        const holders = watch.holding.get(addresses) ?? 0;
        if (start) {
          insertBySize(watch.bySize, sized, size, watch.family);
          watch.grown = true;
          if (holders === 0) watch.sum += size;
          watch.holding.set(addresses, holders + 1);
        } else {
          removeBySize(watch.bySize, sized, size, watch.family);
          if (holders === 1) watch.sum -= size;
          watch.holding.set(addresses, holders - 1);
        }
      }
    }
    if (range >= interest.length || interest[range]! > from) continue;
    const to = boundaries[b + 1]! - 1;
    // Every family the protocols reach, or nothing is removed for certain (a keyword may be of either family).
    if (!watches.every(isHeld)) continue;
    const rules = [...new Set(watches.flatMap((watch) => watch.heldBy!.map((sized) => sized.block.rule)))];
    // A single block holding all is a keyword share already (`keywordShares`).
    if (rules.length < 2) continue;
    // Stretches next to each other held by the same blocks are one region.
    const last = regions[regions.length - 1];
    if (last !== undefined && last.to + 1 === from && last.heldBy.length === rules.length && last.heldBy.every((rule, i) => rule === rules[i])) last.to = to;
    else regions.push({ protocols, from, to, profiles, families, heldBy: rules });
  }
  return regions;
}

/** Whether the family's blocks in force hold all of it, found again only when that may have changed. */
function isHeld(watch: FamilyWatch): boolean {
  const size = watch.family === 4 ? V4_SIZE : V6_SIZE_WITH_ROUNDING;
  if (watch.sum < size) return false;
  if (watch.heldBy !== undefined && watch.heldBy.every((sized) => sized.active)) return true;
  if (watch.heldBy === undefined && !watch.grown) return false;
  watch.heldBy = holdingBlocks(watch.bySize, watch.stretches());
  watch.grown = false;
  return watch.heldBy !== undefined;
}

/**
 * The blocks whose union holds every address of the family (the largest first, leaving out any the others already
 * held), or undefined when all of them together do not. Each block in turn marks the stretches it is the first to
 * hold, skipping marked ones by a path-compressed "next unmarked stretch" pointer: near-linear, where uniting the
 * blocks one by one cost blocks × intervals of the union so far (thousands of single-address blocks covering a range
 * in no particular order).
 */
function holdingBlocks(bySize: readonly Sized[], { count, ranges }: StretchIndex): Sized[] | undefined {
  // `next[k]` leads to the first unmarked stretch from k on; the last entry, one past the stretches, is never marked.
  const next = new Int32Array(count + 1);
  for (let k = 0; k <= count; k++) next[k] = k;
  const unmarked = (from: number): number => {
    let root = from;
    while (next[root] !== root) root = next[root]!;
    for (let k = from; next[k] !== root; ) {
      const up = next[k]!;
      next[k] = root;
      k = up;
    }
    return root;
  };
  let open = count;
  const used: Sized[] = [];
  for (const sized of bySize) {
    const own = ranges.get(sized)!;
    let adds = false;
    for (let i = 0; i < own.length; i += 2) {
      for (let k = unmarked(own[i]!); k < own[i + 1]!; k = unmarked(k + 1)) {
        next[k] = k + 1;
        open--;
        adds = true;
      }
    }
    if (!adds) continue;
    used.push(sized);
    if (open === 0) return used;
  }
  return undefined;
}

function stretchIndex(blocks: readonly Sized[], family: 4 | 6): StretchIndex {
  const bounds: bigint[] = [0n, family === 4 ? V4_END : V6_END];
  for (const sized of blocks) for (const [lo, hi] of sized.block.addresses.intervalsOf(family)) bounds.push(lo, hi + 1n);
  bounds.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const position = new Map<bigint, number>();
  for (const bound of bounds) if (!position.has(bound)) position.set(bound, position.size);
  const ranges = new Map<Sized, Int32Array>();
  for (const sized of blocks) {
    const intervals = sized.block.addresses.intervalsOf(family);
    const own = new Int32Array(intervals.length * 2);
    intervals.forEach(([lo, hi], i) => {
      own[2 * i] = position.get(lo)!;
      own[2 * i + 1] = position.get(hi + 1n)!;
    });
    ranges.set(sized, own);
  }
  return { count: position.size - 1, ranges };
}

/** Inserts into a list kept largest first (by the family's size), after those of equal size: rule order among them. */
function insertBySize(list: Sized[], sized: Sized, size: number, family: 4 | 6): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sizeOf(list[mid]!, family) >= size) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, sized);
}

function removeBySize(list: Sized[], sized: Sized, size: number, family: 4 | 6): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sizeOf(list[mid]!, family) > size) lo = mid + 1;
    else hi = mid;
  }
  const at = list.indexOf(sized, lo);
  if (at !== -1) list.splice(at, 1);
}

function sizeOf(sized: Sized, family: 4 | 6): number {
  return family === 4 ? sized.v4 : sized.v6;
}

/** Sorted, disjoint `[from, to, …]` of all the lists. */
function mergedRanges(lists: ReadonlyArray<readonly number[]>): number[] {
  const pairs: Array<[number, number]> = [];
  for (const list of lists) for (let i = 0; i < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [from, to] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && from <= merged[last]! + 1) merged[last] = Math.max(merged[last]!, to);
    else merged.push(from, to);
  }
  return merged;
}

/** Whether `from`–`to` meets one of the sorted, disjoint ranges (binary search). */
function overlapsAny(ranges: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[2 * mid + 1]! < from) lo = mid + 1;
    else if (ranges[2 * mid]! > to) hi = mid - 1;
    else return true;
  }
  return false;
}
