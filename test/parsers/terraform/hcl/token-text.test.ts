import { identifierText } from '../../../../src/parsers/terraform/hcl/names';
import { parseHcl } from '../../../../src/parsers/terraform/hcl';
import { digitsValue } from '../../../../src/parsers/terraform/hcl/parser';

describe('identifierText', () => {
  const text = 'xx protocol = var.protocols\nprotocoL from_port_2 ñame';

  it('gives the characters between the offsets, common name or not', () => {
    const words = [...text.matchAll(/[^\s=.]+/g)].map((match) => [match.index!, match.index! + match[0].length] as const);
    for (const [start, end] of words) expect(identifierText(text, start, end)).toBe(text.slice(start, end));
    expect(words.map(([start, end]) => identifierText(text, start, end))).toEqual(['xx', 'protocol', 'var', 'protocols', 'protocoL', 'from_port_2', 'ñame']);
  });

  it('names of a parsed file are the written ones', () => {
    const source = 'resource "aws_security_group" "web" {\n  ingress {\n    protocol = local.tcp\n    Protocol = true\n  }\n}\n';
    const block = parseHcl(source, 'main.tf').body!.blocks[0]!;
    const ingress = block.body.blocks[0]!;
    expect([block.type, ingress.type, ...ingress.body.attributes.map((attribute) => attribute.name)]).toEqual(['resource', 'ingress', 'protocol', 'Protocol']);
    const value = ingress.body.attributes[0]!.expr;
    expect(value.kind === 'get-attr' && value.object.kind === 'variable' ? [value.object.name, value.name] : []).toEqual(['local', 'tcp']);
    expect(ingress.body.attributes[1]!.expr).toMatchObject({ kind: 'literal', value: true });
  });
});

describe('number literals', () => {
  it.each(['0', '22', '007', '65535', '123456789', '1234567890', '1.5', '1e3'])('%s reads as Number reads it', (written) => {
    const expr = parseHcl(`a = ${written}\n`, 'main.tf').body!.attributes[0]!.expr;
    expect(expr.kind === 'literal' ? expr.value : expr.kind).toBe(Number.isNaN(Number(written)) ? 'invalid' : Number(written));
  });

  it('digitsValue reads digit runs of up to 9 digits only', () => {
    expect(digitsValue('x = 8080', 4, 8)).toBe(8080);
    expect(digitsValue('1234567890', 0, 10)).toBeUndefined();
    expect(digitsValue('1.5', 0, 3)).toBeUndefined();
    expect(digitsValue('', 0, 0)).toBeUndefined();
  });
});
