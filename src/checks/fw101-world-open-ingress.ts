import { conditionOf, constructOf, constructPieces, entriesByConstruct, rulesOf, type ConstructPiece } from '../engine/construct-pieces';
import { profilesNote } from '../engine/effective';
import { ALL_ICMP_MESSAGES, icmpEntries, icmpVersionOf, icmpWitness, type IcmpTypeEntry } from '../engine/icmp';
import { describeTraffic, MAX_LISTED_ITEMS, sensitiveServices, unresolvedPortsTraffic, unresolvedProtocolTraffic } from '../engine/traffic';
import { AddressSet, publicAddressesOf, unionOf } from '../model/address-set';
import { branchWorlds, type Branched } from '../model/branch';
import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import { rulesInOrder, type Rule } from '../model/rule';
import type { Target } from '../model/target';
import { cidrsOf, cidrText } from '../engine/set-facts';
import { defineCheck, writtenPlaceKey, type CheckContext, type FindingSpec } from './define-check';
import { cappedList, carvedAddresses, conditionalPiecesByConstruct, conditionTogether, distinctKeys, exceptionsUnderConditions, mayCoverWorldTogether, narrowerCondition, withCarvingDenies, worldCoveringPieces, type ConditionalExceptions } from './fw101-world-union';

const V4 = 1;
const V6 = 2;

interface WorldOpenPart {
  protocols: IntervalSet;
  ports: PortSet;
  /** The ICMP messages, when `protocols` is exactly ICMPv4 or ICMPv6 (see `icmpMessagesOf`). */
  icmp?: IntervalSet;
  /** The address families this part opens to the world (bits V4, V6; a piece's own addresses may cover both). */
  families: number;
  /** World-open only together with other rules of the target. */
  combined: boolean;
  /** For a combined part, the pieces it is world-open together with (itself among them). */
  together?: readonly ConstructPiece[];
  /**
   * The condition under which it is: its piece's (`conditionOf`), and for a combination the conditions of the pieces
   * it is made with (an unconditional `0.0.0.0/1` is world-open only where a `128.0.0.0/1` under `IsProd` exists).
   */
  when: Branched;
}

export default defineCheck({
  id: 'FW101',
  name: 'world-open-ingress',
  defaultSeverity: 'high',
  summary: 'Ingress allowed from the whole internet',
  precision: 'very-high',
  tags: ['security', 'network', 'external/cwe/cwe-284'],
  messages: {
    // `exposure` is `from {peer} on {traffic}`, once per address family set the rule is open from where they differ
    // (`from ::/0 on tcp/22 and from 0.0.0.0/0, ::/0 on tcp/80`: a deny took tcp/22 from IPv4 out).
    worldOpen: '{target} allows ingress {exposure}{where}',
    worldOpenCombined: '{target} allows ingress {exposure}, which together with its other rules opens it to the whole internet{where}',
    // `exposure` names the ports by the value that could not be resolved (`from 0.0.0.0/0 on tcp/<unresolved: !Ref
    // Port>`); `open` is `any port`, or `any port but tcp/22` where denies or `publicPorts` take some out.
    worldOpenUnresolvedPorts: '{target} allows ingress {exposure}{where}: its ports could not be resolved statically, so {open} may be open',
    // `exposure` names the protocol by the value (`from 0.0.0.0/0 on <unresolved protocol: var.proto> port 22`, and
    // `port <unresolved: var.port>` where the ports are unresolved too); `unresolved` is `protocol` or `protocol and
    // ports`, `open` is `any protocol`, or `any protocol but tcp` where denies take some out.
    worldOpenUnresolvedProtocol: '{target} allows ingress {exposure}{where}: its {unresolved} could not be resolved statically, so {open} may be open',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    // One piece list per written rule: the items of a netsh RemoteIP list are judged, and reported, together.
    const pieces = constructPieces(ctx.effective(target).in);
    const parts = new Map<ConstructPiece, WorldOpenPart[]>();
    const partial: ConstructPiece[] = [];
    for (const piece of pieces) {
      const { addresses } = piece;
      if (!addresses.coversInternetOnAnyFamily()) {
        partial.push(piece);
        continue;
      }
      const part: WorldOpenPart = { protocols: piece.protocols, ports: piece.ports, families: familiesOf(addresses), combined: false, when: conditionOf(piece) };
      if (piece.icmp) part.icmp = piece.icmp;
      parts.set(piece, [part]);
    }
    // Only rules that can exist together are combined: the two branches of an undecidable condition never are. No
    // world is formed where not even all the pieces together can cover a family (most targets).
    if (mayCoverWorldTogether(partial)) {
      const combinedParts = new Map<ConstructPiece, WorldOpenPart[]>();
      for (const world of branchWorlds(partial, conditionOf)) {
        for (const [piece, part] of worldOpenCombinations(world)) combinedParts.set(piece, [...(combinedParts.get(piece) ?? []), ...part]);
      }
      for (const [piece, part] of combinedParts) parts.set(piece, [...(parts.get(piece) ?? []), ...withoutImplied(part)]);
    }

    const findings: FindingSpec[] = [];
    // One finding per written place (and set of Windows profiles, and condition), naming everything of it that is
    // world-open under that condition. Most targets have nothing world-open: no groups for them.
    if (parts.size > 0) {
      const groups: FindingGroups = new Map();
      for (const [piece, pieceParts] of parts) {
        const exposed = pieceParts.map((part) => withoutPublicPorts(part, ctx)).filter((part) => !part.ports.isEmpty() && !part.protocols.isEmpty());
        addToGroups(groups, piece, exposed, ignoreKeyOf(target, ctx));
      }
      const conditional = conditionalPiecesByConstruct(pieces, constructOf);
      for (const byProfiles of groups.values()) for (const group of byProfiles.values()) findings.push(findingOf(target, group, conditional));
    }
    findings.push(...unresolvedTrafficFindings(target, ctx));
    return distinctKeys(findings);
  },
});

