import { AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import type { Peer } from '../model/peer';
import { PortSet } from '../model/port-set';
import type { Protocol } from '../model/protocol';
import type { Direction, Rule } from '../model/rule';
import type { Target } from '../model/target';

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
}

/** A box of traffic: the unit the precedence algebra works on. */
interface Box {
  protocols: IntervalSet;
  ports: PortSet;
  addresses?: AddressSet;
  profiles: number;
}

export interface EffectiveSet {
  in: Grant[];
  out: Grant[];
  /** Allow rules that admit nothing at all (fully overridden): FW301's input. */
  shadowed: Array<{ rule: Rule; by: Rule[] }>;
}

const ALL_PROTOCOLS = IntervalSet.range(0n, 255n);

export function protocolSet(protocol: Protocol): IntervalSet {
  return protocol.kind === 'any' ? ALL_PROTOCOLS : IntervalSet.range(BigInt(protocol.value), BigInt(protocol.value));
}

function profileBits(rule: Rule): number {
  if (!rule.profiles || rule.profiles.length === 0) return ALL_PROFILES;
  let bits = 0;
  for (const profile of rule.profiles) bits |= PROFILE_BITS[profile.toLowerCase()] ?? ALL_PROFILES;
  return bits;
}

function peerAddressesOf(peer: Peer): AddressSet | undefined {
  return peer.kind === 'addresses' ? peer.addresses : undefined;
}

function ruleBox(rule: Rule): Box {
  const addresses = peerAddressesOf(rule.peer);
  const box: Box = { protocols: protocolSet(rule.protocol), ports: rule.ports, profiles: profileBits(rule) };
  if (addresses) box.addresses = addresses;
  return box;
}

function boxIsEmpty(box: Box): boolean {
  return box.protocols.isEmpty() || box.ports.isEmpty() || box.profiles === 0 || (box.addresses !== undefined && box.addresses.isEmpty());
}

/**
 * `a − b` as disjoint boxes, dimension by dimension: exact, no approximation. A deny whose peer is symbolic
 * cannot be subtracted from addresses, so it removes nothing (reported by FW303 where it comes from an unknown).
 */
function subtractBox(a: Box, b: Box): Box[] {
  if (b.addresses === undefined) return [a];
  if (a.addresses === undefined) return [a];
  const protocolsOverlap = a.protocols.intersect(b.protocols);
  const portsOverlap = a.ports.intersect(b.ports);
  const profilesOverlap = a.profiles & b.profiles;
  const addressesOverlap = a.addresses.intersect(b.addresses);
  if (protocolsOverlap.isEmpty() || portsOverlap.isEmpty() || profilesOverlap === 0 || addressesOverlap.isEmpty()) return [a];
  const pieces: Box[] = [
    { protocols: a.protocols.subtract(b.protocols), ports: a.ports, addresses: a.addresses, profiles: a.profiles },
    { protocols: protocolsOverlap, ports: a.ports.subtract(b.ports), addresses: a.addresses, profiles: a.profiles },
    { protocols: protocolsOverlap, ports: portsOverlap, addresses: a.addresses, profiles: a.profiles & ~b.profiles },
    { protocols: protocolsOverlap, ports: portsOverlap, addresses: a.addresses.subtract(b.addresses), profiles: profilesOverlap },
  ];
  return pieces.filter((piece) => !boxIsEmpty(piece));
}

/**
 * Which deny rules take precedence over an allow rule, per platform semantics (formats.md §1.8, §4.3):
 * NACL/NSG first match by ascending number; GCP ascending priority with deny winning ties; Windows block beats
 * allow regardless of order (bypass beats block); AWS security groups have no denies.
 */
function precedingDenies(allow: Rule, denies: Rule[]): Rule[] {
  switch (allow.platform) {
    case 'aws-sg':
      return [];
    case 'windows-fw':
      return allow.action === 'bypass' ? [] : denies;
    case 'gcp-fw':
      return denies.filter((deny) => (deny.priority ?? 1000) <= (allow.priority ?? 1000));
    default:
      return denies.filter((deny) => (deny.priority ?? 0) < (allow.priority ?? 0));
  }
}

/** Computes the effective allowed set of a target. Pure; callers memoise per target. */
export function computeEffective(target: Target): EffectiveSet {
  const result: EffectiveSet = { in: [], out: [], shadowed: [] };
  for (const direction of ['in', 'out'] as const) {
    const active = target.rules.filter((rule) => rule.enabled && rule.direction === direction);
    const denies = active.filter((rule) => rule.action === 'deny');
    for (const rule of active) {
      if (rule.action === 'deny') continue;
      const box = ruleBox(rule);
      if (boxIsEmpty(box)) continue; // unresolved ports: allows nothing known (FW303 says so)
      let pieces: Box[] = [box];
      const blockers: Rule[] = [];
      for (const deny of precedingDenies(rule, denies)) {
        const before = pieces.length;
        const next: Box[] = [];
        for (const piece of pieces) next.push(...subtractBox(piece, ruleBox(deny)));
        if (next.length !== before || next.some((piece, i) => piece !== pieces[i])) blockers.push(deny);
        pieces = next;
        if (pieces.length === 0) break;
      }
      if (pieces.length === 0) {
        result.shadowed.push({ rule, by: blockers });
        continue;
      }
      for (const piece of pieces) {
        const grant: Grant = { rule, direction, protocols: piece.protocols, ports: piece.ports, profiles: piece.profiles };
        if (piece.addresses) grant.addresses = piece.addresses;
        result[direction].push(grant);
      }
    }
    if (direction === 'out' && target.platform === 'windows-fw') {
      result.out.push(...windowsDefaultOutbound(target, denies));
    }
  }
  return result;
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
  for (const deny of denies) pieces = pieces.flatMap((piece) => subtractBox(piece, ruleBox(deny)));
  return pieces.map((piece) => ({ rule, direction: 'out', protocols: piece.protocols, ports: piece.ports, addresses: piece.addresses!, profiles: piece.profiles, isPlatformDefault: true }));
}

/** Names of the profiles in a bit set, for messages (`domain, private`). */
export function profileNames(bits: number): string[] {
  return Object.entries(PROFILE_BITS)
    .filter(([, bit]) => (bits & bit) !== 0)
    .map(([name]) => name);
}
