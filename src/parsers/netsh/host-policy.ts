import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import type { NetshRuleSpec, SpecField } from './netsh-rule-spec';
import type { ScriptArg } from './script-reader';

/**
 * Host-wide netsh commands, which change the firewall as a whole rather than one rule: `netsh advfirewall set
 * <profile> firewallpolicy …` (the default action for traffic no rule matches), `netsh advfirewall reset` and legacy
 * `netsh firewall reset` (Windows' default policy and rules back), `netsh advfirewall import FILE` (the whole policy
 * replaced by FILE's).
 */
export interface HostCommand {
  family: 'host';
  what: 'firewallpolicy' | 'reset' | 'import';
  /** The command as written in messages (`netsh advfirewall reset`). */
  text: string;
  /** firewallpolicy: `allprofiles`, `domainprofile`, … */
  profile?: string;
  /** firewallpolicy: the policy value; import: the file. */
  args: ScriptArg[];
  location: SourceRange;
  /** The conditions it runs under, as `Rule.branch` literals, when it runs only under some (`script-flow.ts`). */
  conditions?: string[];
}

/** Name of the rule that stands for an inbound default policy of AllowInbound. */
export const INBOUND_ALLOW_POLICY_NAME = 'Inbound default policy AllowInbound';

const PROFILE_SLOTS: Readonly<Record<string, readonly string[]>> = {
  allprofiles: ['domain', 'private', 'public', 'current'],
  domainprofile: ['domain'],
  privateprofile: ['private'],
  publicprofile: ['public'],
  currentprofile: ['current'],
};
const INBOUND_POLICIES: ReadonlySet<string> = new Set(['allowinbound', 'blockinbound', 'blockinboundalways', 'notconfigured']);

/**
 * The host command `words` (lower case, abbreviations written out) name, with the arguments after the command words;
 * undefined for any other command.
 */
export function hostCommandAt(words: readonly string[]): { what: HostCommand['what']; profile?: string; argsAt: number } | undefined {
  if (words[0] === 'advfirewall') {
    if (words[1] === 'reset') return { what: 'reset', argsAt: 2 };
    if (words[1] === 'import') return { what: 'import', argsAt: 2 };
    if (words[1] === 'set' && PROFILE_SLOTS[words[2] ?? ''] !== undefined && words[3] === 'firewallpolicy') {
      return { what: 'firewallpolicy', profile: words[2]!, argsAt: 4 };
    }
  }
  if (words[0] === 'firewall' && words[1] === 'reset') return { what: 'reset', argsAt: 2 };
  return undefined;
}

/**
 * The inbound default policy per profile as a script sets it, and the rule set's replacement by `reset`/`import`.
 * An inbound default of AllowInbound lets in every connection no block rule stops, as an allow rule from any address
 * on every protocol would: it becomes such a rule (on those profiles, at the command), so that the checks see the
 * host as open as it is (FW101, FW102).
 */
export class HostPolicy {
  /** Profile (or `current`) → the rule of the command that set AllowInbound on it. */
  private readonly allowInbound = new Map<string, NetshRuleSpec>();
  private readonly policyRules: NetshRuleSpec[] = [];

  constructor(private readonly file: string, private readonly diagnostics: Diagnostic[]) {}

  /** Runs `command` on `specs` (the rules so far); returns the rules after it and those it created. */
  run(command: HostCommand, specs: NetshRuleSpec[]): { specs: NetshRuleSpec[]; touched: NetshRuleSpec[] } {
    if (command.what === 'firewallpolicy') return { specs, touched: this.setPolicy(command) };
    // Under conditions (`if … netsh advfirewall reset`) the policy and rules before it stay for the other cases: the
    // caller keeps them there.
    const isConditional = command.conditions !== undefined;
    if (!isConditional) this.allowInbound.clear();
    const count = specs.length;
    const deleted =
      count === 0 ? ''
      : isConditional ? ` It runs only under a condition: the rules this script created above are checked for the cases where it does not run.`
      : count === 1 ? ' It deletes the rule this script created above, which is not checked.'
      : ` It deletes the ${count} rules this script created above, which are not checked.`;
    const message =
      command.what === 'import'
        ? `"${command.text}" replaces the whole firewall policy (rules and profile settings) with the one in ` +
          `${command.args[0] === undefined ? 'the file' : `"${shorten(command.args[0].text)}"`}, which fwlint does not read, so the host's rules after it are not known.${deleted}`
        : `"${command.text}" restores Windows' default firewall policy and its built-in rules, which fwlint cannot see, so the host's rules after it are not known.${deleted}`;
    this.diagnostics.push(warningDiagnostic('parse/netsh-policy-replaced', this.file,
      `${message} Only the rules the script creates below it are checked; to check the host, scan an export of its rules taken after the script ran ` +
        '("netsh advfirewall firewall show rule name=all verbose > host.txt")',
      command.location));
    return { specs: [], touched: [] };
  }