/** The address families (V4, V6) on which addresses cover the internet (`AddressSet.coversInternet`). */
function familiesOf(addresses: AddressSet): number {
  return (addresses.coversInternet(4) ? V4 : 0) | (addresses.coversInternet(6) ? V6 : 0);
}

type FindingGroups = Map<Rule | string, Map<number | string, Array<{ piece: ConstructPiece; parts: WorldOpenPart[] }>>>;

/**
 * Adds a piece's world-open parts to the groups that become findings: by the place where its written rule is shown
 * (one finding for the items of a `dynamic` block, or the ports of a netsh `for` loop: see `writtenPlaceKey`), else
 * by written rule; then by Windows profiles, condition and the config `ignore:` entries that accept them
 * (`CheckContext.ignoreKey`: `ports: tcp/443` accepts the 443 item of `ingress_rules = ["https-443-tcp", "ssh-tcp"]`).
 */
function addToGroups(groups: FindingGroups, piece: ConstructPiece, exposed: WorldOpenPart[], ignoreKey?: (piece: ConstructPiece, parts: readonly WorldOpenPart[]) => string): void {
  const construct = constructOf(piece);
  const place = writtenPlaceKey(construct) ?? construct;
  let byProfiles = groups.get(place);
  for (const [branch, branchParts] of byBranch(exposed)) {
    if (!byProfiles) groups.set(place, (byProfiles = new Map()));
    // Rules at one place under different conditions (the sides of a `dynamic` block's `c ? xs : ys`) stay apart.
    const key = `${piece.profiles}\u0000${branch ?? ''}${ignoreKey === undefined ? '' : `\u0000${ignoreKey(piece, branchParts)}`}`;
    const group = byProfiles.get(key);
    if (group) group.push({ piece, parts: branchParts });
    else byProfiles.set(key, [{ piece, parts: branchParts }]);
  }
}

/** `CheckContext.ignoreKey` of a piece's parts, where the config has entries limited by ports or peer for FW101. */
function ignoreKeyOf(target: Target, ctx: CheckContext<unknown>): ((piece: ConstructPiece, parts: readonly WorldOpenPart[]) => string) | undefined {
  const { ignoreKey } = ctx;
  return ignoreKey && ((piece, parts) => ignoreKey(target, rulesOf(piece), parts.map(({ protocols, ports }) => ({ protocols, ports }))));
}

/**
 * Rules from the whole internet whose ports or protocol could not be resolved (`unresolvedTraffic`; FW303 names the
 * value): open on whichever ports or protocol the value turns out to be, which is never taken as safe. High, not
 * critical: the ports are not known to be sensitive, nor the protocol known to be all traffic. Judged alone (two
 * halves of the internet on unresolved ports need not be on the same ports), and not reported where all the value
 * could be is closed by denies that take precedence or in `publicPorts` (which exempt one protocol only, so never all
 * an unresolved protocol could be).
 */
