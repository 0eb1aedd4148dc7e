import { createHash } from 'node:crypto';
import type { SourceLocation, SourceRange } from '../../model/location';
import type { UnknownValue } from '../../model/rule';
import type { SourceFile } from '../../model/source-file';
import { evaluate, fromJs, isWhollyKnown, listValue, markSensitive, NULL, stringValue, toJs, unknownValue, unwrapParens, type Attribute, type Block, type Expression, type Value } from '../terraform/hcl';
import { hasOverrideParts } from '../terraform/override-files';
import { PREFIX_LIST_TYPES } from '../terraform/prefix-lists';
import { isSupportedType, referenceFields, RULE_TYPES, TARGET_TYPES, type NestedBlock, type ResourceInstance } from '../terraform/resources';
import type { Fields } from '../terraform/to-model';
import { ConfigurationSource, partOf, type ConfigurationBlock } from './configuration-source';
import { StandaloneRules } from './read-back';
import { WrittenReferences } from './written-references';
import { configScopeAt, firstReference, moduleCallPath, referencedAddress, referencedResource, type ConfigModule, type ConfigResource, type ConfigScope, type PlanDocument, type PlanResource } from './plan-document';

/** Where rules are reported when the configuration is not on disk: the plan file's first line (formats.md §2.5). */
const PLAN_FILE_RANGE: SourceRange = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 };

/** FW303 text for a value that only `terraform apply` will know, when the configuration names no reference. */
const AFTER_APPLY = 'known after apply';

/**
 * Turns the planned instances of the supported resource types into the shared `ResourceInstance` shape, so the
 * plan path builds its rules with exactly the code the HCL path uses. Values come from `change.after`; paths that
 * `after_unknown` marks become unknown values (never open); sensitive values are treated as unknown so they are
 * never echoed into messages. Locations point at the `resource` block on disk when it can be found.
 */
export function planResourceInstances(plan: PlanDocument, planFile: SourceFile, source = new ConfigurationSource(planFile)): ResourceInstance[] {
  const planned = new Set(plan.resources.map((resource) => resource.address));
  const joined = joinedTargets(plan, planned);
  const standaloneRules = new StandaloneRules();
  for (const resource of [...plan.prior, ...plan.resources]) standaloneRules.add(resource.type, resource.values);
  const writtenReferences = new WrittenReferences(plan, source, planned);
  const instances: ResourceInstance[] = [];
  for (const resource of plan.resources) {
    // Managed prefix lists too: a rule naming a list the plan creates stands for its entries, as in the HCL path.
    if (!isSupportedType(resource.type) && !PREFIX_LIST_TYPES.has(resource.type)) continue;
    const callPath = moduleCallPath(resource.moduleAddress) ?? [];
    const configModule = configModuleAt(plan.configuration, callPath);
    const config = configModule?.resources.get(`${resource.type}.${resource.name}`);
    const found = source.find(callPath, resource.type, resource.name, plan.configuration);
    const providerProject = config?.providerConfigKey === undefined ? undefined : plan.providerProjects.get(config.providerConfigKey);
    instances.push(toResourceInstance(resource, { planFile, config, found, isJoinedByRules: joined.has(resource.address), standaloneRules, scope: configScopeAt(plan.configuration, resource.moduleAddress), planned, providerProject, writtenReferences }));
  }
  return instances;
}

interface InstanceContext {
  planFile: SourceFile;
  config: ConfigResource | undefined;
  found: ConfigurationBlock | undefined;
  /** Standalone rule resources of the plan refer to this resource. */
  isJoinedByRules: boolean;
  /** The rules of the plan's standalone rule resources, before and after it. */
  standaloneRules: StandaloneRules;
  /** The resource's module in `configuration`, to follow references through module outputs and variables. */
  scope: ConfigScope | undefined;
  /** The addresses of the plan's instances. */
  planned: ReadonlySet<string>;
  /** The `project` of the resource's provider configuration, when the plan says it. */
  providerProject: string | undefined;
  /** Evaluates the `.tf` files beside the plan, for references the JSON configuration does not decide. */
  writtenReferences: WrittenReferences;
}

