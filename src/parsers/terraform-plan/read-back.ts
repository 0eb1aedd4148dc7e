import { parseProtocol, protocolName } from '../../model/protocol';

/**
 * AWS reads every rule of a security group back into the group's `ingress` / `egress`, also the rules that standalone
 * rule resources (`aws_security_group_rule`, `aws_vpc_security_group_*_rule`) manage. A plan or state therefore shows
 * those rules twice, and a plan still shows a rule it deletes in the unchanged group (formats.md §1.1 "not managed
 * here"). This knows the AWS rules of the standalone rule resources, to take them out of a group's read-back set.
 * AWS identifies a rule by group, direction, protocol, ports and one peer (descriptions aside), so that is the key.
 */
export class StandaloneAwsRules {
  /** `<group id> <direction>` → keys of the rules (`tcp 22-22 cidr:0.0.0.0/0`). */
  private readonly byGroup = new Map<string, Set<string>>();

  /** Records the AWS rules of one standalone rule resource's values (planned, prior or from a state). */
  add(type: string, values: Record<string, unknown>): void {
    const groupId = values.security_group_id;
    if (typeof groupId !== 'string' || groupId === '') return;
    let direction: unknown;
    let peers: string[];
    let protocol: unknown;
    if (type === 'aws_security_group_rule') {
      direction = values.type;
      protocol = values.protocol;
      peers = [
        ...strings(values.cidr_blocks).map(cidrPeer),
        ...strings(values.ipv6_cidr_blocks).map(cidrPeer),
        ...strings(values.prefix_list_ids).map((id) => `pl:${id}`),
        ...strings([values.source_security_group_id]).map(groupPeer),
        ...(values.self === true ? [groupPeer(groupId)] : []),
      ];
    } else if (type === 'aws_vpc_security_group_ingress_rule' || type === 'aws_vpc_security_group_egress_rule') {
      direction = type === 'aws_vpc_security_group_ingress_rule' ? 'ingress' : 'egress';
      protocol = values.ip_protocol;
      peers = [
        ...strings([values.cidr_ipv4, values.cidr_ipv6]).map(cidrPeer),
        ...strings([values.prefix_list_id]).map((id) => `pl:${id}`),
        ...strings([values.referenced_security_group_id]).map(groupPeer),
      ];
    } else {
      return;
    }
    const permission = permissionKey(protocol, values.from_port, values.to_port);
    if (permission === undefined || typeof direction !== 'string') return;
    const key = `${groupId} ${direction}`;
    const rules = this.byGroup.get(key) ?? new Set<string>();
    this.byGroup.set(key, rules);
    for (const peer of peers) rules.add(`${permission} ${peer}`);
  }

  /**
   * A read-back element of group `groupId`'s `direction` set without the peers that standalone rules account for;
   * undefined when none is left. Elements that share no rule with a standalone rule are returned unchanged.
   */
  withoutStandaloneRules(element: Record<string, unknown>, groupId: unknown, direction: string): Record<string, unknown> | undefined {
    const rules = typeof groupId === 'string' ? this.byGroup.get(`${groupId} ${direction}`) : undefined;
    const permission = permissionKey(element.protocol, element.from_port, element.to_port);
    if (!rules || permission === undefined || typeof groupId !== 'string') return element;
    const isStandalone = (peer: string): boolean => rules.has(`${permission} ${peer}`);
    const rest = { ...element };
    let changed = false;
    const keep = (name: string, peer: (item: string) => string): void => {
      if (!Array.isArray(element[name])) return;
      const items = (element[name] as unknown[]).filter((item) => typeof item !== 'string' || !isStandalone(peer(item)));
      if (items.length !== (element[name] as unknown[]).length) {
        rest[name] = items;
        changed = true;
      }
    };
    keep('cidr_blocks', cidrPeer);
    keep('ipv6_cidr_blocks', cidrPeer);
    keep('prefix_list_ids', (id) => `pl:${id}`);
    keep('security_groups', groupPeer);
    if (element.self === true && isStandalone(groupPeer(groupId))) {
      rest.self = false;
      changed = true;
    }
    if (!changed) return element;
    const hasPeer = ['cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'security_groups'].some((name) => Array.isArray(rest[name]) && (rest[name] as unknown[]).length > 0) || rest.self === true;
    return hasPeer ? rest : undefined;
  }
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : []).filter((item): item is string => typeof item === 'string' && item !== '');
}

function cidrPeer(cidr: string): string {
  return `cidr:${cidr.toLowerCase()}`;
}

/** A peer group, without the `<account>/` prefix the read-back writes for another account's group. */
function groupPeer(id: string): string {
  return `sg:${id.replace(/^\d+\//, '')}`;
}

/** Protocol and ports as EC2 stores them: all ports for protocol -1; absent ports (icmpv6) as -1. */
function permissionKey(protocol: unknown, from: unknown, to: unknown): string | undefined {
  if (typeof protocol !== 'string' && typeof protocol !== 'number') return undefined;
  const parsed = parseProtocol(protocol);
  if (!parsed) return undefined;
  if (parsed.kind === 'any') return 'all';
  const port = (value: unknown): string => (typeof value === 'number' ? String(value) : '-1');
  return `${protocolName(parsed)} ${port(from)}-${port(to)}`;
}
