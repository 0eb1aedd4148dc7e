import { negateCondition } from '../../model/branch';
import type { SourceLocation, SourceRange } from '../../model/location';
import type { UnknownValue } from '../../model/rule';
import type { WrittenBlock } from '../../model/target';
import type { SourceFile } from '../../model/source-file';
import { copyNode, evaluate, iteratorValue, mentionsVariable, numberValue, withoutKnownItems, type ForExpr, objectKeyName, objectValue, stringValue, unwrapParens, valuesEqual, type Attribute, type Block, type Body, type Definition, type Expression, type Scope, type Value, unknownValue, withSensitivityOf } from './hcl';
import { evaluatedDescriptively } from './data-files';
import { instanceScope } from './module';
import { hasOverrideParts, scopeWrittenIn, writtenIn } from './override-files';
import type { ModuleInstance } from './module-tree';
import { branchOfAll, conditionName, undecidedCondition } from './condition-names';
import { providerArgument, resourceProviderConfig } from './providers';
import { PREFIX_LIST_TYPES, prefixListTypeName } from './prefix-lists';
import { collectionEntries, instanceKeySuffix, knownCollectionEntries } from './resource-expansion';
import { supportedTypeName, TARGET_TYPES, type NestedBlock, type ResourceInstance } from './resources';
import { ownConcat, ownString, unknownText, type Field, type FieldChoice, type Fields } from './to-model';

/**
 * Resource instances of the supported types (and of the managed prefix lists their rules may name, see
 * `prefix-lists.ts`) in one module instance, `count`/`for_each` expanded, addresses prefixed.
 */
export function hclResourceInstances(moduleInstance: ModuleInstance): ResourceInstance[] {
  const result: ResourceInstance[] = [];
  const module = moduleInstance.module;
  const prefix = module.address ? `${module.address}.` : '';
  for (const { file, blocks } of module.files) {
    for (const block of blocks) {
      if (block.type !== 'resource' || block.labels.length !== 2) continue;
      const [label, name] = block.labels as [string, string];
      // The type's own constant rather than the label cut from the file (see `ownString`).
      const type = supportedTypeName(label) ?? prefixListTypeName(label);
      if (type === undefined) continue;
      const base = instanceScope(module, file.text);
      const location = headerLocation(file.path, block);
      // A firewall without `project` (or with a null one) is in its provider configuration's (the resource's
      // `provider`, else the default).
      const providerProject = type === 'google_compute_firewall' ? knownProviderProject(block, type, moduleInstance) : undefined;
      for (const instance of expandInstances(base, file, block, ownString(`${prefix}${type}.${name}`))) {
        // An instance of a module created under a condition (`count = var.public ? 1 : 0` on the call) exists only there.
        const branch = moduleInstance.conditions.length === 0 ? instance.branch : branchOfAll(instance.branch === undefined ? moduleInstance.conditions : [...moduleInstance.conditions, ...instance.branch.split(' and ')]);
        if (branch === null) continue;
        const unknowns = [...moduleInstance.unknowns, ...instance.unknowns];
        const nested = TARGET_TYPES.get(type)?.blocks ?? PREFIX_LIST_TYPES.get(type) ?? [];
        const fields = bodyFields(block.body, instance.scope, file);
        const project = providerProject === undefined ? undefined : fields.get('project');
        if (providerProject !== undefined && (project === undefined || project.value.kind === 'null')) fields.set('project', { value: stringValue(providerProject), range: location.range });
        result.push({
          kind: 'terraform-hcl',
          type,
          address: instance.address,
          location,
          // A block merged from override files is not the resource as a whole: no fix rewrites it in place.
          range: hasOverrideParts(block.body) ? undefined : block.range,
          file: file.path,
          fields,
          blocks: nestedBlocks(block.body, nested, instance.scope, instance.address, file, unknowns),
          writtenBlocks: writtenBlocks(block.body, nested, file),
          unknowns,
          branch,
        });
      }
    }
  }
  return result;
}

/**
 * The `project` of the provider configuration a resource uses, when known: Terraform's google provider puts a
 * resource without `project` in the provider's (google provider docs, "project"). A configuration without one takes
 * it from the environment, which is not read.
 */
export function knownProviderProject(resource: Block, type: string, moduleInstance: ModuleInstance): string | undefined {
  const config = resourceProviderConfig(resource, type, moduleInstance.providers);
  const project = config && providerArgument(config, 'project');
  return project?.kind === 'string' && project.value ? project.value : undefined;
}

interface Instance {
  address: string;
  scope: Scope;
  unknowns: UnknownValue[];
  /** The condition the instance exists under (`count = var.create ? 1 : 0` with `var.create` unknown). */
  branch?: string;
}

