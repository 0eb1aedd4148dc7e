import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { errorDiagnostic, warningDiagnostic } from '../../model';
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
  detect(path: string, head: string, text?: string): boolean {
    try {
      return isPowerShellRuleExport(path, head, text);
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
  const contentEnd = text.trimEnd().length;
  for (const [index, error] of errors.entries()) {
    // jsonc-parser may report one mistake twice at one place (`,}`: a property name, then a value expected).
    if (index > 0 && errors[index - 1]!.offset === error.offset) continue;
    // At the end of the text every such error means the same: the export was cut off (an interrupted Out-File).
    const problem = error.offset >= contentEnd ? 'the file ends before the JSON does (is the export cut off?)' : describeJsonError(printParseErrorCode(error.error));
    diagnostics.push(errorDiagnostic('parse/powershell-json-syntax', file.path, `JSON syntax error: ${problem}`, toRange(error)));
  }
  const objects = root === undefined ? [] : ruleObjects(root, file.path, toRange, diagnostics).filter((object) => {
    // An object the text ends inside lacks what followed (a Block rule without its ports would block every port).
    if (text[object.offset + object.length - 1] === '}') return true;
    const name = ruleName(object);
    diagnostics.push(errorDiagnostic('parse/powershell-json-syntax', file.path,
      `${name === undefined ? 'the rule object' : `rule "${shorten(name)}"`} at line ${toRange(object).startLine} is cut off (the file ends inside it); it is skipped`, toRange(object)));
    return false;
  });
  const shown = exportShape(objects);
  if (objects.length > 0 && !shown.filters) {
    diagnostics.push(errorDiagnostic('parse/powershell-no-filters', file.path,
      'no rule object has Protocol, LocalPort, RemotePort, LocalAddress or RemoteAddress: this is Get-NetFirewallRule\'s ' +
        'output alone, whose ports and addresses live in filter objects, so the rules cannot be checked and the file is ' +
        'not read; export them through Get-NetFirewallPortFilter and Get-NetFirewallAddressFilter (README, Windows ' +
        'Firewall, PowerShell export)', toRange(objects[0]!)));
    // Reading the missing filters as Windows' default (Any) would make every allow rule all traffic from anywhere.
    return { targets: [], annotations: [], diagnostics };
  }
  const rules: Rule[] = [];
  const occurrences = new Map<string, number>();
  const blocksNotShown: string[] = [];
  for (const object of objects) {
    const reading = readRuleObject(object, file.path, toRange, shown.conditionsMissing.length > 0);
    if (reading.spec?.conditionsNotShown && /^block$/i.test(reading.spec.fields.get('action')?.text ?? '') && !/^(no|false)$/i.test(reading.spec.fields.get('enable')?.text ?? '')) {
      blocksNotShown.push(reading.spec.name);
    }
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
  if (blocksNotShown.length > 0) {
    const which = blocksNotShown.length === 1 ? `block rule "${shorten(blocksNotShown[0]!)}"` : `${blocksNotShown.length} block rules, the first "${shorten(blocksNotShown[0]!)}",`;
    diagnostics.push(warningDiagnostic('parse/powershell-export-conditions', file.path,
      `this export has no ${shown.conditionsMissing.join(' or ')} property, so it does not show whether a rule is limited to a ` +
        `program, service or interface type: ${which} may apply to one of them only and is not taken to stop any allowed ` +
        'traffic; add them to the export (README, Windows Firewall, PowerShell export) to check them', toRange(objects[0]!)));
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

/**
 * What the export's rule objects show: whether any has a port or address filter property, and the condition
 * properties (`Program`, `Service`, `InterfaceType`) none has (the recommended export of formats.md §4.5 has no
 * `Service` or `InterfaceType`), so that a block rule is not taken to stop traffic it may not stop.
 */
function exportShape(objects: readonly JsonNode[]): { filters: boolean; conditionsMissing: string[] } {
  const keys = new Set(objects.flatMap((object) => (object.children ?? []).map((member) => member.children?.[0]?.value).filter((key): key is string => typeof key === 'string').map((key) => key.toLowerCase())));
  return {
    filters: FILTER_PROPERTIES.some((property) => keys.has(property.toLowerCase())),
    conditionsMissing: CONDITION_PROPERTIES.filter((property) => !keys.has(property.toLowerCase())),
  };
}

/** Properties of the port and address filters: an export with none of them holds no traffic to judge. */
const FILTER_PROPERTIES = ['Protocol', 'LocalPort', 'RemotePort', 'LocalAddress', 'RemoteAddress'];
/** Properties that limit a rule to some traffic beyond ports and addresses, as a verbose netsh export shows them. */
const CONDITION_PROPERTIES = ['Program', 'Service', 'InterfaceType'];

function ruleName(object: JsonNode): string | undefined {
  const member = (object.children ?? []).find((each) => typeof each.children?.[0]?.value === 'string' && (each.children[0].value as string).toLowerCase() === 'displayname');
  const value = member?.children?.[1];
  return value?.type === 'string' ? (value.value as string) : undefined;
}

/**
 * The rule objects: the top-level object, each item of the top-level array, or of the `value` array of Windows
 * PowerShell 5.1's `{"value": […], "Count": n}` wrapper (other items are reported and skipped).
 */
function ruleObjects(root: JsonNode, file: string, toRange: (node: JsonNode) => SourceRange, diagnostics: Diagnostic[]): JsonNode[] {
  const wrapped = root.type === 'object' && ruleName(root) === undefined ? wrappedArray(root) : undefined;
  if (wrapped !== undefined) return ruleObjects(wrapped, file, toRange, diagnostics);
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

/** The `value` array of a `{"value": […], "Count": n}` wrapper. */
function wrappedArray(root: JsonNode): JsonNode | undefined {
  const members = new Map((root.children ?? []).map((member) => [String(member.children?.[0]?.value), member.children?.[1]]));
  const value = members.get('value');
  return value?.type === 'array' && members.get('Count')?.type === 'number' && members.size === 2 ? value : undefined;
}

/** contract.md: the host is the file name without extension (a JSON file has no comment to name it otherwise). */
function hostName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
