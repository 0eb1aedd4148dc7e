import * as path from 'node:path';
import { firewallProfilesProperty, profileBits, type EffectiveSet } from '../engine/effective';
import type { ProfileDiff } from '../engine/profile-diff';
import type { Finding, FixSuggestion, ReportedTraffic } from '../model/finding';
import { compareLocations, type SourceLocation } from '../model/location';
import { joinAlternatives } from '../model/branch';
import { contentKeyOf, type Rule, type RuleChange } from '../model/rule';
import type { Severity } from '../model/severity';
import type { PortSet } from '../model/port-set';
import { isInstalledFile, type Target } from '../model/target';
import { redactedContentKey, Redaction, shapingDenies } from './redaction';

/** What a check may read: its options, and the engine's memoised views of the target. Never files, clock or env. */
export interface CheckContext<Options> {
  options: Options;
  effective(target: Target): EffectiveSet;
  /** The vendor profile comparison, when the target is mapped to a role. */
  profileDiff(target: Target): ProfileDiff | undefined;
  /** Public ports exempt from FW101 (config `publicPorts`), as `tcp/443` strings parsed by the pipeline. */
  publicPorts: Array<{ protocol: number; ports: PortSet }>;
  /**
   * The other targets of the scan whose rules are written where `rule` is (instances of one resource block made by
   * `count`/`for_each`, a module called more than once), each with its role (`pack/role`) where mapped: an edit of
   * that text changes their rules too.
   */
  targetsSharingPlace(target: Target, rule: Rule): Array<{ target: Target; profile?: string }>;
  /**
   * Which config `ignore:` entries limited by `ports` or `peer` would accept a finding on `rules` reporting `traffic`
   * in the target, as a key (`''` for none); absent where the config has no such entry for the check. The rules of one
   * written place (the items of a `dynamic` block) that different entries accept are not joined into one finding: an
   * entry for tcp/443 then mutes the 443 item's finding, and the other items' says tcp/22 only.
   */
  ignoreKey?: (target: Target, rules: readonly Rule[], traffic?: readonly ReportedTraffic[]) => string;
}

export interface FindingSpec {
  messageId: string;
  data: Record<string, string | number>;
  /** The rule the finding is about; absent for target-level findings. */
  rule?: Rule;
  /**
   * Every model rule the finding is about, `rule` among them, when it reports one written rule that expanded into
   * several (a netsh RemoteIP list, see `constructKey`): the fingerprint hashes the content of them all.
   */
  rules?: Rule[];
  /**
   * Other rules the finding names (FW302's containing rule, FW301's overriding ones): what it shows of its own rules may tell their sensitive
   * values (a rule that duplicates a sensitive one shows that value), so those are redacted too. Not fingerprinted.
   */
  namedRules?: Rule[];
  /**
   * What the finding reports as allowed, when that is narrower than its rules as written (FW101 after denies and
   * `publicPorts`): a config `ignore:` entry's `ports` is compared with this, the traffic the user sees.
   */
  traffic?: ReportedTraffic[];
  /**
   * The condition the finding holds under, written as `Rule.branch` is, where it is narrower than the rule's branch
   * (FW101: an allow that a deny under `IsProd` closes is open `IsProd=false`). Defaults to the rule's branch.
   */
  branch?: string;
  /** Defaults to the rule's peer value (or its block) and else the target definition. */
  location?: SourceLocation;
  /**
   * Windows: the profiles (bits) the finding concerns, where narrower than its rules' (FW101: what block rules on some
   * profiles leave open); `properties.firewallProfiles` names them. Defaults to the profiles of its rules.
   */
  profiles?: number;
  severity?: Severity;
  properties?: Record<string, unknown>;
  /**
   * When the finding stands for several at one written place (`groupByWrittenPlace`): each as it would be reported
   * alone. Not reported, but counted where findings of equal content are told apart (`distinctFingerprints`), so that a
   * finding elsewhere keeps the fingerprint it had beside them.
   */
  mergedParts?: Array<Pick<FindingSpec, 'messageId' | 'rule' | 'rules' | 'key'>>;
  /** Extra identity for the fingerprint when one rule yields several findings of a check (e.g. a missing flow id). */
  key?: string;
  /** Keys the finding was fingerprinted with before (see `distinctFingerprints`): a baseline entry of one still accepts it. */
  formerKeys?: string[];
  /** The message id the finding was fingerprinted with before its wording changed: a baseline entry of it still accepts it. */
  formerMessageId?: string;
  fixes?: FixSuggestion[];
  /**
   * Related locations; default: the target definition for a rule finding, then where its rules' peers are written
   * when elsewhere (`Peer.definedAt`); none for a target-level finding.
   */
  related?: SourceLocation[];
  /** Related locations after those of `related` or the default ones (FW101, FW104: the denies that narrow a world-open rule). */
  alsoRelated?: SourceLocation[];
}

