import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentKeyOf, ruleContentKey } from '../../../src/model';
import { readFixture, readText, REPO_ROOT } from './read-fixture';

const FIXTURES = readdirSync(join(REPO_ROOT, 'fixtures/cdk'), { recursive: true, encoding: 'utf8' })
  .filter((name) => /\.[cm]?[jt]s$/.test(name))
  .map((name) => name.replace(/\\/g, '/'))
  .sort();

describe('CDK reader robustness', () => {
  it.each(FIXTURES)('%s: rule ids are unique per target and content keys canonical', (fixture) => {
    const result = readFixture(fixture);
    for (const target of result.targets) {
      const ids = target.rules.map((rule) => rule.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const rule of target.rules) {
        expect(contentKeyOf(rule)).toBe(ruleContentKey(rule));
        expect(rule.kind).toBe('cdk');
        expect(rule.location.file).toBe(`fixtures/cdk/${fixture}`);
      }
    }
    expect(new Set(result.targets.map((target) => target.id)).size).toBe(result.targets.length);
  });

  it('never throws on truncated sources, and reports them', () => {
    for (const fixture of ['l2-security-group.ts', 'pulumi.ts', 'values.ts', 'l1-cfn.ts']) {
      const text = readFileSync(join(REPO_ROOT, 'fixtures/cdk', fixture), 'utf8');
      for (let end = 0; end < text.length; end += 37) {
        const result = readText(text.slice(0, end), `fixtures/cdk/${fixture}`);
        for (const diagnostic of result.diagnostics) expect(diagnostic.code).toMatch(/^parse\/cdk-/);
      }
    }
  });

  it('stops on runaway recursion and loops without hanging', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
function again(n: number): number { return again(n + 1) + again(n + 2); }
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
const ports = Array.from({ length: 100 }, (_, i) => i);
for (const a of [1, 2, 3, 4, 5, 6, 7, 8]) for (const b of [1, 2, 3, 4, 5, 6, 7, 8]) for (const c of [1, 2, 3, 4, 5, 6, 7, 8]) again(a + b + c);
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(again(1)));
for (const port of ports) sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(port));
`);
    expect(result.targets.map((target) => target.id)).toEqual(['Sg']);
    expect(result.targets[0]!.rules.flatMap((rule) => rule.unknowns.map((unknown) => unknown.field))).toEqual(['Sg.addIngressRule[0].port', 'Sg.addIngressRule[1].port']);
  });

  it('reports deeply nested code instead of overflowing the stack', () => {
    const depth = 3000;
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';\nconst x = ${'['.repeat(depth)}1${']'.repeat(depth)};\n`);
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual([expect.stringMatching(/^parse\/cdk-too-deep$/)]);
  });

  it('rejects sources over the size limit without reading them', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';\n${'// padding\n'.repeat(200_000)}`);
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['parse/cdk-too-large']);
  });
});
