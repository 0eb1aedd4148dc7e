import { IntervalSet, SetParseError, type Interval } from './interval-set';

export { SetParseError } from './interval-set';

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export type AddressFamily = 4 | 6;

export interface ParseAddressOptions {
  /** `error` (default): `10.0.0.1/8` is rejected, as AWS does; `mask`: host bits are cleared (Windows, Azure). */
  hostBits?: 'error' | 'mask';
}

/**
 * An exact set of IPv4 and IPv6 addresses: one interval set per family. Immutable.
 * "World" is a property of the set (`coversWorld()`), never a string comparison: `0.0.0.0/1` + `128.0.0.0/1` is the world.
 */
export class AddressSet {
  static readonly EMPTY = new AddressSet(IntervalSet.EMPTY, IntervalSet.EMPTY);
  static readonly ALL_V4 = new AddressSet(IntervalSet.range(0n, V4_MAX), IntervalSet.EMPTY);
  static readonly ALL_V6 = new AddressSet(IntervalSet.EMPTY, IntervalSet.range(0n, V6_MAX));
  static readonly ALL = new AddressSet(IntervalSet.range(0n, V4_MAX), IntervalSet.range(0n, V6_MAX));

  private constructor(
    private readonly v4: IntervalSet,
    private readonly v6: IntervalSet,
  ) {}

  /**
   * Parses one CIDR (`10.0.0.0/8`, `2001:db8::/32`) or single address (`192.0.2.7`). Strict: leading zeros,
   * prefixes out of range (`/33`), host bits set (unless `hostBits: 'mask'`) and junk throw SetParseError.
   */
  static parseCidr(text: string, options?: ParseAddressOptions): AddressSet {
    // The same CIDR recurs across thousands of rules: parse it once and share the (immutable) set. A canonical IPv4
    // CIDR is looked up by its numbers (no string hashing: the texts are mostly fresh strings built by templates).
    const masked = options !== undefined && options.hostBits === 'mask';
    if (!masked) {
      const shared = canonicalIpv4Cidr(text);
      if (shared !== undefined) return shared;
    }
    lastCanonical = undefined;
    lastCanonicalInput = '';
    const key = masked ? `m${text}` : text;
    const cached = parsedCidrs.get(key);
    if (cached !== undefined) return cached;
    const set = parseCidrUncached(text, options ?? {});
    if (parsedCidrs.size >= PARSED_CIDR_LIMIT) parsedCidrs.clear();
    parsedCidrs.set(key, set);
    return set;
  }

  /**
   * `text` itself, or for a canonical IPv4 CIDR just parsed the same characters as one string shared by every rule
   * with that CIDR, rather than a slice of each source file (V8 keeps a slice of 13 characters or more as a view of
   * the whole text it was cut from, so a rule's peer text kept its whole file alive).
   */
  static sharedText(set: AddressSet, text: string): string {
    // The text of the last canonical IPv4 CIDR parsed (the caller's, in the usual parse-then-share sequence): no
    // lookup. A canonical CIDR has one spelling, so equal characters mean the same set; anything else is kept.
    // Compared with the string `parseCidr` was given first: the caller passes that same string, and `===` on one
    // string is a pointer test, where comparing it with the shared copy reads both (a runtime call for a slice).
    if (set !== lastCanonical) return text;
    return text === lastCanonicalInput || text === lastCanonicalText ? lastCanonicalText : text;
  }

  /** Parses an inclusive range `a-b` of one family (Windows `10.0.0.1-10.0.0.9`). */
  static parseRange(text: string): AddressSet {
    return parseRangeText(text);
  }

  /** Parses a comma list of CIDRs, addresses and ranges. */
  static parseList(text: string, options: ParseAddressOptions = {}): AddressSet {
    let result = AddressSet.EMPTY;
    for (const item of text.split(',')) {
      const trimmed = item.trim();
      if (trimmed === '') throw new SetParseError(`empty item in address list "${text}"`);
      result = result.union(trimmed.includes('-') ? AddressSet.parseRange(trimmed) : AddressSet.parseCidr(trimmed, options));
    }
    return result;
  }

