import { scan } from '../../src/pipeline/scan';
import { dateProblem, parseIgnoreArgument } from '../../src/suppress/suppress';
import { scanFiles } from '../helpers/scan-fixture';
import { annotationFromComment } from '../../src/parsers/shared/annotations';

const SG = (annotation: string): string =>
  `resource "aws_security_group" "bastion" {\n  name = "bastion"\n\n  ${annotation}\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;

function scanDir(files: Record<string, string>, today = '2026-11-23'): ReturnType<typeof scan> {
  return scanFiles(files, { today });
}

describe('fwlint:ignore expires=', () => {
  it('accepts a calendar date, quoted or not', () => {
    expect(parseIgnoreArgument('FW101 reason="ok" expires=2027-02-28')).toEqual({ checks: ['FW101'], reason: 'ok', expires: '2027-02-28' });
    expect(parseIgnoreArgument('FW101 expires="2028-02-29" reason=ok')).toEqual({ checks: ['FW101'], reason: 'ok', expires: '2028-02-29' });
  });

  it('rejects a malformed or impossible date instead of suppressing for ever', () => {
    expect(parseIgnoreArgument('FW101 reason="x" expires=2001/01/01')).toEqual({ error: expect.stringContaining('expires=2001/01/01 is not a date: use YYYY-MM-DD') });
    expect(parseIgnoreArgument('FW101 reason="x" expires=2027-02-30')).toEqual({ error: expect.stringContaining('expires=2027-02-30 is not a calendar date') });
    expect(parseIgnoreArgument('FW101 reason="x" expires=2027-13-01')).toEqual({ error: expect.stringContaining('is not a calendar date') });
    expect(parseIgnoreArgument('FW101 reason="x" expires=')).toEqual({ error: expect.stringContaining('expires=(empty)') });
    expect(dateProblem('2027-02-29')).toBe('is not a calendar date');
    expect(dateProblem('2028-02-29')).toBeUndefined();
  });

  it('does not read "expires=" inside the reason', () => {
    expect(parseIgnoreArgument('FW101 reason="vendor says expires=soon"')).toEqual({ checks: ['FW101'], reason: 'vendor says expires=soon' });
  });

  it('a scan reports annotation/invalid at the annotation and does not suppress', () => {
    const result = scanDir({ 'sg.tf': SG('# fwlint:ignore FW101 reason="temporary" expires=2001/01/01') });
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'annotation/invalid', severity: 'error', file: 'sg.tf', range: expect.objectContaining({ startLine: 4 }) }));
    expect(result.findings.filter((finding) => finding.checkId === 'FW101' && !finding.suppression)).toHaveLength(1);
  });
});

// Regression (QA): `FW101,FW1O2` suppressed FW101 and dropped the typo'd id without a word.
describe('fwlint:ignore check ids', () => {
  it('reads a list with or without spaces after the commas', () => {
    expect(parseIgnoreArgument('FW101,FW103 reason=x')).toEqual({ checks: ['FW101', 'FW103'], reason: 'x' });
    expect(parseIgnoreArgument('FW101 , FW103 reason=x')).toEqual({ checks: ['FW101', 'FW103'], reason: 'x' });
  });

  // Regression (QA 9, item 07): `fw101` muted FW101 in a comment while the config rejects `check: fw101`.
  it('rejects a lowercase id, as the config does, naming the id to write', () => {
    expect(parseIgnoreArgument('FW101,fw103 reason=x')).toEqual({ error: 'fwlint:ignore FW101,fw103: "fw103" is not a check id (FW and three digits, e.g. FW102): write FW103, as in the config' });
    expect(parseIgnoreArgument('fw101 reason=x')).toEqual({ error: expect.stringContaining('"fw101" is not a check id (FW and three digits, e.g. FW102): write FW101') });
  });

  it('rejects a malformed id anywhere in the list, naming it', () => {
    expect(parseIgnoreArgument('FW101,FW1O2 reason=x')).toEqual({ error: 'fwlint:ignore FW101,FW1O2: "FW1O2" is not a check id (FW and three digits, e.g. FW102)' });
    expect(parseIgnoreArgument('FW101, FW1023 reason=x')).toEqual({ error: expect.stringContaining('"FW1023" is not a check id') });
    expect(parseIgnoreArgument('reason=x')).toEqual({ error: expect.stringContaining('needs check ids first') });
  });

  it('a scan reports annotation/invalid at the annotation and does not suppress', () => {
    const result = scanDir({ 'sg.tf': SG('# fwlint:ignore FW101,FW1O2 reason="typo"') });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'annotation/invalid', severity: 'error', file: 'sg.tf', range: expect.objectContaining({ startLine: 4 }) })]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101' && !finding.suppression)).toHaveLength(1);
  });
});

// Regression (QA 9, items 04 and 07): everything after the ids but reason= and expires= was ignored, so a typo
// (`expire=2025-01-31`) made a time-boxed exception permanent, and a repeated reason= silently kept the first.
describe('fwlint:ignore settings', () => {
  it('rejects an unknown setting, naming it and the settings there are', () => {
    expect(parseIgnoreArgument('FW101 reason="window SEC-42" expire=2025-01-31')).toEqual({ error: 'fwlint:ignore FW101: unknown setting "expire=2025-01-31"; the settings are reason= and expires=' });
    expect(parseIgnoreArgument('FW101 foo=bar reason=x')).toEqual({ error: expect.stringContaining('unknown setting "foo=bar"') });
  });

  it('rejects a repeated setting, a stray word and an unclosed quote', () => {
    expect(parseIgnoreArgument('FW101 reason="a" reason="b"')).toEqual({ error: 'fwlint:ignore FW101: reason= is given more than once ("a", then "b"); write it once' });
    expect(parseIgnoreArgument('FW101 reason=x expires=2027-01-01 expires=2028-01-01')).toEqual({ error: expect.stringContaining('expires= is given more than once') });
    expect(parseIgnoreArgument('FW101 reason=public web')).toEqual({ error: 'fwlint:ignore FW101: "web" is not a setting; the settings are reason= and expires=' });
    expect(parseIgnoreArgument('FW101 reason="unterminated')).toEqual({ error: 'fwlint:ignore FW101: reason= has no closing "' });
  });

  it('still reads quoted values with spaces, either quote, and spaces around =', () => {
    expect(parseIgnoreArgument("FW101 reason = 'public web' expires= \"2027-06-30\"")).toEqual({ checks: ['FW101'], reason: 'public web', expires: '2027-06-30' });
  });

  it('a scan reports annotation/invalid, an error (exit 2), and does not suppress', () => {
    const result = scanDir({ 'sg.tf': SG('# fwlint:ignore FW101 reason="vendor migration window" expire=2025-01-31') });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'annotation/invalid', severity: 'error', file: 'sg.tf', range: expect.objectContaining({ startLine: 4 }), message: expect.stringContaining('unknown setting "expire=2025-01-31"') }),
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101' && !finding.suppression)).toHaveLength(1);
  });
});

// Regression (QA 9, item 07): `# FWLINT:IGNORE FW101 …` was silently no directive: the user believed it applied.
describe('directives are case-sensitive; a near miss is reported', () => {
  const range = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
  it('reads no directive from another case, spacing or a one-letter typo, but marks it as misspelled', () => {
    for (const text of ['# FWLINT:IGNORE FW101 reason="x"', '# fwlint:Ignore FW101', '# fwlint: ignore FW101', '// fwlint-ignore FW101', '# fwlint:ignroe FW101', '# fwlint:profle a/b']) {
      expect(annotationFromComment(text, 'f', range)).toMatchObject({ directive: 'misspelled' });
    }
  });

  it('leaves ordinary comments that mention fwlint alone', () => {
    for (const text of ['# checked by fwlint: see docs', '# fwlint', '# fwlint:disable FW101', '# FWLint: targets below are generated']) expect(annotationFromComment(text, 'f', range)).toBeUndefined();
    expect(annotationFromComment('# fwlint:ignore FW101 reason="x"', 'f', range)).toMatchObject({ directive: 'ignore' });
  });

  it('a scan warns at the comment (annotation/not-directive) and the finding stays', () => {
    const result = scanDir({ 'sg.tf': SG('# FWLINT:IGNORE FW101 reason="uppercase directive"') });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['annotation/not-directive', 'warning', 4, '"FWLINT:IGNORE" is not an fwlint directive, so this comment does nothing: directives are written in lower case, as fwlint:ignore, fwlint:profile or fwlint:target'],
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101' && !finding.suppression)).toHaveLength(1);
  });

  it('also in CloudFormation YAML', () => {
    const template = 'Resources:\n  # Fwlint:Ignore FW101 reason="x"\n  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: w\n      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]\n';
    expect(scanDir({ 't.yaml': template }).diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.range?.startLine}`)).toEqual(['annotation/not-directive 2']);
  });
});

describe('fwlint:ignore with an id that is no fwlint check', () => {
  it('warns at the annotation, as checks: in the config does, and still suppresses the known id', () => {
    const result = scanDir({ 'sg.tf': SG('# fwlint:ignore FW101,FW999 reason="typo"') });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.file, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['annotation/unknown-check', 'warning', 'sg.tf', 4, expect.stringMatching(/^fwlint:ignore FW999 is not an fwlint check \(known: FW101, .*\); it suppresses nothing$/)],
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.suppression?.justification)).toEqual(['typo']);
  });
});

describe('config ignore: and checks: diagnostics', () => {
  const config = [
    'checks:',
    '  FW103: low',
    '  FW999: off',
    'ignore:',
    '  - { check: FW101, reason: "old", expires: 2000-01-01 }',
    '  - check: FW102',
    '    reason: "nothing to mute"',
    '  - { check: FW101, reason: "bad date", expires: 2027-02-30 }',
    '  - { check: FW999, reason: "no such check" }',
    '',
  ].join('\n');
  const result = scanDir({ 'sg.tf': SG(''), '.fwlint.yaml': config });
  const find = (code: string) => result.diagnostics.filter((diagnostic) => diagnostic.code === code);

  it('points expired and unused entries to their own line', () => {
    expect(find('suppress/expired')).toEqual([expect.objectContaining({ file: '.fwlint.yaml', range: expect.objectContaining({ startLine: 5 }) })]);
    expect(find('suppress/unused')).toEqual([expect.objectContaining({ file: '.fwlint.yaml', range: expect.objectContaining({ startLine: 6 }) })]);
  });

  it('rejects an impossible expires date in the config as an error at its entry', () => {
    expect(find('config/ignore')).toEqual([
      expect.objectContaining({ severity: 'error', file: '.fwlint.yaml', message: expect.stringContaining('2027-02-30 is not a calendar date'), range: expect.objectContaining({ startLine: 8 }) }),
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101' && !finding.suppression)).toHaveLength(1);
  });

  // Regression (QA 9, item 07): an ignore: entry of an unknown check was reported as "matched no finding; remove it".
  it('warns about an unknown check id under checks: and in an ignore: entry, at its key or entry, not as unused', () => {
    expect(find('config/unknown-check')).toEqual([
      expect.objectContaining({ severity: 'warning', file: '.fwlint.yaml', message: expect.stringContaining('checks: FW999 is not an fwlint check'), range: expect.objectContaining({ startLine: 3 }) }),
      expect.objectContaining({
        severity: 'warning',
        file: '.fwlint.yaml',
        message: expect.stringMatching(/^ignore: FW999 is not an fwlint check \(known: FW101, .*\); the entry suppresses nothing$/),
        range: expect.objectContaining({ startLine: 9 }),
      }),
    ]);
    expect(find('suppress/unused').map((diagnostic) => diagnostic.message)).not.toContainEqual(expect.stringContaining('FW999'));
  });
});

// Regression (QA 9, item 09): `ports:` or `peer:` on an FW201 entry was accepted, could never match (an FW201 finding
// is a missing flow, with no rule), and was then reported as "matched no finding; remove it".
describe('config ignore: ports and peer on FW201', () => {
  it('are a config error at the setting, naming why', () => {
    const config = 'ignore:\n  - { check: FW201, target: "aws_security_group.bastion", ports: "tcp/3000", peer: 10.0.0.0/8, reason: "api via LB" }\n';
    const result = scanDir({ 'sg.tf': SG(''), '.fwlint.yaml': config });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['config/schema', 'error', 2, '/ignore/0/ports: ports does not apply to FW201, whose finding is a required flow that is missing, not a rule: accept it by target (all of that target\'s missing flows), or give the flow\'s peer under targets:'],
      ['config/schema', 'error', 2, expect.stringMatching(/^\/ignore\/0\/peer: peer does not apply to FW201/)],
    ]);
  });

  it('an FW201 entry by target alone is still valid', () => {
    const result = scanDir({ 'sg.tf': SG(''), '.fwlint.yaml': 'ignore:\n  - { check: FW201, target: "aws_security_group.bastion", reason: "api via LB" }\n' });
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['suppress/unused']);
  });
});

describe('netsh: where a REM fwlint:ignore applies', () => {
  const RDP = 'netsh advfirewall firewall add rule name="RDP" dir=in action=allow protocol=TCP localport=3389 remoteip=any';
  const SMB = 'netsh advfirewall firewall add rule name="SMB" dir=in action=allow protocol=TCP localport=445 remoteip=any';
  const fw101 = (result: ReturnType<typeof scan>) =>
    result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${String(finding.properties.traffic)} ${finding.suppression ? 'muted' : 'open'}`).sort();

  it('on line 1 it applies to the rule below, not to the whole host', () => {
    const result = scanDir({ 'host1.cmd': `REM fwlint:ignore FW101 reason="RDP through the VPN only"\r\n${RDP}\r\n${SMB}\r\n` });
    expect(fw101(result)).toEqual(['tcp/3389 muted', 'tcp/445 open']);
  });

  it('after the last rule it applies to the host', () => {
    const result = scanDir({ 'host1.cmd': `@echo off\r\n${RDP}\r\n${SMB}\r\nREM fwlint:ignore FW101 reason="lab host, isolated network"\r\n` });
    expect(fw101(result)).toEqual(['tcp/3389 muted', 'tcp/445 muted']);
  });

  // QA: a comment above `set rule` muted the whole host (written after the last `add`) or the next `add` below it.
  const SQL = 'netsh advfirewall firewall add rule name="SQL" dir=in action=allow protocol=TCP localport=1433 remoteip=any';
  const MOVE_RDP = 'REM fwlint:ignore FW101 reason="RDP moves to 3390"\r\nnetsh advfirewall firewall set rule name="RDP" new localport=3390';
  const suppressDiagnostics = (result: ReturnType<typeof scan>) =>
    result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('suppress/')).map((diagnostic) => `${diagnostic.code} ${diagnostic.range?.startLine}`);

  it('above set rule at the end it applies to the rule that command changes, not to the host', () => {
    const result = scanDir({ 'host1.cmd': `${RDP}\r\n${SMB}\r\n${SQL}\r\n${MOVE_RDP}\r\n` });
    expect(fw101(result)).toEqual(['tcp/1433 open', 'tcp/3390 muted', 'tcp/445 open']);
    expect(suppressDiagnostics(result)).toEqual([]);
  });

  it('above set rule between add rules it applies to the rule that command changes, not to the next add', () => {
    const result = scanDir({ 'host1.cmd': `${RDP}\r\n${MOVE_RDP}\r\n${SMB}\r\n${SQL}\r\n` });
    expect(fw101(result)).toEqual(['tcp/1433 open', 'tcp/3390 muted', 'tcp/445 open']);
  });

  it('above delete rule, or above an add rule deleted later, it mutes nothing and is reported unused', () => {
    const deleteRdp = 'netsh advfirewall firewall delete rule name="RDP"';
    const above = scanDir({ 'host1.cmd': `${RDP}\r\nREM fwlint:ignore FW101 reason="RDP goes away"\r\n${deleteRdp}\r\n${SMB}\r\n` });
    expect(fw101(above)).toEqual(['tcp/445 open']);
    expect(suppressDiagnostics(above)).toEqual(['suppress/unused 2']);
    const deletedLater = scanDir({ 'host1.cmd': `REM fwlint:ignore FW101 reason="RDP for now"\r\n${RDP}\r\n${deleteRdp}\r\n${SMB}\r\n` });
    expect(fw101(deletedLater)).toEqual(['tcp/445 open']);
    expect(suppressDiagnostics(deletedLater)).toEqual(['suppress/unused 1']);
  });

  it('at the end of a cmd line after "& REM" it applies to that line\'s rule; after "& ::" it is reported, not ignored', () => {
    const result = scanDir({ 'host1.cmd': `${RDP} & REM fwlint:ignore FW101 reason="VPN only"\r\n${SMB}\r\n` });
    expect(fw101(result)).toEqual(['tcp/3389 muted', 'tcp/445 open']);
    const label = scanDir({ 'host1.cmd': `${RDP} & :: fwlint:ignore FW101 reason="VPN only"\r\n${SMB}\r\n` });
    expect(fw101(label)).toEqual(['tcp/3389 open', 'tcp/445 open']);
    expect(label.diagnostics).toContainEqual(expect.objectContaining({ code: 'parse/netsh-annotation-not-comment', severity: 'warning', range: expect.objectContaining({ startLine: 1 }) }));
  });
});

