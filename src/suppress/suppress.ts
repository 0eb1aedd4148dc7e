import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../model/diagnostic';
import type { Finding, ReportedTraffic } from '../model/finding';
import { matchesGlob } from '../model/glob';
import type { SourceLocation, SourceRange } from '../model/location';
import { AddressSet } from '../model/address-set';
import type { Peer } from '../model/peer';
import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import type { Rule } from '../model/rule';
import type { Annotation } from '../model/source-file';
import type { Target } from '../model/target';

/** What a rule finding is about, for config entries: its rules, and the traffic it reports when narrower than theirs. */
export interface FindingSubject {
  rules: readonly Rule[];
  traffic?: readonly ReportedTraffic[];
}

/** A parsed `fwlint:ignore` or config `ignore:` entry. */
export interface SuppressionEntry {
  origin: 'inSource' | 'external';
  checks: string[];
  reason: string;
  expires?: string;
  /** In-source: the rule or target below the comment. */
  ruleId?: string;
  targetId?: string;
  /**
   * In-source, with `ruleId`: where the rule is written (`Rule.extent`, else its range). A finding of its target about
   * no rule shown there (FW303 on a rule resource's unresolved `security_group_id`) is the comment's too.
   */
  ruleExtent?: SourceLocation;
  /**
   * In-source: the parse unit (root module, template) of that rule or target, when ids repeat across units: two root
   * modules may both define `aws_security_group.web`, and a comment in one is not the other's. Undefined: any unit.
   */
  scope?: number;
  /** Config: a glob over target ids (`*`, `?`). */
  targetGlob?: string;
  protocol?: 'tcp' | 'udp' | 'all';
  ports?: PortSet;
  peer?: string;
  /** `peer` as an exact address set, when it is one (CIDRs, ranges, lists). */
  peerAddresses?: AddressSet;
  location?: SourceLocation;
  /**
   * In-source: the comment applies to no rule (a netsh comment above `delete rule`, see `Annotation.ruleIds`). It
   * mutes nothing, so it is reported unused, or expired.
   */
  isDetached?: boolean;
  /**
   * In-source, in a Terraform module's file: root modules the scan did not read may call the module, so matching
   * nothing here does not make the comment unused (removing it could unmute another root's finding).
   */
  mayBeUsedOutsideScan?: boolean;
  used: number;
  /** The entries of one annotation written above several instances; unused only when none of them was used. */
  siblings?: SuppressionEntry[];
}

/**
 * Every element an annotation applies to: the chosen target or rule (see `attachAnnotation`) and every other instance
 * written at the same place (`count`/`for_each` instances, a module called twice), so none escapes it.
 */
export function attachAnnotationAll(annotation: Annotation, targets: Target[]): Array<{ target: Target; rule?: Rule }> {
  if (annotation.ruleIds !== undefined) return rulesNamed(annotation, annotation.ruleIds, targets);
  const chosen = attachAnnotation(annotation, targets);
  if (!chosen) return [];
  const sameLocation = (a: { file: string; range: { startLine: number; startColumn: number } }, b: typeof a): boolean =>
    a.file === b.file && a.range.startLine === b.range.startLine && a.range.startColumn === b.range.startColumn;
  if (!chosen.rule) {
    const place = placeInFile(chosen.target, annotation);
    return targets.filter((target) => sameLocation(placeInFile(target, annotation), place)).map((target) => ({ target }));
  }
  const matches: Array<{ target: Target; rule?: Rule }> = [];
  // A rule shared with other targets (GCP firewalls of one network) is mapped to a role in its own target only, but
  // ignored in every target: those that receive it report it too when it exceeds their role (FW202, FW203).
  const inShared = annotation.directive === 'ignore';
  for (const target of targets) {
    const shared = inShared ? undefined : target.sharedRules;
    for (const rule of target.rules) if (sameLocation(rule.location, chosen.rule.location) && !shared?.includes(rule)) matches.push({ target, rule });
  }
  return matches;
}

/** The rules of the annotation's file with those ids: the parser said which rules the comment applies to. */
function rulesNamed(annotation: Annotation, ids: readonly string[], targets: Target[]): Array<{ target: Target; rule: Rule }> {
  if (ids.length === 0) return [];
  const wanted = new Set(ids);
  const matches: Array<{ target: Target; rule: Rule }> = [];
  for (const target of targets) {
    if (target.location.file !== annotation.file) continue;
    for (const rule of target.rules) if (rule.location.file === annotation.file && wanted.has(rule.id)) matches.push({ target, rule });
  }
  return matches;
}

