import { AddressSet, unionOf } from '../model/address-set';
import { branchImplies } from '../model/branch';
import { IntervalSet } from '../model/interval-set';
import { branchOfAnyText, branchWorldConditions } from '../model/branch';
import { describePeer } from '../model/peer';
import { PortSet } from '../model/port-set';
import { constructAfter, SOURCE_PORT_CONDITION, type Direction, type Platform, type Rule } from '../model/rule';
import type { Target } from '../model/target';
import { ALL_PROFILES, possiblePortsOf, profileBits, profileNames, protocolSet, type EffectiveSet, type Grant } from './effective';
import { ALL_ICMP_MESSAGES, icmpMessagesOf, icmpVersionOf, icmpWitness, restrictedIcmpMessages } from './icmp';
import { describeTraffic } from './traffic';

export type FlowProtocol = 'tcp' | 'udp' | 'icmp' | 'all';

/** A vendor flow as the engine needs it (structurally the packs' RequiredFlow). */
export interface ProfileFlow {
  id: string;
  direction: Direction;
  protocol: FlowProtocol;
  ports: PortSet;
  peer: string;
  purpose: string;
  phase?: 'install' | 'operate';
  condition?: string;
  alternatives: Array<{ protocol: FlowProtocol; ports: PortSet }>;
  /** The replies of other flows, which a stateless NACL needs entries for (see `assignmentOn`). */
  isReply?: true;
}

/** A role applied to a target: what it requires now, and everything the role may ever use (never excess). */
export interface ProfileAssignment {
  ref: string;
  title: string;
  phase?: 'install' | 'operate';
  /**
   * Options selected for the target. A flow conditioned on another option is tolerated (never excess) only where
   * its peer is bound, and then only from those addresses: unbound, it would permit its traffic from anywhere (an
   * unselected `all traffic from ha-partner` would excuse every rule). Undefined: every option counts as selected.
   */
  options?: string[];
  /** Flows required for the selected phase and options. */
  required: ProfileFlow[];
  /** Every flow of the role across phases and options: the advanced set FW202 measures breadth against. */
  permitted: ProfileFlow[];
  /** The vendor's basic (permissive) rules, to recognise them in messages. */
  basic: ProfileFlow[];
  /** Bound peers; an unbound peer is satisfied by any source (contract: coverage semantics). */
  peers: Record<string, AddressSet>;
  /** The pack's parameter values in use (ScaleIO `wmi-port`), when it has parameters: renderings name them. */
  parameters?: Record<string, number>;
  /**
   * Security groups of the scan mapped to a role: group id (as rules reference it) -> `pack/role`. A rule whose peer
   * references such a group of the same pack stands for the addresses bound to the peer named after that role, else
   * for those of the peers `peerRoles` ties to the role. With none bound the group's members are unknown, as for an
   * unmapped group: the rule may carry any bound flow, whatever the flow's peer is called. A role name is no proof
   * that the members are not some other peer: one instance may carry groups of several roles (NetApp's HA mediator
   * carries the `ha-mediator` and `ha-mediator-internal` groups, and CVO's flows to the peer `ha-mediator` land on
   * the internal one), so only the pack ties other peers to a role.
   */
  groups?: Record<string, string>;
  /**
   * The pack's `peerRoles`: peer -> roles whose groups hold that peer's hosts. A reference to a group mapped to such a
   * role, whose own role-named peer is not bound, stands for the addresses bound to those peers (NetApp: a reference
   * to the group mapped to `cvo` stands for the bound `ha-nodes`).
   */
  peerRoles?: Record<string, readonly string[]>;
}

export interface TrafficBox {
  protocols: IntervalSet;
  ports: PortSet;
  /** Undefined: any address (unbound peer). */
  addresses?: AddressSet;
  /**
   * The ICMP messages (`icmpMessagesOf`), only in a box of ICMP protocols that holds some of them (a rule for echo
   * requests, or what a deny of some types left of an ICMP allow); undefined: every message, the dimension plays no
   * part (every TCP, UDP and all-ICMP box, so those keep the three-dimension path).
   */
  icmp?: IntervalSet;
}

/**
 * A box, always of one shape (the four properties, in this order, `addresses` and `icmp` possibly undefined): the
 * engine's hot functions then see one hidden class and stay optimized instead of deoptimizing on each new combination.
 */
function trafficBox(protocols: IntervalSet, ports: PortSet, addresses?: AddressSet, icmp?: IntervalSet): TrafficBox {
  return { protocols, ports, addresses, icmp };
}

export interface MissingFlow {
  flow: ProfileFlow;
  missing: TrafficBox[];
  /** One concrete packet that the target does not allow. */
  witness: string;
  /** Deny rules that remove part of the flow, when that is why it is missing. */
  blockedBy: Rule[];
  /** Windows profiles (bits) on which exactly this part is missing; undefined when it is missing on every profile. */
  profiles?: number;
  /**
   * Allow rules whose peer or ports could not be resolved (a variable, an unmapped security group, a prefix list)
   * and that may carry the missing part: the flow is then unconfirmed rather than missing.
   */
  unconfirmed: Rule[];
  /**
   * The condition (written as `Rule.branch` is) under which this part is missing, where the rules carrying the flow
   * exist only under some branches of an undecidable condition (`IsProd=false` where tcp/3000 is allowed only under
   * `IsProd`); undefined: it is missing whatever the conditions.
   */
  branch?: string;
  /**
   * Allow rules that would carry part of what is missing but for their source-port limit (`matchesClients`): the
   * limit is why the flow is missing there.
   */
  limitedBySourcePort?: Rule[];
  /**
   * The target's group or ACL is defined outside the scanned input (`Target.definedElsewhere`): its rules there may
   * carry what the rules written here do not, so the flow is unconfirmed rather than missing.
   */
  definedElsewhere?: true;
  /** Why the target's rules in the input may be incomplete (`Target.incompleteBecause`): unconfirmed too. */
  incompleteBecause?: string;
}

export interface ExcessGrant {
  /** The rule, or for a written rule of several model rules (a netsh RemoteIP list) the first of them. */
  rule: Rule;
  /** Every model rule of that written rule, in rule order, when there are several. */
  rules?: Rule[];
  /** What the rule allows in all (its effective part). */
  granted: TrafficBox[];
  /** The part of `granted` inside the advanced set (exact; pieces may overlap). */
  allowed: TrafficBox[];
  /**
   * The rule as written and the parts of it that higher-precedence denies remove, so that the excess reads as
   * `written − (allowed ∪ removed)`; undefined where denies cut Windows profiles apart (the pieces say it then).
   */
  written?: { box: TrafficBox; removed: TrafficBox[] };
  excess: TrafficBox[];
  witness: string;
  /**
   * Flows of the selected phase and options that this rule overlaps and that no rule without excess already
   * carries: what it was meant to carry, rendered as its replacement.
   */
  replacementFlows: ReplacementFlow[];
  /** Flows of options not selected, with unbound peers, that overlap the excess (they would permit it if used). */
  unselectedFlows: ProfileFlow[];
  /** Windows profiles (bits) of the excess; ALL_PROFILES elsewhere. */
  profiles: number;
  /**
   * The Windows profiles of each box of `excess`, when they differ (a block rule closed part of the rule on some
   * profiles only): the excess must then be told per profile.
   */
  excessProfiles?: number[];
  isVendorBasicRule: boolean;
}

/**
 * A flow the replacement of an over-broad rule names. `addresses`, for a bound peer that rules without excess already
 * allow in part: the rest of its addresses, which is all the replacement must allow (it would duplicate those rules).
 */
export interface ReplacementFlow extends ProfileFlow {
  addresses?: AddressSet;
}

export interface InstallOnlyOpen {
  /** The rule, or for a written rule of several model rules (a netsh RemoteIP list) the first of them. */
  rule: Rule;
  /** Every model rule of that written rule, in rule order, when there are several. */
  rules?: Rule[];
  /** The install-phase flows that alone need the reported traffic. */
  flows: ProfileFlow[];
  /** Protocols and ports of all the reported traffic (`parts` without their addresses). */
  open: TrafficBox;
  /**
   * The reported traffic, exactly. A part without addresses is ports that no flow of the operate phase uses, reported
   * whatever the rule's source (ScaleIO's 135, 445 and WMI port). A part with addresses is the bound addresses of an
   * install-phase flow's peer (`peer`) on ports the operate phase needs only from other peers' addresses (ScaleIO's
   * 9011 from `installer`, which the operate phase needs from `scaleio-nodes`).
   */
  parts: Array<{ box: TrafficBox; peer?: string; profiles?: number }>;
  /**
   * Windows profiles (bits) the rule applies on; ALL_PROFILES elsewhere. When profiles leave different traffic open
   * (a block rule on one of them), every part has its own `profiles` too.
   */
  profiles: number;
}

export interface ProfileDiff {
  assignment: ProfileAssignment;
  missing: MissingFlow[];
  excess: ExcessGrant[];
  installOnlyOpen: InstallOnlyOpen[];
}

/** The written rules the role needs none of (excess without replacement flows, not the implicit egress): to be removed. */
export function rulesToRemove(diff: ProfileDiff): Set<Rule> {
  return new Set(diff.excess.filter((excess) => !excess.rule.synthetic && excess.replacementFlows.length === 0).flatMap((excess) => excess.rules ?? [excess.rule]));
}

const ALL_PROTOCOLS = IntervalSet.range(0n, 255n);

/**
 * Protocol numbers of a vendor flow. A vendor's "ICMP" requires ICMPv4 (the documents name IPv4 peers), while
 * ICMPv6 is permitted too (`forPermitted`), so neither is counted missing or excess for the other family.
 */
const TCP_ONLY = IntervalSet.range(6n, 6n);
const UDP_ONLY = IntervalSet.range(17n, 17n);
const ICMP_V4 = IntervalSet.range(1n, 1n);
const ICMP_BOTH = IntervalSet.of([[1n, 1n], [58n, 58n]]);

export function flowProtocols(protocol: FlowProtocol, forPermitted = false): IntervalSet {
  switch (protocol) {
    case 'tcp':
      return TCP_ONLY;
    case 'udp':
      return UDP_ONLY;
    case 'icmp':
      return forPermitted ? ICMP_BOTH : ICMP_V4;
    case 'all':
      return ALL_PROTOCOLS;
  }
}

function flowBox(flow: { protocol: FlowProtocol; ports: PortSet }, addresses: AddressSet | undefined, forPermitted = false): TrafficBox {
  const ports = flow.protocol === 'tcp' || flow.protocol === 'udp' ? flow.ports : PortSet.ALL;
  const protocols = flowProtocols(flow.protocol, forPermitted);
  return trafficBox(protocols, ports, addresses);
}

const ICMP_V6 = IntervalSet.range(58n, 58n);

