import { AddressSet, SetParseError } from '../../model/address-set';
import type { SourceLocation } from '../../model/location';
import { addressPeer, type Peer } from '../../model/peer';
import { PortSet } from '../../model/port-set';
import { parseProtocol, unresolvedProtocol, type Protocol } from '../../model/protocol';
import { withPortsWithin, type Action, type Direction, type Rule, type UnknownValue } from '../../model/rule';
import type { StaticReader } from './reader';
import { MAX_CHOICE_SPLITS } from './limits';
import type { SourceContext } from './source-context';
import type { Group, RuleDraft, TargetBook } from './target-book';
import type { Choice, Node, Value } from './values';

/** What the library handlers share for one file. */
export interface ModelContext {
  book: TargetBook;
  source: SourceContext;
  reader: StaticReader;
  /** Groups standing in for receivers that could not be resolved, by enclosing function and expression. */
  standIns: Map<string, Group>;
}

/** Where a rule construct sits: the group it belongs to, its address and location, and its direction. */
export interface RuleSite {
  group: Group;
  address: string;
  location: SourceLocation;
  direction: Direction;
}

type PeerFieldKind = 'v4' | 'v6' | 'prefix-list' | 'group' | 'self';

interface PeerField {
  name: string;
  kind: PeerFieldKind;
  list: boolean;
}

/** Field names of one rule vocabulary, and whose semantics apply (formats.md §1 for Terraform, §3 for CloudFormation). */
export interface RuleVocabulary {
  protocol: string;
  peers: readonly PeerField[];
}

const single = (name: string, kind: PeerFieldKind): PeerField => ({ name, kind, list: false });
const list = (name: string, kind: PeerFieldKind): PeerField => ({ name, kind, list: true });
/** CDKTF renames the Terraform argument `self` to `selfAttribute` (a reserved word in the generated bindings). */
const SELF_FIELDS = [single('self', 'self'), single('selfAttribute', 'self')];

/** CDK L1 `CfnSecurityGroup.IngressProperty` / `CfnSecurityGroupIngress` (camelCase CloudFormation, formats.md §3.1). */
export const CFN_INGRESS: RuleVocabulary = {
  protocol: 'ipProtocol',
  peers: [single('cidrIp', 'v4'), single('cidrIpv6', 'v6'), single('sourcePrefixListId', 'prefix-list'),
    single('sourceSecurityGroupId', 'group'), single('sourceSecurityGroupName', 'group')],
};
export const CFN_EGRESS: RuleVocabulary = {
  protocol: 'ipProtocol',
  peers: [single('cidrIp', 'v4'), single('cidrIpv6', 'v6'), single('destinationPrefixListId', 'prefix-list'), single('destinationSecurityGroupId', 'group')],
};
/** Inline `ingress`/`egress` of Pulumi's and CDKTF's `SecurityGroup` (Terraform `aws_security_group`, formats.md §1.1). */
export const TF_INLINE: RuleVocabulary = {
  protocol: 'protocol',
  peers: [list('cidrBlocks', 'v4'), list('ipv6CidrBlocks', 'v6'), list('prefixListIds', 'prefix-list'), list('securityGroups', 'group'), ...SELF_FIELDS],
};
/** `SecurityGroupRule` (Terraform `aws_security_group_rule`, formats.md §1.2). */
export const TF_RULE: RuleVocabulary = {
  protocol: 'protocol',
  peers: [list('cidrBlocks', 'v4'), list('ipv6CidrBlocks', 'v6'), list('prefixListIds', 'prefix-list'), single('sourceSecurityGroupId', 'group'), ...SELF_FIELDS],
};
/** `vpc.SecurityGroupIngressRule` / `VpcSecurityGroupIngressRule` (Terraform `aws_vpc_security_group_*_rule`, §1.3). */
export const TF_VPC_RULE: RuleVocabulary = {
  protocol: 'ipProtocol',
  peers: [single('cidrIpv4', 'v4'), single('cidrIpv6', 'v6'), single('prefixListId', 'prefix-list'), single('referencedSecurityGroupId', 'group')],
};