function unresolvedTrafficFindings(target: Target, ctx: CheckContext<unknown>): FindingSpec[] {
  const pieces = constructPieces(ctx.effective(target).unresolvedTraffic.in);
  // Almost every target has none: no groups for them.
  if (pieces.length === 0) return [];
  // Rules of an unresolved protocol and rules on unresolved ports are told apart even at one place.
  const onUnresolvedPorts: FindingGroups = new Map();
  const ofUnresolvedProtocol: FindingGroups = new Map();
  for (const piece of pieces) {
    const { addresses } = piece;
    if (!addresses.coversInternetOnAnyFamily()) continue;
    const part = withoutPublicPorts({ protocols: piece.protocols, ports: piece.ports, families: familiesOf(addresses), combined: false, when: conditionOf(piece) }, ctx);
    if (part.ports.isEmpty()) continue;
    addToGroups(piece.rule.protocol.kind === 'unknown' ? ofUnresolvedProtocol : onUnresolvedPorts, piece, [part], ignoreKeyOf(target, ctx));
  }
  const conditional = conditionalPiecesByConstruct(pieces, constructOf);
  const findings: FindingSpec[] = [];
  for (const byProfiles of onUnresolvedPorts.values()) for (const group of byProfiles.values()) findings.push(unresolvedPortsFindingOf(target, group, conditional));
  for (const byProfiles of ofUnresolvedProtocol.values()) for (const group of byProfiles.values()) findings.push(unresolvedProtocolFindingOf(target, group));
  return findings;
}

function unresolvedPortsFindingOf(target: Target, group: Array<{ piece: ConstructPiece; parts: WorldOpenPart[] }>, conditional: ConditionalPieces): FindingSpec {
  const rules = rulesInOrder(target.rules, group.flatMap((entry) => rulesOf(entry.piece)));
  const rule = rules[0]!;
  const addresses = unionOf(group.map(({ piece }) => piece.addresses));
  const possible = group.flatMap((entry) => entry.parts).reduce((ports, part) => ports.union(part.ports), PortSet.EMPTY);
  const { traffic, protocols, open, expressions } = unresolvedPortsTraffic(rules, possible);
  const where = profilesNote(group[0]!.piece.profiles);
  const exceptions = conditional && exceptionsUnderConditions(target, group.map(({ piece }) => constructOf(piece)), conditional, addresses, rules, [{ protocols, ports: possible }], group[0]!.parts[0]!.when, group[0]!.piece.profiles);
  const carved = exceptions ?? carvedAddresses(addresses, rules);
  const spec: FindingSpec = {
    messageId: 'worldOpenUnresolvedPorts',
    rule,
    profiles: group[0]!.piece.profiles,
    data: { target: target.id, exposure: `from ${carved?.text ?? cappedList(cidrsOf(addresses))} on ${traffic}`, where, open },
    severity: 'high',
    key: traffic,
    properties: { traffic, peer: cidrText(addresses), sensitiveServices: [], unresolvedPorts: expressions, possiblePorts: possible.toString(), ...(exceptions ? { exceptWhen: exceptions.exceptWhen } : {}) },
    // A config `ignore:` entry's `ports` must hold every port the value could be.
    traffic: [{ protocols, ports: possible }],
  };
  if (rules.length > 1) spec.rules = rules;
  if (carved !== undefined) withCarvingDenies(spec, target, rules, carved.excluded);
  const byConstruct = entriesByConstruct(group);
  if (byConstruct.length > 1) spec.mergedParts = byConstruct.map((entries) => unresolvedPortsFindingOf(target, entries, conditional));
  const branch = group[0]!.parts[0]!.when.branch;
  if (branch !== rule.branch) spec.branch = branch;
  return spec;
}

/**
 * A finding on rules of an unresolved protocol (`Protocol` kind `unknown`), named by the value:
 * `on <unresolved protocol: var.proto> port 22`. Its protocols are every protocol the value could be, less those
 * denies that take precedence close.
 */
function unresolvedProtocolFindingOf(target: Target, group: Array<{ piece: ConstructPiece; parts: WorldOpenPart[] }>): FindingSpec {
  const rules = rulesInOrder(target.rules, group.flatMap((entry) => rulesOf(entry.piece)));
  const rule = rules[0]!;
  const addresses = unionOf(group.map(({ piece }) => piece.addresses));
  const parts = group.flatMap((entry) => entry.parts);
  const protocols = parts.reduce((set, part) => set.union(part.protocols), IntervalSet.EMPTY);
  const possiblePorts = parts.reduce((ports, part) => ports.union(part.ports), PortSet.EMPTY);
  const { traffic, unresolved, open, properties: unresolvedProperties } = unresolvedProtocolTraffic(rules, protocols, possiblePorts);
  const carved = carvedAddresses(addresses, rules);
  const properties: Record<string, unknown> = { traffic, peer: cidrText(addresses), sensitiveServices: [], ...unresolvedProperties };
  const spec: FindingSpec = {
    messageId: 'worldOpenUnresolvedProtocol',
    rule,
    profiles: group[0]!.piece.profiles,
    data: {
      target: target.id,
      exposure: `from ${carved?.text ?? cappedList(cidrsOf(addresses))} on ${traffic}`,
      where: profilesNote(group[0]!.piece.profiles),
      unresolved,
      open,
    },
    severity: 'high',
    key: traffic,
    properties,
    // A config `ignore:` entry must hold every protocol and port the value could be.
    traffic: [{ protocols, ports: possiblePorts }],
  };
  if (rules.length > 1) spec.rules = rules;
  if (carved !== undefined) withCarvingDenies(spec, target, rules, carved.excluded);
  const byConstruct = entriesByConstruct(group);
  if (byConstruct.length > 1) spec.mergedParts = byConstruct.map((entries) => unresolvedProtocolFindingOf(target, entries));
  const branch = group[0]!.parts[0]!.when.branch;
  if (branch !== rule.branch) spec.branch = branch;
  return spec;
}

