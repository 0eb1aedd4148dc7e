import { AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import type { Rule } from '../model/rule';

/*
 * ICMP messages as a set: each (type, code) pair is the number type × 256 + code, so a rule's "type 8, any code" is
 * one interval and "every type" is 0-65535. Sets of messages union, intersect and compare like port sets, which is
 * what lets FW101 combine ICMP rules as exactly as TCP ones.
 */

export const ICMP_V4_PROTOCOL = 1;
export const ICMP_V6_PROTOCOL = 58;

/** Every ICMP message (every type, every code). */
export const ALL_ICMP_MESSAGES = IntervalSet.range(0n, 65535n);

/**
 * Names of the ICMP types people write in firewall rules, as iptables and `ip6tables` spell them. Sources: IANA "ICMP
 * Type Numbers" and "ICMPv6 Parameters" registries; RFC 792 (ICMPv4), RFC 4443 (ICMPv6), RFC 4861 (neighbor
 * discovery), RFC 2710 and RFC 3810 (multicast listener discovery).
 */
const ICMP_V4_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'echo-reply'], [3, 'destination-unreachable'], [4, 'source-quench'], [5, 'redirect'], [8, 'echo-request'],
  [9, 'router-advertisement'], [10, 'router-solicitation'], [11, 'time-exceeded'], [12, 'parameter-problem'],
  [13, 'timestamp-request'], [14, 'timestamp-reply'], [17, 'address-mask-request'], [18, 'address-mask-reply'],
]);
const ICMP_V6_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'destination-unreachable'], [2, 'packet-too-big'], [3, 'time-exceeded'], [4, 'parameter-problem'],
  [128, 'echo-request'], [129, 'echo-reply'], [130, 'multicast-listener-query'], [131, 'multicast-listener-report'],
  [132, 'multicast-listener-done'], [133, 'router-solicitation'], [134, 'router-advertisement'],
  [135, 'neighbor-solicitation'], [136, 'neighbor-advertisement'], [137, 'redirect'], [143, 'multicast-listener-report-v2'],
]);

/** The ICMP version a protocol set is, when it is exactly ICMPv4 (1) or exactly ICMPv6 (58); undefined otherwise. */
export function icmpVersionOf(protocols: IntervalSet): 4 | 6 | undefined {
  // Read for every grant of a scan: one interval of one member, compared as numbers.
  const { intervals } = protocols;
  if (intervals.length !== 1 || intervals[0]![0] !== intervals[0]![1]) return undefined;
  const value = intervals[0]![0];
  return value === 1n ? 4 : value === 58n ? 6 : undefined;
}

/** The messages a rule's ICMP type and code admit: every message when the type (or the whole field) is any. */
export function icmpMessagesOf(icmp: Rule['icmp']): IntervalSet {
  if (icmp === undefined || icmp.type === 'any') return ALL_ICMP_MESSAGES;
  const base = BigInt(icmp.type) * 256n;
  return icmp.code === 'any' ? IntervalSet.range(base, base + 255n) : IntervalSet.range(base + BigInt(icmp.code), base + BigInt(icmp.code));
}

/**
 * The ICMP messages a grant admits when they are not all of them: what a deny of some ICMP types left (its `icmp`),
 * else the type and code its rule names. Undefined for every message, and for a grant that is not exactly ICMPv4 or
 * ICMPv6 (the ICMP part of an all-protocol rule has messages only once a deny cut them).
 */
export function restrictedIcmpMessages(grant: { protocols: IntervalSet; icmp?: IntervalSet; rule: Pick<Rule, 'protocol' | 'icmp'> }): IntervalSet | undefined {
  if (icmpVersionOf(grant.protocols) === undefined) return undefined;
  const messages = grant.icmp ?? (grant.rule.protocol.kind === 'any' ? ALL_ICMP_MESSAGES : icmpMessagesOf(grant.rule.icmp));
  return messages === ALL_ICMP_MESSAGES || messages.containsAll(ALL_ICMP_MESSAGES) ? undefined : messages;
}

