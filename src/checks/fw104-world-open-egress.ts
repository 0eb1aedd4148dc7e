import { conditionOf, constructOf, constructPieces, entriesByConstruct, rulesOf, type ConstructPiece } from '../engine/construct-pieces';
import type { EffectiveSet } from '../engine/effective';
import { cidrsOf, cidrText } from '../engine/set-facts';
import { describeTraffic, unresolvedPortsAreOnePort, unresolvedPortsTraffic, unresolvedProtocolTraffic } from '../engine/traffic';
import { unionOf } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import type { Branched } from '../model/branch';
import type { Target } from '../model/target';
import { implicitEgressCause, standaloneEgressNames } from './shared-rule-advice';
import { rulesInOrder, type Rule } from '../model/rule';
import { defineCheck, writtenPlaceKey, type FindingSpec } from './define-check';
import { cappedList, carvedAddresses, conditionalPiecesByConstruct, distinctKeys, exceptionsUnderConditions, narrowerCondition, withCarvingDenies } from './fw101-world-union';
import { isWorldOpenEgress, worldOpenEgress, type CombinedEgress, type EgressPiece } from './fw104-world-egress-sets';

export default defineCheck({
  id: 'FW104',
  name: 'world-open-egress',
  defaultSeverity: 'medium',
  summary: 'Egress allowed to the whole internet on all ports (the vendors\' "basic" outbound rule)',
  precision: 'very-high',
  tags: ['security', 'network', 'exfiltration', 'least-privilege'],
  messages: {
    worldOpenEgress: '{target} allows egress to {peer} on {traffic}{origin}',
    worldOpenEgressCombined: '{target} allows egress to {peer} on {traffic}, which together with its other rules opens it to the whole internet{origin}',
    // As FW101 names rules whose ports or protocol could not be resolved: `traffic` is `tcp/<unresolved: var.port>`
    // or `<unresolved protocol: var.proto>` (with its ports); `open` what of it may be open (`any port`, `any protocol
    // but tcp`), `unresolved` `protocol` or `protocol and ports`.
    worldOpenEgressUnresolvedPorts: '{target} allows egress to {peer} on {traffic}: its ports could not be resolved statically, so {open} may be open',
    worldOpenEgressUnresolvedProtocol: '{target} allows egress to {peer} on {traffic}: its {unresolved} could not be resolved statically, so {open} may be open',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const { pieces, alone, combinedUnder } = worldOpenEgress(ctx.effective(target));
    // One finding per written place and condition: the items of a netsh RemoteIP list, or of a `dynamic` block, are
    // reported together (see `writtenPlaceKey`). A place's groups, one per condition, in a list: a place has one or
    // two (a map per place was most of this check's maps).
    const groups = new Map<Rule | string, EgressEntry[][]>();
    // The config `ignore:` entries that accept each group's entries, where the config limits some by ports or peer:
    // entries of one place accepted by different ones are not joined (`CheckContext.ignoreKey`).
    const { ignoreKey } = ctx;
    const accepted = ignoreKey && new Map<EgressEntry[], string>();
    const add = (piece: ConstructPiece, entry: EgressEntry): void => {
      const construct = constructOf(piece);
      const place = (construct.synthetic ? undefined : writtenPlaceKey(construct)) ?? construct;
      const byBranch = groups.get(place);
      const key = ignoreKey?.(target, rulesOf(piece), [{ protocols: entry.protocols, ports: piece.ports }]);
      const group = byBranch?.find((each) => each[0]!.when.branch === entry.when.branch && accepted?.get(each) === key);
      if (group) group.push(entry);
      else {
        const created = [entry];
        accepted?.set(created, key!);
        if (byBranch) byBranch.push(created);
        else groups.set(place, [created]);
      }
    };
    for (const piece of pieces) {
      if (alone.has(piece)) {
        // World-open by itself, on all its protocols: no intersection of them with themselves (a new set per piece).
        add(piece, { piece, protocols: piece.protocols, when: conditionOf(piece), together: [piece] });
        continue;
      }
      for (const { when, protocols: open, together } of withoutImplied(combinedUnder.get(piece) ?? [])) {
        const protocols = open.intersect(piece.protocols);
        if (!protocols.isEmpty()) add(piece, { piece, protocols, when, together });
      }
    }
    const conditional = conditionalPiecesByConstruct(pieces, constructOf);
    const findings: FindingSpec[] = [];
    for (const byBranch of groups.values()) {
      for (const group of byBranch) {
        const byConstruct = entriesByConstruct(group);
        const spec = findingOf(target, group, byConstruct.length > 1, conditional);
        if (byConstruct.length > 1) spec.mergedParts = byConstruct.map((entries) => findingOf(target, entries, false, conditional));
        findings.push(spec);
      }
    }
    findings.push(...unresolvedEgressFindings(target, ctx.effective(target)));
    return distinctKeys(findings);
  },
});

