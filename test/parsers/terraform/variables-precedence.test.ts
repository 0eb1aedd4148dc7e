import * as path from 'node:path';
import type { CliVarSource } from '../../../src/model';
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
 * default < terraform.tfvars < *.auto.tfvars in lexical order < --var-file and --var in command-line order (as
 * `cliVarSources` gives it; without it, --var-file < --var). In the fixture each variable is set at one more level
 * than the one before, with the level in its last digit.
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

  it('without the command-line order, lets --var override everything, --var-file included', () => {
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

  // Regression (qa-h2): a --var always beat a --var-file; Terraform applies -var and -var-file in command-line order.
  it('applies --var and --var-file in command-line order when it is given: a later one wins', () => {
    const varFile = path.join(REPO_ROOT, 'fixtures', FIXTURE, 'explicit.tfvars');
    const parse = (cliVarSources: CliVarSource[]) => ({ vars: { cli: '6006', tfvars: '2006' }, varFiles: [varFile], params: {}, cliVarSources });
    // `--var cli=6006 --var tfvars=2006 --var-file explicit.tfvars`: the file's cli = 6005 comes later and wins.
    expect(portsOf(scanFixture(FIXTURE, { parse: parse([
      { kind: 'var', name: 'cli', value: '6006' },
      { kind: 'var', name: 'tfvars', value: '2006' },
      { kind: 'var-file', file: varFile },
    ]) }))).toMatchObject({ tfvars: '2006', var_file: '5005', cli: '6005' });
    // `--var-file explicit.tfvars --var cli=6006 --var tfvars=2006`: the --var comes later and wins.
    expect(portsOf(scanFixture(FIXTURE, { parse: parse([
      { kind: 'var-file', file: varFile },
      { kind: 'var', name: 'cli', value: '6006' },
      { kind: 'var', name: 'tfvars', value: '2006' },
    ]) }))).toMatchObject({ tfvars: '2006', var_file: '5005', cli: '6006' });
    // A repeated --var: the last one wins, before or after the file.
    expect(portsOf(scanFixture(FIXTURE, { parse: parse([
      { kind: 'var', name: 'cli', value: '6007' },
      { kind: 'var-file', file: varFile },
      { kind: 'var', name: 'cli', value: '6006' },
    ]) }))).toMatchObject({ cli: '6006' });
  });

  it('reports a --var-file that cannot be read by its name and the problem, without the system error text', () => {
    const result = scanFixture(FIXTURE, { parse: { vars: {}, varFiles: [path.join(REPO_ROOT, 'fixtures', FIXTURE, 'missing.tfvars')], params: {} } });
    const unreadable = result.diagnostics.filter((diagnostic) => diagnostic.code === 'read/unreadable');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.file).toMatch(/missing\.tfvars$/);
    expect(unreadable[0]!.message).toBe('cannot read variable file: no such file or folder');
  });
});
