import type { AddressSet } from '../model/address-set';
import type { PortSet } from '../model/port-set';

/*
 * Facts about immutable sets, computed once per set instance and kept while the set lives (WeakMap), so checks
 * that compare every rule with every other rule do it with numbers instead of allocating intersections, and a set
 * printed by several checks is printed once.
 */

const portRangeCache = new WeakMap<PortSet, readonly number[]>();

/** Flat `[from, to, from, to, …]`, ascending and disjoint (PortSet's canonical ranges). */
export function portRanges(ports: PortSet): readonly number[] {
  let ranges = portRangeCache.get(ports);
  if (!ranges) {
    ranges = ports.ranges().flat();
    portRangeCache.set(ports, ranges);
  }
  return ranges;
}

/** True when every port of `inner` is in `outer` (both from `portRanges`): `outer.containsAll(inner)`. */
export function rangesContain(outer: readonly number[], inner: readonly number[]): boolean {
  let j = 0;
  for (let i = 0; i < inner.length; i += 2) {
    const lo = inner[i]!;
    const hi = inner[i + 1]!;
    // Canonical ranges never touch, so one outer range must hold the whole inner range.
    while (j < outer.length && outer[j + 1]! < lo) j += 2;
    if (j >= outer.length || outer[j]! > lo || outer[j + 1]! < hi) return false;
  }
  return true;
}

/** True when `a` and `b` (both from `portRanges`) share a port: `a.overlaps(b)`. */
export function rangesOverlap(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1]! < b[j]!) i += 2;
    else if (b[j + 1]! < a[i]!) j += 2;
    else return true;
  }
  return false;
}

const cidrCache = new WeakMap<AddressSet, readonly string[]>();

/**
 * `addresses.toCidrs()`, computed once per set: a host's allow-any rule minus its block rules is a set of hundreds
 * of ranges, printed by several checks.
 */
export function cidrsOf(addresses: AddressSet): readonly string[] {
  let cidrs = cidrCache.get(addresses);
  if (!cidrs) {
    cidrs = addresses.toCidrs();
    cidrCache.set(addresses, cidrs);
  }
  return cidrs;
}

/** `addresses.toString()` (which the model caches per set). */
export function cidrText(addresses: AddressSet): string {
  return addresses.toString();
}