/** `count` and `for_each` multiply a resource into instances `type.name[0]` / `type.name["key"]`. */
function expandInstances(base: Scope, file: SourceFile, block: Block, address: string): Instance[] {
  const count = block.body.attributes.find((attribute) => attribute.name === 'count');
  const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
  if (count) {
    const countFile = writtenIn(count, file);
    const countScope = scopeWrittenIn(count, file, base);
    const value = evaluate(count.expr, countScope);
    if (value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0) {
      return Array.from({ length: Math.min(value.value, 10000) }, (_, index) => ({
        address: `${address}[${index}]`,
        scope: { ...base, count: { index: { kind: 'number', value: index } } },
        unknowns: [],
      }));
    }
    // `count = var.ha ? 2 : 1`: instances both sides create always exist, the rest under the larger side's condition.
    const indexes = conditionalCount(count.expr, countScope, 10000);
    if (indexes) {
      return indexes.map(({ index, branch }) => ({
        address: `${address}[${index}]`,
        scope: { ...base, count: { index: { kind: 'number', value: index } } },
        unknowns: [],
        ...(branch !== undefined ? { branch } : {}),
      }));
    }
    const text = unknownText(value) ?? countFile.text.slice(count.expr.start, count.expr.end);
    return [{ address: `${address}[*]`, scope: base, unknowns: [{ field: `${address}.count`, expr: text, location: { file: countFile.path, range: count.range } }] }];
  }
  if (forEach) {
    const forEachFile = writtenIn(forEach, file);
    const forEachScope = scopeWrittenIn(forEach, file, base);
    const value = evaluate(forEach.expr, forEachScope);
    const entries = collectionEntries(value);
    if (entries) {
      return entries.map(([key, item]) => ({
        address: `${address}${instanceKeySuffix(key)}`,
        scope: { ...base, each: { key: { kind: 'string', value: key }, value: withSensitivityOf(value, item) } },
        unknowns: [],
      }));
    }
    // `var.public ? { ssh = 22, rdp = 3389 } : { ssh = 22 }`, also nested or inside a call (`merge(local.base, c ? … : {})`).
    const perSide = repetitionsPerSide(forEach.expr, forEachScope, collectionEntries, stringKeyText);
    if (perSide) {
      return byKey(perSide).map(({ key, item, conditions }) => ({
        address: `${address}${instanceKeySuffix(key)}`,
        scope: { ...base, each: { key: { kind: 'string', value: key }, value: item } },
        unknowns: [],
        ...(conditions.length > 0 ? { branch: conditions.join(' and ') } : {}),
      }));
    }
    const text = unknownText(value) ?? forEachFile.text.slice(forEach.expr.start, forEach.expr.end);
    const unknownRest: Instance = { address: `${address}[*]`, scope: base, unknowns: [{ field: `${address}.for_each`, expr: text, location: { file: forEachFile.path, range: forEach.range } }] };
    // `merge(var.rules, { rdp = … })`: the instances it surely has, and the rest read once as possibly present.
    const known = knownCollectionEntries(value);
    if (known) {
      return [
        ...known.entries.map(([key, item]): Instance => ({ address: `${address}${instanceKeySuffix(key)}`, scope: { ...base, each: { key: { kind: 'string', value: key }, value: withSensitivityOf(value, item) } }, unknowns: [] })),
        unknownRest,
      ];
    }
    return [unknownRest];
  }
  return [{ address, scope: base, unknowns: [] }];
}

function headerLocation(file: string, block: Block): SourceLocation {
  const lastLabel = block.labelRanges[block.labelRanges.length - 1] ?? block.typeRange;
  return {
    file,
    range: { startLine: block.range.startLine, startColumn: block.range.startColumn, endLine: lastLabel.endLine, endColumn: lastLabel.endColumn },
  };
}

/** A block's arguments; `container`, the file of a resource's block, for one holding parts of override files. */
function bodyFields(body: Body, scope: Scope, container?: SourceFile): Fields {
  return new BodyFields(body.attributes, scope, container !== undefined && hasOverrideParts(body) ? container : undefined);
}

/**
 * A block's arguments, each evaluated when first read: the rule layer reads a few arguments of each resource
 * (protocol, ports, peers), and most others (tags with `merge(…)`, names, descriptions of groups) never.
 * Evaluation has no side effects but the notes on functions not computed (`DataFiles.noteNotComputed`), which depend
 * only on which arguments are read, so reading an argument later or never changes nothing but the work done.
 */
/** An argument as a field. Its range is the attribute's, made when read: only diagnostics and unknowns read it. */
class ArgumentField implements Field {
  // Declared and assigned, not class fields: a field declaration is a define per instance (see hcl/nodes.ts).
  declare readonly value: Value;
  declare readonly expr: Expression;
  declare readonly attribute: Attribute;
  declare readonly file?: string;

  constructor(value: Value, attribute: Attribute, file: string | undefined) {
    this.value = value;
    this.expr = attribute.expr;
    this.attribute = attribute;
    if (file !== undefined) this.file = file;
  }

  get range(): SourceRange {
    return this.attribute.range;
  }
}

class BodyFields implements Fields {
  /** Evaluated arguments by attribute index (no Map per block: a scan builds one of these per rule block). */
  private evaluated: Array<Field | undefined> | undefined;
  /** Fields put with `set`; they win over the block's own arguments. */
  private extra: Map<string, Field> | undefined;

  constructor(
    private readonly attributes: readonly Attribute[],
    private readonly scope: Scope,
    /** The resource block's file, when some arguments were merged from override files (`writtenIn`). */
    private readonly container?: SourceFile,
  ) {}

  /** The scope an argument is evaluated in: with the text of its own file, for one merged from an override file. */
  private scopeOf(attribute: Attribute): Scope {
    return this.container === undefined ? this.scope : scopeWrittenIn(attribute, this.container, this.scope);
  }

  /** The file of an argument merged from an override file (undefined for one written in the block's own file). */
  private overrideFileOf(attribute: Attribute): string | undefined {
    if (this.container === undefined) return undefined;
    const file = writtenIn(attribute, this.container);
    return file === this.container ? undefined : file.path;
  }

