import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPacks, resolveRole } from '../../src/packs';
import { scan } from '../../src/pipeline/scan';

/**
 * Choices the packs make where the seed documents are ambiguous, checked by scanning what users write:
 * ScaleIO's roles agree with one another (whatever one role accepts from `scaleio-nodes`, the cluster's hosts, every
 * role may send there, but 9011, "Required for MDM and TB communication", only the MDMs and the TB send) and its
 * MDM needs no 6611 from the installer ("Technically not needed for installation"); NetApp's CVO does not require
 * tcp/3000 from Cloud Manager, which its inbound table omits; Citrix's "Port 53 - DNS" is satisfied by udp/53 alone.
 */
const packs = loadPacks([]).value;
const pack = packs.find((candidate) => candidate.id === 'dell-emc-scaleio')!;
const roles = Object.keys(pack.roles);

function scanFiles(files: Record<string, string>): ReturnType<typeof scan> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-scaleio-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(directory, name), text);
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('dell-emc-scaleio roles are consistent', () => {
  const inbound = roles.flatMap((role) => pack.roles[role]!.flows.filter((flow) => flow.direction === 'in' && flow.peer === 'scaleio-nodes'));
  const outbound = roles.flatMap((role) => pack.roles[role]!.flows.filter((flow) => flow.direction === 'out'));

  // Seed l.45: "9011: Required for MDM and TB communication"; 6611 and 7072 name only their listener (l.41, l.43).
  const sendersOf = (port: string): string[] => (port === '9011' ? ['mdm', 'tb'] : roles);

  test.each(roles)('%s sends to scaleio-nodes on every port another role accepts from them that it may open, in the same phase', (role) => {
    const flows = pack.roles[role]!.flows.filter((flow) => flow.direction === 'out' && flow.peer === 'scaleio-nodes');
    for (const end of inbound) {
      const sent = flows.filter((flow) => flow.protocol === end.protocol && flow.ports.join() === end.ports.join() && flow.phase === end.phase);
      expect([end.ports.join(), sent.length]).toEqual([end.ports.join(), sendersOf(end.ports.join()).includes(role) ? 1 : 0]);
    }
  });

  test('an SDS or SDC that opens tcp/9011 to the cluster is told it is beyond the role; one without it lacks nothing', () => {
    for (const role of ['sds', 'sdc']) {
      const config = JSON.stringify({ targets: [{ match: ['*'], profile: `dell-emc-scaleio/${role}`, phase: 'operate', peers: { 'scaleio-nodes': ['10.20.0.0/24'] } }] });
      const egress = (ports: number[]) =>
        terraformGroup(role, `dell-emc-scaleio/${role} phase=operate`, [
          ...(role === 'sds' ? [['ingress', 'tcp', 7072, 7072, '10.20.0.0/24'] as ['ingress', string, number, number, string]] : []),
          ...ports.map((port) => ['egress', 'tcp', port, port, '10.20.0.0/24'] as ['egress', string, number, number, string]),
        ]);
      const withMdmPort = scanFiles({ 'main.tf': egress([6611, 7072, 9011]), '.fwlint.yaml': config }).findings;
      expect(withMdmPort.filter((finding) => finding.checkId === 'FW202').map((finding) => finding.message)).toEqual([
        `aws_security_group.${role} (dell-emc-scaleio/${role}): rule allows tcp/9011 to 10.20.0.0/24 beyond the vendor's advanced rule set; the role needs none of it: remove the rule`,
      ]);
      const without = scanFiles({ 'main.tf': egress([6611, 7072]), '.fwlint.yaml': config }).findings;
      expect(without.filter((finding) => finding.checkId === 'FW201' || finding.checkId === 'FW202').map((finding) => finding.message)).toEqual([]);
    }
  });

  test('no role sends on a port that no role accepts from scaleio-nodes', () => {
    for (const flow of outbound) {
      expect(inbound.some((end) => end.protocol === flow.protocol && end.ports.join() === flow.ports.join())).toBe(true);
    }
  });

  test('an SDC reaching the SDSs on 7072 and the MDM on 6611 is not told to remove those rules', () => {
    const result = scanFiles({
      'sdc01.cmd': [
        'REM fwlint:profile dell-emc-scaleio/sdc phase=operate',
        'netsh advfirewall firewall add rule name="to-sds" dir=out action=allow protocol=TCP remoteport=7072 remoteip=10.20.0.0/24',
        'netsh advfirewall firewall add rule name="to-mdm" dir=out action=allow protocol=TCP remoteport=6611 remoteip=10.20.0.0/24',
        '',
      ].join('\n'),
      '.fwlint.yaml': JSON.stringify({ targets: [{ match: ['*'], profile: 'dell-emc-scaleio/sdc', phase: 'operate', peers: { 'scaleio-nodes': ['10.20.0.0/24'] } }] }),
    });
    expect(result.findings.filter((finding) => finding.checkId === 'FW202')).toEqual([]);
    // Windows allows outbound by default, so 9011 is not missing either.
    expect(result.findings.filter((finding) => finding.checkId === 'FW201')).toEqual([]);
  });
});

