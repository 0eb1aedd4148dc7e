import { icmpProperty } from '../engine/icmp';
import { describeTraffic } from '../engine/traffic';
import { profileNames } from '../engine/effective';
import { flowProtocols, onProfiles, type InstallOnlyOpen, type ProfileAssignment, type TrafficBox } from '../engine/profile-diff';
import type { AddressSet } from '../model/address-set';
import { PortSet } from '../model/port-set';
import { rulesInOrder } from '../model/rule';
import { writtenAddresses, writtenRuleIgnoreKey } from './written-rules';
import { defineCheck, groupByWrittenPlace, writtenPlaceKey, type FindingSpec } from './define-check';
import { sharedRuleAdvice } from './shared-rule-advice';

export default defineCheck({
  id: 'FW203',
  name: 'install-only-port-open',
  defaultSeverity: 'medium',
  summary: 'A port the vendor needs only during installation is open while the target is in the operate phase',
  precision: 'high',
  tags: ['security', 'least-privilege', 'vendor-profile'],
  messages: {
    installOnly: '{target} ({profile}) is in the operate phase but still allows {traffic}{where}, {needed} ({purposes}){shared}',
  },
  defaultOptions: {},
  reportsSharedRules: true,
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    // One finding per written place: the items of a `dynamic` block (or a counted rule resource's instances) that are
    // open only for installation are one finding naming their union. Parts told per profile stay alone, and items that
    // a config `ignore:` entry with ports or peer accepts are a finding of their own, muted by it.
    const groups = groupByWrittenPlace(
      diff.installOnlyOpen,
      (open) => (open.parts.some((part) => part.profiles !== undefined) ? undefined : writtenPlaceKey(open.rule, open.rule.location)),
      (open) => `${open.rule.branch ?? ''}\u0000${open.profiles}\u0000${writtenRuleIgnoreKey(target, ctx, open.rule)}`,
    );
    return groups.map((group): FindingSpec => {
      const first = group[0]!;
      const rule = first.rule;
      const rules = group.length === 1 ? first.rules : rulesInOrder(target.rules, group.flatMap((open) => open.rules ?? [open.rule]));
      const written = writtenAddresses(rules ?? [rule]);
      const openParts = group.length === 1 ? first.parts : unitedParts(group.flatMap((open) => open.parts));
      const parts = openParts.map((part) => ({ part, text: describePart(part, rule.direction, written, diff.assignment) }));
      const traffic = parts.map(({ text }) => text).join('; ');
      const flows = group.flatMap((open) => open.flows);
      // Parts that name their own profiles (they differ by profile) leave nothing to say for the rule as a whole.
      const where = first.parts.some((part) => part.profiles !== undefined) ? '' : onProfiles(first.profiles);
      return {
        messageId: 'installOnly',
        rule,
        ...(rules ? { rules } : {}),
        ...(group.length > 1 ? { mergedParts: group.map((open) => ({ messageId: 'installOnly', rule: open.rule, ...(open.rules ? { rules: open.rules } : {}), key: identityOf(open.parts, open.rule.direction, writtenAddresses(open.rules ?? [open.rule])) })) } : {}),
        location: rule.location,
        data: { target: target.id, profile: diff.assignment.ref, traffic, where, needed: neededOnlyWhen(parts, rule.direction, diff.assignment), purposes: [...new Set(flows.map((flow) => flow.purpose))].join('; '), shared: sharedRuleAdvice(rule, target) },
        key: identityOf(openParts, rule.direction, written),
        properties: {
          profile: diff.assignment.ref,
          traffic,
          ports: (group.length === 1 ? first.open.ports : group.reduce((ports, open) => ports.union(open.open.ports), PortSet.EMPTY)).toString(),
          // Each part exactly: `addresses` is `any` for ports no operate-phase flow uses (reported whatever the source).
          open: parts.map(({ part, text }) => ({
            traffic: text,
            ports: part.box.ports.toString(),
            addresses: part.box.addresses ? part.box.addresses.toString() : 'any',
            peer: part.peer ?? null,
            // Some ICMP types only (an echo-request rule): which, as FW201 lists them.
            ...icmpProperty(part.box),
            ...(part.profiles !== undefined ? { firewallProfiles: profileNames(part.profiles) } : {}),
          })),
          flows: group.length === 1 ? first.flows.map((flow) => flow.id) : [...new Set(flows.map((flow) => flow.id))],
          ...(onProfiles(first.profiles) ? { firewallProfiles: profileNames(first.profiles) } : {}),
        },
      };
    });
  },
});

/**
 * The identity of a finding's parts: each named by its peer, whether bound or not, as before the text said which, so
 * that baselines written then still match.
 */
function identityOf(parts: InstallOnlyOpen['parts'], direction: 'in' | 'out', written: AddressSet | undefined): string {
  return parts.map((part) => describePart(part, direction, written)).join('; ');
}

/**
 * The parts of several rules at one place as exact sets: the ports of parts with the same protocols, ICMP messages,
 * addresses and peer united (`tcp/135, 445`), in order of first appearance.
 */
function unitedParts(parts: InstallOnlyOpen['parts']): InstallOnlyOpen['parts'] {
  const united: InstallOnlyOpen['parts'] = [];
  for (const part of parts) {
    const { box } = part;
    const same = united.find(
      (each) =>
        each.peer === part.peer &&
        each.box.protocols.equals(box.protocols) &&
        (each.box.icmp === undefined ? box.icmp === undefined : box.icmp !== undefined && each.box.icmp.equals(box.icmp)) &&
        (each.box.addresses === undefined ? box.addresses === undefined : box.addresses !== undefined && each.box.addresses.equals(box.addresses)),
    );
    if (same) same.box = { ...same.box, ports: same.box.ports.union(box.ports) };
    else united.push({ ...part });
  }
  return united;
}

