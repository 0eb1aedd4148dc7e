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
    ['an array written @( 80, 443 ), blanks inside the brackets', 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort @( 80, 443 )', ['"Web"#1 in allow 6 [80, 443] from Any on domain,private,public']],
    ['an array written ( 80, 443 )', 'New-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort ( 80, 443 ) -RemoteAddress @( "10.0.0.0/8" )', ['"Web"#1 in allow 6 [80, 443] from 10.0.0.0/8 on domain,private,public']],
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
    ['the result cast to [void]', '[void](New-NetFirewallRule -DisplayName Quiet -Protocol UDP -LocalPort 161 -RemoteAddress 10.0.0.0/8)',
      ['"Quiet"#1 in allow 17 [161] from 10.0.0.0/8 on domain,private,public']],
    ['the result cast to [void] with a blank, in an if, a ) quoted in the brackets',
      'if ($Dev) { [void] (New-NetFirewallRule -DisplayName "Quiet (dev)" -Protocol UDP -LocalPort 161 -RemoteAddress 10.0.0.0/8) }',
      ['"Quiet (dev)"#1 in allow 17 [161] from 10.0.0.0/8 on domain,private,public (when $Dev)']],
    ['the result piped to Out-Null, the command bracketed or not',
      'New-NetFirewallRule -DisplayName A -Protocol UDP -LocalPort 161 | Out-Null\n(New-NetFirewallRule -DisplayName B -Protocol UDP -LocalPort 162) | Out-Null',
      ['"A"#1 in allow 17 [161] from Any on domain,private,public', '"B"#1 in allow 17 [162] from Any on domain,private,public']],
    ['the result redirected to $null, or assigned to $null in brackets',
      'New-NetFirewallRule -DisplayName A -Protocol UDP -LocalPort 161 > $null\n$null = (New-NetFirewallRule -DisplayName B -Protocol UDP -LocalPort 162); $x = 1',
      ['"A"#1 in allow 17 [161] from Any on domain,private,public', '"B"#1 in allow 17 [162] from Any on domain,private,public']],
    // QA 17 item 07: the other casts and brackets PowerShell runs the command in were read as cmdlets fwlint does not read.
    ['the result cast to [System.Void] (any case), assigned to $null from a $( ) subexpression, a member of it kept, comments after',
      '[System.Void](New-NetFirewallRule -DisplayName A -Protocol UDP -LocalPort 161)  # quiet\n[system.void] $(New-NetFirewallRule -DisplayName B -Protocol UDP -LocalPort 162)\n' +
        '$null = $(New-NetFirewallRule -DisplayName C -Protocol UDP -LocalPort 163) # quiet\n$r = (New-NetFirewallRule -DisplayName D -Protocol UDP -LocalPort 164).Name # its name\n' +
        'if ($Dev) { $id = (New-NetFirewallRule -DisplayName E -Protocol UDP -LocalPort 165).Name.Length }',
      ['"A"#1 in allow 17 [161] from Any on domain,private,public', '"B"#1 in allow 17 [162] from Any on domain,private,public', '"C"#1 in allow 17 [163] from Any on domain,private,public',
        '"D"#1 in allow 17 [164] from Any on domain,private,public', '"E"#1 in allow 17 [165] from Any on domain,private,public (when $Dev)']],
    // QA 17 item 07: `*` was read as an argument by position, so the rule was skipped as one PowerShell refuses.
    ['every stream redirected (*> $null, *>&1, *>> file), PowerShell 3+',
      'New-NetFirewallRule -DisplayName A -Protocol UDP -LocalPort 161 *> $null\nNew-NetFirewallRule -DisplayName B -Protocol UDP -LocalPort 162 *>&1 | Out-Null\n' +
        'New-NetFirewallRule -DisplayName C -Protocol UDP -LocalPort 163 *>> C:\\log.txt\nnetsh advfirewall firewall add rule name=D dir=in action=allow protocol=udp localport=164 *>$null',
      ['"A"#1 in allow 17 [161] from Any on domain,private,public', '"B"#1 in allow 17 [162] from Any on domain,private,public', '"C"#1 in allow 17 [163] from Any on domain,private,public',
        '"D"#1 in allow 17 [164] from Any on domain,private,public']],
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

  it('places a rule whose result is cast to [void] at its command, without the cmdlet warning', () => {
    const result = parseNetshText('$x = 1\n[void](New-NetFirewallRule -DisplayName RDP `\n  -Protocol TCP -LocalPort 3389)\n', 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => [rule.location.range.startLine, rule.location.range.endLine])).toEqual([[2, 3]]);
  });

  it('joins a command in brackets continued on the next line without a backtick, and says PowerShell refuses the script so written', () => {
    // PowerShell ends a command at the line end inside ( ) too: "Missing closing ')' in expression", nothing runs.
    const script = [
      '[void](New-NetFirewallRule -DisplayName RDP -Direction Inbound',
      '    -Protocol TCP -LocalPort 3389 -RemoteAddress Any)   # admins',
      '$null = (New-NetFirewallRule -DisplayName SSH',
      '  # the jump hosts',
      '  -Protocol TCP -LocalPort 22 -RemoteAddress 10.0.0.0/8)',
      '(New-NetFirewallRule -DisplayName Web',
      '  -Protocol TCP -LocalPort 80) | Out-Null',
      'New-NetFirewallRule -DisplayName After -Protocol UDP -LocalPort 161',
      '',
    ].join('\n');
    const result = parseNetshText(script, 'h.ps1');
    expect(onlyTarget(result).rules.map((rule) => [summary(rule), rule.location.range.startLine, rule.location.range.endLine])).toEqual([
      ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public', 1, 2],
      ['"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public', 3, 5],
      ['"Web"#1 in allow 6 [80] from Any on domain,private,public', 6, 7],
      ['"After"#1 in allow 17 [161] from Any on domain,private,public', 8, 8],
    ]);
    expect(codes(result)).toEqual([
      ['parse/netsh-broken-continuation', 'error', 1],
      ['parse/netsh-broken-continuation', 'error', 3],
      ['parse/netsh-broken-continuation', 'error', 6],
    ]);
    expect(result.diagnostics[0]!.message).toBe('the command in the "(" on line 1 goes on to line 2 without a backtick: PowerShell ends a command at the line end inside ' +
      'brackets too, so it refuses the script ("Missing closing \')\' in expression") and runs none of it; fwlint reads the command as meant: end line 1 with a ' +
      'backtick (or close the bracket there)');
  });

  it('joins a $( ) subexpression or a member of a bracketed command continued on later lines, as the [void]( ) form', () => {
    const script = '$null = $(New-NetFirewallRule -DisplayName RDP -Protocol TCP `\n  -LocalPort 3389)\n$r = (New-NetFirewallRule -DisplayName SSH -Protocol TCP `\n  -LocalPort 22).Name  # kept\n';
    const result = parseNetshText(script, 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => [summary(rule), rule.location.range.startLine, rule.location.range.endLine])).toEqual([
      ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public', 1, 2],
      ['"SSH"#1 in allow 6 [22] from Any on domain,private,public', 3, 4],
    ]);
  });

  it('joins a command in brackets continued after a | or , or with backticks without an error, as PowerShell reads it', () => {
    const script = '[void](New-NetFirewallRule -DisplayName RDP -Protocol TCP -LocalPort 3389,\n  3390 `\n  -RemoteAddress Any)\n';
    const result = parseNetshText(script, 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => [summary(rule), rule.location.range.startLine, rule.location.range.endLine])).toEqual([
      ['"RDP"#1 in allow 6 [3389-3390] from Any on domain,private,public', 1, 3],
    ]);
  });

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
      'parse/netsh-powershell-cmdlets', 'New-NetFirewallRule on line 2 is not read: its parameters come from the splat @p, which is not a hashtable or array written out in the script, which fwlint does not follow, so the rule it creates is not checked;'],
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
    ['rules from the pipeline', 'Get-NetFirewallRule -DisplayName "Web" -Direction Inbound | Set-NetFirewallRule -RemoteAddress Any',
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
      'Write-Output (New-NetFirewallRule -DisplayName Hidden -Protocol TCP -LocalPort 22)',
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
      // Get-NetFirewallRule -DisplayGroup … | Set-NetFirewallRule: read as Set-NetFirewallRule -DisplayGroup …, a group the script did not create.
      '50 parse/netsh-no-match',
      '51 parse/netsh-powershell-cmdlets',
    ]);
  });
});

