import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { accessedNameRange, attributeNameRange, blocksOfType, evaluate, findAttribute, parseHcl, stringValue } from '../../../../src/parsers/terraform/hcl';
import { parseHclExpression, parseHclTemplate } from '../../../../src/parsers/terraform/hcl/parser';
import type { Block, Body, Expression, TemplateExpr } from '../../../../src/parsers/terraform/hcl';
import type { SourceRange } from '../../../../src/model/location';

const FIXTURES = join(__dirname, '../../../../fixtures/hcl');

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function parseOk(text: string): Body {
  const result = parseHcl(text, 'test.tf');
  expect(result.diagnostics).toEqual([]);
  return result.body!;
}

function attr(text: string, name = 'a'): Expression {
  const found = findAttribute(parseOk(text), name);
  if (!found) throw new Error(`no attribute ${name}`);
  return found.expr;
}

/** Independent offset → position conversion: 1-based line and UTF-16 column, BOM not counted. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function expectRangeMatchesOffsets(text: string, range: SourceRange, start: number, end: number): void {
  const a = positionOf(text, start);
  const b = positionOf(text, end);
  expect(range).toEqual({ startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column });
}

function allBlocks(body: Body): Block[] {
  return body.blocks.flatMap((block) => [block, ...allBlocks(block.body)]);
}

function describeShape(expr: Expression): string {
  switch (expr.kind) {
    case 'literal':
      return String(expr.value);
    case 'variable':
      return expr.name;
    case 'binary':
      return `(${describeShape(expr.left)} ${expr.op} ${describeShape(expr.right)})`;
    case 'unary':
      return `(${expr.op}${describeShape(expr.operand)})`;
    case 'conditional':
      return `(${describeShape(expr.condition)} ? ${describeShape(expr.trueExpr)} : ${describeShape(expr.falseExpr)})`;
    case 'get-attr':
      return `${describeShape(expr.object)}.${expr.name}`;
    case 'index':
      return `${describeShape(expr.collection)}[${describeShape(expr.key)}]`;
    case 'splat':
      return `splat(${describeShape(expr.source)}, ${describeShape(expr.each)})`;
    case 'splat-item':
      return '*';
    case 'parens':
      return `(${describeShape(expr.expr)})`;
    case 'function-call':
      return `${expr.name}(${expr.args.map(describeShape).join(', ')}${expr.expandFinal ? '...' : ''})`;
    default:
      return expr.kind;
  }
}

describe('parseHcl positions', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.tf'));

  it.each(files)('%s: every attribute starts at its key, every block at its type', (name) => {
    const text = fixture(name);
    const body = parseOk(text);
    const bodies = [body, ...allBlocks(body).map((block) => block.body)];
    for (const current of bodies) {
      for (const attribute of current.attributes) {
        expect(text.slice(attribute.start)).toMatch(new RegExp(`^${attribute.name}\\s*=`));
        expectRangeMatchesOffsets(text, attribute.range, attribute.start, attribute.end);
        expectRangeMatchesOffsets(text, attributeNameRange(attribute), attribute.start, attribute.start + attribute.name.length);
        expectRangeMatchesOffsets(text, attribute.expr.range, attribute.expr.start, attribute.expr.end);
        expect(attribute.end).toBe(attribute.expr.end);
      }
    }
    for (const block of allBlocks(body)) {
      expect(text.startsWith(block.type, block.start)).toBe(true);
      expect(text[block.end - 1]).toBe('}');
      expectRangeMatchesOffsets(text, block.range, block.start, block.end);
      block.labelRanges.forEach((range, i) => {
        const lines = text.split('\n');
        const labelText = lines[range.startLine - 1].slice(range.startColumn - 1, range.endColumn - 1);
        expect([block.labels[i], JSON.stringify(block.labels[i])]).toContain(labelText);
      });
    }
  });

  it('gives the name of object.name its own range, at the end of the expression', () => {
    const text = 'a = [\n  aws_security_group.web[0]\n    .id,\n  "é😀", var.x.yy\n]\n';
    const items = attr(text);
    if (items.kind !== 'tuple') throw new Error(items.kind);
    const accesses = items.items.flatMap((item) => (item.kind === 'get-attr' ? [item] : []));
    for (const access of accesses) expectRangeMatchesOffsets(text, accessedNameRange(access), access.end - access.name.length, access.end);
    expect(accesses.map(accessedNameRange)).toEqual([
      { startLine: 3, startColumn: 6, endLine: 3, endColumn: 8 },
      { startLine: 4, startColumn: 16, endLine: 4, endColumn: 18 },
    ]);
  });

  it('counts columns in UTF-16 code units, after a BOM, across CRLF and tabs', () => {
    const text = '\ufeffa = "é😀"\r\n\tb = 2\r\nc = [\r\n  1,\r\n]\r\n';
    const body = parseOk(text);
    const [a, b, c] = body.attributes;
    expect(a.range).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 10 });
    expect(b.range).toEqual({ startLine: 2, startColumn: 2, endLine: 2, endColumn: 7 });
    expect(c.range).toEqual({ startLine: 3, startColumn: 1, endLine: 5, endColumn: 2 });
    expect(text.slice(c.start, c.end)).toBe('c = [\r\n  1,\r\n]');
  });

  it('gives blocks the ranges of their type, labels and whole extent', () => {
    const text = 'resource "aws_security_group" web {\n  ingress { from_port = 22 }\n}\n';
    const [block] = parseOk(text).blocks;
    expect(block.typeRange).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 9 });
    expect(block.labels).toEqual(['aws_security_group', 'web']);
    expect(block.labelRanges).toEqual([
      { startLine: 1, startColumn: 10, endLine: 1, endColumn: 30 },
      { startLine: 1, startColumn: 31, endLine: 1, endColumn: 34 },
    ]);
    expect(block.range).toEqual({ startLine: 1, startColumn: 1, endLine: 3, endColumn: 2 });
    const [ingress] = blocksOfType(block.body, 'ingress');
    expect(ingress.range).toEqual({ startLine: 2, startColumn: 3, endLine: 2, endColumn: 29 });
    expect(findAttribute(ingress.body, 'from_port')!.range).toEqual({ startLine: 2, startColumn: 13, endLine: 2, endColumn: 27 });
  });

  it('returns comments with their lines, so annotations can be matched to the block below', () => {
    const text = fixture('security-groups.tf');
    const result = parseHcl(text, 'security-groups.tf');
    const annotations = result.comments.filter((comment) => comment.text.includes('fwlint:'));
    expect(annotations.map((comment) => comment.text)).toEqual([
      '# fwlint:profile netapp-cloud-manager/cloud-manager',
      '// fwlint:ignore FW101 reason="health checks from the load balancer"',
    ]);
    const resource = result.body!.blocks[0];
    expect(annotations[0].line).toBe(resource.range.startLine - 1);
    const ingress = blocksOfType(resource.body, 'ingress');
    expect(annotations[1].line).toBe(ingress[2].range.startLine - 1);
    expect(annotations[1].range.startColumn).toBe(3);
    const block = result.comments.find((comment) => comment.text.startsWith('/*'))!;
    expect(block.text).toBe('/* ICMP echo request */');
  });
});

