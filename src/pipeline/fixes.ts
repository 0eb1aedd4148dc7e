import { intersectBoxes, requiredTraffic, rulesToRemove, subtractAll, type ExcessGrant, type ProfileAssignment, type ProfileDiff, type TrafficBox } from '../engine/profile-diff';
import { protocolSet } from '../engine/effective';
import { IntervalSet } from '../model/interval-set';
import { Redaction } from '../checks/redaction';
import type { FixSuggestion } from '../model/finding';
import { blockRemoval, inlineBlockOf, isDynamicBlockItem, nestedElementOf, sameConstruct, type Rule } from '../model/rule';
import { isWindowsHostKind } from '../model/location';
import type { Target } from '../model/target';
import type { ReplacementFlow } from '../engine/profile-diff';
import { renderTerraformReplacement, type RequiredFlow, type RoleProfile } from '../packs';
import { extensionOf, SCRIPT_DIALECTS } from '../parsers/netsh/detect';
import { renderReplacement, type NsgPlacement, type ReplacementFormat, type ReplacementOptions, type RuleResource, type WrittenPeer } from '../packs/render';
import { describePeer } from '../model/peer';

/** Whether a Terraform rule is written in Terraform JSON syntax (`.tf.json`, `.tofu.json`). */
function isTerraformJson(rule: Rule): boolean {
  return /\.(tf|tofu)\.json$/i.test(rule.location.file);
}

/** Whether a rule is an inline `ingress`/`egress` rule of its security group, not a rule resource of its own. */
function isInlineSgRule(rule: Rule, target: Target): boolean {
  return /\.(ingress|egress)$/.test(nestedElementOf(rule, target)?.[1] ?? '');
}

/**
 * A SARIF fix for an FW202 finding: the over-broad rule's block replaced by the vendor's advanced rules it was
 * meant to carry, or removed. Only for Terraform inline `ingress`/`egress` blocks of security groups and rule resources
 * of the root module written once (`aws_security_group_rule`, `aws_vpc_security_group_*_rule`: the whole resource, by
 * resources of its type), and only when every peer the replacement names is bound. A block or resource that makes
 * several rules (one per peer, or per item of a `dynamic` block) is edited once, on the finding of its first flagged
 * rule, so that applying every fix edits each place once: removed when the role needs none of its rules; replaced,
 * when it is static, by the advanced rules of all its flagged rules together, with the flows that its other rules
 * carry written again (the admins' IPv6 range beside the flagged IPv4 world; see `keptPlaceFlows`), as
 * `properties.replacement` writes them. No edit where such a rule carries traffic no bound flow holds, or where the
 * flagged rules have nothing to write instead but others stay (the message says which peers to remove).
 */
export function replacementFix(target: Target, rule: Rule, diff: ProfileDiff, sources: FixSources = NO_SOURCES): FixSuggestion | undefined {
  const fix = blockFix(target, rule, diff, sources);
  if (!fix) return undefined;
  // Code cannot show a sensitive value redacted (see `Redaction`): no edit that writes one, such as the bound addresses
  // a sensitive peer holds. The edit may write the replacements of the place's other rules too.
  const redaction = Redaction.of([...(diff.excess.find((entry) => entry.rule === rule)?.rules ?? [rule]), ...(placeRulesOf(rule, target) ?? [])]);
  return !redaction || redaction.fixes([fix]).length > 0 ? fix : undefined;
}

/** What a replacement reads beyond the rule: the scanned input as written. */
export interface FixSources {
  /** A scanned file's lines (its text split at LF), by its path as rules name it; undefined where it cannot be read. */
  lines(file: string): readonly string[] | undefined;
  /** The names of the resources of `type` in the module of `file` (the root module's folder). */
  resourceNames(type: string, file: string): readonly string[];
}

const NO_SOURCES: FixSources = { lines: () => undefined, resourceNames: () => [] };

