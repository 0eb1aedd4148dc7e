import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan as scanPaths, type ScanResult } from '../../src/pipeline/scan';
import { renderSarif } from '../../src/report/sarif';
import type { ReportContext } from '../../src/report';
import { REPO_ROOT, scanFiles, scanFixture } from '../helpers/scan-fixture';

/*
 * fixtures/netsh/powershell-json: web01.json is Windows PowerShell 5.1's export (UTF-8 with BOM, CRLF, an array of six
 * rules: world-open RDP on Public, a block of Telnet and an allow of Telnet under it, a disabled SMB allow, an ICMP
 * echo rule, an outbound agent rule); jump01.json PowerShell 7's export of one rule (an object, no BOM, LF): SSH from
 * Internet on every profile.
 */
const FIXTURE = 'netsh/powershell-json';
const WEB01 = fs.readFileSync(path.join(REPO_ROOT, 'fixtures', FIXTURE, 'web01.json'));

/** web01.json as `netsh advfirewall firewall show rule name=all verbose` prints the same rules. */
const WEB01_NETSH = [
  '',
  ...block('Contoso Admin RDP', [['Enabled', 'Yes'], ['Direction', 'In'], ['Profiles', 'Public'], ['LocalIP', 'Any'], ['RemoteIP', 'Any'], ['Protocol', 'TCP'], ['LocalPort', '3389'], ['RemotePort', 'Any'], ['Program', 'Any'], ['Action', 'Allow']]),
  ...block('Contoso Block Telnet', [['Enabled', 'Yes'], ['Direction', 'In'], ['Profiles', 'Public'], ['LocalIP', 'Any'], ['RemoteIP', 'LocalSubnet,203.0.113.0/255.255.255.0'], ['Protocol', 'TCP'], ['LocalPort', '23'], ['RemotePort', 'Any'], ['Program', 'Any'], ['Action', 'Block']]),
  ...block('Contoso Telnet Partners', [['Enabled', 'Yes'], ['Direction', 'In'], ['Profiles', 'Public'], ['LocalIP', 'Any'], ['RemoteIP', '203.0.113.10-203.0.113.20'], ['Protocol', 'TCP'], ['LocalPort', '23'], ['RemotePort', 'Any'], ['Program', 'Any'], ['Action', 'Allow']]),
  ...block('Contoso Old SMB', [['Enabled', 'No'], ['Direction', 'In'], ['Profiles', 'Domain,Private,Public'], ['LocalIP', 'Any'], ['RemoteIP', 'Any'], ['Protocol', 'TCP'], ['LocalPort', '445'], ['RemotePort', 'Any'], ['Program', 'Any'], ['Action', 'Allow']]),
  ...block('Core Networking Diagnostics - ICMP Echo Request (ICMPv4-In)', [['Enabled', 'Yes'], ['Direction', 'In'], ['Profiles', 'Domain,Private'], ['LocalIP', 'Any'], ['RemoteIP', 'LocalSubnet'], ['Protocol', 'ICMPv4'], ' '.repeat(38) + 'Type    Code', ' '.repeat(38) + '8       Any', ['Program', 'System'], ['Action', 'Allow']]),
  ...block('Contoso Backup Agent', [['Enabled', 'Yes'], ['Direction', 'Out'], ['Profiles', 'Domain,Private,Public'], ['LocalIP', 'Any'], ['RemoteIP', '10.20.0.0/16'], ['Protocol', 'TCP'], ['LocalPort', 'Any'], ['RemotePort', '10000-10010'], ['Program', '%ProgramFiles%\\Contoso\\agent.exe'], ['Action', 'Allow']]),
  'Ok.',
  '',
].join('\r\n');

function block(name: string, fields: Array<[string, string] | string>): string[] {
  const line = (label: string, value: string): string => `${`${label}:`.padEnd(38)}${value}`;
  const verbose = [line('Service', 'Any'), line('InterfaceTypes', 'Any'), line('Security', 'NotRequired'), line('Rule source', 'Local Setting')];
  const lines = fields.map((field) => (typeof field === 'string' ? field : line(field[0], field[1])));
  // The verbose lines netsh prints before Action.
  return [line('Rule Name', name), '-'.repeat(70), ...lines.slice(0, -1), ...verbose, lines[lines.length - 1]!, ''];
}

/**
 * What a finding says, apart from where it is: check, message, fingerprint, properties. FW202's replacement is only
 * said to be there: it is written in the export's own commands (PowerShell here, netsh for a netsh export).
 */
function said(result: ScanResult): string[] {
  return result.findings.map(({ location: _location, relatedLocations: _related, targetFile: _file, ...finding }) =>
    JSON.stringify(finding.properties?.replacement === undefined ? finding : { ...finding, properties: { ...finding.properties, replacement: true } }));
}

