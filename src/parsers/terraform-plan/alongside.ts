import * as path from 'node:path';
import { textWithPaths, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { FormatParser, SourceFile } from '../../model/source-file';

/**
 * A warning for each scanned Terraform plan whose folder's `.tf` files are scanned too: the plan maps its findings to
 * those files (formats.md §2.5), so the same targets and findings would be reported twice, once per path. Takes the
 * files each parser will read (the scan's inputs, before parsing).
 */
export function planAlongsideConfiguration(byParser: ReadonlyMap<FormatParser, readonly SourceFile[]>): Diagnostic[] {
  let plans: readonly SourceFile[] = [];
  let configurations: readonly SourceFile[] = [];
  for (const [parser, files] of byParser) {
    if (parser.kind === 'terraform-plan') plans = files;
    else if (parser.kind === 'terraform-hcl') configurations = files;
  }
  if (plans.length === 0 || configurations.length === 0) return [];
  const configurationFolders = new Map<string, string>();
  for (const file of configurations) {
    const folder = path.dirname(file.absolutePath);
    if (!configurationFolders.has(folder)) configurationFolders.set(folder, file.path);
  }
  const diagnostics: Diagnostic[] = [];
  for (const plan of plans) {
    const tf = configurationFolders.get(path.dirname(plan.absolutePath));
    if (tf === undefined) continue;
    const { message, messagePaths } = textWithPaths`this plan and the configuration it was made from (${tf} and the other .tf files of its folder) are both scanned: their targets and findings are reported twice; scan one or the other`;
    diagnostics.push({
      ...warningDiagnostic('scan/terraform-plan-and-configuration', plan.path, message, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }),
      messagePaths,
    });
  }
  return diagnostics;
}