  static fromInterval(family: AddressFamily, from: bigint, to: bigint): AddressSet {
    const interval = IntervalSet.range(from, to);
    return family === 4 ? new AddressSet(interval, IntervalSet.EMPTY) : new AddressSet(IntervalSet.EMPTY, interval);
  }

  isEmpty(): boolean {
    return this.v4.isEmpty() && this.v6.isEmpty();
  }

  /** True when the set holds all of IPv4 or all of IPv6: reachable from the whole internet on that family. */
  coversWorld(): boolean {
    return this.coversAllIpv4() || this.coversAllIpv6();
  }

  /** True when the set holds every IPv4 and every IPv6 address: whatever a Windows address keyword stands for. */
  coversEveryAddress(): boolean {
    return this.coversAllIpv4() && this.coversAllIpv6();
  }

  coversAllIpv4(): boolean {
    return this.v4.equals(AddressSet.ALL_V4.v4);
  }

  coversAllIpv6(): boolean {
    return this.v6.equals(AddressSet.ALL_V6.v6);
  }

  /**
   * True when the set opens a target to the whole internet on one family: it holds every routable public address of
   * it (`PUBLIC_ADDRESSES` without the ranges no internet host uses, `NEVER_INTERNET_HOSTS`) but fewer than 1/256 of
   * them, about one /8 of IPv4. A deny of one host, of `0.0.0.0/32`, of the private ranges or of a bogon list ahead of
   * an allow from `0.0.0.0/0` leaves it so; half of IPv4 is not. IPv6's routable space is global unicast `2000::/3`:
   * `::/1` holds it, `8000::/1` holds none of it. Every address of the family is the exact case (`coversAllIpv4`).
   */
  coversInternet(family: AddressFamily): boolean {
    const own = family === 4 ? this.v4 : this.v6;
    const all = family === 4 ? AddressSet.ALL_V4.v4 : AddressSet.ALL_V6.v6;
    if (own.equals(all)) return true;
    // A set holds no more addresses than its span: most sets (a CIDR or two) stop here, without summing their sizes.
    // Its last address alone bounds the span, and comparing it allocates nothing (BigInt arithmetic does).
    const intervals = own.intervals;
    const routable = ROUTABLE_BY_FAMILY[family];
    if (intervals.length === 0 || intervals[intervals.length - 1]![1] < routable.lowestCoveringEnd) return false;
    if (!mayCoverInternet(intervals[intervals.length - 1]![1] - intervals[0]![0] + 1n, family)) return false;
    // What is left out is at least the routable space less the set's size: most others stop here, without a subtraction.
    if (!mayCoverInternet(own.size(), family)) return false;
    return routable.intervals.subtract(own).size() * 256n < routable.size;
  }

  /** `coversInternet` on IPv4 or on IPv6. */
  coversInternetOnAnyFamily(): boolean {
    return this.coversInternet(4) || this.coversInternet(6);
  }

  union(other: AddressSet): AddressSet {
    return new AddressSet(this.v4.union(other.v4), this.v6.union(other.v6));
  }

  intersect(other: AddressSet): AddressSet {
    return new AddressSet(this.v4.intersect(other.v4), this.v6.intersect(other.v6));
  }

  subtract(other: AddressSet): AddressSet {
    return new AddressSet(this.v4.subtract(other.v4), this.v6.subtract(other.v6));
  }

  containsAll(other: AddressSet): boolean {
    return this.v4.containsAll(other.v4) && this.v6.containsAll(other.v6);
  }

  overlaps(other: AddressSet): boolean {
    return this.v4.overlaps(other.v4) || this.v6.overlaps(other.v6);
  }

  equals(other: AddressSet): boolean {
    return this.v4.equals(other.v4) && this.v6.equals(other.v6);
  }

  /** One family's addresses as sorted, disjoint intervals (for sweeps over many sets at once). */
  intervalsOf(family: AddressFamily): readonly Interval[] {
    return (family === 4 ? this.v4 : this.v6).intervals;
  }

