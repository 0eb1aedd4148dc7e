import { negateCondition } from '../../model/branch';
import { undecidedCondition } from './condition-names';
import { evaluate, listValue, objectValue, unknownValue, unwrapParens, type Block, type Expression, type RefValue, type Scope, type Value } from './hcl';

/** Key/value pairs of a map (sorted by key, as Terraform iterates) or of a set/list of strings; undefined when unknown. */
export function collectionEntries(value: Value): Array<[string, Value]> | undefined {
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

/** Instances read per resource, as for `count`/`for_each` in `hcl-resources.ts`. */
const MAX_INSTANCES = 10000;

/**
 * Resolves a resource named without an index (`aws_security_group.web`, as in `aws_security_group.web[*].id` or
 * `one(aws_security_group.web[*].id)`) to Terraform's value for it: with `count`, a list of its instances
 * (`aws_security_group.web[0]`…); with `for_each`, a map of them by key; otherwise the one instance, `single`.
 * When the number of instances is unknown (an undecidable `count`), so is the value: a splat over it must not
 * name an instance that may not exist. `scopeFor(text)` is the module's scope for a file's text.
 */
export function wholeResourceResolver(
  files: ReadonlyArray<{ file: { text: string }; blocks: Block[] }>,
  scopeFor: (text: string) => Scope,
): (type: string, name: string, single: RefValue) => Value {
  const values = new Map<string, Value>();
  const inProgress = new Set<string>();
  return (type, name, single) => {
    const key = `${type}.${name}`;
    const cached = values.get(key);
    if (cached) return cached;
    // A count that refers to its own resource is a cycle Terraform rejects.
    if (inProgress.has(key)) return unknownValue(single.text, single.range);
    inProgress.add(key);
    const value = expandedValue(files, type, name, single, scopeFor);
    inProgress.delete(key);
    values.set(key, value);
    return value;
  };
}

function expandedValue(files: ReadonlyArray<{ file: { text: string }; blocks: Block[] }>, type: string, name: string, single: RefValue, scopeFor: (text: string) => Scope): Value {
  for (const { file, blocks } of files) {
    const block = blocks.find((candidate) => candidate.type === 'resource' && candidate.labels[0] === type && candidate.labels[1] === name);
    if (!block) continue;
    const instance = (suffix: string): RefValue => ({ ...single, address: `${single.address}${suffix}` });
    const count = block.body.attributes.find((attribute) => attribute.name === 'count');
    const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
    if (count) {
      const value = evaluate(count.expr, scopeFor(file.text));
      if (value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 && value.value <= MAX_INSTANCES) {
        return listValue(Array.from({ length: value.value }, (_, index) => instance(`[${index}]`)));
      }
    } else if (forEach) {
      const entries = collectionEntries(evaluate(forEach.expr, scopeFor(file.text)));
      if (entries && entries.length <= MAX_INSTANCES) return objectValue(new Map(entries.map(([key]) => [key, instance(`[${JSON.stringify(key)}]`)])));
    } else {
      return single;
    }
    return unknownValue(single.text, single.range);
  }
  // Not declared in this module (Terraform would reject it): left as the plain reference it always was.
  return single;
}

/**
 * The indexes `count = c ? a : b` creates when `c` cannot be decided (a resource's or a module call's count), each
 * with the condition it exists under: those both sides create always (no condition), the rest under the larger
 * side's condition (the toggle `var.create ? 1 : 0` is the case where the smaller side creates none). At most
 * `limit`; undefined unless both sides are whole numbers.
 */
export function conditionalCount(written: Expression, scope: Scope, limit: number): Array<{ index: number; branch?: string }> | undefined {
  const sides = conditionalSides(written, scope, (value) => (value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 ? value.value : undefined));
  if (!sides) return undefined;
  const shared = Math.min(sides.whenTrue, sides.whenFalse);
  const branch = sides.whenTrue > sides.whenFalse ? sides.condition : negateCondition(sides.condition);
  return Array.from({ length: Math.min(Math.max(sides.whenTrue, sides.whenFalse), limit) }, (_, index) => (index >= shared ? { index, branch } : { index }));
}

/** `c ? a : b` with an undecidable `c`: its condition and both sides read with `read`; undefined unless both are known. */
export function conditionalSides<T>(written: Expression, scope: Scope, read: (value: Value) => T | undefined): { condition: string; whenTrue: T; whenFalse: T } | undefined {
  const expr = unwrapParens(written);
  const condition = undecidedCondition(expr, scope);
  if (condition === undefined || expr.kind !== 'conditional') return undefined;
  const whenTrue = read(evaluate(expr.trueExpr, scope));
  const whenFalse = read(evaluate(expr.falseExpr, scope));
  return whenTrue === undefined || whenFalse === undefined ? undefined : { condition, whenTrue, whenFalse };
}
