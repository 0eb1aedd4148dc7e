import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePeer, protocolName, type Rule } from '../../../src/model';
import { cloudFormationParser } from '../../../src/parsers/cloudformation';

const repoRoot = join(__dirname, '../../..');
const templatePath = 'fixtures/cloudformation/pair/template.yaml';
const terraformPath = 'fixtures/pair/terraform/main.tf';

function brief(rule: Pick<Rule, 'direction' | 'protocol' | 'ports' | 'peer'>): string {
  return `${rule.direction} ${protocolName(rule.protocol)} ${rule.ports.toString()} ${describePeer(rule.peer)}`;
}

/**
 * The rules of the Terraform half, read with a few regular expressions: enough for this fixed file, and independent
 * of the Terraform parser, so this test only checks that the two fixtures describe the same thing.
 */
function terraformRules(text: string): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  const resources = text.split(/^resource "aws_security_group" "/m).slice(1);
  for (const resource of resources) {
    const name = resource.slice(0, resource.indexOf('"'));
    groups[name] = [...resource.matchAll(/^\s*(ingress|egress)\s*\{([^}]*)\}/gm)].map(([, kind, body]) => {
      const value = (key: string) => new RegExp(`${key}\\s*=\\s*"?([^"\\n]*)"?`).exec(body!)![1]!;
      const protocol = value('protocol');
      const ports = protocol === '-1' ? '0-65535' : value('from_port') === value('to_port') ? value('from_port') : `${value('from_port')}-${value('to_port')}`;
      const cidr = /cidr_blocks\s*=\s*\["([^"]+)"\]/.exec(body!)![1];
      return `${kind === 'ingress' ? 'in' : 'out'} ${protocol === '-1' ? 'all' : protocol} ${ports} ${cidr}`;
    });
  }
  return groups;
}

describe('the Terraform/CloudFormation pair', () => {
  const text = readFileSync(join(repoRoot, templatePath), 'utf8');
  const result = cloudFormationParser.parse([{ path: templatePath, absolutePath: join(repoRoot, templatePath), text, encoding: 'utf-8' }], { vars: {}, varFiles: [], params: {} });

  it('reads WebSG and DbSG cleanly, with no platform default rule', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((t) => t.id)).toEqual(['WebSG', 'DbSG']);
    expect(result.targets.flatMap((t) => t.rules).filter((r) => r.synthetic)).toEqual([]);
    expect(result.targets[0]!.rules.map(brief)).toEqual(['in tcp 22 0.0.0.0/0', 'in tcp 443 0.0.0.0/0', 'out all 0-65535 0.0.0.0/0']);
    expect(result.targets[1]!.rules.map(brief)).toEqual(['in tcp 5432 10.0.0.0/16', 'out tcp 443 10.0.0.0/16']);
  });

  it('describes exactly the rules of fixtures/pair/terraform/main.tf', () => {
    const terraform = terraformRules(readFileSync(join(repoRoot, terraformPath), 'utf8'));
    expect(Object.keys(terraform)).toEqual(['web', 'db']);
    expect(result.targets.find((t) => t.id === 'WebSG')!.rules.map(brief)).toEqual(terraform.web);
    expect(result.targets.find((t) => t.id === 'DbSG')!.rules.map(brief)).toEqual(terraform.db);
  });
});
