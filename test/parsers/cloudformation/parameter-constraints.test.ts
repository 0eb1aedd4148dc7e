import { join } from 'node:path';
import { describePeer, protocolName, type ParseResult, type Target } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';
import { PREVIOUS_VALUE } from '../../../src/parsers/cloudformation/parameter-file';
import { regexpRunsDuring } from '../../helpers/regexp-runs';

const repoRoot = join(__dirname, '../../..');

function parseText(text: string, params: Record<string, string> = {}, paramOrigins?: Record<string, string>): ParseResult {
  const path = 'constrained.yaml';
  return cloudFormationParser.parse([{ path, absolutePath: join(repoRoot, path), text, encoding: 'utf-8' }], {
    vars: {}, varFiles: [], params, ...(paramOrigins && { paramOrigins }),
  });
}

function target(result: ParseResult, id: string): Target {
  const found = result.targets.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no target ${id}`);
  return found;
}

/** `id: direction protocol ports peer` of every rule but AWS's default egress. */
function listing(result: ParseResult): string[] {
  return target(result, 'Sg').rules.filter((r) => !r.synthetic).map((r) => `${r.id}: ${r.direction} ${protocolName(r.protocol)} ${r.ports.toString()} ${describePeer(r.peer)}`);
}

/** `severity code line:column message` of every diagnostic. */
function diagnostics(result: ParseResult): string[] {
  return result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`);
}

