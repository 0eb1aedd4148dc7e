import { describePeer } from '../../../src/model';
import type { ParseResult, Rule } from '../../../src/model';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

function summary(rule: Rule): string {
  const protocol = rule.protocol.kind === 'number' ? String(rule.protocol.value) : rule.protocol.kind;
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  return `${rule.resourceAddress} ${rule.direction} ${rule.action}${rule.enabled ? '' : ' (disabled)'} ${protocol} ` +
    `[${rule.ports.toString()}]${icmp} from ${describePeer(rule.peer)} on ${rule.profiles!.join(',')}`;
}

const codes = (result: ParseResult): Array<[string, string, number | undefined]> =>
  result.diagnostics.map((d) => [d.code, d.severity, d.range?.startLine]);

const parse = (lines: string[], path = 'host.cmd'): ParseResult => parseNetshText(lines.join('\r\n'), path);
const rulesOf = (result: ParseResult): string[] => onlyTarget(result).rules.map(summary);

const ADD_SSH = 'netsh advfirewall firewall add rule name=SSH dir=in action=allow protocol=tcp localport=22 remoteip=10.0.0.0/8';
const POLICY = '"Inbound default policy AllowInbound"#1';

describe('netsh commands', () => {
  describe('host-wide: firewallpolicy', () => {
    it('reads an inbound default of allowinbound as an allow rule from any address on every protocol, at the command', () => {
      const result = parse(['netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound', ADD_SSH]);
      expect(rulesOf(result)).toEqual([
        '"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public',
        `${POLICY} in allow any [0-65535] from Any on domain,private,public`,
      ]);
      expect(onlyTarget(result).rules[1]!.location.range).toMatchObject({ startLine: 1, endLine: 1 });
      expect(result.diagnostics).toEqual([]);
    });

    it('follows the policy per profile: a later blockinbound takes a profile back, currentprofile stays unknown', () => {
      const result = parse([
        'netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound',
        'netsh advfirewall set publicprofile firewallpolicy blockinbound,allowoutbound',
        'netsh advfirewall set currentprofile firewallpolicy AllowInbound,BlockOutbound',
      ]);
      expect(rulesOf(result)).toEqual([
        `${POLICY} in allow any [0-65535] from Any on domain,private`,
        '"Inbound default policy AllowInbound"#2 in allow any [0-65535] from Any on domain,private,public',
      ]);
      expect(onlyTarget(result).rules[1]!.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([['profiles', 'currentprofile']]);
      expect(rulesOf(parse(['netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound', 'netsh advfirewall set allprofiles firewallpolicy blockinbound,allowoutbound']))).toEqual([]);
    });

    it('says nothing about the default blockinbound, and reports a bad or unresolved policy', () => {
      const result = parse([
        'netsh advfirewall set domainprofile firewallpolicy blockinboundalways,allowoutbound',
        'netsh advfirewall set domainprofile firewallpolicy openall',
        'netsh advfirewall set domainprofile firewallpolicy %POLICY%',
        'netsh advfirewall set domainprofile firewallpolicy',
        ADD_SSH,
      ]);
      expect(rulesOf(result)).toEqual(['"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public']);
      expect(codes(result)).toEqual([
        ['parse/netsh-bad-value', 'error', 2],
        ['parse/netsh-unresolved', 'warning', 3],
        ['parse/netsh-missing-field', 'error', 4],
      ]);
    });

    it('ties a fwlint:ignore comment above the command to the policy rule', () => {
      const result = parse(['REM fwlint:ignore FW101,FW102 reason="lab host"', 'netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound', ADD_SSH]);
      expect(result.annotations.map((annotation) => annotation.ruleIds)).toEqual([[`${POLICY}/0`]]);
    });

    it('reads the firewall policy and state of show allprofiles output before the rules of an export', () => {
      const text = [
        'Domain Profile Settings: ',
        '----------------------------------------------------------------------',
        'State                                 OFF',
        'Firewall Policy                       AllowInbound,AllowOutbound',
        '',
        'Public Profile Settings: ',
        '----------------------------------------------------------------------',
        'State                                 ON',
        'Firewall Policy                       BlockInbound,AllowOutbound',
        'Ok.',
        '',
        'Rule Name:                            SSH',
        '----------------------------------------------------------------------',
        'Enabled:                              Yes',
        'Direction:                            In',
        'Profiles:                             Domain,Private,Public',
        'RemoteIP:                             10.0.0.0/8',
        'Protocol:                             TCP',
        'LocalPort:                            22',
        'Action:                               Allow',
        'Ok.',
      ];
      const result = parse(text, 'host01.txt');
      expect(rulesOf(result)).toEqual([
        '"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public',
        `${POLICY} in allow any [0-65535] from Any on domain`,
      ]);
      expect(onlyTarget(result).rules[1]!.location.range).toMatchObject({ startLine: 4, endLine: 4 });
      expect(codes(result)).toEqual([['parse/netsh-firewall-off', 'warning', 3]]);
      expect(result.diagnostics[0]!.message).toContain('Windows Firewall off on the domain profile');
      // show allprofiles output alone describes the host too (it is found by content, and is not "non-English").
      const alone = parse(text.slice(0, 10), 'host02.txt');
      expect(rulesOf(alone)).toEqual([`${POLICY} in allow any [0-65535] from Any on domain`]);
    });
  });

  describe('host-wide: reset and import', () => {
    it('drops the rules created before them and warns that the rules after them are not known', () => {
      const result = parse([
        'netsh advfirewall firewall add rule name=A dir=in action=allow protocol=tcp localport=3389',
        'netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound',
        'netsh advfirewall reset',
        ADD_SSH,
        'netsh advfirewall import "C:\\policy.wfw"',
        'netsh advfirewall firewall add rule name=Web dir=in action=allow protocol=tcp localport=443',
        'netsh firewall add portopening tcp 8080 Proxy',
        'netsh firewall reset',
      ]);
      expect(rulesOf(result)).toEqual([]);
      expect(codes(result)).toEqual([
        ['parse/netsh-policy-replaced', 'warning', 3],
        ['parse/netsh-policy-replaced', 'warning', 5],
        ['parse/netsh-policy-replaced', 'warning', 8],
      ]);
      const [reset, imported] = result.diagnostics;
      expect(reset!.message).toMatch(/^"netsh advfirewall reset" restores Windows' default firewall policy and its built-in rules, which fwlint cannot see.* It deletes the rule this script created above, which is not checked/);
      expect(imported!.message).toContain('"netsh advfirewall import" replaces the whole firewall policy (rules and profile settings) with the one in "C:\\policy.wfw"');
      expect(imported!.message).toContain('It deletes the rule this script created above, which is not checked');
      expect(result.diagnostics[2]!.message).toContain('It deletes the 2 rules this script created above, which are not checked');
    });

    it('checks the rules created after a reset', () => {
      expect(rulesOf(parse(['netsh advfirewall reset', ADD_SSH]))).toEqual(['"SSH"#1 in allow 6 [22] from 10.0.0.0/8 on domain,private,public']);
    });
  });

  describe('invocation forms', () => {
    it('reads the context -c names, and skips a command -r runs on another computer, with a warning', () => {
      const result = parse([
        'netsh -c "advfirewall firewall" add rule name=RDP dir=in action=allow protocol=tcp localport=3389',
        'netsh -c advfirewall firewall add rule name=WinRM dir=in action=allow protocol=tcp localport=5985',
        'netsh -r server02 advfirewall firewall add rule name=SSH dir=in action=allow protocol=tcp localport=22',
        'netsh -r server02 -u admin -p * interface ip show config',
        'netsh /c "advfirewall" firewall add rule name=DNS dir=in action=allow protocol=udp localport=53',
      ]);
      expect(rulesOf(result)).toEqual([
        '"RDP"#1 in allow 6 [3389] from Any on domain,private,public',
        '"WinRM"#1 in allow 6 [5985] from Any on domain,private,public',
        '"DNS"#1 in allow 17 [53] from Any on domain,private,public',
      ]);
      expect(codes(result)).toEqual([['parse/netsh-remote-host', 'warning', 3]]);
      expect(result.diagnostics[0]!.message).toContain('runs on the computer "server02" (netsh -r), not on the host this file describes');
    });

    it('skips netsh that Invoke-Command -ComputerName or psexec runs on another computer, with a warning', () => {
      const result = parse([
        'Invoke-Command -ComputerName server02 -ScriptBlock { netsh advfirewall firewall add rule name=a dir=in action=allow protocol=tcp localport=22 }',
        'icm -cn server03 { netsh advfirewall firewall add rule name=b dir=in action=allow protocol=tcp localport=22 }',
        'Invoke-Command -Session $session -ScriptBlock { netsh advfirewall firewall add rule name=c dir=in action=allow protocol=tcp localport=22 }',
        'psexec \\\\server04 -s netsh advfirewall firewall add rule name=d dir=in action=allow protocol=tcp localport=22',
        'Invoke-Command -ScriptBlock { netsh advfirewall firewall add rule name=local dir=in action=allow protocol=tcp localport=22 }',
      ], 'remote.ps1');
      expect(rulesOf(result)).toEqual(['"local"#1 in allow 6 [22] from Any on domain,private,public']);
      expect(result.diagnostics.map((d) => /runs on the computer (".*?" \(.*?\))/.exec(d.message)?.[1])).toEqual([
        '"server02" (Invoke-Command -ComputerName)',
        '"server03" (Invoke-Command -ComputerName)',
        '"$session" (Invoke-Command -Session)',
        '"server04" (psexec)',
      ]);
    });

    it('skips netsh in a multi-line Invoke-Command -ComputerName script block, nested blocks too', () => {
      const result = parse([
        'Invoke-Command -ComputerName server02 -ScriptBlock {',
        '  if ($true) {',
        '    netsh advfirewall firewall add rule name=a dir=in action=allow protocol=tcp localport=22',
        '  }',
        '}',
        'netsh advfirewall firewall add rule name=local dir=in action=allow protocol=tcp localport=22',
      ], 'remote.ps1');
      expect(rulesOf(result)).toEqual(['"local"#1 in allow 6 [22] from Any on domain,private,public']);
      expect(result.diagnostics.map((d) => [d.code, d.range?.startLine])).toEqual([['parse/netsh-remote-host', 3]]);
    });

    it('reads abbreviated context, command and parameter names, as netsh does', () => {
      const result = parse([
        'netsh adv fi add rule name=a dir=in action=allow protocol=tcp localport=3389',
        'netsh advf firewall add rule name=b dir=in action=allow protocol=tcp localport=22',
        'netsh advfirewall firewall add ru name=c dir=in action=allow protocol=tcp localport=445',
        'netsh adv f a r n="Ping" dir=in act=allow prof=any prot=icmpv4:8,any',
        'netsh adv set all firewallpolicy allowinbound,allowoutbound',
        'netsh fi a portopening tcp 8080 Web',
        'netsh adv set all state off',
      ]);
      expect(rulesOf(result)).toEqual([
        '"a"#1 in allow 6 [3389] from Any on domain,private,public',
        '"b"#1 in allow 6 [22] from Any on domain,private,public',
        '"c"#1 in allow 6 [445] from Any on domain,private,public',
        '"Ping"#1 in allow 1 [0-65535] icmp 8/any from Any on domain,private,public',
        '"Web"#1 in allow 6 [8080] from Any on domain,private',
        `${POLICY} in allow any [0-65535] from Any on domain,private,public`,
      ]);
      expect(codes(result)).toEqual([['parse/netsh-firewall-off', 'warning', 7]]);
    });

    it('reads abbreviated context lines of a netsh -f script', () => {
      const result = parse([
        'advfirewall firewall',
        'add rule name=Ping dir=in action=allow protocol=icmpv4:8,any remoteip=10.0.0.0/8',
        '..',
        '..',
        'adv fi',
        'a r name=SQL dir=in action=allow protocol=tcp localport=1433',
        '..',
        'f',
        'add rule name=DNS dir=in action=allow protocol=udp localport=53',
        '..',
        '..',
        'adv f add rule name=Web dir=in action=allow protocol=tcp localport=443',
      ], 'netsh-script.txt');
      expect(rulesOf(result)).toEqual([
        '"Ping"#1 in allow 1 [0-65535] icmp 8/any from 10.0.0.0/8 on domain,private,public',
        '"SQL"#1 in allow 6 [1433] from Any on domain,private,public',
        '"DNS"#1 in allow 17 [53] from Any on domain,private,public',
        '"Web"#1 in allow 6 [443] from Any on domain,private,public',
      ]);
      expect(result.diagnostics).toEqual([]);
    });

    it('warns about an ambiguous or unknown firewall command, and about none that changes no rule', () => {
      const result = parse([
        'netsh a firewall add rule name=a dir=in action=allow',
        'netsh advfirewall fi s rule name=a new enable=no',
        'netsh advfirewall firewall add rules name=a dir=in action=allow',
        'netsh advfirewall firewall show rule name=all',
        'netsh advfirewall set allprofiles logging droppedconnections enable',
        'netsh advfirewall export "C:\\backup.wfw"',
        'netsh firewall show config',
        'netsh interface ip show config',
        'netsh wlan show profiles',
        'netsh advfirewall consec add rule name=ipsec endpoint1=any endpoint2=any action=requireinrequireout',
      ]);
      expect(result.targets).toEqual([]);
      expect(codes(result)).toEqual([
        ['parse/netsh-not-read', 'warning', 1],
        ['parse/netsh-not-read', 'warning', 2],
        ['parse/netsh-not-read', 'warning', 3],
      ]);
      expect(result.diagnostics.map((d) => d.message)).toEqual([
        expect.stringMatching(/^netsh command not read: netsh has no command "a" there|^netsh command not read: "a" could be/),
        expect.stringContaining('netsh command not read: "s" could be set or show'),
        expect.stringContaining('netsh command not read: netsh has no command "rules" there'),
      ]);
    });

    it('reads netsh run by Invoke-Expression, cmd /c, Start-Process and powershell -Command', () => {
      const result = parse([
        'Invoke-Expression "netsh advfirewall firewall add rule name=a dir=in action=allow protocol=tcp localport=3389"',
        'cmd /c "netsh advfirewall firewall add rule name=b dir=in action=allow protocol=tcp localport=22"',
        'Start-Process netsh -ArgumentList "advfirewall firewall add rule name=c dir=in action=allow protocol=tcp localport=445" -Wait',
        '$port = 1433',
        "iex 'netsh advfirewall firewall add rule name=d dir=in action=allow protocol=tcp localport=$port'",
        'Start-Process -FilePath "C:\\Windows\\System32\\netsh.exe" -ArgumentList \'advfirewall\',\'firewall\',\'add\',\'rule\',\'name="e f"\',\'dir=in\',\'action=allow\',\'protocol=tcp\',\'localport=21\' -NoNewWindow',
        'powershell -NoProfile -Command "netsh advfirewall firewall add rule name=g dir=in action=allow protocol=tcp localport=23"',
        'Start-Process notepad.exe -ArgumentList "advfirewall firewall add rule"',
      ], 'invocations.ps1');
      expect(rulesOf(result)).toEqual([
        '"a"#1 in allow 6 [3389] from Any on domain,private,public',
        '"b"#1 in allow 6 [22] from Any on domain,private,public',
        '"c"#1 in allow 6 [445] from Any on domain,private,public',
        '"d"#1 in allow 6 [1433] from Any on domain,private,public',
        '"e f"#1 in allow 6 [21] from Any on domain,private,public',
        '"g"#1 in allow 6 [23] from Any on domain,private,public',
      ]);
      expect(result.diagnostics).toEqual([]);
      // An argument inside the string is located where it is written.
      const bad = parse(['cmd /c "netsh advfirewall firewall add rule name=b dir=in action=allow protocol=tcp localport=99999"'], 'bad.cmd');
      expect(bad.diagnostics.map((d) => [d.code, d.range?.startLine, d.range?.startColumn])).toEqual([['parse/netsh-bad-value', 1, 85]]);
      // One whose text is not the source (a variable expanded in it) is located at the string.
      const expanded = parse(['$port = 99999', 'iex "netsh advfirewall firewall add rule name=b dir=in action=allow protocol=tcp localport=$port"'], 'expanded.ps1');
      expect(expanded.diagnostics.map((d) => [d.code, d.range?.startLine, d.range?.startColumn])).toEqual([['parse/netsh-bad-value', 2, 6]]);
      expect(parse(['Start-Process -Wait -FilePath'], 'incomplete.ps1').diagnostics).toEqual([]);
    });

    it('warns "netsh command not read" where netsh runs in a way fwlint does not read', () => {
      const result = parse([
        'Invoke-Command -Session $s -ScriptBlock { param($p) & $p } -ArgumentList "netsh advfirewall firewall add rule name=a dir=in action=allow"',
        'Write-Host "netsh advfirewall firewall add rule name=b dir=in action=allow"',
        '$command = "netsh advfirewall firewall add rule name=c dir=in action=allow"',
        'Get-Content .\\netsh-firewall.txt',
      ], 'wrapped.ps1');
      expect(codes(result)).toEqual([['parse/netsh-not-read', 'warning', 1]]);
      expect(result.diagnostics[0]!.message).toContain('netsh command not read: netsh is run in a way fwlint does not read');
    });

    it('stops reading wrappers that run themselves', () => {
      const result = parse(["$x = 'iex $x netsh advfirewall firewall add rule'", 'iex $x'], 'loop.ps1');
      expect(codes(result)).toEqual([['parse/netsh-not-read', 'warning', 2]]);
    });
  });

  describe('legacy built-in exceptions', () => {
    it('reads set service and set icmpsetting into the ports they open', () => {
      const result = parse([
        'netsh firewall set service type=remotedesktop mode=enable scope=all profile=all',
        'netsh firewall set service fileandprint enable subnet profile=domain',
        'netsh firewall set icmpsetting 8 enable all',
        'netsh firewall set service type=upnp mode=enable scope=custom addresses=192.0.2.0/24 profile=standard',
      ]);
      expect(rulesOf(result)).toEqual([
        '"Remote Desktop"#1 in allow 6 [3389] from Any on domain,private',
        '"File and Printer Sharing"#1 in allow 6 [139, 445] from LocalSubnet on domain',
        '"File and Printer Sharing"#2 in allow 17 [137-138] from LocalSubnet on domain',
        '"File and Printer Sharing"#3 in allow 1 [0-65535] icmp 8/any from LocalSubnet on domain',
        '"ICMP echo request (icmpsetting 8)"#1 in allow 1 [0-65535] icmp 8/any from Any on domain,private',
        '"UPnP Framework"#1 in allow 6 [2869] from 192.0.2.0/24 on private',
        '"UPnP Framework"#2 in allow 17 [1900] from 192.0.2.0/24 on private',
      ]);
      expect(result.diagnostics).toEqual([]);
    });

    it('reads legacy arguments written with spaces around =, as netsh does', () => {
      const result = parse([
        'netsh firewall set service type = remotedesktop mode = enable scope= all profile =all',
        'netsh firewall add portopening protocol = TCP port = 8080 name = Web',
        'netsh firewall set notifications mode = disable profile = all',
      ]);
      expect(rulesOf(result)).toEqual([
        '"Remote Desktop"#1 in allow 6 [3389] from Any on domain,private',
        '"Web"#1 in allow 6 [8080] from Any on domain,private',
      ]);
      expect(result.diagnostics).toEqual([]);
    });

    it('replaces an exception set earlier, and turns it off with mode=disable', () => {
      const result = parse([
        'netsh firewall set service remotedesktop enable all all',
        'netsh firewall set service remotedesktop disable all all',
        'netsh firewall set icmpsetting type=8 mode=enable profile=all',
        'netsh firewall set icmpsetting type=8 mode=disable profile=domain',
      ]);
      expect(rulesOf(result)).toEqual([
        '"Remote Desktop"#1 in allow (disabled) 6 [3389] from Any on domain,private',
        '"ICMP echo request (icmpsetting 8)"#1 in allow 1 [0-65535] icmp 8/any from Any on domain,private',
        '"ICMP echo request (icmpsetting 8)"#2 in allow (disabled) 1 [0-65535] icmp 8/any from Any on domain',
      ]);
    });

    it('warns about what it does not model, and reports unknown types', () => {
      const result = parse([
        'netsh firewall set service type=remoteadmin mode=enable scope=subnet profile=all',
        'netsh firewall set icmpsetting 5 enable',
        'netsh firewall set icmpsetting 3 enable',
        'netsh firewall set service type=telnet mode=enable',
        'netsh firewall set icmpsetting 99',
        'netsh firewall add service remotedesktop',
      ]);
      expect(rulesOf(result)).toEqual(['"Remote Administration"#1 in allow 6 [135, 445] from LocalSubnet on domain,private']);
      expect(codes(result)).toEqual([
        ['parse/netsh-not-read', 'warning', 1],
        ['parse/netsh-not-read', 'warning', 2],
        ['parse/netsh-bad-value', 'error', 4],
        ['parse/netsh-bad-value', 'error', 5],
        ['parse/netsh-not-read', 'warning', 6],
      ]);
      expect(result.diagnostics[0]!.message).toContain('models the Remote Administration exception\'s ports, not the RPC services it also lets in on dynamic ports');
    });

    it('says clearly that enabling a built-in rule group acts on rules fwlint cannot see', () => {
      const result = parse(['netsh advfirewall firewall set rule group="remote desktop" new enable=yes']);
      expect(codes(result)).toEqual([['parse/netsh-no-match', 'warning', 1]]);
      expect(result.diagnostics[0]!.message).toContain(
        'it turns on a group of rules defined elsewhere (Windows\' built-in "remote desktop" rules: on a default Windows TCP and UDP 3389 from any address), which fwlint cannot see, so what it opens is not checked',
      );
    });
  });

  describe('checks', () => {
    it('reports an AllowInbound default as world-open ingress on every port (FW101) and all traffic (FW102)', () => {
      const result = scanFixture('checks/FW101/netsh/bad-default-policy-allowinbound.cmd');
      expect(result.findings.map((finding) => [finding.checkId, finding.severity, finding.location.range.startLine])).toEqual(
        expect.arrayContaining([['FW101', 'critical', 3], ['FW102', 'high', 3]]),
      );
    });

    it('advises closing the policy rather than removing a rule, and finds no rule redundant beside it (FW202, FW302)', () => {
      const { findings } = scanFiles({
        'sds02.cmd': [
          'REM fwlint:profile dell-emc-scaleio/sds',
          'netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound',
          'netsh advfirewall firewall add rule name=MDM dir=in action=allow protocol=tcp localport=9011 remoteip=10.0.0.0/8',
          '',
        ].join('\r\n'),
      });
      expect(findings.filter((finding) => finding.checkId === 'FW302')).toEqual([]);
      const policy = findings.find((finding) => finding.checkId === 'FW202' && finding.location.range.startLine === 2)!;
      expect(policy.message).toMatch(/; set the inbound default policy to BlockInbound and allow instead: tcp\/135, 445, 7072, 24158 from installer; /);
      const written = findings.find((finding) => finding.checkId === 'FW202' && finding.location.range.startLine === 3)!;
      expect(written.message).toMatch(/the role needs none of it: remove the rule$/);
    });
  });
});
