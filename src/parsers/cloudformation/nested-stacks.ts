import { Scope, scalarText, type Template, type Value } from './evaluator';
import { PREVIOUS_VALUE } from './parameter-file';
import { localTemplatePath } from './shared-groups';
import { describeNode, isIntrinsicKey, type MapEntry } from './template-node';

const NESTED_STACK = 'AWS::CloudFormation::Stack';

/** An `AWS::CloudFormation::Stack` of a template whose `TemplateURL` is a local path. */
interface NestedStackUse {
  stackId: string;
  url: string;
  /** The child template's path, relative to the scan's paths as the parent's is. */
  childPath: string;
  /** `Parameters` as written, where a warning about them is reported. */
  parametersEntry?: MapEntry;
  /** What the stack passes, by name: the value, or `PREVIOUS_VALUE` for one that cannot be resolved statically. */
  passed?: Record<string, string>;
  /** The stack exists only under a condition that cannot be decided. */
  isConditional: boolean;
}

/**
 * The nested stacks of a template that name a local template, as its base evaluation reads them: those whose
 * `Condition` is decidedly false are never created and left out. `passed` is absent when the `Parameters` as a whole
 * cannot be resolved (an undecidable `!If` around them).
 */
export function nestedStackUses(template: Template): NestedStackUse[] {
  const base = new Scope(template);
  const uses: NestedStackUse[] = [];
  for (const resource of template.resources.values()) {
    if (resource.type !== NESTED_STACK || !resource.properties) continue;
    const condition = resource.condition === undefined ? true : base.condition(resource.condition);
    if (condition === false) continue;
    const properties = base.evaluate(resource.properties);
    const url = scalarText(base.property(properties, 'TemplateURL'));
    const childPath = url === undefined ? undefined : localTemplatePath(template.file, url);
    if (url === undefined || childPath === undefined) continue;
    const use: NestedStackUse = { stackId: resource.logicalId, url, childPath, isConditional: condition === undefined };
    const parametersEntry = base.entry(properties, 'Parameters');
    if (parametersEntry) use.parametersEntry = parametersEntry;
    const parameters = base.property(properties, 'Parameters');
    if (parameters.kind === 'absent') use.passed = {};
    else if (parameters.kind === 'map') use.passed = passedValues(base, parameters);
    uses.push(use);
  }
  return uses;
}

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
