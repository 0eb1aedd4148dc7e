import type { ConstructPiece } from '../engine/construct-pieces';
import { precedingDenies, protocolSet } from '../engine/effective';
import { cidrsOf, cidrText } from '../engine/set-facts';
import { AddressSet, mayCoverInternet, PRIVATE_ADDRESSES, routableAddressesOf, unionOf } from '../model/address-set';
import { branchesCompatible, branchLiterals, branchOfAnyText, branchOfLiterals, type Branched } from '../model/branch';
import type { IntervalSet } from '../model/interval-set';
import { compareLocations } from '../model/location';
import type { PortSet } from '../model/port-set';
import type { Rule } from '../model/rule';
import type { Target } from '../model/target';
import type { FindingSpec } from './define-check';

/**
 * The pieces that together cover the internet on one address family (`0.0.0.0/1` + `128.0.0.0/1`; see
 * `AddressSet.coversInternet`), or none when their union does not. Only pieces that add routable addresses of that
 * family are returned: a piece of the other family, one inside the others' union (`10.0.0.0/8` beside `0.0.0.0/1`),
 * or one so small that the others cover the internet without it (an allow of one host a deny took out of a half), is
 * not what opens the target to the world. Pieces are taken largest first, so of two equal pieces the earlier counts.
 * The result keeps the input order.
 */
export function worldCoveringPieces<T>(pieces: readonly T[], addressesOf: (piece: T) => AddressSet, family: 4 | 6): T[] {
  // The routable space: a piece of none of it (`8000::/1` beside `2000::/4` + `3000::/4`) adds nothing to the internet.
  const routableSpace = routableAddressesOf(family);
  const sized = pieces
    .map((piece, index) => ({ piece, index, part: addressesOf(piece).intersect(routableSpace) }))
    .map((entry) => ({ ...entry, size: entry.part.sizeOf(family) }))
    .filter((entry) => entry.size > 0n);
  // Sizes that do not add up to the family's routable space cannot cover it: most targets stop here without any union.
  if (sized.length < 2 || !mayCoverInternet(sized.reduce((sum, entry) => sum + entry.size, 0n), family)) return [];
  sized.sort((a, b) => (a.size > b.size ? -1 : a.size < b.size ? 1 : a.index - b.index));
  let union = AddressSet.EMPTY;
  let kept: typeof sized = [];
  for (const entry of sized) {
    if (union.containsAll(entry.part)) continue;
    union = union.union(entry.part);
    kept.push(entry);
  }
  if (!union.coversInternet(family)) return [];
  // Smallest first, a piece smaller than the remainder the internet may lack is dropped where the others still cover it.
  const routableSize = routableSpace.sizeOf(family);
  for (const entry of [...kept].reverse()) {
    if (entry.size * 256n >= routableSize || kept.length < 3) continue;
    const others = kept.filter((other) => other !== entry);
    if (unionOf(others.map((other) => other.part)).coversInternet(family)) kept = others;
  }
  return kept.sort((a, b) => a.index - b.index).map((entry) => entry.piece);
}

/**
 * Whether pieces could cover the internet on IPv4 or on IPv6 together: only if their sizes add up to nearly all of a
 * family's public addresses. Most targets stop here, before any world, intersection or union is built.
 */
export function mayCoverWorldTogether(pieces: ReadonlyArray<{ addresses: AddressSet }>): boolean {
  if (pieces.length < 2) return false;
  let v4 = 0n;
  let v6 = 0n;
  for (const piece of pieces) {
    v4 += piece.addresses.sizeOf(4);
    v6 += piece.addresses.sizeOf(6);
  }
  return mayCoverInternet(v4, 4) || mayCoverInternet(v6, 6);
}

/** How many CIDRs a message lists before it counts the rest. */
const MAX_LISTED_CIDRS = 4;

/** A list of at most `max` items, the rest counted (`a, b, c, d and 5 more`). */
export function cappedList(items: readonly string[], max = MAX_LISTED_CIDRS): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/**
 * The addresses a world-open set lacks of the families it covers the internet on without holding all of them (see
 * `AddressSet.coversInternet`): what deny rules, or the written peer, leave out of `0.0.0.0/0` or `::/0`. Empty when
 * the set holds every address of each family it is world-open on (the exact case).
 */