  /** Number of addresses per family. */
  size(): { v4: bigint; v6: bigint } {
    return { v4: this.v4.size(), v6: this.v6.size() };
  }

  /** Number of addresses of one family (`size`, without an object per call). */
  sizeOf(family: AddressFamily): bigint {
    return (family === 4 ? this.v4 : this.v6).size();
  }

  /** One member, IPv4 first, for witness flows. */
  firstAddress(): string | undefined {
    const v4 = this.v4.first();
    if (v4 !== undefined) return formatAddress(v4, 4);
    const v6 = this.v6.first();
    return v6 === undefined ? undefined : formatAddress(v6, 6);
  }

  /** Minimal CIDR list, IPv4 first: `10.0.0.0/8, 192.0.2.0/24, ::/0`. */
  toCidrs(): string[] {
    return [...intervalsToCidrs(this.v4, 4), ...intervalsToCidrs(this.v6, 6)];
  }

  toString(): string {
    // Rule content keys and messages print the same shared sets over and over; the set is immutable.
    let text = cidrTexts.get(this);
    if (text === undefined) {
      text = this.toCidrs().join(', ');
      cidrTexts.set(this, text);
    }
    return text;
  }
}

/**
 * The union of the sets; the set itself when there is one, so that what is cached per set (its printed form) is
 * reused.
 */
export function unionOf(sets: readonly AddressSet[]): AddressSet {
  if (sets.length === 1) return sets[0]!;
  let union = AddressSet.EMPTY;
  for (const set of sets) union = union.union(set);
  return union;
}

/** Printed form of each set, kept outside the instance so that sets stay plain values (deep equality in tests). */
const cidrTexts = new WeakMap<AddressSet, string>();

/** Distinct CIDR texts seen by `parseCidr`; cleared when full so that memory stays bounded on adversarial input. */
const parsedCidrs = new Map<string, AddressSet>();
const PARSED_CIDR_LIMIT = 50_000;

/** Canonical IPv4 CIDRs by prefix length, keyed by the network's number (the address shifted right by the host bits). */
const ipv4ByPrefix: Array<Map<number, CanonicalCidr>> = Array.from({ length: 33 }, () => new Map());
let ipv4Cached = 0;

/** A canonical IPv4 CIDR's shared set and its text (a string of its own, not a slice of a source file). */
interface CanonicalCidr {
  set: AddressSet;
  text: string;
}

/** The last canonical CIDR `parseCidr` returned, for `sharedText`. */
let lastCanonical: AddressSet | undefined;
let lastCanonicalText = '';
/** The string `parseCidr` was given for `lastCanonical` (kept until the next call; it may be a slice of a file). */
let lastCanonicalInput = '';

/**
 * The shared set of a canonical IPv4 CIDR `a.b.c.d/n` (no leading zeros, no blanks, no host bits), read with one
 * character loop; undefined for anything else (IPv6, a bare address, junk, host bits), which the general path
 * parses, reports and caches as before. Same sets as `parseCidrUncached` for the texts it accepts.
 */
