import type { ParseResult } from '../../../src/model';
import { scanFiles } from '../../helpers/scan-fixture';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

const codes = (result: ParseResult): Array<[string, number | undefined]> => result.diagnostics.map((d) => [d.code, d.range?.startLine]);

describe('PowerShell Set-NetFirewallProfile and other NetSecurity settings (QA 6/10)', () => {
  it('warns parse/netsh-firewall-off for -Enabled False, naming the profiles, as for netsh state off', () => {
    const cases: Array<[string, string]> = [
      ['Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled False', 'all profiles'],
      ['Set-NetFirewallProfile -All -Enabled:$false', 'all profiles'],
      ['Set-NetFirewallProfile -Name Public -Enabled 0', 'the public profile'],
      ['Set-NetFirewallProfile -Profile Domain, Private -Enabled False', 'the domain and private profiles'],
      ['Get-NetFirewallProfile | Set-NetFirewallProfile -Enabled False', 'the profiles it is given (which fwlint does not know)'],
    ];
    for (const [line, which] of cases) {
      const result = parseNetshText(`${line}\n`, 'off.ps1');
      expect(codes(result)).toEqual([['parse/netsh-firewall-off', 1]]);
      expect(result.diagnostics[0]!.message).toBe(`this command turns Windows Firewall off on ${which}: while it is off no rule applies and every port is open; fwlint checks the rules as if the firewall were on`);
    }
    expect(parseNetshText('Set-NetFirewallProfile -All -Enabled True\n', 'on.ps1').diagnostics).toEqual([]);
  });

  it('reads -DefaultInboundAction Allow as the AllowInbound policy rule: FW101 critical and FW102', () => {
    const { findings } = scanFiles({ 'allow.ps1': '# fwlint:target web05\nSet-NetFirewallProfile -All -DefaultInboundAction Allow\n' });
    expect(findings.map((f) => [f.checkId, f.severity, f.location.range.startLine, f.message])).toEqual([
      ['FW101', 'critical', 2, 'web05 allows ingress from 0.0.0.0/0, ::/0 on all traffic'],
      ['FW102', 'high', 2, 'web05 allows all traffic from Any'],
    ]);
  });

  it('gives the policy rule the profiles named, and takes it back with Block', () => {
    const rules = onlyTarget(parseNetshText('Set-NetFirewallProfile -Profile Public -DefaultInboundAction Allow\n', 'p.ps1')).rules;
    expect(rules.map((rule) => [rule.resourceAddress, rule.action, rule.profiles, rule.hostDefault])).toEqual([['"Inbound default policy AllowInbound"#1', 'allow', ['public'], true]]);
    const closed = parseNetshText('Set-NetFirewallProfile -All -DefaultInboundAction Allow\nSet-NetFirewallProfile -All -DefaultInboundAction Block\n', 'c.ps1');
    expect(onlyTarget(closed).rules).toEqual([]);
  });

  it('warns parse/netsh-powershell-cmdlets for the filter and setting cmdlets it does not read', () => {
    const text = 'Get-NetFirewallRule -DisplayName "Remote Desktop - User Mode (TCP-In)" | Get-NetFirewallAddressFilter | Set-NetFirewallAddressFilter -RemoteAddress Any\n' +
      'Set-NetFirewallSetting -AllowIPsecThroughNAT Both\n';
    const result = parseNetshText(text, 'addrfilter.ps1');
    expect(codes(result)).toEqual([['parse/netsh-powershell-cmdlets', 1]]);
    expect(result.diagnostics[0]!.message).toContain('with Set-NetFirewallAddressFilter (line 1), Set-NetFirewallSetting (line 2), which fwlint does not read');
    // Reading the profile cmdlet is not "not read"; Get-* cmdlets change nothing.
    expect(parseNetshText('Get-NetFirewallProfile\nSet-NetFirewallProfile -All -LogBlocked True\n', 'log.ps1').diagnostics).toEqual([]);
  });
});

describe('Set-NetFirewallProfile run elsewhere or not run (QA 7/14)', () => {
  it('skips it with parse/netsh-remote-host inside Invoke-Command -ComputerName/-Session, one line or a block, and with -CimSession', () => {
    const web = 'netsh advfirewall firewall add rule name="Web" dir=in action=allow protocol=TCP localport=443 remoteip=10.0.0.0/8\n';
    const cases: Array<[string, number, string]> = [
      ['Invoke-Command -ComputerName lab-web02 -ScriptBlock { Set-NetFirewallProfile -All -DefaultInboundAction Allow }\n', 1, '"lab-web02" (Invoke-Command -ComputerName)'],
      ['$sess = New-PSSession -ComputerName lab-web03\nInvoke-Command -Session $sess -ScriptBlock {\n  Set-NetFirewallProfile -Profile Public -Enabled False\n}\n', 3, '"$sess" (Invoke-Command -Session)'],
      ['Invoke-Command -ComputerName lab-web04 {\n  Set-NetFirewallProfile -Profile Domain -DefaultInboundAction Allow\n}\n', 2, '"lab-web04" (Invoke-Command -ComputerName)'],
      ['Set-NetFirewallProfile -Profile Domain -DefaultInboundAction Allow -CimSession lab5\n', 1, '"lab5" (Set-NetFirewallProfile -CimSession)'],
    ];
    for (const [text, line, where] of cases) {
      const result = parseNetshText(text + web, 'remote.ps1');
      expect(codes(result)).toEqual([['parse/netsh-remote-host', line]]);
      expect(result.diagnostics[0]!.message).toContain(`this command runs on the computer ${where}, not on the host this file describes: fwlint skips it`);
      expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"Web"#1']);
    }
  });

  it('reads nothing from -WhatIf or -WhatIf:$true, and reads -WhatIf:$false as run', () => {
    for (const whatIf of ['-WhatIf', '-WhatIf:$true', '-wh']) {
      const result = parseNetshText(`Set-NetFirewallProfile -Profile Domain -DefaultInboundAction Allow ${whatIf}\nSet-NetFirewallProfile -All -Enabled False ${whatIf}\n`, 'whatif.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(result.targets.flatMap((target) => target.rules)).toEqual([]);
    }
    const run = parseNetshText('Set-NetFirewallProfile -Profile Domain -DefaultInboundAction Allow -WhatIf:$false\n', 'run.ps1');
    expect(onlyTarget(run).rules.map((rule) => [rule.resourceAddress, rule.profiles])).toEqual([['"Inbound default policy AllowInbound"#1', ['domain']]]);
  });
});