function blockFix(target: Target, rule: Rule, diff: ProfileDiff, sources: FixSources): FixSuggestion | undefined {
  // Security groups only: a NACL's inline `ingress`/`egress` blocks have other fields (rule_no, cidr_block).
  if (rule.kind !== 'terraform-hcl' || rule.platform !== 'aws-sg') return undefined;
  const resource = ruleResourceOf(rule, sources);
  if (!resource && !isInlineSgRule(rule, target)) return undefined;
  // An element of the attribute form (`ingress = [{…}, {…}]`): blocks or a comment in its place would not parse (the
  // message says what to change).
  if (rule.isListElement) return undefined;
  // Terraform JSON: the renderer's text is HCL, and JSON has no comment to leave in a removed rule's place
  // (`properties.replacement` has the objects to write).
  if (isTerraformJson(rule)) return undefined;
  const excess = diff.excess.find((entry) => entry.rule === rule);
  if (!excess) return undefined;
  const inline = resource ? undefined : inlineBlockOf(rule, target);
  const placeRules = placeRulesOf(rule, target);
  // A peer list with an unresolved part (`concat(var.extra, ["0.0.0.0/0"])`): the edit cannot write what it does not
  // know, and dropping it would cut whatever the caller passes (the message and `properties.replacement` say to keep it).
  if (unknownPeerParts(placeRules ?? excess.rules ?? [rule]).length > 0) return undefined;
  const removed = rulesToRemove(diff);
  if (removed.has(rule) && (!placeRules || placeRules.every((other) => removed.has(other)))) {
    // A resource's edit is on the finding of its first rule, so that applying every fix edits it once.
    if (resource) return placeRules![0] === rule ? resourceRemovalFix(rule, resource, diff, placeRules!.length) : undefined;
    return removalFix(target, rule, diff, removed);
  }
  // A dynamic block's text makes every item of its for_each: static blocks in its place would drop or repeat them.
  if (inline?.block.isDynamic) return undefined;
  let flows = excess.replacementFlows;
  let description = resource ? `Replace with ${resource.type} resources holding the vendor's advanced rules (${diff.assignment.ref})` : `Replace with the vendor's advanced rules (${diff.assignment.ref})`;
  if (!placeRules || placeRules.length > 1) {
    // A block read once per side of an undecidable condition makes each side's rules: no one text is exact for both.
    if (!placeRules || inline?.block.isDynamic || placeRules.some((other) => other.branch !== rule.branch)) return undefined;
    const entryOf = (other: Rule): ExcessGrant | undefined => diff.excess.find((entry) => entry.rule === other || entry.rules?.includes(other));
    const excesses = [...new Set(placeRules.map(entryOf).filter((entry): entry is ExcessGrant => entry !== undefined))];
    // The place's edit is on the finding of its first flagged rule.
    if (excesses[0] !== excess) return undefined;
    const ownFlows = excesses.flatMap((entry) => entry.replacementFlows);
    const staying = placeRules.filter((other) => entryOf(other) === undefined);
    const kept = staying.length > 0 ? keptPlaceFlows(diff, staying) : [];
    // The flagged rules have nothing to write, others stay: the edit would only drop peers (the message names them).
    if (kept === undefined || (staying.length > 0 && ownFlows.length === 0)) return undefined;
    flows = mergedFlows([...ownFlows, ...kept], diff.assignment.peers);
    if (excesses.length > 1 || staying.length > 0) {
      const holding = resource ? `${resource.type} resources holding the vendor's advanced rules` : "the vendor's advanced rules";
      const peersOf = (rules: readonly Rule[]): string => [...new Set(rules.map((each) => describePeer(each.peer)))].join(', ');
      const flagged = staying.length > 0 ? peersOf(excesses.flatMap((entry) => entry.rules ?? [entry.rule])) : `its ${excesses.length} flagged peers`;
      const keeping = staying.length > 0 ? `, keeping what ${peersOf(staying)} ${staying.length === 1 ? 'carries' : 'carry'} for the role` : '';
      description = `Replace the ${resource ? 'resource' : 'block'} with ${holding} for ${flagged} (${diff.assignment.ref})${keeping}`;
    }
  }
  const peers: Record<string, string[]> = {};
  for (const [peer, addresses] of Object.entries(diff.assignment.peers)) peers[peer] = addresses.toCidrs();
  const writtenPeer = writtenPeerOf(rule, 'terraform', placeRules ?? [rule], sources);
  if (writtenPeer === null) return undefined;
  if (writtenPeer) {
    flows = narrowedToRule(flows, rule);
    if (flows.length === 0) return undefined;
  }
  // An unbound peer would be written as a variable the module may not declare: applying the fix would break the
  // configuration. Offer the edit only when it is complete code; `properties.replacement` still has the rendering.
  else if (flows.some((flow) => !flow.addresses && (peers[flow.peer] ?? []).length === 0)) return undefined;
  const opts = writtenPeer ? { peers, writtenPeer } : { peers };
  if (resource) {
    return { description, file: rule.location.file, deleted: rule.resourceRange!, insertedText: renderTerraformReplacement(flows.map(renderedFlow), opts, '', resource) };
  }
  const indent = ' '.repeat(Math.max(0, rule.location.range.startColumn - 1));
  return {
    description,
    file: rule.location.file,
    deleted: rule.location.range,
    insertedText: renderTerraformReplacement(flows.map(renderedFlow), opts, indent),
  };
}

