import type { SourceRange } from '../../../model/location';
import type { Block, Expression, ForExpr, FunctionCallExpr, SplatExpr, TemplateExpr, TemplatePart } from './ast';
import { findAttribute, objectKeyName } from './ast';
import { parseHcl } from './parser';
import { callFunction, isSupportedFunction } from './functions';
import {
  boolValue,
  decimalArithmetic,
  firstUnknown,
  formatNumber,
  listValue,
  markSensitive,
  NULL,
  numberValue,
  objectValue,
  parseDecimal,
  partialList,
  partialMap,
  setValue,
  stringValue,
  unknownValue,
  valuesEqual,
  withoutKnownItems,
  type UnknownValue,
  type Value,
} from './value';

/** One step of a reference after its root: `.name` or `[key]` (key already evaluated). */
export type ReferenceStep = { kind: 'attr'; name: string } | { kind: 'index'; key: Value };

/** A reference the scope could not resolve itself, e.g. `aws_security_group.web.id` → root `aws_security_group`, steps `.web`, `.id`. */
export interface Reference {
  root: string;
  steps: ReferenceStep[];
  /** Source text of the whole reference expression. */
  text: string;
  range: SourceRange;
}

/**
 * What names mean while evaluating; every member except `text` is optional. Only `get` is called on the maps, so
 * a lazily evaluating map (e.g. locals computed on first use) works.
 */
/** An expression and the scope it is evaluated in. */
export interface Definition {
  expr: Expression;
  scope: Scope;
}

export interface Scope {
  /** Source text of the file the expression was parsed from (unknowns quote it). */
  text: string;
  /** `var.<name>`. */
  vars?: ReadonlyMap<string, Value>;
  /** `local.<name>`. */
  locals?: ReadonlyMap<string, Value>;
  /** `count.index` inside a resource with `count`. */
  count?: { index: Value };
  /** `each.key` / `each.value` inside a resource with `for_each`. */
  each?: { key: Value; value: Value };
  /** Other bare names, e.g. a `dynamic "ingress"` iterator `ingress` → `iteratorValue(key, value)`. */
  symbols?: ReadonlyMap<string, Value>;
  /** Resolves any other reference (resources, data sources, modules, or vars/locals missing from the maps). */
  resolve?: (reference: Reference) => Value | undefined;
  /**
   * Where `local.<name>`, or `var.<name>` of a module instance (the caller's argument), is written and the scope it is
   * evaluated in: for reading a conditional there once per side.
   */
  definitionOf?: (root: 'local' | 'var', name: string) => Definition | undefined;
  /**
   * Address of the module instance the expression is written in (`module.net["a"]`); absent or '' in a root module.
   * Not used to evaluate: a module's names are not the root's, which matters where a condition is named.
   */
  moduleAddress?: string;
  /** The data files `file()` and `templatefile()` read, and `path.module`; without it those stay unresolved. */
  dataFiles?: DataFiles;
}

/** What `file()` of a path gives: the file's text, an error Terraform would report too, or why fwlint did not read it. */
export type DataFileRead = { text: string } | { error: string } | { notRead: string };

/** What `fileset()` of a folder and pattern gives: the matching files, relative to the folder and sorted, or why fwlint did not list them. */
export type DataFileList = { files: string[] } | { notRead: string };

/** Reads the files a module's `file()` calls name (see `dataFiles` in ../data-files.ts). */
export interface DataFiles {
  /** `path.module`: the module's folder relative to the root module's (`.` for the root module). */
  modulePath: string;
  read(path: string): DataFileRead;
  list(folder: string, pattern: string): DataFileList;
  /** Tells the user why a call in the file of `text` at `range` stays unresolved (a function fwlint does not compute). */
  noteNotComputed(text: string, range: SourceRange, message: string): void;
}

/** The object a `dynamic` block iterator (or `each`) stands for: `{ key, value }`. */
export function iteratorValue(key: Value, value: Value): Value {
  return objectValue(new Map([['key', key], ['value', value]]));
}

/** The symbol a `dynamic "x"` block's content uses: its `iterator = name` if given, else the block label. */
export function dynamicIteratorName(block: Block): string {
  const iterator = findAttribute(block.body, 'iterator')?.expr;
  if (iterator?.kind === 'variable') return iterator.name;
  return block.labels[0] ?? block.type;
}