/** A property of a read object: absent, or its value (unknown when an unread spread may have set it). */
export function property(context: ModelContext, object: Value, name: string): Value | undefined {
  if (object.kind !== 'object') return undefined;
  const value = object.entries.get(name);
  if (value) return value.kind === 'undefined' ? undefined : value;
  return object.complete ? undefined : { kind: 'unknown', node: object.node, expr: `${name} of ${context.source.textOf(object.node)}` };
}

/** Values that cannot be a plain rule value (a library symbol, a function) are unknown with their source text. */
export function asPlainValue(context: ModelContext, value: Value): Value {
  switch (value.kind) {
    case 'symbol':
    case 'function':
    case 'class':
      return { kind: 'unknown', node: value.node, expr: context.source.textOf(value.node) };
    default:
      return value;
  }
}

export function unknownOf(context: ModelContext, field: string, value: Extract<Value, { kind: 'unknown' }>, at?: Node): UnknownValue {
  return { field, expr: value.expr, location: context.source.location(at ?? value.node) };
}

/**
 * A rule or ACL entry item as the object literal it must be: an unknown item is a target-level unknown (FW303),
 * anything else an error; undefined in both cases.
 */
function objectItem(context: ModelContext, site: { group: RuleSite['group']; address: string }, item: Value, what: 'rule' | 'entry'): Extract<Value, { kind: 'object' }> | undefined {
  const plain = asPlainValue(context, item);
  if (plain.kind === 'unknown') {
    context.book.addTargetUnknown(site.group, unknownOf(context, site.address, plain));
    return undefined;
  }
  if (plain.kind !== 'object') {
    context.source.error('parse/cdk-bad-rule', `${site.address} must be an object literal describing the ${what}`, plain.node);
    return undefined;
  }
  return plain;
}

/**
 * A security group rule written as an object (CDK L1 item, Pulumi/CDKTF inline block or standalone rule): one rule
 * per peer. An unresolved protocol keeps the rule with its protocol unknown (FW101 judges it on every protocol it
 * could be); an unresolved TCP/UDP port keeps the rule with no ports and the unknown (as the CloudFormation reader
 * does, so FW101 judges it on every port it could be), and so does an unresolved ICMP type or code (it admits
 * nothing, FW303 names it); an unresolved peer keeps the rule with an unknown peer. Values AWS or the provider would reject are errors, and the rule is left out.
 */
export function readRuleItem(context: ModelContext, site: RuleSite, item: Value, vocabulary: RuleVocabulary, splits = MAX_CHOICE_SPLITS): void {
  // `c ? a : b` as the item, one of its fields or an element of a list field: the item is read once per side, each
  // under its condition (an unresolved value would hide a world-open side).
  const split = splits > 0 ? splitChoice(item) : undefined;
  if (split) {
    context.reader.bothSides(split, (side) => readRuleItem(context, site, side, vocabulary, splits - 1));
    return;
  }
  const plain = objectItem(context, site, item, 'rule');
  if (!plain) return;
  const protocolUnknowns: UnknownValue[] = [];
  const protocol = readProtocol(context, site, plain, vocabulary.protocol, protocolUnknowns);
  if (!protocol) return;
  const portSpec = readPorts(context, site, plain, protocol);
  if (!portSpec) return;
  const peers = readPeers(context, site, plain, vocabulary.peers);
  if (peers.length === 0) return;
  const description = property(context, plain, 'description');
  addRules(context, site, {
    protocol,
    ports: portSpec.ports,
    icmp: portSpec.icmp,
    action: 'allow',
    priority: null,
    description: description?.kind === 'string' && description.value !== '' ? description.value : undefined,
  }, peers, [...protocolUnknowns, ...(portSpec.unknowns ?? [])]);
}

const DESCRIPTIVE_FIELDS = new Set(['description', 'name', 'tags']);

/**
 * The first choice in a rule item (the item itself, a field, or an element of a list field) and the item with each of
 * its sides in its place; undefined when there is none.
 */
