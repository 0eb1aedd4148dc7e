import { describeTraffic } from '../../../src/engine/traffic';
import { IntervalSet } from '../../../src/model/interval-set';
import { PortSet } from '../../../src/model/port-set';
import { AddressSet } from '../../../src/model/address-set';
import { describePeer } from '../../../src/model/peer';
import { protocolName } from '../../../src/model/protocol';
import type { Rule } from '../../../src/model/rule';
import { scanFixture } from '../../helpers/scan-fixture';

function summary(rule: Rule): string {
  return `${rule.direction} ${rule.action} ${rule.priority ?? '-'} ${protocolName(rule.protocol)}/${rule.ports.toString()} ${describePeer(rule.peer)}`;
}

describe('Terraform Azure network security groups (issue #8)', () => {
  const result = scanFixture('terraform/azure');
  const byId = new Map(result.targets.map((target) => [target.id, target]));

  it('reads inline security_rule blocks and standalone rules joined by reference', () => {
    expect(result.diagnostics).toEqual([]);
    expect([...byId.keys()]).toEqual(['azurerm_network_security_group.app', 'azurerm_network_security_group.data']);
    const app = byId.get('azurerm_network_security_group.app')!;
    expect(app.platform).toBe('azure-nsg');
    expect(app.rules.map(summary)).toEqual([
      'in allow 105 tcp/443, 8443-8444 Internet',
      'in deny 100 tcp/445 *',
      'in deny 100 udp/445 *',
      'in allow 120 tcp/8080 service tag AzureLoadBalancer',
      'in allow 110 tcp/22 203.0.113.0/24',
    ]);
    expect(app.rules.map((rule) => rule.resourceAddress)).toEqual([
      'azurerm_network_security_group.app.security_rule[0]',
      'azurerm_network_security_group.app.security_rule[1]',
      'azurerm_network_security_group.app.security_rule[1]',
      'azurerm_network_security_group.app.security_rule[2]',
      'azurerm_network_security_rule.ssh_admin',
    ]);
  });

  it('treats Internet and * as the whole internet, service tags as symbolic peers', () => {
    const [internet, any, , tag] = byId.get('azurerm_network_security_group.app')!.rules;
    expect(internet!.peer.kind === 'addresses' && internet!.peer.addresses.coversAllIpv4() && internet!.peer.addresses.coversAllIpv6()).toBe(true);
    expect(any!.peer.kind === 'addresses' && any!.peer.addresses.coversWorld()).toBe(true);
    expect(tag!.peer).toEqual({ kind: 'service-tag', name: 'AzureLoadBalancer' });
    // The destination side of an inbound rule is kept as the rule's local addresses.
    expect(internet!.localAddresses).toEqual([{ kind: 'service-tag', name: 'VirtualNetwork' }]);
  });

  it('reads the attribute form, IPv6 and single-address prefixes, and joins by NSG name and resource group', () => {
    const data = byId.get('azurerm_network_security_group.data')!;
    expect(data.rules.map(summary)).toEqual([
      'in allow 200 tcp/1433 10.1.0.0/16',
      'in allow 200 tcp/1433 2001:db8:1::/48',
      'in allow 200 tcp/1433 10.2.0.7',
      'out allow 100 tcp/80, 443 Internet',
    ]);
    expect(data.rules[1]!.peerLocation!.range).toMatchObject({ startLine: 62 });
    expect(data.rules[0]!.description).toBe('apps to SQL');
  });

  it('applies priority order: the deny at 100 keeps SMB closed, the Internet allow is reported', () => {
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => [finding.targetId, finding.location.range.startLine, finding.properties.traffic])).toEqual([['azurerm_network_security_group.app', 16, 'tcp/443, 8443-8444']]);
  });

  it('reports invalid rules, invalid source ports included', () => {
    const invalid = scanFixture('terraform/invalid');
    expect(invalid.targets.find((target) => target.id === 'azurerm_network_security_group.broken')!.rules).toEqual([]);
    expect(invalid.diagnostics.filter((diagnostic) => diagnostic.message.startsWith('azurerm')).map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range?.startLine])).toEqual([
      ['parse/terraform-protocol', 'error', 42],
      ['parse/terraform-port', 'error', 56],
      ['parse/terraform-port', 'error', 67],
    ]);
  });

  it('keeps a source port limit as a condition of Allows and Denies alike (QA 3/11)', () => {
    const nsg = scanFixture('checks/FW301/terraform/bad-azure-deny-on-same-source-ports.tf');
    expect(nsg.diagnostics).toEqual([]);
    const [deny, allow] = nsg.targets[0]!.rules;
    // `"53"` and `["53"]` are one condition; `*` is none.
    expect([deny!.action, deny!.conditions]).toEqual(['deny', { sourceport: '53' }]);
    expect([allow!.action, allow!.conditions]).toEqual(['allow', { sourceport: '53' }]);
    const any = scanFixture('checks/FW302/terraform/good-azure-allow-on-other-source-ports.tf').targets[0]!.rules;
    expect(any.map((rule) => rule.conditions)).toEqual([undefined, { sourceport: '53' }]);
  });

  it('reads a source port limit of a "*" rule as TCP and UDP (the protocols with ports), and an unresolved one as its expression', () => {
    const nsg = scanFixture('terraform/azure-source-ports');
    expect(nsg.diagnostics).toEqual([]);
    expect(nsg.targets[0]!.rules.map((rule) => `${rule.id} ${summary(rule)} ${JSON.stringify(rule.conditions)}`)).toEqual([
      'azurerm_network_security_group.dns.security_rule[0]#0/tcp in allow 100 tcp/0-65535 10.0.0.0/8 {"sourceport":"53-54"}',
      'azurerm_network_security_group.dns.security_rule[0]#0/udp in allow 100 udp/0-65535 10.0.0.0/8 {"sourceport":"53-54"}',
      'azurerm_network_security_group.dns.security_rule[1]#0 out deny 110 udp/0-65535 10.0.0.0/8 {"sourceport":"unresolved var.reply_port"}',
    ]);
  });

  it('takes a Deny on Internet to deny the public address space only, and a Deny on another service tag to deny nothing', () => {
    const denies = scanFixture('terraform/azure-deny');
    expect(denies.diagnostics).toEqual([]);
    const [internet, tag] = denies.targets[0]!.rules;
    expect(internet!.peer.kind).toBe('addresses');
    const addresses = internet!.peer.kind === 'addresses' ? internet!.peer.addresses : AddressSet.EMPTY;
    const has = (cidr: string): boolean => addresses.containsAll(AddressSet.parseCidr(cidr));
    expect([has('8.8.8.8'), has('2001:db8::1'), has('10.5.0.1'), has('192.168.1.1'), has('fd00::1')]).toEqual([true, true, false, false, false]);
    expect(tag!.peer).toEqual({ kind: 'service-tag', name: 'AzureCloud' });
    // The allow from 10.0.0.0/8 below the Internet deny still admits SSH: no FW201 for the profile, no FW301.
    expect(denies.findings.filter((finding) => ['FW201', 'FW301', 'FW101'].includes(finding.checkId))).toEqual([]);
    // The allow from * keeps its private part only.
    expect(denies.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine}`)).toEqual(['FW202 47']);
    expect(denies.findings[0]!.message).toContain('tcp/443 from 10.0.0.0/8, 100.64.0.0/10');
  });

  it('gives FW101 a witness packet the rules really admit when a Deny closes a port for one address family', () => {
    const result = scanFixture('checks/FW101/terraform/bad-azure-ssh-open-from-ipv6-only.tf');
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => [finding.properties.traffic, finding.properties.witness])).toEqual([['tcp/22, 80', 'tcp/22 from 2001:db8::7']]);
  });

  it('reports an invalid prefix once, at its value', () => {
    const result = scanFixture('terraform/azure-bad-prefix');
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine])).toEqual([['parse/terraform-cidr', 14]]);
  });

  it('takes a Deny for some hosts to leave an allow open on the others (its destination prefix counts)', () => {
    const result = scanFixture('terraform/azure-deny-one-host');
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId}`)).toEqual([
      // Denied to 10.0.0.5 only: SSH from the internet still reaches every other host.
      'FW101 azurerm_network_security_group.one_host',
      // Denied to every host, or to the subnet holding the allow's one host: the allow never takes effect.
      'FW301 azurerm_network_security_group.every_host',
      'FW301 azurerm_network_security_group.same_subnet',
    ]);
  });

  // Regression: an unresolved destination was left out of the Deny's local addresses, which then read as every host:
  // a world-open RDP Allow to `*` was reported as overridden (FW301) instead of FW101, and nothing said the
  // destination was unknown.
  it('takes a Deny for unresolved hosts to hold only for an Allow to the same expression, and reports the unknown', () => {
    const result = scanFixture('terraform/azure-deny-unresolved-host');
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.location.range.startLine}`)).toEqual([
      'FW303 azurerm_network_security_group.unresolved_deny 21',
      'FW101 azurerm_network_security_group.unresolved_deny 32',
      'FW303 azurerm_network_security_group.same_expression 52',
      'FW301 azurerm_network_security_group.same_expression 55',
      'FW303 azurerm_network_security_group.same_expression 64',
    ]);
  });

  it('reads protocol * with destination ports as TCP and UDP on those ports, not as all traffic', () => {
    const star = scanFixture('terraform/azure-star-ports');
    expect(star.diagnostics).toEqual([]);
    expect(star.targets[0]!.rules.map((rule) => `${rule.id} ${summary(rule)}`)).toEqual([
      'azurerm_network_security_group.web.security_rule[0]#0/tcp in allow 300 tcp/80, 443, 8000-8100 203.0.113.0/24',
      'azurerm_network_security_group.web.security_rule[0]#0/udp in allow 300 udp/80, 443, 8000-8100 203.0.113.0/24',
      'azurerm_network_security_group.web.security_rule[0]#1/tcp in allow 300 tcp/80, 443, 8000-8100 ::/0',
      'azurerm_network_security_group.web.security_rule[0]#1/udp in allow 300 udp/80, 443, 8000-8100 ::/0',
      'azurerm_network_security_group.web.security_rule[1]#0/tcp in allow 310 tcp/53 Any',
      'azurerm_network_security_group.web.security_rule[1]#0/udp in allow 310 udp/53 Any',
      'azurerm_network_security_group.web.security_rule[2]#0 in allow 320 all/0-65535 198.51.100.0/24',
    ]);
    // `Any` as a prefix is every address.
    const any = star.targets[0]!.rules[4]!;
    expect(any.peer.kind === 'addresses' && any.peer.addresses.coversWorld()).toBe(true);
    // The TCP and UDP rules of one prefix are one written rule at one place: one finding names both.
    expect(star.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message.replace(/^\S+ /, '')}`)).toEqual([
      'FW101 16 allows ingress from ::/0 on tcp/80, 443, 8000-8100; udp/80, 443, 8000-8100',
      'FW101 28 allows ingress from 0.0.0.0/0, ::/0 on tcp/53; udp/53',
      'FW102 40 allows all traffic from 198.51.100.0/24',
    ]);
  });

  // Regression: `Icmp` was read as ICMPv4 only, so an Icmp rule from an IPv6 prefix allowed nothing (FW301 said it
  // never takes effect) and one from `*` was open to 0.0.0.0/0 only.
  it('reads protocol Icmp as ICMPv4 and ICMPv6, each for the prefixes of its family', () => {
    const icmp = scanFixture('terraform/azure-icmp');
    expect(icmp.diagnostics).toEqual([]);
    expect(icmp.targets[0]!.rules.map((rule) => `${rule.id} ${summary(rule)} ${rule.icmp?.type}`)).toEqual([
      'azurerm_network_security_group.ping.security_rule[0]#0 in allow 100 icmp/0-65535 10.1.0.0/24 any',
      'azurerm_network_security_group.ping.security_rule[0]#1/icmpv6 in allow 100 icmpv6/0-65535 2001:db8:1::/64 any',
      'azurerm_network_security_group.ping.security_rule[1]#0 in allow 110 icmp/0-65535 10.2.0.0/24 any',
      'azurerm_network_security_group.ping.security_rule[2]#0 in allow 120 icmp/0-65535 * any',
      'azurerm_network_security_group.ping.security_rule[2]#0/icmpv6 in allow 120 icmpv6/0-65535 * any',
    ]);
    expect(icmp.findings.filter((finding) => finding.checkId === 'FW101' || finding.checkId === 'FW301').map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message.replace(/^\S+ /, '')}`)).toEqual([
      'FW101 39 allows ingress from 0.0.0.0/0 on icmp (all types) and from ::/0 on icmpv6 (all types)',
    ]);
  });

  it('describes a wide protocol range with limited ports with its ports', () => {
    const all = IntervalSet.range(0n, 255n);
    expect(describeTraffic(all, PortSet.ALL)).toBe('all traffic');
    expect(describeTraffic(all, PortSet.parse('80'))).toBe('all protocols on ports 80');
    expect(describeTraffic(all.subtract(IntervalSet.range(6n, 6n)), PortSet.parse('80-90'))).toBe('all protocols other than tcp on ports 80-90');
    expect(describeTraffic(IntervalSet.range(20n, 40n), PortSet.parse('443'))).toBe('protocols 20-40 on ports 443');
    // QA h2 item 4: with a cap (message text), protocols past it are counted, as port ranges are.
    const scattered = IntervalSet.of([2n, 4n, 8n, 9n, 12n, 20n, 27n, 29n, 33n, 41n].map((value): [bigint, bigint] => [value, value]));
    expect(describeTraffic(all.subtract(scattered), PortSet.ALL, undefined, 8)).toBe('all protocols other than proto-2, ipip, proto-8, proto-9, proto-12, proto-20, proto-27, proto-29 and 2 more protocols');
    expect(describeTraffic(scattered, PortSet.ALL, undefined, 8)).toBe('proto-2; ipip; proto-8; proto-9; proto-12; proto-20; proto-27; proto-29 and 2 more protocols');
    expect(describeTraffic(scattered, PortSet.ALL)).toBe('proto-2; ipip; proto-8; proto-9; proto-12; proto-20; proto-27; proto-29; proto-33; proto-41');
    expect(describeTraffic(IntervalSet.range(6n, 6n), PortSet.parse('443'))).toBe('tcp/443');
  });
});

describe('Terraform Azure standalone rules naming their NSG by a literal name', () => {
  const result = scanFixture('terraform/azure-nsg-name');
  const owners = new Map(result.targets.flatMap((target) => target.rules.map((rule) => [rule.resourceAddress, target.id] as const)));

  it("joins the NSG of that name in the rule's own module instance (a module called for two resource groups)", () => {
    expect(result.diagnostics).toEqual([]);
    expect(owners.get('module.blue.azurerm_network_security_rule.ssh')).toBe('module.blue.azurerm_network_security_group.app');
    expect(owners.get('module.green.azurerm_network_security_rule.ssh')).toBe('module.green.azurerm_network_security_group.app');
    // Each instance's allow is overridden by its own NSG's deny at priority 100.
    expect(result.findings.filter((finding) => finding.checkId === 'FW301').map((finding) => [finding.targetId, finding.properties.overriddenBy])).toEqual([
      ['module.blue.azurerm_network_security_group.app', ['module.blue.azurerm_network_security_group.app.security_rule[0]']],
      ['module.green.azurerm_network_security_group.app', ['module.green.azurerm_network_security_group.app.security_rule[0]']],
    ]);
  });

  it('joins by name and resource group, and joins none of several NSGs of that name when the resource group is unknown', () => {
    expect(owners.get('azurerm_network_security_rule.web_west_https')).toBe('azurerm_network_security_group.web_west');
    // With web_http, which names the NSG with the same unresolved resource group (see below).
    expect(owners.get('azurerm_network_security_rule.web_https')).toBe('${var.web_resource_group}/web-nsg');
    expect(result.targets.map((target) => target.id)).toEqual([
      '${var.web_resource_group}/web-nsg',
      'azurerm_network_security_group.web_east',
      'azurerm_network_security_group.web_west',
      'azurerm_network_security_rule.other_shared',
      'module.blue.azurerm_network_security_group.app',
      'module.green.azurerm_network_security_group.app',
      'rg-shared/Shared-NSG',
    ]);
  });

  // Regression (QA): "WEB-NSG" in "RG-East" did not join the NSG "web-nsg" of "rg-east", its rules were judged apart.
  it('compares NSG and resource group names case-insensitively, as Azure does', () => {
    expect(owners.get('azurerm_network_security_rule.web_east_deny')).toBe('azurerm_network_security_group.web_east');
  });

  // Regression (QA): each rule naming an NSG outside the configuration was a target of its own, so two halves of IPv4
  // in two rules of one NSG passed.
  it('makes the rules naming one NSG that is not among the resources one target, named as its first rule writes it', () => {
    const members = (id: string): string[] => result.targets.find((target) => target.id === id)!.rules.map((rule) => rule.resourceAddress);
    expect(members('rg-shared/Shared-NSG')).toEqual(['azurerm_network_security_rule.shared_low', 'azurerm_network_security_rule.shared_high']);
    // The same name in another resource group is another NSG; the same unresolved resource group is the same one.
    expect(members('azurerm_network_security_rule.other_shared')).toEqual(['azurerm_network_security_rule.other_shared']);
    expect(members('${var.web_resource_group}/web-nsg')).toEqual(['azurerm_network_security_rule.web_https', 'azurerm_network_security_rule.web_http']);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => [finding.targetId, finding.messageId])).toEqual([
      ['rg-shared/Shared-NSG', 'worldOpenCombined'],
      ['rg-shared/Shared-NSG', 'worldOpenCombined'],
    ]);
  });
});
