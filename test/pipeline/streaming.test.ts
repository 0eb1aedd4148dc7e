import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanOptions, type ScanResult } from '../../src/pipeline/scan';
import { generateTerraform } from '../../src/bench/generate-terraform';
import { generateProfile } from '../../src/bench/generate-profile';
import { poolStatistics } from '../../src/pipeline/parallel-parse';

/*
 * `keepModel: false` (the CLI's setting) judges each parse unit as soon as it is parsed and drops its model. It must
 * give the same findings, diagnostics and counts as the whole-model scan, in the same order.
 */
const ROOT = path.resolve(__dirname, '../..');

/** Everything a report reads, without timings. */
function observable(result: ScanResult): unknown {
  const { timingsMs: _timings, ...stats } = result.stats;
  return { findings: result.findings, diagnostics: result.diagnostics, stats, targetFiles: result.targetFiles };
}

function both(options: ScanOptions): { whole: ScanResult; streamed: ScanResult } {
  return { whole: scan({ ...options, keepModel: true }), streamed: scan({ ...options, keepModel: false }) };
}

describe('scanning unit by unit (keepModel: false)', () => {
  const folders = [
    'fixtures/demo',
    'fixtures/suppress',
    'fixtures/suppress-instances',
    'fixtures/terraform',
    'fixtures/terraform/profiles',
    'fixtures/terraform/variables-precedence',
    'fixtures/terraform/invalid',
    'fixtures/cloudformation',
    'fixtures/netsh',
    'fixtures/checks',
    'fixtures/hostile',
    'fixtures/pair',
    'fixtures/cdk',
  ];
  it.each(folders)('%s: same findings, diagnostics and counts as the whole-model scan', (folder) => {
    const { whole, streamed } = both({ paths: [folder], cwd: ROOT, today: '2026-11-23' });
    expect(observable(streamed)).toEqual(observable(whole));
    expect(whole.targets.length).toBe(whole.stats.targets);
  });

  it('drops the model where every unit stands alone, and keeps it where units are linked (plans, CDK)', () => {
    const terraformOnly = scan({ paths: ['fixtures/terraform/profiles'], cwd: ROOT, today: '2026-11-23', keepModel: false });
    expect(terraformOnly.stats.targets).toBeGreaterThan(0);
    expect(terraformOnly.targets).toEqual([]);
    const withPlan = scan({ paths: ['fixtures/terraform/plan'], cwd: ROOT, today: '2026-11-23', keepModel: false });
    expect(withPlan.targets.length).toBe(withPlan.stats.targets);
    const cdk = scan({ paths: ['fixtures/cdk'], cwd: ROOT, today: '2026-11-23', keepModel: false });
    expect(cdk.targets.length).toBe(cdk.stats.targets);
  });

  jest.setTimeout(120_000);

  describe('generated corpora, with --var, --var-file, config ignore entries and profiles', () => {
    let directory: string;
    beforeAll(() => {
      directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-streaming-'));
      generateTerraform(path.join(directory, 'tf'), { files: 60 });
      generateProfile(path.join(directory, 'profiles'), { files: 40 });
      fs.writeFileSync(path.join(directory, 'shared.tfvars'), 'not_declared_anywhere = "x"\nbroken = \n');
      fs.writeFileSync(
        path.join(directory, 'tf', '.fwlint.yaml'),
        [
          'ignore:',
          '  - check: FW101',
          '    ports: tcp/22',
          '    reason: bastions, reviewed',
          '  - check: FW103',
          '    peer: 0.0.0.0/0',
          '    reason: reviewed',
          '  - check: FW301',
          '    target: no.such.target',
          '    reason: never matches',
          '',
        ].join('\n'),
      );
    });
    afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

    it('Terraform: the same result', () => {
      const { whole, streamed } = both({
        paths: ['tf'],
        cwd: directory,
        today: '2026-11-23',
        parse: { vars: { env_00000: 'prod', typo: '1' }, varFiles: [path.join(directory, 'shared.tfvars')], params: {} },
      });
      expect(streamed.targets).toEqual([]);
      expect(whole.findings.some((finding) => finding.suppression)).toBe(true);
      expect(whole.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(expect.arrayContaining(['parse/terraform-undeclared-var', 'suppress/unused']));
      expect(observable(streamed)).toEqual(observable(whole));
      // Every unit reads the --var-file: its problems are still reported once.
      const varFileProblems = streamed.diagnostics.filter((diagnostic) => diagnostic.file.endsWith('shared.tfvars'));
      expect(varFileProblems).toHaveLength(1);
    });

    it('netsh: one host in two files is reported across units', () => {
      const host = fs.readFileSync(path.join(ROOT, 'fixtures/netsh/exports/branch-office.txt'));
      for (const folder of ['netsh/a', 'netsh/b']) {
        fs.mkdirSync(path.join(directory, folder), { recursive: true });
        fs.writeFileSync(path.join(directory, folder, 'branch-office.txt'), host);
      }
      const { whole, streamed } = both({ paths: ['netsh'], cwd: directory, today: '2026-11-23' });
      expect(streamed.targets).toEqual([]);
      expect(streamed.diagnostics.map((diagnostic) => diagnostic.code)).toContain('parse/netsh-duplicate-host');
      expect(observable(streamed)).toEqual(observable(whole));
    });

    it('with parse workers, units are judged as the workers hand them over: the same result', () => {
      const options: ScanOptions = { paths: ['tf', 'profiles'], cwd: directory, today: '2026-11-23' };
      const whole = scan({ ...options, keepModel: true, workers: 1 });
      const before = { ...poolStatistics };
      const streamed = scan({ ...options, keepModel: false, workers: 2 });
      expect(poolStatistics.pools).toBe(before.pools + 1);
      expect(poolStatistics.unitsParsedInWorkers - before.unitsParsedInWorkers).toBeGreaterThanOrEqual(1);
      expect(streamed.targets).toEqual([]);
      expect(observable(streamed)).toEqual(observable(whole));
    });

    it('vendor profiles mapped by comments and config, with group references: the same result', () => {
      const { whole, streamed } = both({ paths: ['profiles'], cwd: directory, today: '2026-11-23' });
      expect(whole.findings.some((finding) => finding.checkId === 'FW201')).toBe(true);
      expect(streamed.targets).toEqual([]);
      expect(observable(streamed)).toEqual(observable(whole));
    });
  });
});