/**
 * Egress rules to the whole internet whose ports or protocol could not be resolved (`unresolvedTraffic`; FW303 names
 * the value), judged as FW101 judges such ingress: on all the value could be, less the denies that take precedence.
 * Reported where that may be this check's case, every protocol or every TCP or UDP port (`isWorldOpenEgress`: a
 * `protocol = var.proto`, which may be `-1`; `from_port = var.lo`, `to_port = var.hi` of tcp, which may be
 * `0`-`65535`); not where denies leave less, nor for one port of unknown number (`unresolvedPortsAreOnePort`). Judged
 * alone, as FW101 does, one finding per written place, kind of value and condition.
 */
function unresolvedEgressFindings(target: Target, effective: EffectiveSet): FindingSpec[] {
  const pieces = constructPieces(effective.unresolvedTraffic.out);
  // Almost every target has none: no groups for them.
  if (pieces.length === 0) return [];
  const groups = new Map<Rule | string, Map<string, ConstructPiece[]>>();
  for (const piece of pieces) {
    if (!isWorldOpenEgress(piece)) continue;
    // One port of unknown number (`from_port = to_port = var.port`, `Port.tcp(props.port)`) is never every port.
    if (piece.rule.protocol.kind !== 'unknown' && rulesOf(piece).every(unresolvedPortsAreOnePort)) continue;
    const construct = constructOf(piece);
    const place = writtenPlaceKey(construct) ?? construct;
    let byKind = groups.get(place);
    if (!byKind) groups.set(place, (byKind = new Map()));
    // Rules of an unresolved protocol and rules on unresolved ports are told apart even at one place.
    const kind = `${piece.rule.protocol.kind === 'unknown' ? 'protocol' : 'ports'}\u0000${conditionOf(piece).branch ?? ''}`;
    const group = byKind.get(kind);
    if (group) group.push(piece);
    else byKind.set(kind, [piece]);
  }
  const conditional = conditionalPiecesByConstruct(pieces, constructOf);
  return [...groups.values()].flatMap((byKind) => [...byKind.values()]).map((group) => unresolvedEgressFindingOf(target, group, conditional));
}

/** The finding on pieces of one place, kind of unresolved value and condition (`unresolvedEgressFindings`). */
function unresolvedEgressFindingOf(target: Target, group: readonly ConstructPiece[], conditional: ReadonlyMap<Rule, readonly ConstructPiece[]> | undefined): FindingSpec {
  const rules = rulesInOrder(target.rules, group.flatMap(rulesOf));
  const rule = rules[0]!;
  const addresses = unionOf(group.map((piece) => piece.addresses));
  const possiblePorts = group.reduce((ports, piece) => ports.union(piece.ports), PortSet.EMPTY);
  const when = conditionOf(group[0]!);
  let spec: FindingSpec;
  if (rule.protocol.kind === 'unknown') {
    const protocols = group.reduce((set, piece) => set.union(piece.protocols), IntervalSet.EMPTY);
    const { traffic, unresolved, open, properties } = unresolvedProtocolTraffic(rules, protocols, possiblePorts);
    const carved = carvedAddresses(addresses, rules);
    spec = {
      messageId: 'worldOpenEgressUnresolvedProtocol',
      rule,
      data: { target: target.id, peer: carved?.text ?? cappedList(cidrsOf(addresses)), traffic, unresolved, open },
      key: traffic,
      properties: { traffic, peer: cidrText(addresses), synthetic: false, ...properties },
      // A config `ignore:` entry must hold every protocol and port the value could be.
      traffic: [{ protocols, ports: possiblePorts }],
    };
    if (carved !== undefined) withCarvingDenies(spec, target, rules, carved.excluded);
  } else {
    const { traffic, protocols, open, expressions } = unresolvedPortsTraffic(rules, possiblePorts);
    const exceptions = conditional && exceptionsUnderConditions(target, group.map(constructOf), conditional, addresses, rules, [{ protocols, ports: possiblePorts }], when, group[0]!.profiles);
    const carved = exceptions ?? carvedAddresses(addresses, rules);
    spec = {
      messageId: 'worldOpenEgressUnresolvedPorts',
      rule,
      data: { target: target.id, peer: carved?.text ?? cappedList(cidrsOf(addresses)), traffic, open },
      key: traffic,
      properties: { traffic, peer: cidrText(addresses), synthetic: false, unresolvedPorts: expressions, possiblePorts: possiblePorts.toString(), ...(exceptions ? { exceptWhen: exceptions.exceptWhen } : {}) },
      // A config `ignore:` entry's `ports` must hold every port the value could be.
      traffic: [{ protocols, ports: possiblePorts }],
    };
    if (carved !== undefined) withCarvingDenies(spec, target, rules, carved.excluded);
  }
  if (rules.length > 1) spec.rules = rules;
  const byConstruct = entriesByConstruct(group.map((piece) => ({ piece })));
  if (byConstruct.length > 1) spec.mergedParts = byConstruct.map((entries) => unresolvedEgressFindingOf(target, entries.map(({ piece }) => piece), conditional));
  if (when.branch !== rule.branch) spec.branch = when.branch;
  return spec;
}

