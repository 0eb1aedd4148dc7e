import { parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { errorDiagnostic, type Diagnostic, type WithDiagnostics } from '../../model/diagnostic';
import { lineStarts, rangeOf } from '../shared/annotations';
import { pseudoParameterProblem } from './pseudo-parameters';

/**
 * Reads a CloudFormation parameters file into `NAME → VALUE`. Accepts the `aws cloudformation` CLI form
 * `[{ "ParameterKey": "K", "ParameterValue": "V" }]` and the CodePipeline template-configuration form
 * `{ "Parameters": { "K": "V" } }`. An entry with `UsePreviousValue` keeps the deployed stack's value, which is not
 * known here: it maps to `PREVIOUS_VALUE`, read as unresolved (never as the template default). Never throws:
 * problems come back as diagnostics for `file`.
 */
/** The value of a parameter whose file entry says `UsePreviousValue`: the deployed stack's, unknown here. */
export const PREVIOUS_VALUE = '\u0000UsePreviousValue';

export function readParameterFile(text: string, file = ''): WithDiagnostics<Record<string, string>> {
  const starts = lineStarts(text);
  const diagnostics: Diagnostic[] = [];
  const at = (node: JsonNode) => rangeOf(starts, node.offset, node.offset + node.length);
  // A Map, so a parameter named `__proto__` stays a parameter.
  const values = new Map<string, string>();
  const errors: ParseError[] = [];
  let tree: JsonNode | undefined;
  try {
    tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  } catch {
    // Only a stack overflow on absurd nesting gets here.
    tree = undefined;
  }
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const range = first ? rangeOf(starts, first.offset, first.offset + first.length) : undefined;
    diagnostics.push(errorDiagnostic('parse/cfn-parameter-file', file, 'the parameters file is not valid JSON', range));
    return { value: Object.fromEntries(values), diagnostics };
  }
  const put = (keyNode: JsonNode | undefined, valueNode: JsonNode | undefined, where: JsonNode) => {
    if (!keyNode || keyNode.type !== 'string' || !valueNode) {
      diagnostics.push(errorDiagnostic('parse/cfn-parameter-file', file, 'a parameter needs a string ParameterKey and a ParameterValue', at(where)));
      return;
    }
    const value = valueNode.type === 'array'
      ? (valueNode.children ?? []).map((child) => String(child.value)).join(',')
      : valueNode.type === 'string' || valueNode.type === 'number' || valueNode.type === 'boolean' ? String(valueNode.value)
      : undefined;
    if (value === undefined) {
      diagnostics.push(errorDiagnostic('parse/cfn-parameter-file', file, `parameter "${String(keyNode.value)}" has no string value`, at(valueNode)));
      return;
    }
    const problem = pseudoParameterProblem(String(keyNode.value));
    if (problem !== undefined) {
      diagnostics.push(errorDiagnostic('parse/cfn-parameter-file', file, problem, at(keyNode)));
      return;
    }
    values.set(String(keyNode.value), value);
  };
  if (tree.type === 'array') {
    for (const item of tree.children ?? []) {
      const property = (name: string) => item.type === 'object' ? item.children?.find((p) => p.children?.[0]?.value === name)?.children?.[1] : undefined;
      const key = property('ParameterKey');
      if (property('UsePreviousValue')?.value === true && !property('ParameterValue')) {
        if (key?.type === 'string') values.set(key.value as string, PREVIOUS_VALUE);
        continue;
      }
      put(key, property('ParameterValue'), item);
    }
  } else if (tree.type === 'object') {
    const parameters = tree.children?.find((p) => p.children?.[0]?.value === 'Parameters')?.children?.[1];
    if (!parameters || parameters.type !== 'object') {
      diagnostics.push(errorDiagnostic('parse/cfn-parameter-file', file, 'expected [{ParameterKey, ParameterValue}] or {"Parameters": {…}}', at(tree)));
    } else {
      for (const property of parameters.children ?? []) put(property.children?.[0], property.children?.[1], property);
    }
  } else {
    diagnostics.push(errorDiagnostic('parse/cfn-parameter-file', file, 'expected [{ParameterKey, ParameterValue}] or {"Parameters": {…}}', at(tree)));
  }
  return { value: Object.fromEntries(values), diagnostics };
}

/** The values of `readParameterFile` without its diagnostics (`--param-file` goes through `readParameterFile`, which reports them). */
export function loadParameterFile(text: string): Record<string, string> {
  return readParameterFile(text).value;
}
