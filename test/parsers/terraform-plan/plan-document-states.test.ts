import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../helpers/run-cli';
import { REPO_ROOT, scanFiles, scanFixture } from '../../helpers/scan-fixture';

// What a plan says about itself beyond its resources (QA 13, items 06, 08, 14): a forgotten instance stays live, an
// errored plan is incomplete, and an empty state is a state.

describe('Terraform plan JSON: forgotten instances, errored plans, empty states', () => {
  it('checks an instance the plan forgets (removed { lifecycle { destroy = false } }) as live, with a warning', () => {
    const result = scanFixture('terraform/plan-forget/plan.json');
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.ruleId}`)).toEqual(['FW101 aws_security_group.web aws_vpc_security_group_ingress_rule.rdp#0']);
    const warnings = result.diagnostics.filter((diagnostic) => diagnostic.code === 'parse/plan-forgotten');
    expect(warnings.map((diagnostic) => diagnostic.message)).toEqual([
      'the plan forgets aws_vpc_security_group_ingress_rule.rdp without destroying it (a `removed` block with `destroy = false`): it stays live and is checked as it is now, but Terraform no longer manages it',
    ]);
    // Its configuration is gone by design: it is not among the resources whose configuration was not found.
    const unmapped = result.diagnostics.find((diagnostic) => diagnostic.code === 'parse/plan-configuration-not-found');
    expect(unmapped?.message).not.toMatch(/ingress_rule\.rdp/);
  });

  it('still drops an instance the plan deletes, with the read-back of its rule in the group', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-forget/plan.json'), 'utf8').replace(/"actions": \[\s*"forget"\s*\]/, '"actions": ["delete"]');
    expect(text).toMatch(/"actions": \["delete"\]/);
    const result = scanFiles({ 'plan.json': text });
    expect(result.findings).toEqual([]);
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).not.toContain('parse/plan-forgotten');
  });

  it('reports an errored (partial) plan as an input error at its "errored" flag, and still what it holds', async () => {
    const result = scanFixture('terraform/plan-errored/plan.json');
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors.map((diagnostic) => `${diagnostic.code} ${diagnostic.file}:${diagnostic.range?.startLine}:${diagnostic.range?.startColumn}`)).toEqual(['parse/plan-errored fixtures/terraform/plan-errored/plan.json:299:3']);
    expect(errors[0]!.message).toMatch(/^this plan is incomplete \("errored": true/);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`)).toEqual(['FW104 module.app["dev"].aws_security_group.this']);
    expect((await runCli(['scan', 'fixtures/terraform/plan-errored/plan.json', '--fail-on', 'high'], REPO_ROOT)).code).toBe(2);
  });

  it('reads the empty state `terraform show -json` prints before the first apply as a state of no resources', async () => {
    const result = scanFixture('terraform/plan-empty-state/state.json');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets).toEqual([]);
    expect((await runCli(['scan', 'fixtures/terraform/plan-empty-state/state.json'], REPO_ROOT)).code).toBe(0);
    expect(scanFiles({ 'state.json': '\uFEFF{ "format_version": "1.0" }\n' }).diagnostics).toEqual([]);
  });
});