/** Evaluates an expression statically. Never throws; whatever cannot be resolved becomes an `unknown` value. */
export function evaluate(expr: Expression, scope: Scope): Value {
  // Most arguments are numbers, booleans or plain strings: those need no evaluator (same values as evalInner).
  if (expr.kind === 'literal') {
    const value = expr.value;
    return value === null ? NULL : typeof value === 'number' ? numberValue(value) : boolValue(value);
  }
  if (expr.kind === 'template') {
    const parts = expr.parts;
    if (parts.length === 0) return stringValue('');
    if (parts.length === 1 && parts[0]!.kind === 'text') return stringValue(parts[0]!.value);
  }
  if (expr.kind === 'tuple') {
    // A list literal of such values (`cidr_blocks = ["10.0.0.0/24", …]`, the most common rule argument): the same
    // list the evaluator builds, without an evaluator.
    const items = literalItems(expr.items);
    if (items !== undefined) return listValue(items);
  }
  const evaluator = new Evaluator(scope);
  const value = evaluator.eval(expr);
  const origin = evaluator.sensitiveOrigin;
  return origin === undefined ? value : markSensitive(value, origin);
}

/**
 * The values of list items that are all number, bool or null literals or plain strings (as `evaluate` reads each);
 * undefined when any item is another expression.
 */
function literalItems(exprs: readonly Expression[]): Value[] | undefined {
  const items: Value[] = [];
  for (const expr of exprs) {
    if (expr.kind === 'literal') {
      const value = expr.value;
      items.push(value === null ? NULL : typeof value === 'number' ? numberValue(value) : boolValue(value));
    } else if (expr.kind === 'template' && expr.parts.length === 0) {
      items.push(stringValue(''));
    } else if (expr.kind === 'template' && expr.parts.length === 1 && expr.parts[0]!.kind === 'text') {
      items.push(stringValue(expr.parts[0]!.value));
    } else {
      return undefined;
    }
  }
  return items;
}

/** Expressions whose value may be a collection of unknown size with known elements (`UnknownValue.knownItems`, `knownEntries`). */
const KEEPS_KNOWN_ITEMS: ReadonlySet<Expression['kind']> = new Set(['variable', 'get-attr', 'index', 'parens', 'conditional', 'function-call', 'for']);

/** Generous: the parser already bounds nesting, this only guards hand-built trees. */
const MAX_EVAL_DEPTH = 2000;

type TraversalStep = { kind: 'attr'; name: string } | { kind: 'index'; key: Expression };

class Evaluator {
  /** Innermost last: for-expression and template-for bindings. */
  // Both made on first use: most evaluations (one per argument read) have no for-expression and no splat.
  private frames: Array<Map<string, Value>> | undefined;
  private splatItems: Value[] | undefined;
  private depth = 0;
  /** The origin of the first sensitive value read (`Value.sensitive`): the whole result is sensitive, as in Terraform. */
  sensitiveOrigin: string | undefined;

  constructor(private readonly scope: Scope) {}

  /** Notes a value read from a name or taken out of another value: a sensitive one makes the result sensitive. */
  private read(value: Value): Value {
    if (value.sensitive !== undefined && this.sensitiveOrigin === undefined) this.sensitiveOrigin = value.sensitive;
    return value;
  }

  private textOf(expr: { start: number; end: number }): string {
    return this.scope.text.slice(expr.start, expr.end);
  }

  private unknown(expr: { start: number; end: number; range: SourceRange }, error?: string): UnknownValue {
    return unknownValue(this.textOf(expr), expr.range, error);
  }

  eval(expr: Expression): Value {
    if (++this.depth > MAX_EVAL_DEPTH) {
      this.depth--;
      return this.unknown(expr, 'expression nested too deeply to evaluate');
    }
    const result = this.evalInner(expr);
    this.depth--;
    // Only reading a name, choosing a branch and the list-building functions pass on the known elements of a list
    // of unknown length; to anything else (an index, an operator, a template) it is a plain unknown.
    if (result.kind === 'unknown' && (result.knownItems !== undefined || result.knownEntries !== undefined) && !KEEPS_KNOWN_ITEMS.has(expr.kind)) return withoutKnownItems(result);
    return result;
  }