function toResourceInstance(resource: PlanResource, context: InstanceContext): ResourceInstance {
  const { found, config } = context;
  const location: SourceLocation = found ? { file: found.file, range: headerRange(found.block) } : { file: context.planFile.path, range: PLAN_FILE_RANGE };
  const file = location.file;
  const nestedNames = TARGET_TYPES.get(resource.type)?.blocks ?? PREFIX_LIST_TYPES.get(resource.type) ?? [];
  const references = referenceFields(resource.type);
  const unknownMarks = asRecord(resource.unknown);
  const sensitiveMarks = asRecord(resource.sensitive);
  const unknowns: UnknownValue[] = [];

  /**
   * Whether the configuration sets an argument. A value the configuration does not set but the plan leaves unknown
   * is a provider-computed default (GCP `direction`, `source_ranges`); nested rule sets it does not set hold rules
   * managed elsewhere (standalone rule resources are read back into the group), formats.md §1.1 "not managed here".
   */
  const declares = (name: string): boolean => {
    if (found) return found.block.body.attributes.some((attribute) => attribute.name === name) || found.block.body.blocks.some((block) => block.type === name || (block.type === 'dynamic' && block.labels[0] === name));
    // Without the .tf file, `dynamic` blocks are invisible (the JSON configuration omits them): keep what the plan says
    // unless standalone rules account for it.
    if (config) return name in config.expressions || (nestedNames.includes(name) && !context.isJoinedByRules);
    return true;
  };
  const attributeOf = (block: Block | undefined, name: string): Attribute | undefined => block?.body.attributes.find((attribute) => attribute.name === name);

  const fields: Fields = new Map();
  const names = new Set([...Object.keys(resource.values), ...Object.keys(unknownMarks).filter((name) => unknownMarks[name] === true)]);
  for (const name of [...names].sort()) {
    if (nestedNames.includes(name)) continue;
    const written = attributeOf(found?.block, name);
    // The file it is written in: an override file's argument is located and evaluated there.
    const writtenPart = written && found ? partOf(found, written) : undefined;
    const range = written?.range ?? location.range;
    const isUnknown = unknownMarks[name] === true;
    if (isUnknown && (config || found) && !declares(name)) continue;
    const expression = config?.expressions[name];
    let value = planValue(resource.values[name], unknownMarks[name], sensitiveMarks[name], unknownTexts(written, writtenPart?.text, firstReference(expression)), range);
    if (isUnknown && sensitiveMarks[name] !== true) value = writtenItems(written, writtenPart?.text) ?? value;
    if (name === 'prefix_list_ids') value = prefixListReferences(value, context);
    if (name === 'prefix_list_id') value = prefixListReference(expression, context, range) ?? value;
    if (references.includes(name)) {
      const reference = referencedAddress(expression, context.scope);
      let address = reference && (sameKeyInstance(reference, resource, expression, context.planned, written && writtenPart ? writtenPart.text.slice(written.expr.start, written.expr.end) : undefined) ?? reference);
      // The instance the written expression picks (`aws_security_group.this[each.value.sg].id`, `local.this_sg_id`),
      // where the configuration's references alone do not name a planned one.
      if (written && found && (address === undefined || !context.planned.has(address))) {
        address = context.writtenReferences.referencedInstance(resource.address, resource.moduleAddress, found, written) ?? address;
      }
      // A reference to a resource the plan has no such instance of (`aws_security_group.this`, whose instances are
      // keyed) names no group: the planned value (an id, or unknown until apply: FW303) stands.
      if (address && (context.planned.has(address) || !hasKeyedInstances(address, context.planned))) value = { kind: 'ref', address, attribute: null, text: firstReference(expression) ?? address, range };
    }
    // The written expression lets list elements point at their own item (`cidr_blocks = ["a", "b"]`), as in HCL.
    if (written === undefined) fields.set(name, { value, range });
    else if (writtenPart!.file === file) fields.set(name, { value, range, expr: written.expr });
    else fields.set(name, { value, range, expr: written.expr, file: writtenPart!.file });
  }
  // A GCP resource without a `project` of its own, or whose project the plan leaves unknown because the provider
  // computes it, is in its provider configuration's project (google provider docs, "project"), as in the HCL path:
  // firewalls of two provider aliases on a network of the same name are then not judged together.
  const project = fields.get('project')?.value;
  if (context.providerProject !== undefined && resource.type.startsWith('google_') && (project === undefined || project.kind === 'null')) {
    fields.set('project', { value: stringValue(context.providerProject), range: location.range });
  }

  const blocks = new Map<string, NestedBlock[]>();
  for (const name of nestedNames) {
    const elements: NestedBlock[] = [];
    blocks.set(name, elements);
    if (!declares(name)) continue;
    if (unknownMarks[name] === true) {
      // Without the .tf file, a rule set that the configuration does not write and the plan leaves wholly unknown is
      // the provider's computed value (`egress` of a group that writes none): not managed here. (A `dynamic` block
      // over a value known only after apply looks the same, since the JSON configuration omits dynamic blocks; the
      // .tf files next to the plan tell them apart, README "Terraform".)
      if (!found && config && !(name in config.expressions)) continue;
      const part = found && nestedPart(found.block, name);
      unknowns.push({ field: `${resource.address}.${name}`, expr: AFTER_APPLY, location: part ? { file: partOf(found, part).file, range: part.range } : { file, range: location.range } });
      continue;
    }
    const items = Array.isArray(resource.values[name]) ? (resource.values[name] as unknown[]) : [];
    const itemUnknowns = Array.isArray(unknownMarks[name]) ? (unknownMarks[name] as unknown[]) : [];
    const itemSensitives = Array.isArray(sensitiveMarks[name]) ? (sensitiveMarks[name] as unknown[]) : [];
    // A set the configuration does not visibly write (no .tf, none in the JSON configuration, which omits `dynamic`
    // blocks) may be the provider's read-back, which also holds the rules of standalone rule resources, those the plan
    // deletes too: those are the standalone rules', not the group's (ACL's, NSG's).
    const mayBeReadBack = !found && !(config !== undefined && name in config.expressions);
    const writtenBlocks = items.map((item) => (found && isRecord(item) ? matchingBlock(found, name, item) : undefined));
    const elementName = elementNamer(resource.type, name, items, found);
    items.forEach((item, index) => {
      if (!isRecord(item)) return;
      const marks = asRecord(itemUnknowns[index]);
      // A nested block set (or element) marked sensitive as a whole marks every argument of its elements.
      const isWhollySensitive = sensitiveMarks[name] === true || itemSensitives[index] === true;
      const sensitive = asRecord(itemSensitives[index]);
      const isWhollyPlain = !hasMark(itemUnknowns[index]) && !hasMark(itemSensitives[index]);
      const values = mayBeReadBack && isWhollyPlain ? context.standaloneRules.withoutStandaloneRules(item, resource.type, resource.values, name) : item;
      if (values === undefined) return;
      const written = writtenBlocks[index];
      // A static block stands for one element: if another element also matches it, which one it wrote is unclear. (A
      // `dynamic` block's content writes every element it matches.)
      const isOwnBlock = written !== undefined && (written.block.type === 'content' || writtenBlocks.filter((block) => block?.block === written.block).length === 1);
      const onlyPart = written === undefined && found ? nestedPart(found.block, name) : undefined;
      const blockLocation: SourceLocation = written ? { file: written.file, range: written.block.range } : onlyPart ? { file: partOf(found!, onlyPart).file, range: onlyPart.range } : { file, range: location.range };
      const blockRange = blockLocation.range;
      const nestedFields: Fields = new Map();
      for (const key of new Set([...Object.keys(values), ...Object.keys(marks).filter((key) => marks[key] === true)])) {
        const attribute = attributeOf(written?.block, key);
        let value = planValue(values[key], marks[key], isWhollySensitive || sensitive[key], unknownTexts(attribute, written?.text, undefined), attribute?.range ?? blockRange);
        if (marks[key] === true && !isWhollySensitive && sensitive[key] !== true && isOwnBlock) value = writtenItems(attribute, written?.text) ?? value;
        if (key === 'prefix_list_ids') value = prefixListReferences(value, context);
        nestedFields.set(key, attribute ? { value, range: attribute.range, expr: attribute.expr } : { value, range: blockRange });
      }
      elements.push({ fields: nestedFields, location: blockLocation, address: `${resource.address}.${name}[${elementName(values, isOwnBlock ? written.block : undefined)}]` });
    });
  }

  const instance: ResourceInstance = { kind: 'terraform-plan', type: resource.type, address: resource.address, location, file, fields, blocks, unknowns };
  // A block merged from override files is not the resource as a whole: no fix rewrites it in place (as in HCL).
  if (found && !hasOverrideParts(found.block.body)) instance.range = found.block.range;
  const joinField = RULE_TYPES.get(resource.type)?.joinField;
  const joinDataSource = joinField && fields.get(joinField)?.value.kind === 'string' ? dataSourceReference(config?.expressions[joinField]) : undefined;
  if (joinDataSource) instance.joinDataSource = joinDataSource;
  if (resource.isForgotten) instance.descriptionNote = `(${resource.address} stays live: the plan forgets it without destroying it, and Terraform no longer manages it)`;
  else if (!found) instance.descriptionNote = `(reported at the plan file: the configuration of ${resource.address} was not found on disk)`;
  return instance;
}

