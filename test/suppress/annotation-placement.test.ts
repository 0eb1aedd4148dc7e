import { scanFiles } from '../helpers/scan-fixture';
import type { ScanResult } from '../../src/pipeline/scan';

// Regression (QA 9, item 01): a fwlint:ignore or fwlint:profile comment applied to the nearest rule or target found
// anywhere below it, so a stale comment at the end of one resource, or one above an attribute, a variable or a module
// call, muted a critical finding of another rule or resource. It applies only to the rule or target starting on its
// line or on the next line of code below it (blank and comment lines between); anything else is reported.

/** `line traffic suppressed|open` of each FW101, and the lines of annotation/unattached warnings. */
function outcome(result: ScanResult): { fw101: string[]; unattached: number[] } {
  return {
    fw101: result.findings
      .filter((finding) => finding.checkId === 'FW101')
      .map((finding) => `${finding.location.range.startLine} ${finding.properties.traffic} ${finding.suppression ? 'suppressed' : 'open'}`),
    unattached: result.diagnostics.filter((diagnostic) => diagnostic.code === 'annotation/unattached').map((diagnostic) => diagnostic.range!.startLine),
  };
}

const IGNORE = '# fwlint:ignore FW101 reason="accepted"';
const sshRule = ['  ingress {', '    from_port   = 22', '    to_port     = 22', '    protocol    = "tcp"', '    cidr_blocks = ["0.0.0.0/0"]', '  }'];

