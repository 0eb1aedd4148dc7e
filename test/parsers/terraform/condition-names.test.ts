import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { scan } from '../../../src/pipeline/scan';

/** Scans a folder made of `files` (path → content; `modules/sg/main.tf` makes the folder). */
function scanFiles(files: Record<string, string>, vars: Record<string, string> = {}): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-condition-names-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), content);
    }
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', parse: { vars } });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** `address ports peer | branch` of every rule of every target. */
function rulesOf(result: ReturnType<typeof scan>): string[] {
  return result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${describePeer(rule.peer)} | ${rule.branch ?? '-'}`));
}

function findingsOf(result: ReturnType<typeof scan>): string[] {
  return result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`);
}

/** A module whose group opens a port to `open` when its variable `flag` (of `type`) satisfies `test`. */
function conditionalModule(port: number, open: string, test: string, type = 'bool'): string {
  return `variable "flag" { type = ${type} }
resource "aws_security_group" "this" {
  ingress {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = ${test} ? ["${open}"] : ["10.0.0.0/8"]
  }
}
output "id" { value = aws_security_group.this.id }
`;
}

/** A root rule on module.a's group, opening `port` to `open` when `test` holds. */
function rootRule(port: number, open: string, test: string): string {
  return `resource "aws_security_group_rule" "half" {
  type              = "ingress"
  security_group_id = module.a.id
  from_port         = ${port}
  to_port           = ${port}
  protocol          = "tcp"
  cidr_blocks       = ${test} ? ["${open}"] : ["10.0.0.0/8"]
}
`;
}