  get(name: string): Field | undefined {
    if (this.extra !== undefined) {
      const put = this.extra.get(name);
      if (put) return put;
    }
    // The last of duplicate names wins, as it did when every argument was put in a Map in source order.
    const attributes = this.attributes;
    for (let i = attributes.length - 1; i >= 0; i--) {
      const attribute = attributes[i]!;
      if (attribute.name !== name) continue;
      const evaluated = (this.evaluated ??= new Array<Field | undefined>(attributes.length).fill(undefined));
      let field = evaluated[i];
      if (field === undefined) {
        const scope = this.scopeOf(attribute);
        const value = DESCRIPTIVE_ARGUMENTS.has(name) ? evaluatedDescriptively(() => evaluate(attribute.expr, scope)) : evaluate(attribute.expr, scope);
        field = new ArgumentField(value, attribute, this.overrideFileOf(attribute));
        evaluated[i] = field;
      }
      return field;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.extra?.has(name) === true || this.attributes.some((attribute) => attribute.name === name);
  }

  rootName(name: string): string | undefined {
    if (this.extra?.has(name)) return undefined;
    for (let i = this.attributes.length - 1; i >= 0; i--) {
      const attribute = this.attributes[i]!;
      if (attribute.name === name) return conditionName(attribute.expr, this.scopeOf(attribute));
    }
    return undefined;
  }

  set(name: string, field: Field): this {
    (this.extra ??= new Map()).set(name, field);
    return this;
  }

  choice(exclude: ReadonlySet<string>): FieldChoice | undefined {
    const seen = new Set<string>(exclude);
    // The last of duplicate names is the argument, as in `get`.
    for (let i = this.attributes.length - 1; i >= 0; i--) {
      const attribute = this.attributes[i]!;
      if (seen.has(attribute.name) || this.extra?.has(attribute.name)) continue;
      seen.add(attribute.name);
      if (DESCRIPTIVE_ARGUMENTS.has(attribute.name)) continue;
      const choice = this.choiceIn(attribute);
      if (choice) return choice;
    }
    return undefined;
  }

  /** `c ? a : b` as the argument, or as an element of the list literal it is, with an undecidable `c`. */
  private choiceIn(attribute: Attribute): FieldChoice | undefined {
    const choice = choiceInExpression(attribute.name, attribute.range, attribute.expr, this.scopeOf(attribute), true, MAX_LOCAL_HOPS);
    const file = this.overrideFileOf(attribute);
    return choice && file !== undefined ? choiceInFile(choice, file) : choice;
  }
}

/** Locals and module inputs a choice is followed through (`var.cidrs` → the caller's `local.cidrs` → `c ? a : b`). */
const MAX_LOCAL_HOPS = 4;

/**
 * The choice in an argument's expression: a conditional with an undecidable condition, as the expression or inside a
 * list literal or a function's arguments (`concat(var.extra, var.public ? ["0.0.0.0/0"] : [])`), or `local.NAME` (or
 * a module input `var.NAME`) whose definition holds one. Each side is the expression with that conditional replaced
 * by one of its branches, evaluated in the scope it is written in; it keeps the argument's range, and its expression
 * only where that is in the argument's own file (element ranges).
 */
function choiceInExpression(name: string, range: SourceRange, written: Expression, scope: Scope, ownFile: boolean, hops: number): FieldChoice | undefined {
  const expr = unwrapParens(written);
  if (expr.kind === 'get-attr' && expr.object.kind === 'variable' && (expr.object.name === 'local' || expr.object.name === 'var') && hops > 0) {
    const definition = scope.definitionOf?.(expr.object.name, expr.name);
    return definition && choiceInExpression(name, range, definition.expr, definition.scope, false, hops - 1);
  }
  const found = conditionalIn(expr, scope, 0);
  if (!found) return undefined;
  const side = (sideExpr: Expression, sideScope: Scope): Field => {
    const value = evaluate(sideExpr, sideScope);
    // Another conditional in the same argument (`[c ? a : b, d ? e : f]`) is the next choice of this side.
    const choice = (): FieldChoice | undefined => choiceInExpression(name, range, sideExpr, sideScope, ownFile, hops);
    return ownFile ? { value, range, expr: sideExpr, choice } : { value, range, choice };
  };
  return { name, condition: found.condition, consequent: side(found.whenTrue, found.scopeWhenTrue ?? scope), alternate: side(found.whenFalse, found.scopeWhenFalse ?? scope) };
}

/** How deep inside lists, function calls and other expressions a conditional is looked for. */
const MAX_CHOICE_DEPTH = 8;

/**
 * A conditional found inside an expression: its condition, and the expression rebuilt with each branch in its place,
 * or, for one in the definition of a `var.NAME`/`local.NAME` the expression uses, the expression as it is with a
 * scope in which that name has each side's value.
 */
interface FoundConditional {
  condition: string;
  whenTrue: Expression;
  whenFalse: Expression;
  scopeWhenTrue?: Scope;
  scopeWhenFalse?: Scope;
}

/** One sub-expression a conditional is looked for in, the iterators bound there, and how to put a new one in its place. */
interface ChoicePlace {
  expr: Expression;
  bound: readonly string[];
  rebuild: (replacement: Expression) => Expression;
}

const NO_ITERATORS: readonly string[] = [];

/**
 * The first conditional with an undecidable condition in `expr`, itself or inside list items, function arguments,
 * operators, parentheses, string interpolations and for-expressions (`[for c in var.office : var.public ?
 * "0.0.0.0/0" : c]`), and `expr` rebuilt with each of its branches in its place. Inside a for-expression only a
 * condition that does not use the expression's iterators counts: it is the same for every element, so the whole
 * expression takes one side or the other; one that tests the iterator is decided per element when evaluated.
 */
function conditionalIn(expr: Expression, scope: Scope, depth: number, bound: readonly string[] = NO_ITERATORS): FoundConditional | undefined {
  if (depth > MAX_CHOICE_DEPTH) return undefined;
  if (expr.kind === 'conditional') {
    if (bound.some((name) => mentionsVariable(expr.condition, name))) return undefined;
    const condition = undecidedCondition(expr, scope);
    return condition === undefined ? undefined : { condition, whenTrue: expr.trueExpr, whenFalse: expr.falseExpr };
  }
  const root = referenceRoot(expr);
  if (root) return conditionalInDefinition(root, expr, scope, depth);
  for (const place of choicePlaces(expr, bound)) {
    const inner = conditionalIn(place.expr, scope, depth + 1, place.bound);
    if (inner) return { ...inner, whenTrue: place.rebuild(inner.whenTrue), whenFalse: place.rebuild(inner.whenFalse) };
  }
  return undefined;
}

/**
 * A conditional in the definition of `local.NAME` (or of a module input `var.NAME`, the caller's argument) that an
 * argument uses inside a list or a call (`cidr_blocks = [var.cidr]` with the caller's `cidr = var.public ? … : …`):
 * each side is the argument as written, evaluated with the name bound to that side's value. Only the part of the
 * definition the reference reads is looked in (`local.cidrs.ssh`: the `ssh` value of `cidrs = { ssh = …, web = … }`),
 * so a conditional in another part never splits the argument.
 */
function conditionalInDefinition(reference: ReferencePath, referenceExpr: Expression, scope: Scope, depth: number): FoundConditional | undefined {
  const { root, name } = reference;
  const definition = scope.definitionOf?.(root, name);
  if (!definition) return undefined;
  const part = partRead(unwrapParens(definition.expr), reference.steps, scope, definition.scope);
  // A reference is followed as two levels of nesting, so a chain of locals (or a cycle) ends within the depth limit.
  const found = conditionalIn(part.expr, definition.scope, depth + 2);
  if (!found) return undefined;
  // The name stands for that side's value; its definition, with the side in place, holds the conditionals left.
  const bind = (side: Expression, sideScope: Scope | undefined): Scope => {
    const sideDefinition = { expr: part.rebuild(side), scope: sideScope ?? definition.scope };
    return withName(scope, root, name, evaluate(sideDefinition.expr, sideDefinition.scope), sideDefinition);
  };
  return { condition: found.condition, whenTrue: referenceExpr, whenFalse: referenceExpr, scopeWhenTrue: bind(found.whenTrue, found.scopeWhenTrue), scopeWhenFalse: bind(found.whenFalse, found.scopeWhenFalse) };
}

/** A reference to `local.NAME` or `var.NAME`, and the attributes and indexes it reads of it (`.ssh`, `[0]`), in order. */
interface ReferencePath {
  root: 'local' | 'var';
  name: string;
  steps: Array<{ attribute: string } | { index: Expression }>;
}

/** The `local.NAME` or `var.NAME` a reference starts from (`local.m.ssh`, `local.l[0]`, `var.cidr`), if it is one. */
function referenceRoot(expr: Expression): ReferencePath | undefined {
  const steps: ReferencePath['steps'] = [];
  let node = expr;
  while (node.kind === 'get-attr' || node.kind === 'index') {
    if (node.kind === 'get-attr' && node.object.kind === 'variable') {
      const root = node.object.name;
      return root === 'local' || root === 'var' ? { root, name: node.name, steps: steps.reverse() } : undefined;
    }
    steps.push(node.kind === 'get-attr' ? { attribute: node.name } : { index: node.key });
    node = node.kind === 'get-attr' ? node.object : node.collection;
  }
  return undefined;
}

/**
 * The part of a definition that `steps` read, as far as it is written literally (an object's item by its key, a
 * tuple's by its index), and how to put a new part in its place in the whole definition. Where a step cannot be
 * followed (a key only known later, a call, a conditional), the part is what was reached so far.
 */
function partRead(definition: Expression, steps: ReferencePath['steps'], referenceScope: Scope, definitionScope: Scope): { expr: Expression; rebuild: (replacement: Expression) => Expression } {
  let expr = definition;
  let rebuild = (replacement: Expression): Expression => replacement;
  for (const step of steps) {
    const key = 'attribute' in step ? stringValue(step.attribute) : evaluate(step.index, referenceScope);
    const index = itemIndex(expr, key, definitionScope);
    if (index === undefined) break;
    const container = expr as Extract<Expression, { kind: 'object' | 'tuple' }>;
    const outer = rebuild;
    if (container.kind === 'object') {
      const item = container.items[index]!;
      rebuild = (replacement) => outer(copyNode(container, { items: replaced(container.items, index, copyNode(item, { value: replacement })) }));
      expr = unwrapParens(item.value);
    } else {
      rebuild = (replacement) => outer(copyNode(container, { items: replaced(container.items, index, replacement) }));
      expr = unwrapParens(container.items[index]!);
    }
  }
  return { expr, rebuild };
}

/** Which item of an object or tuple literal `key` reads; undefined when another kind of expression or not certain. */
function itemIndex(expr: Expression, key: Value, scope: Scope): number | undefined {
  if (expr.kind === 'tuple') {
    const position = key.kind === 'number' ? key.value : key.kind === 'string' && /^\d+$/.test(key.value) ? Number(key.value) : NaN;
    return Number.isInteger(position) && position >= 0 && position < expr.items.length ? position : undefined;
  }
  if (expr.kind !== 'object' || key.kind !== 'string') return undefined;
  let found: number | undefined;
  for (let index = 0; index < expr.items.length; index++) {
    const item = expr.items[index]!;
    const keyName = objectKeyName(item.key);
    const written = keyName === null ? evaluate(item.key, scope) : stringValue(keyName);
    // A key not known statically may be this one: the part cannot be told.
    if (written.kind !== 'string') return undefined;
    // The last of duplicate keys wins, as when the object is evaluated.
    if (written.value === key.value) found = index;
  }
  return found;
}

/** `scope` with `var.NAME` or `local.NAME` standing for `value`, and written as `definition` (one side of it). */
function withName(scope: Scope, root: 'local' | 'var', name: string, value: Value, definition: Definition): Scope {
  const base = root === 'var' ? scope.vars : scope.locals;
  // A read-only view (the locals map computes on first read and is not a real Map): only get and has are used.
  const view = { get: (key: string): Value | undefined => (key === name ? value : base?.get(key)), has: (key: string): boolean => key === name || base?.has(key) === true } as unknown as ReadonlyMap<string, Value>;
  // The decided conditional is no longer in the definition (it would be found again on every later look); the
  // conditionals left in it are the name's next choices.
  const definitionOf = scope.definitionOf && ((other: 'local' | 'var', key: string) => (other === root && key === name ? definition : scope.definitionOf!(other, key)));
  const bound = root === 'var' ? { ...scope, vars: view } : { ...scope, locals: view };
  return definitionOf ? { ...bound, definitionOf } : bound;
}

/** The sub-expressions of `expr` a conditional is looked for in, in source order. */
function choicePlaces(expr: Expression, bound: readonly string[]): ChoicePlace[] {
  switch (expr.kind) {
    case 'parens':
      return [{ expr: expr.expr, bound, rebuild: (replacement) => copyNode(expr, { expr: replacement }) }];
    case 'unary':
      return [{ expr: expr.operand, bound, rebuild: (replacement) => copyNode(expr, { operand: replacement }) }];
    case 'binary':
      return [
        { expr: expr.left, bound, rebuild: (replacement) => copyNode(expr, { left: replacement }) },
        { expr: expr.right, bound, rebuild: (replacement) => copyNode(expr, { right: replacement }) },
      ];
    case 'tuple':
      return expr.items.map((item, index) => ({ expr: item, bound, rebuild: (replacement) => copyNode(expr, { items: replaced(expr.items, index, replacement) }) }));
    case 'function-call':
      return expr.args.map((arg, index) => ({ expr: arg, bound, rebuild: (replacement) => copyNode(expr, { args: replaced(expr.args, index, replacement) }) }));
    case 'object':
      return expr.items.map((item, index) => ({ expr: item.value, bound, rebuild: (replacement) => copyNode(expr, { items: replaced(expr.items, index, copyNode(item, { value: replacement })) }) }));
    case 'template':
      // `"${var.public ? "0.0.0.0" : "10.0.0.0"}/0"`, common in Terraform 0.11-style code.
      return expr.parts.flatMap((part, index): ChoicePlace[] =>
        part.kind === 'interp' ? [{ expr: part.expr, bound, rebuild: (replacement) => copyNode(expr, { parts: replaced(expr.parts, index, copyNode(part, { expr: replacement })) }) }] : [],
      );
    case 'for': {
      const inside = expr.keyVar === null ? [...bound, expr.valueVar] : [...bound, expr.keyVar, expr.valueVar];
      const places: ChoicePlace[] = [{ expr: expr.collection, bound, rebuild: (replacement) => copyNode(expr, { collection: replacement }) }];
      if (expr.keyExpr) places.push({ expr: expr.keyExpr, bound: inside, rebuild: (replacement) => copyNode(expr, { keyExpr: replacement }) });
      places.push({ expr: expr.valueExpr, bound: inside, rebuild: (replacement) => copyNode(expr, { valueExpr: replacement }) });
      return places;
    }
    default:
      return [];
  }
}

function replaced<T>(items: readonly T[], index: number, replacement: T): T[] {
  return items.map((item, position) => (position === index ? replacement : item));
}

/** Arguments that describe a rule without shaping its traffic: a choice in them is no reason to read a rule twice. */
const DESCRIPTIVE_ARGUMENTS = new Set(['description', 'name', 'name_prefix', 'tags', 'tags_all']);

/** The nested rule blocks of a resource as written, static and `dynamic`, whatever they evaluate to. */
function writtenBlocks(body: Body, names: readonly string[], container: SourceFile): WrittenBlock[] {
  const written: WrittenBlock[] = [];
  for (const block of body.blocks) {
    const file = writtenIn(block, container).path;
    const isDynamic = block.type === 'dynamic';
    // The name as `names` holds it, not a slice of the file's text (see `ownString`).
    const name = names.find((candidate) => candidate === (isDynamic ? block.labels[0] : block.type));
    if (name === undefined) continue;
    written.push(isDynamic ? { name, location: { file, range: block.range }, isDynamic } : { name, location: { file, range: block.range } });
  }
  return written;
}

/**
 * Nested rule blocks (`ingress`, `security_rule`, `allow`, …) of a resource, in source order: static blocks,
 * `dynamic` blocks over known collections (their iterator bound per element) or over `c ? xs : ys` (each side's
 * elements under its condition, see `dynamicIterationsPerSide`), then the attribute form
 * `ingress = [{…}]`. Element addresses count per block name: `aws_security_group.web.ingress[0]`. A `dynamic`
 * block or attribute whose collection is unknown records the unknown in `unknowns`; the content of such a `dynamic`
 * block is still read once (`ingress[*]`), with its iterator unknown.
 */
function nestedBlocks(body: Body, names: readonly string[], resourceScope: Scope, address: string, container: SourceFile, unknowns: UnknownValue[]): Map<string, NestedBlock[]> {
  const result = new Map<string, NestedBlock[]>(names.map((name) => [name, []]));
  // The file and scope of the block or attribute being read: a block or attribute merged from an override file is
  // located and evaluated in its own file.
  const hasMergedParts = hasOverrideParts(body);
  let file = container.path;
  let scope = resourceScope;
  const readIn = (part: Block | Attribute): void => {
    if (!hasMergedParts) return;
    file = writtenIn(part, container).path;
    scope = scopeWrittenIn(part, container, resourceScope);
  };
  // An element is named by its place among the blocks of its name, a `dynamic` block's item over a map (or a set of
  // strings) by its key, as a resource's `for_each` instances are: Terraform iterates a map in key order, not as written.
  const add = (name: string, fields: Fields, range: SourceRange, branch?: string, isListElement?: true, key?: Value): void => {
    const list = result.get(name)!;
    // One flat string per element (`ownConcat`), the element's index written into it directly.
    const parts = key?.kind === 'string' ? [address, '.', name, instanceKeySuffix(key.value)] : [address, '.', name, '[', String(list.length - (repeated?.get(name) ?? 0) - (unindexed?.get(name) ?? 0)), ']'];
    const nested: NestedBlock = { fields, location: { file, range }, address: ownConcat(parts) };
    if (branch !== undefined) nested.branch = branch;
    if (isListElement) nested.isListElement = true;
    list.push(nested);
  };
  // The content of a `dynamic` block repeated an unknown number of times: `ingress[*]`, then `ingress[*2]`, … (no index).
  // Made on first use: few resources have such a block.
  let repeated: Map<string, number> | undefined;
  const addRepeated = (name: string, fields: Fields, range: SourceRange, isListElement?: true): void => {
    repeated ??= new Map();
    const count = (repeated.get(name) ?? 0) + 1;
    repeated.set(name, count);
    const nested: NestedBlock = { fields, location: { file, range }, address: ownString(`${address}.${name}[*${count === 1 ? '' : count}]`) };
    if (isListElement) nested.isListElement = true;
    result.get(name)!.push(nested);
  };
  // A known element of a list of unknown length (`concat(var.rules, [{…}])`): it surely exists, but at an index the
  // unknown part hides, so it is `ingress[?]`, then `ingress[?2]`, … in the order written (no index it may not have).
  let unindexed: Map<string, number> | undefined;
  const addUnindexed = (name: string, fields: Fields, range: SourceRange, isListElement?: true): void => {
    unindexed ??= new Map();
    const count = (unindexed.get(name) ?? 0) + 1;
    unindexed.set(name, count);
    const nested: NestedBlock = { fields, location: { file, range }, address: ownString(`${address}.${name}[?${count === 1 ? '' : count}]`) };
    if (isListElement) nested.isListElement = true;
    result.get(name)!.push(nested);
  };
  for (const block of body.blocks) {
    readIn(block);
    if (names.includes(block.type)) {
      add(block.type, bodyFields(block.body, scope), block.range);
    } else if (block.type === 'dynamic' && block.labels[0] !== undefined && names.includes(block.labels[0])) {
      const name = block.labels[0];
      const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
      const content = block.body.blocks.find((inner) => inner.type === 'content');
      if (!forEach || !content) continue;
      const iteratorAttribute = block.body.attributes.find((attribute) => attribute.name === 'iterator');
      const iterator = iteratorAttribute?.expr.kind === 'variable' ? iteratorAttribute.expr.name : name;
      const collection = evaluate(forEach.expr, scope);
      const known = dynamicItems(collection);
      const perSide = known ? undefined : dynamicIterationsPerSide(forEach.expr, scope);
      // Read per side first: `concat([22], var.public ? [3389] : [])` is whole on each side.
      const knownPart = known || perSide ? undefined : partlyKnownIterations(collection, iterator, content.range);
      const iterations = known ? known.map(([key, item]): DynamicIteration => ({ key, item })) : perSide ?? knownPart;
      const hasUnknownRest = !iterations || knownPart !== undefined;
      if (hasUnknownRest) unknowns.push({ field: `${address}.dynamic "${name}".for_each`, expr: unknownText(collection) ?? textOf(forEach.expr, scope), location: { file, range: forEach.range } });
      // A collection of unknown size still has the elements it is known to hold (`merge(var.rules, { ssh = … })`).
      for (const { key, item, branch, isUnindexed } of iterations ?? []) {
        const symbols = new Map(scope.symbols ?? []);
        symbols.set(iterator, iteratorValue(key, withSensitivityOf(collection, item)));
        const fields = bodyFields(content.body, { ...scope, symbols });
        if (isUnindexed) addUnindexed(name, fields, block.range);
        else add(name, fields, block.range, branch, undefined, key);
      }
      // The content is built once more, as possibly present (like a resource whose `for_each` is unknown, after the
      // instances it surely has), with the iterator unknown: what uses it (`ingress.value`) is unresolved, as
      // `each.value` is, and the rest known.
      if (hasUnknownRest) addRepeated(name, bodyFields(content.body, withUnknownIterators(scope, [iterator], content.range)), block.range);
    }
  }
  for (const attribute of body.attributes) {
    if (!names.includes(attribute.name)) continue;
    readIn(attribute);
    const value = evaluate(attribute.expr, scope);
    if (value.kind !== 'list') {
      const text = unknownText(value);
      if (text !== undefined) unknowns.push({ field: `${address}.${attribute.name}`, expr: text, location: { file, range: attribute.range } });
      // `[for p in var.ports : {…}]` over a collection that cannot be resolved: its element is read once, as possibly
      // present, with the iterator unknown, as the content of a `dynamic` block over such a collection is.
      const template = forTemplateOverUnknown(attribute.expr, scope);
      // `[for r in concat(var.rules, [{…}]) : {…}]`: the elements the list is known to hold, at unknown indexes.
      if (value.kind === 'unknown') {
        const knownScopes = forElementScopes(attribute.expr, scope, value.knownItems?.length);
        value.knownItems?.forEach((item, index) => {
          const source = elementSource(template?.valueExpr, knownScopes?.[index]);
          if (item.kind === 'object') addUnindexed(attribute.name, listElementFields(value, item, template?.valueExpr, attribute.range, source), template?.valueExpr.range ?? attribute.range, true);
        });
      }
      if (template) {
        const item = evaluate(template.valueExpr, template.scope);
        if (item.kind === 'object') addRepeated(attribute.name, listElementFields(value, item, template.valueExpr, attribute.range, elementSource(template.valueExpr, template.scope)), template.valueExpr.range, true);
      }
      continue;
    }
    const itemExprs = attribute.expr.kind === 'tuple' && attribute.expr.items.length === value.items.length ? attribute.expr.items : undefined;
    const forScopes = itemExprs ? undefined : forElementScopes(attribute.expr, scope, value.items.length);
    const forValueExpr = forScopes && (unwrapParens(attribute.expr) as ForExpr).valueExpr;
    value.items.forEach((item, index) => {
      if (item.kind !== 'object') return;
      const itemExpr = itemExprs?.[index];
      const source = itemExpr ? elementSource(itemExpr, scope) : elementSource(forValueExpr, forScopes?.[index]);
      add(attribute.name, listElementFields(value, item, itemExpr, attribute.range, source), itemExpr?.range ?? attribute.range, undefined, true);
    });
  }
  return result;
}

/**
 * The fields of an element of the attribute form (`ingress = [{…}]`), each at its place where the object is written.
 * With the object literal it is evaluated from (`source`), a conditional in one of its arguments is a choice, read per
 * side as a block's argument is (see `choices.ts`).
 */
function listElementFields(list: Value, item: Extract<Value, { kind: 'object' }>, itemExpr: Expression | undefined, attributeRange: SourceRange, source?: ElementSource): Fields {
  const fields = source ? new ListElementFields(source, (value) => withSensitivityOf(list, withSensitivityOf(item, value))) : new Map<string, Field>();
  for (const [key, written] of item.entries) {
    const fieldValue = withSensitivityOf(list, withSensitivityOf(item, written));
    const objectItem = itemExpr?.kind === 'object' ? itemExpr.items.find((candidate) => candidate.key.kind === 'variable' && candidate.key.name === key) : undefined;
    fields.set(key, objectItem ? { value: fieldValue, range: objectItem.range, expr: objectItem.value } : { value: fieldValue, range: itemExpr?.range ?? attributeRange });
  }
  return fields;
}

/** The object literal an element of the attribute form is evaluated from, and the scope (a for-expression's iterators bound). */
interface ElementSource {
  object: Extract<Expression, { kind: 'object' }>;
  scope: Scope;
}

function elementSource(written: Expression | undefined, scope: Scope | undefined): ElementSource | undefined {
  const object = written && unwrapParens(written);
  return object?.kind === 'object' && scope ? { object, scope } : undefined;
}

/**
 * An element's arguments, with the choices its object literal holds: `{ cidr_blocks = var.open ? […] : […] }` in a
 * list or a for-expression is read per side, as the same argument in a `dynamic` block's content is.
 */
class ListElementFields extends Map<string, Field> implements Fields {
  constructor(
    private readonly source: ElementSource,
    /** The element's and its list's sensitivity, which each side's value keeps. */
    private readonly marked: (value: Value) => Value,
  ) {
    super();
  }