describe('ScaleIO MDM 6611: in the install list (l.11), but "Technically not needed for installation" (l.41)', () => {
  test('the install phase of mdm requires 135, 445, WMI and 9011 from the installer, not 6611', () => {
    const install = resolveRole(packs, 'dell-emc-scaleio/mdm', { phase: 'install' }).value!;
    expect(install.flows.filter((flow) => flow.direction === 'in' && flow.peer === 'installer').map((flow) => flow.ports.toString())).toEqual(['135', '445', '24158', '9011']);
  });

  test('an MDM set up as l.41 says (no 6611 to the installer) lacks nothing while installing', () => {
    const rules = [135, 445, 24158, 9011].map(
      (port) => `netsh advfirewall firewall add rule name="p${port}" dir=in action=allow protocol=TCP localport=${port} remoteip=10.0.0.5`,
    );
    const install = scanFiles({
      'mdm01.cmd': rules.join('\n') + '\n',
      '.fwlint.yaml': JSON.stringify({ targets: [{ match: ['*'], profile: 'dell-emc-scaleio/mdm', phase: 'install', peers: { installer: ['10.0.0.5/32'], 'scaleio-nodes': ['10.20.0.0/24'] } }] }),
    });
    expect(install.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.message)).toEqual([
      'mdm01 (dell-emc-scaleio/mdm): tcp/9011 from 10.20.0.0/24 (MDM and tie-breaker communication, needed during install and after) is not allowed',
    ]);
  });

  test('an MDM opened to the installer exactly as the document lists gets no FW202, and 6611 stays out of FW203', () => {
    const rules = [135, 445, 24158, 9011, 6611].map(
      (port) => `netsh advfirewall firewall add rule name="p${port}" dir=in action=allow protocol=TCP localport=${port} remoteip=10.0.0.5`,
    );
    const install = scanFiles({
      'mdm01.cmd': rules.join('\n') + '\n',
      '.fwlint.yaml': JSON.stringify({ targets: [{ match: ['*'], profile: 'dell-emc-scaleio/mdm', phase: 'install', peers: { installer: ['10.0.0.5/32'] } }] }),
    });
    expect(install.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW201').map((finding) => finding.message)).toEqual([]);
    const operate = scanFiles({
      'mdm01.cmd': rules.join('\n') + '\n',
      '.fwlint.yaml': JSON.stringify({ targets: [{ match: ['*'], profile: 'dell-emc-scaleio/mdm', phase: 'operate', peers: { installer: ['10.0.0.5/32'] } }] }),
    });
    const installOnly = operate.findings.filter((finding) => finding.checkId === 'FW203').map((finding) => finding.message);
    expect(installOnly).toHaveLength(3);
    expect(installOnly.join('\n')).not.toContain('6611');
  });
});

function terraformGroup(name: string, profile: string, rules: Array<[direction: 'ingress' | 'egress', protocol: string, from: number, to: number, cidr: string]>): string {
  const blocks = rules.map(
    ([direction, protocol, from, to, cidr]) =>
      `  ${direction} {\n    from_port   = ${from}\n    to_port     = ${to}\n    protocol    = "${protocol}"\n    cidr_blocks = ["${cidr}"]\n  }`,
  );
  return `# fwlint:profile ${profile}\nresource "aws_security_group" "${name}" {\n${blocks.join('\n')}\n}\n`;
}

