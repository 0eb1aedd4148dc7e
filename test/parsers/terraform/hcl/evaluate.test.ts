import { readFileSync } from 'fs';
import { join } from 'path';
import {
  blocksOfType,
  dynamicIteratorName,
  evaluate,
  findAttribute,
  fromJs,
  isWhollyKnown,
  iteratorValue,
  numberValue,
  parseHcl,
  stringValue,
  toJs,
  type Reference,
  type Scope,
  type Value,
} from '../../../../src/parsers/terraform/hcl';

const vars = new Map<string, Value>([
  ['env', stringValue('prod')],
  ['ports', fromJs([22, 80, 443])],
  ['vpc_cidr', stringValue('10.0.0.0/16')],
  [
    'subnets',
    fromJs([
      { name: 'a', cidr: '10.0.1.0/24', az: 'eu-1a', public: true },
      { name: 'b', cidr: '10.0.2.0/24', az: 'eu-1a', public: false },
      { name: 'c', cidr: '10.0.3.0/24', az: 'eu-1b', public: true },
    ]),
  ],
  ['rules', fromJs({ ssh: { port: 22 }, rdp: { port: 3389 } })],
]);
const locals = new Map<string, Value>([['tags', fromJs({ Owner: 'platform' })]]);

/** Resolves `aws_security_group.<name>.<attr>` to a reference; everything else stays unresolved. */
function resolve(reference: Reference): Value | undefined {
  const [name, attribute] = reference.steps;
  if (reference.root !== 'aws_security_group' || name?.kind !== 'attr') return undefined;
  return {
    kind: 'ref',
    address: `aws_security_group.${name.name}`,
    attribute: attribute?.kind === 'attr' ? attribute.name : null,
    text: reference.text,
    range: reference.range,
  };
}

function evalText(expression: string, extra: Partial<Scope> = {}): Value {
  const text = `x = ${expression}\n`;
  const parsed = parseHcl(text, 'eval.tf');
  expect(parsed.diagnostics).toEqual([]);
  return evaluate(parsed.body!.attributes[0].expr, { text, vars, locals, resolve, ...extra });
}

function evalJs(expression: string, extra: Partial<Scope> = {}): unknown {
  const value = evalText(expression, extra);
  const converted = toJs(value);
  if (converted === undefined) throw new Error(`${expression} is not fully known: ${JSON.stringify(value)}`);
  return converted;
}

function unknownOf(expression: string, extra: Partial<Scope> = {}): { text: string; error?: string } {
  const value = evalText(expression, extra);
  if (value.kind !== 'unknown') throw new Error(`${expression} is known: ${JSON.stringify(toJs(value))}`);
  return value.error === undefined ? { text: value.text } : { text: value.text, error: value.error };
}

