import { scanFixture } from '../helpers/scan-fixture';

describe('FW202 fixes', () => {
  it('offers the vendor\'s advanced rules as a replacement for an over-broad Terraform block', () => {
    const result = scanFixture('checks/FW202/terraform/bad-lumen-windows-all-tcp.tf');
    const fw202 = result.findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.fixes).toHaveLength(1);
    const fix = fw202.fixes![0]!;
    expect(fix.deleted).toEqual(expect.objectContaining({ startLine: 6, startColumn: 3 }));
    expect(fix.insertedText).toMatch(/^ingress \{\n {4}description += "WinRM[^\n]*\n {4}from_port += 5985\n {4}to_port += 5985\n {4}protocol += "tcp"\n {4}cidr_blocks = var\.control_portal_cidrs\n {2}\}$/);
  });
});
