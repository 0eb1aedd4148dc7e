import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { renderJson } from '../../src/report/json';
import { basicInput, testContext } from './report-fixture';

const REPORT_SCHEMA = path.resolve(__dirname, '../../schemas/fwlint-report.schema.json');

function validator(): ReturnType<Ajv['compile']> {
  // Same ajv setup as the config schema (src/schemas/validators.ts): draft-07, all errors.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: true });
  return ajv.compile(JSON.parse(fs.readFileSync(REPORT_SCHEMA, 'utf8')));
}

describe('schemas/fwlint-report.schema.json', () => {
  const validate = validator();
  const schema = JSON.parse(fs.readFileSync(REPORT_SCHEMA, 'utf8'));

  it('accepts the reviewed golden JSON report', () => {
    const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden/basic.json'), 'utf8'));
    expect(validate(golden) ? [] : validate.errors).toEqual([]);
    expect(golden.findings.length).toBeGreaterThan(0);
    expect(golden.diagnostics.length).toBeGreaterThan(0);
  });

  it('lists exactly the keys renderJson writes, in the order it writes them', () => {
    const report = JSON.parse(renderJson(basicInput(), testContext()));
    expect(Object.keys(report)).toEqual(schema.required);
    expect(Object.keys(report.summary)).toEqual(schema.properties.summary.required);
    for (const finding of report.findings) expect(Object.keys(finding)).toEqual(schema.definitions.finding.required);
    for (const diagnostic of report.diagnostics) expect(Object.keys(diagnostic)).toEqual(schema.definitions.diagnostic.required);
  });

  it('rejects a report that drifts from it', () => {
    const report = JSON.parse(renderJson(basicInput(), testContext()));
    expect(validate(report)).toBe(true);
    const renamed = structuredClone(report);
    renamed.findings[0].ruleId = renamed.findings[0].rule;
    delete renamed.findings[0].rule;
    expect(validate(renamed)).toBe(false);
    const badSeverity = structuredClone(report);
    badSeverity.findings[0].severity = 'error';
    expect(validate(badSeverity)).toBe(false);
    const badRange = structuredClone(report);
    badRange.diagnostics[0].range = { startLine: 0, startColumn: 1, endLine: 1, endColumn: 1 };
    expect(validate(badRange)).toBe(false);
  });
});
