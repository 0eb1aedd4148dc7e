import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanResult } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFiles, scanFixture } from '../../helpers/scan-fixture';

// Standalone rules whose group the plan's JSON configuration does not decide (QA 13, items 05 and 07):
// `security_group_id = aws_security_group.this[each.value.sg].id` (references ["aws_security_group.this",
// "each.value.sg", "each.value"]) and `security_group_id = local.this_sg_id` (terraform-aws-modules/security-group:
// a local holding a conditional over the group ids). With the .tf files beside the plan they join the group the HCL
// path joins them to; without them each rule stays a target of its own with an FW303 note, never silently.

/** Each finding as `check target rule`. */
function essence(result: ScanResult): string[] {
  return result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.ruleId ?? ''}`).sort();
}

/** Scans the fixture's plan.json copied alone into a temporary folder. */
function scanPlanAlone(fixture: string): ScanResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-written-'));
  try {
    fs.copyFileSync(path.join(REPO_ROOT, 'fixtures', fixture, 'plan.json'), path.join(directory, 'plan.json'));
    return scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('Terraform plan JSON: rules joined through what the .tf files write', () => {
  it('joins rules indexed by each.value to the group instance the HCL path joins them to', () => {
    const fromPlan = scanFixture('terraform/plan-each-value-join/plan.json');
    expect(fromPlan.targets.map((target) => target.id)).toEqual(['aws_security_group.this["db"]', 'aws_security_group.this["web"]']);
    // The world-open SSH split over two rules of the "web" group (0.0.0.0/1 + 128.0.0.0/1) is found.
    expect(essence(fromPlan)).toContain('FW101 aws_security_group.this["web"] aws_vpc_security_group_ingress_rule.r["web-22"]#0');
    expect(essence(fromPlan)).toEqual(essence(scanFixture('terraform/plan-each-value-join/main.tf')));
  });

  it('keeps such a rule a target of its own with an FW303 note when the .tf files are not beside the plan', () => {
    const alone = scanPlanAlone('terraform/plan-each-value-join');
    expect(alone.targets.map((target) => target.id).filter((id) => id.startsWith('aws_vpc'))).toHaveLength(3);
    const notes = alone.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => finding.targetId);
    expect(notes.sort()).toEqual(['aws_vpc_security_group_ingress_rule.r["db-22"]', 'aws_vpc_security_group_ingress_rule.r["web-22"]', 'aws_vpc_security_group_ingress_rule.r["web-22a"]']);
  });

  it('resolves a module local holding the group id (terraform-aws-modules/security-group) as the HCL path does', () => {
    const fromPlan = scanFixture('terraform/plan-module-local-join/plan.json');
    expect(fromPlan.targets.map((target) => target.id)).toEqual(['module.vm_sg.aws_security_group.this_name_prefix[0]']);
    const checks = (result: ScanResult): string[] => result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`).sort();
    // No false FW201 (the SSH rule is the group's), no made-up target `module.vm_sg.local.this_sg_id`.
    expect(checks(fromPlan)).toEqual(['FW101 module.vm_sg.aws_security_group.this_name_prefix[0]', 'FW202 module.vm_sg.aws_security_group.this_name_prefix[0]']);
    expect(checks(fromPlan)).toEqual(checks(scanFixture('terraform/plan-module-local-join/main.tf')));
  });
});

