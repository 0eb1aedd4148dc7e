import * as path from 'node:path';
import type { SourceLocation, SourceRange } from '../../model/location';
import type { Rule, UnknownValue } from '../../model/rule';
import type { FormatParser, ParseOptions, ParseResult, SourceFile } from '../../model/source-file';
import type { ProfileBinding, Target } from '../../model/target';
import { evaluate, iteratorValue, type Block, type Body, type Expression, type Scope, type Value } from './hcl';
import { instanceScope, loadModule, type LoadedModule } from './module';
import { rulesFromConstruct, unknownText, type BuildContext, type Fields, type RuleConstruct } from './to-model';

/** Resource types read into targets and rules (README "Supported inputs" lists them). */
const GROUP_TYPES = new Set(['aws_security_group', 'aws_default_security_group']);
const STANDALONE_TYPES = new Set(['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']);

/** Terraform HCL: every `.tf` file; the files of one folder are read together as one module. */
export const terraformParser: FormatParser = {
  kind: 'terraform-hcl',
  detect: (file) => file.endsWith('.tf'),
  parse(files: SourceFile[], options: ParseOptions): ParseResult {
    const byDirectory = new Map<string, SourceFile[]>();
    for (const file of files) {
      const directory = path.dirname(file.absolutePath);
      byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), file]);
    }
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    for (const directory of [...byDirectory.keys()].sort()) {
      const moduleResult = parseModule(loadModule(directory, byDirectory.get(directory)!, options));
      result.targets.push(...moduleResult.targets);
      result.annotations.push(...moduleResult.annotations);
      result.diagnostics.push(...moduleResult.diagnostics);
    }
    return result;
  },
};

interface Instance {
  address: string;
  scope: Scope;
  unknowns: UnknownValue[];
}

interface StandaloneRules {
  address: string;
  group: Value | undefined;
  groupRange: SourceRange;
  rules: Rule[];
  location: SourceLocation;
  unknowns: UnknownValue[];
}

function parseModule(module: LoadedModule): ParseResult {
  const diagnostics = [...module.diagnostics];
  const targets = new Map<string, Target>();
  const standalone: StandaloneRules[] = [];
  for (const { file, blocks } of module.files) {
    for (const block of blocks) {
      if (block.type !== 'resource' || block.labels.length !== 2) continue;
      const [type, name] = block.labels as [string, string];
      if (!GROUP_TYPES.has(type) && !STANDALONE_TYPES.has(type)) continue;
      for (const instance of expandInstances(module, file, block, `${type}.${name}`)) {
        const ctx: BuildContext = { file: file.path, diagnostics, targetUnknowns: [...instance.unknowns] };
        const header = headerLocation(file.path, block);
        if (GROUP_TYPES.has(type)) {
          const rules = inlineRules(block.body, instance, ctx, file.path);
          const target: Target = {
            id: instance.address,
            kind: 'terraform-hcl',
            platform: 'aws-sg',
            resourceType: type,
            location: header,
            rules,
          };
          if (ctx.targetUnknowns.length > 0) target.unknowns = ctx.targetUnknowns;
          const profile = profileFromTags(block.body, instance.scope, file.path);
          if (profile) target.profile = profile;
          targets.set(target.id, target);
        } else {
          const fields = bodyFields(block.body, instance.scope);
          const direction = type === 'aws_vpc_security_group_egress_rule' || (type === 'aws_security_group_rule' && fieldString(fields, 'type') === 'egress') ? 'out' : 'in';
          const style = type === 'aws_security_group_rule' ? 'security-group-rule' : 'vpc-rule';
          const rules = rulesFromConstruct({ style, direction, fields, location: header, resourceAddress: instance.address }, ctx);
          const groupField = fields.get('security_group_id');
          standalone.push({
            address: instance.address,
            group: groupField?.value,
            groupRange: groupField?.range ?? block.range,
            rules,
            location: header,
            unknowns: ctx.targetUnknowns,
          });
        }
      }
    }
  }
  for (const entry of standalone) {
    const groupAddress = entry.group?.kind === 'ref' ? entry.group.address : undefined;
    const group = groupAddress ? targets.get(groupAddress) : undefined;
    if (group) {
      group.rules.push(...entry.rules);
      if (entry.unknowns.length > 0) group.unknowns = [...(group.unknowns ?? []), ...entry.unknowns];
      continue;
    }
    // The group is not in this module (an id string, a data source, a variable): the rule resource stands alone.
    const unknowns = [...entry.unknowns];
    const groupText = entry.group ? unknownText(entry.group) : undefined;
    if (groupText !== undefined && entry.group?.kind !== 'ref') {
      unknowns.push({ field: `${entry.address}.security_group_id`, expr: groupText, location: { file: entry.location.file, range: entry.groupRange } });
    }
    const target: Target = { id: entry.address, kind: 'terraform-hcl', platform: 'aws-sg', resourceType: entry.address.split('.')[0]!, location: entry.location, rules: entry.rules };
    if (unknowns.length > 0) target.unknowns = unknowns;
    targets.set(target.id, target);
  }
  return { targets: [...targets.values()], annotations: module.annotations, diagnostics };
}

