import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { renderSarif } from '../../src/report/sarif';
import type { ReportContext } from '../../src/report';
import { decodeBytes } from '../../src/discover/read';
import { REPO_ROOT } from '../helpers/scan-fixture';

const context: ReportContext = { toolVersion: '0.0.0-test', color: false, sourceLines: () => undefined, includeSuppressed: false, checkDocs: () => undefined };

interface SarifRegion { startLine: number; startColumn?: number }
interface SarifLocation { physicalLocation: { artifactLocation: { uri: string }; region?: SarifRegion } }
interface SarifResult { ruleId: string; locations: SarifLocation[]; relatedLocations?: SarifLocation[] }

/** The SARIF results of a scan, as `fwlint scan --format sarif` writes them. */
function sarifResults(paths: string[], cwd: string): SarifResult[] {
  const result = scan({ paths, cwd, today: '2026-11-23' });
  const input = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode: 1 };
  return (JSON.parse(renderSarif(input, context)) as { runs: Array<{ results: SarifResult[] }> }).runs[0]!.results;
}

/** `[checkId, the source line the result's region starts on, its start column]` per result. */
function startLines(results: SarifResult[], cwd: string): Array<[string, string, number | undefined]> {
  return results.map((result) => {
    const { artifactLocation, region } = result.locations[0]!.physicalLocation;
    const text = decodeBytes(fs.readFileSync(path.join(cwd, artifactLocation.uri)))!.text;
    const line = text.split(/\r?\n/)[region!.startLine - 1]!;
    return [result.ruleId, line.trim(), region!.startColumn];
  });
}

const EXPORT = [
  '',
  'Rule Name:                            All proto',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            In',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             10.0.0.0/8',
  'Protocol:                             Any',
  'Action:                               Allow',
  '',
  'Rule Name:                            Wide',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            In',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             198.51.100.0/24',
  'Protocol:                             TCP',
  'LocalPort:                            1000-9000',
  'Action:                               Allow',
  '',
  'Rule Name:                            Out any',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            Out',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             Any',
  'Protocol:                             Any',
  'Action:                               Allow',
  '',
  'Rule Name:                            Dup',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            In',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             10.1.0.0/16',
  'Protocol:                             TCP',
  'LocalPort:                            443',
  'Action:                               Allow',
  '',
  'Ok.',
  '',
].join('\r\n');

const SCRIPT = [
  '@echo off',
  'netsh advfirewall firewall add rule name="Web" dir=in action=allow ^',
  '  protocol=TCP localport=8080 ^',
  '  remoteip=any',
  'netsh advfirewall firewall add rule name="Any in" dir=in action=allow ^',
  '  remoteip=10.0.0.0/8',
  'netsh advfirewall firewall add rule name="Wide" dir=in action=allow protocol=UDP localport=1000-9000 ^',
  '  remoteip=198.51.100.0/24',
  'netsh advfirewall firewall add rule name="Wide copy" dir=in action=allow protocol=UDP localport=2000-3000 ^',
  '  remoteip=198.51.100.0/25',
  'netsh advfirewall firewall add rule name="All out" dir=out action=allow remoteip=any',
  '',
].join('\r\n');

