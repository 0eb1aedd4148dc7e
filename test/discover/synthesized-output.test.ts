import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverFiles } from '../../src/discover/discover';
import { scan, type ScanResult } from '../../src/pipeline/scan';

const roots: string[] = [];
/** A throwaway tree: `files` maps a relative path to its content. */
function tree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-synth-'));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    if (content === undefined) continue;
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function scanTree(root: string, paths: string[] = ['.']): ScanResult {
  return scan({ paths, cwd: root, today: '2026-11-23' });
}
const findingFiles = (result: ScanResult): string[] => [...new Set(result.findings.map((finding) => finding.location.file))];
const diagnosticCodes = (result: ScanResult): string[] => result.diagnostics.map((diagnostic) => `${diagnostic.file} ${diagnostic.code}`);

/** A `cdk init` app: its stack opens SSH to the world, and `cdk synth` wrote the same group to cdk.out. */
const CDK_STACK = `import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
export class WebStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new ec2.CfnSecurityGroup(this, 'WebSG', {
      groupDescription: 'web',
      securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }],
    });
  }
}
new WebStack(new App(), 'WebStack');
`;
/** A synthesized group, with the construct path `cdk synth` writes as its metadata. */
function templateGroup(constructPath: string, cidr = '0.0.0.0/0'): Record<string, unknown> {
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: { GroupDescription: 'web', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: cidr }] },
    Metadata: { 'aws:cdk:path': constructPath },
  };
}
const TEMPLATE = JSON.stringify({ Resources: { WebSG: templateGroup('WebStack/WebSG') } }, null, 1);
const CDK_APP = {
  'cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }),
  'lib/web-stack.ts': CDK_STACK,
  'cdk.out/WebStack.template.json': TEMPLATE,
  'cdk.out/manifest.json': '{"version":"36.0.0","artifacts":{}}',
};
const SKIPPED_WEB_SG = 'cdk.out: a target of the CloudFormation templates synthesized from this AWS CDK app not reported again (WebStack/WebSG): the scanned source gives it with the same rules; the folder\'s other targets are scanned. To report it from the output too, name the folder: fwlint scan . cdk.out';