/** A template whose parameters (lines 3–19) feed one group's rules; line numbers below refer to it. */
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AdminCidr:
    Type: String
    Default: 10.0.0.0/8
    AllowedValues: [10.0.0.0/8, 192.168.0.0/16]
  SshPort:
    Type: Number
    Default: 22
    MinValue: 1
    MaxValue: 1024
  WebCidrs:
    Type: CommaDelimitedList
    Default: "10.0.0.0/8, 172.16.0.0/12"
    AllowedPattern: '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})'
  Name:
    Type: String
    Default: web
    MinLength: 2
    MaxLength: 8
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Ref Name
      SecurityGroupEgress: []
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: !Ref SshPort, ToPort: !Ref SshPort, CidrIp: !Ref AdminCidr }
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Select [1, !Ref WebCidrs] }
`;

describe('CloudFormation parameter constraints', () => {
  it('uses given values and defaults that meet the constraints, without a diagnostic', () => {
    expect(diagnostics(parseText(TEMPLATE))).toEqual([]);
    const result = parseText(TEMPLATE, { AdminCidr: '192.168.0.0/16', SshPort: '1022', WebCidrs: '10.0.0.0/8,10.1.0.0/16', Name: 'ab' });
    expect(diagnostics(result)).toEqual([]);
    expect(listing(result)).toEqual(['Sg.SecurityGroupIngress[0]: in tcp 1022 192.168.0.0/16', 'Sg.SecurityGroupIngress[1]: in tcp 443 10.1.0.0/16']);
  });

  // Regression (qa-h2): `--param AdminCidr=0.0.0.0/0` outside AllowedValues was evaluated, and FW101 reported a
  // world-open rule CloudFormation would never deploy.
  it('reports a given value outside AllowedValues at the constraint, naming the value and its source, and does not use it', () => {
    const result = parseText(TEMPLATE, { AdminCidr: '0.0.0.0/0' }, { AdminCidr: '--param' });
    expect(diagnostics(result)).toEqual([
      'error parse/cfn-parameter-constraint 6:5 parameter AdminCidr: the value "0.0.0.0/0" given by --param is not one of its AllowedValues (10.0.0.0/8, 192.168.0.0/16); CloudFormation refuses it, so AdminCidr is read as unresolved',
    ]);
    expect(result.diagnostics[0]!.file).toBe('constrained.yaml');
    // Neither the refused value nor the default: the peer is unresolved (FW303), never open.
    const [rule] = target(result, 'Sg').rules.filter((r) => !r.synthetic);
    expect(rule!.peer).toEqual({ kind: 'unknown', expr: '!Ref AdminCidr' });
    expect(rule!.unknowns.map((u) => `${u.field} ${u.expr}`)).toEqual(['CidrIp !Ref AdminCidr']);
  });

  it('checks MinValue/MaxValue and the number type, AllowedPattern on each list member, and MinLength/MaxLength', () => {
    const result = parseText(TEMPLATE, { SshPort: '3389', WebCidrs: '10.0.0.0/8, office', Name: 'a-much-too-long-name' }, { SshPort: 'params.json', WebCidrs: '--param' });
    expect(diagnostics(result)).toEqual([
      'error parse/cfn-parameter-constraint 11:5 parameter SshPort: the value "3389" given by params.json is greater than its MaxValue 1024; CloudFormation refuses it, so SshPort is read as unresolved',
      'error parse/cfn-parameter-constraint 15:5 parameter WebCidrs: the value "10.0.0.0/8, office" given by --param has a member "office" that does not match its AllowedPattern (\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2}); CloudFormation refuses it, so WebCidrs is read as unresolved',
      'error parse/cfn-parameter-constraint 20:5 parameter Name: the value "a-much-too-long-name" given by a parameter value is longer than its MaxLength 8 (20 characters); CloudFormation refuses it, so Name is read as unresolved',
    ]);
    expect(target(result, 'Sg').rules.filter((r) => !r.synthetic).map((r) => r.unknowns.map((u) => u.field).join(','))).toEqual(['FromPort,ToPort', 'CidrIp']);
    expect(diagnostics(parseText(TEMPLATE, { SshPort: '0' }))[0]).toContain('parameter SshPort: the value "0" given by a parameter value is less than its MinValue 1;');
    expect(diagnostics(parseText(TEMPLATE, { SshPort: 'ssh' }))).toEqual([
      'error parse/cfn-parameter-constraint 8:5 parameter SshPort: the value "ssh" given by a parameter value is not a number, as Type Number requires; CloudFormation refuses it, so SshPort is read as unresolved',
    ]);
    expect(diagnostics(parseText(TEMPLATE, { Name: 'a' }))[0]).toContain('is shorter than its MinLength 2 (1 characters)');
  });

  it('reports a default outside AllowedValues: an error when it is the value used (then unresolved), a warning when a valid value replaces it', () => {
    const template = TEMPLATE.replace('    Default: 10.0.0.0/8\n    AllowedValues', '    Default: 0.0.0.0/0\n    AllowedValues');
    const unset = parseText(template);
    expect(diagnostics(unset)).toEqual([
      'error parse/cfn-parameter-constraint 6:5 parameter AdminCidr: its Default "0.0.0.0/0" is not one of its AllowedValues (10.0.0.0/8, 192.168.0.0/16); CloudFormation refuses the stack unless a valid value is given, so AdminCidr is read as unresolved',
    ]);
    expect(target(unset, 'Sg').rules.find((r) => !r.synthetic)!.peer).toEqual({ kind: 'unknown', expr: '!Ref AdminCidr' });
    const given = parseText(template, { AdminCidr: '192.168.0.0/16' });
    expect(diagnostics(given)).toEqual([
      'warning parse/cfn-parameter-constraint 6:5 parameter AdminCidr: its Default "0.0.0.0/0" is not one of its AllowedValues (10.0.0.0/8, 192.168.0.0/16); CloudFormation refuses the stack when no value is given for AdminCidr',
    ]);
    expect(listing(given)[0]).toBe('Sg.SecurityGroupIngress[0]: in tcp 22 192.168.0.0/16');
  });

  it('allows any spelling of a number YAML listed in AllowedValues (YAML keeps 1.0 as the number 1)', () => {
    const template = TEMPLATE.replace('    MinValue: 1\n    MaxValue: 1024', '    AllowedValues: [22.0, 2222]');
    // Allowed (though not a port: that is FromPort's error).
    expect(diagnostics(parseText(template, { SshPort: '22.0' })).filter((d) => d.includes('cfn-parameter-constraint'))).toEqual([]);
    expect(diagnostics(parseText(template, { SshPort: '22' }))).toEqual([]);
    expect(diagnostics(parseText(template, { SshPort: '23' }))[0]).toContain('the value "23" given by a parameter value is not one of its AllowedValues (22, 2222)');
  });

  it('leaves values known only at deploy time unchecked: UsePreviousValue, dynamic references, SSM parameter types', () => {
    expect(diagnostics(parseText(TEMPLATE, { AdminCidr: PREVIOUS_VALUE, Name: '{{resolve:ssm:/a/very/long/parameter/name}}' }))).toEqual([]);
    const ssm = TEMPLATE.replace('    Type: String\n    Default: 10.0.0.0/8', '    Type: AWS::SSM::Parameter::Value<String>\n    Default: /net/admin-cidr');
    expect(diagnostics(parseText(ssm))).toEqual([]);
  });

  it('decides conditions on a refused parameter both ways, as on a parameter without a value', () => {
    const template = [
      'Parameters:',
      '  Env: { Type: String, AllowedValues: [dev, prod], Default: dev }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: []',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsProd, 10.0.0.0/8, 0.0.0.0/0] }',
      '',
    ].join('\n');
    expect(listing(parseText(template, { Env: 'prod' }))).toEqual(['Sg.SecurityGroupIngress[0]: in tcp 22 10.0.0.0/8']);
    const refused = parseText(template, { Env: 'staging' });
    expect(diagnostics(refused).map((d) => d.split(' ').slice(0, 3).join(' '))).toEqual(['error parse/cfn-parameter-constraint 2:24']);
    expect(listing(refused)).toEqual([
      'Sg.SecurityGroupIngress[0]?IsProd=false: in tcp 22 0.0.0.0/0',
      'Sg.SecurityGroupIngress[0]?IsProd=true: in tcp 22 10.0.0.0/8',
    ]);
  });

  it('does not try an AllowedPattern it cannot match safely, and says so', () => {
    const template = TEMPLATE.replace("    AllowedPattern: '(\\d{1,3})", "    AllowedPattern: '(a+)+|(\\d{1,3})");
    const hostile = `${'a'.repeat(40)}!`;
    const { value: result, runs } = regexpRunsDuring(() => parseText(template, { WebCidrs: `${hostile}, 10.0.0.0/8` }));
    // `(a+)+` against 40 a's and a mismatch backtracks 2^40 ways: the pattern must never run on that value.
    expect(runs.filter((run) => run.input === hostile)).toEqual([]);
    expect(diagnostics(result)).toEqual([
      `warning parse/cfn-parameter-pattern 15:5 parameter WebCidrs: "${'a'.repeat(40)}!, 10.0.0.0/8" is not checked against its AllowedPattern (nested repetition)`,
    ]);
  });

  // Item 5 (s14): a MinValue and MaxValue close together left the port unresolved ("any port may be open"), while
  // the same values as AllowedValues were read one by one.
  it('reads a Number without a value between a close MinValue and MaxValue per value, as its AllowedValues', () => {
    const ranged = (lo: string, hi: string): string => [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      `  Lo: { Type: Number, ${lo} }`,
      `  Hi: { Type: Number, ${hi} }`,
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: []',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: !Ref Lo, ToPort: !Ref Hi, CidrIp: 0.0.0.0/0 }',
      '',
    ].join('\n');
    const expected = [
      'Sg.SecurityGroupIngress[0]?Lo=8000,Hi=8080: in tcp 8000-8080 0.0.0.0/0',
      'Sg.SecurityGroupIngress[0]?Lo=8000,Hi=8081: in tcp 8000-8081 0.0.0.0/0',
      'Sg.SecurityGroupIngress[0]?Lo=8001,Hi=8080: in tcp 8001-8080 0.0.0.0/0',
      'Sg.SecurityGroupIngress[0]?Lo=8001,Hi=8081: in tcp 8001-8081 0.0.0.0/0',
    ];
    const byRange = parseText(ranged('MinValue: 8000, MaxValue: 8001', 'MinValue: 8080, MaxValue: 8081'));
    expect(byRange.diagnostics).toEqual([]);
    expect(listing(byRange).sort()).toEqual(expected);
    expect(listing(parseText(ranged('AllowedValues: [8000, 8001]', 'AllowedValues: [8080, 8081]'))).sort()).toEqual(expected);
    // A wide range has more values than are read one by one: the ports stay unresolved, as before.
    const wide = parseText(ranged('MinValue: 1, MaxValue: 65535', 'MinValue: 1, MaxValue: 65535'));
    expect(target(wide, 'Sg').rules.filter((r) => !r.synthetic).map((r) => r.unknowns.map((u) => u.expr))).toEqual([['!Ref Lo', '!Ref Hi']]);
  });

  // Regression (QA-13 12): the AWS Quick Start CIDR pattern was never applied ("nested repetition"), so a stale Default
  // breaking a pattern was used, a false critical FW101 on a value CloudFormation never deploys.
  it('applies the usual CIDR AllowedPatterns: a Default breaking one is the constraint error, not the value used', () => {
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  RemoteAccessCIDR:',
      '    AllowedPattern: ^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])(\\/([0-9]|[1-2][0-9]|3[0-2]))$',
      '    Type: String',
      '  OfficeCidr:',
      '    AllowedPattern: ^10\\.(\\d{1,3}\\.){2}\\d{1,3}/(8|16|24)$',
      '    Default: 0.0.0.0/0',
      '    Type: String',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: []',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref RemoteAccessCIDR }',
      '        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !Ref OfficeCidr }',
      '',
    ].join('\n');
    const refused = parseText(template, { RemoteAccessCIDR: '10.0.0.0/33' });
    expect(diagnostics(refused).map((d) => d.split(' ').slice(0, 5).join(' '))).toEqual([
      'error parse/cfn-parameter-constraint 4:5 parameter RemoteAccessCIDR:',
      'error parse/cfn-parameter-constraint 7:5 parameter OfficeCidr:',
    ]);
    expect(listing(refused)).toEqual(['Sg.SecurityGroupIngress[0]: in tcp 22 unresolved !Ref RemoteAccessCIDR', 'Sg.SecurityGroupIngress[1]: in tcp 3389 unresolved !Ref OfficeCidr']);
    expect(listing(parseText(template, { RemoteAccessCIDR: '192.0.2.0/24', OfficeCidr: '10.1.2.0/24' }))).toEqual([
      'Sg.SecurityGroupIngress[0]: in tcp 22 192.0.2.0/24',
      'Sg.SecurityGroupIngress[1]: in tcp 3389 10.1.2.0/24',
    ]);
  });
});