describe('where an in-source annotation applies (HCL)', () => {
  it('valid: above the resource, above the rule (blank and comment lines between), at the end of the rule\'s first line', () => {
    const text = [
      IGNORE, // 1: the resource below
      'resource "aws_security_group" "a" {',
      ...sshRule, // 3-8
      '}',
      '',
      'resource "aws_security_group" "b" {',
      `  ${IGNORE}`, // 12: the rule, across a blank line and another comment
      '',
      '  # SSH for the bastion',
      ...sshRule, // 15-20
      '  ingress { # fwlint:ignore FW101 reason="same line"', // 21
      '    from_port   = 3389',
      '    to_port     = 3389',
      '    protocol    = "tcp"',
      '    cidr_blocks = ["0.0.0.0/0"]',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'main.tf': text }))).toEqual({ fw101: ['7 tcp/22 suppressed', '19 tcp/22 suppressed', '25 tcp/3389 suppressed'], unattached: [] });
  });

  it('invalid: a stale comment before the closing brace does not reach the next resource (it is its own resource\'s)', () => {
    const text = ['resource "aws_security_group" "web" {', `  ${IGNORE}`, '}', '', 'resource "aws_security_group" "db" {', ...sshRule, '}', ''].join('\n');
    const result = scanFiles({ 'main.tf': text });
    expect(outcome(result)).toEqual({ fw101: ['10 tcp/22 open'], unattached: [] });
    // web has no FW101 finding: the comment is reported as unused there.
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine])).toEqual([['suppress/unused', 2]]);
  });

  it('invalid: above a variable, a module call, or in a block nested in a resource that is no rule: applies to nothing', () => {
    const text = [
      IGNORE, // 1: above a variable
      'variable "x" {',
      '  default = "10.0.0.0/8"',
      '}',
      IGNORE, // 5: above a module call
      'module "net" {',
      '  source = "./modules/none"',
      '}',
      'resource "aws_security_group" "c" {',
      '  name = "c"',
      ...sshRule, // 11-16
      '  lifecycle {',
      `    ${IGNORE}`, // 18: in a nested block that is no rule
      '    create_before_destroy = true',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'main.tf': text }))).toEqual({ fw101: ['15 tcp/22 open'], unattached: [1, 5, 18] });
  });

  // Item 4 of session 16: a comment in the group's block outside its rules (above `name`, at the end of an attribute's
  // line) applied to nothing, while a "//" in the group's .tf.json object applies to the group. It is the group's now,
  // in both syntaxes; a comment above a rule of the block still applies to that rule only.
  it('valid: in the group\'s block outside its rules (above `name`, at the end of an attribute\'s line), as a "//" in its .tf.json object', () => {
    const hcl = (comment: string[], name: string): string[] => [`resource "aws_security_group" "${name}" {`, ...comment, `  name = "${name}"`, ...sshRule, '}'];
    const text = [...hcl([`  ${IGNORE}`], 'above'), ...hcl([], 'eol').map((line) => (line.startsWith('  name') ? `${line} ${IGNORE}` : line)), ''].join('\n');
    const json = JSON.stringify({ resource: { aws_security_group: { json: { '//': IGNORE.slice(2), name: 'json', ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } }, null, 2);
    const result = scanFiles({ 'main.tf': text, 'json.tf.json': json });
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.targetId} ${finding.suppression ? 'suppressed' : 'open'}`).sort()).toEqual([
      'aws_security_group.above suppressed',
      'aws_security_group.eol suppressed',
      'aws_security_group.json suppressed',
    ]);
    expect(outcome(result).unattached).toEqual([]);
    // fwlint:profile there maps the group.
    const mapped = scanFiles({ 'main.tf': hcl(['  # fwlint:profile lumen-cloud/linux'], 'web').join('\n') + '\n' });
    expect(mapped.targets.map((target) => target.profile?.ref)).toEqual(['lumen-cloud/linux']);
  });

  it('valid: in the group\'s block above its second rule, it applies to that rule only', () => {
    const httpRule = sshRule.map((line) => line.replace(/= 22/g, '= 80'));
    const text = ['resource "aws_security_group" "c" {', '  name = "c"', ...sshRule, `  ${IGNORE}`, ...httpRule, '}', ''].join('\n');
    expect(outcome(scanFiles({ 'main.tf': text }))).toEqual({ fw101: ['7 tcp/22 open', '14 tcp/80 suppressed'], unattached: [] });
  });

  it('names the line below that starts no rule or target', () => {
    const text = ['resource "aws_security_group" "c" {', '  name = "c"', ...sshRule, '  timeouts {', `    ${IGNORE}`, '    delete = "2m"', '  }', '}', ''].join('\n');
    const result = scanFiles({ 'main.tf': text });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'annotation/unattached',
        severity: 'warning',
        file: 'main.tf',
        message: 'fwlint:ignore applies to nothing: no rule or target fwlint read starts on line 11 below it; write it on the line above the rule or target (or at the end of the rule\'s line)',
      }),
    ]);
  });

  it('invalid: a fwlint:profile comment above a variable maps no target below it', () => {
    const text = ['# fwlint:profile lumen-cloud/linux', 'variable "x" {', '  default = 1', '}', 'resource "aws_security_group" "db" {', '}', ''].join('\n');
    const result = scanFiles({ 'main.tf': text });
    expect(result.targets.map((target) => target.profile)).toEqual([undefined]);
    expect(outcome(result).unattached).toEqual([1]);
  });

  it('valid: a "//" property of a JSON-syntax file applies to the next property, also after a comma at the end of its line', () => {
    const text = [
      '{"resource": {"aws_security_group": {"//": "fwlint:ignore FW101 reason=\\"accepted\\"",',
      '  "a": {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}}}}',
    ].join('\n');
    expect(outcome(scanFiles({ 'main.tf.json': text }))).toEqual({ fw101: ['2 tcp/22 suppressed'], unattached: [] });
  });
});

describe('where an in-source annotation applies (CloudFormation YAML)', () => {
  const template = (comment: string): string =>
    [
      'Resources:',
      '  Web:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      `      ${comment}`, // 5
      '      GroupDescription: web',
      '      SecurityGroupIngress:',
      '        - IpProtocol: tcp', // 8
      '          FromPort: 22',
      '          ToPort: 22',
      '          CidrIp: 0.0.0.0/0',
      '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
      '',
    ].join('\n');

  it('invalid: above GroupDescription it does not reach the first ingress rule', () => {
    expect(outcome(scanFiles({ 't.yaml': template(IGNORE) }))).toEqual({ fw101: ['11 tcp/22 open'], unattached: [5] });
  });

  it('valid: above the rule item', () => {
    const text = template('GroupDescription: web').replace('      GroupDescription: web\n      SecurityGroupIngress:\n', `      SecurityGroupIngress:\n        ${IGNORE}\n`);
    expect(outcome(scanFiles({ 't.yaml': text }))).toEqual({ fw101: ['11 tcp/22 suppressed'], unattached: [] });
  });
});

describe('where an in-source annotation applies (CDK, Pulumi)', () => {
  it('invalid: a CDK comment above another statement does not reach the rule added lines below', () => {
    const text = [
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      "import { Stack } from 'aws-cdk-lib';",
      'export class Net extends Stack {',
      '  build(vpc: ec2.IVpc) {',
      '    // fwlint:ignore FW101 reason="about the log line"', // 5
      "    console.log('building');",
      "    const sg = new ec2.SecurityGroup(this, 'Web', { vpc, allowAllOutbound: false });",
      '    // fwlint:ignore FW101 reason="bastion"', // 8
      '',
      '    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3389));', // 10
      '    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'stack.ts': text }))).toEqual({ fw101: ['10 tcp/3389 suppressed', '11 tcp/22 open'], unattached: [5] });
  });

  it('invalid: a Pulumi comment above an export does not reach the next group', () => {
    const text = [
      'import * as aws from "@pulumi/aws";',
      'const web = new aws.ec2.SecurityGroup("web", { description: "web", ingress: [], egress: [] });',
      '// fwlint:ignore FW101 reason="about the export below"', // 3
      'export const webId = web.id;',
      'const db = new aws.ec2.SecurityGroup("db", {',
      '    ingress: [',
      '        // fwlint:ignore FW101 reason="replica"', // 7
      '        { protocol: "tcp", fromPort: 5433, toPort: 5433, cidrBlocks: ["0.0.0.0/0"] },',
      '        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] },',
      '    ],',
      '    egress: [],',
      '});',
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'index.ts': text }))).toEqual({ fw101: ['8 tcp/5433 suppressed', '9 tcp/5432 open'], unattached: [3] });
  });
});

// Regression (QA 12, item 01): a comment inside a Terraform rule resource (HCL above `type =`, or a `"//"` property
// of its JSON object) was annotation/unattached, as was a `"//"` property of a group resource's JSON object (before
// commit 1348055 it muted the group's rules): the resource is the rule, and JSON has no line above inside a resource.
describe('a comment inside a Terraform rule resource, or a "//" property of a resource\'s JSON object', () => {
  const ruleResource = (type: string, comment: string): string[] => [
    `resource "${type}" "ssh" {`,
    `  ${comment}`, // 2
    ...(type === 'aws_security_group_rule'
      ? ['  type              = "ingress"', '  from_port         = 22', '  to_port           = 22', '  protocol          = "tcp"', '  cidr_blocks       = ["0.0.0.0/0"]']
      : ['  ip_protocol       = "tcp"', '  from_port         = 22', '  to_port           = 22', '  cidr_ipv4         = "0.0.0.0/0"']),
    '  security_group_id = aws_security_group.web.id',
    '}',
  ];
  const group = ['resource "aws_security_group" "web" {', '  name = "web"', '}'];

  it.each(['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'])('valid: HCL, in the middle of a %s (above its first argument) it applies to that rule', (type) => {
    const text = [...ruleResource(type, IGNORE), ...group, ''].join('\n');
    const result = scanFiles({ 'main.tf': text });
    expect(outcome(result)).toEqual({ fw101: [expect.stringMatching(/ tcp\/22 suppressed$/)], unattached: [] });
    // A rule's comment: not the group's, whose other rules it must not mute.
    expect(result.findings[0]!.suppression?.justification).toBe('accepted');
  });

  it('valid: HCL, in a rule resource of a plan\'s configuration, as in the HCL', () => {
    const text = [...ruleResource('aws_security_group_rule', IGNORE).map((line) => line.replace('aws_security_group.web.id', '"sg-0123456789abcdef0"')), ''].join('\n');
    const plan = {
      format_version: '1.2',
      terraform_version: '1.9.5',
      resource_changes: [{
        address: 'aws_security_group_rule.ssh', mode: 'managed', type: 'aws_security_group_rule', name: 'ssh',
        change: { actions: ['create'], before: null, after: { type: 'ingress', security_group_id: 'sg-0123456789abcdef0', from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }, after_unknown: { id: true }, after_sensitive: {} },
      }],
    };
    const result = scanFiles({ 'main.tf': text, 'plan.json': JSON.stringify(plan, null, 2) }, { paths: ['plan.json'] });
    expect(outcome(result)).toEqual({ fw101: ['7 tcp/22 suppressed'], unattached: [] });
  });

  it('valid: JSON, a "//" property of a group\'s object, of a rule resource\'s object and of a rule\'s object', () => {
    const ignore = (reason: string): string => `"//": "fwlint:ignore FW101 reason=\\"${reason}\\""`;
    const text = [
      '{',
      '  "resource": {',
      '    "aws_security_group": {',
      '      "a": {', // 4
      `        ${ignore('group')},`,
      '        "name": "a",',
      '        "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]', // 7
      '      },',
      '      "b": {',
      '        "name": "b",',
      `        "ingress": [{${ignore('rule')}, "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},`, // 11
      '                    {"from_port": 3389, "to_port": 3389, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]', // 12
      '      }',
      '    },',
      '    "aws_security_group_rule": {',
      '      "c": {', // 16
      `        ${ignore('rule resource')},`,
      '        "type": "ingress", "security_group_id": "sg-1", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]', // 18
      '      }',
      '    },',
      '    "aws_vpc_security_group_ingress_rule": {',
      `      "d": {"security_group_id": "\${aws_security_group.b.id}", ${ignore('vpc rule')},`, // 22
      '            "ip_protocol": "tcp", "from_port": 23, "to_port": 23, "cidr_ipv4": "0.0.0.0/0"}', // 23
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'main.tf.json': text }))).toEqual({
      fw101: ['7 tcp/22 suppressed', '11 tcp/22 suppressed', '12 tcp/3389 open', '18 tcp/22 suppressed', '23 tcp/23 suppressed'],
      unattached: [],
    });
  });

  it('invalid: JSON, a "//" property of an object that is no rule or resource applies to nothing, and the warning says so', () => {
    const text = [
      '{',
      '  "variable": {"cidr": {', // 2
      '    "//": "fwlint:ignore FW101 reason=\\"about the variable\\"",',
      '    "default": "10.0.0.0/8"}},',
      '  "resource": {"aws_security_group": {"a": {',
      '    "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}}}', // 6
      '}',
      '',
    ].join('\n');
    const result = scanFiles({ 'main.tf.json': text });
    expect(outcome(result)).toEqual({ fw101: ['6 tcp/22 open'], unattached: [3] });
    expect(result.diagnostics[0]!.message).toBe('fwlint:ignore applies to nothing: the object it is written in (line 2) is no rule or target fwlint read; write it in the object of the rule or resource');
  });
});

