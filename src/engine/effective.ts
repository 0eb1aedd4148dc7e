import { AddressSet, unionOf } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { describePeer, type Peer } from '../model/peer';
import { PortSet } from '../model/port-set';
import { hasPorts, type Protocol } from '../model/protocol';
import { branchesCompatible, branchOfLiterals, branchLiterals, branchWorlds, negatedBranchCells, type Branched } from '../model/branch';
import { constructAfter, type Direction, type Rule } from '../model/rule';
import type { Target } from '../model/target';
import { ALL_ICMP_MESSAGES, ICMP_V4_PROTOCOL, ICMP_V6_PROTOCOL, icmpMessagesOf, icmpReachableAddresses } from './icmp';
import { portRanges, rangesOverlap } from './set-facts';
import { wholeFamilyRegions, type ExactBlock, type WholeFamilyRegion } from './block-unions';

/** Windows profiles as a bit set; other platforms use ALL_PROFILES. */
export const PROFILE_BITS: Record<string, number> = { domain: 1, private: 2, public: 4 };
export const ALL_PROFILES = 7;

/**
 * The part of one allow rule that takes effect: protocols × ports × addresses × profiles, after every
 * higher-precedence deny has been removed. Symbolic peers (security group refs, prefix lists, tags, unknowns)
 * have no addresses; they are kept as `peer` so coverage and FW303 can still see them.
 */
export interface Grant {
  rule: Rule;
  direction: Direction;
  protocols: IntervalSet;
  ports: PortSet;
  /** Undefined for symbolic peers. */
  addresses?: AddressSet;
  profiles: number;
  /** The platform's default policy, not a written rule (Windows allows outbound unless a rule blocks it). */
  isPlatformDefault?: boolean;
  /**
   * The ICMP messages (`icmpMessagesOf`) an ICMP grant admits, when deny rules for some ICMP types precede its rule
   * (a NACL deny of echo requests before an allow of all ICMP); undefined: every message its rule names.
   */
  icmp?: IntervalSet;
  /**
   * The condition under which this part of the rule takes effect, where it is narrower than the rule's own branch: a
   * deny that exists only under a condition closes it otherwise (`IsProd=false` where a deny under `IsProd` precedes
   * an unconditional allow). Undefined: the rule's branch.
   */
  when?: Branched;
}

/**
 * A box of traffic: the unit the precedence algebra works on. A keyword peer (Windows `LocalSubnet`, `DNS`, …) has no
 * addresses until run time: its box has `keyword` instead, and the exact addresses denies took out of it (`removed`);
 * it is empty once they hold every address it can reach, whatever the keyword stands for (a block from `Any`, or from
 * `0.0.0.0/0` and `::/0`), or when a deny of the same keyword covers it.
 */
interface Box {
  protocols: IntervalSet;
  ports: PortSet;
  addresses?: AddressSet;
  profiles: number;
  /**
   * The ICMP messages, only where a deny of some ICMP types meets an ICMP allow of that version (`cutsIcmpMessages`):
   * on the deny's box and the allow's. Undefined: every message, and the dimension plays no part.
   */
  icmp: IntervalSet | undefined;
  /** The keyword of a keyword peer's box (then `addresses` is undefined). */
  keyword: string | undefined;
  /** A keyword box's addresses that denies removed (`keywordShare`); undefined: none. */
  removed: AddressSet | undefined;
  /**
   * A deny's box: the addresses it takes out of a keyword's box, those of each address family its written rule holds
   * whole (`0.0.0.0/0`, `::/0`, `0.0.0.0/1,128.0.0.0/1`); undefined: none. Narrower blocks count towards a keyword
   * only where they hold every address together (`wholeFamilyRegions`, a deny box of its own): tracking each one's
   * addresses would split keyword boxes by every block's ports on a host with thousands of blocks.
   */
  keywordShare: AddressSet | undefined;
  /**
   * `addresses` stand in for a set Windows computes at run time (`Internet`, `Peer.isApproximate`): they count for
   * breadth, but a deny of them removes nothing from a keyword, and a shadow they make is checked again without them.
   */
  approximate: boolean;
}

export interface EffectiveSet {
  in: Grant[];
  out: Grant[];
  /**
   * Allow rules that admit nothing (FW301's input): fully overridden by `by`, or (`icmpFamily`) ICMP of one version to addresses of
   * the other family only (an ICMPv4 rule from `::/0`).
   */
  shadowed: Array<{ rule: Rule; by: Rule[]; icmpFamily?: true }>;
  /**
   * Windows: what the allow rules that a block from a run-time set (`Internet`) touched admit when such a block is not
   * taken to hold their addresses. The breadth checks judge `in`/`out`, where it takes every address away; but the
   * intranet is known only at run time (a block from Internet may leave an allow from `10.0.0.0/8` open), so a
   * required flow (FW201) counts these too and is never called blocked on that. Each rule's grants in `in`/`out` lie
   * inside its pieces here.
   */
  possiblyAllowed: { in: Grant[]; out: Grant[] };
  /**
   * Allow rules whose ports or protocol could not be resolved (`unresolvedTrafficBox`; FW303 names the value), as
   * what they admit on whichever ports and protocols those turn out to be: every port of their protocol, or every
   * protocol on their ports, minus the denies that take precedence. Kept apart from `in`/`out`, which hold only what
   * is known to be allowed, so that FW101 can report a rule from the whole internet without other checks taking every
   * port or protocol for written.
   */
  unresolvedTraffic: { in: Grant[]; out: Grant[] };
}

const ALL_PROTOCOLS = IntervalSet.range(0n, 255n);
/** One shared set per protocol number: every rule used to build its own, and sets are immutable. */
const SINGLE_PROTOCOLS: IntervalSet[] = [];

export function protocolSet(protocol: Protocol): IntervalSet {
  if (protocol.kind === 'any') return ALL_PROTOCOLS;
  // An unresolved protocol admits none for certain (`unresolvedTrafficBox` judges it on every protocol it could be).
  if (protocol.kind === 'unknown') return IntervalSet.EMPTY;
  const { value } = protocol;
  if (!Number.isInteger(value) || value < 0 || value > 255) return IntervalSet.range(BigInt(value), BigInt(value));
  return (SINGLE_PROTOCOLS[value] ??= IntervalSet.range(BigInt(value), BigInt(value)));
}

/** The profiles a rule applies on, as bits (ALL_PROFILES off Windows). */
export function profileBits(rule: Rule): number {
  if (!rule.profiles || rule.profiles.length === 0) return ALL_PROFILES;
  let bits = 0;
  for (const profile of rule.profiles) bits |= PROFILE_BITS[profile.toLowerCase()] ?? ALL_PROFILES;
  return bits;
}