/**
 * Where a target is in the annotation's file: its definition, or for a target of a module `terraform init` installed,
 * the `module` block calling it, where its findings are reported. An `ignore` comment above that block mutes them;
 * a `profile` comment there maps no target of the module (each target is mapped on its own).
 */
function placeInFile(target: Target, annotation: Annotation): SourceLocation {
  const call = target.installedModule?.call;
  return call !== undefined && annotation.directive === 'ignore' && target.location.file !== annotation.file && call.file === annotation.file ? call : target.location;
}

/**
 * Where an annotation applies: the innermost rule containing its line (a rule resource anywhere in its block:
 * `Rule.extent`), else the target or rule starting on its line (a comment at the end of that line), on the next line
 * of code below it (`Annotation.nextCodeLine`: only blank and comment lines between) or on the line of what the reader
 * says it is about (`Annotation.subjectLine`), the target first; where the reader placed the subject exactly
 * (`Annotation.subjectColumn`, JSON), by positions instead of lines: the innermost rule whose range holds the comment,
 * else the target or rule starting at the subject, so a one-line file binds as a pretty-printed one. A target with
 * no block of its own (`Target.isLocatedAtItsFirstRule`) never gets it, its first rule is there. With neither, a
 * comment in a Terraform resource's block outside its nested blocks (`Annotation.enclosingBlockLine`, above `name`)
 * applies to the resource's target, as a `"//"` in its JSON object does. Anything else below
 * (an attribute, a `module` call, the closing brace of another resource) takes the comment, which then applies to
 * nothing: a stale comment must not mute whatever rule comes next. A Windows host (netsh) is the whole file, not a
 * line: a comment applies to the next rule command, even on line 1, and to the host only when no rule follows it
 * (written after the last rule), so a comment at the top of a script cannot silently mute every rule of the host.
 */
export function attachAnnotation(annotation: Annotation, targets: Target[]): { target: Target; rule?: Rule } | undefined {
  const line = annotation.range.startLine;
  const { subjectColumn } = annotation;
  const isRightBelow =
    subjectColumn === undefined
      ? (range: SourceRange): boolean => range.startLine === line || range.startLine === annotation.nextCodeLine || range.startLine === annotation.subjectLine
      : (range: SourceRange): boolean => range.startLine === annotation.subjectLine && range.startColumn === subjectColumn;
  const comment = { line, column: annotation.range.startColumn };
  const { enclosingLine } = annotation;
  const holdsComment =
    enclosingLine !== undefined
      ? (range: SourceRange): boolean => range.startLine <= enclosingLine && enclosingLine <= range.endLine
      : subjectColumn === undefined
      ? (range: SourceRange): boolean => range.startLine < line && line <= range.endLine
      : (range: SourceRange): boolean => isBefore({ line: range.startLine, column: range.startColumn }, comment) && !isBefore({ line: range.endLine, column: range.endColumn }, comment);
  const isInnerThan = (a: SourceRange, b: SourceRange): boolean =>
    subjectColumn === undefined ? a.startLine > b.startLine : isBefore({ line: b.startLine, column: b.startColumn }, { line: a.startLine, column: a.startColumn });
  let inside: { target: Target; rule: Rule } | undefined;
  let below: { target: Target; rule?: Rule; line: number; isTarget: boolean } | undefined;
  let host: Target | undefined;
  for (const target of targets) {
    if (target.kind === 'netsh') {
      if (target.location.file === annotation.file && !host) host = target;
    } else if (!target.isLocatedAtItsFirstRule && placeInFile(target, annotation).file === annotation.file) {
      const place = placeInFile(target, annotation).range;
      const start = place.startLine;
      if (isRightBelow(place) && (!below || start < below.line || (start === below.line && !below.isTarget))) {
        below = { target, line: start, isTarget: true };
      }
    }
    for (const rule of target.rules) {
      if (rule.location.file !== annotation.file) continue;
      const extent = rule.extent ?? rule.location.range;
      if (holdsComment(extent)) {
        if (!inside || isInnerThan(rule.location.range, inside.rule.location.range)) inside = { target, rule };
      } else if (extent.startLine >= line && (target.kind === 'netsh' || isRightBelow(extent)) && (!below || extent.startLine < below.line)) {
        below = { target, rule, line: extent.startLine, isTarget: false };
      }
    }
  }
  if (inside) return inside;
  if (below) return below.rule ? { target: below.target, rule: below.rule } : { target: below.target };
  const { enclosingBlockLine } = annotation;
  if (enclosingBlockLine !== undefined) {
    const owner = targets.find((target) => !target.isLocatedAtItsFirstRule && target.location.file === annotation.file && target.location.range.startLine === enclosingBlockLine);
    if (owner) return { target: owner };
  }
  return host ? { target: host } : undefined;
}