// Regression (QA 12, item 04): a comment above a TypeScript statement whose value starts on the next line
// (`const sg: T =` then `new aws.ec2.SecurityGroup(…)`, `this.sg =` then `new …`) was unattached: the construct is
// located at its `new` expression, not at the statement the comment is written above.
describe('a comment above a TypeScript statement that creates a construct on its next line', () => {
  it('valid: Pulumi `export const x: T =` and `const x =`, with fwlint:ignore and fwlint:profile', () => {
    const text = [
      'import * as aws from "@pulumi/aws";',
      '',
      '// fwlint:ignore FW101 reason="public bastion, reviewed"',
      'export const bastionSecurityGroup: aws.ec2.SecurityGroup =',
      '  new aws.ec2.SecurityGroup("bastion", {',
      '    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],', // 6
      '  });',
      '',
      '// fwlint:profile lumen-cloud/linux',
      'const linuxVmSecurityGroupForTheControlPortal =',
      '  new aws.ec2.SecurityGroup("linux", { ingress: [] });',
      '',
    ].join('\n');
    const result = scanFiles({ 'index.ts': text });
    expect(outcome(result)).toEqual({ fw101: ['6 tcp/22 suppressed'], unattached: [] });
    expect(result.targets.map((target) => `${target.id} ${target.profile?.ref}`)).toEqual(['bastion undefined', 'linux lumen-cloud/linux']);
  });

  it('valid: CDK `const a =`, `this.f =` and a class field, each above a `new` on the next line', () => {
    const text = [
      "import * as cdk from 'aws-cdk-lib';",
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      'export class S extends cdk.Stack {',
      '  // fwlint:ignore FW101 reason="field"',
      '  readonly g =',
      "    new ec2.SecurityGroup(this, 'G', { vpc: this.vpc, allowAllOutbound: false });",
      '  f: ec2.SecurityGroup;',
      "  vpc = ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: 'vpc-1' });",
      '  constructor(scope: cdk.App, id: string) {',
      '    super(scope, id);',
      '    // fwlint:ignore FW101 reason="split declaration"',
      '    const a =',
      "      new ec2.SecurityGroup(this, 'A', { vpc: this.vpc, allowAllOutbound: false });",
      '    a.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));', // 14
      '    // fwlint:ignore FW101 reason="split assignment"',
      '    this.f =',
      "      new ec2.SecurityGroup(this, 'F', { vpc: this.vpc, allowAllOutbound: false });",
      '    this.f.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3389));', // 18
      '    this.g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(23));', // 19
      '  }',
      '}',
      "new S(new cdk.App(), 'S');",
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'stack.ts': text }))).toEqual({ fw101: ['14 tcp/22 suppressed', '18 tcp/3389 suppressed', '19 tcp/23 suppressed'], unattached: [] });
  });

  it('invalid: above a statement whose value on the next line creates no construct, it applies to nothing', () => {
    const text = [
      "import * as cdk from 'aws-cdk-lib';",
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      "const stack = new cdk.Stack(new cdk.App(), 'S');",
      "const sg = new ec2.SecurityGroup(stack, 'Web', { vpc: ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-1' }), allowAllOutbound: false });",
      '// fwlint:ignore FW101 reason="about the port"', // 5
      'const port =',
      '  22;',
      'sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port));', // 8
      '',
    ].join('\n');
    expect(outcome(scanFiles({ 'stack.ts': text }))).toEqual({ fw101: ['8 tcp/22 open'], unattached: [5] });
  });
});

