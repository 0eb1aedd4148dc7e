import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Annotation, Diagnostic, FormatParser, ParseOptions, ParseResult, ProfileBinding, Rule, SourceFile, Target } from '../../model';
import { internalDiagnostic, shorten } from '../shared/hostile-input';
import { parseProfileValue } from '../shared/profile-value';
import { lineSpan, splitLines } from './line-span';
import type { NetshRuleSpec } from './netsh-rule-spec';
import { withoutLineComment } from './powershell-collections';
import { readNetshScript, SCRIPT_NOT_FOLLOWED } from './script-reader';
import type { ScriptCommand, ScriptDialect } from './script-reader';
import { replayNetshScript } from './script-replay';
import { readShowRuleExport } from './show-rule-reader';
import { readProfileSettings } from './profile-settings';
import { detectNetsh, extensionOf, HEAD_CHARS, looksLikeExport, NETSH_COMMAND, PADDED_LABEL, SCRIPT_DIALECTS } from './detect';
import { toModelRules } from './to-model';
import { duplicateHostWarnings } from './duplicate-hosts';
import { hereStringEnd } from './powershell-collections';

export { detectNetsh } from './detect';
export { duplicateHostWarnings } from './duplicate-hosts';

/** Rule names longer than this (Windows allows far less) are shortened in rule ids. */
const MAX_NAME_IN_ID = 256;
/** Share of control characters above which a file is binary, not text. */
const MAX_CONTROL_SHARE = 0.01;

/** Windows Firewall input (issue #6): `netsh advfirewall firewall show rule` exports and netsh scripts. */
export const netshParser: FormatParser = {
  kind: 'netsh',
  detect(path: string, head: string): boolean {
    try {
      return detectNetsh(path, head);
    } catch {
      return false;
    }
  },
  parse(files: SourceFile[], _options: ParseOptions): ParseResult {
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    for (const file of files) {
      let one: ParseResult;
      try {
        one = parseNetshFile(file);
      } catch (error) {
        // A bug here must not take the other hosts' findings with it: this file alone gets the error.
        result.diagnostics.push(internalDiagnostic(file.path, error));
        continue;
      }
      result.targets.push(...one.targets);
      result.annotations.push(...one.annotations);
      result.diagnostics.push(...one.diagnostics);
    }
    result.diagnostics.push(...duplicateHostWarnings(result.targets));
    return result;
  },
};

/** Parses one export or script into its host target. Never throws on bad input. */
export function parseNetshFile(file: SourceFile): ParseResult {
  const text = file.text.startsWith('\uFEFF') ? file.text.slice(1) : file.text;
  if (isBinary(text)) {
    const diagnostic = errorDiagnostic('parse/netsh-binary', file.path,
      'the file is binary, not netsh text output or a script (a damaged or wrongly chosen file)');
    return { targets: [], annotations: [], diagnostics: [diagnostic] };
  }
  const lines = splitLines(text);
  const dialect = SCRIPT_DIALECTS.get(extensionOf(file.path));
  if (dialect !== undefined) return parseScript(file, lines, dialect);
  const head = text.slice(0, HEAD_CHARS);
  if (!looksLikeExport(head) && NETSH_COMMAND.test(text)) return parseScript(file, lines, 'plain');
  return parseExport(file, lines);
}

function parseExport(file: SourceFile, lines: string[]): ParseResult {
  const reading = readShowRuleExport(lines, file.path);
  // `show allprofiles` output before the rules (or alone): the firewall's state and default policy per profile.
  const settings = readProfileSettings(lines, file.path);
  const diagnostics = [...reading.diagnostics, ...settings.diagnostics];
  if (!reading.hasRuleNameLine && !reading.hasNoRulesMessage && !settings.hasProfileSettings) {
    const firstLine = lines.findIndex((line) => line.trim() !== '');
    if (firstLine === -1) {
      diagnostics.push(warningDiagnostic('parse/netsh-empty', file.path, 'the netsh export is empty, so it describes no host; export it again'));
      return { targets: [], annotations: reading.annotations, diagnostics };
    }
    diagnostics.push(notEnglish(file, lines, firstLine));
    return { targets: [], annotations: reading.annotations, diagnostics };
  }
  return build(file, lines, 'netsh-export', [...reading.specs, ...settings.specs], reading.annotations, diagnostics, false);
}