// Regression (QA): a condition on a module's variable was named by the module's own text (`var.env`), and so taken
// for the root variable of that name, which Terraform keeps apart.
describe('Terraform: a condition on a module variable is named by what the caller passes', () => {
  it('finds a world-open union of a module rule and a root rule under conditions on two root variables', () => {
    // Root env=dev with stage=prod opens RDP to the world; read as one variable `var.env`, the sides never met.
    const result = scanFiles({
      'main.tf': `variable "env" { type = string }
variable "stage" { type = string }
module "a" {
  source = "./modules/sg"
  flag   = var.stage
}
${rootRule(3389, '128.0.0.0/1', 'var.env == "dev"')}`,
      'modules/sg/main.tf': conditionalModule(3389, '0.0.0.0/1', 'var.flag == "prod"', 'string'),
    });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'module.a.aws_security_group.this.ingress[0] 3389 0.0.0.0/1 | var.stage == "prod"',
      'module.a.aws_security_group.this.ingress[0] 3389 10.0.0.0/8 | !(var.stage == "prod")',
      'aws_security_group_rule.half 3389 128.0.0.0/1 | var.env == "dev"',
      'aws_security_group_rule.half 3389 10.0.0.0/8 | !(var.env == "dev")',
    ]);
    // As for the same two rules written in the root: each finding names its own rule's side.
    expect(findingsOf(result)).toEqual([
      // The union exists only where both halves do: each finding names both conditions.
      'FW101 critical module.a.aws_security_group.this allows ingress from 128.0.0.0/1 on tcp/3389, which together with its other rules opens it to the whole internet (when var.env == "dev" and var.stage == "prod")',
      'FW101 critical module.a.aws_security_group.this allows ingress from 0.0.0.0/1 on tcp/3389, which together with its other rules opens it to the whole internet (when var.stage == "prod" and var.env == "dev")',
    ]);
  });

  it('never combines a module rule and a root rule whose conditions exclude each other through the caller\'s negation', () => {
    const result = scanFiles({
      'main.tf': `variable "flag" { type = bool }
module "a" {
  source = "./modules/sg"
  flag   = !var.flag
}
${rootRule(22, '128.0.0.0/1', 'var.flag')}`,
      'modules/sg/main.tf': conditionalModule(22, '0.0.0.0/1', 'var.flag'),
    });
    expect(rulesOf(result)).toEqual([
      'module.a.aws_security_group.this.ingress[0] 22 0.0.0.0/1 | !var.flag',
      'module.a.aws_security_group.this.ingress[0] 22 10.0.0.0/8 | var.flag',
      'aws_security_group_rule.half 22 128.0.0.0/1 | var.flag',
      'aws_security_group_rule.half 22 10.0.0.0/8 | !var.flag',
    ]);
    // 0.0.0.0/1 and 128.0.0.0/1 never coexist (no FW101); where the root's 10.0.0.0/8 coexists with the module's
    // 0.0.0.0/1, it is contained in it.
    expect(findingsOf(result)).toEqual([
      'FW302 low module.a.aws_security_group.this: rule aws_security_group_rule.half (tcp/22 from 10.0.0.0/8) is fully contained in module.a.aws_security_group.this.ingress[0] (when !var.flag)',
    ]);
  });

  it('says which root condition a module finding holds under, per module call', () => {
    const result = scanFiles({
      'main.tf': `variable "is_public" { type = bool }
variable "env" { type = string }
module "a" {
  source = "./modules/sg"
  flag   = var.is_public
}
module "b" {
  source = "./modules/sg"
  flag   = var.env == "prod"
}
module "c" {
  source = "./modules/sg"
  flag   = (var.is_public)
}
`,
      'modules/sg/main.tf': conditionalModule(22, '0.0.0.0/0', '!var.flag'),
    });
    expect(findingsOf(result)).toEqual([
      'FW101 critical module.a.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (when !var.is_public)',
      'FW101 critical module.b.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (when !(var.env == "prod"))',
      // The same root condition as module.a's, however the argument is parenthesized.
      'FW101 critical module.c.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (when !var.is_public)',
    ]);
  });

  it('substitutes through nested calls, inside larger conditions, and qualifies what the root cannot name', () => {
    const result = scanFiles({
      'main.tf': `variable "open" { type = bool }
variable "tier" { type = string }
variable "flags" { type = map(bool) }
module "outer" {
  source = "./modules/outer"
  open   = !var.open
  tier   = var.tier
}
module "each" {
  source   = "./modules/sg"
  for_each = { a = 1 }
  flag     = var.flags[each.key]
}
`,
      'modules/outer/main.tf': `variable "open" { type = bool }
variable "tier" { type = string }
locals {
  wide = var.tier == "web"
}
module "inner" {
  source = "../sg"
  flag   = var.open && var.tier != "db"
}
resource "aws_security_group" "o" {
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = local.wide ? ["0.0.0.0/0"] : ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 81
    to_port     = 81
    protocol    = "tcp"
    cidr_blocks = !var.open ? ["0.0.0.0/0"] : ["10.0.0.0/8"]
  }
}
`,
      'modules/sg/main.tf': conditionalModule(22, '0.0.0.0/0', 'var.flag'),
    });
    expect(rulesOf(result)).toEqual([
      // An argument that differs per instance (each.key) cannot stand for the variable: qualified by the instance.
      'module.each["a"].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | module.each["a"].var.flag',
      'module.each["a"].aws_security_group.this.ingress[0] 22 10.0.0.0/8 | !(module.each["a"].var.flag)',
      // A module's local that tests its variables is named by that test, as the caller's arguments name it.
      'module.outer.aws_security_group.o.ingress[0] 80 0.0.0.0/0 | var.tier == "web"',
      'module.outer.aws_security_group.o.ingress[0] 80 10.0.0.0/8 | !(var.tier == "web")',
      // `!var.open` with `open = !var.open`: the root's var.open, not a double negation.
      'module.outer.aws_security_group.o.ingress[1] 81 0.0.0.0/0 | var.open',
      'module.outer.aws_security_group.o.ingress[1] 81 10.0.0.0/8 | !var.open',
      'module.outer.module.inner.aws_security_group.this.ingress[0] 22 0.0.0.0/0 | (!var.open) && var.tier != "db"',
      'module.outer.module.inner.aws_security_group.this.ingress[0] 22 10.0.0.0/8 | !((!var.open) && var.tier != "db")',
    ]);
  });
});

