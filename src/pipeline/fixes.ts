import { intersectBoxes, requiredTraffic, rulesToRemove, subtractAll, type ExcessGrant, type ProfileAssignment, type ProfileDiff, type TrafficBox } from '../engine/profile-diff';
import { protocolSet } from '../engine/effective';
import { IntervalSet } from '../model/interval-set';
import { Redaction } from '../checks/redaction';
import type { FixSuggestion } from '../model/finding';
import { blockRemoval, inlineBlockOf, isDynamicBlockItem, nestedElementOf, sameConstruct, SOURCE_PORT_CONDITION, type Rule } from '../model/rule';
import { isWindowsHostKind } from '../model/location';
import type { Target } from '../model/target';
import type { ReplacementFlow } from '../engine/profile-diff';
import { renderTerraformReplacement, type RenderOptions, type RequiredFlow, type RoleProfile } from '../packs';
import { extensionOf, SCRIPT_DIALECTS } from '../parsers/netsh/detect';
import { keepsDescription, renderReplacement, type KeptDescription, type NsgPlacement, type ReplacementFormat, type ReplacementOptions, type RuleResource, type WrittenPeer } from '../packs/render';
import { lex, Tok } from '../parsers/terraform/hcl/lexer';
import type { SourceRange } from '../model/location';
import { describePeer } from '../model/peer';
import { renderTypeScriptReplacement, typeScriptReplacementEdit } from '../packs/render-typescript';
import type { WrittenPlace } from './written-place';
import { lazy } from './lazy';

// The TypeScript parser is loaded only for a CDK/Pulumi finding, not by every scan that writes a replacement.
const writtenPlaceModule = lazy(() => require('./written-place') as typeof import('./written-place'));

/** A replacement's format: a rendering's, or TypeScript for AWS CDK, CDKTF and Pulumi rules (`render-typescript`). */
type FixFormat = ReplacementFormat | 'typescript';

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
  const fix = rule.kind === 'cdk' ? typeScriptFix(target, rule, diff, sources) : blockFix(target, rule, diff, sources);
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
  const opts: RenderOptions = writtenPeer ? { peers, writtenPeer } : { peers };
  const deleted = resource ? rule.resourceRange! : rule.location.range;
  const indent = resource ? '' : ' '.repeat(Math.max(0, rule.location.range.startColumn - 1));
  const written = writtenBlockParts(rule, deleted, sources);
  const rendered = flows.map(renderedFlow);
  if (written.description) opts.keptDescription = written.description;
  const text = renderTerraformReplacement(rendered, opts, indent, resource);
  return { description, file: rule.location.file, deleted, insertedText: withWrittenComments(text, writtenComments(written, keepsDescription(rendered, opts)), indent) };
}

/** What a replaced Terraform block says beyond its rule: its `description` (see `KeptDescription`) and comments. */
interface WrittenBlockParts {
  description?: KeptDescription;
  /** Its comments as written, in order, but the end-of-line comment of its description (part of that). */
  comments: string[];
}

/**
 * The `description` and comments of the Terraform block (or rule resource) at `range`, from the scanned text: a
 * replacement keeps them, so that the user's own words (a ticket id, a note) survive the fix. A description that is
 * not a literal string or a variable (`each.value.note`, an interpolation) is not kept: it may not hold in its place.
 */