export interface CheckDefinition<Options = Record<string, never>> {
  id: string;
  name: string;
  defaultSeverity: Severity;
  summary: string;
  /** SARIF `properties.precision`. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  tags: string[];
  /** Message templates keyed by message id; `{name}` placeholders are filled from a finding's data. */
  messages: Record<string, string>;
  defaultOptions: Options;
  /**
   * Its findings judge a rule against the target's own role, so a rule shared from another target (GCP firewalls of
   * one network, `Target.sharedRules`) is reported in the receiving target too: the other target is not that role.
   */
  reportsSharedRules?: boolean;
  /** JSON Schema of the options a config may set under `checks.<ID>` (besides `severity`). */
  optionsSchema?: Record<string, unknown>;
  evaluate(target: Target, ctx: CheckContext<Options>): FindingSpec[];
}

export interface Check<Options = unknown> extends CheckDefinition<Options> {
  /** `docs/checks/FW101-world-open-ingress.md`, derived from id and name so they cannot drift apart. */
  docsPath: string;
  helpUri: string;
}

/** node:crypto is loaded with the first finding: `fwlint --version`, `rules` and `explain` never need it. */
let sha256Hex: ((text: string) => string) | undefined;

/** SHA-256 of a string, hex: `crypto.hash` where Node has it (20.12+; a third of the cost), else a Hash object. */
function loadSha256Hex(): (text: string) => string {
  const crypto = require('node:crypto') as typeof import('node:crypto') & { hash?: (algorithm: string, data: string, encoding: 'hex') => string };
  const oneShot = crypto.hash;
  return oneShot ? (text) => oneShot('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');
}

export const DOCS_BASE_URI = 'https://github.com/fwlint/fwlint/blob/main/';

/** Typed factory for a check (after typescript-eslint's RuleCreator): fills docs path and help URI from id + name. */
export function defineCheck<Options>(definition: CheckDefinition<Options>): Check<Options> {
  const docsPath = `docs/checks/${definition.id}-${definition.name}.md`;
  return { ...definition, docsPath, helpUri: `${DOCS_BASE_URI}${docsPath}` };
}

/** Templates split once into literal text (even indices) and placeholder names (odd indices). */
const templateParts = new Map<string, string[]>();

/** Fills a message template; every placeholder must be present (a missing one is a bug in the check). */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  let parts = templateParts.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    templateParts.set(template, parts);
  }
  let message = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    if (!(key in data)) throw new Error(`message placeholder {${key}} has no data`);
    message += String(data[key]) + parts[i + 1]!;
  }
  return message;
}

/** The canonical content a finding's fingerprint hashes: its rule's, or that of all its rules in a stable order. */
function ruleContent(spec: FindingSpec): string {
  const keyOf = (rule: Rule): string => redactedContentKey(rule, contentKeyOf(rule));
  if (spec.rules !== undefined && spec.rules.length > 1) return spec.rules.map(keyOf).sort().join('\u0001');
  return spec.rule ? keyOf(spec.rule) : '';
}

/**
 * The spec with the sensitive values of its rules, of those it names and of the target's denies that take from them
 * redacted (`Redaction`) from message data, properties, fingerprint key and fixes; the spec itself when none of them
 * is sensitive.
 */