export function splitChoice(item: Value): Choice | undefined {
  if (item.kind === 'unknown') return item.choice;
  if (item.kind !== 'object') return undefined;
  for (const [key, value] of item.entries) {
    // A description under a condition is no reason to read the rule twice.
    if (DESCRIPTIVE_FIELDS.has(key)) continue;
    const withField = (field: Value): Value => ({ ...item, entries: new Map(item.entries).set(key, field) });
    if (value.kind === 'unknown' && value.choice) {
      const { condition, consequent, alternate } = value.choice;
      return { condition, consequent: withField(consequent), alternate: withField(alternate) };
    }
    if (value.kind !== 'array') continue;
    const index = value.items.findIndex((element) => element.kind === 'unknown' && element.choice !== undefined);
    const element = value.items[index];
    if (element?.kind !== 'unknown' || !element.choice) continue;
    const withElement = (side: Value): Value => withField({ ...value, items: value.items.map((other, position) => (position === index ? side : other)) });
    return { condition: element.choice.condition, consequent: withElement(element.choice.consequent), alternate: withElement(element.choice.alternate) };
  }
  return undefined;
}

export interface PeerEntry {
  peer: Peer;
  node: Node;
  unknown?: UnknownValue;
}

export interface RuleTraffic {
  protocol: Protocol;
  ports: PortSet;
  icmp: Rule['icmp'] | undefined;
  action: Action;
  priority: number | null;
  description: string | undefined;
}

/** One rule per peer, all located at the construct, each with its own peer location (formats.md §0 expansion rule). */
export function addRules(
  context: ModelContext, site: RuleSite, traffic: RuleTraffic, peers: PeerEntry[], extraUnknowns: UnknownValue[] = [],
  idSuffix: (index: number) => string = String,
): void {
  peers.forEach((entry, index) => {
    const draft: RuleDraft = {
      address: site.address,
      location: site.location,
      peerLocation: context.source.location(entry.node),
      direction: site.direction,
      action: traffic.action,
      protocol: traffic.protocol,
      ports: traffic.ports,
      peer: entry.peer,
      priority: traffic.priority,
      unknowns: [...extraUnknowns, ...(entry.unknown ? [entry.unknown] : [])],
    };
    if (traffic.icmp) draft.icmp = traffic.icmp;
    if (traffic.description !== undefined) draft.description = traffic.description;
    context.book.addRule(site.group, draft, idSuffix(index));
  });
}

/**
 * The protocol of a rule item or ACL entry. An unresolved one is kept as an unresolved protocol (FW101 judges an allow
 * on every protocol it could be, as the Terraform and CloudFormation readers do), its unknown added to `unresolved`.
 */
function readProtocol(context: ModelContext, site: RuleSite, item: Value, field: string, unresolved: UnknownValue[]): Protocol | undefined {
  const value = property(context, item, field);
  if (!value) {
    context.source.error('parse/cdk-missing-property', `${site.address}: ${field} is required`, item.node);
    return undefined;
  }
  const plain = asPlainValue(context, value);
  if (plain.kind === 'unknown') {
    unresolved.push(unknownOf(context, `${site.address}.${field}`, plain));
    return unresolvedProtocol(plain.expr);
  }
  const protocol = plain.kind === 'string' || plain.kind === 'number' ? parseProtocol(plain.value) : undefined;
  if (!protocol) {
    context.source.error('parse/cdk-bad-protocol', `${site.address}: ${field} must be a protocol name or number (tcp, udp, icmp, icmpv6, -1 for all), not ${context.source.textOf(plain.node)}`, plain.node);
  }
  return protocol;
}

function isTcpOrUdp(protocol: Protocol): boolean {
  return protocol.kind === 'number' && (protocol.value === 6 || protocol.value === 17);
}

function isIcmp(protocol: Protocol): boolean {
  return protocol.kind === 'number' && (protocol.value === 1 || protocol.value === 58);
}

