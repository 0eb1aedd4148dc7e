import { AddressSet, SetParseError } from '../../model/address-set';
import type { SourceLocation, SourceRange } from '../../model/location';
import type { Peer } from '../../model/peer';
import { addressPeer } from '../../model/peer';
import { awsDefaultEgress } from '../shared/aws-default-egress';
import { PortSet } from '../../model/port-set';
import { ANY_PROTOCOL, parseProtocol, unresolvedProtocol, type KnownProtocol, type Protocol } from '../../model/protocol';
import { ruleContentKey, withPortsWithin, type Direction, type Platform, type Rule, type UnknownValue } from '../../model/rule';
import type { ProfileBinding, Target } from '../../model/target';
import { parseProfileValue } from '../shared/profile-value';
import { addPrefixListEntryDomains, prefixListEntryConditions, prefixListParts } from './prefix-lists';
import { conditionReferences, describeTransform, ifConditionNames, ifConditionNamesOfKeys, Scope, scalarText, Template, unsetParameterDomains, writtenText, type ParameterTest, type PendingReport, type ResourceInfo, type Value } from './evaluator';
import { MAX_BRANCHING_CONDITIONS } from './limits';
import { LITERAL_ACL_ID, LITERAL_GROUP_ID } from './shared-groups';
import { describeNode, entryOf, intrinsicOf, type MapNode, type TemplateNode } from './template-node';

const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const SECURITY_GROUP_INGRESS = 'AWS::EC2::SecurityGroupIngress';
const SECURITY_GROUP_EGRESS = 'AWS::EC2::SecurityGroupEgress';
const NETWORK_ACL = 'AWS::EC2::NetworkAcl';
const NETWORK_ACL_ENTRY = 'AWS::EC2::NetworkAclEntry';
const PREFIX_LIST = 'AWS::EC2::PrefixList';

/** Properties naming the other side of a security group rule (formats.md §3.1); exactly one is expected. */
const PEER_PROPERTIES: Record<Direction, readonly string[]> = {
  in: ['CidrIp', 'CidrIpv6', 'SourcePrefixListId', 'SourceSecurityGroupId', 'SourceSecurityGroupName'],
  out: ['CidrIp', 'CidrIpv6', 'DestinationPrefixListId', 'DestinationSecurityGroupId'],
};

/** A rule before branch tagging: the same resource evaluated under different condition assignments is merged. */
interface Draft {
  targetId: string;
  /** Set when the rule's group or ACL is not in the template: how to create the target named `targetId`. */
  outside?: OutsideTarget;
  baseId: string;
  rule: Omit<Rule, 'id' | 'contentKey'>;
}

/**
 * A group or ACL a standalone resource names that is not in the template: an imported, literal or parameter id that
 * all resources naming it share, or else the standalone resource itself.
 */
interface OutsideTarget {
  resourceType: string;
  location: SourceLocation;
  /** The reference that could not be resolved, when it could not (FW303). */
  unknown?: UnknownValue;
  /** The group or ACL is defined outside the template (an imported, literal or parameter id, or an unknown one). */
  definedElsewhere?: true;
}

/** What the drafting functions need besides the scope: where the rule sits and which group it belongs to. */
interface RuleSite {
  scope: Scope;
  resource: ResourceInfo;
  targetId: string;
  outside?: OutsideTarget;
  platform: Platform;
  direction: Direction;
  /** Address of the construct: `WebSG.SecurityGroupIngress[0]`, or the standalone resource's logical id. */
  address: string;
  location: SourceLocation;
  /** The group the rule belongs to, so a reference back to it is the `self` peer. */
  ownGroup?: { logicalId?: string; literal?: string; shared?: string };
}

/** Builds the targets of one template: security groups and network ACLs with their inline and standalone rules. */
export function templateToTargets(root: MapNode, file: string, params: Record<string, string>, paramOrigins?: Record<string, string>): { targets: Target[]; template: Template } {
  const template = new Template(root, file, params, paramOrigins);
  const base = new Scope(template);
  const targets = new Map<string, Target>();
  const shortfalls: Shortfall[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type !== SECURITY_GROUP && resource.type !== NETWORK_ACL) continue;
    // A resource whose Condition is decidedly false is never created.
    if (resource.condition !== undefined && base.condition(resource.condition, resource.keyRange) === false) continue;
    const target = newTarget(resource, file, resource.type === SECURITY_GROUP ? 'aws-sg' : 'aws-nacl');
    const profile = profileFromTags(base, resource);
    if (profile) target.profile = profile;
    targets.set(resource.logicalId, target);
  }
  for (const resource of template.resources.values()) {
    // Own keys only: a resource `Type: constructor` must not find Object.prototype.constructor.
    const drafter = Object.hasOwn(DRAFTERS, resource.type) ? DRAFTERS[resource.type] : undefined;
    if (!drafter) continue;
    // An undefined Condition is an error (CloudFormation rejects the template); a group's was reported above.
    if (resource.condition !== undefined && !targets.has(resource.logicalId)) base.condition(resource.condition, resource.keyRange);
    reportTransformedParts(template, resource);
    const readings = readPerBranch(base, resource, (scope) => drafter(scope, resource, targets),
      // A NACL entry's rule number is part of what it is: branches that order it differently stay apart.
      (draft) => [draft.targetId, draft.baseId, ruleContentKey(draft.rule), draft.rule.priority ?? ''].join('\u0000'), shortfalls);
    for (const { item: draft, tags, domains } of readings) {
      let target = targets.get(draft.targetId);
      if (!target) {
        target = newTarget(draft.outside ? { id: draft.targetId, ...draft.outside } : resource, file, draft.rule.platform);
        targets.set(draft.targetId, target);
      }
      if (draft.outside?.unknown) addTargetUnknown(target, draft.outside.unknown);
      for (const branch of tags) target.rules.push(finishRule(draft, branch, domains));
    }
  }
  reportShortfall(template, shortfalls);
  for (const target of targets.values()) sortRules(target);
  return { targets: [...targets.values()], template };
}

/** What reading a resource under each of its branches gave: each distinct item, with the branches it holds under. */
export interface BranchReading<T> {
  item: T;
  /** `Rule.branch` of each branch; one undefined when the item holds under every one. */
  tags: Array<string | undefined>;
  /** See `Rule.branchDomains`: the parameters read once per value. */
  domains?: Record<string, readonly string[]>;
}

/**
 * Reads a resource (`read`, in a scope) under each assignment of the undecidable conditions it depends on and each
 * value of the parameters with few values it reads (see `branchingConditions`, `branchingParameters`); items of equal
 * `keyOf` are one, tagged with the branches they hold under. What reading reported under some values only says under
 * which. Parameters left unread for the budget are added to `shortfalls` (see `reportShortfall`).
 */
