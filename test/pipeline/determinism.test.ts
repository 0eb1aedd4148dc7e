import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { renderSarif } from '../../src/report/sarif';
import { renderJson } from '../../src/report/json';
import type { ReportContext } from '../../src/report';
import { REPO_ROOT } from '../helpers/scan-fixture';

const context: ReportContext = { toolVersion: '0.0.0-test', color: false, sourceLines: () => undefined, includeSuppressed: false, checkDocs: () => undefined };

function report(paths: string[], cwd = REPO_ROOT): { json: string; sarif: string } {
  const result = scan({ paths, cwd, today: '2026-11-23' });
  const input = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode: 1 };
  return { json: renderJson(input, context), sarif: renderSarif(input, context) };
}

describe('deterministic output', () => {
  it('gives the same bytes whatever the order of the inputs', () => {
    const inputs = ['fixtures/demo/network.tf', 'fixtures/demo/cloud-manager.tf', 'fixtures/demo/hosts/sds01.txt', 'fixtures/cloudformation/pair'];
    const forward = report(inputs);
    const reversed = report([...inputs].reverse());
    expect(reversed.json).toBe(forward.json);
    expect(reversed.sarif).toBe(forward.sarif);
  });

  it('keeps fingerprints when unrelated lines are inserted above a finding', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fp-'));
    try {
      const original = fs.readFileSync(path.join(REPO_ROOT, 'fixtures/demo/network.tf'), 'utf8');
      fs.writeFileSync(path.join(directory, 'network.tf'), original);
      const before = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' }).findings;
      fs.writeFileSync(path.join(directory, 'network.tf'), `# an unrelated comment\n\nlocals {\n  owner = "platform"\n}\n\n${original}`);
      const after = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' }).findings;
      expect(after.map((finding) => finding.fingerprint)).toEqual(before.map((finding) => finding.fingerprint));
      expect(after[0]!.location.range.startLine).toBe(before[0]!.location.range.startLine + 6);
      expect(new Set(before.map((finding) => finding.fingerprint)).size).toBe(before.length);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