describe('NetApp CVO tcp/3000 from Cloud Manager (not in the CVO inbound table)', () => {
  // The vendor's predefined CVO group: the inbound table from 0.0.0.0/0 and the basic outbound rules.
  const inbound: Array<[string, number, number]> = [
    ['icmp', -1, -1], ['tcp', 80, 80], ['tcp', 443, 443], ['tcp', 22, 22], ['tcp', 111, 111], ['tcp', 139, 139], ['tcp', 161, 162],
    ['tcp', 445, 445], ['tcp', 635, 635], ['tcp', 749, 749], ['tcp', 2049, 2049], ['tcp', 3260, 3260], ['tcp', 4045, 4046],
    ['tcp', 10000, 10000], ['tcp', 11104, 11105], ['udp', 111, 111], ['udp', 161, 162], ['udp', 635, 635], ['udp', 2049, 2049],
    ['udp', 4045, 4046], ['udp', 4049, 4049],
  ];
  const predefined = terraformGroup('cvo', 'netapp-cloud-manager/cvo', [
    ...inbound.map(([protocol, from, to]) => ['ingress', protocol, from, to, '0.0.0.0/0'] as ['ingress', string, number, number, string]),
    ['egress', 'tcp', 0, 65535, '0.0.0.0/0'],
    ['egress', 'udp', 0, 65535, '0.0.0.0/0'],
    ['egress', 'icmp', -1, -1, '0.0.0.0/0'],
  ]);
  const gaps = (files: Record<string, string>): string[] =>
    scanFiles(files).findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.message);

  test("the vendor's predefined CVO group lacks no required flow", () => {
    expect(gaps({ 'main.tf': predefined })).toEqual([]);
  });

  test('with option ontap-api-3000 the CVO must accept tcp/3000 from Cloud Manager', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/cvo', options: ['ontap-api-3000'] }] });
    const messages = gaps({ 'main.tf': predefined, '.fwlint.yaml': config });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('tcp/3000 from cloud-manager');
  });

  test('a CVO that opens tcp/3000 to Cloud Manager is not told to remove it', () => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'netapp-cloud-manager/cvo', peers: { 'cloud-manager': ['10.2.0.0/24'] } }] });
    const result = scanFiles({ 'main.tf': terraformGroup('cvo', 'netapp-cloud-manager/cvo', [['ingress', 'tcp', 3000, 3000, '10.2.0.0/24']]), '.fwlint.yaml': config });
    expect(result.findings.filter((finding) => finding.checkId === 'FW202')).toEqual([]);
  });
});

describe('Citrix appliance DNS ("Port 53 - DNS protocol", no transport named)', () => {
  const resolve = (options: string[] = []) => resolveRole(packs, 'citrix-app-layering/appliance', { options }).value!;
  const dns = (): ReturnType<typeof resolve>['flows'] => resolve().flows.filter((flow) => flow.peer === 'active-directory' && [flow, ...flow.alternatives].some((v) => v.ports.has(53)));

  test('one flow: udp/53 required, tcp/53 its alternative', () => {
    expect(dns().map((flow) => [flow.protocol, flow.ports.toString(), flow.alternatives.map((a) => `${a.protocol}/${a.ports.toString()}`)])).toEqual([
      ['udp', '53', ['tcp/53']],
    ]);
  });

  test.each([
    ['udp/53 only', [['egress', 'udp', 53, 53, '10.5.0.0/24']]],
    ['udp/53 and tcp/53', [['egress', 'udp', 53, 53, '10.5.0.0/24'], ['egress', 'tcp', 53, 53, '10.5.0.0/24']]],
  ] as const)('an appliance allowing %s to Active Directory gets neither FW201 nor FW202 for DNS', (_label, rules) => {
    const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'citrix-app-layering/appliance', peers: { 'active-directory': ['10.5.0.0/24'] } }] });
    const result = scanFiles({ 'main.tf': terraformGroup('appliance', 'citrix-app-layering/appliance', rules.map((rule) => [...rule])), '.fwlint.yaml': config });
    const about53 = result.findings.filter((finding) => (finding.checkId === 'FW201' || finding.checkId === 'FW202') && /\/53\b/.test(finding.message));
    expect(about53.map((finding) => finding.message)).toEqual([]);
  });
});

