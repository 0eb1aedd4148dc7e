import { AddressSet } from '../model/address-set';

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

function familySize(addresses: AddressSet, family: 4 | 6): bigint {
  const size = addresses.size();
  return family === 4 ? size.v4 : size.v6;
}
