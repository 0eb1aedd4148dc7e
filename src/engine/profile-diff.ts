import { AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import type { Direction, Rule } from '../model/rule';
import type { Target } from '../model/target';
import { ALL_PROFILES, type EffectiveSet, type Grant } from './effective';
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
}

/** A role applied to a target: what it requires now, and everything the role may ever use (never excess). */
export interface ProfileAssignment {
  ref: string;
  title: string;
  phase?: 'install' | 'operate';
  /** Flows required for the selected phase and options. */
  required: ProfileFlow[];
  /** Every flow of the role across phases and options: the advanced set FW202 measures breadth against. */
  permitted: ProfileFlow[];
  /** The vendor's basic (permissive) rules, to recognise them in messages. */
  basic: ProfileFlow[];
  /** Bound peers; an unbound peer is satisfied by any source (contract: coverage semantics). */
  peers: Record<string, AddressSet>;
}

export interface TrafficBox {
  protocols: IntervalSet;
  ports: PortSet;
  /** Undefined: any address (unbound peer). */
  addresses?: AddressSet;
}

export interface MissingFlow {
  flow: ProfileFlow;
  missing: TrafficBox[];
  /** One concrete packet that the target does not allow. */
  witness: string;
  /** Deny rules that remove part of the flow, when that is why it is missing. */
  blockedBy: Rule[];
}

export interface ExcessGrant {
  rule: Rule;
  /** What the rule allows in all (its effective part). */
  granted: TrafficBox[];
  excess: TrafficBox[];
  witness: string;
  /** Flows this rule overlaps: what it was meant to carry, rendered as its replacement. */
  replacementFlows: ProfileFlow[];
  isVendorBasicRule: boolean;
}

export interface InstallOnlyOpen {
  rule: Rule;
  flows: ProfileFlow[];
  open: TrafficBox;
}

export interface ProfileDiff {
  assignment: ProfileAssignment;
  missing: MissingFlow[];
  excess: ExcessGrant[];
  installOnlyOpen: InstallOnlyOpen[];
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
  return addresses ? { protocols, ports, addresses } : { protocols, ports };
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
  if (!v4.isEmpty()) boxes.push({ protocols: ICMP_V4, ports: PortSet.ALL, addresses: v4 });
  if (!v6.isEmpty()) boxes.push({ protocols: ICMP_V6, ports: PortSet.ALL, addresses: v6 });
  return boxes.length > 0 ? boxes : [flowBox(flow, addresses)];
}

function isEmptyBox(box: TrafficBox): boolean {
  return box.protocols.isEmpty() || box.ports.isEmpty() || (box.addresses !== undefined && box.addresses.isEmpty());
}

/** `a − b`, exact; an undefined address set is "any address". */
export function subtractTraffic(a: TrafficBox, b: TrafficBox): TrafficBox[] {
  if (!a.protocols.overlaps(b.protocols) || !a.ports.overlaps(b.ports)) return [a];
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
    withAddresses({ protocols: a.protocols.subtract(b.protocols), ports: a.ports }, a.addresses),
    withAddresses({ protocols, ports: a.ports.subtract(b.ports) }, a.addresses),
  ];
  if (addressRest !== undefined) pieces.push({ protocols, ports, addresses: addressRest });
  return pieces.filter((piece) => !isEmptyBox(piece));
}

function withAddresses(box: TrafficBox, addresses: AddressSet | undefined): TrafficBox {
  return addresses ? { ...box, addresses } : box;
}

