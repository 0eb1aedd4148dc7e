import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';

const EXPORT = [
  '',
  'Rule Name:                            一 Web',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            In',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             Any',
  'Protocol:                             TCP',
  'LocalPort:                            8080',
  'Action:                               Allow',
  '',
  'Ok.',
  '',
].join('\r\n');

describe('netsh exports through the CLI read stage (one decoder)', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-netsh-enc-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it.each([
    ['UTF-16LE without BOM, with a CJK rule name', Buffer.from(EXPORT, 'utf16le')],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXPORT, 'utf16le')])],
    ['UTF-8', Buffer.from(EXPORT, 'utf8')],
  ])('reads %s and finds the world-open rule', (_label, bytes) => {
    fs.writeFileSync(path.join(directory, 'cjk01.txt'), bytes);
    const result = scan({ paths: ['cjk01.txt'], cwd: directory, today: '2026-11-23' });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => [finding.checkId, finding.ruleId, finding.message])).toEqual([
      ['FW101', '"一 Web"#1/0', 'cjk01 allows ingress from 0.0.0.0/0, ::/0 on tcp/8080'],
    ]);
  });
});
