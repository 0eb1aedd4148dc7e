import {
  SCAN_PEER_BINDING, allTrafficIgnore, alternativeNote, awsPortFields, awsText, cmdLine, isIpv6, pascalName, providerRules,
  replacementTitle, ruleDescription, selectionLabel, unboundPeers, withParameterValues,
  type RenderRule, type ReplacementOptions,
} from './render';
import type { RequiredFlow, RoleProfile } from './rule-pack';

/**
 * Where an AWS CDK, CDKTF or Pulumi rule is written, as FW202's TypeScript replacement writes rules in its place
 * (read from the rule's own source by `readWrittenPlace`). Expressions are kept as written (`sg`, `web.id`, `'ssh'`).
 */
export type TypeScriptPlace =
  /** CDK L2 `sg.addIngressRule(peer, port, description)`, or `x.connections.allowFrom/allowTo(…)` (same arguments). */
  | { shape: 'cdk-method'; receiver: string; method: 'addIngressRule' | 'addEgressRule' | 'allowFrom' | 'allowTo'; ec2: string }
  /** An item of CDK L1 `CfnSecurityGroup` `securityGroupIngress`/`securityGroupEgress` (camelCase CloudFormation). */
  | { shape: 'cfn-item' }
  /** An item of Pulumi's or CDKTF's `SecurityGroup` `ingress`/`egress` (camelCase Terraform). */
  | { shape: 'tf-item' }
  /** A rule construct of its own: `new ec2.CfnSecurityGroupIngress(scope, id, {…})`, `new aws.ec2.SecurityGroupRule(name, {…})`, … */
  | {
    shape: 'cfn-resource' | 'tf-rule-resource' | 'tf-vpc-rule-resource';
    callee: string;
    leadingArgs: readonly string[];
    name: string;
    groupProperty: string;
    group: string;
    /** Numbers the file already names constructs with (`'ssh-1'` written elsewhere): the new ones skip them. */
    takenNumbers?: readonly number[];
  };

/** The code of a replacement: header comment lines, and the rules, each its own comment lines and code. */
interface TypeScriptRules {
  notes: string[];
  rules: string[];
  /** How the rules are joined in place of the replaced one: statements, or items of its list. */
  joiner: 'statement' | 'item';
}

/**
 * FW202's replacement of a CDK/CDKTF/Pulumi rule, as TypeScript: the rules that carry only the role's flows in the
 * replaced rule's own shape (L2 method calls, L1 or Terraform-shaped list items, rule constructs of its type with its
 * group as written). Unbound peers are constants the comment lines declare.
 */
export function renderTypeScriptReplacement(role: RoleProfile, place: TypeScriptPlace, opts: ReplacementOptions): string {
  const profile = withParameterValues(role);
  const code = typeScriptRules(profile, place, opts);
  const out = [`// ${cmdLine(replacementTitle(profile, opts.replaces))}`, `// ${cmdLine(selectionLabel(profile))}`, ...code.notes.map((note) => `// ${note}`)];
  const unknown = opts.keptUnknownPeers ?? [];
  if (unknown.length > 0) out.push(`// Its peers also come from ${unknown.join(', ')}, not known statically: keep ${unknown.length === 1 ? 'it' : 'them'} as written beside the peers below.`);
  const unbound = unboundPeers(profile, opts);
  if (unbound.length > 0) {
    out.push(`// Unbound peers are constants; declare them, ${SCAN_PEER_BINDING}:`);
    for (const peer of unbound) {
      const list = listPeers(place);
      out.push(`//   const ${peerConstant(peer.name, list)}${list ? ': string[] = [...]' : " = '...'"}; // ${cmdLine(`CIDR${list ? 's' : ''} of peer ${peer.name}: ${peer.description}`)}`);
    }
  }
  out.push(code.rules.length > 0 ? joined(code, '') + (code.joiner === 'statement' ? ';' : '') : "// the vendor's advanced rule set needs no rule here");
  return out.join('\n') + '\n';
}

/**
 * The text of a SARIF edit that takes the place of the replaced call or list item (its range ends before a
 * statement's `;` or an item's `,`): the rules without header, lines after the first indented by `indent`.
 * Undefined when there is no rule to write.
 */
export function typeScriptReplacementEdit(flows: RequiredFlow[], place: TypeScriptPlace, opts: ReplacementOptions, indent: string): string | undefined {
  const code = typeScriptRules({ flows } as RoleProfile, place, opts);
  return code.rules.length > 0 ? joined(code, indent) : undefined;
}

