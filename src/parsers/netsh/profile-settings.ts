import type { Diagnostic } from '../../model';
import { firewallOffWarning, INBOUND_ALLOW_POLICY_NAME } from './host-policy';
import { lineSpan } from './line-span';
import type { NetshRuleSpec } from './netsh-rule-spec';
import { PROFILE_SETTINGS_LINE, RULE_NAME_LINE } from './detect';

const STATE_LINE = /^State[ \t]+(\S+)\s*$/i;
const POLICY_LINE = /^Firewall Policy[ \t]+(\S+)\s*$/i;

interface ProfileSettingsReading {
  /** One rule per profile whose inbound default is AllowInbound (see `HostPolicy`). */
  specs: NetshRuleSpec[];
  diagnostics: Diagnostic[];
  hasProfileSettings: boolean;
}

/**
 * Reads the profile blocks `netsh advfirewall show allprofiles` prints, which an export may hold before its rules:
 * `State OFF` is the firewall switched off on that profile (the warning scripts get for `state off`), and a
 * `Firewall Policy` of `AllowInbound,…` lets every inbound connection in that no block rule stops, so it becomes an
 * allow-everything rule at that line, as the script command does.
 */
export function readProfileSettings(lines: readonly string[], file: string): ProfileSettingsReading {
  const reading: ProfileSettingsReading = { specs: [], diagnostics: [], hasProfileSettings: false };
  let profile: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const header = PROFILE_SETTINGS_LINE.exec(line);
    if (header !== null) {
      profile = header[1]!.toLowerCase();
      reading.hasProfileSettings = true;
      continue;
    }
    if (profile === undefined) continue;
    if (RULE_NAME_LINE.test(line)) {
      profile = undefined;
      continue;
    }
    const range = lineSpan(lines, index + 1, index + 1);
    const state = STATE_LINE.exec(line);
    if (state !== null && state[1]!.toLowerCase() === 'off') {
      reading.diagnostics.push(firewallOffWarning(file, `the ${profile} profile`, 'the profile settings in this export show', range));
      continue;
    }
    const policy = POLICY_LINE.exec(line);
    if (policy !== null && policy[1]!.split(',')[0]!.toLowerCase() === 'allowinbound') {
      const field = (label: string, text: string) => ({ label, text, range });
      reading.specs.push({
        name: INBOUND_ALLOW_POLICY_NAME,
        location: range,
        fields: new Map([
          ['name', field('Firewall Policy', INBOUND_ALLOW_POLICY_NAME)],
          ['dir', field('Firewall Policy', 'in')],
          ['action', field('Firewall Policy', 'allow')],
          ['profile', field('Firewall Policy', profile)],
          ['description', field('Firewall Policy', `${policy[1]!} on the ${profile} profile: every inbound connection that no block rule stops is allowed`)],
        ]),
        icmpRows: [],
        extra: new Map(),
        hostDefault: true,
      });
    }
  }
  return reading;
}
