import { scanFiles, scanFixture } from '../../helpers/scan-fixture';

/**
 * A Terraform rule whose port is unresolved (a variable without a default, a value known only after apply) is kept
 * with no ports and the unknown on the rule, as the CloudFormation reader keeps one: FW101 judges it on every port it
 * could be, and FW303 still names the value. It used to be dropped, leaving a rule open to the whole internet as
 * FW303's note only.
 */
describe('Terraform rules whose ports are unresolved', () => {
  const result = scanFixture('checks/FW101/terraform/bad-port-variable-from-world.tf');
  const rules = result.targets.flatMap((target) => target.rules).filter((rule) => rule.direction === 'in');

  it('keeps them, with no ports and the unresolved bounds on the rule (inline, dynamic, aws_security_group_rule, VPC rule)', () => {
    expect(result.diagnostics).toEqual([]);
    expect(rules.map((rule) => `${rule.resourceAddress} ${rule.ports.isEmpty() ? 'no ports' : rule.ports.toString()} ${rule.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}@${unknown.location.range.startLine}`).join(' ')}`)).toEqual([
      'aws_security_group.app.ingress[0] no ports aws_security_group.app.ingress[0].from_port=var.app_port@16 aws_security_group.app.ingress[0].to_port=var.app_port@17',
      'aws_security_group.app.ingress[1] no ports aws_security_group.app.ingress[1].from_port=var.app_port@24 aws_security_group.app.ingress[1].to_port=var.app_port@25',
      'aws_security_group.app.ingress[2] no ports aws_security_group.app.ingress[2].from_port=var.admin_port@33 aws_security_group.app.ingress[2].to_port=var.admin_port@34',
      // Only the bound that is unresolved.
      'aws_security_group_rule.range no ports aws_security_group_rule.range.to_port=var.app_port@53',
      'aws_vpc_security_group_ingress_rule.admin no ports aws_vpc_security_group_ingress_rule.admin.from_port=var.admin_port@60 aws_vpc_security_group_ingress_rule.admin.to_port=var.admin_port@61',
    ]);
    // On the rules, not on the target: nothing was left out.
    expect(result.targets.flatMap((target) => target.unknowns ?? [])).toEqual([]);
  });

  it('reports each unresolved bound once (FW303), with the message it had', () => {
    const notes = result.findings.filter((finding) => finding.checkId === 'FW303');
    expect(notes.map((finding) => `${finding.location.range.startLine} ${finding.message}`)).toContain(
      '16 aws_security_group.app: aws_security_group.app.ingress[0].from_port could not be resolved statically (var.app_port); the rule was checked only as far as it is known',
    );
    expect(notes.map((finding) => finding.location.range.startLine)).toEqual([16, 17, 24, 25, 33, 34, 53, 60, 61]);
  });

  it('gives FW101 the same properties as for CloudFormation, and no other check judges the unknown ports', () => {
    const open = result.findings.find((finding) => finding.checkId === 'FW101')!;
    expect(open.properties).toMatchObject({ traffic: 'tcp/<unresolved: var.app_port>', peer: '0.0.0.0/0', unresolvedPorts: ['var.app_port'], possiblePorts: '0-65535' });
    expect([...new Set(result.findings.map((finding) => finding.checkId))].sort()).toEqual(['FW101', 'FW303']);
  });

  // A rule whose protocol or ICMP type is unresolved was left out (FW303 only) until QA s12: now kept, the first judged
  // on every protocol it could be (FW101), the second admitting nothing (FW303 only; see unresolved-protocol.test.ts).
  it('keeps a rule whose protocol or ICMP type is unresolved: FW101 for the protocol, FW303 only for the ICMP type', () => {
    const scanned = scanFiles({
      'main.tf': `variable "protocol" {}
variable "type" {}
resource "aws_security_group" "x" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = var.protocol
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = var.type
    to_port     = -1
    protocol    = "icmp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
    });
    expect(scanned.targets[0]!.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()}`)).toEqual(['aws_security_group.x.ingress[0] 22', 'aws_security_group.x.ingress[1] ']);
    expect(scanned.findings.map((finding) => `${finding.checkId} ${(finding.properties.field ?? finding.properties.traffic) as string}`)).toEqual([
      'FW303 aws_security_group.x.ingress[0].protocol',
      'FW101 <unresolved protocol: var.protocol> port 22',
      'FW303 aws_security_group.x.ingress[1].from_port',
    ]);
  });

  it('judges the rule on an unresolved port with no other check, not even as redundant beside an all-ports rule (FW302)', () => {
    const scanned = scanFiles({
      'main.tf': `variable "port" {}
resource "aws_security_group" "x" {
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`,
    });
    // FW102 judges the written 0-65535 rule only; the rule on the unresolved port is neither wide nor redundant.
    expect(scanned.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine}`)).toEqual(['FW303 4', 'FW303 5', 'FW102 13']);
  });

  it('keeps an NSG, GCP or NACL rule whose ports are unresolved the same way', () => {
    const scanned = scanFixture('checks/FW101/terraform/bad-port-variable-azure-gcp-nacl.tf');
    expect(scanned.diagnostics).toEqual([]);
    const allows = scanned.targets.flatMap((target) => target.rules).filter((rule) => rule.action === 'allow');
    expect(allows.map((rule) => `${rule.resourceAddress} ${rule.ports.isEmpty() ? 'no ports' : rule.ports.toString()} ${rule.unknowns.map((unknown) => unknown.field).join(' ')}`).sort()).toEqual([
      'aws_network_acl.public.ingress[1] no ports aws_network_acl.public.ingress[1].from_port aws_network_acl.public.ingress[1].to_port',
      'azurerm_network_security_group.web.security_rule[0] no ports azurerm_network_security_group.web.security_rule[0].destination_port_range',
      // `*`: TCP and UDP, each on the unresolved ports.
      'azurerm_network_security_rule.any_protocol no ports azurerm_network_security_rule.any_protocol.destination_port_range',
      'azurerm_network_security_rule.any_protocol no ports azurerm_network_security_rule.any_protocol.destination_port_range',
      'google_compute_firewall.app.allow[0] no ports google_compute_firewall.app.allow[0].ports',
    ]);
  });
});