describe('parseHcl structure', () => {
  it('reads attributes, nested and one-line blocks, quoted and bare labels', () => {
    const body = parseOk('resource "a" b {\n  x = 1\n  nested {\n    y = 2\n  }\n  one { z = 3 }\n  empty {}\n}\n');
    const [resource] = body.blocks;
    expect(resource.type).toBe('resource');
    expect(resource.labels).toEqual(['a', 'b']);
    expect(resource.body.attributes.map((a) => a.name)).toEqual(['x']);
    expect(resource.body.blocks.map((b) => b.type)).toEqual(['nested', 'one', 'empty']);
    expect(resource.body.blocks[1].body.attributes[0].name).toBe('z');
  });

  it('applies operator precedence and associativity as hclsyntax does', () => {
    expect(describeShape(attr('a = 1 + 2 * 3 - 4'))).toBe('((1 + (2 * 3)) - 4)');
    expect(describeShape(attr('a = a || b && c == d'))).toBe('(a || (b && (c == d)))');
    expect(describeShape(attr('a = a < b == c > d'))).toBe('((a < b) == (c > d))');
    expect(describeShape(attr('a = -46 + 5'))).toBe('((-46) + 5)');
    expect(describeShape(attr('a = !a.b'))).toBe('(!a.b)');
    expect(describeShape(attr('a = x % 2 / 3'))).toBe('((x % 2) / 3)');
    expect(describeShape(attr('a = a ? b : c ? d : e'))).toBe('(a ? b : (c ? d : e))');
    expect(describeShape(attr('a = (1 + 2) * 3'))).toBe('(((1 + 2)) * 3)');
  });

  it('reads traversals, indexes and both splat forms', () => {
    expect(describeShape(attr('a = aws_instance.web[0].private_ip'))).toBe('aws_instance.web[0].private_ip');
    expect(describeShape(attr('a = x[*].y.z[0]'))).toBe('splat(x, *.y.z[0])');
    // An attribute-only splat takes only the attribute steps; a following index applies to its result.
    expect(describeShape(attr('a = x.*.y[0]'))).toBe('splat(x, *.y)[0]');
    const legacy = attr('a = list.0');
    expect(legacy.kind === 'index' && legacy.isLegacy).toBe(true);
  });

  it('reads function calls with expansion, trailing commas and provider namespaces', () => {
    expect(describeShape(attr('a = max(var.list...)'))).toBe('max(var.list...)');
    expect(describeShape(attr('a = concat(\n  [1],\n  [2],\n)'))).toBe('concat(tuple, tuple)');
    expect(describeShape(attr('a = provider::aws::arn_parse(x)'))).toBe('provider::aws::arn_parse(x)');
  });

  it('reads tuples and objects with every separator and key form', () => {
    const object = attr('a = {\n  k1 = 1\n  "k2" = 2, (k3) = 3\n  k4: 4,\n}');
    expect(object.kind).toBe('object');
    if (object.kind !== 'object') return;
    expect(object.items.map((item) => item.key.kind)).toEqual(['variable', 'template', 'parens', 'variable']);
    const tuple = attr('a = [\n  1,\n  "two"\n  ,3,\n]');
    expect(tuple.kind === 'tuple' && tuple.items.length).toBe(3);
  });

  it('reads for expressions', () => {
    const list = attr('a = [for i, s in var.subnets : upper(s.name) if s.public]');
    expect(list).toMatchObject({ kind: 'for', keyVar: 'i', valueVar: 's', isObject: false, isGrouped: false, keyExpr: null });
    const object = attr('a = {\n  for s in var.subnets : s.az => s.id...\n}');
    expect(object).toMatchObject({ kind: 'for', keyVar: null, valueVar: 's', isObject: true, isGrouped: true, condition: null });
  });

  it('decodes strings, escapes and template sequences', () => {
    const escaped = attr('a = "q\\" b\\\\ t\\t n\\n u\\u00e9 U\\U0001F600 $${x} %%{y} $z"') as TemplateExpr;
    expect(escaped.parts).toEqual([expect.objectContaining({ kind: 'text', value: 'q" b\\ t\t n\n ué U😀 ${x} %{y} $z' })]);
    const stripped = attr('a = "  a  ${~ x ~}  b  "') as TemplateExpr;
    expect(stripped.parts.map((p) => (p.kind === 'text' ? p.value : p.kind))).toEqual(['  a', 'interp', 'b  ']);
    const directive = attr('a = "%{ if x }yes%{ else }no%{ endif }%{for k, v in m}${k}%{endfor}"') as TemplateExpr;
    expect(directive.parts.map((p) => p.kind)).toEqual(['template-if', 'template-for']);
    expect(directive.parts[0]).toMatchObject({ thenParts: [{ kind: 'text', value: 'yes' }], elseParts: [{ kind: 'text', value: 'no' }] });
    expect(directive.parts[1]).toMatchObject({ keyVar: 'k', valueVar: 'v', bodyParts: [{ kind: 'interp' }] });
  });

  it('gives literal text its offsets only (its template has the range), in plain and in templated strings', () => {
    const plain = attr('a = "10.0.0.0/8"') as TemplateExpr;
    expect(plain.parts).toEqual([{ kind: 'text', value: '10.0.0.0/8', start: 5, end: 15 }]);
    expect(plain.range).toEqual({ startLine: 1, startColumn: 5, endLine: 1, endColumn: 17 });
    const templated = attr('a = "x ${y} z"') as TemplateExpr;
    expect(templated.parts.filter((part) => part.kind === 'text')).toEqual([
      { kind: 'text', value: 'x ', start: 5, end: 7 },
      { kind: 'text', value: ' z', start: 11, end: 13 },
    ]);
  });

  it('reads heredocs, trimming the common indentation of <<- heredocs', () => {
    const plain = attr('a = <<EOT\n  keep\n    this\nEOT\n') as TemplateExpr;
    expect(plain.heredoc).toEqual({ marker: 'EOT', isIndented: false });
    expect(plain.parts).toEqual([expect.objectContaining({ value: '  keep\n    this\n' })]);
    const indented = attr('a = <<-EOT\n    first\n      second ${x}\n\n    third\n    EOT\nb = 1\n') as TemplateExpr;
    expect(indented.heredoc).toEqual({ marker: 'EOT', isIndented: true });
    expect(indented.parts.map((p) => (p.kind === 'text' ? p.value : '<x>'))).toEqual(['first\n  second ', '<x>', '\n\nthird\n']);
    const crlf = attr('a = <<EOT\r\nhi\r\nEOT\r\n') as TemplateExpr;
    expect(crlf.parts).toEqual([expect.objectContaining({ value: 'hi\r\n' })]);
    // A closing marker at the very end of the file, without a newline, is accepted.
    expect(attr('a = <<EOT\nx\nEOT')).toMatchObject({ kind: 'template', parts: [{ value: 'x\n' }] });
  });

  it('treats comments as blank space and line comments as line ends', () => {
    const body = parseOk('a = 1 # one\nb = [ # open\n  2, /* two */ 3\n] // close\n/* block\n comment */ c = 4\n');
    expect(body.attributes.map((a) => a.name)).toEqual(['a', 'b', 'c']);
  });

  it('accepts identifiers with dashes and Unicode letters', () => {
    expect(attr('a = foo-bar')).toMatchObject({ kind: 'variable', name: 'foo-bar' });
    expect(parseOk('größe = 1\n').attributes[0].name).toBe('größe');
  });
});

