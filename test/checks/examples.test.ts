import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../src/checks';
import { REPO_ROOT, scanFixture } from '../helpers/scan-fixture';

/**
 * The sweep (after Trivy's examples_test): every fixture under fixtures/checks/<ID>/ is run; a bad one must give at
 * least one finding of its check, a good one none, and both must parse cleanly into at least one target, so a silent
 * parser failure cannot pass as "good".
 */
function fixturesOf(checkId: string): string[] {
  const root = path.join(REPO_ROOT, 'fixtures', 'checks', checkId);
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  for (const format of fs.readdirSync(root).sort()) {
    for (const file of fs.readdirSync(path.join(root, format)).sort()) {
      if (/^(good|bad)-/.test(file)) out.push(path.join('checks', checkId, format, file));
    }
  }
  return out;
}

describe('check fixture sweep', () => {
  it('has a good and a bad fixture for every check', () => {
    const missing = CHECKS.filter((check) => {
      const names = fixturesOf(check.id).map((fixture) => path.basename(fixture));
      return !names.some((name) => name.startsWith('good-')) || !names.some((name) => name.startsWith('bad-'));
    }).map((check) => check.id);
    expect(missing).toEqual([]);
  });

  it('has a good and a bad fixture in each format its docs show examples of (Terraform, CloudFormation, netsh, CDK/Pulumi)', () => {
    const missing = CHECKS.flatMap((check) => ['terraform', 'cloudformation', 'netsh', 'cdk'].flatMap((format) => {
      const names = fixturesOf(check.id).filter((fixture) => fixture.split(path.sep)[2] === format).map((fixture) => path.basename(fixture));
      return ['good-', 'bad-'].filter((prefix) => !names.some((name) => name.startsWith(prefix))).map((prefix) => `${check.id} ${format}/${prefix}*`);
    }));
    expect(missing).toEqual([]);
  });

  it('has good and bad CloudFormation fixtures, in YAML and in JSON, for the checks a template can trigger', () => {
    const missing = CHECKS.map((check) => check.id).flatMap((checkId) => {
      const names = fixturesOf(checkId).filter((fixture) => fixture.split(path.sep)[2] === 'cloudformation').map((fixture) => path.basename(fixture));
      return ['good-', 'bad-'].flatMap((prefix) => ['.yaml', '.json']
        .filter((extension) => !names.some((name) => name.startsWith(prefix) && name.endsWith(extension)))
        .map((extension) => `${checkId} ${prefix}*${extension}`));
    });
    expect(missing).toEqual([]);
  });

  for (const check of CHECKS) {
    for (const fixture of fixturesOf(check.id)) {
      it(`${check.id}: ${fixture}`, () => {
        const result = scanFixture(fixture);
        expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
        expect(result.targets.length).toBeGreaterThan(0);
        const count = result.findings.filter((finding) => finding.checkId === check.id).length;
        if (path.basename(fixture).startsWith('bad-')) expect(count).toBeGreaterThan(0);
        else expect(count).toBe(0);
      });
    }
  }
});
