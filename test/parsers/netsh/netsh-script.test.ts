import { describePeer } from '../../../src/model';
import type { ParseResult, Rule } from '../../../src/model';
import { netshParser } from '../../../src/parsers/netsh';
import { loadNetshFixture, NETSH_OPTIONS as OPTIONS, onlyTarget, parseNetshText } from './netsh-test-helpers';

function parseScript(text: string, path = 'setup.cmd'): ParseResult {
  return parseNetshText(text, path);
}

const load = loadNetshFixture;

function summary(rule: Rule): string {
  const protocol = rule.protocol.kind === 'number' ? String(rule.protocol.value) : rule.protocol.kind;
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  return `${rule.resourceAddress} ${rule.direction} ${rule.action}${rule.enabled ? '' : ' (disabled)'} ${protocol} ` +
    `[${rule.ports.toString()}]${icmp} from ${describePeer(rule.peer)} on ${rule.profiles!.join(',')}`;
}

const codes = (result: ParseResult): Array<[string, string, number | undefined]> =>
  result.diagnostics.map((d) => [d.code, d.severity, d.range?.startLine]);

describe('netsh scripts', () => {
  describe('ScaleIO SDS install script (.cmd with ^ continuations, variables, set and delete)', () => {
    const result = netshParser.parse([load('scripts/sds-install.cmd')], OPTIONS);
    const target = onlyTarget(result);

    it('names the host from its fwlint:target comment and maps it to the SDS role', () => {
      expect(target).toMatchObject({ id: 'scaleio-sds-02', kind: 'netsh', platform: 'windows-fw', resourceType: 'netsh-script' });
      expect(target.profile).toMatchObject({ ref: 'dell-emc-scaleio/sds', phase: 'install', options: [] });
      expect(target.location.range.startLine).toBe(1);
    });

    it('replays add, set and delete in order', () => {
      expect(target.rules.map(summary)).toEqual([
        '"ScaleIO SDS"#1 in allow 6 [7072] from 10.20.0.0/16 on domain,private',
        '"ScaleIO install RPC"#1 in allow 6 [135] from 10.20.0.5 on domain,private,public',
        '"ScaleIO install SMB"#1 in allow 6 [445] from unresolved %INSTALLER_IP% on domain,private,public',
        '"WMIFixedPort"#1 in allow 6 [24158] from Any on domain,private,public',
      ]);
    });

    it('locates a rule at its command lines, continuations included', () => {
      const [sds, rpc] = target.rules;
      expect(sds!.location.range).toEqual({ startLine: 10, startColumn: 1, endLine: 12, endColumn: 35 });
      expect(rpc!.location.range).toMatchObject({ startLine: 15, endLine: 15 });
    });

    it('sets no peer location, so that findings point at the add rule command (the README promise)', () => {
      expect(target.rules.map((rule) => rule.peerLocation)).toEqual([undefined, undefined, undefined, undefined]);
    });

    it('points an unresolved peer at the remoteip= argument that set it, even in a later set', () => {
      const smb = target.rules[2]!;
      expect(smb.unknowns[0]!.location.range).toEqual({ startLine: 23, startColumn: 68, endLine: 23, endColumn: 91 });
    });

    it('records an unresolved %VAR% as unknown, never as open', () => {
      const smb = target.rules[2]!;
      expect(smb.peer).toEqual({ kind: 'unknown', expr: '%INSTALLER_IP%' });
      expect(smb.unknowns).toEqual([{ field: 'peer', expr: '%INSTALLER_IP%', location: { file: 'fixtures/netsh/scripts/sds-install.cmd', range: expect.objectContaining({ startLine: 23 }) } }]);
      expect(target.rules[0]!.unknowns).toEqual([]);
    });

    it('warns about a set or delete that matches no rule of the script', () => {
      expect(codes(result)).toEqual([
        ['parse/netsh-no-match', 'warning', 26],
        ['parse/netsh-no-match', 'warning', 27],
      ]);
      expect(result.diagnostics[0]!.message).toContain('set rule group="Remote Desktop" matches no rule');
      expect(result.diagnostics[1]!.message).toContain('delete rule name="Old SDS rule" matches no rule');
    });

    it('returns the annotations of REM comments with their lines', () => {
      expect(result.annotations.map((a) => [a.directive, a.argument, a.range.startLine])).toEqual([
        ['target', 'scaleio-sds-02', 3],
        ['profile', 'dell-emc-scaleio/sds phase=install', 4],
        ['ignore', 'FW101 reason="installer subnet not known yet" expires=2027-01-31', 16],
      ]);
    });
  });

  describe('Lumen Cloud WinRM script (.ps1 with backtick continuations)', () => {
    const result = netshParser.parse([load('scripts/lumen-winrm.ps1')], OPTIONS);
    const target = onlyTarget(result);

    it('expands PowerShell variables, keeps $env: references unknown, and reads the legacy command', () => {
      expect(target.id).toBe('lumen-winrm');
      expect(target.profile).toMatchObject({ ref: 'lumen-cloud/windows' });
      expect(target.rules.map(summary)).toEqual([
        '"Lumen WinRM"#1 in allow 6 [5985] from 10.55.0.0/16 on domain,private',
        '"Lumen RDP"#1 in allow 6 [3389] from unresolved $env:ADMIN_NET on domain,private,public',
        '"WinRM HTTPS"#1 in allow 6 [5986] from LocalSubnet on domain,private',
        '"Lumen Block Telnet"#1 in deny 6 [23] from Any on public',
      ]);
      expect(result.diagnostics).toEqual([]);
    });

    it('locates the continued command at all its lines', () => {
      expect(target.rules[0]!.location.range).toMatchObject({ startLine: 6, endLine: 9 });
    });

    it('reads the legacy CURRENT profile as domain and private, recorded as unknown', () => {
      expect(target.rules[2]!.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([['profiles', 'current']]);
    });

    it('finds annotations in <# #> block comments', () => {
      expect(result.annotations.map((a) => [a.directive, a.range.startLine])).toEqual([['profile', 2], ['ignore', 13]]);
    });
  });

  it('reads a .txt of netsh commands with a legacy allowedprogram and a case-insensitive delete', () => {
    const result = netshParser.parse([load('scripts/firewall-rules.txt')], OPTIONS);
    const target = onlyTarget(result);
    expect(target.resourceType).toBe('netsh-script');
    expect(target.rules.map(summary)).toEqual([
      '"Web"#1 in allow 6 [80, 443] from Any on domain,private,public',
      '"Backup agent"#1 in allow any [0-65535] from 192.0.2.0/255.255.255.0 on domain,private',
      '"DNS out"#1 out allow 17 [53] from DNS on domain,private,public',
    ]);
    expect(target.rules[1]!.program).toBe('C:\\Program Files\\Backup\\agent.exe');
    expect(result.diagnostics).toEqual([]);
  });

  it('reads a netsh -f script that enters the advfirewall firewall context', () => {
    const target = onlyTarget(netshParser.parse([load('scripts/netsh-context.txt')], OPTIONS));
    expect(target.rules.map(summary)).toEqual([
      '"SQL"#1 in allow 6 [1433] from 10.0.0.0/8 on domain,private,public',
      '"SQL Browser"#1 in allow 17 [1434] from Any on domain,private,public',
    ]);
  });

  it('expands a loop over a literal list, treats script arguments as unknown, and skips a rule whose direction is unknown', () => {
    const result = netshParser.parse([load('scripts/web-loop.bat')], OPTIONS);
    const target = onlyTarget(result);
    expect(target.rules.map(summary)).toEqual([
      '"Web 80"#1 in allow 6 [80] from Any on domain,private,public',
      '"Web 443"#1 in allow 6 [443] from Any on domain,private,public',
      '"Monitoring"#1 in allow 6 [9100] from unresolved %1 on domain,private,public',
    ]);
    expect(target.rules.map((rule) => [rule.location.range.startLine, rule.branch])).toEqual([[3, undefined], [3, undefined], [5, undefined]]);
    expect(target.rules[0]!.unknowns).toEqual([]);
    expect(codes(result)).toEqual([['parse/netsh-unresolved', 'warning', 4]]);
    expect(result.diagnostics[0]!.message).toBe('rule "Admin": dir is %DIRECTION%, which cannot be resolved statically; the rule is skipped');
  });

  describe('grammar', () => {
    it('applies the add rule defaults for omitted parameters', () => {
      const [rule] = onlyTarget(parseScript('netsh advfirewall firewall add rule name=Min dir=in action=allow')).rules;
      expect(rule).toMatchObject({ enabled: true, profiles: ['domain', 'private', 'public'], protocol: { kind: 'any' } });
      expect(rule!.ports.isAll()).toBe(true);
      expect(describePeer(rule!.peer)).toBe('Any');
      expect(rule!.localAddresses).toEqual([expect.objectContaining({ text: 'Any' })]);
    });

    it('reads keys and keyword values case-insensitively, quotes anywhere in an argument, and icmpv4:type,code', () => {
      const text = 'NETSH AdvFirewall Firewall ADD RULE "Name=Ping in" DIR=IN Action=ALLOW Protocol=ICMPv4:8,any Enable=No Profile=Public,Private description="a = b"';
      const [rule] = onlyTarget(parseScript(text)).rules;
      expect(summary(rule!)).toBe('"Ping in"#1 in allow (disabled) 1 [0-65535] icmp 8/any from Any on private,public');
      expect(rule!.description).toBe('a = b');
    });

    it('joins CRLF lines ending in ^, but not a ^ inside quotes', () => {
      const text = [
        'netsh advfirewall firewall add rule name="Caret ^" dir=in ^',
        '  action=allow protocol=udp localport=161',
        'echo next',
      ].join('\r\n');
      const target = onlyTarget(parseScript(text));
      expect(target.rules.map(summary)).toEqual(['"Caret ^"#1 in allow 17 [161] from Any on domain,private,public']);
      expect(target.rules[0]!.location.range).toEqual({ startLine: 1, startColumn: 1, endLine: 2, endColumn: 42 });
    });

    it('does not join a line whose ^ or backtick is followed by spaces (cmd and PowerShell do not), and warns', () => {
      const cmd = parseScript([
        'netsh advfirewall firewall add rule name=Trail dir=in action=allow ^   ',
        '  protocol=tcp localport=8081',
      ].join('\r\n'));
      // Windows creates an any-protocol rule, and runs "protocol=tcp localport=8081" as a command of its own.
      expect(onlyTarget(cmd).rules.map(summary)).toEqual(['"Trail"#1 in allow any [0-65535] from Any on domain,private,public']);
      expect(codes(cmd)).toEqual([['parse/netsh-broken-continuation', 'warning', 1]]);
      expect(cmd.diagnostics[0]!.message).toContain('the ^ at the end of line 1 is followed by spaces');
      expect(cmd.diagnostics[0]!.range).toEqual({ startLine: 1, startColumn: 68, endLine: 1, endColumn: 72 });
      const ps = parseScript('netsh advfirewall firewall add rule name=Trail dir=in action=allow ` \n  protocol=tcp localport=8081\n', 'setup.ps1');
      expect(onlyTarget(ps).rules.map(summary)).toEqual(['"Trail"#1 in allow any [0-65535] from Any on domain,private,public']);
      expect(codes(ps)).toEqual([['parse/netsh-broken-continuation', 'warning', 1]]);
      expect(ps.diagnostics[0]!.message).toContain('the backtick at the end of line 1');
    });

    it('removes cmd escapes and redirections, and reads commands chained with && and inside if blocks', () => {
      const text = [
        'if not errorlevel 1 (netsh advfirewall firewall add rule name=A^&B dir=in action=allow protocol=tcp localport=1 2>nul)',
        'netsh advfirewall firewall add rule name=C dir=in action=allow protocol=tcp localport=2 >> log.txt && netsh advfirewall firewall add rule name=D dir=out action=block',
      ].join('\n');
      expect(onlyTarget(parseScript(text)).rules.map((rule) => rule.resourceAddress)).toEqual(['"A&B"#1', '"C"#1', '"D"#1']);
    });

    it('reads netsh with a path, an .exe suffix and global options (-r naming this computer)', () => {
      const text = '"C:\\Windows\\System32\\netsh.exe" -r localhost -u admin -p * advfirewall firewall add rule name=Remote dir=in action=allow';
      expect(onlyTarget(parseScript(text)).rules.map((rule) => rule.resourceAddress)).toEqual(['"Remote"#1']);
    });

    it('reads PowerShell ; chains, single quotes and trailing # comments', () => {
      const text = "netsh advfirewall firewall add rule name='It''s' dir=in action=allow; netsh advfirewall firewall add rule name=B dir=in action=allow # fwlint:ignore FW101 reason=\"x\"";
      const result = parseScript(text, 'setup.ps1');
      expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"It\'s"#1', '"B"#1']);
      expect(result.annotations).toEqual([
        expect.objectContaining({ directive: 'ignore', argument: 'FW101 reason="x"', range: { startLine: 1, startColumn: 134, endLine: 1, endColumn: 166 } }),
      ]);
    });

    it('ties a PowerShell # fwlint:ignore at the end of the line closing a multi-line statement to that statement, not the next rule (QA 16/04)', () => {
      const rule = (name: string): string => `New-NetFirewallRule -DisplayName "${name}" -Protocol TCP -LocalPort 1071 -RemoteAddress Any`;
      const text = [
        '[void](', `  ${rule('C')}`, ') # fwlint:ignore FW101 reason="c"', rule('D'),
        '& {', `  ${rule('E1')}`, `  ${rule('E2')}`, '} # fwlint:ignore FW101 reason="e"', rule('F'),
        '(', `  ${rule('G')}`, ') | Out-Null # fwlint:ignore FW101 reason="g"', rule('H'),
        // QA 17/07: a member of the output taken after the `)`.
        '$r = $(', `  ${rule('J')}`, ').Name # fwlint:ignore FW101 reason="j"', rule('K'),
        // Code besides a closing bracket: the comment is the next command's, as before.
        `}; ${rule('I')} # fwlint:ignore FW101 reason="i"`,
      ].join('\n');
      const result = parseScript(text, 'setup.ps1');
      expect(result.annotations.map((annotation) => `${annotation.argument}: ${annotation.ruleIds?.join(', ')}`)).toEqual([
        'FW101 reason="c": "C"#1/0', 'FW101 reason="e": "E1"#1/0, "E2"#1/0', 'FW101 reason="g": "G"#1/0', 'FW101 reason="j": "J"#1/0', 'FW101 reason="i": "I"#1/0',
      ]);
    });

    it('ties a # fwlint:ignore at the end of a pipeline continued after | or of the ) of a multi-line @( ) argument to that statement; after a splat literal\'s } to the next rule (QA 17/04)', () => {
      const rule = (name: string, port = 1071): string => `New-NetFirewallRule -DisplayName "${name}" -Protocol TCP -LocalPort ${port} -RemoteAddress Any`;
      const text = [
        `${rule('A')} |`, '  Out-Null # fwlint:ignore FW101 reason="a"', rule('B'),
        `${rule('C')} |`, '  Where-Object { $_ } |', '  Out-Null # fwlint:ignore FW101 reason="c"', rule('D'),
        'New-NetFirewallRule -DisplayName "E" -LocalPort @(', '  3389', ') -Protocol TCP -RemoteAddress Any # fwlint:ignore FW101 reason="e"', rule('F'),
        '$p = @{', '  DisplayName = "G"; LocalPort = 3389; Protocol = "TCP"; RemoteAddress = "Any"', '} # fwlint:ignore FW101 reason="g"', 'New-NetFirewallRule @p', rule('H'),
      ].join('\n');
      const result = parseScript(text, 'setup.ps1');
      expect(result.annotations.map((annotation) => `${annotation.range.startLine} ${annotation.argument}: ${annotation.ruleIds?.join(', ')}`)).toEqual([
        '2 FW101 reason="a": "A"#1/0', '6 FW101 reason="c": "C"#1/0', '10 FW101 reason="e": "E"#1/0', '14 FW101 reason="g": "G"#1/0',
      ]);
    });

    it('reads a cmd "& REM" end-of-line comment, and ties each ignore comment to the rules its command creates or changes', () => {
      const text = [
        'netsh advfirewall firewall add rule name=A dir=in action=allow remoteip=10.0.0.1,10.0.0.2 & REM fwlint:ignore FW101 reason="a"',
        'netsh advfirewall firewall add rule name=B dir=in action=allow',
        'REM fwlint:ignore FW101 reason="set"',
        'netsh advfirewall firewall set rule name=A new localport=80 protocol=tcp',
        'REM fwlint:ignore FW101 reason="delete"',
        'netsh advfirewall firewall delete rule name=B',
        'REM fwlint:ignore FW201 reason="host"',
      ].join('\r\n');
      const result = parseScript(text);
      expect(result.annotations.map((annotation) => [annotation.range.startLine, annotation.range.startColumn, annotation.ruleIds])).toEqual([
        [1, 93, ['"A"#1/0', '"A"#1/1']],
        [3, 1, ['"A"#1/0', '"A"#1/1']],
        [5, 1, []],
        [7, 1, undefined],
      ]);
    });

    it('reads PowerShell typographic quotes, netsh output captured in a variable, and skips here-strings', () => {
      const text = [
        '$out = netsh advfirewall firewall add rule name=\u201cSmart quotes\u201d dir=in action=allow',
        '$cmd = @"',
        'netsh advfirewall firewall add rule name=InHereString dir=in action=allow',
        '"@',
        'Write-Host "mail me@"',
        'netsh advfirewall firewall add rule name=After dir=in action=allow',
      ].join('\n');
      const rules = onlyTarget(parseScript(text, 'setup.ps1')).rules;
      expect(rules.map((rule) => rule.resourceAddress)).toEqual(['"Smart quotes"#1', '"After"#1']);
    });

    it('ignores lines that are not netsh firewall commands', () => {
      const text = [
        'echo netsh advfirewall firewall add rule name=X dir=in action=allow',
        'netsh advfirewall set allprofiles state on',
        'netsh advfirewall firewall show rule name=all',
        'netsh interface ipv4 show config',
        'netsh advfirewall firewall add rule name=Y dir=in action=allow',
      ].join('\n');
      expect(onlyTarget(parseScript(text)).rules.map((rule) => rule.resourceAddress)).toEqual(['"Y"#1']);
    });

    it('produces no host for a script without netsh firewall commands', () => {
      expect(parseScript('@echo off\r\ncopy a b\r\n', 'deploy.bat')).toEqual({ targets: [], annotations: [], diagnostics: [] });
      expect(parseScript('Write-Host "hello"\n', 'tool.ps1').targets).toEqual([]);
    });

    it('still names a host that only has annotations', () => {
      const target = onlyTarget(parseScript('REM fwlint:target dc01\r\n', 'empty.cmd'));
      expect(target).toMatchObject({ id: 'dc01', rules: [] });
    });

    it('reports missing and rejected parameters', () => {
      const text = [
        'netsh advfirewall firewall add rule dir=in action=allow',
        'netsh advfirewall firewall add rule name=all dir=in action=allow',
        'netsh advfirewall firewall add rule name=NoAction dir=in',
        'netsh advfirewall firewall add rule name=Extra dir=in action=allow colour=blue stray',
        'netsh advfirewall firewall add rule name=Twice dir=in dir=out action=allow',
        'netsh advfirewall firewall add rule name=Icmp dir=in action=allow protocol=icmpv4 localport=80',
        'netsh advfirewall firewall add rule name= dir=in action=allow',
      ].join('\n');
      const result = parseScript(text);
      expect(onlyTarget(result).rules.map(summary)).toEqual([
        '"Extra"#1 in allow any [0-65535] from Any on domain,private,public',
        '"Twice"#1 out allow any [0-65535] from Any on domain,private,public',
      ]);
      expect(codes(result)).toEqual([
        ['parse/netsh-missing-field', 'error', 1],
        ['parse/netsh-bad-value', 'error', 2],
        ['parse/netsh-missing-field', 'error', 3],
        ['parse/netsh-unknown-parameter', 'warning', 4],
        ['parse/netsh-bad-argument', 'warning', 4],
        ['parse/netsh-duplicate-parameter', 'warning', 5],
        ['parse/netsh-ports-without-tcp-udp', 'warning', 6],
        ['parse/netsh-missing-field', 'error', 7],
      ]);
      expect(result.diagnostics[2]!.message).toBe('rule "NoAction" has no action= parameter, which netsh requires; the rule is skipped');
    });

    it('skips a rule with ports but no TCP or UDP protocol, which netsh refuses to create', () => {
      const result = parseScript([
        'netsh advfirewall firewall add rule name=NoProto dir=in action=allow localport=80',
        'netsh advfirewall firewall add rule name=AnyPort dir=in action=allow localport=any remoteport=any',
      ].join('\n'));
      // Not an all-traffic rule from Any: the command fails on Windows and creates nothing.
      expect(onlyTarget(result).rules.map(summary)).toEqual(['"AnyPort"#1 in allow any [0-65535] from Any on domain,private,public']);
      expect(codes(result)).toEqual([['parse/netsh-ports-without-tcp-udp', 'warning', 1]]);
      expect(result.diagnostics[0]!.message).toBe(
        'rule "NoProto": localport applies only to TCP and UDP, and netsh rejects it with no protocol= (any protocol), so the rule is not created; it is skipped (add protocol=tcp or protocol=udp)',
      );
    });

    it('warns when the script turns the firewall off (advfirewall state off, legacy opmode disable)', () => {
      const result = parseScript([
        'netsh advfirewall firewall add rule name=Web dir=in action=allow protocol=tcp localport=80',
        'netsh advfirewall set allprofiles state off',
        'netsh advfirewall set publicprofile state on',
        'netsh AdvFirewall Set PublicProfile State Off',
        'netsh firewall set opmode disable',
        'echo netsh advfirewall set allprofiles state off',
      ].join('\r\n'));
      expect(onlyTarget(result).rules).toHaveLength(1);
      expect(codes(result)).toEqual([
        ['parse/netsh-firewall-off', 'warning', 2],
        ['parse/netsh-firewall-off', 'warning', 4],
        ['parse/netsh-firewall-off', 'warning', 5],
      ]);
      expect(result.diagnostics.map((d) => d.message.split(':')[0])).toEqual([
        'this command turns Windows Firewall off on all profiles',
        'this command turns Windows Firewall off on the public profile',
        'this command turns Windows Firewall off on the current profile',
      ]);
      // A script that only turns the firewall off defines no rules, but still gets the warning.
      expect(codes(parseScript('netsh advfirewall set allprofiles state off\n', 'off.cmd'))).toEqual([['parse/netsh-firewall-off', 'warning', 1]]);
    });

    it('reports bad values at their argument', () => {
      const result = parseScript('netsh advfirewall firewall add rule name=Bad dir=in action=allow protocol=tcp localport=70000 remoteip=10.0.0.1-10.0.0.0');
      expect(result.diagnostics.map((d) => [d.code, d.range?.startColumn, d.range?.endColumn])).toEqual([
        ['parse/netsh-bad-value', 79, 94],
        ['parse/netsh-bad-value', 95, 121],
      ]);
    });
  });

  describe('replay', () => {
    it('keeps creation order: a deleted and re-added rule moves to the end, at its new line', () => {
      const text = [
        'netsh advfirewall firewall add rule name=A dir=in action=allow protocol=tcp localport=1',
        'netsh advfirewall firewall add rule name=B dir=in action=allow protocol=tcp localport=2',
        'netsh advfirewall firewall delete rule name=A',
        'netsh advfirewall firewall add rule name=A dir=in action=allow protocol=tcp localport=3',
      ].join('\n');
      const rules = onlyTarget(parseScript(text)).rules;
      expect(rules.map((rule) => [rule.resourceAddress, rule.ports.toString(), rule.location.range.startLine])).toEqual([
        ['"B"#1', '2', 2],
        ['"A"#1', '3', 4],
      ]);
    });

    it('changes every match of a set, renames with new name=, and deletes by filters', () => {
      const text = [
        'netsh advfirewall firewall add rule name=Web dir=in action=allow protocol=tcp localport=80',
        'netsh advfirewall firewall add rule name=Web dir=in action=allow protocol=tcp localport=443 profile=public',
        'netsh advfirewall firewall add rule name=Web dir=out action=allow protocol=tcp remoteport=80',
        'netsh advfirewall firewall set rule name=web dir=in new enable=no',
        'netsh advfirewall firewall set rule name=Web localport=443 new name=WebTLS action=block',
        'netsh advfirewall firewall delete rule name=all dir=out',
      ].join('\n');
      const result = parseScript(text);
      expect(onlyTarget(result).rules.map(summary)).toEqual([
        '"Web"#1 in allow (disabled) 6 [80] from Any on domain,private,public',
        '"WebTLS"#1 in deny (disabled) 6 [443] from Any on public',
      ]);
      expect(result.diagnostics).toEqual([]);
    });

    it('warns about set without new, set group= with more than enable, and unresolved filters', () => {
      const text = [
        'netsh advfirewall firewall add rule name=A dir=in action=allow',
        'netsh advfirewall firewall set rule name=A',
        'netsh advfirewall firewall set rule group="Remote Desktop" new action=allow',
        'netsh advfirewall firewall delete rule name=%RULE%',
        'netsh advfirewall firewall set rule dir=in new enable=no',
      ].join('\n');
      const result = parseScript(text);
      expect(onlyTarget(result).rules.map(summary)).toEqual(['"A"#1 in allow any [0-65535] from Any on domain,private,public']);
      expect(codes(result)).toEqual([
        ['parse/netsh-set-without-new', 'warning', 2],
        ['parse/netsh-bad-argument', 'warning', 3],
        ['parse/netsh-unresolved', 'warning', 4],
        ['parse/netsh-missing-field', 'error', 5],
      ]);
    });

    it('replays legacy port openings: ALL opens TCP and UDP, delete removes by protocol and port', () => {
      const text = [
        'netsh firewall add portopening protocol=ALL port=53 name=DNS mode=ENABLE scope=ALL profile=ALL',
        'netsh firewall add portopening UDP 161 SNMP DISABLE CUSTOM 10.0.0.0/8,LocalSubnet DOMAIN',
        'netsh firewall delete portopening protocol=TCP port=53',
        'netsh firewall set portopening UDP 161 mode=ENABLE',
        'netsh firewall delete allowedprogram program=C:\\nothing.exe',
      ].join('\n');
      const result = parseScript(text);
      expect(onlyTarget(result).rules.map(summary)).toEqual([
        '"DNS"#1 in allow 17 [53] from Any on domain,private',
        '"SNMP"#1 in allow 17 [161] from Any on domain,private',
      ]);
      expect(codes(result)).toEqual([['parse/netsh-no-match', 'warning', 5]]);
    });

    it('keeps the legacy custom addresses and DISABLE mode', () => {
      const target = onlyTarget(parseScript('netsh firewall add portopening UDP 161 SNMP DISABLE CUSTOM 10.0.0.0/8,LocalSubnet DOMAIN'));
      expect(target.rules.map(summary)).toEqual([
        '"SNMP"#1 in allow (disabled) 17 [161] from 10.0.0.0/8 on domain',
        '"SNMP"#1 in allow (disabled) 17 [161] from LocalSubnet on domain',
      ]);
    });

    it('resolves cmd variables set earlier, also with delayed expansion, and strips their quotes', () => {
      const text = [
        'setlocal enabledelayedexpansion',
        'set NAME="Mgmt WinRM"',
        'set /p PORT=Port? ',
        'set NET=10.9.0.0/16',
        'netsh advfirewall firewall add rule name=%NAME% dir=in action=allow protocol=tcp localport=5985 remoteip=!NET!',
        'netsh advfirewall firewall add rule name=Typed dir=in action=allow protocol=tcp localport=%PORT%',
        'netsh advfirewall firewall add rule name=Pct dir=in action=allow description=100%% program=%SystemRoot%\\x.exe',
      ].join('\r\n');
      const rules = onlyTarget(parseScript(text)).rules;
      expect(rules.map(summary)).toEqual([
        '"Mgmt WinRM"#1 in allow 6 [5985] from 10.9.0.0/16 on domain,private,public',
        '"Typed"#1 in allow 6 [] from Any on domain,private,public',
        '"Pct"#1 in allow any [0-65535] from Any on domain,private,public',
      ]);
      expect(rules[1]!.unknowns.map((unknown) => unknown.expr)).toEqual(['%PORT%']);
      expect(rules[2]!.description).toBe('100%');
      expect(rules[2]!.program).toBe('%SystemRoot%\\x.exe');
      expect(rules[2]!.unknowns).toEqual([]);
    });
  });
});

describe('PowerShell NetSecurity cmdlets beside netsh', () => {
  const warnings = (result: ParseResult) => result.diagnostics.filter((d) => d.code === 'parse/netsh-powershell-cmdlets');

  it('reads the rule cmdlets of a .ps1 as netsh commands, and warns at a cmdlet whose rules come from the pipeline', () => {
    const text = [
      '# Open RDP for the admins',
      'New-NetFirewallRule -DisplayName "RDP" -Direction Inbound -LocalPort 3389 -Protocol TCP -Action Allow',
      'Get-NetFirewallRule -DisplayName "Old" -Direction Inbound | Remove-NetFirewallRule',
      '  set-netfirewallrule -DisplayName "RDP" -RemoteAddress 10.0.0.0/8',
      '',
    ].join('\r\n');
    const result = parseNetshText(text, 'rdp.ps1');
    expect(onlyTarget(result).rules.map(summary)).toEqual(['"RDP"#1 in allow 6 [3389] from 10.0.0.0/8 on domain,private,public']);
    expect(onlyTarget(result).rules[0]!.kind).toBe('powershell');
    expect(warnings(result)).toHaveLength(1);
    const [warning] = warnings(result);
    expect(warning).toMatchObject({ severity: 'warning', file: 'rdp.ps1', range: { startLine: 3, startColumn: 61, endLine: 3, endColumn: 83 } });
    expect(warning!.message).toContain('Remove-NetFirewallRule on line 3 is not read: it acts on the rules the pipeline gives it (Get-NetFirewallRule …)');
  });

  it('applies a Set-NetFirewallRule to a rule netsh created; comments do not count', () => {
    const text = [
      '<#',
      'New-NetFirewallRule in a block comment',
      '#>',
      '# Remove-NetFirewallRule -DisplayName "x"',
      'netsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=TCP localport=22 remoteip=10.0.0.0/8',
      '  Set-NetFirewallRule -DisplayName "SSH" -Enabled False  # and New-NetFirewallRule later',
    ].join('\n');
    const result = parseNetshText(text, 'mixed.ps1');
    expect(onlyTarget(result).rules.map((rule) => [rule.resourceAddress, rule.kind, rule.enabled])).toEqual([['"SSH"#1', 'netsh', false]]);
    expect(result.diagnostics).toEqual([]);
  });

  it('says nothing for .ps1 files without cmdlets, nor for .cmd files', () => {
    expect(warnings(parseNetshText('Write-Host "hello"\n', 'tool.ps1'))).toEqual([]);
    expect(warnings(parseNetshText('netsh advfirewall firewall add rule name=A dir=in action=allow protocol=TCP localport=80\n', 'web.ps1'))).toEqual([]);
    expect(warnings(parseNetshText('REM New-NetFirewallRule is PowerShell\r\n', 'setup.cmd'))).toEqual([]);
  });
});
