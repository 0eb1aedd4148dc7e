import type { AddressSet } from '../model/address-set';
import type { Branched } from '../model/branch';
import type { IntervalSet } from '../model/interval-set';
import type { PortSet } from '../model/port-set';
import { constructAfter, type Rule } from '../model/rule';
import type { Grant } from './effective';
import { ALL_ICMP_MESSAGES, icmpReachableAddresses, icmpVersionOf, restrictedIcmpMessages } from './icmp';

/**
 * What one written rule effectively allows, as boxes: the grants of the model rules it expanded into (one per
 * RemoteIP item and ICMP row of a netsh rule, see `constructKey`), merged where the union is again one box. A netsh
 * rule listing `0.0.0.0-127.255.255.255,128.0.0.0-255.255.255.255` is one piece from `0.0.0.0/0`, judged and
 * reported as the one rule it is.
 */
export interface ConstructPiece {
  /**
   * The written rule's identity, its first model rule, shared by the pieces of its model rules (`sameConstruct`);
   * absent when that is `rule` (`constructOf`).
   */
  construct?: Rule;
  /** The first model rule that contributes (rule order): where findings on the piece are reported. */
  rule: Rule;
  /** Every model rule whose grants the piece holds, in rule order, when there are several (`rulesOf`). */
  rules?: Rule[];
  protocols: IntervalSet;
  ports: PortSet;
  profiles: number;
  /** The addresses the traffic can come from or go to: an ICMPv4 piece's IPv6 peers admit nothing (`icmpReachableAddresses`). */
  addresses: AddressSet;
  /** The ICMP messages (`icmpMessagesOf`), when `protocols` is exactly ICMPv4 or exactly ICMPv6. */
  icmp?: IntervalSet;
  /** The condition the piece holds under, where narrower than its rule's branch (`Grant.when`). */
  when?: Branched;
}

/** What a piece exists under: its own condition (`Grant.when`), else its rule's. */
export function conditionOf(piece: ConstructPiece): Branched {
  return piece.when ?? piece.rule;
}

/** The identity of the written rule a piece is of: equal for the pieces of one written rule. */
export function constructOf(piece: ConstructPiece): Rule {
  return piece.construct ?? piece.rule;
}

/** Entries on pieces by the written rule they are of (`constructOf`), in order of first appearance. */
export function entriesByConstruct<T extends { piece: ConstructPiece }>(entries: readonly T[]): T[][] {
  // Most groups (a finding's entries) are of one written rule: no map for them.
  if (entries.every((entry) => constructOf(entry.piece) === constructOf(entries[0]!.piece))) return entries.length === 0 ? [] : [[...entries]];
  const byConstruct = new Map<Rule, T[]>();
  for (const entry of entries) {
    const construct = constructOf(entry.piece);
    const same = byConstruct.get(construct);
    if (same) same.push(entry);
    else byConstruct.set(construct, [entry]);
  }
  return [...byConstruct.values()];
}

/** The model rules a piece holds, in rule order. */
export function rulesOf(piece: ConstructPiece): readonly Rule[] {
  return piece.rules ?? [piece.rule];
}

/**
 * The grants with addresses, as pieces of the written rules, in rule order. Grants of different written rules are
 * never merged. Not memoised: FW101 reads it once per target, and FW104's judgement (`worldOpenEgress`) is memoised.
 */
export function constructPieces(grants: readonly Grant[]): readonly ConstructPiece[] {
  // A parser emits the model rules of one construct one after another, and the engine keeps rule order: a construct's
  // grants are one run. Each rule is compared with the one before it only, by reference first (most grants follow a
  // grant of the same rule), so no key is built. The first rule of a construct stands for its identity. While every
  // grant is its own piece (most targets), the grant list itself is the answer: nothing is copied.
  let pieces: ConstructPiece[] | undefined;
  /** Where the current construct's pieces start in `pieces` (in `grants` while nothing is copied). */
  let groupStart = 0;
  let groupRules = 0;
  let construct: Rule | undefined;
  let previous: Rule | undefined;
  for (let index = 0; index < grants.length; index++) {
    const grant = grants[index]!;
    const rule = grant.rule;
    if (rule !== previous) {
      const next = constructAfter(construct, rule);
      if (next !== construct) {
        if (pieces !== undefined && groupRules > 1) mergeFrom(pieces, groupStart);
        groupStart = pieces?.length ?? index;
        groupRules = 0;
        construct = next;
      }
      groupRules++;
      previous = rule;
    }
    const piece = pieceOf(grant, construct!);
    if (pieces === undefined) {
      if (piece === grant && groupRules === 1) continue;
      pieces = (grants as readonly ConstructPiece[]).slice(0, index);
    }
    if (piece) pieces.push(piece);
  }
  if (pieces !== undefined && groupRules > 1) mergeFrom(pieces, groupStart);
  return pieces ?? (grants as readonly ConstructPiece[]);
}

/** Merges the pieces from `start` on (one written rule's) in place. */
function mergeFrom(pieces: ConstructPiece[], start: number): void {
  if (pieces.length - start > 1) pieces.push(...mergePieces(pieces.splice(start)));
}