function canonicalIpv4Cidr(text: string): AddressSet | undefined {
  const length = text.length;
  if (length < 9 || length > 18) return undefined;
  let value = 0;
  let index = 0;
  for (let octets = 0; octets < 4; octets++) {
    const start = index;
    let octet = 0;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code < 48 || code > 57) break;
      octet = octet * 10 + (code - 48);
      index++;
    }
    const digits = index - start;
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48) || octet > 255) return undefined;
    value = value * 256 + octet;
    if (index >= length || text.charCodeAt(index) !== (octets === 3 ? 47 : 46)) return undefined;
    index++;
  }
  const prefixStart = index;
  let prefix = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
    prefix = prefix * 10 + (code - 48);
    index++;
  }
  const digits = index - prefixStart;
  if (digits === 0 || digits > 2 || (digits > 1 && text.charCodeAt(prefixStart) === 48) || prefix > 32) return undefined;
  // Integer operations only (the floating-point `%` of the general path is a C call), and the network's number as
  // the key: below 2^30 for a prefix up to /30, so a small integer that the map hashes without boxing it.
  // `value << prefix` keeps only the host bits (the shift count is taken modulo 32, hence the /32 case).
  if (prefix < 32 && value << prefix !== 0) return undefined;
  const byNetwork = ipv4ByPrefix[prefix]!;
  const key = prefix === 0 ? 0 : value >>> (32 - prefix);
  let entry = byNetwork.get(key);
  if (entry === undefined) {
    if (ipv4Cached >= PARSED_CIDR_LIMIT) {
      for (const map of ipv4ByPrefix) map.clear();
      ipv4Cached = 0;
    }
    // A copy of the text (9-18 characters): a slice of 13 or more would keep its whole source text alive.
    entry = { set: AddressSet.fromInterval(4, BigInt(value), BigInt(value + 2 ** (32 - prefix) - 1)), text: `${text} `.slice(0, -1) };
    byNetwork.set(key, entry);
    ipv4Cached++;
  }
  lastCanonical = entry.set;
  lastCanonicalText = entry.text;
  lastCanonicalInput = text;
  return entry.set;
}

function parseCidrUncached(text: string, options: ParseAddressOptions): AddressSet {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const family: AddressFamily = addressText.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  const address = family === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || (prefixText.length > 1 && prefixText.startsWith('0'))) {
      throw new SetParseError(`invalid prefix length "/${prefixText}" in "${trimmed}"`);
    }
    prefix = Number(prefixText);
    if (prefix > bits) throw new SetParseError(`prefix length /${prefix} is out of range 0-${bits} in "${trimmed}"`);
  }
  if (family === 4) {
    // IPv4 on doubles (exact): the common case, without BigInt masks.
    const value = Number(address);
    const size = 2 ** (32 - prefix);
    const host = value % size;
    if (host !== 0 && (options.hostBits ?? 'error') === 'error') {
      throw new SetParseError(`"${trimmed}" has host bits set (network address is ${formatIpv4(value - host)}/${prefix})`);
    }
    return AddressSet.fromInterval(4, BigInt(value - host), BigInt(value - host + size - 1));
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  let network = address & ~hostMask & V6_MAX;
  if ((address & hostMask) !== 0n) {
    if ((options.hostBits ?? 'error') === 'error') {
      const fixed = `${formatAddress(network, family)}/${prefix}`;
      throw new SetParseError(`"${trimmed}" has host bits set (network address is ${fixed})`);
    }
    network = address & ~hostMask;
  }
  return AddressSet.fromInterval(family, network, network | hostMask);
}

function parseRangeText(text: string): AddressSet {
  const [fromText, toText, extra] = text.split('-');
  if (fromText === undefined || toText === undefined || extra !== undefined) {
    throw new SetParseError(`invalid address range "${text}"`);
  }
  const family: AddressFamily = fromText.includes(':') ? 6 : 4;
  if ((toText.includes(':') ? 6 : 4) !== family) throw new SetParseError(`address range "${text}" mixes IPv4 and IPv6`);
  const parse = family === 4 ? parseIpv4 : parseIpv6;
  const from = parse(fromText.trim());
  const to = parse(toText.trim());
  if (from > to) throw new SetParseError(`reversed address range "${text}"`);
  return AddressSet.fromInterval(family, from, to);
}

/** RFC 1918, CGNAT, loopback, link-local, and IPv6 ULA/link-local/loopback: "private address space" for FW103. */
export const PRIVATE_ADDRESSES = AddressSet.parseList(
  '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, fc00::/7, fe80::/10, ::1/128',
);

/**
 * Loopback (127.0.0.0/8, ::1): a rule to or from it admits nothing that crosses the network. All traffic to
 * 127.0.0.1/32 is AWS's documented placeholder egress, which removes a group's implicit allow-all egress.
 */
export const LOOPBACK_ADDRESSES = AddressSet.parseList('127.0.0.0/8, ::1/128');

