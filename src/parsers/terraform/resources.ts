import { warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceKind, SourceLocation, SourceRange } from '../../model/location';
import { redactedText, type Platform, type Rule, type UnknownValue } from '../../model/rule';
import type { ProfileBinding, Target, WrittenBlock } from '../../model/target';
import { parseProfileValue } from '../shared/profile-value';
import { firstUnknown, unwrapParens, type Expression, type Value } from './hcl';
import { gcpRulesFromFirewall } from './gcp-firewall-rules';
import { duplicateOrderDiagnostics, type WrittenArguments } from './duplicate-order';
import { naclRulesFromConstruct } from './nacl-rules';
import { expressionText, nsgRulesFromConstruct } from './nsg-rules';
import { rulesEitherWay } from './choices';
import { PrefixLists } from './prefix-lists';
import { canonicalReference } from './reference-identity';
import { asString, contextInFile, modulePrefix, ownGroupOf, rulesFromConstruct, sensitiveOrigin, unknownText, type BuildContext, type Fields, type OwnGroup } from './to-model';

/**
 * The shared layer between Terraform's two inputs and the rule model: the HCL path (`index.ts`, after evaluating
 * expressions and expanding modules, count and for_each) and the plan path (`terraform-plan/`, after reading
 * `change.after`) both describe each resource instance as a `ResourceInstance`, and `targetsFromResources` turns
 * them into targets. Everything provider-specific about firewall resources lives below this line.
 */
export interface ResourceInstance {
  kind: SourceKind;
  type: string;
  /** Full address: `module.net["a"].aws_security_group.web[0]`. */
  address: string;
  /** Where the resource is written: the `resource "type" "name"` header, or the plan file's first line. */
  location: SourceLocation;
  /** The whole `resource` block, header to closing brace (in a plan, where its configuration was found). */
  range?: SourceRange;
  /** File the field ranges point into. */
  file: string;
  /** Top-level arguments. */
  fields: Fields;
  /** Nested rule blocks by name (`ingress`, `egress`, `security_rule`, `allow`, `deny`), in source order. */
  blocks: Map<string, NestedBlock[]>;
  /** HCL: the nested rule blocks as written, before `dynamic` blocks are expanded (`Target.writtenBlocks`). */
  writtenBlocks?: WrittenBlock[];
  /** Values that kept whole rules from being known (unresolved count, for_each, dynamic blocks, module expansion). */
  unknowns: UnknownValue[];
  /** Appended to rule descriptions (plan rules located at the plan file say so). */
  descriptionNote?: string;
  /** The condition the instance exists under (`count = var.create ? 1 : 0`, see `hcl-resources.ts`). */
  branch?: string | undefined;
  /**
   * Plan: the data source a standalone rule's join argument is read from (`data.aws_security_group.app`, module-relative),
   * whose id the plan knows: a group not among the resources is named after it, as the HCL path names it.
   */
  joinDataSource?: string;
}

/** One element of a nested rule block; `address` is its identity (`….ingress[0]` in HCL, a content hash in plans). */
export interface NestedBlock {
  fields: Fields;
  location: SourceLocation;
  address: string;
  /** The condition a `dynamic` block's content exists under (`for_each = var.ssh ? [1] : []`). */
  branch?: string;
  /** An element of the attribute form (`ingress = [{…}]`), not a block. */
  isListElement?: true;
}

/** Resource types that are targets, with their platform and the nested blocks that hold their rules. */
export const TARGET_TYPES: ReadonlyMap<string, { platform: Platform; blocks: readonly string[] }> = new Map([
  ['aws_security_group', { platform: 'aws-sg', blocks: ['ingress', 'egress'] }],
  ['aws_default_security_group', { platform: 'aws-sg', blocks: ['ingress', 'egress'] }],
  ['aws_network_acl', { platform: 'aws-nacl', blocks: ['ingress', 'egress'] }],
  ['aws_default_network_acl', { platform: 'aws-nacl', blocks: ['ingress', 'egress'] }],
  ['azurerm_network_security_group', { platform: 'azure-nsg', blocks: ['security_rule'] }],
  ['google_compute_firewall', { platform: 'gcp-fw', blocks: ['allow', 'deny'] }],
]);

/** Standalone rule resources, with their platform and the argument that names the target they join. */
export const RULE_TYPES: ReadonlyMap<string, { platform: Platform; joinField: string }> = new Map([
  ['aws_security_group_rule', { platform: 'aws-sg', joinField: 'security_group_id' }],
  ['aws_vpc_security_group_ingress_rule', { platform: 'aws-sg', joinField: 'security_group_id' }],
  ['aws_vpc_security_group_egress_rule', { platform: 'aws-sg', joinField: 'security_group_id' }],
  ['aws_network_acl_rule', { platform: 'aws-nacl', joinField: 'network_acl_id' }],
  ['azurerm_network_security_rule', { platform: 'azure-nsg', joinField: 'network_security_group_name' }],
]);

