import { AddressSet } from '../model/address-set';
import { parametersLabel, roleJson } from './describe';
import { SOURCE_PORT_CONDITION } from '../model/rule';
import type { FlowDirection, FlowProtocol, RequiredFlow, RoleProfile } from './rule-pack';

export type RenderFormat = 'terraform' | 'cloudformation' | 'netsh' | 'powershell' | 'json';

export const RENDER_FORMATS: readonly RenderFormat[] = ['terraform', 'cloudformation', 'netsh', 'powershell', 'json'];

export interface RenderOptions {
  /** Peer name -> bound CIDRs (IPv4 or IPv6). Peers without a binding become variables or placeholders. */
  peers: Readonly<Record<string, readonly string[]>>;
  /** An FW202 replacement of a rule whose peer is a group or prefix list: every rule names that peer instead. */
  writtenPeer?: WrittenPeer;
  /** A Terraform FW202 replacement (HCL): the replaced rule's own description, kept where it still holds. */
  keptDescription?: KeptDescription;
}

/**
 * The `description` of a replaced Terraform rule as written, and its AWS protocol and ports (`awsPortFields`): a
 * rendered rule of just that traffic (its peers narrowed) serves what the rule was written for, and keeps it.
 */
export interface KeptDescription {
  /** The value as written, with its end-of-line comment (`"ssh" # ticket 12`). */
  text: string;
  protocol: string;
  from: number;
  to: number;
}

/**
 * The replaced rule's own peer as written (`aws_security_group.cm.id`, `!Ref CmSG`): the addresses it stands for are
 * wider than its members (a whole subnet), and a prefix list would no longer follow its entries.
 */
export interface WrittenPeer {
  kind: 'security-group' | 'prefix-list' | 'self';
  /** The value as written in the rule (unused for `self`). */
  text: string;
}

/**
 * Prints a role's advanced rule set as ready-to-use code. Every rendering starts with a comment naming pack, role,
 * phase, options and source, and carries a `fwlint:profile` annotation so that scanning it maps it back to the role.
 * Deterministic: flows in pack order, peers in order of first use.
 */