/** A written reference to a managed prefix list's id, with an optional literal instance key. */
const PREFIX_LIST_ID_REFERENCE = /^(aws_ec2_managed_prefix_list\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)\.id$/;

/**
 * The items of a `prefix_list_ids` list that the plan leaves unknown because they name a list the plan creates
 * (`aws_ec2_managed_prefix_list.admins.id`, as the `.tf` writes them) become references to that planned list, as
 * the HCL path evaluates them, so the rule stands for the list's planned entries. Other items are unchanged.
 */
function prefixListReferences(value: Value, context: InstanceContext): Value {
  if (value.kind !== 'list') return value;
  const modulePrefix = context.scope?.address ? `${context.scope.address}.` : '';
  let changed = false;
  const items = value.items.map((item) => {
    if (item.kind !== 'unknown') return item;
    const match = PREFIX_LIST_ID_REFERENCE.exec(item.text);
    const address = match ? `${modulePrefix}${match[1]}` : undefined;
    if (!address || !context.planned.has(address)) return item;
    changed = true;
    return { kind: 'ref' as const, address, attribute: 'id', text: item.text, range: item.range };
  });
  return changed ? listValue(items) : value;
}

/**
 * A `prefix_list_id` whose configuration expression names a managed prefix list the plan has, as a reference to it
 * (the id is known only after apply when the plan creates the list); undefined otherwise.
 */
