import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/model/finding';
import { describePeer } from '../../../src/model/peer';
import { applyBaseline, createBaseline } from '../../../src/suppress/baseline';
import { scan } from '../../../src/pipeline/scan';

function scanTf(text: string, vars: Record<string, string> = {}, otherFiles: Record<string, string> = {}): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-sides-'));
  try {
    fs.writeFileSync(path.join(directory, 'main.tf'), text);
    for (const [name, content] of Object.entries(otherFiles)) fs.writeFileSync(path.join(directory, name), content);
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', parse: { vars } });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const VARIABLES = 'variable "public" { type = bool }\nvariable "env" { type = string }\nvariable "office" { type = string }\n';

/** `address ports peer | branch` of every rule of the group. */
function rulesOf(result: ReturnType<typeof scan>, id = 'aws_security_group.web'): string[] {
  const target = result.targets.find((candidate) => candidate.id === id)!;
  return target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${describePeer(rule.peer)} | ${rule.branch ?? '-'}`);
}

// Regression: `var.public ? "0.0.0.0/0" : …` with a variable without default was an unresolved peer (FW303 note),
// so the world-open side went unreported.
describe('Terraform: an argument written c ? a : b with an undecidable condition is read once per side', () => {
  it('splits a conditional element of a CIDR list and a conditional list, each rule under its condition', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.public ? "0.0.0.0/0" : "10.0.0.0/8", "192.168.0.0/16"]
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = (var.env == "prod" ? ["10.1.0.0/16"] : ["0.0.0.0/0"])
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public',
      // The same on both sides: it does not depend on var.public.
      'aws_security_group.web.ingress[0] 22 192.168.0.0/16 | -',
      'aws_security_group.web.ingress[0] 22 10.0.0.0/8 | !var.public',
      'aws_security_group.web.ingress[1] 3389 10.1.0.0/16 | var.env == "prod"',
      'aws_security_group.web.ingress[1] 3389 0.0.0.0/0 | !(var.env == "prod")',
    ]);
    // The findings say which side (as for a CloudFormation Fn::If); no FW303 is left.
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/3389 (when !(var.env == "prod"))',
    ]);
    // A rule from one side points at that side's value.
    const world = result.targets[0]!.rules[0]!;
    expect(world.peerLocation?.range).toMatchObject({ startLine: 10, startColumn: 33 });
  });

  it('pairs only the sides that agree when two arguments test one condition, and splits standalone rules too', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {}
resource "aws_security_group_rule" "app" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  protocol          = "tcp"
  from_port         = var.public ? 443 : 8443
  to_port           = var.public ? 443 : 8443
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual(['aws_security_group_rule.app 443 0.0.0.0/0 | var.public', 'aws_security_group_rule.app 8443 0.0.0.0/0 | !var.public']);
  });

  it('decides the condition when the variable has a value, and leaves a description alone', () => {
    const text = `${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    description = var.public ? "public" : "private"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.public ? "0.0.0.0/0" : "10.0.0.0/8"]
  }
}
`;
    expect(rulesOf(scanTf(text, { public: 'false' }))).toEqual(['aws_security_group.web.ingress[0] 22 10.0.0.0/8 | -']);
    expect(rulesOf(scanTf(text))).toEqual(['aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public', 'aws_security_group.web.ingress[0] 22 10.0.0.0/8 | !var.public']);
  });

  it('never combines rules of two values of one variable (var.env == "prod" and var.env == "dev")', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.env == "prod" ? "0.0.0.0/1" : "10.0.0.0/8"]
  }
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.env == "dev" ? "128.0.0.0/1" : "10.0.0.0/8"]
  }
}
`);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101')).toEqual([]);
  });

  it('finds a conditional inside a function\'s arguments (concat, compact) and applies the function to each side', () => {
    const result = scanTf(`${VARIABLES}
variable "extra" { default = ["192.0.2.0/24"] }
resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = concat(var.extra, var.public ? ["0.0.0.0/0"] : [])
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = compact(["10.0.0.0/8", (var.public ? "0.0.0.0/0" : "")])
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 443 192.0.2.0/24 | -',
      'aws_security_group.web.ingress[0] 443 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[1] 22 10.0.0.0/8 | -',
      'aws_security_group.web.ingress[1] 22 0.0.0.0/0 | var.public',
    ]);
  });


  // Regression: these were unresolved values (FW303 notes, exit 0) although one side opens the port to the world.
  it('finds a conditional inside a for-expression, an interpolation and an operator', () => {
    const result = scanTf(`${VARIABLES}
variable "ranges" { default = ["10.1.0.0/16", "10.2.0.0/16"] }
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [for c in var.ranges : var.public ? "0.0.0.0/0" : c]
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["\${var.public ? "0.0.0.0" : "10.0.0.0"}/\${var.public ? 0 : 8}"]
  }
  ingress {
    from_port   = 8000 + (var.public ? 0 : 80)
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["192.0.2.0/24"]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      // Each element of the list is the world on that side, as Terraform would make it.
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[0] 22 10.1.0.0/16 | !var.public',
      'aws_security_group.web.ingress[0] 22 10.2.0.0/16 | !var.public',
      'aws_security_group.web.ingress[1] 5432 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[1] 5432 10.0.0.0/8 | !var.public',
      'aws_security_group.web.ingress[2] 8000-8080 192.0.2.0/24 | var.public',
      'aws_security_group.web.ingress[2] 8080 192.0.2.0/24 | !var.public',
    ]);
    expect(result.findings.map((finding) => finding.checkId)).not.toContain('FW303');
  });

  it('splits several conditionals in one argument in turn, pairing those with one condition, each rule under the conditions it depends on', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.public ? "0.0.0.0/0" : "10.0.0.0/8", var.env == "dev" ? "192.0.2.0/24" : "10.1.0.0/16", var.public ? "198.51.100.0/24" : "10.2.0.0/16"]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    // Four readings (var.public × var.env == "dev"); each element depends on one of the conditions only.
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[0] 22 192.0.2.0/24 | var.env == "dev"',
      'aws_security_group.web.ingress[0] 22 198.51.100.0/24 | var.public',
      'aws_security_group.web.ingress[0] 22 10.1.0.0/16 | !(var.env == "dev")',
      'aws_security_group.web.ingress[0] 22 10.0.0.0/8 | !var.public',
      'aws_security_group.web.ingress[0] 22 10.2.0.0/16 | !var.public',
    ]);
    expect(result.findings.map((finding) => finding.message)).toEqual(['aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)']);
  });

  // Regression (QA): two unrelated conditionals in one argument gave one FW101 per combination of their sides (`when
  // var.public and var.extra`, `when var.public and !var.extra`): the same problem reported twice.
  it('reads a rule that only one of two conditionals in an argument shapes once, under that condition', () => {
    const result = scanTf(`${VARIABLES}
variable "extra" { type = bool }
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = concat(var.public ? ["0.0.0.0/0"] : [], var.extra ? ["10.0.0.0/8"] : [])
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.public ? "0.0.0.0/0" : "10.0.0.0/8", var.extra ? "192.0.2.0/24" : "10.1.0.0/16"]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[0] 22 10.0.0.0/8 | var.extra',
      'aws_security_group.web.ingress[1] 3389 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[1] 3389 192.0.2.0/24 | var.extra',
      'aws_security_group.web.ingress[1] 3389 10.1.0.0/16 | !var.extra',
      'aws_security_group.web.ingress[1] 3389 10.0.0.0/8 | !var.public',
    ]);
    const findings = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(findings.map((finding) => finding.message)).toEqual([
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/3389 (when var.public)',
    ]);
    expect(new Set(findings.map((finding) => finding.fingerprint)).size).toBe(2);
    // Rule ids stay unique within the target.
    const ids = result.targets[0]!.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves a condition on a for-expression\'s own iterator to each element (decided there, not split)', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [for c in ["10.1.0.0/16", "open"] : c == "open" ? "192.0.2.0/24" : c]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [for c in ["10.1.0.0/16"] : c == var.office ? "0.0.0.0/0" : c]
  }
}
`);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 10.1.0.0/16 | -',
      'aws_security_group.web.ingress[0] 22 192.0.2.0/24 | -',
      // Undecidable per element (it tests the iterator against a variable without value): unresolved, not split.
      'aws_security_group.web.ingress[1] 443 unresolved var.office | -',
    ]);
  });
  it('follows a local (in another file, through another local) to its conditional', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = local.ssh_cidrs
  }
}
`, {}, { 'locals.tf': 'locals {\n  ssh_cidrs    = local.admin_cidrs\n  admin_cidrs  = var.public ? ["0.0.0.0/0"] : [var.office]\n}\n' });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual(['aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public', 'aws_security_group.web.ingress[0] 22 unresolved var.office | !var.public']);
    // Located at the argument in main.tf, not at the local's definition.
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.location.file} ${finding.location.range.startLine}`)).toEqual(['main.tf 10']);
  });

  it('follows a module input to the caller\'s conditional, evaluated in the caller\'s scope', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-sides-'));
    try {
      fs.mkdirSync(path.join(directory, 'sg'));
      fs.writeFileSync(path.join(directory, 'main.tf'), `${VARIABLES}
module "web" {
  source = "./sg"
  cidrs  = var.public ? ["0.0.0.0/0"] : ["10.0.0.0/8"]
}
`);
      fs.writeFileSync(path.join(directory, 'sg', 'main.tf'), `variable "cidrs" { type = list(string) }
resource "aws_security_group" "this" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
`);
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics).toEqual([]);
      expect(rulesOf(result, 'module.web.aws_security_group.this')).toEqual([
        'module.web.aws_security_group.this.ingress[0] 443 0.0.0.0/0 | var.public',
        'module.web.aws_security_group.this.ingress[0] 443 10.0.0.0/8 | !var.public',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Regression (QA): a module input or local used inside a list, a call or a traversal (`[var.cidr]`,
  // `[local.m.ssh]`) was an unresolved value, exit 0, although its definition opens the port to the world on one side.
  it('follows a module input or local used inside a list, a call or a traversal to its conditional', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-tf-sides-'));
    try {
      fs.mkdirSync(path.join(directory, 'sg'));
      fs.writeFileSync(path.join(directory, 'main.tf'), `${VARIABLES}
module "web" {
  source = "./sg"
  cidr   = var.public ? "0.0.0.0/0" : "10.0.0.0/8"
  port   = var.public ? 3389 : 22
}
locals {
  by_service = { ssh = var.public ? "0.0.0.0/0" : "10.1.0.0/16" }
}
resource "aws_security_group" "local" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = concat(["192.0.2.0/24"], [local.by_service.ssh])
  }
}
`);
      fs.writeFileSync(path.join(directory, 'sg', 'main.tf'), `variable "cidr" { type = string }
variable "port" { type = number }
resource "aws_security_group" "this" {
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
`);
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics).toEqual([]);
      // The port and the CIDR test one condition: only the sides that agree are paired.
      expect(rulesOf(result, 'module.web.aws_security_group.this')).toEqual([
        'module.web.aws_security_group.this.ingress[0] 3389 0.0.0.0/0 | var.public',
        'module.web.aws_security_group.this.ingress[0] 22 10.0.0.0/8 | !var.public',
      ]);
      expect(rulesOf(result, 'aws_security_group.local')).toEqual([
        'aws_security_group.local.ingress[0] 22 192.0.2.0/24 | -',
        'aws_security_group.local.ingress[0] 22 0.0.0.0/0 | var.public',
        'aws_security_group.local.ingress[0] 22 10.1.0.0/16 | !var.public',
      ]);
      expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
        'FW101 aws_security_group.local allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
        'FW101 module.web.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/3389 (when var.public)',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  // Regression (QA): `[local.cidrs.web]` with `cidrs = { ssh = var.a ? … : …, web = var.b ? … : … }` was split on
  // var.a (the first conditional of the object, which `web` does not use), and var.b was left unresolved: FW303
  // "(when var.a)", and the world-open side of web missed.
  it('splits a reference to part of a local only on the conditionals of that part', () => {
    const result = scanTf(`${VARIABLES}
variable "a" { type = bool }
variable "b" { type = bool }
variable "c" { type = bool }
locals {
  cidrs = { ssh = var.a ? "0.0.0.0/0" : "10.0.0.0/8", web = var.b ? "0.0.0.0/0" : "10.1.0.0/16" }
  list  = [var.a ? "0.0.0.0/0" : "10.0.0.0/8", var.b ? "0.0.0.0/0" : "10.1.0.0/16"]
  multi = { ssh = var.a ? "0.0.0.0/0" : "10.0.0.0/8", web = concat(var.b ? ["0.0.0.0/0"] : [], var.c ? ["192.0.2.0/24"] : []) }
}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [local.cidrs.ssh]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [local.cidrs["web"]]
  }
  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [local.list[1]]
  }
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = concat(["198.51.100.0/24"], local.multi.web)
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.a',
      'aws_security_group.web.ingress[0] 22 10.0.0.0/8 | !var.a',
      'aws_security_group.web.ingress[1] 443 0.0.0.0/0 | var.b',
      'aws_security_group.web.ingress[1] 443 10.1.0.0/16 | !var.b',
      'aws_security_group.web.ingress[2] 8443 0.0.0.0/0 | var.b',
      'aws_security_group.web.ingress[2] 8443 10.1.0.0/16 | !var.b',
      // Both conditionals of the part read are split (the second was unresolved once the local was bound).
      'aws_security_group.web.ingress[3] 80 198.51.100.0/24 | -',
      'aws_security_group.web.ingress[3] 80 0.0.0.0/0 | var.b',
      'aws_security_group.web.ingress[3] 80 192.0.2.0/24 | var.c',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.a)',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/443 (when var.b)',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/8443 (when var.b)',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/80 (when var.b)',
    ]);
  });

  it('splits a GCP firewall on a choice in its allow block', () => {
    const result = scanTf(`${VARIABLES}
resource "google_compute_firewall" "admin" {
  name          = "admin"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = var.public ? ["443"] : ["22", "443"]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`).sort()).toEqual([
      'FW101 critical google_compute_firewall.admin allows ingress from 0.0.0.0/0 on tcp/22, 443 (when !var.public)',
      'FW101 high google_compute_firewall.admin allows ingress from 0.0.0.0/0 on tcp/443 (when var.public)',
    ]);
  });

  it('splits a GCP firewall on its own arguments (source_ranges)', () => {
    const result = scanTf(`${VARIABLES}
resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = "default"
  source_ranges = var.public ? ["0.0.0.0/0"] : ["10.0.0.0/8"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual(['FW101 google_compute_firewall.ssh allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)']);
  });

  it('reads count = c ? 2 : 1 as one instance always and the second under c', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "node" {
  count = var.public ? 2 : 1
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.public ? "0.0.0.0/0" : "10.0.0.0/8"]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => `${target.id}: ${target.rules.map((rule) => `${describePeer(rule.peer)} ${rule.branch ?? '-'}`).join(', ')}`)).toEqual([
      // Both sides create [0]: its rule is read per side. [1] exists only under var.public, which takes that side.
      'aws_security_group.node[0]: 0.0.0.0/0 var.public, 10.0.0.0/8 !var.public',
      'aws_security_group.node[1]: 0.0.0.0/0 var.public',
    ]);
    // `count = c ? 1 : 2` the other way round: [1] exists when c does not hold.
    const reversed = scanTf(`${VARIABLES}
resource "aws_security_group" "node" {
  count = var.public ? 1 : 2
}
`);
    expect(reversed.findings.filter((finding) => finding.checkId === 'FW303')).toEqual([]);
  });

  // Regression (QA h3): a resource's `for_each = c ? {…} : {…}` with two non-empty sides stayed unknown (FW303 only),
  // so a world-open rule it creates went unreported; likewise a nested conditional or one inside a call.
  it('reads a resource for_each = c ? {…} : {…} per side: instances both sides make alike once, the rest under their side', () => {
    const result = scanTf(`${VARIABLES}
variable "extra" { type = bool }
resource "aws_security_group" "web" {}
resource "aws_security_group_rule" "in" {
  for_each          = var.public ? { ssh = 22, rdp = 3389 } : { ssh = 22 }
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  protocol          = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_blocks       = ["0.0.0.0/0"]
}
locals { base = { https = 443 } }
resource "aws_vpc_security_group_ingress_rule" "merged" {
  for_each          = merge(local.base, var.public ? { telnet = 23 } : {})
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_vpc_security_group_ingress_rule" "nested" {
  for_each          = var.public ? { ftp = 21 } : var.extra ? { smtp = 25 } : {}
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_vpc_security_group_ingress_rule" "set" {
  for_each          = toset(var.env == "prod" ? ["8443"] : ["8080", "8443"])
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = "0.0.0.0/0"
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW303')).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group_rule.in["rdp"] 3389 0.0.0.0/0 | var.public',
      'aws_security_group_rule.in["ssh"] 22 0.0.0.0/0 | -',
      'aws_vpc_security_group_ingress_rule.merged["https"] 443 0.0.0.0/0 | -',
      'aws_vpc_security_group_ingress_rule.merged["telnet"] 23 0.0.0.0/0 | var.public',
      'aws_vpc_security_group_ingress_rule.nested["ftp"] 21 0.0.0.0/0 | var.public',
      'aws_vpc_security_group_ingress_rule.nested["smtp"] 25 0.0.0.0/0 | !var.public and var.extra',
      // In key order, as Terraform iterates.
      'aws_vpc_security_group_ingress_rule.set["8080"] 8080 0.0.0.0/0 | !(var.env == "prod")',
      'aws_vpc_security_group_ingress_rule.set["8443"] 8443 0.0.0.0/0 | -',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message)).toContain(
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/3389 (when var.public)',
    );
  });

  it('reads a group\'s for_each per side: a key with another value on each side is one group with each side\'s rules', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  for_each = var.public ? { a = "0.0.0.0/0" } : { a = "10.0.0.0/8", b = "10.1.0.0/16" }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [each.value]
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.web["a"]', 'aws_security_group.web["b"]']);
    expect(rulesOf(result, 'aws_security_group.web["a"]')).toEqual([
      'aws_security_group.web["a"].ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.web["a"].ingress[0] 22 10.0.0.0/8 | !var.public',
    ]);
    expect(rulesOf(result, 'aws_security_group.web["b"]')).toEqual(['aws_security_group.web["b"].ingress[0] 22 10.1.0.0/16 | !var.public']);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.web["a"] allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
    ]);
  });

  it('reads a dynamic block\'s for_each with a conditional inside a call or nested per side too', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = concat([22], var.public ? [3389] : var.env == "dev" ? [5900] : [])
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | -',
      'aws_security_group.web.ingress[1] 3389 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[2] 5900 0.0.0.0/0 | !var.public and var.env == "dev"',
    ]);
  });

  // Regression (QA7 08): an element of the attribute form was read once with the conditional unresolved, so the
  // world-open side was missed and egress got FW102 "all traffic to unresolved var.public".
  it('reads a conditional in an element of the attribute form per side, as in a dynamic block\'s content', () => {
    const result = scanTf(`${VARIABLES}variable "ports" { type = list(number) }
resource "aws_security_group" "web" {
  ingress = [{ from_port = 22, to_port = 22, protocol = "tcp", cidr_blocks = var.public ? ["0.0.0.0/0"] : ["10.0.0.0/8"] }]
  egress = [for p in [1] : { from_port = 0, to_port = 0, protocol = "-1", cidr_blocks = var.public ? ["0.0.0.0/0"] : [] }]
}
resource "aws_security_group" "known" {
  ingress = [for k, p in { ssh = 22, web = 443, db = 5432 } : { from_port = p, to_port = p, protocol = "tcp", cidr_blocks = var.public ? ["0.0.0.0/0"] : ["10.0.0.0/8"] } if k != "db"]
}
resource "aws_security_group" "unknown" {
  ingress = [for p in var.ports : { from_port = 22, to_port = 22, protocol = "tcp", cidr_blocks = var.public ? ["0.0.0.0/0"] : [var.office] }]
  egress = [for p in concat(var.ports, [443]) : { from_port = p, to_port = p, protocol = "tcp", cidr_blocks = var.public ? ["0.0.0.0/0"] : [] }]
}
`, { office: '192.0.2.0/24' });
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.web.ingress[0] 22 10.0.0.0/8 | !var.public',
      'aws_security_group.web.egress[0] 0-65535 0.0.0.0/0 | var.public',
    ]);
    // Each element in its iterators' scope: `p` is that element's port, the `if` keeps ssh and web.
    expect(rulesOf(result, 'aws_security_group.known')).toEqual([
      'aws_security_group.known.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.known.ingress[0] 22 10.0.0.0/8 | !var.public',
      'aws_security_group.known.ingress[1] 443 0.0.0.0/0 | var.public',
      'aws_security_group.known.ingress[1] 443 10.0.0.0/8 | !var.public',
    ]);
    // Over an unknown list the element is read once as possibly present, a known element of a partly known one at `[?]`.
    expect(rulesOf(result, 'aws_security_group.unknown')).toEqual([
      'aws_security_group.unknown.ingress[*] 22 0.0.0.0/0 | var.public',
      'aws_security_group.unknown.ingress[*] 22 192.0.2.0/24 | !var.public',
      'aws_security_group.unknown.egress[?] 443 0.0.0.0/0 | var.public',
      // Its port is the unknown iterator: no ports known.
      'aws_security_group.unknown.egress[*]  0.0.0.0/0 | var.public',
    ]);
    expect(result.findings.filter((finding) => finding.checkId !== 'FW303').map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
      'FW104 aws_security_group.web allows egress to 0.0.0.0/0 on all traffic (when var.public)',
      'FW101 aws_security_group.known allows ingress from 0.0.0.0/0 on tcp/22, 443 (when var.public)',
      'FW101 aws_security_group.unknown allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
    ]);
  });

  // Regression (QA h3): a rule read under var.a and again under var.b was reported once per condition, both findings
  // with one fingerprint (a baseline entry accepted only one of them).
  it('reports a rule that exists under var.a or var.b once, with both conditions, and one that exists anyway once without', () => {
    const result = scanTf(`variable "a" { type = bool }
variable "b" { type = bool }
variable "c" { type = bool }
locals {
  cidrs = merge(var.a ? { x = "0.0.0.0/0" } : {}, var.b ? { y = "0.0.0.0/0" } : {})
}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = values(local.cidrs)
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = concat(var.a ? ["0.0.0.0/0"] : [], var.b ? ["0.0.0.0/0"] : [])
  }
  ingress {
    from_port   = 23
    to_port     = 23
    protocol    = "tcp"
    cidr_blocks = concat(["0.0.0.0/0"], var.a ? ["0.0.0.0/0"] : [])
  }
}
resource "aws_security_group_rule" "vnc" {
  count             = var.c ? 1 : 0
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  protocol          = "tcp"
  from_port         = 5900
  to_port           = 5900
  cidr_blocks       = values(local.cidrs)
}
`);
    expect(result.diagnostics).toEqual([]);
    // Still one rule per side: checks that combine rules see each where it exists.
    expect(rulesOf(result)).toEqual([
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.a',
      'aws_security_group.web.ingress[0] 22 0.0.0.0/0 | var.b',
      'aws_security_group.web.ingress[1] 3389 0.0.0.0/0 | var.a',
      'aws_security_group.web.ingress[1] 3389 0.0.0.0/0 | var.b',
      'aws_security_group.web.ingress[2] 23 0.0.0.0/0 | -',
      'aws_security_group.web.ingress[2] 23 0.0.0.0/0 | var.a',
      'aws_security_group_rule.vnc[0] 5900 0.0.0.0/0 | var.c and var.a',
      'aws_security_group_rule.vnc[0] 5900 0.0.0.0/0 | var.c and var.b',
    ]);
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => `${finding.message} | ${String(finding.properties.branch)}`)).toEqual([
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.a or var.b) | var.a or var.b',
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/3389 (when var.a or var.b) | var.a or var.b',
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/23 | undefined',
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/5900 (when (var.c and var.a) or (var.c and var.b)) | (var.c and var.a) or (var.c and var.b)',
    ]);
    expect(new Set(result.findings.map((finding) => finding.fingerprint)).size).toBe(result.findings.length);
  });

  // Regression (QA w4): two written rules alike but for their condition were merged into one "(when var.a or var.b)"
  // finding, so a comment above one muted both, and a baseline entry for one accepted the other added later.
  it('keeps two written rules alike but for their condition two findings, each muted only by its own comment', () => {
    const block = (condition: string, ignore: string): string => `${ignore}  dynamic "ingress" {
    for_each = ${condition} ? [1] : []
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
`;
    const text = (ignoreA: string): string => `variable "a" { type = bool }
variable "b" { type = bool }
resource "aws_security_group" "g" {
${block('var.a', ignoreA)}${block('var.b', '')}}
`;
    const open = scanTf(text('')).findings.filter((finding) => finding.checkId === 'FW101');
    expect(open.map((finding) => `${finding.message} :${finding.location.range.startLine}`)).toEqual([
      'aws_security_group.g allows ingress from 0.0.0.0/0 on tcp/22 (when var.a) :10',
      'aws_security_group.g allows ingress from 0.0.0.0/0 on tcp/22 (when var.b) :19',
    ]);
    const muted = scanTf(text('  # fwlint:ignore FW101 reason="a is a lab"\n')).findings.filter((finding) => finding.checkId === 'FW101');
    expect(muted.map((finding) => `${finding.message} ${finding.suppression ? 'suppressed' : 'open'}`)).toEqual([
      'aws_security_group.g allows ingress from 0.0.0.0/0 on tcp/22 (when var.a) suppressed',
      'aws_security_group.g allows ingress from 0.0.0.0/0 on tcp/22 (when var.b) open',
    ]);
  });

  // Regression (QA h6): two written rules alike under one condition (or none) gave two FW101 findings with one
  // fingerprint: one code scanning alert for two places, and a baseline that could only count them.
  it('gives findings of the same rule content written twice distinct fingerprints, also at one place', () => {
    const ingress = (cidrs: string): string => `  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ${cidrs}
  }
`;
    const text = `variable "public" { type = bool }
resource "aws_security_group" "web" {
${ingress('[var.public ? "0.0.0.0/0" : "10.0.0.0/8"]')}${ingress('[var.public ? "0.0.0.0/0" : "10.0.0.0/8"]')}}
resource "aws_security_group" "plain" {
${ingress('["0.0.0.0/0"]')}${ingress('["0.0.0.0/0"]')}}
resource "aws_security_group" "repeated" {
  dynamic "ingress" {
    for_each = [1, 2]
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`;
    const result = scanTf(text);
    expect(result.diagnostics).toEqual([]);
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => `${finding.message} :${finding.location.range.startLine}`)).toEqual([
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.public) :7',
      'aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when var.public) :13',
      'aws_security_group.plain allows ingress from 0.0.0.0/0 on tcp/22 :21',
      'aws_security_group.plain allows ingress from 0.0.0.0/0 on tcp/22 :27',
      // Two rules at one place (the dynamic block's iterations) are one finding: one written place.
      'aws_security_group.repeated allows ingress from 0.0.0.0/0 on tcp/22 :37',
    ]);
    expect(new Set(result.findings.map((finding) => finding.fingerprint)).size).toBe(result.findings.length);
    // The first keeps the fingerprint both had; the second has it as a former one, so a baseline written before,
    // which counted both under it, still accepts both.
    const [web1, web2, plain1, plain2] = fw101;
    expect(web1!.formerFingerprints).toBeUndefined();
    expect(web2!.formerFingerprints).toEqual([web1!.fingerprint]);
    expect(plain2!.formerFingerprints).toEqual([plain1!.fingerprint]);
    const entry = (finding: Finding) => ({ fingerprint: finding.fingerprint, checkId: 'FW101', targetId: finding.targetId, message: finding.message, file: 'main.tf' });
    const before = { version: 1 as const, tool: 'fwlint' as const, findings: [entry(web1!), entry(web1!), entry(plain1!), entry(plain1!)] };
    expect(applyBaseline(fw101.map((finding) => ({ ...finding })), before)).toEqual({ baselined: 4, absent: [], unseen: [] });
    // A baseline written now has an entry per finding, each accepting its own only.
    const now = createBaseline(fw101);
    expect(now.findings.map((each) => each.fingerprint).sort()).toEqual(fw101.map((finding) => finding.fingerprint).sort());
    const withoutSecond = createBaseline(fw101.filter((finding) => finding !== web2));
    const again = fw101.map((finding) => ({ ...finding }));
    expect(applyBaseline(again, withoutSecond)).toEqual({ baselined: 4, absent: [], unseen: [] });
    expect(again.filter((finding) => finding.suppression === undefined).map((finding) => finding.location.range.startLine)).toEqual([13]);
  });

  it('names a condition with commas as written', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [contains(["a", "b"], var.env) ? "0.0.0.0/0" : "10.0.0.0/8"]
  }
}
`);
    expect(result.findings.map((finding) => finding.message)).toEqual(['aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 (when contains(["a", "b"], var.env))']);
  });

  it('reads count = c ? 1 : 0 and a dynamic for_each = c ? [1] : [] as existing under c (no FW303), and pairs sides', () => {
    const result = scanTf(`${VARIABLES}
variable "ssh" { type = bool }
resource "aws_security_group" "web" {
  count = var.public ? 1 : 0
  dynamic "ingress" {
    for_each = var.ssh ? [1] : []
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [var.public ? "0.0.0.0/0" : "10.0.0.0/8"]
    }
  }
}
resource "aws_security_group_rule" "rdp" {
  count             = var.public ? 0 : 1
  type              = "ingress"
  security_group_id = aws_security_group.web[0].id
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = ["10.1.0.0/16"]
}
`);
    expect(result.diagnostics).toEqual([]);
    // The group exists under var.public, so its rule's own choice on var.public takes that side only.
    expect(rulesOf(result, 'aws_security_group.web[0]')).toEqual([
      'aws_security_group.web[0].ingress[0] 22 0.0.0.0/0 | var.public and var.ssh',
      'aws_security_group_rule.rdp[0] 3389 10.1.0.0/16 | !var.public',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.web[0] allows ingress from 0.0.0.0/0 on tcp/22 (when var.public and var.ssh)',
    ]);
  });

  it('keeps a condition it cannot split beyond three choices unresolved, as before', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    cidr_blocks = [var.public && var.env == "b" ? "0.0.0.0/0" : "10.0.0.0/8"]
    protocol    = var.office == "x" ? "tcp" : "udp"
    to_port     = var.env == "a" ? 3 : 4
    from_port   = var.public ? 1 : 2
  }
}
`);
    const target = result.targets.find((candidate) => candidate.id === 'aws_security_group.web')!;
    // Eight readings, each with the last choice still unresolved: a peer of its own, recorded for FW303.
    expect(target.rules).toHaveLength(8);
    expect(target.rules.every((rule) => rule.peer.kind === 'unknown' && rule.unknowns.length === 1)).toBe(true);
  });
});

// Regression (QA t10): regex() was not evaluated, so `can(regex(":", each.value))` was undecidable and reading each
// side gave "::/0" is not an IPv4 CIDR errors (exit 2) on valid Terraform.
describe('Terraform: a condition on regex() of a known value is decided', () => {
  it('puts each for_each element in cidr_ipv4 or cidr_ipv6 by can(regex(":", each.value))', () => {
    const result = scanTf(`
variable "allowed" {
  type    = set(string)
  default = ["0.0.0.0/0", "::/0"]
}
resource "aws_security_group" "web" {}
resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each          = var.allowed
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = can(regex(":", each.value)) ? null : each.value
  cidr_ipv6         = length(regexall(":", each.value)) > 0 ? each.value : null
}
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result)).toEqual([
      'aws_vpc_security_group_ingress_rule.https["0.0.0.0/0"] 443 0.0.0.0/0 | -',
      'aws_vpc_security_group_ingress_rule.https["::/0"] 443 ::/0 | -',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`)).toEqual([
      'FW101 high aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/443',
      'FW101 high aws_security_group.web allows ingress from ::/0 on tcp/443',
    ]);
  });
});

// Regression (QA t10): a value invalid on one side of an undecidable condition was an input error (exit 2), though
// that side may never be taken.
describe('Terraform: a value invalid on one side of an undecidable condition only', () => {
  it('is a warning naming the side; invalid on both sides, it stays an error', () => {
    const result = scanTf(`${VARIABLES}
resource "aws_security_group" "web" {}
resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each          = toset(["0.0.0.0/0", "::/0"])
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.public ? each.value : null
}
resource "aws_security_group" "both" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.public ? "a" : "b"]
  }
}
`);
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.message}`)).toEqual([
      'warning aws_vpc_security_group_ingress_rule.https["::/0"]: "::/0" is not an IPv4 CIDR (cidr_ipv4) (when var.public)',
      'error aws_security_group.both.ingress[0]: invalid IPv4 address "a"',
      'error aws_security_group.both.ingress[0]: invalid IPv4 address "b"',
    ]);
    expect(result.findings.map((finding) => finding.message)).toEqual(['aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/443 (when var.public)']);
  });
});