export function renderRole(role: RoleProfile, format: RenderFormat, opts: RenderOptions): string {
  // The JSON keeps each flow's id as it is (an identifier); code shows the parameter values in names and descriptions,
  // and writes no rule that another of its rules already carries.
  const profile = format === 'json' ? role : withContainedFlowsMerged(withParameterValues(role), opts);
  switch (format) {
    case 'terraform':
      return renderTerraform(profile, opts);
    case 'cloudformation':
      return renderCloudFormation(profile, opts);
    case 'netsh':
      return renderNetsh(profile, opts);
    case 'powershell':
      return renderPowerShell(profile, opts);
    case 'json':
      return renderJson(profile, opts);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared

/** One provider rule: a flow's port range towards one peer. */
export interface RenderRule {
  flow: RequiredFlow;
  direction: FlowDirection;
  protocol: FlowProtocol;
  /** Inclusive port range; [0, 65535] for icmp/all. */
  from: number;
  to: number;
  /** Bound addresses, or undefined when the peer is unbound. */
  cidrs?: string[];
  /** An ICMP flow's IPv6 addresses: the rule allows ICMPv6 (protocol 58), as ICMPv4 never reaches IPv6 peers. */
  icmpv6?: boolean;
  /** The peer to name instead of addresses (`RenderOptions.writtenPeer`). */
  writtenPeer?: WrittenPeer;
  /** The replaced rule's description, kept (`RenderOptions.keptDescription`). */
  writtenDescription?: string;
}

/**
 * The profile with `{parameter}` in flow ids replaced by the parameter's value (`in/tcp/{wmi-port}/installer` becomes
 * `in/tcp/30000/installer`), for rule names and descriptions: the rendered rule says which port it opens. Findings
 * and fingerprints keep the id as written, a stable identifier.
 */
export function withParameterValues(profile: RoleProfile): RoleProfile {
  const parameters = profile.parameters ?? {};
  const shown = (id: string): string =>
    id.replace(/\{([a-z0-9][a-z0-9-]*)\}/g, (whole, name: string) => (Object.hasOwn(parameters, name) ? String(parameters[name]) : whole));
  if (!profile.flows.some((flow) => shown(flow.id) !== flow.id)) return profile;
  return { ...profile, flows: profile.flows.map((flow) => (shown(flow.id) === flow.id ? flow : { ...flow, id: shown(flow.id) })) };
}

function headerLines(profile: RoleProfile): string[] {
  const lines = [
    `fwlint advanced rule set for ${profile.pack}/${profile.role} (${profile.title})`,
    selectionLabel(profile),
    `source: ${profile.source}`,
  ];
  const omitted = omittedNote(profile);
  if (omitted) lines.push(omitted);
  return lines;
}

/**
 * What a rendering is of: the phase, where the role has flows limited to one (a phase selects nothing on a role
 * without, `packs/phase-no-effect`, and naming it would say otherwise), the options and the parameters.
 */
export function selectionLabel(profile: RoleProfile): string {
  const phase = profile.hasPhases === false ? '' : `phase: ${profile.phase ?? 'all (install and operate)'}; `;
  return `${phase}options: ${profile.options.length > 0 ? profile.options.join(', ') : 'none'}${parametersLabel(profile, '; ')}`;
}

/**
 * The conditional flows the selection leaves out, and how to include them; undefined when none is left out. A
 * rendering without them is incomplete for a deployment that uses one of those options, so it must say so.
 */
function omittedNote(profile: RoleProfile): string | undefined {
  if (!profile.omitted) return undefined;
  const { flows, options } = profile.omitted;
  return `not included: ${flows} conditional ${flows === 1 ? 'flow' : 'flows'} of option${options.length === 1 ? '' : 's'} ${options.join(', ')}; add --option NAME for each option in use (e.g. --option ${options[0]})`;
}

function profileAnnotation(profile: RoleProfile): string {
  let text = `fwlint:profile ${profile.pack}/${profile.role}`;
  // A phase that selects nothing would make the scan of the rendering warn (packs/phase-no-effect), as render did.
  if (profile.phase && profile.hasPhases !== false) text += ` phase=${profile.phase}`;
  if (profile.options.length > 0) text += ` options=${profile.options.join(',')}`;
  return text;
}

/** The addresses a flow is rendered with: its own (`cidrs`, a replacement's part of the peer), else the peer's. */
function boundCidrs(opts: RenderOptions, flow: Pick<RequiredFlow, 'peer' | 'cidrs'>): string[] | undefined {
  const cidrs = flow.cidrs ?? opts.peers[flow.peer];
  return cidrs && cidrs.length > 0 ? [...cidrs] : undefined;
}

/** Unbound peers in order of first use, with their descriptions. */
export function unboundPeers(profile: RoleProfile, opts: RenderOptions): Array<{ name: string; description: string }> {
  if (opts.writtenPeer) return [];
  const names: string[] = [];
  for (const flow of profile.flows) {
    if (!boundCidrs(opts, flow) && !names.includes(flow.peer)) names.push(flow.peer);
  }
  return names.map((name) => ({ name, description: profile.peerDescriptions?.[name] ?? name }));
}

/**
 * One rule per flow and port range. Bound addresses already granted by an earlier rule with the same direction,
 * protocol and ports are left out: AWS rejects a duplicate permission in one group (InvalidPermission.Duplicate).
 */
export function providerRules(profile: RoleProfile, opts: RenderOptions): RenderRule[] {
  const rules: RenderRule[] = [];
  const granted = new Map<string, Set<string>>();
  for (const flow of profile.flows) {
    const ranges: Array<[number, number]> = flow.protocol === 'icmp' || flow.protocol === 'all' ? [[0, 65535]] : flow.ports.ranges();
    for (const [from, to] of ranges) {
      if (opts.writtenPeer) {
        // One peer for all: a second rule of the same traffic would be a duplicate permission.
        const key = `${flow.direction}|${flow.protocol}|${from}|${to}`;
        if (granted.has(key)) continue;
        granted.set(key, new Set());
        rules.push({ flow, direction: flow.direction, protocol: flow.protocol, from, to, writtenPeer: opts.writtenPeer });
        continue;
      }
      const cidrs = boundCidrs(opts, flow);
      if (!cidrs) {
        rules.push({ flow, direction: flow.direction, protocol: flow.protocol, from, to });
        continue;
      }
      for (const group of icmpFamilies(flow, cidrs)) {
        const key = `${flow.direction}|${flow.protocol}${group.icmpv6 ? 'v6' : ''}|${from}|${to}`;
        const seen = granted.get(key) ?? new Set<string>();
        granted.set(key, seen);
        const fresh = group.cidrs.filter((cidr) => !seen.has(cidr));
        if (fresh.length === 0) continue;
        fresh.forEach((cidr) => seen.add(cidr));
        const rule: RenderRule = { flow, direction: flow.direction, protocol: flow.protocol, from, to, cidrs: fresh };
        if (group.icmpv6) rule.icmpv6 = true;
        rules.push(rule);
      }
    }
  }
  const kept = opts.keptDescription;
  if (kept) {
    for (const rule of rules) {
      const [protocol, from, to] = awsPortFields(rule);
      if (protocol === kept.protocol && from === kept.from && to === kept.to) rule.writtenDescription = kept.text;
    }
  }
  return rules;
}

/** Whether some rule rendered for `flows` keeps the replaced rule's description (`RenderOptions.keptDescription`). */
export function keepsDescription(flows: RequiredFlow[], opts: RenderOptions): boolean {
  return opts.keptDescription !== undefined && providerRules({ flows } as RoleProfile, opts).some((rule) => rule.writtenDescription !== undefined);
}

/** A Terraform rule's `description` value: the replaced rule's own where it is kept, else the flow's purpose. */
function terraformDescription(rule: RenderRule): string {
  return rule.writtenDescription ?? hclString(awsText(ruleDescription(rule.flow)));
}

/**
 * Bound addresses grouped by the ICMP version that reaches them: an ICMP flow becomes an ICMPv4 rule for the IPv4
 * addresses and an ICMPv6 rule for the IPv6 ones. Other protocols keep all addresses in one group.
 */
function icmpFamilies(flow: RequiredFlow, cidrs: string[]): Array<{ cidrs: string[]; icmpv6: boolean }> {
  if (flow.protocol !== 'icmp') return [{ cidrs, icmpv6: false }];
  const v4 = cidrs.filter((cidr) => !isIpv6(cidr));
  const v6 = cidrs.filter(isIpv6);
  return [...(v4.length > 0 ? [{ cidrs: v4, icmpv6: false }] : []), ...(v6.length > 0 ? [{ cidrs: v6, icmpv6: true }] : [])];
}

/** The rule's description: the vendor's purpose, the phase when limited to one, the flow id and those it carries. */
export function ruleDescription(flow: RequiredFlow): string {
  const phase = flow.phase ? ` (${flow.phase} phase only)` : '';
  const carried = carriedFlows.get(flow);
  // A carried flow of the same id (a parameter equal to the flow's port) is told by its purpose.
  const also = carried?.map((each) => (each.id === flow.id ? each.purpose : each.id)).join(', ');
  return `${flow.purpose}${phase} [${flow.id}${also ? `; also carries ${also}` : ''}]`;
}

/** Flows a rendered rule carries besides its own (see `withContainedFlowsMerged`), for its description. */
const carriedFlows = new WeakMap<RequiredFlow, RequiredFlow[]>();

/**
 * The profile without the flows whose traffic another flow of it already allows (same direction, a protocol and ports
 * within the other's, its bound addresses within the other's, or the same unbound peer, and no narrower phase): a
 * rule for such a flow would be redundant (FW302) and, for netsh, a second rule of the same name when a parameter
 * equals another port (wmi-port=445 beside SMB). `internet` bound to 0.0.0.0/0 carries `cvo`'s tcp/443. The rule kept
 * names the flows it carries in its description, so the vendor's requirement stays documented. Of two flows with the
 * same traffic the first is kept.
 */
function withContainedFlowsMerged(profile: RoleProfile, opts: RenderOptions): RoleProfile {
  const flows = profile.flows;
  const addresses = flows.map((flow) => {
    const cidrs = boundCidrs(opts, flow);
    return cidrs ? AddressSet.parseList(cidrs.join(',')) : undefined;
  });
  const carriesTraffic = (outer: number, inner: number): boolean => {
    const [a, b] = [flows[outer]!, flows[inner]!];
    if (a.direction !== b.direction || (a.phase !== undefined && a.phase !== b.phase)) return false;
    if (a.protocol !== 'all' && a.protocol !== b.protocol) return false;
    return !((a.protocol === 'tcp' || a.protocol === 'udp') && !a.ports.containsAll(b.ports));
  };
  const carries = (outer: number, inner: number): boolean => {
    if (!carriesTraffic(outer, inner)) return false;
    const [a, b] = [flows[outer]!, flows[inner]!];
    const [outerAddresses, innerAddresses] = [addresses[outer], addresses[inner]];
    if (outerAddresses === undefined || innerAddresses === undefined) return outerAddresses === innerAddresses && a.peer === b.peer;
    return outerAddresses.containsAll(innerAddresses);
  };
  const isDropped = (inner: number): boolean =>
    flows.some((_flow, outer) => outer !== inner && carries(outer, inner) && (outer < inner || !carries(inner, outer)));
  const dropped = flows.map((_flow, index) => isDropped(index));
  // A flow whose traffic another one's rule holds at part of its addresses (the IPv4 half of a dual-stack peer inside
  // `internet=0.0.0.0/0`) is written at the rest only: its rule would be redundant there (FW302). Of two flows of the
  // same traffic, the later one gives way. The carrier's addresses are all written, by it or by one that carries it.
  const remainders = flows.map((_flow, inner): AddressSet | undefined => {
    const own = addresses[inner];
    if (dropped[inner] || own === undefined) return undefined;
    const carriers = flows.flatMap((_other, outer) =>
      outer !== inner && !dropped[outer] && addresses[outer] !== undefined && addresses[outer]!.overlaps(own) && carriesTraffic(outer, inner) && (outer < inner || !carriesTraffic(inner, outer)) ? [outer] : []);
    if (carriers.length === 0) return undefined;
    return carriers.reduce((rest, outer) => rest.subtract(addresses[outer]!), own);
  });
  if (!dropped.includes(true) && remainders.every((rest) => rest === undefined)) return profile;
  const kept = flows.map((flow, index) => {
    const rest = remainders[index];
    return rest === undefined || rest.isEmpty() ? { ...flow } : { ...flow, cidrs: rest.toCidrs() };
  });
  remainders.forEach((rest, inner) => {
    if (rest === undefined || rest.isEmpty()) return;
    // The rule that holds the flow's other addresses says it carries it (in part).
    const outer = flows.findIndex((_flow, index) => index !== inner && !dropped[index] && addresses[index]?.overlaps(addresses[inner]!) && carriesTraffic(index, inner));
    if (outer >= 0) carriedFlows.set(kept[outer]!, [...(carriedFlows.get(kept[outer]!) ?? []), flows[inner]!]);
  });
  dropped.forEach((isGone, inner) => {
    if (!isGone) return;
    const outer = flows.findIndex((_flow, index) => !dropped[index] && carries(index, inner));
    const carrier = kept[outer]!;
    carriedFlows.set(carrier, [...(carriedFlows.get(carrier) ?? []), flows[inner]!]);
  });
  return { ...profile, flows: kept.filter((_flow, index) => !dropped[index]) };
}

export function alternativeNote(flow: RequiredFlow): string | undefined {
  if (flow.alternatives.length === 0) return undefined;
  const variants = flow.alternatives.map((alternative) =>
    alternative.protocol === 'icmp' || alternative.protocol === 'all'
      ? alternative.protocol
      : `${alternative.protocol} ${alternative.ports.toString()}`,
  );
  return `${flow.id}: ${variants.join(' or ')} satisfies this flow instead`;
}

/**
 * The `fwlint:ignore FW102` a rendering of the advanced rule set writes above a rule FW102 reports: all traffic, or
 * every port of TCP or UDP, with a peer. The vendor requires the flow in that form (NetApp's HA pair: all traffic
 * with the partner), so the rendering would otherwise fail fwlint's own gate, telling to narrow what the role needs;
 * scanned with the peer bound, FW202 still reports whatever the rule allows beyond the role. Undefined for other
 * rules, and for all traffic to the whole internet, which FW104 reports instead of FW102.
 */
export function allTrafficIgnore(flow: RequiredFlow, allPorts: boolean, cidrs: readonly string[] | undefined): string | undefined {
  const traffic = flow.protocol === 'all' ? 'all traffic' : (flow.protocol === 'tcp' || flow.protocol === 'udp') && allPorts ? `every ${flow.protocol} port` : undefined;
  if (traffic === undefined || (flow.direction === 'out' && cidrs?.some((cidr) => cidr.endsWith('/0')))) return undefined;
  const reason = `vendor's advanced rule set: ${flow.id} needs ${traffic} ${flow.direction === 'in' ? 'from' : 'to'} ${flow.peer}`;
  return `fwlint:ignore FW102 reason="${cmdText(reason)}"`;
}

/**
 * AWS allows only a-z A-Z 0-9 space and ._-:/()#,@[]+=&;{}!$* in security group and rule descriptions (max 255);
 * anything else would fail at apply time.
 */
export function awsText(text: string): string {
  return text
    .replace(/['\u2019]/g, '')
    .replace(/[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255)
    .trim();
}

export function isIpv6(cidr: string): boolean {
  return cidr.includes(':');
}

function snakeName(name: string): string {
  const snake = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(snake) ? snake : `fw_${snake}`;
}

export function pascalName(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform (AWS provider): aws_security_group with inline ingress/egress blocks

function hclString(text: string): string {
  // ${ and %{ start template sequences in HCL strings; doubling the sigil makes them literal.
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, '$${')
    .replace(/%\{/g, '%%{');
  return `"${escaped}"`;
}

function terraformVariable(peer: string): string {
  return `${snakeName(peer)}_cidrs`;
}

function renderTerraform(profile: RoleProfile, opts: RenderOptions): string {
  const out: string[] = headerLines(profile).map((line) => `# ${line}`);
  out.push('# Unbound peers are variables below; bind them with --peer NAME=CIDR or set the variables.', '');
  out.push('variable "vpc_id" {', '  description = "VPC of the security group"', '  type        = string', '}', '');
  for (const peer of unboundPeers(profile, opts)) {
    out.push(
      `variable "${terraformVariable(peer.name)}" {`,
      `  description = ${hclString(`CIDR blocks of peer ${peer.name}: ${peer.description}`)}`,
      '  type        = list(string)',
      '}',
      '',
    );
  }

  const resourceName = snakeName(`${profile.pack}_${profile.role}`);
  out.push(`# ${profileAnnotation(profile)}`);
  out.push(`resource "aws_security_group" "${resourceName}" {`);
  out.push(`  name        = ${hclString(awsText(`${profile.pack}-${profile.role}`))}`);
  out.push(`  description = ${hclString(awsText(`fwlint advanced rule set for ${profile.pack}/${profile.role}`))}`);
  out.push('  vpc_id      = var.vpc_id');

  const rules = providerRules(profile, opts);
  for (const direction of ['in', 'out'] as const) {
    const ofDirection = rules.filter((rule) => rule.direction === direction);
    if (direction === 'out' && ofDirection.length === 0) {
      out.push('', '  # No outbound flows: Terraform removes the default allow-all egress, so this group allows no egress.');
    }
    out.push(...terraformRuleBlocks(ofDirection, '  ', true, true));
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/**
 * Inline `ingress`/`egress` blocks for rules, indented; `separate` puts a blank line before each block. `ignoreFw102`:
 * the advanced rule set's rendering and FW202's replacements (`allTrafficIgnore`), so applied they pass FW102 too.
 */
function terraformRuleBlocks(rules: RenderRule[], indent: string, separate: boolean, ignoreFw102 = false): string[] {
  const out: string[] = [];
  let lastFlow: RequiredFlow | undefined;
  for (const rule of rules) {
    if (separate) out.push('');
    const note = rule.flow !== lastFlow ? alternativeNote(rule.flow) : undefined;
    if (note) out.push(`${indent}# ${note}`);
    lastFlow = rule.flow;
    const ignore = ignoreFw102 ? allTrafficIgnore(rule.flow, rule.from === 0 && rule.to === 65535, rule.cidrs) : undefined;
    if (ignore) out.push(`${indent}# ${ignore}`);
    const [protocol, from, to] = awsPortFields(rule);
    const attributes: Array<[string, string]> = [
      ['description', terraformDescription(rule)],
      ['from_port', String(from)],
      ['to_port', String(to)],
      ['protocol', hclString(protocol)],
    ];
    attributes.push(...cidrAttributes(rule));
    out.push(`${indent}${rule.direction === 'in' ? 'ingress' : 'egress'} {`, ...hclAttributes(attributes, `${indent}  `), `${indent}}`);
  }
  return out;
}

/**
 * `aws_vpc_security_group_ingress_rule`/`_egress_rule` resources for `rules`, named `<name>_1`, `<name>_2`…: one per
 * CIDR, as the type takes one `cidr_ipv4` or `cidr_ipv6`; an unbound peer's variable is a `for_each` over its CIDRs.
 */
function vpcRuleResources(rules: RenderRule[], resource: RuleResource): string[] {
  const out: string[] = [];
  let count = 0;
  let saidIpv6 = false;
  let lastFlow: RequiredFlow | undefined;
  for (const rule of rules) {
    const note = rule.flow !== lastFlow ? alternativeNote(rule.flow) : undefined;
    if (note) out.push(`# ${note}`);
    lastFlow = rule.flow;
    const ignore = allTrafficIgnore(rule.flow, rule.from === 0 && rule.to === 65535, rule.cidrs);
    const [protocol, from, to] = awsPortFields(rule);
    const type = rule.direction === 'in' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
    const peers: Array<Array<[string, string]>> = rule.writtenPeer
      ? [[[rule.writtenPeer.kind === 'prefix-list' ? 'prefix_list_id' : 'referenced_security_group_id', rule.writtenPeer.text]]]
      : rule.cidrs
        ? rule.cidrs.map((cidr) => [[isIpv6(cidr) ? 'cidr_ipv6' : 'cidr_ipv4', hclString(cidr)]])
        : [[['for_each', `toset(var.${terraformVariable(rule.flow.peer)})`], ['cidr_ipv4', 'each.value']]];
    for (const peer of peers) {
      if (out.length > 0) out.push('');
      if (ignore) out.push(`# ${ignore}`);
      if (!rule.cidrs && !rule.writtenPeer && !saidIpv6) out.push("# A variable's IPv6 CIDRs go in cidr_ipv6, in resources of their own.");
      if (!rule.cidrs && !rule.writtenPeer) saidIpv6 = true;
      const forEach = peer.filter(([key]) => key === 'for_each');
      const attributes: Array<[string, string]> = [
        ...forEach,
        ['security_group_id', resource.securityGroupId],
        ['description', terraformDescription(rule)],
        ['ip_protocol', hclString(protocol)],
        // "-1" (all protocols) takes no ports; ICMP's from_port/to_port are its type and code (-1: any).
        ...(protocol === '-1' ? [] : ([['from_port', String(from)], ['to_port', String(to)]] as Array<[string, string]>)),
        ...peer.filter(([key]) => key !== 'for_each'),
      ];
      out.push(`resource "${type}" "${replacementNames(resource, ++count)[count - 1]}" {`, ...hclAttributes(attributes, '  '), '}');
    }
  }
  return out;
}

/**
 * `aws_security_group_rule` resources for `rules`, named `<name>_1`, `<name>_2`… (one per rule: the type takes lists of
 * both families), each of `type` ingress or egress with the replaced resource's `security_group_id` as written.
 */
function securityGroupRuleResources(rules: RenderRule[], resource: RuleResource): string[] {
  const out: string[] = [];
  const names = replacementNames(resource, rules.length);
  let lastFlow: RequiredFlow | undefined;
  rules.forEach((rule, index) => {
    if (out.length > 0) out.push('');
    const note = rule.flow !== lastFlow ? alternativeNote(rule.flow) : undefined;
    if (note) out.push(`# ${note}`);
    lastFlow = rule.flow;
    const ignore = allTrafficIgnore(rule.flow, rule.from === 0 && rule.to === 65535, rule.cidrs);
    if (ignore) out.push(`# ${ignore}`);
    const [protocol, from, to] = awsPortFields(rule);
    const attributes: Array<[string, string]> = [
      ['type', hclString(rule.direction === 'in' ? 'ingress' : 'egress')],
      ['security_group_id', resource.securityGroupId],
      ['description', terraformDescription(rule)],
      ['from_port', String(from)],
      ['to_port', String(to)],
      ['protocol', hclString(protocol)],
      ...cidrAttributes(rule, true),
    ];
    out.push(`resource "aws_security_group_rule" "${names[index]}" {`, ...hclAttributes(attributes, '  '), '}');
  });
  return out;
}

/**
 * `cidr_blocks`/`ipv6_cidr_blocks` of an inline block or (`ruleResource`) `aws_security_group_rule`; an unbound peer's
 * variable; or the replaced rule's own group or prefix list.
 */
function cidrAttributes(rule: RenderRule, ruleResource = false): Array<[string, string]> {
  const written = rule.writtenPeer;
  if (written?.kind === 'self') return [['self', 'true']];
  if (written?.kind === 'prefix-list') return [['prefix_list_ids', `[${written.text}]`]];
  if (written) return [ruleResource ? ['source_security_group_id', written.text] : ['security_groups', `[${written.text}]`]];
  if (!rule.cidrs) return [['cidr_blocks', `var.${terraformVariable(rule.flow.peer)}`]];
  const v4 = rule.cidrs.filter((cidr) => !isIpv6(cidr));
  const v6 = rule.cidrs.filter(isIpv6);
  const attributes: Array<[string, string]> = [];
  if (v4.length > 0) attributes.push(['cidr_blocks', `[${v4.map(hclString).join(', ')}]`]);
  if (v6.length > 0) attributes.push(['ipv6_cidr_blocks', `[${v6.map(hclString).join(', ')}]`]);
  return attributes;
}

/** The attributes an object of the attribute form must have all of (the provider's schema of `ingress`/`egress`). */
const SG_RULE_OBJECT_ATTRIBUTES = ['description', 'from_port', 'to_port', 'protocol', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'security_groups', 'self'] as const;

/**
 * Rules as objects of the attribute form, each with every attribute (unused ones empty), in HCL (`{ key = value }`
 * lines) or Terraform JSON (an unbound peer's variable as `"${var.x}"`).
 */
function terraformRuleObjects(rules: RenderRule[], syntax: 'hcl' | 'json'): string[] {
  return rules.map((rule) => {
    const [protocol, from, to] = awsPortFields(rule);
    const values: Record<string, string> = {
      description: terraformDescription(rule),
      from_port: String(from),
      to_port: String(to),
      protocol: hclString(protocol),
      cidr_blocks: '[]',
      ipv6_cidr_blocks: '[]',
      prefix_list_ids: '[]',
      security_groups: '[]',
      self: 'false',
    };
    for (const [key, value] of cidrAttributes(rule)) values[key] = value;
    if (syntax === 'hcl') return `{\n${hclAttributes(SG_RULE_OBJECT_ATTRIBUTES.map((key) => [key, values[key]!]), '  ').join('\n')}\n}`;
    // HCL strings and lists of them are JSON, but for the template sequences (`$${` is literal in both); a variable is
    // an interpolation.
    const json = (value: string): string => (value.startsWith('var.') ? JSON.stringify(`\${${value}}`) : value);
    return `{\n${SG_RULE_OBJECT_ATTRIBUTES.map((key) => `  ${JSON.stringify(key)}: ${json(values[key]!)}`).join(',\n')}\n}`;
  });
}

/** A Terraform rule resource that replacement resources of its type take the place of. */
export interface RuleResource {
  /** Its type: `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule` or `aws_vpc_security_group_egress_rule`. */
  type: string;
  /** Its name, which the replacement resources are named after (`web_ssh_admin_1`…). */
  name: string;
  /** Its `security_group_id` as written. */
  securityGroupId: string;
  /** Names of other resources of its type in the module, which the new ones must not take. */
  takenNames?: readonly string[];
}

/** Names for `count` resources replacing `resource`: `<name>_1`, `<name>_2`…, skipping those the module has. */
function replacementNames(resource: RuleResource, count: number): string[] {
  const taken = new Set(resource.takenNames ?? []);
  const names: string[] = [];
  for (let suffix = 1; names.length < count; suffix++) {
    if (!taken.has(`${resource.name}_${suffix}`)) names.push(`${resource.name}_${suffix}`);
  }
  return names;
}

function ruleResources(rules: RenderRule[], resource: RuleResource): string[] {
  return resource.type === 'aws_security_group_rule' ? securityGroupRuleResources(rules, resource) : vpcRuleResources(rules, resource);
}

/**
 * Terraform inline blocks that carry exactly the given flows: the replacement for an over-broad rule (FW202 fixes).
 * The first line has no indentation (it replaces the old block from its first column); the rest use `indent`.
 * With `resource`, rule resources of that resource's type instead, which take its whole range (no indentation).
 */
export function renderTerraformReplacement(flows: RequiredFlow[], opts: RenderOptions, indent: string, resource?: RuleResource): string {
  const rules = providerRules({ flows } as RoleProfile, opts);
  if (resource) return rules.length > 0 ? ruleResources(rules, resource).join('\n') : "# the vendor's advanced rule set needs no rule here";
  const lines = rules.length > 0 ? terraformRuleBlocks(rules, indent, false, true) : [`${indent}# the vendor's advanced rule set needs no rule here`];
  const text = lines.join('\n');
  return text.startsWith(indent) ? text.slice(indent.length) : text;
}

/** `key = value` lines with the equals signs aligned, as `terraform fmt` writes them. */
function hclAttributes(attributes: ReadonlyArray<[string, string]>, indent: string): string[] {
  const width = Math.max(...attributes.map(([key]) => key.length));
  return attributes.map(([key, value]) => `${indent}${key.padEnd(width)} = ${value}`);
}

/** EC2 protocol and port fields: "-1" with 0/0 for all protocols, ICMP type/code -1 (any) for ICMP. */
export function awsPortFields(rule: RenderRule): [string, number, number] {
  if (rule.protocol === 'all') return ['-1', 0, 0];
  if (rule.protocol === 'icmp') return [rule.icmpv6 ? 'icmpv6' : 'icmp', -1, -1];
  return [rule.protocol, rule.from, rule.to];
}

// ---------------------------------------------------------------------------------------------------------------
// CloudFormation (YAML): AWS::EC2::SecurityGroup with inline SecurityGroupIngress/SecurityGroupEgress

function yamlString(text: string): string {
  // A JSON string is a valid YAML double-quoted scalar.
  return JSON.stringify(text);
}

function cfnParameter(peer: string): string {
  return `${pascalName(peer)}Cidr`;
}

function renderCloudFormation(profile: RoleProfile, opts: RenderOptions): string {
  const out: string[] = headerLines(profile).map((line) => `# ${line}`);
  out.push('# Unbound peers are parameters; bind them with --peer NAME=CIDR or pass the parameters when deploying.');
  out.push('AWSTemplateFormatVersion: "2010-09-09"');
  out.push(`Description: ${yamlString(awsText(`fwlint advanced rule set for ${profile.pack}/${profile.role}`))}`);
  out.push('Parameters:');
  out.push('  VpcId:', '    Type: AWS::EC2::VPC::Id', '    Description: VPC of the security group');
  for (const peer of unboundPeers(profile, opts)) {
    out.push(
      `  ${cfnParameter(peer.name)}:`,
      '    Type: String',
      `    Description: ${yamlString(`CIDR of peer ${peer.name}: ${peer.description}`)}`,
    );
  }
  out.push('Resources:');
  out.push(`  # ${profileAnnotation(profile)}`);
  out.push(`  ${pascalName(`${profile.pack}-${profile.role}`)}SecurityGroup:`);
  out.push('    Type: AWS::EC2::SecurityGroup');
  out.push('    Properties:');
  out.push(`      GroupDescription: ${yamlString(awsText(`fwlint advanced rule set for ${profile.pack}/${profile.role}`))}`);
  out.push('      VpcId: !Ref VpcId');

  const rules = providerRules(profile, opts);
  for (const direction of ['in', 'out'] as const) {
    const ofDirection = rules.filter((rule) => rule.direction === direction);
    const property = direction === 'in' ? 'SecurityGroupIngress' : 'SecurityGroupEgress';
    if (ofDirection.length === 0) {
      if (direction === 'out') {
        // Without any egress rule CloudFormation keeps EC2's default allow-all egress; this rule, the one AWS CDK
        // emits for allowAllOutbound: false, matches no packet and so removes it.
        out.push('      # No outbound flows: a rule that matches nothing replaces the default allow-all egress.');
        out.push(`      ${property}:`);
        out.push('        - IpProtocol: icmp', '          FromPort: 252', '          ToPort: 86', '          CidrIp: 255.255.255.255/32');
        out.push('          Description: Disallow all traffic');
      }
      continue;
    }
    out.push(`      ${property}:`);
    out.push(...cfnRuleItems(ofDirection, '        ', true));
  }
  return out.join('\n') + '\n';
}

/**
 * `SecurityGroupIngress`/`SecurityGroupEgress` list items (YAML) for rules, each line starting with `indent`.
 * `ignoreFw102`: the advanced rule set's rendering (`allTrafficIgnore`, above each item).
 */
function cfnRuleItems(rules: RenderRule[], indent: string, ignoreFw102 = false): string[] {
  const out: string[] = [];
  let lastFlow: RequiredFlow | undefined;
  for (const rule of rules) {
    const note = rule.flow !== lastFlow ? alternativeNote(rule.flow) : undefined;
    if (note) out.push(`${indent}# ${note}`);
    lastFlow = rule.flow;
    const [protocol, from, to] = awsPortFields(rule);
    const side = rule.direction === 'in' ? 'Source' : 'Destination';
    const peers: string[] = rule.writtenPeer
      ? [`${side}${rule.writtenPeer.kind === 'prefix-list' ? 'PrefixListId' : 'SecurityGroupId'}: ${rule.writtenPeer.text}`]
      : rule.cidrs
        ? rule.cidrs.map((cidr) => (isIpv6(cidr) ? `CidrIpv6: ${yamlString(cidr)}` : `CidrIp: ${yamlString(cidr)}`))
        : [`CidrIp: !Ref ${cfnParameter(rule.flow.peer)}`];
    const ignore = ignoreFw102 ? allTrafficIgnore(rule.flow, rule.from === 0 && rule.to === 65535, rule.cidrs) : undefined;
    for (const peer of peers) {
      if (ignore) out.push(`${indent}# ${ignore}`);
      out.push(`${indent}- IpProtocol: ${yamlString(protocol)}`);
      if (rule.protocol !== 'all') out.push(`${indent}  FromPort: ${from}`, `${indent}  ToPort: ${to}`);
      out.push(`${indent}  ${peer}`);
      out.push(`${indent}  Description: ${yamlString(awsText(ruleDescription(rule.flow)))}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Windows: netsh advfirewall script (.cmd)

function envPlaceholder(peer: string): string {
  return `FWLINT_PEER_${peer.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Text safe inside a quoted netsh argument of a .cmd file: no quotes, and no % (cmd expands %VAR% even in quotes). */
function cmdText(text: string): string {
  return text.replace(/["%\r\n]/g, ' ').replace(/\s+/g, ' ').trim();
}

function renderNetsh(profile: RoleProfile, opts: RenderOptions): string {
  const out: string[] = ['@echo off', ...headerLines(profile).map((line) => `REM ${line}`)];
  const unbound = unboundPeers(profile, opts);
  if (unbound.length > 0) {
    out.push('REM Before running, set these variables to the peers\' addresses (comma-separated IPs, subnets or ranges):');
    for (const peer of unbound) out.push(`REM   set ${envPlaceholder(peer.name)}=...   (${cmdText(peer.description)})`);
  }
  out.push(`REM ${profileAnnotation(profile)}`);
  out.push(...netshRuleLines(profile, opts, {}, true));
  return out.join('\n') + '\n';
}

/** One Windows Firewall rule of a rendering: a flow with its bound addresses (per ICMP version), netsh's and PowerShell's alike. */
interface WindowsRule {
  flow: RequiredFlow;
  /** Bound addresses; undefined for an unbound peer (a placeholder the user sets). */
  cidrs?: string[];
  /** An ICMP flow's IPv6 addresses: ICMPv6. */
  icmpv6: boolean;
  name: string;
  /** Written above the flow's first rule: the alternatives that satisfy it instead (`alternativeNote`). */
  note?: string;
  /** Written above the rule: `allTrafficIgnore`'s comment. */
  ignore?: string;
}

/**
 * The rules of a Windows rendering: one per flow, per ICMP version where an ICMP flow's bound addresses hold both.
 * `ignoreFw102`: the advanced rule set's rendering (`allTrafficIgnore`).
 */
function windowsRules(profile: RoleProfile, opts: RenderOptions, ignoreFw102: boolean): WindowsRule[] {
  const rules: WindowsRule[] = [];
  // netsh finds rules by name: a flow written again in another shape (the alternative port a replaced rule allowed
  // too) is named for what it opens, so that no two rules share a name.
  const shapes = new Map<string, string>();
  const used = new Set<string>();
  for (const flow of profile.flows) {
    const traffic = flow.protocol === 'icmp' || flow.protocol === 'all' ? flow.protocol : `${flow.protocol}/${flow.ports.toString()}`;
    const firstShape = shapes.get(flow.id) ?? traffic;
    shapes.set(flow.id, firstShape);
    const base = `fwlint ${profile.pack}/${profile.role} ${flow.id}${traffic === firstShape ? '' : ` (alternative ${traffic})`}`;
    let stem = base;
    for (let copy = 2; used.has(stem); copy++) stem = `${base} (${copy})`;
    const note = alternativeNote(flow);
    const cidrs = boundCidrs(opts, flow);
    // An ICMP flow to IPv6 addresses is ICMPv6: one rule per ICMP version.
    const groups = cidrs ? icmpFamilies(flow, cidrs) : [{ cidrs: undefined, icmpv6: false }];
    const ignore = ignoreFw102 ? allTrafficIgnore(flow, flow.ports.isAll(), cidrs) : undefined;
    groups.forEach((group, index) => {
      const rule: WindowsRule = { flow, icmpv6: group.icmpv6, name: `${stem}${group.icmpv6 ? ' (ICMPv6)' : ''}` };
      used.add(stem);
      if (group.cidrs) rule.cidrs = group.cidrs;
      if (note && index === 0) rule.note = note;
      if (ignore) rule.ignore = ignore;
      rules.push(rule);
    });
  }
  return rules;
}

/** How a netsh command line is written in the script that runs it: a .cmd (cmd.exe) or a .ps1 (PowerShell). */
interface NetshShell {
  comment: string;
  /** Text safe inside a quoted argument. */
  text: (text: string) => string;
  /** An unbound peer's addresses, as the script holds them. */
  peer: (peer: string) => string;
  /** A scope value (a program path), quoted where it must be. */
  value: (text: string) => string;
}

const CMD_SHELL: NetshShell = {
  comment: 'REM',
  text: cmdText,
  peer: (peer) => `%${envPlaceholder(peer)}%`,
  // A % stays, as cmd expanded it in the original. Quoted, cmd passes its operators and an SDDL's parentheses on.
  value: (text) => (/[\s()&|<>^]/.test(text) ? `"${text}"` : text),
};

/** PowerShell expands `$` and backtick escapes in a double-quoted or bare argument, which cmd does not. */
const POWERSHELL_SHELL: NetshShell = {
  comment: '#',
  text: (text) => text.replace(/["`$\r\n]/g, ' ').replace(/\s+/g, ' ').trim(),
  peer: powerShellPeerVariable,
  // A `;` ends the command, parentheses and braces start expressions (an SDDL has them).
  value: (text) => (/[\s`$;(){}&|<>@']/.test(text) ? `"${text.replace(/[`$]/g, '`$&')}"` : text),
};

/**
 * One `netsh advfirewall firewall add rule` line per Windows rule (`windowsRules`), with REM notes on alternatives
 * (`#` notes and `$` variables for unbound peers in a PowerShell script, `shell`).
 * `ignoreFw102`: the advanced rule set's rendering (`allTrafficIgnore`).
 */
function netshRuleLines(profile: RoleProfile, opts: RenderOptions, scope: WindowsScope = {}, ignoreFw102 = false, shell = CMD_SHELL): string[] {
  const out: string[] = [];
  const scopeParts = windowsScopeParts(scope, shell);
  for (const { flow, cidrs, icmpv6, name, note, ignore } of windowsRules(profile, opts, ignoreFw102)) {
    if (note) out.push(`${shell.comment} ${shell.text(note)}`);
    if (ignore) out.push(`${shell.comment} ${ignore}`);
    const remoteIp = cidrs ? cidrs.join(',') : shell.peer(flow.peer);
    const parts = [
      'netsh advfirewall firewall add rule',
      `name="${shell.text(name)}"`,
      `dir=${flow.direction}`,
      'action=allow',
    ];
    if (flow.protocol === 'all') {
      parts.push('protocol=any');
    } else if (flow.protocol === 'icmp') {
      parts.push(icmpv6 ? 'protocol=icmpv6' : 'protocol=icmpv4');
    } else {
      // Inbound the vendor's port is the local (listening) port; outbound it is the remote port.
      const ports = flow.ports.toStrings().join(',');
      parts.push(`protocol=${flow.protocol.toUpperCase()}`, flow.direction === 'in' ? `localport=${ports}` : `remoteport=${ports}`);
    }
    parts.push(`remoteip=${remoteIp}`, ...scopeParts, `description="${shell.text(ruleDescription(flow))}"`);
    out.push(parts.join(' '));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Windows: PowerShell NetSecurity script (.ps1)

/** `$ScaleioNodesCidr`: the variable an unbound peer's addresses are set in, as netsh's `%FWLINT_PEER_…%`. */
function powerShellPeerVariable(peer: string): string {
  return `$${pascalName(peer)}Cidr`;
}

/**
 * A PowerShell single-quoted string: nothing in it is expanded; a quote is doubled (the typographic ones too, which
 * PowerShell also takes for quotes), and line breaks become blanks.
 */
function psString(text: string): string {
  return `'${text.replace(/[\r\n]+/g, ' ').replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
}

/** A list argument: `80, '5000-5010'` (a range quoted, or PowerShell would read it as a subtraction). */
function psList(items: readonly string[]): string {
  return items.map((item) => (/^\d+$/.test(item) ? item : psString(item))).join(', ');
}

function renderPowerShell(profile: RoleProfile, opts: RenderOptions): string {
  const out: string[] = headerLines(profile).map((line) => `# ${line}`);
  out.push(...powerShellVariableNotes(unboundPeers(profile, opts)));
  out.push(`# ${profileAnnotation(profile)}`);
  out.push(...powerShellRuleLines(profile, opts, {}, true));
  return out.join('\n') + '\n';
}

/**
 * How a replacement's reader binds its unbound peers: `scan` takes them from the target's `.fwlint.yaml` entry (it
 * has no `--peer`, which is `render`'s).
 */
export const SCAN_PEER_BINDING = 'or bind them in .fwlint.yaml (peers: of the target\'s targets: entry) and scan again';

function powerShellVariableNotes(unbound: Array<{ name: string; description: string }>, binding = 'or bind them with --peer NAME=CIDR'): string[] {
  if (unbound.length === 0) return [];
  return [
    `# Before running, set these variables to the peers' addresses (IPs, subnets or ranges), ${binding}:`,
    ...unbound.map((peer) => `#   ${powerShellPeerVariable(peer.name)} = @('...')   # ${cmdLine(peer.description)}`),
  ];
}

/** netsh `interfacetype` values (as the model keeps them) → PowerShell's `-InterfaceType` names. */
const POWERSHELL_INTERFACE_TYPES: Readonly<Record<string, string>> = { lan: 'Wired', wireless: 'Wireless', ras: 'RemoteAccess' };

/**
 * The `New-NetFirewallRule` parameters that keep a replaced rule's scope (`WindowsScope`): `-Profile`, and its
 * conditions by the model's names (`program`, `localip`, …; `sourceport`, the other end's port, is `-RemotePort`
 * inbound and `-LocalPort` outbound, for TCP/UDP only).
 */
function powerShellScopeParts(scope: WindowsScope, direction: FlowDirection, hasPorts: boolean): string[] {
  const parts: string[] = [];
  const profiles = scope.profiles ?? ALL_WINDOWS_PROFILES;
  if (!ALL_WINDOWS_PROFILES.every((name) => profiles.includes(name))) parts.push(`-Profile ${profiles.map(pascalName).join(', ')}`);
  for (const [key, value] of Object.entries(scope.conditions ?? {})) {
    const items = value.split(',');
    if (key === SOURCE_PORT_CONDITION) {
      if (hasPorts) parts.push(`${direction === 'in' ? '-RemotePort' : '-LocalPort'} ${psList(items)}`);
    } else if (key === 'interfacetype') {
      parts.push(`-InterfaceType ${items.map((item) => POWERSHELL_INTERFACE_TYPES[item.toLowerCase()] ?? pascalName(item)).join(', ')}`);
    } else if (key === 'edge') {
      parts.push(`-EdgeTraversalPolicy ${POWERSHELL_EDGE_POLICIES[value.toLowerCase()] ?? value}`);
    } else {
      const parameter = POWERSHELL_CONDITION_PARAMETERS[key];
      // Program, service and the like are one value each; a local address list is a list.
      if (parameter) parts.push(`-${parameter} ${key === 'localip' ? psList(items) : psString(value)}`);
    }
  }
  return parts;
}

/**
 * The model's Windows condition names (`Rule.conditions`) and kept settings (`Rule.writtenConditions`) →
 * `New-NetFirewallRule` parameters.
 */
const POWERSHELL_CONDITION_PARAMETERS: Readonly<Record<string, string>> = {
  program: 'Program', service: 'Service', localip: 'LocalAddress', package: 'Package', interfacealias: 'InterfaceAlias',
  localuser: 'LocalUser', owner: 'Owner', dynamictarget: 'DynamicTarget', rmtcomputergrp: 'RemoteMachine', rmtusrgrp: 'RemoteUser',
  authentication: 'Authentication', encryption: 'Encryption',
};

/** netsh `edge` values → `-EdgeTraversalPolicy`. */
const POWERSHELL_EDGE_POLICIES: Readonly<Record<string, string>> = { yes: 'Allow', no: 'Block', deferuser: 'DeferToUser', deferapp: 'DeferToApp' };

/**
 * One `New-NetFirewallRule` command per Windows rule (`windowsRules`, as the netsh lines), with `#` notes on
 * alternatives; an unbound peer is its variable (`-RemoteAddress $AdminCidr`).
 */
function powerShellRuleLines(profile: RoleProfile, opts: RenderOptions, scope: WindowsScope = {}, ignoreFw102 = false): string[] {
  const out: string[] = [];
  for (const { flow, cidrs, icmpv6, name, note, ignore } of windowsRules(profile, opts, ignoreFw102)) {
    if (note) out.push(`# ${cmdLine(note)}`);
    if (ignore) out.push(`# ${ignore}`);
    const parts = ['New-NetFirewallRule', `-DisplayName ${psString(name)}`, `-Direction ${flow.direction === 'in' ? 'Inbound' : 'Outbound'}`, '-Action Allow'];
    const hasPorts = flow.protocol === 'tcp' || flow.protocol === 'udp';
    if (flow.protocol === 'all') {
      parts.push('-Protocol Any');
    } else if (flow.protocol === 'icmp') {
      parts.push(icmpv6 ? '-Protocol ICMPv6' : '-Protocol ICMPv4');
    } else {
      // Inbound the vendor's port is the local (listening) port; outbound it is the remote port.
      parts.push(`-Protocol ${flow.protocol.toUpperCase()}`, `${flow.direction === 'in' ? '-LocalPort' : '-RemotePort'} ${psList(flow.ports.toStrings())}`);
    }
    parts.push(`-RemoteAddress ${cidrs ? psList(cidrs) : powerShellPeerVariable(flow.peer)}`, ...powerShellScopeParts(scope, flow.direction, hasPorts));
    parts.push(`-Description ${psString(ruleDescription(flow))}`);
    out.push(parts.join(' '));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Replacement fragments (FW202 `properties.replacement`)

/**
 * `terraform-azurerm`: Azure NSG rules in Terraform (`security_rule` blocks or `azurerm_network_security_rule`
 * resources); `powershell`: `New-NetFirewallRule` commands.
 */
export type ReplacementFormat = 'terraform' | 'terraform-azurerm' | 'cloudformation' | 'netsh' | 'netsh-powershell' | 'powershell';

export interface ReplacementOptions extends RenderOptions {
  /** The replaced rule's address, named in the fragment's first comment line. */
  replaces: string;
  /**
   * Terraform/CloudFormation: the replaced rule is a resource of its own (`aws_security_group_rule`,
   * `AWS::EC2::SecurityGroupIngress`, …) rather than an inline block or list item.
   */
  standalone?: boolean;
  /** CloudFormation: the template is JSON (the fragment stays YAML and says so). */
  json?: boolean;
  /**
   * CloudFormation: the replaced rule is the platform's implicit egress of a group that lists no egress rule; the
   * fragment is items to add to that group's `SecurityGroupEgress`.
   */
  implicitEgress?: boolean;
  /** Terraform: the replaced rule is one item of a `dynamic` block, which makes other rules too. */
  dynamicBlock?: boolean;
  /**
   * Terraform: the replaced rules are several items of one `dynamic` block (one finding for them): their `for_each`
   * keys, and whether they are all its items (the fragment then takes the whole block's place).
   */
  dynamicItems?: { keys: string[]; all: boolean };
  /** Azure NSG: where the replaced rule sits among the NSG's rules, and what else it says. */
  nsg?: NsgPlacement;
  /**
   * Terraform: the replaced rule is a rule resource of the root module written once (`aws_security_group_rule`, or
   * `aws_vpc_security_group_ingress_rule`/`_egress_rule`): the fragment is resources of its type with its
   * `security_group_id`, which take its whole range (for the VPC types, one per CIDR: each takes one).
   */
  ruleResource?: RuleResource;
  /**
   * Terraform: unresolved parts of the replaced rule's peer list, as written (`var.extra` of
   * `concat(var.extra, ["0.0.0.0/0"])`): the fragment cannot write them, so it says to keep them.
   */
  keptUnknownPeers?: readonly string[];
  /**
   * netsh, PowerShell: what else the replaced rule is limited to (its Windows profiles, program, service, local address,
   * interface type, IPsec security, authorized computers and users, edge traversal; see `Rule.writtenConditions`),
   * kept as written on every line so that the replacement opens nothing it did not. Not its source-port limit, which
   * keeps every flow out (a client picks its own source port): the replacement is the rule without it.
   */
  windowsScope?: WindowsScope;
  /**
   * Terraform: the replaced rule is an object of the attribute form (`ingress = [{…}]`, `hcl`) or of a `.tf.json` list
   * (`json`): the fragment is such objects, with every attribute (that form takes them all); in JSON without comments.
   */
  objectElements?: 'hcl' | 'json';
}

/** An Azure NSG rule's place and own side, kept by the rules that replace it. */
export interface NsgPlacement {
  /** The replaced rule's priority; null when it could not be resolved. */
  priority: number | null;
  /** Priorities of the NSG's other rules of the same direction (Azure: unique per direction, 100-4096). */
  taken: readonly number[];
  /** The replaced rule's own side (destination inbound, source outbound): address prefixes as written, `*` when none. */
  localPrefixes: readonly string[];
  /** Its application security groups on that side, as HCL expressions. */
  localGroups: readonly string[];
  /** Values on that side that could not be resolved, as written: rendered as a placeholder, never as `*`. */
  unresolvedLocal: readonly string[];
  /** A standalone `azurerm_network_security_rule`: its resource name and container arguments as written. */
  resource?: { name: string; container: Readonly<Record<string, string>> };
}

export interface WindowsScope {
  profiles?: readonly string[];
  conditions?: Readonly<Record<string, string>>;
  /**
   * Script commands that change the replaced rule after it is created (`Rule.changedBy`): the fragment says to remove
   * them, since they select the rule by name.
   */
  laterChanges?: ReadonlyArray<{ line: number; command: string }>;
}

/**
 * The rules that replace one over-broad rule, as a fragment of the rule's own format: Terraform `ingress`/`egress`
 * blocks, CloudFormation `SecurityGroupIngress`/`SecurityGroupEgress` list items, netsh `add rule` lines or
 * PowerShell `New-NetFirewallRule` commands. Only
 * the profile's flows (those the rule was meant to carry) are written; unlike `renderRole` nothing is said about
 * the rest of the group, so the fragment never shuts a direction it does not replace. Unbound peers stay variables,
 * parameters or placeholders, declared in comments.
 */
export function renderReplacement(role: RoleProfile, format: ReplacementFormat, opts: ReplacementOptions): string {
  const profile = withParameterValues(role);
  const replaced = opts.implicitEgress ? `the implicit egress of ${opts.replaces}` : opts.replaces;
  const title = replacementTitle(profile, replaced);
  const settings = selectionLabel(profile);
  const unbound = unboundPeers(profile, opts);
  const out: string[] = [];
  switch (format) {
    case 'terraform-azurerm':
      out.push(`# ${title}`, `# ${settings}`);
      if (opts.dynamicBlock) out.push(DYNAMIC_NOTE);
      out.push(...terraformVariableNotes(unbound));
      out.push(...azureRuleLines(profile, opts, opts.nsg!));
      break;
    case 'terraform': {
      // JSON takes no comment: the objects alone, as they are to be pasted.
      if (opts.objectElements === 'json') return `${terraformRuleObjects(providerRules(profile, opts), 'json').join(',\n')}\n`;
      out.push(`# ${title}`, `# ${settings}`);
      if (opts.dynamicItems) out.push(dynamicItemsNote(opts.dynamicItems));
      else if (opts.dynamicBlock) out.push(DYNAMIC_NOTE);
      if (opts.ruleResource?.type === 'aws_security_group_rule') {
        out.push(`# ${opts.replaces} is a rule resource: these resources of its type take its place.`);
      } else if (opts.ruleResource) {
        out.push(`# ${opts.replaces} is a rule resource: these resources take its place, one per CIDR (each takes one).`);
      } else if (opts.standalone) {
        out.push(`# ${opts.replaces} is a rule resource: write one rule resource per block below, with its security_group_id (a group keeps either inline blocks or rule resources, not both).`);
      }
      if (opts.keptUnknownPeers && opts.keptUnknownPeers.length > 0) out.push(keptUnknownPeersNote(opts.keptUnknownPeers));
      out.push(...terraformVariableNotes(unbound));
      const rules = providerRules(profile, opts);
      if (opts.objectElements) out.push(terraformRuleObjects(rules, 'hcl').join(',\n'));
      else out.push(...(opts.ruleResource ? ruleResources(rules, opts.ruleResource) : terraformRuleBlocks(rules, '', false, true)));
      break;
    }
    case 'cloudformation': {
      out.push(`# ${title}`, `# ${settings}`);
      if (opts.json) out.push('# Written in YAML; in the JSON template write each item as an object ({"Ref": "X"} for !Ref X).');
      if (opts.implicitEgress) {
        out.push(`# ${opts.replaces} lists no egress rule, so AWS allows all egress: add these items to its SecurityGroupEgress list (any egress rule removes the implicit one).`);
      } else if (opts.standalone) {
        out.push(`# ${opts.replaces} is a rule resource: write one such resource per item, with its GroupId, or add the items to the group's list.`);
      }
      if (unbound.length > 0) {
        out.push(`# Unbound peers are parameters; declare them under Parameters, ${SCAN_PEER_BINDING}:`);
        for (const peer of unbound) {
          out.push(`#   ${cfnParameter(peer.name)}: { Type: String, Description: ${yamlString(`CIDR of peer ${peer.name}: ${peer.description}`)} }`);
        }
      }
      const rules = providerRules(profile, opts);
      for (const direction of ['in', 'out'] as const) {
        const ofDirection = rules.filter((rule) => rule.direction === direction);
        if (ofDirection.length === 0) continue;
        out.push(`# ${direction === 'in' ? 'SecurityGroupIngress' : 'SecurityGroupEgress'} items:`);
        out.push(...cfnRuleItems(ofDirection, '', true));
      }
      break;
    }
    case 'netsh': {
      out.push(`REM ${cmdText(title)}`, `REM ${cmdText(settings)}`);
      if (opts.windowsScope?.laterChanges) out.push(`REM ${cmdText(laterChangesNote(opts.windowsScope.laterChanges))}`);
      if (unbound.length > 0) {
        out.push('REM Before running, set these variables to the peers\' addresses (comma-separated IPs, subnets or ranges):');
        for (const peer of unbound) out.push(`REM   set ${envPlaceholder(peer.name)}=...   (${cmdText(peer.description)})`);
      }
      out.push(...netshRuleLines(profile, opts, opts.windowsScope, true));
      break;
    }
    case 'netsh-powershell':
      // A .ps1's netsh line: PowerShell runs netsh as cmd does, but REM and %VAR% are cmd's, not PowerShell's.
      out.push(`# ${cmdLine(title)}`, `# ${cmdLine(settings)}`);
      if (opts.windowsScope?.laterChanges) out.push(`# ${cmdLine(laterChangesNote(opts.windowsScope.laterChanges))}`);
      if (unbound.length > 0) {
        out.push('# Before running, set these variables to the peers\' addresses (one string: comma-separated IPs, subnets or ranges):');
        for (const peer of unbound) out.push(`#   ${powerShellPeerVariable(peer.name)} = '...'   # ${cmdLine(peer.description)}`);
      }
      out.push(...netshRuleLines(profile, opts, opts.windowsScope, true, POWERSHELL_SHELL));
      break;
    case 'powershell':
      out.push(`# ${cmdLine(title)}`, `# ${cmdLine(settings)}`);
      if (opts.windowsScope?.laterChanges) out.push(`# ${cmdLine(laterChangesNote(opts.windowsScope.laterChanges))}`);
      out.push(...powerShellVariableNotes(unbound, SCAN_PEER_BINDING));
      out.push(...powerShellRuleLines(profile, opts, opts.windowsScope, true));
      break;
  }
  return out.join('\n') + '\n';
}

/** The first comment line of a replacement fragment: what it replaces, with which role's rules. */
export function replacementTitle(profile: RoleProfile, replaced: string): string {
  return `fwlint: replaces ${replaced} with the advanced rules of ${profile.pack}/${profile.role} (${profile.title}) for its traffic`;
}

/**
 * The commands that change the replaced Windows rule later in the script: they select it by name, so with the fragment
 * in its place they match no rule (netsh and PowerShell report an error) or change a rule given that name.
 */
function laterChangesNote(changes: ReadonlyArray<{ line: number; command: string }>): string {
  const named = changes.map((change) => `${change.command} on line ${change.line}`);
  const listed = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]!}`;
  const one = changes.length === 1;
  return `Also remove ${listed} (${one ? 'it changes' : 'they change'} the replaced rule later): with this in the rule's place ${one ? 'it matches' : 'they match'} no rule (an error), or ${one ? 'changes' : 'change'} one given that name.`;
}

const DYNAMIC_NOTE = '# The replaced rule is one item of a dynamic block: remove that item from its for_each and write these blocks beside the dynamic block.';

/** The replaced rule's peers also come from values not known statically: writing the fragment alone would drop them. */
function keptUnknownPeersNote(unknown: readonly string[]): string {
  const list = unknown.join(', ');
  return `# Its peer list also holds ${list}, not known statically: keep ${unknown.length === 1 ? 'it' : 'them'} as written, in the CIDR lists below (for example concat(${unknown[0]}, [...])).`;
}

function dynamicItemsNote({ keys, all }: { keys: string[]; all: boolean }): string {
  return all
    ? `# The replaced rules are every item of the dynamic block (${keys.join(', ')}): these blocks take the whole dynamic block's place.`
    : `# The replaced rules are items ${keys.join(', ')} of a dynamic block: remove those items from its for_each and write these blocks beside the dynamic block.`;
}

function terraformVariableNotes(unbound: Array<{ name: string; description: string }>): string[] {
  if (unbound.length === 0) return [];
  return [
    `# Unbound peers are variables; declare them in the module, ${SCAN_PEER_BINDING}:`,
    ...unbound.map((peer) => `#   variable "${terraformVariable(peer.name)}" { type = list(string) } # ${cmdLine(`CIDR blocks of peer ${peer.name}: ${peer.description}`)}`),
  ];
}

/** One Azure NSG allow rule of a replacement. */
interface AzureRule {
  flows: RequiredFlow[];
  direction: FlowDirection;
  protocol: FlowProtocol;
  ports: string[];
  /** Bound addresses (one family), or the peer's variable. */
  cidrs?: string[];
  variable?: string;
  ipv6: boolean;
}

/** Azure NSG priorities (azurerm_network_security_rule). */
const NSG_MIN_PRIORITY = 100;
const NSG_MAX_PRIORITY = 4096;

/**
 * The flows as Azure NSG allow rules: one per flow and address family (Azure keeps IPv4 and IPv6 prefixes in separate
 * rules), with all its ports. When the free priorities around the replaced rule are too few, rules of the same
 * protocol and addresses are merged (their ports united) to need fewer.
 */
function azureRules(profile: RoleProfile, opts: RenderOptions, merged: boolean): AzureRule[] {
  const rules: AzureRule[] = [];
  for (const flow of profile.flows) {
    const ports = flow.protocol === 'tcp' || flow.protocol === 'udp' ? flow.ports.toStrings() : ['*'];
    const cidrs = boundCidrs(opts, flow);
    const groups: Array<Pick<AzureRule, 'cidrs' | 'variable' | 'ipv6'>> = cidrs
      ? [cidrs.filter((cidr) => !isIpv6(cidr)), cidrs.filter(isIpv6)].filter((family) => family.length > 0).map((family) => ({ cidrs: family, ipv6: isIpv6(family[0]!) }))
      : [{ variable: `var.${terraformVariable(flow.peer)}`, ipv6: false }];
    for (const group of groups) {
      const same = merged
        ? rules.find((rule) => rule.direction === flow.direction && rule.protocol === flow.protocol && rule.variable === group.variable && rule.cidrs?.join() === group.cidrs?.join())
        : undefined;
      if (same) {
        same.flows.push(flow);
        same.ports = flow.protocol === 'tcp' || flow.protocol === 'udp' ? [...new Set([...same.ports, ...ports])] : ['*'];
        continue;
      }
      rules.push({ flows: [flow], direction: flow.direction, protocol: flow.protocol, ports, ...group });
    }
  }
  return rules;
}

/**
 * Priorities for `count` rules that keep the replaced rule's place: the replaced rule's own number, then the free
 * numbers after it up to the next rule of the direction, then those before it down to the previous one. Fewer than
 * `count` when the gap is too small.
 */
function nsgPriorities(nsg: NsgPlacement, count: number): { priorities: number[]; before?: number; after?: number } {
  const taken = new Set(nsg.taken);
  const own = nsg.priority ?? [...Array(NSG_MAX_PRIORITY - NSG_MIN_PRIORITY + 1).keys()].map((i) => i + NSG_MIN_PRIORITY).find((p) => !taken.has(p)) ?? NSG_MIN_PRIORITY;
  const before = nsg.taken.filter((p) => p < own).reduce<number | undefined>((max, p) => (max === undefined || p > max ? p : max), undefined);
  const after = nsg.taken.filter((p) => p > own).reduce<number | undefined>((min, p) => (min === undefined || p < min ? p : min), undefined);
  const priorities: number[] = [];
  for (let p = own; p < (after ?? NSG_MAX_PRIORITY + 1) && priorities.length < count; p++) if (!taken.has(p)) priorities.push(p);
  for (let p = own - 1; p > (before ?? NSG_MIN_PRIORITY - 1) && priorities.length < count; p--) priorities.push(p);
  return { priorities: priorities.sort((a, b) => a - b), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

/** Azure NSG rule names: letters, digits, `_`, `.`, `-`; at most 80 characters; unique within the NSG. */
function azureRuleName(rule: AzureRule, priority: number): string {
  const flow = rule.flows[0]!;
  const traffic = rule.protocol === 'tcp' || rule.protocol === 'udp' ? `${rule.protocol}-${rule.ports.join('_')}` : rule.protocol;
  const stem = `fwlint-${rule.direction}-${traffic}-${flow.peer}${rule.ipv6 ? '-ipv6' : ''}`.replace(/[^A-Za-z0-9_.-]/g, '-');
  const suffix = `-${priority}`;
  return `${stem.slice(0, 80 - suffix.length)}${suffix}`;
}

const AZURE_PROTOCOLS: Record<FlowProtocol, string> = { tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp', all: '*' };

/** Stands for a replaced rule's own side that fwlint could not resolve: Azure rejects it, it never means "any". */
const UNRESOLVED_PLACEHOLDER = (side: string): string => `<the replaced rule's ${side}>`;

/**
 * The replacement of an Azure NSG rule: `security_rule` blocks (inline) or `azurerm_network_security_rule` resources
 * (standalone), allow rules at priorities that keep the replaced rule's place among the NSG's rules, each keeping
 * the replaced rule's own side (its destination inbound, its source outbound).
 */
function azureRuleLines(profile: RoleProfile, opts: ReplacementOptions, nsg: NsgPlacement): string[] {
  const out: string[] = [];
  let rules = azureRules(profile, opts, false);
  let placed = nsgPriorities(nsg, rules.length);
  if (placed.priorities.length < rules.length) {
    rules = azureRules(profile, opts, true);
    placed = nsgPriorities(nsg, rules.length);
  }
  const { before, after } = placed;
  const priorities = [...placed.priorities];
  const direction = rules[0]?.direction === 'out' ? 'outbound' : 'inbound';
  const between = before !== undefined && after !== undefined ? `, between the NSG's ${direction} rules at ${before} and ${after}`
    : before !== undefined ? `, after the NSG's ${direction} rule at ${before}`
    : after !== undefined ? `, before the NSG's ${direction} rule at ${after}`
    : '';
  const range = priorities.length === 0 ? '' : priorities.length === 1 ? `${priorities[0]}` : `${priorities[0]}-${priorities[priorities.length - 1]}`;
  if (nsg.priority === null) {
    out.push(`# Priorities: the replaced rule's priority is not known; ${range} are free numbers: give these rules numbers that keep its place.`);
  } else if (rules.length === 1 && priorities[0] === nsg.priority) {
    out.push(`# Priority ${range}: the replaced rule's own, so this allow rule takes its place in the evaluation order (lower numbers first).`);
  } else if (priorities.length >= rules.length) {
    const numbers = priorities.includes(nsg.priority) ? `the replaced rule's ${nsg.priority} and free numbers next to it` : `${priorities.length === 1 ? 'a free number' : 'free numbers'} next to the replaced rule's ${nsg.priority} (its other prefixes keep that one)`;
    out.push(`# ${priorities.length === 1 ? 'Priority' : 'Priorities'} ${range}: ${numbers}${between}, so ${priorities.length === 1 ? 'this allow rule takes' : 'these allow rules take'} its place in the evaluation order (lower numbers first).`);
  } else {
    const free = priorities.length === 0 ? 'no free number' : `only ${priorities.length} free number${priorities.length === 1 ? '' : 's'}`;
    out.push(`# Priorities: ${free} next to the replaced rule's ${nsg.priority}${between}; renumber the rules after it so that all of these rules fit before ${after ?? NSG_MAX_PRIORITY}.`);
  }
  // Too few free numbers: the rest continue after the gap (they need renumbering, as the comment says).
  for (let p = (priorities[priorities.length - 1] ?? nsg.priority ?? NSG_MIN_PRIORITY - 1) + 1; priorities.length < rules.length; p++) if (!nsg.taken.includes(p)) priorities.push(p);
  if (nsg.resource) out.push(`# ${opts.replaces} is a rule resource: write these resources in its place.`);
  const ownSideName = direction === 'outbound' ? 'source' : 'destination';
  if (nsg.unresolvedLocal.length > 0) {
    // `*` there would allow every address of the side the replaced rule narrowed to something fwlint could not read.
    const written = nsg.unresolvedLocal.map((expr) => expr.replace(/\s+/g, ' ')).join(', ');
    out.push(`# The replaced rule's ${ownSideName} (${written}) is not resolved: put it in place of ${hclString(UNRESOLVED_PLACEHOLDER(ownSideName))}, which is no address.`);
  }
  rules.forEach((rule, index) => {
    const priority = priorities[index]!;
    const notes = rule.flows.map(alternativeNote).filter((note): note is string => note !== undefined);
    out.push(...[...new Set(notes)].map((note) => `# ${note}`));
    const name = azureRuleName(rule, priority);
    const peerSide = rule.direction === 'in' ? 'source' : 'destination';
    const ownSide = rule.direction === 'in' ? 'destination' : 'source';
    const attributes: Array<[string, string]> = [
      ['name', hclString(name)],
      ['priority', String(priority)],
      ['direction', hclString(rule.direction === 'in' ? 'Inbound' : 'Outbound')],
      ['access', hclString('Allow')],
      ['protocol', hclString(AZURE_PROTOCOLS[rule.protocol])],
      ['source_port_range', hclString('*')],
    ];
    const prefixes = (side: string, values: readonly string[]): Array<[string, string]> =>
      values.length === 1 ? [[`${side}_address_prefix`, hclString(values[0]!)]] : [[`${side}_address_prefixes`, `[${values.map(hclString).join(', ')}]`]];
    const peerPrefixes: Array<[string, string]> = rule.variable ? [[`${peerSide}_address_prefixes`, rule.variable]] : prefixes(peerSide, rule.cidrs!);
    const ownValues = [...nsg.localPrefixes, ...(nsg.unresolvedLocal.length > 0 ? [UNRESOLVED_PLACEHOLDER(ownSide)] : [])];
    const ownPrefixes: Array<[string, string]> = [
      ...(ownValues.length > 0 || nsg.localGroups.length === 0 ? prefixes(ownSide, ownValues.length > 0 ? ownValues : ['*']) : []),
      ...(nsg.localGroups.length > 0 ? [[`${ownSide}_application_security_group_ids`, `[${nsg.localGroups.join(', ')}]`] as [string, string]] : []),
    ];
    attributes.push(rule.ports.length === 1 ? ['destination_port_range', hclString(rule.ports[0]!)] : ['destination_port_ranges', `[${rule.ports.map(hclString).join(', ')}]`]);
    attributes.push(...(rule.direction === 'in' ? [...peerPrefixes, ...ownPrefixes] : [...ownPrefixes, ...peerPrefixes]));
    // Azure allows 140 characters of description.
    attributes.push(['description', hclString(azureText(rule.flows.map(ruleDescription).join('; ')))]);
    if (nsg.resource) {
      for (const [key, value] of Object.entries(nsg.resource.container)) attributes.push([key, value]);
      out.push(`resource "azurerm_network_security_rule" "${snakeName(`${nsg.resource.name}_${name.replace(/^fwlint-/, '')}`)}" {`, ...hclAttributes(attributes, '  '), '}');
    } else {
      out.push('security_rule {', ...hclAttributes(attributes, '  '), '}');
    }
  });
  return out;
}

function azureText(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ').trim();
  return oneLine.length <= 140 ? oneLine : `${oneLine.slice(0, 137).trimEnd()}...`;
}

const ALL_WINDOWS_PROFILES = ['domain', 'private', 'public'];

/** `profile=domain program="c:\\app\\svc.exe"`: netsh arguments for a rule's scope; none for all profiles and no conditions. */
function windowsScopeParts(scope: WindowsScope, shell: NetshShell): string[] {
  const parts: string[] = [];
  const profiles = scope.profiles ?? ALL_WINDOWS_PROFILES;
  if (!ALL_WINDOWS_PROFILES.every((name) => profiles.includes(name))) parts.push(`profile=${profiles.join(',')}`);
  for (const [key, value] of Object.entries(scope.conditions ?? {})) {
    // Quotes and line breaks cannot appear inside a netsh argument.
    parts.push(`${key}=${shell.value(value.replace(/["\r\n]/g, ''))}`);
  }
  return parts;
}

/** Text on one comment line. */
export function cmdLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

function renderJson(profile: RoleProfile, opts: RenderOptions): string {
  const view = roleJson(profile);
  const peers: Record<string, string[] | null> = {};
  for (const flow of [...profile.flows, ...profile.basic]) {
    if (!(flow.peer in peers)) peers[flow.peer] = boundCidrs(opts, flow) ?? null;
  }
  const document = {
    comment: headerLines(profile).join('; '),
    pack: view.pack,
    role: view.role,
    title: view.title,
    source: view.source,
    phase: view.phase,
    options: view.options,
    // Conditional flows of unselected options, not in `flows` (null: none left out).
    omitted: profile.omitted ? { flows: profile.omitted.flows, options: [...profile.omitted.options], note: omittedNote(profile) } : null,
    peers,
    flows: view.flows,
    basic: view.basic,
  };
  return JSON.stringify(document, null, 2) + '\n';
}
