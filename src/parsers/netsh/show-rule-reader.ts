import { errorDiagnostic, warningDiagnostic } from '../../model';
import type { Annotation, Diagnostic, SourceRange } from '../../model';
import { shorten } from '../shared/hostile-input';
import { annotationFromComment } from '../shared/annotations';
import { EXPORT_LABELS } from './netsh-rule-spec';
import type { NetshRuleSpec, SpecField } from './netsh-rule-spec';
import { lineSpan } from './line-span';

export interface ExportReading {
  specs: NetshRuleSpec[];
  diagnostics: Diagnostic[];
  annotations: Annotation[];
  /** True when netsh said `No rules match the specified criteria.` */
  hasNoRulesMessage: boolean;
  /** True when at least one `Rule Name:` line was seen (complete or not). */
  hasRuleNameLine: boolean;
}

import { NO_RULES_LINE, RULE_NAME_LINE } from './detect';

export { NO_RULES_LINE, RULE_NAME_LINE } from './detect';
const OK_LINE = /^\s*Ok\.\s*$/i;
const SEPARATOR_LINE = /^-{3,}\s*$/;
// formats.md §4.1 step 3: label, colon, then the value (split at the first colon: values keep theirs).
const LABEL_LINE = /^([A-Za-z][A-Za-z ]*[A-Za-z]):(.*)$/;
const COMMENT_LINE = /^\s*(?:#|::|\/\/|@?rem(?:\s|$))/i;
/** Fields whose wrapped continuation is glued without a separator: splitting a list item would otherwise change it. */
const LIST_FIELDS: ReadonlySet<string> = new Set(['localip', 'remoteip', 'localport', 'remoteport', 'profile']);
/**
 * Fields only `show rule … verbose` prints (formats.md §4.1): `InterfaceTypes`, `Security` and `Rule source` are on
 * every verbose block, `Program` and `Service` on those limited to one. A block with none of them comes from an
 * export without `verbose`, which does not say whether a rule is limited to a program, service or interface type.
 */
const VERBOSE_ONLY_FIELDS: readonly string[] = ['program', 'service', 'interfacetype', 'security', 'rulesource'];

interface OpenBlock {
  spec: NetshRuleSpec;
  startLine: number;
  lastLine: number;
  actionLine?: number;
  lastKey?: string;
}

/**
 * Reads English `netsh advfirewall firewall show rule name=all [verbose]` output into rule specs (formats.md §4.1):
 * a `Rule Name:` line opens a block and its `Action:` line completes it; unknown labels are kept, continuation
 * lines (leading whitespace) extend the previous field, and the ICMP `Type Code` table becomes `icmpRows`.
 * A block that ends without `Action:` is reported and skipped. Linear in the number of lines.
 */
export function readShowRuleExport(lines: readonly string[], file: string): ExportReading {
  const specs: NetshRuleSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const annotations: Annotation[] = [];
  let hasNoRulesMessage = false;
  let hasRuleNameLine = false;
  let block: OpenBlock | undefined;

  const close = (): void => {
    if (block === undefined) return;
    const { spec, startLine, actionLine } = block;
    if (actionLine === undefined) {
      const range = lineSpan(lines, startLine, block.lastLine);
      diagnostics.push(
        errorDiagnostic('parse/netsh-truncated-rule', file,
          `rule "${shorten(spec.name)}" starting at line ${startLine} ends at line ${block.lastLine} without an "Action:" line ` +
            '(the export is cut off or damaged); the rule is skipped', range),
      );
    } else {
      spec.location = lineSpan(lines, startLine, actionLine);
      if (!VERBOSE_ONLY_FIELDS.some((key) => spec.fields.has(key))) spec.conditionsNotShown = true;
      specs.push(spec);
    }
    block = undefined;
  };

  const warnDirectiveInsideRuleBlock = (line: string, ruleName: string, lineNumber: number): void => {
    const directive = /fwlint:(?:ignore|profile|target)\b/.exec(line);
    if (directive === null) return;
    const range = { startLine: lineNumber, startColumn: directive.index + 1, endLine: lineNumber, endColumn: directive.index + 1 + directive[0].length };
    diagnostics.push(
      warningDiagnostic('parse/netsh-annotation-not-comment', file,
        `${directive[0]} is inside the block of rule "${shorten(ruleName)}" (text of the rule, such as its Description), so it ` +
          'applies to nothing; write it on its own line above the rule\'s "Rule Name:" line', range),
    );
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;
    if (RULE_NAME_LINE.test(line)) {
      close();
      hasRuleNameLine = true;
      const name = line.slice(line.indexOf(':') + 1).trim();
      const range = lineSpan(lines, lineNumber, lineNumber);
      const fields = new Map<string, SpecField>([['name', { label: 'Rule Name', text: name, range }]]);
      block = { spec: { name, location: range, fields, icmpRows: [], extra: new Map() }, startLine: lineNumber, lastLine: lineNumber };
      continue;
    }
    if (COMMENT_LINE.test(line)) {
      const isOutsideRuleBlock = block === undefined || block.actionLine !== undefined;
      if (isOutsideRuleBlock) {
        const annotation = annotationFromComment(line, file, lineSpan(lines, lineNumber, lineNumber));
        if (annotation !== undefined) annotations.push(annotation);
        continue;
      }
      // Inside a block a "#" line is rule text (netsh prints a multi-line Description as is): read as a directive,
      // whoever wrote the rule's description could mute fwlint for it.
      warnDirectiveInsideRuleBlock(line, block!.spec.name, lineNumber);
    }
    if (NO_RULES_LINE.test(line)) {
      hasNoRulesMessage = true;
      continue;
    }
    if (block === undefined || block.actionLine !== undefined) {
      if (OK_LINE.test(line)) close();
      continue;
    }
    if (line.trim() === '' || SEPARATOR_LINE.test(line)) continue;
    if (OK_LINE.test(line)) {
      close();
      continue;
    }
    block.lastLine = lineNumber;
    if (/^\s/.test(line)) {
      readContinuation(block, line, lineSpan(lines, lineNumber, lineNumber));
      continue;
    }
    const match = LABEL_LINE.exec(line);
    const range = lineSpan(lines, lineNumber, lineNumber);
    if (match === null) {
      block.spec.extra.set(`line ${lineNumber}`, { label: `line ${lineNumber}`, text: line.trim(), range });
      continue;
    }
    const label = match[1]!;
    const text = match[2]!.trim();
    const key = EXPORT_LABELS.get(label.toLowerCase());
    if (key === undefined) {
      block.spec.extra.set(label, { label, text, range });
      block.lastKey = undefined;
      continue;
    }
    block.spec.fields.set(key, { label, text, range });
    block.lastKey = key;
    if (key === 'action') block.actionLine = lineNumber;
  }
  close();
  const unshownBlock = blockRulesWithoutConditionsWarning(specs, file);
  if (unshownBlock !== undefined) diagnostics.push(unshownBlock);
  return { specs, diagnostics, annotations, hasNoRulesMessage, hasRuleNameLine };
}

/**
 * One warning per file, at the first block rule of an export without `verbose`: such a block may be limited to a
 * program (Windows adds one per program a user refuses at its prompt), so it is not taken to stop the allows' traffic.
 */
function blockRulesWithoutConditionsWarning(specs: readonly NetshRuleSpec[], file: string): Diagnostic | undefined {
  const blocks = specs.filter((spec) =>
    spec.conditionsNotShown && /^block$/i.test(spec.fields.get('action')?.text.trim() ?? '') && !/^no$/i.test(spec.fields.get('enable')?.text.trim() ?? ''));
  if (blocks.length === 0) return undefined;
  const first = blocks[0]!;
  const which = blocks.length === 1 ? `block rule "${shorten(first.name)}"` : `${blocks.length} block rules, the first "${shorten(first.name)}",`;
  return warningDiagnostic('parse/netsh-export-not-verbose', file,
    `this export was made without "verbose", so it does not show the Program, Service and InterfaceTypes of its rules: ` +
      `${which} may apply to one program only and is not taken to stop any allowed traffic; export the rules with ` +
      '"netsh advfirewall firewall show rule name=all verbose" to check them', first.fields.get('name')!.range);
}

function readContinuation(block: OpenBlock, line: string, range: SourceRange): void {
  const text = line.trim();
  const key = block.lastKey;
  if (key === undefined) return;
  if (key === 'protocol') {
    // ICMP rules print a `Type Code` table in the value column (formats.md §4.1), one row per type.
    if (/^type\s+code$/i.test(text)) return;
    const row = /^(\S+)\s+(\S+)$/.exec(text);
    if (row !== null) {
      block.spec.icmpRows.push({ type: row[1]!, code: row[2]!, range });
      return;
    }
  }
  const field = block.spec.fields.get(key);
  if (field === undefined) return;
  const joined = LIST_FIELDS.has(key) || field.text === '' ? `${field.text}${text}` : `${field.text} ${text}`;
  block.spec.fields.set(key, {
    ...field,
    text: joined,
    range: { ...field.range, endLine: range.endLine, endColumn: range.endColumn },
  });
}
