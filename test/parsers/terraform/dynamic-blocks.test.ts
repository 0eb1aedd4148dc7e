import { describePeer } from '../../../src/model/peer';
import { mentionsVariable, parseHcl } from '../../../src/parsers/terraform/hcl';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';

describe('Terraform dynamic blocks', () => {
  it("binds the iterator's key as Terraform does: a set's element, a map's key, a list's index", () => {
    const result = scanFixture('terraform/dynamic-keys');
    expect(result.diagnostics).toEqual([]);
    const rules = result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.description}`));
    expect(rules).toEqual([
      'aws_security_group.list.ingress[0] 5432 list 0=5432',
      'aws_security_group.list.ingress[1] 6379 list 1=6379',
      'aws_security_group.list.egress[0] 443 list from a set 0=a',
      'aws_security_group.list.egress[1] 443 list from a set 1=b',
      'aws_security_group.map.ingress["443"] 443 map 443=https',
      'aws_security_group.map.ingress["8443"] 8443 map 8443=alt',
      'aws_security_group.set.ingress[0] 22 set 22=22',
      'aws_security_group.set.ingress[1] 3389 set 3389=3389',
    ]);
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    // The set's two items are one place (the dynamic block's peer): one finding naming both ports.
    expect(fw101.map((finding) => finding.message)).toEqual([expect.stringMatching(/on tcp\/22, 3389$/)]);
  });
});

// Regression (QA): items of a `dynamic` block over a map were named by written index (`security_rule[1]` for "rdp",
// written second), while Terraform iterates a map in key order (where [1] is "https"): a finding named the wrong item.
describe('Terraform dynamic blocks over a map', () => {
  const result = scanFixture('terraform/dynamic-map-keys');

  it('names each item by its key, in key order, as resource for_each instances are named', () => {
    expect(result.diagnostics).toEqual([]);
    const target = result.targets.find((candidate) => candidate.id === 'azurerm_network_security_group.web')!;
    expect(target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.priority}`)).toEqual([
      'azurerm_network_security_group.web.security_rule["deny_rdp"] 3389 100',
      'azurerm_network_security_group.web.security_rule["https"] 443 400',
      'azurerm_network_security_group.web.security_rule["rdp"] 3389 200',
      'azurerm_network_security_group.web.security_rule["ssh"] 22 300',
    ]);
    const fw301 = result.findings.filter((finding) => finding.checkId === 'FW301');
    expect(fw301.map((finding) => finding.message)).toEqual([
      'azurerm_network_security_group.web: allow rule azurerm_network_security_group.web.security_rule["rdp"] (Internet) never takes effect; it is fully overridden by azurerm_network_security_group.web.security_rule["deny_rdp"]',
    ]);
  });
});

describe('Terraform dynamic blocks over an unknown collection', () => {
  const result = scanFixture('terraform/dynamic-unknown');
  const target = result.targets.find((candidate) => candidate.id === 'aws_security_group.dyn')!;

  it('reads the content once, as possibly present, with the iterator unknown: what uses it is unresolved', () => {
    expect(result.diagnostics).toEqual([]);
    expect(target.rules.map((rule) => `${rule.resourceAddress} ${rule.direction} ${rule.ports.toString()} ${describePeer(rule.peer)} ${rule.location.range.startLine}`)).toEqual([
      'aws_security_group.dyn.ingress[0] in 443 10.0.0.0/8 6',
      'aws_security_group.dyn.ingress[*] in 22 0.0.0.0/0 14',
      'aws_security_group.dyn.ingress[*2] in  0.0.0.0/0 25',
      'aws_security_group.dyn.ingress[*3] in 5432 unresolved ingress.value 36',
      'aws_security_group.dyn.ingress[*4] in 3389 0.0.0.0/0 47',
      // `for_each = length(var.admins) > 0 ? [1] : []`: one block that exists under that condition.
      'aws_security_group.dyn.ingress[1] in 8080 192.0.2.0/24 71',
      'aws_security_group.dyn.egress[*] out 0-65535 0.0.0.0/0 59',
    ]);
    expect(target.rules.map((rule) => rule.branch)).toEqual([undefined, undefined, undefined, undefined, undefined, 'length(var.admins) > 0', undefined]);
    expect(target.rules[2]!.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}`)).toEqual([
      'aws_security_group.dyn.ingress[*2].from_port=ingress.value',
      'aws_security_group.dyn.ingress[*2].to_port=ingress.value',
    ]);
  });

  it('reports the possibly present rules like ones from a resource with an unknown for_each, and every unknown for_each (FW303)', () => {
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    // Not the rule whose peer is the iterator (line 42): its peer is unresolved.
    expect(fw101.map((finding) => `${finding.location.range.startLine} ${finding.severity} ${finding.message}`)).toEqual([
      '20 critical aws_security_group.dyn allows ingress from 0.0.0.0/0 on tcp/22',
      '31 high aws_security_group.dyn allows ingress from 0.0.0.0/0 on tcp/<unresolved: ingress.value>: its ports could not be resolved statically, so any port may be open',
      '54 critical aws_security_group.dyn allows ingress from 0.0.0.0/0 on tcp/3389',
    ]);
    const fw303 = result.findings.filter((finding) => finding.checkId === 'FW303');
    // Not the toggle at line 71: its block exists under its condition instead.
    expect(fw303.map((finding) => `${finding.location.range.startLine} ${/resolved statically \((.*?)\); the rule/.exec(finding.message)?.[1]}`)).toEqual([
      '15 var.admins', '26 var.ports', '28 ingress.value', '29 ingress.value', '37 var.ports', '42 ingress.value', '48 var.ports', '60 var.admins',
    ]);
    expect(fw303[0]!.message).toMatch(/dynamic "ingress"\.for_each could not be resolved statically \(var\.admins\)/);
  });

  // Until QA s12 no rule was made of it (FW303 only): the content is read once, as for an iterator port (FW101 judges
  // it on every protocol it could be; the collection may hold any).
  it('makes a rule of content whose protocol comes from the iterator, its protocol unknown: FW303 names it, FW101 judges it', () => {
    const scanned = scanFiles({
      'main.tf': `variable "rules" {}
resource "aws_security_group" "proto" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = 0
      to_port     = 0
      protocol    = ingress.value.protocol
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`,
    });
    expect(scanned.targets.flatMap((each) => each.rules).map((rule) => `${rule.resourceAddress} ${rule.protocol.kind}`)).toEqual(['aws_security_group.proto.ingress[*] unknown']);
    expect(scanned.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine}`)).toEqual(['FW303 4', 'FW303 8', 'FW101 9']);
  });
});

