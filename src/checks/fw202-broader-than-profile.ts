import { ALL_ICMP_MESSAGES, ICMP_V4_PROTOCOL, ICMP_V6_PROTOCOL, icmpReachableAddresses, icmpVersionOf } from '../engine/icmp';
import { describeTraffic, MAX_LISTED_ITEMS } from '../engine/traffic';
import { profileNames } from '../engine/effective';
import { intersectBoxes, mergeBoxes, onProfiles, requiredTraffic, rulesToRemove, subtractAll, type ExcessGrant, type ProfileDiff, type ProfileAssignment, type ProfileFlow, type ReplacementFlow, type TrafficBox } from '../engine/profile-diff';
import { AddressSet, LOOPBACK_ADDRESSES } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { describePeer } from '../model/peer';
import { blockRemoval, isDynamicBlockItem, rulesInOrder, sameConstruct, SOURCE_PORT_CONDITION, type Direction, type Rule } from '../model/rule';
import type { Target } from '../model/target';
import { PortSet } from '../model/port-set';
import { defineCheck, groupByWrittenPlace, writtenPlaceKey, type FindingSpec } from './define-check';
import { implicitEgressAdvice, implicitEgressCause, sharedRuleAdvice, standaloneEgressNames } from './shared-rule-advice';

export default defineCheck({
  id: 'FW202',
  name: 'broader-than-profile',
  defaultSeverity: 'medium',
  summary: 'A rule allows ports, protocols or peers beyond the role\'s advanced rule set',
  precision: 'high',
  tags: ['security', 'least-privilege', 'vendor-profile', 'network'],
  messages: {
    excess: '{target} ({profile}): rule allows {excess}{where} beyond the vendor\'s advanced rule set; {instead}{unselected}',
    basicRule: '{target} ({profile}): this is the vendor\'s basic rule ({granted}){where}; the advanced rule set allows only: {advanced}{unselected}',
    implicitEgress:
      '{target} ({profile}): the platform\'s implicit egress ({implicitCause}) allows {excess} beyond the vendor\'s advanced rule set; {instead}{unselected}',
  },
  defaultOptions: {},
  reportsSharedRules: true,
  evaluate(target, ctx) {
    const diff = ctx.profileDiff(target);
    if (!diff) return [];
    // Rules the role needs none of: the peers of a written rule that stay are those not among them.
    const removed = rulesToRemove(diff);
    // One finding per written place: the items of a `dynamic` block, the peers of a CIDR list, the instances of a
    // counted rule resource shown at one range are one finding naming their union. Excess told per Windows profile
    // stays alone (its text is per profile); a symbolic peer (a security group) is named by its own rule's text.
    const groups = groupByWrittenPlace(
      // The placeholder that keeps a group's own egress list (all traffic to 127.0.0.1/32) admits nothing that leaves the
      // host and is to stay, as the advice for the list's last item says to write it: nothing to report, as for CDK's.
      diff.excess.filter((excess) => keptEgressPlaceholder(excess.rule, target, removed) !== excess.rule),
      (excess) => (excess.excessProfiles ? undefined : writtenPlaceKey(excess.rule, excess.rule.location)),
      (excess) => [messageIdOf(excess), excess.rule.branch ?? '', excess.profiles, excess.rule.peer.kind === 'addresses' ? '' : describePeer(excess.rule.peer)].join('\u0000'),
    );
    return groups.map((group): FindingSpec => {
      const first = group[0]!;
      const rule = first.rule;
      const direction = rule.direction;
      const allRules = group.length === 1 ? first.rules : rulesInOrder(target.rules, group.flatMap((excess) => excess.rules ?? [excess.rule]));
      const hidden = sensitivePeerAddresses(allRules ?? [rule]);
      const replacementFlows = group.flatMap((excess) => excess.replacementFlows);
      const unselectedFlows = group.flatMap((excess) => excess.unselectedFlows);
      // A security group rule's replacement keeps its group (or the group itself) as written: the flows are named so.
      const groupPeer = rule.platform === 'aws-sg' && (rule.peer.kind === 'sg-ref' || rule.peer.kind === 'self') ? describePeer(rule.peer) : undefined;
      const replacement = groupFlows(replacementFlows, direction, diff.assignment, hidden, groupPeer);
      const advice = `${insteadAdvice(group.map((excess) => excess.rule), allRules ?? [rule], replacement, target, removed, writtenByOthers(group, diff))}${replacement ? sourcePortAdvice(rule) : ''}`;
      // Targets of another role made from the same Terraform text (`count`/`for_each` instances, a module called twice):
      // the edit the advice names would change their rules too.
      const sharing = rule.kind !== 'terraform-hcl' || rule.synthetic ? [] : ctx.targetsSharingPlace(target, rule).filter((other) => other.profile !== diff.assignment.ref);
      const instead = sharing.length > 0 ? sharedPlaceAdvice(advice, replacement.length === 0, sharing) : advice;
      const shared = sharedRuleAdvice(rule, target);
      const granted = boxesOf(group, (excess) => excess.granted).map((box) => describeRuleBox(box, rule, MAX_LISTED_ITEMS)).join('; ');
      const unselected = unselectedFlows.length > 0 ? `; ${describeUnselected(unselectedFlows, direction)}` : '';
      return {
        messageId: messageIdOf(first),
        rule,
        ...(allRules ? { rules: allRules } : {}),
        ...(group.length > 1 ? { mergedParts: group.map((excess) => ({ messageId: messageIdOf(excess), rule: excess.rule, ...(excess.rules ? { rules: excess.rules } : {}) })) } : {}),
        // A rule resource of its own is replaced whole (its `properties.replacement` is resources): the whole resource.
        // One item of an Fn::ForEach loop: at its value in the collection, not the body every item shares.
        location: rule.resourceRange ? { file: rule.location.file, range: rule.resourceRange } : (group.length === 1 && oneLoopValue(allRules ?? [rule])) || rule.location,
        data: {
          target: target.id,
          profile: diff.assignment.ref,
          // Items of one place: their excess boxes listed, united where one box is their union (exact sets).
          excess: `${describeExcess(group, hidden)}${sourcePortNote(rule)}`,
          // Excess told per profile (see describeExcess) leaves nothing to say for the rule as a whole.
          where: first.excessProfiles && !first.isVendorBasicRule ? '' : onProfiles(first.profiles),
          instead: `${instead}${shared}`,
          implicitCause: rule.synthetic ? implicitEgressCause(standaloneEgressNames(target)) : '',
          granted,
          // Nothing to write instead: either the role has no flow this way, or the target's other rules carry them all.
          advanced: replacement || (diff.assignment.permitted.some((flow) => flow.direction === direction) ? 'what its other rules already allow, so this rule can go' : 'nothing in this direction'),
          unselected,
        },
        properties: {
          profile: diff.assignment.ref,
          excess: group.flatMap((excess) => excess.excess.map((box, index) => ({
            traffic: describeRuleBox(box, excess.rule),
            ports: box.ports.toString(),
            addresses: box.addresses ? box.addresses.toString() : describePeer(excess.rule.peer),
            ...(excess.excessProfiles ? { firewallProfiles: profileNames(excess.excessProfiles[index]!) } : {}),
          }))),
          witness: first.witness,
          replacementFlows: distinctEntries(replacementFlows.map((flow) => ({
            direction: flow.direction, protocol: flow.protocol, ports: flow.ports.toStrings(), peer: flow.peer, purpose: flow.purpose,
            // Where other rules already allow part of the peer: the addresses still to allow.
            ...(flow.addresses ? { addresses: flow.addresses.toCidrs() } : {}),
          }))),
          ...(unselectedFlows.length > 0
            ? { unselectedOptionFlows: distinctEntries(unselectedFlows.map((flow) => ({ protocol: flow.protocol, ports: flow.ports.toStrings(), peer: flow.peer, option: flow.condition ?? null }))) }
            : {}),
          ...(onProfiles(first.profiles) ? { firewallProfiles: profileNames(first.profiles) } : {}),
        },
      };
    });
  },
});

