import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { renderGithub } from '../../src/report/github';
import { renderJson } from '../../src/report/json';
import type { ReportInput } from '../../src/report/report-context';
import { renderSarif } from '../../src/report/sarif';
import { sarifRoot } from '../../src/report/sarif-root';
import { testContext } from './report-fixture';

const OPEN_SSH = [
  'resource "aws_security_group" "u" {',
  '  ingress {',
  '    from_port   = 22',
  '    to_port     = 22',
  '    protocol    = "tcp"',
  '    cidr_blocks = ["0.0.0.0/0"]',
  '  }',
  '}',
  '',
].join('\n');

/** A repository holding `sub dir/a b.tf` and `link.tf` linked to it, scanned from its root, in every format asked. */
function scanWithLink(run: (input: ReportInput, directory: string) => void): void {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-linked-'));
  try {
    fs.mkdirSync(path.join(directory, '.git'));
    fs.mkdirSync(path.join(directory, 'sub dir'));
    fs.writeFileSync(path.join(directory, 'sub dir', 'a b.tf'), OPEN_SSH);
    fs.symlinkSync('sub dir/a b.tf', path.join(directory, 'link.tf'));
    const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
    run({ findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 1 }, directory);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

// Regression (QA): a `.tf` file linked into another folder of the scan gave two identical SARIF results (same
// primaryLocationLineHash) and two identical GitHub annotations, both at the linked file.
describe('a file scanned at two paths (a link inside the scan)', () => {
  test('is part of both folders\' modules in JSON, at the path each was reported under', () => {
    scanWithLink((input) => {
      const json = JSON.parse(renderJson(input, testContext())) as { findings: Array<{ checkId: string; file: string }> };
      expect(json.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.file)).toEqual(['link.tf', 'sub dir/a b.tf']);
    });
  });

  test('gives one SARIF result at the linked file, never two with the same primaryLocationLineHash', () => {
    scanWithLink((input, directory) => {
      const sarif = JSON.parse(renderSarif(input, testContext({ sarifRoot: sarifRoot(directory) }))) as { runs: Array<{ results: Array<Record<string, any>> }> };
      const results = sarif.runs[0]!.results.filter((result) => result.ruleId === 'FW101');
      expect(results.map((result) => result.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['sub%20dir/a%20b.tf']);
      const places = sarif.runs[0]!.results.map((result) => `${result.locations[0].physicalLocation.artifactLocation.uri} ${result.partialFingerprints.primaryLocationLineHash}`);
      expect(new Set(places).size).toBe(places.length);
    });
  });

  test('gives one GitHub annotation', () => {
    scanWithLink((input, directory) => {
      const lines = renderGithub(input, testContext({ sarifRoot: sarifRoot(directory) })).split('\n').filter((line) => line.includes('FW101'));
      expect(lines).toEqual(['::error file=sub dir/a b.tf,line=6,col=20,endLine=6,endColumn=30,title=FW101 world-open-ingress::aws_security_group.u allows ingress from 0.0.0.0/0 on tcp/22']);
    });
  });

  test('keeps an active copy over a suppressed one', () => {
    scanWithLink((input, directory) => {
      // As a config `ignore:` entry for one of the paths would: the other path's finding still counts.
      input.findings = input.findings.map((finding) => (finding.location.file === 'link.tf' ? { ...finding, suppression: { kind: 'external', justification: 'x' } } : finding));
      const sarif = JSON.parse(renderSarif(input, testContext({ sarifRoot: sarifRoot(directory), includeSuppressed: true }))) as { runs: Array<{ results: Array<Record<string, any>> }> };
      const results = sarif.runs[0]!.results.filter((result) => result.ruleId === 'FW101');
      expect(results).toHaveLength(1);
      expect(results[0]!.suppressions).toBeUndefined();
    });
  });
});
