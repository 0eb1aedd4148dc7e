import { ALL_ICMP_MESSAGES, allowedShareOfIcmp, describeIcmp, icmpEntries, icmpMessagesOf, icmpReachableAddresses, icmpWitness } from '../../src/engine/icmp';
import { describeRuleTraffic, describeTraffic } from '../../src/engine/traffic';
import { AddressSet } from '../../src/model/address-set';
import { IntervalSet } from '../../src/model/interval-set';
import { PortSet } from '../../src/model/port-set';
import { ICMP, ICMPV6, TCP } from '../../src/model/protocol';
import type { Rule } from '../../src/model/rule';
import { computeEffective } from '../../src/engine/effective';
import { rule, target } from '../helpers/build-rule';

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

  it('names a set of all but a few messages by what it lacks, when that is shorter', () => {
    const echo = icmpMessagesOf({ type: 8, code: 'any' });
    expect(describeIcmp(4, ALL_ICMP_MESSAGES.subtract(echo))).toBe('icmp (all types except echo-request (type 8))');
    expect(describeIcmp(6, ALL_ICMP_MESSAGES.subtract(icmpMessagesOf({ type: 128, code: 'any' })))).toBe('icmpv6 (all types except echo-request (type 128))');
    expect(describeIcmp(4, ALL_ICMP_MESSAGES.subtract(icmpMessagesOf({ type: 3, code: 4 })))).toBe('icmp (all types except destination-unreachable (type 3, code 4))');
    // Two types listed are shorter than 254 types missing.
    expect(describeIcmp(4, echo.union(icmpMessagesOf({ type: 0, code: 'any' })))).toBe('icmp echo-reply (type 0), echo-request (type 8)');
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

// Regression: a deny of one ICMP type was not subtracted from an allow of all ICMP at all (the engine judged it only
// against allows of the same type), so FW101 named every type and gave an echo request as the witness.
describe('the allowed share of an all-ICMP flow (FW201)', () => {
  const echoRequest = icmpMessagesOf({ type: 8, code: 'any' });

  it('names what is allowed when that is the shorter list', () => {
    expect(allowedShareOfIcmp(4, ALL_ICMP_MESSAGES.subtract(echoRequest))).toBe('icmp echo-request (type 8)');
  });

  it('says nothing when nothing is allowed, or when the missing part is the shorter list (a deny of one type)', () => {
    expect(allowedShareOfIcmp(4, ALL_ICMP_MESSAGES)).toBeUndefined();
    expect(allowedShareOfIcmp(4, icmpMessagesOf({ type: 3, code: 'any' }))).toBeUndefined();
  });
});

describe('a deny of some ICMP types before an ICMP allow', () => {
  const nacl = (protocol: string, peer: string, priority: number, extra: Partial<Rule> = {}) => rule('in', protocol, 'all', peer, { platform: 'aws-nacl', priority, ...extra });
  const echoDeny = (peer: string) => nacl('icmp', peer, 100, { action: 'deny', icmp: { type: 8, code: 'any' } });
  const messages = (grant: { icmp?: IntervalSet }) => (grant.icmp === undefined ? 'all' : describeIcmp(4, grant.icmp));

  it('takes those messages out of the allow, exactly', () => {
    const effective = computeEffective(target([echoDeny('0.0.0.0/0'), nacl('icmp', '0.0.0.0/0', 200)], { platform: 'aws-nacl' }));
    expect(effective.in.map((grant) => `${grant.addresses!.toString()} ${messages(grant)}`)).toEqual(['0.0.0.0/0 icmp (all types except echo-request (type 8))']);
    expect(effective.shadowed).toEqual([]);
  });

  it('splits on the messages first: from part of the addresses, the other types stay one piece open to all of them', () => {
    const effective = computeEffective(target([echoDeny('0.0.0.0/1'), nacl('icmp', '0.0.0.0/0', 200)], { platform: 'aws-nacl' }));
    expect(effective.in.map((grant) => `${grant.addresses!.toString()} ${messages(grant)}`)).toEqual([
      '0.0.0.0/0 icmp (all types except echo-request (type 8))',
      '128.0.0.0/1 icmp echo-request (type 8)',
    ]);
  });

  it('shadows an allow whose every message it denies, and leaves other protocols and later denies alone', () => {
    const shadowed = computeEffective(target([echoDeny('0.0.0.0/0'), nacl('icmp', '10.0.0.0/8', 200, { icmp: { type: 8, code: 0 } })], { platform: 'aws-nacl' }));
    expect(shadowed.in).toEqual([]);
    expect(shadowed.shadowed.map((entry) => entry.by.length)).toEqual([1]);
    const tcp = computeEffective(target([echoDeny('0.0.0.0/0'), nacl('tcp', '0.0.0.0/0', 200)], { platform: 'aws-nacl' }));
    expect(tcp.in.map((grant) => [describeTraffic(grant.protocols, grant.ports, grant.icmp), grant.icmp])).toEqual([['tcp/all ports', undefined]]);
    const after = computeEffective(target([nacl('icmp', '0.0.0.0/0', 50), echoDeny('0.0.0.0/0')], { platform: 'aws-nacl' }));
    expect(after.in.map(messages)).toEqual(['all']);
  });

  // Regression: an allow of every protocol kept every ICMP type (the deny was judged against ICMP allows only).
  it('takes those messages out of the ICMP part of an allow of every protocol, and leaves its other protocols whole', () => {
    const allTraffic = computeEffective(target([echoDeny('0.0.0.0/0'), nacl('-1', '0.0.0.0/0', 200)], { platform: 'aws-nacl' }));
    expect(allTraffic.in.map((grant) => `${describeTraffic(grant.protocols, grant.ports, grant.icmp)} from ${grant.addresses!.toString()}`)).toEqual([
      'all protocols other than icmp from 0.0.0.0/0',
      'icmp (all types except echo-request (type 8)) from 0.0.0.0/0',
    ]);
    // From part of the addresses: echo requests stay open from the rest.
    const half = computeEffective(target([echoDeny('0.0.0.0/1'), nacl('-1', '0.0.0.0/0', 200)], { platform: 'aws-nacl' }));
    expect(half.in.map((grant) => `${describeTraffic(grant.protocols, grant.ports, grant.icmp)} from ${grant.addresses!.toString()}`)).toEqual([
      'all protocols other than icmp from 0.0.0.0/0',
      'icmp (all types except echo-request (type 8)) from 0.0.0.0/0',
      'icmp echo-request (type 8) from 128.0.0.0/1',
    ]);
  });

  it('takes them out of the Windows default outbound policy too', () => {
    const block = rule('out', 'icmp', 'all', 'Any', { platform: 'windows-fw', action: 'deny', icmp: { type: 8, code: 'any' } });
    const effective = computeEffective(target([block], { platform: 'windows-fw' }));
    const icmp = effective.out.filter((grant) => grant.isPlatformDefault && grant.protocols.has(1n) && grant.protocols.size() === 1n);
    expect(icmp.map((grant) => describeTraffic(grant.protocols, grant.ports, grant.icmp))).toEqual(['icmp (all types except echo-request (type 8))']);
  });
});

