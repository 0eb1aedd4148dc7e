import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { scan, type ScanResult } from '../../../src/pipeline/scan';

/**
 * Network ACLs and NSGs read the rules of standalone rule resources back into their nested rule sets, as security
 * groups do (plan.test.ts): a state file (`terraform show -json` without a plan: values only) shows them twice.
 */
function scanJson(document: unknown): ScanResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-plan-'));
  try {
    fs.writeFileSync(path.join(directory, 'state.json'), JSON.stringify(document));
    return scan({ paths: ['state.json'], cwd: directory, today: '2026-11-23' });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function state(resources: Array<[string, string, Record<string, unknown>]>): Record<string, any> {
  return {
    format_version: '1.0',
    terraform_version: '1.11.4',
    values: { root_module: { resources: resources.map(([type, name, values]) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values })) } },
  };
}

function rules(result: ScanResult): string[] {
  return result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress.replace(/\[#\w+\]/, '')} ${describePeer(rule.peer)}`));
}

function checks(result: ScanResult): string[] {
  return result.findings.map((finding) => `${finding.checkId} ${finding.message}`);
}

const aclEntry = (ruleNo: number, port: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  action: 'allow', cidr_block: '0.0.0.0/0', from_port: port, icmp_code: 0, icmp_type: 0, ipv6_cidr_block: '', protocol: '6', rule_no: ruleNo, to_port: port, ...extra,
});

function naclState(): Record<string, any> {
  return state([
    ['aws_network_acl', 'main', { id: 'acl-0a1b2c3d', vpc_id: 'vpc-1', subnet_ids: [], egress: [], ingress: [aclEntry(100, 22), aclEntry(200, 3389)] }],
    ['aws_network_acl_rule', 'ssh', { id: 'nacl-1', network_acl_id: 'acl-0a1b2c3d', rule_number: 100, egress: false, protocol: 'tcp', rule_action: 'allow', cidr_block: '0.0.0.0/0', ipv6_cidr_block: null, from_port: 22, to_port: 22, icmp_type: null, icmp_code: null }],
  ]);
}

const nsgRule = (name: string, priority: number, port: string, source: string): Record<string, unknown> => ({
  access: 'Allow', description: '', destination_address_prefix: '*', destination_address_prefixes: [], destination_application_security_group_ids: [], destination_port_range: port, destination_port_ranges: [],
  direction: 'Inbound', name, priority, protocol: 'Tcp', source_address_prefix: source, source_address_prefixes: [], source_application_security_group_ids: [], source_port_range: '*', source_port_ranges: [],
});

function nsgState(): Record<string, any> {
  return state([
    ['azurerm_network_security_group', 'web', { id: '/subscriptions/0/resourceGroups/rg-web/providers/Microsoft.Network/networkSecurityGroups/web-nsg', name: 'web-nsg', location: 'westeurope', resource_group_name: 'rg-web', tags: {}, security_rule: [nsgRule('allow-ssh', 110, '22', 'Internet'), nsgRule('allow-rdp', 120, '3389', '*')] }],
    ['azurerm_network_security_rule', 'ssh', { ...nsgRule('allow-ssh', 110, '22', 'Internet'), id: 'x/securityRules/allow-ssh', resource_group_name: 'RG-Web', network_security_group_name: 'web-nsg' }],
  ]);
}

describe('Terraform plan JSON: network ACL and NSG read-back', () => {
  it('counts a standalone network ACL rule of a state file once, not again as the ACL\'s read-back ingress', () => {
    const result = scanJson(naclState());
    expect(checks(result)).toEqual(['FW101 aws_network_acl.main allows ingress from 0.0.0.0/0 on tcp/22', 'FW101 aws_network_acl.main allows ingress from 0.0.0.0/0 on tcp/3389']);
    expect(rules(result).sort()).toEqual(['aws_network_acl.main.ingress[rule 200] 0.0.0.0/0', 'aws_network_acl_rule.ssh 0.0.0.0/0']);
  });

  it('keeps a network ACL entry that differs from the standalone rule in direction, rule number, action, CIDR or ports', () => {
    const variants: Array<Record<string, unknown>> = [{ egress: true }, { rule_number: 101 }, { rule_action: 'deny' }, { cidr_block: '10.0.0.0/8' }, { to_port: 23 }];
    for (const variant of variants) {
      const document = naclState();
      Object.assign(document.values.root_module.resources[1].values, variant);
      expect(rules(scanJson(document)).filter((rule) => rule.startsWith('aws_network_acl.main.ingress'))).toHaveLength(2);
    }
  });

  it('counts a standalone NSG rule of a state file once, matched by name or by priority and direction', () => {
    const result = scanJson(nsgState());
    expect(checks(result)).toEqual(['FW101 azurerm_network_security_group.web allows ingress from 0.0.0.0/0, ::/0 on tcp/22', 'FW101 azurerm_network_security_group.web allows ingress from 0.0.0.0/0, ::/0 on tcp/3389']);
    expect(rules(result).map((rule) => rule.split(' ')[0]).sort()).toEqual(['azurerm_network_security_group.web.security_rule', 'azurerm_network_security_rule.ssh']);

    // Renamed in the portal: still the standalone rule by priority and direction. Another direction is another rule.
    const renamed = nsgState();
    renamed.values.root_module.resources[0].values.security_rule[0].name = 'ssh-renamed';
    expect(rules(scanJson(renamed)).filter((rule) => rule.startsWith('azurerm_network_security_group.web'))).toHaveLength(1);
    renamed.values.root_module.resources[0].values.security_rule[0].direction = 'Outbound';
    expect(rules(scanJson(renamed)).filter((rule) => rule.startsWith('azurerm_network_security_group.web'))).toHaveLength(2);

    // The same NSG name in another resource group is another NSG.
    const otherGroup = nsgState();
    otherGroup.values.root_module.resources[1].values.resource_group_name = 'rg-other';
    expect(checks(scanJson(otherGroup))).toHaveLength(3);
  });

  it('keeps the nested rules that the configuration writes: they are the ACL\'s and the NSG\'s own', () => {
    for (const [document, type, nested] of [
      [naclState(), 'aws_network_acl', 'ingress'],
      [nsgState(), 'azurerm_network_security_group', 'security_rule'],
    ] as const) {
      const resources = document.values.root_module.resources as Array<Record<string, any>>;
      const plan = {
        format_version: '1.2',
        terraform_version: '1.11.4',
        planned_values: document.values,
        resource_changes: resources.map((resource) => ({ address: resource.address, mode: 'managed', type: resource.type, name: resource.name, change: { actions: ['no-op'], before: resource.values, after: resource.values, after_unknown: {} } })),
        configuration: { root_module: { resources: [{ address: resources[0]!.address, mode: 'managed', type, name: resources[0]!.name, expressions: { [nested]: [{}] } }] } },
      };
      const result = scanJson(plan);
      expect(checks(result).filter((check) => check.startsWith('FW101'))).toHaveLength(3);
      expect(checks(result).filter((check) => check.startsWith('FW302'))).toHaveLength(1);
    }
  });
});