function worldExclusions(addresses: AddressSet): AddressSet {
  let excluded = AddressSet.EMPTY;
  for (const family of [4, 6] as const) {
    // A family the set holds none or all of lacks nothing (`0.0.0.0/0`, most findings): no intersection is built.
    if (!holdsPartOf(addresses, family)) continue;
    const all = family === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6;
    const part = addresses.intersect(all);
    if (part.coversInternet(family)) excluded = excluded.union(all.subtract(part));
  }
  return excluded;
}

/** Whether `addresses` holds some but not all addresses of `family`. */
function holdsPartOf(addresses: AddressSet, family: 4 | 6): boolean {
  return addresses.intervalsOf(family).length > 0 && !(family === 4 ? addresses.coversAllIpv4() : addresses.coversAllIpv6());
}

/**
 * A world-open set named by what it lacks, where it covers the internet on a family without holding all of it:
 * `0.0.0.0/0 except 0.0.0.0/32`, or where private addresses are among those left out (which no internet host has),
 * `every public IPv4 address` and the routable ones it lacks (`… except 198.51.99.0/24`). A single CIDR (`2000::/3`)
 * and other families as their CIDRs.
 * Undefined when no family is such (the exact case), which the caller names as before.
 */
function describeWorldExclusions(addresses: AddressSet): string | undefined {
  if (worldExclusions(addresses).isEmpty()) return undefined;
  const texts: Array<{ whole: string; except?: string }> = [];
  for (const family of [4, 6] as const) {
    const all = family === 4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6;
    const part = addresses.intersect(all);
    if (part.isEmpty()) continue;
    const excluded = all.subtract(part);
    const partCidrs = cidrsOf(part);
    // One CIDR that covers the internet is named as written (`2000::/3`, `::/1`), not by all it leaves out.
    if (!part.coversInternet(family) || excluded.isEmpty() || partCidrs.length === 1) texts.push({ whole: cappedList(partCidrs) });
    else if (!excluded.overlaps(PRIVATE_ADDRESSES)) texts.push({ whole: cidrsOf(all)[0]!, except: cappedList(cidrsOf(excluded)) });
    else {
      // The routable ones: private, bogon and (IPv6) non-global space left out is no internet host's.
      const publicLeftOut = routableAddressesOf(family).subtract(part);
      texts.push(publicLeftOut.isEmpty() ? { whole: `every public IPv${family} address` } : { whole: `every public IPv${family} address`, except: cappedList(cidrsOf(publicLeftOut)) });
    }
  }
  // Beside the other family, the exception in parentheses: "0.0.0.0/0 except 0.0.0.0/32 and ::/0" would read as both.
  if (texts.length === 1) return texts[0]!.except === undefined ? texts[0]!.whole : `${texts[0]!.whole} except ${texts[0]!.except}`;
  return texts.map(({ whole, except }) => (except === undefined ? whole : `${whole} (except ${except})`)).join(' and ');
}

/**
 * The deny rules that carve `excluded` (see `worldExclusions`) out of what `rules` allow: those that take precedence
 * over one of them (platform semantics), on some of `traffic`, from some of the excluded addresses the rule's peer
 * holds. `excluded` undefined: what is carved has no addresses, as the rules' peer is a keyword (Windows
 * `LocalSubnet`), which a deny of the same keyword or of every address carves.
 * In rule order: a world-open finding shows them as related locations.
 */
function carvingDenies(target: Target, rules: readonly Rule[], excluded: AddressSet | undefined, traffic: ReadonlyArray<{ protocols: IntervalSet; ports: PortSet }>): Rule[] {
  if (excluded?.isEmpty() === true) return [];
  const denies = activeDenies(target, rules[0]!.direction);
  if (denies.length === 0) return [];
  const found = new Set<Rule>();
  for (const rule of rules) {
    const reaches = excluded === undefined ? keywordCarvedBy(rule) : addressesCarvedBy(rule.peer.kind === 'addresses' ? excluded.intersect(rule.peer.addresses) : excluded);
    for (const deny of precedingDenies(rule, denies)) {
      if (found.has(deny) || !reaches(deny)) continue;
      const protocols = protocolSet(deny.protocol);
      if (traffic.some((each) => each.protocols.overlaps(protocols) && each.ports.overlaps(deny.ports))) found.add(deny);
    }
  }
  return found.size === 0 ? [] : denies.filter((deny) => found.has(deny));
}

