import { parseProtocol, protocolName } from '../../model/protocol';

/**
 * A provider reads every rule of a security group, network ACL or NSG back into the parent's nested rule set, also the
 * rules that standalone rule resources manage: AWS into a security group's `ingress` / `egress` (from
 * `aws_security_group_rule`, `aws_vpc_security_group_*_rule`) and a network ACL's (from `aws_network_acl_rule`),
 * azurerm into an NSG's `security_rule` (from `azurerm_network_security_rule`). A plan or state therefore shows those
 * rules twice, and a plan still shows a rule it deletes in the unchanged parent (formats.md §1.1 "not managed here").
 * This knows the rules of the standalone rule resources, to take them out of a parent's read-back set. The key is what
 * identifies a rule in its parent:
 * - security group: group, direction, protocol, ports and one peer (descriptions aside);
 * - network ACL: ACL, direction, rule number, protocol, action, CIDR and (TCP/UDP) ports;
 * - NSG: resource group and NSG name, then the rule's name, or its priority and direction (both unique in an NSG).
 */
export class StandaloneRules {
  /** `<group id> <direction>` → keys of the rules (`tcp 22-22 cidr:0.0.0.0/0`). */
  private readonly byGroup = new Map<string, Set<string>>();

  /** `<ACL id> <direction>` → keys of the rules (`100 tcp 22-22 allow 0.0.0.0/0`). */
  private readonly byAcl = new Map<string, Set<string>>();
  /** `<resource group>/<NSG name>` → `name:<rule name>` and `priority:<priority> <direction>` of the rules. */
  private readonly byNsg = new Map<string, Set<string>>();

  /** Records the rules of one standalone rule resource's values (planned, prior or from a state). */
  add(type: string, values: Record<string, unknown>): void {
    if (type === 'aws_network_acl_rule') return this.addAclRule(values);
    if (type === 'azurerm_network_security_rule') return this.addNsgRule(values);
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
   * A read-back element of the nested set `name` of the parent `type` with `values` without what standalone rules
   * account for; undefined when nothing is left. Elements that share no rule with a standalone rule are returned
   * unchanged.
   */
  withoutStandaloneRules(element: Record<string, unknown>, type: string, values: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
    if (type === 'aws_security_group' || type === 'aws_default_security_group') return this.withoutGroupRules(element, values.id, name);
    if (type === 'aws_network_acl' || type === 'aws_default_network_acl') {
      const rules = typeof values.id === 'string' ? this.byAcl.get(`${values.id} ${name}`) : undefined;
      const key = aclRuleKey(element.rule_no, element.protocol, element.action, element.cidr_block, element.ipv6_cidr_block, element.from_port, element.to_port);
      return rules && key !== undefined && rules.has(key) ? undefined : element;
    }
    if (type === 'azurerm_network_security_group') {
      const rules = this.byNsg.get(nsgKey(values.resource_group_name, values.name) ?? '');
      const isStandalone = rules !== undefined && nsgRuleKeys(element).some((key) => rules.has(key));
      return isStandalone ? undefined : element;
    }
    return element;
  }

  private addAclRule(values: Record<string, unknown>): void {
    const aclId = values.network_acl_id;
    if (typeof aclId !== 'string' || aclId === '') return;
    const key = aclRuleKey(values.rule_number, values.protocol, values.rule_action, values.cidr_block, values.ipv6_cidr_block, values.from_port, values.to_port);
    if (key === undefined) return;
    addTo(this.byAcl, `${aclId} ${values.egress === true ? 'egress' : 'ingress'}`, [key]);
  }

  private addNsgRule(values: Record<string, unknown>): void {
    const nsg = nsgKey(values.resource_group_name, values.network_security_group_name);
    if (nsg !== undefined) addTo(this.byNsg, nsg, nsgRuleKeys(values));
  }

  /**
   * A read-back element of group `groupId`'s `direction` set without the peers that standalone rules account for;
   * undefined when none is left. Elements that share no rule with a standalone rule are returned unchanged.
   */
  private withoutGroupRules(element: Record<string, unknown>, groupId: unknown, direction: string): Record<string, unknown> | undefined {
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

function addTo(map: Map<string, Set<string>>, key: string, items: readonly string[]): void {
  const set = map.get(key) ?? new Set<string>();
  map.set(key, set);
  for (const item of items) set.add(item);
}

/**
 * A network ACL rule as AWS identifies it within its ACL and direction: rule number, protocol (the read-back writes
 * numbers: `"6"`), action, CIDR and, for protocols with ports, the ports. Undefined when one of them is not known.
 */
function aclRuleKey(ruleNumber: unknown, protocol: unknown, action: unknown, cidr: unknown, ipv6Cidr: unknown, from: unknown, to: unknown): string | undefined {
  if (typeof ruleNumber !== 'number' || typeof action !== 'string' || (typeof protocol !== 'string' && typeof protocol !== 'number')) return undefined;
  const parsed = parseProtocol(protocol);
  const block = [cidr, ipv6Cidr].find((item): item is string => typeof item === 'string' && item !== '');
  if (!parsed || block === undefined) return undefined;
  const name = protocolName(parsed);
  const ports = name === 'tcp' || name === 'udp' ? ` ${String(from)}-${String(to)}` : '';
  return `${ruleNumber} ${name}${ports} ${action.toLowerCase()} ${block.toLowerCase()}`;
}

/** An NSG as Azure identifies it: resource group and name, case-insensitively. */
function nsgKey(resourceGroup: unknown, name: unknown): string | undefined {
  if (typeof resourceGroup !== 'string' || resourceGroup === '' || typeof name !== 'string' || name === '') return undefined;
  return `${resourceGroup.toLowerCase()}/${name.toLowerCase()}`;
}

/** What identifies an NSG rule within its NSG: its name, and its priority in its direction. */
function nsgRuleKeys(values: Record<string, unknown>): string[] {
  const keys: string[] = [];
  if (typeof values.name === 'string' && values.name !== '') keys.push(`name:${values.name.toLowerCase()}`);
  if (typeof values.priority === 'number' && typeof values.direction === 'string') keys.push(`priority:${values.priority} ${values.direction.toLowerCase()}`);
  return keys;
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