/**
 * The rule resource `rule` is made from, where a replacement of resources of its type can take its whole range: one
 * of the root module written once, with its `security_group_id` as written (see `Rule.resourceRange`).
 */
function ruleResourceOf(rule: Rule, sources: FixSources = NO_SOURCES): RuleResource | undefined {
  const securityGroupId = rule.containerArguments?.security_group_id;
  if (rule.kind !== 'terraform-hcl' || rule.platform !== 'aws-sg' || !rule.resourceRange || securityGroupId === undefined) return undefined;
  const match = /^(aws_security_group_rule|aws_vpc_security_group_(?:ingress|egress)_rule)\.([A-Za-z_][\w-]*)$/.exec(rule.resourceAddress);
  if (!match) return undefined;
  // The new resources' names must be free in the module (`in_1` may exist beside `in`); the replaced one's is.
  const taken = sources.resourceNames(match[1]!, rule.location.file).filter((name) => name !== match[2]);
  return { type: match[1]!, name: match[2]!, securityGroupId, ...(taken.length > 0 ? { takenNames: taken } : {}) };
}

/**
 * The rules made from the written place that a Terraform replacement of `rule` takes whole: its inline block's, or its
 * rule resource's (one per peer of its CIDR lists). Undefined for other rules.
 */
function placeRulesOf(rule: Rule, target: Target): Rule[] | undefined {
  if (ruleResourceOf(rule)) return target.rules.filter((other) => !other.synthetic && other.resourceAddress === rule.resourceAddress);
  return inlineBlockOf(rule, target)?.rules;
}

/**
 * The unresolved parts, as written (`var.extra`), of a peer list that has known parts too: once each. A wholly
 * unresolved peer list is none (the finding is about it, and its replacement takes its place as for any peer).
 */
function unknownPeerParts(rules: readonly Rule[]): string[] {
  if (rules.every((each) => each.peer.kind === 'unknown')) return [];
  return [...new Set(rules.flatMap((each) => (each.peer.kind === 'unknown' ? [each.peer.expr] : [])))];
}

/** A rule resource the role needs none of, removed (it joins its group alone: no other rule depends on it staying). */
function resourceRemovalFix(rule: Rule, resource: RuleResource, diff: ProfileDiff, count: number): FixSuggestion {
  return {
    description: `Remove the resource (${diff.assignment.ref} ${count === 1 ? 'needs no such rule' : `needs none of its ${count} rules`})`,
    file: rule.location.file,
    deleted: rule.resourceRange!,
    insertedText: renderTerraformReplacement([], { peers: {} }, '', resource),
  };
}

/**
 * The replacement flows of several rules of one block as one list, in order: the parts of a bound peer that each
 * rule is to write (disjoint, see `ReplacementFlow.addresses`) joined per flow, the whole peer written as such.
 */
function mergedFlows(flows: ReplacementFlow[], bound: ProfileAssignment['peers']): ReplacementFlow[] {
  const byFlow = new Map<string, ReplacementFlow>();
  for (const flow of flows) {
    const key = `${flow.id}|${flow.protocol}|${flow.ports.toString()}|${flow.alternatives.map((alternative) => `${alternative.protocol}/${alternative.ports.toString()}`).join(',')}`;
    const same = byFlow.get(key);
    if (!same) {
      byFlow.set(key, flow);
      continue;
    }
    // Either part being the whole peer, or the parts making it up together, is the whole peer.
    const addresses = same.addresses && flow.addresses ? same.addresses.union(flow.addresses) : undefined;
    const whole = bound[flow.peer];
    const merged: ReplacementFlow = { ...same };
    if (addresses && !(whole && addresses.equals(whole))) merged.addresses = addresses;
    else delete merged.addresses;
    byFlow.set(key, merged);
  }
  return [...byFlow.values()];
}

