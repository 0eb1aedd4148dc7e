import { scanFiles } from '../../helpers/scan-fixture';

const WORLD_SSH_JSON = JSON.stringify({
  variable: { admin_cidr: { default: '10.0.0.0/8' } },
  resource: {
    aws_security_group: {
      web2: { name: 'web2', ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] },
    },
  },
  locals: [{ a: 1 }, { b: 2 }],
});

const HCL = 'resource "aws_security_group" "web" {\n  name = "web"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n';

function diagnosticsOf(files: Record<string, string>, paths?: string[]): string[] {
  const result = scanFiles(files, paths ? { paths } : {});
  return result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.file} ${diagnostic.code} ${diagnostic.message}`);
}

describe('.tf.json files (Terraform JSON syntax, not read)', () => {
  it('are named with what they declare, in one warning per folder', () => {
    expect(diagnosticsOf({ 'main.tf': HCL, 'extra.tf.json': WORLD_SSH_JSON, 'sub/a.tf.json': '{"module": {"net": {"source": "./net"}}}', 'sub/b.tf.json': '{' })).toEqual([
      'warning extra.tf.json parse/terraform-json-not-read Terraform JSON syntax is not read: extra.tf.json (variable admin_cidr, resource aws_security_group.web2, local a, local b); its declarations were not checked, and anything the folder\'s .tf files take from them is unresolved',
      'warning sub/a.tf.json parse/terraform-json-not-read Terraform JSON syntax is not read: a.tf.json (module net), b.tf.json (not valid JSON); their declarations were not checked',
    ]);
  });

  it('make a folder of them no folder without inputs, also when one is named', () => {
    const expected = ['warning main.tf.json parse/terraform-json-not-read Terraform JSON syntax is not read: main.tf.json (variable admin_cidr, resource aws_security_group.web2, local a, local b); its declarations were not checked'];
    expect(diagnosticsOf({ 'main.tf.json': WORLD_SSH_JSON })).toEqual(expected);
    expect(diagnosticsOf({ 'main.tf.json': WORLD_SSH_JSON }, ['main.tf.json'])).toEqual(expected);
  });

  it('leave a plan saved under that name a plan', () => {
    const plan = JSON.stringify({ format_version: '1.2', terraform_version: '1.9.0', planned_values: { root_module: { resources: [] } }, resource_changes: [], configuration: { root_module: {} } });
    const result = scanFiles({ 'plan.tf.json': plan });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'parse/terraform-json-not-read')).toEqual([]);
    expect(result.stats.files).toBe(1);
  });
});