describe('config ignore: peer scoping', () => {
  const sg = [
    'resource "aws_security_group" "web" {',
    '  name = "web"',
    '  ingress {',
    '    from_port   = 443',
    '    to_port     = 443',
    '    protocol    = "tcp"',
    '    cidr_blocks = ["0.0.0.0/1", "128.0.0.0/1"]',
    '  }',
    '  ingress {',
    '    from_port        = 443',
    '    to_port          = 443',
    '    protocol         = "tcp"',
    '    ipv6_cidr_blocks = ["::/0"]',
    '  }',
    '  ingress {',
    '    from_port   = 22',
    '    to_port     = 22',
    '    protocol    = "tcp"',
    '    cidr_blocks = ["0.0.0.0/0"]',
    '  }',
    '}',
    '',
  ].join('\n');
  const config = 'ignore:\n  - { check: FW101, ports: "tcp/443", peer: "0.0.0.0/0", reason: "public web over IPv4" }\n';
  const result = scanDir({ 'web.tf': sg, '.fwlint.yaml': config });
  const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');

  it('mutes the rule whose peer set it contains (two /1 halves are 0.0.0.0/0), not the IPv6 rule nor another port', () => {
    const state = fw101.map((finding) => `${finding.location.range.startLine} ${finding.suppression ? 'muted' : 'open'}`).sort();
    // One finding per CIDR of line 7: each half is inside 0.0.0.0/0 (a string comparison would mute neither).
    expect(state).toEqual(['13 open', '19 open', '7 muted', '7 muted']);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('suppress/'))).toEqual([]);
  });
});

