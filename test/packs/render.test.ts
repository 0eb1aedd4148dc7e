import { parseToObject } from 'hcl2-parser';
import { parse, type Tags } from 'yaml';
import { loadPacks } from '../../src/packs/load-packs';
import { RENDER_FORMATS, renderReplacement, renderRole } from '../../src/packs/render';
import { resolveRole } from '../../src/packs/resolve-role';
import type { RoleProfile } from '../../src/packs/rule-pack';

const packs = loadPacks([]).value;

function profileOf(ref: string, sel: Parameters<typeof resolveRole>[2] = {}): RoleProfile {
  const result = resolveRole(packs, ref, sel);
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

/** The short-form intrinsic functions a rendering may use, read back as their long form. */
const CFN_TAGS: Tags = [{ tag: '!Ref', resolve: (value: string) => ({ Ref: value }) }];

interface CfnRule {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string | { Ref: string };
  CidrIpv6?: string;
  Description: string;
}
interface CfnTemplate {
  Parameters: Record<string, { Type: string; Description: string }>;
  Resources: Record<string, { Type: string; Properties: { SecurityGroupIngress?: CfnRule[]; SecurityGroupEgress?: CfnRule[] } }>;
}

function readCloudFormation(text: string): CfnTemplate {
  return parse(text, { customTags: CFN_TAGS }) as CfnTemplate;
}

interface TfRule {
  from_port: number;
  to_port: number;
  protocol: string;
  cidr_blocks?: string[] | string;
  ipv6_cidr_blocks?: string[];
  description: string;
}
interface TfDocument {
  variable?: Record<string, Array<{ description: string; type: string }>>;
  resource: { aws_security_group: Record<string, Array<{ name: string; ingress?: TfRule[]; egress?: TfRule[] }>> };
}

function readTerraform(text: string): TfDocument {
  const [document, error] = parseToObject(text) as [TfDocument | null, unknown];
  expect(error).toBeNull();
  return document!;
}

describe('every built-in role renders in every format, deterministically and parseably', () => {
  const cases = packs.flatMap((pack) =>
    Object.keys(pack.roles).map((role) => [`${pack.id}/${role}`, Object.keys(pack.options)] as const),
  );
  test.each(cases)('%s', (ref, options) => {
    const profile = profileOf(ref, { options });
    for (const format of RENDER_FORMATS) {
      const text = renderRole(profile, format, { peers: {} });
      expect(renderRole(profile, format, { peers: {} })).toBe(text);
      expect(text.endsWith('\n')).toBe(true);
      expect(text).toContain(ref);
      expect(text).toContain(profile.source);
    }
    const terraform = readTerraform(renderRole(profile, 'terraform', { peers: {} }));
    const group = Object.values(terraform.resource.aws_security_group)[0]![0]!;
    const tfRules = [...(group.ingress ?? []), ...(group.egress ?? [])];
    const ranges = profile.flows.reduce((count, flow) => count + (flow.protocol === 'tcp' || flow.protocol === 'udp' ? flow.ports.ranges().length : 1), 0);
    expect(tfRules).toHaveLength(ranges);

    const cfn = readCloudFormation(renderRole(profile, 'cloudformation', { peers: {} }));
    const resource = Object.values(cfn.Resources)[0]!;
    expect(resource.Type).toBe('AWS::EC2::SecurityGroup');
    for (const rule of [...(resource.Properties.SecurityGroupIngress ?? []), ...(resource.Properties.SecurityGroupEgress ?? [])]) {
      expect(rule.Description.length).toBeLessThanOrEqual(255);
      expect(rule.Description).toMatch(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/);
      if (typeof rule.CidrIp === 'object') expect(Object.keys(cfn.Parameters)).toContain(rule.CidrIp.Ref);
    }

    const json = JSON.parse(renderRole(profile, 'json', { peers: {} })) as { flows: unknown[] };
    expect(json.flows).toHaveLength(profile.flows.length);

    for (const line of renderRole(profile, 'netsh', { peers: {} }).trimEnd().split('\n')) {
      expect(line).toMatch(/^(@echo off|REM .*|netsh advfirewall firewall add rule name="[^"%]+" dir=(in|out) action=allow protocol=\S+( (local|remote)port=[0-9,-]+)? remoteip=\S+ description="[^"%]*")$/);
    }
    // Single-quoted strings (nothing expanded), a quote in them doubled.
    const quoted = "'(?:[^'\\n]|'')*'";
    const list = `(?:\\d+|${quoted})(?:, (?:\\d+|${quoted}))*`;
    const command = new RegExp(`^New-NetFirewallRule -DisplayName ${quoted} -Direction (Inbound|Outbound) -Action Allow -Protocol (TCP|UDP|ICMPv4|ICMPv6|Any)`
      + `( -(Local|Remote)Port ${list})? -RemoteAddress (\\$[A-Za-z0-9]+Cidr|${list}) -Description ${quoted}$`);
    for (const line of renderRole(profile, 'powershell', { peers: {} }).trimEnd().split('\n')) {
      if (!line.startsWith('#')) expect(line).toMatch(command);
    }
  });
});

describe('terraform', () => {
  const sds = profileOf('dell-emc-scaleio/sds');

  test('inline ingress/egress blocks; unbound peers become declared list(string) variables', () => {
    const text = renderRole(sds, 'terraform', { peers: {} });
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# fwlint advanced rule set for dell-emc-scaleio/sds (ScaleIO SDS (data server))',
      '# phase: all (install and operate); options: none; parameters: wmi-port=24158',
      '# source: 001_bbbad23a889d8e1d.txt',
    ]);
    expect(text).toContain('# fwlint:profile dell-emc-scaleio/sds\nresource "aws_security_group" "dell_emc_scaleio_sds" {');
    expect(text).toMatch(/ingress \{\n\s+description = "SDS communication, needed during install and after \[in\/tcp\/7072\/scaleio-nodes\]"\n\s+from_port\s+= 7072\n\s+to_port\s+= 7072\n\s+protocol\s+= "tcp"\n\s+cidr_blocks = var\.scaleio_nodes_cidrs\n\s+\}/);
    expect(text).toMatch(/egress \{[^}]*from_port\s+= 7072[^}]*\}/);
    const document = readTerraform(text);
    // hcl2json sorts block labels, so the order is checked on the text.
    expect(Object.keys(document.variable!).sort()).toEqual(['installer_cidrs', 'scaleio_nodes_cidrs', 'vpc_id']);
    expect(text.indexOf('variable "installer_cidrs"')).toBeLessThan(text.indexOf('variable "scaleio_nodes_cidrs"'));
    expect(document.variable!['installer_cidrs']![0]).toEqual({
      description: 'CIDR blocks of peer installer: The server running the EMC-provided Python install script',
      type: '${list(string)}',
    });
    const group = document.resource.aws_security_group['dell_emc_scaleio_sds']![0]!;
    expect(group.ingress!.map((rule) => rule.from_port)).toEqual([135, 445, 24158, 7072, 7072]);
    expect(group.egress!.map((rule) => `${rule.protocol}/${rule.from_port}-${rule.to_port}`)).toEqual(['tcp/6611-6611', 'tcp/7072-7072']);
  });

  test('bound peers are inlined (IPv6 separately) and need no variable', () => {
    const text = renderRole(sds, 'terraform', { peers: { installer: ['10.0.0.5/32', 'fd00::/64'], 'scaleio-nodes': ['10.20.0.0/24'] } });
    const document = readTerraform(text);
    expect(Object.keys(document.variable!)).toEqual(['vpc_id']);
    const group = document.resource.aws_security_group['dell_emc_scaleio_sds']![0]!;
    expect(group.ingress![0]).toMatchObject({ cidr_blocks: ['10.0.0.5/32'], ipv6_cidr_blocks: ['fd00::/64'] });
    expect(group.ingress![4]).toMatchObject({ cidr_blocks: ['10.20.0.0/24'] });
    expect(text).toContain('    cidr_blocks      = ["10.0.0.5/32"]\n    ipv6_cidr_blocks = ["fd00::/64"]');
  });

  test('the same permission is not granted twice when peers share addresses (EC2 rejects duplicates)', () => {
    const appliance = profileOf('citrix-app-layering/appliance');
    const text = renderRole(appliance, 'terraform', { peers: { admin: ['10.1.0.0/16'], agent: ['10.1.0.0/16', '10.2.0.0/16'] } });
    const ingress = readTerraform(text).resource.aws_security_group['citrix_app_layering_appliance']![0]!.ingress!;
    const https = ingress.filter((rule) => rule.from_port === 443);
    // The agent's flow carries the admin's (its addresses hold admin's): one rule for both (QA-8 item 05).
    expect(https.map((rule) => rule.cidr_blocks)).toEqual([['10.1.0.0/16', '10.2.0.0/16'], '${var.compositing_machine_cidrs}']);
    expect(https[0]!.description).toMatch(/; also carries in\/tcp\/443\/admin\]$/);
  });

  test('all protocols are "-1" with ports 0/0, ICMP is type/code -1', () => {
    const internal = readTerraform(renderRole(profileOf('netapp-cloud-manager/ha-mediator-internal'), 'terraform', { peers: {} }));
    const group = internal.resource.aws_security_group['netapp_cloud_manager_ha_mediator_internal']![0]!;
    expect(group.ingress![0]).toMatchObject({ protocol: '-1', from_port: 0, to_port: 0 });
    expect(group.egress![0]).toMatchObject({ protocol: '-1', from_port: 0, to_port: 0 });
    const cvo = readTerraform(renderRole(profileOf('netapp-cloud-manager/cvo'), 'terraform', { peers: {} }));
    expect(cvo.resource.aws_security_group['netapp_cloud_manager_cvo']![0]!.ingress![0]).toMatchObject({ protocol: 'icmp', from_port: -1, to_port: -1 });
  });

  test('a role without outbound flows says that the group allows no egress', () => {
    const text = renderRole(profileOf('lumen-cloud/linux'), 'terraform', { peers: {} });
    expect(text).toContain('# No outbound flows: Terraform removes the default allow-all egress');
    expect(readTerraform(text).resource.aws_security_group['lumen_cloud_linux']![0]!.egress).toBeUndefined();
  });

  test('header and annotation name the phase and options', () => {
    const text = renderRole(profileOf('dell-emc-scaleio/sds', { phase: 'operate' }), 'terraform', { peers: {} });
    expect(text).toContain('# phase: operate; options: none');
    expect(text).toContain('# fwlint:profile dell-emc-scaleio/sds phase=operate\n');
    // Regression (QA h6 item 4): netapp-cloud-manager has no phases. The annotation leaves the phase out: scanning the
    // rendering warned. So does the header (it read "phase: operate" beside resolveRole's warning that the phase has no
    // effect), and the JSON's `phase`: they say what is rendered, which is every flow.
    const cvo = renderRole(resolveRole(packs, 'netapp-cloud-manager/cvo', { phase: 'operate', options: ['ha', 'backup-to-s3'] }).value!, 'terraform', { peers: {} });
    expect(cvo).toContain('# options: backup-to-s3, ha\n');
    expect(cvo).not.toMatch(/phase/);
    expect(cvo).toContain('# fwlint:profile netapp-cloud-manager/cvo options=backup-to-s3,ha\n');
    const linux = JSON.parse(renderRole(resolveRole(packs, 'lumen-cloud/linux', { phase: 'install' }).value!, 'json', { peers: {} })) as { comment: string; phase: string | null };
    expect({ comment: linux.comment, phase: linux.phase }).toEqual({ comment: 'fwlint advanced rule set for lumen-cloud/linux (Lumen Cloud Linux VM); options: none; source: 000_48a7ec884e4ea963.txt', phase: null });
    // A role with phases keeps "all (install and operate)" when none is selected.
    expect(renderRole(profileOf('dell-emc-scaleio/sds'), 'terraform', { peers: {} })).toContain('# phase: all (install and operate); options: none');
  });

  test('alternatives are noted next to the rule', () => {
    const text = renderRole(profileOf('citrix-app-layering/appliance', { options: ['azure'] }), 'terraform', { peers: {} });
    expect(text).toContain('  # in/tcp/3500/admin?azure: tcp 3000 satisfies this flow instead\n  ingress {');
  });

  test('HCL template sequences and quotes in pack text stay literal', () => {
    const profile = profileOf('lumen-cloud/linux');
    const tricky: RoleProfile = {
      ...profile,
      title: 'Title with "quotes" and ${var.x}',
      peerDescriptions: { 'control-portal': 'uses ${jndi} and %{ if } and "quotes" and back\\slash' },
    };
    const text = renderRole(tricky, 'terraform', { peers: {} });
    const document = readTerraform(text);
    expect(document.variable!['control_portal_cidrs']![0]!.description).toBe('CIDR blocks of peer control-portal: uses ${jndi} and %{ if } and "quotes" and back\\slash');
  });
});