// Regression (QA h3): a module local was its instance's own condition (`module.a["x"].local.open`), even when it only
// tests the module's variables: two instances' `local.open = var.env == "prod"` with one `env = var.stage`, or
// `local.direct = var.public` beside the root's `var.public`, were independent, and halves that never coexist
// were combined into a world-open rule (false FW101).
describe('Terraform: a module local that tests the module\'s variables is named by that test', () => {
  it('sees sides of such locals in two instances and the root as exclusive, and keeps other locals qualified', () => {
    const result = scanFiles({
      'main.tf': `variable "stage" { type = string }
variable "public" { type = bool }
resource "aws_security_group" "shared" {}
module "a" {
  source   = "./modules/rules"
  for_each = toset(["x", "y"])
  sg_id    = aws_security_group.shared.id
  env      = var.stage
  public   = var.public
}
resource "aws_security_group_rule" "root" {
  type              = "ingress"
  security_group_id = aws_security_group.shared.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [var.public ? "10.0.0.0/8" : "128.0.0.0/1"]
}
`,
      'modules/rules/main.tf': `variable "sg_id" { type = string }
variable "env" { type = string }
variable "public" { type = bool }
data "aws_vpc" "main" {}
locals {
  prod   = var.env == "prod"
  open   = local.prod
  direct = var.public
  tagged = data.aws_vpc.main.id != ""
}
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = var.sg_id
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = [local.open ? "0.0.0.0/1" : "128.0.0.0/1"]
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = var.sg_id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [local.direct ? "0.0.0.0/1" : "10.0.0.0/8"]
}
resource "aws_security_group_rule" "web" {
  type              = "ingress"
  security_group_id = var.sg_id
  protocol          = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_blocks       = [local.tagged && local.prod ? "0.0.0.0/0" : "10.0.0.0/8"]
}
`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result).filter((rule) => rule.includes('["x"]'))).toEqual([
      'module.a["x"].aws_security_group_rule.rdp 3389 0.0.0.0/1 | var.stage == "prod"',
      'module.a["x"].aws_security_group_rule.rdp 3389 128.0.0.0/1 | !(var.stage == "prod")',
      'module.a["x"].aws_security_group_rule.ssh 22 0.0.0.0/1 | var.public',
      'module.a["x"].aws_security_group_rule.ssh 22 10.0.0.0/8 | !var.public',
      // A local on a data source is the instance's own; the local beside it is still named by its test (in parentheses,
      // as a variable's argument is).
      'module.a["x"].aws_security_group_rule.web 80 0.0.0.0/0 | module.a["x"].local.tagged && (var.stage == "prod")',
      'module.a["x"].aws_security_group_rule.web 80 10.0.0.0/8 | !(module.a["x"].local.tagged && (var.stage == "prod"))',
    ]);
    // No halves of one world-open range from sides that never coexist (x's local.open with y's !local.open, the
    // root's !var.public with the module's local.direct).
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message)).toEqual([
      'aws_security_group.shared allows ingress from 0.0.0.0/0 on tcp/80 (when (module.a["x"].local.tagged && (var.stage == "prod")) or (module.a["y"].local.tagged && (var.stage == "prod")))',
    ]);
  });
});

