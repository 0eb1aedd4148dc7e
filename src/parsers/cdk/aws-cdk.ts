import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/typescript-estree';
import { AddressSet, SetParseError } from '../../model/address-set';
import type { SourceLocation } from '../../model/location';
import { addressPeer } from '../../model/peer';
import { awsDefaultEgress } from '../shared/aws-default-egress';
import { PortSet } from '../../model/port-set';
import { ANY_PROTOCOL, unresolvedProtocol } from '../../model/protocol';
import { ruleContentKey, type Direction, type UnknownValue } from '../../model/rule';
import type { ProfileBinding } from '../../model/target';
import { cdkPeerCall, cdkPortCall, cdkPortConstruct } from './cdk-values';
import { MAX_CHOICE_SPLITS } from './limits';
import { profileFromTag } from './profile-tag';
import { childPath, type Arg } from './reader';
import {
  CFN_EGRESS, CFN_INGRESS, addRules, asPlainValue, property, readNetworkAclEntry, readRuleItem, referencedGroup, splitChoice, unknownOf,
  type ModelContext, type PeerEntry, type RuleSite,
} from './rule-items';
import type { Group, GroupSpec } from './target-book';
import type { ConstructInstance, Node, Value } from './values';

const EC2 = 'cdk.aws_ec2';
/** jsii names of the CDK classes, used as the targets' resource types. */
const FQN = 'aws-cdk-lib.aws_ec2';

type Creation = TSESTree.NewExpression | TSESTree.CallExpression;

/** The L2 network ACL's resource type; the imported one (`NetworkAcl.fromNetworkAclId`) adds " (imported)". */
const L2_ACL = `${FQN}.NetworkAcl`;

/** `new X(scope, id, props)` of the aws_ec2 classes fwlint models; undefined for every other class. */
export function cdkConstruct(context: ModelContext, symbol: string, args: Arg[], node: TSESTree.NewExpression): Value | undefined {
  switch (symbol) {
    case `${EC2}.SecurityGroup`:
      return securityGroup(context, args, node);
    case `${EC2}.CfnSecurityGroup`:
      return cfnSecurityGroup(context, args, node);
    case `${EC2}.CfnSecurityGroupIngress`:
      return cfnStandaloneRule(context, args, node, 'in');
    case `${EC2}.CfnSecurityGroupEgress`:
      return cfnStandaloneRule(context, args, node, 'out');
    case `${EC2}.CfnNetworkAcl`:
      return groupValue(newGroup(context, args, node, { resourceType: `${FQN}.CfnNetworkAcl`, platform: 'aws-nacl', style: 'acl' }), node);
    case `${EC2}.CfnNetworkAclEntry`:
      return cfnNetworkAclEntry(context, args, node);
    case `${EC2}.Port`:
      return cdkPortConstruct(context, args, node);
    case `${EC2}.Connections`:
      return connectionsConstruct(context, args, node);
    case `${EC2}.NetworkAcl`:
      return groupValue(newGroup(context, args, node, { resourceType: L2_ACL, platform: 'aws-nacl', style: 'acl' }), node);
    case `${EC2}.NetworkAclEntry`:
      return l2NetworkAclEntry(context, args, node);
    case `${EC2}.PrefixList`:
    case `${EC2}.CfnPrefixList`:
      return prefixListConstruct(context, args, node);
    default:
      return undefined;
  }
}

/** `Peer.*`, `Port.*` and the `SecurityGroup.from…` imports. */
export function cdkCall(context: ModelContext, symbol: string, args: Arg[], node: TSESTree.CallExpression): Value | undefined {
  const peer = /^cdk\.aws_ec2\.Peer\.(\w+)$/.exec(symbol)?.[1];
  if (peer) return cdkPeerCall(context, peer, args, node);
  const port = /^cdk\.aws_ec2\.Port\.(\w+)$/.exec(symbol)?.[1];
  if (port) return cdkPortCall(context, port, args, node);
  const imported = /^cdk\.aws_ec2\.SecurityGroup\.(fromSecurityGroupId|fromLookupById|fromLookupByName)$/.exec(symbol)?.[1];
  if (imported) return importedSecurityGroup(context, imported, args, node);
  const aclValue = /^cdk\.aws_ec2\.(AclCidr|AclTraffic)\.(\w+)$/.exec(symbol);
  if (aclValue) return aclValue[1] === 'AclCidr' ? aclCidrCall(aclValue[2]!, args, node) : aclTrafficCall(aclValue[2]!, args, node);
  if (symbol === 'cdk.aws_ec2.NetworkAcl.fromNetworkAclId') {
    return groupValue(newGroup(context, args, node, { resourceType: `${L2_ACL} (imported)`, platform: 'aws-nacl', style: 'acl', listed: false }), node);
  }
  if (symbol === 'cdk.Tags.of' && args[0]?.value.kind === 'construct') return { kind: 'tags', owner: args[0].value.construct, node };
  return undefined;
}

/** Attributes naming a group or ACL, per kind of construct: they join standalone rules and name peers. */
const ID_ATTRIBUTES: Record<Group['style'], readonly string[]> = {
  cdk: ['securityGroupId'],
  'cdk-imported': ['securityGroupId'],
  'cdk-l1': ['attrGroupId', 'ref', 'attrId'],
  // CDK L1 `CfnNetworkAcl`: ref/attrId; L2 `NetworkAcl`: networkAclId; Pulumi and CDKTF `NetworkAcl`: id.
  acl: ['ref', 'attrId', 'networkAclId', 'id'],
  terraform: ['id'],
  'stand-in': ['securityGroupId', 'attrGroupId', 'ref', 'id'],
};

