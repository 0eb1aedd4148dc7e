/**
 * Issue #11, the small pieces behind the hostile-input guarantees: bounded reads that never block, linear glob
 * matching for config `match:` patterns, and shortened values in messages.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchesGlob } from '../../src/config/config';
import { formatMegabytes, readRegularFile } from '../../src/discover/read';
import { describeYamlError, shorten } from '../../src/parsers/shared/hostile-input';
import { regexpRunsDuring } from '../helpers/regexp-runs';
import { makeTempDir, removeDir } from './helpers';

describe('readRegularFile', () => {
  it('reads a regular file, refuses pipes, devices and folders without blocking, and stops at the limit', () => {
    const directory = makeTempDir();
    try {
      const file = path.join(directory, 'a.tf');
      fs.writeFileSync(file, 'x'.repeat(1000));
      expect(readRegularFile(file, 1000)).toEqual({ bytes: Buffer.from('x'.repeat(1000)) });
      expect(readRegularFile(file, 999)).toEqual({ problem: 'too-large', size: 1000 });
      execFileSync('mkfifo', [path.join(directory, 'pipe.tf')]);
      expect(readRegularFile(path.join(directory, 'pipe.tf'), 1000)).toEqual({ problem: 'not-a-file', reason: expect.stringMatching(/not a regular file/) });
      expect(readRegularFile(directory, 1000)).toEqual({ problem: 'not-a-file', reason: 'is a folder' });
      expect(readRegularFile(path.join(directory, 'missing.tf'), 1000)).toEqual({ problem: 'unreadable', reason: 'no such file or folder' });
      if (fs.existsSync('/dev/zero')) expect(readRegularFile('/dev/zero', 1000)).toMatchObject({ problem: 'not-a-file' });
      // A file that announces no size (as /proc files do) is still read, and still cut off at the limit.
      if (fs.existsSync('/proc/self/status')) {
        const status = readRegularFile('/proc/self/status', 1024 * 1024);
        expect('bytes' in status && status.bytes.toString().includes('Name:')).toBe(true);
        expect(readRegularFile('/proc/self/status', 10)).toMatchObject({ problem: 'too-large' });
      }
    } finally {
      removeDir(directory);
    }
  });

  it('formats sizes for messages', () => {
    expect([formatMegabytes(12), formatMegabytes(0.5 * 1048576), formatMegabytes(50 * 1048576), formatMegabytes(2.25 * 1048576)]).toEqual(['12 bytes', '0.5 MB', '50 MB', '2.25 MB']);
    // Regression (QA): `--max-file-size 0.0001` read "file is 0 MB, over the 104.8576 bytes limit" for 2,000 bytes.
    expect([formatMegabytes(0.0001 * 1048576), formatMegabytes(2000)]).toEqual(['105 bytes', '2 KB']);
  });
});

describe('matchesGlob (config targets[].match)', () => {
  it('matches * and ? as before', () => {
    expect(matchesGlob('aws_security_group.*', 'aws_security_group.web')).toBe(true);
    expect(matchesGlob('aws_security_group.*', 'aws_security_group.')).toBe(true);
    expect(matchesGlob('aws_security_group.*', 'module.x.aws_security_group.web')).toBe(false);
    expect(matchesGlob('*.web', 'module.net.aws_security_group.web')).toBe(true);
    expect(matchesGlob('sg-?', 'sg-1')).toBe(true);
    expect(matchesGlob('sg-?', 'sg-12')).toBe(false);
    expect(matchesGlob('a.b', 'axb')).toBe(false);
    expect(matchesGlob('(x)+[y]', '(x)+[y]')).toBe(true);
    expect(matchesGlob('**', '')).toBe(true);
    expect(matchesGlob('', 'x')).toBe(false);
  });

  it('matches without a regular expression, so patterns that make a backtracking one explode stay linear', () => {
    const pattern = `${'*a'.repeat(30)}*b`;
    const id = 'a'.repeat(5000);
    const { value: matched, runs } = regexpRunsDuring(() => [matchesGlob(pattern, id), matchesGlob(pattern, `${id}b`)]);
    expect(matched).toEqual([false, true]);
    // A translation to `^.*a.*a…$` would backtrack C(5000, 30) ways here.
    expect(runs).toEqual([]);
  });
});

describe('messages about hostile values', () => {
  it('shortens long values and makes control characters visible', () => {
    expect(shorten('web')).toBe('web');
    const long = shorten('x'.repeat(1_000_000));
    expect(long.length).toBe(120);
    expect(long.endsWith('…')).toBe(true);
    expect(shorten('a\u0000b\u001b[31m')).toBe('a\\u0000b\\u001b[31m');
    // A surrogate pair is never cut in half.
    expect(shorten(`${'x'.repeat(118)}😀tail`).endsWith('x…')).toBe(true);
  });

  it('rewords the YAML library\'s stack overflow', () => {
    expect(describeYamlError('Maximum call stack size exceeded')).toMatch(/nested too deeply/);
    expect(describeYamlError('Map keys must be unique at line 3\n\nmore')).toBe('Map keys must be unique at line 3');
  });
});
