import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPacks, renderRole, resolveRole, type RenderFormat } from '../../src/packs';
import { scan } from '../../src/pipeline/scan';

/**
 * Issue #3/#4 round trip: the rendering of every role, in every format, scanned by fwlint with that role applied,
 * gives no FW201 (nothing required is missing) and no FW202 (nothing broader than the advanced set).
 */
const packs = loadPacks([]).value;
const formats: Array<{ format: RenderFormat; file: string }> = [
  { format: 'terraform', file: 'main.tf' },
  { format: 'cloudformation', file: 'template.yaml' },
  { format: 'netsh', file: 'host.cmd' },
  { format: 'powershell', file: 'host.ps1' },
];

const cases = packs.flatMap((pack) => Object.keys(pack.roles).map((role) => ({ pack, role })));

describe.each(cases)('$pack.id/$role', ({ pack, role }) => {
  const ref = `${pack.id}/${role}`;
  const options = Object.keys(pack.options);
  // Every symbolic peer gets its own private range, so coverage is judged on real addresses.
  const peers = Object.fromEntries(Object.keys(pack.peers).map((peer, index) => [peer, [`10.${100 + Math.floor(index / 200)}.${index % 200}.0/24`]]));

  it.each(formats)('$format rendering satisfies the role', ({ format, file }) => {
    const profile = resolveRole(packs, ref, { options }).value!;
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-render-'));
    try {
      fs.writeFileSync(path.join(directory, file), renderRole(profile, format, { peers }));
      const config = {
        targets: [{ match: ['*'], profile: ref, options, peers }],
      };
      fs.writeFileSync(path.join(directory, '.fwlint.yaml'), JSON.stringify(config));
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
      expect(result.targets.length).toBeGreaterThan(0);
      const gaps = result.findings.filter((finding) => finding.checkId === 'FW201' || finding.checkId === 'FW202').map((finding) => `${finding.checkId} ${finding.message}`);
      expect(gaps).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA h6 item 4): `render lumen-cloud/linux --phase operate` wrote phase=operate into the annotation, and
// scanning the rendering warned that the phase has no effect (packs/phase-no-effect).
describe('a rendering with a phase its role does not use, scanned with the annotation alone', () => {
  it.each(formats)('$format: no diagnostic', ({ format, file }) => {
    const profile = resolveRole(packs, 'lumen-cloud/linux', { phase: 'operate' }).value!;
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-render-'));
    try {
      fs.writeFileSync(path.join(directory, file), renderRole(profile, format, { peers: { 'control-portal': ['10.5.0.0/24'] } }));
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.filter((finding) => finding.checkId.startsWith('FW2'))).toEqual([]);
      expect(result.targets.map((target) => target.profile?.ref)).toEqual(['lumen-cloud/linux']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** Gap: ICMP flows towards IPv6 peers are ICMPv6; a dual-stack rendering of every role with an ICMP flow round-trips. */
const icmpCases = cases.filter(({ pack, role }) => pack.roles[role]!.flows.some((flow) => flow.protocol === 'icmp'));

describe.each(icmpCases)('$pack.id/$role with dual-stack peers', ({ pack, role }) => {
  const ref = `${pack.id}/${role}`;
  const options = Object.keys(pack.options);
  const peers = Object.fromEntries(
    Object.keys(pack.peers).map((peer, index) => [peer, [`10.${100 + Math.floor(index / 200)}.${index % 200}.0/24`, `2001:db8:${index.toString(16)}::/48`]]),
  );

  it.each(formats)('$format rendering allows ICMPv6 from the IPv6 addresses and satisfies the role', ({ format, file }) => {
    const profile = resolveRole(packs, ref, { options }).value!;
    const text = renderRole(profile, format, { peers });
    expect(text).toMatch(format === 'netsh' ? /protocol=icmpv6 remoteip=2001:db8:/ : format === 'powershell' ? /-Protocol ICMPv6 -RemoteAddress '2001:db8:/
      : format === 'terraform' ? /protocol\s+= "icmpv6"/ : /IpProtocol: "icmpv6"/);
    expect(text).not.toMatch(format === 'netsh' ? /protocol=icmpv4 remoteip=[^ ]*:/ : format === 'powershell' ? /-Protocol ICMPv4 -RemoteAddress (?:'[^']*', )*'[^']*:/
      : /"icmp"\n(?:.*\n){0,2}.*(ipv6_cidr_blocks|CidrIpv6)/);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-render6-'));
    try {
      fs.writeFileSync(path.join(directory, file), text);
      fs.writeFileSync(path.join(directory, '.fwlint.yaml'), JSON.stringify({ targets: [{ match: ['*'], profile: ref, options, peers }] }));
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
      const gaps = result.findings.filter((finding) => finding.checkId === 'FW201' || finding.checkId === 'FW202').map((finding) => `${finding.checkId} ${finding.message}`);
      expect(gaps).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// QA-8 item 05: peers whose addresses overlap (`internet` = 0.0.0.0/0 holds `cvo`) made two rules of which one contains
// the other (FW302, exit 1), and a parameter equal to another port two netsh rules of one name. The rendering writes
// one rule for both flows, naming the one it carries, and passes the default gate with the peers bound.
describe('a rendering whose flows overlap: one rule carries both', () => {
  const overlapping: Array<{ ref: string; peers: Record<string, string[]>; options?: string[]; parameters?: Record<string, number> }> = [
    { ref: 'netapp-cloud-manager/cloud-manager', peers: { internet: ['0.0.0.0/0'], cvo: ['10.7.0.0/24'] } },
    // QA 15 item 11: a dual-stack cvo, whose IPv4 half only the internet rule holds: cvo's rule was written whole (FW302).
    { ref: 'netapp-cloud-manager/cloud-manager', peers: { internet: ['0.0.0.0/0'], cvo: ['10.7.0.0/24', '2001:db8:7::/48'] } },
    { ref: 'netapp-cloud-manager/cloud-manager', peers: { clients: ['10.0.0.0/8'], 'cloud-compliance': ['10.5.0.10/32'] }, options: ['cloud-compliance'] },
    { ref: 'netapp-cloud-manager/cvo', peers: { admin: ['10.0.0.0/8'], 'cloud-manager': ['10.2.0.0/24'] } },
    { ref: 'dell-emc-scaleio/sds', peers: { installer: ['10.10.0.5/32'], 'scaleio-nodes': ['10.9.0.0/24'] }, parameters: { 'wmi-port': 445 } },
  ];
  it.each(overlapping.flatMap((each) => formats.map((format) => ({ ...each, ...format }))))('$ref $format $peers', ({ ref, peers, options = [], parameters = {}, format, file }) => {
    const profile = resolveRole(packs, ref, { options, parameters }).value!;
    const text = renderRole(profile, format, { peers });
    expect(text).toMatch(/also carries /);
    if (format === 'netsh') {
      const names = [...text.matchAll(/ name="([^"]+)"/g)].map((match) => match[1]);
      expect(new Set(names).size).toBe(names.length);
    }
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-render-'));
    try {
      fs.writeFileSync(path.join(directory, file), text);
      fs.writeFileSync(path.join(directory, '.fwlint.yaml'), JSON.stringify({ targets: [{ match: ['*'], peers, parameters }] }));
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-25', parse: { vars: { vpc_id: 'vpc-1' } } });
      expect(result.findings.filter((finding) => finding.severity !== 'note').map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a parameter equal to another flow\'s port is a warning naming that flow', () => {
    const result = resolveRole(packs, 'dell-emc-scaleio/sds', { parameters: { 'wmi-port': 445 } });
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`)).toEqual([
      "warning packs/parameter-collision parameter 'wmi-port' is 445, the port of flow in/tcp/445/installer (SMB used by the installer to copy the ScaleIO installation files to the host): one rule would open both; choose a port no flow of dell-emc-scaleio uses",
    ]);
    expect(resolveRole(packs, 'dell-emc-scaleio/sds', { parameters: { 'wmi-port': 80 } }).diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      "parameter 'wmi-port' is 80, a well-known port (below 1024) that other services listen on; choose a free high port",
    ]);
    expect(resolveRole(packs, 'dell-emc-scaleio/sds', { parameters: { 'wmi-port': 30000 } }).diagnostics).toEqual([]);
  });
});
