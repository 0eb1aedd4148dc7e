/**
 * A report, baseline or config that cannot be written is exit 2 with the reason in the user's terms, never a hang or
 * an internal error (QA 14, items 01, 02 and 06).
 */
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { makeTempDir, removeDir, runCli, STACK_TRACE, writeKnownBad } from '../hostile/helpers';

/** Folders under it fail as /proc's do: the parent exists, yet mkdir(2) answers ENOENT. */
const REFUSING = { prefix: undefined as string | undefined };
/** Files opened under it fail with EACCES, as in a folder the user may not write in. */
const UNWRITABLE = { prefix: undefined as string | undefined };

jest.mock('node:fs', () => {
  const real = jest.requireActual<typeof import('node:fs')>('node:fs');
  const refuse = (code: string, syscall: string, file: string): never => {
    throw Object.assign(new Error(`${code}: ${code === 'ENOENT' ? 'no such file or directory' : 'permission denied'}, ${syscall} '${file}'`), { code, syscall, path: file });
  };
  return {
    ...real,
    mkdirSync: (folder: string, options?: object) => (REFUSING.prefix && String(folder).startsWith(REFUSING.prefix) ? refuse('ENOENT', 'mkdir', String(folder)) : real.mkdirSync(folder, options)),
    openSync: (file: string, ...rest: unknown[]) => (UNWRITABLE.prefix && String(file).startsWith(UNWRITABLE.prefix) ? refuse('EACCES', 'open', String(file)) : (real.openSync as (...args: unknown[]) => number)(file, ...rest)),
  };
});

afterEach(() => {
  REFUSING.prefix = undefined;
  UNWRITABLE.prefix = undefined;
});

describe('files fwlint cannot write', () => {
  it('names a folder that cannot be made (a recursive mkdir spun forever there), and the path as given', async () => {
    const directory = makeTempDir();
    const outside = makeTempDir();
    try {
      writeKnownBad(directory);
      const refused = path.join(outside, 'refused');
      REFUSING.prefix = refused;
      const output = path.join(refused, 'deeper', 'out.json');
      const run = await runCli(['scan', '.', '--format', 'json', '--output', output, '--write-baseline', path.join(refused, 'b.json')], directory);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`fwlint: cannot write --output ${output}: its folder ${refused} cannot be made (the system says: no such file or directory)\n`);
      expect(run.stderr).toContain(`fwlint: cannot write --write-baseline ${path.join(refused, 'b.json')}: its folder ${refused} cannot be made`);
      expect(STACK_TRACE.test(run.stderr)).toBe(false);
    } finally {
      removeDir(directory);
      removeDir(outside);
    }
  });

  it('says a parent that is a file is no folder (not "file already exists")', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      require('node:fs').writeFileSync(path.join(directory, 'afile'), '');
      const run = await runCli(['scan', '.', '--format', 'json', '--output', 'afile/report.json'], directory);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('fwlint: cannot write --output afile/report.json: a parent is not a folder\n');
    } finally {
      removeDir(directory);
    }
  });

  it('init in a folder it cannot write: the reason, exit 2, no internal error', async () => {
    const directory = makeTempDir();
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (text: string) => void (stderr += text), isTty: false, env: {}, cwd: directory };
    try {
      UNWRITABLE.prefix = directory;
      expect(await main(['node', 'fwlint', 'init'], io)).toBe(2);
      expect(stderr).toBe('fwlint: cannot write .fwlint.yaml: permission denied\n');
    } finally {
      removeDir(directory);
    }
  });
});

// Regression (QA 16 item 08): `-o b.json` with `--baseline b.json` or `--write-baseline b.json` silently replaced the
// baseline with the report; the next run failed on an invalid baseline.
describe('--output naming the baseline file', () => {
  it('is refused before scanning (exit 2), the baseline untouched; --baseline and --write-baseline may share a file', async () => {
    const directory = makeTempDir();
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    try {
      writeKnownBad(directory);
      expect((await runCli(['scan', '.', '--write-baseline', 'b.json'], directory)).code).toBe(1);
      const baseline = fs.readFileSync(path.join(directory, 'b.json'), 'utf8');
      for (const flag of ['--baseline', '--write-baseline']) {
        const run = await runCli(['scan', '.', '-f', 'json', flag, 'b.json', '-o', './b.json'], directory);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(`fwlint: --output and ${flag} name the same file (./b.json): the report would replace the baseline; write the report elsewhere\n`);
        expect(fs.readFileSync(path.join(directory, 'b.json'), 'utf8')).toBe(baseline);
      }
      expect((await runCli(['scan', '.', '--baseline', 'b.json', '--write-baseline', 'b.json'], directory)).code).toBe(0);
    } finally {
      removeDir(directory);
    }
  });
});
