/**
 * netsh's command tree, as far as fwlint reads it, and how netsh matches what is typed against it: a context or
 * command word may be abbreviated to any prefix that names one word of its level (`netsh adv f a r …` is
 * `netsh advfirewall firewall add rule …`, `netsh adv set all state off`), and the global options before the command
 * (`-c CONTEXT`, `-r HOST`, …) say where it runs.
 */

/** A level of the tree: its words, each with the level below it, or `null` where the words that follow are arguments. */
type Level = ReadonlyMap<string, Level | null>;

const leaves = (...words: string[]): Level => new Map(words.map((word) => [word, null]));

const ADVFIREWALL_PROFILES = ['allprofiles', 'currentprofile', 'domainprofile', 'privateprofile', 'publicprofile'];
const PROFILE_SETTINGS = leaves('state', 'firewallpolicy', 'settings', 'logging');

const ADVFIREWALL: Level = new Map<string, Level | null>([
  ['firewall', new Map<string, Level | null>([
    ['add', leaves('rule')], ['delete', leaves('rule')], ['set', leaves('rule')], ['show', leaves('rule')],
    ['dump', null], ['help', null], ['?', null],
  ])],
  ['set', new Map<string, Level | null>([...ADVFIREWALL_PROFILES.map((profile): [string, Level] => [profile, PROFILE_SETTINGS]), ['global', null], ['store', null]])],
  ['consec', null], ['dump', null], ['export', null], ['help', null], ['import', null], ['mainmode', null],
  ['monitor', null], ['reset', null], ['show', null], ['?', null],
]);

const LEGACY_SET_OBJECTS = ['allowedprogram', 'icmpsetting', 'logging', 'multicastbroadcastresponse', 'notifications', 'opmode', 'portopening', 'service'];
const LEGACY_FIREWALL: Level = new Map<string, Level | null>([
  ['add', leaves('allowedprogram', 'portopening')],
  ['delete', leaves('allowedprogram', 'portopening')],
  ['set', leaves(...LEGACY_SET_OBJECTS)],
  ['show', null], ['dump', null], ['help', null], ['reset', null], ['?', null],
]);

/**
 * netsh's root: every context and command of a current Windows, so that a prefix counts as unambiguous only where
 * netsh finds one word for it (`adv`, `f`), not `a` (`add`, `advfirewall`, `alias`, …).
 */
const ROOT: Level = new Map<string, Level | null>([
  ['advfirewall', ADVFIREWALL],
  ['firewall', LEGACY_FIREWALL],
  ...[
    '..', '?', 'abort', 'add', 'alias', 'branchcache', 'bridge', 'bye', 'commit', 'delete', 'dhcpclient', 'dnsclient',
    'dump', 'exec', 'exit', 'help', 'http', 'interface', 'ipsec', 'ipsecdosprotection', 'lan', 'mbn', 'namespace',
    'netio', 'nap', 'offline', 'online', 'p2p', 'popd', 'pushd', 'quit', 'ras', 'rpc', 'set', 'show', 'trace',
    'unalias', 'wcn', 'wfp', 'winhttp', 'winsock', 'wlan',
  ].map((word): [string, null] => [word, null]),
]);

interface ExpandedWords {
  /** The words with every abbreviation of the command path written out; arguments as they were. */
  words: string[];
  /**
   * Set when a word of the command path under `advfirewall` or `firewall` names no word of its level, or more than
   * one: netsh rejects it or runs something fwlint cannot tell.
   */
  unmatched?: { index: number; word: string; candidates: string[] };
}

