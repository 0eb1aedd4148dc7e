import { scanFixture } from '../../helpers/scan-fixture';

/**
 * Issue #8 (audit gap): an NSG priority or NACL rule number that cannot be resolved used to drop the whole rule,
 * hiding a world-open allow behind a lone FW303. The rule is kept with its place in the order unknown and judged
 * conservatively.
 */
describe('Terraform NSG and NACL rules whose priority or rule number is unknown', () => {
  const result = scanFixture('terraform/unknown-order');
  const findings = (checkId: string): string[] =>
    result.findings
      .filter((finding) => finding.checkId === checkId)
      .map((finding) => `${finding.targetId}:${finding.location.range.startLine}${finding.properties.traffic ? ` ${finding.properties.traffic as string} ${finding.properties.peer as string}` : ''}`);
  const rulesOf = (id: string) => result.targets.find((target) => target.id === id)!.rules;

  it('keeps the rules, with no priority and the unknown on the rule', () => {
    expect(result.diagnostics).toEqual([]);
    const ssh = rulesOf('azurerm_network_security_group.open').find((rule) => rule.action === 'allow')!;
    expect(ssh).toMatchObject({ priority: null, direction: 'in', action: 'allow' });
    expect(ssh.unknowns.map((unknown) => [unknown.field, unknown.expr, unknown.location.range.startLine])).toEqual([
      ['azurerm_network_security_group.open.security_rule[1].priority', 'var.ssh_priority', 31],
    ]);
    expect(rulesOf('aws_network_acl.edge').map((rule) => `${rule.resourceAddress} ${rule.action} ${rule.priority ?? 'unknown'}`)).toEqual([
      'aws_network_acl.edge.ingress[0] deny unknown',
      'aws_network_acl.edge.ingress[1] allow 100',
      'aws_network_acl_rule.rdp allow unknown',
    ]);
  });

  it('reports each unknown priority or rule number once, at its value (FW303)', () => {
    expect(findings('FW303')).toEqual([
      'azurerm_network_security_group.open:31',
      'azurerm_network_security_group.guarded:51',
      'aws_network_acl.edge:80',
      'aws_network_acl.edge:100',
    ]);
  });

  it('counts an allow at an unknown position as allowing, even below a known deny, and claims no shadowing', () => {
    expect(findings('FW101')).toEqual([
      'azurerm_network_security_group.open:37 tcp/22 ::/0',
      'azurerm_network_security_group.guarded:69 tcp/3389 0.0.0.0/0',
      'aws_network_acl.edge:92 tcp/22 0.0.0.0/0',
      'aws_network_acl.edge:104 tcp/3389 ::/0',
    ]);
    expect(findings('FW301')).toEqual([]);
  });

  it('does not let a deny at an unknown position hide a world-open allow or excuse it against the role (FW202)', () => {
    expect(findings('FW202')).toEqual(['azurerm_network_security_group.guarded:61']);
    expect(result.findings.find((finding) => finding.checkId === 'FW202')!.message).toMatch(/allows tcp\/3389 from 0\.0\.0\.0\/0 beyond/);
  });
});

describe('GCP firewall whose priority is unknown', () => {
  it('keeps the rule: the allow from anywhere is world-open, the deny at an unknown priority hides nothing', () => {
    const result = scanFixture('terraform/unknown-order-gcp');
    expect(result.diagnostics).toEqual([]);
    const byCheck = (checkId: string): number[] => result.findings.filter((finding) => finding.checkId === checkId).map((finding) => finding.location.range.startLine);
    expect(byCheck('FW101')).toEqual([11]);
    expect(byCheck('FW303')).toEqual([10, 22]);
    // Each firewall's own rules (the other's take part in its evaluation too, as rules of the same network).
    const rules = result.targets.flatMap((target) => target.rules.filter((rule) => !target.sharedRules?.includes(rule)));
    expect(rules.map((rule) => `${rule.action} ${rule.priority ?? 'unknown'}`).sort()).toEqual(['allow unknown', 'deny unknown']);
  });
});