/** The attributes of `PrefixList` (`prefixListId`) and `CfnPrefixList` (`attrPrefixListId`, `ref`) giving its id. */
const PREFIX_LIST_ID_ATTRIBUTES: readonly string[] = ['prefixListId', 'attrPrefixListId', 'ref'];

/**
 * `new PrefixList(scope, id, { entries: [{ cidr }] })` / `new CfnPrefixList(…)`: a construct whose id attributes stand
 * for its entries' CIDRs when they are all known literally, as the CloudFormation reader reads the synthesized
 * `AWS::EC2::PrefixList`; otherwise (an unknown or invalid entry, none) a plain construct, its id a symbolic list.
 */
function prefixListConstruct(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): Value {
  const { id } = constructId(context, args, node);
  const construct: ConstructInstance = { path: id, isStack: false, fields: new Map() };
  const props = args[2] ? asPlainValue(context, args[2].value) : undefined;
  const entries = props ? property(context, props, 'entries') : undefined;
  if (entries?.kind === 'array' && entries.items.length > 0) {
    let addresses: AddressSet | undefined = AddressSet.EMPTY;
    for (const entry of entries.items) {
      const cidr = property(context, entry, 'cidr');
      if (cidr?.kind !== 'string') {
        addresses = undefined;
        break;
      }
      try {
        addresses = addresses.union(AddressSet.parseCidr(cidr.value));
      } catch (error) {
        if (!(error instanceof SetParseError)) throw error;
        context.source.error('parse/cdk-bad-cidr', `${id}: ${error.message}`, cidr.node);
        addresses = undefined;
        break;
      }
    }
    if (addresses) construct.prefixList = { kind: 'addresses', addresses, text: `prefix list ${id}`, definedAt: headLocation(context, node), prefixListId: id };
  }
  return { kind: 'construct', construct, node };
}

/** `sg.securityGroupId`, `cfn.attrGroupId`, `sg.connections`, Pulumi `sg.id`, … */
export function groupProperty(receiver: Value, name: string, node: Node): Value | undefined {
  if (receiver.kind !== 'construct') return undefined;
  const { prefixList } = receiver.construct;
  if (prefixList && PREFIX_LIST_ID_ATTRIBUTES.includes(name)) return { kind: 'unknown', expr: `${receiver.construct.path}.${name}`, node, prefixList };
  const group = receiver.construct.group;
  if (name === 'connections' && (!group || group.style === 'cdk' || group.style === 'cdk-imported' || group.style === 'stand-in')) {
    return { kind: 'connections', owner: receiver.construct, node };
  }
  if (group && ID_ATTRIBUTES[group.style].includes(name)) return { kind: 'group-id', group, node };
  return undefined;
}

const CONNECTION_METHODS = new Set([
  'allowFrom', 'allowTo', 'allowFromAnyIpv4', 'allowToAnyIpv4', 'allowInternally',
  'allowDefaultPortFrom', 'allowDefaultPortFromAnyIpv4', 'allowDefaultPortInternally', 'allowDefaultPortTo', 'allowToDefaultPort',
]);

/** `sg.addIngressRule(…)`, `sg.addEgressRule(…)` and `x.connections.allow…(…)`. */
export function cdkMethod(context: ModelContext, receiver: Value, name: string, args: Arg[], node: TSESTree.CallExpression): Value | undefined {
  if (receiver.kind === 'construct' && receiver.construct.group && (name === 'addIngressRule' || name === 'addEgressRule')) {
    const group = receiver.construct.group;
    if (group.style !== 'cdk' && group.style !== 'cdk-imported' && group.style !== 'stand-in') return undefined;
    addMethodRule(context, group, name, args, node);
    return { kind: 'undefined', node };
  }
  if (receiver.kind === 'construct' && name === 'addEntry' && receiver.construct.group && isL2Acl(receiver.construct.group)) {
    // acl.addEntry(id, options) is `new NetworkAclEntry(acl, id, { networkAcl: acl, ...options })`.
    const group = receiver.construct.group;
    const { id, idNode, unknowns } = constructId(context, [{ value: receiver, node: receiver.node }, ...args], node, 0, 1);
    for (const unknown of unknowns) context.book.addTargetUnknown(group, unknown);
    readL2AclEntry(context, { group, address: id, location: context.source.location(node) }, args[1]?.value, idNode);
    return ruleResourceValue(id, node);
  }
  if (receiver.kind === 'tags' && name === 'add') {
    // Tags.of(sg).add('fwlint:profile', 'pack/role …'): the tag form of the profile annotation (contract).
    const [key, value] = args.map((arg) => asPlainValue(context, arg.value));
    const group = receiver.owner.group;
    if (group && key?.kind === 'string' && key.value === 'fwlint:profile' && value?.kind === 'string') {
      const profile = profileFromTag(context, value.value, value.node);
      if (profile) group.target.profile = profile;
    }
    return { kind: 'undefined', node };
  }
  if (receiver.kind === 'connections' && CONNECTION_METHODS.has(name)) {
    // `new Connections({…}).allow…()` is named by the expression it is called on (`conns`), not by the `new`.
    const at = receiver.node.type === AST_NODE_TYPES.NewExpression && node.callee.type === AST_NODE_TYPES.MemberExpression ? node.callee.object : receiver.node;
    const groups = receiver.owner.groups ?? [receiver.owner.group ?? connectionsStandIn(context, receiver.owner, at)];
    const defaultPort = receiver.owner.fields.get('defaultPort');
    for (const group of groups) connectionsMethod(context, group, name, args, node, at, defaultPort?.kind === 'port' ? { value: defaultPort, node: defaultPort.node } : undefined);
    return { kind: 'undefined', node };
  }
  return undefined;
}

