import { evaluate, isWhollyKnown, listValue, objectValue, stringValue, unknownValue, withoutKnownItems, type Attribute, type Block, type RefValue, type Scope, type UnknownValue, type Value } from './hcl';
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

/**
 * Address arguments of network resources that the configuration sets (required, or set where given: never computed
 * by the provider when written), by resource type: a rule's `cidr_blocks = [aws_vpc.main.cidr_block]` reads what is
 * written there. Only these: other attributes of a resource stay references (a group's `id`, a network's `name`,
 * which rules join by reference).
 */
const WRITTEN_ADDRESS_ARGUMENTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['aws_vpc', ['cidr_block']],
  ['aws_subnet', ['cidr_block']],
  ['aws_vpc_ipv4_cidr_block_association', ['cidr_block']],
  ['google_compute_subnetwork', ['ip_cidr_range']],
  ['azurerm_virtual_network', ['address_space']],
  ['azurerm_subnet', ['address_prefixes']],
]);

/**
 * Resolves a reference to an address argument of a resource of this module (`aws_vpc.main.cidr_block`,
 * `aws_subnet.app[0].cidr_block`) to the value written for that instance, evaluated with its `count.index` or
 * `each`; undefined (the reference stays opaque) for any other attribute, an instance that does not exist, or a value
 * not known statically. `scopeFor(text)` is the module's scope for a file's text.
 */
export function writtenArgumentResolver(
  files: ReadonlyArray<{ file: SourceFile; blocks: Block[] }>,
  scopeFor: (text: string) => Scope,
): (type: string, name: string, instanceKey: Value | undefined, argument: string) => Value | undefined {
  const values = new Map<string, Value | undefined>();
  const inProgress = new Set<string>();
  return (type, name, instanceKey, argument) => {
    if (!WRITTEN_ADDRESS_ARGUMENTS.get(type)?.includes(argument)) return undefined;
    if (instanceKey !== undefined && instanceKey.kind !== 'number' && instanceKey.kind !== 'string') return undefined;
    const key = `${type}.${name}${instanceKey === undefined ? '' : `[${JSON.stringify(instanceKey.value)}]`}.${argument}`;
    if (values.has(key)) return values.get(key);
    // Arguments that read each other are a cycle Terraform rejects.
    if (inProgress.has(key)) return undefined;
    inProgress.add(key);
    const value = writtenArgument(files, type, name, instanceKey, argument, scopeFor);
    inProgress.delete(key);
    values.set(key, value);
    return value;
  };
}

function writtenArgument(
  files: ReadonlyArray<{ file: SourceFile; blocks: Block[] }>,
  type: string,
  name: string,
  instanceKey: (Value & { kind: 'number' | 'string' }) | undefined,
  argument: string,
  scopeFor: (text: string) => Scope,
): Value | undefined {
  for (const { file, blocks } of files) {
    const block = blocks.find((candidate) => candidate.type === 'resource' && candidate.labels[0] === type && candidate.labels[1] === name);
    if (!block) continue;
    const attributes = block.body.attributes;
    const written = attributes.find((attribute) => attribute.name === argument);
    if (!written) return undefined;
    const scope = scopeFor(writtenIn(written, file).text);
    const instance = instanceScope(attributes.find((attribute) => attribute.name === 'count'), attributes.find((attribute) => attribute.name === 'for_each'), instanceKey, file, scopeFor);
    if (instance === undefined) return undefined;
    const value = evaluate(written.expr, { ...scope, ...instance });
    return isWhollyKnown(value) ? value : undefined;
  }
  return undefined;
}

/** `count.index` or `each` of the instance `key` names, {} for a resource without either; undefined when it does not exist. */
function instanceScope(
  count: Attribute | undefined,
  forEach: Attribute | undefined,
  key: (Value & { kind: 'number' | 'string' }) | undefined,
  file: SourceFile,
  scopeFor: (text: string) => Scope,
): Partial<Scope> | undefined {
  if (count === undefined && forEach === undefined) return key === undefined ? {} : undefined;
  if (key === undefined) return undefined;
  if (count !== undefined) {
    const value = evaluate(count.expr, scopeFor(writtenIn(count, file).text));
    const isInstance = key.kind === 'number' && value.kind === 'number' && Number.isInteger(key.value) && key.value >= 0 && key.value < value.value;
    return isInstance ? { count: { index: key } } : undefined;
  }
  const entries = collectionEntries(evaluate(forEach!.expr, scopeFor(writtenIn(forEach!, file).text)));
  const entry = key.kind === 'string' ? entries?.find(([entryKey]) => entryKey === key.value) : undefined;
  return entry ? { each: { key: stringValue(entry[0]), value: entry[1] } } : undefined;
}