function joined(code: TypeScriptRules, indent: string): string {
  const separator = code.joiner === 'statement' ? ';\n' : ',\n';
  return code.rules.join(separator).split('\n').map((line, index) => (index === 0 ? line : `${indent}${line}`)).join('\n');
}

function typeScriptRules(profile: RoleProfile, place: TypeScriptPlace, opts: ReplacementOptions): TypeScriptRules {
  const rules = providerRules(profile, opts);
  const out: string[] = [];
  let lastFlow: RequiredFlow | undefined;
  let number = 0;
  for (const rule of rules) {
    const comments: string[] = [];
    const note = rule.flow !== lastFlow ? alternativeNote(rule.flow) : undefined;
    if (note) comments.push(`// ${note}`);
    lastFlow = rule.flow;
    const ignore = allTrafficIgnore(rule.flow, rule.from === 0 && rule.to === 65535, rule.cidrs);
    for (const peer of peerValues(rule, place)) {
      do number++;
      while ('takenNumbers' in place && place.takenNumbers?.includes(number));
      const code = ruleCode(rule, peer, place, number);
      out.push([...comments, ...(ignore ? [`// ${ignore}`] : []), code].join('\n'));
      // The alternative's note once, above the flow's first rule.
      comments.length = 0;
    }
  }
  const notes: string[] = [];
  if (place.shape === 'cfn-resource' || place.shape === 'tf-rule-resource' || place.shape === 'tf-vpc-rule-resource') {
    notes.push(`${opts.replaces} is a rule construct: these of its type take its place${place.shape === 'tf-rule-resource' ? '' : ', one per CIDR (each takes one)'}.`);
  } else if (place.shape === 'cfn-item' || place.shape === 'tf-item') {
    notes.push(`Items of its list, in place of ${opts.replaces}.`);
  }
  return { notes, rules: out, joiner: place.shape === 'cfn-item' || place.shape === 'tf-item' ? 'item' : 'statement' };
}

/** Whether the shape takes a peer's CIDRs as one list (`cidrBlocks`), rather than one rule per CIDR. */
function listPeers(place: TypeScriptPlace): boolean {
  return place.shape === 'tf-item' || place.shape === 'tf-rule-resource';
}

/** `control-portal` → `controlPortalCidr` (one CIDR) or `controlPortalCidrs` (a list). */
function peerConstant(peer: string, list: boolean): string {
  const pascal = pascalName(peer);
  const camel = pascal.length > 0 ? pascal[0]!.toLowerCase() + pascal.slice(1) : 'peer';
  return `${/^[A-Za-z_$]/.test(camel) ? camel : `peer${pascal}`}Cidr${list ? 's' : ''}`;
}

/** One peer of a written rule: the property (or CDK peer) and its value, as code. */
interface PeerValue {
  key: string;
  value: string;
}

/** The peers a rule is written with, one rule each (a list shape takes all CIDRs of a family in one). */
function peerValues(rule: RenderRule, place: TypeScriptPlace): PeerValue[][] {
  const inbound = rule.direction === 'in';
  const written = rule.writtenPeer;
  if (written && written.kind !== 'self') {
    const group = written.kind === 'security-group';
    switch (place.shape) {
      case 'cdk-method':
        return [[{ key: 'peer', value: written.text }]];
      case 'cfn-item':
      case 'cfn-resource':
        return [[{ key: `${inbound ? 'source' : 'destination'}${group ? 'SecurityGroupId' : 'PrefixListId'}`, value: written.text }]];
      case 'tf-item':
        return [[{ key: group ? 'securityGroups' : 'prefixListIds', value: `[${written.text}]` }]];
      case 'tf-rule-resource':
        return [[group ? { key: 'sourceSecurityGroupId', value: written.text } : { key: 'prefixListIds', value: `[${written.text}]` }]];
      case 'tf-vpc-rule-resource':
        return [[{ key: group ? 'referencedSecurityGroupId' : 'prefixListId', value: written.text }]];
    }
  }
  const list = listPeers(place);
  if (!rule.cidrs) {
    const constant = peerConstant(rule.flow.peer, list);
    if (place.shape === 'cdk-method') return [[{ key: 'peer', value: `${place.ec2}Peer.ipv4(${constant})` }]];
    const key = place.shape === 'tf-vpc-rule-resource' ? 'cidrIpv4' : list ? 'cidrBlocks' : 'cidrIp';
    return [[{ key, value: constant }]];
  }
  if (list) {
    const v4 = rule.cidrs.filter((cidr) => !isIpv6(cidr));
    const v6 = rule.cidrs.filter(isIpv6);
    const values: PeerValue[] = [];
    if (v4.length > 0) values.push({ key: 'cidrBlocks', value: `[${v4.map(tsString).join(', ')}]` });
    if (v6.length > 0) values.push({ key: 'ipv6CidrBlocks', value: `[${v6.map(tsString).join(', ')}]` });
    return [values];
  }
  return rule.cidrs.map((cidr) => {
    if (place.shape === 'cdk-method') return [{ key: 'peer', value: `${place.ec2}Peer.${isIpv6(cidr) ? 'ipv6' : 'ipv4'}(${tsString(cidr)})` }];
    const key = place.shape === 'tf-vpc-rule-resource' ? (isIpv6(cidr) ? 'cidrIpv6' : 'cidrIpv4') : isIpv6(cidr) ? 'cidrIpv6' : 'cidrIp';
    return [{ key, value: tsString(cidr) }];
  });
}

