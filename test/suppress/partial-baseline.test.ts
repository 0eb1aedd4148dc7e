import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli';

// Regression (QA 9, item 05): `--baseline X --write-baseline X` on a subfolder or a named file dropped every entry
// the scan could not see and counted them as "no longer occur"; the next full scan failed on accepted findings.

const worldOpen = (name: string, port: number): string =>
  `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = ${port}\n    to_port     = ${port}\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
const TEMPLATE = [
  'Resources:',
  '  WebSG:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}]',
  '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
  '',
].join('\n');

const CARRIED_OVER_TWO = '--write-baseline carried over 2 baseline entries unchanged: their files or root modules are not in what this scan reports (outside its paths, or siblings of a named file)';

describe('--baseline X --write-baseline X on a partial scan', () => {
  let directory: string;
  const fingerprintsOf = (file: string): string[] =>
    (JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8')) as { findings: Array<{ file: string; fingerprint: string }> }).findings.map((entry) => `${entry.file} ${entry.fingerprint}`);

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-partial-baseline-'));
    fs.mkdirSync(path.join(directory, '.git'));
    fs.mkdirSync(path.join(directory, 'infra'));
    fs.mkdirSync(path.join(directory, 'cfn'));
    fs.writeFileSync(path.join(directory, 'infra/main.tf'), worldOpen('web', 22));
    fs.writeFileSync(path.join(directory, 'infra/admin.tf'), worldOpen('admin', 3389));
    fs.writeFileSync(path.join(directory, 'cfn/a.yaml'), TEMPLATE);
    expect((await runCli(['scan', '.', '--write-baseline', 'bl.json'], directory)).code).toBe(1);
  });
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('of a subfolder keeps the entries of the other folders, and does not count them as gone', async () => {
    const before = fingerprintsOf('bl.json');
    const update = await runCli(['scan', 'cfn', '--baseline', 'bl.json', '--write-baseline', 'bl.json', '--no-color'], directory);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('1 in baseline, 0 baseline entries no longer occur');
    // A warning on the baseline written, in the report: not said again on stderr.
    expect(update.stdout).toContain(`bl.json\n  -        warning  ${CARRIED_OVER_TWO}  baseline/carried-over`);
    expect(update.stderr).toBe('');
    expect(fingerprintsOf('bl.json')).toEqual(before);
    expect((await runCli(['scan', '.', '--baseline', 'bl.json'], directory)).code).toBe(0);
  });

  // QA (CI gate leftovers): the note was on stderr only, so a CI job reading the JSON or SARIF report never saw it.
  it('says so in the machine reports too (JSON diagnostics, SARIF notifications), and on stderr', async () => {
    const json = await runCli(['scan', 'cfn', '--baseline', 'bl.json', '--write-baseline', 'bl.json', '--format', 'json'], directory);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([
      { code: 'baseline/carried-over', severity: 'warning', message: CARRIED_OVER_TWO, file: 'bl.json', range: null },
    ]);
    expect(json.stderr).toBe(`fwlint: ${CARRIED_OVER_TWO}\n`);
    const sarif = await runCli(['scan', 'cfn', '--baseline', 'bl.json', '--write-baseline', 'bl.json', '--format', 'sarif'], directory);
    const notifications = (JSON.parse(sarif.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> }).runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notifications.map((notification) => `${notification.level} ${notification.message.text}`)).toEqual([`warning bl.json: ${CARRIED_OVER_TWO}`]);
  });

  it('of a named .tf file keeps the entries of its siblings, whose findings it leaves out', async () => {
    const before = fingerprintsOf('bl.json');
    const update = await runCli(['scan', 'infra/main.tf', '--baseline', 'bl.json', '--write-baseline', 'bl.json', '--no-color'], directory);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('1 in baseline, 0 baseline entries no longer occur');
    expect(fingerprintsOf('bl.json')).toEqual(before);
    expect((await runCli(['scan', '.', '--baseline', 'bl.json'], directory)).code).toBe(0);
  });

  it('still drops an entry in the scanned folder that no longer occurs, also one of a deleted file', async () => {
    fs.rmSync(path.join(directory, 'cfn/a.yaml'));
    fs.writeFileSync(path.join(directory, 'cfn/b.yaml'), TEMPLATE.replace('FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0', 'FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8'));
    const update = await runCli(['scan', 'cfn', '--baseline', 'bl.json', '--write-baseline', 'bl.json', '--no-color'], directory);
    expect(update.stdout).toContain('0 in baseline, 1 baseline entry no longer occurs');
    expect(fingerprintsOf('bl.json').map((entry) => entry.split(' ')[0])).toEqual(expect.arrayContaining(['infra/main.tf', 'infra/admin.tf']));
    expect(fingerprintsOf('bl.json').some((entry) => entry.startsWith('cfn/a.yaml'))).toBe(false);
  });
});
