import type { SourceRange } from '../../model/location';
import { FOREACH_EXPANSION_BUDGET, MAX_NESTING_DEPTH } from './limits';
import { describeNode, type MapEntry, type TemplateNode } from './template-node';

const LOOP_PREFIX = 'Fn::ForEach::';

/** What expanding a loop needs from the template: its collection's values, and a place for diagnostics. */
export interface LoopContext {
  /** The collection's values when statically known (a literal list, a list parameter with a value, …). */
  collection(node: TemplateNode): string[] | undefined;
  report(severity: 'error' | 'warning', code: string, message: string, range: SourceRange): void;
  /** Values the template's loops may still generate (from `FOREACH_EXPANSION_BUDGET`), shared by all of them. */
  budget: LoopBudget;
  /** What the loops being expanded generate, for messages: `resources`, `conditions`, `properties`. */
  generates?: string;
}

interface LoopBudget {
  left: number;
  reported: boolean;
}

export function newLoopBudget(): LoopBudget {
  return { left: FOREACH_EXPANSION_BUDGET, reported: false };
}

/**
 * Which loop item stamped out a resource: the loop's key (`Fn::ForEach::Ports`), the collection's value, and where
 * that value is written when the collection is a literal list; for nested loops, the innermost one's. Removing a value
 * of an inner loop's collection removes it for every value of the outer ones: `levels` says, per loop (outermost
 * first), how many resources of the same output key share this resource's value, and `output` how many that key
 * stamps out in all and whether the outermost loop stamps out nothing else.
 */
export interface LoopItem {
  loop: string;
  value: string;
  valueRange?: SourceRange;
  levels?: Array<{ loop: string; value: string; sharing: number }>;
  output?: { key: string; instances: number; only: boolean };
}

/** A resource a loop stamps out, with the loop item that made it. */
export interface StampedEntry {
  entry: MapEntry;
  item?: LoopItem;
}

export function isLoopKey(key: string): boolean {
  return key.startsWith(LOOP_PREFIX);
}

/**
 * The resources an `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` entry of `Resources` stamps
 * out (AWS::LanguageExtensions, Fn::ForEach reference): per value of the collection, each output entry with every
 * `${Identifier}` in keys and strings replaced by the value, `&{Identifier}` by the value without its
 * non-alphanumeric characters, and `Ref: Identifier` by the value. Loops inside the output expand in turn. A loop whose
 * collection is not known, or that is malformed, generates nothing, with a diagnostic at its line. Generated
 * nodes keep the ranges of the loop's body, so findings point at what the author wrote.
 */
export function expandLoop(entry: MapEntry, context: LoopContext): StampedEntry[] {
  const generated: Generated[] = [];
  expandInto(entry, context, generated, 0, []);
  // Per output key as written (one place, copied for each item of an outer loop): how many resources it stamps out,
  // and how many share each loop's value.
  const place = (output: MapEntry): string => `${output.keyRange.startLine}:${output.keyRange.startColumn}`;
  const instances = new Map<string, number>();
  const sharing = new Map<string, number>();
  const count = (counts: Map<string, number>, key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const { output, chain } of generated) {
    count(instances, place(output));
    chain.forEach((level, index) => count(sharing, `${place(output)}\u0000${index}\u0000${level.value}`));
  }
  return generated.map(({ entry: stamped, output, chain }) => {
    const innermost = chain[chain.length - 1]!;
    const item: LoopItem = {
      ...innermost,
      levels: chain.map((level, index) => ({ loop: level.loop, value: level.value, sharing: sharing.get(`${place(output)}\u0000${index}\u0000${level.value}`)! })),
      output: { key: output.writtenKey ?? output.key, instances: instances.get(place(output))!, only: instances.size === 1 },
    };
    return { entry: stamped, item };
  });
}

/** A stamped-out entry, the output entry as written that made it, and the item of each loop it was made in. */
interface Generated {
  entry: MapEntry;
  output: MapEntry;
  chain: LoopItem[];
}

