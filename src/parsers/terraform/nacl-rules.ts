import { AddressSet, SetParseError } from '../../model/address-set';
import { errorDiagnostic } from '../../model/diagnostic';
import type { SourceLocation } from '../../model/location';
import { addressPeer } from '../../model/peer';
import { PortSet } from '../../model/port-set';
import { parseProtocol, unresolvedProtocol, type KnownProtocol, type Protocol } from '../../model/protocol';
import type { Direction, Rule } from '../../model/rule';
import { asNumber, asString, fieldFile, finishRule, invalidValueMessage, knownField, portsOfUnresolvedProtocol, quotedValue, ruleSensitivity, sensitiveOrigin, unknownText, unresolvedArgument, unresolvedBounds, type BuildContext, type Field, type Fields, type PortSpec } from './to-model';
import { unknownOrder } from './unknown-order';

/**
 * One network ACL entry: an inline `ingress`/`egress` block of `aws_network_acl` / `aws_default_network_acl`
 * (`rule_no`, `action`) or an `aws_network_acl_rule` resource (`rule_number`, `rule_action`, `egress`).
 * The two spell the same fields differently (formats.md §1.4).
 */
export interface NaclConstruct {
  style: 'inline' | 'standalone';
  /** Inline: from the block name. Standalone: read from `egress` (default false = ingress). */
  direction?: Direction;
  fields: Fields;
  location: SourceLocation;
  resourceAddress: string;
}

/**
 * Turns one NACL entry into a normalized rule: platform `aws-nacl`, priority = rule number (ascending, first match
 * wins), action allow/deny. NACLs end with an implicit deny-all (`*`) that is not written as a rule: it is the
 * engine's default (nothing is allowed unless a rule allows it). An unresolved action, protocol or ICMP type leaves
 * the entry out and records the unknown (FW303); an unresolved port keeps it with no ports (the unknown on the rule),
 * an unresolved CIDR keeps it with an unknown peer, an unresolved rule number keeps it with its place in the order
 * unknown (`priority: null`, the unknown on the rule).
 */
export function naclRulesFromConstruct(construct: NaclConstruct, ctx: BuildContext): Rule[] {
  const { fields, resourceAddress } = construct;
  const isInline = construct.style === 'inline';
  // At a field's range, in the field's file (`Field.file`).
  const location = (field: Field): SourceLocation => ({ file: fieldFile(field, ctx), range: field.range });
  const known: KnownField = (name, required) => knownField(fields, name, required, construct, ctx);

  let direction = construct.direction ?? 'in';
  if (!isInline) {
    const egress = known('egress', false);
    if (egress === null) return [];
    if (egress && egress.value.kind === 'bool') direction = egress.value.value ? 'out' : 'in';
    else if (egress && asString(egress.value) !== undefined) direction = asString(egress.value) === 'true' ? 'out' : 'in';
  }

  // An unresolved rule number keeps the entry with its place in the order unknown (priority null; see unknownOrder).
  const numberName = isInline ? 'rule_no' : 'rule_number';
  const numberUnknown = unknownOrder(fields, numberName, construct, ctx);
  const numberField = numberUnknown ? undefined : known(numberName, true);
  const actionField = known(isInline ? 'action' : 'rule_action', true);
  // An unresolved protocol keeps the entry with its protocol unknown (FW101 judges an allow on every protocol it
  // could be; a deny is not assumed to block any).
  const protocolUnknown = unresolvedArgument(fields, 'protocol', construct, ctx);
  const protocolField = protocolUnknown === undefined ? known('protocol', true) : fields.get('protocol');
  if ((!numberUnknown && !numberField) || !actionField || !protocolField) return [];
  const ruleNumber = numberField ? asNumber(numberField.value) : null;
  // AWS accepts 1-32766 (32767 is the default rule's).
  if (ruleNumber === undefined || (ruleNumber !== null && (!Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766))) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-nacl-number', fieldFile(numberField!, ctx), `${resourceAddress}: the rule number must be an integer in 1-32766`, numberField!.range));
    return [];
  }
  const actionText = (asString(actionField.value) ?? '').toLowerCase();
  if (actionText !== 'allow' && actionText !== 'deny') {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-nacl-action', fieldFile(actionField, ctx), `${resourceAddress}: action must be "allow" or "deny", got ${quotedValue(asString(actionField.value) ?? actionField.value.kind, actionField.value)}`, actionField.range));
    return [];
  }
  let protocol: Protocol;
  let portSpec: PortSpec | undefined;
  if (protocolUnknown !== undefined) {
    protocol = unresolvedProtocol(protocolUnknown.expr);
    portSpec = portsOfUnresolvedProtocol(construct, protocolUnknown, ctx);
  } else {
    const protocolText = asString(protocolField.value) ?? '';
    const parsed = parseProtocol(protocolText);
    if (!parsed) {
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-protocol', fieldFile(protocolField, ctx), `${resourceAddress}: unknown protocol ${quotedValue(protocolText, protocolField.value)}`, protocolField.range));
      return [];
    }
    protocol = parsed;
    portSpec = naclPorts(construct, parsed, known, ctx);
  }
  if (!portSpec) return [];

  const trafficOrigin = sensitiveOrigin(protocolField.value, ...['from_port', 'to_port', 'icmp_type', 'icmp_code'].map((name) => fields.get(name)?.value));
  const peers: Array<{ peer: Rule['peer']; at: SourceLocation; unknown?: Rule['unknowns'][number]; sensitive?: string }> = [];
  for (const [name, family] of [['cidr_block', 4], ['ipv6_cidr_block', 6]] as const) {
    const field = fields.get(name);
    if (!field || field.value.kind === 'null') continue;
    const text = unknownText(field.value);
    if (text !== undefined) {
      peers.push({ peer: { kind: 'unknown', expr: text }, at: location(field), unknown: { field: name, expr: text, location: location(field) } });
      continue;
    }
    const cidr = asString(field.value);
    if (cidr === undefined) {
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', fieldFile(field, ctx), `${resourceAddress}: ${name} must be a string`, field.range));
      continue;
    }
    try {
      if ((family === 6) !== cidr.includes(':')) throw new SetParseError(`"${cidr}" is not an IPv${family} CIDR (${name})`);
      peers.push({ peer: addressPeer(AddressSet.parseCidr(cidr), cidr), at: location(field), sensitive: sensitiveOrigin(field.value) });
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      const message = invalidValueMessage(error.message, `is not a valid IPv${family} CIDR (${name})`, field.value);
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-cidr', fieldFile(field, ctx), `${resourceAddress}: ${message}`, field.range));
    }
  }
  if (peers.length === 0 && !fields.has('cidr_block') && !fields.has('ipv6_cidr_block')) {
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-missing-argument', ctx.file, `${resourceAddress}: one of "cidr_block" or "ipv6_cidr_block" is required`, construct.location.range));
  }

  return peers.map((peer, index) => {
    const sensitive = ruleSensitivity(peer.sensitive, trafficOrigin);
    const rule = finishRule(
      {
        id: `${resourceAddress}#${index}`,
        location: construct.location,
        peerLocation: peer.at,
        platform: 'aws-nacl',
        resourceAddress,
        direction,
        action: actionText,
        protocol,
        ports: portSpec.ports,
        peer: peer.peer,
        priority: ruleNumber,
        enabled: true,
        unknowns: [...(numberUnknown ? [numberUnknown] : []), ...(portSpec.unknowns ?? []), ...(peer.unknown ? [peer.unknown] : [])],
        ...(portSpec.icmp ? { icmp: portSpec.icmp } : {}),
        ...(sensitive ? { sensitive } : {}),
      },
      ctx,
    );
    return rule;
  });
}

