import { describePeer } from '../../../src/model';
import type { Rule } from '../../../src/model';
import { scanFiles } from '../../helpers/scan-fixture';
import { readNetshScript } from '../../../src/parsers/netsh/script-reader';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

const ALLOW = 'netsh advfirewall firewall add rule name=%1 dir=in action=allow protocol=TCP localport=%2 remoteip=%3';
/** The README's example: a subroutine that adds one rule per call. */
const EXAMPLE = [
  '@echo off',
  'call :allow "Remote Desktop" 3389 any',
  'call :allow "SQL" 1433 10.0.0.0/8',
  'exit /b 0',
  '',
  ':allow',
  ALLOW,
  'exit /b 0',
];

/** A rule as `name#n@line [ports] from peer when branch`. */
function line(rule: Rule): string {
  const when = rule.branch === undefined ? '' : ` when ${rule.branch}`;
  return `${rule.resourceAddress}@${rule.location.range.startLine} [${rule.ports.toString()}] from ${describePeer(rule.peer)}${when}`;
}

function rulesOf(...lines: string[]): string[] {
  return onlyTarget(parseNetshText(lines.join('\r\n'), 'h.cmd')).rules.map(line);
}

function diagnosticsOf(...lines: string[]): Array<[string, number | undefined]> {
  return parseNetshText(lines.join('\r\n'), 'h.cmd').diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine]);
}

