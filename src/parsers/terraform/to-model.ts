import { AddressSet, SetParseError } from '../../model/address-set';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceKind, SourceLocation, SourceRange } from '../../model/location';
import { addressPeer, type Peer } from '../../model/peer';
import { PortSet } from '../../model/port-set';
import { parseProtocol, unresolvedProtocol, type KnownProtocol, type Protocol } from '../../model/protocol';
import { NO_UNKNOWNS, redactedText, withPortsWithin, type Direction, type Rule, type UnknownValue } from '../../model/rule';
import { numberValue, withoutKnownItems, type Expression, type TemplatePart, type Value } from './hcl';
import type { PrefixLists } from './prefix-lists';

/** An argument of a rule construct: its value, where it is written, and the expression (for element ranges). */
export interface Field {
  value: Value;
  range: SourceRange;
  /**
   * The file its range (and its elements') points into when it is not the construct's (`BuildContext.file`): an
   * argument merged from an override file (`fieldFile`).
   */
  file?: string;
  expr?: Expression;
  /** One side of a choice: the next undecidable conditional in what is left of the argument, if any. */
  choice?: () => FieldChoice | undefined;
}

/** Arguments by name: a `Map`, or a block's arguments evaluated on first read (`hcl-resources.ts`). */
export interface Fields {
  get(name: string): Field | undefined;
  has(name: string): boolean;
  set(name: string, field: Field): unknown;
  /**
   * The first argument (names in `exclude` aside) written as `c ? a : b`, or as a list with such an element, whose
   * condition cannot be decided: the argument as it is with each side (see `choices.ts`).
   */
  choice?(exclude: ReadonlySet<string>): FieldChoice | undefined;
  /**
   * An argument's expression named as the root module can name it (see `conditionName`): in a module instance,
   * `var.sg_id` is the caller's argument (`module.web_sg.security_group_id`), a local is qualified by the instance.
   */
  rootName?(name: string): string | undefined;
}

/** An argument under a condition fwlint cannot decide: `consequent` where `condition` holds, `alternate` elsewhere. */
export interface FieldChoice {
  name: string;
  condition: string;
  consequent: Field;
  alternate: Field;
}

/** Which AWS resource vocabulary a rule construct uses (formats.md §1.1–1.3). */
export type AwsRuleStyle = 'inline' | 'security-group-rule' | 'vpc-rule';

export interface RuleConstruct {
  style: AwsRuleStyle;
  direction: Direction;
  fields: Fields;
  location: SourceLocation;
  /** `aws_security_group.web.ingress[0]`, `aws_security_group_rule.ssh`. */
  resourceAddress: string;
  /** The group the rule belongs to, so that a peer group naming it is the `self` peer. */
  ownGroup?: OwnGroup;
}

/** How a rule's own group can be named: its resource address (references) or its id (a known string). */
export interface OwnGroup {
  address?: string;
  id?: string;
}

/**
 * The own group of a standalone rule, from its join argument (`security_group_id`): a reference names the group's
 * resource address, a known string its id.
 */
export function ownGroupOf(join: Value | undefined): OwnGroup | undefined {
  if (join?.kind === 'ref') return { address: join.address };
  if (join?.kind === 'string' && join.value !== '') return { id: join.value };
  return undefined;
}

export interface BuildContext {
  /** `terraform-hcl` or `terraform-plan`: both feed this layer (formats.md §1, §2). */
  kind: SourceKind;
  /** File the ranges of the fields point into (the `.tf` file, or the plan file when the configuration is not on disk). */
  file: string;
  diagnostics: Diagnostic[];
  /**
   * Unknowns that kept a whole rule from being built (an argument `knownField` reads: a NACL entry's `egress` or action,
   * an NSG rule's direction or access): reported by FW303 at the target.
   */
  targetUnknowns: UnknownValue[];
  /** Appended to every rule description (plan findings located at the plan file say so). */
  descriptionNote?: string;
  /** The managed prefix lists whose entries the resources write, when there are any: rules naming them get their CIDRs. */
  prefixLists?: PrefixLists;
}

/** The file a field's range and its elements' ranges point into: its own (see `Field.file`), else the context's. */
export function fieldFile(field: Field | undefined, ctx: BuildContext): string {
  return field?.file ?? ctx.file;
}

