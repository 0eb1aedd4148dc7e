import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { renderText } from '../../src/report/text';
import type { ReportContext } from '../../src/report';

const SCRIPT = [
  'netsh advfirewall firewall add rule name="Agent" dir=in action=allow protocol=TCP localport=8081 remoteip=DefaultGateway,DNS',
  'netsh advfirewall firewall add rule name="Lab" dir=in action=allow protocol=TCP localport=22 remoteip=10.0.0.1,10.0.0.2,LocalSubnet',
  'netsh advfirewall firewall add rule name="Lab" dir=in action=allow protocol=TCP localport=23 remoteip=10.0.0.3',
  '',
].join('\r\n');

const EXPORT = [
  '',
  'Rule Name:                            Ping IPv6',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            In',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             LocalSubnet,DefaultGateway',
  'Protocol:                             ICMPv6',
  '                                      Type    Code',
  '                                      128     Any',
  '                                      129     0',
  'Action:                               Allow',
  '',
  'Ok.',
  '',
].join('\r\n');

const context: ReportContext = { toolVersion: '0.0.0-test', color: false, sourceLines: () => undefined, includeSuppressed: false, checkDocs: () => undefined };

describe('the summary counts a Windows rule once, whatever it expands into', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-netsh-count-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));
  fs.writeFileSync(path.join(directory, 'host01.cmd'), SCRIPT);
  fs.writeFileSync(path.join(directory, 'host02.txt'), EXPORT);

  // QA: `RemoteIP: DefaultGateway,DNS` was two rules in the summary (JSON summary.rules, text summary), one per keyword.
  it.each([true, false])('counts RemoteIP lists (keywords, addresses) and ICMP type rows as one rule each (model kept: %s)', (keepModel) => {
    const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23', keepModel, workers: 1 });
    // Agent, Lab, the second Lab (a rule of its own under the same name), Ping IPv6: 2 + 3 + 1 + 4 model rules.
    expect(result.stats.rules).toBe(4);
    const input = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode: 0 };
    expect(renderText(input, context)).toMatch(/2 targets, 4 rules in 2 files/);
  });
});