function prefixListReference(expression: unknown, context: InstanceContext, range: SourceRange): Value | undefined {
  const address = referencedAddress(expression, context.scope);
  if (!address || !/(?:^|\.)aws_ec2_managed_prefix_list\.[^.]+$/.test(address) || !context.planned.has(address)) return undefined;
  return { kind: 'ref', address, attribute: 'id', text: firstReference(expression) ?? address, range };
}

/**
 * A plan value as an HCL value: `after_unknown` true → unknown; sensitive → the value marked sensitive (`Value.sensitive`:
 * judged, never echoed); `""` → null, since the provider writes unset optional strings as empty strings
 * (`ipv6_cidr_block = ""`).
 */
function planValue(value: unknown, unknown: unknown, sensitive: unknown, texts: UnknownTexts, range: SourceRange): Value {
  if (unknown === true) return unknownValue(texts.whole, range);
  if (sensitive === true) return markSensitive(planValue(value, unknown, undefined, texts, range), '');
  if (Array.isArray(value)) {
    const unknowns = Array.isArray(unknown) ? unknown : [];
    const sensitives = Array.isArray(sensitive) ? sensitive : [];
    return listValue(value.map((item, index) => planValue(item, unknowns[index], sensitives[index], { whole: texts.items?.[index] ?? texts.whole }, range)));
  }
  if (typeof value === 'object' && value !== null) {
    const marks = asRecord(unknown);
    const sensitives = asRecord(sensitive);
    const entries = new Map<string, Value>();
    for (const [key, item] of Object.entries(value)) entries.set(key, planValue(item, marks[key], sensitives[key], { whole: texts.whole }, range));
    return { kind: 'object', entries };
  }
  if (value === '') return NULL;
  return fromJs(value);
}

/** What an unknown value is called in FW303 messages: the written expression (per list item), else a reference. */
interface UnknownTexts {
  whole: string;
  items?: string[];
}

function unknownTexts(written: Attribute | undefined, text: string | undefined, reference: string | undefined): UnknownTexts {
  if (!written || text === undefined) return { whole: reference ?? AFTER_APPLY };
  const source = (expr: Expression): string => text.slice(expr.start, expr.end);
  return written.expr.kind === 'tuple' ? { whole: source(written.expr), items: written.expr.items.map(source) } : { whole: source(written.expr) };
}

/**
 * A list the plan leaves wholly unknown, as the `.tf` writes it item by item: Terraform marks a whole list unknown when
 * one item is (`["0.0.0.0/0", "${aws_eip.nat.public_ip}/32"]`), and its JSON configuration gives no constant for a
 * list that is only partly constant. The items that are constants are known whatever apply decides; the others stay
 * unknown. Undefined unless the argument is written as a list of items.
 */