function redacted(spec: FindingSpec, target: Target): FindingSpec {
  const own = spec.rules ?? (spec.rule ? [spec.rule] : []);
  const shown = spec.namedRules ? [...own, ...spec.namedRules] : own;
  const redaction = Redaction.of(shown, own.length > 0 ? shapingDenies(target.rules, own) : []);
  if (redaction === undefined) return spec;
  const out: FindingSpec = { ...spec, data: redaction.data(spec.data) };
  if (spec.properties !== undefined) out.properties = redaction.data(spec.properties);
  if (spec.key !== undefined) out.key = redaction.text(spec.key);
  if (spec.formerKeys !== undefined) out.formerKeys = spec.formerKeys.map((key) => redaction.text(key));
  if (spec.fixes !== undefined) out.fixes = redaction.fixes(spec.fixes);
  return out;
}

/**
 * The specs of one check on one target, those that say the same of one written rule but for its branch taken as one:
 * a rule that exists under `var.a or var.b` (`concat(var.a ? [world] : [], var.b ? [world] : [])`) is read as one
 * rule under each, and would be reported twice with one fingerprint (a baseline entry then covers only one). `alike`
 * maps a kept spec to the others it stands for. Specs that would still share a fingerprint get distinct ones (see
 * `distinctFingerprints`).
 */
export function specsAcrossBranches(specs: FindingSpec[]): { specs: FindingSpec[]; alike?: Map<FindingSpec, FindingSpec[]> } {
  // The findings a merged one stands for take their places in the count: they were findings of their own before.
  // (A loop: most specs have no merged parts, and this runs for every check on every target.)
  const parts: FindingSpec[] = [];
  for (const spec of specs) if (spec.mergedParts !== undefined) for (const part of spec.mergedParts) parts.push({ ...part, data: {}, location: locationOf(spec) });
  if (specs.length + parts.length < 2) return { specs };
  // Almost always nothing to merge or tell apart: no fingerprint twice, so no copy.
  const inputsOf = new Map<FindingSpec, string>();
  const counts = new Map<string, number>();
  const count = (spec: FindingSpec): void => {
    if (!spec.rule) return;
    const inputs = fingerprintInputs(spec);
    inputsOf.set(spec, inputs);
    counts.set(inputs, (counts.get(inputs) ?? 0) + 1);
  };
  for (const spec of specs) count(spec);
  for (const part of parts) count(part);
  if (counts.size === inputsOf.size) return { specs };
  const kept: FindingSpec[] = [];
  const alike = new Map<FindingSpec, FindingSpec[]>();
  const byIdentity = new Map<string, FindingSpec>();
  for (const spec of specs) {
    if (!spec.rule) {
      kept.push(spec);
      continue;
    }
    // What the finding's text and fingerprint are made of (the same text of the same rule content), at one place: one
    // written rule under several branches is one finding, two written rules stay two (a comment above one of them
    // mutes only it).
    const at = locationOf(spec);
    const identity = [spec.rule.kind, JSON.stringify(spec.data), inputsOf.get(spec)!, `${at.file}:${at.range.startLine}:${at.range.startColumn}`].join('\u0000');
    const first = byIdentity.get(identity);
    if (first === undefined) {
      byIdentity.set(identity, spec);
      kept.push(spec);
    } else if (first.rule!.branch !== spec.rule.branch) {
      const others = alike.get(first);
      if (others) others.push(spec);
      else alike.set(first, [spec]);
    } else {
      // The same rule content twice in one branch at one place is still two rules (FW302 tells of the second): two
      // `dynamic` iterations, or a plan's rules all reported at `plan.json:1` without their configuration.
      kept.push(spec);
    }
  }
  distinctFingerprints([...kept, ...parts].filter((spec) => spec.rule !== undefined && counts.get(inputsOf.get(spec)!)! > 1), inputsOf);
  return { specs: kept, alike };
}

/**
 * Where a finding on `rule` is shown (`at`: by default, as `toFinding` places it, the rule's peer or else the rule),
 * as a key: file and whole range. Findings of one check on one target at one key say one thing of one written place
 * (the items of a `dynamic` block, the instances of a counted rule resource, the peers of a CIDR list) and are
 * reported as one, naming the union, as ESLint reports one problem per node. Undefined for a plan's rules without
 * their configuration: all are shown at the plan file's first line, which is not where any of them is written.
 */
