import { describePeer } from '../../src/model';
import type { ScanResult } from '../../src/pipeline/scan';
import { scanFiles } from '../helpers/scan-fixture';

/*
 * QA s15: FW202's netsh/PowerShell replacement must be a rule no wider than the one it replaces, and applying every
 * replacement must leave the host clean. It dropped the IPsec settings (security=, -Authentication, -Encryption)
 * and the authorized computers and users (rmtcomputergrp/rmtusrgrp, -RemoteMachine/-RemoteUser), so the pasted
 * rule admitted unauthenticated traffic; it lower-cased the kept -Program/-LocalUser/-Package values; it named an
 * alternative port's rule after the flow's first port (two rules of one name); and with a block rule on one profile
 * a later rule's replacement wrote again what an earlier one writes (FW302 once applied).
 */

type Finding = ScanResult['findings'][number];

/** `text` with each finding's `properties.replacement` in place of its lines, or the lines removed when it has none. */
function applied(text: string, findings: readonly Finding[]): string {
  const lines = text.split('\n');
  // Bottom up, so that earlier line numbers stay right.
  for (const finding of [...findings].sort((a, b) => b.location.range.startLine - a.location.range.startLine)) {
    const { startLine, endLine } = finding.location.range;
    const replacement = finding.properties.replacement;
    lines.splice(startLine - 1, endLine - startLine + 1, ...(replacement === undefined ? [] : String(replacement).trimEnd().split('\n')));
  }
  return lines.join('\n');
}

const fw202 = (result: ScanResult): Finding[] => result.findings.filter((each) => each.checkId === 'FW202');

