import type { Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import { severityRank } from '../model/severity';
import { activeFindings, reportTargetNames, type ReportContext, type ReportInput } from './report-context';

interface TestCase {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  failure?: { message: string; type: string; body: string[] };
  error?: { message: string; type: string; body: string[] };
  skipped?: { message: string };
}

/**
 * JUnit XML for CI test panels (GitLab, Jenkins, Azure DevOps): one suite `fwlint` with one test case per target ×
 * check (classname = target id, with its root module where several roots use its module and with its file where
 * several files define targets of that id; name = check), failing
 * when the check found something on that target, passing otherwise, and an erroring test case per input file that
 * could not be read or parsed. Suppressed findings are left out (they count as passed). Targets are `input.targets` plus any target with findings; with none at all, one
 * passing case per check (classname `fwlint`) shows what ran. A check that found nothing on a target whose file could
 * not be fully read or parsed is skipped, not passed, with that file's first error as the reason: the part that was
 * not read may hold what the check looks for (likewise the per-check cases when no target was read and a file failed).
 * So is one on a target defined in a sibling of a named file that was not named: its findings there were left out;
 * and one whose findings on a target were all located in such a sibling (a rule resource of a named file's group).
 */
export function renderJunit(input: ReportInput, context: ReportContext): string {
  const findings = activeFindings(input.findings);
  const checkOrder = new Map(input.checks.map((check, index) => [check.id, index]));
  const helpUris = new Map(input.checks.map((check) => [check.id, check.helpUri]));

  const targetNames = reportTargetNames(input, findings);
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${targetNames.ofFinding(finding)}\u0000${finding.checkId}`;
    const group = groups.get(key) ?? [];
    group.push(finding);
    groups.set(key, group);
  }
  // Every target: its file is where the definition is, else where its first finding is.
  const targetFiles = new Map<string, string | undefined>();
  // Targets defined in a sibling file read with a named one but not named: their findings there were left out.
  const unnamedSiblingLabels = new Set<string>();
  // Per target, the checks whose findings on it were left out as located in such a sibling, with that file.
  const leftOutByLabel = new Map<string, Map<string, string>>();
  // A module's resource in each of several roots that use the module is a target of its own, named with its root;
  // likewise a target of an id that other files define too, named with its file.
  for (const target of input.targets ?? []) {
    const label = targetNames.ofTarget(target);
    if (!targetFiles.has(label)) targetFiles.set(label, target.file);
    if (target.isInUnnamedSibling) unnamedSiblingLabels.add(label);
    for (const { checkId, file } of target.leftOutFindings ?? []) {
      const byCheck = leftOutByLabel.get(label) ?? new Map<string, string>();
      if (!byCheck.has(checkId)) byCheck.set(checkId, file);
      leftOutByLabel.set(label, byCheck);
    }
  }
  for (const finding of findings) {
    const label = targetNames.ofFinding(finding);
    if (!targetFiles.has(label)) targetFiles.set(label, undefined);
  }
  const targetLabels = [...targetFiles.keys()].sort(compareText);
  // Checks in metadata order, then checks that found something but have no metadata (by id).
  const extraChecks = [...new Set(findings.map((finding) => finding.checkId))].filter((id) => !checkOrder.has(id)).sort(compareText);

  // Files whose reading or parsing failed: the first such error of each, in the report's (sorted) order.
  const unreadFiles = new Map<string, Diagnostic>();
  for (const diagnostic of input.diagnostics) {
    if (isReadError(diagnostic) && !unreadFiles.has(diagnostic.file)) unreadFiles.set(diagnostic.file, diagnostic);
  }

  const cases: TestCase[] = [];
  for (const label of targetLabels) {
    for (const check of [...input.checks.map((known) => ({ id: known.id, name: known.name })), ...extraChecks.map((id) => ({ id, name: '' }))]) {
      const group = groups.get(`${label}\u0000${check.id}`);
      if (!group) {
        if (!check.name) continue;
        const passing: TestCase = { name: `${check.id} ${check.name}`, classname: label };
        const file = targetFiles.get(label);
        if (file) passing.file = file;
        const unread = file === undefined ? undefined : unreadFiles.get(file);
        if (unread) passing.skipped = { message: `not fully checked: ${file} was not read completely (${diagnosticPosition(unread)}: ${unread.message}, ${unread.code}); the part not read may hold what this check looks for` };
        else if (unnamedSiblingLabels.has(label)) passing.skipped = { message: `not reported: ${file} was read with the named files of its module but not named, and findings located there are left out` };
        else if (leftOutByLabel.get(label)?.has(check.id)) passing.skipped = { message: `not reported: this check found something on a rule in ${leftOutByLabel.get(label)!.get(check.id)!}, which was read with the named files of its module but not named, and findings located there are left out` };
        cases.push(passing);
        continue;
      }
      const first = group[0]!;
      const worst = group.reduce((most, finding) => (severityRank(finding.severity) < severityRank(most.severity) ? finding : most), first);
      const lines = group.map((finding) => `${finding.severity} ${position(finding.location.file, finding.location.range)} ${finding.message}`);
      const help = helpUris.get(first.checkId);
      if (help) lines.push(`Help: ${help}`);
      cases.push({
        name: `${first.checkId} ${first.checkName}`,
        classname: label,
        file: first.location.file,
        line: first.location.range.startLine,
        failure: { message: first.message, type: worst.severity, body: lines },
      });
    }
  }
  if (targetLabels.length === 0) {
    const unread = [...unreadFiles.keys()];
    // Nothing was checked: skipped, never passed, so a gate pointed at the wrong folder does not show green tests.
    const skipped = {
      message: unread.length > 0
        ? `not checked: no target was read, and ${unread.length === 1 ? `${unread[0]} could not be read or parsed` : `${unread.length} files could not be read or parsed`}`
        : 'not checked: no firewall target was found in the scanned paths',
    };
    for (const check of input.checks) cases.push({ name: `${check.id} ${check.name}`, classname: 'fwlint', skipped });
  }

  const errorsByFile = new Map<string, Diagnostic[]>();
  for (const diagnostic of input.diagnostics) {
    if (diagnostic.severity !== 'error') continue;
    const list = errorsByFile.get(diagnostic.file) ?? [];
    list.push(diagnostic);
    errorsByFile.set(diagnostic.file, list);
  }
  for (const file of [...errorsByFile.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const diagnostics = errorsByFile.get(file)!;
    const first = diagnostics[0]!;
    const testCase: TestCase = {
      name: `parse ${file || '(fwlint)'}`,
      classname: 'fwlint',
      error: {
        message: first.message,
        type: first.code,
        body: diagnostics.map((diagnostic) => `${diagnosticPosition(diagnostic)} ${diagnostic.message} (${diagnostic.code})`),
      },
    };
    if (file) testCase.file = file;
    if (first.range) testCase.line = first.range.startLine;
    cases.push(testCase);
  }

  const failures = cases.filter((testCase) => testCase.failure).length;
  const errors = cases.filter((testCase) => testCase.error).length;
  const skipped = cases.filter((testCase) => testCase.skipped).length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}"`;
  const warnings = input.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');

  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="fwlint" ${counts} time="0">`);
  out.push(`  <testsuite name="fwlint" ${counts} skipped="${skipped}" time="0">`);
  out.push('    <properties>');
  out.push(`      <property name="fwlint.version" value="${attribute(context.toolVersion)}"/>`);
  out.push(`      <property name="suppressed" value="${input.stats.suppressed}"/>`);
  out.push(`      <property name="baselined" value="${input.stats.baselined}"/>`);
  out.push('    </properties>');
  for (const testCase of cases) out.push(...testCaseXml(testCase));
  if (warnings.length > 0) {
    const text = warnings.map((diagnostic) => `warning ${diagnosticPosition(diagnostic)} ${diagnostic.message} (${diagnostic.code})`);
    out.push(`    <system-out>${contentLines(text)}</system-out>`);
  }
  out.push('  </testsuite>');
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function testCaseXml(testCase: TestCase): string[] {
  const attributes = [`name="${attribute(testCase.name)}"`, `classname="${attribute(testCase.classname)}"`];
  if (testCase.file !== undefined) attributes.push(`file="${attribute(testCase.file)}"`);
  if (testCase.line !== undefined) attributes.push(`line="${testCase.line}"`);
  attributes.push('time="0"');
  const open = `    <testcase ${attributes.join(' ')}`;
  if (testCase.skipped) return [`${open}>`, `      <skipped message="${attribute(testCase.skipped.message)}"/>`, '    </testcase>'];
  const detail = testCase.failure ? { tag: 'failure', ...testCase.failure } : testCase.error ? { tag: 'error', ...testCase.error } : undefined;
  if (!detail) return [`${open}/>`];
  return [
    `${open}>`,
    `      <${detail.tag} message="${attribute(detail.message)}" type="${attribute(detail.type)}">${contentLines(detail.body)}</${detail.tag}>`,
    '    </testcase>',
  ];
}

/** An input file that could not be read or parsed (not a config, baseline or annotation problem). */
function isReadError(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === 'error' && diagnostic.file !== '' && /^(?:read|parse|internal)\//.test(diagnostic.code);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function position(file: string, range: { startLine: number; startColumn: number }): string {
  return `${file}:${range.startLine}:${range.startColumn}`;
}

function diagnosticPosition(diagnostic: Diagnostic): string {
  if (!diagnostic.file) return '(fwlint)';
  return diagnostic.range ? position(diagnostic.file, diagnostic.range) : diagnostic.file;
}

/**
 * XML 1.0 cannot carry most control characters or lone surrogates, not even as character references: they
 * become U+FFFD so one odd byte in a rule description cannot make the whole report unreadable.
 */
function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Element text: markup characters escaped; `\r` as a reference because parsers normalise a literal one away. */
export function content(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/**
 * Element text of one line per item: a line feed inside an item is a reference, so a value from a scanned file cannot
 * start a line of its own (`::error …` is a workflow command to a GitHub Actions runner that prints the report).
 */
function contentLines(items: readonly string[]): string {
  return items.map((item) => content(item).replace(/\n/g, '&#10;')).join('\n');
}

/** Attribute value in double quotes: also quotes, and whitespace as references (attribute normalisation). */
export function attribute(text: string): string {
  return content(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
