import type { Check } from '../../src/checks';
import type { ScanOptions } from '../../src/pipeline/scan';
import { scanFixture } from './scan-fixture';

interface Case {
  /** Relative to fixtures/. */
  fixture: string;
  options?: Partial<ScanOptions>;
}

interface InvalidCase extends Case {
  findings: Array<{ line: number; column?: number; messageId: string; severity?: string; message?: RegExp }>;
}

/** ESLint's RuleTester idea: valid fixtures give no finding of the check, invalid ones exactly the listed findings. */
export const checkTester = {
  run(check: Check<any>, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
    describe(`${check.id} ${check.name}`, () => {
      for (const valid of cases.valid) {
        it(`valid: ${valid.fixture}`, () => {
          const result = scanFixture(valid.fixture, valid.options);
          expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
          expect(result.targets.length).toBeGreaterThan(0);
          expect(result.findings.filter((finding) => finding.checkId === check.id).map((finding) => finding.message)).toEqual([]);
        });
      }
      for (const invalid of cases.invalid) {
        it(`invalid: ${invalid.fixture}`, () => {
          const result = scanFixture(invalid.fixture, invalid.options);
          expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
          const found = result.findings.filter((finding) => finding.checkId === check.id);
          expect(found).toHaveLength(invalid.findings.length);
          invalid.findings.forEach((expected, index) => {
            const actual = found[index]!;
            expect({ line: actual.location.range.startLine, messageId: actual.messageId }).toEqual({ line: expected.line, messageId: expected.messageId });
            if (expected.column !== undefined) expect(actual.location.range.startColumn).toBe(expected.column);
            if (expected.severity !== undefined) expect(actual.severity).toBe(expected.severity);
            if (expected.message !== undefined) expect(actual.message).toMatch(expected.message);
          });
        });
      }
    });
  },
};
