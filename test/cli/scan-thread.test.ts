import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli';
import { estimateInputBytes, scanThreadStatistics } from '../../src/cli/scan-thread';
import { REPO_ROOT } from '../helpers/scan-fixture';

async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli(args, cwd, env);
  return { code, stdout, stderr };
}

describe('scan thread', () => {
  let directory: string;

  beforeAll(() => {
    directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-scan-thread-')));
    fs.cpSync(path.join(REPO_ROOT, 'fixtures/demo'), path.join(directory, 'demo'), { recursive: true });
    fs.writeFileSync(path.join(directory, 'demo', 'broken.tf'), 'resource "aws_security_group" "x" {\n  name = "unterminated\n}\n');
  });

  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  // One scan in the thread (under ts-jest it transpiles every module it loads: seconds), compared byte for byte.
  it('gives the same output, diagnostics and exit code as a scan in the main thread', async () => {
    const args = ['scan', 'demo', '--format', 'sarif', '--output', 'out.sarif'];
    const started = scanThreadStatistics.started;
    const inThread = await run([...args, '--write-baseline', 'base-thread.json'], directory, { FWLINT_SCAN_THREAD: '1' });
    const sarifFromThread = fs.readFileSync(path.join(directory, 'out.sarif'), 'utf8');
    expect(scanThreadStatistics.started).toBe(started + 1);
    const inMain = await run([...args, '--write-baseline', 'base-main.json'], directory, { FWLINT_SCAN_THREAD: '0' });
    const sarifFromMain = fs.readFileSync(path.join(directory, 'out.sarif'), 'utf8');
    expect(inMain.code).toBe(2);
    expect(inThread).toEqual(inMain);
    expect(inThread.stderr).toMatch(/broken\.tf:2:\d+: /);
    expect(sarifFromThread).toBe(sarifFromMain);
    expect(fs.readFileSync(path.join(directory, 'base-thread.json'), 'utf8')).toBe(fs.readFileSync(path.join(directory, 'base-main.json'), 'utf8'));
  }, 120_000);

  it('sends stdout through the main thread', async () => {
    const inThread = await run(['scan', 'demo', '--format', 'json'], directory, { FWLINT_SCAN_THREAD: '1' });
    const inMain = await run(['scan', 'demo', '--format', 'json'], directory, { FWLINT_SCAN_THREAD: '0' });
    expect(scanThreadStatistics.started).toBeGreaterThanOrEqual(2);
    expect(inThread.stdout.length).toBeGreaterThan(1000);
    expect(inThread).toEqual(inMain);
  }, 120_000);
});

describe('estimateInputBytes', () => {
  let directory: string;

  beforeAll(() => {
    directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-estimate-')));
    fs.mkdirSync(path.join(directory, 'a/b'), { recursive: true });
    fs.mkdirSync(path.join(directory, 'node_modules'));
    fs.mkdirSync(path.join(directory, '.git'));
    fs.writeFileSync(path.join(directory, 'a/one.tf'), 'x'.repeat(100));
    fs.writeFileSync(path.join(directory, 'a/b/two.tf'), 'x'.repeat(250));
    fs.writeFileSync(path.join(directory, 'node_modules/dep.js'), 'x'.repeat(5000));
    fs.writeFileSync(path.join(directory, '.git/pack'), 'x'.repeat(5000));
    fs.writeFileSync(path.join(directory, 'huge.tf'), 'x'.repeat(3000));
    fs.symlinkSync(directory, path.join(directory, 'a/loop'));
  });

  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('counts regular files, skips dependency and VCS folders, never follows links', () => {
    expect(estimateInputBytes(['.'], directory, Infinity)).toBe(3350);
    expect(estimateInputBytes(['a'], directory, Infinity)).toBe(350);
    expect(estimateInputBytes(['a/one.tf', 'missing.tf'], directory, Infinity)).toBe(100);
  });

  it('leaves out files over the size cap, as the scan does', () => {
    expect(estimateInputBytes(['.'], directory, Infinity, 1000)).toBe(350);
  });

  it('stops counting once the threshold is reached', () => {
    expect(estimateInputBytes(['.'], directory, 10)).toBeLessThan(3350);
    expect(estimateInputBytes(['.'], directory, 10)).toBeGreaterThanOrEqual(10);
  });
});