/**
 * The grant as a piece of the written rule `construct`: the grant itself where nothing differs (no allocation for the
 * hundred thousand grants of a large scan), else a copy with the construct, the addresses ICMP reaches and the ICMP
 * messages; undefined when it has no addresses (symbolic peers) or ICMP reaches none of them.
 */
function pieceOf(grant: Grant, construct: Rule): ConstructPiece | undefined {
  if (grant.addresses === undefined) return undefined;
  const version = icmpVersionOf(grant.protocols);
  if (version === undefined && construct === grant.rule) return grant as ConstructPiece;
  const addresses = icmpReachableAddresses(grant.protocols, grant.addresses);
  if (addresses.isEmpty()) return undefined;
  const piece: ConstructPiece = { rule: grant.rule, protocols: grant.protocols, ports: grant.ports, profiles: grant.profiles, addresses };
  if (construct !== grant.rule) piece.construct = construct;
  if (grant.when !== undefined) piece.when = grant.when;
  // The messages a deny of some ICMP types left (`Grant.icmp`), else every message the rule names.
  if (version !== undefined) piece.icmp = restrictedIcmpMessages(grant) ?? ALL_ICMP_MESSAGES;
  return piece;
}

/**
 * Merges the pieces of one written rule while two are the same box but for one dimension, addresses or ICMP
 * messages (their union is then exactly one box): the items of a RemoteIP list, the rows of an ICMP type table, and
 * both at once (every item × every row). Linear in the pieces per pass: a rule may list a thousand addresses.
 */
function mergePieces(pieces: ConstructPiece[]): ConstructPiece[] {
  // Most often one box but for the addresses (a CIDR list): the passes below would make that one piece, then find
  // nothing more to join in three more passes.
  const first = pieces[0]!;
  if (pieces.every((piece) => sameBoxBut(first, piece, 'addresses'))) return [joinGroup(pieces, 'addresses')];
  let merged = pieces;
  for (;;) {
    const next = joinPieces(joinPieces(merged, 'addresses'), 'icmp');
    if (next.length === merged.length) return next;
    merged = next;
  }
}

/**
 * One pass: pieces equal in every dimension but `dimension` become one, whose `dimension` is the union. First
 * appearance order. Each group's union is built once, by pairs (a netsh rule may list 60,000 addresses: joining
 * them one at a time into a growing set and rule list would be quadratic).
 */
function joinPieces(pieces: ConstructPiece[], dimension: 'addresses' | 'icmp'): ConstructPiece[] {
  const groups: ConstructPiece[][] = [];
  for (const piece of pieces) {
    // Few groups per written rule (its ICMP rows, protocols): a scan of them is cheap.
    const group = groups.find((candidate) => sameBoxBut(candidate[0]!, piece, dimension));
    if (group) group.push(piece);
    else groups.push([piece]);
  }
  return groups.map((group) => (group.length === 1 ? group[0]! : joinGroup(group, dimension)));
}

function joinGroup(group: ConstructPiece[], dimension: 'addresses' | 'icmp'): ConstructPiece {
  const first = group[0]!;
  const rules = new Set<Rule>();
  for (const piece of group) for (const rule of rulesOf(piece)) rules.add(rule);
  const union: ConstructPiece = { rule: first.rule, protocols: first.protocols, ports: first.ports, profiles: first.profiles, addresses: first.addresses };
  if (first.construct !== undefined) union.construct = first.construct;
  if (first.icmp !== undefined) union.icmp = first.icmp;
  if (first.when !== undefined) union.when = first.when;
  if (dimension === 'addresses') union.addresses = unionAll(group.map((piece) => piece.addresses));
  else union.icmp = unionAll(group.map((piece) => piece.icmp!));
  if (rules.size > 1) union.rules = [...rules];
  return union;
}

/** The union of sets, joined in pairs: each member is merged about log2(n) times. */
function unionAll<T extends { union(other: T): T }>(sets: T[]): T {
  let layer = sets;
  while (layer.length > 1) {
    const next: T[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(i + 1 < layer.length ? layer[i]!.union(layer[i + 1]!) : layer[i]!);
    layer = next;
  }
  return layer[0]!;
}

/** Equal in every dimension but `dimension` (ICMP messages are joined only between ICMP pieces). */
function sameBoxBut(a: ConstructPiece, b: ConstructPiece, dimension: 'addresses' | 'icmp'): boolean {
  if (a.profiles !== b.profiles || a.when?.branch !== b.when?.branch || !(a.protocols === b.protocols || a.protocols.equals(b.protocols)) || !(a.ports === b.ports || a.ports.equals(b.ports))) return false;
  if (dimension === 'icmp') return a.icmp !== undefined && b.icmp !== undefined && (a.addresses === b.addresses || a.addresses.equals(b.addresses));
  return a.icmp === undefined ? b.icmp === undefined : b.icmp !== undefined && a.icmp.equals(b.icmp);
}