describe('cloudformation', () => {
  test('unbound peers are String parameters referenced with !Ref', () => {
    const text = renderRole(profileOf('dell-emc-scaleio/sds'), 'cloudformation', { peers: { installer: ['10.0.0.5/32'] } });
    expect(text.startsWith('# fwlint advanced rule set for dell-emc-scaleio/sds')).toBe(true);
    expect(text).toContain('  # fwlint:profile dell-emc-scaleio/sds\n  DellEmcScaleioSdsSecurityGroup:\n    Type: AWS::EC2::SecurityGroup');
    expect(text).toContain('CidrIp: !Ref ScaleioNodesCidr');
    const template = readCloudFormation(text);
    expect(template.Parameters['ScaleioNodesCidr']!.Type).toBe('String');
    expect(template.Parameters['InstallerCidr']).toBeUndefined();
    const group = template.Resources['DellEmcScaleioSdsSecurityGroup']!.Properties;
    expect(group.SecurityGroupIngress!.map((rule) => [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIp])).toEqual([
      ['tcp', 135, 135, '10.0.0.5/32'],
      ['tcp', 445, 445, '10.0.0.5/32'],
      ['tcp', 24158, 24158, '10.0.0.5/32'],
      ['tcp', 7072, 7072, '10.0.0.5/32'],
      ['tcp', 7072, 7072, { Ref: 'ScaleioNodesCidr' }],
    ]);
    expect(group.SecurityGroupEgress!.map((rule) => [rule.IpProtocol, rule.FromPort, rule.CidrIp])).toEqual([
      ['tcp', 6611, { Ref: 'ScaleioNodesCidr' }],
      ['tcp', 7072, { Ref: 'ScaleioNodesCidr' }],
    ]);
  });

  test('one rule per bound CIDR, IPv6 as CidrIpv6; all protocols without ports', () => {
    const template = readCloudFormation(
      renderRole(profileOf('netapp-cloud-manager/ha-mediator-internal'), 'cloudformation', { peers: { 'ha-nodes': ['10.0.1.0/24', '2001:db8::/56'] } }),
    );
    const group = Object.values(template.Resources)[0]!.Properties;
    expect(group.SecurityGroupIngress).toEqual([
      { IpProtocol: '-1', CidrIp: '10.0.1.0/24', Description: expect.any(String) },
      { IpProtocol: '-1', CidrIpv6: '2001:db8::/56', Description: expect.any(String) },
    ]);
  });

  test('a role without outbound flows replaces the default allow-all egress with a rule that matches nothing', () => {
    const group = Object.values(readCloudFormation(renderRole(profileOf('lumen-cloud/windows'), 'cloudformation', { peers: {} })).Resources)[0]!.Properties;
    expect(group.SecurityGroupEgress).toEqual([
      { IpProtocol: 'icmp', FromPort: 252, ToPort: 86, CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' },
    ]);
    expect(group.SecurityGroupIngress![0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 5985, ToPort: 5985 });
  });
});

describe('netsh', () => {
  test('inbound ports are local, outbound remote; unbound peers are %FWLINT_PEER_*% placeholders listed up front', () => {
    const text = renderRole(profileOf('dell-emc-scaleio/sds', { phase: 'operate' }), 'netsh', { peers: {} });
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '@echo off',
      'REM fwlint advanced rule set for dell-emc-scaleio/sds (ScaleIO SDS (data server))',
      'REM phase: operate; options: none; parameters: wmi-port=24158',
      'REM source: 001_bbbad23a889d8e1d.txt',
    ]);
    expect(text).toContain('REM   set FWLINT_PEER_SCALEIO_NODES=...');
    expect(text).toContain('REM fwlint:profile dell-emc-scaleio/sds phase=operate\n');
    expect(text).toContain(
      'netsh advfirewall firewall add rule name="fwlint dell-emc-scaleio/sds in/tcp/7072/scaleio-nodes" dir=in action=allow protocol=TCP localport=7072 remoteip=%FWLINT_PEER_SCALEIO_NODES% description=',
    );
    expect(text).toContain('dir=out action=allow protocol=TCP remoteport=7072 remoteip=%FWLINT_PEER_SCALEIO_NODES%');
  });

  test('bound peers are address lists; ICMP and all-protocol flows carry no ports; the WMI port is substituted', () => {
    const mdm = renderRole(profileOf('dell-emc-scaleio/mdm', { parameters: { 'wmi-port': 30000 } }), 'netsh', {
      peers: { installer: ['10.0.0.5', '10.0.0.6/32'], 'scaleio-nodes': ['10.20.0.0/24'] },
    });
    expect(mdm).toContain('protocol=TCP localport=30000 remoteip=10.0.0.5,10.0.0.6/32');
    expect(mdm).not.toContain('FWLINT_PEER_');
    // QA h5 #7: names and descriptions show the value, not the placeholder; the JSON keeps the flow id as written.
    expect(mdm).toContain('name="fwlint dell-emc-scaleio/mdm in/tcp/30000/installer" dir=in');
    expect(mdm).toContain('[in/tcp/30000/installer]"');
    expect(mdm).not.toContain('{wmi-port}');
    const sdc = profileOf('dell-emc-scaleio/sdc', { phase: 'install', parameters: { 'wmi-port': 30000 } });
    expect(renderRole(sdc, 'terraform', { peers: {} })).toContain('[in/tcp/30000/installer]"');
    expect(renderRole(sdc, 'cloudformation', { peers: {} })).toContain('[in/tcp/30000/installer]"');
    expect(renderRole(sdc, 'json', { peers: {} })).toContain('"id": "in/tcp/{wmi-port}/installer"');
    const cvo = renderRole(profileOf('netapp-cloud-manager/cvo', { options: ['ha', 'ndmp'] }), 'netsh', { peers: {} });
    expect(cvo).toContain('dir=in action=allow protocol=icmpv4 remoteip=%FWLINT_PEER_ADMIN%');
    expect(cvo).toContain('dir=out action=allow protocol=any remoteip=%FWLINT_PEER_HA_PARTNER%');
    expect(cvo).toContain('protocol=TCP remoteport=18600-18699 remoteip=%FWLINT_PEER_NDMP_DESTINATION%');
  });

  test('quotes and percent signs never reach a quoted argument', () => {
    const profile = profileOf('lumen-cloud/windows');
    const tricky: RoleProfile = { ...profile, flows: profile.flows.map((flow) => ({ ...flow, purpose: 'WinRM "quoted" 100% of the time' })) };
    expect(renderRole(tricky, 'netsh', { peers: {} })).toContain('description="WinRM quoted 100 of the time [in/tcp/5985/control-portal]"');
  });
});

