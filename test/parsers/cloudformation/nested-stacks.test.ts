import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePeer, type ParseResult, type SourceFile } from '../../../src/model';
import { cloudFormationParser, cloudFormationUnitGroups } from '../../../src/parsers/cloudformation';
import { scan } from '../../../src/pipeline/scan';

function file(path: string, text: string): SourceFile {
  return { path, absolutePath: join('/repo', path), text, encoding: 'utf-8' };
}

function parse(files: SourceFile[], params: Record<string, string> = {}): ParseResult {
  return cloudFormationParser.parse(files, { vars: {}, varFiles: [], params });
}

/** `target: peer` of every ingress rule. */
function peers(result: ParseResult): string[] {
  return result.targets.flatMap((target) => target.rules.filter((r) => r.direction === 'in').map((r) => `${target.id}: ${describePeer(r.peer)}`));
}

function diagnostics(result: ParseResult): string[] {
  return result.diagnostics.map((d) => `${d.file} ${d.range?.startLine}:${d.range?.startColumn} ${d.code} ${d.message}`);
}

/** The QA case: a child template whose SSH source is a parameter without default. */
const BASTION = [
  'Parameters:',
  '  AdminCidr: { Type: String }',
  '  Region: { Type: String, Default: none }',
  'Conditions:',
  '  InEu: !Equals [!Ref "AWS::Region", eu-west-1]',
  'Resources:',
  '  BastionSG:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: bastion',
  '      SecurityGroupIngress:',
  '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr }',
  '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [InEu, 10.1.0.0/16, 10.2.0.0/16] }',
  '      SecurityGroupEgress: []',
  '',
].join('\n');

function stack(id: string, url: string, parameters: string, extra = ''): string {
  return `  ${id}:\n    Type: AWS::CloudFormation::Stack\n${extra}    Properties:\n      TemplateURL: ${url}\n      Parameters: ${parameters}\n`;
}

