import { join } from 'node:path';
import { describePeer, protocolName, type ParseResult, type Target } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';

const repoRoot = join(__dirname, '../../..');

function parseText(text: string, params: Record<string, string> = {}): ParseResult {
  const path = 'group-references.yaml';
  return cloudFormationParser.parse([{ path, absolutePath: join(repoRoot, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params });
}

function target(result: ParseResult, id: string): Target {
  const found = result.targets.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no target ${id} in ${result.targets.map((t) => t.id).join(', ')}`);
  return found;
}

/** `id: direction protocol ports peer` for every rule of a target but AWS's default egress. */
function listing(result: ParseResult, id: string): string[] {
  return target(result, id).rules.filter((r) => !r.synthetic).map((r) => `${r.id}: ${r.direction} ${protocolName(r.protocol)} ${r.ports.toString()} ${describePeer(r.peer)}`);
}

/** `field expr @line:column` of a target's own unknowns (what FW303 reports for it). */
function targetUnknowns(result: ParseResult, id: string): string[] {
  return (target(result, id).unknowns ?? []).map((u) => `${u.field} ${u.expr} @${u.location.range.startLine}:${u.location.range.startColumn}`);
}

/** A standalone ingress resource on tcp/22 (template line numbers: the resource takes 4 lines, GroupId is its 3rd). */
function ingress(logicalId: string, groupId: string, peer = 'CidrIp: 10.0.0.0/8'): string {
  return `  ${logicalId}:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      { GroupId: ${groupId}, IpProtocol: tcp, FromPort: 22, ToPort: 22, ${peer} }\n`;
}

const GROUPS = [
  '  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: t\n      SecurityGroupEgress: []\n',
  '  Other:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: t\n      SecurityGroupEgress: []\n',
].join('');

describe('CloudFormation: the group a standalone rule names through Fn::Sub', () => {
  it('joins a Sub whose whole text is one ${Group} or ${Group.GroupId}, in every form, for GroupId and peers alike', () => {
    const result = parseText(`Resources:\n${GROUPS}${[
      ingress('SubGroupId', '!Sub "${Sg.GroupId}"'),
      ingress('SubRef', '!Sub "${Sg}"'),
      ingress('LongSub', '{ "Fn::Sub": "${Sg}" }'),
      ingress('ListSubNoVariables', '!Sub ["${Sg.GroupId}", {}]'),
      ingress('ListSubVariable', '!Sub ["${Group}", { Group: !Ref Sg }]'),
      ingress('FromOther', '!Ref Sg', 'SourceSecurityGroupId: !Sub "${Other}"'),
      ingress('FromItself', '!Ref Sg', 'SourceSecurityGroupId: !Sub "${Sg.GroupId}"'),
    ].join('')}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => t.id)).toEqual(['Sg', 'Other']);
    expect(listing(result, 'Sg')).toEqual([
      'SubGroupId: in tcp 22 10.0.0.0/8',
      'SubRef: in tcp 22 10.0.0.0/8',
      'LongSub: in tcp 22 10.0.0.0/8',
      'ListSubNoVariables: in tcp 22 10.0.0.0/8',
      'ListSubVariable: in tcp 22 10.0.0.0/8',
      'FromOther: in tcp 22 security group Other',
      'FromItself: in tcp 22 the group itself',
    ]);
    expect(target(result, 'Sg').unknowns).toBeUndefined();
  });

  it('reads a group\'s Id attribute (its primary identifier, what Ref returns) as GroupId', () => {
    const result = parseText(`Resources:\n${GROUPS}${[
      ingress('GetAttId', '!GetAtt Sg.Id'),
      ingress('LongGetAttId', '{ "Fn::GetAtt": [Sg, Id] }'),
      ingress('SubId', '!Sub "${Sg.Id}"'),
      ingress('FromOtherId', '!Ref Sg', 'SourceSecurityGroupId: !GetAtt Other.Id'),
      ingress('FromItselfId', '!GetAtt Sg.Id', 'SourceSecurityGroupId: !GetAtt Sg.Id'),
    ].join('')}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => t.id)).toEqual(['Sg', 'Other']);
    expect(listing(result, 'Sg')).toEqual([
      'GetAttId: in tcp 22 10.0.0.0/8',
      'LongGetAttId: in tcp 22 10.0.0.0/8',
      'SubId: in tcp 22 10.0.0.0/8',
      'FromOtherId: in tcp 22 security group Other',
      'FromItselfId: in tcp 22 the group itself',
    ]);
    expect(target(result, 'Sg').unknowns).toBeUndefined();
  });

  it('keeps any other Sub as it was: text around the reference, another attribute, an escaped name', () => {
    const result = parseText(`Resources:\n${GROUPS}${[
      ingress('WithSuffix', '!Sub "${Sg}-x"'),
      ingress('VpcAttribute', '!Sub "${Sg.VpcId}"'),
      ingress('Escaped', '!Sub "${!Sg}"'),
      ingress('PeerWithSuffix', '!Ref Sg', 'SourceSecurityGroupId: !Sub "${Other}-x"'),
    ].join('')}`);
    expect(result.targets.map((t) => t.id)).toEqual(['Sg', 'Other', 'WithSuffix', 'VpcAttribute', 'Escaped']);
    expect(targetUnknowns(result, 'WithSuffix')).toEqual(['WithSuffix.GroupId !Sub ${Sg}-x @15:18']);
    expect(targetUnknowns(result, 'VpcAttribute')).toEqual(['VpcAttribute.GroupId !Sub ${Sg.VpcId} @19:18']);
    // `${!Sg}` is the literal text `${Sg}`: known, though no group id.
    expect(targetUnknowns(result, 'Escaped')).toEqual([]);
    expect(listing(result, 'Sg')).toEqual(['PeerWithSuffix: in tcp 22 unresolved !Sub ${Other}-x']);
  });
});

describe('CloudFormation: a standalone rule whose group is not in the template', () => {
  const template = [
    'Parameters:\n',
    '  Network: { Type: String, Default: network }\n',
    '  AppSgId: { Type: AWS::EC2::SecurityGroup::Id, Default: sg-0123456789abcdef0 }\n',
    '  DbSgId: { Type: AWS::EC2::SecurityGroup::Id }\n',
    'Resources:\n',
    '  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.0.0.0/16 }\n',
    ingress('ImportedLow', '!ImportValue network-AppSecurityGroupId', 'CidrIp: 0.0.0.0/1'),
    ingress('ImportedHigh', '{ "Fn::ImportValue": !Sub "${Network}-AppSecurityGroupId" }', 'CidrIp: 128.0.0.0/1'),
    ingress('Literal', 'sg-0123456789abcdef0'),
    ingress('FromParameter', '!Ref AppSgId', 'CidrIp: 192.168.0.0/16'),
    ingress('UnsetLow', '!Ref DbSgId', 'CidrIp: 0.0.0.0/1'),
    ingress('UnsetHigh', '!Ref DbSgId', 'CidrIp: 128.0.0.0/1'),
    ingress('VpcDefault', '!GetAtt Vpc.DefaultSecurityGroup'),
    ingress('NotAnId', 'web'),
    '  AclEntryIn:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      { NetworkAclId: !ImportValue shared-acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 10.0.0.0/8, PortRange: { From: 22, To: 22 } }\n',
    '  AclEntryOut:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      { NetworkAclId: !ImportValue shared-acl, RuleNumber: 100, Egress: true, Protocol: 6, RuleAction: allow, CidrBlock: 10.0.0.0/8, PortRange: { From: 22, To: 22 } }\n',
    '  LiteralAclEntry:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      { NetworkAclId: acl-0123abcd, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 10.0.0.0/8, PortRange: { From: 22, To: 22 } }\n',
  ].join('');

  it('puts the rules naming one imported, literal or parameter group on one target, and notes what cannot be known', () => {
    const result = parseText(template);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => `${t.id} ${t.platform} ${t.resourceType} @${t.location.range.startLine}:${t.location.range.startColumn}`)).toEqual([
      'ImportValue:network-AppSecurityGroupId aws-sg AWS::EC2::SecurityGroup @12:18',
      'sg-0123456789abcdef0 aws-sg AWS::EC2::SecurityGroup @20:18',
      'Parameter:DbSgId aws-sg AWS::EC2::SecurityGroup @28:18',
      'VpcDefault aws-sg AWS::EC2::SecurityGroupIngress @33:3',
      'NotAnId aws-sg AWS::EC2::SecurityGroupIngress @37:3',
      'ImportValue:shared-acl aws-nacl AWS::EC2::NetworkAcl @44:23',
      'acl-0123abcd aws-nacl AWS::EC2::NetworkAcl @52:23',
    ]);
    // The export's name is built with a parameter: the same export, the same group.
    expect(listing(result, 'ImportValue:network-AppSecurityGroupId')).toEqual(['ImportedLow: in tcp 22 0.0.0.0/1', 'ImportedHigh: in tcp 22 128.0.0.0/1']);
    // A parameter with a value is that group id, written literally or not.
    expect(listing(result, 'sg-0123456789abcdef0')).toEqual(['Literal: in tcp 22 10.0.0.0/8', 'FromParameter: in tcp 22 192.168.0.0/16']);
    expect(listing(result, 'Parameter:DbSgId')).toEqual(['UnsetLow: in tcp 22 0.0.0.0/1', 'UnsetHigh: in tcp 22 128.0.0.0/1']);
    expect(target(result, 'ImportValue:shared-acl').rules.map((r) => `${r.id} ${r.direction}`)).toEqual(['AclEntryIn in', 'AclEntryOut out']);
    // One note per resource naming a group that cannot be known, where it names it; none for known ids.
    expect(targetUnknowns(result, 'ImportValue:network-AppSecurityGroupId')).toEqual([
      'ImportedLow.GroupId !ImportValue network-AppSecurityGroupId @12:18',
      'ImportedHigh.GroupId !ImportValue !Sub ${Network}-AppSecurityGroupId @16:18',
    ]);
    expect(targetUnknowns(result, 'Parameter:DbSgId')).toEqual(['UnsetLow.GroupId !Ref DbSgId @28:18', 'UnsetHigh.GroupId !Ref DbSgId @32:18']);
    expect(targetUnknowns(result, 'VpcDefault')).toEqual(['VpcDefault.GroupId !GetAtt Vpc.DefaultSecurityGroup @36:18']);
    expect(targetUnknowns(result, 'ImportValue:shared-acl')).toEqual([
      'AclEntryIn.NetworkAclId !ImportValue shared-acl @44:23',
      'AclEntryOut.NetworkAclId !ImportValue shared-acl @48:23',
    ]);
    for (const id of ['sg-0123456789abcdef0', 'NotAnId', 'acl-0123abcd']) expect(target(result, id).unknowns).toBeUndefined();
  });

  it('takes !Sub "${Param}" as !Ref Param for a group parameter without a value', () => {
    const result = parseText([
      'Parameters:\n',
      '  DbSgId: { Type: AWS::EC2::SecurityGroup::Id }\n',
      'Resources:\n',
      ingress('ByRef', '!Ref DbSgId', 'CidrIp: 0.0.0.0/1'),
      ingress('BySub', '!Sub "${DbSgId}"', 'CidrIp: 128.0.0.0/1'),
      ingress('ByListSub', '{ "Fn::Sub": ["${DbSgId}", {}] }', 'CidrIp: 10.0.0.0/8'),
      // A variables map that names it is something else: here a literal id.
      ingress('ByMappedSub', '{ "Fn::Sub": ["${DbSgId}", { DbSgId: sg-0123456789abcdef0 }] }', 'CidrIp: 10.1.0.0/16'),
    ].join(''));
    expect(result.diagnostics).toEqual([]);
    expect(listing(result, 'Parameter:DbSgId').map((line) => line.split(':')[0])).toEqual(['ByRef', 'BySub', 'ByListSub']);
    expect(listing(result, 'sg-0123456789abcdef0').map((line) => line.split(':')[0])).toEqual(['ByMappedSub']);
  });

  it('gives a parameter given with --param the group id it names', () => {
    const result = parseText(template, { DbSgId: 'sg-0123456789abcdef0' });
    expect(listing(result, 'sg-0123456789abcdef0').map((line) => line.split(':')[0])).toEqual(['Literal', 'FromParameter', 'UnsetLow', 'UnsetHigh']);
    expect(result.targets.some((t) => t.id === 'Parameter:DbSgId')).toBe(false);
  });
});

// Regression (qa-h2): `SourceSecurityGroupId: !ImportValue X` stayed an unresolved peer (FW303), while
// `GroupId: !ImportValue X` already named the imported group.
describe('CloudFormation: a peer group imported from another stack', () => {
  const template = [
    'Parameters:\n',
    '  Network: { Type: String, Default: network }\n',
    '  Region: { Type: String }\n',
    'Resources:\n',
    '  Db:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n',
    '      SecurityGroupIngress:\n',
    '        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !ImportValue network-AppSecurityGroupId }\n',
    '        - { IpProtocol: tcp, FromPort: 5433, ToPort: 5433, SourceSecurityGroupId: { "Fn::ImportValue": !Sub "${Network}-AppSecurityGroupId" } }\n',
    '        - { IpProtocol: tcp, FromPort: 5434, ToPort: 5434, SourceSecurityGroupName: !ImportValue legacy-group-name }\n',
    '        - { IpProtocol: tcp, FromPort: 5435, ToPort: 5435, SourceSecurityGroupId: { "Fn::ImportValue": !Sub "${Region}-sg" } }\n',
    '      SecurityGroupEgress:\n',
    '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationSecurityGroupId: !ImportValue network-AppSecurityGroupId }\n',
    ingress('AppFromDb', '!ImportValue network-AppSecurityGroupId', 'SourceSecurityGroupId: !Ref Db'),
    ingress('AppFromImported', '!ImportValue network-AppSecurityGroupId', 'SourceSecurityGroupId: !ImportValue network-AppSecurityGroupId'),
  ].join('');

  it('names the peer ImportValue:NAME, as the imported group is named as a target; an export name that cannot be built stays unresolved', () => {
    const result = parseText(template);
    expect(result.diagnostics).toEqual([]);
    expect(listing(result, 'Db')).toEqual([
      'Db.SecurityGroupIngress[0]: in tcp 5432 security group ImportValue:network-AppSecurityGroupId',
      'Db.SecurityGroupIngress[1]: in tcp 5433 security group ImportValue:network-AppSecurityGroupId',
      'Db.SecurityGroupIngress[2]: in tcp 5434 security group ImportValue:legacy-group-name',
      'Db.SecurityGroupIngress[3]: in tcp 5435 unresolved !ImportValue !Sub ${Region}-sg',
      'Db.SecurityGroupEgress[0]: out tcp 443 security group ImportValue:network-AppSecurityGroupId',
    ]);
    // Only the export whose name is unknown is noted (FW303).
    expect(target(result, 'Db').rules.map((r) => r.unknowns.map((u) => `${u.field} ${u.expr}`)).flat()).toEqual(['SourceSecurityGroupId !ImportValue !Sub ${Region}-sg']);
  });

  it('takes an imported peer that is the rule\'s own imported group as the group itself', () => {
    const result = parseText(template);
    expect(listing(result, 'ImportValue:network-AppSecurityGroupId')).toEqual([
      'AppFromDb: in tcp 22 security group Db',
      'AppFromImported: in tcp 22 the group itself',
    ]);
  });
});

// Regression (QA): `SourceSecurityGroupId: !Ref PeerSg` with a group parameter without value stayed an unresolved
// peer (FW303), though it can only be some security group, never an address range.
describe('CloudFormation: a peer group given by a parameter without value', () => {
  const template = [
    'Parameters:\n',
    '  PeerSg: { Type: "AWS::EC2::SecurityGroup::Id" }\n',
    '  GivenSg: { Type: "AWS::EC2::SecurityGroup::Id" }\n',
    '  PeerSgs: { Type: "List<AWS::EC2::SecurityGroup::Id>" }\n',
    '  RefusedSg: { Type: String, AllowedPattern: "sg-[0-9a-f]+" }\n',
    'Resources:\n',
    '  Db:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n',
    '      SecurityGroupIngress:\n',
    '        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref PeerSg }\n',
    '        - { IpProtocol: tcp, FromPort: 5433, ToPort: 5433, SourceSecurityGroupId: !Sub "${PeerSg}" }\n',
    '        - { IpProtocol: tcp, FromPort: 5434, ToPort: 5434, SourceSecurityGroupId: !Ref GivenSg }\n',
    '        - { IpProtocol: tcp, FromPort: 5435, ToPort: 5435, SourceSecurityGroupId: !Ref PeerSgs }\n',
    '        - { IpProtocol: tcp, FromPort: 5436, ToPort: 5436, SourceSecurityGroupId: !Ref RefusedSg }\n',
    '      SecurityGroupEgress:\n',
    '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationSecurityGroupId: !Ref PeerSg }\n',
    ingress('PeerFromDb', '!Ref PeerSg', 'SourceSecurityGroupId: !Ref Db'),
    ingress('PeerFromItself', '!Ref PeerSg', 'SourceSecurityGroupId: !Ref PeerSg'),
  ].join('');

  it('names the peer Parameter:NAME, the group a standalone rule naming the parameter joins; a list or a refused value stays unresolved', () => {
    const result = parseText(template, { GivenSg: 'sg-0123456789abcdef0', RefusedSg: 'not-a-group' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['parse/cfn-parameter-constraint']);
    expect(listing(result, 'Db')).toEqual([
      'Db.SecurityGroupIngress[0]: in tcp 5432 security group Parameter:PeerSg',
      'Db.SecurityGroupIngress[1]: in tcp 5433 security group Parameter:PeerSg',
      'Db.SecurityGroupIngress[2]: in tcp 5434 security group sg-0123456789abcdef0',
      'Db.SecurityGroupIngress[3]: in tcp 5435 unresolved !Ref PeerSgs',
      'Db.SecurityGroupIngress[4]: in tcp 5436 unresolved !Ref RefusedSg',
      'Db.SecurityGroupEgress[0]: out tcp 443 security group Parameter:PeerSg',
    ]);
    expect(target(result, 'Db').rules.flatMap((r) => r.unknowns.map((u) => `${u.field} ${u.expr}`))).toEqual([
      'SourceSecurityGroupId !Ref PeerSgs',
      'SourceSecurityGroupId !Ref RefusedSg',
    ]);
    expect(listing(result, 'Parameter:PeerSg')).toEqual([
      'PeerFromDb: in tcp 22 security group Db',
      'PeerFromItself: in tcp 22 the group itself',
    ]);
  });
});
