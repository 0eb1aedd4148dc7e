import { constructPieces, rulesOf } from '../../src/engine/construct-pieces';
import { computeEffective } from '../../src/engine/effective';
import { describeTraffic } from '../../src/engine/traffic';
import type { SourceLocation } from '../../src/model/location';
import type { Rule } from '../../src/model/rule';
import { rule, target } from '../helpers/build-rule';

/** The model rules of one written rule: one per item of its CIDR list, all at the list's location. */
function writtenRule(items: Array<{ ports: string; cidr: string }>, line: number): Rule[] {
  const at: SourceLocation = { file: 'main.tf', range: { startLine: line, startColumn: 5, endLine: line, endColumn: 40 } };
  return items.map(({ ports, cidr }) => rule('in', 'tcp', ports, cidr, { resourceAddress: 'aws_security_group.web.ingress[0]', location: at, peerLocation: at }));
}

function piecesOf(rules: Rule[]): Array<{ traffic: string; addresses: string; rules: string[] }> {
  return constructPieces(computeEffective(target(rules)).in).map((piece) => ({
    traffic: describeTraffic(piece.protocols, piece.ports),
    addresses: piece.addresses.toString(),
    rules: rulesOf(piece).map((each) => each.id),
  }));
}

describe('constructPieces', () => {
  it('makes the items of a written rule that differ only in their addresses one piece: their union, every rule in order', () => {
    const rules = writtenRule([{ ports: '443', cidr: '10.0.0.0/9' }, { ports: '443', cidr: '192.0.2.0/24' }, { ports: '443', cidr: '10.128.0.0/9' }], 3);
    expect(piecesOf(rules)).toEqual([{ traffic: 'tcp/443', addresses: '10.0.0.0/8, 192.0.2.0/24', rules: rules.map((each) => each.id) }]);
  });

  it('keeps items on other ports apart, and joins the addresses of each port (one box but for one dimension)', () => {
    const rules = writtenRule(
      [
        { ports: '22', cidr: '10.0.0.0/9' },
        { ports: '80', cidr: '10.0.0.0/9' },
        { ports: '22', cidr: '10.128.0.0/9' },
        { ports: '80', cidr: '10.128.0.0/9' },
      ],
      7,
    );
    const [ssh, http, sshHigh, httpHigh] = rules.map((each) => each.id);
    expect(piecesOf(rules)).toEqual([
      { traffic: 'tcp/22', addresses: '10.0.0.0/8', rules: [ssh, sshHigh] },
      { traffic: 'tcp/80', addresses: '10.0.0.0/8', rules: [http, httpHigh] },
    ]);
  });

  it('does not join the items of different written rules', () => {
    const rules = [...writtenRule([{ ports: '443', cidr: '10.0.0.0/9' }], 3), ...writtenRule([{ ports: '443', cidr: '10.128.0.0/9' }], 4)];
    expect(piecesOf(rules).map((piece) => piece.addresses)).toEqual(['10.0.0.0/9', '10.128.0.0/9']);
  });
});
