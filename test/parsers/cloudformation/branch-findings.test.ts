import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/scan-fixture';
import { runCli } from '../../helpers/run-cli';
import { scan } from '../../../src/pipeline/scan';

/** Findings on a rule from one branch of an undecidable `Fn::If` say which branch, in every output format. */
describe('CloudFormation findings name their Fn::If branch', () => {
  const fixture = 'fixtures/cloudformation/resolution/nested-if.yaml';

  it('text: the message ends with the condition assignment, implicit egress included', async () => {
    const { stdout } = await runCli(['scan', fixture, '--format', 'text', '--no-color'], REPO_ROOT);
    expect(stdout).toContain('NestedSG allows ingress from 0.0.0.0/0 on tcp/443 (when IsProd=false)');
    expect(stdout).toContain('NestedSG allows ingress from 0.0.0.0/0 on tcp/22 (when IsProd=false)');
    // The implicit egress exists only when SecurityGroupEgress is AWS::NoValue, i.e. when IsProd is false.
    expect(stdout).toContain("NestedSG allows egress to 0.0.0.0/0, ::/0 on all traffic (the platform's implicit default egress, added because the group lists no egress rule) (when IsProd=false)");
  });

  it('SARIF: message and a `branch` property', async () => {
    const { stdout } = await runCli(['scan', fixture, '--format', 'sarif'], REPO_ROOT);
    const results = JSON.parse(stdout).runs[0].results as Array<{ ruleId: string; message: { text: string }; properties: Record<string, unknown> }>;
    const https = results.find((result) => result.message.text.includes('tcp/443'));
    expect(https?.message.text).toBe('NestedSG allows ingress from 0.0.0.0/0 on tcp/443 (when IsProd=false)');
    expect(https?.properties['branch']).toBe('IsProd=false');
    expect(results.every((result) => result.properties['branch'] === 'IsProd=false')).toBe(true);
  });

  it('JSON: a finding from a rule under two conditions lists both; one without a branch has neither suffix nor property', async () => {
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Env: { Type: String }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  IsEu: !Equals [!Ref "AWS::Region", eu-west-1]',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: []',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, !If [IsEu, 0.0.0.0/0, 10.0.0.0/8], 10.0.0.0/8] }',
      '        - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0 }',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-branch-'));
    writeFileSync(join(dir, 'sg.yaml'), template);
    const { stdout } = await runCli(['scan', 'sg.yaml', '--format', 'json'], dir);
    const findings = (JSON.parse(stdout).findings as Array<{ message: string; properties: Record<string, unknown> }>)
      .filter((finding) => finding.message.includes('allows ingress'));
    expect(findings.map((finding) => [finding.message, finding.properties['branch']]).sort()).toEqual([
      ['Sg allows ingress from 0.0.0.0/0 on tcp/443 (when IsProd=true, IsEu=true)', 'IsProd=true,IsEu=true'],
      ['Sg allows ingress from 0.0.0.0/0 on tcp/80', undefined],
    ]);
  });

  it('a FindInMap keyed by a parameter with AllowedValues and no value: the world-open value is critical, with its branch (QA 01)', async () => {
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Env:',
      '    Type: String',
      '    AllowedValues: [prod, dev]',
      'Mappings:',
      '  Nets:',
      '    prod: { Rdp: 10.0.0.0/8 }',
      '    dev: { Rdp: 0.0.0.0/0 }',
      'Resources:',
      '  WebSG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: web',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !FindInMap [Nets, !Ref Env, Rdp] }',
      '      SecurityGroupEgress:',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-branch-'));
    writeFileSync(join(dir, 'template.yaml'), template);
    const { stdout, code } = await runCli(['scan', 'template.yaml', '--format', 'json'], dir);
    const findings = JSON.parse(stdout).findings as Array<{ checkId: string; severity: string; message: string; properties: Record<string, unknown> }>;
    expect(findings.map((finding) => [finding.checkId, finding.severity, finding.message, finding.properties['branch']])).toEqual([
      ['FW101', 'critical', 'WebSG allows ingress from 0.0.0.0/0 on tcp/3389 (when Env=dev)', 'Env=dev'],
    ]);
    expect(code).toBe(1);
  });

  it('a warning about one branch (the source is AWS::NoValue there) says which branch, as findings do', () => {
    const template = [
      'Parameters:',
      '  Env: { Type: String }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }]',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsProd, 0.0.0.0/0, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: !If [IsProd, 80, 81], ToPort: 81 }',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-branch-'));
    writeFileSync(join(dir, 'sg.yaml'), template);
    const result = scan({ paths: ['sg.yaml'], cwd: dir, today: '2026-11-23' });
    expect(result.diagnostics.filter((d) => d.code === 'parse/cfn-rule-without-peer').map((d) => d.message)).toEqual([
      'Sg.SecurityGroupIngress[0] names no source (CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName); no rule is created (when IsProd=false)',
      // No source in either branch: the branch of another property is not named.
      'Sg.SecurityGroupIngress[1] names no source (CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName); no rule is created',
    ]);
    expect(result.findings.map((finding) => finding.message)).toContain('Sg allows ingress from 0.0.0.0/0 on tcp/22 (when IsProd=true)');
  });

  // Regression (QA): `IsNotProd: !Not [!Equals [!Ref Env, prod]]` was not known to exclude `IsProd`, so two halves of
  // IPv4 under the two conditions were a critical FW101 that no value of Env gives.
  it('knows a condition written out inside another (!Not [!Equals …]) excludes it, as !Not [!Condition …] does', () => {
    const template = [
      'Parameters:',
      '  Env: { Type: String }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  IsNotProd: !Not [!Equals [!Ref Env, prod]]',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }]',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !If [IsProd, 0.0.0.0/1, 10.0.0.0/16] }',
      '        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !If [IsNotProd, 128.0.0.0/1, 10.1.0.0/16] }',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-branch-'));
    writeFileSync(join(dir, 'sg.yaml'), template);
    const result = scan({ paths: ['sg.yaml'], cwd: dir, today: '2026-11-23' });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW302']);
  });
});
