import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Alias } from 'yaml';
import { describePeer, type ParseResult } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';
import { ALIAS_EXPANSION_BUDGET } from '../../../src/parsers/cloudformation/limits';

const repoRoot = join(__dirname, '../../..');

function parseText(path: string, text: string): ParseResult {
  return cloudFormationParser.parse([{ path, absolutePath: join(repoRoot, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });
}

function parseFixture(relative: string): ParseResult {
  const path = `fixtures/cloudformation/${relative}`;
  return parseText(path, readFileSync(join(repoRoot, path), 'utf8'));
}

/** `severity code line:column` of every diagnostic. */
function located(result: ParseResult): string[] {
  return result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn}`);
}

describe('CloudFormation parse errors', () => {
  it('reports YAML syntax errors with line and column, and keeps what it could read', () => {
    const result = parseFixture('errors/bad-syntax.yaml');
    const syntax = result.diagnostics.filter((d) => d.code === 'parse/cfn-yaml-syntax');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0]).toMatchObject({ severity: 'error', file: 'fixtures/cloudformation/errors/bad-syntax.yaml', range: { startLine: 10, startColumn: 1 } });
    expect(syntax[0]!.message).toMatch(/^YAML syntax error: /);
    expect(result.targets.map((t) => t.id)).toEqual(['BrokenSG']);
  });

  it('stops an alias bomb at its budget with a located error', () => {
    // Every YAML node the reader converts, an alias's copies included, is asked whether it is an alias: 9^9 of them
    // without the budget, the budget and the text's own nodes with it.
    const isAlias = jest.spyOn(jest.requireActual<typeof import('yaml')>('yaml'), 'isAlias');
    const result = parseFixture('errors/alias-bomb.yaml');
    const converted = isAlias.mock.calls.length;
    isAlias.mockRestore();
    expect(converted).toBeLessThan(ALIAS_EXPANSION_BUDGET + 2 * readFileSync(join(repoRoot, 'fixtures/cloudformation/errors/alias-bomb.yaml'), 'utf8').length);
    expect(located(result)).toEqual(['warning parse/cfn-yaml-alias 4:10', 'error parse/cfn-alias-limit 7:10']);
    expect(result.diagnostics[1]!.message).toContain('alias bomb');
    // Only the expansion stops; the resources after it are still read.
    expect(result.targets.map((t) => t.id)).toEqual(['BombSG']);
  });

  // Regression (QA): the first value was used, whereas CloudFormation deploys the last: a world-open rule written
  // second went unreported.
  it.each(['yaml', 'json'])('reports duplicate keys in %s with both lines, and uses the last, as CloudFormation does', (extension) => {
    const result = parseFixture(`errors/duplicate-keys.${extension}`);
    const [duplicate] = result.diagnostics;
    const [first, second] = extension === 'yaml' ? [11, 12] : [13, 14];
    expect(result.diagnostics).toHaveLength(1);
    expect(duplicate).toMatchObject({ severity: 'error', code: 'parse/cfn-duplicate-key', range: { startLine: second } });
    expect(duplicate!.message).toBe(`duplicate key "CidrIp" (first defined on line ${first}); the last one is used, as CloudFormation does`);
    const [ingress] = result.targets[0]!.rules.filter((r) => !r.synthetic);
    expect(ingress!.peer).toMatchObject({ kind: 'addresses', text: '0.0.0.0/0' });
  });

  it('reports an unknown tag with its line and treats its value as unknown, not open', () => {
    const result = parseFixture('errors/unknown-tag.yaml');
    expect(located(result)).toEqual(['error parse/cfn-unknown-tag 11:19']);
    expect(result.diagnostics[0]!.message).toMatch(/^unknown tag !Reff: CloudFormation short forms are !Ref, /);
    const [rule] = result.targets[0]!.rules.filter((r) => !r.synthetic);
    expect(rule!.peer).toEqual({ kind: 'unknown', expr: '!Reff AdminCidr' });
    expect(rule!.unknowns).toEqual([{ field: 'CidrIp', expr: '!Reff AdminCidr', location: { file: 'fixtures/cloudformation/errors/unknown-tag.yaml', range: { startLine: 11, startColumn: 19, endLine: 11, endColumn: 34 } } }]);
  });

  it('explains stacked short forms and still reads the rest of the template', () => {
    const result = parseFixture('errors/stacked-tags.yaml');
    expect(located(result)).toEqual(['error parse/cfn-stacked-tags 7:25']);
    expect(result.diagnostics[0]!.message).toContain('Fn::Base64: !Sub');
    expect(result.targets.map((t) => t.id)).toEqual(['StackedSG']);
  });

  it('rejects comments and trailing commas in JSON templates', () => {
    expect(located(parseFixture('errors/comment.json'))).toEqual(['error parse/cfn-json-syntax 3:3']);
    expect(parseFixture('errors/comment.json').diagnostics[0]!.message).toBe('JSON syntax error: comments are not allowed in JSON');
    expect(located(parseFixture('errors/trailing-comma.json'))).toEqual(['error parse/cfn-json-syntax 10:9']);
  });

  it('expands many aliases in linear time, each to the last anchor of its name before it', () => {
    // `Alias.resolve` walks the whole document per alias: 16k aliases took 27 s. One walk now finds every anchor.
    const resolve = jest.spyOn(Alias.prototype, 'resolve');
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Metadata:',
      '  A: &cidr 10.0.0.0/8',
      '  B: &cidr 0.0.0.0/0',
      '  K: &peer CidrIp',
      '  X: &x a',
      '  L:',
      ...Array.from({ length: 16_000 }, () => '    - *x'),
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: t',
      '      SecurityGroupEgress: []',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: *cidr }',
      '        - { IpProtocol: tcp, FromPort: 80, ToPort: 80, *peer : 192.0.2.0/24 }',
      '',
    ].join('\n');
    const result = parseText('aliases.yaml', text);
    expect(resolve).not.toHaveBeenCalled();
    resolve.mockRestore();
    expect(located(result)).toEqual(['warning parse/cfn-yaml-alias 8:7']);
    const rules = result.targets.find((t) => t.id === 'Sg')!.rules.filter((r) => r.direction === 'in');
    expect(rules.map((r) => `${r.ports.toString()} ${describePeer(r.peer)}`)).toEqual(['22 0.0.0.0/0', '80 192.0.2.0/24']);
  });

  // Regression (fuzzing): an alias bomb whose first anchor is missing gave one "has no anchor" error per expanded
  // copy of each alias, 1,549 errors at 3 places.
  it('reports an alias without an anchor once, however often other aliases copy it', () => {
    const text = ['AWSTemplateFormatVersion: "2010-09-09"', 'Metadata:', '  b: &b [*a, *a]', '  c: &c [*b, *b, *b]', '  d: [*c, *c, *c, *c]', ''].join('\n');
    expect(located(parseText('orphan.yaml', text))).toEqual(['warning parse/cfn-yaml-alias 3:10', 'error parse/cfn-yaml-alias 3:10', 'error parse/cfn-yaml-alias 3:14']);
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    const deep = `{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(located(parseText('deep.json', deep))).toEqual(['error parse/cfn-too-deep 1:255']);
    const deepYaml = `AWSTemplateFormatVersion: "2010-09-09"\nMetadata: ${'['.repeat(300)}${']'.repeat(300)}\n`;
    expect(parseText('deep.yaml', deepYaml).diagnostics.map((d) => d.code)).toContain('parse/cfn-too-deep');
  });

  it('reports YAML features CloudFormation does not support', () => {
    const cycle = parseText('cycle.yaml', 'AWSTemplateFormatVersion: x\nMetadata: &a [1, *a]\n');
    expect(located(cycle)).toEqual(['warning parse/cfn-yaml-alias 2:18', 'error parse/cfn-yaml-alias 2:18']);
    expect(located(parseText('binary.yaml', 'AWSTemplateFormatVersion: x\nMetadata: !!binary aGk=\n'))).toEqual(['error parse/cfn-unknown-tag 2:11']);
    expect(located(parseText('merge.yaml', 'AWSTemplateFormatVersion: x\nMetadata:\n  <<: {A: 1}\n'))).toEqual(['warning parse/cfn-yaml-merge 3:3']);
    expect(located(parseText('multi.yaml', 'AWSTemplateFormatVersion: x\n---\nResources: {}\n'))).toEqual(['error parse/cfn-yaml-syntax 2:1']);
    // Regression (QA-13 13): the message was the YAML library's advice to its caller ("please use YAML.parseAllDocuments()").
    expect(parseText('multi.yaml', '# network\n---\nAWSTemplateFormatVersion: x\n---\nResources: {}\n').diagnostics.map((d) => `${d.range?.startLine}:${d.range?.startColumn} ${d.message}`)).toEqual([
      '4:1 a CloudFormation template is one YAML document, but a second one starts on line 4 (`---`): split the file into one template per file; only the first document is read',
    ]);
  });

  // Regression (QA-13 11): `<<: *pg` items were read with `<<` as a property, so each lost what it merges and was
  // dropped with a false "IpProtocol is required", the world-open rules it wrote unchecked.
  it('merges YAML merge keys as `aws cloudformation package` does, entries keeping their place, with one warning', () => {
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  DbSG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: db',
      '      SecurityGroupIngress:',
      '        - &pg',
      '          IpProtocol: tcp',
      '          FromPort: 5432',
      '          ToPort: 5432',
      '          CidrIp: 10.0.0.0/8',
      '        - <<: *pg',
      '          CidrIp: 0.0.0.0/0',
      '        - { FromPort: 3389, <<: [*pg, {ToPort: 1, Description: rdp}], ToPort: 3389, CidrIp: 0.0.0.0/0 }',
      '        - { "<<": *pg }',
      '        - { <<: [1, *pg] }',
      '      SecurityGroupEgress: []',
      '',
    ].join('\n');
    const result = parseText('anchors.yaml', template);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`)).toEqual([
      'warning parse/cfn-yaml-merge 13:11 the CloudFormation service does not accept YAML merge keys (<<); fwlint merges them as `aws cloudformation package` and SAM do before deploying',
      'warning parse/cfn-yaml-alias 13:15 CloudFormation does not support YAML aliases (template-formats); fwlint expands them, the deployment would fail',
      // A quoted "<<" is an ordinary key; a merge of what is no mapping is not read.
      'error parse/cfn-yaml-merge 17:17 a merge key (<<) takes a mapping or a list of mappings; it is not read',
      'error parse/cfn-missing-property 16:11 DbSG.SecurityGroupIngress[3]: IpProtocol is required',
      'error parse/cfn-missing-property 17:11 DbSG.SecurityGroupIngress[4]: IpProtocol is required',
    ]);
    const rules = result.targets[0]!.rules.filter((rule) => rule.direction === 'in').map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${describePeer(rule.peer)} @${rule.peerLocation?.range.startLine} ${rule.description ?? ''}`);
    expect(rules).toEqual([
      'DbSG.SecurityGroupIngress[0] 5432 10.0.0.0/8 @12 ',
      'DbSG.SecurityGroupIngress[1] 5432 0.0.0.0/0 @14 ',
      // The mapping's own keys win over merged ones, the first merged mapping over the next.
      'DbSG.SecurityGroupIngress[2] 3389 0.0.0.0/0 @15 rdp',
    ]);
  });

  it('reports input that is not a template mapping', () => {
    expect(located(parseText('list.yaml', '- AWSTemplateFormatVersion: x\n'))).toEqual(['error parse/cfn-not-a-template 1:1']);
    expect(located(parseText('empty.yaml', ''))).toEqual(['error parse/cfn-not-a-template 1:1']);
    expect(parseText('huge.yaml', `# ${'x'.repeat(9 * 1024 * 1024)}\n`).diagnostics.map((d) => d.code)).toEqual(['parse/cfn-too-large']);
  });

  it('reads a JSON template with a byte-order mark and a YAML template with CRLF line ends', () => {
    expect(parseText('bom.json', '\uFEFF{"AWSTemplateFormatVersion": "2010-09-09"}').diagnostics).toEqual([]);
    const crlf = 'Resources:\r\n  Sg:\r\n    Type: AWS::EC2::SecurityGroup\r\n    Properties:\r\n      SecurityGroupIngress:\r\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\r\n';
    const [rule] = parseText('crlf.yaml', crlf).targets[0]!.rules.filter((r) => !r.synthetic);
    expect(rule!.location.range).toEqual({ startLine: 6, startColumn: 11, endLine: 6, endColumn: 73 });
    expect(rule!.peerLocation!.range).toEqual({ startLine: 6, startColumn: 63, endLine: 6, endColumn: 72 });
  });

  // Regression (QA): a number beyond double precision was quoted as JavaScript printed it (`100000000000000000000`).
  it('quotes a bad number as the template writes it, in YAML and in JSON', () => {
    const yaml = [
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 99999999999999999999, ToPort: 22, CidrIp: 0.0.0.0/0 }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 1e6, CidrIp: 0.0.0.0/0 }',
      '        - { IpProtocol: 1e300, CidrIp: 0.0.0.0/0 }',
      '',
    ].join('\n');
    expect(parseText('big.yaml', yaml).diagnostics.map((d) => d.message)).toEqual([
      'Sg.SecurityGroupIngress[0]: FromPort 99999999999999999999 is not an integer in 0-65535',
      'Sg.SecurityGroupIngress[1]: ToPort 1e6 is not an integer in 0-65535',
      'Sg.SecurityGroupIngress[2]: IpProtocol "1e300" is not a protocol name or number (0-255, or -1 for all)',
    ]);
    const json = '{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [\n'
      + '{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 99999999999999999999.0, "CidrIp": "0.0.0.0/0"}]}}}}';
    expect(parseText('big.json', json).diagnostics.map((d) => d.message)).toEqual([
      'Sg.SecurityGroupIngress[0]: ToPort 99999999999999999999.0 is not an integer in 0-65535',
    ]);
  });

  it('says that the parameters a nested stack passes to a local template are not followed', () => {
    const stack = (id: string, url: string, extra = '') => `  ${id}:\n    Type: AWS::CloudFormation::Stack\n${extra}    Properties:\n      TemplateURL: ${url}\n      Parameters: { AdminCidr: 0.0.0.0/0, Port: "22" }\n`;
    const text = [
      'Parameters:\n  Env: { Type: String, Default: dev }\n',
      'Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n',
      'Resources:\n',
      stack('Bastion', './bastion.yaml'),
      stack('Packaged', 'https://s3.amazonaws.com/bucket/bastion.yaml'),
      stack('ProdOnly', 'nested/bastion.yaml', '    Condition: IsProd\n'),
      '  NoParameters:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: ./bastion.yaml }\n',
    ].join('');
    expect(parseText('parent.yaml', text).diagnostics.map((d) => `${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`)).toEqual([
      'parse/cfn-nested-stack 10:7 nested stack Bastion: the parameters it passes to ./bastion.yaml (AdminCidr, Port) are not followed, as bastion.yaml is not among the scanned templates; that template is checked with its own parameter values',
    ]);
  });

  it('reports references to things the template does not define', () => {
    const text = [
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      SecurityGroupEgress: []',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [NoSuchCondition, 10.0.0.0/8, 0.0.0.0/0] }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: !GetAtt Missing.GroupId }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !FindInMap [NoMap, a, b] }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Select [3, [a, b]] }',
      '',
    ].join('\n');
    const result = parseText('refs.yaml', text);
    expect(located(result)).toEqual([
      'error parse/cfn-unknown-condition 7:69',
      'error parse/cfn-unresolved-ref 8:79',
      'error parse/cfn-mapping 9:64',
      'error parse/cfn-select-range 10:64',
    ]);
    expect(result.targets[0]!.rules.filter((r) => !r.synthetic).every((r) => r.peer.kind === 'unknown')).toBe(true);
  });
});