function writtenItems(written: Attribute | undefined, text: string | undefined): Value | undefined {
  if (!written || text === undefined) return undefined;
  const expr = unwrapParens(written.expr);
  if (expr.kind !== 'tuple') return undefined;
  // No variables, locals or resources in scope: only what the text alone decides is known, the rest is unknown as
  // the HCL path names it (`aws_eip.nat.public_ip`).
  return evaluate(expr, { text });
}

/** Whether an `after_unknown` / `after_sensitive` mark is `true` anywhere in it. */
function hasMark(marks: unknown): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(hasMark);
  return isRecord(marks) && Object.values(marks).some(hasMark);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function configModuleAt(configuration: ConfigModule | undefined, callPath: readonly string[]): ConfigModule | undefined {
  let module = configuration;
  for (const name of callPath) module = module?.calls.get(name)?.module;
  return module;
}

/** Addresses of target resources that standalone rule resources of the plan refer to (by configuration reference). */
function joinedTargets(plan: PlanDocument, planned: ReadonlySet<string>): Set<string> {
  const joined = new Set<string>();
  for (const resource of plan.resources) {
    const joinField = RULE_TYPES.get(resource.type)?.joinField;
    if (!joinField) continue;
    const config = configModuleAt(plan.configuration, moduleCallPath(resource.moduleAddress) ?? [])?.resources.get(`${resource.type}.${resource.name}`);
    const expression = config?.expressions[joinField];
    const target = referencedAddress(expression, configScopeAt(plan.configuration, resource.moduleAddress));
    if (target) joined.add(sameKeyInstance(target, resource, expression, planned, undefined) ?? target);
  }
  return joined;
}

/**
 * The data source an expression reads, when it reads nothing else (references `["data.aws_security_group.app.id",
 * "data.aws_security_group.app"]`, a literal instance key allowed); undefined otherwise.
 */
function dataSourceReference(expression: unknown): string | undefined {
  const references = isRecord(expression) && Array.isArray(expression.references) ? expression.references : [];
  const sources = new Set(references.map((reference) => (typeof reference === 'string' ? /^data\.[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?(?=\.|$)/.exec(reference)?.[0] : undefined)));
  return sources.size === 1 && !sources.has(undefined) ? [...sources][0] : undefined;
}

/** Whether the plan has instances of `address` with a key (`address[0]`, `address["a"]`). */
function hasKeyedInstances(address: string, planned: ReadonlySet<string>): boolean {
  for (const instance of planned) if (instance.startsWith(`${address}[`) && WHOLE_KEY.test(instance.slice(address.length))) return true;
  return false;
}

/** An instance key: `[0]` or `["a"]`. */
const INSTANCE_KEY = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]$/;
const WHOLE_KEY = /^\[(?:\d+|"(?:[^"\\]|\\.)*")\]$/;

/**
 * The instance of `reference` (a counted or for_each resource) that the instance `resource` picks with its own key:
 * `security_group_id = aws_security_group.web[count.index].id` in `aws_security_group_rule.high[1]` is
 * `aws_security_group.web[1]`, `aws_security_group.app[each.key].id` in `…["a"]` is `aws_security_group.app["a"]`, as
 * the HCL path evaluates them. The JSON configuration writes only `["aws_security_group.web", "count.index"]`: the
 * written expression (`written`, from the `.tf` file) must index the resource by `count.index` (`each.key`) alone;
 * without it the references must be the resource and `count.index` (`each.key`) only. Undefined otherwise, or when
 * the plan has no such instance of `reference`.
 */
function sameKeyInstance(reference: string, resource: PlanResource, expression: unknown, planned: ReadonlySet<string>, written: string | undefined): string | undefined {
  const key = INSTANCE_KEY.exec(resource.address)?.[0];
  const direct = referencedResource(expression);
  if (key === undefined || direct === undefined || INSTANCE_KEY.test(direct) || !planned.has(reference + key)) return undefined;
  const keyword = key.startsWith('["') ? 'each.key' : 'count.index';
  if (written !== undefined) {
    const text = written.replace(/\s+/g, '');
    return text === `${direct}[${keyword}].id` || text === `${direct}[${keyword}].name` || text === `${direct}[${keyword}]` ? reference + key : undefined;
  }
  const references = (expression as { references: unknown[] }).references;
  const isIndexedByKey = references.includes(keyword) && references.every((item) => item === keyword || item === direct || (typeof item === 'string' && item.startsWith(`${direct}.`)));
  return isIndexedByKey ? reference + key : undefined;
}