/**
 * fromPort/toPort: a TCP/UDP range; for ICMP the type and code (-1 or absent = any); ignored for every other protocol,
 * which AWS opens on all ports (EC2 IpPermission; formats.md §1.1 and §3.1).
 */
function readPorts(context: ModelContext, site: RuleSite, item: Value, protocol: Protocol): { ports: PortSet; icmp?: Rule['icmp']; unknowns?: UnknownValue[] } | undefined {
  if (protocol.kind === 'unknown') return portsOfUnresolvedProtocol(context, site, item, 'fromPort', 'toPort');
  if (isTcpOrUdp(protocol)) {
    const unknowns = unresolvedBounds(context, site, item, 'fromPort', 'toPort');
    if (unknowns.length > 0) return { ports: PortSet.EMPTY, unknowns };
    const from = readInteger(context, site, item, 'fromPort', 0, 65535, true);
    const to = readInteger(context, site, item, 'toPort', 0, 65535, true);
    if (typeof from !== 'number' || typeof to !== 'number') return undefined;
    if (from > to) {
      context.source.error('parse/cdk-bad-port', `${site.address}: port range ${from}-${to} is reversed`, item.node);
      return undefined;
    }
    return { ports: PortSet.range(from, to) };
  }
  if (isIcmp(protocol)) {
    // An unresolved type or code: no ports, the rule admits nothing for certain (FW303's note; it exposes no port).
    const unknowns = unresolvedBounds(context, site, item, 'fromPort', 'toPort');
    if (unknowns.length > 0) return { ports: PortSet.EMPTY, unknowns };
    const type = readInteger(context, site, item, 'fromPort', -1, 255, false);
    const code = readInteger(context, site, item, 'toPort', -1, 255, false);
    if (type === 'drop' || code === 'drop') return undefined;
    return { ports: PortSet.ALL, icmp: { type: type === 'absent' || type === -1 ? 'any' : type, code: code === 'absent' || code === -1 ? 'any' : code } };
  }
  return { ports: PortSet.ALL };
}

/**
 * The port bounds (`fromPort`/`toPort`, an ACL entry's `portRange.from`/`to`) of a rule whose protocol is unresolved:
 * a TCP/UDP range where they are one (what they are if the value turns out `tcp` or `udp`), else every port (`-1`,
 * absent: what they are for `-1` and protocols without ports);
 * none, with their unknowns, where they are unresolved too. Never an error: bounds that are no port range are valid
 * for other protocols (ICMP type and code).
 */
function portsOfUnresolvedProtocol(context: ModelContext, site: RuleSite, holder: Value, fromField: string, toField: string, prefix = ''): { ports: PortSet; unknowns?: UnknownValue[] } {
  const unknowns = unresolvedBounds(context, site, holder, fromField, toField, prefix);
  if (unknowns.length > 0) return { ports: PortSet.EMPTY, unknowns };
  const [from, to] = [fromField, toField].map((field) => writtenNumber(context, holder, field)) as [number, number];
  const isPortRange = Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= 65535;
  return { ports: isPortRange ? PortSet.range(from, to) : PortSet.ALL };
}

/**
 * The unresolved bounds of a TCP/UDP port range, each recorded at its value (as the CloudFormation reader records
 * `FromPort` and `ToPort`): a rule with any keeps no ports. `prefix` names the holder in the field (`portRange.`), so
 * that every such field names a port.
 */
function unresolvedBounds(context: ModelContext, site: RuleSite, holder: Value, fromField: string, toField: string, prefix = ''): UnknownValue[] {
  const unknowns: UnknownValue[] = [];
  // `fromPort: 443, toPort: cfg.requireNumber('hi')`: the rule opens 443 up to the value, judged on those ports only
  // (ignored for ICMP, whose bounds are no ports).
  const [from, to] = [fromField, toField].map((field) => writtenNumber(context, holder, field));
  for (const field of [fromField, toField]) {
    const value = property(context, holder, field);
    const plain = value ? asPlainValue(context, value) : undefined;
    if (plain?.kind === 'unknown') unknowns.push(withPortsWithin(unknownOf(context, `${site.address}.${prefix}${field}`, plain), from, to));
  }
  return unknowns;
}

