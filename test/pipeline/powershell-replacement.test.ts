import { describePeer } from '../../src/model';
import { scanFiles } from '../helpers/scan-fixture';

/*
 * FW202's `properties.replacement` for a rule of kind `powershell` (`New-NetFirewallRule` in a .ps1, the
 * `Get-NetFirewallRule | ConvertTo-Json` export) was netsh's fragment: `REM` lines and `%FWLINT_PEER_…%`
 * placeholders, cmd syntax a .ps1 cannot hold. It is now `New-NetFirewallRule` commands that keep the rule's
 * profiles and conditions, and spliced in place of the rule they leave the script clean.
 */
describe('FW202 replacement of a PowerShell rule: New-NetFirewallRule commands', () => {
  const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24', '10.9.0.5'] } }] });
  const script = [
    '# fwlint:target app01',
    '$Program = "C:\\Program Files\\Agent\\agent.exe"',
    'New-NetFirewallRule -DisplayName "All TCP" -Direction Inbound -Protocol TCP -LocalPort "1-65535" -RemoteAddress 10.0.0.0/8 `',
    '  -Profile Domain, Private -Program $Program -InterfaceType Wired',
    'New-NetFirewallRule -DisplayName "Web" -Direction Inbound -Protocol TCP -LocalPort 443 -RemoteAddress LocalSubnet',
    '',
  ].join('\n');

  const first = scanFiles({ 'app01.ps1': script, '.fwlint.yaml': config });
  const finding = first.findings.find((each) => each.checkId === 'FW202' && each.ruleId?.startsWith('"All TCP"#1'))!;
  const replacement = String(finding.properties.replacement);

  it('writes # comments and one command per flow, with the rule\'s profiles and conditions', () => {
    expect(replacement.trimEnd().split('\n')).toEqual([
      '# fwlint: replaces "All TCP"#1 with the advanced rules of lumen-cloud/windows (Lumen Cloud Windows VM) for its traffic',
      '# phase: all (install and operate); options: none',
      "New-NetFirewallRule -DisplayName 'fwlint lumen-cloud/windows in/tcp/5985/control-portal' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 5985"
        + " -RemoteAddress '10.0.0.0/24', '10.9.0.5/32' -Profile Domain, Private -Program 'C:\\Program Files\\Agent\\agent.exe' -InterfaceType Wired"
        + " -Description 'WinRM used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/5985/control-portal]'",
    ]);
  });

  it('spliced in place of the command, leaves no FW202 for it and opens nothing the rule did not', () => {
    const lines = script.split('\n');
    const { startLine, endLine } = finding.location.range;
    lines.splice(startLine - 1, endLine - startLine + 1, ...replacement.trimEnd().split('\n'));
    const second = scanFiles({ 'app01.ps1': lines.join('\n'), '.fwlint.yaml': config });
    expect(second.diagnostics).toEqual([]);
    expect(second.findings.filter((each) => each.checkId === 'FW202').map((each) => each.ruleId)).toEqual(['"Web"#1/0']);
    const written = second.targets[0]!.rules.filter((rule) => rule.resourceAddress.startsWith('"fwlint'));
    // One model rule per address, each on the rule's profiles, program and interface type.
    const kept = ['"fwlint lumen-cloud/windows in/tcp/5985/control-portal"#1', 'powershell', '5985', ['domain', 'private'], { program: 'c:\\program files\\agent\\agent.exe', interfacetype: 'lan' }];
    expect(written.map((rule) => [rule.resourceAddress, rule.kind, rule.ports.toString(), rule.profiles, rule.conditions])).toEqual([kept, kept]);
  });

  it('is the same commands for the rule in the PowerShell JSON export', () => {
    const json = JSON.stringify([{ DisplayName: 'All TCP', Enabled: 'True', Direction: 'Inbound', Action: 'Allow', Profile: 'Domain, Private', Protocol: 'TCP', LocalPort: ['1-65535'], RemoteAddress: ['10.0.0.0/8'], Program: 'C:\\Program Files\\Agent\\agent.exe', InterfaceType: 'Wired' }]);
    const exported = scanFiles({ 'app01.json': json, '.fwlint.yaml': config });
    expect(exported.diagnostics).toEqual([]);
    expect(exported.findings.find((each) => each.checkId === 'FW202')?.properties.replacement).toBe(replacement);
  });

  // QA s15: a netsh line of a .ps1 got cmd's fragment (REM lines, %FWLINT_PEER_…%), which PowerShell cannot run.
  it('writes netsh lines as PowerShell runs them for a netsh line of a .ps1: # comments, a $ variable for an unbound peer', () => {
    const line = 'netsh advfirewall firewall add rule name="All TCP" dir=in action=allow protocol=TCP localport=1-65535 remoteip=10.0.0.0/8 profile=domain program="C:\\Program Files\\Agent $1\\agent.exe"';
    const script = `# fwlint:target app01\n# fwlint:profile lumen-cloud/windows\n${line}\n`;
    const fw202 = scanFiles({ 'app01.ps1': script }).findings.find((each) => each.checkId === 'FW202')!;
    const fragment = String(fw202.properties.replacement).trimEnd().split('\n');
    expect(fragment).toEqual([
      '# fwlint: replaces "All TCP"#1 with the advanced rules of lumen-cloud/windows (Lumen Cloud Windows VM) for its traffic',
      '# phase: all (install and operate); options: none',
      '# Before running, set these variables to the peers\' addresses (one string: comma-separated IPs, subnets or ranges):',
      "#   $ControlPortalCidr = '...'   # control-portal",
      'netsh advfirewall firewall add rule name="fwlint lumen-cloud/windows in/tcp/5985/control-portal" dir=in action=allow protocol=TCP localport=5985'
        + ' remoteip=$ControlPortalCidr profile=domain program="C:\\Program Files\\Agent `$1\\agent.exe"'
        + ' description="WinRM used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/5985/control-portal]"',
    ]);
    // Spliced in place, with the variable set as the note says: read as written, the rule's profile and program kept.
    const lines = script.split('\n');
    lines.splice(fw202.location.range.startLine - 1, 1, "$ControlPortalCidr = '10.0.0.0/24,10.9.0.5'", ...fragment);
    const second = scanFiles({ 'app01.ps1': lines.join('\n') });
    expect(second.diagnostics).toEqual([]);
    expect(second.findings.filter((each) => each.checkId === 'FW202')).toEqual([]);
    expect(second.targets[0]!.rules.map((rule) => [describePeer(rule.peer), rule.ports.toString(), rule.profiles, rule.conditions])).toEqual([
      ['10.0.0.0/24', '5985', ['domain'], { program: 'c:\\program files\\agent $1\\agent.exe' }],
      ['10.9.0.5', '5985', ['domain'], { program: 'c:\\program files\\agent $1\\agent.exe' }],
    ]);
  });

  it('leaves netsh rules netsh\'s fragment', () => {
    const cmd = 'netsh advfirewall firewall add rule name="All TCP" dir=in action=allow protocol=TCP localport=1-65535 remoteip=10.0.0.0/8\n';
    const netsh = String(scanFiles({ 'app01.cmd': cmd, '.fwlint.yaml': config }).findings.find((each) => each.checkId === 'FW202')!.properties.replacement);
    expect(netsh).toMatch(/^REM fwlint: replaces/);
    expect(netsh).not.toContain('New-NetFirewallRule');
  });
});