describe('parseHcl errors', () => {
  interface ErrorCase {
    name: string;
    text: string;
    code: string;
    message: string;
    at: [number, number];
  }
  const cases: ErrorCase[] = [
    { name: 'unterminated string', text: 'a = "abc\nb = 1\n', code: 'parse/hcl-unterminated-string', message: 'unterminated string', at: [1, 5] },
    { name: 'block without = or {', text: 'resource "x" "y" {\n  ingress\n}\n', code: 'parse/hcl-missing-equals', message: 'expected "=" or "{" after "ingress"', at: [2, 10] },
    { name: 'unclosed block', text: 'resource "a" "b" {\n  x = 1\n', code: 'parse/hcl-unclosed-block', message: 'unclosed block "resource": no "}" before end of file', at: [1, 18] },
    { name: 'missing value', text: 'a = \nb = 1\n', code: 'parse/hcl-missing-expression', message: 'expected an expression, found a newline', at: [1, 5] },
    { name: 'unclosed list', text: 'a = [1, 2\n', code: 'parse/hcl-unclosed-bracket', message: 'unclosed "[": no "]" before end of file', at: [1, 5] },
    { name: 'missing comma in list', text: 'a = [1 2]\n', code: 'parse/hcl-missing-separator', message: 'expected "," or "]" in list, found "2"', at: [1, 8] },
    { name: 'single quotes', text: "a = 'x'\n", code: 'parse/hcl-invalid-character', message: 'invalid character "\'": strings use double quotes', at: [1, 5] },
    { name: 'unterminated heredoc', text: 'a = <<EOT\nfoo\n', code: 'parse/hcl-unterminated-heredoc', message: 'unterminated heredoc: no closing "EOT" line before end of file', at: [1, 5] },
    { name: 'unterminated comment', text: 'a = 1\n/* foo\nb = 1', code: 'parse/hcl-unterminated-comment', message: 'unterminated comment: no "*/" before end of file', at: [2, 1] },
    { name: 'two arguments on a line', text: 'a = 1 b = 2\n', code: 'parse/hcl-missing-newline', message: 'expected a newline after the value of "a", found "b"', at: [1, 7] },
    { name: 'comma between arguments', text: 'a = 1, b = 2\n', code: 'parse/hcl-missing-newline', message: 'unexpected "," after the value of "a": arguments are separated by newlines', at: [1, 6] },
    { name: 'duplicate argument', text: 'a = 1\na = 2\n', code: 'parse/hcl-duplicate-argument', message: 'argument "a" was already set on line 1', at: [2, 1] },
    { name: 'invalid escape', text: 'a = "x\\q"\n', code: 'parse/hcl-invalid-escape', message: 'invalid escape sequence "\\\\q"', at: [1, 7] },
    { name: 'conditional without colon', text: 'a = b ? c\n', code: 'parse/hcl-invalid-conditional', message: 'expected ":" in conditional expression, found a newline', at: [1, 10] },
    { name: 'two arguments in a one-line block', text: 'x { a = 1, b = 2 }\n', code: 'parse/hcl-invalid-block', message: 'a single-line block can hold only one argument; put each argument of "x" on its own line', at: [1, 10] },
    { name: '= after block labels', text: 'resource "a" = {\n}\n', code: 'parse/hcl-invalid-block', message: 'unexpected "=" after the labels of block "resource"', at: [1, 14] },
    { name: 'missing comma in call', text: 'a = f(1 2)\n', code: 'parse/hcl-invalid-function-call', message: 'expected "," or ")" in call to "f", found "2"', at: [1, 9] },
    { name: 'missing separator in object', text: 'a = {b = 1 c = 2}\n', code: 'parse/hcl-missing-separator', message: 'expected "," or a newline between object items, found "c"', at: [1, 12] },
    { name: 'stray closing brace', text: '}\na = 1\n', code: 'parse/hcl-unexpected-token', message: 'unexpected "}": no block is open here', at: [1, 1] },
    { name: 'dot without name', text: 'a = x.\n', code: 'parse/hcl-invalid-traversal', message: 'expected an attribute name after ".", found a newline', at: [1, 7] },
    { name: 'for without colon', text: 'a = [for x in y x]\n', code: 'parse/hcl-invalid-for', message: 'expected ":" after the for-expression collection, found "x"', at: [1, 17] },
    { name: 'if without endif', text: 'a = "%{if x}y"\n', code: 'parse/hcl-invalid-template-directive', message: '"%{if}" has no matching "%{endif}"', at: [1, 6] },
    { name: 'bad number', text: 'a = 1.2.3\n', code: 'parse/hcl-invalid-number', message: 'invalid number "1.2.3"', at: [1, 5] },
    { name: 'quoted argument name', text: '"a" = 1\n', code: 'parse/hcl-unexpected-token', message: 'expected an argument or block definition, found a string (argument names are not quoted)', at: [1, 1] },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = parseHcl(c.text, 'bad.tf');
    expect(result.diagnostics).toHaveLength(1);
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({ code: c.code, severity: 'error', message: c.message, file: 'bad.tf' });
    expect([diagnostic.range!.startLine, diagnostic.range!.startColumn]).toEqual(c.at);
  });

  it('keeps what it could read around an error', () => {
    const text = 'resource "a" "first" {\n  x = [1 2]\n  y = 2\n}\nresource "a" "second" {\n  z = 3\n}\n';
    const result = parseHcl(text, 'partial.tf');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['parse/hcl-missing-separator']);
    expect(result.body!.blocks.map((b) => b.labels[1])).toEqual(['first', 'second']);
    expect(result.body!.blocks[0].body.attributes.map((a) => a.name)).toEqual(['x', 'y']);
    expect(result.body!.blocks[1].body.attributes.map((a) => a.name)).toEqual(['z']);
  });

  it('reports one problem for an unterminated string inside an interpolation', () => {
    const result = parseHcl('a = "${b"\nc = 1\n', 'bad.tf');
    expect(result.diagnostics.map((d) => [d.code, d.range!.startColumn])).toEqual([['parse/hcl-unterminated-string', 5]]);
    expect(result.body!.attributes.map((a) => a.name)).toEqual(['a', 'c']);
  });

  it('limits nesting depth with a diagnostic instead of overflowing the stack', () => {
    const brackets = parseHcl('a = ' + '['.repeat(10_000), 'deep.tf');
    expect(brackets.diagnostics).toEqual([
      expect.objectContaining({ code: 'parse/hcl-too-deep', message: 'nesting deeper than 500 levels' }),
    ]);
    for (const text of [
      'a = ' + '('.repeat(20_000) + '1' + ')'.repeat(20_000),
      'a = ' + '"${'.repeat(5_000),
      'a {\n'.repeat(5_000),
      'a = ' + '-'.repeat(100_000) + '1',
      'a = 1' + '+1'.repeat(100_000),
      'a = x' + '.y'.repeat(100_000),
      'a = ' + 'x ? 1 : '.repeat(10_000) + '2',
    ]) {
      const codes = parseHcl(text, 'deep.tf').diagnostics.map((d) => d.code);
      expect(codes).toContain('parse/hcl-too-deep');
      // Reported once where the limit is crossed, not again for every level past it.
      expect(codes.filter((code) => code === 'parse/hcl-too-deep')).toHaveLength(1);
    }
  });

  it('parses nesting just under the limit', () => {
    const depth = 400;
    expect(parseHcl('a = ' + '['.repeat(depth) + ']'.repeat(depth), 'ok.tf').diagnostics).toEqual([]);
    expect(parseHcl('a = ' + '{b = '.repeat(depth) + '1' + '}'.repeat(depth), 'ok.tf').diagnostics).toEqual([]);
    expect(parseHcl('a {\n'.repeat(depth) + '}\n'.repeat(depth), 'ok.tf').diagnostics).toEqual([]);
  });

  it('stops after many errors', () => {
    const result = parseHcl('!\n'.repeat(500), 'noise.tf');
    expect(result.diagnostics.length).toBeLessThanOrEqual(51);
    expect(result.diagnostics[result.diagnostics.length - 1].code).toBe('parse/hcl-too-many-errors');
  });

  it('never throws on an empty or whitespace-only file', () => {
    expect(parseHcl('', 'empty.tf')).toMatchObject({ body: { attributes: [], blocks: [] }, comments: [], diagnostics: [] });
    expect(parseHcl('\ufeff\n\n  \t\n', 'blank.tf').diagnostics).toEqual([]);
  });
});