/**
 * The traffic a required flow needs. An ICMP flow bound to IPv6 addresses needs ICMPv6 from them (ICMPv4 cannot
 * reach an IPv6 peer) and ICMPv4 from the IPv4 ones; unbound, it needs ICMPv4 as the vendor documents state.
 */
function requiredBoxes(flow: { protocol: FlowProtocol; ports: PortSet }, addresses: AddressSet | undefined): TrafficBox[] {
  if (flow.protocol !== 'icmp' || addresses === undefined) return [flowBox(flow, addresses)];
  const v4 = addresses.intersect(AddressSet.ALL_V4);
  const v6 = addresses.intersect(AddressSet.ALL_V6);
  const boxes: TrafficBox[] = [];
  if (!v4.isEmpty()) boxes.push(trafficBox(ICMP_V4, PortSet.ALL, v4));
  if (!v6.isEmpty()) boxes.push(trafficBox(ICMP_V6, PortSet.ALL, v6));
  return boxes.length > 0 ? boxes : [flowBox(flow, addresses)];
}

/**
 * What the diff derives from an assignment alone, built on first use and kept with it: an assignment is shared by
 * every target mapped alike in a scope, so this is built once per role and scope, not once per target.
 */
interface PreparedRole {
  /** Per required flow: the traffic of the flow and of each alternative at its bound peer. */
  required: Map<ProfileFlow, TrafficBox[][]>;
  traffic?: Record<Direction, RoleTraffic>;
  installOnly?: Record<Direction, InstallOnlyTraffic[]>;
}

const preparedRoles = new WeakMap<ProfileAssignment, PreparedRole>();

function prepared(assignment: ProfileAssignment): PreparedRole {
  let role = preparedRoles.get(assignment);
  if (role === undefined) preparedRoles.set(assignment, (role = { required: new Map() }));
  return role;
}

/** The traffic a flow requires at its bound peer: the flow's own boxes first, then each alternative's. */
export function requiredTraffic(assignment: ProfileAssignment, flow: ProfileFlow): TrafficBox[][] {
  const byFlow = prepared(assignment).required;
  let variants = byFlow.get(flow);
  if (variants === undefined) {
    const bound = boundPeer(assignment, flow.peer);
    variants = [flow, ...flow.alternatives].map((variant) => requiredBoxes(variant, bound));
    byFlow.set(flow, variants);
  }
  return variants;
}

function isEmptyBox(box: TrafficBox): boolean {
  return box.protocols.isEmpty() || box.ports.isEmpty() || (box.addresses !== undefined && box.addresses.isEmpty()) || (box.icmp !== undefined && box.icmp.isEmpty());
}

/**
 * `a − b`, exact; an undefined address set is "any address", undefined ICMP messages every message. Dimension by
 * dimension: protocols, ports, ICMP messages (only where `b` holds some of them), addresses.
 */
export function subtractTraffic(a: TrafficBox, b: TrafficBox): TrafficBox[] {
  if (!a.protocols.overlaps(b.protocols) || !a.ports.overlaps(b.ports)) return [a];
  if (a.icmp !== undefined && b.icmp !== undefined && !a.icmp.overlaps(b.icmp)) return [a];
  const protocols = a.protocols.intersect(b.protocols);
  const ports = a.ports.intersect(b.ports);
  if (protocols.isEmpty() || ports.isEmpty()) return [a];
  let addressRest: AddressSet | undefined;
  if (b.addresses !== undefined) {
    const aAddresses = a.addresses ?? AddressSet.ALL;
    if (!aAddresses.overlaps(b.addresses)) return [a];
    addressRest = aAddresses.subtract(b.addresses);
  }
  const pieces: TrafficBox[] = [
    trafficBox(a.protocols.subtract(b.protocols), a.ports, a.addresses, a.icmp),
    trafficBox(protocols, a.ports.subtract(b.ports), a.addresses, a.icmp),
  ];
  // `b` holds some ICMP messages only (its protocols are then ICMP, and so are those shared): the others stay.
  let messages = a.icmp;
  if (b.icmp !== undefined) {
    const aMessages = a.icmp ?? ALL_ICMP_MESSAGES;
    pieces.push(trafficBox(protocols, ports, a.addresses, aMessages.subtract(b.icmp)));
    messages = aMessages.intersect(b.icmp);
  }
  if (addressRest !== undefined) pieces.push(trafficBox(protocols, ports, addressRest, messages));
  return pieces.filter((piece) => !isEmptyBox(piece));
}


/**
 * True when `outer` holds all of `inner`, so that `inner − outer` is empty; allocates nothing. An undefined address
 * set is any address, as in subtractTraffic.
 */
function boxContains(outer: TrafficBox, inner: TrafficBox): boolean {
  if (!outer.protocols.containsAll(inner.protocols) || !outer.ports.containsAll(inner.ports)) return false;
  if (outer.icmp !== undefined && !outer.icmp.containsAll(inner.icmp ?? ALL_ICMP_MESSAGES)) return false;
  if (outer.addresses === undefined) return true;
  return outer.addresses.containsAll(inner.addresses ?? AddressSet.ALL);
}

/**
 * The pieces of a cover (the grants of a target, the flows of a role), prepared for "does one piece hold this box?":
 * a piece that holds a box holds its first protocol and first port, so each piece's hull of protocols and of ports,
 * as plain numbers, rules most pieces out before the exact BigInt comparison (a target's grants against a role's
 * flows, for 100k rules). Built on first use; the boxes are immutable.
 */
export class Cover {
  /** Per piece: lowest and highest protocol, lowest and highest port. */
  private hulls: number[] | undefined;

  constructor(readonly boxes: readonly TrafficBox[]) {}

  /** Whether one piece holds all of `box` (exact); `box` is not empty. */
  holds(box: TrafficBox): boolean {
    const boxes = this.boxes;
    const hulls = (this.hulls ??= hullsOf(boxes));
    const protocol = Number(box.protocols.first()!);
    const port = box.ports.first()!;
    for (let i = 0, h = 0; i < boxes.length; i++, h += 4) {
      if (hulls[h]! <= protocol && protocol <= hulls[h + 1]! && hulls[h + 2]! <= port && port <= hulls[h + 3]! && boxContains(boxes[i]!, box)) return true;
    }
    return false;
  }
}

function hullsOf(boxes: readonly TrafficBox[]): number[] {
  // A plain array: V8 allocates a small typed array far more slowly.
  const hulls: number[] = [];
  for (const { protocols, ports } of boxes) {
    const intervals = protocols.intervals;
    // An empty piece holds nothing: a hull no value lies in.
    if (intervals.length === 0 || ports.isEmpty()) hulls.push(1, 0, 1, 0);
    else hulls.push(Number(intervals[0]![0]), Number(intervals[intervals.length - 1]![1]), ports.first()!, ports.last()!);
  }
  return hulls;
}

/** Subtracts every box of `cover` from `boxes`, in cover order (the order shapes the pieces, not the set). */
export function subtractAll(boxes: TrafficBox[], cover: Cover | readonly TrafficBox[]): TrafficBox[] {
  const pieces = cover instanceof Cover ? cover.boxes : cover;
  // The common case: one box (a grant, a required flow) inside one piece of the cover. Whatever the pieces before
  // that one left of it lie inside that piece too, so the exact difference is empty; no set is built.
  if (boxes.length === 1 && !isEmptyBox(boxes[0]!)) {
    const only = boxes[0]!;
    if (cover instanceof Cover) {
      if (cover.holds(only)) return [];
    } else {
      for (let i = 0; i < pieces.length; i++) if (boxContains(pieces[i]!, only)) return [];
    }
  }
  let rest = boxes;
  for (let p = 0; p < pieces.length && rest.length > 0; p++) {
    const piece = pieces[p]!;
    let next: TrafficBox[] | undefined;
    for (let i = 0; i < rest.length; i++) {
      const parts = subtractTraffic(rest[i]!, piece);
      const unchanged = parts.length === 1 && parts[0] === rest[i];
      // Copy only once something changes: most cover pieces miss most boxes.
      if (!unchanged && !next) next = rest.slice(0, i);
      if (next) next.push(...parts);
    }
    if (next) rest = next;
  }
  return rest;
}

/** Boxes with the same protocols and ports joined (addresses united), then the same protocols and addresses (ports united). */
export function mergeBoxes(boxes: TrafficBox[]): TrafficBox[] {
  const byTraffic = new Map<string, TrafficBox>();
  for (const box of boxes) {
    const key = `${setKey(box.protocols)}|${box.ports.toString()}|${box.icmp ? setKey(box.icmp) : ''}|${box.addresses ? 'a' : 's'}`;
    const same = byTraffic.get(key);
    if (!same) byTraffic.set(key, box);
    else if (same.addresses && box.addresses) byTraffic.set(key, { ...same, addresses: same.addresses.union(box.addresses) });
  }
  const byPeer = new Map<string, TrafficBox>();
  for (const box of byTraffic.values()) {
    const key = `${setKey(box.protocols)}|${box.icmp ? setKey(box.icmp) : ''}|${box.addresses ? box.addresses.toString() : '-'}`;
    const same = byPeer.get(key);
    byPeer.set(key, same ? { ...same, ports: same.ports.union(box.ports) } : box);
  }
  return [...byPeer.values()];
}

/** Human text of a traffic box: `tcp/9011 from 10.0.0.0/24`. */
export function describeBox(box: TrafficBox, direction: Direction, peerName?: string): string {
  const traffic = describeTraffic(box.protocols, box.ports, box.icmp);
  const preposition = direction === 'in' ? 'from' : 'to';
  const peer = box.addresses ? box.addresses.toString() : peerName ? `${peerName} (any address)` : 'any address';
  return `${traffic} ${preposition} ${peer}`;
}

export function witnessOf(box: TrafficBox, direction: Direction): string {
  const protocol = box.protocols.first() ?? 0n;
  // ICMPv6 by name, as FW101's witnesses and every message's traffic text write it.
  const name = protocol === 6n ? 'tcp' : protocol === 17n ? 'udp' : protocol === 1n ? 'icmp' : protocol === 58n ? 'icmpv6' : `protocol ${protocol}`;
  // Some ICMP messages only: one of them, as FW101 names its witness (`icmp type 0 code 0`).
  const version = box.icmp === undefined ? undefined : icmpVersionOf(box.protocols);
  const message = version === undefined ? undefined : icmpWitness(version, box.icmp!);
  const port = protocol === 6n || protocol === 17n ? `/${box.ports.first()}` : message ? ` type ${message.type} code ${message.code}` : '';
  const address = box.addresses?.firstAddress() ?? '203.0.113.7';
  return `${name}${port} ${direction === 'in' ? 'from' : 'to'} ${address}`;
}

/**
 * Compares a target's effective allowed set with a role (Batfish-style): exact missing parts of every required
 * flow, exact excess of every allow rule beyond the role's advanced set, and install-only ports left open.
 */
