import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import { expandParameterKey } from './command-words';
import { HostPolicy } from './host-policy';
import { LEGACY_ICMP_TYPES, LEGACY_SERVICE_TYPES, legacyIcmpSettings, legacyServices } from './legacy-exceptions';
import type { LegacyException } from './legacy-exceptions';
import type { NetshRuleSpec, SpecChange, SpecField } from './netsh-rule-spec';
import { parseNetshProtocol, parseProfiles } from './netsh-values';
import type { NetshCommand, ScriptArg, ScriptCommand } from './script-reader';
import { firewallRuleEffect, selectsRule } from './firewall-rule-cmdlet';
import type { FirewallRuleCommand } from './firewall-rule-cmdlet';
import { splitWorlds } from './script-flow';
import type { WorldSplit } from './script-flow';

export interface ReplayResult {
  /** The rules that exist after the script ran, in creation order. */
  specs: NetshRuleSpec[];
  /**
   * Per command (same index): the rules it created (`add`) or changed (`set`), some perhaps deleted later; none for
   * `delete` and for a command that was skipped or matched nothing. What a comment above the command applies to.
   */
  touched: NetshRuleSpec[][];
  diagnostics: Diagnostic[];
}

// netsh advfirewall firewall parameter names (formats.md §4.4).
const ADD_RULE_KEYS: ReadonlySet<string> = new Set([
  'name', 'dir', 'action', 'program', 'service', 'description', 'enable', 'profile', 'localip', 'remoteip', 'localport',
  'remoteport', 'protocol', 'interfacetype', 'rmtcomputergrp', 'rmtusrgrp', 'edge', 'security',
]);
const SELECTOR_KEYS: ReadonlySet<string> = new Set([
  'name', 'dir', 'profile', 'program', 'service', 'localip', 'remoteip', 'localport', 'remoteport', 'protocol',
]);
const SET_SELECTOR_KEYS: ReadonlySet<string> = new Set([...SELECTOR_KEYS, 'group']);
const SET_NEW_KEYS: ReadonlySet<string> = new Set([...ADD_RULE_KEYS]);
/** The address and port lists, where a part netsh does not get changes what the rule admits. */
const LIST_KEYS: ReadonlySet<string> = new Set(['localip', 'remoteip', 'localport', 'remoteport']);
/** Values `set`/`delete` filters compare against when `add rule` omitted the parameter. */
const DEFAULTS: Readonly<Record<string, string>> = {
  profile: 'any', localip: 'any', remoteip: 'any', localport: 'any', remoteport: 'any', protocol: 'any',
};

// Legacy `netsh firewall` parameters, in positional order (formats.md §4.4; portopening's list is [unverified]).
const LEGACY_POSITIONS: Readonly<Record<string, readonly string[]>> = {
  'add portopening': ['protocol', 'port', 'name', 'mode', 'scope', 'addresses', 'profile', 'interface'],
  'set portopening': ['protocol', 'port', 'name', 'mode', 'scope', 'addresses', 'profile', 'interface'],
  'delete portopening': ['protocol', 'port', 'profile', 'interface'],
  'add allowedprogram': ['program', 'name', 'mode', 'scope', 'addresses', 'profile'],
  'set allowedprogram': ['program', 'name', 'mode', 'scope', 'addresses', 'profile'],
  'delete allowedprogram': ['program', 'profile'],
  'set service': ['type', 'mode', 'scope', 'addresses', 'profile'],
  'set icmpsetting': ['type', 'mode', 'profile', 'interface'],
};

/**
 * Copies one written rule may be split into by `set`s run under conditions (one per case: changed, unchanged); past
 * it, a conditional `set` makes the values it changes unknown instead.
 */
const MAX_COPIES_PER_RULE = 16;

/** Identity of a legacy exception: netsh firewall keys port openings by protocol and port, programs by path. */
const LEGACY_KEY = 'legacy exception';

/**
 * Replays a script's commands in order (formats.md §4.4): `add` creates a rule, `set … new …` changes every rule
 * its filters match, `delete` removes them. A `set`/`delete` that matches nothing the script created is reported:
 * it acts on a rule defined elsewhere, whose state fwlint cannot see. A command run only under conditions
 * (`NetshCommand.conditions`) acts only there: a rule it deletes stays under the other cases, a rule it changes is
 * split into the changed rule under its conditions and the unchanged one under the others (`NetshRuleSpec.branch`).
 */
