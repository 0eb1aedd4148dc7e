import type { ScanResult } from '../../src/pipeline/scan';
import { renderSarif } from '../../src/report/sarif';
import { scanFiles } from '../helpers/scan-fixture';
import { basicInput, testContext } from '../report/report-fixture';

/*
 * QA s15 item 13: a rule widened later in the script (`netsh … set rule name=X new remoteip=any`,
 * `Set-NetFirewallRule -DisplayName X -RemoteAddress Any`) was reported at its `add rule`/`New-NetFirewallRule` line,
 * whose text is narrow, without naming the command that made it wide; FW202's replacement took the add line's place
 * and left the Set, which then matched nothing (netsh-no-match) or would change a rule given the old name.
 * The finding stays at the creating command (where the rule's name is, and comments above it apply); its message and
 * SARIF relatedLocations name the later change, and the replacement says to remove it.
 */

type Finding = ScanResult['findings'][number];

const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24'] } }] });
const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const byCheck = (result: ScanResult, checkId: string): Finding[] => result.findings.filter((each) => each.checkId === checkId);
const sarifRelated = (finding: Finding): Array<[number, string]> => {
  const log = JSON.parse(renderSarif({ ...basicInput(), findings: [finding], diagnostics: [] }, testContext()));
  return log.runs[0].results[0].relatedLocations.map((related: { physicalLocation: { region: { startLine: number } }; message: { text: string } }) => [
    related.physicalLocation.region.startLine,
    related.message.text,
  ]);
};