/** Whether a deny's addresses meet `taken`. */
function addressesCarvedBy(taken: AddressSet): (deny: Rule) => boolean {
  return (deny) => deny.peer.kind === 'addresses' && deny.peer.addresses.overlaps(taken);
}

/**
 * Whether a deny takes a keyword rule's peer (all of it, on the deny's traffic) out: it is the same keyword, or holds
 * every address. One holding a whole family only (`0.0.0.0/0`) leaves the keyword's addresses of the other, which a
 * grant without addresses cannot say: not named.
 */
function keywordCarvedBy(rule: Rule): (deny: Rule) => boolean {
  const keyword = rule.peer.kind === 'keyword' ? rule.peer.name : undefined;
  if (keyword === undefined) return () => false;
  return (deny) => (deny.peer.kind === 'keyword' && deny.peer.name === keyword) || (deny.peer.kind === 'addresses' && deny.peer.addresses.coversEveryAddress());
}

const activeDeniesOf = new WeakMap<Target, Map<Rule['direction'], Rule[]>>();

/** A target's enabled deny rules of one direction, in rule order; listed once per target (a host may have thousands). */
function activeDenies(target: Target, direction: Rule['direction']): Rule[] {
  let byDirection = activeDeniesOf.get(target);
  if (byDirection === undefined) activeDeniesOf.set(target, (byDirection = new Map()));
  let denies = byDirection.get(direction);
  if (denies === undefined) byDirection.set(direction, (denies = target.rules.filter((rule) => rule.enabled && rule.action === 'deny' && rule.direction === direction)));
  return denies;
}

/**
 * How a world-open finding names addresses that deny rules narrowed, and what they lack: by what they lack of the
 * internet (`describeWorldExclusions`), or, for a rule world-open only with others whose addresses a deny cut into
 * many CIDRs, as its written peer less what was taken (`128.0.0.0/1 except 203.0.113.7/32`). Undefined where the
 * addresses read as they are (a few CIDRs, or no written peer to name them by).
 */
export function carvedAddresses(addresses: AddressSet, rules: readonly Rule[]): { text: string; excluded: AddressSet } | undefined {
  const worldText = describeWorldExclusions(addresses);
  if (worldText !== undefined) return { text: worldText, excluded: worldExclusions(addresses) };
  const cidrs = cidrsOf(addresses);
  if (cidrs.length <= MAX_LISTED_CIDRS) return undefined;
  let written = AddressSet.EMPTY;
  for (const rule of rules) {
    if (rule.peer.kind !== 'addresses') return undefined;
    written = written.union(rule.peer.addresses);
  }
  // Within the families the addresses have: a deny of all of IPv6 is not what the IPv4 addresses lack.
  const size = addresses.size();
  written = written.intersect((size.v4 > 0n ? AddressSet.ALL_V4 : AddressSet.EMPTY).union(size.v6 > 0n ? AddressSet.ALL_V6 : AddressSet.EMPTY));
  if (!written.containsAll(addresses)) return undefined;
  const excluded = written.subtract(addresses);
  const writtenCidrs = cidrsOf(written);
  const excludedCidrs = cidrsOf(excluded);
  if (writtenCidrs.length + excludedCidrs.length >= cidrs.length) return undefined;
  return { text: `${cappedList(writtenCidrs)} except ${cappedList(excludedCidrs)}`, excluded };
}

/** What a world-open finding lacks only under conditions: the addresses, and the condition each is taken out under. */
export interface ConditionalExceptions {
  /** What the finding's rules open in some of the cases where it holds: its own addresses and `exceptWhen`'s. */
  addresses: AddressSet;
  /** Named with `carvedAddresses` of `addresses`: `every public IPv4 address (except 8.8.8.0/24 when var.strict)`. */
  text: string;
  /** What `carvedAddresses` of `addresses` lacks, and the conditional exceptions: their denies are related locations. */
  excluded: AddressSet;
  /** For JSON/SARIF `openFrom`/`exceptWhen`: each exception with its condition, in address order. */
  exceptWhen: Array<{ peer: string; when: string }>;
}