export function readPerBranch<T>(base: Scope, resource: ResourceInfo, read: (scope: Scope) => Iterable<T>, keyOf: (item: T) => string, shortfalls: Shortfall[]): Array<BranchReading<T>> {
  const template = base.template;
  const conditions = branchingConditions(base, resource);
  const { names, dimensions, shortfall } = branchingParameters(base, resource, conditions);
  if (shortfall) shortfalls.push(shortfall);
  const assignments = 1 << names.length;
  const combinations = valueCombinations(dimensions);
  // Per combination of parameter values, the condition assignments (`combination * assignments + mask`) of each item.
  const groups = new Map<string, { item: T; masks: Set<number> }>();
  const possible = combinations.map(() => 0);
  // Assignments that give a parameter two values (IsProd=true with IsDev=true over one `Env`).
  const twoValued = combinations.map(() => new Set<number>());
  // Combinations the resource was read in, and what reading it reported in each (see `reportWithValues`).
  const readIn = new Set<number>();
  const reported = new Map<string, { report: PendingReport; combinations: Set<number> }>();
  const readCombination = (combination: number, values: readonly string[]): void => {
    const parameterValues = new Map(dimensions.map(([parameter], index) => [parameter, values[index]!]));
    for (let mask = 0; mask < assignments; mask++) {
      const scope = new Scope(template, new Map(names.map((name, bit) => [name, (mask & (1 << bit)) !== 0])), parameterValues);
      // A derived condition and the one it is defined by are both assigned: skip the assignments that cannot happen.
      if (!scope.consistent()) continue;
      if (!scope.parameterValuesConsistent()) {
        twoValued[combination]!.add(mask);
        continue;
      }
      possible[combination]!++;
      if (resource.condition !== undefined && scope.condition(resource.condition) === false) continue;
      readIn.add(combination);
      for (const item of read(scope)) {
        const key = keyOf(item);
        const group = groups.get(key) ?? { item, masks: new Set<number>() };
        group.masks.add(combination * assignments + mask);
        groups.set(key, group);
      }
    }
  };
  for (const [combination, values] of combinations.entries()) {
    if (dimensions.length === 0) {
      readCombination(combination, values);
      continue;
    }
    for (const report of template.collect(() => readCombination(combination, values))) {
      const key = [report.severity, report.code, report.message, report.range.startLine, report.range.startColumn].join('\u0000');
      const seen = reported.get(key) ?? { report, combinations: new Set<number>() };
      seen.combinations.add(combination);
      reported.set(key, seen);
    }
  }
  reportWithValues(template, [...reported.values()], readIn, dimensions, combinations);
  const branches = { names, assignments, possible, twoValued, dimensions, combinations };
  const domains = dimensions.length > 0 ? Object.fromEntries(dimensions) : undefined;
  return [...groups.values()].map(({ item, masks }) => ({ item, tags: parameterBranchTags(branches, masks, template), ...(domains ? { domains } : {}) }));
}

/**
 * An `Fn::Transform` beside a rule resource's other keys or properties (`AWS::Include` of a snippet from S3) adds what
 * fwlint cannot read: said once per resource. One that is the whole `Properties` is an unresolved value (FW303).
 */
function reportTransformedParts(template: Template, resource: ResourceInfo): void {
  for (const holder of [resource.body, resource.properties]) {
    if (holder?.kind !== 'map' || intrinsicOf(holder)) continue;
    const transform = entryOf(holder, 'Fn::Transform');
    if (transform) {
      template.report('warning', 'parse/cfn-transform', `${resource.logicalId}: what ${describeTransform(transform.value)} adds to it is not analyzed`, transform.keyRange);
    }
  }
}

function newTarget(source: ResourceInfo | ({ id: string } & OutsideTarget), file: string, platform: Platform): Target {
  return 'logicalId' in source
    ? { id: source.logicalId, kind: 'cloudformation', platform, resourceType: source.type, location: { file, range: source.keyRange }, rules: [] }
    : { id: source.id, kind: 'cloudformation', platform, resourceType: source.resourceType, location: source.location, rules: [], ...(source.definedElsewhere ? { definedElsewhere: true } : {}) };
}

/** Once per place: a resource is drafted once per branch, and several resources may name one outside group. */
export function addTargetUnknown(target: Target, unknown: UnknownValue): void {
  const unknowns = (target.unknowns ??= []);
  const { range } = unknown.location;
  const known = unknowns.some((other) => other.field === unknown.field && other.expr === unknown.expr
    && other.location.range.startLine === range.startLine && other.location.range.startColumn === range.startColumn);
  if (!known) unknowns.push(unknown);
}

/**
 * Properties of a drafted resource type that the rule model reads, when not all of them: a group's rules are its two
 * rule lists (`GroupDescription`, `GroupName`, `VpcId` say nothing about traffic; `Tags` are read unbranched).
 */
const RULE_PROPERTIES: Record<string, readonly string[]> = {
  [SECURITY_GROUP]: ['SecurityGroupIngress', 'SecurityGroupEgress'],
  // A nested stack's rules are its template's, read with what it passes (see `nestedStackUses`).
  'AWS::CloudFormation::Stack': ['Parameters'],
  'AWS::Serverless::Application': ['Parameters'],
};

/**
 * Conditions the resource's rules depend on (its `Condition` and every `Fn::If` in a property the rule model reads)
 * that the parameters cannot decide. Each is evaluated both ways; past the limit they stay undecided and their
 * `Fn::If` values become unknown, with a warning naming them. Conditions that only choose a description or a name do
 * not spend the budget.
 */
function branchingConditions(base: Scope, resource: ResourceInfo): string[] {
  const ruleProperties = Object.hasOwn(RULE_PROPERTIES, resource.type) ? RULE_PROPERTIES[resource.type] : undefined;
  const used = !resource.properties ? [] : ruleProperties ? ifConditionNamesOfKeys(resource.properties, ruleProperties) : ifConditionNames(resource.properties);
  if (resource.properties) prefixListEntryConditions(base.template, resource.properties, used);
  if (resource.condition !== undefined && !used.includes(resource.condition)) used.unshift(resource.condition);
  // A derived condition (`IsDev: !Not [!Condition IsProd]`) branches together with the conditions it is defined by,
  // so that its rules' tags name them (`IsDev=true,IsProd=false`) and checks see that `IsProd=true` excludes them.
  for (let index = 0; index < used.length; index++) {
    const definition = base.template.conditions.get(used[index]!);
    for (const name of definition ? conditionReferences(definition) : []) if (!used.includes(name)) used.push(name);
  }
  const undecided = used.filter((name) => base.template.conditions.has(name) && base.condition(name) === undefined);
  if (undecided.length > MAX_BRANCHING_CONDITIONS) {
    const followed = undecided.slice(0, MAX_BRANCHING_CONDITIONS);
    const notFollowed = undecided.slice(MAX_BRANCHING_CONDITIONS);
    base.template.report('warning', 'parse/cfn-too-many-conditions',
      `${resource.logicalId}'s rules depend on ${undecided.length} conditions that cannot be decided; at most ${MAX_BRANCHING_CONDITIONS} are evaluated both ways (${followed.join(', ')}), so ${notFollowed.join(', ')} ${notFollowed.length === 1 ? 'is' : 'are'} not followed: values under ${notFollowed.length === 1 ? 'it' : 'them'} are unresolved (FW303)`,
      resource.keyRange);
  }
  return undecided.slice(0, MAX_BRANCHING_CONDITIONS);
}

/**
 * Parameters without a value but with finitely many possible ones (`AllowedValues`, a `FindInMap`'s keys; see
 * `Template.possibleValues`) that the resource's rules read: each is evaluated once per value, as an undecidable
 * condition is both ways, so `!FindInMap [Nets, !Ref Env, Cidr]` gives the rule of each `Env`. They share the
 * conditions' budget (2^MAX_BRANCHING_CONDITIONS evaluations): a parameter with more values than the conditions leave
 * room for stays unresolved (FW303). Conditions the followed parameters decide (`IsDev: !Equals [!Ref Env, dev]`) are
 * then not branched on: the parameter's value says which holds.
 */
function branchingParameters(base: Scope, resource: ResourceInfo, conditions: string[]): { names: string[]; dimensions: Array<[string, readonly string[]]>; shortfall?: Shortfall } {
  if (!resource.properties) return { names: conditions, dimensions: [] };
  const ruleProperties = Object.hasOwn(RULE_PROPERTIES, resource.type) ? RULE_PROPERTIES[resource.type] : undefined;
  let room = 2 ** (MAX_BRANCHING_CONDITIONS - conditions.length);
  const dimensions: Array<[string, readonly string[]]> = [];
  const oversized = new Map<string, number>();
  const domains = unsetParameterDomains(base.template, resource.properties, ruleProperties, oversized);
  addPrefixListEntryDomains(base.template, resource.properties, domains, oversized);
  const unread: string[] = [];
  for (const [parameter, values] of domains) {
    if (values.length > room) {
      unread.push(parameter);
      continue;
    }
    dimensions.push([parameter, values]);
    room = Math.floor(room / values.length);
  }
  unread.push(...oversized.keys());
  const shortfall: Shortfall | undefined = unread.length === 0 ? undefined : {
    range: resource.keyRange,
    counts: [...[...domains].map(([parameter, values]): [string, number] => [parameter, values.length]), ...oversized],
    unread,
    conditions: conditions.length,
  };
  if (dimensions.length === 0) return { names: conditions, dimensions, ...(shortfall ? { shortfall } : {}) };
  const scopes = valueCombinations(dimensions).map((values) => new Scope(base.template, new Map(), new Map(dimensions.map(([parameter], index) => [parameter, values[index]!]))));
  return { names: conditions.filter((name) => scopes.some((scope) => scope.condition(name) === undefined)), dimensions, ...(shortfall ? { shortfall } : {}) };
}

