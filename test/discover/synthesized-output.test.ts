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
`;
const TEMPLATE = JSON.stringify({
  Resources: {
    WebSG: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: 'web', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] },
    },
  },
});
const CDK_APP = {
  'cdk.json': JSON.stringify({ app: 'npx ts-node bin/app.ts' }),
  'lib/web-stack.ts': CDK_STACK,
  'cdk.out/WebStack.template.json': TEMPLATE,
  'cdk.out/manifest.json': '{"version":"36.0.0","artifacts":{}}',
};

/** A CDKTF app writing to a folder of its own choosing (`"output"` in cdktf.json). */
const CDKTF_APP = {
  'infra/cdktf.json': JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts', output: 'build/synth' }),
  'infra/main.ts': `import { TerraformStack } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
class Web extends TerraformStack {
  constructor(scope: any, id: string) {
    super(scope, id);
    new SecurityGroup(this, 'sg', { ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] });
  }
}
`,
  'infra/build/synth/stacks/web/cdk.tf.json': JSON.stringify({
    resource: { aws_security_group: { sg: { ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } },
  }),
};

describe('synthesized output of a CDK or CDKTF app whose source is scanned', () => {
  it('skips cdk.out beside the CDK source, with one warning on cdk.json saying how to scan it', () => {
    const result = scanTree(tree(CDK_APP));
    expect(findingFiles(result)).toEqual(['lib/web-stack.ts']);
    expect(result.diagnostics).toEqual([{
      code: 'scan/synthesized-output-skipped',
      severity: 'warning',
      file: 'cdk.json',
      message: 'cdk.out not scanned: the CloudFormation templates synthesized from this AWS CDK app, whose source is scanned (each rule would be reported twice); to scan it too, name the folder: fwlint scan cdk.out',
    }]);
    expect(result.stats.parsedFiles).toBe(1);
  });

  it('skips the folder cdktf.json names as "output", named from the working directory', () => {
    const result = scanTree(tree(CDKTF_APP));
    expect(findingFiles(result)).toEqual(['infra/main.ts']);
    expect(diagnosticCodes(result)).toEqual(['infra/cdktf.json scan/synthesized-output-skipped']);
    expect(result.diagnostics[0]!.message).toContain('name the folder: fwlint scan infra/build/synth');
  });

  it('scans the output folder too when it is named on the command line, or a file in it is', () => {
    const root = tree(CDK_APP);
    for (const named of [['.', 'cdk.out'], ['.', 'cdk.out/WebStack.template.json']]) {
      const result = scanTree(root, named);
      expect(findingFiles(result)).toEqual(['cdk.out/WebStack.template.json', 'lib/web-stack.ts']);
      expect(result.diagnostics).toEqual([]);
    }
  });

  it('drops the problems of the files it skips, and says nothing when the folder holds no input', () => {
    const withBinary = scanTree(tree({ ...CDK_APP, 'cdk.out/Broken.template.json': Buffer.from([0x7b, 0, 0x7d, 0]) }));
    expect(diagnosticCodes(withBinary)).toEqual(['cdk.json scan/synthesized-output-skipped']);
    const noInput = scanTree(tree({ 'cdk.json': '{}', 'lib/web-stack.ts': CDK_STACK, 'cdk.out/manifest.json': '{"version":"36.0.0"}' }));
    expect(findingFiles(noInput)).toEqual(['lib/web-stack.ts']);
    expect(noInput.diagnostics).toEqual([]);
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
    expect(marked(['.', 'cdk.out/manifest.json'])).toEqual(['cdk.out/WebStack.template.json']);
    expect(marked(['lib', 'cdk.out'])).toEqual([]);
  });
});
