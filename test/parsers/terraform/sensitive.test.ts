import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
