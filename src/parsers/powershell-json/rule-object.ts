import type { Node as JsonNode } from 'jsonc-parser';
import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import { powerShellEnumeration, powerShellValueSpelling } from '../netsh/firewall-rule-cmdlet';
import type { IcmpRow, NetshRuleSpec, SpecField } from '../netsh/netsh-rule-spec';
import { splitList } from '../netsh/netsh-values';

/** How a property's JSON value becomes the text of an `add rule` parameter. */
type ValueKind = 'enum' | 'text' | 'list' | 'protocol';

interface PropertyReading {
  /** The `netsh advfirewall firewall add rule` parameter it stands for (netsh-rule-spec.ts), or how it is used. */
  key: string;
  kind: ValueKind;
  /** An enumeration: the names PowerShell writes (lower case) → the word the shared conversion reads. */
  names?: ReadonlyMap<string, string>;
  /** A flags enumeration, written as a comma list of names (`Domain, Private`). */
  isFlags?: true;
  /**
   * What a name outside `names` does, said in its error: the rule is skipped, the property left out (Windows'
   * default), the name left out (the property unknown, FW303, when none is left), or the name kept as written.
   */
  onBadName?: { effect: 'skip' | 'default' | 'leave-out' | 'keep'; consequence: string };
}

/** The enumeration of a cmdlet parameter (firewall-rule-cmdlet.ts), limited to `only` where the export has fewer names. */
function enumeration(property: string, only?: readonly string[]): ReadonlyMap<string, string> {
  const names = [...powerShellEnumeration(property)!];
  return new Map(only === undefined ? names : names.filter(([name]) => only.includes(name)));
}

/** An enumeration whose names are kept as PowerShell spells them (`required` → `Required`), as the cmdlet reader keeps them. */
function spelled(names: readonly string[]): ReadonlyMap<string, string> {
  return new Map(names.map((name) => [name, powerShellValueSpelling(name)]));
}

/**
 * The properties of the recommended export (formats.md §4.5) and the filters' other ones users add
 * (`Service`, `InterfaceType`, `OverrideBlockRules`, the security filter's); others (`Name`, `Group`, `PrimaryStatus`, …) are not read.
 * PowerShell property names are case-insensitive, so they are looked up in lower case.
 */
const PROPERTIES: ReadonlyMap<string, PropertyReading> = new Map<string, PropertyReading>([
  ['displayname', { key: 'name', kind: 'text' }],
  ['description', { key: 'description', kind: 'text' }],
  ['enabled', { key: 'enable', kind: 'enum', names: enumeration('enabled'), onBadName: { effect: 'default', consequence: 'the rule is treated as enabled' } }],
  ['direction', { key: 'dir', kind: 'enum', names: enumeration('direction'), onBadName: { effect: 'skip', consequence: 'the rule is skipped' } }],
  // NotConfigured (a rule of a Group Policy store that sets no action) is no rule fwlint can judge.
  ['action', { key: 'action', kind: 'enum', names: enumeration('action', ['allow', 'block']), onBadName: { effect: 'skip', consequence: 'the rule is skipped' } }],
  ['profile', {
    key: 'profile', kind: 'enum', isFlags: true, names: new Map(['any', 'domain', 'private', 'public'].map((name) => [name, name])),
    onBadName: { effect: 'leave-out', consequence: 'it is left out' },
  }],
  ['protocol', { key: 'protocol', kind: 'protocol' }],
  ['localport', { key: 'localport', kind: 'list' }],
  ['remoteport', { key: 'remoteport', kind: 'list' }],
  ['icmptype', { key: 'icmptype', kind: 'list' }],
  ['localaddress', { key: 'localip', kind: 'list' }],
  ['remoteaddress', { key: 'remoteip', kind: 'list' }],
  ['program', { key: 'program', kind: 'text' }],
  ['service', { key: 'service', kind: 'text' }],
  // Conditions of the rule, as -Package and -LocalUser are (Get-NetFirewallApplicationFilter, Get-NetFirewallSecurityFilter).
  ['package', { key: 'package', kind: 'text' }],
  ['localuser', { key: 'localuser', kind: 'text' }],
  ['interfacetype', {
    key: 'interfacetype', kind: 'enum', isFlags: true, names: enumeration('interfacetype'),
    onBadName: { effect: 'keep', consequence: 'the rule is read as limited to that interface type' },
  }],
  // What limits which connections an allow admits (Get-NetFirewallSecurityFilter: IPsec, authorized computers and
  // users) and edge traversal (the rule's own): kept as written, as -Authentication, -RemoteMachine, … of
  // New-NetFirewallRule are, so that a rule written in the rule's place keeps them (FW202's replacement).
  ['authentication', {
    key: 'authentication', kind: 'enum', names: spelled(['notrequired', 'required', 'noencap']),
    onBadName: { effect: 'keep', consequence: 'it is kept as written' },
  }],
  ['encryption', {
    key: 'encryption', kind: 'enum', names: spelled(['notrequired', 'required', 'dynamic']),
    onBadName: { effect: 'keep', consequence: 'it is kept as written' },
  }],
  ['remotemachine', { key: 'rmtcomputergrp', kind: 'text' }],
  ['remoteuser', { key: 'rmtusrgrp', kind: 'text' }],
  ['edgetraversalpolicy', {
    key: 'edge', kind: 'enum', names: enumeration('edgetraversalpolicy'),
    onBadName: { effect: 'default', consequence: 'the rule is read as blocking edge traversal (Block)' },
  }],
  ['overrideblockrules', {
    key: 'overrideblockrules', kind: 'enum', names: enumeration('overrideblockrules', ['true', 'false']),
    onBadName: { effect: 'default', consequence: 'the rule is read as not overriding block rules' },
  }],
]);