// Regression (QA s13): `ingress = [for p in var.ports : {…}]` over a list that cannot be resolved was FW303 only (exit
// 0), while the same rule as a `dynamic` block is FW101: its element is now read once, as that block's content is.
describe('Terraform attribute-form rules made by a for-expression over an unknown collection', () => {
  const scanned = scanFiles({
    'main.tf': `variable "ports" { type = list(number) }
resource "aws_security_group" "a" {
  ingress = [for i, p in var.ports : {
    from_port        = p
    to_port          = p
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = []
    self             = false
    description      = "port \${i}"
  }]
  egress = [for p in var.ports : { from_port = p, to_port = p, protocol = "tcp", cidr_blocks = ["0.0.0.0/0"] } if false]
}
`,
  });

  it('reads the element once, as possibly present, with the iterators unknown; a filter that keeps nothing makes none', () => {
    expect(scanned.diagnostics).toEqual([]);
    const rules = scanned.targets.flatMap((target) => target.rules);
    expect(rules.map((rule) => `${rule.resourceAddress} ${rule.direction} ${describePeer(rule.peer)} ${rule.location.range.startLine} ${rule.isListElement}`)).toEqual([
      'aws_security_group.a.ingress[*] in 0.0.0.0/0 3 true',
    ]);
    expect(rules[0]!.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}`)).toEqual(['aws_security_group.a.ingress[*].from_port=p', 'aws_security_group.a.ingress[*].to_port=p']);
  });

  it('reports it as the dynamic block form is reported: FW101 on the unresolved port, FW303 for the list and the port', () => {
    expect(scanned.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.severity}`)).toEqual(['FW303 3 note', 'FW303 4 note', 'FW303 5 note', 'FW101 7 high', 'FW303 14 note']);
    expect(scanned.findings[3]!.message).toBe('aws_security_group.a allows ingress from 0.0.0.0/0 on tcp/<unresolved: p>: its ports could not be resolved statically, so any port may be open');
  });
});

// Regression (QA): `for_each = var.public ? [{ cidr = "0.0.0.0/0" }] : [{ cidr = "10.0.0.0/8" }]` was an unknown
// collection (FW303 only, exit 0): the world-open side went unreported.
describe('Terraform dynamic blocks over c ? xs : ys with an undecidable condition', () => {
  const result = scanFixture('terraform/dynamic-sides');

  it("reads each side's repetitions under its condition, and one both sides make alike without condition", () => {
    expect(result.diagnostics).toEqual([]);
    const target = result.targets.find((candidate) => candidate.id === 'aws_security_group.sides')!;
    expect(target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${describePeer(rule.peer)} | ${rule.branch ?? '-'}`)).toEqual([
      'aws_security_group.sides.ingress[0] 22 0.0.0.0/0 | var.public',
      'aws_security_group.sides.ingress[1] 22 10.0.0.0/8 | !var.public',
      'aws_security_group.sides.ingress["admin"] 8443 0.0.0.0/0 | var.public',
      'aws_security_group.sides.ingress["https"] 443 0.0.0.0/0 | -',
    ]);
  });

  it('reports the world-open side under its condition, and no unresolved for_each', () => {
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.sides allows ingress from 0.0.0.0/0 on tcp/22 (when var.public)',
      'FW101 aws_security_group.sides allows ingress from 0.0.0.0/0 on tcp/443',
      'FW101 aws_security_group.sides allows ingress from 0.0.0.0/0 on tcp/8443 (when var.public)',
    ]);
  });
});

describe('mentionsVariable', () => {
  const body = (text: string) => parseHcl(text, 'x.tf').body!;

  it('finds a variable in any expression, not a bare object key of that name', () => {
    expect(mentionsVariable(body('a = "x-${ingress.key}"\n'), 'ingress')).toBe(true);
    expect(mentionsVariable(body('a = [for x in var.y : x if ingress.value > 1]\n'), 'ingress')).toBe(true);
    expect(mentionsVariable(body('inner {\n  a = lookup(local.m, ingress.key, 1)\n}\n'), 'ingress')).toBe(true);
    expect(mentionsVariable(body('a = { ingress = 1 }\nb = var.ingress\nc = local.x.ingress\n'), 'ingress')).toBe(false);
  });
});
