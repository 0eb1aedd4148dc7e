import { negateCondition } from '../../model/branch';
import { evaluate, mentionsVariable, objectKeyName, unwrapParens, type Expression, type Scope, type TemplatePart } from './hcl';

/** The name of a conditional's condition when it cannot be decided in `scope` (see `conditionName`). */
export function undecidedCondition(expr: Expression, scope: Scope): string | undefined {
  if (expr.kind !== 'conditional') return undefined;
  const condition = evaluate(expr.condition, scope);
  if (condition.kind !== 'unknown' && condition.kind !== 'ref') return undefined;
  return conditionName(expr.condition, scope);
}

/**
 * The name a condition fwlint cannot decide gets in rules' `branch` (`var.public`, `var.env == "prod"`). Rules whose
 * branches give one name different values are never combined, so a name must mean the same wherever it is met. In a
 * root module it is the condition as written. A module's names are its own, not the root's: in a module instance,
 * `var.NAME` is the caller's argument, named in turn in the caller (`var.env == "prod"` with `env = var.stage` is
 * `var.stage == "prod"`, which the root can set), a local that tests the module's variables by that test (see
 * `localName`), and every other name of the module, or a variable whose argument differs per instance
 * (`each.value`), is qualified by the instance (`module.a.local.ready`, `module.a["x"].var.env`), which never equals
 * a root name.
 */
export function conditionName(condition: Expression, scope: Scope): string {
  const address = scope.moduleAddress;
  if (!address) return scope.text.slice(condition.start, condition.end);
  return moduleName(condition, scope, address, MAX_LOCAL_HOPS).text;
}

/** Module locals followed to their definitions in one name (`local.open` → `local.env_is_prod` → `var.env == "prod"`). */
const MAX_LOCAL_HOPS = 4;

/**
 * A condition's name in a module instance. `atomic` when it needs no parentheses inside a larger expression;
 * `ofInstance` when it holds a name only the instance has (a resource, `each`, a local that is not a test of the
 * module's variables), so a local defined by it keeps a name of its own.
 */
function moduleName(condition: Expression, scope: Scope, address: string, hops: number): { text: string; atomic: boolean; ofInstance: boolean } {
  const expr = unwrapParens(condition);
  // `!var.public` with `public = !var.open` is `var.open`, as the root's own `!var.open` would be negated, not `!(!var.open)`.
  if (expr.kind === 'unary' && expr.op === '!') {
    const operand = moduleName(expr.operand, scope, address, hops);
    return { text: negateCondition(operand.text), atomic: false, ofInstance: operand.ofInstance };
  }
  const variable = variableReference(expr);
  if (variable !== undefined) return { ...moduleVariableName(variable, scope, address), ofInstance: false };
  const local = localName(expr, scope, address, hops);
  if (local) return local;
  const replacements: Replacement[] = [];
  const found = { ofInstance: false };
  collectNames(expr, scope, address, NO_BOUND, replacements, hops, found);
  let name = '';
  let position = expr.start;
  for (const replacement of replacements) {
    name += scope.text.slice(position, replacement.start) + replacement.text;
    position = replacement.end;
  }
  return { text: name + scope.text.slice(position, expr.end), atomic: !COMPOUND_KINDS.has(expr.kind), ofInstance: found.ofInstance };
}

const COMPOUND_KINDS = new Set<Expression['kind']>(['unary', 'binary', 'conditional']);

/**
 * `local.NAME` of a module named by its definition when that tests only the module's variables (`open = var.env ==
 * "prod"` with `env = var.stage` is `var.stage == "prod"`, `open = var.public` the root's `var.public`): the same
 * condition as a root test or another instance's local on it, so sides that cannot coexist are never combined.
 * Undefined for anything else (qualified by the instance, as before).
 */