/** Whether a finding's location starts within `place` (same file). */
function isShownIn(location: SourceLocation, place: SourceLocation | undefined): boolean {
  if (place === undefined || location.file !== place.file) return false;
  const start = { line: location.range.startLine, column: location.range.startColumn };
  return !isBefore(start, { line: place.range.startLine, column: place.range.startColumn }) && !isBefore({ line: place.range.endLine, column: place.range.endColumn }, start);
}

function isBefore(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** A check id as the config's `ignore[].check` and `checks:` keys write it: case-sensitive, as rule ids are. */
const CHECK_ID = /^FW\d{3}$/;
const IGNORE_SETTINGS = ['reason', 'expires'] as const;

/** Parses `FW101[,FW103] reason="..." [expires=YYYY-MM-DD]`; undefined plus a message when malformed. */
export function parseIgnoreArgument(argument: string): { checks: string[]; reason: string; expires?: string } | { error: string } {
  // The id list runs to the first space not next to a comma; each item is checked, so a typo (FW1O2) is not dropped.
  const match = /^([^\s,]+(?:\s*,\s*[^\s,]+)*)(.*)$/.exec(argument.trim());
  const items = match ? match[1]!.split(',').map((id) => id.trim()) : [];
  if (!match || !CHECK_ID.test(items[0]!.toUpperCase())) return { error: `fwlint:ignore needs check ids first, e.g. "fwlint:ignore FW101 reason=\\"public web\\""` };
  const malformed = items.find((id) => !CHECK_ID.test(id));
  if (malformed !== undefined) {
    const hint = CHECK_ID.test(malformed.toUpperCase()) ? `: write ${malformed.toUpperCase()}, as in the config` : '';
    return { error: `fwlint:ignore ${match[1]}: "${malformed}" is not a check id (FW and three digits, e.g. FW102)${hint}` };
  }
  const checks = items;
  const settings = readIgnoreSettings(match[2]!, checks.join(','));
  if ('error' in settings) return settings;
  const reasonText = settings.values.get('reason')?.trim() ?? '';
  if (!reasonText) return { error: `fwlint:ignore ${checks.join(',')} needs a reason: reason="why this is acceptable"` };
  const expiresText = settings.values.get('expires');
  if (expiresText === undefined) return { checks, reason: reasonText };
  const expires = expiresText.trim();
  const problem = dateProblem(expires);
  // A date that cannot be read must not make the suppression permanent.
  if (problem) return { error: `fwlint:ignore ${checks.join(',')}: expires=${expires || '(empty)'} ${problem}` };
  return { checks, reason: reasonText, expires };
}

/**
 * The `key=value` settings after the ids (a value quoted with `"` or `'`, or up to the next space). Strict, as a
 * `fwlint:profile` comment is: an unknown or repeated setting, a stray word or an unclosed quote is an error, so that
 * a typo (`expire=2025-01-31`) cannot turn a time-boxed exception into a permanent one.
 */
function readIgnoreSettings(text: string, ids: string): { values: Map<string, string> } | { error: string } {
  const values = new Map<string, string>();
  const known = IGNORE_SETTINGS.map((name) => `${name}=`).join(' and ');
  let rest = text.trimStart();
  while (rest !== '') {
    const key = /^([A-Za-z_][\w-]*)\s*=\s*/.exec(rest);
    if (!key) return { error: `fwlint:ignore ${ids}: "${/^\S+/.exec(rest)![0]}" is not a setting; the settings are ${known}` };
    let value: string;
    let length: number;
    const quote = rest[key[0].length];
    if (quote === '"' || quote === "'") {
      const close = rest.indexOf(quote, key[0].length + 1);
      if (close === -1) return { error: `fwlint:ignore ${ids}: ${key[1]}= has no closing ${quote}` };
      value = rest.slice(key[0].length + 1, close);
      length = close + 1;
    } else {
      value = /^\S*/.exec(rest.slice(key[0].length))![0];
      length = key[0].length + value.length;
    }
    const name = key[1]!;
    const written = rest.slice(0, length);
    if (!(IGNORE_SETTINGS as readonly string[]).includes(name)) return { error: `fwlint:ignore ${ids}: unknown setting "${written}"; the settings are ${known}` };
    const first = values.get(name);
    if (first !== undefined) return { error: `fwlint:ignore ${ids}: ${name}= is given more than once ("${first}", then "${value}"); write it once` };
    values.set(name, value);
    rest = rest.slice(length).trimStart();
  }
  return { values };
}

/** Why `text` is not a `YYYY-MM-DD` calendar date, or undefined when it is one. */
export function dateProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return 'is not a date: use YYYY-MM-DD, e.g. expires=2027-06-30';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return 'is not a calendar date';
  return undefined;
}

