import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import { isThisComputer } from './command-words';
import type { NetshRuleSpec, SpecField } from './netsh-rule-spec';
import { splitList } from './netsh-values';
import { splattedVariable, splitOutsideQuotes } from './powershell-collections';
import type { LiteralCollection } from './powershell-collections';
import { literalValue } from './script-calls';
import type { ScriptArg } from './script-reader';

/**
 * The NetSecurity rule cmdlets (formats.md §4.5) read as the netsh commands they are equivalent to (§4.4):
 * `New-NetFirewallRule` as `add rule`, `Set-NetFirewallRule` and `Enable-`/`Disable-NetFirewallRule` as `set rule`,
 * `Remove-NetFirewallRule` as `delete rule`. The script reader binds the parameters (`readFirewallRuleCmdlet`), the
 * replay turns them into rule fields (`firewallRuleEffect`) once loop items and variable cases are put in.
 */
export interface FirewallRuleCommand {
  family: 'powershell';
  verb: 'add' | 'set' | 'delete';
  /** The cmdlet as Microsoft spells it, for messages: `New-NetFirewallRule`. */
  cmdlet: string;
  /** The bound parameters as `parameter=value` (parameter lower case, aliases resolved, arrays as comma lists). */
  args: ScriptArg[];
  location: SourceRange;
  conditions?: string[];
}

/** One word after the cmdlet: as PowerShell passes it (quotes removed, variables expanded) and as written. */
export interface CmdletWord {
  arg: ScriptArg;
  written: string;
}

/** What the script has assigned, for splats (`@params`) and array variables (`-LocalPort $ports`). */
export interface CmdletLookups {
  collection(name: string): LiteralCollection | undefined;
  variable(name: string): string | undefined;
}

export type CmdletReading =
  | { kind: 'command'; command: FirewallRuleCommand }
  /** `-WhatIf`: the cmdlet only says what it would do. */
  | { kind: 'not-run' }
  | { kind: 'remote'; computer: string; how: string }
  /** A policy store other than this host's own rules (`-PolicyStore corp.contoso.com\Fw`, `-GPOSession`). */
  | { kind: 'other-store'; store: string; how: string }
  /** The rules it acts on come from where fwlint does not read (the pipeline, filters). */
  | { kind: 'not-read'; why: string }
  /** PowerShell refuses the command (a parameter it does not have): it does nothing. */
  | { kind: 'rejected'; why: string };

const CMDLET_NAMES = ['New-NetFirewallRule', 'Set-NetFirewallRule', 'Remove-NetFirewallRule', 'Enable-NetFirewallRule', 'Disable-NetFirewallRule'];
const CMDLET_SPELLING: ReadonlyMap<string, string> = new Map(CMDLET_NAMES.map((name) => [name.toLowerCase(), name]));

/**
 * A command name without its `NetSecurity\` module qualifier (`NetSecurity\New-NetFirewallRule`), which names the same
 * cmdlet (scripts write it so that no alias or function of that name runs instead); any other name as it is.
 */
export function withoutNetSecurityModule(name: string): string {
  return name.replace(/^netsecurity\\/i, '');
}

/** Whether `word` (lower case) names one of the rule cmdlets fwlint reads. */
export function isFirewallRuleCmdlet(word: string): boolean {
  return CMDLET_SPELLING.has(word);
}

/** A rule cmdlet's name as Microsoft spells it (`new-netfirewallrule` → `New-NetFirewallRule`). */
export function firewallRuleCmdletSpelling(name: string): string {
  return CMDLET_SPELLING.get(name.toLowerCase()) ?? name;
}

const COMMON = ['verbose', 'debug', 'erroraction', 'warningaction', 'informationaction', 'progressaction', 'errorvariable', 'warningvariable',
  'informationvariable', 'outvariable', 'outbuffer', 'pipelinevariable'];