function parseScript(file: SourceFile, lines: string[], dialect: ScriptDialect): ParseResult {
  const reading = readNetshScript(lines, file.path, dialect);
  const cmdlets = dialect === 'powershell' ? firewallCmdletWarning(file, lines, reading.cmdletLines) : undefined;
  const readingDiagnostics = cmdlets ? [...reading.diagnostics, cmdlets] : reading.diagnostics;
  const isAnnotated = reading.annotations.some((annotation) => annotation.directive === 'profile' || annotation.directive === 'target');
  // A .cmd or .ps1 without any netsh firewall command configures no firewall fwlint reads: it is not a host, and the
  // other scripts it runs (a build script's `call mvnw.cmd`) are no host's missing rules.
  if (reading.commands.length === 0 && !isAnnotated) {
    const diagnostics = readingDiagnostics.filter((diagnostic) => diagnostic.code !== SCRIPT_NOT_FOLLOWED);
    return { targets: [], annotations: reading.annotations, diagnostics };
  }
  const replay = replayNetshScript(reading.commands, file.path);
  const statementStart = dialect === 'powershell' ? (annotation: Annotation) => closedStatementStart(lines, annotation) : undefined;
  const commented = commentedSpecs(reading.annotations, reading.commands, replay.touched, statementStart);
  return build(file, lines, 'netsh-script', replay.specs, reading.annotations, [...readingDiagnostics, ...replay.diagnostics], true, commented);
}

/**
 * The rules each `fwlint:ignore` comment of a script applies to (README, Suppressions): those the rule commands of the
 * first command line at or below the comment created (`add`) or changed (`set`, whatever rules its filters name,
 * written above or below), as far as they still exist at the end; none under `delete rule`. A comment with no rule
 * command below it is left out: it applies to the host. Without this, position alone would hand a comment above
 * `set`/`delete rule` to the next `add` below it, or to the whole host. A comment at the end of the line that closes a
 * statement written over several lines (`statementStart`, PowerShell) applies to the commands of that statement.
 */
function commentedSpecs(
  annotations: readonly Annotation[],
  commands: readonly ScriptCommand[],
  touched: readonly NetshRuleSpec[][],
  statementStart?: (annotation: Annotation) => number | undefined,
): Map<Annotation, Set<NetshRuleSpec>> {
  const result = new Map<Annotation, Set<NetshRuleSpec>>();
  // In line order (a called subroutine's commands are run at the call, but written below it).
  const order = commands.map((_, index) => index).sort((a, b) => commands[a]!.location.startLine - commands[b]!.location.startLine || a - b);
  for (const annotation of annotations) {
    if (annotation.directive !== 'ignore') continue;
    const closedFrom = statementStart?.(annotation);
    if (closedFrom !== undefined) {
      const closing = annotation.range.startLine;
      const specs = new Set<NetshRuleSpec>();
      const inStatement = commands.map((_, index) => index).filter((index) => commands[index]!.location.startLine >= closedFrom && commands[index]!.location.startLine <= closing);
      for (const index of inStatement) for (const spec of touched[index]!) specs.add(spec);
      // A statement with no command of its own (`$p = @{` … `} # …`) is like an assignment on one line: the comment
      // applies to the next command.
      if (inStatement.length > 0) {
        result.set(annotation, specs);
        continue;
      }
    }
    // The first command ending at or below the comment's line (a comment inside a continued command, or at the end
    // of its line, is the command's own).
    const line = annotation.range.startLine;
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (commands[order[mid]!]!.location.endLine < line) low = mid + 1;
      else high = mid;
    }
    if (low === order.length) continue;
    const specs = new Set<NetshRuleSpec>();
    // Every command of that line (`netsh … & netsh …`, or one line run by several calls): they share its location.
    const firstLine = commands[order[low]!]!.location.startLine;
    for (let at = low; at < order.length && commands[order[at]!]!.location.startLine === firstLine; at++) {
      for (const spec of touched[order[at]!]!) specs.add(spec);
    }
    result.set(annotation, specs);
  }
  return result;
}