/** `ctx` for a construct written in `file`: a nested block merged from an override file is in its own. */
export function contextInFile(ctx: BuildContext, file: string): BuildContext {
  return file === ctx.file ? ctx : { ...ctx, file };
}

const PEER_FIELDS: Record<AwsRuleStyle, { v4: string[]; v6: string[]; prefixLists: string[]; groups: string[]; self: boolean }> = {
  inline: { v4: ['cidr_blocks'], v6: ['ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'], groups: ['security_groups'], self: true },
  'security-group-rule': { v4: ['cidr_blocks'], v6: ['ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'], groups: ['source_security_group_id'], self: true },
  'vpc-rule': { v4: ['cidr_ipv4'], v6: ['cidr_ipv6'], prefixLists: ['prefix_list_id'], groups: ['referenced_security_group_id'], self: false },
};

/** A rule before its source kind, description note and content key are filled in by `finishRule`. */
export type RuleDraft = Omit<Rule, 'kind' | 'contentKey'>;

/**
 * Completes a draft: the context's source kind and the description note. The rule
 * is one literal with every field in a fixed order, so that all Terraform rules share one object shape (a spread of
 * drafts of different shapes made many, which slowed the parser and every check reading rules).
 */
export function finishRule(draft: RuleDraft, ctx: BuildContext): Rule {
  const rule: Rule = {
    id: draft.id,
    kind: ctx.kind,
    location: draft.location,
    peerLocation: draft.peerLocation,
    platform: draft.platform,
    resourceAddress: draft.resourceAddress,
    direction: draft.direction,
    action: draft.action,
    protocol: draft.protocol,
    ports: draft.ports,
    portKeywords: draft.portKeywords,
    icmp: draft.icmp,
    peer: draft.peer,
    localAddresses: draft.localAddresses,
    priority: draft.priority,
    enabled: draft.enabled,
    profiles: draft.profiles,
    program: draft.program,
    service: draft.service,
    conditions: draft.conditions,
    description: describedWithNote(draft.description, ctx),
    unknowns: draft.unknowns,
    synthetic: draft.synthetic,
    sensitive: draft.sensitive,
  };
  return rule;
}

/** A rule's description with the context's description note appended (plan findings located at the plan file). */
function describedWithNote(description: string | undefined, ctx: BuildContext): string | undefined {
  const note = ctx.descriptionNote;
  if (!note) return description;
  return description ? `${description} ${note}` : note;
}

/**
 * `text` as a string of its own. V8 keeps a slice of 13 characters or more as a view of the whole string it was cut
 * from, and a concatenation as a tree of its parts: a resource address or description cut from a source file kept
 * that file's whole text alive for as long as the model held the rule. Shorter strings are always copies. Same
 * characters either way.
 */
export function ownString(text: string): string {
  return text.length < 13 ? text : `${text} `.slice(0, -1);
}

/**
 * The concatenation of `parts` as a string of its own, as `ownString` of their template literal gives it, built in
 * one step: `join` copies the characters of two or more parts into one new flat string, where the template literal
 * makes a tree of parts that `ownString` then copies flat and slices.
 */
export function ownConcat(parts: string[]): string {
  return parts.length === 1 ? ownString(parts[0]!) : parts.join('');
}

/**
 * Reads an argument that must be known to build a rule: `undefined` when absent (or null) and optional; `null` when
 * the rule cannot be built: absent and required (an error diagnostic), or unresolved (an unknown recorded for FW303).
 */
export function knownField(fields: Fields, name: string, required: boolean, owner: { resourceAddress: string; location: SourceLocation }, ctx: BuildContext): Field | undefined | null {
  const field = fields.get(name);
  if (!field || field.value.kind === 'null') {
    if (!required) return undefined;
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-missing-argument', ctx.file, `${owner.resourceAddress}: the "${name}" argument is required`, owner.location.range));
    return null;
  }
  const text = unknownText(field.value);
  if (text !== undefined) {
    ctx.targetUnknowns.push({ field: `${owner.resourceAddress}.${name}`, expr: text, location: { file: fieldFile(field, ctx), range: field.range } });
    return null;
  }
  return field;
}

