import type { Node as JsonNode } from 'jsonc-parser';
import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import type { IcmpRow, NetshRuleSpec, SpecField } from '../netsh/netsh-rule-spec';

/** How a property's JSON value becomes the text of an `add rule` parameter. */
type ValueKind = 'enum' | 'text' | 'list' | 'protocol';

interface PropertyReading {
  /** The `netsh advfirewall firewall add rule` parameter it stands for (netsh-rule-spec.ts), or how it is used. */
  key: string;
  kind: ValueKind;
  /** Enum names PowerShell writes → the word netsh writes, where they differ (lower case keys). */
  names?: ReadonlyMap<string, string>;
}

/**
 * The properties of the recommended export (formats.md §4.5) and the filters' other ones users add
 * (`Service`, `InterfaceType`, `OverrideBlockRules`); others (`Name`, `Group`, `PrimaryStatus`, …) are not read.
 * PowerShell property names are case-insensitive, so they are looked up in lower case.
 */
const PROPERTIES: ReadonlyMap<string, PropertyReading> = new Map<string, PropertyReading>([
  ['displayname', { key: 'name', kind: 'text' }],
  ['description', { key: 'description', kind: 'text' }],
  ['enabled', { key: 'enable', kind: 'enum' }],
  ['direction', { key: 'dir', kind: 'enum', names: new Map([['inbound', 'In'], ['outbound', 'Out']]) }],
  ['action', { key: 'action', kind: 'enum' }],
  ['profile', { key: 'profile', kind: 'enum' }],
  ['protocol', { key: 'protocol', kind: 'protocol' }],
  ['localport', { key: 'localport', kind: 'list' }],
  ['remoteport', { key: 'remoteport', kind: 'list' }],
  ['icmptype', { key: 'icmptype', kind: 'list' }],
  ['localaddress', { key: 'localip', kind: 'list' }],
  ['remoteaddress', { key: 'remoteip', kind: 'list' }],
  ['program', { key: 'program', kind: 'text' }],
  ['service', { key: 'service', kind: 'text' }],
  ['interfacetype', { key: 'interfacetype', kind: 'enum' }],
  ['overrideblockrules', { key: 'overrideblockrules', kind: 'enum' }],
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
      bad(property, valueNode, `is ${describe(valueNode, reading.kind)}, not ${expected(reading.kind)}${isSkipped ? '; the rule is skipped' : ''}`);
      if (isSkipped) return { diagnostics };
      // Never read as open or as safe: the value stays unknown (FW303), as an unresolved script value does.
      fields.set(reading.key, { label: property, text: shorten(jsonText(valueNode)), range, unresolved: shorten(jsonText(valueNode)) });
      continue;
    }
    if (text === '') {
      fields.delete(reading.key);
      continue;
    }
    const field: SpecField = { label: property, text: reading.names?.get(text.toLowerCase()) ?? text, range };
    if (reading.key === 'icmptype') icmpRows.push(...icmpRowsOf(text, range));
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
  if (overrideBlockRules !== undefined && /^true$/i.test(overrideBlockRules.text) && /^allow$/i.test(fields.get('action')!.text.trim())) {
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

function expected(kind: ValueKind): string {
  switch (kind) {
    case 'enum':
      return 'an enum name (a string such as "Inbound")';
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
function icmpRowsOf(text: string, range: SourceRange): IcmpRow[] {
  return text.split(',').map((item) => {
    const colon = item.indexOf(':');
    return colon === -1 ? { type: item.trim(), code: 'Any', range } : { type: item.slice(0, colon).trim(), code: item.slice(colon + 1).trim(), range };
  });
}