/** A number property as written (`443`, `"443"`); NaN when it is none (absent, unresolved, another text). */
function writtenNumber(context: ModelContext, holder: Value, field: string): number {
  const value = property(context, holder, field);
  const plain = value ? asPlainValue(context, value) : undefined;
  return plain?.kind === 'number' ? plain.value : plain?.kind === 'string' && /^\s*-?\d+\s*$/.test(plain.value) ? Number(plain.value) : NaN;
}

/** An integer property within bounds; an unresolved one is a target-level unknown and drops the rule. */
export function readInteger(context: ModelContext, site: RuleSite, item: Value, field: string, min: number, max: number, required: boolean): number | 'absent' | 'drop' {
  const value = property(context, item, field);
  if (!value) {
    if (!required) return 'absent';
    context.source.error('parse/cdk-missing-property', `${site.address}: ${field} is required for this protocol`, item.node);
    return 'drop';
  }
  const plain = asPlainValue(context, value);
  if (plain.kind === 'unknown') {
    context.book.addTargetUnknown(site.group, unknownOf(context, `${site.address}.${field}`, plain));
    return 'drop';
  }
  const number = plain.kind === 'number' ? plain.value : plain.kind === 'string' && /^\s*-?\d+\s*$/.test(plain.value) ? Number(plain.value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    context.source.error('parse/cdk-bad-port', `${site.address}: ${field} must be an integer in ${min}-${max}, not ${context.source.textOf(plain.node)}`, plain.node);
    return 'drop';
  }
  return number;
}

/** Every peer field present, in vocabulary order; list fields give one peer per element. */
function readPeers(context: ModelContext, site: RuleSite, item: Value, fields: readonly PeerField[]): PeerEntry[] {
  const peers: PeerEntry[] = [];
  for (const field of fields) {
    const value = property(context, item, field.name);
    if (!value) continue;
    const plain = asPlainValue(context, value);
    if (field.list && plain.kind === 'array') {
      for (const element of plain.items) {
        const peer = readPeer(context, site, field, asPlainValue(context, element));
        if (peer) peers.push(peer);
      }
      continue;
    }
    if (field.list && plain.kind !== 'unknown') {
      context.source.error('parse/cdk-bad-peer', `${site.address}: ${field.name} must be a list`, plain.node);
      continue;
    }
    const peer = readPeer(context, site, field, plain);
    if (peer) peers.push(peer);
  }
  if (peers.length === 0) {
    context.source.warning('parse/cdk-rule-without-peer',
      `${site.address} names no ${site.direction === 'in' ? 'source' : 'destination'} (${fields.map((field) => field.name).join(', ')}); no rule is created`, item.node);
  }
  return peers;
}

function readPeer(context: ModelContext, site: RuleSite, field: PeerField, value: Value): PeerEntry | undefined {
  const { source } = context;
  if (field.kind === 'self') {
    if (value.kind === 'boolean') return value.value ? { peer: { kind: 'self' }, node: value.node } : undefined;
    if (value.kind === 'unknown') return { peer: { kind: 'unknown', expr: value.expr }, node: value.node, unknown: unknownOf(context, field.name, value) };
    source.error('parse/cdk-bad-peer', `${site.address}: ${field.name} must be true or false`, value.node);
    return undefined;
  }
  if (field.kind === 'group') return groupPeer(context, site, value, field.name);
  if (value.kind === 'unknown') {
    // A prefix list whose id is not known is still a prefix list: only its identity is open (as the Terraform reader does).
    if (field.kind === 'prefix-list') return { peer: value.prefixList ?? { kind: 'prefix-list', id: value.expr }, node: value.node };
    return { peer: { kind: 'unknown', expr: value.expr }, node: value.node, unknown: unknownOf(context, field.name, value) };
  }
  if (value.kind !== 'string') {
    source.error('parse/cdk-bad-peer', `${site.address}: ${field.name} must hold strings, not ${source.textOf(value.node)}`, value.node);
    return undefined;
  }
  if (field.kind === 'prefix-list') return { peer: { kind: 'prefix-list', id: value.value }, node: value.node };
  const peer = cidrPeer(context, site.address, field.name, value, field.kind === 'v6' ? 6 : 4);
  return peer ? { peer, node: value.node } : undefined;
}