interface EgressEntry {
  piece: ConstructPiece;
  protocols: IntervalSet;
  when: Branched;
  /** The pieces it is world-open with (itself alone when it is so by itself). */
  together: readonly EgressPiece[];
}

/**
 * The finding on the pieces of one place under one condition. `united`: they are of several written rules (the items
 * of a `dynamic` block), whose traffic is named as one union (protocols of equal ports joined), not rule by rule.
 */
function findingOf(target: Target, group: EgressEntry[], united: boolean, conditional: ReadonlyMap<Rule, readonly ConstructPiece[]> | undefined): FindingSpec {
  const single = group.length === 1 ? group[0]!.piece : undefined;
  const traffic = single
    ? describeTraffic(group[0]!.protocols, single.ports)
    : united
      ? unitedTraffic(group).map(({ protocols, ports }) => describeTraffic(protocols, ports)).join('; ')
      : group.map(({ piece, protocols }) => describeTraffic(protocols, piece.ports)).join('; ');
  const addresses = single ? single.addresses : unionOf(group.map(({ piece }) => piece.addresses));
  const rules = single && single.rules === undefined ? [single.rule] : rulesInOrder(target.rules, group.flatMap(({ piece }) => rulesOf(piece)));
  const rule = rules[0]!;
  const peer = cidrText(addresses);
  // Addresses its rules open only where a deny under a condition does not exist are no exception in every case.
  const exceptions = conditional && exceptionsUnderConditions(target, group.map(({ piece }) => constructOf(piece)), conditional, addresses, rules, group.map(({ piece, protocols }) => ({ protocols, ports: piece.ports })), group[0]!.when, group[0]!.piece.profiles);
  const carved = exceptions ?? carvedAddresses(addresses, rules);
  const spec: FindingSpec = {
    // Combined only with rules outside the finding: the items of one `dynamic` block over both halves of the internet
    // are world-open by their own union.
    messageId: group.every(({ together }) => together.every((piece) => group.some((entry) => entry.piece === piece))) ? 'worldOpenEgress' : 'worldOpenEgressCombined',
    rule,
    data: { target: target.id, peer: carved?.text ?? peer, traffic, origin: originOf(rule, target) },
    key: traffic,
    properties: { traffic, peer, synthetic: rule.synthetic === true, ...(exceptions ? { exceptWhen: exceptions.exceptWhen } : {}) },
  };
  // Worded as combined before a combination all of the finding's own rules read as plain: a baseline entry still matches.
  if (spec.messageId === 'worldOpenEgress' && !group.every(({ piece, together }) => together.length === 1 && together[0] === piece)) spec.formerMessageId = 'worldOpenEgressCombined';
  if (rules.length > 1) spec.rules = rules;
  spec.traffic = group.map(({ piece, protocols }) => ({ protocols, ports: piece.ports }));
  if (carved !== undefined) withCarvingDenies(spec, target, rules, carved.excluded);
  const branch = group[0]!.when.branch;
  if (branch !== rule.branch) spec.branch = branch;
  return spec;
}

/** The entries' traffic as exact sets: protocols of equal ports joined, in order of first appearance. */
function unitedTraffic(group: readonly EgressEntry[]): Array<{ protocols: IntervalSet; ports: PortSet }> {
  const united: Array<{ protocols: IntervalSet; ports: PortSet }> = [];
  for (const { piece, protocols } of group) {
    const same = united.find((each) => each.ports.equals(piece.ports));
    if (same) same.protocols = same.protocols.union(protocols);
    else united.push({ protocols, ports: piece.ports });
  }
  return united;
}

/** A piece's combinations without those another says under fewer conditions on the same protocols (see FW101's). */
function withoutImplied(entries: readonly CombinedEgress[]): readonly CombinedEgress[] {
  if (entries.length < 2) return entries;
  return entries.filter((entry) => !entries.some((other) => narrowerCondition(entry.when, other.when) && other.protocols.containsAll(entry.protocols)));
}

/** Why a rule nobody wrote is there: CDK L2's `allowAllOutbound` default, or AWS's default for a group without egress. */
function originOf(rule: Rule, target: Target): string {
  if (!rule.synthetic) return '';
  // The CDK parser names the default rule after the L2 property that creates it (`App.allowAllOutbound#0`).
  const setting = rule.kind === 'cdk' ? /\.(allowAll(?:Ipv6)?Outbound)$/.exec(rule.resourceAddress)?.[1] : undefined;
  if (setting) return ` (CDK's default egress: ${setting} is not set to false, and egress rules added to the group do not remove it)`;
  const standalone = standaloneEgressNames(target);
  return standalone.length === 0
    ? ` (the platform's implicit default egress, added because ${implicitEgressCause(standalone)})`
    : ` (the platform's implicit default egress: ${implicitEgressCause(standalone)})`;
}
