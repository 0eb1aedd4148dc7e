import { isWindowsHostKind, type SourceKind, type SourceLocation, type SourceRange } from './location';
import type { Peer } from './peer';
import { PortSet } from './port-set';
import type { Protocol } from './protocol';
import type { Target, WrittenBlock } from './target';

export type Platform = 'aws-sg' | 'aws-nacl' | 'azure-nsg' | 'gcp-fw' | 'windows-fw';
export type Direction = 'in' | 'out';
export type Action = 'allow' | 'deny' | 'bypass';

/** A field whose value could not be resolved statically; the rule is judged only as far as it is known (FW303). */
export interface UnknownValue {
  field: string;
  expr: string;
  location: SourceLocation;
  /**
   * The value is every bound of its rule's port range (CDK `Port.tcp(props.port)`): the rule opens one port, whichever
   * it turns out to be. Bounds recorded as two values (`from_port`, `to_port`) say so by their equal expressions.
   */
  onePort?: true;
  /**
   * A port bound's value whose rule's other bound is known: the ports the rule can open whatever the value is
   * (`from_port = 443, to_port = var.p`: 443-65535; `from_port = var.p, to_port = 1024`: 0-1024).
   */
  portsWithin?: PortSet;
}

/**
 * An unresolved port bound with the ports its rule stays within by the other bound, known (`from_port = 443`: the
 * range is 443 up to the value, at most 65535), so that it is judged on those only (FW101: `any port but tcp/0-442`;
 * never every port for FW104). Shared by the readers of two-bound ranges (Terraform, CloudFormation, CDK, Pulumi).
 */
export function withPortsWithin(unknown: UnknownValue, low: number | undefined, high: number | undefined): UnknownValue {
  const portsWithin = portsWithinBounds(low, high);
  return portsWithin ? { ...unknown, portsWithin } : unknown;
}

/**
 * The ports a range with one bound unresolved stays within (`UnknownValue.portsWithin`): `low`/`high` are the other
 * bound as read, known where it is a port number (not NaN, -1 or 70000); undefined where neither is.
 */
export function portsWithinBounds(low: number | undefined, high: number | undefined): PortSet | undefined {
  const isPort = (bound: number | undefined): bound is number => bound !== undefined && Number.isInteger(bound) && bound >= 0 && bound <= 65535;
  if (!isPort(low) && !isPort(high)) return undefined;
  return PortSet.range(isPort(low) ? low : 0, isPort(high) ? high : 65535);
}

/**
 * The `unknowns` of a rule with none, shared by the parsers that build rules by the hundred thousand (an empty array
 * per rule was 32 bytes of every rule kept until the end of the scan). Frozen: nothing adds to a rule's unknowns
 * after it is built.
 */
export const NO_UNKNOWNS: UnknownValue[] = Object.freeze([]) as unknown as UnknownValue[];

/**
 * One normalized firewall rule (formats.md §0), one peer each: a construct listing several peers becomes one rule
 * per peer, all pointing at the same source range.
 */
