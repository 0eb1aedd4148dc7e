import { AddressSet } from '../../model/address-set';
import { addressPeer } from '../../model/peer';
import { PortSet } from '../../model/port-set';
import { ANY_PROTOCOL, ICMP, ICMPV6, TCP, UDP, parseProtocol, type Protocol } from '../../model/protocol';
import { portsWithinBounds, type Rule } from '../../model/rule';
import type { Arg } from './reader';
import { asPlainValue, cidrPeer, property, referencedGroup, type ModelContext } from './rule-items';
import type { Node, PortSpec, Value } from './values';

/** `aws_ec2.Protocol` members (aws-cdk-lib/aws-ec2/lib/port.ts): names for the common ones, IANA numbers otherwise. */
const PROTOCOL_ENUM: Record<string, string> = {
  ALL: '-1', TCP: 'tcp', UDP: 'udp', ICMP: 'icmp', ICMPV6: '58', ESP: '50', AH: '51', GRE: '47', SCTP: '132', IPV4: '4', IPV6: '41',
};

/** `Port.SSH` and the other well-known ports (aws-cdk-lib ≥ 2.138, "well-known port aliases"). */
const WELL_KNOWN_PORTS: Record<string, [Protocol, number]> = {
  SSH: [TCP, 22], SMTP: [TCP, 25], DNS_UDP: [UDP, 53], DNS_TCP: [TCP, 53], HTTP: [TCP, 80], POP3: [TCP, 110], IMAP: [TCP, 143],
  LDAP: [TCP, 389], HTTPS: [TCP, 443], SMB: [TCP, 445], SMTPS: [TCP, 465], IMAPS: [TCP, 993], POP3S: [TCP, 995], MSSQL: [TCP, 1433],
  NFS: [TCP, 2049], MYSQL_AURORA: [TCP, 3306], RDP: [TCP, 3389], POSTGRES: [TCP, 5432],
};

/** CDK's own validation of `Peer.ipv4` / `Peer.ipv6` literals (aws-cdk-lib/aws-ec2/lib/peer.ts), so synth errors show here. */
const CDK_IPV4 = /^(\d{1,3}\.){3}\d{1,3}(\/\d+)?$/;
const CDK_IPV6 = /^([\da-f]{0,4}:){2,7}([\da-f]{0,4})?(\/\d+)?$/;

/** Static members of `aws_ec2`: `Port.SSH`, `Protocol.TCP`. */
export function cdkStaticMember(symbol: string, node: Node): Value | undefined {
  const port = /^cdk\.aws_ec2\.Port\.([A-Z0-9_]+)$/.exec(symbol)?.[1];
  if (port && WELL_KNOWN_PORTS[port]) {
    const [protocol, number] = WELL_KNOWN_PORTS[port];
    return { kind: 'port', port: { kind: 'known', protocol, ports: PortSet.single(number) }, node };
  }
  const protocol = /^cdk\.aws_ec2\.Protocol\.([A-Z0-9_]+)$/.exec(symbol)?.[1];
  if (protocol && Object.hasOwn(PROTOCOL_ENUM, protocol)) return { kind: 'string', value: PROTOCOL_ENUM[protocol]!, node };
  // `ec2.TrafficDirection` (numeric: EGRESS = 0, INGRESS = 1) and `ec2.Action` ('allow', 'deny'), of network ACL entries.
  const direction = /^cdk\.aws_ec2\.TrafficDirection\.(EGRESS|INGRESS)$/.exec(symbol)?.[1];
  if (direction) return { kind: 'number', value: direction === 'EGRESS' ? 0 : 1, node };
  const action = /^cdk\.aws_ec2\.Action\.(ALLOW|DENY)$/.exec(symbol)?.[1];
  if (action) return { kind: 'string', value: action.toLowerCase(), node };
  // Pulumi's `aws.ec2.ProtocolType` (@pulumi/aws types/enums/ec2): All = "all", TCP = "tcp", UDP = "udp", ICMP = "icmp".
  const pulumiProtocol = /^pulumi-aws\.ec2\.ProtocolType\.(All|TCP|UDP|ICMP)$/.exec(symbol)?.[1];
  if (pulumiProtocol) return { kind: 'string', value: pulumiProtocol.toLowerCase(), node };
  return undefined;
}