describe('evaluate: literals, operators and references', () => {
  it('evaluates literals and collections', () => {
    expect(evalJs('[1, 2.5, -3, true, null, "s"]')).toEqual([1, 2.5, -3, true, null, 's']);
    expect(evalJs('{ a = 1, "b c" = [2], (var.env) = 3 }')).toEqual({ a: 1, 'b c': [2], prod: 3 });
  });

  it('applies operators with Terraform conversions', () => {
    expect(evalJs('1 + 2 * 3 - 4 / 2 % 3')).toBe(5);
    expect(evalJs('"2" * 3')).toBe(6);
    expect(evalJs('[1 < 2, 2 >= 3, 1 == 1, 1 == "1", [1] == [1], {a=1} != {a=2}]')).toEqual([true, false, true, false, true, true]);
    expect(evalJs('!(true && false) || false')).toBe(true);
    expect(evalJs('-var.ports[0]')).toBe(-22);
    expect(unknownOf('1 / 0')).toEqual({ text: '1 / 0', error: 'division by zero' });
    expect(unknownOf('1 + "x"').error).toMatch(/number is required/);
  });

  // Terraform's numbers are 512-bit binary floats, where 0.1 + 0.2 == 0.3; doubles made it false, which decided a
  // `count` and so whether a rule exists.
  it('adds, subtracts and multiplies decimals as Terraform does, not as doubles', () => {
    expect(evalJs('[0.1 + 0.2 == 0.3, sum([0.1, 0.2]) == 0.3, 0.3 - 0.1 == 0.2, 1.1 * 3 == 3.3, 0.1 + 0.2]')).toEqual([true, true, true, true, 0.3]);
    expect(evalJs('[0.1 + 0.2 == 0.30000000000000004, 2.5 * -4, -0.5 - 0.25, 100000 * 100000 * 100000 * 100000]')).toEqual([false, -10, -0.75, 1e20]);
    // An exponent form stays a double.
    expect(evalJs('1e-7 + 2e-7')).toBe(1e-7 + 2e-7);
  });

  it('reads variables, locals, count.index, each and iterator symbols', () => {
    expect(evalJs('var.env')).toBe('prod');
    expect(evalJs('var.ports[count.index]', { count: { index: numberValue(1) } })).toBe(80);
    expect(evalJs('local.tags.Owner')).toBe('platform');
    expect(evalJs('[each.key, each.value.port]', { each: { key: stringValue('ssh'), value: fromJs({ port: 22 }) } })).toEqual(['ssh', 22]);
    const rule = iteratorValue(stringValue('rdp'), fromJs({ port: 3389, cidrs: ['10.0.0.0/8'] }));
    expect(evalJs('[rule.key, rule.value.port, rule.value.cidrs[0]]', { symbols: new Map([['rule', rule]]) })).toEqual(['rdp', 3389, '10.0.0.0/8']);
  });

  it('evaluates conditionals, choosing only the taken branch', () => {
    expect(evalJs('var.env == "prod" ? "m5.large" : "t3.micro"')).toBe('m5.large');
    expect(evalJs('false ? aws_vpc.main.id : "known"')).toBe('known');
    expect(unknownOf('var.unset ? 1 : 2')).toEqual({ text: 'var.unset' });
  });

  it('evaluates for expressions over lists and maps, with filters and grouping', () => {
    expect(evalJs('[for s in var.subnets : s.cidr if s.public]')).toEqual(['10.0.1.0/24', '10.0.3.0/24']);
    expect(evalJs('[for i, s in var.subnets : "${i}:${s.name}"]')).toEqual(['0:a', '1:b', '2:c']);
    expect(evalJs('{ for s in var.subnets : s.name => s.cidr }')).toEqual({ a: '10.0.1.0/24', b: '10.0.2.0/24', c: '10.0.3.0/24' });
    expect(evalJs('{ for s in var.subnets : s.az => s.name... }')).toEqual({ 'eu-1a': ['a', 'b'], 'eu-1b': ['c'] });
    // Maps iterate in lexical key order.
    expect(evalJs('[for name, rule in var.rules : "${name}=${rule.port}"]')).toEqual(['rdp=3389', 'ssh=22']);
    expect(unknownOf('{ for s in var.subnets : s.az => s.name }').error).toMatch(/duplicate key "eu-1a"/);
  });

  it('evaluates both splat forms', () => {
    expect(evalJs('var.subnets[*].name')).toEqual(['a', 'b', 'c']);
    expect(evalJs('var.subnets.*.cidr')).toEqual(['10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
    expect(evalJs('var.env[*]')).toEqual(['prod']);
    // A full splat applies the following index to each element; an attribute-only splat applies it to the result.
    expect(evalJs('[{ p = [1, 2] }, { p = [3] }][*].p[0]')).toEqual([1, 3]);
    expect(evalJs('[{ p = [1, 2] }, { p = [3] }].*.p[0]')).toEqual([1, 2]);
  });

  it('renders templates, directives and heredocs', () => {
    expect(evalJs('"web-${var.env}-${count.index}"', { count: { index: numberValue(2) } })).toBe('web-prod-2');
    expect(evalJs('"%{ for p in var.ports }${p},%{ endfor }"')).toBe('22,80,443,');
    expect(evalJs('"%{ if var.env == "prod" }P%{ else }D%{ endif }"')).toBe('P');
    expect(evalJs('"${true} ${1.5} ${10}"')).toBe('true 1.5 10');
    const text = 'x = <<-EOT\n    env: ${var.env}\n      indented\n    EOT\n';
    const parsed = parseHcl(text, 'heredoc.tf');
    expect(toJs(evaluate(parsed.body!.attributes[0].expr, { text, vars }))).toBe('env: prod\n  indented\n');
    // A lone interpolation passes its value through unconverted.
    expect(evalJs('"${var.ports}"')).toEqual([22, 80, 443]);
  });
});

describe('evaluate: unknowns and references', () => {
  it('keeps the text of what could not be resolved', () => {
    const value = evalText('aws_vpc.main.cidr_block');
    expect(value).toMatchObject({ kind: 'unknown', text: 'aws_vpc.main.cidr_block', range: { startLine: 1, startColumn: 5, endLine: 1, endColumn: 28 } });
    expect(unknownOf('var.missing')).toEqual({ text: 'var.missing' });
    expect(unknownOf('data.aws_vpc.x.id')).toEqual({ text: 'data.aws_vpc.x.id' });
    expect(unknownOf('unsupported_function(1)')).toEqual({ text: 'unsupported_function(1)' });
    expect(unknownOf('provider::aws::arn_parse("x")')).toEqual({ text: 'provider::aws::arn_parse("x")' });
  });

  it('propagates unknowns through operations, keeping the root cause', () => {
    expect(unknownOf('"sg-${aws_vpc.main.id}-x"')).toEqual({ text: 'aws_vpc.main.id' });
    expect(unknownOf('upper(aws_vpc.main.id)')).toEqual({ text: 'aws_vpc.main.id' });
    expect(unknownOf('aws_vpc.main.count + 1')).toEqual({ text: 'aws_vpc.main.count' });
    expect(unknownOf('[for c in aws_vpc.main.cidrs : c]')).toEqual({ text: 'aws_vpc.main.cidrs' });
    expect(unknownOf('aws_instance.web[*].id')).toEqual({ text: 'aws_instance.web[*].id' });
    expect(unknownOf('var.unset.field[0]', { vars: new Map([['unset', { kind: 'unknown', text: 'var.unset', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } }]]) })).toEqual({
      text: 'var.unset.field[0]',
    });
  });

  it('keeps a list with an unknown element a list', () => {
    const value = evalText('["10.0.0.0/8", aws_vpc.main.cidr_block]');
    expect(value.kind).toBe('list');
    if (value.kind !== 'list') return;
    expect(value.items[0]).toEqual(stringValue('10.0.0.0/8'));
    expect(value.items[1]).toMatchObject({ kind: 'unknown', text: 'aws_vpc.main.cidr_block' });
    expect(isWhollyKnown(value)).toBe(false);
    const concatenated = evalText('concat(var.ports, [aws_vpc.main.port])');
    expect(concatenated.kind === 'list' && concatenated.items.map((item) => item.kind)).toEqual(['number', 'number', 'number', 'unknown']);
  });

  it('passes resource references through as reference values', () => {
    const ref = { kind: 'ref', address: 'aws_security_group.web', attribute: 'id' };
    expect(evalText('aws_security_group.web.id')).toMatchObject({ ...ref, text: 'aws_security_group.web.id' });
    expect(evalText('"${aws_security_group.web.id}"')).toMatchObject(ref);
    expect(evalText('[aws_security_group.web.id]')).toMatchObject({ kind: 'list', items: [ref] });
    expect(evalText('tolist([aws_security_group.lb.id])')).toMatchObject({ kind: 'list', items: [{ address: 'aws_security_group.lb' }] });
    expect(evalText('var.env == "prod" ? aws_security_group.web.id : null')).toMatchObject(ref);
    expect(unknownOf('"sg:${aws_security_group.web.id}"')).toEqual({ text: 'aws_security_group.web.id' });
  });

  it('splats a reference to a whole resource instance as a one-element list, and not a reference to an attribute', () => {
    const ref = { kind: 'ref', address: 'aws_security_group.web', attribute: 'id' };
    expect(evalText('one(aws_security_group.web[*].id)')).toMatchObject(ref);
    expect(evalText('aws_security_group.web.*.id')).toMatchObject({ kind: 'list', items: [ref] });
    expect(unknownOf('aws_security_group.web.ids[*]')).toEqual({ text: 'aws_security_group.web.ids[*]' });
    // A full splat applies the index to each id; the unresolved element names the whole splat.
    expect(evalText('aws_security_group.web[*].id[0]')).toMatchObject({ kind: 'list', items: [{ kind: 'unknown', text: 'aws_security_group.web[*].id[0]' }] });
  });

  it('lets the resolver see evaluated index keys', () => {
    const seen: Reference[] = [];
    evalText('aws_instance.web[count.index].private_ip', {
      count: { index: numberValue(3) },
      resolve: (reference) => {
        seen.push(reference);
        return undefined;
      },
    });
    expect(seen).toEqual([
      expect.objectContaining({
        root: 'aws_instance',
        steps: [{ kind: 'attr', name: 'web' }, { kind: 'index', key: numberValue(3) }, { kind: 'attr', name: 'private_ip' }],
        text: 'aws_instance.web[count.index].private_ip',
      }),
    ]);
  });

  it('reports evaluation errors as unknowns with a message', () => {
    expect(unknownOf('var.ports[7]')).toEqual({ text: 'var.ports[7]', error: 'index 7 out of range for a list of 3' });
    expect(unknownOf('var.subnets[0].nope')).toEqual({ text: 'var.subnets[0].nope', error: 'no attribute "nope"' });
    expect(unknownOf('element([], 0)').error).toBe('element: cannot use element on an empty list');
  });
});

describe('evaluate: functions', () => {
  it.each([
    ['concat([1], [2, 3], [])', [1, 2, 3]],
    ['flatten([[1, [2]], [], 3])', [1, 2, 3]],
    ['tolist(["a"])', ['a']],
    ['toset(["b", "a", "b"])', ['a', 'b']],
    ['tomap({ a = 1 })', { a: 1 }],
    ['lookup({ a = 1 }, "a")', 1],
    ['lookup({ a = 1 }, "b", "default")', 'default'],
    ['merge({ a = 1, b = 1 }, null, { b = 2 })', { a: 1, b: 2 }],
    ['element(["a", "b", "c"], 4)', 'b'],
    ['length(var.ports)', 3],
    ['length({ a = 1 })', 1],
    ['length("héllo")', 5],
    ['keys({ b = 1, a = 2 })', ['a', 'b']],
    ['values({ b = 1, a = 2 })', [2, 1]],
    ['distinct([1, 2, 1, "1"])', [1, 2, '1']],
    ['compact(["a", "", null, "b"])', ['a', 'b']],
    ['coalesce(null, "", "x", "y")', 'x'],
    ['coalescelist([], ["a"])', ['a']],
    ['contains(var.ports, 80)', true],
    ['contains(var.ports, "80")', false],
    ['join(",", ["a", 1, true])', 'a,1,true'],
    ['split(",", "a,b,,c")', ['a', 'b', '', 'c']],
    ['format("%s-%03d-%v-%q-%.2f-%%", "a", 7, true, "q", 1.5)', 'a-007-true-"q"-1.50-%'],
    ['format("%-5s|%5d", "ab", 42)', 'ab   |   42'],
    ['lower("AbC")', 'abc'],
    ['upper("AbC")', 'ABC'],
    ['trimspace("  x \\n")', 'x'],
    ['replace("a.b.c", ".", "-")', 'a-b-c'],
    ['range(3)', [0, 1, 2]],
    ['range(1, 4)', [1, 2, 3]],
    ['range(10, 0, -4)', [10, 6, 2]],
    ['try(var.ports[9], var.ports[0])', 22],
    ['try(lookup({}, "k"), "fallback")', 'fallback'],
    ['can(var.ports[1])', true],
    ['can(var.ports[9])', false],
    ['cidrsubnet("10.0.0.0/16", 8, 2)', '10.0.2.0/24'],
    ['cidrsubnet(var.vpc_cidr, 4, 15)', '10.0.240.0/20'],
    ['cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)', 'fd00:fd12:3456:7800:a200::/72'],
    ['cidrhost("10.12.112.0/20", 16)', '10.12.112.16'],
    ['cidrhost("10.12.112.0/20", 268)', '10.12.113.12'],
    ['cidrhost("10.0.0.0/24", -1)', '10.0.0.255'],
    ['cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)', 'fd00:fd12:3456:7890::22'],
    ['cidrnetmask("172.16.0.0/12")', '255.240.0.0'],
    ['cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)', ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']],
    ['jsonencode({ b = [1, "<x>"], a = true })', '{"a":true,"b":[1,"\\u003cx\\u003e"]}'],
    ['tostring(12)', '12'],
    ['tonumber("22")', 22],
    ['tobool("true")', true],
    ['min(3, 1, 2)', 1],
    ['max(var.ports...)', 443],
    ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
    ['setproduct(["a", "b"], [1, 2])', [['a', 1], ['a', 2], ['b', 1], ['b', 2]]],
    ['abs(-3)', 3],
    ['one([])', null],
    ['reverse([1, 2])', [2, 1]],
    ['slice([1, 2, 3], 1, 3)', [2, 3]],
    ['sort(["b", "a"])', ['a', 'b']],
    ['substr("hello", 1, 3)', 'ell'],
    ['startswith("hello", "he")', true],
    ['sum([1, 2, 3])', 6],
    ['regex(":", "::/0")', ':'],
    ['regex("^(\\\\d+)-(\\\\d+)$", "22-80")', ['22', '80']],
    ['regex("^(?P<from>\\\\d+)-(?P<to>\\\\d+)?$", "22-")', { from: '22', to: null }],
    ['regex("(?i)^SG-", "sg-0abc")', 'sg-'],
    ['regexall("\\\\d+", "a1b22")', ['1', '22']],
    ['regexall("(\\\\w)=(\\\\d)", "a=1 b=2")', [['a', '1'], ['b', '2']]],
    // Go skips an empty match right after the previous match.
    ['regexall("a*", "baaac")', ['', 'aaa', '']],
    ['regexall(":", "0.0.0.0/0")', []],
    ['can(regex(":", "::/0"))', true],
    ['can(regex(":", "0.0.0.0/0"))', false],
  ])('%s', (expression, expected) => {
    expect(evalJs(expression)).toEqual(expected);
  });

  it('returns unknown when an argument is unknown, except where the value is passed through', () => {
    expect(unknownOf('join(",", ["a", aws_vpc.main.id])')).toEqual({ text: 'aws_vpc.main.id' });
    expect(unknownOf('length(aws_vpc.main.ids)')).toEqual({ text: 'aws_vpc.main.ids' });
    expect(unknownOf('contains(["a", aws_vpc.main.id], "b")')).toEqual({ text: 'aws_vpc.main.id' });
    expect(evalJs('contains(["a", aws_vpc.main.id], "a")')).toBe(true);
    expect(evalJs('length(["a", aws_vpc.main.id])')).toBe(2);
    // try() cannot know whether an unresolved argument would fail later, so it stays unresolved.
    expect(unknownOf('try(aws_vpc.main.cidr_block, "0.0.0.0/0")')).toEqual({ text: 'aws_vpc.main.cidr_block' });
    expect(unknownOf('can(aws_vpc.main.cidr_block)')).toEqual({ text: 'aws_vpc.main.cidr_block' });
    expect(unknownOf('replace("abc", "/b/", "x")')).toEqual({ text: 'replace("abc", "/b/", "x")' });
    // A pattern fwlint does not translate stays unresolved, so can() does not decide a condition on it.
    expect(unknownOf('can(regex("(?<=a)b", "ab"))')).toEqual({ text: 'regex("(?<=a)b", "ab")' });
    expect(unknownOf('regex("(a+)+$", "aaaa")')).toEqual({ text: 'regex("(a+)+$", "aaaa")' });
  });

  it('reports misuse as errors', () => {
    expect(unknownOf('cidrsubnet("10.0.0.0/30", 4, 0)').error).toMatch(/insufficient address space/);
    expect(unknownOf('cidrhost("10.0.0.0/30", 9)').error).toMatch(/does not accommodate a host numbered 9/);
    expect(unknownOf('cidrsubnet("nonsense", 4, 0)').error).toMatch(/invalid CIDR address/);
    expect(unknownOf('lookup({}, "k")').error).toMatch(/no element for key "k"/);
    expect(unknownOf('range(2000)').error).toMatch(/more than 1024 elements/);
    expect(unknownOf('concat(1)').error).toMatch(/must be a list/);
    expect(unknownOf('upper()').error).toMatch(/expects 1 argument/);
    expect(unknownOf('regex(":", "0.0.0.0/0")').error).toMatch(/did not match/);
    expect(unknownOf('regex("(\\\\w)(?P<x>y)", "ay")').error).toMatch(/all named or all unnamed/);
  });
});

describe('evaluate: a realistic security group', () => {
  it('resolves a dynamic block through its iterator', () => {
    const text = readFileSync(join(__dirname, '../../../../fixtures/hcl/dynamic-blocks.tf'), 'utf8');
    const parsed = parseHcl(text, 'dynamic-blocks.tf');
    const [localsBlock] = blocksOfType(parsed.body!, 'locals');
    const scope: Scope = { text, vars: new Map([['env', stringValue('dev')]]) };
    const localValues = new Map<string, Value>();
    for (const attribute of localsBlock.body.attributes) localValues.set(attribute.name, evaluate(attribute.expr, { ...scope, locals: localValues }));
    const web = parsed.body!.blocks.find((block) => block.labels[1] === 'web')!;
    const [ports, rules] = blocksOfType(web.body, 'dynamic');

    const forEach = evaluate(findAttribute(ports.body, 'for_each')!.expr, { ...scope, locals: localValues });
    expect(toJs(forEach)).toEqual([80, 443, 8443]);
    const [content] = blocksOfType(ports.body, 'content');
    const rendered = forEach.kind === 'list'
      ? forEach.items.map((item, i) => {
          const symbols = new Map([[dynamicIteratorName(ports), iteratorValue(numberValue(i), item)]]);
          return toJs(evaluate(findAttribute(content.body, 'description')!.expr, { ...scope, symbols }));
        })
      : [];
    expect(rendered).toEqual(['web port 0: 80', 'web port 1: 443', 'web port 2: 8443']);

    // The symbol is the block label, unless a custom `iterator = rule` names it.
    expect(dynamicIteratorName(ports)).toBe('ingress');
    expect(dynamicIteratorName(rules)).toBe('rule');
    const rulesValue = evaluate(findAttribute(rules.body, 'for_each')!.expr, { ...scope, locals: localValues });
    const [ruleContent] = blocksOfType(rules.body, 'content');
    const cidrs = rulesValue.kind === 'object'
      ? [...rulesValue.entries].map(([key, value]) =>
          toJs(evaluate(findAttribute(ruleContent.body, 'cidr_blocks')!.expr, { ...scope, symbols: new Map([[dynamicIteratorName(rules), iteratorValue(stringValue(key), value)]]) })),
        )
      : [];
    expect(cidrs).toEqual([['10.0.0.0/8'], ['10.1.0.0/16', '10.2.0.0/16']]);
  });
});