describe('a Windows rule changed after it is created names the command that changed it', () => {
  const netsh = lines(
    'REM fwlint:target win01',
    'netsh advfirewall firewall add rule name="WinRM" dir=in action=allow protocol=TCP localport=5985 remoteip=10.0.0.0/24',
    'netsh advfirewall firewall set rule name="WinRM" new remoteip=any',
  );

  it('netsh: FW101 and FW202 stay at the add line and name the set rule line in the message and in SARIF', () => {
    const result = scanFiles({ 'win01.cmd': netsh, '.fwlint.yaml': config });
    const [fw101] = byCheck(result, 'FW101');
    const [fw202] = byCheck(result, 'FW202');
    expect(fw101!.location.range.startLine).toBe(2);
    expect(fw101!.message).toBe('win01 allows ingress from 0.0.0.0/0, ::/0 on tcp/5985 (changed on line 3 by set rule: remoteip; a fix must change that command too)');
    expect(fw202!.location.range.startLine).toBe(2);
    expect(fw202!.message).toMatch(/use instead: tcp\/5985 from 10\.0\.0\.0\/24 \(control-portal\) \(changed on line 3 by set rule: remoteip; a fix must change that command too\)$/);
    expect(fw101!.relatedLocations.map((location) => location.range.startLine)).toEqual([1, 3]);
    expect(sarifRelated(fw101!)).toEqual([[1, 'definition of win01'], [3, 'change by set rule after the rule was created: remoteip']]);
    // The fingerprint hashes the rule's content, not where it was changed: a baseline entry made before still matches.
    expect(fw101!.fingerprint).toBe(scanFiles({ 'win01.cmd': netsh.replace('remoteip=10.0.0.0/24', 'remoteip=any').replace(/.*set rule.*\n/, ''), '.fwlint.yaml': config }).findings.find((each) => each.checkId === 'FW101')!.fingerprint);
  });

  it('netsh: the replacement says to remove the set rule; applied with it, the script rescans clean', () => {
    const result = scanFiles({ 'win01.cmd': netsh, '.fwlint.yaml': config });
    const replacement = String(byCheck(result, 'FW202')[0]!.properties.replacement);
    expect(replacement.split('\n')[2]).toBe(
      "REM Also remove set rule on line 3 (it changes the replaced rule later): with this in the rule's place it matches no rule (an error), or changes one given that name.",
    );
    const fixed = netsh.split('\n');
    fixed.splice(1, 2, ...replacement.trimEnd().split('\n'));
    const rescanned = scanFiles({ 'win01.cmd': fixed.join('\n'), '.fwlint.yaml': config });
    expect(rescanned.diagnostics).toEqual([]);
    expect(rescanned.findings).toEqual([]);
  });

  it('PowerShell: names each later command with the parameters it changed; Enable-NetFirewallRule without any', () => {
    const script = lines(
      '# fwlint:target win01',
      'New-NetFirewallRule -DisplayName "WinRM" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 5985 -RemoteAddress 10.0.0.0/24 -Enabled False',
      'Set-NetFirewallRule -DisplayName "WinRM" -RemoteAddress Any -LocalPort 5985,5986',
      'Set-NetFirewallRule -DisplayName "WinRM" -Description "remote management"',
      'Enable-NetFirewallRule -DisplayName "WinRM"',
    );
    const result = scanFiles({ 'win01.ps1': script, '.fwlint.yaml': config });
    const [fw101] = byCheck(result, 'FW101');
    expect(fw101!.location.range.startLine).toBe(2);
    expect(fw101!.message).toBe('win01 allows ingress from 0.0.0.0/0, ::/0 on tcp/5985-5986 (changed on line 3 by Set-NetFirewallRule: -RemoteAddress, -LocalPort; ' +
      'on line 4 by Set-NetFirewallRule: -Description; and on line 5 by Enable-NetFirewallRule; a fix must change those commands too)');
    expect(sarifRelated(fw101!)).toEqual([
      [1, 'definition of win01'],
      [3, 'change by Set-NetFirewallRule after the rule was created: -RemoteAddress, -LocalPort'],
      [4, 'change by Set-NetFirewallRule after the rule was created: -Description'],
      [5, 'change by Enable-NetFirewallRule after the rule was created'],
    ]);
    expect(String(byCheck(result, 'FW202')[0]!.properties.replacement)).toContain(
      '# Also remove Set-NetFirewallRule on line 3, Set-NetFirewallRule on line 4 and Enable-NetFirewallRule on line 5 (they change the replaced rule later)',
    );
  });

  it('a finding already at the changing command (FW303 of the value it set) does not name it again', () => {
    const script = lines(
      'REM fwlint:target win01',
      'netsh advfirewall firewall add rule name="SMB" dir=in action=allow protocol=TCP localport=445 remoteip=10.0.0.0/8',
      'netsh advfirewall firewall set rule name="SMB" new remoteip=%INSTALLER_IP%',
    );
    const [fw303] = byCheck(scanFiles({ 'win01.cmd': script }), 'FW303');
    expect(fw303!.location.range.startLine).toBe(3);
    expect(fw303!.message).not.toContain('changed on line');
    expect(fw303!.relatedLocations.map((location) => location.range.startLine)).toEqual([1]);
  });

  it('a set rule under a condition is named only on the copy it changed', () => {
    const script = lines(
      'REM fwlint:target win01',
      'netsh advfirewall firewall add rule name="WinRM" dir=in action=allow protocol=TCP localport=5985 remoteip=any',
      'if "%1"=="lab" netsh advfirewall firewall set rule name="WinRM" new localport=5986',
      'netsh advfirewall firewall add rule name="Other" dir=in action=allow protocol=TCP localport=3389 remoteip=any',
    );
    const messages = byCheck(scanFiles({ 'win01.cmd': script }), 'FW101').map((each) => each.message).sort();
    expect(messages).toEqual([
      'win01 allows ingress from 0.0.0.0/0, ::/0 on tcp/3389',
      'win01 allows ingress from 0.0.0.0/0, ::/0 on tcp/5985 (when !("%1"=="lab"))',
      'win01 allows ingress from 0.0.0.0/0, ::/0 on tcp/5986 (when "%1"=="lab") (changed on line 3 by set rule: localport; a fix must change that command too)',
    ]);
  });
});
