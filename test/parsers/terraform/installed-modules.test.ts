import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/model/finding';
import { applyBaseline } from '../../../src/suppress/baseline';
import { REPO_ROOT, scanFiles, scanFixture } from '../../helpers/scan-fixture';
import { runCli } from '../../helpers/run-cli';

// Regression (QA): a finding in a registry module pointed into `.terraform/modules/…` (git-ignored, not shown by code
// scanning, replaced by every `terraform init`), with the root's `module` block only as a related location.

const FIXTURE = 'terraform/installed-module';
const AT = `fixtures/${FIXTURE}`;

const where = (location: { file: string; range: { startLine: number } }): string => `${location.file}:${location.range.startLine}`;

function byTarget(findings: Finding[]): Map<string, Finding> {
  return new Map(findings.filter((finding) => finding.checkId === 'FW101').map((finding) => [finding.targetId, finding]));
}

describe('findings in modules terraform init installed', () => {
  const result = scanFixture(FIXTURE);
  const findings = byTarget(result.findings);

  it('are reported at the module block calling them, with the written rule and its group as related locations', () => {
    const bastion = findings.get('module.bastion_sg.aws_security_group.this')!;
    expect(where(bastion.location)).toBe(`${AT}/main.tf:3`);
    expect(bastion.relatedLocations.map(where)).toEqual([`${AT}/.terraform/modules/bastion_sg/main.tf:16`, `${AT}/.terraform/modules/bastion_sg/main.tf:9`]);
    expect(bastion.writtenAt && where(bastion.writtenAt)).toBe(`${AT}/.terraform/modules/bastion_sg/main.tf:16`);
    // A local submodule of the registry module is installed with it: the root's block too.
    expect(where(findings.get('module.bastion_sg.module.rules.aws_security_group.extra')!.location)).toBe(`${AT}/main.tf:3`);
  });

  it('are reported at the innermost module block in the repository: a local module calling a registry module', () => {
    const extra = findings.get('module.app_sg.module.extra.aws_security_group.this')!;
    expect(where(extra.location)).toBe(`${AT}/modules/sg/main.tf:13`);
    // Then the root's call of the local module, as for any module instance.
    expect(extra.relatedLocations.map(where)).toEqual([`${AT}/.terraform/modules/app_sg.extra/main.tf:16`, `${AT}/.terraform/modules/app_sg.extra/main.tf:9`, `${AT}/main.tf:20`]);
  });

  it('keeps a local module\'s findings in its own file', () => {
    const app = findings.get('module.app_sg.aws_security_group.app')!;
    expect(where(app.location)).toBe(`${AT}/modules/sg/main.tf:8`);
    expect(app.writtenAt).toBeUndefined();
  });

  it('are muted by a fwlint:ignore comment above the module block, and only those of that block', () => {
    expect(findings.get('module.rdp_sg.aws_security_group.this')!.suppression).toEqual({ kind: 'inSource', justification: 'RDP gateway with NLA, reviewed' });
    expect(findings.get('module.bastion_sg.aws_security_group.this')!.suppression).toBeUndefined();
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('suppress/') || diagnostic.code.startsWith('annotation/'))).toEqual([]);
  });

  it('name the installed file in SARIF as where the rule is written', async () => {
    const run = await runCli(['scan', AT, '--format', 'sarif'], REPO_ROOT);
    const results = JSON.parse(run.stdout).runs[0].results as Array<{ properties: { target: string }; relatedLocations: Array<{ message: { text: string } }> }>;
    const bastion = results.find((entry) => entry.properties.target === 'module.bastion_sg.aws_security_group.this')!;
    expect(bastion.relatedLocations.map((location) => location.message.text)).toEqual(['rule written in the module terraform init installed', 'definition of module.bastion_sg.aws_security_group.this']);
  });

  it('keep their fingerprints and baseline entries when terraform init installs the module under another key path', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-installed-'));
    try {
      const copy = path.join(directory, 'infra');
      fs.cpSync(path.join(REPO_ROOT, AT), copy, { recursive: true });
      const scanCopy = () => byTarget(scanFixture([], { paths: ['infra'], cwd: directory }).findings);
      const before = scanCopy();
      // An entry written by an earlier version, which reported the finding in the installed file.
      const bastion = before.get('module.bastion_sg.aws_security_group.this')!;
      const earlierEntry = { fingerprint: bastion.fingerprint, checkId: 'FW101', targetId: bastion.targetId, message: bastion.message, file: 'infra/.terraform/modules/bastion_sg/main.tf' };
      fs.renameSync(path.join(copy, '.terraform/modules/bastion_sg'), path.join(copy, '.terraform/modules/0'));
      const manifest = path.join(copy, '.terraform/modules/modules.json');
      fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replaceAll('.terraform/modules/bastion_sg', '.terraform/modules/0'));
      const after = scanCopy();
      expect(after.get(bastion.targetId)!.fingerprint).toBe(bastion.fingerprint);
      expect(after.get(bastion.targetId)!.relatedLocations.map((location) => location.file)).toContain('infra/.terraform/modules/0/main.tf');
      const current = [after.get(bastion.targetId)!];
      expect(applyBaseline(current, { version: 1, tool: 'fwlint', findings: [earlierEntry] })).toEqual({ baselined: 1, absent: [], unseen: [] });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA 18 item 01): terraform-aws-modules/security-group's `//modules/ssh` calls the package's root with
// `source = "../../"`, a folder outside the submodule's: its findings pointed into `.terraform/modules/ssh_sg/main.tf`.
describe('a module an installed module calls by a local path leading out of its folder', () => {
  it('is installed code too: its findings are reported at the root\'s module block', () => {
    const result = scanFiles({
      'main.tf': 'module "ssh_sg" {\n  source = "terraform-aws-modules/security-group/aws//modules/ssh"\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'ssh_sg', Source: 'registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh', Dir: '.terraform/modules/ssh_sg/modules/ssh' },
          { Key: 'ssh_sg.sg', Source: '../../', Dir: '.terraform/modules/ssh_sg' },
        ],
      }),
      '.terraform/modules/ssh_sg/modules/ssh/main.tf': 'module "sg" {\n  source = "../../"\n}\n',
      '.terraform/modules/ssh_sg/main.tf': 'resource "aws_security_group" "this" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    });
    const finding = byTarget(result.findings).get('module.ssh_sg.module.sg.aws_security_group.this')!;
    expect(where(finding.location)).toBe('main.tf:1');
    expect(finding.writtenAt && where(finding.writtenAt)).toBe('.terraform/modules/ssh_sg/main.tf:6');
  });
});
