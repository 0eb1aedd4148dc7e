/**
 * Differential test: our HCL reader against `hcl2-parser` (hashicorp/hcl v2.10 + tmccombs/hcl2json v0.3.3 compiled
 * to JS), used only as an oracle. Every `.tf` file under fixtures/ (recursively, so fixtures added later are
 * covered) and a generated corpus must give the same value tree once our AST is rendered the way hcl2json
 * renders hclsyntax (`toOracleShape`).
 */
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import fc from 'fast-check';
import { parseHcl, syntheticTerraform } from '../../../../src/parsers/terraform/hcl';
import type { Block, Body, Expression, TemplatePart } from '../../../../src/parsers/terraform/hcl';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const oracle = require('hcl2-parser') as { parseToObject(text: string): [unknown, unknown] };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ROOT = join(__dirname, '../../../..');

function tfFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.tf')) out.push(path);
  }
  return out.sort();
}

/** Runs the oracle; null when it rejects the input (its errors are opaque GopherJS objects, or Go panics). */
function oracleShape(text: string): Json | null {
  try {
    const [value, error] = oracle.parseToObject(text);
    return error ? null : (value as Json);
  } catch {
    return null;
  }
}

/** Valid HCL that hcl2json's JSON shape cannot hold: blocks of one type with different label counts. */
class UnrepresentableError extends Error {}

/**
 * Renders a body as hcl2json `convert.go` does: blocks nest by type then label, each leaf holding an array of
 * bodies; attributes override blocks of the same name; literal values become JSON; templates become strings with
 * non-literal parts as `${source}`; every other expression becomes `"${source}"`.
 */
function toOracleShape(body: Body, text: string): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const block of body.blocks) addBlock(out, block, text);
  for (const attribute of body.attributes) out[attribute.name] = expressionShape(attribute.expr, text);
  return out;
}

function addBlock(out: { [key: string]: Json }, block: Block, text: string): void {
  let target = out;
  let key = block.type;
  for (const label of block.labels) {
    if (!(key in target)) target[key] = {};
    const next = target[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new UnrepresentableError(`${block.type} blocks with different label counts`);
    target = next;
    key = label;
  }
  const value = toOracleShape(block.body, text);
  const existing = target[key];
  if (existing === undefined) target[key] = [value];
  else if (Array.isArray(existing)) existing.push(value);
  else throw new UnrepresentableError(`${block.type} blocks with different label counts`);
}

/** Source text as hcl2json's `rangeSource` slices it, including its "next byte is ')'" quirk. */
function source(expr: Expression, text: string): string {
  const end = text[expr.end] === ')' ? expr.end + 1 : expr.end;
  return text.slice(expr.start, end);
}

function wrap(expr: Expression, text: string): string {
  return '${' + source(expr, text) + '}';
}

/** hclsyntax TemplateWrapExpr: a template that is exactly one interpolation. */
function wrappedExpression(expr: Expression): Expression | null {
  return expr.kind === 'template' && expr.parts.length === 1 && expr.parts[0].kind === 'interp' ? expr.parts[0].expr : null;
}

function expressionShape(expr: Expression, text: string): Json {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'unary':
      if (expr.operand.kind !== 'literal') return wrap(expr, text);
      return expr.op === '-' ? -(expr.operand.value as number) : !expr.operand.value;
    case 'template': {
      const inner = wrappedExpression(expr);
      return inner ? expressionShape(inner, text) : templateShape(expr.parts, text);
    }
    case 'tuple':
      return expr.items.map((item) => expressionShape(item, text));
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const item of expr.items) out[keyShape(item.key, text)] = expressionShape(item.value, text);
      return out;
    }
    default:
      return wrap(expr, text);
  }
}

function templateShape(parts: TemplatePart[], text: string): string {
  if (parts.length === 1 && parts[0].kind === 'text') return parts[0].value;
  return parts.map((part) => templatePartShape(part, text)).join('');
}

function templatePartShape(part: TemplatePart, text: string): string {
  switch (part.kind) {
    case 'text':
      return part.value;
    case 'interp':
      return stringPartShape(part.expr, text);
    case 'template-if': {
      const elseText = part.elseParts ? templateShape(part.elseParts, text) : '';
      return `%{if ${source(part.condition, text)}}${templateShape(part.thenParts, text)}${elseText ? '%{else}' + elseText : ''}%{endif}`;
    }
    case 'template-for': {
      const names = part.keyVar ? `${part.keyVar}, ${part.valueVar}` : part.valueVar;
      return `%{for ${names} in ${source(part.collection, text)}}${templateShape(part.bodyParts, text)}%{endfor}`;
    }
  }
}

