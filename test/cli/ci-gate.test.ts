import * as childProcess from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Ajv from 'ajv';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { repositoryRoot, sarifRoot } from '../../src/report/sarif-root';
import { sarifValidator } from '../report/sarif-schema';
import { runCli } from '../helpers/run-cli';
import { MAX_SARIF_GZIP_BYTES, sarifUploadSizeWarning } from '../../src/cli/scan-command';
import { looksLikeInput } from '../../src/discover/discover';
import { REPO_ROOT } from '../helpers/scan-fixture';

/** A scratch folder, removed after the test. */
function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-ci-gate-'));
}

const reportSchema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/fwlint-report.schema.json'), 'utf8'));

describe('CI gate', () => {
  describe('JSON report schema', () => {
    it('validates a CLI JSON run with findings, suppressions and a parse error', async () => {
      const directory = scratch();
      try {
        fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/demo/network.tf'), path.join(directory, 'network.tf'));
        fs.writeFileSync(path.join(directory, 'broken.tf'), 'resource "aws_security_group" "x" {\n  name = "unterminated\n}\n');
        fs.writeFileSync(path.join(directory, '.fwlint.yaml'), 'ignore:\n  - { check: FW104, reason: "egress is filtered by the proxy" }\n');
        const { code, stdout } = await runCli(['scan', '.', '--format', 'json'], directory);
        expect(code).toBe(2);
        const report = JSON.parse(stdout);
        const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);
        expect(validate(report) ? [] : validate.errors).toEqual([]);
        expect(report.summary.suppressed).toBeGreaterThan(0);
        expect(report.summary.errors).toBeGreaterThan(0);
        expect(report.findings.some((finding: { suppression: unknown }) => finding.suppression !== null)).toBe(true);
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    });
  });
});

