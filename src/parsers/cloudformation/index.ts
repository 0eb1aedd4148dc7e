import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { Annotation, FormatParser, ParseOptions, ParseResult, SourceFile } from '../../model/source-file';
import type { MapNode } from './template-node';
import type { Target } from '../../model/target';
import { joinAlternatives } from '../../model/branch';
import { ruleContentKey, type Rule } from '../../model/rule';
import { internalDiagnostic } from '../shared/hostile-input';
import { isCloudFormationTemplate, isJsonTemplate } from './detect';
import { readJsonTemplate } from './json-reader';
import { MAX_TEMPLATE_CHARS } from './limits';
import { joinSharedGroups } from './shared-groups';
import { MAX_NESTED_VARIANTS, nestedStackUses, passedNames } from './nested-stacks';
import { addTargetUnknown, sortRules, templateToTargets, underBranch } from './to-model';
import { readYamlTemplate } from './yaml-reader';

export { loadParameterFile, readParameterFile } from './parameter-file';
export { isCloudFormationTemplate } from './detect';
export { cloudFormationUnitGroups } from './shared-groups';

/**
 * CloudFormation and SAM templates, YAML or JSON (formats.md §3): security groups and network ACLs become targets,
 * inline and standalone rules become one normalized rule per peer. Templates are independent of each other, but for
 * an existing group or ACL they name by its literal id (its rules from every template are one target) and for a
 * template that another names as its one nested stack (evaluated with the parameters that stack passes).
 */
export const cloudFormationParser: FormatParser = {
  kind: 'cloudformation',
  detect: (path, head, text) => isCloudFormationTemplate(path, head, text),
  parse(files: SourceFile[], options: ParseOptions): ParseResult {
    const params = options?.params ?? {};
    const targets: Target[] = [];
    const annotations: Annotation[] = [];
    const diagnostics: Diagnostic[] = [];
    const declaredParameters = new Set<string>();
    const templates: ReadTemplate[] = [];
    for (const file of files) {
      try {
        templates.push(readTemplate(file));
      } catch (error) {
        // A bug here must not take the other templates' findings with it: this file alone gets the error.
        diagnostics.push(internalDiagnostic(file.path, error));
      }
    }
    const evaluated = evaluateTemplates(templates, params, options?.paramOrigins, diagnostics);
    for (const read of templates) {
      annotations.push(...read.annotations);
      diagnostics.push(...read.diagnostics);
      const evaluation = evaluated.get(read);
      if (!evaluation) continue;
      targets.push(...evaluation.targets);
      diagnostics.push(...evaluation.diagnostics);
      for (const name of evaluation.parameterNames) declaredParameters.add(name);
    }
    const result: ParseResult = { targets: files.length > 1 ? joinSharedGroups(targets) : targets, annotations, diagnostics };
    if (Object.keys(params).length > 0) result.declaredParameters = [...declaredParameters].sort();
    return result;
  },
};

/** A template as read: its root when it is a mapping of sections, with what the reader found. */
interface ReadTemplate {
  file: SourceFile;
  root?: MapNode;
  annotations: Annotation[];
  diagnostics: Diagnostic[];
}

type Evaluation = ReturnType<typeof templateToTargets>;

/** Reads one template; never throws on bad input. */
function readTemplate(file: SourceFile): ReadTemplate {
  if (file.text.length > MAX_TEMPLATE_CHARS) {
    return { file, annotations: [], diagnostics: [errorDiagnostic('parse/cfn-too-large', file.path, `template is larger than ${MAX_TEMPLATE_CHARS} characters; not read`)] };
  }
  const read = isJsonTemplate(file.path, file.text) ? readJsonTemplate(file.text, file.path) : readYamlTemplate(file.text, file.path);
  const diagnostics = [...read.diagnostics];
  if (read.root?.kind === 'map') return { file, root: read.root, annotations: read.annotations, diagnostics };
  // A reader that already said why it has nothing (too deep, say) needs no second error.
  if (read.root || !diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
    diagnostics.push(errorDiagnostic('parse/cfn-not-a-template', file.path, 'the template is not a mapping of sections (AWSTemplateFormatVersion, Resources, …)',
      read.root?.range ?? { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }));
  }
  return { file, annotations: read.annotations, diagnostics };
}

