import { AddressSet } from '../model/address-set';
import { branchLiterals, branchOfAnyText, branchOfLiterals, type Branched } from '../model/branch';
import type { Rule } from '../model/rule';
import type { FindingSpec } from './define-check';

const FAMILY_SIZE = { 4: 1n << 32n, 6: 1n << 128n } as const;

/**
 * The pieces that together cover all of one address family (`0.0.0.0/1` + `128.0.0.0/1`), or none when their union
 * does not. Only pieces that add addresses of that family are returned: a piece of the other family, or one inside
 * the others' union (`10.0.0.0/8` beside `0.0.0.0/1`), is not what opens the target to the world. Pieces are taken
 * largest first, so of two equal pieces the earlier counts. The result keeps the input order.
 */
export function worldCoveringPieces<T>(pieces: readonly T[], addressesOf: (piece: T) => AddressSet, family: 4 | 6): T[] {
  const all = family === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6;
  const sized = pieces
    .map((piece, index) => ({ piece, index, part: addressesOf(piece).intersect(all) }))
    .map((entry) => ({ ...entry, size: familySize(entry.part, family) }))
    .filter((entry) => entry.size > 0n);
  // Sizes that do not add up to the family cannot cover it: most targets stop here without any union.
  if (sized.length < 2 || sized.reduce((sum, entry) => sum + entry.size, 0n) < FAMILY_SIZE[family]) return [];
  sized.sort((a, b) => (a.size > b.size ? -1 : a.size < b.size ? 1 : a.index - b.index));
  let union = AddressSet.EMPTY;
  const kept: typeof sized = [];
  for (const entry of sized) {
    if (union.containsAll(entry.part)) continue;
    union = union.union(entry.part);
    kept.push(entry);
  }
  if (!union.containsAll(all)) return [];
  return kept.sort((a, b) => a.index - b.index).map((entry) => entry.piece);
}

/**
 * Whether pieces could cover all of IPv4 or all of IPv6 together: only if their sizes add up to a family. Most
 * targets stop here, before any world, intersection or union is built.
 */
export function mayCoverWorldTogether(pieces: ReadonlyArray<{ addresses: AddressSet }>): boolean {
  if (pieces.length < 2) return false;
  let v4 = 0n;
  let v6 = 0n;
  for (const piece of pieces) {
    const size = piece.addresses.size();
    v4 += size.v4;
    v6 += size.v6;
  }
  return v4 >= FAMILY_SIZE[4] || v6 >= FAMILY_SIZE[6];
}

function familySize(addresses: AddressSet, family: 4 | 6): bigint {
  const size = addresses.size();
  return family === 4 ? size.v4 : size.v6;
}

/**
 * The condition under which `piece` is world-open together with `together` (pieces of one world, so compatible): its
 * own and theirs. An unconditional `0.0.0.0/1` that a `128.0.0.0/1` under `IsProd` completes is so `IsProd=true`.
 */
export function conditionTogether<T>(piece: T, together: readonly T[], conditionOf: (piece: T) => Branched): Branched {
  const own = conditionOf(piece);
  if (together.every((other) => conditionOf(other).branch === undefined || conditionOf(other).branch === own.branch)) return own;
  const branch = branchOfLiterals(own.kind, [own, ...together.map(conditionOf)].flatMap(branchLiterals));
  return branch === own.branch ? own : { kind: own.kind, branch };
}

/** Whether condition `a` says more than `b`: every literal of `b`, and others. */
export function narrowerCondition(a: Branched, b: Branched): boolean {
  const literals = new Set(branchLiterals(a));
  const others = branchLiterals(b);
  return others.length < literals.size && others.every((literal) => literals.has(literal));
}

/**
 * Findings of one rule under different conditions on the same traffic are told apart by the condition too; a finding
 * alone on its traffic keeps the fingerprint it had before conditions of denies and combinations were named. Those
 * that say the same under different conditions are one, under any of them (`sameUnderConditions`).
 */
export function distinctKeys(specs: FindingSpec[]): FindingSpec[] {
  // Almost every target has no finding under a condition of its own: nothing to tell apart.
  if (!specs.some((spec) => spec.branch !== undefined)) return specs;
  const findings = sameUnderConditions(specs);
  const counts = new Map<string, number>();
  const identity = (spec: FindingSpec): string => `${(spec.rule as Rule).id}\u0000${spec.key ?? ''}`;
  for (const spec of findings) counts.set(identity(spec), (counts.get(identity(spec)) ?? 0) + 1);
  for (const spec of findings) if (spec.branch !== undefined && counts.get(identity(spec))! > 1) spec.key = `${spec.key ?? ''}\u0000${spec.branch}`;
  return findings;
}

/**
 * Findings of one rule that say the same (message and traffic) under different conditions of their own as one, under
 * any of them: an allow that a deny under `var.a and var.b` closes is open under `!var.a` and under `var.a and !var.b`
 * (disjoint pieces, see `negatedBranchCells`), one finding `(when !var.a or !var.b)`.
 */
function sameUnderConditions(findings: FindingSpec[]): FindingSpec[] {
  const groups = new Map<string, FindingSpec[]>();
  for (const spec of findings) {
    if (spec.branch === undefined) continue;
    const identity = `${(spec.rule as Rule).id}\u0000${spec.messageId}\u0000${spec.key ?? ''}\u0000${JSON.stringify(spec.data)}`;
    const group = groups.get(identity);
    if (group) group.push(spec);
    else groups.set(identity, [spec]);
  }
  const merged = new Set<FindingSpec>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    const branch = branchOfAnyText(first.rule!.kind, group.map((spec) => spec.branch!));
    if (branch === undefined || branch === first.rule!.branch) delete first.branch;
    else first.branch = branch;
    for (const spec of group.slice(1)) merged.add(spec);
  }
  return merged.size === 0 ? findings : findings.filter((spec) => !merged.has(spec));
}
