import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { runCli } from '../helpers/run-cli';

/** Empty inputs: said, not silent; and not a failure, since an empty `.tf` file is valid Terraform. */
describe('empty input files', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-empty-'));
    fs.mkdirSync(path.join(root, 'infra'));
    fs.writeFileSync(path.join(root, 'infra', 'empty.tf'), '');
    fs.writeFileSync(path.join(root, 'infra', 'blank.tf'), '\uFEFF  \n\n');
    fs.writeFileSync(path.join(root, 'infra', 'notes.yaml'), '');
    fs.writeFileSync(path.join(root, 'infra', 'main.tf'), 'resource "aws_security_group" "a" {\n  name = "a"\n}\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives each empty input a read/empty warning and still scans the rest', () => {
    const result = scan({ paths: ['infra'], cwd: root, today: '2026-11-23' });
    expect(result.diagnostics).toEqual([
      { code: 'read/empty', severity: 'warning', message: 'empty file, nothing to check', file: 'infra/blank.tf' },
      { code: 'read/empty', severity: 'warning', message: 'empty file, nothing to check', file: 'infra/empty.tf' },
    ]);
    expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.a']);
  });

  it('says so in the text report, and exits 0', async () => {
    const run = await runCli(['scan', 'infra/empty.tf'], root);
    expect(run.stdout).toMatch(/infra\/empty\.tf\n.*warning\s+empty file, nothing to check\s+read\/empty/);
    expect(run.code).toBe(0);
  });

  it('warns about an explicitly named empty file of any kind instead of calling it unrecognised', async () => {
    const run = await runCli(['scan', 'infra/notes.yaml', '-f', 'json'], root);
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ code: string; severity: string }> };
    expect(report.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity])).toEqual([['read/empty', 'warning']]);
    expect(run.code).toBe(0);
  });

  // Regression (QA 14 item 09): an empty .tf.json got "empty file, nothing to check" beside "JSON syntax error: value
  // expected (a trailing comma?)". Terraform rejects it as invalid JSON: one error that says why.
  it('gives an empty .tf.json one error: Terraform needs an object there', () => {
    fs.writeFileSync(path.join(root, 'override.tf.json'), '\uFEFF\n');
    try {
      const result = scan({ paths: ['override.tf.json'], cwd: root, today: '2026-11-23' });
      expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.message])).toEqual([
        ['parse/terraform-json', 'error', "the file is empty, and Terraform's JSON syntax needs an object (at least {}); the file is not read"],
      ]);
    } finally {
      fs.rmSync(path.join(root, 'override.tf.json'));
    }
  });
});