/** Lines above a closing bracket searched for the one it closes. */
const MAX_CLOSED_STATEMENT_LINES = 500;

/**
 * The (1-based) line a PowerShell statement starts on when `annotation` is written at the end of a later line that
 * only closes it: `) # fwlint:ignore …` after `[void](`, `).Name # …`, `) | Out-Null # …`, `} # …` after `& {`, or goes on a pipeline
 * whose line above ends with `|` (`New-NetFirewallRule … |` ⏎ `Out-Null # …`). Undefined for any
 * other comment, or when the opening bracket is not found (brackets in strings are counted: a rare miss).
 */
function closedStatementStart(lines: readonly string[], annotation: Annotation): number | undefined {
  const at = annotation.range.startLine - 1;
  const code = lines[at]?.slice(0, annotation.range.startColumn - 1) ?? '';
  // A pipeline continued after a `|` that ends a line (`New-NetFirewallRule … |` ⏎ `Out-Null # …`) is one statement.
  let pipelineStart = at;
  while (pipelineStart > 0 && pipelineStart > at - MAX_CLOSED_STATEMENT_LINES && /\|$/.test(withoutLineComment(lines[pipelineStart - 1]!).trimEnd())) pipelineStart--;
  if (pipelineStart < at) return pipelineStart + 1;
  if (!/^\s*[)}](?:\.[A-Za-z_]\w*)*[)}\s]*(?:\|\s*Out-Null\s*)?$/i.test(code)) return undefined;
  let depth = 0;
  for (let index = at; index >= 0 && index > at - MAX_CLOSED_STATEMENT_LINES; index--) {
    const text = index === at ? code : withoutLineComment(lines[index]!);
    for (const ch of text) {
      if (ch === ')' || ch === '}') depth++;
      else if (ch === '(' || ch === '{') depth--;
    }
    // Counted a line at a time: the brackets of the line that opens the statement leave none open.
    if (depth <= 0 && index < at) return index + 1;
  }
  return undefined;
}

/**
 * NetSecurity cmdlets that change firewall rules, their filters or the firewall's settings (formats.md §4.5), as a
 * command, not in a comment or a string. `Set-NetFirewallProfile` is read (profile-cmdlet.ts), and so are the rule
 * cmdlets (`New-`, `Set-`, `Remove-`, `Enable-`, `Disable-NetFirewallRule`, firewall-rule-cmdlet.ts) where the reader
 * met them as commands (`ScriptReading.cmdletLines`).
 */