export function computeProfileDiff(target: Target, effective: EffectiveSet, mapped: ProfileAssignment): ProfileDiff {
  const assignment = assignmentOn(target.platform, mapped);
  // Each grant judged once for the three questions.
  const judged = { in: judgeAll(effective.in, assignment), out: judgeAll(effective.out, assignment) };
  // A required flow is not called blocked by a block from a set known only at run time (`Internet`).
  const { possiblyAllowed } = effective;
  const carriers = possiblyAllowed.in.length === 0 && possiblyAllowed.out.length === 0 ? judged
    : { in: judged.in.concat(judgeAll(possiblyAllowed.in, assignment)), out: judged.out.concat(judgeAll(possiblyAllowed.out, assignment)) };
  return {
    assignment,
    missing: missingFlows(target, carriers, assignment),
    excess: excessGrants(judged, assignment),
    installOnlyOpen: installOnlyOpen(judged, assignment),
  };
}

/**
 * The ports a stateless NACL's return entries open for the replies of a TCP or UDP flow: the client's ephemeral ports,
 * as AWS advises for NACLs (1024-65535 holds the Linux, Windows and load balancer ranges; formats.md §1.8).
 */
const EPHEMERAL_PORTS = PortSet.range(1024, 65535);

const assignmentsWithReplies = new WeakMap<ProfileAssignment, ProfileAssignment>();

/**
 * The assignment as a target on `platform` needs it. A NACL (`aws-nacl`) is stateless: the replies of each flow (the
 * other direction, to or from the same peer, of the same protocol, on the ephemeral ports for TCP and UDP) pass only
 * through entries of their own, so they are required (FW201; but see `repliesOf` for UDP) and permitted (FW202), and
 * named in the advice, as the flows are. Stateful platforms let replies through: the assignment as mapped. Built once
 * per assignment.
 */
function assignmentOn(platform: Platform, assignment: ProfileAssignment): ProfileAssignment {
  if (platform !== 'aws-nacl') return assignment;
  let stateless = assignmentsWithReplies.get(assignment);
  if (stateless === undefined) {
    stateless = { ...assignment, required: [...assignment.required, ...repliesOf(assignment.required)], permitted: [...assignment.permitted, ...repliesOf(assignment.permitted)] };
    assignmentsWithReplies.set(assignment, stateless);
  }
  return stateless;
}

/** A flow's protocol and ports as the messages write them: `tcp/22`, `icmp`, `all traffic`. */
function flowTraffic(flow: { protocol: FlowProtocol; ports: PortSet }): string {
  return flow.protocol === 'tcp' || flow.protocol === 'udp' ? `${flow.protocol}/${flow.ports.toString()}` : flow.protocol === 'all' ? 'all traffic' : flow.protocol;
}

function replyPorts(protocol: FlowProtocol): PortSet {
  return protocol === 'tcp' || protocol === 'udp' ? EPHEMERAL_PORTS : PortSet.ALL;
}

/**
 * The reply flows of `flows` (FW201 does not require those of UDP: a UDP client may send from a fixed port, DHCP's 68,
 * NTP's 123, so which ports its replies need is not known): one per peer, direction, protocols (with alternatives),
 * phase and option, naming the flows it answers (SSH and HTTPS from `admin` have one reply, tcp/1024-65535 to
 * `admin`), so a missing one is told once.
 */
function repliesOf(flows: readonly ProfileFlow[]): ProfileFlow[] {
  const byKey = new Map<string, { reply: ProfileFlow; answered: string[] }>();
  for (const flow of flows) {
    const direction: Direction = flow.direction === 'in' ? 'out' : 'in';
    const protocols = [flow.protocol, ...flow.alternatives.map((alternative) => alternative.protocol)].filter((protocol, index, all) => all.indexOf(protocol) === index);
    // Not keyed by phase: the replies of an operate-phase flow and of one of both phases to the same peer are the same
    // traffic (one FW201 finding, not two with the same text); the reply is needed in every phase any of them is.
    const key = [direction, flow.peer, flow.condition ?? '', protocols.join(',')].join('\u0000');
    const answered = `${flowTraffic(flow)} ${flow.direction === 'in' ? 'from' : 'to'} ${flow.peer}`;
    const known = byKey.get(key);
    if (known) {
      if (!known.answered.includes(answered)) known.answered.push(answered);
      if (known.reply.phase !== flow.phase) delete known.reply.phase;
      continue;
    }
    const reply: ProfileFlow = {
      id: `${flow.id}-replies`,
      direction,
      protocol: flow.protocol,
      ports: replyPorts(flow.protocol),
      peer: flow.peer,
      purpose: '',
      isReply: true,
      alternatives: protocols.slice(1).map((protocol) => ({ protocol, ports: replyPorts(protocol) })),
    };
    if (flow.phase !== undefined) reply.phase = flow.phase;
    if (flow.condition !== undefined) reply.condition = flow.condition;
    byKey.set(key, { reply, answered: [answered] });
  }
  return [...byKey.values()].map(({ reply, answered }) => ({ ...reply, purpose: `replies to ${answered.join(', ')}: a NACL is stateless` }));
}

/** A peer's bound addresses; own keys only, so a peer named `constructor` is never an inherited function. */
function boundPeer(assignment: ProfileAssignment, peer: string): AddressSet | undefined {
  return Object.hasOwn(assignment.peers, peer) ? assignment.peers[peer] : undefined;
}

/**
 * The role of this assignment's pack that a referenced security group is mapped to (`pack/role`); undefined for any
 * other peer, and for a group that is unmapped or mapped to a role of another pack.
 */
export function mappedGroupRole(assignment: ProfileAssignment, peer: Rule['peer']): string | undefined {
  const groups = assignment.groups;
  if (peer.kind !== 'sg-ref' || !groups || !Object.hasOwn(groups, peer.id)) return undefined;
  const ref = groups[peer.id]!;
  return packOf(ref) === packOf(assignment.ref) ? ref : undefined;
}

/** The pack of a `pack/role` reference. */
function packOf(ref: string): string {
  const slash = ref.indexOf('/');
  return slash === -1 ? ref : ref.slice(0, slash);
}

/** Whether a flow's option is selected (flows without a condition always are). */
function isSelected(assignment: ProfileAssignment, flow: ProfileFlow): boolean {
  return flow.condition === undefined || assignment.options === undefined || assignment.options.includes(flow.condition);
}

/**
 * Whether a flow permits (excuses) any traffic: its option selected, or its peer bound, and then only from those
 * addresses (see ProfileAssignment.options): an unselected option's flow to an unbound peer excuses nothing.
 */
function permitsTraffic(assignment: ProfileAssignment, flow: ProfileFlow): boolean {
  return isSelected(assignment, flow) || boundPeer(assignment, flow.peer) !== undefined;
}

/**
 * Whether a flow is a NACL's reply to install-phase flows while the target is in the operate phase. Replies follow
 * their flows' phase: where the installer is unbound, those replies would be tcp/1024-65535 to every address, which
 * would excuse any return entry (FW202), although the operate phase needs none of them.
 */
function isInstallReplyInOperate(assignment: ProfileAssignment, flow: ProfileFlow): boolean {
  return flow.isReply === true && flow.phase === 'install' && assignment.phase === 'operate';
}

/**
 * A grant as the engine judges it: its addresses, or for a reference to a security group mapped to a role, the
 * addresses bound to the peer of that role's name. Without addresses (that peer unbound, an unmapped group, a prefix
 * list) the grant is symbolic: it may carry any bound flow on its protocols and ports, which is then unconfirmed.
 */
interface JudgedGrant {
  grant: Grant;
  box: TrafficBox;
  /**
   * The written rule the grant's rule is part of (its first model rule, see `sameConstruct`): a netsh rule's RemoteIP
   * items are one rule to the reader, and its excess is reported once.
   */
  construct: Rule;
}

/** The grants judged, each with its written rule: the model rules of one written rule come one after another. */
function judgeAll(grants: readonly Grant[], assignment: ProfileAssignment): JudgedGrant[] {
  const judged: JudgedGrant[] = [];
  let construct: Rule | undefined;
  for (let i = 0; i < grants.length; i++) {
    const grant = grants[i]!;
    if (grant.rule !== construct) construct = constructAfter(construct, grant.rule);
    judged.push(judgeGrant(grant, assignment, construct));
  }
  return judged;
}

function judgeGrant(grant: Grant, assignment: ProfileAssignment, construct: Rule): JudgedGrant {
  // An ICMP rule for some types (echo requests) carries only those of an all-ICMP flow.
  const icmp = restrictedIcmpMessages(grant);
  if (grant.addresses !== undefined) return { grant, box: trafficBox(grant.protocols, grant.ports, grant.addresses, icmp), construct };
  // A rule naming its own group (`self`) stands for the group's members, as a reference to another group mapped to
  // the same role does: both HA nodes of a CVO pair in one group reach each other through it. The members are the
  // role's own instances, but which addresses they have is known only where the pack ties a bound peer to the role
  // (its role-named peer, `peerRoles`); the bound addresses are then taken as the members, as for a reference.
  // Otherwise (ScaleIO's `scaleio-nodes` is every host of the cluster, of all four roles, and an SDS group holds some
  // of them) the rule may carry a bound flow but cannot confirm it: symbolic, so the flow is unconfirmed.
  return { grant, box: trafficBox(grant.protocols, grant.ports, groupPeerMembers(assignment, grant.rule.peer), icmp), construct };
}

/** The addresses a `self` or mapped-group peer stands for (see `judgeGrant`); undefined when unknown. */
function groupPeerMembers(assignment: ProfileAssignment, peer: Rule['peer']): AddressSet | undefined {
  const roles = (peer.kind === 'self' ? assignment.ref : mappedGroupRole(assignment, peer))?.split('/')[1];
  return roles !== undefined ? groupMembers(assignment, roles.split(',')) : undefined;
}

/**
 * For a peer that is a security group mapped to a role of the pack (or the group itself, `self`) whose members are not
 * bound (`groupPeerMembers`): the peers its hosts are, the one named after the role and those `peerRoles` ties to it
 * alone, where some of `flows` has such a peer; undefined otherwise (any peer, nothing known).
 */
function unboundGroupPeers(assignment: ProfileAssignment, peer: Rule['peer'], flows: readonly ProfileFlow[]): ReadonlySet<string> | undefined {
  const ref = peer.kind === 'self' ? assignment.ref : mappedGroupRole(assignment, peer);
  if (ref === undefined || groupPeerMembers(assignment, peer) !== undefined) return undefined;
  const roles = ref.split('/')[1]!.split(',');
  const peers = new Set(roles);
  for (const [name, peerRoles] of Object.entries(assignment.peerRoles ?? {})) {
    if (peerRoles.length > 0 && peerRoles.every((role) => roles.includes(role))) peers.add(name);
  }
  return flows.some((flow) => peers.has(flow.peer)) ? peers : undefined;
}

