import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentKeyOf, describePeer, protocolName, ruleContentKey, type ParseResult, type Rule, type Target } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';

const repoRoot = join(__dirname, '../../..');

function parseFixture(relative: string, params: Record<string, string> = {}): ParseResult {
  const path = `fixtures/cloudformation/${relative}`;
  const absolutePath = join(repoRoot, path);
  const text = readFileSync(absolutePath, 'utf8');
  return cloudFormationParser.parse([{ path, absolutePath, text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params });
}

/** What a reviewer reads in a finding: direction, protocol, ports and peer as text. */
function brief(rule: Rule): string {
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  return `${rule.direction} ${rule.action} ${protocolName(rule.protocol)} ${rule.ports.toString()}${icmp} ${describePeer(rule.peer)}`;
}

function target(result: ParseResult, id: string): Target {
  const found = result.targets.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no target ${id} in ${result.targets.map((t) => t.id).join(', ')}`);
  return found;
}

function rule(result: ParseResult, targetId: string, ruleId: string): Rule {
  const found = target(result, targetId).rules.find((candidate) => candidate.id === ruleId);
  if (!found) throw new Error(`no rule ${ruleId} in ${target(result, targetId).rules.map((r) => r.id).join(', ')}`);
  return found;
}

describe('CloudFormation security groups', () => {
  it('reads SSH open to the world with the item and CidrIp ranges', () => {
    const result = parseFixture('cases/bad-ssh-world.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets).toHaveLength(1);
    const bastion = target(result, 'BastionSG');
    expect(bastion).toMatchObject({
      kind: 'cloudformation',
      platform: 'aws-sg',
      resourceType: 'AWS::EC2::SecurityGroup',
      location: { file: 'fixtures/cloudformation/cases/bad-ssh-world.yaml', range: { startLine: 4, startColumn: 3, endLine: 4, endColumn: 12 } },
    });
    expect(bastion.rules.map(brief)).toEqual(['in allow tcp 22 0.0.0.0/0', 'out allow tcp 443 10.0.0.0/8']);
    const ssh = rule(result, 'BastionSG', 'BastionSG.SecurityGroupIngress[0]');
    expect(ssh.location.range).toEqual({ startLine: 10, startColumn: 11, endLine: 14, endColumn: 41 });
    expect(ssh.peerLocation?.range).toEqual({ startLine: 13, startColumn: 19, endLine: 13, endColumn: 28 });
    expect(ssh).toMatchObject({
      resourceAddress: 'BastionSG.SecurityGroupIngress[0]',
      priority: null,
      enabled: true,
      description: 'ssh from anywhere',
      unknowns: [],
    });
    expect(contentKeyOf(ssh)).toBe(ruleContentKey(ssh));
    expect(ssh.synthetic).toBeUndefined();
  });

  it('locates the same rules in the JSON spelling', () => {
    const result = parseFixture('cases/bad-ssh-world.json');
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'BastionSG').location.range.startLine).toBe(5);
    const ssh = rule(result, 'BastionSG', 'BastionSG.SecurityGroupIngress[0]');
    expect(ssh.location.range).toMatchObject({ startLine: 11, endLine: 17 });
    expect(ssh.peerLocation?.range).toEqual({ startLine: 15, startColumn: 23, endLine: 15, endColumn: 34 });
  });

  it.each(['bad-ssh-world', 'bad-all-traffic-egress', 'bad-all-tcp-ports', 'good-restricted-sg', 'bad-implicit-egress'])(
    '%s reads the same in YAML and JSON',
    (name) => {
      const content = (result: ParseResult) => result.targets.map((t) => ({
        id: t.id,
        rules: t.rules.map((r) => ({ id: r.id, contentKey: contentKeyOf(r), description: r.description, synthetic: r.synthetic })),
      }));
      const yaml = parseFixture(`cases/${name}.yaml`);
      const json = parseFixture(`cases/${name}.json`);
      expect(yaml.diagnostics).toEqual([]);
      expect(json.diagnostics).toEqual([]);
      expect(content(json)).toEqual(content(yaml));
      expect(content(yaml)[0]!.rules.length).toBeGreaterThan(0);
    },
  );

  it('reads "-1" (string or number) as every protocol on every port, per family', () => {
    const result = parseFixture('cases/bad-all-traffic-egress.yaml');
    expect(target(result, 'AppSG').rules.map(brief)).toEqual([
      'in allow tcp 8080 10.1.0.0/16',
      'out allow all 0-65535 0.0.0.0/0',
      'out allow all 0-65535 ::/0',
    ]);
    expect(rule(result, 'AppSG', 'AppSG.SecurityGroupEgress[1]').peerLocation?.range).toEqual({ startLine: 17, startColumn: 21, endLine: 17, endColumn: 25 });
  });

  it('reads a 0-65535 TCP range from a public network', () => {
    const result = parseFixture('cases/bad-all-tcp-ports.yaml');
    const wide = rule(result, 'PartnerSG', 'PartnerSG.SecurityGroupIngress[0]');
    expect(brief(wide)).toBe('in allow tcp 0-65535 203.0.113.0/24');
    expect(wide.ports.isAll()).toBe(true);
  });

  it('names referenced groups by logical id and adds no default egress where egress is listed', () => {
    const result = parseFixture('cases/good-restricted-sg.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => t.id)).toEqual(['InternalSG', 'LoadBalancerSG', 'DatabaseSG']);
    expect(target(result, 'InternalSG').rules.map(brief)).toEqual([
      'in allow tcp 443 10.0.0.0/16',
      'in allow tcp 443 security group LoadBalancerSG',
      'out allow tcp 5432 security group DatabaseSG',
    ]);
    expect(target(result, 'InternalSG').rules[1]!.peer).toEqual({ kind: 'sg-ref', id: 'LoadBalancerSG' });
    expect(result.targets.flatMap((t) => t.rules).some((r) => r.synthetic)).toBe(false);
  });

  it('adds the implicit allow-all egress (IPv4 and IPv6, one rule) on the Type line of a group without egress', () => {
    const result = parseFixture('cases/bad-implicit-egress.yaml');
    const worker = target(result, 'WorkerSG');
    const synthetic = worker.rules.filter((r) => r.synthetic);
    expect(synthetic.map(brief)).toEqual(['out allow all 0-65535 0.0.0.0/0, ::/0']);
    expect(synthetic.map((r) => r.id)).toEqual(['WorkerSG.SecurityGroupEgress[default]']);
    for (const r of synthetic) {
      expect(r.location.range).toEqual({ startLine: 5, startColumn: 5, endLine: 5, endColumn: 34 });
      expect(r.synthetic).toBe(true);
      expect(r.resourceAddress).toBe('WorkerSG');
    }
    // An explicitly empty list is "no egress rules" too.
    expect(target(parseFixture('cases/noncanonical.yaml'), 'LegacySG').rules.filter((r) => r.synthetic)).toHaveLength(1);
  });

  it('joins standalone rules to their group through Ref and GetAtt, with self and prefix-list peers', () => {
    const result = parseFixture('cases/standalone-and-nacl.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => `${t.id} ${t.platform} ${t.resourceType}`)).toEqual([
      'WebSG aws-sg AWS::EC2::SecurityGroup',
      'DbSG aws-sg AWS::EC2::SecurityGroup',
      'PublicAcl aws-nacl AWS::EC2::NetworkAcl',
      'ImportValue:shared-sg-id aws-sg AWS::EC2::SecurityGroup',
    ]);
    expect(target(result, 'DbSG').rules.map((r) => `${r.id}: ${brief(r)}`)).toEqual([
      'DbSG.SecurityGroupEgress[0]: out allow all 0-65535 10.0.0.0/16',
      'DbFromWeb: in allow tcp 5432 security group WebSG',
      'DbFromItself: in allow tcp 5432 the group itself',
    ]);
    expect(target(result, 'WebSG').rules.map((r) => `${r.id}: ${brief(r)}`)).toEqual([
      'WebSG.SecurityGroupEgress[0]: out allow tcp 5432 security group DbSG',
      'WebToPrefixList: out allow tcp 443 prefix list pl-0123abcd',
    ]);
    const joined = rule(result, 'DbSG', 'DbFromWeb');
    expect(joined.resourceAddress).toBe('DbFromWeb');
    expect(joined.location.range).toMatchObject({ startLine: 20, endLine: 27 });
    expect(joined.peerLocation?.range).toEqual({ startLine: 27, startColumn: 30, endLine: 27, endColumn: 40 });
  });

  it('reads Ref and GetAtt PrefixListId of a prefix list in the template as the CIDRs of its entries', () => {
    const result = parseFixture('cases/prefix-list-ref.yaml');
    expect(target(result, 'AdminSG').rules.map((r) => `${r.id}: ${brief(r)} ${r.peer.kind === 'addresses' ? r.peer.addresses.toString() : '-'}`)).toEqual([
      'AdminSG.SecurityGroupIngress[0]: in allow tcp 22 prefix list OfficeList 203.0.113.0/24',
      'AdminSG.SecurityGroupIngress[1]: in allow tcp 3389 prefix list OfficeList 203.0.113.0/24',
      'AdminSG.SecurityGroupEgress[0]: out allow tcp 443 prefix list OfficeList 203.0.113.0/24',
    ]);
    // A reference to any other resource is no prefix list: the rule is dropped with a located error.
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`)).toEqual([
      'error parse/cfn-bad-peer 23:85 AdminSG.SecurityGroupEgress[1]: DestinationPrefixListId must be a prefix list id or reference, not !Ref Vpc, which is an AWS::EC2::VPC',
    ]);
  });

  it('gives a standalone rule whose group is imported the target of the import, located and noted where it is named', () => {
    const result = parseFixture('cases/standalone-and-nacl.yaml');
    const shared = target(result, 'ImportValue:shared-sg-id');
    expect(shared.location.range).toEqual({ startLine: 47, startColumn: 16, endLine: 47, endColumn: 41 });
    expect(shared.rules.map((r) => `${r.id}: ${brief(r)}`)).toEqual(['SharedIngress: in allow udp 53 2001:db8::/32']);
    expect(shared.unknowns).toEqual([{ field: 'SharedIngress.GroupId', expr: '!ImportValue shared-sg-id', location: shared.location }]);
  });

  it('reads network ACL entries with rule numbers, actions, direction and ICMP', () => {
    const result = parseFixture('cases/standalone-and-nacl.yaml');
    const acl = target(result, 'PublicAcl');
    expect(acl.rules.map((r) => `${r.id} #${r.priority}: ${brief(r)}`)).toEqual([
      'DenySsh #90: in deny tcp 22 0.0.0.0/0',
      'AllowHttps #100: in allow tcp 443 0.0.0.0/0',
      'AllowEphemeralOut #100: out allow tcp 1024-65535 0.0.0.0/0',
      'AllowPingV6 #110: in allow icmpv6 0-65535 icmp 128/any ::/0',
    ]);
    expect(acl.rules.every((r) => r.platform === 'aws-nacl' && r.kind === 'cloudformation')).toBe(true);
    expect(rule(result, 'PublicAcl', 'DenySsh').peerLocation?.range).toEqual({ startLine: 63, startColumn: 18, endLine: 63, endColumn: 27 });
  });

  it('reads a SAM template: the group a function uses is a plain security group', () => {
    const result = parseFixture('cases/sam-function.yaml');
    expect(result.diagnostics).toEqual([]);
    // The database's group exists outside the template: it is named by its id.
    expect(result.targets.map((t) => t.id)).toEqual(['FunctionSG', 'sg-0fedcba9876543210']);
    expect(target(result, 'FunctionSG').rules.map(brief)).toEqual(['out allow tcp 443 0.0.0.0/0']);
    expect(target(result, 'sg-0fedcba9876543210').rules.map(brief)).toEqual(['in allow tcp 5432 security group FunctionSG']);
  });

  it('accepts hand-written spellings with warnings, masks host bits as EC2 does, and drops invalid rules with located errors', () => {
    const result = parseFixture('cases/noncanonical.yaml');
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}`)).toEqual([
      'warning parse/cfn-noncanonical 9',
      'warning parse/cfn-noncanonical 13',
      'error parse/cfn-bad-port 16',
      'error parse/cfn-bad-port 17',
      'error parse/cfn-bad-port 20',
      'warning parse/cfn-cidr-host-bits 26',
      'warning parse/cfn-rule-without-peer 35',
      'error parse/cfn-bad-protocol 38',
    ]);
    expect(result.diagnostics[4]!.message).toContain('443-80 is reversed');
    expect(result.diagnostics[5]!.message).toContain('"10.0.0.1/8" has host bits set; EC2 uses the network address 10.0.0.0/8');
    expect(target(result, 'LegacySG').rules.filter((r) => !r.synthetic).map((r) => `${r.id}: ${brief(r)}`)).toEqual([
      'LegacySG.SecurityGroupIngress[0]: in allow tcp 22 192.0.2.0/24',
      'LegacySG.SecurityGroupIngress[1]: in allow all 0-65535 198.51.100.0/24',
      // 10.0.0.1/8: EC2 masks the host bits and creates the rule.
      'LegacySG.SecurityGroupIngress[4]: in allow tcp 443 10.0.0.0/8',
      'LegacySG.SecurityGroupIngress[5]: in allow icmp 0-65535 icmp 8/any 192.0.2.0/24',
      'LegacySG.SecurityGroupIngress[6]: in allow esp 0-65535 192.0.2.0/24',
    ]);
  });

  it('reads the fwlint:profile tag into the target profile, located at its value', () => {
    const result = parseFixture('cases/annotations.yaml');
    expect(target(result, 'TaggedSG').profile).toEqual({
      ref: 'netapp-cloud-manager/cvo',
      phase: 'install',
      options: ['ha', 'azure'],
      location: { file: 'fixtures/cloudformation/cases/annotations.yaml', range: { startLine: 30, startColumn: 18, endLine: 30, endColumn: 73 } },
    });
    expect(target(result, 'CommentedSG').profile).toBeUndefined();
  });

  it('turns fwlint comments into annotations, but not # inside strings or block scalars', () => {
    const result = parseFixture('cases/annotations.yaml');
    expect(result.annotations.map((a) => [a.directive, a.argument, a.range.startLine, a.range.startColumn])).toEqual([
      ['profile', 'lumen-cloud/linux phase=operate', 4, 3],
      ['ignore', 'FW101 reason="public web" expires=2027-06-30', 10, 9],
      ['ignore', 'FW104 reason="inline"', 19, 30],
    ]);
    expect(result.annotations.every((a) => a.file === 'fixtures/cloudformation/cases/annotations.yaml')).toBe(true);
  });

  it('gives every rule an id unique within its target and its content key from ruleContentKey', () => {
    for (const fixture of ['cases/standalone-and-nacl.yaml', 'cases/noncanonical.yaml', 'resolution/parameters.yaml', 'resolution/nested-if.yaml']) {
      for (const t of parseFixture(fixture).targets) {
        const ids = t.rules.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const r of t.rules) expect(contentKeyOf(r)).toBe(ruleContentKey(r));
      }
    }
  });

  it('parses several files in one call, each on its own', () => {
    const files = ['cases/bad-ssh-world.yaml', 'cases/bad-implicit-egress.json'].map((relative) => {
      const path = `fixtures/cloudformation/${relative}`;
      return { path, absolutePath: join(repoRoot, path), text: readFileSync(join(repoRoot, path), 'utf8'), encoding: 'utf-8' as const };
    });
    const result = cloudFormationParser.parse(files, { vars: {}, varFiles: [], params: {} });
    expect(result.targets.map((t) => `${t.location.file}#${t.id}`)).toEqual([
      'fixtures/cloudformation/cases/bad-ssh-world.yaml#BastionSG',
      'fixtures/cloudformation/cases/bad-implicit-egress.json#WorkerSG',
    ]);
  });
});

