import { constructPieces, type ConstructPiece } from '../engine/construct-pieces';
import type { EffectiveSet } from '../engine/effective';
import type { AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { branchWorlds, type Branched } from '../model/branch';
import type { PortSet } from '../model/port-set';
import type { Rule } from '../model/rule';
import { conditionTogether, mayCoverWorldTogether, worldCoveringPieces } from './fw101-world-union';

/** One allow to a set of addresses: an effective grant (FW104) or a written rule (FW102). */
export interface EgressPiece {
  /** The rule the piece comes from: pieces are combined only with those of rules that can exist together. */
  rule: Rule;
  protocols: IntervalSet;
  ports: PortSet;
  addresses: AddressSet;
  /** The condition the piece holds under where narrower than its rule's branch (`Grant.when`). */
  when?: Branched;
}

/** What a piece exists under: its own condition, else its rule's. */
function conditionOf(piece: EgressPiece): Branched {
  return piece.when ?? piece.rule;
}

/** Protocols on which a piece is world-open egress together with others, and the condition under which it is. */
export interface CombinedEgress {
  protocols: IntervalSet;
  when: Branched;
  /** The pieces it is world-open together with (itself among them). */
  together: readonly EgressPiece[];
}

/**
 * What FW104 reports of a target: each egress piece (what one written rule allows, see `constructPieces`) world-open
 * alone, or with others, and for which protocols.
 */
export interface WorldOpenEgress {
  pieces: readonly ConstructPiece[];
  alone: ReadonlySet<ConstructPiece>;
  /** The protocols on which a piece is world-open with others, under any condition. */
  combined: ReadonlyMap<ConstructPiece, IntervalSet>;
  /** The same, by the condition under which it is (`CombinedEgress`). */
  combinedUnder: ReadonlyMap<ConstructPiece, readonly CombinedEgress[]>;
}

const worldOpenEgressOf = new WeakMap<EffectiveSet, WorldOpenEgress>();

/** The combinations of a target without any (`WorldOpenEgress.combined`, `combinedUnder`); never written to. */
const NO_COMBINATIONS: ReadonlyMap<never, never> = new Map<never, never>();

/**
 * FW104's judgement of a target's effective egress, computed once per effective set: FW104 reports from it, and
 * FW102 leaves to FW104 exactly what it reports.
 */
export function worldOpenEgress(effective: EffectiveSet): WorldOpenEgress {
  let value = worldOpenEgressOf.get(effective);
  if (value === undefined) {
    // The platform's default policy (Windows outbound) is no written rule: breadth checks skip it.
    // The platform's default policy (Windows outbound) is no written rule: breadth checks skip it.
    const pieces = constructPieces(effective.out.filter((grant) => !grant.isPlatformDefault));
    const alone = new Set(pieces.filter(isWorldOpenEgress));
    // "World" is a set: `0.0.0.0/1` + `128.0.0.0/1` in two rules (or two CIDRs of one block) is the whole internet.
    const combinedUnder = worldOpenEgressCombinations(pieces.filter((piece) => !alone.has(piece)));
    // Nearly every target has no combination: the shared empty map, not two maps per target.
    const combined: ReadonlyMap<ConstructPiece, IntervalSet> = combinedUnder.size === 0
      ? NO_COMBINATIONS
      : new Map([...combinedUnder].map(([piece, entries]) => [piece, entries.reduce((all, entry) => all.union(entry.protocols), IntervalSet.EMPTY)]));
    value = { pieces, alone, combined, combinedUnder };
    worldOpenEgressOf.set(effective, value);
  }
  return value;
}

/**
 * Whether one piece alone is FW104's case: every protocol, or every TCP/UDP port, to the whole IPv4 or IPv6 internet
 * (`AddressSet.coversInternet`: a deny of a host or of the private ranges ahead of it leaves it so).
 */
export function isWorldOpenEgress(piece: EgressPiece): boolean {
  return piece.addresses.coversInternetOnAnyFamily() && isAllTraffic(piece);
}

function isAllTraffic(piece: EgressPiece): boolean {
  const allProtocols = piece.protocols.size() === 256n;
  const allTcpOrUdp = (piece.protocols.has(6n) || piece.protocols.has(17n)) && piece.ports.isAll();
  return allProtocols || allTcpOrUdp;
}

/**
 * Pieces that are world-open egress only together (`0.0.0.0/1` + `128.0.0.0/1`, all traffic), with the protocols
 * on which they are. "All traffic" is judged per kind: every protocol, every TCP port, every UDP port; a piece is
 * grouped with the others of the same kind, and only pieces that add to the family (IPv4 or IPv6) their union
 * covers are returned (see `worldCoveringPieces`). Pieces that cover the world on their own are left to `isWorldOpenEgress`.
 */
function worldOpenEgressCombinations<T extends EgressPiece>(pieces: readonly T[]): ReadonlyMap<T, readonly CombinedEgress[]> {
  if (!mayCoverWorldTogether(pieces)) return NO_COMBINATIONS;
  const result = new Map<T, CombinedEgress[]>();
  // The two branches of an undecidable condition never exist together: each set of rules that can is combined alone.
  for (const world of branchWorlds(pieces, conditionOf)) combineWorld(world, result);
  return result;
}

function combineWorld<T extends EgressPiece>(pieces: readonly T[], result: Map<T, CombinedEgress[]>): void {
  const kinds: Array<{ protocols: IntervalSet | undefined; members: T[] }> = [
    { protocols: undefined, members: pieces.filter((piece) => piece.protocols.size() === 256n) },
    { protocols: IntervalSet.range(6n, 6n), members: pieces.filter((piece) => piece.protocols.has(6n) && piece.ports.isAll()) },
    { protocols: IntervalSet.range(17n, 17n), members: pieces.filter((piece) => piece.protocols.has(17n) && piece.ports.isAll()) },
  ];
  for (const kind of kinds) {
    for (const family of [4, 6] as const) {
      // Pieces that cover this family alone are FW104's single-rule case, not part of a combination.
      const partial = kind.members.filter((piece) => !piece.addresses.coversInternet(family));
      const together = worldCoveringPieces(partial, (each) => each.addresses, family);
      for (const piece of together) {
        const protocols = kind.protocols ?? piece.protocols;
        const when = conditionTogether(piece, together, conditionOf);
        const entries = result.get(piece) ?? [];
        const same = entries.find((entry) => entry.when.branch === when.branch);
        if (same) {
          same.protocols = same.protocols.union(protocols);
          same.together = [...new Set([...same.together, ...together])];
        } else entries.push({ protocols, when, together });
        result.set(piece, entries);
      }
    }
  }
}
