import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { contentKeyOf } from '../../../src/model/rule';
import type { SourceFile } from '../../../src/model/source-file';
import { terraformPlanParser } from '../../../src/parsers/terraform-plan';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';

/**
 * Inline rule sets have no stable element identity in a plan (formats.md §2.4): the HCL path names them by position
 * (`ingress[0]`), the plan path by content hash (`ingress[#1a2b3c4d]`). Everything else must be equal.
 */
function essence(fixture: string): string[] {
  return scanFixture(fixture)
    .findings.map((finding) => {
      const properties = JSON.stringify(finding.properties).replace(/\.(ingress|egress|security_rule|allow|deny)\[[^\]]*\]/g, '.$1[*]');
      return `${finding.checkId} ${finding.targetId} ${properties}`;
    })
    .sort();
}

function planFile(relative: string): SourceFile {
  const absolutePath = path.join(REPO_ROOT, 'fixtures', relative);
  return { path: `fixtures/${relative}`, absolutePath, text: fs.readFileSync(absolutePath, 'utf8'), encoding: 'utf-8' };
}

describe('Terraform plan JSON (issue #8)', () => {
  it('is detected by content, not by name', () => {
    const head = fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan/plan.json'), 'utf8').slice(0, 4096);
    expect(terraformPlanParser.detect('plan.json', head)).toBe(true);
    expect(terraformPlanParser.detect('anything.json', '{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{}}')).toBe(true);
    expect(terraformPlanParser.detect('plan.txt', head)).toBe(false);
    expect(terraformPlanParser.detect('package.json', '{"name":"x","version":"1.0.0"}')).toBe(false);
    expect(terraformPlanParser.detect('schema.json', '{"format_version":"3"}')).toBe(false);
  });

  it('gives the same findings as the configuration it was planned from', () => {
    const fromHcl = essence('terraform/plan/main.tf');
    expect(fromHcl.length).toBeGreaterThanOrEqual(10);
    expect(new Set(fromHcl.map((line) => line.split(' ')[0]))).toEqual(new Set(['FW101', 'FW102', 'FW103', 'FW104', 'FW301']));
    expect(essence('terraform/plan/plan.json')).toEqual(fromHcl);
  });

  it('locates findings at the .tf lines the HCL path reports, including module resources and set elements', () => {
    const locations = (fixture: string): string[] =>
      scanFixture(fixture)
        .findings.map((finding) => `${finding.checkId} ${finding.location.file}:${finding.location.range.startLine}:${finding.location.range.startColumn}`)
        .sort();
    const fromPlan = locations('terraform/plan/plan.json');
    expect(fromPlan).toEqual(locations('terraform/plan/main.tf'));
    expect(fromPlan).toContain('FW102 fixtures/terraform/plan/modules/edge/main.tf:13:20');
  });

  it('builds plan targets and rules of kind terraform-plan, joining standalone rules through configuration references', () => {
    const result = scanFixture('terraform/plan/plan.json');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => `${target.id} ${target.kind} ${target.platform}`)).toEqual([
      'aws_network_acl.edge terraform-plan aws-nacl',
      'aws_security_group.lb terraform-plan aws-sg',
      'aws_security_group.web terraform-plan aws-sg',
      'azurerm_network_security_group.app terraform-plan azure-nsg',
      'google_compute_firewall.icmp terraform-plan gcp-fw',
      'google_compute_firewall.web terraform-plan gcp-fw',
      'module.edge.aws_security_group.admin terraform-plan aws-sg',
    ]);
    const web = result.targets.find((target) => target.id === 'aws_security_group.web')!;
    expect(web.rules.every((rule) => rule.kind === 'terraform-plan')).toBe(true);
    expect(web.rules.map((rule) => rule.resourceAddress)).toContain('aws_vpc_security_group_ingress_rule.rdp');
    // A peer group the plan knows only after apply is named by the configuration reference, as in HCL.
    expect(web.rules.find((rule) => rule.resourceAddress === 'aws_security_group_rule.web_from_lb')!.peer).toEqual({ kind: 'sg-ref', id: 'aws_security_group.lb' });
    // The lb group writes no inline rules: the plan's unknown `ingress`/`egress` are not managed there.
    expect(result.targets.find((target) => target.id === 'aws_security_group.lb')!.rules).toEqual([]);
    // Unset optional arguments the plan leaves unknown (`egress` of the ACL, GCP `direction`) are provider defaults.
    expect(result.targets.flatMap((target) => target.unknowns ?? [])).toEqual([]);
  });

  it('identifies set elements by content, so reordering them changes no rule id or fingerprint', () => {
    const original = planFile('terraform/plan/plan.json');
    const data = JSON.parse(original.text) as { resource_changes: Array<{ address: string; change: { after: { ingress: unknown[] }; after_unknown: { ingress: unknown[] } } }> };
    const web = data.resource_changes.find((change) => change.address === 'aws_security_group.web')!;
    web.change.after.ingress.reverse();
    web.change.after_unknown.ingress.reverse();
    const reordered: SourceFile = { ...original, text: JSON.stringify(data) };
    const ids = (file: SourceFile): string[] =>
      terraformPlanParser
        .parse([file], { vars: {}, varFiles: [], params: {} })
        .targets.flatMap((target) => target.rules.map((rule) => `${rule.id} ${contentKeyOf(rule)}`))
        .sort();
    expect(ids(reordered)).toEqual(ids(original));
    // With the .tf files beside the plan, an element written in a static block of its own is named as the HCL path names it.
    expect(ids(original).some((id) => /^aws_security_group\.web\.ingress\[0\]#0 /.test(id))).toBe(true);
    // Without them, by a hash of its content.
    const elsewhere = (file: SourceFile): SourceFile => ({ ...file, absolutePath: path.join(os.tmpdir(), 'fwlint-no-such-folder', 'plan.json') });
    expect(ids(elsewhere(reordered))).toEqual(ids(elsewhere(original)));
    expect(ids(elsewhere(original)).some((id) => /^aws_security_group\.web\.ingress\[#[0-9a-f]{8}\]#0 /.test(id))).toBe(true);
  });

  it('names an inline network ACL entry by its rule number without the .tf files, and as the HCL path does with them', () => {
    const original = planFile('terraform/plan/plan.json');
    const entries = (file: SourceFile): string[] =>
      terraformPlanParser
        .parse([file], { vars: {}, varFiles: [], params: {} })
        .targets.filter((target) => target.id === 'aws_network_acl.edge')
        .flatMap((target) => target.rules.map((rule) => rule.resourceAddress))
        .filter((address) => address.startsWith('aws_network_acl.edge.'));
    expect(entries({ ...original, absolutePath: path.join(os.tmpdir(), 'fwlint-no-such-folder', 'plan.json') }).every((address) => /^aws_network_acl\.edge\.(ingress|egress)\[rule \d+\]$/.test(address))).toBe(true);
    const hcl = scanFixture('terraform/plan/main.tf').targets.find((target) => target.id === 'aws_network_acl.edge')!.rules.map((rule) => rule.resourceAddress).filter((address) => address.startsWith('aws_network_acl.edge.'));
    expect(hcl).toHaveLength(3);
    expect(entries(original).sort()).toEqual(hcl.sort());
  });

  it('marks after_unknown values unknown (never open), and judges sensitive values without showing them', () => {
    const result = scanFixture('terraform/plan-unknown/plan.json');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.db', 'aws_security_group.web']);
    const db = result.targets[0]!;
    expect(db.rules.map((rule) => `${rule.resourceAddress.replace(/#\w+/, '#')} ${describePeer(rule.peer)}`)).toEqual([
      'aws_security_group.db.ingress[0] unresolved data.aws_vpc.main.cidr_block',
      'aws_security_group_rule.partner 192.0.2.0/24',
    ]);
    // Sensitive values are judged (a redaction must never hide a finding) but never shown (qa-h2).
    expect(db.rules[1]!.sensitive).toEqual({ peer: '' });
    const fw303 = result.findings.filter((finding) => finding.checkId === 'FW303');
    expect(fw303.map((finding) => `${finding.location.file}:${finding.location.range.startLine} ${finding.properties.expression}`)).toEqual([
      'fixtures/terraform/plan-unknown/main.tf:22 data.aws_vpc.main.cidr_block',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101')).toEqual([]);
    expect(JSON.stringify(result.findings)).not.toContain('192.0.2.0/24');
  });

  it('judges a sensitive value, of an argument or of a whole nested block set, and marks the rule (qa-h2)', () => {
    const original = planFile('terraform/plan-unknown/plan.json');
    type Change = { address: string; change: { after: Record<string, unknown>; after_sensitive: Record<string, unknown> } };
    const data = JSON.parse(original.text) as { resource_changes: Change[] };
    const partner = data.resource_changes.find((change) => change.address === 'aws_security_group_rule.partner')!;
    partner.change.after.cidr_blocks = ['0.0.0.0/0'];
    const db = data.resource_changes.find((change) => change.address === 'aws_security_group.db')!;
    db.change.after_sensitive = { ingress: true };
    const rules = terraformPlanParser
      .parse([{ ...original, text: JSON.stringify(data) }], { vars: {}, varFiles: [], params: {} })
      .targets.flatMap((target) => target.rules)
      .filter((rule) => rule.sensitive !== undefined);
    expect(rules.map((rule) => `${rule.resourceAddress.replace(/#\w+/, '#')} ${rule.ports.toString()} ${rule.peer.kind === 'addresses' ? rule.peer.text : rule.peer.kind}`)).toEqual([
      'aws_security_group.db.ingress[0] 5432 unknown',
      'aws_security_group_rule.partner 5432 0.0.0.0/0',
    ]);
  });

  it('keeps the constant items of a list the plan leaves unknown for one item, as the .tf writes them (inline, dynamic, standalone, count)', () => {
    const fixture = 'terraform/plan-mixed-list/plan.json';
    expect(essence(fixture)).toEqual(essence('terraform/plan-mixed-list/main.tf'));
    const result = scanFixture(fixture);
    const open = result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.message} ${finding.location.file}:${finding.location.range.startLine}:${finding.location.range.startColumn}`);
    expect(open.sort()).toEqual([
      'aws_security_group.bastion[0] allows ingress from 0.0.0.0/0 on tcp/22 fixtures/terraform/plan-mixed-list/main.tf:21:20',
      // The dynamic block's two items are one place: one finding each group.
      'aws_security_group.bastion[0] allows ingress from 0.0.0.0/0 on tcp/80, 8080 fixtures/terraform/plan-mixed-list/main.tf:31:22',
      'aws_security_group.bastion[1] allows ingress from 0.0.0.0/0 on tcp/22 fixtures/terraform/plan-mixed-list/main.tf:21:20',
      'aws_security_group.bastion[1] allows ingress from 0.0.0.0/0 on tcp/80, 8080 fixtures/terraform/plan-mixed-list/main.tf:31:22',
      'aws_security_group.web allows ingress from ::/0 on tcp/22 fixtures/terraform/plan-mixed-list/main.tf:47:24',
    ]);
    // The unknown items stay unknown, named as the HCL path names them.
    expect(result.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => finding.message.replace(/\[#\w+\]/, '[#]'))).toContain(
      'aws_security_group.web: ipv6_cidr_blocks of rule aws_security_group_rule.ssh (inbound tcp/22) could not be resolved statically (aws_vpc.main.ipv6_cidr_block); the rule was checked only as far as it is known',
    );
  });

  it('gives a written list to an unknown element only when that block wrote no other element', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
    try {
      // The static block and the dynamic content both agree with both planned elements (ports 22, cidr_blocks
      // unknown): which one the static block wrote is unclear, so neither gets its constant item.
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        [
          'resource "aws_security_group" "ssh" {',
          '  ingress {',
          '    from_port   = 22',
          '    to_port     = 22',
          '    protocol    = "tcp"',
          '    cidr_blocks = ["0.0.0.0/0", "${aws_eip.nat.public_ip}/32"]',
          '  }',
          '  dynamic "ingress" {',
          '    for_each = [aws_eip.other.public_ip]',
          '    content {',
          '      from_port   = 22',
          '      to_port     = 22',
          '      protocol    = "tcp"',
          '      cidr_blocks = ["${ingress.value}/32"]',
          '    }',
          '  }',
          '}',
          '',
        ].join('\n'),
      );
      const element = { description: '', from_port: 22, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 22 };
      const plan = {
        format_version: '1.2',
        resource_changes: [
          {
            address: 'aws_security_group.ssh',
            mode: 'managed',
            type: 'aws_security_group',
            name: 'ssh',
            change: { actions: ['create'], before: null, after: { ingress: [element, { ...element, description: 'other' }] }, after_unknown: { id: true, egress: true, ingress: [{ cidr_blocks: true }, { cidr_blocks: true }] } },
          },
        ],
      };
      fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan));
      const result = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
      // Both elements are shown at the static block's list, one written place: one note naming both rules.
      expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW303']);
      expect(result.findings[0]!.message).toMatch(/^aws_security_group\.ssh: cidr_blocks of rules aws_security_group\.ssh\.ingress\[#\w+\], \[#\w+\] \(inbound tcp\/22\) could not/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('skips destroy-only, deposed and data instances', () => {
    const result = scanFixture('terraform/plan-unknown/plan.json');
    const web = result.targets.find((target) => target.id === 'aws_security_group.web')!;
    expect(web.rules.map((rule) => rule.ports.toString())).toEqual(['443']);
    expect(result.targets.some((target) => target.id === 'aws_security_group.legacy')).toBe(false);
  });

  it('falls back to planned_values, joins by known id, and reports at the plan file when the configuration is not on disk', () => {
    const result = scanFixture('terraform/plan-values/plan.json');
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['module.app.aws_security_group.app', 'module.app.module.fw["eu"].google_compute_firewall.ssh']);
    const app = result.targets[0]!;
    expect(app.location).toEqual({ file: 'fixtures/terraform/plan-values/plan.json', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } });
    expect(app.profile?.ref).toBe('lumen-cloud/linux');
    expect(app.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()}`)).toEqual([expect.stringMatching(/^module\.app\.aws_security_group\.app\.ingress\[#\w{8}\] 8080$/), 'aws_security_group_rule.extra 9090']);
    expect(app.rules[1]!.description).toBe('metrics (reported at the plan file: the configuration of aws_security_group_rule.extra was not found on disk)');
    // And the scan says so where users see it: one warning per plan, naming the resources.
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'parse/plan-configuration-not-found').map((diagnostic) => [diagnostic.file, diagnostic.severity, diagnostic.message])).toEqual([
      ['fixtures/terraform/plan-values/plan.json', 'warning', expect.stringMatching(/^the configuration of aws_security_group_rule\.extra, module\.app\.aws_security_group\.app, module\.app\.module\.fw\["eu"\]\.google_compute_firewall\.ssh was not found on disk/)],
    ]);
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => `${finding.location.file}:${finding.location.range.startLine}`)).toEqual(['fixtures/terraform/plan-values/plan.json:1']);
  });

  it('applies the fwlint:ignore and fwlint:profile comments of the .tf files its findings are mapped to, as the HCL path does', () => {
    const outcome = (fixture: string): string[] => {
      const result = scanFixture(fixture);
      expect(result.diagnostics).toEqual([]);
      return result.findings.map((finding) => `${finding.checkId} ${finding.location.file}:${finding.location.range.startLine} ${finding.suppression ? 'suppressed' : 'open'}`).sort();
    };
    const fromPlan = outcome('terraform/plan-annotations/plan.json');
    expect(fromPlan).toEqual([
      'FW101 fixtures/terraform/plan-annotations/main.tf:25 suppressed',
      'FW102 fixtures/terraform/plan-annotations/main.tf:25 suppressed',
      'FW202 fixtures/terraform/plan-annotations/main.tf:8 open',
    ]);
    expect(fromPlan).toEqual(outcome('terraform/plan-annotations/main.tf'));
    expect(scanFixture('terraform/plan-annotations/plan.json').targets.find((target) => target.id === 'azurerm_network_security_group.nsg')?.profile?.ref).toBe('lumen-cloud/linux');
  });

  it('locates rules a dynamic block made at its content, as the HCL path does, and a static block\'s at that block', () => {
    const located = (fixture: string): string[] => scanFixture(fixture).findings
      .map((finding) => `${finding.checkId} ${finding.message} ${finding.location.file}:${finding.location.range.startLine}:${finding.location.range.startColumn} ${finding.suppression ? 'suppressed' : 'open'}`).sort();
    const fromPlan = located('terraform/plan-dynamic/plan.json');
    // The dynamic block's items (tcp/22 and tcp/3389) are one place: one finding.
    expect(fromPlan).toContain('FW101 aws_security_group.web[1] allows ingress from 0.0.0.0/0 on tcp/22, 3389 fixtures/terraform/plan-dynamic/main.tf:23:22 open');
    // The static https block keeps its place, so its fwlint:ignore comment still applies.
    expect(fromPlan).toContain('FW101 aws_security_group.web[0] allows ingress from 0.0.0.0/0 on tcp/443 fixtures/terraform/plan-dynamic/main.tf:14:20 suppressed');
    expect(fromPlan).toEqual(located('terraform/plan-dynamic/main.tf'));
  });

  it('locates a resource an override file changes at its own block, and what the override writes in the override file, as the HCL path does', () => {
    // dev_override.tf sorts before sg.tf and replaces the group's ingress blocks: the group is sg.tf's block (its
    // fwlint:profile comment applies, its egress block is read), the world-open API rule is the override's.
    const located = (fixture: string | string[]): string[] => {
      const result = scanFixture(fixture);
      expect(result.diagnostics).toEqual([]);
      return result.findings.map((finding) => `${finding.checkId} ${finding.location.file}:${finding.location.range.startLine}:${finding.location.range.startColumn} ${finding.fingerprint}`).sort();
    };
    const fromPlan = located('terraform/plan-override/plan.json');
    expect(fromPlan.map((finding) => finding.replace(/ \w+$/, ''))).toEqual([
      'FW101 fixtures/terraform/plan-override/dev_override.tf:10:20',
      'FW201 fixtures/terraform/plan-override/sg.tf:4:1',
      'FW201 fixtures/terraform/plan-override/sg.tf:4:1',
      'FW201 fixtures/terraform/plan-override/sg.tf:4:1',
    ]);
    expect(fromPlan).toEqual(located(['terraform/plan-override/sg.tf', 'terraform/plan-override/dev_override.tf']));
    const group = scanFixture('terraform/plan-override/plan.json').targets[0]!;
    expect(group.rules.map((rule) => `${rule.direction} ${rule.ports.toString()} ${rule.location.file}:${rule.location.range.startLine}`)).toEqual([
      'in 3000 fixtures/terraform/plan-override/dev_override.tf:5',
      'out 443 fixtures/terraform/plan-override/sg.tf:17',
    ]);
  });

  it('joins rules to a module\'s group through module outputs and module variables, as the HCL path does', () => {
    const joins = (fixture: string): string[] => {
      const result = scanFixture(fixture);
      expect(result.diagnostics).toEqual([]);
      return result.targets.map((target) => `${target.id}: ${target.rules.map((rule) => rule.resourceAddress).join(', ')}`);
    };
    const fromPlan = joins('terraform/plan-module-output/plan.json');
    expect(fromPlan).toEqual([
      'module.app["dev"].aws_security_group.this: aws_security_group_rule.ssh',
      'module.app["prod"].aws_security_group.this: module.rule.aws_security_group_rule.rdp',
    ]);
    expect(fromPlan).toEqual(joins('terraform/plan-module-output/main.tf'));
    expect(essence('terraform/plan-module-output/plan.json')).toEqual(essence('terraform/plan-module-output/main.tf'));
    expect(scanFixture('terraform/plan-module-output/plan.json').findings.map((finding) => finding.checkId)).toEqual(['FW101', 'FW101']);
  });

  // QA h7 item 4: the HCL path gives a finding on a module instance's resource the root's `module` block as a related
  // location (and `root`); the plan path gave neither, though the block is on disk beside the plan.
  it('gives findings in a module instance the root and its module block, as the HCL path does, where the .tf files are beside the plan', () => {
    const shown = (findings: ReturnType<typeof scanFixture>['findings']): string[] => findings
      .map((finding) => `${finding.targetId} root=${finding.rootModule?.folder} related=${finding.relatedLocations.map((location) => `${location.file}:${location.range.startLine}`).join(',')}`);
    const fromPlan = shown(scanFixture('terraform/plan-module-output/plan.json').findings);
    expect(fromPlan).toEqual([
      'module.app["dev"].aws_security_group.this root=fixtures/terraform/plan-module-output related=fixtures/terraform/plan-module-output/modules/app/main.tf:5',
      'module.app["prod"].aws_security_group.this root=fixtures/terraform/plan-module-output related=fixtures/terraform/plan-module-output/modules/app/main.tf:5,fixtures/terraform/plan-module-output/main.tf:3',
    ]);
    expect(fromPlan).toEqual(shown(scanFixture('terraform/plan-module-output/main.tf').findings));
    // A plan copied away from its configuration: where the module is called is not known.
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-root-'));
    try {
      fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-module-output/plan.json'), path.join(directory, 'plan.json'));
      expect(shown(scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' }).findings)).toEqual([
        'module.app["dev"].aws_security_group.this root=undefined related=',
        'module.app["prod"].aws_security_group.this root=undefined related=',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('tells apart the findings of two roots\' plans calling one module folder by their root, as the HCL path does', () => {
    const fixture = path.join(REPO_ROOT, 'fixtures/terraform/plan-module-output');
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-roots-'));
    try {
      for (const module of ['app', 'rule']) {
        fs.mkdirSync(path.join(directory, 'modules', module), { recursive: true });
        fs.copyFileSync(path.join(fixture, 'modules', module, 'main.tf'), path.join(directory, 'modules', module, 'main.tf'));
      }
      for (const root of ['dev', 'prod']) {
        fs.mkdirSync(path.join(directory, 'envs', root), { recursive: true });
        for (const name of ['main.tf', 'plan.json']) {
          const text = fs.readFileSync(path.join(fixture, name), 'utf8').replace(/"\.\/modules\//g, '"../../modules/');
          fs.writeFileSync(path.join(directory, 'envs', root, name), text);
        }
      }
      const shown = (paths: string[]): string[] => scan({ paths, cwd: directory, today: '2026-11-23' }).findings
        .map((finding) => `${finding.fingerprint} ${finding.message} related=${finding.relatedLocations.map((location) => `${location.file}:${location.range.startLine}`).join(',')}`)
        .sort();
      const fromPlans = shown(['envs/dev/plan.json', 'envs/prod/plan.json']);
      expect(fromPlans).toEqual(shown(['envs/dev/main.tf', 'envs/prod/main.tf']));
      expect(fromPlans.filter((line) => / \(root envs\/(dev|prod)\) related=.*envs\/\1\/main\.tf:3$/.test(line))).toHaveLength(2);
      expect(new Set(fromPlans.map((line) => line.split(' ')[0])).size).toBe(4);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('warns when a plan and the .tf files of its folder are scanned together, and applies their comments once', () => {
    const both = scanFixture('terraform/plan-annotations');
    expect(both.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code} ${diagnostic.file}`)).toEqual([
      'warning scan/terraform-plan-and-configuration fixtures/terraform/plan-annotations/plan.json',
    ]);
    expect(both.diagnostics[0]!.message).toContain('fixtures/terraform/plan-annotations/main.tf');
    // Each finding twice (once per path), each suppressed by the one comment: no "unused suppression" warning.
    expect(both.findings.map((finding) => `${finding.checkId} ${finding.suppression ? 'suppressed' : 'open'}`).sort()).toEqual([
      'FW101 suppressed',
      'FW101 suppressed',
      'FW102 suppressed',
      'FW102 suppressed',
      'FW202 open',
      'FW202 open',
    ]);
    expect(scanFixture(['terraform/plan-annotations/plan.json', 'terraform/plan-module-output/main.tf']).diagnostics).toEqual([]);
  });

  it('puts a GCP firewall whose project the plan leaves unknown in its provider configuration\'s project, as the HCL path does (QA3 05)', () => {
    const firewall = (name: string, rule: 'allow' | 'deny', protocol: string, ports: string[], priority: number) => ({
      address: `google_compute_firewall.${name}`,
      mode: 'managed',
      type: 'google_compute_firewall',
      name,
      change: {
        actions: ['create'],
        before: null,
        after: { name, network: 'vpc', priority, source_ranges: ['0.0.0.0/0'], allow: rule === 'allow' ? [{ protocol, ports }] : [], deny: rule === 'deny' ? [{ protocol, ports }] : [] },
        after_unknown: { id: true, project: true, direction: true },
      },
    });
    const configured = (name: string, providerKey: string) => ({ address: `google_compute_firewall.${name}`, mode: 'managed', type: 'google_compute_firewall', name, provider_config_key: providerKey, expressions: { name: { constant_value: name } } });
    const findingsWith = (sshProvider: string): string[] => {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
      try {
        const plan = {
          format_version: '1.2',
          variables: { project_b: { value: 'proj-b' } },
          resource_changes: [firewall('deny_all', 'deny', 'all', [], 0), firewall('ssh', 'allow', 'tcp', ['22'], 1000)],
          configuration: {
            provider_config: {
              google: { name: 'google', expressions: { project: { constant_value: 'proj-a' } } },
              'google.b': { name: 'google', alias: 'b', expressions: { project: { references: ['var.project_b'] } } },
            },
            root_module: { resources: [configured('deny_all', 'google'), configured('ssh', sshProvider)] },
          },
        };
        fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan));
        const result = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
        return result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`);
      } finally {
        fs.rmSync(directory, { recursive: true, force: true });
      }
    };
    // Another project's deny-all does not reach the SSH rule: it is world-open.
    expect(findingsWith('google.b')).toEqual(['FW101 google_compute_firewall.ssh']);
    // The same provider configuration: one project, one network; the deny-all at priority 0 overrides the allow.
    expect(findingsWith('google')).toEqual(['FW301 google_compute_firewall.ssh']);
  });

  it('treats a wholly unknown rule set that the configuration does not write as provider-computed when the .tf files are absent', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
    try {
      const ingress = { cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 22, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 22 };
      const plan = {
        format_version: '1.2',
        resource_changes: [
          {
            address: 'aws_security_group.ssh',
            mode: 'managed',
            type: 'aws_security_group',
            name: 'ssh',
            change: { actions: ['create'], before: null, after: { name: 'ssh', ingress: [ingress] }, after_unknown: { id: true, egress: true, ingress: [{ cidr_blocks: [false] }] } },
          },
        ],
        configuration: {
          root_module: {
            resources: [{ address: 'aws_security_group.ssh', mode: 'managed', type: 'aws_security_group', name: 'ssh', expressions: { name: { constant_value: 'ssh' }, ingress: [{ from_port: { constant_value: 22 } }] } }],
          },
        },
      };
      fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan));
      const result = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['parse/plan-configuration-not-found']);
      expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW101']);
      expect(result.targets[0]!.unknowns ?? []).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('does not keep a deleted standalone rule that the unchanged group reads back, wherever the plan is', () => {
    const inPlace = scanFixture('terraform/plan-delete-readback/plan.json');
    expect(inPlace.findings).toEqual([]);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
    try {
      const plan = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-delete-readback/plan.json'), 'utf8')) as Record<string, any>;
      fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan));
      const copied = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
      expect(copied.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['parse/plan-configuration-not-found']);
      expect(copied.findings).toEqual([]);
      expect(copied.targets.map((target) => `${target.id} ${target.rules.length}`)).toEqual(['aws_security_group.web 0']);

      // A group whose configuration writes `ingress` (the rule moved inline) keeps it: it is the group's own now.
      plan.configuration.root_module.resources[0].expressions.ingress = [{ from_port: { constant_value: 3389 } }];
      fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan));
      const moved = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' });
      expect(moved.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual(['FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/3389']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('counts a standalone rule of a state file once, not again as the group\'s read-back ingress', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
    try {
      // `terraform show -json` of a state: values only. Its group's ingress holds the standalone RDP rule and, in the
      // same element, an IPv6 peer that no standalone rule has (the group's own).
      const plan = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-delete-readback/plan.json'), 'utf8')) as Record<string, any>;
      const state = plan.prior_state;
      const [group] = state.values.root_module.resources;
      group.values.ingress[0].ipv6_cidr_blocks = ['2001:db8::/32'];
      fs.writeFileSync(path.join(directory, 'state.json'), JSON.stringify(state));
      const result = scan({ paths: ['state.json'], cwd: directory, today: '2026-11-23' });
      expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual(['FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/3389']);
      expect(result.targets[0]!.rules.map((rule) => `${rule.resourceAddress.replace(/\[#\w+\]/, '')} ${describePeer(rule.peer)}`)).toEqual([
        'aws_security_group.web.ingress 2001:db8::/32',
        'aws_vpc_security_group_ingress_rule.rdp 0.0.0.0/0',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('produces no findings for a destroy plan', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
    try {
      const data = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan/plan.json'), 'utf8')) as { resource_changes: Array<{ change: Record<string, unknown> }> };
      for (const change of data.resource_changes) Object.assign(change.change, { actions: ['delete'], before: change.change.after, after: null, after_unknown: {} });
      fs.writeFileSync(path.join(directory, 'destroy.json'), JSON.stringify(data));
      const result = scan({ paths: ['destroy.json'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics).toEqual([]);
      expect(result.targets).toEqual([]);
      expect(result.findings).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports unreadable and unsupported plans without crashing', () => {
    const result = scanFixture('terraform/plan-errors');
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code} ${diagnostic.file}:${diagnostic.range?.startLine}`)).toEqual([
      'error parse/plan-format-version fixtures/terraform/plan-errors/future-format.json:1',
      // Where the JSON stops (the file is cut after line 5), not at 1:1, and without JSON.parse's "at position N".
      'error parse/plan-json fixtures/terraform/plan-errors/truncated.json:6',
    ]);
    expect(result.diagnostics[1]!.message).toMatch(/^invalid JSON: [^\n]+$/);
    expect(result.diagnostics[1]!.message).not.toMatch(/position/);
    expect(result.targets).toEqual([]);
  });
});