/** Parameter aliases (Microsoft's reference; common parameters'). */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['id', 'name'], ['session', 'cimsession'], ['lsm', 'loosesourcemapping'], ['dynamictransport', 'dynamictarget'], ['cf', 'confirm'],
  ['wi', 'whatif'], ['vb', 'verbose'], ['db', 'debug'], ['ea', 'erroraction'], ['wa', 'warningaction'], ['infa', 'informationaction'],
  ['proga', 'progressaction'], ['ev', 'errorvariable'], ['wv', 'warningvariable'], ['iv', 'informationvariable'], ['ov', 'outvariable'],
  ['ob', 'outbuffer'], ['pv', 'pipelinevariable'],
]);
const SWITCHES: ReadonlySet<string> = new Set(['all', 'asjob', 'passthru', 'whatif', 'confirm', 'verbose', 'debug']);
/** The rule's properties, which New-NetFirewallRule sets and Set-NetFirewallRule changes. */
const RULE_PROPERTIES = ['description', 'enabled', 'profile', 'platform', 'direction', 'action', 'edgetraversalpolicy', 'loosesourcemapping',
  'localonlymapping', 'owner', 'localaddress', 'remoteaddress', 'protocol', 'localport', 'remoteport', 'icmptype', 'dynamictarget', 'program',
  'package', 'service', 'interfacealias', 'interfacetype', 'localuser', 'remoteuser', 'remotemachine', 'authentication', 'encryption',
  'overrideblockrules'];
const STORE = ['policystore', 'gposession', 'cimsession', 'throttlelimit', 'asjob', 'whatif', 'confirm'];
/** Remove-/Enable-/Disable-NetFirewallRule select by these properties too (parameter set ByQuery), or by filter objects. */
const QUERY_FILTERS = ['description', 'enabled', 'direction', 'action', 'edgetraversalpolicy', 'loosesourcemapping', 'localonlymapping', 'owner',
  'primarystatus', 'status', 'enforcementstatus', 'policystoresource', 'policystoresourcetype', 'associatednetfirewalladdressfilter',
  'associatednetfirewallapplicationfilter', 'associatednetfirewallinterfacefilter', 'associatednetfirewallinterfacetypefilter',
  'associatednetfirewallportfilter', 'associatednetfirewallprofile', 'associatednetfirewallsecurityfilter', 'associatednetfirewallservicefilter',
  'associatednetipsecrule'];
const SELECTORS = ['name', 'displayname', 'group', 'displaygroup', 'all'];

interface CmdletShape {
  verb: FirewallRuleCommand['verb'];
  parameters: ReadonlySet<string>;
  /** Enable-/Disable-NetFirewallRule: the `Enabled` value they set. */
  enabled?: 'True' | 'False';
}
const SELECTING = new Set(['all', 'name', 'displayname', 'displaygroup', 'group', 'inputobject', 'passthru', ...QUERY_FILTERS, ...STORE, ...COMMON]);
const SHAPES: ReadonlyMap<string, CmdletShape> = new Map([
  ['new-netfirewallrule', { verb: 'add', parameters: new Set(['name', 'displayname', 'group', ...RULE_PROPERTIES, ...STORE, ...COMMON]) }],
  ['set-netfirewallrule', { verb: 'set', parameters: new Set(['name', 'displayname', 'displaygroup', 'group', 'inputobject', 'newdisplayname', 'passthru', ...RULE_PROPERTIES, ...STORE, ...COMMON]) }],
  ['remove-netfirewallrule', { verb: 'delete', parameters: SELECTING }],
  ['enable-netfirewallrule', { verb: 'set', parameters: SELECTING, enabled: 'True' }],
  ['disable-netfirewallrule', { verb: 'set', parameters: SELECTING, enabled: 'False' }],
]);
/** Policy stores that hold this host's own rules: the default, and the active policy (changed at once, not kept). */
const LOCAL_STORES: ReadonlySet<string> = new Set(['persistentstore', 'activestore']);