/** `Peer.anyIpv4()`, `Peer.ipv4(cidr)`, `Peer.prefixList(id)`, `Peer.securityGroupId(id)`, … */
export function cdkPeerCall(context: ModelContext, method: string, args: Arg[], node: Node): Value | undefined {
  const first = args[0] ? asPlainValue(context, args[0].value) : undefined;
  switch (method) {
    case 'anyIpv4':
      return { kind: 'peer', peer: addressPeer(AddressSet.ALL_V4, '0.0.0.0/0'), family: 4, node };
    case 'anyIpv6':
      return { kind: 'peer', peer: addressPeer(AddressSet.ALL_V6, '::/0'), family: 6, node };
    case 'ipv4':
    case 'ipv6': {
      const family = method === 'ipv4' ? 4 : 6;
      if (!first || first.kind === 'unknown') {
        const expr = first?.kind === 'unknown' ? first.expr : context.source.textOf(node);
        return { kind: 'peer', peer: { kind: 'unknown', expr }, family, node };
      }
      if (first.kind !== 'string') {
        context.source.error('parse/cdk-bad-cidr', `Peer.${method}() takes a CIDR string, not ${context.source.textOf(first.node)}`, first.node);
        return { kind: 'peer', peer: { kind: 'unknown', expr: context.source.textOf(node) }, family, invalid: true, node };
      }
      const match = (family === 4 ? CDK_IPV4 : CDK_IPV6).exec(first.value);
      if (!match) {
        context.source.error('parse/cdk-bad-cidr', `Invalid IPv${family} CIDR: "${first.value}" (CDK rejects it at synth)`, first.node);
        return { kind: 'peer', peer: { kind: 'unknown', expr: first.value }, family, invalid: true, node };
      }
      if (!match[family === 4 ? 2 : 3]) {
        context.source.error('parse/cdk-bad-cidr', `CIDR mask is missing in IPv${family}: "${first.value}"; did you mean "${first.value}/${family === 4 ? 32 : 128}"? (CDK rejects it at synth)`, first.node);
        return { kind: 'peer', peer: { kind: 'unknown', expr: first.value }, family, invalid: true, node };
      }
      const peer = cidrPeer(context, `Peer.${method}`, 'cidr', first, family);
      return peer ? { kind: 'peer', peer, family, node } : { kind: 'peer', peer: { kind: 'unknown', expr: first.value }, family, invalid: true, node };
    }
    case 'prefixList': {
      if (first?.kind === 'unknown' && first.prefixList) return { kind: 'peer', peer: first.prefixList, node };
      const id = first?.kind === 'string' ? first.value : first?.kind === 'unknown' ? first.expr : context.source.textOf(node);
      return { kind: 'peer', peer: { kind: 'prefix-list', id }, node };
    }
    case 'securityGroupId': {
      const group = first ? referencedGroup(first) : undefined;
      if (group) return { kind: 'peer', peer: { kind: 'sg-ref', id: group.target.id }, group, node };
      const id = first?.kind === 'string' ? first.value : first?.kind === 'unknown' ? first.expr : context.source.textOf(node);
      return { kind: 'peer', peer: { kind: 'sg-ref', id }, node };
    }
    default:
      return undefined;
  }
}

