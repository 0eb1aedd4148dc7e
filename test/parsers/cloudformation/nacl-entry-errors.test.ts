import { join } from 'node:path';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';

describe('CloudFormation network ACL entry errors', () => {
  it('names a rule number out of range as such, and a reversed port range as a port error', () => {
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: vpc-1 } }',
      '  Big:',
      '    Type: AWS::EC2::NetworkAclEntry',
      '    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 40000, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: { From: 22, To: 22 } }',
      '  Reversed:',
      '    Type: AWS::EC2::NetworkAclEntry',
      '    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: { From: 3389, To: 22 } }',
      '',
    ].join('\n');
    const path = 'nacl.yaml';
    const result = cloudFormationParser.parse([{ path, absolutePath: join(__dirname, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['parse/cfn-bad-rule-number', 6, 'Big: RuleNumber 40000 is not an integer in 1-32766'],
      ['parse/cfn-bad-port', 9, 'Reversed: port range 3389-22 is reversed'],
    ]);
  });
});