describe('Terraform plan JSON alone: rules on a module local (terraform-aws-modules/security-group)', () => {
  const fixturePlan = (): { resource_changes: Array<{ address: string; change: { actions: string[]; before: unknown; after: Record<string, unknown>; after_unknown: Record<string, unknown> } }>; planned_values: unknown } =>
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-module-local-join/plan.json'), 'utf8'));
  const group = 'module.vm_sg.aws_security_group.this_name_prefix[0]';

  it('keeps the rules a target of their own (FW303), but reports no false FW201 on the group the plan creates', () => {
    const alone = scanPlanAlone('terraform/plan-module-local-join');
    const onGroup = alone.findings.filter((finding) => finding.targetId === group);
    // The SSH rule (tcp/22 from 203.0.113.0/24) is known only to name a group the plan creates: it may be this one.
    expect(onGroup.map((finding) => `${finding.checkId} ${finding.severity} ${finding.messageId}`)).toEqual(['FW201 note unconfirmed']);
    expect(onGroup[0]!.message).toContain('cannot be confirmed: module.vm_sg.aws_security_group_rule.ingress_with_cidr_blocks[0] may carry it, but the group of module.vm_sg.aws_security_group_rule.ingress_with_cidr_blocks[0] cannot be resolved statically');
    expect(alone.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => finding.targetId)).toEqual(['module.vm_sg.local.this_sg_id', 'module.vm_sg.local.this_sg_id']);
    expect(alone.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.targetId)).toEqual(['module.vm_sg.local.this_sg_id']);
  });

  it('still reports a flow missing that no such rule may carry', () => {
    const plan = fixturePlan();
    const ssh = plan.resource_changes.find((change) => change.address.endsWith('ingress_with_cidr_blocks[0]'))!;
    ssh.change.after.from_port = 8080;
    ssh.change.after.to_port = 8080;
    const result = scanFiles({ 'plan.json': JSON.stringify(plan, null, 2) });
    expect(result.findings.filter((finding) => finding.targetId === group).map((finding) => `${finding.checkId} ${finding.severity} ${finding.messageId}`)).toEqual(['FW201 high missing']);
  });

  it('joins the rules to a group that exists already, by the id the plan knows for both', () => {
    const plan = fixturePlan();
    for (const change of plan.resource_changes) {
      if (change.address === group) {
        change.change.actions = ['no-op'];
        change.change.after = { ...change.change.after, id: 'sg-0123456789abcdef0', ingress: [], egress: [] };
        change.change.before = change.change.after;
        change.change.after_unknown = {};
      } else {
        change.change.after = { ...change.change.after, security_group_id: 'sg-0123456789abcdef0' };
        delete change.change.after_unknown.security_group_id;
      }
    }
    const result = scanFiles({ 'plan.json': JSON.stringify(plan, null, 2) });
    expect(result.targets.map((target) => target.id)).toEqual([group]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`)).toEqual([`FW101 ${group}`, `FW202 ${group}`]);
  });
});

describe('Terraform plan JSON: a reference an override file writes', () => {
  const main = [
    'locals {',
    '  groups = { web = aws_security_group.web.id, db = aws_security_group.db.id }',
    '}',
    'resource "aws_security_group" "web" {',
    '  name = "web"',
    '}',
    'resource "aws_security_group" "db" {',
    '  name = "db"',
    '}',
    'resource "aws_security_group_rule" "ssh" {',
    '  type              = "ingress"',
    '  from_port         = 22',
    '  to_port           = 22',
    '  protocol          = "tcp"',
    '  cidr_blocks       = ["0.0.0.0/0"]',
    '  security_group_id = aws_security_group.db.id',
    '}',
    '',
  ].join('\n');
  // Sorts after main.tf, so main.tf's block was found first and its own `security_group_id` (db) was evaluated.
  const override = '# Moves the rule to the web group.\nresource "aws_security_group_rule" "ssh" {\n  security_group_id = local.groups["web"]\n}\n';
  const group = (name: string): object => ({
    address: `aws_security_group.${name}`, mode: 'managed', type: 'aws_security_group', name,
    change: { actions: ['create'], before: null, after: { name, vpc_id: 'vpc-1', ingress: [], egress: [] }, after_unknown: { id: true, ingress: true, egress: true } },
  });
  const plan = {
    format_version: '1.2',
    resource_changes: [group('web'), group('db'), {
      address: 'aws_security_group_rule.ssh', mode: 'managed', type: 'aws_security_group_rule', name: 'ssh',
      change: { actions: ['create'], before: null, after: { type: 'ingress', from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }, after_unknown: { security_group_id: true, id: true } },
    }],
    configuration: { root_module: { resources: [
      { address: 'aws_security_group.web', mode: 'managed', type: 'aws_security_group', name: 'web', expressions: { name: { constant_value: 'web' } } },
      { address: 'aws_security_group.db', mode: 'managed', type: 'aws_security_group', name: 'db', expressions: { name: { constant_value: 'db' } } },
      { address: 'aws_security_group_rule.ssh', mode: 'managed', type: 'aws_security_group_rule', name: 'ssh', expressions: { security_group_id: { references: ['local.groups["web"]', 'local.groups'] }, type: { constant_value: 'ingress' } } },
    ] } },
  };

  it('joins the group the override file\'s argument names, not the one the original block wrote, as the HCL path does', () => {
    const files = { 'main.tf': main, 'web_override.tf': override, 'plan.json': JSON.stringify(plan, null, 2) };
    const fromPlan = scanFiles(files, { paths: ['plan.json'] });
    const fromHcl = scanFiles(files, { paths: ['main.tf', 'web_override.tf'] });
    const joined = (result: ScanResult): string[] => result.targets.map((target) => `${target.id} ${target.rules.map((rule) => `${rule.resourceAddress} ${rule.location.file}:${rule.location.range.startLine}`).join(', ')}`).sort();
    expect(joined(fromPlan)).toEqual(['aws_security_group.db ', 'aws_security_group.web aws_security_group_rule.ssh main.tf:10']);
    expect(joined(fromPlan)).toEqual(joined(fromHcl));
  });
});

describe('Terraform plan JSON: rules on a data source group', () => {
  it('names the group after the data source, as the HCL path does, so roles and fingerprints carry over', () => {
    const fromPlan = scanFixture('terraform/plan-data-source-group/plan.json');
    const fromHcl = scanFixture('terraform/plan-data-source-group/main.tf');
    expect(fromPlan.targets.map((target) => target.id)).toEqual(['data.aws_security_group.shared']);
    // The .fwlint.yaml role, matched by the data source's name, applies (FW202); the plan knows the id, so no FW303.
    const plain = (result: ScanResult): string[] => result.findings.filter((finding) => finding.checkId !== 'FW303').map((finding) => `${finding.checkId} ${finding.targetId} ${finding.fingerprint}`).sort();
    expect(plain(fromPlan)).toEqual(plain(fromHcl));
    expect(plain(fromPlan).filter((finding) => finding.startsWith('FW202'))).toHaveLength(2);
  });

  it('joins the rules by the id the plan read, named after the data source also without the .tf files', () => {
    const alone = scanPlanAlone('terraform/plan-data-source-group');
    expect(alone.targets.map((target) => target.id)).toEqual(['data.aws_security_group.shared']);
    expect(alone.targets[0]!.rules).toHaveLength(2);
  });
});

describe('Terraform plan JSON: the scope a written reference is evaluated in', () => {
  const group = (address: string, moduleAddress?: string): object => ({
    address,
    ...(moduleAddress ? { module_address: moduleAddress } : {}),
    mode: 'managed',
    type: 'aws_security_group',
    name: address.replace(/^.*aws_security_group\.([a-z]+)\[.*$/, '$1'),
    change: { actions: ['create'], before: null, after: { name: 'g', vpc_id: 'vpc-1' }, after_unknown: { id: true, ingress: true, egress: true } },
  });
  const sshRule = (type: string, address: string, moduleAddress?: string): object => ({
    address,
    ...(moduleAddress ? { module_address: moduleAddress } : {}),
    mode: 'managed',
    type,
    name: address.replace(/^.*\./, ''),
    change: {
      actions: ['create'],
      before: null,
      after: type === 'aws_security_group_rule' ? { type: 'ingress', protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] } : { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' },
      after_unknown: { security_group_id: true },
    },
  });
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.5',
    // The plan's value of the root variable, not its default "x", picks the group.
    variables: { pick: { value: 'y' } },
    resource_changes: [
      group('aws_security_group.root["x"]'),
      group('aws_security_group.root["y"]'),
      sshRule('aws_security_group_rule', 'aws_security_group_rule.s'),
      ...['dev', 'prod'].flatMap((key) => [
        group(`module.app["${key}"].aws_security_group.g["db"]`, `module.app["${key}"]`),
        group(`module.app["${key}"].aws_security_group.g["web"]`, `module.app["${key}"]`),
        sshRule('aws_vpc_security_group_ingress_rule', `module.app["${key}"].aws_vpc_security_group_ingress_rule.r`, `module.app["${key}"]`),
      ]),
    ],
    configuration: {
      root_module: {
        resources: [
          { address: 'aws_security_group.root', mode: 'managed', type: 'aws_security_group', name: 'root', expressions: {} },
          { address: 'aws_security_group_rule.s', mode: 'managed', type: 'aws_security_group_rule', name: 's', expressions: { security_group_id: { references: ['aws_security_group.root', 'var.pick'] } } },
        ],
        module_calls: {
          app: {
            source: './modules/app',
            expressions: { pick: { references: ['each.value'] } },
            module: {
              resources: [
                { address: 'aws_security_group.g', mode: 'managed', type: 'aws_security_group', name: 'g', expressions: {} },
                { address: 'aws_vpc_security_group_ingress_rule.r', mode: 'managed', type: 'aws_vpc_security_group_ingress_rule', name: 'r', expressions: { security_group_id: { references: ['aws_security_group.g', 'var.pick'] } } },
              ],
            },
          },
        },
      },
    },
  };
  const files = {
    'plan.json': JSON.stringify(plan, null, 1),
    'main.tf': [
      'variable "pick" { default = "x" }',
      'resource "aws_security_group" "root" {',
      '  for_each = toset(["x", "y"])',
      '  name     = "g"',
      '  vpc_id   = "vpc-1"',
      '}',
      'resource "aws_security_group_rule" "s" {',
      '  type              = "ingress"',
      '  security_group_id = aws_security_group.root[var.pick].id',
      '  protocol          = "tcp"',
      '  from_port         = 22',
      '  to_port           = 22',
      '  cidr_blocks       = ["0.0.0.0/0"]',
      '}',
      'module "app" {',
      '  source   = "./modules/app"',
      '  for_each = { dev = "web", prod = "db" }',
      '  pick     = each.value',
      '}',
      '',
    ].join('\n'),
    'modules/app/main.tf': [
      'variable "pick" { type = string }',
      'resource "aws_security_group" "g" {',
      '  for_each = toset(["web", "db"])',
      '  name     = "g"',
      '  vpc_id   = "vpc-1"',
      '}',
      'resource "aws_vpc_security_group_ingress_rule" "r" {',
      '  security_group_id = aws_security_group.g[var.pick].id',
      '  ip_protocol       = "tcp"',
      '  from_port         = 22',
      '  to_port           = 22',
      '  cidr_ipv4         = "0.0.0.0/0"',
      '}',
      '',
    ].join('\n'),
  };

  it("uses the plan's root variables and a module instance's arguments (each.value of the module call)", () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-scope-'));
    let result: ScanResult;
    try {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), text);
      }
      result = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
    expect(result.diagnostics).toEqual([]);
    const joined = result.targets.filter((target) => target.rules.length > 0).map((target) => `${target.id} ${target.rules.map((rule) => rule.resourceAddress).join(',')}`);
    expect(joined).toEqual([
      'aws_security_group.root["y"] aws_security_group_rule.s',
      'module.app["dev"].aws_security_group.g["web"] module.app["dev"].aws_vpc_security_group_ingress_rule.r',
      'module.app["prod"].aws_security_group.g["db"] module.app["prod"].aws_vpc_security_group_ingress_rule.r',
    ]);
    expect(result.targets).toHaveLength(6);
  });
});
