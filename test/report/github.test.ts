import { escapeData, escapeProperty, renderGithub, renderGithubSummary } from '../../src/report/github';
import type { ReportInput } from '../../src/report/report-context';
import { basicInput, testContext } from './report-fixture';

/** Splits a workflow command the way the runner does: `::name k=v,k=v::data`, then unescapes. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (text: string): string =>
    text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const [key, value] = pair.split('=');
    properties[key!] = unescape(value!);
  }
  return { command: match[1]!, properties, data: unescape(match[3]!) };
}

describe('GitHub Actions reporter', () => {
  test('escapes data and properties as actions/toolkit does', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    // Regression (QA): an escape sequence in a scanned name reached the log as it was.
    expect(escapeData('Sg\u001b]0;X\u0007')).toBe('Sg\uFFFD]0;X\uFFFD');
    expect(escapeProperty('dir,with:colon/50%\n')).toBe('dir%2Cwith%3Acolon/50%25%0A');
  });

  test('one command per active finding and per diagnostic, each on one line', () => {
    const input = basicInput();
    const output = renderGithub(input, testContext());
    const lines = output.split('\n');
    expect(lines.pop()).toBe('');
    const active = input.findings.filter((finding) => !finding.suppression);
    expect(lines).toHaveLength(active.length + input.diagnostics.length);
    const commands = lines.map(parseCommand);
    for (const finding of active) {
      const command = commands.find((candidate) => candidate.data === finding.message);
      expect(command).toBeDefined();
      expect(command!.properties.title).toBe(`${finding.checkId} ${finding.checkName}`);
      expect(command!.properties.file).toBe(finding.location.file);
      expect(command!.properties.line).toBe(String(finding.location.range.startLine));
      expect(command!.command).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'warning', note: 'notice' }[finding.severity]);
    }
    const suppressed = input.findings.find((finding) => finding.suppression)!;
    expect(commands.some((command) => command.data === suppressed.message)).toBe(false);
  });

  test('the most important annotations come first (GitHub shows 10 per level and step)', () => {
    const commands = renderGithub(basicInput(), testContext()).trimEnd().split('\n').map(parseCommand);
    const levels = commands.map((command) => command.command);
    expect(levels).toEqual([...levels].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a) - ['error', 'warning', 'notice'].indexOf(b)));
    expect(commands[0]!.properties.title).toBe('fwlint parse/yaml-syntax');
    expect(commands[1]!.properties.title).toBe('FW101 world-open-ingress');
  });

  test('columns only for one-line ranges, end column inclusive', () => {
    const commands = renderGithub(basicInput(), testContext()).trimEnd().split('\n').map(parseCommand);
    const multiLine = commands.find((command) => command.properties.title === 'FW301 shadowed-rule')!;
    expect(multiLine.properties).toEqual({ file: 'infra/network.tf', line: '38', endLine: '45', title: 'FW301 shadowed-rule' });
    const oneLine = commands.find((command) => command.properties.title === 'FW101 world-open-ingress')!;
    expect(oneLine.properties).toMatchObject({ line: '12', endLine: '12', col: '19', endColumn: '29' });
  });

  test('special characters in paths and messages survive the round trip', () => {
    const input = basicInput();
    input.findings[0]!.location.file = 'modules/a,b:c/50%.tf';
    input.findings[0]!.message = 'line one\nline two: 100%';
    const line = renderGithub(input, testContext()).split('\n').find((candidate) => candidate.includes('50%25.tf'))!;
    const command = parseCommand(line);
    expect(command.properties.file).toBe('modules/a,b:c/50%.tf');
    expect(command.data).toBe('line one\nline two: 100%');
  });

  test('a diagnostic without a file has no location', () => {
    const input: ReportInput = { ...basicInput(), findings: [], diagnostics: [{ code: 'config/schema', severity: 'error', message: 'checks.FW101: bad value', file: '' }] };
    expect(renderGithub(input, testContext())).toBe('::error title=fwlint config/schema::checks.FW101: bad value\n');
  });

  test('a clean scan prints nothing', () => {
    expect(renderGithub({ ...basicInput(), findings: [], diagnostics: [] }, testContext())).toBe('');
  });

  test('the job summary is the markdown report without the PR-comment marker', () => {
    const summary = renderGithubSummary(basicInput(), testContext());
    expect(summary.startsWith('## fwlint report\n')).toBe(true);
    expect(summary).toContain('### aws_network_acl.edge');
  });
});
