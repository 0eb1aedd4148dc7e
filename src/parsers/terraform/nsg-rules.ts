import { AddressSet, PUBLIC_ADDRESSES, SetParseError } from '../../model/address-set';
import { errorDiagnostic } from '../../model/diagnostic';
import type { SourceLocation, SourceRange } from '../../model/location';
import { addressPeer, anyPeer, type Peer } from '../../model/peer';
import { PortSet } from '../../model/port-set';
import { hasPorts, ICMP, ICMPV6, parseProtocol, TCP, UDP, unresolvedProtocol, type Protocol } from '../../model/protocol';
import { SOURCE_PORT_CONDITION, type Rule, type UnknownValue } from '../../model/rule';
import type { Value } from './hcl';
import { asNumber, asString, elementCount, elementsOf, fieldFile, finishRule, invalidValueMessage, knownField, quotedValue, ruleSensitivity, sensitiveOrigin, unknownText, unresolvedArgument, withWrittenRangeBounds, type BuildContext, type Field, type Fields } from './to-model';
import { unknownOrder } from './unknown-order';

/** One Azure NSG rule: an inline `security_rule` of `azurerm_network_security_group` or an `azurerm_network_security_rule`. */
export interface NsgConstruct {
  fields: Fields;
  location: SourceLocation;
  resourceAddress: string;
}

/** Azure NSG protocols (formats.md §1.6); compared case-insensitively as the provider does. */
const NSG_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'esp', 'ah', '*']);

/**
 * Turns one NSG rule into normalized rules, one per peer: platform `azure-nsg`, priority (ascending, first match
 * wins), direction Inbound/Outbound, access Allow/Deny, the destination port ranges as the rule's ports. Inbound
 * peers are the source prefixes (and source application security groups), outbound peers the destination ones.
 *
 * Azure adds default rules to every NSG (AllowVNetInBound 65000, AllowAzureLoadBalancerInBound 65001,
 * DenyAllInBound 65500, and the outbound set incl. AllowInternetOutBound 65001). They are deliberately not modelled
 * as rules: the engine's default (nothing allowed unless a rule allows it) stands in for the final deny, and the
 * allow defaults are platform policy, not configuration under review. A consequence: required flows that only the
 * defaults allow (e.g. VNet-internal traffic) are reported missing by FW201.
 */
