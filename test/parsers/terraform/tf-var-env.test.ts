import * as path from 'node:path';
import type { ScanResult } from '../../../src/pipeline/scan';
import { runCli } from '../../helpers/run-cli';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';

const FIXTURE = 'terraform/tf-var-env';

/** `address peer ports` of each rule. */
function rulesOf(result: ScanResult): string[] {
  return result.targets.flatMap((target) => target.rules).map((rule) => `${rule.resourceAddress} ${rule.peer.kind === 'addresses' ? rule.peer.text : rule.peer.kind} ${rule.ports.toString()}`);
}

describe('TF_VAR_ environment variables', () => {
  const parse = (envVars: Record<string, string>, vars: Record<string, string> = {}) => ({ parse: { vars, varFiles: [], params: {}, envVars } });

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

describe('--var with a malformed list or object', () => {
  it.each([
    ['ports=[22', 'fwlint: --var ports: invalid value: unclosed "[": no "]" before end of the value\n'],
    ['ports={a = }', 'fwlint: --var ports: invalid value: expected an expression, found "}"\n'],
  ])('--var %s is a usage error naming the variable', async (assignment, stderr) => {
    const run = await runCli(['scan', path.join('fixtures', FIXTURE), '--var', assignment], REPO_ROOT, { FWLINT_SCAN_THREAD: '0' });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr });
  });

  it('still takes other text as a string', async () => {
    const run = await runCli(['scan', path.join('fixtures', FIXTURE), '--var', 'admin_cidr=0.0.0.0/0', '--format', 'json'], REPO_ROOT, { FWLINT_SCAN_THREAD: '0' });
    expect(run.code).toBe(1);
  });
});