function scanFixtureAt(directory: string): ScanResult {
  return scanPaths({ paths: ['.'], cwd: directory, today: '2026-11-23' });
}

const context: ReportContext = { toolVersion: '0.0.0-test', color: false, sourceLines: () => undefined, includeSuppressed: false, checkDocs: () => undefined };

describe('PowerShell JSON export (fixtures/netsh/powershell-json)', () => {
  const result = scanFixture(FIXTURE);

  it('reads both files cleanly: two hosts, seven rules as written', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => [target.id, target.kind, target.rules.length])).toEqual([['jump01', 'powershell', 1], ['web01', 'powershell', 7]]);
    expect(result.stats.rules).toBe(7);
  });

  it('reports the world-open RDP on Public and SSH from Internet, the Telnet allow under the block, nothing for the disabled rule', () => {
    expect(result.findings.map((finding) => [finding.checkId, finding.severity, finding.location.file, finding.location.range.startLine, finding.message])).toEqual([
      ['FW101', 'critical', 'fixtures/netsh/powershell-json/jump01.json', 1, 'jump01 allows ingress from 0.0.0.0/0, ::/0 on tcp/22'],
      ['FW101', 'critical', 'fixtures/netsh/powershell-json/web01.json', 2, 'web01 allows ingress from 0.0.0.0/0, ::/0 on tcp/3389 (profiles: public)'],
      ['FW301', 'low', 'fixtures/netsh/powershell-json/web01.json', 57,
        'web01: allow rule "Contoso Telnet Partners"#1 (203.0.113.10-203.0.113.20) never takes effect; it is fully overridden by "Contoso Block Telnet"#1'],
    ]);
  });

  it('points SARIF results at the rule object, from its { to its }', () => {
    const input = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode: 1 };
    const sarif = JSON.parse(renderSarif(input, context)) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }> }> }> };
    const regions = sarif.runs[0]!.results.map((entry) => [entry.locations[0]!.physicalLocation.artifactLocation.uri, entry.locations[0]!.physicalLocation.region]);
    expect(regions).toEqual([
      ['fixtures/netsh/powershell-json/jump01.json', { startLine: 1, startColumn: 1, endLine: 17, endColumn: 2 }],
      ['fixtures/netsh/powershell-json/web01.json', { startLine: 2, startColumn: 5, endLine: 28, endColumn: 6 }],
      ['fixtures/netsh/powershell-json/web01.json', { startLine: 57, startColumn: 5, endLine: 83, endColumn: 6 }],
    ]);
    const lines = WEB01.toString('utf8').split('\r\n');
    expect([lines[1], lines[2], lines[3], lines[56], lines[58]]).toEqual([
      '    {', '        "Name":  "{5E4B2F1A-7C3D-4B8E-9F10-2A3B4C5D6E01}",', '        "DisplayName":  "Contoso Admin RDP",', '    {', '        "DisplayName":  "Contoso Telnet Partners",',
    ]);
  });

  it('judges the rules exactly as the netsh export of the same host: same findings, fingerprints included, also against a windows role', () => {
    for (const profile of [undefined, 'dell-emc-scaleio/sds']) {
      const options = profile === undefined ? {} : { profile, phase: 'operate' as const };
      const fromJson = scanFiles({ 'web01.json': WEB01.toString('utf8') }, options);
      const fromNetsh = scanFiles({ 'web01.txt': WEB01_NETSH }, options);
      expect(fromJson.diagnostics).toEqual([]);
      expect(fromNetsh.diagnostics).toEqual([]);
      expect(said(fromJson)).toEqual(said(fromNetsh));
      expect(fromJson.findings.length).toBeGreaterThan(profile === undefined ? 1 : 5);
      const strip = (scan: ScanResult): unknown => scan.targets.map((target) => target.rules.map(({ kind: _kind, location: _location, unknowns, ...rule }) => ({ ...rule, unknowns: unknowns.length })));
      expect(strip(fromJson)).toEqual(strip(fromNetsh));
    }
    const sds = scanFiles({ 'web01.json': WEB01.toString('utf8') }, { profile: 'dell-emc-scaleio/sds', phase: 'operate' }).findings;
    expect(sds.filter((finding) => finding.checkId === 'FW201').length).toBeGreaterThan(0);
    expect(sds.filter((finding) => finding.checkId === 'FW202').length).toBeGreaterThan(0);
  });

  it('offers the replacement (FW202) of a rule wider than the role as New-NetFirewallRule commands, where the netsh export gets add rule lines', () => {
    const json = JSON.stringify([{ DisplayName: 'SDS', Enabled: 'True', Direction: 'Inbound', Action: 'Allow', Profile: 'Domain', Protocol: 'TCP', LocalPort: ['7000-7100'], RemoteAddress: ['10.0.0.0/8'] }]);
    const netsh = ['', ...block('SDS', [['Enabled', 'Yes'], ['Direction', 'In'], ['Profiles', 'Domain'], ['RemoteIP', '10.0.0.0/8'], ['Protocol', 'TCP'], ['LocalPort', '7000-7100'], ['Action', 'Allow']]), 'Ok.', ''].join('\r\n');
    const options = { profile: 'dell-emc-scaleio/sds', phase: 'operate' as const };
    const config = 'targets:\n  - match: ["sds01"]\n    peers:\n      scaleio-nodes: ["10.1.0.0/24"]\n';
    const fromJson = scanFiles({ 'sds01.json': json, '.fwlint.yaml': config }, options);
    const fromNetsh = scanFiles({ 'sds01.txt': netsh, '.fwlint.yaml': config }, options);
    const replacement = (scan: ScanResult): unknown => scan.findings.find((finding) => finding.checkId === 'FW202')?.properties?.replacement;
    expect(replacement(fromJson)).toContain("New-NetFirewallRule -DisplayName 'fwlint dell-emc-scaleio/sds in/tcp/7072/scaleio-nodes' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 7072 -RemoteAddress '10.1.0.0/24' -Profile Domain -Description");
    expect(replacement(fromNetsh)).toContain('netsh advfirewall firewall add rule name="fwlint dell-emc-scaleio/sds in/tcp/7072/scaleio-nodes" dir=in action=allow protocol=TCP localport=7072 remoteip=10.1.0.0/24 profile=domain');
    expect(said(fromJson)).toEqual(said(fromNetsh));
  });

  it('fails the scan with exit-code-2 errors for integer enums, naming file and line', () => {
    const scan = scanFiles({ 'host02.json': '[\n  {"DisplayName": "RDP", "Enabled": 1, "Direction": 1, "Action": 2, "Protocol": "TCP", "LocalPort": "3389"}\n]\n' });
    expect(scan.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, diagnostic.file, diagnostic.range?.startLine])).toEqual([
      ['error', 'parse/powershell-enum-integer', 'host02.json', 2],
    ]);
    expect(scan.stats.rules).toBe(0);
  });

  it('warns once per extra file that names the same Windows host, netsh and PowerShell exports alike, in both scan modes', () => {
    const files = { 'a/web01.json': WEB01.toString('utf8'), 'b/web01.txt': WEB01_NETSH, 'c/web01.json': WEB01.toString('utf8'), 'c/web02.json': WEB01.toString('utf8') };
    for (const keepModel of [true, false]) {
      const scan = scanFiles(files, { keepModel, workers: 1 });
      expect(scan.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.file, diagnostic.message])).toEqual([
        ['parse/netsh-duplicate-host', 'b/web01.txt',
          'host "web01" is also defined by a/web01.json: the two are scanned as separate hosts with the same name, so their findings, fingerprints and baselines cannot be told apart; rename one file or give it a "fwlint:target NAME" comment'],
        ['parse/netsh-duplicate-host', 'c/web01.json',
          'host "web01" is also defined by a/web01.json: the two are scanned as separate hosts with the same name, so their findings, fingerprints and baselines cannot be told apart; rename one file'],
      ]);
    }
  });

  it('maps the host to a role through a config targets: entry naming the file\'s host', () => {
    const scan = scanFiles({
      'web01.json': WEB01.toString('utf8'),
      '.fwlint.yaml': 'targets:\n  - match: ["web01"]\n    profile: dell-emc-scaleio/sds\n    phase: operate\n',
    });
    expect(scan.diagnostics).toEqual([]);
    expect(scan.findings.filter((finding) => finding.checkId === 'FW201').length).toBeGreaterThan(0);
  });

  it('reads an export redirected with > in Windows PowerShell 5.1 (UTF-16LE with BOM) as the UTF-8 one', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-powershell-json-'));
    try {
      fs.writeFileSync(path.join(directory, 'web01.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(WEB01.toString('utf8').replace(/^\uFEFF/, ''), 'utf16le')]));
      const utf16 = scanFixtureAt(directory);
      expect(utf16.diagnostics).toEqual([]);
      expect(utf16.findings.map((finding) => [finding.checkId, finding.location.range.startLine, finding.fingerprint])).toEqual(
        result.findings.filter((finding) => finding.targetId === 'web01').map((finding) => [finding.checkId, finding.location.range.startLine, finding.fingerprint]));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('leaves other JSON alone, as before: a folder of it holds no input', () => {
    const scan = scanFiles({ 'settings.json': '[{"DisplayName": "x", "Direction": "Inbound"}]', 'package.json': '{"name": "x"}' });
    expect(scan.stats.parsedFiles).toBe(0);
    expect(scan.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['scan/no-inputs']);
  });
});