/**
 * Binds a rule cmdlet's parameters as PowerShell does: names or unique prefixes (`-Dir`), aliases (`-ID`), `-Name:value`,
 * arrays written `80,443`, `80, 443`, `@("80","443")` or held in a variable assigned a literal array, a splat `@params` of a
 * hashtable (or array) the script writes out, and Set/Remove/Enable/Disable's positional `-Name`. `isPiped`: the
 * cmdlet gets its input from a pipeline (`Get-NetFirewallRule … | Set-NetFirewallRule …`).
 */
export function readFirewallRuleCmdlet(name: string, words: readonly CmdletWord[], isPiped: boolean, location: SourceRange, lookups: CmdletLookups): CmdletReading {
  const shape = SHAPES.get(name.toLowerCase())!;
  const cmdlet = CMDLET_SPELLING.get(name.toLowerCase())!;
  const bound = new Map<string, ScriptArg | undefined>();
  const positional: ScriptArg[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const splat = splattedVariable(word.written);
    if (splat !== undefined) {
      const collection = lookups.collection(splat);
      if (collection === undefined) return { kind: 'not-read', why: `its parameters come from the splat ${word.written}, which is not a hashtable or array written out in the script` };
      if (collection.kind === 'array') {
        for (const item of collection.items) positional.push(item === undefined ? { ...word.arg, text: word.written, unresolved: word.written } : { ...word.arg, text: item });
        continue;
      }
      for (const [key, written] of collection.written) {
        const parameter = resolveParameter(key, shape.parameters);
        if (parameter === undefined) return { kind: 'rejected', why: `the splat ${word.written} has the key "${shorten(key)}", which names no parameter of ${cmdlet}` };
        if (!SWITCHES.has(parameter)) {
          bound.set(parameter, splatValue(written, word.arg.range, lookups));
          continue;
        }
        // `WhatIf = $true` turns the switch on; `$false`, or a value fwlint does not know, leaves it off, as for `-WhatIf:$false` below.
        const isOn = itemValue(written.trim(), lookups);
        if (isOn === undefined || /^(?:false|0)$/i.test(isOn)) bound.delete(parameter);
        else bound.set(parameter, undefined);
      }
      continue;
    }
    const named = /^-([A-Za-z][A-Za-z0-9]*)(:?)([\s\S]*)$/.exec(word.written);
    if (named === null) {
      const value = joinedValue(words, i, lookups);
      positional.push(value.arg);
      i = value.last;
      continue;
    }
    const parameter = resolveParameter(named[1]!, shape.parameters);
    if (parameter === undefined) return { kind: 'rejected', why: `it has no parameter -${shorten(named[1]!)} (or more than one starts so)` };
    const colon = named[2] === ':' ? word.arg.text.slice(word.arg.text.indexOf(':') + 1) : undefined;
    if (SWITCHES.has(parameter)) {
      // `-WhatIf:$false` turns the switch off; a value fwlint does not know is read as off, so that the change is checked.
      const isOff = colon !== undefined && (word.arg.unresolved !== undefined || /^(?:false|0)$/i.test(colon));
      if (isOff) bound.delete(parameter);
      else bound.set(parameter, undefined);
      continue;
    }
    if (colon !== undefined && colon !== '') {
      bound.set(parameter, { ...word.arg, text: colon });
      continue;
    }
    if (i + 1 >= words.length) return { kind: 'rejected', why: `-${shorten(named[1]!)} has no value` };
    const value = joinedValue(words, i + 1, lookups);
    bound.set(parameter, value.arg);
    i = value.last;
  }
  if (positional.length > 0) {
    // Set/Remove/Enable/Disable take -Name first by position; New-NetFirewallRule takes nothing by position.
    const taken = shape.verb === 'add' || bound.has('name') ? 0 : 1;
    if (positional.length > taken) return { kind: 'rejected', why: `PowerShell has no parameter for "${shorten(positional[taken]!.text)}" by position` };
    bound.set('name', positional[0]);
  }
  if (bound.has('whatif')) return { kind: 'not-run' };
  const session = bound.get('cimsession');
  if (session !== undefined && !isThisComputer(session.unresolved ?? session.text)) return { kind: 'remote', computer: session.text, how: `${cmdlet} -CimSession` };
  const gpo = bound.get('gposession');
  if (gpo !== undefined) return { kind: 'other-store', store: gpo.unresolved ?? gpo.text, how: `${cmdlet} -GPOSession` };
  const store = bound.get('policystore');
  // `-PolicyStore localhost` is this computer's local Group Policy object, whose rules are in force here too.
  const isThisHostsStore = store !== undefined && (isThisComputer(store.unresolved ?? store.text) || (store.unresolved === undefined && LOCAL_STORES.has(store.text.trim().toLowerCase())));
  if (store !== undefined && !isThisHostsStore) {
    return { kind: 'other-store', store: store.unresolved ?? store.text, how: `${cmdlet} -PolicyStore` };
  }
  if (shape.verb !== 'add') {
    const selector = SELECTORS.find((key) => bound.has(key));
    const filter = shape.parameters === SELECTING ? QUERY_FILTERS.find((key) => bound.has(key)) : undefined;
    if (bound.has('inputobject')) return { kind: 'not-read', why: 'it acts on the rules -InputObject gives it' };
    if (filter !== undefined) return { kind: 'not-read', why: `it selects the rules it acts on by -${filter} (a filter fwlint does not apply)` };
    if (selector === undefined) {
      return { kind: 'not-read', why: isPiped ? 'it acts on the rules the pipeline gives it (Get-NetFirewallRule …)' : 'it names no rule by -Name, -DisplayName, -Group or -DisplayGroup' };
    }
  }
  const args: ScriptArg[] = [];
  for (const [parameter, value] of bound) {
    // `-All` (Remove/Enable/Disable): every rule.
    if (parameter === 'all') args.push({ text: 'all=', range: location });
    if (value !== undefined && !SWITCHES.has(parameter)) args.push(value.unresolved === undefined ? { text: `${parameter}=${value.text}`, range: value.range } : { text: `${parameter}=${value.text}`, range: value.range, unresolved: value.unresolved });
  }
  if (shape.enabled !== undefined) args.push({ text: `enabled=${shape.enabled}`, range: location });
  return { kind: 'command', command: { family: 'powershell', verb: shape.verb, cmdlet, args, location } };
}

