import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanOptions, type ScanResult } from '../../src/pipeline/scan';
import { renderJunit } from '../../src/report/junit';
import { renderMarkdown } from '../../src/report/markdown';
import { renderSarif } from '../../src/report/sarif';
import { renderText } from '../../src/report/text';
import type { ReportInput } from '../../src/report/report-context';
import { createBaseline } from '../../src/suppress/baseline';
import { REPO_ROOT, scanFixture } from '../helpers/scan-fixture';
import { testContext } from '../report/report-fixture';

/*
 * Regression (QA, shared module): fixtures/terraform/shared-module has modules/sg called by envs/dev and envs/prod.
 * Both instances have the same address (module.bastion.aws_security_group.this) and the same file: accepting dev's
 * finding in a baseline hid prod's, reports showed the two word for word, and a suppression used by prod was "unused,
 * remove it" in a scan of dev.
 */
const FIXTURE = 'terraform/shared-module';
const MODULE_FILE = 'fixtures/terraform/shared-module/modules/sg/main.tf';

function reportInput(result: ScanResult): ReportInput {
  return { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 1 };
}

/** A copy of the fixture in a temporary folder, with prod's tfvars replaced, scanned from that folder. */
function withCopy(run: (directory: string, scanHere: (options?: Partial<ScanOptions>) => ScanResult, setProd: (tfvars: string) => void) => void): void {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-shared-module-'));
  try {
    fs.cpSync(path.join(REPO_ROOT, 'fixtures', FIXTURE), directory, { recursive: true });
    const scanHere = (options: Partial<ScanOptions> = {}): ScanResult => scan({ paths: ['.'], cwd: directory, today: '2026-11-23', ...options });
    run(directory, scanHere, (tfvars) => fs.writeFileSync(path.join(directory, 'envs/prod/terraform.tfvars'), tfvars));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('a module used by several root modules', () => {
  it('records the root module of each instance target, and where the root calls the module', () => {
    const result = scanFixture(FIXTURE, { keepModel: true });
    const module = result.targets.filter((target) => target.id === 'module.bastion.aws_security_group.this');
    expect(module.map((target) => target.rootModule)).toEqual([
      { folder: 'fixtures/terraform/shared-module/envs/dev', call: { file: 'fixtures/terraform/shared-module/envs/dev/main.tf', range: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 17 } } },
      { folder: 'fixtures/terraform/shared-module/envs/prod', call: { file: 'fixtures/terraform/shared-module/envs/prod/main.tf', range: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 17 } } },
    ]);
    expect(result.targetFiles.map((target) => target.root)).toEqual(['fixtures/terraform/shared-module/envs/dev', 'fixtures/terraform/shared-module/envs/prod']);
  });

  it('a root module resource has no root module recorded: its file says where it is', () => {
    const result = scanFixture('terraform/azure-nsg-name', { keepModel: true });
    const rootResources = result.targets.filter((target) => !target.id.startsWith('module.'));
    expect(rootResources.length).toBeGreaterThan(0);
    expect(rootResources.every((target) => target.rootModule === undefined)).toBe(true);
  });

  it('tells the roots apart in the fingerprint only where several roots use the module', () => {
    withCopy((_directory, scanHere, setProd) => {
      setProd('ssh_cidrs = ["0.0.0.0/0"]\nweb_cidrs = ["0.0.0.0/0"]\n');
      const ssh = (result: ScanResult) => result.findings.filter((finding) => finding.checkId === 'FW101' && finding.message.includes('tcp/22'));
      const both = ssh(scanHere());
      expect(both.map((finding) => finding.rootModule?.folder)).toEqual(['envs/dev', 'envs/prod']);
      expect(new Set(both.map((finding) => finding.fingerprint)).size).toBe(2);
      expect(both.every((finding) => finding.fingerprint === finding.rootFingerprints?.withRoot)).toBe(true);
      // Scanned alone, dev uses the module by itself: the fingerprint without the root, the one it always had.
      const [devAlone] = ssh(scanHere({ paths: ['envs/dev'] }));
      expect(devAlone!.fingerprint).toBe(devAlone!.rootFingerprints?.withoutRoot);
      expect(devAlone!.rootFingerprints).toEqual(both[0]!.rootFingerprints);
    });
  });

  it('gives the same fingerprints from any folder the library scan runs in, whatever the process\'s folder (module paths with ..)', () => {
    withCopy((directory, scanHere, setProd) => {
      setProd('ssh_cidrs = ["0.0.0.0/0"]\nweb_cidrs = ["0.0.0.0/0"]\n');
      const fingerprints = (result: ScanResult): string[] => result.findings.filter((finding) => finding.rootModule !== undefined).map((finding) => finding.fingerprint).sort();
      const fromCopy = fingerprints(scanHere());
      expect(fromCopy.length).toBeGreaterThan(0);
      // From envs/dev the module is ../../modules/sg and prod ../prod: the way between them is resolved from envs/dev,
      // not from the process's folder (the repository here), which gave another root way and fingerprint.
      expect(process.cwd()).not.toBe(path.join(directory, 'envs/dev'));
      const fromDev = scan({ paths: ['.', '../prod'], cwd: path.join(directory, 'envs/dev'), today: '2026-11-23' });
      expect(fromDev.findings.some((finding) => finding.location.file.startsWith('../../modules/'))).toBe(true);
      expect(fingerprints(fromDev)).toEqual(fromCopy);
    });
  });

  it('keeps the fingerprint of a module called from one root', () => {
    const result = scanFixture('terraform/module-tree/root');
    const inModules = result.findings.filter((finding) => finding.rootModule !== undefined);
    expect(inModules.length).toBeGreaterThan(0);
    expect(inModules.every((finding) => finding.fingerprint === finding.rootFingerprints?.withoutRoot)).toBe(true);
  });

  it('a baseline accepting a finding in dev does not hide the same new finding in prod', () => {
    withCopy((_directory, scanHere, setProd) => {
      const baseline = createBaseline(scanHere().findings);
      expect(baseline.findings.map((entry) => [entry.root, entry.message])).toEqual([
        ['envs/dev', 'module.bastion.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (root envs/dev)'],
      ]);
      setProd('ssh_cidrs = ["0.0.0.0/0"]\nweb_cidrs = ["0.0.0.0/0"]\n');
      const after = scanHere({ baseline });
      const open = after.findings.filter((finding) => !finding.suppression);
      expect(open.map((finding) => finding.message)).toEqual(['module.bastion.aws_security_group.this allows ingress from 0.0.0.0/0 on tcp/22 (root envs/prod)']);
      expect(after.stats.baselined).toBe(1);
      expect(after.stats.baselineAbsent).toBe(0);
      // The entry was written while dev alone had the finding (fingerprint without the root); it still matches dev's
      // scanned alone or together, and never prod's.
      const prodAlone = scanHere({ paths: ['envs/prod'], baseline });
      expect(prodAlone.findings.filter((finding) => !finding.suppression).map((finding) => finding.rootModule?.folder)).toEqual(['envs/prod']);
      expect(scanHere({ paths: ['envs/dev'], baseline }).stats.baselined).toBe(1);
    });
  });

  it('an entry without a root (written before roots were recorded) does not hide a finding of a shared module', () => {
    withCopy((_directory, scanHere, setProd) => {
      setProd('ssh_cidrs = ["0.0.0.0/0"]\nweb_cidrs = ["0.0.0.0/0"]\n');
      const devAlone = scanHere({ paths: ['envs/dev'] }).findings.filter((finding) => finding.message.includes('tcp/22'));
      const { root: _root, ...legacy } = createBaseline(devAlone).findings[0]!;
      const result = scanHere({ baseline: { version: 1, tool: 'fwlint', findings: [legacy] } });
      // The entry does not say which root it accepted: both roots' findings are open, and the entry is reported absent.
      expect(result.findings.filter((finding) => finding.message.includes('tcp/22') && !finding.suppression)).toHaveLength(2);
      expect(result.stats.baselineAbsent).toBe(1);
      // In a scan where one root uses the module, it matches as it did.
      expect(scanHere({ paths: ['envs/dev'], baseline: { version: 1, tool: 'fwlint', findings: [legacy] } }).stats.baselined).toBe(1);
    });
  });

  it('names the root in every report, and counts each root\'s instance as a target', () => {
    withCopy((_directory, scanHere, setProd) => {
      setProd('ssh_cidrs = ["0.0.0.0/0"]\nweb_cidrs = ["10.0.0.0/8"]\n');
      const result = scanHere({ paths: ['envs/dev', 'envs/prod', 'modules/sg'] });
      const input = reportInput(result);
      const text = renderText(input, testContext());
      expect(text).toContain('on tcp/22 (root envs/dev)');
      expect(text).toContain('on tcp/22 (root envs/prod)');
      const markdown = renderMarkdown(input, testContext());
      expect(markdown).toContain('**2 findings** in 2 targets');
      expect(markdown).toContain('### module.bastion.aws_security_group.this (root envs/dev)');
      expect(markdown).toContain('### module.bastion.aws_security_group.this (root envs/prod)');
      const classnames = [...renderJunit(input, testContext()).matchAll(/name="FW101 world-open-ingress" classname="([^"]*)"/g)].map((match) => match[1]);
      expect(classnames).toEqual(['module.bastion.aws_security_group.this (root envs/dev)', 'module.bastion.aws_security_group.this (root envs/prod)']);
      const sarif = JSON.parse(renderSarif(input, testContext())) as { runs: Array<{ results: Array<Record<string, any>> }> };
      const results = sarif.runs[0]!.results;
      expect(results.map((entry) => entry.properties.root)).toEqual(['envs/dev', 'envs/prod']);
      expect(new Set(results.map((entry) => entry.partialFingerprints.primaryLocationLineHash)).size).toBe(2);
      expect(results.map((entry) => entry.relatedLocations.at(-1))).toEqual([
        expect.objectContaining({ message: { text: 'use of the module by root envs/dev' }, physicalLocation: expect.objectContaining({ artifactLocation: expect.objectContaining({ uri: 'envs/dev/main.tf' }) }) }),
        expect.objectContaining({ message: { text: 'use of the module by root envs/prod' }, physicalLocation: expect.objectContaining({ artifactLocation: expect.objectContaining({ uri: 'envs/prod/main.tf' }) }) }),
      ]);
    });
  });

  it('applies a module file\'s suppression in every root, also when the roots are parsed apart and judged one by one', () => {
    // envs/dev and envs/prod without the module folder: two parse units that both read modules/sg.
    const paths = ['terraform/shared-module/envs/dev', 'terraform/shared-module/envs/prod'];
    for (const keepModel of [true, false]) {
      const result = scanFixture(paths, { keepModel });
      expect(result.findings.filter((finding) => finding.message.includes('tcp/443')).map((finding) => finding.suppression?.kind)).toEqual(['inSource']);
      expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused')).toEqual([]);
    }
  });

  it('does not advise removing a module file\'s suppression that roots outside the scan may use', () => {
    const devAlone = scanFixture('terraform/shared-module/envs/dev');
    expect(devAlone.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused').map((diagnostic) => [diagnostic.file, diagnostic.message])).toEqual([
      [MODULE_FILE, 'suppression of FW101 ("public web front, reviewed") matched no finding in this scan; root modules not scanned may call this module and need it'],
    ]);
    withCopy((directory, scanHere) => {
      // The scan covers the repository (here the working directory, no .git above it) and the module: remove it.
      fs.writeFileSync(path.join(directory, 'envs/prod/terraform.tfvars'), 'ssh_cidrs = ["10.0.0.0/8"]\nweb_cidrs = ["10.0.0.0/8"]\n');
      fs.mkdirSync(path.join(directory, '.git'));
      const whole = scanHere();
      expect(whole.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused').map((diagnostic) => diagnostic.message)).toEqual([
        'suppression of FW101 ("public web front, reviewed") matched no finding; remove it',
      ]);
      // Only dev's folder scanned: prod may need it.
      expect(scanHere({ paths: ['envs/dev', 'modules/sg'] }).diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused').map((diagnostic) => diagnostic.message)).toEqual([
        'suppression of FW101 ("public web front, reviewed") matched no finding in this scan; root modules not scanned may call this module and need it',
      ]);
    });
  });
});