type KnownField = (name: string, required: boolean) => Field | undefined | null;

function naclPorts(construct: NaclConstruct, protocol: KnownProtocol, known: KnownField, ctx: BuildContext): PortSpec | undefined {
  // AWS: protocol "-1"/"all" ignores ports; protocols other than TCP/UDP/ICMP have no ports (aws_network_acl docs).
  if (protocol.kind === 'any') return { ports: PortSet.ALL };
  if (protocol.value === 1 || protocol.value === 58) {
    // ICMP: icmp_type/icmp_code, -1 = any (inline blocks default to 0). An unresolved one keeps the entry with no
    // ports: it admits nothing for certain and exposes no port (FW303's note only).
    const unresolved = (['icmp_type', 'icmp_code'] as const).flatMap((name) => unresolvedArgument(construct.fields, name, construct, ctx) ?? []);
    if (unresolved.length > 0) return { ports: PortSet.EMPTY, unknowns: unresolved };
    const type = known('icmp_type', false);
    const code = known('icmp_code', false);
    if (type === null || code === null) return undefined;
    const typeNumber = type ? asNumber(type.value) : construct.style === 'inline' ? 0 : -1;
    const codeNumber = code ? asNumber(code.value) : construct.style === 'inline' ? 0 : -1;
    if (typeNumber === undefined || codeNumber === undefined) {
      const wrong = type ?? code;
      ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', wrong ? fieldFile(wrong, ctx) : ctx.file, `${construct.resourceAddress}: icmp_type and icmp_code must be numbers`, (wrong ?? construct.location).range));
      return undefined;
    }
    return { ports: PortSet.ALL, icmp: { type: typeNumber === -1 ? 'any' : typeNumber, code: codeNumber === -1 ? 'any' : codeNumber } };
  }
  if (protocol.value !== 6 && protocol.value !== 17) return { ports: PortSet.ALL };
  const fromWritten = construct.fields.get('from_port');
  const toWritten = construct.fields.get('to_port');
  const unresolved = fromWritten && toWritten ? unresolvedBounds(construct, fromWritten, toWritten, ctx) : [];
  // An unresolved bound keeps the entry with no ports, as the CloudFormation reader keeps one: FW101 judges an allow
  // on every port it could be, and a deny is not assumed to block any.
  if (unresolved.length > 0) return { ports: PortSet.EMPTY, unknowns: unresolved };
  const from = known('from_port', true);
  const to = known('to_port', true);
  if (!from || !to) return undefined;
  const fromNumber = asNumber(from.value);
  const toNumber = asNumber(to.value);
  if (fromNumber === undefined || toNumber === undefined) {
    const wrong = fromNumber === undefined ? from : to;
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', fieldFile(wrong, ctx), `${construct.resourceAddress}: ports must be numbers`, wrong.range));
    return undefined;
  }
  try {
    return { ports: PortSet.range(fromNumber, toNumber) };
  } catch (error) {
    if (!(error instanceof SetParseError)) throw error;
    ctx.diagnostics.push(errorDiagnostic('parse/terraform-port', fieldFile(from, ctx), `${construct.resourceAddress}: ${invalidValueMessage(error.message, 'is not a valid port range (from_port, to_port)', from.value, to.value)}`, from.range));
    return undefined;
  }
}