/** A parameter name or alias, or the one parameter it is a prefix of (PowerShell's unique-prefix matching); undefined otherwise. */
function resolveParameter(written: string, parameters: ReadonlySet<string>): string | undefined {
  const lower = written.toLowerCase();
  if (parameters.has(lower)) return lower;
  const alias = ALIASES.get(lower);
  if (alias !== undefined && parameters.has(alias)) return alias;
  const candidates = new Set<string>();
  for (const parameter of parameters) if (parameter.startsWith(lower)) candidates.add(parameter);
  for (const [each, parameter] of ALIASES) if (each.startsWith(lower) && parameters.has(parameter)) candidates.add(parameter);
  return candidates.size === 1 ? [...candidates][0] : undefined;
}

/**
 * The value starting at word `at`, an array written over several words (`80, 443`, `@("80", "443")`) joined into one
 * comma list without its `@( )`; a variable assigned a literal array gives its items. In brackets PowerShell reads
 * expressions, not words: an item there that is no quoted string, number or variable (`(Get-Content ips.txt)`,
 * `@(5000-5010)`, which is -10) leaves the value unresolved (FW303). `last`: its last word.
 */
function joinedValue(words: readonly CmdletWord[], at: number, lookups: CmdletLookups): { arg: ScriptArg; last: number } {
  let last = at;
  let text = words[at]!.arg.text;
  const written = [words[at]!.written];
  let unresolved = words[at]!.arg.unresolved;
  let open = depth(words[at]!.written);
  while ((text.endsWith(',') || open > 0) && last + 1 < words.length) {
    const next = words[++last]!;
    text += next.arg.text;
    written.push(next.written);
    open += depth(next.written);
    unresolved ??= next.arg.unresolved;
  }
  const range = { ...words[at]!.arg.range, endLine: words[last]!.arg.range.endLine, endColumn: words[last]!.arg.range.endColumn };
  const whole = written.join(' ');
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(whole);
  const collection = variable === null ? undefined : lookups.collection(variable[1]!.toLowerCase());
  if (collection?.kind === 'array' && collection.items.every((item) => item !== undefined)) return { arg: { text: collection.items.join(','), range }, last };
  const bracketed = /^@?\(([\s\S]*)\)$/.exec(whole.trim());
  if (bracketed !== null && !splitTopLevel(bracketed[1]!).every((item) => EXPRESSION_LITERAL.test(item.trim()))) unresolved ??= whole;
  const list = withoutArrayBrackets(text);
  return { arg: unresolved === undefined ? { text: list, range } : { text: list, range, unresolved }, last };
}

