import { contentKeyOf, ruleContentKey } from '../../../src/model';
import { brief, readFixture, readText, rule, rulesOf, target } from './read-fixture';

describe('AWS CDK v2 L2 SecurityGroup', () => {
  const result = readFixture('l2-security-group.ts');

  it('names groups by construct path, using the id the stack is instantiated with', () => {
    expect(result.targets.map((t) => t.id)).toEqual(['ProdStack/WebSg', 'ProdStack/DbSg', 'ProdStack/DualStackSg']);
    expect(target(result, 'ProdStack/WebSg')).toMatchObject({
      kind: 'cdk',
      platform: 'aws-sg',
      resourceType: 'aws-cdk-lib.aws_ec2.SecurityGroup',
      // From `new` to the id argument.
      location: { file: 'fixtures/cdk/l2-security-group.ts', range: { startLine: 12, startColumn: 17, endLine: 12, endColumn: 52 } },
    });
  });

  it('reads every Peer and Port form', () => {
    expect(rulesOf(result, 'ProdStack/WebSg')).toEqual([
      'ProdStack/WebSg.allowAllOutbound#0: out allow all 0-65535 0.0.0.0/0',
      'ProdStack/WebSg.addIngressRule[0]#0: in allow tcp 443 0.0.0.0/0',
      'ProdStack/WebSg.addIngressRule[1]#0: in allow tcp 8000-8100 10.0.0.0/16',
      'ProdStack/WebSg.addIngressRule[2]#0: in allow tcp 80 ::/0',
      'ProdStack/WebSg.addIngressRule[3]#0: in allow tcp 0-65535 prefix list pl-0123456789abcdef0',
      'ProdStack/WebSg.addIngressRule[4]#0: in allow udp 53 security group sg-0123456789abcdef0',
      'ProdStack/WebSg.addIngressRule[5]#0: in allow icmp 0-65535 icmp 8/any 192.0.2.0/24',
      'ProdStack/WebSg.addIngressRule[6]#0: in allow icmp 0-65535 icmp 3/4 192.0.2.0/24',
    ]);
  });

  it('locates a rule at its call and its peer at the peer argument', () => {
    const https = rule(result, 'ProdStack/WebSg', 'ProdStack/WebSg.addIngressRule[0]#0');
    expect(https).toMatchObject({
      kind: 'cdk',
      resourceAddress: 'ProdStack/WebSg.addIngressRule[0]',
      location: { file: 'fixtures/cdk/l2-security-group.ts', range: { startLine: 13, startColumn: 5, endLine: 13, endColumn: 85 } },
      peerLocation: { file: 'fixtures/cdk/l2-security-group.ts', range: { startLine: 13, startColumn: 24, endLine: 13, endColumn: 42 } },
      description: 'https from anywhere',
      priority: null,
      enabled: true,
      unknowns: [],
    });
    expect(https.synthetic).toBeUndefined();
    expect(contentKeyOf(https)).toBe(ruleContentKey(https));
  });

  it('adds the default allow-all IPv4 egress as a synthetic rule at the new expression', () => {
    const egress = rule(result, 'ProdStack/WebSg', 'ProdStack/WebSg.allowAllOutbound#0');
    expect(egress).toMatchObject({ synthetic: true, direction: 'out', description: 'Allow all outbound traffic by default' });
    expect(egress.location.range).toEqual({ startLine: 12, startColumn: 17, endLine: 12, endColumn: 87 });
    expect(egress.peerLocation).toBeUndefined();
  });

  it('keeps allowAllOutbound: false groups free of egress, and reads group peers and self', () => {
    expect(rulesOf(result, 'ProdStack/DbSg')).toEqual([
      'ProdStack/DbSg.addIngressRule[0]#0: in allow tcp 5432 security group ProdStack/WebSg',
      'ProdStack/DbSg.addEgressRule[0]#0: out allow udp 1024-2048 10.0.0.0/16',
      'ProdStack/DbSg.addIngressRule[1]#0: in allow all 0-65535 the group itself',
      // The other side of DualStackSg.connections.allowFrom(db): CDK adds egress on db back to it.
      'ProdStack/DualStackSg.connections.allowFrom[0]#remote: out allow tcp 6379 security group ProdStack/DualStackSg',
      'ProdStack/DbSg.connections.allowFromAnyIpv4[0]#0: in allow tcp 22 0.0.0.0/0',
    ]);
  });

  it('reads allowAllIpv6Outbound: true as a written (not synthetic) rule, and connections methods', () => {
    expect(rulesOf(result, 'ProdStack/DualStackSg')).toEqual([
      'ProdStack/DualStackSg.allowAllOutbound#0: out allow all 0-65535 0.0.0.0/0',
      'ProdStack/DualStackSg.allowAllIpv6Outbound#0: out allow all 0-65535 ::/0',
      'ProdStack/DualStackSg.connections.allowFrom[0]#0: in allow tcp 6379 security group ProdStack/DbSg',
      'ProdStack/DualStackSg.connections.allowInternally[0]#0: in allow icmp 0-65535 icmp any/any the group itself',
    ]);
    const ipv6 = rule(result, 'ProdStack/DualStackSg', 'ProdStack/DualStackSg.allowAllIpv6Outbound#0');
    expect(ipv6.synthetic).toBeUndefined();
    expect(ipv6.peerLocation?.range).toEqual({ startLine: 30, startColumn: 88, endLine: 30, endColumn: 92 });
  });

  it('drops egress rules CDK ignores under allowAllOutbound, with CDK\'s warning', () => {
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'parse/cdk-ignored-egress', severity: 'warning', range: expect.objectContaining({ startLine: 33, startColumn: 5 }) }),
    ]);
  });

  it('turns fwlint comments into annotations', () => {
    expect(result.annotations).toEqual([{
      directive: 'profile', argument: 'lumen-cloud/linux', file: 'fixtures/cdk/l2-security-group.ts',
      range: { startLine: 11, startColumn: 5, endLine: 11, endColumn: 40 }, nextCodeLine: 12,
    }]);
  });

  it('reads allowAllOutbound: true written out as a user rule located at the value', () => {
    const explicit = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
new ec2.SecurityGroup(scope, 'Open', { vpc, allowAllOutbound: true });
`);
    const egress = rule(explicit, 'Open', 'Open.allowAllOutbound#0');
    expect(egress.synthetic).toBeUndefined();
    expect(egress.peerLocation?.range).toEqual({ startLine: 2, startColumn: 63, endLine: 2, endColumn: 67 });
  });

  it('reads imported groups, and rules on them only when they are mutable', () => {
    const imported = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const shared = ec2.SecurityGroup.fromSecurityGroupId(scope, 'Shared', 'sg-0123456789abcdef0', { allowAllOutbound: false });
shared.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
shared.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
const frozen = ec2.SecurityGroup.fromSecurityGroupId(scope, 'Frozen', 'sg-0fedcba9876543210', { mutable: false });
frozen.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
const untouched = ec2.SecurityGroup.fromSecurityGroupId(scope, 'Untouched', 'sg-0aaaaaaaaaaaaaaaa');
`);
    expect(imported.targets.map((t) => t.id)).toEqual(['Shared']);
    expect(rulesOf(imported, 'Shared')).toEqual([
      'Shared.addIngressRule[0]#0: in allow tcp 22 0.0.0.0/0',
      'Shared.addEgressRule[0]#0: out allow tcp 443 0.0.0.0/0',
    ]);
    expect(imported.diagnostics).toEqual([]);
  });

  it('reads the fwlint:profile tag: Tags.of(group).add() and L1 tags', () => {
    const tagged = readText(`import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
const web = new ec2.SecurityGroup(scope, 'Web', { vpc });
Tags.of(web).add('fwlint:profile', 'lumen-cloud/linux phase=operate');
Tags.of(web).add('team', 'web');
new ec2.CfnSecurityGroup(scope, 'Db', { groupDescription: 'db', tags: [{ key: 'fwlint:profile', value: 'lumen-cloud/windows options=x,y' }] });
`);
    expect(target(tagged, 'Web').profile).toEqual({
      ref: 'lumen-cloud/linux', phase: 'operate', options: [],
      location: { file: 'inline/stack.ts', range: { startLine: 4, startColumn: 36, endLine: 4, endColumn: 69 } },
    });
    expect(target(tagged, 'Db').profile).toMatchObject({ ref: 'lumen-cloud/windows', options: ['x', 'y'] });
  });

  it('adds an identical rule once, as CDK does (description aside)', () => {
    const twice = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Twice', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh');
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.SSH, 'ssh again');
sg.connections.allowFromAnyIpv4(ec2.Port.tcp(22));
`);
    expect(rulesOf(twice, 'Twice')).toEqual(['Twice.addIngressRule[0]#0: in allow tcp 22 0.0.0.0/0']);
  });

  it('reads `new ec2.Port({...})` and the Protocol enum', () => {
    const custom = readText(`import { Port, Protocol, Peer, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
const sg = new SecurityGroup(scope, 'Custom', { vpc, allowAllOutbound: false });
sg.addIngressRule(Peer.anyIpv4(), new Port({ protocol: Protocol.UDP, fromPort: 500, toPort: 500, stringRepresentation: 'ike' }));
sg.addIngressRule(Peer.anyIpv4(), new Port({ protocol: Protocol.ESP, stringRepresentation: 'esp' }));
sg.addIngressRule(Peer.anyIpv4(), Port.ah());
`);
    expect(target(custom, 'Custom').rules.map(brief)).toEqual([
      'in allow udp 500 0.0.0.0/0',
      'in allow esp 0-65535 0.0.0.0/0',
      'in allow ah 0-65535 0.0.0.0/0',
    ]);
  });
});

describe('AWS CDK L1 constructs (CloudFormation semantics)', () => {
  const result = readFixture('l1-cfn.ts');

  it('reads inline rules and adds the default egress of a group that lists none, one rule for both families', () => {
    expect(rulesOf(result, 'L1Stack/WebSG')).toEqual([
      'L1Stack/WebSG.securityGroupEgress[default]#0: out allow all 0-65535 0.0.0.0/0, ::/0',
      'L1Stack/WebSG.securityGroupIngress[0]#0: in allow tcp 22 0.0.0.0/0',
      'L1Stack/WebSG.securityGroupIngress[1]#0: in allow icmpv6 0-65535 icmp any/any ::/0',
    ]);
    const ssh = rule(result, 'L1Stack/WebSG', 'L1Stack/WebSG.securityGroupIngress[0]#0');
    expect(ssh).toMatchObject({ description: 'ssh', resourceAddress: 'L1Stack/WebSG.securityGroupIngress[0]' });
    expect(ssh.location.range).toEqual({ startLine: 11, startColumn: 9, endLine: 11, endColumn: 97 });
    expect(ssh.peerLocation?.range).toEqual({ startLine: 11, startColumn: 64, endLine: 11, endColumn: 75 });
    const fallback = rule(result, 'L1Stack/WebSG', 'L1Stack/WebSG.securityGroupEgress[default]#0');
    expect(fallback.synthetic).toBe(true);
    // Only the head of the construct: an annotation above an ingress item must not attach to the default rule.
    expect(fallback.location.range).toEqual({ startLine: 8, startColumn: 17, endLine: 8, endColumn: 55 });
  });

  it('joins standalone ingress and egress by attrGroupId and ref, reading self and group peers', () => {
    expect(rulesOf(result, 'L1Stack/DbSG')).toEqual([
      'L1Stack/DbSG.securityGroupEgress[0]#0: out allow tcp 443 10.0.0.0/8',
      'L1Stack/DbFromWeb#0: in allow tcp 5432 security group L1Stack/WebSG',
      'L1Stack/DbToItself#0: out allow all 0-65535 the group itself',
    ]);
    expect(rule(result, 'L1Stack/DbSG', 'L1Stack/DbFromWeb#0').location.range).toEqual({ startLine: 19, startColumn: 5, endLine: 25, endColumn: 7 });
  });

  it('keeps a standalone rule whose group is not in the file as its own target', () => {
    expect(target(result, 'L1Stack/Orphan')).toMatchObject({ resourceType: 'aws-cdk-lib.aws_ec2.CfnSecurityGroupIngress', platform: 'aws-sg' });
    expect(target(result, 'L1Stack/Orphan').unknowns).toBeUndefined();
    expect(rulesOf(result, 'L1Stack/Orphan')).toEqual(['L1Stack/Orphan#0: in allow esp 0-65535 192.0.2.0/24']);
  });

  it('reads network ACL entries with rule numbers, actions and direction', () => {
    expect(target(result, 'L1Stack/Acl')).toMatchObject({ platform: 'aws-nacl', resourceType: 'aws-cdk-lib.aws_ec2.CfnNetworkAcl' });
    expect(rulesOf(result, 'L1Stack/Acl')).toEqual([
      'L1Stack/DenySsh#0: in deny tcp 22 0.0.0.0/0 #90',
      'L1Stack/AllowOut#0: out allow all 0-65535 ::/0 #100',
    ]);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('import aliases', () => {
  it('follows named and renamed imports', () => {
    const result = readFixture('aliases-named-imports.ts');
    expect(rulesOf(result, 'Prod/Bastion')).toEqual([
      'Prod/Bastion.allowAllOutbound#0: out allow all 0-65535 0.0.0.0/0',
      'Prod/Bastion.addIngressRule[0]#0: in allow tcp 22 0.0.0.0/0',
    ]);
  });

  it('follows `aws_ec2 as ec2` and `cdk.aws_ec2`, naming a stack never instantiated after its class', () => {
    const result = readFixture('aliases-namespace-member.ts');
    expect(result.targets.map((t) => t.id)).toEqual(['EdgeStack/A', 'EdgeStack/B']);
    expect(rulesOf(result, 'EdgeStack/B')).toEqual(['EdgeStack/B.addIngressRule[0]#0: in allow tcp 443 security group EdgeStack/A']);
  });

  it('follows require() with destructuring and renaming, without loading anything', () => {
    const result = readFixture('aliases-require.js');
    expect(rulesOf(result, 'Legacy/Legacy')).toEqual([
      'Legacy/Legacy.allowAllOutbound#0: out allow all 0-65535 0.0.0.0/0',
      'Legacy/Legacy.addIngressRule[0]#0: in allow tcp 21 203.0.113.0/24',
    ]);
  });

  it('reads CDK v1 packages and `import x = require()`', () => {
    const result = readFixture('aliases-cdk-v1.ts');
    expect(rulesOf(result, 'V1Stack/Old')).toEqual([
      'V1Stack/Old.allowAllOutbound#0: out allow all 0-65535 0.0.0.0/0',
      'V1Stack/Old.connections.allowFrom[0]#0: in allow tcp 23 0.0.0.0/0',
    ]);
  });

  it('does not take a local class or function of the same name for the library one', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
class SecurityGroup { constructor(..._args: unknown[]) {} addIngressRule(..._args: unknown[]) {} }
const mine = new SecurityGroup(scope, 'Mine', {});
mine.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
`);
    expect(result.targets).toEqual([]);
  });

  it('names constructs below a stack by their full path', () => {
    const result = readText(`import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
class Tier extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ec2.SecurityGroup(this, 'Sg', { vpc, allowAllOutbound: false });
  }
}
class Site extends Stack {
  constructor(scope: App, id: string) {
    super(scope, id);
    new Tier(this, 'Web');
    new Tier(this, 'Api');
  }
}
const app = new App();
new Site(app, 'Prod');
new Site(app, 'Test');
`);
    expect(result.targets.map((t) => t.id)).toEqual(['Prod/Web/Sg', 'Prod/Api/Sg', 'Test/Web/Sg', 'Test/Api/Sg']);
  });
});