  choice(exclude: ReadonlySet<string>): FieldChoice | undefined {
    const seen = new Set<string>(exclude);
    const items = this.source.object.items;
    // The last of duplicate keys is the argument, as when the object is evaluated.
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      const name = objectKeyName(item.key);
      if (name === null || seen.has(name) || DESCRIPTIVE_ARGUMENTS.has(name)) continue;
      seen.add(name);
      const field = this.get(name);
      const choice = field && choiceInExpression(name, field.range, item.value, this.source.scope, true, MAX_LOCAL_HOPS);
      if (choice) return markedChoice(choice, this.marked);
    }
    return undefined;
  }
}

/** `choice` with `marked` applied to each side's value, and to the sides of the choices left in them. */
/** A choice in an argument merged from an override file: each side's range points into that file (`Field.file`). */
function choiceInFile(choice: FieldChoice, file: string): FieldChoice {
  const side = (field: Field): Field => ({
    ...field,
    file,
    choice: () => {
      const next = field.choice?.();
      return next && choiceInFile(next, file);
    },
  });
  return { ...choice, consequent: side(choice.consequent), alternate: side(choice.alternate) };
}

function markedChoice(choice: FieldChoice, marked: (value: Value) => Value): FieldChoice {
  const side = (field: Field): Field => ({
    ...field,
    value: marked(field.value),
    choice: () => {
      const next = field.choice?.();
      return next && markedChoice(next, marked);
    },
  });
  return { ...choice, consequent: side(choice.consequent), alternate: side(choice.alternate) };
}