/** Subtracts every box of `cover` from `boxes`. */
function subtractAll(boxes: TrafficBox[], cover: TrafficBox[]): TrafficBox[] {
  let rest = boxes;
  for (const piece of cover) {
    if (rest.length === 0) break;
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

/** A grant as traffic for coverage: only profiles it covers on all of them count (Windows: allowed everywhere). */
function grantBox(grant: Grant, judgeAddresses: boolean): TrafficBox | undefined {
  if (grant.profiles !== ALL_PROFILES) return undefined;
  if (!judgeAddresses) return { protocols: grant.protocols, ports: grant.ports };
  // A symbolic peer (security group, prefix list) cannot be shown to cover a bound address set.
  if (grant.addresses === undefined) return undefined;
  return { protocols: grant.protocols, ports: grant.ports, addresses: grant.addresses };
}

/** Human text of a traffic box: `tcp/9011 from 10.0.0.0/24`. */
export function describeBox(box: TrafficBox, direction: Direction, peerName?: string): string {
  const traffic = describeTraffic(box.protocols, box.ports);
  const preposition = direction === 'in' ? 'from' : 'to';
  const peer = box.addresses ? box.addresses.toString() : peerName ? `${peerName} (any address)` : 'any address';
  return `${traffic} ${preposition} ${peer}`;
}

export function witnessOf(box: TrafficBox, direction: Direction): string {
  const protocol = box.protocols.first() ?? 0n;
  const name = protocol === 6n ? 'tcp' : protocol === 17n ? 'udp' : protocol === 1n ? 'icmp' : `protocol ${protocol}`;
  const port = protocol === 6n || protocol === 17n ? `/${box.ports.first()}` : '';
  const address = box.addresses?.firstAddress() ?? '203.0.113.7';
  return `${name}${port} ${direction === 'in' ? 'from' : 'to'} ${address}`;
}

/**
 * Compares a target's effective allowed set with a role (Batfish-style): exact missing parts of every required
 * flow, exact excess of every allow rule beyond the role's advanced set, and install-only ports left open.
 */
export function computeProfileDiff(target: Target, effective: EffectiveSet, assignment: ProfileAssignment): ProfileDiff {
  return {
    assignment,
    missing: missingFlows(target, effective, assignment),
    excess: excessGrants(effective, assignment),
    installOnlyOpen: installOnlyOpen(effective, assignment),
  };
}

/** A peer's bound addresses; own keys only, so a peer named `constructor` is never an inherited function. */
function boundPeer(assignment: ProfileAssignment, peer: string): AddressSet | undefined {
  return Object.hasOwn(assignment.peers, peer) ? assignment.peers[peer] : undefined;
}

function missingFlows(target: Target, effective: EffectiveSet, assignment: ProfileAssignment): MissingFlow[] {
  const result: MissingFlow[] = [];
  for (const flow of assignment.required) {
    const bound = boundPeer(assignment, flow.peer);
    const grants = effective[flow.direction];
    const cover = grants.map((grant) => grantBox(grant, bound !== undefined)).filter((box): box is TrafficBox => box !== undefined);
    const variants = [flow, ...flow.alternatives];
    let best: TrafficBox[] | undefined;
    for (const variant of variants) {
      const rest = subtractAll(requiredBoxes(variant, bound), cover);
      if (rest.length === 0) {
        best = [];
        break;
      }
      if (best === undefined) best = rest;
    }
    if (!best || best.length === 0) continue;
    const witness = witnessOf(best[0]!, flow.direction);
    const denies = target.rules.filter((rule) => rule.enabled && rule.action === 'deny' && rule.direction === flow.direction);
    const blockedBy = denies.filter((deny) => best!.some((box) => overlapsRule(box, deny)));
    result.push({ flow, missing: best, witness, blockedBy });
  }
  return result;
}

function overlapsRule(box: TrafficBox, rule: Rule): boolean {
  const protocols = rule.protocol.kind === 'any' ? ALL_PROTOCOLS : IntervalSet.range(BigInt(rule.protocol.value), BigInt(rule.protocol.value));
  if (!box.protocols.overlaps(protocols) || !box.ports.overlaps(rule.ports)) return false;
  if (rule.peer.kind !== 'addresses') return false;
  return (box.addresses ?? AddressSet.ALL).overlaps(rule.peer.addresses);
}

function excessGrants(effective: EffectiveSet, assignment: ProfileAssignment): ExcessGrant[] {
  const result: ExcessGrant[] = [];
  for (const direction of ['in', 'out'] as const) {
    const permitted = assignment.permitted.filter((flow) => flow.direction === direction);
    const permittedBoxes = permitted.flatMap((flow) =>
      [flow, ...flow.alternatives].map((variant) => flowBox(variant, boundPeer(assignment, flow.peer), true)),
    );
    // Built once per direction, not per grant: a target may have 100k rules.
    const symbolicBoxes = permittedBoxes.map(({ protocols, ports }) => ({ protocols, ports }));
    const permittedTraffic = permitted.map((flow) => ({ flow, traffic: flowBox(flow, undefined) }));
    const basicBoxes = assignment.basic.filter((flow) => flow.direction === direction).map((flow) => flowBox(flow, undefined));
    const byRule = new Map<Rule, ExcessGrant>();
    for (const grant of effective[direction]) {
      if (grant.isPlatformDefault) continue;
      const box: TrafficBox = grant.addresses
        ? { protocols: grant.protocols, ports: grant.ports, addresses: grant.addresses }
        : { protocols: grant.protocols, ports: grant.ports };
      // Symbolic peers have no addresses to judge: compare them on protocols and ports only.
      const comparable = grant.addresses ? permittedBoxes : symbolicBoxes;
      const excess = subtractAll([box], comparable);
      if (excess.length === 0) continue;
      const existing = byRule.get(grant.rule);
      if (existing) {
        existing.granted.push(box);
        existing.excess.push(...excess);
        continue;
      }
      const replacementFlows = permittedTraffic
        .filter(({ traffic }) => traffic.protocols.overlaps(grant.protocols) && traffic.ports.overlaps(grant.ports))
        .map(({ flow }) => flow);
      // The vendor's basic rule (NetApp: all TCP and UDP outbound): this rule allows at least all of it.
      const isVendorBasicRule = basicBoxes.length > 0 && subtractAll(basicBoxes, [{ protocols: grant.protocols, ports: grant.ports }]).length === 0;
      const entry: ExcessGrant = { rule: grant.rule, granted: [box], excess, witness: witnessOf(excess[0]!, direction), replacementFlows, isVendorBasicRule };
      byRule.set(grant.rule, entry);
      result.push(entry);
    }
  }
  return result;
}

function installOnlyOpen(effective: EffectiveSet, assignment: ProfileAssignment): InstallOnlyOpen[] {
  if (assignment.phase !== 'operate') return [];
  const result: InstallOnlyOpen[] = [];
  for (const direction of ['in', 'out'] as const) {
    const installFlows = assignment.permitted.filter((flow) => flow.direction === direction && flow.phase === 'install');
    if (installFlows.length === 0) continue;
    const operateBoxes = assignment.permitted
      .filter((flow) => flow.direction === direction && flow.phase !== 'install')
      .map((flow) => flowBox(flow, undefined));
    for (const grant of effective[direction]) {
      if (grant.isPlatformDefault) continue;
      const flows: ProfileFlow[] = [];
      let open: TrafficBox | undefined;
      for (const flow of installFlows) {
        const installOnly = subtractAll([flowBox(flow, undefined)], operateBoxes);
        for (const piece of installOnly) {
          const protocols = piece.protocols.intersect(grant.protocols);
          const ports = piece.ports.intersect(grant.ports);
          if (protocols.isEmpty() || ports.isEmpty()) continue;
          flows.push(flow);
          open = open ? { protocols: open.protocols.union(protocols), ports: open.ports.union(ports) } : { protocols, ports };
        }
      }
      if (open) result.push({ rule: grant.rule, flows: [...new Set(flows)], open });
    }
  }
  return result;
}