/**
 * Port keywords PowerShell spells apart from netsh (`New-NetFirewallRule -LocalPort RPCEPMap`): the netsh spelling,
 * which the shared port reader knows.
 */
const PORT_KEYWORD_SPELLINGS: ReadonlyMap<string, string> = new Map([['rpcepmap', 'RPC-EPMap']]);

/** Parameters whose value a rule cannot do without: Windows has no default for them. */
const REQUIRED: ReadonlyArray<{ key: string; property: string }> = [
  { key: 'name', property: 'DisplayName' },
  { key: 'dir', property: 'Direction' },
  { key: 'action', property: 'Action' },
];

export interface RuleObjectReading {
  /** Undefined when the rule is skipped (the reason is among `diagnostics`). */
  spec?: NetshRuleSpec;
  diagnostics: Diagnostic[];
}

/**
 * One rule object of the export as the rule spec a netsh export block gives (netsh-rule-spec.ts), so that both share
 * one conversion into the model (`toModelRules`): each property becomes its `add rule` parameter, with the text netsh
 * would print (`Inbound` → `In`, a port or address array → a comma list) and the range of its JSON value. A property
 * that is absent, `null` or empty (`"$($null)"` of a missing filter) is left out, which takes Windows' default (Any).
 * A rule whose enum values are integers, or without a readable display name, direction or action, is skipped.
 * `conditionsNotShown`: the export has no property for some of the conditions that limit a rule (see `exportShape`).
 */