export interface Rule {
  /** Stable within its target: resource address plus the construct's index and peer index. */
  id: string;
  kind: SourceKind;
  /** Where the rule is written (the block or item); `peerLocation` narrows to the offending value when known. */
  location: SourceLocation;
  peerLocation?: SourceLocation;
  platform: Platform;
  resourceAddress: string;
  direction: Direction;
  action: Action;
  protocol: Protocol;
  /** Destination (service) ports: local for inbound, remote for outbound. ALL for protocols without ports. */
  ports: PortSet;
  /** Windows port keywords (`RPC`, `RPC-EPMap`, `IPHTTPS`, …) kept as named sets alongside `ports`. */
  portKeywords?: string[];
  icmp?: { type: number | 'any'; code: number | 'any' };
  peer: Peer;
  localAddresses?: Peer[];
  /**
   * Local addresses that could not be resolved, as written (expression text; in `localAddresses` as unknown peers,
   * so a Deny for them holds only for an Allow with the same expression). A rule written in its place must not say
   * "any".
   */
  unresolvedLocalAddresses?: string[];
  /** NACL rule number, NSG/GCP priority; null where order is irrelevant (SG, Windows). Lower wins. */
  priority: number | null;
  enabled: boolean;
  /** Windows profiles the rule applies on (`domain`, `private`, `public`). */
  profiles?: string[];
  program?: string;
  service?: string;
  /**
   * What else a packet must match for the rule to apply, beyond protocol, ports, ICMP type, peer and profiles, as
   * normalized text by name (Windows: `program`, `service`, `localip`, `interfacetype`; Windows and Azure:
   * `SOURCE_PORT_CONDITION`).
   * Sets do not model these, so a deny with conditions removes traffic only from an allow with the same ones: a
   * block for one program leaves the port open to every other program.
   */
  conditions?: Record<string, string>;
  /**
   * Windows: the rule's `conditions` as written (case kept: a program path, an SDDL), and the settings beyond them
   * that limit which connections it admits or how (`security`, `authentication`, `encryption`, `rmtcomputergrp`,
   * `rmtusrgrp`, `edge`), by netsh's names: what a rule written in its place (FW202's replacement) keeps.
   */
  writtenConditions?: Record<string, string>;
  description?: string;
  /**
   * Windows scripts: the commands that changed the rule after the one that created it (`set rule … new`,
   * `Set-`/`Enable-`/`Disable-NetFirewallRule`), in order, with the parameters each changed as written. The rule
   * stays located at its creating command (where its name is, and where comments above apply); findings name these
   * too, since a fix of that command alone leaves them acting on the rule, or on nothing once it is replaced.
   */
  changedBy?: RuleChange[];
  /**
   * A rule resource of its own that names its container by arguments (Azure `azurerm_network_security_rule`:
   * `resource_group_name`, `network_security_group_name`; AWS `aws_security_group_rule`, `aws_vpc_security_group_*_rule`:
   * `security_group_id`):
   * those arguments as written (expression text), so that a rule written in its place can name the same container.
   */
  containerArguments?: Record<string, string>;
  /**
   * The whole resource, for a Terraform `aws_security_group_rule` or `aws_vpc_security_group_*_rule` of the root module
   * written once in HCL (`location` is its header): the range that FW202's replacement, resources of that type, takes.
   */
  resourceRange?: SourceRange;
  /**
   * Where `location` is only the header of what the rule is written as (a Terraform rule resource, `resource
   * "aws_security_group_rule" "ssh" {`): all of it, header to closing brace. A comment written inside is in the middle
   * of the rule and applies to it (README "Suppressions").
   */
  extent?: SourceRange;
  /**
   * A CloudFormation rule resource an `Fn::ForEach` loop stamps out (`location` is the loop's body, shared by every
   * item): the loop's key, the collection's value that made it, and where that value is written, when known. For
   * nested loops, the innermost; `levels` then holds the item of each loop, outermost first, with how many resources
   * of the output key share it. `output`: the output key as written (`In${P}`), how many resources it stamps out over
   * all items, and whether the outermost loop stamps out nothing else.
   */
  loopItem?: {
    loop: string;
    value: string;
    valueLocation?: SourceLocation;
    levels?: Array<{ loop: string; value: string; sharing: number }>;
    output?: { key: string; instances: number; only: boolean };
  };
  unknowns: UnknownValue[];
  /** Added by the platform, not written by the user (CloudFormation default egress). */
  synthetic?: boolean;
  /**
   * Stands for a host's inbound default policy (Windows Firewall `AllowInbound`: every connection no block rule
   * stops), which exposure checks judge like a rule; advice says to change the policy, not to remove a rule, and
   * written rules are not redundant beside it (FW302).
   */
  hostDefault?: true;
  /**
   * A Terraform inline rule written as an element of the argument's list (`egress = [{…}]`), not as a block: taking
   * it out leaves the list, which still says what all the group's rules of that direction are.
   */
  isListElement?: true;
  /**
   * The condition assignment the rule exists under, when it comes from one branch of an undecidable CloudFormation
   * `Fn::If` or resource `Condition` (`IsProd=false`, `IsProd=true,IsEu=false`), or the conditions of CDK/Pulumi code
   * that adds it under an `if` fwlint cannot decide (`process.env.OPEN`). Findings on the rule say so.
   */
  branch?: string;
  /**
   * Every value of each CloudFormation parameter `branch` names by value (`DenyNo=50` read once per `AllowedValues`
   * entry), so that where the rule does not exist can be said too (`DenyNo=200`). Shared by a resource's rules.
   */
  branchDomains?: Readonly<Record<string, readonly string[]>>;
  /**
   * Canonical text of what the rule says, fixed by the parser only where the rule stands for platform behaviour
   * rather than written content (the Windows default outbound policy). Everyone else reads `contentKeyOf(rule)`:
   * computed when needed, not kept on 200k rules (40 MB for a 2,000-file repository).
   */
  contentKey?: string;
  /**
   * What makes the rule's peer or its traffic (protocol, ports) a value Terraform redacts (`sensitive = true`): the
   * expression it comes from (`var.office_cidrs`), or '' where none names it. Checks judge the real values; findings
   * show `(sensitive value of var.office_cidrs)` in their place, and their fingerprints do not hash them.
   */
  sensitive?: { peer?: string; traffic?: string };
}

