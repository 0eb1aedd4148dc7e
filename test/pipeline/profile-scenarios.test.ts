import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PortSet } from '../../src/model/port-set';
import { loadPacks, renderRole, resolveRole, type RenderFormat, type RoleProfile } from '../../src/packs';
import { scan, type ScanResult } from '../../src/pipeline/scan';

/** Issue #4 scenarios, one set per seed role and render format, on renderings edited the way engineers get them wrong. */
const packs = loadPacks([]).value;
const FORMATS = [
  { format: 'terraform' as const, file: 'main.tf' },
  { format: 'cloudformation' as const, file: 'template.yaml' },
  { format: 'netsh' as const, file: 'host.cmd' },
];
const cases = packs.flatMap((pack) => Object.keys(pack.roles).flatMap((role) => FORMATS.map((format) => ({ pack, role, ...format }))));

function scanRendering(
  profile: RoleProfile,
  ref: string,
  options: string[],
  peers: Record<string, string[]>,
  phase?: 'install' | 'operate',
  format: RenderFormat = 'terraform',
  file = 'main.tf',
  renderPeers: Record<string, string[]> = peers,
): ScanResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-scenario-'));
  try {
    fs.writeFileSync(path.join(directory, file), renderRole(profile, format, { peers: renderPeers }));
    fs.writeFileSync(path.join(directory, '.fwlint.yaml'), JSON.stringify({ targets: [{ match: ['*'], profile: ref, options, peers, ...(phase ? { phase } : {}) }] }));
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const flowKey = (flow: { protocol: string; ports: string[]; peer: string; purpose: string }): string => `${flow.protocol} ${flow.ports.join(',')} ${flow.peer} ${flow.purpose}`;

describe.each(cases)('$pack.id/$role ($format)', ({ pack, role, format, file }) => {
  const ref = `${pack.id}/${role}`;
  const options = Object.keys(pack.options);
  const peers = Object.fromEntries(Object.keys(pack.peers).map((peer, index) => [peer, [`10.${100 + Math.floor(index / 200)}.${index % 200}.0/24`]]));
  const profile = resolveRole(packs, ref, { options }).value!;

  it('removing one required port gives exactly one FW201 naming that port and its purpose', () => {
    // A flow whose (protocol, port, peer) no other flow repeats, so removing it really opens a gap.
    const removable = profile.flows.find(
      (flow) =>
        flow.alternatives.length === 0 &&
        !profile.flows.some((other) => other !== flow && other.peer === flow.peer && other.protocol === flow.protocol && other.direction === flow.direction && other.ports.overlaps(flow.ports)),
    );
    expect(removable).toBeDefined();
    const edited: RoleProfile = { ...profile, flows: profile.flows.filter((flow) => flow !== removable) };
    // Windows allows outbound traffic by default: a removed outbound rule is still allowed there.
    const expected = format === 'netsh' && removable!.direction === 'out' ? 0 : 1;
    const missing = scanRendering(edited, ref, options, peers, undefined, format, file).findings.filter((finding) => finding.checkId === 'FW201');
    expect(missing).toHaveLength(expected);
    if (expected === 0) return;
    const traffic = removable!.protocol === 'all' ? 'all traffic' : removable!.protocol === 'icmp' ? 'icmp' : `${removable!.protocol}/${removable!.ports.toString()}`;
    expect(missing[0]!.message).toContain(traffic);
    expect(missing[0]!.message).toContain(removable!.purpose);
  });

  it('all-traffic outbound instead of the advanced rules gives FW202 listing exactly the advanced outbound set', () => {
    const outbound = profile.flows.filter((flow) => flow.direction === 'out');
    const allTraffic = { id: 'out/all/all/anywhere', direction: 'out' as const, protocol: 'all' as const, ports: PortSet.ALL, peer: 'anywhere', purpose: 'basic outbound', alternatives: [] };
    const edited: RoleProfile = { ...profile, flows: [...profile.flows.filter((flow) => flow.direction === 'in'), allTraffic] };
    const result = scanRendering(edited, ref, options, { ...peers, anywhere: ['0.0.0.0/0'] }, undefined, format, file);
    const excess = result.findings.filter((finding) => finding.checkId === 'FW202');
    expect(excess).toHaveLength(1);
    const replacements = excess[0]!.properties.replacementFlows as Array<{ protocol: string; ports: string[]; peer: string; purpose: string }>;
    // Every variant the all-traffic rule allows is kept, alternatives included (both are permitted: QA h5 #2).
    const expected = outbound.flatMap((flow) => [flow, ...flow.alternatives].map((variant) => flowKey({ protocol: variant.protocol, ports: variant.ports.toStrings(), peer: flow.peer, purpose: flow.purpose })));
    expect(replacements.map(flowKey).sort()).toEqual([...new Set(expected)].sort());
    // The only egress block of a Terraform group is replaced by `egress = []`: without any, the deployed rule stays (QA h8).
    // So is a CloudFormation group's only egress item: without it AWS adds the implicit allow-all egress back (QA s13 qa-7 #15).
    const removal = format === 'terraform' ? 'the role needs none of it: write egress = [] in place of the block'
      : format === 'cloudformation' ? "the role needs none of it, but it is the group's last egress rule: removing it would bring back the platform's implicit allow-all egress"
      : 'the role needs none of it: remove the rule';
    if (outbound.length === 0) expect(excess[0]!.message).toContain(removal);
  });

  it('with only some peers bound (the rest rendered as variables or placeholders) the rendering has no FW201 or FW202', () => {
    const some = Object.fromEntries(Object.entries(peers).filter((_, index) => index % 2 === 0));
    const result = scanRendering(profile, ref, options, some, undefined, format, file, some);
    const problems = result.findings.filter((finding) => (finding.checkId === 'FW201' && finding.severity !== 'note') || finding.checkId === 'FW202');
    expect(problems.map((finding) => finding.message)).toEqual([]);
  });
});

describe('ScaleIO install-only ports in the operate phase', () => {
  it.each(['mdm', 'tb', 'sds', 'sdc'])('dell-emc-scaleio/%s with 135, 445 and WMI open yields FW203', (role) => {
    const ref = `dell-emc-scaleio/${role}`;
    const profile = resolveRole(packs, ref, {}).value!;
    const result = scanRendering(profile, ref, [], { installer: ['10.10.0.5/32'], 'scaleio-nodes': ['10.10.0.0/24'] }, 'operate');
    const installOnly = result.findings.filter((finding) => finding.checkId === 'FW203');
    expect(installOnly.length).toBeGreaterThan(0);
    const open = PortSet.parse(installOnly.map((finding) => finding.properties.ports as string).join(', '));
    expect(open.containsAll(PortSet.parse('135, 445, 24158'))).toBe(true);
  });
});