/**
 * A rule method called on something the reader could not resolve (a function parameter, a property of unknown
 * props). When the arguments are CDK peers or ports, the rules are kept on a stand-in target named after the
 * expression, with the unresolved group recorded (FW303): a world-open rule is reported even if its group is unknown.
 */
export function unresolvedCdkMethod(context: ModelContext, receiver: TSESTree.Expression, name: string, args: Arg[], node: TSESTree.CallExpression): Value | undefined {
  const isRuleMethod = name === 'addIngressRule' || name === 'addEgressRule';
  if (!isRuleMethod && !CONNECTION_METHODS.has(name)) return undefined;
  const looksLikeCdk = args.some((arg) => arg.value.kind === 'peer' || arg.value.kind === 'port' || referencedGroup(arg.value) !== undefined);
  if (!looksLikeCdk) return undefined;
  let text = context.source.textOf(receiver);
  if (!isRuleMethod && text.endsWith('.connections')) text = text.slice(0, -'.connections'.length);
  const group = standIn(context, text, receiver, `${FQN}.ISecurityGroup`, 'group');
  if (isRuleMethod) addMethodRule(context, group, name, args, node);
  else connectionsMethod(context, group, name, args, node, receiver);
  return { kind: 'undefined', node };
}

// ---- construct ids and groups --------------------------------------------------------------------------------

/**
 * The target id of a construct: its construct path (`AppStack/WebSg`) as far as it is known statically. An id that
 * cannot be read stays in the path as `${expression}` and is recorded as an unknown.
 */
export function constructId(context: ModelContext, args: Arg[], node: Creation, scopeIndex = 0, idIndex = 1): { id: string; idNode: Node; unknowns: UnknownValue[] } {
  const idArg = args[idIndex];
  const scope = args[scopeIndex]?.value;
  const idNode = idArg?.node ?? node;
  if (idArg?.value.kind === 'string') return { id: childPath(scope, idArg.value.value), idNode, unknowns: [] };
  const expr = idArg ? context.source.textOf(idArg.node) : '?';
  // A template keeps its literal parts: `${prefix}-sg` reads better than `${`${prefix}-sg`}`.
  const shown = idArg?.node.type === AST_NODE_TYPES.TemplateLiteral ? expr.slice(1, -1) : `\${${expr}}`;
  return { id: childPath(scope, shown), idNode, unknowns: [{ field: 'id', expr, location: context.source.location(idNode) }] };
}

/** From `new` to the id argument: where the construct is named (one line in practice), used as the target location. */
export function headLocation(context: ModelContext, node: Creation, idIndex = 1): SourceLocation {
  const idArgument = node.arguments[idIndex];
  return context.source.span(node, idArgument ?? node.callee);
}

function newGroup(context: ModelContext, args: Arg[], node: Creation, spec: Pick<GroupSpec, 'resourceType' | 'platform' | 'style'> & { listed?: boolean }): Group {
  const { id, idNode, unknowns } = constructId(context, args, node);
  return context.book.createGroup({ ...spec, id, location: headLocation(context, node), listed: spec.listed ?? true, unknowns }, idNode);
}

export function groupValue(group: Group, node: Node, path?: string): Value {
  const construct: ConstructInstance = { path: path ?? group.target.id, isStack: false, fields: new Map(), group };
  return { kind: 'construct', construct, node };
}

/** A standalone rule resource: a construct, but not a group (its `ref` or `id` names the rule, not the group). */
export function ruleResourceValue(path: string, node: Node): Value {
  return { kind: 'construct', construct: { path, isStack: false, fields: new Map() }, node };
}

/** A stand-in target for a group that cannot be resolved, one per enclosing function and expression. */
function standIn(context: ModelContext, text: string, at: Node, resourceType: string, field: string): Group {
  const owner = context.reader.currentOwner();
  const key = `${owner ? owner.range.join(':') : ''}\u0000${text}`;
  let group = context.standIns.get(key);
  if (!group) {
    group = context.book.createGroup({ id: text, resourceType, platform: 'aws-sg', location: context.source.location(at), style: 'stand-in', listed: false }, at);
    group.allowAllOutbound = 'unknown';
    group.allowAllIpv6Outbound = 'unknown';
    context.standIns.set(key, group);
  }
  context.book.addTargetUnknown(group, { field, expr: text, location: context.source.location(at) });
  return group;
}

/**
 * `new ec2.Connections({ securityGroups: [sg], defaultPort })`: rules go to each group listed. When the list cannot be
 * read, they go to a stand-in with the unresolved groups recorded (FW303).
 */
function connectionsConstruct(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): Value {
  const owner: ConstructInstance = { path: undefined, isStack: false, fields: new Map() };
  const props = args[0] ? asPlainValue(context, args[0].value) : undefined;
  const written = props ? property(context, props, 'securityGroups') : undefined;
  const list = written ? asPlainValue(context, written) : undefined;
  const groups = list?.kind === 'array' ? list.items.map((item) => referencedGroup(item)) : undefined;
  if (groups && groups.length > 0 && groups.every((group) => group !== undefined)) {
    owner.group = groups[0];
    if (groups.length > 1) owner.groups = groups as Group[];
  }
  const defaultPort = props ? property(context, props, 'defaultPort') : undefined;
  if (defaultPort) owner.fields.set('defaultPort', defaultPort);
  // `new Connections({ peer: Peer.anyIpv4() })`: others connect to it from that peer (its `_securityGroupRules`).
  const peer = props ? property(context, props, 'peer') : undefined;
  if (peer) owner.fields.set('peer', peer);
  return { kind: 'connections', owner, node };
}