describe('netsh cmd scripts: call :label runs the subroutine with its arguments (script-reader.ts followCall)', () => {
  it('the README example: RDP from any is FW101 at the netsh line in the subroutine, SQL is not world-open', () => {
    const result = scanFiles({ 'host01.cmd': EXAMPLE.join('\r\n') });
    const findings = result.findings.map((finding) => [finding.checkId, finding.location.range.startLine, finding.message]);
    expect(findings).toEqual([['FW101', 7, 'host01 allows ingress from 0.0.0.0/0, ::/0 on tcp/3389']]);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(...EXAMPLE)).toEqual(['"Remote Desktop"#1@7 [3389] from Any', '"SQL"#1@7 [1433] from 10.0.0.0/8']);
  });

  it('reads the subroutine only through its calls: no copy "when :allow is reached" with unknown arguments', () => {
    // Before: the calls were not followed, and the subroutine's line was one rule under ":allow is reached", %1 to %3 unknown.
    expect(rulesOf(...EXAMPLE).some((rule) => rule.includes('is reached'))).toBe(false);
    expect(diagnosticsOf(...EXAMPLE)).toEqual([]);
    // Main code below the subroutines, reached by `goto main`, is read as before.
    expect(rulesOf('goto main', ':allow', ALLOW, 'exit /b 0', ':main', 'call :allow RDP 3389 any', 'exit /b 0')).toEqual(['"RDP"#1@3 [3389] from Any']);
  });

  it('a call under a condition runs the subroutine under it', () => {
    expect(rulesOf('if "%1"=="prod" call :allow RDP 3389 any', 'call :allow SQL 1433 10.0.0.0/8', 'exit /b 0', ':allow', ALLOW, 'exit /b 0')).toEqual([
      '"RDP"#1@5 [3389] from Any when "%1"=="prod"',
      '"SQL"#1@5 [1433] from 10.0.0.0/8',
    ]);
    // Conditions inside the subroutine add to the call's; a conditional `exit /b` returns from the subroutine only.
    expect(rulesOf('call :allow RDP 3389 any', 'netsh advfirewall firewall add rule name=After dir=in action=allow protocol=TCP localport=22 remoteip=10.0.0.0/8',
      'exit /b 0', ':allow', 'if exist C:\\skip.flag exit /b 1', ALLOW, 'exit /b 0')).toEqual([
      '"RDP"#1@6 [3389] from Any when !(exist C:\\skip.flag)',
      '"After"#1@2 [22] from 10.0.0.0/8',
    ]);
  });

  it('decides a comparison of the arguments put in: argument checks add no condition', () => {
    const checked = ['call :allow RDP 3389 any', 'call :allow SQL', 'exit /b 0', ':allow', 'if "%~2"=="" exit /b 1', ALLOW, 'exit /b 0'];
    expect(rulesOf(...checked)).toEqual(['"RDP"#1@6 [3389] from Any']);
    expect(rulesOf('call :open rdp', 'exit /b', ':open', 'if /i "%~1"=="RDP" (',
      '  netsh advfirewall firewall add rule name=R dir=in action=allow protocol=TCP localport=3389', ') else (',
      '  netsh advfirewall firewall add rule name=Other dir=in action=allow protocol=TCP localport=1', ')', 'exit /b')).toEqual(['"R"#1@5 [3389] from Any']);
    // The script's own arguments are not known: the check stays a condition.
    expect(rulesOf('if "%~1"=="" exit /b 1', 'call :allow RDP 3389 any', 'exit /b 0', ':allow', ALLOW, 'exit /b 0')).toEqual(['"RDP"#1@5 [3389] from Any when !("%~1"=="")']);
  });

  it('decides EQU NEQ LSS LEQ GTR GEQ of the arguments put in: numbers as numbers, other strings only for equality', () => {
    const open = (...calls: string[]): string[] => rulesOf(...calls, 'exit /b', ':open', 'if %1 LEQ 0 goto :eof',
      'netsh advfirewall firewall add rule name=Open dir=in action=allow protocol=TCP localport=%1', 'exit /b');
    expect(open('call :open 3', 'call :open 0')).toEqual(['"Open"#1@6 [3] from Any']);
    // The script's own argument is not known: the comparison stays a condition.
    expect(rulesOf('if %1 LEQ 0 goto :eof', 'netsh advfirewall firewall add rule name=Own dir=in action=allow protocol=TCP localport=22')).toEqual([
      '"Own"#1@2 [22] from Any when !(%1 LEQ 0)',
    ]);
    /** How fwlint reads `if TEST netsh …`: "runs", "never", or the condition it stays. */
    const reading = (test: string): string => {
      const script = `if ${test} netsh advfirewall firewall add rule name=T dir=in action=allow protocol=TCP localport=22`;
      const rule = parseNetshText(script, 'h.cmd').targets[0]?.rules[0];
      return rule === undefined ? 'never' : rule.branch ?? 'runs';
    };
    const cases: Array<[string, string]> = [
      ['3 LEQ 0', 'never'], ['3 GTR 0', 'runs'], ['3 geq 3', 'runs'], ['3 LSS 3', 'never'], ['-1 LSS 0', 'runs'],
      ['3 EQU 3', 'runs'], ['3 NEQ 3', 'never'], ['not 3 LEQ 0', 'runs'], ['/i 3 leq 10', 'runs'],
      // Numbers as cmd reads them: 0x hex, 0-led octal; `09` is no number, so it compares as a string.
      ['0x10 EQU 16', 'runs'], ['010 EQU 8', 'runs'], ['09 EQU 9', 'never'], ['+5 EQU 5', 'runs'],
      // Not both numbers: strings, quotes included ("3" LSS "10" would be a string order, which fwlint leaves).
      ['"3" EQU 3', 'never'], ['"3" EQU "3"', 'runs'], ['abc NEQ abd', 'runs'], ['ABC EQU abc', 'never'], ['/i ABC EQU abc', 'runs'],
      ['"3" LSS "10"', '"3" LSS "10"'], ['abc GTR abd', 'abc GTR abd'],
      // Left to run time: a variable, an escape, a number past 32 bits (cmd clamps it).
      ['%PORT% GTR 0', '%PORT% GTR 0'], ['2147483648 EQU 2147483647', '2147483648 EQU 2147483647'],
    ];
    expect(cases.map(([test]) => [test, reading(test)])).toEqual(cases);
  });

  it('exit without /b in a subroutine ends the script: the lines after the call run only where it was not called', () => {
    const after = 'netsh advfirewall firewall add rule name=P dir=in action=allow protocol=TCP localport=22';
    expect(rulesOf('if "%1"=="" call :usage', after, 'exit /b', ':usage', 'echo usage: setup.cmd ENV', 'exit 1')).toEqual(['"P"#1@2 [22] from Any when !("%1"=="")']);
    // From a nested call too; `exit /b` returns from the subroutine only.
    expect(rulesOf('if "%1"=="" call :usage', after, 'exit /b', ':usage', 'call :fatal', 'exit /b', ':fatal', 'exit')).toEqual(['"P"#1@2 [22] from Any when !("%1"=="")']);
    expect(rulesOf('if "%1"=="" call :usage', after, 'exit /b', ':usage', 'exit /b 1')).toEqual(['"P"#1@2 [22] from Any']);
  });

  it('binds %1 with its quotes and %~1 without, splitting arguments at spaces, commas, semicolons and =', () => {
    const script = (reference: string): string[] => [
      'call :allow "Remote Desktop",3389;any', 'exit /b 0', ':allow',
      `netsh advfirewall firewall add rule name=${reference} dir=in action=allow protocol=TCP localport=%2 remoteip=%3`, 'exit /b 0',
    ];
    expect(rulesOf(...script('%1'))).toEqual(['"Remote Desktop"#1@4 [3389] from Any']);
    expect(rulesOf(...script('"%~1"'))).toEqual(['"Remote Desktop"#1@4 [3389] from Any']);
    // cmd puts the value in before netsh splits its arguments: without quotes, "Desktop" is an argument of its own.
    expect(rulesOf(...script('%~1'))).toEqual(['"Remote"#1@4 [3389] from Any']);
    expect(diagnosticsOf(...script('%~1'))).toEqual([['parse/netsh-bad-argument', 4]]);
    // %* is every argument as written.
    expect(rulesOf('call :rule dir=in action=allow protocol=TCP localport=22', 'exit /b', ':rule', 'netsh advfirewall firewall add rule name=Every %*', 'exit /b')).toEqual([
      '"Every"#1@4 [22] from Any',
    ]);
  });

  it('locates each argument value at its reference', () => {
    const rule = onlyTarget(parseNetshText(EXAMPLE.join('\n'), 'h.cmd')).rules[0]!;
    // At the remoteip= argument, as for a variable written there.
    const column = ALLOW.indexOf('remoteip=%3') + 1;
    expect(rule.peerLocation?.range ?? rule.location.range).toMatchObject({ startLine: 7 });
    const sql = onlyTarget(parseNetshText([...EXAMPLE.slice(0, 1), 'call :allow SQL 1433 %NET%', ...EXAMPLE.slice(3)].join('\n'), 'h.cmd')).rules[0]!;
    // An argument fwlint cannot resolve leaves the value unknown (FW303), at the reference in the subroutine.
    expect(sql.peer).toMatchObject({ kind: 'unknown' });
    expect(sql.unknowns.map((unknown) => [unknown.expr, unknown.location.range.startLine, unknown.location.range.startColumn])).toEqual([['%NET%', 6, column]]);
  });

  it('two calls at one line are two rules, with distinct ids, reported as one finding at that line', () => {
    const same = ['call :allow Web 443 any', 'call :allow Web 443 any', 'call :allow Web 80 any', 'exit /b 0', ':allow', ALLOW, 'exit /b 0'];
    expect(rulesOf(...same)).toEqual(['"Web"#1@6 [443] from Any', '"Web"#2@6 [443] from Any', '"Web"#3@6 [80] from Any']);
    const findings = scanFiles({ 'web.cmd': same.join('\r\n') }).findings.filter((finding) => finding.checkId === 'FW101');
    // One finding per written place (README), as for the items of a loop: the union of the calls' ports.
    expect(findings.map((finding) => [finding.ruleId, finding.location.range.startLine])).toEqual([['"Web"#1/0', 6]]);
    expect(findings[0]!.message).toMatch(/on tcp\/80, 443$/);
    // Deterministic: the same script scanned again gives the same fingerprints.
    expect(scanFiles({ 'web.cmd': same.join('\r\n') }).findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.fingerprint))
      .toEqual(findings.map((finding) => finding.fingerprint));
  });

  it('variables the subroutine sets are the caller\'s after the call; setlocal … endlocal restores them', () => {
    const use = 'netsh advfirewall firewall add rule name=R dir=in action=allow protocol=TCP localport=22 remoteip=%NET%';
    expect(rulesOf('call :network', use, 'exit /b 0', ':network', 'set NET=any', 'goto :eof')).toEqual(['"R"#1@2 [22] from Any']);
    expect(rulesOf('if "%1"=="dev" call :network', 'set NET=10.0.0.0/8', use, 'exit /b 0', ':network', 'set NET=any', 'goto :eof')).toEqual(['"R"#1@3 [22] from 10.0.0.0/8']);
    expect(rulesOf('set NET=10.0.0.0/8', 'if "%1"=="dev" call :network', use, 'exit /b 0', ':network', 'set NET=any', 'goto :eof')).toEqual([
      '"R"#1@3 [22] from 10.0.0.0/8 when !("%1"=="dev")',
      '"R"#2@3 [22] from Any when "%1"=="dev"',
    ]);
    expect(rulesOf('set NET=10.0.0.0/8', 'call :network', use, 'exit /b 0', ':network', 'setlocal', 'set NET=any', 'endlocal', 'goto :eof')).toEqual(['"R"#1@3 [22] from 10.0.0.0/8']);
    // The end of the subroutine ends a setlocal it left open, as cmd does.
    expect(rulesOf('set NET=10.0.0.0/8', 'call :network', use, 'exit /b 0', ':network', 'setlocal', 'set NET=any', 'goto :eof')).toEqual(['"R"#1@3 [22] from 10.0.0.0/8']);
  });

  it('shift moves the arguments; a shift that may not run leaves them unknown (FW303), never wrong', () => {
    const add = 'netsh advfirewall firewall add rule name=S dir=in action=allow protocol=TCP localport=%1';
    expect(rulesOf('call :open 22 3389', 'exit /b', ':open', 'shift', add, 'exit /b')).toEqual(['"S"#1@5 [3389] from Any']);
    const [rule] = onlyTarget(parseNetshText(['call :open 22 3389', 'exit /b', ':open', 'if exist C:\\two.flag shift', add, 'exit /b'].join('\n'), 'h.cmd')).rules;
    expect(rule!.unknowns.map((unknown) => unknown.expr)).toEqual(['%1']);
  });

  it('a call in a loop over a literal list runs once per item; nested calls are followed', () => {
    expect(rulesOf('for %%p in (22 445) do call :allow P %%p any', 'exit /b', ':allow', ALLOW, 'exit /b')).toEqual(['"P"#1@4 [22] from Any', '"P"#2@4 [445] from Any']);
    expect(rulesOf('call :web 8080', 'exit /b', ':web', 'call :allow Web %1 any', 'goto :eof', ':allow', ALLOW, 'goto :eof')).toEqual(['"Web"#1@7 [8080] from Any']);
  });

  it('a label also reached by goto keeps its copy for that path', () => {
    expect(rulesOf('call :allow RDP 3389 10.0.0.0/8', 'if "%1"=="all" goto allow', 'exit /b 0', ':allow', ALLOW, 'exit /b 0')).toEqual([
      '"RDP"#1@5 [3389] from 10.0.0.0/8',
      '"%1"#1@5 [] from unresolved %3 when :allow is reached',
    ]);
    // Reached by falling through too: the lines run where they are written as well.
    expect(rulesOf('call :allow RDP 3389 10.0.0.0/8', ':allow', ALLOW)).toEqual(['"RDP"#1@3 [3389] from 10.0.0.0/8', '"%1"#1@3 [] from unresolved %3']);
  });

  it('a label only gotos in a called subroutine reach is read only through the call (no second copy, no FW302)', () => {
    // QA 06: `:skip` was also read where written, "when :skip is reached": the rule twice, and FW302 on the one rule.
    const after = 'netsh advfirewall firewall add rule name="after" dir=in action=allow protocol=TCP localport=5986';
    const subroutine = [':noargs', 'if "%1"=="" goto :skip', 'netsh advfirewall firewall add rule name="never" dir=in action=allow protocol=TCP localport=5985', ':skip', after, 'exit /b'];
    const script = ['@echo off', 'call :noargs', 'goto :eof', '', ...subroutine];
    expect(rulesOf(...script)).toEqual(['"after"#1@9 [5986] from Any']);
    const findings = scanFiles({ 'host.cmd': script.join('\r\n') }).findings.map((finding) => [finding.checkId, finding.location.range.startLine]);
    expect(findings).toEqual([['FW101', 9]]);
    // Gotos between the subroutine's own labels, a section further down, and a loop back to its label: still once per call.
    expect(rulesOf('call :open 22', 'call :open 23', 'exit /b', ':open', 'if "%1"=="22" goto :ssh', 'goto :other', ':ssh',
      'netsh advfirewall firewall add rule name=SSH dir=in action=allow protocol=TCP localport=%1', 'goto :done', ':other',
      'netsh advfirewall firewall add rule name=Other dir=in action=allow protocol=TCP localport=%1', ':done', 'exit /b')).toEqual([
      '"SSH"#1@8 [22] from Any',
      '"Other"#1@11 [23] from Any',
    ]);
  });

  it('a label inside a called subroutine that the script also reaches is read there too', () => {
    const after = 'netsh advfirewall firewall add rule name=After dir=in action=allow protocol=TCP localport=5986';
    const never = 'netsh advfirewall firewall add rule name=Never dir=in action=allow protocol=TCP localport=5985';
    // By a goto of the script's own.
    expect(rulesOf('call :noargs', 'if "%1"=="x" goto :skip', 'goto :eof', ':noargs', 'if "%1"=="" goto :skip', never, ':skip', after, 'exit /b')).toEqual([
      '"After"#1@8 [5986] from Any',
      '"After"#2@8 [5986] from Any when :skip is reached',
    ]);
    // By falling through into the subroutine: its goto is then the script's own, undecided.
    expect(rulesOf('call :noargs', ':noargs', 'if "%1"=="" goto :skip', never, ':skip', after)).toEqual([
      '"After"#1@6 [5986] from Any',
      '"Never"#1@4 [5985] from Any when !("%1"=="")',
      '"After"#2@6 [5986] from Any',
    ]);
    // By a goto in a subroutine section the script fell into, past another subroutine it skips.
    expect(rulesOf('call :sub', ':sub', 'goto :skip', ':other', 'netsh advfirewall firewall add rule name=O dir=in action=allow protocol=TCP localport=1',
      'exit /b', ':skip', after, 'call :other', 'exit /b')).toEqual([
      '"After"#1@8 [5986] from Any',
      '"O"#1@5 [1] from Any',
      '"After"#2@8 [5986] from Any',
      '"O"#2@5 [1] from Any',
    ]);
  });

  it('does not follow a call that recurses, nests too deep or passes the line budget: warning, and the subroutine read where written', () => {
    const recursive = ['call :open 22', 'exit /b', ':open', 'netsh advfirewall firewall add rule name=O dir=in action=allow protocol=TCP localport=%1', 'call :open 23', 'exit /b'];
    expect(diagnosticsOf(...recursive)).toEqual([['parse/netsh-call-not-followed', 5]]);
    expect(rulesOf(...recursive)).toEqual(['"O"#1@4 [22] from Any', '"O"#2@4 [] from Any when :open is reached', '"O"#3@4 [23] from Any when :open is reached']);
    // Calls nested 9 deep: the ninth (`call :l8` in :l7) is not followed; :l8 is read where written, its %1 unknown.
    const chain = Array.from({ length: 9 }, (_, index) => [`:l${index}`, `call :l${index + 1} %1`, 'exit /b']).flat();
    const deep = ['call :l0 22', 'exit /b', ...chain, ':l9', 'netsh advfirewall firewall add rule name=D dir=in action=allow protocol=TCP localport=%1', 'exit /b'];
    expect(diagnosticsOf(...deep)).toEqual([['parse/netsh-call-not-followed', 25]]);
    expect(rulesOf(...deep)).toEqual(['"D"#1@31 [] from Any when :l8 is reached']);
    // 40 calls of a 1,000-line subroutine: past 20,000 lines, one warning.
    const long = [...Array.from({ length: 40 }, (_, index) => `call :long ${index + 1}`), 'exit /b', ':long', ...Array.from({ length: 1000 }, () => 'echo .'),
      'netsh advfirewall firewall add rule name=L dir=in action=allow protocol=TCP localport=%1', 'exit /b'];
    const warnings = diagnosticsOf(...long);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![0]).toBe('parse/netsh-call-not-followed');
    const rules = rulesOf(...long);
    expect(rules.filter((rule) => !rule.includes('when')).length).toBeGreaterThanOrEqual(15);
    expect(rules).toContain('"L"#20@1043 [] from Any when :long is reached');
  });

  it('does not follow error handling after a firewall command or a call of another file', () => {
    expect(rulesOf('netsh advfirewall firewall add rule name=X dir=in action=allow protocol=TCP localport=1', 'if errorlevel 1 call :fail',
      'netsh advfirewall firewall add rule name=Y dir=in action=allow protocol=TCP localport=2', 'exit /b', ':fail', 'netsh advfirewall firewall delete rule name=X', 'exit /b 1')).toEqual([
      '"X"#1@1 [1] from Any when !(:fail is reached)',
      '"Y"#1@3 [2] from Any',
    ]);
    expect(rulesOf('call other.cmd 22', ALLOW)).toEqual(['"%1"#1@2 [] from unresolved %3']);
  });

  it('a fwlint:ignore comment above the subroutine\'s netsh line applies to the rules of every call, and only to them', () => {
    // The subroutine's commands run at the calls, before commands written above the subroutine: each comment still
    // finds the netsh line below it.
    const ignore = 'REM fwlint:ignore FW101 reason="jump host, reviewed"';
    const winrm = 'netsh advfirewall firewall add rule name=WinRM dir=in action=allow protocol=TCP localport=5985';
    const suppressed = (...script: string[]): Array<[number, string | undefined]> => scanFiles({ 'h.cmd': script.join('\r\n') }).findings
      .filter((finding) => finding.checkId === 'FW101').map((finding) => [finding.location.range.startLine, finding.suppression?.kind]);
    const calls = ['call :allow "Remote Desktop" 3389 any', 'call :allow SMB 445 any'];
    // The calls' rules at the subroutine's line are one finding (one per written place).
    expect(suppressed(...calls, winrm, 'exit /b 0', ':allow', ignore, ALLOW, 'exit /b 0')).toEqual([[3, undefined], [7, 'inSource']]);
    expect(suppressed(...calls, ignore, winrm, 'exit /b 0', ':allow', ALLOW, 'exit /b 0')).toEqual([[4, 'inSource'], [7, undefined]]);
  });
});

