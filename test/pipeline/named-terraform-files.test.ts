import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';

// QA h8 item 1: `fwlint scan main.tf` (lint-staged, pre-commit with file names, editors) read main.tf alone, so a
// world-open RDP rule whose CIDR is `var.admin_cidr`, declared with default "0.0.0.0/0" in variables.tf, was only an
// unresolved value (FW303 note, exit 0) where `fwlint scan .` reported FW101 critical. A named `.tf` file is now read
// with the other `.tf` files of its folder (one module), and only the named files' findings are reported.

let directory = '';
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-named-tf-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

function module(name: string, files: Record<string, string>): string {
  const folder = path.join(directory, name);
  fs.mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, file), text);
  return folder;
}

const RDP_GROUP = `resource "aws_security_group" "admin" {
  name = "admin"
}
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.admin.id
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = var.admin_cidr
}
`;
const ADMIN_CIDR = (value: string) => `variable "admin_cidr" {\n  type    = string\n  default = "${value}"\n}\n`;
const OPEN_SSH = `resource "aws_security_group" "ssh" {
  name = "ssh"
  # fwlint:ignore FW102 reason="never needed"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const scanIn = (cwd: string, paths: string[], keepModel?: boolean) => scan({ paths, cwd, today: '2026-11-23', ...(keepModel === undefined ? {} : { keepModel }) });
const summary = (result: ReturnType<typeof scanIn>) => ({
  findings: result.findings.map((finding) => `${finding.location.file}:${finding.location.range.startLine} ${finding.checkId} ${finding.severity}`),
  diagnostics: result.diagnostics.map((diagnostic) => `${diagnostic.file} ${diagnostic.code} ${diagnostic.severity}`),
});

describe('a named .tf file is read with the other .tf files of its folder', () => {
  it.each([true, false])('reports the world-open RDP rule whose CIDR variable is declared in a sibling file (keepModel %s)', (keepModel) => {
    const cwd = module('single', { 'main.tf': RDP_GROUP, 'variables.tf': ADMIN_CIDR('0.0.0.0/0') });
    const named = summary(scanIn(cwd, ['main.tf'], keepModel));
    expect(named.findings).toEqual(['main.tf:9 FW101 critical']);
    expect(named).toEqual(summary(scanIn(cwd, ['.'], keepModel)));
  });

  it('binds the folder\'s terraform.tfvars as the folder scan does', () => {
    const cwd = module('tfvars', { 'main.tf': RDP_GROUP, 'variables.tf': ADMIN_CIDR('10.0.0.0/8'), 'terraform.tfvars': 'admin_cidr = "0.0.0.0/0"\n' });
    expect(summary(scanIn(cwd, ['main.tf'])).findings).toEqual(['main.tf:9 FW101 critical']);
  });

  it('leaves out findings and warnings located in a sibling that was not named, and reads the folder once for several named files', () => {
    const cwd = module('siblings', { 'main.tf': RDP_GROUP, 'variables.tf': ADMIN_CIDR('0.0.0.0/0'), 'ssh.tf': OPEN_SSH });
    const whole = summary(scanIn(cwd, ['.']));
    // The folder scan: the sibling's SSH finding and its unused suppression (a warning) are there.
    expect(whole.findings).toEqual(['main.tf:9 FW101 critical', 'ssh.tf:8 FW101 critical']);
    expect(whole.diagnostics).toEqual(['ssh.tf suppress/unused warning']);
    expect(summary(scanIn(cwd, ['main.tf']))).toEqual({ findings: ['main.tf:9 FW101 critical'], diagnostics: [] });
    // Both named: one module, as the folder scan reads it.
    expect(summary(scanIn(cwd, ['main.tf', 'ssh.tf']))).toEqual(whole);
    expect(summary(scanIn(cwd, ['ssh.tf']))).toEqual({ findings: ['ssh.tf:8 FW101 critical'], diagnostics: ['ssh.tf suppress/unused warning'] });
  });

  it('still reports an error in a sibling: the module read is incomplete (exit 2)', () => {
    const cwd = module('broken-sibling', { 'main.tf': RDP_GROUP, 'variables.tf': ADMIN_CIDR('0.0.0.0/0'), 'broken.tf': 'resource "aws_security_group" "x" {\n  name = "unterminated\n}\n' });
    const named = summary(scanIn(cwd, ['main.tf']));
    expect(named.findings).toEqual(['main.tf:9 FW101 critical']);
    expect(named.diagnostics.filter((diagnostic) => diagnostic.endsWith(' error'))).not.toEqual([]);
    expect(named.diagnostics.every((diagnostic) => diagnostic.startsWith('broken.tf ') && diagnostic.endsWith(' error'))).toBe(true);
  });

  it('reads a named file alone where its folder declares a resource twice (Terraform rejects it as a module: separate examples)', () => {
    const cwd = module('examples', { 'open.tf': RDP_GROUP.replace('var.admin_cidr', '"0.0.0.0/0"'), 'closed.tf': RDP_GROUP.replace('var.admin_cidr', '"10.0.0.0/8"') });
    expect(summary(scanIn(cwd, ['open.tf'])).findings).toEqual(['open.tf:9 FW101 critical']);
    expect(summary(scanIn(cwd, ['closed.tf'])).findings).toEqual([]);
  });

  // QA h9 item 02: scanned as a folder (or as several named files) such a folder was one module, so the last file's
  // `aws_security_group.web` replaced the others (a world-open SSH missed, exit 0) and the last file's default of a
  // variable declared in every file was used by all of them.
  it.each([
    ['the open group in the first file', { 'a.tf': OPEN_SSH, 'b.tf': OPEN_SSH.replace('0.0.0.0/0', '10.0.0.0/8') }, 'a.tf'],
    ['the open group in the last file', { 'a.tf': OPEN_SSH.replace('0.0.0.0/0', '10.0.0.0/8'), 'z.tf': OPEN_SSH }, 'z.tf'],
  ])('judges each file of a folder declaring a resource twice alone, scanned whole or named (%s)', (_case, files, openFile) => {
    const cwd = module(`examples-${openFile}`, files);
    for (const paths of [['.'], Object.keys(files)]) {
      const result = scanIn(cwd, paths);
      expect(summary(result).findings).toEqual([`${openFile}:8 FW101 critical`]);
      expect(result.targetFiles.map(({ id, file }) => `${id} ${file}`)).toEqual(Object.keys(files).map((file) => `aws_security_group.ssh ${file}`));
    }
  });

  it('names a file read alone as the root of the module instances it calls', () => {
    const cwd = module('example-calls', {});
    module('example-calls/modules/sg', { 'main.tf': 'variable "cidr" {}\n' + OPEN_SSH.replace('"0.0.0.0/0"', 'var.cidr') });
    const call = (cidr: string) => `module "sg" {\n  source = "../modules/sg"\n  cidr   = "${cidr}"\n}\n`;
    module('example-calls/examples', { 'a.tf': call('0.0.0.0/0'), 'b.tf': call('10.0.0.0/8'), 'c.tf': call('0.0.0.0/0') });
    const messages = scanIn(cwd, ['.']).findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.message);
    expect(messages).toEqual(['examples/a.tf', 'examples/c.tf'].map((root) => `module.sg.aws_security_group.ssh allows ingress from 0.0.0.0/0 on tcp/22 (root ${root})`));
  });

  it('gives each file of a folder declaring a variable twice its own variables', () => {
    const group = (name: string) => `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.cidr]\n  }\n}\n`;
    const variable = (value: string) => `variable "cidr" {\n  default = "${value}"\n}\n`;
    for (const [first, last] of [['10.0.0.0/8', '0.0.0.0/0'], ['0.0.0.0/0', '10.0.0.0/8']]) {
      const cwd = module(`variables-${first!.replace(/\W/g, '-')}`, { 'a.tf': variable(first!) + group('a'), 'b.tf': variable(last!) + group('b') });
      const openFile = first === '0.0.0.0/0' ? 'a.tf' : 'b.tf';
      expect(summary(scanIn(cwd, ['.'])).findings).toEqual([`${openFile}:9 FW101 critical`]);
    }
  });
});
