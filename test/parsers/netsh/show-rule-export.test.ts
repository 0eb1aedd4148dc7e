import { readFileSync } from 'fs';
import { join } from 'path';
import { decodeCp437 } from '../../../src/discover/read';
import { contentKeyOf, describePeer } from '../../../src/model';
import type { ParseResult, Rule } from '../../../src/model';
import { netshParser } from '../../../src/parsers/netsh';
import { loadNetshFixture, NETSH_OPTIONS as OPTIONS, onlyTarget, parseNetshText, readNetshFixture } from './netsh-test-helpers';

function parseText(text: string, path = 'host-a.txt'): ParseResult {
  return parseNetshText(text, path);
}

const load = loadNetshFixture;

/** One line per rule, so that a failing test shows the whole host at once. */
function summary(rule: Rule): string {
  const protocol = rule.protocol.kind === 'number' ? String(rule.protocol.value) : rule.protocol.kind;
  const keywords = rule.portKeywords ? ` +${rule.portKeywords.join('+')}` : '';
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  return `${rule.direction} ${rule.action}${rule.enabled ? '' : ' (disabled)'} ${protocol} [${rule.ports.toString()}]${keywords}${icmp} ` +
    `from ${describePeer(rule.peer)} on ${rule.profiles!.join(',')}`;
}