/**
 * The pieces of written rules that exist only under a condition of a deny (`Grant.when`: an allow from `0.0.0.0/0`
 * is open from `8.8.8.0/24` only where a deny of it under `var.strict` does not exist), by written rule. Undefined
 * when there are none (most targets).
 */
export function conditionalPiecesByConstruct(pieces: readonly ConstructPiece[], constructOf: (piece: ConstructPiece) => Rule): Map<Rule, ConstructPiece[]> | undefined {
  let byConstruct: Map<Rule, ConstructPiece[]> | undefined;
  for (const piece of pieces) {
    if (piece.when === undefined) continue;
    byConstruct ??= new Map();
    const construct = constructOf(piece);
    const list = byConstruct.get(construct);
    if (list) list.push(piece);
    else byConstruct.set(construct, [piece]);
  }
  return byConstruct;
}

/**
 * The conditional exceptions (`conditionalExceptions`) of a world-open finding on `addresses` (what its `rules`, of
 * the written rules `constructs`, open in every case where it holds, `when`): the addresses of its families that
 * pieces of those written rules under a narrower condition (`conditionalPiecesByConstruct`) open on all of `traffic`
 * and the same Windows profiles. Undefined when there are none.
 */
export function exceptionsUnderConditions(target: Target, constructs: Iterable<Rule>, conditional: ReadonlyMap<Rule, readonly ConstructPiece[]> | undefined, addresses: AddressSet, rules: readonly Rule[], traffic: ReadonlyArray<{ protocols: IntervalSet; ports: PortSet; icmp?: IntervalSet }>, when: Branched, profiles: number): ConditionalExceptions | undefined {
  if (conditional === undefined) return undefined;
  const siblings = [...new Set(constructs)].flatMap((construct) => conditional.get(construct) ?? []).filter((piece) => piece.profiles === profiles && narrowerCondition(piece.when!, when));
  if (siblings.length === 0) return undefined;
  const size = addresses.size();
  const families = (size.v4 > 0n ? AddressSet.ALL_V4 : AddressSet.EMPTY).union(size.v6 > 0n ? AddressSet.ALL_V6 : AddressSet.EMPTY);
  let sometimes: AddressSet | undefined;
  for (const each of traffic) {
    let open = AddressSet.EMPTY;
    for (const piece of siblings) {
      if (!piece.protocols.containsAll(each.protocols) || !piece.ports.containsAll(each.ports)) continue;
      if (each.icmp !== undefined && piece.icmp !== undefined && !piece.icmp.containsAll(each.icmp)) continue;
      open = open.union(piece.addresses.intersect(families));
    }
    // Open in some case on all of the finding's traffic: an exception on part of it only is not the finding's.
    sometimes = sometimes === undefined ? addresses.union(open) : sometimes.intersect(addresses.union(open));
  }
  return sometimes && conditionalExceptions(target, rules, addresses, sometimes, traffic, when);
}

/**
 * A world-open set (`always`, what its rules open in every case where the finding holds, `when`) that its rules open
 * from more addresses where a deny under a condition does not exist (`sometimes`): named by what it lacks in every
 * case, and each conditional exception with the deny's condition, less what `when` says already: `every public IPv4
 * address (except 8.8.8.0/24 when var.strict)`, `0.0.0.0/0 except 192.0.2.0/24 (and 8.8.8.0/24 when var.strict)`.
 * Undefined when `sometimes` adds nothing, or holds addresses no deny under a condition explains.
 */