/** A command that changed a rule after it was created (`Rule.changedBy`). */
export interface RuleChange {
  location: SourceLocation;
  /** The command as named in messages: `set rule`, `Set-NetFirewallRule`. */
  command: string;
  /** The parameters it changed, as written: `remoteip`, `-RemoteAddress`. */
  changed: string[];
}

/**
 * The condition of a rule limited to the ports of the side that opens the connection, as text: an Azure NSG rule's
 * `source_port_range = "53"`, a netsh rule's `remoteport` inbound or `localport` outbound. A client picks its source
 * port, so such a rule carries no required flow (FW201).
 */
export const SOURCE_PORT_CONDITION = 'sourceport';

/** The text findings show for a sensitive value from `origin` (see `Rule.sensitive`). */
export function redactedText(origin: string): string {
  return origin === '' ? '(sensitive value)' : `(sensitive value of ${origin})`;
}

export function isInbound(rule: Rule): boolean {
  return rule.direction === 'in';
}

/**
 * The content key of a rule (fingerprints, duplicate detection): `ruleContentKey`, plus the profiles a Windows rule
 * applies on, unless the parser fixed the key.
 */
export function contentKeyOf(rule: Rule): string {
  if (rule.contentKey !== undefined) return rule.contentKey;
  const key = ruleContentKey(rule);
  return rule.platform === 'windows-fw' ? `${key}|${(rule.profiles ?? []).join(',')}` : key;
}

/**
 * Canonical content of a rule, independent of where it is written: direction, action, protocol, ports, ICMP, peer.
 * Fingerprints hash it (through `contentKeyOf`) so they survive unrelated edits.
 */
export function ruleContentKey(rule: Pick<Rule, 'direction' | 'action' | 'protocol' | 'ports' | 'icmp' | 'peer' | 'portKeywords'>): string {
  const protocol = rule.protocol.kind === 'number' ? String(rule.protocol.value) : rule.protocol.kind === 'any' ? 'any' : `unknown:${rule.protocol.expr}`;
  const icmp = rule.icmp ? `${rule.icmp.type}/${rule.icmp.code}` : '';
  const peer = rule.peer;
  const peerText =
    peer.kind === 'addresses' ? peer.addresses.toString()
    : peer.kind === 'sg-ref' || peer.kind === 'prefix-list' ? `${peer.kind}:${peer.id}`
    : peer.kind === 'self' ? 'self'
    : peer.kind === 'unknown' ? `unknown:${peer.expr}`
    : `${peer.kind}:${peer.name}`;
  const keywords = rule.portKeywords ? rule.portKeywords.join('+') : '';
  return `${rule.direction}|${rule.action}|${protocol}|${rule.ports.toString()}|${keywords}|${icmp}|${peerText}`;
}

