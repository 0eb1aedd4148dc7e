import { isOverrideFile } from '../../../src/parsers/terraform/root-groups';
import type { ScanResult } from '../../../src/pipeline/scan';
import { scanFiles } from '../../helpers/scan-fixture';

// QA 12 item 3: Terraform merges override files (`override.tf`, `*_override.tf`, their `.tf.json` and OpenTofu
// `.tofu` forms) into the module. A folder using one was read as a folder of separate examples (the override file
// redeclares what it changes), each file judged alone: `variable "cidr"` overridden to 0.0.0.0/0 gave no FW101
// (exit 1 → 0), and a resource's override became a second target of the same address.

const SSH_GROUP = (cidr: string) => `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [${cidr}]
  }
}
`;

const at = (location: { file: string; range: { startLine: number } } | undefined): string => (location ? `${location.file}:${location.range.startLine}` : '-');
const findings = (result: ScanResult): string[] => result.findings.map((finding) => `${at(finding.location)} ${finding.checkId} ${finding.severity}`);
const rules = (result: ScanResult): string[] =>
  result.targets.flatMap((target) => target.rules.map((rule) => `${rule.id} ${rule.direction} ${rule.protocol.kind === 'number' ? rule.protocol.value : rule.protocol.kind}/${rule.ports.toString()} from ${rule.peer.kind === 'addresses' ? rule.peer.text : rule.peer.kind} at ${at(rule.location)} peer ${at(rule.peerLocation)}`));