/**
 * Every address but `PRIVATE_ADDRESSES`: what Azure's and Windows' `Internet` surely hold. Private, shared, loopback
 * and link-local space is what a virtual network or an intranet usually uses, and `Internet` means "outside" it.
 */
export const PUBLIC_ADDRESSES = AddressSet.ALL.subtract(PRIVATE_ADDRESSES);

/**
 * IPv6 global unicast (IANA): every IPv6 address the internet routes. What lies outside it is unallocated or
 * special-purpose (ULA, link-local, multicast, loopback, IPv4-mapped), so `2000::/3` alone, or `::/1` which holds
 * it, opens a target to the whole IPv6 internet, and a deny of it ahead of `::/0` closes it.
 */
const IPV6_GLOBAL_UNICAST = AddressSet.parseCidr('2000::/3');

/**
 * Public addresses no internet host sends from or is reached at (IANA special-purpose registries, not globally
 * routable): "this network" 0.0.0.0/8, IETF protocol assignments, documentation and benchmarking ranges, multicast
 * and reserved (class E) IPv4; IPv6 outside global unicast (`IPV6_GLOBAL_UNICAST`) and its documentation range. They
 * are what bogon lists deny; a deny of them takes nothing from the internet (`coversInternet`).
 */
const NEVER_INTERNET_HOSTS = AddressSet.parseList(
  '0.0.0.0/8, 192.0.0.0/24, 192.0.2.0/24, 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24, 224.0.0.0/4, 240.0.0.0/4, 2001:db8::/32',
).union(AddressSet.ALL_V6.subtract(IPV6_GLOBAL_UNICAST));

/** Each family's public addresses, as a set and as intervals, and their number. */
const PUBLIC_BY_FAMILY = { 4: spaceOf(PUBLIC_ADDRESSES, 4), 6: spaceOf(PUBLIC_ADDRESSES, 6) } as const;

/** Each family's routable public addresses, which the internet is made of (`coversInternet`). */
const ROUTABLE_ADDRESSES = PUBLIC_ADDRESSES.subtract(NEVER_INTERNET_HOSTS);
const ROUTABLE_BY_FAMILY = { 4: spaceOf(ROUTABLE_ADDRESSES, 4), 6: spaceOf(ROUTABLE_ADDRESSES, 6) } as const;

/**
 * A family's space as a set and as intervals, its size, the fewest addresses that may cover it (`coveringSizeOf`), and
 * the lowest last address a set of that many addresses can have (a set's span starts at 0 at the lowest).
 */
function spaceOf(space: AddressSet, family: AddressFamily): { addresses: AddressSet; intervals: IntervalSet; size: bigint; coveringSize: bigint; lowestCoveringEnd: bigint } {
  const addresses = space.intersect(family === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6);
  const intervals = IntervalSet.of(addresses.intervalsOf(family));
  const size = intervals.size();
  const coveringSize = coveringSizeOf(size);
  return { addresses, intervals, size, coveringSize, lowestCoveringEnd: coveringSize - 1n };
}

/**
 * The fewest addresses that leave out fewer than 1/256 of `routableSize` (`(routableSize - n) * 256 < routableSize`):
 * `mayCoverInternet` is then one comparison, without BigInt products per call.
 */
export function coveringSizeOf(routableSize: bigint): bigint {
  return routableSize - (routableSize - 1n) / 256n;
}

/** The public addresses (`PUBLIC_ADDRESSES`) of one family. */
export function publicAddressesOf(family: AddressFamily): AddressSet {
  return PUBLIC_BY_FAMILY[family].addresses;
}

/** The routable public addresses of one family: the internet's (`coversInternet`). */
export function routableAddressesOf(family: AddressFamily): AddressSet {
  return ROUTABLE_BY_FAMILY[family].addresses;
}

/**
 * Whether sets of `size` addresses of one family in all (overlaps counted twice) could cover the internet on it
 * (`coversInternet`): only if they leave out fewer than 1/256 of its public addresses even when all are public.
 */
