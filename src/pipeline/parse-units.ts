import type { Annotation, FormatParser, ParseOptions, ParseResult, SourceFile } from '../model/source-file';
import type { Diagnostic } from '../model/diagnostic';
import { cdkUnitGroups } from '../parsers/cdk/module-sources';
import { cloudFormationUnitGroups } from '../parsers/cloudformation/shared-groups';
import { terraformRootGroups } from '../parsers/terraform/root-groups';

/** Files parsed together by one `parser.parse` call: Terraform folders linked by local module calls, else one file. */
export interface ParseUnit {
  /** Position in the merge order: results are merged by it, whatever order workers finish in. */
  index: number;
  parser: FormatParser;
  /** Emptied once the unit is parsed, so its texts can be collected. */
  files: SourceFile[];
  /** The input files' paths (not `moduleOnly` ones), kept: a unit whose parser failed reports each of them. */
  paths: string[];
  /** UTF-16 length of the unit's text, for scheduling the largest units first. */
  chars: number;
}

/** What unit planning needs beyond the files: the CloudFormation parameters given, the modules CDK files may import. */
export interface UnitPlanContext {
  params?: Readonly<Record<string, string>>;
  moduleSources?: readonly SourceFile[];
}

/**
 * Splits each parser's files into units that can be parsed independently, in the order one `parser.parse(files)`
 * call over all of them would produce its results: parsers in registry order; Terraform folders linked by local
 * module calls are one unit, in the Terraform parser's order (`terraformRootGroups`); templates naming one literal
 * group id one unit (`cloudFormationUnitGroups`); a CDK file one unit with the modules it imports values from, found
 * among its format's files and `moduleSources` (`cdkUnitGroups`); other formats one unit per file, in discovery order.
 */
export function planParseUnits(byParser: ReadonlyMap<FormatParser, SourceFile[]>, parsers: readonly FormatParser[], context: UnitPlanContext = {}): ParseUnit[] {
  const { params = {}, moduleSources = [] } = context;
  const units: ParseUnit[] = [];
  const add = (parser: FormatParser, files: SourceFile[]): void => {
    let chars = 0;
    for (const file of files) chars += file.text.length;
    units.push({ index: units.length, parser, files, paths: files.filter((file) => !file.moduleOnly).map((file) => file.path), chars });
  };
  for (const parser of parsers) {
    const files = byParser.get(parser);
    if (!files) continue;
    if (parser.kind === 'terraform-hcl') {
      // Folders linked by local module calls form one unit: which of them are roots depends on the others.
      for (const group of terraformRootGroups(files)) add(parser, group.files);
    } else if (parser.kind === 'cloudformation') {
      // Templates naming one existing group by its literal id (also through a given parameter) form one unit: its rules are one target.
      for (const group of cloudFormationUnitGroups(files, params)) add(parser, group);
    } else if (parser.kind === 'cdk') {
      // `import { SSH } from './net'`: the modules a file imports values from are read with it.
      for (const group of cdkUnitGroups(files, moduleSources)) add(parser, group);
    } else {
      for (const file of files) add(parser, [file]);
    }
  }
  return units;
}

/**
 * Merges unit results of one parser into what a single call over all its files returns. For Terraform, a module
 * folder called from several scanned roots is read by each of them; the parser reports each annotation and
 * diagnostic once per call (src/parsers/terraform/index.ts, `unique`), so the merge does the same across units,
 * with the same identities, keeping first occurrences.
 */
export function mergeUnitResults(parser: FormatParser, results: ParseResult[]): ParseResult {
  const merged: ParseResult = { targets: [], annotations: [], diagnostics: [] };
  let declaredParameters: Set<string> | undefined;
  for (const result of results) {
    for (const target of result.targets) merged.targets.push(target);
    for (const annotation of result.annotations) merged.annotations.push(annotation);
    for (const diagnostic of result.diagnostics) merged.diagnostics.push(diagnostic);
    if (result.cliVarsUsed) merged.cliVarsUsed = [...new Set([...(merged.cliVarsUsed ?? []), ...result.cliVarsUsed])].sort();
    if (result.declaredParameters) for (const name of result.declaredParameters) (declaredParameters ??= new Set()).add(name);
    if (result.constructLinks) {
      merged.constructLinks ??= { classes: [], instances: [] };
      merged.constructLinks.classes.push(...result.constructLinks.classes);
      merged.constructLinks.instances.push(...result.constructLinks.instances);
    }
  }
  if (declaredParameters) merged.declaredParameters = [...declaredParameters].sort();
  if (parser.kind === 'terraform-hcl' && results.length > 1) {
    merged.annotations = firstOfEach(merged.annotations, annotationIdentity);
    merged.diagnostics = firstOfEach(merged.diagnostics, diagnosticIdentity);
  }
  return merged;
}

/** A unit's result, or the error its parser threw (a bug: the pipeline reports it on each file of the unit). */
export type UnitOutcome = { kind: 'result'; result: ParseResult } | { kind: 'error'; error: Error };

export function parseHere(unit: ParseUnit, options: ParseOptions): UnitOutcome {
  try {
    return { kind: 'result', result: unit.parser.parse(unit.files, options) };
  } catch (error) {
    return { kind: 'error', error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** Where an annotation is written: the same comment read by two parsers, or by two units, is one annotation. */
export function annotationIdentity(annotation: Annotation): string {
  return `${annotation.file}:${annotation.range.startLine}:${annotation.range.startColumn}:${annotation.directive}`;
}

export function diagnosticIdentity(diagnostic: Diagnostic): string {
  return JSON.stringify([diagnostic.file, diagnostic.code, diagnostic.range, diagnostic.message]);
}

function firstOfEach<T>(items: T[], identity: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = identity(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
