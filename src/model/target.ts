import type { SourceKind, SourceLocation } from './location';
import type { Platform, Rule, UnknownValue } from './rule';

/** A profile mapping written in the source: `fwlint:profile pack/role phase=operate options=ha` or a tag. */
export interface ProfileBinding {
  ref: string;
  phase?: 'install' | 'operate';
  options: string[];
  location: SourceLocation;
  /**
   * Written in a comment: an error in it (an unknown option included) maps nothing, while a tag with a problem still
   * maps what it can (README "Mapping targets to roles").
   */
  isStrict?: boolean;
}

/** One firewall: a security group, NACL, NSG, GCP network firewall set, or a Windows host. */
export interface Target {
  /** Contract ids: Terraform address, CloudFormation logical id, netsh host name, CDK construct path. */
  id: string;
  kind: SourceKind;
  platform: Platform;
  /** Resource type as written (`aws_security_group`, `AWS::EC2::SecurityGroup`, `netsh-export`). */
  resourceType: string;
  location: SourceLocation;
  rules: Rule[];
  profile?: ProfileBinding;
  /** Values that kept whole rules from being known (a `dynamic` block over an unresolved collection, say): FW303. */
  unknowns?: UnknownValue[];
  /** GCP target tags / service accounts the rules apply to; empty = the whole network. */
  scope?: string[];
  /**
   * Rules among `rules` that belong to other targets but apply to this one's instances too (GCP: the firewall rules
   * of the same network that cover this firewall's target tags). They take part in this target's evaluation; findings
   * about them are reported in their own target only.
   */
  sharedRules?: Rule[];
}
