import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { Direction, UnknownValue } from '../../model/rule';
import type { ProfileBinding } from '../../model/target';
import { constructId, groupValue, headLocation, ruleResourceValue } from './aws-cdk';
import { profileFromTag } from './profile-tag';
import type { Arg } from './reader';
import {
  TF_INLINE, TF_RULE, TF_VPC_RULE, asPlainValue, property, readRuleItem, readTerraformAclEntry, referencedGroup, unknownOf,
  type ModelContext, type RuleSite, type RuleVocabulary,
} from './rule-items';
import type { Group } from './target-book';
import type { Node, Value } from './values';

type ResourceKind = 'group' | 'rule' | 'vpc-ingress' | 'vpc-egress' | 'acl' | 'acl-rule';

/**
 * Pulumi's AWS provider (`@pulumi/aws`) and CDK for Terraform's (`@cdktf/provider-aws`) generate their classes from
 * the Terraform provider: same resources, same semantics (formats.md §1.1–1.3), arguments in camelCase.
 */
const PULUMI: Record<string, { kind: ResourceKind; type: string }> = {
  'pulumi-aws.ec2.SecurityGroup': { kind: 'group', type: 'aws:ec2/securityGroup:SecurityGroup' },
  'pulumi-aws.ec2.SecurityGroupRule': { kind: 'rule', type: 'aws:ec2/securityGroupRule:SecurityGroupRule' },
  'pulumi-aws.vpc.SecurityGroupIngressRule': { kind: 'vpc-ingress', type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule' },
  'pulumi-aws.vpc.SecurityGroupEgressRule': { kind: 'vpc-egress', type: 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule' },
  'pulumi-aws.ec2.DefaultSecurityGroup': { kind: 'group', type: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup' },
  'pulumi-aws.ec2.NetworkAcl': { kind: 'acl', type: 'aws:ec2/networkAcl:NetworkAcl' },
  'pulumi-aws.ec2.DefaultNetworkAcl': { kind: 'acl', type: 'aws:ec2/defaultNetworkAcl:DefaultNetworkAcl' },
  'pulumi-aws.ec2.NetworkAclRule': { kind: 'acl-rule', type: 'aws:ec2/networkAclRule:NetworkAclRule' },
};
const CDKTF: Record<string, { kind: ResourceKind; type: string }> = {
  SecurityGroup: { kind: 'group', type: 'aws_security_group' },
  SecurityGroupRule: { kind: 'rule', type: 'aws_security_group_rule' },
  VpcSecurityGroupIngressRule: { kind: 'vpc-ingress', type: 'aws_vpc_security_group_ingress_rule' },
  VpcSecurityGroupEgressRule: { kind: 'vpc-egress', type: 'aws_vpc_security_group_egress_rule' },
  DefaultSecurityGroup: { kind: 'group', type: 'aws_default_security_group' },
  NetworkAcl: { kind: 'acl', type: 'aws_network_acl' },
  DefaultNetworkAcl: { kind: 'acl', type: 'aws_default_network_acl' },
  NetworkAclRule: { kind: 'acl-rule', type: 'aws_network_acl_rule' },
};

/**
 * `new aws.ec2.SecurityGroup(name, args)` (Pulumi: the target id is the resource name) and
 * `new SecurityGroup(this, id, config)` (CDKTF: the construct path). Terraform semantics: no implicit egress.
 */
export function terraformShapedConstruct(context: ModelContext, symbol: string, args: Arg[], node: TSESTree.NewExpression): Value | undefined {
  const isPulumi = symbol.startsWith('pulumi-aws.');
  const className = symbol.slice(symbol.lastIndexOf('.') + 1);
  // Own keys only: `constructor` must not find Object.prototype's.
  const resource = isPulumi ? (Object.hasOwn(PULUMI, symbol) ? PULUMI[symbol] : undefined)
    : symbol.startsWith('cdktf-aws.') && Object.hasOwn(CDKTF, className) ? CDKTF[className] : undefined;
  if (!resource) return undefined;
  const named = isPulumi ? resourceName(context, args, node) : constructId(context, args, node);
  const location = isPulumi ? headLocation(context, node, 0) : headLocation(context, node);
  const props = args[isPulumi ? 1 : 2] ? asPlainValue(context, args[isPulumi ? 1 : 2]!.value) : undefined;
  if (resource.kind === 'group') {
    const group = context.book.createGroup({
      id: named.id, resourceType: resource.type, platform: 'aws-sg', location, style: 'terraform', listed: true, unknowns: named.unknowns,
    }, named.idNode);
    readInlineRules(context, group, props);
    const profile = props ? profileFromTags(context, props) : undefined;
    if (profile) group.target.profile = profile;
    return groupValue(group, node, isPulumi ? undefined : named.id);
  }
  if (resource.kind === 'acl') {
    const acl = context.book.createGroup({
      id: named.id, resourceType: resource.type, platform: 'aws-nacl', location, style: 'acl', listed: true, unknowns: named.unknowns,
    }, named.idNode);
    readInlineRules(context, acl, props, true);
    return groupValue(acl, node, isPulumi ? undefined : named.id);
  }
  if (resource.kind === 'acl-rule') {
    // Joined to the NetworkAcl its networkAclId references; otherwise its own target.
    const writtenAcl = props ? property(context, props, 'networkAclId') : undefined;
    const aclRef = writtenAcl ? asPlainValue(context, writtenAcl) : undefined;
    const referenced = aclRef ? referencedGroup(aclRef) : undefined;
    const joinedAcl = referenced?.style === 'acl' ? referenced : undefined;
    const acl = joinedAcl ?? context.book.createGroup({
      id: named.id, resourceType: resource.type, platform: 'aws-nacl', location, style: 'stand-in', listed: true,
      unknowns: [...named.unknowns, ...(aclRef?.kind === 'unknown' ? [unknownOf(context, 'networkAclId', aclRef)] : [])],
    }, named.idNode);
    if (!props) context.source.error('parse/cdk-missing-argument', `${named.id}: the resource's arguments are required`, node);
    else readTerraformAclEntry(context, { group: acl, address: named.id, location: context.source.location(node) }, props);
    return ruleResourceValue(named.id, node);
  }
  // A standalone rule joins the group its securityGroupId references; otherwise it is its own target.
  const written = props ? property(context, props, 'securityGroupId') : undefined;
  const groupRef = written ? asPlainValue(context, written) : undefined;
  const joined = groupRef ? referencedGroup(groupRef) : undefined;
  const group = joined ?? context.book.createGroup({
    id: named.id, resourceType: resource.type, platform: 'aws-sg', location, style: 'stand-in', listed: true,
    unknowns: [...named.unknowns, ...(groupRef?.kind === 'unknown' ? [unknownOf(context, 'securityGroupId', groupRef)] : [])],
  }, named.idNode);
  if (!props) {
    context.source.error('parse/cdk-missing-argument', `${named.id}: the resource's arguments are required`, node);
    return ruleResourceValue(named.id, node);
  }
  if (!joined && !groupRef) context.source.error('parse/cdk-missing-property', `${named.id}: securityGroupId is required`, node);
  const direction = resource.kind === 'vpc-ingress' ? 'in' : resource.kind === 'vpc-egress' ? 'out' : ruleType(context, group, named.id, props);
  if (!direction) return ruleResourceValue(named.id, node);
  const vocabulary: RuleVocabulary = resource.kind === 'rule' ? TF_RULE : TF_VPC_RULE;
  readRuleItem(context, { group, address: named.id, location: context.source.location(node), direction }, props, vocabulary);
  return ruleResourceValue(named.id, node);
}

/** Pulumi's first argument: the resource's logical name. */
function resourceName(context: ModelContext, args: Arg[], node: TSESTree.NewExpression): { id: string; idNode: Node; unknowns: UnknownValue[] } {
  const name = args[0];
  const idNode = name?.node ?? node;
  if (name?.value.kind === 'string') return { id: name.value.value, idNode, unknowns: [] };
  const expr = name ? context.source.textOf(name.node) : '?';
  const shown = name?.node.type === AST_NODE_TYPES.TemplateLiteral ? expr.slice(1, -1) : `\${${expr}}`;
  return { id: shown, idNode, unknowns: [{ field: 'name', expr, location: context.source.location(idNode) }] };
}

/** Inline `ingress`/`egress` lists; an absent list means "not managed here" (formats.md §1.1), never a default rule. */
function readInlineRules(context: ModelContext, group: Group, props: Value | undefined, acl = false): void {
  if (!props) return;
  if (props.kind === 'unknown') {
    context.book.addTargetUnknown(group, unknownOf(context, 'args', props));
    return;
  }
  if (props.kind !== 'object') {
    context.source.error('parse/cdk-bad-property', `${group.target.id}: the arguments must be an object literal`, props.node);
    return;
  }
  for (const [field, direction] of [['ingress', 'in'], ['egress', 'out']] as const) {
    const written = property(context, props, field);
    if (!written) continue;
    const value = asPlainValue(context, written);
    if (value.kind === 'unknown') {
      context.book.addTargetUnknown(group, unknownOf(context, `${group.target.id}.${field}`, value));
      continue;
    }
    if (value.kind !== 'array') {
      context.source.error('parse/cdk-bad-property', `${group.target.id}: ${field} must be a list of rules`, value.node);
      continue;
    }
    value.items.forEach((item, index) => {
      const site: RuleSite = { group, address: `${group.target.id}.${field}[${index}]`, location: context.source.location(item.node), direction };
      if (acl) readTerraformAclEntry(context, site, item);
      else readRuleItem(context, site, item, TF_INLINE);
    });
  }
}

/** `type: "ingress" | "egress"` of a SecurityGroupRule; an unresolved type leaves the rule out (FW303). */
function ruleType(context: ModelContext, group: Group, address: string, props: Value): Direction | undefined {
  const written = property(context, props, 'type');
  const value = written ? asPlainValue(context, written) : undefined;
  if (value?.kind === 'unknown') {
    context.book.addTargetUnknown(group, unknownOf(context, `${address}.type`, value));
    return undefined;
  }
  if (value?.kind === 'string' && (value.value === 'ingress' || value.value === 'egress')) return value.value === 'ingress' ? 'in' : 'out';
  context.source.error('parse/cdk-bad-property', `${address}: type must be "ingress" or "egress"`, value?.node ?? props.node);
  return undefined;
}

/** A `fwlint:profile` tag (`tags: { 'fwlint:profile': 'pack/role phase=operate' }`), as the Terraform reader accepts. */
function profileFromTags(context: ModelContext, props: Value): ProfileBinding | undefined {
  const tags = property(context, props, 'tags');
  const tag = tags ? property(context, tags, 'fwlint:profile') : undefined;
  return tag?.kind === 'string' ? profileFromTag(context, tag.value, tag.node) : undefined;
}