// Regression (QA s12): a rule whose IpProtocol (or a NACL entry's Protocol) was an unresolved parameter was kept as a
// placeholder with an unknown peer and no ports, so FW101 never saw it open to the world; and an unresolved ICMP type
// was read as every type (FW101 "icmp (all types)"), an unknown taken as open. Now the rule keeps its peer and ports
// with its protocol unknown (FW101 judges it on every protocol it could be), and an unresolved ICMP type keeps the
// rule with no ports (it admits nothing; FW303's note only).
describe('CloudFormation rules whose protocol or ICMP type is unresolved', () => {
  const result = parseFixture('../checks/FW101/cloudformation/bad-protocol-parameter-from-world.yaml');

  it('keeps the rule, its peer and its ports, with the protocol unknown and the unknowns on the rule', () => {
    expect(result.diagnostics).toEqual([]);
    const text = (each: Rule): string => `${each.id} ${brief(each)} | ${each.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}`).join(' ')}`;
    expect(target(result, 'AppSG').rules.filter((each) => each.direction === 'in').map(text)).toEqual([
      'AppSG.SecurityGroupIngress[0] in allow <unresolved protocol: !Ref Protocol> 22 0.0.0.0/0 | IpProtocol=!Ref Protocol',
      'AppSG.SecurityGroupIngress[1] in allow <unresolved protocol: !Ref Protocol> 443 10.0.0.0/8 | IpProtocol=!Ref Protocol',
      'AppSG.SecurityGroupIngress[2] in allow icmp  0.0.0.0/0 | FromPort=!Ref EchoType',
      'AdminIngress in allow <unresolved protocol: !Ref Protocol> 3389 ::/0 | IpProtocol=!Ref Protocol',
    ]);
    expect(target(result, 'PublicAcl').rules.map(text)).toEqual(['DnsEntry in allow <unresolved protocol: !Ref ProtocolNumber> 53 0.0.0.0/0 | Protocol=!Ref ProtocolNumber']);
  });

  it('reads the ports of an unresolved protocol leniently: -1 or a type/code pair is every port, no error', () => {
    const template = 'Parameters:\n  P: { Type: String }\nResources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n' +
      '      SecurityGroupIngress:\n        - { IpProtocol: !Ref P, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0 }\n        - { IpProtocol: !Ref P, FromPort: 8, ToPort: 0, CidrIp: 0.0.0.0/0 }\n';
    const parsed = cloudFormationParser.parse([{ path: 't.yaml', absolutePath: '/t.yaml', text: template, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
    expect(parsed.diagnostics).toEqual([]);
    expect(target(parsed, 'G').rules.filter((each) => each.direction === 'in').map(brief)).toEqual([
      'in allow <unresolved protocol: !Ref P> 0-65535 0.0.0.0/0',
      'in allow <unresolved protocol: !Ref P> 0-65535 0.0.0.0/0',
    ]);
  });
});
