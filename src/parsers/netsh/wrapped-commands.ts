import { isThisComputer } from './command-words';
import type { ScriptDialect } from './script-reader';

/**
 * Commands that run a command line given as one argument: PowerShell `Invoke-Expression "netsh …"` (`iex`),
 * `cmd /c "netsh …"`, `Start-Process netsh -ArgumentList "…"` (`saps`, `start`), `powershell -Command "netsh …"`.
 * Their argument is read as the command line it is, in the dialect of the program that runs it.
 */
export interface WrappedCommand {
  dialect: ScriptDialect;
  /** The token holding the command line (or, for Start-Process, netsh's arguments). */
  textToken: number;
  /** Start-Process: the token naming the program, which the arguments follow. */
  programToken?: number;
  /** Start-Process `-ArgumentList 'a','b'`: an array, whose items are arguments of their own. */
  isArray?: boolean;
}

const PROGRAM_NAME = /^@?(?:.*[\\/])?([^\\/]+?)(?:\.exe)?$/i;

/** Start-Process parameters that take a value; the others named are switches. PowerShell accepts unique prefixes. */
const START_PROCESS_VALUED = ['-filepath', '-argumentlist', '-args', '-verb', '-windowstyle', '-workingdirectory', '-credential',
  '-redirectstandarderror', '-redirectstandardinput', '-redirectstandardoutput'];
const START_PROCESS_SWITCHES = ['-wait', '-nonewwindow', '-passthru', '-usenewenvironment', '-loaduserprofile'];

/**
 * The command line a wrapper runs, if `words` (unquoted) are a wrapper command; `raw` are the tokens as written,
 * to tell a PowerShell array (`'a','b'`) from a string.
 */
export function wrappedCommandOf(words: readonly string[], raw: readonly string[], dialect: ScriptDialect): WrappedCommand | undefined {
  const program = PROGRAM_NAME.exec(words[0] ?? '')?.[1]?.toLowerCase();
  const lower = words.map((word) => word.toLowerCase());
  const isPowerShell = dialect === 'powershell';
  if (isPowerShell && (program === 'invoke-expression' || program === 'iex')) {
    const at = lower[1] !== undefined && '-command'.startsWith(lower[1]) && lower[1].length > 1 ? 2 : 1;
    return at < words.length ? { dialect: 'powershell', textToken: at } : undefined;
  }
  if (program === 'cmd') {
    for (let at = 1; at < lower.length; at++) {
      const flag = lower[at]!;
      if (flag === '/c' || flag === '/k') return at + 1 === words.length - 1 ? { dialect: 'cmd', textToken: at + 1 } : undefined;
      if (!flag.startsWith('/')) return undefined;
    }
    return undefined;
  }
  if (program === 'powershell' || program === 'pwsh') {
    const at = lower.findIndex((word, index) => index > 0 && (word === '-c' || (word.length > 2 && '-command'.startsWith(word))));
    return at !== -1 && at + 1 === words.length - 1 ? { dialect: 'powershell', textToken: at + 1 } : undefined;
  }
  if (isPowerShell && (program === 'start-process' || program === 'saps' || program === 'start')) return startProcess(lower, raw);
  return undefined;
}

function startProcess(lower: readonly string[], raw: readonly string[]): WrappedCommand | undefined {
  const positional: number[] = [];
  let programToken: number | undefined;
  let textToken: number | undefined;
  for (let at = 1; at < lower.length; at++) {
    const word = lower[at]!;
    if (!word.startsWith('-') || word === '-') {
      positional.push(at);
      continue;
    }
    const name = word.replace(/:$/, '');
    // `-Args` is an alias of `-ArgumentList`: a prefix of both names one parameter.
    const valued = new Set(START_PROCESS_VALUED.filter((candidate) => candidate.startsWith(name)).map((candidate) => (candidate === '-args' ? '-argumentlist' : candidate)));
    if (valued.size === 1) {
      const [parameter] = valued;
      if (parameter === '-filepath') programToken = at + 1;
      if (parameter === '-argumentlist') textToken = at + 1;
      at++;
      continue;
    }
    // A switch, or a parameter fwlint does not know: what it takes cannot be told, so the command is not read.
    if (!START_PROCESS_SWITCHES.some((candidate) => candidate.startsWith(name))) return undefined;
  }
  // Positional parameters: FilePath, then ArgumentList.
  if (programToken === undefined) programToken = positional.shift();
  if (textToken === undefined) textToken = positional.shift();
  if (programToken === undefined || textToken === undefined || programToken >= lower.length || textToken >= lower.length) return undefined;
  return { dialect: 'plain', textToken, programToken, isArray: hasUnquotedComma(raw[textToken] ?? '') };
}