/** Parts by the text of their condition, in first appearance order. */
function byBranch(parts: WorldOpenPart[]): Map<string | undefined, WorldOpenPart[]> {
  // Almost always one condition (the rule's): no copy.
  if (parts.length > 0 && parts.every((part) => part.when.branch === parts[0]!.when.branch)) return new Map([[parts[0]!.when.branch, parts]]);
  const result = new Map<string | undefined, WorldOpenPart[]>();
  for (const part of parts) {
    const list = result.get(part.when.branch);
    if (list) list.push(part);
    else result.set(part.when.branch, [part]);
  }
  return result;
}

/**
 * A piece's combined parts without those another part says under fewer conditions: in the world where both halves
 * under `IsProd` and `IsEu` exist, an unconditional half is world-open `IsProd=true, IsEu=true`, which its part
 * `IsProd=true` holds already.
 */
function withoutImplied(parts: WorldOpenPart[]): WorldOpenPart[] {
  if (parts.every((part) => part.when.branch === parts[0]!.when.branch)) return parts;
  return parts.filter((part) => !parts.some((other) => narrowerCondition(part.when, other.when) && holdsPart(other, part)));
}

/** Whether `outer` is world-open on all that `inner` is. */
function holdsPart(outer: WorldOpenPart, inner: WorldOpenPart): boolean {
  return (outer.families & inner.families) === inner.families && outer.protocols.containsAll(inner.protocols) && outer.ports.containsAll(inner.ports) &&
    (outer.icmp === undefined || (inner.icmp !== undefined && outer.icmp.containsAll(inner.icmp)));
}

