import { renderGithub, renderGithubSummary } from '../../src/report/github';
import { renderJson } from '../../src/report/json';
import { renderJunit } from '../../src/report/junit';
import { renderMarkdown } from '../../src/report/markdown';
import type { Reporter } from '../../src/report/report-context';
import { renderSarif } from '../../src/report/sarif';
import { renderText } from '../../src/report/text';
import { basicInput, expectGolden, testContext } from './report-fixture';

// Every reporter renders the same fixed input; the files in golden/ are the reviewed output.
// Regenerate with `UPDATE_GOLDEN=1 npx jest test/report` and review the diff.
const CASES: Array<[string, Reporter]> = [
  ['basic.txt', renderText],
  ['basic.json', renderJson],
  ['basic.sarif', renderSarif],
  ['basic.xml', renderJunit],
  ['basic.github.txt', renderGithub],
  ['basic.summary.md', renderGithubSummary],
  ['basic.md', renderMarkdown],
];

describe('reporter golden files', () => {
  test.each(CASES)('%s', (golden, reporter) => {
    expectGolden(golden, reporter(basicInput(), testContext()));
  });

  test.each(CASES)('%s is deterministic and does not mutate its input', (_golden, reporter) => {
    const input = basicInput();
    const before = JSON.stringify(input);
    const first = reporter(input, testContext());
    expect(JSON.stringify(input)).toBe(before);
    expect(reporter(basicInput(), testContext())).toBe(first);
  });
});