// Regression (QA 12, item 05): Terraform rule resources naming a group defined outside the scanned files (a literal
// `sg-…` id, a data source, a variable) share a target located at the first rule: a comment above that rule was the
// whole group's and muted every later rule on it (world-open RDP included). It is the rule's, as in CloudFormation
// (`!ImportValue`) and CDK (`fromSecurityGroupId`); a fwlint:profile comment there maps the rule's group, as there.
describe('a comment above a rule of a group defined elsewhere', () => {
  const terraform = (groupId: string, comment: string): Record<string, string> => {
    const rule = (name: string, port: number): string[] => [
      `resource "aws_security_group_rule" "${name}" {`,
      '  type              = "ingress"',
      `  security_group_id = ${groupId}`,
      `  from_port         = ${port}`,
      `  to_port           = ${port}`,
      '  protocol          = "tcp"',
      '  cidr_blocks       = ["0.0.0.0/0"]',
      '}',
    ];
    const prelude = groupId.startsWith('var.') ? ['variable "sg_id" {', '  type = string', '}'] : groupId.startsWith('data.') ? ['data "aws_security_group" "shared" {', '  name = "shared"', '}'] : [];
    return { 'main.tf': [...prelude, comment, ...rule('ssh', 22), '', ...rule('rdp', 3389), ''].join('\n') };
  };
  const cloudFormation = (comment: string): Record<string, string> => {
    const rule = (name: string, port: number): string[] => [
      `  ${name}:`,
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Properties:',
      '      GroupId: !ImportValue shared-sg',
      `      IpProtocol: tcp`,
      `      FromPort: ${port}`,
      `      ToPort: ${port}`,
      '      CidrIp: 0.0.0.0/0',
    ];
    return { 't.yaml': ['Resources:', `  ${comment}`, ...rule('Ssh', 22), ...rule('Rdp', 3389), ''].join('\n') };
  };
  const cdk = (comment: string): Record<string, string> => ({
    'stack.ts': [
      "import * as cdk from 'aws-cdk-lib';",
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      "const stack = new cdk.Stack(new cdk.App(), 'S');",
      "const shared = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Shared', 'sg-0123456789abcdef0');",
      comment.replace('#', '//'),
      'shared.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));',
      'shared.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3389));',
      '',
    ].join('\n'),
  });
  const inputs: Array<[string, (comment: string) => Record<string, string>]> = [
    ['Terraform, a literal id', (comment) => terraform('"sg-0123456789abcdef0"', comment)],
    ['Terraform, a data source', (comment) => terraform('data.aws_security_group.shared.id', comment)],
    ['Terraform, a variable', (comment) => terraform('var.sg_id', comment)],
    ['CloudFormation, !ImportValue', cloudFormation],
    ['CDK, fromSecurityGroupId', cdk],
  ];
  const traffic = (result: ScanResult): string[] => outcome(result).fw101.map((line) => line.replace(/^\d+ /, ''));

  it.each(inputs)('invalid: %s: fwlint:ignore above the first rule mutes that rule only', (_name, files) => {
    const result = scanFiles(files(IGNORE));
    expect(traffic(result)).toEqual(['tcp/22 suppressed', 'tcp/3389 open']);
    expect(outcome(result).unattached).toEqual([]);
  });

  it.each(inputs)('valid: %s: fwlint:profile above a rule maps the group the rule is on', (_name, files) => {
    const result = scanFiles(files('# fwlint:profile lumen-cloud/linux'));
    expect(result.targets.map((target) => target.profile?.ref)).toEqual(['lumen-cloud/linux']);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('annotation/'))).toEqual([]);
  });

  // Item 5 of session 16: the FW303 note on a rule resource's unresolved `security_group_id` is a finding of the
  // group (no rule), shown in the rule: the comment above the rule did not reach it and was reported as matching
  // nothing ("remove it"). A comment on a rule applies to the findings about no rule shown in that rule too; one
  // shown in another rule stays.
  it('valid: Terraform, a variable: fwlint:ignore FW303 above a rule mutes the note shown in that rule only', () => {
    const result = scanFiles(terraform('var.sg_id', '# fwlint:ignore FW303 reason="the id comes from the network stack"'));
    const notes = result.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => `${finding.location.range.startLine} ${finding.ruleId ?? 'group'} ${finding.suppression ? 'suppressed' : 'open'}`);
    expect(notes).toEqual(['7 group suppressed', '16 group open']);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused')).toEqual([]);
  });
});

