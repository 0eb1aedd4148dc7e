import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { protocolName } from '../../../src/model/protocol';
import { fromJs, parseHcl, toJs } from '../../../src/parsers/terraform/hcl';
import { convertToType, readTypeConstraint } from '../../../src/parsers/terraform/variable-types';
import { scan } from '../../../src/pipeline/scan';

/** Scans a folder holding `files` (relative paths, sub-folders created), from `root` inside it (default the folder). */
function scanTree(files: Record<string, string>, options: { root?: string; vars?: Record<string, string> } = {}): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-optional-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), content);
    }
    return scan({ paths: [options.root ?? '.'], cwd: directory, today: '2026-11-23', parse: { vars: options.vars ?? {} } });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** `address protocol ports peer` of every rule of every target. */
function rulesOf(result: ReturnType<typeof scan>): string[] {
  return result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${protocolName(rule.protocol)} ${rule.ports.toString()} ${describePeer(rule.peer)}`));
}

function checkIds(result: ReturnType<typeof scan>): string[] {
  return result.findings.map((finding) => finding.checkId);
}

/** A security group with one `ingress` block per element of `var.rules`. */
const DYNAMIC_GROUP = `
resource "aws_security_group" "web" {
  name = "web"

  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = ingress.value.protocol
      cidr_blocks = ingress.value.cidrs
    }
  }
}
`;

const RULES_TYPE = `list(object({
    port     = number
    protocol = optional(string, "tcp")
    cidrs    = optional(list(string), ["0.0.0.0/0"])
  }))`;

// Regression (QA t23, t35): attributes an object omitted were never set from their optional() defaults, so the rules
// built from them were unresolved (FW303 notes only) and world-open SSH went unreported with exit 0.
describe('Terraform optional() object attributes take their defaults when a variable is bound', () => {
  it('fills the elements of a list(object) default; an attribute written as null takes the default too', () => {
    const result = scanTree({
      'main.tf': `variable "rules" {
  type = ${RULES_TYPE}
  default = [
    { port = 22 },
    { port = 443, cidrs = ["10.0.0.0/8"] },
    { port = 53, protocol = "udp" },
    { port = 8080, protocol = null },
  ]
}
${DYNAMIC_GROUP}`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] tcp 22 0.0.0.0/0',
      'aws_security_group.web.ingress[1] tcp 443 10.0.0.0/8',
      'aws_security_group.web.ingress[2] udp 53 0.0.0.0/0',
      'aws_security_group.web.ingress[3] tcp 8080 0.0.0.0/0',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.severity} ${finding.message}`)).toEqual([
      // The dynamic block's items are one place: one finding, at the highest severity of its items.
      'critical aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22, 8080; udp/53',
    ]);
    expect(checkIds(result)).not.toContain('FW303');
  });

  it.each([
    ['terraform.tfvars', { 'terraform.tfvars': 'rules = [{ port = 3389 }]\n' }, {}],
    ['a .auto.tfvars.json file', { 'x.auto.tfvars.json': '{"rules": [{"port": 3389}]}' }, {}],
    ['--var', {}, { rules: '[{ port = 3389 }]' }],
  ])('fills a value given in %s', (_source, tfvars: Record<string, string>, vars: Record<string, string>) => {
    const result = scanTree({ 'main.tf': `variable "rules" {\n  type = ${RULES_TYPE}\n}\n${DYNAMIC_GROUP}`, ...tfvars }, { vars });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual(['aws_security_group.web.ingress[0] tcp 3389 0.0.0.0/0']);
    expect(checkIds(result)).toEqual(['FW101']);
  });

  it("fills a module input the caller wrote without the attribute, in the child module's map(object) type", () => {
    const result = scanTree(
      {
        'root/main.tf': `module "sg" {
  source = "../modules/sg"
  ingress = {
    ssh   = { port = 22, cidr_blocks = ["0.0.0.0/0"] }
    https = { port = 443, protocol = "tcp", cidr_blocks = ["10.0.0.0/8"] }
  }
}
`,
        'modules/sg/main.tf': `variable "ingress" {
  type = map(object({
    port        = number
    protocol    = optional(string, "tcp")
    cidr_blocks = optional(list(string), [])
  }))
}

resource "aws_security_group" "this" {
  name = "this"
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each          = var.ingress
  security_group_id = aws_security_group.this.id
  ip_protocol       = each.value.protocol
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr_blocks[0]
}
`,
      },
      { root: 'root' },
    );
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'module.sg.aws_vpc_security_group_ingress_rule.this["https"] tcp 443 10.0.0.0/8',
      'module.sg.aws_vpc_security_group_ingress_rule.this["ssh"] tcp 22 0.0.0.0/0',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`)).toEqual([
      'FW101 critical module.sg.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22',
    ]);
  });

  it('fills nested objects: an optional object whose default is itself filled, and objects in an optional list', () => {
    const result = scanTree({
      'main.tf': `variable "bastion" {
  type = object({
    name = string
    ssh = optional(object({
      port  = optional(number, 22)
      cidrs = optional(list(string), ["0.0.0.0/0"])
    }), {})
    extra = optional(list(object({
      port  = number
      cidrs = optional(list(string), ["10.0.0.0/8"])
    })), [])
  })
  default = { name = "bastion", extra = [{ port = 443 }] }
}

resource "aws_security_group" "bastion" {
  name = var.bastion.name

  ingress {
    from_port   = var.bastion.ssh.port
    to_port     = var.bastion.ssh.port
    protocol    = "tcp"
    cidr_blocks = var.bastion.ssh.cidrs
  }

  dynamic "ingress" {
    for_each = var.bastion.extra
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}
`,
    });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual(['aws_security_group.bastion.ingress[0] tcp 22 0.0.0.0/0', 'aws_security_group.bastion.ingress[1] tcp 443 10.0.0.0/8']);
    expect(checkIds(result)).toEqual(['FW101']);
  });

  it('sets an optional attribute without default to null, which the rule then omits (no unresolved value)', () => {
    const result = scanTree({
      'main.tf': `variable "rules" {
  type = list(object({
    port        = number
    description = optional(string)
    ipv6        = optional(list(string))
  }))
  default = [{ port = 22 }]
}

resource "aws_security_group" "web" {
  name = "web"

  dynamic "ingress" {
    for_each = var.rules
    content {
      description      = ingress.value.description
      from_port        = ingress.value.port
      to_port          = ingress.value.port
      protocol         = "tcp"
      cidr_blocks      = ["10.0.0.0/8"]
      ipv6_cidr_blocks = ingress.value.ipv6
    }
  }
}
`,
    });
    expect(result.diagnostics).toEqual([]);
    const rules = result.targets.flatMap((target) => target.rules);
    expect(rulesOf(result)).toEqual(['aws_security_group.web.ingress[0] tcp 22 10.0.0.0/8']);
    expect(rules[0]!.description).toBeUndefined();
    expect(rules[0]!.unknowns).toEqual([]);
    expect(checkIds(result)).toEqual([]);
  });

  it('drops attributes the object type does not declare, as Terraform does (lookup falls back to its default)', () => {
    const result = scanTree({
      'main.tf': `variable "rules" {
  type    = list(object({ port = number }))
  default = [{ port = 22, cidr = "0.0.0.0/0" }]
}

resource "aws_security_group" "web" {
  name = "web"

  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [lookup(ingress.value, "cidr", "10.0.0.0/8")]
    }
  }
}
`,
    });
    expect(rulesOf(result)).toEqual(['aws_security_group.web.ingress[0] tcp 22 10.0.0.0/8']);
  });
});

describe('convertToType', () => {
  const typeOf = (text: string) => readTypeConstraint(parseHcl(`type = ${text}\n`, 'x.tf').body!.attributes[0]!.expr, `type = ${text}\n`);
  const convert = (type: string, data: unknown): unknown => toJs(convertToType(fromJs(data), typeOf(type)));

  it('fills objects inside set, tuple and map elements', () => {
    expect(convert('set(object({ a = optional(string, "x") }))', [{}])).toEqual([{ a: 'x' }]);
    expect(convert('tuple([string, object({ a = optional(number, 1) })])', ['s', {}])).toEqual(['s', { a: 1 }]);
    expect(convert('map(object({ a = optional(bool, true) }))', { k: {} })).toEqual({ k: { a: true } });
  });

  it('converts primitives as Terraform does, defaults included, and keeps what does not convert', () => {
    expect(convert('object({ port = optional(string, 22), on = optional(bool, "true") })', {})).toEqual({ port: '22', on: true });
    expect(convert('list(number)', ['22', 'ssh', 443])).toEqual([22, 'ssh', 443]);
    expect(convert('"string"', 22)).toBe('22');
  });

  it('passes values through a type it does not read, any, or a value of another shape', () => {
    const value = { port: 22, extra: 'kept' };
    expect(convert('map(any)', { k: value })).toEqual({ k: value });
    expect(convert('object({ "port" = number })', value)).toEqual(value);
    expect(convert('list(object({ port = number }))', 'not a list')).toBe('not a list');
  });

  it('leaves a required attribute the value lacks missing rather than inventing it', () => {
    expect(convert('object({ port = number, protocol = optional(string) })', {})).toEqual({ protocol: null });
  });
});

describe('Terraform variables declared nullable = false', () => {
  const GROUP = `
variable "cidr" {
  type     = string
  default  = "0.0.0.0/0"
  nullable = NULLABLE
}
resource "aws_security_group" "a" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [coalesce(var.cidr, "10.0.0.0/8")]
  }
}
`;

  it('take their default for a null from tfvars or a module input, as Terraform does', () => {
    const fromTfvars = scanTree({ 'main.tf': GROUP.replace('NULLABLE', 'false'), 'terraform.tfvars': 'cidr = null\n' });
    expect(rulesOf(fromTfvars)).toEqual(['aws_security_group.a.ingress[0] tcp 22 0.0.0.0/0']);
    expect(checkIds(fromTfvars)).toEqual(['FW101']);
    const fromCaller = scanTree({ 'mod/main.tf': GROUP.replace('NULLABLE', 'false'), 'root/main.tf': 'module "m" {\n  source = "../mod"\n  cidr   = null\n}\n' }, { root: 'root' });
    expect(rulesOf(fromCaller)).toEqual(['module.m.aws_security_group.a.ingress[0] tcp 22 0.0.0.0/0']);
  });

  it('keep a null for a nullable variable (the default for nullable is true)', () => {
    const result = scanTree({ 'main.tf': GROUP.replace('NULLABLE', 'true'), 'terraform.tfvars': 'cidr = null\n' });
    expect(rulesOf(result)).toEqual(['aws_security_group.a.ingress[0] tcp 22 10.0.0.0/8']);
  });
});
