import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';

// Standalone rules with count / for_each in plans (QA h3): `security_group_id = aws_security_group.web[count.index].id`
// is written in the plan's JSON configuration as references ["aws_security_group.web", "count.index"], which joined
// no instance of the group: each rule was a target of its own, and a rule the group's inline rules already cover was
// not found redundant. fixtures/terraform/plan-count-join holds a real plan (terraform 1.11).

const FIXTURE = path.join(REPO_ROOT, 'fixtures/terraform/plan-count-join');

/** Each finding as `check target message-less rule`, inline set elements named alike for the HCL and plan paths. */
function essence(findings: ReadonlyArray<{ checkId: string; targetId: string; ruleId?: string }>): string[] {
  return findings.map((finding) => `${finding.checkId} ${finding.targetId} ${(finding.ruleId ?? '').replace(/\.ingress\[[^\]]*\]/, '.ingress[*]')}`).sort();
}

/** Scans `plan.json` copied into a temporary folder, with the fixture's main.tf (edited by `edit`) or without it. */
function scanCopy(withTf: boolean, edit: (text: string) => string = (text) => text): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-count-'));
  try {
    fs.copyFileSync(path.join(FIXTURE, 'plan.json'), path.join(directory, 'plan.json'));
    if (withTf) fs.writeFileSync(path.join(directory, 'main.tf'), edit(fs.readFileSync(path.join(FIXTURE, 'main.tf'), 'utf8')));
    return scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('Terraform plan JSON: standalone rules indexed by count.index or each.key', () => {
  it('joins each rule instance to the group instance of its key, as the HCL path does', () => {
    const fromPlan = scanFixture('terraform/plan-count-join/plan.json');
    expect(fromPlan.targets.map((target) => target.id)).toEqual(['aws_security_group.app["a"]', 'aws_security_group.app["b"]', 'aws_security_group.web[0]', 'aws_security_group.web[1]']);
    expect(essence(fromPlan.findings)).toEqual(essence(scanFixture('terraform/plan-count-join/main.tf').findings));
    expect(essence(fromPlan.findings.filter((finding) => finding.checkId === 'FW302'))).toEqual([
      'FW302 aws_security_group.app["a"] aws_vpc_security_group_ingress_rule.https["a"]#0',
      'FW302 aws_security_group.app["b"] aws_vpc_security_group_ingress_rule.https["b"]#0',
      'FW302 aws_security_group.web[0] aws_security_group_rule.ssh[0]#0',
      'FW302 aws_security_group.web[1] aws_security_group_rule.ssh[1]#0',
    ]);
  });

  it('joins them by the references alone when the plan is scanned without its .tf files', () => {
    const alone = scanCopy(false);
    expect(alone.targets.map((target) => target.id)).toEqual(['aws_security_group.app["a"]', 'aws_security_group.app["b"]', 'aws_security_group.web[0]', 'aws_security_group.web[1]']);
    expect(alone.findings.filter((finding) => finding.checkId === 'FW302')).toHaveLength(4);
  });

  it('joins a rule whose .tf indexes the group otherwise (same references in the plan) to the instance its .tf picks', () => {
    const swapped = scanCopy(true, (text) => text.replace('aws_security_group.web[count.index].id', 'aws_security_group.web[(count.index + 1) % 2].id'));
    expect(swapped.targets.map((target) => target.id)).toEqual(['aws_security_group.app["a"]', 'aws_security_group.app["b"]', 'aws_security_group.web[0]', 'aws_security_group.web[1]']);
    const rulesOf = (id: string): string[] => swapped.targets.find((target) => target.id === id)!.rules.map((rule) => rule.id).filter((rule) => rule.startsWith('aws_security_group_rule'));
    expect(rulesOf('aws_security_group.web[0]')).toEqual(['aws_security_group_rule.ssh[1]#0']);
    expect(rulesOf('aws_security_group.web[1]')).toEqual(['aws_security_group_rule.ssh[0]#0']);
  });
});
