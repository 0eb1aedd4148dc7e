import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { decodeBytes, decodeCp437 } from '../../../src/discover/read';
import { netshParser } from '../../../src/parsers/netsh';

const FIXTURES = join(__dirname, '../../../fixtures/netsh');
const SEPARATOR = '-'.repeat(70);

function headOf(relative: string): string {
  // The production decoder; binary junk (which the CLI refuses as read/binary) is looked at as cp437 text.
  const bytes = readFileSync(join(FIXTURES, relative));
  return (decodeBytes(bytes)?.text ?? decodeCp437(bytes)).slice(0, 4096);
}

describe('netshParser.detect', () => {
  it('claims every export and script fixture except the binary junk', () => {
    const claimed = (folder: string): Record<string, boolean> =>
      Object.fromEntries(readdirSync(join(FIXTURES, folder)).map((name) => [name, netshParser.detect(`${folder}/${name}`, headOf(`${folder}/${name}`))]));
    expect(claimed('exports')).toEqual({
      'bad-values.txt': true,
      'binary-junk.txt': false,
      'branch-office.txt': true,
      'contoso-admin.txt': true,
      'german.txt': true,
      'lumen-win-vm.txt': true,
      'no-rules.txt': true,
      'scaleio-sds-01.txt': true,
      'truncated.txt': true,
    });
    expect(Object.values(claimed('scripts')).every(Boolean)).toBe(true);
  });

  it('claims .cmd, .bat and .ps1 files by extension, in any case', () => {
    expect(netshParser.detect('deploy/fw.cmd', '')).toBe(true);
    expect(netshParser.detect('deploy/FW.BAT', '@echo off')).toBe(true);
    expect(netshParser.detect('deploy/Setup-Firewall.Ps1', '')).toBe(true);
  });

  it('claims a .txt only when its head holds a netsh firewall command', () => {
    expect(netshParser.detect('notes/rules.txt', 'netsh advfirewall firewall add rule name=x dir=in action=allow')).toBe(true);
    expect(netshParser.detect('notes/legacy.txt', 'netsh firewall add portopening TCP 80 Web')).toBe(true);
    expect(netshParser.detect('notes/netsh.txt', 'advfirewall firewall\r\nadd rule name=x dir=in action=allow')).toBe(true);
    expect(netshParser.detect('notes/todo.txt', 'remember to open the firewall')).toBe(false);
    expect(netshParser.detect('notes/rules.log', 'netsh advfirewall firewall add rule name=x dir=in action=allow')).toBe(false);
  });

  it('claims exports by content whatever their extension', () => {
    const english = '\r\nRule Name:                            RDP\r\n' + SEPARATOR + '\r\nEnabled:                              Yes\r\n';
    expect(netshParser.detect('exports/dc01.txt', english)).toBe(true);
    expect(netshParser.detect('exports/dc01.log', english)).toBe(true);
    expect(netshParser.detect('exports/dc01', `\uFEFF${english}`)).toBe(true);
    expect(netshParser.detect('exports/empty.out', '\r\nNo rules match the specified criteria.\r\n')).toBe(true);
  });

  it('claims a non-English export by its 70-hyphen separator under a padded label, so that it fails loudly', () => {
    const german = 'Regelname:                            RDP\r\n' + SEPARATOR + '\r\nAktiviert:                            Ja\r\n';
    const japanese = '規則名：                              RDP\n' + SEPARATOR + '\n';
    expect(netshParser.detect('exports/de.txt', german)).toBe(true);
    expect(netshParser.detect('exports/ja.txt', japanese)).toBe(true);
  });

  it('does not claim other formats or text that merely looks similar', () => {
    const english = 'Rule Name:                            RDP\n' + SEPARATOR + '\n';
    expect(netshParser.detect('docs/windows.md', english)).toBe(false);
    expect(netshParser.detect('main.tf', 'resource "aws_security_group" "web" {}')).toBe(false);
    expect(netshParser.detect('template.json', '{"Rule Name:": 1}')).toBe(false);
    expect(netshParser.detect('notes/report.txt', `Quarterly report\n${SEPARATOR}\nAll good.`)).toBe(false);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), fc.string({ maxLength: 5000 }), (path, head) => typeof netshParser.detect(path, head) === 'boolean'));
  });
});