export function writtenPlaceKey(rule: Rule, at: SourceLocation = rule.peerLocation ?? rule.location): string | undefined {
  if (rule.kind === 'terraform-plan' && !/\.tf(\.json)?$/.test(at.file)) return undefined;
  const { range } = at;
  return `${at.file}\u0000${range.startLine}:${range.startColumn}-${range.endLine}:${range.endColumn}`;
}

/**
 * Items (one per finding a check would make) in groups of those at one written place (`writtenPlaceKey`) that also
 * share `kind` (what else keeps findings apart: their message, condition, Windows profiles), in order of each
 * group's first item; an item without a place is a group of its own.
 */
export function groupByWrittenPlace<T>(items: readonly T[], placeOf: (item: T) => string | undefined, kind: (item: T) => string): T[][] {
  const groups: T[][] = [];
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const place = placeOf(item);
    if (place === undefined) {
      groups.push([item]);
      continue;
    }
    const key = `${place}\u0000${kind(item)}`;
    const group = byKey.get(key);
    if (group) group.push(item);
    else {
      const created = [item];
      byKey.set(key, created);
      groups.push(created);
    }
  }
  return groups;
}

/** What a rule finding's fingerprint hashes besides the check and the target (see `toFinding`). */
function fingerprintInputs(spec: FindingSpec): string {
  return [spec.messageId, ruleContent(spec), spec.key ?? ''].join('\u0000');
}

/** Where a finding is reported, as `toFinding` chooses it (before an installed module's file is replaced by its call). */
function locationOf(spec: FindingSpec): SourceLocation {
  return spec.location ?? spec.rule!.peerLocation ?? spec.rule!.location;
}

/**
 * Findings that would share one fingerprint (the same rule content written at two places: two `ingress` blocks alike,
 * two standalone rules; or one rule's findings that differ in what the key leaves out, such as a Windows profile) are
 * told apart, so that a baseline entry or a code scanning alert stands for one of them: in order of place, the first
 * keeps its fingerprint, the n-th hashes `#n` too (not its line, so that unrelated edits keep it), with the shared
 * fingerprint as a former one (baselines written before counted them under it).
 */
function distinctFingerprints(specs: FindingSpec[], inputsOf: ReadonlyMap<FindingSpec, string>): void {
  const groups = new Map<string, Array<{ spec: FindingSpec; at: SourceLocation; index: number }>>();
  specs.forEach((spec, index) => {
    const inputs = inputsOf.get(spec)!;
    const entry = { spec, at: locationOf(spec), index };
    const group = groups.get(inputs);
    if (group) group.push(entry);
    else groups.set(inputs, [entry]);
  });
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.at.file < b.at.file ? -1 : a.at.file > b.at.file ? 1 : 0) || a.at.range.startLine - b.at.range.startLine || a.at.range.startColumn - b.at.range.startColumn || a.index - b.index);
    group.forEach(({ spec }, position) => {
      if (position === 0) return;
      const key = spec.key ?? '';
      spec.formerKeys = [key];
      spec.key = `${key}\u0000#${position + 1}`;
    });
  }
}

/**
 * The condition of a finding whose rule exists under any of several branches: them joined with ` or ` (a compound
 * one in parentheses); none if one rule has none (it exists either way).
 */
function branchOfAny(spec: FindingSpec, alike: readonly FindingSpec[] | undefined): string | undefined {
  const branch = spec.rule?.branch;
  if (alike === undefined || branch === undefined) return branch;
  const branches = [branch];
  for (const other of alike) {
    const otherBranch = other.rule?.branch;
    if (otherBranch === undefined) return undefined;
    if (!branches.includes(otherBranch)) branches.push(otherBranch);
  }
  return joinAlternatives(spec.rule!.kind, branches);
}

/** Where the peers of a finding's rules are written when not in the rules (managed prefix lists), once each. */
function peerDefinitions(spec: FindingSpec): NonNullable<Finding['peerDefinitions']> {
  const definitions: NonNullable<Finding['peerDefinitions']> = [];
  for (const rule of spec.rules ?? (spec.rule ? [spec.rule] : [])) {
    const { peer } = rule;
    if (peer.kind !== 'addresses' || peer.definedAt === undefined) continue;
    const location = peer.definedAt;
    if (!definitions.some((known) => compareLocations(known.location, location) === 0)) definitions.push({ location, name: peer.text });
  }
  return definitions;
}

