/**
 * Names the Terraform reader looks for (language keywords, reference roots, block types and the arguments of the
 * firewall resources). An identifier cut from a file is a new string each time, and compared with a name in the code
 * (`attribute.name === 'protocol'`, `name === 'var'`) character by character; as one of these constants it costs no
 * allocation and compares by identity.
 */
const COMMON_NAMES = [
  // Language
  'resource', 'data', 'variable', 'locals', 'output', 'module', 'provider', 'terraform', 'dynamic', 'content', 'for_each',
  'count', 'iterator', 'var', 'local', 'each', 'key', 'value', 'index', 'self', 'path', 'true', 'false', 'null', 'source',
  'default', 'type', 'description', 'tags', 'name', 'id', 'sensitive', 'validation', 'condition', 'error_message',
  // AWS security groups and rules, network ACLs
  'ingress', 'egress', 'protocol', 'from_port', 'to_port', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids',
  'security_groups', 'security_group_id', 'source_security_group_id', 'vpc_id', 'ip_protocol', 'cidr_ipv4', 'cidr_ipv6',
  'referenced_security_group_id', 'prefix_list_id', 'rule_no', 'action', 'network_acl_id', 'icmp_type', 'icmp_code',
  'cidr_block', 'ipv6_cidr_block', 'name_prefix', 'revoke_rules_on_delete',
  // Azure network security groups, GCP firewalls
  'security_rule', 'priority', 'direction', 'access', 'source_port_range', 'destination_port_range',
  'source_address_prefix', 'destination_address_prefix', 'resource_group_name', 'network_security_group_name', 'location',
  'allow', 'deny', 'ports', 'source_ranges', 'destination_ranges', 'network', 'project', 'target_tags',
];

const NAMES_BY_LENGTH: string[][] = [];
for (const name of COMMON_NAMES) (NAMES_BY_LENGTH[name.length] ??= []).push(name);

/** `text.slice(start, end)`: the shared constant when it is one of the common names, else a new string. */
export function identifierText(text: string, start: number, end: number): string {
  const candidates = NAMES_BY_LENGTH[end - start];
  if (candidates !== undefined) {
    for (const candidate of candidates) if (isWrittenAt(text, start, candidate)) return candidate;
  }
  return text.slice(start, end);
}

/** True when `name` is written in `text` at `start` (compared code by code: no builtin call, no slice). */
function isWrittenAt(text: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (text.charCodeAt(start + i) !== name.charCodeAt(i)) return false;
  return true;
}