function psRulesOf(...lines: string[]): string[] {
  return onlyTarget(parseNetshText(lines.join('\r\n'), 'p.ps1')).rules.map(line);
}

function psDiagnosticsOf(...lines: string[]): Array<[string, number | undefined]> {
  return parseNetshText(lines.join('\r\n'), 'p.ps1').diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine]);
}

describe('PowerShell scripts: a call of a function defined above runs its body (script-reader.ts followFunctionCall)', () => {
  const RDP = '  netsh advfirewall firewall add rule name=RDP dir=in action=allow protocol=TCP localport=3389';
  const PORT = '  netsh advfirewall firewall add rule name="P$Port" dir=in action=allow protocol=TCP localport=$Port remoteip=$Cidr';

  it('reads the body at the call, not "(when Open-Rdp is called)"', () => {
    const script = ['function Open-Rdp {', RDP, '}', 'Open-Rdp'];
    expect(psRulesOf(...script)).toEqual(['"RDP"#1@2 [3389] from Any']);
    const findings = scanFiles({ 'host01.ps1': script.join('\r\n') }).findings.map((finding) => [finding.checkId, finding.location.range.startLine, finding.message]);
    expect(findings).toEqual([['FW101', 2, 'host01 allows ingress from 0.0.0.0/0, ::/0 on tcp/3389']]);
    // Written on one line, the brace on the next line, called twice: one rule per call, at the netsh line.
    expect(psRulesOf(`function Open-Rdp { ${RDP.trim()} }`, 'Open-Rdp')).toEqual(['"RDP"#1@1 [3389] from Any']);
    expect(psRulesOf('function Open-Rdp', '{', RDP, '}', 'Open-Rdp', 'Open-Rdp')).toEqual(['"RDP"#1@3 [3389] from Any', '"RDP"#2@3 [3389] from Any']);
    // Never called: conditional, as before.
    expect(psRulesOf('function Open-Rdp {', RDP, '}')).toEqual(['"RDP"#1@2 [3389] from Any when Open-Rdp is called']);
  });

  it('binds literal arguments to the parameters: positional, named, a prefix, -Name:value, defaults', () => {
    expect(psRulesOf('function Open-Port($Port, $Cidr = "any") {', PORT, '}', 'Open-Port 3389', 'Open-Port -Port 22 -Cidr 10.0.0.0/8',
      'Open-Port -C:"192.168.0.0/16" 445', '$web = 443', 'Open-Port $web')).toEqual([
      '"P3389"#1@2 [3389] from Any',
      '"P22"#1@2 [22] from 10.0.0.0/8',
      '"P445"#1@2 [445] from 192.168.0.0/16',
      '"P443"#1@2 [443] from Any',
    ]);
    // A param() block with attributes and types, after [CmdletBinding()].
    expect(psRulesOf('function Open-Port {', '  [CmdletBinding()]', '  param(', '    [Parameter(Mandatory = $true)][int]$Port,', "    [string]$Cidr = '10.0.0.0/8'", '  )',
      PORT, '}', 'Open-Port 5985')).toEqual(['"P5985"#1@7 [5985] from 10.0.0.0/8']);
  });

  it('a call in a loop over a literal list binds the loop variable\'s items, one rule per item', () => {
    const define = ['function Open-Port($Port, $Cidr = "any") {', PORT, '}'];
    expect(psRulesOf(...define, 'foreach ($p in 22, 445) { Open-Port $p }')).toEqual(['"P22"#1@2 [22] from Any', '"P445"#1@2 [445] from Any']);
    expect(psRulesOf(...define, '80, 443 | ForEach-Object { Open-Port -Port $_ -Cidr 10.0.0.0/8 }')).toEqual(['"P80"#1@2 [80] from 10.0.0.0/8', '"P443"#1@2 [443] from 10.0.0.0/8']);
    // Two parameters from loops would pair items that never go together: unknown.
    const [rule] = onlyTarget(parseNetshText([...define, 'foreach ($p in 22, 445) { foreach ($c in "any", "10.0.0.0/8") { Open-Port $p $c } }'].join('\n'), 'p.ps1')).rules;
    expect(rule!.unknowns.map((each) => each.expr)).toEqual(['$Port', '$Cidr']);
  });

  it('leaves a parameter it cannot bind unknown (FW303), never wrong', () => {
    const unknown = (call: string): string[] => {
      const [rule] = onlyTarget(parseNetshText(['function Open-Port($Port, $Cidr = "any") {', PORT, '}', call].join('\n'), 'p.ps1')).rules;
      return rule!.unknowns.map((each) => each.expr);
    };
    expect(unknown('Open-Port $notSet')).toEqual(['$Port']);
    expect(unknown('Open-Port (Get-Port)')).toEqual(['$Port']);
    // Not passed and no default: unknown; an argument naming no parameter (a switch, -Verbose) makes every one unknown.
    expect(unknown('Open-Port')).toEqual(['$Port']);
    expect(unknown('Open-Port 22 -Verbose')).toEqual(['$Port', '$Cidr']);
  });

  it('runs the body under the call\'s conditions; a return ends it, an exit ends the script', () => {
    expect(psRulesOf('function Open-Rdp {', RDP, '}', 'if ($Prod) { Open-Rdp }')).toEqual(['"RDP"#1@2 [3389] from Any when $Prod']);
    expect(psRulesOf('function Open-Rdp {', '  if ($Skip) { return }', RDP, '}', 'Open-Rdp')).toEqual(['"RDP"#1@3 [3389] from Any when !$Skip']);
    expect(psRulesOf('function Open-Rdp {', '  return', RDP, '}', 'Open-Rdp', 'netsh advfirewall firewall add rule name=After dir=in action=allow protocol=TCP localport=22')).toEqual([
      '"After"#1@6 [22] from Any',
    ]);
    expect(psRulesOf('function Stop-Setup {', '  exit 1', '}', 'if ($Bad) { Stop-Setup }', RDP.trim())).toEqual(['"RDP"#1@5 [3389] from Any when !$Bad']);
  });

  it('decides an if over a parameter bound at the call, per call, as cmd decides if %1==… (script-flow.ts powerShellConditionHolds)', () => {
    const open = (...body: string[]) => (...calls: string[]): string[] => psRulesOf('function Add-Port($Port, $Cidr = "any") {', ...body, PORT, '}', ...calls);
    // Before: each call gave a rule "when !($Port -eq 0)", Add-Port 0 one too.
    expect(open('  if ($Port -eq 0) { return }')('Add-Port 0', 'Add-Port 3389')).toEqual(['"P3389"#1@3 [3389] from Any']);
    // -ne, a string compared case-insensitively (-ceq: case-sensitively), elseif/else, -not, and the truth of a value.
    const byMode = open('  if ($Cidr -ne "any") { return }');
    expect(byMode('Add-Port 22 10.0.0.0/8', 'Add-Port 23 ANY')).toEqual(['"P23"#1@3 [23] from Any']);
    expect(open('  if ($Cidr -ceq "any") { return }')('Add-Port 22 ANY', 'Add-Port 23')).toEqual(['"P22"#1@3 [22] from Any']);
    expect(psRulesOf('function Add-Port($Port) {', '  if ($Port -eq 22) { $Cidr = "10.0.0.0/8" } elseif ($Port -eq 3389) { return } else { $Cidr = "any" }', PORT, '}',
      'Add-Port 22', 'Add-Port 3389', 'Add-Port 445')).toEqual(['"P22"#1@3 [22] from 10.0.0.0/8', '"P445"#1@3 [445] from Any']);
    expect(open('  if (-not $Port) { return }')('Add-Port 22', 'Add-Port ""')).toEqual(['"P22"#1@3 [22] from Any']);
    // An order: numbers as numbers where text would sort them the same way, or the left side a number written out.
    expect(open('  if ($Port -lt 1024) { return }')('Add-Port 3389', 'Add-Port 1000')).toEqual(['"P3389"#1@3 [3389] from Any']);
    expect(open('  if (1024 -gt $Port) { return }')('Add-Port 80', 'Add-Port 5985')).toEqual(['"P5985"#1@3 [5985] from Any']);
  });

  it('leaves an if it cannot decide for certain a condition, as before', () => {
    const open = (test: string, call: string): string[] => psRulesOf('function Add-Port($Port, $Cidr = "any") {', `  if (${test}) { return }`, PORT, '}', call);
    // "80" as text sorts after "1024"; 010 is 10 as a number, "010" as text (and no port netsh takes); 0 is false as a
    // number, true as text; "1e3" may be a number.
    expect(open('$Port -lt 1024', 'Add-Port 80')).toEqual(['"P80"#1@3 [80] from Any when !($Port -lt 1024)']);
    expect(open('$Port -eq 10', 'Add-Port 010')).toEqual(['"P010"#1@3 [] from Any when !($Port -eq 10)']);
    expect(open('-not $Port', 'Add-Port 0')).toEqual(['"P0"#1@3 [0] from Any when !(-not $Port)']);
    expect(open('$Cidr -eq "any"', 'Add-Port 22 1e3')).toEqual(['"P22"#1@3 [22] from unresolved 1e3 when !($Cidr -eq "any")']);
    // A value fwlint does not know, $true/$false/$null, -and/-or, a where-written body (no call).
    expect(open('$Port -eq 0', 'Add-Port $unknown')).toEqual(['"P$Port"#1@3 [] from Any when !($Port -eq 0)']);
    expect(open('$Port -eq $false', 'Add-Port 22')).toEqual(['"P22"#1@3 [22] from Any when !($Port -eq $false)']);
    expect(open('$Port -eq 0 -or $Port -gt 65535', 'Add-Port 22')).toEqual(['"P22"#1@3 [22] from Any when !($Port -eq 0 -or $Port -gt 65535)']);
    expect(psRulesOf('function Add-Port($Port = 0) {', '  if ($Port -eq 0) { return }', PORT, '}')).toEqual(['"P$Port"#1@3 [] from unresolved $Cidr when Add-Port is called']);
  });

  it('carries a known variable assigned in an if branch, and decides -ne/-eq against \'\' (QA 7/06)', () => {
    const SSH = '  netsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=TCP localport=22 remoteip=$ip';
    const addRule = (test: string, call: string): string[] =>
      psRulesOf('function Add-Rule($Remote = \'\') {', "  $ip = 'localsubnet'", `  if (${test}) { $ip = $Remote }`, SSH, '}', call);
    // Before: the branch was decided but $ip = $Remote left $ip unknown (FW303 only).
    expect(addRule('$Remote', "Add-Rule -Remote 'any'")).toEqual(['"SSH"#1@4 [22] from Any']);
    expect(addRule('$Remote', 'Add-Rule')).toEqual(['"SSH"#1@4 [22] from LocalSubnet']);
    // Before: `-ne ''` stayed a condition.
    expect(addRule("$Remote -ne ''", "Add-Rule -Remote 'any'")).toEqual(['"SSH"#1@4 [22] from Any']);
    expect(addRule('"" -eq $Remote', 'Add-Rule -Remote 10.0.0.0/8')).toEqual(['"SSH"#1@4 [22] from LocalSubnet']);
    expect(addRule("$Remote -ne ''", 'Add-Rule -Remote 3389')).toEqual(['"SSH"#1@4 [22] from unresolved 3389']);
    // An empty value may be $null ($null -ne '' holds), and 0 as a number equals '': both stay conditions.
    expect(addRule("$Remote -ne ''", 'Add-Rule')).toEqual(['"SSH"#1@4 [22] from LocalSubnet when !($Remote -ne \'\')', '"SSH"#2@4 [22] from unresolved  when $Remote -ne \'\'']);
    expect(addRule("$Remote -eq ''", 'Add-Rule -Remote 0')).toEqual(['"SSH"#1@4 [22] from LocalSubnet when !($Remote -eq \'\')', '"SSH"#2@4 [22] from unresolved 0 when $Remote -eq \'\'']);
    // At the top level the branch stays a condition, each side with its value; a plain copy is read too.
    expect(psRulesOf("$Remote = 'any'", "$ip = 'localsubnet'", 'if ($Remote) { $ip = $Remote }', SSH.trim())).toEqual(['"SSH"#1@4 [22] from LocalSubnet when !$Remote', '"SSH"#2@4 [22] from Any when $Remote']);
    expect(psRulesOf("$Remote = 'any'", '$ip = $Remote', SSH.trim())).toEqual(['"SSH"#1@3 [22] from Any']);
    expect(psRulesOf('$ip = $Unset', SSH.trim())).toEqual(['"SSH"#1@2 [22] from unresolved $ip']);
  });

  it('a function\'s own variables stay its own; $script: ones outlive the call', () => {
    const use = 'netsh advfirewall firewall add rule name=R dir=in action=allow protocol=TCP localport=22 remoteip=$cidr';
    expect(psRulesOf('$cidr = "10.0.0.0/8"', 'function Set-Open { $cidr = "any" }', 'Set-Open', use)).toEqual(['"R"#1@4 [22] from 10.0.0.0/8']);
    expect(psRulesOf('$cidr = "10.0.0.0/8"', 'function Set-Open { $script:cidr = "any" }', 'Set-Open', use)).toEqual(['"R"#1@4 [22] from Any']);
    expect(psRulesOf('function Set-Open { $env:cidr = "any" }', 'Set-Open', use.replace('$cidr', '$env:cidr'))).toEqual(['"R"#1@3 [22] from Any']);
    // A value fwlint does not compute for the script: unknown after the call.
    expect(psRulesOf('$cidr = "10.0.0.0/8"', 'function Set-Open { $global:cidr = "any" }', 'Set-Open', use)).toEqual(['"R"#1@4 [22] from unresolved $cidr']);
    // Inside, the function reads the caller's variables and its own.
    expect(psRulesOf('$cidr = "10.0.0.0/8"', 'function Open-Ssh {', '  $port = 22', `  ${use.replace('localport=22', 'localport=$port')}`, '}', 'Open-Ssh')).toEqual([
      '"R"#1@4 [22] from 10.0.0.0/8',
    ]);
  });

  it('does not follow recursion, a call before the definition or a list it cannot read; a use it does not follow keeps the body where written', () => {
    const recursive = ['function Open-Port($Port) {', PORT, '  Open-Port 23', '}', 'Open-Port 22'];
    expect(psDiagnosticsOf(...recursive)).toEqual([['parse/netsh-call-not-followed', 3]]);
    // Read where written, the body's own call is followed there, as a cmd subroutine's is.
    expect(psRulesOf(...recursive)).toEqual([
      '"P$Port"#1@2 [] from unresolved $Cidr when Open-Port is called',
      '"P23"#1@2 [23] from unresolved $Cidr when Open-Port is called',
      '"P22"#1@2 [22] from unresolved $Cidr',
    ]);
    // Called before it is defined (PowerShell fails there) and called after: the body is read where written too.
    expect(psRulesOf('Open-Rdp', 'function Open-Rdp {', RDP, '}', 'Open-Rdp')).toEqual(['"RDP"#1@3 [3389] from Any when Open-Rdp is called', '"RDP"#2@3 [3389] from Any']);
    // Run another way fwlint does not follow.
    expect(psRulesOf('function Open-Rdp {', RDP, '}', 'Open-Rdp', 'Invoke-Command -ComputerName web1 -ScriptBlock ${function:Open-Rdp}')).toEqual([
      '"RDP"#1@2 [3389] from Any when Open-Rdp is called',
      '"RDP"#2@2 [3389] from Any',
    ]);
    const unreadable = ['function Open-Port {', '  param($Port = (Get-Default)', PORT, '}', 'Open-Port 22'];
    expect(psDiagnosticsOf(...unreadable)).toEqual([['parse/netsh-call-not-followed', 5]]);
    // Nested 9 deep: the ninth call (`F8` in F7, line 8) is not followed.
    const chain = Array.from({ length: 9 }, (_, index) => `function F${index} { F${index + 1} }`);
    expect(psDiagnosticsOf(...chain, 'function F9 {', RDP, '}', 'F0')).toEqual([['parse/netsh-call-not-followed', 8]]);
  });

  it('a fwlint:ignore comment above the netsh line in the function applies to the rules of its calls', () => {
    const ignore = '  # fwlint:ignore FW101 reason="jump host, reviewed"';
    const script = ['function Open-Port($Port, $Cidr = "any") {', ignore, PORT, '}', 'Open-Port 3389', 'Open-Port 22', RDP.trim().replace('3389', '3390')];
    const findings = scanFiles({ 'h.ps1': script.join('\r\n') }).findings;
    expect(findings.map((finding) => [finding.checkId, finding.location.range.startLine, finding.suppression?.kind])).toEqual([['FW101', 3, 'inSource'], ['FW101', 7, undefined]]);
  });
});

