import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { scan } from '../../../src/pipeline/scan';

function scanTf(files: Record<string, string>): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-groups-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), content);
    }
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', parse: { vars: {} } });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** `target: rule address peer` for every rule of every target. */
function targetRules(result: ReturnType<typeof scan>): string[] {
  return result.targets.flatMap((target) => (target.rules.length === 0 ? [`${target.id}: -`] : target.rules.map((rule) => `${target.id}: ${rule.resourceAddress} ${describePeer(rule.peer)}`)));
}

function ingressRule(name: string, groupId: string, cidr: string): string {
  return `
resource "aws_vpc_security_group_ingress_rule" "${name}" {
  security_group_id = ${groupId}
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "${cidr}"
}
`;
}

// Regression (QA t27): `one(aws_security_group.web[*].id)`, HashiCorp's form for a group toggled by count, did not
// join the group: each rule was a target of its own with an FW303 note, and the world split over them went unseen.
describe('Terraform: a rule naming its group through a splat joins that group', () => {
  const TOGGLED_GROUP = `
variable "create" {
  type    = bool
  default = true
}
resource "aws_security_group" "web" {
  count = var.create ? 1 : 0
}
`;

  it.each([
    ['one(aws_security_group.web[*].id)'],
    ['element(aws_security_group.web.*.id, 0)'],
    ['aws_security_group.web.*.id[0]'],
  ])('%s', (reference) => {
    const result = scanTf({ 'main.tf': TOGGLED_GROUP + ingressRule('low', reference, '0.0.0.0/1') + ingressRule('high', 'one(aws_security_group.web[*].id)', '128.0.0.0/1') });
    expect(targetRules(result)).toEqual([
      'aws_security_group.web[0]: aws_vpc_security_group_ingress_rule.low 0.0.0.0/1',
      'aws_security_group.web[0]: aws_vpc_security_group_ingress_rule.high 128.0.0.0/1',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity}`)).toEqual(['FW101 critical', 'FW101 critical']);
  });

  // Regression (QA 18 item 03): `join("", aws_security_group.web.*.id)`, the cloudposse idiom for a toggled group, was
  // evaluated as an unknown string: the rule was a target of its own whose FW303 note quoted `.*.id`.
  it.each([
    ['join("", aws_security_group.web.*.id)'],
    ['join("", aws_security_group.web[*].id)'],
    ['coalesce(var.existing, join("", aws_security_group.web[*].id))'],
    ['join("-", [aws_security_group.web[0].id])'],
  ])('%s', (reference) => {
    const existing = 'variable "existing" {\n  default = ""\n}\n';
    const result = scanTf({ 'main.tf': TOGGLED_GROUP + existing + ingressRule('low', reference, '0.0.0.0/1') + ingressRule('high', 'aws_security_group.web[0].id', '128.0.0.0/1') });
    expect(targetRules(result)).toEqual([
      'aws_security_group.web[0]: aws_vpc_security_group_ingress_rule.low 0.0.0.0/1',
      'aws_security_group.web[0]: aws_vpc_security_group_ingress_rule.high 128.0.0.0/1',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity}`)).toEqual(['FW101 critical', 'FW101 critical']);
  });

  it('names a peer group given by join("", ….*.id) after its instance, and quotes a join that stays unresolved whole', () => {
    const result = scanTf({
      'main.tf': `
resource "aws_security_group" "lb" {
  count = 1
}
resource "aws_security_group" "two" {
  count = 2
}
resource "aws_security_group" "app" {}
resource "aws_security_group_rule" "from_lb" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  protocol                 = "-1"
  from_port                = 0
  to_port                  = 0
  source_security_group_id = join("", aws_security_group.lb.*.id)
}
${ingressRule('both', 'join(",", aws_security_group.two.*.id)', '10.0.0.0/8')}
`,
    });
    const messages = result.findings.map((finding) => `${finding.checkId} ${finding.message}`);
    expect(messages).toContainEqual(expect.stringContaining('FW102 aws_security_group.app allows all traffic from security group aws_security_group.lb[0]'));
    // Two ids joined by a comma name no one group: unresolved, and named as written, not by the splat's `.*.id`.
    expect(messages).toContainEqual(expect.stringContaining('could not be resolved statically (aws_security_group.two.*.id)'));
    expect(messages.join('\n')).not.toMatch(/\(\.\*\.id\)|\(\[\*\]\.id\)/);
  });

  it('joins a group without count (one instance), a for_each instance, and a group inside a module', () => {
    const result = scanTf({
      'main.tf': `
resource "aws_security_group" "single" {}
resource "aws_security_group" "per_env" {
  for_each = toset(["dev", "prod"])
}
${ingressRule('single', 'one(aws_security_group.single[*].id)', '10.0.0.0/8')}
${ingressRule('prod', 'values(aws_security_group.per_env)[1].id', '10.1.0.0/16')}
module "net" {
  source = "./net"
}
`,
      'net/main.tf': `
resource "aws_security_group" "web" {
  count = 1
}
${ingressRule('net', 'one(aws_security_group.web[*].id)', '10.2.0.0/16')}
`,
    });
    expect(targetRules(result)).toEqual([
      'aws_security_group.per_env["dev"]: -',
      'aws_security_group.per_env["prod"]: aws_vpc_security_group_ingress_rule.prod 10.1.0.0/16',
      'aws_security_group.single: aws_vpc_security_group_ingress_rule.single 10.0.0.0/8',
      'module.net.aws_security_group.web[0]: module.net.aws_vpc_security_group_ingress_rule.net 10.2.0.0/16',
    ]);
  });

  it('leaves a splat over a group whose count cannot be decided unresolved (FW303), as it does not know the instances', () => {
    const result = scanTf({
      'main.tf': `
variable "count_of" { type = number }
resource "aws_security_group" "web" {
  count = var.count_of
}
${ingressRule('low', 'one(aws_security_group.web[*].id)', '0.0.0.0/1')}
`,
    });
    expect(result.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => finding.message)).toContainEqual(expect.stringMatching(/security_group_id could not be resolved statically \(one\(aws_security_group\.web\[\*\]\.id\)\)/));
    expect(result.targets.find((target) => target.id === 'aws_vpc_security_group_ingress_rule.low')).toBeDefined();
  });

  it('reports a full splat indexing each id (web[*].id[0], a list in Terraform) as unresolved, not as a group', () => {
    const result = scanTf({ 'main.tf': `resource "aws_security_group" "web" {}\n${ingressRule('low', 'aws_security_group.web[*].id[0]', '0.0.0.0/1')}` });
    expect(result.findings.map((finding) => finding.message)).toContainEqual(expect.stringMatching(/could not be resolved statically \(aws_security_group\.web\[\*\]\.id\[0\]\)/));
  });
});