/** A CIDR of the expected family, parsed strictly (host bits set is an error, as AWS rejects it). */
export function cidrPeer(context: ModelContext, address: string, field: string, value: Extract<Value, { kind: 'string' }>, family: 4 | 6): Peer | undefined {
  const text = value.value.trim();
  try {
    const addresses = AddressSet.parseCidr(text);
    if (text.includes(':') !== (family === 6)) throw new SetParseError(`${field} takes an IPv${family} CIDR, not "${text}"`);
    return addressPeer(addresses, text);
  } catch (error) {
    if (!(error instanceof SetParseError)) throw error;
    context.source.error('parse/cdk-bad-cidr', `${address}: ${error.message}`, value.node);
    return undefined;
  }
}

/**
 * A referenced group: the rule's own group is `self`, a group of this file is named by its target id, a literal id
 * (`sg-0123…`) by itself. An unresolved reference is still a group, named by its expression (as the Terraform reader does).
 */
export function groupPeer(context: ModelContext, site: RuleSite, value: Value, field: string): PeerEntry | undefined {
  const group = referencedGroup(value);
  if (group) return { peer: group === site.group ? { kind: 'self' } : { kind: 'sg-ref', id: group.target.id }, node: value.node };
  if (value.kind === 'string') return { peer: { kind: 'sg-ref', id: value.value }, node: value.node };
  if (value.kind === 'unknown') return { peer: { kind: 'sg-ref', id: value.expr }, node: value.node };
  context.source.error('parse/cdk-bad-peer', `${site.address}: ${field} must be a security group id or reference, not ${context.source.textOf(value.node)}`, value.node);
  return undefined;
}

/** The group a value stands for: a group construct, its id attribute, its connections. */
export function referencedGroup(value: Value): Group | undefined {
  if (value.kind === 'group-id') return value.group;
  if (value.kind === 'construct') return value.construct.group;
  if (value.kind === 'connections') return value.owner.group;
  return undefined;
}

/** `egress`: true/false, default false (ingress); CloudFormation and Terraform network ACL entries alike. */
export function readBoolean(context: ModelContext, site: { address: string; group: Group }, item: Value, field: string, fallback: boolean): boolean | 'unknown' | 'drop' {
  const value = property(context, item, field);
  if (!value) return fallback;
  const plain = asPlainValue(context, value);
  if (plain.kind === 'unknown') {
    context.book.addTargetUnknown(site.group, unknownOf(context, `${site.address}.${field}`, plain));
    return 'unknown';
  }
  if (plain.kind !== 'boolean') {
    context.source.error('parse/cdk-bad-property', `${site.address}: ${field} must be true or false`, plain.node);
    return 'drop';
  }
  return plain.value;
}

/** A network ACL entry's allow/deny (any case); undefined, with the error or the target's unknown recorded, otherwise. */
function readAclAction(context: ModelContext, site: Omit<RuleSite, 'direction'>, plain: Value, field: string): 'allow' | 'deny' | undefined {
  const value = property(context, plain, field);
  const action = value ? asPlainValue(context, value) : undefined;
  if (!action) {
    context.source.error('parse/cdk-missing-property', `${site.address}: ${field} is required`, plain.node);
    return undefined;
  }
  if (action.kind === 'unknown') {
    context.book.addTargetUnknown(site.group, unknownOf(context, `${site.address}.${field}`, action));
    return undefined;
  }
  const text = action.kind === 'string' ? action.value.toLowerCase() : undefined;
  if (text !== 'allow' && text !== 'deny') {
    context.source.error('parse/cdk-bad-property', `${site.address}: ${field} must be allow or deny`, action.node);
    return undefined;
  }
  return text;
}