/**
 * `tcp/135, 445` (ports no operate-phase flow uses), or `tcp/9011 from 10.10.0.5/32 (installer)`, with the part's
 * Windows profiles when they differ from the rest of the rule's (`tcp/135 on the Domain and Private profiles`). With
 * the install-phase peer unbound the addresses are not the installer's but every address outside the operate-phase
 * peers': `tcp/7072 from 10.0.0.0/8 except 10.10.0.0/16 (outside scaleio-nodes; installer is not bound)`.
 */
function describePart(part: InstallOnlyOpen['parts'][number], direction: 'in' | 'out', written: AddressSet | undefined, assignment?: ProfileAssignment): string {
  const { box, peer } = part;
  let traffic: string;
  if (box.addresses === undefined) traffic = describeTraffic(box.protocols, box.ports, box.icmp);
  else {
    const preposition = direction === 'in' ? 'from' : 'to';
    let whose: string;
    if (peer === undefined) {
      // A port no operate-phase flow uses, outside a NACL's needed replies (see `installOnlyTraffic`): whose they are.
      const repliesTo = assignment === undefined ? [] : repliedPeersOn(box, direction, assignment);
      whose = repliesTo.length > 0 ? ` (outside the replies to ${repliesTo.join(', ')})` : '';
    }
    // Without the assignment (the finding's identity), the peer alone.
    else if (assignment === undefined || Object.hasOwn(assignment.peers, peer)) whose = ` (${peer})`;
    else {
      const outside = operatePeersOn(box, direction, assignment);
      whose = ` (${outside.length > 0 ? `outside ${outside.join(', ')}; ` : ''}${peer} is not bound)`;
    }
    traffic = `${describeTraffic(box.protocols, box.ports, box.icmp)} ${preposition} ${describeAddresses(box.addresses, written)}${whose}`;
  }
  return `${traffic}${onProfiles(part.profiles)}`;
}

/**
 * Why the parts are reported. Ports no operate-phase flow uses are "needed only during installation"; ports the
 * operate phase needs from other peers are not (ScaleIO's 9011 and 7072, "needed during install and after"): for those only
 * the install-phase peer is install-only, so the text names who needs them when (QA-8 item 02), lest the port be
 * closed for everyone.
 */
function neededOnlyWhen(parts: ReadonlyArray<{ part: InstallOnlyOpen['parts'][number]; text: string }>, direction: 'in' | 'out', assignment: ProfileAssignment): string {
  const fromPeers = parts.filter(({ part }) => part.peer !== undefined);
  if (fromPeers.length === 0) return 'needed only during installation';
  const preposition = direction === 'in' ? 'from' : 'to';
  const portsOf = (list: typeof parts): string => [...new Set(list.map(({ part }) => describeTraffic(part.box.protocols, part.box.ports, part.box.icmp)))].join('; ');
  const ports = portsOf(fromPeers);
  const installPeers = [...new Set(fromPeers.map(({ part }) => part.peer!))].join(', ');
  const operatePeers = [...new Set(fromPeers.flatMap(({ part }) => operatePeersOn(part.box, direction, assignment)))].join(', ');
  const peerReason = `needed ${preposition} ${installPeers} only during installation${operatePeers === '' ? '' : `, in operation ${preposition} ${operatePeers} only`}`;
  const anySource = parts.filter(({ part }) => part.peer === undefined);
  return anySource.length === 0 ? peerReason : `${portsOf(anySource)} needed only during installation; ${ports} ${peerReason}`;
}

/**
 * The bound peers of the operate-phase flows (alternatives included) on the protocols and ports of `box`, in order of
 * first use: the addresses the engine left out of an unbound install-phase peer's part.
 */
function operatePeersOn(box: TrafficBox, direction: 'in' | 'out', assignment: ProfileAssignment): string[] {
  const peers = new Set<string>();
  for (const flow of assignment.permitted) {
    if (flow.direction !== direction || flow.phase === 'install' || !Object.hasOwn(assignment.peers, flow.peer)) continue;
    const onBox = [flow, ...flow.alternatives].some(
      (variant) => flowProtocols(variant.protocol).overlaps(box.protocols) && (variant.protocol === 'icmp' || variant.protocol === 'all' || variant.ports.overlaps(box.ports)),
    );
    if (onBox) peers.add(flow.peer);
  }
  return [...peers];
}

/**
 * The bound peers whose replies a NACL needs in the operate phase on the protocols and ports of `box`, in order of
 * first use: the addresses the engine left out of an install-only port inside their reply range.
 */
function repliedPeersOn(box: TrafficBox, direction: 'in' | 'out', assignment: ProfileAssignment): string[] {
  const peers = new Set<string>();
  for (const flow of assignment.required) {
    if (!flow.isReply || flow.direction !== direction || flow.phase === 'install' || !Object.hasOwn(assignment.peers, flow.peer)) continue;
    if ([flow, ...flow.alternatives].some((variant) => flowProtocols(variant.protocol).overlaps(box.protocols) && variant.ports.overlaps(box.ports))) peers.add(flow.peer);
  }
  return [...peers];
}

/**
 * The addresses, or where shorter the rule's own addresses except the rest: an unbound installer is every address but
 * the cluster's, so `10.0.0.0/8 except 10.10.1.0/24` reads better than the sixteen CIDRs it is.
 */
function describeAddresses(addresses: AddressSet, written: AddressSet | undefined): string {
  const listed = addresses.toString();
  if (written === undefined || !written.containsAll(addresses)) return listed;
  const rest = written.subtract(addresses);
  if (rest.isEmpty()) return listed;
  const carved = `${written.toString()} except ${rest.toString()}`;
  return carved.length < listed.length ? carved : listed;
}
