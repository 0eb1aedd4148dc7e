import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan, type ScanResult } from '../../src/pipeline/scan';

/** Config `targets:` entries are checked whether or not a scanned target uses them (review item 1, branch fix/uxb). */
function scanFiles(files: Record<string, string>, extra: Partial<Parameters<typeof scan>[0]> = {}): ScanResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-config-entries-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(directory, name), text);
    return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', ...extra });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const TWO_GROUPS = 'resource "aws_security_group" "a" {\n  name = "a"\n}\nresource "aws_security_group" "b" {\n  name = "b"\n}\n';
const entry = (match: string, profile: string): string =>
  `targets:\n  - match: ["${match}"]\n    profile: ${profile}\n    options: [bogus]\n    parameters: { wmi-prt: 1 }\n    peers:\n      scaleio-nodes: ["10.0.0.1/8"]\n      nodes: ["10.0.0.0/8"]\n`;
const configDiagnostics = (result: ScanResult): Array<[string, string, number | undefined, number | undefined, string]> =>
  result.diagnostics
    .filter((diagnostic) => diagnostic.file === '.fwlint.yaml')
    .map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range?.startLine, diagnostic.range?.startColumn, diagnostic.message]);

describe('config targets: entries that no target uses', () => {
  it('an entry matching no target gets the same diagnostics as when it matches, plus config/unmatched-target at its match line', () => {
    const matched = configDiagnostics(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entry('aws_security_group.*', 'dell-emc-scaleio/sds') }));
    expect(matched.map(([code, , line, column]) => [code, line, column])).toEqual([
      ['packs/unknown-option', 4, 15],
      ['packs/unknown-parameter', 5, 28],
      ['config/peer', 7, 23],
      ['config/peer', 8, 14],
    ]);
    const unmatched = configDiagnostics(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entry('nomatch', 'dell-emc-scaleio/sds') }));
    expect(unmatched).toEqual([
      ['config/unmatched-target', 'warning', 2, 12, '/targets/0/match: targets entry 0 (match: "nomatch") matched no scanned target id; it applies to nothing'],
      ...matched,
    ]);
  });

  it('an unknown role in an entry matching no target is an error at the profile value (exit 2, not a silent pass)', () => {
    const result = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entry('nomatch', 'dell-emc-scaleio/sdss') });
    expect(configDiagnostics(result).map(([code, severity, line, column]) => [code, severity, line, column])).toEqual([
      ['config/unmatched-target', 'warning', 2, 12],
      ['packs/unknown-role', 'error', 3, 14],
    ]);
  });

  it('an entry matching no target is checked when nothing at all is scanned', () => {
    const result = scanFiles({ '.fwlint.yaml': 'targets:\n  - match: ["x"]\n    profile: netapp-cloud-manager/cvo\n    peers:\n      clients: ["10.0.0.1/8"]\n' });
    expect(configDiagnostics(result).map(([code, severity, line]) => [code, severity, line])).toEqual([
      ['config/unmatched-target', 'warning', 2],
      ['config/peer', 'error', 5],
    ]);
    expect(result.diagnostics.find((diagnostic) => diagnostic.code === 'config/peer')!.message).toContain('host bits');
  });

  it('diagnostics of an entry matching several targets are reported once', () => {
    const result = configDiagnostics(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entry('*', 'dell-emc-scaleio/sds') }));
    expect(result).toHaveLength(4);
    expect(new Set(result.map((diagnostic) => diagnostic.join(' '))).size).toBe(4);
  });

  it('an entry whose targets an earlier entry maps first is checked and gets config/shadowed-target', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/linux\n  - match: ["aws_security_group.a"]\n    profile: netapp-cloud-manager/cvo\n    options: [nope]\n';
    expect(configDiagnostics(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': config })).map(([code, , line, , message]) => [code, line, message.slice(0, 60)])).toEqual([
      ['config/shadowed-target', 4, expect.stringContaining('/targets/1/match: targets entry 1')],
      ['packs/unknown-option', 6, expect.stringContaining('/targets/1/options/0')],
    ]);
  });

  it('entries that map a target get no unmatched or shadowed warning', () => {
    const config = 'targets:\n  - match: ["aws_security_group.a"]\n    profile: lumen-cloud/linux\n  - match: ["aws_security_group.b"]\n    profile: lumen-cloud/windows\n';
    expect(configDiagnostics(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': config }))).toEqual([]);
  });

  it('under --profile an unused entry\'s parameters and peers are still checked at their line', () => {
    const result = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entry('nomatch', 'lumen-cloud/linux') }, { profile: 'dell-emc-scaleio/sds' });
    expect(configDiagnostics(result).map(([code, , line]) => [code, line])).toEqual([
      ['config/unmatched-target', 2],
      ['packs/unknown-parameter', 5],
      ['config/peer', 7],
      ['config/peer', 8],
    ]);
  });
});

