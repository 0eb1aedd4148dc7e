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
