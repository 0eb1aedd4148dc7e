import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanResult } from '../../src/pipeline/scan';
import { runCli } from '../helpers/run-cli';
import { scanFixture } from '../helpers/scan-fixture';

/** Issue #4/#3/#6 audit cases: small inputs written to a temporary folder and scanned whole. */
function withFiles<T>(files: Record<string, string>, body: (directory: string) => T): T {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-profile-case-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), text);
    }
    return body(directory);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

async function withFilesAsync<T>(files: Record<string, string>, body: (directory: string) => Promise<T>): Promise<T> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-profile-case-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), text);
    }
    return await body(directory);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function scanFiles(files: Record<string, string>, extra: Partial<Parameters<typeof scan>[0]> = {}): ScanResult {
  return withFiles(files, (directory) => scan({ paths: ['.'], cwd: directory, today: '2026-11-23', ...extra }));
}

const messages = (result: ScanResult, check: string): string[] => result.findings.filter((finding) => finding.checkId === check).map((finding) => finding.message);

const CVO_ALL_TRAFFIC = `# fwlint:profile netapp-cloud-manager/cvo
resource "aws_security_group" "cvo" {
  name = "cvo"
  ingress {
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/24"]
  }
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

describe('NetApp CVO without the ha option (ha-partner unbound)', () => {
  it('reports FW202 on all-traffic ingress and egress; unselected ha flows are never offered as replacements', () => {
    const result = scanFiles({ 'main.tf': CVO_ALL_TRAFFIC });
    const excess = result.findings.filter((finding) => finding.checkId === 'FW202');
    expect(excess.map((finding) => finding.location.range.startLine)).toEqual([10, 16]);
    expect(excess[0]!.message).toMatch(/rule allows all traffic from 0\.0\.0\.0\/0 except .*tcp\/22, 80, 111/);
    expect(excess[0]!.message).toContain('if options snmp, ndmp, snapmirror, ontap-api-3000, ha, dhcp-replies are in use, select them and bind monitor-server, backup-server, intercluster-peers, cloud-manager, ha-partner, dhcp');
    for (const finding of excess) {
      const replacements = finding.properties.replacementFlows as Array<{ peer: string }>;
      expect(replacements.length).toBeGreaterThan(0);
      expect(replacements.map((flow) => flow.peer)).not.toContain('ha-partner');
    }
  });

  it('with ha selected and ha-partner bound, all traffic from the partner only is not excess', () => {
    const tf = CVO_ALL_TRAFFIC.replace('# fwlint:profile netapp-cloud-manager/cvo\n', '').replace(/ingress \{\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = \["0\.0\.0\.0\/0"\]/, 'ingress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["10.9.0.0/24"]');
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/cvo', options: ['ha'], peers: { 'ha-partner': ['10.9.0.0/24'] } }] });
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config });
    expect(result.findings.filter((finding) => finding.checkId === 'FW202').map((finding) => finding.location.range.startLine)).toEqual([15]);
  });
});

describe('security-group references', () => {
  const tf = `resource "aws_security_group" "cm" {
  name = "cm"
}

resource "aws_security_group" "mediator" {
  name = "mediator"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.1.0.0/24"]
  }
  ingress {
    from_port       = 3000
    to_port         = 3000
    protocol        = "tcp"
    security_groups = [aws_security_group.cm.id]
  }
  egress {
    from_port       = 80
    to_port         = 80
    protocol        = "tcp"
    security_groups = [aws_security_group.cm.id]
  }
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 53
    to_port     = 53
    protocol    = "udp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
  const mediator = { match: ['aws_security_group.mediator'], profile: 'netapp-cloud-manager/ha-mediator', peers: { admin: ['10.1.0.0/24'], 'cloud-manager': ['10.2.0.0/24'], 'aws-api': ['0.0.0.0/0'] } };

  it('a reference to the group mapped to cloud-manager stands for the cloud-manager peer\'s addresses', () => {
    const config = JSON.stringify({ targets: [mediator, { match: ['aws_security_group.cm'], profile: 'netapp-cloud-manager/cloud-manager' }] });
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config });
    const mediatorFindings = result.findings.filter((finding) => finding.targetId === 'aws_security_group.mediator' && /^FW20/.test(finding.checkId));
    expect(mediatorFindings).toEqual([]);
  });

  it('an unmapped group leaves the bound flow unconfirmed (a note), not a high "is not allowed"', () => {
    const config = JSON.stringify({ targets: [mediator] });
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config });
    const fw201 = result.findings.filter((finding) => finding.checkId === 'FW201');
    expect(fw201.map((finding) => [finding.severity, finding.message.replace(/ \(.*/, '')])).toEqual([
      ['note', 'aws_security_group.mediator'],
      ['note', 'aws_security_group.mediator'],
    ]);
    expect(fw201[0]!.message).toContain('cannot be confirmed');
    expect(fw201[0]!.message).toContain('security group aws_security_group.cm');
  });

  it('a reference is looked up in its own root module: a mapped group of the same address in another root does not answer it', () => {
    // Two root modules (folders) both define aws_security_group.cm; only the one in b/ is mapped to cloud-manager.
    const config = JSON.stringify({ targets: [mediator] });
    const other = '# fwlint:profile netapp-cloud-manager/cloud-manager\nresource "aws_security_group" "cm" {\n  name = "cm"\n}\n';
    for (const keepModel of [true, false]) {
      const result = scanFiles({ 'a/main.tf': tf, 'b/main.tf': other, '.fwlint.yaml': config }, { keepModel });
      const fw201 = result.findings.filter((finding) => finding.checkId === 'FW201' && finding.targetId === 'aws_security_group.mediator');
      expect(fw201.map((finding) => finding.severity)).toEqual(['note', 'note']);
      expect(fw201[0]!.message).toContain('security group aws_security_group.cm');
    }
  });
});