// Review item (fix/uxb): a phase on a role none of whose flows is limited to a phase selected nothing, silently.
describe('a phase without effect on the role', () => {
  const phaseWarnings = (result: ScanResult): Array<[string, number | undefined, string]> =>
    result.diagnostics.filter((diagnostic) => diagnostic.code === 'packs/phase-no-effect').map((diagnostic) => [diagnostic.file, diagnostic.range?.startLine, diagnostic.message]);
  const MESSAGE = "phase 'install' has no effect on lumen-cloud/linux: none of its flows is limited to a phase, so all of them apply";

  it('--phase with --profile: one warning naming the flag, whatever the number of targets', () => {
    expect(phaseWarnings(scanFiles({ 'main.tf': TWO_GROUPS }, { profile: 'lumen-cloud/linux', phase: 'install' }))).toEqual([['', undefined, `--phase: ${MESSAGE}`]]);
  });

  it('a config phase: at its line with its pointer; an in-source phase: at the comment', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/linux\n    phase: install\n';
    expect(phaseWarnings(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': config }))).toEqual([['.fwlint.yaml', 4, `/targets/0/phase: ${MESSAGE}`]]);
    const annotated = '# fwlint:profile lumen-cloud/linux phase=install\n' + TWO_GROUPS;
    expect(phaseWarnings(scanFiles({ 'main.tf': annotated }))).toEqual([['main.tf', 1, MESSAGE]]);
  });

  it('--phase without --profile on a config-mapped target names the flag, not the config', () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/linux\n    phase: operate\n';
    expect(phaseWarnings(scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': config }, { phase: 'install' }))).toEqual([['', undefined, `--phase: ${MESSAGE}`]]);
  });

  it('no warning for a role with phases', () => {
    expect(phaseWarnings(scanFiles({ 'main.tf': TWO_GROUPS }, { profile: 'dell-emc-scaleio/sds', phase: 'install' }))).toEqual([]);
  });
});

// QA 5/03: an entry binding only peers for a group an in-source comment maps was rejected ("must have required
// property 'profile'"); adding `profile:` made the entry replace the comment whole, dropping its `phase=operate`
// (a false FW201 high for the install-only tcp/445, and the FW203 findings lost), without a word.
describe('config targets: entries beside an in-source fwlint:profile', () => {
  const MDM = [
    '# fwlint:profile dell-emc-scaleio/mdm phase=operate',
    'resource "aws_security_group" "mdm" {',
    '  ingress {',
    '    from_port   = 135',
    '    to_port     = 135',
    '    protocol    = "tcp"',
    '    cidr_blocks = ["10.9.0.5/32"]',
    '  }',
    '}',
    '',
  ].join('\n');
  const peersEntry = (profile = ''): string =>
    `targets:\n  - match: ["aws_security_group.mdm"]\n${profile}    peers:\n      installer: ["10.9.0.5/32"]\n      scaleio-nodes: ["10.10.0.0/24"]\n`;
  const summary = (result: ScanResult): string[] =>
    result.findings.filter((finding) => finding.checkId.startsWith('FW2')).map((finding) => `${finding.checkId} ${finding.severity} ${finding.message.replace(/^.*?\): /, '')}`);
  const problems = (result: ScanResult): string[] => result.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.message}`);

  it('an entry without profile binds peers for the target the comment maps, keeping the comment\'s phase', () => {
    const result = scanFiles({ 'main.tf': MDM, '.fwlint.yaml': peersEntry() });
    expect(problems(result)).toEqual([]);
    const found = summary(result);
    // The operate phase (the comment's): tcp/135 is install-only, and tcp/445 (install) is not required.
    expect(found).toContainEqual(expect.stringMatching(/^FW203 medium .*is in the operate phase but still allows tcp\/135/));
    expect(found.some((line) => line.includes('tcp/445'))).toBe(false);
    // The bound peers apply: the missing MDM flows name scaleio-nodes' addresses.
    expect(found).toContainEqual(expect.stringMatching(/^FW201 high .* from 10\.10\.0\.0\/24 /));
    expect(result.findings.find((finding) => finding.checkId === 'FW203')!.message).toContain('aws_security_group.mdm (dell-emc-scaleio/mdm)');
  });

  it('an entry naming the same role without phase keeps the comment\'s phase (fields merge, the entry\'s first)', () => {
    const withProfile = scanFiles({ 'main.tf': MDM, '.fwlint.yaml': peersEntry('    profile: dell-emc-scaleio/mdm\n') });
    const withoutProfile = scanFiles({ 'main.tf': MDM, '.fwlint.yaml': peersEntry() });
    expect(problems(withProfile)).toEqual([]);
    expect(summary(withProfile)).toEqual(summary(withoutProfile));
    // The entry's phase wins where both give one.
    const install = scanFiles({ 'main.tf': MDM, '.fwlint.yaml': peersEntry('    profile: dell-emc-scaleio/mdm\n    phase: install\n') });
    expect(summary(install).some((line) => line.startsWith('FW203'))).toBe(false);
    expect(summary(install)).toContainEqual(expect.stringMatching(/^FW201 high tcp\/445 from 10\.9\.0\.5\/32 /));
  });

  it('an entry mapping another role replaces the comment, with a warning at the comment', () => {
    const result = scanFiles({ 'main.tf': MDM, '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.mdm"]\n    profile: dell-emc-scaleio/sds\n' });
    const warning = result.diagnostics.find((diagnostic) => diagnostic.code === 'config/overridden-annotation')!;
    expect([warning.severity, warning.file, warning.range?.startLine, warning.message]).toEqual([
      'warning', 'main.tf', 1,
      'fwlint:profile dell-emc-scaleio/mdm of aws_security_group.mdm is overridden by .fwlint.yaml /targets/0 (profile: dell-emc-scaleio/sds); its phase and options do not apply',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW201').every((finding) => finding.message.includes('(dell-emc-scaleio/sds)'))).toBe(true);
  });

  it('an entry without profile on a target nothing else maps is a warning at its match line; under --profile it binds peers', () => {
    const unmapped = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.*"]\n    peers:\n      admin: ["10.1.0.0/24"]\n' });
    expect(configDiagnostics(unmapped)).toEqual([
      ['config/no-profile', 'warning', 2, 12, '/targets/0: targets entry 0 has no profile and aws_security_group.a has no fwlint:profile comment or tag (nor --profile): its peers and parameters apply to nothing there'],
    ]);
    const underFlag = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.*"]\n    peers:\n      admin: ["10.1.0.0/24"]\n' }, { profile: 'netapp-cloud-manager/ha-mediator' });
    expect(configDiagnostics(underFlag)).toEqual([]);
    expect(underFlag.findings.some((finding) => finding.checkId === 'FW201' && finding.message.includes('tcp/22 from 10.1.0.0/24'))).toBe(true);
  });

  it('an entry without match is still an error (the schema requires match only)', () => {
    const result = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': 'targets:\n  - peers:\n      admin: ["10.1.0.0/24"]\n' });
    expect(configDiagnostics(result).map(([code, severity, , , message]) => [code, severity, message])).toEqual([['config/schema', 'error', "/targets/0: must have required property 'match'"]]);
  });
});

// Regression (QA 14 item 05): with a port list in error the config applied nothing, so an unknown role elsewhere in
// it showed only in the next run; and an entry naming no role replaced a valid fwlint:profile comment, leaving the
// target unmapped (its FW201 gone) behind a config/overridden-annotation warning.
describe('config entries in error', () => {
  const LINUX = '# fwlint:profile lumen-cloud/linux\nresource "aws_security_group" "app" {\n  name = "app"\n}\n';
  const roles = (result: ScanResult): string[] => [...new Set(result.findings.filter((finding) => finding.checkId.startsWith('FW2')).map((finding) => `${finding.targetId} ${String(finding.properties.profile)}`))];
  const codes = (result: ScanResult): string[] => result.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.file}:${diagnostic.range?.startLine ?? '-'}`);

  it('a schema problem, an unknown role and an invalid date are reported in one run; valid ignore entries still mute', () => {
    const config = [
      'publicPorts: ["tcp/70000"]',
      'ignore:',
      '  - { check: FW104, target: "*", reason: "egress is filtered upstream", expires: 2099-13-01 }',
      '  - { check: FW101, target: "*", reason: "public web" }',
      'targets:',
      '  - match: ["nomatch"]',
      '    profile: lumen-cloud/linx',
      '',
    ].join('\n');
    const tf = 'resource "aws_security_group" "web" {\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': config });
    expect(codes(result)).toEqual(expect.arrayContaining(['config/schema .fwlint.yaml:1', 'config/ignore .fwlint.yaml:3', 'packs/unknown-role .fwlint.yaml:7']));
    // The entry with the invalid date mutes nothing; the valid one mutes FW101 as before.
    expect(result.findings.filter((finding) => finding.suppression === undefined).map((finding) => finding.checkId)).toEqual(['FW104']);
    expect(result.findings.filter((finding) => finding.suppression !== undefined).map((finding) => finding.checkId)).toEqual(['FW101']);
  });

  it('an entry naming no role leaves a valid comment mapping the target; the error stands (exit 2)', () => {
    const result = scanFiles({ 'main.tf': LINUX, '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.app"]\n    profile: lumen-cloud/linx\n' });
    expect(codes(result)).toEqual(['packs/unknown-role .fwlint.yaml:3']);
    expect(result.diagnostics[0]!.severity).toBe('error');
    expect(roles(result)).toEqual(['aws_security_group.app lumen-cloud/linux']);
  });

  it('a comment naming no role leaves a valid entry mapping the target (the other order)', () => {
    const result = scanFiles({ 'main.tf': LINUX.replace('linux', 'linx'), '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.app"]\n    profile: lumen-cloud/linux\n' });
    // The entry maps another role, so the comment is overridden (and says so), as any comment of another role is.
    expect(codes(result)).toEqual(['config/overridden-annotation main.tf:1']);
    expect(roles(result)).toEqual(['aws_security_group.app lumen-cloud/linux']);
  });

  it('an entry naming no role is passed over for the next entry matching the target, in either order', () => {
    const entries = (first: string, second: string): string => `targets:\n  - match: ["aws_security_group.*"]\n    profile: ${first}\n  - match: ["aws_security_group.*"]\n    profile: ${second}\n`;
    const badFirst = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entries('lumen-cloud/linx', 'lumen-cloud/windows') });
    expect(codes(badFirst)).toEqual(['packs/unknown-role .fwlint.yaml:3']);
    expect(roles(badFirst)).toEqual(['aws_security_group.a lumen-cloud/windows', 'aws_security_group.b lumen-cloud/windows']);
    const badSecond = scanFiles({ 'main.tf': TWO_GROUPS, '.fwlint.yaml': entries('lumen-cloud/windows', 'lumen-cloud/linx') });
    expect(codes(badSecond)).toEqual(['packs/unknown-role .fwlint.yaml:5']);
    expect(roles(badSecond)).toEqual(['aws_security_group.a lumen-cloud/windows', 'aws_security_group.b lumen-cloud/windows']);
  });

  it('an entry with a schema error maps nothing: the comment maps the target', () => {
    const result = scanFiles({ 'main.tf': LINUX, '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.app"]\n    profile: lumen-cloud/windows\n    peer: { admin: ["10.0.0.0/8"] }\n' });
    expect(codes(result)).toEqual(['config/schema .fwlint.yaml:4']);
    expect(roles(result)).toEqual(['aws_security_group.app lumen-cloud/linux']);
  });
});

// Regression (QA 14 item 03): a --profile naming no role dropped every mapping of the config and the source too.
describe('a --profile naming no role', () => {
  it('is one error, and the targets are mapped as the config and the comments map them', () => {
    const tf = '# fwlint:profile lumen-cloud/linux\nresource "aws_security_group" "a" {\n  name = "a"\n}\nresource "aws_security_group" "b" {\n  name = "b"\n}\n';
    const result = scanFiles({ 'main.tf': tf, '.fwlint.yaml': 'targets:\n  - match: ["aws_security_group.b"]\n    profile: lumen-cloud/windows\n' }, { profile: 'lumen-cloud/nope', phase: 'operate', options: ['bogus'] });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.file, diagnostic.message])).toEqual([
      ['packs/unknown-role', 'error', '--profile', "unknown role 'nope' in pack 'lumen-cloud'; known roles: linux, windows; the targets are judged as the config and the source map them"],
    ]);
    const mapped = [...new Set(result.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => `${finding.targetId} ${String(finding.properties.profile)}`))];
    expect(mapped).toEqual(['aws_security_group.a lumen-cloud/linux', 'aws_security_group.b lumen-cloud/windows']);
  });
});
