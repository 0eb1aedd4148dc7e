import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import { protocolName } from '../model/protocol';
import type { Rule } from '../model/rule';
import { protocolSet, unresolvedPortExpressions } from './effective';
import { describeIcmp, icmpMessagesOf, icmpVersionOf } from './icmp';

const PORTED_PROTOCOLS = new Set([6, 17, 132]);

/**
 * Canonical text of protocols × ports: `tcp/22, 80-90`, `udp/53`, `icmp`, `all traffic`. Ports limit only the
 * protocols that have them (TCP, UDP, SCTP); a wide protocol range with limited ports says so
 * (`all protocols on ports 80, 443`) instead of reading as every port. With `icmp` (the ICMP messages, see
 * `icmpMessagesOf`), exactly ICMPv4 or ICMPv6 names its types: `icmp echo-request (type 8)`, `icmpv6 (all types)`.
 * With `maxItems` (for message text; data keeps the exact set), port ranges, ICMP types and protocols past that many
 * are counted, not listed: `tcp/0-999, 1001-1099 and 39 more ranges`, `all protocols other than ipip, gre … and 10
 * more protocols`.
 */
export function describeTraffic(protocols: IntervalSet, ports: PortSet, icmp?: IntervalSet, maxItems = Infinity): string {
  if (icmp !== undefined) {
    const version = icmpVersionOf(protocols);
    if (version !== undefined) return describeIcmp(version, icmp, maxItems);
  }
  const portsText = ports.isAll() ? '' : listedPorts(ports, maxItems);
  const portsNote = ports.isAll() ? '' : ` on ports ${portsText}`;
  if (protocols.size() === 256n) return ports.isAll() ? 'all traffic' : `all protocols${portsNote}`;
  if (protocols.size() > 128n) {
    // Nearly every protocol: name the few that are missing rather than list the rest.
    const missing = IntervalSet.range(0n, 255n).subtract(protocols);
    return `all protocols other than ${describeProtocolNames(missing, maxItems)}${portsNote}`;
  }
  const parts: string[] = [];
  for (const [lo, hi] of protocols.intervals) {
    if (hi - lo > 8n) {
      parts.push(`protocols ${lo}-${hi}${portsNote}`);
      continue;
    }
    for (let value = Number(lo); value <= Number(hi); value++) {
      const name = protocolName({ kind: 'number', value });
      parts.push(PORTED_PROTOCOLS.has(value) ? `${name}/${ports.isAll() ? 'all ports' : portsText}` : name);
    }
  }
  return parts.length > maxItems ? `${parts.slice(0, maxItems).join('; ')} and ${parts.length - maxItems} more protocol${parts.length - maxItems === 1 ? '' : 's'}` : parts.join('; ');
}

/** How many port ranges or ICMP types a finding's message lists before it counts the rest. */
export const MAX_LISTED_ITEMS = 8;

/** `ports.toString()`, or its first `max` ranges and a count of the others. */
function listedPorts(ports: PortSet, max: number): string {
  if (!Number.isFinite(max)) return ports.toString();
  const ranges = ports.toStrings();
  return ranges.length > max ? `${ranges.slice(0, max).join(', ')} and ${ranges.length - max} more range${ranges.length - max === 1 ? '' : 's'}` : ports.toString();
}

/** What one rule allows, as `describeTraffic` writes it, with the ICMP types of an ICMP rule. */
export function describeRuleTraffic(rule: Pick<Rule, 'protocol' | 'ports' | 'icmp'>): string {
  const protocols = protocolSet(rule.protocol);
  return describeTraffic(protocols, rule.ports, icmpVersionOf(protocols) === undefined ? undefined : icmpMessagesOf(rule.icmp));
}

/**
 * The traffic of several rules as one exact set: the ports of rules of one protocol (and ICMP messages) united
 * (`tcp/9100-9102`, not `tcp/9100; tcp/9101; tcp/9102`), in order of first appearance.
 */
