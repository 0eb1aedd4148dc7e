import { NO_UNKNOWNS } from '../../../src/model/rule';
import type { SourceRange } from '../../../src/model/location';
import { parseProtocol } from '../../../src/model/protocol';
import { PortSet } from '../../../src/model/port-set';
import { evaluate, parseHcl, stringValue, unknownValue, type Expression, type Value } from '../../../src/parsers/terraform/hcl';
import {
  elementCount,
  elementRange,
  elementsOf,
  elementValue,
  finishRule,
  ownConcat,
  rulesFromConstruct,
  unresolvedBounds,
  type BuildContext,
  type Field,
} from '../../../src/parsers/terraform/to-model';

const range = (line: number): SourceRange => ({ startLine: line, startColumn: 1, endLine: line, endColumn: 10 });

function context(descriptionNote?: string): BuildContext {
  const ctx: BuildContext = { kind: 'terraform-hcl', file: 'main.tf', diagnostics: [], targetUnknowns: [] };
  if (descriptionNote !== undefined) ctx.descriptionNote = descriptionNote;
  return ctx;
}

/** `name = <expression>` parsed and evaluated as an argument is: its value, range and expression. */
function fieldOf(expression: string): Field {
  const text = `x = ${expression}\n`;
  const attribute = parseHcl(text, 'main.tf').body!.attributes[0]!;
  return { value: evaluate(attribute.expr, { text }), range: attribute.range, expr: attribute.expr };
}

describe('security-group rules built without a draft', () => {
  const fields = new Map<string, Field>([
    ['protocol', { value: stringValue('tcp'), range: range(2) }],
    ['from_port', { value: { kind: 'number', value: 22 }, range: range(3) }],
    ['to_port', { value: { kind: 'number', value: 22 }, range: range(4) }],
    ['description', { value: stringValue('ssh from the office network'), range: range(5) }],
    ['cidr_blocks', fieldOf('["10.0.0.0/8", "192.0.2.0/24"]')],
  ]);
  const construct = { style: 'inline' as const, direction: 'in' as const, fields, location: { file: 'main.tf', range: range(1) }, resourceAddress: 'aws_security_group.web.ingress[0]' };

  it('have the fields of finishRule, in its order (one object shape for every Terraform rule)', () => {
    const [rule] = rulesFromConstruct(construct, context());
    const finished = finishRule(
      { id: 'x', location: construct.location, peerLocation: construct.location, platform: 'aws-nacl', resourceAddress: 'x', direction: 'in', action: 'deny', protocol: parseProtocol('tcp')!, ports: PortSet.ALL, peer: { kind: 'self' }, priority: 100, enabled: true, unknowns: NO_UNKNOWNS },
      context(),
    );
    expect(Object.keys(rule!)).toEqual(Object.keys(finished));
  });

  it('one rule per peer, each with the description and the context note', () => {
    const rules = rulesFromConstruct(construct, context('(reported at the plan file)'));
    expect(rules.map((rule) => [rule.id, rule.peerLocation?.range.startColumn, rule.description])).toEqual([
      ['aws_security_group.web.ingress[0]#0', 6, 'ssh from the office network (reported at the plan file)'],
      ['aws_security_group.web.ingress[0]#1', 20, 'ssh from the office network (reported at the plan file)'],
    ]);
    expect(rulesFromConstruct(construct, context())[0]!.description).toBe('ssh from the office network');
  });
});

describe('elements of a list-or-scalar argument, read by index', () => {
  const cases: Array<[string, Field]> = [
    ['a literal list', fieldOf('["10.0.0.0/8", "192.0.2.0/24"]')],
    ['a list from a function call', fieldOf('concat(["10.0.0.0/8"], ["192.0.2.0/24"])')],
    ['a scalar', fieldOf('"10.0.0.0/8"')],
    ['null', fieldOf('null')],
    ['an empty list', fieldOf('[]')],
    ['a list literal whose value has another length', { ...fieldOf('["a", "b"]'), value: { kind: 'list', items: [stringValue('a')] } }],
  ];

  it.each(cases)('%s: the same elements and ranges as elementsOf', (_name, field) => {
    const byIndex = Array.from({ length: elementCount(field) }, (_, index) => ({ value: elementValue(field, index), range: elementRange(field, index) }));
    expect(byIndex).toEqual(elementsOf(field));
  });

  it('an element of a literal list is at its own expression, of anything else at the argument', () => {
    const literal = fieldOf('["10.0.0.0/8", "192.0.2.0/24"]');
    expect(elementRange(literal, 1)).toEqual({ startLine: 1, startColumn: 20, endLine: 1, endColumn: 34 });
    const call = fieldOf('concat(["10.0.0.0/8"], ["192.0.2.0/24"])');
    expect(elementCount(call)).toBe(2);
    expect(elementRange(call, 1)).toBe(call.range);
    expect(elementCount(fieldOf('null'))).toBe(0);
  });
});

describe('unresolvedBounds', () => {
  const known = (value: number): Field => ({ value: { kind: 'number', value }, range: range(3) });
  const unknown = (text: string, line: number): Field => ({ value: unknownValue(text, range(line)), range: range(line) });

  it('shares the empty list when both bounds are known (the usual case: nothing allocated)', () => {
    expect(unresolvedBounds({ resourceAddress: 'r' }, known(22), known(22), context())).toBe(NO_UNKNOWNS);
  });

  it('lists the unresolved ones, from_port first, each at its argument', () => {
    expect(unresolvedBounds({ resourceAddress: 'r' }, unknown('var.a', 3), unknown('var.b', 4), context())).toEqual([
      { field: 'r.from_port', expr: 'var.a', location: { file: 'main.tf', range: range(3) } },
      { field: 'r.to_port', expr: 'var.b', location: { file: 'main.tf', range: range(4) } },
    ]);
    expect(unresolvedBounds({ resourceAddress: 'r' }, known(1), unknown('var.b', 4), context()).map((each) => each.field)).toEqual(['r.to_port']);
  });
});

describe('list literals evaluated without an evaluator', () => {
  /** The list as the evaluator builds it: the same items inside a call it passes through (`concat`). */
  function viaEvaluator(items: string): Value {
    const text = `x = concat(${items})\n`;
    return evaluate(parseHcl(text, 'main.tf').body!.attributes[0]!.expr, { text });
  }
  function direct(items: string): { value: Value; expr: Expression } {
    const text = `x = ${items}\n`;
    const expr = parseHcl(text, 'main.tf').body!.attributes[0]!.expr;
    return { value: evaluate(expr, { text }), expr };
  }

  it.each(['[1, 2.5, -3, true, false, null, "", "s", "10.0.0.0/8"]', '[]', '["a", ["nested"]]', '["a", "${1 + 1}"]'])('%s', (items) => {
    expect(direct(items).value).toEqual(viaEvaluator(items));
  });
});

describe('ownConcat', () => {
  it('joins the parts, as their template literal does', () => {
    const file = `${'x'.repeat(40)}aws_security_group.a_long_group_name`;
    const address = file.slice(40);
    expect(ownConcat([address, '.', 'ingress', '[', String(3), ']'])).toBe(`${address}.ingress[3]`);
    expect(ownConcat([address])).toBe(address);
    expect(ownConcat(['a', ''])).toBe('a');
  });
});
