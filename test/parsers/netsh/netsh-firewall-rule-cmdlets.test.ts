import { describePeer } from '../../../src/model';
import type { ParseResult, Rule } from '../../../src/model';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

/** A rule as `"Name"#1 in allow 6 [80] from Any on domain,private,public`, with what else it has. */
function summary(rule: Rule): string {
  const protocol = rule.protocol.kind === 'number' ? String(rule.protocol.value) : rule.protocol.kind;
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  const conditions = rule.conditions ? ` if ${Object.entries(rule.conditions).map(([key, value]) => `${key}=${value}`).join(' ')}` : '';
  const branch = rule.branch ? ` (when ${rule.branch})` : '';
  return `${rule.resourceAddress} ${rule.direction} ${rule.action}${rule.enabled ? '' : ' (disabled)'} ${protocol} ` +
    `[${rule.ports.toString()}]${icmp} from ${describePeer(rule.peer)} on ${rule.profiles!.join(',')}${conditions}${branch}`;
}

const codes = (result: ParseResult): Array<[string, string, number | undefined]> => result.diagnostics.map((d) => [d.code, d.severity, d.range?.startLine]);

describe('New-NetFirewallRule read as netsh add rule (formats.md §4.5)', () => {
  const valid: Array<[string, string, string[]]> = [
    ['the defaults: Inbound, Allow, any protocol, port and address, every profile, enabled',
      'New-NetFirewallRule -DisplayName "All in"', ['"All in"#1 in allow any [0-65535] from Any on domain,private,public']],
    ['each enumeration and list parameter',
      'New-NetFirewallRule -DisplayName "DNS out" -Direction Outbound -Action Block -Protocol UDP -RemotePort 53 -RemoteAddress 10.0.0.53 -Profile Public',
      ['"DNS out"#1 out deny 17 [53] from 10.0.0.53 on public']],
    ['unique prefixes, the ID alias and -Parameter:value',
      'New-NetFirewallRule -Dis "SSH" -Dir Inbound -Act:Block -Prot TCP -LocalP 22 -ID ssh-block', ['"SSH"#1 in deny 6 [22] from Any on domain,private,public']],
    ['an array written 80,443', 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort 80,443', ['"Web"#1 in allow 6 [80, 443] from Any on domain,private,public']],
    ['an array written 80, 443', 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort 80, 443', ['"Web"#1 in allow 6 [80, 443] from Any on domain,private,public']],
    ['an array written @("80","443")', 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort @("80","443")', ['"Web"#1 in allow 6 [80, 443] from Any on domain,private,public']],
    ['an array written @(80, 443)', 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort @(80, 443) -Profile Domain, Private', ['"Web"#1 in allow 6 [80, 443] from Any on domain,private']],
    ['a range "5000-5010"', 'New-NetFirewallRule -DisplayName Range -Protocol TCP -LocalPort "5000-5010"', ['"Range"#1 in allow 6 [5000-5010] from Any on domain,private,public']],
    ['an array from a variable', '$ports = @(80, 443)\nNew-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort $ports', ['"Web"#1 in allow 6 [80, 443] from Any on domain,private,public']],
    ['a string from a variable, and the address list continued with a backtick',
      '$mgmt = "10.0.0.0/8"\nNew-NetFirewallRule -DisplayName RDP -Protocol TCP -LocalPort 3389 `\n  -RemoteAddress $mgmt, "192.168.0.0/16"',
      ['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public', '"RDP"#1 in allow 6 [3389] from 192.168.0.0/16 on domain,private,public']],
    ['address keywords', 'New-NetFirewallRule -DisplayName K -RemoteAddress LocalSubnet, Internet, DefaultGateway',
      ['"K"#1 in allow any [0-65535] from LocalSubnet on domain,private,public', '"K"#1 in allow any [0-65535] from Internet on domain,private,public',
        '"K"#1 in allow any [0-65535] from DefaultGateway on domain,private,public']],
    ['the RPCEPMap port keyword as RPC-EPMap', 'New-NetFirewallRule -DisplayName EPMap -Protocol TCP -LocalPort RPCEPMap', ['"EPMap"#1 in allow 6 [135] from Any on domain,private,public']],
    ['-Enabled False', 'New-NetFirewallRule -DisplayName Off -Protocol TCP -LocalPort 23 -Enabled False', ['"Off"#1 in allow (disabled) 6 [23] from Any on domain,private,public']],
    ['-OverrideBlockRules $true as bypass', 'New-NetFirewallRule -DisplayName Bypass -Protocol TCP -LocalPort 445 -OverrideBlockRules $true -RemoteAddress 10.0.0.0/8',
      ['"Bypass"#1 in bypass 6 [445] from 10.0.0.0/8 on domain,private,public']],
    ['-IcmpType with a type and a type:code', 'New-NetFirewallRule -DisplayName Icmp -Protocol ICMPv4 -IcmpType 8, "3:4"',
      ['"Icmp"#1 in allow 1 [0-65535] icmp 8/any from Any on domain,private,public', '"Icmp"#1 in allow 1 [0-65535] icmp 3/4 from Any on domain,private,public']],
    ['program, service, package and interface type as conditions',
      'New-NetFirewallRule -DisplayName App -Program "C:\\App\\app.exe" -Service AppSvc -Package S-1-15-2-1 -InterfaceType Wired',
      ['"App"#1 in allow any [0-65535] from Any on domain,private,public if program=c:\\app\\app.exe service=appsvc interfacetype=lan package=s-1-15-2-1']],
    ['a splat of a hashtable with an array', '$p = @{ DisplayName = "WinRM"; Protocol = "TCP"; LocalPort = 5985, 5986; RemoteAddress = "LocalSubnet" }\nNew-NetFirewallRule @p',
      ['"WinRM"#1 in allow 6 [5985-5986] from LocalSubnet on domain,private,public']],
    ['a splat written over several lines', '$p = @{\n  DisplayName = "SQL"\n  Protocol = "TCP"\n  LocalPort = @("1433", "1434")  # engine and browser\n}\nNew-NetFirewallRule @p -Profile Domain',
      ['"SQL"#1 in allow 6 [1433-1434] from Any on domain']],
    ['a call of a function', 'function Open-Port($Port, $From = "any") { New-NetFirewallRule -DisplayName "Port $Port" -Protocol TCP -LocalPort $Port -RemoteAddress $From }\nOpen-Port 22 10.0.0.0/8\nOpen-Port 8080',
      ['"Port 22"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public', '"Port 8080"#1 in allow 6 [8080] from Any on domain,private,public']],
    ['a loop over a literal list', 'foreach ($p in 80, 443) { New-NetFirewallRule -DisplayName "Web $p" -Protocol TCP -LocalPort $p }',
      ['"Web 80"#1 in allow 6 [80] from Any on domain,private,public', '"Web 443"#1 in allow 6 [443] from Any on domain,private,public']],
    ['an if', 'if ($Dev) { New-NetFirewallRule -DisplayName Debug -Protocol TCP -LocalPort 4022 }', ['"Debug"#1 in allow 6 [4022] from Any on domain,private,public (when $Dev)']],
    ['the result dropped with $null =', '$null = New-NetFirewallRule -DisplayName Quiet -Protocol UDP -LocalPort 161 -RemoteAddress 10.0.0.0/8',
      ['"Quiet"#1 in allow 17 [161] from 10.0.0.0/8 on domain,private,public']],
    ['the result kept in a variable, the default policy store named, -WhatIf:$false',
      '$rule = New-NetFirewallRule -DisplayName Kept -Protocol TCP -LocalPort 8443 -PolicyStore PersistentStore -WhatIf:$false -ErrorAction Stop',
      ['"Kept"#1 in allow 6 [8443] from Any on domain,private,public']],
  ];
  for (const [what, script, expected] of valid) {
    it(`reads ${what}`, () => {
      const result = parseNetshText(`${script}\n`, 'host.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('gives the rules the kind powershell, at the whole command, backtick continuations included', () => {
    const rules = onlyTarget(parseNetshText('New-NetFirewallRule -DisplayName RDP `\n  -Protocol TCP -LocalPort 3389 `\n  -RemoteAddress Any\n', 'h.ps1')).rules;
    expect(rules.map((rule) => [rule.kind, rule.platform, rule.location.range.startLine, rule.location.range.endLine])).toEqual([['powershell', 'windows-fw', 1, 3]]);
  });

  it('reports the rule as netsh rules are reported: FW101 critical on RDP from Any, as one rule in the summary', () => {
    const { findings, stats } = scanFiles({ 'web01.ps1': 'New-NetFirewallRule -DisplayName RDP -Protocol TCP -LocalPort 3389 -RemoteAddress Any, 10.0.0.0/8\n' });
    expect(findings.map((f) => [f.checkId, f.severity, f.location.range.startLine, f.message])).toEqual([
      ['FW101', 'critical', 1, 'web01 allows ingress from 0.0.0.0/0, ::/0 on tcp/3389'],
    ]);
    expect(stats.rules).toBe(1);
  });

  it('takes a value it does not know as unknown (FW303), never as open or safe', () => {
    const result = parseNetshText('New-NetFirewallRule -DisplayName Mgmt -Protocol TCP -LocalPort 5985 -RemoteAddress $env:MGMT -Profile $profiles\n', 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    const [rule] = onlyTarget(result).rules;
    expect(rule!.peer).toEqual({ kind: 'unknown', expr: '$env:MGMT' });
    expect(rule!.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([['profiles', '$profiles'], ['peer', '$env:MGMT']]);
    const { findings } = scanFiles({ 'h.ps1': 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort $port\n' });
    expect(findings.map((f) => [f.checkId, f.severity])).toEqual([['FW101', 'high'], ['FW303', 'note']]);
  });

  it('takes a bracketed expression it does not compute as unknown, not as the words in it', () => {
    for (const value of ['(Get-Content admins.txt)', '@("10.0.0.0/8", (Get-Cidr))', '@(LocalSubnet)']) {
      const result = parseNetshText(`New-NetFirewallRule -DisplayName Mgmt -Protocol TCP -LocalPort 22 -RemoteAddress ${value}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map((rule) => rule.peer.kind)).toEqual(['unknown']);
    }
    // `@(5000-5010)` is arithmetic (-10), not a range.
    const range = parseNetshText('New-NetFirewallRule -DisplayName R -Protocol TCP -LocalPort @(5000-5010)\n', 'h.ps1');
    expect(onlyTarget(range).rules[0]!.unknowns.map((unknown) => unknown.field)).toEqual(['ports']);
  });

  it('skips a rule whose direction it does not know, as netsh dir=%DIR% is', () => {
    const result = parseNetshText('New-NetFirewallRule -DisplayName X -Direction $dir -Protocol TCP -LocalPort 22\n', 'h.ps1');
    expect(codes(result)).toEqual([['parse/netsh-unresolved', 'warning', 1]]);
    expect(result.diagnostics[0]!.message).toBe('rule "X": Direction is $dir, which cannot be resolved statically; the rule is skipped');
  });

  const skipped: Array<[string, string, string, string]> = [
    ['-WhatIf', 'New-NetFirewallRule -DisplayName X -Protocol TCP -LocalPort 22 -WhatIf', '', ''],
    ['Invoke-Command -ComputerName', 'Invoke-Command -ComputerName web02 -ScriptBlock { New-NetFirewallRule -DisplayName X -Protocol TCP -LocalPort 22 }',
      'parse/netsh-remote-host', 'this command runs on the computer "web02" (Invoke-Command -ComputerName), not on the host this file describes: fwlint skips it'],
    ['-CimSession', 'New-NetFirewallRule -DisplayName X -Protocol TCP -LocalPort 22 -CimSession web03',
      'parse/netsh-remote-host', 'this command runs on the computer "web03" (New-NetFirewallRule -CimSession)'],
    ['a domain GPO -PolicyStore', 'New-NetFirewallRule -DisplayName X -Protocol TCP -LocalPort 22 -PolicyStore corp.contoso.com\\FirewallPolicy',
      'parse/netsh-remote-host', 'this command changes the policy store "corp.contoso.com\\FirewallPolicy" (New-NetFirewallRule -PolicyStore), not this host\'s own rules: fwlint skips it'],
    ['-GPOSession', '$gpo = Open-NetGPO -PolicyStore corp.contoso.com\\Fw\nNew-NetFirewallRule -DisplayName X -Protocol TCP -LocalPort 22 -GPOSession $gpo',
      'parse/netsh-remote-host', 'this command changes the policy store "$gpo" (New-NetFirewallRule -GPOSession)'],
    ['a parameter it does not have', 'New-NetFirewallRule -DisplayName X -Protocol TCP -LocalPortt 22',
      'parse/netsh-bad-argument', 'New-NetFirewallRule on line 1: it has no parameter -LocalPortt (or more than one starts so), so PowerShell refuses the command and it changes no rule; it is skipped'],
    ['an ambiguous prefix', 'New-NetFirewallRule -DisplayName X -Local 22', 'parse/netsh-bad-argument', 'it has no parameter -Local (or more than one starts so)'],
    ['a value by position', 'New-NetFirewallRule X -Protocol TCP', 'parse/netsh-bad-argument', 'PowerShell has no parameter for "X" by position'],
    ['a splat it cannot read', '$p = Get-RuleSettings\nNew-NetFirewallRule @p',
      'parse/netsh-powershell-cmdlets', 'New-NetFirewallRule on line 2 is not read: its parameters come from the splat @p, which is not a hashtable or array written out in the script'],
    ['an enumeration value PowerShell refuses', 'New-NetFirewallRule -DisplayName X -Direction In',
      'parse/netsh-bad-value', 'New-NetFirewallRule -Direction "In" is not one of Inbound, Outbound, so PowerShell refuses the command; it is skipped'],
    ['no -DisplayName', 'New-NetFirewallRule -Name only-an-id -Protocol TCP -LocalPort 22',
      'parse/netsh-missing-field', 'New-NetFirewallRule has no -DisplayName, which PowerShell requires; the command is skipped'],
  ];
  for (const [what, script, code, message] of skipped) {
    it(`creates no rule for ${what}`, () => {
      const result = parseNetshText(`${script}\nnetsh advfirewall firewall add rule name=Other dir=in action=allow protocol=TCP localport=443 remoteip=10.0.0.0/8\n`, 'h.ps1');
      expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"Other"#1']);
      expect(result.diagnostics.map((d) => d.code)).toEqual(code === '' ? [] : [code]);
      if (message !== '') expect(result.diagnostics[0]!.message).toContain(message);
    });
  }
});

describe('Set-, Remove-, Enable- and Disable-NetFirewallRule read as netsh set rule and delete rule', () => {
  const created = 'New-NetFirewallRule -DisplayName "Web" -Name web-in -Group "Contoso Web" -Protocol TCP -LocalPort 80\n' +
    'New-NetFirewallRule -DisplayName "Web TLS" -Group "Contoso Web" -Protocol TCP -LocalPort 443\n' +
    'netsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=TCP localport=22\n';
  const valid: Array<[string, string, string[]]> = [
    ['Set-NetFirewallRule by -DisplayName', 'Set-NetFirewallRule -DisplayName "Web TLS" -RemoteAddress 10.0.0.0/8 -Profile Domain',
      ['"Web"#1 in allow 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow 6 [443] from 10.0.0.0/8 on domain', '"SSH"#1 in allow 6 [22] from Any on domain,private,public']],
    ['Set-NetFirewallRule by -Name (the id), positional, with -NewDisplayName', 'Set-NetFirewallRule web-in -NewDisplayName "Web plain" -Action Block',
      ['"Web plain"#1 in deny 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow 6 [443] from Any on domain,private,public', '"SSH"#1 in allow 6 [22] from Any on domain,private,public']],
    ['Set-NetFirewallRule by a wildcard display name, on a rule netsh created too', 'Set-NetFirewallRule -DisplayName "W*", "ss?" -Enabled False',
      ['"Web"#1 in allow (disabled) 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow (disabled) 6 [443] from Any on domain,private,public', '"SSH"#1 in allow (disabled) 6 [22] from Any on domain,private,public']],
    ['Disable-NetFirewallRule by -Group', 'Disable-NetFirewallRule -Group "Contoso Web"',
      ['"Web"#1 in allow (disabled) 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow (disabled) 6 [443] from Any on domain,private,public', '"SSH"#1 in allow 6 [22] from Any on domain,private,public']],
    ['Enable-NetFirewallRule by -DisplayGroup after a disable', 'Disable-NetFirewallRule -DisplayName Web\nEnable-NetFirewallRule -DisplayGroup "Contoso Web"',
      ['"Web"#1 in allow 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow 6 [443] from Any on domain,private,public', '"SSH"#1 in allow 6 [22] from Any on domain,private,public']],
    ['Remove-NetFirewallRule by -DisplayName', 'Remove-NetFirewallRule -DisplayName "SSH"',
      ['"Web"#1 in allow 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow 6 [443] from Any on domain,private,public']],
    ['Remove-NetFirewallRule by -Name under a condition', 'if ($Lockdown) { Remove-NetFirewallRule -Name web-in }',
      ['"Web"#1 in allow 6 [80] from Any on domain,private,public (when !$Lockdown)', '"Web TLS"#1 in allow 6 [443] from Any on domain,private,public', '"SSH"#1 in allow 6 [22] from Any on domain,private,public']],
    ['netsh set rule group= on a group New-NetFirewallRule gave', 'netsh advfirewall firewall set rule group="Contoso Web" new enable=no',
      ['"Web"#1 in allow (disabled) 6 [80] from Any on domain,private,public', '"Web TLS"#1 in allow (disabled) 6 [443] from Any on domain,private,public', '"SSH"#1 in allow 6 [22] from Any on domain,private,public']],
    ['Remove-NetFirewallRule -All', 'Remove-NetFirewallRule -All\nNew-NetFirewallRule -DisplayName After -Protocol TCP -LocalPort 8080', ['"After"#1 in allow 6 [8080] from Any on domain,private,public']],
  ];
  for (const [what, script, expected] of valid) {
    it(`reads ${what}`, () => {
      const result = parseNetshText(`${created}${script}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('matches wildcards as PowerShell does: ?, [set], a backtick escape, and a hostile pattern in linear time', () => {
    const script = 'New-NetFirewallRule -DisplayName "Web*" -Protocol TCP -LocalPort 80\nNew-NetFirewallRule -DisplayName "Web2" -Protocol TCP -LocalPort 81\n';
    const names = (remove: string): string[] => onlyTarget(parseNetshText(`${script}Remove-NetFirewallRule -DisplayName ${remove}\n`, 'h.ps1')).rules.map((rule) => rule.resourceAddress);
    // In single quotes the backtick reaches the wildcard (in double quotes PowerShell's string takes it).
    expect(names("'Web`*'")).toEqual(['"Web2"#1']);
    expect(names('"Web`*"')).toEqual([]);
    expect(names('"web[0-9]"')).toEqual(['"Web*"#1']);
    expect(names('"We??"')).toEqual([]);
    const long = 'a'.repeat(20_000);
    const started = Date.now();
    const hostile = parseNetshText(`New-NetFirewallRule -DisplayName "${long}"\nRemove-NetFirewallRule -DisplayName "${'*a'.repeat(200)}*b"\n`, 'h.ps1');
    expect(onlyTarget(hostile).rules).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not take -Name for the display name: a rule created without -Name has a GUID', () => {
    const result = parseNetshText(`${created}Remove-NetFirewallRule -Name "Web TLS"\n`, 'h.ps1');
    expect(onlyTarget(result).rules).toHaveLength(3);
    expect(codes(result)).toEqual([['parse/netsh-no-match', 'warning', 4]]);
    expect(result.diagnostics[0]!.message).toBe('Remove-NetFirewallRule -Name "Web TLS" matches no rule created earlier in this script, so it acts on a rule defined elsewhere that fwlint cannot see');
  });

  it('warns that Enable-NetFirewallRule -DisplayGroup of a built-in group turns on rules fwlint cannot see', () => {
    const result = parseNetshText('Enable-NetFirewallRule -DisplayGroup "Remote Desktop"\n', 'h.ps1');
    expect(codes(result)).toEqual([['parse/netsh-no-match', 'warning', 1]]);
    expect(result.diagnostics[0]!.message).toContain('Enable-NetFirewallRule -DisplayGroup "Remote Desktop" matches no rule created earlier in this script: it turns on a group of rules defined elsewhere (Windows\' built-in "Remote Desktop" rules: on a default Windows TCP and UDP 3389 from any address)');
  });

  const notRead: Array<[string, string, string]> = [
    ['rules from the pipeline', 'Get-NetFirewallRule -DisplayName "Web" | Set-NetFirewallRule -RemoteAddress Any',
      'Set-NetFirewallRule on line 4 is not read: it acts on the rules the pipeline gives it (Get-NetFirewallRule …), which fwlint does not follow'],
    ['a filter', 'Remove-NetFirewallRule -Direction Inbound', 'Remove-NetFirewallRule on line 4 is not read: it selects the rules it acts on by -direction (a filter fwlint does not apply)'],
    ['-InputObject', 'Disable-NetFirewallRule -InputObject $rules', 'Disable-NetFirewallRule on line 4 is not read: it acts on the rules -InputObject gives it'],
  ];
  for (const [what, script, message] of notRead) {
    it(`warns parse/netsh-powershell-cmdlets, at the cmdlet, for ${what}`, () => {
      const result = parseNetshText(`${created}${script}\n`, 'h.ps1');
      expect(onlyTarget(result).rules).toHaveLength(3);
      expect(codes(result)).toEqual([['parse/netsh-powershell-cmdlets', 'warning', 4]]);
      expect(result.diagnostics[0]!.message).toContain(message);
    });
  }

  it('does not replay a selector it does not know', () => {
    const result = parseNetshText(`${created}Remove-NetFirewallRule -DisplayName $old\n`, 'h.ps1');
    expect(onlyTarget(result).rules).toHaveLength(3);
    expect(codes(result)).toEqual([['parse/netsh-unresolved', 'warning', 4]]);
    expect(result.diagnostics[0]!.message).toBe('Remove-NetFirewallRule -DisplayName "$old": -DisplayName is $old, which cannot be resolved statically; the command is not replayed');
  });
});

describe('the warning for the NetSecurity cmdlets fwlint does not read', () => {
  it('names each cmdlet with its lines, and a rule cmdlet written where no command is read', () => {
    const text = [
      'Set-NetFirewallSetting -AllowIPsecThroughNAT Both',
      '[void](New-NetFirewallRule -DisplayName Hidden -Protocol TCP -LocalPort 22)',
      'Copy-NetFirewallRule -DisplayName Web -NewName Web2',
      'Set-NetFirewallSetting -EnableStatefulFtp False',
      'New-NetFirewallRule -DisplayName Read -Protocol TCP -LocalPort 80 -RemoteAddress 10.0.0.0/8',
    ].join('\n');
    const result = parseNetshText(`${text}\n`, 'h.ps1');
    expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"Read"#1']);
    expect(codes(result)).toEqual([['parse/netsh-powershell-cmdlets', 'warning', 1]]);
    expect(result.diagnostics[0]!.message).toContain('with Set-NetFirewallSetting (lines 1, 4), New-NetFirewallRule (line 2), Copy-NetFirewallRule (line 3), which fwlint does not read');
  });
});

describe('fixtures/netsh/powershell-cmdlets: an app server configured with the cmdlets only', () => {
  const result = scanFixture('netsh/powershell-cmdlets');

  it('reads its rules through variables, a splat, a function, Remove and a conditional Enable', () => {
    expect(result.targets.map((target) => target.id)).toEqual(['app-server-01']);
    expect(result.targets[0]!.rules.map(summary)).toEqual([
      '"Contoso Web"#1 in allow 6 [80, 443] from Any on domain,private,public',
      '"Contoso RDP"#1 in allow 6 [3389] from Any on domain,private,public',
      '"Contoso WinRM"#1 in allow 6 [5985-5986] from 10.20.0.0/16 on domain,private,public',
      '"Contoso App 8080"#1 in allow 6 [8080] from LocalSubnet on domain,private,public',
      '"Contoso App 8443"#1 in allow 6 [8443] from 10.20.0.0/16 on domain,private,public',
      '"Contoso Ping"#1 in allow 1 [0-65535] icmp 8/any from 10.20.0.0/16 on domain,private,public',
      '"Contoso SMB"#1 in allow (disabled) 6 [445] from Any on domain,private,public (when !$EnableShare)',
      '"Contoso SMB"#2 in allow 6 [445] from Any on domain,private,public (when $EnableShare)',
    ]);
  });

  it('reports RDP and the share opened from Any, honours the fwlint:ignore above the web rule, and warns about what it skips', () => {
    expect(result.findings.map((f) => `${f.location.range.startLine} ${f.checkId} ${f.severity}${f.suppression ? ' suppressed' : ''}`)).toEqual([
      '10 FW101 high suppressed',
      '14 FW101 critical',
      '38 FW101 critical',
    ]);
    expect(result.diagnostics.map((d) => `${d.range?.startLine} ${d.code}`)).toEqual([
      '46 parse/netsh-remote-host',
      '50 parse/netsh-powershell-cmdlets',
      '51 parse/netsh-powershell-cmdlets',
    ]);
  });
});

describe('address keywords restricted to IPv4 or IPv6 (Internet4, LocalSubnet6, …)', () => {
  it('reads Internet4 as the IPv4 internet and the other keywords as that family\'s run-time keyword', () => {
    const result = parseNetshText('New-NetFirewallRule -DisplayName K -RemoteAddress Internet4, internet6, LocalSubnet4, DNS6, DefaultGateway4, Intranet6\n', 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => describePeer(rule.peer))).toEqual(['Internet4', 'Internet6', 'LocalSubnet4', 'DNS6', 'DefaultGateway4', 'Intranet6']);
  });

  it('reports RDP from Internet4 as world-open over IPv4 (FW101 critical), in a script and in netsh', () => {
    const { findings } = scanFiles({
      'web03.ps1': 'New-NetFirewallRule -DisplayName "RDP from internet (IPv4)" -Protocol TCP -LocalPort 3389 -RemoteAddress Internet4\n',
      'web04.ps1': 'New-NetFirewallRule -DisplayName "RDP local" -Protocol TCP -LocalPort 3389 -RemoteAddress LocalSubnet4\n',
    });
    expect(findings.map((f) => [f.checkId, f.severity, f.message])).toEqual([['FW101', 'critical', 'web03 allows ingress from 0.0.0.0/0 on tcp/3389']]);
  });

  it('still refuses a word that only looks like one', () => {
    const result = parseNetshText('New-NetFirewallRule -DisplayName K -RemoteAddress Any4, LocalSubnet5\n', 'h.ps1');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['parse/netsh-bad-value', 'parse/netsh-bad-value']);
  });
});