// Every documented place of an in-source annotation, one per format: each input has one world-open rule (tcp/22)
// that the comment mutes, or a target the comment maps, and nothing unattached.
describe('the documented forms, format by format', () => {
  const group = (name: string, body: string[]): string[] => [`resource "aws_security_group" "${name}" {`, ...body, '}'];
  const cfnIngress = ['        - IpProtocol: tcp', '          FromPort: 22', '          ToPort: 22', '          CidrIp: 0.0.0.0/0'];
  const cases: Array<[string, Record<string, string>, { fw101?: string[]; profiles?: string[] }]> = [
    ['HCL, # above the resource', { 'main.tf': [IGNORE, ...group('a', sshRule), ''].join('\n') }, { fw101: ['tcp/22 suppressed'] }],
    ['HCL, // above the resource', { 'main.tf': [IGNORE.replace('#', '//'), ...group('a', sshRule), ''].join('\n') }, { fw101: ['tcp/22 suppressed'] }],
    ['HCL, /* */ above the resource', { 'main.tf': [`/* ${IGNORE.slice(2)} */`, ...group('a', sshRule), ''].join('\n') }, { fw101: ['tcp/22 suppressed'] }],
    ['HCL, above a nested ingress block', { 'main.tf': [...group('a', [`  ${IGNORE}`, ...sshRule]), ''].join('\n') }, { fw101: ['tcp/22 suppressed'] }],
    [
      'HCL, above a dynamic block',
      {
        'main.tf': [...group('a', [`  ${IGNORE}`, '  dynamic "ingress" {', '    for_each = [22]', '    content {', '      from_port   = ingress.value', '      to_port     = ingress.value', '      protocol    = "tcp"', '      cidr_blocks = ["0.0.0.0/0"]', '    }', '  }']), ''].join('\n'),
      },
      { fw101: ['tcp/22 suppressed'] },
    ],
    [
      'HCL, inside a rule resource',
      { 'main.tf': ['resource "aws_security_group_rule" "ssh" {', '  type = "ingress"', `  ${IGNORE}`, '  security_group_id = "sg-1"', '  from_port = 22', '  to_port = 22', '  protocol = "tcp"', '  cidr_blocks = ["0.0.0.0/0"]', '}', ''].join('\n') },
      { fw101: ['tcp/22 suppressed'] },
    ],
    ['HCL, stacked fwlint:profile lines', { 'main.tf': ['# fwlint:profile dell-emc-scaleio/mdm', '# fwlint:profile dell-emc-scaleio/sds', ...group('a', []), ''].join('\n') }, { profiles: ['dell-emc-scaleio/mdm,dell-emc-scaleio/sds'] }],
    [
      '.tf.json, "//" in the resource\'s object, and a profile between the names',
      {
        'main.tf.json': JSON.stringify({
          resource: {
            aws_security_group: {
              '//': 'fwlint:profile lumen-cloud/linux',
              a: { '//': 'fwlint:ignore FW101 reason="accepted"', ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] },
            },
          },
        }, null, 2),
      },
      { fw101: ['tcp/22 suppressed'], profiles: ['lumen-cloud/linux'] },
    ],
    [
      '.tf.json, "//" in a dynamic block\'s content',
      {
        'main.tf.json': JSON.stringify({
          resource: { aws_security_group: { a: { dynamic: { ingress: { for_each: [22], content: { '//': 'fwlint:ignore FW101 reason="accepted"', from_port: '${ingress.value}', to_port: '${ingress.value}', protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] } } } } } },
        }, null, 2),
      },
      { fw101: ['tcp/22 suppressed'] },
    ],
    [
      'CloudFormation YAML, above the resource and above a list item',
      {
        't.yaml': [
          'Resources:',
          '  # fwlint:profile lumen-cloud/linux',
          '  Web:',
          '    Type: AWS::EC2::SecurityGroup',
          '    Properties:',
          '      GroupDescription: web',
          '      SecurityGroupIngress:',
          `        ${IGNORE}`,
          ...cfnIngress,
          '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
          '  # fwlint:ignore FW101 reason="accepted"',
          '  Ssh:',
          '    Type: AWS::EC2::SecurityGroupIngress',
          '    Properties: {GroupId: !Ref Web, IpProtocol: tcp, FromPort: 23, ToPort: 23, CidrIp: 0.0.0.0/0}',
          '',
        ].join('\n'),
      },
      { fw101: ['tcp/22 suppressed', 'tcp/23 suppressed'], profiles: ['lumen-cloud/linux'] },
    ],
    [
      'CloudFormation JSON (no comments): a fwlint:profile Tags entry',
      {
        't.json': JSON.stringify({
          AWSTemplateFormatVersion: '2010-09-09',
          Resources: { Web: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'web', Tags: [{ Key: 'fwlint:profile', Value: 'lumen-cloud/linux' }] } } },
        }, null, 2),
      },
      { profiles: ['lumen-cloud/linux'] },
    ],
    [
      'CDK, above the statement creating the group and above a rule added to it',
      {
        'stack.ts': [
          "import * as cdk from 'aws-cdk-lib';",
          "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
          "const stack = new cdk.Stack(new cdk.App(), 'S');",
          "const vpc = ec2.Vpc.fromLookup(stack, 'Vpc', { vpcId: 'vpc-1' });",
          '// fwlint:profile lumen-cloud/linux',
          "const sg = new ec2.SecurityGroup(stack, 'Web', { vpc, allowAllOutbound: false });",
          IGNORE.replace('#', '//'),
          'sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));',
          '',
        ].join('\n'),
      },
      { fw101: ['tcp/22 suppressed'], profiles: ['lumen-cloud/linux'] },
    ],
    [
      'Pulumi, above the group and above a list item',
      {
        'index.ts': [
          'import * as aws from "@pulumi/aws";',
          '// fwlint:profile lumen-cloud/linux',
          'const web = new aws.ec2.SecurityGroup("web", {',
          '  ingress: [',
          `    ${IGNORE.replace('#', '//')}`,
          '    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },',
          '  ],',
          '});',
          '',
        ].join('\n'),
      },
      { fw101: ['tcp/22 suppressed'], profiles: ['lumen-cloud/linux'] },
    ],
    [
      'netsh script, REM and :: above add rule',
      {
        'host.cmd': [
          '@echo off',
          'REM fwlint:target host-a',
          ':: fwlint:ignore FW101 reason="accepted"',
          'netsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=TCP localport=22',
          'REM fwlint:ignore FW101 reason="accepted"',
          'netsh advfirewall firewall add rule name="Telnet" dir=in action=allow protocol=TCP localport=23',
          '',
        ].join('\r\n'),
      },
      { fw101: ['tcp/22 suppressed', 'tcp/23 suppressed'] },
    ],
    [
      'PowerShell script, # above New-NetFirewallRule, and a profile',
      {
        'host.ps1': [
          '# fwlint:target host-b',
          '# fwlint:profile lumen-cloud/windows',
          '',
          IGNORE,
          'New-NetFirewallRule -DisplayName "SSH" -Direction Inbound -Protocol TCP -LocalPort 22 -Action Allow',
          '',
        ].join('\n'),
      },
      { fw101: ['tcp/22 suppressed'], profiles: ['lumen-cloud/windows'] },
    ],
  ];

  it.each(cases)('valid: %s', (_name, files, expected) => {
    const result = scanFiles(files);
    const found = outcome(result);
    expect(found.unattached).toEqual([]);
    expect(found.fw101.map((line) => line.replace(/^\d+ /, '')).sort()).toEqual(expected.fw101 ?? []);
    expect(result.targets.flatMap((target) => target.profile?.ref ?? [])).toEqual(expected.profiles ?? []);
  });
});