function conditionalExceptions(target: Target, rules: readonly Rule[], always: AddressSet, sometimes: AddressSet, traffic: ReadonlyArray<{ protocols: IntervalSet; ports: PortSet }>, when: Branched): ConditionalExceptions | undefined {
  const conditional = sometimes.subtract(always);
  if (conditional.isEmpty()) return undefined;
  const said = new Set(branchLiterals(when));
  // Disjoint address cells, each with the conditions of the denies that take it out.
  let cells: Array<{ addresses: AddressSet; conditions: string[] }> = [];
  for (const deny of carvingDenies(target, rules, conditional, traffic)) {
    const condition = denyConditionBeyond(deny, when, said);
    if (condition === undefined || deny.peer.kind !== 'addresses') continue;
    let rest = deny.peer.addresses.intersect(conditional);
    const next: typeof cells = [];
    for (const cell of cells) {
      const shared = cell.addresses.intersect(rest);
      if (shared.isEmpty()) {
        next.push(cell);
        continue;
      }
      next.push({ addresses: shared, conditions: [...cell.conditions, condition] });
      const own = cell.addresses.subtract(shared);
      if (!own.isEmpty()) next.push({ addresses: own, conditions: cell.conditions });
      rest = rest.subtract(shared);
    }
    if (!rest.isEmpty()) next.push({ addresses: rest, conditions: [condition] });
    cells = next;
  }
  if (!unionOf(cells.map((cell) => cell.addresses)).containsAll(conditional)) return undefined;
  // One entry per condition (several denies of one address: when any of them exists).
  const byCondition = new Map<string, AddressSet>();
  for (const { addresses, conditions } of cells) {
    const condition = anyOfConditions(when, conditions);
    byCondition.set(condition, (byCondition.get(condition) ?? AddressSet.EMPTY).union(addresses));
  }
  const exceptWhen = [...byCondition].map(([condition, addresses]) => ({ addresses, condition })).sort((a, b) => compareFirstAddress(a.addresses, b.addresses));
  const carved = carvedAddresses(sometimes, rules);
  const base = carved?.text ?? cappedList(cidrsOf(sometimes));
  const exceptions = exceptionsWhen(exceptWhen.map(({ addresses, condition }) => ({ text: cappedList(cidrsOf(addresses)), condition })));
  return {
    addresses: sometimes,
    text: `${base} (${base.includes(' except ') ? 'and' : 'except'} ${exceptions})`,
    excluded: (carved?.excluded ?? AddressSet.EMPTY).union(conditional),
    exceptWhen: exceptWhen.map(({ addresses, condition }) => ({ peer: cidrText(addresses), when: condition })),
  };
}

/**
 * The condition of a deny that exists only under one, less what the finding's condition `when` (whose literals are
 * `said`) says already; undefined for a deny under no condition of its own, one that never exists together with the
 * finding's rules.
 */
function denyConditionBeyond(deny: Rule, when: Branched, said: ReadonlySet<string>): string | undefined {
  if (deny.branch === undefined || !branchesCompatible(when, deny)) return undefined;
  return branchOfLiterals(deny.kind, branchLiterals(deny).filter((literal) => !said.has(literal)));
}

/** Several denies' conditions as one: the part is taken out when any of them exists (`var.strict or var.eu`). */
function anyOfConditions(when: Branched, conditions: readonly string[]): string {
  return conditions.length === 1 ? conditions[0]! : branchOfAnyText(when.kind, conditions) ?? conditions.join(' or ');
}

/** Exceptions named with their conditions, as world-open findings list them: `8.8.8.0/24 when var.strict; tcp/25 when var.eu`. */
export function exceptionsWhen(exceptions: ReadonlyArray<{ text: string; condition: string }>): string {
  return exceptions.map(({ text, condition }) => `${text} when ${condition}`).join('; ');
}

/**
 * The condition under which denies that exist only under one take `addresses` on `traffic` out of `rules` (undefined:
 * out of their keyword peer, see `carvingDenies`), where their finding holds (`when`): each deny's condition less
 * what `when` says, any of them (`var.strict or var.eu`). Undefined when no such deny takes part of them out. FW102
 * names what it leaves open only where they are absent.
 */
export function carvingDenyCondition(target: Target, rules: readonly Rule[], addresses: AddressSet | undefined, traffic: ReadonlyArray<{ protocols: IntervalSet; ports: PortSet }>, when: Branched): string | undefined {
  const said = new Set(branchLiterals(when));
  const conditions = [...new Set(carvingDenies(target, rules, addresses, traffic).map((deny) => denyConditionBeyond(deny, when, said)).filter((condition) => condition !== undefined))];
  return conditions.length === 0 ? undefined : anyOfConditions(when, conditions);
}

/** IPv4 sets before IPv6 ones, then by their lowest address. */
function compareFirstAddress(a: AddressSet, b: AddressSet): number {
  const first = (set: AddressSet): [number, bigint] => {
    const v4 = set.intervalsOf(4)[0];
    return v4 !== undefined ? [4, v4[0]] : [6, set.intervalsOf(6)[0]?.[0] ?? 0n];
  };
  const [familyA, lowA] = first(a);
  const [familyB, lowB] = first(b);
  return familyA - familyB || (lowA < lowB ? -1 : lowA > lowB ? 1 : 0);
}