/** `instance.connections` of a construct fwlint does not model: its security groups are not known here. */
function connectionsStandIn(context: ModelContext, owner: ConstructInstance, at: Node): Group {
  const text = context.source.textOf(at).replace(/\.connections$/, '');
  const group = standIn(context, owner.path ?? text, at, `${FQN}.Connections`, 'securityGroups');
  owner.group = group;
  return group;
}

// ---- L2 SecurityGroup ----------------------------------------------------------------------------------------

/**
 * `new ec2.SecurityGroup(scope, id, props)`. CDK writes an allow-all IPv4 egress rule unless `allowAllOutbound:
 * false`, and an IPv6 one when `allowAllIpv6Outbound: true` (aws-cdk-lib/aws-ec2/lib/security-group.ts,
 * addDefaultEgressRule). The default is `synthetic`; a value written by the user is not.
 */
function securityGroup(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): Value {
  const group = newGroup(context, args, node, { resourceType: `${FQN}.SecurityGroup`, platform: 'aws-sg', style: 'cdk' });
  const props = args[2] ? asPlainValue(context, args[2].value) : undefined;
  if (props?.kind === 'unknown') {
    group.allowAllOutbound = 'unknown';
    group.allowAllIpv6Outbound = 'unknown';
    context.book.addTargetUnknown(group, unknownOf(context, 'props', props, args[2]!.node));
    return groupValue(group, node);
  }
  const location = context.source.location(node);
  for (const [field, family, fallback] of [['allowAllOutbound', 4, true], ['allowAllIpv6Outbound', 6, false]] as const) {
    const written = props ? property(context, props, field) : undefined;
    const value = written ? asPlainValue(context, written) : undefined;
    let setting: boolean | 'unknown' = fallback;
    if (value?.kind === 'boolean') setting = value.value;
    else if (value?.kind === 'unknown') {
      setting = 'unknown';
      context.book.addTargetUnknown(group, unknownOf(context, field, value));
    } else if (value) {
      context.source.error('parse/cdk-bad-property', `${group.target.id}: ${field} must be true or false`, value.node);
      setting = 'unknown';
    }
    group[field] = setting;
    if (setting !== true) continue;
    const cidr = family === 4 ? '0.0.0.0/0' : '::/0';
    const draft = {
      address: `${group.target.id}.${field}`,
      location,
      direction: 'out' as const,
      action: 'allow' as const,
      protocol: ANY_PROTOCOL,
      ports: PortSet.ALL,
      peer: addressPeer(family === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6, cidr),
      priority: null,
      description: family === 4 ? 'Allow all outbound traffic by default' : 'Allow all outbound ipv6 traffic by default',
      unknowns: [],
    };
    if (value) context.book.addRule(group, { ...draft, peerLocation: context.source.location(value.node) }, '0');
    else context.book.addRule(group, { ...draft, synthetic: true }, '0');
  }
  return groupValue(group, node);
}

/** `SecurityGroup.fromSecurityGroupId(scope, id, sgId, { allowAllOutbound, mutable })` and the lookups. */
function importedSecurityGroup(context: ModelContext, method: string, args: Arg[], node: TSESTree.CallExpression): Value {
  const group = newGroup(context, args, node, { resourceType: `${FQN}.SecurityGroup (imported)`, platform: 'aws-sg', style: 'cdk-imported', listed: false });
  const options = method === 'fromSecurityGroupId' && args[3] ? asPlainValue(context, args[3].value) : undefined;
  if (method !== 'fromSecurityGroupId') {
    // A lookup takes allowAllOutbound from the real group at synth time.
    group.allowAllOutbound = 'unknown';
    return groupValue(group, node);
  }
  const allowAll = options ? property(context, options, 'allowAllOutbound') : undefined;
  group.allowAllOutbound = !allowAll ? true : allowAll.kind === 'boolean' ? allowAll.value : 'unknown';
  const mutable = options ? property(context, options, 'mutable') : undefined;
  if (mutable?.kind === 'boolean' && !mutable.value) group.immutable = true;
  return groupValue(group, node);
}

function addMethodRule(context: ModelContext, group: Group, method: 'addIngressRule' | 'addEgressRule' | string, args: Arg[], node: TSESTree.CallExpression): void {
  const address = context.book.nextAddress(group, method);
  addCdkRule(context, {
    group,
    direction: method === 'addIngressRule' ? 'in' : 'out',
    peer: args[0],
    port: args[1],
    description: args[2]?.value,
    address,
    location: context.source.location(node),
    idSuffix: '0',
    remote: false,
    node,
  });
}

interface CdkRuleRequest {
  group: Group;
  direction: Direction;
  peer: Arg | undefined;
  port: Arg | undefined;
  description: Value | undefined;
  address: string;
  location: SourceLocation;
  idSuffix: string;
  /** The other side of `connections.allowFrom/allowTo`: CDK adds it silently (no warning when ignored). */
  remote: boolean;
  node: Node;
}

