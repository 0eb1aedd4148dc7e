import { runCli } from '../../helpers/run-cli';
import { scanFiles } from '../../helpers/scan-fixture';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// A plan that does not describe every resource (`"complete": false`: `terraform plan -target=…`, or changes deferred
// to a later round) holds only some rules of a group: what it holds is checked, a required flow is never reported
// missing (FW201 "cannot be confirmed", a note), and a warning at the flag says so.

const ruleConfiguration = {
  address: 'aws_vpc_security_group_ingress_rule.api',
  mode: 'managed',
  type: 'aws_vpc_security_group_ingress_rule',
  name: 'api',
  provider_config_key: 'aws',
  expressions: {
    security_group_id: { references: ['aws_security_group.mediator.id', 'aws_security_group.mediator'] },
    ip_protocol: { constant_value: 'tcp' },
    from_port: { constant_value: 3000 },
    to_port: { constant_value: 3000 },
    cidr_ipv4: { constant_value: '10.20.0.0/16' },
  },
  schema_version: 0,
};

/**
 * `terraform plan -target=aws_security_group.mediator` of a mediator group mapped to its role, whose API rule is a
 * resource of its own that the target left out: the configuration still lists it, the changes do not.
 */
function targetedPlan(complete: boolean | undefined, extra: Record<string, unknown> = {}): string {
  const groupValues = {
    description: 'HA mediator',
    egress: [{ cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 443, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 443 }],
    ingress: [{ cidr_blocks: ['0.0.0.0/0'], description: 'ssh', from_port: 22, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 22 }],
    name: 'mediator',
    revoke_rules_on_delete: false,
    tags: { 'fwlint:profile': 'netapp-cloud-manager/ha-mediator' },
    vpc_id: 'vpc-0a1b2c3d',
  };
  const plan: Record<string, unknown> = {
    format_version: '1.2',
    terraform_version: '1.10.2',
    planned_values: { root_module: { resources: [{ address: 'aws_security_group.mediator', mode: 'managed', type: 'aws_security_group', name: 'mediator', provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 1, values: groupValues, sensitive_values: {} }] } },
    resource_changes: [{
      address: 'aws_security_group.mediator',
      mode: 'managed',
      type: 'aws_security_group',
      name: 'mediator',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions: ['create'], before: null, after: groupValues, after_unknown: { arn: true, id: true, owner_id: true, egress: [{ cidr_blocks: [false], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [] }], ingress: [{ cidr_blocks: [false], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [] }], tags: {} }, before_sensitive: false, after_sensitive: { egress: [{}], ingress: [{}], tags: {} } },
    }],
    configuration: { provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } }, root_module: { resources: [
      { address: 'aws_security_group.mediator', mode: 'managed', type: 'aws_security_group', name: 'mediator', provider_config_key: 'aws', expressions: { name: { constant_value: 'mediator' }, vpc_id: { constant_value: 'vpc-0a1b2c3d' } }, schema_version: 1 },
      ruleConfiguration,
    ] } },
    timestamp: '2026-11-25T10:00:00Z',
    applyable: true,
    ...(complete === undefined ? {} : { complete }),
    errored: false,
    ...extra,
  };
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Each FW201 finding as `severity messageId flow`. */
function fw201(result: ReturnType<typeof scanFiles>): string[] {
  return result.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => `${finding.severity} ${finding.messageId} ${(finding.properties?.flow as { id: string }).id}`).sort();
}

describe('Terraform plan JSON: "complete": false', () => {
  it('reports no required flow missing on a plan that is not complete, and says why in a warning at the flag', () => {
    const result = scanFiles({ 'plan.json': targetedPlan(false) });
    const findings = fw201(result);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.startsWith('note unconfirmedIncomplete '))).toBe(true);
    const api = result.findings.find((finding) => finding.checkId === 'FW201' && /tcp\/3000/.test(finding.message))!;
    expect(api.message).toMatch(/cannot be confirmed: the plan is not complete \("complete": false\), and rules it does not hold may carry it$/);
    expect(api.properties?.incompleteBecause).toBe('the plan is not complete ("complete": false), and rules it does not hold may carry it');
    // A baseline entry of the high the complete plan gives still accepts the note.
    const high = scanFiles({ 'plan.json': targetedPlan(true) }).findings.find((finding) => finding.checkId === 'FW201' && /tcp\/3000/.test(finding.message))!;
    expect(high.severity).toBe('high');
    expect(api.formerFingerprints).toContain(high.fingerprint);
    // What the plan holds is still checked.
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity}`)).toContain('FW101 critical');
    const warnings = result.diagnostics.filter((diagnostic) => diagnostic.code === 'parse/plan-incomplete');
    expect(warnings.map((diagnostic) => `${diagnostic.severity} ${diagnostic.file}:${diagnostic.range?.startLine}:${diagnostic.range?.startColumn}`)).toEqual([`warning plan.json:${targetedPlan(false).split('\n').findIndex((line) => line.includes('"complete"')) + 1}:3`]);
    expect(warnings[0]!.message).toBe('this plan is incomplete ("complete": false: planned with -target, or with changes deferred): the results cover only the resources it holds; a required flow (FW201) is not reported missing on its targets but as "cannot be confirmed"; plan the whole configuration to check all of it');
  });

  it('reports the same flows missing (high) when the plan is complete, or older and without the field', () => {
    for (const complete of [true, undefined]) {
      const result = scanFiles({ 'plan.json': targetedPlan(complete) });
      const findings = fw201(result);
      expect(findings).toEqual(fw201(scanFiles({ 'plan.json': targetedPlan(false) })).map((finding) => finding.replace('note unconfirmedIncomplete', 'high missing')));
      expect(result.diagnostics.map((diagnostic) => diagnostic.code)).not.toContain('parse/plan-incomplete');
    }
  });

  it('names the deferred resources, which are not checked', () => {
    const deferred = { deferred_changes: [{ reason: 'resource_config_unknown', resource_change: { address: 'aws_vpc_security_group_ingress_rule.api', mode: 'managed', type: 'aws_vpc_security_group_ingress_rule', name: 'api', change: { actions: ['create'], before: null, after: { ip_protocol: 'tcp', from_port: 3000, to_port: 3000 }, after_unknown: { security_group_id: true, cidr_ipv4: true, id: true } } } }] };
    const result = scanFiles({ 'plan.json': targetedPlan(false, deferred) });
    expect(result.diagnostics.find((diagnostic) => diagnostic.code === 'parse/plan-incomplete')!.message).toContain('the results cover only the resources it holds; deferred to a later plan, not checked: aws_vpc_security_group_ingress_rule.api; a required flow');
  });

  it('keeps the exit code of what the plan holds: the warning alone does not fail a scan', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-incomplete-'));
    const plan = JSON.parse(targetedPlan(false)) as { resource_changes: Array<{ change: { after: { ingress: unknown[] } } }>; planned_values: { root_module: { resources: Array<{ values: { ingress: unknown[] } }> } } };
    // Without the world-open SSH, nothing but notes is left: exit 0, with the warning printed.
    plan.resource_changes[0]!.change.after.ingress = [];
    plan.planned_values.root_module.resources[0]!.values.ingress = [];
    fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan, null, 2));
    const run = await runCli(['scan', 'plan.json'], directory);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('parse/plan-incomplete');
    fs.rmSync(directory, { recursive: true, force: true });
  });
});