describe('parseHclTemplate and parseHclExpression (strings of Terraform JSON syntax)', () => {
  it('read a whole text as a template: interpolations and directives, backslashes literal, $${ an escape', () => {
    const parsed = parseHclTemplate('a\\n ${var.x} $${y} %{ if true }t%{ endif }', 'main.tf.json');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.expr.parts.map((part) => (part.kind === 'text' ? `text:${part.value}` : part.kind))).toEqual(['text:a\\n ', 'interp', 'text: ${y} ', 'template-if']);
    expect(evaluate(parseHclTemplate('x-${1 + 1}', 'f').expr, { text: 'x-${1 + 1}' })).toEqual(stringValue('x-2'));
    // Line breaks are text (a JSON string decodes `\n` to one), not the end of a quoted string.
    expect(parseHclTemplate('a\nb', 'f')).toMatchObject({ diagnostics: [], expr: { parts: [{ kind: 'text', value: 'a\nb' }] } });
  });

  it('report a broken sequence at its offset in the text', () => {
    expect(parseHclTemplate('${var.x +}', 'f').diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.range?.startColumn}`)).toEqual(['parse/hcl-missing-expression 10']);
  });

  it('read a whole text as one expression, and nothing after it', () => {
    expect(parseHclExpression('list(string)', 'f')).toMatchObject({ diagnostics: [], expr: { kind: 'function-call', name: 'list' } });
    expect(parseHclExpression('aws.west', 'f').expr.kind).toBe('get-attr');
    expect(parseHclExpression('a b', 'f').diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['expected the end of the expression, found "b"']);
  });
});