/**
 * The unknown of an argument whose value could not be resolved (`unknownText`), named and located as `knownField`
 * records it; undefined when the argument is absent or known. For a rule kept with that value unresolved.
 */
export function unresolvedArgument(fields: Fields, name: string, owner: { resourceAddress: string }, ctx: BuildContext): UnknownValue | undefined {
  const field = fields.get(name);
  const text = field && unknownText(field.value);
  return text === undefined ? undefined : { field: `${owner.resourceAddress}.${name}`, expr: text, location: { file: fieldFile(field, ctx), range: field!.range } };
}

/** The origin of the first sensitive value among `values` (`Value.sensitive`), if any. */
export function sensitiveOrigin(...values: Array<Value | undefined>): string | undefined {
  for (const value of values) if (value?.sensitive !== undefined) return value.sensitive;
  return undefined;
}

/** A rule's `sensitive`, from the origins of its peer and of its traffic; undefined when neither is sensitive. */
export function ruleSensitivity(peer: string | undefined, traffic: string | undefined): Rule['sensitive'] {
  if (peer === undefined && traffic === undefined) return undefined;
  return traffic === undefined ? { peer } : peer === undefined ? { traffic } : { peer, traffic };
}

/**
 * A value as a diagnostic quotes it: `"text"`, or `(sensitive value of var.x)` when one of `values` is sensitive
 * (`Value.sensitive`): a diagnostic shows no value a finding would redact.
 */
export function quotedValue(text: string, ...values: Array<Value | undefined>): string {
  const origin = sensitiveOrigin(...values);
  return origin === undefined ? `"${text}"` : redactedText(origin);
}

/**
 * The text of a diagnostic about invalid values: `message` (a `SetParseError`'s, which quotes the value or what it
 * derives from it, such as the network address of a CIDR with host bits) unless one of `values` is sensitive; then
 * `(sensitive value of var.x) <problem>`, which shows none of it. `values`: an element before the list holding it, so
 * `[var.a, var.b]` (sensitive as a whole, as `var.a`) names `var.b` for its second element.
 */
export function invalidValueMessage(message: string, problem: string, ...values: Array<Value | undefined>): string {
  const origin = sensitiveOrigin(...values);
  return origin === undefined ? message : `${redactedText(origin)} ${problem}`;
}

/** The module instance part of a resource address (`module.net[0].`), empty at the root. */
export function modulePrefix(address: string): string {
  return MODULE_PREFIX.exec(address)![0];
}