function findingOf(target: Target, group: Array<{ piece: ConstructPiece; parts: WorldOpenPart[] }>, conditional: ConditionalPieces): FindingSpec {
  const parts = mergeForReport(group.flatMap((entry) => entry.parts));
  const rules = rulesInOrder(target.rules, group.flatMap((entry) => rulesOf(entry.piece)));
  const addresses = unionOf(group.map(({ piece }) => piece.addresses));
  const traffic = parts.map((part) => describeTraffic(part.protocols, part.ports, part.icmp)).join('; ');
  // The message lists a few port ranges or ICMP types and counts the rest; `properties.traffic` keeps them all.
  const trafficText = parts.map((part) => describeTraffic(part.protocols, part.ports, part.icmp, MAX_LISTED_ITEMS)).join('; ');
  const services = [...new Set(parts.flatMap(servicesOf))];
  const where = profilesNote(group[0]!.piece.profiles);
  const icmp = parts.flatMap(icmpOf);
  // The witness from a part as found, not as merged for the message: a merged part may pair a port of one address
  // family with the other family (tcp/22 denied from IPv4 and allowed from IPv6 beside tcp/80 from both).
  const found = group.flatMap((entry) => entry.parts).sort(byProtocolThenPort);
  const properties: Record<string, unknown> = { traffic, peer: cidrText(addresses), sensitiveServices: services, witness: witness(found[0]!, addresses) };
  if (icmp.length > 0) properties.icmp = icmp;
  // Open from different address families on different traffic (a deny took IPv4 or IPv6 out of part of it): each
  // traffic is named with the family it is open from, never with the union of both.
  // Likewise where a deny took some addresses out of part of it only (tcp/22 from one host, beside all traffic).
  const byFamilies = exposuresByFamilies(target, group, !withOtherRules(group), conditional);
  let excluded = AddressSet.EMPTY;
  const describe = (each: AddressSet, carved: Carved | undefined): string => {
    if (carved === undefined) return cappedList(cidrsOf(each));
    excluded = excluded.union(carved.excluded);
    return carved.text;
  };
  let exposure: string;
  if (byFamilies.length > 1) {
    exposure = byFamilies.map((each) => `from ${describe(each.addresses, each.carved)} on ${each.trafficText}`).join(' and ');
    properties.openFrom = byFamilies.map((each) => ({ peer: cidrText(each.addresses), traffic: each.traffic, ...(each.exceptWhen ? { exceptWhen: each.exceptWhen } : {}) }));
  } else {
    // Pieces narrowed alike (on different ports) are named as each is: their union may hold what none of them does.
    const [only] = byFamilies;
    const shared = only !== undefined && (only.pieces > 1 || only.exceptWhen !== undefined) ? only.carved : undefined;
    exposure = `from ${describe(addresses, shared ?? carvedAddresses(addresses, rules))} on ${trafficText}`;
  }
  // What is open only where a deny under a condition does not exist (named with its condition in the message).
  const exceptWhen = byFamilies.flatMap((each) => each.exceptWhen ?? []);
  if (exceptWhen.length > 0) properties.exceptWhen = exceptWhen;
  const spec: FindingSpec = {
    messageId: withOtherRules(group) ? 'worldOpenCombined' : 'worldOpen',
    rule: rules[0]!,
    data: { target: target.id, exposure, where },
    profiles: group[0]!.piece.profiles,
    severity: services.length > 0 ? 'critical' : 'high',
    // Without the ICMP types: the rule's content (which has them) already tells the finding apart, and a finding
    // keeps the fingerprint it had before messages named them (or before a deny of some types split an allow of
    // every protocol into its ICMP part and the rest).
    key: keyOf(parts),
    properties,
  };
  // Traffic that denies narrowed but left world-open (tcp/22 denied from one host only) joins the finding's key: a
  // baseline entry of the finding it was without that traffic still accepts it.
  const exactParts = group.filter(({ piece }) => carvedAddresses(piece.addresses, rulesOf(piece)) === undefined).flatMap((entry) => entry.parts);
  if (exactParts.length > 0 && exactParts.length < group.flatMap((entry) => entry.parts).length) {
    const formerKey = keyOf(mergeForReport(exactParts));
    if (formerKey !== spec.key) spec.formerKeys = [formerKey];
  }
  // Worded as combined before a combination all of the finding's own rules read as plain: a baseline entry still matches.
  if (spec.messageId === 'worldOpen' && parts.some((part) => part.combined)) spec.formerMessageId = 'worldOpenCombined';
  if (rules.length > 1) spec.rules = rules;
  const byConstruct = entriesByConstruct(group);
  if (byConstruct.length > 1) spec.mergedParts = byConstruct.map((entries) => findingOf(target, entries, conditional));
  spec.traffic = parts.map(({ protocols, ports }) => ({ protocols, ports }));
  withCarvingDenies(spec, target, rules, excluded);
  const branch = group[0]!.parts[0]!.when.branch;
  if (branch !== spec.rule!.branch) spec.branch = branch;
  return spec;
}

/**
 * Whether a finding is world-open only with rules outside it: the items of one `dynamic` block or netsh `for` loop
 * over `0.0.0.0/1` and `128.0.0.0/1` are one finding whose own union is the whole internet.
 */
function withOtherRules(group: ReadonlyArray<{ piece: ConstructPiece; parts: WorldOpenPart[] }>): boolean {
  const own = new Set(group.map((entry) => entry.piece));
  return group.some(({ parts }) => parts.some((part) => part.combined && !part.together!.every((piece) => own.has(piece))));
}

/** The fingerprint key of a finding's parts: their traffic without the ICMP types (see `findingOf`). */
function keyOf(parts: WorldOpenPart[]): string {
  return mergeForReport(parts.map(({ icmp: _messages, ...part }) => part)).map((part) => describeTraffic(part.protocols, part.ports)).join('; ');
}

/**
 * The parts of one finding by the address families they are open from (IPv4, IPv6 or both) and how denies narrowed
 * those (`carvedAddresses`), each with the addresses of those families its pieces allow, that narrowing, the number
 * of its pieces and its traffic, in protocol then port order. One entry when every part is open from the same
 * addresses, which is the common case.
 */