/**
 * Whether an allow rule allows part of a flow the role requires (the selected phase and options, any variant, at its
 * bound peer): removing it may leave that flow missing. The rule as written, denies aside; a symbolic peer is judged
 * on its protocols and ports, as `judgeGrant` does. `which` narrows the flows on a NACL: `flows`, the role's own;
 * `replies`, the replies a NACL needs (`ProfileFlow.isReply`), beyond the role's own flows (an entry for tcp/3000 lies
 * in the replies' tcp/1024-65535 but is no return entry); `besides`, more traffic a return entry must carry replies beyond.
 */
export function carriesRequiredFlow(assignment: ProfileAssignment, rule: Rule, which: 'all' | 'flows' | 'replies' = 'all', besides: readonly TrafficBox[] = []): boolean {
  const protocols = protocolSet(rule.protocol);
  const addresses = rule.peer.kind === 'addresses' ? rule.peer.addresses : groupPeerMembers(assignment, rule.peer);
  const box = trafficBox(protocols, rule.ports, addresses, restrictedIcmpMessages({ protocols, rule }));
  const flowBoxes = which === 'replies' ? roleTraffic(assignment)[rule.direction].flowBoxes : undefined;
  const ownFlows = flowBoxes !== undefined && besides.length > 0 ? [...flowBoxes.boxes, ...besides] : flowBoxes;
  return assignment.required.some((flow) => {
    if (flow.direction !== rule.direction || (which === 'flows' && flow.isReply) || (which === 'replies' && !flow.isReply)) return false;
    return requiredTraffic(assignment, flow).some((variant) =>
      variant.some((part) => {
        const shared = intersectBoxes(box, part);
        return shared !== undefined && (ownFlows === undefined || subtractAll([shared], ownFlows).length > 0);
      }),
    );
  });
}

/**
 * The addresses a security group mapped to `roles` (one, or several a host carries together) stands for: those bound
 * to the peers named after the roles, else those bound to the peers the pack says the roles' groups hold
 * (`peerRoles`); undefined when none is bound. A peer listed with roles beyond these is spread over their groups in a
 * way fwlint does not know: one group holds only part of it, so it is left out (taking all its addresses would
 * confirm a flow that the other roles' hosts never get).
 */
function groupMembers(assignment: ProfileAssignment, roles: readonly string[]): AddressSet | undefined {
  const own = roles.map((role) => boundPeer(assignment, role)).filter((addresses) => addresses !== undefined);
  if (own.length > 0 || assignment.peerRoles === undefined) return own.length === 0 ? undefined : own.length === 1 ? own[0] : unionOf(own);
  const held: AddressSet[] = [];
  for (const [peer, peerRoles] of Object.entries(assignment.peerRoles)) {
    const addresses = peerRoles.length > 0 && peerRoles.every((role) => roles.includes(role)) ? boundPeer(assignment, peer) : undefined;
    if (addresses !== undefined) held.push(addresses);
  }
  return held.length > 0 ? unionOf(held) : undefined;
}

const PROFILE_VIEWS = [1, 2, 4];

function missingFlows(target: Target, judged: Record<Direction, JudgedGrant[]>, assignment: ProfileAssignment): MissingFlow[] {
  // Hot: every required flow of every mapped target, and nearly all are covered. What is missing is worked out
  // apart (`reportMissing`), so that this loop stays small for the optimizing compiler.
  const result: MissingFlow[] = [];
  let coverIn: DirectionCover | undefined;
  let coverOut: DirectionCover | undefined;
  const required = assignment.required;
  for (let i = 0; i < required.length; i++) {
    const flow = required[i]!;
    // Which ports a UDP flow's replies go to is not known (see `repliesOf`): permitted and advised, never missing.
    if (flow.isReply && flow.protocol === 'udp') continue;
    const cover = flow.direction === 'in' ? (coverIn ??= directionCover(target, judged.in, 'in')) : (coverOut ??= directionCover(target, judged.out, 'out'));
    const bound = boundPeer(assignment, flow.peer);
    const views = cover.views;
    for (let v = 0; v < views.length; v++) {
      if (uncovered(flow, assignment, bound !== undefined ? views[v]!.addressCover : views[v]!.portCover).length > 0) {
        reportMissing(flow, bound, cover, assignment, result);
        break;
      }
    }
  }
  // The union of every branch carries the flow: each set of rules that can exist together must carry it too. Where
  // the union misses part of it, a world may miss more (tcp/443 allowed only under var.prod beside tcp/8443 allowed
  // nowhere): that more is reported under the world's condition.
  if (judged.in.some(isConditional) || judged.out.some(isConditional)) {
    const missingAlways = new Map<ProfileFlow, MissingFlow[]>();
    for (const missing of result) missingAlways.set(missing.flow, [...(missingAlways.get(missing.flow) ?? []), missing]);
    for (const flow of required) {
      if (!(flow.isReply && flow.protocol === 'udp')) result.push(...missingInSomeWorlds(target, judged[flow.direction], flow, assignment, missingAlways.get(flow)));
    }
  }
  if (target.definedElsewhere) for (const missing of result) missing.definedElsewhere = true;
  else if (target.incompleteBecause !== undefined) for (const missing of result) missing.incompleteBecause = target.incompleteBecause;
  return result;
}

/** Whether a grant exists only under a condition (its rule's branch, or `Grant.when`). */
function isConditional({ grant }: JudgedGrant): boolean {
  return (grant.when ?? grant.rule).branch !== undefined;
}

/**
 * The parts of a flow missing in some worlds (`branchWorldConditions`: the sets of rules that exist together) of the
 * grants that may carry it, each with the condition it is missing under: the two sides of an undecidable `Fn::If`
 * never exist together, so a flow allowed only under one is missing under the other (README: an undecidable condition
 * evaluates both branches). Parts missing alike in several worlds are one, under the conditions of them all. What is
 * missing whatever the conditions (`always`, reported without one) is left out of each world's part.
 */
function missingInSomeWorlds(target: Target, judged: readonly JudgedGrant[], flow: ProfileFlow, assignment: ProfileAssignment, always?: readonly MissingFlow[]): MissingFlow[] {
  // Only grants that overlap the flow can change whether it is carried: the worlds (and conditions) are theirs.
  const variants = requiredTraffic(assignment, flow).flat();
  const carriers = judged.filter(({ box }) => variants.some((part) => part.protocols.overlaps(box.protocols) && part.ports.overlaps(box.ports)));
  if (!carriers.some(isConditional)) return [];
  const worlds = branchWorldConditions(target.kind, carriers, ({ grant }) => grant.when ?? grant.rule);
  if (worlds === undefined) return [];
  const bound = boundPeer(assignment, flow.peer);
  const byPart = new Map<string, { missing: MissingFlow; conditions: string[] }>();
  for (const world of worlds) {
    const found: MissingFlow[] = [];
    const cover = directionCover(target, world.items, flow.direction);
    if (cover.views.some((view) => uncovered(flow, assignment, bound !== undefined ? view.addressCover : view.portCover).length > 0)) reportMissing(flow, bound, cover, assignment, found);
    for (const whole of found) {
      const missing = always === undefined ? whole : beyondAlwaysMissing(whole, always);
      if (missing === undefined) continue;
      const key = [missing.missing.map((box) => describeBox(box, flow.direction)).join('; '), missing.profiles ?? '', missing.unconfirmed.map((rule) => rule.resourceAddress).join(','), missing.blockedBy.map((rule) => rule.resourceAddress).join(',')].join('\u0000');
      const same = byPart.get(key);
      if (same) same.conditions.push(...world.conditions);
      else byPart.set(key, { missing, conditions: [...world.conditions] });
    }
  }
  const result: MissingFlow[] = [];
  for (const { missing, conditions } of byPart.values()) {
    // Missing in a world without conditions (or in all of them) is missing whatever they are.
    const branch = conditions.includes('') ? undefined : branchOfAnyText(target.kind, conditions);
    // Beyond what the union misses, a part missing in every world is no side's (denies of each side, say): the
    // union's finding is the flow's finding whatever the conditions.
    if (branch === undefined && always !== undefined) continue;
    result.push(branch === undefined ? missing : { ...missing, branch });
  }
  return result;
}

/**
 * A world's missing part of a flow less what is missing whatever the conditions (`always`, on the same Windows
 * profiles), with the denies that block what is left and its witness; undefined when nothing is left.
 */
function beyondAlwaysMissing(missing: MissingFlow, always: readonly MissingFlow[]): MissingFlow | undefined {
  const same = always.filter((each) => each.profiles === missing.profiles).flatMap((each) => each.missing);
  if (same.length === 0) return missing;
  const rest = subtractAll(missing.missing, same);
  if (rest.length === 0) return undefined;
  const blockedBy = missing.blockedBy.filter((deny) => rest.some((box) => overlapsRule(box, deny)));
  return { ...missing, missing: rest, witness: witnessOf(rest[0]!, missing.flow.direction), blockedBy };
}

/** The missing parts of a flow that some view leaves uncovered, with what blocks them and what may carry them. */
function reportMissing(flow: ProfileFlow, bound: AddressSet | undefined, cover: DirectionCover, assignment: ProfileAssignment, result: MissingFlow[]): void {
  // Windows: a flow may be allowed on some profiles only; each profile is judged on its own and equal results merged.
  const byText = new Map<string, { bits: number; rest: TrafficBox[] }>();
  for (const view of cover.views) {
    const rest = uncovered(flow, assignment, bound !== undefined ? view.addressCover : view.portCover);
    if (rest.length === 0) continue;
    const text = rest.map((box) => describeBox(box, flow.direction)).join('; ');
    const same = byText.get(text);
    if (same) same.bits |= view.bits;
    else byText.set(text, { bits: view.bits, rest });
  }
  for (const { bits, rest } of byText.values()) {
    const blockedBy = cover.denies.filter(
      (deny) => (profileBits(deny) & bits) !== 0 && rest.some((box) => overlapsRule(box, deny) && (!isStandIn(deny) || takesFromStandIn(box, deny, cover.standInAllows, bits))),
    );
    const mayCarry = (box: TrafficBox): boolean => rest.some((piece) => piece.protocols.overlaps(box.protocols) && piece.ports.overlaps(box.ports));
    // What a rule of unresolved parts could carry (`possibleTraffic`) meets the missing part.
    const mayCarryRest = (rule: Rule): boolean => rest.some((piece) => intersectBoxes(piece, possibleTraffic(rule)) !== undefined);
    const unconfirmed = [
      ...(bound !== undefined
        ? cover.symbolic.filter((judged) => (judged.grant.profiles & bits) !== 0 && mayCarry(judged.box)).map((judged) => judged.grant.rule)
        : []),
      ...cover.unknownRules.filter((rule) => (profileBits(rule) & bits) !== 0 && mayCarryRest(rule)),
      // Rules that may be the target's (their group is known only after apply): those that may carry this part.
      ...cover.unjoinedRules.filter(mayCarryRest),
    ];
    const missing: MissingFlow = { flow, missing: rest, witness: witnessOf(rest[0]!, flow.direction), blockedBy, unconfirmed: [...new Set(unconfirmed)] };
    if (bits !== ALL_PROFILES) missing.profiles = bits;
    const limited = cover.sourcePortLimited.filter((piece) => (piece.grant.profiles & bits) !== 0 && rest.some((box) => intersectBoxes(box, surelyCarried(piece)) !== undefined));
    if (limited.length > 0) missing.limitedBySourcePort = [...new Set(limited.map((piece) => piece.grant.rule))];
    result.push(missing);
  }
}

