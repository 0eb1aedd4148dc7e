import { readFixture, readText, rule, rulesOf, target } from './read-fixture';

describe('Pulumi (@pulumi/aws)', () => {
  const result = readFixture('pulumi.ts');

  it('names targets by resource name and reads inline rules with Terraform semantics (no implicit egress)', () => {
    expect(result.targets.map((t) => t.id)).toEqual(['web', 'db']);
    expect(target(result, 'web')).toMatchObject({ kind: 'cdk', platform: 'aws-sg', resourceType: 'aws:ec2/securityGroup:SecurityGroup' });
    expect(rulesOf(result, 'web')).toEqual([
      'web.ingress[0]#0: in allow tcp 22 0.0.0.0/0',
      'web.ingress[0]#1: in allow tcp 22 198.51.100.0/24',
      'web.ingress[1]#0: in allow icmp 0-65535 icmp 8/any the group itself',
      'web.egress[0]#0: out allow all 0-65535 0.0.0.0/0',
      'web.egress[0]#1: out allow all 0-65535 ::/0',
      'web-rdp#0: in allow tcp 3389 0.0.0.0/0',
    ]);
    expect(rulesOf(result, 'db')).toEqual([
      'db.ingress[0]#0: in allow tcp 5432 security group web',
      'db-admin#0: in allow all 0-65535 unresolved config.require(\'adminCidr\')',
      'db-out#0: out allow all 0-65535 security group web',
    ]);
  });

  it('gives each peer of a list its own rule and location (a const is located where it is written)', () => {
    const office = rule(result, 'web', 'web.ingress[0]#1');
    expect(office.location.range).toEqual({ startLine: 12, startColumn: 5, endLine: 12, endColumn: 85 });
    expect(office.peerLocation?.range).toEqual({ startLine: 6, startColumn: 16, endLine: 6, endColumn: 33 });
  });

  it('joins SecurityGroupRule and vpc.SecurityGroup*Rule by securityGroupId: sg.id', () => {
    const admin = rule(result, 'db', 'db-admin#0');
    expect(admin).toMatchObject({ resourceAddress: 'db-admin', peer: { kind: 'unknown', expr: "config.require('adminCidr')" } });
    expect(admin.unknowns.map((unknown) => unknown.field)).toEqual(['cidrBlocks']);
    expect(admin.location.range).toEqual({ startLine: 23, startColumn: 1, endLine: 30, endColumn: 3 });
  });

  it('reads the fwlint:profile tag and comment', () => {
    expect(target(result, 'db').profile).toMatchObject({ ref: 'lumen-cloud/linux', phase: 'operate', options: [] });
    expect(result.annotations.map((annotation) => [annotation.directive, annotation.argument, annotation.range.startLine])).toEqual([['profile', 'lumen-cloud/linux', 8]]);
    expect(result.diagnostics).toEqual([]);
  });

  it('does not take a rule resource\'s id for its group\'s', () => {
    const chained = readText(`import * as aws from '@pulumi/aws';
const web = new aws.ec2.SecurityGroup('web', {});
const rule = new aws.ec2.SecurityGroupRule('rule', { type: 'ingress', securityGroupId: web.id, protocol: 'tcp', fromPort: 80, toPort: 80, cidrBlocks: ['10.0.0.0/8'] });
new aws.vpc.SecurityGroupIngressRule('other', { securityGroupId: rule.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' });
`);
    expect(rulesOf(chained, 'web')).toEqual(['rule#0: in allow tcp 80 10.0.0.0/8']);
    expect(target(chained, 'other').unknowns?.map((unknown) => `${unknown.field}=${unknown.expr}`)).toEqual(['securityGroupId=rule.id']);
  });

  it('reads a program exported as its entry point (`export = async () => …`)', () => {
    const program = readText(`import * as aws from '@pulumi/aws';
export = async () => {
  const sg = new aws.ec2.SecurityGroup('entry', { ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }] });
  return { id: sg.id };
};
`);
    expect(rulesOf(program, 'entry')).toEqual(['entry.ingress[0]#0: in allow tcp 22 0.0.0.0/0']);
  });

  // Regression: a conditional in a rule item made it unresolved (FW303), so a world-open side went unreported.
  it('reads a rule item with `c ? a : b` (the item, a field, a list element) once per side, under its condition', () => {
    const read = readText(`import * as aws from '@pulumi/aws';
const web = new aws.ec2.SecurityGroup('web', {
  ingress: [
    { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: [isPublic ? '0.0.0.0/0' : '10.0.0.0/8'] },
    isPublic ? { protocol: 'tcp', fromPort: 3389, toPort: 3389, cidrBlocks: ['0.0.0.0/0'] } : { protocol: 'tcp', fromPort: 3389, toPort: 3389, cidrBlocks: ['10.0.0.0/8'] },
    { protocol: 'tcp', fromPort: isPublic ? 80 : 8080, toPort: isPublic ? 80 : 8080, cidrBlocks: ['0.0.0.0/0'] },
  ],
});
`);
    expect(read.diagnostics).toEqual([]);
    // fromPort and toPort test the same condition: only the sides that agree are read (never 80-8080 or 8080-80).
    expect(target(read, 'web').rules.map((r) => `${r.resourceAddress} ${r.ports.toString()} ${r.peer.kind === 'addresses' ? r.peer.addresses.toString() : r.peer.kind} | ${r.branch}`)).toEqual([
      'web.ingress[0] 22 0.0.0.0/0 | isPublic',
      'web.ingress[0] 22 10.0.0.0/8 | !isPublic',
      'web.ingress[1] 3389 0.0.0.0/0 | isPublic',
      'web.ingress[1] 3389 10.0.0.0/8 | !isPublic',
      'web.ingress[2] 80 0.0.0.0/0 | isPublic',
      'web.ingress[2] 8080 0.0.0.0/0 | !isPublic',
    ]);
  });

  // Regression (QA): `cfg.get("sshFrom") ?? "0.0.0.0/0"` was an unresolved value (FW303 only): the world-open
  // default, taken whenever the stack config does not set the key, went unreported.
  it('reads a fallback (`??`, `||`) under the condition that the left side is not set, and the left side otherwise', () => {
    const read = readText(`import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const cfg = new pulumi.Config();
const web = new aws.ec2.SecurityGroup('web', {
  ingress: [
    { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: [cfg.get('sshFrom') ?? '0.0.0.0/0'] },
    { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [cfg.get('webFrom') || '10.0.0.0/8'] },
    { protocol: 'tcp', fromPort: 80, toPort: 80, cidrBlocks: ['192.0.2.0/24' ?? '0.0.0.0/0'] },
  ],
});
`);
    expect(target(read, 'web').rules.map((r) => `${r.resourceAddress} ${r.ports.toString()} ${r.peer.kind === 'addresses' ? r.peer.addresses.toString() : r.peer.kind} | ${r.branch}`)).toEqual([
      "web.ingress[0] 22 0.0.0.0/0 | cfg.get('sshFrom') == null",
      "web.ingress[0] 22 unknown | !(cfg.get('sshFrom') == null)",
      "web.ingress[1] 443 10.0.0.0/8 | !(cfg.get('webFrom'))",
      "web.ingress[1] 443 unknown | cfg.get('webFrom')",
      // A known left side is the value: nothing to split.
      'web.ingress[2] 80 192.0.2.0/24 | undefined',
    ]);
  });

  it('never takes the fallback of cfg.require (it throws when the key is not set), and brackets a chain in the condition', () => {
    const read = readText(`import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const cfg = new pulumi.Config();
const db = new aws.ec2.SecurityGroup('db', {
  ingress: [
    { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrBlocks: [cfg.require('dbFrom') ?? '0.0.0.0/0'] },
    { protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: [cfg.get('a') ?? cfg.get('b') ?? '0.0.0.0/0'] },
  ],
});
`);
    expect(target(read, 'db').rules.map((r) => `${r.resourceAddress} ${r.ports.toString()} ${r.peer.kind === 'addresses' ? r.peer.addresses.toString() : r.peer.kind} | ${r.branch}`)).toEqual([
      'db.ingress[0] 5432 unknown | undefined',
      "db.ingress[1] 22 0.0.0.0/0 | (cfg.get('a') ?? cfg.get('b')) == null",
      "db.ingress[1] 22 unknown | !((cfg.get('a') ?? cfg.get('b')) == null)",
    ]);
  });

  // Regression (QA 5/10): a loop over `cfg.getObject('ports') ?? [3389]` took the list as one unknown, so the world-open
  // RDP default was "any port" (high) instead of critical tcp/3389.
  it('runs a loop (for…of, forEach, map) over a list with a fallback once per side: the fallback list under its condition', () => {
    const read = readText(`import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
const cfg = new pulumi.Config();
const ports = cfg.getObject<number[]>('rdpPorts') ?? [3389];
const web = new aws.ec2.SecurityGroup('web', {});
for (const p of ports) {
  new aws.ec2.SecurityGroupRule(\`rdp-\${p}\`, { type: 'ingress', securityGroupId: web.id, protocol: 'tcp', fromPort: p, toPort: p, cidrBlocks: ['0.0.0.0/0'] });
}
(cfg.getObject<number[]>('sshPorts') || [22, 2222]).forEach((port) => {
  new aws.ec2.SecurityGroupRule(\`ssh-\${port}\`, { type: 'ingress', securityGroupId: web.id, protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: ['0.0.0.0/0'] });
});
const cidrs = (cfg.getObject<string[]>('webFrom') ?? ['0.0.0.0/0']).map((cidr) => cidr);
for (const cidr of cidrs) {
  new aws.ec2.SecurityGroupRule('web-443', { type: 'ingress', securityGroupId: web.id, protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [cidr] });
}
`);
    expect(read.diagnostics).toEqual([]);
    expect(target(read, 'web').rules.map((r) => `${r.resourceAddress} ${r.ports.toString()} ${r.peer.kind === 'addresses' ? r.peer.addresses.toString() : r.peer.kind} | ${r.branch}`)).toEqual([
      "rdp-3389 3389 0.0.0.0/0 | cfg.getObject<number[]>('rdpPorts') == null",
      // The unknown side as before: a loop over unknown elements.
      "rdp-${p}  0.0.0.0/0 | !(cfg.getObject<number[]>('rdpPorts') == null)",
      "ssh-22 22 0.0.0.0/0 | !(cfg.getObject<number[]>('sshPorts'))",
      "ssh-2222 2222 0.0.0.0/0 | !(cfg.getObject<number[]>('sshPorts'))",
      "ssh-${port}  0.0.0.0/0 | cfg.getObject<number[]>('sshPorts')",
      "web-443 443 0.0.0.0/0 | cfg.getObject<string[]>('webFrom') == null",
      "web-443 443 unknown | !(cfg.getObject<string[]>('webFrom') == null)",
    ]);
  });

  it('keeps a rule whose group is not in the file as its own target, recording an unresolved group', () => {
    const orphan = readText(`import * as aws from '@pulumi/aws';
new aws.vpc.SecurityGroupIngressRule('ssh', { securityGroupId: vpcDefaultSg.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' });
new aws.ec2.SecurityGroupRule('typed', { type: direction, securityGroupId: 'sg-0123456789abcdef0', protocol: 'tcp', fromPort: 1, toPort: 2, cidrBlocks: [] });
`);
    expect(orphan.targets.map((t) => [t.id, t.resourceType, t.unknowns?.map((unknown) => `${unknown.field}=${unknown.expr}`)])).toEqual([
      ['ssh', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', ['securityGroupId=vpcDefaultSg.id']],
      ['typed', 'aws:ec2/securityGroupRule:SecurityGroupRule', ['typed.type=direction']],
    ]);
    expect(rulesOf(orphan, 'ssh')).toEqual(['ssh#0: in allow tcp 22 0.0.0.0/0']);
  });
});

describe('CDK for Terraform (@cdktf/provider-aws)', () => {
  const result = readFixture('cdktf.ts');

  it('names targets by construct path and reads camelCase Terraform arguments, selfAttribute included', () => {
    expect(result.targets.map((t) => [t.id, t.resourceType])).toEqual([['network/web', 'aws_security_group']]);
    expect(rulesOf(result, 'network/web')).toEqual([
      'network/web.ingress[0]#0: in allow tcp 443 0.0.0.0/0',
      'network/web.egress[0]#0: out allow all 0-65535 0.0.0.0/0',
      'network/web.egress[0]#1: out allow all 0-65535 the group itself',
      'network/ssh#0: in allow tcp 22 0.0.0.0/0',
      'network/smb#0: in allow tcp 445 ::/0',
    ]);
    expect(result.diagnostics).toEqual([]);
  });

  it('accepts the provider namespace import', () => {
    const namespaced = readText(`import * as aws from '@cdktf/provider-aws';
new aws.securityGroup.SecurityGroup(stack, 'edge', { ingress: [{ protocol: 'udp', fromPort: 53, toPort: 53, ipv6CidrBlocks: ['::/0'] }] });
`);
    expect(rulesOf(namespaced, 'edge')).toEqual(['edge.ingress[0]#0: in allow udp 53 ::/0']);
  });
});

describe('Pulumi and CDKTF network ACLs and default security groups (issue 9, gap 7)', () => {
  it('reads Pulumi NetworkAcl entries, NetworkAclRule joined by networkAclId, DefaultSecurityGroup and ProtocolType', () => {
    const result = readFixture('pulumi-acl.ts');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => `${t.id} ${t.platform} ${t.resourceType}`)).toEqual([
      'acl aws-nacl aws:ec2/networkAcl:NetworkAcl',
      'default aws-sg aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
      'enum aws-sg aws:ec2/securityGroup:SecurityGroup',
    ]);
    expect(rulesOf(result, 'acl')).toEqual([
      'acl.ingress[0]#0: in deny tcp 22 0.0.0.0/0 #100',
      'acl.ingress[1]#0: in allow all 0-65535 0.0.0.0/0 #200',
      'acl.egress[0]#0: out allow icmp 0-65535 icmp 8/0 10.0.0.0/8 #100',
      'extra#0: in allow udp 53 0.0.0.0/0 #50',
    ]);
    expect(rulesOf(result, 'default')).toEqual(['default.ingress[0]#0: in allow all 0-65535 0.0.0.0/0']);
    expect(rulesOf(result, 'enum')).toEqual(['enum.ingress[0]#0: in allow tcp 23 0.0.0.0/0']);
  });

  it('reads CDKTF NetworkAcl, a standalone NetworkAclRule and DefaultSecurityGroup', () => {
    const result = readText(`import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import * as aws from '@cdktf/provider-aws';
class Net extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new aws.defaultSecurityGroup.DefaultSecurityGroup(this, 'def', { vpcId: 'vpc-1', ingress: [{ fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] }] });
    new aws.networkAcl.NetworkAcl(this, 'acl', { vpcId: 'vpc-1', ingress: [{ action: 'allow', ruleNo: 100, protocol: '-1', fromPort: 0, toPort: 0, cidrBlock: '0.0.0.0/0' }] });
    new aws.networkAclRule.NetworkAclRule(this, 'loose', { networkAclId: 'acl-1', ruleNumber: 10, protocol: 'tcp', ruleAction: 'deny', fromPort: 22, toPort: 22, cidrBlock: '0.0.0.0/0', egress: true });
  }
}
new Net(app, 'prod');
`);
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result, 'prod/def')).toEqual(['prod/def.ingress[0]#0: in allow all 0-65535 0.0.0.0/0']);
    expect(rulesOf(result, 'prod/acl')).toEqual(['prod/acl.ingress[0]#0: in allow all 0-65535 0.0.0.0/0 #100']);
    expect(target(result, 'prod/loose')).toMatchObject({ platform: 'aws-nacl', resourceType: 'aws_network_acl_rule' });
    expect(rulesOf(result, 'prod/loose')).toEqual(['prod/loose#0: out deny tcp 22 0.0.0.0/0 #10']);
  });
});
