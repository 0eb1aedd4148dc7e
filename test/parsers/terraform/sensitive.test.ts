import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';
import { runCli } from '../../helpers/run-cli';

/**
 * Regression (qa-h2): values Terraform redacts (`sensitive = true`, `sensitive()`, plan `after_sensitive`) were echoed
 * in messages, JSON/SARIF properties and baselines ("allows ingress from 0.0.0.0/0" for `var.office_cidrs` set in
 * terraform.tfvars). They are still judged, but shown as `(sensitive value of …)`.
 */
const FIXTURE = 'terraform/sensitive';

describe('Terraform sensitive values', () => {
  it('judges sensitive values and marks the rules built from them, through locals, conditionals, sensitive() and module inputs', () => {
    const result = scanFixture(FIXTURE);
    expect(result.diagnostics).toEqual([]);
    const marks = result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.sensitive?.peer ?? '-'}`));
    expect(marks).toEqual([
      'aws_security_group.admin.ingress[0] 22 var.office_cidrs',
      'aws_security_group.admin.ingress[1] 3389 var.office_cidrs',
      'aws_security_group.admin.ingress[2] 873 local.backup_cidr',
      'aws_security_group.admin.ingress[3] 443 -',
      'module.admin.aws_security_group.admin.ingress[0] 5985 var.office_cidrs',
      'module.admin.aws_security_group.admin.ingress[0] 5985 var.office_cidrs',
    ]);
    // A redaction never hides a finding: every world-open rule is still reported, at its severity.
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => `${finding.severity} ${finding.message}`)).toEqual([
      'critical aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/22',
      'critical aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/3389',
      'high aws_security_group.admin allows ingress from (sensitive value of local.backup_cidr) on tcp/873',
      'high aws_security_group.admin allows ingress from 0.0.0.0/0 on tcp/443',
      'critical module.admin.aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/5985',
    ]);
    const sensitive = fw101.filter((finding) => !finding.message.includes('tcp/443'));
    expect(sensitive[0]!.properties).toMatchObject({ peer: '(sensitive value of var.office_cidrs)', witness: 'tcp/22 from (sensitive value of var.office_cidrs)' });
    const shown = JSON.stringify(sensitive);
    expect(shown).not.toContain('0.0.0.0');
    expect(shown).not.toContain('203.0.113');
    expect(JSON.stringify(result.findings)).not.toContain('10.8.0.0');
  });

  it('keeps a value given with --var sensitive', () => {
    const result = scanFixture(FIXTURE, { parse: { vars: { office_cidrs: '["0.0.0.0/1", "128.0.0.0/1"]' }, varFiles: [], params: {} } });
    const ssh = result.findings.filter((finding) => finding.message.includes('tcp/22'));
    // The two CIDRs are one written value: one finding, whose union (0.0.0.0/0) is redacted too.
    expect(ssh.map((finding) => `${finding.severity} ${finding.message}`)).toEqual(['critical aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/22']);
    expect(JSON.stringify(ssh)).not.toMatch(/(0|128)\.0\.0\.0/);
  });

  it('shows no sensitive value in SARIF, JSON or a written baseline', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-'));
    try {
      const baseline = path.join(folder, 'baseline.json');
      const fixture = path.join('fixtures', FIXTURE);
      const sarif = await runCli(['scan', fixture, '--format', 'sarif', '--write-baseline', baseline], REPO_ROOT);
      const json = await runCli(['scan', fixture, '--format', 'json'], REPO_ROOT);
      expect([sarif.code, json.code]).toEqual([1, 1]);
      const sensitiveOnes = (items: Array<{ message: unknown }>): string => {
        const shown = items.filter((item) => !JSON.stringify(item.message).includes('tcp/443'));
        expect(shown.length).toBe(4);
        return JSON.stringify(shown);
      };
      const outputs = [
        sensitiveOnes(JSON.parse(sarif.stdout).runs[0].results),
        sensitiveOnes(JSON.parse(json.stdout).findings),
        sensitiveOnes(JSON.parse(fs.readFileSync(baseline, 'utf8')).findings),
      ];
      for (const output of outputs) {
        expect(output).toContain('(sensitive value of var.office_cidrs)');
        expect(output).not.toContain('0.0.0.0');
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

/**
 * Regression (qa-h1): the network ACL, Azure NSG and GCP firewall rule builders did not mark their rules, so a
 * sensitive `cidr_block`, `source_address_prefix(es)`, `source_ranges` or port was echoed in findings.
 */
describe('Terraform sensitive values of network ACLs, Azure NSGs and GCP firewalls', () => {
  const PLATFORMS = 'terraform/sensitive-platforms';

  it('marks the rules built from sensitive peers and ports, and still reports them world-open', () => {
    const result = scanFixture(PLATFORMS);
    expect(result.diagnostics).toEqual([]);
    const marks = result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.sensitive?.peer ?? '-'} ${rule.sensitive?.traffic ?? '-'}`));
    expect(marks).toEqual([
      'aws_network_acl.edge.ingress[0] 22 var.edge_cidr -',
      'aws_network_acl_rule.rdp 3389 - var.admin_port',
      'azurerm_network_security_group.app.security_rule[0] 22 var.admin_prefixes -',
      'azurerm_network_security_rule.rdp 3389 var.any_source -',
      'google_compute_firewall.admin.allow[0] 22 var.admin_prefixes -',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`)).toEqual([
      'FW101 critical aws_network_acl.edge allows ingress from (sensitive value of var.edge_cidr) on tcp/22',
      'FW101 critical aws_network_acl.edge allows ingress from 0.0.0.0/0 on tcp/(sensitive value of var.admin_port)',
      'FW101 critical azurerm_network_security_group.app allows ingress from (sensitive value of var.admin_prefixes) on tcp/22',
      'FW101 critical azurerm_network_security_group.app allows ingress from (sensitive value of var.any_source) on tcp/3389',
      'FW101 critical google_compute_firewall.admin allows ingress from (sensitive value of var.admin_prefixes) on tcp/22',
    ]);
  });

  it('shows no sensitive value in JSON or SARIF', async () => {
    const fixture = path.join('fixtures', PLATFORMS);
    const sarif = await runCli(['scan', fixture, '--format', 'sarif'], REPO_ROOT);
    const json = await runCli(['scan', fixture, '--format', 'json'], REPO_ROOT);
    expect([sarif.code, json.code]).toEqual([1, 1]);
    const outputs = [JSON.parse(sarif.stdout).runs[0].results, JSON.parse(json.stdout).findings] as Array<Array<{ message: unknown }>>;
    for (const findings of outputs) {
      expect(findings.length).toBe(5);
      // The NACL rule with a sensitive port has a plain peer; every other one has a sensitive peer.
      const sensitivePeers = findings.filter((finding) => !JSON.stringify(finding.message).includes('var.admin_port'));
      const shown = JSON.stringify(sensitivePeers);
      expect(sensitivePeers.length).toBe(4);
      expect(shown).not.toContain('0.0.0.0');
      expect(shown).not.toContain('::/0');
      expect(shown).not.toContain('"*"');
      expect(JSON.stringify(findings)).not.toContain('3389,');
      expect(JSON.stringify(findings.filter((finding) => JSON.stringify(finding.message).includes('var.admin_port')))).not.toContain('3389');
    }
  });

  it('marks the rules of a plan whose values are sensitive, and shows none of them', () => {
    const original = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan/plan.json'), 'utf8')) as {
      resource_changes: Array<{ address: string; change: { after: Record<string, unknown>; after_sensitive: Record<string, unknown> } }>;
    };
    const change = (address: string): { after: Record<string, unknown>; after_sensitive: Record<string, unknown> } => original.resource_changes.find((each) => each.address === address)!.change;
    change('aws_network_acl_rule.ephemeral_out').after_sensitive = { cidr_block: true };
    change('azurerm_network_security_rule.ssh').after.source_address_prefixes = ['*'];
    change('azurerm_network_security_rule.ssh').after_sensitive = { source_address_prefixes: [true] };
    change('google_compute_firewall.web').after_sensitive.source_ranges = true;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-plan-'));
    try {
      fs.writeFileSync(path.join(folder, 'plan.json'), JSON.stringify(original));
      const result = scan({ paths: ['plan.json'], cwd: folder, today: '2026-11-23' });
      const rules = result.targets.flatMap((target) => target.rules).filter((rule) => rule.sensitive !== undefined);
      expect(rules.map((rule) => `${rule.resourceAddress.replace(/#\w+/, '#')} ${JSON.stringify(rule.sensitive)}`)).toEqual([
        'aws_network_acl_rule.ephemeral_out {"peer":""}',
        'azurerm_network_security_rule.ssh {"peer":""}',
        'google_compute_firewall.web.allow[#] {"peer":""}',
      ]);
      const named = result.findings.filter((finding) => /ephemeral_out|rule\.ssh|compute_firewall\.web/.test(finding.ruleId ?? ''));
      expect(named.map((finding) => `${finding.checkId} ${finding.message}`).sort()).toEqual([
        'FW101 azurerm_network_security_group.app allows ingress from (sensitive value) on tcp/22, 2200-2210',
        'FW101 google_compute_firewall.web allows ingress from (sensitive value) on tcp/80, 443',
        'FW103 aws_network_acl.edge opens 64512 tcp ports (1024-65535) to (sensitive value), more than 1024',
      ]);
      expect(JSON.stringify(named)).not.toMatch(/0\.0\.0\.0|::\/0|"\*"/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