/**
 * The addresses ICMP traffic of one version can come from or go to: ICMPv4 reaches only IPv4 addresses and ICMPv6
 * only IPv6 ones, so an ICMPv4 rule's `::/0` admits nothing. Other protocol sets keep every address.
 */
export function icmpReachableAddresses(protocols: IntervalSet, addresses: AddressSet): AddressSet {
  const version = icmpVersionOf(protocols);
  if (version === undefined) return addresses;
  return addresses.intersect(version === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6);
}

/** One ICMP type of a message set, with the codes of it the set holds (all of them, or some). */
export interface IcmpTypeEntry {
  protocol: 'icmp' | 'icmpv6';
  /** A type, `'any'`, or a run of types with every code as range text (`'9-255'`). */
  type: number | string;
  /** A code, `'any'`, or a run of codes of the type as range text (`'0-200'`). */
  code: number | string;
  /** The type's usual name (`echo-request`), when it is one type that has one. */
  name?: string;
}

/**
 * The message set as JSON/SARIF data: `[{ protocol: 'icmp', type: 'any', code: 'any' }]` for every message, else one
 * entry per type with all its codes, and one per code where only some codes are in; runs of three or more types with
 * every code (or codes of one type) are one entry as range text, so that every type but echo-request is two entries
 * (`0-7`, `9-255`), not 255. Exact, ascending; never empty for a non-empty set.
 */
export function icmpEntries(version: 4 | 6, messages: IntervalSet): IcmpTypeEntry[] {
  const protocol = version === 4 ? 'icmp' : 'icmpv6';
  if (messages.containsAll(ALL_ICMP_MESSAGES)) return [{ protocol, type: 'any', code: 'any' }];
  const entries: IcmpTypeEntry[] = [];
  const types = typeEntries(version, messages);
  for (let i = 0; i < types.length; ) {
    const { type, codes, name } = types[i]!;
    let end = i;
    while (codes === null && types[end + 1]?.codes === null && types[end + 1]!.type === types[end]!.type + 1) end++;
    if (end - i + 1 >= MIN_RANGE_RUN) {
      entries.push({ protocol, type: `${type}-${types[end]!.type}`, code: 'any' });
      i = end + 1;
      continue;
    }
    const codeTexts: Array<number | string> = codes === null ? ['any'] : codes.flatMap(([lo, hi]) => runOrMembers(lo, hi));
    for (const code of codeTexts) entries.push(name === undefined ? { protocol, type, code } : { protocol, type, code, name });
    i++;
  }
  return entries;
}

/**
 * The ICMP types and codes of a traffic box that holds only some of them, as a finding's properties carry them
 * (`{ icmp: [...] }`); nothing for every other box.
 */
export function icmpProperty(box: { protocols: IntervalSet; icmp?: IntervalSet }): { icmp?: IcmpTypeEntry[] } {
  const version = box.icmp === undefined ? undefined : icmpVersionOf(box.protocols);
  return version === undefined ? {} : { icmp: icmpEntries(version, box.icmp!) };
}

/** Runs at least this long are written as range text in `icmpEntries`. */
const MIN_RANGE_RUN = 3;

function runOrMembers(lo: number, hi: number): Array<number | string> {
  if (hi - lo + 1 >= MIN_RANGE_RUN) return [`${lo}-${hi}`];
  return lo === hi ? [lo] : [lo, hi];
}

/** One ICMP type of a message set: its code ranges (null for every code of it) and usual name. */
interface TypeEntry {
  type: number;
  codes: Array<[number, number]> | null;
  name: string | undefined;
}

/**
 * One entry per type of a message set, in one walk over its intervals (a set of "all but one type" is read in one
 * pass, not with 256 intersections).
 */
function typeEntries(version: 4 | 6, messages: IntervalSet): TypeEntry[] {
  const names = version === 4 ? ICMP_V4_TYPE_NAMES : ICMP_V6_TYPE_NAMES;
  const entries: TypeEntry[] = [];
  for (const [lo, hi] of messages.intervals) {
    const last = Number(hi);
    for (let message = Number(lo); message <= last; ) {
      const type = Math.floor(message / 256);
      const end = Math.min(last, type * 256 + 255);
      let entry = entries[entries.length - 1];
      if (entry === undefined || entry.type !== type) {
        entry = { type, codes: [], name: names.get(type) };
        entries.push(entry);
      }
      entry.codes!.push([message - type * 256, end - type * 256]);
      message = end + 1;
    }
  }
  // Intervals are merged, so a type with every code is one range 0-255.
  for (const entry of entries) if (entry.codes!.length === 1 && entry.codes![0]![0] === 0 && entry.codes![0]![1] === 255) entry.codes = null;
  return entries;
}