/** Single-valued arguments that name another resource, besides the join field. */
const OTHER_REFERENCE_FIELDS: Record<string, string[]> = {
  aws_security_group_rule: ['source_security_group_id'],
  aws_vpc_security_group_ingress_rule: ['referenced_security_group_id'],
  aws_vpc_security_group_egress_rule: ['referenced_security_group_id'],
  google_compute_firewall: ['network'],
};

/**
 * Arguments that name another resource (the join field, a peer group, a GCP network): the plan path turns their
 * configuration references into refs, as the HCL path evaluates them, since the plan often knows their value only
 * after apply.
 */
export function referenceFields(type: string): string[] {
  const joinField = RULE_TYPES.get(type)?.joinField;
  return [...(joinField ? [joinField] : []), ...(OTHER_REFERENCE_FIELDS[type] ?? [])];
}

/** True for every resource type fwlint reads (README "Supported inputs"). */
export function isSupportedType(type: string): boolean {
  return TARGET_TYPES.has(type) || RULE_TYPES.has(type);
}

const SUPPORTED_TYPE_NAMES: ReadonlyMap<string, string> = new Map([...TARGET_TYPES.keys(), ...RULE_TYPES.keys()].map((type) => [type, type]));

/** The supported type's name as this module's constant (equal to `type`), undefined for an unsupported type. */
export function supportedTypeName(type: string): string | undefined {
  return SUPPORTED_TYPE_NAMES.get(type);
}

interface StandaloneRules {
  instance: ResourceInstance;
  join: Value | undefined;
  rules: Rule[];
  unknowns: UnknownValue[];
}

/**
 * Builds the targets of a set of resource instances (one module tree, or one plan): groups, ACLs, NSGs and
 * firewalls with their inline rules, then standalone rule resources joined to the target they reference (by
 * resource reference; by a known `id` in plans; Azure also by NSG name + resource group). A rule resource whose
 * target is not among the instances becomes a target of its own.
 */
