import { ICMP, ICMPV6, PortSet, SOURCE_PORT_CONDITION, anyPeer, errorDiagnostic, sameProtocol, unresolvedProtocol, warningDiagnostic } from '../../model';
import type { Action, Diagnostic, Direction, Peer, Protocol, Rule, UnknownValue } from '../../model';
import { shorten } from '../shared/hostile-input';
import type { NetshRuleSpec, SpecField } from './netsh-rule-spec';
import {
  ALL_PROFILES,
  parseAddressItem,
  parseIcmpNumber,
  parseNetshProtocol,
  parsePortList,
  parseProfiles,
  partlyKnownList,
  parseYesNo,
  splitList,
} from './netsh-values';
import type { ParsedPorts } from './netsh-values';

export interface ToModelOptions {
  file: string;
  /** Scripts get warnings about arguments netsh would reject; exports show what Windows stored. */
  isScript: boolean;
}

export interface ModelRules {
  rules: Rule[];
  diagnostics: Diagnostic[];
}

type Icmp = { type: number | 'any'; code: number | 'any' };

/**
 * Converts one Windows rule into model rules (formats.md §0): one per RemoteIP item (and per ICMP type row).
 * Omitted parameters take the `add rule` defaults (formats.md §4.4). A bad value is reported at its line and the
 * rest of the rule is kept; a rule without a readable direction, action or protocol is skipped, because guessing
 * them could only make it look more open than it is.
 */
