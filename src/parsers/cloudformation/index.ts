import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { Annotation, FormatParser, ParseOptions, ParseResult, SourceFile } from '../../model/source-file';
import type { Target } from '../../model/target';
import { internalDiagnostic } from '../shared/hostile-input';
import { isCloudFormationTemplate, isJsonTemplate } from './detect';
import { readJsonTemplate } from './json-reader';
import { MAX_TEMPLATE_CHARS } from './limits';
import { joinSharedGroups } from './shared-groups';
import { templateToTargets } from './to-model';
import { readYamlTemplate } from './yaml-reader';

export { loadParameterFile, readParameterFile } from './parameter-file';
export { isCloudFormationTemplate } from './detect';
export { cloudFormationUnitGroups } from './shared-groups';

/**
 * CloudFormation and SAM templates, YAML or JSON (formats.md §3): security groups and network ACLs become targets,
 * inline and standalone rules become one normalized rule per peer. Templates are independent of each other, but for
 * an existing group or ACL they name by its literal id: its rules from every template are one target.
 */
export const cloudFormationParser: FormatParser = {
  kind: 'cloudformation',
  detect: (path, head) => isCloudFormationTemplate(path, head),
  parse(files: SourceFile[], options: ParseOptions): ParseResult {
    const targets: Target[] = [];
    const annotations: Annotation[] = [];
    const diagnostics: Diagnostic[] = [];
    const declaredParameters = new Set<string>();
    for (const file of files) {
      let result: ParseResult;
      try {
        result = parseTemplate(file, options?.params ?? {}, options?.paramOrigins);
      } catch (error) {
        // A bug here must not take the other templates' findings with it: this file alone gets the error.
        diagnostics.push(internalDiagnostic(file.path, error));
        continue;
      }
      targets.push(...result.targets);
      annotations.push(...result.annotations);
      diagnostics.push(...result.diagnostics);
      for (const name of result.declaredParameters ?? []) declaredParameters.add(name);
    }
    const result: ParseResult = { targets: files.length > 1 ? joinSharedGroups(targets) : targets, annotations, diagnostics };
    if (Object.keys(options?.params ?? {}).length > 0) result.declaredParameters = [...declaredParameters].sort();
    return result;
  },
};

/** One template; never throws on bad input. */
export function parseTemplate(file: SourceFile, params: Record<string, string>, paramOrigins?: Record<string, string>): ParseResult {
  if (file.text.length > MAX_TEMPLATE_CHARS) {
    return {
      targets: [],
      annotations: [],
      diagnostics: [errorDiagnostic('parse/cfn-too-large', file.path, `template is larger than ${MAX_TEMPLATE_CHARS} characters; not read`)],
    };
  }
  const read = isJsonTemplate(file.path, file.text) ? readJsonTemplate(file.text, file.path) : readYamlTemplate(file.text, file.path);
  const diagnostics = [...read.diagnostics];
  if (read.root?.kind !== 'map') {
    // A reader that already said why it has nothing (too deep, say) needs no second error.
    if (!read.root && diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { targets: [], annotations: read.annotations, diagnostics };
    diagnostics.push(errorDiagnostic('parse/cfn-not-a-template', file.path, 'the template is not a mapping of sections (AWSTemplateFormatVersion, Resources, …)',
      read.root?.range ?? { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }));
    return { targets: [], annotations: read.annotations, diagnostics };
  }
  const { targets, template } = templateToTargets(read.root, file.path, params, paramOrigins);
  return { targets, annotations: read.annotations, diagnostics: [...diagnostics, ...template.diagnostics], declaredParameters: template.parameterNames };
}
