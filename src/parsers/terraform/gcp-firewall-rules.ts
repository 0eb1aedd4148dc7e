import { unknownOrder } from './unknown-order';
import { AddressSet, SetParseError } from '../../model/address-set';
import { errorDiagnostic } from '../../model/diagnostic';
import type { SourceLocation, SourceRange } from '../../model/location';
import { addressPeer, type Peer } from '../../model/peer';
import { PortSet } from '../../model/port-set';
import { hasPorts, parseProtocol, unresolvedProtocol, type Protocol } from '../../model/protocol';
import type { Rule, UnknownValue } from '../../model/rule';
import type { Value } from './hcl';
import { asNumber, asString, contextInFile, elementCount, elementsOf, fieldFile, finishRule, invalidValueMessage, knownField, quotedValue, ruleSensitivity, sensitiveOrigin, unknownText, unresolvedArgument, withWrittenRangeBounds, type BuildContext, type Fields } from './to-model';

/** An `allow` or `deny` block of a `google_compute_firewall`. */
export interface GcpActionBlock {
  action: 'allow' | 'deny';
  fields: Fields;
  location: SourceLocation;
  /** `google_compute_firewall.web.allow[0]` (HCL) or a content hash (plan). */
  resourceAddress: string;
}

export interface GcpFirewall {
  fields: Fields;
  location: SourceLocation;
  resourceAddress: string;
  blocks: GcpActionBlock[];
}

/** GCP's "all IPv4" default for a missing source (ingress) or destination (egress). */
const DEFAULT_RANGE = '0.0.0.0/0';

/**
 * Turns a `google_compute_firewall` into normalized rules: one per allow/deny block and peer. Platform `gcp-fw`,
 * priority (default 1000; ascending, a deny wins a tie), direction INGRESS (default) or EGRESS, `disabled = true` →
 * not enabled. Peers: `source_ranges`, `source_tags` (network tags) and `source_service_accounts` for ingress,
 * `destination_ranges` for egress. A block without `ports` covers every port (compute_firewall docs).
 */
export function gcpRulesFromFirewall(firewall: GcpFirewall, ctx: BuildContext): Rule[] {
  const { fields } = firewall;
  const owner = { resourceAddress: firewall.resourceAddress, location: firewall.location };
  const directionField = knownField(fields, 'direction', false, owner, ctx);
  // An unresolved priority keeps the rule with its place in the order unknown (priority null; see unknownOrder).
  const priorityUnknown = unknownOrder(fields, 'priority', owner, ctx);
  const priorityField = priorityUnknown ? undefined : knownField(fields, 'priority', false, owner, ctx);
  const disabledField = knownField(fields, 'disabled', false, owner, ctx);
  if (directionField === null || priorityField === null || disabledField === null) return [];
  const directionText = directionField ? (asString(directionField.value) ?? '').toUpperCase() : 'INGRESS';
  if (directionText !== 'INGRESS' && directionText !== 'EGRESS') {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-gcp-direction', fieldFile(directionField!, ctx), `${firewall.resourceAddress}: direction must be "INGRESS" or "EGRESS"`, directionField!.range));
    return [];
  }
  const priority = priorityUnknown ? null : priorityField ? asNumber(priorityField.value) : 1000;
  // GCP accepts 0-65535.
  if (priority === undefined || (priority !== null && (!Number.isInteger(priority) || priority < 0 || priority > 65535))) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-gcp-priority', fieldFile(priorityField!, ctx), `${firewall.resourceAddress}: priority must be an integer in 0-65535`, priorityField!.range));
    return [];
  }
  const isDisabled = disabledField?.value.kind === 'bool' ? disabledField.value.value : disabledField ? asString(disabledField.value) === 'true' : false;
  const direction = directionText === 'INGRESS' ? 'in' : 'out';
  const peers = firewallPeers(firewall, direction, ctx);
  const description = fields.get('description');
  const descriptionText = description ? asString(description.value) : undefined;

  const rules: Rule[] = [];
  for (const block of firewall.blocks) {
    const spec = blockTraffic(block, contextInFile(ctx, block.location.file));
    if (!spec) continue;
    peers.forEach((entry, index) => {
      const sensitive = ruleSensitivity(entry.sensitive, spec.sensitive);
      rules.push(
        finishRule(
          {
            id: `${block.resourceAddress}#${index}`,
            location: block.location,
            peerLocation: { file: entry.file ?? ctx.file, range: entry.range },
            platform: 'gcp-fw',
            resourceAddress: block.resourceAddress,
            direction,
            action: block.action,
            protocol: spec.protocol,
            ports: spec.ports,
            peer: entry.peer,
            priority,
            enabled: !isDisabled,
            unknowns: [...(priorityUnknown ? [priorityUnknown] : []), ...(spec.unresolvedProtocol ? [spec.unresolvedProtocol] : []), ...(spec.unresolvedPorts ? [spec.unresolvedPorts] : []), ...(entry.unknown ? [entry.unknown] : [])],
            ...(spec.icmp ? { icmp: spec.icmp } : {}),
            ...(descriptionText ? { description: descriptionText } : {}),
            ...(sensitive ? { sensitive } : {}),
          },
          ctx,
        ),
      );
    });
  }
  return rules;
}