/** Whether PowerShell reads `text` as an array: a comma outside quotes (`'a','b'`, `a,b`). */
function hasUnquotedComma(text: string): boolean {
  let quote: string | undefined;
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ',') {
      return true;
    }
  }
  return false;
}

/**
 * The command line Start-Process makes of a PowerShell array of arguments (`'a', "b c"`): the items, unquoted, joined
 * with spaces. Variables in the items are not expanded.
 */
export function arrayAsCommandLine(text: string): string {
  const items: string[] = [];
  let item = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== undefined) {
      if (ch === quote && quote === "'" && text[i + 1] === "'") {
        item += "'";
        i++;
      } else if (ch === quote) {
        quote = undefined;
      } else {
        item += ch;
      }
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ',') {
      items.push(item.trim());
      item = '';
    } else {
      item += ch;
    }
  }
  items.push(item.trim());
  return items.join(' ');
}

/** A PowerShell statement's script block, as one word of the statement (`Invoke-Command SRV02 {…}`). */
export const SCRIPT_BLOCK_WORD = '{…}';

/**
 * Invoke-Command parameters that run its block on another computer, virtual machine or container (every parameter set
 * of Microsoft's Invoke-Command but the in-process one), by name and alias, with the name a warning gives.
 */
const INVOKE_REMOTE_PARAMETERS: ReadonlyMap<string, string> = new Map([
  ['-connectionuri', '-ConnectionUri'], ['-uri', '-ConnectionUri'], ['-cu', '-ConnectionUri'],
  ['-vmname', '-VMName'], ['-vmid', '-VMId'], ['-vmguid', '-VMId'], ['-containerid', '-ContainerId'],
  ['-hostname', '-HostName'], ['-sshconnection', '-SSHConnection'],
]);

/** Invoke-Command switches, and its other parameters taking a value: what a positional argument is told apart from. */
const INVOKE_SWITCHES: ReadonlySet<string> = new Set([
  '-asjob', '-hidecomputername', '-hcn', '-usessl', '-indisconnectedsession', '-disconnected', '-enablenetworkaccess',
  '-remotedebug', '-nonewscope', '-runasadministrator', '-allowredirection', '-sshtransport', '-verbose', '-debug',
]);
const INVOKE_VALUE_PARAMETERS: ReadonlySet<string> = new Set([
  '-scriptblock', '-command', '-argumentlist', '-args', '-credential', '-port', '-configurationname', '-applicationname',
  '-throttlelimit', '-sessionname', '-jobname', '-sessionoption', '-authentication', '-inputobject',
  '-certificatethumbprint', '-filepath', '-pspath', '-subsystem', '-keyfilepath', '-identityfilepath', '-username',
  '-options', '-connectingtimeout', '-erroraction', '-ea', '-warningaction', '-wa', '-errorvariable', '-ev',
  '-outvariable', '-ov',
]);

/**
 * The first positional argument of an Invoke-Command (`words`, lower case, its script block written as a word
 * starting with `{`): the block when it is given by position first, undefined when there is none or fwlint cannot
 * tell (a splat, a parameter it does not know, which may or may not take a value).
 */
