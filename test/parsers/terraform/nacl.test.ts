import { AddressSet } from '../../../src/model/address-set';
import { describePeer } from '../../../src/model/peer';
import { protocolName } from '../../../src/model/protocol';
import type { Rule } from '../../../src/model/rule';
import { scanFixture } from '../../helpers/scan-fixture';

/** `in deny 100 tcp/0-65535 198.51.100.0/24`: what a rule says, in one line. */
function summary(rule: Rule): string {
  const icmp = rule.icmp ? ` icmp ${rule.icmp.type}/${rule.icmp.code}` : '';
  return `${rule.direction} ${rule.action} ${rule.priority ?? '-'} ${protocolName(rule.protocol)}/${rule.ports.toString()}${icmp} ${describePeer(rule.peer)}`;
}

describe('Terraform AWS network ACLs (issue #8)', () => {
  const result = scanFixture('terraform/nacl');
  const acl = result.targets.find((target) => target.id === 'aws_network_acl.edge')!;

  it('reads inline entries and joins aws_network_acl_rule resources by reference', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['aws_network_acl.edge']);
    expect(acl).toMatchObject({ platform: 'aws-nacl', resourceType: 'aws_network_acl', kind: 'terraform-hcl' });
    expect(acl.rules.map(summary)).toEqual([
      'in deny 100 tcp/0-65535 198.51.100.0/24',
      'in allow 110 tcp/443 0.0.0.0/0',
      'in allow 120 tcp/443 ::/0',
      'in allow 130 icmp/0-65535 icmp 8/any 10.0.0.0/8',
      'out allow 100 all/0-65535 10.0.0.0/8',
      'in allow 200 tcp/1024-65535 10.0.0.0/8',
      'out allow 110 udp/53 2001:db8::/32',
      'in deny 140 icmpv6/0-65535 icmp any/any ::/0',
    ]);
  });

  it('locates each entry at its block and its peer at the CIDR value', () => {
    const deny = acl.rules[0]!;
    expect(deny.resourceAddress).toBe('aws_network_acl.edge.ingress[0]');
    expect(deny.location.range).toMatchObject({ startLine: 5, endLine: 12 });
    expect(deny.peerLocation!.range).toMatchObject({ startLine: 9, startColumn: 5 });
    const standalone = acl.rules.find((rule) => rule.resourceAddress === 'aws_network_acl_rule.dns_out')!;
    expect(standalone.location.range.startLine).toBe(61);
  });

  it('applies first-match precedence: the deny carves its range out of the later world-open allow', () => {
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    // tcp/443 from 0.0.0.0/0 minus 198.51.100.0/24 is still the IPv4 internet but a small remainder (FW101's
    // criterion, QA 3/01), named by what the deny took; ::/0 is the whole IPv6 one.
    expect(fw101.map((finding) => [finding.location.range.startLine, finding.message])).toEqual([
      [18, 'aws_network_acl.edge allows ingress from 0.0.0.0/0 except 198.51.100.0/24 on tcp/443'],
      [27, 'aws_network_acl.edge allows ingress from ::/0 on tcp/443'],
    ]);
    expect(AddressSet.parseList(String(fw101[0]!.properties.peer)).overlaps(AddressSet.parseCidr('198.51.100.0/24'))).toBe(false);
  });

  it('reads the default network ACL and the default security group', () => {
    const defaults = scanFixture('terraform/default-resources');
    expect(defaults.diagnostics).toEqual([]);
    const byId = new Map(defaults.targets.map((target) => [target.id, target]));
    expect(byId.get('aws_default_network_acl.default')!.rules.map(summary)).toEqual(['in allow 100 all/0-65535 10.0.0.0/16', 'out allow 100 all/0-65535 10.0.0.0/16']);
    expect(byId.get('aws_default_security_group.default')!.rules.map(summary)).toEqual(['in allow - all/0-65535 the group itself']);
  });

  it('reports invalid entries at their values and leaves them out', () => {
    const invalid = scanFixture('terraform/invalid');
    const target = invalid.targets.find((candidate) => candidate.id === 'aws_network_acl.broken')!;
    expect(target.rules).toEqual([]);
    expect(invalid.diagnostics.filter((diagnostic) => diagnostic.message.startsWith('aws_network_acl')).map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine])).toEqual([
      ['parse/terraform-missing-argument', 5],
      ['parse/terraform-nacl-action', 15],
      ['parse/terraform-cidr', 26],
    ]);
  });
});
