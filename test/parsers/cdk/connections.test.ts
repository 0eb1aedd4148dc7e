import { readText, rulesOf, target } from './read-fixture';

/** `new ec2.Connections(…)` (issue 9, gap 6). */
describe('new ec2.Connections', () => {
  it('adds the rules to every group listed, the default port included', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const a = new ec2.SecurityGroup(scope, 'A', { vpc, allowAllOutbound: false });
const b = new ec2.SecurityGroup(scope, 'B', { vpc, allowAllOutbound: false });
const both = new ec2.Connections({ securityGroups: [a, b], defaultPort: ec2.Port.tcp(5432) });
both.allowDefaultPortFromAnyIpv4();
both.allowFrom(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(22));
new ec2.Connections({ securityGroups: [a] }).allowFromAnyIpv4(ec2.Port.tcp(6000));
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result, 'A')).toEqual([
      'A.connections.allowDefaultPortFromAnyIpv4[0]#0: in allow tcp 5432 0.0.0.0/0',
      'A.connections.allowFrom[0]#0: in allow tcp 22 10.0.0.0/8',
      'A.connections.allowFromAnyIpv4[0]#0: in allow tcp 6000 0.0.0.0/0',
    ]);
    expect(rulesOf(result, 'B')).toEqual([
      'B.connections.allowDefaultPortFromAnyIpv4[0]#0: in allow tcp 5432 0.0.0.0/0',
      'B.connections.allowFrom[0]#0: in allow tcp 22 10.0.0.0/8',
    ]);
  });

  it('keeps the rules of a Connections whose groups are unknown on a stand-in, the groups recorded (FW303)', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const conns = new ec2.Connections({ securityGroups: props.groups });
conns.allowFromAnyIpv4(ec2.Port.tcp(6000));
`);
    expect(rulesOf(result, 'conns')).toEqual(['conns.connections.allowFromAnyIpv4[0]#0: in allow tcp 6000 0.0.0.0/0']);
    expect(target(result, 'conns').unknowns?.map((unknown) => unknown.field)).toEqual(['securityGroups']);
  });

  // Regression (QA): `allowFrom(new ec2.Connections({ peer }))` was an error ("the peer must be an ec2.Peer …"),
  // exit 2, and the SSH port it opens to the world went unreported.
  it('reads a Connections made with a peer as that peer on the other side of allowFrom/allowTo', () => {
    const result = readText(`import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
const stack = new cdk.Stack(new cdk.App(), 'S');
const vpc = ec2.Vpc.fromLookup(stack, 'V', {});
const app = new ec2.SecurityGroup(stack, 'App', { vpc, allowAllOutbound: false });
app.connections.allowFrom(new ec2.Connections({ peer: ec2.Peer.anyIpv4() }), ec2.Port.tcp(22));
app.connections.allowTo(new ec2.Connections({ peer: ec2.Peer.ipv4('10.0.0.0/8') }), ec2.Port.tcp(443));
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result, 'S/App')).toEqual([
      'S/App.connections.allowFrom[0]#0: in allow tcp 22 0.0.0.0/0',
      'S/App.connections.allowTo[0]#0: out allow tcp 443 10.0.0.0/8',
    ]);
  });
});
