import { describePeer } from '../../../src/model';
import type { ParseResult, Rule } from '../../../src/model';
import { powerShellJsonParser } from '../../../src/parsers/powershell-json';

const OPTIONS = { vars: {}, varFiles: [], params: {} };

function parse(text: string, path = 'host01.json'): ParseResult {
  return powerShellJsonParser.parse([{ path, absolutePath: `/work/${path}`, text, encoding: 'utf-8' }], OPTIONS);
}

/** A rule object as the recommended export writes it (formats.md §4.5), with `overrides` merged in. */
function ruleObject(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: '{00000000-0000-4000-8000-000000000001}', DisplayName: 'Admin RDP', Enabled: 'True', Direction: 'Inbound', Action: 'Allow',
    Profile: 'Public', Protocol: 'TCP', LocalPort: ['3389'], RemotePort: ['Any'], IcmpType: ['Any'], LocalAddress: ['Any'],
    RemoteAddress: ['Any'], Program: 'Any', Service: 'Any', InterfaceType: 'Any', ...overrides,
  };
}

function exportOf(...objects: Array<Record<string, unknown>>): string {
  return JSON.stringify(objects, null, 4);
}

/** One line per model rule, so that a failing test shows the whole host at once. */
function summary(rule: Rule): string {
  const protocol = rule.protocol.kind === 'number' ? String(rule.protocol.value) : rule.protocol.kind;
  const keywords = rule.portKeywords ? ` +${rule.portKeywords.join('+')}` : '';
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  return `${rule.id}: ${rule.direction} ${rule.action}${rule.enabled ? '' : ' (disabled)'} ${protocol} [${rule.ports.toString()}]${keywords}${icmp} ` +
    `from ${describePeer(rule.peer)} on ${rule.profiles!.join(',')}`;
}

function rulesOf(result: ParseResult): string[] {
  expect(result.targets).toHaveLength(1);
  return result.targets[0]!.rules.map(summary);
}

function codes(result: ParseResult): Array<[string, string, number | undefined]> {
  return result.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, diagnostic.range?.startLine]);
}

