import { evaluate, listValue, objectValue, unknownValue, withoutKnownItems, type Block, type RefValue, type Scope, type UnknownValue, type Value } from './hcl';
import type { SourceFile } from '../../model/source-file';
import { writtenIn } from './override-files';

/** An instance's index by its `for_each` key, as Terraform writes it: `["rdp"]`. */
export function instanceKeySuffix(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

/**
 * The entries a `for_each` collection of unknown size is known to hold (`merge(var.rules, { ssh = … })`, a set of
 * strings `toset(concat(var.extra, ["a"]))`), as `collectionEntries` gives them, and the unknown rest; undefined for
 * anything else.
 */
export function knownCollectionEntries(value: Value): { entries: Array<[string, Value]>; rest: UnknownValue } | undefined {
  if (value.kind !== 'unknown') return undefined;
  const known = value.knownEntries ? objectValue(value.knownEntries) : value.knownItems ? listValue(value.knownItems) : undefined;
  const entries = known && collectionEntries(known);
  return entries ? { entries, rest: withoutKnownItems(value) } : undefined;
}

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
  files: ReadonlyArray<{ file: SourceFile; blocks: Block[] }>,
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

function expandedValue(files: ReadonlyArray<{ file: SourceFile; blocks: Block[] }>, type: string, name: string, single: RefValue, scopeFor: (text: string) => Scope): Value {
  for (const { file, blocks } of files) {
    const block = blocks.find((candidate) => candidate.type === 'resource' && candidate.labels[0] === type && candidate.labels[1] === name);
    if (!block) continue;
    const instance = (suffix: string): RefValue => ({ ...single, address: `${single.address}${suffix}` });
    const count = block.body.attributes.find((attribute) => attribute.name === 'count');
    const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
    if (count) {
      const value = evaluate(count.expr, scopeFor(writtenIn(count, file).text));
      if (value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0 && value.value <= MAX_INSTANCES) {
        return listValue(Array.from({ length: value.value }, (_, index) => instance(`[${index}]`)));
      }
    } else if (forEach) {
      const entries = collectionEntries(evaluate(forEach.expr, scopeFor(writtenIn(forEach, file).text)));
      if (entries && entries.length <= MAX_INSTANCES) return objectValue(new Map(entries.map(([key]) => [key, instance(instanceKeySuffix(key))])));
    } else {
      return single;
    }
    return unknownValue(single.text, single.range);
  }
  // Not declared in this module (Terraform would reject it): left as the plain reference it always was.
  return single;
}
