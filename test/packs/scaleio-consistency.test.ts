import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPacks, resolveRole } from '../../src/packs';
import { scan } from '../../src/pipeline/scan';

/**
 * The ScaleIO pack's roles agree with one another: whatever one role accepts from `scaleio-nodes` (the cluster's
 * hosts, every role among them), every role may send there. And the MDM install list is taken literally.
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

  test.each(roles)('%s sends to scaleio-nodes on every port another role accepts from them, in the same phase', (role) => {
    const flows = pack.roles[role]!.flows.filter((flow) => flow.direction === 'out' && flow.peer === 'scaleio-nodes');
    for (const end of inbound) {
      expect(flows.filter((flow) => flow.protocol === end.protocol && flow.ports.join() === end.ports.join() && flow.phase === end.phase).map((flow) => flow.id)).toHaveLength(1);
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

describe('ScaleIO MDM install list (135, 445, 6611, 9011 and WMI, to the installer)', () => {
  test('the install phase of mdm requires 6611 from the installer', () => {
    const install = resolveRole(packs, 'dell-emc-scaleio/mdm', { phase: 'install' }).value!;
    expect(install.flows.filter((flow) => flow.direction === 'in' && flow.peer === 'installer').map((flow) => flow.ports.toString())).toEqual([
      '135',
      '445',
      '24158',
      '9011',
      '6611',
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