/**
 * What an allow rule with an unresolved value may carry, its peer aside: its protocols on its ports, or on every port
 * they could be where those are unresolved (`possiblePortsOf`). Known ports that miss a flow never carry it, whatever
 * the peer (tcp/8080 from `var.app_cidr` leaves tcp/22 missing, not unconfirmed).
 */
function possibleTraffic(rule: Rule): TrafficBox {
  const protocols = protocolSet(rule.protocol);
  return trafficBox(protocols, rule.ports.isEmpty() ? possiblePortsOf(rule) : rule.ports, undefined, restrictedIcmpMessages({ protocols, rule }));
}

interface DirectionCover {
  /** One view per Windows profile when grants differ by profile, else one view of every profile. */
  views: Array<{ bits: number; addressCover: Cover; portCover: Cover }>;
  /** Grants whose peer has no known addresses (the group itself included): each may carry a bound flow. */
  symbolic: JudgedGrant[];
  /** Enabled allow rules with an unresolved port or protocol: they allow nothing known, but may carry a flow. */
  unknownRules: Rule[];
  /** Enabled allow rules of `Target.unjoinedRules`: they may be the target's, and carry a flow. */
  unjoinedRules: Rule[];
  denies: Rule[];
  /** Enabled allow rules whose addresses stand in for a run-time set (`Internet`): all a block of that set surely takes from. */
  standInAllows: Rule[];
  /** Grants limited to some source ports (`matchesClients`): they carry no flow, but would without the limit. */
  sourcePortLimited: JudgedGrant[];
}

function directionCover(target: Target, judged: JudgedGrant[], direction: Direction): DirectionCover {
  let byProfile = false;
  for (let i = 0; i < judged.length && !byProfile; i++) byProfile = judged[i]!.grant.profiles !== ALL_PROFILES;
  const views: DirectionCover['views'] = [];
  for (const bits of byProfile ? PROFILE_VIEWS : EVERY_PROFILE_VIEW) {
    // A bound peer's addresses must be covered: only grants with known addresses count. An unbound peer is
    // satisfied by any source: protocols and ports only.
    const addressCover: TrafficBox[] = [];
    const portCover: TrafficBox[] = [];
    for (let i = 0; i < judged.length; i++) {
      const { grant, box } = judged[i]!;
      if ((grant.profiles & bits) !== bits || !matchesClients(grant.rule)) continue;
      if (box.addresses !== undefined) addressCover.push(surelyCarried(judged[i]!));
      portCover.push(trafficBox(box.protocols, box.ports, undefined, box.icmp));
    }
    views.push({ bits, addressCover: new Cover(addressCover), portCover: new Cover(portCover) });
  }
  // A `self` rule counts too: the group's members are unknown unless the pack ties a bound peer to its role
  // (judgeGrant), exactly as for a reference to another group of that role.
  const symbolic: JudgedGrant[] = [];
  const sourcePortLimited: JudgedGrant[] = [];
  for (let i = 0; i < judged.length; i++) {
    const piece = judged[i]!;
    if (!matchesClients(piece.grant.rule)) sourcePortLimited.push(piece);
    else if (piece.box.addresses === undefined) symbolic.push(piece);
  }
  const unknownRules: Rule[] = [];
  const denies: Rule[] = [];
  const standInAllows: Rule[] = [];
  for (const rule of target.rules) {
    if (!rule.enabled || rule.direction !== direction || !matchesClients(rule)) continue;
    if (rule.action === 'deny') denies.push(rule);
    else if (rule.unknowns.length > 0 && (rule.ports.isEmpty() || rule.peer.kind === 'unknown')) unknownRules.push(rule);
    else if (isStandIn(rule)) standInAllows.push(rule);
  }
  const unjoinedRules = (target.unjoinedRules ?? []).filter((rule) => rule.enabled && rule.direction === direction && rule.action === 'allow' && matchesClients(rule));
  return { views, symbolic, unknownRules, unjoinedRules, denies, standInAllows, sourcePortLimited };
}

/**
 * Whether a rule matches a required flow's traffic, whose client picks any source port: not an Azure or netsh rule
 * limited to some source ports (an Allow of DNS replies from port 53 to every local port carries no SSH session, a
 * Deny of them blocks none).
 */
function matchesClients(rule: Rule): boolean {
  return rule.conditions?.[SOURCE_PORT_CONDITION] === undefined;
}

/**
 * A grant's box as far as it surely carries a bound peer's flow: only the addresses its peer surely holds
 * (`certainAddresses`: an Azure or Windows Allow from `Internet`, every address for exposure, holds none of the
 * virtual network's or intranet's ranges, so it does not carry a flow from `10.0.0.0/24`).
 */
function surelyCarried({ grant, box }: JudgedGrant): TrafficBox {
  const peer = grant.rule.peer;
  if (peer.kind !== 'addresses' || peer.certainAddresses === undefined || box.addresses === undefined) return box;
  return trafficBox(box.protocols, box.ports, box.addresses.intersect(peer.certainAddresses), box.icmp);
}

/**
 * What a grant surely carries of the role's flows: none of them when its rule is limited to some source ports (see
 * `matchesClients`), else its box at the addresses its peer surely holds (`surelyCarried`). The excess check names
 * only this part as the advanced set's (FW202 said "… except tcp/5985 from 10.0.0.0/24" of an Allow from `Internet` or
 * from source port 53, which carries no such flow); the replacement of a source-port-limited rule writes the flows it
 * would carry without its limit.
 */
function carriedPart(piece: JudgedGrant): TrafficBox | undefined {
  return matchesClients(piece.grant.rule) ? surelyCarried(piece) : undefined;
}

/** A rule whose addresses stand in for a set known only at run time (Windows `Internet`, `Peer.isApproximate`). */
function isStandIn(rule: Rule): boolean {
  return rule.peer.kind === 'addresses' && rule.peer.isApproximate === true;
}

/**
 * Whether a block from a run-time set (`Internet`) surely takes part of a missing box: it holds no CIDR of a flow's peer
 * for certain (the engine leaves what such a block touches possibly allowed), so it takes only what an allow from the
 * same set admits on the same traffic. Otherwise the flow is missing for other reasons and the block is not named.
 */
function takesFromStandIn(box: TrafficBox, deny: Rule, standInAllows: readonly Rule[], bits: number): boolean {
  const denied = protocolSet(deny.protocol).intersect(box.protocols);
  const ports = deny.ports.intersect(box.ports);
  return standInAllows.some(
    (allow) =>
      (profileBits(allow) & profileBits(deny) & bits) !== 0 &&
      describePeer(allow.peer) === describePeer(deny.peer) &&
      denied.overlaps(protocolSet(allow.protocol)) &&
      ports.overlaps(allow.ports),
  );
}

const EVERY_PROFILE_VIEW = [ALL_PROFILES];

/** The part of a flow (or its best alternative) that `cover` leaves out: empty when covered. */
function uncovered(flow: ProfileFlow, assignment: ProfileAssignment, cover: Cover): TrafficBox[] {
  let best: TrafficBox[] | undefined;
  for (const boxes of requiredTraffic(assignment, flow)) {
    const rest = subtractAll(boxes, cover);
    if (rest.length === 0) return [];
    // Never the cached array itself: the result is handed on.
    best ??= rest === boxes ? [...rest] : rest;
  }
  return best ?? [];
}

function overlapsRule(box: TrafficBox, rule: Rule): boolean {
  if (!box.protocols.overlaps(protocolSet(rule.protocol)) || !box.ports.overlaps(rule.ports)) return false;
  // A deny of other ICMP types than those missing does not block them.
  if (rule.icmp !== undefined && !(box.icmp ?? ALL_ICMP_MESSAGES).overlaps(icmpMessagesOf(rule.icmp))) return false;
  if (rule.peer.kind !== 'addresses') return false;
  return (box.addresses ?? AddressSet.ALL).overlaps(rule.peer.addresses);
}

/** The intersection of two boxes, or undefined when empty. */
export function intersectBoxes(a: TrafficBox, b: TrafficBox): TrafficBox | undefined {
  if (!a.protocols.overlaps(b.protocols) || !a.ports.overlaps(b.ports)) return undefined;
  if (a.addresses && b.addresses && !a.addresses.overlaps(b.addresses)) return undefined;
  if (a.icmp && b.icmp && !a.icmp.overlaps(b.icmp)) return undefined;
  const protocols = a.protocols.intersect(b.protocols);
  const ports = a.ports.intersect(b.ports);
  if (protocols.isEmpty() || ports.isEmpty()) return undefined;
  const icmp = a.icmp && b.icmp ? a.icmp.intersect(b.icmp) : (a.icmp ?? b.icmp);
  if (a.addresses === undefined && b.addresses === undefined) return trafficBox(protocols, ports, undefined, icmp);
  const addresses = a.addresses && b.addresses ? a.addresses.intersect(b.addresses) : (a.addresses ?? b.addresses)!;
  return addresses.isEmpty() ? undefined : trafficBox(protocols, ports, addresses, icmp);
}

/** What a role permits and requires in one direction, as the excess check compares grants with it. */
interface RoleTraffic {
  /** The advanced set: every flow of the role (and its alternatives) at its bound peer's addresses. */
  permittedBoxes: Cover;
  /** The same without addresses, for grants whose peer has none. */
  symbolicBoxes: Cover;
  /** The vendor's basic rules, to recognise them. */
  basicBoxes: TrafficBox[];
  /** Flows of options not selected whose peer is unbound: never part of the advanced set (see `options`). */
  unselected: ProfileFlow[];
  /** Flows required for the selected phase and options. */
  selectedFlows: ProfileFlow[];
  /** The advanced set without the replies a NACL needs (`ProfileFlow.isReply`): the flows themselves. */
  flowBoxes: Cover;
}