/**
 * Which written rule a model rule stands for, as a reader sees it: one key for the model rules a construct expanded
 * into that a finding cannot tell apart, because they are reported at one place (a netsh rule's RemoteIP list and
 * ICMP rows have no location of their own), so that a check reports such a rule once, with the combined set. Rules
 * pinned to their own value (each CIDR of a Terraform `cidr_blocks` list) keep keys of their own, and so do rules
 * nobody wrote (a platform's default egress, reported per address family as the platform stores it).
 */
export function constructKey(rule: Rule): string {
  const { file, range } = rule.peerLocation ?? rule.location;
  const key = `${rule.resourceAddress}\u0000${file}:${range.startLine}:${range.startColumn}:${range.endLine}:${range.endColumn}\u0000${rule.branch ?? ''}`;
  return rule.synthetic ? `${key}\u0000${rule.id}` : key;
}

/**
 * The written rule (`constructKey`) of `rule`, given that of the rule before it in a target's rule order: parsers
 * emit the model rules of one written rule one after another, so a run shares its first rule as its identity.
 */
export function constructAfter(construct: Rule | undefined, rule: Rule): Rule {
  return construct !== undefined && sameConstruct(construct, rule) ? construct : rule;
}

/**
 * How many rules `rules` (a target's, in order) count as in the scan summary: the model rules a netsh rule (or a
 * `New-NetFirewallRule`) expands into (one per RemoteIP item, keywords included, and per ICMP row) are one rule, as
 * written; other formats' rules count as the model has them. Rules in `excluded` are not counted.
 */
export function summaryRuleCount(rules: readonly Rule[], excluded?: ReadonlySet<Rule>): number {
  let count = 0;
  let construct: Rule | undefined;
  for (const rule of rules) {
    if (excluded?.has(rule)) continue;
    if (!isWindowsHostKind(rule.kind)) {
      count++;
      construct = undefined;
      continue;
    }
    const next = constructAfter(construct, rule);
    if (next !== construct) count++;
    construct = next;
  }
  return count;
}

/** Whether two rules have the same `constructKey`, compared without building it. */
export function sameConstruct(a: Rule, b: Rule): boolean {
  if (a === b) return true;
  if (a.resourceAddress !== b.resourceAddress || a.branch !== b.branch || a.synthetic || b.synthetic) return false;
  const first = a.peerLocation ?? a.location;
  const second = b.peerLocation ?? b.location;
  if (first.file !== second.file) return false;
  const x = first.range;
  const y = second.range;
  return x === y || (x.startLine === y.startLine && x.startColumn === y.startColumn && x.endLine === y.endLine && x.endColumn === y.endColumn);
}

/** The distinct rules among `rules`, in their order in `ruleList` (a target's rules): the first is where to report. */
export function rulesInOrder(ruleList: readonly Rule[], rules: readonly Rule[]): Rule[] {
  if (rules.length === 1) return [rules[0]!];
  const distinct = [...new Set(rules)];
  if (distinct.length < 2) return distinct;
  const order = new Map(distinct.map((rule) => [rule, ruleList.indexOf(rule)]));
  return distinct.sort((a, b) => order.get(a)! - order.get(b)!);
}

