import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePeer, protocolName, type ParseResult } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';
import { runCli } from '../../helpers/run-cli';

const repoRoot = join(__dirname, '../../..');

function parseText(text: string, params: Record<string, string> = {}): ParseResult {
  const path = 'foreach.yaml';
  return cloudFormationParser.parse([{ path, absolutePath: join(repoRoot, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params });
}

/** `target: rule id direction protocol ports peer @line` of every rule but AWS's default egress. */
function rules(result: ParseResult): string[] {
  return result.targets.flatMap((target) => target.rules.filter((r) => !r.synthetic)
    .map((r) => `${target.id}: ${r.id} ${r.direction} ${protocolName(r.protocol)} ${r.ports.toString()} ${describePeer(r.peer)} @${r.location.range.startLine}`));
}

/** `severity code line:column message` of every diagnostic. */
function diagnostics(result: ParseResult): string[] {
  return result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`);
}

const GROUP = [
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties: { GroupDescription: x, SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }] }',
];

/** The QA case: a loop over a literal list of ports, each a standalone rule open to the world. */
const PORTS_LOOP = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Transform: AWS::LanguageExtensions',
  'Resources:',
  ...GROUP,
  '  Fn::ForEach::Ports:',
  '    - Port',
  '    - ["22", "3389"]',
  '    - Rule${Port}:',
  '        Type: AWS::EC2::SecurityGroupIngress',
  '        Properties:',
  '          GroupId: !Ref Sg',
  '          IpProtocol: tcp',
  '          FromPort: !Ref Port',
  '          ToPort: !Ref Port',
  '          CidrIp: 0.0.0.0/0',
  '          Description: !Sub "port ${Port}"',
  '',
].join('\n');

describe('CloudFormation Fn::ForEach (AWS::LanguageExtensions)', () => {
  it('stamps out one resource per item of a literal list, the identifier replaced in keys, Ref and strings', () => {
    const result = parseText(PORTS_LOOP);
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result)).toEqual([
      'Sg: Sg.SecurityGroupEgress[0] out tcp 443 10.0.0.0/8 @6',
      'Sg: Rule22 in tcp 22 0.0.0.0/0 @10',
      'Sg: Rule3389 in tcp 3389 0.0.0.0/0 @10',
    ]);
    expect(result.targets[0]!.rules.filter((r) => r.direction === 'in').map((r) => r.description)).toEqual(['port 22', 'port 3389']);
  });

  it('reports the loop\'s world-open rules as findings at the loop\'s lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-foreach-'));
    writeFileSync(join(dir, 't.yaml'), PORTS_LOOP);
    const { stdout, code } = await runCli(['scan', 't.yaml', '--format', 'json'], dir);
    const findings = JSON.parse(stdout).findings as Array<{ checkId: string; rule: string; message: string; range: { startLine: number }; fingerprint: string }>;
    expect(findings.map((f) => `${f.checkId} ${f.rule} ${f.range.startLine} ${f.message}`)).toEqual([
      // The loop's items are written at one place: one finding naming both ports.
      'FW101 Rule22 17 Sg allows ingress from 0.0.0.0/0 on tcp/22, 3389',
    ]);
    expect(code).toBe(1);
  });

  it('takes the collection from a list parameter (its default, or the value given), a mapping or Split; &{} drops other characters', () => {
    const text = [
      'Parameters:',
      '  Cidrs: { Type: CommaDelimitedList, Default: "10.0.0.0/8,192.168.0.0/16" }',
      'Mappings:',
      '  Ports: { Admin: { List: ["22", "3389"] } }',
      'Resources:',
      ...GROUP,
      '  Fn::ForEach::Sources:',
      '    - Cidr',
      '    - !Ref Cidrs',
      '    - Fn::ForEach::Ports:',
      '        - Port',
      '        - !FindInMap [Ports, Admin, List]',
      '        - From&{Cidr}On${Port}:',
      '            Type: AWS::EC2::SecurityGroupIngress',
      '            Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: "${Cidr}" }',
      '  Fn::ForEach::Web:',
      '    - Port',
      '    - !Split [",", "80,443"]',
      '    - Web${Port}:',
      '        Type: AWS::EC2::SecurityGroupIngress',
      '        Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 0.0.0.0/0 }',
      '',
    ].join('\n');
    const result = parseText(text);
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result).filter((line) => !line.startsWith('Sg: Sg.'))).toEqual([
      'Sg: From100008On22 in tcp 22 10.0.0.0/8 @15',
      'Sg: From100008On3389 in tcp 3389 10.0.0.0/8 @15',
      'Sg: From1921680016On22 in tcp 22 192.168.0.0/16 @15',
      'Sg: From1921680016On3389 in tcp 3389 192.168.0.0/16 @15',
      // Rules written at one place are in id order.
      'Sg: Web443 in tcp 443 0.0.0.0/0 @21',
      'Sg: Web80 in tcp 80 0.0.0.0/0 @21',
    ]);
    // Open item 2 of session 13: a resource of a nested loop had no loop item, so FW202 said "remove the rule" (the
    // loop's body, which makes every item). It has the innermost loop's, with every loop's value and how many share it.
    expect(result.targets[0]!.rules.find((rule) => rule.id === 'From1921680016On22')!.loopItem).toEqual({
      loop: 'Fn::ForEach::Ports', value: '22',
      levels: [{ loop: 'Fn::ForEach::Sources', value: '192.168.0.0/16', sharing: 2 }, { loop: 'Fn::ForEach::Ports', value: '22', sharing: 2 }],
      output: { key: 'From&{Cidr}On${Port}', instances: 4, only: true },
    });
    expect(result.targets[0]!.rules.find((rule) => rule.id === 'Web80')!.loopItem?.output).toEqual({ key: 'Web${Port}', instances: 2, only: true });
    const given = parseText(text, { Cidrs: '203.0.113.0/24' });
    expect(rules(given).filter((line) => line.includes('From'))).toEqual([
      'Sg: From2030113024On22 in tcp 22 203.0.113.0/24 @15',
      'Sg: From2030113024On3389 in tcp 3389 203.0.113.0/24 @15',
    ]);
  });

  it('stamps out groups too, whose own rules name the loop value', () => {
    const text = [
      'Resources:',
      '  Fn::ForEach::Groups:',
      '    - Name',
      '    - [Web, Api]',
      '    - ${Name}Sg:',
      '        Type: AWS::EC2::SecurityGroup',
      '        Properties:',
      '          GroupDescription: !Sub "${Name} tier"',
      '          SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }]',
      '          SecurityGroupEgress: []',
      '  ApiAdmin:',
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Properties: { GroupId: !GetAtt ApiSg.GroupId, IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: !Ref WebSg }',
      '',
    ].join('\n');
    const result = parseText(text);
    expect(diagnostics(result)).toEqual([]);
    expect(result.targets.map((t) => `${t.id} @${t.location.range.startLine}`)).toEqual(['WebSg @5', 'ApiSg @5']);
    expect(rules(result).filter((line) => line.includes(' in '))).toEqual([
      'WebSg: WebSg.SecurityGroupIngress[0] in tcp 443 0.0.0.0/0 @9',
      'ApiSg: ApiSg.SecurityGroupIngress[0] in tcp 443 0.0.0.0/0 @9',
      'ApiSg: ApiAdmin in tcp 22 security group WebSg @11',
    ]);
  });

  it('leaves a loop it cannot expand with a diagnostic at its line, and reports what CloudFormation rejects', () => {
    const text = [
      'Parameters:',
      '  Ports: { Type: CommaDelimitedList }',
      'Resources:',
      ...GROUP,
      '  Fn::ForEach::Unknown:',
      '    - Port',
      '    - !Ref Ports',
      '    - Rule${Port}: { Type: AWS::EC2::SecurityGroupIngress }',
      '  Fn::ForEach::Malformed: [Port, ["22"]]',
      '  Fn::ForEach::SameKey:',
      '    - Port',
      '    - ["22", "23"]',
      '    - Fixed: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8 } }',
      '  Fn::ForEach::NotAlphanumeric:',
      '    - Cidr',
      '    - [10.0.0.0/8]',
      '    - From${Cidr}: { Type: AWS::EC2::SecurityGroupIngress }',
      '  Fn::ForEach::Clash:',
      '    - Name',
      '    - [g, x]',
      '    - S${Name}: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: x } }',
      '  Sx:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties: { GroupDescription: again }',
      '',
    ].join('\n');
    const result = parseText(text);
    expect(diagnostics(result)).toEqual([
      'warning parse/cfn-foreach 9:7 resources generated by Fn::ForEach::Unknown are not analyzed: its collection !Ref Ports cannot be resolved statically',
      'error parse/cfn-foreach 11:3 Fn::ForEach::Malformed must be [Identifier, Collection, {OutputKey: OutputValue}] with an alphanumeric Identifier; the resources it would generate are not analyzed',
      'error parse/cfn-foreach 15:7 Fn::ForEach::SameKey: the output key "Fixed" must contain ${Port} or &{Port}, or every item of the collection gives the same key',
      'error parse/cfn-foreach 15:7 Fn::ForEach::SameKey generates the logical id Fixed, which another resource already has',
      'error parse/cfn-foreach 19:7 Fn::ForEach::NotAlphanumeric generates the logical id "From10.0.0.0/8", which is not alphanumeric (write &{…} to drop other characters); it is not analyzed',
      'error parse/cfn-foreach 23:7 Fn::ForEach::Clash generates the logical id Sg, which another resource already has',
      'error parse/cfn-foreach 24:3 Sx is also a logical id an Fn::ForEach loop generates; CloudFormation rejects the template',
    ]);
  });

  it('stops a hostile loop at its budget, with a warning, having generated a bounded number of rules', () => {
    const hundred = `[${Array.from({ length: 100 }, (_, i) => `v${i}`).join(', ')}]`;
    const text = [
      'Resources:',
      ...GROUP,
      '  Fn::ForEach::A:',
      `    - A`,
      `    - ${hundred}`,
      '    - Fn::ForEach::B:',
      '        - B',
      `        - ${hundred}`,
      '        - Fn::ForEach::C:',
      '            - C',
      `            - ${hundred}`,
      '            - R${A}${B}${C}: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8 } }',
      '  Fn::ForEach::Later:',
      '    - L',
      '    - [x]',
      '    - Later${L}: { Type: AWS::EC2::SecurityGroupIngress, Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8 } }',
      '',
    ].join('\n');
    const result = parseText(text);
    expect(diagnostics(result)).toEqual([
      'warning parse/cfn-foreach 11:11 Fn::ForEach loops generate more than 200000 values; Fn::ForEach::C and what follows it are not fully analyzed',
    ]);
    const generated = result.targets[0]!.rules.filter((r) => r.direction === 'in').length;
    expect(generated).toBeGreaterThan(1000);
    expect(generated).toBeLessThan(200_000 / 10);
  });

  it('warns about AWS::Include snippets it does not read: in Resources, as a whole resource, beside a group\'s properties', () => {
    const text = [
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: x',
      '      SecurityGroupEgress: []',
      '      Fn::Transform: { Name: AWS::Include, Parameters: { Location: s3://bucket/rules.yaml } }',
      '  Included:',
      '    Fn::Transform: { Name: AWS::Include, Parameters: { Location: s3://bucket/group.yaml } }',
      '  Fn::Transform:',
      '    Name: AWS::Include',
      '    Parameters: { Location: s3://bucket/more-rules.yaml }',
      '',
    ].join('\n');
    expect(diagnostics(parseText(text))).toEqual([
      'warning parse/cfn-transform 8:3 Included is given by Fn::Transform AWS::Include (s3://bucket/group.yaml); it is not analyzed',
      'warning parse/cfn-transform 10:3 resources added by Fn::Transform AWS::Include (s3://bucket/more-rules.yaml) are not analyzed',
      'warning parse/cfn-transform 7:7 Sg: what Fn::Transform AWS::Include (s3://bucket/rules.yaml) adds to it is not analyzed',
    ]);
  });
});

// Open item 3 of session 13: a Conditions entry generated by Fn::ForEach was not defined ("condition "IsProd" is not
// defined in Conditions" at every use, and a standalone rule under it read as always there); loops inside a resource's
// Properties were not expanded (a rule whose FromPort/ToPort a loop writes read as missing them).
describe('CloudFormation Fn::ForEach outside Resources', () => {
  const template = (conditions: string[], resources: string[], outputs: string[] = []) => [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::LanguageExtensions',
    'Parameters:',
    '  Env: { Type: String, Default: prod }',
    'Conditions:',
    ...conditions,
    'Resources:',
    ...GROUP,
    ...resources,
    ...(outputs.length > 0 ? ['Outputs:', ...outputs] : []),
    '',
  ].join('\n');
  const ENV_CONDITIONS = ['  Fn::ForEach::Envs:', '    - E', '    - [prod, dev]', '    - Is${E}: !Equals [!Ref Env, !Ref E]'];
  const DEV_RDP = [
    '  DevRdp:',
    '    Type: AWS::EC2::SecurityGroupIngress',
    '    Condition: Isdev',
    '    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !If [Isprod, 10.0.0.0/8, 0.0.0.0/0] }',
  ];

  it('defines the conditions a loop in Conditions generates, for Fn::If and a resource\'s Condition', () => {
    const prod = parseText(template(ENV_CONDITIONS, DEV_RDP));
    expect(diagnostics(prod)).toEqual([]);
    // Env is prod: Isdev is false, the rule does not exist.
    expect(rules(prod)).toEqual(['Sg: Sg.SecurityGroupEgress[0] out tcp 443 10.0.0.0/8 @13']);
    expect(rules(parseText(template(ENV_CONDITIONS, DEV_RDP), { Env: 'dev' }))).toEqual([
      'Sg: Sg.SecurityGroupEgress[0] out tcp 443 10.0.0.0/8 @13',
      'Sg: DevRdp in tcp 3389 0.0.0.0/0 @14',
    ]);
  });

  it('a loop of Conditions whose collection is unknown is a warning, and the names it may generate are no errors', () => {
    const unknown = ['  Fn::ForEach::Envs:', '    - E', '    - !Split [";", !ImportValue Envs]', '    - Is${E}: !Equals [!Ref Env, !Ref E]'];
    const result = parseText(template(unknown, DEV_RDP));
    expect(diagnostics(result)).toEqual(['warning parse/cfn-foreach 8:7 conditions generated by Fn::ForEach::Envs are not analyzed: its collection !Split [;, !ImportValue Envs] cannot be resolved statically']);
    // Isdev is not known: the rule is read under both of its values.
    expect(rules(result).filter((line) => line.includes('DevRdp'))).toHaveLength(1);
  });

  it('an undefined Condition of a rule resource is an error', () => {
    expect(diagnostics(parseText(template(['  Other: !Equals [!Ref Env, x]'], DEV_RDP)))).toEqual([
      'error parse/cfn-unknown-condition 11:3 condition "Isdev" is not defined in Conditions',
      'error parse/cfn-unknown-condition 14:97 condition "Isprod" is not defined in Conditions',
    ]);
  });

  it('expands loops inside a resource\'s Properties, and ignores loops in Outputs', () => {
    const resources = [
      '  Ssh:',
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Properties:',
      '      GroupId: !Ref Sg',
      '      IpProtocol: tcp',
      '      CidrIp: 0.0.0.0/0',
      '      Fn::ForEach::Bounds:',
      '        - Bound',
      '        - [From, To]',
      '        - ${Bound}Port: 22',
    ];
    const outputs = ['  Fn::ForEach::Ids:', '    - Id', '    - [a, b]', '    - Out${Id}: { Value: !Ref Sg }'];
    const result = parseText(template(['  Other: !Equals [!Ref Env, x]'], resources, outputs));
    expect(diagnostics(result)).toEqual([]);
    expect(rules(result)).toEqual(['Sg: Sg.SecurityGroupEgress[0] out tcp 443 10.0.0.0/8 @10', 'Sg: Ssh in tcp 22 0.0.0.0/0 @11']);
  });
});