/**
 * A required `from`–`to` port range of an ACL entry; undefined (the error recorded) when missing or reversed; no ports
 * and the unknowns when a bound is unresolved (`prefix`: see `unresolvedBounds`).
 */
function readPortRange(context: ModelContext, site: RuleSite, holder: Value, fromField: string, toField: string, prefix = ''): { ports: PortSet; unknowns?: UnknownValue[] } | undefined {
  const unknowns = unresolvedBounds(context, site, holder, fromField, toField, prefix);
  if (unknowns.length > 0) return { ports: PortSet.EMPTY, unknowns };
  const from = readInteger(context, site, holder, fromField, 0, 65535, true);
  const to = readInteger(context, site, holder, toField, 0, 65535, true);
  if (typeof from !== 'number' || typeof to !== 'number') return undefined;
  if (from > to) {
    context.source.error('parse/cdk-bad-port', `${site.address}: port range ${from}-${to} is reversed`, holder.node);
    return undefined;
  }
  return { ports: PortSet.range(from, to) };
}

/**
 * `CfnNetworkAclEntry` (formats.md §3.2): rule number, numeric protocol, allow/deny, direction, one CIDR, port range
 * for TCP/UDP, ICMP type/code. Stateless and ordered: the rule number becomes the priority.
 */
export function readNetworkAclEntry(context: ModelContext, site: Omit<RuleSite, 'direction'>, props: Value, splits = MAX_CHOICE_SPLITS, protocolField = 'protocol'): void {
  const { book, source } = context;
  // `c ? a : b` as the properties or one of them: read once per side, as a rule item is.
  const split = splits > 0 ? splitChoice(props) : undefined;
  if (split) {
    context.reader.bothSides(split, (side) => readNetworkAclEntry(context, site, side, splits - 1, protocolField));
    return;
  }
  const plain = asPlainValue(context, props);
  if (plain.kind === 'unknown') {
    book.addTargetUnknown(site.group, unknownOf(context, site.address, plain));
    return;
  }
  if (plain.kind !== 'object') {
    source.error('parse/cdk-bad-rule', `${site.address} needs its properties as an object literal`, plain.node);
    return;
  }
  const egress = readBoolean(context, site, plain, 'egress', false);
  if (egress === 'unknown' || egress === 'drop') return;
  const ruleSite: RuleSite = { ...site, direction: egress ? 'out' : 'in' };
  // Rule numbers 1–32766 (AWS::EC2::NetworkAclEntry); lower numbers are evaluated first.
  const ruleNumber = readInteger(context, ruleSite, plain, 'ruleNumber', 1, 32766, true);
  if (typeof ruleNumber !== 'number') return;
  const actionText = readAclAction(context, site, plain, 'ruleAction');
  if (!actionText) return;
  const protocolUnknowns: UnknownValue[] = [];
  const protocol = readProtocol(context, ruleSite, plain, protocolField, protocolUnknowns);
  if (!protocol) return;
  let ports = PortSet.ALL;
  let portUnknowns: UnknownValue[] | undefined;
  let icmp: Rule['icmp'];
  if (protocol.kind === 'unknown') {
    const range = property(context, plain, 'portRange');
    if (range) ({ ports, unknowns: portUnknowns } = portsOfUnresolvedProtocol(context, ruleSite, range, 'from', 'to', 'portRange.'));
  } else if (isTcpOrUdp(protocol)) {
    // portRange is required for TCP and UDP and ignored otherwise.
    const range = property(context, plain, 'portRange');
    if (!range) {
      source.error('parse/cdk-missing-property', `${site.address}: portRange { from, to } is required for TCP and UDP`, plain.node);
      return;
    }
    const rangePorts = readPortRange(context, ruleSite, range, 'from', 'to', 'portRange.');
    if (!rangePorts) return;
    ({ ports, unknowns: portUnknowns } = rangePorts);
  } else if (isIcmp(protocol)) {
    const icmpValue = property(context, plain, 'icmp');
    const type = icmpValue ? readInteger(context, ruleSite, icmpValue, 'type', -1, 255, false) : 'absent';
    const code = icmpValue ? readInteger(context, ruleSite, icmpValue, 'code', -1, 255, false) : 'absent';
    if (type === 'drop' || code === 'drop') return;
    icmp = { type: type === 'absent' || type === -1 ? 'any' : type, code: code === 'absent' || code === -1 ? 'any' : code };
  }
  const peers = readPeers(context, ruleSite, plain, [single('cidrBlock', 'v4'), single('ipv6CidrBlock', 'v6')]);
  addRules(context, ruleSite, { protocol, ports, icmp, action: actionText, priority: ruleNumber, description: undefined }, peers, [...protocolUnknowns, ...(portUnknowns ?? [])]);
}


