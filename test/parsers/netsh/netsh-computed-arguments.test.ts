import { describePeer } from '../../../src/model';
import type { ParseResult, Rule } from '../../../src/model';
import { literalCollection } from '../../../src/parsers/netsh/powershell-collections';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

const summary = (rule: Rule): string => `${rule.resourceAddress} ${rule.action} [${rule.ports.toString()}] from ${describePeer(rule.peer)}`;
const codes = (result: ParseResult): Array<[string, number | undefined]> => result.diagnostics.map((d) => [d.code, d.range?.startLine]);
const RULE_ARGS = ['name=C', 'dir=in', 'action=allow', 'protocol=TCP', 'localport=3389', 'remoteip=any'];

describe('netsh with its context or arguments in a variable (QA 6/02)', () => {
  it('expands a cmd variable among the context and command words before they are matched', () => {
    for (const text of [
      `@echo off\r\nset ARGS=advfirewall firewall add rule ${RULE_ARGS.join(' ')}\r\nnetsh %ARGS%\r\n`,
      `set CTX=advfirewall firewall\r\nnetsh %CTX% add rule ${RULE_ARGS.join(' ')}\r\n`,
      `set CTX=adv f\r\nset VERB=add rule\r\nnetsh %CTX% %VERB% ${RULE_ARGS.join(' ')}\r\n`,
    ]) {
      const result = parseNetshText(text, 's1.cmd');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(['"C"#1 allow [3389] from Any']);
    }
  });

  it('keeps a quoted value of such a variable one argument, as cmd does, and places the rule at the netsh line', () => {
    const result = parseNetshText('set ARGS=advfirewall firewall add rule name="Remote Desktop" dir=in action=allow protocol=TCP localport=3389\r\nnetsh %ARGS%\r\n', 'q.cmd');
    const [rule] = onlyTarget(result).rules;
    expect(rule!.resourceAddress).toBe('"Remote Desktop"#1');
    expect(rule!.location.range.startLine).toBe(2);
  });

  it('reads a PowerShell splat of an array written in the script as its items, with or without &', () => {
    const items = ['advfirewall', 'firewall', 'add', 'rule', ...RULE_ARGS].map((item) => `'${item}'`).join(', ');
    for (const call of ['& netsh @a', 'netsh @a', 'netsh.exe advfirewall firewall @a2']) {
      const text = `$a = @(${items})\n$a2 = @(${['add', 'rule', ...RULE_ARGS].map((item) => `"${item}"`).join(', ')})\n${call}\n`;
      const result = parseNetshText(text, 'c.ps1');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(['"C"#1 allow [3389] from Any']);
    }
  });

  it('warns parse/netsh-not-read, never passes silently, where the words are computed or unknown', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['c3.ps1', `$cmd = "advfirewall firewall add rule ${RULE_ARGS.join(' ')}"\nnetsh $cmd.Split(" ")\n`, /its context comes from \$cmd\.Split\(" "\), which fwlint does not compute/],
      ['one-arg.ps1', '$ctx = "advfirewall firewall"\nnetsh $ctx add rule name=C dir=in action=allow protocol=TCP localport=3389\n', /its context comes from \$ctx/],
      ['splat.ps1', '$a = Get-Args\nnetsh @a\n', /its arguments come from the splat @a, which is not an array of literal values/],
      ['item.ps1', '$a = @("advfirewall", $ctx)\nnetsh @a firewall add rule name=C\n', /the splat @a/],
      ['unset.cmd', 'netsh %FWARGS%\r\n', /its context comes from %FWARGS%, which cannot be resolved statically/],
    ];
    for (const [path, text, message] of cases) {
      const result = parseNetshText(text, path);
      expect(codes(result)).toEqual([['parse/netsh-not-read', 2 - (path === 'unset.cmd' ? 1 : 0)]]);
      expect(result.diagnostics[0]!.message).toMatch(message);
    }
  });

  it('still passes over other netsh contexts written out, and reads $ctx holding one word (control)', () => {
    expect(parseNetshText('set IF=interface\r\nnetsh %IF% ip show config\r\n', 'i.cmd').diagnostics).toEqual([]);
    const result = parseNetshText('$ctx = "advfirewall"\nnetsh $ctx firewall add rule name=C dir=in action=allow protocol=TCP localport=3389\n', 's3.ps1');
    expect(onlyTarget(result).rules.map(summary)).toEqual(['"C"#1 allow [3389] from Any']);
  });
});