const FIREWALL_CMDLET =
  /(?:^|[\s;|&({=]|NetSecurity\\)((?:New|Set|Remove|Enable|Disable|Copy|Rename)-NetFirewallRule|Set-NetFirewall(?:Setting|PortFilter|AddressFilter|ApplicationFilter|ServiceFilter|InterfaceFilter|InterfaceTypeFilter|SecurityFilter))\b/gi;
const READ_RULE_CMDLET = /^(?:New|Set|Remove|Enable|Disable)-NetFirewallRule$/i;

/**
 * A warning when a PowerShell script changes firewall rules or settings with NetSecurity cmdlets fwlint does not
 * read (`Set-NetFirewallSetting`, the `*Filter` cmdlets, `Copy-`/`Rename-NetFirewallRule`, a rule cmdlet written where
 * no command is read, as in an argument: `Write-Output (New-NetFirewallRule …)`): without it such a script would pass silently, with
 * those changes unchecked. It names each cmdlet with its lines, and is placed at the first; comments (`#`,
 * `<# … #>`) are skipped, as the script reader does.
 */
function firewallCmdletWarning(file: SourceFile, lines: readonly string[], readLines: ReadonlySet<number>): Diagnostic | undefined {
  const found: Array<{ line: number; column: number; cmdlet: string }> = [];
  let isInBlockComment = false;
  let stringEnd: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    // A here-string's lines are data (help text, a script sent elsewhere), as the script reader takes them.
    if (stringEnd !== undefined) {
      if (line.startsWith(stringEnd)) stringEnd = undefined;
      continue;
    }
    stringEnd = isInBlockComment ? undefined : hereStringEnd(line);
    if (isInBlockComment) {
      const end = line.indexOf('#>');
      if (end === -1) continue;
      isInBlockComment = false;
      line = ' '.repeat(end + 2) + line.slice(end + 2);
    }
    const start = line.indexOf('<#');
    if (start !== -1) {
      const end = line.indexOf('#>', start + 2);
      if (end === -1) isInBlockComment = true;
      line = end === -1 ? line.slice(0, start) : line.slice(0, start) + ' '.repeat(end + 2 - start) + line.slice(end + 2);
    }
    const comment = line.indexOf('#');
    if (comment !== -1) line = line.slice(0, comment);
    for (const match of line.matchAll(FIREWALL_CMDLET)) {
      if (READ_RULE_CMDLET.test(match[1]!) && readLines.has(i + 1)) continue;
      const column = match.index + match[0].length - match[1]!.length + 1;
      found.push({ line: i + 1, column, cmdlet: match[1]! });
    }
  }
  if (found.length === 0) return undefined;
  const first = found[0]!;
  // Each cmdlet once, spelled as first written, with the lines it is on.
  const lineLists = new Map<string, { cmdlet: string; lines: number[] }>();
  for (const each of found) {
    const key = each.cmdlet.toLowerCase();
    const entry = lineLists.get(key) ?? { cmdlet: each.cmdlet, lines: [] };
    if (!entry.lines.includes(each.line)) entry.lines.push(each.line);
    lineLists.set(key, entry);
  }
  const named = [...lineLists.values()].map(({ cmdlet, lines: at }) => `${cmdlet} (line${at.length > 1 ? 's' : ''} ${at.join(', ')})`);
  return warningDiagnostic('parse/netsh-powershell-cmdlets', file.path,
    `this PowerShell script changes firewall rules or settings with ${named.join(', ')}, which fwlint does not read: ` +
      'fwlint reads netsh advfirewall commands, Set-NetFirewallProfile and New-, Set-, Remove-, Enable- and Disable-NetFirewallRule ' +
      'written as commands, not these, so what they create or change was not checked; check the host by scanning an export of its rules ' +
      '("netsh advfirewall firewall show rule name=all verbose > host.txt" after the script has run)',
    { startLine: first.line, startColumn: first.column, endLine: first.line, endColumn: first.column + first.cmdlet.length });
}

function build(
  file: SourceFile,
  lines: string[],
  resourceType: 'netsh-export' | 'netsh-script',
  specs: readonly NetshRuleSpec[],
  annotations: Annotation[],
  diagnostics: Diagnostic[],
  isScript: boolean,
  commented?: ReadonlyMap<Annotation, ReadonlySet<NetshRuleSpec>>,
): ParseResult {
  const rules: Rule[] = [];
  const occurrences = new Map<string, number>();
  const isCommented = commented !== undefined && commented.size > 0;
  const ruleIdsBySpec = new Map<NetshRuleSpec, string[]>();
  for (const spec of specs) {
    // Rule names are not unique (formats.md §4.1): the identity is the name plus its occurrence. A hostile name
    // (a megabyte long) is shortened first, so that it does not fill every message and fingerprint.
    const name = shorten(spec.name, MAX_NAME_IN_ID);
    const occurrence = (occurrences.get(name) ?? 0) + 1;
    occurrences.set(name, occurrence);
    const converted = toModelRules(spec, `"${name}"#${occurrence}`, { file: file.path, isScript });
    // A script rule that exists only under conditions (script-flow.ts): findings say when, as for other formats.
    const branch = spec.branch !== undefined && spec.branch.length > 0 ? spec.branch.join(' and ') : undefined;
    for (const rule of converted.rules) {
      if (branch !== undefined) rule.branch = branch;
      rules.push(rule);
    }
    for (const diagnostic of converted.diagnostics) diagnostics.push(diagnostic);
    if (isCommented) ruleIdsBySpec.set(spec, converted.rules.map((rule) => rule.id));
  }
  const attached = isCommented ? withRuleIds(annotations, commented!, ruleIdsBySpec) : annotations;
  const target: Target = {
    id: targetId(file.path, annotations),
    kind: 'netsh',
    platform: 'windows-fw',
    resourceType,
    location: { file: file.path, range: lineSpan(lines, 1, 1) },
    rules,
  };
  const profile = profileBinding(annotations);
  if (profile !== undefined) target.profile = profile;
  diagnostics.sort((a, b) => (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0));
  return { targets: [target], annotations: attached, diagnostics };
}

/** Each commented annotation with the ids of its rules, in rule order (a rule deleted later, or skipped, has none). */
function withRuleIds(
  annotations: readonly Annotation[],
  commented: ReadonlyMap<Annotation, ReadonlySet<NetshRuleSpec>>,
  ruleIdsBySpec: ReadonlyMap<NetshRuleSpec, readonly string[]>,
): Annotation[] {
  // ruleIdsBySpec holds the remaining rules, in rule order.
  const order = new Map<NetshRuleSpec, number>();
  for (const spec of ruleIdsBySpec.keys()) order.set(spec, order.size);
  return annotations.map((annotation) => {
    const specs = commented.get(annotation);
    if (specs === undefined) return annotation;
    const remaining = [...specs].filter((spec) => order.has(spec)).sort((a, b) => order.get(a)! - order.get(b)!);
    const ruleIds: string[] = [];
    for (const spec of remaining) for (const id of ruleIdsBySpec.get(spec)!) ruleIds.push(id);
    return { ...annotation, ruleIds };
  });
}

/** contract.md: the host is the file name without extension, unless a `fwlint:target NAME` comment says otherwise. */
function targetId(path: string, annotations: readonly Annotation[]): string {
  const named = annotations.find((annotation) => annotation.directive === 'target' && annotation.argument !== '');
  if (named !== undefined) return named.argument.split(/\s+/)[0]!.replace(/^["']|["']$/g, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The first `fwlint:profile <pack>/<role> [phase=install|operate] [options=a,b]` comment maps the host to a role. */
function profileBinding(annotations: readonly Annotation[]): ProfileBinding | undefined {
  const annotation = annotations.find((candidate) => candidate.directive === 'profile' && candidate.argument !== '');
  if (annotation === undefined) return undefined;
  // Problems in the comment are the pipeline's to report (annotation/invalid), where every format's comments are read.
  const { binding, problems } = parseProfileValue(annotation.argument, { file: annotation.file, range: annotation.range });
  return problems.length === 0 && binding ? { ...binding, isStrict: true } : undefined;
}

function notEnglish(file: SourceFile, lines: readonly string[], firstLine: number): Diagnostic {
  const labelLine = lines.findIndex((line) => PADDED_LABEL.test(line));
  const at = labelLine === -1 ? firstLine : labelLine;
  const label = lines[at]!.trim().split(/[:：]/)[0]!.slice(0, 40);
  // Only inputs fwlint reads are recommended: an English `show rule` export (README §Windows Firewall).
  return errorDiagnostic('parse/netsh-not-english', file.path,
    `this netsh export has no English "Rule Name:" labels (line ${at + 1} starts with "${label}"): netsh translates ` +
      'its labels and values on non-English Windows, and fwlint reads only the English output; export the rules again ' +
      'with English labels: in cmd.exe run "chcp 437" first, then "netsh advfirewall firewall show rule name=all ' +
      'verbose > host.txt" (netsh falls back to English when the display language cannot be shown in code page 437, ' +
      'as with Japanese, Chinese, Korean or Russian), or export as a user whose Windows display language is English',
    lineSpan(lines, at + 1, at + 1));
}


/** NUL or more than a few control characters in the first 64 KiB: random or binary bytes decoded as text. */
function isBinary(text: string): boolean {
  const sample = Math.min(text.length, 65536);
  let controls = 0;
  for (let i = 0; i < sample; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if ((code < 0x20 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0x7f || code === 0xfffd) controls++;
  }
  return sample > 0 && controls / sample > MAX_CONTROL_SHARE;
}