function peerAddressesOf(peer: Peer): AddressSet | undefined {
  return peer.kind === 'addresses' ? peer.addresses : undefined;
}

/** The addresses a rule's traffic can come from or go to; undefined for a symbolic peer. */
function reachableAddresses(rule: Rule, protocols: IntervalSet): AddressSet | undefined {
  const peerAddresses = peerAddressesOf(rule.peer);
  // ICMPv4 reaches only IPv4 addresses and ICMPv6 only IPv6 ones: an ICMPv4 rule from `::/0` admits nothing.
  return peerAddresses === undefined ? undefined : icmpReachableAddresses(protocols, peerAddresses);
}

function ruleBox(rule: Rule): Box {
  const protocols = protocolSet(rule.protocol);
  const addresses = reachableAddresses(rule, protocols);
  const peer = rule.peer;
  const keyword = peer.kind === 'keyword' ? peer.name : undefined;
  const approximate = peer.kind === 'addresses' && peer.isApproximate === true;
  // One shape for every box and grant (all properties, in one order): the engine's code stays optimized.
  return { protocols, ports: rule.ports, addresses, profiles: profileBits(rule), icmp: undefined, keyword, removed: undefined, keywordShare: undefined, approximate };
}

/**
 * A box as far as it is certain: addresses that stand in for a run-time set (`Internet`) are a keyword of their own
 * (it holds itself, and what exact denies remove from every address is removed from it; no CIDR or keyword is known
 * to lie inside it).
 */
function certainBox(box: Box, peer: Peer): Box {
  return box.approximate ? { ...box, addresses: undefined, keyword: describePeer(peer), approximate: false } : box;
}

/**
 * Whether a rule of a protocol with ports holds none only because they could not be resolved (a CloudFormation
 * `FromPort: !Ref Port` without a value, a netsh `localport=%PORT%`): the parsers leave such ports empty and record
 * the value among the rule's unknowns. Not a Windows port keyword whose ports Windows assigns at run time (`Teredo`,
 * `PlayToDiscovery`): those are one service's ports, not a value of the author's left open, and the built-in rules
 * that name them are on every host.
 */
function hasUnresolvedPorts(rule: Rule): boolean {
  return rule.ports.isEmpty() && rule.protocol.kind === 'number' && hasPorts(rule.protocol) && (rule.portKeywords ?? []).length === 0 &&
    unresolvedPortExpressions(rule).length > 0;
}

/** The expressions, as written, of a rule's port fields that could not be resolved (`FromPort`, `PortRange`, netsh `ports`). */
export function unresolvedPortExpressions(rule: Rule): string[] {
  return rule.unknowns.filter((unknown) => /port/i.test(unknown.field)).map((unknown) => unknown.expr);
}

/**
 * The empty box of a rule whose traffic could not be resolved, on all it could be; else undefined. Unresolved ports
 * (`hasUnresolvedPorts`): every port of its protocol the known bound leaves (`possiblePortsOf`). An unresolved
 * protocol: every protocol (it may be `-1`, all traffic) on its ports, or on every port where those are unresolved too.
 */
function unresolvedTrafficBox(rule: Rule, box: Box): Box | undefined {
  let possible: Box;
  if (rule.protocol.kind === 'unknown') {
    const peerAddresses = peerAddressesOf(rule.peer);
    possible = { ...box, protocols: ALL_PROTOCOLS, ports: rule.ports.isEmpty() ? possiblePortsOf(rule) : rule.ports, addresses: peerAddresses && icmpReachableAddresses(ALL_PROTOCOLS, peerAddresses) };
  } else if (hasUnresolvedPorts(rule)) possible = { ...box, ports: possiblePortsOf(rule) };
  else return undefined;
  return boxIsEmpty(possible) ? undefined : possible;
}

/** Every port a rule on unresolved ports could open: all, but those a known bound rules out (`UnknownValue.portsWithin`). */
export function possiblePortsOf(rule: Rule): PortSet {
  let ports = PortSet.ALL;
  for (const unknown of rule.unknowns) if (unknown.portsWithin) ports = ports.intersect(unknown.portsWithin);
  return ports;
}

function boxIsEmpty(box: Box): boolean {
  return box.protocols.isEmpty() || box.ports.isEmpty() || box.profiles === 0 || (box.addresses !== undefined && box.addresses.isEmpty()) || (box.icmp !== undefined && box.icmp.isEmpty()) ||
    (box.removed !== undefined && keywordAddressesLeft(box.protocols, box.removed).isEmpty());
}

/** What a keyword box can still reach: every address its protocols reach (ICMPv4 only IPv4) but those removed. */
function keywordAddressesLeft(protocols: IntervalSet, removed: AddressSet): AddressSet {
  return icmpReachableAddresses(protocols, AddressSet.ALL).subtract(removed);
}

/**
 * `a − b` as disjoint boxes, dimension by dimension: exact, no approximation. A deny whose peer is symbolic
 * cannot be subtracted from addresses, so it removes nothing (reported by FW303 where it comes from an unknown). From
 * a keyword's box a deny of the same keyword removes its share, and a deny's `keywordShare` is added to `removed`.
 */
