import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';
import { unrecognisedTemplateReason } from '../../../src/parsers/cloudformation/detect';
import { MAX_DETECT_CHARS } from '../../../src/parsers/cdk/detect';
import { runCli } from '../../helpers/run-cli';

const fixtures = join(__dirname, '../../../fixtures/cloudformation');
const head = (relative: string) => readFileSync(join(fixtures, relative), 'utf8').slice(0, 4096);

describe('cloudFormationParser.detect', () => {
  it.each([
    'cases/bad-ssh-world.yaml',
    'cases/bad-ssh-world.json',
    'cases/sam-function.yaml',
    'resolution/nested-if.json',
    'pair/template.yaml',
  ])('detects %s by its content', (relative) => {
    expect(cloudFormationParser.detect(relative, head(relative))).toBe(true);
  });

  it('detects a template without AWSTemplateFormatVersion by its AWS:: resource types', () => {
    const text = 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n';
    expect(cloudFormationParser.detect('infra/network.yml', text)).toBe(true);
    expect(cloudFormationParser.detect('stack.template', '{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup"}}}')).toBe(true);
  });

  it('detects a SAM template whose Resources are past the first 4 KiB', () => {
    const text = `Transform: AWS::Serverless-2016-10-31\nGlobals:\n${'  # padding\n'.repeat(500)}Resources: {}\n`;
    expect(cloudFormationParser.detect('template.yaml', text.slice(0, 4096))).toBe(true);
  });

  /** AWS's ECS blue/green template form: no format version, a block-list `Transform` and a `Hooks` section. */
  const blueGreen = [
    'Transform:',
    "  - 'AWS::CodeDeployBlueGreen'",
    'Hooks:',
    '  CodeDeployBlueGreenHook:',
    "    Type: 'AWS::CodeDeploy::BlueGreen'",
    '    Properties:',
    '      ServiceRole: CodeDeployServiceRole',
    '      Applications: []',
    'Resources:',
    '  SG:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: x',
    '      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]',
    '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
    '',
  ].join('\n');

  it('detects a YAML template written as one flow mapping, by its format version as the first key', () => {
    expect(cloudFormationParser.detect('flow.yaml', '{AWSTemplateFormatVersion: "2010-09-09", Resources: {}}\n')).toBe(true);
  });

  it('detects a template with CloudFormation\'s own transforms, and one with a Hooks section by its shape', () => {
    expect(cloudFormationParser.detect('bluegreen.yaml', blueGreen)).toBe(true);
    const padding = `Globals:\n${'  # padding\n'.repeat(500)}`;
    for (const transform of ['AWS::CodeDeployBlueGreen', '[AWS::LanguageExtensions]', "\n  - 'AWS::LanguageExtensions'", 'AWS::SecretsManager-2020-07-23']) {
      expect(cloudFormationParser.detect('stack.yaml', `Transform: ${transform}\n${padding}`.slice(0, 4096))).toBe(true);
    }
    expect(cloudFormationParser.detect('stack.json', `{"Transform": ["AWS::CodeDeployBlueGreen"], "Hooks": {}, ${' '.repeat(5000)}`.slice(0, 4096))).toBe(true);
    // Without the transform, the shape: every top-level key (Hooks included) a template section.
    expect(cloudFormationParser.detect('bluegreen.yaml', blueGreen.replace(/^Transform:\n.*\n/, ''))).toBe(true);
    // A transform of another tool is no evidence.
    expect(cloudFormationParser.detect('tool.yaml', `Transform: AWS::SomethingElse\n${padding}`.slice(0, 4096))).toBe(false);
  });

  it('scans a blue/green template in a folder scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-detect-'));
    writeFileSync(join(dir, 'bluegreen.yaml'), blueGreen);
    const { stdout } = await runCli(['scan', '.', '--format', 'json'], dir);
    expect((JSON.parse(stdout).findings as Array<{ checkId: string; target: string; file: string }>).map((f) => `${f.checkId} ${f.target} ${f.file}`)).toContain('FW101 SG bluegreen.yaml');
  });

  /** A template without format version whose `Resources` start after 7 KB of `Parameters`. */
  const longParameters = (count: number): string => [
    'Parameters:',
    ...Array.from({ length: count }, (_, i) => `  P${i}:\n    Type: String\n    Default: value-${i}\n    Description: a parameter with a reasonably long description ${i}`),
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: open',
    '      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }]',
    '',
  ].join('\n');

  it('detects a template whose first 4 KiB are all Parameters, Conditions or Mappings, by their shape', () => {
    const yaml = longParameters(80);
    expect(yaml.indexOf('Resources:')).toBeGreaterThan(4096);
    expect(cloudFormationParser.detect('stack.yaml', yaml.slice(0, 4096))).toBe(true);
    const json = JSON.stringify({ Parameters: Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`P${i}`, { Type: 'String', Default: `value-${i}` }])), Resources: {} }, null, 2);
    expect(json.indexOf('"Resources"')).toBeGreaterThan(4096);
    expect(cloudFormationParser.detect('stack.json', json.slice(0, 4096))).toBe(true);
    expect(cloudFormationParser.detect('stack.yml', 'Description: x\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n')).toBe(true);
    expect(cloudFormationParser.detect('stack.yml', 'Mappings:\n  M: { a: { b: c } }\nOutputs:\n  Id: { Value: { "Fn::GetAtt": [Sg, GroupId] } }\n')).toBe(true);
    expect(cloudFormationParser.detect('stack.yml', 'Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n')).toBe(true);
  });

  it('scans such a template in a folder scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-detect-'));
    writeFileSync(join(dir, 'long-params.yaml'), longParameters(80));
    const { stdout } = await runCli(['scan', '.', '--format', 'json'], dir);
    expect((JSON.parse(stdout).findings as Array<{ checkId: string; target: string; file: string }>).map((f) => `${f.checkId} ${f.target} ${f.file}`)).toContain('FW101 Sg long-params.yaml');
  });

  /** QA 08: an enterprise template opening with a licence header longer than the 4 KiB detection window. */
  const licensed = (eol: string) => [
    '---',
    ...Array.from({ length: 70 }, (_, i) => `# Copyright (c) Example Corp. Licensed under the Apache License, Version 2.0. Line ${i + 1}`),
    '',
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: ssh',
    '      SecurityGroupIngress:',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }',
    '',
  ].join(eol);

  it('reads the 4 KiB after a header of comment lines, when given the whole text', () => {
    for (const text of [licensed('\n'), `\uFEFF${licensed('\r\n')}`]) {
      expect(text.indexOf('AWSTemplateFormatVersion')).toBeGreaterThan(4096);
      expect(cloudFormationParser.detect('stack.yaml', text.slice(0, 4096))).toBe(false);
      expect(cloudFormationParser.detect('stack.yaml', text.slice(0, 4096), text)).toBe(true);
    }
    // The header does not make other YAML a template, nor is a header past 256 KiB read through.
    const workflow = `${'# generated file, do not edit\n'.repeat(200)}name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n`;
    expect(cloudFormationParser.detect('ci.yml', workflow.slice(0, 4096), workflow)).toBe(false);
    const endless = `${'#\n'.repeat(MAX_DETECT_CHARS / 2)}${licensed('\n')}`;
    expect(cloudFormationParser.detect('stack.yaml', endless.slice(0, 4096), endless)).toBe(false);
  });

  it('finds a template after a long licence header in a folder scan (QA 08: it was skipped silently)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-detect-'));
    writeFileSync(join(dir, 'stack.yaml'), licensed('\n'));
    const { stdout, code } = await runCli(['scan', '.', '--format', 'json'], dir);
    expect((JSON.parse(stdout).findings as Array<{ checkId: string; target: string; severity: string }>).map((f) => `${f.checkId} ${f.target} ${f.severity}`)).toContain('FW101 Sg critical');
    expect(code).toBe(1);
  });

  /** QA-14 08: no format version, and Description plus a long Metadata (notes, parameter groups) before Resources. */
  const sshResource = ['  SG:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: x',
    '      SecurityGroupIngress:', '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }', ''];
  const longMetadata = (notes: number, section = 'Metadata') => [
    'Description: big',
    `${section}:`,
    '  Notes:',
    ...Array.from({ length: notes }, (_, i) => `    - "note number ${i + 1} about the stack layout and ownership"`),
    'Resources:',
    ...sshResource,
  ].join('\n');
  const longMetadataJson = (notes: number) => JSON.stringify({
    Description: 'big',
    Metadata: { Notes: Array.from({ length: notes }, (_, i) => `note number ${i + 1} about the stack layout and ownership`) },
    Resources: { SG: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } } },
  }, null, 2);

  it('reads past a head of only Description and Metadata (or SAM Globals) to the first other section, when given the whole text', () => {
    for (const [path, text] of [['stack.yaml', longMetadata(120)], ['stack.yaml', longMetadata(120, 'Globals')], ['stack.json', longMetadataJson(120)], ['stack.yaml', `\uFEFF${longMetadata(120).replace(/\n/g, '\r\n')}`]] as const) {
      expect(text.indexOf('Resources')).toBeGreaterThan(4096);
      expect(cloudFormationParser.detect(path, text.slice(0, 4096))).toBe(false);
      expect(cloudFormationParser.detect(path, text.slice(0, 4096), text)).toBe(true);
    }
    // The format version or a SAM transform after the long Metadata is found as well.
    const versioned = longMetadata(120).replace('Resources:', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:').replace(/Type: AWS::EC2::SecurityGroup/, 'Type: Custom::Thing');
    expect(cloudFormationParser.detect('stack.yaml', versioned.slice(0, 4096), versioned)).toBe(true);
    const sam = longMetadata(120).replace('Resources:', 'Transform: AWS::Serverless-2016-10-31\nResources:').replace(/Type: AWS::EC2::SecurityGroup/, 'Type: Custom::Thing');
    expect(cloudFormationParser.detect('template.yaml', sam.slice(0, 4096), sam)).toBe(true);
  });

  it('does not read past the head of other YAML, nor take a long Metadata file whose later keys are no template sections', () => {
    const later = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${sshResource.join('\n')}`;
    for (const opening of ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n', 'name: ci\non: [push]\njobs:\n  build:\n', 'services:\n  web:\n']) {
      const text = `${opening}${'  # padding line of an ordinary file\n'.repeat(200)}${later}`;
      expect(cloudFormationParser.detect('other.yaml', text.slice(0, 4096), text)).toBe(false);
      expect(unrecognisedTemplateReason('other.yaml', text)).toBeUndefined();
    }
    const notTemplate = longMetadata(120).replace('Resources:', 'spec:');
    expect(cloudFormationParser.detect('stack.yaml', notTemplate.slice(0, 4096), notTemplate)).toBe(false);
    expect(unrecognisedTemplateReason('stack.yaml', notTemplate)).toBeUndefined();
    // A file of only Description and Metadata, read to its end, is no template and nothing to mention.
    const described = longMetadata(120).slice(0, longMetadata(120).indexOf('Resources:'));
    expect(cloudFormationParser.detect('stack.yaml', described.slice(0, 4096), described)).toBe(false);
    expect(unrecognisedTemplateReason('stack.yaml', described)).toBeUndefined();
  });

  it('scans such a template in a folder scan and when named (QA-14 08: it was skipped silently, its FW101 missed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-detect-'));
    writeFileSync(join(dir, 'stack.yaml'), longMetadata(120));
    writeFileSync(join(dir, 'stack.json'), longMetadataJson(120));
    for (const args of [['.'], ['stack.yaml'], ['stack.json']]) {
      const { stdout, code } = await runCli(['scan', ...args, '--format', 'json'], dir);
      const findings = (JSON.parse(stdout).findings as Array<{ checkId: string; target: string; file: string; severity: string }>).map((f) => `${f.checkId} ${f.target} ${f.file} ${f.severity}`);
      expect(findings).toEqual(expect.arrayContaining(args[0] === '.' ? ['FW101 SG stack.json critical', 'FW101 SG stack.yaml critical'] : [`FW101 SG ${args[0]} critical`]));
      expect(code).toBe(1);
    }
  });

  it('warns, naming the file, of a file that looks like a template but cannot be decided; an error with the hint when it is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-detect-'));
    // Only Description and Metadata in the 256 KiB read, the rest unread.
    writeFileSync(join(dir, 'huge.yaml'), longMetadata(5000));
    // Every key a template section and a Resources mapping, but nothing of CloudFormation's in it.
    writeFileSync(join(dir, 'custom.yaml'), 'Description: x\nResources:\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      A: b\n');
    writeFileSync(join(dir, 'net.tf'), 'resource "aws_security_group" "a" {\n  name = "a"\n}\n');
    const folder = await runCli(['scan', '.', '--format', 'json'], dir);
    const diagnostics = (JSON.parse(folder.stdout).diagnostics as Array<{ code: string; file: string; severity: string; message: string }>).filter((d) => d.code === 'scan/unrecognised-template');
    expect(diagnostics.map((d) => `${d.file} ${d.severity}`)).toEqual(['custom.yaml warning', 'huge.yaml warning']);
    expect(diagnostics[1]!.message).toBe('not read: it looks like a CloudFormation template (every top-level key is a template section), but its first 256 KiB hold only Description and Metadata; start it with AWSTemplateFormatVersion: "2010-09-09" to have it read');
    expect(diagnostics[0]!.message).toContain('no AWS:: resource type, parameter type or intrinsic function appears in the 4 KiB detection reads');
    expect(folder.code).toBe(0);
    const named = await runCli(['scan', 'huge.yaml'], dir);
    expect(named.code).toBe(2);
    expect(named.stdout).toContain('not a recognised input (Terraform, CloudFormation, AWS CDK, CDKTF or Pulumi source, netsh export or script): it looks like a CloudFormation template');
    // With the format version first, the same file is read.
    writeFileSync(join(dir, 'huge.yaml'), `AWSTemplateFormatVersion: "2010-09-09"\n${longMetadata(5000)}`);
    const fixed = await runCli(['scan', 'huge.yaml', '--format', 'json'], dir);
    expect((JSON.parse(fixed.stdout).findings as Array<{ checkId: string }>).map((f) => f.checkId)).toContain('FW101');
  });

  it('warns of no ordinary YAML or JSON in a folder scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-detect-'));
    const files: Record<string, string> = {
      'k8s.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${'  key: value\n'.repeat(600)}`,
      'ci.yml': `name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${'      - run: echo\n'.repeat(400)}`,
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
      'playbook.yml': '- hosts: all\n  tasks:\n    - name: ping\n      ping:\n',
      'codepipeline.json': '{"Parameters": {"Env": "prod"}}',
      'notes.yaml': 'Resources: the AWS docs list them all\n',
      'described.yaml': 'Description: a list of things\nMetadata:\n  Type: String\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const { stdout } = await runCli(['scan', '.', '--format', 'json'], dir);
    expect((JSON.parse(stdout).diagnostics as Array<{ code: string }>).map((d) => d.code)).toEqual(['scan/no-inputs']);
    for (const [name, text] of Object.entries(files)) expect(unrecognisedTemplateReason(name, text)).toBeUndefined();
  });

  it.each([
    ['k8s/configmap.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  Resources: "Type: AWS::EC2::SecurityGroup"\n'],
    ['azure-pipelines.yml', 'parameters:\n  - name: env\n    type: string\n    default: dev\nsteps:\n  - script: echo\n'],
    ['pipeline/config.json', '{"Parameters": {"Env": "prod", "Type": "String"}, "Tags": {"team": "net"}}'],
    ['codepipeline.json', '{"Parameters": {"Env": "prod"}}'],
    ['tool.yaml', 'name: tool\nParameters:\n  Size:\n    Type: String\n'],
    ['serverless.yml', 'service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    Sg:\n      Type: AWS::EC2::SecurityGroup\n'],
    ['described.yaml', 'Description: a list of things\nMetadata:\n  Type: String\n'],
    ['.github/workflows/ci.yml', 'name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n'],
    ['k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'],
    ['docker-compose.yml', 'services:\n  web:\n    image: nginx\n'],
    ['package.json', '{"name": "x", "version": "1.0.0"}'],
    ['params.json', readFileSync(join(fixtures, 'resolution/params.json'), 'utf8')],
    ['notes.yaml', 'Resources: the AWS docs list them all\n'],
    // Regression (QA-13 09): a manifest carrying a template in a block scalar or a string was claimed by the template's keys.
    ['chart/templates/stack.yaml', 'apiVersion: cloudformation.linki.space/v1alpha1\nkind: Stack\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template: |\n    AWSTemplateFormatVersion: "2010-09-09"\n    Transform: AWS::Serverless-2016-10-31\n    Resources:\n      SG:\n        Type: AWS::EC2::SecurityGroup\n'],
    ['k8s/template-cm.json', '{"apiVersion": "v1", "kind": "ConfigMap", "data": {"template.yaml": "AWSTemplateFormatVersion: \\"2010-09-09\\"\\nTransform: AWS::Serverless-2016-10-31\\n"}, "spec": {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31"}}'],
  ])('does not claim other YAML/JSON: %s', (path, text) => {
    expect(cloudFormationParser.detect(path, text)).toBe(false);
  });

  it('ignores the content of files with other extensions', () => {
    expect(cloudFormationParser.detect('README.md', 'AWSTemplateFormatVersion: "2010-09-09"\n')).toBe(false);
    expect(cloudFormationParser.detect('main.tf', 'AWSTemplateFormatVersion: "2010-09-09"\n')).toBe(false);
  });

  it('never throws, whatever it is given', () => {
    expect(cloudFormationParser.detect('x.yaml', '')).toBe(false);
    expect(cloudFormationParser.detect(undefined as unknown as string, undefined as unknown as string)).toBe(false);
    expect(cloudFormationParser.detect('x.json', '\u0000\uFFFF{{{{')).toBe(false);
  });
});
