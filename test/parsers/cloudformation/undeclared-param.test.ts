import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';

/** CloudFormation rejects a parameter the template does not declare; fwlint warns, so a typo does not go unnoticed. */
describe('--param and --param-file values no scanned template declares', () => {
  let root = '';
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-undeclared-param-'));
    const template = (parameter: string): string =>
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Parameters:',
        `  ${parameter}: {Type: String, Default: 10.0.0.0/8}`,
        'Resources:',
        '  SG:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: x',
        `      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref ${parameter}}]`,
        '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
        '',
      ].join('\n');
    fs.writeFileSync(path.join(root, 'a.yaml'), template('AdminCidr'));
    fs.writeFileSync(path.join(root, 'b.yaml'), template('OfficeCidr'));
    fs.writeFileSync(path.join(root, 'params.json'), JSON.stringify([
      { ParameterKey: 'OfficeCidr', ParameterValue: '0.0.0.0/0' },
      { ParameterKey: 'Unused', ParameterValue: 'x' },
    ]));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    [1, true],
    [2, false],
  ])('warns once per name, naming where it was given and a declared name that differs in case (%i parse thread(s), keepModel %s)', (workers, keepModel) => {
    const result = scan({
      paths: ['a.yaml', 'b.yaml'],
      cwd: root,
      today: '2026-11-23',
      workers,
      keepModel,
      paramFiles: [path.join(root, 'params.json')],
      parse: { vars: {}, varFiles: [], params: { AdminCIDR: '0.0.0.0/0', 'AWS::Region': 'eu-west-1' } },
    });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.file, diagnostic.message])).toEqual([
      ['parse/cfn-undeclared-param', 'warning', '', '--param AdminCIDR: no scanned CloudFormation template declares parameter "AdminCIDR"; the value is not used (did you mean AdminCidr? names are case-sensitive)'],
      ['parse/cfn-undeclared-param', 'warning', 'params.json', 'parameter Unused: no scanned CloudFormation template declares parameter "Unused"; the value is not used'],
    ]);
    // OfficeCidr (declared in b.yaml) took effect from the file: SSH from the world there only.
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.location.file)).toEqual(['b.yaml']);
  });

  it('says nothing when no value is given', () => {
    const result = scan({ paths: ['a.yaml'], cwd: root, today: '2026-11-23', workers: 1 });
    expect(result.diagnostics).toEqual([]);
  });
});

// Regression (QA s13 #8): `scan --param wmi-port=30000`, the flag `render` and `profiles show` take for the pack
// parameter, gave only the CloudFormation warning; it now says where a pack parameter goes. --param stays CloudFormation's.
describe('--param naming a parameter of a rule pack mapped in the scan', () => {
  let root = '';
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-pack-param-'));
    fs.writeFileSync(path.join(root, 'sds.cmd'), 'REM fwlint:profile dell-emc-scaleio/sds\nnetsh advfirewall firewall add rule name="WMI" dir=in action=allow protocol=TCP localport=30000 remoteip=10.10.0.5\n');
    fs.writeFileSync(path.join(root, 'linux.cmd'), 'REM fwlint:profile lumen-cloud/linux\nnetsh advfirewall firewall add rule name="SSH" dir=in action=allow protocol=TCP localport=22 remoteip=10.10.0.5\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    [1, true],
    [2, false],
  ])('names the pack and the targets[].parameters form (%i parse thread(s), keepModel %s)', (workers, keepModel) => {
    const result = scan({ paths: ['sds.cmd', 'linux.cmd'], cwd: root, today: '2026-11-23', workers, keepModel, parse: { vars: {}, varFiles: [], params: { 'wmi-port': '30000' } } });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ['parse/cfn-undeclared-param', '--param wmi-port: no scanned CloudFormation template declares parameter "wmi-port"; the value is not used; wmi-port is a parameter of rule pack dell-emc-scaleio, which scan does not take from --param: set it for its targets with `parameters: { wmi-port: 30000 }` in a .fwlint.yaml targets entry'],
    ]);
  });

  it('says nothing of packs where no target is mapped to a pack with that parameter', () => {
    const result = scan({ paths: ['linux.cmd'], cwd: root, today: '2026-11-23', workers: 1, parse: { vars: {}, varFiles: [], params: { 'wmi-port': '30000' } } });
    expect(result.diagnostics.map((diagnostic) => diagnostic.message)).toEqual(['--param wmi-port: no scanned CloudFormation template declares parameter "wmi-port"; the value is not used']);
  });
});
