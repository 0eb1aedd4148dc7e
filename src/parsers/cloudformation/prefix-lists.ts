import { AddressSet, SetParseError } from '../../model/address-set';
import type { Peer } from '../../model/peer';
import { scalarText, type Scope } from './evaluator';

/**
 * The peer a rule's `SourcePrefixListId`/`DestinationPrefixListId` names when it is `!Ref PL` or `!GetAtt
 * PL.PrefixListId` of an `AWS::EC2::PrefixList` of the template: the union of the list's `Entries` CIDRs, evaluated in
 * the rule's scope (its branch of undecidable conditions). Undefined when an entry, or whether the list exists, cannot
 * be known (an unresolved `Cidr` or `Entries`, an `Fn::If` the scope leaves undecided, a `Condition` not known to
 * hold), when it has none (`Entries` absent or empty: filled elsewhere) or a `Cidr` is invalid (an error at it): the rule keeps the symbolic prefix-list peer. CloudFormation has no
 * separate entry resource, so the list's `Entries` are all of them.
 */
export function prefixListPeer(scope: Scope, logicalId: string): Peer | undefined {
  const resource = scope.template.resources.get(logicalId);
  if (!resource?.properties) return undefined;
  if (resource.condition !== undefined && scope.condition(resource.condition) !== true) return undefined;
  const entries = scope.property(scope.evaluate(resource.properties), 'Entries');
  if (entries.kind !== 'list' || entries.items.length === 0) return undefined;
  // Indexed by the list as written (an item removed with `AWS::NoValue` keeps the others' numbers), for messages.
  const written = entries.node.kind === 'list' ? entries.node.items.map((node) => scope.evaluate(node)) : entries.items;
  let addresses = AddressSet.EMPTY;
  for (const [index, entry] of written.entries()) {
    if (entry.kind === 'absent') continue;
    const cidr = scope.property(entry, 'Cidr');
    const text = scalarText(cidr);
    if (text === undefined) return undefined;
    try {
      addresses = addresses.union(AddressSet.parseCidr(text));
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      scope.template.report('error', 'parse/cfn-bad-cidr', `${logicalId}.Entries[${index}].Cidr: ${error.message}`, cidr.node.range);
      return undefined;
    }
  }
  return { kind: 'addresses', addresses, text: `prefix list ${logicalId}`, definedAt: { file: scope.template.file, range: resource.keyRange }, prefixListId: logicalId };
}