describe('netsh show rule exports', () => {
  describe('ScaleIO SDS host (Windows PowerShell 5.1: UTF-16LE with BOM, verbose, CRLF)', () => {
    const file = load('exports/scaleio-sds-01.txt');
    const result = netshParser.parse([file], OPTIONS);
    const target = onlyTarget(result);

    it('is decoded from UTF-16LE and parses without diagnostics', () => {
      expect(file.encoding).toBe('utf-16le');
      expect(result.diagnostics).toEqual([]);
    });

    it('is one windows-fw host named after the file, located at line 1', () => {
      expect(target).toMatchObject({ id: 'scaleio-sds-01', kind: 'netsh', platform: 'windows-fw', resourceType: 'netsh-export' });
      expect(target.location).toEqual({ file: 'fixtures/netsh/exports/scaleio-sds-01.txt', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } });
    });

    it('reads every rule: SDS 7072, the install-time ports 135, 445 and WMI 24158, and the built-ins', () => {
      expect(target.rules.map(summary)).toEqual([
        'in allow 6 [7072] from 10.20.0.0/16 on domain,private,public',
        'in allow 6 [7072] from 10.30.0.10-10.30.0.20 on domain,private,public',
        'in allow 6 [135] from Any on domain,private,public',
        'in allow 6 [445] from LocalSubnet on domain,private,public',
        'in allow 6 [24158] from Any on domain,private,public',
        'out allow 17 [53] from Any on domain,private,public',
        'in allow 1 [0-65535] icmp 8/any from Any on domain',
        'in allow (disabled) 6 [3389] from Any on domain,private,public',
        'out allow 6 [443] +IPHTTPS from Any on domain,private,public',
        'in allow 6 [49152-65535] +RPC from Any on domain,private,public',
      ]);
    });

    it('gives one rule per RemoteIP item with exact address sets, all at the same block', () => {
      const [sdsA, sdsB] = target.rules;
      expect(sdsA!.peer).toMatchObject({ kind: 'addresses', text: '10.20.0.0/16' });
      expect(sdsB!.peer.kind === 'addresses' && sdsB!.peer.addresses.toString()).toBe('10.30.0.10/31, 10.30.0.12/30, 10.30.0.16/30, 10.30.0.20/32');
      expect(sdsA!.location).toEqual(sdsB!.location);
      expect(sdsA!.id).toBe('"ScaleIO SDS"#1/0');
      expect(sdsB!.id).toBe('"ScaleIO SDS"#1/1');
    });

    it('locates a rule from its Rule Name line to its Action line, with no narrower peer location', () => {
      const sds = target.rules[0]!;
      expect(sds.location.range).toEqual({ startLine: 2, startColumn: 1, endLine: 19, endColumn: 44 });
      expect(sds.peerLocation).toBeUndefined();
    });

    it('marks Any as the world on both address families', () => {
      const rpc = target.rules[2]!;
      expect(rpc.peer.kind === 'addresses' && rpc.peer.addresses.coversAllIpv4() && rpc.peer.addresses.coversAllIpv6()).toBe(true);
      expect(describePeer(rpc.peer)).toBe('Any');
    });

    it('keeps the verbose fields: description (decoded non-ASCII), program and service', () => {
      expect(target.rules[3]!.description).toBe('Zugriff für die Überwachung (SMB)');
      const dns = target.rules[5]!;
      expect(dns.program).toBe('C:\\Windows\\system32\\svchost.exe');
      expect(dns.service).toBe('dnscache');
      expect(target.rules[0]!.program).toBeUndefined();
      expect(target.rules[7]!.program).toBe('%SystemRoot%\\system32\\svchost.exe');
    });

    it('uses LocalPort for inbound and RemotePort for outbound rules', () => {
      expect(target.rules[5]!.ports.toString()).toBe('53');
      expect(target.rules[4]!.ports.toString()).toBe('24158');
    });

    it('sets the model defaults for Windows rules', () => {
      for (const rule of target.rules) {
        expect(rule).toMatchObject({ kind: 'netsh', platform: 'windows-fw', priority: null, unknowns: [] });
        expect(rule.localAddresses).toEqual([expect.objectContaining({ kind: 'addresses', text: 'Any' })]);
      }
    });

    it('names rules "<name>"#<occurrence> and keys their content with the profiles', () => {
      expect(target.rules[0]!.resourceAddress).toBe('"ScaleIO SDS"#1');
      expect(contentKeyOf(target.rules[0]!)).toBe('in|allow|6|7072|||10.20.0.0/16|domain,private,public');
      expect(contentKeyOf(target.rules[6]!)).toBe('in|allow|1|0-65535||8/any|0.0.0.0/0, ::/0|domain');
    });
  });

  describe('Lumen Cloud Windows VM (PowerShell 7: UTF-8 without BOM, CRLF)', () => {
    const file = load('exports/lumen-win-vm.txt');
    const result = netshParser.parse([file], OPTIONS);
    const target = onlyTarget(result);

    it('is UTF-8 and parses without diagnostics', () => {
      expect(file.encoding).toBe('utf-8');
      expect(result.diagnostics).toEqual([]);
    });

    it('reads WinRM 5985, RDP open to Any on Public, the agent and ICMPv6 rows', () => {
      expect(target.rules.map(summary)).toEqual([
        'in allow 6 [5985] from Any on domain,private',
        'in allow 6 [5985] from LocalSubnet on public',
        'in allow 6 [3389] from Any on public',
        'out allow 6 [443] from 203.0.113.10/32 on domain,private,public',
        'out allow 6 [443] from 2001:db8::10/128 on domain,private,public',
        'in allow 58 [0-65535] icmp 128/any from Any on domain,private,public',
        'in allow 58 [0-65535] icmp 129/0 from Any on domain,private,public',
      ]);
    });

    it('tells apart rules that share a name by their occurrence', () => {
      expect(target.rules.slice(0, 2).map((rule) => rule.resourceAddress)).toEqual([
        '"Windows Remote Management (HTTP-In)"#1',
        '"Windows Remote Management (HTTP-In)"#2',
      ]);
      expect(target.rules[0]!.location.range.startLine).toBe(2);
      expect(target.rules[1]!.location.range.startLine).toBe(16);
    });

    it('reads single hosts written with /32 and /128 as one address each', () => {
      const [v4, v6] = [target.rules[3]!, target.rules[4]!];
      expect(v4.peer.kind === 'addresses' && v4.peer.addresses.size()).toEqual({ v4: 1n, v6: 0n });
      expect(v6.peer.kind === 'addresses' && v6.peer.addresses.size()).toEqual({ v4: 0n, v6: 1n });
      expect(v4.resourceAddress).toBe('"Lumen Monitoring – Agent"#1');
    });

    it('gives one rule per ICMP Type/Code row, each located at the block', () => {
      const [echo, reply] = [target.rules[5]!, target.rules[6]!];
      expect(echo.icmp).toEqual({ type: 128, code: 'any' });
      expect(reply.icmp).toEqual({ type: 129, code: 0 });
      expect(echo.id).toBe('"Ping IPv6"#1/0/0');
      expect(reply.id).toBe('"Ping IPv6"#1/0/1');
      expect(echo.location.range).toMatchObject({ startLine: 58, endLine: 71 });
    });
  });

  describe('branch office (cmd.exe redirection: code page 437, CRLF)', () => {
    const file = load('exports/branch-office.txt');
    const result = netshParser.parse([file], OPTIONS);
    const target = onlyTarget(result);

    it('is decoded as cp437, so the rule name keeps its accent', () => {
      expect(file.encoding).toBe('cp437');
      // Written without `verbose` (formats.md §4.1): its block rule may be limited to a program (QA 6/01).
      expect(result.diagnostics.map((d) => [d.code, d.range?.startLine])).toEqual([['parse/netsh-export-not-verbose', 16]]);
      expect(target.rules[0]!.resourceAddress).toBe('"Café Kasse"#1');
    });

    it('reads a mask as a prefix, a block rule on one profile only, RDP from Any, bypass and a protocol number', () => {
      expect(target.rules.map(summary)).toEqual([
        'in allow 6 [8080] from 192.168.10.0/255.255.255.0 on domain,private,public',
        'in deny 6 [445] from Any on public',
        'in allow 6 [445] from LocalSubnet on domain,private',
        'in allow 6 [3389] from Any on domain,private,public',
        'in bypass any [0-65535] from Intranet on domain,private,public',
        'in allow 47 [0-65535] from 198.51.100.7 on domain,private,public',
      ]);
      const cafe = target.rules[0]!.peer;
      expect(cafe.kind === 'addresses' && cafe.addresses.toString()).toBe('192.168.10.0/24');
      expect(target.rules[4]!.peer).toEqual({ kind: 'keyword', name: 'Intranet' });
    });
  });

  describe('formats.md example (UTF-8 with BOM, LF line endings)', () => {
    const file = load('exports/contoso-admin.txt');
    const result = netshParser.parse([file], OPTIONS);
    const target = onlyTarget(result);

    it('strips the BOM and reads LF-only files', () => {
      expect(file.encoding).toBe('utf-8');
      // Written without `verbose` (formats.md §4.1): its block rule may be limited to a program (QA 6/01).
      expect(result.diagnostics.map((d) => [d.code, d.range?.startLine])).toEqual([['parse/netsh-export-not-verbose', 16]]);
      expect(target.rules.map(summary)).toEqual([
        'in allow 6 [3389, 5985-5986] from Any on domain,private,public',
        'in deny 6 [23] from LocalSubnet on public',
        'in deny 6 [23] from 203.0.113.0/24 on public',
      ]);
      expect(target.rules[0]!.location.range).toEqual({ startLine: 2, startColumn: 1, endLine: 14, endColumn: 44 });
    });
  });

  it('reads "No rules match the specified criteria." as a host with zero rules and no error', () => {
    const result = netshParser.parse([load('exports/no-rules.txt')], OPTIONS);
    expect(result.diagnostics).toEqual([]);
    expect(onlyTarget(result)).toMatchObject({ id: 'no-rules', rules: [] });
  });

  it('fails loudly on a German export and says what to export instead', () => {
    const file = load('exports/german.txt');
    const result = netshParser.parse([file], OPTIONS);
    expect(file.encoding).toBe('utf-16le');
    expect(result.targets).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({ code: 'parse/netsh-not-english', severity: 'error', file: 'fixtures/netsh/exports/german.txt' });
    expect(diagnostic!.range).toMatchObject({ startLine: 2, endLine: 2 });
    expect(diagnostic!.message).toContain('English');
    expect(diagnostic!.message).toContain('Regelname');
    // Only what fwlint reads is recommended: an English show rule export, not PowerShell JSON (read/unsupported).
    expect(diagnostic!.message).not.toMatch(/Get-NetFirewallRule|ConvertTo-Json|PowerShell/);
    expect(diagnostic!.message).toContain('chcp 437');
    expect(diagnostic!.message).toContain('netsh advfirewall firewall show rule name=all verbose > host.txt');
    expect(diagnostic!.message).toContain('display language is English');
  });

  it('reports a truncated block with its lines and keeps the complete rules before it', () => {
    const result = netshParser.parse([load('exports/truncated.txt')], OPTIONS);
    expect(onlyTarget(result).rules.map((rule) => rule.resourceAddress)).toEqual(['"HTTP"#1', '"HTTPS"#1']);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'parse/netsh-truncated-rule',
        severity: 'error',
        range: { startLine: 30, startColumn: 1, endLine: 38, endColumn: 42 },
      }),
    ]);
    expect(result.diagnostics[0]!.message).toContain('"SQL Server" starting at line 30 ends at line 38');
  });

  it('reports a block without Action followed by another block, and reads the next one', () => {
    const text = [
      'Rule Name:                            Half',
      '----------------------------------------------------------------------',
      'Direction:                            In',
      '',
      'Rule Name:                            Whole',
      '----------------------------------------------------------------------',
      'Direction:                            In',
      'Action:                               Block',
    ].join('\r\n');
    const result = parseText(text);
    expect(onlyTarget(result).rules.map(summary)).toEqual(['in deny any [0-65535] from Any on domain,private,public']);
    expect(result.diagnostics.map((d) => [d.code, d.range?.startLine, d.range?.endLine])).toEqual([
      ['parse/netsh-truncated-rule', 1, 3],
      ['parse/netsh-export-not-verbose', 5, 5],
    ]);
  });

  it('reports bad values at their lines and keeps going', () => {
    const result = netshParser.parse([load('exports/bad-values.txt')], OPTIONS);
    const target = onlyTarget(result);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.range?.startLine])).toEqual([
      ['parse/netsh-bad-value', 'error', 11],
      ['parse/netsh-bad-value', 'error', 25],
      ['parse/netsh-bad-value', 'error', 37],
      ['parse/netsh-bad-value', 'error', 66],
    ]);
    expect(result.diagnostics[0]!.message).toBe('rule "Port too high": LocalPort has a bad item (port 70000 is out of range 0-65535)');
    expect(result.diagnostics[1]!.message).toContain('reversed port range "9000-8000"');
    expect(result.diagnostics[2]!.message).toContain('"10.0.0.300"');
    expect(result.diagnostics[3]!.message).toContain('reversed address range');
    expect(target.rules.map(summary)).toEqual([
      'in allow 6 [] from Any on domain,private,public',
      'in allow 6 [] from Any on domain,private,public',
      'in allow 6 [22] from unresolved 10.0.0.300 on domain,private,public',
      'in allow 6 [22] from 192.0.2.1 on domain,private,public',
      'in allow 6 [8443] from Any on domain,private,public',
      'in allow 6 [8080] from unresolved 10.0.0.9-10.0.0.1 on domain,private,public',
    ]);
    // A bad value is unknown, never open: the port is left out and recorded, the address becomes an unknown peer.
    expect(target.rules[0]!.unknowns).toEqual([
      { field: 'ports', expr: '70000', location: { file: 'fixtures/netsh/exports/bad-values.txt', range: { startLine: 11, startColumn: 1, endLine: 11, endColumn: 44 } } },
    ]);
    expect(target.rules[2]!.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([['peer', '10.0.0.300']]);
    expect(target.rules[3]!.unknowns).toEqual([]);
  });

  it('keeps unknown labels without an error', () => {
    const result = netshParser.parse([load('exports/bad-values.txt')], OPTIONS);
    const unknownLabel = onlyTarget(result).rules.find((rule) => rule.resourceAddress === '"Unknown label"#1')!;
    expect(unknownLabel.ports.toString()).toBe('8443');
    expect(result.diagnostics.some((d) => d.range?.startLine === 56)).toBe(false);
  });

  it('reports binary junk as an error and produces no host', () => {
    // The CLI's reader refuses it (NUL bytes); the parser refuses the same bytes read as cp437 text too.
    expect(readNetshFixture('exports/binary-junk.txt').diagnostic).toMatchObject({ code: 'read/binary', severity: 'error' });
    const bytes = readFileSync(join(__dirname, '../../../fixtures/netsh/exports/binary-junk.txt'));
    const result = netshParser.parse([{ path: 'binary-junk.txt', absolutePath: '/x/binary-junk.txt', text: decodeCp437(bytes), encoding: 'cp437' }], OPTIONS);
    expect(result.targets).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'parse/netsh-binary', severity: 'error' })]);
  });

  it('warns on an empty export instead of inventing a host', () => {
    const result = parseText('\r\n\r\n');
    expect(result.targets).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'parse/netsh-empty', severity: 'warning' })]);
  });

  describe('values', () => {
    const exportOf = (fields: Record<string, string>, extraLines: string[] = []): string =>
      [
        'Rule Name:                            R',
        '----------------------------------------------------------------------',
        ...Object.entries(fields).map(([label, value]) => `${`${label}:`.padEnd(38)}${value}`),
        ...extraLines,
      ].join('\n');
    const rulesOf = (fields: Record<string, string>): Rule[] => onlyTarget(parseText(exportOf(fields))).rules;

    it('reads address keywords case-insensitively and Internet as the world', () => {
      const rules = rulesOf({
        Direction: 'In',
        RemoteIP: 'localsubnet,dns,DHCP,wins,DefaultGateway,intranet,PlayToDevice,IntranetRemoteAccess,captiveportal,Internet',
        Action: 'Allow',
      });
      expect(rules.map((rule) => describePeer(rule.peer))).toEqual([
        'LocalSubnet', 'DNS', 'DHCP', 'WINS', 'DefaultGateway', 'Intranet', 'PlayToDevice', 'IntranetRemoteAccess', 'CaptivePortal', 'Internet',
      ]);
      expect(rules[0]!.peer).toEqual({ kind: 'keyword', name: 'LocalSubnet' });
      const internet = rules[9]!.peer;
      expect(internet.kind === 'addresses' && internet.addresses.coversWorld()).toBe(true);
    });

    it('reads addresses, prefixes, masks, ranges and IPv6, clearing host bits as Windows does', () => {
      const rules = rulesOf({
        Direction: 'In',
        RemoteIP: '192.0.2.7,10.1.2.3/8,172.16.0.0/255.240.0.0,2001:db8::/32,fe80::1-fe80::ff',
        LocalIP: '10.0.0.4,LocalSubnet',
        Action: 'Allow',
      });
      expect(rules.map((rule) => rule.peer.kind === 'addresses' && rule.peer.addresses.toString())).toEqual([
        '192.0.2.7/32', '10.0.0.0/8', '172.16.0.0/12', '2001:db8::/32', 'fe80::1/128, fe80::2/127, fe80::4/126, fe80::8/125, fe80::10/124, fe80::20/123, fe80::40/122, fe80::80/121',
      ]);
      expect(rules[0]!.localAddresses).toEqual([
        expect.objectContaining({ kind: 'addresses', text: '10.0.0.4' }),
        { kind: 'keyword', name: 'LocalSubnet' },
      ]);
    });

    it('rejects a non-contiguous mask', () => {
      const result = parseText(exportOf({ Direction: 'In', RemoteIP: '10.0.0.0/255.0.255.0', Action: 'Allow' }));
      expect(result.diagnostics.map((d) => d.message)).toEqual(['rule "R": RemoteIP has a bad address "10.0.0.0/255.0.255.0" ("10.0.0.0/255.0.255.0" has an invalid subnet mask)']);
    });

    it('gives port keywords their Windows ports, keeps the keywords for display, and ignores ports of a protocol without them', () => {
      const mixed = rulesOf({ Direction: 'In', Protocol: 'TCP', LocalPort: 'RPC-EPMap,135,rpc,IPHTTPSIn,Teredo,PlayToDiscovery,MyKeyword', Action: 'Allow' })[0]!;
      expect(mixed.ports.toString()).toBe('135, 443, 49152-65535');
      expect(mixed.portKeywords).toEqual(['RPC-EPMap', 'RPC', 'IPHTTPSIn', 'Teredo', 'PlayToDiscovery', 'MyKeyword']);
      expect(contentKeyOf(mixed)).toBe('in|allow|6|135, 443, 49152-65535|RPC-EPMap+RPC+IPHTTPSIn+Teredo+PlayToDiscovery+MyKeyword||0.0.0.0/0, ::/0|domain,private,public');
      // Keywords without fixed ports are unknown (FW303), never open or safe.
      expect(mixed.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([
        ['ports', 'port keywords Teredo, PlayToDiscovery, MyKeyword, whose ports Windows assigns at run time'],
      ]);
      const epmap = rulesOf({ Direction: 'In', Protocol: 'TCP', LocalPort: 'rpc-epmap', Action: 'Allow' })[0]!;
      expect([epmap.ports.toString(), epmap.portKeywords, epmap.unknowns]).toEqual(['135', ['RPC-EPMap'], []]);
      const iphttps = rulesOf({ Direction: 'Out', Protocol: 'TCP', RemotePort: 'IPHTTPSOut', LocalPort: 'Teredo', Action: 'Allow' })[0]!;
      expect([iphttps.ports.toString(), iphttps.unknowns]).toEqual(['443', []]);
      const anyProtocol = rulesOf({ Direction: 'In', Protocol: 'Any', LocalPort: '53317', Action: 'Allow' })[0]!;
      expect(anyProtocol.ports.isAll()).toBe(true);
    });

    it('reads profiles Any/All as all three, and a missing Profiles line as all three', () => {
      expect(rulesOf({ Direction: 'In', Profiles: 'Any', Action: 'Allow' })[0]!.profiles).toEqual(['domain', 'private', 'public']);
      expect(rulesOf({ Direction: 'In', Profiles: 'All', Action: 'Allow' })[0]!.profiles).toEqual(['domain', 'private', 'public']);
      expect(rulesOf({ Direction: 'In', Profiles: 'Public,Domain', Action: 'Allow' })[0]!.profiles).toEqual(['domain', 'public']);
      expect(rulesOf({ Direction: 'In', Action: 'Allow' })[0]!.profiles).toEqual(['domain', 'private', 'public']);
    });

    it('reads an ICMP rule without a type table as every ICMP message', () => {
      expect(rulesOf({ Direction: 'In', Protocol: 'ICMPv4', Action: 'Allow' })[0]!.icmp).toEqual({ type: 'any', code: 'any' });
    });

    it('reports a bad direction, action or protocol and skips that rule', () => {
      const result = parseText(exportOf({ Direction: 'Sideways', Protocol: 'TCP', Action: 'Allow' }));
      expect(onlyTarget(result).rules).toEqual([]);
      expect(result.diagnostics.map((d) => [d.code, d.range?.startLine])).toEqual([['parse/netsh-bad-value', 3]]);
      const badProtocol = parseText(exportOf({ Direction: 'In', Protocol: '300', Action: 'Allow' }));
      expect(badProtocol.diagnostics.map((d) => [d.code, d.range?.startLine])).toEqual([['parse/netsh-bad-value', 4]]);
      const noDirection = parseText(exportOf({ Action: 'Allow' }));
      expect(noDirection.diagnostics.map((d) => d.code)).toEqual(['parse/netsh-missing-field']);
    });

    it('keeps a rule name containing colons and a program path with its drive colon', () => {
      const text = exportOf({ Direction: 'Out', Program: 'C:\\Tools\\a:b.exe', Action: 'Block' }).replace('Rule Name:                            R', 'Rule Name:                            App: Updates (Port: 8080)');
      const [rule] = onlyTarget(parseText(text)).rules;
      expect(rule!.resourceAddress).toBe('"App: Updates (Port: 8080)"#1');
      expect(rule!.program).toBe('C:\\Tools\\a:b.exe');
      expect(rule!.action).toBe('deny');
    });

    it('extends a field with its continuation lines', () => {
      const text = exportOf({ Description: 'First part of a long', Direction: 'In', RemoteIP: '10.0.0.1,', Action: 'Allow' });
      const wrapped = text
        .replace('First part of a long', 'First part of a long\n                                      description')
        .replace('10.0.0.1,', '10.0.0.1,\n                                      10.0.0.2');
      const rules = onlyTarget(parseText(wrapped)).rules;
      expect(rules[0]!.description).toBe('First part of a long description');
      expect(rules.map((rule) => describePeer(rule.peer))).toEqual(['10.0.0.1', '10.0.0.2']);
      const bad = wrapped.replace('10.0.0.2', '10.0.0.300');
      const badPeer = onlyTarget(parseText(bad)).rules[1]!;
      expect(badPeer.unknowns[0]!.location.range).toMatchObject({ startLine: 6, endLine: 7 });
    });
  });

  describe('annotations in an export', () => {
    const text = [
      '# fwlint:target sds-07',
      '# fwlint:profile dell-emc-scaleio/sds phase=operate options=a,b',
      '',
      'Rule Name:                            RDP',
      '----------------------------------------------------------------------',
      'Direction:                            In',
      'Action:                               Allow',
      'Ok.',
    ].join('\r\n');
    const result = parseText(text, 'exports/whatever.txt');

    it('names the host and maps it to a role', () => {
      const target = onlyTarget(result);
      expect(target.id).toBe('sds-07');
      expect(target.profile).toEqual({
        ref: 'dell-emc-scaleio/sds',
        phase: 'operate',
        options: ['a', 'b'],
        location: { file: 'exports/whatever.txt', range: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 64 } },
        // A comment: an error the packs find in it (an unknown option) maps nothing.
        isStrict: true,
      });
      expect(result.annotations.map((annotation) => [annotation.directive, annotation.argument, annotation.range.startLine])).toEqual([
        ['target', 'sds-07', 1],
        ['profile', 'dell-emc-scaleio/sds phase=operate options=a,b', 2],
      ]);
    });

    // Regression (QA): a line of a rule's multi-line Description was read as a directive, so whoever created the
    // rule (an installer, a GPO) could mute fwlint for it or rename the host.
    it('reads a fwlint: line inside a rule block as rule text, with a warning, and one between blocks as an annotation', () => {
      const withDescription = [
        '',
        'Rule Name:                            Vendor Agent',
        '----------------------------------------------------------------------',
        'Description:                          Agent listener.',
        '# fwlint:ignore FW101 reason="vendor approved"',
        '   # fwlint:target other-host',
        'Direction:                            In',
        'Action:                               Allow',
        '',
        '# fwlint:ignore FW103 reason="between blocks"',
        '',
        'Rule Name:                            Next',
        '----------------------------------------------------------------------',
        'Direction:                            In',
        'Action:                               Allow',
        'Ok.',
      ].join('\r\n');
      const parsed = parseText(withDescription, 'exports/host01.txt');
      expect(onlyTarget(parsed).id).toBe('host01');
      expect(parsed.annotations.map((annotation) => [annotation.directive, annotation.argument, annotation.range.startLine])).toEqual([
        ['ignore', 'FW103 reason="between blocks"', 10],
      ]);
      expect(parsed.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, diagnostic.range?.startLine, diagnostic.range?.startColumn])).toEqual([
        ['warning', 'parse/netsh-annotation-not-comment', 5, 3],
        ['warning', 'parse/netsh-annotation-not-comment', 6, 6],
      ]);
      expect(parsed.diagnostics[0]!.message).toBe(
        'fwlint:ignore is inside the block of rule "Vendor Agent" (text of the rule, such as its Description), so it applies to nothing; ' +
          'write it on its own line above the rule\'s "Rule Name:" line',
      );
      // The indented line continues the Description, as any continuation line does.
      expect(onlyTarget(parsed).rules[0]!.description).toBe('Agent listener. # fwlint:target other-host');
    });
  });

  it('names the host after the file without its last extension', () => {
    const text = 'Rule Name:                            A\nDirection:                            In\nAction:                               Allow\n';
    expect(onlyTarget(parseText(text, 'exports/web-01.corp.example.txt')).id).toBe('web-01.corp.example');
    expect(onlyTarget(parseText(text, 'hosts/dc01')).id).toBe('dc01');
  });

  it('parses several files in one call, one host each', () => {
    const result = netshParser.parse([load('exports/lumen-win-vm.txt'), load('exports/no-rules.txt'), load('exports/german.txt')], OPTIONS);
    expect(result.targets.map((target) => target.id)).toEqual(['lumen-win-vm', 'no-rules']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['parse/netsh-not-english']);
  });
});
