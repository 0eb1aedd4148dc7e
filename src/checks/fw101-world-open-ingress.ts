import { ALL_PROFILES, profileNames, type Grant } from '../engine/effective';
import { describeTraffic, sensitiveServices } from '../engine/traffic';
import { AddressSet } from '../model/address-set';
import { branchWorlds } from '../model/branch';
import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import { cidrsOf, cidrText } from '../engine/set-facts';
import { defineCheck, type CheckContext, type FindingSpec } from './define-check';
import { worldCoveringPieces } from './fw101-world-union';

const IPV4_ADDRESSES = 1n << 32n;
const IPV6_ADDRESSES = 1n << 128n;

interface WorldOpenPart {
  protocols: IntervalSet;
  ports: PortSet;
  /** The address family this part opens to the world (a grant's own addresses may cover both). */
  family: 4 | 6;
}

export default defineCheck({
  id: 'FW101',
  name: 'world-open-ingress',
  defaultSeverity: 'high',
  summary: 'Ingress allowed from the whole internet',
  precision: 'very-high',
  tags: ['security', 'network', 'external/cwe/cwe-284'],
  messages: {
    worldOpen: '{target} allows ingress from {peer} on {traffic}{where}',
    worldOpenCombined: '{target} allows ingress from {peer} on {traffic}, which together with its other rules opens it to the whole internet{where}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const grants = ctx.effective(target).in.filter((grant) => grant.addresses !== undefined);
    const parts = new Map<Grant, WorldOpenPart[]>();
    const partial: Grant[] = [];
    for (const grant of grants) {
      const addresses = grant.addresses!;
      if (addresses.coversWorld()) parts.set(grant, [{ protocols: grant.protocols, ports: grant.ports, family: addresses.coversAllIpv4() ? 4 : 6 }]);
      else partial.push(grant);
    }
    const combined = new Set<Grant>();
    // Only rules that can exist together are combined: the two branches of an undecidable condition never are.
    const combinedParts = new Map<Grant, WorldOpenPart[]>();
    for (const world of branchWorlds(partial, (grant) => grant.rule)) {
      for (const [grant, part] of worldOpenCombinations(world)) combinedParts.set(grant, mergeParts(combinedParts.get(grant) ?? [], part));
    }
    for (const [grant, part] of combinedParts) {
      parts.set(grant, [...(parts.get(grant) ?? []), ...part]);
      combined.add(grant);
    }
    const findings: FindingSpec[] = [];
    for (const [grant, grantParts] of parts) {
      for (const part of grantParts) {
        const exposed = withoutPublicPorts(part, ctx);
        if (exposed.ports.isEmpty() || exposed.protocols.isEmpty()) continue;
        const traffic = describeTraffic(exposed.protocols, exposed.ports);
        const services = servicesOf(exposed);
        const where = grant.profiles === ALL_PROFILES ? '' : ` (profiles: ${profileNames(grant.profiles).join(', ')})`;
        findings.push({
          messageId: combined.has(grant) ? 'worldOpenCombined' : 'worldOpen',
          rule: grant.rule,
          data: { target: target.id, peer: describeAddresses(grant.addresses!), traffic, where },
          severity: services.length > 0 ? 'critical' : 'high',
          key: traffic,
          properties: { traffic, peer: cidrText(grant.addresses!), sensitiveServices: services, witness: witness(exposed) },
        });
      }
    }
    return findings;
  },
});

/** Parts of one grant found in several worlds, without repeats: the same family and protocols share their ports. */
function mergeParts(list: WorldOpenPart[], more: WorldOpenPart[]): WorldOpenPart[] {
  if (list.length === 0) return more;
  const merged = list.map((part) => ({ ...part }));
  for (const part of more) {
    const same = merged.find((each) => each.family === part.family && each.protocols.equals(part.protocols));
    if (same) same.ports = same.ports.union(part.ports);
    else merged.push(part);
  }
  return merged;
}

function describeAddresses(addresses: AddressSet): string {
  const cidrs = cidrsOf(addresses);
  return cidrs.length > 4 ? `${cidrs.slice(0, 4).join(', ')} and ${cidrs.length - 4} more` : cidrs.join(', ');
}