/** hcl2json `convertStringPart`: how an interpolated expression appears inside a larger template. */
function stringPartShape(expr: Expression, text: string): string {
  switch (expr.kind) {
    case 'literal':
      return String(expr.value);
    case 'template': {
      const inner = wrappedExpression(expr);
      return inner ? stringPartShape(inner, text) : templateShape(expr.parts, text);
    }
    case 'conditional': {
      // hcl2json renders every conditional inside a template as an %{if} directive, even "${a ? b : c}".
      const falseText = stringPartShape(expr.falseExpr, text);
      return `%{if ${source(expr.condition, text)}}${stringPartShape(expr.trueExpr, text)}${falseText ? '%{else}' + falseText : ''}%{endif}`;
    }
    default:
      return wrap(expr, text);
  }
}

/** Static traversals (`a`, `a.b`, `a[0]`, `a["k"]`) are hclsyntax ScopeTraversalExprs, rendered as bare source. */
function isScopeTraversal(expr: Expression): boolean {
  switch (expr.kind) {
    case 'variable':
      return true;
    case 'get-attr':
      return isScopeTraversal(expr.object);
    case 'index':
      return isScopeTraversal(expr.collection) && (expr.isLegacy || expr.key.kind === 'literal' || isStringLiteral(expr.key));
    default:
      return false;
  }
}

function isStringLiteral(expr: Expression): boolean {
  return expr.kind === 'template' && expr.heredoc === null && (expr.parts.length === 0 || (expr.parts.length === 1 && expr.parts[0].kind === 'text'));
}

function keyShape(key: Expression, text: string): string {
  return isScopeTraversal(key) ? text.slice(key.start, key.end) : stringPartShape(key, text);
}

/**
 * Known, deliberate differences between the oracle and our reader, applied to the input the oracle sees:
 * - hcl v2.10 requires a newline after a heredoc's closing marker; at end of file we accept it without one
 *   (Terraform files are often saved without a final newline), so the oracle gets one appended.
 */