describe('SARIF locations of Windows Firewall findings (README: the rule\'s Rule Name: line or add rule command)', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-netsh-sarif-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('starts every finding on a real export at the rule\'s Rule Name: line (UTF-16 fixture)', () => {
    const results = sarifResults(['fixtures/netsh/exports/scaleio-sds-01.txt'], REPO_ROOT);
    expect(results.map((result) => result.ruleId)).toEqual(['FW101', 'FW101', 'FW101', 'FW101', 'FW103']);
    for (const [, line, column] of startLines(results, REPO_ROOT)) {
      expect(line).toMatch(/^Rule Name:/);
      expect(column).toBe(1);
    }
  });

  it('starts FW102, FW103, FW104 and FW302 on an export at the Rule Name: line, not RemoteIP:', () => {
    fs.writeFileSync(path.join(directory, 'host07.txt'), EXPORT);
    const results = sarifResults(['host07.txt'], directory);
    expect(startLines(results, directory)).toEqual([
      ['FW102', 'Rule Name:                            All proto', 1],
      ['FW103', 'Rule Name:                            Wide', 1],
      ['FW104', 'Rule Name:                            Out any', 1],
      ['FW302', 'Rule Name:                            Dup', 1],
    ]);
    // The related location is the host's definition (the file's first line), never the RemoteIP line.
    expect(results[0]!.relatedLocations!.map((related) => related.physicalLocation.region!.startLine)).toEqual([1]);
  });

  it('starts findings on a script at the add rule command, even when remoteip= is on a continuation line', () => {
    fs.writeFileSync(path.join(directory, 'web07.cmd'), SCRIPT);
    const results = sarifResults(['web07.cmd'], directory);
    const lines = startLines(results, directory);
    expect(lines.map(([checkId, line, column]) => [checkId, line.slice(0, 60), column])).toEqual([
      ['FW101', 'netsh advfirewall firewall add rule name="Web" dir=in action', 1],
      ['FW102', 'netsh advfirewall firewall add rule name="Any in" dir=in act', 1],
      ['FW103', 'netsh advfirewall firewall add rule name="Wide" dir=in actio', 1],
      ['FW302', 'netsh advfirewall firewall add rule name="Wide copy" dir=in ', 1],
      ['FW104', 'netsh advfirewall firewall add rule name="All out" dir=out a', 1],
    ]);
  });

  // FW303 is about one value, and its message names the rule: it starts where that value is written (as a parse error
  // about a bad value does), so the code frame shows `Teredo` or `%LAB%`, not the rule's first line.
  it('starts FW303 at the field holding the value it could not read: a port keyword, an address, in exports and scripts', () => {
    const exported = [
      '',
      'Rule Name:                            Teredo in',
      '----------------------------------------------------------------------',
      'Enabled:                              Yes',
      'Direction:                            In',
      'Profiles:                             Domain,Private,Public',
      'RemoteIP:                             DefaultGateway,DNS,10.0.0.300',
      'Protocol:                             UDP',
      'LocalPort:                            Teredo',
      'Action:                               Allow',
      '',
      'Ok.',
      '',
    ].join('\r\n');
    fs.writeFileSync(path.join(directory, 'host08.txt'), exported);
    expect(startLines(sarifResults(['host08.txt'], directory), directory)).toEqual([
      ['FW303', 'RemoteIP:                             DefaultGateway,DNS,10.0.0.300', 1],
      ['FW303', 'LocalPort:                            Teredo', 1],
    ]);
    const script = [
      'netsh advfirewall firewall add rule name="Teredo in" dir=in action=allow ^',
      '  protocol=UDP localport=Teredo remoteip=DefaultGateway,DNS',
      'netsh advfirewall firewall add rule name="Lab" dir=in action=allow protocol=TCP localport=22 remoteip=%LAB%',
      'netsh advfirewall firewall add rule name="Moved" dir=in action=allow protocol=UDP localport=3544',
      'netsh advfirewall firewall set rule name="Moved" new localport=Teredo',
      '',
    ].join('\r\n');
    fs.writeFileSync(path.join(directory, 'host09.cmd'), script);
    const lines = startLines(sarifResults(['host09.cmd'], directory), directory);
    expect(lines).toEqual([
      ['FW303', 'protocol=UDP localport=Teredo remoteip=DefaultGateway,DNS', 16],
      ['FW303', expect.stringContaining('name="Lab"'), script.split('\r\n')[2]!.indexOf('remoteip=%LAB%') + 1],
      ['FW303', 'netsh advfirewall firewall set rule name="Moved" new localport=Teredo', script.split('\r\n')[4]!.indexOf('localport=Teredo') + 1],
    ]);
  });
});
