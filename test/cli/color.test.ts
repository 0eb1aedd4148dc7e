import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/scan-fixture';
import { runCli } from '../helpers/run-cli';

const FIXTURE = 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

/** The text report is colored only on a terminal, and never with NO_COLOR, --no-color or --output. */
describe('text report color', () => {
  it('is colored on a TTY by default', async () => {
    const run = await runCli(['scan', FIXTURE], REPO_ROOT, {}, true);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(ANSI);
    // Colors wrap the text; without them it is the plain report.
    const plain = await runCli(['scan', FIXTURE], REPO_ROOT, {}, false);
    expect(run.stdout.replace(new RegExp(ANSI.source, 'g'), '')).toBe(plain.stdout);
  });

  it('is plain when stdout is not a TTY', async () => {
    const run = await runCli(['scan', FIXTURE], REPO_ROOT, {}, false);
    expect(run.stdout).toMatch(/FW101/);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('is plain on a TTY with NO_COLOR set', async () => {
    const run = await runCli(['scan', FIXTURE], REPO_ROOT, { NO_COLOR: '1' }, true);
    expect(run.stdout).toMatch(/FW101/);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('ignores an empty NO_COLOR, as no-color.org says', async () => {
    const run = await runCli(['scan', FIXTURE], REPO_ROOT, { NO_COLOR: '' }, true);
    expect(run.stdout).toMatch(ANSI);
  });

  it('is plain on a TTY with --no-color', async () => {
    const run = await runCli(['scan', FIXTURE, '--no-color'], REPO_ROOT, {}, true);
    expect(run.stdout).toMatch(/FW101/);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('is plain in an --output file, even from a TTY', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-color-'));
    try {
      const output = path.join(directory, 'report.txt');
      const run = await runCli(['scan', FIXTURE, '-o', output], REPO_ROOT, {}, true);
      expect(run.code).toBe(1);
      const written = fs.readFileSync(output, 'utf8');
      expect(written).toMatch(/FW101/);
      expect(written).not.toMatch(ANSI);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
