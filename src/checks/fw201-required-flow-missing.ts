import { describeBox } from '../engine/profile-diff';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck({
  id: 'FW201',
  name: 'required-flow-missing',
  defaultSeverity: 'high',
  summary: 'A flow that the target\'s vendor role requires is not allowed (or is blocked)',
  precision: 'high',
  tags: ['reliability', 'vendor-profile', 'network'],
  messages: {
    missing: '{target} ({profile}): {missing} ({purpose}) is not allowed{blocked}',
  },
  defaultOptions: {},
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    return diff.missing.map((missing): FindingSpec => {
      const { flow } = missing;
      const text = missing.missing.map((box) => describeBox(box, flow.direction, flow.peer)).join('; ');
      const blocked = missing.blockedBy.length > 0 ? `; blocked by ${missing.blockedBy.map((rule) => rule.resourceAddress).join(', ')}` : '';
      return {
        messageId: 'missing',
        location: target.location,
        data: { target: target.id, profile: diff.assignment.ref, missing: text, purpose: flow.purpose, blocked },
        key: flow.id,
        // The rules that block the flow (SARIF relatedLocations), so a reader can jump to them.
        related: missing.blockedBy.map((rule) => rule.location),
        properties: {
          profile: diff.assignment.ref,
          flow: { id: flow.id, direction: flow.direction, protocol: flow.protocol, ports: flow.ports.toString(), peer: flow.peer, purpose: flow.purpose, phase: flow.phase ?? null },
          missing: missing.missing.map((box) => ({
            traffic: describeBox(box, flow.direction, flow.peer),
            ports: box.ports.toString(),
            addresses: box.addresses ? box.addresses.toString() : 'any',
          })),
          witness: missing.witness,
          blockedBy: missing.blockedBy.map((rule) => rule.resourceAddress),
        },
      };
    });
  },
});
