import { ALL_PROFILES } from '../engine/effective';
import { carriesRequiredFlow, type ProfileDiff } from '../engine/profile-diff';
import { portRanges, rangesContain } from '../engine/set-facts';
import { AddressSet, unionOf } from '../model/address-set';
import { DominanceIndex } from '../engine/dominance-index';
import { denyReaches, narrowsLocalAddresses } from '../engine/effective';
import { describeRulesTraffic, describeRuleTraffic } from '../engine/traffic';
import { describePeer } from '../model/peer';
import { branchImplies } from '../model/branch';
import { constructAfter, constructKey, contentKeyOf, type Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';
import { redactedContentKey } from './redaction';
import { distinctRuleNames, joinedPeerText, joinWrittenRules, ruleMessageData } from './written-rules';

/** Beyond this many allow rules per direction, only exact duplicates are looked for (pairwise containment is quadratic). */
const MAX_PAIRWISE_RULES = 2000;

export default defineCheck({
  id: 'FW302',
  name: 'redundant-rule',
  defaultSeverity: 'low',
  summary: 'An allow rule is fully contained in another allow rule of the same target',
  precision: 'high',
  tags: ['maintainability', 'network'],
  messages: {
    duplicate: '{target}: rule {rule} ({traffic} {preposition} {peer}) duplicates {other}',
    contained: '{target}: rule {rule} ({traffic} {preposition} {peer}) is fully contained in {other}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    let findings: FindingSpec[] = [];
    // Rules with unresolved values or no known ports are FW303's; containment needs the whole rule known. One pass
    // over the rules for both directions, one facts object per rule object (`FactsPerRule`).
    const inbound: RuleFacts[] = [];
    const outbound: RuleFacts[] = [];
    // Rules whose peer is a name (the group itself, another group, a prefix list, a service tag) are compared only
    // with rules naming the same peer: one list per direction and name, where every address test holds.
    let symbolic: Map<string, RuleFacts[]> | undefined;
    // Keyword peers (LocalSubnet, DNS, …) also per direction: an allow from every address contains them.
    let keywords: { in: RuleFacts[]; out: RuleFacts[] } | undefined;
    const factsPerRule = new FactsPerRule();
    const keep = keptBesideExcess(ctx.profileDiff(target));
    // A rule beside a host's AllowInbound default is not redundant: it is needed once the policy is closed.
    for (const rule of target.rules) {
      if (!(rule.enabled && rule.action === 'allow' && !rule.synthetic && !rule.hostDefault && rule.peer.kind !== 'unknown' && rule.unknowns.length === 0 && !rule.ports.isEmpty())) continue;
      const ruleFacts = factsPerRule.of(rule);
      if (rule.peer.kind === 'addresses') {
        (rule.direction === 'in' ? inbound : outbound).push(ruleFacts);
        continue;
      }
      const key = `${rule.direction}|${describePeer(rule.peer)}|${rule.peer.kind}`;
      const list = (symbolic ??= new Map()).get(key);
      if (list) list.push(ruleFacts);
      else symbolic.set(key, [ruleFacts]);
      if (rule.peer.kind === 'keyword') (keywords ??= { in: [], out: [] })[rule.direction].push(ruleFacts);
    }
    for (const facts of symbolic ? [inbound, outbound, ...symbolic.values()] : [inbound, outbound]) {
      if (facts.length < 2) continue;
      // Exact duplicates have equal content keys; most rules have no twin at all, which a numeric summary of their
      // sets shows without building the key (a shared summary only means the keys are compared).
      const hasTwin = twinFlags(facts);
      let firstByContent: Map<string, RuleFacts[]> | undefined;
      for (let index = 0; index < facts.length; index++) {
        if (!hasTwin[index]) continue;
        const inner = facts[index]!;
        const profiles = inner.rule.profiles;
        const contentKey = contentKeyOf(inner.rule);
        const withProfiles = profiles && profiles.length > 0 ? `${contentKey}\u0000${profiles.join(',')}` : contentKey;
        // Windows rules for different programs, services or local addresses are not twins, nor Azure rules for
        // different destination hosts.
        const withConditions = inner.rule.conditions ? `${withProfiles}\u0000${JSON.stringify(Object.entries(inner.rule.conditions).sort())}` : withProfiles;
        const local = narrowsLocalAddresses(inner.rule) ? inner.rule.localAddresses : undefined;
        const withLocal = local ? `${withConditions}\u0000${local.map((peer) => `${peer.kind}:${describePeer(peer)}`).join(',')}` : withConditions;
        // `Internet` has the content of `Any` (every address), but is not the same set.
        const key = inner.approximate ? `${withLocal}\u0000${describePeer(inner.rule.peer)}` : withLocal;
        const earlier: RuleFacts[] | undefined = (firstByContent ??= new Map()).get(key);
        // A twin makes a rule redundant only if it exists whenever the rule does (undecidable conditions).
        const first = earlier?.find((each) => each.resourceAddress !== inner.resourceAddress && branchImplies(inner.rule, each.rule));
        if (first) {
          findings.push(spec(target.id, inner.rule, [first.rule], 'duplicate'));
          inner.reported = true;
        } else if (!earlier) {
          firstByContent.set(key, [inner]);
        } else if (inner.rule.branch !== undefined || earlier.some((each) => each.rule.branch !== undefined)) {
          earlier.push(inner);
        }
      }
      if (facts.length > MAX_PAIRWISE_RULES) continue;
      // Containers: every rule, then the written rules whose items hold a rule only together (after all single rules,
      // so that a rule inside one item is reported with the first such rule, as before).
      const containers = facts.concat(writtenRuleUnions(facts));
      if (facts.length <= SMALL_TARGET_RULES) {
        // Few rules: every candidate in rule order, those of another protocol skipped (what the lists below do).
        for (const inner of facts) {
          if (inner.reported) continue;
          for (const outer of containers) {
            if (outer.protocol !== -1 && outer.protocol !== inner.protocol) continue;
            if (reportsContainment(outer, inner, keep)) {
              findings.push(spec(target.id, inner.rule, rulesOf(outer), 'contained'));
              inner.reported = true;
              break;
            }
          }
        }
        continue;
      }
      // Only a rule of the same protocol, or of every protocol, with bounds around the rule's can contain it: the
      // index narrows the candidates to those, in rule order, without comparing every pair.
      const bounds = containers.map(boundsOf);
      const index = containerIndex(bounds);
      const masks = new Map<number, Uint32Array>();
      const maskFor = (protocol: number): Uint32Array => {
        let mask = masks.get(protocol);
        if (!mask) {
          mask = index.maskOf((candidate) => containers[candidate]!.protocol === -1 || containers[candidate]!.protocol === protocol);
          masks.set(protocol, mask);
        }
        return mask;
      };
      for (let position = 0; position < facts.length; position++) {
        const inner = facts[position]!;
        if (inner.reported) continue;
        const found = index.firstCandidate(bounds[position]!, maskFor(inner.protocol), (candidate) => reportsContainment(containers[candidate]!, inner, keep));
        if (found !== undefined) {
          findings.push(spec(target.id, inner.rule, rulesOf(containers[found]!), 'contained'));
          inner.reported = true;
        }
      }
    }
    if (keywords) {
      // After the same keyword's rules: a keyword rule contained in one of them is reported with that one.
      findings.push(...keywordRulesContained(target.id, keywords.in, inbound, keep), ...keywordRulesContained(target.id, keywords.out, outbound, keep));
    }
    // A rule that never takes effect is FW301's finding: saying it is also redundant adds nothing.
    if (findings.length > 0 && target.rules.some((rule) => rule.action === 'deny')) {
      const shadowed = new Set(ctx.effective(target).shadowed.map(({ rule }) => rule));
      if (shadowed.size > 0) findings = findings.filter((finding) => !shadowed.has(finding.rule!));
    }
    // Pieces of one written rule (or the written rules at one place) contained in the same other rule: one finding,
    // their addresses united, and the traffic of several written rules as one exact set.
    return joinWrittenRules(
      findings,
      (finding) => `${finding.messageId}\u0001${finding.data.other}`,
      (group, severalRules) => {
        const rules = group.map((finding) => finding.rule!);
        const traffic = severalRules ? describeRulesTraffic(rules) : [...new Set(rules.map(describeRuleTraffic))].join('; ');
        const data = { ...group[0]!.data, traffic, peer: joinedPeerText(rules), ...(severalRules ? { rule: distinctRuleNames(rules) } : {}) };
        return { ...group[0]!, rules, data };
      },
    );
  },
});


/** Up to this many allow rules per direction, containers are looked for with a plain scan (no per-protocol lists). */
const SMALL_TARGET_RULES = 32;

/**
 * One facts object per rule object: its `reported` flag is "this rule was reported" for every place the rule occurs
 * (a rule object has one direction, so one lookup serves both). Up to SMALL_TARGET_RULES rules, found by a scan of the
 * facts made so far, as most targets have that few: a map per target was 22 MB of the Terraform 1x corpus's scan.
 */
class FactsPerRule {
  private readonly made: RuleFacts[] = [];
  private byRule: Map<Rule, RuleFacts> | undefined = undefined;

  of(rule: Rule): RuleFacts {
    if (this.byRule !== undefined) {
      let facts = this.byRule.get(rule);
      if (facts === undefined) this.byRule.set(rule, (facts = factsOf(rule)));
      return facts;
    }
    for (const facts of this.made) if (facts.rule === rule) return facts;
    const facts = factsOf(rule);
    this.made.push(facts);
    if (this.made.length > SMALL_TARGET_RULES) this.byRule = new Map(this.made.map((each) => [each.rule, each]));
    return facts;
  }
}

/** For each fact, whether another fact has the same summary (a possible exact twin). */
function twinFlags(facts: RuleFacts[]): boolean[] {
  const flags = new Array<boolean>(facts.length).fill(false);
  if (facts.length <= SMALL_TARGET_RULES) {
    for (let i = 0; i < facts.length; i++) {
      for (let j = i + 1; j < facts.length; j++) {
        if (facts[i]!.summary === facts[j]!.summary) flags[i] = flags[j] = true;
      }
    }
    return flags;
  }
  const twins = new Map<number, number>();
  for (const fact of facts) twins.set(fact.summary, (twins.get(fact.summary) ?? 0) + 1);
  facts.forEach((fact, index) => (flags[index] = twins.get(fact.summary)! > 1));
  return flags;
}

function profileBits(rule: Rule): number {
  if (!rule.profiles || rule.profiles.length === 0) return ALL_PROFILES;
  return rule.profiles.reduce((bits, profile) => bits | ({ domain: 1, private: 2, public: 4 }[profile] ?? ALL_PROFILES), 0);
}

/**
 * What containment looks at, read once per rule into one object shape: the pairwise pass compares every rule with
 * every other, and rules themselves come in many shapes (slow property reads).
 */
interface RuleFacts {
  rule: Rule;
  resourceAddress: string;
  profiles: number;
  /** -1 for every protocol. */
  protocol: number;
  ports: readonly number[];
  /** Undefined for a written rule's union until a test needs it (`addressesOf`): most are never compared on addresses. */
  addresses: AddressSet | undefined;
  /**
   * The addresses stand in for a run-time set (Windows `Internet`, `Peer.isApproximate`), are some of a prefix list's
   * (`Peer.isLowerBound`), or are more than the peer surely holds (Azure `Internet`, `Peer.certainAddresses`): they hold
   * the same peer's, and only what the peer surely holds of any other.
   */
  approximate: boolean;
  hasKeywords: boolean;
  /** An ICMP type, local addresses (Azure) or Windows conditions (program, service…): containment asks `denyReaches`. */
  narrowed: boolean;
  /** Equal for rules with equal content (protocol, port bounds, first address): a cheap necessary condition. */
  summary: number;
  reported: boolean;
  /** For the union of a written rule's items (`writtenRuleUnions`): those items. */
  items: RuleFacts[] | undefined;
}

/**
 * Lowest and highest port, then first and last IPv4 and IPv6 address as numbers (`Number` of a BigInt rounds
 * monotonically, so the order holds): a container's lows are ≤ these and its highs ≥. A family the rule lacks is
 * (+∞, −∞), which no container's bounds rule out and which rules out every rule lacking it as a container of one
 * that has it. Only the directions with more than SMALL_TARGET_RULES rules need them (the index).
 */
function boundsOf(fact: RuleFacts): number[] {
  const { ports } = fact;
  const addresses = addressesOf(fact);
  const v4 = addresses['v4'].intervals;
  const v6 = addresses['v6'].intervals;
  return [
    ports[0] ?? 0,
    ports[ports.length - 1] ?? 0,
    v4.length === 0 ? Infinity : Number(v4[0]![0]),
    v4.length === 0 ? -Infinity : Number(v4[v4.length - 1]![1]),
    v6.length === 0 ? Infinity : Number(v6[0]![0]),
    v6.length === 0 ? -Infinity : Number(v6[v6.length - 1]![1]),
  ];
}

function factsOf(rule: Rule): RuleFacts {
  // Rules of an unresolved protocol are never compared (they have unknowns): -1 is `any`.
  const protocol = rule.protocol.kind === 'number' ? rule.protocol.value : -1;
  const ports = portRanges(rule.ports);
  const addresses = rule.peer.kind === 'addresses' ? rule.peer.addresses : AddressSet.ALL;
  return {
    rule,
    resourceAddress: rule.resourceAddress,
    profiles: profileBits(rule),
    protocol,
    ports,
    addresses,
    approximate: rule.peer.kind === 'addresses' && (rule.peer.isApproximate === true || rule.peer.isLowerBound === true || rule.peer.certainAddresses !== undefined),
    hasKeywords: (rule.portKeywords?.length ?? 0) > 0,
    narrowed: rule.conditions !== undefined || narrowsLocalAddresses(rule) || (rule.icmp !== undefined && rule.icmp.type !== 'any'),
    // (protocol, lowest port, highest port) in 41 bits, then 12 bits of the first IPv4 address: under 2^53.
    summary: (((protocol + 1) * 65536 + (ports[0] ?? 0)) * 65536 + (ports[ports.length - 1] ?? 0)) * 4096 + firstIpv4Bits(addresses),
    reported: false,
    items: undefined,
  };
}

/** The rule's addresses; for a written rule's union, its items' united on first use. */
function addressesOf(facts: RuleFacts): AddressSet {
  return (facts.addresses ??= unionOf(facts.items!.map(addressesOf)));
}

/** Whether a container was reported redundant: for a written rule's union, any of its items. */
function isReported(facts: RuleFacts): boolean {
  return facts.reported || (facts.items !== undefined && facts.items.some((item) => item.reported));
}

/**
 * The written rules of several items (a netsh RemoteIP list is one model rule per item, see `constructKey`) that are
 * alike but for their addresses, each as one container holding the union of its items' addresses: a rule from
 * `10.0.0.0/8` is contained in one from `10.0.0.0/9,10.128.0.0/9`, though in neither item. Items from `Internet`
 * (not exact) and ICMP rows for different types are not united.
 */
function writtenRuleUnions(facts: readonly RuleFacts[]): RuleFacts[] {
  const unions: RuleFacts[] = [];
  let start = 0;
  let construct: Rule | undefined;
  for (let index = 0; index <= facts.length; index++) {
    const next = index < facts.length ? constructAfter(construct, facts[index]!.rule) : undefined;
    if (next === construct && index < facts.length) continue;
    if (index - start > 1) {
      const union = unionOfItems(facts.slice(start, index));
      if (union !== undefined) unions.push(union);
    }
    start = index;
    construct = next;
  }
  return unions;
}

function unionOfItems(items: RuleFacts[]): RuleFacts | undefined {
  const first = items[0]!;
  for (const item of items) {
    if (item.approximate || (item.rule.icmp !== undefined && item.rule.icmp.type !== 'any')) return undefined;
    if (item.protocol !== first.protocol || item.profiles !== first.profiles || item.hasKeywords !== first.hasKeywords || item.narrowed !== first.narrowed) return undefined;
    if (!rangesContain(item.ports, first.ports) || !rangesContain(first.ports, item.ports)) return undefined;
  }
  // Every field written out, in `factsOf`'s order: a spread (`{ ...first, addresses }`) gives the object another
  // hidden class, and the containment tests, reading both kinds, slowed FW302 by about half on a corpus of CIDR lists.
  // The addresses are united when a test reaches them (`addressesOf`): most containers fail on protocol, ports or
  // resource first (on the Terraform 1x corpus, 3,370 of 20,713 unions are ever needed).
  return {
    rule: first.rule,
    resourceAddress: first.resourceAddress,
    profiles: first.profiles,
    protocol: first.protocol,
    ports: first.ports,
    addresses: undefined,
    approximate: first.approximate,
    hasKeywords: first.hasKeywords,
    narrowed: first.narrowed,
    summary: first.summary,
    reported: false,
    items,
  };
}

const BOUND_KINDS = ['lower', 'upper', 'lower', 'upper', 'lower', 'upper'] as const;

/** The containment index over a direction's rules; the IPv6 bounds only where some rule has IPv6 addresses. */
function containerIndex(bounds: number[][]): DominanceIndex {
  const dimensions = bounds.some((each) => each[4] !== Infinity) ? 6 : 4;
  return new DominanceIndex(
    bounds.length,
    BOUND_KINDS.slice(0, dimensions).map((kind, d) => ({ kind, keys: bounds.map((each) => each[d]!) })),
  );
}

/** 12 bits of a set's first IPv4 address (0 without IPv4): part of a rule's summary. */
function firstIpv4Bits(addresses: AddressSet): number {
  // AddressSet keeps its per-family interval sets private; bracket access reads them with their types checked.
  const first = addresses['v4'].intervals[0];
  if (!first) return 0;
  // An IPv4 address is exact as a Number; no BigInt is made for the mask. Its low bits alone are all zero for every
  // /24 and wider: three slices folded together tell more rules apart, so fewer content keys are built.
  const address = Number(first[0]);
  return (address ^ (address >>> 8) ^ (address >>> 20)) & 0xfff;
}

/**
 * Keyword rules (`LocalSubnet`, `DNS`, …, of one direction) contained in an allow rule from every address (`Any`, or
 * `0.0.0.0/0,::/0`, not `Internet`): whatever addresses Windows gives the keyword at run time, that rule holds them.
 * Only certain containment counts: a CIDR or another keyword is not known to hold a keyword's addresses, nor a keyword
 * any CIDR's.
 */
function keywordRulesContained(targetId: string, keywordRules: RuleFacts[], addressRules: RuleFacts[], keep: KeptBesideExcess | undefined): FindingSpec[] {
  // As for address rules, beyond this many rules only exact duplicates are looked for.
  if (keywordRules.length === 0 || addressRules.length > MAX_PAIRWISE_RULES || keywordRules.length > MAX_PAIRWISE_RULES) return [];
  // A written rule is one model rule per RemoteIP item: its items hold every address only together.
  const byWrittenRule = new Map<string, RuleFacts[]>();
  for (const fact of addressRules) {
    if (fact.approximate) continue;
    const key = constructKey(fact.rule);
    const parts = byWrittenRule.get(key);
    if (parts) parts.push(fact);
    else byWrittenRule.set(key, [fact]);
  }
  const everywhere = [...byWrittenRule.values()].filter((parts) => unionOf(parts.map(addressesOf)).coversEveryAddress());
  const findings: FindingSpec[] = [];
  if (everywhere.length === 0) return findings;
  for (const inner of keywordRules) {
    if (inner.reported) continue;
    const outer = everywhere.find((parts) => {
      const holding = parts.filter((candidate) =>
        !candidate.reported && candidate.resourceAddress !== inner.resourceAddress && containsBesidesAddresses(candidate, inner) && branchImplies(inner.rule, candidate.rule) &&
        !keep?.(candidate, inner));
      return holding.length > 0 && unionOf(holding.map(addressesOf)).coversEveryAddress();
    });
    if (outer === undefined) continue;
    findings.push(spec(targetId, inner.rule, outer.map((part) => part.rule), 'contained'));
    inner.reported = true;
  }
  return findings;
}

/**
 * Whether `inner` is reported as contained in `outer`: `outer` holds it, and more (not a twin), is of another resource
 * (a written rule's items hold each other), exists wherever `inner` does and is not reported itself. Cheapest tests
 * first: numbers, then resource names (most rules of a target are of one resource, and each is compared with itself),
 * then whether a union's items were reported, then address sets, which are compared interval by interval.
 */
function reportsContainment(outer: RuleFacts, inner: RuleFacts, keep: KeptBesideExcess | undefined): boolean {
  return outer !== inner && containsBesidesAddresses(outer, inner) && outer.resourceAddress !== inner.resourceAddress && !isReported(outer) &&
    containsAddresses(outer, inner) && !contains(inner, outer) && branchImplies(inner.rule, outer.rule) && !keep?.(outer, inner);
}

/** Whether `inner` is kept although `outer` contains it (see `keptBesideExcess`). */
type KeptBesideExcess = (outer: RuleFacts, inner: RuleFacts) => boolean;

/**
 * For a target mapped to a role: a rule that carries part of a flow the role requires is not redundant beside a
 * container with excess (FW202's). FW202 removes or narrows that container, counting on the rule to keep the flow
 * (its replacement names only what rules without excess do not carry); removing both would lose the flow (FW201).
 * On a NACL, likewise beside a return entry (one that carries the replies of the role's flows, see
 * `carriesRequiredFlow`): an entry for tcp/3000 lies in the replies' tcp/1024-65535, as AWS's layout has it, but the
 * return entry is there for the replies; narrowed to the clients' ephemeral ports, it would lose the flow.
 * Undefined without a profile, or when no rule has excess and the target is not a NACL.
 */
function keptBesideExcess(diff: ProfileDiff | undefined): KeptBesideExcess | undefined {
  if (!diff) return undefined;
  const assignment = diff.assignment;
  const isStateless = assignment.required.some((flow) => flow.isReply);
  if (diff.excess.length === 0 && !isStateless) return undefined;
  const excessRules = new Set(diff.excess.flatMap((excess) => excess.rules ?? [excess.rule]));
  const carries = { all: new Map<Rule, boolean>(), flows: new Map<Rule, boolean>(), replies: new Map<Rule, boolean>() };
  const carriesFlow = (rule: Rule, which: 'all' | 'flows' | 'replies'): boolean => {
    let carried = carries[which].get(rule);
    if (carried === undefined) carries[which].set(rule, (carried = carriesRequiredFlow(assignment, rule, which)));
    return carried;
  };
  return (outer, inner) => {
    if (rulesOf(outer).some((rule) => excessRules.has(rule))) return carriesFlow(inner.rule, 'all');
    return isStateless && rulesOf(outer).some((rule) => carriesFlow(rule, 'replies')) && carriesFlow(inner.rule, 'flows');
  };
}

/** True when everything `inner` allows, `outer` allows too (protocols, ports, addresses, profiles). */
function contains(outer: RuleFacts, inner: RuleFacts): boolean {
  return containsBesidesAddresses(outer, inner) && containsAddresses(outer, inner);
}

/**
 * `contains` for the addresses alone. A stand-in set (Windows `Internet`) holds only itself; Azure's `Internet`
 * itself and the public space it surely holds (not the virtual network's ranges); a prefix list known only in part is
 * held only by a rule naming the same list.
 */
function containsAddresses(outer: RuleFacts, inner: RuleFacts): boolean {
  if (inner.rule.peer.kind === 'addresses' && inner.rule.peer.isLowerBound === true && describePeer(inner.rule.peer) !== describePeer(outer.rule.peer)) return false;
  if (outer.approximate && !(inner.approximate && describePeer(inner.rule.peer) === describePeer(outer.rule.peer))) {
    const peer = outer.rule.peer;
    const certain = peer.kind === 'addresses' && peer.isApproximate !== true ? peer.certainAddresses : undefined;
    return certain !== undefined && certain.containsAll(addressesOf(inner));
  }
  return addressesOf(outer).containsAll(addressesOf(inner));
}

/** `contains` without the addresses: profiles, port keywords, ICMP type and conditions, protocols, ports. */
function containsBesidesAddresses(outer: RuleFacts, inner: RuleFacts): boolean {
  if ((outer.profiles & inner.profiles) !== inner.profiles) return false;
  if (inner.hasKeywords || outer.hasKeywords) return false;
  // Protocol sets: "any" holds every protocol; one protocol holds only itself.
  if (outer.protocol !== -1 && outer.protocol !== inner.protocol) return false;
  if (!rangesContain(outer.ports, inner.ports)) return false;
  // A rule for one ICMP type (or type and code), or for one program, service, local address…, holds only that
  // traffic: the same test as a block rule's reach (last: it reads the rules themselves).
  return !(outer.narrowed || inner.narrowed) || denyReaches(inner.rule, outer.rule);
}

/** The rules of a container: a written rule's items together (`writtenRuleUnions`), or one rule. */
function rulesOf(container: RuleFacts): Rule[] {
  return container.items ? container.items.map((item) => item.rule) : [container.rule];
}

/** A finding that `rule` lies inside `containing` (one rule, or the items of one written rule, first named). */
function spec(targetId: string, rule: Rule, containing: Rule[], messageId: 'duplicate' | 'contained'): FindingSpec {
  const other = containing[0]!;
  return {
    messageId,
    rule,
    location: rule.peerLocation ?? rule.location,
    data: { ...ruleMessageData(targetId, rule), other: other.resourceAddress },
    // Its containing rules as a whole: a value that only their union holds (`var.office` as two CIDRs) is one.
    namedRules: containing,
    // The other rule's content with its sensitive values named, not hashed, as the rule's own (`redactedContentKey`).
    key: redactedContentKey(other, contentKeyOf(other)),
    properties: { containedIn: other.resourceAddress },
  };
}