function roleTraffic(assignment: ProfileAssignment): Record<Direction, RoleTraffic> {
  const role = prepared(assignment);
  let traffic = role.traffic;
  if (traffic === undefined) {
    const build = (direction: Direction): RoleTraffic => {
      // Unselected options' flows count only where their peer is bound (see ProfileAssignment.options), and so do a
      // NACL's replies to install-phase flows in the operate phase (`isInstallReplyInOperate`).
      const permitted = assignment.permitted.filter(
        (flow) =>
          flow.direction === direction &&
          ((isSelected(assignment, flow) && !isInstallReplyInOperate(assignment, flow)) || boundPeer(assignment, flow.peer) !== undefined),
      );
      const boxesOf = (flows: ProfileFlow[]): TrafficBox[] =>
        flows.flatMap((flow) => [flow, ...flow.alternatives].map((variant) => flowBox(variant, boundPeer(assignment, flow.peer), true)));
      const permittedBoxes = boxesOf(permitted);
      return {
        permittedBoxes: new Cover(permittedBoxes),
        symbolicBoxes: new Cover(permittedBoxes.map(({ protocols, ports }) => trafficBox(protocols, ports))),
        basicBoxes: assignment.basic.filter((flow) => flow.direction === direction).map((flow) => flowBox(flow, undefined)),
        unselected: assignment.permitted.filter((flow) => flow.direction === direction && !permitsTraffic(assignment, flow)),
        selectedFlows: assignment.required.filter((flow) => flow.direction === direction),
        flowBoxes: new Cover(boxesOf(permitted.filter((flow) => !flow.isReply))),
      };
    };
    traffic = role.traffic = { in: build('in'), out: build('out') };
  }
  return traffic;
}

function excessGrants(judgedGrants: Record<Direction, JudgedGrant[]>, assignment: ProfileAssignment): ExcessGrant[] {
  const result: ExcessGrant[] = [];
  const traffic = roleTraffic(assignment);
  excessInDirection(judgedGrants.in, 'in', traffic.in, assignment, result);
  excessInDirection(judgedGrants.out, 'out', traffic.out, assignment, result);
  return result;
}

/** What a written rule's pieces allow beyond the advanced set, with the Windows profiles of each piece's excess. */
interface RuleExcess {
  excess: TrafficBox[];
  profiles: number;
  excessProfiles: number[];
}

/** Excess of one direction's grants: per rule, what its pieces allow beyond the advanced set. */
function excessInDirection(judged: JudgedGrant[], direction: Direction, traffic: RoleTraffic, assignment: ProfileAssignment, result: ExcessGrant[]): void {
  // Hot: every grant of every mapped target, and most lie inside one flow of the advanced set. What to report of a
  // rule with excess is worked out apart (`reportExcess`), so that this loop stays small for the optimizing compiler.
  let excessByRule: Map<Rule, RuleExcess> | undefined;
  for (let i = 0; i < judged.length; i++) {
    const { grant, box, construct } = judged[i]!;
    if (grant.isPlatformDefault) continue;
    // Symbolic peers have no addresses to judge: compare them on protocols and ports only. A rule limited to some
    // source ports carries no connection of the role's flows (their clients pick any port): all of it is excess.
    const cover = box.addresses ? traffic.permittedBoxes : traffic.symbolicBoxes;
    const carriesFlows = matchesClients(grant.rule);
    if (carriesFlows && !isEmptyBox(box) && cover.holds(box)) continue;
    const excess = carriesFlows ? subtractAll([box], cover) : isEmptyBox(box) ? [] : [box];
    if (excess.length === 0) continue;
    excessByRule ??= new Map();
    let entry = excessByRule.get(construct);
    if (!entry) excessByRule.set(construct, (entry = { excess: [], profiles: 0, excessProfiles: [] }));
    entry.excess.push(...excess);
    for (let j = 0; j < excess.length; j++) entry.excessProfiles.push(grant.profiles);
    entry.profiles |= grant.profiles;
  }
  if (excessByRule) reportExcess(judged, direction, traffic, assignment, excessByRule, result);
}

/** A rule with excess that carries part of a bound flow variant (see `reportExcess`). */
interface Carrier {
  rule: Rule;
  pieces: JudgedGrant[];
  /** The addresses at which the rule allows some of the variant. */
  touched: AddressSet;
  /** Per Windows profile set: the addresses at which it allows all of the variant. */
  held: Map<number, AddressSet>;
}

/** The addresses of `traffic` (boxes of one variant at its bound addresses) at which `cover` allows all of it. */
function heldIn(traffic: readonly TrafficBox[], cover: Cover | readonly TrafficBox[]): AddressSet {
  let held = AddressSet.EMPTY;
  for (const box of traffic) {
    const rest = subtractAll([box], cover);
    held = held.union(rest.length === 0 ? box.addresses! : box.addresses!.subtract(unionOf(rest.map((piece) => piece.addresses ?? AddressSet.ALL))));
  }
  return held;
}