function ruleCode(rule: RenderRule, peers: PeerValue[], place: TypeScriptPlace, number: number): string {
  const description = tsString(awsText(ruleDescription(rule.flow)));
  const [protocol, from, to] = awsPortFields(rule);
  const peerProperties = peers.map(({ key, value }): [string, string] => [key, value]);
  const ports: Array<[string, string]> = [['fromPort', String(from)], ['toPort', String(to)]];
  switch (place.shape) {
    case 'cdk-method':
      return `${place.receiver}.${place.method}(${peers[0]!.value}, ${cdkPort(rule, place.ec2)}, ${description})`;
    case 'cfn-item':
      return objectText([['ipProtocol', tsString(protocol)], ...(protocol === '-1' ? [] : ports), ...peerProperties, ['description', description]]);
    case 'tf-item':
      return objectText([['protocol', tsString(protocol)], ...ports, ...peerProperties, ['description', description]]);
    case 'cfn-resource':
      return constructText(place, number, [[place.groupProperty, place.group], ['ipProtocol', tsString(protocol)], ...(protocol === '-1' ? [] : ports), ...peerProperties, ['description', description]]);
    case 'tf-rule-resource':
      return constructText(place, number, [
        ['type', tsString(rule.direction === 'in' ? 'ingress' : 'egress')], [place.groupProperty, place.group], ['protocol', tsString(protocol)], ...ports, ...peerProperties, ['description', description],
      ]);
    case 'tf-vpc-rule-resource':
      // "-1" (all protocols) takes no ports; ICMP's fromPort/toPort are its type and code (-1: any).
      return constructText(place, number, [[place.groupProperty, place.group], ['ipProtocol', tsString(protocol)], ...(protocol === '-1' ? [] : ports), ...peerProperties, ['description', description]]);
  }
}

/** CDK's `Port` for a rule: `Port.tcp(22)`, `Port.tcpRange(20, 25)`, `Port.allTcp()`, `Port.allIcmp()`, `Port.allTraffic()`. */
function cdkPort(rule: RenderRule, ec2: string): string {
  if (rule.protocol === 'all') return `${ec2}Port.allTraffic()`;
  if (rule.protocol === 'icmp') return `${ec2}Port.${rule.icmpv6 ? 'allIcmpV6' : 'allIcmp'}()`;
  if (rule.from === 0 && rule.to === 65535) return `${ec2}Port.all${rule.protocol === 'tcp' ? 'Tcp' : 'Udp'}()`;
  return rule.from === rule.to ? `${ec2}Port.${rule.protocol}(${rule.from})` : `${ec2}Port.${rule.protocol}Range(${rule.from}, ${rule.to})`;
}

function objectText(properties: ReadonlyArray<[string, string]>): string {
  return `{ ${properties.map(([key, value]) => `${key}: ${value}`).join(', ')} }`;
}

/** `new aws.ec2.SecurityGroupRule('ssh-1', { … })`: the replaced construct's callee and arguments, its name numbered. */
function constructText(place: Extract<TypeScriptPlace, { callee: string }>, number: number, properties: ReadonlyArray<[string, string]>): string {
  const properties_ = properties.map(([key, value]) => `  ${key}: ${value},`).join('\n');
  return `new ${place.callee}(${[...place.leadingArgs, numberedName(place.name, number)].join(', ')}, {\n${properties_}\n})`;
}

/** A construct id or resource name as written, numbered: `'ssh'` → `'ssh-1'`; an expression → `` `${expr}-1` ``. */
function numberedName(name: string, number: number): string {
  const quoted = /^(['"])((?:(?!\1)[^\\\n]|\\.)*)\1$/.exec(name);
  if (quoted) return `${quoted[1]}${quoted[2]}-${number}${quoted[1]}`;
  return `\`\${${name}}-${number}\``;
}

/** A single-quoted TypeScript string. */
function tsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
}