/** A CDKTF app writing to a folder of its own choosing (`"output"` in cdktf.json). */
const CDKTF_APP = {
  'infra/cdktf.json': JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts', output: 'build/synth' }),
  'infra/main.ts': `import { App, TerraformStack } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
class Web extends TerraformStack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new SecurityGroup(this, 'sg', { ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] });
  }
}
new Web(new App(), 'web');
`,
  'infra/build/synth/stacks/web/cdk.tf.json': JSON.stringify({
    resource: { aws_security_group: { sg: { '//': { metadata: { path: 'web/sg', uniqueId: 'sg' } }, ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } },
  }),
};

describe('synthesized output of a CDK or CDKTF app whose source is scanned', () => {
  it('drops the cdk.out group the source repeats (same construct path and rules), with one warning on cdk.json saying how to scan it', () => {
    const result = scanTree(tree(CDK_APP));
    expect(findingFiles(result)).toEqual(['lib/web-stack.ts']);
    expect(result.diagnostics).toEqual([{ code: 'scan/synthesized-output-skipped', severity: 'warning', file: 'cdk.json', message: SKIPPED_WEB_SG }]);
    expect(result.targetFiles.map((target) => target.id)).toEqual(['WebStack/WebSG']);
    // An L2 construct's group is its `…/Resource` child.
    const l2 = scanTree(tree({ ...CDK_APP, 'cdk.out/WebStack.template.json': JSON.stringify({ Resources: { WebSG: templateGroup('WebStack/WebSG/Resource') } }) }));
    expect(findingFiles(l2)).toEqual(['lib/web-stack.ts']);
  });

  it('matches a peer group by its construct path (the template names it by logical id), and an L2 group\'s placeholder egress', () => {
    const stack = `import { Stack, App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
class WebStack extends Stack {
  constructor(scope: any, id: string) {
    super(scope, id);
    const vpc = ec2.Vpc.fromLookup(this, 'Vpc', {});
    const web = new ec2.SecurityGroup(this, 'WebSg', { vpc, allowAllOutbound: false });
    web.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    const db = new ec2.SecurityGroup(this, 'DbSg', { vpc, allowAllOutbound: false });
    db.addIngressRule(web, ec2.Port.tcp(5432));
  }
}
new WebStack(new App(), 'WebStack');
`;
    const noEgress = [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }];
    const template = JSON.stringify({ Resources: {
      WebSg1A2B3C4D: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: { GroupDescription: 'WebStack/WebSg', SecurityGroupEgress: noEgress, SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', FromPort: 22, IpProtocol: 'tcp', ToPort: 22 }] },
        Metadata: { 'aws:cdk:path': 'WebStack/WebSg/Resource' },
      },
      DbSg5E6F7A8B: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'WebStack/DbSg', SecurityGroupEgress: noEgress }, Metadata: { 'aws:cdk:path': 'WebStack/DbSg/Resource' } },
      DbSgfromWebStackWebSg5432: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, GroupId: { 'Fn::GetAtt': ['DbSg5E6F7A8B', 'GroupId'] }, SourceSecurityGroupId: { 'Fn::GetAtt': ['WebSg1A2B3C4D', 'GroupId'] } },
        Metadata: { 'aws:cdk:path': 'WebStack/DbSg/from WebStackWebSg:5432' },
      },
    } });
    const result = scanTree(tree({ ...CDK_APP, 'lib/web-stack.ts': stack, 'cdk.out/WebStack.template.json': template }));
    expect(result.targetFiles.map((target) => target.id)).toEqual(['WebStack/DbSg', 'WebStack/WebSg']);
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([expect.stringContaining('2 targets of the CloudFormation templates synthesized from this AWS CDK app not reported again (WebStack/DbSg, WebStack/WebSg)')]);
  });

  it('drops the group of the folder cdktf.json names as "output" by its metadata path; the hint keeps the scanned paths', () => {
    const result = scanTree(tree(CDKTF_APP), ['infra']);
    expect(findingFiles(result)).toEqual(['infra/main.ts']);
    expect(diagnosticCodes(result)).toEqual(['infra/cdktf.json scan/synthesized-output-skipped']);
    expect(result.diagnostics[0]!.message).toContain('(web/sg)');
    expect(result.diagnostics[0]!.message).toContain('name the folder: fwlint scan infra infra/build/synth');
  });

  it('scans the output folder too when it is named on the command line, or a file in it is', () => {
    const root = tree(CDK_APP);
    for (const named of [['.', 'cdk.out'], ['.', 'cdk.out/WebStack.template.json']]) {
      const result = scanTree(root, named);
      expect(findingFiles(result)).toEqual(['cdk.out/WebStack.template.json', 'lib/web-stack.ts']);
      expect(result.diagnostics).toEqual([]);
    }
  });

  it('never loses what only the template gives: a group the source does not make, or makes with other or unknown rules', () => {
    const outputOnly = (result: ScanResult): string[] => result.findings.filter((finding) => finding.location.file.startsWith('cdk.out/') && finding.checkId === 'FW101').map((finding) => `${finding.checkId} ${finding.targetId}`);
    // A construct library's group (BastionTier from a package): the source yields no target at all, and says nothing.
    const library = scanTree(tree({ ...CDK_APP, 'cdk.out/WebStack.template.json': JSON.stringify({ Resources: { BastionSg: templateGroup('WebStack/Bastion/Sg/Resource') } }) }));
    expect(outputOnly(library)).toEqual(['FW101 BastionSg']);
    expect(library.diagnostics).toEqual([]);
    // `addPropertyOverride('SecurityGroupIngress.0.CidrIp', '0.0.0.0/0')` on a group the source opens to 10.0.0.0/8.
    const override = scanTree(tree({ ...CDK_APP, 'lib/web-stack.ts': CDK_STACK.replace("cidrIp: '0.0.0.0/0'", "cidrIp: '10.0.0.0/8'") }));
    expect(outputOnly(override)).toEqual(['FW101 WebSG']);
    // A CIDR imported from a package: unknown to the source (FW303 only), known in the template.
    const imported = scanTree(tree({
      ...CDK_APP,
      'lib/web-stack.ts': `import { ADMIN_CIDR } from '@acme/network-constants';\n${CDK_STACK.replace("cidrIp: '0.0.0.0/0'", 'cidrIp: ADMIN_CIDR')}`,
    }));
    expect(outputOnly(imported)).toEqual(['FW101 WebSG']);
    expect(imported.findings.filter((finding) => finding.location.file === 'lib/web-stack.ts').map((finding) => finding.checkId).sort()).toEqual(['FW104', 'FW303']);
    // A template without construct paths (`cdk synth --no-path-metadata`) cannot be matched: read whole.
    const noMetadata = scanTree(tree({ ...CDK_APP, 'cdk.out/WebStack.template.json': JSON.stringify({ Resources: { WebSG: { ...templateGroup('x'), Metadata: undefined } } }) }));
    expect(outputOnly(noMetadata)).toEqual(['FW101 WebSG']);
    expect(noMetadata.diagnostics).toEqual([]);
  });

  it('keeps a template group a config entry maps by its logical id (fixtures/cdk/synth-mapped-by-logical-id): its role findings are not lost', () => {
    const result = scan({ paths: ['fixtures/cdk/synth-mapped-by-logical-id'], cwd: path.resolve(__dirname, '../..'), today: '2026-11-23' });
    const template = 'fixtures/cdk/synth-mapped-by-logical-id/cdk.out/S.template.json';
    expect(result.findings.filter((finding) => finding.location.file === template).map((finding) => `${finding.checkId} ${finding.targetId}`))
      .toEqual([...Array(5).fill('FW201 WebABCD1234'), 'FW202 WebABCD1234']);
    // Neither "matched no scanned target id" nor "not reported again".
    expect(result.diagnostics).toEqual([]);
    expect(result.targetFiles.map((target) => target.id)).toEqual(['S/Web', 'WebABCD1234']);
  });

  it('drops a template group judged as its source is: mapped alike (--profile, a glob matching both), or only by the source (its construct path, a comment)', () => {
    const mapped = (config: string): Record<string, string> => ({ ...CDK_APP, '.fwlint.yaml': config });
    const judgedFromSource = (result: ScanResult): void => {
      expect(findingFiles(result)).toEqual(['lib/web-stack.ts']);
      expect(diagnosticCodes(result)).toEqual(['cdk.json scan/synthesized-output-skipped']);
      expect(result.findings.some((finding) => finding.checkId === 'FW201' && finding.targetId === 'WebStack/WebSG')).toBe(true);
    };
    judgedFromSource(scan({ paths: ['.'], cwd: tree(CDK_APP), today: '2026-11-23', profile: 'dell-emc-scaleio/sdc' }));
    judgedFromSource(scanTree(tree(mapped('targets:\n  - match: ["*"]\n    profile: dell-emc-scaleio/sdc\n'))));
    judgedFromSource(scanTree(tree(mapped('targets:\n  - match: ["WebStack/*"]\n    profile: dell-emc-scaleio/sdc\n'))));
    judgedFromSource(scanTree(tree({ ...CDK_APP, 'lib/web-stack.ts': CDK_STACK.replace('    new ec2.CfnSecurityGroup', '    // fwlint:profile dell-emc-scaleio/sdc\n    new ec2.CfnSecurityGroup') })));
  });

  it('keeps a template group a setting names by its logical id alone: another role, an ignore: entry, a baseline entry', () => {
    const templateFindings = (result: ScanResult): string[] => result.findings.filter((finding) => finding.location.file === 'cdk.out/WebStack.template.json')
      .map((finding) => `${finding.checkId} ${finding.targetId}${finding.suppression ? ' suppressed' : ''}`);
    // Both mapped, to different roles.
    const twoRoles = scanTree(tree({ ...CDK_APP, '.fwlint.yaml': 'targets:\n  - match: [WebSG]\n    profile: dell-emc-scaleio/mdm\n  - match: ["WebStack/*"]\n    profile: dell-emc-scaleio/sdc\n' }));
    expect(templateFindings(twoRoles)).toContain('FW101 WebSG');
    expect(twoRoles.diagnostics).toEqual([]);
    // The same role, but the entry names the template's group: it applies to it, not "matched no scanned target id".
    const sameRole = scanTree(tree({ ...CDK_APP, '.fwlint.yaml': 'targets:\n  - match: [WebSG]\n    profile: dell-emc-scaleio/sdc\n  - match: ["WebStack/*"]\n    profile: dell-emc-scaleio/sdc\n' }));
    expect(templateFindings(sameRole)).toContain('FW101 WebSG');
    expect(sameRole.diagnostics).toEqual([]);
    const ignored = scanTree(tree({ ...CDK_APP, '.fwlint.yaml': 'ignore:\n  - check: FW101\n    target: WebSG\n    reason: accepted\n' }));
    expect(templateFindings(ignored)).toContain('FW101 WebSG suppressed');
    expect(ignored.diagnostics).toEqual([]);
    const withoutSource = scanTree(tree(CDK_APP), ['cdk.out']);
    const baseline = { version: 1 as const, tool: 'fwlint' as const, findings: withoutSource.findings.map((finding) => ({ fingerprint: finding.fingerprint, checkId: finding.checkId, targetId: finding.targetId, message: finding.message, file: finding.location.file })) };
    const baselined = scan({ paths: ['.'], cwd: tree(CDK_APP), today: '2026-11-23', baseline });
    expect(templateFindings(baselined).length).toBeGreaterThan(0);
    expect(baselined.stats.baselineAbsent).toBe(0);
    expect(baselined.diagnostics).toEqual([]);
  });

  it('reads a cdk.json with a BOM for its "output"', () => {
    const result = scanTree(tree({
      ...CDK_APP,
      'cdk.json': `\uFEFF${JSON.stringify({ app: 'npx ts-node bin/app.ts', output: 'build/cdk' })}`,
      'cdk.out/WebStack.template.json': undefined as unknown as string,
      'build/cdk/WebStack.template.json': TEMPLATE,
    }));
    expect(findingFiles(result)).toEqual(['lib/web-stack.ts']);
    expect(diagnosticCodes(result)).toEqual(['cdk.json scan/synthesized-output-skipped']);
  });
});