  private evalInner(expr: Expression): Value {
    switch (expr.kind) {
      case 'literal': {
        const value = expr.value;
        if (value === null) return NULL;
        return typeof value === 'number' ? numberValue(value) : boolValue(value);
      }
      case 'template':
        return this.evalTemplate(expr);
      case 'tuple':
        return listValue(expr.items.map((item) => this.eval(item)));
      case 'object': {
        const entries = new Map<string, Value>();
        for (const item of expr.items) {
          let key = objectKeyName(item.key);
          if (key === null) {
            const keyValue = this.eval(item.key);
            const converted = toStringValue(keyValue, this, item.key);
            if (converted.kind !== 'string') return converted;
            key = converted.value;
          }
          entries.set(key, this.eval(item.value));
        }
        return { kind: 'object', entries };
      }
      case 'variable':
      case 'get-attr':
      case 'index':
        return this.evalTraversal(expr);
      case 'splat':
        return this.evalSplat(expr);
      case 'splat-item':
        return this.splatItems !== undefined && this.splatItems.length > 0 ? this.splatItems[this.splatItems.length - 1] : this.unknown(expr, 'splat placeholder outside a splat');
      case 'function-call':
        return this.evalCall(expr);
      case 'conditional': {
        const condition = toBool(this.eval(expr.condition), this, expr.condition);
        if (condition.kind !== 'bool') return condition.kind === 'unknown' ? withoutKnownItems(condition) : condition;
        return this.eval(condition.value ? expr.trueExpr : expr.falseExpr);
      }
      case 'binary':
        return this.evalBinary(expr);
      case 'unary': {
        const operand = this.eval(expr.operand);
        if (expr.op === '!') {
          const b = toBool(operand, this, expr.operand);
          return b.kind === 'bool' ? boolValue(!b.value) : b;
        }
        const n = toNumber(operand, this, expr.operand);
        return n.kind === 'number' ? numberValue(-n.value) : n;
      }
      case 'parens':
        return this.eval(expr.expr);
      case 'for':
        return this.evalFor(expr);
      case 'invalid':
        return this.unknown(expr, 'syntax error');
    }
  }

  // ---- references --------------------------------------------------------------------------------------------

  private lookupSymbol(name: string): Value | undefined {
    const frames = this.frames;
    if (frames !== undefined) {
      for (let i = frames.length - 1; i >= 0; i--) {
        const value = frames[i].get(name);
        if (value !== undefined) return value;
      }
    }
    return this.scope.symbols?.get(name);
  }

  private evalTraversal(expr: Expression): Value {
    // `var.x`, `local.x`, `each.value`, `count.index`: most references, read without building a list of steps.
    if (expr.kind === 'get-attr' && expr.object.kind === 'variable' && this.lookupSymbol(expr.object.name) === undefined) {
      const rootValue = this.scopeValue(expr.object.name, expr.name);
      if (rootValue !== undefined) return this.read(rootValue);
    }
    const steps: TraversalStep[] = [];
    let base = expr;
    while (base.kind === 'get-attr' || base.kind === 'index') {
      if (base.kind === 'get-attr') {
        steps.push({ kind: 'attr', name: base.name });
        base = base.object;
      } else {
        steps.push({ kind: 'index', key: base.key });
        base = base.collection;
      }
    }
    steps.reverse();
    if (base.kind !== 'variable') return this.applySteps(this.eval(base), steps, 0, expr);

    const name = base.name;
    const bound = this.lookupSymbol(name);
    if (bound !== undefined) return this.applySteps(this.read(bound), steps, 0, expr);
    const first = steps[0];
    const firstName = first?.kind === 'attr' ? first.name : undefined;
    if (firstName !== undefined) {
      const rootValue = this.scopeValue(name, firstName);
      if (rootValue !== undefined) return this.applySteps(this.read(rootValue), steps, 1, expr);
    }
    if (this.scope.resolve) {
      const referenceSteps: ReferenceStep[] = [];
      for (const step of steps) {
        if (step.kind === 'attr') {
          referenceSteps.push(step);
        } else {
          referenceSteps.push({ kind: 'index', key: this.eval(step.key) });
        }
      }
      const resolved = this.scope.resolve({ root: name, steps: referenceSteps, text: this.textOf(expr), range: expr.range });
      if (resolved !== undefined) return this.read(resolved);
    }
    return this.unknown(expr);
  }