const diagnostics = (result: ScanResult): string[] => result.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.range?.startLine ?? '-'} ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`);

describe('Terraform override files', () => {
  it.each([
    ['override.tf', true],
    ['web_override.tf', true],
    ['override.tf.json', true],
    ['web_override.tf.json', true],
    ['override.tofu', true],
    ['web_override.tofu.json', true],
    ['nested/dir/web_override.tf', true],
    ['main.tf', false],
    ['overrides.tf', false],
    ['myoverride.tf', false],
    ['override_web.tf', false],
  ])('%s is an override file: %s', (file, expected) => {
    expect(isOverrideFile(file)).toBe(expected);
  });

  it('takes a variable default from the override file: the world-open SSH rule is reported (one module, not two examples)', () => {
    const result = scanFiles({
      'main.tf': `variable "cidr" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n${SSH_GROUP('var.cidr')}`,
      'override.tf': 'variable "cidr" {\n  default = "0.0.0.0/0"\n}\n',
    });
    expect(diagnostics(result)).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.web']);
    expect(findings(result)).toEqual(['main.tf:11 FW101 critical']);
  });

  it('takes an overriding type with its default', () => {
    const result = scanFiles({
      'main.tf': `variable "cidrs" {\n  type    = string\n  default = "10.0.0.0/8"\n}\n${SSH_GROUP('var.cidrs').replace('[var.cidrs]', 'var.cidrs')}`,
      'cidrs_override.tf': 'variable "cidrs" {\n  type    = list(string)\n  default = ["10.0.0.0/8", "0.0.0.0/0"]\n}\n',
    });
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result).map((rule) => rule.replace(/ at .*/, ''))).toEqual(['aws_security_group.web.ingress[0]#0 in 6/22 from 10.0.0.0/8', 'aws_security_group.web.ingress[0]#1 in 6/22 from 0.0.0.0/0']);
  });

  it("replaces a resource's ingress blocks with the override's: one target, the override's rule, located in the override file", () => {
    const result = scanFiles({ 'main.tf': SSH_GROUP('"10.0.0.0/8"'), 'web_override.tf': SSH_GROUP('"0.0.0.0/0"').replace('  name = "web"\n', '') });
    expect(diagnostics(result)).toEqual([]);
    expect(result.targets.map((target) => `${target.id} ${at(target.location)}`)).toEqual(['aws_security_group.web main.tf:1']);
    expect(rules(result)).toEqual(['aws_security_group.web.ingress[0]#0 in 6/22 from 0.0.0.0/0 at web_override.tf:2 peer web_override.tf:6']);
    expect(findings(result)).toEqual(['web_override.tf:6 FW101 critical']);
  });

  it('replaces every block of a nested block type the override writes (dynamic ones too), keeps the other types, and replaces attributes by name', () => {
    const result = scanFiles({
      'main.tf': `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  dynamic "ingress" {
    for_each = [8080, 8443]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`,
      'web_override.tf': `resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = [22]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["192.0.2.0/24"]
    }
  }
}
`,
    });
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result)).toEqual([
      'aws_security_group.web.ingress[0]#0 in 6/22 from 192.0.2.0/24 at web_override.tf:2 peer web_override.tf:8',
      'aws_security_group.web.egress[0]#0 out any/0-65535 from 10.0.0.0/8 at main.tf:18 peer main.tf:22',
    ]);
  });

  it("locates a top-level argument taken from the override file there, the others in the original's file", () => {
    const result = scanFiles({
      'main.tf': `resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "10.0.0.0/8"
}
`,
      'rdp_override.tf': '# opened for the migration\nresource "aws_vpc_security_group_ingress_rule" "rdp" {\n  cidr_ipv4 = "0.0.0.0/0"\n}\n',
    });
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result)).toEqual(['aws_vpc_security_group_ingress_rule.rdp#0 in 6/3389 from 0.0.0.0/0 at main.tf:4 peer rdp_override.tf:3']);
    expect(findings(result)).toEqual(['rdp_override.tf:3 FW101 critical']);
  });

  it('reports an unresolved overriding argument at the override file', () => {
    const unresolved = scanFiles({
      'main.tf': `resource "aws_security_group" "web" {\n  name = "web"\n}\nresource "aws_security_group_rule" "ssh" {\n  type              = "ingress"\n  security_group_id = aws_security_group.web.id\n  protocol          = "tcp"\n  from_port         = 22\n  to_port           = 22\n  cidr_blocks       = ["10.0.0.0/8"]\n}\nvariable "from" {}\n`,
      'ssh_override.tf': 'resource "aws_security_group_rule" "ssh" {\n  from_port = var.from\n}\n',
    });
    expect(diagnostics(unresolved)).toEqual([]);
    expect(unresolved.targets[0]!.rules[0]!.unknowns.map((unknown) => `${unknown.field} ${unknown.expr} ${at(unknown.location)}`)).toEqual(['aws_security_group_rule.ssh.from_port var.from ssh_override.tf:2']);
  });

  it('reports an override block or local without an original (Terraform rejects it), reads it as written and scans on', () => {
    const result = scanFiles({
      'main.tf': SSH_GROUP('"10.0.0.0/8"') + 'locals {\n  office = "192.0.2.0/24"\n}\n',
      'extra_override.tf': `locals {\n  office = "198.51.100.0/24"\n  other  = "x"\n}\n${SSH_GROUP('"0.0.0.0/0"').replace('"web"', '"admin"')}`,
    });
    expect(diagnostics(result)).toEqual([
      'extra_override.tf:3 error parse/terraform-override-missing local value "other" of an override file has no original to override; Terraform rejects it ("Missing base local value definition to override")',
      'extra_override.tf:5 error parse/terraform-override-missing resource "aws_security_group" "admin" of an override file has no original to override; Terraform rejects it (an override file can only change a block declared in a primary file); read as written',
    ]);
    expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.admin', 'aws_security_group.web']);
    expect(findings(result)).toEqual(['extra_override.tf:11 FW101 critical']);
  });

  it('replaces a local by name, wherever the original is declared (also in a file whose name sorts after it)', () => {
    const result = scanFiles({
      'main.tf': SSH_GROUP('local.office'),
      'values.tf': 'locals {\n  office = "192.0.2.0/24"\n  other  = "x"\n}\n',
      'override.tf': 'locals {\n  office = "0.0.0.0/0"\n}\n',
    });
    expect(diagnostics(result)).toEqual([]);
    expect(findings(result)).toEqual(['main.tf:7 FW101 critical']);
  });

  it('merges an override file in JSON syntax', () => {
    const result = scanFiles({
      'main.tf': SSH_GROUP('"10.0.0.0/8"'),
      'web_override.tf.json': JSON.stringify(
        { resource: { aws_security_group: { web: { ingress: [{ from_port: 3389, to_port: 3389, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } },
        null,
        2,
      ),
    });
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result).map((rule) => rule.replace(/ peer .*/, ''))).toEqual(['aws_security_group.web.ingress[0]#0 in 6/3389 from 0.0.0.0/0 at web_override.tf.json:6']);
    expect(findings(result).map((finding) => finding.split(':')[0])).toEqual(['web_override.tf.json']);
  });

  it('applies several override files in lexical order of their names, after every primary file whatever its name', () => {
    const variable = (cidr: string) => `variable "cidr" {\n  default = "${cidr}"\n}\n`;
    const result = scanFiles({
      'z_main.tf': `${variable('10.0.0.0/8')}${SSH_GROUP('var.cidr')}`,
      'override.tf': variable('192.0.2.0/24'),
      'b_override.tf': variable('0.0.0.0/0'),
      'a_override.tf': variable('198.51.100.0/24'),
    });
    expect(diagnostics(result)).toEqual([]);
    // a_override.tf, then b_override.tf, then override.tf: the last one's value.
    expect(rules(result).map((rule) => rule.replace(/ at .*/, ''))).toEqual(['aws_security_group.web.ingress[0]#0 in 6/22 from 192.0.2.0/24']);
    const withoutLast = scanFiles({ 'z_main.tf': `${variable('10.0.0.0/8')}${SSH_GROUP('var.cidr')}`, 'b_override.tf': variable('0.0.0.0/0'), 'a_override.tf': variable('198.51.100.0/24') });
    expect(findings(withoutLast)).toEqual(['z_main.tf:10 FW101 critical']);
  });

  it("merges a GCP firewall's overriding source_ranges (and an OpenTofu override file), located in the override file", () => {
    const result = scanFiles({
      'main.tf': `resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = "default"
  source_ranges = ["10.0.0.0/8"]
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
`,
      'ssh_override.tofu': 'resource "google_compute_firewall" "ssh" {\n  source_ranges = ["0.0.0.0/0"]\n}\n',
    });
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result)).toEqual(['google_compute_firewall.ssh.allow[0]#0 in 6/22 from 0.0.0.0/0 at main.tf:5 peer ssh_override.tofu:2']);
  });

  it("merges into a module call: an overriding input reaches the module's rules", () => {
    const result = scanFiles({
      'main.tf': 'module "web" {\n  source = "./modules/sg"\n  cidr   = "10.0.0.0/8"\n}\n',
      'web_override.tf': 'module "web" {\n  cidr = "0.0.0.0/0"\n}\n',
      'modules/sg/main.tf': `variable "cidr" {\n  type = string\n}\n${SSH_GROUP('var.cidr')}`,
    });
    expect(diagnostics(result)).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['module.web.aws_security_group.web']);
    expect(findings(result)).toEqual(['modules/sg/main.tf:10 FW101 critical']);
  });
});