// Regression (accuracy review, gap 1): groups mapped to roles whose names are not the peers of the flows they carry.
// The HA nodes' group is mapped to cvo and the mediator's internal group to ha-mediator-internal; the internal
// group's flows have the peer ha-nodes, CVO's flows to the mediator the peer ha-mediator. A role name alone proves
// nothing about a group's members (that gave a high "is not allowed", then an "unconfirmed" note); the NetApp pack's
// `peerRoles` now says which roles' groups hold those peers, so the references confirm the flows.
describe('references between groups mapped to roles not named like the flows\' peers (NetApp CVO HA)', () => {
  const tf = `# The two Cloud Volumes ONTAP HA nodes share this group; the HA mediator instance carries two groups, the
# internal one below (all traffic with the HA nodes) and its external one (not part of this scenario).
# fwlint:profile netapp-cloud-manager/cvo options=ha
resource "aws_security_group" "cvo" {
  name   = "cvo-ha"
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    description = "Cluster: all traffic between the LIFs of the two HA nodes"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  ingress {
    description = "Ping"
    from_port   = -1
    to_port     = -1
    protocol    = "icmp"
    cidr_blocks = ["10.1.0.0/24"]
  }

  dynamic "ingress" {
    for_each = [[22, 22], [80, 80], [111, 111], [139, 139], [161, 162], [443, 443], [445, 445], [635, 635], [749, 749], [2049, 2049], [3260, 3260], [4045, 4046], [10000, 10000], [11104, 11105]]
    content {
      from_port   = ingress.value[0]
      to_port     = ingress.value[1]
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }

  dynamic "ingress" {
    for_each = [[111, 111], [161, 162], [635, 635], [2049, 2049], [4045, 4046], [4049, 4049]]
    content {
      from_port   = ingress.value[0]
      to_port     = ingress.value[1]
      protocol    = "udp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }

  egress {
    description = "Cluster: all traffic between the LIFs of the two HA nodes"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  dynamic "egress" {
    for_each = [[25, 25], [88, 88], [139, 139], [161, 162], [389, 389], [445, 445], [464, 464], [749, 749], [11104, 11105], [18600, 18699]]
    content {
      from_port   = egress.value[0]
      to_port     = egress.value[1]
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }

  dynamic "egress" {
    for_each = [[53, 53], [67, 68], [137, 138], [161, 162], [464, 464], [514, 514]]
    content {
      from_port   = egress.value[0]
      to_port     = egress.value[1]
      protocol    = "udp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }

  egress {
    description     = "ZAPI calls to the HA mediator"
    from_port       = 3000
    to_port         = 3000
    protocol        = "tcp"
    security_groups = [aws_security_group.mediator_internal.id]
  }

  egress {
    description     = "Keep-alive to the HA mediator"
    from_port       = -1
    to_port         = -1
    protocol        = "icmp"
    security_groups = [aws_security_group.mediator_internal.id]
  }
}

# fwlint:profile netapp-cloud-manager/ha-mediator-internal
resource "aws_security_group" "mediator_internal" {
  name   = "ha-mediator-internal"
  vpc_id = "vpc-0a1b2c3d"
}

resource "aws_vpc_security_group_ingress_rule" "mediator_from_nodes" {
  security_group_id            = aws_security_group.mediator_internal.id
  referenced_security_group_id = aws_security_group.cvo.id
  ip_protocol                  = "-1"
  description                  = "Communication between the HA mediator and the HA nodes"
}

resource "aws_vpc_security_group_egress_rule" "mediator_to_nodes" {
  security_group_id            = aws_security_group.mediator_internal.id
  referenced_security_group_id = aws_security_group.cvo.id
  ip_protocol                  = "-1"
  description                  = "Communication between the HA mediator and the HA nodes"
}
`;
  const config = `targets:
  - match: ["aws_security_group.cvo"]
    profile: netapp-cloud-manager/cvo
    options: [ha]
    peers: { ha-mediator: ["10.0.3.10/32"] }
  - match: ["aws_security_group.mediator_internal"]
    profile: netapp-cloud-manager/ha-mediator-internal
    peers: { ha-nodes: ["10.0.1.0/28"] }
`;

  it('the pack ties ha-nodes to cvo and ha-mediator to ha-mediator-internal: each flow is confirmed, nothing is excess', () => {
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config });
    expect(result.diagnostics).toEqual([]);
    // Before the pack's peerRoles these were four FW201 notes ("cannot be confirmed"), before that four high FW201.
    expect(result.findings.filter((finding) => /^FW20/.test(finding.checkId)).map((finding) => finding.message)).toEqual([]);
    // The rest of the scan: the vendor's all-traffic rules with the HA nodes are FW102's business, not the profile's.
    expect(result.findings.filter((finding) => !/^FW20/.test(finding.checkId)).map((finding) => [finding.checkId, finding.location.range.startLine])).toEqual([
      ['FW102', 97],
      ['FW102', 104],
    ]);
  });

  it('with the cvo peer bound for the internal group, its references are judged on those addresses', () => {
    const bound = config.replace('peers: { ha-nodes: ["10.0.1.0/28"] }', 'peers: { ha-nodes: ["10.0.1.0/28"], cvo: ["10.0.1.0/29"] }');
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': bound });
    const internal = result.findings.filter((finding) => /^FW20/.test(finding.checkId) && finding.targetId === 'aws_security_group.mediator_internal');
    expect(internal.map((finding) => [finding.severity, finding.message.replace(/ \(Communication.*/, '')])).toEqual([
      ['high', 'aws_security_group.mediator_internal (netapp-cloud-manager/ha-mediator-internal): all traffic from 10.0.1.8/29'],
      ['high', 'aws_security_group.mediator_internal (netapp-cloud-manager/ha-mediator-internal): all traffic to 10.0.1.8/29'],
    ]);
  });
});

// Regression (accuracy review, gap 2): ports that ScaleIO needs from the installer during install and from the
// other cluster hosts in operation (9011, 6611, 7072) were never FW203, even when a rule still allowed them from the
// installer's address in the operate phase.
describe('ScaleIO in the operate phase: installer access on ports the cluster keeps using', () => {
  const mdm = `REM ScaleIO MDM after installation; the installer's rules were never removed.
REM fwlint:profile dell-emc-scaleio/mdm phase=operate
netsh advfirewall firewall add rule name="ScaleIO MDM" dir=in action=allow protocol=TCP localport=6611,9011 remoteip=10.10.1.0/24
netsh advfirewall firewall add rule name="ScaleIO installer" dir=in action=allow protocol=TCP localport=135,445,6611,9011,24158 remoteip=10.10.0.5
netsh advfirewall firewall add rule name="ScaleIO cluster out" dir=out action=allow protocol=TCP remoteport=6611,7072,9011 remoteip=10.10.1.0/24
`;
  const sds = `# fwlint:profile dell-emc-scaleio/sds phase=operate
resource "aws_security_group" "sds" {
  name   = "scaleio-sds"
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    description = "SDS communication: the cluster and the installer"
    from_port   = 7072
    to_port     = 7072
    protocol    = "tcp"
    cidr_blocks = ["10.10.1.0/24", "10.10.0.5/32"]
  }

  dynamic "egress" {
    for_each = [6611, 7072]
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["10.10.1.0/24"]
    }
  }
}
`;
  const config = (peers: Record<string, string[]>): string =>
    JSON.stringify({
      targets: [
        { match: ['mdm01'], profile: 'dell-emc-scaleio/mdm', phase: 'operate', peers },
        { match: ['aws_security_group.sds'], profile: 'dell-emc-scaleio/sds', phase: 'operate', peers },
      ],
    });
  const bothBound = { installer: ['10.10.0.5/32'], 'scaleio-nodes': ['10.10.1.0/24'] };
  const profileFindings = (result: ScanResult) => result.findings.filter((finding) => /^FW20/.test(finding.checkId));

  it('with installer and scaleio-nodes bound, FW203 names the installer\'s addresses on those ports, beside the install-only ports', () => {
    const result = scanFiles({ 'mdm01.cmd': mdm, 'sds.tf': sds, '.fwlint.yaml': config(bothBound) });
    expect(result.diagnostics).toEqual([]);
    const findings = profileFindings(result);
    expect(findings.map((finding) => [finding.checkId, finding.severity, finding.location.file, finding.location.range.startLine, finding.message])).toEqual([
      // 6611 is "Technically not needed for installation" (seed l.41): from the installer it is beyond the role.
      [
        'FW202',
        'medium',
        'mdm01.cmd',
        4,
        "mdm01 (dell-emc-scaleio/mdm): rule allows tcp/6611 from 10.10.0.5/32 beyond the vendor's advanced rule set; the role needs none of it: remove the rule",
      ],
      [
        'FW203',
        'medium',
        'mdm01.cmd',
        4,
        "mdm01 (dell-emc-scaleio/mdm) is in the operate phase but still allows tcp/135, 445, 24158; tcp/9011 from 10.10.0.5/32 (installer), tcp/135, 445, 24158 needed only during installation; tcp/9011 needed from installer only during installation, in operation from scaleio-nodes only (RPC endpoint mapper to establish the installer's initial WMI connection; SMB used by the installer to copy the ScaleIO installation files to the host; Fixed WMI port for the installer's WMI session after the RPC handshake; MDM communication used by the installer to configure the MDM)",
      ],
      [
        'FW203',
        'medium',
        'sds.tf',
        6,
        'aws_security_group.sds (dell-emc-scaleio/sds) is in the operate phase but still allows tcp/7072 from 10.10.0.5/32 (installer), needed from installer only during installation, in operation from scaleio-nodes only (SDS communication used by the installer to configure the SDS)',
      ],
    ]);
    expect(findings.filter((finding) => finding.checkId === 'FW203').map((finding) => finding.properties)).toEqual([
      {
        profile: 'dell-emc-scaleio/mdm',
        traffic: 'tcp/135, 445, 24158; tcp/9011 from 10.10.0.5/32 (installer)',
        ports: '135, 445, 9011, 24158',
        open: [
          { traffic: 'tcp/135, 445, 24158', ports: '135, 445, 24158', addresses: 'any', peer: null },
          { traffic: 'tcp/9011 from 10.10.0.5/32 (installer)', ports: '9011', addresses: '10.10.0.5/32', peer: 'installer' },
        ],
        flows: ['in/tcp/135/installer', 'in/tcp/445/installer', 'in/tcp/{wmi-port}/installer', 'in/tcp/9011/installer'],
      },
      {
        profile: 'dell-emc-scaleio/sds',
        traffic: 'tcp/7072 from 10.10.0.5/32 (installer)',
        ports: '7072',
        open: [{ traffic: 'tcp/7072 from 10.10.0.5/32 (installer)', ports: '7072', addresses: '10.10.0.5/32', peer: 'installer' }],
        flows: ['in/tcp/7072/installer'],
      },
    ]);
  });

  it('with scaleio-nodes unbound (any address may be a cluster host), or in the install phase, those ports are not reported', () => {
    const unbound = profileFindings(scanFiles({ 'mdm01.cmd': mdm, 'sds.tf': sds, '.fwlint.yaml': config({ installer: ['10.10.0.5/32'] }) }));
    expect(unbound.map((finding) => [finding.checkId, finding.properties.traffic])).toEqual([['FW203', 'tcp/135, 445, 24158']]);
    const install = profileFindings(scanFiles({ 'mdm01.cmd': mdm, 'sds.tf': sds, '.fwlint.yaml': config(bothBound) }, { phase: 'install' }));
    expect(install.filter((finding) => finding.checkId === 'FW203')).toEqual([]);
  });
});