// Regression (QA t34): rules naming one group by a literal id or through one data source were a target each, so
// world-open ingress split over them went unseen.
describe('Terraform: rules naming one group that is not among the resources are that group\'s rules together', () => {
  it('combines rules with the same literal id, and rules through the same data source, keeping the FW303 notes', () => {
    const result = scanTf({
      'main.tf': `
data "aws_security_group" "app" {
  name = "app"
}
${ingressRule('low', 'data.aws_security_group.app.id', '0.0.0.0/1')}
${ingressRule('high', 'data.aws_security_group.app.id', '128.0.0.0/1')}
${ingressRule('lit_low', '"sg-0abc"', '0.0.0.0/1')}
${ingressRule('lit_high', '"sg-0abc"', '128.0.0.0/1')}
${ingressRule('alone', '"sg-0def"', '10.0.0.0/8')}
`,
    });
    expect(targetRules(result)).toEqual([
      'aws_vpc_security_group_ingress_rule.alone: aws_vpc_security_group_ingress_rule.alone 10.0.0.0/8',
      'data.aws_security_group.app: aws_vpc_security_group_ingress_rule.low 0.0.0.0/1',
      'data.aws_security_group.app: aws_vpc_security_group_ingress_rule.high 128.0.0.0/1',
      'sg-0abc: aws_vpc_security_group_ingress_rule.lit_low 0.0.0.0/1',
      'sg-0abc: aws_vpc_security_group_ingress_rule.lit_high 128.0.0.0/1',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.severity}`)).toEqual([
      'FW303 data.aws_security_group.app note',
      'FW101 data.aws_security_group.app critical',
      'FW303 data.aws_security_group.app note',
      'FW101 data.aws_security_group.app critical',
      'FW101 sg-0abc critical',
      'FW101 sg-0abc critical',
    ]);
  });

  it('takes one(data.X.Y[*].id) as the data source itself, meeting data.X.Y.id, and element(…, 1) as no group', () => {
    const result = scanTf({
      'main.tf': `
data "aws_security_group" "db" {
  name = "db"
}
${ingressRule('low', 'one(data.aws_security_group.db[*].id)', '0.0.0.0/1')}
${ingressRule('high', 'data.aws_security_group.db.id', '128.0.0.0/1')}
${ingressRule('second', 'element(data.aws_security_group.db.*.id, 1)', '0.0.0.0/1')}
`,
    });
    expect(targetRules(result)).toEqual([
      'aws_vpc_security_group_ingress_rule.second: aws_vpc_security_group_ingress_rule.second 0.0.0.0/1',
      'data.aws_security_group.db: aws_vpc_security_group_ingress_rule.low 0.0.0.0/1',
      'data.aws_security_group.db: aws_vpc_security_group_ingress_rule.high 128.0.0.0/1',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.targetId)).toEqual(['data.aws_security_group.db', 'data.aws_security_group.db']);
  });

  it('keeps apart a data source of two module instances, and one read at [count.index]', () => {
    const result = scanTf({
      'main.tf': `
module "a" {
  source = "./net"
}
module "b" {
  source = "./net"
}
data "aws_security_group" "per_index" {
  count = 2
}
resource "aws_vpc_security_group_ingress_rule" "indexed" {
  count             = 2
  security_group_id = data.aws_security_group.per_index[count.index].id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/1"
}
`,
      'net/main.tf': `
data "aws_security_group" "app" {}
${ingressRule('low', 'data.aws_security_group.app.id', '0.0.0.0/1')}
${ingressRule('high', 'data.aws_security_group.app.id', '128.0.0.0/1')}
`,
    });
    expect(result.targets.map((target) => target.id)).toEqual([
      'aws_vpc_security_group_ingress_rule.indexed[0]',
      'aws_vpc_security_group_ingress_rule.indexed[1]',
      'module.a.data.aws_security_group.app',
      'module.b.data.aws_security_group.app',
    ]);
  });
});

// Regression (QA, 24 November): rules naming their group through an input variable without value or an output of a
// module that was not read were a target each (FW303 notes only), so 0.0.0.0/1 + 128.0.0.0/1 passed the gate, while
// the same rules through a data source were combined.
describe('Terraform: rules naming one group through a variable, a local or an unread module output are combined', () => {
  it('combines rules with the same fixed reference, per module instance, and keeps per-instance references apart', () => {
    const result = scanTf({
      'main.tf': `
variable "sg_id" {
  type = string
}
module "web_sg" {
  source = "terraform-aws-modules/security-group/aws"
}
module "a" {
  source = "./net"
}
module "b" {
  source = "./net"
}
${ingressRule('var_low', 'var.sg_id', '0.0.0.0/1')}
${ingressRule('var_high', 'var.sg_id', '128.0.0.0/1')}
${ingressRule('out_low', 'module.web_sg.security_group_id', '0.0.0.0/1')}
${ingressRule('out_high', 'module.web_sg.security_group_id', '128.0.0.0/1')}
resource "aws_vpc_security_group_ingress_rule" "each" {
  for_each          = { x = "0.0.0.0/1", y = "128.0.0.0/1" }
  security_group_id = var.per_key[each.key]
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = each.value
}
`,
      'net/main.tf': `
variable "sg_id" {
  type = string
}
${ingressRule('low', 'var.sg_id', '0.0.0.0/1')}
${ingressRule('high', 'var.sg_id', '10.0.0.0/8')}
`,
    });
    expect(result.targets.map((target) => `${target.id} ${target.rules.length}`)).toEqual([
      'aws_vpc_security_group_ingress_rule.each["x"] 1',
      'aws_vpc_security_group_ingress_rule.each["y"] 1',
      'module.a.var.sg_id 2',
      'module.b.var.sg_id 2',
      'module.web_sg.security_group_id 2',
      'var.sg_id 2',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.targetId)).toEqual([
      'var.sg_id',
      'var.sg_id',
      'module.web_sg.security_group_id',
      'module.web_sg.security_group_id',
    ]);
  });
});

// Regression (QA, 24 November): a module given the root's `var.sg_id` (or an output of an unread module) named its
// rules' group `module.one.var.sg_id`, so they were never combined with the root's rules on `var.sg_id`: RDP split
// over `0.0.0.0/1` in the root and `128.0.0.0/1` in the module passed with FW303 notes only.
describe('Terraform: a module given the root\'s unresolved group reference joins the root\'s rules on it', () => {
  it('names the group as the root writes it, and keeps per-instance arguments apart', () => {
    const result = scanTf({
      'main.tf': `
variable "sg_id" {
  type = string
}
variable "ids" {
  type = map(string)
}
module "web_sg" {
  source = "terraform-aws-modules/security-group/aws"
}
module "one" {
  source = "./r"
  sg_id  = module.web_sg.security_group_id
}
module "two" {
  source = "./r"
  sg_id  = var.sg_id
}
module "each" {
  for_each = { x = 1, y = 2 }
  source   = "./r"
  sg_id    = var.ids[each.key]
}
${ingressRule('out_low', 'module.web_sg.security_group_id', '0.0.0.0/1')}
${ingressRule('var_low', 'var.sg_id', '0.0.0.0/1')}
`,
      'r/main.tf': `
variable "sg_id" {
  type = string
}
${ingressRule('high', 'var.sg_id', '128.0.0.0/1')}
${ingressRule('office', 'var.sg_id', '10.0.0.0/8')}
`,
    });
    expect(result.targets.map((target) => `${target.id} ${target.rules.length}`)).toEqual([
      // An argument that differs per instance (`var.ids[each.key]`) is no group: each rule keeps its own address.
      'module.each["x"].aws_vpc_security_group_ingress_rule.high 1',
      'module.each["x"].aws_vpc_security_group_ingress_rule.office 1',
      'module.each["y"].aws_vpc_security_group_ingress_rule.high 1',
      'module.each["y"].aws_vpc_security_group_ingress_rule.office 1',
      'module.web_sg.security_group_id 3',
      'var.sg_id 3',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.targetId).sort()).toEqual([
      'module.web_sg.security_group_id',
      'module.web_sg.security_group_id',
      'var.sg_id',
      'var.sg_id',
    ]);
  });
});

// Regression (QA 18 item 07): a group not among the resources was identified by how its reference is spelt, so
// `var.sg_ids.web` and `var.sg_ids["web"]` were two targets and RDP split over them passed the gate; and an
// unresolved call argument named the group (`lookup(var.sg_ids, "db")` and `element(var.ids, 1)` were `var.sg_ids`,
// `var.ids`), joining rules on different groups.
describe('Terraform: a group not among the resources is identified by the traversal it reads, not by its spelling', () => {
  it.each([
    ['var.sg_ids.web', 'var.sg_ids["web"]', 'var.sg_ids.web'],
    ['var.sg_ids["web"]', 'lookup(var.sg_ids, "web")', 'var.sg_ids.web'],
    ['(var.sg_ids).web', 'var.sg_ids.web', 'var.sg_ids.web'],
    ['data.terraform_remote_state.net.outputs.sg_id', 'data.terraform_remote_state.net.outputs["sg_id"]', 'data.terraform_remote_state.net.outputs.sg_id'],
    ['var.sg_ids["web-1"]', 'lookup(var.sg_ids, "web-1")', 'var.sg_ids["web-1"]'],
  ])('%s and %s are one group', (low, high, name) => {
    const result = scanTf({
      'main.tf': `
variable "sg_ids" {
  type = map(string)
}
data "terraform_remote_state" "net" {
  backend = "s3"
}
${ingressRule('low', low, '0.0.0.0/1')}
${ingressRule('high', high, '128.0.0.0/1')}
`,
    });
    expect(targetRules(result)).toEqual([`${name}: aws_vpc_security_group_ingress_rule.low 0.0.0.0/1`, `${name}: aws_vpc_security_group_ingress_rule.high 128.0.0.0/1`]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.targetId} ${finding.severity}`)).toEqual([`${name} critical`, `${name} critical`]);
  });

  it.each([
    ['lookup(var.sg_ids, "web")', 'lookup(var.sg_ids, "db")'],
    ['element(var.ids, 0)', 'element(var.ids, 1)'],
    ['coalesce(var.a, var.b)', 'coalesce(var.a, var.c)'],
    ['lookup(var.sg_ids, "web", "")', 'lookup(var.sg_ids, "web", var.b)'],
  ])('%s and %s are not one group', (low, high) => {
    const result = scanTf({
      'main.tf': `
variable "sg_ids" {
  type = map(string)
}
variable "ids" {
  type = list(string)
}
variable "a" {}
variable "b" {}
variable "c" {}
${ingressRule('low', low, '0.0.0.0/1')}
${ingressRule('high', high, '128.0.0.0/1')}
`,
    });
    expect(result.targets.map((target) => target.id)).toEqual(['aws_vpc_security_group_ingress_rule.high', 'aws_vpc_security_group_ingress_rule.low']);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101')).toEqual([]);
  });
});