/** An array item PowerShell reads as a value in expression mode: a quoted string, a number or a variable. */
const EXPRESSION_LITERAL = /^(?:"[^"]*"|'[^']*'|\d+|\$(?:\{[^}]+\}|(?:env:)?[A-Za-z_][A-Za-z0-9_]*))$/i;

/** How many more `(` than `)` a word has outside quotes. */
function depth(written: string): number {
  let open = 0;
  let quote: string | undefined;
  for (const ch of written) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '(') {
      open++;
    } else if (ch === ')') {
      open--;
    }
  }
  return open;
}

/** `@(80,443)` or `(80,443)` → `80,443`; anything else as it is. */
function withoutArrayBrackets(text: string): string {
  const match = /^@?\(([\s\S]*)\)$/.exec(text.trim());
  return match === null ? text : match[1]!;
}

/**
 * A hashtable entry's value as written (`80,443`, `@("80","443")`, `"Web"`, `$true`, `$mgmt`): its items as a comma list;
 * an item that is no literal and no variable with a known value leaves the value unresolved (FW303).
 */
function splatValue(written: string, range: SourceRange, lookups: CmdletLookups): ScriptArg {
  const items = splitTopLevel(withoutArrayBrackets(written.trim()));
  let unresolved: string | undefined;
  const values = items.map((item) => {
    const value = itemValue(item.trim(), lookups);
    if (value === undefined) unresolved ??= item.trim();
    return value ?? item.trim();
  });
  const text = values.join(',');
  return unresolved === undefined ? { text, range } : { text, range, unresolved };
}

/** The value a splat entry written `written` passes to a rule cmdlet (`splatValue`); undefined when fwlint does not compute it. */
export function splatEntryValue(written: string, lookups: CmdletLookups): string | undefined {
  const value = splatValue(written, { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 }, lookups);
  return value.unresolved === undefined ? value.text : undefined;
}