export function targetsFromResources(instances: ResourceInstance[], diagnostics: Diagnostic[]): Target[] {
  const targets = new Map<string, Target>();
  const byId = new Map<string, Target>();
  const nsgByName: NamedNsg[] = [];
  const standalone: StandaloneRules[] = [];
  const branchedTargets = new Set<Target>();
  // Plan targets without a known id: created (or replaced) by the plan, so a rule's group known only after apply may be one.
  const createdByPlan: Target[] = [];
  // NSG and NACL rules' arguments by address, where a clash of priorities is reported (`duplicateOrderDiagnostics`).
  const orderedRules = new Map<string, WrittenArguments>();
  const prefixLists = PrefixLists.of(instances, diagnostics);
  for (const instance of instances) {
    const ctx: BuildContext = { kind: instance.kind, file: instance.file, diagnostics, targetUnknowns: [...instance.unknowns] };
    if (instance.descriptionNote) ctx.descriptionNote = instance.descriptionNote;
    if (prefixLists) ctx.prefixLists = prefixLists;
    const targetType = TARGET_TYPES.get(instance.type);
    if (targetType) {
      if (targetType.platform === 'azure-nsg' || targetType.platform === 'aws-nacl') {
        for (const name of targetType.blocks) for (const block of instance.blocks.get(name) ?? []) orderedRules.set(block.address, { file: block.location.file, fields: block.fields });
      }
      // A resource whose `for_each` gives one key a different value per side (`c ? { a = x } : { a = y }`) is one
      // instance per side at one address: one target, holding each side's rules under its condition.
      const sameAddress = instance.branch !== undefined ? targets.get(instance.address) : undefined;
      if (sameAddress && branchedTargets.has(sameAddress)) {
        for (const rule of targetRules(instance, ctx)) sameAddress.rules.push(rule);
        if (ctx.targetUnknowns.length > 0) sameAddress.unknowns = [...(sameAddress.unknowns ?? []), ...ctx.targetUnknowns];
        continue;
      }
      const target: Target = {
        id: instance.address,
        kind: instance.kind,
        platform: targetType.platform,
        resourceType: instance.type,
        location: instance.location,
        rules: targetRules(instance, ctx),
      };
      if (ctx.targetUnknowns.length > 0) target.unknowns = ctx.targetUnknowns;
      if (instance.writtenBlocks && instance.writtenBlocks.length > 0) target.writtenBlocks = instance.writtenBlocks;
      const profile = profileFromTags(instance, diagnostics);
      if (profile) target.profile = profile;
      if (instance.type === 'google_compute_firewall') {
        const scope = ['target_tags', 'target_service_accounts'].flatMap((name) => stringList(instance.fields.get(name)?.value));
        if (scope.length > 0) target.scope = scope;
      }
      targets.set(target.id, target);
      if (instance.branch !== undefined) branchedTargets.add(target);
      const id = instance.fields.get('id');
      if (id?.value.kind === 'string' && id.value.value) byId.set(id.value.value, target);
      else if (instance.kind === 'terraform-plan') createdByPlan.push(target);
      if (instance.type === 'azurerm_network_security_group') {
        const name = instance.fields.get('name')?.value;
        if (name?.kind === 'string') nsgByName.push({ name: name.value, resourceGroup: knownString(instance.fields.get('resource_group_name')?.value), module: moduleOf(instance), target });
      }
      continue;
    }
    const ruleType = RULE_TYPES.get(instance.type);
    if (!ruleType) continue;
    if (ruleType.platform === 'azure-nsg' || ruleType.platform === 'aws-nacl') orderedRules.set(instance.address, { file: instance.file, fields: instance.fields });
    standalone.push({ instance, join: instance.fields.get(ruleType.joinField)?.value, rules: standaloneRules(instance, ctx), unknowns: ctx.targetUnknowns });
  }

  const orphans: Array<{ entry: StandaloneRules; unknowns: UnknownValue[]; group: ExternalGroup | undefined; isJoinUnknown: boolean }> = [];
  for (const entry of standalone) {
    const { instance } = entry;
    const ruleType = RULE_TYPES.get(instance.type)!;
    let target = entry.join?.kind === 'ref' ? targets.get(entry.join.address) : undefined;
    if (!target && entry.join?.kind === 'string') {
      const joinText = entry.join.value;
      target = byId.get(joinText);
      if (!target && instance.type === 'azurerm_network_security_rule') {
        target = namedNsg(nsgByName, joinText, knownString(instance.fields.get('resource_group_name')?.value), moduleOf(instance));
      }
    }
    if (target && target.platform === ruleType.platform) {
      target.rules.push(...entry.rules);
      if (entry.unknowns.length > 0) target.unknowns = [...(target.unknowns ?? []), ...entry.unknowns];
      continue;
    }
    // The target is not among these resources (an id string, a data source, a variable).
    const unknowns = [...entry.unknowns];
    // A list (`aws_security_group.web[*].id[0]` indexes each id, HCL's full splat) holding an unknown is reported too.
    const joinUnknown = entry.join && entry.join.kind !== 'ref' ? firstUnknown(entry.join) : null;
    const joinText = joinUnknown ? unknownText(joinUnknown) : undefined;
    if (joinText !== undefined) {
      const field = instance.fields.get(ruleType.joinField);
      unknowns.push({ field: `${instance.address}.${ruleType.joinField}`, expr: joinText, location: { file: field?.file ?? instance.file, range: field?.range ?? instance.location.range } });
    }
    orphans.push({ entry, unknowns, group: externalGroup(instance, entry.join), isJoinUnknown: joinText !== undefined });
  }
  // Rules naming one group that is not among the resources (the same literal id, the same data source, the same NSG
  // name and resource group) are that group's rules together, so rules that open it only jointly are seen; a rule
  // alone keeps its own address as id. The group is named as its first rule writes it.
  const groupNames = new Map<string, { name: string; rules: number }>();
  const groupKey = (instance: ResourceInstance, group: ExternalGroup): string => `${RULE_TYPES.get(instance.type)!.platform} ${group.key}`;
  const keysByName = new Map<string, string>();
  for (const { entry, group } of orphans) {
    if (group === undefined) continue;
    const key = groupKey(entry.instance, group);
    const named = groupNames.get(key);
    if (named) named.rules++;
    else groupNames.set(key, { name: group.isRedacted ? uniqueName(group.name, key, keysByName) : group.name, rules: 1 });
  }
  for (const { entry, unknowns, group } of orphans) {
    const { instance } = entry;
    const platform = RULE_TYPES.get(instance.type)!.platform;
    const named = group !== undefined ? groupNames.get(groupKey(instance, group))! : undefined;
    const isShared = named !== undefined && named.rules > 1 && (targets.get(named.name)?.platform ?? platform) === platform;
    const id = isShared ? named.name : instance.address;
    const shared = targets.get(id);
    if (shared) {
      shared.rules.push(...entry.rules);
      if (unknowns.length > 0) shared.unknowns = [...(shared.unknowns ?? []), ...unknowns];
      continue;
    }
    // The group (or ACL, NSG) is not among the resources: its other rules, where it is defined, are not known here.
    const orphan: Target = { id, kind: instance.kind, platform, resourceType: instance.type, location: instance.location, rules: entry.rules, definedElsewhere: true };
    if (isShared) orphan.isLocatedAtItsFirstRule = true;
    if (unknowns.length > 0) orphan.unknowns = unknowns;
    targets.set(orphan.id, orphan);
  }
  offerUnjoinedRules(orphans.filter((orphan) => orphan.isJoinUnknown && orphan.entry.instance.kind === 'terraform-plan').map((orphan) => orphan.entry), createdByPlan);
  shareGcpNetworkRules(instances, targets);
  diagnostics.push(...duplicateOrderDiagnostics(targets.values(), orderedRules));
  return [...targets.values()];
}

