import { join } from 'node:path';
import { describePeer, type ParseResult } from '../../../src/model';
import { cloudFormationParser, readParameterFile } from '../../../src/parsers/cloudformation';
import { REPO_ROOT } from '../../helpers/scan-fixture';
import { runCli } from '../../helpers/run-cli';

function parse(text: string, params: Record<string, string>): ParseResult {
  return cloudFormationParser.parse([{ path: 't.yaml', absolutePath: join(REPO_ROOT, 't.yaml'), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params });
}

const TEMPLATE = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Conditions:',
  '  IsEu: !Equals [!Ref "AWS::Region", eu-west-1]',
  'Mappings:',
  '  Office: { eu-west-1: { Cidr: 192.0.2.0/24 }, us-east-1: { Cidr: 198.51.100.0/24 } }',
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: !Sub "${AWS::StackName} in ${AWS::Region}"',
  '      SecurityGroupEgress: []',
  '      SecurityGroupIngress:',
  '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsEu, 10.1.0.0/16, 10.2.0.0/16] }',
  '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !FindInMap [Office, !Ref "AWS::Region", Cidr] }',
  '',
].join('\n');

function ingress(result: ParseResult): string[] {
  return result.targets[0]!.rules.filter((r) => r.direction === 'in').map((r) => `${r.id} ${r.ports.toString()} ${describePeer(r.peer)}`);
}

describe('CloudFormation pseudo parameters', () => {
  it('are unknown by default: conditions on them branch, values from them are unresolved', () => {
    const withoutMap = TEMPLATE.replace('!FindInMap [Office, !Ref "AWS::Region", Cidr]', '!Sub "10.${AWS::Region}.0.0/16"');
    expect(ingress(parse(withoutMap, {}))).toEqual([
      'Sg.SecurityGroupIngress[0]?IsEu=false 443 10.2.0.0/16',
      'Sg.SecurityGroupIngress[0]?IsEu=true 443 10.1.0.0/16',
      'Sg.SecurityGroupIngress[1] 22 unresolved !Sub 10.${AWS::Region}.0.0/16',
    ]);
  });

  it('as the top-level key of a FindInMap, take each key of the map in turn, which also decides conditions on them (QA 01)', () => {
    expect(ingress(parse(TEMPLATE, {}))).toEqual([
      'Sg.SecurityGroupIngress[0]?AWS::Region=eu-west-1 443 10.1.0.0/16',
      'Sg.SecurityGroupIngress[0]?AWS::Region=us-east-1 443 10.2.0.0/16',
      'Sg.SecurityGroupIngress[1]?AWS::Region=eu-west-1 22 192.0.2.0/24',
      'Sg.SecurityGroupIngress[1]?AWS::Region=us-east-1 22 198.51.100.0/24',
    ]);
  });

  it('take the value --param gives them, in Ref, Sub, FindInMap and conditions', () => {
    expect(ingress(parse(TEMPLATE, { 'AWS::Region': 'eu-west-1' }))).toEqual([
      'Sg.SecurityGroupIngress[0] 443 10.1.0.0/16',
      'Sg.SecurityGroupIngress[1] 22 192.0.2.0/24',
    ]);
    expect(ingress(parse(TEMPLATE, { 'AWS::Region': 'us-east-1' }))).toEqual([
      'Sg.SecurityGroupIngress[0] 443 10.2.0.0/16',
      'Sg.SecurityGroupIngress[1] 22 198.51.100.0/24',
    ]);
  });

  it('rejects --param for a pseudo parameter that cannot be set, with a message', async () => {
    const fixture = 'fixtures/cloudformation/resolution/nested-if.yaml';
    const noValue = await runCli(['scan', fixture, '--param', 'AWS::NoValue=x'], REPO_ROOT);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/^fwlint: --param AWS::NoValue removes a property and cannot be given a value \(pseudo parameters that can be given a value: AWS::AccountId, .*AWS::Region/);
    const typo = await runCli(['scan', fixture, '--param', 'AWS::Regoin=eu-west-1'], REPO_ROOT);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--param AWS::Regoin is not a pseudo parameter fwlint can set');
    const region = await runCli(['scan', fixture, '--param', 'AWS::Region=eu-west-1', '--param', 'Env=prod', '--format', 'json'], REPO_ROOT);
    expect(region.code).toBe(0);
    expect(JSON.parse(region.stdout).findings).toEqual([]);
  });

  it('rejects such a pseudo parameter in a parameter file, at its key', () => {
    const file = readParameterFile('[\n  { "ParameterKey": "AWS::Region", "ParameterValue": "eu-west-1" },\n  { "ParameterKey": "AWS::NoValue", "ParameterValue": "x" }\n]', 'p.json');
    expect(file.value).toEqual({ 'AWS::Region': 'eu-west-1' });
    expect(file.diagnostics.map((d) => `${d.code} ${d.range?.startLine}:${d.range?.startColumn}`)).toEqual(['parse/cfn-parameter-file 3:21']);
  });
});