/** A template evaluated under one branch of its chain of parent stacks (`tag`, as `Rule.branch` writes it); none for one alone. */
interface Variant {
  evaluation: Evaluation;
  tag?: string;
  domains?: Record<string, readonly string[]>;
}

/** What a template gives, its variants put together. */
interface Evaluated {
  targets: Target[];
  diagnostics: Diagnostic[];
  parameterNames: string[];
}

/**
 * Evaluates each template: with the scan's parameter values, or, for a template that exactly one nested stack of
 * these templates names (`TemplateURL: ./bastion.yaml`, a SAM application's `Location`), with the parameters that
 * stack passes (and the scan's account, partition, region and URL suffix; the child stack has a name and id of its
 * own). Its parent is evaluated first, as it may itself be a child. Where the parent passes other values under other
 * branches (an undecidable `!If`, a parameter read once per value), the child is evaluated once per branch and its
 * rules exist under that branch (see `mergeVariants`). A nested stack that passes parameters which are not followed so
 * (its template is not among these, is named by several stacks, or the stack exists under an undecidable condition)
 * is a warning.
 */
function evaluateTemplates(templates: readonly ReadTemplate[], params: Record<string, string>, paramOrigins: Record<string, string> | undefined, diagnostics: Diagnostic[]): Map<ReadTemplate, Evaluated | undefined> {
  const byPath = new Map(templates.map((read) => [read.file.path, read]));
  const evaluate = (read: ReadTemplate, values: Record<string, string>, origins?: Record<string, string>): Evaluation | undefined => {
    try {
      return read.root ? templateToTargets(read.root, read.file.path, values, origins) : undefined;
    } catch (error) {
      diagnostics.push(internalDiagnostic(read.file.path, error));
      return undefined;
    }
  };
  // Which nested stacks name each template, as the templates read with the scan's values show them.
  const standalone = new Map<ReadTemplate, Evaluation | undefined>();
  const parentsOf = new Map<string, Array<{ parent: ReadTemplate; stackId: string }>>();
  for (const read of templates) {
    const evaluation = evaluate(read, params, paramOrigins);
    standalone.set(read, evaluation);
    for (const use of evaluation ? nestedStackUses(evaluation.template) : []) {
      const parents = parentsOf.get(use.childPath) ?? [];
      parents.push({ parent: read, stackId: use.stackId });
      parentsOf.set(use.childPath, parents);
    }
  }
  const effective = new Map<ReadTemplate, Variant[]>();
  const inProgress = new Set<ReadTemplate>();
  const followed = new Set<string>();
  const tooMany = new Map<string, number>();
  const resolve = (read: ReadTemplate): Variant[] => {
    const known = effective.get(read);
    if (known) return known;
    inProgress.add(read);
    const own = standalone.get(read);
    let variants: Variant[] = own ? [{ evaluation: own }] : [];
    const parents = parentsOf.get(read.file.path) ?? [];
    const only = parents.length === 1 && parents[0]!.parent !== read && !inProgress.has(parents[0]!.parent) ? parents[0]! : undefined;
    const parentVariants = only ? resolve(only.parent) : [];
    const uses = parentVariants.map((parent) => ({ parent, use: nestedStackUses(parent.evaluation.template).find((each) => each.stackId === only!.stackId && each.childPath === read.file.path) }));
    if (only && uses.length > 0 && uses.every(({ use }) => use?.variants && !use.isConditional)) {
      const passed = uses.flatMap(({ parent, use }) => use!.variants!.map((variant) => ({
        values: variant.passed,
        tag: [parent.tag, variant.tag].filter((part) => part !== undefined).join(',') || undefined,
        domains: parent.domains || variant.domains ? { ...parent.domains, ...variant.domains } : undefined,
      })));
      const key = `${only.parent.file.path}\u0000${only.stackId}`;
      if (passed.length > MAX_NESTED_VARIANTS) tooMany.set(key, passed.length);
      else {
        const origin = `${only.parent.file.path} (nested stack ${only.stackId})`;
        variants = [];
        for (const { values, tag, domains } of passed) {
          const withPseudo: Record<string, string> = { ...values };
          for (const name of PASSED_THROUGH_PSEUDO_PARAMETERS) if (Object.hasOwn(params, name)) withPseudo[name] = params[name]!;
          const evaluation = evaluate(read, withPseudo, Object.fromEntries(Object.keys(values).map((name) => [name, origin])));
          if (evaluation) variants.push({ evaluation, ...(tag === undefined ? {} : { tag }), ...(domains ? { domains } : {}) });
        }
        followed.add(key);
      }
    }
    inProgress.delete(read);
    effective.set(read, variants);
    return variants;
  };
  for (const read of templates) resolve(read);
  for (const read of templates) {
    for (const { evaluation } of effective.get(read)!) {
      for (const use of nestedStackUses(evaluation.template)) {
        const key = `${read.file.path}\u0000${use.stackId}`;
        if (followed.has(key) || !use.parametersEntry || passedNames(use) === '') continue;
        const child = byPath.get(use.childPath);
        const reason = !child ? `${use.childPath} is not among the scanned templates`
          : (parentsOf.get(use.childPath)?.length ?? 0) > 1 ? `${use.url} is the template of ${parentsOf.get(use.childPath)!.length} nested stacks, which may pass it different values`
          : use.isConditional ? `the stack exists only under a condition that cannot be decided`
          : !use.variants ? `they cannot be resolved statically`
          : tooMany.has(key) ? `they take ${tooMany.get(key)} combinations of values, more than the ${MAX_NESTED_VARIANTS} read per value`
          : `its templates name each other in a cycle`;
        evaluation.template.report('warning', 'parse/cfn-nested-stack',
          `nested stack ${use.stackId}: the parameters it passes to ${use.url} (${passedNames(use)}) are not followed, as ${reason}; that template is checked with its own parameter values`,
          use.parametersEntry.keyRange);
      }
    }
  }
  return new Map(templates.map((read) => [read, mergeVariants(effective.get(read)!)]));
}

