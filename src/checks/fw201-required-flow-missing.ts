import { icmpProperty } from '../engine/icmp';
import { describeBox, mappedGroupRole, onProfiles, type ProfileAssignment } from '../engine/profile-diff';
import { profileNames } from '../engine/effective';
import { describePeer } from '../model/peer';
import type { Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW201',
  name: 'required-flow-missing',
  defaultSeverity: 'high',
  summary: 'A flow that the target\'s vendor role requires is not allowed (or is blocked)',
  precision: 'high',
  tags: ['reliability', 'vendor-profile', 'network'],
  messages: {
    missing: '{target} ({profile}): {missing} ({purpose}) is not allowed{where}{blocked}',
    unconfirmed: '{target} ({profile}): {missing} ({purpose}) cannot be confirmed{where}: {rules} may carry it, but {unknowns} cannot be resolved statically',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    return diff.missing.map((missing): FindingSpec => {
      const { flow } = missing;
      const text = missing.missing.map((box) => describeBox(box, flow.direction, flow.peer)).join('; ');
      const blocked = missing.blockedBy.length > 0 ? `; blocked by ${missing.blockedBy.map((rule) => rule.resourceAddress).join(', ')}` : '';
      const where = onProfiles(missing.profiles);
      const unconfirmed = missing.unconfirmed.length > 0;
      const spec: FindingSpec = {
        messageId: unconfirmed ? 'unconfirmed' : 'missing',
        location: target.location,
        data: {
          target: target.id,
          profile: diff.assignment.ref,
          missing: text,
          purpose: flow.purpose,
          blocked,
          where,
          rules: [...new Set(missing.unconfirmed.map((rule) => rule.resourceAddress))].join(', '),
          unknowns: [...new Set(missing.unconfirmed.map((rule) => unknownPart(rule, diff.assignment)))].join(', '),
        },
        // The rules that block the flow (SARIF relatedLocations), so a reader can jump to them.
        related: missing.blockedBy.map((rule) => rule.location),
        key: missing.profiles === undefined ? flow.id : `${flow.id}@${profileNames(missing.profiles).join(',')}`,
        properties: {
          profile: diff.assignment.ref,
          flow: { id: flow.id, direction: flow.direction, protocol: flow.protocol, ports: flow.ports.toString(), peer: flow.peer, purpose: flow.purpose, phase: flow.phase ?? null },
          missing: missing.missing.map((box) => ({
            traffic: describeBox(box, flow.direction, flow.peer),
            ports: box.ports.toString(),
            addresses: box.addresses ? box.addresses.toString() : 'any',
            // Some ICMP types only (the others are allowed): which, as FW101 lists them.
            ...icmpProperty(box),
          })),
          witness: missing.witness,
          blockedBy: missing.blockedBy.map((rule) => rule.resourceAddress),
          // Windows: the profiles on which this part is missing (all of them when absent).
          ...(missing.profiles !== undefined ? { firewallProfiles: profileNames(missing.profiles) } : {}),
          ...(unconfirmed ? { unconfirmedBy: missing.unconfirmed.map((rule) => rule.resourceAddress) } : {}),
        },
      };
      // The contract's rule on unresolved values: what cannot be known is a note, never a high "is not allowed".
      if (unconfirmed) spec.severity = 'note';
      return spec;
    });
  },
});

/**
 * What keeps a rule from confirming a flow: its unresolved peer, or its unresolved ports. A group mapped to a role
 * whose peer is not bound is named with its role: the mapping says what the group is, not which addresses it holds.
 * The group itself (`self`) likewise: its members are instances of the target's role, at addresses not known.
 */
function unknownPart(rule: Rule, assignment: ProfileAssignment): string {
  if (rule.peer.kind === 'unknown') return rule.peer.expr;
  if (rule.peer.kind === 'self') return `the members of the group itself (mapped to ${assignment.ref})`;
  const role = mappedGroupRole(assignment, rule.peer);
  if (role !== undefined) return `the members of ${describePeer(rule.peer)} (mapped to ${role})`;
  if (rule.peer.kind !== 'addresses') return describePeer(rule.peer);
  return `the ports of ${rule.resourceAddress}`;
}
