import fc from 'fast-check';
import { computeEffective } from '../../src/engine/effective';
import { AddressSet } from '../../src/model/address-set';
import { addressPeer } from '../../src/model/peer';
import { PortSet } from '../../src/model/port-set';
import type { Rule } from '../../src/model/rule';
import { describeTraffic } from '../../src/engine/traffic';
import { rule, target } from '../helpers/build-rule';

describe('computeEffective', () => {
  it('keeps every allow rule of a security group (allow-only, order irrelevant)', () => {
    const effective = computeEffective(target([rule('in', 'tcp', '22', '10.0.0.0/8'), rule('out', '-1', 'all', '0.0.0.0/0')]));
    expect(effective.in).toHaveLength(1);
    expect(effective.out).toHaveLength(1);
    expect(effective.shadowed).toHaveLength(0);
  });

  it('removes what a lower-numbered NACL deny covers, exactly', () => {
    const deny = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'aws-nacl', action: 'deny', priority: 90 });
    const allow = rule('in', 'tcp', '0-1023', '0.0.0.0/0', { platform: 'aws-nacl', priority: 100 });
    const effective = computeEffective(target([allow, deny], { platform: 'aws-nacl' }));
    const ports = effective.in.map((grant) => grant.ports.toString()).sort();
    expect(ports).toEqual(['0-21, 23-1023']);
  });

  it('keeps an allow with unresolved ports apart, on every port the denies before it leave', () => {
    const unknowns = [{ field: 'PortRange.From', expr: '!Ref Port', location: { file: 't.yaml', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } }];
    const deny = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'aws-nacl', action: 'deny', priority: 90 });
    const allow = { ...rule('in', 'tcp', '0', '0.0.0.0/0', { platform: 'aws-nacl', priority: 100, unknowns }), ports: PortSet.EMPTY };
    const effective = computeEffective(target([allow, deny], { platform: 'aws-nacl' }));
    // Nothing known is allowed, and the rule is not shadowed: the value may be any port but 22.
    expect(effective.in).toEqual([]);
    expect(effective.shadowed).toEqual([]);
    expect(effective.unresolvedTraffic.in.map((grant) => [grant.rule, grant.ports.toString()])).toEqual([[allow, '0-21, 23-65535']]);
    // Without denies too; and a rule empty for another reason (no unknown port) is not there.
    expect(computeEffective(target([allow])).unresolvedTraffic.in.map((grant) => grant.ports.toString())).toEqual(['0-65535']);
    expect(computeEffective(target([{ ...allow, unknowns: [] }])).unresolvedTraffic.in).toEqual([]);
    // A Windows keyword whose ports Windows assigns (Teredo) is one service's ports, not an unresolved value.
    expect(computeEffective(target([{ ...allow, portKeywords: ['Teredo'] }])).unresolvedTraffic.in).toEqual([]);
  });

  // QA s12: a rule whose protocol is unresolved admits nothing for certain, and is judged apart on every protocol it
  // could be, on its ports; a deny of an unresolved protocol removes nothing (it is never taken to block).
  it('keeps an allow of an unresolved protocol apart, on every protocol the denies before it leave, on its ports', () => {
    const unknowns = [{ field: 'web.protocol', expr: 'var.proto', location: { file: 'main.tf', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } }];
    const unresolved = { kind: 'unknown' as const, expr: 'var.proto' };
    const denyTcp = rule('in', 'tcp', '0-65535', '0.0.0.0/0', { platform: 'aws-nacl', action: 'deny', priority: 90 });
    const allow = { ...rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'aws-nacl', priority: 100, unknowns }), protocol: unresolved };
    const effective = computeEffective(target([denyTcp, allow], { platform: 'aws-nacl' }));
    expect(effective.in).toEqual([]);
    expect(effective.shadowed).toEqual([]);
    expect(effective.unresolvedTraffic.in.map((grant) => `${describeTraffic(grant.protocols, grant.ports)} ${grant.addresses!.toString()}`)).toEqual(['all protocols other than tcp on ports 22 0.0.0.0/0']);
    // Ports unresolved too: every port.
    expect(computeEffective(target([{ ...allow, ports: PortSet.EMPTY }])).unresolvedTraffic.in.map((grant) => describeTraffic(grant.protocols, grant.ports))).toEqual(['all traffic']);
    // A deny of an unresolved protocol ahead of a tcp allow takes nothing from it, and shadows nothing.
    const denyUnknown = { ...rule('in', 'tcp', '0-65535', '0.0.0.0/0', { platform: 'aws-nacl', action: 'deny', priority: 90, unknowns }), protocol: unresolved };
    const tcp = rule('in', 'tcp', '443', '0.0.0.0/0', { platform: 'aws-nacl', priority: 100 });
    const behind = computeEffective(target([denyUnknown, tcp], { platform: 'aws-nacl' }));
    expect(behind.in.map((grant) => describeTraffic(grant.protocols, grant.ports))).toEqual(['tcp/443']);
    expect(behind.shadowed).toEqual([]);
  });

  it('ignores a NACL deny that comes after the allow (first match wins)', () => {
    const allow = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'aws-nacl', priority: 100 });
    const deny = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'aws-nacl', action: 'deny', priority: 200 });
    expect(computeEffective(target([allow, deny], { platform: 'aws-nacl' })).in).toHaveLength(1);
  });

  it('lets a Windows block beat an allow whatever the order, per profile', () => {
    const allow = rule('in', 'tcp', '3389', 'Any', { platform: 'windows-fw', profiles: ['domain', 'private', 'public'] });
    const block = rule('in', 'tcp', '3389', 'Any', { platform: 'windows-fw', action: 'deny', profiles: ['public'] });
    const effective = computeEffective(target([block, allow], { platform: 'windows-fw' }));
    expect(effective.in).toHaveLength(1);
    expect(effective.in[0]!.profiles).toBe(1 | 2);
  });

  it('reports an allow rule fully overridden by blocks as shadowed', () => {
    const allow = rule('in', 'tcp', '445', '10.0.0.0/8', { platform: 'windows-fw' });
    const block = rule('in', 'tcp', '1-1024', 'Any', { platform: 'windows-fw', action: 'deny' });
    const effective = computeEffective(target([allow, block], { platform: 'windows-fw' }));
    expect(effective.in).toHaveLength(0);
    expect(effective.shadowed.map((entry) => entry.rule)).toEqual([allow]);
    expect(effective.shadowed[0]!.by).toEqual([block]);
  });

  it('Windows keyword peers: only a block from every address, or from the same keyword, removes traffic from them', () => {
    const windows = { platform: 'windows-fw' as const };
    const lan = { kind: 'keyword', name: 'LocalSubnet' } as const;
    const internet = { kind: 'addresses', addresses: AddressSet.ALL, text: 'Internet', isApproximate: true } as const;
    const allow = rule('in', 'tcp', '440-450', lan, { ...windows, profiles: ['domain', 'private', 'public'] });
    const blocks = [
      rule('in', 'tcp', '445', 'Any', { ...windows, action: 'deny', profiles: ['public'] }),
      rule('in', 'tcp', '440-450', internet, { ...windows, action: 'deny' }),
      rule('in', 'tcp', '440-450', '0.0.0.0/0', { ...windows, action: 'deny' }),
      rule('in', 'tcp', '440-450', { kind: 'keyword', name: 'DNS' }, { ...windows, action: 'deny' }),
      rule('in', 'tcp', '441', lan, { ...windows, action: 'deny' }),
    ];
    const effective = computeEffective(target([allow, ...blocks], windows));
    // Left: everything but 441, and 445 only on domain and private; the keyword grants keep no addresses.
    expect(effective.in.map((grant) => `${grant.ports.toString()} ${grant.profiles} ${String(grant.addresses)}`).sort()).toEqual([
      '440, 442-444, 446-450 7 undefined',
      '445 3 undefined',
    ]);
    expect(effective.shadowed).toEqual([]);
    // A keyword never holds Any: a block from LocalSubnet leaves an allow from Any as it is.
    const any = rule('in', 'tcp', '80', 'Any', windows);
    expect(computeEffective(target([any, rule('in', 'tcp', '80', lan, { ...windows, action: 'deny' })], windows)).in).toHaveLength(1);
  });

  it('Windows keyword peers: blocks that hold whole address families remove them where they hold every address the traffic reaches', () => {
    const windows = { platform: 'windows-fw' as const };
    const lan = { kind: 'keyword', name: 'LocalSubnet' } as const;
    const allow = rule('in', 'tcp', '440-450', lan, windows);
    const v4 = rule('in', 'tcp', '440-450', '0.0.0.0/0', { ...windows, action: 'deny' });
    const v6 = rule('in', 'tcp', '445', '::/0', { ...windows, action: 'deny' });
    // Both families only on 445: the rest stays, its grants without addresses (the keyword's).
    const effective = computeEffective(target([allow, v4, v6], windows));
    expect(effective.in.map((grant) => `${grant.ports.toString()} ${String(grant.addresses)}`)).toEqual(['440-444, 446-450 undefined']);
    expect(effective.shadowed).toEqual([]);
    // Blocks of both families on every port: nothing is left, and both are named.
    const everyPort = rule('in', 'tcp', '440-450', '::/0', { ...windows, action: 'deny' });
    expect(computeEffective(target([allow, v4, everyPort], windows)).shadowed).toEqual([{ rule: allow, by: [v4, everyPort] }]);
    // A written rule counts as a whole (a netsh RemoteIP list is one model rule per item): 0.0.0.0/1,128.0.0.0/1 holds
    // all of IPv4; so do blocks written apart (QA h5 item 2: the union of the blocks counts).
    const written = { ...windows, action: 'deny' as const, resourceAddress: '"No IPv4"#1', location: { file: 'host.cmd', range: { startLine: 9, startColumn: 1, endLine: 9, endColumn: 2 } } };
    const low = rule('in', 'tcp', '440-450', '0.0.0.0/1', written);
    const high = rule('in', 'tcp', '440-450', '128.0.0.0/1', written);
    expect(computeEffective(target([allow, low, high, everyPort], windows)).shadowed).toEqual([{ rule: allow, by: [low, high, everyPort] }]);
    const apart = [rule('in', 'tcp', '440-450', '0.0.0.0/1', { ...windows, action: 'deny' }), rule('in', 'tcp', '440-450', '128.0.0.0/1', { ...windows, action: 'deny' })];
    expect(computeEffective(target([allow, ...apart, everyPort], windows)).shadowed).toEqual([{ rule: allow, by: [...apart, everyPort] }]);
    // ICMPv4 reaches IPv4 addresses only: a block from 0.0.0.0/0 holds all of an ICMPv4 allow from a keyword.
    const ping = rule('in', 'icmp', 'all', lan, { ...windows, icmp: { type: 'any', code: 'any' } });
    const noPing = rule('in', 'icmp', 'all', '0.0.0.0/0', { ...windows, action: 'deny', icmp: { type: 'any', code: 'any' } });
    expect(computeEffective(target([ping, noPing], windows)).shadowed).toEqual([{ rule: ping, by: [noPing] }]);
  });

  it('Windows keyword peers: narrower blocks that together hold every address remove it, per port and profile (QA h5 item 2)', () => {
    const windows = { platform: 'windows-fw' as const };
    const lan = { kind: 'keyword', name: 'LocalSubnet' } as const;
    const allow = rule('in', 'tcp', '440-450', lan, windows);
    const block = (ports: string, peer: string, extra: Partial<Rule> = {}): Rule => rule('in', 'tcp', ports, peer, { ...windows, action: 'deny', ...extra });
    const low = block('440-450', '0.0.0.0-127.255.255.255');
    const high = block('445', '128.0.0.0-255.255.255.255');
    const v6Low = block('440-450', '::/1');
    const v6High = block('440-450', '8000::/1');
    const unrelated = block('440-450', '192.0.2.7');
    // IPv4 only on 445, IPv6 everywhere: 445 is gone, the rest stays (its grants keep no addresses).
    const effective = computeEffective(target([allow, unrelated, low, high, v6Low, v6High], windows));
    expect(effective.in.map((grant) => `${grant.ports.toString()} ${grant.profiles}`)).toEqual(['440-444, 446-450 7']);
    // On every port the allow is shadowed, by the blocks that make up the union, in rule order.
    const everyPortHigh = block('440-450', '128.0.0.0/1');
    expect(computeEffective(target([allow, unrelated, v6High, low, everyPortHigh, v6Low], windows)).shadowed)
      .toEqual([{ rule: allow, by: [v6High, low, everyPortHigh, v6Low] }]);
    // A union that holds every address on the public profile only leaves the others; a block for one program is not
    // counted (it does not reach the allow's other programs).
    const publicHigh = block('440-450', '128.0.0.0/1', { profiles: ['public'] });
    expect(computeEffective(target([allow, low, publicHigh, v6Low, v6High], windows)).in.map((grant) => grant.profiles)).toEqual([3]);
    const programHigh = block('440-450', '128.0.0.0/1', { conditions: { program: 'c:\\tools\\x.exe' } });
    expect(computeEffective(target([allow, low, programHigh, v6Low, v6High], windows)).shadowed).toEqual([]);
    // ICMPv4 reaches IPv4 only: two IPv4 halves hold a keyword's ping.
    const ping = rule('in', 'icmp', 'all', lan, { ...windows, icmp: { type: 'any', code: 'any' } });
    const pingBlocks = ['0.0.0.0/1', '128.0.0.0/1'].map((peer) => rule('in', 'icmp', 'all', peer, { ...windows, action: 'deny', icmp: { type: 'any', code: 'any' } }));
    expect(computeEffective(target([ping, ...pingBlocks], windows)).shadowed).toEqual([{ rule: ping, by: pingBlocks }]);
  });

  // Regression: keyword allows were subtracted every preceding block as if it existed in every case, so a block under
  // `if "%1"=="strict"` made the allow "never take effect" (FW301) and FW102 read the block as unconditional.
  it('Windows keyword peers: a block under a condition removes traffic only where it exists, with that condition', () => {
    const windows = { platform: 'windows-fw' as const, kind: 'netsh' as const };
    const strict = '"%1"=="strict"';
    const notStrict = '!("%1"=="strict")';
    const lan = { kind: 'keyword', name: 'LocalSubnet' } as const;
    const allow = rule('in', 'tcp', '445', lan, windows);
    const describe = (rules: Rule[]): string[] => {
      const effective = computeEffective(target(rules, windows));
      return [...effective.in.map((grant) => `${grant.ports.toString()} ${grant.when?.branch ?? 'always'}`), ...effective.shadowed.map(() => 'shadowed')].sort();
    };
    // The same keyword, all of the allow: open where the block does not exist.
    expect(describe([allow, rule('in', 'tcp', '445', lan, { ...windows, action: 'deny', branch: strict })])).toEqual([`445 ${notStrict}`]);
    // Every address on some ports: those ports under the condition, the rest always.
    const wide = rule('in', 'tcp', '440-450', lan, windows);
    expect(describe([wide, rule('in', 'tcp', '445', 'Any', { ...windows, action: 'deny', branch: strict })])).toEqual(['440-444, 446-450 always', `445 ${notStrict}`]);
    // Blocks that hold every address only together: only where all of them exist.
    const halves = [rule('in', 'tcp', '445', '0.0.0.0/1,::/0', { ...windows, action: 'deny' }), rule('in', 'tcp', '445', '128.0.0.0/1', { ...windows, action: 'deny', branch: strict })];
    expect(describe([allow, ...halves])).toEqual([`445 ${notStrict}`]);
    // IPv4 only under the condition: the keyword's IPv6 addresses stay open always, its IPv4 ones where it is absent.
    const grants = computeEffective(target([allow, rule('in', 'tcp', '445', '0.0.0.0/0', { ...windows, action: 'deny', branch: strict })], windows)).in;
    expect(grants.map((grant) => grant.when?.branch ?? 'always').sort()).toEqual([notStrict, 'always']);
  });

  it('Windows Internet: a block from it removes every address for the breadth checks, but shadows only an allow from Internet', () => {
    const windows = { platform: 'windows-fw' as const };
    const internet = { kind: 'addresses', addresses: AddressSet.ALL, text: 'Internet', isApproximate: true } as const;
    const lanAllow = rule('in', 'tcp', '8080', '10.0.0.0/8', windows);
    const internetAllow = rule('in', 'tcp', '8080', internet, windows);
    const block = rule('in', 'tcp', '8080', internet, { ...windows, action: 'deny' });
    const effective = computeEffective(target([lanAllow, internetAllow, block], windows));
    expect(effective.in).toEqual([]);
    expect(effective.shadowed).toEqual([{ rule: internetAllow, by: [block] }]);
    // Exact blocks of every address shadow an allow from Internet, together with a block from Internet or without it.
    const v4 = rule('in', 'tcp', '8080', '0.0.0.0/0', { ...windows, action: 'deny' });
    const v6 = rule('in', 'tcp', '8080', '::/0', { ...windows, action: 'deny' });
    expect(computeEffective(target([internetAllow, v4, v6], windows)).shadowed).toEqual([{ rule: internetAllow, by: [v4, v6] }]);
    expect(computeEffective(target([lanAllow, block, v4], windows)).shadowed).toEqual([{ rule: lanAllow, by: [v4] }]);
  });

  it('Windows Internet: what a block from it took away is kept as possibly allowed, for required flows (QA h5 item 1)', () => {
    const windows = { platform: 'windows-fw' as const };
    const internet = { kind: 'addresses', addresses: AddressSet.ALL, text: 'Internet', isApproximate: true } as const;
    const lanAllow = rule('in', 'tcp', '8080-8081', '10.0.0.0/8', windows);
    const internetAllow = rule('in', 'tcp', '8080', internet, windows);
    const block = rule('in', 'tcp', '8080', internet, { ...windows, action: 'deny' });
    const exact = rule('in', 'tcp', '8080-8081', '10.1.0.0/16', { ...windows, action: 'deny' });
    const effective = computeEffective(target([lanAllow, internetAllow, block, exact], windows));
    const text = (grants: typeof effective.in): string[] => grants.map((grant) => `${grant.rule.id} ${grant.ports.toString()} ${String(grant.addresses)}`);
    expect(text(effective.in)).toEqual([`${lanAllow.id} 8081 10.0.0.0/16, 10.2.0.0/15, 10.4.0.0/14, 10.8.0.0/13, 10.16.0.0/12, 10.32.0.0/11, 10.64.0.0/10, 10.128.0.0/9`]);
    // Exact blocks still take their addresses; the allow from Internet is not possibly allowed (the same stand-in).
    expect(text(effective.possiblyAllowed.in)).toEqual([`${lanAllow.id} 8080-8081 10.0.0.0/16, 10.2.0.0/15, 10.4.0.0/14, 10.8.0.0/13, 10.16.0.0/12, 10.32.0.0/11, 10.64.0.0/10, 10.128.0.0/9`]);
    // Without a block from a run-time set there is nothing to keep, and the default outbound policy ignores such blocks.
    expect(computeEffective(target([lanAllow, exact], windows)).possiblyAllowed).toEqual({ in: [], out: [] });
    const outBlock = rule('out', 'tcp', '9011', internet, { ...windows, action: 'deny' });
    expect(computeEffective(target([outBlock], windows)).out.map((grant) => grant.ports.toString())).toEqual(['0-65535']);
  });

  it('GCP: deny wins ties at equal priority', () => {
    const allow = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'gcp-fw', priority: 1000 });
    const deny = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'gcp-fw', action: 'deny', priority: 1000 });
    expect(computeEffective(target([allow, deny], { platform: 'gcp-fw' })).in).toHaveLength(0);
  });

  it('does not let a disabled deny remove anything', () => {
    const allow = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'windows-fw' });
    const block = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'windows-fw', action: 'deny', enabled: false });
    expect(computeEffective(target([allow, block], { platform: 'windows-fw' })).in).toHaveLength(1);
  });

  it('splits an all-protocol allow around a TCP deny', () => {
    const allow = rule('in', '-1', 'all', '0.0.0.0/0', { platform: 'azure-nsg', priority: 200 });
    const deny = rule('in', 'tcp', '22', '0.0.0.0/0', { platform: 'azure-nsg', action: 'deny', priority: 100 });
    const text = computeEffective(target([allow, deny], { platform: 'azure-nsg' })).in.map((grant) => describeTraffic(grant.protocols, grant.ports));
    expect(text).toContain('tcp/0-21, 23-65535');
  });
});