/** The commands a script reads with a call line budget of `budget`, as `name=… localport=…@line when …`, and its warnings. */
function readWithBudget(file: string, budget: number, ...lines: string[]): { commands: string[]; warnings: Array<[string, number | undefined]> } {
  const reading = readNetshScript(lines, file, file.endsWith('.ps1') ? 'powershell' : 'cmd', budget);
  return {
    commands: reading.commands.map((command) => {
      const args = command.args.filter((arg) => /^(?:name|localport|remoteip)=/.test(arg.text)).map((arg) => arg.text).join(' ');
      return `${args}@${command.location.startLine}${command.conditions === undefined ? '' : ` when ${command.conditions.join(' and ')}`}`;
    }),
    warnings: reading.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine]),
  };
}

describe('calls past the line budget, and scripts whose calls cannot be settled: every call read once (readNetshScript)', () => {
  const ADD = 'netsh advfirewall firewall add rule';
  it('a cmd call that does not fit is not followed at all: none of its commands or variables, its subroutine read where written', () => {
    const script = ['call :a 1', 'call :a 2', 'call :b 3', `${ADD} name=After remoteip=%NET%`, 'call :a 4', 'exit /b',
      ':a', `${ADD} name=A%1 localport=%1`, 'exit /b', ':b', 'set NET=any', 'call :a 5', `${ADD} name=B localport=%1`, 'exit /b'];
    // Before: `call :b 3` was followed as far as the budget went (its `call :a 5` gave A5, its `set` NET=any) and :b
    // was read where written too, so A5 and B were read twice.
    expect(readWithBudget('h.cmd', 6, ...script)).toEqual({
      commands: ['name=A1 localport=1@8', 'name=A2 localport=2@8', 'name=After remoteip=%NET%@4', 'name=A%1 localport=%1@8 when :a is reached',
        'name=B localport=%1@13 when :b is reached'],
      // One warning, at the first call that does not fit.
      warnings: [['parse/netsh-call-not-followed', 3]],
    });
    // With room for all, every call is followed.
    expect(readWithBudget('h.cmd', 20, ...script).commands).toEqual(['name=A1 localport=1@8', 'name=A2 localport=2@8', 'name=A5 localport=5@8',
      'name=B localport=3@13', 'name=After remoteip=any@4', 'name=A4 localport=4@8']);
  });

  it('a PowerShell call that does not fit is not followed, nor the calls in it: each function is read where written once', () => {
    const script = ['function Open-A($Port) {', `  ${ADD} name="A$Port" localport=$Port`, '}', 'function Open-B {', '  $script:net = "any"', '  Open-A 5',
      `  ${ADD} name=B localport=6`, '}', 'Open-A 1', 'Open-B', `${ADD} name=After remoteip=$net`, 'Open-A 4'];
    expect(readWithBudget('p.ps1', 20, ...script).commands).toEqual(['name=A1 localport=1@2', 'name=A5 localport=5@2', 'name=B localport=6@7',
      'name=After remoteip=any@11', 'name=A4 localport=4@2']);
    // Open-B does not fit, so it is read where written (above the calls), as when called: the Open-A 5 in it is followed
    // there and spends the budget, so Open-A 1 and Open-A 4 are not followed (one warning, at the first), and Open-A's
    // body where written stands for them. $net is "any" only where Open-B is called.
    expect(readWithBudget('p.ps1', 7, ...script)).toEqual({
      commands: ['name=A$Port localport=$Port@2 when Open-A is called', 'name=A5 localport=5@2 when Open-B is called', 'name=B localport=6@7 when Open-B is called',
        'name=After remoteip=$net@11 when !(Open-B is called)', 'name=After remoteip=any@11 when Open-B is called'],
      warnings: [['parse/netsh-call-not-followed', 9]],
    });
  });

  it('a subroutine read where written because a call of it is not followed, holding calls that are not followed either, is read once', () => {
    const delete_ = `netsh advfirewall firewall delete rule name=B ||`;
    const chain = (depth: number): string[] => Array.from({ length: depth }, (_, index) => [`:f${index + 1}`, `${delete_} call :f${index + 2}`, 'exit /b']).flat();
    const script = (depth: number): string[] => ['call :open 22', `${ADD} name=B localport=80`, 'if errorlevel 1 call :f1', 'exit /b',
      ':open', `${ADD} name=Open localport=%1`, 'exit /b', ...chain(depth), `:f${depth + 1}`, 'exit /b'];
    // Before: the third reading read every subroutine where written and followed the calls too: Open twice.
    expect(readWithBudget('h.cmd', 20_000, ...script(2))).toEqual({
      commands: ['name=Open localport=22@6', 'name=B localport=80@2', 'name=B@9 when :f1 is reached', 'name=B@12 when :f2 is reached'],
      warnings: [],
    });
    // PowerShell: Open-A's one call is in Main, which is run in a way fwlint does not follow, so Main is read where written;
    // the call there is followed. Before, Open-A was read where written too (its call had not been seen followed).
    expect(readWithBudget('p.ps1', 20_000, `function Open-A { ${ADD} name=A localport=1 }`, 'function Main {', '  Open-A', '}',
      'Invoke-Command -ScriptBlock ${function:Main}').commands).toEqual(['name=A localport=1@1 when Main is called']);
    // A chain longer than the readings: no call is followed, each subroutine read where written once, with a warning.
    expect(readWithBudget('h.cmd', 20_000, ...script(4))).toEqual({
      commands: ['name=B localport=80@2', 'name=Open localport=%1@6 when :open is reached', 'name=B@9 when :f1 is reached', 'name=B@12 when :f2 is reached',
        'name=B@15 when :f3 is reached', 'name=B@18 when :f4 is reached'],
      warnings: [['parse/netsh-call-not-followed', 15]],
    });
  });
});