/**
 * One template's variants as one: a rule every variant has (by id, content and rule number) once, as it is; any
 * other once per variant having it, under that variant's branch. A diagnostic of some variants only says under which.
 */
function mergeVariants(variants: readonly Variant[]): Evaluated | undefined {
  const [first] = variants;
  if (!first) return undefined;
  if (variants.length === 1 && first.tag === undefined) {
    return { targets: first.evaluation.targets, diagnostics: first.evaluation.template.diagnostics, parameterNames: first.evaluation.template.parameterNames };
  }
  const targets = new Map<string, Target>();
  const rules = new Map<string, { target: Target; rule: Rule; variants: number[] }>();
  variants.forEach(({ evaluation }, index) => {
    for (const target of evaluation.targets) {
      let merged = targets.get(target.id);
      if (!merged) {
        merged = { ...target, rules: [] };
        delete merged.unknowns;
        targets.set(target.id, merged);
      }
      for (const unknown of target.unknowns ?? []) addTargetUnknown(merged, unknown);
      for (const rule of target.rules) {
        const key = [target.id, rule.id, ruleContentKey(rule), rule.priority ?? ''].join('\u0000');
        const seen = rules.get(key) ?? { target: merged, rule, variants: [] };
        seen.variants.push(index);
        rules.set(key, seen);
      }
    }
  });
  for (const { target, rule, variants: under } of rules.values()) {
    if (under.length === variants.length) target.rules.push(rule);
    else for (const index of under) target.rules.push(underBranch(rule, variants[index]!.tag!, variants[index]!.domains));
  }
  for (const target of targets.values()) sortRules(target);
  const reported = new Map<string, { diagnostic: Diagnostic; variants: number[] }>();
  variants.forEach(({ evaluation }, index) => {
    for (const diagnostic of evaluation.template.diagnostics) {
      const key = [diagnostic.severity, diagnostic.code, diagnostic.message, diagnostic.range?.startLine, diagnostic.range?.startColumn].join('\u0000');
      const seen = reported.get(key) ?? { diagnostic, variants: [] };
      seen.variants.push(index);
      reported.set(key, seen);
    }
  });
  const merged = [...reported.values()].map(({ diagnostic, variants: under }) => (under.length === variants.length ? diagnostic
    : { ...diagnostic, message: `${diagnostic.message} (when ${joinAlternatives('cloudformation', under.map((index) => variants[index]!.tag!))})` }));
  return { targets: [...targets.values()], diagnostics: merged, parameterNames: first.evaluation.template.parameterNames };
}

/** Pseudo parameters a nested stack shares with its parent; `AWS::StackName` and `AWS::StackId` are its own. */
const PASSED_THROUGH_PSEUDO_PARAMETERS = ['AWS::AccountId', 'AWS::Partition', 'AWS::Region', 'AWS::URLSuffix'];