describe('powershell', () => {
  test('New-NetFirewallRule commands: inbound ports local, outbound remote; unbound peers are $…Cidr variables listed up front', () => {
    const text = renderRole(profileOf('dell-emc-scaleio/sds', { phase: 'operate' }), 'powershell', { peers: {} });
    expect(text.trimEnd().split('\n')).toEqual([
      '# fwlint advanced rule set for dell-emc-scaleio/sds (ScaleIO SDS (data server))',
      '# phase: operate; options: none; parameters: wmi-port=24158',
      '# source: 001_bbbad23a889d8e1d.txt',
      '# Before running, set these variables to the peers\' addresses (IPs, subnets or ranges), or bind them with --peer NAME=CIDR:',
      '#   $ScaleioNodesCidr = @(\'...\')   # The other ScaleIO hosts of the cluster (MDMs, tie-breaker, SDSs, SDCs)',
      '# fwlint:profile dell-emc-scaleio/sds phase=operate',
      "New-NetFirewallRule -DisplayName 'fwlint dell-emc-scaleio/sds in/tcp/7072/scaleio-nodes' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 7072 -RemoteAddress $ScaleioNodesCidr -Description 'SDS communication, needed during install and after [in/tcp/7072/scaleio-nodes]'",
      "New-NetFirewallRule -DisplayName 'fwlint dell-emc-scaleio/sds out/tcp/6611/scaleio-nodes' -Direction Outbound -Action Allow -Protocol TCP -RemotePort 6611 -RemoteAddress $ScaleioNodesCidr -Description 'MDM communication to the MDMs (other end of their operate-phase 6611 from scaleio-nodes) (operate phase only) [out/tcp/6611/scaleio-nodes]'",
      "New-NetFirewallRule -DisplayName 'fwlint dell-emc-scaleio/sds out/tcp/7072/scaleio-nodes' -Direction Outbound -Action Allow -Protocol TCP -RemotePort 7072 -RemoteAddress $ScaleioNodesCidr -Description 'SDS communication to the SDSs (other end of their 7072 from scaleio-nodes) [out/tcp/7072/scaleio-nodes]'",
    ]);
  });

  test('bound peers are quoted address lists, ranges quoted; ICMP and all-protocol flows carry no ports; the FW102 note is a # comment', () => {
    const cvo = renderRole(profileOf('netapp-cloud-manager/cvo', { options: ['ha', 'ndmp'] }), 'powershell', { peers: { admin: ['10.0.0.5', '2001:db8::/48'] } });
    expect(cvo).toContain("-Direction Inbound -Action Allow -Protocol ICMPv4 -RemoteAddress '10.0.0.5' -Description");
    expect(cvo).toContain("-Direction Inbound -Action Allow -Protocol ICMPv6 -RemoteAddress '2001:db8::/48' -Description");
    expect(cvo).toContain('-Direction Outbound -Action Allow -Protocol Any -RemoteAddress $HaPartnerCidr -Description');
    expect(cvo).toContain("-Protocol TCP -RemotePort '18600-18699' -RemoteAddress $NdmpDestinationCidr");
    expect(cvo).toMatch(/^# fwlint:ignore FW102 reason="vendor's advanced rule set: [^"]+"\nNew-NetFirewallRule .*-Protocol Any -RemoteAddress \$HaPartnerCidr/m);
  });

  test('quotes, typographic ones too, are doubled; $ and % stay as written (nothing is expanded in single quotes)', () => {
    const profile = profileOf('lumen-cloud/windows');
    const tricky: RoleProfile = { ...profile, flows: profile.flows.map((flow) => ({ ...flow, purpose: "WinRM's \u2019quoted\u2019 $env:X 100% \"of\" the time" })) };
    expect(renderRole(tricky, 'powershell', { peers: {} })).toContain("-Description 'WinRM''s \u2019\u2019quoted\u2019\u2019 $env:X 100% \"of\" the time [in/tcp/5985/control-portal]'");
  });

  test('a replacement keeps the replaced rule\'s profiles and conditions as New-NetFirewallRule parameters', () => {
    const text = renderReplacement(profileOf('lumen-cloud/windows'), 'powershell', {
      peers: { 'control-portal': ['10.0.0.0/24'] },
      replaces: '"All TCP"#1',
      windowsScope: { profiles: ['domain', 'private'], conditions: { program: 'c:\\program files\\agent\\agent.exe', interfacetype: 'lan,ras', localip: '10.1.0.5,10.1.0.6', sourceport: '1024-65535' } },
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('# fwlint: replaces "All TCP"#1 with the advanced rules of lumen-cloud/windows (Lumen Cloud Windows VM) for its traffic');
    expect(lines).toContain("New-NetFirewallRule -DisplayName 'fwlint lumen-cloud/windows in/tcp/5985/control-portal' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 5985 -RemoteAddress '10.0.0.0/24'"
      + " -Profile Domain, Private -Program 'c:\\program files\\agent\\agent.exe' -InterfaceType Wired, RemoteAccess -LocalAddress '10.1.0.5', '10.1.0.6' -RemotePort '1024-65535'"
      + " -Description 'WinRM used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/5985/control-portal]'");
    expect(text).not.toMatch(/^(REM|netsh)/m);
  });
});

describe('json', () => {
  test('the role JSON plus the bound peers', () => {
    const json = JSON.parse(renderRole(profileOf('netapp-cloud-manager/ha-mediator'), 'json', { peers: { admin: ['192.0.2.0/24'] } })) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['comment', 'pack', 'role', 'title', 'source', 'phase', 'options', 'omitted', 'peers', 'flows', 'basic']);
    expect(json['omitted']).toBeNull();
    expect(json['peers']).toEqual({ admin: ['192.0.2.0/24'], 'cloud-manager': null, 'aws-api': null, anywhere: null });
    expect((json['flows'] as Array<{ ports: string[] }>)[0]!.ports).toEqual(['22']);
  });
});

// Review item (fix/uxb): without --option a rendering silently dropped the conditional flows; every format now says
// which options' flows are left out and how to include them.
describe('conditional flows left out by the selection', () => {
  const NOTE = 'not included: 17 conditional flows of options azure, citrix-hypervisor, citrix-provisioning, google, hyper-v, nutanix, vsphere; add --option NAME for each option in use (e.g. --option azure)';
  const appliance = (options: string[]): RoleProfile => profileOf('citrix-app-layering/appliance', { options });

  test.each([
    ['terraform', `# ${NOTE}\n`],
    ['cloudformation', `# ${NOTE}\n`],
    ['netsh', `REM ${NOTE}\n`],
    ['powershell', `# ${NOTE}\n`],
  ] as const)('%s: a comment line in the header', (format, line) => {
    const text = renderRole(appliance([]), format, { peers: {} });
    expect(text).toContain(line);
    expect(text.indexOf(line)).toBeLessThan(text.indexOf('fwlint:profile'));
  });

  test('the comment names only the options still left out, in the singular for one', () => {
    const all = ['azure', 'citrix-hypervisor', 'citrix-provisioning', 'google', 'hyper-v', 'nutanix'];
    const text = renderRole(appliance(all), 'terraform', { peers: {} });
    expect(text).toMatch(/^# not included: \d+ conditional flows? of option vsphere; add --option NAME for each option in use \(e\.g\. --option vsphere\)$/m);
    for (const format of RENDER_FORMATS) expect(renderRole(appliance([...all, 'vsphere']), format, { peers: {} })).not.toContain('not included');
  });

  test('json: an omitted field with the count, the options and the note', () => {
    const json = JSON.parse(renderRole(appliance([]), 'json', { peers: {} })) as Record<string, unknown>;
    expect(json['omitted']).toEqual({ flows: 17, options: ['azure', 'citrix-hypervisor', 'citrix-provisioning', 'google', 'hyper-v', 'nutanix', 'vsphere'], note: NOTE });
    expect(json['comment']).toContain(NOTE);
  });

  test('a role without conditional flows says nothing', () => {
    for (const format of RENDER_FORMATS) expect(renderRole(profileOf('lumen-cloud/linux'), format, { peers: {} })).not.toContain('not included');
  });
});