/**
 * A plan read without its `.tf` files: a rule resource whose group is known only after apply (`security_group_id =
 * local.this_sg_id`; the JSON configuration gives a local's name, never its expression) names a group that the plan
 * creates or replaces, since an existing group's id would be known. It stays a target of its own (FW303), and is
 * offered to every such group of its platform (`Target.unjoinedRules`), so that none gets a false FW201 for a flow
 * the rule may carry.
 */
function offerUnjoinedRules(unjoined: readonly StandaloneRules[], createdByPlan: readonly Target[]): void {
  if (unjoined.length === 0) return;
  for (const target of createdByPlan) {
    const rules = unjoined.filter((entry) => RULE_TYPES.get(entry.instance.type)!.platform === target.platform).flatMap((entry) => entry.rules);
    if (rules.length > 0) target.unjoinedRules = [...(target.unjoinedRules ?? []), ...rules];
  }
}

interface NamedNsg {
  name: string;
  resourceGroup: string | undefined;
  /** The module instance the NSG is written in (`module.app["blue"].`, `` for the root). */
  module: string;
  target: Target;
}

/**
 * The NSG a standalone rule names by a literal `network_security_group_name`. Azure identifies an NSG by its name
 * within a resource group (azurerm `network_security_rule` docs), so: the NSGs of that name whose resource group is
 * the rule's, or unknown on either side; of those, the ones in the rule's own module instance if any (a module called
 * for two resource groups writes the same name twice), and the ones whose resource group is known to be the rule's if
 * any. Exactly one is the rule's NSG; several leave the rule a target of its own rather than join one at random.
 */
function namedNsg(nsgs: readonly NamedNsg[], name: string, resourceGroup: string | undefined, module: string): Target | undefined {
  const named = nsgs.filter((nsg) => sameAzureName(nsg.name, name) && (nsg.resourceGroup === undefined || resourceGroup === undefined || sameAzureName(nsg.resourceGroup, resourceGroup)));
  const local = named.filter((nsg) => nsg.module === module);
  const nearest = local.length > 0 ? local : named;
  const sameGroup = resourceGroup === undefined ? [] : nearest.filter((nsg) => nsg.resourceGroup !== undefined && sameAzureName(nsg.resourceGroup, resourceGroup));
  const candidates = sameGroup.length > 0 ? sameGroup : nearest;
  return candidates.length === 1 ? candidates[0]!.target : undefined;
}

/** Azure resource names (NSGs, resource groups) are case-insensitive: `Web-NSG` is the NSG `web-nsg`. */
function sameAzureName(a: string, b: string): boolean {
  return azureNameKey(a) === azureNameKey(b);
}

function azureNameKey(name: string): string {
  return name.toLowerCase();
}

/** The module instance part of a resource address: `module.app["blue"].` of `module.app["blue"].azurerm_….x`. */
function moduleOf(instance: ResourceInstance): string {
  return modulePrefix(instance.address);
}

/**
 * GCP evaluates every firewall rule of a VPC network together: ascending priority, a deny beating an allow of the
 * same priority (formats.md §1.7, §1.8), each rule applying to the instances its target tags or service accounts name
 * (all instances without them). Each `google_compute_firewall` stays its own target (its resource address: the
 * instances it targets), and the rules of the other firewalls on the same network that apply to every one of those
 * instances take part in its evaluation: rules without target tags/service accounts, and rules whose set includes
 * every one of the firewall's. So a deny elsewhere hides its allows (FW101, FW301), and allows written in several
 * firewalls add up (FW101's combined halves, FW201), while a rule for other instances (`target_tags = ["db"]`
 * beside `["web"]`) never does. Such rules are listed in `sharedRules`: reported in their own target only. A firewall
 * whose network is unknown takes no part; one whose scope cannot be resolved only receives untagged rules.
 */
