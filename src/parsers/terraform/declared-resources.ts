import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTerraformConfiguration } from './json-syntax';
import { isTerraformConfiguration, PLAN_DETECTION_HEAD } from './root-groups';

/**
 * The names of the `resource "<type>" "<name>"` blocks a module folder declares, whatever their `count` or
 * `for_each` (a block that makes no instance still takes its name: Terraform rejects a second block of that name).
 * Every configuration file of the folder is read, override files and both syntaxes included; an unreadable file or
 * folder adds nothing. Sorted.
 */
export function declaredResourceNames(directory: string, type: string): string[] {
  let files: string[];
  try {
    files = fs.readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(directory, file), 'utf8');
    } catch {
      continue;
    }
    if (!isTerraformConfiguration(file, text.slice(0, PLAN_DETECTION_HEAD))) continue;
    for (const block of parseTerraformConfiguration(text, file).body?.blocks ?? []) {
      if (block.type === 'resource' && block.labels[0] === type && block.labels[1] !== undefined) names.add(block.labels[1]);
    }
  }
  return [...names].sort();
}
