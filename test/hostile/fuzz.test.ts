/**
 * Issue #11, fuzzing the whole pipeline: fixtures of every parser, mutated at the byte level (flips, truncation,
 * duplication, splices from other fixtures, deletions, insertions), are scanned from a temp folder by `scan()`.
 * Every run must return findings and/or well-formed diagnostics: never an exception, never an `internal/*`
 * diagnostic (that means a parser or check threw; the failing input is saved and named), and never more rules,
 * findings and diagnostics than the file has bytes (what multiplies stays within its budget; a deterministic guard
 * of runaway paths, where a time limit would fail on a loaded machine).
 *
 * CI: a fixed seed and a modest number of runs. `npm run fuzz` runs a longer randomized session:
 * FWLINT_FUZZ_RUNS (default 300 here) and FWLINT_FUZZ_SEED (default fixed; `random` for a new one each run).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Diagnostic } from '../../src/model/diagnostic';
import { scan, type ScanResult } from '../../src/pipeline/scan';
import { makeTempDir, removeDir, REPO_ROOT } from './helpers';

const RUNS = Number(process.env.FWLINT_FUZZ_RUNS ?? 300);
const SEED = process.env.FWLINT_FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FWLINT_FUZZ_SEED ?? 1011);

/** Fixture folders of every parser (contract: Terraform, CloudFormation, netsh, CDK), where present. */
const FOLDERS = ['cloudformation', 'netsh', 'terraform', 'hcl', 'checks', 'demo', 'examples', 'pair', 'cdk', 'hostile'];

interface Seed {
  /** Name in the temp folder: the fixture's own name, so that detection picks the same parser. */
  name: string;
  from: string;
  bytes: Buffer;
}

function collect(directory: string, relative: string, out: Seed[]): void {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const absolute = path.join(directory, entry.name);
    if (entry.isDirectory()) collect(absolute, `${relative}/${entry.name}`, out);
    else if (entry.isFile() && !entry.name.endsWith('.js')) out.push({ name: entry.name, from: `${relative}/${entry.name}`, bytes: fs.readFileSync(absolute) });
  }
}

const SEEDS: Seed[] = [];
for (const folder of FOLDERS) {
  const absolute = path.join(REPO_ROOT, 'fixtures', folder);
  if (fs.existsSync(absolute)) collect(absolute, `fixtures/${folder}`, SEEDS);
}

/** Bytes that matter to the grammars (HCL, YAML, JSON, netsh), encodings and line ends. */
const INTERESTING = ['{', '}', '[', ']', '(', ')', '"', "'", '\\', '$', '${', '%{', '!', '&a ', '*a', '#', '//', '/*', ':', '=', ',', '-', '|', '>', '<<EOF\n', '\n', '\r\n', '\r', '\t', ' ', '\u0000', '\uFEFF', 'é', '😀', '\uFFFD', '0.0.0.0/0', '::/0', '70000', '-1', '9-1', '/33', '!Ref ', '!If [', 'Fn::If', 'Rule Name:', '-'.repeat(70), 'netsh advfirewall firewall add rule ', 'dynamic "ingress" {', 'count = ', 'for_each = ', '__proto__', 'constructor', '^', '%1', '`']
  .map((text) => Buffer.from(text, 'utf8'));

type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'set'; at: number; piece: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'splice'; at: number; donor: number; from: number; length: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), piece: fc.nat({ max: INTERESTING.length - 1 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 2000 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), donor: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) }),
);

function mutate(bytes: Buffer, change: Mutation): Buffer {
  const at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
  switch (change.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      const index = Math.min(at, bytes.length - 1);
      copy[index] = copy[index]! ^ change.mask;
      return copy;
    }
    case 'set':
      return Buffer.concat([bytes.subarray(0, at), INTERESTING[change.piece]!, bytes.subarray(at + 1)]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'duplicate':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + change.length), bytes.subarray(at)]);
    case 'splice': {
      const donor = SEEDS[change.donor % SEEDS.length]!.bytes;
      const from = change.from % (donor.length + 1);
      return Buffer.concat([bytes.subarray(0, at), donor.subarray(from, from + change.length), bytes.subarray(at)]);
    }
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.length)]);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(change.bytes), bytes.subarray(at)]);
  }
}

