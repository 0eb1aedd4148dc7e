import { conditionOf, constructOf, entriesByConstruct, rulesOf, type ConstructPiece } from '../engine/construct-pieces';
import { cidrText } from '../engine/set-facts';
import { describeTraffic } from '../engine/traffic';
import { unionOf } from '../model/address-set';
import type { Branched } from '../model/branch';
import type { IntervalSet } from '../model/interval-set';
import type { PortSet } from '../model/port-set';
import type { Target } from '../model/target';
import { implicitEgressCause, standaloneEgressNames } from './shared-rule-advice';
import { rulesInOrder, type Rule } from '../model/rule';
import { defineCheck, writtenPlaceKey, type FindingSpec } from './define-check';
import { carvedAddresses, conditionalPiecesByConstruct, distinctKeys, exceptionsUnderConditions, narrowerCondition, withCarvingDenies } from './fw101-world-union';
import { worldOpenEgress, type CombinedEgress, type EgressPiece } from './fw104-world-egress-sets';

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
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const { pieces, alone, combinedUnder } = worldOpenEgress(ctx.effective(target));
    // One finding per written place and condition: the items of a netsh RemoteIP list, or of a `dynamic` block, are
    // reported together (see `writtenPlaceKey`).
    const groups = new Map<Rule | string, Map<string | undefined, EgressEntry[]>>();
    for (const piece of pieces) {
      const entries: readonly CombinedEgress[] = alone.has(piece) ? [{ protocols: piece.protocols, when: conditionOf(piece), together: [piece] }] : withoutImplied(combinedUnder.get(piece) ?? []);
      for (const { when, protocols: open, together } of entries) {
        const protocols = open.intersect(piece.protocols);
        if (protocols.isEmpty()) continue;
        const construct = constructOf(piece);
        const place = (construct.synthetic ? undefined : writtenPlaceKey(construct)) ?? construct;
        let byBranch = groups.get(place);
        if (!byBranch) groups.set(place, (byBranch = new Map()));
        const group = byBranch.get(when.branch);
        if (group) group.push({ piece, protocols, when, together });
        else byBranch.set(when.branch, [{ piece, protocols, when, together }]);
      }
    }
    const conditional = conditionalPiecesByConstruct(pieces, constructOf);
    const findings: FindingSpec[] = [];
    for (const group of [...groups.values()].flatMap((byBranch) => [...byBranch.values()])) {
      const byConstruct = entriesByConstruct(group);
      const spec = findingOf(target, group, byConstruct.length > 1, conditional);
      if (byConstruct.length > 1) spec.mergedParts = byConstruct.map((entries) => findingOf(target, entries, false, conditional));
      findings.push(spec);
    }
    return distinctKeys(findings);
  },
});

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