const MODULE_PREFIX = /^(?:module\.[A-Za-z_][\w-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.)*/;

/** Source text of a value that is not known statically, for FW303 messages. */
export function unknownText(value: Value): string | undefined {
  if (value.kind === 'unknown' || value.kind === 'ref') return value.text;
  return undefined;
}

export function asNumber(value: Value): number | undefined {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string' && /^-?\d+$/.test(value.value.trim())) return Number(value.value.trim());
  return undefined;
}

export function asString(value: Value): string | undefined {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number') return String(value.value);
  return undefined;
}

/** Elements of a list-or-scalar field, each with the range of its own expression when it is written literally. */
export function elementsOf(field: Field): Array<{ value: Value; range: SourceRange }> {
  const elements: Array<{ value: Value; range: SourceRange }> = [];
  const count = elementCount(field);
  for (let index = 0; index < count; index++) elements.push({ value: elementValue(field, index), range: elementRange(field, index) });
  return elements;
}

/**
 * How many elements `elementsOf` lists for a field: none for null, one for a scalar, a list's items; a list of
 * unknown length (`concat(var.extra, ["0.0.0.0/0"])`) gives its known elements and then the unknown rest.
 */
export function elementCount(field: Field): number {
  const { value } = field;
  if (value.kind === 'unknown' && value.knownItems !== undefined) return value.knownItems.length + 1;
  return value.kind === 'null' ? 0 : value.kind === 'list' ? value.items.length : 1;
}

/** Element `index` of a field as `elementsOf` lists it, read without building the list (rule-building hot path). */
export function elementValue(field: Field, index: number): Value {
  const { value } = field;
  if (value.kind === 'unknown' && value.knownItems !== undefined) {
    return index < value.knownItems.length ? value.knownItems[index]! : withoutKnownItems(value);
  }
  return value.kind === 'list' ? value.items[index]! : value;
}

/** The range of element `index`: its own expression's when the list is written literally, else the field's. */
export function elementRange(field: Field, index: number): SourceRange {
  const { value, expr } = field;
  if (value.kind !== 'list' || expr?.kind !== 'tuple' || expr.items.length !== value.items.length) return field.range;
  return expr.items[index]!.range;
}

/**
 * Turns one AWS security-group rule construct into normalized rules, one per peer (formats.md §0). An unresolved
 * protocol keeps the rule with its protocol unknown and the unknown (FW101 judges it on every protocol it could be);
 * an unresolved TCP/UDP port keeps the rule with no ports and the unknown (as the CloudFormation reader does, so
 * FW101 judges it on every port it could be), and so does an unresolved ICMP type or code (it admits nothing, FW303
 * names it); an unresolved peer keeps the rule with an unknown peer.
 */
export function rulesFromConstruct(construct: RuleConstruct, ctx: BuildContext): Rule[] {
  const { fields, style } = construct;
  const protocolField = fields.get(style === 'vpc-rule' ? 'ip_protocol' : 'protocol');
  if (!protocolField) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-missing-argument', ctx.file, `${construct.resourceAddress}: the "protocol" argument is required`, construct.location.range));
    return [];
  }
  const protocolUnknown = unknownText(protocolField.value);
  let protocol: Protocol;
  let portSpec: PortSpec | undefined;
  if (protocolUnknown !== undefined) {
    protocol = unresolvedProtocol(protocolUnknown);
    const unknown: UnknownValue = { field: `${construct.resourceAddress}.protocol`, expr: protocolUnknown, location: { file: fieldFile(protocolField, ctx), range: protocolField.range } };
    portSpec = portsOfUnresolvedProtocol(construct, unknown, ctx);
  } else {
    const protocolText = asString(protocolField.value) ?? '';
    const known = parseProtocol(protocolText);
    if (!known) {
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-protocol', fieldFile(protocolField, ctx), `${construct.resourceAddress}: unknown protocol ${quotedValue(protocolText, protocolField.value)}`, protocolField.range));
      return [];
    }
    protocol = known;
    portSpec = portsOf(construct, known, ctx);
  }
  if (!portSpec) return [];

  const peers = peersOf(construct, ctx);
  const trafficOrigin = sensitiveOrigin(protocolField.value, fields.get('from_port')?.value, fields.get('to_port')?.value);
  const description = fields.get('description');
  const descriptionText = description ? asString(description.value) : undefined;
  // Once per construct: every rule of its peers has the same description.
  const ruleDescription = describedWithNote(descriptionText ? ownString(descriptionText) : undefined, ctx);
  const rules: Rule[] = [];
  for (let index = 0; index < peers.length; index++) {
    const peer = peers[index]!;
    // The literal `finishRule` writes, field for field in its order (one object shape for every Terraform rule), built
    // here without a draft in between: this is the corpus's most common rule, one per peer of every construct.
    const rule: Rule = {
      id: `${construct.resourceAddress}#${index}`,
      kind: ctx.kind,
      location: construct.location,
      peerLocation: { file: peer.file ?? ctx.file, range: peer.range },
      platform: 'aws-sg',
      resourceAddress: construct.resourceAddress,
      direction: construct.direction,
      action: 'allow',
      protocol,
      ports: portSpec.ports,
      portKeywords: undefined,
      icmp: portSpec.icmp,
      peer: peer.peer,
      localAddresses: undefined,
      priority: null,
      enabled: true,
      profiles: undefined,
      program: undefined,
      service: undefined,
      conditions: undefined,
      description: ruleDescription,
      unknowns: portSpec.unknowns || peer.unknown ? [...(portSpec.unknowns ?? []), ...(peer.unknown ? [peer.unknown] : [])] : NO_UNKNOWNS,
      synthetic: undefined,
      sensitive: ruleSensitivity(peer.sensitive, trafficOrigin),
    };
    if (peer.branch !== undefined) {
      // As `rulesEitherWay` tags the rules of one side of a condition.
      rule.branch = peer.branch;
      rule.id = `${rule.id}?${peer.branch}`;
    }
    rules.push(rule);
  }
  return rules;
}

