import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { renderGithub } from '../../src/report/github';
import { renderSarif } from '../../src/report/sarif';
import { sarifRoot } from '../../src/report/sarif-root';
import { REPO_ROOT } from '../helpers/scan-fixture';
import { testContext } from './report-fixture';

// QA h9 item 08: URIs were relative to the repository root, but the result message (`… (root envs/dev)`),
// `properties.root`, the related location's text and the notifications' texts named paths relative to the working
// directory: `cd infra && fwlint scan .` gave other bytes than `fwlint scan infra` from the root.

let repository = '';
beforeAll(() => {
  repository = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sarif-cwd-'));
  fs.mkdirSync(path.join(repository, '.git'));
  fs.cpSync(path.join(REPO_ROOT, 'fixtures/terraform/shared-module'), path.join(repository, 'infra'), { recursive: true });
  fs.mkdirSync(path.join(repository, 'infra/broken'));
  fs.writeFileSync(path.join(repository, 'infra/broken/main.tf'), 'resource "aws_security_group" "x" {\n  name = "unterminated\n}\n');
  // A plan beside the configuration it was made from: the warning names the configuration's file in its message.
  fs.mkdirSync(path.join(repository, 'infra/planned'));
  fs.copyFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan/plan.json'), path.join(repository, 'infra/planned/plan.json'));
  fs.writeFileSync(path.join(repository, 'infra/planned/main.tf'), 'resource "aws_security_group" "y" {\n  name = "y"\n}\n');
});
afterAll(() => fs.rmSync(repository, { recursive: true, force: true }));

function reportFrom(render: typeof renderSarif, cwd: string, paths: string[]): string {
  const result = scan({ paths, cwd, today: '2026-11-23' });
  const input = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 2 };
  return render(input, testContext({ sarifRoot: sarifRoot(cwd) }));
}
const sarifFrom = (cwd: string, paths: string[]): string => reportFrom(renderSarif, cwd, paths);

describe('SARIF names paths relative to the repository root everywhere', () => {
  test('the same scan from the root and from a subfolder gives the same bytes', () => {
    const fromRoot = sarifFrom(repository, ['infra']);
    expect(sarifFrom(path.join(repository, 'infra'), ['.'])).toBe(fromRoot);
  });

  test('root module in messages, properties and related locations; files in notifications', () => {
    const log = JSON.parse(sarifFrom(path.join(repository, 'infra'), ['.'])) as { runs: Array<{ results: Array<Record<string, any>>; invocations: Array<Record<string, any>> }> };
    const run = log.runs[0]!;
    const rooted = run.results.filter((result) => result.properties.root !== undefined);
    expect(rooted.length).toBeGreaterThan(0);
    for (const result of rooted) {
      expect(result.properties.root).toMatch(/^infra\/envs\/(dev|prod)$/);
      expect(result.message.text).toMatch(/ \(root infra\/envs\/(dev|prod)\)$/);
      expect(result.relatedLocations.map((location: any) => location.message.text)).toContain(`use of the module by root ${result.properties.root}`);
    }
    const notices = run.invocations[0]!.toolExecutionNotifications.map((notification: any) => notification.message.text as string);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((text: string) => /^infra\/(broken\/main\.tf|planned\/plan\.json):/.test(text))).toBe(true);
    // The file the plan warning names in its text too (QA: it was `planned/main.tf` here, from infra).
    expect(notices.filter((text: string) => text.includes('the configuration it was made from'))).toEqual([expect.stringContaining('(infra/planned/main.tf and the other .tf files')]);
  });

  test('GitHub annotations: the root module and the files named in messages, as in file=', () => {
    const fromRoot = reportFrom(renderGithub, repository, ['infra']);
    const fromInfra = reportFrom(renderGithub, path.join(repository, 'infra'), ['.']);
    expect(fromInfra).toBe(fromRoot);
    expect(fromInfra).toMatch(/ \(root infra\/envs\/dev\)\n/);
    expect(fromInfra).toContain('(infra/planned/main.tf and the other .tf files');
  });

  test('a scanned folder without inputs is named relative to the repository root', () => {
    fs.mkdirSync(path.join(repository, 'infra/empty'), { recursive: true });
    const fromRoot = reportFrom(renderGithub, repository, ['infra/empty']);
    expect(fromRoot).toContain('no input file in folder "infra/empty"');
    expect(reportFrom(renderGithub, path.join(repository, 'infra/empty'), ['.'])).toBe(fromRoot);
  });
});