/**
 * A Terraform-shaped network ACL entry (Pulumi and CDKTF, formats.md §1.4): an inline `ingress`/`egress` item of
 * `NetworkAcl`/`DefaultNetworkAcl` (`ruleNo`, `action`; the direction from the list) or a `NetworkAclRule` resource
 * (`ruleNumber`, `ruleAction`, `egress`). Ports for TCP/UDP, `icmpType`/`icmpCode` for ICMP (an inline item defaults
 * them to 0, a rule resource to any, as the Terraform reader does); the rule number becomes the priority.
 */
export function readTerraformAclEntry(context: ModelContext, site: Omit<RuleSite, 'direction'> & { direction?: Direction }, item: Value): void {
  const plain = objectItem(context, site, item, 'entry');
  if (!plain) return;
  const inline = site.direction !== undefined;
  let direction: Direction = site.direction ?? 'in';
  if (!inline) {
    const egress = readBoolean(context, site, plain, 'egress', false);
    if (egress === 'unknown' || egress === 'drop') return;
    direction = egress ? 'out' : 'in';
  }
  const ruleSite: RuleSite = { ...site, direction };
  const ruleNumber = readInteger(context, ruleSite, plain, inline ? 'ruleNo' : 'ruleNumber', 1, 32766, true);
  if (typeof ruleNumber !== 'number') return;
  const actionField = inline ? 'action' : 'ruleAction';
  const actionText = readAclAction(context, site, plain, actionField);
  if (!actionText) return;
  const protocolUnknowns: UnknownValue[] = [];
  const protocol = readProtocol(context, ruleSite, plain, 'protocol', protocolUnknowns);
  if (!protocol) return;
  let ports = PortSet.ALL;
  let portUnknowns: UnknownValue[] | undefined;
  let icmp: Rule['icmp'];
  if (protocol.kind === 'unknown') {
    ({ ports, unknowns: portUnknowns } = portsOfUnresolvedProtocol(context, ruleSite, plain, 'fromPort', 'toPort'));
  } else if (isTcpOrUdp(protocol)) {
    const range = readPortRange(context, ruleSite, plain, 'fromPort', 'toPort');
    if (!range) return;
    ({ ports, unknowns: portUnknowns } = range);
  } else if (isIcmp(protocol)) {
    const type = readInteger(context, ruleSite, plain, 'icmpType', -1, 255, false);
    const code = readInteger(context, ruleSite, plain, 'icmpCode', -1, 255, false);
    if (type === 'drop' || code === 'drop') return;
    const absent = inline ? 0 : -1;
    const typeNumber = type === 'absent' ? absent : type;
    const codeNumber = code === 'absent' ? absent : code;
    icmp = { type: typeNumber === -1 ? 'any' : typeNumber, code: codeNumber === -1 ? 'any' : codeNumber };
  }
  const peers = readPeers(context, ruleSite, plain, [single('cidrBlock', 'v4'), single('ipv6CidrBlock', 'v6')]);
  addRules(context, ruleSite, { protocol, ports, icmp, action: actionText, priority: ruleNumber, description: undefined }, peers, [...protocolUnknowns, ...(portUnknowns ?? [])]);
}