describe('baseline update in place', () => {
  it('--baseline X --write-baseline X keeps the entries that still occur and drops the absent ones', async () => {
    const directory = scratch();
    try {
      fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/demo/network.tf'), path.join(directory, 'network.tf'));
      const baseline = path.join(directory, 'baseline.json');
      expect((await runCli(['scan', '.', '--write-baseline', baseline], directory)).code).toBe(1);
      const original = JSON.parse(fs.readFileSync(baseline, 'utf8')).findings as Array<{ fingerprint: string }>;
      expect(original.length).toBeGreaterThan(2);
      // One entry that no longer occurs.
      const stale = { fingerprint: '0000000000000000', checkId: 'FW101', targetId: 'gone', message: 'gone' };
      fs.writeFileSync(baseline, JSON.stringify({ version: 1, tool: 'fwlint', findings: [stale, ...original] }));
      const update = await runCli(['scan', '.', '--baseline', baseline, '--write-baseline', baseline], directory);
      expect(update.code).toBe(0);
      expect(update.stdout).toContain(`${original.length} in baseline, 1 baseline entry no longer occurs`);
      const updated = JSON.parse(fs.readFileSync(baseline, 'utf8')).findings as Array<{ fingerprint: string }>;
      expect(updated.map((entry) => entry.fingerprint)).toEqual(original.map((entry) => entry.fingerprint));
      const next = await runCli(['scan', '.', '--baseline', baseline], directory);
      expect(next.code).toBe(0);
      expect(next.stdout).toContain(`${original.length} in baseline, 0 baseline entries no longer occur`);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA): rewriting a baseline on a run where a file failed to parse dropped that file's accepted findings,
// which then came back as new once the file was fixed.
describe('baseline update on a scan with errors', () => {
  it('keeps the entries that did not occur, says so, and drops them on the next clean run', async () => {
    const directory = scratch();
    try {
      const network = fs.readFileSync(path.join(REPO_ROOT, 'fixtures/demo/network.tf'), 'utf8');
      fs.writeFileSync(path.join(directory, 'network.tf'), network);
      fs.writeFileSync(path.join(directory, 'other.tf'), 'resource "aws_security_group" "other" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n');
      const baseline = path.join(directory, 'baseline.json');
      expect((await runCli(['scan', '.', '--write-baseline', baseline], directory)).code).toBe(1);
      const original = fs.readFileSync(baseline, 'utf8');
      const entries = (JSON.parse(original).findings as Array<{ file: string }>).filter((entry) => entry.file === 'network.tf').length;
      expect(entries).toBeGreaterThan(0);

      // An unclosed list at the top: the parser cannot read any block of the file.
      fs.writeFileSync(path.join(directory, 'network.tf'), `locals {\n  a = [1, 2\n${network}`);
      const broken = await runCli(['scan', '.', '--baseline', baseline, '--write-baseline', baseline], directory);
      expect(broken.code).toBe(2);
      // A warning on the baseline written, in the report (and in JSON and SARIF reports, which say it on stderr too).
      expect(broken.stdout).toContain(`warning  --write-baseline kept ${entries} baseline entries that did not occur: the scan had errors`);
      expect(broken.stdout).toContain('baseline/kept-after-errors');
      expect(fs.readFileSync(baseline, 'utf8')).toBe(original);

      // Fixed: nothing is new.
      fs.writeFileSync(path.join(directory, 'network.tf'), network);
      expect((await runCli(['scan', '.', '--baseline', baseline], directory)).code).toBe(0);
      // Gone for real, on a clean run: dropped, without the note.
      fs.rmSync(path.join(directory, 'network.tf'));
      const clean = await runCli(['scan', '.', '--baseline', baseline, '--write-baseline', baseline], directory);
      expect(clean.code).toBe(0);
      expect(clean.stderr).toBe('');
      expect((JSON.parse(fs.readFileSync(baseline, 'utf8')).findings as Array<{ file: string }>).map((entry) => entry.file)).toEqual(['other.tf']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('SARIF upload size guard (GitHub: 10 MB gzip-compressed)', () => {
  it('warns only when the gzip-compressed file is over the limit', () => {
    const directory = scratch();
    try {
      const file = path.join(directory, 'out.sarif');
      // Random hex compresses to about half: 4,000 bytes of it stay over 1,000 bytes gzip-compressed.
      fs.writeFileSync(file, JSON.stringify({ data: crypto.randomBytes(2000).toString('hex') }));
      expect(sarifUploadSizeWarning(file, 1000)).toMatch(/gzip-compressed; GitHub code scanning rejects uploads over/);
      // Repetitive text compresses far below the limit: no warning although the file is larger.
      fs.writeFileSync(file, JSON.stringify({ data: 'a'.repeat(100_000) }));
      expect(sarifUploadSizeWarning(file, 1000)).toBeUndefined();
      expect(sarifUploadSizeWarning(file)).toBeUndefined();
      expect(MAX_SARIF_GZIP_BYTES).toBe(10 * 1024 * 1024);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('measures at the default gzip level (the uploader\'s), not at the fast level it tries first', () => {
    const directory = scratch();
    try {
      const file = path.join(directory, 'out.sarif');
      // Words from a small vocabulary: the fastest level compresses them visibly worse than the default one.
      const words = ['tcp', 'udp', '10.0.0.0/8', 'ingress', 'egress', 'allow', 'deny', '443', '2049', 'FW101', 'rule'];
      let seed = 7;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
      fs.writeFileSync(file, JSON.stringify({ data: Array.from({ length: 20_000 }, () => words[next() % words.length]).join(' ') }));
      const text = fs.readFileSync(file);
      const fast = zlib.gzipSync(text, { level: 1 }).length;
      const exact = zlib.gzipSync(text).length;
      expect(fast).toBeGreaterThan(exact + 100);
      // Between the two sizes: the fast level alone would warn, the upload would pass.
      expect(sarifUploadSizeWarning(file, exact + 50)).toBeUndefined();
      expect(sarifUploadSizeWarning(file, exact - 1)).toMatch(/gzip-compressed; GitHub code scanning rejects uploads over/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('takes the fastest-level size measured while writing when the file holds just what was written', () => {
    const directory = scratch();
    try {
      const file = path.join(directory, 'out.sarif');
      fs.writeFileSync(file, JSON.stringify({ data: crypto.randomBytes(2000).toString('hex') }));
      const text = fs.readFileSync(file);
      const fast = zlib.gzipSync(text, { level: 1 }).length;
      const exact = zlib.gzipSync(text).length;
      expect(sarifUploadSizeWarning(file, 1000, { bytes: text.length, fastestLevelGzipBytes: fast })).toBe(sarifUploadSizeWarning(file, 1000));
      // A measurement within the limit settles it without reading the file (a made-up one shows it is used) ...
      expect(sarifUploadSizeWarning(file, 1000, { bytes: text.length, fastestLevelGzipBytes: 900 })).toBeUndefined();
      // ... one over it leads to the default level, measured on the file.
      expect(sarifUploadSizeWarning(file, exact + 1, { bytes: text.length, fastestLevelGzipBytes: exact + 2 })).toBeUndefined();
      expect(sarifUploadSizeWarning(file, exact - 1, { bytes: text.length, fastestLevelGzipBytes: 1_000_000 })).toMatch(
        new RegExp(`the SARIF file is ${(exact / 1024 / 1024).toFixed(1)} MB gzip-compressed`),
      );
      // A file holding more than was written through the meter (a redirect appended to) is measured itself.
      expect(sarifUploadSizeWarning(file, 1000, { bytes: text.length - 10, fastestLevelGzipBytes: 900 })).toMatch(/gzip-compressed/);
      // As is a file when nothing was compressed while writing.
      expect(sarifUploadSizeWarning(file, 1000, { bytes: text.length })).toMatch(/gzip-compressed/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
  const hook = hooks.find((entry) => entry.id === 'fwlint')!;

  it('scans the repository instead of the staged file names', () => {
    expect(hook.pass_filenames).toBe(false);
    expect(hook.language).toBe('node');
    expect(String(hook.entry).split(/\s+/)).toEqual(['fwlint', 'scan']);
  });

  it('runs when a file of any input format changes (Terraform, plan JSON, CloudFormation, netsh, CDK/Pulumi in TS or JS)', () => {
    const files = new RegExp(String(hook.files));
    // QA 14 item 10: OpenTofu's main.tofu was scanned but a change to it alone never ran the hook.
    const inputs = ['main.tf', 'main.tofu', 'main.tofu.json', 'prod.auto.tfvars', 'terraform.tfvars.json', 'plan.json', 'stack.template', 'stack.yaml', 'stack.yml', 'rules.txt', 'fw.cmd', 'fw.bat', 'fw.ps1'];
    const code = ['stack.ts', 'stack.mts', 'stack.cts', 'stack.js', 'stack.mjs', 'stack.cjs'];
    expect([...inputs, ...code].filter((name) => !files.test(`infra/${name}`))).toEqual([]);
    // The names discovery takes for inputs when it cannot read them are the ones the hook runs for.
    expect([...inputs, ...code].filter((name) => !looksLikeInput(name))).toEqual([]);
    expect(files.test('README.md')).toBe(false);
  });

  it('passes on a repository whose changed files include unrelated yaml, json and txt files', async () => {
    const directory = scratch();
    try {
      fs.mkdirSync(path.join(directory, '.github/workflows'), { recursive: true });
      fs.writeFileSync(path.join(directory, '.github/workflows/ci.yml'), 'on: push\njobs: {}\n');
      fs.writeFileSync(path.join(directory, 'package.json'), '{"name": "x"}\n');
      fs.writeFileSync(path.join(directory, 'notes.txt'), 'hello\n');
      fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/checks/FW104/terraform/good-https-egress.tf'), path.join(directory, 'main.tf'));
      // What pre-commit runs: entry + args, without file names.
      const argv = [...String(hook.entry).split(/\s+/).slice(1), ...(hook.args as string[])];
      const clean = await runCli(argv, directory);
      expect(clean.stderr).toBe('');
      expect(clean.code).toBe(0);
      // A finding still fails the commit.
      fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf'), path.join(directory, 'open.tf'));
      expect((await runCli(argv, directory)).code).toBe(1);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // QA h8 item 1: with changed file names passed (lint-staged, pass_filenames: true), main.tf was read without
  // variables.tf: the world-open RDP rule was an unresolved value and the commit passed (exit 0).
  it('fails when only the changed main.tf is named and the world-open CIDR is the default of a variable in variables.tf', async () => {
    const directory = scratch();
    try {
      fs.mkdirSync(path.join(directory, '.git'));
      fs.writeFileSync(path.join(directory, 'variables.tf'), 'variable "admin_cidr" {\n  type    = string\n  default = "0.0.0.0/0"\n}\n');
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        'resource "aws_security_group" "admin" {\n  name = "admin"\n}\nresource "aws_vpc_security_group_ingress_rule" "rdp" {\n  security_group_id = aws_security_group.admin.id\n  ip_protocol       = "tcp"\n  from_port         = 3389\n  to_port           = 3389\n  cidr_ipv4         = var.admin_cidr\n}\n',
      );
      const run = await runCli(['scan', 'main.tf', '--no-color'], directory);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/main\.tf\n\s+9:3\s+critical .*0\.0\.0\.0\/0 on tcp\/3389\s+FW101/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** `<directory>/<name>` with a `.git` folder and a world-open group in `infra/web tier/main.tf`, and one in `<directory>/elsewhere/other.tf`. */
function repositoryWithOutsideFile(directory: string, name: string): string {
  const repo = path.join(directory, name);
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'infra/web tier'), { recursive: true });
  fs.mkdirSync(path.join(directory, 'elsewhere'));
  const bad = path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf');
  fs.copyFileSync(bad, path.join(repo, 'infra/web tier/main.tf'));
  fs.copyFileSync(bad, path.join(directory, 'elsewhere/other.tf'));
  return repo;
}

describe('SARIF URIs relative to the repository root', () => {
  it('relativizes to the nearest folder with .git, whatever the working directory; files outside get file:// URIs', async () => {
    const directory = fs.realpathSync(scratch());
    try {
      const repo = repositoryWithOutsideFile(directory, 'my repo');
      const cwd = path.join(repo, 'infra');
      const output = path.join(directory, 'out.sarif');
      const { code } = await runCli(['scan', 'web tier', '../../elsewhere/other.tf', '--format', 'sarif', '--output', output], cwd);
      expect(code).toBe(1);
      const log = JSON.parse(fs.readFileSync(output, 'utf8'));
      const run0 = log.runs[0];
      expect(run0.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(repo).href}/` } });
      const locations = run0.results.map((result: { locations: Array<{ physicalLocation: { artifactLocation: unknown } }> }) => result.locations[0]!.physicalLocation.artifactLocation);
      expect(locations).toContainEqual({ uri: 'infra/web%20tier/main.tf', uriBaseId: '%SRCROOT%' });
      expect(locations).toContainEqual({ uri: pathToFileURL(path.join(directory, 'elsewhere/other.tf')).href });
      expect(locations.every((location: { uri: string }) => !location.uri.startsWith('..'))).toBe(true);
      const validate = sarifValidator();
      expect(validate(log) ? [] : validate.errors).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('gives GitHub annotations the same repository-relative paths (GitHub resolves file= against the repository root)', async () => {
    const directory = fs.realpathSync(scratch());
    try {
      const repo = repositoryWithOutsideFile(directory, 'repo');
      const { code, stdout } = await runCli(['scan', '.', '../../elsewhere/other.tf', '--format', 'github'], path.join(repo, 'infra'));
      expect(code).toBe(1);
      expect(stdout).toContain('file=infra/web tier/main.tf,');
      // Regression (QA h6 item 1): outside the repository, the absolute path, which the runner makes relative to
      // GITHUB_WORKSPACE itself where it can; `../../elsewhere/other.tf` would be looked up inside the repository.
      expect(stdout).toContain(`file=${path.join(directory, 'elsewhere/other.tf')},`);
      expect(stdout).not.toContain('file=../');
      expect(stdout).not.toContain('file=web tier/main.tf');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('without a .git folder above, URIs are relative to the working directory', () => {
    const directory = fs.realpathSync(scratch());
    try {
      expect(repositoryRoot(directory)).toBe(directory);
      const root = sarifRoot(directory);
      expect(root.locate('a/b.tf')).toEqual({ uri: 'a/b.tf', uriBaseId: '%SRCROOT%' });
      expect(root.locate('../x.tf')).toEqual({ uri: pathToFileURL(path.join(path.dirname(directory), 'x.tf')).href });
      fs.mkdirSync(path.join(directory, 'sub/.git'), { recursive: true });
      expect(repositoryRoot(path.join(directory, 'sub/deeper'))).toBe(path.join(directory, 'sub'));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('JUnit from the CLI', () => {
  it('has one test case per target × check', async () => {
    const json = JSON.parse((await runCli(['scan', 'fixtures/demo', '--format', 'json'], REPO_ROOT)).stdout);
    const { stdout } = await runCli(['scan', 'fixtures/demo', '--format', 'junit'], REPO_ROOT);
    const checks = 10;
    expect(json.summary.targets).toBeGreaterThan(1);
    expect(stdout).toContain(`<testsuite name="fwlint" tests="${json.summary.targets * checks}" `);
  });
});

describe('composite action (action.yml)', () => {
  interface Step { name?: string; run?: string; env?: Record<string, string>; shell?: string }
  const action = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as { runs: { steps: Step[] }; inputs: Record<string, unknown> };

  it('never pastes an input or output expression into a shell script', () => {
    for (const step of action.runs.steps) {
      if (step.run !== undefined) expect([step.name, step.run]).toEqual([step.name, expect.not.stringMatching(/\$\{\{/)]);
    }
  });

  it('passes hostile inputs to fwlint as plain arguments', () => {
    const directory = scratch();
    try {
      // A stand-in for bin/fwlint that records its arguments, one per line.
      fs.mkdirSync(path.join(directory, 'action/bin'), { recursive: true });
      fs.writeFileSync(path.join(directory, 'action/bin/fwlint'), "require('fs').appendFileSync(process.env.ARGS_LOG, process.argv.slice(2).join('\\n') + '\\n<end of call>\\n');\n");
      const scanStep = action.runs.steps.find((step) => step.name === 'Scan')!;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        GITHUB_ACTION_PATH: path.join(directory, 'action'),
        GITHUB_OUTPUT: path.join(directory, 'output'),
        RUNNER_TEMP: directory,
        ARGS_LOG: path.join(directory, 'args'),
      };
      const hostile: Record<string, string> = { paths: 'infra $(touch pwned) *', args: '--profile a/b ;touch pwned2', category: 'c"; touch pwned3; echo "', 'fail-on': 'high' };
      // What the runner does: expressions in env are evaluated to strings, the script is run as is.
      for (const [name, value] of Object.entries(scanStep.env!)) {
        const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)![1]!;
        env[name] = hostile[input]!;
      }
      const result = childProcess.spawnSync('bash', ['-e', '-c', scanStep.run!], { cwd: directory, env, encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(fs.readdirSync(directory).filter((name) => name.startsWith('pwned'))).toEqual([]);
      const calls = fs.readFileSync(env.ARGS_LOG!, 'utf8').split('<end of call>\n').filter(Boolean).map((call) => call.trimEnd().split('\n'));
      // The user's args come first, so the action's own --format/--output/--category/--fail-on win.
      expect(calls[0]).toEqual(['scan', '--profile', 'a/b', ';touch', 'pwned2', '--format', 'sarif', '--output', path.join(directory, 'fwlint.sarif'), '--category', 'c"; touch pwned3; echo "', '--fail-on', 'high', '--', 'infra', '$(touch', 'pwned)', '*']);
      expect(calls[1]).toEqual(['scan', '--profile', 'a/b', ';touch', 'pwned2', '--format', 'github', '--fail-on', 'none', '--', 'infra', '$(touch', 'pwned)', '*']);
      expect(fs.readFileSync(env.GITHUB_OUTPUT!, 'utf8')).toContain('exit-code=0');
      // Without a fail-on input no --fail-on is passed: the config's failOn decides.
      fs.rmSync(env.ARGS_LOG!);
      const defaults = { ...env, FWLINT_FAIL_ON: '', FWLINT_ARGS: '', FWLINT_PATHS: '.' };
      expect(childProcess.spawnSync('bash', ['-e', '-c', scanStep.run!], { cwd: directory, env: defaults, encoding: 'utf8' }).status).toBe(0);
      const first = fs.readFileSync(env.ARGS_LOG!, 'utf8').split('<end of call>\n')[0]!.trimEnd().split('\n');
      expect(first).toEqual(['scan', '--format', 'sarif', '--output', path.join(directory, 'fwlint.sarif'), '--category', 'c"; touch pwned3; echo "', '--', '.']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('scans every path of a multi-line input (a `|` block lists one per line, CRLF too), as paths, and every line of args', () => {
    const directory = scratch();
    try {
      fs.mkdirSync(path.join(directory, 'action/bin'), { recursive: true });
      fs.writeFileSync(path.join(directory, 'action/bin/fwlint'), "require('fs').appendFileSync(process.env.ARGS_LOG, process.argv.slice(2).join('\\n') + '\\n<end of call>\\n');\n");
      const scanStep = action.runs.steps.find((step) => step.name === 'Scan')!;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        GITHUB_ACTION_PATH: path.join(directory, 'action'),
        GITHUB_OUTPUT: path.join(directory, 'output'),
        RUNNER_TEMP: directory,
        ARGS_LOG: path.join(directory, 'args'),
        // What the runner passes for `paths: |` with one folder per line, and for a two-line `args: >-`-less block.
        // ... and a `paths:` written with Windows line ends, one of them looking like an option (a path, after `--`).
        FWLINT_PATHS: 'infra\r\nstacks  more\r\n--fail-on none\n\n',
        FWLINT_ARGS: '--profile a/b\r\n--phase operate\n',
        FWLINT_CATEGORY: 'fwlint',
        FWLINT_FAIL_ON: '',
      };
      // `bash -e` as the runner runs a composite step (`bash --noprofile --norc -eo pipefail`).
      const result = childProcess.spawnSync('bash', ['-e', '-o', 'pipefail', '-c', scanStep.run!], { cwd: directory, env, encoding: 'utf8' });
      expect(result.status).toBe(0);
      const first = fs.readFileSync(env.ARGS_LOG!, 'utf8').split('<end of call>\n')[0]!.trimEnd().split('\n');
      expect(first).toEqual(['scan', '--profile', 'a/b', '--phase', 'operate', '--format', 'sarif', '--output', path.join(directory, 'fwlint.sarif'), '--category', 'fwlint', '--', 'infra', 'stacks', 'more', '--fail-on', 'none']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('leaves the gate to the config unless fail-on is given', () => {
    expect((action.inputs['fail-on'] as { default: string }).default).toBe('');
  });
});

describe('GitHub Actions format', () => {
  it('appends a Markdown job summary to $GITHUB_STEP_SUMMARY and prints workflow commands', async () => {
    const directory = scratch();
    try {
      const summary = path.join(directory, 'summary.md');
      fs.writeFileSync(summary, '# earlier step\n');
      const { code, stdout } = await runCli(['scan', 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf', '--format', 'github'], REPO_ROOT, { GITHUB_STEP_SUMMARY: summary });
      expect(code).toBe(1);
      expect(stdout).toMatch(/^::error file=fixtures\/checks\/FW101\/terraform\/bad-ssh-from-world\.tf,line=\d+/m);
      const text = fs.readFileSync(summary, 'utf8');
      expect(text.startsWith('# earlier step\n')).toBe(true);
      expect(text).toContain('FW101');
      // Other formats leave the summary alone.
      await runCli(['scan', 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf', '--format', 'json'], REPO_ROOT, { GITHUB_STEP_SUMMARY: summary });
      expect(fs.readFileSync(summary, 'utf8')).toBe(text);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Regression (QA): an unusable GITHUB_STEP_SUMMARY turned exit 1 into an internal error (exit 2).
  it('warns when the job summary cannot be written, and keeps the exit code of the findings', async () => {
    const directory = scratch();
    try {
      const { code, stdout, stderr } = await runCli(['scan', 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf', '--format', 'github'], REPO_ROOT, { GITHUB_STEP_SUMMARY: path.join(directory, 'missing', 's.md') });
      expect(code).toBe(1);
      expect(stdout).toMatch(/^::error file=/m);
      expect(stderr).toMatch(/^fwlint: warning: cannot write the job summary to GITHUB_STEP_SUMMARY \(.*s\.md\): its folder .*missing does not exist$/m);
      expect(stderr).not.toContain('internal error');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA): --output and --write-baseline replaced a link (a report or shared baseline linked elsewhere, or
// /dev/stdout) with a regular file instead of writing what it names.
describe('report files behind links and devices', () => {
  it('writes the file a link names, and writes through to a device', async () => {
    const directory = scratch();
    try {
      fs.writeFileSync(path.join(directory, 'real.sarif'), 'old');
      fs.symlinkSync('real.sarif', path.join(directory, 'link.sarif'));
      fs.symlinkSync('/dev/null', path.join(directory, 'null.json'));
      const input = path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf');
      expect((await runCli(['scan', input, '-f', 'sarif', '-o', 'link.sarif', '--write-baseline', 'null.json'], directory)).code).toBe(1);
      expect(fs.lstatSync(path.join(directory, 'link.sarif')).isSymbolicLink()).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(directory, 'real.sarif'), 'utf8')).version).toBe('2.1.0');
      expect(fs.lstatSync(path.join(directory, 'null.json')).isSymbolicLink()).toBe(true);
      expect(fs.readdirSync(directory).sort()).toEqual(['link.sarif', 'null.json', 'real.sarif']);
      // A link to a file not made yet: the file is made; to a missing folder: an error, the link untouched.
      fs.symlinkSync('first.sarif', path.join(directory, 'next.sarif'));
      fs.symlinkSync('missing/x.sarif', path.join(directory, 'broken.sarif'));
      expect((await runCli(['scan', input, '-f', 'sarif', '-o', 'next.sarif'], directory)).code).toBe(1);
      expect(JSON.parse(fs.readFileSync(path.join(directory, 'first.sarif'), 'utf8')).version).toBe('2.1.0');
      const broken = await runCli(['scan', input, '-f', 'sarif', '-o', 'broken.sarif'], directory);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain(`fwlint: cannot write --output broken.sarif: its folder ${path.join(fs.realpathSync(directory), 'missing')} does not exist`);
      expect(fs.lstatSync(path.join(directory, 'next.sarif')).isSymbolicLink() && fs.lstatSync(path.join(directory, 'broken.sarif')).isSymbolicLink()).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// QA s13 11d: `-o /proc/x.json` said "its folder does not exist" of /proc: ENOENT there means no file can be made.
describe('report files that cannot be made', () => {
  const linuxProc = fs.existsSync('/proc/self') ? it : it.skip;
  linuxProc('tells a folder that takes no new file from a missing one', async () => {
    const input = path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf');
    const proc = await runCli(['scan', input, '-o', '/proc/fwlint-report.json'], REPO_ROOT);
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/^fwlint: cannot write --output \S*proc\/fwlint-report\.json: no file can be made in its folder \(the system says: no such file or directory\)$/m);
  });
});

describe('SARIF configuration notifications', () => {
  it('puts problems with .fwlint.yaml in toolConfigurationNotifications (formats.md §5.5)', async () => {
    const directory = scratch();
    try {
      fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf'), path.join(directory, 'main.tf'));
      fs.writeFileSync(path.join(directory, '.fwlint.yaml'), 'faillOn: low\n');
      const { code, stdout } = await runCli(['scan', '.', '-f', 'sarif'], directory);
      expect(code).toBe(2);
      const invocation = JSON.parse(stdout).runs[0].invocations[0];
      expect(invocation.toolExecutionNotifications).toEqual([]);
      expect(invocation.toolConfigurationNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id)).toEqual(['FWL-CONFIG']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
