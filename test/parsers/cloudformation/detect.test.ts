import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';

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

  it.each([
    ['.github/workflows/ci.yml', 'name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n'],
    ['k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'],
    ['docker-compose.yml', 'services:\n  web:\n    image: nginx\n'],
    ['package.json', '{"name": "x", "version": "1.0.0"}'],
    ['params.json', readFileSync(join(fixtures, 'resolution/params.json'), 'utf8')],
    ['notes.yaml', 'Resources: the AWS docs list them all\n'],
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
