import * as path from 'node:path';
import { warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceFile } from '../../model/source-file';
import { isTerraformJson } from './root-groups';

/** Declarations named in the warning before "and N more". */
const MAX_NAMED = 8;

/**
 * One warning per folder holding `.tf.json` files (Terraform's JSON syntax, which fwlint does not read): the files
 * and what they declare, so that a generated configuration (CDKTF's `cdk.tf.json`) is not taken as checked.
 */
export function terraformJsonNotRead(files: readonly SourceFile[]): Diagnostic[] {
  const byFolder = new Map<string, SourceFile[]>();
  for (const file of files) {
    if (!isTerraformJson(file.path)) continue;
    const folder = path.dirname(file.absolutePath);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const [folder, jsonFiles] of byFolder) {
    const described = jsonFiles.map((file) => `${path.posix.basename(file.path)} (${describeDeclarations(file.text)})`).join(', ');
    const hasHcl = files.some((file) => !isTerraformJson(file.path) && path.dirname(file.absolutePath) === folder);
    const its = jsonFiles.length === 1 ? 'its' : 'their';
    const consequence = hasHcl ? `${its} declarations were not checked, and anything the folder's .tf files take from them is unresolved` : `${its} declarations were not checked`;
    diagnostics.push(warningDiagnostic('parse/terraform-json-not-read', jsonFiles[0]!.path, `Terraform JSON syntax is not read: ${described}; ${consequence}`));
  }
  return diagnostics;
}

/** `resource aws_security_group.web, variable admin_cidr, …` from a `.tf.json` file's top-level blocks. */
function describeDeclarations(text: string): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (!isObject(data)) return 'no Terraform blocks';
  const names: string[] = [];
  for (const [blockType, body] of Object.entries(data)) {
    for (const entry of blockBodies(body)) {
      for (const [first, inner] of Object.entries(entry)) {
        if (blockType === 'resource' || blockType === 'data') {
          for (const innerEntry of blockBodies(inner)) for (const name of Object.keys(innerEntry)) names.push(`${blockType} ${first}.${name}`);
        } else if (['variable', 'module', 'output', 'locals', 'provider'].includes(blockType)) {
          names.push(`${blockType === 'locals' ? 'local' : blockType} ${first}`);
        }
      }
    }
  }
  if (names.length === 0) return 'no resources, variables, locals or modules';
  return names.length > MAX_NAMED ? `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} more` : names.join(', ');
}

/** A block's body in Terraform JSON: an object, or an array of objects (each a part of it). */
function blockBodies(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
