import { allowedShareOfIcmp, icmpMessagesOf, icmpProperty, icmpVersionOf } from '../engine/icmp';
import { describeBox, mappedGroupRole, mergeBoxes, onProfiles, requiredTraffic, subtractAll, type ProfileAssignment, type ProfileFlow, type TrafficBox } from '../engine/profile-diff';
import { profileNames, protocolSet } from '../engine/effective';
import { MAX_LISTED_ITEMS } from '../engine/traffic';
import { describePeer } from '../model/peer';
import { redactedText, SOURCE_PORT_CONDITION, type Rule } from '../model/rule';
import { PortSet } from '../model/port-set';
import type { Target } from '../model/target';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW201',
  name: 'required-flow-missing',
  defaultSeverity: 'high',
  summary: 'A flow that the target\'s vendor role requires is not allowed (or is blocked)',
  precision: 'high',
  tags: ['reliability', 'vendor-profile', 'network'],
  messages: {
    missing: '{target} ({profile}): {missing} ({purpose}) is not allowed{where}{icmpShare}{blocked}{limited}',
    // The same, where "all of it but what is allowed" is the shorter exact text (most of a wide flow missing).
    missingButFor: '{target} ({profile}): {missing} ({purpose}) is not allowed but for {allowed}{where}{blocked}{limited}',
    unconfirmed: '{target} ({profile}): {missing} ({purpose}) cannot be confirmed{where}: {rules} may carry it, but {unknowns} cannot be resolved statically',
    // The group (or ACL) is defined outside the scanned input: its rules there are not known (`Target.definedElsewhere`).
    unconfirmedElsewhere: '{target} ({profile}): {missing} ({purpose}) cannot be confirmed{where}: the {firewall} is defined outside the scanned files, and its rules there are not known',
    // The input holds only some of the target's rules (`Target.incompleteBecause`: a plan that is not complete).
    unconfirmedIncomplete: '{target} ({profile}): {missing} ({purpose}) cannot be confirmed{where}: {incomplete}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    return diff.missing.map((missing): FindingSpec => {
      const { flow } = missing;
      const required = requiredTraffic(diff.assignment, flow)[0]!;
      const sensitive = sensitiveShapers(target.rules, flow, required, diff.assignment).map(redactedText).join(', ');
      // Shaped by a sensitive value, the missing part is that value's complement: the flow's whole traffic is named
      // instead, and the part left to the value (README "Sensitive values").
      const shown = sensitive === '' ? mergeBoxes(missing.missing) : required;
      const describe = (box: TrafficBox): string => (sensitive === '' ? describeBox(box, flow.direction, flow.peer) : `part of ${describeBox(box, flow.direction, flow.peer)}`);
      const text = sensitive === '' ? shown.map(describe).join('; ') : `${shown.map(describe).join('; ')} (which part depends on ${sensitive})`;
      // A wide flow missing all but a few addresses (a NACL's replies from 0.0.0.0/0 allowed from one subnet) is
      // a long list of CIDRs around them: the whole flow and what of it is allowed say the same, exactly.
      const allowed = sensitive === '' ? mergeBoxes(subtractAll(required, missing.missing)) : [];
      const allowedText = allowed.map((box) => describeBox(box, flow.direction, flow.peer)).join('; ');
      const wholeText = required.map((box) => describeBox(box, flow.direction, flow.peer)).join('; ');
      const isButForShorter = allowed.length > 0 && wholeText.length + allowedText.length < text.length;
      const blocked = missing.blockedBy.length > 0 ? `; blocked by ${missing.blockedBy.map((rule) => rule.resourceAddress).join(', ')}` : '';
      const where = onProfiles(missing.profiles);
      const elsewhere = missing.definedElsewhere === true;
      const incomplete = missing.incompleteBecause;
      const unconfirmed = elsewhere || incomplete !== undefined || missing.unconfirmed.length > 0;
      const missingMessageId = isButForShorter ? 'missingButFor' : 'missing';
      const spec: FindingSpec = {
        // Rules that may carry the flow are named before an incomplete input, which says less.
        messageId: elsewhere ? 'unconfirmedElsewhere' : missing.unconfirmed.length > 0 ? 'unconfirmed' : incomplete !== undefined ? 'unconfirmedIncomplete' : missingMessageId,
        location: target.location,
        data: {
          target: target.id,
          profile: diff.assignment.ref,
          missing: isButForShorter && !unconfirmed ? wholeText : text,
          allowed: allowedText,
          purpose: flow.purpose,
          blocked,
          limited: sourcePortCause(missing.limitedBySourcePort ?? []),
          where,
          icmpShare: missingMessageId === 'missing' && sensitive === '' ? icmpShareNote(shown) : '',
          rules: [...new Set(missing.unconfirmed.map((rule) => rule.resourceAddress))].join(', '),
          unknowns: [...new Set(missing.unconfirmed.map((rule) => unknownPart(rule, diff.assignment, target)))].join(', '),
          firewall: FIREWALL_NAMES[target.platform] ?? 'firewall',
          incomplete: incomplete ?? '',
        },
        // The rules that block the flow (SARIF relatedLocations), so a reader can jump to them.
        related: missing.blockedBy.map((rule) => rule.location),
        key: `${missing.profiles === undefined ? flow.id : `${flow.id}@${profileNames(missing.profiles).join(',')}`}${missing.branch === undefined ? '' : `\u0000when ${missing.branch}`}`,
        // Missing only where the rules carrying the flow do not exist (`IsProd=false`): the message says when.
        ...(missing.branch === undefined ? {} : { branch: missing.branch }),
        properties: {
          profile: diff.assignment.ref,
          flow: { id: flow.id, direction: flow.direction, protocol: flow.protocol, ports: flow.ports.toString(), peer: flow.peer, purpose: flow.purpose, phase: flow.phase ?? null },
          missing: shown.map((box) => ({
            traffic: describe(box),
            ports: box.ports.toString(),
            addresses: box.addresses ? box.addresses.toString() : 'any',
            // Some ICMP types only (the others are allowed): which, as FW101 lists them.
            ...icmpProperty(box),
            ...(sensitive === '' ? {} : { dependsOn: sensitive }),
          })),
          witness: sensitive === '' ? missing.witness : sensitive,
          blockedBy: missing.blockedBy.map((rule) => rule.resourceAddress),
          ...(missing.limitedBySourcePort ? { limitedBySourcePort: missing.limitedBySourcePort.map((rule) => rule.resourceAddress) } : {}),
          // Windows: the profiles on which this part is missing (all of them when absent).
          ...(missing.profiles !== undefined ? { firewallProfiles: profileNames(missing.profiles) } : {}),
          ...(missing.unconfirmed.length > 0 ? { unconfirmedBy: missing.unconfirmed.map((rule) => rule.resourceAddress) } : {}),
          ...(elsewhere ? { definedElsewhere: true } : {}),
          ...(incomplete !== undefined ? { incompleteBecause: incomplete } : {}),
        },
      };
      // Reported as missing (a high) before groups defined elsewhere were told apart: a baseline entry of it still holds.
      if (elsewhere && missing.unconfirmed.length === 0) spec.formerMessageId = missingMessageId;
      // Likewise reported as missing before an incomplete plan was told apart.
      else if (!elsewhere && missing.unconfirmed.length === 0 && incomplete !== undefined) spec.formerMessageId = missingMessageId;
      // The contract's rule on unresolved values: what cannot be known is a note, never a high "is not allowed".
      if (unconfirmed) spec.severity = 'note';
      return spec;
    });
  },
});

