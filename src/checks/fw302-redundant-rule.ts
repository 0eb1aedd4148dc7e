import { ALL_PROFILES, protocolSet } from '../engine/effective';
import { describeTraffic } from '../engine/traffic';
import { describePeer } from '../model/peer';
import type { Rule } from '../model/rule';
import { defineCheck, type FindingSpec } from './define-check';

/** Beyond this many allow rules per direction, only exact duplicates are looked for (pairwise containment is quadratic). */
const MAX_PAIRWISE_RULES = 2000;

export default defineCheck({
  id: 'FW302',
  name: 'redundant-rule',
  defaultSeverity: 'low',
  summary: 'An allow rule is fully contained in another allow rule of the same target',
  precision: 'high',
  tags: ['maintainability', 'network'],
  messages: {
    duplicate: '{target}: rule {rule} ({traffic} {preposition} {peer}) duplicates {other}',
    contained: '{target}: rule {rule} ({traffic} {preposition} {peer}) is fully contained in {other}',
  },
  defaultOptions: {},
  evaluate(target) {
    const findings: FindingSpec[] = [];
    for (const direction of ['in', 'out'] as const) {
      const rules = target.rules.filter((rule) => rule.enabled && rule.action === 'allow' && !rule.synthetic && rule.direction === direction && rule.peer.kind === 'addresses');
      const reported = new Set<Rule>();
      const firstByContent = new Map<string, Rule>();
      for (const rule of rules) {
        const key = `${rule.contentKey}|${(rule.profiles ?? []).join(',')}`;
        const first = firstByContent.get(key);
        if (first && first.resourceAddress !== rule.resourceAddress) {
          findings.push(spec(target.id, rule, first, 'duplicate'));
          reported.add(rule);
        } else if (!first) {
          firstByContent.set(key, rule);
        }
      }
      if (rules.length > MAX_PAIRWISE_RULES) continue;
      for (const rule of rules) {
        if (reported.has(rule)) continue;
        const container = rules.find((other) => other !== rule && other.resourceAddress !== rule.resourceAddress && !reported.has(other) && contains(other, rule) && !contains(rule, other));
        if (container) {
          findings.push(spec(target.id, rule, container, 'contained'));
          reported.add(rule);
        }
      }
    }
    return findings;
  },
});

function profileBits(rule: Rule): number {
  if (!rule.profiles || rule.profiles.length === 0) return ALL_PROFILES;
  return rule.profiles.reduce((bits, profile) => bits | ({ domain: 1, private: 2, public: 4 }[profile] ?? ALL_PROFILES), 0);
}

/** True when everything `inner` allows, `outer` allows too (protocols, ports, addresses, profiles). */
function contains(outer: Rule, inner: Rule): boolean {
  if (outer.peer.kind !== 'addresses' || inner.peer.kind !== 'addresses') return false;
  if ((profileBits(outer) & profileBits(inner)) !== profileBits(inner)) return false;
  if (inner.icmp && outer.icmp && (outer.icmp.type !== 'any' && outer.icmp.type !== inner.icmp.type)) return false;
  if (inner.portKeywords?.length || outer.portKeywords?.length) return false;
  return protocolSet(outer.protocol).containsAll(protocolSet(inner.protocol)) && outer.ports.containsAll(inner.ports) && outer.peer.addresses.containsAll(inner.peer.addresses);
}

function spec(targetId: string, rule: Rule, other: Rule, messageId: 'duplicate' | 'contained'): FindingSpec {
  return {
    messageId,
    rule,
    location: rule.peerLocation ?? rule.location,
    data: {
      target: targetId,
      rule: rule.resourceAddress,
      traffic: describeTraffic(protocolSet(rule.protocol), rule.ports),
      preposition: rule.direction === 'in' ? 'from' : 'to',
      peer: describePeer(rule.peer),
      other: other.resourceAddress,
    },
    key: other.contentKey,
    properties: { containedIn: other.resourceAddress },
  };
}
