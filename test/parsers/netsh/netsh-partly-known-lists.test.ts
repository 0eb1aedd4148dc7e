import { describePeer } from '../../../src/model';
import type { Rule } from '../../../src/model';
import { partlyKnownList } from '../../../src/parsers/netsh/netsh-values';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

/** id, ports, peer and the unknowns' fields and values: what a partly known list turns into. */
function summary(rule: Rule): string {
  const unknowns = rule.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}`).join(' ');
  return `${rule.id} [${rule.ports.toString()}] from ${describePeer(rule.peer)}${unknowns === '' ? '' : ` unknown ${unknowns}`}`;
}

const ADD = 'netsh advfirewall firewall add rule dir=in action=allow protocol=tcp';

describe('partlyKnownList', () => {
  it('keeps the items without a reference and joins those with one as the unresolved rest', () => {
    expect(partlyKnownList('%EXTRA%,any')).toEqual({ known: ['any'], unresolved: '%EXTRA%' });
    expect(partlyKnownList('10.0.0.0/8, %A%,$b ,!C!,%%p')).toEqual({ known: ['10.0.0.0/8'], unresolved: '%A%,$b,!C!,%%p' });
  });

  it('is undefined when nothing or everything of the list is known', () => {
    expect(partlyKnownList('%EXTRA%')).toBeUndefined();
    expect(partlyKnownList('%A%,$b')).toBeUndefined();
    expect(partlyKnownList('10.0.0.0/8,any')).toBeUndefined();
  });
});

describe('netsh address and port lists with unresolved references beside written items (QA 6/00 netsh case)', () => {
  it('cmd remoteip=%EXTRA%,any and an unset %UNSET%,0.0.0.0/0: the written peer is known, the rest one unknown peer', () => {
    const result = parseNetshText([
      '@echo off',
      'set EXTRA=%1',
      `${ADD} name=x localport=3389 remoteip=%EXTRA%,any`,
      `${ADD} name=y localport=22 remoteip=%UNSET%,0.0.0.0/0,10.1.0.0/16`,
    ].join('\r\n'), 'envlist.cmd');
    expect(onlyTarget(result).rules.map(summary)).toEqual([
      '"x"#1/0 [3389] from Any',
      '"x"#1/1 [3389] from unresolved %EXTRA% unknown peer=%EXTRA%',
      '"y"#1/0 [22] from 0.0.0.0/0',
      '"y"#1/1 [22] from 10.1.0.0/16',
      '"y"#1/2 [22] from unresolved %UNSET% unknown peer=%UNSET%',
    ]);
    // The unknown rest is located at its remoteip= argument, as a wholly unresolved peer is.
    expect(onlyTarget(result).rules[1]!.unknowns[0]!.location.range).toMatchObject({ startLine: 3, startColumn: 92 });
    expect(result.diagnostics).toEqual([]);
  });

  it('cmd localport=%P%,3389: 3389 is known, the rest a rule of its own on unresolved ports', () => {
    const result = parseNetshText(`${ADD} name=z localport=%P%,3389,RPC-EPMap remoteip=any,10.0.0.0/8`, 'ports.cmd');
    expect(onlyTarget(result).rules.map(summary)).toEqual([
      '"z"#1/0 [135, 3389] from Any',
      '"z"#1/0/unresolved-ports [] from Any unknown ports=%P%',
      '"z"#1/1 [135, 3389] from 10.0.0.0/8',
      '"z"#1/1/unresolved-ports [] from 10.0.0.0/8 unknown ports=%P%',
    ]);
    expect(onlyTarget(result).rules[0]!.portKeywords).toEqual(['RPC-EPMap']);
    expect(result.diagnostics).toEqual([]);
  });

  it('PowerShell: netsh … remoteip=$extra,any and localport=$port,22', () => {
    const result = parseNetshText([
      'param($extra, $port)',
      `${ADD} name=c localport=5985 remoteip=$extra,any`,
      `${ADD} name=d localport=$port,22 remoteip=10.0.0.0/8`,
    ].join('\n'), 'list.ps1');
    expect(onlyTarget(result).rules.map(summary)).toEqual([
      '"c"#1/0 [5985] from Any',
      '"c"#1/1 [5985] from unresolved $extra unknown peer=$extra',
      '"d"#1/0 [22] from 10.0.0.0/8',
      '"d"#1/0/unresolved-ports [] from 10.0.0.0/8 unknown ports=$port',
    ]);
  });

  it('localip=%L%,10.0.0.5 keeps the written local address beside the unknown one', () => {
    const [rule] = onlyTarget(parseNetshText(`${ADD} name=l localport=80 localip=%L%,10.0.0.5`, 'local.cmd')).rules;
    expect(rule!.localAddresses!.map(describePeer)).toEqual(['10.0.0.5', 'unresolved %L%']);
    expect(rule!.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([['localAddresses', '%L%']]);
  });

  it('stays wholly unresolved where an item without a reference is no address or port (a computed value split at its commas)', () => {
    const computed = parseNetshText(`${ADD} name=a localport=80 remoteip=$(Get-Ranges -Site a,b),any`, 'computed.ps1');
    expect(onlyTarget(computed).rules.map(summary)).toEqual(['"a"#1/0 [80] from unresolved $(Get-Ranges -Site a,b) unknown peer=$(Get-Ranges -Site a,b)']);
    const badPort = parseNetshText(`${ADD} name=b localport=%P%,99999 remoteip=any`, 'bad-port.cmd');
    expect(onlyTarget(badPort).rules.map(summary)).toEqual(['"b"#1/0 [] from Any unknown ports=%P%']);
    expect(badPort.diagnostics).toEqual([]);
  });

  it('reads a wholly unresolved list as before', () => {
    const [rule] = onlyTarget(parseNetshText(`${ADD} name=w localport=%P% remoteip=%R%`, 'whole.cmd')).rules;
    expect(summary(rule!)).toBe('"w"#1/0 [] from unresolved %R% unknown ports=%P% peer=%R%');
  });
});

describe('cmd: a list from a variable whose value holds blanks (cmd splits the command line there)', () => {
  const rule = (argument: string): string => `${ADD} name=sp localport=3389 ${argument}`;
  const warningsOf = (...lines: string[]): Array<[string, number | undefined, string]> =>
    parseNetshText(lines.join('\r\n'), 'spaces.cmd').diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine, diagnostic.message]);

  it('warns that netsh gets the first word as the value and the rest as arguments of their own, and reads the whole list', () => {
    const text = ['set LIST=10.0.0.0/8, 192.168.0.0/16', rule('remoteip=%LIST%')];
    expect(warningsOf(...text)).toEqual([[
      'parse/netsh-bad-argument', 2,
      'add rule: remoteip= is "10.0.0.0/8, 192.168.0.0/16" once cmd expands %LIST%, and cmd splits the command line at its ' +
        'blanks: netsh gets remoteip=10.0.0.0/8, and then "192.168.0.0/16", which is no key=value argument, so the rule may ' +
        'not be created as written; fwlint reads the whole list (write it without blanks)',
    ]]);
    expect(onlyTarget(parseNetshText(text.join('\r\n'), 'spaces.cmd')).rules.map(summary)).toEqual([
      '"sp"#1/0 [3389] from 10.0.0.0/8',
      '"sp"#1/1 [3389] from 192.168.0.0/16',
    ]);
    expect(warningsOf('set PORTS=80, 443,  8080', `${ADD} name=p localport=%PORTS%`)[0]![2]).toContain('netsh gets localport=80, and then "443,", "8080", which are no key=value arguments');
  });

  it('does not warn where cmd keeps the value one argument: quoted, in the value or around the argument, or without blanks', () => {
    expect(warningsOf('set LIST="10.0.0.0/8, 192.168.0.0/16"', rule('remoteip=%LIST%'))).toEqual([]);
    expect(warningsOf('set LIST=10.0.0.0/8, 192.168.0.0/16', rule('"remoteip=%LIST%"'))).toEqual([]);
    expect(warningsOf('set LIST=10.0.0.0/8,192.168.0.0/16', rule('remoteip=%LIST%'))).toEqual([]);
    // PowerShell passes a variable's value as one argument, blanks and all.
    expect(parseNetshText(`$list = "10.0.0.0/8, 192.168.0.0/16"\n${rule('remoteip=$list')}`, 'spaces.ps1').diagnostics).toEqual([]);
  });
});