/** A rule's ports (and ICMP type and code); `unknowns`: the port bounds that could not be resolved, ports then empty. */
export interface PortSpec {
  ports: PortSet;
  icmp?: Rule['icmp'];
  unknowns?: UnknownValue[];
}

function portsOf(construct: RuleConstruct, protocol: KnownProtocol, ctx: BuildContext): PortSpec | undefined {
  // AWS: "-1" means all protocols and ports; other protocols than TCP/UDP/ICMP open the whole protocol (EC2 API).
  if (protocol.kind === 'any') return { ports: PortSet.ALL };
  const from = construct.fields.get('from_port');
  const to = construct.fields.get('to_port');
  const isIcmp = protocol.value === 1 || protocol.value === 58;
  if (!isIcmp && protocol.value !== 6 && protocol.value !== 17) return { ports: PortSet.ALL };
  if (!from || !to) {
    // The VPC rule resources allow omitting ports for icmpv6 (all types and codes).
    if (isIcmp) return { ports: PortSet.ALL, icmp: { type: 'any', code: 'any' } };
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-missing-argument', ctx.file, `${construct.resourceAddress}: "from_port" and "to_port" are required for ${protocol.value === 6 ? 'tcp' : 'udp'}`, construct.location.range));
    return undefined;
  }
  const unresolved = unresolvedBounds(construct, from, to, ctx);
  // No ports: the rule admits nothing for certain. Unknown TCP/UDP ports are judged on every port they could be
  // (FW101); an unknown ICMP type or code is not, it exposes no port (FW303's note only).
  if (unresolved.length > 0) return { ports: PortSet.EMPTY, unknowns: unresolved };
  const fromNumber = asNumber(from.value);
  const toNumber = asNumber(to.value);
  if (fromNumber === undefined || toNumber === undefined) {
    const wrong = fromNumber === undefined ? from : to;
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', fieldFile(wrong, ctx), `${construct.resourceAddress}: ports must be numbers`, wrong.range));
    return undefined;
  }
  if (isIcmp) {
    // For ICMP, from_port is the type and to_port the code; -1 is "any".
    return { ports: PortSet.ALL, icmp: { type: fromNumber === -1 ? 'any' : fromNumber, code: toNumber === -1 ? 'any' : toNumber } };
  }
  try {
    return { ports: PortSet.range(fromNumber, toNumber) };
  } catch (error) {
    if (!(error instanceof SetParseError)) throw error;
    // At the argument at fault: from_port when it is no valid port itself, else to_port (out of range or below from_port).
    const fromValid = Number.isInteger(fromNumber) && fromNumber >= 0 && fromNumber <= 65535;
    const wrong = fromValid ? to : from;
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', fieldFile(wrong, ctx), `${construct.resourceAddress}: ${invalidValueMessage(error.message, 'is not a valid port range (from_port, to_port)', from.value, to.value)}`, wrong.range));
    return undefined;
  }
}

/**
 * The ports of a rule whose protocol is unresolved (`unknown`, first among the unknowns): `from_port`-`to_port` as a
 * TCP/UDP range where they are one (what they are if the value turns out `tcp` or `udp`), else every port (`-1`, or
 * absent: what they are for `-1` and protocols without ports); none, with their unknowns, where they are unresolved
 * too. Never an error: bounds that are no port range are valid for other protocols (ICMP type and code).
 */
export function portsOfUnresolvedProtocol(construct: { resourceAddress: string; fields: Fields }, unknown: UnknownValue, ctx: BuildContext): PortSpec {
  const from = construct.fields.get('from_port');
  const to = construct.fields.get('to_port');
  if (!from || !to) return { ports: PortSet.ALL, unknowns: [unknown] };
  const unresolved = unresolvedBounds(construct, from, to, ctx);
  if (unresolved.length > 0) return { ports: PortSet.EMPTY, unknowns: [unknown, ...unresolved] };
  const fromNumber = asNumber(from.value);
  const toNumber = asNumber(to.value);
  const isPortRange = fromNumber !== undefined && toNumber !== undefined && Number.isInteger(fromNumber) && Number.isInteger(toNumber) && fromNumber >= 0 && fromNumber <= toNumber && toNumber <= 65535;
  return { ports: isPortRange ? PortSet.range(fromNumber, toNumber) : PortSet.ALL, unknowns: [unknown] };
}

