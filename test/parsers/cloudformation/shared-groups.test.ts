import { join } from 'node:path';
import type { SourceFile } from '../../../src/model';
import { cloudFormationParser, cloudFormationUnitGroups } from '../../../src/parsers/cloudformation';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT } from '../../helpers/scan-fixture';

function file(path: string, text: string): SourceFile {
  return { path, absolutePath: join(REPO_ROOT, path), text, encoding: 'utf-8' };
}

/** A template of standalone rules: `[logicalId, groupId or aclId, CIDR]`. */
function template(rules: Array<[string, string, string]>): string {
  return `Resources:\n${rules.map(([id, group, cidr]) => group.startsWith('acl-')
    ? `  ${id}:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: ${group}, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: ${cidr}, PortRange: { From: 22, To: 22 } }\n`
    : `  ${id}:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: ${group}, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: ${cidr} }\n`).join('')}`;
}

describe('CloudFormation: an existing group named by its literal id in several templates', () => {
  it('is one target holding every template\'s rules; a rule id another template already has there names its file', () => {
    const result = cloudFormationParser.parse([
      file('a.yaml', template([['Ssh', 'sg-0123abcd', '0.0.0.0/1'], ['Entry', 'acl-0123abcd', '10.0.0.0/8']])),
      file('b.yaml', template([['Ssh', 'sg-0123abcd', '128.0.0.0/1'], ['Other', 'sg-0999', '10.0.0.0/8']])),
      file('c.yaml', template([['Entry', 'acl-0123abcd', '10.1.0.0/16']])),
    ], { vars: {}, varFiles: [], params: {} });
    expect(result.targets.map((t) => `${t.id} ${t.location.file}: ${t.rules.map((r) => `${r.id} ${r.location.file}`).join(', ')}`)).toEqual([
      'sg-0123abcd a.yaml: Ssh a.yaml, Ssh@b.yaml b.yaml',
      'acl-0123abcd a.yaml: Entry a.yaml, Entry@c.yaml c.yaml',
      'sg-0999 b.yaml: Other b.yaml',
    ]);
  });

  it('groups the templates that mention one id into one parse unit, at its first template\'s place', () => {
    const files = [
      file('a.yaml', 'GroupId: sg-0aaa'),
      file('alone.yaml', 'CidrIp: 10.0.0.0/8'),
      file('b.yaml', 'GroupId: SG-0AAA\nNetworkAclId: acl-0bbb'),
      file('c.yaml', 'NetworkAclId: acl-0bbb'),
      file('d.yaml', 'GroupId: sg-0ccc'),
    ];
    expect(cloudFormationUnitGroups(files).map((group) => group.map((each) => each.path))).toEqual([
      ['a.yaml', 'b.yaml', 'c.yaml'],
      ['alone.yaml'],
      ['d.yaml'],
    ]);
  });

  it('reports the rules that open it together in every template, streamed or not; a suppression mutes its own template\'s rule only', () => {
    for (const keepModel of [true, false]) {
      const result = scan({ paths: ['fixtures/cloudformation/shared-group'], cwd: REPO_ROOT, today: '2026-11-23', keepModel });
      expect(result.diagnostics).toEqual([]);
      expect(result.stats.targets).toBe(2);
      expect(result.findings.map((f) => `${f.checkId} ${f.targetId} ${f.ruleId} ${f.location.file.replace(/.*\//, '')}:${f.location.range.startLine}${f.suppression ? ' suppressed' : ''}`)).toEqual([
        'FW101 sg-0123456789abcdef0 Ssh a.yaml:6',
        'FW101 sg-0123456789abcdef0 Rdp a.yaml:10 suppressed',
        'FW101 sg-0123456789abcdef0 Ssh@fixtures/cloudformation/shared-group/b.yaml b.yaml:7',
        'FW101 sg-0123456789abcdef0 Rdp@fixtures/cloudformation/shared-group/b.yaml b.yaml:10',
      ]);
    }
  });
});

// Open item 4 of session 13: a group id given only with `--param` (or a parameter file) left the template in a parse
// unit of its own, so its rules and those of a template writing the id were two targets `sg-…`, each judged alone.
describe('CloudFormation: an existing group named by a parameter given its literal id', () => {
  it('counts a template mentioning the parameter as mentioning the id, for parse units', () => {
    const files = [file('a.yaml', 'GroupId: !Ref WebSgId'), file('b.yaml', 'GroupId: sg-0aaa'), file('c.yaml', 'GroupId: !Ref WebSgIdOld')];
    expect(cloudFormationUnitGroups(files, { WebSgId: 'sg-0AAA' }).map((group) => group.map((each) => each.path))).toEqual([['a.yaml', 'b.yaml'], ['c.yaml']]);
    expect(cloudFormationUnitGroups(files).map((group) => group.map((each) => each.path))).toEqual([['a.yaml'], ['b.yaml'], ['c.yaml']]);
  });

  it('is one target with the rules of a template writing the id: rules opening it together are FW101 in both', () => {
    const folder = 'fixtures/cloudformation/shared-group-param';
    const result = scan({ paths: [folder], cwd: REPO_ROOT, today: '2026-11-23', parse: { vars: {}, varFiles: [], params: { WebSgId: 'sg-0a1b2c3d4e5f60718' } } });
    expect(result.diagnostics).toEqual([]);
    expect(result.stats.targets).toBe(1);
    expect(result.findings.map((f) => `${f.checkId} ${f.targetId} ${f.ruleId} ${f.location.file.replace(/.*\//, '')}:${f.location.range.startLine}`)).toEqual([
      'FW101 sg-0a1b2c3d4e5f60718 SshLow a.yaml:13',
      'FW101 sg-0a1b2c3d4e5f60718 SshHigh b.yaml:10',
    ]);
  });
});