/** Parameters a resource's rules read that have few values but are not read per value, as they exceed the budget. */
export interface Shortfall {
  /** The resource's logical id, where the template's warning is reported when it is the first. */
  range: SourceRange;
  /** Every such parameter the resource reads, read per value or not, with its number of values, in order of use. */
  counts: Array<[string, number]>;
  unread: string[];
  /** Undecidable conditions evaluated both ways, which share the budget. */
  conditions: number;
}

/**
 * One warning per template naming the parameters whose values its resources' rules are not read with, as they (with
 * the others and the conditions read beside them) exceed the budget: the values they give stay unresolved (FW303).
 */
export function reportShortfall(template: Template, shortfalls: readonly Shortfall[]): void {
  if (shortfalls.length === 0) return;
  const counts = new Map<string, number>();
  const unread = new Set<string>();
  let conditions = 0;
  for (const shortfall of shortfalls) {
    for (const [parameter, count] of shortfall.counts) if (!counts.has(parameter)) counts.set(parameter, count);
    for (const parameter of shortfall.unread) unread.add(parameter);
    conditions = Math.max(conditions, shortfall.conditions);
  }
  const factors = [...counts.values(), ...Array.from({ length: conditions }, () => 2)];
  const total = factors.reduce((product, factor) => product * factor, 1);
  const several = factors.length > 1;
  const subject = `${counts.size === 1 ? 'parameter' : 'parameters'} ${[...counts.keys()].join(', ')}${conditions === 0 ? '' : ` with ${conditions} undecidable condition${conditions === 1 ? '' : 's'}`}`;
  const size = several ? `${factors.join('×')} = ${total} combinations` : `${total} values`;
  const left = [...unread];
  const them = left.length === 1 ? 'it' : 'them';
  const which = left.length === counts.size && conditions === 0 ? '' : `${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} not read per value, so `;
  template.report('warning', 'parse/cfn-too-many-values',
    `${subject} (${size}) exceed${several ? '' : 's'} the ${2 ** MAX_BRANCHING_CONDITIONS} combinations read per value; ${which}rules using ${them} are unresolved (FW303): pass --param to pin ${factors.length === 1 ? 'it' : 'some'}`,
    shortfalls[0]!.range);
}

/**
 * Reports what reading a resource per parameter value reported: once, with the values it was reported under
 * (` (when Env=dev)`, as a finding's branch says them) unless it was reported under every value read.
 */
function reportWithValues(template: Template, reported: ReadonlyArray<{ report: PendingReport; combinations: ReadonlySet<number> }>, read: ReadonlySet<number>,
  dimensions: ReadonlyArray<readonly [string, readonly string[]]>, combinations: readonly string[][]): void {
  for (const { report, combinations: under } of reported) {
    const everywhere = [...read].every((combination) => under.has(combination));
    const boxes = everywhere ? [] : valueBoxes([...under].sort((a, b) => a - b).map((index) => combinations[index]!), dimensions).map((box) => box.flatMap((values, dimension) => {
      const [parameter, domain] = dimensions[dimension]!;
      return values.length < domain.length ? [`${parameter}=${values.join('|')}`] : [];
    }));
    const note = boxes.length === 0 || boxes.some((parts) => parts.length === 0) ? '' : ` (when ${boxes.map((parts) => parts.join(', ')).join(' or ')})`;
    template.report(report.severity, report.code, `${report.message}${note}`, report.range);
  }
}

/** Every combination of one value per dimension, the first dimension varying slowest; one empty one for none. */
function valueCombinations(dimensions: ReadonlyArray<readonly [string, readonly string[]]>): string[][] {
  let combinations: string[][] = [[]];
  for (const [, values] of dimensions) combinations = combinations.flatMap((before) => values.map((value) => [...before, value]));
  return combinations;
}

/** How a resource was evaluated: condition assignments (`names`) within each combination of parameter values. */
interface Branches {
  names: string[];
  assignments: number;
  /** Per combination: the assignments that can happen, and those that give a parameter two values. */
  possible: number[];
  twoValued: Array<Set<number>>;
  dimensions: Array<[string, readonly string[]]>;
  combinations: string[][];
}

/**
 * Which branches a rule exists under (`masks`: `combination * assignments + mask`), as tags: the conditions' part as
 * `branchTags` gives it within each combination of parameter values, then the values of each parameter under which
 * the rule has that part (`Env=dev`, `Env=prod|test`); a parameter whose every value gives it is left out.
 */
function parameterBranchTags(branches: Branches, masks: ReadonlySet<number>, template: Template): Array<string | undefined> {
  const { names, assignments, possible, twoValued, dimensions, combinations } = branches;
  // Condition part ('' for none) → the combinations it holds in.
  const byPart = new Map<string, number[]>();
  for (let combination = 0; combination < combinations.length; combination++) {
    const own = new Set([...masks].filter((index) => Math.floor(index / assignments) === combination).map((index) => index % assignments));
    if (own.size === 0) continue;
    for (const part of branchTags(names, own, possible[combination]!, twoValued[combination]!, template)) {
      const list = byPart.get(part ?? '') ?? [];
      list.push(combination);
      byPart.set(part ?? '', list);
    }
  }
  const tags = new Set<string | undefined>();
  for (const [part, combinationIndexes] of byPart) {
    for (const box of valueBoxes(combinationIndexes.map((index) => combinations[index]!), dimensions)) {
      const parts = part === '' ? [] : [part];
      box.forEach((values, dimension) => {
        const [parameter, domain] = dimensions[dimension]!;
        if (values.length < domain.length) parts.push(`${parameter}=${values.join('|')}`);
      });
      tags.add(parts.length > 0 ? parts.join(',') : undefined);
    }
  }
  return [...tags];
}

/**
 * Combinations of parameter values as fewer boxes (a set of values per dimension) with the same union: combinations
 * equal but in one dimension are merged, dimension by dimension. Values keep their order in the dimension.
 */
function valueBoxes(combinations: readonly string[][], dimensions: ReadonlyArray<readonly [string, readonly string[]]>): string[][][] {
  let boxes = combinations.map((values) => values.map((value) => [value]));
  for (let dimension = 0; dimension < dimensions.length; dimension++) {
    const merged = new Map<string, string[][]>();
    for (const box of boxes) {
      const key = JSON.stringify(box.filter((_values, other) => other !== dimension));
      const before = merged.get(key);
      if (before) before[dimension] = dimensions[dimension]![1].filter((value) => before[dimension]!.includes(value) || box[dimension]!.includes(value));
      else merged.set(key, box.map((values) => [...values]));
    }
    boxes = [...merged.values()];
  }
  return boxes;
}

/**
 * Which branches a rule exists under, as `Cond=true,Other=false` tags. A condition the rule does not depend on
 * (present both ways) is left out, so a rule present under every assignment gets no tag at all. A true condition that
 * tests a parameter other conditions test for other values (`IsProd: !Equals [!Ref Env, prod]` beside
 * `IsDev: !Equals [!Ref Env, dev]`) adds the parameter's value (`IsProd=true,Env=prod`): a rule of another resource
 * under `IsDev=true,Env=dev` then never coexists with it, as checks see from the two values of `Env`. An `!Or` of
 * such tests gives its values together (`IsB=true,Env=prod|test`), also beside a condition testing for one of them. A false
 * condition of that parameter is implied by the value and left out.
 */