  /** `var.NAME`, `local.NAME`, `count.index`, `each.key`/`each.value` from the scope, if it has them. */
  private scopeValue(name: string, firstName: string): Value | undefined {
    const scope = this.scope;
    if (name === 'var') return scope.vars?.get(firstName);
    if (name === 'local') return scope.locals?.get(firstName);
    if (name === 'count' && firstName === 'index') return scope.count?.index;
    if (name === 'each' && (firstName === 'key' || firstName === 'value')) return scope.each?.[firstName];
    // Terraform's `path.root` is the working directory, the root module's folder, as `.`.
    if (name === 'path' && scope.dataFiles !== undefined && (firstName === 'module' || firstName === 'root')) return stringValue(firstName === 'root' ? '.' : scope.dataFiles.modulePath);
    return undefined;
  }

  private applySteps(start: Value, steps: TraversalStep[], from: number, whole: Expression): Value {
    let value = start;
    for (let i = from; i < steps.length; i++) {
      const step = steps[i];
      if (value.kind === 'unknown') return value.error !== undefined ? value : this.unknown(whole);
      if (value.kind === 'ref') {
        if (step.kind === 'attr' && value.attribute === null) {
          value = { kind: 'ref', address: value.address, attribute: step.name, text: this.textOf(whole), range: whole.range };
          continue;
        }
        return this.unknown(whole);
      }
      if (step.kind === 'attr') {
        if (value.kind !== 'object') return this.unknown(whole, `cannot read attribute "${step.name}" of a ${describeKind(value)}`);
        const next = value.entries.get(step.name);
        if (next === undefined) return this.unknown(whole, `no attribute "${step.name}"`);
        value = this.read(next);
        continue;
      }
      const key = this.eval(step.key);
      if (key.kind === 'unknown') return withoutKnownItems(key);
      if (key.kind === 'ref') return unknownValue(key.text, key.range);
      const indexed = indexValue(value, key);
      if (typeof indexed === 'string') return this.unknown(whole, indexed);
      value = writtenAs(this.read(indexed), { text: this.textOf(whole), range: whole.range });
    }
    return value;
  }

  private evalSplat(expr: SplatExpr): Value {
    const source = this.eval(expr.source);
    if (source.kind === 'unknown' && source.error !== undefined) return source;
    if (source.kind === 'unknown') return this.unknown(expr);
    // A reference to an attribute may hold a list; one to a whole resource instance (no attribute) is one object.
    if (source.kind === 'ref' && source.attribute !== null) return this.unknown(expr);
    if (source.kind === 'null') return listValue([]);
    // A splat over a single non-list value treats it as a one-element list (HCL spec, "Splat Operators").
    const items = source.kind === 'list' ? source.items : [source];
    const results: Value[] = [];
    const splatItems = (this.splatItems ??= []);
    for (const item of items) {
      splatItems.push(item);
      const result = this.eval(expr.each);
      splatItems.pop();
      // An element left unresolved names the whole splat: `[*].id[0]` alone means nothing to a reader.
      const isEachUnresolved = result.kind === 'unknown' && result.error === undefined && sameRange(result.range, expr.each.range);
      results.push(isEachUnresolved ? this.unknown(expr) : writtenAs(result, { text: this.textOf(expr), range: expr.range }));
    }
    return listValue(results);
  }

  // ---- operators ---------------------------------------------------------------------------------------------

  private evalBinary(expr: Extract<Expression, { kind: 'binary' }>): Value {
    const op = expr.op;
    if (op === '&&' || op === '||') {
      const left = toBool(this.eval(expr.left), this, expr.left);
      if (left.kind === 'bool' && left.value === (op === '||')) return left;
      const right = toBool(this.eval(expr.right), this, expr.right);
      if (left.kind !== 'bool') return left;
      return right;
    }
    const left = this.eval(expr.left);
    const right = this.eval(expr.right);
    if (op === '==' || op === '!=') {
      const equal = valuesEqual(left, right);
      if (equal === null) return asUnknown(firstUnknown(left) ?? firstUnknown(right)!);
      return boolValue(op === '==' ? equal : !equal);
    }
    const a = toNumber(left, this, expr.left);
    if (a.kind !== 'number') return a;
    const b = toNumber(right, this, expr.right);
    if (b.kind !== 'number') return b;
    switch (op) {
      case '<':
        return boolValue(a.value < b.value);
      case '>':
        return boolValue(a.value > b.value);
      case '<=':
        return boolValue(a.value <= b.value);
      case '>=':
        return boolValue(a.value >= b.value);
      case '+':
      case '-':
      case '*':
        return numberValue(decimalArithmetic(op, a.value, b.value));
      case '/':
        return b.value === 0 ? this.unknown(expr, 'division by zero') : numberValue(a.value / b.value);
      case '%':
        return b.value === 0 ? this.unknown(expr, 'modulo by zero') : numberValue(a.value % b.value);
    }
  }