function invokeCommandFirstPositional(words: readonly string[]): string | undefined {
  for (let at = 1; at < words.length; at++) {
    const word = words[at]!.replace(/:$/, '');
    if (word.startsWith('@')) return undefined;
    if (!word.startsWith('-')) return word;
    if (INVOKE_SWITCHES.has(word)) continue;
    if (!INVOKE_VALUE_PARAMETERS.has(word)) return undefined;
    // The value, and the items of a list after it (`-ArgumentList 1, 2`).
    do at++;
    while (words[at]?.endsWith(',') === true);
  }
  return undefined;
}

/**
 * The computer a command before `netsh` runs it on, when that is another one: PowerShell `Invoke-Command
 * -ComputerName HOST -ScriptBlock { netsh … }` (or `-Session`, `-ConnectionUri`, `-VMName`, `-VMId`, `-ContainerId`,
 * `-HostName`, `-SSHConnection`, or a first positional argument before the block, which binds to `-ComputerName`)
 * and `psexec \\HOST netsh …`. Words are lower case, those before netsh; a script block is a word starting with `{`.
 */
export function remoteRunnerOf(words: readonly string[]): { computer: string; how: string } | undefined {
  const program = PROGRAM_NAME.exec(words[0] ?? '')?.[1];
  if (program === 'invoke-command' || program === 'icm') {
    for (let at = 1; at < words.length - 1; at++) {
      const name = words[at]!.replace(/:$/, '');
      const computer = words[at + 1]!.replace(/,$/, '');
      if (name === '-cn' || (name.length > 3 && '-computername'.startsWith(name))) {
        // `-ComputerName localhost` (loopback remoting, for elevation) runs the block on this host.
        return isThisComputer(computer) ? undefined : { computer, how: 'Invoke-Command -ComputerName' };
      }
      if (name.length > 2 && '-session'.startsWith(name)) return { computer, how: 'Invoke-Command -Session' };
      const remote = INVOKE_REMOTE_PARAMETERS.get(name);
      if (remote !== undefined) return { computer, how: `Invoke-Command ${remote}` };
    }
    // By position, before the block (or with `-ScriptBlock` named): the ComputerName (or Session, ConnectionUri) set's
    // position 0; the block first is the in-process set's `-ScriptBlock`, run here.
    const positional = invokeCommandFirstPositional(words)?.replace(/,$/, '');
    if (positional === undefined || positional.startsWith('{') || isThisComputer(positional)) return undefined;
    return { computer: positional, how: 'Invoke-Command -ComputerName, given by position' };
  }
  if (program === 'psexec' || program === 'psexec64') {
    const computer = words.slice(1).find((word) => word.startsWith('\\\\'));
    return computer === undefined || isThisComputer(computer) ? undefined : { computer: computer.slice(2), how: 'psexec' };
  }
  return undefined;
}

/** A script file a command names to run: `other.cmd`, `C:\setup\lib.ps1`, `%~dp0rules.bat`. */
const SCRIPT_FILE = /\.(?:cmd|bat|ps1)$/i;

/**
 * The other script file a command runs, as written: cmd `call other.cmd` or `other.cmd` (a batch file run without
 * `call` does not return), PowerShell `& .\other.ps1`, `. .\lib.ps1` (dot-sourced), `.\other.ps1`, and from either
 * `powershell -File other.ps1`. `words` are the command's words, unquoted (PowerShell's `&` is not among them).
 */
export function scriptRunBy(words: readonly string[], dialect: ScriptDialect): string | undefined {
  const [first, second] = words;
  if (first === undefined || dialect === 'plain') return undefined;
  const program = PROGRAM_NAME.exec(first)?.[1]?.toLowerCase();
  if (program === 'powershell' || program === 'pwsh') {
    const at = words.findIndex((word, index) => index > 0 && word.length > 1 && '-file'.startsWith(word.toLowerCase()));
    const file = at === -1 ? undefined : words[at + 1];
    return file !== undefined && SCRIPT_FILE.test(file) ? file : undefined;
  }
  const isCall = dialect === 'cmd' ? /^@?call$/i.test(first) : first === '.';
  const file = isCall ? second : first.replace(/^@/, '');
  return file !== undefined && SCRIPT_FILE.test(file) ? file : undefined;
}