describe('unresolved peers', () => {
  it('a variable peer on a bound flow gives an FW201 note, not a high finding', () => {
    const tf = `variable "portal" {}
# fwlint:profile lumen-cloud/linux
resource "aws_security_group" "l" {
  name = "l"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.portal]
  }
}
`;
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/linux', peers: { 'control-portal': ['10.5.0.0/24'] } }] });
    const fw201 = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW201');
    expect(fw201).toHaveLength(1);
    expect(fw201[0]!.severity).toBe('note');
    expect(fw201[0]!.message).toMatch(/tcp\/22 from 10\.5\.0\.0\/24 .* cannot be confirmed: .* var\.portal cannot be resolved statically/);
  });
});

describe('FW202 message and replacements', () => {
  it('NACL: prints the rule minus what is permitted or denied earlier, and every replacement', () => {
    const tf = `# fwlint:profile netapp-cloud-manager/ha-mediator
resource "aws_network_acl" "med" {
  vpc_id = "vpc-1"
  ingress {
    rule_no    = 90
    action     = "deny"
    protocol   = "tcp"
    from_port  = 3000
    to_port    = 3000
    cidr_block = "10.2.0.0/25"
  }
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 0
    to_port    = 65535
    cidr_block = "10.0.0.0/8"
  }
}
`;
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/ha-mediator', peers: { admin: ['10.1.0.0/24'], 'cloud-manager': ['10.2.0.0/24'] } }] });
    const fw202 = messages(scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }), 'FW202');
    // A NACL is stateless (QA 3/07): the replies of the egress flows to cloud-manager and to aws-api (unbound: any
    // address) come in on tcp/1024-65535, which the role needs too, and the advice names their return entries.
    expect(fw202).toEqual([
      'aws_network_acl.med (netapp-cloud-manager/ha-mediator): rule allows tcp/all ports from 10.0.0.0/8 except tcp/22 from 10.1.0.0/24, tcp/1024-65535 from 10.0.0.0/8 beyond the vendor\'s advanced rule set; use instead: tcp/22 from 10.1.0.0/24 (admin); tcp/3000 from 10.2.0.0/24 (cloud-manager); for the replies (a NACL is stateless): tcp/1024-65535 from 10.2.0.0/24 (cloud-manager); tcp/1024-65535 from aws-api',
    ]);
  });

  it('CloudFormation implicit egress: says there is no rule to remove', () => {
    const yaml = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # fwlint:profile lumen-cloud/linux
  LinuxSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: linux
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/24 }
`;
    const fw202 = messages(scanFiles({ 't.yaml': yaml }), 'FW202');
    expect(fw202.length).toBeGreaterThan(0);
    for (const message of fw202) {
      expect(message).toContain('the platform\'s implicit egress (the group lists no egress rule)');
      expect(message).not.toContain('remove the rule');
    }
    // QA h5 #5: the group is not a rule resource; its replacement is items for the group's SecurityGroupEgress.
    const mediator = scanFixture('examples/cloudformation').findings.find((finding) => finding.checkId === 'FW202')!;
    const replacement = String(mediator.properties.replacement);
    expect(replacement).toMatch(/^# fwlint: replaces the implicit egress of MediatorSG with the advanced rules/);
    expect(replacement).toContain('# MediatorSG lists no egress rule, so AWS allows all egress: add these items to its SecurityGroupEgress list');
    expect(replacement).not.toMatch(/rule resource|GroupId/);
  });
});

describe('Windows firewall profiles', () => {
  const binding = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24'] } }] });

  it('FW201 names the profiles a flow is missing on', () => {
    const cmd = 'netsh advfirewall firewall add rule name="WinRM" dir=in action=allow protocol=TCP localport=5985 remoteip=10.0.0.0/24 profile=domain\n';
    const fw201 = messages(scanFiles({ 'w.cmd': cmd, '.fwlint.yaml': binding }), 'FW201');
    expect(fw201).toEqual([expect.stringMatching(/tcp\/5985 from 10\.0\.0\.0\/24 \(WinRM.*\) is not allowed on the Private and Public profiles$/)]);
  });

  it('FW201 with a block on Public only: not allowed on the Public profile, blocked by the rule', () => {
    const cmd = [
      'netsh advfirewall firewall add rule name="WinRM" dir=in action=allow protocol=TCP localport=5985 remoteip=10.0.0.0/24',
      'netsh advfirewall firewall add rule name="Block WinRM public" dir=in action=block protocol=TCP localport=5985 remoteip=any profile=public',
      '',
    ].join('\n');
    const fw201 = messages(scanFiles({ 'w.cmd': cmd, '.fwlint.yaml': binding }), 'FW201');
    expect(fw201).toEqual([expect.stringMatching(/is not allowed on the Public profile; blocked by "Block WinRM public"/)]);
  });

  it('FW202 and FW203 name the profiles of a profile-limited rule', () => {
    const cmd = [
      'REM fwlint:profile dell-emc-scaleio/sds phase=operate',
      'netsh advfirewall firewall add rule name="SMB" dir=in action=allow protocol=TCP localport=445 remoteip=10.10.0.5 profile=public',
      'netsh advfirewall firewall add rule name="Wide" dir=in action=allow protocol=TCP localport=7000-7100 remoteip=10.10.0.0/16 profile=domain,private',
      '',
    ].join('\n');
    const result = scanFiles({ 'h.cmd': cmd });
    expect(messages(result, 'FW203')).toEqual([expect.stringMatching(/still allows tcp\/445 on the Public profile, needed only during installation/)]);
    const fw202 = result.findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202.map((finding) => finding.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/rule allows tcp\/7000-7071, 7073-7100 from 10\.10\.0\.0\/16 on the Domain and Private profiles beyond/)]),
    );
  });
});

describe('user rule packs are validated even when no target maps to a role (issue #3)', () => {
  const brokenPack = `id: my-pack
title: Mine
vendor: Me
productVersion: "1"
source: doc.txt
peers:
  admin: admins
roles:
  web:
    title: Web
    description: web server
    flows:
      - direction: inbound
        protocol: tcp
        ports: ["22"]
        peer: admin
        purpose: ssh
`;
  const plain = 'resource "aws_security_group" "a" {\n  name = "a"\n}\n';

  it('--rules with a broken pack is exit 2 naming the file, the JSON pointer and the problem', async () => {
    await withFilesAsync({ 'main.tf': plain, 'packs/x.yaml': brokenPack }, async (directory) => {
      const run = await runCli(['scan', '.', '--rules', 'packs'], directory);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toMatch(/packs\/x\.yaml\n\s+13:\d+\s+error\s+\/roles\/web\/flows\/0\/direction: must be one of in, out/);
    });
  });

  it('rulePacks in the config with a broken pack is exit 2 too', async () => {
    await withFilesAsync({ 'main.tf': plain, 'packs/x.yaml': brokenPack, '.fwlint.yaml': 'rulePacks: ["./packs"]\n' }, async (directory) => {
      const run = await runCli(['scan', '.'], directory);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toContain('packs/x.yaml');
    });
  });

  it('a valid user pack with no target mapped changes nothing', async () => {
    const good = brokenPack.replace('direction: inbound', 'direction: in');
    await withFilesAsync({ 'main.tf': plain, 'packs/x.yaml': good }, async (directory) => {
      const run = await runCli(['scan', '.', '--rules', 'packs'], directory);
      expect(run.code).toBe(0);
    });
  });
});

// Regression (QA h6 item 4): a `peerRoles` entry listing several roles (the schema allows it, no shipped pack has one)
// made a reference to the group of one of them stand for all of the peer's addresses, so FW201 took the flow from
// every node as allowed while the group holds only the nodes of its own role.
describe('a pack whose peerRoles entry lists several roles', () => {
  const pack = (roles: string): string => `id: cluster
title: Test cluster
vendor: Example
productVersion: "1.0"
source: example.txt
peers:
  nodes: Every node of the cluster, of both roles
peerRoles:
  nodes: [${roles}]
roles:
  gateway:
    title: Gateway
    description: Receives replication from every node
    flows:
      - { direction: in, protocol: tcp, ports: ["7000"], peer: nodes, purpose: replication }
  storage:
    title: Storage node
    description: A node
    flows:
      - { direction: out, protocol: tcp, ports: ["7000"], peer: nodes, purpose: replication }
  compute:
    title: Compute node
    description: A node
    flows:
      - { direction: out, protocol: tcp, ports: ["7000"], peer: nodes, purpose: replication }
`;
  const tf = `resource "aws_security_group" "gateway" {
  name = "gateway"
  ingress {
    from_port       = 7000
    to_port         = 7000
    protocol        = "tcp"
    security_groups = [aws_security_group.storage.id]
  }
}

resource "aws_security_group" "storage" {
  name = "storage"
  egress {
    from_port   = 7000
    to_port     = 7000
    protocol    = "tcp"
    cidr_blocks = ["10.0.1.0/24"]
  }
}
`;
  const config = `rulePacks: ["./packs"]\ntargets:\n${['gateway', 'storage'].map((role) => `  - match: ["aws_security_group.${role}"]\n    profile: cluster/${role}\n    peers:\n      nodes: ["10.0.1.0/24"]\n`).join('')}`;
  const gatewayFw201 = (roles: string): string[] =>
    scanFiles({ 'main.tf': tf, 'packs/cluster.yaml': pack(roles), '.fwlint.yaml': config }).findings
      .filter((finding) => finding.checkId === 'FW201' && finding.targetId === 'aws_security_group.gateway')
      .map((finding) => `${finding.severity} ${finding.message}`);

  it('a reference to the storage group does not confirm the flow from every node (compute nodes are not in it)', () => {
    expect(gatewayFw201('storage, compute')).toEqual([expect.stringMatching(/^note .*tcp\/7000 from 10\.0\.1\.0\/24 \(replication\) cannot be confirmed: .*security group aws_security_group\.storage/)]);
    // Held by the storage role alone, the storage group stands for all the nodes, as before.
    expect(gatewayFw201('storage')).toEqual([]);
  });
});

describe('mapping: precedence, --phase/--option without --profile, config peer errors', () => {
  const sds = 'REM fwlint:profile dell-emc-scaleio/sds\nnetsh advfirewall firewall add rule name="RPC" dir=in action=allow protocol=TCP localport=135 remoteip=10.10.0.5\n';

  it('--phase without --profile applies to targets mapped in the source', () => {
    expect(messages(scanFiles({ 'h.cmd': sds }), 'FW203')).toEqual([]);
    expect(messages(scanFiles({ 'h.cmd': sds }, { phase: 'operate' }), 'FW203')).toEqual([expect.stringContaining('still allows tcp/135')]);
  });

  it('--option without --profile is added to the mapped options, and an unknown one is an error', () => {
    const result = scanFiles({ 'h.cmd': sds }, { options: ['bogus'] });
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual(expect.arrayContaining([expect.stringContaining("unknown option 'bogus'")]));
  });

  it('--phase with no mapped target is a warning, not silence', () => {
    const result = scanFiles({ 'main.tf': 'resource "aws_security_group" "a" {\n  name = "a"\n}\n' }, { phase: 'operate' });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code])).toEqual([['warning', 'usage/profile']]);
  });

  it('--profile wins over a config entry, which wins over an in-source comment; config peers apply under --profile', () => {
    const tf = '# fwlint:profile lumen-cloud/windows\nresource "aws_security_group" "a" {\n  name = "a"\n}\n';
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/linux', peers: { 'control-portal': ['10.5.0.0/24'] } }] });
    const refs = (result: ScanResult): string[] => [...new Set(result.findings.filter((f) => f.checkId === 'FW201').map((f) => f.properties.profile as string))];
    expect(refs(scanFiles({ 'main.tf': tf }))).toEqual(['lumen-cloud/windows']);
    expect(refs(scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }))).toEqual(['lumen-cloud/linux']);
    const forced = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }, { profile: 'lumen-cloud/windows' });
    expect(refs(forced)).toEqual(['lumen-cloud/windows']);
    expect(messages(forced, 'FW201')).toEqual([expect.stringContaining('tcp/5985 from 10.5.0.0/24')]);
  });

  it('unknown peer names warn and bad CIDRs are errors, both at their line in the config, even under --profile', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/linux\n    peers:\n      control-portl: ["10.0.0.0/8"]\n      control-portal: ["10.0.0.300/8"]\n';
    for (const extra of [{}, { profile: 'lumen-cloud/linux' }]) {
      const result = scanFiles({ 'main.tf': 'resource "aws_security_group" "a" {\n  name = "a"\n}\n', '.fwlint.yaml': config }, extra);
      const peers = result.diagnostics.filter((diagnostic) => diagnostic.code === 'config/peer');
      expect(peers.map((diagnostic) => [diagnostic.file, diagnostic.severity, diagnostic.range?.startLine])).toEqual([
        ['.fwlint.yaml', 'warning', 5],
        ['.fwlint.yaml', 'error', 6],
      ]);
      expect(peers[0]!.message).toContain('/targets/0/peers/control-portl: unknown peer "control-portl"');
      expect(peers[1]!.message).toContain('/targets/0/peers/control-portal/0');
    }
  });
});

describe('pack errors about a mapping name where the mapping is written', () => {
  const place = (result: ScanResult): Array<[string, string, number | undefined, number | undefined]> =>
    result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('packs/')).map((diagnostic) => [diagnostic.code, diagnostic.file, diagnostic.range?.startLine, diagnostic.range?.startColumn]);
  const groups = 'resource "aws_security_group" "a" {\n  name = "a"\n}\nresource "aws_security_group" "l" {\n  name = "l"\n}\n';

  it('config: unknown role, option and parameter at the line of the value, with its JSON pointer', () => {
    const config = 'targets:\n  - match: ["aws_security_group.l"]\n    profile: dell-emc-scaleio/sdss\n  - match: ["aws_security_group.a"]\n    profile: dell-emc-scaleio/sds\n    options: [bogus]\n    parameters: { wmi-prt: 30000 }\n';
    const result = scanFiles({ 'main.tf': groups, '.fwlint.yaml': config });
    expect(place(result)).toEqual([
      ['packs/unknown-role', '.fwlint.yaml', 3, 14],
      ['packs/unknown-option', '.fwlint.yaml', 6, 15],
      ['packs/unknown-parameter', '.fwlint.yaml', 7, 28],
    ]);
    const texts = result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('packs/')).map((diagnostic) => diagnostic.message);
    expect(texts[0]).toMatch(/^\/targets\/0\/profile: unknown role 'sdss'/);
    expect(texts[2]).toMatch(/^\/targets\/1\/parameters\/wmi-prt: unknown parameter 'wmi-prt'/);
  });

  it('config parameters keep their line under --profile; a bad --option concerns no file', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: dell-emc-scaleio/sds\n    parameters:\n      wmi-prt: 30000\n';
    expect(place(scanFiles({ 'main.tf': groups, '.fwlint.yaml': config }, { profile: 'dell-emc-scaleio/sds' }))).toEqual([['packs/unknown-parameter', '.fwlint.yaml', 5, 16]]);
    const flagged = scanFiles({ 'main.tf': '# fwlint:profile dell-emc-scaleio/sds\n' + groups }, { options: ['bogus'] });
    expect(place(flagged)).toEqual([['packs/unknown-option', '', undefined, undefined]]);
  });

  // Regression (QA 14 item 03): an unknown --profile role was reported once per target ("2 input errors" for one typo).
  it('a bad --profile, and a config entry with a bad role mapping several targets, are one error each', () => {
    // The demo's network.tf: its module holds targets mapped by other comments (cloud-manager.tf).
    expect(place(scanFixture('demo/network.tf', { profile: 'lumen-cloud/nope' }))).toEqual([['packs/unknown-role', '--profile', undefined, undefined]]);
    const config = 'targets:\n  - match: ["*"]\n    profile: dell-emc-scaleio/sdss\n';
    expect(place(scanFiles({ 'main.tf': groups, '.fwlint.yaml': config }))).toEqual([['packs/unknown-role', '.fwlint.yaml', 3, 14]]);
  });

  it('annotation: unknown role or option at the fwlint:profile comment of the source file', () => {
    const tf = '# fwlint:profile dell-emc-scaleio/sdss\nresource "aws_security_group" "a" {\n  name = "a"\n}\n\n# fwlint:profile netapp-cloud-manager/cvo options=bogus\nresource "aws_security_group" "b" {\n  name = "b"\n}\n';
    expect(place(scanFiles({ 'main.tf': tf }))).toEqual([
      ['packs/unknown-role', 'main.tf', 1, 1],
      ['packs/unknown-option', 'main.tf', 6, 1],
    ]);
  });

  // Regression (QA h6 item 2): a comment naming an unknown option beside a known one still mapped the target, with
  // the known option (48 findings, the ha-partner FW201s among them), where the README says it maps nothing.
  it('annotation: a comment with an unknown option maps nothing (the error stays); a tag still maps; a bad --option is not the comment\'s', () => {
    const profiled = (result: ScanResult): string[] => [...new Set(result.findings.filter((f) => f.checkId.startsWith('FW2')).map((f) => `${f.targetId} ${String(f.properties.profile)}`))];
    const comment = scanFiles({ 'main.tf': '# fwlint:profile netapp-cloud-manager/cvo options=ha,vsphere\nresource "aws_security_group" "a" {\n  name = "a"\n}\n' });
    expect(place(comment)).toEqual([['packs/unknown-option', 'main.tf', 1, 1]]);
    expect(comment.findings).toEqual([]);
    const netsh = scanFiles({ 'h.cmd': 'REM fwlint:profile dell-emc-scaleio/sds options=bogus\nnetsh advfirewall firewall add rule name="x" dir=in action=allow protocol=TCP localport=7072 remoteip=10.0.0.0/8\n' });
    expect(place(netsh)).toEqual([['packs/unknown-option', 'h.cmd', 1, 1]]);
    expect(profiled(netsh)).toEqual([]);
    // The same settings in a tag: an error too, but a tag maps what it can.
    const tag = scanFiles({ 'main.tf': 'resource "aws_security_group" "a" {\n  name = "a"\n  tags = { "fwlint:profile" = "netapp-cloud-manager/cvo options=ha,vsphere" }\n}\n# fwlint:profile netapp-cloud-manager/cvo options=ha,vsphere\nresource "aws_security_group" "b" {\n  name = "b"\n}\n' });
    expect(place(tag)).toEqual([['packs/unknown-option', 'main.tf', 3, 3], ['packs/unknown-option', 'main.tf', 5, 1]]);
    expect(profiled(tag)).toEqual(['aws_security_group.a netapp-cloud-manager/cvo']);
    // An unknown --option is the flag's error: the comment, itself correct, still maps.
    const flagged = scanFiles({ 'main.tf': '# fwlint:profile lumen-cloud/linux\nresource "aws_security_group" "a" {\n  name = "a"\n}\n' }, { options: ['bogus'] });
    expect(place(flagged)).toEqual([['packs/unknown-option', '', undefined, undefined]]);
    expect(profiled(flagged)).toEqual(['aws_security_group.a lumen-cloud/linux']);
  });
});

describe('FW202 replacement rendered in the rule\'s own format', () => {
  it('netsh and CloudFormation findings carry properties.replacement with the advanced rules', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24'] } }] });
    const cmd = 'netsh advfirewall firewall add rule name="All TCP" dir=in action=allow protocol=TCP localport=1-65535 remoteip=10.0.0.0/8\n';
    const netsh = scanFiles({ 'w.cmd': cmd, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    expect(netsh.properties.replacement).toMatch(/netsh advfirewall firewall add rule .*dir=in .*localport=5985 .*remoteip=10\.0\.0\.0\/24/);
    const yaml = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  W:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: w\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 10.0.0.0/8 }\n      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/24 }\n';
    const cfn = scanFiles({ 't.yaml': yaml, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202' && finding.location.range.startLine === 8)!;
    expect(cfn.properties.replacement).toMatch(/^- IpProtocol: "tcp"\n  FromPort: 5985\n  ToPort: 5985\n  CidrIp: "10\.0\.0\.0\/24"/m);
  });

  // The replacement takes the flagged rule's place: it must say nothing about the other direction (a whole group
  // with only the replaced direction would shut egress the role needs).
  const MEDIATOR = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  # fwlint:profile netapp-cloud-manager/ha-mediator\n  MedSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: l\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 10.0.0.0/8 }\n      SecurityGroupEgress:\n        - { IpProtocol: "-1", CidrIp: 0.0.0.0/0 }\n';
  const MEDIATOR_PEERS = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/ha-mediator', peers: { admin: ['10.1.0.0/24'], 'cloud-manager': ['10.2.0.0/24'] } }] });

  it('CloudFormation: an ingress replacement is SecurityGroupIngress items only, with no egress and no group', () => {
    const result = scanFiles({ 't.yaml': MEDIATOR });
    const ingress = result.findings.find((finding) => finding.checkId === 'FW202' && finding.location.range.startLine === 9)!;
    const text = String(ingress.properties.replacement);
    expect(text).not.toMatch(/SecurityGroupEgress|Disallow all traffic|AWS::EC2::SecurityGroup|AWSTemplateFormatVersion|fwlint:profile/);
    expect(text).toContain('# SecurityGroupIngress items:');
    expect(text).toMatch(/^- IpProtocol: "tcp"\n  FromPort: 22\n  ToPort: 22\n  CidrIp: !Ref AdminCidr$/m);
    expect(text).toContain('#   AdminCidr: { Type: String');
    const egress = result.findings.find((finding) => finding.checkId === 'FW202' && finding.location.range.startLine === 11)!;
    const egressText = String(egress.properties.replacement);
    expect(egressText).not.toMatch(/SecurityGroupIngress|AWS::EC2::SecurityGroup/);
    expect(egressText).toMatch(/^- IpProtocol: "udp"\n  FromPort: 53\n/m);
  });

  it('CloudFormation: the items spliced in place of the flagged item leave the ingress clean and the egress untouched', () => {
    const first = scanFiles({ 't.yaml': MEDIATOR, '.fwlint.yaml': MEDIATOR_PEERS });
    const ingress = first.findings.find((finding) => finding.checkId === 'FW202' && finding.location.range.startLine === 9)!;
    const items = String(ingress.properties.replacement).split('\n').filter((line) => line.length > 0 && !line.startsWith('#')).map((line) => `        ${line}`);
    const lines = MEDIATOR.split('\n');
    lines.splice(8, 1, ...items);
    const second = scanFiles({ 't.yaml': lines.join('\n'), '.fwlint.yaml': MEDIATOR_PEERS });
    expect(second.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    const fw202 = second.findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202.map((finding) => finding.ruleId)).toEqual(['MedSG.SecurityGroupEgress[0]']);
  });

  it('Terraform: an ingress replacement is ingress blocks only and says nothing about egress', () => {
    const tf = '# fwlint:profile netapp-cloud-manager/cvo\nresource "aws_security_group" "cvo" {\n  name = "cvo"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/cvo', peers: { admin: ['10.1.0.0/24'] } }] });
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config });
    const text = String(result.findings.find((finding) => finding.checkId === 'FW202')!.properties.replacement);
    expect(text).not.toMatch(/outbound|egress|resource "aws_security_group"|variable "vpc_id"|fwlint:profile/i);
    expect(text).toMatch(/^ingress \{\n  description = "SSH[^\n]*\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = \["10\.1\.0\.0\/24"\]\n\}$/m);
  });

  it('Terraform: a standalone rule resource gets resources of its type; netsh gets add-rule lines only', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows' }] });
    const tf = 'resource "aws_security_group" "w" {\n  name = "w"\n}\nresource "aws_security_group_rule" "all" {\n  type              = "ingress"\n  security_group_id = aws_security_group.w.id\n  from_port         = 0\n  to_port           = 65535\n  protocol          = "tcp"\n  cidr_blocks       = ["10.0.0.0/8"]\n}\n';
    const rule = String(scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!.properties.replacement);
    expect(rule).toContain('# aws_security_group_rule.all is a rule resource: these resources of its type take its place.');
    expect(rule).toContain('#   variable "control_portal_cidrs" { type = list(string) }');
    expect(rule).toMatch(/^resource "aws_security_group_rule" "all_1" \{\n {2}type {14}= "ingress"\n {2}security_group_id = aws_security_group\.w\.id\n[\s\S]*\n {2}cidr_blocks {7}= var\.control_portal_cidrs\n\}$/m);
    const cmd = 'netsh advfirewall firewall add rule name="All TCP" dir=in action=allow protocol=TCP localport=1-65535 remoteip=10.0.0.0/8\n';
    const netsh = String(scanFiles({ 'w.cmd': cmd, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!.properties.replacement);
    const lines = netsh.trimEnd().split('\n');
    expect(lines.filter((line) => !line.startsWith('REM '))).toEqual([expect.stringMatching(/^netsh advfirewall firewall add rule name="fwlint lumen-cloud\/windows in\/tcp\/5985\/control-portal" dir=in .*remoteip=%FWLINT_PEER_CONTROL_PORTAL%/)]);
    expect(netsh).not.toMatch(/@echo off|fwlint:profile/);
  });

  it('netsh: the replacement keeps the rule\'s profiles and conditions, so it opens nothing the rule did not', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24'] } }] });
    const replacement = (cmd: string): string[] => String(scanFiles({ 'w.cmd': cmd, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!.properties.replacement)
      .trimEnd().split('\n').filter((line) => !line.startsWith('REM '));
    expect(replacement('netsh advfirewall firewall add rule name="All TCP" dir=in action=allow protocol=TCP localport=1-65535 remoteip=10.0.0.0/8 profile=domain,private program="C:\\Program Files\\Agent\\agent.exe" interfacetype=lan\n'))
      .toEqual([expect.stringMatching(/ localport=5985 remoteip=10\.0\.0\.0\/24 profile=domain,private program="C:\\Program Files\\Agent\\agent\.exe" interfacetype=lan description="/)]);
    // On every profile and without conditions, nothing is added.
    expect(replacement('netsh advfirewall firewall add rule name="All TCP" dir=in action=allow protocol=TCP localport=1-65535 remoteip=10.0.0.0/8 profile=any\n'))
      .toEqual([expect.stringMatching(/ remoteip=10\.0\.0\.0\/24 description="/)]);
  });

  // QA h5 #1: Azure NSG rules got AWS `ingress {}` blocks. A replacement spliced in place of the flagged rule must
  // parse as the rule's own format and leave the NSG clean, in the same place of the evaluation order.
  const splice = (text: string, range: { startLine: number; endLine: number }, fragment: string, indent: string): string => {
    const lines = text.split('\n');
    lines.splice(range.startLine - 1, range.endLine - range.startLine + 1, ...fragment.trimEnd().split('\n').map((line) => `${indent}${line}`));
    return lines.join('\n');
  };
  const nsgRule = (name: string, priority: number, direction: string, access: string, protocol: string, ports: string, source: string, destination: string): string =>
    `  security_rule {\n    name                       = "${name}"\n    priority                   = ${priority}\n    direction                  = "${direction}"\n    access                     = "${access}"\n    protocol                   = "${protocol}"\n    source_port_range          = "*"\n    destination_port_range     = "${ports}"\n    source_address_prefix      = "${source}"\n    destination_address_prefix = "${destination}"\n  }\n`;

  it('Azure: an inline security_rule is replaced by security_rule blocks at priorities that keep its place', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'citrix-app-layering/appliance', peers: { 'active-directory': ['10.40.0.10/32'] } }] });
    const tf = `resource "azurerm_network_security_group" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${
      nsgRule('ldap', 110, 'Outbound', 'Allow', 'Tcp', '389', '*', '10.40.0.10')}${
      nsgRule('dns', 120, 'Outbound', 'Allow', '*', '53-54', '*', '10.40.0.10')}${
      nsgRule('deny-ad-web', 130, 'Outbound', 'Deny', '*', '*', '*', '10.40.0.10')}}\n`;
    const fw202 = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    const text = String(fw202.properties.replacement);
    expect(text).not.toMatch(/ingress|egress|from_port|cidr_blocks|security_group_id/);
    expect(text).toContain('# Priorities 120-121: the replaced rule\'s 120 and free numbers next to it, between the NSG\'s outbound rules at 110 and 130');
    expect(text).toMatch(/^security_rule \{\n  name += "fwlint-out-udp-53-active-directory-120"\n  priority += 120\n  direction += "Outbound"\n  access += "Allow"\n  protocol += "Udp"\n  source_port_range += "\*"\n  destination_port_range += "53"\n  source_address_prefix += "\*"\n  destination_address_prefix = "10\.40\.0\.10\/32"\n/m);
    const fixed = scanFiles({ 'main.tf': splice(tf, fw202.location.range, text, '  '), '.fwlint.yaml': config });
    expect(fixed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fixed.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW302' || finding.checkId === 'FW301')).toEqual([]);
    // Too few free numbers between the neighbours: rules of one protocol and peer are merged, and if that is not
    // enough, the comment says to renumber.
    const tight = scanFiles({ 'main.tf': tf.replace('= 110', '= 119').replace('= 130', '= 121'), '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    expect(String(tight.properties.replacement)).toContain('# Priorities: only 1 free number next to the replaced rule\'s 120, between the NSG\'s outbound rules at 119 and 121; renumber');
    // A rule with several prefixes, every one of them excess (one finding): the fragment replaces the whole block,
    // so it takes the block's number (QA s13 #13: it was 121-122, "its other prefixes keep that one").
    const prefixes = tf.replace(/(name += "dns"[\s\S]*?)destination_address_prefix = "10\.40\.0\.10"/, '$1destination_address_prefixes = ["10.40.0.10", "10.50.0.10"]');
    const both = scanFiles({ 'main.tf': prefixes, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(both.map((finding) => finding.message)).toEqual([expect.stringMatching(/to 10\.40\.0\.10\/32; tcp\/53-54 to 10\.50\.0\.10\/32; .* use instead:/)]);
    expect(String(both[0]!.properties.replacement)).toContain('# Priorities 120-121: the replaced rule\'s 120 and free numbers next to it');
    // One prefix of a rule with several replaced, another one needed as it is: the rule keeps its number for that one.
    const inbound = JSON.stringify({ targets: [{ match: ['*'], profile: 'citrix-app-layering/appliance', peers: { admin: ['10.8.0.5/32'], agent: ['10.9.1.0/24'], 'compositing-machine': ['10.9.2.0/24'] } }] });
    const web = `resource "azurerm_network_security_group" "app" {\n  name                = "app"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${
      nsgRule('web', 120, 'Inbound', 'Allow', 'Tcp', '443', '10.8.0.5', '*').replace('source_address_prefix      = "10.8.0.5"', 'source_address_prefixes    = ["10.8.0.5", "10.9.0.0/16"]')}${
      nsgRule('deny', 121, 'Inbound', 'Deny', '*', '*', '*', '*')}}\n`;
    const one = scanFiles({ 'main.tf': web, '.fwlint.yaml': inbound }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(one.map((finding) => finding.message)).toEqual([expect.stringMatching(/rule allows tcp\/443 from 10\.9\.0\.0\/16 except .* use instead of 10\.9\.0\.0\/16:/)]);
    expect(String(one[0]!.properties.replacement)).toContain('# Priorities 118-119: free numbers next to the replaced rule\'s 120 (its other prefixes keep that one), before the NSG\'s inbound rule at 121');
  });

  // Regression (QA s13 #13): with every prefix of a source_address_prefixes rule excess, the fragment (which replaces
  // the whole block) took the other prefix's rule as keeping the priority: "only 0 free numbers … renumber", and a
  // number after the Deny next to it, so applying it blocked the required WinRM flow (FW201).
  it('Azure: a rule all of whose prefixes are replaced gives its own priority to the fragment', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.1.0/24', '10.0.2.0/24'] } }] });
    const tf = `resource "azurerm_network_security_group" "vm" {\n  name                = "vm"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${
      nsgRule('mgmt', 100, 'Inbound', 'Allow', 'Tcp', '5985', '10.0.0.0/16', '*').replace(/source_address_prefix      = "10\.0\.0\.0\/16"/, 'source_address_prefixes    = ["10.0.0.0/16", "192.168.0.0/16"]')}${
      nsgRule('deny-private-mgmt', 101, 'Inbound', 'Deny', 'Tcp', '5985', '10.0.0.0/8', '*')}}\n`;
    expect(tf).toContain('source_address_prefixes    = ["10.0.0.0/16", "192.168.0.0/16"]');
    const fw202 = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202).toHaveLength(1);
    const text = String(fw202[0]!.properties.replacement);
    expect(text).toContain("# Priority 100: the replaced rule's own, so this allow rule takes its place");
    expect(text).not.toMatch(/renumber|other prefixes keep/);
    const fixed = scanFiles({ 'main.tf': splice(tf, fw202[0]!.location.range, text, '  '), '.fwlint.yaml': config });
    expect(fixed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fixed.findings.filter((finding) => finding.checkId === 'FW201' || finding.checkId === 'FW202' || finding.checkId === 'FW301')).toEqual([]);
  });

  it('Azure: a standalone azurerm_network_security_rule is replaced by resources naming the same NSG', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.50.0.0/24'] } }] });
    const tf = 'resource "azurerm_network_security_group" "vm" {\n  name                = "win"\n  location            = "westeurope"\n  resource_group_name = "rg"\n}\n\nresource "azurerm_network_security_rule" "winrm" {\n  name                        = "winrm"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "5985-5986"\n  source_address_prefix       = "10.50.0.0/24"\n  destination_address_prefix  = "10.60.0.4"\n  resource_group_name         = "rg"\n  network_security_group_name = azurerm_network_security_group.vm.name\n}\n';
    const fw202 = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    const text = String(fw202.properties.replacement);
    expect(text).not.toMatch(/ingress|security_group_id|rule resource: write one rule resource per block/);
    expect(text).toContain('# Priority 100: the replaced rule\'s own');
    expect(text).toMatch(/^resource "azurerm_network_security_rule" "winrm_in_tcp_5985_control_portal_100" \{\n[\s\S]*  destination_port_range      = "5985"\n  source_address_prefix       = "10\.50\.0\.0\/24"\n  destination_address_prefix  = "10\.60\.0\.4"\n[\s\S]*  resource_group_name         = "rg"\n  network_security_group_name = azurerm_network_security_group\.vm\.name\n\}$/m);
    const fixed = scanFiles({ 'main.tf': `${tf.slice(0, tf.indexOf('resource "azurerm_network_security_rule"'))}${text}`, '.fwlint.yaml': config });
    expect(fixed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fixed.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW201')).toEqual([]);
  });

  // Regression (QA s13 qa-7 item 11): the fragment for an azurerm_network_security_rule (which says "write these
  // resources in its place") dropped the prefix the message says to keep, and took 102, after the Deny at 101: written
  // in its place, it blocked the required SSH flow (FW201). It now writes the kept prefix again, at the rule's number.
  it('Azure: a rule resource with one prefix replaced writes the kept prefix again, at its own priority', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/linux', peers: { 'control-portal': ['10.1.0.0/24', '192.168.5.0/24'] } }] });
    const resource = (name: string, priority: number, access: string, source: string): string =>
      `resource "azurerm_network_security_rule" "${name}" {\n  name                        = "${name}"\n  priority                    = ${priority}\n  direction                   = "Inbound"\n  access                      = "${access}"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "22"\n  ${source}\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = azurerm_network_security_group.vm.name\n}\n`;
    const group = 'resource "azurerm_network_security_group" "vm" {\n  name                = "vm-nsg"\n  location            = "westeurope"\n  resource_group_name = "rg"\n}\n';
    const ssh = resource('ssh', 100, 'Allow', 'source_address_prefixes     = ["10.0.0.0/8", "192.168.5.0/24"]');
    const deny = resource('deny', 101, 'Deny', 'source_address_prefix       = "*"');
    const fw202 = scanFiles({ 'main.tf': `${group}${ssh}${deny}`, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202.map((finding) => finding.message)).toEqual([expect.stringContaining('use instead of 10.0.0.0/8: tcp/22 from 10.1.0.0/24 (control-portal); keep 192.168.5.0/24')]);
    const text = String(fw202[0]!.properties.replacement);
    expect(text).toContain("# Priority 100: the replaced rule's own");
    expect(text).toContain('  source_address_prefixes     = ["10.1.0.0/24", "192.168.5.0/24"]\n');
    expect(text).not.toMatch(/renumber|priority {20}= 102/);
    const fixed = scanFiles({ 'main.tf': `${group}${text}${deny}`, '.fwlint.yaml': config });
    expect(fixed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fixed.findings.filter((finding) => /^FW(201|202|301)$/.test(finding.checkId))).toEqual([]);
    // An inline security_rule keeps its number for the prefix that stays: no number is free before the Deny, said so
    // (it read "only 0 free numbers").
    const inline = `resource "azurerm_network_security_group" "vm" {\n  name                = "vm-nsg"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${
      nsgRule('ssh', 100, 'Inbound', 'Allow', 'Tcp', '22', '10.0.0.0/8', '*').replace('source_address_prefix      = "10.0.0.0/8"', 'source_address_prefixes    = ["10.0.0.0/8", "192.168.5.0/24"]')}${
      nsgRule('deny', 101, 'Inbound', 'Deny', 'Tcp', '22', '*', '*')}}\n`;
    const block = scanFiles({ 'main.tf': inline, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    expect(String(block.properties.replacement)).toContain("# Priorities: no free number next to the replaced rule's 100, before the NSG's inbound rule at 101; renumber");
  });

  // Regression (QA h6 item 3a): an unresolved destination (inbound) was written as `*` in the replacement, widening the
  // rules to every address of the NSG; it is now a placeholder Azure rejects, with a comment naming the expression.
  it('Azure: the replaced rule\'s own side that could not be resolved is a placeholder, never "*"', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/linux', peers: { 'control-portal': ['10.50.0.0/24'] } }] });
    const nsg = (destination: string): string => `resource "azurerm_network_security_group" "vm" {\n  name                = "vm"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${
      nsgRule('all-tcp', 200, 'Inbound', 'Allow', 'Tcp', '*', '10.50.0.0/24', 'DESTINATION').replace(/destination_address_prefix = "DESTINATION"/, destination)}}\n`;
    const replacementOf = (destination: string): string =>
      String(scanFiles({ 'main.tf': nsg(destination), '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!.properties.replacement);
    const unresolved = replacementOf('destination_address_prefix = data.azurerm_subnet.app.address_prefix');
    expect(unresolved).toMatch(/^  destination_address_prefix = "<the replaced rule's destination>"$/m);
    expect(unresolved).toContain("# The replaced rule's destination (data.azurerm_subnet.app.address_prefix) is not resolved: put it in place of \"<the replaced rule's destination>\"");
    expect(unresolved).not.toMatch(/destination_address_prefix += "\*"/);
    // With a resolved prefix beside it, both are kept.
    expect(replacementOf('destination_address_prefixes = ["10.60.0.4", var.extra_host]')).toMatch(/^  destination_address_prefixes = \["10\.60\.0\.4", "<the replaced rule's destination>"\]$/m);
    // Resolved, as before: the prefix as written.
    expect(replacementOf('destination_address_prefix = "10.60.0.4"')).toMatch(/^  destination_address_prefix = "10\.60\.0\.4"$/m);
  });

  // Regression: the replacement wrote `Icmp` for an ICMP flow bound to an IPv6 peer, and the Azure reader took `Icmp`
  // as ICMPv4 only, so the applied fix left the flow missing (FW201) and its rule "never takes effect" (FW301).
  it('Azure: the Icmp rule of a replacement for an IPv6 peer carries ICMPv6, as Azure\'s Icmp does', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/cvo', peers: { admin: ['2001:db8:1::/64'] } }] });
    const tf = `resource "azurerm_network_security_group" "cvo" {\n  name                = "cvo"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${
      nsgRule('admin', 100, 'Inbound', 'Allow', '*', '*', '2001:db8:1::/64', '*')}}\n`;
    const fw202 = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config }).findings.find((finding) => finding.checkId === 'FW202')!;
    const text = String(fw202.properties.replacement);
    expect(text).toMatch(/^security_rule \{\n  name += "fwlint-in-icmp-admin-ipv6-100"\n[\s\S]*?  protocol += "Icmp"\n[\s\S]*?  source_address_prefix += "2001:db8:1::\/64"\n/m);
    const fixed = scanFiles({ 'main.tf': splice(tf, fw202.location.range, text, '  '), '.fwlint.yaml': config });
    expect(fixed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    const inbound = fixed.findings.filter((finding) => finding.checkId === 'FW301' || (finding.checkId === 'FW201' && / from /.test(finding.message)));
    expect(inbound.map((finding) => finding.message)).toEqual([]);
  });

  it('NACL and GCP firewall rules get no replacement text and no SARIF fix rather than security group syntax', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/linux', peers: { 'control-portal': ['10.50.0.0/24'] } }] });
    const nacl = 'resource "aws_network_acl" "edge" {\n  vpc_id = "vpc-1"\n  ingress {\n    rule_no    = 100\n    action     = "allow"\n    protocol   = "tcp"\n    cidr_block = "10.50.0.0/24"\n    from_port  = 22\n    to_port    = 23\n  }\n}\n';
    const gcp = 'resource "google_compute_firewall" "ssh" {\n  name          = "ssh"\n  network       = "mgmt"\n  source_ranges = ["10.50.0.0/24"]\n  allow {\n    protocol = "tcp"\n    ports    = ["22-23"]\n  }\n}\n';
    const cfn = 'Resources:\n  Acl:\n    Type: AWS::EC2::NetworkAcl\n    Properties: { VpcId: vpc-1 }\n  In:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: false, CidrBlock: 10.50.0.0/24, PortRange: { From: 22, To: 23 } }\n';
    for (const files of [{ 'main.tf': nacl }, { 'main.tf': gcp }, { 't.yaml': cfn }] as Array<Record<string, string>>) {
      const fw202 = scanFiles({ ...files, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW202');
      expect(fw202.map((finding) => finding.message)).toEqual([expect.stringMatching(/use instead: tcp\/22 from 10\.50\.0\.0\/24 \(control-portal\)$/)]);
      expect(fw202[0]!.properties.replacement).toBeUndefined();
      expect(fw202[0]!.fixes ?? []).toEqual([]);
    }
  });
});