// QA 12, item 4: above a local module's call a comment applies to nothing (the module's findings are reported in its
// own files, where a comment applies to every call), and a fwlint:profile above any `module` block maps nothing (each
// target of a module is mapped on its own); the warning said only "no rule or target starts on line N".
describe('a comment above a module block', () => {
  const module = ['resource "aws_security_group" "app" {', ...sshRule, '}', ''].join('\n');

  it('invalid: HCL, fwlint:ignore and fwlint:profile above a local module\'s call, and the warnings say where to write them', () => {
    const main = [IGNORE, 'module "app" {', '  source = "./modules/app"', '}', '# fwlint:profile lumen-cloud/linux', 'module "web" {', '  source = "./modules/app"', '}', ''].join('\n');
    const result = scanFiles({ 'main.tf': main, 'modules/app/main.tf': module });
    expect(outcome(result)).toEqual({ fw101: ['6 tcp/22 open', '6 tcp/22 open'], unattached: [1, 5] });
    expect(result.targets.map((target) => target.profile)).toEqual([undefined, undefined]);
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'fwlint:ignore applies to nothing: module "app" is a local module, whose findings are reported in its own files; write the comment there, above the rule or target (it applies to every call of the module), or add an ignore: entry to .fwlint.yaml',
      'fwlint:profile applies to nothing: a module block maps no target (each target of module "web" is mapped on its own); write the comment above the target in the module\'s files, or map its targets in .fwlint.yaml (targets:)',
    ]);
  });

  it('invalid: JSON, a "//" property of a local module\'s block', () => {
    const main = JSON.stringify({ module: { app: { '//': 'fwlint:ignore FW101 reason="accepted"', source: './modules/app' } } }, null, 2);
    const result = scanFiles({ 'main.tf.json': main, 'modules/app/main.tf': module });
    expect(outcome(result)).toEqual({ fw101: ['6 tcp/22 open'], unattached: [4] });
    expect(result.diagnostics[0]!.message).toMatch(/^fwlint:ignore applies to nothing: module "app" is a local module, whose findings are reported in its own files;/);
  });

  it('valid: fwlint:ignore above the block of a module terraform init installed mutes its findings; fwlint:profile there maps nothing', () => {
    const main = [IGNORE, 'module "bastion" {', '  source  = "example-corp/sg/aws"', '  version = "1.0.0"', '}', '# fwlint:profile lumen-cloud/linux', 'module "rdp" {', '  source  = "example-corp/sg/aws"', '  version = "1.0.0"', '}', ''].join('\n');
    const manifest = JSON.stringify({
      Modules: [
        { Key: '', Source: '', Dir: '.' },
        { Key: 'bastion', Source: 'registry.terraform.io/example-corp/sg/aws', Version: '1.0.0', Dir: '.terraform/modules/bastion' },
        { Key: 'rdp', Source: 'registry.terraform.io/example-corp/sg/aws', Version: '1.0.0', Dir: '.terraform/modules/rdp' },
      ],
    });
    const result = scanFiles({ 'main.tf': main, '.terraform/modules/modules.json': manifest, '.terraform/modules/bastion/main.tf': module, '.terraform/modules/rdp/main.tf': module });
    expect(outcome(result)).toEqual({ fw101: ['2 tcp/22 suppressed', '7 tcp/22 open'], unattached: [6] });
    expect(result.diagnostics[0]!.message).toBe('fwlint:profile applies to nothing: a module block maps no target (each target of module "rdp" is mapped on its own); map its targets in .fwlint.yaml (targets:)');
  });
});