/** One L2 rule: peer and port as CDK objects, with CDK's egress semantics (rules subsumed by allow-all are dropped). */
function addCdkRule(context: ModelContext, request: CdkRuleRequest): void {
  const { group, direction, address } = request;
  if (group.immutable) return;
  if (!request.port) {
    context.source.error('parse/cdk-missing-argument', `${address}: a Port is required`, request.node);
    return;
  }
  const portValue = asPlainValue(context, request.port.value);
  const port = portValue.kind === 'port' ? portValue.port : portValue.kind === 'unknown' ? { kind: 'unknown' as const, expr: portValue.expr, node: request.port.node } : undefined;
  if (!port) {
    context.source.error('parse/cdk-bad-port', `${address}: the second argument must be an ec2.Port, not ${context.source.textOf(request.port.node)}`, request.port.node);
    return;
  }
  if (port.kind === 'invalid') return;
  const portUnknown: UnknownValue | undefined = port.kind === 'unknown'
    ? { field: `${address}.port`, expr: port.expr, location: context.source.location(port.node), ...(port.onePort ? { onePort: true as const } : {}), ...(port.portsWithin ? { portsWithin: port.portsWithin } : {}) }
    : undefined;
  // A TCP/UDP port that is unknown keeps the rule with no ports, as the CloudFormation reader keeps one: FW101 judges
  // it on every port it could be. A port whose protocol is unknown too (`props.port` as the whole Port, a `new Port()`
  // of an unknown protocol) keeps it with its protocol unknown, judged on every protocol and port it could be.
  const protocol = port.protocol ?? unresolvedProtocol(portUnknown!.expr);
  const ports = port.kind === 'known' ? port.ports : PortSet.EMPTY;
  const icmp = port.kind === 'known' ? port.icmp : undefined;
  const peer = cdkPeer(context, request, group);
  if (!peer) return;
  if (direction === 'out' && (group.style === 'cdk' || group.style === 'cdk-imported')) {
    const isIpv6 = peer.family === 6;
    // SecurityGroup.addEgressRule: a rule the allow-all default already covers is not added (CDK warns).
    if ((isIpv6 ? group.allowAllIpv6Outbound : group.allowAllOutbound) === true) {
      if (!request.remote) {
        const setting = isIpv6 ? 'allowAllIpv6Outbound' : 'allowAllOutbound';
        context.source.warning('parse/cdk-ignored-egress', `${address} is ignored by CDK because ${setting} is true on ${group.target.id}; set ${setting}: false to manage egress rules`, request.node);
      }
      return;
    }
    const addresses = peer.entry.peer.kind === 'addresses' ? peer.entry.peer.addresses : undefined;
    if (group.style === 'cdk' && protocol.kind === 'any' && addresses && (addresses.coversAllIpv4() || addresses.coversAllIpv6())) {
      context.source.error('parse/cdk-all-traffic-egress',
        `${address}: CDK rejects an "all traffic" egress rule added this way; set ${isIpv6 ? 'allowAllIpv6Outbound' : 'allowAllOutbound'}: true on ${group.target.id} instead`, request.node);
      return;
    }
  }
  // SecurityGroup.addDirectIngressRule/addDirectEgressRule: a rule equal to one already added (description aside) is skipped.
  // Unknown ports are told apart by their bounds' expressions: `Port.tcp(props.a)` and `Port.tcp(props.b)` are two
  // rules, and so are `Port.tcpRange(props.a, props.a + 10)` and `Port.tcpRange(props.a, 9000)`.
  const unknownPortKey = port.kind === 'unknown' ? `\u0000${port.bounds ?? port.expr}` : '';
  const key = `${ruleContentKey({ direction, action: 'allow', protocol, ports, icmp, peer: peer.entry.peer })}${unknownPortKey}`;
  if (group.style !== 'stand-in') {
    if (group.methodRuleKeys.has(key)) return;
    group.methodRuleKeys.add(key);
  }
  const description = request.description?.kind === 'string' && request.description.value !== '' ? request.description.value : undefined;
  const site: RuleSite = { group, address, location: request.location, direction };
  const traffic = { protocol, ports, icmp, action: 'allow' as const, priority: null, description };
  // The suffix tells apart the rules one call adds to the same group (allowInternally) or to the other side (remote).
  addRules(context, site, traffic, [peer.entry], portUnknown ? [portUnknown] : [], () => request.idSuffix);
}

/** The peer argument of an L2 rule: a CDK Peer, a group (or its connections), or unknown — never guessed open. */
function cdkPeer(context: ModelContext, request: CdkRuleRequest, ownGroup: Group): { entry: PeerEntry; family?: 4 | 6 } | undefined {
  if (!request.peer) {
    context.source.error('parse/cdk-missing-argument', `${request.address}: a peer is required`, request.node);
    return undefined;
  }
  const node = request.peer.node;
  const value = asPlainValue(context, request.peer.value);
  const group = referencedGroup(value) ?? (value.kind === 'peer' ? value.group : undefined);
  if (group) return { entry: { peer: group === ownGroup ? { kind: 'self' } : { kind: 'sg-ref', id: group.target.id }, node } };
  if (value.kind === 'peer') {
    if (value.invalid) return undefined;
    const entry: PeerEntry = { peer: value.peer, node };
    if (value.peer.kind === 'unknown') entry.unknown = { field: 'peer', expr: value.peer.expr, location: context.source.location(node) };
    return value.family ? { entry, family: value.family } : { entry };
  }
  // A Connections made with a `peer` (and no security group) stands for that peer on the other side of a rule.
  const connectionsPeer = value.kind === 'connections' ? value.owner.fields.get('peer') : undefined;
  if (connectionsPeer) return cdkPeer(context, { ...request, peer: { value: connectionsPeer, node } }, ownGroup);
  if (value.kind === 'unknown' || value.kind === 'construct' || value.kind === 'connections') {
    // A construct fwlint does not model (a load balancer, a database) connects through groups not known here.
    const expr = value.kind === 'unknown' ? value.expr : context.source.textOf(node);
    return { entry: { peer: { kind: 'unknown', expr }, node, unknown: { field: 'peer', expr, location: context.source.location(node) } } };
  }
  context.source.error('parse/cdk-bad-peer', `${request.address}: the peer must be an ec2.Peer or a security group, not ${context.source.textOf(node)}`, node);
  return undefined;
}