function shareGcpNetworkRules(instances: ResourceInstance[], targets: Map<string, Target>): void {
  const firewalls: Array<{ target: Target; network: string; project: string | undefined; scope: ReadonlySet<string> | undefined; own: Rule[] }> = [];
  // The known projects of each network name: a firewall whose project is unknown may be in any of them.
  const projectsOf = new Map<string, Set<string>>();
  const taken = new Set<Target>();
  for (const instance of instances) {
    if (instance.type !== 'google_compute_firewall') continue;
    const target = targets.get(instance.address);
    const written = instance.fields.get('network')?.value;
    const network = networkKey(written);
    // Each side's instance of one address is one target (see `targetsFromResources`), taken once.
    if (!target || network === undefined || taken.has(target)) continue;
    taken.add(target);
    const project = firewallProject(instance.fields, written);
    firewalls.push({ target, network, project, scope: firewallScope(instance.fields), own: target.rules });
    if (project !== undefined) projectsOf.set(network, (projectsOf.get(network) ?? new Set()).add(project));
  }
  // Networks are per project: the same name in two projects is two networks. A firewall that does not tell its
  // project (the provider's default, an unresolved value) is on the network of that name only where the
  // configuration knows no other project for the name; else it is judged with the others that do not tell theirs.
  const sameProject = (a: string | undefined, b: string | undefined, network: string): boolean =>
    a === b || ((a === undefined || b === undefined) && projectsOf.get(network)!.size === 1);
  for (const firewall of firewalls) {
    const { scope } = firewall;
    const appliesToAll = (other: ReadonlySet<string> | undefined): boolean => other !== undefined && (other.size === 0 || (scope !== undefined && scope.size > 0 && [...scope].every((item) => other.has(item))));
    const network = firewalls.filter(
      (other) => other === firewall || (other.network === firewall.network && sameProject(other.project, firewall.project, firewall.network) && appliesToAll(other.scope)),
    );
    if (network.length === 1) continue;
    // Broader firewalls first, then those of the same scope (this one among them) in resource order: FW302 reports the
    // later of two equal rules, so of twins in firewalls of one scope exactly one is reported, in its own target, and
    // a rule that a broader firewall repeats is the one reported.
    const isSameScope = (other: ReadonlySet<string> | undefined): boolean => other !== undefined && scope !== undefined && other.size === scope.size && [...other].every((item) => scope.has(item));
    const ordered = [...network.filter((other) => other !== firewall && !isSameScope(other.scope)), ...network.filter((other) => other === firewall || isSameScope(other.scope))];
    const rules: Rule[] = [];
    const shared: Rule[] = [];
    const sameInstances: Rule[] = [];
    for (const other of ordered) {
      const isSame = other !== firewall && isSameScope(other.scope);
      for (const rule of other.own) {
        rules.push(rule);
        if (other !== firewall) shared.push(rule);
        if (isSame) sameInstances.push(rule);
      }
    }
    firewall.target.rules = rules;
    if (shared.length > 0) firewall.target.sharedRules = shared;
    if (sameInstances.length > 0) firewall.target.sharedRulesOfSameInstances = sameInstances;
  }
}

/**
 * The instances a firewall applies to, as `tag:` and `sa:` items; empty for every instance of the network, undefined
 * when `target_tags` or `target_service_accounts` cannot be resolved.
 */
function firewallScope(fields: Fields): ReadonlySet<string> | undefined {
  const scope = new Set<string>();
  for (const [name, prefix] of [['target_tags', 'tag:'], ['target_service_accounts', 'sa:']] as const) {
    const value = fields.get(name)?.value;
    if (value === undefined || value.kind === 'null') continue;
    if (value.kind !== 'list') return undefined;
    for (const item of value.items) {
      if (item.kind !== 'string') return undefined;
      scope.add(`${prefix}${item.value}`);
    }
  }
  return scope;
}

/** A network reference (`google_compute_network.vpc.name`) or its name; a self link or id reduces to its last segment. */
function networkKey(value: Value | undefined): string | undefined {
  if (value?.kind === 'ref') return `ref:${value.address}`;
  if (value?.kind === 'string' && value.value) return `name:${value.value.split('/').pop()}`;
  return undefined;
}

/**
 * The project a firewall is in: its `project`, else the one its network's self link or id names
 * (`projects/p/global/networks/vpc`: a firewall is in its network's project); undefined when neither says.
 */