  // ---- collections -------------------------------------------------------------------------------------------

  /** Elements to iterate in Terraform's order: lists by index, maps/objects by key in lexical order. */
  private iterationEntries(collection: Value, expr: { start: number; end: number; range: SourceRange }): Array<[Value, Value]> | Value {
    if (collection.kind === 'unknown') return collection;
    if (collection.kind === 'ref') return unknownValue(collection.text, collection.range);
    if (collection.kind === 'list') return collection.items.map((item, i) => [numberValue(i), item]);
    if (collection.kind === 'object') {
      const keys = [...collection.entries.keys()].sort(compareStrings);
      return keys.map((key) => [stringValue(key), collection.entries.get(key)!]);
    }
    return this.unknown(expr, `cannot iterate over a ${describeKind(collection)}`);
  }

  private evalFor(expr: ForExpr): Value {
    const collection = this.eval(expr.collection);
    if (collection.kind === 'unknown' && collection.knownItems !== undefined && !expr.isGrouped) return this.evalForKnownItems(expr, collection, collection.knownItems);
    const entries = this.iterationEntries(collection, expr.collection);
    if (!Array.isArray(entries)) return entries.kind === 'unknown' ? withoutKnownItems(entries) : entries;
    const frame = new Map<string, Value>();
    const frames = (this.frames ??= []);
    frames.push(frame);
    try {
      const items: Value[] = [];
      const object = new Map<string, Value>();
      const groups = new Map<string, Value[]>();
      for (const [key, value] of entries) {
        frame.set(expr.valueVar, value);
        if (expr.keyVar !== null) frame.set(expr.keyVar, key);
        if (expr.condition) {
          const keep = toBool(this.eval(expr.condition), this, expr.condition);
          if (keep.kind !== 'bool') return keep;
          if (!keep.value) continue;
        }
        if (!expr.isObject || expr.keyExpr === null) {
          items.push(this.eval(expr.valueExpr));
          continue;
        }
        const keyValue = toStringValue(this.eval(expr.keyExpr), this, expr.keyExpr);
        if (keyValue.kind !== 'string') return keyValue;
        const itemValue = this.eval(expr.valueExpr);
        if (expr.isGrouped) {
          const group = groups.get(keyValue.value);
          if (group) group.push(itemValue);
          else groups.set(keyValue.value, [itemValue]);
        } else if (object.has(keyValue.value)) {
          return this.unknown(expr, `duplicate key ${JSON.stringify(keyValue.value)} (use "..." to group values by key)`);
        } else {
          object.set(keyValue.value, itemValue);
        }
      }
      if (!expr.isObject) return listValue(items);
      if (expr.isGrouped) {
        const grouped = new Map<string, Value>();
        for (const [key, values] of groups) grouped.set(key, listValue(values));
        return { kind: 'object', entries: grouped };
      }
      return { kind: 'object', entries: object };
    } finally {
      frames.pop();
    }
  }

  /**
   * A `for` over a list of unknown length: the known elements' results are known elements of the result, the rest
   * stays unknown. An element's index is unknown (the rest may come before it), and an element whose `if` is
   * unresolved may or may not be in the result, so it joins the unknown rest. An object `for`
   * (`{ for r in concat(var.rules, [{…}]) : r.name => r }`) has the known elements' entries: Terraform rejects a key
   * made twice (without `...`), so the unknown rest cannot replace one; an entry whose key is unresolved joins the rest.
   */
  private evalForKnownItems(expr: ForExpr, collection: UnknownValue, knownItems: Value[]): Value {
    const rest = withoutKnownItems(collection);
    const frame = new Map<string, Value>();
    const frames = (this.frames ??= []);
    frames.push(frame);
    try {
      const items: Value[] = [];
      const entries = new Map<string, Value>();
      for (const value of knownItems) {
        frame.set(expr.valueVar, value);
        if (expr.keyVar !== null) frame.set(expr.keyVar, rest);
        if (expr.condition) {
          const keep = toBool(this.eval(expr.condition), this, expr.condition);
          if (keep.kind === 'unknown' && keep.error !== undefined) return keep;
          if (keep.kind !== 'bool' || !keep.value) continue;
        }
        if (!expr.isObject || expr.keyExpr === null) {
          items.push(this.eval(expr.valueExpr));
          continue;
        }
        const keyValue = toStringValue(this.eval(expr.keyExpr), this, expr.keyExpr);
        if (keyValue.kind === 'unknown' && keyValue.error !== undefined) return keyValue;
        if (keyValue.kind !== 'string') continue;
        if (entries.has(keyValue.value)) return this.unknown(expr, `duplicate key ${JSON.stringify(keyValue.value)} (use "..." to group values by key)`);
        entries.set(keyValue.value, this.eval(expr.valueExpr));
      }
      return expr.isObject ? partialMap(rest, entries) : partialList(rest, items);
    } finally {
      frames.pop();
    }
  }

