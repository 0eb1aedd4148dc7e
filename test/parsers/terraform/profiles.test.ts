import { scanFixture } from '../../helpers/scan-fixture';

/** Issue #8: the profile engine and every check work on NACL, NSG and GCP targets as on security groups. */
describe('vendor profiles on Terraform NACL, NSG and GCP targets', () => {
  const result = scanFixture('terraform/profiles');
  const findings = (checkId: string): string[] =>
    result.findings.filter((finding) => finding.checkId === checkId).map((finding) => `${finding.targetId}:${finding.location.range.startLine}`);

  it('maps each target to its role by annotation', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => `${target.id} ${target.profile?.ref}`)).toEqual([
      'aws_network_acl.vm lumen-cloud/linux',
      'azurerm_network_security_group.vm lumen-cloud/linux',
      'google_compute_firewall.vm lumen-cloud/linux',
    ]);
  });

  it('finds the required flow blocked by a higher-priority NSG deny (FW201), and the allow below it shadowed (FW301)', () => {
    expect(findings('FW201')).toEqual(['azurerm_network_security_group.vm:4']);
    expect(result.findings.find((finding) => finding.checkId === 'FW201')!.message).toMatch(/blocked by azurerm_network_security_group\.vm\.security_rule\[0\]$/);
    expect(findings('FW301')).toEqual(['azurerm_network_security_group.vm:21']);
  });

  it('satisfies the role from an IPv6-only NACL entry and reports excess on both families of a GCP rule (FW202)', () => {
    // No FW201 but the NSG's: the NACL's fd00::/8 entry and the GCP rule allow tcp/22 (the peer is not bound).
    expect(findings('FW201')).toEqual(['azurerm_network_security_group.vm:4']);
    expect(result.findings.filter((finding) => finding.checkId === 'FW202').map((finding) => finding.message.replace(/^.*allows /, ''))).toEqual([
      // Both families of the rule are written at one place (its block): one finding naming both.
      "tcp/8080 from 10.0.0.0/8, fd00::/8 beyond the vendor's advanced rule set; use instead: tcp/22 from control-portal",
    ]);
  });
});