function writtenBlockParts(rule: Rule, range: SourceRange, sources: FixSources): WrittenBlockParts {
  const lines = sources.lines(rule.location.file);
  if (!lines) return { comments: [] };
  const blockLines = lines.slice(range.startLine - 1, range.endLine);
  if (blockLines.length === 0) return { comments: [] };
  blockLines[blockLines.length - 1] = blockLines[blockLines.length - 1]!.slice(0, range.endColumn - 1);
  blockLines[0] = ' '.repeat(range.startColumn - 1) + blockLines[0]!.slice(range.startColumn - 1);
  const text = blockLines.join('\n');
  const { types, starts, ends, count, comments } = lex(text);
  let description: { start: number; end: number } | undefined;
  let depth = 0;
  for (let i = 0; i < count && !description; i++) {
    if (types[i] === Tok.OBrace) depth++;
    else if (types[i] === Tok.CBrace) depth--;
    else if (depth === 1 && types[i] === Tok.Ident && text.slice(starts[i]!, ends[i]!) === 'description' && types[i + 1] === Tok.Equal) {
      let last = i + 2;
      while (last + 1 < count && types[last + 1] !== Tok.Newline && types[last + 1] !== Tok.CBrace) last++;
      const value = [...types.slice(i + 2, last + 1)];
      const isLiteral = value[0] === Tok.OQuote && value[value.length - 1] === Tok.CQuote && value.slice(1, -1).every((type) => type === Tok.QuotedLit);
      const isVariable = /^(var|local)\.[A-Za-z_][\w-]*$/.test(text.slice(starts[i + 2]!, ends[last]!));
      if (isLiteral || isVariable) description = { start: starts[i + 2]!, end: ends[last]! };
    }
  }
  const lineEnd = (offset: number): number => (text.indexOf('\n', offset) < 0 ? text.length : text.indexOf('\n', offset));
  const trailing = description ? comments.find((comment) => comment.start >= description!.end && comment.start < lineEnd(description!.end)) : undefined;
  const kept: string[] = comments.filter((comment) => comment !== trailing).map((comment) => text.slice(comment.start, comment.end));
  if (!description) return { comments: kept };
  const fields = awsPortFieldsOf(rule);
  if (!fields) return { comments: kept };
  const value = text.slice(description.start, trailing ? trailing.end : description.end);
  return { description: { text: value, protocol: fields[0], from: fields[1], to: fields[2] }, comments: kept };
}

/** The replaced rule's AWS protocol and ports as a replacement writes them (`-1` 0–0, `icmp` −1–−1), if one range. */
function awsPortFieldsOf(rule: Rule): [string, number, number] | undefined {
  if (rule.protocol.kind === 'any') return rule.ports.isAll() ? ['-1', 0, 0] : undefined;
  if (rule.protocol.kind !== 'number') return undefined;
  const names: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };
  const name = names[rule.protocol.value];
  if (name === 'icmp' || name === 'icmpv6') return rule.icmp === undefined || (rule.icmp.type === 'any' && rule.icmp.code === 'any') ? [name, -1, -1] : undefined;
  const ranges = rule.ports.ranges();
  return name && ranges.length === 1 ? [name, ranges[0]![0], ranges[0]![1]] : undefined;
}

/**
 * The comments to write into a replacement: the block's own, and its description where no replacement rule keeps it
 * (`descriptionKept`), carried over as a comment.
 */
function writtenComments(written: WrittenBlockParts, descriptionKept: boolean): string[] {
  if (!written.description || descriptionKept) return written.comments;
  return [`# the replaced rule's description: ${written.description.text}`, ...written.comments];
}

/**
 * `text` (a replacement: blocks or resources, the first line unindented) with `comments` written at the start of its
 * first block, on lines of their own one level in from `indent`.
 */