export function nsgRulesFromConstruct(construct: NsgConstruct, ctx: BuildContext): Rule[] {
  const { fields, resourceAddress } = construct;
  const known = (name: string, required: boolean): Field | undefined | null => knownField(fields, name, required, construct, ctx);

  // An unresolved priority keeps the rule: its place in the evaluation order is unknown (priority null), so the
  // engine lets no deny hide it and lets it hide nothing, and FW303 reports the priority (contract: never lost).
  const priorityUnknown = unknownOrder(fields, 'priority', construct, ctx);
  const priorityField = priorityUnknown ? undefined : known('priority', true);
  const directionField = known('direction', true);
  const accessField = known('access', true);
  // An unresolved protocol keeps the rule with its protocol unknown: FW101 judges an Allow on every protocol it could
  // be (`*`), and a Deny is not assumed to block any.
  const protocolUnknown = unresolvedArgument(fields, 'protocol', construct, ctx);
  const protocolField = protocolUnknown === undefined ? known('protocol', true) : fields.get('protocol');
  if ((!priorityUnknown && !priorityField) || !directionField || !accessField || !protocolField) return [];
  const priority = priorityField ? asNumber(priorityField.value) : null;
  // Azure accepts 100-4096 (azurerm_network_security_rule); anything else fails at apply.
  if (priority === undefined || (priority !== null && (!Number.isInteger(priority) || priority < 100 || priority > 4096))) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-nsg-priority', fieldFile(priorityField!, ctx), `${resourceAddress}: priority must be an integer in 100-4096`, priorityField!.range));
    return [];
  }
  const directionText = (asString(directionField.value) ?? '').toLowerCase();
  if (directionText !== 'inbound' && directionText !== 'outbound') {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-nsg-direction', fieldFile(directionField, ctx), `${resourceAddress}: direction must be "Inbound" or "Outbound"`, directionField.range));
    return [];
  }
  const accessText = (asString(accessField.value) ?? '').toLowerCase();
  if (accessText !== 'allow' && accessText !== 'deny') {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-nsg-access', fieldFile(accessField, ctx), `${resourceAddress}: access must be "Allow" or "Deny"`, accessField.range));
    return [];
  }
  const protocolText = (asString(protocolField.value) ?? '').toLowerCase();
  const protocol: Protocol | undefined = protocolUnknown ? unresolvedProtocol(protocolUnknown.expr) : NSG_PROTOCOLS.has(protocolText) ? parseProtocol(protocolText) : undefined;
  if (!protocol) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-protocol', fieldFile(protocolField, ctx), `${resourceAddress}: protocol must be one of Tcp, Udp, Icmp, Esp, Ah, *; got ${quotedValue(asString(protocolField.value) ?? '', protocolField.value)}`, protocolField.range));
    return [];
  }
  const direction = directionText === 'inbound' ? 'in' : 'out';
  const action = accessText === 'allow' ? 'allow' : 'deny';

  // ICMP, ESP and AH carry no ports; Azure requires "*" there. `*` as protocol keeps the written port ranges.
  const readsPorts = protocol.kind !== 'number' || hasPorts(protocol);
  const destination = readsPorts ? destinationPorts(construct, ctx) : { ports: PortSet.ALL };
  if (!destination) return [];
  const { ports, unresolved: portsUnknown } = destination;
  // The sets hold destination ports only. A rule limited to some source ports (replies from port 53) matches only
  // packets from those: kept as a condition, as netsh keeps the other end's port, so that a Deny on them removes
  // traffic only from an Allow on the same source ports and no rule is called contained in (FW302) or shadowed by
  // (FW301) one on other source ports. Exposure checks still judge the rule by its destination ports: the client
  // picks its source port, so a limit on it does not make a rule safe.
  const sourcePorts = readsPorts ? sourcePortCondition(construct, ctx) : undefined;
  if (sourcePorts === null) return [];
  const conditions = sourcePorts === undefined ? undefined : { [SOURCE_PORT_CONDITION]: sourcePorts };

  const side = direction === 'in' ? 'source' : 'destination';
  const other = direction === 'in' ? 'destination' : 'source';
  const errorsBefore = ctx.diagnostics.length;
  const peers = prefixPeers(construct, side, ctx, action);
  // Missing, not merely invalid: an invalid prefix has its own error at its value.
  if (peers.length === 0 && ctx.diagnostics.length === errorsBefore) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-missing-argument', ctx.file, `${resourceAddress}: one of "${side}_address_prefix", "${side}_address_prefixes" or "${side}_application_security_group_ids" is required`, construct.location.range));
  }
  const localEntries = prefixPeers(construct, other, ctx);
  const localPeers = localEntries.map((entry) => entry.peer);
  // Unresolved local addresses stay, as what they are: a Deny for them holds for an Allow with the same expression
  // only, never for every local address (it hid an Allow to `*`: a world-open rule reported as overridden).
  const localAddresses = localPeers;
  const unresolvedLocalAddresses = localPeers.flatMap((peer) => (peer.kind === 'unknown' ? [peer.expr] : []));
  // Reported (FW303) like an unresolved peer: the rule is judged only as far as it is known.
  const localUnknowns = localEntries.flatMap((entry) => (entry.unknown ? [entry.unknown] : []));
  const description = fields.get('description');
  const descriptionText = description ? asString(description.value) : undefined;
  // `*` with destination ports other than `*`: Azure applies port ranges to TCP and UDP only, so the rule matches
  // TCP and UDP on those ports; ICMP, ESP and AH carry no ports and do not match it. One rule per protocol, so the
  // model keeps the ports (a single "any protocol" rule would read as every protocol on those ports).
  const protocols: Array<{ protocol: Protocol; suffix: string }> =
    protocol.kind === 'any' && (!ports.isAll() || conditions !== undefined) ? [{ protocol: TCP, suffix: '/tcp' }, { protocol: UDP, suffix: '/udp' }] : [{ protocol, suffix: '' }];

  const trafficOrigin = sensitiveOrigin(protocolField.value, ...(readsPorts ? portValues(fields, DESTINATION_PORTS) : []));
  const container = containerArguments(fields);
  const rules = peers.flatMap((entry, index) => {
    const sensitive = ruleSensitivity(entry.sensitive, trafficOrigin);
    return (protocol === ICMP ? icmpVersionsFor(entry.peer) : protocols).map(({ protocol, suffix }) =>
      finishRule(
        {
          id: `${resourceAddress}#${index}${suffix}`,
          location: construct.location,
          peerLocation: { file: entry.file ?? ctx.file, range: entry.range },
          platform: 'azure-nsg',
          resourceAddress,
          direction,
          action,
          protocol,
          ports,
          peer: entry.peer,
          priority,
          enabled: true,
          unknowns: [...(priorityUnknown ? [priorityUnknown] : []), ...(protocolUnknown ? [protocolUnknown] : []), ...(portsUnknown ? [portsUnknown] : []), ...(entry.unknown ? [entry.unknown] : []), ...localUnknowns],
          ...(protocol === ICMP || protocol === ICMPV6 ? { icmp: { type: 'any' as const, code: 'any' as const } } : {}),
          ...(localAddresses.length > 0 ? { localAddresses } : {}),
          ...(conditions ? { conditions } : {}),
          ...(descriptionText ? { description: descriptionText } : {}),
          ...(sensitive ? { sensitive } : {}),
        },
        ctx,
      ),
    );
  });
  if (container) for (const rule of rules) rule.containerArguments = container;
  // Set apart, as `containerArguments`: `finishRule` gives every Terraform rule one shape.
  if (unresolvedLocalAddresses.length > 0) for (const rule of rules) rule.unresolvedLocalAddresses = unresolvedLocalAddresses;
  return rules;
}