describe('AWS CDK v2 L2 NetworkAcl', () => {
  const result = readFixture('l2-network-acl.ts');

  it('reads acl.addEntry() and new NetworkAclEntry() as the CfnNetworkAclEntry CDK writes: allow and ingress by default', () => {
    expect(target(result, 'Edge/Edge')).toMatchObject({ platform: 'aws-nacl', resourceType: 'aws-cdk-lib.aws_ec2.NetworkAcl' });
    expect(rulesOf(result, 'Edge/Edge')).toEqual([
      'Edge/Edge/DenyTelnet#0: in deny tcp 23 0.0.0.0/0 #90',
      'Edge/Edge/Ssh#0: in allow tcp 22 0.0.0.0/0 #100',
      'Edge/Edge/Web#0: in allow tcp 80-443 10.0.0.0/8 #110',
      'Edge/Edge/AllOut#0: out allow all 0-65535 ::/0 #100',
      'Edge/Edge/Dns#0: out allow udp 53 2001:db8::/32 #120',
      'Edge/Ping#0: in allow icmp 0-65535 icmp 8/any 0.0.0.0/0 #130',
      // props.openRdp is false where the stack is instantiated.
      'Edge/Rdp#0: in allow tcp 3389 10.1.0.0/16 #140',
      'Edge/Admin#0: in allow udp 161 192.0.2.0/24 #150',
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('locates an entry at its call and its peer at the AclCidr', () => {
    expect(rule(result, 'Edge/Edge', 'Edge/Edge/Ssh#0')).toMatchObject({
      resourceAddress: 'Edge/Edge/Ssh',
      location: { range: { startLine: 12, startColumn: 5 } },
      peerLocation: { range: { startLine: 12, startColumn: 50, endLine: 12, endColumn: 71 } },
    });
  });

  it('reads entries added to an imported ACL on a target of its own', () => {
    expect(target(result, 'Edge/Shared')).toMatchObject({ platform: 'aws-nacl', resourceType: 'aws-cdk-lib.aws_ec2.NetworkAcl (imported)' });
    expect(rulesOf(result, 'Edge/Shared')).toEqual(['Edge/Shared/Db#0: in allow tcp 5432 0.0.0.0/0 #200']);
  });

  it('reads each side of a conditional AclCidr or L1 entry property, and records what it cannot read', () => {
    const read = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
declare const open: boolean;
const acl = new ec2.NetworkAcl(stack, 'Edge', { vpc });
new ec2.NetworkAclEntry(stack, 'Rdp', { networkAcl: acl, ruleNumber: 140, cidr: open ? ec2.AclCidr.anyIpv4() : ec2.AclCidr.ipv4('10.1.0.0/16'), traffic: ec2.AclTraffic.tcpPort(3389) });
acl.addEntry('Ssh', { ruleNumber: 150, cidr: ec2.AclCidr.ipv4(open ? '0.0.0.0/0' : '10.0.0.0/8'), traffic: ec2.AclTraffic.tcpPort(22) });
acl.addEntry('Custom', { ruleNumber: 160, cidr: ec2.AclCidr.anyIpv4(), traffic: helpers.traffic() });
new ec2.CfnNetworkAclEntry(stack, 'L1', { networkAclId: acl.networkAclId, ruleNumber: 170, protocol: 6, ruleAction: 'allow', cidrBlock: open ? '0.0.0.0/0' : '10.2.0.0/16', portRange: { from: 80, to: 80 } });
new ec2.NetworkAclEntry(stack, 'Lost', { networkAcl: someAcl, ruleNumber: 1, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.allTraffic() });
`);
    expect(read.targets.find((t) => t.id === 'Edge')!.rules.map((r) => `${brief(r)} ${r.branch ?? ''}`)).toEqual([
      'in allow tcp 3389 0.0.0.0/0 #140 open',
      'in allow tcp 3389 10.1.0.0/16 #140 !open',
      'in allow tcp 22 0.0.0.0/0 #150 open',
      'in allow tcp 22 10.0.0.0/8 #150 !open',
      // Traffic not known: kept on every protocol and port it could be, the unknown on the rule.
      'in allow <unresolved protocol: helpers.traffic()> 0-65535 0.0.0.0/0 #160 ',
      // An L1 entry with a conditional property, joined to the L2 ACL through networkAclId.
      'in allow tcp 80 0.0.0.0/0 #170 open',
      'in allow tcp 80 10.2.0.0/16 #170 !open',
    ]);
    expect(read.targets.find((t) => t.id === 'Edge')!.rules.find((r) => r.priority === 160)!.unknowns).toEqual([expect.objectContaining({ field: 'Edge/Custom.traffic', expr: 'helpers.traffic()' })]);
    expect(read.targets.find((t) => t.id === 'Edge')!.unknowns).toBeUndefined();
    // An entry whose ACL cannot be resolved is kept on a target of its own (a world-open entry is still reported).
    expect(read.targets.find((t) => t.id === 'Lost')).toMatchObject({
      resourceType: 'aws-cdk-lib.aws_ec2.NetworkAclEntry',
      unknowns: [expect.objectContaining({ field: 'networkAcl', expr: 'someAcl' })],
    });
    expect(read.diagnostics).toEqual([]);
  });

  it('reports options CDK would reject at their line', () => {
    const read = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const acl = new ec2.NetworkAcl(stack, 'Edge', { vpc });
acl.addEntry('NoCidr', { ruleNumber: 170, traffic: ec2.AclTraffic.tcpPort(22) });
acl.addEntry('BadDirection', { ruleNumber: 180, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(22), direction: 'out' });
acl.addEntry('Reversed', { ruleNumber: 190, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.udpPortRange(60, 50) });
`);
    expect(read.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['parse/cdk-missing-property', 3, 'Edge/NoCidr: cidr (an ec2.AclCidr) is required'],
      ['parse/cdk-bad-property', 4, "Edge/BadDirection: direction must be ec2.TrafficDirection.INGRESS or EGRESS, not 'out'"],
      ['parse/cdk-bad-port', 5, 'Edge/Reversed: port range 60-50 is reversed'],
    ]);
    expect(read.targets.find((t) => t.id === 'Edge')!.rules).toEqual([]);
  });
});