function exposuresByFamilies(target: Target, group: Array<{ piece: ConstructPiece; parts: WorldOpenPart[] }>, selfContained: boolean, conditional: ConditionalPieces): Array<{ addresses: AddressSet; carved: Carved | undefined; pieces: number; traffic: string; trafficText: string; exceptWhen?: ConditionalExceptions['exceptWhen'] }> {
  const buckets = new Map<string, { families: number; pieces: Set<ConstructPiece>; parts: WorldOpenPart[]; carved: Carved | undefined; exceptions?: ConditionalExceptions }>();
  const sources = selfContained ? combinedSources(group) : undefined;
  for (const { piece, parts } of group) {
    for (const part of parts) {
      const source = (sources && sourceOf(sources, part)) ?? { addresses: piece.addresses, rules: rulesOf(piece) };
      const always = source.addresses.intersect(worldOf(part.families));
      // Addresses its rules open only where a deny under a condition does not exist are no exception in every case.
      const exceptions = conditional && exceptionsUnderConditions(target, group.map((entry) => constructOf(entry.piece)), conditional, always, source.rules, [part], part.when, piece.profiles);
      const carved = exceptions ?? carvedAddresses(always, source.rules);
      const key = `${part.families}\u0000${carved?.text ?? ''}`;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { families: part.families, pieces: new Set(), parts: [], carved, ...(exceptions ? { exceptions } : {}) }));
      else if (carved !== undefined && !bucket.pieces.has(piece)) bucket.carved = { text: carved.text, excluded: bucket.carved!.excluded.union(carved.excluded) };
      bucket.pieces.add(piece);
      bucket.parts.push(part);
    }
  }
  const entries = [...buckets.values()].map(({ families, pieces, parts, carved, exceptions }) => {
    const merged = mergeForReport(parts);
    const own = unionOf([...pieces].map((piece) => piece.addresses)).intersect(worldOf(families));
    const addresses = exceptions ? own.union(exceptions.addresses) : own;
    const text = (maxItems?: number): string => merged.map((part) => describeTraffic(part.protocols, part.ports, part.icmp, maxItems)).join('; ');
    return { families, first: merged[0]!, addresses, carved, pieces: pieces.size, traffic: text(), trafficText: text(MAX_LISTED_ITEMS), ...(exceptions ? { exceptWhen: exceptions.exceptWhen } : {}) };
  });
  entries.sort((a, b) => byProtocolThenPort(a.first, b.first) || a.families - b.families);
  return entries.map(({ addresses, carved, pieces, traffic, trafficText, exceptWhen }) => ({ addresses, carved, pieces, traffic, trafficText, ...(exceptWhen ? { exceptWhen } : {}) }));
}

/**
 * For a finding world-open by its own union (`withOtherRules` false), the addresses its pieces open on each combined
 * part's traffic, united: pieces a deny under a condition split one rule into (an allow from `0.0.0.0/0` less RFC 1918,
 * its `0.0.0.0/1` part only where a deny of it does not exist) are named by what they open together ("every public IPv4
 * address"), not each by what the other holds ("0.0.0.0/0 except 0.0.0.0/1, …" and "0.0.0.0/0 except 128.0.0.0/1, …").
 */
function combinedSources(group: ReadonlyArray<{ piece: ConstructPiece; parts: WorldOpenPart[] }>): CombinedSource[] {
  const sources: CombinedSource[] = [];
  for (const { piece, parts } of group) {
    for (const part of parts) {
      if (!part.combined) continue;
      const source = sourceOf(sources, part);
      if (source === undefined) sources.push({ part, addresses: piece.addresses, rules: [...rulesOf(piece)] });
      else {
        source.addresses = source.addresses.union(piece.addresses);
        for (const rule of rulesOf(piece)) if (!source.rules.includes(rule)) source.rules.push(rule);
      }
    }
  }
  return sources;
}

interface CombinedSource {
  part: WorldOpenPart;
  addresses: AddressSet;
  rules: Rule[];
}

/** The source of combined parts on exactly this part's traffic and address families. */
function sourceOf(sources: readonly CombinedSource[], part: WorldOpenPart): CombinedSource | undefined {
  if (!part.combined) return undefined;
  return sources.find(({ part: other }) => other.families === part.families && other.protocols.equals(part.protocols) && other.ports.equals(part.ports) && sameIcmp(other.icmp, part.icmp));
}

type Carved = NonNullable<ReturnType<typeof carvedAddresses>>;

/** The pieces of the target's written rules that exist only under a condition (`conditionalPiecesByConstruct`). */
type ConditionalPieces = ReadonlyMap<Rule, readonly ConstructPiece[]> | undefined;

/** Every address of the families (bits V4, V6). */
function worldOf(families: number): AddressSet {
  return families === V4 ? AddressSet.ALL_V4 : families === V6 ? AddressSet.ALL_V6 : AddressSet.ALL;
}

/**
 * The parts of one finding, merged where the union is one product again (same protocols and ICMP messages: the
 * ports join; same protocols and ports: the ICMP messages join; same ports: the protocols join), in protocol then port
 * order.
 */