/**
 * The denies that carve `excluded` (what `carvedAddresses` says the finding's addresses lack) out of its rules, as
 * related locations and as rules it names: the exceptions the message lists are their addresses, which redaction
 * hides where sensitive.
 */
export function withCarvingDenies(spec: FindingSpec, target: Target, rules: readonly Rule[], excluded: AddressSet): void {
  const denies = carvingDenies(target, rules, excluded, spec.traffic ?? []);
  if (denies.length === 0) return;
  // Once per written deny: the model rules of one (a GCP rule's source ranges) share its location.
  spec.alsoRelated = denies.map((deny) => deny.location).filter((location, index, all) => all.findIndex((other) => compareLocations(other, location) === 0) === index);
  spec.namedRules = denies;
}

/**
 * The condition under which `piece` is world-open together with `together` (pieces of one world, so compatible): its
 * own and theirs. An unconditional `0.0.0.0/1` that a `128.0.0.0/1` under `IsProd` completes is so `IsProd=true`.
 */
export function conditionTogether<T>(piece: T, together: readonly T[], conditionOf: (piece: T) => Branched): Branched {
  const own = conditionOf(piece);
  if (together.every((other) => conditionOf(other).branch === undefined || conditionOf(other).branch === own.branch)) return own;
  const branch = branchOfLiterals(own.kind, [own, ...together.map(conditionOf)].flatMap(branchLiterals));
  return branch === own.branch ? own : { kind: own.kind, branch };
}

/** Whether condition `a` says more than `b`: every literal of `b`, and others. */
export function narrowerCondition(a: Branched, b: Branched): boolean {
  const literals = new Set(branchLiterals(a));
  const others = branchLiterals(b);
  return others.length < literals.size && others.every((literal) => literals.has(literal));
}

/**
 * Findings of one rule under different conditions on the same traffic are told apart by the condition too; a finding
 * alone on its traffic keeps the fingerprint it had before conditions of denies and combinations were named. Those
 * that say the same under different conditions are one, under any of them (`sameUnderConditions`).
 */
export function distinctKeys(specs: FindingSpec[]): FindingSpec[] {
  // Almost every target has no finding under a condition of its own: nothing to tell apart.
  if (!specs.some((spec) => spec.branch !== undefined)) return specs;
  const findings = sameUnderConditions(specs);
  const counts = new Map<string, number>();
  const identity = (spec: FindingSpec): string => `${(spec.rule as Rule).id}\u0000${spec.key ?? ''}`;
  for (const spec of findings) counts.set(identity(spec), (counts.get(identity(spec)) ?? 0) + 1);
  for (const spec of findings) if (spec.branch !== undefined && counts.get(identity(spec))! > 1) spec.key = `${spec.key ?? ''}\u0000${spec.branch}`;
  return findings;
}

/**
 * Findings of one rule that say the same (message and traffic) under different conditions of their own as one, under
 * any of them: an allow that a deny under `var.a and var.b` closes is open under `!var.a` and under `var.a and !var.b`
 * (disjoint pieces, see `negatedBranchCells`), one finding `(when !var.a or !var.b)`.
 */
function sameUnderConditions(findings: FindingSpec[]): FindingSpec[] {
  const groups = new Map<string, FindingSpec[]>();
  for (const spec of findings) {
    if (spec.branch === undefined) continue;
    const identity = `${(spec.rule as Rule).id}\u0000${spec.messageId}\u0000${spec.key ?? ''}\u0000${JSON.stringify(spec.data)}`;
    const group = groups.get(identity);
    if (group) group.push(spec);
    else groups.set(identity, [spec]);
  }
  const merged = new Set<FindingSpec>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    const branch = branchOfAnyText(first.rule!.kind, group.map((spec) => spec.branch!));
    if (branch === undefined || branch === first.rule!.branch) delete first.branch;
    else first.branch = branch;
    for (const spec of group.slice(1)) merged.add(spec);
  }
  return merged.size === 0 ? findings : findings.filter((spec) => !merged.has(spec));
}
