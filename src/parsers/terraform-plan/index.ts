import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { FormatParser, ParseResult, SourceFile } from '../../model/source-file';
import { targetsFromResources } from '../terraform/resources';
import { ConfigurationSource } from './configuration-source';
import { readPlanDocument } from './plan-document';
import { planResourceInstances } from './plan-resources';

import { isTerraformPlan } from './detect';

/**
 * Terraform plan JSON (`terraform show -json plan.out`, formats.md §2), and the state JSON of `terraform show
 * -json` as a fallback. Detected by content: a `.json` file with `format_version` and plan keys in its first 4 KiB.
 * Rules are built by the same layer as the HCL path (`terraform/resources.ts`).
 */
export const terraformPlanParser: FormatParser = {
  kind: 'terraform-plan',
  detect: isTerraformPlan,
  parse(files: SourceFile[]): ParseResult {
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    for (const file of files) {
      const diagnostics: Diagnostic[] = [];
      let data: unknown;
      try {
        data = JSON.parse(file.text.replace(/^\uFEFF/, ''));
      } catch (error) {
        result.diagnostics.push(errorDiagnostic('parse/plan-json', file.path, `invalid JSON: ${(error as Error).message}`, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }));
        continue;
      }
      const plan = readPlanDocument(data);
      if ('code' in plan) {
        result.diagnostics.push(errorDiagnostic(plan.code, file.path, plan.message, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }));
        continue;
      }
      const source = new ConfigurationSource(file);
      result.targets.push(...targetsFromResources(planResourceInstances(plan, file, source), diagnostics));
      result.diagnostics.push(...diagnostics);
      // The `fwlint:ignore` / `fwlint:profile` comments of the .tf files the findings are mapped to (formats.md §2.5).
      result.annotations.push(...source.annotations);
    }
    // Two plans of one configuration read the same .tf files: report each annotation once.
    const seen = new Set<string>();
    result.annotations = result.annotations.filter((annotation) => {
      const identity = `${annotation.file}:${annotation.range.startLine}:${annotation.range.startColumn}:${annotation.directive}`;
      if (seen.has(identity)) return false;
      seen.add(identity);
      return true;
    });
    return result;
  },
};
