import { protocolSet } from '../../src/engine/effective';
import { subtractAll, type TrafficBox } from '../../src/engine/profile-diff';
import { describePeer } from '../../src/model';
import type { FixSuggestion } from '../../src/model/finding';
import type { Rule } from '../../src/model/rule';
import type { ScanResult } from '../../src/pipeline/scan';
import { runCli } from '../helpers/run-cli';
import { scanFiles } from '../helpers/scan-fixture';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * QA 15 item 02: FW202 findings on AWS CDK (L2 `addIngressRule`, L1 `CfnSecurityGroup`) and Pulumi (`SecurityGroup`
 * ingress items, `SecurityGroupRule`, `vpc.SecurityGroupIngressRule`) carried no `properties.replacement` and no SARIF
 * fix, where Terraform, CloudFormation and Windows rules do. They now get TypeScript in the rule's own shape; a SARIF
 * edit only where it is an exact edit of the rule's own call or list item. Each case pastes what fwlint offers in the
 * rule's place and scans again: no FW202, and no rule wider than the one it replaced.
 */

type Finding = ScanResult['findings'][number];

const CDK_HEAD = "import * as cdk from 'aws-cdk-lib';\nimport * as ec2 from 'aws-cdk-lib/aws-ec2';\n\nconst app = new cdk.App();\nconst stack = new cdk.Stack(app, 'Prod');\nconst vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-1' });\n";
const PULUMI_HEAD = "import * as aws from '@pulumi/aws';\n";
const BIND = 'targets:\n  - match: ["*"]\n    peers:\n      control-portal: ["10.0.0.0/24"]\n      cloud-manager: ["10.2.0.0/24"]\n';

const fw202 = (result: ScanResult): Finding[] => result.findings.filter((each) => each.checkId === 'FW202');

/** The code lines of a replacement (its comment lines left out). */
const codeOf = (replacement: string): string => replacement.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n').trimEnd();

/** `text` with `range` (1-based, end column exclusive) replaced by `inserted`. */
function paste(text: string, range: FixSuggestion['deleted'], inserted: string): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
  return text.slice(0, offset(range.startLine, range.startColumn)) + inserted + text.slice(offset(range.endLine, range.endColumn));
}

/** The traffic of a rule of addresses, as the engine's boxes. */
function boxOf(rule: Rule): TrafficBox {
  return { protocols: protocolSet(rule.protocol), ports: rule.ports, ...(rule.peer.kind === 'addresses' ? { addresses: rule.peer.addresses } : {}) };
}

/**
 * Never wider: every rule written in the replaced rule's place admits only traffic the replaced rules did (a peer
 * written as such, a group or prefix list, the same peer), as the Terraform and Windows writers' tests require.
 */
function expectNoWider(replaced: readonly Rule[], written: readonly Rule[]): void {
  expect(written.length).toBeGreaterThan(0);
  for (const rule of written) {
    const sameKind = replaced.filter((each) => each.direction === rule.direction && (rule.peer.kind === 'addresses' ? each.peer.kind === 'addresses' : describePeer(each.peer) === describePeer(rule.peer)));
    expect(subtractAll([boxOf(rule)], sameKind.map(boxOf))).toEqual([]);
  }
}

/** The rules of `result` written in `file` from line `from` on, over `count` lines. */
const rulesAt = (result: ScanResult, from: number, count: number): Rule[] =>
  result.targets.flatMap((target) => target.rules).filter((rule) => !rule.synthetic && rule.location.range.startLine >= from && rule.location.range.startLine < from + count);

interface Case {
  name: string;
  file: string;
  text: string;
  /** The flagged rule, and the code its replacement writes. */
  rule: string;
  code: string;
  /** Whether a SARIF edit is offered (an exact edit of the call or item). */
  edit: boolean;
  config?: string;
}

