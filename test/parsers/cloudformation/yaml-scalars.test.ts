import { join } from 'node:path';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';

function parse(text: string) {
  const path = 'scalars.yaml';
  return cloudFormationParser.parse([{ path, absolutePath: join(__dirname, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
}

const ingress = (id: string, port: number, cidr: string): string =>
  `  ${id}:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: ${port}, ToPort: ${port}, CidrIp: ${cidr} }\n`;

describe('CloudFormation YAML scalars', () => {
  it('keeps logical ids such as E1 and E2 as written (the YAML 1.1 float pattern read them as NaN, one key)', () => {
    const result = parse(`AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: sg }\n${ingress('E1', 22, '10.0.0.0/8')}${ingress('E2', 3389, '0.0.0.0/0')}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.find((target) => target.id === 'Sg')!.rules.filter((rule) => !rule.synthetic).map((rule) => rule.resourceAddress)).toEqual(['E1', 'E2']);
  });

  it('names keys as written (Yes, 0x1F), and reads digits with an exponent as numbers and E1 as text', () => {
    const result = parse([
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Yes:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties: { GroupDescription: E1, SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 1e3, ToPort: 1e3, CidrIp: 10.0.0.0/8 }] }',
      '  0x1F:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties: { GroupDescription: sg }',
      '',
    ].join('\n'));
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['Yes', '0x1F']);
    expect(result.targets[0]!.rules.find((rule) => !rule.synthetic)!.ports.toString()).toBe('1000');
  });
});

describe('CloudFormation dynamic references', () => {
  it('reads {{resolve:…}} as a value known at deploy time only (FW303), not as a malformed port or CIDR', () => {
    const result = parse([
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Cidr: { Type: String, Default: "{{resolve:ssm:/net/cidr}}" }',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: sg',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "{{resolve:ssm:/net/admin-cidr}}" }',
      '        - { IpProtocol: tcp, FromPort: 23, ToPort: 23, CidrIp: !Ref Cidr }',
      '        - { IpProtocol: tcp, FromPort: "{{resolve:ssm:/net/port}}", ToPort: 443, CidrIp: 10.0.0.0/8 }',
      '',
    ].join('\n'));
    expect(result.diagnostics).toEqual([]);
    const sg = result.targets.find((target) => target.id === 'Sg')!;
    expect((sg.unknowns ?? []).concat(sg.rules.flatMap((rule) => rule.unknowns)).map((unknown) => unknown.expr).sort()).toEqual([
      '!Ref Cidr', '{{resolve:ssm:/net/admin-cidr}}', '{{resolve:ssm:/net/port}}',
    ]);
  });
});
