/**
 * The registry loads each parser on its first file: its entries must detect exactly what the parsers themselves
 * detect, under the same kind, or a lazy entry would claim (or miss) files the parser would not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PARSERS } from '../../src/parsers';
import { cdkParser } from '../../src/parsers/cdk';
import { cloudFormationParser } from '../../src/parsers/cloudformation';
import { netshParser } from '../../src/parsers/netsh';
import { powerShellJsonParser } from '../../src/parsers/powershell-json';
import { terraformParser } from '../../src/parsers/terraform';
import { terraformPlanParser } from '../../src/parsers/terraform-plan';
import { REPO_ROOT } from '../helpers/scan-fixture';

const REAL = [terraformParser, terraformPlanParser, cloudFormationParser, powerShellJsonParser, netshParser, cdkParser];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}

describe('parser registry', () => {
  it('lists every parser once, in detection order, under its own kind', () => {
    expect(PARSERS.map((parser) => parser.kind)).toEqual(REAL.map((parser) => parser.kind));
  });

  const fixtures = files(join(REPO_ROOT, 'fixtures')).map((file) => relative(REPO_ROOT, file).split('\\').join('/')).sort();

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(100);
  });

  it('detects what each parser detects, on every fixture', () => {
    const disagreements: string[] = [];
    for (const file of fixtures) {
      const head = readFileSync(join(REPO_ROOT, file)).subarray(0, 4096).toString('utf8');
      PARSERS.forEach((entry, index) => {
        if (entry.detect(file, head) !== REAL[index]!.detect(file, head)) disagreements.push(`${entry.kind}: ${file}`);
      });
    }
    expect(disagreements).toEqual([]);
    // The fixtures exercise every detector, so agreement means something.
    for (const entry of PARSERS) expect(fixtures.some((file) => entry.detect(file, readFileSync(join(REPO_ROOT, file)).subarray(0, 4096).toString('utf8')))).toBe(true);
  });
});