function branchTags(names: string[], masks: Set<number>, possible: number, twoValued: ReadonlySet<number>, template: Template): Array<string | undefined> {
  if (masks.size === possible) return [undefined];
  // A condition matters when flipping it changes whether the rule exists, unless the flip gives a parameter two
  // values: the parameter's value (below) says that. A flip a derived condition forbids still counts, so tags name
  // the conditions a derived one is defined by.
  const relevantBits = names.map((_name, bit) => bit).filter((bit) => [...masks].some((mask) => {
    const flipped = mask ^ (1 << bit);
    return !masks.has(flipped) && !twoValued.has(flipped);
  }));
  // A parameter must not pass for a condition of its name: tags are `name=value` pairs.
  const tests = names.map((name) => {
    const test = template.parameterTest(name);
    return test && !template.conditions.has(test.parameter) ? test : undefined;
  });
  const testedParameters = [...new Set(relevantBits.flatMap((bit) => tests[bit]?.parameter ?? []))];
  const tags = new Set<string>();
  for (const mask of [...masks].sort((a, b) => b - a)) {
    const isTrue = (bit: number): boolean => (mask & (1 << bit)) !== 0;
    const values = new Map<string, string>();
    for (const parameter of testedParameters) {
      const testsOf = (holds: boolean): ParameterTest[] => relevantBits.flatMap((bit) => (isTrue(bit) === holds && tests[bit]?.parameter === parameter ? [tests[bit]!] : []));
      const value = template.valueTag(parameter, testsOf(true), testsOf(false));
      if (value !== undefined) values.set(parameter, value);
    }
    const parts = relevantBits.filter((bit) => isTrue(bit) || !values.has(tests[bit]?.parameter ?? '')).map((bit) => `${names[bit]}=${isTrue(bit)}`);
    for (const [parameter, value] of values) parts.push(`${parameter}=${value}`);
    tags.add(parts.join(','));
  }
  return [...tags];
}

function finishRule(draft: Draft, branch: string | undefined, domains: Rule['branchDomains']): Rule {
  const rule: Rule = { ...draft.rule, id: draft.baseId };
  return branch ? underBranch(rule, branch, domains) : rule;
}

/**
 * `rule` existing only under `branch` (`Rule.branch`), before the branch it has (a rule of a nested stack under its
 * parent's branch): its id and description say the whole branch, its `branchDomains` hold both's.
 */
export function underBranch(rule: Rule, branch: string, domains: Rule['branchDomains']): Rule {
  const own = rule.branch;
  const baseId = own === undefined ? rule.id : rule.id.slice(0, rule.id.length - own.length - 1);
  const description = own === undefined || rule.description === undefined ? rule.description
    : rule.description === `when ${own}` ? undefined : rule.description.slice(0, rule.description.length - ` (when ${own})`.length);
  const whole = own === undefined ? branch : `${branch},${own}`;
  const result: Rule = { ...rule, id: `${baseId}?${whole}`, branch: whole, description: description ? `${description} (when ${whole})` : `when ${whole}` };
  if (domains || rule.branchDomains) result.branchDomains = { ...domains, ...rule.branchDomains };
  return result;
}