/**
 * `x.connections.allowFrom(other, port)` adds ingress on x's group and, when `other` is a group, egress on it back to
 * x (Connections.allowFrom/allowTo in aws-cdk-lib/aws-ec2/lib/connections.ts); the `…DefaultPort…` forms use a port
 * this file cannot know.
 */
function connectionsMethod(
  context: ModelContext, group: Group, name: string, args: Arg[], node: TSESTree.CallExpression, receiver: Node, defaultPort?: Arg,
): void {
  const address = context.book.nextAddress(group, `connections.${name}`);
  const location = context.source.location(node);
  const self: Arg = { value: { kind: 'construct', construct: { path: group.target.id, isStack: false, fields: new Map(), group }, node: receiver }, node: receiver };
  const anyIpv4: Arg = { value: { kind: 'peer', peer: addressPeer(AddressSet.ALL_V4, '0.0.0.0/0'), family: 4, node }, node };
  const rule = (target: Group, direction: Direction, peer: Arg | undefined, port: Arg | undefined, idSuffix: string, remote: boolean): void =>
    addCdkRule(context, { group: target, direction, peer, port, description: undefined, address, location, idSuffix, remote, node });
  const both = (direction: Direction, other: Arg | undefined, port: Arg | undefined): void => {
    rule(group, direction, other, port, '0', false);
    const otherGroup = other ? referencedGroup(other.value) : undefined;
    if (otherGroup && otherGroup !== group) rule(otherGroup, direction === 'in' ? 'out' : 'in', self, port, 'remote', true);
  };
  switch (name) {
    case 'allowFrom':
      return both('in', args[0], args[1]);
    case 'allowTo':
      return both('out', args[0], args[1]);
    case 'allowFromAnyIpv4':
      return rule(group, 'in', anyIpv4, args[0], '0', false);
    case 'allowToAnyIpv4':
      return rule(group, 'out', anyIpv4, args[0], '0', false);
    case 'allowInternally':
      rule(group, 'in', self, args[0], '0', false);
      return rule(group, 'out', self, args[0], '1', false);
    default: {
      // allowDefaultPort…: the construct's default port (an RDS port, say), known when a Connections was given one.
      if (defaultPort && name !== 'allowToDefaultPort') {
        if (name === 'allowDefaultPortFrom') return both('in', args[0], defaultPort);
        if (name === 'allowDefaultPortTo') return both('out', args[0], defaultPort);
        if (name === 'allowDefaultPortFromAnyIpv4') return rule(group, 'in', anyIpv4, defaultPort, '0', false);
        rule(group, 'in', self, defaultPort, '0', false);
        return rule(group, 'out', self, defaultPort, '1', false);
      }
      // A plain SecurityGroup has no default port: CDK throws.
      if (group.style === 'cdk' && name !== 'allowToDefaultPort') {
        context.source.error('parse/cdk-no-default-port', `${address}: a SecurityGroup has no default port; CDK rejects ${name}()`, node);
        return;
      }
      const whose = name === 'allowToDefaultPort' ? context.source.textOf(args[0]?.node ?? node) : context.source.textOf(receiver).replace(/\.connections$/, '');
      context.book.addTargetUnknown(group, { field: `${address}.port`, expr: `default port of ${whose}`, location });
    }
  }
}

// ---- L1 (CloudFormation) constructs ----------------------------------------------------------------------------

/**
 * `new ec2.CfnSecurityGroup(scope, id, { securityGroupIngress, securityGroupEgress })` with CloudFormation semantics:
 * without egress rules AWS adds allow-all egress (formats.md §3.1; both families, as the CloudFormation reader does).
 */
function cfnSecurityGroup(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): Value {
  const group = newGroup(context, args, node, { resourceType: `${FQN}.CfnSecurityGroup`, platform: 'aws-sg', style: 'cdk-l1' });
  const props = args[2] ? asPlainValue(context, args[2].value) : undefined;
  if (!props || props.kind !== 'object') {
    if (props?.kind === 'unknown') context.book.addTargetUnknown(group, unknownOf(context, 'props', props, args[2]!.node));
    else context.source.error('parse/cdk-missing-argument', `${group.target.id}: CfnSecurityGroup needs its properties (groupDescription, …)`, node);
    return groupValue(group, node);
  }
  let egressListed = false;
  for (const [field, direction, vocabulary] of [['securityGroupIngress', 'in', CFN_INGRESS], ['securityGroupEgress', 'out', CFN_EGRESS]] as const) {
    const written = property(context, props, field);
    if (!written) continue;
    const value = asPlainValue(context, written);
    if (value.kind === 'unknown') {
      context.book.addTargetUnknown(group, unknownOf(context, `${group.target.id}.${field}`, value));
      if (direction === 'out') egressListed = true;
      continue;
    }
    if (value.kind !== 'array') {
      context.source.error('parse/cdk-bad-property', `${group.target.id}: ${field} must be a list of rules`, value.node);
      if (direction === 'out') egressListed = true;
      continue;
    }
    value.items.forEach((item, index) => {
      if (item.kind === 'undefined' || item.kind === 'null') return;
      if (direction === 'out') egressListed = true;
      const site: RuleSite = { group, address: `${group.target.id}.${field}[${index}]`, location: context.source.location(item.node), direction };
      readRuleItem(context, site, item, vocabulary);
    });
  }
  const profile = l1ProfileTag(context, props);
  if (profile) group.target.profile = profile;
  if (!egressListed) {
    // Located on the construct's head, not the whole expression: an annotation above an ingress item must not land on it.
    const location = headLocation(context, node);
    context.book.addRule(group, { address: `${group.target.id}.securityGroupEgress[default]`, location, ...awsDefaultEgress() }, '0');
  }
  return groupValue(group, node);
}