/**
 * The block of a rule the role needs none of, removed; when every block of its direction goes, the first becomes an
 * empty list (without any block the group's deployed rules would stay) and the fixes of the others remove theirs.
 */
function removalFix(target: Target, rule: Rule, diff: ProfileDiff, removed: ReadonlySet<Rule>): FixSuggestion | undefined {
  const removal = blockRemoval(rule, target, removed);
  // Another rule of the block stays (a peer, an item), or the block's edit is on its first rule's finding.
  if (!removal || removal.rules[0] !== rule) return undefined;
  const name = rule.direction === 'in' ? 'ingress' : 'egress';
  const all = removal.allOfDirection;
  const region = { file: removal.block.location.file, deleted: removal.block.location.range };
  const needsNone = removal.rules.length === 1 ? 'needs no such rule' : `needs none of its ${removal.rules.length} rules`;
  if (all && all.first === removal.block) {
    const needs = all.blocks > 1 ? `needs none of the group's ${all.blocks} ${name} blocks; the fixes of the others remove them` : needsNone;
    return { description: `Replace with ${name} = [] (${diff.assignment.ref} ${needs}; without any ${name} block the deployed rules would stay)`, ...region, insertedText: `${name} = []` };
  }
  const indent = ' '.repeat(Math.max(0, removal.block.location.range.startColumn - 1));
  return {
    description: all
      ? `Remove the block (${diff.assignment.ref} ${needsNone}; the fix of ${all.firstName} writes ${name} = [] in its place)`
      : removal.emptyDynamicLeft !== undefined
        ? `Remove the block (${diff.assignment.ref} ${needsNone}; the group's dynamic ${name} blocks make no rule, so the deployed ${name} rules stay until they make one or become ${name} = [])`
        : `Remove the block (${diff.assignment.ref} ${needsNone})`,
    ...region,
    insertedText: renderTerraformReplacement([], { peers: {} }, indent),
  };
}

/**
 * The rules to use instead of an over-broad rule, for JSON/SARIF `properties.replacement`: a fragment in the rule's
 * own format that takes the rule's place (Terraform `ingress`/`egress` blocks, Azure `security_rule` blocks or
 * `azurerm_network_security_rule` resources, CloudFormation list items, netsh `add rule` lines, PowerShell
 * `New-NetFirewallRule` commands), for every format,
 * not only where a SARIF edit fits. It names only the flows the rule was meant to carry and says nothing about the
 * group's other rules or direction.
 * Undefined when the rule needs no replacement (remove it) or its format has no rendering: CDK, plan JSON, NACLs
 * (stateless, one CIDR and rule number per entry) and GCP firewalls (one source list for all of a firewall's rules).
 */
