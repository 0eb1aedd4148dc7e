import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate, parseHcl, toJs, type Value } from '../../../src/parsers/terraform/hcl';
import { dataFiles } from '../../../src/parsers/terraform/data-files';
import { scan } from '../../../src/pipeline/scan';
import { scanFiles } from '../../helpers/scan-fixture';

const GROUP = `
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}
`;

/** `traffic` of each FW101 finding, then `line code message` of each diagnostic. */
function summary(files: Record<string, string>): { open: string[]; notes: string[]; diagnostics: string[] } {
  const result = scanFiles(files);
  return {
    open: result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => String((finding.properties as { traffic?: string }).traffic)),
    notes: result.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => finding.message),
    diagnostics: result.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.range?.startLine ?? 0} ${diagnostic.code} ${diagnostic.message}`),
  };
}

describe('rules kept in data files next to the module', () => {
  it('reads yamldecode(file(…)) and jsondecode(file(…)) of files in the module (path.module, path.root, a relative path)', () => {
    const result = summary({
      'main.tf': `locals {\n  rules = merge(yamldecode(file("\${path.module}/rules.yaml")), jsondecode(file("\${path.root}/data/rules.json")), jsondecode(file("more.json")))\n}\n${GROUP}`,
      'rules.yaml': 'ssh:\n  port: 22\n  cidrs: ["0.0.0.0/0"]\n',
      'data/rules.json': '{"rdp": {"port": 3389, "cidrs": ["0.0.0.0/0"]}}',
      'more.json': '{"winrm": {"port": 5985, "cidrs": ["0.0.0.0/0"]}}',
    });
    expect(result).toEqual({ open: ['tcp/22, 3389, 5985'], notes: [], diagnostics: [] });
  });

  it('reads a child module\'s own files through its path.module', () => {
    const result = summary({
      'main.tf': 'module "sg" {\n  source = "./modules/sg"\n}\n',
      'modules/sg/main.tf': `locals {\n  rules = yamldecode(file("\${path.module}/rules.yaml"))\n}\n${GROUP}`,
      'modules/sg/rules.yaml': 'ssh: { port: 22, cidrs: ["0.0.0.0/0"] }\n',
    });
    expect(result).toEqual({ open: ['tcp/22'], notes: [], diagnostics: [] });
  });

  it('renders templatefile with the given variables', () => {
    const result = summary({
      'main.tf': `locals {\n  rules = jsondecode(templatefile("\${path.module}/rules.json.tpl", { port = 3389, cidrs = ["0.0.0.0/0"] }))\n}\n${GROUP}`,
      'rules.json.tpl': '{\n%{ for name in ["rdp"] ~}\n  "${name}": {"port": ${port}, "cidrs": ${jsonencode(cidrs)}}\n%{ endfor ~}\n}\n',
    });
    expect(result).toEqual({ open: ['tcp/3389'], notes: [], diagnostics: [] });
  });

  it('does not read a file outside the scanned module folders, also not through a link, and says so', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-outside-'));
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-data-'));
    try {
      fs.writeFileSync(path.join(outside, 'rules.yaml'), 'ssh: { port: 22, cidrs: ["0.0.0.0/0"] }\n');
      fs.mkdirSync(path.join(directory, 'root'));
      fs.writeFileSync(path.join(directory, 'root', 'main.tf'), `locals {\n  rules = merge(yamldecode(file("${path.join(outside, 'rules.yaml').split(path.sep).join('/')}")), yamldecode(file("linked.yaml")))\n}\n${GROUP}`);
      fs.symlinkSync(path.join(outside, 'rules.yaml'), path.join(directory, 'root', 'linked.yaml'));
      const result = scan({ paths: ['root'], cwd: directory, today: '2026-11-23' });
      expect(result.findings.filter((finding) => finding.checkId === 'FW101')).toEqual([]);
      expect(result.findings.filter((finding) => finding.checkId === 'FW303').length).toBeGreaterThan(0);
      expect(result.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.range?.startLine} ${diagnostic.code}`)).toEqual(['root/main.tf:2 parse/terraform-not-computed', 'root/main.tf:2 parse/terraform-not-computed']);
      expect(result.diagnostics[0]!.message).toMatch(/is not read \(the file is outside the scanned module folders\): file is unresolved$/);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('names a function it does not compute, once per call, in a note beside FW303', () => {
    const result = summary({
      'main.tf': `variable "rules_b64" {\n  default = "e30="\n}\nlocals {\n  rules = jsondecode(base64decode(var.rules_b64))\n}\n${GROUP}`,
    });
    expect(result.notes[0]).toContain('(base64decode(var.rules_b64))');
    expect(result.diagnostics).toEqual(['main.tf:5 parse/terraform-not-computed function base64decode is not computed: a value that uses it is unresolved']);
  });

  it('warns only for a value that reaches a rule: not for descriptions, names or tags, also through a shared local', () => {
    const result = summary({
      'main.tf': `variable "rules_b64" {
  default = "e30="
}
locals {
  tags  = { Created = formatdate("YYYY-MM-DD", timestamp()), Hash = md5("x"), Rules = jsonencode(local.rules) }
  rules = jsondecode(base64decode(var.rules_b64))
  port  = tonumber(textdecodebase64("MjI=", "UTF-8"))
}
resource "aws_security_group" "tagged_first" {
  name = "tagged-first"
  tags = { Port = local.port }
}
resource "aws_security_group" "web" {
  name_prefix = "\${substr(md5("web"), 0, 8)}-"
  description = "sg \${sha1("web")}"
  tags        = merge(local.tags, { Name = "web" })
  ingress {
    description = "https \${sha1("https")}"
    from_port   = local.port
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}
resource "aws_security_group_rule" "r" {
  description       = "x \${base64sha256("r")}"
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = aws_security_group.web.id
}
`,
    });
    expect(result.diagnostics).toEqual([
      'main.tf:6 parse/terraform-not-computed function base64decode is not computed: a value that uses it is unresolved',
      'main.tf:7 parse/terraform-not-computed function textdecodebase64 is not computed: a value that uses it is unresolved',
    ]);
  });

  it('reads a folder of rule files with fileset() + file() + yamldecode()', () => {
    const result = summary({
      'main.tf': `locals {\n  rules = { for f in fileset("\${path.module}/rules", "*.yaml") : trimsuffix(f, ".yaml") => yamldecode(file("\${path.module}/rules/\${f}")) }\n}\n${GROUP}`,
      'rules/ssh.yaml': 'port: 22\ncidrs: ["0.0.0.0/0"]\n',
      'rules/rdp.yaml': 'port: 3389\ncidrs: ["0.0.0.0/0"]\n',
      'rules/notes.txt': 'not a rule',
    });
    expect(result).toEqual({ open: ['tcp/22, 3389'], notes: [], diagnostics: [] });
  });

  it('lists with fileset() as Terraform does: *, **, ?, […], {a,b}, dot files, only files, sorted, relative to the folder', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fileset-'));
    try {
      for (const file of ['rules/b.yaml', 'rules/a.yml', 'rules/.hidden.yaml', 'rules/c.txt', 'rules/x1.json', 'rules/sub/d.yaml', 'rules/sub/deep/e.yaml']) {
        fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
        fs.writeFileSync(path.join(directory, file), '{}');
      }
      fs.mkdirSync(path.join(directory, 'rules', 'folder.yaml'));
      const files = dataFiles(directory, directory, new Map(), [], []);
      const listed = (folder: string, pattern: string) => files.list(folder, pattern);
      expect(listed('rules', '*.yaml')).toEqual({ files: ['.hidden.yaml', 'b.yaml'] });
      expect(listed('rules', '*.{yaml,yml}')).toEqual({ files: ['.hidden.yaml', 'a.yml', 'b.yaml'] });
      expect(listed('rules', '**/*.yaml')).toEqual({ files: ['.hidden.yaml', 'b.yaml', 'sub/d.yaml', 'sub/deep/e.yaml'] });
      expect(listed('rules', 'sub/*')).toEqual({ files: ['sub/d.yaml'] });
      expect(listed('rules', 'x?.json')).toEqual({ files: ['x1.json'] });
      expect(listed('rules', '[a-b].*')).toEqual({ files: ['a.yml', 'b.yaml'] });
      expect(listed(`${directory}/rules`, 'sub/../b.yaml')).toEqual({ files: ['b.yaml'] });
      expect(listed('missing', '*')).toEqual({ files: [] });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('does not list with fileset() outside the scanned module folders, also not through a link, and says so', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-outside-'));
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-data-'));
    try {
      fs.writeFileSync(path.join(outside, 'ssh.yaml'), 'port: 22\ncidrs: ["0.0.0.0/0"]\n');
      fs.mkdirSync(path.join(directory, 'root', 'rules'), { recursive: true });
      fs.writeFileSync(path.join(directory, 'root', 'rules', 'own.yaml'), 'port: 443\ncidrs: ["10.0.0.0/8"]\n');
      fs.symlinkSync(path.join(outside, 'ssh.yaml'), path.join(directory, 'root', 'rules', 'linked.yaml'));
      const outsidePath = outside.split(path.sep).join('/');
      fs.writeFileSync(
        path.join(directory, 'root', 'main.tf'),
        `locals {\n  rules = merge({ for f in fileset("rules", "*.yaml") : f => yamldecode(file("rules/\${f}")) }, { for f in fileset("${outsidePath}", "*.yaml") : f => yamldecode(file("${outsidePath}/\${f}")) })\n}\n${GROUP}`,
      );
      const result = scan({ paths: ['root'], cwd: directory, today: '2026-11-23' });
      expect(result.findings.filter((finding) => finding.checkId === 'FW101')).toEqual([]);
      expect(result.diagnostics.map((diagnostic) => diagnostic.message.replace(outsidePath, 'OUTSIDE'))).toEqual([
        '"rules" is not listed ("linked.yaml" is outside the scanned module folders): fileset is unresolved',
        '"OUTSIDE" is not listed (the folder is outside the scanned module folders): fileset is unresolved',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('takes a missing file as the error Terraform reports (so try() falls back)', () => {
    const result = summary({
      'main.tf': `locals {\n  rules = try(yamldecode(file("missing.yaml")), { ssh = { port = 22, cidrs = ["0.0.0.0/0"] } })\n}\n${GROUP}`,
    });
    expect(result).toEqual({ open: ['tcp/22'], notes: [], diagnostics: [] });
  });

  it('does not make a data file an input of its own', () => {
    const result = scanFiles({ 'main.tf': `locals {\n  rules = jsondecode(file("rules.json"))\n}\n${GROUP}`, 'rules.json': '{"ssh": {"port": 22, "cidrs": ["0.0.0.0/0"]}}' });
    expect(result.targets.flatMap((target) => target.rules).map((rule) => rule.location.file)).toEqual(['main.tf']);
  });
});

describe('pure functions added to the table', () => {
  function evalJs(expression: string): unknown {
    const text = `x = ${expression}\n`;
    const parsed = parseHcl(text, 'eval.tf');
    expect(parsed.diagnostics).toEqual([]);
    const value: Value = evaluate(parsed.body!.attributes[0]!.expr, { text });
    return value.kind === 'unknown' ? `unknown${value.error !== undefined ? `: ${value.error}` : ''}` : toJs(value);
  }

  it.each([
    ['jsondecode("{\\"a\\": [1, \\"x\\", null, true]}")', { a: [1, 'x', null, true] }],
    ['jsondecode("{")', expect.stringMatching(/^unknown: jsondecode: invalid JSON/)],
    ['yamldecode("a: 1\\nb: [x, \\"y\\"]\\nc: ~\\nd: yes")', { a: 1, b: ['x', 'y'], c: null, d: 'yes' }],
    ['yamldecode("a: 1\\na: 2")', expect.stringMatching(/^unknown: yamldecode: invalid YAML/)],
    ['yamldecode("--- 1\\n--- 2")', expect.stringMatching(/^unknown: yamldecode: invalid YAML/)],
    ['csvdecode("name,port\\nssh,22\\n\\"r,dp\\",3389\\n")', [{ name: 'ssh', port: '22' }, { name: 'r,dp', port: '3389' }]],
    ['csvdecode("a,b\\n1\\n")', expect.stringMatching(/^unknown: csvdecode: record 1 has 1 fields/)],
    ['title("hello world-wide web_x")', 'Hello World-Wide Web_x'],
    ['formatlist("%s/32", ["10.0.0.1", "10.0.0.2"])', ['10.0.0.1/32', '10.0.0.2/32']],
    ['formatlist("%s:%d", ["a", "b"], 22)', ['a:22', 'b:22']],
    ['formatlist("%s", "one")', ['one']],
    ['formatlist("%s%s", ["a"], ["b", "c"])', expect.stringMatching(/^unknown: formatlist: the list arguments must all have the same length/)],
    ['parseint("16", 10)', 16],
    ['parseint("FF", 16)', 255],
    ['parseint("-101", 2)', -5],
    ['parseint("12", 2)', expect.stringMatching(/^unknown: parseint: cannot parse/)],
    ['file("x")', 'unknown'],
  ])('%s', (expression, expected) => {
    expect(evalJs(expression)).toEqual(expected);
  });
});