/**
 * Azure's `Icmp` matches ICMPv4 and ICMPv6 alike: one model rule per version the peer can reach (ICMPv4 for its IPv4
 * addresses, ICMPv6 for its IPv6 ones; both for a service tag or an unresolved prefix), so an `Icmp` rule from an
 * IPv6 prefix allows ICMPv6 (it read as ICMPv4, which reaches no IPv6 address). ICMPv4 keeps the rule's own id.
 */
function icmpVersionsFor(peer: Peer): Array<{ protocol: Protocol; suffix: string }> {
  const v4 = { protocol: ICMP, suffix: '' };
  const v6 = { protocol: ICMPV6, suffix: '/icmpv6' };
  if (peer.kind !== 'addresses') return [v4, v6];
  const size = peer.addresses.size();
  if (size.v6 === 0n) return [v4];
  return size.v4 === 0n ? [v6] : [v4, v6];
}

/** The values of port range arguments and of their items, for their sensitive marks (`sensitiveOrigin`). */
function portValues(fields: Fields, names: readonly string[]): Value[] {
  return names.flatMap((name) => {
    const field = fields.get(name);
    return field ? [field.value, ...elementsOf(field).map((element) => element.value)] : [];
  });
}

/** The NSG a standalone `azurerm_network_security_rule` names, as written; undefined for an inline `security_rule`. */
function containerArguments(fields: Fields): Record<string, string> | undefined {
  if (!fields.has('network_security_group_name')) return undefined;
  const written: Record<string, string> = {};
  for (const name of ['resource_group_name', 'network_security_group_name']) {
    const text = expressionText(fields.get(name)?.value);
    if (text !== undefined) written[name] = text;
  }
  return written;
}

/** An argument's value as HCL that writes it again: a string as a literal, a reference or unresolved value as written. */
export function expressionText(value: Value | undefined): string | undefined {
  return value?.kind === 'string' ? hclLiteral(value.value) : value?.kind === 'ref' || value?.kind === 'unknown' ? value.text : undefined;
}