function withWrittenComments(text: string, comments: readonly string[], indent: string): string {
  if (comments.length === 0) return text;
  const lines = text.split('\n');
  const opening = lines.findIndex((line) => /\{\s*$/.test(line) && !/^\s*#/.test(line));
  if (opening < 0) return text;
  lines.splice(opening + 1, 0, ...comments.map((comment) => `${indent}  ${comment}`));
  return lines.join('\n');
}

/**
 * A SARIF fix for an FW202 finding on an AWS CDK/CDKTF/Pulumi rule: its call or list item replaced by the vendor's
 * advanced rules in the same shape (`sg.addIngressRule(…)` calls, `ingress` items), where the text is exact: the range
 * makes this rule alone (not a loop's, a helper's or a list of peers'), every peer is bound or the rule's own group
 * or prefix list, and several calls go only where the call is a statement of its own lines. A call the role needs
 * none of becomes a comment (its `;` with it). No edit of a construct (`new aws.ec2.SecurityGroupRule(…)`): its
 * replacement names new constructs; `properties.replacement` has them.
 */
function typeScriptFix(target: Target, rule: Rule, diff: ProfileDiff, sources: FixSources): FixSuggestion | undefined {
  const written = typeScriptPlaceOf(rule, sources);
  const excess = diff.excess.find((entry) => entry.rule === rule);
  if (!written?.exact || !excess || target.rules.some((other) => other !== rule && sameRange(other, rule))) return undefined;
  const lines = sources.lines(rule.location.file)!;
  const { startLine, startColumn, endLine, endColumn } = rule.location.range;
  const before = lines[startLine - 1]!.slice(0, startColumn - 1);
  const after = lines[endLine - 1]!.slice(endColumn - 1).replace(/\r$/, '');
  const ownLines = /^\s*$/.test(before) && /^\s*;?\s*$/.test(after);
  const region = { file: rule.location.file, deleted: rule.location.range };
  let flows = excess.replacementFlows;
  if (flows.length === 0) {
    // The role needs none of it, or what it carries is written by another rule's replacement (the message says which).
    if (written.place.shape !== 'cdk-method' || !ownLines) return undefined;
    const needs = rulesToRemove(diff).has(rule) ? 'needs no such rule' : "needs none of it beyond what another rule's replacement writes";
    return { description: `Remove the call (${diff.assignment.ref} ${needs})`, ...region, insertedText: `// fwlint: removed; ${diff.assignment.ref} ${needs}` };
  }
  const peers: Record<string, string[]> = {};
  for (const [peer, addresses] of Object.entries(diff.assignment.peers)) peers[peer] = addresses.toCidrs();
  const writtenPeer = writtenPeerOf(rule, 'typescript', [rule], sources);
  if (writtenPeer === null || unknownPeerParts([rule]).length > 0) return undefined;
  if (writtenPeer) flows = narrowedToRule(flows, rule);
  // An unbound peer would be a constant the file does not declare: the edit would not compile.
  else if (flows.some((flow) => !flow.addresses && (peers[flow.peer] ?? []).length === 0)) return undefined;
  const opts: ReplacementOptions = writtenPeer ? { peers, replaces: rule.resourceAddress, writtenPeer } : { peers, replaces: rule.resourceAddress };
  const indent = written.place.shape === 'cdk-method' ? /^\s*/.exec(before)![0] : ' '.repeat(Math.max(0, startColumn - 1));
  const text = typeScriptReplacementEdit(flows.map(renderedFlow), written.place, opts, indent);
  if (text === undefined) return undefined;
  // Statements after the first would leave an `if (…)` or an arrow's body: several only where the call stands alone.
  if (written.place.shape === 'cdk-method' && text.includes('\n') && !ownLines) return undefined;
  return { description: `Replace with the vendor's advanced rules (${diff.assignment.ref})`, ...region, insertedText: text };
}

/** How a CDK/CDKTF/Pulumi rule is written (see `readWrittenPlace`), read from its file's text; undefined where not known. */
function typeScriptPlaceOf(rule: Rule, sources: FixSources): WrittenPlace | undefined {
  if (rule.kind !== 'cdk' || rule.platform !== 'aws-sg' || rule.synthetic) return undefined;
  const lines = sources.lines(rule.location.file);
  const { startLine, startColumn, endLine, endColumn } = rule.location.range;
  if (!lines || endLine > lines.length) return undefined;
  const written = lines.slice(startLine - 1, endLine).map((line) => line.replace(/\r$/, ''));
  written[written.length - 1] = written[written.length - 1]!.slice(0, endColumn - 1);
  written[0] = written[0]!.slice(startColumn - 1);
  return writtenPlaceModule().readWrittenPlace(written.join('\n'), rule.resourceAddress, rule.direction, lines);
}

/** The rules of a CDK/CDKTF/Pulumi call, construct or list item: one per peer of its lists (`cidrBlocks: [a, b]`). */
function writtenPlaceRules(rule: Rule, target: Target): Rule[] {
  return target.rules.filter((other) => !other.synthetic && other.resourceAddress === rule.resourceAddress && other.branch === rule.branch && sameRange(other, rule));
}

function sameRange(a: Rule, b: Rule): boolean {
  const [x, y] = [a.location.range, b.location.range];
  return a.location.file === b.location.file && x.startLine === y.startLine && x.startColumn === y.startColumn && x.endLine === y.endLine && x.endColumn === y.endColumn;
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
 * rule resource's (one per peer of its CIDR lists); a CDK/Pulumi rule's call, construct or list item's (one per peer of
 * `cidrBlocks`). Undefined for other rules.
 */
function placeRulesOf(rule: Rule, target: Target): Rule[] | undefined {
  if (rule.kind === 'cdk') return writtenPlaceRules(rule, target);
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
 * Undefined when the rule needs no replacement (remove it) or its format has no rendering: plan JSON, NACLs
 * (stateless, one CIDR and rule number per entry) and GCP firewalls (one source list for all of a firewall's rules).
 * AWS CDK, CDKTF and Pulumi rules get TypeScript in their own shape (`render-typescript`), where it can be read.
 */
export function replacementText(target: Target, rule: Rule, diff: ProfileDiff, findingRules: readonly Rule[] = [rule], sources: FixSources = NO_SOURCES): string | undefined {
  const typeScriptPlace = rule.kind === 'cdk' ? typeScriptPlaceOf(rule, sources) : undefined;
  const format: FixFormat | undefined = typeScriptPlace ? 'typescript' : replacementFormat(rule);
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
  const kept = format === 'terraform' || format === 'typescript' ? keptBlockFlows(target, rule, diff, reported) : nsgResourceRules ? keptPlaceFlows(diff, stayingRules(nsgResourceRules, diff, reported)) : [];
  if (kept === undefined) return undefined;
  let flows = excesses.length > 1 || kept.length > 0 ? mergedFlows([...ownFlows, ...kept], diff.assignment.peers) : ownFlows;
  const writtenPeer = format === 'terraform' || format === 'cloudformation' || format === 'typescript' ? writtenPeerOf(rule, format, [...new Set([...(placeRulesOf(rule, target) ?? []), ...findingRules])], sources) : undefined;
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
  if (format === 'terraform' || format === 'typescript') {
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
    // The rule's source-port limit is what keeps the flows out (a client picks its own source port): not kept.
    const { [SOURCE_PORT_CONDITION]: _sourcePorts, ...conditions } = rule.writtenConditions ?? {};
    opts.windowsScope = { ...(rule.profiles ? { profiles: rule.profiles } : {}), ...(Object.keys(conditions).length > 0 ? { conditions } : {}) };
    const laterChanges = laterChangesOf(findingRules);
    if (laterChanges.length > 0) opts.windowsScope.laterChanges = laterChanges;
  }
  // The block's own description and comments, as its SARIF edit keeps them (HCL only: JSON has no comments; a dynamic
  // block's text makes other items too).
  const written = format === 'terraform' && opts.objectElements !== 'json' && !opts.dynamicBlock ? writtenBlockParts(rule, resource ? rule.resourceRange! : rule.location.range, sources) : undefined;
  if (written?.description) opts.keptDescription = written.description;
  const rendered = typeScriptPlace ? renderTypeScriptReplacement(profile, typeScriptPlace.place, opts) : renderReplacement(profile, format as ReplacementFormat, opts);
  const text = written ? withWrittenComments(rendered, writtenComments(written, keepsDescription(profile.flows, opts)), '') : rendered;
  // The text shows no sensitive value of the rule (the bound addresses a sensitive peer holds), as the message does not.
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
function writtenPeerOf(rule: Rule, format: 'terraform' | 'cloudformation' | 'typescript', placeRules: readonly Rule[], sources: FixSources): WrittenPeer | null | undefined {
  const { peer } = rule;
  const kind = peer.kind === 'sg-ref' ? 'security-group' : peer.kind === 'self' ? 'self' : peer.kind === 'prefix-list' || (peer.kind === 'addresses' && peer.prefixListId !== undefined) ? 'prefix-list' : undefined;
  if (rule.platform !== 'aws-sg' || kind === undefined) return undefined;
  if (placeRules.some((other) => !sameConstruct(other, rule))) return null;
  if (kind === 'self') return format === 'terraform' && !/^aws_vpc_security_group_/.test(rule.resourceAddress) ? { kind, text: 'true' } : null;
  const at = rule.peerLocation;
  const line = at && at.range.startLine === at.range.endLine ? sources.lines(at.file)?.[at.range.startLine - 1] : undefined;
  const written = line?.slice(at!.range.startColumn - 1, at!.range.endColumn - 1).trim();
  // A peer written in a single-valued attribute (`source_security_group_id = aws_security_group.admin.id`) is located
  // at the whole attribute, as its findings are: the replacement writes its name itself and takes the expression only.
  const text = format === 'terraform' && written !== undefined ? written.replace(/^[A-Za-z_][\w-]*[ \t]*=(?!=)[ \t]*/, '') : written;
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