/**
 * Canonical text of an ICMP message set: `icmp (all types)`, `icmp echo-request (type 8)`,
 * `icmp destination-unreachable (type 3, codes 0, 1), echo-request (type 8)`, `icmpv6 type 200`; a set that is every
 * message but a few types or codes is named by what it lacks, when that is shorter:
 * `icmp (all types except echo-request (type 8))` (a deny of echo requests before an allow of all ICMP). With
 * `maxTypes`, types past that many are counted, not named (`… and 12 more types`).
 */
export function describeIcmp(version: 4 | 6, messages: IntervalSet, maxTypes = Infinity): string {
  const protocol = version === 4 ? 'icmp' : 'icmpv6';
  if (messages.containsAll(ALL_ICMP_MESSAGES)) return `${protocol} (all types)`;
  const missing = ALL_ICMP_MESSAGES.subtract(messages);
  // Only the shorter list is written out: every type but one would be 255 texts (FW201 names many such sets).
  if (typeCount(missing) < typeCount(messages)) return `${protocol} (all types except ${listed(typeTexts(version, missing), maxTypes)})`;
  return `${protocol} ${listed(typeTexts(version, messages), maxTypes)}`;
}

/**
 * What of every ICMP message is allowed, when a flow that needs all of them misses `missing` and the allowed rest is
 * the shorter list (an echo-request rule under NetApp's all-ICMP keep-alive): `icmp echo-request (type 8, code 0)`.
 * Undefined when nothing is allowed, or when the missing part is the shorter one (a NACL deny of one type), which the
 * text of the missing part already names.
 */
export function allowedShareOfIcmp(version: 4 | 6, missing: IntervalSet, maxTypes = Infinity): string | undefined {
  const allowed = ALL_ICMP_MESSAGES.subtract(missing);
  if (allowed.isEmpty() || typeCount(allowed) >= typeCount(missing)) return undefined;
  return describeIcmp(version, allowed, maxTypes);
}

function listed(texts: readonly string[], max: number): string {
  return texts.length > max ? `${texts.slice(0, max).join(', ')} and ${texts.length - max} more types` : texts.join(', ');
}

/** How many types have at least one message in the set (as many as `typeTexts` writes). */
function typeCount(messages: IntervalSet): number {
  let count = 0;
  let lastType = -1;
  for (const [lo, hi] of messages.intervals) {
    const first = Number(lo / 256n);
    const last = Number(hi / 256n);
    count += last - first + (first === lastType ? 0 : 1);
    lastType = last;
  }
  return count;
}

/** One text per ICMP type of a message set: `echo-request (type 8)`, `destination-unreachable (type 3, codes 0, 1)`. */
function typeTexts(version: 4 | 6, messages: IntervalSet): string[] {
  return typeEntries(version, messages).map(({ type, codes, name }) => {
    const members = codes === null ? [] : codes.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, offset) => lo + offset));
    const codeText = codes === null ? '' : `, code${members.length > 1 ? 's' : ''} ${members.join(', ')}`;
    return name === undefined ? `type ${type}${codeText}` : `${name} (type ${type}${codeText})`;
  });
}

/**
 * One message of the set for a witness flow: an echo request when the set has it (what a scanner sends first), else
 * the lowest message. `{ type, code }`.
 */
export function icmpWitness(version: 4 | 6, messages: IntervalSet): { type: number; code: number } {
  const echoRequest = BigInt(version === 4 ? 8 : 128) * 256n;
  const message = messages.has(echoRequest) ? echoRequest : messages.first() ?? 0n;
  return { type: Number(message / 256n), code: Number(message % 256n) };
}

