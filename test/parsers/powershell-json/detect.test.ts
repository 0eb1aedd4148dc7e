import { PARSERS } from '../../../src/parsers';
import { isPowerShellRuleExport } from '../../../src/parsers/powershell-json/detect';

const RULE = '{"Name": "x", "DisplayName": "RDP", "Enabled": "True", "Direction": "Inbound", "Action": "Allow"}';

describe('PowerShell rule export detection (formats.md §4.5)', () => {
  it.each([
    ['an array of rule objects', 'rules.json', `[\r\n    ${RULE},\r\n    ${RULE}\r\n]\r\n`],
    ['one rule object (ConvertTo-Json of a single rule)', 'rules.json', RULE],
    ['a UTF-8 byte-order mark before the array', 'rules.json', `\uFEFF[${RULE}]`],
    ['properties in another order', 'host.JSON', '{"Action": "Block", "Direction": "Outbound", "DisplayName": "x"}'],
    ['a first object cut by the 4 KiB head after the three properties', 'rules.json', `[{"DisplayName": "a", "Direction": "Inbound", "Action": "Allow", "Description": "${'x'.repeat(5000)}`],
    ['Windows PowerShell 5.1\'s {"value": [...], "Count": n} wrapper', 'rules.json', `{\r\n    "value":  [\r\n                  ${RULE}\r\n              ],\r\n    "Count":  1\r\n}`],
    ['integer enums (the parser explains them)', 'rules.json', '{"DisplayName": "x", "Direction": 1, "Action": 2}'],
  ])('claims %s', (_name, path, text) => {
    expect(isPowerShellRuleExport(path, text)).toBe(true);
  });

  // QA 10 item 01: a rule listing hundreds of addresses before its Direction went past the 4 KiB head.
  it('reads the first rule object past the 4 KiB head when the whole text is given', () => {
    const text = `[{"DisplayName": "Block bad IPs", "RemoteAddress": [${'"203.0.113.1", '.repeat(400)}"203.0.113.2"], "Direction": "Inbound", "Action": "Block"}]`;
    expect(isPowerShellRuleExport('rules.json', text.slice(0, 4096))).toBe(false);
    expect(isPowerShellRuleExport('rules.json', text.slice(0, 4096), text)).toBe(true);
  });

  it.each([
    ['a file that is not .json', 'rules.txt', RULE],
    ['an object without Action', 'rules.json', '{"DisplayName": "x", "Direction": "Inbound"}'],
    ['the properties nested deeper than a rule object', 'rules.json', '{"rules": {"DisplayName": "x", "Direction": "Inbound", "Action": "Allow"}}'],
    ['the properties only in the second array item', 'rules.json', `[{"a": 1}, ${RULE}]`],
    ['an empty array', 'rules.json', '[]'],
    ['a string mentioning the properties', 'rules.json', '"DisplayName: Direction: Action:"'],
    ['a CloudFormation template', 'stack.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}'],
    ['a package.json', 'package.json', '{"name": "x", "version": "1.0.0"}'],
    // QA 10 item 08: an application's settings with the three keys failed the scan with exit 2.
    ['an application\'s JSON whose Direction and Action are no rule values', 'grid.json', '{"DisplayName": "Orders grid", "Direction": "Descending", "Action": "Sort"}'],
    ['keys in string values only', 'rules.json', '{"note": "\\"DisplayName\\": 1, \\"Direction\\": 2, \\"Action\\": 3"}'],
  ])('leaves %s alone', (_name, path, text) => {
    expect(isPowerShellRuleExport(path, text)).toBe(false);
  });

  it('never throws on hostile input', () => {
    for (const text of ['', '[', '{', '"', '{"', '[{"DisplayName"', '\uFEFF', '}}}]]]', '{"a\\', '{"DisplayName":']) {
      expect(() => isPowerShellRuleExport('x.json', text)).not.toThrow();
    }
    expect(isPowerShellRuleExport(undefined as unknown as string, RULE)).toBe(false);
  });

  it('is the only parser of the registry that claims an export', () => {
    expect(PARSERS.filter((parser) => parser.detect('web01.json', `[${RULE}]`, `[${RULE}]`)).map((parser) => parser.kind)).toEqual(['powershell']);
  });
});