function subtractBox(a: Box, b: Box): Box[] {
  // An ICMP-type deny against a keyword's box is not split by message: it removes nothing (never a false shadow).
  if (a.addresses === undefined) return a.keyword !== undefined && b.icmp === undefined ? subtractFromKeyword(a, b) : [a];
  if (b.addresses === undefined) return [a];
  if (b.icmp !== undefined) return subtractIcmpBox(a, b);
  // Disjoint boxes are the common case (a piece of an allow rule against another block rule): answer it without
  // building the four intersections.
  if ((a.profiles & b.profiles) === 0 || !a.protocols.overlaps(b.protocols)) return [a];
  if (!a.ports.overlaps(b.ports) || !a.addresses.overlaps(b.addresses)) return [a];
  // A block rule usually covers the piece in every dimension but one: then the difference is that dimension's
  // alone (the pieces below for the covered dimensions would be empty), without the four intersections.
  if ((a.profiles & ~b.profiles) === 0 && b.protocols.containsAll(a.protocols)) {
    if (b.ports.containsAll(a.ports)) {
      const addresses = a.addresses.subtract(b.addresses);
      return addresses.isEmpty() ? [] : [{ protocols: a.protocols, ports: a.ports, addresses, profiles: a.profiles, icmp: a.icmp, keyword: undefined, removed: undefined, keywordShare: undefined, approximate: a.approximate }];
    }
    if (b.addresses.containsAll(a.addresses)) {
      return [{ protocols: a.protocols, ports: a.ports.subtract(b.ports), addresses: a.addresses, profiles: a.profiles, icmp: a.icmp, keyword: undefined, removed: undefined, keywordShare: undefined, approximate: a.approximate }];
    }
  }
  const sharedProtocols = a.protocols.intersect(b.protocols);
  const sharedPorts = a.ports.intersect(b.ports);
  const sharedProfiles = a.profiles & b.profiles;
  const sharedAddresses = a.addresses.intersect(b.addresses);
  if (sharedProtocols.isEmpty() || sharedPorts.isEmpty() || sharedProfiles === 0 || sharedAddresses.isEmpty()) return [a];
  const approximate = a.approximate;
  const pieces: Box[] = [
    { protocols: a.protocols.subtract(b.protocols), ports: a.ports, addresses: a.addresses, profiles: a.profiles, icmp: a.icmp, keyword: undefined, removed: undefined, keywordShare: undefined, approximate },
    { protocols: sharedProtocols, ports: a.ports.subtract(b.ports), addresses: a.addresses, profiles: a.profiles, icmp: a.icmp, keyword: undefined, removed: undefined, keywordShare: undefined, approximate },
    { protocols: sharedProtocols, ports: sharedPorts, addresses: a.addresses, profiles: a.profiles & ~b.profiles, icmp: a.icmp, keyword: undefined, removed: undefined, keywordShare: undefined, approximate },
    { protocols: sharedProtocols, ports: sharedPorts, addresses: a.addresses.subtract(b.addresses), profiles: sharedProfiles, icmp: a.icmp, keyword: undefined, removed: undefined, keywordShare: undefined, approximate },
  ];
  return pieces.filter((piece) => !boxIsEmpty(piece));
}

/** Whether a deny's box takes something out of a keyword's: it is the same keyword, or has a `keywordShare`. */
function reachesKeyword(deny: Box, keyword: string): boolean {
  return deny.addresses === undefined ? deny.keyword === keyword : deny.keywordShare !== undefined;
}

/**
 * `a − b` for a keyword's box `a`: what lies outside b's protocols, ports or profiles as it is; the shared part is gone
 * when `b` is the same keyword, and otherwise has b's `keywordShare` added to `removed` (gone once that holds every
 * address it can reach: a block from `0.0.0.0/0` and one from `::/0` together hold any keyword).
 */
function subtractFromKeyword(a: Box, b: Box): Box[] {
  if (!reachesKeyword(b, a.keyword!)) return [a];
  if ((a.profiles & b.profiles) === 0 || !a.protocols.overlaps(b.protocols) || !a.ports.overlaps(b.ports)) return [a];
  const sharedProtocols = a.protocols.intersect(b.protocols);
  let removed: AddressSet | undefined;
  if (b.keywordShare !== undefined) {
    // Addresses the shared part cannot reach, or that are out of it already, change nothing.
    const added = icmpReachableAddresses(sharedProtocols, b.keywordShare);
    if (a.removed === undefined ? added.isEmpty() : a.removed.containsAll(added)) return [a];
    removed = a.removed === undefined ? added : a.removed.union(added);
  } else if (b.removed !== undefined) {
    // `b` is a piece of an allow of the same keyword that denies narrowed (`subtractPerWorld` compares what worlds
    // leave): it reaches the keyword's addresses but those removed, and the shared part of `a` keeps them.
    const unreached = AddressSet.ALL.subtract(b.removed);
    removed = a.removed === undefined ? unreached : a.removed.union(unreached);
  }
  const sharedPorts = a.ports.intersect(b.ports);
  const { keyword, icmp } = a;
  const pieces: Box[] = [
    { protocols: a.protocols.subtract(b.protocols), ports: a.ports, addresses: undefined, profiles: a.profiles, icmp, keyword, removed: a.removed, keywordShare: undefined, approximate: false },
    { protocols: sharedProtocols, ports: a.ports.subtract(b.ports), addresses: undefined, profiles: a.profiles, icmp, keyword, removed: a.removed, keywordShare: undefined, approximate: false },
    { protocols: sharedProtocols, ports: sharedPorts, addresses: undefined, profiles: a.profiles & ~b.profiles, icmp, keyword, removed: a.removed, keywordShare: undefined, approximate: false },
  ];
  if (removed !== undefined) pieces.push({ protocols: sharedProtocols, ports: sharedPorts, addresses: undefined, profiles: a.profiles & b.profiles, icmp, keyword, removed, keywordShare: undefined, approximate: false });
  return pieces.filter((piece) => !boxIsEmpty(piece));
}

/**
 * `a − b` where `b` holds some ICMP messages only: the messages of `a` that `b` does not hold, as they are, then those
 * it does hold minus `b`'s other four dimensions (the ICMP messages split first, as protocols do in `subtractBox`, so
 * that a deny of echo requests from `0.0.0.0/1` leaves one piece open to the world on every other type). Exact and
 * disjoint, like `subtractBox`.
 */
function subtractIcmpBox(a: Box, b: Box): Box[] {
  // An allow of more than that ICMP version (every protocol): only its ICMP part has messages to cut, and reaches
  // the addresses of that version only; the other protocols pass the deny untouched.
  if (a.icmp === undefined && !b.protocols.containsAll(a.protocols)) {
    if (!a.protocols.overlaps(b.protocols)) return [a];
    const others: Box = { protocols: a.protocols.subtract(b.protocols), ports: a.ports, addresses: a.addresses, profiles: a.profiles, icmp: undefined, keyword: undefined, removed: undefined, keywordShare: undefined, approximate: a.approximate };
    const icmpProtocols = a.protocols.intersect(b.protocols);
    const icmpAddresses = icmpReachableAddresses(icmpProtocols, a.addresses!);
    if (icmpAddresses.isEmpty()) return [others];
    const icmpPart: Box = { protocols: icmpProtocols, ports: a.ports, addresses: icmpAddresses, profiles: a.profiles, icmp: ALL_ICMP_MESSAGES, keyword: undefined, removed: undefined, keywordShare: undefined, approximate: a.approximate };
    return [others, ...subtractIcmpBox(icmpPart, b)];
  }
  const messages = a.icmp ?? ALL_ICMP_MESSAGES;
  const denied = b.icmp!;
  if (!messages.overlaps(denied)) return [a];
  const shared = subtractBox({ ...a, icmp: messages.intersect(denied) }, { ...b, icmp: undefined });
  const rest = messages.subtract(denied);
  if (rest.isEmpty()) return shared;
  return [{ ...a, icmp: rest }, ...shared];
}

