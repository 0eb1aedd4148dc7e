import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';

function scanFiles(files: Record<string, string>, profile?: string): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-replacement-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(directory, name), text);
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', ...(profile ? { profile } : {}) });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('FW202 replacements and wording', () => {
  it('keeps the flow a too-wide rule carries through an alternative port, as that alternative (never "remove the rule")', () => {
    // Citrix agent with Hyper-V: disk download 3012 (HTTP) or 3512 (HTTPS), upload 3015 or 3515; the rule opens 3012-3015.
    const result = scanFiles({
      'agent.yaml': [
        'Resources:',
        '  AgentSG:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: agent',
        '      Tags: [{ Key: "fwlint:profile", Value: "citrix-app-layering/agent options=hyper-v" }]',
        '      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 8016, ToPort: 8016, CidrIp: 10.5.0.10/32 }]',
        '      SecurityGroupEgress:',
        '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.5.0.10/32 }',
        '        - { IpProtocol: tcp, FromPort: 8787, ToPort: 8787, CidrIp: 10.5.0.10/32 }',
        '        - { IpProtocol: tcp, FromPort: 3012, ToPort: 3015, CidrIp: 10.5.0.10/32 }',
        '',
      ].join('\n'),
    });
    const excess = result.findings.filter((finding) => finding.checkId === 'FW202');
    expect(excess.map((finding) => finding.message)).toEqual([
      'AgentSG (citrix-app-layering/agent): rule allows tcp/3013-3014 to 10.5.0.10/32 beyond the vendor\'s advanced rule set; use instead: tcp/3012, 3015 to appliance',
    ]);
  });

  it('calls a rule the vendor\'s basic rule only when it goes to any address', () => {
    const result = scanFiles({
      'cm.tf': [
        '# fwlint:profile netapp-cloud-manager/cloud-manager',
        'resource "aws_security_group" "cm" {',
        '  egress {',
        '    from_port   = 0',
        '    to_port     = 0',
        '    protocol    = "-1"',
        '    cidr_blocks = ["10.0.0.0/8"]',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const excess = result.findings.filter((finding) => finding.checkId === 'FW202');
    expect(excess).toHaveLength(1);
    expect(excess[0]!.message).not.toMatch(/basic rule/);
    expect(excess[0]!.message).toMatch(/^aws_security_group\.cm \(netapp-cloud-manager\/cloud-manager\): rule allows all traffic to 10\.0\.0\.0\/8 except/);
  });

  it('on Windows, keeps a flow that a clean rule carries on other profiles only', () => {
    // WinRM 5985 is allowed on Domain by a clean rule; on Private and Public only the too-wide rule carries it.
    const result = scanFiles(
      {
        'win02.cmd': [
          'netsh advfirewall firewall add rule name="winrm dom" dir=in action=allow protocol=TCP localport=5985 remoteip=10.0.0.0/24 profile=domain',
          'netsh advfirewall firewall add rule name="winrm all" dir=in action=allow protocol=TCP localport=5980-5990 remoteip=10.0.0.0/24 profile=private,public',
          '',
        ].join('\n'),
      },
      'lumen-cloud/windows',
    );
    const excess = result.findings.filter((finding) => finding.checkId === 'FW202').map((finding) => finding.message);
    expect(excess).toHaveLength(1);
    expect(excess[0]).toMatch(/on the Private and Public profiles beyond the vendor's advanced rule set; use instead: tcp\/5985 from control-portal$/);
  });

  it('names only the addresses of a peer that other rules do not already allow', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: netapp-cloud-manager/ha-mediator\n    peers:\n      admin: ["10.1.0.0/24", "10.3.0.0/24"]\n      cloud-manager: ["10.2.0.0/24"]\n';
    const group = (first: string): string => [
      'resource "aws_security_group" "med" {',
      '  ingress {',
      '    from_port   = 22',
      '    to_port     = 22',
      '    protocol    = "tcp"',
      `    cidr_blocks = ${first}`,
      '  }',
      '  ingress {',
      '    from_port   = 0',
      '    to_port     = 0',
      '    protocol    = "-1"',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
      '}',
      '',
    ].join('\n');
    const fw202 = (first: string) => scanFiles({ 'main.tf': group(first), '.fwlint.yaml': config }).findings
      .find((finding) => finding.checkId === 'FW202' && finding.ruleId?.startsWith('aws_security_group.med.ingress[1]'))!;
    // ingress[0] allows SSH from one of admin's two subnets: the replacement adds the other one only.
    const partly = fw202('["10.1.0.0/24"]');
    expect(partly.message).toMatch(/use instead: tcp\/22 from 10\.3\.0\.0\/24 \(admin\); tcp\/3000 from 10\.2\.0\.0\/24 \(cloud-manager\)$/);
    expect(String(partly.properties.replacement)).toMatch(/from_port   = 22\n[^}]*cidr_blocks = \["10\.3\.0\.0\/24"\]/);
    expect(partly.properties.replacementFlows).toEqual([
      expect.objectContaining({ peer: 'admin', addresses: ['10.3.0.0/24'] }),
      expect.not.objectContaining({ addresses: expect.anything() }),
    ]);
    // Allowed from neither or from both subnets: the whole peer, or no SSH block at all.
    expect(fw202('["192.0.2.0/24"]').message).toMatch(/use instead: tcp\/22 from 10\.1\.0\.0\/24, 10\.3\.0\.0\/24 \(admin\);/);
    expect(fw202('["10.1.0.0/24", "10.3.0.0/24"]').message).toMatch(/use instead: tcp\/3000 from 10\.2\.0\.0\/24 \(cloud-manager\)$/);
  });

  it('does not count ICMPv6 among what an IPv4-only rule is allowed (ICMPv6 runs between IPv6 addresses only)', () => {
    const tf = '# fwlint:profile netapp-cloud-manager/cvo\nresource "aws_security_group" "c" {\n  ingress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["10.1.0.0/24"]\n  }\n}\n';
    const message = scanFiles({ 'main.tf': tf }).findings.find((finding) => finding.checkId === 'FW202')!.message;
    expect(message).toMatch(/rule allows all traffic from 10\.1\.0\.0\/24 except icmp \(all types\) and tcp\/22, /);
    expect(message).not.toContain('icmpv6');
    // A permitted "all traffic" stays all traffic (ICMPv6 is not taken out of it).
    const mediator = '# fwlint:profile netapp-cloud-manager/ha-mediator-internal\nresource "aws_security_group" "m" {\n  ingress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["10.114.0.0/16"]\n  }\n}\n';
    const config = 'targets:\n  - match: ["*"]\n    profile: netapp-cloud-manager/ha-mediator-internal\n    peers:\n      ha-nodes: ["10.114.0.0/24"]\n';
    expect(scanFiles({ 'main.tf': mediator, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!.message)
      .toMatch(/rule allows all traffic from 10\.114\.0\.0\/16 except all traffic from 10\.114\.0\.0\/24 beyond/);
  });
});