// A range with one bound known (`from_port = 443, to_port = var.p`) was judged on every port: FW101 named ports it can
// never open, and FW104 called egress on it "any port", which it never is (as one port of unknown number never is).
describe('Terraform rules on a port range with one bound unresolved', () => {
  const variables = 'variable "p" { type = number }\n';
  const group = (name: string, from: string, to: string): string => `resource "aws_security_group" "${name}" {
  ingress {
    from_port   = ${from}
    to_port     = ${to}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = ${from}
    to_port     = ${to}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
  const result = scanFiles({
    'main.tf': `${variables}${group('low', '443', 'var.p')}${group('high', 'var.p', '1024')}${group('zero', '0', 'var.p')}
resource "aws_network_acl" "nacl" {
  vpc_id = "vpc-1"
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = var.p
    cidr_block = "0.0.0.0/0"
  }
}
resource "azurerm_network_security_rule" "one" {
  name                        = "one"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443-\${var.p}"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}
resource "azurerm_network_security_rule" "beside" {
  name                        = "beside"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["22", "443-\${var.p}"]
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}
resource "google_compute_firewall" "gcp" {
  name          = "gcp"
  network       = "default"
  project       = "p"
  source_ranges = ["0.0.0.0/0"]
  allow {
    protocol = "tcp"
    ports    = ["\${var.p}-1024"]
  }
}
`,
  });

  it('keeps the rule, judged by FW101 on the ports it can open whatever the value is', () => {
    expect(result.diagnostics).toEqual([]);
    const open = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(open.map((finding) => `${finding.location.range.startLine} ${String(finding.properties?.possiblePorts)} ${finding.message.replace(/.*statically, so /, '')}`)).toEqual([
      '7 443-65535 any port but tcp/0-442 may be open',
      '21 0-1024 any port but tcp/1025-65535 may be open',
      '35 0-65535 any port may be open',
      '53 443-65535 any port but tcp/0-442 may be open',
      '66 443-65535 any port but tcp/0-442 may be open',
      // Beside another range, `"443-${var.p}"` bounds only its own ports: 22 is open too.
      '79 0-65535 any port may be open',
      '86 0-1024 any port but tcp/1025-65535 may be open',
    ]);
  });

  it('reports egress on it as every port (FW104) only where the known bound leaves every port possible', () => {
    const egress = result.findings.filter((finding) => finding.checkId === 'FW104');
    expect(egress.map((finding) => `${finding.location.range.startLine} ${String(finding.properties?.possiblePorts)}`)).toEqual(['41 0-65535']);
    // FW303 still names every unresolved bound.
    expect(result.findings.filter((finding) => finding.checkId === 'FW303')).toHaveLength(10);
  });
});
