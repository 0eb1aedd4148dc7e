import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../../src/pipeline/scan';

/** EC2 masks host bits of a CIDR (`192.168.1.10/0` is created as `0.0.0.0/0`): fwlint judges what EC2 creates. */
describe('CloudFormation CIDRs with host bits set', () => {
  const template = [
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: t',
    '      SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }]',
    '      SecurityGroupIngress:',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 192.168.1.10/0 }',
    '        - { IpProtocol: tcp, FromPort: 24, ToPort: 24, CidrIp: 10.0.0.0/33 }',
    '        - { IpProtocol: tcp, FromPort: 25, ToPort: 25, CidrIp: junk }',
    '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'fwlint-host-bits-'));
  writeFileSync(join(dir, 'sg.yaml'), template);
  const result = scan({ paths: ['sg.yaml'], cwd: dir, today: '2026-11-23' });

  it('is a warning naming the network address, and the masked rule is checked (SSH open to the world)', () => {
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}: ${d.message}`)).toEqual([
      'warning parse/cfn-cidr-host-bits 8: Sg.SecurityGroupIngress[0]: CidrIp "192.168.1.10/0" has host bits set; EC2 uses the network address 0.0.0.0/0, which is what is checked',
      'error parse/cfn-bad-cidr 9: Sg.SecurityGroupIngress[1]: prefix length /33 is out of range 0-32 in "10.0.0.0/33"',
      'error parse/cfn-bad-cidr 10: Sg.SecurityGroupIngress[2]: invalid IPv4 address "junk"',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`)).toEqual([
      'FW101 critical Sg allows ingress from 0.0.0.0/0 on tcp/22',
    ]);
  });
});
