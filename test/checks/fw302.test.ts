import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import FW302 from '../../src/checks/fw302-redundant-rule';
import { DominanceIndex } from '../../src/engine/dominance-index';
import { scan } from '../../src/pipeline/scan';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW302, {
  valid: [
    { fixture: 'checks/FW302/terraform/good-disjoint-rules.tf' },
    // QA 3/07: on a NACL mapped to a role, the tcp/3000 entry lies in the return entry tcp/1024-65535 from the same
    // peer; contained, but each is there for its own traffic (narrowed to the clients' ports, the return entry
    // would lose tcp/3000), so neither is called redundant.
    { fixture: 'checks/FW202/terraform-nacl-bound/good-mediator-advice-applied.tf' },
    // A rule a deny shadows is FW301's alone.
    { fixture: 'checks/FW302/terraform/good-shadowed-rule-left-to-fw301.tf' },
    // Azure: the destination prefix is part of what a rule allows.
    { fixture: 'checks/FW302/terraform/good-azure-allows-to-different-hosts.tf' },
    // Internet, another keyword, 0.0.0.0/0 alone do not certainly hold LocalSubnet; nor LocalSubnet Any.
    { fixture: 'checks/FW302/netsh/good-keyword-not-contained.cmd' },
    // QA: an allow from Internet was taken to hold every address, so allows from 10.1.2.0/24 or a public address
    // (which the intranet may hold) were reported redundant.
    { fixture: 'checks/FW302/netsh/good-not-contained-in-internet.cmd' },
    // QA 12: a rule carrying the role's required flow is not redundant beside a container FW202 tells to remove.
    { fixture: 'checks/FW302/terraform-profile-bound/good-required-rule-in-excess-rule.tf' },
    { fixture: 'checks/FW302/terraform-profile-bound/good-gcp-required-rule-in-other-firewalls-excess-rule.tf' },
    // QA 3/11: an Azure Allow limited to source port 53 was read as matching every source port, so the SSH rule
    // (ephemeral client ports) was called contained in it.
    { fixture: 'checks/FW302/terraform/good-azure-allow-on-other-source-ports.tf' },
    // QA: an Azure Allow from 10.0.0.0/8 was called contained in one from the Internet tag, which leaves out the
    // virtual network's ranges.
    { fixture: 'checks/FW302/terraform/good-azure-private-allow-beside-internet-tag.tf' },
  ],
  invalid: [
    {
      // One finding per written place: the instances of a counted rule resource, contained in the same rule, are one
      // finding naming them all and their ports' union; the rule written elsewhere is its own finding.
      fixture: 'checks/FW302/terraform/bad-counted-rules-contained.tf',
      findings: [
        {
          line: 21,
          messageId: 'contained',
          message: /^aws_security_group\.monitoring: rule aws_security_group_rule\.exporters\[0\], aws_security_group_rule\.exporters\[1\], aws_security_group_rule\.exporters\[2\] \(tcp\/9100-9102 from 10\.0\.1\.0\/24\) is fully contained in aws_security_group\.monitoring\.ingress\[0\]$/,
        },
        { line: 30, messageId: 'contained', message: /rule aws_security_group_rule\.grafana \(tcp\/9030 from 10\.0\.1\.0\/24\) is fully contained in aws_security_group\.monitoring\.ingress\[0\]$/ },
      ],
    },
    {
      // With a role: a required flow's rule inside a rule without excess, and a rule of no required flow inside one
      // with excess, stay redundant.
      fixture: 'checks/FW302/terraform-profile-bound/bad-contained-rules-beside-role.tf',
      findings: [
        { line: 10, messageId: 'contained', message: /ingress\[0\] \(tcp\/22 from 10\.0\.0\.0\/25\) is fully contained in aws_security_group\.vm_contained\.ingress\[2\]$/ },
        { line: 16, messageId: 'contained', message: /ingress\[1\] \(tcp\/8080 from 10\.0\.0\.0\/24\) is fully contained in aws_security_group\.vm_contained\.ingress\[3\]$/ },
      ],
    },
    {
      // The Internet tag surely holds the public space; an Allow from * is broader than it, not its duplicate.
      fixture: 'checks/FW302/terraform/bad-azure-rules-beside-internet-tag.tf',
      findings: [
        { line: 28, messageId: 'contained', message: /public_web\.security_rule\[1\] \(tcp\/443 from 198\.51\.100\.0\/24\) is fully contained in azurerm_network_security_group\.public_web\.security_rule\[0\]$/ },
        { line: 47, messageId: 'contained', message: /any_web\.security_rule\[0\] \(tcp\/443 from Internet\) is fully contained in azurerm_network_security_group\.any_web\.security_rule\[1\]$/ },
      ],
    },
    { fixture: 'checks/FW302/terraform/bad-contained-rule.tf', findings: [{ line: 16, messageId: 'contained', message: /ingress\[1\] .* is fully contained in aws_security_group\.web\.ingress\[0\]/ }] },
    {
      // A RemoteIP list is one model rule per item; the written rule is reported once, its addresses united.
      fixture: 'checks/FW302/netsh/bad-remoteip-list-contained.cmd',
      findings: [{ line: 3, messageId: 'contained', message: /rule "Web hosts"#1 \(tcp\/443 from 10\.0\.0\.1\/32, 10\.0\.0\.2\/31\) is fully contained in "Web subnet"#1$/ }],
    },
    {
      // QA h5 item 3: containment compared item by item, so a range across the two items of a RemoteIP list was not
      // found inside it. Items of two written rules, or with Internet among them, are not united.
      fixture: 'checks/FW302/netsh/bad-contained-in-remoteip-list-union.cmd',
      findings: [{ line: 3, messageId: 'contained', message: /rule "App middle"#1 \(tcp\/8443 from 10\.127\.0\.0-10\.128\.255\.255\) is fully contained in "App LAN halves"#1$/ }],
    },
    {
      // QA: an allow from LocalSubnet beside the same allow from Any was not found redundant.
      fixture: 'checks/FW302/netsh/bad-keyword-contained-in-any.cmd',
      findings: [{ line: 2, messageId: 'contained', message: /rule "App subnet"#1 \(tcp\/8080 from LocalSubnet\) is fully contained in "App"#1$/ }],
    },
    {
      // QA: an allow written remoteip=0.0.0.0/0,::/0 (one model rule per item) did not hold a keyword's addresses.
      fixture: 'checks/FW302/netsh/bad-keyword-contained-in-every-address-list.cmd',
      findings: [{ line: 2, messageId: 'contained', message: /rule "App subnet"#1 \(tcp\/8080 from LocalSubnet\) is fully contained in "App"#1$/ }],
    },
    {
      // QA: an allow from Any after the same allow from Internet was called its duplicate; Internet is the narrower one.
      fixture: 'checks/FW302/netsh/bad-internet-contained-in-any.cmd',
      findings: [
        { line: 4, messageId: 'contained', message: /rule "Admin from the internet"#1 \(tcp\/9443 from Internet\) is fully contained in "Admin from anywhere"#1$/ },
        { line: 7, messageId: 'duplicate', message: /rule "Web again"#1 \(tcp\/443 from Internet\) duplicates "Web from the internet"#1$/ },
      ],
    },
  ],
});

describe('FW302 on small and large targets', () => {
  const { rule, target } = require('../helpers/build-rule') as typeof import('../helpers/build-rule');
  const ctx = { options: {}, effective: () => { throw new Error('unused'); }, profileDiff: () => undefined, publicPorts: [] } as never;
  const summary = (rules: ReturnType<typeof rule>[]) =>
    FW302.evaluate(target(rules), ctx).map((finding) => `${finding.messageId} ${finding.rule!.resourceAddress} ${finding.properties!.containedIn as string}`);

  it('finds the same containments and duplicates whether a direction has few rules or many (the plain scan and the containment index)', () => {
    const make = () => [
      rule('in', 'tcp', '0-1000', '10.0.0.0/8'),
      rule('in', 'tcp', '22', '10.1.0.0/16'),
      rule('in', 'all', 'all', '192.168.0.0/16'),
      rule('in', 'udp', '53', '192.168.1.0/24'),
      rule('in', 'tcp', '0-1000', '10.0.0.0/8'),
      rule('out', 'tcp', '443', '0.0.0.0/0'),
      rule('out', 'tcp', '443', '0.0.0.0/1'),
    ];
    const small = make();
    const few = summary(small).map((line) => line.replace(/rule\d+/g, (name) => `#${small.findIndex((r) => r.resourceAddress === name)}`));
    const large = make();
    // Forty disjoint inbound rules after them: the large path, same findings for the first seven.
    for (let i = 0; i < 40; i++) large.push(rule('in', 'udp', String(2000 + i), `198.51.100.${i}/32`));
    const many = summary(large).map((line) => line.replace(/rule\d+/g, (name) => `#${large.findIndex((r) => r.resourceAddress === name)}`));
    expect(few).toEqual(['duplicate #4 #0', 'contained #1 #0', 'contained #3 #2', 'contained #6 #5']);
    expect(many).toEqual(few);
  });

  it('tells twins by their whole content: /24 rules alike in the low bits of their addresses are not duplicates', () => {
    // The numeric summary that decides which rules' content keys are compared folds the first address's bits; only
    // the exact twin (rule #3 of #0) is reported, whichever summaries collide.
    const rules = [
      rule('in', 'tcp', '443', '10.1.0.0/24'),
      rule('in', 'tcp', '443', '10.2.0.0/24'),
      rule('in', 'tcp', '443', '10.1.16.0/24'),
      rule('in', 'tcp', '443', '10.1.0.0/24'),
      rule('in', 'tcp', '443', '10.2.0.0/25'),
    ];
    expect(summary(rules).map((line) => line.replace(/rule\d+/g, (name) => `#${rules.findIndex((r) => r.resourceAddress === name)}`))).toEqual([
      'duplicate #3 #0',
      'contained #4 #1',
    ]);
  });

  it('finds a rule inside the union of a written rule\'s items, on small and large targets, after any single container (QA h5 item 3)', () => {
    const item = (line: number, ports: string, peer: string, name: string) =>
      rule('in', 'tcp', ports, peer, { resourceAddress: name, location: { file: 'host.cmd', range: { startLine: line, startColumn: 1, endLine: line, endColumn: 2 } } });
    const make = () => [
      item(1, '8443', '10.0.0.0/9', '"Halves"#1'),
      item(1, '8443', '10.128.0.0/9', '"Halves"#1'),
      item(2, '8443', '10.127.0.0-10.128.255.255', '"Middle"#1'),
      item(3, '8443', '10.0.0.0/8', '"LAN"#1'),
      item(4, '8444', '10.64.0.0/10', '"Other port"#1'),
      // Alike but for the ports: not united.
      item(5, '9000', '172.16.0.0/13', '"Mixed"#1'),
      item(5, '9001', '172.24.0.0/13', '"Mixed"#1'),
      item(6, '9000', '172.23.0.0/16, 172.24.0.0/16', '"Across"#1'),
    ];
    const expected = [
      // The halves are inside LAN (item by item, as before); LAN and the halves hold the same addresses: LAN is not
      // called contained in them. Middle is inside a single rule, LAN, which comes before the union in the search.
      'contained "Halves"#1 "LAN"#1',
      'contained "Middle"#1 "LAN"#1',
    ];
    expect(summary(make()).sort()).toEqual(expected);
    const large = make();
    for (let i = 0; i < 40; i++) large.push(rule('in', 'udp', String(2000 + i), `198.51.100.${i}/32`));
    expect(summary(large).sort()).toEqual(expected);
    // Without LAN, Middle is inside the halves' union only.
    const withoutLan = (rules: ReturnType<typeof rule>[]) => rules.filter((r) => r.resourceAddress !== '"LAN"#1');
    expect(summary(withoutLan(make()))).toEqual(['contained "Middle"#1 "Halves"#1']);
    expect(summary(withoutLan(large))).toEqual(['contained "Middle"#1 "Halves"#1']);
  });

  it('takes a rule object listed twice in a target as one rule, reported wherever it occurs (small and large targets)', () => {
    // The rule inside the wider one is reported at its first occurrence; its second is then no container of the
    // narrower rule, which is reported inside the wider one instead.
    const make = () => {
      const middle = rule('in', 'tcp', '22', '10.1.0.0/16');
      return [middle, rule('in', 'tcp', '22', '10.1.2.0/24'), middle, rule('in', 'tcp', '0-1000', '10.0.0.0/8')];
    };
    const named = (rules: ReturnType<typeof rule>[]) => summary(rules).map((line) => line.replace(/rule\d+/g, (name) => `#${rules.findIndex((r) => r.resourceAddress === name)}`));
    expect(named(make())).toEqual(['contained #0 #3', 'contained #1 #3']);
    // Past SMALL_TARGET_RULES the facts are found by a map: forty disjoint rules first.
    const large = [...Array.from({ length: 40 }, (_, i) => rule('in', 'udp', String(2000 + i), `198.51.100.${i}/32`)), ...make()];
    expect(named(large)).toEqual(['contained #40 #43', 'contained #41 #43']);
  });

  it('unites a written rule\'s items only when a containment test reaches its addresses', () => {
    const addressSets = require('../../src/model/address-set') as typeof import('../../src/model/address-set');
    const item = (line: number, ports: string, peer: string, name: string) =>
      rule('in', 'tcp', ports, peer, { resourceAddress: name, location: { file: 'host.cmd', range: { startLine: line, startColumn: 1, endLine: line, endColumn: 2 } } });
    // Two written rules of two items each, on ports that hold neither the other's nor the single rule's: no union is
    // a candidate container, so none is built.
    const rules = [
      item(1, '80', '10.0.0.0/9', '"Web"#1'),
      item(1, '80', '10.128.0.0/9', '"Web"#1'),
      item(2, '443', '10.0.0.0/9', '"Tls"#1'),
      item(2, '443', '10.128.0.0/9', '"Tls"#1'),
      item(3, '22', '10.1.0.0/16', '"Ssh"#1'),
    ];
    const unionOf = jest.spyOn(addressSets, 'unionOf');
    try {
      expect(summary(rules)).toEqual([]);
      expect(unionOf).not.toHaveBeenCalled();
      // On port 80 the Web items' union is reached, and holds the rule.
      expect(summary([...rules, item(4, '80', '10.127.0.0-10.128.255.255', '"Middle"#1')])).toEqual(['contained "Middle"#1 "Web"#1']);
      expect(unionOf).toHaveBeenCalled();
    } finally {
      unionOf.mockRestore();
    }
  });

  it('on large targets finds what comparing every pair finds (seeded random rules: protocols, port ranges, IPv4 and IPv6)', () => {
    const { Prng } = require('../../src/bench/prng') as typeof import('../../src/bench/prng');
    const { contentKeyOf } = require('../../src/model/rule') as typeof import('../../src/model/rule');
    const random = new Prng(3020);
    const cidr = (): string =>
      random.chance(0.2)
        ? `2001:db8:${random.int(0, 3)}::/${random.pick([48, 56, 64])}`
        : random.chance(0.3)
          ? `10.${random.int(0, 3)}.0.0/16`
          : `10.${random.int(0, 3)}.${random.int(0, 3) * 64}.${random.pick(['0/18', '0/24', '0/26', '64/26'])}`;
    const ports = (): string => {
      if (random.chance(0.05)) return 'all';
      const low = random.int(0, 20) * 10;
      return random.chance(0.3) ? `${low}, ${low + 50}-${low + 60}` : `${low}-${low + random.int(0, 3) * 10}`;
    };
    // Every pair compared in rule order, with the model's own set operations: the definition the index must keep.
    const within = (inner: ReturnType<typeof rule>, outer: ReturnType<typeof rule>): boolean =>
      (outer.protocol.kind === 'any' || (inner.protocol.kind === 'number' && outer.protocol.kind === 'number' && outer.protocol.value === inner.protocol.value)) &&
      outer.ports.containsAll(inner.ports) &&
      (outer.peer as { addresses: import('../../src/model/address-set').AddressSet }).addresses.containsAll((inner.peer as { addresses: import('../../src/model/address-set').AddressSet }).addresses);
    const reference = (rules: ReturnType<typeof rule>[]): string[] => {
      const lines: string[] = [];
      for (const direction of ['in', 'out']) {
        const list = rules.filter((r) => r.direction === direction);
        const reported = new Set<unknown>();
        const first = new Map<string, ReturnType<typeof rule>>();
        for (const r of list) {
          const earlier = first.get(contentKeyOf(r));
          if (!earlier) first.set(contentKeyOf(r), r);
          else if (earlier.resourceAddress !== r.resourceAddress) {
            lines.push(`duplicate ${r.resourceAddress} ${earlier.resourceAddress}`);
            reported.add(r);
          }
        }
        for (const inner of list) {
          if (reported.has(inner)) continue;
          const outer = list.find((candidate) => candidate !== inner && !reported.has(candidate) && within(inner, candidate) && !within(candidate, inner));
          if (outer) {
            lines.push(`contained ${inner.resourceAddress} ${outer.resourceAddress}`);
            reported.add(inner);
          }
        }
      }
      return lines.sort();
    };
    for (let round = 0; round < 25; round++) {
      const rules = Array.from({ length: random.int(33, 180) }, () =>
        rule(random.chance(0.7) ? 'in' : 'out', random.pick(['tcp', 'tcp', 'udp', 'all']), ports(), random.chance(0.2) ? `${cidr()}, ${cidr()}` : cidr()),
      );
      const expected = reference(rules);
      expect(expected.some((line) => line.startsWith('contained'))).toBe(true);
      expect([...summary(rules)].sort()).toEqual(expected);
    }
  });

  it('compares rules naming the same group, prefix list or the group itself, and never rules naming different ones', () => {
    const lb = { kind: 'sg-ref', id: 'aws_security_group.lb' } as const;
    const rules = [
      rule('in', 'tcp', '443', { kind: 'self' }),
      rule('in', 'all', 'all', { kind: 'self' }),
      rule('in', 'tcp', '8080', lb),
      rule('in', 'tcp', '8080', lb),
      rule('in', 'tcp', '8080', { kind: 'sg-ref', id: 'aws_security_group.other' }),
      rule('out', 'udp', '53', { kind: 'prefix-list', id: 'pl-123' }),
      rule('out', 'all', 'all', { kind: 'prefix-list', id: 'pl-123' }),
      rule('out', 'all', 'all', { kind: 'prefix-list', id: 'pl-456' }),
    ];
    const names = summary(rules).map((line) => line.replace(/rule\d+/g, (name) => `#${rules.findIndex((r) => r.resourceAddress === name)}`));
    expect(names.sort()).toEqual(['contained #0 #1', 'contained #5 #6', 'duplicate #3 #2']);
  });
});


// The hostile corpus scanned 2,000 distinct rules in one group under a time limit, which failed on a loaded machine.
// Counted instead: the containment index hands FW302 a few candidates per rule, not every other rule (4 million pairs).
describe('FW302 on a group of 2,000 distinct rules', () => {
  it('tests a bounded number of candidate containers per rule', () => {
    const count = 2000;
    const cidrs = Array.from({ length: count }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
    const template = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Resources: { ManySG: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: cidrs.map((cidr, i) => ({ IpProtocol: 'tcp', FromPort: 1000 + (i % 50), ToPort: 1000 + (i % 50), CidrIp: cidr })), SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/8' }] } } },
    });
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fw302-'));
    let tested = 0;
    const original = DominanceIndex.prototype.firstCandidate;
    const firstCandidate = jest.spyOn(DominanceIndex.prototype, 'firstCandidate').mockImplementation(function (this: DominanceIndex, query, mask, accept) {
      return original.call(this, query, mask, (candidate) => {
        tested++;
        return accept(candidate);
      });
    });
    try {
      fs.writeFileSync(path.join(directory, 'many-rules.json'), template);
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-25' });
      expect(result.findings.filter((finding) => finding.checkId === 'FW302')).toEqual([]);
      expect(firstCandidate).toHaveBeenCalledTimes(count);
      expect(tested).toBeLessThan(4 * count);
    } finally {
      firstCandidate.mockRestore();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