/** `Port.tcp(22)`, `Port.tcpRange(a, b)`, `Port.allTraffic()`, `Port.icmpType(8)`, … (aws-cdk-lib/aws-ec2/lib/port.ts). */
export function cdkPortCall(context: ModelContext, method: string, args: Arg[], node: Node): Value | undefined {
  const port = (spec: PortSpec): Value => ({ kind: 'port', port: spec, node });
  const number = (index: number, min: number, max: number): number | PortSpec => readNumber(context, args[index], node, min, max, `Port.${method}()`);
  const range = (protocol: Protocol, fromIndex: number, toIndex: number): Value => {
    const from = withProtocol(number(fromIndex, 0, 65535), protocol);
    const to = withProtocol(number(toIndex, 0, 65535), protocol);
    if (typeof from !== 'number' || typeof to !== 'number') return port(unreadBounds(from, to));
    if (from > to) {
      context.source.error('parse/cdk-bad-port', `Port.${method}(): port range ${from}-${to} is reversed`, node);
      return port({ kind: 'invalid' });
    }
    return port({ kind: 'known', protocol, ports: PortSet.range(from, to) });
  };
  const icmp = (protocol: Protocol, type: number | PortSpec, code: number | PortSpec): Value => {
    // An unknown type or code keeps its protocol: the rule is kept, admitting nothing (FW303's note only).
    if (typeof type !== 'number') return port(type.kind === 'unknown' ? { ...type, protocol } : type);
    if (typeof code !== 'number') return port(code.kind === 'unknown' ? { ...code, protocol } : code);
    const icmpValue: Rule['icmp'] = { type: type === -1 ? 'any' : type, code: code === -1 ? 'any' : code };
    return port({ kind: 'known', protocol, ports: PortSet.ALL, icmp: icmpValue });
  };
  switch (method) {
    case 'tcp':
      return range(TCP, 0, 0);
    case 'udp':
      return range(UDP, 0, 0);
    case 'tcpRange':
      return range(TCP, 0, 1);
    case 'udpRange':
      return range(UDP, 0, 1);
    case 'allTcp':
      return port({ kind: 'known', protocol: TCP, ports: PortSet.ALL });
    case 'allUdp':
      return port({ kind: 'known', protocol: UDP, ports: PortSet.ALL });
    case 'allTraffic':
      return port({ kind: 'known', protocol: ANY_PROTOCOL, ports: PortSet.ALL });
    case 'allIcmp':
      return icmp(ICMP, -1, -1);
    case 'allIcmpV6':
      return icmp(ICMPV6, -1, -1);
    case 'icmpPing':
      return icmp(ICMP, 8, -1);
    case 'icmpType':
      return icmp(ICMP, number(0, -1, 255), -1);
    case 'icmpTypeAndCode':
      return icmp(ICMP, number(0, -1, 255), number(1, -1, 255));
    // ESP and AH have no ports: the whole protocol is opened.
    case 'esp':
      return port({ kind: 'known', protocol: { kind: 'number', value: 50 }, ports: PortSet.ALL });
    case 'ah':
      return port({ kind: 'known', protocol: { kind: 'number', value: 51 }, ports: PortSet.ALL });
    default:
      return undefined;
  }
}