describe('a splat hashtable or array changed after its literal', () => {
  const base = '$p = @{ DisplayName = "RDP"; Protocol = "TCP"; LocalPort = 3389; RemoteAddress = "10.0.0.0/8" }\n';
  const applied: Array<[string, string, string[]]> = [
    ['a member assignment', '$p.RemoteAddress = "Any"', ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['an index assignment', "$p['RemoteAddress'] = 'Any'", ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['.Remove (the default Any)', "$p.Remove('RemoteAddress')", ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['[void].Remove', "[void]$p.Remove('RemoteAddress')", ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['.Add of a new key', "$p.Add('Profile', 'Public')", ['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on public']],
    ['.Add of a key it has, which fails', "$p.Add('RemoteAddress', 'Any')", ['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public']],
    ['.Set_Item', "$p.Set_Item('LocalPort', 22)", ['"RDP"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public']],
  ];
  for (const [what, change, expected] of applied) {
    it(`applies ${what}`, () => {
      const result = parseNetshText(`${base}${change}\nNew-NetFirewallRule @p\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('applies an array item assignment', () => {
    const result = parseNetshText('$remote = @("10.0.0.0/8", "192.168.0.0/16")\n$remote[-1] = "Any"\nNew-NetFirewallRule -DisplayName RDP -Protocol TCP -LocalPort 3389 -RemoteAddress $remote\n', 'h.ps1');
    expect(onlyTarget(result).rules.map(summary)).toEqual(['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public', '"RDP"#1 in allow 6 [3389] from Any on domain,private,public']);
  });

  const perCase: Array<[string, string, string[]]> = [
    ['a change under a condition', 'if ($env:COMPUTERNAME -like "DMZ*") { $p.RemoteAddress = "Any" }', [
      '"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public (when !($env:COMPUTERNAME -like "DMZ*"))',
      '"RDP"#2 in allow 6 [3389] from Any on domain,private,public (when $env:COMPUTERNAME -like "DMZ*")',
    ]],
    ['a change in each branch of an if/else, to a list', 'if ($Dev) { $p.LocalPort = 3389, 4022 } else { $p["LocalPort"] = "3390" }', [
      '"RDP"#1 in allow 6 [3390] from 10.0.0.0/8 on domain,private,public (when !$Dev)',
      '"RDP"#2 in allow 6 [3389, 4022] from 10.0.0.0/8 on domain,private,public (when $Dev)',
    ]],
    ['two changes under conditions, and one to a value it does not compute', 'if ($Dev) { $p.RemoteAddress = "Any" }\nif ($Lab) { $p.RemoteAddress = $env:LAB }', [
      '"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public (when !$Dev and !$Lab)',
      '"RDP"#2 in allow 6 [3389] from unresolved $p.RemoteAddress on domain,private,public (when !$Dev and $Lab)',
      '"RDP"#3 in allow 6 [3389] from Any on domain,private,public (when $Dev and !$Lab)',
      '"RDP"#4 in allow 6 [3389] from unresolved $p.RemoteAddress on domain,private,public (when $Dev and $Lab)',
    ]],
    ['a change under a condition, then one that always runs', 'if ($Dev) { $p.RemoteAddress = "Any" }\n$p.RemoteAddress = "192.168.0.0/16"', [
      '"RDP"#1 in allow 6 [3389] from 192.168.0.0/16 on domain,private,public',
    ]],
  ];
  for (const [what, change, expected] of perCase) {
    it(`reads the splat once per case for ${what}, as a variable assigned under conditions`, () => {
      const result = parseNetshText(`${base}${change}\nNew-NetFirewallRule @p\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('reports the conditional splat change as a "when" finding (FW101)', () => {
    const { findings } = scanFiles({ 'h.ps1': `${base}if ($Dev) { $p.RemoteAddress = 'Any' }\nNew-NetFirewallRule @p\n` });
    expect(findings.map((f) => [f.checkId, f.severity, f.location.range.startLine, f.message])).toEqual([
      ['FW101', 'critical', 3, 'h allows ingress from 0.0.0.0/0, ::/0 on tcp/3389 (when $Dev)'],
    ]);
  });

  const unknown: Array<[string, string]> = [
    ['a change in a loop', 'foreach ($x in 1, 2) { $p["RemoteAddress"] = "Any" }'],
    ['a value it does not compute', '$p.RemoteAddress = Get-Cidr'],
    ['+=', '$p.RemoteAddress += ", Any"'],
    ['a conditional .Remove', "if ($Open) { $p.Remove('RemoteAddress') }"],
  ];
  for (const [what, change] of unknown) {
    it(`makes the value unknown (FW303) for ${what}, never the value from before`, () => {
      const result = parseNetshText(`${base}${change}\nNew-NetFirewallRule @p\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map((rule) => rule.peer)).toEqual([{ kind: 'unknown', expr: what === 'a value it does not compute' ? 'Get-Cidr' : '$p.RemoteAddress' }]);
    });
  }

  it('makes an array item unknown when it is changed under a condition', () => {
    const result = parseNetshText('$remote = @("10.0.0.0/8")\nif ($Dmz) { $remote[0] = "Any" }\nNew-NetFirewallRule -DisplayName RDP -Protocol TCP -LocalPort 3389 -RemoteAddress $remote\n', 'h.ps1');
    expect(onlyTarget(result).rules.map((rule) => rule.peer.kind)).toEqual(['unknown']);
  });

  it('does not read a splat whose keys it cannot tell after a change', () => {
    for (const change of ['$p[$key] = "Any"', '$p.Clear()', 'Update-Settings ($p.Remove("X"))']) {
      const result = parseNetshText(`${base}${change}\nNew-NetFirewallRule @p\n`, 'h.ps1');
      expect(result.targets.flatMap((target) => target.rules)).toEqual([]);
      expect(codes(result)).toEqual([['parse/netsh-powershell-cmdlets', 'warning', 3]]);
    }
  });

  // QA 17 item 06: `$b = $a` made $b unknown, and its changes never reached $a, judged as its stale literal.
  const aliased: Array<[string, string, string[]]> = [
    ['changes through another name holding the same hashtable ($b = $a)', '$q = $p\n$q.RemoteAddress = "Any"; $q.LocalPort = 22\nNew-NetFirewallRule @p\nNew-NetFirewallRule @q -Profile Public', [
      '"RDP"#1 in allow 6 [22] from Any on domain,private,public', '"RDP"#2 in allow 6 [22] from Any on public',
    ]],
    ['changes through the first name, on a splat of the second', '$q = $p\n$p.RemoteAddress = "Any"\nNew-NetFirewallRule @q', ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['a change under a condition through the other name', '$q = $p\nif ($Dev) { $q.RemoteAddress = "Any" }\nNew-NetFirewallRule @p', [
      '"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public (when !$Dev)', '"RDP"#2 in allow 6 [3389] from Any on domain,private,public (when $Dev)',
    ]],
    ['a copy of its own: .Clone()', '$q = $p.Clone()\n$q.RemoteAddress = "Any"\nNew-NetFirewallRule @p', ['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public']],
    ['a reassigned name no longer the same table', '$q = $p\n$q = @{ DisplayName = "X"; LocalPort = 1 }\n$q.RemoteAddress = "Any"\nNew-NetFirewallRule @p', ['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public']],
    ['a change through a function\'s parameter', 'function Open-Wide($Table) { $Table.RemoteAddress = "Any" }\nOpen-Wide -Table $p\nNew-NetFirewallRule @p', ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['an array changed through another name', '$r = @("10.0.0.0/8")\n$s = $r\n$s[0] = "Any"\nNew-NetFirewallRule -DisplayName RDP -Protocol TCP -LocalPort 3389 -RemoteAddress $r', ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
  ];
  for (const [what, change, expected] of aliased) {
    it(`applies ${what}`, () => {
      const result = parseNetshText(`${base}${change}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  // QA 17 item 12: the value of an if/else or of `?:` was unknown (FW303 only), cut to "(if ($Dev))" for an entry.
  const branchValues: Array<[string, string, string[]]> = [
    ['$x = if (…) { … } else { … }', '$r = if ($Dev) { "Any" } else { "10.0.0.0/8" }  # per environment\nNew-NetFirewallRule -DisplayName SSH -Protocol TCP -LocalPort 22 -RemoteAddress $r', [
      '"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public (when !$Dev)', '"SSH"#2 in allow 6 [22] from Any on domain,private,public (when $Dev)',
    ]],
    ['an entry set to the value of an if/else', '$p.RemoteAddress = if ($Dev) { "Any" } else { "10.0.0.0/8" }\nNew-NetFirewallRule @p', [
      '"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public (when !$Dev)', '"RDP"#2 in allow 6 [3389] from Any on domain,private,public (when $Dev)',
    ]],
    ['an entry set by PowerShell 7\'s ?:', '$p.RemoteAddress = ($Dev) ? "Any" : \'10.0.0.0/8\'\nNew-NetFirewallRule @p', [
      '"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public (when !$Dev)', '"RDP"#2 in allow 6 [3389] from Any on domain,private,public (when $Dev)',
    ]],
    ['?: over a comparison', '$r = $Env -eq "dev" ? "Any" : "10.0.0.0/8"\nNew-NetFirewallRule -DisplayName SSH -Protocol TCP -LocalPort 22 -RemoteAddress $r', [
      '"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public (when !($Env -eq "dev"))', '"SSH"#2 in allow 6 [22] from Any on domain,private,public (when $Env -eq "dev")',
    ]],
    ['an if/elseif without else ($null where no branch is taken)', '$r = if ($Dev) { "Any" } elseif ($Lab) { "10.1.0.0/16" }\nNew-NetFirewallRule -DisplayName SSH -Protocol TCP -LocalPort 22 -RemoteAddress $r', [
      '"SSH"#1 in allow 6 [22] from unresolved $r on domain,private,public (when !$Dev and !$Lab)', '"SSH"#2 in allow 6 [22] from 10.1.0.0/16 on domain,private,public (when !$Dev and $Lab)',
      '"SSH"#3 in allow 6 [22] from Any on domain,private,public (when $Dev)',
    ]],
  ];
  for (const [what, change, expected] of branchValues) {
    it(`reads each branch's value under its case: ${what}`, () => {
      const result = parseNetshText(`${base}${change}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('names an entry set to the value of an if it does not read by the entry, not by the if\'s first words', () => {
    for (const change of ['$p.RemoteAddress = if ($Dev) {\n  "Any"\n} else {\n  "10.0.0.0/8"\n}', '$p.RemoteAddress = if ($Dev) { $a = 1; "Any" } else { "10.0.0.0/8" }']) {
      const result = parseNetshText(`${base}${change}\nNew-NetFirewallRule @p\n`, 'h.ps1');
      expect(onlyTarget(result).rules.map((rule) => rule.peer)).toEqual([{ kind: 'unknown', expr: '$p.RemoteAddress' }]);
    }
  });

  it('does not read a splat of a hashtable another name may hold under a condition, never the stale literal', () => {
    const result = parseNetshText(`${base}if ($Rdp) { $q = $p }\n$q.RemoteAddress = "Any"\nNew-NetFirewallRule @p\n`, 'h.ps1');
    expect(result.targets.flatMap((target) => target.rules)).toEqual([]);
    expect(codes(result)).toEqual([['parse/netsh-powershell-cmdlets', 'warning', 4]]);
  });

  it('passes a changed hashtable to a function as it is after the change', () => {
    const result = parseNetshText(`function Open-Rdp($DisplayName, $Protocol, $LocalPort, $RemoteAddress) { New-NetFirewallRule -DisplayName $DisplayName -Protocol $Protocol -LocalPort $LocalPort -RemoteAddress $RemoteAddress }\n${base}$p.RemoteAddress = 'Any'\nOpen-Rdp @p\n`, 'h.ps1');
    expect(onlyTarget(result).rules.map(summary)).toEqual(['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']);
  });
});

describe('PowerShell collection literal forms', () => {
  const valid: Array<[string, string, string[]]> = [
    ['an [ordered] splat', '$p = [ordered]@{\n  DisplayName = "RDP"\n  Protocol = "TCP"\n  LocalPort = 3389\n}\nNew-NetFirewallRule @p -Profile Public',
      ['"RDP"#1 in allow 6 [3389] from Any on public']],
    ['an [ordered] splat on one line', '$p = [Ordered] @{ DisplayName = "RDP"; Protocol = "TCP"; LocalPort = 3389 }\nNew-NetFirewallRule @p -Profile Public',
      ['"RDP"#1 in allow 6 [3389] from Any on public']],
    ['an array with one item per line in a splat',
      '$p = @{\n    DisplayName = "RDP"   # the admin rule\n    Protocol    = "TCP"; LocalPort = 3389\n    RemoteAddress = @(\n        "10.0.0.0/8"\n        "Any"\n    )\n}\nNew-NetFirewallRule @p',
      ['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public', '"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
    ['an array argument with one item per line', 'New-NetFirewallRule -DisplayName "Admin2" -Protocol TCP -LocalPort @(\n    5985  # http\n\n    5986\n) -Profile Domain',
      ['"Admin2"#1 in allow 6 [5985-5986] from Any on domain']],
    ['an array argument with items and commas over lines', 'New-NetFirewallRule -DisplayName "Web" -Protocol TCP -LocalPort @(\n    80,\n    443\n    )',
      ['"Web"#1 in allow 6 [80, 443] from Any on domain,private,public']],
  ];
  for (const [what, script, expected] of valid) {
    it(`reads ${what}`, () => {
      const result = parseNetshText(`${script}\n`, 'host.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('places a rule from a multi-line argument array at its lines', () => {
    const rules = onlyTarget(parseNetshText('New-NetFirewallRule -DisplayName "Admin2" -Protocol TCP -LocalPort @(\n    5985\n    5986\n)\nNew-NetFirewallRule -DisplayName Next\n', 'h.ps1')).rules;
    expect(rules.map((rule) => [rule.resourceAddress, rule.location.range.startLine, rule.location.range.endLine])).toEqual([['"Admin2"#1', 1, 4], ['"Next"#1', 5, 5]]);
  });
});

describe('a helper function called with an array argument', () => {
  const helper = 'function Add-Rule {\n    param($Name, [int[]]$Port, [string[]]$Remote = @(\'Any\'))\n    New-NetFirewallRule -DisplayName $Name -Protocol TCP -LocalPort $Port -RemoteAddress $Remote\n}\n';
  const valid: Array<[string, string, string[]]> = [
    ['a blank after the comma', "Add-Rule -Name 'WinRM' -Port 5985, 5986 -Remote '10.0.0.0/8'", ['"WinRM"#1 in allow 6 [5985-5986] from 10.0.0.0/8 on domain,private,public']],
    ['by position', "Add-Rule 'WinRM' 5985, 5986 '10.0.0.0/8', '192.168.0.0/16'",
      ['"WinRM"#1 in allow 6 [5985-5986] from 10.0.0.0/8 on domain,private,public', '"WinRM"#1 in allow 6 [5985-5986] from 192.168.0.0/16 on domain,private,public']],
    ['-Port:5985, 5986', "Add-Rule -Name 'WinRM' -Port:5985, 5986 -Remote 10.0.0.0/8", ['"WinRM"#1 in allow 6 [5985-5986] from 10.0.0.0/8 on domain,private,public']],
    ["the param() default @('Any')", "Add-Rule -Name 'RDP' -Port 3389", ['"RDP"#1 in allow 6 [3389] from Any on domain,private,public']],
  ];
  for (const [what, call, expected] of valid) {
    it(`binds ${what}`, () => {
      const result = parseNetshText(`${helper}${call}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('binds the array for a netsh line built from the parameter', () => {
    const result = parseNetshText("function Add-Rule($Name, $Port, $Remote) {\n    netsh advfirewall firewall add rule name=$Name dir=in action=allow protocol=tcp localport=$Port remoteip=$Remote\n}\nAdd-Rule -Name 'WinRM' -Port 5985, 5986 -Remote 'Any'\n", 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map(summary)).toEqual(['"WinRM"#1 in allow 6 [5985-5986] from Any on domain,private,public']);
  });
});

describe('PowerShell forms of the same command', () => {
  const rdp = '"RDP"#1 in allow 6 [3389] from Any on domain,private,public';
  const valid: Array<[string, string]> = [
    ['an inline <# … #> comment', 'New-NetFirewallRule -DisplayName "RDP" <# admin access, see ticket 4711 #> -Protocol TCP -LocalPort 3389'],
    ['an inline comment in a backtick-continued command', 'New-NetFirewallRule -DisplayName "RDP" `\n    -Protocol TCP <# RDP #> `\n    -LocalPort 3389'],
    ['the module-qualified NetSecurity\\New-NetFirewallRule', 'NetSecurity\\New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389'],
    ['NetSecurity\\Set-NetFirewallRule', 'New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389 -RemoteAddress 10.0.0.0/8\nnetsecurity\\Set-NetFirewallRule -DisplayName "RDP" -RemoteAddress Any'],
    ['-CimSession localhost', 'New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389 -CimSession localhost'],
    ['-CimSession $env:COMPUTERNAME', 'New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389 -CimSession $env:COMPUTERNAME'],
    ['-PolicyStore localhost (the local GPO, in force here)', 'New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389 -PolicyStore localhost'],
    ['Invoke-Command -ComputerName localhost', 'Invoke-Command -ComputerName localhost -ScriptBlock {\n    New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389\n}'],
    ['Invoke-Command -ComputerName "."', 'Invoke-Command -ComputerName "." -ScriptBlock { New-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389 }'],
  ];
  for (const [what, script] of valid) {
    it(`reads ${what}`, () => {
      const result = parseNetshText(`${script}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      // A script block is read as run when its statement runs it (script-flow.ts), Invoke-Command's too.
      expect(onlyTarget(result).rules.map((rule) => summary(rule).replace(/ \(when Invoke-Command [^)]*\)$/, ''))).toEqual([rdp]);
    });
  }

  it('reads NetSecurity\\Set-NetFirewallProfile as Set-NetFirewallProfile: the firewall-off warning', () => {
    const result = parseNetshText('NetSecurity\\Set-NetFirewallProfile -All -Enabled False\n', 'h.ps1');
    expect(codes(result)).toEqual([['parse/netsh-firewall-off', 'warning', 1]]);
  });

  it('reads a <# comment opened after code over several lines as a blank: no command inside, the statement goes on after #>', () => {
    const script = [
      '$owner = "ops" <# the rules below were',
      'New-NetFirewallRule -DisplayName "Old Telnet" -Protocol TCP -LocalPort 23 -RemoteAddress Any',
      'retired in 2024 #>',
      'New-NetFirewallRule -DisplayName "RDP" -Protocol TCP <# admins only,',
      '  see ticket 4711 #> -LocalPort 3389 -RemoteAddress 10.0.0.0/8',
      '<# a block of its own',
      'New-NetFirewallRule -DisplayName "Old FTP" -Protocol TCP -LocalPort 21',
      '#> New-NetFirewallRule -DisplayName "Web" -Protocol TCP -LocalPort 443 # after the close',
      '$text = "<# not a comment"; New-NetFirewallRule -DisplayName "SSH" -Protocol TCP -LocalPort 22 -RemoteAddress 10.0.0.0/8',
      // QA 16/10: a command after the `#>` is located where it starts, not where the comment opened.
      '$x = 1 <# a note',
      'New-NetFirewallRule -DisplayName "Hidden" -Protocol TCP -LocalPort 21 -RemoteAddress Any',
      '#> ; New-NetFirewallRule -DisplayName "After" -Protocol TCP -LocalPort 25 -RemoteAddress Any',
      '$y = 2 <# another', '#> ; netsh advfirewall firewall add rule name="NetshAfter" dir=in action=allow protocol=TCP localport=26',
    ].join('\n');
    const result = parseNetshText(`${script}\n`, 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => `${summary(rule)} at ${rule.location.range.startLine}-${rule.location.range.endLine}`)).toEqual([
      '"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public at 4-5',
      '"Web"#1 in allow 6 [443] from Any on domain,private,public at 8-8',
      '"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public at 9-9',
      '"After"#1 in allow 6 [25] from Any on domain,private,public at 12-12',
      '"NetshAfter"#1 in allow 6 [26] from Any on domain,private,public at 14-14',
    ]);
  });

  it('reads a directive in a <# comment opened after code', () => {
    const result = parseNetshText('$x = 1 <# fwlint:target web01\n#>\nNew-NetFirewallRule -DisplayName "RDP" -Protocol TCP -LocalPort 3389\n', 'h.ps1');
    expect(result.annotations.map((a) => [a.directive, a.range.startLine])).toEqual([['target', 1]]);
  });

  it('says which -IcmpType item is bad as written, and that an address range needs both ends', () => {
    const result = parseNetshText('New-NetFirewallRule -DisplayName D -Protocol ICMPv4 -IcmpType 8, -1 -RemoteAddress 10.0.0.5-\n', 'h.ps1');
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'rule "D": IcmpType has an invalid ICMP type "-1" (expected a type 0-255 or type:code, each 0-255, or Any)',
      'rule "D": RemoteAddress has a bad address "10.0.0.5-" (a range needs an address on each side of "-")',
    ]);
  });

  it('reads a script block run once on this host (Invoke-Command, & { }) as run, any other as under a condition', () => {
    const blocks = [
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName A -Protocol TCP -LocalPort 3389 }',
      'icm -ComputerName localhost { New-NetFirewallRule -DisplayName B -Protocol TCP -LocalPort 3390 }',
      '& { New-NetFirewallRule -DisplayName C -Protocol TCP -LocalPort 3391 }',
      'Invoke-Command -AsJob -ScriptBlock { New-NetFirewallRule -DisplayName D -Protocol TCP -LocalPort 3392 }',
      '$later = { New-NetFirewallRule -DisplayName E -Protocol TCP -LocalPort 3393 }',
    ];
    const result = parseNetshText(`${blocks.join('\n')}\n`, 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => `${rule.resourceAddress}${rule.branch ? ` when ${rule.branch}` : ''}`)).toEqual([
      '"A"#1', '"B"#1', '"C"#1', '"D"#1 when Invoke-Command -AsJob -ScriptBlock runs', '"E"#1 when $later = runs',
    ]);
  });

  it('binds Invoke-Command parameters on both sides of its script block, and a splat, before reading the block as run here (QA 16/01)', () => {
    const lines = [
      'Invoke-Command -ScriptBlock {',
      '  New-NetFirewallRule -DisplayName A -Protocol TCP -LocalPort 1007',
      '} -ComputerName SRV02',
      'Invoke-Command { New-NetFirewallRule -DisplayName B -Protocol TCP -LocalPort 1009 } -Session $s',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName C -Protocol TCP -LocalPort 1011 } `',
      '  -ComputerName SRV02',
      'Invoke-Command -ScriptBlock { Write-Host "}" # }',
      '  New-NetFirewallRule -DisplayName D -Protocol TCP -LocalPort 1012 } -ComputerName SRV03',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName E -Protocol TCP -LocalPort 1021 } -AsJob',
      'Invoke-Command @icmArgs -ScriptBlock { New-NetFirewallRule -DisplayName F -Protocol TCP -LocalPort 1104 }',
      'Invoke-Command SRV02 { New-NetFirewallRule -DisplayName G -Protocol TCP -LocalPort 1105 }',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName H -Protocol TCP -LocalPort 1106 } -ArgumentList 1, 2 -ComputerName localhost',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName I -Protocol TCP -LocalPort 1107',
    ];
    const result = parseNetshText(`${lines.join('\n')}\n`, 'h.ps1');
    expect(codes(result).filter(([code]) => code === 'parse/netsh-remote-host')).toEqual([
      ['parse/netsh-remote-host', 'warning', 2], ['parse/netsh-remote-host', 'warning', 4], ['parse/netsh-remote-host', 'warning', 5],
      ['parse/netsh-remote-host', 'warning', 8], ['parse/netsh-remote-host', 'warning', 11],
    ]);
    expect(onlyTarget(result).rules.map((rule) => `${rule.resourceAddress}${rule.branch ? ` when ${rule.branch}` : ''}`)).toEqual([
      '"E"#1 when Invoke-Command -ScriptBlock runs', '"F"#1 when Invoke-Command @icmArgs -ScriptBlock runs', '"H"#1',
      // Not closed: fwlint cannot see what follows the block.
      '"I"#1 when Invoke-Command -ScriptBlock runs',
    ]);
  });

  it('skips a block Invoke-Command runs on another computer, VM or container, also one named by position (QA 17/08)', () => {
    const lines = [
      'Invoke-Command SRV02 { New-NetFirewallRule -DisplayName A -Protocol TCP -LocalPort 3389 }',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName B -Protocol TCP -LocalPort 3389 } -VMName vm01',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName C -Protocol TCP -LocalPort 3389 } -HostName linux01',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName D -Protocol TCP -LocalPort 3389 } -ConnectionUri http://srv02:5985/wsman',
      'icm -ContainerId abc123 { New-NetFirewallRule -DisplayName E -Protocol TCP -LocalPort 3389 }',
      'Invoke-Command -VMId $guid -ScriptBlock { New-NetFirewallRule -DisplayName F -Protocol TCP -LocalPort 3389 }',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName G -Protocol TCP -LocalPort 3389 } -SSHConnection $hosts',
      'Invoke-Command -Credential $c $s { New-NetFirewallRule -DisplayName H -Protocol TCP -LocalPort 3389 }',
      'Invoke-Command -ScriptBlock { New-NetFirewallRule -DisplayName I -Protocol TCP -LocalPort 3389 } SRV03',
      // The block first, by position: the in-process set, run here; a name after it is not told apart.
      'Invoke-Command { New-NetFirewallRule -DisplayName J -Protocol TCP -LocalPort 3390 }',
      'Invoke-Command -NoNewScope { New-NetFirewallRule -DisplayName K -Protocol TCP -LocalPort 3391 }',
      'Invoke-Command localhost { New-NetFirewallRule -DisplayName L -Protocol TCP -LocalPort 3392 }',
    ];
    const result = parseNetshText(`${lines.join('\n')}\n`, 'h.ps1');
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.range?.startLine}: ${diagnostic.message.replace(/, not on the host[\s\S]*$/, '')}`)).toEqual([
      '1: this command runs on the computer "srv02" (Invoke-Command -ComputerName, given by position)',
      '2: this command runs on the computer "vm01" (Invoke-Command -VMName)',
      '3: this command runs on the computer "linux01" (Invoke-Command -HostName)',
      '4: this command runs on the computer "http://srv02:5985/wsman" (Invoke-Command -ConnectionUri)',
      '5: this command runs on the computer "abc123" (Invoke-Command -ContainerId)',
      '6: this command runs on the computer "$guid" (Invoke-Command -VMId)',
      '7: this command runs on the computer "$hosts" (Invoke-Command -SSHConnection)',
      '8: this command runs on the computer "$s" (Invoke-Command -ComputerName, given by position)',
      '9: this command runs on the computer "srv03" (Invoke-Command -ComputerName, given by position)',
    ]);
    expect(onlyTarget(result).rules.map((rule) => `${rule.resourceAddress}${rule.branch ? ` when ${rule.branch}` : ''}`)).toEqual([
      '"J"#1', '"K"#1', '"L"#1 when Invoke-Command localhost runs',
    ]);
  });

  it('warns about a module-qualified cmdlet it does not read', () => {
    const result = parseNetshText('NetSecurity\\Copy-NetFirewallRule -DisplayName Web -NewName Web2\n', 'h.ps1');
    expect(codes(result)).toEqual([['parse/netsh-powershell-cmdlets', 'warning', 1]]);
    expect(result.diagnostics[0]!.range).toMatchObject({ startColumn: 13 });
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

describe('smaller PowerShell gaps', () => {
  it('reads an array assigned without @( ): $ports = 22,3389 and "22", "3389"', () => {
    for (const list of ['22,3389', '22, 3389  # admin ports', '"22", \'3389\'']) {
      const result = parseNetshText(`$ports = ${list}\nNew-NetFirewallRule -DisplayName Admin -Protocol TCP -LocalPort $ports\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(['"Admin"#1 in allow 6 [22, 3389] from Any on domain,private,public']);
    }
    // A comma list with an item it does not compute stays unknown.
    const unknown = parseNetshText('$ports = 22, (Get-Port)\nNew-NetFirewallRule -DisplayName Admin -Protocol TCP -LocalPort $ports\n', 'h.ps1');
    expect(onlyTarget(unknown).rules[0]!.unknowns.map((each) => each.field)).toEqual(['ports']);
  });

  it('does not count a second New-NetFirewallRule with a -Name that exists: PowerShell refuses it', () => {
    const script = 'New-NetFirewallRule -Name "RDP-In" -DisplayName "RDP" -Protocol TCP -LocalPort 3389 -RemoteAddress 10.0.0.0/8\n' +
      'New-NetFirewallRule -Name "rdp-in" -DisplayName "RDP (any)" -Protocol TCP -LocalPort 3389 -ErrorAction SilentlyContinue\n';
    const result = parseNetshText(script, 'h.ps1');
    expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"RDP"#1']);
    expect(codes(result)).toEqual([['parse/netsh-bad-argument', 'warning', 2]]);
    expect(result.diagnostics[0]!.message).toBe('New-NetFirewallRule -Name "rdp-in": the rule created on line 1 has this -Name already, so PowerShell refuses the command and it creates no rule; it is skipped');
    // Removed first, the -Name is free again.
    const freed = parseNetshText(script.replace('\n', '\nRemove-NetFirewallRule -Name RDP-In\n'), 'h.ps1');
    expect(onlyTarget(freed).rules.map((rule) => rule.resourceAddress)).toEqual(['"RDP (any)"#1']);
    expect(freed.diagnostics).toEqual([]);
  });

  it('warns about a backtick followed by spaces in a cmdlet command, as on a netsh line', () => {
    const result = parseNetshText('New-NetFirewallRule -DisplayName "RDP" `\n    -Protocol TCP -LocalPort 3389 ` \n    -RemoteAddress 10.0.0.0/8\n', 'h.ps1');
    expect(codes(result)).toEqual([['parse/netsh-broken-continuation', 'warning', 2]]);
  });

  it('does not warn about cmdlet text in a here-string', () => {
    const script = '$help = @"\nUsage: run as admin. It calls\nNew-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort 443\n"@\n' +
      "$remote = @'\nSet-NetFirewallSetting -EnableStatefulFtp False\n'@\nNew-NetFirewallRule -DisplayName Web -Protocol TCP -LocalPort 443 -RemoteAddress 10.0.0.0/8\n";
    const result = parseNetshText(script, 'h.ps1');
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result).rules.map((rule) => rule.location.range.startLine)).toEqual([8]);
  });
});

describe('Get-NetFirewallRule with literal selectors piped into a rule cmdlet', () => {
  const created = 'New-NetFirewallRule -DisplayName "App admin" -Name app-admin -Protocol TCP -LocalPort 3389 -RemoteAddress 10.0.0.0/8\n' +
    'New-NetFirewallRule -DisplayName "Other" -Protocol TCP -LocalPort 22 -RemoteAddress 10.0.0.0/8\n';
  const valid: Array<[string, string, string[]]> = [
    ['Set-NetFirewallRule', 'Get-NetFirewallRule -DisplayName "App admin" | Set-NetFirewallRule -RemoteAddress Any',
      ['"App admin"#1 in allow 6 [3389] from Any on domain,private,public', '"Other"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public']],
    ['Disable-NetFirewallRule, by -Name, with -ErrorAction', 'NetSecurity\\Get-NetFirewallRule -Name app-admin -ErrorAction SilentlyContinue | Disable-NetFirewallRule',
      ['"App admin"#1 in allow (disabled) 6 [3389] from 10.0.0.0/8 on domain,private,public', '"Other"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public']],
    ['Remove-NetFirewallRule by a wildcard', "Get-NetFirewallRule -DisplayName 'Oth*' | Remove-NetFirewallRule", ['"App admin"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public']],
  ];
  for (const [what, script, expected] of valid) {
    it(`reads ${what} as the same cmdlet with those selectors`, () => {
      const result = parseNetshText(`${created}${script}\n`, 'h.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(expected);
    });
  }

  it('keeps the warning for a pipeline it does not follow', () => {
    for (const pipeline of ['Get-NetFirewallRule -DisplayName $name | Set-NetFirewallRule -RemoteAddress Any', 'Get-NetFirewallRule | Where-Object { $_.DisplayName -like "App*" } | Set-NetFirewallRule -RemoteAddress Any',
      'Get-NetFirewallRule -DisplayName "App admin" -Enabled True | Set-NetFirewallRule -RemoteAddress Any']) {
      const result = parseNetshText(`${created}${pipeline}\n`, 'h.ps1');
      expect(onlyTarget(result).rules.map((rule) => describePeer(rule.peer))).toEqual(['10.0.0.0/8', '10.0.0.0/8']);
    }
  });
});