export function replacementText(target: Target, rule: Rule, diff: ProfileDiff, findingRules: readonly Rule[] = [rule], sources: FixSources = NO_SOURCES): string | undefined {
  const format = replacementFormat(rule);
  const excess = diff.excess.find((entry) => entry.rule === rule);
  // A finding for several rules at one place (the items of a `dynamic` block): what they were meant to carry together.
  const excesses = findingRules.length > 1 ? diff.excess.filter((entry) => findingRules.includes(entry.rule)) : excess ? [excess] : [];
  const ownFlows = excesses.flatMap((entry) => entry.replacementFlows);
  if (!format || !excess || ownFlows.length === 0) return undefined;
  // An item of an Fn::ForEach loop: a fragment in place of the loop's body would replace every item's resource (the
  // message says to drop the item's value and what to write instead).
  if (findingRules.some((each) => each.loopItem)) return undefined;
  // The fragment takes the place of the whole block: the rules the block makes that stay (the admins' IPv4 range
  // beside the flagged IPv6 one) are written again, as the flows they carry, or the fragment would cut them.
  const reported = excesses.flatMap((entry) => entry.rules ?? [entry.rule]);
  const nsgResourceRules = format === 'terraform-azurerm' ? nsgRuleResourceRules(rule, target) : undefined;
  const kept = format === 'terraform' ? keptBlockFlows(target, rule, diff, reported) : nsgResourceRules ? keptPlaceFlows(diff, stayingRules(nsgResourceRules, diff, reported)) : [];
  if (kept === undefined) return undefined;
  let flows = excesses.length > 1 || kept.length > 0 ? mergedFlows([...ownFlows, ...kept], diff.assignment.peers) : ownFlows;
  const writtenPeer = format === 'terraform' || format === 'cloudformation' ? writtenPeerOf(rule, format, [...new Set([...(placeRulesOf(rule, target) ?? []), ...findingRules])], sources) : undefined;
  if (writtenPeer === null) return undefined;
  if (writtenPeer) {
    flows = narrowedToRule(flows, rule);
    if (flows.length === 0) return undefined;
  }
  const peers: Record<string, string[]> = {};
  for (const [peer, addresses] of Object.entries(diff.assignment.peers)) peers[peer] = addresses.toCidrs();
  const [pack = '', role = ''] = diff.assignment.ref.split('/');
  const profile: RoleProfile = { pack, role, title: diff.assignment.title, source: '', options: [...(diff.assignment.options ?? [])].sort(), flows: flows.map(renderedFlow), basic: [] };
  if (diff.assignment.phase) profile.phase = diff.assignment.phase;
  if (diff.assignment.parameters) profile.parameters = diff.assignment.parameters;
  const opts: ReplacementOptions = { peers, replaces: rule.resourceAddress };
  if (writtenPeer) opts.writtenPeer = writtenPeer;
  if (format === 'terraform' && isTerraformJson(rule)) {
    // Objects of its list, in JSON; a rule resource's JSON (nested resource objects) and a peer read as written are not.
    if (!isInlineSgRule(rule, target) || writtenPeer) return undefined;
    opts.objectElements = 'json';
  } else if (format === 'terraform' && rule.isListElement) {
    opts.objectElements = 'hcl';
  }
  // Inline rules: `aws_security_group.x.ingress[0]`, `Group.SecurityGroupIngress[0]`; anything else is a resource.
  if (format === 'terraform' && !isInlineSgRule(rule, target)) opts.standalone = true;
  const resource = format === 'terraform' ? ruleResourceOf(rule, sources) : undefined;
  if (resource) opts.ruleResource = resource;
  if (format === 'terraform') {
    const unknown = unknownPeerParts([...(placeRulesOf(rule, target) ?? []), ...findingRules]);
    if (unknown.length > 0) opts.keptUnknownPeers = unknown;
  }
  // A rule resource is replaced whole, its other prefixes written again: its own number is free for them all.
  if (format === 'terraform-azurerm') opts.nsg = nsgPlacement(target, rule, [...findingRules, ...(nsgResourceRules ?? [])]);
  if ((format === 'terraform' || format === 'terraform-azurerm') && isDynamicBlockItem(rule, target)) {
    opts.dynamicBlock = true;
    // One finding for several items of the block: the fragment names them all, not its first rule's item.
    const inline = format === 'terraform' ? inlineBlockOf(rule, target) : undefined;
    const items = [...new Set(findingRules.map((each) => each.resourceAddress))];
    if (inline && items.length > 1) {
      const all = inline.rules.every((each) => items.includes(each.resourceAddress));
      // An item of unknown index (`ingress[?]`) or the unknown rest (`ingress[*]`) has no key: named as its address ends.
      const keys = items.map((address) => {
        const key = /\[([^\]]+)\]$/.exec(address)?.[1] ?? address;
        return /^[?*]/.test(key) ? `[${key}]` : key;
      });
      const block = `${target.id}.${inline.block.name}`;
      opts.dynamicItems = { keys, all };
      opts.replaces = all ? `the dynamic block ${block} (items ${keys.join(', ')})` : `items ${keys.join(', ')} of the dynamic block ${block}`;
    }
  }
  if (format === 'cloudformation' && rule.synthetic) opts.implicitEgress = true;
  else if (format === 'cloudformation' && !/\.SecurityGroup(Ingress|Egress)\[\d+\]$/.test(rule.resourceAddress)) opts.standalone = true;
  if (format === 'cloudformation' && /\.json$/i.test(rule.location.file)) opts.json = true;
  if (format === 'netsh' || format === 'netsh-powershell' || format === 'powershell') {
    opts.windowsScope = { ...(rule.profiles ? { profiles: rule.profiles } : {}), ...(rule.writtenConditions ? { conditions: rule.writtenConditions } : {}) };
    const laterChanges = laterChangesOf(findingRules);
    if (laterChanges.length > 0) opts.windowsScope.laterChanges = laterChanges;
  }
  // The text shows no sensitive value of the rule (the bound addresses a sensitive peer holds), as the message does not.
  const text = renderReplacement(profile, format, opts);
  return Redaction.of(excesses.flatMap((entry) => entry.rules ?? [entry.rule]))?.text(text) ?? text;
}