function localName(expr: Expression, scope: Scope, address: string, hops: number): { text: string; atomic: boolean; ofInstance: boolean } | undefined {
  if (hops === 0 || expr.kind !== 'get-attr' || expr.object.kind !== 'variable' || expr.object.name !== 'local') return undefined;
  const definition = scope.definitionOf?.('local', expr.name);
  if (!definition) return undefined;
  const named = moduleName(definition.expr, definition.scope, definition.scope.moduleAddress ?? address, hops - 1);
  return named.ofInstance ? undefined : named;
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

const NO_BOUND: readonly string[] = [];

/** Names the same everywhere, so not qualified by the module instance. */
const GLOBAL_NAMES = new Set(['terraform']);

/** Names that differ per instance of a module call: an argument using them cannot stand for the variable. */
const INSTANCE_NAMES = ['count', 'each', 'self'];

/** `var.NAME` (the variable's name), or undefined. */
function variableReference(expr: Expression): string | undefined {
  return expr.kind === 'get-attr' && expr.object.kind === 'variable' && expr.object.name === 'var' ? expr.name : undefined;
}

/**
 * A module variable's name: the caller's argument named in the caller's scope, or the variable qualified by the
 * instance. `atomic` when it needs no parentheses inside a larger expression.
 */
function moduleVariableName(name: string, scope: Scope, address: string): { text: string; atomic: boolean } {
  const definition = scope.definitionOf?.('var', name);
  if (definition && !INSTANCE_NAMES.some((instanceName) => mentionsVariable(definition.expr, instanceName))) {
    // Parentheses around the whole argument are not part of the name (`(var.open)` is `var.open`).
    const written = unwrapParens(definition.expr);
    return { text: conditionName(written, definition.scope), atomic: !COMPOUND_KINDS.has(written.kind) };
  }
  return { text: `${address}.var.${name}`, atomic: true };
}

/**
 * The replacements that name the module's references in `expr` (source order); `bound` are for-expression iterators.
 * `found.ofInstance` is set when one is a name only the instance has (see `moduleName`).
 */
function collectNames(expr: Expression | TemplatePart, scope: Scope, address: string, bound: readonly string[], out: Replacement[], hops: number, found: { ofInstance: boolean }): void {
  const walk = (node: Expression | TemplatePart | null, inner: readonly string[] = bound): void => {
    if (node) collectNames(node, scope, address, inner, out, hops, found);
  };
  switch (expr.kind) {
    case 'variable':
      if (!bound.includes(expr.name) && !GLOBAL_NAMES.has(expr.name)) {
        out.push({ start: expr.start, end: expr.end, text: `${address}.${expr.name}` });
        found.ofInstance = true;
      }
      return;
    case 'get-attr': {
      const local = bound.includes('local') ? undefined : localName(expr, scope, address, hops);
      if (local) {
        out.push({ start: expr.start, end: expr.end, text: local.atomic ? local.text : `(${local.text})` });
        return;
      }
      const variable = bound.includes('var') ? undefined : variableReference(expr);
      if (variable === undefined) return walk(expr.object);
      const named = moduleVariableName(variable, scope, address);
      out.push({ start: expr.start, end: expr.end, text: named.atomic ? named.text : `(${named.text})` });
      return;
    }
    case 'literal':
    case 'splat-item':
    case 'invalid':
    case 'text':
      return;
    case 'template':
      return expr.parts.forEach((part) => walk(part));
    case 'interp':
      return walk(expr.expr);
    case 'template-if':
      return [expr.condition, ...expr.thenParts, ...(expr.elseParts ?? [])].forEach((part) => walk(part));
    case 'template-for': {
      walk(expr.collection);
      const inside = [...bound, expr.valueVar, ...(expr.keyVar === null ? [] : [expr.keyVar])];
      return expr.bodyParts.forEach((part) => walk(part, inside));
    }
    case 'tuple':
      return expr.items.forEach((item) => walk(item));
    case 'object':
      return expr.items.forEach((item) => {
        if (objectKeyName(item.key) === null) walk(item.key);
        walk(item.value);
      });
    case 'index':
      walk(expr.collection);
      return walk(expr.key);
    case 'splat':
      walk(expr.source);
      return walk(expr.each);
    case 'function-call':
      return expr.args.forEach((arg) => walk(arg));
    case 'conditional':
      return [expr.condition, expr.trueExpr, expr.falseExpr].forEach((part) => walk(part));
    case 'binary':
      walk(expr.left);
      return walk(expr.right);
    case 'unary':
      return walk(expr.operand);
    case 'parens':
      return walk(expr.expr);
    case 'for': {
      walk(expr.collection);
      const inside = [...bound, expr.valueVar, ...(expr.keyVar === null ? [] : [expr.keyVar])];
      return [expr.keyExpr, expr.valueExpr, expr.condition].forEach((part) => walk(part, inside));
    }
  }
}

/**
 * The branch of what exists only where all of `conditions` hold (a toggled resource in an instance of a toggled
 * module): them joined with ` and `, as a rule's `branch` holds them, repeats dropped; undefined for none, null when
 * one is another's negation (it never exists).
 */
export function branchOfAll(conditions: readonly string[]): string | undefined | null {
  const distinct = [...new Set(conditions)];
  if (distinct.some((condition) => distinct.includes(negateCondition(condition)))) return null;
  return distinct.length === 0 ? undefined : distinct.join(' and ');
}