/** A target's rules in the order of the template. */
export function sortRules(target: Target): void {
  target.rules.sort((a, b) => a.location.range.startLine - b.location.range.startLine
    || a.location.range.startColumn - b.location.range.startColumn || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

type Drafter = (scope: Scope, resource: ResourceInfo, targets: ReadonlyMap<string, Target>) => Draft[];

const DRAFTERS: Record<string, Drafter> = {
  [SECURITY_GROUP]: securityGroupDrafts,
  [SECURITY_GROUP_INGRESS]: (scope, resource, targets) => standaloneDrafts(scope, resource, targets, 'in'),
  [SECURITY_GROUP_EGRESS]: (scope, resource, targets) => standaloneDrafts(scope, resource, targets, 'out'),
  [NETWORK_ACL_ENTRY]: networkAclEntryDrafts,
};

function securityGroupDrafts(scope: Scope, resource: ResourceInfo, targets: ReadonlyMap<string, Target>): Draft[] {
  if (!targets.has(resource.logicalId)) return [];
  const file = scope.template.file;
  const properties = resource.properties ? scope.evaluate(resource.properties) : { kind: 'absent' as const, node: resource.body };
  const drafts: Draft[] = [];
  let egressListed = false;
  for (const [property, direction] of [['SecurityGroupIngress', 'in'], ['SecurityGroupEgress', 'out']] as const) {
    const value = scope.property(properties, property);
    const site = (address: string, range: SourceRange): RuleSite => ({
      scope, resource, targetId: resource.logicalId, platform: 'aws-sg', direction, address,
      location: { file, range }, ownGroup: { logicalId: resource.logicalId },
    });
    if (properties.kind === 'unknown') {
      drafts.push(placeholderDraft(site(`${resource.logicalId}.${property}`, resource.range), 'Properties', properties));
      egressListed = true;
      continue;
    }
    if (value.kind === 'absent') continue;
    if (value.kind === 'unknown') {
      drafts.push(placeholderDraft(site(`${resource.logicalId}.${property}`, value.node.range), property, value));
      if (direction === 'out') egressListed = true;
      continue;
    }
    if (value.kind !== 'list') {
      scope.template.report('error', 'parse/cfn-bad-property', `${property} must be a list of rules`, value.node.range);
      if (direction === 'out') egressListed = true;
      continue;
    }
    // Index by the list as written, so `WebSG.SecurityGroupIngress[2]` stays item 2 when an earlier one is removed.
    const written = value.node.kind === 'list' ? value.node.items.map((node) => scope.evaluate(node)) : value.items;
    written.forEach((item, index) => {
      if (item.kind === 'absent') return;
      if (direction === 'out') egressListed = true;
      const address = `${resource.logicalId}.${property}[${index}]`;
      const itemSite = site(address, item.node.range);
      if (item.kind === 'unknown') drafts.push(placeholderDraft(itemSite, `${property}[${index}]`, item));
      else if (item.kind !== 'map') scope.template.report('error', 'parse/cfn-bad-property', `${property}[${index}] must be a mapping`, item.node.range);
      else drafts.push(...securityGroupRuleDrafts(itemSite, item).filter((draft) => !isDisallowAllSentinel(draft)));
    });
  }
  if (!egressListed) drafts.push(...defaultEgressDrafts(scope, resource));
  return drafts;
}

/**
 * AWS CDK's "disallow all traffic" egress (ICMP type 252 code 86 to 255.255.255.255/32): listed only so that AWS adds
 * no default egress; it admits nothing, so it is not a rule of the model (aws-cdk PR #998).
 */
function isDisallowAllSentinel(draft: Draft): boolean {
  const { rule } = draft;
  return (
    rule.direction === 'out' &&
    rule.protocol.kind === 'number' &&
    rule.protocol.value === 1 &&
    rule.icmp?.type === 252 &&
    rule.icmp.code === 86 &&
    rule.peer.kind === 'addresses' &&
    rule.peer.addresses.toString() === '255.255.255.255/32'
  );
}

/**
 * AWS adds allow-all egress to a group created without egress rules; listing any egress rule removes it
 * (AWS::EC2::SecurityGroup reference, SecurityGroupEgress; formats.md §3.1). Both families, as the brief of #5 asks.
 */
function defaultEgressDrafts(scope: Scope, resource: ResourceInfo): Draft[] {
  const range = resource.typeEntry?.range ?? resource.keyRange;
  const location = { file: scope.template.file, range };
  return [{
    targetId: resource.logicalId,
    baseId: `${resource.logicalId}.SecurityGroupEgress[default]`,
    rule: { kind: 'cloudformation', location, platform: 'aws-sg', resourceAddress: resource.logicalId, enabled: true, ...awsDefaultEgress() },
  }];
}

function standaloneDrafts(scope: Scope, resource: ResourceInfo, targets: ReadonlyMap<string, Target>, direction: Direction): Draft[] {
  const properties = resource.properties ? scope.evaluate(resource.properties) : { kind: 'absent' as const, node: resource.body };
  let groupField = 'GroupId';
  let group = scope.property(properties, groupField);
  // A default-VPC group may be named instead; `!Ref` of such a group returns its name.
  if (group.kind === 'absent' && direction === 'in') {
    groupField = 'GroupName';
    group = scope.property(properties, groupField);
  }
  const joined = group.kind === 'resource' && group.resourceType === SECURITY_GROUP && targets.has(group.logicalId) ? group.logicalId : undefined;
  const site: RuleSite = {
    scope, resource, platform: 'aws-sg', direction, address: resource.logicalId,
    ...(joined ? { targetId: joined } : outsideTarget(scope, resource, groupField, group, SECURITY_GROUP, LITERAL_GROUP_ID)),
    location: { file: scope.template.file, range: resource.range },
    ownGroup: joined ? { logicalId: joined } : { literal: scalarText(group), shared: group.kind === 'unknown' ? sharedReferenceId(scope, group.node) : undefined },
  };
  if (properties.kind === 'unknown') return [placeholderDraft(site, 'Properties', properties)];
  if (properties.kind !== 'map') {
    scope.template.report('error', 'parse/cfn-bad-property', `${resource.logicalId} has no Properties`, resource.keyRange);
    return [];
  }
  return securityGroupRuleDrafts(site, properties);
}

/**
 * The target of a standalone resource whose group or ACL (`reference`) is not one of the template. Resources naming
 * the same outside one share a target: a literal id (`sg-0123…`, also through a parameter with a value) is its id,
 * in every template of the scan (`joinSharedGroups`);
 * `!ImportValue name` is `ImportValue:name` and a parameter without a value `Parameter:Name`, both noted as
 * unresolved. Any other reference leaves the resource a target of its own, noted as unresolved when it is unknown.
 * Logical ids are alphanumeric, so these ids never name a group or ACL of the template.
 */
function outsideTarget(scope: Scope, resource: ResourceInfo, field: string, reference: Value, resourceType: string, literalId: RegExp): { targetId: string; outside: OutsideTarget } {
  const own = { targetId: resource.logicalId, outside: { resourceType: resource.type, location: { file: scope.template.file, range: resource.keyRange } } };
  const location = { file: scope.template.file, range: reference.node.range };
  const text = scalarText(reference);
  if (text !== undefined) return literalId.test(text) ? { targetId: text, outside: { resourceType, location, definedElsewhere: true } } : own;
  if (reference.kind !== 'unknown') return own;
  const unknown: UnknownValue = { field: `${resource.logicalId}.${field}`, expr: reference.expr, location };
  const shared = sharedReferenceId(scope, reference.node);
  return shared ? { targetId: shared, outside: { resourceType, location, unknown, definedElsewhere: true } } : { ...own, outside: { ...own.outside, unknown, definedElsewhere: true } };
}

/** `ImportValue:name` or `Parameter:Name` for a reference every resource writing it resolves alike once deployed. */
function sharedReferenceId(scope: Scope, node: TemplateNode): string | undefined {
  const imported = importedId(scope, node);
  if (imported !== undefined) return imported;
  const name = referencedParameter(scope, node);
  return name !== undefined ? `Parameter:${name}` : undefined;
}

/**
 * The id of a peer group (`SourceSecurityGroupId: …`) written as a reference fwlint cannot resolve but that names one
 * group, the same wherever it is written: `ImportValue:name`, or `Parameter:Name` for a parameter without value. A
 * refused value stays unresolved, as it does elsewhere, and a list parameter is not one group.
 */
function peerGroupId(scope: Scope, node: TemplateNode): string | undefined {
  const imported = importedId(scope, node);
  if (imported !== undefined) return imported;
  const name = referencedParameter(scope, node);
  const parameter = name === undefined ? undefined : scope.template.parameter(name);
  return parameter && !parameter.refused && !/CommaDelimitedList|List</.test(parameter.type) ? `Parameter:${name}` : undefined;
}

/** `Name` of a parameter referenced alone: `!Ref Name`, or `!Sub "${Name}"` without `Name` in a variables map. */
function referencedParameter(scope: Scope, node: TemplateNode): string | undefined {
  const intrinsic = intrinsicOf(node);
  const name = intrinsic?.key === 'Ref' ? plainName(intrinsic.value) : intrinsic?.key === 'Fn::Sub' ? wholeSubName(intrinsic.value) : undefined;
  return name !== undefined && scope.template.parameter(name) ? name : undefined;
}

/**
 * `ImportValue:name` for `!ImportValue name`: the id of a group (or ACL) another stack exports, the same for every
 * reference to that export, as a target and as a peer. The export's name may be built (`!Sub "${Network}-AppSgId"`):
 * known once its parts are.
 */
function importedId(scope: Scope, node: TemplateNode): string | undefined {
  const intrinsic = intrinsicOf(node);
  if (intrinsic?.key !== 'Fn::ImportValue') return undefined;
  const name = scalarText(scope.evaluate(intrinsic.value));
  return name === undefined ? undefined : `ImportValue:${name}`;
}

function plainName(node: TemplateNode): string | undefined {
  return node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** `Name` of `Fn::Sub: "${Name}"` (or `["${Name}", {…}]` without `Name` in the map); undefined for any other text. */
function wholeSubName(operand: TemplateNode): string | undefined {
  const [template, variables] = operand.kind === 'list' ? operand.items : [operand, undefined];
  const name = template ? /^\$\{\s*([A-Za-z0-9:]+)\s*\}$/.exec(plainName(template) ?? '')?.[1] : undefined;
  if (name === undefined) return undefined;
  return variables?.kind === 'map' && entryOf(variables, name) ? undefined : name;
}

/** One draft per peer of a security group rule (inline item or standalone resource). */
function securityGroupRuleDrafts(site: RuleSite, item: Value): Draft[] {
  const { scope } = site;
  const unknowns: UnknownValue[] = [];
  const protocolValue = scope.property(item, 'IpProtocol');
  const read = readProtocol(site, protocolValue, 'IpProtocol', 'aws-sg');
  if (read === 'drop') return [];
  // An unresolved protocol keeps the rule with its protocol unknown: FW101 judges it on every protocol it could be.
  const protocol = read === 'unknown' ? unresolvedProtocolOf(site, protocolValue, 'IpProtocol', unknowns) : read;
  const scopeOfPorts = read === 'unknown' ? { ports: portsOfUnresolvedProtocol(site, item, 'FromPort', 'ToPort', unknowns) } : readSecurityGroupPorts(site, item, read, unknowns);
  if (scopeOfPorts === 'drop') return [];
  const peers = readPeers(site, item, PEER_PROPERTIES[site.direction]);
  if (peers === 'drop') return [];
  if (peers.length === 0) {
    // A rule without source or destination has deployed without creating any rule (CDK CfnSecurityGroupIngress docs).
    scope.template.report('warning', 'parse/cfn-rule-without-peer',
      `${site.address} names no ${site.direction === 'in' ? 'source' : 'destination'} (${PEER_PROPERTIES[site.direction].join(', ')}); no rule is created${branchNote(scope, item, PEER_PROPERTIES[site.direction])}`,
      site.location.range);
    return [];
  }
  if (peerFields(peers).length > 1) {
    scope.template.report('warning', 'parse/cfn-multiple-peers',
      `${site.address} names ${peerFields(peers).join(' and ')}; AWS expects exactly one, each is checked as its own rule`,
      site.location.range);
  }
  const description = scalarText(scope.property(item, 'Description'));
  return peers.map((peer) => makeDraft(site, {
    baseId: peerBaseId(site, peers, peer),
    protocol,
    ports: scopeOfPorts.ports,
    icmp: scopeOfPorts.icmp,
    peer: peer.peer,
    peerLocation: peer.location,
    action: 'allow',
    priority: null,
    description,
    unknowns: [...unknowns, ...peer.unknowns],
  }));
}

function networkAclEntryDrafts(scope: Scope, resource: ResourceInfo, targets: ReadonlyMap<string, Target>): Draft[] {
  const file = scope.template.file;
  const properties = resource.properties ? scope.evaluate(resource.properties) : { kind: 'absent' as const, node: resource.body };
  const acl = scope.property(properties, 'NetworkAclId');
  const joined = acl.kind === 'resource' && acl.resourceType === NETWORK_ACL && targets.has(acl.logicalId) ? acl.logicalId : undefined;
  const egress = scope.property(properties, 'Egress');
  const egressText = egress.kind === 'absent' ? 'false' : scalarText(egress)?.toLowerCase();
  const site: RuleSite = {
    scope, resource, platform: 'aws-nacl', direction: egressText === 'true' ? 'out' : 'in', address: resource.logicalId,
    ...(joined ? { targetId: joined } : outsideTarget(scope, resource, 'NetworkAclId', acl, NETWORK_ACL, LITERAL_ACL_ID)),
    location: { file, range: resource.range },
  };
  if (properties.kind === 'unknown') return [placeholderDraft(site, 'Properties', properties)];
  if (properties.kind !== 'map') {
    scope.template.report('error', 'parse/cfn-bad-property', `${resource.logicalId} has no Properties`, resource.keyRange);
    return [];
  }
  if (egress.kind === 'unknown') return [placeholderDraft(site, 'Egress', egress)];
  if (egressText !== 'true' && egressText !== 'false') {
    scope.template.report('error', 'parse/cfn-bad-property', `Egress must be true or false, not ${describeNode(egress.node)}`, egress.node.range);
    return [];
  }
  const unknowns: UnknownValue[] = [];
  // Rule numbers 1–32766 (AWS::EC2::NetworkAclEntry); lower numbers are evaluated first.
  const ruleNumberValue = scope.property(properties, 'RuleNumber');
  const ruleNumber = readInteger(site, ruleNumberValue, 'RuleNumber', 1, 32766, unknowns);
  if (ruleNumber === 'drop') return [];
  const actionValue = scope.property(properties, 'RuleAction');
  if (actionValue.kind === 'unknown') return [placeholderDraft(site, 'RuleAction', actionValue)];
  const actionText = scalarText(actionValue);
  const action = actionText?.toLowerCase();
  if (action !== 'allow' && action !== 'deny') {
    scope.template.report('error', 'parse/cfn-bad-property', `RuleAction must be allow or deny${actionText === undefined ? '' : `, not ${actionText}`}`,
      actionValue.node.range);
    return [];
  }
  if (actionText !== action) {
    scope.template.report('warning', 'parse/cfn-noncanonical', `RuleAction "${actionText}" is accepted case-insensitively by fwlint; write "${action}"`, actionValue.node.range);
  }
  const protocolValue = scope.property(properties, 'Protocol');
  const read = readProtocol(site, protocolValue, 'Protocol', 'aws-nacl');
  if (read === 'drop') return [];
  const protocol = read === 'unknown' ? unresolvedProtocolOf(site, protocolValue, 'Protocol', unknowns) : read;
  let ports = PortSet.ALL;
  let icmp: Rule['icmp'];
  if (read === 'unknown') {
    const range = scope.property(properties, 'PortRange');
    if (range.kind === 'unknown') {
      unknowns.push({ field: 'PortRange', expr: range.expr, location: { file, range: range.node.range } });
      ports = PortSet.EMPTY;
    } else if (range.kind === 'map') ports = portsOfUnresolvedProtocol(site, range, 'From', 'To', unknowns, 'PortRange.');
  } else if (isTcpOrUdp(protocol)) {
    // PortRange is required for TCP and UDP, ignored otherwise (AWS::EC2::NetworkAclEntry).
    const range = scope.property(properties, 'PortRange');
    const read = readPortRange(site, range, 'PortRange', 'From', 'To', unknowns);
    if (read === 'drop') return [];
    ports = read;
  } else if (isIcmp(protocol)) {
    const icmpValue = scope.property(properties, 'Icmp');
    if (icmpValue.kind === 'absent') {
      scope.template.report('warning', 'parse/cfn-missing-property', `${resource.logicalId}: Icmp { Type, Code } is required for ICMP; read as all types and codes`, site.location.range);
      icmp = { type: 'any', code: 'any' };
    } else {
      const type = readIcmpField(site, scope.property(icmpValue, 'Type'), 'Icmp.Type', unknowns);
      const code = readIcmpField(site, scope.property(icmpValue, 'Code'), 'Icmp.Code', unknowns);
      if (type === 'drop' || code === 'drop') return [];
      if (type === 'unknown' || code === 'unknown') ports = PortSet.EMPTY;
      else icmp = { type, code };
    }
  }
  const peers = readPeers(site, properties, ['CidrBlock', 'Ipv6CidrBlock']);
  if (peers === 'drop') return [];
  if (peers.length === 0) {
    scope.template.report('error', 'parse/cfn-rule-without-peer', `${resource.logicalId} needs CidrBlock or Ipv6CidrBlock${branchNote(scope, properties, ['CidrBlock', 'Ipv6CidrBlock'])}`, site.location.range);
    return [];
  }
  return peers.map((peer) => makeDraft(site, {
    baseId: peers.length > 1 ? `${site.address}#${peer.field}` : site.address,
    protocol,
    ports,
    icmp,
    peer: peer.peer,
    peerLocation: peer.location,
    action,
    priority: typeof ruleNumber === 'number' ? ruleNumber : null,
    description: undefined,
    unknowns: [...unknowns, ...peer.unknowns],
  }));
}

/**
 * ` (when IsProd=false)`: the branch a diagnostic about the given properties holds in, when their values depend on
 * undecidable conditions (as findings on branch rules say); empty otherwise.
 */
function branchNote(scope: Scope, holder: Value, fields: readonly string[]): string {
  const names: string[] = [];
  for (const field of fields) {
    const entry = scope.entry(holder, field);
    if (entry) ifConditionNames(entry.value, names);
  }
  const parts = names.flatMap((name) => {
    const value = scope.assigned(name);
    return value === undefined ? [] : [`${name}=${value}`];
  });
  return parts.length > 0 ? ` (when ${parts.join(', ')})` : '';
}

interface DraftFields {
  baseId: string;
  protocol: Protocol;
  ports: PortSet;
  icmp: Rule['icmp'];
  peer: Peer;
  peerLocation: SourceLocation | undefined;
  action: Rule['action'];
  priority: number | null;
  description: string | undefined;
  unknowns: UnknownValue[];
}

function makeDraft(site: RuleSite, fields: DraftFields): Draft {
  const rule: Omit<Rule, 'id' | 'contentKey'> = {
    kind: 'cloudformation',
    location: site.location,
    platform: site.platform,
    resourceAddress: site.address,
    direction: site.direction,
    action: fields.action,
    protocol: fields.protocol,
    ports: fields.ports,
    peer: fields.peer,
    priority: fields.priority,
    enabled: true,
    unknowns: fields.unknowns,
  };
  if (fields.peerLocation) rule.peerLocation = fields.peerLocation;
  if (fields.icmp) rule.icmp = fields.icmp;
  if (fields.description !== undefined) rule.description = fields.description;
  // A rule resource of its own made by a loop item (an inline rule of a stamped-out group is that group's).
  const loopItem = site.address === site.resource.logicalId ? site.resource.loopItem : undefined;
  if (loopItem) {
    rule.loopItem = {
      loop: loopItem.loop,
      value: loopItem.value,
      ...(loopItem.valueRange ? { valueLocation: { file: site.location.file, range: loopItem.valueRange } } : {}),
      ...(loopItem.levels ? { levels: loopItem.levels } : {}),
      ...(loopItem.output ? { output: loopItem.output } : {}),
    };
  }
  const draft: Draft = { targetId: site.targetId, baseId: fields.baseId, rule };
  if (site.outside) draft.outside = site.outside;
  return draft;
}

/**
 * A rule whose extent cannot be known (its direction, action or the whole rule list is unresolved): kept so
 * FW303 reports it, but it allows nothing, since an unknown is never open. Peer unknown, protocol any, no ports.
 */
function placeholderDraft(site: RuleSite, field: string, value: Value): Draft {
  const expr = value.kind === 'unknown' ? value.expr : describeNode(value.node);
  const location = { file: site.scope.template.file, range: value.node.range };
  return makeDraft(site, {
    baseId: site.address,
    protocol: ANY_PROTOCOL,
    ports: PortSet.EMPTY,
    icmp: undefined,
    peer: { kind: 'unknown', expr },
    peerLocation: location,
    action: 'allow',
    priority: null,
    description: undefined,
    unknowns: [{ field, expr, location }],
  });
}

function isTcpOrUdp(protocol: Protocol): boolean {
  return protocol.kind === 'number' && (protocol.value === 6 || protocol.value === 17);
}

function isIcmp(protocol: Protocol): boolean {
  return protocol.kind === 'number' && (protocol.value === 1 || protocol.value === 58);
}

/**
 * `-1`/`all`, names and numbers, compared case-insensitively; a non-canonical spelling (`TCP`, `any`) is a warning.
 * Network ACL entries take numbers only (AWS::EC2::NetworkAclEntry Protocol is an Integer).
 */
function readProtocol(site: RuleSite, value: Value, field: string, platform: Platform): KnownProtocol | 'drop' | 'unknown' {
  const { scope } = site;
  if (value.kind === 'unknown') return 'unknown';
  const text = scalarText(value);
  if (text === undefined) {
    scope.template.report('error', 'parse/cfn-missing-property', `${site.address}: ${field} is required`, value.kind === 'absent' ? site.location.range : value.node.range);
    return 'drop';
  }
  const protocol = parseProtocol(text);
  if (!protocol) {
    scope.template.report('error', 'parse/cfn-bad-protocol', `${site.address}: ${field} "${writtenText(value)}" is not a protocol name or number (0-255, or -1 for all)`, value.node.range);
    return 'drop';
  }
  const lower = text.trim().toLowerCase();
  const canonical = platform === 'aws-nacl' ? /^(-1|\d{1,3})$/.test(lower) : lower === text && lower !== 'any' && lower !== '*';
  if (!canonical) {
    const suggestion = protocol.kind === 'any' ? '-1' : platform === 'aws-nacl' ? String(protocol.value) : lower;
    scope.template.report('warning', 'parse/cfn-noncanonical', `${site.address}: ${field} "${text}" is read as "${suggestion}"; write "${suggestion}"`, value.node.range);
  }
  return protocol;
}

/** The protocol of an unresolved `IpProtocol` or `Protocol` (`value`), its unknown recorded for FW303. */
function unresolvedProtocolOf(site: RuleSite, value: Value, field: string, unknowns: UnknownValue[]): Protocol {
  const expr = value.kind === 'unknown' ? value.expr : describeNode(value.node);
  unknowns.push({ field, expr, location: { file: site.scope.template.file, range: value.node.range } });
  return unresolvedProtocol(expr);
}

/**
 * The ports of a rule whose protocol is unresolved, from `fromKey`/`toKey` of `holder`: a TCP/UDP range where they
 * are one (what they are if the value turns out `tcp` or `udp`), else every port (`-1`, absent: what they are for
 * `-1` and protocols without ports); none, their unknowns recorded, where they are unresolved too. Never an error:
 * bounds that are no port range are valid for other protocols (ICMP type and code).
 */
function portsOfUnresolvedProtocol(site: RuleSite, holder: Value, fromKey: string, toKey: string, unknowns: UnknownValue[], prefix = ''): PortSet {
  const { scope } = site;
  const from = scope.property(holder, fromKey);
  const to = scope.property(holder, toKey);
  const unresolved = ([[fromKey, from], [toKey, to]] as const).filter(([, value]) => value.kind === 'unknown');
  const [first, last] = [from, to].map((value) => (/^\s*-?\d+\s*$/.test(scalarText(value) ?? '') ? Number(scalarText(value)) : NaN)) as [number, number];
  for (const [key, value] of unresolved) {
    if (value.kind === 'unknown') unknowns.push(withPortsWithin({ field: `${prefix}${key}`, expr: value.expr, location: { file: scope.template.file, range: value.node.range } }, first, last));
  }
  if (unresolved.length > 0) return PortSet.EMPTY;
  const isPortRange = Number.isInteger(first) && Number.isInteger(last) && first >= 0 && first <= last && last <= 65535;
  return isPortRange ? PortSet.range(first, last) : PortSet.ALL;
}

/** FromPort/ToPort: a port range for TCP/UDP, ICMP type and code for ICMP, ignored for other protocols. */
function readSecurityGroupPorts(site: RuleSite, item: Value, protocol: KnownProtocol, unknowns: UnknownValue[]): { ports: PortSet; icmp?: Rule['icmp'] } | 'drop' {
  const { scope } = site;
  if (isTcpOrUdp(protocol)) {
    const ports = readPortRange(site, item, undefined, 'FromPort', 'ToPort', unknowns);
    return ports === 'drop' ? 'drop' : { ports };
  }
  if (isIcmp(protocol)) {
    // ICMP: FromPort is the type, ToPort the code, -1 meaning all (EC2 IpPermission).
    const type = readIcmpField(site, scope.property(item, 'FromPort'), 'FromPort', unknowns);
    const code = readIcmpField(site, scope.property(item, 'ToPort'), 'ToPort', unknowns);
    if (type === 'drop' || code === 'drop') return 'drop';
    // An unresolved type or code: no ports, the rule admits nothing for certain (FW303's note; it exposes no port).
    return type === 'unknown' || code === 'unknown' ? { ports: PortSet.EMPTY } : { ports: PortSet.ALL, icmp: { type, code } };
  }
  // -1 and protocols other than TCP, UDP, ICMP and ICMPv6 allow all ports whatever range is given (EC2 API).
  return { ports: PortSet.ALL };
}

/**
 * A TCP/UDP port range, validated strictly: a missing, out-of-range or reversed bound is an error and drops the
 * rule (CloudFormation would reject the stack); an unresolved bound keeps the rule with no ports plus an unknown.
 */
function readPortRange(site: RuleSite, holder: Value, holderName: string | undefined, fromKey: string, toKey: string, unknowns: UnknownValue[]): PortSet | 'drop' {
  const { scope } = site;
  const prefix = holderName ? `${holderName}.` : '';
  if (holderName && holder.kind === 'unknown') {
    unknowns.push({ field: holderName, expr: holder.expr, location: { file: scope.template.file, range: holder.node.range } });
    return PortSet.EMPTY;
  }
  if (holderName && holder.kind !== 'map') {
    scope.template.report('error', 'parse/cfn-missing-property', `${site.address}: ${holderName} { ${fromKey}, ${toKey} } is required for TCP and UDP`, site.location.range);
    return 'drop';
  }
  const bounds: UnknownValue[] = [];
  const from = readInteger(site, scope.property(holder, fromKey), `${prefix}${fromKey}`, 0, 65535, bounds);
  const to = readInteger(site, scope.property(holder, toKey), `${prefix}${toKey}`, 0, 65535, bounds);
  if (from === 'drop' || to === 'drop') return 'drop';
  // `FromPort: 443, ToPort: !Ref P`: the rule opens 443 up to the value, judged on those ports only.
  unknowns.push(...bounds.map((bound) => withPortsWithin(bound, typeof from === 'number' ? from : undefined, typeof to === 'number' ? to : undefined)));
  if (from === 'unknown' || to === 'unknown') return PortSet.EMPTY;
  if (from > to) {
    const range = scope.entry(holder, fromKey)?.range ?? site.location.range;
    scope.template.report('error', 'parse/cfn-bad-port', `${site.address}: port range ${from}-${to} is reversed`, range);
    return 'drop';
  }
  return PortSet.range(from, to);
}

/** An integer property within bounds; `unknown` is recorded in `unknowns`, bad values are reported errors. */
function readInteger(site: RuleSite, value: Value, field: string, min: number, max: number, unknowns: UnknownValue[]): number | 'unknown' | 'drop' {
  const { scope } = site;
  const file = scope.template.file;
  if (value.kind === 'unknown') {
    unknowns.push({ field, expr: value.expr, location: { file, range: value.node.range } });
    return 'unknown';
  }
  const text = scalarText(value);
  if (text === undefined) {
    scope.template.report('error', 'parse/cfn-missing-property', `${site.address}: ${field} is required`, value.kind === 'absent' ? site.location.range : value.node.range);
    return 'drop';
  }
  const number = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    scope.template.report('error', field === 'RuleNumber' ? 'parse/cfn-bad-rule-number' : 'parse/cfn-bad-port', `${site.address}: ${field} ${writtenText(value)} is not an integer in ${min}-${max}`, value.node.range);
    return 'drop';
  }
  return number;
}

/** ICMP type or code: 0–255, or -1 (absent too) for all; `unknown` recorded in `unknowns`. */
function readIcmpField(site: RuleSite, value: Value, field: string, unknowns: UnknownValue[]): number | 'any' | 'unknown' | 'drop' {
  if (value.kind === 'absent') return 'any';
  const number = readInteger(site, value, field, -1, 255, unknowns);
  if (number === 'unknown') return 'unknown';
  return number === -1 ? 'any' : number;
}

interface ReadPeer {
  field: string;
  peer: Peer;
  location: SourceLocation;
  unknowns: UnknownValue[];
  /** The second and later peers one property names (a prefix list's unknown entries beside its known ones). */
  part?: number;
}

/** The properties `peers` are read from, each once. */
function peerFields(peers: readonly ReadPeer[]): string[] {
  return [...new Set(peers.map((peer) => peer.field))];
}

/** The id of the rule one of `peers` is read into: the property is named when the item has several. */
function peerBaseId(site: RuleSite, peers: readonly ReadPeer[], peer: ReadPeer): string {
  const base = peerFields(peers).length > 1 ? `${site.address}#${peer.field}` : site.address;
  return peer.part === undefined ? base : `${base}#${peer.part}`;
}

/** Every peer property present, in the order listed; an invalid CIDR is an error and drops the rule. */
function readPeers(site: RuleSite, item: Value, fields: readonly string[]): ReadPeer[] | 'drop' {
  const { scope } = site;
  const file = scope.template.file;
  const peers: ReadPeer[] = [];
  for (const field of fields) {
    const value = scope.property(item, field);
    if (value.kind === 'absent') continue;
    const location = { file, range: value.node.range };
    const isGroupField = field.endsWith('SecurityGroupId') || field.endsWith('SecurityGroupName');
    // A group exported by another stack, or given by a parameter without value, is some one group: named after the
    // export or parameter, like such a target group.
    const named = isGroupField && value.kind === 'unknown' ? peerGroupId(scope, value.node) : undefined;
    if (named !== undefined) {
      peers.push({ field, peer: named === site.ownGroup?.shared ? { kind: 'self' } : { kind: 'sg-ref', id: named }, location, unknowns: [] });
      continue;
    }
    if (value.kind === 'unknown') {
      peers.push({ field, peer: { kind: 'unknown', expr: value.expr }, location, unknowns: [{ field, expr: value.expr, location }] });
      continue;
    }
    if (isGroupField) {
      const peer = groupPeer(site, value);
      if (!peer) {
        scope.template.report('error', 'parse/cfn-bad-peer', `${site.address}: ${field} must be a security group id or reference`, value.node.range);
        return 'drop';
      }
      peers.push({ field, peer, location, unknowns: [] });
      continue;
    }
    if (field.endsWith('PrefixListId') && value.kind === 'resource') {
      // `!Ref PL` / `!GetAtt PL.PrefixListId` of a prefix list in the template: its entries' CIDRs where they are
      // known, else the list named by its logical id.
      if (value.resourceType !== PREFIX_LIST) {
        scope.template.report('error', 'parse/cfn-bad-peer', `${site.address}: ${field} must be a prefix list id or reference, not ${describeNode(value.node)}, which is an ${value.resourceType}`, value.node.range);
        return 'drop';
      }
      const parts = prefixListParts(scope, value.logicalId) ?? [{ peer: { kind: 'prefix-list', id: value.logicalId }, unknowns: [] }];
      for (const [part, { peer, unknowns }] of parts.entries()) peers.push({ field, peer, location, unknowns, ...(part > 0 ? { part } : {}) });
      continue;
    }
    const text = scalarText(value);
    if (text === undefined) {
      scope.template.report('error', 'parse/cfn-bad-peer', `${site.address}: ${field} must be a string, not ${describeNode(value.node)}`, value.node.range);
      return 'drop';
    }
    if (field.endsWith('PrefixListId')) {
      peers.push({ field, peer: { kind: 'prefix-list', id: text }, location, unknowns: [] });
      continue;
    }
    const wantsIpv6 = field.includes('v6');
    try {
      // EC2 masks host bits (`192.168.1.10/0` is created as `0.0.0.0/0`): the rule is judged as the network EC2 creates.
      const addresses = AddressSet.parseCidr(text, { hostBits: 'mask' });
      if (text.includes(':') !== wantsIpv6) throw new SetParseError(`${field} takes an ${wantsIpv6 ? 'IPv6' : 'IPv4'} CIDR, not "${text}"`);
      const network = networkText(text, addresses);
      if (network !== undefined) {
        scope.template.report('warning', 'parse/cfn-cidr-host-bits',
          `${site.address}: ${field} "${text.trim()}" has host bits set; EC2 uses the network address ${network}, which is what is checked`, value.node.range);
      }
      peers.push({ field, peer: addressPeer(addresses, network ?? text.trim()), location, unknowns: [] });
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      scope.template.report('error', 'parse/cfn-bad-cidr', `${site.address}: ${error.message}`, value.node.range);
      return 'drop';
    }
  }
  return peers;
}

/** The network address of a CIDR written with host bits set (`192.168.1.10/0` → `0.0.0.0/0`); undefined when none are. */
function networkText(text: string, masked: AddressSet): string | undefined {
  try {
    AddressSet.parseCidr(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof SetParseError)) throw error;
    const cidrs = masked.toCidrs();
    return cidrs.length === 1 ? cidrs[0] : undefined;
  }
}

/** A referenced group: the rule's own group is `self`; groups of the template are named by logical id. */
function groupPeer(site: RuleSite, value: Value): Peer | undefined {
  if (value.kind === 'resource') {
    if (value.resourceType !== SECURITY_GROUP) return undefined;
    return value.logicalId === site.ownGroup?.logicalId ? { kind: 'self' } : { kind: 'sg-ref', id: value.logicalId };
  }
  const text = scalarText(value);
  if (text === undefined) return undefined;
  return text === site.ownGroup?.literal ? { kind: 'self' } : { kind: 'sg-ref', id: text };
}

/** `fwlint:profile` given as a resource tag: `Value: pack/role [phase=install|operate] [options=a,b]`. */
function profileFromTags(scope: Scope, resource: ResourceInfo): ProfileBinding | undefined {
  if (!resource.properties) return undefined;
  const properties = scope.evaluate(resource.properties);
  const tags = scope.property(properties, 'Tags');
  if (tags.kind !== 'list') return undefined;
  for (const tag of tags.items) {
    if (scalarText(scope.property(tag, 'Key')) !== 'fwlint:profile') continue;
    const value = scope.property(tag, 'Value');
    const text = scalarText(value);
    const range = value.kind === 'absent' ? tag.node.range : value.node.range;
    if (text === undefined) {
      scope.template.report('warning', 'parse/cfn-profile-tag', `${resource.logicalId}: the fwlint:profile tag value cannot be resolved`, range);
      return undefined;
    }
    // A tag maps what it can; each problem is a warning.
    const { binding, problems } = parseProfileValue(text, { file: scope.template.file, range });
    for (const problem of problems) scope.template.report('warning', 'parse/cfn-profile-tag', `${resource.logicalId}: ${problem}`, range);
    return binding;
  }
  return undefined;
}