/**
 * Which deny rules take precedence over an allow rule, per platform semantics (formats.md §1.8, §4.3):
 * NACL/NSG first match by ascending number; GCP ascending priority with deny winning ties; Windows block beats
 * allow regardless of order (bypass beats block); AWS security groups have no denies. On the ordered platforms a
 * null priority is an unknown one: judged conservatively, it neither hides an allow nor is hidden.
 */
export function precedingDenies(allow: Rule, denies: Rule[]): Rule[] {
  const applicable = denies.some(hasNarrowingConditions)
    ? denies.filter((deny) => denyReaches(allow, deny) || (cutsIcmpMessages(allow, deny) && conditionsReach(allow, deny)))
    : denies;
  return precedingByPlatform(allow, applicable);
}

/**
 * Whether `deny` names some ICMP types and `allow` is ICMP of the same version, or every protocol: the deny then
 * takes those messages out of the allow (a NACL deny of echo requests before an allow of all ICMP, or of all
 * traffic, leaves every other type open), which the engine computes in the ICMP message dimension of the boxes
 * (`Box.icmp`).
 */
function cutsIcmpMessages(allow: Rule, deny: Rule): boolean {
  if (deny.icmp === undefined || deny.icmp.type === 'any' || deny.protocol.kind !== 'number') return false;
  if (deny.protocol.value !== ICMP_V4_PROTOCOL && deny.protocol.value !== ICMP_V6_PROTOCOL) return false;
  // An unresolved protocol is judged on every protocol it could be, as `any` is.
  return allow.protocol.kind !== 'number' || allow.protocol.value === deny.protocol.value;
}

/** A deny with an ICMP type, local addresses or conditions the sets do not model (see `denyReaches`). */
function hasNarrowingConditions(deny: Rule): boolean {
  return deny.conditions !== undefined || narrowsLocalAddresses(deny) || (deny.icmp !== undefined && deny.icmp.type !== 'any');
}

/**
 * Whether an Azure NSG rule holds for some local addresses only (its destination prefix inbound, source prefix
 * outbound). Windows rules keep `localip` among their conditions, which `denyReaches` compares already; asking the
 * platform first keeps this test to one comparison in the hot loops of a Windows host's tens of thousands of rules.
 */
export function narrowsLocalAddresses(rule: Rule): boolean {
  if (rule.platform !== 'azure-nsg' || rule.localAddresses === undefined) return false;
  const local = rule.localAddresses;
  const only = local.length === 1 ? local[0]! : undefined;
  return !(only !== undefined && only.kind === 'addresses' && only.addresses.coversAllIpv4() && only.addresses.coversAllIpv6());
}

/**
 * Whether every packet of `allow` also meets what `deny` asks beyond its sets: its ICMP type and code, and its
 * conditions (program, service, local address, interface type, remote port on Windows). Otherwise part of the
 * allow escapes the deny, which the sets cannot express: the deny is then not counted against the allow at all
 * (an allow for echo requests is not shadowed by a block of "destination unreachable"; an allow of tcp/1433 is not
 * shadowed by a block of tcp/1433 for one program).
 */
export function denyReaches(allow: Rule, deny: Rule): boolean {
  const icmp = deny.icmp;
  if (icmp !== undefined && icmp.type !== 'any') {
    if (allow.icmp === undefined || allow.icmp.type !== icmp.type) return false;
    if (icmp.code !== 'any' && allow.icmp.code !== icmp.code) return false;
  }
  return conditionsReach(allow, deny);
}

/** `denyReaches` but for the ICMP type: the deny's local addresses (Azure) and conditions (Windows). */
function conditionsReach(allow: Rule, deny: Rule): boolean {
  // Azure NSG: a deny for one host (`destination_address_prefix` inbound) leaves an allow to `*` open on the others.
  if (narrowsLocalAddresses(deny) && !localAddressesCover(deny.localAddresses!, allow.localAddresses)) return false;
  const conditions = deny.conditions;
  if (conditions === undefined) return true;
  for (const key of Object.keys(conditions)) if (allow.conditions?.[key] !== conditions[key]) return false;
  return true;
}

/**
 * Whether a deny's local addresses hold every local address of an allow (undefined: any address). Symbolic ones
 * (an Azure service tag or application security group) hold only themselves.
 */
function localAddressesCover(deny: readonly Peer[], allow: readonly Peer[] | undefined): boolean {
  const denied = unionOf(deny.map((peer) => (peer.kind === 'addresses' ? peer.addresses : AddressSet.EMPTY)));
  if (denied.coversAllIpv4() && denied.coversAllIpv6()) return true;
  if (allow === undefined) return false;
  return allow.every((peer) => (peer.kind === 'addresses' ? denied.containsAll(peer.addresses) : deny.some((other) => other.kind === peer.kind && describePeer(other) === describePeer(peer))));
}

function precedingByPlatform(allow: Rule, denies: Rule[]): Rule[] {
  switch (allow.platform) {
    case 'aws-sg':
      return [];
    case 'windows-fw':
      return allow.action === 'bypass' ? [] : denies;
    case 'gcp-fw':
      if (allow.priority === null) return [];
      return denies.filter((deny) => deny.priority !== null && deny.priority <= allow.priority!);
    default:
      // A null priority here is an unresolved number (FW303): its place in the order is unknown, so no deny is
      // assumed to precede such an allow, and such a deny is not assumed to precede any allow.
      if (allow.priority === null) return [];
      return denies.filter((deny) => deny.priority !== null && deny.priority < allow.priority!);
  }
}

/**
 * A deny's box with numeric bounds, so that the denies that cannot touch an allow rule are skipped without
 * building intersections: a host with thousands of block rules would otherwise cost allows × denies set operations.
 */
interface DenyBox {
  rule: Rule;
  box: Box;
  protocolLo: number;
  protocolHi: number;
  ports: readonly number[];
  /** A box where several blocks together hold whole address families (`wholeFamilyRegions`): those blocks. */
  heldBy: Rule[] | undefined;
}

function denyBox(rule: Rule): DenyBox {
  const box = ruleBox(rule);
  // Only allows of the deny's ICMP version or of every protocol meet it (`cutsIcmpMessages`, `denyReaches`).
  if (rule.icmp !== undefined && rule.icmp.type !== 'any' && rule.protocol.kind === 'number') box.icmp = icmpMessagesOf(rule.icmp);
  // A deny of an unresolved protocol holds no protocol for certain: its bounds meet none, so it removes nothing.
  const [protocolLo, protocolHi] = rule.protocol.kind === 'unknown' ? [0, -1] : protocolBounds(rule.protocol);
  return { rule, box, protocolLo, protocolHi, ports: portRanges(rule.ports), heldBy: undefined };
}

