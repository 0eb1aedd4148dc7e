import { PortSet } from '../../model/port-set';
import { anyPeer } from '../../model/peer';
import { ANY_PROTOCOL } from '../../model/protocol';

/**
 * The egress AWS adds to a security group created without egress rules (CloudFormation, CDK L1), as the fields of
 * one rule: all traffic to both families. AWS stores an IPv4 and an IPv6 permission, but nobody wrote either and one
 * egress rule removes both: one cause, one finding per check ("egress to 0.0.0.0/0, ::/0 on all traffic").
 */
export function awsDefaultEgress() {
  return {
    direction: 'out' as const,
    action: 'allow' as const,
    protocol: ANY_PROTOCOL,
    ports: PortSet.ALL,
    peer: anyPeer('0.0.0.0/0, ::/0'),
    priority: null,
    description: 'default egress AWS adds to a group without SecurityGroupEgress',
    unknowns: [],
    synthetic: true as const,
  };
}