function firewallProject(fields: Fields, network: Value | undefined): string | undefined {
  const project = knownString(fields.get('project')?.value);
  if (project) return project;
  return network?.kind === 'string' ? /(?:^|\/)projects\/([^/]+)\/global\/networks\/[^/]+$/.exec(network.value)?.[1] : undefined;
}

/** The context to read a nested rule block in: in its own file (an override file's, for a block merged from one). */
function inFileOf(block: NestedBlock, ctx: BuildContext): BuildContext {
  return contextInFile(ctx, block.location.file);
}

/** Inline rules of a target resource, in source order. */
function targetRules(instance: ResourceInstance, ctx: BuildContext): Rule[] {
  const blocks = (name: string) => instance.blocks.get(name) ?? [];
  switch (instance.type) {
    case 'aws_security_group':
    case 'aws_default_security_group': {
      // Loops rather than nested flatMap: no intermediate arrays per group (the corpus's most common target).
      const rules: Rule[] = [];
      // A group naming itself in `security_groups` is a cycle Terraform rejects (`self = true` is the inline form);
      // read as `self` all the same, and in plans (where `security_groups` holds ids) by the group's known id.
      const id = knownString(instance.fields.get('id')?.value);
      const ownGroup: OwnGroup = { address: instance.address, id };
      for (const name of ['ingress', 'egress'] as const) {
        for (const block of blocks(name)) {
          const built = rulesEitherWay({ style: 'inline', direction: name === 'ingress' ? 'in' : 'out', fields: block.fields, location: block.location, resourceAddress: block.address, ownGroup }, inFileOf(block, ctx), rulesFromConstruct, instance.branch, block.branch);
          for (const rule of built) {
            if (block.isListElement) rule.isListElement = true;
            rules.push(rule);
          }
        }
      }
      return rules;
    }
    case 'aws_network_acl':
    case 'aws_default_network_acl':
      return (['ingress', 'egress'] as const).flatMap((name) =>
        blocks(name).flatMap((block) =>
          rulesEitherWay({ style: 'inline', direction: name === 'ingress' ? 'in' : 'out', fields: block.fields, location: block.location, resourceAddress: block.address }, inFileOf(block, ctx), naclRulesFromConstruct, instance.branch, block.branch),
        ),
      );
    case 'azurerm_network_security_group':
      return blocks('security_rule').flatMap((block) => rulesEitherWay({ fields: block.fields, location: block.location, resourceAddress: block.address }, inFileOf(block, ctx), nsgRulesFromConstruct, instance.branch, block.branch));
    case 'google_compute_firewall':
      // Choices in the firewall's own arguments (`source_ranges = var.public ? […] : […]`); not in its allow/deny blocks.
      return rulesEitherWay(
        {
          fields: instance.fields,
          location: instance.location,
          resourceAddress: instance.address,
          blocks: (['allow', 'deny'] as const).flatMap((action) =>
            blocks(action).map((block) => ({ action, fields: block.fields, location: block.location, resourceAddress: block.address })),
          ),
        },
        ctx,
        gcpRulesFromFirewall,
        instance.branch,
      );
    default:
      return [];
  }
}

function standaloneRules(instance: ResourceInstance, ctx: BuildContext): Rule[] {
  const rules = standaloneRulesByType(instance, ctx);
  const extent = instance.range;
  if (extent !== undefined) for (const rule of rules) rule.extent = extent;
  return rules;
}

function standaloneRulesByType(instance: ResourceInstance, ctx: BuildContext): Rule[] {
  const { fields, location, address } = instance;
  switch (instance.type) {
    case 'aws_security_group_rule':
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      const type = fields.get('type')?.value;
      const isEgress = instance.type === 'aws_vpc_security_group_egress_rule' || (instance.type === 'aws_security_group_rule' && type?.kind === 'string' && type.value === 'egress');
      const style = instance.type === 'aws_security_group_rule' ? 'security-group-rule' : 'vpc-rule';
      const ownGroup = ownGroupOf(fields.get('security_group_id')?.value);
      const rules = rulesEitherWay({ style, direction: isEgress ? 'out' : 'in', fields, location, resourceAddress: address, ownGroup }, ctx, rulesFromConstruct, instance.branch);
      // What a rule resource written in this one's place needs: its group as written, and the range it takes. Only for
      // a resource of the root module written once: the text of a counted one, or of a module's, makes other instances.
      const isOneInstance = address.startsWith(`${instance.type}.`) && !address.includes('[');
      const groupId = isOneInstance ? expressionText(fields.get('security_group_id')?.value) : undefined;
      if (groupId !== undefined && instance.range && instance.kind === 'terraform-hcl') {
        const container = { security_group_id: groupId };
        for (const rule of rules) {
          rule.containerArguments = container;
          rule.resourceRange = instance.range;
        }
      }
      return rules;
    }
    case 'aws_network_acl_rule':
      return rulesEitherWay({ style: 'standalone', fields, location, resourceAddress: address }, ctx, naclRulesFromConstruct, instance.branch);
    case 'azurerm_network_security_rule':
      return rulesEitherWay({ fields, location, resourceAddress: address }, ctx, nsgRulesFromConstruct, instance.branch);
    default:
      return [];
  }
}

