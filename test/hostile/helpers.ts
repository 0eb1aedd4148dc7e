/**
 * Shared pieces of the hostile-input suite (issue #11): temp folders, the in-process CLI, and one known-bad "good"
 * file per format whose finding must survive next to every hostile input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/scan-fixture';

export { REPO_ROOT };

export const HOSTILE_FIXTURES = path.join(REPO_ROOT, 'fixtures/hostile');

export { runCli, type CliRun } from '../helpers/run-cli';

/** A fresh temp folder; remove it with `removeDir`. */
export function makeTempDir(prefix = 'fwlint-hostile-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function removeDir(directory: string): void {
  // Undo chmod 000 and friends first, so that the cleanup itself cannot fail.
  try {
    for (const entry of fs.readdirSync(directory, { recursive: true, withFileTypes: false }) as string[]) {
      try {
        const full = path.join(directory, entry);
        if (!fs.lstatSync(full).isSymbolicLink()) fs.chmodSync(full, 0o755);
      } catch {
        // best effort
      }
    }
  } catch {
    // best effort
  }
  fs.rmSync(directory, { recursive: true, force: true });
}

/** Known-bad inputs, one per format: their finding must still be reported beside a hostile file. */
export const KNOWN_BAD = {
  terraform: {
    file: 'known-bad.tf',
    text: fs.readFileSync(path.join(REPO_ROOT, 'fixtures/checks/FW101/terraform/bad-ssh-from-world.tf'), 'utf8'),
    finding: { checkId: 'FW101', target: 'aws_security_group.bastion' },
  },
  cloudformation: {
    file: 'known-bad.yaml',
    text: fs.readFileSync(path.join(REPO_ROOT, 'fixtures/cloudformation/cases/bad-ssh-world.yaml'), 'utf8'),
    finding: { checkId: 'FW101', target: 'BastionSG' },
  },
  netsh: {
    file: 'known-bad.txt',
    text: fs.readFileSync(path.join(REPO_ROOT, 'fixtures/checks/FW101/netsh/bad-rdp-any.txt'), 'utf8'),
    finding: { checkId: 'FW101', target: 'known-bad' },
  },
} as const;

/** Writes the three known-bad files into `directory`. */
export function writeKnownBad(directory: string): void {
  for (const known of Object.values(KNOWN_BAD)) fs.writeFileSync(path.join(directory, known.file), known.text);
}

export interface JsonReport {
  exitCode: number;
  findings: Array<{ checkId: string; target: string; file: string; range: { startLine: number } }>;
  diagnostics: Array<{ code: string; severity: string; message: string; file: string; range: { startLine: number; startColumn: number } | null }>;
}

export function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

/** Every known-bad file's finding is in the report. */
export function expectKnownBadReported(report: JsonReport, prefix = ''): void {
  for (const known of Object.values(KNOWN_BAD)) {
    const found = report.findings.some(
      (finding) => finding.file === `${prefix}${known.file}` && finding.checkId === known.finding.checkId && finding.target === known.finding.target,
    );
    if (!found) throw new Error(`the finding of ${known.file} (${known.finding.checkId} on ${known.finding.target}) is missing`);
  }
}

/** Lines that look like a JavaScript stack trace. */
export const STACK_TRACE = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

/** Whether this process can bypass file permissions (root, or CAP_DAC_OVERRIDE): chmod 000 then blocks nothing. */
export function canBypassPermissions(directory: string): boolean {
  const probe = path.join(directory, '.probe');
  fs.writeFileSync(probe, 'x');
  fs.chmodSync(probe, 0o000);
  try {
    fs.readFileSync(probe);
    return true;
  } catch {
    return false;
  } finally {
    fs.chmodSync(probe, 0o644);
    fs.rmSync(probe);
  }
}

/** `count` distinct /32 CIDRs. */
export const cidrs = (count: number): string[] => Array.from({ length: count }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);

/**
 * The single-line hostile inputs, each made of `count` repeated items; at `fullCount` each is about 1 MB. The corpus
 * scans them at full size, test/hostile/linear-work.test.ts counts the work of reading them at two sizes.
 */
export const LONG_LINES: ReadonlyArray<{ name: string; file: string; fullCount: number; text: (count: number) => string }> = [
  {
    name: 'a single-line HCL file',
    file: 'long.tf',
    fullCount: 60_000,
    text: (count) => `locals { cidrs = [${cidrs(count).map((cidr) => `"${cidr}"`).join(', ')}] }`,
  },
  {
    name: 'a single-line CloudFormation JSON template',
    file: 'long.json',
    fullCount: 3500,
    text: (count) => JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: Object.fromEntries(Array.from({ length: count }, (_, i) => [`SG${i}`, { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: `10.0.${i >> 8}.${i & 255}/32` }], SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }] } }])),
    }),
  },
  {
    name: 'a single-line CloudFormation YAML template (flow style)',
    file: 'long.yaml',
    fullCount: 4000,
    text: (count) => `{AWSTemplateFormatVersion: "2010-09-09", Resources: {${Array.from({ length: count }, (_, i) => `SG${i}: {Type: "AWS::EC2::SecurityGroup", Properties: {GroupDescription: x, SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}], SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]}}`).join(', ')}}}`,
  },
  {
    name: 'a single-line netsh command (remote addresses)',
    file: 'long-netsh.txt',
    fullCount: 60_000,
    text: (count) => `netsh advfirewall firewall add rule name="long" dir=in action=allow protocol=TCP localport=22 remoteip=${cidrs(count).join(',')}`,
  },
  {
    name: 'a netsh export whose single line is a rule name',
    file: 'long-name.txt',
    fullCount: 1024 * 1024,
    text: (count) => `Rule Name: ${'x'.repeat(count)}`,
  },
];