// Regression (QA): `count = var.enable_public ? 1 : 0` on a module call was an unresolved count (FW303, target
// `module.pub[*]`), though the same toggle on a resource is read per side.
describe('Terraform: a module call\'s count or for_each written c ? … : … is read per side', () => {
  const MODULE = `variable "cidrs" { type = list(string) }
variable "flag" {
  type    = bool
  default = false
}
resource "aws_security_group" "this" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.flag ? ["0.0.0.0/0"] : var.cidrs
  }
}
resource "aws_security_group" "off" {
  count = var.flag ? 0 : 1
  ingress {
    from_port   = 23
    to_port     = 23
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
`;

  it('reads count = c ? 1 : 0 as an instance under c, and its resources and rules under c too', () => {
    const result = scanFiles({
      'main.tf': `variable "enable_public" { type = bool }
module "pub" {
  source = "./modules/sg"
  count  = var.enable_public ? 1 : 0
  cidrs  = ["0.0.0.0/0"]
}
module "flagged" {
  source = "./modules/sg"
  count  = var.enable_public ? 0 : 1
  flag   = !var.enable_public
  cidrs  = ["10.0.0.0/8"]
}
`,
      'modules/sg/main.tf': MODULE,
    });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      // Exists where !var.enable_public, so flag is true: only the world-open side, and no `off` group.
      'module.flagged[0].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | !var.enable_public',
      'module.pub[0].aws_security_group.off[0].ingress[0] 23 0.0.0.0/0 | var.enable_public',
      'module.pub[0].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | var.enable_public',
    ]);
    expect(findingsOf(result)).toEqual([
      'FW101 critical module.pub[0].aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (when var.enable_public)',
      'FW101 critical module.flagged[0].aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (when !var.enable_public)',
      'FW101 critical module.pub[0].aws_security_group.off[0] allows ingress from 0.0.0.0/0 on tcp/23 (when var.enable_public)',
    ]);
  });

  it('reads count = c ? 2 : 1 and for_each = c ? {} : {…} as a resource\'s, and still reports an unknown count', () => {
    const result = scanFiles({
      'main.tf': `variable "ha" { type = bool }
variable "sizes" { type = list(string) }
module "pair" {
  source = "./modules/sg"
  count  = var.ha ? 2 : 1
  cidrs  = ["10.0.0.0/8"]
}
module "keyed" {
  source   = "./modules/sg"
  for_each = var.ha ? {} : { x = "0.0.0.0/0" }
  cidrs    = [each.value]
}
module "sized" {
  source = "./modules/sg"
  count  = length(var.sizes)
  cidrs  = ["10.0.0.0/8"]
}
`,
      'modules/sg/main.tf': MODULE,
    });
    expect(rulesOf(result).filter((rule) => rule.includes('.this.'))).toEqual([
      'module.keyed["x"].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | !var.ha',
      'module.pair[0].aws_security_group.this.ingress[0] 22 10.0.0.0/8 | -',
      'module.pair[1].aws_security_group.this.ingress[0] 22 10.0.0.0/8 | var.ha',
      'module.sized[*].aws_security_group.this.ingress[0] 22 10.0.0.0/8 | -',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => finding.message)).toEqual([
      'module.sized[*].aws_security_group.off[0]: module.sized.count could not be resolved statically (var.sizes); the rule was checked only as far as it is known',
      'module.sized[*].aws_security_group.this: module.sized.count could not be resolved statically (var.sizes); the rule was checked only as far as it is known',
    ]);
  });

  it('reads a nested count = a ? (b ? 1 : 0) : 0 as an instance under both conditions', () => {
    const result = scanFiles({
      'main.tf': `variable "a" { type = bool }
variable "b" { type = bool }
module "pub" {
  source = "./modules/sg"
  count  = var.a ? (var.b ? 1 : 0) : 0
  cidrs  = ["0.0.0.0/0"]
}
`,
      'modules/sg/main.tf': MODULE,
    });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'module.pub[0].aws_security_group.off[0].ingress[0] 23 0.0.0.0/0 | var.a and var.b',
      'module.pub[0].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | var.a and var.b',
    ]);
  });

  it('reads for_each = c ? {…} : {…} with two non-empty sides per side, also a key with another value per side', () => {
    const result = scanFiles({
      'main.tf': `variable "ha" { type = bool }
module "keyed" {
  source   = "./modules/sg"
  for_each = var.ha ? { x = "10.0.0.0/8", y = "0.0.0.0/0" } : { x = "10.0.0.0/8" }
  cidrs    = [each.value]
}
module "clash" {
  source   = "./modules/sg"
  for_each = var.ha ? { x = "0.0.0.0/0" } : { x = "10.0.0.0/8" }
  cidrs    = [each.value]
}
`,
      'modules/sg/main.tf': MODULE,
    });
    expect(result.diagnostics).toEqual([]);
    // Regression (QA h6): `clash` was unresolved (FW303, `module.clash[*]`), so its world-open side went unreported.
    // Its key has an instance per side, at one address: one group holding each side's rules under its condition.
    expect(rulesOf(result).filter((rule) => rule.includes('.this.'))).toEqual([
      'module.clash["x"].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | var.ha',
      'module.clash["x"].aws_security_group.this.ingress[0] 22 10.0.0.0/8 | !var.ha',
      'module.keyed["x"].aws_security_group.this.ingress[0] 22 10.0.0.0/8 | -',
      'module.keyed["y"].aws_security_group.this.ingress[0] 22 0.0.0.0/0 | var.ha',
    ]);
    expect(result.targets.filter((target) => target.id.startsWith('module.clash')).map((target) => target.id)).toEqual([
      'module.clash["x"].aws_security_group.off[0]',
      'module.clash["x"].aws_security_group.this',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW303')).toEqual([]);
    expect(findingsOf(result).filter((finding) => finding.includes('module.clash'))).toEqual([
      'FW101 critical module.clash["x"].aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (when var.ha)',
      'FW101 critical module.clash["x"].aws_security_group.off[0] allows ingress from 0.0.0.0/0 on tcp/23 (when var.ha)',
    ]);
  });

  it('reads a reference to such a key\'s output as the value both sides give, else as unresolved (never one side\'s)', () => {
    const result = scanFiles({
      'main.tf': `variable "ha" { type = bool }
module "clash" {
  source   = "./modules/sg"
  for_each = var.ha ? { x = "0.0.0.0/0" } : { x = "10.0.0.0/8" }
  cidrs    = [each.value]
}
resource "aws_security_group_rule" "by_id" {
  type              = "ingress"
  security_group_id = module.clash["x"].id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["192.0.2.0/24"]
}
resource "aws_security_group_rule" "by_cidrs" {
  type              = "ingress"
  security_group_id = module.clash["x"].id
  protocol          = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_blocks       = module.clash["x"].cidrs
}
resource "aws_security_group_rule" "by_whole_call" {
  type              = "ingress"
  security_group_id = module.clash["x"].id
  protocol          = "tcp"
  from_port         = 8081
  to_port           = 8081
  cidr_blocks       = flatten([for key, instance in module.clash : instance.cidrs])
}
`,
      'modules/sg/main.tf': `${MODULE}output "id" { value = aws_security_group.this.id }
output "cidrs" { value = var.cidrs }
`,
    });
    expect(result.diagnostics).toEqual([]);
    // The group's id is the same on both sides: the rules join it. Its cidrs differ: unresolved, not 0.0.0.0/0 alone.
    expect(rulesOf(result).filter((rule) => rule.startsWith('aws_security_group_rule'))).toEqual([
      'aws_security_group_rule.by_id 443 192.0.2.0/24 | -',
      'aws_security_group_rule.by_cidrs 8080 unresolved module.clash["x"].cidrs | -',
      'aws_security_group_rule.by_whole_call 8081 unresolved module.clash | -',
    ]);
    expect(result.targets.find((target) => target.id === 'module.clash["x"].aws_security_group.this')?.rules).toHaveLength(5);
  });
});