export function readRuleObject(node: JsonNode, file: string, toRange: (node: JsonNode) => SourceRange, conditionsNotShown = false): RuleObjectReading {
  const diagnostics: Diagnostic[] = [];
  const location = toRange(node);
  const fields = new Map<string, SpecField>();
  const icmpRows: IcmpRow[] = [];
  const integerEnums: Array<{ property: string; node: JsonNode }> = [];
  const seen = new Map<string, string>();
  let overrideBlockRules: SpecField | undefined;
  const name = displayName(node);
  const subject = name === undefined ? `the rule object at line ${location.startLine}` : `rule "${shorten(name)}"`;

  const bad = (property: string, value: JsonNode, problem: string): void => {
    diagnostics.push(errorDiagnostic('parse/powershell-bad-value', file, `${subject}: ${property} ${problem}`, toRange(value)));
  };

  for (const member of node.children ?? []) {
    const [keyNode, valueNode] = member.children ?? [];
    if (keyNode === undefined || valueNode === undefined || typeof keyNode.value !== 'string') continue;
    const property = keyNode.value;
    const lower = property.toLowerCase();
    const reading = PROPERTIES.get(lower);
    if (reading === undefined) continue;
    const first = seen.get(lower);
    if (first !== undefined) {
      diagnostics.push(warningDiagnostic('parse/powershell-duplicate-property', file,
        `${subject}: ${property} is written twice (also as ${first}); the last one is used`, toRange(keyNode)));
    }
    seen.set(lower, property);
    const range = toRange(valueNode);
    if (reading.kind === 'enum' && valueNode.type === 'number') {
      integerEnums.push({ property, node: valueNode });
      continue;
    }
    const text = valueText(valueNode, reading.kind);
    // A property written twice counts as its last value only.
    if (reading.key === 'icmptype') icmpRows.length = 0;
    if (reading.key === 'overrideblockrules') overrideBlockRules = undefined;
    if (text === undefined) {
      // Guessing a direction, action or protocol could only make the rule look more open than it is (to-model.ts).
      const isSkipped = isRequired(reading.key) || reading.key === 'protocol';
      bad(property, valueNode, `is ${describe(valueNode, reading.kind)}, not ${expected(reading)}${isSkipped ? '; the rule is skipped' : ''}`);
      if (isSkipped) return { diagnostics };
      // Never read as open or as safe: the value stays unknown (FW303), as an unresolved script value does.
      fields.set(reading.key, { label: property, text: shorten(jsonText(valueNode)), range, unresolved: shorten(jsonText(valueNode)) });
      continue;
    }
    if (text === '') {
      fields.delete(reading.key);
      continue;
    }
    let field: SpecField = { label: property, text, range };
    if (reading.names !== undefined) {
      const named = enumText(reading, text);
      for (const name of named.badNames) {
        bad(property, valueNode, `${reading.isFlags ? `has "${shorten(name)}", which` : `"${shorten(name)}"`} is not ${namesOf(reading)}; ` +
          (named.text === '' && reading.onBadName!.effect === 'leave-out' ? 'the rule\'s profiles are unknown' : reading.onBadName!.consequence));
      }
      if (named.badNames.length > 0 && reading.onBadName!.effect === 'skip') return { diagnostics };
      if (named.text === '' && named.badNames.length > 0) {
        // No name left: the default (enabled, not overriding), or unknown (FW303) where a default would guess.
        if (reading.onBadName!.effect === 'default') fields.delete(reading.key);
        else fields.set(reading.key, { ...field, text: shorten(text), unresolved: shorten(text) });
        continue;
      }
      field = { ...field, text: named.text };
    }
    if (reading.key === 'icmptype') icmpRows.push(...icmpRowsOf(text, range, property));
    else if (reading.key === 'overrideblockrules') overrideBlockRules = field;
    else if (reading.key === 'localport' || reading.key === 'remoteport') fields.set(reading.key, { ...field, text: netshPortSpelling(text) });
    else fields.set(reading.key, field);
  }

  if (integerEnums.length > 0) {
    const written = integerEnums.map(({ property, node: value }) => `${property} ${String(value.value)}`).join(', ');
    diagnostics.push(errorDiagnostic('parse/powershell-enum-integer', file,
      `${subject}: ${written} ${integerEnums.length === 1 ? 'is an enum value written as an integer' : 'are enum values written as integers'} ` +
        '(as Windows PowerShell 5.1\'s ConvertTo-Json writes enums), whose meaning fwlint does not guess; write enum ' +
        'names: use the "$(…)" casts of the recommended export (README, Windows Firewall, PowerShell export); the rule is skipped',
      toRange(integerEnums[0]!.node)));
    return { diagnostics };
  }
  for (const { key, property } of REQUIRED) {
    if (fields.has(key)) continue;
    diagnostics.push(errorDiagnostic('parse/powershell-missing-field', file,
      `${subject} has no ${property}, which every Windows Firewall rule has; the rule is skipped`, location));
    return { diagnostics };
  }
  // PowerShell's name for an authenticated bypass (formats.md §4.5): an Allow that overrides block rules.
  if (overrideBlockRules !== undefined && overrideBlockRules.text === 'yes' && /^allow$/i.test(fields.get('action')!.text.trim())) {
    fields.set('action', { ...fields.get('action')!, text: 'Bypass' });
  }
  const spec: NetshRuleSpec = { name: fields.get('name')!.text, location, fields, icmpRows, extra: new Map() };
  // As a netsh export without `verbose`: a block rule may be limited to a program, service or interface type.
  if (conditionsNotShown) spec.conditionsNotShown = true;
  return { spec, diagnostics };
}

function isRequired(key: string): boolean {
  return REQUIRED.some((entry) => entry.key === key);
}

