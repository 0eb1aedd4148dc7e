import { describePeer } from '../../../src/model';
import type { Rule } from '../../../src/model';
import { onlyTarget, parseNetshText } from './netsh-test-helpers';

const ADD_RDP = 'netsh advfirewall firewall add rule name="RDP" dir=in action=allow protocol=tcp localport=3389';
const DELETE_RDP = 'netsh advfirewall firewall delete rule name="RDP"';
const NARROW_RDP = 'netsh advfirewall firewall set rule name="RDP" new remoteip=10.0.0.0/8';

function line(rule: Rule): string {
  const when = rule.branch === undefined ? '' : ` when ${rule.branch}`;
  return `${rule.resourceAddress} [${rule.ports.toString()}] from ${describePeer(rule.peer)}${when}`;
}

/** The rules a script leaves, one line each: address, ports, peer and the condition they exist under. */
function rulesOf(path: string, ...lines: string[]): string[] {
  return onlyTarget(parseNetshText(lines.join('\r\n'), path)).rules.map(line);
}

describe('netsh scripts: commands under conditions (script-flow.ts)', () => {
  describe('a delete that may not run leaves the rule where it does not', () => {
    it.each([
      ['cmd one-line if', 'h.cmd', [ADD_RDP, `if "%1"=="prod" ${DELETE_RDP}`], '!("%1"=="prod")'],
      ['cmd if not', 'h.cmd', [ADD_RDP, `if not "%1"=="dev" ${DELETE_RDP}`], '"%1"=="dev"'],
      ['cmd if /i with spaced ==', 'h.cmd', [ADD_RDP, `if /i "%1" == "prod" ${DELETE_RDP}`], '!("%1" == "prod")'],
      ['cmd if exist', 'h.cmd', [ADD_RDP, `if exist C:\\prod.flag ${DELETE_RDP}`], '!(exist C:\\prod.flag)'],
      ['cmd if block', 'h.cmd', [ADD_RDP, 'if "%1"=="prod" (', `  ${DELETE_RDP}`, ')'], '!("%1"=="prod")'],
      ['cmd else block', 'h.cmd', [ADD_RDP, 'if "%1"=="dev" (', '  echo dev', ') else (', `  ${DELETE_RDP}`, ')'], '"%1"=="dev"'],
      ['cmd &&', 'h.cmd', [ADD_RDP, `ver | find "10.0" >nul && ${DELETE_RDP}`], '!(ver | find "10.0" >nul succeeds)'],
      ['cmd ||', 'h.cmd', [ADD_RDP, `ver | find "10.0" >nul || ${DELETE_RDP}`], 'ver | find "10.0" >nul succeeds'],
      ['cmd for … do', 'h.cmd', [ADD_RDP, `for /f %%a in ('hostname') do ${DELETE_RDP}`], "!(for /f %%a in ('hostname') runs)"],
      ['cmd label reached only by call after exit /b', 'h.cmd', ['@echo off', ADD_RDP, 'exit /b 0', '', ':uninstall', DELETE_RDP], '!(:uninstall is reached)'],
      ['cmd label after goto :eof', 'h.cmd', [ADD_RDP, 'goto :eof', ':Remove', DELETE_RDP], '!(:remove is reached)'],
      ['cmd lines a conditional goto skips', 'h.cmd', [ADD_RDP, 'if "%1"=="keep" goto done', DELETE_RDP, ':done'], '"%1"=="keep"'],
      ['cmd lines after a conditional exit', 'h.cmd', [ADD_RDP, 'findstr /i prod C:\\env.txt', 'if errorlevel 1 exit /b 1', DELETE_RDP], 'errorlevel 1'],
      // Regression: the quotes of `""` left `%1==` in the word, so `exit` was read as the comparison's other side.
      ['cmd lines after an exit on an empty argument', 'h.cmd', [ADD_RDP, 'if "%~1"=="" exit /b 1', DELETE_RDP], '"%~1"==""'],
      ['cmd lines after a goto :eof on an empty argument', 'h.cmd', [ADD_RDP, 'if "%1"=="" goto :eof', DELETE_RDP], '"%1"==""'],
      ['cmd exit-code test after a command that is not a firewall command', 'h.cmd', [ADD_RDP, 'findstr /i prod C:\\env.txt', 'echo checked', 'if %ERRORLEVEL% neq 0 goto done', DELETE_RDP, ':done'], '%ERRORLEVEL% neq 0'],
      ['PowerShell one-line if', 'p.ps1', [ADD_RDP, `if ($Prod) { ${DELETE_RDP} }`], '!$Prod'],
      ['PowerShell if with the brace on the next line', 'p.ps1', [ADD_RDP, 'if ($Mode -eq "prod")', '{', `    ${DELETE_RDP}`, '}'], '!($Mode -eq "prod")'],
      ['PowerShell else', 'p.ps1', [ADD_RDP, 'if ($Dev) {', '  Write-Host dev', '}', 'else {', `  ${DELETE_RDP}`, '}'], '$Dev'],
      ['PowerShell function', 'p.ps1', [ADD_RDP, 'function Remove-Rdp {', `  ${DELETE_RDP}`, '}'], '!(Remove-Rdp is called)'],
      ['PowerShell foreach', 'p.ps1', [ADD_RDP, 'foreach ($h in $hosts) {', `  ${DELETE_RDP}`, '}'], '!(foreach ($h in $hosts) runs)'],
      ['PowerShell switch case', 'p.ps1', [ADD_RDP, 'switch ($Mode) {', `  'prod' { ${DELETE_RDP} }`, '}'], "!(switch ($Mode) runs) or (switch ($Mode) runs and !('prod' runs))"],
      ['PowerShell lines after a conditional exit', 'p.ps1', [ADD_RDP, 'if (-not $Admin) { exit 1 }', DELETE_RDP], '-not $Admin'],
      ['PowerShell lines after a conditional return at the top', 'p.ps1', [ADD_RDP, 'if ($Skip) {', '  return', '}', DELETE_RDP], '$Skip'],
      // QA 16/02: a `return` in a script block run at once ends the block as a top-level one ends the script.
      ['PowerShell lines after a conditional return in & { }', 'p.ps1', [ADD_RDP, '& {', '  if ($Skip) { return }', `  ${DELETE_RDP}`, '}'], '$Skip'],
      ['PowerShell lines after a conditional return in a local Invoke-Command block', 'p.ps1', [ADD_RDP, 'Invoke-Command -ScriptBlock {', '  if ($Skip) { return }', `  ${DELETE_RDP}`, '}'], '$Skip'],
      ['PowerShell lines after a return in . { }', 'p.ps1', [ADD_RDP, '. {', '  return', `  ${DELETE_RDP}`, '}'], '!(line 4 is reached)'],
      ['PowerShell lines after a return in try in & { }', 'p.ps1', [ADD_RDP, '& { try { return } finally { }', `  ${DELETE_RDP} }`], '!(line 3 is reached)'],
      ['PowerShell lines after a break in & { }', 'p.ps1', [ADD_RDP, `& { if ($Skip) { break }; ${DELETE_RDP} }`], '$Skip'],
      // about_Break: outside a loop or switch, `break`/`continue` end the script, through script blocks run at once too.
      ['PowerShell lines after a break in & { }, outside it', 'p.ps1', [ADD_RDP, '& { if ($Skip) { break } }', DELETE_RDP], '$Skip'],
      ['PowerShell lines after a break at the top', 'p.ps1', [ADD_RDP, 'break', DELETE_RDP], '!(line 3 is reached)'],
      ['PowerShell lines after a conditional continue at the top', 'p.ps1', [ADD_RDP, 'if ($Skip) { continue }', DELETE_RDP], '$Skip'],
      ['PowerShell lines after a break in . { } in an if', 'p.ps1', [ADD_RDP, 'if ($Skip) {', '  . { break }', '}', DELETE_RDP], '$Skip'],
      // A trap whose block breaks rethrows the error: the throw still ends the script.
      ['PowerShell lines after a throw under a trap that breaks', 'p.ps1', [ADD_RDP, 'trap { Write-Warning $_; break }', 'throw "x"', DELETE_RDP], '!(line 4 is reached)'],
      ['PowerShell lines after a throw', 'p.ps1', [ADD_RDP, 'throw "not supported"', DELETE_RDP], '!(line 3 is reached)'],
      ['PowerShell lines after a conditional throw', 'p.ps1', [ADD_RDP, 'if (-not $Admin) { throw "run as admin" }', DELETE_RDP], '-not $Admin'],
      ['PowerShell lines after a throw in & { }', 'p.ps1', [ADD_RDP, '& { if ($Bad) { throw "bad" } }', DELETE_RDP], '$Bad'],
    ])('%s', (_name, path, lines, condition) => {
      const rules = rulesOf(path, ...lines);
      const whens = rules.map((rule) => rule.slice(rule.indexOf(' when ') + ' when '.length));
      expect(rules.every((rule) => rule.startsWith('"RDP"#') && rule.includes('[3389] from Any when '))).toBe(true);
      expect(whens.length === 1 ? whens[0] : `${whens[0]} or (${whens.slice(1).join(') or (')})`).toBe(condition);
    });

    it('removes the rule when the delete runs whenever the script does (valid)', () => {
      expect(rulesOf('h.cmd', ADD_RDP, DELETE_RDP)).toEqual([]);
      expect(rulesOf('h.cmd', ADD_RDP, 'if "%1"=="prod" (echo prod) else (echo dev)', DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'try {', `  ${DELETE_RDP}`, '} finally { Write-Host done }')).toEqual([]);
      // `return` in a script block or loop leaves only that.
      expect(rulesOf('p.ps1', ADD_RDP, '$hosts | ForEach-Object { if ($_ -eq "x") { return } }', DELETE_RDP)).toEqual([]);
      // A `return` in a block run at once ends the block alone; a `throw` in `try` goes to its `catch`.
      expect(rulesOf('p.ps1', ADD_RDP, '& { return }', DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'Invoke-Command { if ($Skip) { return } }', DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'try { throw "x" } catch { Write-Warning $_ }', DELETE_RDP)).toEqual([]);
      // `break` in a loop or switch (also through & { } in the loop) ends only that; one in a function, only the call.
      expect(rulesOf('p.ps1', ADD_RDP, 'foreach ($p in 1, 2) { if ($p -eq 2) { break } }', DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'while ($true) { & { break } }', DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, "switch ($Mode) { 'a' { break } }", DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'function Stop-Here { break }', DELETE_RDP)).toEqual([]);
      // A trap without break takes a terminating error and the script goes on, wherever the trap is written.
      expect(rulesOf('p.ps1', ADD_RDP, 'throw "x"', DELETE_RDP, 'trap { Write-Warning $_; continue }')).toEqual([]);
      expect(rulesOf('p.ps1', 'trap [System.Exception] {', '  Write-Warning "failed"', '}', ADD_RDP, 'throw "x"', DELETE_RDP)).toEqual([]);
      // Falling through into a label: the lines after it run.
      expect(rulesOf('h.cmd', 'goto main', ':usage', 'echo usage', 'exit /b 1', ':main', ADD_RDP, DELETE_RDP)).toEqual([]);
      expect(rulesOf('h.cmd', ADD_RDP, 'if "%1"=="keep" goto done', 'echo x', ':done', DELETE_RDP)).toEqual([]);
    });

    it('judges the path on which the firewall commands succeed: error handling after them is not a condition', () => {
      // Each script exits or jumps only when a netsh command failed; on the path judged, the delete runs.
      expect(rulesOf('h.cmd', ADD_RDP, 'if errorlevel 1 exit /b 1', DELETE_RDP)).toEqual([]);
      expect(rulesOf('h.cmd', `${ADD_RDP} || exit /b 2`, DELETE_RDP)).toEqual([]);
      expect(rulesOf('h.cmd', ADD_RDP, 'echo added', 'if %ERRORLEVEL% neq 0 goto :fail', DELETE_RDP, 'exit /b 0', ':fail', 'echo failed')).toEqual([]);
      expect(rulesOf('h.cmd', ADD_RDP, 'if errorlevel 1 (', '  echo failed', '  exit /b 1', ')', DELETE_RDP)).toEqual([]);
      expect(rulesOf('h.cmd', `${ADD_RDP} && ${DELETE_RDP}`)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'if ($LASTEXITCODE -ne 0) { exit 1 }', DELETE_RDP)).toEqual([]);
      expect(rulesOf('p.ps1', ADD_RDP, 'if (-not $?) { exit 1 }', DELETE_RDP)).toEqual([]);
      // QA 4/09: `$LASTEXITCODE` alone is the test; `netsh … && echo ok || ( … )` runs the block when netsh failed.
      expect(rulesOf('p.ps1', ADD_RDP, 'if ($LASTEXITCODE) { return }', DELETE_RDP)).toEqual([]);
      expect(rulesOf('h.cmd', `${ADD_RDP} && echo ok || (echo failed & exit /b 1)`, DELETE_RDP)).toEqual([]);
      // After another command the same form is a condition: the delete runs only when findstr found it.
      expect(rulesOf('h.cmd', ADD_RDP, 'findstr prod C:\\env.txt && echo found || exit /b 1', DELETE_RDP)).toEqual(['"RDP"#1 [3389] from Any when !(findstr prod C:\\env.txt succeeds)']);
      // A rule added only when a netsh command failed exists only then.
      expect(rulesOf('h.cmd', `${DELETE_RDP} || ${ADD_RDP}`)).toEqual([`"RDP"#1 [3389] from Any when !(${DELETE_RDP} succeeds)`]);
    });

    it('removes a rule added under a condition by a delete under the same one', () => {
      expect(rulesOf('h.cmd', `if "%1"=="dev" ${ADD_RDP}`, `if "%1"=="dev" ${DELETE_RDP}`)).toEqual([]);
      expect(rulesOf('p.ps1', 'if ($Dev) {', `  ${ADD_RDP}`, `  ${DELETE_RDP}`, '}')).toEqual([]);
    });

    it('keeps a rule whose delete runs only where the rule does not exist', () => {
      expect(rulesOf('h.cmd', `if "%1"=="dev" (${ADD_RDP}) else (${DELETE_RDP})`)).toEqual(['"RDP"#1 [3389] from Any when "%1"=="dev"']);
    });

    it('still does not read echo (netsh …) as a command', () => {
      expect(rulesOf('h.cmd', ADD_RDP, `echo (${DELETE_RDP})`)).toEqual(['"RDP"#1 [3389] from Any']);
    });
  });

  describe('a set that may not run splits the rule into the changed and the unchanged one', () => {
    it('cmd if block (QA 13, h.cmd)', () => {
      expect(rulesOf('h.cmd', ADD_RDP, 'if "%1"=="prod" (', `  ${NARROW_RDP}`, ')')).toEqual([
        '"RDP"#1 [3389] from Any when !("%1"=="prod")',
        '"RDP"#2 [3389] from 10.0.0.0/8 when "%1"=="prod"',
      ]);
    });

    it('PowerShell if/elseif/else: one rule per case', () => {
      expect(rulesOf('p.ps1', ADD_RDP, 'if ($Mode -eq "a") {', `  ${DELETE_RDP}`, '} elseif ($Mode -eq "b") {', `  ${NARROW_RDP}`, '} else {',
        '  netsh advfirewall firewall set rule name="RDP" new localport=3390', '}')).toEqual([
        '"RDP"#1 [3390] from Any when !($Mode -eq "a") and !($Mode -eq "b")',
        '"RDP"#2 [3389] from 10.0.0.0/8 when !($Mode -eq "a") and $Mode -eq "b"',
      ]);
    });

    it('changes the rule in place when the set runs whenever the rule exists (valid)', () => {
      expect(rulesOf('h.cmd', ADD_RDP, NARROW_RDP)).toEqual(['"RDP"#1 [3389] from 10.0.0.0/8']);
      expect(rulesOf('h.cmd', `if "%1"=="dev" ${ADD_RDP}`, `if "%1"=="dev" ${NARROW_RDP}`)).toEqual(['"RDP"#1 [3389] from 10.0.0.0/8 when "%1"=="dev"']);
    });

    it('past the copies one rule may be split into, makes the changed value unknown (FW303), never the new one alone', () => {
      const sets = Array.from({ length: 20 }, (_, index) => `if "%${index % 9 + 1}"=="x${index}" netsh advfirewall firewall set rule name="RDP" new remoteip=10.${index}.0.0/16`);
      const rules = onlyTarget(parseNetshText([ADD_RDP, ...sets].join('\n'), 'h.cmd')).rules;
      expect(rules).toHaveLength(17);
      // The rule in the case where no set ran is Any, or else unknown: never narrowed for certain.
      const untouched = rules.find((rule) => !rule.branch!.split(' and ').some((literal) => literal.startsWith('"')))!;
      expect(untouched.peer).toEqual({ kind: 'unknown', expr: '10.19.0.0/16 or as before (the set rule on line 21 may not run)' });
    });

    it('renames only the changed copy, and past the copies keeps the name', () => {
      expect(rulesOf('h.cmd', ADD_RDP, 'if "%1"=="prod" netsh advfirewall firewall set rule name="RDP" new name="RDP-old"')).toEqual([
        '"RDP"#1 [3389] from Any when !("%1"=="prod")',
        '"RDP-old"#1 [3389] from Any when "%1"=="prod"',
      ]);
      const sets = Array.from({ length: 20 }, (_, index) => `if "%${index % 9 + 1}"=="x${index}" netsh advfirewall firewall set rule name="RDP" new remoteip=10.${index}.0.0/16`);
      const rename = 'if "%1"=="last" netsh advfirewall firewall set rule name="RDP" new name="Other"';
      const names = onlyTarget(parseNetshText([ADD_RDP, ...sets, rename].join('\n'), 'h.cmd')).rules.map((rule) => rule.resourceAddress);
      expect(names.every((name) => name.startsWith('"RDP"#'))).toBe(true);
    });

    it('applies a fwlint:ignore above the add to the copies a conditional set makes', () => {
      const result = parseNetshText(['REM fwlint:ignore FW101 reason="lab" expires=2099-01-01', ADD_RDP, `if "%1"=="prod" ${NARROW_RDP}`].join('\n'), 'h.cmd');
      expect(result.annotations[0]!.ruleIds).toEqual(['"RDP"#1/0', '"RDP"#2/0']);
    });
  });

  describe('a variable assigned under a condition has each value under its case, never the one value (QA 12)', () => {
    const ADD_RDP_FROM = (reference: string) => `${ADD_RDP} remoteip=${reference}`;
    it.each([
      ['cmd if … set', 'h.cmd', ['set CIDR=10.0.0.0/8', 'if "%1"=="dev" set CIDR=any', ADD_RDP_FROM('%CIDR%')], '"%1"=="dev"'],
      ['cmd … && set', 'h.cmd', ['set CIDR=10.0.0.0/8', 'ver | find "10.0" >nul && set CIDR=any', ADD_RDP_FROM('%CIDR%')], 'ver | find "10.0" >nul succeeds'],
      ['cmd set after a label', 'h.cmd', ['set CIDR=10.0.0.0/8', 'goto main', ':dev', 'set CIDR=any', ':main', ADD_RDP_FROM('%CIDR%')], ':dev is reached'],
      ['cmd !VAR! with delayed expansion', 'h.cmd', ['setlocal enabledelayedexpansion', 'set CIDR=10.0.0.0/8', 'if "%1"=="dev" (', '  set "CIDR=any"', ')', ADD_RDP_FROM('!cidr!')], '"%1"=="dev"'],
      ['PowerShell if { $x = … }', 'p.ps1', ['$cidr = "10.0.0.0/8"', 'if ($Dev) { $cidr = "any" }', ADD_RDP_FROM('$cidr')], '$Dev'],
      ['PowerShell assignment in an if block', 'p.ps1', ['$cidr = "10.0.0.0/8"', 'if ($Dev) {', "  $CIDR = 'any'", '}', ADD_RDP_FROM('"$cidr"')], '$Dev'],
      ['PowerShell $script: in a function called under a condition', 'p.ps1', ['$cidr = "10.0.0.0/8"', 'function Open-Dev { $script:cidr = "any" }', 'if ($Dev) { Open-Dev }', ADD_RDP_FROM('$cidr')], '$Dev'],
    ])('%s', (_name, path, lines, condition) => {
      expect(rulesOf(path, ...lines)).toEqual([
        `"RDP"#1 [3389] from 10.0.0.0/8 when ${condition.startsWith('$') ? `!${condition}` : `!(${condition})`}`,
        `"RDP"#2 [3389] from Any when ${condition}`,
      ]);
    });

    it('cmd set in an if block narrowing an open value (QA 12, if-block.cmd)', () => {
      expect(rulesOf('h.cmd', 'set CIDR=any', 'if /i "%1"=="prod" (', '  set CIDR=10.0.0.0/8', ')', ADD_RDP_FROM('%CIDR%'))).toEqual([
        '"RDP"#1 [3389] from Any when !("%1"=="prod")',
        '"RDP"#2 [3389] from 10.0.0.0/8 when "%1"=="prod"',
      ]);
    });

    it('leaves the case where the script never set the variable unknown', () => {
      expect(rulesOf('h.cmd', 'if "%1"=="dev" set CIDR=any', ADD_RDP_FROM('%CIDR%'))).toEqual([
        '"RDP"#1 [3389] from unresolved %CIDR% when !("%1"=="dev")',
        '"RDP"#2 [3389] from Any when "%1"=="dev"',
      ]);
    });

    it('uses only the cases that can hold where the command runs', () => {
      expect(rulesOf('h.cmd', 'set CIDR=10.0.0.0/8', 'if "%1"=="dev" set CIDR=any', `if "%1"=="dev" ${ADD_RDP_FROM('%CIDR%')}`)).toEqual(['"RDP"#1 [3389] from Any when "%1"=="dev"']);
    });

    it.each([
      ['PowerShell $global:', 'p.ps1', ['$cidr = "10.0.0.0/8"', '$global:cidr = "any"', ADD_RDP_FROM('$cidr')], 'from unresolved $cidr'],
      ['PowerShell computed value', 'p.ps1', ['$cidr = "10.0.0.0/8"', 'if ($Dev) { $cidr = Get-Cidr }', ADD_RDP_FROM('$cidr')], 'from unresolved $cidr when $Dev'],
      ['PowerShell assignment in a function\'s own scope', 'p.ps1', ['$cidr = "10.0.0.0/8"', 'function F { $cidr = "any" }', ADD_RDP_FROM('$cidr')], 'from unresolved $cidr when F is called'],
      ['cmd set /p', 'h.cmd', ['set CIDR=10.0.0.0/8', 'if "%1"=="ask" set /p CIDR=CIDR? ', ADD_RDP_FROM('%CIDR%')], 'from unresolved %CIDR% when "%1"=="ask"'],
    ])('makes a value it does not compute unknown: %s', (_name, path, lines, expected) => {
      expect(rulesOf(path, ...lines).filter((rule) => !rule.includes('from 10.0.0.0/8'))).toEqual([`"RDP"#${expected.includes(' when ') ? 2 : 1} [3389] ${expected}`]);
    });

    it('takes a value assigned after & whenever the script runs', () => {
      expect(rulesOf('h.cmd', 'set CIDR=10.0.0.0/8', 'echo x & set CIDR=any', ADD_RDP_FROM('%CIDR%'))).toEqual(['"RDP"#1 [3389] from Any']);
    });

    it('keeps a value assigned whenever the script runs (valid)', () => {
      expect(rulesOf('h.cmd', 'set CIDR=any', 'if "%1"=="dev" echo dev', ADD_RDP_FROM('%CIDR%'))).toEqual(['"RDP"#1 [3389] from Any']);
      expect(rulesOf('p.ps1', '$cidr = "10.0.0.0/8"', 'if ($Dev) { Write-Host dev }', ADD_RDP_FROM('$cidr'))).toEqual(['"RDP"#1 [3389] from 10.0.0.0/8']);
      expect(rulesOf('h.cmd', 'goto main', ':main', 'set CIDR=10.0.0.0/8', ADD_RDP_FROM('%CIDR%'))).toEqual(['"RDP"#1 [3389] from 10.0.0.0/8']);
      // The same value in every case is that value.
      expect(rulesOf('h.cmd', 'set CIDR=10.0.0.0/8', 'if "%1"=="dev" set CIDR=10.0.0.0/8', ADD_RDP_FROM('%CIDR%'))).toEqual(['"RDP"#1 [3389] from 10.0.0.0/8']);
    });

    it('past 8 cases, the variable is unknown (but for a later assignment, under its condition)', () => {
      const sets = Array.from({ length: 9 }, (_, index) => `if "%1"=="v${index}" set CIDR=10.${index}.0.0/16`);
      expect(rulesOf('h.cmd', 'set CIDR=any', ...sets, ADD_RDP_FROM('%CIDR%'))).toEqual([
        '"RDP"#1 [3389] from unresolved %CIDR% when !("%1"=="v8")',
        '"RDP"#2 [3389] from 10.8.0.0/16 when "%1"=="v8"',
      ]);
    });
  });

  describe('cmd expands %VAR% once when it reads a line or a ( … ) block, !VAR! at the command (QA 17 items 02, 09)', () => {
    const ADD_RDP_FROM = (reference: string) => `${ADD_RDP} remoteip=${reference}`;
    it.each([
      ['a set in an if block does not reach %VAR% later in it', ['set REMOTE=any', 'if exist site.cfg (', '  set REMOTE=10.20.0.0/16', `  ${ADD_RDP_FROM('%REMOTE%')}`, ')'],
        ['"RDP"#1 [3389] from Any when exist site.cfg']],
      ['nor in a for … do block', ['set REMOTE=any', 'for %%s in (a) do (', '  set REMOTE=10.20.0.0/16', `  ${ADD_RDP_FROM('%REMOTE%')}`, ')'], ['"RDP"#1 [3389] from Any']],
      ['nor in the else block after it', ['set REMOTE=10.0.0.0/8', 'if "%1"=="dev" (', '  echo dev', ') else (', '  set REMOTE=any', `  ${ADD_RDP_FROM('%REMOTE%')}`, ')'],
        ['"RDP"#1 [3389] from 10.0.0.0/8 when !("%1"=="dev")']],
      ['nor earlier on the same line', ['set REMOTE=10.0.0.0/8', `set REMOTE=any & ${ADD_RDP_FROM('%REMOTE%')}`], ['"RDP"#1 [3389] from 10.0.0.0/8']],
      ['a set before the block does', ['set REMOTE=10.0.0.0/8', 'if "%1"=="dev" (', `  ${ADD_RDP_FROM('%REMOTE%')}`, ')', 'set REMOTE=any'], ['"RDP"#1 [3389] from 10.0.0.0/8 when "%1"=="dev"']],
      ['and after the block, the value set in it', ['set REMOTE=10.0.0.0/8', 'if "%1"=="dev" (', '  set REMOTE=any', ')', ADD_RDP_FROM('%REMOTE%')],
        ['"RDP"#1 [3389] from 10.0.0.0/8 when !("%1"=="dev")', '"RDP"#2 [3389] from Any when "%1"=="dev"']],
      ['!VAR! sees the set in the block', ['setlocal enabledelayedexpansion', 'set REMOTE=any', 'if exist site.cfg (', '  set REMOTE=10.20.0.0/16', `  ${ADD_RDP_FROM('!REMOTE!')}`, ')'],
        ['"RDP"#1 [3389] from 10.20.0.0/16 when exist site.cfg']],
      ['%VAR% beside !VAR! in the block keeps the value from before it', ['setlocal enabledelayedexpansion', 'set REMOTE=10.0.0.0/8', 'if exist site.cfg (', '  set REMOTE=any',
        `  ${ADD_RDP_FROM('!REMOTE!')}`, `  netsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=tcp localport=22 remoteip=%REMOTE%`, ')'],
      ['"RDP"#1 [3389] from Any when exist site.cfg', '"SSH"#1 [22] from 10.0.0.0/8 when exist site.cfg']],
      ['a subroutine called in the block does not reach %VAR% later in it', ['set REMOTE=any', 'if exist site.cfg (', '  call :narrow', `  ${ADD_RDP_FROM('%REMOTE%')}`, ')', 'exit /b 0', ':narrow', 'set REMOTE=10.0.0.0/8', 'goto :eof'],
        ['"RDP"#1 [3389] from Any when exist site.cfg']],
    ])('%s', (_name, lines, expected) => {
      expect(rulesOf('h.cmd', ...lines)).toEqual(expected);
    });

    it.each([
      ['setlocal … endlocal at the top level restores the variables', ['set REMOTE=any', 'setlocal', 'set REMOTE=10.0.0.0/8', 'endlocal', ADD_RDP_FROM('%REMOTE%')], ['"RDP"#1 [3389] from Any']],
      ['and the expansion mode: !VAR! after endlocal is text', ['set REMOTE=any', 'setlocal enabledelayedexpansion', 'set REMOTE=10.0.0.0/8', ADD_RDP_FROM('!REMOTE!'), 'endlocal',
        'netsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=tcp localport=22 remoteip=%REMOTE%'], ['"RDP"#1 [3389] from 10.0.0.0/8', '"SSH"#1 [22] from Any']],
      ['nested: each endlocal ends one setlocal', ['set REMOTE=any', 'setlocal', 'set REMOTE=10.0.0.0/8', 'setlocal', 'set REMOTE=192.168.0.0/16', 'endlocal', ADD_RDP_FROM('%REMOTE%')], ['"RDP"#1 [3389] from 10.0.0.0/8']],
      ['endlocal & set keeps the value cmd expanded before the endlocal', ['set REMOTE=any', 'setlocal', 'set REMOTE=10.0.0.0/8', 'endlocal & set REMOTE=%REMOTE%', ADD_RDP_FROM('%REMOTE%')], ['"RDP"#1 [3389] from 10.0.0.0/8']],
      ['setlocal disabledelayedexpansion turns !VAR! off until its endlocal', ['setlocal enabledelayedexpansion', 'set REMOTE=10.0.0.0/8', 'setlocal disabledelayedexpansion', 'endlocal', ADD_RDP_FROM('!REMOTE!')], ['"RDP"#1 [3389] from 10.0.0.0/8']],
    ])('%s', (_name, lines, expected) => {
      expect(rulesOf('h.cmd', ...lines)).toEqual(expected);
    });

    it('leaves !VAR! as text after endlocal ends delayed expansion', () => {
      const result = parseNetshText(['setlocal enabledelayedexpansion', 'set REMOTE=10.0.0.0/8', 'endlocal', ADD_RDP_FROM('!REMOTE!')].join('\r\n'), 'h.cmd');
      expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toContain('parse/netsh-bad-value');
    });
  });

  describe('loops over literal lists run once per item (QA 11a)', () => {
    const ADD_PORT = (reference: string) => `netsh advfirewall firewall add rule name=p${reference} dir=in action=allow protocol=tcp localport=${reference}`;
    it.each([
      ['cmd one-line for', 'h.cmd', [`for %%p in (22 445) do ${ADD_PORT('%%p')}`], ['p22 [22]', 'p445 [445]']],
      ['cmd for with a block', 'h.cmd', ['for %%p in (23,139) do (', `  ${ADD_PORT('%%p')}`, ')'], ['p23 [23]', 'p139 [139]']],
      ['cmd for /l', 'h.cmd', [`for /l %%p in (5000,2,5004) do ${ADD_PORT('%%p')}`], ['p5000 [5000]', 'p5002 [5002]', 'p5004 [5004]']],
      ['cmd nested for', 'h.cmd', ['for %%a in (1 2) do for %%b in (0 5) do netsh advfirewall firewall add rule name=p%%a%%b dir=in action=allow protocol=tcp localport=%%a%%b'], ['p10 [10]', 'p15 [15]', 'p20 [20]', 'p25 [25]']],
      ['PowerShell foreach', 'p.ps1', [`foreach ($p in 22, 445) { ${ADD_PORT('$p')} }`], ['p22 [22]', 'p445 [445]']],
      ['PowerShell foreach over @( ) on lines of its own', 'p.ps1', ['foreach ($P in @("22", \'445\'))', '{', `  ${ADD_PORT('$p')}`, '}'], ['p22 [22]', 'p445 [445]']],
      ['PowerShell foreach over a range', 'p.ps1', [`foreach ($p in 8080..8081) { ${ADD_PORT('$p')} }`], ['p8080 [8080]', 'p8081 [8081]']],
      ['PowerShell ForEach-Object', 'p.ps1', [`@(23, 139) | ForEach-Object { ${ADD_PORT('$_')} }`], ['p23 [23]', 'p139 [139]']],
      ['PowerShell % alias', 'p.ps1', [`23, 139 | % { ${ADD_PORT('$_')} }`], ['p23 [23]', 'p139 [139]']],
    ])('%s', (_name, path, lines, expected) => {
      expect(rulesOf(path, ...lines)).toEqual(expected.map((rule) => `"${rule.split(' ')[0]}"#1 ${rule.split(' ')[1]} from Any`));
    });

    // QA 17 item 03: the item did not reach a `set` (so !PORT! was unknown) nor an `if` (so each item ran under it).
    it.each([
      ['set X=%%p, then !X! in the loop', ['setlocal enabledelayedexpansion', 'for %%p in (22 3389) do (', '  set PORT=%%p', `  ${ADD_PORT('!PORT!')}`, ')'], ['p22 [22]', 'p3389 [3389]']],
      ['if "%%p"=="22" decided per item', ['for %%p in (22 3389) do (', `  if "%%p"=="22" ${ADD_PORT('%%p')}`, ')'], ['p22 [22]']],
      ['if not "%%p"=="22" decided per item', ['for %%p in (22 3389) do (', `  if not "%%p"=="22" ${ADD_PORT('%%p')}`, ')'], ['p3389 [3389]']],
    ])('carries the loop item into %s', (_name, lines, expected) => {
      expect(rulesOf('h.cmd', ...lines)).toEqual(expected.map((rule) => `"${rule.split(' ')[0]}"#1 ${rule.split(' ')[1]} from ${rule.split(' from ')[1] ?? 'Any'}`));
    });

    it('does not decide per item a variable set under a condition over the item: the value stays for the iterations after it', () => {
      // cmd: the 22 iteration sets R=any, and the 3389 one still has it.
      expect(rulesOf('h.cmd', 'setlocal enabledelayedexpansion', 'set R=10.0.0.0/8', 'for %%p in (22 3389) do (', '  if "%%p"=="22" set R=any',
        '  netsh advfirewall firewall add rule name=p%%p dir=in action=allow protocol=tcp localport=%%p remoteip=!R!', ')')).toEqual([
        '"p22"#1 [22] from 10.0.0.0/8 when !("%%p"=="22")', '"p22"#2 [22] from Any when "%%p"=="22"',
        '"p3389"#1 [3389] from 10.0.0.0/8 when !("%%p"=="22")', '"p3389"#2 [3389] from Any when "%%p"=="22"',
      ]);
    });

    it('keeps a condition over the item that it does not decide, with the item put in', () => {
      expect(rulesOf('h.cmd', 'for %%p in (22 3389) do (', `  if exist %%p.flag ${ADD_PORT('%%p')}`, ')')).toEqual(['"p22"#1 [22] from Any when exist 22.flag', '"p3389"#1 [3389] from Any when exist 3389.flag']);
      expect(rulesOf('h.cmd', 'for %%p in (a B) do (', `  if /i "%%p"=="b" ${ADD_PORT('1')}`, ')')).toEqual(['"p1"#1 [1] from Any when "B"=="b"']);
    });

    it('reports each expanded rule at the netsh command line', () => {
      const rules = onlyTarget(parseNetshText(['for %%p in (23 139) do (', `  ${ADD_PORT('%%p')}`, ')'].join('\n'), 'h.cmd')).rules;
      expect(rules.map((rule) => rule.location.range.startLine)).toEqual([2, 2]);
    });

    it('deletes once per item', () => {
      expect(rulesOf('h.cmd', ADD_PORT('22'), ADD_PORT('445'), 'for %%p in (22 445) do netsh advfirewall firewall delete rule name=p%%p')).toEqual([]);
    });

    it('expands at most 20,000 commands per script, then warns and leaves loop variables unknown', () => {
      const items = Array.from({ length: 200 }, (_, index) => 1000 + index).join(' ');
      const lines = Array.from({ length: 101 }, () => `for %%p in (${items}) do ${ADD_PORT('%%p')}`);
      const result = parseNetshText(lines.join('\n'), 'h.cmd');
      const rules = onlyTarget(result).rules;
      expect(rules).toHaveLength(100 * 200 + 1);
      expect(rules[rules.length - 1]!.unknowns.map((unknown) => unknown.expr)).toEqual(['%%p']);
      expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine])).toEqual([['parse/netsh-loop-not-expanded', 101]]);
    });

    it('does not take $port for a loop variable $p', () => {
      expect(rulesOf('p.ps1', `foreach ($p in 22) { ${ADD_PORT('$port')} }`)).toEqual(['"p$port"#1 [] from Any']);
    });

    it.each([
      ['cmd for /f', 'h.cmd', [`for /f %%p in (ports.txt) do ${ADD_PORT('%%p')}`], '%%p', 'for /f %%p in (ports.txt) runs'],
      ['cmd for over files', 'h.cmd', [`for %%p in (*.port) do ${ADD_PORT('%%p')}`], '%%p', 'for %%p in (*.port) runs'],
      ['cmd for over an unset variable', 'h.cmd', [`for %%p in (%PORTS%) do ${ADD_PORT('%%p')}`], '%%p', 'for %%p in (%PORTS%) runs'],
      ['cmd for /l longer than 256 items', 'h.cmd', [`for /l %%p in (1,1,1000) do ${ADD_PORT('%%p')}`], '%%p', 'for /l %%p in (1,1,1000) runs'],
      ['PowerShell foreach over a variable', 'p.ps1', [`foreach ($p in $ports) { ${ADD_PORT('$p')} }`], '$p', 'foreach ($p in $ports) runs'],
      ['PowerShell ForEach-Object over a variable', 'p.ps1', [`$ports | ForEach-Object { ${ADD_PORT('$_')} }`], '$_', '$ports | ForEach-Object runs'],
    ])('leaves the variable of any other loop unknown, under the loop: %s (valid)', (_name, path, lines, reference, condition) => {
      const [rule, ...more] = onlyTarget(parseNetshText(lines.join('\n'), path)).rules;
      expect(more).toEqual([]);
      expect(rule!.unknowns.map((unknown) => unknown.expr)).toEqual([reference]);
      expect(rule!.branch).toBe(condition);
    });
  });

  it('reads a script of deeply nested blocks keeping a bounded condition per command', () => {
    const depth = 50_000;
    const text = [...Array.from({ length: depth }, (_, index) => `if "%1"=="${index}" (`), DELETE_RDP, ADD_RDP, ...Array.from({ length: depth }, () => ')')].join('\n');
    const rules = onlyTarget(parseNetshText(text, 'h.cmd')).rules;
    expect(rules).toHaveLength(1);
    // The bound that keeps the reading linear: without it each command's condition holds one test per open block.
    expect(rules[0]!.branch!.split(' and ').length).toBeLessThanOrEqual(25);
  });
});

