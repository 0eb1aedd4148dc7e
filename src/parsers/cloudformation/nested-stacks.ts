import { MAX_BRANCHING_CONDITIONS } from './limits';
import { Scope, scalarText, type Template, type Value } from './evaluator';
import { PREVIOUS_VALUE } from './parameter-file';
import { localTemplatePath } from './shared-groups';
import { describeNode, isIntrinsicKey, type MapEntry } from './template-node';
import { readPerBranch, reportShortfall, type Shortfall } from './to-model';

/**
 * Resources that create a nested stack from a template, with the property naming it: SAM transforms an
 * `AWS::Serverless::Application` whose `Location` is a path into an `AWS::CloudFormation::Stack` (`sam package`
 * uploads it as `aws cloudformation package` does a `TemplateURL`). A `Location` that is an application of the
 * Serverless Application Repository (`{ApplicationId, SemanticVersion}`) names no template of the scan.
 */
export const NESTED_STACK_TEMPLATE_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::CloudFormation::Stack': 'TemplateURL',
  'AWS::Serverless::Application': 'Location',
};

/** What a nested stack passes under one branch of its parent: the branch (`Rule.branch` as the parent's rules write it). */
export interface PassedVariant {
  passed: Record<string, string>;
  tag?: string;
  /** See `Rule.branchDomains`. */
  domains?: Record<string, readonly string[]>;
}

/** A nested stack of a template whose template is a local path. */
interface NestedStackUse {
  stackId: string;
  url: string;
  /** The child template's path, relative to the scan's paths as the parent's is. */
  childPath: string;
  /** `Parameters` as written, where a warning about them is reported. */
  parametersEntry?: MapEntry;
  /**
   * What the stack passes, by name (the value, or `PREVIOUS_VALUE` for one that cannot be resolved statically), under
   * each branch of the parent that gives other values: the undecidable conditions and the parameters with few values
   * its `Parameters` read, as a rule's are read. Absent when `Parameters` as a whole cannot be resolved.
   */
  variants?: PassedVariant[];
  /** The stack exists only under a condition that cannot be decided. */
  isConditional: boolean;
}

/**
 * The nested stacks of a template that name a local template: those whose `Condition` is decidedly false are never
 * created and left out.
 */
export function nestedStackUses(template: Template): NestedStackUse[] {
  const base = new Scope(template);
  const uses: NestedStackUse[] = [];
  for (const resource of template.resources.values()) {
    const urlProperty = Object.hasOwn(NESTED_STACK_TEMPLATE_PROPERTY, resource.type) ? NESTED_STACK_TEMPLATE_PROPERTY[resource.type]! : undefined;
    if (urlProperty === undefined || !resource.properties) continue;
    const condition = resource.condition === undefined ? true : base.condition(resource.condition);
    if (condition === false) continue;
    const properties = base.evaluate(resource.properties);
    const url = scalarText(base.property(properties, urlProperty));
    const childPath = url === undefined ? undefined : localTemplatePath(template.file, url);
    if (url === undefined || childPath === undefined) continue;
    const use: NestedStackUse = { stackId: resource.logicalId, url, childPath, isConditional: condition === undefined };
    const parametersEntry = base.entry(properties, 'Parameters');
    if (parametersEntry) use.parametersEntry = parametersEntry;
    const shortfalls: Shortfall[] = [];
    // `undefined` where `Parameters` as a whole is unknown under a branch.
    const readings = readPerBranch(base, resource, (scope): Array<Record<string, string> | undefined> => {
      const parameters = scope.property(scope.evaluate(resource.properties!), 'Parameters');
      return parameters.kind === 'absent' ? [{}] : parameters.kind === 'map' ? [passedValues(scope, parameters)] : [undefined];
    }, (passed) => JSON.stringify(passed === undefined ? null : Object.entries(passed)), shortfalls);
    reportShortfall(template, shortfalls);
    if (readings.length > 0 && readings.every((reading) => reading.item !== undefined)) {
      use.variants = readings.flatMap(({ item, tags, domains }) => tags.map((tag) => ({ passed: item!, ...(tag === undefined ? {} : { tag }), ...(domains && tag !== undefined ? { domains } : {}) })));
    }
    uses.push(use);
  }
  return uses;
}

/** Combinations of values a child is read with at most, over its chain of parents, as a rule's branches are. */
export const MAX_NESTED_VARIANTS = 2 ** MAX_BRANCHING_CONDITIONS;

function passedValues(scope: Scope, parameters: Value): Record<string, string> {
  const passed: Record<string, string> = {};
  if (parameters.kind !== 'map') return passed;
  for (const entry of parameters.map.entries) {
    if (isIntrinsicKey(entry.key)) continue;
    const value = scope.evaluate(entry.value);
    if (value.kind === 'absent') continue;
    const text = scalarText(value);
    const items = value.kind === 'list' ? value.items.map(scalarText) : undefined;
    // Unresolved is never the child's default: the parent passes some value, unknown here (as UsePreviousValue is).
    passed[entry.key] = text ?? (items && items.every((item) => item !== undefined) ? items.join(',') : PREVIOUS_VALUE);
  }
  return passed;
}

/** Names a nested stack passes, for messages. */
export function passedNames(use: NestedStackUse): string {
  const value = use.parametersEntry?.value;
  if (value?.kind !== 'map') return '';
  const names = value.entries.map((entry) => entry.key).filter((key) => !isIntrinsicKey(key));
  return names.length > 0 ? names.join(', ') : describeNode(value);
}