/** `count` and `for_each` multiply a resource into instances `type.name[0]` / `type.name["key"]`. */
function expandInstances(module: LoadedModule, file: SourceFile, block: Block, address: string): Instance[] {
  const base = instanceScope(module, file.text);
  const count = block.body.attributes.find((attribute) => attribute.name === 'count');
  const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
  if (count) {
    const value = evaluate(count.expr, base);
    if (value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0) {
      return Array.from({ length: Math.min(value.value, 10000) }, (_, index) => ({
        address: `${address}[${index}]`,
        scope: { ...base, count: { index: { kind: 'number', value: index } } },
        unknowns: [],
      }));
    }
    const text = unknownText(value) ?? file.text.slice(count.expr.start, count.expr.end);
    return [{ address: `${address}[*]`, scope: base, unknowns: [{ field: `${address}.count`, expr: text, location: { file: file.path, range: count.range } }] }];
  }
  if (forEach) {
    const value = evaluate(forEach.expr, base);
    const entries = collectionEntries(value);
    if (entries) {
      return entries.map(([key, item]) => ({
        address: `${address}[${JSON.stringify(key)}]`,
        scope: { ...base, each: { key: { kind: 'string', value: key }, value: item } },
        unknowns: [],
      }));
    }
    const text = unknownText(value) ?? file.text.slice(forEach.expr.start, forEach.expr.end);
    return [{ address: `${address}[*]`, scope: base, unknowns: [{ field: `${address}.for_each`, expr: text, location: { file: file.path, range: forEach.range } }] }];
  }
  return [{ address, scope: base, unknowns: [] }];
}