describe('netsh scripts: host-wide and wrapped commands under conditions', () => {
  const POLICY = '"Inbound default policy AllowInbound"#1 [0-65535] from Any';

  it('an AllowInbound default set under a condition exists under it; closed under a condition, it stays', () => {
    expect(rulesOf('h.cmd', 'if "%1"=="lab" netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound')).toEqual([`${POLICY} when "%1"=="lab"`]);
    expect(rulesOf('h.cmd',
      'netsh advfirewall set allprofiles firewallpolicy allowinbound,allowoutbound',
      'if "%1"=="prod" netsh advfirewall set allprofiles firewallpolicy blockinbound,allowoutbound',
    )).toEqual([POLICY]);
  });

  it('a reset or import under a condition deletes the rules before it only under that condition', () => {
    expect(rulesOf('h.cmd', ADD_RDP, 'if "%1"=="clean" netsh advfirewall reset')).toEqual(['"RDP"#1 [3389] from Any when !("%1"=="clean")']);
    expect(rulesOf('p.ps1', ADD_RDP, 'if ($Restore) { netsh advfirewall import C:\\policy.wfw }')).toEqual(['"RDP"#1 [3389] from Any when !$Restore']);
    expect(rulesOf('h.cmd', ADD_RDP, 'netsh advfirewall reset')).toEqual([]);
  });

  it('a command a wrapper runs on a conditional line, or in a loop, runs under that condition and per item', () => {
    expect(rulesOf('h.cmd', ADD_RDP, `if "%1"=="prod" cmd /c "${DELETE_RDP}"`)).toEqual(['"RDP"#1 [3389] from Any when !("%1"=="prod")']);
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 445) {', '  Invoke-Expression "netsh advfirewall firewall add rule name=P$p dir=in action=allow protocol=tcp localport=$p"', '}')).toEqual([
      '"P22"#1 [22] from Any',
      '"P445"#1 [445] from Any',
    ]);
  });
});