  // ---- templates and calls -----------------------------------------------------------------------------------

  private evalTemplate(expr: TemplateExpr): Value {
    const parts = expr.parts;
    // A plain string (every CIDR of a list literal): its text, without collecting it into chunks first.
    if (parts.length === 1 && parts[0].kind === 'text') return stringValue(parts[0].value);
    // "${x}" alone yields x's value unconverted (hclsyntax TemplateWrapExpr), so references and lists survive.
    if (parts.length === 1 && parts[0].kind === 'interp') return this.eval(parts[0].expr);
    const chunks: string[] = [];
    const problem = this.renderParts(parts, chunks);
    return problem ?? stringValue(chunks.join(''));
  }

  /** Appends the rendering of `parts` to `chunks`; returns the first unknown instead when there is one. */
  private renderParts(parts: TemplatePart[], chunks: string[]): Value | null {
    for (const part of parts) {
      switch (part.kind) {
        case 'text':
          chunks.push(part.value);
          break;
        case 'interp': {
          const value = toStringValue(this.eval(part.expr), this, part.expr);
          if (value.kind !== 'string') return value;
          chunks.push(value.value);
          break;
        }
        case 'template-if': {
          const condition = toBool(this.eval(part.condition), this, part.condition);
          if (condition.kind !== 'bool') return condition;
          const chosen = condition.value ? part.thenParts : part.elseParts;
          if (chosen) {
            const problem = this.renderParts(chosen, chunks);
            if (problem) return problem;
          }
          break;
        }
        case 'template-for': {
          const entries = this.iterationEntries(this.eval(part.collection), part.collection);
          if (!Array.isArray(entries)) return entries;
          const frame = new Map<string, Value>();
          const frames = (this.frames ??= []);
          frames.push(frame);
          try {
            for (const [key, value] of entries) {
              frame.set(part.valueVar, value);
              if (part.keyVar !== null) frame.set(part.keyVar, key);
              const problem = this.renderParts(part.bodyParts, chunks);
              if (problem) return problem;
            }
          } finally {
            frames.pop();
          }
          break;
        }
      }
    }
    return null;
  }

  private evalCall(expr: FunctionCallExpr): Value {
    // Terraform: `nonsensitive(x)` is x without its mark; `sensitive(x)` is x marked.
    const outerOrigin = this.sensitiveOrigin;
    const args = expr.args.map((arg) => this.eval(arg));
    if (expr.name === 'nonsensitive') this.sensitiveOrigin = outerOrigin;
    else if (expr.name === 'sensitive') this.sensitiveOrigin ??= '';
    if (expr.expandFinal && args.length > 0) {
      const last = args.pop()!;
      if (last.kind === 'unknown') return withoutKnownItems(last);
      if (last.kind === 'ref') return unknownValue(last.text, last.range);
      if (last.kind !== 'list') return this.unknown(expr, `"..." expands a list, not a ${describeKind(last)}`);
      args.push(...last.items);
    }
    const call = { name: expr.name, text: this.textOf(expr), range: expr.range };
    const files = this.scope.dataFiles;
    if (files !== undefined && FILE_FUNCTIONS.has(expr.name)) return this.callFileFunction(call, args, files);
    if (files !== undefined && !isSupportedFunction(expr.name)) files.noteNotComputed(this.scope.text, expr.range, `function ${expr.name} is not computed: a value that uses it is unresolved`);
    return writtenAs(callFunction(expr.name, args, call), call);
  }

