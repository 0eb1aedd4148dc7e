/**
 * Issue #11, profile-diff invariants as properties (test/engine/profile-diff.test.ts has them as single examples):
 * adding an allow rule never adds a missing flow (FW201); removing a rule never adds excess (FW202). Allow-only
 * security groups, where neither order nor priority can make one rule hide another.
 */
import fc from 'fast-check';
import { computeEffective } from '../../src/engine/effective';
import { computeProfileDiff, type ProfileAssignment, type ProfileDiff, type ProfileFlow } from '../../src/engine/profile-diff';
import { AddressSet } from '../../src/model/address-set';
import { PortSet } from '../../src/model/port-set';
import type { Rule } from '../../src/model/rule';
import { rule, target } from '../helpers/build-rule';

const PEERS = ['0.0.0.0/0', '10.0.0.0/8', '10.20.0.0/24', '10.20.0.5', '192.0.2.0/24', '::/0', '2001:db8::/32'];

interface RuleSpec {
  direction: 'in' | 'out';
  protocol: 'tcp' | 'udp' | '-1';
  from: number;
  span: number;
  peer: string;
}

const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  direction: fc.constantFrom('in' as const, 'out' as const),
  protocol: fc.constantFrom('tcp' as const, 'udp' as const, '-1' as const),
  from: fc.constantFrom(22, 80, 135, 443, 445, 1000, 7072, 9000),
  span: fc.constantFrom(0, 0, 1, 10, 1000),
  peer: fc.constantFrom(...PEERS),
});

function build(spec: RuleSpec): Rule {
  const ports = spec.protocol === '-1' ? 'all' : `${spec.from}-${Math.min(65535, spec.from + spec.span)}`;
  return rule(spec.direction, spec.protocol, ports, spec.peer);
}

function flow(direction: 'in' | 'out', protocol: ProfileFlow['protocol'], ports: string, peer: string, extra: Partial<ProfileFlow> = {}): ProfileFlow {
  return { id: `${direction}/${protocol}/${ports}/${peer}`, direction, protocol, ports: PortSet.parse(ports), peer, purpose: `purpose ${ports}`, alternatives: [], ...extra };
}

const FLOWS = [
  flow('in', 'tcp', '22', 'admin'),
  flow('in', 'tcp', '135, 445', 'installer', { phase: 'install' }),
  flow('in', 'tcp', '7072', 'sdc'),
  flow('in', 'udp', '1000-1010', 'clients'),
  flow('out', 'tcp', '443', 'api', { alternatives: [{ protocol: 'tcp', ports: PortSet.parse('80') }] }),
];

const assignment: fc.Arbitrary<ProfileAssignment> = fc
  .record({ bindAdmin: fc.boolean(), bindClients: fc.boolean(), flows: fc.subarray(FLOWS, { minLength: 1 }) })
  .map(({ bindAdmin, bindClients, flows }) => {
    const peers: Record<string, AddressSet> = {};
    if (bindAdmin) peers.admin = AddressSet.parseList('10.20.0.0/24');
    if (bindClients) peers.clients = AddressSet.parseList('10.0.0.0/8');
    return { ref: 'pack/role', title: 'Role', required: flows, permitted: FLOWS, basic: [], peers };
  });

function diff(rules: Rule[], profile: ProfileAssignment): ProfileDiff {
  const t = target(rules);
  return computeProfileDiff(t, computeEffective(t), profile);
}

const missingIds = (result: ProfileDiff): string[] => result.missing.map((entry) => entry.flow.id).sort();
const excessRules = (result: ProfileDiff): string[] => result.excess.map((entry) => entry.rule.id).sort();
/** Ports still missing per flow, as text: adding a rule may shrink them, never grow them. */
const missingPorts = (result: ProfileDiff): Map<string, PortSet> =>
  new Map(result.missing.map((entry) => [entry.flow.id, entry.missing.reduce((ports, box) => ports.union(box.ports), PortSet.EMPTY)]));

describe('profile diff invariants (properties)', () => {
  it('adding an allow rule never adds a missing flow (FW201), nor a missing port of one', () => {
    fc.assert(
      fc.property(fc.array(ruleSpec, { maxLength: 6 }), ruleSpec, assignment, (specs, extra, profile) => {
        const rules = specs.map(build);
        const before = diff(rules, profile);
        const after = diff([...rules, build(extra)], profile);
        const beforeIds = new Set(missingIds(before));
        for (const id of missingIds(after)) expect(beforeIds.has(id)).toBe(true);
        const beforePorts = missingPorts(before);
        for (const [id, ports] of missingPorts(after)) expect(beforePorts.get(id)!.containsAll(ports)).toBe(true);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('removing a rule never adds excess (FW202): no rule gains an excess it did not have', () => {
    fc.assert(
      fc.property(fc.array(ruleSpec, { minLength: 1, maxLength: 6 }), fc.nat(), assignment, (specs, pick, profile) => {
        const rules = specs.map(build);
        const removed = rules[pick % rules.length]!;
        const before = diff(rules, profile);
        const after = diff(rules.filter((candidate) => candidate !== removed), profile);
        const beforeRules = new Set(excessRules(before));
        for (const id of excessRules(after)) expect(beforeRules.has(id)).toBe(true);
        expect(after.excess.length).toBeLessThanOrEqual(before.excess.length);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
