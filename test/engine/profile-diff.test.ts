import { computeEffective } from '../../src/engine/effective';
import { computeProfileDiff, type ProfileAssignment, type ProfileFlow } from '../../src/engine/profile-diff';
import { AddressSet } from '../../src/model/address-set';
import { PortSet } from '../../src/model/port-set';
import { rule, target } from '../helpers/build-rule';

function flow(direction: 'in' | 'out', protocol: ProfileFlow['protocol'], ports: string, peer: string, extra: Partial<ProfileFlow> = {}): ProfileFlow {
  return { id: `${direction}/${protocol}/${ports}/${peer}`, direction, protocol, ports: ports === 'all' ? PortSet.ALL : PortSet.parse(ports), peer, purpose: `purpose ${ports}`, alternatives: [], ...extra };
}

function assignment(flows: ProfileFlow[], extra: Partial<ProfileAssignment> = {}): ProfileAssignment {
  return { ref: 'pack/role', title: 'Role', required: flows, permitted: flows, basic: [], peers: {}, ...extra };
}

function diff(rules: ReturnType<typeof rule>[], profile: ProfileAssignment) {
  const t = target(rules);
  return computeProfileDiff(t, computeEffective(t), profile);
}

describe('computeProfileDiff', () => {
  const sds = [flow('in', 'tcp', '7072', 'sdc'), flow('in', 'tcp', '135, 445', 'installer', { phase: 'install' })];

  it('reports nothing when every required flow is allowed and nothing more', () => {
    const result = diff([rule('in', 'tcp', '7072', '10.0.0.0/8'), rule('in', 'tcp', '135,445', '10.0.0.5')], assignment(sds));
    expect(result.missing).toEqual([]);
    expect(result.excess).toEqual([]);
  });

  it('reports exactly the missing part of a partly covered flow', () => {
    const result = diff([rule('in', 'tcp', '7072', '10.0.0.0/8'), rule('in', 'tcp', '135', '10.0.0.5')], assignment(sds));
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]!.missing.map((box) => box.ports.toString())).toEqual(['445']);
    expect(result.missing[0]!.witness).toBe('tcp/445 from 203.0.113.7');
  });

  it('requires a bound peer\'s addresses to be fully covered', () => {
    const profile = assignment([flow('in', 'udp', '2049', 'clients')], { peers: { clients: AddressSet.parseList('10.20.0.0/24') } });
    const result = diff([rule('in', 'udp', '2049', '10.20.0.0/25')], profile);
    expect(result.missing[0]!.missing[0]!.addresses!.toString()).toBe('10.20.0.128/25');
  });

  it('satisfies an unbound peer with any source at all', () => {
    const result = diff([rule('in', 'tcp', '7072', '192.0.2.0/24'), rule('in', 'tcp', '135,445', '192.0.2.1')], assignment(sds));
    expect(result.missing).toEqual([]);
  });

  it('accepts an alternative (HTTP instead of HTTPS)', () => {
    const profile = assignment([flow('out', 'tcp', '443', 'hypervisor', { alternatives: [{ protocol: 'tcp', ports: PortSet.parse('80') }] })]);
    expect(diff([rule('out', 'tcp', '80', '10.0.0.0/8')], profile).missing).toEqual([]);
  });

  it('reports all-traffic outbound as excess over the advanced set, with the flows to use instead', () => {
    const flows = [flow('out', 'tcp', '443', 'aws-api'), flow('out', 'tcp', '3128', 'proxy')];
    const profile = assignment(flows, { basic: [flow('out', 'all', 'all', 'any')] });
    const result = diff([rule('out', '-1', 'all', '0.0.0.0/0')], profile);
    expect(result.excess).toHaveLength(1);
    expect(result.excess[0]!.isVendorBasicRule).toBe(true);
    expect(result.excess[0]!.replacementFlows.map((f) => f.ports.toString())).toEqual(['443', '3128']);
  });

  it('never counts a conditional flow as excess', () => {
    const conditional = flow('in', 'tcp', '80', 'ha-mediator', { condition: 'ha' });
    const profile = assignment([flow('in', 'tcp', '22', 'admin')], { permitted: [flow('in', 'tcp', '22', 'admin'), conditional] });
    expect(diff([rule('in', 'tcp', '22,80', '10.0.0.0/8')], profile).excess).toEqual([]);
  });

  it('flags install-only ports left open in the operate phase', () => {
    const operate = assignment(sds.filter((f) => f.phase !== 'install'), { phase: 'operate', permitted: sds });
    const result = diff([rule('in', 'tcp', '7072', '10.0.0.0/8'), rule('in', 'tcp', '135,445', '10.0.0.5')], operate);
    expect(result.installOnlyOpen).toHaveLength(1);
    expect(result.installOnlyOpen[0]!.open.ports.toString()).toBe('135, 445');
  });

  it('adding an allow rule never adds a missing flow; removing one never adds excess', () => {
    const rules = [rule('in', 'tcp', '7072', '10.0.0.0/8'), rule('in', 'tcp', '22', '0.0.0.0/0')];
    const before = diff(rules, assignment(sds));
    const more = diff([...rules, rule('in', 'tcp', '1-1000', '0.0.0.0/0')], assignment(sds));
    expect(more.missing.length).toBeLessThanOrEqual(before.missing.length);
    const fewer = diff(rules.slice(0, 1), assignment(sds));
    expect(fewer.excess.length).toBeLessThanOrEqual(before.excess.length);
  });
});