/** How a Terraform security group's inline block goes when the role needs none of its rules (`blockRemoval`). */
interface BlockRemoval {
  /** The written block that makes the rule: a block of its own, or a `dynamic` block (all its items). */
  block: WrittenBlock;
  /** The rules the block makes, in the target's order: one per peer, of each item of a `dynamic` block. */
  rules: Rule[];
  /** Whether the block is a `dynamic` one making several items (several elements of its `for_each`). */
  hasItems: boolean;
  /**
   * Set when every block of the rule's direction goes: the group would be left without any, which keeps its deployed
   * rules (a group without `egress` blocks does not manage its egress), so `first` (in source order) is to be replaced
   * by `egress = []` (or `ingress = []`) and the others removed; `blocks` is how many blocks the direction has.
   */
  allOfDirection?: { first: WrittenBlock; firstName: string; blocks: number };
  /**
   * Set when the only blocks of the direction that stay are `dynamic` blocks over an empty collection (they make no
   * rule): how many. `egress = []` cannot stand beside them, and while they make none the group keeps its deployed rules.
   */
  emptyDynamicLeft?: number;
}

/**
 * How the inline block that makes `rule` goes, given `removed`, the target's rules that are to go: undefined unless
 * it is a Terraform security group's `ingress`/`egress` block (static or `dynamic`, not an attribute-form element)
 * every rule of which goes.
 */
export function blockRemoval(rule: Rule, target: Target, removed: ReadonlySet<Rule>): BlockRemoval | undefined {
  if (!removed.has(rule)) return undefined;
  const inline = inlineBlockOf(rule, target);
  if (!inline) return undefined;
  const { block, rules } = inline;
  if (!rules.every((other) => removed.has(other))) return undefined;
  const name = block.name;
  const prefix = `${target.id}.${name}[`;
  const removal: BlockRemoval = { block, rules, hasItems: block.isDynamic === true && new Set(rules.map((other) => other.resourceAddress)).size > 1 };
  // Standalone rules of the direction (`aws_security_group_rule`): an explicit `egress = []` would make the provider
  // delete them on every apply, while a group without inline blocks leaves them to their own resources. An attribute-
  // form element (`egress = [{…}]`) is a list already.
  const direction = target.rules.filter((other) => !other.synthetic && other.direction === rule.direction);
  if (direction.some((other) => !other.resourceAddress.startsWith(prefix) || other.isListElement)) return removal;
  // Every block of the direction, those that make no rule included (an invalid value, a `dynamic` block over an
  // empty list): one that stays forbids `egress = []` beside it.
  const blocks = target.writtenBlocks!.filter((written) => written.name === name);
  const blockRules = blocks.map((written) => blockRulesOf(written, target));
  const goes = (each: Rule[]) => each.length > 0 && each.every((other) => removed.has(other));
  if (!blockRules.every(goes)) {
    // A `dynamic` block whose collection is unknown (an unknown within it) may make rules: not known to be empty.
    const isEmptyDynamic = (each: Rule[], index: number) => each.length === 0 && blocks[index]!.isDynamic === true && !target.unknowns?.some((unknown) => contains(blocks[index]!.location, unknown.location));
    if (blockRules.every((each, index) => goes(each) || isEmptyDynamic(each, index))) removal.emptyDynamicLeft = blockRules.filter((each) => each.length === 0).length;
    return removal;
  }
  const first = blocks[0]!;
  const firstName = first.isDynamic ? `the dynamic "${name}" block at line ${first.location.range.startLine}` : blockRules[0]![0]!.resourceAddress;
  removal.allOfDirection = { first, firstName, blocks: blocks.length };
  return removal;
}

/**
 * The written block that makes a Terraform security group's inline rule (`ingress`/`egress`, static or `dynamic`, not
 * an attribute-form element), and the rules it makes, in the target's order: one per peer, of each item of a
 * `dynamic` block.
 */
export function inlineBlockOf(rule: Rule, target: Target): { block: WrittenBlock; rules: Rule[] } | undefined {
  if (rule.kind !== 'terraform-hcl' || rule.platform !== 'aws-sg' || rule.isListElement || !target.writtenBlocks) return undefined;
  const name = rule.direction === 'in' ? 'ingress' : 'egress';
  if (!rule.resourceAddress.startsWith(`${target.id}.${name}[`)) return undefined;
  const block = target.writtenBlocks.find((written) => written.name === name && sameLocation(written.location, rule.location));
  return block && { block, rules: blockRulesOf(block, target) };
}

