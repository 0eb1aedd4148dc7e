import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanFixture } from '../helpers/scan-fixture';

let directory = '';
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fixes-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

/** A config that binds the Lumen control-portal peer, so the replacement is complete code. */
function bindControlPortal(): string {
  const file = path.join(directory, '.fwlint.yaml');
  fs.writeFileSync(file, 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/windows\n    peers:\n      control-portal: ["10.5.0.0/24"]\n');
  return file;
}

describe('FW202 fixes', () => {
  it('offers the vendor\'s advanced rules as a replacement for an over-broad Terraform block', () => {
    const result = scanFixture('checks/FW202/terraform/bad-lumen-windows-all-tcp.tf', { configFile: bindControlPortal() });
    const fw202 = result.findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.fixes).toHaveLength(1);
    const fix = fw202.fixes![0]!;
    expect(fix.deleted).toEqual(expect.objectContaining({ startLine: 6, startColumn: 3 }));
    expect(fix.insertedText).toMatch(/^ingress \{\n {4}description += "WinRM[^\n]*\n {4}from_port += 5985\n {4}to_port += 5985\n {4}protocol += "tcp"\n {4}cidr_blocks = \["10\.5\.0\.0\/24"\]\n {2}\}$/);
  });

  it('offers no edit when a peer of the replacement is unbound (it would name an undeclared variable); the rendering stays in properties', () => {
    const result = scanFixture('checks/FW202/terraform/bad-lumen-windows-all-tcp.tf');
    const fw202 = result.findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.fixes ?? []).toEqual([]);
    expect(String(fw202.properties.replacement)).toContain('variable "control_portal_cidrs"');
  });
});