const INVALID: Case[] = [
  {
    name: 'L2 addIngressRule call',
    file: 'stack.ts',
    text: `${CDK_HEAD}// fwlint:profile lumen-cloud/linux\nconst sg = new ec2.SecurityGroup(stack, 'Web', { vpc, allowAllOutbound: false });\nsg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(20, 25), 'ssh and friends');\n`,
    rule: 'Prod/Web.addIngressRule[0]#0',
    code: "sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/24'), ec2.Port.tcp(22), 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]');",
    edit: true,
  },
  {
    name: 'L2 call with Peer and Port imported by name, indented in a block',
    file: 'stack.ts',
    text: "import { App, Stack } from 'aws-cdk-lib';\nimport { Peer, Port, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';\n\nconst stack = new Stack(new App(), 'Prod');\nconst vpc = Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-1' });\n// fwlint:profile lumen-cloud/linux\nconst sg = new SecurityGroup(stack, 'Web', { vpc, allowAllOutbound: false });\n{\n  sg.addIngressRule(Peer.ipv4('0.0.0.0/0'), Port.allTcp());\n}\n",
    rule: 'Prod/Web.addIngressRule[0]#0',
    code: "sg.addIngressRule(Peer.ipv4('10.0.0.0/24'), Port.tcp(22), 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]');",
    edit: true,
  },
  {
    name: 'L2 call whose peer is a group: kept as written, ports narrowed',
    file: 'stack.ts',
    text: `${CDK_HEAD}// fwlint:profile netapp-cloud-manager/cloud-manager\nconst cm = new ec2.SecurityGroup(stack, 'Cm', { vpc });\n// fwlint:profile netapp-cloud-manager/ha-mediator\nconst mediator = new ec2.SecurityGroup(stack, 'Mediator', { vpc });\nmediator.addIngressRule(cm, ec2.Port.allTcp());\n`,
    rule: 'Prod/Mediator.addIngressRule[0]#0',
    code: "mediator.addIngressRule(cm, ec2.Port.tcp(3000), 'RESTful API access from Cloud Manager [in/tcp/3000/cloud-manager]');",
    edit: true,
    // The admins bound: unbound, they could be the group's members, and their SSH flow would be written for it too.
    config: `${BIND}      admin: ["10.1.0.0/24"]\n`,
  },
  {
    name: 'L1 CfnSecurityGroup securityGroupIngress item',
    file: 'stack.ts',
    text: `${CDK_HEAD}// fwlint:profile lumen-cloud/linux\nconst l1 = new ec2.CfnSecurityGroup(stack, 'L1', {\n  groupDescription: 'l1',\n  vpcId: 'vpc-1',\n  securityGroupIngress: [\n    { ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIp: '0.0.0.0/0' },\n  ],\n  securityGroupEgress: [{ ipProtocol: 'icmp', fromPort: 252, toPort: 86, cidrIp: '255.255.255.255/32' }],\n});\n`,
    rule: 'Prod/L1.securityGroupIngress[0]#0',
    code: "{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/24', description: 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]' }",
    edit: true,
  },
  {
    name: 'L1 CfnSecurityGroupIngress construct',
    file: 'stack.ts',
    text: `${CDK_HEAD}// fwlint:profile lumen-cloud/linux\nconst l1 = new ec2.CfnSecurityGroup(stack, 'L1', { groupDescription: 'l1', vpcId: 'vpc-1', securityGroupEgress: [{ ipProtocol: 'icmp', fromPort: 252, toPort: 86, cidrIp: '255.255.255.255/32' }] });\nnew ec2.CfnSecurityGroupIngress(stack, 'SshIn', { groupId: l1.attrGroupId, ipProtocol: '-1', cidrIp: '0.0.0.0/0' });\n`,
    rule: 'Prod/SshIn#0',
    code: "new ec2.CfnSecurityGroupIngress(stack, 'SshIn-1', {\n  groupId: l1.attrGroupId,\n  ipProtocol: 'tcp',\n  fromPort: 22,\n  toPort: 22,\n  cidrIp: '10.0.0.0/24',\n  description: 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]',\n});",
    edit: false,
  },
  {
    name: 'Pulumi SecurityGroup ingress item',
    file: 'index.ts',
    text: `${PULUMI_HEAD}// fwlint:profile lumen-cloud/linux\nconst web = new aws.ec2.SecurityGroup('web', {\n  ingress: [\n    { protocol: 'tcp', fromPort: 0, toPort: 65535, cidrBlocks: ['0.0.0.0/0'] },\n  ],\n  egress: [],\n});\n`,
    rule: 'web.ingress[0]#0',
    code: "{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['10.0.0.0/24'], description: 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]' }",
    edit: true,
  },
  {
    name: 'Pulumi SecurityGroupRule resource',
    file: 'index.ts',
    text: `${PULUMI_HEAD}// fwlint:profile lumen-cloud/linux\nconst web = new aws.ec2.SecurityGroup('web', { egress: [] });\nnew aws.ec2.SecurityGroupRule('ssh', { type: 'ingress', securityGroupId: web.id, protocol: 'tcp', fromPort: 20, toPort: 25, cidrBlocks: ['0.0.0.0/0'] });\n`,
    rule: 'ssh#0',
    code: "new aws.ec2.SecurityGroupRule('ssh-1', {\n  type: 'ingress',\n  securityGroupId: web.id,\n  protocol: 'tcp',\n  fromPort: 22,\n  toPort: 22,\n  cidrBlocks: ['10.0.0.0/24'],\n  description: 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]',\n});",
    edit: false,
  },
  {
    name: 'Pulumi vpc.SecurityGroupIngressRule resource',
    file: 'index.ts',
    text: `${PULUMI_HEAD}// fwlint:profile lumen-cloud/linux\nconst web = new aws.ec2.SecurityGroup('web', { egress: [] });\nnew aws.vpc.SecurityGroupIngressRule('ssh', { securityGroupId: web.id, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' });\n`,
    rule: 'ssh#0',
    code: "new aws.vpc.SecurityGroupIngressRule('ssh-1', {\n  securityGroupId: web.id,\n  ipProtocol: 'tcp',\n  fromPort: 22,\n  toPort: 22,\n  cidrIpv4: '10.0.0.0/24',\n  description: 'SSH used by the Control Portal and API to clone the server, modify storage and read partition information [in/tcp/22/control-portal]',\n});",
    edit: false,
  },
];

