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

  it('keeps every variant of a flow the rule allows: DNS over TCP beside UDP, NFS beside SMB (QA h5 #2)', () => {
    // Citrix "Port 53 - DNS" is udp/53 or tcp/53, the file share SMB 445 or NFS 2049: both are permitted.
    const tf = 'resource "aws_security_group" "app" {\n  name = "al-appliance"\n  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["10.40.0.10/32"]\n  }\n}\n';
    const config = 'targets:\n  - match: ["*"]\n    profile: citrix-app-layering/appliance\n    peers:\n      active-directory: ["10.40.0.10/32"]\n';
    const fw202 = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.message).toContain('tcp/53, 389, 636 and udp/53 to 10.40.0.10/32 (active-directory); tcp/445, 2049 to file-share;');
    const replacement = String(fw202.properties.replacement);
    expect(replacement).toMatch(/from_port   = 53\n  to_port     = 53\n  protocol    = "tcp"/);
    expect(replacement).toMatch(/from_port   = 2049\n  to_port     = 2049\n  protocol    = "tcp"/);
    expect(replacement).not.toContain('satisfies this flow instead');
    // Only the flow's own variant allowed: it is written, and the note says what else would do.
    const udpOnly = tf.replace('protocol    = "-1"', 'protocol    = "udp"').replace('from_port   = 0\n    to_port     = 0', 'from_port   = 53\n    to_port     = 54');
    const dns = scanFiles({ 'main.tf': udpOnly, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    expect(dns.message).toMatch(/use instead: udp\/53 to 10\.40\.0\.10\/32 \(active-directory\)$/);
    expect(String(dns.properties.replacement)).toContain('# out/udp/53/active-directory: tcp 53 satisfies this flow instead');
  });

  it('writes each address of a peer in one replacement only, when several rules with excess allow it (QA h5 #3)', () => {
    const config = (admin: string): string => `targets:\n  - match: ["*"]\n    profile: netapp-cloud-manager/ha-mediator\n    peers:\n      admin: ${admin}\n`;
    const block = (peer: string): string => `  ingress {\n    from_port   = 22\n    to_port     = 23\n    protocol    = "tcp"\n    ${peer}\n  }\n`;
    const replacements = (blocks: string[], admin: string): Array<[string, string]> =>
      scanFiles({ 'main.tf': `resource "aws_security_group" "med" {\n  name = "m"\n${blocks.join('')}}\n`, '.fwlint.yaml': config(admin) }).findings
        .filter((finding) => finding.checkId === 'FW202')
        .map((finding) => [finding.message.replace(/^.*; (use instead|the role)/, '$1'), String(finding.properties.replacement ?? '').split('\n').filter((line) => /cidr_blocks/.test(line)).join(';')]);
    // One rule per address family, `admin` bound to both: each replacement writes its own family.
    expect(replacements([block('cidr_blocks = ["10.1.0.0/24"]'), block('ipv6_cidr_blocks = ["fd00:1::/64"]')], '["10.1.0.0/24", "fd00:1::/64"]')).toEqual([
      ['use instead: tcp/22 from 10.1.0.0/24 (admin)', '  cidr_blocks = ["10.1.0.0/24"]'],
      ['use instead: tcp/22 from fd00:1::/64 (admin)', '  ipv6_cidr_blocks = ["fd00:1::/64"]'],
    ]);
    // Both rules allow the same addresses: the first replacement writes them; the second rule is not needed, as the
    // first (or its replacement) keeps allowing them. Addresses no rule allows go to the first replacement. The second
    // says whose replacement writes its flows (QA 5/09), not that the role needs none of it.
    expect(replacements([block('cidr_blocks = ["10.1.0.0/24"]'), block('cidr_blocks = ["10.1.0.0/24"]')], '["10.1.0.0/24", "10.3.0.0/24"]')).toEqual([
      ['use instead: tcp/22 from 10.1.0.0/24, 10.3.0.0/24 (admin)', '  cidr_blocks = ["10.1.0.0/24", "10.3.0.0/24"]'],
      ["the role's flows it carries are written by the replacement of aws_security_group.med.ingress[0]; once that is applied, the role needs none of it: remove the rule", ''],
    ]);
  });

  it('on Windows, names the addresses still to allow also when a rule of the host is limited to some profiles (QA h5 #4)', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: citrix-app-layering/appliance\n    peers:\n      agent: ["10.20.0.0/24"]\n';
    const cmd = [
      'netsh advfirewall firewall add rule name="agent" dir=in action=allow protocol=TCP localport=443,8787 remoteip=10.20.0.0/25',
      'netsh advfirewall firewall add rule name="agent2" dir=in action=allow protocol=TCP localport=1-9000 remoteip=10.20.0.128/25',
      'netsh advfirewall firewall add rule name="iscsi dom" dir=in action=allow protocol=TCP localport=3260 remoteip=10.30.0.0/24 profile=domain',
      '',
    ].join('\n');
    const fw202 = scanFiles({ 'app02.cmd': cmd, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.message).toContain('tcp/443, 8787 from 10.20.0.128/25 (agent)');
    expect(fw202.properties.replacementFlows).toEqual(expect.arrayContaining([expect.objectContaining({ peer: 'agent', ports: ['443'], addresses: ['10.20.0.128/25'] })]));
    expect(String(fw202.properties.replacement)).toMatch(/localport=443 remoteip=10\.20\.0\.128\/25 /);
  });

  it('writes a pack parameter\'s value in the replacement\'s rule names and descriptions (QA h5 #7)', () => {
    const cmd = 'netsh advfirewall firewall add rule name="wide" dir=in action=allow protocol=TCP localport=24000-25000 remoteip=10.0.0.0/8\n';
    const config = 'targets:\n  - match: ["*"]\n    profile: dell-emc-scaleio/sds\n    phase: install\n    parameters: { wmi-port: 24500 }\n';
    const fw202 = scanFiles({ 'sds01.cmd': cmd, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    const replacement = String(fw202.properties.replacement);
    expect(replacement).toContain('REM phase: install; options: none; parameters: wmi-port=24500');
    expect(replacement).toContain('name="fwlint dell-emc-scaleio/sds in/tcp/24500/installer" dir=in action=allow protocol=TCP localport=24500 ');
    expect(replacement).not.toContain('{wmi-port}');
  });
});
