/**
 * Issue #11, output guarantees: `--output` is written atomically, output never depends on file-system order, and
 * stack traces appear only with `--debug` or FWLINT_DEBUG=1.
 */
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { netshParser } from '../../src/parsers/netsh';
import scanModule = require('../../src/pipeline/scan');
import { expectKnownBadReported, KNOWN_BAD, makeTempDir, parseReport, removeDir, REPO_ROOT, runCli, STACK_TRACE, writeKnownBad } from './helpers';

describe('--output is written atomically', () => {
  it('replaces a pre-existing output file whole and leaves no temporary file behind', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      const output = path.join(directory, 'reports', 'out.json');
      fs.mkdirSync(path.dirname(output));
      // Longer than the report: a write in place (not a rename) would leave its tail behind.
      fs.writeFileSync(output, `OLD REPORT ${'x'.repeat(512 * 1024)}\n`);
      const before = fs.statSync(output);
      const run = await runCli(['scan', '.', '--format', 'json', '--output', 'reports/out.json'], directory);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      const text = fs.readFileSync(output, 'utf8');
      expect(text).not.toContain('OLD REPORT');
      expectKnownBadReported(parseReport(text));
      expect(text.endsWith('}\n')).toBe(true);
      // A rename gives a new inode; an in-place write would keep the old one.
      expect(fs.statSync(output).ino).not.toBe(before.ino);
      expect(fs.readdirSync(path.dirname(output))).toEqual(['out.json']);
      expect(fs.readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      removeDir(directory);
    }
  });

  it('writes the same bytes as stdout, and --write-baseline atomically too', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      const toStdout = await runCli(['scan', '.', '--format', 'sarif'], directory);
      const toFile = await runCli(['scan', '.', '--format', 'sarif', '--output', 'out.sarif', '--write-baseline', 'baseline.json'], directory);
      expect(toFile.code).toBe(toStdout.code);
      expect(fs.readFileSync(path.join(directory, 'out.sarif'), 'utf8')).toBe(toStdout.stdout);
      expect(JSON.parse(fs.readFileSync(path.join(directory, 'baseline.json'), 'utf8'))).toBeInstanceOf(Object);
      expect(fs.readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      removeDir(directory);
    }
  });

  it('reports an --output that cannot be written (a folder) as an error, exit 2, with the diagnostics still printed', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      fs.writeFileSync(path.join(directory, 'broken.tf'), 'resource "aws_security_group" "x" {\n  name = "unterminated\n}\n');
      fs.mkdirSync(path.join(directory, 'out.json'));
      const run = await runCli(['scan', '.', '--format', 'json', '--output', 'out.json'], directory);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cannot write --output out\.json: it is a folder/);
      expect(run.stderr).toMatch(/broken\.tf:2/);
      expect(STACK_TRACE.test(run.stderr)).toBe(false);
      expect(fs.statSync(path.join(directory, 'out.json')).isDirectory()).toBe(true);
    } finally {
      removeDir(directory);
    }
  });
});