export function describeRulesTraffic(rules: ReadonlyArray<Pick<Rule, 'protocol' | 'ports' | 'icmp'>>): string {
  const united: Array<{ protocols: IntervalSet; ports: PortSet; icmp: IntervalSet | undefined }> = [];
  for (const rule of rules) {
    const protocols = protocolSet(rule.protocol);
    const icmp = icmpVersionOf(protocols) === undefined ? undefined : icmpMessagesOf(rule.icmp);
    const same = united.find((each) => each.protocols.equals(protocols) && (each.icmp === undefined ? icmp === undefined : icmp !== undefined && each.icmp.equals(icmp)));
    if (same) same.ports = same.ports.union(rule.ports);
    else united.push({ protocols, ports: rule.ports, icmp });
  }
  return united.map(({ protocols, ports, icmp }) => describeTraffic(protocols, ports, icmp)).join('; ');
}

/** Well-known ports whose exposure is critical: remote administration, file sharing, databases, RPC. */
export const SENSITIVE_PORTS: ReadonlyArray<{ port: number; service: string }> = [
  { port: 20, service: 'ftp-data' }, { port: 21, service: 'ftp' }, { port: 22, service: 'ssh' }, { port: 23, service: 'telnet' },
  { port: 111, service: 'rpcbind' }, { port: 135, service: 'msrpc' }, { port: 137, service: 'netbios' }, { port: 139, service: 'netbios' },
  { port: 445, service: 'smb' }, { port: 593, service: 'rpc-over-http' }, { port: 1433, service: 'mssql' }, { port: 1521, service: 'oracle' },
  { port: 2049, service: 'nfs' }, { port: 2375, service: 'docker' }, { port: 3306, service: 'mysql' }, { port: 3389, service: 'rdp' },
  { port: 5432, service: 'postgresql' }, { port: 5900, service: 'vnc' }, { port: 5984, service: 'couchdb' }, { port: 5985, service: 'winrm' },
  { port: 5986, service: 'winrm-https' }, { port: 6379, service: 'redis' }, { port: 9200, service: 'elasticsearch' },
  { port: 11211, service: 'memcached' }, { port: 27017, service: 'mongodb' },
];

/**
 * Windows' dynamic RPC ports (netsh keyword `RPC`, 49152-65535 since Vista): no single port names the service, but a
 * rule that opens the whole range exposes every RPC server on the host.
 */
const RPC_DYNAMIC_PORTS = PortSet.parse('49152-65535');

/** Sensitive services among the given TCP/UDP ports, e.g. `['ssh', 'rdp']`. */
export function sensitiveServices(ports: PortSet): string[] {
  const names = SENSITIVE_PORTS.filter(({ port }) => ports.has(port)).map(({ service }) => service);
  if (ports.containsAll(RPC_DYNAMIC_PORTS)) names.push('rpc-dynamic');
  return [...new Set(names)];
}