  /** `file`, `fileexists`, `fileset` and `templatefile`: they read files (`Scope.dataFiles`), so they are not pure functions. */
  private callFileFunction(call: { name: string; text: string; range: SourceRange }, args: Value[], files: DataFiles): Value {
    const expected = call.name === 'templatefile' || call.name === 'fileset' ? 2 : 1;
    if (args.length !== expected) return unknownValue(call.text, call.range, `${call.name}: expects ${expected} argument${expected === 1 ? '' : 's'}, got ${args.length}`);
    const [pathArg] = args;
    if (pathArg!.kind === 'unknown') return withoutKnownItems(pathArg!);
    if (pathArg!.kind === 'ref') return unknownValue(pathArg!.text, pathArg!.range);
    if (pathArg!.kind !== 'string') return unknownValue(call.text, call.range, `${call.name}: the path must be a string, not a ${describeKind(pathArg!)}`);
    if (call.name === 'fileset') return this.fileSet(call, pathArg!.value, args[1]!, files);
    const read = files.read(pathArg!.value);
    if (call.name === 'fileexists') {
      if ('text' in read) return boolValue(true);
      if ('error' in read && read.error === NO_FILE) return boolValue(false);
    }
    if ('error' in read) return unknownValue(call.text, call.range, `${call.name}: ${read.error} (${JSON.stringify(pathArg!.value)})`);
    if ('notRead' in read) {
      files.noteNotComputed(this.scope.text, call.range, `${JSON.stringify(pathArg!.value)} is not read (${read.notRead}): ${call.name} is unresolved`);
      return unknownValue(call.text, call.range);
    }
    if (call.name === 'file') return stringValue(read.text);
    const rendered = renderTemplateFile(read.text, args[1]!, call);
    if (rendered.kind === 'unknown' && rendered.error === undefined && sameRange(rendered.range, call.range)) {
      files.noteNotComputed(this.scope.text, call.range, 'function templatefile is not computed for this template (it uses more than the given variables, or values not known statically): it is unresolved');
    }
    return rendered;
  }

  /** `fileset(path, pattern)`: the files under `path` that `pattern` matches, relative to `path`, as a set. */
  private fileSet(call: { name: string; text: string; range: SourceRange }, folder: string, pattern: Value, files: DataFiles): Value {
    if (pattern.kind === 'unknown') return withoutKnownItems(pattern);
    if (pattern.kind === 'ref') return unknownValue(pattern.text, pattern.range);
    if (pattern.kind !== 'string') return unknownValue(call.text, call.range, `fileset: the pattern must be a string, not a ${describeKind(pattern)}`);
    const listed = files.list(folder, pattern.value);
    if ('notRead' in listed) {
      files.noteNotComputed(this.scope.text, call.range, `${JSON.stringify(folder)} is not listed (${listed.notRead}): fileset is unresolved`);
      return unknownValue(call.text, call.range);
    }
    return setValue(listed.files.map(stringValue));
  }

  /** Unknown located at `node`, for conversions that fail. */
  failAt(node: { start: number; end: number; range: SourceRange }, error: string): UnknownValue {
    return this.unknown(node, error);
  }
}

const FILE_FUNCTIONS: ReadonlySet<string> = new Set(['file', 'fileexists', 'fileset', 'templatefile']);

/** The `error` of `DataFileRead` for a path where there is no file (`fileexists` is false there). */
export const NO_FILE = 'no file exists at the given path';

/**
 * `templatefile(path, vars)`: the file read as a template (interpolations and directives, as a heredoc's) with only
 * the given variables in scope. A template whose result is not wholly known stays unresolved as the call.
 */
function renderTemplateFile(template: string, vars: Value, call: { name: string; text: string; range: SourceRange }): Value {
  if (vars.kind === 'unknown') return withoutKnownItems(vars);
  if (vars.kind === 'ref') return unknownValue(vars.text, vars.range);
  if (vars.kind !== 'object') return unknownValue(call.text, call.range, `templatefile: the variables must be an object, not a ${describeKind(vars)}`);
  // A heredoc reads a template exactly as a template file is read (no backslash escapes); its delimiter is a line the
  // template does not have, and it always ends in a newline, which is dropped where the file has none.
  const lines = new Set(template.split(/\r?\n/).map((line) => line.trim()));
  let delimiter = 'FWLINT_TEMPLATE';
  while (lines.has(delimiter)) delimiter += '_';
  const endsWithNewline = template.endsWith('\n');
  const text = `value = <<${delimiter}\n${template}${endsWithNewline ? '' : '\n'}${delimiter}\n`;
  const parsed = parseHcl(text, call.text);
  const attribute = parsed.body?.attributes[0];
  if (parsed.diagnostics.length > 0 || !attribute) return unknownValue(call.text, call.range, 'templatefile: the template is not valid template syntax');
  const rendered = evaluate(attribute.expr, { text, symbols: vars.entries });
  if (rendered.kind !== 'string') return unknownValue(call.text, call.range, rendered.kind === 'unknown' && rendered.error !== undefined ? `templatefile: ${rendered.error}` : undefined);
  return stringValue(endsWithNewline ? rendered.value : rendered.value.slice(0, -1));
}