/**
 * Protocol and ports of one allow/deny block, and the origin of the first sensitive value among them
 * (`Value.sensitive`); undefined (with a diagnostic or an unknown) when they cannot be read. An unresolved port
 * leaves no ports and `unresolvedPorts`, as the CloudFormation reader does: FW101 judges the rule on every port it
 * could be. An unresolved protocol leaves it unknown, with `unresolvedProtocol` and the ports as written (every
 * port where none are): FW101 judges it on every protocol it could be.
 */
function blockTraffic(block: GcpActionBlock, ctx: BuildContext): { protocol: Rule['protocol']; ports: PortSet; icmp?: Rule['icmp']; sensitive?: string; unresolvedPorts?: UnknownValue; unresolvedProtocol?: UnknownValue } | undefined {
  const unresolvedProtocolValue = unresolvedArgument(block.fields, 'protocol', block, ctx);
  const protocolField = unresolvedProtocolValue === undefined ? knownField(block.fields, 'protocol', true, block, ctx) : block.fields.get('protocol');
  if (!protocolField) return undefined;
  const protocolText = asString(protocolField.value) ?? '';
  const protocol: Protocol | undefined = unresolvedProtocolValue ? unresolvedProtocol(unresolvedProtocolValue.expr) : parseProtocol(protocolText);
  if (!protocol) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-protocol', fieldFile(protocolField, ctx), `${block.resourceAddress}: unknown protocol ${quotedValue(protocolText, protocolField.value)}`, protocolField.range));
    return undefined;
  }
  const icmp = protocol.kind === 'number' && (protocol.value === 1 || protocol.value === 58) ? { type: 'any' as const, code: 'any' as const } : undefined;
  const portsField = block.fields.get('ports');
  // Ports apply to TCP, UDP and SCTP only; no `ports` (or an empty list) means every port.
  const protocolOrigin = sensitiveOrigin(protocolField.value);
  const unresolved = unresolvedProtocolValue ? { unresolvedProtocol: unresolvedProtocolValue } : {};
  if ((!hasPorts(protocol) && protocol.kind !== 'unknown') || !portsField) return { protocol, ports: PortSet.ALL, ...unresolved, ...(icmp ? { icmp } : {}), ...(protocolOrigin !== undefined ? { sensitive: protocolOrigin } : {}) };
  const origin = sensitiveOrigin(protocolField.value, portsField.value, ...elementsOf(portsField).map((element) => element.value));
  let ports = PortSet.EMPTY;
  let isWritten = false;
  for (const element of elementsOf(portsField)) {
    if (element.value.kind === 'null') continue;
    const text = unknownText(element.value);
    if (text !== undefined) {
      // `["443-${var.p}"]` bounds the ports the rule may open; beside other ranges it does not bound theirs.
      const unresolvedPorts = withWrittenRangeBounds({ field: `${block.resourceAddress}.ports`, expr: text, location: { file: fieldFile(portsField, ctx), range: element.range } }, portsField, elementCount(portsField));
      return { protocol, ports: PortSet.EMPTY, unresolvedPorts, ...unresolved, ...(origin !== undefined ? { sensitive: origin } : {}) };
    }
    const range = asString(element.value);
    try {
      if (range === undefined) throw new SetParseError('ports must hold strings');
      ports = ports.union(PortSet.parse(range));
      isWritten = true;
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      const message = invalidValueMessage(error.message, 'is not a valid port range (ports)', element.value, portsField.value);
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', fieldFile(portsField, ctx), `${block.resourceAddress}: ${message}`, element.range));
      return undefined;
    }
  }
  return { protocol, ports: isWritten ? ports : PortSet.ALL, ...unresolved, ...(origin !== undefined ? { sensitive: origin } : {}) };
}

