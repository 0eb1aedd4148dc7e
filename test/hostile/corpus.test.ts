/**
 * Issue #11, hostile corpus: every hostile input is scanned by the in-process CLI next to one known-bad file per
 * format. Each must give a positioned, readable diagnostic (no stack trace), leave the rest of the scan intact (the
 * known-bad findings are still reported) and exit 2. Runaway work is guarded by what the output shows (each budget's
 * diagnostic: alias limit, depth limit, size cap) and by counted tests next to the code (3,000 conditions over one
 * parameter in test/parsers/cloudformation/resolution.test.ts, 2,000 rules in one group in
 * test/checks/fw302.test.ts), not by a time limit, which fails on a loaded machine.
 *
 * Big or odd inputs (deep nesting, binary, encodings, links, pipes) are generated here into a temp folder; small text
 * ones live in fixtures/hostile/.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  canBypassPermissions,
  cidrs,
  expectKnownBadReported,
  HOSTILE_FIXTURES,
  KNOWN_BAD,
  LONG_LINES,
  makeTempDir,
  parseReport,
  removeDir,
  runCli,
  STACK_TRACE,
  writeKnownBad,
  type JsonReport,
} from './helpers';

const MB = 1024 * 1024;
const DEEP = 10_000;

interface ExpectedDiagnostic {
  file: string | RegExp;
  code: string | RegExp;
  /** Expected start line; `null` when the problem concerns the whole file (no line is meaningful). */
  line?: number | null;
  /** 1-based column, checked when given. */
  column?: number;
  message?: RegExp;
}

interface HostileCase {
  name: string;
  /** Hostile files, relative to the scanned folder. */
  files?: Record<string, string | Buffer | (() => string | Buffer)>;
  /** Everything files cannot express: links, pipes, permissions. */
  setup?: (directory: string) => void;
  /** Extra CLI arguments; the scanned path is `.` unless `paths` says otherwise. */
  args?: string[];
  paths?: string[];
  diagnostics: ExpectedDiagnostic[];
  /** Findings the hostile file itself must still yield (its valid parts are checked). */
  findings?: Array<{ file: string; checkId: string; line: number }>;
  /** Why the case cannot run here (e.g. running as root); undefined to run it. */
  skip?: (directory: string) => string | undefined;
}

const fixture = (name: string): string => fs.readFileSync(path.join(HOSTILE_FIXTURES, name), 'utf8');
/** LF everywhere, CRLF on every other line. */
const mixEndings = (text: string): string => text.replace(/\r\n/g, '\n').split('\n').map((line, index) => (index % 2 === 1 ? `${line}\r` : line)).join('\n').replace(/\r$/, '');
const cfnHead = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  DeepSG:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: ';

