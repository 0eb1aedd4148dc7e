import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../src/checks';
import type { ReportContext, ReportInput } from '../../src/report/report-context';
import { SECURITY_SEVERITY, absoluteLinks, renderSarif } from '../../src/report/sarif';
import { basicInput, testContext } from './report-fixture';
import { sarifValidator } from './sarif-schema';

const REPO_ROOT = path.resolve(__dirname, '../..');

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are read as plain JSON here */
type Json = any;

function render(input: ReportInput = basicInput(), overrides: Partial<ReportContext> = {}): Json {
  return JSON.parse(renderSarif(input, testContext({ category: 'fwlint-terraform', ...overrides })));
}

function expectSchemaValid(log: Json): void {
  // Fails (does not skip) when the schema cannot be found.
  const validate = sarifValidator();
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

describe('SARIF reporter', () => {
  test('is valid SARIF 2.1.0 (OASIS schema)', () => {
    expectSchemaValid(render());
  });

  test('is valid with suppressed results included, and for an empty run', () => {
    expectSchemaValid(render(basicInput(), { includeSuppressed: true }));
    const empty: ReportInput = { ...basicInput(), findings: [], diagnostics: [], exitCode: 0 };
    const log = render(empty, { category: undefined });
    expectSchemaValid(log);
    // A clean scan still uploads an empty results array, which is how GitHub closes fixed alerts (formats.md §5.9).
    expect(log.runs[0].results).toEqual([]);
  });

  test('is valid with the real check docs as rule help', () => {
    const docs = (checkId: string): string | undefined => {
      const check = CHECKS.find((candidate) => candidate.id === checkId);
      const file = check && path.join(REPO_ROOT, check.docsPath);
      return file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    };
    const log = render(basicInput(), { checkDocs: docs });
    expectSchemaValid(log);
    for (const rule of log.runs[0].tool.driver.rules) {
      const markdown = docs(rule.id);
      expect([rule.id, markdown !== undefined]).toEqual([rule.id, true]);
      // The doc, with links made absolute (GitHub shows help outside the repository) and the doc page linked at the end.
      const check = CHECKS.find((candidate) => candidate.id === rule.id)!;
      expect(rule.help.markdown).toBe(`${absoluteLinks(markdown!, check.helpUri).trimEnd()}\n\n[${check.id} documentation](${check.helpUri})\n`);
      expect(rule.help.markdown).not.toMatch(/\]\((?!https:\/\/)[^)]*\)/);
      // fullDescription is the whole first paragraph of "## What" (it once stopped at the paragraph's first line end).
      const paragraph = /^## What\n+([\s\S]*?)\n\n/m.exec(markdown!)![1]!;
      expect(rule.fullDescription.text).toBe(paragraph.replace(/`/g, '').replace(/\*\*/g, '').replace(/\s*\n\s*/g, ' '));
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help.text.length).toBeGreaterThan(0);
    }
  });

  test('lists every check in rules[] with a string security-severity and the contract level', () => {
    // Without results, each rule carries its check's default severity.
    const rules: Json[] = render({ ...basicInput(), findings: [] }).runs[0].tool.driver.rules;
    expect(rules.map((rule) => rule.id)).toEqual(CHECKS.map((check) => check.id));
    for (const [index, check] of CHECKS.entries()) {
      const rule = rules[index];
      expect(typeof rule.properties['security-severity']).toBe('string');
      expect(rule.properties['security-severity']).toBe(SECURITY_SEVERITY[check.defaultSeverity]);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
      expect(Number(rule.properties['security-severity'])).toBeLessThanOrEqual(10);
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.defaultConfiguration.level).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'warning', note: 'note' }[check.defaultSeverity]);
    }
  });

  test('results point into rules[] and carry fingerprints', () => {
    const run = render().runs[0];
    const rules: Json[] = run.tool.driver.rules;
    expect(run.results.length).toBeGreaterThan(0);
    for (const result of run.results) {
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.partialFingerprints['fwlint/v1']).toMatch(/^[0-9a-f]{16}$/);
      expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
      expect(result.locations).toHaveLength(1);
      const region = result.locations[0].physicalLocation.region;
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.endColumn).toBeGreaterThan(0);
    }
    // Levels follow the finding's own severity, not the check's default (FW101 critical on a sensitive port).
    const critical = run.results.find((result: Json) => result.properties.severity === 'critical');
    expect(critical.level).toBe('error');
    expect(critical.properties['security-severity']).toBe('9.5');
  });

  test('primaryLocationLineHash counts identical fingerprints within one file', () => {
    const input = basicInput();
    const twin = { ...input.findings[4]!, location: { ...input.findings[4]!.location, range: { startLine: 70, startColumn: 1, endLine: 70, endColumn: 5 } } };
    input.findings.push(twin);
    const results: Json[] = render(input).runs[0].results;
    const hashes = results.filter((result) => result.partialFingerprints['fwlint/v1'] === twin.fingerprint).map((result) => result.partialFingerprints.primaryLocationLineHash);
    expect(hashes).toEqual([`${twin.fingerprint}:1`, `${twin.fingerprint}:2`]);
  });

  test('leaves suppressed results out unless includeSuppressed, then marks them', () => {
    const input = basicInput();
    const suppressed = input.findings.filter((finding) => finding.suppression);
    expect(suppressed).toHaveLength(1);
    const fingerprintsOf = (log: Json): string[] => log.runs[0].results.map((result: Json) => result.partialFingerprints['fwlint/v1']);

    const withoutSuppressed = render(input);
    expect(fingerprintsOf(withoutSuppressed)).not.toContain(suppressed[0]!.fingerprint);
    expect(withoutSuppressed.runs[0].results).toHaveLength(input.findings.length - 1);
    expect(withoutSuppressed.runs[0].results.some((result: Json) => result.suppressions)).toBe(false);

    const withSuppressed = render(input, { includeSuppressed: true });
    expect(withSuppressed.runs[0].results).toHaveLength(input.findings.length);
    const marked = withSuppressed.runs[0].results.find((result: Json) => result.partialFingerprints['fwlint/v1'] === suppressed[0]!.fingerprint);
    expect(marked.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'public web' }]);
  });

  test('executionSuccessful is false when an input could not be parsed, with the error as a notification', () => {
    const invocation = render().runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.exitCode).toBe(2);
    const parse = invocation.toolExecutionNotifications.find((notification: Json) => notification.descriptor.id === 'FWL-PARSE');
    expect(parse.level).toBe('error');
    expect(parse.locations[0].physicalLocation.artifactLocation.uri).toBe('cfn/broken.yaml');

    const onlyWarnings: ReportInput = { ...basicInput(), diagnostics: basicInput().diagnostics.filter((diagnostic) => diagnostic.severity === 'warning'), exitCode: 1 };
    expect(render(onlyWarnings).runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  test('automationDetails.id carries the category (everything up to the last "/")', () => {
    expect(render().runs[0].automationDetails.id).toBe('fwlint-terraform/');
    expect(render(basicInput(), { category: 'fwlint/netsh/' }).runs[0].automationDetails.id).toBe('fwlint/netsh/');
  });

  test('tool driver name is fwlint and URIs are relative, percent-encoded', () => {
    const input = basicInput();
    input.findings[0]!.location.file = 'modules/web tier/main.tf';
    const run = render(input).runs[0];
    expect(run.tool.driver.name).toBe('fwlint');
    expect(run.tool.driver.semanticVersion).toBe('0.0.0-test');
    const uris = run.results.map((result: Json) => result.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain('modules/web%20tier/main.tf');
    for (const uri of uris) expect(uri).not.toMatch(/^(\/|\.\/|[a-z]+:)/i);
  });

  test('help links relative to docs/checks/ are made absolute; URLs, anchors and code are handled', () => {
    const base = 'https://github.com/fwlint/fwlint/blob/main/docs/checks/FW201-required-flow-missing.md';
    const markdown = [
      'See [FW202](FW202-broader-than-profile.md "title") and [the README](../../README.md#suppressions).',
      'Jump to [fixing](#how-to-fix); [external](https://example.com/x.md) stays.',
      '`[not](a-link.md)` in code stays.',
      '```hcl',
      '# [also](not-a-link.md)',
      '```',
      '[ref]: FW301-shadowed-rule.md',
    ].join('\n');
    expect(absoluteLinks(markdown, base).split('\n')).toEqual([
      'See [FW202](https://github.com/fwlint/fwlint/blob/main/docs/checks/FW202-broader-than-profile.md "title") and [the README](https://github.com/fwlint/fwlint/blob/main/README.md#suppressions).',
      `Jump to [fixing](${base}#how-to-fix); [external](https://example.com/x.md) stays.`,
      '`[not](a-link.md)` in code stays.',
      '```hcl',
      '# [also](not-a-link.md)',
      '```',
      '[ref]: https://github.com/fwlint/fwlint/blob/main/docs/checks/FW301-shadowed-rule.md',
    ]);
  });

  test("a rule's severity is the most severe of its results in the run (config overrides and critical findings reach GitHub)", () => {
    const input = basicInput();
    const levels = (findings: ReportInput['findings']): Record<string, string> => {
      const rules: Json[] = render({ ...input, findings }).runs[0].tool.driver.rules;
      return Object.fromEntries(rules.filter((rule) => ['FW101', 'FW103'].includes(rule.id)).map((rule) => [rule.id, `${rule.properties['security-severity']} ${rule.defaultConfiguration.level}`]));
    };
    // FW101 (default high) has a critical result; FW103 (default medium) configured down to low.
    const lowered = input.findings.map((finding) => (finding.checkId === 'FW103' ? { ...finding, severity: 'low' as const } : finding));
    expect(levels(lowered)).toEqual({ FW101: '9.5 error', FW103: '3.0 warning' });
    // A suppressed result left out of the SARIF does not count.
    const onlySuppressed = input.findings.filter((finding) => finding.checkId !== 'FW101' || finding.suppression);
    expect(levels(onlySuppressed).FW101).toBe(`${SECURITY_SEVERITY.high} error`);
  });
});