function messageIdOf(excess: ExcessGrant): string {
  return excess.rule.synthetic ? 'implicitEgress' : excess.isVendorBasicRule ? 'basicRule' : 'excess';
}

/** One grant's boxes as they are; those of several grants at one place united where one box holds two (`mergeBoxes`). */
function boxesOf(group: readonly ExcessGrant[], pick: (excess: ExcessGrant) => TrafficBox[]): TrafficBox[] {
  return group.length === 1 ? pick(group[0]!) : mergeBoxes(group.flatMap(pick));
}

/** Entries without repeats (the same flow replaces several items of one place), in first appearance order. */
function distinctEntries<T>(entries: T[]): T[] {
  if (entries.length < 2) return entries;
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = JSON.stringify(entry);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The other peers of the written rule that stay when the peers of `excessRules` (the finding's, all in `reported`) go:
 * the rules made from the same rule by other elements of its peer list (`cidr_blocks = ["0.0.0.0/0", "10.0.0.0/8"]`,
 * one rule per element, each at its own value) that the role still needs, by their written text.
 */
function keptPeers(excessRules: readonly Rule[], reported: readonly Rule[], targetRules: readonly Rule[], removed: ReadonlySet<Rule>): string[] {
  const kept = targetRules
    .filter((other) => other.peer.kind !== 'unknown' && !removed.has(other) && !reported.includes(other) && excessRules.some((rule) => isOtherPeerOfSameRule(other, rule)))
    .map((other) => describePeer(other.peer));
  return [...new Set(kept)];
}

/**
 * The parts of the written peer list that could not be resolved, as written (`var.extra` of
 * `concat(var.extra, ["0.0.0.0/0"])`, whose known element is a rule beside a rule of unknown peer): whatever the
 * caller passes there is not known to be excess, so the advice keeps it, whether or not it is among `reported`.
 */
function unknownPeerParts(excessRules: readonly Rule[], reported: readonly Rule[], targetRules: readonly Rule[]): string[] {
  // A wholly unresolved peer is itself what the finding is about: its advice stands.
  if (excessRules.every((rule) => rule.peer.kind === 'unknown')) return [];
  const samePlace = targetRules.filter((other) => excessRules.some((rule) => isOtherPeerOfSameRule(other, rule)));
  return [...new Set([...reported, ...samePlace].flatMap((each) => (each.peer.kind === 'unknown' ? [each.peer.expr] : [])))];
}

/** `; keep var.extra in the rule's peers as written (…)`, or '' when the peer list is known. */
function keepUnknownNote(unknown: readonly string[]): string {
  if (unknown.length === 0) return '';
  return `; keep ${unknown.join(', ')} in the rule's peers as written (${unknown.length === 1 ? 'it is' : 'they are'} not known statically, so no fix is offered)`;
}

/** The flagged peers of the excess rules, by their written text (an unresolved part is kept, never named here). */
function flaggedPeers(excessRules: readonly Rule[]): string {
  return [...new Set(excessRules.filter((each) => each.peer.kind !== 'unknown').map((each) => describePeer(each.peer)))].join(', ');
}

/** Whether `other` is made from the same written rule as `rule` (same resource, block and branch) by another peer. */
function isOtherPeerOfSameRule(other: Rule, rule: Rule): boolean {
  if (other.synthetic || other.resourceAddress !== rule.resourceAddress || other.branch !== rule.branch || sameConstruct(other, rule)) return false;
  const { file, range } = rule.location;
  const at = other.location;
  return at.file === file && at.range.startLine === range.startLine && at.range.startColumn === range.startColumn && at.range.endLine === range.endLine && at.range.endColumn === range.endColumn;
}

/**
 * What to write in place of the excess rules of one place (`excessRules`, the first reported; `reported`, every model
 * rule of the finding): the advanced rules (`replacement`), or how to remove them.
 */
function insteadAdvice(excessRules: readonly Rule[], reported: readonly Rule[], replacement: string, target: Target, removed: ReadonlySet<Rule>, writers: readonly Rule[] = []): string {
  const rule = excessRules[0]!;
  if (rule.synthetic) return implicitEgressAdvice(target, replacement);
  // A Windows AllowInbound default is no rule to remove: closing it is the fix.
  if (rule.hostDefault) return `set the inbound default policy to BlockInbound${replacement.length > 0 ? ` and allow instead: ${replacement}` : ''}`;
  if (replacement.length === 0) {
    const advice = removalAdvice(excessRules, reported, target, removed);
    // It carries flows of the role that another flagged rule's replacement writes: not "needs none of it".
    if (writers.length === 0 || !advice.startsWith(NEEDS_NONE)) return advice;
    const names = [...new Set(writers.map((writer) => writer.resourceAddress))].join(', ');
    return `the role's flows it carries are written by the replacement of ${names}; once that is applied, the role needs none of it: ${advice.slice(NEEDS_NONE.length)}`;
  }
  const loopRemoval = loopItemRemoval(excessRules);
  if (loopRemoval) return `${loopRemoval} and use instead: ${replacement}`;
  // Other peers of the same written rule stay: "use instead" replaces the flagged peers only.
  const kept = keptPeers(excessRules, reported, target.rules, removed);
  const unknown = unknownPeerParts(excessRules, reported, target.rules);
  if (kept.length === 0 && unknown.length === 0) return `use instead: ${replacement}`;
  const others = kept.length === 0 ? '' : `; keep ${kept.length <= SHORT_ADDRESS_LIST ? kept.join(', ') : `its ${kept.length} other peers`}`;
  return `use instead of ${flaggedPeers(excessRules)}: ${replacement}${others}${keepUnknownNote(unknown)}`;
}

const NEEDS_NONE = 'the role needs none of it: ';

/** Above this many, the other targets sharing a rule's text are counted, not named. */
const MAX_NAMED_SHARING = 3;

/**
 * The advice for a rule whose text other targets, of other roles, are made from too (`count`/`for_each` instances, a
 * module called twice; their SARIF fix is withheld for the same reason): the edit `advice` names would change their
 * rules too, so it is to depend on the instance. `isRemoval`: the role needs none of the rule.
 */
function sharedPlaceAdvice(advice: string, isRemoval: boolean, sharing: ReadonlyArray<{ target: Target; profile?: string }>): string {
  const named = sharing.slice(0, MAX_NAMED_SHARING).map((other) => `${other.target.id} (${other.profile ?? 'no role mapped'})`);
  const more = sharing.length > MAX_NAMED_SHARING ? ` and ${sharing.length - MAX_NAMED_SHARING} more` : '';
  const shared = `the block also makes the rules of ${named.join(', ')}${more}`;
  if (isRemoval) return `the role needs none of it, but ${shared}: make it depend on the instance (a dynamic block whose for_each is empty for this one) rather than remove it for all`;
  return `${advice}; but ${shared}: make this change depend on the instance (a dynamic block over a value per instance) rather than edit the block for all`;
}

/**
 * The other flagged rules whose replacement writes a required flow that the rules of `group` (which have none to write)
 * carry part of: the shared addresses are written by the first such rule only (see the profile diff's
 * `replacedAddresses`), so the later ones read as if the role needed none of them.
 */
function writtenByOthers(group: readonly ExcessGrant[], diff: ProfileDiff): Rule[] {
  if (group.some((excess) => excess.replacementFlows.length > 0 || excess.rule.synthetic)) return [];
  const boxes = group.flatMap((excess) => excess.granted);
  const writers: Rule[] = [];
  for (const other of diff.excess) {
    if (group.includes(other) || other.rule.direction !== group[0]!.rule.direction) continue;
    const writes = other.replacementFlows.some((flow) =>
      requiredTraffic(diff.assignment, flow).some((variant) => variant.some((part) => boxes.some((box) => intersectBoxes(box, flow.addresses ? { ...part, addresses: part.addresses?.intersect(flow.addresses) ?? flow.addresses } : part) !== undefined))),
    );
    if (writes) writers.push(other.rule);
  }
  return writers;
}

/**
 * Remove the rule; only its peer when other peers of the same rule stay (removing the rule would drop them too);
 * only its item of a `dynamic` block whose other items stay; the whole `dynamic` block when none stays. When every
 * inline block of its direction goes, the first is replaced by an empty list instead and the others removed: without
 * any block the deployed rules stay.
 */
function removalAdvice(excessRules: readonly Rule[], reported: readonly Rule[], target: Target, removed: ReadonlySet<Rule>): string {
  const rule = excessRules[0]!;
  const kept = keptPeers(excessRules, reported, target.rules, removed);
  const unknown = unknownPeerParts(excessRules, reported, target.rules);
  if (kept.length > 0 || unknown.length > 0) {
    const others = [...(kept.length <= SHORT_ADDRESS_LIST ? kept : [`its ${kept.length} other peers`]), ...unknown.map((expr) => `${expr} as written (not known statically)`)];
    return `the role needs none of it: remove ${flaggedPeers(excessRules)} from the rule's peers, keeping ${others.join(', ')}`;
  }
  const loopRemoval = loopItemRemoval(excessRules);
  if (loopRemoval) return `${NEEDS_NONE}${loopRemoval}`;
  const instanceRemoval = resourceInstanceRemoval(excessRules, target);
  if (instanceRemoval) return `${NEEDS_NONE}${instanceRemoval}`;
  const removal = blockRemoval(rule, target, removed);
  if (!removal) {
    const lastEgress = lastOwnEgressAdvice(rule, target, removed);
    if (lastEgress) return lastEgress;
    if (!isDynamicBlockItem(rule, target)) return 'the role needs none of it: remove the rule';
    return new Set(excessRules.map((each) => each.resourceAddress)).size > 1
      ? "the role needs none of it: remove the items of the dynamic block's for_each that make these rules (its other items make other rules)"
      : "the role needs none of it: remove the item of the dynamic block's for_each that makes this rule (its other items make other rules)";
  }
  const needsNone = removal.hasItems ? "the role needs none of this dynamic block's items" : 'the role needs none of it';
  const thisBlock = removal.hasItems ? 'this dynamic block' : 'this block';
  const all = removal.allOfDirection;
  const name = rule.direction === 'in' ? 'ingress' : 'egress';
  const left = removal.emptyDynamicLeft;
  if (!all && left !== undefined) {
    // Terraform rejects `egress = []` beside a `dynamic "egress"` block, and an empty one leaves the group without blocks.
    const others = left === 1 ? `the group's other ${name} block is a dynamic block that makes no rule here; while it makes none` : `the group's other ${left} ${name} blocks are dynamic blocks that make no rule here; while they make none`;
    return `${needsNone}: remove ${removal.hasItems ? 'the dynamic block' : 'the rule'}; ${others}, the group keeps the ${name} rules already deployed (write ${name} = [] in place of ${left === 1 ? 'it' : 'them'} to remove those)`;
  }
  if (!all) return `${needsNone}: remove ${removal.hasItems ? 'the dynamic block' : 'the rule'}`;
  const why = `(a group without ${name} blocks keeps the ${name} rules already deployed)`;
  if (all.blocks === 1) return `${needsNone}: write ${name} = [] in place of ${removal.hasItems ? 'the dynamic block' : 'the block'} ${why}`;
  const others = all.blocks === 2 ? `the group's other ${name} block` : `the group's ${all.blocks - 1} other ${name} blocks`;
  if (all.first === removal.block) {
    return `${needsNone} nor of ${others}: write ${name} = [] in place of ${thisBlock} and remove ${all.blocks === 2 ? 'the other' : 'the others'} ${why}`;
  }
  return `${needsNone} nor of ${others}: remove ${removal.hasItems ? 'the dynamic block' : 'the rule'}, and write ${name} = [] in place of the first, ${all.firstName} ${why}`;
}

/**
 * Instances of a Terraform rule resource with `count` or `for_each` (`aws_security_group_rule.fe["8080"]`,
 * `….in[1]`) whose other instances stay: removing the resource would take those too, so only the flagged instances'
 * items go. Undefined for anything else, and where every instance of the resource is flagged (the resource goes).
 */
function resourceInstanceRemoval(excessRules: readonly Rule[], target: Target): string | undefined {
  const instance = /^([A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)\[(\d+|"(?:[^"\\]|\\.)*")\]$/;
  const matches = excessRules.map((rule) => (rule.kind === 'terraform-hcl' && !rule.resourceAddress.startsWith(`${target.id}.`) ? instance.exec(rule.resourceAddress) : null));
  const resource = matches[0]?.[1];
  if (resource === undefined || matches.some((match) => match?.[1] !== resource)) return undefined;
  const flagged = new Set(excessRules.map((rule) => rule.resourceAddress));
  const others = target.rules.some((other) => !flagged.has(other.resourceAddress) && instance.exec(other.resourceAddress)?.[1] === resource);
  if (!others) return undefined;
  const keys = [...new Set(matches.map((match) => match![2]!))];
  const one = keys.length === 1;
  if (keys[0]!.startsWith('"')) {
    return `remove the item${one ? '' : 's'} ${keys.join(', ')} of ${resource}'s for_each that make${one ? 's' : ''} ${one ? 'this rule' : 'these rules'} (its other items make other rules)`;
  }
  const named = keys.map((key) => `${resource}[${key}]`).join(', ');
  return `remove ${one ? 'instance' : 'instances'} ${named}: take ${one ? 'its element' : 'their elements'} out of what the resource's count is taken from (its other instances make other rules)`;
}

/**
 * An item of a CloudFormation group's own `SecurityGroupEgress` list (a CDK L1 group's `securityGroupEgress`) where every item of that list goes: removing them
 * all would bring back the platform's implicit allow-all egress (see `implicitEgressAdvice`), as a Terraform group
 * without `egress` blocks keeps its deployed rules. A loopback-only item is that list's placeholder: it is to be kept.
 * Undefined for other rules.
 */
function lastOwnEgressAdvice(rule: Rule, target: Target, removed: ReadonlySet<Rule>): string | undefined {
  const ownItems = lastOwnEgressItems(rule, target, removed);
  if (ownItems === undefined) return undefined;
  const implicit = "the platform's implicit allow-all egress";
  // The placeholder is not reported (see `keptEgressPlaceholder`); beside it, the others may go as any rule does.
  if (ownItems.some(isLoopbackOnly)) return undefined;
  const items = ownItems.length === 1 ? "it is the group's last egress rule" : ownItems.length === 2 ? "so is the group's other egress rule" : `so are the group's ${ownItems.length - 1} other egress rules`;
  return `the role needs none of it, but ${items}: removing ${ownItems.length === 1 ? 'it' : 'them all'} would bring back ${implicit}, so write in ${ownItems.length === 1 ? 'its' : 'their'} place one egress rule that admits nothing (for example all traffic to 127.0.0.1/32)`;
}

/** The items of the group's own egress list where `rule` is one and the role needs none of them; else undefined. */
function lastOwnEgressItems(rule: Rule, target: Target, removed: ReadonlySet<Rule>): Rule[] | undefined {
  const list = ownEgressList(rule, target);
  const ownListPrefix = `${target.id}.${list}[`;
  if (list === undefined || rule.direction !== 'out' || !rule.resourceAddress.startsWith(ownListPrefix)) return undefined;
  const ownItems = target.rules.filter((other) => !other.synthetic && other.direction === 'out' && other.resourceAddress.startsWith(ownListPrefix));
  return ownItems.every((other) => removed.has(other)) ? ownItems : undefined;
}

function isLoopbackOnly(rule: Rule): boolean {
  return rule.peer.kind === 'addresses' && !rule.peer.addresses.isEmpty() && LOOPBACK_ADDRESSES.containsAll(rule.peer.addresses);
}

/**
 * The first loopback-only item of the group's own egress list when the role needs none of its items: the placeholder
 * that keeps the list (a group without egress rules gets the implicit allow-all egress back), to be kept.
 */
function keptEgressPlaceholder(rule: Rule, target: Target, removed: ReadonlySet<Rule>): Rule | undefined {
  return lastOwnEgressItems(rule, target, removed)?.find(isLoopbackOnly);
}

/**
 * The property of a group holding its own egress rules, in the casing written, when AWS's implicit allow-all egress
 * applies to the group while that list is empty: a CloudFormation `AWS::EC2::SecurityGroup` and the CDK L1
 * `CfnSecurityGroup` that synthesizes to one (CDK's L2 `SecurityGroup` manages its egress itself: `allowAllOutbound`).
 */
function ownEgressList(rule: Rule, target: Target): string | undefined {
  if (rule.kind === 'cloudformation') return 'SecurityGroupEgress';
  if (rule.kind === 'cdk' && target.resourceType.endsWith('.CfnSecurityGroup')) return 'securityGroupEgress';
  return undefined;
}

/** Where the one collection value is written that made each of `rules` (nested loops: items of the innermost loop). */
function oneLoopValue(rules: readonly Rule[]): Rule['location'] | undefined {
  const at = rules[0]!.loopItem?.valueLocation;
  const same = (other: Rule['location'] | undefined): boolean => other !== undefined && at !== undefined && other.file === at.file
    && other.range.startLine === at.range.startLine && other.range.startColumn === at.range.startColumn;
  return at && rules.every((each) => same(each.loopItem?.valueLocation)) ? at : undefined;
}

/**
 * How to remove rules stamped out by items of one CloudFormation `Fn::ForEach` loop: their values from its collection
 * (`remove "8080" from the collection of Fn::ForEach::In (generated resource In8080)`). Removing what they point at,
 * the loop's body, would remove the rules of its other items too. When every resource the loop's output key stamps
 * out is flagged, the loop goes (or that key, when the loop stamps out other resources too). In nested loops, the
 * values of the innermost loop whose every resource is flagged, else of an outer one; a value that also makes a rule
 * not flagged is never named. Undefined for other rules.
 */
function loopItemRemoval(excessRules: readonly Rule[]): string | undefined {
  const first = excessRules[0]!.loopItem;
  if (first === undefined || excessRules.some((each) => each.loopItem?.loop !== first.loop || each.loopItem.output?.key !== first.output?.key)) return undefined;
  const resources = [...new Set(excessRules.map((each) => each.resourceAddress))];
  const generated = `generated resource${resources.length > 1 ? 's' : ''} ${resources.join(', ')}`;
  const levelsOf = (rule: Rule) => rule.loopItem!.levels ?? [{ loop: rule.loopItem!.loop, value: rule.loopItem!.value, sharing: 1 }];
  const levels = levelsOf(excessRules[0]!);
  if (first.output && resources.length === first.output.instances) {
    return `remove ${first.output.only ? `the loop ${levels[0]!.loop}` : `${first.output.key} from the output of ${first.loop}`} (${generated}, all it generates)`;
  }
  // Per loop (innermost first): the values whose every resource is flagged, and the flagged resources they make.
  const removable = levels.map((_level, index) => {
    const made = new Map<string, { resources: Set<string>; sharing: number }>();
    for (const rule of excessRules) {
      const level = levelsOf(rule)[index]!;
      const entry = made.get(level.value) ?? { resources: new Set<string>(), sharing: level.sharing };
      entry.resources.add(rule.resourceAddress);
      made.set(level.value, entry);
    }
    const values = [...made].filter(([, entry]) => entry.resources.size === entry.sharing);
    return { index, values: values.map(([value]) => value), covers: new Set(values.flatMap(([, entry]) => [...entry.resources])) };
  }).reverse();
  const removal = (part: { index: number; values: string[] }): string => {
    const inside = part.index > 0 ? ` inside ${levels.slice(0, part.index).map((level) => level.loop).join(', ')}` : '';
    return `${part.values.map((value) => `"${value}"`).join(', ')} from the collection of ${levels[part.index]!.loop}${inside}`;
  };
  const one = removable.find((part) => part.covers.size === resources.length);
  if (one) return `remove ${removal(one)} (${generated})`;
  // Values of several loops together, when each makes flagged resources only.
  const parts = removable.filter((part) => part.values.length > 0);
  if (new Set(parts.flatMap((part) => [...part.covers])).size === resources.length) return `remove ${parts.map(removal).join(' and ')} (${generated})`;
  return `each item of ${levels.map((level) => level.loop).join(' and ')} that makes them (${generated}) also makes rules kept: change the loops so that they no longer generate these`;
}

/**
 * ` (source port 53)` for a rule limited to some source ports: why all of it is excess (it carries no connection of
 * the role's flows, whose clients pick any port; see the profile diff's `matchesClients`).
 */
function sourcePortNote(rule: Rule): string {
  const ports = rule.conditions?.[SOURCE_PORT_CONDITION];
  return ports === undefined ? '' : ` (source port ${ports})`;
}

/**
 * `, without the source-port limit (…)` after the flows to use instead of a rule limited to some source ports: the
 * limit is why it carries none of them (FW201 names it too), so the replacement drops it.
 */
function sourcePortAdvice(rule: Rule): string {
  if (rule.conditions?.[SOURCE_PORT_CONDITION] === undefined) return '';
  return ', without the source-port limit (a client picks its own source port, so the limit keeps these flows out)';
}

/** Above this many CIDRs a piece reads better as "what the rule allows, except the permitted part". */
const SHORT_ADDRESS_LIST = 3;

/**
 * The excess, for the message: listed when it is short; otherwise listed or as what the rule allows minus the part the
 * advanced set permits, whichever is shorter (`tcp/0-65535 from 10.0.0.0/8 except tcp/22 from 10.1.0.0/24`), which is
 * the same set. The items of one place (`group`, several grants) are told as one: their excess boxes united where one
 * box holds two, or their written boxes united less what is carved from any of them, where that is the same set.
 * Port ranges, ICMP types and protocols past `MAX_LISTED_ITEMS` are counted, as FW101 and FW102 do.
 * Where the finding hides sensitive addresses (`hidden`), boxes that differ only by them are listed as one, and a
 * permitted part at the rule's own addresses names none: each would print the same redacted text again.
 */
function describeExcess(group: readonly ExcessGrant[], hidden: readonly AddressSet[]): string {
  const first = group[0]!;
  if (group.length === 1 && first.excessProfiles) return describeByProfiles(first, first.excessProfiles);
  const rule = first.rule;
  const excessBoxes = group.flatMap((excess) => excess.excess);
  const isSensitive = excessBoxes.some((box) => box.addresses && isHidden(box.addresses, hidden));
  const listedBoxes = group.length > 1 || isSensitive ? mergeBoxes(excessBoxes) : excessBoxes;
  const listed = listedBoxes.map((box) => describeRuleBox(box, rule, MAX_LISTED_ITEMS)).join('; ');
  // One grant's boxes as found: merging a sensitive grant's boxes for the text does not make its excess short.
  const counted = group.length > 1 ? listedBoxes : excessBoxes;
  const short = counted.length === 1 && counted.every((box) => !box.addresses || box.addresses.toCidrs().length <= SHORT_ADDRESS_LIST);
  if (short) return listed;
  // The rule as written, minus what the advanced set permits and what earlier denies remove: the same set, shorter.
  // Where all the excess has addresses, boxes without (an unresolved part of the peer list, `var.extra`) have none of
  // it: told with the rule's peer they would read "0.0.0.0/0 except … 0.0.0.0/0".
  const withAddresses = excessBoxes.every((box) => box.addresses !== undefined);
  const ofExcessKind = (box: TrafficBox): boolean => !withAddresses || box.addresses !== undefined;
  const whole = group.flatMap((excess) => (excess.written ? [excess.written.box] : excess.granted)).filter(ofExcessKind);
  const carved = group.flatMap((excess) => (excess.written ? [...excess.allowed, ...excess.written.removed] : excess.allowed)).flatMap(withoutForeignIcmp).filter(ofExcessKind);
  const wholeBoxes = mergeBoxes(whole);
  const carvedBoxes = mergeBoxes(carved);
  // One item's carved part may lie in another item's written box, where it is excess: then the form would hide it.
  if (group.length > 1 && !sameTraffic(subtractAll(wholeBoxes, carvedBoxes), excessBoxes)) return listed;
  const wholeText = [...new Set(wholeBoxes.map((box) => describeRuleBox(box, rule, MAX_LISTED_ITEMS)))].join('; ');
  const ownAddresses = isSensitive && wholeBoxes.length === 1 ? wholeBoxes[0]!.addresses : undefined;
  const carvedText = describeGrouped(carvedBoxes, rule, ownAddresses);
  const exceptText = carvedText ? `${wholeText} except ${carvedText}` : wholeText;
  // Both forms name the same set; the shorter reads better (a deny of the public space leaves a short private remainder).
  return exceptText.length <= listed.length ? exceptText : listed;
}

/** Whether two lists of boxes hold the same traffic. */
function sameTraffic(a: TrafficBox[], b: TrafficBox[]): boolean {
  return subtractAll(a, b).length === 0 && subtractAll(b, a).length === 0;
}

/**
 * Excess that differs by Windows profile (a block rule on some profiles only), told per profile set:
 * `tcp/8080-8081 from 10.10.0.5/32 on the Domain and Private profiles; tcp/8081 from 10.10.0.5/32 on the Public profile`.
 * Pieces cut apart by the block yet the same traffic on their profiles (the block lies inside what the advanced set
 * permits) are told once, on all their profiles together, not once per profile set with the same text.
 */
function describeByProfiles(excess: ExcessGrant, profiles: number[]): string {
  const byProfiles = new Map<number, TrafficBox[]>();
  excess.excess.forEach((box, index) => {
    const bits = profiles[index]!;
    byProfiles.set(bits, [...(byProfiles.get(bits) ?? []), box]);
  });
  const sets: Array<{ bits: number; boxes: TrafficBox[] }> = [];
  for (const [bits, boxes] of byProfiles) {
    const same = sets.find((set) => sameTraffic(set.boxes, boxes));
    if (same) same.bits |= bits;
    else sets.push({ bits, boxes });
  }
  // Sets that now share their profiles are told together (the part on every profile, and the one joined to it).
  const united = new Map<number, TrafficBox[]>();
  for (const { bits, boxes } of sets) united.set(bits, [...(united.get(bits) ?? []), ...boxes]);
  return [...united].map(([bits, boxes]) => `${mergeBoxes(boxes).map((box) => describeRuleBox(box, excess.rule, MAX_LISTED_ITEMS)).join('; ')}${onProfiles(bits)}`).join('; ');
}

/** ICMPv4 and ICMPv6, each as a protocol set, and both. */
const ICMP_VERSIONS = [ICMP_V4_PROTOCOL, ICMP_V6_PROTOCOL].map((number) => IntervalSet.range(BigInt(number), BigInt(number)));
const ICMP_PROTOCOLS = ICMP_VERSIONS[0]!.union(ICMP_VERSIONS[1]!);

/**
 * A box without the ICMP version its addresses cannot carry (ICMPv6 between IPv4 addresses, ICMPv4 between IPv6
 * ones, see `icmpReachableAddresses`), for the text: "all traffic from 10.1.0.0/24 except icmp and tcp/22", not
 * "except icmp; icmpv6 and tcp/22".
 */
function withoutForeignIcmp(box: TrafficBox): TrafficBox[] {
  // Only an ICMP box (a vendor's "icmp" flow is both versions): "all traffic" stays all traffic.
  const addresses = box.addresses;
  if (!addresses || !ICMP_PROTOCOLS.containsAll(box.protocols)) return [box];
  const reachable = ICMP_VERSIONS.filter((version) => box.protocols.overlaps(version) && !icmpReachableAddresses(version, addresses).isEmpty());
  if (reachable.length === 0) return [];
  return [{ ...box, protocols: reachable.reduce((all, version) => all.union(version)) }];
}

/**
 * `tcp/22, 80 and udp/53 from 10.0.0.0/8, icmp from 10.1.0.0/24`: boxes grouped by their peer; those at `ownAddresses`
 * (the rule's own, where they are to be hidden) name no peer.
 */
function describeGrouped(boxes: TrafficBox[], rule: Rule, ownAddresses?: AddressSet): string {
  const preposition = rule.direction === 'in' ? 'from' : 'to';
  const byPeer = new Map<string, string[]>();
  for (const box of boxes) {
    const peer = box.addresses ? (ownAddresses && box.addresses.equals(ownAddresses) ? '' : box.addresses.toString()) : describePeer(rule.peer);
    byPeer.set(peer, [...(byPeer.get(peer) ?? []), boxTraffic(box, MAX_LISTED_ITEMS)]);
  }
  return [...byPeer.entries()].map(([peer, traffic]) => (peer === '' ? traffic.join(' and ') : `${traffic.join(' and ')} ${preposition} ${peer}`)).join(', ');
}

/**
 * A box of a rule's traffic; a symbolic peer (security group, prefix list, unresolved) is named, never "any address".
 * Message text passes `maxItems` (see `describeTraffic`); the finding's properties keep the exact set.
 */
function describeRuleBox(box: TrafficBox, rule: Rule, maxItems = Infinity): string {
  const preposition = rule.direction === 'in' ? 'from' : 'to';
  const peer = box.addresses ? box.addresses.toString() : describePeer(rule.peer);
  return `${boxTraffic(box, maxItems)} ${preposition} ${peer}`;
}

/** A box's protocols and ports; for exactly ICMPv4 or ICMPv6, the ICMP types and codes it holds. */
function boxTraffic(box: TrafficBox, maxItems: number): string {
  return describeTraffic(box.protocols, box.ports, icmpVersionOf(box.protocols) === undefined ? undefined : box.icmp ?? ALL_ICMP_MESSAGES, maxItems);
}

/**
 * `tcp/88, 139, 389 and udp/137 to active-directory; tcp/22 from 10.1.0.0/24 (admin)`: flows grouped by peer, ports
 * merged; a bound peer is printed by its addresses. Addresses the finding will hide (within `hidden`, the rule's
 * sensitive peers: see `Redaction`) are not printed: the peer is named, and a note says once that its addresses are
 * sensitive, rather than `from (sensitive value of var.x) (admin); … from (sensitive value of var.x) (cloud-manager)`.
 */
function groupFlows(flows: ReplacementFlow[], direction: Direction, assignment: ProfileAssignment, hidden: readonly AddressSet[], groupPeer?: string): string {
  // The flows, then the replies a NACL needs apart: merged into a flow's ports, tcp/1024-65535 would hide tcp/3000.
  const replies = flows.filter((flow) => flow.isReply);
  if (replies.length === 0) return groupFlowsOfPeers(flows, direction, assignment, hidden, groupPeer);
  const own = groupFlowsOfPeers(flows.filter((flow) => !flow.isReply), direction, assignment, hidden);
  const answers = `for the replies (a NACL is stateless): ${groupFlowsOfPeers(replies, direction, assignment, hidden)}`;
  return own ? `${own}; ${answers}` : answers;
}

/** `groupPeer`: the rule's security group as written, which the flows are from (`tcp/3000 from security group x (cloud-manager)`). */
function groupFlowsOfPeers(flows: ReplacementFlow[], direction: Direction, assignment: ProfileAssignment, hidden: readonly AddressSet[], groupPeer?: string): string {
  if (flows.length === 0) return '';
  // By peer, and by the part of its addresses still to allow where other rules allow the rest.
  const groups = new Map<string, { peer: string; addresses: AddressSet | undefined; protocols: Map<string, PortSet> }>();
  for (const flow of flows) {
    const key = flow.addresses ? `${flow.peer} ${flow.addresses.toString()}` : flow.peer;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { peer: flow.peer, addresses: flow.addresses, protocols: new Map() }));
    group.protocols.set(flow.protocol, (group.protocols.get(flow.protocol) ?? PortSet.EMPTY).union(flow.ports));
  }
  const preposition = direction === 'in' ? 'from' : 'to';
  const sensitivePeers = new Set<string>();
  const text = [...groups.values()]
    .map(({ peer, addresses, protocols }) => {
      const parts = [...protocols.entries()].map(([protocol, ports]) => (protocol === 'tcp' || protocol === 'udp' ? `${protocol}/${ports.toString()}` : protocol === 'all' ? 'all traffic' : protocol));
      if (groupPeer !== undefined) return `${parts.join(' and ')} ${preposition} ${groupPeer} (${peer})`;
      const bound = addresses ?? (Object.hasOwn(assignment.peers, peer) ? assignment.peers[peer] : undefined);
      if (bound && isHidden(bound, hidden)) sensitivePeers.add(peer);
      else if (bound) return `${parts.join(' and ')} ${preposition} ${bound.toString()} (${peer})`;
      return `${parts.join(' and ')} ${preposition} ${peer}`;
    })
    .join('; ');
  if (sensitivePeers.size === 0) return text;
  const names = [...sensitivePeers];
  const peers = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${text} (the addresses bound to ${peers} are sensitive)`;
}

/** The addresses of the rules' sensitive peers (`Rule.sensitive`), one set per origin, as `Redaction` hides them. */
function sensitivePeerAddresses(rules: readonly Rule[]): AddressSet[] {
  const byOrigin = new Map<string, AddressSet>();
  for (const rule of rules) {
    const origin = rule.sensitive?.peer;
    if (origin === undefined || rule.peer.kind !== 'addresses') continue;
    const known = byOrigin.get(origin);
    byOrigin.set(origin, known ? known.union(rule.peer.addresses) : rule.peer.addresses);
  }
  return [...byOrigin.values()];
}

/** Whether every CIDR of `addresses`, as printed, is within one of the `hidden` sets. */
function isHidden(addresses: AddressSet, hidden: readonly AddressSet[]): boolean {
  return hidden.length > 0 && addresses.toCidrs().every((cidr) => hidden.some((set) => set.containsAll(AddressSet.parseCidr(cidr))));
}

/** Flows of options not selected that would permit part of the excess, once their peer is bound. */
function describeUnselected(flows: ProfileFlow[], direction: Direction): string {
  const options = [...new Set(flows.map((flow) => flow.condition!))];
  const peers = [...new Set(flows.map((flow) => flow.peer))];
  const preposition = direction === 'in' ? 'from' : 'to';
  const traffic = flows.map((flow) => `${flow.protocol === 'tcp' || flow.protocol === 'udp' ? `${flow.protocol}/${flow.ports.toString()}` : flow.protocol === 'all' ? 'all traffic' : flow.protocol} ${preposition} ${flow.peer}`);
  const which = options.length === 1 ? `option ${options[0]} is in use, select it` : `options ${options.join(', ')} are in use, select them`;
  return `if ${which} and bind ${peers.join(', ')} (they permit ${[...new Set(traffic)].join(', ')})`;
}
