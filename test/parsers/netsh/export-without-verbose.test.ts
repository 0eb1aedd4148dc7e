import { CONDITIONS_NOT_SHOWN } from '../../../src/parsers/netsh/to-model';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

/** One `show rule` block, with the lines only `verbose` prints when `verbose` is set. */
function block(name: string, fields: { profiles?: string; port: string; action: string; enabled?: string }, verbose = false): string[] {
  const pad = (label: string, value: string): string => `${`${label}:`.padEnd(38)}${value}`;
  return [
    '',
    pad('Rule Name', name),
    '-'.repeat(70),
    pad('Enabled', fields.enabled ?? 'Yes'),
    pad('Direction', 'In'),
    pad('Profiles', fields.profiles ?? 'Domain,Private,Public'),
    'Grouping:',
    pad('LocalIP', 'Any'),
    pad('RemoteIP', 'Any'),
    pad('Protocol', 'TCP'),
    pad('LocalPort', fields.port),
    pad('RemotePort', 'Any'),
    pad('Edge traversal', 'No'),
    ...(verbose ? [pad('InterfaceTypes', 'Any'), pad('Security', 'NotRequired'), pad('Rule source', 'Local Setting')] : []),
    pad('Action', fields.action),
  ];
}

const exportOf = (...blocks: string[][]): string => [...blocks.flat(), 'Ok.', ''].join('\r\n');
const RDP = { port: '3389', action: 'Allow' };
const APP_BLOCK = { port: 'Any', action: 'Block' };

describe('netsh export without verbose (QA 6/01)', () => {
  it('gives a block rule a condition no allow has, and warns once at the first block rule', () => {
    const result = parseNetshText(exportOf(block('RDP', RDP), block('someapp.exe', APP_BLOCK), block('someapp.exe', { ...APP_BLOCK, profiles: 'Public' })), 'web01.txt');
    const [rdp, first, second] = onlyTarget(result).rules;
    expect(rdp!.conditions).toBeUndefined();
    expect(first!.conditions).toEqual({ [CONDITIONS_NOT_SHOWN]: 'not in an export without verbose (line 16)' });
    // Told apart: two such blocks may be for different programs.
    expect(second!.conditions).toEqual({ [CONDITIONS_NOT_SHOWN]: 'not in an export without verbose (line 30)' });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.range?.startLine])).toEqual([['parse/netsh-export-not-verbose', 'warning', 16]]);
    expect(result.diagnostics[0]!.message).toContain('2 block rules, the first "someapp.exe", may apply to one program only');
  });

  it('reads a verbose export, and a non-verbose one without enabled block rules, as before: no condition, no warning', () => {
    const verbose = parseNetshText(exportOf(block('RDP', RDP, true), block('Block all', APP_BLOCK, true)), 'v.txt');
    expect(onlyTarget(verbose).rules[1]!.conditions).toBeUndefined();
    expect(verbose.diagnostics).toEqual([]);
    const allowsOnly = parseNetshText(exportOf(block('RDP', RDP), block('Off', { ...APP_BLOCK, enabled: 'No' })), 'a.txt');
    expect(allowsOnly.diagnostics).toEqual([]);
  });

  it('keeps world-open allows under such blocks: FW101 critical, no FW301 "never takes effect"', () => {
    const result = scanFixture('checks/FW101/netsh/bad-rdp-sql-under-program-blocks-without-verbose.txt');
    expect(result.findings.map((f) => [f.checkId, f.severity, f.location.range.startLine, f.message])).toEqual([
      ['FW101', 'critical', 2, 'bad-rdp-sql-under-program-blocks-without-verbose allows ingress from 0.0.0.0/0, ::/0 on tcp/3389'],
      ['FW101', 'critical', 16, 'bad-rdp-sql-under-program-blocks-without-verbose allows ingress from 0.0.0.0/0, ::/0 on tcp/1433'],
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['parse/netsh-export-not-verbose']);
  });

  it('does not call a required flow blocked by such a block (FW201)', () => {
    const text = exportOf(block('Windows Remote Management (HTTP-In)', { port: '5985', action: 'Allow' }), block('someapp.exe', APP_BLOCK));
    const { findings } = scanFiles({ 'vm01.txt': text }, { profile: 'lumen-cloud/windows' });
    expect(findings.filter((f) => f.checkId === 'FW201' || f.checkId === 'FW301')).toEqual([]);
    expect(findings.filter((f) => f.checkId === 'FW101').map((f) => f.message)).toEqual(['vm01 allows ingress from 0.0.0.0/0, ::/0 on tcp/5985']);
  });
});
