import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../../src/pipeline/scan';

/**
 * Regression (QA-13 01): a NACL entry whose RuleNumber has several possible values was read with one of them, untagged,
 * as the branches of the entry differ only in their number: the world-open SSH allow was reported either never
 * taking effect (FW301) or open always, depending on the order of AllowedValues or `!If` branches.
 */
describe('CloudFormation: a NACL entry\'s RuleNumber is read per value and branch', () => {
  const template = (ruleNumber: string, sections: string[] = []): string => [
    'AWSTemplateFormatVersion: "2010-09-09"',
    ...sections,
    'Resources:',
    '  Acl:',
    '    Type: AWS::EC2::NetworkAcl',
    '    Properties: {VpcId: vpc-1}',
    '  DenySsh:',
    '    Type: AWS::EC2::NetworkAclEntry',
    `    Properties: {NetworkAclId: !Ref Acl, RuleNumber: ${ruleNumber}, Protocol: 6, RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}`,
    '  AllowSsh:',
    '    Type: AWS::EC2::NetworkAclEntry',
    '    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, To: 22}}',
    '',
  ].join('\n');
  const findingsOf = (text: string): string[][] => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlint-nacl-number-'));
    writeFileSync(join(dir, 'acl.yaml'), text);
    const result = scan({ paths: ['acl.yaml'], cwd: dir, today: '2026-11-25' });
    return result.findings.map((finding) => [finding.checkId, finding.message]);
  };
  const strict = ['Parameters:', '  Strict: {Type: String, AllowedValues: ["true", "false"]}', 'Conditions:', '  IsStrict: !Equals [!Ref Strict, "true"]'];

  it.each([
    ['AllowedValues [50, 200]', '!Ref DenyNo', ['Parameters:', '  DenyNo: {Type: Number, AllowedValues: [50, 200]}'], 'DenyNo=200'],
    ['AllowedValues [200, 50]', '!Ref DenyNo', ['Parameters:', '  DenyNo: {Type: Number, AllowedValues: [200, 50]}'], 'DenyNo=200'],
    ['MinValue/MaxValue', '!Ref DenyNo', ['Parameters:', '  DenyNo: {Type: Number, MinValue: 99, MaxValue: 101}'], 'DenyNo=100|101'],
    ['!If [IsStrict, 200, 50]', '!If [IsStrict, 200, 50]', strict, 'IsStrict=true'],
    ['!If [IsStrict, 50, 200]', '!If [IsStrict, 50, 200]', strict, 'IsStrict=false'],
    ['!FindInMap by AWS::Region', '!FindInMap [Order, !Ref "AWS::Region", Deny]', ['Mappings:', '  Order:', '    eu-west-1: {Deny: 50}', '    us-east-1: {Deny: 200}'], 'AWS::Region=us-east-1'],
  ])('%s: the allow is world-open where the deny comes after it, and only there', (_name, ruleNumber, sections, branch) => {
    expect(findingsOf(template(ruleNumber, sections))).toEqual([['FW101', `Acl allows ingress from 0.0.0.0/0 on tcp/22 (when ${branch})`]]);
  });

  it('a rule number every branch agrees on is one rule, without a branch', () => {
    expect(findingsOf(template('!If [IsStrict, 50, 50]', strict))).toEqual([['FW301', 'Acl: allow rule AllowSsh (0.0.0.0/0) never takes effect; it is fully overridden by DenySsh']]);
  });
});
