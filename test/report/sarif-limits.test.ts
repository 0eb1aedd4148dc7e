import type { Finding } from '../../src/model/finding';
import type { Severity } from '../../src/model/severity';
import { capResults, MAX_SARIF_RESULTS, renderSarif } from '../../src/report/sarif';
import { basicInput, testContext } from './report-fixture';

function finding(index: number, severity: Severity, file: string): Finding {
  return {
    checkId: severity === 'note' ? 'FW303' : 'FW101',
    checkName: severity === 'note' ? 'unresolved-value' : 'world-open-ingress',
    severity,
    messageId: 'm',
    message: `finding ${index}`,
    targetId: `t${index}`,
    location: { file, range: { startLine: index + 1, startColumn: 1, endLine: index + 1, endColumn: 5 } },
    relatedLocations: [],
    properties: {},
    fingerprint: index.toString(16).padStart(16, '0'),
  };
}

describe('SARIF result cap (GitHub: 25,000 results per run)', () => {
  it('keeps the most severe results when a flood of notes comes first, and says what it left out', () => {
    // a.tf: 25,010 notes; b.tf (sorted after it): 5 critical, 1 high. Order is the report's (file, line).
    const findings = [
      ...Array.from({ length: MAX_SARIF_RESULTS + 10 }, (_, index) => finding(index, 'note', 'a.tf')),
      ...Array.from({ length: 5 }, (_, index) => finding(MAX_SARIF_RESULTS + 100 + index, 'critical', 'b.tf')),
      finding(MAX_SARIF_RESULTS + 200, 'high', 'b.tf'),
    ];
    const input = { ...basicInput(), findings, exitCode: 1 };
    const log = JSON.parse(renderSarif(input, testContext()));
    const results = log.runs[0].results as Array<{ level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
    expect(results).toHaveLength(MAX_SARIF_RESULTS);
    expect(results.filter((result) => result.locations[0]!.physicalLocation.artifactLocation.uri === 'b.tf')).toHaveLength(6);
    // Ties (notes) are cut in the stable order: the last 16 notes go.
    const notes = results.filter((result) => result.level === 'note').map((result) => result.message.text);
    expect(notes[0]).toBe('finding 0');
    expect(notes[notes.length - 1]).toBe(`finding ${MAX_SARIF_RESULTS - 7}`);
    // Kept results stay in report order.
    expect(results[results.length - 1]!.message.text).toBe(`finding ${MAX_SARIF_RESULTS + 200}`);
    const limit = log.runs[0].invocations[0].toolExecutionNotifications.filter((n: { descriptor: { id: string } }) => n.descriptor.id === 'FWL-LIMIT');
    expect(limit).toHaveLength(1);
    expect(limit[0].level).toBe('warning');
    expect(limit[0].message.text).toMatch(/^16 results left out \(16 note\): GitHub accepts at most 25000 per run/);
  });

  it('emits no FWL-LIMIT notification under the cap', () => {
    const log = JSON.parse(renderSarif(basicInput(), testContext()));
    const ids = log.runs[0].invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string } }) => n.descriptor.id);
    expect(ids).not.toContain('FWL-LIMIT');
  });

  it('capResults keeps severity first, then the given order', () => {
    const findings = [finding(0, 'low', 'a'), finding(1, 'note', 'a'), finding(2, 'high', 'a'), finding(3, 'low', 'a'), finding(4, 'critical', 'a')];
    const { kept, left } = capResults(findings, 3);
    expect(kept.map((f) => f.message)).toEqual(['finding 0', 'finding 2', 'finding 4']);
    expect(left.map((f) => f.message)).toEqual(['finding 1', 'finding 3']);
  });
});