describe('output never depends on file-system order', () => {
  /** Every fixture format, some hostile inputs, nested folders: the same set of files in two creation orders. */
  function corpus(): Array<[string, Buffer]> {
    const files: Array<[string, Buffer]> = [];
    const add = (from: string, to: string): void => {
      const absolute = path.join(REPO_ROOT, from);
      if (fs.statSync(absolute).isDirectory()) {
        for (const name of fs.readdirSync(absolute)) add(path.join(from, name), path.join(to, name));
      } else {
        files.push([to, fs.readFileSync(absolute)]);
      }
    };
    add('fixtures/demo', 'demo');
    add('fixtures/cloudformation/cases', 'cfn');
    add('fixtures/netsh/exports', 'netsh/exports');
    add('fixtures/netsh/scripts', 'netsh/scripts');
    add('fixtures/checks/FW101', 'checks/FW101');
    add('fixtures/hostile/bad-values.tf', 'hostile/bad-values.tf');
    add('fixtures/hostile/bad-values.cmd', 'hostile/bad-values.cmd');
    add('fixtures/hostile/proto-keys.yaml', 'hostile/proto-keys.yaml');
    files.push(['hostile/zeros.tf', Buffer.alloc(64)]);
    files.push(['hostile/deep.json', Buffer.from(`{"AWSTemplateFormatVersion":"2010-09-09","Resources":${'['.repeat(500)}${']'.repeat(500)}}`)]);
    return files;
  }

  function materialize(directory: string, files: Array<[string, Buffer]>): void {
    for (const [name, content] of files) {
      fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
      fs.writeFileSync(path.join(directory, name), content);
    }
  }

  it('gives identical JSON and SARIF bytes for folders whose files were created in different orders', async () => {
    const files = corpus();
    const first = makeTempDir();
    const second = makeTempDir();
    try {
      materialize(first, files);
      // Reverse order, and every file's folder created late: directory entry order differs on every file system.
      materialize(second, [...files].reverse());
      expect(fs.readdirSync(path.join(first, 'cfn'), { withFileTypes: false })).not.toEqual([]);
      const outputs: string[][] = [];
      for (const directory of [first, second]) {
        const json = await runCli(['scan', '.', '--format', 'json'], directory);
        const sarif = await runCli(['scan', '.', '--format', 'sarif'], directory);
        const text = await runCli(['scan', '.', '--format', 'text'], directory);
        // SARIF names its own root (originalUriBaseIds) as an absolute URI: the one part that differs by folder.
        const sarifOut = sarif.stdout.split(pathToFileURL(directory).href).join('file:///ROOT');
        outputs.push([json.stdout, sarifOut, text.stdout, String(json.code)]);
      }
      expect(outputs[0]![3]).toBe('2');
      expect(parseReport(outputs[0]![0]!).findings.length).toBeGreaterThan(20);
      expect(outputs[1]).toEqual(outputs[0]);
    } finally {
      removeDir(first);
      removeDir(second);
    }
  });
});

describe('stack traces only on request', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reports a parser crash as one line per file without a stack, with it under --debug or FWLINT_DEBUG=1', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      jest.spyOn(netshParser, 'parse').mockImplementation(() => {
        throw new Error('simulated parser bug');
      });
      const plain = await runCli(['scan', '.'], directory);
      const debug = await runCli(['scan', '.', '--debug'], directory);
      const viaEnv = await runCli(['scan', '.', '--format', 'json'], directory, { FWLINT_DEBUG: '1' });
      for (const run of [plain, debug, viaEnv]) {
        expect(run.code).toBe(2);
        // The other formats' findings survive the crash.
        expect(run.stdout).toContain(KNOWN_BAD.terraform.file);
        expect(run.stdout).toContain(KNOWN_BAD.cloudformation.file);
      }
      expect(plain.stdout).toMatch(/known-bad\.txt[\s\S]*internal error while reading this file \(please report it\): simulated parser bug/);
      expect(STACK_TRACE.test(plain.stdout + plain.stderr)).toBe(false);
      expect(STACK_TRACE.test(debug.stdout)).toBe(true);
      expect(parseReport(viaEnv.stdout).diagnostics.find((diagnostic) => diagnostic.code === 'internal/parse')?.message).toMatch(STACK_TRACE);
      // --debug does not leak into later runs.
      expect(process.env.FWLINT_DEBUG).toBeUndefined();
    } finally {
      removeDir(directory);
    }
  });

  it('turns an exception that escapes the scan into one line and exit 2, the stack only under --debug', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      jest.spyOn(scanModule, 'scan').mockImplementation(() => {
        throw new TypeError('simulated pipeline bug');
      });
      const plain = await runCli(['scan', '.'], directory);
      const debug = await runCli(['scan', '.', '--debug'], directory);
      expect(plain.code).toBe(2);
      expect(plain.stderr).toMatch(/^fwlint: internal error \(please report it\): simulated pipeline bug\nfwlint: run with --debug/);
      expect(STACK_TRACE.test(plain.stderr)).toBe(false);
      expect(debug.code).toBe(2);
      expect(debug.stderr).toMatch(STACK_TRACE);
    } finally {
      removeDir(directory);
    }
  });
});

