import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SourceFile } from '../../../src/model/source-file';
import { terraformPlanParser } from '../../../src/parsers/terraform-plan';
import { runCli } from '../../helpers/run-cli';
import { REPO_ROOT } from '../../helpers/scan-fixture';

// Terraform `moved` blocks in plans (QA h3): a baseline recorded on a plan before a rename reported the renamed
// resources' findings as new in the plan after it, though the HCL path accepts them. fixtures/terraform/plan-moved
// holds real plans (terraform 1.11) before and after `aws_security_group.old` → `web` and `module.legacy` → `edge`.

const FIXTURE = path.join(REPO_ROOT, 'fixtures/terraform/plan-moved');

/** The plan after the rename, with what it would say once applied: no `previous_address` (the state has the new ones). */
function appliedPlan(): string {
  const plan = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'plan.json'), 'utf8')) as { resource_changes: Array<Record<string, unknown>> };
  for (const change of plan.resource_changes) delete change.previous_address;
  return JSON.stringify(plan);
}

/** Copies the fixture's files (`before/` or the folder itself, without `before/`) into `directory`, replacing it. */
function writeConfiguration(directory: string, from: string, withTf: boolean): void {
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  fs.copyFileSync(path.join(from, 'plan.json'), path.join(directory, 'plan.json'));
  if (!withTf) return;
  fs.copyFileSync(path.join(from, 'main.tf'), path.join(directory, 'main.tf'));
  fs.cpSync(path.join(from, 'modules'), path.join(directory, 'modules'), { recursive: true });
}

/** Records a baseline of the plan before the rename in `infra/`, then scans `after` (set up by `arrange`) with it. */
async function gateAfterRename(withTf: boolean, arrange: (infra: string) => void = () => {}): Promise<{ code: number; baselined: number; findings: number }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-moved-'));
  try {
    const infra = path.join(directory, 'infra');
    writeConfiguration(infra, path.join(FIXTURE, 'before'), withTf);
    expect((await runCli(['scan', 'infra/plan.json', '--write-baseline', 'baseline.json'], directory)).code).toBe(1);
    writeConfiguration(infra, FIXTURE, withTf);
    arrange(infra);
    const run = await runCli(['scan', 'infra/plan.json', '--baseline', 'baseline.json', '--format', 'json'], directory);
    const report = JSON.parse(run.stdout) as { summary: { baselined: number; findings: number } };
    return { code: run.code, baselined: report.summary.baselined, findings: report.summary.findings };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('Terraform plan JSON: resources renamed by moved blocks', () => {
  it('gives planned targets the former addresses of previous_address and of the moved blocks on disk', () => {
    const absolutePath = path.join(FIXTURE, 'plan.json');
    const file: SourceFile = { path: 'fixtures/terraform/plan-moved/plan.json', absolutePath, text: fs.readFileSync(absolutePath, 'utf8'), encoding: 'utf-8' };
    const formers = terraformPlanParser.parse([file], { vars: {}, varFiles: [], params: {} }).targets.map((target) => [target.id, target.formerIds]);
    expect(formers).toEqual([
      ['aws_security_group.web', ['aws_security_group.old']],
      ['module.edge.aws_security_group.this', ['module.legacy.aws_security_group.this']],
    ]);
  });

  it('accepts the baseline written before the rename, with the .tf files next to the plan or without them', async () => {
    expect(await gateAfterRename(true)).toEqual({ code: 0, baselined: 2, findings: 0 });
    // The plan alone: its previous_address says where the prior state holds each resource.
    expect(await gateAfterRename(false)).toEqual({ code: 0, baselined: 2, findings: 0 });
  });

  it('still accepts it once the rename is applied, while the moved blocks are there', async () => {
    const applied = (infra: string): void => fs.writeFileSync(path.join(infra, 'plan.json'), appliedPlan());
    expect(await gateAfterRename(true, applied)).toEqual({ code: 0, baselined: 2, findings: 0 });
    // Neither a previous address nor a moved block: the renamed resources' findings are new.
    expect(await gateAfterRename(false, applied)).toEqual({ code: 1, baselined: 0, findings: 2 });
  });
});