function blockRulesOf(block: WrittenBlock, target: Target): Rule[] {
  const prefix = `${target.id}.${block.name}[`;
  return target.rules.filter((other) => !other.synthetic && other.resourceAddress.startsWith(prefix) && sameLocation(other.location, block.location));
}

/** Whether `inner` lies within `outer` (same file). */
function contains(outer: SourceLocation, inner: SourceLocation): boolean {
  const x = outer.range;
  const y = inner.range;
  const startsAfter = y.startLine > x.startLine || (y.startLine === x.startLine && y.startColumn >= x.startColumn);
  const endsBefore = y.endLine < x.endLine || (y.endLine === x.endLine && y.endColumn <= x.endColumn);
  return outer.file === inner.file && startsAfter && endsBefore;
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  const x = a.range;
  const y = b.range;
  return a.file === b.file && (x === y || (x.startLine === y.startLine && x.startColumn === y.startColumn && x.endLine === y.endLine && x.endColumn === y.endColumn));
}

/**
 * A nested rule block's element by its place: `aws_security_group.web.ingress[0]`, or `ingress[?]`, `ingress[?2]` for
 * a known element of a collection of unknown size, whose index is unknown, or `ingress[*]`, `ingress[*2]` for the
 * unknown rest of one (`UNKNOWN_REST_ELEMENT`).
 */
const NESTED_ELEMENT_BY_INDEX = /^(.*\.[A-Za-z_][\w-]*)\[(?:\d+|\?\d*|\*\d*)\]$/;

/** The element standing for the unknown rest of a collection of unknown size: `….ingress[*]`, `….ingress[*2]`. */
const UNKNOWN_REST_ELEMENT = /\[\*\d*\]$/;

/** A `dynamic` block's item over a map (or a set of strings), named by its key: `….security_rule["rdp"]`. */
const NESTED_ELEMENT_BY_KEY = /^(.*\.[A-Za-z_][\w-]*)\["(?:[^"\\]|\\.)*"\]$/;

/**
 * Whether a rule is an element of a nested rule block of `target` (`….ingress[0]`, `….ingress["web"]`), given how its
 * address ends (`[0]`, `["web"]`). A rule resource of its own with `for_each` ends alike
 * (`aws_security_group_rule.ingress["web"]`): an element named by key is one only under the target's own address.
 */
export function nestedElementOf(rule: Rule, target: Target): RegExpExecArray | null {
  const byIndex = NESTED_ELEMENT_BY_INDEX.exec(rule.resourceAddress);
  if (byIndex) return byIndex;
  return rule.resourceAddress.startsWith(`${target.id}.`) ? NESTED_ELEMENT_BY_KEY.exec(rule.resourceAddress) : null;
}

/**
 * Whether a Terraform rule is one item of a `dynamic` block that makes other rules too: they share the block's
 * location but are other elements of the same block name (`….ingress[0]`, `….ingress[1]`). Removing the block would
 * remove them all; only the item (its element of `for_each`) makes this rule. The unknown rest of a block over a
 * collection of unknown size (`….ingress[*]`) is such an item even alone: its rules are those of items not known.
 */
export function isDynamicBlockItem(rule: Rule, target: Target): boolean {
  if (rule.kind !== 'terraform-hcl') return false;
  const element = nestedElementOf(rule, target);
  if (!element) return false;
  if (!rule.isListElement && UNKNOWN_REST_ELEMENT.test(rule.resourceAddress)) return true;
  const targetRules = target.rules;
  const prefix = `${element[1]}[`;
  const { file, range } = rule.location;
  return targetRules.some(
    (other) =>
      other.resourceAddress !== rule.resourceAddress &&
      other.resourceAddress.startsWith(prefix) &&
      other.location.file === file &&
      other.location.range.startLine === range.startLine &&
      other.location.range.startColumn === range.startColumn &&
      other.location.range.endLine === range.endLine &&
      other.location.range.endColumn === range.endColumn,
  );
}
