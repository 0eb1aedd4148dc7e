import { profileBits, profilesNote, protocolSet, type EffectiveSet, type Grant } from '../engine/effective';
import { cidrsOf, cidrText } from '../engine/set-facts';
import { describeTraffic, MAX_LISTED_ITEMS } from '../engine/traffic';
import { subtractAll, type TrafficBox } from '../engine/profile-diff';
import { LOOPBACK_ADDRESSES, PRIVATE_ADDRESSES, unionOf, type AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { describePeer } from '../model/peer';
import { PortSet } from '../model/port-set';
import { hasPorts, protocolName, type Protocol } from '../model/protocol';
import { branchesCompatible, type Branched } from '../model/branch';
import type { Rule } from '../model/rule';
import type { Target } from '../model/target';
import { defineCheck, type FindingSpec } from './define-check';
import { cappedList, carvingDenyCondition, exceptionsWhen } from './fw101-world-union';
import { DEFAULT_MAX_PORTS } from './fw103-wide-port-range';
import { worldOpenEgress } from './fw104-world-egress-sets';
import { distinctPeerTexts, grantsByRule, writtenPlaceOf, writtenRuleIgnoreKey, writtenRuleParts } from './written-rules';

/** The protocols whose rules carry ports (TCP, UDP, SCTP), as numbers. */
const PORTED_PROTOCOLS = [6, 17, 132];

export default defineCheck({
  id: 'FW102',
  name: 'all-traffic',
  defaultSeverity: 'high',
  summary: 'A rule allows every protocol, or every TCP/UDP port, to or from a peer other than the group itself',
  precision: 'very-high',
  tags: ['security', 'network', 'least-privilege', 'external/cwe/cwe-284'],
  messages: {
    // `left` is empty unless deny rules take part of the rule out: then it names what stays open (one message id per
    // kind, so the fingerprint a baseline holds does not change).
    allProtocols: '{target} allows all traffic {direction} {peer}{left}',
    allPorts: '{target} allows every {protocol} port {direction} {peer}{left}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const effective = ctx.effective(target);
    const worldEgress = reportedByWorldOpenEgress(effective);
    // One finding per written place: the items of a netsh RemoteIP list (or of a `dynamic` block) that allow all traffic
    // are reported together.
    const groups = new Map<string, Rule[]>();
    for (const rule of target.rules) {
      // A rule whose ports are unknown (empty) allows nothing known: FW303 reports it instead.
      if (!rule.enabled || rule.action === 'deny' || rule.peer.kind === 'self' || rule.ports.isEmpty()) continue;
      // Loopback is no peer: nothing crosses the network to or from it. All traffic to 127.0.0.1/32 is the placeholder
      // that removes a group's implicit allow-all egress, as fwlint itself advises (FW202).
      if (isLoopbackOnly(rule)) continue;
      const allProtocols = rule.protocol.kind === 'any';
      if (!allProtocols && !(hasPorts(rule.protocol) && rule.ports.isAll())) continue;
      // World-wide egress on everything is FW104's case (the vendors' "basic" outbound rule), also when the world is
      // split over several rules (`0.0.0.0/1` + `128.0.0.0/1`); don't report it twice. Only where FW104 does report
      // it: a deny ahead of it (a NACL blocking tcp/25) leaves the rule world-open on all ports but one, which FW104
      // does not flag, and which must not pass unreported.
      if (rule.direction === 'out' && worldEgress.has(rule)) continue;
      const key = `${writtenPlaceOf(rule)}\u0000${protocolName(rule.protocol)}\u0000${writtenRuleIgnoreKey(target, ctx, rule)}`;
      const group = groups.get(key);
      if (group) group.push(rule);
      else groups.set(key, [rule]);
    }
    const findings: FindingSpec[] = [];
    if (groups.size === 0) return findings;
    // Judged on what the rules effectively allow (the effective set): deny rules that take precedence (a lower NACL
    // entry, a higher-priority NSG or GCP deny, a Windows block rule) take their part out first.
    const grants = grantsByRule(effective);
    for (const rules of groups.values()) {
      const rule = rules[0]!;
      const left = rules.flatMap((each) => grants.get(each) ?? []);
      // What denies that exist only under a condition take out is open only where they are absent (`Grant.when`).
      const always = left.filter((grant) => grant.when === undefined);
      if (always.length === left.length) {
        // Denies took all of it (FW301's finding), or all but a few ports or protocols (FW101 and FW103 judge those).
        if (leavesAllTraffic(rule.protocol, left)) findings.push(findingOf(target, rules, left, rules.some((each) => !grantedAsWritten(each, grants.get(each)))));
        continue;
      }
      if (leavesAllTraffic(rule.protocol, always)) {
        // All traffic in every case: what the denies under conditions take out is named with their condition.
        findings.push(findingOf(target, rules, left, !coveredAsWritten(rules, left), conditionalExceptions(target, rules, left.filter((grant) => grant.when !== undefined))));
        continue;
      }
      // All traffic only where some denies under a condition are absent: a finding under each such condition, as FW103.
      const byCondition = new Map<string, Grant[]>();
      for (const grant of left) if (grant.when?.branch !== undefined) byCondition.set(grant.when.branch, [...(byCondition.get(grant.when.branch) ?? []), grant]);
      const underConditions: FindingSpec[] = [];
      for (const [branch, conditional] of byCondition) {
        const open = [...always, ...conditional];
        if (!leavesAllTraffic(rule.protocol, open)) continue;
        // Under this condition, what grants of other conditions that can hold with it add is open only where further
        // denies under a condition are absent: each named with its deny's own condition (`tcp/25 when var.a`).
        const when = conditional[0]!.when!;
        const alsoOpen = left.filter((grant) => grant.when?.branch !== undefined && grant.when.branch !== branch && branchesCompatible(grant.when, when));
        const judged = [...open, ...alsoOpen];
        const spec = findingOf(target, rules, judged, !coveredAsWritten(rules, judged), conditionalExceptions(target, rules, alsoOpen, when));
        spec.branch = branch;
        underConditions.push(spec);
      }
      // Beside the rule's findings under other conditions, told apart by the condition; alone, the fingerprint it had.
      if (underConditions.length > 1) for (const spec of underConditions) spec.key = spec.branch;
      findings.push(...underConditions);
    }
    return findings;
  },
});

/** A rule whose peer is addresses, all of them loopback. */
function isLoopbackOnly(rule: Rule): boolean {
  return rule.peer.kind === 'addresses' && !rule.peer.addresses.isEmpty() && LOOPBACK_ADDRESSES.containsAll(rule.peer.addresses);
}

/**
 * The finding on rules at one written place that allow all traffic, judged on what is left of them (`left`), which
 * deny rules that take precedence `reduced`; with `exceptions`, what denies under conditions take out of that.
 */
function findingOf(target: Target, rules: Rule[], left: readonly Grant[], reduced: boolean, exceptions?: ReturnType<typeof conditionalExceptions>): FindingSpec {
  const rule = rules[0]!;
  const peer = distinctPeerTexts(rules);
  const direction = rule.direction === 'in' ? 'from' : 'to';
  const wholePeer = wholePeerName(rules, peer);
  // The message lists a few port ranges or ICMP types and counts the rest; `properties.traffic` keeps them all.
  const leftText = reduced ? describeLeft(left, direction, wholePeer, profileBits(rule)) : '';
  const leftMessage = reduced ? describeLeft(left, direction, wholePeer, profileBits(rule), MAX_LISTED_ITEMS) : '';
  const openPorts = reduced ? left.reduce((ports, grant) => ports.union(grant.ports), PortSet.EMPTY) : rule.ports;
  const except = exceptions ? `except ${exceptionsWhen(exceptions)}` : '';
  const spec: FindingSpec = {
    messageId: rule.protocol.kind === 'any' ? 'allProtocols' : 'allPorts',
    rule,
    data: {
      target: target.id,
      protocol: protocolName(rule.protocol),
      direction,
      peer,
      // A Windows rule on some profiles only says which, as FW101 does; what denies leave names its own.
      left: reduced ? ` (deny rules that take precedence leave ${leftMessage} open${except ? `, ${except}` : ''})` : except ? ` (${except})` : profilesNote(profileBits(rule)),
    },
    severity: left.some(isPublicGrant) ? 'high' : 'medium',
    properties: {
      ...(reduced
        ? { protocol: protocolName(rule.protocol), ports: openPorts.toString(), writtenPorts: rule.ports.toString(), peer, traffic: leftText }
        : { protocol: protocolName(rule.protocol), ports: rule.ports.toString(), peer }),
      ...(exceptions ? { exceptWhen: exceptions.map(({ text, condition }) => ({ traffic: text, when: condition })) } : {}),
    },
  };
  if (reduced || exceptions) spec.traffic = left.map(({ protocols, ports }) => ({ protocols, ports }));
  if (rules.length > 1) spec.rules = rules;
  const parts = writtenRuleParts(spec.messageId, rules);
  if (parts) spec.mergedParts = parts;
  return spec;
}

/**
 * What denies that exist only under a condition take out of the rules (the grants open only where they are absent),
 * by the denies' condition, as FW101 and FW104 name such exceptions (`tcp/25 when var.strict`): the traffic, and its
 * addresses where those are not all the rules'. Each condition is the deny's less what the finding's condition `when`
 * says already (`var.a`, not `var.a and !var.b`, under `when !var.b`). A keyword peer's grant (`LocalSubnet`) has no
 * addresses: a deny of that keyword or of every address carves it. A grant no such deny explains stays in
 * what is left, unnamed, as before conditions were named. Undefined when none is named.
 */
function conditionalExceptions(target: Target, rules: Rule[], conditional: readonly Grant[], when: Branched = rules[0]!): Array<{ text: string; condition: string }> | undefined {
  const rule = rules[0]!;
  const direction = rule.direction === 'in' ? 'from' : 'to';
  const written = unionOf(rules.flatMap((each) => (each.peer.kind === 'addresses' ? [each.peer.addresses] : [])));
  const byCondition = new Map<string, Grant[]>();
  for (const grant of conditional) {
    // A grant without addresses is of a keyword peer (`LocalSubnet`), which denies of it or of a whole family carve.
    const condition = carvingDenyCondition(target, [grant.rule], grant.addresses, [{ protocols: grant.protocols, ports: grant.ports }], when);
    if (condition !== undefined) byCondition.set(condition, [...(byCondition.get(condition) ?? []), grant]);
  }
  if (byCondition.size === 0) return undefined;
  return [...byCondition].map(([condition, grants]) => {
    // By addresses, named as FW101 names its exceptions (a few CIDRs, the rest counted), or not at all where they are
    // the rules' own (or a keyword's, which has none): `tcp/25`, `tcp/22 from 0.0.0.0/5, 8.0.0.0/7, 11.0.0.0/8,
    // 12.0.0.0/6 and 3 more`.
    const byAddresses = new Map<string, { addresses: AddressSet | undefined; parts: TrafficPart[] }>();
    for (const grant of grants) {
      const key = grant.addresses?.toString() ?? '';
      let entry = byAddresses.get(key);
      if (!entry) byAddresses.set(key, (entry = { addresses: grant.addresses, parts: [] }));
      addPart(entry.parts, grant);
    }
    const texts = [...byAddresses.values()].map(({ addresses, parts }) => `${describeParts(parts, MAX_LISTED_ITEMS)}${addresses === undefined || addresses.equals(written) ? '' : ` ${direction} ${cappedList(cidrsOf(addresses))}`}`);
    return { text: texts.join(' and '), condition };
  });
}

/**
 * Whether the rules' grants (what is left of them, under any condition) are all of the rules as written: no deny that
 * exists in every case took part of them out. Exact, box by box (`subtractAll`).
 */
function coveredAsWritten(rules: readonly Rule[], left: readonly Grant[]): boolean {
  return rules.every((rule) => {
    const own = left.filter((grant) => grant.rule === rule);
    if (own.some((grant) => grant.profiles !== profileBits(rule) || (grant.addresses === undefined) !== (rule.peer.kind !== 'addresses'))) return false;
    const written: TrafficBox = { protocols: protocolSet(rule.protocol), ports: rule.ports, ...(rule.peer.kind === 'addresses' ? { addresses: rule.peer.addresses } : {}) };
    return subtractAll([written], own.map((grant) => ({ protocols: grant.protocols, ports: grant.ports, ...(grant.addresses ? { addresses: grant.addresses } : {}), ...(grant.icmp ? { icmp: grant.icmp } : {}) }))).length === 0;
  });
}

/**
 * Whether what a rule of every protocol, or of every port of one, effectively allows still is "all traffic" in kind:
 * more than half of the protocols (every protocol but TCP and UDP is still all traffic), or more ports of TCP, UDP or
 * SCTP than FW103 calls a wide range (every TCP port but 25 is; tcp/443 alone is not).
 */
function leavesAllTraffic(protocol: Protocol, left: readonly Grant[]): boolean {
  if (left.length === 0) return false;
  if (protocol.kind === 'any') {
    const protocols = left.reduce((union, grant) => union.union(grant.protocols), IntervalSet.EMPTY);
    if (protocols.size() > 128n) return true;
  }
  for (const number of PORTED_PROTOCOLS) {
    if (protocol.kind === 'number' && protocol.value !== number) continue;
    let ports = PortSet.EMPTY;
    for (const grant of left) if (grant.protocols.has(BigInt(number))) ports = ports.union(grant.ports);
    if (ports.size() > DEFAULT_MAX_PORTS) return true;
  }
  return false;
}

/** Whether a rule's grants are the rule as written: no deny took anything out of it. */
function grantedAsWritten(rule: Rule, grants: readonly Grant[] | undefined): boolean {
  if (grants === undefined || grants.length !== 1) return false;
  const [grant] = grants as [Grant];
  if (grant.icmp !== undefined || grant.profiles !== profileBits(rule) || !grant.ports.equals(rule.ports) || !grant.protocols.equals(protocolSet(rule.protocol))) return false;
  if (rule.peer.kind !== 'addresses') return grant.addresses === undefined;
  return grant.addresses !== undefined && grant.addresses.equals(rule.peer.addresses);
}

/**
 * High when some of what is left reaches outside private address space. Egress to the whole internet that FW104 left
 * here (a deny takes part of it out) keeps FW104's severity: it is less open than the rule FW104 reports as medium, so
 * it must not rank above it.
 */
function isPublicGrant(grant: Grant): boolean {
  if (grant.addresses === undefined || PRIVATE_ADDRESSES.containsAll(grant.addresses)) return false;
  const written = grant.rule.peer;
  return !(grant.direction === 'out' && written.kind === 'addresses' && written.addresses.coversWorld());
}

/**
 * What is left of the rules. Where Windows block rules apply on some profiles only, what is left differs by profile:
 * each set of profiles is named as FW101 names it (`tcp/22 from ::/0 (profiles: private, public)`), all profiles
 * first, unless all that is left is on the profiles the rules are written for (the only case off Windows).
 */
function describeLeft(left: readonly Grant[], direction: string, written: string, writtenProfiles: number, maxItems?: number): string {
  const byProfiles = new Map<number, Grant[]>();
  for (const grant of left) {
    const grants = byProfiles.get(grant.profiles);
    if (grants) grants.push(grant);
    else byProfiles.set(grant.profiles, [grant]);
  }
  if (byProfiles.size === 1 && byProfiles.has(writtenProfiles)) return describeByPeer(left, direction, written, maxItems);
  // More profiles first: every profile (7), then private and public (6), …
  return [...byProfiles].sort(([a], [b]) => b - a).map(([profiles, grants]) => `${describeByPeer(grants, direction, written, maxItems)}${profilesNote(profiles)}`).join(' and ');
}

/**
 * What is left of the rules, per set of addresses: `tcp/0-24, 26-65535 to 0.0.0.0/0`. Sets that take many CIDRs to
 * write (what a deny of one host leaves of `0.0.0.0/0`: 32 prefixes) are "parts of" the written peer, their traffic
 * together: the message names what stays open, not every prefix of it.
 */
function describeByPeer(left: readonly Grant[], direction: string, written: string, maxItems?: number): string {
  const byPeer = new Map<string, TrafficPart[]>();
  const partial: TrafficPart[] = [];
  for (const grant of left) {
    const peer = grant.addresses !== undefined ? grant.addresses.toString() : describePeer(grant.rule.peer);
    let parts = peer.length > LONG_PEER_TEXT ? partial : byPeer.get(peer);
    if (parts === undefined) byPeer.set(peer, (parts = []));
    addPart(parts, grant);
  }
  const texts = [...byPeer].map(([peer, parts]) => `${describeParts(parts, maxItems)} ${direction} ${peer}`);
  if (partial.length > 0) texts.push(`${describeParts(partial, maxItems)} ${direction} parts of ${written}`);
  return texts.join(' and ');
}

/**
 * The written peer as the addresses it stands for, as FW101 names them, with the written text where it is a keyword:
 * Azure's `*` is `0.0.0.0/0, ::/0 (*)` ("parts of *" told nothing), a CIDR stays as written.
 */
function wholePeerName(rules: readonly Rule[], written: string): string {
  let addresses: AddressSet | undefined;
  for (const rule of rules) {
    if (rule.peer.kind !== 'addresses') return written;
    addresses = addresses === undefined ? rule.peer.addresses : addresses.union(rule.peer.addresses);
  }
  const cidrs = addresses === undefined ? written : cidrText(addresses);
  return cidrs === written || cidrs.length > LONG_PEER_TEXT ? written : `${cidrs} (${written})`;
}

/** A peer text longer than this (about three CIDRs) is summarised as "parts of" the written peer. */
const LONG_PEER_TEXT = 60;

interface TrafficPart {
  protocols: IntervalSet;
  ports: PortSet;
  icmp: IntervalSet | undefined;
}

/** Adds a grant's traffic to `parts`: pieces that differ only in their ports read as one. */
function addPart(parts: TrafficPart[], grant: Grant): void {
  const same = parts.find((part) => part.protocols.equals(grant.protocols) && (part.icmp === undefined ? grant.icmp === undefined : grant.icmp !== undefined && part.icmp.equals(grant.icmp)));
  if (same) same.ports = same.ports.union(grant.ports);
  else parts.push({ protocols: grant.protocols, ports: grant.ports, icmp: grant.icmp });
}

function describeParts(parts: TrafficPart[], maxItems?: number): string {
  parts.sort((a, b) => Number(a.protocols.first()! - b.protocols.first()!));
  return parts.map((part) => describeTraffic(part.protocols, part.ports, part.icmp, maxItems)).join('; ');
}

/**
 * The egress rules FW104 reports in full: every part of what each effectively allows is world-open on every port,
 * alone or together with the target's other rules (as FW104 judges it, on the effective set).
 */
function reportedByWorldOpenEgress(effective: EffectiveSet): Set<Rule> {
  const { pieces, alone, combined } = worldOpenEgress(effective);
  const inFull = new Map<Rule, boolean>();
  const onlyConditional: Rule[] = [];
  for (const piece of pieces) {
    // Half the internet on every protocol stays FW102's even when another rule's other half makes TCP alone world-open.
    const reported = alone.has(piece) || combined.get(piece)?.containsAll(piece.protocols) === true;
    // What a rule opens only where a deny under a condition does not exist (`8.8.8.0/24` when `!var.strict`) is in
    // FW104's finding on the rest of the rule, as its conditional exception: unreported alone, it keeps no rule FW102's.
    if (!reported && piece.when !== undefined) {
      if (piece.rules === undefined) onlyConditional.push(piece.rule);
      else onlyConditional.push(...piece.rules);
      continue;
    }
    if (piece.rules === undefined) inFull.set(piece.rule, (inFull.get(piece.rule) ?? true) && reported);
    else for (const rule of piece.rules) inFull.set(rule, (inFull.get(rule) ?? true) && reported);
  }
  // A rule FW104 reports nothing of (all it opens is under such conditions) stays FW102's.
  for (const rule of onlyConditional) if (!inFull.has(rule)) inFull.set(rule, false);
  const rules = new Set<Rule>();
  for (const [rule, reported] of inFull) if (reported) rules.add(rule);
  return rules;
}