/** The unresolved ones of `from_port` and `to_port`, each at its own argument (as CloudFormation's `FromPort`, `ToPort`). */
export function unresolvedBounds(construct: { resourceAddress: string }, from: Field, to: Field, ctx: BuildContext): UnknownValue[] {
  // Both known is the usual case (once per rule construct): nothing allocated then.
  const fromText = unknownText(from.value);
  const toText = unknownText(to.value);
  if (fromText === undefined && toText === undefined) return NO_UNKNOWNS;
  const unknowns: UnknownValue[] = [];
  if (fromText !== undefined) unknowns.push(withPortsWithin({ field: `${construct.resourceAddress}.from_port`, expr: fromText, location: { file: fieldFile(from, ctx), range: from.range } }, undefined, knownPort(to.value)));
  if (toText !== undefined) unknowns.push(withPortsWithin({ field: `${construct.resourceAddress}.to_port`, expr: toText, location: { file: fieldFile(to, ctx), range: to.range } }, knownPort(from.value), undefined));
  return unknowns;
}

/** A value that is a port number (0-65535), as a bound known beside an unresolved one. */
function knownPort(value: Value): number | undefined {
  const number = asNumber(value);
  return number !== undefined && Number.isInteger(number) && number >= 0 && number <= 65535 ? number : undefined;
}

/**
 * A port-range string (an Azure `destination_port_range`, a GCP `ports` item) that is the only one of its rule and
 * written around one unresolved value: `"443-${var.p}"` is 443 up to the value, `"${var.p}-1024"` the value up to
 * 1024, so `unknown` is given those bounds (see `withPortsWithin`). Unchanged for another element or expression.
 */
export function withWrittenRangeBounds(unknown: UnknownValue, field: Field, elementCount: number): UnknownValue {
  const expr = elementCount === 1 ? (field.expr?.kind === 'tuple' ? field.expr.items[0] : field.expr) : undefined;
  if (expr?.kind !== 'template' || expr.parts.length !== 2) return unknown;
  const [first, second] = expr.parts as [TemplatePart, TemplatePart];
  const low = first.kind === 'text' && second.kind === 'interp' ? /^(\d{1,5})-$/.exec(first.value)?.[1] : undefined;
  const high = first.kind === 'interp' && second.kind === 'text' ? /^-(\d{1,5})$/.exec(second.value)?.[1] : undefined;
  const bound = (text: string | undefined): number | undefined => (text === undefined ? undefined : knownPort(numberValue(Number(text))));
  return withPortsWithin(unknown, bound(low), bound(high));
}

interface PeerEntry {
  peer: Peer;
  range: SourceRange;
  /** The file `range` points into when it is not the construct's (`Field.file`). */
  file?: string;
  unknown?: UnknownValue;
  /** `Value.sensitive` of the value the peer is read from. */
  sensitive?: string;
  /** The condition the peer exists under (a prefix list entry's), read as a branch rule. */
  branch?: string;
}