/** `tags: [{ key: 'fwlint:profile', value: 'pack/role' }]` of an L1 group (CloudFormation `Tags`). */
function l1ProfileTag(context: ModelContext, props: Value): ProfileBinding | undefined {
  const tags = property(context, props, 'tags');
  if (tags?.kind !== 'array') return undefined;
  for (const tag of tags.items) {
    const key = property(context, tag, 'key');
    const value = property(context, tag, 'value');
    if (key?.kind === 'string' && key.value === 'fwlint:profile' && value?.kind === 'string') return profileFromTag(context, value.value, value.node);
  }
  return undefined;
}

/**
 * `CfnSecurityGroupIngress` / `CfnSecurityGroupEgress`: joined to the group its `groupId` references
 * (`sg.attrGroupId`, `sg.ref`, an L2 `sg.securityGroupId`); otherwise the rule is its own target.
 */
function cfnStandaloneRule(context: ModelContext, args: Arg[], node: TSESTree.NewExpression, direction: Direction): Value {
  const props = args[2] ? asPlainValue(context, args[2].value) : undefined;
  const { id, idNode, unknowns } = constructId(context, args, node);
  const written = props ? property(context, props, 'groupId') ?? (direction === 'in' ? property(context, props, 'groupName') : undefined) : undefined;
  const groupRef = written ? asPlainValue(context, written) : undefined;
  const joined = groupRef ? referencedGroup(groupRef) : undefined;
  const resourceType = `${FQN}.${direction === 'in' ? 'CfnSecurityGroupIngress' : 'CfnSecurityGroupEgress'}`;
  const group = joined ?? context.book.createGroup({
    id, resourceType, platform: 'aws-sg', location: headLocation(context, node), style: 'stand-in', listed: true,
    unknowns: [...unknowns, ...(groupRef?.kind === 'unknown' ? [unknownOf(context, 'groupId', groupRef)] : [])],
  }, idNode);
  if (!joined) {
    group.allowAllOutbound = 'unknown';
    if (!groupRef) context.source.error('parse/cdk-missing-property', `${id}: groupId is required`, node);
  }
  const site: RuleSite = { group, address: id, location: context.source.location(node), direction };
  if (props) readRuleItem(context, site, props, direction === 'in' ? CFN_INGRESS : CFN_EGRESS);
  else context.source.error('parse/cdk-missing-argument', `${id}: properties are required`, node);
  return ruleResourceValue(id, node);
}

/** `CfnNetworkAclEntry`, joined to its `CfnNetworkAcl` by `networkAclId: acl.ref`. */
function cfnNetworkAclEntry(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): Value {
  const props = args[2] ? asPlainValue(context, args[2].value) : undefined;
  const { id, group } = aclEntryTarget(context, args, node, props, 'networkAclId', `${FQN}.CfnNetworkAclEntry`);
  if (!props) {
    context.source.error('parse/cdk-missing-argument', `${id}: properties are required`, node);
    return ruleResourceValue(id, node);
  }
  readNetworkAclEntry(context, { group, address: id, location: context.source.location(node) }, props);
  return ruleResourceValue(id, node);
}

/** The L2 `new NetworkAclEntry(scope, id, { networkAcl, ruleNumber, cidr, traffic, direction, ruleAction })`. */
function l2NetworkAclEntry(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): Value {
  const props = args[2] ? asPlainValue(context, args[2].value) : undefined;
  const { id, group } = aclEntryTarget(context, args, node, props, 'networkAcl', `${FQN}.NetworkAclEntry`);
  readL2AclEntry(context, { group, address: id, location: context.source.location(node) }, props, node);
  return ruleResourceValue(id, node);
}

/**
 * The ACL an entry construct joins (its `field` references one fwlint models), else a target of its own with the
 * unresolved reference recorded (FW303).
 */
function aclEntryTarget(context: ModelContext, args: Arg[], node: TSESTree.NewExpression, props: Value | undefined, field: string, resourceType: string): { id: string; group: Group } {
  const { id, idNode, unknowns } = constructId(context, args, node);
  const written = props ? property(context, props, field) : undefined;
  const aclRef = written ? asPlainValue(context, written) : undefined;
  const referenced = aclRef ? referencedGroup(aclRef) : undefined;
  if (referenced?.style === 'acl') return { id, group: referenced };
  const group = context.book.createGroup({
    id, resourceType, platform: 'aws-nacl', location: headLocation(context, node), style: 'stand-in', listed: true,
    unknowns: [...unknowns, ...(aclRef?.kind === 'unknown' ? [unknownOf(context, field, aclRef)] : [])],
  }, idNode);
  return { id, group };
}

function isL2Acl(group: Group): boolean {
  return group.target.resourceType === L2_ACL || group.target.resourceType === `${L2_ACL} (imported)`;
}

/**
 * The options of an L2 entry, read as the CfnNetworkAclEntry CDK writes from them (aws-cdk-lib/aws-ec2/lib/network-acl.ts):
 * `ruleNumber`, `ruleAction` (default allow), `direction` (default ingress), and the fields of the `AclTraffic`
 * (protocol, portRange, icmp) and `AclCidr` (cidrBlock or ipv6CidrBlock) values.
 */