/** A region where blocks together hold whole address families, as a deny's box that reaches keywords only. */
function regionDenyBox(region: WholeFamilyRegion): DenyBox {
  const { protocols, families } = region;
  const box: Box = { protocols, ports: PortSet.range(region.from, region.to), addresses: families, profiles: region.profiles, icmp: undefined, keyword: undefined, removed: undefined, keywordShare: families, approximate: false };
  const protocolLo = Number(protocols.intervals[0]![0]);
  const protocolHi = Number(protocols.intervals[protocols.intervals.length - 1]![1]);
  return { rule: region.heldBy[0]!, box, protocolLo, protocolHi, ports: [region.from, region.to], heldBy: region.heldBy };
}

/**
 * False when `deny` leaves `box` (an allow rule's box) unchanged: disjoint protocols, ports, profiles or addresses,
 * or a side without addresses (symbolic peers remove nothing), unless the deny reaches the box's keyword. Exact
 * set operations decide the rest.
 */
function mayOverlap(box: Box, boxPorts: readonly number[], protocolLo: number, protocolHi: number, deny: DenyBox): boolean {
  const addresses = box.addresses;
  if (addresses === undefined) {
    if (box.keyword === undefined || !reachesKeyword(deny.box, box.keyword)) return false;
  } else if (deny.box.addresses === undefined) return false;
  if ((box.profiles & deny.box.profiles) === 0) return false;
  if (deny.protocolHi < protocolLo || deny.protocolLo > protocolHi) return false;
  return rangesOverlap(boxPorts, deny.ports) && (addresses === undefined || addresses.overlaps(deny.box.addresses!));
}

/**
 * An allow rule's box minus the given denies, in order, then minus the regions where blocks together hold whole
 * address families (keyword boxes only), and the denies that removed something.
 */
function subtractDenies(box: Box, boxPorts: readonly number[], protocolLo: number, protocolHi: number, denies: DenyBox[], regions?: readonly DenyBox[]): { pieces: Box[]; blockers: Rule[] } {
  let pieces: Box[] = [box];
  const blockers: Rule[] = [];
  for (const prepared of denies) {
    if (!mayOverlap(box, boxPorts, protocolLo, protocolHi, prepared)) continue;
    pieces = subtractPrepared(pieces, prepared, blockers);
    if (pieces.length === 0) return { pieces, blockers };
  }
  if (regions !== undefined) {
    for (const prepared of regions) {
      if (!mayOverlap(box, boxPorts, protocolLo, protocolHi, prepared)) continue;
      pieces = subtractPrepared(pieces, prepared, blockers);
      if (pieces.length === 0) break;
    }
  }
  return { pieces, blockers };
}

/** The pieces minus one deny's box; the deny (or the blocks of a region) joins `blockers` when it removed something. */
function subtractPrepared(pieces: Box[], prepared: DenyBox, blockers: Rule[]): Box[] {
  const next: Box[] = [];
  for (const piece of pieces) next.push(...subtractBox(piece, prepared.box));
  if (next.length !== pieces.length || next.some((piece, i) => piece !== pieces[i])) {
    if (prepared.heldBy === undefined) blockers.push(prepared.rule);
    else for (const rule of prepared.heldBy) if (!blockers.includes(rule)) blockers.push(rule);
  }
  return next;
}

/** Computes the effective allowed set of a target. Pure; callers memoise per target. */
export function computeEffective(target: Target): EffectiveSet {
  const result: EffectiveSet = { in: [], out: [], shadowed: [], possiblyAllowed: { in: [], out: [] }, unresolvedTraffic: { in: [], out: [] } };
  // One pass over the rules (they come in many object shapes, so every property read counts).
  const activeByDirection = { in: [] as Rule[], out: [] as Rule[] };
  const deniesByDirection = { in: [] as Rule[], out: [] as Rule[] };
  for (const rule of target.rules) {
    if (!rule.enabled) continue;
    const direction = rule.direction;
    if (direction !== 'in' && direction !== 'out') continue;
    activeByDirection[direction].push(rule);
    if (rule.action === 'deny') deniesByDirection[direction].push(rule);
  }
  for (const direction of ['in', 'out'] as const) {
    const active = activeByDirection[direction];
    const denies = deniesByDirection[direction];
    if (denies.length === 0) allowsAlone(active, direction, result);
    else allowsAfterDenies(active, denies, direction, result);
    if (direction === 'out' && target.platform === 'windows-fw') {
      result.out.push(...windowsDefaultOutbound(target, denies));
    }
  }
  return result;
}

/**
 * An allow rule whose box is empty admits nothing. Unresolved ports: nothing known (FW303 says so). ICMP whose peer
 * addresses are all of the other family (ICMPv4 from `::/0`): nothing at all, which FW301 says.
 */
function noteEmptyBox(rule: Rule, box: Box, result: EffectiveSet): void {
  if (box.addresses !== undefined && box.addresses.isEmpty() && rule.peer.kind === 'addresses' && !rule.peer.addresses.isEmpty() && !box.ports.isEmpty()) {
    result.shadowed.push({ rule, by: [], icmpFamily: true });
  }
}

/**
 * Without deny rules (always so for security groups) each allow rule is one grant: its box as written. Kept apart
 * from the general case so that the common path is small code the optimizing compiler takes up early.
 */
function allowsAlone(active: Rule[], direction: Direction, result: EffectiveSet): void {
  const grants = result[direction];
  for (let i = 0; i < active.length; i++) {
    const rule = active[i]!;
    // The grant is the rule's box as written: read its dimensions without building the box (one object per rule of
    // the scan); only an empty one (`boxIsEmpty` of a rule's box) needs the box, for its unresolved ports or protocol.
    const protocols = protocolSet(rule.protocol);
    const addresses = reachableAddresses(rule, protocols);
    const profiles = profileBits(rule);
    const ports = rule.ports;
    if (protocols.isEmpty() || ports.isEmpty() || profiles === 0 || (addresses !== undefined && addresses.isEmpty())) {
      const box = ruleBox(rule);
      const possible = unresolvedTrafficBox(rule, box);
      if (possible) result.unresolvedTraffic[direction].push(grantOf(rule, direction, possible));
      else noteEmptyBox(rule, box, result);
      continue;
    }
    grants.push({ rule, direction, protocols, ports, addresses, profiles, isPlatformDefault: undefined, icmp: undefined, when: undefined });
  }
}

/**
 * Each deny's `keywordShare`, per written rule (a netsh rule is one model rule per RemoteIP item, one after another):
 * its exact addresses within the address families the written rule's items hold whole together.
 */