describe('PowerShell continue and break in a foreach over a literal list (QA 17/10)', () => {
  const APP_RULE = '  New-NetFirewallRule -DisplayName "app-$p" -LocalPort $p -Protocol TCP -RemoteAddress Any';

  it('ends the pass of an item a continue is taken for, its condition decided per item', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 8080) {', '  if ($p -eq 22) { continue }', APP_RULE, '}')).toEqual(['"app-8080"#1 [8080] from Any']);
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 8080) { if (-not ($p -ne 22)) { continue }; New-NetFirewallRule -DisplayName "app-$p" -LocalPort $p -Protocol TCP -RemoteAddress Any }'))
      .toEqual(['"app-8080"#1 [8080] from Any']);
  });

  it('decides an if over the item per item, with or without a continue in it', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 8080) {', '  if ($p -ne 22) {', APP_RULE, '  }', '}')).toEqual(['"app-8080"#1 [8080] from Any']);
  });

  it('leaves the rest of each pass under a condition it cannot decide, never dropped', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 8080) {', '  if ($p -gt $Max) { continue }', APP_RULE, '}')).toEqual([
      '"app-22"#1 [22] from Any when !($p -gt $Max)', '"app-8080"#1 [8080] from Any when !($p -gt $Max)',
    ]);
  });

  it('reads a command that does not use the item once, when the condition over it is not decided', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 8080) {', '  if ($p -gt $Max) { continue }', '  New-NetFirewallRule -DisplayName RDP -LocalPort 3389 -Protocol TCP -RemoteAddress Any', '}'))
      .toEqual(['"RDP"#1 [3389] from Any when !($p -gt $Max)']);
  });

  it('still ends the script with a break or continue outside any loop', () => {
    expect(rulesOf('p.ps1', 'continue', 'New-NetFirewallRule -DisplayName RDP -LocalPort 3389 -Protocol TCP -RemoteAddress Any')).toEqual(['"RDP"#1 [3389] from Any when line 2 is reached']);
  });
});

