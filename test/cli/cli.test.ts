import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli } from '../helpers/run-cli';
import { REPO_ROOT } from '../helpers/scan-fixture';
import { sarifSchemaPath as findSarifSchema } from '../report/sarif-schema';

async function run(args: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli(args, cwd, env);
  return { code, stdout, stderr };
}

const sarifSchemaPath = findSarifSchema();

describe('fwlint CLI', () => {
  it('exits 1 on the demo and prints findings with file:line and a code frame', async () => {
    const { code, stdout } = await run(['scan', 'fixtures/demo']);
    expect(code).toBe(1);
    expect(stdout).toContain('fixtures/demo/network.tf');
    expect(stdout).toMatch(/51:20 +critical +aws_security_group\.bastion allows ingress from 0\.0\.0\.0\/0 on tcp\/22 +FW101 world-open-ingress/);
    expect(stdout).toContain('> 51 |     cidr_blocks = [var.admin_cidr]');
    expect(stdout).not.toContain('\u001b[');
  });

  it('exits 0 on a clean input', async () => {
    const { code, stdout } = await run(['scan', 'fixtures/checks/FW104/terraform/good-https-egress.tf']);
    expect(code).toBe(0);
    expect(stdout).toContain('0 findings');
  });

  it('exits 2 on a syntax error, after scanning and reporting the other files', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-cli-'));
    try {
      fs.writeFileSync(path.join(directory, 'broken.tf'), 'resource "aws_security_group" "x" {\n  name = "unterminated\n}\n');
      fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf'), path.join(directory, 'ok.tf'));
      const { code, stdout } = await run(['scan', '.'], directory);
      expect(code).toBe(2);
      expect(stdout).toMatch(/broken\.tf/);
      expect(stdout).toMatch(/FW101/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Review item 3: a folder without inputs gave "✔ 0 findings" and nothing else; a CI gate on the wrong folder passed.
  it('warns (scan/no-inputs, exit 0) for a scanned folder without input files, not for named files that are not inputs', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-empty-'));
    try {
      fs.mkdirSync(path.join(directory, 'docs'));
      fs.writeFileSync(path.join(directory, 'docs', 'notes.txt'), 'nothing to scan\n');
      const codes = (stdout: string): string[] => (JSON.parse(stdout) as { diagnostics: Array<{ code: string; message: string }> }).diagnostics
        .filter((d) => d.code === 'scan/no-inputs').map((d) => d.message);
      const byDefault = await run(['scan', '-f', 'json'], directory);
      expect(byDefault.code).toBe(0);
      expect(codes(byDefault.stdout)).toEqual([expect.stringMatching(/^no input file in folder "\.": fwlint reads Terraform .*CloudFormation.*netsh.*CDK.*Pulumi/)]);
      const text = await run(['scan', 'docs'], directory);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/warning +no input file in folder "docs"/);
      const mixed = await run(['scan', path.join(REPO_ROOT, 'fixtures/demo'), 'docs', '-f', 'json'], directory);
      expect(codes(mixed.stdout)).toEqual([expect.stringContaining('"docs"')]);
      const namedFile = await run(['scan', 'docs/notes.txt', '-f', 'json'], directory);
      expect(codes(namedFile.stdout)).toEqual([]);
      expect(codes((await run(['scan', 'fixtures/demo', '-f', 'json'])).stdout)).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('honours --fail-on', async () => {
    expect((await run(['scan', 'fixtures/checks/FW303/terraform/bad-cidr-from-data-source.tf', '--fail-on', 'low'])).code).toBe(0);
    expect((await run(['scan', 'fixtures/checks/FW303/terraform/bad-cidr-from-data-source.tf', '--fail-on', 'note'])).code).toBe(1);
    expect((await run(['scan', 'fixtures/demo', '--fail-on', 'none'])).code).toBe(0);
  });

  it('exits 2 on a usage error', async () => {
    const { code } = await run(['scan', '--format', 'yaml']);
    expect(code).toBe(2);
  });

  // Review item 4: help said `(default: [])`, and every usage error pointed at `fwlint --help`.
  it('shows the default path in help and points usage errors at the subcommand\'s help', async () => {
    const help = await run(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/paths +files or folders to scan \(default: "\."\)/);
    const badOption = await run(['scan', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('(run fwlint scan --help for usage)');
    expect((await run(['profiles', 'show'])).stderr).toContain('(run fwlint profiles show --help for usage)');
    expect((await run(['sacn'])).stderr).toContain('(run fwlint --help for usage)');
    const typo = await run(['profiles', 'sho', 'lumen-cloud/linux']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'sho' for 'profiles'; to list one role's rules: fwlint profiles show <pack>\/<role>/);
    expect(typo.stdout).toBe('');
  });

  // Review item 2: `-q -f json > report.json` wrote an empty report.
  it('--quiet silences the text report only; machine formats are written in full to stdout', async () => {
    const quietText = await run(['scan', 'fixtures/demo', '-q']);
    expect(quietText.code).toBe(1);
    expect(quietText.stdout).toBe('');
    for (const format of ['json', 'sarif', 'junit', 'github', 'markdown']) {
      const loud = await run(['scan', 'fixtures/demo', '-f', format]);
      const quiet = await run(['scan', 'fixtures/demo', '-f', format, '-q']);
      expect(quiet.code).toBe(1);
      expect(quiet.stdout.length).toBeGreaterThan(100);
      expect(quiet.stdout).toBe(loud.stdout);
    }
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sarif-'));
    try {
      const output = path.join(directory, 'out.sarif');
      const { code } = await run(['scan', 'fixtures/demo', '--format', 'sarif', '--output', output, '--category', 'fwlint/demo']);
      expect(code).toBe(1);
      const log = JSON.parse(fs.readFileSync(output, 'utf8'));
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(sarifSchemaPath, 'utf8')));
      expect(validate(log) ? [] : validate.errors).toEqual([]);
      const run0 = log.runs[0];
      expect(run0.results.length).toBeGreaterThan(10);
      expect(run0.results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: expect.stringMatching(/^fixtures\/demo\//), uriBaseId: '%SRCROOT%' });
      const fw201 = run0.results.find((result: { ruleId: string }) => result.ruleId === 'FW201');
      expect(fw201.properties.missing[0].ports).toBeDefined();
      const fw202 = run0.results.find((result: { ruleId: string }) => result.ruleId === 'FW202');
      expect(fw202.properties.excess.length).toBeGreaterThan(0);
      expect(run0.automationDetails.id).toBe('fwlint/demo/');
      // The vendor's advanced rules are offered as a fix for the over-broad Terraform egress block.
      expect(run0.results.some((result: { fixes?: unknown[] }) => (result.fixes ?? []).length > 0)).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('keeps suppressed results with suppressions[] under --include-suppressed, and the SARIF still validates', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sarif-suppressed-'));
    try {
      const output = path.join(directory, 'out.sarif');
      await run(['scan', 'fixtures/suppress', '--format', 'sarif', '--output', output, '--include-suppressed']);
      const log = JSON.parse(fs.readFileSync(output, 'utf8'));
      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(fs.readFileSync(sarifSchemaPath, 'utf8')));
      expect(validate(log) ? [] : validate.errors).toEqual([]);
      const suppressed = log.runs[0].results.filter((result: { suppressions?: unknown[] }) => result.suppressions);
      expect(suppressed.map((result: { suppressions: Array<{ kind: string }> }) => result.suppressions[0]!.kind).sort()).toEqual(['external', 'inSource']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('round-trips a baseline: only new findings fail', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-baseline-'));
    try {
      const baseline = path.join(directory, 'baseline.json');
      expect((await run(['scan', 'fixtures/demo', '--write-baseline', baseline])).code).toBe(1);
      const second = await run(['scan', 'fixtures/demo', '--baseline', baseline]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/0 findings.* in baseline, 0 baseline entries no longer occur/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Review item 1: a missing --baseline file was a raw ENOENT, exit 2 and no report at all.
  it('reports an unreadable or invalid --baseline file as a diagnostic, scans without it and still writes the report', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-baseline-bad-'));
    try {
      fs.writeFileSync(path.join(directory, 'broken.json'), '{\n  "version": 1,\n  "findings": [}\n');
      fs.writeFileSync(path.join(directory, 'other.json'), '{"a": 1}\n');
      const cases: Array<[string, string]> = [
        ['missing.json', 'baseline/unreadable missing.json:- cannot read baseline file: no such file or folder; findings were not compared with a baseline'],
        ['broken.json', 'baseline/invalid broken.json:3 invalid baseline file: not valid JSON; findings were not compared with a baseline'],
        ['other.json', 'baseline/invalid other.json:- invalid baseline file: not an fwlint baseline'],
      ];
      for (const [file, expected] of cases) {
        const { code, stdout, stderr } = await run(['scan', path.join(REPO_ROOT, 'fixtures/demo'), '--baseline', file, '-f', 'json', '-o', 'out.json'], directory);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).not.toMatch(/ENOENT|Unexpected token/);
        expect(stderr).toContain(`fwlint: ${file}`);
        const report = JSON.parse(fs.readFileSync(path.join(directory, 'out.json'), 'utf8')) as {
          exitCode: number; findings: unknown[]; diagnostics: Array<{ code: string; file: string; message: string; range: { startLine: number } | null }>;
        };
        expect(report.exitCode).toBe(2);
        expect(report.findings.length).toBeGreaterThan(10);
        expect(report.diagnostics.map((d) => `${d.code} ${d.file}:${d.range?.startLine ?? '-'} ${d.message}`)[0]).toContain(expected);
        fs.rmSync(path.join(directory, 'out.json'));
      }
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('lists checks, explains one, lists profiles and renders a role', async () => {
    expect((await run(['rules'])).stdout).toMatch(/FW201 +required-flow-missing/);
    expect((await run(['explain', 'FW101'])).stdout).toMatch(/^# FW101 world-open-ingress/);
    expect((await run(['explain', 'FW999'])).code).toBe(2);
    expect((await run(['profiles'])).stdout).toMatch(/dell-emc-scaleio/);
    const shown = await run(['profiles', 'show', 'dell-emc-scaleio/sds', '--json']);
    expect(JSON.parse(shown.stdout).flows.some((flow: { ports: string[] }) => flow.ports.includes('7072'))).toBe(true);
    // An unknown option is an error and nothing else: no table of a selection that was not asked for.
    const unknownOption = await run(['profiles', 'show', 'netapp-cloud-manager/cvo', '--option', 'bogus']);
    expect([unknownOption.code, unknownOption.stdout]).toEqual([2, '']);
    expect(unknownOption.stderr).toMatch(/unknown option 'bogus' for pack 'netapp-cloud-manager'; known options: ha,/);
    const rendered = await run(['render', 'lumen-cloud/windows', '--format', 'netsh', '--peer', 'control-portal=10.0.0.0/24']);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toMatch(/localport=5985/);
    const powerShell = await run(['render', 'lumen-cloud/windows', '--format', 'powershell', '--peer', 'control-portal=10.0.0.0/24']);
    expect(powerShell.code).toBe(0);
    expect(powerShell.stdout).toMatch(/^New-NetFirewallRule .* -LocalPort 5985 -RemoteAddress '10\.0\.0\.0\/24' /m);
    expect((await run(['render', 'nope/none', '--format', 'json'])).code).toBe(2);
    // What is missing, in the order a reader fixes it: the role first, then the format.
    const bare = await run(['render']);
    expect([bare.code, bare.stderr.split('\n')[0]]).toEqual([2, "error: missing required argument 'pack/role'"]);
    const noFormat = await run(['render', 'lumen-cloud/windows']);
    expect([noFormat.code, noFormat.stderr.split('\n')[0]]).toEqual([2, "error: required option '-f, --format <format>' not specified"]);
  });
  it('reads CloudFormation parameter files with --param-file; --param wins; a bad file is an error with its line', async () => {
    const template = 'fixtures/cloudformation/resolution/parameters.yaml';
    const world = await run(['scan', template, '--format', 'json']);
    const peerOf = (stdout: string): string[] => (JSON.parse(stdout) as { findings: Array<{ checkId: string; properties: { peer?: string } }> }).findings
      .filter((finding) => finding.checkId === 'FW101').map((finding) => finding.properties.peer ?? '');
    expect(peerOf(world.stdout)).toContain('0.0.0.0/0');
    const fromFile = await run(['scan', template, '--format', 'json', '--param-file', 'fixtures/cloudformation/resolution/params.json']);
    expect((JSON.parse(fromFile.stdout) as { diagnostics: Array<{ file: string }> }).diagnostics.filter((d) => d.file.endsWith('.json'))).toEqual([]);
    // The file's AdminCidr closes SSH (its UsePreviousValue for Tier leaves other rules undecided, under conditions).
    expect(JSON.stringify(JSON.parse(fromFile.stdout).findings)).not.toContain('ResolvedSG allows ingress from 0.0.0.0/0 on tcp/22');
    const overridden = await run(['scan', template, '--format', 'json', '--param-file', 'fixtures/cloudformation/resolution/params.json', '--param', 'AdminCidr=0.0.0.0/0']);
    expect(JSON.stringify(JSON.parse(overridden.stdout).findings)).toContain('ResolvedSG allows ingress from 0.0.0.0/0 on tcp/22');

    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-params-'));
    try {
      fs.writeFileSync(path.join(directory, 'bad.json'), '[\n  { "ParameterKey": "AdminCidr" }\n]\n');
      const bad = await run(['scan', path.join(REPO_ROOT, template), '--param-file', 'bad.json', '--param-file', 'missing.json', '--format', 'json'], directory);
      expect(bad.code).toBe(2);
      const diagnostics = (JSON.parse(bad.stdout) as { diagnostics: Array<{ code: string; file: string; range: { startLine: number } | null }> }).diagnostics;
      const fileProblems = diagnostics.filter((d) => d.file.endsWith('.json')).map((d) => `${d.code} ${d.file}:${d.range?.startLine ?? '-'}`);
      expect(fileProblems.sort()).toEqual(['parse/cfn-parameter-file bad.json:2', 'read/unreadable missing.json:-']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Regression (qa-h2): a --var always beat a --var-file; Terraform applies -var and -var-file in command-line order.
  it('applies --var and --var-file in command-line order, a later one winning, as Terraform does', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-var-order-'));
    try {
      fs.writeFileSync(path.join(directory, 'main.tf'), [
        'variable "admin_cidr" {',
        '  type    = string',
        '  default = "10.0.0.0/8"',
        '}',
        'resource "aws_security_group" "web" {',
        '  ingress {',
        '    from_port   = 22',
        '    to_port     = 22',
        '    protocol    = "tcp"',
        '    cidr_blocks = [var.admin_cidr]',
        '  }',
        '}',
        '',
      ].join('\n'));
      fs.writeFileSync(path.join(directory, 'office.tfvars'), 'admin_cidr = "192.168.0.0/16"\n');
      const worldOpen = async (args: string[]): Promise<boolean> => {
        const { code, stdout } = await run(['scan', '.', '-f', 'json', ...args], directory);
        expect(code).not.toBe(2);
        return (JSON.parse(stdout) as { findings: Array<{ checkId: string }> }).findings.some((finding) => finding.checkId === 'FW101');
      };
      expect(await worldOpen(['--var', 'admin_cidr=0.0.0.0/0', '--var-file', 'office.tfvars'])).toBe(false);
      expect(await worldOpen(['--var-file', 'office.tfvars', '--var', 'admin_cidr=0.0.0.0/0'])).toBe(true);
      expect(await worldOpen(['--var-file=office.tfvars', '--var=admin_cidr=0.0.0.0/0'])).toBe(true);
      expect(await worldOpen(['--var', 'admin_cidr=0.0.0.0/0', '--var-file', 'office.tfvars', '--var', 'admin_cidr=10.1.0.0/16'])).toBe(false);
      expect(await worldOpen(['--var', 'admin_cidr=10.1.0.0/16', '--var-file', 'office.tfvars', '--var', 'admin_cidr=0.0.0.0/0'])).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Regression (qa-h2): a parameter value outside AllowedValues was used as if CloudFormation would deploy it.
  it('refuses a --param or parameter-file value that breaks the parameter\'s constraints: exit 2, the rule unresolved (FW303)', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-constraints-'));
    try {
      fs.writeFileSync(path.join(directory, 'web.yaml'), [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Parameters:',
        '  AdminCidr:',
        '    Type: String',
        '    Default: 10.0.0.0/8',
        '    AllowedValues: [10.0.0.0/8, 192.168.0.0/16]',
        'Resources:',
        '  WebSG:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: web',
        '      SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }]',
        '      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr }]',
        '',
      ].join('\n'));
      fs.writeFileSync(path.join(directory, 'params.json'), '[{ "ParameterKey": "AdminCidr", "ParameterValue": "0.0.0.0/0" }]\n');
      type Report = { findings: Array<{ checkId: string }>; diagnostics: Array<{ code: string; severity: string; file: string; range: { startLine: number }; message: string }> };
      for (const [args, origin] of [[['--param', 'AdminCidr=0.0.0.0/0'], '--param'], [['--param-file', 'params.json'], 'params.json']] as const) {
        const { code, stdout, stderr } = await run(['scan', '.', '-f', 'json', ...args], directory);
        expect(code).toBe(2);
        const report = JSON.parse(stdout) as Report;
        expect(report.diagnostics.map((d) => [d.code, d.severity, d.file, d.range.startLine, d.message])).toEqual([[
          'parse/cfn-parameter-constraint', 'error', 'web.yaml', 6,
          `parameter AdminCidr: the value "0.0.0.0/0" given by ${origin} is not one of its AllowedValues (10.0.0.0/8, 192.168.0.0/16); CloudFormation refuses it, so AdminCidr is read as unresolved`,
        ]]);
        expect(stderr).toContain(`fwlint: web.yaml:6:5: parameter AdminCidr: the value "0.0.0.0/0" given by ${origin}`);
        // The scan goes on: the rule is reported as unresolved, never as open to the world.
        expect(report.findings.map((f) => f.checkId)).toEqual(['FW303']);
      }
      expect((await run(['scan', '.', '--param', 'AdminCidr=192.168.0.0/16'], directory)).code).toBe(0);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