describe('config ignore: a finding on one written rule of several model rules', () => {
  // One netsh rule whose RemoteIP list is the whole IPv4 internet in two ranges: one FW101 finding over two model rules.
  const script = [
    '@echo off',
    'REM fwlint:target webhost',
    'netsh advfirewall firewall add rule name="Web 8080" dir=in action=allow protocol=TCP localport=8080 remoteip=0.0.0.0-127.255.255.255,128.0.0.0-255.255.255.255',
    '',
  ].join('\r\n');
  const fw101 = (peer: string): ReturnType<typeof scan>['findings'] => {
    const config = `ignore:\n  - { check: FW101, ports: "tcp/8080", peer: "${peer}", reason: "test" }\n`;
    return scanDir({ 'web.cmd': script, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW101');
  };

  it('is muted by an entry that contains every piece of the written rule', () => {
    const findings = fw101('0.0.0.0/0');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.suppression).toBeDefined();
  });

  it('is not muted by an entry that contains only the first piece', () => {
    const findings = fw101('0.0.0.0/1');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.suppression).toBeUndefined();
  });
});

describe('config ignore: a managed prefix list of the input named as peer', () => {
  // Before the lists' entries were read, these rules' peers were the symbolic lists: entries naming them must still match.
  const template = [
    'Resources:',
    '  AdminList:',
    '    Type: AWS::EC2::PrefixList',
    '    Properties:',
    '      PrefixListName: admin',
    '      AddressFamily: IPv4',
    '      MaxEntries: 2',
    '      Entries: [{ Cidr: 0.0.0.0/0 }]',
    '  Bastion:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: bastion',
    '      SecurityGroupIngress:',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, SourcePrefixListId: !Ref AdminList }',
    '',
  ].join('\n');
  const terraform = [
    'resource "aws_ec2_managed_prefix_list" "admin" {',
    '  name           = "admin"',
    '  address_family = "IPv4"',
    '  max_entries    = 2',
    '  entry {',
    '    cidr = "0.0.0.0/0"',
    '  }',
    '}',
    'resource "aws_security_group" "bastion" {',
    '  name = "bastion"',
    '  ingress {',
    '    from_port       = 22',
    '    to_port         = 22',
    '    protocol        = "tcp"',
    '    prefix_list_ids = [aws_ec2_managed_prefix_list.admin.id]',
    '  }',
    '}',
    '',
  ].join('\n');
  const fw101 = (file: string, text: string, peer: string): ReturnType<typeof scan>['findings'] => {
    const config = `ignore:\n  - { check: FW101, peer: "${peer}", reason: "test" }\n`;
    return scanDir({ [file]: text, '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW101');
  };

  it.each([
    ['a CloudFormation list by its logical id', 'bastion.yaml', template, 'AdminList'],
    ['a Terraform list by its reference', 'bastion.tf', terraform, 'aws_ec2_managed_prefix_list.admin.id'],
  ])('mutes %s', (_name, file, text, peer) => {
    const findings = fw101(file, text, peer);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.suppression).toBeDefined();
  });

  it('mutes nothing for another list or for addresses that do not contain the entries', () => {
    expect(fw101('bastion.yaml', template, 'OtherList').map((finding) => finding.suppression)).toEqual([undefined]);
    expect(fw101('bastion.yaml', template, '10.0.0.0/8').map((finding) => finding.suppression)).toEqual([undefined]);
    expect(fw101('bastion.yaml', template, '0.0.0.0/0').map((finding) => finding.suppression !== undefined)).toEqual([true]);
  });
});
