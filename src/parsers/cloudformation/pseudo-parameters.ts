/**
 * Pseudo parameters (`AWS::Region`, …) are unknown until a stack is deployed, so fwlint treats them as unresolved
 * (FW303) unless `--param` or a parameter file gives a value: then `!Ref "AWS::Region"`, `${AWS::Region}` and the
 * conditions built on them are decided. No imports: the CLI checks `--param` names with it before loading a parser.
 */
export const SETTABLE_PSEUDO_PARAMETERS: readonly string[] = ['AWS::AccountId', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix'];

/** Why a parameter name cannot be given a value, or undefined when it can (every non-`AWS::` name can). */
export function pseudoParameterProblem(name: string): string | undefined {
  if (!name.startsWith('AWS::') || SETTABLE_PSEUDO_PARAMETERS.includes(name)) return undefined;
  const settable = `pseudo parameters that can be given a value: ${SETTABLE_PSEUDO_PARAMETERS.join(', ')}`;
  if (name === 'AWS::NoValue') return `AWS::NoValue removes a property and cannot be given a value (${settable})`;
  if (name === 'AWS::NotificationARNs') return `AWS::NotificationARNs (a list) cannot be given a value (${settable})`;
  return `${name} is not a pseudo parameter fwlint can set (${settable})`;
}
