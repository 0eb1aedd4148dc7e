import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import type { Target } from '../../../src/model/target';
import { terraformRootGroups } from '../../../src/parsers/terraform';
import { scan } from '../../../src/pipeline/scan';
import { scanFiles, scanFixture } from '../../helpers/scan-fixture';

function rulesOf(target: Target): string[] {
  return target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${describePeer(rule.peer)}`);
}

describe('Terraform modules (issue #8)', () => {
  const result = scanFixture('terraform/module-tree/root');
  const byId = new Map(result.targets.map((target) => [target.id, target]));

  it('follows local and installed module calls, with module-prefixed target ids and count/for_each keys', () => {
    expect([...byId.keys()]).toEqual([
      'module.bastion[0].aws_security_group.this',
      'module.bastion[1].aws_security_group.this',
      'module.network.aws_security_group.admin',
      'module.network.module.tier["db"].aws_security_group.this',
      'module.network.module.tier["web"].aws_security_group.this',
      'module.registry_sg.aws_security_group.this',
    ]);
  });

  it('binds inputs evaluated in the caller scope (variables, locals, count.index, each.value)', () => {
    expect(rulesOf(byId.get('module.network.aws_security_group.admin')!)).toEqual(['module.network.aws_security_group.admin.ingress[0] 22 203.0.113.0/24']);
    expect(rulesOf(byId.get('module.network.module.tier["db"].aws_security_group.this')!)).toEqual(['module.network.module.tier["db"].aws_security_group.this.ingress[0] 5432 10.0.0.0/16']);
    expect(rulesOf(byId.get('module.bastion[0].aws_security_group.this')!)).toEqual(['module.bastion[0].aws_security_group.this.ingress[0] 22 203.0.113.0/24']);
    expect(rulesOf(byId.get('module.registry_sg.aws_security_group.this')!)).toEqual(['module.registry_sg.aws_security_group.this.ingress[0] 3389 198.51.100.0/24']);
  });

  it('resolves module outputs, so root rules join groups created two levels down', () => {
    expect(rulesOf(byId.get('module.network.module.tier["web"].aws_security_group.this')!)).toEqual([
      'module.network.module.tier["web"].aws_security_group.this.ingress[0] 443 0.0.0.0/0',
      'aws_vpc_security_group_ingress_rule.web_http 80 0.0.0.0/0',
    ]);
    expect(rulesOf(byId.get('module.bastion[1].aws_security_group.this')!)).toEqual([
      'module.bastion[1].aws_security_group.this.ingress[0] 22 203.0.113.0/24',
      'aws_security_group_rule.bastion_from_web 22 security group module.network.module.tier["web"].aws_security_group.this',
    ]);
  });

  it('locates child-module rules in the child files', () => {
    const web = byId.get('module.network.module.tier["web"].aws_security_group.this')!;
    expect(web.location).toMatchObject({ file: 'fixtures/terraform/module-tree/modules/sg/main.tf', range: { startLine: 13 } });
    expect(web.rules[1]!.location).toMatchObject({ file: 'fixtures/terraform/module-tree/root/main.tf', range: { startLine: 31 } });
    expect(byId.get('module.registry_sg.aws_security_group.this')!.location.file).toBe('fixtures/terraform/module-tree/root/.terraform/modules/registry_sg/main.tf');
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.targetId} ${finding.location.file}:${finding.location.range.startLine}`);
    expect(fw101).toEqual([
      'module.network.module.tier["web"].aws_security_group.this fixtures/terraform/module-tree/modules/sg/main.tf:21',
      'module.network.module.tier["web"].aws_security_group.this fixtures/terraform/module-tree/root/main.tf:36',
    ]);
  });

  it('warns once per module call that is neither local nor installed', () => {
    expect(result.diagnostics).toEqual([
      {
        code: 'parse/terraform-module-not-found',
        severity: 'warning',
        message: 'module vpc (source terraform-aws-modules/vpc/aws) was not analysed: run terraform init or scan its source',
        file: 'fixtures/terraform/module-tree/root/main.tf',
        range: { startLine: 55, startColumn: 1, endLine: 55, endColumn: 13 },
      },
    ]);
  });

  it('reads a folder that a scanned folder calls as a local module only as that module, not also as a root', () => {
    const both = scanFixture('terraform/module-tree');
    const ids = both.targets.map((target) => target.id);
    expect(ids).toEqual([...byId.keys()]);
    expect(both.findings.map((finding) => `${finding.checkId} ${finding.targetId}`)).toEqual(result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`));
    expect(both.diagnostics).toEqual(result.diagnostics);
  });

  it('still parses a child folder on its own when no scanned folder calls it, reporting its variables without default', () => {
    const network = scanFixture('terraform/module-tree/modules/network');
    expect(network.targets.map((target) => target.id)).toEqual(['aws_security_group.admin']);
    const sg = scanFixture('terraform/module-tree/modules/sg');
    expect(sg.targets.map((target) => target.id)).toEqual(['aws_security_group.this']);
    const unknowns = scanFixture('terraform/module-unbound');
    // modules/sg (variable "port" has no default) is called by root: no FW303 for it, and no duplicate targets.
    expect(unknowns.targets.map((target) => target.id)).toEqual(['module.web.aws_security_group.this']);
    expect(unknowns.findings.map((finding) => `${finding.checkId} ${finding.location.file}:${finding.location.range.startLine}`)).toEqual(['FW101 fixtures/terraform/module-unbound/modules/sg/main.tf:11']);
    // Scanned on its own, the module folder is a root: its unbound variable is reported.
    const alone = scanFixture('terraform/module-unbound/modules/sg');
    // Each port bound is reported, and the rule from 0.0.0.0/0 on that unknown port is world-open (FW101).
    expect(alone.findings.map((finding) => `${finding.checkId} ${finding.properties.field ?? finding.properties.unresolvedPorts ?? ''}`)).toEqual([
      'FW303 aws_security_group.this.ingress[0].from_port',
      'FW303 aws_security_group.this.ingress[0].to_port',
      'FW101 var.port',
    ]);
  });

  it('reports a module cycle instead of following it', () => {
    const cycle = scanFixture('terraform/module-cycle');
    expect(cycle.targets.map((target) => target.id).sort()).toEqual(['aws_security_group.a', 'aws_security_group.b', 'module.a.aws_security_group.a', 'module.b.aws_security_group.b']);
    expect(cycle.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.file}:${diagnostic.range?.startLine}`)).toEqual([
      'parse/terraform-module-cycle fixtures/terraform/module-cycle/a/main.tf:2',
      'parse/terraform-module-cycle fixtures/terraform/module-cycle/b/main.tf:1',
    ]);
  });

  it('records an unresolved module count as an unknown of every target inside (FW303), not as open', () => {
    const unknown = scanFixture('terraform/module-unknown-count/main.tf');
    expect(unknown.targets.map((target) => target.id)).toEqual(['module.workers[*].aws_security_group.this']);
    const fw303 = unknown.findings.filter((finding) => finding.checkId === 'FW303');
    expect(fw303.map((finding) => [finding.location.file, finding.location.range.startLine, finding.properties.field])).toEqual([
      ['fixtures/terraform/module-unknown-count/main.tf', 4, 'module.workers.count'],
    ]);
  });

  it('stops at the nesting limit and reports it', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-modules-'));
    try {
      for (let level = 0; level <= 20; level++) {
        fs.mkdirSync(path.join(directory, `l${level}`));
        fs.writeFileSync(path.join(directory, `l${level}`, 'main.tf'), `module "next" {\n  source = "../l${level + 1}"\n}\n`);
      }
      const deep = scan({ paths: ['l0/main.tf'], cwd: directory, today: '2026-11-23' });
      const codes = deep.diagnostics.map((diagnostic) => diagnostic.code);
      expect(codes).toEqual(['parse/terraform-module-depth']);
      expect(deep.diagnostics[0]!.file).toBe('l16/main.tf');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports fwlint annotations in a module file once, however many instances use it', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-modules-'));
    try {
      fs.mkdirSync(path.join(directory, 'sg'));
      fs.writeFileSync(
        path.join(directory, 'sg', 'main.tf'),
        '# fwlint:ignore FW101 reason="public web"\nresource "aws_security_group" "web" {\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      );
      fs.writeFileSync(path.join(directory, 'main.tf'), 'module "web" {\n  source   = "./sg"\n  for_each = toset(["a", "b"])\n}\n');
      const annotated = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      // sg/ is called by the scanned root: it is read as module.web only (not also as a root).
      expect(annotated.targets.map((target) => target.id)).toEqual(['module.web["a"].aws_security_group.web', 'module.web["b"].aws_security_group.web']);
      expect(annotated.diagnostics).toEqual([]);
      // The annotation applies to every instance of the module's group, and is reported (if at all) once.
      const fw101 = annotated.findings.filter((finding) => finding.checkId === 'FW101');
      expect(fw101).toHaveLength(2);
      expect(fw101.every((finding) => finding.suppression?.justification === 'public web')).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('groups scanned folders linked by local module calls, and keeps the folders no other folder calls (or that call back) as roots', () => {
    const file = (relative: string, text: string) => ({ path: relative, absolutePath: path.join('/scan', relative), text, encoding: 'utf-8' as const });
    const groups = terraformRootGroups([
      file('app/main.tf', 'module "net" {\n  source = "./../modules/net"\n}\nresource "null_resource" "x" {\n  source = "../modules/other"\n}\n'),
      file('modules/net/main.tf', 'module "sg" {\n  for_each = {}\n  source   = "../sg"\n}\n'),
      file('modules/sg/main.tf', 'variable "port" {}\n'),
      file('modules/other/main.tf', 'variable "x" {}\n'),
      file('cycle/a/main.tf', 'module "b" {\n  source = "../b"\n}\n'),
      file('cycle/b/main.tf', 'module "a" {\n  source = "../a"\n}\n'),
      file('registry/main.tf', 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'),
    ]);
    expect(groups.map((group) => ({ files: group.files.map((entry) => entry.path), roots: group.roots.map((root) => path.relative('/scan', root.directory)) }))).toEqual([
      { files: ['app/main.tf', 'modules/net/main.tf', 'modules/sg/main.tf'], roots: ['app'] },
      { files: ['cycle/a/main.tf', 'cycle/b/main.tf'], roots: ['cycle/a', 'cycle/b'] },
      // A `source` outside a module block is not a module call.
      { files: ['modules/other/main.tf'], roots: ['modules/other'] },
      { files: ['registry/main.tf'], roots: ['registry'] },
    ]);
  });
});

// A module call's for_each over a partly known collection was one unknown instance `[*]`: the world-open instance its
// known entry makes went unreported, where a resource's for_each over the same collection reports it.
describe('a module call whose for_each is partly known', () => {
  const child = 'variable "port" { type = number }\nvariable "cidr" { type = string }\nresource "aws_security_group" "sg" {\n  ingress {\n    from_port   = var.port\n    to_port     = var.port\n    protocol    = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\noutput "id" { value = aws_security_group.sg.id }\n';

  it('makes the instances of its known keys, and the unknown rest once as [*]', () => {
    const result = scanFiles({
      'main.tf': `variable "extra" { type = map(object({ port = number, cidr = string })) }
variable "names" { type = list(string) }
module "rules" {
  source   = "./mod"
  for_each = merge(var.extra, { ssh = { port = 22, cidr = "0.0.0.0/0" } })
  port     = each.value.port
  cidr     = each.value.cidr
}
module "named" {
  source   = "./mod"
  for_each = toset(concat(var.names, ["web"]))
  port     = 443
  cidr     = "0.0.0.0/0"
}
resource "aws_security_group" "uses" {
  description = module.rules["ssh"].id
  name        = jsonencode(module.rules)
}
`,
      'mod/main.tf': child,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual([
      'aws_security_group.uses',
      'module.named["web"].aws_security_group.sg',
      'module.named[*].aws_security_group.sg',
      'module.rules["ssh"].aws_security_group.sg',
      'module.rules[*].aws_security_group.sg',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message)).toEqual([
      'module.named["web"].aws_security_group.sg allows ingress from 0.0.0.0/0 on tcp/443',
      'module.named[*].aws_security_group.sg allows ingress from 0.0.0.0/0 on tcp/443',
      'module.rules["ssh"].aws_security_group.sg allows ingress from 0.0.0.0/0 on tcp/22',
    ]);
    // The rest still carries the unknown (FW303 at the call), the known instances do not.
    const notes = result.findings.filter((finding) => finding.checkId === 'FW303' && finding.location.file === 'main.tf');
    expect(notes.map((finding) => `${finding.location.range.startLine} ${finding.targetId}`)).toEqual(['5 module.rules[*].aws_security_group.sg', '11 module.named[*].aws_security_group.sg']);
  });
});