/** `new ec2.Port({ protocol, fromPort, toPort, stringRepresentation })`, read with EC2 semantics. */
export function cdkPortConstruct(context: ModelContext, args: Arg[], node: Node): Value {
  const props = args[0] ? asPlainValue(context, args[0].value) : undefined;
  const port = (spec: PortSpec): Value => ({ kind: 'port', port: spec, node });
  if (!props || props.kind === 'unknown') return port({ kind: 'unknown', expr: props?.kind === 'unknown' ? props.expr : context.source.textOf(node), node });
  const protocolValue = property(context, props, 'protocol');
  const plain = protocolValue ? asPlainValue(context, protocolValue) : undefined;
  if (plain?.kind === 'unknown') return port({ kind: 'unknown', expr: plain.expr, node: plain.node });
  const protocol = plain?.kind === 'string' || plain?.kind === 'number' ? parseProtocol(plain.value) : undefined;
  if (!protocol) {
    context.source.error('parse/cdk-bad-protocol', 'new Port(): protocol must be an ec2.Protocol value', plain?.node ?? node);
    return port({ kind: 'invalid' });
  }
  if (protocol.kind === 'any' || (protocol.value !== 6 && protocol.value !== 17 && protocol.value !== 1 && protocol.value !== 58)) {
    return port({ kind: 'known', protocol, ports: PortSet.ALL });
  }
  const isIcmp = protocol.value === 1 || protocol.value === 58;
  const read = (key: string, min: number, max: number): number | PortSpec | undefined => {
    const value = property(context, props, key);
    const bound = value ? readNumber(context, { value, node: value.node }, node, min, max, 'new Port()') : undefined;
    return bound === undefined ? bound : withProtocol(bound, protocol);
  };
  const from = read('fromPort', isIcmp ? -1 : 0, isIcmp ? 255 : 65535);
  const to = read('toPort', isIcmp ? -1 : 0, isIcmp ? 255 : 65535) ?? from;
  if ((from !== undefined && typeof from !== 'number') || (to !== undefined && typeof to !== 'number')) return port(unreadBounds(from, to));
  if (isIcmp) {
    const type = from === undefined || from === -1 ? 'any' : from;
    const code = to === undefined || to === -1 ? 'any' : to;
    return port({ kind: 'known', protocol, ports: PortSet.ALL, icmp: { type, code } });
  }
  if (from === undefined || to === undefined) {
    context.source.error('parse/cdk-missing-property', 'new Port(): fromPort is required for TCP and UDP', node);
    return port({ kind: 'invalid' });
  }
  if (from > to) {
    context.source.error('parse/cdk-bad-port', `new Port(): port range ${from}-${to} is reversed`, node);
    return port({ kind: 'invalid' });
  }
  return port({ kind: 'known', protocol, ports: PortSet.range(from, to) });
}

/**
 * The Port of bounds one of which could not be read: the first such bound, an unknown one named by all the bounds
 * (CDK keys a rule on the whole range written), marked `onePort` where both are that value (`Port.tcp(p)`), and
 * bounded by the other where that is known (`tcpRange(443, p)`: 443-65535).
 */
function unreadBounds(from: number | PortSpec | undefined, to: number | PortSpec | undefined): PortSpec {
  const unread = [from, to].find((bound): bound is PortSpec => bound !== undefined && typeof bound !== 'number')!;
  if (unread.kind !== 'unknown') return unread;
  const name = (bound: number | PortSpec | undefined): string => typeof bound === 'number' ? String(bound) : bound?.kind === 'unknown' ? bound.expr : '';
  const onePort = name(from) === name(to);
  const portsWithin = portsWithinBounds(typeof from === 'number' ? from : undefined, typeof to === 'number' ? to : undefined);
  return { ...unread, bounds: `${name(from)}-${name(to)}`, ...(onePort ? { onePort } : {}), ...(portsWithin ? { portsWithin } : {}) };
}

/** A port bound (ICMP type or code) that could not be read, with the protocol it is of (see `PortSpec`). */
function withProtocol(bound: number | PortSpec, protocol: Protocol): number | PortSpec {
  return typeof bound !== 'number' && bound.kind === 'unknown' ? { ...bound, protocol } : bound;
}

function readNumber(context: ModelContext, arg: Arg | undefined, node: Node, min: number, max: number, what: string): number | PortSpec {
  if (!arg) {
    context.source.error('parse/cdk-bad-port', `${what} needs a port number`, node);
    return { kind: 'invalid' };
  }
  const value = asPlainValue(context, arg.value);
  if (value.kind === 'unknown') return { kind: 'unknown', expr: value.expr, node: arg.node };
  if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < min || value.value > max) {
    context.source.error('parse/cdk-bad-port', `${what}: ${context.source.textOf(arg.node)} is not an integer in ${min}-${max}`, arg.node);
    return { kind: 'invalid' };
  }
  return value.value;
}