describe('PowerShell function called with a splat (QA 6/04)', () => {
  const openPort = [
    'function Open-Port {',
    '  param([int]$Port, [string]$Remote = "any")',
    '  netsh advfirewall firewall add rule name="open $Port" dir=in action=allow protocol=TCP localport=$Port remoteip=$Remote',
    '}',
  ];
  const rulesOf = (...lines: string[]): { rules: string[]; unknowns: string[] } => {
    const target = onlyTarget(parseNetshText([...openPort, ...lines, ''].join('\n'), 'f.ps1'));
    return { rules: target.rules.map(summary), unknowns: target.rules.flatMap((rule) => rule.unknowns.map((unknown) => `${unknown.field} ${unknown.expr}`)) };
  };

  it('binds a literal hashtable splat by name and an array splat by position', () => {
    expect(rulesOf('$h = @{ Port = 445; Remote = "10.0.0.0/8" }', 'Open-Port @h')).toEqual({ rules: ['"open 445"#1 allow [445] from 10.0.0.0/8'], unknowns: [] });
    expect(rulesOf('$args2 = @(3389, "10.0.0.0/8")', 'Open-Port @args2')).toEqual({ rules: ['"open 3389"#1 allow [3389] from 10.0.0.0/8'], unknowns: [] });
    expect(rulesOf('$h = @{ Remote = \'10.0.0.0/8\' }', 'Open-Port 445 @h')).toEqual({ rules: ['"open 445"#1 allow [445] from 10.0.0.0/8'], unknowns: [] });
  });

  it('takes every parameter the call does not set itself as unknown, not its default, for a splat it cannot read', () => {
    expect(rulesOf('$h = Get-Settings', 'Open-Port 3389 @h')).toEqual({ rules: ['"open 3389"#1 allow [3389] from unresolved $Remote'], unknowns: ['peer $Remote'] });
    // A key naming no parameter: PowerShell binds it elsewhere, so the splat is not read as a whole.
    expect(rulesOf('$h = @{ Port = 22; Cidr = "10.0.0.0/8" }', 'Open-Port @h').unknowns).toEqual(['ports $Port', 'peer $Remote']);
    // Assigned again with a value fwlint does not compute: the literal is gone.
    expect(rulesOf('$h = @{ Remote = "10.0.0.0/8" }', '$h = Get-Settings', 'Open-Port 22 @h').unknowns).toEqual(['peer $Remote']);
  });

  it('reads a collection written over several lines as the one-line form, comments and trailing commas aside', () => {
    expect(rulesOf('$h = @{', '  Port = 445', '  Remote = "10.0.0.0/8"', '}', 'Open-Port @h')).toEqual({ rules: ['"open 445"#1 allow [445] from 10.0.0.0/8'], unknowns: [] });
    expect(rulesOf('$h = @{   # SMB from the LAN', '', '  Port = 445   # SMB', '  # the admins', "  'Remote' = '10.0.0.0/8'; }", 'Open-Port @h'))
      .toEqual({ rules: ['"open 445"#1 allow [445] from 10.0.0.0/8'], unknowns: [] });
    expect(rulesOf('$a = @(', '  3389,', '  "10.0.0.0/8"', ')', 'Open-Port @a')).toEqual({ rules: ['"open 3389"#1 allow [3389] from 10.0.0.0/8'], unknowns: [] });
    expect(rulesOf('$h = @{', '  Port = 445', '  Remote = "10.0.0.0/8"', '}   ', 'Open-Port @h').rules).toEqual(['"open 445"#1 allow [445] from 10.0.0.0/8']);
    // One item per line, without commas, is an array too.
    expect(rulesOf('$a = @(', '  3389', '  "10.0.0.0/8"', ')', 'Open-Port @a')).toEqual({ rules: ['"open 3389"#1 allow [3389] from 10.0.0.0/8'], unknowns: [] });
  });

  it('takes an entry of a several-line collection it does not compute as unknown, and reads the lines after it', () => {
    const result = rulesOf('$h = @{', '  Port = (Get-Port)', '  Remote = "any"', '}', 'Open-Port @h', 'Open-Port 22 10.0.0.0/8');
    expect(result.rules).toEqual(['"open $Port"#1 allow [] from Any', '"open 22"#1 allow [22] from 10.0.0.0/8']);
    expect(result.unknowns).toEqual(['ports $Port']);
  });

  it('reads literal collections only', () => {
    expect(literalCollection("@('a', 3389, \"b, c\")")).toEqual({ kind: 'array', items: ['a', '3389', 'b, c'] });
    expect(literalCollection('@(1, $x)')).toEqual({ kind: 'array', items: ['1', undefined] });
    expect(literalCollection('@{ Port = 1; "Remote" = $r }')).toEqual({ kind: 'hashtable', entries: new Map([['port', '1'], ['remote', undefined]]), written: new Map([['port', '1'], ['remote', '$r']]) });
    expect(literalCollection('@(1, 2')).toBeUndefined();
    expect(literalCollection('@{ Get-Thing }')).toBeUndefined();
    expect(literalCollection('Get-Thing')).toBeUndefined();
  });
});