function mergeForReport(parts: WorldOpenPart[]): WorldOpenPart[] {
  const merged: WorldOpenPart[] = [];
  for (const part of parts) {
    const same = merged.find((each) => each.protocols.equals(part.protocols) && sameIcmp(each.icmp, part.icmp));
    const sameButIcmp = same ? undefined : merged.find((each) => each.protocols.equals(part.protocols) && each.ports.equals(part.ports) && each.icmp !== undefined && part.icmp !== undefined);
    if (same) same.ports = same.ports.union(part.ports);
    else if (sameButIcmp) sameButIcmp.icmp = sameButIcmp.icmp!.union(part.icmp!);
    else {
      merged.push({ ...part });
      continue;
    }
    const into = (same ?? sameButIcmp)!;
    into.families |= part.families;
    into.combined ||= part.combined;
  }
  // Every ICMP message is what a wider protocol set says anyway: such parts join on equal ports too.
  const joined: WorldOpenPart[] = [];
  for (const part of merged) {
    const allMessages = part.icmp === undefined || part.icmp.containsAll(ALL_ICMP_MESSAGES);
    const same = allMessages ? joined.find((each) => each.ports.equals(part.ports) && (each.icmp === undefined || each.icmp.containsAll(ALL_ICMP_MESSAGES))) : undefined;
    if (same) {
      same.protocols = same.protocols.union(part.protocols);
      if (icmpVersionOf(same.protocols) === undefined) delete same.icmp;
      same.families |= part.families;
      same.combined ||= part.combined;
    } else joined.push({ ...part });
  }
  return joined.sort(byProtocolThenPort);
}