describe('FW202 Windows replacement keeps the IPsec, computer and user conditions of the rule', () => {
  const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24'] } }] });
  const computers = 'D:(A;;CC;;;S-1-5-21-1-2-3-1105)';
  const users = 'D:(A;;CC;;;S-1-5-21-1-2-3-512)';

  it('netsh: security=, rmtcomputergrp= and rmtusrgrp= as written; applied, the script rescans clean with them', () => {
    const script = `REM fwlint:target win01\nnetsh advfirewall firewall add rule name="WinRM secure" dir=in action=allow protocol=TCP localport=5985-5986 remoteip=10.0.0.0/16 security=authenticateenc rmtcomputergrp="${computers}" rmtusrgrp="${users}" edge=deferuser\n`;
    const first = scanFiles({ 'win01.cmd': script, '.fwlint.yaml': config });
    const replacement = String(fw202(first)[0]!.properties.replacement);
    expect(replacement).toContain(`remoteip=10.0.0.0/24 security=authenticateenc edge=deferuser rmtcomputergrp="${computers}" rmtusrgrp="${users}" description=`);
    const second = scanFiles({ 'win01.cmd': applied(script, fw202(first)), '.fwlint.yaml': config });
    expect(second.diagnostics).toEqual([]);
    expect(second.findings).toEqual([]);
    expect(second.targets[0]!.rules.map((rule) => [describePeer(rule.peer), rule.ports.toString(), rule.writtenConditions])).toEqual([
      ['10.0.0.0/24', '5985', { security: 'authenticateenc', edge: 'deferuser', rmtcomputergrp: computers, rmtusrgrp: users }],
    ]);
  });

  it('PowerShell: -Authentication, -Encryption, -RemoteMachine, -RemoteUser, -EdgeTraversalPolicy; applied, clean with them', () => {
    const script = [
      '# fwlint:target win01',
      `New-NetFirewallRule -DisplayName "WinRM secure" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 5985,5986 -RemoteAddress 10.0.0.0/16 -Authentication Required -Encryption Dynamic -RemoteMachine "${computers}" -RemoteUser "${users}" -EdgeTraversalPolicy DeferToApp`,
      '',
    ].join('\n');
    const first = scanFiles({ 'win01.ps1': script, '.fwlint.yaml': config });
    const replacement = String(fw202(first)[0]!.properties.replacement);
    expect(replacement).toContain(`-RemoteAddress '10.0.0.0/24' -Authentication 'Required' -Encryption 'Dynamic' -EdgeTraversalPolicy DeferToApp -RemoteMachine '${computers}' -RemoteUser '${users}' -Description`);
    const second = scanFiles({ 'win01.ps1': applied(script, fw202(first)), '.fwlint.yaml': config });
    expect(second.diagnostics).toEqual([]);
    expect(second.findings).toEqual([]);
    expect(second.targets[0]!.rules.map((rule) => rule.writtenConditions)).toEqual([
      { authentication: 'Required', encryption: 'Dynamic', edge: 'deferapp', rmtcomputergrp: computers, rmtusrgrp: users },
    ]);
  });

  it('PowerShell JSON export: Authentication, Encryption, RemoteMachine, RemoteUser, EdgeTraversalPolicy read as the cmdlet\'s; the replacement keeps them', () => {
    const rule = (extra: Record<string, unknown>): Record<string, unknown> => ({
      DisplayName: 'WinRM secure', Enabled: 'True', Direction: 'Inbound', Action: 'Allow', Profile: 'Any', Protocol: 'TCP',
      LocalPort: ['5985', '5986'], RemotePort: ['Any'], LocalAddress: ['Any'], RemoteAddress: ['10.0.0.0/16'], Program: 'Any', ...extra,
    });
    const secured = rule({ Authentication: 'Required', Encryption: 'Dynamic', RemoteMachine: computers, RemoteUser: users, EdgeTraversalPolicy: 'DeferToApp' });
    const result = scanFiles({ 'win01.json': JSON.stringify([secured], null, 2), '.fwlint.yaml': config });
    expect(result.diagnostics).toEqual([]);
    expect(result.targets[0]!.rules.map((each) => each.writtenConditions)).toEqual([
      { authentication: 'Required', encryption: 'Dynamic', edge: 'deferapp', rmtcomputergrp: computers, rmtusrgrp: users },
    ]);
    const replacement = String(fw202(result)[0]!.properties.replacement);
    expect(replacement).toContain(`-RemoteAddress '10.0.0.0/24' -Authentication 'Required' -Encryption 'Dynamic' -EdgeTraversalPolicy DeferToApp -RemoteMachine '${computers}' -RemoteUser '${users}' -Description`);
    // Their defaults, as Get-NetFirewallSecurityFilter prints them, limit nothing; names are case-insensitive.
    const open = scanFiles({ 'win01.json': JSON.stringify([rule({ Authentication: 'notrequired', Encryption: 'NotRequired', RemoteMachine: 'Any', RemoteUser: 'Any', EdgeTraversalPolicy: 'Block' })]), '.fwlint.yaml': config });
    expect(open.diagnostics).toEqual([]);
    expect(open.targets[0]!.rules.map((each) => each.writtenConditions)).toEqual([undefined]);
    // A name PowerShell does not write is an error, kept as written (a replacement never drops what may limit the rule).
    const bad = scanFiles({ 'win01.json': JSON.stringify([rule({ Authentication: 'Maybe' })]), '.fwlint.yaml': config });
    expect(bad.diagnostics.map((each) => [each.code, each.message])).toEqual([
      ['parse/powershell-bad-value', 'rule "WinRM secure": Authentication "Maybe" is not NotRequired, Required or NoEncap; it is kept as written'],
    ]);
    expect(bad.targets[0]!.rules.map((each) => each.writtenConditions)).toEqual([{ authentication: 'Maybe' }]);
  });

  it('a netsh line of a .ps1 keeps security= as written', () => {
    const script = '# fwlint:target win01\n# fwlint:profile lumen-cloud/windows\nnetsh advfirewall firewall add rule name="WinRM" dir=in action=allow protocol=TCP localport=5985-5986 remoteip=10.0.0.0/24 security=authdynenc\n';
    const replacement = String(fw202(scanFiles({ 'win01.ps1': script }))[0]!.properties.replacement);
    expect(replacement).toContain(' security=authdynenc ');
  });

  it('keeps -Program, -LocalUser (SDDL), -Package and -Owner as written, not lower-cased', () => {
    const script = [
      '# fwlint:target win01',
      'New-NetFirewallRule -DisplayName "WinRM" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 5985,5986 -RemoteAddress 10.0.0.0/16 -Program "C:\\Windows\\System32\\svchost.exe" -LocalUser "D:(A;;CC;;;S-1-5-21-1-2-3-500)" -Package "S-1-15-2-1" -Owner "S-1-5-21-1-2-3-1001"',
      '',
    ].join('\n');
    const first = scanFiles({ 'win01.ps1': script, '.fwlint.yaml': config });
    const replacement = String(fw202(first)[0]!.properties.replacement);
    expect(replacement).toContain("-Program 'C:\\Windows\\System32\\svchost.exe' -Package 'S-1-15-2-1' -LocalUser 'D:(A;;CC;;;S-1-5-21-1-2-3-500)' -Owner 'S-1-5-21-1-2-3-1001'");
    const second = scanFiles({ 'win01.ps1': applied(script, fw202(first)), '.fwlint.yaml': config });
    expect(second.diagnostics).toEqual([]);
    expect(second.findings).toEqual([]);
  });
});