interface PeerEntry {
  peer: Peer;
  range: SourceRange;
  /** The file `range` points into when it is not the firewall's (`Field.file`). */
  file?: string;
  unknown?: UnknownValue;
  /** `Value.sensitive` of the value the peer is read from. */
  sensitive?: string;
}

function firewallPeers(firewall: GcpFirewall, direction: 'in' | 'out', ctx: BuildContext): PeerEntry[] {
  const peers: PeerEntry[] = [];
  let isSourceWritten = false;
  const read = (name: string, toPeer: (text: string, at: SourceLocation, values: Value[]) => Peer | undefined): void => {
    const field = firewall.fields.get(name);
    if (!field) return;
    const file = fieldFile(field, ctx);
    const inFile = (entry: PeerEntry): PeerEntry => (field.file === undefined ? entry : { ...entry, file });
    for (const element of elementsOf(field)) {
      if (element.value.kind === 'null') continue;
      isSourceWritten = true;
      const text = unknownText(element.value);
      if (text !== undefined) {
        peers.push(inFile({ peer: { kind: 'unknown', expr: text }, range: element.range, unknown: { field: name, expr: text, location: { file, range: element.range } } }));
        continue;
      }
      const value = asString(element.value);
      const peer = value === undefined ? undefined : toPeer(value, { file, range: element.range }, [element.value, field.value]);
      if (value === undefined) ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', file, `${firewall.resourceAddress}: ${name} must hold strings`, element.range));
      if (peer) peers.push(inFile({ peer, range: element.range, sensitive: sensitiveOrigin(field.value, element.value) }));
    }
  };
  const cidr = (name: string) => (text: string, { file, range }: SourceLocation, values: Value[]): Peer | undefined => {
    try {
      return addressPeer(AddressSet.parseCidr(text, { hostBits: 'mask' }), text);
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      const message = invalidValueMessage(error.message, `is not a valid CIDR (${name})`, ...values);
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', file, `${firewall.resourceAddress}: ${message}`, range));
      return undefined;
    }
  };
  if (direction === 'in') {
    read('source_ranges', cidr('source_ranges'));
    read('source_tags', (name) => ({ kind: 'network-tag', name }));
    read('source_service_accounts', (name) => ({ kind: 'service-account', name }));
  } else {
    read('destination_ranges', cidr('destination_ranges'));
  }
  if (!isSourceWritten) {
    // GCP API: an INGRESS rule with none of source_ranges / source_tags / source_service_accounts applies to source
    // 0.0.0.0/0 (formats.md §1.7, marked unverified there; the Compute API reference for `sourceRanges` states it).
    // Likewise an EGRESS rule without destination_ranges applies to every IPv4 destination (`destinationRanges`).
    peers.push({ peer: addressPeer(AddressSet.ALL_V4, DEFAULT_RANGE), range: firewall.location.range });
  }
  return peers;
}