function keywordShares(denies: readonly Rule[]): Map<Rule, AddressSet> {
  const shares = new Map<Rule, AddressSet>();
  let written: Rule[] = [];
  const share = (): void => {
    const exact = written.map((deny) => [deny, exactAddressesOf(deny)] as const).filter((entry): entry is readonly [Rule, AddressSet] => entry[1] !== undefined);
    if (exact.length === 0) return;
    const union = unionOf(exact.map(([, addresses]) => addresses));
    const whole = (union.coversAllIpv4() ? AddressSet.ALL_V4 : AddressSet.EMPTY).union(union.coversAllIpv6() ? AddressSet.ALL_V6 : AddressSet.EMPTY);
    if (whole.isEmpty()) return;
    for (const [deny, addresses] of exact) {
      const part = addresses.intersect(whole);
      if (!part.isEmpty()) shares.set(deny, part);
    }
  };
  let construct: Rule | undefined;
  for (const deny of denies) {
    const next = constructAfter(construct, deny);
    if (next !== construct) {
      share();
      written = [];
    }
    written.push(deny);
    construct = next;
  }
  share();
  return shares;
}

/**
 * The regions where Windows blocks hold whole address families only together (`wholeFamilyRegions`), as deny boxes
 * for keyword allows. Blocks with conditions the sets do not model (a program, an ICMP type) are left out: they do not
 * reach every allow (never a false shadow).
 */
function blockUnionRegions(denies: readonly Rule[], keywordAllows: readonly Rule[]): DenyBox[] {
  const blocks: ExactBlock[] = [];
  for (const deny of denies) {
    if (deny.platform !== 'windows-fw' || hasNarrowingConditions(deny)) continue;
    const addresses = exactAddressesOf(deny);
    if (addresses === undefined || addresses.isEmpty() || deny.ports.isEmpty()) continue;
    blocks.push({ rule: deny, protocols: protocolSet(deny.protocol), ports: portRanges(deny.ports), profiles: profileBits(deny), addresses });
  }
  if (blocks.length < 2) return [];
  const wanted = keywordAllows.filter((rule) => rule.platform === 'windows-fw' && rule.action === 'allow')
    .map((rule) => ({ protocols: protocolSet(rule.protocol), ports: portRanges(rule.ports), profiles: profileBits(rule) }));
  return wholeFamilyRegions(blocks, wanted).map(regionDenyBox);
}

/**
 * Regions (each one port range) in lists that are each sorted and disjoint, so that those on some ports are found by
 * binary search. Regions overlap only across profiles and protocols, so there are few lists.
 */
function disjointLayers(regions: readonly DenyBox[]): DenyBox[][] {
  const layers: DenyBox[][] = [];
  for (const region of [...regions].sort((a, b) => a.ports[0]! - b.ports[0]!)) {
    const layer = layers.find((each) => each[each.length - 1]!.ports[1]! < region.ports[0]!);
    if (layer !== undefined) layer.push(region);
    else layers.push([region]);
  }
  return layers;
}

/** The regions of the layers that meet ports `from`–`to`. */
function regionsOnPorts(layers: readonly DenyBox[][], from: number, to: number): DenyBox[] {
  const found: DenyBox[] = [];
  for (const layer of layers) {
    let lo = 0;
    let hi = layer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (layer[mid]!.ports[1]! < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < layer.length && layer[i]!.ports[0]! <= to; i++) found.push(layer[i]!);
  }
  return found;
}

/** A rule's peer addresses its protocol reaches, when they are exact (not `Internet`'s stand-in); else undefined. */
function exactAddressesOf(rule: Rule): AddressSet | undefined {
  const peer = rule.peer;
  if (peer.kind !== 'addresses' || peer.isApproximate === true) return undefined;
  return icmpReachableAddresses(protocolSet(rule.protocol), peer.addresses);
}