export function toModelRules(spec: NetshRuleSpec, resourceAddress: string, options: ToModelOptions): ModelRules {
  const { file } = options;
  const diagnostics: Diagnostic[] = [];
  const unknowns: UnknownValue[] = [];
  const subject = `rule "${shorten(spec.name)}"`;
  const badValue = (field: SpecField, problem: string): void => {
    diagnostics.push(errorDiagnostic('parse/netsh-bad-value', file, `${subject}: ${field.label} ${problem}`, field.range));
  };
  const addUnknown = (modelField: string, field: SpecField, expr: string): void => {
    unknowns.push({ field: modelField, expr: shorten(expr), location: { file, range: field.range } });
  };

  const direction = readRequired(spec, 'dir', 'direction', (text) => DIRECTIONS.get(text.trim().toLowerCase()), options, diagnostics);
  const written = readRequired(spec, 'action', 'action', (text) => ACTIONS.get(text.trim().toLowerCase()), options, diagnostics);
  const action = written === 'allow' ? overriddenAction(spec.fields.get('overrideblockrules'), addUnknown) : written;
  const protocolField = spec.fields.get('protocol');
  let protocol: Protocol | undefined = { kind: 'any' };
  let inlineIcmp: { type: string; code: string } | undefined;
  if (protocolField?.unresolved !== undefined) {
    // Any protocol it may be: the rule is kept and judged on all of them, as Terraform's `protocol = var.proto` is
    // (FW101 and FW104 name the value, FW303 notes it); its ports apply if the value is TCP or UDP.
    protocol = unresolvedProtocol(shorten(protocolField.unresolved));
    addUnknown('protocol', protocolField, protocolField.unresolved);
  } else if (protocolField !== undefined) {
    const parsed = parseNetshProtocol(protocolField.text);
    if (parsed.ok) {
      protocol = parsed.value.protocol;
      inlineIcmp = parsed.value.icmp;
    } else {
      badValue(protocolField, `is not valid (${parsed.error}); the rule is skipped`);
      protocol = undefined;
    }
  }
  if (direction === undefined || action === undefined || protocol === undefined) return { rules: [], diagnostics };

  const enabled = readEnabled(spec.fields.get('enable'), badValue, addUnknown);
  const profiles = readProfiles(spec.fields.get('profile'), badValue, addUnknown);
  const icmpList = readIcmp(spec, protocol, inlineIcmp, badValue, addUnknown);

  const servicePortKey = direction === 'in' ? 'localport' : 'remoteport';
  const isTcpOrUdp = protocol.kind === 'number' && (protocol.value === 6 || protocol.value === 17);
  const mayHavePorts = isTcpOrUdp || protocol.kind === 'unknown';
  let ports: PortSet = PortSet.ALL;
  let portKeywords: string[] = [];
  let isRejected = false;
  let unresolvedPortsRest: UnknownValue | undefined;
  for (const key of ['localport', 'remoteport']) {
    const field = spec.fields.get(key);
    if (field === undefined) continue;
    if (!mayHavePorts) {
      // netsh refuses the whole command ("The specified protocol is not valid for ports"), so the rule never
      // exists: modelling it without its ports would invent an all-traffic rule.
      if (options.isScript && !/^any$/i.test(field.text.trim()) && !isRejected) {
        isRejected = true;
        const isCmdlet = spec.source === 'powershell';
        const protocolText = protocolField === undefined ? (isCmdlet ? 'no -Protocol (any protocol)' : 'no protocol= (any protocol)')
          : `${isCmdlet ? '-Protocol ' : 'protocol='}${shorten(protocolField.text)}`;
        diagnostics.push(warningDiagnostic('parse/netsh-ports-without-tcp-udp', file,
          `${subject}: ${field.label} applies only to TCP and UDP, and ${isCmdlet ? 'PowerShell' : 'netsh'} rejects it with ${protocolText}, so the ` +
            `rule is not created; it is skipped (${isCmdlet ? 'add -Protocol TCP or -Protocol UDP' : 'add protocol=tcp or protocol=udp'})`, field.range));
      }
      continue;
    }
    const isServicePort = key === servicePortKey;
    let parsed: ParsedPorts;
    if (field.unresolved !== undefined) {
      if (!isServicePort) continue;
      // `localport=%P%,3389`: 3389 is open whatever %P% holds; the rest becomes a rule of its own, on unresolved ports.
      const partly = partlyKnownList(field.text);
      const known = partly && parsePortList(partly.known.join(','));
      if (partly === undefined || known === undefined || known.errors.length > 0) {
        ports = PortSet.EMPTY;
        addUnknown('ports', field, field.unresolved);
        continue;
      }
      parsed = known;
      unresolvedPortsRest = { field: 'ports', expr: shorten(partly.unresolved), location: { file, range: field.range } };
    } else parsed = parsePortList(field.text);
    for (const error of parsed.errors) badValue(field, `has a bad item (${error})`);
    if (!isServicePort) continue;
    ports = parsed.ports;
    portKeywords = parsed.keywords;
    if (parsed.errors.length > 0) addUnknown('ports', field, field.text);
    else if (parsed.unmappedKeywords.length > 0) {
      // Windows picks these ports at run time: unknown, so that FW303 says the rule was checked only in part.
      addUnknown('ports', field, `port keyword${parsed.unmappedKeywords.length > 1 ? 's' : ''} ${parsed.unmappedKeywords.join(', ')}, whose ports Windows assigns at run time`);
    }
  }

  if (isRejected) return { rules: [], diagnostics };

  const remoteField = spec.fields.get('remoteip');
  // Unknown peers are recorded per rule below: each expanded rule carries only its own peer's unknown.
  const peers = readAddresses(remoteField, 'peer', badValue, () => undefined);
  const localAddresses = readAddresses(spec.fields.get('localip'), 'localAddresses', badValue, addUnknown);
  const program = optionalText(spec.fields.get('program'), true);
  const service = optionalText(spec.fields.get('service'), true);
  const description = optionalText(spec.fields.get('description'), false);
  const otherPortKey = direction === 'in' ? 'remoteport' : 'localport';
  let conditions = matchConditions(spec, otherPortKey, mayHavePorts);
  const writtenConditions = keptSettings(spec, otherPortKey, mayHavePorts);
  if (spec.conditionsNotShown && action === 'deny') {
    // A condition no allow has, told apart per block (two such blocks may name different programs): the block then
    // removes traffic from no allow, as one limited to a program would (see Rule.conditions).
    conditions = { ...conditions, [CONDITIONS_NOT_SHOWN]: `not in an export without verbose (line ${spec.location.startLine})` };
  }

  // No `peerLocation`: a Windows rule's findings point at the rule itself (its `Rule Name:` line or its `add rule`
  // command), where a reader finds the name to search for in the Windows Firewall console; the RemoteIP line alone
  // does not say which rule it belongs to. Unknown values (FW303, whose message names the rule) carry their own field's
  // place instead, as bad-value errors do: unknown peers below, ports and the rest through `addUnknown`.
  const rules: Rule[] = [];
  const pushRule = (id: string, peer: Peer, icmp: Icmp | undefined, rulePorts: PortSet, keywords: string[], ownUnknowns: UnknownValue[]): void => {
    const rule: Rule = {
      id,
      kind: spec.source ?? 'netsh',
      location: { file, range: spec.location },
      platform: 'windows-fw',
      resourceAddress,
      direction,
      action,
      protocol,
      ports: rulePorts,
      peer,
      localAddresses,
      priority: null,
      enabled,
      profiles,
      unknowns:
        peer.kind === 'unknown' && remoteField !== undefined
          ? [...ownUnknowns, { field: 'peer', expr: peer.expr, location: { file, range: remoteField.range } }]
          : [...ownUnknowns],
    };
    if (keywords.length > 0) rule.portKeywords = keywords;
    if (icmp !== undefined) rule.icmp = icmp;
    if (program !== undefined) rule.program = program;
    if (service !== undefined) rule.service = service;
    if (conditions !== undefined) rule.conditions = conditions;
    if (writtenConditions !== undefined) rule.writtenConditions = writtenConditions;
    if (description !== undefined) rule.description = description;
    if (spec.hostDefault) rule.hostDefault = true;
    if (spec.changes !== undefined) rule.changedBy = spec.changes.map((change) => ({ location: { file, range: change.location }, command: change.command, changed: change.changed }));
    rules.push(rule);
  };
  peers.forEach((peer, peerIndex) => {
    icmpList.forEach((icmp, icmpIndex) => {
      const id = icmpList.length > 1 ? `${resourceAddress}/${peerIndex}/${icmpIndex}` : `${resourceAddress}/${peerIndex}`;
      pushRule(id, peer, icmp, ports, portKeywords, unknowns);
    });
    // The unresolved rest of a partly known port list: no port for certain, every port it could be (FW101, FW303).
    // Ports are TCP/UDP only, so there is no ICMP row here.
    if (unresolvedPortsRest !== undefined) pushRule(`${resourceAddress}/${peerIndex}/unresolved-ports`, peer, undefined, PortSet.EMPTY, [], [...unknowns, unresolvedPortsRest]);
  });
  return { rules, diagnostics };
}