describe('an unreadable file, whoever runs the tests', () => {
  afterEach(() => jest.restoreAllMocks());

  // chmod 000 does not stop root (the corpus case is skipped then): the open is made to fail as it would for a user.
  it('reports EACCES as read/unreadable, "permission denied", exit 2, and scans the other files', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      fs.writeFileSync(path.join(directory, 'secret.tf'), 'resource "aws_security_group" "s" {}\n');
      // The module object itself (not the import's read-only view), which every importer reads through.
      const nodeFs = require('node:fs') as typeof fs;
      const realOpen = nodeFs.openSync;
      jest.spyOn(nodeFs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
        if (String(file).endsWith('secret.tf')) throw Object.assign(new Error(`EACCES: permission denied, open '${String(file)}'`), { code: 'EACCES' });
        return (realOpen as (...args: unknown[]) => number)(file, ...rest);
      }) as typeof fs.openSync);
      const run = await runCli(['scan', '.', '--format', 'json'], directory);
      expect(run.code).toBe(2);
      const report = parseReport(run.stdout);
      expect(report.diagnostics).toContainEqual(expect.objectContaining({ file: 'secret.tf', code: 'read/unreadable', message: expect.stringMatching(/permission denied/) }));
      expectKnownBadReported(report);
    } finally {
      removeDir(directory);
    }
  });
});

// Regression (QA): a line feed in a quoted value started a new output line, so a template could print
// `::error file=…::` at column 1 of a GitHub Actions log, which the runner executes as a workflow command.
describe('values from scanned files stay on one line in text output and on stderr', () => {
  const template = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  X: {Type: String}',
    'Resources:',
    '  SG:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: x',
    '      SecurityGroupIngress:',
    '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Sub "x\\n::error file=main.tf,line=1::spoofed\\n    at ::warning::frame-like\\n${X}"}',
    '        - {IpProtocol: tcp, FromPort: 23, ToPort: 23, CidrIp: "10.0.0.0/8\\n::warning::injected by a diagnostic"}',
    '',
  ].join('\n');
  const injected = /^\s*(::|##\[)/m;

  it('replaces the line feed in an FW303 message and a parse error by U+FFFD, in the report and the -q stderr lines', async () => {
    const directory = makeTempDir();
    try {
      fs.writeFileSync(path.join(directory, 't.yaml'), template);
      const text = await runCli(['scan', '.'], directory);
      const quiet = await runCli(['scan', '.', '-q'], directory);
      const json = await runCli(['scan', '.', '--format', 'json'], directory);
      expect(text.code).toBe(2);
      expect(text.stdout).toContain('!Sub x\uFFFD::error file=main.tf,line=1::spoofed\uFFFD    at ::warning::frame-like\uFFFD${X})');
      expect(text.stdout).toContain('"10.0.0.0/8\uFFFD::warning::injected by a diagnostic"');
      expect(quiet.stderr).toContain('t.yaml:11:63: SG.SecurityGroupIngress[1]: invalid prefix length "/8\uFFFD::warning::injected');
      // Under --debug a line feed before "    at " is kept (a stack frame): such a line is no workflow command either.
      const debug = await runCli(['scan', '.', '--debug'], directory);
      for (const output of [text.stdout, text.stderr, quiet.stdout, quiet.stderr, debug.stdout, debug.stderr]) expect(output).not.toMatch(injected);
      // The JSON report carries the value as data, line feed included.
      expect(parseReport(json.stdout).diagnostics.some((diagnostic) => diagnostic.message.includes('/8\n::warning::'))).toBe(true);
    } finally {
      removeDir(directory);
    }
  });
});