/** The script commands that change `rules` after they were created (`Rule.changedBy`), each once, by line. */
function laterChangesOf(rules: readonly Rule[]): Array<{ line: number; command: string }> {
  const byLine = new Map<number, string>();
  for (const change of rules.flatMap((rule) => rule.changedBy ?? [])) byLine.set(change.location.range.startLine, change.command);
  return [...byLine].sort(([a], [b]) => a - b).map(([line, command]) => ({ line, command }));
}

/**
 * The flows that the other rules of a static Terraform inline block (or rule resource, see `placeRulesOf`) carry, where
 * they stay (neither part of the finding, `findingRules`, nor flagged themselves): each required flow of a bound peer
 * they overlap, at the part of the peer's addresses they hold. Empty when the place makes no other rule; undefined
 * when a rule that stays carries traffic no such flow holds (a symbolic peer, an unbound flow), which a fragment of
 * the role's flows cannot keep.
 */
function keptBlockFlows(target: Target, rule: Rule, diff: ProfileDiff, findingRules: readonly Rule[]): ReplacementFlow[] | undefined {
  const placeRules = placeRulesOf(rule, target);
  if (!placeRules || inlineBlockOf(rule, target)?.block.isDynamic) return [];
  return keptPlaceFlows(diff, stayingRules(placeRules, diff, findingRules));
}

/** The rules of a place that stay: neither part of the finding (`findingRules`) nor flagged themselves. */
function stayingRules(placeRules: readonly Rule[], diff: ProfileDiff, findingRules: readonly Rule[]): Rule[] {
  const flagged = new Set(diff.excess.flatMap((entry) => entry.rules ?? [entry.rule]));
  return placeRules.filter((other) => !findingRules.includes(other) && !flagged.has(other));
}

/**
 * The rules an `azurerm_network_security_rule` makes (one per prefix and protocol), which its replacement takes the
 * place of as a whole (the fragment says "in its place"); undefined for an inline `security_rule` block, whose
 * prefixes that stay keep the block and its number.
 */
function nsgRuleResourceRules(rule: Rule, target: Target): Rule[] | undefined {
  if (!/(?:^|\.)azurerm_network_security_rule\.[A-Za-z_][\w-]*/.test(rule.resourceAddress)) return undefined;
  return target.rules.filter((other) => !other.synthetic && other.resourceAddress === rule.resourceAddress && other.branch === rule.branch);
}

/**
 * The flows that rules of a place that stay (`staying`) carry: each required flow of a bound peer they overlap, at the
 * part of the peer's addresses they hold. Undefined when one carries traffic no such flow holds.
 */
