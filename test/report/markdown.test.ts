import type { Finding } from '../../src/model/finding';
import { MARKDOWN_MARKER, mdText, renderMarkdown, renderMarkdownReport } from '../../src/report/markdown';
import type { ReportInput } from '../../src/report/report-context';
import { scanFiles } from '../helpers/scan-fixture';
import { basicInput, testContext } from './report-fixture';

/** Cells of a table row, split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((cell) => cell.trim());
}

describe('Markdown reporter', () => {
  test('escapes what would break a table cell or become markup', () => {
    expect(mdText('a|b')).toBe('a\\|b');
    expect(mdText('<script>&')).toBe('&lt;script&gt;&amp;');
    expect(mdText('two\nlines\r\nhere')).toBe('two lines here');
    expect(mdText('`code` *bold* [link](x) ~~gone~~ back\\slash')).toBe('\\`code\\` \\*bold\\* \\[link\\](x) \\~\\~gone\\~\\~ back\\\\slash');
    expect(mdText('aws_security_group.web')).toBe('aws_security_group.web');
    // Regression (QA): `__PORT__` rendered as bold PORT; underscores inside words stay as written.
    expect(mdText('(__PORT__ * 2) _x my_var')).toBe('(\\_\\_PORT\\_\\_ \\* 2) \\_x my_var');
  });

  test('starts with the marker and a title, then totals by severity', () => {
    const markdown = renderMarkdown(basicInput(), testContext());
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe('## fwlint report');
    expect(markdown).toContain('**7 findings** in 2 targets · 1 suppressed · **1 input error**');
    expect(markdown).toContain('| critical | 1 |\n| high | 2 |\n| medium | 2 |\n| low | 1 |\n| note | 1 |');
  });

  test('every table row has exactly four cells, whatever the message contains', () => {
    const input = basicInput();
    input.findings[1]!.message = 'pipes | everywhere || and \\| escaped ones';
    const rows = renderMarkdown(input, testContext()).split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Severity |'));
    const findingRows = rows.filter((row) => /^\| (critical|high|medium|low|note) \| \[FW/.test(row));
    expect(findingRows).toHaveLength(7);
    for (const row of findingRows) expect(cells(row)).toHaveLength(4);
  });

  test('one table per target, most severe first; suppressed findings are not listed', () => {
    const input = basicInput();
    const markdown = renderMarkdown(input, testContext());
    expect(markdown.indexOf('### AppSecurityGroup')).toBeLessThan(markdown.indexOf('### aws_network_acl.edge'));
    const edge = markdown.slice(markdown.indexOf('### aws_network_acl.edge'));
    const severities = edge.split('\n').filter((line) => /^\| (critical|high|medium|low|note) \|/.test(line)).map((line) => cells(line)[0]);
    expect(severities).toEqual(['critical', 'high', 'low', 'note']);
    const suppressed = input.findings.find((finding) => finding.suppression)!;
    expect(markdown).not.toContain(suppressed.message);
  });

  test('input errors have their own section', () => {
    const markdown = renderMarkdown(basicInput(), testContext());
    expect(markdown).toContain('### Input errors\n\n- cfn/broken.yaml:7:5: unexpected end of flow sequence; expected "\\]" (parse/yaml-syntax)\n');
  });

  test('a clean scan says so', () => {
    const clean: ReportInput = { ...basicInput(), findings: [], diagnostics: [], exitCode: 0 };
    clean.stats = { ...clean.stats, suppressed: 0 };
    expect(renderMarkdown(clean, testContext())).toBe(
      `${MARKDOWN_MARKER}\n## fwlint report\n\n**0 findings** in 0 targets · 0 suppressed\n\nNo findings.\n\n<sub>fwlint 0.0.0-test · suppressed findings are not listed · \`fwlint explain <CHECK-ID>\` shows how to fix a check</sub>\n`,
    );
  });

  test('stays within the size budget and says how many findings were left out', () => {
    const input = basicInput();
    const template = input.findings[4]!;
    const many: Finding[] = [];
    for (let index = 0; index < 3000; index++) {
      many.push({ ...template, targetId: `aws_security_group.sg${String(index % 40).padStart(2, '0')}`, message: `${template.message} (copy ${index})`, fingerprint: index.toString(16).padStart(16, '0') });
    }
    input.findings = many;
    const markdown = renderMarkdown(input, testContext());
    expect(Buffer.byteLength(markdown, 'utf8')).toBeLessThanOrEqual(60000);
    const shown = markdown.split('\n').filter((line) => line.startsWith('| critical | [FW')).length;
    expect(shown).toBeGreaterThan(0);
    expect(markdown).toContain(`_${3000 - shown} more findings not shown here (size limit)`);
    expect(markdown.endsWith('</sub>\n')).toBe(true);

    const summary = renderMarkdownReport(input, testContext(), { maxBytes: 900 * 1024, marker: false });
    expect(summary.split('\n').filter((line) => line.startsWith('| critical | [FW'))).toHaveLength(3000);
  });

  // Regression (QA): two CloudFormation templates' groups `WebSG` were one target with one table.
  test('one table per file\'s target where several files define targets of one id, named with the file', () => {
    const template = (cidr: string): string => [
      'Resources:',
      '  WebSG:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: web',
      '      SecurityGroupIngress:',
      `        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: ${cidr} }`,
      '',
    ].join('\n');
    const result = scanFiles({ 'stacks/a.yaml': template('0.0.0.0/0'), 'stacks/b.yaml': template('0.0.0.0/0') });
    const input: ReportInput = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, targets: result.targetFiles, stats: result.stats, exitCode: 1 };
    const active = result.findings.filter((finding) => !finding.suppression);
    const markdown = renderMarkdown(input, testContext());
    expect(markdown).toContain(`**${active.length} findings** in 2 targets`);
    expect([...markdown.matchAll(/^### (.*)$/gm)].map((match) => match[1])).toEqual(['WebSG (stacks/a.yaml)', 'WebSG (stacks/b.yaml)']);
    // Each table lists its own template's findings only.
    const [tableA, tableB] = markdown.split(/^### .*$/m).slice(1);
    expect(tableA).toContain('stacks/a.yaml:7:');
    expect(tableA).not.toContain('stacks/b.yaml');
    expect(tableB).toContain('stacks/b.yaml:7:');
  });
});
