import { cidrText } from '../engine/set-facts';
import { PRIVATE_ADDRESSES, unionOf } from '../model/address-set';
import { describePeer } from '../model/peer';
import { hasPorts, protocolName } from '../model/protocol';
import { constructKey, type Rule } from '../model/rule';
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
    // One finding per written rule: the items of a netsh RemoteIP list are reported together.
    const groups = new Map<string, Rule[]>();
    for (const rule of target.rules) {
      if (!rule.enabled || rule.action === 'deny' || !hasPorts(rule.protocol)) continue;
      // Every port of a protocol is FW102's finding; this check is about wide but partial ranges.
      if (rule.ports.isAll() || rule.ports.size() <= ctx.options.maxPorts) continue;
      if (rule.peer.kind !== 'addresses' || PRIVATE_ADDRESSES.containsAll(rule.peer.addresses)) continue;
      // Per protocol too: an Azure `*` rule with ports is a TCP rule and a UDP rule at one place.
      const key = `${constructKey(rule)}\u0000${protocolName(rule.protocol)}`;
      const group = groups.get(key);
      if (group) group.push(rule);
      else groups.set(key, [rule]);
    }
    const findings: FindingSpec[] = [];
    for (const rules of groups.values()) {
      const rule = rules[0]!;
      const addresses = unionOf(rules.flatMap((each) => (each.peer.kind === 'addresses' ? [each.peer.addresses] : [])));
      const spec: FindingSpec = {
        messageId: 'widePortRange',
        rule,
        data: {
          target: target.id,
          count: rule.ports.size(),
          protocol: protocolName(rule.protocol),
          ports: rule.ports.toString(),
          direction: rule.direction === 'in' ? 'from' : 'to',
          peer: rules.map((each) => describePeer(each.peer)).join(', '),
          maxPorts: ctx.options.maxPorts,
        },
        properties: { protocol: protocolName(rule.protocol), ports: rule.ports.toString(), portCount: rule.ports.size(), peer: cidrText(addresses) },
      };
      if (rules.length > 1) spec.rules = rules;
      findings.push(spec);
    }
    return findings;
  },
});
