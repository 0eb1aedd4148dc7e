import * as path from 'node:path';
import type { ScanResult } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';

const FIXTURE = 'terraform/variables-precedence';

/** Which port each rule got, by its `description` (the variable's name). */
function portsOf(result: ScanResult): Record<string, string> {
  expect(result.diagnostics).toEqual([]);
  expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.levels']);
  return Object.fromEntries(result.targets[0]!.rules.map((rule) => [rule.description, rule.ports.toString()]));
}

/**
 * Where variable values come from, lowest precedence first (src/parsers/terraform/module.ts `loadModule`):
 * default < terraform.tfvars < *.auto.tfvars in lexical order < --var-file < --var. In the fixture each variable is
 * set at one more level than the one before, with the level in its last digit.
 */
describe('Terraform variable precedence', () => {
  it('takes defaults, then terraform.tfvars, then *.auto.tfvars in lexical order; other .tfvars files are not loaded', () => {
    expect(portsOf(scanFixture(FIXTURE))).toEqual({
      only_default: '1001',
      tfvars: '2002',
      auto: '3003',
      auto_lexical: '4004',
      var_file: '5004',
      cli: '6004',
    });
  });

  it('lets --var-file override the automatically loaded files', () => {
    const varFile = path.join(REPO_ROOT, 'fixtures', FIXTURE, 'explicit.tfvars');
    expect(portsOf(scanFixture(FIXTURE, { parse: { vars: {}, varFiles: [varFile], params: {} } }))).toMatchObject({
      auto_lexical: '4004',
      var_file: '5005',
      cli: '6005',
    });
  });

  it('lets --var override everything, --var-file included', () => {
    const varFile = path.join(REPO_ROOT, 'fixtures', FIXTURE, 'explicit.tfvars');
    expect(portsOf(scanFixture(FIXTURE, { parse: { vars: { cli: '6006' }, varFiles: [varFile], params: {} } }))).toEqual({
      only_default: '1001',
      tfvars: '2002',
      auto: '3003',
      auto_lexical: '4004',
      var_file: '5005',
      cli: '6006',
    });
    // Without --var-file, --var still wins over the auto-loaded files.
    expect(portsOf(scanFixture(FIXTURE, { parse: { vars: { tfvars: '2006' }, varFiles: [], params: {} } }))).toMatchObject({ tfvars: '2006', cli: '6004' });
  });

  it('reports a --var-file that cannot be read by its name and the problem, without the system error text', () => {
    const result = scanFixture(FIXTURE, { parse: { vars: {}, varFiles: [path.join(REPO_ROOT, 'fixtures', FIXTURE, 'missing.tfvars')], params: {} } });
    const unreadable = result.diagnostics.filter((diagnostic) => diagnostic.code === 'read/unreadable');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.file).toMatch(/missing\.tfvars$/);
    expect(unreadable[0]!.message).toBe('cannot read variable file: no such file or folder');
  });
});