function servicesOf(part: WorldOpenPart): string[] {
  const carriesPorts = part.protocols.has(6n) || part.protocols.has(17n);
  return carriesPorts ? sensitiveServices(part.ports) : [];
}

function witness(part: WorldOpenPart): string {
  const protocol = part.protocols.has(6n) ? 'tcp' : part.protocols.has(17n) ? 'udp' : `protocol ${part.protocols.first()}`;
  const port = protocol === 'tcp' || protocol === 'udp' ? `/${part.ports.first()}` : '';
  const world = part.family === 4 ? '203.0.113.7' : '2001:db8::7';
  return `${protocol}${port} from ${world}`;
}

/** Removes the config's `publicPorts` (ports that may be open to the world) from a world-open part. */
function withoutPublicPorts(part: WorldOpenPart, ctx: CheckContext<unknown>): WorldOpenPart {
  let ports = part.ports;
  for (const publicPort of ctx.publicPorts) {
    // Only exempt when the part is exactly that protocol: an all-protocol rule stays exposed on the rest.
    if (part.protocols.size() === 1n && part.protocols.has(BigInt(publicPort.protocol))) ports = ports.subtract(publicPort.ports);
  }
  return { protocols: part.protocols, ports, family: part.family };
}

/**
 * Grants that are world-open only together (`0.0.0.0/1` + `128.0.0.0/1` on the same ports): splits protocol × port
 * space at every grant boundary and unions the addresses per cell. Only the grants that add to a family the cell's
 * union covers are blamed (`worldCoveringPieces`): a private IPv4 rule next to `::/1` + `8000::/1`, or `10.0.0.0/8`
 * next to `0.0.0.0/1` + `128.0.0.0/1`, does not open anything to the world. Skipped cheaply when even all of them
 * together do not cover the world.
 */
function worldOpenCombinations(grants: Grant[]): Map<Grant, WorldOpenPart[]> {
  const result = new Map<Grant, WorldOpenPart[]>();
  if (grants.length < 2) return result;
  // Their union can only cover a family if their sizes add up to it: most targets stop here without any union.
  let v4 = 0n;
  let v6 = 0n;
  for (const grant of grants) {
    const size = grant.addresses!.size();
    v4 += size.v4;
    v6 += size.v6;
  }
  if (v4 < IPV4_ADDRESSES && v6 < IPV6_ADDRESSES) return result;
  let everything = AddressSet.EMPTY;
  for (const grant of grants) everything = everything.union(grant.addresses!);
  if (!everything.coversWorld()) return result;

  const protocolCuts = cutsOf(grants.flatMap((grant) => grant.protocols.intervals.map(([lo, hi]) => [lo, hi] as const)));
  for (const [protocolLo, protocolHi] of protocolCuts) {
    const protocolCell = IntervalSet.range(protocolLo, protocolHi);
    const inProtocol = grants.filter((grant) => grant.protocols.containsAll(protocolCell));
    if (inProtocol.length < 2) continue;
    const portCuts = cutsOf(inProtocol.flatMap((grant) => grant.ports.ranges().map(([lo, hi]) => [BigInt(lo), BigInt(hi)] as const)));
    for (const [portLo, portHi] of portCuts) {
      const portCell = PortSet.range(Number(portLo), Number(portHi));
      const covering = inProtocol.filter((grant) => grant.ports.containsAll(portCell));
      if (covering.length < 2) continue;
      for (const family of [4, 6] as const) {
        for (const grant of worldCoveringPieces(covering, (each) => each.addresses!, family)) {
          const list = result.get(grant) ?? [];
          let last: WorldOpenPart | undefined;
          for (const part of list) if (part.family === family) last = part;
          if (last && last.protocols.equals(protocolCell)) last.ports = last.ports.union(portCell);
          else list.push({ protocols: protocolCell, ports: portCell, family });
          result.set(grant, list);
        }
      }
    }
  }
  return result;
}

/** Elementary intervals: the pieces between every start and end boundary of the given intervals. */
function cutsOf(intervals: ReadonlyArray<readonly [bigint, bigint]>): Array<[bigint, bigint]> {
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