function expandInto(entry: MapEntry, context: LoopContext, generated: Generated[], depth: number, chain: readonly LoopItem[]): void {
  const { budget } = context;
  const spent = (): boolean => {
    if (budget.left > 0) return false;
    if (!budget.reported) {
      budget.reported = true;
      context.report('warning', 'parse/cfn-foreach', `Fn::ForEach loops generate more than ${FOREACH_EXPANSION_BUDGET} values; ${entry.key} and what follows it are not fully analyzed`, entry.keyRange);
    }
    return true;
  };
  budget.left--;
  if (spent()) return;
  const operands = entry.value.kind === 'list' ? entry.value.items : [];
  const [identifierNode, collectionNode, output] = operands;
  const identifier = identifierNode?.kind === 'scalar' && typeof identifierNode.value === 'string' ? identifierNode.value : undefined;
  if (operands.length !== 3 || identifier === undefined || !/^[A-Za-z0-9]+$/.test(identifier) || output?.kind !== 'map') {
    context.report('error', 'parse/cfn-foreach', `${entry.key} must be [Identifier, Collection, {OutputKey: OutputValue}] with an alphanumeric Identifier; the ${context.generates ?? 'resources'} it would generate are not analyzed`, entry.keyRange);
    return;
  }
  const values = context.collection(collectionNode!);
  if (values === undefined) {
    context.report('warning', 'parse/cfn-foreach', `${context.generates ?? 'resources'} generated by ${entry.key} are not analyzed: its collection ${describeNode(collectionNode!)} cannot be resolved statically`, collectionNode!.range);
    return;
  }
  for (const outputEntry of output.entries) {
    if (!isLoopKey(outputEntry.key) && !outputEntry.key.includes(`\${${identifier}}`) && !outputEntry.key.includes(`&{${identifier}}`)) {
      context.report('error', 'parse/cfn-foreach', `${entry.key}: the output key "${outputEntry.key}" must contain \${${identifier}} or &{${identifier}}, or every item of the collection gives the same key`, outputEntry.keyRange);
    }
  }
  budget.left -= values.length;
  const written = collectionNode!.kind === 'list' && collectionNode!.items.length === values.length ? collectionNode!.items : undefined;
  for (const [index, value] of values.entries()) {
    const element = written?.[index];
    const item: LoopItem = { loop: entry.key, value, ...(element?.kind === 'scalar' ? { valueRange: element.range } : {}) };
    const replace = (text: string): string => text.split(`\${${identifier}}`).join(value).split(`&{${identifier}}`).join(value.replace(/[^A-Za-z0-9]/g, ''));
    for (const outputEntry of output.entries) {
      if (spent()) return;
      const stamped: MapEntry = { ...outputEntry, key: replace(outputEntry.key), value: substitute(outputEntry.value, identifier, value, replace, budget, 0) };
      // A loop inside the output (nested Fn::ForEach) sees this loop's value already in place.
      if (isLoopKey(stamped.key) && depth < MAX_NESTING_DEPTH) expandInto(stamped, context, generated, depth + 1, [...chain, item]);
      else if (!isLoopKey(stamped.key)) generated.push({ entry: stamped, output: outputEntry, chain: [...chain, item] });
    }
  }
}

/** `node` with the loop's value in place of its identifier: in keys and strings, and for `Ref: Identifier`. */
function substitute(node: TemplateNode, identifier: string, value: string, replace: (text: string) => string, budget: { left: number }, depth: number): TemplateNode {
  budget.left--;
  if (depth > MAX_NESTING_DEPTH) return node;
  switch (node.kind) {
    case 'scalar':
      return typeof node.value === 'string' && (node.value.includes('${') || node.value.includes('&{')) ? { ...node, value: replace(node.value) } : node;
    case 'list':
      return { ...node, items: node.items.map((item) => substitute(item, identifier, value, replace, budget, depth + 1)) };
    case 'map': {
      const only = node.entries.length === 1 ? node.entries[0]! : undefined;
      if (only?.key === 'Ref' && only.value.kind === 'scalar' && only.value.value === identifier) return { kind: 'scalar', value, range: node.range };
      return { ...node, entries: node.entries.map((each) => ({ ...each, key: replace(each.key), writtenKey: each.writtenKey ?? each.key, value: substitute(each.value, identifier, value, replace, budget, depth + 1) })) };
    }
  }
}

/**
 * `node` with the `Fn::ForEach` entries of its mappings, at any depth, replaced by the entries they stamp out (a
 * resource's `Properties`: CloudFormation expands loops there too). A generated key that the mapping already has is
 * an error, and the entry written out wins.
 */
export function expandNestedLoops(node: TemplateNode, context: LoopContext, depth = 0): TemplateNode {
  if (depth > MAX_NESTING_DEPTH) return node;
  if (node.kind === 'list') {
    const items = node.items.map((item) => expandNestedLoops(item, context, depth + 1));
    return items.every((item, index) => item === node.items[index]) ? node : { ...node, items };
  }
  if (node.kind !== 'map') return node;
  let changed = false;
  const written = new Set(node.entries.filter((entry) => !isLoopKey(entry.key)).map((entry) => entry.key));
  const entries: MapEntry[] = [];
  for (const entry of node.entries) {
    if (!isLoopKey(entry.key)) {
      const value = expandNestedLoops(entry.value, context, depth + 1);
      if (value !== entry.value) changed = true;
      entries.push(value === entry.value ? entry : { ...entry, value });
      continue;
    }
    changed = true;
    for (const { entry: stamped } of expandLoop(entry, context)) {
      if (written.has(stamped.key) || entries.some((other) => other.key === stamped.key)) {
        context.report('error', 'parse/cfn-foreach', `${entry.key} generates the key ${stamped.key}, which the mapping already has`, stamped.keyRange);
        continue;
      }
      entries.push({ ...stamped, value: expandNestedLoops(stamped.value, context, depth + 1) });
    }
  }
  return changed ? { ...node, entries } : node;
}