describe('CloudFormation nested stacks with a local TemplateURL', () => {
  it('evaluates the child with the parameters its one parent passes (and the region), in either file order', () => {
    const parent = file('infra/parent.yaml', `Resources:\n${stack('Bastion', './nested/bastion.yaml', '{ AdminCidr: 0.0.0.0/0 }')}`);
    const child = file('infra/nested/bastion.yaml', BASTION);
    for (const files of [[parent, child], [child, parent]]) {
      const result = parse(files, { 'AWS::Region': 'eu-west-1' });
      expect(diagnostics(result)).toEqual([]);
      expect(peers(result)).toEqual(['BastionSG: 0.0.0.0/0', 'BastionSG: 10.1.0.0/16']);
    }
    // Alone, the child has no value for AdminCidr.
    expect(peers(parse([child]))).toEqual(['BastionSG: unresolved !Ref AdminCidr', 'BastionSG: 10.2.0.0/16', 'BastionSG: 10.1.0.0/16']);
  });

  it('follows a chain of nested stacks, a value the parent cannot resolve staying unresolved (never the default)', () => {
    const root = file('root.yaml', `Parameters:\n  Admin: { Type: String, Default: 192.0.2.0/24 }\nResources:\n${stack('Mid', 'mid.yaml', '{ Admin: !Ref Admin, Other: !ImportValue shared-cidr }')}`);
    const mid = file('mid.yaml', [
      'Parameters:\n  Admin: { Type: String, Default: 10.0.0.0/8 }\n  Other: { Type: String, Default: 10.9.0.0/16 }\n',
      `Resources:\n${stack('Leaf', './stacks/../leaf.yaml', '{ AdminCidr: !Ref Admin }')}`,
      '  MidSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: mid\n      SecurityGroupEgress: []\n',
      '      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: !Ref Other }]\n',
    ].join(''));
    const leaf = file('leaf.yaml', BASTION);
    const result = parse([leaf, mid, root]);
    expect(diagnostics(result)).toEqual([]);
    expect(peers(result)).toEqual([
      'BastionSG: 192.0.2.0/24',
      // AWS::Region has no value here: both branches.
      'BastionSG: 10.2.0.0/16',
      'BastionSG: 10.1.0.0/16',
      'MidSG: unresolved !Ref Other',
    ]);
  });

  it('checks a value the parent passes against the child\'s constraints, naming the parent', () => {
    const parent = file('parent.yaml', `Resources:\n${stack('Bastion', 'bastion.yaml', '{ AdminCidr: 0.0.0.0/0 }')}`);
    const child = file('bastion.yaml', BASTION.replace('AdminCidr: { Type: String }', 'AdminCidr: { Type: String, AllowedValues: [10.0.0.0/8] }'));
    expect(diagnostics(parse([parent, child]))).toEqual([
      'bastion.yaml 2:30 parse/cfn-parameter-constraint parameter AdminCidr: the value "0.0.0.0/0" given by parent.yaml (nested stack Bastion) is not one of its AllowedValues (10.0.0.0/8); CloudFormation refuses it, so AdminCidr is read as unresolved',
    ]);
  });

  it('says which parameters are not followed, and why: a child not scanned, one of several stacks, a condition', () => {
    const parent = file('parent.yaml', [
      'Parameters:\n  Env: { Type: String }\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n',
      stack('Elsewhere', './missing.yaml', '{ AdminCidr: 0.0.0.0/0 }'),
      stack('First', 'shared.yaml', '{ AdminCidr: 0.0.0.0/0 }'),
      stack('Second', 'shared.yaml', '{ AdminCidr: 10.0.0.0/8 }'),
      stack('ProdOnly', 'prod.yaml', '{ AdminCidr: 0.0.0.0/0 }', '    Condition: IsProd\n'),
      stack('Remote', 'https://s3.amazonaws.com/bucket/bastion.yaml', '{ AdminCidr: 0.0.0.0/0 }'),
      '  NoParameters:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: ./missing.yaml }\n',
    ].join(''));
    const result = parse([parent, file('shared.yaml', BASTION), file('prod.yaml', BASTION)]);
    expect(diagnostics(result)).toEqual([
      'parent.yaml 10:7 parse/cfn-nested-stack nested stack Elsewhere: the parameters it passes to ./missing.yaml (AdminCidr) are not followed, as missing.yaml is not among the scanned templates; that template is checked with its own parameter values',
      'parent.yaml 15:7 parse/cfn-nested-stack nested stack First: the parameters it passes to shared.yaml (AdminCidr) are not followed, as shared.yaml is the template of 2 nested stacks, which may pass it different values; that template is checked with its own parameter values',
      'parent.yaml 20:7 parse/cfn-nested-stack nested stack Second: the parameters it passes to shared.yaml (AdminCidr) are not followed, as shared.yaml is the template of 2 nested stacks, which may pass it different values; that template is checked with its own parameter values',
      'parent.yaml 26:7 parse/cfn-nested-stack nested stack ProdOnly: the parameters it passes to prod.yaml (AdminCidr) are not followed, as the stack exists only under a condition that cannot be decided; that template is checked with its own parameter values',
    ]);
    expect(peers(result).filter((line) => line.includes('AdminCidr'))).toEqual(['BastionSG: unresolved !Ref AdminCidr', 'BastionSG: unresolved !Ref AdminCidr']);

    const chosen = file('chosen.yaml', `Parameters:\n  Env: { Type: String }\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n${stack('Chosen', 'bastion.yaml', '!If [IsProd, { AdminCidr: 0.0.0.0/0 }, { AdminCidr: 10.0.0.0/8 }]')}`);
    const itself = file('itself.yaml', `Parameters:\n  AdminCidr: { Type: String }\nResources:\n${stack('Again', 'itself.yaml', '{ AdminCidr: 0.0.0.0/0 }')}`);
    expect(diagnostics(parse([chosen, file('bastion.yaml', BASTION), itself])).filter((line) => line.includes('cfn-nested-stack'))).toEqual([
      'chosen.yaml 10:7 parse/cfn-nested-stack nested stack Chosen: the parameters it passes to bastion.yaml (!If [IsProd, {AdminCidr: 0.0.0.0/0}, {AdminCidr: 10.0.0.0/8}]) are not followed, as they cannot be resolved statically; that template is checked with its own parameter values',
      'itself.yaml 8:7 parse/cfn-nested-stack nested stack Again: the parameters it passes to itself.yaml (AdminCidr) are not followed, as its templates name each other in a cycle; that template is checked with its own parameter values',
    ]);
  });

  it('parses a parent with the local templates it names in one unit, and reports the child\'s findings, streamed or not', () => {
    expect(cloudFormationUnitGroups([
      file('envs/parent.yaml', 'TemplateURL: ../modules/bastion.yaml'),
      file('other.yaml', 'TemplateURL: https://example.com/modules/bastion.yaml'),
      file('modules/bastion.yaml', 'Parameters: {}'),
    ]).map((group) => group.map((each) => each.path))).toEqual([['envs/parent.yaml', 'modules/bastion.yaml'], ['other.yaml']]);
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-nested-'));
    mkdirSync(join(dir, 'envs'));
    writeFileSync(join(dir, 'envs/parent.yaml'), `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${stack('Bastion', '../bastion.yaml', '{ AdminCidr: 0.0.0.0/0 }')}`);
    writeFileSync(join(dir, 'bastion.yaml'), `AWSTemplateFormatVersion: "2010-09-09"\n${BASTION}`);
    for (const keepModel of [true, false]) {
      const result = scan({ paths: ['.'], cwd: dir, today: '2026-11-23', keepModel });
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.filter((f) => f.checkId === 'FW101').map((f) => `${f.targetId} ${f.location.file}:${f.location.range.startLine} ${f.message}`)).toEqual([
        'BastionSG bastion.yaml:13 BastionSG allows ingress from 0.0.0.0/0 on tcp/22',
      ]);
    }
  });
});
