import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/pipeline/scan';

function scanTemplate(lines: string[]): ReturnType<typeof scan> {
  const dir = mkdtempSync(join(tmpdir(), 'fwlint-branches-'));
  writeFileSync(join(dir, 'template.yaml'), [...lines, ''].join('\n'));
  return scan({ paths: ['template.yaml'], cwd: dir, today: '2026-11-23' });
}

/** Scans one CloudFormation template (YAML lines) and lists its findings as `FWxxx message`. */
function findingsOf(lines: string[]): string[] {
  return scanTemplate(lines).findings.map((finding) => `${finding.checkId} ${finding.message}`);
}

const HEADER = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Parameters:',
  '  Env: { Type: String }',
  'Conditions:',
  '  IsProd: !Equals [!Ref Env, prod]',
  '  IsDev: !Not [!Condition IsProd]',
  'Resources:',
];

function group(ingress: string[], egress: string[] = ['        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }']): string[] {
  return [
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: t',
    '      SecurityGroupIngress:',
    ...ingress,
    '      SecurityGroupEgress:',
    ...egress,
  ];
}

function aclEntry(name: string, fields: string[], condition?: string): string[] {
  return [
    `  ${name}:`,
    '    Type: AWS::EC2::NetworkAclEntry',
    ...(condition ? [`    Condition: ${condition}`] : []),
    '    Properties:',
    '      NetworkAclId: !Ref Acl',
    ...fields.map((field) => `      ${field}`),
  ];
}

const ACL = ['  Acl:', '    Type: AWS::EC2::NetworkAcl', '    Properties: { VpcId: vpc-1 }'];

