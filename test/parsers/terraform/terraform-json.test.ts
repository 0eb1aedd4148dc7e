import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../../../src/model/source-file';
import { parseTerraformJson } from '../../../src/parsers/terraform/json-syntax';
import { TERRAFORM_FOLDER } from '../../../src/parsers/terraform/root-groups';
import type { ScanResult } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFiles } from '../../helpers/scan-fixture';

const HCL = `variable "admin_cidr" {
  default = "0.0.0.0/0"
}

locals {
  ports = [22, 3389]
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
  dynamic "ingress" {
    for_each = local.ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

/** The same configuration as `HCL`, in Terraform's JSON syntax (one line per construct, so lines can be asserted). */
const JSON_SYNTAX = `{
  "variable": {
    "admin_cidr": { "default": "0.0.0.0/0" }
  },
  "locals": { "ports": [22, 3389] },
  "resource": {
    "aws_security_group": {
      "web": {
        "name": "web",
        "ingress": [
          { "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["\${var.admin_cidr}"] }
        ],
        "dynamic": {
          "ingress": {
            "for_each": "\${local.ports}",
            "iterator": "port",
            "content": { "from_port": "\${port.value}", "to_port": "\${port.value}", "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"] }
          }
        },
        "egress": { "from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"] }
      }
    }
  }
}
`;

function findingsOf(result: ScanResult): string[] {
  return result.findings.map((finding) => `${finding.checkId} ${finding.ruleId ?? ''} ${finding.message}${finding.suppression ? ' (suppressed)' : ''}`);
}

function diagnosticsOf(result: ScanResult): string[] {
  return result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.file}:${diagnostic.range?.startLine}:${diagnostic.range?.startColumn} ${diagnostic.code} ${diagnostic.message}`);
}