/** The condition of a block rule from an export without `verbose`, whose program, service or interface type is not shown. */
export const CONDITIONS_NOT_SHOWN = 'conditionsnotshown';

const DIRECTIONS: ReadonlyMap<string, Direction> = new Map([['in', 'in'], ['out', 'out']]);

// netsh "block" is the model's "deny"; "bypass" overrides block rules for authenticated peers (formats.md §4.3).
const ACTIONS: ReadonlyMap<string, Action> = new Map([['allow', 'allow'], ['block', 'deny'], ['bypass', 'bypass']]);

/**
 * An allow rule's action with PowerShell's `-OverrideBlockRules` (formats.md §4.5): `$true` makes it an allow-bypass
 * rule. A value fwlint does not know keeps it an allow, the action recorded as unknown (FW303).
 */
function overriddenAction(field: SpecField | undefined, addUnknown: AddUnknown): Action {
  if (field === undefined) return 'allow';
  if (field.unresolved !== undefined) {
    addUnknown('action', field, `OverrideBlockRules ${field.unresolved}`);
    return 'allow';
  }
  return field.text === 'yes' ? 'bypass' : 'allow';
}

function readRequired<T>(
  spec: NetshRuleSpec,
  key: string,
  what: string,
  read: (text: string) => T | undefined,
  options: ToModelOptions,
  diagnostics: Diagnostic[],
): T | undefined {
  const field = spec.fields.get(key);
  if (field === undefined) {
    const how = options.isScript ? `has no ${key}= parameter, which netsh requires` : `has no ${what} line`;
    diagnostics.push(errorDiagnostic('parse/netsh-missing-field', options.file, `rule "${shorten(spec.name)}" ${how}; the rule is skipped`, spec.location));
    return undefined;
  }
  if (field.unresolved !== undefined) {
    diagnostics.push(unresolvedSkip(options.file, `rule "${shorten(spec.name)}"`, field));
    return undefined;
  }
  const value = read(field.text);
  if (value === undefined) {
    diagnostics.push(errorDiagnostic('parse/netsh-bad-value', options.file,
      `rule "${shorten(spec.name)}": ${field.label} "${shorten(field.text)}" is not a valid ${what}; the rule is skipped`, field.range));
  }
  return value;
}