describe('rules of mutually exclusive branches are never combined', () => {
  it('FW101: the two halves of the internet under IsProd=true and IsProd=false are no union', () => {
    const findings = findingsOf([...HEADER, ...group([
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, !Ref "AWS::NoValue", 128.0.0.0/1] }',
    ])]);
    expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([]);
  });

  it('FW101: halves under IsProd and under IsDev (defined as !Not IsProd) are no union; the IsDev tag names IsProd', () => {
    const findings = findingsOf([...HEADER, ...group([
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsDev, 128.0.0.0/1, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsDev, 0.0.0.0/0, !Ref "AWS::NoValue"] }',
    ])]);
    expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([
      'FW101 Sg allows ingress from 0.0.0.0/0 on tcp/22 (when IsProd=false, IsDev=true)',
    ]);
  });

  // Regression: conditions over one parameter (`Env` is prod or staging) were taken as independent, so rules of the
  // two environments were combined into a world-open group that no deployment has.
  describe('conditions testing one parameter for different values', () => {
    const header = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Env: { Type: String, AllowedValues: [prod, staging] }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  IsStaging: !Equals [staging, !Ref Env]',
      'Resources:',
    ];
    const standalone = (name: string, condition: string, cidr: string): string[] => [
      `  ${name}:`,
      '    Type: AWS::EC2::SecurityGroupIngress',
      `    Condition: ${condition}`,
      `    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: ${cidr} }`,
    ];

    it('FW101: halves under IsProd and IsStaging of one group are no union; findings name the value', () => {
      const findings = findingsOf([...header, ...group([
        '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
        '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsStaging, 128.0.0.0/1, !Ref "AWS::NoValue"] }',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsStaging, 0.0.0.0/0, !Ref "AWS::NoValue"] }',
      ])]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual(['FW101 Sg allows ingress from 0.0.0.0/0 on tcp/22 (when IsStaging=true, Env=staging)']);
    });

    it('FW101: halves in two standalone resources, each under one of the conditions, are no union', () => {
      const findings = findingsOf([...header, ...group(['        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }']),
        ...standalone('ProdIn', 'IsProd', '0.0.0.0/1'), ...standalone('StagingIn', 'IsStaging', '128.0.0.0/1')]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([]);
    });

    it('FW101: a half under IsProd and an unconditional half are still a union', () => {
      const findings = findingsOf([...header, ...group(['        - { IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 128.0.0.0/1 }']),
        ...standalone('ProdIn', 'IsProd', '0.0.0.0/1')]);
      expect(findings.filter((finding) => finding.startsWith('FW101')).length).toBe(2);
    });
  });

  // Regression (QA): `IsB: !Or [!Equals [!Ref Env, prod], !Equals [!Ref Env, test]]` was not known to exclude
  // `IsA: !Equals [!Ref Env, dev]`, so halves of the internet under each gave an FW101 no value of Env produces.
  describe('a condition that is an !Or of tests of one parameter', () => {
    const header = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Env: { Type: String }',
      'Conditions:',
      '  IsA: !Equals [!Ref Env, dev]',
      '  IsB: !Or [!Equals [!Ref Env, prod], !Equals [test, !Ref Env]]',
      '  IsC: !Or [!Condition IsA, !Equals [!Ref Env, qa]]',
      'Resources:',
    ];
    const standalone = (name: string, condition: string, cidr: string): string[] => [
      `  ${name}:`,
      '    Type: AWS::EC2::SecurityGroupIngress',
      `    Condition: ${condition}`,
      `    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: ${cidr} }`,
    ];

    it('FW101: halves under IsA and IsB of one group are no union; findings name the values', () => {
      const findings = findingsOf([...header, ...group([
        '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsA, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
        '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsB, 128.0.0.0/1, !Ref "AWS::NoValue"] }',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsB, 0.0.0.0/0, !Ref "AWS::NoValue"] }',
      ])]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual(['FW101 Sg allows ingress from 0.0.0.0/0 on tcp/22 (when IsB=true, Env=prod|test)']);
    });

    it('FW101: halves in two standalone resources, under IsA and IsB, are no union', () => {
      const findings = findingsOf([...header, ...group(['        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }']),
        ...standalone('AIn', 'IsA', '0.0.0.0/1'), ...standalone('BIn', 'IsB', '128.0.0.0/1')]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([]);
    });

    it('FW101: halves under IsA and IsC (dev or qa, through !Condition IsA) can coexist: still a union', () => {
      const findings = findingsOf([...header, ...group(['        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }']),
        ...standalone('AIn', 'IsA', '0.0.0.0/1'), ...standalone('CIn', 'IsC', '128.0.0.0/1')]);
      expect(findings.filter((finding) => finding.startsWith('FW101')).length).toBe(2);
    });
  });

  // Regression (QA): beside `IsProd: !Equals [!Ref Env, prod]`, a rule under `IsB` (prod or test) got no value of Env
  // in its tag (`prod` and `test` were no one group), so it was combined with a rule under `IsDev` (dev).
  describe('an !Or of tests beside a condition testing one of its values', () => {
    const header = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Env: { Type: String }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  IsDev: !Equals [!Ref Env, dev]',
      '  IsB: !Or [!Equals [!Ref Env, prod], !Equals [!Ref Env, test]]',
      'Resources:',
    ];

    it('the tag names the values of the !Or, as it does beside a condition testing none of them', () => {
      const findings = findingsOf([...header.filter((line) => !line.startsWith('  IsDev:')), ...group([
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsB, 0.0.0.0/0, 10.0.0.0/8] }',
      ])]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual(['FW101 Sg allows ingress from 0.0.0.0/0 on tcp/22 (when IsB=true, Env=prod|test)']);
    });

    it('FW101: halves under IsDev and IsB are no union; halves under IsProd and IsB are, when IsProd (Env=prod)', () => {
      const findings = findingsOf([...header, ...group([
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsDev, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsB, 128.0.0.0/1, !Ref "AWS::NoValue"] }',
      ]), '  ProdIn:', '    Type: AWS::EC2::SecurityGroupIngress', '    Condition: IsProd',
      '    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/1 }',
      '  BIn:', '    Type: AWS::EC2::SecurityGroupIngress', '    Condition: IsB',
      '    Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 128.0.0.0/1 }']);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([
        'FW101 Sg allows ingress from 0.0.0.0/1 on tcp/80, which together with its other rules opens it to the whole internet (when IsProd=true, Env=prod, IsB=true)',
        'FW101 Sg allows ingress from 128.0.0.0/1 on tcp/80, which together with its other rules opens it to the whole internet (when IsB=true, Env=prod, IsProd=true)',
      ]);
    });
  });

  it('FW101: halves that can coexist (one unconditional) are still a union, under the branch', () => {
    const findings = findingsOf([...HEADER, ...group([
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 128.0.0.0/1 }',
    ])]);
    // Regression (QA): the unconditional half was reported without the condition, though only the half under IsProd
    // makes it world-open.
    expect(findings.filter((finding) => finding.startsWith('FW101')).sort()).toEqual([
      'FW101 Sg allows ingress from 0.0.0.0/1 on tcp/443, which together with its other rules opens it to the whole internet (when IsProd=true)',
      'FW101 Sg allows ingress from 128.0.0.0/1 on tcp/443, which together with its other rules opens it to the whole internet (when IsProd=true)',
    ]);
  });

  it('FW101: an unconditional half is open under no condition where an unconditional half completes it too', () => {
    const findings = findingsOf([...HEADER, ...group([
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !If [IsProd, 128.0.0.0/1, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/1 }',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 128.0.0.0/2 }',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 192.0.0.0/2 }',
    ])]);
    expect(findings.filter((finding) => finding.startsWith('FW101') && finding.includes('0.0.0.0/1 '))).toEqual([
      'FW101 Sg allows ingress from 0.0.0.0/1 on tcp/443, which together with its other rules opens it to the whole internet',
    ]);
  });

  it('FW104: egress halves in exclusive branches are no union', () => {
    const findings = findingsOf([...HEADER, ...group(['        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }'], [
      '        - { IpProtocol: "-1", CidrIp: !If [IsProd, 0.0.0.0/1, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: "-1", CidrIp: !If [IsProd, !Ref "AWS::NoValue", 128.0.0.0/1] }',
    ])]);
    expect(findings.filter((finding) => finding.startsWith('FW104'))).toEqual([]);
  });

  // Regression (QA): the per-world subtraction of a deny under a condition kept the union of the worlds, so an allow
  // that the deny closes when IsProd is true was reported as open with no condition.
  describe('FW101: an allow that a deny under a condition closes is open under the negated condition', () => {
    const rdp = (from: number, to: number): string[] => ['RuleNumber: 100', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 0.0.0.0/0', `PortRange: { From: ${from}, To: ${to} }`];
    const denyRdp = ['RuleNumber: 50', 'Protocol: 6', 'RuleAction: deny', 'CidrBlock: 0.0.0.0/0', 'PortRange: { From: 3389, To: 3389 }'];

    it('a deny entry under IsProd: open when IsProd=false, with the fingerprint of the finding without condition', () => {
      const lines = [...HEADER, ...ACL, ...aclEntry('DenyRdp', denyRdp, 'IsProd'), ...aclEntry('AllowRdp', rdp(3389, 3389))];
      expect(findingsOf(lines).filter((finding) => finding.startsWith('FW101'))).toEqual(['FW101 Acl allows ingress from 0.0.0.0/0 on tcp/3389 (when IsProd=false)']);
      const unconditional = [...HEADER, ...ACL, ...aclEntry('AllowRdp', rdp(3389, 3389))];
      const fw101 = (template: string[]) => scanTemplate(template).findings.filter((finding) => finding.checkId === 'FW101');
      expect(fw101(lines).map((finding) => finding.properties['branch'])).toEqual(['IsProd=false']);
      expect(fw101(lines).map((finding) => finding.fingerprint)).toEqual(fw101(unconditional).map((finding) => finding.fingerprint));
    });

    it('the ports the deny does not take are open under no condition, the others when IsProd=false', () => {
      const findings = findingsOf([...HEADER, ...ACL, ...aclEntry('DenyRdp', denyRdp, 'IsProd'), ...aclEntry('AllowRdp', rdp(3380, 3390))]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([
        'FW101 Acl allows ingress from 0.0.0.0/0 on tcp/3380-3388, 3390',
        'FW101 Acl allows ingress from 0.0.0.0/0 on tcp/3389 (when IsProd=false)',
      ]);
    });

    it('a deny under IsProd=true,Env=prod (IsDev tests Env too) is negated as IsProd=false; an allow under IsDev keeps its branch', () => {
      const header = HEADER.map((line) => (line.startsWith('  IsDev:') ? '  IsDev: !Equals [!Ref Env, dev]' : line));
      const findings = findingsOf([...header, ...ACL, ...aclEntry('DenyRdp', denyRdp, 'IsProd'), ...aclEntry('AllowRdp', rdp(3389, 3389)),
        ...aclEntry('AllowSsh', ['RuleNumber: 110', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 0.0.0.0/0', 'PortRange: { From: 22, To: 22 }'], 'IsDev')]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([
        'FW101 Acl allows ingress from 0.0.0.0/0 on tcp/3389 (when IsProd=false)',
        'FW101 Acl allows ingress from 0.0.0.0/0 on tcp/22 (when IsDev=true, Env=dev)',
      ]);
    });

    it('an allow closed only where a half under the same condition would complete it is no union', () => {
      // 0.0.0.0/1 is open only when IsProd is false, 128.0.0.0/1 only when it is true: never together.
      const findings = findingsOf([...HEADER, ...ACL,
        ...aclEntry('DenyLow', ['RuleNumber: 50', 'Protocol: 6', 'RuleAction: deny', 'CidrBlock: 0.0.0.0/1', 'PortRange: { From: 22, To: 22 }'], 'IsProd'),
        ...aclEntry('AllowLow', ['RuleNumber: 100', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 0.0.0.0/1', 'PortRange: { From: 22, To: 22 }']),
        ...aclEntry('AllowHigh', ['RuleNumber: 110', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 128.0.0.0/1', 'PortRange: { From: 22, To: 22 }'], 'IsProd'),
      ]);
      expect(findings.filter((finding) => finding.startsWith('FW101'))).toEqual([]);
    });
  });

  it('FW104: an egress allow that a deny under IsProd closes is open when IsProd=false; a half completed under IsProd says so', () => {
    const denied = findingsOf([...HEADER, ...ACL,
      ...aclEntry('DenyOut', ['RuleNumber: 50', 'Protocol: -1', 'RuleAction: deny', 'Egress: true', 'CidrBlock: 0.0.0.0/0'], 'IsProd'),
      ...aclEntry('AllowOut', ['RuleNumber: 100', 'Protocol: -1', 'RuleAction: allow', 'Egress: true', 'CidrBlock: 0.0.0.0/0']),
    ]);
    expect(denied.filter((finding) => finding.startsWith('FW104'))).toEqual(['FW104 Acl allows egress to 0.0.0.0/0 on all traffic (when IsProd=false)']);
    const halves = findingsOf([...HEADER, ...group(['        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }'], [
      '        - { IpProtocol: "-1", CidrIp: 0.0.0.0/1 }',
      '        - { IpProtocol: "-1", CidrIp: !If [IsProd, 128.0.0.0/1, !Ref "AWS::NoValue"] }',
    ])]);
    expect(halves.filter((finding) => finding.startsWith('FW104'))).toEqual([
      'FW104 Sg allows egress to 0.0.0.0/1 on all traffic, which together with its other rules opens it to the whole internet (when IsProd=true)',
      'FW104 Sg allows egress to 128.0.0.0/1 on all traffic, which together with its other rules opens it to the whole internet (when IsProd=true)',
    ]);
  });

  it('FW103: a wide range that a deny under IsProd narrows to few ports is wide when IsProd=false', () => {
    const findings = findingsOf([...HEADER, ...ACL,
      ...aclEntry('DenyMost', ['RuleNumber: 50', 'Protocol: 6', 'RuleAction: deny', 'CidrBlock: 0.0.0.0/0', 'PortRange: { From: 1, To: 4000 }'], 'IsProd'),
      ...aclEntry('AllowWide', ['RuleNumber: 100', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 10.0.0.0/8', 'PortRange: { From: 1, To: 5000 }']),
      ...aclEntry('AllowWidePublic', ['RuleNumber: 110', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 203.0.113.0/24', 'PortRange: { From: 1, To: 5000 }']),
    ]);
    expect(findings.filter((finding) => finding.startsWith('FW103'))).toEqual([
      'FW103 Acl opens 5000 tcp ports (1-5000) from 203.0.113.0/24, more than 1024 (when IsProd=false)',
    ]);
  });

  it('FW301: a deny shadows an allow only in the branch where both exist', () => {
    const findings = findingsOf([...HEADER, ...ACL,
      ...aclEntry('DenyAll', ['RuleNumber: 90', 'Protocol: -1', 'RuleAction: deny', 'CidrBlock: 0.0.0.0/0'], 'IsProd'),
      ...aclEntry('AllowSsh', ['RuleNumber: 100', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: !If [IsProd, 10.0.0.0/8, 192.168.0.0/16]', 'PortRange: { From: 22, To: 22 }']),
    ]);
    expect(findings.filter((finding) => finding.startsWith('FW301'))).toEqual([
      'FW301 Acl: allow rule AllowSsh (10.0.0.0/8) never takes effect; it is fully overridden by DenyAll (when IsProd=true)',
    ]);
  });

  it('FW301: denies of two exclusive branches, each covering half, do not shadow an unconditional allow', () => {
    const findings = findingsOf([...HEADER, ...ACL,
      ...aclEntry('DenyLow', ['RuleNumber: 80', 'Protocol: -1', 'RuleAction: deny', 'CidrBlock: 10.0.0.0/9'], 'IsProd'),
      ...aclEntry('DenyHigh', ['RuleNumber: 90', 'Protocol: -1', 'RuleAction: deny', 'CidrBlock: !If [IsProd, !Ref "AWS::NoValue", 10.128.0.0/9]']),
      ...aclEntry('AllowSsh', ['RuleNumber: 100', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 10.0.0.0/8', 'PortRange: { From: 22, To: 22 }']),
    ]);
    expect(findings.filter((finding) => finding.startsWith('FW301'))).toEqual([]);
  });

  it('FW301: a deny under a derived condition (IsDev = !Not IsProd) does not shadow an allow under IsProd', () => {
    const findings = findingsOf([...HEADER, ...ACL,
      ...aclEntry('DenyAll', ['RuleNumber: 90', 'Protocol: -1', 'RuleAction: deny', 'CidrBlock: 0.0.0.0/0'], 'IsProd'),
      ...aclEntry('AllowSsh', ['RuleNumber: 100', 'Protocol: 6', 'RuleAction: allow', 'CidrBlock: 10.0.0.0/8', 'PortRange: { From: 22, To: 22 }'], 'IsDev'),
    ]);
    expect(findings.filter((finding) => finding.startsWith('FW301'))).toEqual([]);
  });

  it('FW302: a rule is redundant only beside a rule that exists whenever it does', () => {
    const findings = findingsOf([...HEADER, ...group([
      // Contained in the next rule only when IsProd is true: not redundant.
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8 }',
      '        - { IpProtocol: tcp, FromPort: 22, ToPort: 23, CidrIp: !If [IsProd, 10.0.0.0/7, !Ref "AWS::NoValue"] }',
      // Exact twins in exclusive branches: not duplicates.
      '        - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: !If [IsProd, 10.0.0.0/8, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: !If [IsProd, !Ref "AWS::NoValue", 10.0.0.0/8] }',
      // Under IsProd=true, contained in an unconditional rule: redundant.
      '        - { IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: !If [IsProd, 10.1.0.0/16, !Ref "AWS::NoValue"] }',
      '        - { IpProtocol: tcp, FromPort: 8080, ToPort: 8081, CidrIp: 10.0.0.0/8 }',
    ])]);
    expect(findings.filter((finding) => finding.startsWith('FW302'))).toEqual([
      'FW302 Sg: rule Sg.SecurityGroupIngress[4] (tcp/8080 from 10.1.0.0/16) is fully contained in Sg.SecurityGroupIngress[5] (when IsProd=true)',
    ]);
  });
});
