import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';

/** One `show rule` block, inbound TCP allow on all profiles. */
function block(name: string, remoteIp: string, localPort: string): string[] {
  return [
    `Rule Name:                            ${name}`,
    '----------------------------------------------------------------------',
    'Enabled:                              Yes',
    'Direction:                            In',
    'Profiles:                             Domain,Private,Public',
    'Grouping:',
    'LocalIP:                              Any',
    `RemoteIP:                             ${remoteIp}`,
    'Protocol:                             TCP',
    `LocalPort:                            ${localPort}`,
    'RemotePort:                           Any',
    'Edge traversal:                       No',
    'Action:                               Allow',
    '',
  ];
}

const exportOf = (...blocks: string[][]): string => ['', ...blocks.flat(), 'Ok.', ''].join('\r\n');

describe('Windows port keywords reach the checks and the profile comparison', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-netsh-kw-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));
  const scanText = (name: string, text: string, options: { profile?: string; phase?: 'install' | 'operate' } = {}) => {
    fs.writeFileSync(path.join(directory, name), text);
    return scan({ paths: [name], cwd: directory, today: '2026-11-23', ...options });
  };

  it('judges RPC-EPMap as tcp/135 and RPC as the dynamic RPC range 49152-65535 (FW101)', () => {
    const result = scanText('kw.txt', exportOf(block('EPMap', 'Any', 'RPC-EPMap'), block('RPC', 'Any', 'RPC'), block('Mixed', 'Any', 'RPC,3389')));
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message);
    expect(fw101).toEqual([
      'kw allows ingress from 0.0.0.0/0, ::/0 on tcp/135',
      'kw allows ingress from 0.0.0.0/0, ::/0 on tcp/49152-65535',
      'kw allows ingress from 0.0.0.0/0, ::/0 on tcp/3389, 49152-65535',
    ]);
  });

  it('reports a keyword without fixed ports (Teredo) as unknown (FW303), not as nothing', () => {
    const result = scanText('teredo.txt', exportOf(block('Teredo in', 'Any', 'Teredo')));
    expect(result.findings.map((finding) => [finding.checkId, finding.message])).toEqual([
      ['FW303', 'teredo: ports of rule "Teredo in"#1 could not be resolved statically (port keyword Teredo, whose ports Windows assigns at run time); the rule was checked only as far as it is known'],
    ]);
  });

  it('lets the profile comparison see RPC-EPMap as the installer-only tcp/135 (FW203)', () => {
    const result = scanText('host01.txt', exportOf(block('Installer SMB', '10.0.0.5', '445'), block('EPMap', '10.0.0.5', 'RPC-EPMap')),
      { profile: 'dell-emc-scaleio/sds', phase: 'operate' });
    const fw203 = result.findings.filter((finding) => finding.checkId === 'FW203');
    expect(fw203.map((finding) => [finding.ruleId, finding.message.includes('tcp/135')])).toEqual([
      ['"Installer SMB"#1/0', false],
      ['"EPMap"#1/0', true],
    ]);
  });
});
