/**
 * Robustness: random mutations of real fixture text (character flips, truncation, splices, deletions) must never
 * make the reader or the evaluator throw, must not multiply what the text holds, and must only produce well-formed
 * diagnostics.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import fc from 'fast-check';
import { evaluate, parseHcl, type Body, type Scope, type Value } from '../../../../src/parsers/terraform/hcl';

const FIXTURES = join(__dirname, '../../../../fixtures/hcl');
const texts = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.tf'))
  .sort()
  .map((name) => readFileSync(join(FIXTURES, name), 'utf8'));

/** Characters that matter to HCL's grammar, so mutations hit interesting states more often than random bytes. */
const SYNTAX_CHARS = ['"', '{', '}', '[', ']', '(', ')', '$', '%', '~', '\\', '<', '-', '*', '.', ',', ':', '=', '?', '!', '#', '/', '\n', '\r', '\t', ' ', 'a', '0', '\u0000', '\ufeff', 'é', '\ud83d'];

type Mutation =
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; from: number; length: number }
  | { kind: 'delete'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(...SYNTAX_CHARS), fc.string({ minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 50 }) }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    switch (m.kind) {
      case 'flip':
        out = out.slice(0, at) + m.char + out.slice(at + 1);
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'splice': {
        const from = out.length === 0 ? 0 : m.from % out.length;
        out = out.slice(0, at) + out.slice(from, from + m.length) + out.slice(at);
        break;
      }
      case 'delete':
        out = out.slice(0, at) + out.slice(at + m.length);
        break;
    }
  }
  return out;
}

/** Evaluates every attribute; returns the values' size (`sizeOf`). */
function evaluateEverything(body: Body, scope: Scope): number {
  let size = 0;
  for (const attribute of body.attributes) size += sizeOf(evaluate(attribute.expr, scope));
  for (const block of body.blocks) size += evaluateEverything(block.body, scope);
  return size;
}

/** Elements, entries and string characters of a value, all levels. */
function sizeOf(value: Value): number {
  switch (value.kind) {
    case 'string':
      return 1 + value.value.length;
    case 'list':
      return value.items.reduce((size, item) => size + sizeOf(item), 1);
    case 'object':
      return [...value.entries.values()].reduce((size, entry) => size + sizeOf(entry), 1);
    default:
      return 1;
  }
}

describe('HCL reader under mutation', () => {
  it('never throws, yields no more than the text holds and reports well-formed diagnostics', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (index, mutations) => {
        const text = mutate(texts[index], mutations);
        const lineCount = text.split('\n').length;
        const result = parseHcl(text, 'mutated.tf');
        const size = evaluateEverything(result.body!, { text });
        // Deterministic, in place of a time limit: what multiplies (generated lists, repeated strings) stays
        // within its budget, and these small fixtures never give values or diagnostics larger than the text.
        expect(size + result.diagnostics.length).toBeLessThanOrEqual(2 * text.length + 1);
        expect(result.body).not.toBeNull();
        for (const diagnostic of result.diagnostics) {
          expect(diagnostic.code).toMatch(/^parse\/hcl-[a-z-]+$/);
          expect(diagnostic.file).toBe('mutated.tf');
          const range = diagnostic.range!;
          expect(range.startLine).toBeGreaterThanOrEqual(1);
          expect(range.endLine).toBeLessThanOrEqual(lineCount);
          expect(range.startColumn).toBeGreaterThanOrEqual(1);
          expect(range.endLine > range.startLine || range.endColumn >= range.startColumn).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        const text = mutate(texts[index], mutations);
        expect(parseHcl(text, 'a.tf')).toEqual(parseHcl(text, 'a.tf'));
      }),
      { numRuns: 50 },
    );
  });

  it('survives arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        const result = parseHcl(text, 'random.tf');
        evaluateEverything(result.body!, { text });
      }),
      { numRuns: 500 },
    );
  });
});