describe('synthesized output read as any input', () => {
  it('without the app source in the scan: only cdk.out scanned, or an app whose source fwlint does not read (Python)', () => {
    const root = tree({ ...CDK_APP, 'cdk.json': JSON.stringify({ app: 'python3 app.py' }), 'lib/web-stack.ts': '', 'app.py': 'import aws_cdk' });
    fs.rmSync(path.join(root, 'lib'), { recursive: true });
    const python = scanTree(root);
    expect(findingFiles(python)).toEqual(['cdk.out/WebStack.template.json']);
    expect(python.diagnostics).toEqual([]);
    const onlyOutput = scanTree(tree(CDK_APP), ['cdk.out']);
    expect(findingFiles(onlyOutput)).toEqual(['cdk.out/WebStack.template.json']);
    expect(onlyOutput.diagnostics).toEqual([]);
  });

  it("only the app's own source counts: not a nested app's (its own cdk.json), nor a Pulumi or CDKTF program in its folder", () => {
    // The root is a Python app; the TypeScript that makes the same construct path belongs to another app or tool.
    const python = { 'cdk.json': JSON.stringify({ app: 'python3 app.py' }), 'app.py': 'import aws_cdk', 'cdk.out/WebStack.template.json': TEMPLATE };
    const nested = scanTree(tree({ ...python, 'tools/ops/cdk.json': '{}', 'tools/ops/lib/web-stack.ts': CDK_STACK }));
    expect(findingFiles(nested)).toEqual(['cdk.out/WebStack.template.json', 'tools/ops/lib/web-stack.ts']);
    expect(nested.diagnostics).toEqual([]);
    const cdktf = scanTree(tree({ ...python, 'infra/main.ts': CDK_STACK.replace("from 'aws-cdk-lib';", "from 'aws-cdk-lib';\nimport 'cdktf';").replace(/aws-cdk-lib(\/aws-ec2)?/g, 'cdktf') }));
    expect(findingFiles(cdktf)).toContain('cdk.out/WebStack.template.json');
  });

  it('an output folder two apps write to is read unless the source of each is', () => {
    const shared = {
      'apps/a-web/cdk.json': JSON.stringify({ app: 'npx ts-node lib/web-stack.ts', output: '../../synth' }),
      'apps/a-web/lib/web-stack.ts': CDK_STACK,
      'apps/b-data/cdk.json': JSON.stringify({ app: 'python3 app.py', output: '../../synth' }),
      'apps/b-data/app.py': 'import aws_cdk',
      'synth/WebStack.template.json': TEMPLATE,
    };
    const result = scanTree(tree(shared));
    expect(findingFiles(result)).toEqual(['apps/a-web/lib/web-stack.ts', 'synth/WebStack.template.json']);
    expect(result.diagnostics).toEqual([]);
  });

  it('without a cdk.json, and a malformed cdk.json means the default cdk.out', () => {
    const { 'cdk.json': _config, ...withoutConfig } = CDK_APP;
    expect(findingFiles(scanTree(tree(withoutConfig)))).toEqual(['cdk.out/WebStack.template.json', 'lib/web-stack.ts']);
    const malformed = scanTree(tree({ ...CDK_APP, 'cdk.json': '{"app": ' }));
    expect(findingFiles(malformed)).toEqual(['lib/web-stack.ts']);
    expect(diagnosticCodes(malformed)).toEqual(['cdk.json scan/synthesized-output-skipped']);
  });

  it('says nothing when a .gitignore already leaves the output out (cdk init writes one)', () => {
    const result = scanTree(tree({ ...CDK_APP, '.gitignore': 'cdk.out\n' }));
    expect(findingFiles(result)).toEqual(['lib/web-stack.ts']);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('discoverFiles marks the output folder of a CDK/CDKTF app it walks', () => {
  it('marks the files below the output folder, not those named, and ignores an output folder that holds the app', () => {
    const root = tree({ ...CDK_APP, 'sub/cdk.json': '{"output": ".."}', 'sub/x.ts': '' });
    const marked = (inputs: string[]): string[] => discoverFiles(inputs, root).value.filter((file) => file.synthesizedBy).map((file) => file.path);
    expect(marked(['.'])).toEqual(['cdk.out/WebStack.template.json', 'cdk.out/manifest.json']);
    const shared = discoverFiles(['.'], tree({ 'a/cdk.json': '{"output": "../out"}', 'b/cdktf.json': '{"output": "../out"}', 'out/x.json': '{}' })).value;
    expect(shared.find((file) => file.path === 'out/x.json')!.synthesizedBy!.map((app) => app.configFile)).toEqual(['a/cdk.json', 'b/cdktf.json']);
    expect(marked(['.', 'cdk.out/manifest.json'])).toEqual(['cdk.out/WebStack.template.json']);
    expect(marked(['lib', 'cdk.out'])).toEqual([]);
  });
});