/** Each allow rule minus the deny rules that take precedence over it (platform semantics), piece by piece. */
function allowsAfterDenies(active: Rule[], denies: Rule[], direction: Direction, result: EffectiveSet): void {
  const branched = active.some((rule) => rule.branch !== undefined);
  const denyBoxes = new Map<Rule, DenyBox>();
  // Only keyword peers (and `Internet`, judged as one when a shadow is checked) need the denies' keyword shares.
  const keywordAllows = active.filter((rule) => rule.action !== 'deny' && (rule.peer.kind === 'keyword' || (rule.peer.kind === 'addresses' && rule.peer.isApproximate === true)));
  const shares = keywordAllows.length > 0 ? keywordShares(denies) : undefined;
  const regions = keywordAllows.length > 0 ? blockUnionRegions(denies, keywordAllows) : [];
  const approximateDenies = denies.some((deny) => deny.peer.kind === 'addresses' && deny.peer.isApproximate === true);
  // A host may have thousands of regions and of keyword allows: each allow looks only at those on its ports.
  const regionsByProtocol = new Map<number, DenyBox[][]>();
  const regionsFor = (rule: Rule, ports: readonly number[]): DenyBox[] => {
    const key = rule.protocol.kind === 'number' ? rule.protocol.value : -1;
    let layers = regionsByProtocol.get(key);
    if (!layers) {
      layers = disjointLayers(regions.filter((region) => key === -1 || (region.protocolLo <= key && key <= region.protocolHi)));
      regionsByProtocol.set(key, layers);
    }
    return regionsOnPorts(layers, ports[0]!, ports[ports.length - 1]!);
  };
  // Blocks named by a region come in no particular order: FW301 names them in rule order.
  let denyOrder: Map<Rule, number> | undefined;
  const inRuleOrder = (blockers: Rule[]): Rule[] => {
    if (regions.length === 0) return blockers;
    denyOrder ??= new Map(denies.map((deny, index) => [deny, index]));
    return blockers.sort((a, b) => denyOrder!.get(a)! - denyOrder!.get(b)!);
  };
  const prepare = (deny: Rule): DenyBox => {
    let prepared = denyBoxes.get(deny);
    if (!prepared) {
      prepared = denyBox(deny);
      prepared.box.keywordShare = shares?.get(deny);
      denyBoxes.set(deny, prepared);
    }
    return prepared;
  };
  const certainDenyBox = (deny: Rule): DenyBox => {
    const prepared = prepare(deny);
    return prepared.box.approximate ? { ...prepared, box: certainBox(prepared.box, deny.peer) } : prepared;
  };
  // Where every deny precedes every allow (Windows), the denies that can touch an allow of one protocol are the
  // same for all of them: listed once per protocol, in rule order (the order of subtraction shapes the pieces).
  const byProtocol = new Map<number, DenyBox[]>();
  const deniesFor = (rule: Rule, preceding: Rule[]): DenyBox[] => {
    if (preceding !== denies) return preceding.map(prepare);
    const key = rule.protocol.kind === 'number' ? rule.protocol.value : -1;
    let list = byProtocol.get(key);
    if (!list) {
      list = denies.map(prepare).filter((deny) => key === -1 || (deny.protocolLo <= key && key <= deny.protocolHi));
      byProtocol.set(key, list);
    }
    return list;
  };
  for (const rule of active) {
    if (rule.action === 'deny') continue;
    let box = ruleBox(rule);
    // Unresolved ports or protocol: judged on all they could be, into `unresolvedTraffic` only.
    let unresolved = false;
    if (boxIsEmpty(box)) {
      const possible = unresolvedTrafficBox(rule, box);
      if (!possible) {
        noteEmptyBox(rule, box, result);
        continue;
      }
      box = possible;
      unresolved = true;
    }
    const preceding = precedingDenies(rule, denies);
    // An ICMP allow that a deny of some ICMP types precedes: its box carries its messages, so the deny cuts them.
    if (isIcmpRule(rule) && preceding.some((deny) => deny.icmp !== undefined && deny.icmp.type !== 'any')) box.icmp = icmpMessagesOf(rule.icmp);
    // A deny that does not overlap the allow rule overlaps none of its pieces: subtracting it changes nothing.
    const boxPorts = preceding.length > 0 ? portRanges(box.ports) : [];
    const [protocolLo, protocolHi] = protocolBounds(rule.protocol);
    // Regions hold keywords only; every block precedes a Windows allow (bypass rules have none). In one world of
    // undecidable conditions, a region holds only where every block of it exists.
    const keywordRegions = (from: Box, world?: readonly Rule[]): DenyBox[] | undefined => {
      if (from.keyword === undefined || regions.length === 0) return undefined;
      const found = regionsFor(rule, boxPorts);
      return world === undefined ? found : found.filter((region) => region.heldBy!.every((block) => world.includes(block)));
    };
    const subtract = (from: Box, prepared: (denies: Rule[]) => DenyBox[]): { pieces: Box[]; blockers: Rule[]; whens?: Array<Branched | undefined> } => {
      // A symbolic peer other than a keyword (a security group, a service tag) no deny takes anything from.
      if (!branched || preceding.length === 0 || (from.addresses === undefined && from.keyword === undefined)) {
        if (preceding.length === 0) return subtractDenies(from, boxPorts, protocolLo, protocolHi, []);
        return subtractDenies(from, boxPorts, protocolLo, protocolHi, prepared(preceding), keywordRegions(from));
      }
      // Rules under undecidable conditions: a deny removes from an allow only in the worlds where both exist. What
      // the allow admits is the union over its worlds; it is shadowed only when it admits nothing in every one.
      // Keyword peers too: a block of `LocalSubnet` under `if "%1"=="strict"` leaves the allow open otherwise.
      return subtractPerWorld(rule, preceding.filter((deny) => branchesCompatible(rule, deny)),
        (world) => subtractDenies(from, boxPorts, protocolLo, protocolHi, prepared(world), keywordRegions(from, world)));
    };
    const { pieces, blockers, whens } = subtract(box, (list) => (list === preceding ? deniesFor(rule, list) : list.map(prepare)));
    if (unresolved) {
      pieces.forEach((piece, index) => result.unresolvedTraffic[direction].push(grantOf(rule, direction, piece, whens?.[index])));
      continue;
    }
    // A block from `Internet` takes every address away for the breadth checks, but holds no CIDR or keyword for
    // certain: what the rule admits without such stand-ins decides whether it is shadowed, and may carry a required
    // flow. (From an allow from Internet itself only the same stand-in takes anything: certainly, as a keyword.)
    const certain = approximateDenies && blockers.some((blocker) => prepare(blocker).box.approximate) ? subtract(certainBox(box, rule.peer), (list) => list.map(certainDenyBox)) : undefined;
    if (certain !== undefined && !box.approximate) {
      for (const piece of certain.pieces) result.possiblyAllowed[direction].push(grantOf(rule, direction, piece));
    }
    if (pieces.length === 0) {
      if (certain === undefined) result.shadowed.push({ rule, by: inRuleOrder(blockers) });
      else if (certain.pieces.length === 0) result.shadowed.push({ rule, by: inRuleOrder(certain.blockers) });
      continue;
    }
    pieces.forEach((piece, index) => result[direction].push(grantOf(rule, direction, piece, whens?.[index])));
  }
}

/**
 * The lowest and highest protocol number an allow's box may hold: every one for `any`, and for an unresolved protocol,
 * whose box (`unresolvedTrafficBox`) holds every protocol it could be.
 */
function protocolBounds(protocol: Protocol): [number, number] {
  return protocol.kind === 'number' ? [protocol.value, protocol.value] : [0, 255];
}

function grantOf(rule: Rule, direction: Direction, piece: Box, when?: Branched): Grant {
  return { rule, direction, protocols: piece.protocols, ports: piece.ports, addresses: piece.addresses, profiles: piece.profiles, isPlatformDefault: undefined, icmp: piece.icmp, when };
}

/**
 * An allow rule minus the denies that precede it, in each world of undecidable conditions it exists in (the denies
 * that exist there too): the union of what is left, as disjoint boxes, and every deny that removed something. A box
 * left in some of the worlds only has the condition under which it is (`whens`, see `worldsCondition`).
 */
function subtractPerWorld(allow: Rule, denies: Rule[], subtract: (denies: Rule[]) => { pieces: Box[]; blockers: Rule[] }): { pieces: Box[]; blockers: Rule[]; whens?: Array<Branched | undefined> } {
  const worlds = branchWorlds([allow, ...denies], (rule) => rule).filter((world) => world[0] === allow);
  /** Disjoint boxes, each with the worlds (indices into `worlds`) it is left in. */
  let entries: Array<{ box: Box; worlds: number[] }> = [];
  const blockerSet = new Set<Rule>();
  worlds.forEach((world, index) => {
    const left = subtract(world.slice(1));
    for (const blocker of left.blockers) blockerSet.add(blocker);
    // Each box found so far splits into what this world leaves too and what it does not; what no earlier world left
    // is added. Exact subtraction throughout, so the boxes stay disjoint.
    const next: typeof entries = [];
    for (const entry of entries) {
      const outside = minus([entry.box], left.pieces);
      if (outside.length === 0) {
        entry.worlds.push(index);
        next.push(entry);
        continue;
      }
      for (const box of outside) next.push({ box, worlds: entry.worlds });
      for (const box of minus([entry.box], outside)) next.push({ box, worlds: [...entry.worlds, index] });
    }
    for (const box of minus(left.pieces, entries.map((entry) => entry.box))) next.push({ box, worlds: [index] });
    entries = next;
  });
  const blockers = denies.filter((deny) => blockerSet.has(deny));
  if (entries.every((entry) => entry.worlds.length === worlds.length)) return { pieces: entries.map((entry) => entry.box), blockers };
  const conditions = new Map<string, ReadonlyArray<Branched | undefined>>();
  const pieces: Box[] = [];
  const whens: Array<Branched | undefined> = [];
  for (const entry of entries) {
    const key = entry.worlds.join(',');
    let cells = conditions.get(key);
    if (cells === undefined) {
      cells = (entry.worlds.length === worlds.length ? undefined : worldsCondition(allow, worlds, entry.worlds)) ?? [undefined];
      conditions.set(key, cells);
    }
    // A box left under one of several disjoint conditions is a piece under each.
    for (const cell of cells) {
      pieces.push(entry.box);
      whens.push(cell);
    }
  }
  return { pieces, blockers, whens };
}