// Regression (QA): a NACL deny rule under `count = var.prod ? 1 : 0` closed the allow after it only where var.prod is
// true, but FW101 reported the allow as open with no condition.
describe('Terraform: an allow that a deny under a condition closes is reported under the negated condition', () => {
  const naclRule = (name: string, action: string, number: number, count?: string): string => `resource "aws_network_acl_rule" "${name}" {
${count ? `  count          = ${count}\n` : ''}  network_acl_id = aws_network_acl.acl.id
  rule_number    = ${number}
  egress         = false
  protocol       = "tcp"
  rule_action    = "${action}"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}
`;
  const header = 'variable "prod" { type = bool }\nvariable "env" { type = string }\nresource "aws_network_acl" "acl" { vpc_id = "vpc-1" }\n';

  it('count = var.prod ? 1 : 0 on the deny: open when !var.prod', () => {
    const result = scanFiles({ 'main.tf': header + naclRule('deny_rdp', 'deny', 50, 'var.prod ? 1 : 0') + naclRule('allow_rdp', 'allow', 100) });
    expect(findingsOf(result)).toEqual(['FW101 critical aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3389 (when !var.prod)']);
    expect(result.findings[0]!.properties['branch']).toBe('!var.prod');
  });

  it('count = var.env == "prod" ? 1 : 0 on the deny: open when !(var.env == "prod"), as the other side of a condition is written', () => {
    const result = scanFiles({ 'main.tf': header + naclRule('deny_rdp', 'deny', 50, 'var.env == "prod" ? 1 : 0') + naclRule('allow_rdp', 'allow', 100) });
    expect(findingsOf(result)).toEqual(['FW101 critical aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3389 (when !(var.env == "prod"))']);
  });

  // Regression (QA h6): a deny under two conditions together (nested toggles) could not be negated, so the allow it
  // closes where both hold was reported open always.
  const aclEntry = (kind: string, action: string, number: number, forEach?: string, ports = '3389'): string => {
    const [from, to] = ports.split('-');
    const body = `      rule_no    = ${number}
      action     = "${action}"
      protocol   = "${kind === 'egress' ? '-1' : 'tcp'}"
      cidr_block = "0.0.0.0/0"
      from_port  = ${kind === 'egress' ? 0 : from}
      to_port    = ${kind === 'egress' ? 0 : to ?? from}
`;
    return forEach ? `  dynamic "${kind}" {
    for_each = ${forEach}
    content {
${body}    }
  }
` : `  ${kind} {
${body.replace(/^ {2}/gm, '')}  }
`;
  };
  const acl = (entries: string): string => `variable "a" { type = bool }
variable "b" { type = bool }
variable "c" { type = bool }
resource "aws_network_acl" "acl" {
  vpc_id = "vpc-1"
${entries}}
`;

  it('a deny under var.a and var.b: open when !var.a or !var.b, one finding with the fingerprint it had', () => {
    const before = scanFiles({ 'main.tf': acl(aclEntry('ingress', 'allow', 100)) });
    const result = scanFiles({ 'main.tf': acl(aclEntry('ingress', 'deny', 50, 'var.a ? (var.b ? [1] : []) : []') + aclEntry('ingress', 'allow', 100)) });
    expect(result.diagnostics).toEqual([]);
    expect(findingsOf(result)).toEqual(['FW101 critical aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3389 (when !var.a or !var.b)']);
    expect(result.findings[0]!.properties['branch']).toBe('!var.a or !var.b');
    expect(result.findings[0]!.fingerprint).toBe(before.findings[0]!.fingerprint);
  });

  it('with another deny under var.c: open when both are absent; traffic neither closes stays open always; egress alike', () => {
    const result = scanFiles({
      'main.tf': acl(
        aclEntry('ingress', 'deny', 50, 'var.a ? (var.b ? [1] : []) : []') +
          aclEntry('ingress', 'deny', 60, 'var.c ? [1] : []') +
          aclEntry('ingress', 'allow', 100, undefined, '3389-3390') +
          aclEntry('egress', 'deny', 50, 'var.a ? (var.b ? [1] : []) : []') +
          aclEntry('egress', 'allow', 100),
      ),
    });
    expect(result.diagnostics).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'FW101 critical aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3389 (when !var.c and (!var.a or !var.b))',
      'FW101 high aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3390',
      'FW104 medium aws_network_acl.acl allows egress to 0.0.0.0/0 on all traffic (when !var.a or !var.b)',
    ]);
  });

  // Regression (QA h6): a nested count was unresolved (FW303), and the deny it toggles was taken to exist: FW301 said
  // the allow never takes effect, and FW101 said nothing.
  it('count = var.a ? (var.b ? 1 : 0) : 0 on the deny: open when !var.a or !var.b; var.a ? 1 : (var.b ? 1 : 0): when neither', () => {
    const nacl = (count: string): string => `variable "a" { type = bool }\nvariable "b" { type = bool }\nresource "aws_network_acl" "acl" { vpc_id = "vpc-1" }\n${naclRule('deny_rdp', 'deny', 50, count)}${naclRule('allow_rdp', 'allow', 100)}`;
    const nested = scanFiles({ 'main.tf': nacl('var.a ? (var.b ? 1 : 0) : 0') });
    expect(nested.diagnostics).toEqual([]);
    expect(rulesOf(nested)).toEqual(['aws_network_acl_rule.deny_rdp[0] 3389 0.0.0.0/0 | var.a and var.b', 'aws_network_acl_rule.allow_rdp 3389 0.0.0.0/0 | -']);
    expect(findingsOf(nested)).toEqual(['FW101 critical aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3389 (when !var.a or !var.b)']);
    // Index 0 under either side: once per side, at one address.
    const either = scanFiles({ 'main.tf': nacl('var.a ? 1 : (var.b ? 1 : 0)') });
    expect(rulesOf(either)).toEqual([
      'aws_network_acl_rule.deny_rdp[0] 3389 0.0.0.0/0 | var.a',
      'aws_network_acl_rule.deny_rdp[0] 3389 0.0.0.0/0 | !var.a and var.b',
      'aws_network_acl_rule.allow_rdp 3389 0.0.0.0/0 | -',
    ]);
    expect(findingsOf(either)).toEqual(['FW101 critical aws_network_acl.acl allows ingress from 0.0.0.0/0 on tcp/3389 (when !var.a and !var.b)']);
  });

  it('a deny whose address depends on a second condition: world-open only where neither side of it exists', () => {
    const result = scanFiles({
      'main.tf': `${header}resource "aws_network_acl_rule" "deny_rdp" {
  count          = var.prod ? 1 : 0
  network_acl_id = aws_network_acl.acl.id
  rule_number    = 50
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = var.env == "lab" ? "0.0.0.0/0" : "10.0.0.0/8"
  from_port      = 3389
  to_port        = 3389
}
${naclRule('allow_rdp', 'allow', 100)}`,
    });
    // Under var.prod and !(var.env == "lab") only 10.0.0.0/8 is taken out: every public address stays allowed, which is
    // world-open too (QA 3/01; it was "(when !var.prod)" only). Only under var.prod and var.env == "lab" is it closed.
    expect(findingsOf(result)).toEqual([
      'FW101 critical aws_network_acl.acl allows ingress from every public IPv4 address on tcp/3389 (when !var.prod or !(var.env == "lab"))',
    ]);
  });
});

describe('a count decided by decimal arithmetic', () => {
  // Regression: `sum([0.1, 0.2]) == 0.3` is true in Terraform (512-bit floats) and was false with doubles, so the rule
  // it creates was dropped and its FW101 missed.
  it('creates the rule Terraform creates, and reports it', () => {
    const result = scanFiles({
      'main.tf': [
        'resource "aws_security_group" "num" {',
        '  name = "num"',
        '}',
        'resource "aws_security_group_rule" "ssh" {',
        '  count             = sum([0.1, 0.2]) == 0.3 ? 1 : 0',
        '  type              = "ingress"',
        '  security_group_id = aws_security_group.num.id',
        '  from_port         = 22',
        '  to_port           = 22',
        '  protocol          = "tcp"',
        '  cidr_blocks       = ["0.0.0.0/0"]',
        '}',
        '',
      ].join('\n'),
    });
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message)).toEqual(['aws_security_group.num allows ingress from 0.0.0.0/0 on tcp/22']);
  });
});
