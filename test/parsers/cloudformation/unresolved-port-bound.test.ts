import { scanFiles } from '../../helpers/scan-fixture';

// A range with one bound known (`FromPort: 443, ToPort: !Ref P`) was judged on every port: FW101 named ports it can
// never open, and FW104 called egress on it "any port", which it never is. Terraform's reader bounds it (UnknownValue.
// portsWithin); the CloudFormation reader now does the same for FromPort/ToPort and a NACL entry's PortRange.
describe('CloudFormation rules on a port range with one bound unresolved', () => {
  const result = scanFiles({
    'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  P:
    Type: Number
  Proto:
    Type: String
Resources:
  Low:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: low
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: !Ref P
          CidrIp: 0.0.0.0/0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: !Ref P
          CidrIp: 0.0.0.0/0
  High:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: high
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: !Ref P
          ToPort: 1024
          CidrIp: 0.0.0.0/0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: !Ref P
          ToPort: 1024
          CidrIp: 0.0.0.0/0
  Zero:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: zero
      VpcId: vpc-1
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 0
          ToPort: !Ref P
          CidrIp: 0.0.0.0/0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 0
          ToPort: !Ref P
          CidrIp: 0.0.0.0/0
  Standalone:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Low
      IpProtocol: udp
      FromPort: 8000
      ToPort: !Ref P
      CidrIp: 0.0.0.0/0
  AnyProtocol:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref High
      IpProtocol: !Ref Proto
      FromPort: 443
      ToPort: !Ref P
      CidrIp: 0.0.0.0/0
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-1
  AclEntry:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange:
        From: 443
        To: !Ref P
`,
  });

  it('judges the rule by FW101 on the ports it can open whatever the value is', () => {
    expect(result.diagnostics).toEqual([]);
    const open = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(open.map((finding) => `${finding.location.range.startLine} ${String(finding.properties?.possiblePorts)} ${finding.message.replace(/.*statically, so /, '')}`)).toEqual([
      '17 443-65535 any port but tcp/0-442 may be open',
      '32 0-1024 any port but tcp/1025-65535 may be open',
      '47 0-65535 any port may be open',
      // AWS::EC2::SecurityGroupIngress on UDP.
      '60 8000-65535 any port but udp/0-7999 may be open',
      // Protocol unresolved too: the bound holds for the TCP/UDP it may be.
      '68 443-65535 any protocol and port may be open',
      // AWS::EC2::NetworkAclEntry PortRange { From: 443, To: !Ref P }.
      '80 443-65535 any port but tcp/0-442 may be open',
    ]);
  });

  it('reports egress on it as every port (FW104) only where the known bound leaves every port possible', () => {
    const egress = result.findings.filter((finding) => finding.checkId === 'FW104');
    expect(egress.map((finding) => `${finding.location.range.startLine} ${String(finding.properties?.possiblePorts)}`)).toEqual(['52 0-65535']);
    // FW303 still names every unresolved bound, and the unresolved protocol.
    expect(result.findings.filter((finding) => finding.checkId === 'FW303')).toHaveLength(10);
  });
});
