import * as path from 'node:path';
import type { ScanOptions, ScanResult } from '../../../src/pipeline/scan';
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
      'error fixtures/terraform/tf-var-env/main.tf:8 parse/terraform-var-env TF_VAR_ports: invalid value for variable "ports": unclosed "[": no "]" before end of the value; Terraform reads a value of type list(number) as an HCL expression, such as [22, 443]',
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
    expect(diagnosticsOf(result)).toEqual([`error fixtures/terraform/tf-var-env/main.tf:8 parse/terraform-var-cli --var ports: invalid value for variable "ports": ${problem}; Terraform reads a value of type list(number) as an HCL expression, such as [22, 443]`]);
    // The default stays; the other rules are judged.
    expect(rulesOf(result)).toEqual(['aws_vpc_security_group_ingress_rule.admin["22"] 0.0.0.0/0 22', 'aws_vpc_security_group_ingress_rule.db 0.0.0.0/0 5432']);
  });

  // Terraform takes the value of a variable without `type` literally (configs.decodeVariableBlock: ParsingMode
  // VariableParseLiteral unless a non-primitive type is declared); fwlint read it as HCL where it parsed.
  it('a variable without type takes the text as it is, from --var and TF_VAR_ alike, and warns where it looks like a list', () => {
    const tree = {
      'main.tf': 'variable "port" {}\nvariable "cidr" {}\nvariable "extra" {}\nresource "aws_security_group" "a" {\n  description = var.extra\n  ingress {\n    from_port   = var.port\n    to_port     = var.port\n    protocol    = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\n',
    };
    const values = { port: '22', cidr: '0.0.0.0/0', extra: '["a", "b"]' };
    const runs: Array<[Partial<ScanOptions>, string, string]> = [
      [{ parse: { vars: values, varFiles: [], params: {} } }, '--var extra', 'parse/terraform-var-cli'],
      [parse(values), 'TF_VAR_extra', 'parse/terraform-var-env'],
    ];
    for (const [options, origin, code] of runs) {
      const result = scanFiles(tree, options);
      // "22" is a string Terraform converts to the port; "0.0.0.0/0" is no HCL, and no longer needs to be.
      expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual(['FW101 aws_security_group.a allows ingress from 0.0.0.0/0 on tcp/22']);
      expect(diagnosticsOf(result)).toEqual([
        `warning main.tf:3 ${code} ${origin}: variable "extra" has no type, so Terraform takes "[\\"a\\", \\"b\\"]" as a string, not as a list or map; declare its type (\`type = list(string)\`) to give one`,
      ]);
    }
  });

  it('a variable of type any reads the value as HCL, as Terraform does', () => {
    const tree = { 'main.tf': 'variable "cidrs" { type = any }\nresource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = var.cidrs\n  }\n}\n' };
    const result = scanFiles(tree, { parse: { vars: { cidrs: '["0.0.0.0/0"]' }, varFiles: [], params: {} } });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW101']);
  });

  it('a list variable given a bare CIDR says how Terraform wants a list written, naming the variable and the source', () => {
    const tree = { 'main.tf': 'variable "cidrs" {\n  type = list(string)\n}\nvariable "ports" {\n  type = set(number)\n}\n' };
    const cli = scanFiles(tree, { parse: { vars: { cidrs: '0.0.0.0/0', ports: '22 443' }, varFiles: [], params: {} } });
    expect(diagnosticsOf(cli)).toEqual([
      'error main.tf:1 parse/terraform-var-cli --var cidrs: invalid value for variable "cidrs": invalid number "0.0.0.0"; Terraform reads a value of type list(string) as an HCL expression, such as ["0.0.0.0/0"]',
      'error main.tf:4 parse/terraform-var-cli --var ports: invalid value for variable "ports": expected the end of the value, found "443"; Terraform reads a value of type set(number) as an HCL expression, such as [22, 443]',
    ]);
    const env = scanFiles(tree, parse({ cidrs: '0.0.0.0/0' }));
    expect(diagnosticsOf(env)).toEqual([
      'error main.tf:1 parse/terraform-var-env TF_VAR_cidrs: invalid value for variable "cidrs": invalid number "0.0.0.0"; Terraform reads a value of type list(string) as an HCL expression, such as ["0.0.0.0/0"]',
    ]);
  });

  it('--var with a string variable is no usage error; an invalid list value exits 2 after scanning', async () => {
    const text = await runCli(['scan', path.join('fixtures', FIXTURE), '--var', 'desc=[prod] web tier', '--var', 'admin_cidr=0.0.0.0/0', '--format', 'json'], REPO_ROOT, { FWLINT_SCAN_THREAD: '0' });
    expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 1, stderr: '' });
    const invalid = await runCli(['scan', path.join('fixtures', FIXTURE), '--var', 'ports=[22', '--var', 'admin_cidr=0.0.0.0/0', '--format', 'json'], REPO_ROOT, { FWLINT_SCAN_THREAD: '0' });
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout).findings.map((finding: { checkId: string }) => finding.checkId)).toContain('FW101');
  });
});