function sameIcmp(a: IntervalSet | undefined, b: IntervalSet | undefined): boolean {
  return a === undefined ? b === undefined : b !== undefined && a.equals(b);
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function icmpOf(part: WorldOpenPart): IcmpTypeEntry[] {
  const version = icmpVersionOf(part.protocols);
  return version === undefined || part.icmp === undefined ? [] : icmpEntries(version, part.icmp);
}

function servicesOf(part: WorldOpenPart): string[] {
  const carriesPorts = part.protocols.has(6n) || part.protocols.has(17n);
  return carriesPorts ? sensitiveServices(part.ports) : [];
}

function witness(part: WorldOpenPart, addresses: AddressSet): string {
  const world = part.combined ? WITNESS[(part.families & V4) !== 0 ? 4 : 6] : witnessAddress(addresses, (part.families & V4) !== 0 ? 4 : 6);
  const version = icmpVersionOf(part.protocols);
  if (version !== undefined) {
    const { type, code } = icmpWitness(version, part.icmp ?? ALL_ICMP_MESSAGES);
    return `${version === 4 ? 'icmp' : 'icmpv6'} type ${type} code ${code} from ${world}`;
  }
  const protocol = part.protocols.has(6n) ? 'tcp' : part.protocols.has(17n) ? 'udp' : `protocol ${part.protocols.first()}`;
  const port = protocol === 'tcp' || protocol === 'udp' ? `/${part.ports.first()}` : '';
  return `${protocol}${port} from ${world}`;
}

/** Documentation addresses (RFC 5737, RFC 3849), the usual witness first. */
const WITNESS = { 4: '203.0.113.7', 6: '2001:db8::7' } as const;
const DOCUMENTATION_RANGES = { 4: ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24'].map((cidr) => AddressSet.parseCidr(cidr)), 6: [AddressSet.parseCidr('2001:db8::/32')] } as const;

/**
 * An internet address the finding's addresses hold, to show the traffic from: the usual one unless a deny took it out
 * (`203.0.113.7/32` denied ahead of an allow from `0.0.0.0/0`), then another documentation address, else a public one.
 */
function witnessAddress(addresses: AddressSet, family: 4 | 6): string {
  const usual = AddressSet.parseCidr(WITNESS[family]);
  if (addresses.containsAll(usual)) return WITNESS[family];
  for (const range of DOCUMENTATION_RANGES[family]) {
    const held = addresses.intersect(range).firstAddress();
    if (held !== undefined) return held;
  }
  return addresses.intersect(publicAddressesOf(family)).firstAddress() ?? WITNESS[family];
}

/** Removes the config's `publicPorts` (ports that may be open to the world) from a world-open part. */
function withoutPublicPorts(part: WorldOpenPart, ctx: CheckContext<unknown>): WorldOpenPart {
  let ports = part.ports;
  for (const publicPort of ctx.publicPorts) {
    // Only exempt when the part is exactly that protocol: an all-protocol rule stays exposed on the rest.
    if (part.protocols.size() === 1n && part.protocols.has(BigInt(publicPort.protocol))) ports = ports.subtract(publicPort.ports);
  }
  return ports === part.ports ? part : { ...part, ports };
}

/**
 * Pieces that are world-open only together (`0.0.0.0/1` + `128.0.0.0/1` on the same ports): splits protocol × port
 * space, and the ICMP messages of ICMP, at every piece boundary and unions the addresses per cell. Only the pieces
 * that add to a family the cell's union covers are blamed (`worldCoveringPieces`): a private IPv4 rule next to `::/1`
 * + `8000::/1`, or `10.0.0.0/8` next to `0.0.0.0/1` + `128.0.0.0/1`, does not open anything to the world. ICMPv4 is
 * judged on IPv4 only and ICMPv6 on IPv6 only, and echo requests from one half with echo replies from the other
 * open nothing. Skipped cheaply when even all of them together do not cover the world.
 */
function worldOpenCombinations(pieces: ConstructPiece[]): Map<ConstructPiece, WorldOpenPart[]> {
  const result = new Map<ConstructPiece, WorldOpenPart[]>();
  if (!mayCoverWorldTogether(pieces)) return result;
  let everything = AddressSet.EMPTY;
  for (const piece of pieces) everything = everything.union(piece.addresses);
  if (!everything.coversInternetOnAnyFamily()) return result;

  const protocolCuts = cutsOf(pieces.flatMap((piece) => piece.protocols.intervals));
  for (const [protocolLo, protocolHi] of protocolCuts) {
    const protocolCell = IntervalSet.range(protocolLo, protocolHi);
    const inProtocol = pieces.filter((piece) => piece.protocols.containsAll(protocolCell));
    if (inProtocol.length < 2) continue;
    const version = icmpVersionOf(protocolCell);
    const families = version === 4 ? [4 as const] : version === 6 ? [6 as const] : [4 as const, 6 as const];
    const portCuts = cutsOf(inProtocol.flatMap((piece) => piece.ports.ranges().map(([lo, hi]) => [BigInt(lo), BigInt(hi)] as const)));
    for (const [portLo, portHi] of portCuts) {
      const portCell = PortSet.range(Number(portLo), Number(portHi));
      const covering = inProtocol.filter((piece) => piece.ports.containsAll(portCell));
      if (covering.length < 2) continue;
      const icmpCells = version === undefined ? [undefined] : cutsOf(covering.flatMap((piece) => messagesOf(piece).intervals)).map(([lo, hi]) => IntervalSet.range(lo, hi));
      for (const icmpCell of icmpCells) {
        const covered = icmpCell === undefined ? covering : covering.filter((piece) => messagesOf(piece).containsAll(icmpCell));
        if (covered.length < 2) continue;
        for (const family of families) {
          const together = worldCoveringPieces(covered, (each) => each.addresses, family);
          for (const piece of together) {
            const list = result.get(piece) ?? [];
            addCell(list, { protocols: protocolCell, ports: portCell, families: family === 4 ? V4 : V6, combined: true, together, when: conditionTogether(piece, together, conditionOf), ...(icmpCell ? { icmp: icmpCell } : {}) });
            result.set(piece, list);
          }
        }
      }
    }
  }
  return result;
}

function joinedMembers<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b;
  return [...new Set([...a, ...b])];
}

function messagesOf(piece: ConstructPiece): IntervalSet {
  return piece.icmp ?? ALL_ICMP_MESSAGES;
}

/** Adds a cell to a piece's parts, joining it to the last part of its family and protocols where that is one box. */
function addCell(list: WorldOpenPart[], cell: WorldOpenPart): void {
  let last: WorldOpenPart | undefined;
  for (const part of list) if (part.families === cell.families && part.when.branch === cell.when.branch) last = part;
  if (last && last.protocols.equals(cell.protocols)) {
    if (cell.icmp === undefined && last.icmp === undefined) {
      last.ports = last.ports.union(cell.ports);
      last.together = joinedMembers(last.together, cell.together);
      return;
    }
    if (cell.icmp !== undefined && last.icmp !== undefined && last.ports.equals(cell.ports)) {
      last.icmp = last.icmp.union(cell.icmp);
      last.together = joinedMembers(last.together, cell.together);
      return;
    }
  }
  list.push(cell);
}

/** Elementary intervals: the pieces between every start and end boundary of the given intervals. */
function cutsOf(intervals: Iterable<readonly [bigint, bigint]>): Array<[bigint, bigint]> {
  const points = new Set<bigint>();
  for (const [lo, hi] of intervals) {
    points.add(lo);
    points.add(hi + 1n);
  }
  const sorted = [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cells: Array<[bigint, bigint]> = [];
  for (let i = 0; i + 1 < sorted.length; i++) cells.push([sorted[i]!, sorted[i + 1]! - 1n]);
  return cells;
}

function byProtocolThenPort(a: WorldOpenPart, b: WorldOpenPart): number {
  return compareBigints(a.protocols.first()!, b.protocols.first()!) || (a.ports.first() ?? 0) - (b.ports.first() ?? 0);
}