describe('FW202 Windows replacement names an alternative port\'s rule for what it opens', () => {
  const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'citrix-app-layering/agent', options: ['hyper-v'], peers: { appliance: ['10.20.0.10/32'] } }] });

  it.each([
    ['netsh', 'app01.cmd', 'REM fwlint:target app01\nnetsh advfirewall firewall add rule name="Appliance agent" dir=out action=allow protocol=TCP remoteport=1-65535 remoteip=10.20.0.0/16\nnetsh advfirewall firewall add rule name="Appliance cmds" dir=in action=allow protocol=TCP localport=8016 remoteip=10.20.0.10\n', /name="([^"]+)"/],
    ['PowerShell', 'app01.ps1', '# fwlint:target app01\nNew-NetFirewallRule -DisplayName "Appliance agent" -Direction Outbound -Action Allow -Protocol TCP -RemotePort 1-65535 -RemoteAddress 10.20.0.0/16\nNew-NetFirewallRule -DisplayName "Appliance cmds" -Direction Inbound -Action Allow -Protocol TCP -LocalPort 8016 -RemoteAddress 10.20.0.10\n', /-DisplayName '([^']+)'/],
  ])('%s: no two rules of one name; applied, the script rescans clean', (_format, file, script, namePattern) => {
    const first = scanFiles({ [file]: script, '.fwlint.yaml': config });
    const commands = String(fw202(first)[0]!.properties.replacement).split('\n').filter((line) => namePattern.test(line));
    const names = commands.map((line) => namePattern.exec(line)![1]!);
    expect(names).toEqual([
      'fwlint citrix-app-layering/agent out/tcp/443/appliance',
      'fwlint citrix-app-layering/agent out/tcp/8787/appliance',
      'fwlint citrix-app-layering/agent out/tcp/3512/appliance?hyper-v',
      'fwlint citrix-app-layering/agent out/tcp/3512/appliance?hyper-v (alternative tcp/3012)',
      'fwlint citrix-app-layering/agent out/tcp/3515/appliance?hyper-v',
      'fwlint citrix-app-layering/agent out/tcp/3515/appliance?hyper-v (alternative tcp/3015)',
    ]);
    expect(commands[3]).toMatch(/remoteport=3012 |-RemotePort 3012 /);
    const second = scanFiles({ [file]: applied(script, fw202(first)), '.fwlint.yaml': config });
    expect(second.diagnostics).toEqual([]);
    expect(second.findings).toEqual([]);
  });
});

describe('FW202 Windows replacements with a block rule on one profile write each flow once', () => {
  const config = JSON.stringify({ targets: [{ match: ['*'], profile: 'lumen-cloud/windows', peers: { 'control-portal': ['10.0.0.0/24'] } }] });
  const script = [
    'REM fwlint:target win01',
    'netsh advfirewall firewall add rule name="WinRM" dir=in action=allow protocol=TCP localport=5985,5986 remoteip=10.0.0.0/24,203.0.113.0/24',
    'netsh advfirewall firewall add rule name="Mgmt all" dir=in action=allow remoteip=10.0.0.0/16 localip=10.5.0.4',
    'netsh advfirewall firewall add rule name="Block WinRM public" dir=in action=block protocol=TCP localport=5985 remoteip=10.0.0.128/25 profile=public',
    '',
  ].join('\n');

  it('the later rule says whose replacement writes its flow and to remove it; applied, no FW302 and no FW202', () => {
    const first = scanFiles({ 'win01.cmd': script, '.fwlint.yaml': config });
    const [winrm, mgmt] = fw202(first);
    expect(winrm!.properties.replacement).toContain('remoteip=10.0.0.0/24 ');
    expect(mgmt!.message).toContain('the role\'s flows it carries are written by the replacement of "WinRM"#1; once that is applied, the role needs none of it: remove the rule');
    expect(mgmt!.properties.replacement).toBeUndefined();
    const second = scanFiles({ 'win01.cmd': applied(script, [winrm!, mgmt!]), '.fwlint.yaml': config });
    expect(second.diagnostics).toEqual([]);
    // Only the user's own block rule's FW201 on Public stays.
    expect(second.findings.map((each) => each.checkId)).toEqual(['FW201']);
  });
});