/**
 * `; "WinRM"#1 would carry it but for its source-port limit (1024-65535), which leaves out clients on source ports
 * 0-1023: a client picks its own source port, so drop the limit`: why rules that overlap the flow do not count.
 */
function sourcePortCause(rules: readonly Rule[]): string {
  if (rules.length === 0) return '';
  const limits = [...new Set(rules.map((rule) => rule.conditions![SOURCE_PORT_CONDITION]!))];
  const names = [...new Set(rules.map((rule) => rule.resourceAddress))].join(', ');
  const left = limits.length === 1 ? portsLeftOut(limits[0]!) : undefined;
  const leftOut = left === undefined ? '' : `, which leaves out clients on source ports ${left}`;
  const limit = `${rules.length === 1 ? 'its' : 'their'} source-port limit (${limits.join('; ')})`;
  return `; ${names} would carry it but for ${limit}${leftOut}: a client picks its own source port, so drop the limit`;
}

/** The source ports a limit written as `1024-65535` leaves out (`0-1023`); undefined where it is not a port list. */
function portsLeftOut(limit: string): string | undefined {
  try {
    const rest = PortSet.ALL.subtract(PortSet.parse(limit));
    return rest.isEmpty() ? undefined : rest.toString();
  } catch {
    return undefined;
  }
}