describe('a cmd variable that holds the netsh command itself (QA 7/07)', () => {
  // cmd expands `!VAR!` after it has split the line, but netsh gets its arguments as one string and splits them itself:
  // `!NETSH! add rule` and `netsh !FW! add rule` run as their `%VAR%` forms do. The value is the one at the command,
  // inside a block too (`%VAR%` there has the value from before the block).
  it('expands !NETSH! and netsh !FW! under setlocal enabledelayedexpansion (were not read, or silently dropped)', () => {
    for (const lines of [['set NETSH=netsh advfirewall firewall', `!NETSH! add rule ${RULE_ARGS.join(' ')}`], ['set FW=advfirewall firewall', `netsh !FW! add rule ${RULE_ARGS.join(' ')}`]]) {
      const result = parseNetshText(['@echo off', 'setlocal enabledelayedexpansion', ...lines, ''].join('\r\n'), 'delayed.cmd');
      expect(result.diagnostics).toEqual([]);
      expect(onlyTarget(result).rules.map(summary)).toEqual(['"C"#1 allow [3389] from Any']);
    }
    const inBlock = parseNetshText(['setlocal enabledelayedexpansion', 'set NETSH=netsh advfirewall firewall', 'if "%1"=="lab" (', '  set NETSH=netsh -r lab01 advfirewall firewall', `  !NETSH! add rule ${RULE_ARGS.join(' ')}`, ')', ''].join('\r\n'), 'block.cmd');
    expect(codes(inBlock)).toEqual([['parse/netsh-remote-host', 5]]);
    // Without delayed expansion `!NETSH!` is a program of that name: not netsh.
    const plain = parseNetshText(['set NETSH=netsh advfirewall firewall', `!NETSH! add rule ${RULE_ARGS.join(' ')}`, ''].join('\r\n'), 'plain.cmd');
    expect(plain.diagnostics).toEqual([]);
    expect(plain.targets.flatMap((target) => target.rules)).toEqual([]);
  });

  it('expands %NETSH% at the start of a command as cmd does, netsh word, context and options', () => {
    for (const set of ['set NETSH=netsh advfirewall firewall', 'set NETSH=C:\\Windows\\System32\\netsh.exe -c "advfirewall firewall"', 'set "NETSH=netsh adv fi"']) {
      const result = parseNetshText(`@echo off\r\n${set}\r\n%NETSH% add rule ${RULE_ARGS.join(' ')}\r\n`, 'lead.cmd');
      expect(result.diagnostics).toEqual([]);
      const [rule] = onlyTarget(result).rules;
      expect(summary(rule!)).toBe('"C"#1 allow [3389] from Any');
      expect(rule!.location.range.startLine).toBe(3);
    }
    const remote = parseNetshText(`set NETSH=netsh -r lab-web02 advfirewall firewall\r\n%NETSH% add rule ${RULE_ARGS.join(' ')}\r\n`, 'r.cmd');
    expect(codes(remote)).toEqual([['parse/netsh-remote-host', 2]]);
  });

  it('says the command comes from the variable where its value is quoted', () => {
    const result = parseNetshText(`set NETSH="netsh advfirewall firewall"\r\n%NETSH% add rule ${RULE_ARGS.join(' ')}\r\n`, 'unknown.cmd');
    expect(codes(result)).toEqual([['parse/netsh-not-read', 2]]);
    expect(result.diagnostics[0]!.message).toBe('netsh command not read: the command comes from %NETSH%, which holds "netsh advfirewall firewall": cmd runs that as one program name, not netsh and its words, so the rules it creates or changes, if any, are not checked');
  });

  // Regression: a program variable set per branch made the whole command a warning, though cmd runs netsh under
  // each branch that sets it: the command is read once per case, under its conditions, as an argument's variable is.
  it('reads the command under each branch that sets the variable, and says where its value is not known', () => {
    const partly = parseNetshText(`if "%1"=="x" set NETSH=netsh advfirewall firewall\r\n%NETSH% add rule ${RULE_ARGS.join(' ')}\r\n`, 'partly.cmd');
    expect(onlyTarget(partly).rules.map((rule) => [summary(rule), rule.branch])).toEqual([['"C"#1 allow [3389] from Any', '"%1"=="x"']]);
    expect(codes(partly)).toEqual([['parse/netsh-not-read', 2]]);
    expect(partly.diagnostics[0]!.message).toBe('netsh command not read: the command comes from %NETSH%, whose value cannot be resolved statically when !("%1"=="x"), so the rules it creates or changes, if any, are not checked');

    const branches = parseNetshText(`if "%1"=="lab" (set NETSH=netsh -r lab01 advfirewall firewall) else (set NETSH=netsh adv f)\r\n%NETSH% add rule ${RULE_ARGS.join(' ')}\r\n`, 'branches.cmd');
    expect(onlyTarget(branches).rules.map((rule) => [summary(rule), rule.branch])).toEqual([['"C"#1 allow [3389] from Any', '!("%1"=="lab")']]);
    expect(codes(branches)).toEqual([['parse/netsh-remote-host', 2]]);
  });
});
