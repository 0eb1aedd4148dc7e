import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyBaseline, createBaseline } from '../../src/suppress/baseline';
import type { Finding } from '../../src/model/finding';
import { scanFixture } from '../helpers/scan-fixture';

function finding(fingerprint: string, suppression?: Finding['suppression'], file = 'a.tf'): Finding {
  const result: Finding = {
    checkId: 'FW101', checkName: 'world-open-ingress', severity: 'high', messageId: 'worldOpen', message: `m ${fingerprint}`,
    targetId: 't', location: { file, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } },
    relatedLocations: [], properties: {}, fingerprint,
  };
  if (suppression) result.suppression = suppression;
  return result;
}

describe('baseline', () => {
  it('an updated baseline keeps the baselined findings that still occur and drops the absent entries', () => {
    const old = createBaseline([finding('aaaa'), finding('bbbb'), finding('cccc')]);
    const now = [finding('aaaa'), finding('bbbb'), finding('dddd')];
    expect(applyBaseline(now, old)).toEqual({ baselined: 2, absent: [expect.objectContaining({ fingerprint: 'cccc' })], unseen: [] });
    expect(createBaseline(now).findings.map((entry) => entry.fingerprint)).toEqual(['aaaa', 'bbbb', 'dddd']);
  });

  it('keys entries by fingerprint and file: an accepted finding in one root module does not hide its twin in another', () => {
    // envs/dev and envs/prod both define aws_security_group.web with the same rule: the same fingerprint.
    const baseline = createBaseline([finding('aaaa', undefined, 'envs/dev/main.tf')]);
    expect(baseline.findings).toEqual([expect.objectContaining({ fingerprint: 'aaaa', file: 'envs/dev/main.tf' })]);
    const now = [finding('aaaa', undefined, 'envs/dev/main.tf'), finding('aaaa', undefined, 'envs/prod/main.tf')];
    expect(applyBaseline(now, baseline)).toEqual({ baselined: 1, absent: [], unseen: [] });
    expect(now.map((each) => each.suppression?.baseline === true)).toEqual([true, false]);
    // Both recorded when the baseline is rewritten, in a stable order.
    expect(createBaseline(now).findings.map((entry) => entry.file)).toEqual(['envs/dev/main.tf', 'envs/prod/main.tf']);
  });

  // Regression (QA): two findings with one fingerprint in one place (the same rule content under var.a and, added
  // later, under var.b) were both muted by the one entry the baseline had: a new world-open rule passed the gate.
  it('accepts as many findings of a fingerprint in one place as it has entries for it: a further one is new', () => {
    const baseline = createBaseline([finding('aaaa')]);
    const now = [finding('aaaa'), finding('aaaa')];
    expect(applyBaseline(now, baseline)).toEqual({ baselined: 1, absent: [], unseen: [] });
    expect(now.map((each) => each.suppression?.baseline === true)).toEqual([true, false]);
    // Both are recorded when the baseline is written, and then both are accepted.
    const both = createBaseline([finding('aaaa'), finding('aaaa')]);
    expect(both.findings.map((entry) => entry.fingerprint)).toEqual(['aaaa', 'aaaa']);
    const again = [finding('aaaa'), finding('aaaa')];
    expect(applyBaseline(again, both)).toEqual({ baselined: 2, absent: [], unseen: [] });
    // An entry no finding took is absent.
    expect(applyBaseline([finding('aaaa')], both)).toEqual({ baselined: 1, absent: [expect.objectContaining({ fingerprint: 'aaaa' })], unseen: [] });
  });

  it('still reads an entry without a file (written before files were recorded): it matches by fingerprint alone', () => {
    const legacy = { version: 1 as const, tool: 'fwlint' as const, findings: [{ fingerprint: 'aaaa', checkId: 'FW101', targetId: 't', message: 'm aaaa' }] };
    const now = [finding('aaaa', undefined, 'envs/dev/main.tf'), finding('aaaa', undefined, 'envs/prod/main.tf')];
    expect(applyBaseline(now, legacy)).toEqual({ baselined: 2, absent: [], unseen: [] });
  });

  // Regression (QA): renaming main.tf to sg.tf, or moving a rule resource into rules.tf, reopened accepted findings.
  it('matches a Terraform finding anywhere in its module folder: moving a resource to another file keeps it accepted', () => {
    const baseline = createBaseline([finding('aaaa', undefined, 'infra/main.tf'), finding('bbbb', undefined, 'infra/main.tf.json')]);
    const now = [finding('aaaa', undefined, 'infra/sg.tf'), finding('bbbb', undefined, 'infra/rules.tf')];
    expect(applyBaseline(now, baseline)).toEqual({ baselined: 2, absent: [], unseen: [] });
    // Another folder is another module (or root module): not the same resource.
    const elsewhere = [finding('aaaa', undefined, 'other/main.tf')];
    expect(applyBaseline(elsewhere, baseline)).toEqual({ baselined: 0, absent: baseline.findings, unseen: [] });
  });

  it('matches other formats by file: a CloudFormation template or a netsh host file is the unit', () => {
    const baseline = createBaseline([finding('aaaa', undefined, 'stacks/web.yaml'), finding('bbbb', undefined, 'hosts/db01.txt')]);
    const now = [finding('aaaa', undefined, 'stacks/api.yaml'), finding('bbbb', undefined, 'hosts/db02.txt')];
    expect(applyBaseline(now, baseline)).toEqual({ baselined: 0, absent: baseline.findings, unseen: [] });
  });

  it('tells the roots of a module used by several roots apart, by either fingerprint of the finding', () => {
    const inRoot = (fingerprint: string, root: string, withoutRoot: string, withRoot: string): Finding => ({
      ...finding(fingerprint, undefined, 'modules/sg/main.tf'),
      rootModule: { folder: root, call: { file: `${root}/main.tf`, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 17 } } },
      rootFingerprints: { withoutRoot, withRoot, moduleFolder: 'modules/sg' },
    });
    // Written by a scan of envs/dev alone (the module used by one root: the fingerprint without the root).
    const baseline = createBaseline([inRoot('plain', 'envs/dev', 'plain', 'dev-root')]);
    expect(baseline.findings).toEqual([expect.objectContaining({ fingerprint: 'plain', file: 'modules/sg/main.tf', root: 'envs/dev' })]);
    // A scan of both roots: each finding has the root in its fingerprint; only dev's is accepted.
    const now = [inRoot('dev-root', 'envs/dev', 'plain', 'dev-root'), inRoot('prod-root', 'envs/prod', 'plain', 'prod-root')];
    expect(applyBaseline(now, baseline)).toEqual({ baselined: 1, absent: [], unseen: [] });
    expect(now.map((each) => each.suppression?.baseline === true)).toEqual([true, false]);
    // Both recorded when the baseline is rewritten, each with its root.
    expect(createBaseline(now).findings.map((entry) => [entry.fingerprint, entry.root])).toEqual([['dev-root', 'envs/dev'], ['prod-root', 'envs/prod']]);
  });

  it('marks baselined findings structurally, not by their justification text', () => {
    // A user's reason that reads "in baseline" is still an ordinary suppression.
    const userSuppressed = finding('aaaa', { kind: 'external', justification: 'in baseline' });
    const findings = [userSuppressed, finding('bbbb')];
    applyBaseline(findings, createBaseline([finding('bbbb')]));
    expect(findings[1]!.suppression).toEqual({ kind: 'external', justification: 'in baseline', baseline: true });
    expect(createBaseline(findings).findings.map((entry) => entry.fingerprint)).toEqual(['bbbb']);
  });

  it('counts a config ignore whose reason is "in baseline" as suppressed, not baselined', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-baseline-'));
    try {
      const config = path.join(directory, '.fwlint.yaml');
      fs.writeFileSync(config, 'ignore:\n  - { check: FW104, reason: "in baseline" }\n');
      const result = scanFixture('demo/network.tf', { configFile: config });
      const fw104 = result.findings.filter((f) => f.checkId === 'FW104');
      expect(fw104.length).toBeGreaterThan(0);
      expect(fw104.every((f) => f.suppression?.kind === 'external' && f.suppression.baseline === undefined)).toBe(true);
      expect(result.stats.suppressed).toBe(result.findings.filter((f) => f.suppression).length);
      expect(result.stats.suppressed).toBeGreaterThanOrEqual(fw104.length);
      expect(result.stats.baselined).toBe(0);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