function headerRange(block: Block): SourceRange {
  const lastLabel = block.labelRanges[block.labelRanges.length - 1] ?? block.typeRange;
  return { startLine: block.range.startLine, startColumn: block.range.startColumn, endLine: lastLabel.endLine, endColumn: lastLabel.endColumn };
}

/** The only block (static or dynamic) or attribute that writes `name`; undefined when there are several. */
function nestedPart(resource: Block, name: string): Block | Attribute | undefined {
  const parts = [
    ...resource.body.blocks.filter((block) => block.type === name || (block.type === 'dynamic' && block.labels[0] === name)),
    ...resource.body.attributes.filter((attribute) => attribute.name === name),
  ];
  return parts.length === 1 ? parts[0] : undefined;
}

/** A nested block of a found resource, and the file it is written in (an override file's, for one merged from it). */
interface WrittenNestedBlock {
  block: Block;
  file: string;
  text: string;
}

/**
 * The static nested block whose literal arguments all equal the planned element's (strings compared
 * case-insensitively: providers normalise `TCP` to `tcp`); undefined unless exactly one matches.
 */
function matchingBlock(found: ConfigurationBlock, name: string, values: Record<string, unknown>): WrittenNestedBlock | undefined {
  const agrees = ({ block, text }: WrittenNestedBlock): boolean =>
    block.body.attributes.every((attribute) => {
      const written = evaluate(attribute.expr, { text });
      if (!isWhollyKnown(written)) return true;
      return looselyEqual(toJs(written), values[attribute.name]);
    });
  const nested = (block: Block, part: Block = block): WrittenNestedBlock => ({ block, ...partOf(found, part) });
  const matches = found.block.body.blocks.filter((block) => block.type === name).map((block) => nested(block)).filter(agrees);
  if (matches.length > 0) return matches.length === 1 ? matches[0] : undefined;
  // No written block produced it: the `content` of the one `dynamic "name"` block that agrees did (its attributes
  // that use the iterator cannot disagree), so findings point into it and its annotations apply.
  const contents = found.block.body.blocks
    .filter((block) => block.type === 'dynamic' && block.labels[0] === name)
    .flatMap((block) => {
      const content = block.body.blocks.find((inner) => inner.type === 'content');
      return content === undefined ? [] : [nested(content, block)];
    })
    .filter(agrees);
  return contents.length === 1 ? contents[0] : undefined;
}

function looselyEqual(written: unknown, planned: unknown): boolean {
  if (Array.isArray(written)) {
    if (!Array.isArray(planned) || planned.length !== written.length) return false;
    return written.every((item) => planned.some((other) => looselyEqual(item, other)));
  }
  if (written === null || written === '') return planned === null || planned === '' || planned === undefined;
  if (typeof written === 'object') return typeof planned === 'object' && planned !== null;
  if (planned === null || planned === undefined) return false;
  return String(written).toLowerCase() === String(planned).toLowerCase();
}

/**
 * How an element of the nested set `name` is named in rule ids and messages. Set elements have no stable position in a
 * plan (formats.md §2.4), so: the element's place among the static blocks of its name, as the HCL path names it
 * (`ingress[0]`), where the `.tf` writes it in its own block and writes that set in static blocks only; else a network
 * ACL entry's rule number, unique in its direction (`ingress[rule 120]`); else a hash of its content (`ingress[#1a2b3c4d]`).
 */
function elementNamer(type: string, name: string, items: readonly unknown[], found: ConfigurationBlock | undefined): (values: Record<string, unknown>, written: Block | undefined) => string {
  const body = found?.block.body;
  const staticBlocks = body && !body.attributes.some((attribute) => attribute.name === name) && !body.blocks.some((block) => block.type === 'dynamic' && block.labels[0] === name) ? body.blocks.filter((block) => block.type === name) : [];
  const ruleNumbers = NACL_TYPES.has(type) ? items.map((item) => (isRecord(item) ? item.rule_no : undefined)) : [];
  return (values, written) => {
    const index = written ? staticBlocks.indexOf(written) : -1;
    if (index >= 0) return String(index);
    const ruleNumber = values.rule_no;
    if (typeof ruleNumber === 'number' && ruleNumbers.filter((other) => other === ruleNumber).length === 1) return `rule ${ruleNumber}`;
    return `#${contentHash(values)}`;
  };
}

const NACL_TYPES = new Set(['aws_network_acl', 'aws_default_network_acl']);

/** Short hash of a set element's content (keys sorted), stable whatever the element order in the plan. */
function contentHash(values: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(values)).digest('hex').slice(0, 8);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