export function mayCoverInternet(size: bigint, family: AddressFamily): boolean {
  return size >= ROUTABLE_BY_FAMILY[family].coveringSize;
}

function parseIpv4(text: string): bigint {
  // A character loop on numbers (an IPv4 address fits a double exactly): no regex, no BigInt per octet.
  let value = 0;
  let octets = 0;
  let index = 0;
  const length = text.length;
  while (true) {
    const start = index;
    let octet = 0;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code < 48 || code > 57) break;
      octet = octet * 10 + (code - 48);
      index++;
    }
    const digits = index - start;
    if (digits === 0 || digits > 3) throw new SetParseError(`invalid IPv4 address "${text}"`);
    if (digits > 1 && text.charCodeAt(start) === 48) throw new SetParseError(`IPv4 address "${text}" has a leading zero`);
    if (octet > 255) throw new SetParseError(`IPv4 address "${text}" has an octet over 255`);
    value = value * 256 + octet;
    octets++;
    if (index === length) break;
    if (text.charCodeAt(index) !== 46 || octets === 4) throw new SetParseError(`invalid IPv4 address "${text}"`);
    index++;
  }
  if (octets !== 4) throw new SetParseError(`invalid IPv4 address "${text}"`);
  return BigInt(value);
}

function parseIpv6(text: string): bigint {
  if (text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) throw new SetParseError(`invalid IPv6 address "${text}"`);
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const doubleColon = head.indexOf('::');
  if (doubleColon !== -1 && head.indexOf('::', doubleColon + 1) !== -1) {
    throw new SetParseError(`invalid IPv6 address "${text}" (more than one "::")`);
  }
  const splitGroups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  let groups: string[];
  if (doubleColon === -1) {
    groups = head.split(':');
    if (groups.length !== 8) throw new SetParseError(`invalid IPv6 address "${text}"`);
  } else {
    const left = splitGroups(head.slice(0, doubleColon));
    const right = splitGroups(head.slice(doubleColon + 2));
    const missing = 8 - left.length - right.length;
    if (missing < 1) throw new SetParseError(`invalid IPv6 address "${text}"`);
    groups = [...left, ...new Array<string>(missing).fill('0'), ...right];
  }
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) throw new SetParseError(`invalid IPv6 address "${text}"`);
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Formats one address; IPv6 per RFC 5952 (lower case, longest zero run compressed). */
export function formatAddress(value: bigint, family: AddressFamily): string {
  if (family === 4) return formatIpv4(Number(value));
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function formatIpv4(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

function intervalsToCidrs(set: IntervalSet, family: AddressFamily): string[] {
  return family === 4 ? ipv4IntervalsToCidrs(set) : ipv6IntervalsToCidrs(set);
}

function ipv6IntervalsToCidrs(set: IntervalSet): string[] {
  const bits = 128n;
  const out: string[] = [];
  for (const [lo, hi] of set.intervals) {
    let start = lo;
    while (start <= hi) {
      // Largest aligned block starting at `start` that fits in [start, hi].
      let size = 0n;
      while (size < bits) {
        const next = size + 1n;
        const blockMask = (1n << next) - 1n;
        if ((start & blockMask) !== 0n || start + blockMask > hi) break;
        size = next;
      }
      out.push(`${formatAddress(start, 6)}/${bits - size}`);
      start += 1n << size;
    }
  }
  return out;
}

/** `intervalsToCidrs` for IPv4 on doubles (exact below 2^53): the common case, without a BigInt per step. */
function ipv4IntervalsToCidrs(set: IntervalSet): string[] {
  const out: string[] = [];
  for (const [loBig, hiBig] of set.intervals) {
    const hi = Number(hiBig);
    let start = Number(loBig);
    while (start <= hi) {
      // Largest aligned block starting at `start` that fits in [start, hi].
      let size = 0;
      let block = 1;
      while (size < 32 && start % (block * 2) === 0 && start + block * 2 - 1 <= hi) {
        size++;
        block *= 2;
      }
      out.push(`${formatIpv4(start)}/${32 - size}`);
      start += block;
    }
  }
  return out;
}