function oracleInput(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

/**
 * Inputs the oracle cannot judge, each with its reason:
 * - hcl2json folds `-`/`!` applied to a literal and fails on a type error (`!0`, `-true`); for us that is valid
 *   syntax and `evaluate` reports the type error, so such inputs are kept out of the generated expressions.
 * - hcl2json cannot render a `null` literal interpolated into a longer template (`"a${null}"`, or a conditional
 *   with a null branch, `"a${c ? x : null}"`: cty has no string for null) and panics; for us it is valid syntax,
 *   so the generator leaves null out of interpolations.
 * - provider-defined functions (`provider::aws::arn_parse(...)`) arrived in hcl v2.20; the oracle's v2.10 rejects them.
 */
function oracleCannotParse(text: string): boolean {
  return /\bprovider::/.test(text);
}

function compareWithOracle(text: string, file: string): void {
  const ours = parseHcl(text, file);
  if (oracleCannotParse(text)) {
    expect(ours.diagnostics).toEqual([]);
    return;
  }
  const expected = oracleShape(oracleInput(text));
  let actual: Json | null = null;
  try {
    actual = toOracleShape(ours.body!, text);
  } catch (error) {
    if (!(error instanceof UnrepresentableError)) throw error;
  }
  if (expected === null) {
    // Both must reject invalid input (the trees of invalid input are not compared), unless the input is valid HCL
    // that the oracle's JSON shape cannot represent.
    if (actual !== null) expect(ours.diagnostics.length).toBeGreaterThan(0);
    return;
  }
  expect(ours.diagnostics).toEqual([]);
  expect(actual).toEqual(expected);
}

describe('HCL reader agrees with hcl2-parser', () => {
  const files = tfFiles(join(ROOT, 'fixtures'));

  it('finds the HCL fixtures', () => {
    expect(files.filter((file) => file.includes(`${join('fixtures', 'hcl')}`)).length).toBeGreaterThanOrEqual(6);
  });

  it.each(files.map((file) => [relative(ROOT, file).split('\\').join('/')]))('%s', (file) => {
    compareWithOracle(readFileSync(join(ROOT, file), 'utf8'), file);
  });

  it('agrees on a generated corpus', () => {
    compareWithOracle(syntheticTerraform(30_000), 'generated.tf');
  });

  it('agrees on CRLF line endings and a byte order mark', () => {
    const text = readFileSync(join(ROOT, 'fixtures/hcl/security-groups.tf'), 'utf8');
    compareWithOracle(text.replace(/\n/g, '\r\n'), 'crlf.tf');
    compareWithOracle('\ufeff' + text, 'bom.tf');
  });

  it('agrees on expressions', () => {
    const cases = [
      'a = "a\\"b\\n\\u00e9${x}$${y}%%{z}"',
      'b = "${ x }"',
      'c = "pre ${~ x ~} post"',
      'd = "%{if c}yes%{else}no%{endif}"',
      'd2 = "%{ if c ~}yes ${x}%{~ else ~} no %{~ endif ~}"',
      'e = "%{for k, v in m}${k}=${v},%{endfor}"',
      'e2 = "%{ for x in y ~} ${x} %{~ endfor }"',
      'f = <<EOT\nhello ${name}\n  world\nEOT\n',
      'g = <<-EOT\n    a\n  ${x}\n    b\nEOT\n',
      'g2 = <<-EOT\n\ttab\n\t  x\n\tEOT\n',
      'g3 = <<-EOT\n    a ${x}\n\n      b\n    EOT\n',
      'g4 = <<EOT\n${x}\nEOT\n',
      'h = { a = 1, "b" = 2, (k) = 3, c: 4, 5 = 6, true = 7 }',
      'h2 = { d.e = 7, f[0] = 8, "${g}" = 9 }',
      'h3 = {\n  a = 1\n  b = 2,\n  c = [\n    3\n  ]\n}',
      'i = [for x in y : x if x != 1]',
      'j = {for k, v in m : k => v...}',
      'k = [x[*].y, x.*.y, x[*], x.*, a.0.b]',
      'm = x[0].y["z"]',
      'n = c ? a : b',
      'o = [1 + 2 * 3, -x, - 1, !true, -(1), (1), 1.5e3, 0.25, 007]',
      'p = [true, null, "", "${true}", "a${1}", "a${-1}", "a${f(x)}", "${a}${b}"]',
      'q = "pre${a ? "y" : "z"}post${b ? c : ""}"',
      'r = f(a, b...)',
      'r2 = concat(\n  [1],\n  [2],\n)',
      's = "${"nested ${x}"}"',
      't = foo-bar',
      'u = x { a = 1 }'.replace('u = ', ''),
      'resource "a" "b" {\n  ingress { from_port = 80 }\n  ingress {\n    to_port = 1\n  }\n}\nresource a c {}\nlocals { a = 1 }\nlocals {\n  b = 2\n}',
      'a = 1\na {}',
      'a {}\na "x" {}',
      'a "x" {}\na {}',
      'a = 1 # c\nb = 2 // c\nc = 3 /* c */\nd = [1, # c\n 2]',
      'x = "\\\\ \\t \\r \\u0041 \\U0001F600 é"',
      'v = (1\n + 2)',
    ];
    for (const text of cases) compareWithOracle(text, 'case.tf');
  });

  it('agrees on generated expressions', () => {
    const identifier = fc.constantFrom('a', 'b', 'var', 'local', 'each', 'foo-bar', 'x1');
    const leaf = fc.oneof(
      fc.integer({ min: 0, max: 100000 }).map(String),
      fc.constantFrom('true', 'false', 'null', '1.5', '"s"', '""', '"${x}"', '"a${b}c"', '"%{if a}b%{endif}"'),
      identifier,
      fc.tuple(identifier, identifier).map(([a, b]) => `${a}.${b}`),
    );
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
        fc.array(fc.tuple(identifier, tie('expr')), { maxLength: 3 }).map((items) => `{ ${items.map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
        fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '==', '&&', '||', '<', '%'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
        fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
        tie('expr').map((a) => `(${a})`),
        // Only well-typed operands: the oracle folds `!`/`-` on literals and rejects `!0` (see the notes above).
        fc.constantFrom('!true', '!a', '-a.b', '-3', '!(a)'),
        fc.tuple(identifier, fc.array(tie('expr'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
        fc.tuple(identifier, tie('expr')).map(([x, c]) => `[for ${x} in ${c} : ${x}]`),
        // A null that reaches a template part (directly or as a conditional's branch) panics the oracle; see above.
        tie('expr').filter((a) => !/\bnull\b/.test(a)).map((a) => `"pre \${${a}} post"`),
        tie('expr').map((a) => `a[${a}]`),
        tie('expr').map((a) => `(${a})[*].b`),
      ),
    }));
    fc.assert(
      fc.property(expr, (text) => {
        compareWithOracle(`attr = ${text}\n`, 'generated.tf');
      }),
      { numRuns: Number(process.env.FWLINT_ORACLE_RUNS ?? 300) },
    );
  });
});