describe('NetApp optional services and sub-conditions (QA-8 items 04, 06, 07)', () => {
  const fw201 = (files: Record<string, string>): string[] =>
    scanFiles(files).findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.message.replace(/^\S+ \(netapp-cloud-manager\/\w[\w-]*\): /, ''));
  const config = (profile: string, options: string[]): string => JSON.stringify({ targets: [{ match: ['*'], profile, options }] });

  // Seed l.43: 3128 only "if your AWS network doesn't use a NAT or proxy" - its own option.
  const cloudManager = terraformGroup('cm', 'netapp-cloud-manager/cloud-manager', [
    ['ingress', 'tcp', 22, 22, '10.1.0.0/24'], ['ingress', 'tcp', 80, 80, '10.0.0.0/8'], ['ingress', 'tcp', 443, 443, '10.0.0.0/8'],
    ['egress', 'tcp', 0, 65535, '0.0.0.0/0'], ['egress', 'udp', 0, 65535, '0.0.0.0/0'],
  ]);
  test('cloud-compliance behind a NAT: no tcp/3128 required; cloud-compliance-proxy requires it', () => {
    expect(fw201({ 'main.tf': cloudManager, '.fwlint.yaml': config('netapp-cloud-manager/cloud-manager', ['cloud-compliance']) })).toEqual([]);
    expect(fw201({ 'main.tf': cloudManager, '.fwlint.yaml': config('netapp-cloud-manager/cloud-manager', ['cloud-compliance', 'cloud-compliance-proxy']) })).toEqual([
      'tcp/3128 from cloud-compliance (any address) (Internet access (proxy) for the Cloud Compliance instance when the AWS network has no NAT or proxy) is not allowed',
    ]);
  });

  // An NFS-only CVO: the client ports and management inbound, DNS and DHCP out; no domain, mail, SNMP, syslog, NDMP
  // or SnapMirror.
  const nfsOnly = terraformGroup('cvo', 'netapp-cloud-manager/cvo', [
    ['ingress', 'icmp', -1, -1, '10.1.0.0/24'], ['ingress', 'tcp', 22, 22, '10.1.0.0/24'], ['ingress', 'tcp', 80, 80, '10.1.0.0/24'], ['ingress', 'tcp', 443, 443, '10.0.0.0/8'],
    ['ingress', 'tcp', 111, 111, '10.3.0.0/16'], ['ingress', 'tcp', 139, 139, '10.3.0.0/16'], ['ingress', 'tcp', 445, 445, '10.3.0.0/16'], ['ingress', 'tcp', 635, 635, '10.3.0.0/16'],
    ['ingress', 'tcp', 749, 749, '10.3.0.0/16'], ['ingress', 'tcp', 2049, 2049, '10.3.0.0/16'], ['ingress', 'tcp', 3260, 3260, '10.3.0.0/16'], ['ingress', 'tcp', 4045, 4046, '10.3.0.0/16'],
    ['ingress', 'udp', 111, 111, '10.3.0.0/16'], ['ingress', 'udp', 635, 635, '10.3.0.0/16'], ['ingress', 'udp', 2049, 2049, '10.3.0.0/16'], ['ingress', 'udp', 4045, 4046, '10.3.0.0/16'],
    ['ingress', 'udp', 4049, 4049, '10.3.0.0/16'],
    ['egress', 'udp', 53, 53, '10.0.0.2/32'], ['egress', 'udp', 67, 67, '10.0.0.1/32'],
  ]);
  test('an NFS-only CVO with DNS and the DHCP request lacks nothing; each service option adds its flows', () => {
    expect(fw201({ 'main.tf': nfsOnly })).toEqual([]);
    expect(fw201({ 'main.tf': nfsOnly, '.fwlint.yaml': config('netapp-cloud-manager/cvo', ['smtp', 'syslog']) })).toEqual([
      'tcp/25 to mail-server (any address) (SMTP alerts, can be used for AutoSupport (node management LIF)) is not allowed',
      'udp/514 to syslog-server (any address) (Syslog forward messages (node management LIF)) is not allowed',
    ]);
    const snapmirror = fw201({ 'main.tf': nfsOnly, '.fwlint.yaml': config('netapp-cloud-manager/cvo', ['snapmirror']) });
    expect(snapmirror.map((message) => message.split(' (')[0])).toEqual(['tcp/11104 from intercluster-peers', 'tcp/11104 to intercluster-peers', 'tcp/11105 from intercluster-peers', 'tcp/11105 to intercluster-peers']);
  });

  test('DHCP port 68 is the client port in both packs: the answer comes in to it; no pack requires outbound udp/68', () => {
    const dhcpFlows = (ref: string, options: string[]): string[] =>
      resolveRole(packs, ref, { options }).value!.flows.filter((flow) => flow.peer === 'dhcp').map((flow) => `${flow.direction} ${flow.protocol}/${flow.ports.toString()}`);
    expect(dhcpFlows('citrix-app-layering/appliance', [])).toEqual(['in udp/68', 'out udp/67']);
    expect(dhcpFlows('netapp-cloud-manager/cvo', ['dhcp-replies'])).toEqual(['in udp/68', 'out udp/67']);
    // CVO's vendor-predefined group has no inbound udp/68 (a security group lets the answer in): not required there.
    expect(dhcpFlows('netapp-cloud-manager/cvo', [])).toEqual(['out udp/67']);
  });
});
