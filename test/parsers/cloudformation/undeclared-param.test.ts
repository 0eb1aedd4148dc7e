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
