import { warningDiagnostic } from '../../model';
import type { Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import { expandParameterKey, isThisComputer } from './command-words';
import { firewallOffWarning } from './host-policy';
import type { HostCommand } from './host-policy';
import type { ScriptArg } from './script-reader';

/**
 * The parameters of `Set-NetFirewallProfile` (NetSecurity module), for PowerShell's unique-prefix matching; `profile`
 * is the alias of `name`.
 */
const PARAMETERS: ReadonlySet<string> = new Set([
  'name', 'profile', 'all', 'inputobject', 'enabled', 'defaultinboundaction', 'defaultoutboundaction', 'allowinboundrules',
  'allowlocalfirewallrules', 'allowlocalipsecrules', 'allowuserapps', 'allowuserports', 'allowunicastresponsetomulticast',
  'notifyonlisten', 'enablestealthmodeforipsec', 'logfilename', 'logmaxsizekilobytes', 'logallowed', 'logblocked',
  'logignored', 'disabledinterfacealiases', 'policystore', 'gposession', 'cimsession', 'throttlelimit', 'asjob',
  'passthru', 'whatif', 'confirm',
]);
const SWITCHES: ReadonlySet<string> = new Set(['all', 'asjob', 'passthru', 'whatif', 'confirm']);
const PROFILES = ['domain', 'private', 'public'];
/** `-DefaultInboundAction` → the netsh inbound policy it stands for. */
const INBOUND_ACTIONS: ReadonlyMap<string, string> = new Map([['allow', 'allowinbound'], ['block', 'blockinbound'], ['notconfigured', 'notconfigured']]);

export interface ProfileCmdlet {
  /** `firewallpolicy` commands for the profiles it names (`-DefaultInboundAction`). */
  commands: HostCommand[];
  diagnostics: Diagnostic[];
  /** `-CimSession X`: the cmdlet changes that computer's profiles, not this host's (read as netsh -r is). */
  remote?: { computer: string; how: string };
}

/**
 * `Set-NetFirewallProfile [-Profile|-Name P,…|-All] [-Enabled False] [-DefaultInboundAction Allow|Block]` (`args`:
 * the words after the cmdlet) as the netsh commands with the same effect: `-Enabled False` turns the firewall off
 * (warning parse/netsh-firewall-off, as `netsh advfirewall set allprofiles state off`), `-DefaultInboundAction` sets
 * the inbound default policy (`netsh advfirewall set allprofiles firewallpolicy allowinbound,…`). Without `-Profile`
 * or `-All` the profiles come from the pipeline, which fwlint does not know: read as `currentprofile`.
 */
export function readSetNetFirewallProfile(args: readonly ScriptArg[], location: SourceRange, file: string): ProfileCmdlet {
  const values = new Map<string, ScriptArg | undefined>();
  for (let i = 0; i < args.length; i++) {
    const named = /^-([A-Za-z]+)(:?)(.*)$/s.exec(args[i]!.text);
    if (named === null) continue;
    const key = expandParameterKey(named[1]!.toLowerCase(), PARAMETERS);
    const parameter = key === 'profile' ? 'name' : key;
    if (SWITCHES.has(parameter)) {
      // `-WhatIf:$false` is the switch turned off; `-WhatIf`, `-WhatIf:$true` turn it on. A value fwlint does not know
      // is read as off, so that the change is checked rather than dropped.
      if (named[2] === ':' && (args[i]!.unresolved !== undefined || /^(?:false|0)$/i.test(named[3]!))) values.delete(parameter);
      else values.set(parameter, undefined);
    } else if (named[2] === ':' && named[3] !== '') {
      values.set(parameter, { ...args[i]!, text: named[3]! });
    } else {
      let value = args[++i];
      // `-Profile Domain, Public`: the list goes on after a comma.
      while (value !== undefined && value.text.endsWith(',') && args[i + 1] !== undefined) value = { ...value, text: value.text + args[++i]!.text };
      values.set(parameter, value);
    }
  }
  const diagnostics: Diagnostic[] = [];
  // -WhatIf only prints what the cmdlet would change.
  if (values.has('whatif')) return { commands: [], diagnostics };
  const session = values.get('cimsession');
  if (session !== undefined && !isThisComputer(session.unresolved ?? session.text)) return { commands: [], diagnostics, remote: { computer: session.text, how: 'Set-NetFirewallProfile -CimSession' } };
  const profileValue = values.get('name');
  const named = profileValue === undefined || profileValue.unresolved !== undefined ? undefined
    : profileValue.text.toLowerCase().split(',').map((item) => item.trim()).filter((item) => item !== '');
  const profiles = values.has('all') || named?.includes('any') === true ? PROFILES
    : named !== undefined && named.every((item) => PROFILES.includes(item)) ? PROFILES.filter((profile) => named.includes(profile))
    : undefined;
  const slots = profiles === undefined ? ['currentprofile'] : profiles.length === PROFILES.length ? ['allprofiles'] : profiles.map((profile) => `${profile}profile`);
  const which = profiles === undefined ? 'the profiles it is given (which fwlint does not know)'
    : profiles.length === PROFILES.length ? 'all profiles'
    : `the ${profiles.join(' and ')} profile${profiles.length > 1 ? 's' : ''}`;

  const enabled = values.get('enabled');
  if (enabled?.unresolved !== undefined) {
    diagnostics.push(warningDiagnostic('parse/netsh-unresolved', file,
      `Set-NetFirewallProfile -Enabled ${shorten(enabled.unresolved)} cannot be resolved statically: whether it turns Windows Firewall off is not known`, enabled.range));
  } else if (enabled !== undefined && /^(?:false|0)$/i.test(enabled.text.trim())) {
    diagnostics.push(firewallOffWarning(file, which, 'this command turns', location));
  }

  const commands: HostCommand[] = [];
  const inbound = values.get('defaultinboundaction');
  if (inbound !== undefined) {
    const policy = inbound.unresolved !== undefined ? inbound : { ...inbound, text: INBOUND_ACTIONS.get(inbound.text.trim().toLowerCase()) ?? inbound.text };
    for (const slot of slots) {
      commands.push({ family: 'host', what: 'firewallpolicy', text: `Set-NetFirewallProfile -DefaultInboundAction ${shorten(inbound.text)}`, profile: slot, args: [policy], location });
    }
  }
  return { commands, diagnostics };
}