function keptPlaceFlows(diff: ProfileDiff, staying: readonly Rule[]): ReplacementFlow[] | undefined {
  const kept: ReplacementFlow[] = [];
  for (const other of staying) {
    if (other.peer.kind !== 'addresses') return undefined;
    const addresses = other.peer.addresses;
    const written: TrafficBox = { protocols: protocolSet(other.protocol), ports: other.ports, addresses };
    const carried: TrafficBox[] = [];
    for (const flow of diff.assignment.required) {
      const bound = Object.hasOwn(diff.assignment.peers, flow.peer) ? diff.assignment.peers[flow.peer] : undefined;
      if (flow.direction !== other.direction || flow.isReply || !bound) continue;
      const held = bound.intersect(addresses);
      requiredTraffic(diff.assignment, flow).forEach((variant, index) => {
        if (held.isEmpty() || !variant.some((part) => intersectBoxes(part, written) !== undefined)) return;
        const shape = index === 0 ? flow : { ...flow, ...flow.alternatives[index - 1]!, alternatives: [] };
        kept.push(held.equals(bound) ? shape : { ...shape, addresses: held });
        carried.push(...variant.map((part) => ({ ...part, addresses: part.addresses?.intersect(held) })));
      });
    }
    if (subtractAll([written], carried).length > 0) return undefined;
  }
  return kept;
}

function replacementFormat(rule: Rule): ReplacementFormat | undefined {
  if (rule.kind === 'terraform-hcl') return rule.platform === 'aws-sg' ? 'terraform' : rule.platform === 'azure-nsg' ? 'terraform-azurerm' : undefined;
  if (rule.kind === 'cloudformation') return rule.platform === 'aws-sg' ? 'cloudformation' : undefined;
  // A rule of a PowerShell script (`New-NetFirewallRule`) or export is replaced by PowerShell commands: netsh's
  // fragment is cmd syntax (REM, %VAR%), which a .ps1 cannot hold.
  if (rule.kind === 'powershell') return 'powershell';
  if (!isWindowsHostKind(rule.kind)) return undefined;
  // A netsh line of a .ps1 keeps netsh's syntax, written as PowerShell runs it (# comments, $ variables).
  return SCRIPT_DIALECTS.get(extensionOf(rule.location.file)) === 'powershell' ? 'netsh-powershell' : 'netsh';
}

/**
 * Where an Azure NSG rule sits among its NSG's rules of the same direction, and its own side. `replaced` are the
 * rules the fragment takes the place of (those of the finding).
 */
function nsgPlacement(target: Target, rule: Rule, replaced: readonly Rule[]): NsgPlacement {
  const taken = new Set<number>();
  for (const other of target.rules) {
    // The replaced rule's own model rules (one per protocol of `*`) free its number, as do the rules of its other
    // prefixes the fragment replaces too (every prefix of the block excess); those of prefixes that stay keep theirs.
    const isReplaced = sameConstruct(other, rule) || replaced.some((each) => sameConstruct(other, each));
    if (!isReplaced && other.direction === rule.direction && other.priority !== null) taken.add(other.priority);
  }
  const localPrefixes: string[] = [];
  const localGroups: string[] = [];
  for (const peer of rule.localAddresses ?? []) {
    if (peer.kind === 'addresses' && peer.text !== '*') localPrefixes.push(peer.text);
    else if (peer.kind === 'service-tag') localPrefixes.push(peer.name);
    // A literal ARM id, or a reference to an azurerm_application_security_group (its address).
    else if (peer.kind === 'sg-ref') localGroups.push(peer.id.startsWith('/') ? JSON.stringify(peer.id) : `${peer.id}.id`);
  }
  const placement: NsgPlacement = { priority: rule.priority, taken: [...taken].sort((a, b) => a - b), localPrefixes, localGroups, unresolvedLocal: rule.unresolvedLocalAddresses ?? [] };
  const resource = /(?:^|\.)azurerm_network_security_rule\.([A-Za-z_][\w-]*)/.exec(rule.resourceAddress);
  if (resource) placement.resource = { name: resource[1]!, container: rule.containerArguments ?? {} };
  return placement;
}

/**
 * The peer of an AWS security group rule as written, where it names a group, the group itself or a managed prefix list
 * (resolved to the entries or not): the replacement names it again, as the addresses it stands for are not the same
 * (a subnet is wider than the group's members; a prefix list's entries change). Undefined for a rule of CIDRs; null
 * when no replacement can name it faithfully: a place that makes several rules (several peers), a value not read.
 */
