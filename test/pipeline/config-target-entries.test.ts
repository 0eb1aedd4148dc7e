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
