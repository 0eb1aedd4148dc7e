import { ALL_ICMP_MESSAGES, describeIcmp, icmpEntries, icmpMessagesOf, icmpReachableAddresses, icmpWitness } from '../../src/engine/icmp';
import { describeRuleTraffic, describeTraffic } from '../../src/engine/traffic';
import { AddressSet } from '../../src/model/address-set';
import { IntervalSet } from '../../src/model/interval-set';
import { PortSet } from '../../src/model/port-set';
import { ICMP, ICMPV6, TCP } from '../../src/model/protocol';

// Regression (ICMP accuracy): findings named ICMP rules just "icmp", and named ::/0 as the peer of ICMPv4 rules.
describe('ICMP messages', () => {
  it('reads a rule\'s type and code as a message set (type × 256 + code)', () => {
    expect(icmpMessagesOf(undefined)).toBe(ALL_ICMP_MESSAGES);
    expect(icmpMessagesOf({ type: 'any', code: 3 })).toBe(ALL_ICMP_MESSAGES);
    expect(icmpMessagesOf({ type: 8, code: 'any' }).equals(IntervalSet.range(2048n, 2303n))).toBe(true);
    expect(icmpMessagesOf({ type: 3, code: 4 }).equals(IntervalSet.range(772n, 772n))).toBe(true);
  });

  it('describes types by name and number, codes where not all', () => {
    expect(describeIcmp(4, ALL_ICMP_MESSAGES)).toBe('icmp (all types)');
    expect(describeIcmp(6, ALL_ICMP_MESSAGES)).toBe('icmpv6 (all types)');
    expect(describeIcmp(4, icmpMessagesOf({ type: 8, code: 'any' }))).toBe('icmp echo-request (type 8)');
    expect(describeIcmp(6, icmpMessagesOf({ type: 128, code: 'any' }))).toBe('icmpv6 echo-request (type 128)');
    const several = icmpMessagesOf({ type: 3, code: 4 }).union(icmpMessagesOf({ type: 3, code: 1 })).union(icmpMessagesOf({ type: 0, code: 'any' })).union(icmpMessagesOf({ type: 42, code: 'any' }));
    expect(describeIcmp(4, several)).toBe('icmp echo-reply (type 0), destination-unreachable (type 3, codes 1, 4), type 42');
    expect(icmpEntries(4, several)).toEqual([
      { protocol: 'icmp', type: 0, code: 'any', name: 'echo-reply' },
      { protocol: 'icmp', type: 3, code: 1, name: 'destination-unreachable' },
      { protocol: 'icmp', type: 3, code: 4, name: 'destination-unreachable' },
      { protocol: 'icmp', type: 42, code: 'any' },
    ]);
  });

  it('names the types in traffic descriptions of exactly ICMPv4 or ICMPv6 only', () => {
    const echo = icmpMessagesOf({ type: 8, code: 'any' });
    expect(describeTraffic(IntervalSet.range(1n, 1n), PortSet.ALL)).toBe('icmp');
    expect(describeTraffic(IntervalSet.range(1n, 1n), PortSet.ALL, echo)).toBe('icmp echo-request (type 8)');
    expect(describeTraffic(IntervalSet.range(0n, 255n), PortSet.ALL, echo)).toBe('all traffic');
    expect(describeRuleTraffic({ protocol: ICMP, ports: PortSet.ALL, icmp: { type: 8, code: 'any' } })).toBe('icmp echo-request (type 8)');
    expect(describeRuleTraffic({ protocol: ICMPV6, ports: PortSet.ALL, icmp: { type: 'any', code: 'any' } })).toBe('icmpv6 (all types)');
    expect(describeRuleTraffic({ protocol: TCP, ports: PortSet.parse('22') })).toBe('tcp/22');
  });

  it('keeps only the address family an ICMP version reaches', () => {
    const both = AddressSet.ALL;
    expect(icmpReachableAddresses(IntervalSet.range(1n, 1n), both).toString()).toBe('0.0.0.0/0');
    expect(icmpReachableAddresses(IntervalSet.range(58n, 58n), both).toString()).toBe('::/0');
    expect(icmpReachableAddresses(IntervalSet.range(1n, 1n), AddressSet.parseList('::/0')).isEmpty()).toBe(true);
    expect(icmpReachableAddresses(IntervalSet.range(0n, 255n), both)).toBe(both);
  });

  it('prefers an echo request as the witness message', () => {
    expect(icmpWitness(4, ALL_ICMP_MESSAGES)).toEqual({ type: 8, code: 0 });
    expect(icmpWitness(6, ALL_ICMP_MESSAGES)).toEqual({ type: 128, code: 0 });
    expect(icmpWitness(4, icmpMessagesOf({ type: 3, code: 4 }))).toEqual({ type: 3, code: 4 });
  });
});