describe('a command that runs another script file: not followed, with a warning at it (parse/netsh-script-not-followed)', () => {
  const RDP = 'netsh advfirewall firewall add rule name=RDP dir=in action=allow protocol=TCP localport=3389 remoteip=10.0.0.0/8';
  const warnings = (file: string, ...lines: string[]): Array<[string, number | undefined, string]> => parseNetshText(lines.join('\r\n'), file).diagnostics
    .map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine, /runs the script "([^"]*)"/.exec(diagnostic.message)?.[1] ?? diagnostic.message]);

  it('cmd: call other.cmd, a batch file run without call, powershell -File; the script\'s own rules are read as before', () => {
    // Before: no warning; the rules other.cmd adds were silently missing from this host.
    const script = [RDP, 'call other.cmd 22', 'if "%1"=="prod" call "%~dp0hardening.bat"', 'rules.cmd', 'powershell -ExecutionPolicy Bypass -File "%~dp0setup.ps1"'];
    expect(warnings('h.cmd', ...script)).toEqual([
      ['parse/netsh-script-not-followed', 2, 'other.cmd'],
      ['parse/netsh-script-not-followed', 3, '%~dp0hardening.bat'],
      ['parse/netsh-script-not-followed', 4, 'rules.cmd'],
      ['parse/netsh-script-not-followed', 5, '%~dp0setup.ps1'],
    ]);
    expect(onlyTarget(parseNetshText(script.join('\r\n'), 'h.cmd')).rules.map((rule) => rule.resourceAddress)).toEqual(['"RDP"#1']);
    // `call :label` is a subroutine of this script; `call` of a program is no script.
    expect(warnings('h.cmd', RDP, 'call :done', 'call reg.exe add HKLM\\x', 'exit /b', ':done', 'exit /b')).toEqual([]);
  });

  it('PowerShell: & .\\other.ps1, dot-sourcing . .\\lib.ps1, .\\other.ps1, also inside a function or cmd /c', () => {
    expect(warnings('p.ps1', RDP, '. .\\lib.ps1', '& "$PSScriptRoot\\other.ps1" -Port 3389', '.\\other.ps1', 'function Setup { & .\\more.ps1 }', 'Setup',
      'cmd /c "call legacy.cmd"')).toEqual([
      ['parse/netsh-script-not-followed', 2, '.\\lib.ps1'],
      ['parse/netsh-script-not-followed', 3, '$PSScriptRoot\\other.ps1'],
      ['parse/netsh-script-not-followed', 4, '.\\other.ps1'],
      ['parse/netsh-script-not-followed', 5, '.\\more.ps1'],
      ['parse/netsh-script-not-followed', 7, 'legacy.cmd'],
    ]);
  });

  it('a script without firewall commands (a build script calling others) is no host: no warning', () => {
    expect(warnings('build.cmd', 'call mvnw.cmd package', 'call other.cmd')).toEqual([]);
    expect(warnings('build.ps1', '& .\\build-tools.ps1')).toEqual([]);
  });
});
