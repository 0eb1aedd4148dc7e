import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { errorDiagnostic } from '../../model';
import type { Diagnostic, FormatParser, ParseOptions, ParseResult, Rule, SourceFile, SourceRange, Target } from '../../model';
import { lineStarts, rangeOf } from '../shared/annotations';
import { internalDiagnostic, shorten } from '../shared/hostile-input';
import { bracketDepth, describeJsonError } from '../shared/json-error';
import { duplicateHostWarnings } from '../netsh/duplicate-hosts';
import { toModelRules } from '../netsh/to-model';
import { isPowerShellRuleExport } from './detect';
import { readRuleObject } from './rule-object';

export { isPowerShellRuleExport } from './detect';

/** Rule names longer than this are shortened in rule ids, as in netsh exports (src/parsers/netsh/index.ts). */
const MAX_NAME_IN_ID = 256;
/** `ConvertTo-Json -Depth 4` output is 3 levels deep; far deeper input is refused before jsonc-parser recurses into it. */
const MAX_NESTING_DEPTH = 64;

/**
 * Windows Firewall rules exported with `Get-NetFirewallRule … | ConvertTo-Json` (formats.md §4.5): one host per file,
 * each rule object read as the equivalent `show rule` block (shared conversion, src/parsers/netsh/to-model.ts).
 */
export const powerShellJsonParser: FormatParser = {
  kind: 'powershell',
  detect(path: string, head: string): boolean {
    try {
      return isPowerShellRuleExport(path, head);
    } catch {
      return false;
    }
  },
  parse(files: SourceFile[], _options: ParseOptions): ParseResult {
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    for (const file of files) {
      try {
        const one = parsePowerShellExport(file);
        result.targets.push(...one.targets);
        result.diagnostics.push(...one.diagnostics);
      } catch (error) {
        // A bug here must not take the other hosts' findings with it: this file alone gets the error.
        result.diagnostics.push(internalDiagnostic(file.path, error));
      }
    }
    result.diagnostics.push(...duplicateHostWarnings(result.targets));
    return result;
  },
};

/** Parses one export into its host target. Never throws on bad input. */
export function parsePowerShellExport(file: SourceFile): ParseResult {
  // A byte-order mark (Out-File -Encoding utf8 in Windows PowerShell 5.1) is not JSON; a space keeps every offset.
  const text = file.text.startsWith('\uFEFF') ? ` ${file.text.slice(1)}` : file.text;
  const starts = lineStarts(text);
  const toRange = (node: Pick<JsonNode, 'offset' | 'length'>): SourceRange => rangeOf(starts, node.offset, node.offset + Math.max(1, node.length));
  const diagnostics: Diagnostic[] = [];
  const deepest = bracketDepth(text, MAX_NESTING_DEPTH);
  if (deepest.depth > MAX_NESTING_DEPTH) {
    diagnostics.push(errorDiagnostic('parse/powershell-too-deep', file.path,
      `values are nested more than ${MAX_NESTING_DEPTH} levels deep, which no rule export is; the file is not read`, toRange({ offset: deepest.offset, length: 1 })));
    return { targets: [], annotations: [], diagnostics };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  for (const [index, error] of errors.entries()) {
    // jsonc-parser may report one mistake twice at one place (`,}`: a property name, then a value expected).
    if (index > 0 && errors[index - 1]!.offset === error.offset) continue;
    diagnostics.push(errorDiagnostic('parse/powershell-json-syntax', file.path, `JSON syntax error: ${describeJsonError(printParseErrorCode(error.error))}`, toRange(error)));
  }
  const objects = root === undefined ? [] : ruleObjects(root, file.path, toRange, diagnostics);
  const rules: Rule[] = [];
  const occurrences = new Map<string, number>();
  for (const object of objects) {
    const reading = readRuleObject(object, file.path, toRange);
    diagnostics.push(...reading.diagnostics);
    if (reading.spec === undefined) continue;
    // The identity netsh exports give the same rule (its display name, which `show rule` prints as `Rule Name`,
    // plus its occurrence): a host's findings, fingerprints and baseline entries stay the same in either export.
    const name = shorten(reading.spec.name, MAX_NAME_IN_ID);
    const occurrence = (occurrences.get(name) ?? 0) + 1;
    occurrences.set(name, occurrence);
    const converted = toModelRules(reading.spec, `"${name}"#${occurrence}`, { file: file.path, isScript: false });
    for (const rule of converted.rules) rules.push({ ...rule, kind: 'powershell' });
    // The shared conversion names its problems as netsh's; in this file they are the PowerShell export's.
    for (const diagnostic of converted.diagnostics) diagnostics.push({ ...diagnostic, code: diagnostic.code.replace(/^parse\/netsh-/, 'parse/powershell-') });
  }
  diagnostics.sort((a, b) => (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0));
  if (root === undefined) return { targets: [], annotations: [], diagnostics };
  const target: Target = {
    id: hostName(file.path),
    kind: 'powershell',
    platform: 'windows-fw',
    resourceType: 'powershell-export',
    location: { file: file.path, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: (text.split('\n', 1)[0] ?? '').replace(/\r$/, '').length + 1 } },
    rules,
  };
  return { targets: [target], annotations: [], diagnostics };
}

/** The rule objects: the top-level object, or each item of the top-level array (other items are reported and skipped). */
function ruleObjects(root: JsonNode, file: string, toRange: (node: JsonNode) => SourceRange, diagnostics: Diagnostic[]): JsonNode[] {
  if (root.type === 'object') return [root];
  if (root.type !== 'array') {
    diagnostics.push(errorDiagnostic('parse/powershell-not-a-rule', file, `the file holds ${root.type === 'string' ? 'a string' : `a ${root.type}`}, not rule objects; nothing is read`, toRange(root)));
    return [];
  }
  const objects: JsonNode[] = [];
  (root.children ?? []).forEach((item, index) => {
    if (item.type === 'object') objects.push(item);
    else diagnostics.push(errorDiagnostic('parse/powershell-not-a-rule', file, `item ${index + 1} of the array is ${item.type === 'array' ? 'an array' : `a ${item.type}`}, not a rule object; it is skipped`, toRange(item)));
  });
  return objects;
}

/** contract.md: the host is the file name without extension (a JSON file has no comment to name it otherwise). */
function hostName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