/**
 * The commands that changed the finding's rules after the command that created them (`Rule.changedBy`), each once, in
 * order of their lines.
 */
function laterChanges(spec: FindingSpec): RuleChange[] {
  const changes: RuleChange[] = [];
  for (const rule of spec.rules ?? (spec.rule ? [spec.rule] : [])) {
    for (const change of rule.changedBy ?? []) {
      if (!changes.some((known) => compareLocations(known.location, change.location) === 0)) changes.push(change);
    }
  }
  return changes.sort((a, b) => compareLocations(a.location, b.location));
}

/**
 * ` (changed on line 3 by set rule: remoteip; a fix must change that command too)`, or '' without changes: the finding
 * is located at the command that created the rule, whose text may not show what is reported, and replacing that
 * command alone leaves these acting on the rule (or on nothing, once it is gone).
 */
function changesNote(changes: readonly RuleChange[]): string {
  if (changes.length === 0) return '';
  const each = changes.map((change, index) => `${index === 0 ? '' : 'on '}line ${change.location.range.startLine} by ${change.command}${change.changed.length > 0 ? `: ${change.changed.join(', ')}` : ''}`);
  const listed = each.length === 1 ? each[0]! : `${each.slice(0, -1).join('; ')}; and ${each[each.length - 1]!}`;
  return ` (changed on ${listed}; a fix must change ${changes.length === 1 ? 'that command' : 'those commands'} too)`;
}

/**
 * Builds the Finding for a spec: message, location (the offending value first), related location, fingerprint.
 * `alike` are specs of the same finding on rules of other branches (see `specsAcrossBranches`); `cwd` is the folder
 * the scan's paths are relative to.
 */