function unresolvedSkip(file: string, subject: string, field: SpecField): Diagnostic {
  return warningDiagnostic('parse/netsh-unresolved', file,
    `${subject}: ${field.label} is ${field.unresolved}, which cannot be resolved statically; the rule is skipped`, field.range);
}

type ReportBad = (field: SpecField, problem: string) => void;
type AddUnknown = (modelField: string, field: SpecField, expr: string) => void;

function readEnabled(field: SpecField | undefined, badValue: ReportBad, addUnknown: AddUnknown): boolean {
  if (field === undefined) return true;
  if (field.unresolved !== undefined) {
    addUnknown('enabled', field, field.unresolved);
    return true;
  }
  const value = parseYesNo(field.text);
  if (value === undefined) {
    badValue(field, `"${shorten(field.text)}" is not yes or no; the rule is treated as enabled`);
    return true;
  }
  return value;
}

function readProfiles(field: SpecField | undefined, badValue: ReportBad, addUnknown: AddUnknown): string[] {
  if (field === undefined) return [...ALL_PROFILES];
  if (field.unresolved !== undefined) {
    addUnknown('profiles', field, field.unresolved);
    return [...ALL_PROFILES];
  }
  const parsed = parseProfiles(field.text);
  for (const error of parsed.errors) badValue(field, `has a bad item (${error})`);
  if (parsed.isCurrent) addUnknown('profiles', field, field.text);
  if (parsed.profiles.length === 0) {
    addUnknown('profiles', field, field.text);
    return [...ALL_PROFILES];
  }
  return parsed.profiles;
}

function readIcmp(
  spec: NetshRuleSpec,
  protocol: Protocol,
  inline: { type: string; code: string } | undefined,
  badValue: ReportBad,
  addUnknown: AddUnknown,
): Array<Icmp | undefined> {
  const isIcmp = protocol.kind === 'number' && (sameProtocol(protocol, ICMP) || sameProtocol(protocol, ICMPV6));
  if (!isIcmp) return [undefined];
  const protocolField = spec.fields.get('protocol')!;
  const typeField = spec.fields.get('icmptype');
  if (inline === undefined && spec.icmpRows.length === 0 && typeField?.unresolved !== undefined) {
    addUnknown('icmp', typeField, typeField.unresolved);
    return [{ type: 'any', code: 'any' }];
  }
  const written: Array<{ type: string; code: string; field: SpecField; item?: string }> =
    inline !== undefined ? [{ ...inline, field: protocolField }]
    : spec.icmpRows.length > 0 || typeField === undefined ? spec.icmpRows.map((row) => ({
      type: row.type, code: row.code, field: { ...protocolField, range: row.range, ...(row.item ? { label: row.item.label } : {}) }, ...(row.item ? { item: row.item.written } : {}),
    }))
    // PowerShell's `-IcmpType 8, "3:4"`: a type alone is every code of it; a third part leaves the code invalid.
    : splitList(typeField.text).map((item) => {
      const [type = '', code = 'any', ...rest] = item.split(':');
      return { type, code: rest.length > 0 ? item : code, field: typeField, item };
    });
  if (written.length === 0) return [{ type: 'any', code: 'any' }];
  const result: Icmp[] = [];
  for (const { type, code, field, item } of written) {
    const typeValue = parseIcmpNumber(type);
    const codeValue = parseIcmpNumber(code);
    if (typeValue === undefined || codeValue === undefined) {
      // A PowerShell item is a type, or type:code; netsh writes a type and a code.
      badValue(field, item === undefined ? `has an invalid ICMP type/code "${type} ${code}" (expected 0-255 or Any)`
        : `has an invalid ICMP type "${shorten(item)}" (expected a type 0-255 or type:code, each 0-255, or Any)`);
      continue;
    }
    // Type Any matches every ICMP message, whatever code is written.
    result.push(typeValue === 'any' ? { type: 'any', code: 'any' } : { type: typeValue, code: codeValue });
  }
  if (result.length === 0) {
    addUnknown('icmp', protocolField, protocolField.text);
    return [{ type: 'any', code: 'any' }];
  }
  return result;
}