/**
 * Exactness against brute force: random Windows and NACL rule lists over a small universe (protocols tcp/udp, ports
 * 0–15, addresses 10.0.0.0/28, three profiles); every point of the universe is allowed by the effective set exactly
 * when the platform's precedence says so, and the grants of one rule never overlap.
 */
describe('computeEffective against brute force', () => {
  const PROTOCOLS = ['tcp', 'udp'] as const;
  const PROFILE_NAMES = ['domain', 'private', 'public'] as const;
  const portRange = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`);
  const addressRange = fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })).map(([a, b]) => `10.0.0.${Math.min(a, b)}-10.0.0.${Math.max(a, b)}`);
  const ruleSpec = fc.record({
    action: fc.constantFrom('allow', 'deny'),
    protocol: fc.constantFrom('tcp', 'udp', '-1'),
    ports: portRange,
    addresses: addressRange,
    profiles: fc.subarray([...PROFILE_NAMES], { minLength: 1 }),
    priority: fc.integer({ min: 1, max: 5 }),
  });

  function build(platform: 'windows-fw' | 'aws-nacl', specs: Array<typeof ruleSpec extends fc.Arbitrary<infer T> ? T : never>): Rule[] {
    // NACL rule numbers are unique (AWS refuses duplicates): the index breaks ties.
    return specs.map((spec, index) => rule('in', spec.protocol, spec.protocol === '-1' ? 'all' : spec.ports, addressPeer(AddressSet.parseRange(spec.addresses), spec.addresses), {
      platform,
      action: spec.action as 'allow' | 'deny',
      priority: platform === 'aws-nacl' ? spec.priority * 10 + index : null,
      ...(platform === 'windows-fw' ? { profiles: [...spec.profiles] } : {}),
    }));
  }

  const ADDRESSES = [0, 3, 6, 9, 12, 15].map((last) => AddressSet.parseCidr(`10.0.0.${last}`));

  function covers(r: Rule, protocol: number, port: number, address: AddressSet, profile: string): boolean {
    const protocolMatches = r.protocol.kind === 'any' || (r.protocol.kind === 'number' && r.protocol.value === protocol);
    const addresses = (r.peer as { addresses: AddressSet }).addresses;
    const inProfile = !r.profiles || r.profiles.includes(profile);
    return protocolMatches && r.ports.has(port) && addresses.containsAll(address) && inProfile;
  }

  function allowedByPlatform(platform: 'windows-fw' | 'aws-nacl', rules: Rule[], protocol: number, port: number, address: AddressSet, profile: string): boolean {
    const matching = rules.filter((r) => covers(r, protocol, port, address, profile));
    if (platform === 'windows-fw') return matching.some((r) => r.action === 'allow') && !matching.some((r) => r.action === 'deny');
    // NACL: the lowest rule number that matches decides.
    const sorted = [...matching].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    return sorted[0]?.action === 'allow';
  }

  it.each(['windows-fw', 'aws-nacl'] as const)('%s: allows exactly what the precedence rules allow', (platform) => {
    fc.assert(
      fc.property(fc.array(ruleSpec, { minLength: 1, maxLength: 7 }), (specs) => {
        const rules = build(platform, specs);
        const effective = computeEffective(target(rules, { platform }));
        for (const protocol of PROTOCOLS.map((name) => (name === 'tcp' ? 6 : 17))) {
          for (let port = 0; port <= 15; port++) {
            for (const address of ADDRESSES) {
              for (const profile of platform === 'windows-fw' ? PROFILE_NAMES : (['domain'] as const)) {
                const bit = { domain: 1, private: 2, public: 4 }[profile];
                const grants = effective.in.filter((grant) =>
                  grant.protocols.has(BigInt(protocol)) && grant.ports.has(port) && grant.addresses!.containsAll(address) && (grant.profiles & bit) !== 0);
                expect(grants.length > 0).toBe(allowedByPlatform(platform, rules, protocol, port, address, profile));
                // One rule's pieces are disjoint.
                const rulesOfGrants = grants.map((grant) => grant.rule);
                expect(new Set(rulesOfGrants).size).toBe(rulesOfGrants.length);
              }
            }
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