describe('Terraform: reading per side agrees with deciding the condition', () => {
  const cidr = fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '192.168.1.0/24', '::/0');
  // Few values, so that both sides' ports are often equal.
  const port = fc.constantFrom(22, 443, 8080);

  it('the rules under var.public or none are those with public=true, under !var.public or none those with public=false', () => {
    fc.assert(
      fc.property(cidr, cidr, port, port, fc.boolean(), (a, b, portA, portB, inList) => {
        const family = (text: string): string => (text.includes(':') ? 'ipv6_cidr_blocks' : 'cidr_blocks');
        // Same family on both sides (an IPv6 CIDR in cidr_blocks is an error either way), and an element beside them.
        const other = family(a) === family(b) ? b : a;
        const fixed = family(a) === 'cidr_blocks' ? '192.0.2.0/24' : '2001:db8::/32';
        const peers = inList ? `${family(a)} = [var.public ? "${a}" : "${other}", "${fixed}"]` : `${family(a)} = concat(var.public ? ["${a}"] : ["${other}"], ["${fixed}"])`;
        const text = `${VARIABLES}
resource "aws_security_group" "web" {
  ingress {
    from_port = var.public ? ${portA} : ${portB}
    to_port   = var.public ? ${portA} : ${portB}
    protocol  = "tcp"
    ${peers}
  }
}
`;
        const brief = (rules: string[], branch?: string): string[] => rules.filter((rule) => branch === undefined || rule.endsWith(`| ${branch}`) || rule.endsWith('| -')).map((rule) => rule.replace(/ \| .*$/, '')).sort();
        const split = rulesOf(scanTf(text));
        expect(brief(split, 'var.public')).toEqual(brief(rulesOf(scanTf(text, { public: 'true' }))));
        expect(brief(split, '!var.public')).toEqual(brief(rulesOf(scanTf(text, { public: 'false' }))));
        // The element beside the conditional is read alike on both sides, a rule without condition, when the ports
        // agree (and, in the list, where a and b are written apart, only it is).
        const unconditional = split.filter((rule) => rule.endsWith('| -'));
        const fixedEitherWay = unconditional.some((rule) => rule.includes(` ${fixed} `));
        expect(fixedEitherWay).toBe(portA === portB);
        if (inList) expect(unconditional.length).toBe(fixedEitherWay ? 1 : 0);
      }),
      { numRuns: 25, seed: 20261124 },
    );
  });
});
