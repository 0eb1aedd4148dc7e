import { AddressSet, SetParseError } from '../../model/address-set';
import type { Peer } from '../../model/peer';
import type { UnknownValue } from '../../model/rule';
import { ifConditionNamesOfKeys, scalarText, unsetParameterDomains, type Scope, type Template } from './evaluator';
import { MAX_NESTING_DEPTH } from './limits';
import { describeNode, intrinsicOf, type TemplateNode } from './template-node';

/** One peer a rule naming a prefix list of the template has: its known entries, or one unknown entry (FW303). */
interface PrefixListPart {
  peer: Peer;
  unknowns: UnknownValue[];
}

/**
 * The peers a rule's `SourcePrefixListId`/`DestinationPrefixListId` names when it is `!Ref PL` or `!GetAtt
 * PL.PrefixListId` of an `AWS::EC2::PrefixList` of the template, evaluated in the rule's scope (its branch of
 * undecidable conditions): the union of the known `Entries` CIDRs, and one unknown peer per entry whose `Cidr` cannot
 * be known (an `!ImportValue`, an `Fn::If` the scope leaves undecided; or `Entries` as a whole), reported FW303. The known entries are then a
 * lower bound of the list (`Peer.isLowerBound`): they count for exposure, not for containment. Undefined when whether
 * the list exists cannot be known (a `Condition` not known to hold), when it has no entry (`Entries` absent or empty:
 * filled elsewhere) or a `Cidr` is invalid (an error at it): the rule keeps
 * the symbolic prefix-list peer. CloudFormation has no separate entry resource, so the list's `Entries` are all of them.
 */
export function prefixListParts(scope: Scope, logicalId: string): PrefixListPart[] | undefined {
  const resource = scope.template.resources.get(logicalId);
  if (!resource?.properties) return undefined;
  if (resource.condition !== undefined && scope.condition(resource.condition) !== true) return undefined;
  const entries = scope.property(scope.evaluate(resource.properties), 'Entries');
  if (entries.kind === 'unknown') {
    const unknown = { field: `${logicalId}.Entries`, expr: entries.expr, location: { file: scope.template.file, range: entries.node.range } };
    return [{ peer: { kind: 'unknown', expr: entries.expr }, unknowns: [unknown] }];
  }
  if (entries.kind !== 'list' || entries.items.length === 0) return undefined;
  // Indexed by the list as written (an item removed with `AWS::NoValue` keeps the others' numbers), for messages.
  const written = entries.node.kind === 'list' ? entries.node.items.map((node) => scope.evaluate(node)) : entries.items;
  let addresses = AddressSet.EMPTY;
  let hasKnown = false;
  const unknowns: PrefixListPart[] = [];
  for (const [index, entry] of written.entries()) {
    if (entry.kind === 'absent') continue;
    const cidr = entry.kind === 'unknown' ? entry : scope.property(entry, 'Cidr');
    const text = scalarText(cidr);
    if (text === undefined) {
      const expr = cidr.kind === 'unknown' ? cidr.expr : describeNode(cidr.node);
      const unknown = { field: `${logicalId}.Entries[${index}].Cidr`, expr, location: { file: scope.template.file, range: cidr.node.range } };
      unknowns.push({ peer: { kind: 'unknown', expr }, unknowns: [unknown] });
      continue;
    }
    try {
      addresses = addresses.union(AddressSet.parseCidr(text));
      hasKnown = true;
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      scope.template.report('error', 'parse/cfn-bad-cidr', `${logicalId}.Entries[${index}].Cidr: ${error.message}`, cidr.node.range);
      return undefined;
    }
  }
  if (!hasKnown) return unknowns.length > 0 ? unknowns : undefined;
  const peer: Peer = { kind: 'addresses', addresses, text: `prefix list ${logicalId}`, definedAt: { file: scope.template.file, range: resource.keyRange }, prefixListId: logicalId };
  if (unknowns.length > 0) peer.isLowerBound = true;
  return [{ peer, unknowns: [] }, ...unknowns];
}

const PREFIX_LIST = 'AWS::EC2::PrefixList';

/**
 * The conditions that choose the `Entries` of the template's prefix lists a rule resource names below `node` (`!Ref
 * PL`, `!GetAtt PL.PrefixListId`): the rules are read under each side of them, as under their own `Fn::If`s, so an entry
 * `!If [IsPublic, {Cidr: 0.0.0.0/0}, !Ref AWS::NoValue]` counts `(when IsPublic=true)` instead of being unresolved.
 */
export function prefixListEntryConditions(template: Template, node: TemplateNode, names: string[] = []): string[] {
  for (const logicalId of namedPrefixLists(template, node, [], 0)) {
    const list = template.resources.get(logicalId);
    if (list?.properties) ifConditionNamesOfKeys(list.properties, ['Entries'], names);
  }
  return names;
}

/**
 * The parameters with few values but none set that choose the `Entries` of the template's prefix lists a rule
 * resource names below `node`, added to `domains` (see `unsetParameterDomains`): the rules are read once per value,
 * as for the rule's own properties, so an entry `Cidr: !Ref AdminCidr` counts `(when AdminCidr=0.0.0.0/0)`.
 */
export function addPrefixListEntryDomains(template: Template, node: TemplateNode, domains: Map<string, readonly string[]>, oversized: Map<string, number>): void {
  for (const logicalId of namedPrefixLists(template, node, [], 0)) {
    const list = template.resources.get(logicalId);
    if (!list?.properties) continue;
    for (const [parameter, values] of unsetParameterDomains(template, list.properties, ['Entries'], oversized)) if (!domains.has(parameter)) domains.set(parameter, values);
  }
}

function namedPrefixLists(template: Template, node: TemplateNode, found: string[], depth: number): string[] {
  if (depth > MAX_NESTING_DEPTH) return found;
  if (node.kind === 'list') {
    for (const item of node.items) namedPrefixLists(template, item, found, depth + 1);
  } else if (node.kind === 'map') {
    const intrinsic = intrinsicOf(node);
    const target = intrinsic?.key === 'Ref' ? intrinsic.value
      : intrinsic?.key === 'Fn::GetAtt' ? (intrinsic.value.kind === 'list' ? intrinsic.value.items[0] : intrinsic.value)
      : undefined;
    const name = target?.kind === 'scalar' && typeof target.value === 'string' ? target.value.split('.')[0]! : undefined;
    if (name !== undefined && template.resources.get(name)?.type === PREFIX_LIST && !found.includes(name)) found.push(name);
    for (const entry of node.entries) namedPrefixLists(template, entry.value, found, depth + 1);
  }
  return found;
}