describe('PowerShell break in a foreach over a literal list ends the passes after it (QA 17/10)', () => {
  const APP_RULE = '  New-NetFirewallRule -DisplayName "app-$p" -LocalPort $p -Protocol TCP -RemoteAddress Any';

  it('runs only the first pass of a body that breaks in every pass', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 8080, 3389) {', APP_RULE, '  break', '}')).toEqual(['"app-8080"#1 [8080] from Any']);
    expect(rulesOf('p.ps1', 'foreach ($p in 8080, 3389) { New-NetFirewallRule -DisplayName "app-$p" -LocalPort $p -Protocol TCP -RemoteAddress Any; break }'))
      .toEqual(['"app-8080"#1 [8080] from Any']);
  });

  it('leaves the passes after the first conditional when the break may not be taken, never dropped', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 8080, 3389) {', APP_RULE, '  if ($Once) { break }', '}')).toEqual([
      '"app-8080"#1 [8080] from Any', '"app-3389"#1 [3389] from Any when the loop over $p reached 3389',
    ]);
    // A continue may skip the break: the pass for 22 ends before it, so 8080 is reached.
    expect(rulesOf('p.ps1', 'foreach ($p in 22, 8080) {', '  if ($p -eq 22) { continue }', APP_RULE, '  break', '}')).toEqual([
      '"app-8080"#1 [8080] from Any when the loop over $p reached 8080',
    ]);
  });

  it('does not read a break of a loop or switch inside the body, or a word break in a string, comment or argument, as the loop\'s', () => {
    expect(rulesOf('p.ps1', 'foreach ($p in 8080, 3389) {', APP_RULE, "  switch ($Mode) { 'a' { break } }", '  Write-Host break "break" # break', '}')).toEqual([
      '"app-8080"#1 [8080] from Any', '"app-3389"#1 [3389] from Any',
    ]);
  });
});