const CASES: HostileCase[] = [
  {
    name: 'YAML alias bomb shaped like a CloudFormation template (10^12 expansions)',
    files: { 'bomb.yaml': () => fixture('alias-bomb.yaml') },
    diagnostics: [{ file: 'bomb.yaml', code: 'parse/cfn-alias-limit', line: 8, message: /alias bomb/ }],
  },
  {
    name: `HCL nested ${DEEP} levels deep (lists)`,
    files: { 'deep.tf': `locals {\n  x = ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n}\n` },
    diagnostics: [{ file: 'deep.tf', code: 'parse/hcl-too-deep', line: 2 }],
  },
  {
    name: `HCL nested ${DEEP} levels deep (blocks)`,
    files: { 'deep-blocks.tf': `${'a {\n'.repeat(DEEP)}${'}\n'.repeat(DEEP)}` },
    diagnostics: [{ file: 'deep-blocks.tf', code: 'parse/hcl-too-deep' }],
  },
  {
    name: `HCL nested ${DEEP} levels deep (parentheses, function calls, templates)`,
    files: {
      'deep-parens.tf': `locals {\n  x = ${'('.repeat(DEEP)}1${')'.repeat(DEEP)}\n}\n`,
      'deep-calls.tf': `locals {\n  x = ${'tolist('.repeat(DEEP)}[]${')'.repeat(DEEP)}\n}\n`,
      'deep-templates.tf': `locals {\n  x = ${'"${'.repeat(DEEP)}1${'}"'.repeat(DEEP)}\n}\n`,
    },
    diagnostics: [
      { file: 'deep-parens.tf', code: 'parse/hcl-too-deep', line: 2 },
      { file: 'deep-calls.tf', code: 'parse/hcl-too-deep', line: 2 },
      { file: 'deep-templates.tf', code: 'parse/hcl-too-deep', line: 2 },
    ],
  },
  {
    name: `CloudFormation JSON nested ${DEEP} levels deep`,
    files: {
      'deep.json': `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"DeepSG":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}}}}`,
    },
    diagnostics: [{ file: 'deep.json', code: 'parse/cfn-too-deep', line: 1 }],
  },
  {
    name: `CloudFormation YAML nested ${DEEP} levels deep (flow collections and tags)`,
    files: {
      'deep-flow.yaml': `${cfnHead}${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`,
      'deep-map.yaml': `${cfnHead}${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n`,
      'deep-tags.yaml': `${cfnHead}${'!Base64 ['.repeat(DEEP)}x${']'.repeat(DEEP)}\n`,
    },
    diagnostics: [
      { file: 'deep-flow.yaml', code: 'parse/cfn-too-deep', line: 6 },
      { file: 'deep-map.yaml', code: 'parse/cfn-too-deep', line: 6 },
      { file: 'deep-tags.yaml', code: 'parse/cfn-too-deep', line: 6 },
    ],
  },
  {
    name: 'CloudFormation YAML nested 1,000 levels deep by indentation',
    files: { 'deep-indent.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x\n` },
    diagnostics: [{ file: 'deep-indent.yaml', code: 'parse/cfn-too-deep' }],
  },
  {
    // 1 MB rather than 2: two discovered MB would also start parse workers (slow to start under ts-jest).
    name: 'a 1 MB file with --max-file-size 0.5',
    files: { 'big.tf': Buffer.alloc(MB, 0x20) },
    args: ['--max-file-size', '0.5'],
    diagnostics: [{ file: 'big.tf', code: 'read/too-large', line: null, message: /1 MB, over the 0.5 MB limit.*--max-file-size/ }],
  },
  {
    name: 'a 200 MB sparse file over the default 50 MB cap',
    setup: (directory) => {
      const file = path.join(directory, 'huge.yaml');
      fs.writeFileSync(file, 'AWSTemplateFormatVersion: "2010-09-09"\n');
      fs.truncateSync(file, 200 * MB); // sparse: no disk space is used
    },
    diagnostics: [{ file: 'huge.yaml', code: 'read/too-large', line: null, message: /200 MB, over the 50 MB limit.*--max-file-size/ }],
  },
  {
    name: 'binary and NUL-filled files named .tf, .yaml and .txt',
    files: {
      'elf.tf': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]),
      'zeros.yaml': Buffer.alloc(8192),
      'zeros.txt': Buffer.alloc(8192),
      'random.txt': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    },
    diagnostics: [
      { file: 'elf.tf', code: 'read/binary', line: 1 },
      { file: 'zeros.yaml', code: 'read/binary', line: 1 },
      { file: 'zeros.txt', code: 'read/binary', line: 1 },
      { file: 'random.txt', code: 'read/binary', line: 1 },
    ],
  },
  {
    name: 'invalid UTF-8 in .tf and .yaml',
    files: {
      'latin1.tf': Buffer.concat([Buffer.from('resource "aws_security_group" "x" {\n  name = "'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"\n}\n')]),
      'latin1.yaml': Buffer.concat([Buffer.from('AWSTemplateFormatVersion: "2010-09-09"\nDescription: "'), Buffer.from([0xe9, 0xff]), Buffer.from('"\nResources: {}\n')]),
    },
    diagnostics: [
      { file: 'latin1.tf', code: 'read/encoding', line: 2, column: 11, message: /not valid UTF-8/ },
      { file: 'latin1.yaml', code: 'read/encoding', line: 2, column: 15, message: /not valid UTF-8/ },
    ],
  },
  {
    name: 'a symlink loop (a link to itself, two links to each other, a folder link to its parent)',
    setup: (directory) => {
      fs.symlinkSync('self.tf', path.join(directory, 'self.tf'));
      fs.symlinkSync('b.tf', path.join(directory, 'a.tf'));
      fs.symlinkSync('a.tf', path.join(directory, 'b.tf'));
      fs.mkdirSync(path.join(directory, 'loop'));
      fs.symlinkSync('..', path.join(directory, 'loop', 'up'));
    },
    diagnostics: [
      { file: 'self.tf', code: 'read/unreadable', line: null, message: /symbolic links/ },
      { file: 'a.tf', code: 'read/unreadable', line: null, message: /symbolic links/ },
      { file: 'b.tf', code: 'read/unreadable', line: null, message: /symbolic links/ },
    ],
  },
  {
    name: 'a dangling symlink named like an input',
    setup: (directory) => fs.symlinkSync('nowhere.tf', path.join(directory, 'dangling.tf')),
    diagnostics: [{ file: 'dangling.tf', code: 'read/unreadable', line: null, message: /no such file/ }],
  },
  {
    name: 'an unreadable file (chmod 000)',
    skip: (directory) => (canBypassPermissions(directory) ? 'running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reads here' : undefined),
    setup: (directory) => {
      fs.writeFileSync(path.join(directory, 'secret.tf'), 'resource "aws_security_group" "s" {}\n');
      fs.chmodSync(path.join(directory, 'secret.tf'), 0o000);
    },
    diagnostics: [{ file: 'secret.tf', code: 'read/unreadable', line: null, message: /permission denied/ }],
  },
  {
    name: 'an unreadable folder (chmod 000)',
    skip: (directory) => (canBypassPermissions(directory) ? 'running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reads here' : undefined),
    setup: (directory) => {
      fs.mkdirSync(path.join(directory, 'locked'));
      fs.writeFileSync(path.join(directory, 'locked', 'main.tf'), 'resource "aws_security_group" "s" {}\n');
      fs.chmodSync(path.join(directory, 'locked'), 0o000);
    },
    diagnostics: [{ file: 'locked', code: 'read/unreadable', line: null, message: /permission denied/ }],
  },
  {
    name: 'a named pipe (FIFO) called main.tf, named on the command line (reading it would block forever)',
    setup: (directory) => mkfifo(path.join(directory, 'main.tf')),
    paths: ['.', 'main.tf'],
    diagnostics: [{ file: 'main.tf', code: 'read/not-a-file', line: null, message: /not a regular file/ }],
  },
  {
    name: 'a character device named on the command line (/dev/zero never ends)',
    paths: ['.', '/dev/zero'],
    skip: () => (fs.existsSync('/dev/zero') ? undefined : 'no /dev/zero on this system'),
    diagnostics: [{ file: /dev\/zero$/, code: 'read/not-a-file', line: null }],
  },
  {
    name: 'invalid values: ports 70000 and -5, reversed ranges, host bits, /33 (Terraform)',
    files: { 'values.tf': () => fixture('bad-values.tf') },
    // The last rule is valid, with its protocol written `TcP`: it is read case-insensitively and still checked.
    findings: [{ file: 'values.tf', checkId: 'FW101', line: 51 }],
    diagnostics: [
      // Reported at the argument at fault: from_port when it is no port at all, to_port for a reversed range.
      { file: 'values.tf', code: 'parse/terraform-port', line: 6, message: /70000/ },
      { file: 'values.tf', code: 'parse/terraform-port', line: 13, message: /-5/ },
      { file: 'values.tf', code: 'parse/terraform-port', line: 21, message: /reversed/ },
      { file: 'values.tf', code: 'parse/terraform-cidr', line: 30, message: /host bits/ },
      { file: 'values.tf', code: 'parse/terraform-cidr', line: 37, message: /\/33/ },
    ],
  },
  {
    name: 'invalid values: ports 70000 and -5, reversed ranges, /33, and host bits (a warning) (CloudFormation YAML)',
    files: { 'values.yaml': () => fixture('bad-values.yaml') },
    // The last rule is valid, with its protocol written `TcP`: it is read case-insensitively and still checked.
    findings: [{ file: 'values.yaml', checkId: 'FW101', line: 42 }],
    diagnostics: [
      { file: 'values.yaml', code: 'parse/cfn-bad-port', line: 16, message: /70000/ },
      { file: 'values.yaml', code: 'parse/cfn-bad-port', line: 20, message: /-5/ },
      { file: 'values.yaml', code: 'parse/cfn-bad-port', line: 24, message: /reversed/ },
      // EC2 masks host bits: a warning, and the rule is checked as 10.0.0.0/8.
      { file: 'values.yaml', code: 'parse/cfn-cidr-host-bits', line: 30, message: /network address 10\.0\.0\.0\/8/ },
      { file: 'values.yaml', code: 'parse/cfn-bad-cidr', line: 34, message: /\/33/ },
    ],
  },
  {
    name: 'invalid values: ports 70000 and -5, reversed ranges, /33, and host bits (a warning) (CloudFormation JSON)',
    files: { 'values.json': () => fixture('bad-values.json') },
    // The last rule is valid, with its protocol written `TcP`: it is read case-insensitively and still checked.
    findings: [{ file: 'values.json', checkId: 'FW101', line: 17 }],
    diagnostics: [
      { file: 'values.json', code: 'parse/cfn-bad-port', line: 11, message: /70000/ },
      { file: 'values.json', code: 'parse/cfn-bad-port', line: 12, message: /-5/ },
      { file: 'values.json', code: 'parse/cfn-bad-port', line: 13, message: /reversed/ },
      // EC2 masks host bits: a warning, and the rule is checked as 10.0.0.0/8.
      { file: 'values.json', code: 'parse/cfn-cidr-host-bits', line: 14, message: /network address 10\.0\.0\.0\/8/ },
      { file: 'values.json', code: 'parse/cfn-bad-cidr', line: 15, message: /\/33/ },
    ],
  },
  {
    name: 'invalid values: ports 70000 and -5, reversed ranges, /33 (netsh script)',
    files: { 'values.cmd': () => fixture('bad-values.cmd') },
    // The last rule is valid, with its protocol written `TcP`: it is read case-insensitively and still checked.
    findings: [{ file: 'values.cmd', checkId: 'FW101', line: 9 }],
    diagnostics: [
      { file: 'values.cmd', code: 'parse/netsh-bad-value', line: 3, message: /70000/ },
      { file: 'values.cmd', code: 'parse/netsh-bad-value', line: 4, message: /-5/ },
      { file: 'values.cmd', code: 'parse/netsh-bad-value', line: 5, message: /reversed/ },
      { file: 'values.cmd', code: 'parse/netsh-bad-value', line: 7, message: /\/33/ },
    ],
  },
  {
    name: 'a 1 MB netsh export whose single line is a rule name',
    files: { 'long-name.txt': () => LONG_LINES.find((long) => long.file === 'long-name.txt')!.text(MB) },
    diagnostics: [{ file: 'long-name.txt', code: 'parse/netsh-truncated-rule', line: 1, message: /^rule "x{100,}…"/ }],
  },
  {
    name: 'a .tf whose content is shell commands',
    files: { 'shell.tf': () => fs.readFileSync(path.join(HOSTILE_FIXTURES, 'exec/shell.tf')) },
    diagnostics: [{ file: 'shell.tf', code: /^parse\/hcl-/, line: 1 }],
  },
  {
    name: 'a binary .fwlint.yaml',
    files: { '.fwlint.yaml': Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x41]) },
    diagnostics: [{ file: '.fwlint.yaml', code: 'config/binary', line: 1 }],
  },
  {
    name: 'a .fwlint.yaml alias bomb',
    files: {
      '.fwlint.yaml': ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`), 'checks: {FW104: off}', ''].join('\n'),
    },
    diagnostics: [{ file: '.fwlint.yaml', code: 'config/yaml', line: 2, message: /alias/ }],
  },
  {
    name: `a .fwlint.yaml nested ${DEEP} levels deep`,
    files: { '.fwlint.yaml': `checks:\n  FW104: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n` },
    diagnostics: [{ file: '.fwlint.yaml', code: 'config/yaml', line: 2, message: /nested too deeply/ }],
  },
  {
    name: 'a folder named .fwlint.yaml',
    setup: (directory) => fs.mkdirSync(path.join(directory, '.fwlint.yaml')),
    diagnostics: [{ file: '.fwlint.yaml', code: 'config/unreadable', line: null, message: /is a folder/ }],
  },
  {
    name: '__proto__ and constructor keys in .fwlint.yaml where names are checked',
    files: { '.fwlint.yaml': '__proto__:\n  polluted: yes\nchecks:\n  __proto__: { polluted: yes }\n  constructor: off\n' },
    diagnostics: [
      { file: '.fwlint.yaml', code: 'config/schema', line: 1, message: /unknown key "__proto__"/ },
      { file: '.fwlint.yaml', code: 'config/schema', line: 4, message: /key "__proto__"/ },
      { file: '.fwlint.yaml', code: 'config/schema', line: 4, message: /key "constructor"/ },
    ],
  },
  {
    name: 'a role named constructor in .fwlint.yaml (a name Object.prototype has)',
    files: { '.fwlint.yaml': 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/constructor\n' },
    // No line: the pipeline reports profile problems against the file only (see the issue note).
    diagnostics: [{ file: '.fwlint.yaml', code: 'packs/unknown-role', line: null, message: /unknown role 'constructor'/ }],
  },
  {
    name: 'an in-source fwlint:profile naming the role constructor',
    files: { 'annotated.tf': '# fwlint:profile lumen-cloud/constructor\nresource "aws_security_group" "annotated" {\n  name = "annotated"\n}\n' },
    diagnostics: [{ file: 'annotated.tf', code: 'packs/unknown-role', line: null, message: /unknown role 'constructor'/ }],
  },
  {
    name: 'a user rule pack with __proto__ and constructor names',
    files: {
      '.fwlint.yaml': 'rulePacks: [./packs]\ntargets:\n  - match: ["*"]\n    profile: evil/constructor\n',
      'packs/evil.yaml': () => fixture('proto-pack/packs/evil.yaml'),
      'packs/evil-proto.yaml': () => fixture('proto-pack/packs/evil.yaml').replace('id: evil', 'id: evil-proto').replace(/^peers:/m, '__proto__: { polluted: yes }\npeers:'),
    },
    diagnostics: [
      { file: 'packs/evil.yaml', code: 'packs/reserved-name', line: 7, message: /\/peers\/constructor: 'constructor' is a reserved name/ },
      { file: 'packs/evil.yaml', code: 'packs/reserved-name', line: 9, message: /\/options\/constructor/ },
      { file: 'packs/evil.yaml', code: 'packs/reserved-name', line: 11, message: /\/parameters\/constructor/ },
      { file: 'packs/evil.yaml', code: 'packs/reserved-name', line: 13, message: /\/roles\/constructor/ },
      { file: 'packs/evil-proto.yaml', code: 'packs/schema', line: 6, message: /__proto__/ },
    ],
  },
];

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

function matches(pattern: string | RegExp, text: string): boolean {
  return typeof pattern === 'string' ? pattern === text : pattern.test(text);
}

/** Pack diagnostics name files relative to the process's folder (see the issue note), so compare by suffix. */
function sameFile(expected: string | RegExp, actual: string): boolean {
  if (typeof expected !== 'string') return expected.test(actual);
  return actual === expected || actual.endsWith(`/${expected}`);
}

function expectReadable(report: JsonReport, stdout: string, stderr: string): void {
  expect(STACK_TRACE.test(stdout)).toBe(false);
  expect(STACK_TRACE.test(stderr)).toBe(false);
  for (const diagnostic of report.diagnostics) {
    expect(diagnostic.code).not.toMatch(/^internal\//);
    expect(diagnostic.message).not.toMatch(/Maximum call stack|RangeError|TypeError|undefined/);
    expect(diagnostic.message.length).toBeLessThan(1000);
    expect(diagnostic.file).not.toBe('');
  }
}

describe('hostile inputs: positioned diagnostics, the rest of the scan intact, exit 2', () => {
  beforeAll(async () => {
    // Warm up (module loading, schema compilation) once, not inside the first case.
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      await runCli(['scan', '.', '--format', 'json'], directory);
    } finally {
      removeDir(directory);
    }
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const directory = makeTempDir();
    try {
      const why = testCase.skip?.(directory);
      if (why) {
        // Not a failure: the guarantee cannot be observed on this machine (see `why`).
        console.info(`skipped "${testCase.name}": ${why}`);
        return;
      }
      writeKnownBad(directory);
      for (const [name, content] of Object.entries(testCase.files ?? {})) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), typeof content === 'function' ? content() : content);
      }
      testCase.setup?.(directory);

      const run = await runCli(['scan', ...(testCase.paths ?? ['.']), '--format', 'json', ...(testCase.args ?? [])], directory);
      const report = parseReport(run.stdout);
      expect({ code: run.code, stderr: run.stderr.slice(0, 300) }).toEqual({ code: 2, stderr: expect.any(String) });
      expect(report.exitCode).toBe(2);
      expectReadable(report, run.stdout, run.stderr);
      expectKnownBadReported(report);
      for (const expected of testCase.diagnostics) {
        const found = report.diagnostics.find(
          (diagnostic) =>
            sameFile(expected.file, diagnostic.file) &&
            matches(expected.code, diagnostic.code) &&
            (expected.line === undefined || (expected.line === null ? true : diagnostic.range?.startLine === expected.line)) &&
            (expected.column === undefined || diagnostic.range?.startColumn === expected.column) &&
            (expected.message === undefined || expected.message.test(diagnostic.message)),
        );
        if (!found) {
          throw new Error(`expected ${String(expected.code)} in ${String(expected.file)}${expected.line ? `:${expected.line}` : ''}; got:\n${report.diagnostics.map((d) => `  ${d.code} ${d.file}:${d.range?.startLine ?? '-'} ${d.message.slice(0, 160)}`).join('\n')}`);
        }
        // An error on the command line's terms: the file is named, and so is the line where one is meaningful.
        if (expected.line !== null) expect(found.range?.startLine).toBeGreaterThanOrEqual(1);
        expect(run.stderr).toContain(found.file);
      }
      for (const expected of testCase.findings ?? []) {
        expect(report.findings).toContainEqual(expect.objectContaining({ file: expected.file, checkId: expected.checkId, range: expect.objectContaining({ startLine: expected.line }) }));
      }
    } finally {
      removeDir(directory);
    }
  });
});

describe('hostile inputs that are valid: read correctly, no error', () => {
  const rdp = KNOWN_BAD.netsh.text; // a netsh export with CRLF line ends; FW101 on RDP at line 9
  const ssh = KNOWN_BAD.terraform.text; // FW101 on line 9 (cidr_blocks)
  const cfn = KNOWN_BAD.cloudformation.text; // FW101 on line 13 (CidrIp)

  const VALID: Array<{ name: string; files: Record<string, string | Buffer>; findings: Array<{ file: string; checkId: string; line: number }> }> = [
    {
      name: 'UTF-16LE without a BOM: a netsh export and a .tf',
      files: { 'host16.txt': Buffer.from(rdp, 'utf16le'), 'utf16.tf': Buffer.from(ssh.replace('"bastion"', '"utf16"'), 'utf16le') },
      findings: [{ file: 'host16.txt', checkId: 'FW101', line: 2 }, { file: 'utf16.tf', checkId: 'FW101', line: 9 }],
    },
    {
      name: 'UTF-16BE without a BOM: a netsh export',
      files: { 'host16be.txt': Buffer.from(rdp, 'utf16le').swap16() },
      findings: [{ file: 'host16be.txt', checkId: 'FW101', line: 2 }],
    },
    {
      name: 'mixed CRLF and LF line ends (.tf, .yaml, netsh export)',
      files: { 'mixed.tf': mixEndings(ssh.replace('"bastion"', '"mixed"')), 'mixed.yaml': mixEndings(cfn), 'mixed.txt': mixEndings(rdp) },
      findings: [{ file: 'mixed.tf', checkId: 'FW101', line: 9 }, { file: 'mixed.yaml', checkId: 'FW101', line: 13 }, { file: 'mixed.txt', checkId: 'FW101', line: 2 }],
    },
    {
      name: 'CR CR LF line ends in a netsh export (a redirect converted twice)',
      files: { 'crcrlf.txt': rdp.replace(/\r?\n/g, '\r\r\n') },
      findings: [{ file: 'crcrlf.txt', checkId: 'FW101', line: 2 }],
    },
    {
      name: 'a folder named main.tf',
      files: { 'main.tf/inner.tf': ssh.replace('"bastion"', '"inner"') },
      findings: [{ file: 'main.tf/inner.tf', checkId: 'FW101', line: 9 }],
    },
    {
      // Pairwise checks (FW301, FW302) meet every pair of rules of a target.
      name: '2,000 distinct rules in one security group',
      files: {
        'many-rules.json': JSON.stringify({
          AWSTemplateFormatVersion: '2010-09-09',
          Resources: { ManySG: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: cidrs(2000).map((cidr, i) => ({ IpProtocol: 'tcp', FromPort: 1000 + (i % 50), ToPort: 1000 + (i % 50), CidrIp: cidr })), SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }] } } },
        }, null, 1),
      },
      findings: [],
    },
    {
      // Each resource asks which of its conditions exclude others: once per template, not per resource and condition.
      name: 'a template with 3,000 conditions over one parameter and 3,000 rules, each under one of them',
      files: {
        'many-conditions.json': JSON.stringify({
          AWSTemplateFormatVersion: '2010-09-09',
          Parameters: { Env: { Type: 'String' } },
          Conditions: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`Is${i}`, { 'Fn::Equals': [{ Ref: 'Env' }, `env${i}`] }])),
          Resources: {
            Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }] } },
            ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`In${i}`, {
              Type: 'AWS::EC2::SecurityGroupIngress',
              Condition: `Is${i}`,
              Properties: { GroupId: { Ref: 'Sg' }, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: i % 2 === 0 ? '0.0.0.0/1' : '128.0.0.0/1' },
            }])),
          },
        }, null, 1),
      },
      findings: [],
    },
    // One file per case: two discovered MB would start parse workers, whose start-up under ts-jest is not the input's.
    ...LONG_LINES.filter((long) => long.file !== 'long-name.txt').map((long) => ({ name: `a 1 MB ${long.name.replace(/^a /, '')}`, files: { [long.file]: long.text(long.fullCount) }, findings: [] })),
  ];

  it.each(VALID.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      for (const [name, content] of Object.entries(testCase.files)) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), content);
      }
      const run = await runCli(['scan', '.', '--format', 'json'], directory);
      const report = parseReport(run.stdout);
      expect(report.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
      expect(run.code).toBe(1);
      expectReadable(report, run.stdout, run.stderr);
      expectKnownBadReported(report);
      for (const expected of testCase.findings) {
        expect(report.findings).toContainEqual(expect.objectContaining({ file: expected.file, checkId: expected.checkId, range: expect.objectContaining({ startLine: expected.line }) }));
      }
    } finally {
      removeDir(directory);
    }
  });
});

describe('all hostile inputs at once, text output', () => {
  it('prints every problem without a stack trace, reports the known-bad findings, exits 2', async () => {
    const directory = makeTempDir();
    try {
      writeKnownBad(directory);
      for (const testCase of CASES) {
        // Config and pack cases change how the whole folder is scanned: they have their own tests above.
        if (Object.keys(testCase.files ?? {}).some((name) => name.startsWith('.fwlint') || name.startsWith('packs/'))) continue;
        for (const [name, content] of Object.entries(testCase.files ?? {})) {
          const bytes = typeof content === 'function' ? content() : content;
          // Megabyte inputs have their own cases; together they would start parse workers (slow under ts-jest).
          if (bytes.length > 256 * 1024) continue;
          fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
          fs.writeFileSync(path.join(directory, name), bytes);
        }
      }
      const run = await runCli(['scan', '.'], directory);
      expect(run.code).toBe(2);
      expect(STACK_TRACE.test(run.stdout + run.stderr)).toBe(false);
      expect(run.stdout).not.toMatch(/Maximum call stack|internal error/);
      for (const known of Object.values(KNOWN_BAD)) expect(run.stdout).toMatch(new RegExp(`${known.file.replace('.', '\\.')}[\\s\\S]*FW101`));
      for (const name of ['bomb.yaml', 'deep.tf', 'deep.json', 'deep-flow.yaml', 'elf.tf', 'latin1.tf', 'values.tf', 'values.cmd', 'shell.tf']) {
        expect(run.stdout).toContain(name);
      }
    } finally {
      removeDir(directory);
    }
  });
});