/** What must hold of every scan result, whatever the input. */
function problemsOf(result: ScanResult): string[] {
  const problems: string[] = [];
  const badRange = (range: Diagnostic['range']): boolean =>
    !!range && !(range.startLine >= 1 && range.startColumn >= 1 && range.endLine >= range.startLine && Number.isFinite(range.endColumn));
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.code.startsWith('internal/')) problems.push(`internal diagnostic ${diagnostic.code}: ${diagnostic.message}`);
    if (typeof diagnostic.message !== 'string' || diagnostic.message === '') problems.push(`empty message in ${diagnostic.code}`);
    if (/Maximum call stack|is not a function|Cannot read properties/.test(diagnostic.message)) problems.push(`raw JavaScript error in ${diagnostic.code}: ${diagnostic.message}`);
    // Every diagnostic about an input names it; scan/no-inputs is about the scanned folder as a whole (a mutation
    // can turn the only input into a file that is none).
    if (diagnostic.file === '' && diagnostic.code !== 'scan/no-inputs') problems.push(`diagnostic without a file: ${diagnostic.code}`);
    if (badRange(diagnostic.range)) problems.push(`bad range in ${diagnostic.code}: ${JSON.stringify(diagnostic.range)}`);
  }
  for (const finding of result.findings) {
    if (finding.location.file === '' || badRange(finding.location.range)) problems.push(`badly located finding ${finding.checkId}: ${JSON.stringify(finding.location)}`);
  }
  return problems;
}

/** Saves an input that broke a guarantee, so that it can be replayed (`fwlint scan <file>`) and reported. */
function keep(seed: Seed, bytes: Buffer): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fuzz-failure-'));
  const file = path.join(directory, seed.name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe(`pipeline fuzzing (${SEEDS.length} fixtures, ${RUNS} runs, seed ${SEED})`, () => {
  let directory: string;
  beforeAll(() => {
    directory = makeTempDir('fwlint-fuzz-');
  });
  afterAll(() => removeDir(directory));

  it('has fixtures of every present parser to mutate', () => {
    const kinds = new Set(SEEDS.map((seed) => path.extname(seed.name)));
    for (const extension of ['.tf', '.yaml', '.json', '.txt', '.cmd']) expect(kinds).toContain(extension);
  });

  it('scans every mutated fixture with no exception, no internal diagnostic and an output bounded by the input', () => {
    fc.assert(
      fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }), (pick, changes) => {
        const seed = SEEDS[pick]!;
        const bytes = changes.reduce(mutate, seed.bytes);
        const file = path.join(directory, seed.name);
        fs.writeFileSync(file, bytes);
        try {
          let result: ScanResult;
          try {
            result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
          } catch (error) {
            throw new Error(`scan threw on a mutation of ${seed.from} (saved as ${keep(seed, bytes)}): ${(error as Error).stack ?? String(error)}`);
          }
          const problems = problemsOf(result);
          const output = result.stats.rules + result.findings.length + result.diagnostics.length;
          if (output > bytes.length + 1) problems.push(`${output} rules, findings and diagnostics from ${bytes.length} bytes`);
          if (problems.length > 0) throw new Error(`mutation of ${seed.from} (saved as ${keep(seed, bytes)}):\n  ${problems.join('\n  ')}`);
          // Something came out: findings, diagnostics, or at least a target (a clean file).
          expect(result.findings.length + result.diagnostics.length + result.targets.length + result.stats.files).toBeGreaterThan(0);
        } finally {
          fs.rmSync(file, { force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: RUNS > 1000 },
    );
  }, Math.max(120_000, RUNS * 250));
});
