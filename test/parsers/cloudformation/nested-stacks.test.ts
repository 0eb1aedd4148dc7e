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

    const chosen = file('chosen.yaml', `Parameters:\n  Env: { Type: String }\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n${stack('Chosen', 'bastion.yaml', '!ImportValue shared-parameters')}`);
    const itself = file('itself.yaml', `Parameters:\n  AdminCidr: { Type: String }\nResources:\n${stack('Again', 'itself.yaml', '{ AdminCidr: 0.0.0.0/0 }')}`);
    expect(diagnostics(parse([chosen, file('bastion.yaml', BASTION), itself])).filter((line) => line.includes('cfn-nested-stack'))).toEqual([
      'chosen.yaml 10:7 parse/cfn-nested-stack nested stack Chosen: the parameters it passes to bastion.yaml (!ImportValue shared-parameters) are not followed, as they cannot be resolved statically; that template is checked with its own parameter values',
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

  // Regression (QA-13 02): what a parent passes under its branches (a parameter read once per value, a !FindInMap
  // keyed by one, an undecidable !If) was one unresolved value: the child's world-open SSH was an FW303 note only.
  describe('a parent passing other values under other branches', () => {
    const child = file('bastion.yaml', BASTION);
    /** `rule id: peer` of the child's ingress rules, with their branch in the id. */
    const childRules = (result: ParseResult): string[] => result.targets.flatMap((target) => target.rules.filter((r) => r.direction === 'in').map((r) => `${r.id}: ${describePeer(r.peer)}`));

    it.each([
      ['a parameter with AllowedValues', 'Parameters:\n  Admin: { Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0] }\n', '{ AdminCidr: !Ref Admin }', 'Admin=0.0.0.0/0', 'Admin=10.0.0.0/8'],
      ['a !FindInMap by a parameter', 'Parameters:\n  Env: { Type: String, AllowedValues: [prod, dev] }\nMappings:\n  Nets:\n    prod: { Admin: 10.0.0.0/8 }\n    dev: { Admin: 0.0.0.0/0 }\n', '{ AdminCidr: !FindInMap [Nets, !Ref Env, Admin] }', 'Env=dev', 'Env=prod'],
      ['an undecidable !If', 'Parameters:\n  Env: { Type: String }\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n', '{ AdminCidr: !If [IsProd, 10.0.0.0/8, 0.0.0.0/0] }', 'IsProd=false', 'IsProd=true'],
      ['an undecidable !If around the whole Parameters', 'Parameters:\n  Env: { Type: String }\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n', '!If [IsProd, { AdminCidr: 10.0.0.0/8 }, { AdminCidr: 0.0.0.0/0 }]', 'IsProd=false', 'IsProd=true'],
    ])('%s: the child is read per branch, its rules that differ tagged with it', (_name, sections, parameters, open, closed) => {
      const parent = file('parent.yaml', `${sections}Resources:\n${stack('Bastion', 'bastion.yaml', parameters)}`);
      const result = parse([parent, child], { 'AWS::Region': 'eu-west-1' });
      expect(diagnostics(result)).toEqual([]);
      expect(childRules(result).sort()).toEqual([
        `BastionSG.SecurityGroupIngress[0]?${closed}: 10.0.0.0/8`,
        `BastionSG.SecurityGroupIngress[0]?${open}: 0.0.0.0/0`,
        // The same under every branch: one rule, untagged.
        'BastionSG.SecurityGroupIngress[1]: 10.1.0.0/16',
      ].sort());
    });

    it('reports the child\'s world-open rule under the parent\'s branch, and one under its own branch as it is', () => {
      const dir = mkdtempSync(join(tmpdir(), 'fwlint-nested-'));
      writeFileSync(join(dir, 'parent.yaml'), `AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Admin: { Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0] }\nResources:\n${stack('Bastion', 'bastion.yaml', '{ AdminCidr: !Ref Admin }')}`);
      writeFileSync(join(dir, 'bastion.yaml'), `AWSTemplateFormatVersion: "2010-09-09"\n${BASTION.replace('CidrIp: !If [InEu, 10.1.0.0/16, 10.2.0.0/16]', 'CidrIp: !If [InEu, 10.1.0.0/16, 0.0.0.0/0]')}`);
      const result = scan({ paths: ['.'], cwd: dir, today: '2026-11-25' });
      expect(result.findings.filter((f) => f.checkId === 'FW101').map((f) => `${f.location.file}:${f.location.range.startLine} ${f.message}`)).toEqual([
        'bastion.yaml:13 BastionSG allows ingress from 0.0.0.0/0 on tcp/22 (when Admin=0.0.0.0/0)',
        'bastion.yaml:14 BastionSG allows ingress from 0.0.0.0/0 on tcp/443 (when InEu=false)',
      ]);
    });

    it('carries the branches down a chain, and says under which a diagnostic of the child holds', () => {
      const root = file('root.yaml', `Parameters:\n  Admin: { Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0] }\nResources:\n${stack('Mid', 'mid.yaml', '{ Admin: !Ref Admin }')}`);
      const mid = file('mid.yaml', `Parameters:\n  Admin: { Type: String }\nResources:\n${stack('Leaf', 'leaf.yaml', '{ AdminCidr: !Ref Admin }')}`);
      const leaf = file('leaf.yaml', BASTION.replace('AdminCidr: { Type: String }', 'AdminCidr: { Type: String, AllowedValues: [10.0.0.0/8] }'));
      const result = parse([root, mid, leaf], { 'AWS::Region': 'eu-west-1' });
      expect(diagnostics(result)).toEqual([
        'leaf.yaml 2:30 parse/cfn-parameter-constraint parameter AdminCidr: the value "0.0.0.0/0" given by mid.yaml (nested stack Leaf) is not one of its AllowedValues (10.0.0.0/8); CloudFormation refuses it, so AdminCidr is read as unresolved (when Admin=0.0.0.0/0)',
      ]);
      expect(childRules(result).sort()).toEqual([
        'BastionSG.SecurityGroupIngress[0]?Admin=0.0.0.0/0: unresolved !Ref AdminCidr',
        'BastionSG.SecurityGroupIngress[0]?Admin=10.0.0.0/8: 10.0.0.0/8',
        'BastionSG.SecurityGroupIngress[1]: 10.1.0.0/16',
      ]);
    });
  });

  it('does not follow a chain whose branches multiply past the budget, and says so', () => {
    const root = file('root.yaml', `Parameters:\n  A: { Type: String, AllowedValues: [a1, a2, a3, a4] }\nResources:\n${stack('Mid', 'mid.yaml', '{ A: !Ref A }')}`);
    const mid = file('mid.yaml', `Parameters:\n  A: { Type: String }\n  B: { Type: String, AllowedValues: [10.0.0.0/8, 10.1.0.0/16, 10.2.0.0/16, 0.0.0.0/0, 10.3.0.0/16] }\nResources:\n${stack('Leaf', 'leaf.yaml', '{ AdminCidr: !Ref B, Tag: !Ref A }')}`);
    const result = parse([root, mid, file('leaf.yaml', BASTION)], { 'AWS::Region': 'eu-west-1' });
    expect(diagnostics(result)).toEqual([
      'mid.yaml 9:7 parse/cfn-nested-stack nested stack Leaf: the parameters it passes to leaf.yaml (AdminCidr, Tag) are not followed, as they take 20 combinations of values, more than the 16 read per value; that template is checked with its own parameter values',
    ]);
    expect(peers(result)).toEqual(['BastionSG: unresolved !Ref AdminCidr', 'BastionSG: 10.1.0.0/16']);
  });

  // Regression (QA-13 03): a SAM nested application with a local Location was not followed at all.
  it('follows a SAM application whose Location is a local template, as a nested stack', () => {
    const parent = file('sam/template.yaml', [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Bastion:',
      '    Type: AWS::Serverless::Application',
      '    Properties:',
      '      Location: ./bastion.yaml',
      '      Parameters: { AdminCidr: 0.0.0.0/0 }',
      '  Published:',
      '    Type: AWS::Serverless::Application',
      '    Properties:',
      '      Location: { ApplicationId: "arn:aws:serverlessrepo:us-east-1:123456789012:applications/bastion", SemanticVersion: 1.0.0 }',
      '      Parameters: { AdminCidr: 0.0.0.0/0 }',
      '',
    ].join('\n'));
    const result = parse([parent, file('sam/bastion.yaml', BASTION)], { 'AWS::Region': 'eu-west-1' });
    expect(diagnostics(result)).toEqual([]);
    expect(peers(result)).toEqual(['BastionSG: 0.0.0.0/0', 'BastionSG: 10.1.0.0/16']);
    expect(cloudFormationUnitGroups([parent, file('sam/bastion.yaml', BASTION)]).map((group) => group.length)).toEqual([2]);
  });
});