export function toFinding(check: Check<unknown>, target: Target, unredacted: FindingSpec, severity: Severity, alike: readonly FindingSpec[] | undefined, cwd: string): Finding {
  const spec = redacted(unredacted, target);
  const template = check.messages[spec.messageId];
  if (template === undefined) throw new Error(`${check.id} has no message '${spec.messageId}'`);
  const branch = spec.branch ?? branchOfAny(spec, alike);
  // A rule from one branch of an undecidable condition: every finding on it says which (README, CloudFormation).
  // CloudFormation lists condition values (`IsProd=true,IsEu=false`); code conditions are shown as written, commas
  // and all (`can(regex(":", each.value))`).
  const when = branch === undefined ? undefined : (spec.rule?.kind ?? target.kind) === 'cloudformation' ? branch.split(',').join(', ') : branch;
  const rootModule = target.rootModule;
  const shown = spec.location ?? spec.rule?.peerLocation ?? spec.rule?.location ?? target.location;
  // A module `terraform init` installed is not in the repository: report at its `module` block, which is.
  const installed = target.installedModule;
  const writtenAt = installed && isInstalledFile(installed, shown.file) ? shown : undefined;
  const location = writtenAt ? installed!.call : shown;
  // A finding already at the changing command (FW303 of the value a `set rule` gave) needs no note of it.
  const changes = laterChanges(spec).filter((change) => change.location.file !== location.file || change.location.range.startLine !== location.range.startLine);
  // A module used by envs/dev and envs/prod gives both findings the same text and file: where the scan finds a module
  // used by several roots, the pipeline adds the root to the message (`useRootFingerprints`).
  const message = `${formatMessage(template, spec.data)}${when ? ` (when ${when})` : ''}${changesNote(changes)}`;
  const definitions = spec.related === undefined ? peerDefinitions(spec) : [];
  // Pushed one by one: a finding per rule of the scan may be built here, and spreads made four arrays per finding.
  const related: SourceLocation[] = [];
  if (writtenAt) related.push(writtenAt);
  if (spec.related !== undefined) related.push(...spec.related);
  else if (spec.rule) {
    related.push(target.location);
    for (const definition of definitions) related.push(definition.location);
  }
  if (spec.alsoRelated !== undefined) related.push(...spec.alsoRelated);
  for (const change of changes) related.push(change.location);
  // Where a module file is reported, the root's `module` block shows where (and by which root) it is used.
  if (rootModule && location.file !== rootModule.call.file) related.push(rootModule.call);
  const content = ruleContent(spec);
  const identityOf = (resourceAddress: string, key = spec.key ?? '', messageId = spec.messageId): string => [check.id, resourceAddress, content, messageId, key].join('\u0000');
  const hash = (sha256Hex ??= loadSha256Hex());
  const fingerprint = hash(identityOf(target.id)).slice(0, 16);
  const formerIds = target.formerIds;
  const formerKeys = spec.formerKeys;
  const formerMessageId = spec.formerMessageId;
  // Nearest first: the former addresses with the key, then the former keys with the address and the former ones.
  const formerFingerprints = (prefix: string): string[] => [
    ...(formerIds ?? []).map((formerId) => hash(identityOf(`${prefix}${formerId}`)).slice(0, 16)),
    ...(formerKeys ?? []).flatMap((formerKey) => [target.id, ...(formerIds ?? [])].map((id) => hash(identityOf(`${prefix}${id}`, formerKey)).slice(0, 16))),
    ...(formerMessageId === undefined ? [] : [hash(identityOf(`${prefix}${target.id}`, undefined, formerMessageId)).slice(0, 16)]),
  ];
  const finding: Finding = {
    checkId: check.id,
    checkName: check.name,
    severity,
    messageId: spec.messageId,
    message,
    targetId: target.id,
    targetFile: target.location.file,
    location,
    relatedLocations: related.filter((loc) => loc.file !== location.file || loc.range.startLine !== location.range.startLine),
    properties: withFirewallProfiles(spec, branch ? { ...spec.properties, branch } : spec.properties ?? {}),
    fingerprint,
  };
  if (formerIds || formerKeys || formerMessageId) finding.formerFingerprints = formerFingerprints('');
  if (rootModule) {
    finding.rootModule = rootModule;
    // The root as part of the resource address, as the way from the module's folder to the root's: the same
    // whichever folder the scan runs in (`envs/prod` from the repository, `prod` from `envs`). Resolved from the scan's
    // folder: paths climbing out of it (`../../modules/sg`) would otherwise be resolved from the process's.
    const moduleFolder = path.posix.dirname(target.location.file);
    const rootWay = path.relative(path.resolve(cwd, moduleFolder), path.resolve(cwd, rootModule.folder)).split(path.sep).join('/') || '.';
    finding.rootFingerprints = { withoutRoot: fingerprint, withRoot: hash(identityOf(`${rootWay}:${target.id}`)).slice(0, 16), moduleFolder };
    if (formerIds || formerKeys || formerMessageId) {
      finding.rootFingerprints.formerWithoutRoot = finding.formerFingerprints!;
      finding.rootFingerprints.formerWithRoot = formerFingerprints(`${rootWay}:`);
    }
  }
  if (spec.rule) finding.ruleId = spec.rule.id;
  if (definitions.length > 0) finding.peerDefinitions = definitions;
  if (changes.length > 0) finding.ruleChanges = changes;
  if (writtenAt) finding.writtenAt = writtenAt;
  // No edit of an installed module's files: `terraform init` replaces them.
  else if (spec.fixes && spec.fixes.length > 0) finding.fixes = spec.fixes;
  return finding;
}

/**
 * A finding on Windows rules names the profiles it concerns in `properties.firewallProfiles` (README: "findings say on
 * which profiles"), as its message does, unless on all of them or the check named them itself (FW201-FW203).
 */
function withFirewallProfiles(spec: FindingSpec, properties: Record<string, unknown>): Record<string, unknown> {
  if (spec.rule?.platform !== 'windows-fw' || 'firewallProfiles' in properties) return properties;
  const bits = spec.profiles ?? (spec.rules ?? [spec.rule]).reduce((union, rule) => union | profileBits(rule), 0);
  const named = firewallProfilesProperty(bits);
  return named.firewallProfiles === undefined ? properties : { ...properties, ...named };
}
