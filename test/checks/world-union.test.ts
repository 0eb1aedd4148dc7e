import { mayCoverWorldTogether } from '../../src/checks/fw101-world-union';
import { AddressSet } from '../../src/model/address-set';

const piecesFrom = (...lists: string[]): Array<{ addresses: AddressSet }> => lists.map((list) => ({ addresses: AddressSet.parseList(list) }));

describe('mayCoverWorldTogether (the cheap test before FW101 and FW104 combine pieces)', () => {
  it('holds where the sizes of the pieces add up to a whole family', () => {
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', '128.0.0.0/1'))).toBe(true);
    expect(mayCoverWorldTogether(piecesFrom('::/1', '8000::/1', '10.0.0.0/8'))).toBe(true);
    // Sizes only: overlapping pieces may add up without covering; the exact test comes after.
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', '0.0.0.0/1'))).toBe(true);
  });

  it('fails where they cannot: too few addresses of each family, or a single piece', () => {
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', '128.0.0.0/2'))).toBe(false);
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', '::/1'))).toBe(false);
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/0'))).toBe(false);
    expect(mayCoverWorldTogether([])).toBe(false);
  });
});
