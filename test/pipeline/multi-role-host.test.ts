import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanResult } from '../../src/pipeline/scan';
import { runCli } from '../helpers/run-cli';

/*
 * One host, several roles of a pack (QA-8 item 01): the ScaleIO seed (001 l.7) says a host acting as MDM, SDS and SDC
 * must "aggregate the relevant port requirements". Mapped to the union, a correct MDM+SDS host passes; mapped to one
 * role it gets FW202 "remove the rule" on the other role's ports. A second role is never dropped silently.
 */
const RULES = [
  'netsh advfirewall firewall add rule name="mdm 9011" dir=in action=allow protocol=TCP localport=9011 remoteip=10.9.0.0/24',
  'netsh advfirewall firewall add rule name="mdm 6611" dir=in action=allow protocol=TCP localport=6611 remoteip=10.9.0.0/24',
  'netsh advfirewall firewall add rule name="sds 7072" dir=in action=allow protocol=TCP localport=7072 remoteip=10.9.0.0/24',
  'netsh advfirewall firewall add rule name="out 9011" dir=out action=allow protocol=TCP remoteport=9011 remoteip=10.9.0.0/24',
  'netsh advfirewall firewall add rule name="out 6611" dir=out action=allow protocol=TCP remoteport=6611 remoteip=10.9.0.0/24',
  'netsh advfirewall firewall add rule name="out 7072" dir=out action=allow protocol=TCP remoteport=7072 remoteip=10.9.0.0/24',
].join('\n');
const PEERS = 'targets:\n  - match: ["node01"]\n    peers: { scaleio-nodes: ["10.9.0.0/24"] }\n';

function inFolder<T>(files: Record<string, string>, run: (directory: string) => T): T {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-multi-role-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(directory, name), text);
    return run(directory);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function scanFiles(files: Record<string, string>, extra: Partial<Parameters<typeof scan>[0]> = {}): ScanResult {
  return inFolder(files, (directory) => scan({ paths: ['.'], cwd: directory, today: '2026-11-25', ...extra }));
}

const brief = (result: ScanResult): string[] => [
  ...result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`),
  ...result.findings.map((finding) => `${finding.checkId} ${finding.message}`),
];

describe('a target mapped to several roles of one pack', () => {
  it('one role alone: the other role\'s ports are excess (the false verdict the union fixes)', () => {
    const result = scanFiles({ 'node01.txt': `REM fwlint:profile dell-emc-scaleio/mdm phase=operate\n${RULES}\n`, '.fwlint.yaml': PEERS });
    expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW202']);
  });

  it.each([
    ['one comment listing both roles', 'REM fwlint:profile dell-emc-scaleio/mdm,dell-emc-scaleio/sds phase=operate'],
    ['the short form', 'REM fwlint:profile dell-emc-scaleio/sds,mdm phase=operate'],
    ['one comment per role', 'REM fwlint:profile dell-emc-scaleio/mdm phase=operate\nREM fwlint:profile dell-emc-scaleio/sds'],
  ])('%s: the union is required and permitted, nothing reported', (_name, comment) => {
    const result = scanFiles({ 'node01.txt': `${comment}\n${RULES}\n`, '.fwlint.yaml': PEERS });
    expect(brief(result)).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('the union still requires every role\'s flows (FW201 names the merged role)', () => {
    const withoutSds = RULES.split('\n').filter((line) => !line.includes('sds 7072')).join('\n');
    const result = scanFiles({ 'node01.txt': `REM fwlint:profile dell-emc-scaleio/mdm,sds phase=operate\n${withoutSds}\n`, '.fwlint.yaml': PEERS });
    expect(brief(result)).toEqual([
      'FW201 node01 (dell-emc-scaleio/mdm,sds): tcp/7072 from 10.9.0.0/24 (SDS communication, needed during install and after) is not allowed',
    ]);
  });

  it('a config entry gives the roles as a list', () => {
    const config = 'targets:\n  - match: ["node01"]\n    profile: [dell-emc-scaleio/mdm, dell-emc-scaleio/sds]\n    phase: operate\n    peers: { scaleio-nodes: ["10.9.0.0/24"] }\n';
    expect(brief(scanFiles({ 'node01.txt': `${RULES}\n`, '.fwlint.yaml': config }))).toEqual([]);
    const bad = scanFiles({ 'node01.txt': `${RULES}\n`, '.fwlint.yaml': 'targets:\n  - match: ["node01"]\n    profile: [dell-emc-scaleio]\n' });
    expect(brief(bad)).toEqual(['error config/schema /targets/0/profile/0: must match pattern "^[a-z0-9-]+/[a-z0-9-]+$"']);
  });

  it('--profile is repeatable', async () => {
    const run = await inFolder({ 'node01.txt': `${RULES}\n`, '.fwlint.yaml': PEERS }, (directory) =>
      runCli(['scan', '.', '--no-color', '--phase', 'operate', '--profile', 'dell-emc-scaleio/mdm', '--profile', 'dell-emc-scaleio/sds'], directory));
    expect(run.stdout).toContain('0 findings');
    expect(run.code).toBe(0);
  });

  it('roles of two packs, or two phases, are errors rather than one role silently kept', () => {
    const packs = scanFiles({ 'node01.txt': `REM fwlint:profile dell-emc-scaleio/mdm\nREM fwlint:profile lumen-cloud/windows\n${RULES}\n` });
    expect(brief(packs).filter((line) => line.startsWith('error'))).toEqual([
      // Both comments named with their lines (QA 16 item 11), not the joined reference nobody wrote.
      'error annotation/invalid node01 is mapped to roles of two packs: dell-emc-scaleio/mdm (line 1) and lumen-cloud/windows (line 2); a target takes roles of one pack, so it is mapped to none',
    ]);
    const phases = scanFiles({ 'node01.txt': `REM fwlint:profile dell-emc-scaleio/mdm phase=operate\nREM fwlint:profile dell-emc-scaleio/sds phase=install\n${RULES}\n` });
    expect(brief(phases).filter((line) => line.startsWith('error'))).toEqual([
      'error annotation/invalid fwlint:profile dell-emc-scaleio/sds phase=install contradicts phase=operate of fwlint:profile dell-emc-scaleio/mdm for the same target; a host has one phase',
    ]);
  });
});
