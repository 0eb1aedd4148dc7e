import { mayCoverWorldTogether, worldCoveringPieces } from '../../src/checks/fw101-world-union';
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
    // IPv6's internet is global unicast 2000::/3: a quarter of it (2000::/4 is a half) cannot cover it.
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', '2000::/5'))).toBe(false);
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/0'))).toBe(false);
    expect(mayCoverWorldTogether([])).toBe(false);
  });
});

describe('worldCoveringPieces (pieces world-open together)', () => {
  const covering = (...lists: string[]): string[] => worldCoveringPieces(lists.map((list) => AddressSet.parseList(list)), (each) => each, 4).map(String);
  const halfLessOneHost = AddressSet.parseCidr('128.0.0.0/1').subtract(AddressSet.parseCidr('203.0.113.7/32')).toString();

  it('covers the internet less a small remainder (QA 3/01): two halves, one host denied from one', () => {
    expect(covering('0.0.0.0/1', halfLessOneHost)).toEqual(['0.0.0.0/1', halfLessOneHost]);
    // Less than the routable space by a /7: no.
    expect(covering('0.0.0.0/1', '128.0.0.0/1').length).toBe(2);
    expect(covering('0.0.0.0/1, 130.0.0.0/7, 132.0.0.0/6, 136.0.0.0/5, 144.0.0.0/4, 160.0.0.0/3', '192.0.0.0/2')).toEqual([]);
    // Short of class E (240.0.0.0/4, a sixteenth of IPv4) only: no internet host is there (QA 4/11).
    expect(covering('0.0.0.0/1, 128.0.0.0/2', '192.0.0.0/3, 224.0.0.0/4')).toEqual(['0.0.0.0/1, 128.0.0.0/2', '192.0.0.0/3, 224.0.0.0/4']);
  });

  it('covers the IPv6 internet with the halves of global unicast 2000::/3, not with pieces outside it (QA 4/01)', () => {
    const covering6 = (...lists: string[]): string[] => worldCoveringPieces(lists.map((list) => AddressSet.parseList(list)), (each) => each, 6).map(String);
    expect(covering6('2000::/4', '3000::/4')).toEqual(['2000::/4', '3000::/4']);
    // 8000::/1 holds no global unicast address: it adds nothing to the halves, nor covers the internet with one of them.
    expect(covering6('8000::/1', '2000::/4', '3000::/4')).toEqual(['2000::/4', '3000::/4']);
    expect(covering6('8000::/1', '2000::/4')).toEqual([]);
  });

  it('does not blame a piece the others cover the internet without (one host beside the halves)', () => {
    expect(covering('203.0.113.7/32', '0.0.0.0/1', halfLessOneHost)).toEqual(['0.0.0.0/1', halfLessOneHost]);
    // Nor a private range: no public address in it.
    expect(covering('10.0.0.0/8', '0.0.0.0/1', '128.0.0.0/1')).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
  });
});

describe('mayCoverWorldTogether near the whole family', () => {
  it('holds where the pieces may cover all but less than 1/256 of the routable addresses', () => {
    const upTo = '128.0.0.0/2, 192.0.0.0/3, 224.0.0.0/4, 240.0.0.0/5';
    // Short of 255.128.0.0/9 (2^23 addresses): may. Short of 208.0.0.0/4 and all above it (more than the private
    // ranges, the bogons and the remainder together, sizes being all this test knows): cannot.
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', `${upTo}, 248.0.0.0/6, 252.0.0.0/7, 254.0.0.0/8, 255.0.0.0/9`))).toBe(true);
    expect(mayCoverWorldTogether(piecesFrom('0.0.0.0/1', '128.0.0.0/2, 192.0.0.0/4'))).toBe(false);
  });
});