/** A group that rules name but that is not among the resources: `key` identifies it, `name` is its target id. */
interface ExternalGroup {
  key: string;
  name: string;
  /** The name shows a sensitive value by its origin (`shownName`), which other groups' values may share. */
  isRedacted?: boolean;
}

/**
 * The group a rule names when it is not among the resources: a literal id (`sg-0abc`), a data source
 * (`data.aws_security_group.app`) or another reference fixed within a module instance (`var.sg_id`, an output of a
 * module that was not read), module-prefixed since another module instance may name another group, or for Azure an
 * NSG name within a resource group. Undefined for anything else.
 */
function externalGroup(instance: ResourceInstance, join: Value | undefined): ExternalGroup | undefined {
  if (instance.type === 'azurerm_network_security_rule' && join?.kind === 'string') return externalNsg(instance, join);
  const name = externalGroupName(instance, join);
  if (name === undefined) return undefined;
  // Joined by the id the plan read, named as the configuration (and the HCL path) names the group.
  if (join?.kind === 'string' && join.sensitive === undefined && instance.joinDataSource !== undefined) return { key: name, name: `${moduleOf(instance)}${instance.joinDataSource}` };
  // A sensitive id joins by its value but names the target by its origin: the id is in every finding's message.
  return join?.kind === 'string' && join.sensitive !== undefined ? { key: name, name: redactedText(join.sensitive), isRedacted: true } : { key: name, name };
}

/**
 * `name`, or where another group has it (two sensitive ids of one origin, both `(sensitive value of var.ids)`)
 * `name #2`, `#3`…: each group stays a target of its own.
 */
function uniqueName(name: string, key: string, keysByName: Map<string, string>): string {
  let unique = name;
  for (let n = 2; keysByName.has(unique) && keysByName.get(unique) !== key; n++) unique = `${name} #${n}`;
  keysByName.set(unique, key);
  return unique;
}

/** A name as a target's id shows it: the value, or `(sensitive value of var.x)` for a sensitive one. */
function shownName(value: Value & { kind: 'string' }): string {
  return value.sensitive === undefined ? value.value : redactedText(value.sensitive);
}

/**
 * An NSG named by a literal name: Azure identifies it by name within a resource group, both case-insensitive
 * (`rg-web/Web-NSG` is `RG-Web/web-nsg`). A resource group known only after apply is the same one where the same
 * expression is written in the same module instance (`${var.rg}/web-nsg`); undefined when there is none.
 */
function externalNsg(instance: ResourceInstance, nsgName: Value & { kind: 'string' }): ExternalGroup | undefined {
  const name = nsgName.value;
  const resourceGroup = instance.fields.get('resource_group_name')?.value;
  if (name === '' || resourceGroup === undefined) return undefined;
  let group: ExternalGroup;
  if (resourceGroup.kind === 'string') {
    if (resourceGroup.value === '') return undefined;
    group = { key: `${azureNameKey(resourceGroup.value)}/${azureNameKey(name)}`, name: `${shownName(resourceGroup)}/${shownName(nsgName)}` };
    if (resourceGroup.sensitive !== undefined) group.isRedacted = true;
  } else {
    if (resourceGroup.kind !== 'unknown' || resourceGroup.error !== undefined) return undefined;
    const written = `${moduleOf(instance)}\${${resourceGroup.text}}`;
    group = { key: `${written}/${azureNameKey(name)}`, name: `${written}/${shownName(nsgName)}` };
  }
  if (nsgName.sensitive !== undefined) group.isRedacted = true;
  return group;
}