function peersOf(construct: RuleConstruct, ctx: BuildContext): PeerEntry[] {
  const names = PEER_FIELDS[construct.style];
  const peers: PeerEntry[] = [];
  for (const name of names.v4) addCidrs(construct, name, 4, peers, ctx);
  for (const name of names.v6) addCidrs(construct, name, 6, peers, ctx);
  for (const name of names.prefixLists) {
    const field = construct.fields.get(name);
    if (!field) continue;
    const start = peers.length;
    for (const element of elementsOf(field)) {
      const sensitive = sensitiveOrigin(field.value, element.value);
      const written = ctx.prefixLists?.peersOf(element.value, construct.resourceAddress);
      if (written) {
        for (const part of written) {
          const entry: PeerEntry = { peer: part.peer, range: element.range, sensitive: sensitive ?? part.sensitive };
          if (part.unknown) entry.unknown = part.unknown;
          if (part.branch !== undefined) entry.branch = part.branch;
          peers.push(entry);
        }
        continue;
      }
      const text = unknownText(element.value);
      if (ctx.kind === 'terraform-plan' && element.value.kind === 'unknown' && text !== undefined) {
        // A list id known only after apply names a list this plan creates, whose entries may be anything: unresolved,
        // as an unknown CIDR is (in HCL an unknown id, `var.pl`, stays a list created elsewhere).
        peers.push({ peer: { kind: 'unknown', expr: text }, range: element.range, unknown: { field: name, expr: text, location: { file: fieldFile(field, ctx), range: element.range } } });
        continue;
      }
      peers.push({ peer: { kind: 'prefix-list', id: asString(element.value) ?? text ?? '?' }, range: element.range, sensitive });
    }
    inFieldFile(peers, start, field);
  }
  for (const name of names.groups) {
    const field = construct.fields.get(name);
    if (!field) continue;
    const start = peers.length;
    for (const element of elementsOf(field)) {
      const id = element.value.kind === 'ref' ? ownString(element.value.address) : asString(element.value) ?? unknownText(element.value) ?? '?';
      // The rule's own group as its peer (`source_security_group_id = aws_security_group.k8s.id` on a rule of that
      // group, the EKS node pattern) is `self`, as `self = true` is, and as the CloudFormation reader reads it.
      peers.push({ peer: isOwnGroup(element.value, construct.ownGroup) ? { kind: 'self' } : { kind: 'sg-ref', id }, range: element.range, sensitive: sensitiveOrigin(field.value, element.value) });
    }
    inFieldFile(peers, start, field);
  }
  const self = construct.fields.get('self');
  if (names.self && self?.value.kind === 'bool' && self.value.value) peers.push(self.file === undefined ? { peer: { kind: 'self' }, range: self.range } : { peer: { kind: 'self' }, range: self.range, file: self.file });
  return peers;
}

/** Marks the peers from `start` on, read from `field`, with its file when that is its own (`Field.file`). */
function inFieldFile(peers: PeerEntry[], start: number, field: Field): void {
  if (field.file === undefined) return;
  for (let index = start; index < peers.length; index++) peers[index]!.file = field.file;
}

/** The peers of a CIDR list argument (`cidr_blocks`), or the diagnostics for its invalid elements. */
function addCidrs(construct: RuleConstruct, fieldName: string, family: 4 | 6, peers: PeerEntry[], ctx: BuildContext): void {
  const field = construct.fields.get(fieldName);
  if (!field) return;
  const start = peers.length;
  addCidrsOf(construct, field, fieldName, family, peers, ctx);
  inFieldFile(peers, start, field);
}

function addCidrsOf(construct: RuleConstruct, field: Field, fieldName: string, family: 4 | 6, peers: PeerEntry[], ctx: BuildContext): void {
  // Elements by index rather than `elementsOf`: no list of element objects per argument of every rule construct.
  const count = elementCount(field);
  for (let index = 0; index < count; index++) {
    const value = elementValue(field, index);
    const text = unknownText(value);
    if (text !== undefined) {
      const range = elementRange(field, index);
      peers.push({ peer: { kind: 'unknown', expr: text }, range, unknown: { field: fieldName, expr: text, location: { file: fieldFile(field, ctx), range } } });
      continue;
    }
    const cidr = asString(value);
    if (cidr === undefined) {
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', fieldFile(field, ctx), `${construct.resourceAddress}: ${fieldName} must hold strings`, elementRange(field, index)));
      continue;
    }
    try {
      const addresses = AddressSet.parseCidr(cidr);
      if ((family === 6) !== cidr.includes(':')) throw new SetParseError(`"${cidr}" is not an IPv${family} CIDR (${fieldName})`);
      // `sensitiveOrigin(field.value, value)` written out: no argument array per CIDR.
      peers.push({ peer: addressPeer(addresses, AddressSet.sharedText(addresses, cidr)), range: elementRange(field, index), sensitive: field.value.sensitive ?? value.sensitive });
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      const message = invalidValueMessage(error.message, `is not a valid IPv${family} CIDR (${fieldName})`, value, field.value);
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', fieldFile(field, ctx), `${construct.resourceAddress}: ${message}`, elementRange(field, index)));
    }
  }
}

function isOwnGroup(value: Value, own: OwnGroup | undefined): boolean {
  if (!own) return false;
  if (value.kind === 'ref') return own.address !== undefined && value.address === own.address;
  return value.kind === 'string' && own.id !== undefined && value.value === own.id;
}