/** Writes out the abbreviated command words of `words` (lower case, from netsh's root). */
export function expandCommandWords(words: readonly string[]): ExpandedWords {
  const expanded = [...words];
  let level: Level | null = ROOT;
  for (let index = 0; index < expanded.length && level !== null; index++) {
    const word = expanded[index]!;
    const exact = level.get(word);
    if (exact !== undefined) {
      level = exact;
      continue;
    }
    const candidates: string[] = [...level.keys()].filter((candidate) => candidate.startsWith(word));
    if (candidates.length !== 1) {
      // Outside the firewall contexts a word fwlint does not know is not its business.
      const isFirewall = index > 0 || candidates.some((candidate) => candidate === 'advfirewall' || candidate === 'firewall');
      return isFirewall ? { words: expanded, unmatched: { index, word, candidates } } : { words: expanded };
    }
    expanded[index] = candidates[0]!;
    level = level.get(candidates[0]!)!;
  }
  return { words: expanded };
}

const READ_ONLY: ReadonlySet<string> = new Set(['show', 'dump', 'help', '?']);
/** advfirewall commands that change no firewall rule (`consec` and `mainmode` are IPsec, which opens no port). */
const ADVFIREWALL_WITHOUT_RULES: ReadonlySet<string> = new Set([...READ_ONLY, 'export', 'monitor', 'consec', 'mainmode', 'set']);
/** Legacy settings that open no port (`opmode disable` is warned about apart). */
const LEGACY_SETTINGS_WITHOUT_RULES: ReadonlySet<string> = new Set(['logging', 'notifications', 'multicastbroadcastresponse', 'opmode']);

/**
 * Whether a command (words written out) changes no firewall rule: outside the firewall contexts, or a command that
 * only shows, exports or changes settings other than rules. Host-wide and rule commands are read before this is asked.
 */
export function isWithoutRuleEffect(words: readonly string[]): boolean {
  const [context, command, object] = words;
  if ((context !== 'advfirewall' && context !== 'firewall') || command === undefined) return true;
  if (context === 'advfirewall') {
    if (command === 'firewall') return object === undefined || READ_ONLY.has(object);
    return ADVFIREWALL_WITHOUT_RULES.has(command);
  }
  if (command === 'set') return LEGACY_SETTINGS_WITHOUT_RULES.has(object ?? '');
  return READ_ONLY.has(command);
}

/** The argument keys of a command, for unique-prefix matching (`act=allow`, `prof=any`, `n="Ping"`). */
export function expandParameterKey(key: string, allowed: ReadonlySet<string>): string {
  if (allowed.has(key) || key === '') return key;
  const candidates = [...allowed].filter((candidate) => candidate.startsWith(key));
  return candidates.length === 1 ? candidates[0]! : key;
}

/** netsh global options and where the command after them starts. */
interface NetshInvocation {
  /** Index of the first word of the command. */
  at: number;
  /** The context `-c` names (`-c "advfirewall firewall"`), as words. */
  context: string[];
  /** The computer `-r` names, when it is not this one. */
  remote?: string;
}

/** `-a AliasFile`, `-c Context`, `-r RemoteMachine`, `-u [Domain\]User`, `-p Password|*` (netsh /?), also with `/`. */
const OPTION = /^[-/]([acrup])$/;
const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '.']);

/**
 * Whether a computer name (as written: quotes, a leading `\\` allowed) names the computer the command runs on:
 * `localhost`, `127.0.0.1`, `::1`, `.` or `$env:COMPUTERNAME`. A command sent there changes this host's rules.
 */
export function isThisComputer(name: string): boolean {
  const bare = name.trim().replace(/^(['"])(.*)\1$/, '$2').replace(/^\\\\/, '').toLowerCase();
  return LOCAL_HOSTS.has(bare) || /^\$(?:env:computername|\{env:computername\})$/.test(bare);
}

/** Reads the global options from `at` (the word after `netsh`) in lower-case words. */
export function readNetshInvocation(words: readonly string[], at: number): NetshInvocation {
  const invocation: NetshInvocation = { at, context: [] };
  while (invocation.at < words.length) {
    const option = OPTION.exec(words[invocation.at]!);
    if (option === null) break;
    const value = words[invocation.at + 1] ?? '';
    invocation.at += 2;
    if (option[1] === 'c') invocation.context = value.split(/\s+/).filter((word) => word !== '');
    if (option[1] === 'r' && !isThisComputer(value)) invocation.remote = value;
  }
  return invocation;
}
