import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import type { ParseResult } from '../../../src/model';
import { cloudFormationParser, loadParameterFile } from '../../../src/parsers/cloudformation';

const repoRoot = join(__dirname, '../../..');
const fixtureRoot = join(repoRoot, 'fixtures/cloudformation');

function listFixtures(folder: string): string[] {
  return readdirSync(folder).sort().flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listFixtures(path) : /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

const fixtures = listFixtures(fixtureRoot).map((path) => ({ path: relative(repoRoot, path), text: readFileSync(path, 'utf8') }));

/** Characters that matter to YAML, JSON and the evaluator, plus a few that matter to nobody. */
const interesting = fc.constantFrom('!', '&', '*', '[', ']', '{', '}', ':', '"', "'", '#', '\n', '\r\n', '-', '|', '>', '%', '@', ',', '\t', ' ', '$', '\\',
  '\u0000', '\uFEFF', '\u001F', '\u0002', 'é', '😀', '!Ref ', '!If [', '*a', '&a ', 'Fn::If', 'AWS::NoValue', '${', '-1', '0.0.0.0/0', '<<: ');

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), text: interesting }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), length: fc.nat({ max: 400 }), source: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 200 }) }),
  fc.record({ kind: fc.constant('noise' as const), at: fc.nat(), text: fc.string({ maxLength: 40 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, change: Mutation): string {
  const at = text.length === 0 ? 0 : change.at % (text.length + 1);
  switch (change.kind) {
    case 'flip':
      return text.slice(0, at) + change.text + text.slice(at + 1);
    case 'truncate':
      return text.slice(0, at);
    case 'splice': {
      const donor = fixtures[change.source % fixtures.length]!.text;
      const from = change.from % (donor.length + 1);
      return text.slice(0, at) + donor.slice(from, from + change.length) + text.slice(at);
    }
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
    case 'noise':
      return text.slice(0, at) + change.text + text.slice(at);
  }
}

function parse(path: string, text: string, params: Record<string, string> = {}): ParseResult {
  return cloudFormationParser.parse([{ path, absolutePath: join(repoRoot, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params });
}

function expectWellFormed(result: ParseResult): void {
  for (const diagnostic of result.diagnostics) {
    expect(typeof diagnostic.message).toBe('string');
    if (diagnostic.range) expect(diagnostic.range.startLine).toBeGreaterThanOrEqual(1);
  }
  for (const target of result.targets) {
    const ids = target.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of target.rules) expect(rule.location.range.startLine).toBeGreaterThanOrEqual(1);
  }
}

describe('CloudFormation parser robustness', () => {
  it('has fixtures to mutate', () => {
    expect(fixtures.length).toBeGreaterThan(15);
  });

  it('never throws on mutated fixtures (byte flips, truncation, splices), and yields no more than the text holds', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, changes) => {
        const fixture = fixtures[pick % fixtures.length]!;
        const text = changes.reduce(mutate, fixture.text);
        const result = parse(fixture.path, text);
        // Deterministic, in place of a time limit: what multiplies (aliases, Fn::ForEach, conditions read both ways)
        // stays within its budget, and these small fixtures never give more rules and diagnostics than characters.
        expect(result.targets.reduce((count, target) => count + target.rules.length, 0) + result.diagnostics.length).toBeLessThanOrEqual(text.length + 1);
        expect(cloudFormationParser.detect(fixture.path, text.slice(0, 4096))).toEqual(expect.any(Boolean));
        expectWellFormed(result);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('never throws on arbitrary text, parameters or parameter files', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 })), fc.boolean(), (text, params, json) => {
        expectWellFormed(parse(json ? 'random.json' : 'random.yaml', text, params));
        expect(typeof loadParameterFile(text)).toBe('object');
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('accepts any parameter value in the resolution fixtures', () => {
    const fixture = fixtures.find((candidate) => candidate.path.endsWith('resolution/parameters.yaml'))!;
    const names = ['AdminCidr', 'AppPort', 'AllowedCidrs', 'Prefix', 'Tier', 'Env', 'V6Cidr', 'SsmCidr'];
    fc.assert(
      fc.property(fc.subarray(names), fc.string({ maxLength: 30 }), (chosen, value) => {
        expectWellFormed(parse(fixture.path, fixture.text, Object.fromEntries(chosen.map((name) => [name, value]))));
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});
