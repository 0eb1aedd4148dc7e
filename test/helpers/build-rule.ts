import { AddressSet } from '../../src/model/address-set';
import { addressPeer, anyPeer, type Peer } from '../../src/model/peer';
import { PortSet } from '../../src/model/port-set';
import { parseProtocol } from '../../src/model/protocol';
import type { Platform, Rule } from '../../src/model/rule';
import type { Target } from '../../src/model/target';

let counter = 0;

/** A rule for engine tests: `rule('in', 'tcp', '22', '0.0.0.0/0')`. */
export function rule(
  direction: 'in' | 'out',
  protocol: string,
  ports: string,
  peer: string | Peer,
  extra: Partial<Rule> = {},
): Rule {
  counter++;
  const parsedProtocol = parseProtocol(protocol)!;
  const peerValue: Peer = typeof peer !== 'string' ? peer : peer === 'Any' ? anyPeer('Any') : addressPeer(AddressSet.parseList(peer), peer);
  const base = {
    id: `r${counter}`,
    kind: 'terraform-hcl' as const,
    location: { file: 'test.tf', range: { startLine: counter, startColumn: 1, endLine: counter, endColumn: 10 } },
    platform: 'aws-sg' as Platform,
    resourceAddress: `rule${counter}`,
    direction,
    action: 'allow' as const,
    protocol: parsedProtocol,
    ports: ports === 'all' ? PortSet.ALL : PortSet.parse(ports),
    peer: peerValue,
    priority: null,
    enabled: true,
    unknowns: [],
    ...extra,
  };
  return base as Rule;
}

export function target(rules: Rule[], extra: Partial<Target> = {}): Target {
  return {
    id: 'aws_security_group.test',
    kind: 'terraform-hcl',
    platform: rules[0]?.platform ?? 'aws-sg',
    resourceType: 'aws_security_group',
    location: { file: 'test.tf', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 9 } },
    rules,
    ...extra,
  };
}
