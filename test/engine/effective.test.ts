import { computeEffective } from '../../src/engine/effective';
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