/**
 * The scope each element of a list for-expression (`[for p in [22, 443] : {…}]`) is evaluated in, its iterators
 * bound, in the order of the list it makes, as the evaluator iterates (`evalFor`): a list's elements by index, a
 * map's in key order, those the `if` keeps. Over a list of unknown length, its known elements, the key unknown
 * (`evalForKnownItems`). Undefined for another expression, or unless there are `count` of them.
 */
function forElementScopes(written: Expression, scope: Scope, count: number | undefined): Scope[] | undefined {
  const expr = unwrapParens(written);
  if (expr.kind !== 'for' || expr.isObject || count === undefined) return undefined;
  const collection = evaluate(expr.collection, scope);
  const knownItems = collection.kind === 'unknown' ? collection.knownItems : undefined;
  const isPartlyKnown = knownItems !== undefined;
  const rest = isPartlyKnown && collection.kind === 'unknown' ? withoutKnownItems(collection) : undefined;
  const entries: Array<[Value, Value]> | undefined =
    collection.kind === 'list' ? collection.items.map((item, index) => [numberValue(index), item]) : rest ? knownItems!.map((item) => [rest, item]) : dynamicItems(collection);
  if (!entries) return undefined;
  const scopes: Scope[] = [];
  for (const [key, item] of entries) {
    const symbols = new Map(scope.symbols ?? []);
    symbols.set(expr.valueVar, item);
    if (expr.keyVar !== null) symbols.set(expr.keyVar, key);
    const inner = { ...scope, symbols };
    const kept = expr.condition ? evaluate(expr.condition, inner) : undefined;
    if (kept === undefined || (kept.kind === 'bool' && kept.value)) scopes.push(inner);
    else if (kept.kind !== 'bool' && !isPartlyKnown) return undefined;
  }
  return scopes.length === count ? scopes : undefined;
}

