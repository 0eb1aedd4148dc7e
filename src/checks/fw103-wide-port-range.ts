import { cidrText } from '../engine/set-facts';
import { PRIVATE_ADDRESSES } from '../model/address-set';
import { describePeer } from '../model/peer';
import { hasPorts, protocolName } from '../model/protocol';
import { defineCheck, type FindingSpec } from './define-check';

export default defineCheck<{ maxPorts: number }>({
  id: 'FW103',
  name: 'wide-port-range',
  defaultSeverity: 'medium',
  summary: 'More than maxPorts ports (default 1024) open to a peer outside private address space',
  precision: 'high',
  tags: ['security', 'network', 'least-privilege'],
  messages: {
    widePortRange: '{target} opens {count} {protocol} ports ({ports}) {direction} {peer}, more than {maxPorts}',
  },
  defaultOptions: { maxPorts: 1024 },
  optionsSchema: {
    type: 'object',
    properties: { maxPorts: { type: 'integer', minimum: 1, maximum: 65535 } },
    additionalProperties: false,
  },
  evaluate(target, ctx) {
    const findings: FindingSpec[] = [];
    for (const rule of target.rules) {
      if (!rule.enabled || rule.action === 'deny' || !hasPorts(rule.protocol)) continue;
      // Every port of a protocol is FW102's finding; this check is about wide but partial ranges.
      if (rule.ports.isAll() || rule.ports.size() <= ctx.options.maxPorts) continue;
      if (rule.peer.kind !== 'addresses' || PRIVATE_ADDRESSES.containsAll(rule.peer.addresses)) continue;
      findings.push({
        messageId: 'widePortRange',
        rule,
        data: {
          target: target.id,
          count: rule.ports.size(),
          protocol: protocolName(rule.protocol),
          ports: rule.ports.toString(),
          direction: rule.direction === 'in' ? 'from' : 'to',
          peer: describePeer(rule.peer),
          maxPorts: ctx.options.maxPorts,
        },
        properties: { protocol: protocolName(rule.protocol), ports: rule.ports.toString(), portCount: rule.ports.size(), peer: cidrText(rule.peer.addresses) },
      });
    }
    return findings;
  },
});