function itemValue(item: string, lookups: CmdletLookups): string | undefined {
  const literal = literalValue(item);
  if (literal !== undefined) return literal;
  if (/^\$true$/i.test(item)) return 'True';
  if (/^\$false$/i.test(item)) return 'False';
  const variable = /^\$(?:\{([^}]+)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(item);
  return variable === null ? undefined : lookups.variable((variable[1] ?? variable[2]!).toLowerCase());
}

/** `text` split at commas outside quotes and brackets; with a quote or bracket left open, one item (never a literal). */
function splitTopLevel(text: string): string[] {
  return splitOutsideQuotes(text, /,/) ?? [text];
}

/** How a rule cmdlet's parameter becomes a field of the rule (`add rule` keys, formats.md §4.4). */
interface Property {
  key: string;
  /** The parameter as Microsoft spells it, for messages. */
  label: string;
  /** An enumeration: its values (lower case) → the netsh value. */
  values?: ReadonlyMap<string, string>;
}

const property = (key: string, label: string, values?: Array<[string, string]>): Property => (values === undefined ? { key, label } : { key, label, values: new Map(values) });
const PROPERTIES: ReadonlyMap<string, Property> = new Map([
  // DisplayName is the rule's name (what netsh's name= is); Name, its id, is a GUID unless given.
  ['displayname', property('name', 'DisplayName')],
  ['newdisplayname', property('name', 'NewDisplayName')],
  ['name', property('id', 'Name')],
  ['group', property('group', 'Group')],
  ['description', property('description', 'Description')],
  ['enabled', property('enable', 'Enabled', [['true', 'yes'], ['false', 'no']])],
  ['direction', property('dir', 'Direction', [['inbound', 'in'], ['outbound', 'out']])],
  ['action', property('action', 'Action', [['allow', 'allow'], ['block', 'block'], ['notconfigured', 'notconfigured']])],
  ['overrideblockrules', property('overrideblockrules', 'OverrideBlockRules', [['true', 'yes'], ['false', 'no'], ['1', 'yes'], ['0', 'no']])],
  ['profile', property('profile', 'Profile')],
  ['edgetraversalpolicy', property('edge', 'EdgeTraversalPolicy', [['block', 'no'], ['allow', 'yes'], ['defertouser', 'deferuser'], ['defertoapp', 'deferapp']])],
  ['localaddress', property('localip', 'LocalAddress')],
  ['remoteaddress', property('remoteip', 'RemoteAddress')],
  ['protocol', property('protocol', 'Protocol')],
  ['localport', property('localport', 'LocalPort')],
  ['remoteport', property('remoteport', 'RemotePort')],
  ['icmptype', property('icmptype', 'IcmpType')],
  ['program', property('program', 'Program')],
  ['service', property('service', 'Service')],
  ['package', property('package', 'Package')],
  ['interfacealias', property('interfacealias', 'InterfaceAlias')],
  ['interfacetype', property('interfacetype', 'InterfaceType', [['any', 'any'], ['wired', 'lan'], ['wireless', 'wireless'], ['remoteaccess', 'ras']])],
  ['localuser', property('localuser', 'LocalUser')],
  ['owner', property('owner', 'Owner')],
  ['dynamictarget', property('dynamictarget', 'DynamicTarget')],
  ['remotemachine', property('rmtcomputergrp', 'RemoteMachine')],
  ['remoteuser', property('rmtusrgrp', 'RemoteUser')],
  ['authentication', property('authentication', 'Authentication')],
  ['encryption', property('encryption', 'Encryption')],
]);
/** PowerShell's port keyword for the RPC endpoint mapper, netsh's `RPC-EPMap`. */
const PORT_KEYWORD_SPELLING: ReadonlyMap<string, string> = new Map([['rpcepmap', 'RPC-EPMap']]);

/** Which rules a Set/Remove/Enable/Disable names: `-Name` (the id), `-DisplayName`, `-Group`, `-DisplayGroup`, or `-All`. */
export interface RuleSelector {
  by: 'name' | 'displayname' | 'group' | 'displaygroup' | 'all';
  field: SpecField;
  /** PowerShell wildcard patterns (`Web*`), any of which selects a rule. */
  patterns: Array<(value: string) => boolean>;
}

export type FirewallRuleEffect =
  | { verb: 'add'; name: string; fields: Map<string, SpecField> }
  | { verb: 'set'; selector: RuleSelector; changes: Map<string, SpecField> }
  | { verb: 'delete'; selector: RuleSelector };

/**
 * The rule a `New-NetFirewallRule` creates (its omitted parameters Microsoft's defaults: Direction Inbound, Action
 * Allow, the rest as omitted netsh keys are), or the rules a Set/Remove/Enable/Disable names and what it changes. An
 * enumeration value PowerShell does not accept (`-Direction In`) makes it refuse the command: an error, the command
 * skipped. Undefined when the command does nothing.
 */
export function firewallRuleEffect(command: FirewallRuleCommand, file: string, diagnostics: Diagnostic[]): FirewallRuleEffect | undefined {
  const fields = new Map<string, SpecField>();
  let selector: RuleSelector | undefined;
  for (const arg of command.args) {
    const equals = arg.text.indexOf('=');
    const parameter = arg.text.slice(0, equals);
    const value = arg.text.slice(equals + 1);
    if (command.verb !== 'add' && SELECTORS.includes(parameter)) {
      const label = parameter === 'all' ? 'All' : parameter === 'name' ? 'Name' : parameter === 'displayname' ? 'DisplayName' : parameter === 'group' ? 'Group' : 'DisplayGroup';
      const field: SpecField = { label, text: value, range: arg.range };
      if (arg.unresolved !== undefined) field.unresolved = arg.unresolved;
      selector = { by: parameter as RuleSelector['by'], field, patterns: splitList(value).map(wildcardPattern) };
      continue;
    }
    const target = PROPERTIES.get(parameter);
    if (target === undefined) continue;
    const field: SpecField = { label: target.label, text: value, range: arg.range };
    if (arg.unresolved !== undefined) {
      field.unresolved = arg.unresolved;
    } else if (target.values !== undefined) {
      const mapped = target.values.get(value.trim().toLowerCase());
      if (mapped === undefined) {
        const accepted = [...target.values.keys()].map(powerShellValueSpelling).join(', ');
        diagnostics.push(errorDiagnostic('parse/netsh-bad-value', file,
          `${command.cmdlet} -${target.label} "${shorten(value)}" is not one of ${accepted}, so PowerShell refuses the command; it is skipped`, arg.range));
        return undefined;
      }
      field.text = mapped;
    } else if (target.key === 'localport' || target.key === 'remoteport') {
      field.text = splitList(value).map((item) => PORT_KEYWORD_SPELLING.get(item.toLowerCase()) ?? item).join(',');
    }
    fields.set(target.key, field);
  }
  if (command.verb === 'add') {
    const name = fields.get('name');
    if (name === undefined || name.text.trim() === '') {
      diagnostics.push(errorDiagnostic('parse/netsh-missing-field', file, `${command.cmdlet} has no -DisplayName, which PowerShell requires; the command is skipped`, command.location));
      return undefined;
    }
    if (name.unresolved === undefined && /^all$/i.test(name.text.trim())) {
      diagnostics.push(errorDiagnostic('parse/netsh-bad-value', file, `${command.cmdlet} -DisplayName cannot be "All" (it selects every rule), so PowerShell refuses the command; it is skipped`, name.range));
      return undefined;
    }
    // Microsoft's defaults for what the command leaves out; the others are netsh's (formats.md §4.4).
    if (!fields.has('dir')) fields.set('dir', { label: 'Direction', text: 'in', range: command.location });
    if (!fields.has('action')) fields.set('action', { label: 'Action', text: 'allow', range: command.location });
    return { verb: 'add', name: name.text, fields };
  }
  // The reader makes a Set/Remove/Enable/Disable without a selector a warning, not a command.
  if (selector === undefined) return undefined;
  if (command.verb === 'delete') return { verb: 'delete', selector };
  if (fields.size === 0) {
    diagnostics.push(warningDiagnostic('parse/netsh-set-without-new', file, `${command.cmdlet} -${selector.field.label} "${shorten(selector.field.text)}" changes no property of the rules, so nothing changes`, command.location));
    return undefined;
  }
  return { verb: 'set', selector, changes: fields };
}

/**
 * A rule property's enumeration as PowerShell has it (`Direction`: `inbound` → netsh's `in`), for the JSON export
 * (src/parsers/powershell-json), whose values are these names; undefined for a property that is no enumeration.
 */
export function powerShellEnumeration(property: string): ReadonlyMap<string, string> | undefined {
  return PROPERTIES.get(property.toLowerCase())?.values;
}

/** An enumeration value as Microsoft spells it (`remoteaccess` → `RemoteAccess`), for messages. */
export function powerShellValueSpelling(value: string): string {
  return PROPERTY_VALUE_SPELLING.get(value.toLowerCase()) ?? value;
}

/** Enumeration values as Microsoft spells them, for messages. */
const PROPERTY_VALUE_SPELLING: ReadonlyMap<string, string> = new Map([
  ['true', 'True'], ['false', 'False'], ['inbound', 'Inbound'], ['outbound', 'Outbound'], ['allow', 'Allow'], ['block', 'Block'],
  ['notconfigured', 'NotConfigured'], ['defertouser', 'DeferToUser'], ['defertoapp', 'DeferToApp'], ['any', 'Any'], ['wired', 'Wired'],
  ['wireless', 'Wireless'], ['remoteaccess', 'RemoteAccess'], ['domain', 'Domain'], ['private', 'Private'], ['public', 'Public'],
  ['notrequired', 'NotRequired'], ['required', 'Required'], ['noencap', 'NoEncap'], ['dynamic', 'Dynamic'],
]);

/** Whether `selector` names `spec`: by its display name, its id (`-Name`, only when the script gave one), or its group. */
export function selectsRule(selector: RuleSelector, spec: NetshRuleSpec): boolean {
  if (selector.by === 'all') return true;
  const value = selector.by === 'displayname' ? spec.name : selector.by === 'name' ? spec.fields.get('id')?.text : spec.fields.get('group')?.text;
  if (value === undefined) return false;
  // A group written as an indirect string (`@FirewallAPI.dll,-28752`) shows as another text: DisplayGroup is not it.
  if (selector.by === 'displaygroup' && value.startsWith('@')) return false;
  return selector.patterns.some((matches) => matches(value));
}

/** One element of a wildcard pattern: `*`, or a test of one character (`?`, `[a-z]`, a character). */
type WildcardElement = 'star' | ((ch: string) => boolean);

/**
 * A PowerShell wildcard pattern (`*`, `?`, `[a-z]`, `[abc]`, backtick escapes), matched case-insensitively as a whole.
 * Matched without a regular expression, in time proportional to the pattern's length times the name's, so that a
 * hostile pattern (`*a*a*a*…`) cannot make it backtrack for ever.
 */
function wildcardPattern(pattern: string): (value: string) => boolean {
  const elements: WildcardElement[] = [];
  const lower = pattern.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    const end = ch === '[' ? lower.indexOf(']', i + 2) : -1;
    if (ch === '`' && i + 1 < lower.length) {
      const escaped = lower[++i]!;
      elements.push((each) => each === escaped);
    } else if (ch === '*') {
      elements.push('star');
    } else if (ch === '?') {
      elements.push(() => true);
    } else if (end !== -1) {
      const set = lower.slice(i + 1, end);
      elements.push((each) => inCharacterSet(set, each));
      i = end;
    } else {
      elements.push((each) => each === ch);
    }
  }
  return (value) => wildcardMatches(elements, value.toLowerCase());
}

/** Whether `ch` is in a `[…]` set's contents: characters and ranges `a-z`. */
function inCharacterSet(set: string, ch: string): boolean {
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      if (ch >= set[i]! && ch <= set[i + 2]!) return true;
      i += 2;
    } else if (set[i] === ch) {
      return true;
    }
  }
  return false;
}

/** Glob matching with one remembered star: on a mismatch, the last star takes one more character. */
function wildcardMatches(elements: readonly WildcardElement[], value: string): boolean {
  let at = 0;
  let position = 0;
  let star = -1;
  let starPosition = 0;
  while (position < value.length) {
    const element = elements[at];
    if (element === 'star') {
      star = at++;
      starPosition = position;
    } else if (element !== undefined && element(value[position]!)) {
      at++;
      position++;
    } else if (star !== -1) {
      at = star + 1;
      position = ++starPosition;
    } else {
      return false;
    }
  }
  while (elements[at] === 'star') at++;
  return at === elements.length;
}
