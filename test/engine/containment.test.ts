import { Prng } from '../../src/bench/prng';
import { Cover, describeBox, subtractAll, subtractTraffic, type TrafficBox } from '../../src/engine/profile-diff';
import { AddressSet } from '../../src/model/address-set';
import { IntervalSet } from '../../src/model/interval-set';
import { PortSet } from '../../src/model/port-set';

/** Random small sets, so that containment, overlap and disjointness all occur often. */
function randomIntervals(random: Prng, max: number): IntervalSet {
  const count = random.int(0, 3);
  return IntervalSet.of(
    Array.from({ length: count }, () => {
      const lo = random.int(0, max);
      return [BigInt(lo), BigInt(Math.min(max, lo + random.int(0, max >> 2)))] as const;
    }),
  );
}

const PROTOCOLS = [IntervalSet.range(6n, 6n), IntervalSet.range(17n, 17n), IntervalSet.of([[1n, 1n], [58n, 58n]]), IntervalSet.range(0n, 255n)];
const PORTS = ['22', '80', '443', '80-443', '1024-65535', '0-65535', '53', '20-23'].map((text) => PortSet.parse(text));
const ADDRESSES = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.0/25', '10.1.2.128/25', '192.0.2.0/24', '0.0.0.0/0', '2001:db8::/32'].map((text) =>
  AddressSet.parseCidr(text),
);

function randomBox(random: Prng): TrafficBox {
  const box: TrafficBox = { protocols: random.pick(PROTOCOLS), ports: random.pick(PORTS) };
  if (random.chance(0.8)) box.addresses = random.pick(ADDRESSES);
  return box;
}

/** The plain fold that subtractAll must equal, piece for piece. */
function reference(boxes: TrafficBox[], cover: TrafficBox[]): TrafficBox[] {
  let rest = boxes;
  for (const piece of cover) rest = rest.flatMap((box) => subtractTraffic(box, piece));
  return rest;
}

describe('exact containment shortcuts', () => {
  it('IntervalSet.containsAll agrees with an empty difference', () => {
    const random = new Prng(20261123);
    for (let i = 0; i < 3000; i++) {
      const a = randomIntervals(random, 64);
      const b = randomIntervals(random, 64);
      expect(a.containsAll(b)).toBe(b.subtract(a).isEmpty());
    }
  });

  it('subtractAll gives the same pieces, in the same order, as subtracting box by box', () => {
    const random = new Prng(4);
    let covered = 0;
    for (let i = 0; i < 2000; i++) {
      const boxes = Array.from({ length: random.chance(0.7) ? 1 : random.int(2, 3) }, () => randomBox(random));
      const cover = Array.from({ length: random.int(0, 12) }, () => randomBox(random));
      const expected = reference(boxes, cover);
      const actual = subtractAll(boxes, cover);
      if (expected.length === 0) covered++;
      expect(actual.map((box) => describeBox(box, 'in'))).toEqual(expected.map((box) => describeBox(box, 'in')));
    }
    // Both outcomes are exercised: boxes fully covered, and boxes with a part left.
    expect(covered).toBeGreaterThan(100);
    expect(covered).toBeLessThan(1900);
  });

  it('a prepared Cover gives the same pieces as the plain list, and holds a box exactly when one piece does', () => {
    const random = new Prng(11);
    let held = 0;
    for (let i = 0; i < 2000; i++) {
      const box = randomBox(random);
      // Up to 40 pieces: a role's flows or a target's grants, past the numeric hull test's break-even.
      const pieces = Array.from({ length: random.int(0, 40) }, () => randomBox(random));
      const cover = new Cover(pieces);
      const onePieceHolds = !box.protocols.isEmpty() && !box.ports.isEmpty() && pieces.some((piece) => subtractTraffic(box, piece).length === 0);
      if (!box.protocols.isEmpty() && !box.ports.isEmpty()) expect(cover.holds(box)).toBe(onePieceHolds);
      if (onePieceHolds) held++;
      expect(subtractAll([box], cover).map((piece) => describeBox(piece, 'in'))).toEqual(subtractAll([box], pieces).map((piece) => describeBox(piece, 'in')));
    }
    expect(held).toBeGreaterThan(100);
    expect(held).toBeLessThan(1900);
  });
});