/**
 * The element template of a list for-expression (`[for i, p in var.ports : {…}]`) whose collection cannot be
 * resolved, with the scope it is read in: its iterators unknown. Undefined for another expression or a known collection.
 */
function forTemplateOverUnknown(written: Expression, scope: Scope): { valueExpr: Expression; scope: Scope } | undefined {
  const expr = unwrapParens(written);
  if (expr.kind !== 'for' || expr.isObject || dynamicItems(evaluate(expr.collection, scope))) return undefined;
  const iterators = expr.keyVar === null ? [expr.valueVar] : [expr.keyVar, expr.valueVar];
  const inner = withUnknownIterators(scope, iterators, expr.valueExpr.range);
  // `if false` (a filter that keeps nothing, whatever the element) makes an empty list.
  if (expr.condition) {
    const kept = evaluate(expr.condition, inner);
    if (kept.kind === 'bool' && !kept.value) return undefined;
  }
  return { valueExpr: expr.valueExpr, scope: inner };
}

/** `scope` with `iterators` bound to unknown values: one repetition of an iteration over an unknown collection. */
function withUnknownIterators(scope: Scope, iterators: readonly string[], range: SourceRange): Scope {
  const symbols = new Map(scope.symbols ?? []);
  for (const iterator of iterators) symbols.set(iterator, unknownValue(iterator, range));
  return { ...scope, symbols };
}

