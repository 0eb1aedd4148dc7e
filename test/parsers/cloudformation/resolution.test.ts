import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentKeyOf, describePeer, protocolName, type ParseResult, type Rule, type Target } from '../../../src/model';
import { cloudFormationParser, loadParameterFile, readParameterFile } from '../../../src/parsers/cloudformation';
import { PREVIOUS_VALUE } from '../../../src/parsers/cloudformation/parameter-file';
import { Template } from '../../../src/parsers/cloudformation/evaluator';

const repoRoot = join(__dirname, '../../..');

function parseText(path: string, text: string, params: Record<string, string> = {}): ParseResult {
  return cloudFormationParser.parse([{ path, absolutePath: join(repoRoot, path), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params });
}

function parseFixture(relative: string, params: Record<string, string> = {}): ParseResult {
  const path = `fixtures/cloudformation/${relative}`;
  return parseText(path, readFileSync(join(repoRoot, path), 'utf8'), params);
}

function brief(rule: Rule): string {
  return `${rule.direction} ${protocolName(rule.protocol)} ${rule.ports.toString()} ${describePeer(rule.peer)}`;
}

function target(result: ParseResult, id: string): Target {
  const found = result.targets.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no target ${id}`);
  return found;
}

/** `id: direction protocol ports peer` for every rule of a target. */
function listing(result: ParseResult, id: string): string[] {
  return target(result, id).rules.map((r) => `${r.id}: ${brief(r)}`);
}

/** A one-resource template around a list of ingress items, for small cases (it gets the default egress). */
function groupTemplate(parameters: string, ingress: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"\n${parameters}Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: t\n      SecurityGroupEgress: []\n      SecurityGroupIngress:\n${ingress}`;
}

describe('CloudFormation value resolution', () => {
  it('resolves Ref, Select over a list parameter, Sub (both forms), Join/Split and FindInMap with a Ref key', () => {
    const result = parseFixture('resolution/parameters.yaml');
    expect(listing(result, 'ResolvedSG').slice(0, 6)).toEqual([
      'ResolvedSG.SecurityGroupIngress[0]: in tcp 22 0.0.0.0/0',
      'ResolvedSG.SecurityGroupIngress[1]: in tcp 8443 192.168.0.0/16',
      'ResolvedSG.SecurityGroupIngress[2]: in tcp 443 172.16.0.0/16',
      'ResolvedSG.SecurityGroupIngress[3]: in tcp 443 10.30.0.0/16',
      'ResolvedSG.SecurityGroupIngress[4]: in tcp 443 10.20.0.0/16',
      'ResolvedSG.SecurityGroupIngress[5]: in tcp 443 198.51.100.0/24',
    ]);
    const rules = target(result, 'ResolvedSG').rules;
    // `${!Literal}` is an escape, not a variable.
    expect(rules[2]!.description).toBe('literal ${NotAVar} kept');
    // Values read through a parameter or mapping are located where the rule uses them.
    expect(rules[0]!.peerLocation?.range).toEqual({ startLine: 53, startColumn: 19, endLine: 53, endColumn: 33 });
    expect(rules[5]!.peerLocation?.range).toMatchObject({ startLine: 76, startColumn: 19 });
  });

  it('records what it cannot resolve as unknown peers, never as open', () => {
    const result = parseFixture('resolution/parameters.yaml');
    const unknown = target(result, 'ResolvedSG').rules.filter((r) => r.unknowns.length > 0);
    expect(unknown.map((r) => [r.id, r.peer, r.unknowns.map((u) => `${u.field} ${u.expr} @${u.location.range.startLine}`)])).toEqual([
      ['ResolvedSG.SecurityGroupIngress[6]', { kind: 'unknown', expr: '!ImportValue shared-cidr' }, ['CidrIp !ImportValue shared-cidr @80']],
      ['ResolvedSG.SecurityGroupIngress[7]', { kind: 'unknown', expr: '!GetAtt Vpc.CidrBlock' }, ['CidrIp !GetAtt Vpc.CidrBlock @84']],
      ['ResolvedSG.SecurityGroupIngress[8]', { kind: 'unknown', expr: '!Ref SsmCidr' }, ['CidrIp !Ref SsmCidr @88']],
      ['ResolvedSG.SecurityGroupIngress[9]', { kind: 'unknown', expr: '!Sub ${AWS::Region}' }, ['CidrIp !Sub ${AWS::Region} @92']],
      // An unresolved port keeps the rule with no ports: it allows nothing until the value is known.
      ['ResolvedSG.SecurityGroupIngress[12]', expect.objectContaining({ kind: 'addresses', text: '10.50.0.0/16' }), ['FromPort !Ref UnsetPort @99']],
    ]);
    expect(unknown[4]!.ports.isEmpty()).toBe(true);
    expect(result.diagnostics.map((d) => `${d.code} ${d.range?.startLine} ${d.message}`)).toEqual([
      'parse/cfn-unresolved-ref 99 !Ref UnsetPort: no parameter or resource of that name',
    ]);
  });

  it('decides conditions from parameter defaults: a removed list item and a chosen branch', () => {
    const result = parseFixture('resolution/parameters.yaml');
    const rules = target(result, 'ResolvedSG').rules;
    // HasV6 is false (V6Cidr defaults to ""), so the else branch; IsOffice is true, so item 11 is AWS::NoValue.
    expect(brief(rules.find((r) => r.id === 'ResolvedSG.SecurityGroupIngress[10]')!)).toBe('in tcp 443 10.40.0.0/16');
    expect(rules.some((r) => r.id.startsWith('ResolvedSG.SecurityGroupIngress[11]'))).toBe(false);
    expect(rules.every((r) => !r.id.includes('?'))).toBe(true);
  });

  it('lets --param values override defaults, conditions included', () => {
    const result = parseFixture('resolution/parameters.yaml', { AdminCidr: '198.51.100.7/32', Tier: 'datacenter' });
    const rules = target(result, 'ResolvedSG').rules;
    expect(brief(rules[0]!)).toBe('in tcp 22 198.51.100.7/32');
    expect(brief(rules.find((r) => r.id === 'ResolvedSG.SecurityGroupIngress[5]')!)).toBe('in tcp 443 192.0.2.0/24');
    // Tier is no longer "office", so IsOffice is false and item 11 exists.
    expect(brief(rules.find((r) => r.id === 'ResolvedSG.SecurityGroupIngress[11]')!)).toBe('in tcp 80 0.0.0.0/0');
  });

  it('reads a parameters file in the CLI form; UsePreviousValue is the deployed value, unknown here (never the default)', () => {
    const text = readFileSync(join(repoRoot, 'fixtures/cloudformation/resolution/params.json'), 'utf8');
    expect(loadParameterFile(text)).toEqual({ AdminCidr: '198.51.100.7/32', Env: 'prod', Tier: PREVIOUS_VALUE });
    const result = parseFixture('resolution/parameters.yaml', loadParameterFile(text));
    expect(brief(target(result, 'ResolvedSG').rules[0]!)).toBe('in tcp 22 198.51.100.7/32');
    // Tier picks the CIDR from a mapping: with the previous value unknown, so is the CIDR (FW303), whatever the default.
    const tierCidr = target(result, 'ResolvedSG').rules.flatMap((rule) => rule.unknowns).find((unknown) => unknown.expr.includes('Tier'));
    expect(tierCidr?.expr).toMatch(/!FindInMap \[Networks, !Ref Tier, Cidr\]/);
  });

  it('reads the template-configuration form and reports bad parameter files with a line', () => {
    expect(loadParameterFile('{ "Parameters": { "A": "1", "B": 2, "__proto__": "x" } }')).toEqual({ A: '1', B: '2', ['__proto__']: 'x' });
    const broken = readParameterFile('[\n  { "ParameterKey": "A" }\n]', 'params.json');
    expect(broken.value).toEqual({});
    expect(broken.diagnostics.map((d) => `${d.code} ${d.file}:${d.range?.startLine}`)).toEqual(['parse/cfn-parameter-file params.json:2']);
    const invalid = readParameterFile('[\n  { "ParameterKey": "A", }\n]', 'params.json');
    expect(invalid.diagnostics.map((d) => `${d.code} ${d.range?.startLine}`)).toEqual(['parse/cfn-parameter-file 2']);
    expect(readParameterFile('"x"').diagnostics).toHaveLength(1);
    expect(() => loadParameterFile('[[[[')).not.toThrow();
  });

  it('evaluates undecidable Fn::If both ways, nested, as alternative rules tagged with the branch', () => {
    const result = parseFixture('resolution/nested-if.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(listing(result, 'NestedSG')).toEqual([
      'NestedSG.SecurityGroupEgress[default]?IsProd=false: out all 0-65535 0.0.0.0/0, ::/0',
      'NestedSG.SecurityGroupIngress[0]?IsProd=false: in tcp 443 0.0.0.0/0',
      'NestedSG.SecurityGroupIngress[0]?IsProd=true,IsEu=false: in tcp 443 10.2.0.0/16',
      'NestedSG.SecurityGroupIngress[0]?IsProd=true,IsEu=true: in tcp 443 10.1.0.0/16',
      'NestedSG.SecurityGroupIngress[1]?IsProd=false: in tcp 22 0.0.0.0/0',
      'NestedSG.SecurityGroupIngress[2]: in tcp 8443 10.0.0.0/8',
      'NestedSG.SecurityGroupEgress[0]?IsProd=true: out tcp 443 10.0.0.0/8',
    ]);
    const rules = target(result, 'NestedSG').rules;
    expect(rules.find((r) => r.id === 'NestedSG.SecurityGroupIngress[0]?IsProd=false')!.description).toBe('when IsProd=false');
    expect(rules.find((r) => r.id === 'NestedSG.SecurityGroupEgress[default]?IsProd=false')!.description)
      .toBe('default egress AWS adds to a group without SecurityGroupEgress (when IsProd=false)');
    // Each alternative points at the branch value it came from.
    expect(rules.filter((r) => r.id.startsWith('NestedSG.SecurityGroupIngress[0]')).map((r) => r.peerLocation?.range.startColumn)).toEqual([70, 56, 43]);
    // The item that exists in one branch only is located at that branch's mapping.
    expect(rules.find((r) => r.id.startsWith('NestedSG.SecurityGroupIngress[1]'))!.location.range).toMatchObject({ startLine: 23, endLine: 26 });
  });

  it('evaluates the JSON long forms exactly like the YAML short forms', () => {
    const keys = (result: ParseResult) => result.targets.flatMap((t) => t.rules.map((r) => `${r.id} ${contentKeyOf(r)} ${r.description ?? ''}`));
    const json = parseFixture('resolution/nested-if.json');
    expect(json.diagnostics).toEqual([]);
    expect(keys(json)).toEqual(keys(parseFixture('resolution/nested-if.yaml')));
  });

  it('decides a branch once the parameter is given', () => {
    const result = parseFixture('resolution/nested-if.yaml', { Env: 'dev' });
    expect(listing(result, 'NestedSG')).toEqual([
      'NestedSG.SecurityGroupEgress[default]: out all 0-65535 0.0.0.0/0, ::/0',
      'NestedSG.SecurityGroupIngress[0]: in tcp 443 0.0.0.0/0',
      'NestedSG.SecurityGroupIngress[1]: in tcp 22 0.0.0.0/0',
      'NestedSG.SecurityGroupIngress[2]: in tcp 8443 10.0.0.0/8',
    ]);
  });

  it('applies resource conditions, three-valued And/Or, and a cap on branching', () => {
    const result = parseFixture('resolution/conditions.yaml');
    expect(result.targets.map((t) => t.id)).toEqual(['AlwaysSG', 'ManySG']);
    expect(listing(result, 'AlwaysSG')).toEqual([
      // ProdAndStaged is false although IsStaged is undecidable: IsProd is false.
      'AlwaysSG.SecurityGroupIngress[0]: in tcp 443 10.0.0.0/8',
      // ProdOrStaged is derived from IsStaged here (IsProd is false): its tags name IsStaged too.
      'AlwaysSG.SecurityGroupIngress[1]?ProdOrStaged=false,IsStaged=false: in tcp 80 10.0.0.0/8',
      // C1-C5 test Stage for other values than IsStaged: a true IsStaged tag names the value, Stage=beta.
      'AlwaysSG.SecurityGroupIngress[1]?ProdOrStaged=true,IsStaged=true,Stage=beta: in tcp 80 0.0.0.0/0',
      'AlwaysSG.SecurityGroupEgress[0]: out tcp 443 10.0.0.0/8',
      'StagedIngress?IsStaged=true,Stage=beta: in tcp 8080 192.0.2.0/24',
    ]);
    const many = target(result, 'ManySG').rules;
    expect(many.filter((r) => r.id.includes('?'))).toHaveLength(8);
    expect(many.find((r) => r.id === 'ManySG.SecurityGroupIngress[4]')!.peer).toEqual({ kind: 'unknown', expr: '!If [C5, 10.5.0.0/16, 10.15.0.0/16]' });
    expect(result.diagnostics.map((d) => `${d.code} ${d.range?.startLine}`)).toEqual(['parse/cfn-too-many-conditions 57']);
    expect(result.diagnostics[0]!.message).toBe("ManySG's rules depend on 5 conditions that cannot be decided; at most 4 are evaluated both ways (C1, C2, C3, C4), so C5 is not followed: values under it are unresolved (FW303)");

    const prod = parseFixture('resolution/conditions.yaml', { Env: 'prod', Stage: 'gamma' });
    expect(prod.targets.map((t) => t.id)).toEqual(['ProdOnlySG', 'AlwaysSG', 'ManySG']);
    expect(listing(prod, 'AlwaysSG')).toContain('AlwaysSG.SecurityGroupIngress[1]: in tcp 80 0.0.0.0/0');
    expect(listing(prod, 'AlwaysSG').some((line) => line.startsWith('StagedIngress'))).toBe(false);
  });

  /** QA 01: a parameter with no value but finitely many possible ones is read once per value, as a condition is. */
  describe('a parameter without a value but with AllowedValues or map keys is evaluated per value', () => {
    const nets = 'Mappings:\n  Nets:\n    prod: { Rdp: 10.0.0.0/8 }\n    dev: { Rdp: 0.0.0.0/0 }\n';
    const EGRESS = 'Sg.SecurityGroupEgress[default]: out all 0-65535 0.0.0.0/0, ::/0';
    const rdp = (cidr: string) => `        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: ${cidr} }\n`;

    it('FindInMap keyed by a parameter with AllowedValues: one rule per value, tagged with it', () => {
      const result = parseText('t.yaml', groupTemplate(`Parameters:\n  Env: { Type: String, AllowedValues: [prod, dev] }\n${nets}`, rdp('!FindInMap [Nets, !Ref Env, Rdp]')));
      expect(result.diagnostics).toEqual([]);
      expect(listing(result, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?Env=dev: in tcp 3389 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?Env=prod: in tcp 3389 10.0.0.0/8',
      ]);
      expect(target(result, 'Sg').rules[1]!.description).toBe('when Env=dev');
      // A value given decides it, as before.
      expect(listing(parseText('t.yaml', groupTemplate(`Parameters:\n  Env: { Type: String, AllowedValues: [prod, dev] }\n${nets}`, rdp('!FindInMap [Nets, !Ref Env, Rdp]')), { Env: 'prod' }), 'Sg'))
        .toEqual([EGRESS, 'Sg.SecurityGroupIngress[0]: in tcp 3389 10.0.0.0/8']);
    });

    it('Ref and Sub of a parameter with AllowedValues; values that give the same rule share one tag', () => {
      const result = parseText('t.yaml', groupTemplate(
        'Parameters:\n  SshCidr: { Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0] }\n  Mask: { Type: Number, AllowedValues: [8, 16, 24] }\n',
        rdp('!Ref SshCidr') + rdp('!Sub "10.0.0.0/${Mask}"').replace('3389, ToPort: 3389', '22, ToPort: 22'),
      ));
      expect(result.diagnostics).toEqual([]);
      expect(listing(result, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?SshCidr=0.0.0.0/0: in tcp 3389 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?SshCidr=10.0.0.0/8: in tcp 3389 10.0.0.0/8',
        'Sg.SecurityGroupIngress[1]?Mask=16: in tcp 22 10.0.0.0/16',
        'Sg.SecurityGroupIngress[1]?Mask=24: in tcp 22 10.0.0.0/24',
        'Sg.SecurityGroupIngress[1]?Mask=8: in tcp 22 10.0.0.0/8',
      ]);
      const same = parseText('t.yaml', groupTemplate('Parameters:\n  Env: { Type: String, AllowedValues: [prod, test, dev] }\n',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !FindInMap [Nets, !Ref Env, Cidr] }\n')
        .replace('Resources:', 'Mappings:\n  Nets:\n    prod: { Cidr: 10.0.0.0/8 }\n    test: { Cidr: 10.0.0.0/8 }\n    dev: { Cidr: 0.0.0.0/0 }\nResources:'));
      expect(listing(same, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?Env=dev: in tcp 22 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?Env=prod|test: in tcp 22 10.0.0.0/8',
      ]);
    });

    it('FindInMap keyed by AWS::Region, or by a parameter without AllowedValues: one rule per key of the map', () => {
      const regions = 'Mappings:\n  Nets:\n    us-east-1: { Rdp: 10.0.0.0/8 }\n    eu-west-1: { Rdp: 0.0.0.0/0 }\n';
      const result = parseText('t.yaml', groupTemplate(regions, rdp('!FindInMap [Nets, !Ref "AWS::Region", Rdp]')));
      expect(result.diagnostics).toEqual([]);
      expect(listing(result, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?AWS::Region=eu-west-1: in tcp 3389 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?AWS::Region=us-east-1: in tcp 3389 10.0.0.0/8',
      ]);
      expect(listing(parseText('t.yaml', groupTemplate(regions, rdp('!FindInMap [Nets, !Ref "AWS::Region", Rdp]')), { 'AWS::Region': 'us-east-1' }), 'Sg'))
        .toEqual([EGRESS, 'Sg.SecurityGroupIngress[0]: in tcp 3389 10.0.0.0/8']);
      const free = parseText('t.yaml', groupTemplate(`Parameters:\n  Env: { Type: String }\n${nets}`, rdp('!FindInMap [Nets, !Ref Env, Rdp]')));
      expect(listing(free, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?Env=dev: in tcp 3389 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?Env=prod: in tcp 3389 10.0.0.0/8',
      ]);
      // Without AllowedValues, a plain Ref has no finite set of values: unresolved, as before.
      expect(listing(parseText('t.yaml', groupTemplate('Parameters:\n  Cidr: { Type: String }\n', rdp('!Ref Cidr'))), 'Sg'))
        .toEqual([EGRESS, 'Sg.SecurityGroupIngress[0]: in tcp 3389 unresolved !Ref Cidr']);
    });

    it('conditions the parameter decides are not branched on: the value names the branch', () => {
      const result = parseText('t.yaml', groupTemplate(
        `Parameters:\n  Env: { Type: String, AllowedValues: [prod, dev] }\nConditions:\n  IsDev: !Equals [!Ref Env, dev]\n${nets}`,
        rdp('!FindInMap [Nets, !Ref Env, Rdp]') + rdp('!If [IsDev, 0.0.0.0/0, 10.1.0.0/16]').replace('3389, ToPort: 3389', '22, ToPort: 22'),
      ));
      expect(result.diagnostics).toEqual([]);
      expect(listing(result, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?Env=dev: in tcp 3389 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?Env=prod: in tcp 3389 10.0.0.0/8',
        'Sg.SecurityGroupIngress[1]?Env=dev: in tcp 22 0.0.0.0/0',
        'Sg.SecurityGroupIngress[1]?Env=prod: in tcp 22 10.1.0.0/16',
      ]);
    });

    it('stays unresolved past the branching budget, for a value a tag cannot hold, and where the map lacks a value', () => {
      const many = `Parameters:\n  Cidr: { Type: String, AllowedValues: [${Array.from({ length: 17 }, (_, i) => `10.${i}.0.0/16`).join(', ')}] }\n`;
      expect(listing(parseText('t.yaml', groupTemplate(many, rdp('!Ref Cidr'))), 'Sg')).toEqual([EGRESS, 'Sg.SecurityGroupIngress[0]: in tcp 3389 unresolved !Ref Cidr']);
      // Four undecidable conditions take the whole budget.
      const conditions = 'Parameters:\n  P: { Type: String }\n  Two: { Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0] }\nConditions:\n'
        + [1, 2, 3, 4].map((n) => `  C${n}: !Equals [!Ref P, v${n}]\n`).join('');
      const full = parseText('t.yaml', groupTemplate(conditions, rdp('!Ref Two') + [1, 2, 3, 4].map((n) => rdp(`!If [C${n}, 10.${n}.0.0/16, 10.9.0.0/16]`)).join('')));
      expect(listing(full, 'Sg').filter((line) => line.startsWith('Sg.SecurityGroupIngress[0]'))).toEqual(['Sg.SecurityGroupIngress[0]: in tcp 3389 unresolved !Ref Two']);
      const comma = parseText('t.yaml', groupTemplate('Parameters:\n  Cidr: { Type: String, AllowedValues: ["10.0.0.0/8,10.1.0.0/16", 0.0.0.0/0] }\n', rdp('!Ref Cidr')));
      expect(listing(comma, 'Sg')).toEqual([EGRESS, 'Sg.SecurityGroupIngress[0]: in tcp 3389 unresolved !Ref Cidr']);
      // `test` is allowed but not in the map: a deploy with it fails, so that branch has no rule to read (no error).
      const partial = parseText('t.yaml', groupTemplate(`Parameters:\n  Env: { Type: String, AllowedValues: [prod, dev, test] }\n${nets}`, rdp('!FindInMap [Nets, !Ref Env, Rdp]')));
      expect(partial.diagnostics).toEqual([]);
      expect(listing(partial, 'Sg')).toEqual([
        EGRESS,
        'Sg.SecurityGroupIngress[0]?Env=dev: in tcp 3389 0.0.0.0/0',
        'Sg.SecurityGroupIngress[0]?Env=prod: in tcp 3389 10.0.0.0/8',
        'Sg.SecurityGroupIngress[0]?Env=test: in tcp 3389 unresolved !FindInMap [Nets, !Ref Env, Rdp]',
      ]);
    });
  });

  // Open item 1 of session 13: past the budget the values were FW303 notes, and nothing said why.
  describe('parameters that do not fit the budget of values read', () => {
    const rule = (port: string, cidr: string) => `        - { IpProtocol: tcp, FromPort: ${port}, ToPort: ${port}, CidrIp: ${cidr} }\n`;
    const warnings = (result: ParseResult) => result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}:${d.range?.startLine} ${d.message}`);

    it('are named once per template, with the parameters read beside them and the combinations', () => {
      const parameters = 'Parameters:\n  Env: { Type: String, AllowedValues: [dev, prod, test] }\n  Tier: { Type: String, AllowedValues: [web, app, db, cache] }\n'
        + '  Port: { Type: Number, AllowedValues: [22, 80, 443, 3389, 8080] }\nMappings:\n'
        + '  Tiers: { web: { Cidr: 10.1.0.0/16 }, app: { Cidr: 10.2.0.0/16 }, db: { Cidr: 10.3.0.0/16 }, cache: { Cidr: 10.4.0.0/16 } }\n'
        + '  Envs: { dev: { Cidr: 10.5.0.0/16 }, prod: { Cidr: 10.6.0.0/16 }, test: { Cidr: 10.7.0.0/16 } }\n';
      const text = groupTemplate(parameters, rule('!Ref Port', '!FindInMap [Tiers, !Ref Tier, Cidr]') + rule('!Ref Port', '!FindInMap [Envs, !Ref Env, Cidr]'))
        + '  Other:\n    Type: AWS::EC2::SecurityGroupIngress\n'
        + '    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !FindInMap [Envs, !Ref Env, Cidr], Description: !Ref Tier }\n';
      const result = parseText('t.yaml', text);
      // Sg reads Port (5 values) first, leaving room for 3 combinations: Tier (4) is not read per value, Env (3) is.
      expect(warnings(result)).toEqual([
        'warning parse/cfn-too-many-values t.yaml:10 parameters Port, Tier, Env (5×4×3 = 60 combinations) exceed the 16 combinations read per value; Tier is not read per value, so rules using it are unresolved (FW303): pass --param to pin some',
      ]);
      expect(listing(result, 'Sg').filter((line) => line.includes('unresolved'))).toEqual([
        'Sg.SecurityGroupIngress[0]?Port=22: in tcp 22 unresolved !FindInMap [Tiers, !Ref Tier, Cidr]',
        'Sg.SecurityGroupIngress[0]?Port=3389: in tcp 3389 unresolved !FindInMap [Tiers, !Ref Tier, Cidr]',
        'Sg.SecurityGroupIngress[0]?Port=443: in tcp 443 unresolved !FindInMap [Tiers, !Ref Tier, Cidr]',
        'Sg.SecurityGroupIngress[0]?Port=80: in tcp 80 unresolved !FindInMap [Tiers, !Ref Tier, Cidr]',
        'Sg.SecurityGroupIngress[0]?Port=8080: in tcp 8080 unresolved !FindInMap [Tiers, !Ref Tier, Cidr]',
      ]);
      // Env and Tier (12 combinations) fit Other's budget: read per value, nothing unresolved there (Tier only names it).
      expect(listing(result, 'Sg').filter((line) => line.startsWith('Other'))).toEqual(['Other?Env=dev: in tcp 22 10.5.0.0/16', 'Other?Env=prod: in tcp 22 10.6.0.0/16', 'Other?Env=test: in tcp 22 10.7.0.0/16']);
      // Pinning one leaves room: no warning.
      expect(warnings(parseText('t.yaml', text, { Port: '22' }))).toEqual([]);
    });

    it('a parameter with more values than the budget, alone or as a map\'s key, and conditions sharing the budget', () => {
      const many = `Parameters:\n  Cidr: { Type: String, AllowedValues: [${Array.from({ length: 17 }, (_, i) => `10.${i}.0.0/16`).join(', ')}] }\n`;
      expect(warnings(parseText('t.yaml', groupTemplate(many, rule('22', '!Ref Cidr'))))).toEqual([
        'warning parse/cfn-too-many-values t.yaml:5 parameter Cidr (17 values) exceeds the 16 combinations read per value; rules using it are unresolved (FW303): pass --param to pin it',
      ]);
      const keys = `Parameters:\n  Env: { Type: String }\nMappings:\n  Nets:\n${Array.from({ length: 20 }, (_, i) => `    e${i}: { Cidr: 10.${i}.0.0/16 }\n`).join('')}`;
      expect(warnings(parseText('t.yaml', groupTemplate(keys, rule('22', '!FindInMap [Nets, !Ref Env, Cidr]'))))[0]).toContain('parameter Env (20 values) exceeds the 16');
      const conditions = 'Parameters:\n  P: { Type: String }\n  Two: { Type: String, AllowedValues: [10.0.0.0/8, 0.0.0.0/0] }\nConditions:\n'
        + [1, 2, 3, 4].map((n) => `  C${n}: !Equals [!Ref P, v${n}]\n`).join('');
      const full = parseText('t.yaml', groupTemplate(conditions, rule('22', '!Ref Two') + [1, 2, 3, 4].map((n) => rule('22', `!If [C${n}, 10.${n}.0.0/16, 10.9.0.0/16]`)).join('')));
      expect(warnings(full)).toEqual([
        'warning parse/cfn-too-many-values t.yaml:11 parameter Two with 4 undecidable conditions (2×2×2×2×2 = 32 combinations) exceed the 16 combinations read per value; Two is not read per value, so rules using it are unresolved (FW303): pass --param to pin some',
      ]);
    });

    it('a warning reading one value gives says which value, as a finding on its rule does; one every value gives does not', () => {
      const text = groupTemplate('Parameters:\n  Env: { Type: String, AllowedValues: [dev, prod, test] }\n'
        + 'Mappings:\n  Nets:\n    dev: { Cidr: 10.1.0.5/16, Proto: TCP }\n    prod: { Cidr: 10.2.0.0/16, Proto: tcp }\n    test: { Cidr: 10.3.0.9/16, Proto: TCP }\n',
        '        - { IpProtocol: !FindInMap [Nets, !Ref Env, Proto], FromPort: 22, ToPort: 22, CidrIp: !FindInMap [Nets, !Ref Env, Cidr] }\n'
        + '        - { IpProtocol: TCP, FromPort: 80, ToPort: 80, CidrIp: !FindInMap [Nets, !Ref Env, Cidr] }\n');
      expect(warnings(parseText('t.yaml', text))).toEqual([
        'warning parse/cfn-noncanonical t.yaml:16 Sg.SecurityGroupIngress[0]: IpProtocol "TCP" is read as "tcp"; write "tcp" (when Env=dev|test)',
        'warning parse/cfn-cidr-host-bits t.yaml:16 Sg.SecurityGroupIngress[0]: CidrIp "10.1.0.5/16" has host bits set; EC2 uses the network address 10.1.0.0/16, which is what is checked (when Env=dev)',
        'warning parse/cfn-noncanonical t.yaml:17 Sg.SecurityGroupIngress[1]: IpProtocol "TCP" is read as "tcp"; write "tcp"',
        'warning parse/cfn-cidr-host-bits t.yaml:17 Sg.SecurityGroupIngress[1]: CidrIp "10.1.0.5/16" has host bits set; EC2 uses the network address 10.1.0.0/16, which is what is checked (when Env=dev)',
        'warning parse/cfn-cidr-host-bits t.yaml:16 Sg.SecurityGroupIngress[0]: CidrIp "10.3.0.9/16" has host bits set; EC2 uses the network address 10.3.0.0/16, which is what is checked (when Env=test)',
        'warning parse/cfn-cidr-host-bits t.yaml:17 Sg.SecurityGroupIngress[1]: CidrIp "10.3.0.9/16" has host bits set; EC2 uses the network address 10.3.0.0/16, which is what is checked (when Env=test)',
      ]);
    });
  });

  it('spends the branching budget only on conditions that reach the rules, not on a description, name, VPC or tags', () => {
    const flags = ['Described', 'Named', 'CustomVpc', 'CostTag', 'OpenAdmin'];
    const text = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      ...flags.map((flag) => `  ${flag}Flag: { Type: String, AllowedValues: ["true", "false"] }`),
      'Conditions:',
      ...flags.map((flag) => `  ${flag}: !Equals [!Ref ${flag}Flag, "true"]`),
      'Resources:',
      '  AppSG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: !If [Described, "prod app", "dev app"]',
      '      GroupName: !If [Named, app-sg, !Ref AWS::NoValue]',
      '      VpcId: !If [CustomVpc, vpc-0aaa, vpc-0bbb]',
      '      Tags:',
      '        - !If [CostTag, {Key: cost, Value: "42"}, !Ref AWS::NoValue]',
      '      SecurityGroupIngress:',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [OpenAdmin, 0.0.0.0/0, 10.0.0.0/8] }',
      '      SecurityGroupEgress: []',
      '',
    ].join('\n');
    const result = parseText('budget.yaml', text);
    expect(result.diagnostics).toEqual([]);
    expect(listing(result, 'AppSG').filter((line) => line.includes('Ingress'))).toEqual([
      'AppSG.SecurityGroupIngress[0]?OpenAdmin=false: in tcp 22 10.0.0.0/8',
      'AppSG.SecurityGroupIngress[0]?OpenAdmin=true: in tcp 22 0.0.0.0/0',
    ]);
  });

  it('counts a condition choosing the whole Properties, and every one in a standalone rule', () => {
    const conditions = ['A', 'B', 'C', 'D', 'E'];
    const text = [
      'Parameters:',
      '  Flag: { Type: String }',
      'Conditions:',
      ...conditions.map((name) => `  ${name}: !Equals [!Ref Flag, ${name.toLowerCase()}]`),
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties: !If',
      '      - A',
      '      - { GroupDescription: !If [B, x, y], SecurityGroupEgress: [], SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }] }',
      '      - { GroupDescription: t, SecurityGroupEgress: [] }',
      '  Rule:',
      '    Type: AWS::EC2::SecurityGroupIngress',
      '    Condition: A',
      '    Properties:',
      '      GroupId: !Ref Sg',
      '      Description: !If [B, b, not-b]',
      '      IpProtocol: !If [C, tcp, udp]',
      '      FromPort: !If [D, 80, 81]',
      '      ToPort: 81',
      '      CidrIp: !If [E, 10.0.0.0/8, 10.1.0.0/16]',
      '',
    ].join('\n');
    const result = parseText('budget.yaml', text);
    expect(listing(result, 'Sg').filter((line) => line.startsWith('Sg.SecurityGroupIngress'))).toEqual(['Sg.SecurityGroupIngress[0]?A=true,Flag=a: in tcp 22 0.0.0.0/0']);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "Rule's rules depend on 5 conditions that cannot be decided; at most 4 are evaluated both ways (A, B, C, D), so E is not followed: values under it are unresolved (FW303)",
    ]);
  });

  it('accepts the dotted long form of GetAtt, and Ref to a list parameter of group ids', () => {
    const text = groupTemplate(
      'Parameters:\n  Peers:\n    Type: List<AWS::EC2::SecurityGroup::Id>\n    Default: sg-0aaa,sg-0bbb\n',
      [
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: { "Fn::GetAtt": "Sg.GroupId" } }',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: !Select [1, !Ref Peers] }',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: !GetAtt [Sg, VpcId] }',
        '',
      ].join('\n'),
    );
    const result = parseText('inline.yaml', text);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'Sg').rules.filter((r) => !r.synthetic).map((r) => r.peer)).toEqual([
      { kind: 'self' },
      { kind: 'sg-ref', id: 'sg-0bbb' },
      { kind: 'unknown', expr: '!GetAtt Sg.VpcId' },
    ]);
  });

  it('removes a property set to AWS::NoValue and reports a rule left without a peer', () => {
    const text = groupTemplate('', '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AWS::NoValue }\n');
    const result = parseText('novalue.yaml', text);
    expect(target(result, 'Sg').rules.filter((r) => !r.synthetic)).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.range?.startLine}`)).toEqual(['parse/cfn-rule-without-peer 9']);
  });

  it('keeps a rule list it cannot resolve as a placeholder that allows nothing', () => {
    const text = 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: t\n      SecurityGroupIngress: !ImportValue shared-rules\n      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }\n';
    const result = parseText('placeholder.yaml', text);
    const [placeholder] = target(result, 'Sg').rules;
    expect(placeholder).toMatchObject({
      id: 'Sg.SecurityGroupIngress',
      peer: { kind: 'unknown', expr: '!ImportValue shared-rules' },
      unknowns: [{ field: 'SecurityGroupIngress', expr: '!ImportValue shared-rules' }],
    });
    expect(placeholder!.ports.isEmpty()).toBe(true);
  });
});

describe('CloudFormation conditions over one parameter, many of them', () => {
  // Each resource asks which of its conditions exclude others: once per template, not per resource and condition
  // (3,000 × 3,000 readings of conditions before). Counted, not timed: a time limit fails on a loaded machine.
  it('reads each condition\'s parameter test a bounded number of times', () => {
    const count = 3000;
    const template = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { Env: { Type: 'String' } },
      Conditions: Object.fromEntries(Array.from({ length: count }, (_, i) => [`Is${i}`, { 'Fn::Equals': [{ Ref: 'Env' }, `env${i}`] }])),
      Resources: {
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupEgress: [] } },
        ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`In${i}`, {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Condition: `Is${i}`,
          Properties: { GroupId: { Ref: 'Sg' }, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '10.0.0.0/8' },
        }])),
      },
    });
    const parameterTest = jest.spyOn(Template.prototype, 'parameterTest');
    const result = parseText('many-conditions.json', template);
    const readings = parameterTest.mock.calls.length;
    parameterTest.mockRestore();
    expect(result.targets[0]!.rules.filter((rule) => rule.direction === 'in')).toHaveLength(count);
    expect(readings).toBeLessThan(10 * count);
  });
});
