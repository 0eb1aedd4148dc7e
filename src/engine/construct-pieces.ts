import type { AddressSet } from '../model/address-set';
import type { IntervalSet } from '../model/interval-set';
import type { PortSet } from '../model/port-set';
import type { Rule } from '../model/rule';
import type { Grant } from './effective';
import { icmpMessagesOf, icmpReachableAddresses, icmpVersionOf } from './icmp';

/**
 * What a rule effectively allows, as FW101 judges it: one of its grants, with only the addresses its ICMP version
 * reaches (an ICMPv4 rule's `::/0` admits nothing) and, for ICMP, the ICMP messages it admits.
 */
export interface ConstructPiece {
  /** The written rule's identity, shared by its pieces; absent when that is `rule` (`constructOf`). */
  construct?: Rule;
  /** The model rule the piece is of: where findings on the piece are reported. */
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
}

/** The identity of the written rule a piece is of: equal for the pieces of one written rule. */
export function constructOf(piece: ConstructPiece): Rule {
  return piece.construct ?? piece.rule;
}

/** The model rules a piece holds, in rule order. */
export function rulesOf(piece: ConstructPiece): readonly Rule[] {
  return piece.rules ?? [piece.rule];
}

/** The grants with addresses, as pieces, in rule order. While every grant is its own piece, nothing is copied. */
export function constructPieces(grants: readonly Grant[]): readonly ConstructPiece[] {
  let pieces: ConstructPiece[] | undefined;
  for (let index = 0; index < grants.length; index++) {
    const grant = grants[index]!;
    const piece = pieceOf(grant, grant.rule);
    if (pieces === undefined) {
      if (piece === grant) continue;
      pieces = (grants as readonly ConstructPiece[]).slice(0, index);
    }
    if (piece) pieces.push(piece);
  }
  return pieces ?? (grants as readonly ConstructPiece[]);
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
  if (version !== undefined) piece.icmp = icmpMessagesOf(grant.rule.protocol.kind === 'any' ? undefined : grant.rule.icmp);
  return piece;
}