/** Key/value pairs of a map (sorted by key, as Terraform iterates) or of a set/list of strings; undefined when unknown. */
function collectionEntries(value: Value): Array<[string, Value]> | undefined {
  if (value.kind === 'object') return [...value.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (value.kind === 'list') {
    const entries: Array<[string, Value]> = [];
    for (const item of value.items) {
      if (item.kind !== 'string') return undefined;
      entries.push([item.value, item]);
    }
    return entries;
  }
  return undefined;
}

function headerLocation(file: string, block: Block): SourceLocation {
  const lastLabel = block.labelRanges[block.labelRanges.length - 1] ?? block.typeRange;
  return {
    file,
    range: { startLine: block.range.startLine, startColumn: block.range.startColumn, endLine: lastLabel.endLine, endColumn: lastLabel.endColumn },
  };
}

function bodyFields(body: Body, scope: Scope): Fields {
  const fields: Fields = new Map();
  for (const attribute of body.attributes) fields.set(attribute.name, { value: evaluate(attribute.expr, scope), range: attribute.range, expr: attribute.expr });
  return fields;
}

function fieldString(fields: Fields, name: string): string | undefined {
  const value = fields.get(name)?.value;
  return value?.kind === 'string' ? value.value : undefined;
}

/**
 * Inline `ingress`/`egress` rules of a group, in source order: static blocks, `dynamic` blocks over known
 * collections (their iterator bound per element), and the attribute form `ingress = [{…}]`.
 */
function inlineRules(body: Body, instance: Instance, ctx: BuildContext, file: string): Rule[] {
  const rules: Rule[] = [];
  const counters = { ingress: 0, egress: 0 };
  const add = (kind: 'ingress' | 'egress', fields: Fields, range: SourceRange): void => {
    const construct: RuleConstruct = {
      style: 'inline',
      direction: kind === 'ingress' ? 'in' : 'out',
      fields,
      location: { file, range },
      resourceAddress: `${instance.address}.${kind}[${counters[kind]++}]`,
    };
    rules.push(...rulesFromConstruct(construct, ctx));
  };
  for (const block of body.blocks) {
    if (block.type === 'ingress' || block.type === 'egress') {
      add(block.type, bodyFields(block.body, instance.scope), block.range);
    } else if (block.type === 'dynamic' && (block.labels[0] === 'ingress' || block.labels[0] === 'egress')) {
      const kind = block.labels[0];
      const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
      const content = block.body.blocks.find((inner) => inner.type === 'content');
      if (!forEach || !content) continue;
      const iteratorAttribute = block.body.attributes.find((attribute) => attribute.name === 'iterator');
      const iterator = iteratorAttribute?.expr.kind === 'variable' ? iteratorAttribute.expr.name : kind;
      const collection = evaluate(forEach.expr, instance.scope);
      const items = dynamicItems(collection);
      if (!items) {
        ctx.targetUnknowns.push({
          field: `${instance.address}.dynamic "${kind}".for_each`,
          expr: unknownText(collection) ?? textOf(forEach.expr, instance.scope),
          location: { file, range: forEach.range },
        });
        continue;
      }
      for (const [key, item] of items) {
        const symbols = new Map(instance.scope.symbols ?? []);
        symbols.set(iterator, iteratorValue(key, item));
        add(kind, bodyFields(content.body, { ...instance.scope, symbols }), block.range);
      }
    }
  }
  for (const attribute of body.attributes) {
    if (attribute.name !== 'ingress' && attribute.name !== 'egress') continue;
    const value = evaluate(attribute.expr, instance.scope);
    if (value.kind !== 'list') {
      const text = unknownText(value);
      if (text !== undefined) ctx.targetUnknowns.push({ field: `${instance.address}.${attribute.name}`, expr: text, location: { file, range: attribute.range } });
      continue;
    }
    const itemExprs = attribute.expr.kind === 'tuple' && attribute.expr.items.length === value.items.length ? attribute.expr.items : undefined;
    value.items.forEach((item, index) => {
      if (item.kind !== 'object') return;
      const itemExpr = itemExprs?.[index];
      const fields: Fields = new Map();
      for (const [key, fieldValue] of item.entries) {
        const objectItem = itemExpr?.kind === 'object' ? itemExpr.items.find((candidate) => candidate.key.kind === 'variable' && candidate.key.name === key) : undefined;
        fields.set(key, objectItem ? { value: fieldValue, range: objectItem.range, expr: objectItem.value } : { value: fieldValue, range: itemExpr?.range ?? attribute.range });
      }
      add(attribute.name as 'ingress' | 'egress', fields, itemExpr?.range ?? attribute.range);
    });
  }
  return rules;
}

function dynamicItems(collection: Value): Array<[Value, Value]> | undefined {
  if (collection.kind === 'list') return collection.items.map((item, index) => [{ kind: 'number', value: index }, item]);
  if (collection.kind === 'object') return [...collection.entries.entries()].map(([key, item]) => [{ kind: 'string', value: key }, item]);
  return undefined;
}

function textOf(expr: Expression, scope: Scope): string {
  return scope.text.slice(expr.start, expr.end);
}

/** A `fwlint:profile` tag maps the group to a role, like the comment annotation. */
function profileFromTags(body: Body, scope: Scope, file: string): ProfileBinding | undefined {
  const tags = body.attributes.find((attribute) => attribute.name === 'tags');
  if (!tags) return undefined;
  const value = evaluate(tags.expr, scope);
  if (value.kind !== 'object') return undefined;
  const profile = value.entries.get('fwlint:profile');
  if (profile?.kind !== 'string') return undefined;
  const [ref, ...settings] = profile.value.trim().split(/\s+/);
  if (!ref) return undefined;
  const binding: ProfileBinding = { ref, options: [], location: { file, range: tags.range } };
  for (const setting of settings) {
    const [key, settingValue] = setting.split('=');
    if (key === 'phase' && (settingValue === 'install' || settingValue === 'operate')) binding.phase = settingValue;
    if (key === 'options' && settingValue) binding.options = settingValue.split(',');
  }
  return binding;
}