export function replayNetshScript(commands: readonly ScriptCommand[], file: string): ReplayResult {
  const replay = new Replay(file);
  const policy = new HostPolicy(file, replay.diagnostics);
  const touched: NetshRuleSpec[][] = [];
  for (const command of commands) {
    replay.touched = [];
    if (command.family === 'host') {
      const after = policy.run(command, replay.specs);
      // A reset or import under conditions deletes the rules before it only there.
      replay.specs = command.conditions !== undefined && command.what !== 'firewallpolicy' ? replay.specs.flatMap((spec) => replay.remainingAfterDelete(spec, command.conditions)) : after.specs;
      replay.touched = after.touched;
    } else if (command.family === 'advfirewall') {
      replay.advfirewall(command);
    } else if (command.family === 'powershell') {
      replay.powershell(command);
    } else {
      replay.legacy(command);
    }
    touched.push(replay.touched);
  }
  // A comment above a command applies to the copies later conditional commands made of its rules too.
  return { specs: [...replay.specs, ...policy.rules()], touched: touched.map((specs) => replay.withCopies(specs)), diagnostics: replay.diagnostics };
}

class Replay {
  specs: NetshRuleSpec[] = [];
  /** The rules the current command created or changed. */
  touched: NetshRuleSpec[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Copies made of a rule by conditional commands, by the rule they were made of. */
  private readonly copies = new Map<NetshRuleSpec, NetshRuleSpec[]>();
  /** The rule as first created, of each copy, and how many copies of it there are. */
  private readonly originals = new Map<NetshRuleSpec, NetshRuleSpec>();
  private readonly copyCounts = new Map<NetshRuleSpec, number>();

  constructor(private readonly file: string) {}

  /** `specs` and the copies made of them, transitively, each once. */
  withCopies(specs: readonly NetshRuleSpec[]): NetshRuleSpec[] {
    const result = new Set<NetshRuleSpec>();
    const add = (spec: NetshRuleSpec): void => {
      if (result.has(spec)) return;
      result.add(spec);
      for (const copy of this.copies.get(spec) ?? []) add(copy);
    };
    for (const spec of specs) add(spec);
    return [...result];
  }

  advfirewall(command: NetshCommand): void {
    const what = `${command.verb} rule`;
    if (command.verb === 'add') {
      const fields = this.readArgs(command.args, ADD_RULE_KEYS, what);
      const name = fields.get('name');
      if (name === undefined || name.text.trim() === '') return this.missing(command, `${what} has no name= parameter, which netsh requires`);
      if (name.text.toLowerCase() === 'all') {
        return this.error('parse/netsh-bad-value', `netsh rejects ${what} name=all ("all" is reserved for selecting every rule); the command is skipped`, name.range);
      }
      const spec: NetshRuleSpec = { name: name.text, location: command.location, fields, icmpRows: [], extra: new Map() };
      if (command.conditions !== undefined) spec.branch = [...command.conditions];
      this.specs.push(spec);
      this.touched.push(spec);
      return;
    }
    const newAt = command.verb === 'set' ? command.args.findIndex((arg) => arg.text.toLowerCase() === 'new') : -1;
    const selectorArgs = newAt === -1 ? command.args : command.args.slice(0, newAt);
    const selectors = this.readArgs(selectorArgs, command.verb === 'set' ? SET_SELECTOR_KEYS : SELECTOR_KEYS, what);
    const target = selectors.get('name') ?? selectors.get('group');
    if (target === undefined) {
      return this.missing(command, `${what} has no ${command.verb === 'set' ? 'name= or group=' : 'name='} parameter, which netsh requires`);
    }
    const described = `${what} ${target.label}="${shorten(target.text)}"`;
    const unresolved = [...selectors.values()].find((field) => field.unresolved !== undefined);
    if (unresolved !== undefined) {
      return this.warning('parse/netsh-unresolved',
        `${described}: ${unresolved.label} is ${unresolved.unresolved}, which cannot be resolved statically; the command is not replayed`, unresolved.range);
    }
    if (command.verb === 'delete') {
      const matched = new Set(this.specs.filter((spec) => matchesSelectors(spec, selectors)));
      if (matched.size === 0) this.noMatch(described, command.location);
      this.specs = this.specs.flatMap((spec) => (matched.has(spec) ? this.remainingAfterDelete(spec, command.conditions) : [spec]));
      return;
    }
    const changes = this.readArgs(newAt === -1 ? [] : command.args.slice(newAt + 1), SET_NEW_KEYS, what);
    if (changes.size === 0) {
      return this.warning('parse/netsh-set-without-new', `${described} has no "new" changes, so netsh changes nothing`, command.location);
    }
    if (selectors.has('group') && [...changes.keys()].some((key) => key !== 'enable')) {
      return this.warning('parse/netsh-bad-argument', `${described}: with group= netsh can only change enable=, so it rejects the command`, command.location);
    }
    const matched = new Set(this.specs.filter((spec) => matchesSelectors(spec, selectors)));
    const group = selectors.get('group');
    if (matched.size === 0 && group !== undefined && /^yes$/i.test(changes.get('enable')?.text.trim() ?? '')) {
      this.groupTurnedOn(described, group.text, command.location);
    } else if (matched.size === 0) {
      this.noMatch(described, command.location);
    }
    const change: SpecChange = { location: command.location, command: what, changed: [...changes.values()].map((field) => field.label) };
    this.specs = this.specs.flatMap((spec) => (matched.has(spec) ? this.afterSet(spec, changes, command, change) : [spec]));
  }

  /**
   * A NetSecurity rule cmdlet, as the netsh command it is equivalent to: `New-NetFirewallRule` adds a rule (its own
   * kind, `powershell`), `Set-`/`Enable-`/`Disable-NetFirewallRule` change and `Remove-NetFirewallRule` deletes the
   * rules its `-Name`, `-DisplayName`, `-Group` or `-DisplayGroup` names, as `set rule` and `delete rule` do.
   */
  powershell(command: FirewallRuleCommand): void {
    const effect = firewallRuleEffect(command, this.file, this.diagnostics);
    if (effect === undefined) return;
    if (effect.verb === 'add') {
      // -Name is the rule's unique id: PowerShell refuses to create a second rule with one that exists.
      const id = effect.fields.get('id');
      const holder = id === undefined || id.unresolved !== undefined || command.conditions !== undefined ? undefined
        : this.specs.find((spec) => spec.branch === undefined && spec.fields.get('id')?.unresolved === undefined && spec.fields.get('id')?.text.toLowerCase() === id.text.toLowerCase());
      if (holder !== undefined) {
        return this.warning('parse/netsh-bad-argument',
          `${command.cmdlet} -Name "${shorten(id!.text)}": the rule created on line ${holder.location.startLine} has this -Name already, so PowerShell refuses ` +
            'the command and it creates no rule; it is skipped', id!.range);
      }
      const spec: NetshRuleSpec = { name: effect.name, location: command.location, fields: effect.fields, icmpRows: [], extra: new Map(), source: 'powershell' };
      if (command.conditions !== undefined) spec.branch = [...command.conditions];
      this.specs.push(spec);
      this.touched.push(spec);
      return;
    }
    const { selector } = effect;
    const described = selector.by === 'all' ? `${command.cmdlet} -All` : `${command.cmdlet} -${selector.field.label} "${shorten(selector.field.text)}"`;
    if (selector.field.unresolved !== undefined) {
      return this.warning('parse/netsh-unresolved',
        `${described}: -${selector.field.label} is ${selector.field.unresolved}, which cannot be resolved statically; the command is not replayed`, selector.field.range);
    }
    const matched = new Set(this.specs.filter((spec) => selectsRule(selector, spec)));
    if (effect.verb === 'delete') {
      if (matched.size === 0 && selector.by !== 'all') this.noMatch(described, command.location);
      this.specs = this.specs.flatMap((spec) => (matched.has(spec) ? this.remainingAfterDelete(spec, command.conditions) : [spec]));
      return;
    }
    const isGroup = selector.by === 'group' || selector.by === 'displaygroup';
    if (matched.size === 0 && isGroup && /^yes$/i.test(effect.changes.get('enable')?.text ?? '')) this.groupTurnedOn(described, selector.field.text, command.location);
    else if (matched.size === 0) this.noMatch(described, command.location);
    // Enable-/Disable-NetFirewallRule change what their name says, with no parameter written for it.
    const changed = /^(?:Enable|Disable)-/i.test(command.cmdlet) ? [] : [...effect.changes.values()].map((field) => `-${field.label}`);
    const change: SpecChange = { location: command.location, command: command.cmdlet, changed };
    this.specs = this.specs.flatMap((spec) => (matched.has(spec) ? this.afterSet(spec, effect.changes, command, change) : [spec]));
  }

  /** A group of rules turned on that the script did not create: Windows' built-in rules of that group, which fwlint cannot see. */
  private groupTurnedOn(described: string, group: string, location: SourceRange): void {
    this.warning('parse/netsh-no-match',
      `${described} matches no rule created earlier in this script: it turns on a group of rules defined elsewhere ` +
        `(Windows' built-in "${shorten(group)}" rules${builtInGroupHint(group)}), which fwlint cannot see, so what it opens is not checked; ` +
        'scan an export of the host\'s rules taken after the script ran ("netsh advfirewall firewall show rule name=all verbose > host.txt")',
      location);
  }

  /** The rules `spec` leaves after a `delete` run under `conditions`: none, itself, or copies for the cases it stays in. */
  remainingAfterDelete(spec: NetshRuleSpec, conditions: readonly string[] | undefined): NetshRuleSpec[] {
    if (conditions === undefined) return [];
    const split = splitWorlds(spec.branch ?? [], conditions);
    if (split.runs === 'always') return [];
    if (split.runs === 'never' || split.otherwise === undefined || this.isCopyLimitReached(spec, split.otherwise.length)) return [spec];
    return this.copiesUnder(spec, split.otherwise);
  }

  /**
   * The rules `spec` becomes after a `set` (`changes`): itself changed, or, under conditions that may not hold where
   * it exists, the changed copy under them and the unchanged rule under the other cases.
   */
  private afterSet(spec: NetshRuleSpec, changes: ReadonlyMap<string, SpecField>, command: Pick<NetshCommand, 'location' | 'conditions'>, change: SpecChange): NetshRuleSpec[] {
    const apply = (target: NetshRuleSpec, isCertain: boolean): void => {
      target.changes = [...(target.changes ?? []), change];
      for (const [key, field] of changes) {
        // A rename that may not have happened keeps the name the rule is known by.
        if (key === 'name' && !isCertain) continue;
        if (key === 'name') target.name = field.text;
        // Too many cases to follow: the value is this one or the one before, which fwlint leaves unknown.
        const uncertain = `${field.text} or as before (the set rule on line ${command.location.startLine} may not run)`;
        target.fields.set(key, isCertain ? field : { ...field, unresolved: uncertain });
      }
      this.touched.push(target);
    };
    const split: WorldSplit = command.conditions === undefined ? { runs: 'always' } : splitWorlds(spec.branch ?? [], command.conditions);
    if (split.runs === 'never') {
      this.touched.push(spec);
      return [spec];
    }
    if (split.runs === 'always') {
      apply(spec, true);
      return [spec];
    }
    if (this.isCopyLimitReached(spec, split.otherwise?.length ?? 1)) {
      apply(spec, false);
      return [spec];
    }
    const changed = this.copyOf(spec, split.added);
    apply(changed, true);
    this.touched.push(spec);
    const unchanged = split.otherwise === undefined ? [spec] : this.copiesUnder(spec, split.otherwise);
    return [...unchanged, changed];
  }

  private isCopyLimitReached(spec: NetshRuleSpec, more: number): boolean {
    return (this.copyCounts.get(this.originals.get(spec) ?? spec) ?? 0) + more > MAX_COPIES_PER_RULE;
  }

  /** `spec` under each of `cases` (conditions added to its branch): itself for the first, copies for the others. */
  private copiesUnder(spec: NetshRuleSpec, cases: readonly string[][]): NetshRuleSpec[] {
    const result = cases.slice(1).map((literals) => this.copyOf(spec, literals));
    spec.branch = [...(spec.branch ?? []), ...cases[0]!];
    return [spec, ...result];
  }

  private copyOf(spec: NetshRuleSpec, literals: readonly string[]): NetshRuleSpec {
    const copy: NetshRuleSpec = {
      name: spec.name,
      location: spec.location,
      fields: new Map(spec.fields),
      icmpRows: [...spec.icmpRows],
      extra: new Map(spec.extra),
      branch: [...(spec.branch ?? []), ...literals],
    };
    if (spec.source !== undefined) copy.source = spec.source;
    if (spec.changes !== undefined) copy.changes = [...spec.changes];
    const original = this.originals.get(spec) ?? spec;
    this.originals.set(copy, original);
    this.copyCounts.set(original, (this.copyCounts.get(original) ?? 0) + 1);
    const list = this.copies.get(spec);
    if (list === undefined) this.copies.set(spec, [copy]);
    else list.push(copy);
    return copy;
  }

  legacy(command: NetshCommand): void {
    if (command.object === 'service' || command.object === 'icmpsetting') return this.legacyBuiltIn(command);
    const what = `${command.verb} ${command.object}`;
    const positions = LEGACY_POSITIONS[what]!;
    const args = this.readLegacyArgs(command.args, positions, `netsh firewall ${what}`);
    const isPort = command.object === 'portopening';
    const keys = this.legacyKeys(args, isPort, command, what);
    if (keys === undefined) return;
    let replaced: NetshRuleSpec | undefined;
    if (command.verb !== 'add') {
      const profile = args.get('profile');
      const wanted = profile === undefined ? undefined : legacyProfiles(profile.text);
      const matches = (spec: NetshRuleSpec): boolean =>
        keys.includes(spec.extra.get(LEGACY_KEY)?.text ?? '') &&
        (wanted === undefined || legacyProfiles(spec.fields.get('profile')?.text ?? 'current') === wanted);
      replaced = this.specs.find(matches);
      if (replaced === undefined) this.noMatch(`netsh firewall ${what} ${keys.join(', ')}`, command.location);
      // `set` replaces the exception's settings: modelled as the old one removed and the new one added.
      this.specs = this.specs.flatMap((spec) => (matches(spec) ? this.remainingAfterDelete(spec, command.conditions) : [spec]));
      if (command.verb === 'delete') return;
    }
    const name = args.get('name') ?? replaced?.fields.get('name');
    if (name === undefined) return this.missing(command, `netsh firewall ${what} has no name, which netsh requires`);
    const synthetic = (label: string, text: string, range: SourceRange = command.location): SpecField => ({ label, text, range });
    const mode = args.get('mode');
    let enable = synthetic('mode', 'yes');
    if (mode !== undefined) {
      const lower = mode.text.toLowerCase();
      if (lower !== 'enable' && lower !== 'disable') {
        this.error('parse/netsh-bad-value', `netsh firewall ${what} "${shorten(name.text)}": mode "${shorten(mode.text)}" is not ENABLE or DISABLE; the exception is treated as enabled`, mode.range);
      }
      enable = { ...mode, text: lower === 'disable' ? 'no' : 'yes' };
    }
    const remote = this.legacyScope(args, command, what, name.text);
    if (remote === undefined) return;
    const profileArg = args.get('profile');
    const profile = profileArg === undefined ? synthetic('profile', 'current') : { ...profileArg, text: legacyProfiles(profileArg.text) };
    for (const key of keys) {
      const fields = new Map<string, SpecField>([
        ['name', name],
        // netsh firewall exceptions are always inbound allow rules.
        ['dir', synthetic(command.object, 'in')],
        ['action', synthetic(command.object, 'allow')],
        ['enable', enable],
        ['remoteip', remote],
        ['profile', profile],
      ]);
      if (isPort) {
        fields.set('protocol', { ...args.get('protocol')!, text: key.split(':')[1]! });
        fields.set('localport', args.get('port')!);
      } else {
        fields.set('program', args.get('program')!);
      }
      const extra = new Map([[LEGACY_KEY, synthetic(LEGACY_KEY, key)]]);
      const spec: NetshRuleSpec = { name: name.text, location: command.location, fields, icmpRows: [], extra };
      if (command.conditions !== undefined) spec.branch = [...command.conditions];
      this.specs.push(spec);
      this.touched.push(spec);
    }
  }

  /**
   * `netsh firewall set service …` and `set icmpsetting …`: turn a built-in exception on or off, with its scope and
   * profile. It replaces what an earlier command of the script set for the same exception (and profile).
   */
  private legacyBuiltIn(command: NetshCommand): void {
    const isService = command.object === 'service';
    const what = `netsh firewall set ${command.object}`;
    const args = this.readLegacyArgs(command.args, LEGACY_POSITIONS[`set ${command.object}`]!, what);
    const type = args.get('type');
    if (type === undefined) return this.missing(command, `${what} has no type, which netsh requires`);
    if (type.unresolved !== undefined) {
      return this.warning('parse/netsh-unresolved', `${what}: type is ${type.unresolved}, which cannot be resolved statically; the command is not replayed`, type.range);
    }
    let exceptions: LegacyException[] | undefined;
    if (isService) {
      exceptions = legacyServices(type.text);
    } else {
      const icmp = legacyIcmpSettings(type.text);
      exceptions = icmp?.exceptions;
      if (icmp !== undefined && icmp.notModelled.length > 0 && args.get('mode')?.text.trim().toLowerCase() !== 'disable') {
        this.warning('parse/netsh-not-read', `${what} ${shorten(type.text)}: fwlint does not model the ICMP ${icmp.notModelled.join(' and ')} setting, so what it lets in is not checked`, type.range);
      }
    }
    if (exceptions === undefined) {
      return this.error('parse/netsh-bad-value',
        `${what}: type "${shorten(type.text)}" is not ${isService ? LEGACY_SERVICE_TYPES : LEGACY_ICMP_TYPES}; the command is skipped`, type.range);
    }
    const synthetic = (label: string, text: string, range: SourceRange = command.location): SpecField => ({ label, text, range });
    const mode = args.get('mode');
    const modeText = mode?.text.trim().toLowerCase() ?? 'enable';
    if (modeText !== 'enable' && modeText !== 'disable') {
      return this.error('parse/netsh-bad-value', `${what} ${shorten(type.text)}: mode "${shorten(mode!.text)}" is not ENABLE or DISABLE; the command is skipped`, mode!.range);
    }
    const enable = mode === undefined ? synthetic('mode', 'yes') : { ...mode, text: modeText === 'disable' ? 'no' : 'yes' };
    // ICMP settings have no scope: they apply to every remote address.
    const remote = isService ? this.legacyScope(args, command, `set ${command.object}`, type.text) : synthetic('icmpsetting', 'any');
    if (remote === undefined) return;
    const profileArg = args.get('profile');
    const profile = profileArg === undefined ? synthetic('profile', 'current') : { ...profileArg, text: legacyProfiles(profileArg.text) };
    const keys = new Set(exceptions.map((exception) => exception.key));
    const isReplaced = (spec: NetshRuleSpec): boolean => keys.has(spec.extra.get(LEGACY_KEY)?.text ?? '') &&
      (profileArg === undefined || legacyProfiles(spec.fields.get('profile')?.text ?? 'current') === profile.text);
    // Under conditions, what it replaces stays for the other cases.
    this.specs = this.specs.flatMap((spec) => (isReplaced(spec) ? this.remainingAfterDelete(spec, command.conditions) : [spec]));
    for (const exception of exceptions) {
      if (exception.notModelled !== undefined && modeText === 'enable') {
        this.warning('parse/netsh-not-read', `${what} ${shorten(type.text)}: fwlint models the ${exception.name} exception's ports, not ${exception.notModelled}, which are not checked`, type.range);
      }
      for (const opening of exception.openings) {
        const fields = new Map<string, SpecField>([
          ['name', synthetic(command.object, exception.name)],
          ['dir', synthetic(command.object, 'in')],
          ['action', synthetic(command.object, 'allow')],
          ['enable', enable],
          ['remoteip', remote],
          ['profile', profile],
          ['protocol', { ...type, label: 'type', text: opening.protocol }],
        ]);
        if (opening.ports !== undefined) fields.set('localport', { ...type, label: 'type', text: opening.ports });
        const spec: NetshRuleSpec = { name: exception.name, location: command.location, fields, icmpRows: [], extra: new Map([[LEGACY_KEY, synthetic(LEGACY_KEY, exception.key)]]) };
        if (command.conditions !== undefined) spec.branch = [...command.conditions];
        this.specs.push(spec);
        this.touched.push(spec);
      }
    }
  }

  /** The exception identities a legacy command names: `tcp:80` (both TCP and UDP for ALL) or a program path. */
  private legacyKeys(args: Map<string, SpecField>, isPort: boolean, command: NetshCommand, what: string): string[] | undefined {
    if (!isPort) {
      const program = args.get('program');
      if (program === undefined) return this.missing(command, `netsh firewall ${what} has no program, which netsh requires`);
      return [`program:${program.text.toLowerCase()}`];
    }
    const protocol = args.get('protocol');
    const port = args.get('port');
    if (protocol === undefined || port === undefined) {
      return this.missing(command, `netsh firewall ${what} needs a protocol and a port`);
    }
    const lower = protocol.text.toLowerCase();
    if (lower !== 'tcp' && lower !== 'udp' && lower !== 'all') {
      this.error('parse/netsh-bad-value', `netsh firewall ${what}: protocol "${shorten(protocol.text)}" is not TCP, UDP or ALL; the command is skipped`, protocol.range);
      return undefined;
    }
    const protocols = lower === 'all' ? ['tcp', 'udp'] : [lower];
    return protocols.map((name) => `port:${name}:${port.text.trim()}`);
  }

  /** scope=ALL → any remote address, SUBNET → LocalSubnet, CUSTOM → `addresses` (given addresses imply CUSTOM). */
  private legacyScope(args: Map<string, SpecField>, command: NetshCommand, what: string, name: string): SpecField | undefined {
    const scope = args.get('scope');
    const addresses = args.get('addresses');
    const scopeText = scope?.text.toLowerCase() ?? (addresses === undefined ? 'all' : 'custom');
    if (scopeText === 'all') return scope === undefined ? { label: 'scope', text: 'any', range: command.location } : { ...scope, text: 'any' };
    if (scopeText === 'subnet') return { ...scope!, text: 'LocalSubnet' };
    if (scopeText === 'custom') {
      if (addresses !== undefined) return addresses;
      this.missing(command, `netsh firewall ${what} "${shorten(name)}" has scope=CUSTOM but no addresses`);
      return undefined;
    }
    this.error('parse/netsh-bad-value', `netsh firewall ${what} "${shorten(name)}": scope "${shorten(scope!.text)}" is not ALL, SUBNET or CUSTOM; the command is skipped`, scope!.range);
    return undefined;
  }

  private readArgs(args: readonly ScriptArg[], allowed: ReadonlySet<string>, what: string): Map<string, SpecField> {
    const fields = new Map<string, SpecField>();
    for (const arg of args) {
      const equals = arg.text.indexOf('=');
      if (equals <= 0) {
        this.warning('parse/netsh-bad-argument', `${what}: "${shorten(arg.text)}" is not a key=value argument; it is ignored`, arg.range);
        continue;
      }
      // netsh takes any unambiguous prefix of a key (`act=allow`, `prof=any`).
      const key = expandParameterKey(arg.text.slice(0, equals).trim().toLowerCase(), allowed);
      if (!allowed.has(key)) {
        this.warning('parse/netsh-unknown-parameter', `${what}: netsh does not accept "${key}=" here; it is ignored`, arg.range);
        continue;
      }
      if (arg.splitReference !== undefined && LIST_KEYS.has(key)) this.warnSplitList(key, arg.text.slice(equals + 1), arg, what);
      if (fields.has(key)) this.warning('parse/netsh-duplicate-parameter', `${what}: ${key}= is given twice; the last one is used`, arg.range);
      fields.set(key, toField(key, arg.text.slice(equals + 1), arg));
    }
    return fields;
  }

  /**
   * `remoteip=%LIST%` where LIST holds `10.0.0.0/8, 192.168.0.0/16`: cmd splits the expanded command line at the blank,
   * so netsh takes the first word as the value and the rest as arguments that are no `key=value`, which it does not
   * accept. fwlint reads the whole list (more open, never less, than what netsh may create) and says so.
   */
  private warnSplitList(key: string, value: string, arg: ScriptArg, what: string): void {
    const [first = '', ...rest] = value.trim().split(/[ \t]+/);
    this.warning('parse/netsh-bad-argument',
      `${what}: ${key}= is "${shorten(value)}" once cmd expands ${shorten(arg.splitReference!)}, and cmd splits the command line at ` +
        `its blanks: netsh gets ${key}=${shorten(first)} and then ${rest.map((word) => `"${shorten(word)}"`).join(', ')}, ` +
        `${rest.length > 1 ? 'which are no key=value arguments' : 'which is no key=value argument'}, so the rule may not be created as written; fwlint reads the whole list (write it without blanks)`,
      arg.range);
  }

  /** Legacy arguments may be `key=value` or positional (formats.md §4.4); positional ones fill the next free slot. */
  private readLegacyArgs(args: readonly ScriptArg[], positions: readonly string[], what: string): Map<string, SpecField> {
    const fields = new Map<string, SpecField>();
    for (const arg of joinSpacedEquals(args)) {
      const equals = arg.text.indexOf('=');
      const key = equals > 0 ? expandParameterKey(arg.text.slice(0, equals).trim().toLowerCase(), new Set(positions)) : undefined;
      if (key !== undefined && positions.includes(key)) {
        fields.set(key, toField(key, arg.text.slice(equals + 1), arg));
        continue;
      }
      const slot = positions.find((position) => !fields.has(position));
      if (key !== undefined || slot === undefined) {
        this.warning('parse/netsh-bad-argument', `${what}: "${shorten(arg.text)}" is not a parameter of this command; it is ignored`, arg.range);
        continue;
      }
      fields.set(slot, toField(slot, arg.text, arg));
    }
    return fields;
  }

  private missing(command: NetshCommand, problem: string): undefined {
    this.error('parse/netsh-missing-field', `${problem}; the command is skipped`, command.location);
    return undefined;
  }

  private noMatch(described: string, range: SourceRange): void {
    this.warning('parse/netsh-no-match',
      `${described} matches no rule created earlier in this script, so it acts on a rule defined elsewhere that fwlint cannot see`, range);
  }

  private error(code: string, message: string, range: SourceRange): undefined {
    this.diagnostics.push(errorDiagnostic(code, this.file, message, range));
    return undefined;
  }

  private warning(code: string, message: string, range: SourceRange): undefined {
    this.diagnostics.push(warningDiagnostic(code, this.file, message, range));
    return undefined;
  }
}

/**
 * Legacy arguments written with spaces around `=` (`mode = enable`, as scripts for `netsh firewall` often do, and
 * netsh reads) joined into one `mode=enable` argument.
 */
function joinSpacedEquals(args: readonly ScriptArg[]): ScriptArg[] {
  const joined: ScriptArg[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const next = args[index + 1];
    const isKey = /^[a-z]+$/i.test(arg.text);
    let parts: ScriptArg[] | undefined;
    if (isKey && next?.text === '=' && args[index + 2] !== undefined) parts = [arg, next, args[index + 2]!];
    else if (isKey && next !== undefined && next.text.startsWith('=') && next.text.length > 1) parts = [arg, next];
    else if (/^[a-z]+=$/i.test(arg.text) && next !== undefined && !next.text.includes('=')) parts = [arg, next];
    if (parts === undefined) {
      joined.push(arg);
      continue;
    }
    const last = parts[parts.length - 1]!;
    const merged: ScriptArg = {
      text: parts.map((part) => part.text).join(''),
      range: { startLine: arg.range.startLine, startColumn: arg.range.startColumn, endLine: last.range.endLine, endColumn: last.range.endColumn },
    };
    const unresolved = parts.find((part) => part.unresolved !== undefined)?.unresolved;
    if (unresolved !== undefined) merged.unresolved = unresolved;
    joined.push(merged);
    index += parts.length - 1;
  }
  return joined;
}

function toField(key: string, value: string, arg: ScriptArg): SpecField {
  const field: SpecField = { label: key, text: value, range: arg.range };
  if (arg.unresolved !== undefined && value.includes(arg.unresolved)) field.unresolved = arg.unresolved;
  return field;
}

/** Legacy profiles: `ALL` is domain + standard (not public), `STANDARD` is private (formats.md §4.4). */
function legacyProfiles(text: string): string {
  const lower = text.trim().toLowerCase();
  return lower === 'all' ? 'domain,private' : lower === 'standard' ? 'private' : lower;
}

/** netsh `set`/`delete` filters: every given filter must equal the rule's value; `name=all` matches any name. */
function matchesSelectors(spec: NetshRuleSpec, selectors: ReadonlyMap<string, SpecField>): boolean {
  for (const [key, selector] of selectors) {
    if (key === 'name') {
      // [unverified] netsh compares rule names case-insensitively, as Windows does for other object names.
      if (selector.text.toLowerCase() !== 'all' && selector.text.toLowerCase() !== spec.name.toLowerCase()) return false;
      continue;
    }
    const value = spec.fields.get(key)?.text ?? DEFAULTS[key];
    if (value === undefined || canonical(key, value) !== canonical(key, selector.text)) return false;
  }
  return true;
}

function canonical(key: string, text: string): string {
  if (key === 'profile') return parseProfiles(text).profiles.join(',');
  if (key === 'protocol') {
    const parsed = parseNetshProtocol(text);
    if (!parsed.ok) return text.toLowerCase();
    const { protocol, icmp } = parsed.value;
    return `${protocol.kind === 'any' ? 'any' : protocol.value}${icmp ? `:${icmp.type},${icmp.code}`.toLowerCase() : ''}`;
  }
  return text.replace(/\s+/g, '').toLowerCase();
}

/** What a built-in rule group opens on a default Windows, for the groups scripts turn on most. */
const BUILT_IN_GROUPS: ReadonlyMap<string, string> = new Map([
  ['remote desktop', 'TCP and UDP 3389 from any address'],
  ['file and printer sharing', 'TCP 139 and 445, UDP 137 and 138, ICMP echo'],
  ['windows remote management', 'TCP 5985'],
  ['windows management instrumentation (wmi)', 'RPC: TCP 135 and dynamic ports'],
]);

function builtInGroupHint(group: string): string {
  const hint = BUILT_IN_GROUPS.get(group.trim().toLowerCase());
  return hint === undefined ? '' : `: on a default Windows ${hint}`;
}
