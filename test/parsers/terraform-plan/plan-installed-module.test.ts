import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/model/finding';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';

// Regression (QA h3): findings of a plan on the resources of a registry module pointed into `.terraform/modules/…`,
// where the HCL path reports them at the `module` block calling the module. fixtures/terraform/plan-installed-module
// is the real plan (terraform 1.11) of the configuration of fixtures/terraform/installed-module.

const AT = 'fixtures/terraform/plan-installed-module';

const where = (location: { file: string; range: { startLine: number } }): string => `${location.file}:${location.range.startLine}`;

function byTarget(findings: Finding[]): Map<string, Finding> {
  return new Map(findings.filter((finding) => finding.checkId === 'FW101').map((finding) => [finding.targetId, finding]));
}

describe('Terraform plan JSON: findings in modules terraform init installed', () => {
  const findings = byTarget(scanFixture('terraform/plan-installed-module/plan.json').findings);

  it('are reported at the module block calling them, with the written rule and its group as related locations', () => {
    const bastion = findings.get('module.bastion_sg.aws_security_group.this')!;
    expect(where(bastion.location)).toBe(`${AT}/main.tf:3`);
    expect(bastion.relatedLocations.map(where)).toEqual([`${AT}/.terraform/modules/bastion_sg/main.tf:16`, `${AT}/.terraform/modules/bastion_sg/main.tf:9`]);
    expect(bastion.writtenAt && where(bastion.writtenAt)).toBe(`${AT}/.terraform/modules/bastion_sg/main.tf:16`);
    expect(where(findings.get('module.bastion_sg.module.rules.aws_security_group.extra')!.location)).toBe(`${AT}/main.tf:3`);
    // A registry module called by a local module: at that module's block; the local module's own findings stay put.
    expect(where(findings.get('module.app_sg.module.extra.aws_security_group.this')!.location)).toBe(`${AT}/modules/sg/main.tf:13`);
    expect(where(findings.get('module.app_sg.aws_security_group.app')!.location)).toBe(`${AT}/modules/sg/main.tf:8`);
  });

  it('are muted by a fwlint:ignore comment above the module block, as in the HCL path', () => {
    expect(findings.get('module.rdp_sg.aws_security_group.this')!.suppression).toEqual({ kind: 'inSource', justification: 'RDP gateway with NLA, reviewed' });
    expect(findings.get('module.bastion_sg.aws_security_group.this')!.suppression).toBeUndefined();
  });

  it('stay at the plan file when the plan is copied away from the configuration', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-installed-'));
    try {
      fs.copyFileSync(path.join(REPO_ROOT, AT, 'plan.json'), path.join(directory, 'plan.json'));
      const alone = byTarget(scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' }).findings);
      expect(where(alone.get('module.bastion_sg.aws_security_group.this')!.location)).toBe('plan.json:1');
      expect(alone.get('module.rdp_sg.aws_security_group.this')!.suppression).toBeUndefined();
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA 18 item 01): as in the HCL path, the package root that `//modules/ssh` calls as `source = "../../"`
// is installed code: its findings are reported at the root's module block, not in `.terraform/modules/ssh_sg/main.tf`.
describe('Terraform plan JSON: a module an installed module calls by a local path leading out of its folder', () => {
  it('is reported at the root\'s module block', () => {
    const group = 'resource "aws_security_group" "this" {\n  name = "ssh"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const files: Record<string, string> = {
      'main.tf': 'module "ssh_sg" {\n  source = "terraform-aws-modules/security-group/aws//modules/ssh"\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'ssh_sg', Source: 'registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh', Dir: '.terraform/modules/ssh_sg/modules/ssh' },
          { Key: 'ssh_sg.sg', Source: '../../', Dir: '.terraform/modules/ssh_sg' },
        ],
      }),
      '.terraform/modules/ssh_sg/modules/ssh/main.tf': 'module "sg" {\n  source = "../../"\n}\n',
      '.terraform/modules/ssh_sg/main.tf': group,
      'plan.json': JSON.stringify({
        format_version: '1.2',
        terraform_version: '1.11.0',
        resource_changes: [
          {
            address: 'module.ssh_sg.module.sg.aws_security_group.this',
            module_address: 'module.ssh_sg.module.sg',
            mode: 'managed',
            type: 'aws_security_group',
            name: 'this',
            change: {
              actions: ['create'],
              before: null,
              after: { name: 'ssh', ingress: [{ cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 22, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 22 }] },
              after_unknown: { id: true, egress: true },
            },
          },
        ],
        configuration: {
          root_module: {
            module_calls: {
              ssh_sg: {
                source: 'terraform-aws-modules/security-group/aws//modules/ssh',
                module: {
                  module_calls: {
                    sg: { source: '../../', module: { resources: [{ address: 'aws_security_group.this', mode: 'managed', type: 'aws_security_group', name: 'this', expressions: { name: { constant_value: 'ssh' } } }] } },
                  },
                },
              },
            },
          },
        },
      }),
    };
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-relative-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), text);
      }
      const finding = byTarget(scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-25' }).findings).get('module.ssh_sg.module.sg.aws_security_group.this')!;
      expect(where(finding.location)).toBe('main.tf:1');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