function asUnknown(value: Value): UnknownValue {
  if (value.kind === 'unknown') return value;
  if (value.kind === 'ref') return unknownValue(value.text, value.range);
  throw new Error(`internal: ${value.kind} is known`);
}

function describeKind(value: Value): string {
  switch (value.kind) {
    case 'list':
      return 'list';
    case 'object':
      return 'object';
    case 'null':
      return 'null value';
    default:
      return value.kind;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `collection[key]`; returns an error message instead of a value when the index is invalid. */
function indexValue(collection: Value, key: Value): Value | string {
  if (collection.kind === 'list') {
    const n = key.kind === 'number' ? key.value : key.kind === 'string' && key.value.trim() !== '' ? Number(key.value) : NaN;
    if (!Number.isInteger(n)) return 'a list index must be a whole number';
    if (n < 0 || n >= collection.items.length) return `index ${n} out of range for a list of ${collection.items.length}`;
    return collection.items[n];
  }
  if (collection.kind === 'object') {
    const name = key.kind === 'string' ? key.value : key.kind === 'number' ? formatNumber(key.value) : key.kind === 'bool' ? String(key.value) : null;
    if (name === null) return 'an object key must be a string';
    const item = collection.entries.get(name);
    return item === undefined ? `no element for key ${JSON.stringify(name)}` : item;
  }
  return `cannot index a ${describeKind(collection)}`;
}

type Located = { start: number; end: number; range: SourceRange };

/** Terraform's implicit conversion to string (numbers and bools convert; null and collections do not). */
function toStringValue(value: Value, evaluator: Evaluator, at: Located): Value {
  switch (value.kind) {
    case 'string':
    case 'unknown':
      return value;
    case 'ref':
      return unknownValue(value.text, value.range);
    case 'number':
      return stringValue(formatNumber(value.value));
    case 'bool':
      return stringValue(value.value ? 'true' : 'false');
    default:
      return evaluator.failAt(at, `a string is required, not a ${describeKind(value)}`);
  }
}

/** Terraform's implicit conversion to bool (the strings "true"/"false" convert). */
function toBool(value: Value, evaluator: Evaluator, at: Located): Value {
  switch (value.kind) {
    case 'bool':
    case 'unknown':
      return value;
    case 'ref':
      return unknownValue(value.text, value.range);
    case 'string':
      if (value.value === 'true') return boolValue(true);
      if (value.value === 'false') return boolValue(false);
      return evaluator.failAt(at, `a bool is required, not the string ${JSON.stringify(value.value)}`);
    default:
      return evaluator.failAt(at, `a bool is required, not a ${describeKind(value)}`);
  }
}

/** Terraform's implicit conversion to number (decimal strings such as "22" convert). */
function toNumber(value: Value, evaluator: Evaluator, at: Located): Value {
  switch (value.kind) {
    case 'number':
    case 'unknown':
      return value;
    case 'ref':
      return unknownValue(value.text, value.range);
    case 'string': {
      const n = parseDecimal(value.value);
      return n === null ? evaluator.failAt(at, `a number is required, not the string ${JSON.stringify(value.value)}`) : numberValue(n);
    }
    default:
      return evaluator.failAt(at, `a number is required, not a ${describeKind(value)}`);
  }
}

/**
 * A resource reference taken out of a list or returned by a function, written as the expression that gave it
 * (`one(aws_security_group.web[*].id)`): the text it carried was the part inside (`.*.id` of a splat's element),
 * which means nothing to a reader of a message or of a rule written in the resource's place.
 */
function writtenAs(value: Value, expr: { text: string; range: SourceRange }): Value {
  return value.kind === 'ref' && value.text !== expr.text ? { ...value, text: expr.text, range: expr.range } : value;
}

function sameRange(a: SourceRange, b: SourceRange): boolean {
  return a.startLine === b.startLine && a.startColumn === b.startColumn && a.endLine === b.endLine && a.endColumn === b.endColumn;
}