describe('FW202 replacement of AWS CDK and Pulumi rules, in their own TypeScript', () => {
  it.each(INVALID.map((each) => [each.name, each] as const))('%s: writes the rules in its shape; pasted in its place, no FW202 and nothing wider', (_name, each) => {
    const first = scanFiles({ [each.file]: each.text, '.fwlint.yaml': each.config ?? BIND });
    expect(first.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    const finding = fw202(first).find((one) => one.ruleId === each.rule)!;
    expect(finding).toBeDefined();
    const replacement = String(finding.properties.replacement);
    expect(replacement).toMatch(/^\/\/ fwlint: replaces /);
    expect(codeOf(replacement)).toBe(each.code);
    const replaced = rulesAt(first, finding.location.range.startLine, finding.location.range.endLine - finding.location.range.startLine + 1).filter((rule) => rule.resourceAddress === each.rule.replace(/#.*$/, ''));

    // The replacement, pasted in place of the rule's range (a statement's own `;` stays after it: an empty statement).
    const pasted = paste(each.text, finding.location.range, codeOf(replacement));
    const second = scanFiles({ [each.file]: pasted, '.fwlint.yaml': each.config ?? BIND });
    expect(second.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fw202(second).filter((one) => one.messageId === 'excess' && one.location.range.startLine === finding.location.range.startLine)).toEqual([]);
    expectNoWider(replaced, rulesAt(second, finding.location.range.startLine, codeOf(replacement).split('\n').length));

    if (!each.edit) {
      expect(finding.fixes).toBeUndefined();
      return;
    }
    const fix = finding.fixes![0]!;
    expect(fix.deleted).toEqual(finding.location.range);
    const edited = paste(each.text, fix.deleted, fix.insertedText);
    const third = scanFiles({ [each.file]: edited, '.fwlint.yaml': each.config ?? BIND });
    expect(third.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fw202(third).filter((one) => one.messageId === 'excess' && one.location.range.startLine === finding.location.range.startLine)).toEqual([]);
    expectNoWider(replaced, rulesAt(third, finding.location.range.startLine, fix.insertedText.split('\n').length));
  });

  it('names an unbound peer as a constant the comment declares, and offers no edit (it would not compile)', () => {
    const text = `${CDK_HEAD}// fwlint:profile lumen-cloud/linux\nconst sg = new ec2.SecurityGroup(stack, 'Web', { vpc, allowAllOutbound: false });\nsg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(20, 25));\n`;
    const [finding] = fw202(scanFiles({ 'stack.ts': text }));
    expect(finding!.fixes).toBeUndefined();
    const replacement = String(finding!.properties.replacement);
    expect(replacement).toContain("//   const controlPortalCidr = '...'; // CIDR of peer control-portal");
    expect(codeOf(replacement)).toMatch(/^sg\.addIngressRule\(ec2\.Peer\.ipv4\(controlPortalCidr\), ec2\.Port\.tcp\(22\), '[^']+'\);$/);
  });

  it('writes several calls as statements of their own lines, the call\'s own `;` ending the last', () => {
    const text = `${CDK_HEAD}// fwlint:profile netapp-cloud-manager/ha-mediator\nconst mediator = new ec2.SecurityGroup(stack, 'Mediator', { vpc, allowAllOutbound: false });\n  mediator.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.allTcp());\n`;
    const config = 'targets:\n  - match: ["*"]\n    peers:\n      cloud-manager: ["10.2.0.0/24"]\n      aws-api: ["10.50.0.0/24"]\n';
    const [finding] = fw202(scanFiles({ 'stack.ts': text, '.fwlint.yaml': config })).filter((one) => one.ruleId === 'Prod/Mediator.addEgressRule[0]#0');
    const fix = finding!.fixes![0]!;
    expect(fix.insertedText.split('\n').map((line) => line.replace(/, '[^']*'\)/, ')'))).toEqual([
      "mediator.addEgressRule(ec2.Peer.ipv4('10.2.0.0/24'), ec2.Port.tcp(80));",
      "  mediator.addEgressRule(ec2.Peer.ipv4('10.50.0.0/24'), ec2.Port.tcp(443))",
    ]);
    const edited = scanFiles({ 'stack.ts': paste(text, fix.deleted, fix.insertedText), '.fwlint.yaml': config });
    expect(edited.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(fw202(edited)).toEqual([]);
  });

  it('writes the fwlint:ignore FW102 the other writers write above a flow the vendor requires as all traffic; applied, FW102 passes', () => {
    const text = `${PULUMI_HEAD}// fwlint:profile netapp-cloud-manager/ha-mediator-internal\nconst m = new aws.ec2.SecurityGroup('m', {\n  ingress: [\n    { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] },\n  ],\n});\n`;
    const config = 'targets:\n  - match: ["*"]\n    peers:\n      ha-nodes: ["10.3.0.0/24"]\n';
    const [finding] = fw202(scanFiles({ 'index.ts': text, '.fwlint.yaml': config }));
    const fix = finding!.fixes![0]!;
    expect(fix.insertedText).toMatch(/^\/\/ fwlint:ignore FW102 reason="[^"]+"\n {4}\{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: \['10\.3\.0\.0\/24'\]/);
    const edited = scanFiles({ 'index.ts': paste(text, fix.deleted, fix.insertedText), '.fwlint.yaml': config });
    expect(edited.findings.filter((each) => ['FW101', 'FW102', 'FW202'].includes(each.checkId) && !each.suppression)).toEqual([]);
  });

  it('names new constructs after the replaced one, skipping names the file already has', () => {
    const text = `${PULUMI_HEAD}// fwlint:profile lumen-cloud/linux\nconst web = new aws.ec2.SecurityGroup('web', { egress: [] });\nnew aws.ec2.SecurityGroupRule('ssh', { type: 'ingress', securityGroupId: web.id, protocol: 'tcp', fromPort: 20, toPort: 25, cidrBlocks: ['0.0.0.0/0'] });\nnew aws.ec2.SecurityGroup('ssh-1', { egress: [] });\n`;
    const finding = fw202(scanFiles({ 'index.ts': text, '.fwlint.yaml': BIND })).find((one) => one.ruleId === 'ssh#0');
    const replacement = String(finding!.properties.replacement);
    expect(replacement).toContain("new aws.ec2.SecurityGroupRule('ssh-2', {");
    expect(replacement).not.toContain("'ssh-1'");
  });

  // Valid: no edit where the text is not exactly the rule's (properties.replacement is advice, the edit must be exact).
  it.each([
    ['a call in a loop (one text, several rules)', "for (const cidr of ['0.0.0.0/0', '1.0.0.0/8']) {\n  sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcpRange(20, 25));\n}\n"],
    ['several calls in place of an if\'s body', "if (process.env.OPEN) sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTraffic());\n"],
  ])('offers no edit for %s', (_name, body) => {
    const text = `${CDK_HEAD}// fwlint:profile netapp-cloud-manager/ha-mediator\nconst sg = new ec2.SecurityGroup(stack, 'Mediator', { vpc });\n${body}`;
    const config = 'targets:\n  - match: ["*"]\n    peers:\n      cloud-manager: ["10.2.0.0/24"]\n      admin: ["10.1.0.0/24"]\n';
    const findings = fw202(scanFiles({ 'stack.ts': text, '.fwlint.yaml': config })).filter((one) => one.messageId === 'excess');
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(finding.fixes).toBeUndefined();
    expect(findings.some((finding) => finding.properties.replacement !== undefined)).toBe(true);
  });

  it('carries the edit as a SARIF fix of the call\'s region', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-ts-replacement-'));
    try {
      fs.mkdirSync(path.join(folder, '.git'));
      fs.writeFileSync(path.join(folder, 'stack.ts'), INVALID[0]!.text);
      fs.writeFileSync(path.join(folder, '.fwlint.yaml'), BIND);
      const run = await runCli(['scan', '.', '--format', 'sarif'], folder);
      const results = (JSON.parse(run.stdout) as { runs: Array<{ results: Array<{ ruleId: string; properties: Record<string, unknown>; fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ deletedRegion: unknown; insertedContent: { text: string } }> }> }> }> }> }).runs[0]!.results;
      const result = results.find((each) => each.ruleId === 'FW202')!;
      expect(String(result.properties.replacement)).toContain(INVALID[0]!.code);
      expect(result.fixes![0]!.artifactChanges[0]!.replacements[0]).toEqual({
        deletedRegion: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 84 },
        insertedContent: { text: INVALID[0]!.code.replace(/;$/, '') },
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