/** Where a text is written in a file: `line:column` (1-based) of its first occurrence. */
function positionOf(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe('.tf.json files (Terraform JSON syntax)', () => {
  const hcl = scanFiles({ 'main.tf': HCL });
  const json = scanFiles({ 'main.tf.json': JSON_SYNTAX });

  it('give the same findings, on the same rule ids, as the configuration written in HCL', () => {
    expect(json.diagnostics).toEqual([]);
    expect(findingsOf(json)).toEqual(findingsOf(hcl));
    expect(findingsOf(json)).toEqual([
      'FW101 aws_security_group.web.ingress[0]#0 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22',
      'FW101 aws_security_group.web.ingress[1]#0 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22, 3389',
      expect.stringMatching(/^FW302 aws_security_group\.web\.ingress\[1\]#0 /),
      'FW104 aws_security_group.web.egress[0]#0 aws_security_group.web allows egress to 0.0.0.0/0 on all traffic',
    ]);
  });

  it('locate findings in the JSON: the peer written in a string, the resource at its name, a nested block at its object', () => {
    const located = json.findings.map((finding) => `${finding.location.file}:${finding.location.range.startLine}:${finding.location.range.startColumn}-${finding.location.range.endColumn}`);
    const peer = positionOf(JSON_SYNTAX, '"${var.admin_cidr}"');
    const dynamicPeer = positionOf(JSON_SYNTAX, '["0.0.0.0/0"] }\n');
    const egressPeer = positionOf(JSON_SYNTAX, '["0.0.0.0/0"] }\n      }');
    expect(located).toEqual([
      `main.tf.json:${peer}-${Number(peer.split(':')[1]) + '"${var.admin_cidr}"'.length}`,
      `main.tf.json:${dynamicPeer.split(':')[0]}:${Number(dynamicPeer.split(':')[1]) + 1}-${Number(dynamicPeer.split(':')[1]) + 12}`,
      `main.tf.json:${dynamicPeer.split(':')[0]}:${Number(dynamicPeer.split(':')[1]) + 1}-${Number(dynamicPeer.split(':')[1]) + 12}`,
      `main.tf.json:${egressPeer.split(':')[0]}:${Number(egressPeer.split(':')[1]) + 1}-${Number(egressPeer.split(':')[1]) + 12}`,
    ]);
    const target = json.targets.find((candidate) => candidate.id === 'aws_security_group.web')!;
    expect(`${target.location.range.startLine}:${target.location.range.startColumn}`).toBe(positionOf(JSON_SYNTAX, '"web": {'));
    const ingress = target.rules.find((rule) => rule.resourceAddress === 'aws_security_group.web.ingress[0]')!;
    expect(`${ingress.location.range.startLine}:${ingress.location.range.startColumn}`).toBe(positionOf(JSON_SYNTAX, '{ "from_port": 22'));
  });

  it('make one module with the folder\'s .tf files: variables, locals and module calls flow both ways', () => {
    const result = scanFiles({
      'vars.tf.json': JSON.stringify({
        variable: { admin_cidr: { type: 'string', default: '0.0.0.0/0' } },
        locals: [{ ssh: 22 }],
        module: { net: { source: './net', cidr: '${var.admin_cidr}' } },
      }),
      'main.tf': 'resource "aws_security_group" "web" {\n  ingress {\n    from_port   = local.ssh\n    to_port     = local.ssh\n    protocol    = "tcp"\n    cidr_blocks = [var.admin_cidr]\n  }\n}\n',
      'db.tf.json': JSON.stringify({ resource: { aws_security_group: { db: { ingress: [{ from_port: 5432, to_port: 5432, protocol: 'tcp', cidr_blocks: ['${var.admin_cidr}'] }] } } } }),
      // A module folder of JSON only, read from disk through the call (and not as a root of its own).
      'net/main.tf.json': JSON.stringify({ variable: { cidr: {} }, resource: { aws_security_group: { inner: { ingress: [{ from_port: 3389, to_port: 3389, protocol: 'tcp', cidr_blocks: ['${var.cidr}'] }] } } } }),
    });
    expect(diagnosticsOf(result)).toEqual([]);
    // `net` is found called from JSON, so it is read as that module only, not also as a root.
    expect(result.targets.map((target) => target.id)).toEqual(['aws_security_group.db', 'aws_security_group.web', 'module.net.aws_security_group.inner']);
    expect(findingsOf(result).filter((finding) => finding.startsWith('FW101'))).toEqual([
      'FW101 aws_security_group.db.ingress[0]#0 aws_security_group.db allows ingress from 0.0.0.0/0 on tcp/5432',
      'FW101 aws_security_group.web.ingress[0]#0 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22',
      'FW101 module.net.aws_security_group.inner.ingress[0]#0 module.net.aws_security_group.inner allows ingress from 0.0.0.0/0 on tcp/3389',
    ]);
  });

  it('read strings with JSON escapes as templates, located at the escaped text', () => {
    const text = '{"variable": {"env": {"default": "prod"}},\n"resource": {"aws_security_group": {"db": {"ingress": [{"from_port": 5432, "to_port": 5432, "protocol": "tcp",\n"cidr_blocks": ["${var.env == \\"prod\\" ? \\"0.0.0.0/0\\" : \\"10.0.0.0/8\\"}"]}]}}}}\n';
    const result = scanFiles({ 'main.tf.json': text });
    expect(diagnosticsOf(result)).toEqual([]);
    expect(findingsOf(result)).toEqual(['FW101 aws_security_group.db.ingress[0]#0 aws_security_group.db allows ingress from 0.0.0.0/0 on tcp/5432']);
    const { range } = result.findings[0]!.location;
    expect(`${range.startLine}:${range.startColumn}-${range.endColumn}`).toBe(`3:17-${17 + '"${var.env == \\"prod\\" ? \\"0.0.0.0/0\\" : \\"10.0.0.0/8\\"}"'.length}`);
    // Past an escape, a place in the decoded string is the escaped text's: the "+" after `\"k\"` is where it is written.
    const broken = '{"locals": {"a": "${lookup(var.m, \\"k\\") + }"}}';
    expect(diagnosticsOf(scanFiles({ 'main.tf.json': broken }))).toEqual([`error main.tf.json:1:${broken.indexOf('}"}}') + 1} parse/hcl-missing-expression expected an expression, found "}"`]);
  });

  it('report bad JSON at its place and go on with the other files', () => {
    const result = scanFiles({
      'a.tf.json': '{ "resource": { "aws_security_group": { "x": { "ingress": [ { "from_port": 22, } ] } } } }',
      'b.tf.json': '{ "resource": { "aws_security_group": { "y": { "ingress": [ { "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["${var.x +}"] } ] } } },\n  "bogus": {}, "variable": {"x": "no"} }',
      'c.tf': 'resource "aws_security_group" "z" {\n  ingress {\n    from_port   = 3389\n    to_port     = 3389\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
    });
    expect(diagnosticsOf(result)).toEqual([
      'error a.tf.json:1:80 parse/terraform-json JSON syntax error: property name expected (a trailing comma?); the file is not read',
      'error b.tf.json:1:140 parse/hcl-missing-expression expected an expression, found "}"',
      'error b.tf.json:2:3 parse/terraform-json unknown block type "bogus" (Terraform rejects it); it is not read',
      'error b.tf.json:2:34 parse/terraform-json variable "x": expected an object (the block body), found a string',
    ]);
    expect(findingsOf(result).map((finding) => finding.split(' ').slice(0, 2).join(' '))).toEqual(['FW303 aws_security_group.y.ingress[0]#0', 'FW101 aws_security_group.z.ingress[0]#0']);
    // Nesting deep enough to overflow jsonc-parser, and JSON that is no object of block types.
    expect(diagnosticsOf(scanFiles({ 'deep.tf.json': `${'['.repeat(300)}${']'.repeat(300)}`, 'list.tf.json': '[]' }))).toEqual([
      'error deep.tf.json:1:201 parse/terraform-json values are nested more than 200 levels deep; the file is not read',
      'error list.tf.json:1:1 parse/terraform-json expected an object of Terraform block types ("resource", "variable", …), found an array',
    ]);
  });

  it('read a "//" property as a comment, where fwlint:ignore works as in a .tf file', () => {
    const ignore = 'fwlint:ignore FW101 reason="bastion only"';
    const result = scanFiles({ 'main.tf.json': JSON.stringify({ '//': 'generated', resource: { aws_security_group: { db: { ingress: [{ '//': ignore, from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } }) });
    expect(diagnosticsOf(result)).toEqual([]);
    expect(findingsOf(result)).toEqual(['FW101 aws_security_group.db.ingress[0]#0 aws_security_group.db allows ingress from 0.0.0.0/0 on tcp/22 (suppressed)']);
  });

  it('map a target to a profile with a "//" property on the line above it', () => {
    const text = '{\n  "resource": {\n    "aws_security_group": {\n      "//": "fwlint:profile netapp-cloud-manager/cvo",\n      "web": {\n        "ingress": [{ "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"] }]\n      }\n    }\n  }\n}\n';
    const result = scanFiles({ 'main.tf.json': text });
    expect(diagnosticsOf(result)).toEqual([]);
    expect(result.findings.some((finding) => finding.checkId === 'FW201' && finding.message.startsWith('aws_security_group.web (netapp-cloud-manager/cvo): '))).toBe(true);
  });

  it('are the configuration a plan beside them is mapped to, with their "//" annotations', () => {
    const plan = fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-annotations/plan.json'), 'utf8');
    // fixtures/terraform/plan-annotations/main.tf in JSON syntax, a line per block.
    const configuration = [
      '{"resource": {',
      '  "azurerm_network_security_group": {"//": "fwlint:profile lumen-cloud/linux", "nsg": {"name": "nsg", "location": "westeurope", "resource_group_name": "rg",',
      '    "security_rule": {"name": "allow-mgmt", "priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source_port_range": "*", "destination_port_ranges": ["22", "3380-3390"], "source_address_prefix": "203.0.113.0/24", "destination_address_prefix": "VirtualNetwork"}}},',
      '  "google_compute_firewall": {"//": "fwlint:ignore FW101,FW102 reason=\\"lab network, open on purpose\\"",',
      '    "all": {"name": "all", "network": "default", "source_ranges": ["::/0"], "allow": {"protocol": "tcp"}}}',
      '}}',
    ].join('\n');
    const result = scanFiles({ 'plan.json': plan, 'main.tf.json': configuration }, { paths: ['plan.json'] });
    expect(diagnosticsOf(result)).toEqual([]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.file}:${finding.location.range.startLine} ${finding.suppression ? 'suppressed' : 'open'}`).sort()).toEqual([
      'FW101 main.tf.json:5 suppressed',
      'FW102 main.tf.json:5 suppressed',
      'FW202 main.tf.json:3 open',
    ]);
    expect(result.targets.find((target) => target.id === 'azurerm_network_security_group.nsg')?.profile?.ref).toBe('lumen-cloud/linux');
  });

  it('give a plan\'s findings one per written place, the items of a dynamic block together', () => {
    const plan = fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan-dynamic/plan.json'), 'utf8');
    // fixtures/terraform/plan-dynamic/main.tf in JSON syntax.
    const configuration = [
      '{"variable": {"names": {"default": ["a", "b"]}},',
      ' "resource": {"aws_security_group": {"web": {"count": "${length(var.names)}", "name": "${var.names[count.index]}",',
      '   "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}],',
      '   "dynamic": {"ingress": {"for_each": [22, 3389], "content": {"from_port": "${ingress.value}", "to_port": "${ingress.value}", "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}}}}}}}',
    ].join('\n');
    const result = scanFiles({ 'plan.json': plan, 'main.tf.json': configuration }, { paths: ['plan.json'] });
    expect(diagnosticsOf(result)).toEqual([]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.message} ${finding.location.file}:${finding.location.range.startLine}`)).toEqual([
      'aws_security_group.web[0] allows ingress from 0.0.0.0/0 on tcp/443 main.tf.json:3',
      'aws_security_group.web[1] allows ingress from 0.0.0.0/0 on tcp/443 main.tf.json:3',
      'aws_security_group.web[0] allows ingress from 0.0.0.0/0 on tcp/22, 3389 main.tf.json:4',
      'aws_security_group.web[1] allows ingress from 0.0.0.0/0 on tcp/22, 3389 main.tf.json:4',
    ]);
  });

  it('leave a plan saved under that name a plan', () => {
    const plan = JSON.stringify({ format_version: '1.2', terraform_version: '1.9.0', planned_values: { root_module: { resources: [] } }, resource_changes: [], configuration: { root_module: {} } });
    const result = scanFiles({ 'plan.tf.json': plan });
    expect(result.diagnostics).toEqual([]);
    expect(result.stats.files).toBe(1);
    expect(result.targets).toEqual([]);
  });
});

describe('a folder with .tf.json files', () => {
  const file = (name: string, text: string): SourceFile => ({ path: name, absolutePath: `/repo/${name}`, text, encoding: 'utf-8' });

  it('is one module unless a declaration is written twice, in either syntax', () => {
    const hcl = file('main.tf', 'resource "aws_security_group" "web" {\n}\n');
    expect(TERRAFORM_FOLDER.formsOneUnit!([hcl, file('more.tf.json', '{"resource": {"aws_security_group": {"db": {}}}}')])).toBe(true);
    expect(TERRAFORM_FOLDER.formsOneUnit!([hcl, file('more.tf.json', '{"resource": {"aws_security_group": [{"web": {}}]}}')])).toBe(false);
    expect(TERRAFORM_FOLDER.readsWithFolder!('cdk.tf.json')).toBe(true);
  });
});

describe('parseTerraformJson', () => {
  it('gives the AST of native syntax: labelled blocks, arguments as expressions, nested blocks, "//" as comments', () => {
    const text = '{"//": "fwlint:profile aws", "resource": {"aws_security_group": {"a": [{"tags": {"Name": "x"}, "ingress": []}, {"egress": [{"from_port": 1}, {"from_port": 2}]}]}},\n "variable": {"v": {"type": "list(string)"}}}';
    const parsed = parseTerraformJson(text, 'main.tf.json');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.comments.map((comment) => comment.text)).toEqual(['fwlint:profile aws']);
    const blocks = parsed.body!.blocks;
    expect(blocks.map((block) => `${block.type} ${block.labels.join('.')}`)).toEqual(['resource aws_security_group.a', 'resource aws_security_group.a', 'variable v']);
    // An object is an argument where no nested block of that name is read (`tags`), and so is an empty array.
    expect(blocks[0]!.body.attributes.map((attribute) => `${attribute.name}=${attribute.expr.kind}`)).toEqual(['tags=object', 'ingress=tuple']);
    // A "//" key of an object value is a key, not a comment.
    const tags = parseTerraformJson('{"locals": {"tags": {"//": "kept"}}}', 'f.tf.json');
    expect(tags.comments).toEqual([]);
    expect(tags.body!.blocks[0]!.body.attributes[0]!.expr).toMatchObject({ kind: 'object', items: [{ key: { parts: [{ value: '//' }] } }] });
    expect(blocks[1]!.body.blocks.map((block) => `${block.type}@${block.range.startColumn}`)).toEqual([`egress@${text.indexOf('{"from_port": 1}') + 1}`, `egress@${text.indexOf('{"from_port": 2}') + 1}`]);
    // A variable's type is an expression, not a string template.
    expect(blocks[2]!.body.attributes[0]!.expr.kind).toBe('function-call');
    // An argument's range starts at its name, inside the quotes.
    expect(blocks[2]!.body.attributes[0]!.range).toMatchObject({ startLine: 2, startColumn: text.split('\n')[1]!.indexOf('type') + 1 });
  });
});

// Terraform's JSON reader rejects a key written twice in one object; fwlint silently kept the last one, so a second
// "cidr_blocks" could hide a world-open first one.
describe('a key written twice in one object of a .tf.json file', () => {
  const rule = (cidrs: string): string => `{ "from_port": 22, "to_port": 22, "protocol": "tcp", ${cidrs} }`;

  it('is an error at the second key, naming the first, and the first is read (as HCL reads it)', () => {
    const text = `{"resource": {"aws_security_group": {"web": {\n  "ingress": [${rule('"cidr_blocks": ["0.0.0.0/0"],\n  "cidr_blocks": ["10.0.0.0/8"]')}],\n  "tags": {"Name": "a", "Name": "b"}\n}}}}\n`;
    const result = scanFiles({ 'main.tf.json': text });
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.file}:${diagnostic.range?.startLine}:${diagnostic.range?.startColumn} ${diagnostic.code} ${diagnostic.message}`)).toEqual([
      `error main.tf.json:3:3 parse/terraform-json duplicate argument "cidr_blocks": already written at 2:${text.split('\n')[1]!.indexOf('"cidr_blocks"') + 1}; Terraform rejects a key written twice in one object (the first is read)`,
      `error main.tf.json:4:25 parse/terraform-json duplicate object attribute "Name": already written at 4:12; Terraform rejects a key written twice in one object (the first is read)`,
    ]);
    expect(findingsOf(result).map((finding) => finding.split(' ')[0])).toEqual(['FW101']);
  });

  it('is no error for a block type written twice (each adds blocks) or for one key in two objects', () => {
    const text = `{"resource": {"aws_security_group": {"web": {"ingress": [${rule('"cidr_blocks": ["10.0.0.0/8"]')}], "ingress": [${rule('"cidr_blocks": ["10.1.0.0/16"]')}]}}}}`;
    const parsed = parseTerraformJson(text, 'main.tf.json');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.body!.blocks[0]!.body.blocks.map((block) => block.type)).toEqual(['ingress', 'ingress']);
  });
});

// OpenTofu reads `.tofu` and `.tofu.json` files too, and prefers x.tofu to x.tf (x.tofu.json to x.tf.json) beside it
// ("Extension Precedence"); fwlint read neither.
describe('OpenTofu files', () => {
  const group = (cidr: string, port = 22): string => `resource "aws_security_group" "web" {\n  ingress {\n    from_port   = ${port}\n    to_port     = ${port}\n    protocol    = "tcp"\n    cidr_blocks = ["${cidr}"]\n  }\n}\n`;

  it('reads .tofu and .tofu.json files, in one module with the .tf files', () => {
    const result = scanFiles({
      'main.tofu': group('0.0.0.0/0').replace('"web"', '"tofu"'),
      'more.tofu.json': '{"resource": {"aws_security_group": {"json": {"ingress": [{"from_port": 3389, "to_port": 3389, "protocol": "tcp", "cidr_blocks": ["${var.cidr}"]}]}}}}',
      'variables.tf': 'variable "cidr" {\n  default = "0.0.0.0/0"\n}\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.file} ${finding.message}`)).toEqual([
      'FW101 main.tofu aws_security_group.tofu allows ingress from 0.0.0.0/0 on tcp/22',
      'FW101 more.tofu.json aws_security_group.json allows ingress from 0.0.0.0/0 on tcp/3389',
    ]);
  });

  it('leaves out x.tf beside x.tofu and x.tf.json beside x.tofu.json, as OpenTofu does', () => {
    const result = scanFiles({
      'main.tf': group('10.0.0.0/8'),
      'main.tofu': group('0.0.0.0/0'),
      'extra.tf.json': '{"resource": {"aws_security_group": {"json": {}}}}',
      'extra.tofu.json': '{"resource": {"aws_security_group": {"tofu_json": {}}}}',
      'other.tf': 'resource "aws_security_group" "other" {}\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => `${target.id} ${target.location.file}`).sort()).toEqual([
      'aws_security_group.other other.tf',
      'aws_security_group.tofu_json extra.tofu.json',
      'aws_security_group.web main.tofu',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.file}`)).toEqual(['FW101 main.tofu']);
    // QA 12 item 3: the files left out are not counted as scanned (the summary said "in 5 files").
    expect(result.stats.files).toBe(3);
    expect(TERRAFORM_FOLDER.readsWithFolder!('main.tofu')).toBe(true);
    expect(TERRAFORM_FOLDER.readsWithFolder!('main.tofu.json')).toBe(true);
  });
});