describe('PowerShell JSON export of Windows Firewall rules', () => {
  describe('valid', () => {
    it('is one windows-fw host named after the file, its rules of kind powershell, each at its object', () => {
      const result = parse(exportOf(ruleObject(), ruleObject({ DisplayName: 'Ping', Protocol: 'ICMPv4', LocalPort: 'Any', IcmpType: ['8'] })), 'hosts/web01.json');
      expect(result.diagnostics).toEqual([]);
      expect(result.targets[0]).toMatchObject({ id: 'web01', kind: 'powershell', platform: 'windows-fw', resourceType: 'powershell-export' });
      expect(result.targets[0]!.location).toEqual({ file: 'hosts/web01.json', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } });
      const [rdp, ping] = result.targets[0]!.rules;
      expect(rdp).toMatchObject({ kind: 'powershell', resourceAddress: '"Admin RDP"#1', location: { file: 'hosts/web01.json', range: { startLine: 2, startColumn: 5, endLine: 28, endColumn: 6 } } });
      expect(ping!.location.range).toMatchObject({ startLine: 29, startColumn: 5 });
    });

    it('reads enum names, comma lists and keywords as the netsh export does', () => {
      const result = parse(exportOf(
        ruleObject(),
        ruleObject({ DisplayName: 'Telnet block', Action: 'Block', Profile: 'Domain, Private', LocalPort: ['23', '2300-2310'], RemoteAddress: ['LocalSubnet', '10.0.0.1-10.0.0.9', '192.168.0.0/255.255.0.0'] }),
        ruleObject({ DisplayName: 'Agent out', Direction: 'Outbound', Enabled: 'False', Protocol: '17', LocalPort: 'Any', RemotePort: '514', RemoteAddress: 'Internet' }),
        ruleObject({ DisplayName: 'RPC', LocalPort: ['RPCEPMap', 'RPC'], Profile: 'Any' }),
      ));
      expect(result.diagnostics).toEqual([]);
      expect(rulesOf(result)).toEqual([
        '"Admin RDP"#1/0: in allow 6 [3389] from Any on public',
        '"Telnet block"#1/0: in deny 6 [23, 2300-2310] from LocalSubnet on domain,private',
        '"Telnet block"#1/1: in deny 6 [23, 2300-2310] from 10.0.0.1-10.0.0.9 on domain,private',
        '"Telnet block"#1/2: in deny 6 [23, 2300-2310] from 192.168.0.0/255.255.0.0 on domain,private',
        '"Agent out"#1/0: out allow (disabled) 17 [514] from Internet on public',
        '"RPC"#1/0: in allow 6 [135, 49152-65535] +RPC-EPMap+RPC from Any on domain,private,public',
      ]);
    });

    it('reads one rule written as an object, scalars for arrays, numbers for ports and protocol, a boolean Enabled', () => {
      const result = parse(JSON.stringify({ DisplayName: 'SSH', Direction: 'Inbound', Action: 'Allow', Enabled: false, Protocol: 6, LocalPort: 22, RemoteAddress: '10.0.0.0/8' }));
      expect(result.diagnostics).toEqual([]);
      expect(rulesOf(result)).toEqual(['"SSH"#1/0: in allow (disabled) 6 [22] from 10.0.0.0/8 on domain,private,public']);
    });

    it('takes Windows\' default (Any) for missing filters, null, "" and [null], as a rule without those conditions', () => {
      const bare = { DisplayName: 'Bare', Direction: 'Inbound', Action: 'Allow' };
      const result = parse(exportOf(bare, { ...bare, Protocol: '', LocalPort: [null], RemoteAddress: null, Profile: '' }));
      expect(result.diagnostics).toEqual([]);
      expect(rulesOf(result)).toEqual([
        '"Bare"#1/0: in allow any [0-65535] from Any on domain,private,public',
        '"Bare"#2/0: in allow any [0-65535] from Any on domain,private,public',
      ]);
    });

    it('reads IcmpType items as type rows (`8`: any code, `3:4`: type 3 code 4), and ignores it for other protocols', () => {
      const result = parse(exportOf(
        ruleObject({ DisplayName: 'Ping', Protocol: 'ICMPv4', LocalPort: ['Any'], IcmpType: ['8', '3:4'] }),
        ruleObject({ DisplayName: 'Ping6', Protocol: 'ICMPv6', LocalPort: ['Any'], IcmpType: ['Any'] }),
      ));
      expect(result.diagnostics).toEqual([]);
      expect(rulesOf(result)).toEqual([
        '"Ping"#1/0/0: in allow 1 [0-65535] icmp 8/any from Any on public',
        '"Ping"#1/0/1: in allow 1 [0-65535] icmp 3/4 from Any on public',
        '"Ping6"#1/0: in allow 58 [0-65535] icmp any/any from Any on public',
      ]);
    });

    it('reads OverrideBlockRules (PowerShell\'s name for bypass) on an Allow, and Program/Service as conditions', () => {
      const result = parse(exportOf(ruleObject({ OverrideBlockRules: 'True', Program: 'C:\\App\\app.exe', Service: 'Any' }), ruleObject({ DisplayName: 'Other', OverrideBlockRules: false })));
      expect(result.diagnostics).toEqual([]);
      const [bypass, other] = result.targets[0]!.rules;
      expect([bypass!.action, bypass!.program, bypass!.conditions, bypass!.service]).toEqual(['bypass', 'C:\\App\\app.exe', { program: 'c:\\app\\app.exe' }, undefined]);
      expect(other!.action).toBe('allow');
    });

    it('identifies rules by display name and occurrence, as netsh exports do, and reads a BOM and CRLF', () => {
      const text = `\uFEFF${exportOf(ruleObject(), ruleObject({ LocalPort: '3390' })).replace(/\n/g, '\r\n')}\r\n`;
      const result = parse(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.targets[0]!.rules.map((rule) => rule.id)).toEqual(['"Admin RDP"#1/0', '"Admin RDP"#2/0']);
    });
  });

  describe('invalid', () => {
    it('skips a rule whose enums are integers (Windows PowerShell 5.1 without the casts), with one error at the first', () => {
      const result = parse(exportOf(ruleObject({ Enabled: 1, Direction: 1, Action: 2 }), ruleObject({ DisplayName: 'Kept' })));
      expect(codes(result)).toEqual([['error', 'parse/powershell-enum-integer', 5]]);
      expect(result.diagnostics[0]!.message).toBe(
        'rule "Admin RDP": Enabled 1, Direction 1, Action 2 are enum values written as integers (as Windows PowerShell 5.1\'s ' +
          'ConvertTo-Json writes enums), whose meaning fwlint does not guess; write enum names: use the "$(…)" casts of the ' +
          'recommended export (README, Windows Firewall, PowerShell export); the rule is skipped');
      expect(result.diagnostics[0]!.file).toBe('host01.json');
      expect(result.targets[0]!.rules.map((rule) => rule.resourceAddress)).toEqual(['"Kept"#1']);
    });

    it('skips a rule without a display name, direction or action, or with one it cannot read', () => {
      const result = parse(exportOf(
        { DisplayName: 'No direction', Action: 'Allow' },
        { Direction: 'Inbound', Action: 'Allow' },
        ruleObject({ Action: 'NotConfigured' }),
        ruleObject({ Direction: 'Sideways' }),
        ruleObject({ Direction: ['Inbound'] }),
        ruleObject({ Protocol: 'XYZ' }),
        ruleObject({ Protocol: { Name: 'TCP' } }),
      ));
      expect(codes(result)).toEqual([
        ['error', 'parse/powershell-missing-field', 2],
        ['error', 'parse/powershell-missing-field', 6],
        ['error', 'parse/powershell-bad-value', 15],
        ['error', 'parse/powershell-bad-value', 41],
        ['error', 'parse/powershell-bad-value', 68],
        ['error', 'parse/powershell-bad-value', 100],
        ['error', 'parse/powershell-bad-value', 127],
      ]);
      expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
        'rule "No direction" has no Direction, which every Windows Firewall rule has; the rule is skipped',
        'the rule object at line 6 has no DisplayName, which every Windows Firewall rule has; the rule is skipped',
        'rule "Admin RDP": Action "NotConfigured" is not Allow or Block; the rule is skipped',
        'rule "Admin RDP": Direction "Sideways" is not Inbound or Outbound; the rule is skipped',
        'rule "Admin RDP": Direction is an array, not a string naming Inbound or Outbound; the rule is skipped',
        'rule "Admin RDP": Protocol is not valid (invalid protocol "XYZ"); the rule is skipped',
        'rule "Admin RDP": Protocol is an object, not a protocol name or number; the rule is skipped',
      ]);
      expect(result.targets[0]!.rules).toEqual([]);
    });

    it('keeps a rule with an unreadable address or port, whose value is unknown (FW303), never open or safe', () => {
      const result = parse(exportOf(ruleObject({ RemoteAddress: ['10.0.0.300'], LocalPort: { value: 3389 } }), ruleObject({ DisplayName: 'Profiles', Profile: 'Office', Enabled: 'Maybe' })));
      expect(codes(result)).toEqual([
        ['error', 'parse/powershell-bad-value', 10],
        ['error', 'parse/powershell-bad-value', 22],
        ['error', 'parse/powershell-bad-value', 32],
        ['error', 'parse/powershell-bad-value', 35],
      ]);
      const [ports, profiles] = result.targets[0]!.rules;
      expect(ports!.peer).toEqual({ kind: 'unknown', expr: '10.0.0.300' });
      expect(ports!.ports.isEmpty()).toBe(true);
      expect(ports!.unknowns.map((unknown) => [unknown.field, unknown.expr, unknown.location?.range.startLine])).toEqual([
        ['ports', '{…}', 10],
        ['peer', '10.0.0.300', 22],
      ]);
      expect(profiles!.unknowns.map((unknown) => unknown.field)).toEqual(['profiles']);
      expect(result.diagnostics.slice(2).map((diagnostic) => diagnostic.message)).toEqual([
        'rule "Profiles": Enabled "Maybe" is not True or False; the rule is treated as enabled',
        'rule "Profiles": Profile has "Office", which is not Any, Domain, Private or Public (or a comma list of them); the rule\'s profiles are unknown',
      ]);
    });

    // QA s15: the messages were netsh's ("is not yes or no", "a string such as \"Inbound\"", an address -1 shown as "").
    it('says what is wrong in PowerShell\'s terms: its enum names, IcmpType items, an address of -1', () => {
      const result = parse(exportOf(
        ruleObject({ DisplayName: 'Words', Enabled: 'yes', Profile: 'Domain, Inbound', InterfaceType: 'Wired, Ethernet', OverrideBlockRules: 'Maybe' }),
        ruleObject({ DisplayName: 'Netsh words', Direction: 'In' }),
        ruleObject({ DisplayName: 'Netsh bypass', Action: 'Bypass' }),
        ruleObject({ DisplayName: 'Minus one', Protocol: 'ICMPv4', LocalPort: 'Any', IcmpType: ['-1'], RemoteAddress: '-1' }),
        ruleObject({ DisplayName: 'Profile array', Profile: ['Domain'] }),
      ));
      expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
        'rule "Words": Enabled "yes" is not True or False; the rule is treated as enabled',
        'rule "Words": Profile has "Inbound", which is not Any, Domain, Private or Public (or a comma list of them); it is left out',
        'rule "Words": InterfaceType has "Ethernet", which is not Any, Wired, Wireless or RemoteAccess (or a comma list of them); the rule is read as limited to that interface type',
        'rule "Words": OverrideBlockRules "Maybe" is not True or False; the rule is read as not overriding block rules',
        'rule "Netsh words": Direction "In" is not Inbound or Outbound; the rule is skipped',
        'rule "Netsh bypass": Action "Bypass" is not Allow or Block; the rule is skipped',
        'rule "Minus one": IcmpType has an invalid ICMP type "-1" (expected a type 0-255 or type:code, each 0-255, or Any)',
        'rule "Minus one": RemoteAddress has a bad address "-1" (a range needs an address on each side of "-")',
        'rule "Profile array": Profile is an array, not a string naming Any, Domain, Private or Public (or a comma list of them)',
      ]);
      expect(rulesOf(result)).toEqual([
        '"Words"#1/0: in allow 6 [3389] from Any on domain',
        '"Minus one"#1/0: in allow 1 [0-65535] icmp any/any from unresolved -1 on public',
        '"Profile array"#1/0: in allow 6 [3389] from Any on domain,private,public',
      ]);
      expect(result.targets[0]!.rules[0]!.conditions).toEqual({ interfacetype: 'lan,ethernet' });
    });

    it('reads Package and LocalUser as conditions of the rule, as -Package and -LocalUser are', () => {
      const result = parse(exportOf(
        ruleObject({ DisplayName: 'App block', Action: 'Block', Package: 'S-1-15-2-1', LocalUser: 'D:(A;;CC;;;S-1-5-21-1)' }),
        ruleObject({ DisplayName: 'Any user', Package: '', LocalUser: 'Any' }),
      ));
      expect(result.diagnostics).toEqual([]);
      expect(result.targets[0]!.rules.map((rule) => rule.conditions)).toEqual([{ package: 's-1-15-2-1', localuser: 'd:(a;;cc;;;s-1-5-21-1)' }, undefined]);
    });

    it('warns about a property written twice (in any case, as PowerShell names are) and uses the last one', () => {
      const result = parse('{"DisplayName": "Ping", "Direction": "Inbound", "Action": "Allow", "Protocol": "ICMPv4",\n "IcmpType": ["0"], "icmptype": "8"}');
      expect(codes(result)).toEqual([['warning', 'parse/powershell-duplicate-property', 2]]);
      expect(result.diagnostics[0]!.message).toBe('rule "Ping": icmptype is written twice (also as IcmpType); the last one is used');
      expect(rulesOf(result)).toEqual(['"Ping"#1/0: in allow 1 [0-65535] icmp 8/any from Any on domain,private,public']);
    });

    it('reports items that are no rule objects, and JSON syntax errors, at their lines', () => {
      const result = parse('[\n  "text",\n  {"DisplayName": "A", "Direction": "Inbound", "Action": "Allow", "Protocol": "TCP",}\n]');
      expect(codes(result)).toEqual([
        ['error', 'parse/powershell-not-a-rule', 2],
        ['error', 'parse/powershell-json-syntax', 3],
      ]);
      expect(result.diagnostics[0]!.message).toBe('item 1 of the array is a string, not a rule object; it is skipped');
      expect(result.diagnostics[1]!.message).toBe('JSON syntax error: property name expected (a trailing comma?)');
    });

    // QA 10 item 07: the half-read Block rule (its ports missing, so Any) hid the world-open allow above it.
    it('skips a rule object the file ends inside (an export cut off), saying so, and keeps the rules before it', () => {
      const whole = exportOf(ruleObject(), ruleObject({ DisplayName: 'Block SMB', Action: 'Block', LocalPort: ['445'] }));
      const result = parse(whole.slice(0, whole.indexOf('"LocalPort"', whole.indexOf('Block SMB'))));
      expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
        ['parse/powershell-json-syntax', 'rule "Block SMB" at line 29 is cut off (the file ends inside it); it is skipped'],
        ['parse/powershell-json-syntax', 'JSON syntax error: the file ends before the JSON does (is the export cut off?)'],
      ]);
      expect(rulesOf(result)).toEqual(['"Admin RDP"#1/0: in allow 6 [3389] from Any on public']);
    });

    // QA 10 item 02: Get-NetFirewallRule alone carries no filters; reading them as Any made every allow all traffic.
    it('reads no rule of an export without port or address filters (Get-NetFirewallRule alone), with one error', () => {
      const bare = { Name: 'RemoteDesktop-UserMode-In-TCP', DisplayName: 'Remote Desktop - User Mode (TCP-In)', Enabled: 'True', Direction: 'Inbound', Action: 'Allow', Profile: 'Any', EdgeTraversalPolicy: 'Block' };
      const result = parse(exportOf(bare, { ...bare, DisplayName: 'Other' }));
      expect(codes(result)).toEqual([['error', 'parse/powershell-no-filters', 2]]);
      expect(result.targets).toEqual([]);
    });

    // QA 10 item 06: the export formats.md recommends has no Service or InterfaceType, so a block limited to one
    // (Windows makes many) was taken to block everything: the allow it does not stop was reported as shadowed.
    it('takes a block rule of an export without Service or InterfaceType to stop no allowed traffic, with one warning', () => {
      const { Service: _service, InterfaceType: _interfaceType, ...recommended } = ruleObject();
      const result = parse(exportOf(recommended, { ...recommended, DisplayName: 'Block RDP on Wi-Fi', Action: 'Block' }));
      expect(codes(result)).toEqual([['warning', 'parse/powershell-export-conditions', 2]]);
      expect(result.diagnostics[0]!.message).toContain('this export has no Service or InterfaceType property');
      const block = result.targets[0]!.rules[1]!;
      expect(Object.keys(block.conditions ?? {})).toContain('conditionsnotshown');
      // With both properties, the block is read as written.
      const full = parse(exportOf(ruleObject(), ruleObject({ DisplayName: 'Block RDP', Action: 'Block' })));
      expect(full.diagnostics).toEqual([]);
      expect(Object.keys(full.targets[0]!.rules[1]!.conditions ?? {})).not.toContain('conditionsnotshown');
    });

    // QA 10 item 01: Windows PowerShell 5.1 wraps an array passed as -InputObject in {"value": […], "Count": n}.
    it('reads the rules of a {"value": [...], "Count": n} wrapper', () => {
      const result = parse(`{\n  "value": ${exportOf(ruleObject())},\n  "Count": 1\n}`);
      expect(result.diagnostics).toEqual([]);
      expect(rulesOf(result)).toEqual(['"Admin RDP"#1/0: in allow 6 [3389] from Any on public']);
    });

    it('refuses absurd nesting before parsing it, and never throws', () => {
      const deep = parse(`[{"DisplayName": "A", "Direction": "Inbound", "Action": "Allow", "Description": ${'['.repeat(5000)}${']'.repeat(5000)}}]`);
      expect(codes(deep)).toEqual([['error', 'parse/powershell-too-deep', 1]]);
      for (const text of ['', '[', '{"DisplayName": 1, "Direction": 2, "Action": 3}', '[[[]]]', 'null', '{"DisplayName":"x","Direction":"Inbound","Action":"Allow","LocalPort":[[1]]}']) {
        expect(() => parse(text)).not.toThrow();
      }
    });
  });
});
