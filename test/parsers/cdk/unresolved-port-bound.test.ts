import { scanFiles } from '../../helpers/scan-fixture';

// A range with one bound known (`Port.tcpRange(443, props.hi)`, Pulumi `fromPort: 443, toPort: cfg.requireNumber('hi')`)
// was judged on every port: FW101 named ports it can never open, and FW104 called egress on it "any port", which it
// never is. Terraform's reader bounds it (UnknownValue.portsWithin); the CDK and Pulumi readers now do the same.
describe('CDK and Pulumi rules on a port range with one bound unresolved', () => {
  const result = scanFiles({
    'stack.ts': `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

interface Props extends cdk.StackProps { hi: number }

export class Web extends cdk.Stack {
  constructor(scope: cdk.App, id: string, props: Props) {
    super(scope, id, props);
    const vpc = ec2.Vpc.fromLookup(this, 'Vpc', {});
    const sg = new ec2.SecurityGroup(this, 'Web', { vpc, allowAllOutbound: false });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(443, props.hi));
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(443, props.hi));
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.udpRange(props.hi, 1024));
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(0, props.hi));
    sg.addIngressRule(ec2.Peer.anyIpv4(), new ec2.Port({ protocol: ec2.Protocol.TCP, fromPort: 8000, toPort: props.hi, stringRepresentation: 'x' }));
    new ec2.CfnSecurityGroup(this, 'L1', {
      groupDescription: 'l1',
      vpcId: 'vpc-1',
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 443, toPort: props.hi, cidrIp: '0.0.0.0/0' }],
    });
    const acl = new ec2.NetworkAcl(this, 'Acl', { vpc });
    acl.addEntry('Https', { ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPortRange(443, props.hi) });
  }
}
`,
    'pulumi.ts': `import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

const cfg = new pulumi.Config();
new aws.ec2.SecurityGroup('api', {
  ingress: [{ protocol: 'tcp', fromPort: 443, toPort: cfg.requireNumber('hi'), cidrBlocks: ['0.0.0.0/0'] }],
  egress: [{ protocol: 'tcp', fromPort: 443, toPort: cfg.requireNumber('hi'), cidrBlocks: ['0.0.0.0/0'] }],
});
`,
  });
  const at = (finding: { location: { file: string; range: { startLine: number } } }): string => `${finding.location.file.replace(/.*\//, '')}:${finding.location.range.startLine}`;

  it('judges the rule by FW101 on the ports it can open whatever the value is', () => {
    expect(result.diagnostics).toEqual([]);
    const open = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(open.map((finding) => `${at(finding)} ${String(finding.properties?.possiblePorts)} ${finding.message.replace(/.*statically, so /, '')}`)).toEqual([
      // Pulumi inline ingress item.
      'pulumi.ts:6 443-65535 any port but tcp/0-442 may be open',
      // Port.tcpRange(443, props.hi), Port.udpRange(props.hi, 1024), new Port({ fromPort: 8000, toPort: props.hi }).
      'stack.ts:11 443-65535 any port but tcp/0-442 may be open',
      'stack.ts:13 0-1024 any port but udp/1025-65535 may be open',
      'stack.ts:15 8000-65535 any port but tcp/0-7999 may be open',
      // CfnSecurityGroup item, then an L2 NetworkAcl entry of AclTraffic.tcpPortRange(443, props.hi).
      'stack.ts:19 443-65535 any port but tcp/0-442 may be open',
      'stack.ts:22 443-65535 any port but tcp/0-442 may be open',
    ]);
  });

  it('reports egress on it as every port (FW104) only where the known bound leaves every port possible', () => {
    const egress = result.findings.filter((finding) => finding.checkId === 'FW104' && finding.properties?.possiblePorts !== undefined);
    expect(egress.map((finding) => `${at(finding)} ${String(finding.properties?.possiblePorts)}`)).toEqual(['stack.ts:14 0-65535']);
  });
});