function protocolAndPorts(text: string): { protocol: 'tcp' | 'udp' | 'all'; ports?: PortSet } {
  const [protocol, ports] = text.split('/');
  const result: { protocol: 'tcp' | 'udp' | 'all'; ports?: PortSet } = { protocol: protocol as 'tcp' | 'udp' | 'all' };
  if (ports) result.ports = PortSet.parse(ports);
  return result;
}

export function configIgnoreEntry(entry: { check: string; target?: string; ports?: string; peer?: string; reason: string; expires?: string }): SuppressionEntry {
  const suppression: SuppressionEntry = { origin: 'external', checks: [entry.check.toUpperCase()], reason: entry.reason, used: 0 };
  if (entry.expires) suppression.expires = entry.expires;
  if (entry.target) suppression.targetGlob = entry.target;
  if (entry.ports) Object.assign(suppression, protocolAndPorts(entry.ports));
  if (entry.peer) {
    suppression.peer = entry.peer;
    try {
      suppression.peerAddresses = AddressSet.parseList(entry.peer);
    } catch {
      // A symbolic peer (security group id, service tag, keyword): matched by name.
    }
  }
  return suppression;
}

function matches(entry: SuppressionEntry, finding: Finding, subject: FindingSubject | undefined, scopeOf: (finding: Finding) => number | undefined): boolean {
  if (!entry.checks.includes(finding.checkId)) return false;
  if (entry.origin === 'inSource') {
    if (entry.isDetached) return false;
    if (entry.scope !== undefined && scopeOf(finding) !== entry.scope) return false;
    if (entry.ruleId !== undefined) return finding.ruleId === entry.ruleId || (finding.ruleId === undefined && finding.targetId === entry.targetId && isShownIn(finding.location, entry.ruleExtent));
    return finding.targetId === entry.targetId;
  }
  return configEntryAccepts(entry, finding.targetId, subject);
}

/**
 * Whether a config `ignore:` entry (of the finding's check) accepts a finding on a target about `subject`: its target
 * glob, then its `ports` and `peer` where given. The checks ask it too (`CheckContext.ignoreKey`), before they join
 * the rules of one written place into one finding.
 */
export function configEntryAccepts(entry: SuppressionEntry, targetId: string, subject: FindingSubject | undefined): boolean {
  if (entry.targetGlob !== undefined && !matchesGlob(entry.targetGlob, targetId)) return false;
  if (entry.protocol === undefined && entry.peer === undefined) return true;
  // A finding on one written rule that expanded into several model rules (a RemoteIP list, a CIDR list from a
  // local) is muted only when the entry covers every one of them: `peer: 10.0.0.1/32` must not mute a finding on
  // `remoteip=10.0.0.1,10.0.0.2`.
  if (subject === undefined || subject.rules.length === 0) return false;
  // Ports are compared with what the finding reports where it says (`tcp/3389` of a rule for 3389-3390 whose 3390 a
  // block rule closes): that is the traffic the user sees and accepts.
  const { traffic } = subject;
  if (entry.protocol !== undefined && traffic !== undefined && !traffic.every((part) => entryCoversTraffic(entry, part.protocols, part.ports))) return false;
  return subject.rules.every((rule) => (traffic !== undefined || entryCoversRuleTraffic(entry, rule)) && (entry.peer === undefined || peerMatches(entry, rule.peer)));
}

/** Whether a config entry's `ports` (with protocol), where given, contain the rule's. */
function entryCoversRuleTraffic(entry: SuppressionEntry, rule: Rule): boolean {
  if (entry.protocol === undefined || entry.protocol === 'all') return true;
  return rule.protocol.kind === 'number' && entryCoversTraffic(entry, IntervalSet.range(BigInt(rule.protocol.value), BigInt(rule.protocol.value)), rule.ports);
}

