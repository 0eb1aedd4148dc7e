import { describePeer } from '../../../src/model/peer';
import { protocolName } from '../../../src/model/protocol';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';

/**
 * Regression (QA s12): a Terraform rule whose protocol is unresolved (`protocol = var.proto`, `ip_protocol`, a NACL
 * entry's, an Azure NSG rule's or a GCP `allow` block's `protocol`, a plan's protocol known after apply) was left out of the model, recorded on the target for
 * FW303 only ("1 target, 0 rules"), though tcp, udp or -1 opens its ports or more. It is kept, with its protocol
 * unknown and the unknown on the rule, as a rule on unresolved ports is; so is a rule whose ICMP type or code is
 * unresolved (no ports: it admits nothing, FW303's note only).
 */
describe('Terraform rules whose protocol is unresolved', () => {
  const result = scanFixture('checks/FW101/terraform/bad-protocol-variable-from-world.tf');
  const rules = result.targets.flatMap((target) => target.rules);
  const text = (rule: (typeof rules)[number]): string =>
    `${rule.resourceAddress} ${rule.action} ${protocolName(rule.protocol)} ${rule.ports.isEmpty() ? 'no ports' : rule.ports.toString()} ${describePeer(rule.peer)} ${rule.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}@${unknown.location.range.startLine}`).join(' ')}`;

  it('keeps them, with the protocol unknown and the unresolved values on the rule (inline, rule resources, NACL, NSG, GCP; ICMP type)', () => {
    expect(result.diagnostics).toEqual([]);
    expect(rules.map(text)).toEqual([
      'aws_network_acl.proto_edge.ingress[0] deny tcp 0-1023 0.0.0.0/0 ',
      'aws_network_acl.proto_edge.ingress[1] allow <unresolved protocol: var.proto> 53 0.0.0.0/0 aws_network_acl.proto_edge.ingress[1].protocol=var.proto@85',
      'aws_network_acl.proto_edge.ingress[2] deny <unresolved protocol: var.proto> 0-65535 0.0.0.0/0 aws_network_acl.proto_edge.ingress[2].protocol=var.proto@95',
      'aws_network_acl.proto_edge.ingress[3] allow tcp 8443 0.0.0.0/0 ',
      'aws_security_group.proto_var.ingress[0] allow <unresolved protocol: var.proto> 22 0.0.0.0/0 aws_security_group.proto_var.ingress[0].protocol=var.proto@21',
      'aws_security_group.proto_var.ingress[1] allow <unresolved protocol: var.proto> no ports ::/0 aws_security_group.proto_var.ingress[1].protocol=var.proto@29 aws_security_group.proto_var.ingress[1].from_port=var.proto_port@30 aws_security_group.proto_var.ingress[1].to_port=var.proto_port@31',
      'aws_security_group.proto_var.ingress[2] allow <unresolved protocol: var.proto> 443 10.0.0.0/8 aws_security_group.proto_var.ingress[2].protocol=var.proto@37',
      'aws_security_group.proto_var.ingress[3] allow icmp no ports 0.0.0.0/0 aws_security_group.proto_var.ingress[3].from_port=var.echo_type@46',
      'aws_security_group_rule.proto_range allow <unresolved protocol: var.proto> 8000-8080 0.0.0.0/0 aws_security_group_rule.proto_range.protocol=var.proto@55',
      'aws_vpc_security_group_ingress_rule.proto_admin allow <unresolved protocol: var.proto> 3389 0.0.0.0/0 aws_vpc_security_group_ingress_rule.proto_admin.protocol=var.proto@63',
      'azurerm_network_security_group.proto_var.security_rule[0] allow <unresolved protocol: var.proto> 22 Internet azurerm_network_security_group.proto_var.security_rule[0].protocol=var.proto@121',
      'google_compute_firewall.proto_var.allow[0] allow <unresolved protocol: var.proto> 22 0.0.0.0/0 google_compute_firewall.proto_var.allow[0].protocol=var.proto@134',
    ]);
    // On the rules, not on the target: nothing was left out.
    expect(result.targets.flatMap((target) => target.unknowns ?? [])).toEqual([]);
  });

  it('reports each unresolved value once (FW303), with the message it had, and judges them with no check but FW101', () => {
    const notes = result.findings.filter((finding) => finding.checkId === 'FW303');
    expect(notes.map((finding) => `${finding.location.range.startLine} ${finding.message}`)).toContain(
      '21 aws_security_group.proto_var: aws_security_group.proto_var.ingress[0].protocol could not be resolved statically (var.proto); the rule was checked only as far as it is known',
    );
    expect(notes.map((finding) => finding.location.range.startLine)).toEqual([21, 29, 30, 31, 37, 46, 55, 63, 85, 95, 121, 134]);
    expect([...new Set(result.findings.map((finding) => finding.checkId))].sort()).toEqual(['FW101', 'FW303']);
  });

  it('keeps a rule whose protocol is known only after apply in a plan', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [{
        address: 'aws_security_group.web', mode: 'managed', type: 'aws_security_group', name: 'web', provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: ['create'], before: null,
          after: { name: 'web', vpc_id: 'vpc-0a1b2c3d', ingress: [{ from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false, description: '' }], egress: [] },
          after_unknown: { id: true, ingress: [{ protocol: true }] },
        },
      }],
    };
    const scanned = scanFiles({ 'plan.json': JSON.stringify(plan) });
    expect(scanned.targets.flatMap((target) => target.rules).filter((rule) => rule.direction === 'in').map((rule) => `${protocolName(rule.protocol)} ${rule.ports.toString()}`)).toEqual(['<unresolved protocol: known after apply> 22']);
    expect(scanned.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message)).toEqual([
      'aws_security_group.web allows ingress from 0.0.0.0/0 on <unresolved protocol: known after apply> port 22: its protocol could not be resolved statically, so any protocol may be open',
    ]);
  });

  it('is never redundant beside an all-traffic rule, nor makes one redundant (FW302)', () => {
    const scanned = scanFiles({
      'main.tf': `variable "proto" {}
resource "aws_security_group" "x" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = var.proto
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = var.proto
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.1.0.0/16"]
  }
}
`,
    });
    expect(scanned.targets[0]!.rules.filter((rule) => rule.direction === 'in')).toHaveLength(4);
    // The tcp/22 rule inside the all-traffic one; never inside the unresolved protocol over every port.
    expect(scanned.findings.filter((finding) => finding.checkId === 'FW302').map((finding) => finding.ruleId)).toEqual(['aws_security_group.x.ingress[3]#0']);
  });
});