/** A string as an HCL literal: quotes and backslashes escaped, `${` and `%{` doubled so they stay literal. */
function hclLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${').replace(/%\{/g, '%%{')}"`;
}

const DESTINATION_PORTS: [string, string] = ['destination_port_range', 'destination_port_ranges'];
const SOURCE_PORTS: [string, string] = ['source_port_range', 'source_port_ranges'];

/**
 * A rule's destination ports; undefined when missing or invalid (reported). An unresolved range leaves no ports and
 * the unknown, which keeps the rule as the CloudFormation reader keeps one: FW101 judges it on every port it could be.
 */
function destinationPorts(construct: NsgConstruct, ctx: BuildContext): { ports: PortSet; unresolved?: UnknownValue } | undefined {
  const ports = writtenPortRanges(construct, DESTINATION_PORTS, ctx);
  if (ports === 'absent') {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-missing-argument', ctx.file, `${construct.resourceAddress}: one of "${DESTINATION_PORTS[0]}" or "${DESTINATION_PORTS[1]}" is required`, construct.location.range));
    return undefined;
  }
  if (ports === undefined) return undefined;
  return 'unresolved' in ports ? { ports: PortSet.EMPTY, unresolved: ports.unresolved } : { ports };
}

/**
 * A rule's source ports as its `SOURCE_PORT_CONDITION` (see `Rule.conditions`): undefined for every port (`*`, or not
 * written); the ports as canonical text otherwise, so that `["53", "54"]` and `"53-54"` are the same condition; an
 * unresolved value as its expression, which only the same expression matches. Null when invalid (reported).
 */
function sourcePortCondition(construct: NsgConstruct, ctx: BuildContext): string | undefined | null {
  const ports = writtenPortRanges(construct, SOURCE_PORTS, ctx);
  if (ports === undefined) return null;
  if (ports === 'absent') return undefined;
  if ('unresolved' in ports) return `unresolved ${ports.unresolved.expr}`;
  return ports.isAll() ? undefined : ports.toString();
}

/**
 * The union of a singular/plural port range pair (`"*"`, `"22"`, `"1000-2000"`): `absent` when neither is written,
 * the first unresolved item when there is one, undefined when invalid (reported).
 */
function writtenPortRanges(construct: NsgConstruct, names: [string, string], ctx: BuildContext): PortSet | 'absent' | { unresolved: UnknownValue } | undefined {
  let ports = PortSet.EMPTY;
  let isWritten = false;
  // `"443-${var.p}"` alone bounds the ports the rule may open; beside other ranges it does not bound theirs.
  const written = names.reduce((count, name) => count + (construct.fields.has(name) ? elementCount(construct.fields.get(name)!) : 0), 0);
  for (const name of names) {
    const field = construct.fields.get(name);
    if (!field) continue;
    for (const element of elementsOf(field)) {
      if (element.value.kind === 'null') continue;
      const text = unknownText(element.value);
      if (text !== undefined) return { unresolved: withWrittenRangeBounds({ field: `${construct.resourceAddress}.${name}`, expr: text, location: { file: fieldFile(field, ctx), range: element.range } }, field, written) };
      const range = asString(element.value);
      try {
        if (range === undefined) throw new SetParseError(`${name} must hold strings`);
        ports = ports.union(PortSet.parse(range));
        isWritten = true;
      } catch (error) {
        if (!(error instanceof SetParseError)) throw error;
        const message = invalidValueMessage(error.message, `is not a valid port range (${name})`, element.value, field.value);
        ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', fieldFile(field, ctx), `${construct.resourceAddress}: ${message}`, element.range));
        return undefined;
      }
    }
  }
  return isWritten ? ports : 'absent';
}

interface PeerEntry {
  peer: Peer;
  range: SourceRange;
  /** The file `range` points into when it is not the construct's (`Field.file`). */
  file?: string;
  unknown?: UnknownValue;
  /** `Value.sensitive` of the value the peer is read from. */
  sensitive?: string;
}

/** Address prefixes (and application security groups) of one side of an NSG rule, one peer each. */
function prefixPeers(construct: NsgConstruct, side: 'source' | 'destination', ctx: BuildContext, action: 'allow' | 'deny' = 'allow'): PeerEntry[] {
  const peers: PeerEntry[] = [];
  for (const name of [`${side}_address_prefix`, `${side}_address_prefixes`]) {
    const field = construct.fields.get(name);
    if (!field) continue;
    const file = fieldFile(field, ctx);
    const inFile = <T extends PeerEntry>(entry: T): T => (field.file === undefined ? entry : { ...entry, file });
    for (const element of elementsOf(field)) {
      if (element.value.kind === 'null') continue;
      const text = unknownText(element.value);
      if (text !== undefined) {
        peers.push(inFile({ peer: { kind: 'unknown', expr: text }, range: element.range, unknown: { field: name, expr: text, location: { file, range: element.range } } }));
        continue;
      }
      const prefix = asString(element.value);
      const peer = prefix === undefined ? undefined : azurePrefixPeer(prefix, action);
      if (!peer || 'error' in peer) {
        const message = peer ? invalidValueMessage(peer.error, `is not an address prefix or service tag (${name})`, element.value, field.value) : `${name} must hold strings`;
        ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', file, `${construct.resourceAddress}: ${message}`, element.range));
        continue;
      }
      peers.push(inFile({ peer, range: element.range, sensitive: sensitiveOrigin(field.value, element.value) }));
    }
  }
  const groups = construct.fields.get(`${side}_application_security_group_ids`);
  if (groups) {
    for (const element of elementsOf(groups)) {
      if (element.value.kind === 'null') continue;
      const id = element.value.kind === 'ref' ? element.value.address : asString(element.value) ?? unknownText(element.value) ?? '?';
      const entry: PeerEntry = { peer: { kind: 'sg-ref', id }, range: element.range, sensitive: sensitiveOrigin(groups.value, element.value) };
      if (groups.file !== undefined) entry.file = groups.file;
      peers.push(entry);
    }
  }
  return peers;
}

/**
 * An Azure address prefix as a peer: `*` and (defensively) `Any` are every address; `Internet` is every address
 * for an Allow (world-open, formats.md §1.6) but, for a Deny, only the public space `PUBLIC_ADDRESSES`: the tag
 * excludes the virtual network's space, whose exact ranges fwlint does not know, so a deny must not hide allows
 * from private ranges. For the same reason an Allow from it surely holds only that space (`certainAddresses`): it
 * does not carry a required flow from a private peer. CIDRs, single addresses and ranges are exact (host bits are
 * masked, as Azure does); any other word is a service tag (`VirtualNetwork`, `AzureLoadBalancer`, `Storage.WestEurope`), symbolic: an Allow from it
 * opens nothing known and a Deny on it removes nothing.
 */
export function azurePrefixPeer(prefix: string, action: 'allow' | 'deny' = 'allow'): Peer | { error: string } {
  const text = prefix.trim();
  if (/^internet$/i.test(text)) return action === 'deny' ? addressPeer(PUBLIC_ADDRESSES, text) : { kind: 'addresses', addresses: AddressSet.ALL, text, certainAddresses: PUBLIC_ADDRESSES };
  if (/^(\*|internet|any)$/i.test(text)) return anyPeer(text);
  if (/^[0-9a-f:.]+(\/\d+)?$/i.test(text) && /[.:]/.test(text)) {
    try {
      return addressPeer(AddressSet.parseCidr(text, { hostBits: 'mask' }), text);
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      return { error: error.message };
    }
  }
  if (/^[0-9a-f:.]+-[0-9a-f:.]+$/i.test(text)) {
    try {
      return addressPeer(AddressSet.parseRange(text), text);
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      return { error: error.message };
    }
  }
  if (/^[A-Za-z][A-Za-z0-9._-]*$/.test(text)) return { kind: 'service-tag', name: text };
  return { error: `"${text}" is not an address prefix or service tag` };
}