/**
 * A `dynamic` block's iterations as `[key, value]`: a list's key is the index, a map's the map key (in key order, as
 * Terraform iterates), and a set's the element itself (Terraform: "for a set, `key` is the same as `value`").
 */
function dynamicItems(collection: Value): Array<[Value, Value]> | undefined {
  if (collection.kind === 'list') return collection.items.map((item, index) => [collection.isSet ? item : { kind: 'number', value: index }, item]);
  if (collection.kind === 'object') return collectionEntries(collection)!.map(([key, item]) => [{ kind: 'string', value: key }, item]);
  return undefined;
}

/** One repetition of a `dynamic` block: its iterator's key and value, and the condition it exists under, if any. */
interface DynamicIteration {
  key: Value;
  item: Value;
  branch?: string;
  /** Its index in the collection is unknown (named `ingress[?]`, see `partlyKnownIterations`). */
  isUnindexed?: true;
}

/**
 * The repetitions a `dynamic` block over a collection of unknown size surely has (the rest is unknown): a map's known
 * entries by key (`merge(var.rules, { ssh = … })`), a set's known elements with themselves as key
 * (`toset(concat(var.ports, [22]))`), a list's known elements (`concat(var.rules, [{…}])`) with their key, the index,
 * unknown: the unknown part may come before them. A set element that is no string has no name as a key either, so it
 * is unindexed too. Undefined when none are known.
 */
function partlyKnownIterations(collection: Value, iterator: string, range: SourceRange): DynamicIteration[] | undefined {
  if (collection.kind !== 'unknown') return undefined;
  if (collection.knownEntries) return collectionEntries(objectValue(collection.knownEntries))!.map(([key, item]) => ({ key: stringValue(key), item }));
  if (!collection.knownItems) return undefined;
  if (collection.knownItemsFormSet) return collection.knownItems.map((item) => (item.kind === 'string' ? { key: item, item } : { key: item, item, isUnindexed: true }));
  const unknownIndex = unknownValue(`${iterator}.key`, range);
  return collection.knownItems.map((item) => ({ key: unknownIndex, item, isUnindexed: true }));
}

/**
 * The repetitions of a `dynamic` block whose `for_each` is `c ? xs : ys` with an undecidable `c` and both sides known:
 * each side's under its condition, as a rule argument's sides are read (`var.ssh ? [1] : []`, the toggle, has one
 * side's only). One both sides make alike (same key and value) exists either way, without condition. Undefined
 * unless the `for_each` holds such a conditional (see `repetitionsPerSide`).
 */