  /** The rules standing for AllowInbound defaults still in force, in the order of their commands. */
  rules(): NetshRuleSpec[] {
    const result: NetshRuleSpec[] = [];
    for (const rule of this.policyRules) {
      const slots = [...this.allowInbound].filter(([, owner]) => owner === rule).map(([slot]) => slot);
      if (slots.length === 0) continue;
      const field = rule.fields.get('profile')!;
      // `currentprofile`: whichever profile was active when the script ran, which fwlint cannot know (FW303).
      rule.fields.set('profile', slots.includes('current') ? { ...field, text: 'any', unresolved: 'currentprofile' } : { ...field, text: slots.join(',') });
      result.push(rule);
    }
    return result;
  }

  private setPolicy(command: HostCommand): NetshRuleSpec[] {
    const value = command.args[0];
    if (value === undefined) return this.error('parse/netsh-missing-field', `"${command.text}" has no policy value, which netsh requires; the command is skipped`, command.location);
    if (value.unresolved !== undefined) {
      return this.warning('parse/netsh-unresolved',
        `"${command.text}": the policy is ${value.unresolved}, which cannot be resolved statically; whether the host lets every inbound connection in (AllowInbound) is not known`, value.range);
    }
    const inbound = value.text.split(',')[0]!.trim().toLowerCase();
    if (!INBOUND_POLICIES.has(inbound)) {
      return this.error('parse/netsh-bad-value', `"${command.text}": "${shorten(value.text)}" does not start with blockinbound, blockinboundalways, allowinbound or notconfigured; the command is skipped`, value.range);
    }
    const slots = PROFILE_SLOTS[command.profile!]!;
    if (inbound !== 'allowinbound') {
      // Closing the policy only under a condition leaves it open for the other cases: AllowInbound stays reported.
      if (command.conditions === undefined) for (const slot of slots) this.allowInbound.delete(slot);
      return [];
    }
    const field = (label: string, text: string, range: SourceRange = command.location): SpecField => ({ label, text, range });
    const rule: NetshRuleSpec = {
      name: INBOUND_ALLOW_POLICY_NAME,
      location: command.location,
      fields: new Map([
        ['name', field('firewallpolicy', INBOUND_ALLOW_POLICY_NAME)],
        ['dir', field('firewallpolicy', 'in')],
        ['action', field('firewallpolicy', 'allow', value.range)],
        ['profile', field('profile', '')],
        ['description', field('description', `${command.text}: every inbound connection that no block rule stops is allowed`)],
      ]),
      icmpRows: [],
      extra: new Map(),
      hostDefault: true,
    };
    if (command.conditions !== undefined) rule.branch = [...command.conditions];
    this.policyRules.push(rule);
    if (command.profile === 'allprofiles') {
      // Every profile, whichever is current: what `currentprofile` set before is part of it.
      this.allowInbound.delete('current');
      for (const slot of slots) if (slot !== 'current') this.allowInbound.set(slot, rule);
    } else {
      for (const slot of slots) this.allowInbound.set(slot, rule);
    }
    return [rule];
  }

  private error(code: string, message: string, range: SourceRange): [] {
    this.diagnostics.push(errorDiagnostic(code, this.file, message, range));
    return [];
  }

  private warning(code: string, message: string, range: SourceRange): [] {
    this.diagnostics.push(warningDiagnostic(code, this.file, message, range));
    return [];
  }
}

/**
 * The warning for a firewall switched off (`state off`, legacy `opmode disable`, `State OFF` in `show allprofiles`
 * output): while it is off no rule applies and every port is open, which no rule check can see.
 */
export function firewallOffWarning(file: string, which: string, how: string, range: SourceRange): Diagnostic {
  return warningDiagnostic('parse/netsh-firewall-off', file,
    `${how} Windows Firewall off on ${which}: while it is off no rule applies and every port is open; ` +
      'fwlint checks the rules as if the firewall were on',
    range);
}