function externalGroupName(instance: ResourceInstance, join: Value | undefined): string | undefined {
  if (join?.kind === 'string') return join.value === '' ? undefined : join.value;
  if (join?.kind !== 'unknown' || join.error !== undefined) return undefined;
  const joinField = RULE_TYPES.get(instance.type)!.joinField;
  if (!isWholeArgument(join, instance.fields.get(joinField)?.expr)) return undefined;
  // One group whichever way the traversal is spelt (`var.sg_ids.web`, `var.sg_ids["web"]`).
  const text = canonicalReference(join.text) ?? join.text;
  const dataSource = dataSourceOf(text);
  if (dataSource) return `${moduleOf(instance)}${dataSource}`;
  if (!FIXED_REFERENCE.test(text)) return undefined;
  // A module's `var.sg_id` is what its caller passes: the root's `var.sg_id`, `module.web_sg.security_group_id` or
  // data source is the group of the root's rules naming the same (a module's own names come qualified by its instance).
  const written = instance.fields.rootName?.(joinField);
  const rootName = written === undefined ? undefined : canonicalReference(written) ?? written;
  if (rootName === undefined || !FIXED_REFERENCE.test(rootName)) return `${moduleOf(instance)}${text}`;
  return dataSourceOf(rootName) ?? rootName;
}

/** Functions whose unresolved result is their argument's, the whole value: `try(var.sg_id, "")` is `var.sg_id`. */
const PASS_THROUGH_FUNCTIONS: ReadonlySet<string> = new Set(['try', 'tostring', 'sensitive', 'nonsensitive']);

/**
 * Whether an unresolved join value is the argument's whole value, not one input of a call the argument makes
 * (`element(var.ids, 1)` and `coalesce(var.a, var.b)` are unresolved as `var.ids`, `var.a`: naming the group by them
 * would join the rules on `element(var.ids, 0)`, or on `var.a`, to another group's).
 */
function isWholeArgument(join: Value & { kind: 'unknown' }, written: Expression | undefined): boolean {
  if (written === undefined) return true;
  const expr = unwrapParens(written);
  if (expr.kind !== 'function-call' || PASS_THROUGH_FUNCTIONS.has(expr.name)) return true;
  const { range } = expr;
  return join.range.startLine === range.startLine && join.range.startColumn === range.startColumn && join.range.endLine === range.endLine && join.range.endColumn === range.endColumn;
}

/** The data source a group id is read from (`data.aws_security_group.app` of `data.aws_security_group.app.id`). */
function dataSourceOf(text: string): string | undefined {
  // Only a literal index: `[count.index]` reads a different instance per rule instance.
  return /^data\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*(?:\[(?:\d+|"[^"\\]*")\])?(?=\.[A-Za-z_][\w-]*$)/.exec(text)?.[0] ?? onlyDataInstance(text);
}

/**
 * A reference that reads the same value for every rule of a module instance: an input variable, a local, an output
 * of a module that was not read, a remote state output (`var.sg_id`, `module.web_sg.security_group_id`,
 * `data.terraform_remote_state.net.outputs.sg_id`), with literal indexes only; `each.`, `count.`, calls and splats
 * read a different value per instance.
 */
const FIXED_REFERENCE = /^(?:var|local|module|data)(?:\.[A-Za-z_][\w-]*|\[(?:\d+|"[^"\\]*")\])+$/;

/**
 * `one(data.aws_security_group.db[*].id)`, HashiCorp's form for a data source that may have no instance: the data
 * source itself (its one instance), so that it meets `data.aws_security_group.db.id` of other rules.
 */
function onlyDataInstance(text: string): string | undefined {
  return /^one\(\s*(data\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)(?:\[\*\]|\.\*)\.[A-Za-z_][\w-]*\s*\)$/.exec(text)?.[1];
}

function knownString(value: Value | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

function stringList(value: Value | undefined): string[] {
  if (value?.kind !== 'list') return [];
  return value.items.flatMap((item) => (item.kind === 'string' ? [item.value] : []));
}

/** A `fwlint:profile` tag maps the target to a role, like the comment annotation; each problem is a warning. */
function profileFromTags(instance: ResourceInstance, diagnostics: Diagnostic[]): ProfileBinding | undefined {
  const tags = instance.fields.get('tags');
  if (tags?.value.kind !== 'object') return undefined;
  const profile = tags.value.entries.get('fwlint:profile');
  const text = profile ? asString(profile) : undefined;
  if (!text) return undefined;
  const file = tags.file ?? instance.file;
  const { binding, problems } = parseProfileValue(text, { file, range: tags.range });
  const origin = sensitiveOrigin(profile, tags.value);
  // The problems quote the value: a sensitive one is named instead, once (README "Sensitive values").
  const shown = origin === undefined || problems.length === 0 ? problems : [`${redactedText(origin)} is not a valid fwlint:profile value (<pack>/<role> [phase=install|operate] [options=a,b])`];
  for (const problem of shown) diagnostics.push(warningDiagnostic('parse/terraform-profile-tag', file, `${instance.address}: ${problem}`, tags.range));
  return binding && origin !== undefined ? { ...binding, sensitive: origin } : binding;
}
