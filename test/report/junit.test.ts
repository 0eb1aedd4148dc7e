import { attribute, content, renderJunit } from '../../src/report/junit';
import type { ReportInput } from '../../src/report/report-context';
import { scanFiles } from '../helpers/scan-fixture';
import { basicInput, testContext } from './report-fixture';

/** Small well-formedness check: balanced tags, quoted attributes, no bare `<` or `&` in text or attributes. */
function expectWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let match = tag.exec(body); match; match = tag.exec(body)) {
    const text = body.slice(last, match.index);
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    for (const value of match[3]!.matchAll(/="([^"]*)"/g)) expect(value[1]).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    if (match[1]) expect(stack.pop()).toBe(match[2]);
    else if (!match[4]) stack.push(match[2]!);
    last = tag.lastIndex;
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}

function attributeOf(xml: string, element: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`, 'g'))].map((match) => match[1]!);
}

describe('JUnit reporter', () => {
  test('is well-formed XML with counts that match its test cases', () => {
    const xml = renderJunit(basicInput(), testContext());
    expectWellFormedXml(xml);
    const cases = (xml.match(/<testcase /g) ?? []).length;
    const failures = (xml.match(/<failure /g) ?? []).length;
    const errors = (xml.match(/<error /g) ?? []).length;
    expect(attributeOf(xml, 'testsuite', 'tests')).toEqual([String(cases)]);
    expect(attributeOf(xml, 'testsuite', 'failures')).toEqual([String(failures)]);
    expect(attributeOf(xml, 'testsuite', 'errors')).toEqual([String(errors)]);
    expect(attributeOf(xml, 'testsuites', 'tests')).toEqual([String(cases)]);
  });

  test('one test case per target × check: failing where the check found something, passing elsewhere; one error per unparsable file', () => {
    const input = basicInput();
    const xml = renderJunit(input, testContext());
    const active = input.findings.filter((finding) => !finding.suppression);
    const pairs = new Set(active.map((finding) => `${finding.targetId} ${finding.checkId}`));
    expect((xml.match(/<failure /g) ?? []).length).toBe(pairs.size);
    for (const target of input.targets!) {
      for (const check of input.checks) {
        const passing = xml.includes(`<testcase name="${check.id} ${check.name}" classname="${target.id}" file="${target.file}" time="0"/>`);
        const failing = xml.includes(`<testcase name="${check.id} ${check.name}" classname="${target.id}" file=`) && !passing;
        expect([target.id, check.id, passing, failing]).toEqual([target.id, check.id, !pairs.has(`${target.id} ${check.id}`), pairs.has(`${target.id} ${check.id}`)]);
      }
    }
    const errors = 1;
    expect(attributeOf(xml, 'testsuite', 'tests')).toEqual([String(input.targets!.length * input.checks.length + errors)]);
    expect(xml).not.toContain('classname="fwlint" time="0"/>');
    expect(xml).toContain('<testcase name="parse cfn/broken.yaml" classname="fwlint" file="cfn/broken.yaml" line="7" time="0">');
    // The warning is kept in system-out, not counted as an error.
    expect(xml).toContain('<system-out>warning infra/network.tf:60:1 ');
  });

  test('a target × check whose only findings are suppressed passes; the suppressed count is a property', () => {
    const input = basicInput();
    const xml = renderJunit(input, testContext());
    // FW101 on AppSecurityGroup is suppressed in the fixture.
    expect(input.findings.some((finding) => finding.checkId === 'FW101' && finding.targetId === 'AppSecurityGroup' && finding.suppression)).toBe(true);
    expect(xml).toContain('<testcase name="FW101 world-open-ingress" classname="AppSecurityGroup" file="cfn/app.yaml" time="0"/>');
    expect(xml).toContain('<property name="suppressed" value="1"/>');
  });

  test('a clean scan has only passing test cases, one per target × check', () => {
    const clean: ReportInput = { ...basicInput(), findings: [], diagnostics: [], exitCode: 0 };
    const xml = renderJunit(clean, testContext());
    expectWellFormedXml(xml);
    const cases = clean.targets!.length * clean.checks.length;
    expect(xml).toContain(`<testsuite name="fwlint" tests="${cases}" failures="0" errors="0" skipped="0" time="0">`);
  });

  test('without any target, one skipped case per check: nothing was checked, so nothing shows as passed', () => {
    const empty: ReportInput = { ...basicInput(), findings: [], diagnostics: [], targets: [], exitCode: 0 };
    const xml = renderJunit(empty, testContext());
    expect(xml).toContain(`<testsuite name="fwlint" tests="${empty.checks.length}" failures="0" errors="0" skipped="${empty.checks.length}" time="0">`);
    expect(xml).toContain('<testcase name="FW101 world-open-ingress" classname="fwlint" time="0">\n      <skipped message="not checked: no firewall target was found in the scanned paths"/>');
  });

  // Review item 7: targets of a file with a parse error got a passing case for every check.
  test('a target from a file that was not fully parsed: its checks without findings are skipped with the error, findings still fail', () => {
    const input = basicInput();
    const target = input.targets!.find((candidate) => candidate.file === 'cfn/app.yaml')!;
    input.diagnostics.push({ code: 'parse/yaml-syntax', severity: 'error', message: 'bad indentation', file: 'cfn/app.yaml', range: { startLine: 40, startColumn: 3, endLine: 40, endColumn: 4 } });
    const xml = renderJunit(input, testContext());
    expectWellFormedXml(xml);
    const ofTarget = [...xml.matchAll(new RegExp(`<testcase [^>]*classname="${target.id}"[^>]*?(/?)>`, 'g'))];
    expect(ofTarget.length).toBe(input.checks.length);
    // No case of that target passes blindly: each is skipped (with the error) or failing (a finding was read).
    expect(ofTarget.filter((match) => match[1] === '/')).toEqual([]);
    expect(xml).toContain('<skipped message="not fully checked: cfn/app.yaml was not read completely (cfn/app.yaml:40:3: bad indentation, parse/yaml-syntax); the part not read may hold what this check looks for"/>');
    const skipped = (xml.match(/<skipped /g) ?? []).length;
    expect(skipped).toBeGreaterThan(0);
    expect(attributeOf(xml, 'testsuite', 'skipped')).toEqual([String(skipped)]);
    expect(xml).toContain('<testcase name="parse cfn/app.yaml" classname="fwlint" file="cfn/app.yaml" line="40" time="0">');
    // Targets of the files that parsed still pass.
    expect(xml).toMatch(/<testcase name="FW102 all-traffic" classname="(?!AppSecurityGroup)[^"]+" file="(?!cfn\/app\.yaml)[^"]+" time="0"\/>/);
  });

  test('without any target, and a file that could not be parsed, the per-check cases are skipped', () => {
    const input: ReportInput = { ...basicInput(), findings: [], targets: [], exitCode: 2 };
    const xml = renderJunit(input, testContext());
    expect(xml).toContain('<testcase name="FW101 world-open-ingress" classname="fwlint" time="0">\n      <skipped message="not checked: no target was read, and cfn/broken.yaml could not be read or parsed"/>');
    expect(attributeOf(xml, 'testsuite', 'skipped')).toEqual([String(input.checks.length)]);
  });

  test('findings of a check missing from the metadata are still reported', () => {
    const input = basicInput();
    input.findings.push({ ...input.findings[0]!, checkId: 'FW999', checkName: 'future-check', fingerprint: 'ffffffffffffffff' });
    expect(renderJunit(input, testContext())).toContain('<testcase name="FW999 future-check" classname="AppSecurityGroup"');
  });

  test('escapes markup, quotes, line breaks and characters XML cannot carry', () => {
    expect(content('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(content('line 1\r\nline 2')).toBe('line 1&#13;\nline 2');
    expect(attribute(`"it's"\n\tx`)).toBe('&quot;it&apos;s&quot;&#10;&#9;x');
    expect(content('bell\u0007 nul\u0000 ok\u{1F525}')).toBe('bell\uFFFD nul\uFFFD ok\u{1F525}');
    expect(content('lone \uD800 and \uDC00')).toBe('lone \uFFFD and \uFFFD');

    const input = basicInput();
    input.findings[0]!.message = 'bad <message> & "quotes"\nsecond line\u001b[31m';
    input.findings[0]!.targetId = 'Target"<&>';
    const xml = renderJunit(input, testContext());
    expectWellFormedXml(xml);
    expect(xml).toContain('message="bad &lt;message&gt; &amp; &quot;quotes&quot;&#10;second line\uFFFD[31m"');
    expect(xml).toContain('classname="Target&quot;&lt;&amp;&gt;"');
  });

  // Regression (QA): a line feed in a message started a line of its own in the element text, so a report printed in
  // a GitHub Actions log could hold an `::error …` workflow command.
  test('keeps each finding and diagnostic on one line of element text, a line feed in it as a reference', () => {
    const input = basicInput();
    input.findings[0]!.message = 'quoted "x\n::error file=a.tf,line=1::spoofed"';
    input.diagnostics.push({ code: 'parse/cfn-bad-cidr', severity: 'error', message: 'bad "10.0.0.0/8\n::warning::x"', file: 't.yaml' });
    input.diagnostics.push({ code: 'parse/cfn-undeclared-param', severity: 'warning', message: 'w\n::notice::y', file: '' });
    const xml = renderJunit(input, testContext());
    expectWellFormedXml(xml);
    expect(xml).not.toMatch(/^\s*::/m);
    expect(xml).toContain('quoted "x&#10;::error file=a.tf,line=1::spoofed"');
    expect(xml).toContain('bad "10.0.0.0/8&#10;::warning::x" (parse/cfn-bad-cidr)');
    expect(xml).toContain('w&#10;::notice::y (parse/cfn-undeclared-param)');
  });

  // Regression (QA): two CloudFormation templates each with a group `WebSG` were one target here (the second
  // template's test cases vanished) while text and JSON counted two.
  test('one test case per check for each file\'s target where several files define targets of one id, named with the file', () => {
    const template = (cidr: string): string => [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  WebSG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: web',
      '      SecurityGroupIngress:',
      `        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: ${cidr} }`,
      '      SecurityGroupEgress:',
      '        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }',
      '',
    ].join('\n');
    const result = scanFiles({ 'stacks/a.yaml': template('0.0.0.0/0'), 'stacks/b.yaml': template('128.0.0.0/1'), 'other/c.yaml': template('10.0.0.0/8').replace(/WebSG/g, 'AppSG') });
    expect(result.stats.targets).toBe(3);
    const input: ReportInput = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 1 };
    const xml = renderJunit(input, testContext());
    expectWellFormedXml(xml);
    const classnames = attributeOf(xml, 'testcase', 'classname');
    expect(classnames).toHaveLength(3 * input.checks.length);
    // An id only one file defines keeps its plain name.
    expect([...new Set(classnames)]).toEqual(['AppSG', 'WebSG (stacks/a.yaml)', 'WebSG (stacks/b.yaml)']);
    expect(xml).toContain('<testcase name="FW101 world-open-ingress" classname="WebSG (stacks/a.yaml)" file="stacks/a.yaml" line="8" time="0">');
    expect(xml).toContain('<testcase name="FW101 world-open-ingress" classname="WebSG (stacks/b.yaml)" file="stacks/b.yaml" time="0"/>');
    expect(attributeOf(xml, 'testsuite', 'failures')).toEqual(['1']);
  });

  // QA h9 item 03: `scan main.tf -f junit` (lint-staged) listed the targets of main.tf's unnamed sibling admin.tf as
  // passing every check, a world-open RDP group included: its findings had only been left out of the report.
  test('a target defined in an unnamed sibling of a named .tf file: its checks are skipped, never passed', () => {
    const group = (name: string, port: number) => `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = ${port}\n    to_port     = ${port}\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
    const files = { 'main.tf': group('web', 22), 'admin.tf': group('admin', 3389) };
    const junitOf = (paths: string[]): string => {
      const result = scanFiles(files, { paths });
      return renderJunit({ findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 1 }, testContext());
    };
    const xml = junitOf(['main.tf']);
    expectWellFormedXml(xml);
    const admin = [...xml.matchAll(/<testcase [^>]*classname="aws_security_group\.admin"[^>]*?(\/?)>\n?(?:\s*<skipped message="([^"]*)"\/>)?/g)];
    expect(admin).toHaveLength(10);
    expect(admin.map((match) => match[2])).toEqual(admin.map(() => 'not reported: admin.tf was read with the named files of its module but not named, and findings located there are left out'));
    expect(attributeOf(xml, 'testsuite', 'skipped')).toEqual(['10']);
    expect(attributeOf(xml, 'testsuite', 'failures')).toEqual(['1']);
    expect(xml).toContain('<testcase name="FW102 all-traffic" classname="aws_security_group.web" file="main.tf" time="0"/>');
    // Both named, or the folder scanned: admin.tf's FW101 fails, nothing is skipped.
    for (const paths of [['main.tf', 'admin.tf'], ['.']]) {
      const whole = junitOf(paths);
      expect(attributeOf(whole, 'testsuite', 'skipped')).toEqual(['0']);
      expect(attributeOf(whole, 'testsuite', 'failures')).toEqual(['2']);
    }
  });

  // QA (CI gate leftovers): a group of the named main.tf whose only finding is on its rule resource in the unnamed
  // rules.tf showed that check as passed.
  test('a target of a named file whose finding is on a rule in an unnamed sibling: that check is skipped, the others pass', () => {
    const files = {
      'main.tf': 'resource "aws_security_group" "web" {\n  name = "web"\n}\n',
      'rules.tf': 'resource "aws_security_group_rule" "ssh" {\n  type              = "ingress"\n  security_group_id = aws_security_group.web.id\n  protocol          = "tcp"\n  from_port         = 22\n  to_port           = 22\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n',
    };
    const result = scanFiles(files, { paths: ['main.tf'] });
    expect(result.findings).toEqual([]);
    const xml = renderJunit({ findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 0 }, testContext());
    expectWellFormedXml(xml);
    expect(xml).toContain('<testcase name="FW101 world-open-ingress" classname="aws_security_group.web" file="main.tf" time="0">\n      <skipped message="not reported: this check found something on a rule in rules.tf, which was read with the named files of its module but not named, and findings located there are left out"/>');
    expect(attributeOf(xml, 'testsuite', 'skipped')).toEqual(['1']);
    expect(xml).toContain('<testcase name="FW102 all-traffic" classname="aws_security_group.web" file="main.tf" time="0"/>');
    // Suppressed where it is, it passes as any suppressed finding does.
    const ignored = scanFiles({ ...files, 'rules.tf': `# fwlint:ignore FW101 reason="bastion"\n${files['rules.tf']}` }, { paths: ['main.tf'] });
    expect(renderJunit({ findings: ignored.findings, diagnostics: ignored.diagnostics, checks: ignored.checks, targets: ignored.targetFiles, stats: ignored.stats, exitCode: 0 }, testContext())).not.toContain('<skipped');
  });
});