/**
 * For an all-ICMP flow of which a rule allows a few types (an echo-request rule under NetApp's "All ICMP" ping or
 * "ICMP 1" keep-alive): says that the flow is every type and which ones are allowed, so that "all types except
 * echo-request" does not read as a demand to allow some unusual types. One allowed share for every missing part, or
 * nothing.
 */
function icmpShareNote(missing: readonly TrafficBox[]): string {
  const shares = new Set(
    missing.map((box) => {
      const version = box.icmp === undefined ? undefined : icmpVersionOf(box.protocols);
      return version === undefined ? undefined : allowedShareOfIcmp(version, box.icmp!, MAX_LISTED_ITEMS);
    }),
  );
  const [share] = shares;
  return shares.size === 1 && share !== undefined ? `: the flow is all of ICMP (every type), of which the rules allow only ${share}` : '';
}

/** How the unconfirmedElsewhere message names a target defined outside the scanned files, by platform. */
const FIREWALL_NAMES: Partial<Record<Target['platform'], string>> = { 'aws-sg': 'security group', 'aws-nacl': 'network ACL', 'azure-nsg': 'network security group' };

/**
 * What keeps a rule from confirming a flow: its unresolved peer, or its unresolved ports. A group mapped to a role
 * whose peer is not bound is named with its role: the mapping says what the group is, not which addresses it holds.
 * The group itself (`self`) likewise: its members are instances of the target's role, at addresses not known.
 */
function unknownPart(rule: Rule, assignment: ProfileAssignment, target: Target): string {
  // A rule whose group is known only after apply (`Target.unjoinedRules`): that group is what is not known.
  if (target.unjoinedRules?.includes(rule)) return `the group of ${rule.resourceAddress}`;
  if (rule.peer.kind === 'unknown') return rule.peer.expr;
  if (rule.peer.kind === 'self') return `the members of the group itself (mapped to ${assignment.ref})`;
  // A sensitive group or prefix list id (`security_groups = [var.sg]`) is named by its origin.
  const peer = rule.sensitive?.peer !== undefined ? redactedText(rule.sensitive.peer) : describePeer(rule.peer);
  const role = mappedGroupRole(assignment, rule.peer);
  if (role !== undefined) return `the members of ${peer} (mapped to ${role})`;
  if (rule.peer.kind !== 'addresses') return peer;
  return `the ports of ${rule.resourceAddress}`;
}

/**
 * The origins of the sensitive values (`Rule.sensitive`) that shape what is missing of a flow: those of the rules of
 * its direction (allows cover part of it, denies take part away) whose traffic overlaps it, for a bound peer by their
 * addresses too; an unbound peer is judged on protocols and ports only, so there a sensitive peer shapes nothing.
 */
function sensitiveShapers(rules: readonly Rule[], flow: ProfileFlow, required: readonly TrafficBox[], assignment: ProfileAssignment): string[] {
  const origins = new Set<string>();
  for (const rule of rules) {
    const sensitive = rule.sensitive;
    if (sensitive === undefined || !rule.enabled || rule.direction !== flow.direction) continue;
    const protocols = protocolSet(rule.protocol);
    const messages = icmpMessagesOf(rule.icmp);
    const overlapping = required.filter((box) => box.protocols.overlaps(protocols) && box.ports.overlaps(rule.ports) && (box.icmp === undefined || box.icmp.overlaps(messages)));
    if (overlapping.length === 0) continue;
    if (sensitive.traffic !== undefined) origins.add(sensitive.traffic);
    // Of peers without addresses, only a group mapped to a role stands for addresses (bound ones): the others may
    // carry the flow but cover none of it.
    const peer = rule.peer;
    const covers = (box: TrafficBox): boolean => box.addresses !== undefined && (peer.kind === 'addresses' ? box.addresses.overlaps(peer.addresses) : mappedGroupRole(assignment, peer) !== undefined);
    if (sensitive.peer !== undefined && overlapping.some(covers)) origins.add(sensitive.peer);
  }
  return [...origins].sort();
}
