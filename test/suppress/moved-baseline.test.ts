import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formerAddresses } from '../../src/parsers/terraform/moved-blocks';
import { runCli } from '../helpers/run-cli';

// Terraform `moved` blocks: a baselined finding under a resource's or module call's old address was reported as new
// once the resource was renamed with a `moved` block, failing the CI gate (and reopening its code scanning alert).

const SSH_OPEN = (name: string): string =>
  `resource "aws_security_group" "${name}" {\n  name = "web"\n\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;

const moved = (from: string, to: string): string => `\nmoved {\n  from = ${from}\n  to   = ${to}\n}\n`;

/** Writes `files` (relative path → text) into `directory`, replacing what was there. */
function writeTree(directory: string, files: Record<string, string>): void {
  fs.rmSync(directory, { recursive: true, force: true });
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(directory, relative)), { recursive: true });
    fs.writeFileSync(path.join(directory, relative), text);
  }
}

/**
 * Records a baseline of `before` in `infra/`, then scans `after` there with it: the exit code, and how many findings
 * the baseline accepted.
 */
async function gateAfterRename(before: Record<string, string>, after: Record<string, string>): Promise<{ code: number; baselined: number; findings: number }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-moved-'));
  try {
    const infra = path.join(directory, 'infra');
    writeTree(infra, before);
    expect((await runCli(['scan', 'infra', '--write-baseline', 'baseline.json'], directory)).code).toBe(1);
    writeTree(infra, after);
    const run = await runCli(['scan', 'infra', '--baseline', 'baseline.json', '--format', 'json'], directory);
    const report = JSON.parse(run.stdout) as { summary: { baselined: number; findings: number } };
    return { code: run.code, baselined: report.summary.baselined, findings: report.summary.findings };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('moved blocks keep baselined findings accepted', () => {
  it('a renamed resource with a moved block passes the gate; without the moved block its finding is new', async () => {
    const before = { 'main.tf': SSH_OPEN('old') };
    expect(await gateAfterRename(before, { 'main.tf': SSH_OPEN('web') + moved('aws_security_group.old', 'aws_security_group.web') })).toEqual({ code: 0, baselined: 1, findings: 0 });
    expect(await gateAfterRename(before, { 'main.tf': SSH_OPEN('web') })).toEqual({ code: 1, baselined: 0, findings: 1 });
  });

  it('follows chains of moves (a → b, b → c), also written in another file of the module', async () => {
    const after = { 'main.tf': SSH_OPEN('c') + moved('aws_security_group.b', 'aws_security_group.c'), 'moves.tf': moved('aws_security_group.a', 'aws_security_group.b') };
    expect(await gateAfterRename({ 'main.tf': SSH_OPEN('a') }, after)).toEqual({ code: 0, baselined: 1, findings: 0 });
  });

  it('a renamed module call moves every resource of the module, with its instance keys', async () => {
    const call = (name: string, extra = ''): string => `module "${name}" {\n  source = "./modules/sg"\n${extra}}\n`;
    const module = { 'modules/sg/main.tf': SSH_OPEN('this') };
    expect(await gateAfterRename({ ...module, 'main.tf': call('a') }, { ...module, 'main.tf': call('b') + moved('module.a', 'module.b') })).toEqual({ code: 0, baselined: 1, findings: 0 });
    // With for_each on both sides, the keys carry over.
    const keyed = (name: string): string => call(name, '  for_each = toset(["x"])\n');
    expect(await gateAfterRename({ ...module, 'main.tf': keyed('a') }, { ...module, 'main.tf': keyed('b') + moved('module.a', 'module.b') })).toEqual({ code: 0, baselined: 1, findings: 0 });
    // Indexed forms: a call given for_each later, its old single instance moved to one key.
    expect(await gateAfterRename({ ...module, 'main.tf': call('a') }, { ...module, 'main.tf': keyed('a') + moved('module.a', 'module.a["x"]') })).toEqual({ code: 0, baselined: 1, findings: 0 });
    expect(await gateAfterRename({ ...module, 'main.tf': call('a') }, { ...module, 'main.tf': keyed('a') })).toEqual({ code: 1, baselined: 0, findings: 1 });
  });

  it('reads a moved block in a child module relative to that module', async () => {
    const root = { 'main.tf': 'module "net" {\n  source = "./modules/sg"\n}\n' };
    const after = { ...root, 'modules/sg/main.tf': SSH_OPEN('this') + moved('aws_security_group.old', 'aws_security_group.this') };
    expect(await gateAfterRename({ ...root, 'modules/sg/main.tf': SSH_OPEN('old') }, after)).toEqual({ code: 0, baselined: 1, findings: 0 });
  });

  it('keeps the code scanning alert of the oldest address while the moved block is there; fwlint/v1 is the baseline key', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-moved-'));
    try {
      const lineHash = async (text: string): Promise<{ primaryLocationLineHash: string; 'fwlint/v1': string }> => {
        writeTree(path.join(directory, 'infra'), { 'main.tf': text });
        const run = await runCli(['scan', 'infra', '--format', 'sarif'], directory);
        return JSON.parse(run.stdout).runs[0].results[0].partialFingerprints;
      };
      const old = await lineHash(SSH_OPEN('old'));
      const renamed = await lineHash(SSH_OPEN('web') + moved('aws_security_group.old', 'aws_security_group.web'));
      const plain = await lineHash(SSH_OPEN('web'));
      expect(renamed.primaryLocationLineHash).toBe(old.primaryLocationLineHash);
      expect(renamed['fwlint/v1']).toBe(plain['fwlint/v1']);
      expect(plain.primaryLocationLineHash).not.toBe(old.primaryLocationLineHash);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('formerAddresses', () => {
  it('follows moves of resources, instances and module calls, nearest first', () => {
    const moves = [
      { from: 'aws_security_group.b', to: 'aws_security_group.c' },
      { from: 'aws_security_group.a', to: 'aws_security_group.b' },
      { from: 'module.old', to: 'module.net' },
    ];
    expect(formerAddresses('aws_security_group.c', moves)).toEqual(['aws_security_group.b', 'aws_security_group.a']);
    expect(formerAddresses('aws_security_group.c[1]', moves)).toEqual(['aws_security_group.b[1]', 'aws_security_group.a[1]']);
    expect(formerAddresses('module.net["x"].aws_security_group.this', moves)).toEqual(['module.old["x"].aws_security_group.this']);
    // Only whole steps: module.network is not module.net.
    expect(formerAddresses('module.network.aws_security_group.this', moves)).toEqual([]);
  });

  it('moves one instance only where the move names one, and stops on a cycle', () => {
    const moves = [{ from: 'aws_security_group.web', to: 'aws_security_group.web[0]' }];
    expect(formerAddresses('aws_security_group.web[0]', moves)).toEqual(['aws_security_group.web']);
    expect(formerAddresses('aws_security_group.web[1]', moves)).toEqual([]);
    const cycle = [{ from: 'aws_security_group.a', to: 'aws_security_group.b' }, { from: 'aws_security_group.b', to: 'aws_security_group.a' }];
    expect(formerAddresses('aws_security_group.b', cycle)).toEqual(['aws_security_group.a']);
  });
});
