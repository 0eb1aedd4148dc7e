import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';

const EXPORT = [
  '',
  'Rule Name:                            Web',
  '----------------------------------------------------------------------',
  'Enabled:                              Yes',
  'Direction:                            In',
  'Profiles:                             Domain,Private,Public',
  'RemoteIP:                             10.0.0.0/8',
  'Protocol:                             TCP',
  'LocalPort:                            80',
  'Action:                               Allow',
  '',
  'Ok.',
  '',
].join('\r\n');

describe('one Windows host defined by several files', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-netsh-hosts-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('warns once per extra file that names the same host, through the CLI pipeline (one unit per file)', () => {
    fs.mkdirSync(path.join(directory, 'a'));
    fs.mkdirSync(path.join(directory, 'b'));
    fs.writeFileSync(path.join(directory, 'a/host01.txt'), EXPORT);
    fs.writeFileSync(path.join(directory, 'b/host01.txt'), EXPORT);
    fs.writeFileSync(path.join(directory, 'a/host01.cmd'), 'netsh advfirewall firewall add rule name=X dir=in action=allow protocol=tcp localport=81 remoteip=10.0.0.1\r\n');
    fs.writeFileSync(path.join(directory, 'b/host02.txt'), EXPORT);
    const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23', workers: 1 });
    const duplicates = result.diagnostics.filter((diagnostic) => diagnostic.code === 'parse/netsh-duplicate-host');
    expect(duplicates.map((diagnostic) => [diagnostic.severity, diagnostic.file, diagnostic.message.slice(0, 45)])).toEqual([
      ['warning', 'a/host01.txt', 'host "host01" is also defined by a/host01.cmd'],
      ['warning', 'b/host01.txt', 'host "host01" is also defined by a/host01.cmd'],
    ]);
  });

  it('does not warn when a fwlint:target comment gives each file its own host name', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-netsh-hosts-'));
    try {
      fs.mkdirSync(path.join(other, 'a'));
      fs.mkdirSync(path.join(other, 'b'));
      fs.writeFileSync(path.join(other, 'a/host01.txt'), `# fwlint:target site-a-host01\r\n${EXPORT}`);
      fs.writeFileSync(path.join(other, 'b/host01.txt'), EXPORT);
      const result = scan({ paths: ['.'], cwd: other, today: '2026-11-23', workers: 1 });
      expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'parse/netsh-duplicate-host')).toEqual([]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