function readL2AclEntry(context: ModelContext, site: Omit<RuleSite, 'direction'>, options: Value | undefined, at: Node, splits = MAX_CHOICE_SPLITS): void {
  const plain = options ? asPlainValue(context, options) : undefined;
  if (!plain) {
    context.source.error('parse/cdk-missing-argument', `${site.address}: the entry's options (ruleNumber, cidr, traffic) are required`, at);
    return;
  }
  // `cidr: open ? AclCidr.anyIpv4() : AclCidr.ipv4(…)`: read once per side (an unresolved CIDR would hide the open one).
  const split = splits > 0 ? splitChoice(plain) : undefined;
  if (split) {
    context.reader.bothSides(split, (side) => readL2AclEntry(context, site, side, at, splits - 1));
    return;
  }
  if (plain.kind !== 'object') {
    readNetworkAclEntry(context, site, plain);
    return;
  }
  const entries = new Map<string, Value>();
  const ruleNumber = property(context, plain, 'ruleNumber');
  if (ruleNumber) entries.set('ruleNumber', ruleNumber);
  entries.set('ruleAction', property(context, plain, 'ruleAction') ?? { kind: 'string', value: 'allow', node: plain.node });
  const direction = property(context, plain, 'direction');
  const directionValue = direction ? asPlainValue(context, direction) : undefined;
  if (directionValue?.kind === 'number' && (directionValue.value === TRAFFIC_EGRESS || directionValue.value === TRAFFIC_INGRESS)) {
    entries.set('egress', { kind: 'boolean', value: directionValue.value === TRAFFIC_EGRESS, node: directionValue.node });
  } else if (directionValue?.kind === 'unknown') {
    entries.set('egress', directionValue);
  } else if (directionValue) {
    context.source.error('parse/cdk-bad-property', `${site.address}: direction must be ec2.TrafficDirection.INGRESS or EGRESS, not ${context.source.textOf(directionValue.node)}`, directionValue.node);
    return;
  }
  let protocolField = 'protocol';
  for (const [field, type] of [['traffic', 'AclTraffic'], ['cidr', 'AclCidr']] as const) {
    const written = property(context, plain, field);
    const value = written ? asPlainValue(context, written) : undefined;
    if (!value) {
      context.source.error('parse/cdk-missing-property', `${site.address}: ${field} (an ec2.${type}) is required`, plain.node);
      return;
    }
    // Traffic not known statically is an entry on a protocol not known (and every port): kept, as an unresolved
    // protocol is elsewhere, named after the field written.
    if (value.kind === 'unknown' && field === 'traffic') {
      entries.set(field, value);
      protocolField = field;
      continue;
    }
    if (value.kind === 'unknown') {
      context.book.addTargetUnknown(site.group, unknownOf(context, `${site.address}.${field}`, value));
      return;
    }
    if (value.kind !== 'object') {
      context.source.error('parse/cdk-bad-property', `${site.address}: ${field} must be an ec2.${type}, not ${context.source.textOf(value.node)}`, value.node);
      return;
    }
    for (const [key, member] of value.entries) entries.set(key, member);
  }
  readNetworkAclEntry(context, site, { kind: 'object', entries, complete: true, node: plain.node }, MAX_CHOICE_SPLITS, protocolField);
}

/** `ec2.TrafficDirection` is a numeric enum: EGRESS = 0, INGRESS = 1. */
const TRAFFIC_EGRESS = 0;
const TRAFFIC_INGRESS = 1;

/** `AclCidr.ipv4(cidr)`, `anyIpv4()`, `ipv6(cidr)`, `anyIpv6()`: the CfnNetworkAclEntry field each sets. */
function aclCidrCall(method: string, args: Arg[], node: Node): Value | undefined {
  const field = (name: string, value: Value): Value => ({ kind: 'object', entries: new Map([[name, value]]), complete: true, node });
  const text = (value: string): Value => ({ kind: 'string', value, node });
  const argument = (): Value => args[0]?.value ?? { kind: 'undefined', node };
  switch (method) {
    case 'ipv4':
      return field('cidrBlock', argument());
    case 'anyIpv4':
      return field('cidrBlock', text('0.0.0.0/0'));
    case 'ipv6':
      return field('ipv6CidrBlock', argument());
    case 'anyIpv6':
      return field('ipv6CidrBlock', text('::/0'));
    default:
      return undefined;
  }
}

/** `AclTraffic.tcpPort(22)`, `tcpPortRange(a, b)`, `udpPort`, `udpPortRange`, `icmp({ type, code })`, `icmpv6`, `allTraffic()`. */
function aclTrafficCall(method: string, args: Arg[], node: Node): Value | undefined {
  const argument = (index: number): Value => args[index]?.value ?? { kind: 'undefined', node };
  const traffic = (protocol: number, extra: Array<[string, Value]>): Value => ({
    kind: 'object', entries: new Map<string, Value>([['protocol', { kind: 'number', value: protocol, node }], ...extra]), complete: true, node,
  });
  const range = (from: Value, to: Value): [string, Value] => ['portRange', { kind: 'object', entries: new Map([['from', from], ['to', to]]), complete: true, node }];
  switch (method) {
    case 'allTraffic':
      return traffic(-1, []);
    case 'tcpPort':
      return traffic(6, [range(argument(0), argument(0))]);
    case 'tcpPortRange':
      return traffic(6, [range(argument(0), argument(1))]);
    case 'udpPort':
      return traffic(17, [range(argument(0), argument(0))]);
    case 'udpPortRange':
      return traffic(17, [range(argument(0), argument(1))]);
    case 'icmp':
      return traffic(1, [['icmp', argument(0)]]);
    case 'icmpv6':
      return traffic(58, [['icmp', argument(0)]]);
    default:
      return undefined;
  }
}
