import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cdkStack } from '../../src/bench/generate-cdk';
import { cloudFormationTemplate, generateCloudFormation } from '../../src/bench/generate-cloudformation';
import { netshExport } from '../../src/bench/generate-netsh';
import { terraformFile } from '../../src/bench/generate-terraform';
import { AddressSet } from '../../src/model/address-set';
import { PortSet } from '../../src/model/port-set';
import { PARSERS } from '../../src/parsers';
import { poolStatistics } from '../../src/pipeline/parallel-parse';
import { scan, type ScanResult } from '../../src/pipeline/scan';
import type { ReportContext } from '../../src/report';
import { renderJson } from '../../src/report/json';
import { renderSarif } from '../../src/report/sarif';

/*
 * Worker threads need JavaScript: under ts-jest there is no compiled parse-worker.js, so the pool starts its workers
 * with a bootstrap that transpiles the TypeScript sources on the fly (src/pipeline/parallel-parse.ts). This test
 * therefore runs the real worker path, and needs no `npm run build` first.
 */
jest.setTimeout(180_000);

const context: ReportContext = { toolVersion: '0.0.0-test', color: false, sourceLines: () => undefined, includeSuppressed: true, checkDocs: () => undefined };

function reports(result: ScanResult): { json: string; sarif: string } {
  const input = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode: 1 };
  return { json: renderJson(input, context), sarif: renderSarif(input, context) };
}

function modelText(result: ScanResult): string {
  return JSON.stringify(result.targets, (_key, value: unknown) =>
    value instanceof PortSet || value instanceof AddressSet ? `${value.constructor.name}(${value.toString()})` : value,
  );
}

const MODULE = `variable "cidr" {
  default = "0.0.0.0/0"
}

# fwlint:ignore FW102 reason="shared module, reviewed"
resource "aws_security_group" "shared" {
  name = "shared"
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.cidr]
  }
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [
  }
}
`;

/** Several Terraform folders (two calling one shared module that has a syntax error), CloudFormation, netsh, CDK, junk. */
function writeCorpus(root: string): void {
  const write = (file: string, text: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  for (let folder = 0; folder < 4; folder++) {
    for (let file = 0; file < 3; file++) write(`stacks/s${folder}/main-${file}.tf`, terraformFile(folder * 3 + file));
    if (folder < 2) write(`stacks/s${folder}/module.tf`, `module "shared" {\n  source = "../../modules/shared"\n  cidr   = "10.${folder}.0.0/16"\n}\n`);
  }
  write('stacks/s0/terraform.tfvars', 'env_0 = "staging"\n');
  // Terraform's JSON syntax in a folder with a `.tf` file that uses its variable, calling the shared module too.
  write('stacks/json/main.tf.json', JSON.stringify({ variable: { admin: { default: '0.0.0.0/0' } }, module: { shared: { source: '../../modules/shared', cidr: '${var.admin}' } } }, null, 2));
  write('stacks/json/web.tf', 'resource "aws_security_group" "json_web" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.admin]\n  }\n}\n');
  write('modules/shared/main.tf', MODULE);
  // Rules read from a data file (file() belongs to its Terraform folder's unit, in a worker as in the main thread).
  write('stacks/data/main.tf', 'locals {\n  rules = yamldecode(file("${path.module}/rules.yaml"))\n}\nresource "aws_security_group" "data" {\n  dynamic "ingress" {\n    for_each = local.rules\n    content {\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = "tcp"\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n');
  write('stacks/data/rules.yaml', 'ssh: 22\nrdp: 3389\n');
  generateCloudFormation(path.join(root, 'cfn'), { templates: 3 });
  write('cfn/extra.yaml', `${JSON.stringify(cloudFormationTemplate(99))}\n`);
  write('hosts/web-01.txt', netshExport(1, 300));
  write('hosts/web-02.txt', netshExport(2, 120));
  if (PARSERS.some((parser) => parser.kind === 'cdk')) {
    write('cdk/lib/a-stack.ts', cdkStack(1));
    write('cdk/lib/b-stack.ts', cdkStack(2));
    // Values imported from a plain TypeScript module travel with the importing file's unit to its worker.
    write('cdk/lib/net.ts', "export const ANYWHERE = '0.0.0.0/0';\nexport const PORTS = [22, 3389];\n");
    write('cdk/lib/c-stack.ts', `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ANYWHERE, PORTS } from './net';
const st = new cdk.Stack(new cdk.App(), 'Imports');
const sg = new ec2.SecurityGroup(st, 'Sg', { vpc: ec2.Vpc.fromLookup(st, 'V', {}), allowAllOutbound: false });
for (const port of PORTS) sg.addIngressRule(ec2.Peer.ipv4(ANYWHERE), ec2.Port.tcp(port));
`);
  }
  write('misc/binary.tf', Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]));
  write('misc/latin1.tf', Buffer.from('resource "aws_security_group" "caf\xe9" {}\n', 'latin1'));
}

describe('parallel parse', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-parallel-'));
    writeCorpus(root);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives the same JSON and SARIF, byte for byte, and the same model with 1 and 2 workers', () => {
    const single = scan({ paths: ['.'], cwd: root, today: '2026-11-23', workers: 1 });
    const before = { ...poolStatistics };
    const parallel = scan({ paths: ['.'], cwd: root, today: '2026-11-23', workers: 2 });
    // A worker really parsed (a silent fallback to this thread would pass the comparison trivially), and nothing
    // had to be parsed again here.
    expect(poolStatistics.pools).toBe(before.pools + 1);
    expect(poolStatistics.unitsParsedInWorkers - before.unitsParsedInWorkers).toBeGreaterThanOrEqual(3);
    expect(poolStatistics.unitsRetriedInThisThread).toBe(before.unitsRetriedInThisThread);

    expect(single.findings.length).toBeGreaterThan(100);
    expect(single.findings.some((finding) => finding.checkId === 'FW101' && finding.location.file === 'stacks/data/main.tf')).toBe(true);
    expect(single.findings.some((finding) => finding.checkId === 'FW101' && finding.location.file === 'stacks/json/web.tf')).toBe(true);
    expect(single.diagnostics.some((diagnostic) => diagnostic.code.startsWith('parse/'))).toBe(true);
    expect(single.findings.some((finding) => finding.suppression)).toBe(true);
    if (PARSERS.some((parser) => parser.kind === 'cdk')) {
      expect(parallel.findings.filter((finding) => finding.targetId === 'Imports/Sg' && finding.checkId === 'FW101').map((finding) => finding.message)).toEqual([
        'Imports/Sg allows ingress from 0.0.0.0/0 on tcp/22, 3389',
      ]);
    }
    const a = reports(single);
    const b = reports(parallel);
    expect(b.json).toBe(a.json);
    expect(b.sarif).toBe(a.sarif);
    expect(modelText(parallel)).toBe(modelText(single));
    expect(parallel.stats).toEqual({ ...single.stats, timingsMs: parallel.stats.timingsMs });
  });

  it('parses small inputs in this thread by default', () => {
    const before = { ...poolStatistics };
    scan({ paths: ['hosts/web-02.txt', 'cfn'], cwd: root, today: '2026-11-23' });
    expect(poolStatistics.pools).toBe(before.pools);
  });
});