/** What is reported of each rule with excess: its pieces, their allowed part, replacement flows, the written rule. */
function reportExcess(
  judged: JudgedGrant[],
  direction: Direction,
  traffic: RoleTraffic,
  assignment: ProfileAssignment,
  excessByRule: Map<Rule, RuleExcess>,
  result: ExcessGrant[],
): void {
  const { permittedBoxes, symbolicBoxes, basicBoxes, unselected, selectedFlows, flowBoxes } = traffic;
  // Pieces of the written rules with excess (in order of each one's first piece), and of the rules without.
  const pieces = new Map<Rule, JudgedGrant[]>();
  const cleanPieces: JudgedGrant[] = [];
  for (const piece of judged) {
    if (piece.grant.isPlatformDefault) continue;
    if (!excessByRule.has(piece.construct)) {
      cleanPieces.push(piece);
      continue;
    }
    const list = pieces.get(piece.construct);
    if (list) list.push(piece);
    else pieces.set(piece.construct, [piece]);
  }
  // Flows already carried by rules with no excess need no replacement. On Windows a clean rule carries a flow only
  // on its own profiles: a Domain-only rule does not make a Private/Public rule's flow superfluous. Under conditions,
  // only where it exists whenever the rule with excess does: the other side of an `!If` never stands beside it.
  const byProfiles = cleanPieces.some(({ grant }) => grant.profiles !== ALL_PROFILES);
  const covers = new Map<string, { address: Cover; port: Cover }>();
  const coverOn = (bits: number, rule: Rule): { address: Cover; port: Cover } => {
    const key = `${bits}\u0000${rule.branch ?? ''}`;
    let cover = covers.get(key);
    if (!cover) {
      const boxes = cleanPieces.filter(({ grant }) => (grant.profiles & bits) === bits && branchImplies(rule, grant.when ?? grant.rule)).map(carriedPart).filter((box) => box !== undefined);
      cover = { address: new Cover(boxes.filter((box) => box.addresses !== undefined)), port: new Cover(boxes.map(({ protocols, ports, icmp }) => trafficBox(protocols, ports, undefined, icmp))) };
      covers.set(key, cover);
    }
    return cover;
  };
  const viewsOf = (bits: number): number[] => (byProfiles ? PROFILE_VIEWS.filter((view) => (bits & view) !== 0) : [ALL_PROFILES]);
  // Whether rules without excess already carry one variant of an unbound flow on every profile `bits` names.
  const carriedOn = new Map<ProfileFlow, Map<string, boolean[]>>();
  const isCarried = (flow: ProfileFlow, variant: number, bits: number, rule: Rule): boolean => {
    let known = carriedOn.get(flow);
    if (!known) carriedOn.set(flow, (known = new Map()));
    return viewsOf(bits).every((view) => {
      const key = `${view}\u0000${rule.branch ?? ''}`;
      let values = known.get(key);
      if (!values) {
        const cover = coverOn(view, rule).port;
        values = requiredTraffic(assignment, flow).map((boxes) => subtractAll(boxes, cover).length === 0);
        known.set(key, values);
      }
      return values[variant]!;
    });
  };
  // A bound variant's addresses that rules without excess do not allow in full on every profile `bits` names.
  const notYetAllowed = (flow: ProfileFlow, variant: number, bound: AddressSet, bits: number, rule: Rule): AddressSet => {
    const traffic = requiredTraffic(assignment, flow)[variant]!;
    let rest = AddressSet.EMPTY;
    for (const view of viewsOf(bits)) rest = rest.union(bound.subtract(heldIn(traffic, coverOn(view, rule).address)));
    return rest;
  };
  // Whether a rule carries part of a reply flow (a NACL's) beyond the role's own flows: an entry for tcp/3509 to the
  // appliance lies in the replies' tcp/1024-65535 to it, but it is that flow's entry, not a return entry to widen.
  const answersReplies = (rulePieces: JudgedGrant[], flow: ProfileFlow, variant: number): boolean =>
    requiredTraffic(assignment, flow)[variant]!.some((part) =>
      rulePieces.some(({ box }) => {
        const shared = intersectBoxes(box, part);
        return shared !== undefined && subtractAll([shared], flowBoxes).length > 0;
      }),
    );
  const carriesPart = (rulePieces: JudgedGrant[], flow: ProfileFlow, variant: number): boolean => !flow.isReply || answersReplies(rulePieces, flow, variant);
  // Per bound variant, the rules with excess that carry part of it, in rule order: several such rules may each be
  // replaced, and the replacements together must write each address once (a duplicate permission is an error on AWS).
  // A rule limited to some source ports counts by what it would carry without the limit (`surelyCarried`), which its
  // replacement writes.
  const carriers = new Map<ProfileFlow, Carrier[][]>();
  // Per rule of a mapped group (or the group itself) whose members are not bound: the peers the pack ties to its role.
  const tiedPeers = new Map<Rule, ReadonlySet<string> | undefined>();
  const servesPeer = (rule: Rule, peer: string): boolean => {
    if (!tiedPeers.has(rule)) tiedPeers.set(rule, unboundGroupPeers(assignment, rule.peer, selectedFlows));
    return tiedPeers.get(rule)?.has(peer) ?? true;
  };
  const carriersOf = (flow: ProfileFlow, variant: number, bound: AddressSet): Carrier[] => {
    let byVariant = carriers.get(flow);
    if (!byVariant) carriers.set(flow, (byVariant = []));
    let list = byVariant[variant];
    if (!list) {
      const traffic = requiredTraffic(assignment, flow)[variant]!;
      list = byVariant[variant] = [];
      for (const [rule, rulePieces] of pieces) {
        if (!servesPeer(rule, flow.peer)) continue;
        let touched = AddressSet.EMPTY;
        for (const piece of rulePieces) {
          const box = surelyCarried(piece);
          for (const part of traffic) {
            const shared = intersectBoxes(box, part);
            if (shared) touched = touched.union(shared.addresses ?? bound);
          }
        }
        if (!touched.isEmpty() && carriesPart(rulePieces, flow, variant)) list.push({ rule, pieces: rulePieces, touched, held: new Map() });
      }
    }
    return list;
  };
  // The addresses at which a carrier allows the whole variant on every profile `bits` names.
  const heldBy = (carrier: Carrier, traffic: TrafficBox[], bits: number): AddressSet => {
    let held = carrier.held.get(bits);
    if (!held) {
      const boxes = carrier.pieces.flatMap((piece) => {
        const box = (piece.grant.profiles & bits) === bits ? surelyCarried(piece) : undefined;
        return box?.addresses !== undefined ? [box] : [];
      });
      held = boxes.length > 0 ? heldIn(traffic, boxes) : AddressSet.EMPTY;
      carrier.held.set(bits, held);
    }
    return held;
  };
  /**
   * The addresses of the variant that an earlier carrier's replacement (or the carrier itself) allows wherever the later
   * one (`later`) does: those it holds on all profiles `bits` names; where a block rule on some profiles cuts either one
   * (their pieces differ per profile), those it holds on each profile on which the later one allows them.
   */
  const writtenFor = (earlier: Carrier, later: Carrier, traffic: TrafficBox[], bits: number, bound: AddressSet): AddressSet => {
    const isSplit = (carrier: Carrier): boolean => carrier.pieces.some((piece) => (piece.grant.profiles & bits) !== bits && (piece.grant.profiles & bits) !== 0);
    if (!isSplit(earlier) && !isSplit(later)) return heldBy(earlier, traffic, bits);
    let written: AddressSet | undefined;
    for (const view of PROFILE_VIEWS.filter((each) => (bits & each) !== 0)) {
      const onView = heldBy(earlier, traffic, view).union(bound.subtract(touchedOn(later, traffic, view, bound)));
      written = written ? written.intersect(onView) : onView;
    }
    return written ?? AddressSet.EMPTY;
  };
  // The addresses at which a carrier allows some of the variant on the profiles `bits` names.
  const touchedOn = (carrier: Carrier, traffic: TrafficBox[], bits: number, bound: AddressSet): AddressSet => {
    let touched = AddressSet.EMPTY;
    for (const piece of carrier.pieces) {
      const box = (piece.grant.profiles & bits) === bits ? surelyCarried(piece) : undefined;
      if (box === undefined) continue;
      for (const part of traffic) {
        const shared = intersectBoxes(box, part);
        if (shared) touched = touched.union(shared.addresses ?? bound);
      }
    }
    return touched;
  };
  /**
   * The addresses of a bound variant that the replacement of `rule` writes: of those no clean rule allows, the ones
   * the rule itself allows part of, less those an earlier rule with excess allows in full (its replacement writes
   * them, or it keeps allowing them); and, for the first such rule, those no rule allows at all. Applying every
   * replacement then allows each address once, and applying some of them never cuts one.
   */
  const replacedAddresses = (rule: Rule, flow: ProfileFlow, variant: number, bound: AddressSet, bits: number): AddressSet => {
    const rest = notYetAllowed(flow, variant, bound, bits, rule);
    if (rest.isEmpty()) return rest;
    const traffic = requiredTraffic(assignment, flow)[variant]!;
    const list = carriersOf(flow, variant, bound);
    // A carrier under a condition that may be false where this rule exists writes nothing in those worlds.
    const applies = (carrier: Carrier): boolean => (profileBits(carrier.rule) & bits) === bits && branchImplies(rule, carrier.rule);
    let own: AddressSet | undefined;
    // No rule with excess before this one (on all its profiles) carries the variant: it writes what none allows.
    let isFirst = true;
    let touchedByOthers = AddressSet.EMPTY;
    for (const carrier of list) {
      if (carrier.rule === rule) own = carrier.touched;
      else if (applies(carrier)) {
        touchedByOthers = touchedByOthers.union(carrier.touched);
        if (own === undefined) isFirst = false;
      }
    }
    if (own === undefined) return AddressSet.EMPTY;
    let result = rest.intersect(own);
    const ownCarrier = list.find((carrier) => carrier.rule === rule)!;
    for (const carrier of list) {
      if (carrier.rule === rule) break;
      if (applies(carrier) && !result.isEmpty()) result = result.subtract(writtenFor(carrier, ownCarrier, traffic, bits, bound));
    }
    if (isFirst) result = result.union(rest.subtract(touchedByOthers.union(own)));
    return result;
  };
  for (const [rule, rulePieces] of pieces) {
    const entry = excessByRule.get(rule)!;
    const granted = rulePieces.map((piece) => piece.box);
    const carried = rulePieces.map(carriedPart).filter((box) => box !== undefined);
    // What its replacement is to carry: a rule limited to some source ports carries none of the role's flows, but
    // serves them but for that limit, so it is replaced by them without it rather than removed.
    const served = rulePieces.map(surelyCarried);
    // What the rule carries of the advanced set: the excess is told as the rule without it.
    const allowed: TrafficBox[] = [];
    for (const box of carried) {
      for (const permittedBox of (box.addresses ? permittedBoxes : symbolicBoxes).boxes) {
        const shared = intersectBoxes(box, permittedBox);
        if (shared) allowed.push(shared);
      }
    }
    const bits = profileBits(rule);
    const replacementFlows: ReplacementFlow[] = [];
    for (const flow of selectedFlows) {
      // A group whose members are not bound is replaced by the flows of the peers that its role's hosts are; the rule
      // may carry other flows too, but nothing says that they come from its members (FW201 says it may carry them).
      if (!servesPeer(rule, flow.peer)) continue;
      const bound = boundPeer(assignment, flow.peer);
      // Every variant of the flow the rule carries and no rule without excess does: the flow itself, or an
      // alternative (Citrix's HTTP port beside the HTTPS one, DNS over TCP beside UDP), or both. Writing only one
      // would cut what the rule allows and the role permits (an NFS share beside the SMB one).
      const variants = [flow, ...flow.alternatives];
      const written: Array<{ variant: number; addresses?: AddressSet }> = [];
      variants.forEach((variant, index) => {
        if (bound === undefined) {
          const traffic = flowBox(variant, undefined);
          if (served.some((box) => intersectBoxes(box, traffic) !== undefined) && carriesPart(rulePieces, flow, index) && !isCarried(flow, index, bits, rule)) written.push({ variant: index });
          return;
        }
        const addresses = replacedAddresses(rule, flow, index, bound, bits);
        if (addresses.isEmpty()) return;
        written.push(addresses.equals(bound) ? { variant: index } : { variant: index, addresses });
      });
      for (const { variant, addresses } of written) {
        // The flow keeps the alternatives not written, so the rendering can say they would satisfy it instead.
        const replacement: ProfileFlow = variant === 0
          ? written.length === 1 ? flow : { ...flow, alternatives: flow.alternatives.filter((_alternative, index) => !written.some((other) => other.variant === index + 1)) }
          : { ...flow, protocol: variants[variant]!.protocol, ports: variants[variant]!.ports, alternatives: [] };
        replacementFlows.push(addresses ? { ...replacement, addresses } : replacement);
      }
    }
    const unselectedFlows = unselected.filter((flow) => {
      const traffic = flowBox(flow, undefined);
      return entry.excess.some((box) => box.protocols.overlaps(traffic.protocols) && box.ports.overlaps(traffic.ports));
    });
    const isVendorBasicRule = isBasicRule(granted, basicBoxes);
    const entryResult: ExcessGrant = {
      rule,
      granted,
      allowed,
      excess: entry.excess,
      witness: witnessOf(entry.excess[0]!, direction),
      replacementFlows,
      unselectedFlows,
      profiles: entry.profiles,
      isVendorBasicRule,
    };
    if (entry.excessProfiles.some((bits) => bits !== entry.excessProfiles[0])) entryResult.excessProfiles = entry.excessProfiles;
    const ruleProfiles = profileBits(rule);
    // A written rule of several model rules (a RemoteIP list): its pieces say what it allows and what is excess.
    const modelRules = [...new Set(rulePieces.map(({ grant }) => grant.rule))];
    if (modelRules.length > 1) entryResult.rules = modelRules;
    else if (rulePieces.every(({ grant }) => grant.profiles === ruleProfiles)) {
      const first = rulePieces[0]!.box;
      const protocols = protocolSet(rule.protocol);
      const box = trafficBox(protocols, rule.ports, rule.peer.kind === 'addresses' ? rule.peer.addresses : first.addresses, restrictedIcmpMessages({ protocols, rule }));
      // Same address kind as the pieces (a resolved group stays resolved): otherwise the pieces say it.
      if ((box.addresses === undefined) === (first.addresses === undefined)) {
        // No deny touched the rule (always so for security groups): nothing removed, no set algebra needed.
        const untouched = granted.length === 1 && first.ports === box.ports && first.addresses === box.addresses && first.protocols === box.protocols && first.icmp === box.icmp;
        entryResult.written = { box, removed: untouched ? [] : subtractAll([box], granted) };
      }
    }
    result.push(entryResult);
  }
}

/**
 * Whether a rule is the vendor's basic (permissive) rule: to any address (a rule to 10.0.0.0/8 is not it, however many
 * ports it opens), allowing at least all of the basic rows together (the predefined group "opens all outbound
 * traffic": protocol -1), or one of them as the document lists them and nothing beyond them (NetApp's "All TCP" and
 * "All UDP" rows written as two rules, QA-8 item 03).
 */
function isBasicRule(granted: readonly TrafficBox[], basicBoxes: readonly TrafficBox[]): boolean {
  if (basicBoxes.length === 0 || !granted.every((box) => box.addresses !== undefined && box.addresses.coversWorld())) return false;
  const traffic = granted.map(({ protocols, ports, icmp }) => trafficBox(protocols, ports, undefined, icmp));
  if (subtractAll([...basicBoxes], traffic).length === 0) return true;
  return basicBoxes.some((row) => subtractAll([row], traffic).length === 0) && subtractAll(traffic, [...basicBoxes]).length === 0;
}

/** Per install-phase flow: the traffic the operate phase does not need, from any source and from the flow's peer. */
interface InstallOnlyTraffic {
  flow: ProfileFlow;
  anySource: TrafficBox[];
  fromPeer: TrafficBox[];
  /**
   * On a NACL, the same less the replies of the operate phase's flows (at their peer's addresses, any where unbound):
   * what a return entry (see `installOnlyOpen`) leaves open. A NACL cannot tell WMI's tcp/24158 from the same port as a
   * reply in tcp/1024-65535 from scaleio-nodes; closing it there would cut those replies (FW201). `anySource` pieces
   * then have addresses where the replies took some.
   */
  beyondReplies?: { anySource: TrafficBox[]; fromPeer: TrafficBox[] };
}