function writtenPeerOf(rule: Rule, format: 'terraform' | 'cloudformation', placeRules: readonly Rule[], sources: FixSources): WrittenPeer | null | undefined {
  const { peer } = rule;
  const kind = peer.kind === 'sg-ref' ? 'security-group' : peer.kind === 'self' ? 'self' : peer.kind === 'prefix-list' || (peer.kind === 'addresses' && peer.prefixListId !== undefined) ? 'prefix-list' : undefined;
  if (rule.platform !== 'aws-sg' || kind === undefined) return undefined;
  if (placeRules.some((other) => !sameConstruct(other, rule))) return null;
  if (kind === 'self') return format === 'terraform' && !/^aws_vpc_security_group_/.test(rule.resourceAddress) ? { kind, text: 'true' } : null;
  const at = rule.peerLocation;
  const line = at && at.range.startLine === at.range.endLine ? sources.lines(at.file)?.[at.range.startLine - 1] : undefined;
  const text = line?.slice(at!.range.startColumn - 1, at!.range.endColumn - 1).trim();
  return text ? { kind, text } : null;
}

/**
 * Replacement flows within what `rule` admits (exact protocol and port sets), for a replacement that names the rule's
 * own peer: none of it may admit traffic the rule did not. A flow of all traffic in a rule of one protocol becomes
 * that protocol's ports; ICMP stays only where the rule admits every ICMP message.
 */
function narrowedToRule(flows: readonly ReplacementFlow[], rule: Rule): ReplacementFlow[] {
  const protocols = protocolSet(rule.protocol);
  const narrowed: ReplacementFlow[] = [];
  for (const { addresses: _peerPart, ...flow } of flows) {
    if (flow.protocol === 'tcp' || flow.protocol === 'udp') {
      const ports = flow.ports.intersect(rule.ports);
      if (protocols.has(flow.protocol === 'tcp' ? 6n : 17n) && !ports.isEmpty()) narrowed.push({ ...flow, ports });
    } else if (flow.protocol === 'icmp') {
      if (protocols.has(1n) && (rule.icmp === undefined || (rule.icmp.type === 'any' && rule.icmp.code === 'any'))) narrowed.push(flow);
    } else if (protocols.equals(protocolSet({ kind: 'any' })) && rule.ports.isAll()) {
      narrowed.push(flow);
    } else if (protocols.equals(IntervalSet.range(6n, 6n)) || protocols.equals(IntervalSet.range(17n, 17n))) {
      narrowed.push({ ...flow, protocol: protocols.has(6n) ? 'tcp' : 'udp', ports: rule.ports, alternatives: [] });
    }
  }
  return narrowed;
}

/** A replacement flow as the renderer takes it: the addresses still to allow, when that is part of the peer's. */
function renderedFlow(flow: ReplacementFlow): RequiredFlow {
  const { addresses, ...rest } = flow;
  return addresses ? { ...(rest as RequiredFlow), cidrs: addresses.toCidrs() } : (rest as RequiredFlow);
}

/**
 * `fix` in the style of the file it edits (`lines`: its text split at LF): the renderer writes LF line ends and two
 * spaces per level from the replaced text's column; a CRLF file gets CRLF, and where the replaced lines are indented
 * with tabs, the inserted ones are too (the first line's whitespace as written, a tab per level beyond it), so that
 * an applied fix does not show every line as changed.
 */
export function inFileStyle(fix: FixSuggestion, lines: readonly string[]): FixSuggestion {
  const first = lines[fix.deleted.startLine - 1];
  if (first === undefined) return fix;
  const crlf = first.endsWith('\r');
  const replaced = lines.slice(fix.deleted.startLine - 1, fix.deleted.endLine);
  const tabs = replaced.some((line) => line.startsWith('\t'));
  if (!crlf && !tabs) return fix;
  // The renderer indents with as many spaces as the block's column: the whitespace written there stands for them.
  const written = first.slice(0, fix.deleted.startColumn - 1);
  const base = /^[ \t]*$/.test(written) ? written : ' '.repeat(written.length);
  const restyled = fix.insertedText.split('\n').map((line, index) => {
    if (index === 0 || !tabs) return line;
    const spaces = /^ */.exec(line)![0].length;
    if (spaces < base.length) return line;
    const levels = spaces - base.length;
    return `${base}${'\t'.repeat(Math.floor(levels / 2))}${' '.repeat(levels % 2)}${line.slice(spaces)}`;
  });
  return { ...fix, insertedText: restyled.join(crlf ? '\r\n' : '\n') };
}