function readAddresses(field: SpecField | undefined, modelField: string, badValue: ReportBad, addUnknown: AddUnknown): Peer[] {
  if (field === undefined) return [anyPeer('Any')];
  if (field.unresolved !== undefined) {
    // `remoteip=%EXTRA%,any` holds Any whatever %EXTRA% is: its written items are known, the rest one unknown peer.
    const partly = partlyKnownList(field.text);
    const known = partly?.known.map(parseAddressItem);
    if (partly === undefined || known === undefined || !known.every((item): item is { ok: true; value: Peer } => item.ok)) {
      addUnknown(modelField, field, field.unresolved);
      return [{ kind: 'unknown', expr: field.unresolved }];
    }
    const rest = shorten(partly.unresolved);
    addUnknown(modelField, field, rest);
    return [...known.map((item) => item.value), { kind: 'unknown', expr: rest }];
  }
  return splitList(field.text).map((item) => {
    const parsed = parseAddressItem(item);
    if (parsed.ok) return parsed.value;
    badValue(field, `has a bad address "${item}" (${parsed.error})`);
    addUnknown(modelField, field, item);
    return { kind: 'unknown', expr: item };
  });
}

/** Program/service `Any` means "not restricted", which the model writes as an absent field. */
/**
 * The rule's conditions the model has no sets for (see Rule.conditions): program, service, local address, interface
 * type, and the port at the other end (remote port inbound, local port outbound: the connecting side's, named
 * `SOURCE_PORT_CONDITION` as on Azure), each unless `any`; undefined when there are none. Text is compared as Windows
 * does: case-insensitively, without blanks around list items.
 */
function matchConditions(spec: NetshRuleSpec, otherPortKey: string, isTcpOrUdp: boolean): Record<string, string> | undefined {
  let conditions: Record<string, string> | undefined;
  for (const key of [...CONDITION_KEYS, ...(isTcpOrUdp ? [otherPortKey] : [])]) {
    const text = optionalText(spec.fields.get(key), true);
    if (text === undefined) continue;
    (conditions ??= {})[key === otherPortKey ? SOURCE_PORT_CONDITION : key] = text.toLowerCase().split(',').map((item) => item.trim()).join(',');
  }
  return conditions;
}

// Package, interface alias, local user, owner and dynamic target: PowerShell's (`New-NetFirewallRule`) only.
const CONDITION_KEYS = ['program', 'service', 'localip', 'interfacetype', 'package', 'interfacealias', 'localuser', 'owner', 'dynamictarget'];

/**
 * Settings that limit which connections an allow admits (IPsec, authorized computers and users) or let it take edge
 * traversal, with the value each has when not given: a rule written in the rule's place keeps them.
 */
const KEPT_SETTING_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['security', 'notrequired'], ['authentication', 'notrequired'], ['encryption', 'notrequired'], ['edge', 'no'], ['rmtcomputergrp', 'any'], ['rmtusrgrp', 'any'],
]);

/**
 * `Rule.writtenConditions`: the conditions of `matchConditions` as written, and the settings of
 * `KEPT_SETTING_DEFAULTS` not at their default, as written; undefined when there are none.
 */
function keptSettings(spec: NetshRuleSpec, otherPortKey: string, isTcpOrUdp: boolean): Record<string, string> | undefined {
  let kept: Record<string, string> | undefined;
  for (const key of [...CONDITION_KEYS, ...(isTcpOrUdp ? [otherPortKey] : []), ...KEPT_SETTING_DEFAULTS.keys()]) {
    const text = optionalText(spec.fields.get(key), true);
    if (text === undefined || text.toLowerCase() === KEPT_SETTING_DEFAULTS.get(key)) continue;
    (kept ??= {})[key === otherPortKey ? SOURCE_PORT_CONDITION : key] = text.split(',').map((item) => item.trim()).join(',');
  }
  return kept;
}

function optionalText(field: SpecField | undefined, isAnyAbsent: boolean): string | undefined {
  if (field === undefined) return undefined;
  const text = field.text.trim();
  if (text === '' || (isAnyAbsent && /^any$/i.test(text))) return undefined;
  return text;
}