/** `ipip, gre, esp`: protocol names (a wide range as one item), the first `max` of them and a count of the others. */
export function describeProtocolNames(protocols: IntervalSet, max: number): string {
  const names: string[] = [];
  for (const [lo, hi] of protocols.intervals) {
    if (hi - lo > 8n) names.push(`protocols ${lo}-${hi}`);
    else for (let value = Number(lo); value <= Number(hi); value++) names.push(protocolName({ kind: 'number', value }));
  }
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more protocol${names.length - max === 1 ? '' : 's'}` : names.join(', ');
}

/**
 * How a world-open finding (FW101 ingress, FW104 egress) names rules on ports that could not be resolved: by the
 * value per protocol (`tcp/<unresolved: var.port>`; an Azure `*` rule is TCP and UDP on them), what may be open of
 * the ports they could be (`possible`: `any port`, or `any port but tcp/22` where denies took some), and the value's
 * expressions (JSON `unresolvedPorts`).
 */
export function unresolvedPortsTraffic(rules: readonly Rule[], possible: PortSet): { traffic: string; protocols: IntervalSet; open: string; expressions: string[] } {
  const protocolNames = [...new Set(rules.map((each) => protocolName(each.protocol)))];
  const protocols = rules.slice(1).reduce((set, each) => set.union(protocolSet(each.protocol)), protocolSet(rules[0]!.protocol));
  const expressions = [...new Set(rules.flatMap(unresolvedPortExpressions))];
  const traffic = protocolNames.map((name) => `${name}/<unresolved: ${expressions.join(', ')}>`).join('; ');
  const closed = PortSet.ALL.subtract(possible);
  return { traffic, protocols, expressions, open: closed.isEmpty() ? 'any port' : `any port but ${describeTraffic(protocols, closed, undefined, MAX_LISTED_ITEMS)}` };
}

/** The unresolved lower and upper bound of a port range, by their fields: `from_port`, `FromPort`, `PortRange.From`, `portRange.from`. */
const FROM_PORT_FIELD = /(?:^|\.)(?:from_?port|portrange\.from)$/i;
const TO_PORT_FIELD = /(?:^|\.)(?:to_?port|portrange\.to)$/i;

/**
 * Whether a rule's unresolved ports are one port whatever the value is: both bounds of its range the same expression
 * (Terraform `from_port = to_port = var.port`, CloudFormation `FromPort`/`ToPort: !Ref Port`) or a CDK
 * `Port.tcp(props.port)` (`UnknownValue.onePort`). Such a rule may open any one port (FW101), never every port (FW104).
 * False for a single value that may be a range or `*` (Azure `destination_port_range`, netsh `remoteport`).
 */
export function unresolvedPortsAreOnePort(rule: Rule): boolean {
  const bounds = rule.unknowns.filter((unknown) => /port/i.test(unknown.field));
  if (bounds.length === 1) return bounds[0]!.onePort === true;
  if (bounds.length !== 2) return false;
  const from = bounds.find((unknown) => FROM_PORT_FIELD.test(unknown.field));
  const to = bounds.find((unknown) => TO_PORT_FIELD.test(unknown.field));
  return from !== undefined && to !== undefined && from.expr === to.expr;
}

/**
 * How a world-open finding names rules of a protocol that could not be resolved (`Protocol` kind `unknown`): by the
 * value (`<unresolved protocol: var.proto> port 22`, `port <unresolved: var.port>` where the ports are unresolved
 * too), which of them is unresolved (`protocol`, `protocol and ports`), what may be open of the protocols (`protocols`)
 * and ports (`possiblePorts`) they could be (`any protocol`, `any protocol but tcp`), and the JSON fields
 * `unresolvedProtocol`, `possibleProtocols`, `unresolvedPorts` and `possiblePorts`.
 */
export function unresolvedProtocolTraffic(rules: readonly Rule[], protocols: IntervalSet, possiblePorts: PortSet): { traffic: string; unresolved: string; open: string; properties: Record<string, unknown> } {
  const protocolExpressions = [...new Set(rules.flatMap((each) => (each.protocol.kind === 'unknown' ? [each.protocol.expr] : [])))];
  // Unresolved ports (no ports) are every port, named by their values but the protocol's own (a CDK Port unknown as a
  // whole: `props.port`); known ones are what they are if the value is a protocol with ports (tcp, udp).
  const portsUnresolved = rules.some((each) => each.ports.isEmpty());
  const portExpressions = [...new Set(rules.flatMap(unresolvedPortExpressions))].filter((expr) => !protocolExpressions.includes(expr));
  const portsText = portsUnresolved ? (portExpressions.length > 0 ? ` port <unresolved: ${portExpressions.join(', ')}>` : '')
    : possiblePorts.isAll() ? '' : ` ${possiblePorts.size() === 1 ? 'port' : 'ports'} ${possiblePorts.toString()}`;
  const traffic = `<unresolved protocol: ${protocolExpressions.join(', ')}>${portsText}`;
  const closed = IntervalSet.range(0n, 255n).subtract(protocols);
  const anything = portsUnresolved ? 'any protocol and port' : 'any protocol';
  // `possibleProtocols` as `possiblePorts` is written: protocol numbers, `0-5, 7-255`.
  const possibleProtocols = protocols.intervals.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ');
  const properties: Record<string, unknown> = { unresolvedProtocol: protocolExpressions, possibleProtocols };
  if (portExpressions.length > 0) properties.unresolvedPorts = portExpressions;
  properties.possiblePorts = possiblePorts.toString();
  return { traffic, unresolved: portsUnresolved ? 'protocol and ports' : 'protocol', open: closed.isEmpty() ? anything : `${anything} but ${describeProtocolNames(closed, MAX_LISTED_ITEMS)}`, properties };
}
