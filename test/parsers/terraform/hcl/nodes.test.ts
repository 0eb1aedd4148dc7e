import { copyNode, findAttribute, parseHcl, type ConditionalExpr } from '../../../../src/parsers/terraform/hcl';
import { LineMap } from '../../../../src/parsers/terraform/hcl/parser';

const TEXT = 'resource "aws_security_group" "web" {\n  ingress {\n    from_port   = var.open ? 0 : 22\n    cidr_blocks = ["10.0.0.0/8", local.office]\n  }\n}\n';

describe('parsed nodes: ranges made when read', () => {
  afterEach(() => jest.restoreAllMocks());

  it('computes no line/column range while parsing, one per node on its first read, and keeps it', () => {
    const ranges = jest.spyOn(LineMap.prototype, 'range');
    const { body, diagnostics } = parseHcl(TEXT, 'main.tf');
    expect(diagnostics).toEqual([]);
    expect(ranges).not.toHaveBeenCalled();

    const [resource] = body!.blocks;
    const ingress = resource!.body.blocks[0]!;
    const fromPort = findAttribute(ingress.body, 'from_port')!;
    const first = fromPort.range;
    expect(first).toEqual({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 36 });
    expect(fromPort.range).toBe(first);
    expect(ranges).toHaveBeenCalledTimes(1);

    expect(resource!.typeRange).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 9 });
    expect(resource!.labelRanges).toEqual([
      { startLine: 1, startColumn: 10, endLine: 1, endColumn: 30 },
      { startLine: 1, startColumn: 31, endLine: 1, endColumn: 36 },
    ]);
    expect(resource!.labelRanges).toBe(resource!.labelRanges);
    expect(resource!.typeRange).toBe(resource!.typeRange);
    expect(ingress.labelRanges).toEqual([]);
    expect(ranges).toHaveBeenCalledTimes(4);
  });

  it('takes a range set on a node in place of its own (the JSON syntax reader moves nodes so)', () => {
    const expr = findAttribute(parseHcl('a = 1\n', 'main.tf').body!, 'a')!.expr;
    const moved = { startLine: 7, startColumn: 2, endLine: 7, endColumn: 3 };
    expr.range = moved;
    expect(expr.range).toBe(moved);
  });

  it('has no range of its own: a spread drops it, copyNode keeps it', () => {
    const body = parseHcl(TEXT, 'main.tf').body!;
    const fromPort = findAttribute(body.blocks[0]!.body.blocks[0]!.body, 'from_port')!;
    const conditional = fromPort.expr as ConditionalExpr;
    expect(Object.keys(conditional)).not.toContain('range');
    expect({ ...conditional }.range).toBeUndefined();

    const swapped = copyNode(conditional, { trueExpr: conditional.falseExpr });
    expect(swapped.range).toEqual({ startLine: 3, startColumn: 19, endLine: 3, endColumn: 36 });
    expect(swapped.trueExpr).toBe(conditional.falseExpr);
    expect(swapped.falseExpr).toBe(conditional.falseExpr);
    expect(swapped.condition).toBe(conditional.condition);
    expect([swapped.kind, swapped.start, swapped.end]).toEqual(['conditional', conditional.start, conditional.end]);
  });
});