function installOnlyTraffic(assignment: ProfileAssignment): Record<Direction, InstallOnlyTraffic[]> {
  const role = prepared(assignment);
  let traffic = role.installOnly;
  if (traffic === undefined) {
    const build = (direction: Direction): InstallOnlyTraffic[] => {
      // Not a NACL's replies: an entry for an install-only port in their ephemeral range is still there for installing
      // (the replies have entries of their own), and a reply range is no install-only port.
      // Nor an unselected option's flow to an unbound peer: taken as any address, it would keep every port it names
      // open in the operate phase (QA s13: an unselected `ha` flow on tcp/22 hid the install-only tcp/22).
      const flows = assignment.permitted.filter((flow) => flow.direction === direction && !flow.isReply && permitsTraffic(assignment, flow));
      const installFlows = flows.filter((flow) => flow.phase === 'install');
      const operateFlows = flows.filter((flow) => flow.phase !== 'install');
      const operatePorts = operateFlows.map((flow) => flowBox(flow, undefined));
      const operateTraffic = operateFlows.flatMap((flow) => [flow, ...flow.alternatives].map((variant) => flowBox(variant, boundPeer(assignment, flow.peer))));
      // The replies a NACL needs in the operate phase (none off NACLs), see `InstallOnlyTraffic.beyondReplies`.
      const neededReplies = assignment.required
        .filter((flow) => flow.direction === direction && flow.isReply && flow.phase !== 'install')
        .flatMap((flow) => [flow, ...flow.alternatives].map((variant) => flowBox(variant, boundPeer(assignment, flow.peer))));
      return installFlows.map((flow) => {
        const anySource = subtractAll([flowBox(flow, undefined)], operatePorts);
        // An unbound installer stands for any address: what it reaches on these ports beyond the operate-phase
        // peers' addresses is needed only while installing (nothing, where an operate-phase peer is unbound too).
        const peerAddresses = boundPeer(assignment, flow.peer) ?? AddressSet.ALL;
        // Ports already reported from any source are not repeated for the peer's addresses.
        const fromPeer = subtractAll(subtractAll([flowBox(flow, peerAddresses)], operateTraffic), anySource);
        if (neededReplies.length === 0) return { flow, anySource, fromPeer };
        const beyondReplies = { anySource: subtractAll(anySource, neededReplies), fromPeer: subtractAll(fromPeer, neededReplies) };
        return { flow, anySource, fromPeer, beyondReplies };
      });
    };
    traffic = role.installOnly = { in: build('in'), out: build('out') };
  }
  return traffic;
}

/**
 * Install-phase traffic still allowed in the operate phase: ports no operate-phase flow uses, from any source; and
 * the install-phase flow's peer's addresses on ports the operate phase needs only from other addresses. An unbound
 * peer stands for any address (contract: coverage semantics): an unbound installer is every address but the bound
 * operate-phase peers', and an operate-phase flow with an unbound peer permits its ports from everywhere, so nothing
 * is install-only there. A rule whose source is symbolic (an unmapped group) is not judged on addresses (unknown is
 * not open).
 */
function installOnlyOpen(judgedGrants: Record<Direction, JudgedGrant[]>, assignment: ProfileAssignment): InstallOnlyOpen[] {
  if (assignment.phase !== 'operate') return [];
  const result: InstallOnlyOpen[] = [];
  for (const direction of ['in', 'out'] as const) {
    const installOnly = installOnlyTraffic(assignment)[direction];
    if (installOnly.length === 0) continue;
    // Per written rule, per Windows profile set of its pieces (a block rule on one profile cuts a piece per profile).
    const byRule = new Map<Rule, Map<number, OpenAccumulator>>();
    const returnEntries = new Map<Rule, boolean>();
    for (const { grant, box: granted, construct } of judgedGrants[direction]) {
      if (grant.isPlatformDefault) continue;
      const flows: ProfileFlow[] = [];
      const anySource: TrafficBox[] = [];
      const fromPeer: Array<{ box: TrafficBox; peer?: string }> = [];
      // Whatever the source: the grant's protocols, ports and ICMP messages (an echo-request rule opens only those).
      const grantedTraffic = trafficBox(granted.protocols, granted.ports, undefined, granted.icmp);
      // A NACL's return entry (it carries replies beyond the role's own flows and the install-only ports) is judged
      // beside the replies: an entry written for an install-only port alone (tcp/24158) is still there for installing.
      let isReturnEntry = returnEntries.get(grant.rule);
      if (isReturnEntry === undefined) {
        isReturnEntry = installOnly[0]!.beyondReplies !== undefined && carriesRequiredFlow(assignment, grant.rule, 'replies', installOnly.flatMap((each) => each.anySource));
        returnEntries.set(grant.rule, isReturnEntry);
      }
      for (const each of installOnly) {
        const { flow } = each;
        const { anySource: pieces, fromPeer: peerPieces } = isReturnEntry ? each.beyondReplies! : each;
        for (const piece of pieces) {
          // A piece outside a NACL's replies is judged on the grant's addresses too (a symbolic one: unknown is not open).
          if (piece.addresses !== undefined && granted.addresses === undefined) continue;
          const shared = intersectBoxes(piece, piece.addresses === undefined ? grantedTraffic : granted);
          if (!shared) continue;
          flows.push(flow);
          if (shared.addresses === undefined) addPortBox(anySource, shared);
          else fromPeer.push({ box: shared });
        }
        if (granted.addresses === undefined) continue;
        for (const piece of peerPieces) {
          const shared = intersectBoxes(piece, granted);
          if (!shared) continue;
          flows.push(flow);
          fromPeer.push({ box: shared, peer: flow.peer });
        }
      }
      if (anySource.length === 0 && fromPeer.length === 0) continue;
      let byProfiles = byRule.get(construct);
      if (!byProfiles) byRule.set(construct, (byProfiles = new Map()));
      let found = byProfiles.get(grant.profiles);
      if (!found) {
        found = { rules: [], flows: [], anySource: [], fromPeer: [] };
        byProfiles.set(grant.profiles, found);
      }
      if (!found.rules.includes(grant.rule)) found.rules.push(grant.rule);
      found.flows.push(...flows);
      for (const box of anySource) addPortBox(found.anySource, box);
      found.fromPeer.push(...fromPeer);
    }
    // One finding per written rule, whatever model rules it expanded into (a RemoteIP list). Where its Windows
    // profiles leave different traffic open (a port blocked on one profile), each part names its profiles, so a
    // blocked port is not said to be open there.
    for (const [construct, byProfiles] of byRule) {
      const groups = new Map<string, { parts: InstallOnlyOpen['parts']; profiles: number }>();
      const rules: Rule[] = [construct];
      const flows = new Set<ProfileFlow>();
      let profiles = 0;
      for (const [bits, accumulated] of byProfiles) {
        for (const rule of accumulated.rules) if (!rules.includes(rule)) rules.push(rule);
        for (const flow of accumulated.flows) flows.add(flow);
        profiles |= bits;
        const parts: InstallOnlyOpen['parts'] = [...accumulated.anySource.map((box) => ({ box })), ...mergePeerParts(accumulated.fromPeer)];
        const key = parts.map(({ box, peer }) => `${setKey(box.protocols)}|${box.ports.toString()}|${box.icmp ? setKey(box.icmp) : '*'}|${box.addresses?.toString() ?? '*'}|${peer ?? ''}`).join(';');
        const same = groups.get(key);
        if (same) same.profiles |= bits;
        else groups.set(key, { parts, profiles: bits });
      }
      const parts = groups.size === 1 ? [...groups.values()][0]!.parts : [...groups.values()].flatMap((group) => group.parts.map((part) => ({ ...part, profiles: group.profiles })));
      const open = parts.reduce<TrafficBox>((all, { box }) => unitePortBoxes(all, box), trafficBox(IntervalSet.EMPTY, PortSet.EMPTY));
      const entry: InstallOnlyOpen = { rule: construct, flows: [...flows], open, parts, profiles };
      if (rules.length > 1) entry.rules = rules;
      result.push(entry);
    }
  }
  return result;
}

/** What one written rule leaves open on one set of Windows profiles, gathered over its pieces. */
interface OpenAccumulator {
  rules: Rule[];
  flows: ProfileFlow[];
  /** Traffic without addresses, one box per protocol set and ICMP messages (see `addPortBox`). */
  anySource: TrafficBox[];
  /** Traffic at addresses: an install-phase peer's, or (no peer) those outside a NACL's needed replies. */
  fromPeer: Array<{ box: TrafficBox; peer?: string }>;
}

/**
 * Adds a box without addresses to `boxes`, uniting its ports with those of a box of the same protocols and ICMP
 * messages: exact, where uniting protocols and ports apart would read an ICMP rule beside tcp/135 as "tcp/all ports".
 */
function addPortBox(boxes: TrafficBox[], box: TrafficBox): void {
  const index = boxes.findIndex((other) => other.protocols.equals(box.protocols) && sameMessages(other.icmp, box.icmp));
  if (index === -1) boxes.push(trafficBox(box.protocols, box.ports, undefined, box.icmp));
  else boxes[index] = trafficBox(box.protocols, boxes[index]!.ports.union(box.ports), undefined, box.icmp);
}

/** A set as text for map keys: `6-6,17-17`. */
function setKey(set: IntervalSet): string {
  return set.intervals.map(([lo, hi]) => `${lo}-${hi}`).join(',');
}

function sameMessages(a: IntervalSet | undefined, b: IntervalSet | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

/**
 * Parts of one peer merged: the same protocols and ports (addresses united, e.g. Windows pieces of one rule), then the
 * same protocols and addresses (ports united): `tcp/6611, 9011 from 10.10.0.5/32`. Order of first appearance.
 */
function mergePeerParts(parts: Array<{ box: TrafficBox; peer?: string }>): Array<{ box: TrafficBox; peer?: string }> {
  // The ICMP messages belong to the traffic: echo requests and every other type are not merged into one part.
  const protocolsKey = (box: TrafficBox): string => `${setKey(box.protocols)}|${box.icmp ? setKey(box.icmp) : '*'}`;
  const merge = (list: Array<{ box: TrafficBox; peer?: string }>, keyOf: (box: TrafficBox) => string, unite: (a: TrafficBox, b: TrafficBox) => TrafficBox) => {
    const byKey = new Map<string, { box: TrafficBox; peer?: string }>();
    for (const part of list) {
      const key = `${part.peer ?? ''}|${protocolsKey(part.box)}|${keyOf(part.box)}`;
      const same = byKey.get(key);
      byKey.set(key, same ? { ...part, box: unite(same.box, part.box) } : part);
    }
    return [...byKey.values()];
  };
  const byTraffic = merge(parts, (box) => box.ports.toString(), (a, b) => trafficBox(a.protocols, a.ports, a.addresses!.union(b.addresses!), a.icmp));
  return merge(byTraffic, (box) => box.addresses!.toString(), (a, b) => trafficBox(a.protocols, a.ports.union(b.ports), a.addresses, a.icmp));
}

/** Protocols and ports of two boxes united (addresses dropped); `a` may be undefined. */
function unitePortBoxes(a: TrafficBox | undefined, b: TrafficBox): TrafficBox {
  return a ? trafficBox(a.protocols.union(b.protocols), a.ports.union(b.ports)) : trafficBox(b.protocols, b.ports);
}

/** ` on the Public profile`, ` on the Domain and Private profiles`; empty for every profile (and off Windows). */
export function onProfiles(bits: number | undefined): string {
  if (bits === undefined || (bits & ALL_PROFILES) === ALL_PROFILES || bits === 0) return '';
  const names = profileNames(bits).map((name) => name[0]!.toUpperCase() + name.slice(1));
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
  return ` on the ${list} profile${names.length === 1 ? '' : 's'}`;
}