function dynamicIterationsPerSide(written: Expression, scope: Scope): DynamicIteration[] | undefined {
  return repetitionsPerSide(written, scope, dynamicItems, iterationKeyText)?.map(({ key, item, conditions }) => (conditions.length > 0 ? { key, item, branch: conditions.join(' and ') } : { key, item }));
}

/** One repetition of a `for_each` read per side: its key and value, and the sides it exists under. */
interface Repetition<K> {
  key: K;
  item: Value;
  conditions: readonly string[];
}

/** Repetitions in the order Terraform iterates a map's keys (sorted); a key's sides in the order read. */
export function byKey<T extends { key: string }>(repetitions: T[]): T[] {
  return repetitions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Conditionals a `for_each` is split on: 3 are up to 8 readings of it, as for a rule's arguments. */
const MAX_REPETITION_SPLITS = 3;

const NO_CONDITIONS: readonly string[] = [];

const stringKeyText = (key: string): string => key;

/** A `dynamic` block's key as text for pairing sides: exact for a list index or a map key, one bucket for the rest. */
const iterationKeyText = (key: Value): string => (key.kind === 'string' || key.kind === 'number' || key.kind === 'bool' ? `${key.kind}:${String(key.value)}` : key.kind);

/**
 * The repetitions of a `for_each` (a resource's, a module call's or a `dynamic` block's) that holds conditionals
 * with undecidable conditions: `c ? {…} : {…}`, nested (`c1 ? {…} : c2 ? {…} : {}`), inside a call
 * (`merge(local.base, c ? { rdp = 3389 } : {})`, `toset(c ? […] : […])`) or in a local it names. Each side's
 * repetitions (`read`) exist under its conditions; one both sides of a condition make alike (same key, same value,
 * same other conditions) exists either way and is kept once without it, as `mergeSides` keeps a rule. A condition an
 * enclosing side decides takes that side. Undefined unless every side is known within MAX_REPETITION_SPLITS.
 * `keyText` buckets keys for pairing (equal keys, equal texts); values are compared within a bucket.
 */
export function repetitionsPerSide<K>(written: Expression, scope: Scope, read: (value: Value) => Array<[K, Value]> | undefined, keyText: (key: K) => string): Array<Repetition<K>> | undefined {
  const found = conditionalIn(unwrapParens(written), scope, 0);
  if (!found) return undefined;
  return sideRepetitions(found, scope, read, keyText, NO_CONDITIONS, MAX_REPETITION_SPLITS);
}

function sideRepetitions<K>(found: FoundConditional, scope: Scope, read: (value: Value) => Array<[K, Value]> | undefined, keyText: (key: K) => string, conditions: readonly string[], splits: number): Array<Repetition<K>> | undefined {
  const side = (expr: Expression, sideScope: Scope, sideConditions: readonly string[]): Array<Repetition<K>> | undefined => {
    const known = read(evaluate(expr, sideScope));
    if (known) return known.map(([key, item]) => ({ key, item, conditions: sideConditions }));
    const further = splits > 1 ? conditionalIn(unwrapParens(expr), sideScope, 0) : undefined;
    return further && sideRepetitions(further, sideScope, read, keyText, sideConditions, splits - 1);
  };
  const negated = negateCondition(found.condition);
  const scopeWhenTrue = found.scopeWhenTrue ?? scope;
  const scopeWhenFalse = found.scopeWhenFalse ?? scope;
  if (conditions.includes(found.condition)) return side(found.whenTrue, scopeWhenTrue, conditions);
  if (conditions.includes(negated)) return side(found.whenFalse, scopeWhenFalse, conditions);
  const consequent = side(found.whenTrue, scopeWhenTrue, [...conditions, found.condition]);
  const alternate = consequent && side(found.whenFalse, scopeWhenFalse, [...conditions, negated]);
  if (!consequent || !alternate) return undefined;
  // The other side's repetitions by key and other conditions (a `for_each` may have thousands).
  const twins = new Map<string, Array<Repetition<K>>>();
  for (const repetition of alternate) {
    const bucket = `${keyText(repetition.key)}\u0001${otherConditions(repetition.conditions, negated)}`;
    const list = twins.get(bucket);
    if (list) list.push(repetition);
    else twins.set(bucket, [repetition]);
  }
  const paired = new Set<Repetition<K>>();
  const merged: Array<Repetition<K>> = [];
  for (const repetition of consequent) {
    const bucket = `${keyText(repetition.key)}\u0001${otherConditions(repetition.conditions, found.condition)}`;
    const twin = twins.get(bucket)?.find((candidate) => !paired.has(candidate) && valuesEqual(candidate.item, repetition.item) === true);
    if (twin) paired.add(twin);
    merged.push(twin ? { ...repetition, conditions: repetition.conditions.filter((condition) => condition !== found.condition) } : repetition);
  }
  for (const repetition of alternate) if (!paired.has(repetition)) merged.push(repetition);
  return merged;
}

/**
 * The indexes a `count` holding conditionals with undecidable conditions creates (a resource's or a module call's),
 * read per side as a `for_each` is (`repetitionsPerSide`): `c ? 1 : 0` creates index 0 under `c`, `c ? 2 : 1` index 0
 * always and 1 under `c`, `a ? (b ? 1 : 0) : 0` index 0 under `a and b`; an index both sides of `a ? 1 : (b ? 1 : 0)`
 * create apart is there once per side (`a`, `!a and b`). At most `limit` per side; undefined unless every side is a
 * whole number.
 */
export function conditionalCount(written: Expression, scope: Scope, limit: number): Array<{ index: number; branch?: string }> | undefined {
  const indexes = (value: Value): Array<[number, Value]> | undefined =>
    value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 ? Array.from({ length: Math.min(value.value, limit) }, (_, index) => [index, numberValue(index)]) : undefined;
  const perSide = repetitionsPerSide(written, scope, indexes, String);
  // In index order (a stable sort: one index's sides in the order read).
  return perSide?.sort((a, b) => a.key - b.key).map(({ key, conditions }) => (conditions.length > 0 ? { index: key, branch: conditions.join(' and ') } : { index: key }));
}

/** The conditions of a repetition but `condition`, in a fixed order (two sides may have split the rest in another). */
function otherConditions(conditions: readonly string[], condition: string): string {
  return conditions.filter((each) => each !== condition).sort().join('\u0000');
}

function textOf(expr: Expression, scope: Scope): string {
  return scope.text.slice(expr.start, expr.end);
}