function displayName(node: JsonNode): string | undefined {
  for (const member of node.children ?? []) {
    const [keyNode, valueNode] = member.children ?? [];
    if (typeof keyNode?.value === 'string' && keyNode.value.toLowerCase() === 'displayname' && valueNode?.type === 'string') return valueNode.value as string;
  }
  return undefined;
}

/**
 * The text of a value, `''` for absent (`null`, `""`, or a list of nothing else), undefined when it cannot be read:
 * enums and text are strings (`Enabled` may be a JSON boolean), a protocol may be a number, and a list is a string,
 * a number or an array of them (ports and ICMP types may be numbers).
 */
function valueText(node: JsonNode, kind: ValueKind): string | undefined {
  if (node.type === 'null') return '';
  if (node.type === 'string') return (node.value as string).trim();
  if (node.type === 'boolean') return kind === 'enum' ? (node.value ? 'True' : 'False') : undefined;
  if (node.type === 'number') return (kind === 'protocol' || kind === 'list') && Number.isInteger(node.value) ? String(node.value) : undefined;
  if (node.type !== 'array' || kind !== 'list') return undefined;
  const items: string[] = [];
  for (const item of node.children ?? []) {
    const text = item.type === 'null' ? '' : item.type === 'string' || item.type === 'number' ? valueText(item, kind) : undefined;
    if (text === undefined) return undefined;
    items.push(text);
  }
  if (items.every((item) => item === '')) return '';
  // An empty item between others is kept, so that the shared list readers report it.
  return items.join(',');
}

/**
 * An enumeration value as the shared conversion reads it (`Inbound` → `in`, `Domain, Private` → `domain,private`) and
 * the names in it that are not the property's; a bad name is kept as written where a bad name is kept.
 */
function enumText(reading: PropertyReading, text: string): { text: string; badNames: string[] } {
  const names = reading.isFlags ? splitList(text) : [text.trim()];
  const badNames: string[] = [];
  const read: string[] = [];
  for (const name of names) {
    const value = reading.names!.get(name.toLowerCase());
    if (value === undefined) badNames.push(name);
    if (value !== undefined || reading.onBadName!.effect === 'keep') read.push(value ?? name);
  }
  return { text: read.join(','), badNames };
}

/** `Inbound or Outbound`, `Any, Domain, Private or Public`: the names as Microsoft spells them. */
function namesOf(reading: PropertyReading): string {
  const names = [...reading.names!.keys()].map(powerShellValueSpelling);
  const listed = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`;
  return reading.isFlags ? `${listed} (or a comma list of them)` : listed;
}

function expected(reading: PropertyReading): string {
  switch (reading.kind) {
    case 'enum':
      return `a string naming ${namesOf(reading)}`;
    case 'text':
      return 'a string';
    case 'protocol':
      return 'a protocol name or number';
    case 'list':
      return 'a string, a number or an array of them';
  }
}

function describe(node: JsonNode, kind: ValueKind): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      if ((node.children ?? []).length === 0) return 'an empty array';
      return kind === 'list' ? 'an array holding other values than strings and numbers' : 'an array';
    case 'boolean':
      return `the boolean ${String(node.value)}`;
    case 'number':
      return `the number ${String(node.value)}`;
    default:
      return `"${shorten(String(node.value))}"`;
  }
}

/** The value as JSON text, for messages and FW303 (a nested value is summarised, not printed whole). */
function jsonText(node: JsonNode): string {
  if (node.type === 'object') return '{…}';
  if (node.type === 'array') return `[${(node.children ?? []).map(jsonText).join(', ')}]`;
  return JSON.stringify(node.value);
}

function netshPortSpelling(text: string): string {
  return text.split(',').map((item) => PORT_KEYWORD_SPELLINGS.get(item.trim().toLowerCase()) ?? item).join(',');
}

/** `IcmpType` items: `8` (type 8, any code), `3:4` (type 3, code 4) or `Any`, as the export's `Type Code` rows. */
function icmpRowsOf(text: string, range: SourceRange, label: string): IcmpRow[] {
  return text.split(',').map((written) => {
    const colon = written.indexOf(':');
    const item = { label, written: written.trim() };
    return colon === -1 ? { type: written.trim(), code: 'Any', range, item } : { type: written.slice(0, colon).trim(), code: written.slice(colon + 1).trim(), range, item };
  });
}