/** `traffic suppressed|open` of each FW101 in scan order, and the annotation/unattached messages: what a layout must not change. */
function verdicts(result: ScanResult): { fw101: string[]; unattached: string[] } {
  return {
    fw101: result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.properties.traffic} ${finding.suppression ? 'suppressed' : 'open'}`),
    unattached: result.diagnostics.filter((diagnostic) => diagnostic.code === 'annotation/unattached').map((diagnostic) => diagnostic.message),
  };
}

// Regression (QA 16, item 03): "//" properties were bound by line, so in a one-line (minified) .tf.json, as cdktf,
// `jq -c` or JSON.stringify write it, a comment in one ingress item muted the whole group (a world-open RDP rule
// with it) and a comment in an aws_security_group_rule's object muted nothing, silently.
describe('a "//" property of Terraform JSON binds by its place in the JSON, not by line', () => {
  const ignore = (reason: string): string => `fwlint:ignore FW101 reason="${reason}"`;
  const open = (port: number): Record<string, unknown> => ({ from_port: port, to_port: port, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] });
  const configuration = {
    resource: {
      aws_security_group: {
        web: { name: 'web', ingress: [{ '//': ignore('item 0'), ...open(22) }, open(3389)] },
        db: { name: 'db', ingress: [open(5432)] },
      },
      aws_security_group_rule: {
        a: { '//': ignore('rule a'), type: 'ingress', security_group_id: 'sg-0123456789abcdef0', ...open(23) },
        b: { type: 'ingress', security_group_id: 'sg-0123456789abcdef0', ...open(25) },
      },
      aws_vpc_security_group_ingress_rule: {
        '//': ignore('above c'),
        c: { security_group_id: '${aws_security_group.db.id}', ip_protocol: 'tcp', from_port: 21, to_port: 21, cidr_ipv4: '0.0.0.0/0' },
        d: { security_group_id: '${aws_security_group.db.id}', ip_protocol: 'tcp', from_port: 20, to_port: 20, cidr_ipv4: '0.0.0.0/0' },
      },
    },
  };
  const expected = {
    fw101: ['tcp/22 suppressed', 'tcp/3389 open', 'tcp/5432 open', 'tcp/23 suppressed', 'tcp/25 open', 'tcp/21 suppressed', 'tcp/20 open'],
    unattached: [],
  };

  it.each([
    ['pretty-printed', JSON.stringify(configuration, null, 2)],
    ['on one line', JSON.stringify(configuration)],
  ])('valid: %s, each comment mutes the rule or resource it is in, or the block after it', (_layout, text) => {
    expect(verdicts(scanFiles({ 'main.tf.json': text }))).toEqual(expected);
  });

  it('invalid: on one line, a "//" last in an object of names mutes nothing, and the warning names the object', () => {
    const text = JSON.stringify({ resource: { aws_security_group: { web: { ingress: [open(22)] }, '//': ignore('stale') } } });
    const result = scanFiles({ 'main.tf.json': text });
    expect(verdicts(result)).toEqual({
      fw101: ['tcp/22 open'],
      unattached: ['fwlint:ignore applies to nothing: the object it is written in (line 1) is no rule or target fwlint read; write it in the object of the rule or resource'],
    });
  });

  it('invalid: on one line, a "//" before a variable names the property after it', () => {
    const text = JSON.stringify({ '//': ignore('variable'), variable: { x: { default: 1 } }, resource: { aws_security_group: { web: { ingress: [open(22)] } } } });
    expect(verdicts(scanFiles({ 'main.tf.json': text }))).toEqual({
      fw101: ['tcp/22 open'],
      unattached: ['fwlint:ignore applies to nothing: the property after it (line 1, column 49) is no rule or target fwlint read; write it in the object of the rule or resource'],
    });
  });
});

// Regression (QA 16, item 05): in CloudFormation YAML a comment indented inside a rule after its last property muted
// the next rule (a world-open RDP one) and not its own. YAML's indentation is its block structure.
describe('a CloudFormation YAML comment belongs where its indentation puts it', () => {
  const template = (afterLitIn: string, afterItem: string): string =>
    [
      'Resources:',
      '  LitIn:',
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Properties:',
      '      GroupId: sg-0123456789abcdef0',
      '      IpProtocol: tcp',
      '      FromPort: 23',
      '      ToPort: 23',
      '      CidrIp: 0.0.0.0/0', // 9
      afterLitIn, // 10
      '  LitIn2:',
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Properties:',
      '      GroupId: sg-0123456789abcdef0',
      '      IpProtocol: tcp',
      '      FromPort: 3389',
      '      ToPort: 3389',
      '      CidrIp: 0.0.0.0/0', // 18
      '  Web:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: web',
      '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
      '      SecurityGroupIngress:',
      '        - IpProtocol: tcp',
      '          FromPort: 22',
      '          ToPort: 22',
      '          CidrIp: 0.0.0.0/0', // 28
      afterItem, // 29
      '        - IpProtocol: tcp',
      '          FromPort: 5985',
      '          ToPort: 5985',
      '          CidrIp: 0.0.0.0/0', // 33
      '',
    ].join('\n');

  it('valid: indented as a rule\'s properties (or its key\'s mapping) after the last one, it applies to that rule', () => {
    expect(outcome(scanFiles({ 't.yaml': template(`      ${IGNORE}`, `          ${IGNORE}`) }))).toEqual({
      fw101: ['9 tcp/23 suppressed', '18 tcp/3389 open', '28 tcp/22 suppressed', '33 tcp/5985 open'],
      unattached: [],
    });
    expect(outcome(scanFiles({ 't.yaml': template(`    ${IGNORE}`, `            ${IGNORE}`) })).fw101).toEqual(['9 tcp/23 suppressed', '18 tcp/3389 open', '28 tcp/22 suppressed', '33 tcp/5985 open']);
  });

  it('valid: at the indentation of the next key or `-`, it applies to what follows', () => {
    expect(outcome(scanFiles({ 't.yaml': template(`  ${IGNORE}`, `        ${IGNORE}`) }))).toEqual({
      fw101: ['9 tcp/23 open', '18 tcp/3389 suppressed', '28 tcp/22 open', '33 tcp/5985 suppressed'],
      unattached: [],
    });
  });

  it('invalid: indented inside a resource that is no rule (after its properties), it applies to nothing', () => {
    const text = template('', '').replace('      GroupDescription: web\n', `      GroupDescription: web\n        ${IGNORE}\n`);
    const result = scanFiles({ 't.yaml': text });
    expect(outcome(result)).toEqual({ fw101: ['9 tcp/23 open', '18 tcp/3389 open', '29 tcp/22 open', '34 tcp/5985 open'], unattached: [23] });
    expect(result.diagnostics.find((diagnostic) => diagnostic.code === 'annotation/unattached')!.message).toBe(
      'fwlint:ignore applies to nothing: its indentation puts it inside what starts on line 22, which is in no rule fwlint read; write it on the line above the rule or target, indented as its first line',
    );
  });
});

// Regression (QA 16, item 06): a comment in an installed module's HCL block was ignored ("write it on the line above
// the rule or target") while the same "//" in the module's JSON object muted its findings; above a module that is not
// installed the warning told to move a comment written where it belongs.
describe('a comment in or above the block of a module that is not local', () => {
  const module = ['resource "aws_security_group" "app" {', ...sshRule, '}', ''].join('\n');
  const installed = {
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'vpc', Source: 'registry.terraform.io/example-corp/sg/aws', Version: '1.0.0', Dir: '.terraform/modules/vpc' }] }),
    '.terraform/modules/vpc/main.tf': module,
  };

  it('valid: HCL, in the block, as a "//" in the module\'s JSON object', () => {
    const hcl = ['module "vpc" {', `  ${IGNORE}`, '  source  = "example-corp/sg/aws"', '  version = "1.0.0"', '}', ''].join('\n');
    const json = JSON.stringify({ module: { vpc: { source: 'example-corp/sg/aws', '//': 'fwlint:ignore FW101 reason="accepted"', version: '1.0.0' } } }, null, 2);
    expect(outcome(scanFiles({ 'main.tf': hcl, ...installed }))).toEqual({ fw101: ['1 tcp/22 suppressed'], unattached: [] });
    expect(outcome(scanFiles({ 'main.tf.json': json, ...installed }))).toEqual({ fw101: ['3 tcp/22 suppressed'], unattached: [] });
  });

  it('invalid: above or in the block of a module terraform init has not installed, the warning says so', () => {
    const hcl = [IGNORE, 'module "vpc" {', '  source  = "example-corp/sg/aws"', '}', 'module "web" {', `  ${IGNORE}`, '  source  = "example-corp/sg/aws"', '}', ''].join('\n');
    const messages = scanFiles({ 'main.tf': hcl }).diagnostics.filter((diagnostic) => diagnostic.code === 'annotation/unattached').map((diagnostic) => diagnostic.message);
    expect(messages).toEqual(['vpc', 'web'].map((name) =>
      `fwlint:ignore applies to nothing yet: fwlint could not read module "${name}" (see the warning at its block: for a registry or git module, run terraform init), so no finding of it is reported at the block; once it is read, the comment applies to those findings`,
    ));
  });
});

// Regression (QA 16, item 11): two fwlint:profile comments of two packs on rules of one group gave "profile
// 'lumen-cloud/linux,dell-emc-scaleio/sdc' must name roles of one pack", a reference nobody wrote, at the first only.
describe('fwlint:profile comments of two packs on one target', () => {
  it('invalid: the error names both comments and their lines, and the target maps nothing', () => {
    const rule = (name: string, port: number): string[] => [
      `resource "aws_security_group_rule" "${name}" {`,
      '  type              = "ingress"',
      '  security_group_id = data.aws_security_group.shared.id',
      `  from_port         = ${port}`,
      `  to_port           = ${port}`,
      '  protocol          = "tcp"',
      '  cidr_blocks       = ["10.0.0.0/8"]',
      '}',
    ];
    const text = ['data "aws_security_group" "shared" {', '  name = "shared"', '}', '# fwlint:profile lumen-cloud/linux', ...rule('a', 22), '# fwlint:profile dell-emc-scaleio/sdc', ...rule('b', 8080), ''].join('\n');
    const result = scanFiles({ 'main.tf': text });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `${diagnostic.range!.startLine} ${diagnostic.code} ${diagnostic.message}`)).toEqual([
      '13 annotation/invalid data.aws_security_group.shared is mapped to roles of two packs: lumen-cloud/linux (line 4) and dell-emc-scaleio/sdc (line 13); a target takes roles of one pack, so it is mapped to none',
    ]);
    expect(result.targets.map((target) => target.profile)).toEqual([undefined]);
  });
});
