import * as path from 'node:path';
import type { ScanResult } from '../../../src/pipeline/scan';
import { runCli } from '../../helpers/run-cli';
import { REPO_ROOT, scanFiles, scanFixture } from '../../helpers/scan-fixture';

const FIXTURE = 'terraform/tf-var-env';

/** `address peer ports` of each rule. */
function rulesOf(result: ScanResult): string[] {
  return result.targets.flatMap((target) => target.rules).map((rule) => `${rule.resourceAddress} ${rule.peer.kind === 'addresses' ? rule.peer.text : rule.peer.kind} ${rule.ports.toString()}`);
}

const parse = (envVars: Record<string, string>, vars: Record<string, string> = {}) => ({ parse: { vars, varFiles: [], params: {}, envVars } });

describe('TF_VAR_ environment variables', () => {
  it('give values above the defaults, parsed per the declared type (a primitive as text, a list as HCL)', () => {
    const result = scanFixture(FIXTURE, parse({ admin_cidr: '0.0.0.0/0', ports: '[22, 3389]', db_port: '6432', undeclared: 'x' }));
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_vpc_security_group_ingress_rule.admin["22"] 0.0.0.0/0 22',
      'aws_vpc_security_group_ingress_rule.admin["3389"] 0.0.0.0/0 3389',
      'aws_vpc_security_group_ingress_rule.db 0.0.0.0/0 6432',
    ]);
  });

  it('are below --var (and the variable files)', () => {
    const result = scanFixture(FIXTURE, parse({ admin_cidr: '0.0.0.0/0' }, { admin_cidr: '192.0.2.0/24' }));
    expect(rulesOf(result)).toEqual(['aws_vpc_security_group_ingress_rule.admin["22"] 192.0.2.0/24 22', 'aws_vpc_security_group_ingress_rule.db 192.0.2.0/24 5432']);
  });

  it('report a malformed value for a variable of a collection type at its declaration', () => {
    const result = scanFixture(FIXTURE, parse({ ports: '[3389' }));
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.file}:${diagnostic.range?.startLine} ${diagnostic.code} ${diagnostic.message}`)).toEqual([
      'error fixtures/terraform/tf-var-env/main.tf:8 parse/terraform-var-env TF_VAR_ports: invalid value for variable "ports": unclosed "[": no "]" before end of the value',
    ]);
  });

  it('are read from the CLI\'s environment', async () => {
    const run = await runCli(['scan', path.join('fixtures', FIXTURE), '--format', 'json'], REPO_ROOT, { TF_VAR_admin_cidr: '0.0.0.0/0', FWLINT_SCAN_THREAD: '0' });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((finding: { checkId: string }) => finding.checkId)).toContain('FW101');
  });
});

describe('--var and TF_VAR_ values, read per the declared type', () => {
  const diagnosticsOf = (result: ScanResult) => result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.file}:${diagnostic.range?.startLine} ${diagnostic.code} ${diagnostic.message}`);

  it.each([['[prod] web tier'], ['{team}-sg'], ['[x'], ['"quoted"']])('a string variable takes %s as text, from --var and TF_VAR_ alike', (text) => {
    for (const options of [{ parse: { vars: { desc: text, admin_cidr: '0.0.0.0/0' }, varFiles: [], params: {} } }, parse({ desc: text, admin_cidr: '0.0.0.0/0' })]) {
      const result = scanFixture(FIXTURE, options);
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.map((finding) => finding.checkId)).toContain('FW101');
    }
  });

  it.each([
    ['[22', 'unclosed "[": no "]" before end of the value'],
    ['{a = }', 'expected an expression, found "}"'],
  ])('a list variable given --var ports=%s is an error at its declaration, the rest still scanned', (text, problem) => {
    const result = scanFixture(FIXTURE, { parse: { vars: { ports: text, admin_cidr: '0.0.0.0/0' }, varFiles: [], params: {} } });
    expect(diagnosticsOf(result)).toEqual([`error fixtures/terraform/tf-var-env/main.tf:8 parse/terraform-var-cli --var ports: invalid value for variable "ports": ${problem}`]);
    // The default stays; the other rules are judged.
    expect(rulesOf(result)).toEqual(['aws_vpc_security_group_ingress_rule.admin["22"] 0.0.0.0/0 22', 'aws_vpc_security_group_ingress_rule.db 0.0.0.0/0 5432']);
  });

  it('an untyped variable reads a list from TF_VAR_ as from --var', () => {
    const tree = { 'main.tf': 'variable "cidrs" {}\nresource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = var.cidrs\n  }\n}\n' };
    for (const options of [{ parse: { vars: { cidrs: '["0.0.0.0/0"]' }, varFiles: [], params: {} } }, parse({ cidrs: '["0.0.0.0/0"]' })]) {
      const result = scanFiles(tree, options);
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW101']);
    }
  });

  it('--var with a string variable is no usage error; an invalid list value exits 2 after scanning', async () => {
    const text = await runCli(['scan', path.join('fixtures', FIXTURE), '--var', 'desc=[prod] web tier', '--var', 'admin_cidr=0.0.0.0/0', '--format', 'json'], REPO_ROOT, { FWLINT_SCAN_THREAD: '0' });
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 1, stderr: '' });
    const invalid = await runCli(['scan', path.join('fixtures', FIXTURE), '--var', 'ports=[22', '--var', 'admin_cidr=0.0.0.0/0', '--format', 'json'], REPO_ROOT, { FWLINT_SCAN_THREAD: '0' });
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout).findings.map((finding: { checkId: string }) => finding.checkId)).toContain('FW101');
  });
});
