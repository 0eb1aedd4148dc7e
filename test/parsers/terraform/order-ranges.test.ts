import { scanFixture } from '../../helpers/scan-fixture';

describe('Terraform rule numbers and priorities out of range', () => {
  it('reports each at its value, as the provider would reject it, and keeps the bounds themselves', () => {
    const result = scanFixture('terraform/invalid-order');
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['parse/terraform-nsg-priority', 8, 'azurerm_network_security_group.x.security_rule[0]: priority must be an integer in 100-4096'],
      ['parse/terraform-gcp-priority', 21, 'google_compute_firewall.g: priority must be an integer in 0-65535'],
      ['parse/terraform-nacl-number', 30, 'aws_network_acl.n.ingress[0]: the rule number must be an integer in 1-32766'],
    ]);
    // A rejected number is no place in the order: the rule is left out, not judged first (GCP -5 was the top rule).
    expect(result.targets.map((target) => `${target.id} ${target.rules.length}`)).toEqual([
      'aws_network_acl.n 0',
      'azurerm_network_security_group.edge 1',
      'azurerm_network_security_group.x 0',
      'google_compute_firewall.g 0',
    ]);
  });
});

describe('Terraform NSG priorities and NACL rule numbers used twice in one direction (QA 3/15)', () => {
  const result = scanFixture('terraform/duplicate-order');

  it('reports an error at the second rule\'s priority or rule number, naming the first, as Azure and AWS reject it', () => {
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['parse/terraform-nsg-duplicate-priority', 'error', 23, 'azurerm_network_security_group.web.security_rule[1]: priority 300 Inbound is also used by azurerm_network_security_group.web.security_rule[0]; Azure rejects two rules of one network security group with the same priority and direction'],
      // A standalone rule joins the NSG's collection.
      ['parse/terraform-nsg-duplicate-priority', 'error', 48, 'azurerm_network_security_rule.ssh: priority 300 Inbound is also used by azurerm_network_security_group.web.security_rule[0]; Azure rejects two rules of one network security group with the same priority and direction'],
      ['parse/terraform-nacl-duplicate-number', 'error', 113, 'aws_network_acl_rule.deny_ssh: rule number 100 ingress is also used by aws_network_acl.edge.ingress[0]; AWS rejects two entries of one network ACL with the same rule number and direction'],
    ]);
  });

  it('keeps the rules in today\'s order; rules that never exist together do not clash', () => {
    const nsg = result.targets.find((target) => target.id === 'azurerm_network_security_group.web')!;
    expect(nsg.rules.map((rule) => `${rule.resourceAddress} ${rule.priority} ${rule.branch ?? ''}`)).toEqual([
      'azurerm_network_security_group.web.security_rule[0] 300 ',
      'azurerm_network_security_group.web.security_rule[0] 300 ',
      'azurerm_network_security_group.web.security_rule[1] 300 ',
      'azurerm_network_security_group.web.security_rule[2] 300 ',
      'azurerm_network_security_rule.ssh 300 ',
      'azurerm_network_security_rule.blue[0] 400 var.blue',
      'azurerm_network_security_rule.green[0] 400 !var.blue',
    ]);
    // The Allow stays world-open beside the Deny of the same priority (the safe reading of the tie).
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.ruleId}`)).toEqual(['FW101 azurerm_network_security_group.web.security_rule[1]#0']);
  });
});