/** `from` minus every box of `taken`, as disjoint boxes. */
function minus(from: readonly Box[], taken: readonly Box[]): Box[] {
  let rest = from.slice();
  for (const box of taken) rest = rest.flatMap((each) => subtractBox(each, box));
  return rest;
}

/**
 * The condition under which an allow rule is left open in the given worlds only (each world: the allow, then the
 * denies that exist in it): the allow's branch, and that none of some denies exists. Those denies are the ones that
 * exist in none of the open worlds, as few as still tell every closed world apart (one exists there). A deny under
 * several conditions is absent when any of them is false, so the condition may be several disjoint conjunctions
 * (`!var.a`, `var.a and !var.b`; see `negatedBranchCells`), each one piece. Undefined when no such conjunctions say it
 * within MAX_CONDITION_CELLS: then the rule's branch.
 */
function worldsCondition(allow: Rule, worlds: readonly Rule[][], open: readonly number[]): Branched[] | undefined {
  const openSet = new Set(open);
  const closed = worlds.filter((_world, index) => !openSet.has(index));
  let absent = [...new Set(worlds.flatMap((world) => world.slice(1)))].filter((deny) => open.every((index) => !worlds[index]!.includes(deny)));
  const tellsApart = (denies: readonly Rule[]): boolean => closed.every((world) => denies.some((deny) => world.includes(deny)));
  if (!tellsApart(absent)) return undefined;
  for (const deny of absent.slice()) {
    const without = absent.filter((each) => each !== deny);
    if (tellsApart(without)) absent = without;
  }
  let cells: string[][] = [branchLiterals(allow)];
  for (const deny of absent) {
    const negations = negatedBranchCells(allow, deny);
    if (negations === undefined) return undefined;
    // Each cell with each way the deny is absent, but for ways that contradict the cell (another deny's literal).
    cells = cells.flatMap((cell) => negations.filter((negation) => literalsAgree(allow.kind, cell, negation)).map((negation) => [...cell, ...negation]));
    if (cells.length > MAX_CONDITION_CELLS) return undefined;
  }
  if (cells.length === 0) return undefined;
  return cells.map((literals) => ({ kind: allow.kind, branch: branchOfLiterals(allow.kind, literals) }));
}

/** Disjoint conditions one piece is split into (see `worldsCondition`); beyond, the rule's branch. */
const MAX_CONDITION_CELLS = 8;

/** Whether two conjunctions of literals can hold together. */
function literalsAgree(kind: Rule['kind'], a: readonly string[], b: readonly string[]): boolean {
  const separator = kind === 'cloudformation' ? ',' : ' and ';
  return branchesCompatible({ kind, branch: a.join(separator) || undefined }, { kind, branch: b.join(separator) || undefined });
}

/**
 * Windows allows outbound traffic that no rule blocks (default profile policy, formats.md §4.3). It counts for
 * required flows, but it is the platform's policy, not a written rule, so breadth checks skip it.
 */
function windowsDefaultOutbound(target: Target, denies: Rule[]): Grant[] {
  const rule: Rule = {
    id: 'default-outbound',
    kind: target.kind,
    location: target.location,
    platform: 'windows-fw',
    resourceAddress: 'Windows default outbound policy',
    direction: 'out',
    action: 'allow',
    protocol: { kind: 'any' },
    ports: PortSet.ALL,
    peer: { kind: 'addresses', addresses: AddressSet.ALL, text: 'Any' },
    priority: null,
    enabled: true,
    unknowns: [],
    synthetic: true,
    contentKey: 'out|allow|any|default',
  };
  let pieces: Box[] = [ruleBox(rule)];
  // A block of some ICMP types takes those out of the policy's ICMP, as it does from an allow rule of every protocol.
  // The policy counts for required flows only: a block to `Internet` is not known to hold any address of theirs.
  for (const deny of denies) {
    if (deny.peer.kind === 'addresses' && deny.peer.isApproximate === true) continue;
    if (denyReaches(rule, deny)) pieces = pieces.flatMap((piece) => subtractBox(piece, ruleBox(deny)));
    else if (cutsIcmpMessages(rule, deny) && conditionsReach(rule, deny)) pieces = pieces.flatMap((piece) => subtractBox(piece, denyBox(deny).box));
  }
  return pieces.map((piece) => ({ rule, direction: 'out', protocols: piece.protocols, ports: piece.ports, addresses: piece.addresses!, profiles: piece.profiles, isPlatformDefault: true, icmp: piece.icmp, when: undefined }));
}

/** A rule for exactly ICMPv4 or exactly ICMPv6. */
function isIcmpRule(rule: Rule): boolean {
  return rule.protocol.kind === 'number' && (rule.protocol.value === ICMP_V4_PROTOCOL || rule.protocol.value === ICMP_V6_PROTOCOL);
}

/** Names of the profiles in a bit set, for messages (`domain, private`). */
export function profileNames(bits: number): string[] {
  return Object.entries(PROFILE_BITS)
    .filter(([, bit]) => (bits & bit) !== 0)
    .map(([name]) => name);
}

/** `properties.firewallProfiles` (`['private']`) where traffic is open on some Windows profiles only; none on all of them. */
export function firewallProfilesProperty(bits: number): { firewallProfiles?: string[] } {
  return bits === 0 || (bits & ALL_PROFILES) === ALL_PROFILES ? {} : { firewallProfiles: profileNames(bits) };
}

/** ` (profiles: private, public)` where traffic is open on some Windows profiles only; empty on all of them. */
export function profilesNote(bits: number): string {
  return bits === ALL_PROFILES ? '' : ` (profiles: ${profileNames(bits).join(', ')})`;
}