/** Whether a config entry's protocol and `ports`, where given, contain these protocols and ports. */
function entryCoversTraffic(entry: SuppressionEntry, protocols: IntervalSet, ports: PortSet): boolean {
  if (entry.protocol === undefined || entry.protocol === 'all') return true;
  const number = entry.protocol === 'tcp' ? 6n : 17n;
  if (!IntervalSet.range(number, number).containsAll(protocols)) return false;
  return entry.ports === undefined || entry.ports.containsAll(ports);
}

/**
 * A config `peer:` matches a rule whose peer addresses it contains entirely (as sets: `0.0.0.0/0` covers
 * `0.0.0.0/1` + `128.0.0.0/1`, but not `::/0`), a prefix list of the input by its id (as before its entries were read),
 * or a symbolic peer of that id or name.
 */
function peerMatches(entry: SuppressionEntry, peer: Peer): boolean {
  if (peer.kind === 'addresses') {
    if (entry.peerAddresses === undefined) return peer.prefixListId !== undefined && peer.prefixListId === entry.peer;
    return entry.peerAddresses.containsAll(peer.addresses);
  }
  if (entry.peerAddresses !== undefined) return false;
  switch (peer.kind) {
    case 'sg-ref':
    case 'prefix-list':
      return peer.id === entry.peer;
    case 'service-tag':
    case 'network-tag':
    case 'service-account':
    case 'keyword':
      return peer.name === entry.peer;
    default:
      return false;
  }
}

/**
 * Rank of the suppression that applies when several cover a finding, lowest first: the comment on the rule, then the
 * comment on its target, then config entries (in their order, as ties keep the first): the nearest says why.
 */
function specificity(entry: SuppressionEntry): number {
  if (entry.origin === 'external') return 2;
  return entry.ruleId !== undefined ? 0 : 1;
}

/**
 * Marks suppressed findings (in place) and reports suppressions that are expired or matched nothing. Expired
 * entries do not suppress. Of several entries covering a finding the most specific applies (its reason is the
 * finding's justification), and all of them count as used. `today` is `YYYY-MM-DD`.
 */
export function applySuppressions(
  findings: Finding[],
  entries: SuppressionEntry[],
  subjectOf: (finding: Finding) => FindingSubject | undefined,
  today: string,
  scopeOf: (finding: Finding) => number | undefined = () => undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const active = entries.filter((entry) => {
    const invalidDate = entry.expires !== undefined ? dateProblem(entry.expires) : undefined;
    if (invalidDate) {
      // Config entries (annotations are checked when parsed): an unreadable date never suppresses for ever.
      const where = entry.location;
      diagnostics.push(errorDiagnostic('config/ignore', where?.file ?? '', `ignore entry for ${entry.checks.join(',')}: expires: ${entry.expires} ${invalidDate}`, where?.range));
      return false;
    }
    if (entry.expires && entry.expires < today) {
      const where = entry.location;
      // One annotation over several instances is reported once.
      if (entry.siblings && entry.siblings[0] !== entry) return false;
      diagnostics.push(
        warningDiagnostic('suppress/expired', where?.file ?? '', `suppression of ${entry.checks.join(',')} expired on ${entry.expires} ("${entry.reason}"); it no longer applies`, where?.range),
      );
      return false;
    }
    return true;
  });
  for (const finding of findings) {
    const subject = finding.ruleId ? subjectOf(finding) : undefined;
    let applied: SuppressionEntry | undefined;
    for (const candidate of active) {
      if (!matches(candidate, finding, subject, scopeOf)) continue;
      // Every entry covering the finding is in use: removing it would unmute the finding once the others expire.
      candidate.used++;
      if (applied === undefined || specificity(candidate) < specificity(applied)) applied = candidate;
    }
    if (applied) finding.suppression = { kind: applied.origin, justification: applied.reason };
  }
  const reported = new Set<SuppressionEntry[]>();
  for (const entry of active) {
    if (entry.siblings) {
      if (reported.has(entry.siblings)) continue;
      reported.add(entry.siblings);
      if (entry.siblings.some((sibling) => sibling.used > 0)) continue;
    }
    if (entry.used === 0) {
      const where = entry.location;
      const advice = entry.mayBeUsedOutsideScan
        ? 'matched no finding in this scan; root modules not scanned may call this module and need it'
        : 'matched no finding; remove it';
      diagnostics.push(warningDiagnostic('suppress/unused', where?.file ?? '', `suppression of ${entry.checks.join(',')} ("${entry.reason}") ${advice}`, where?.range));
    }
  }
  return diagnostics;
}
