import * as path from 'node:path';
import type { FormatParser, SourceFile } from '../../model/source-file';
import { isTerraformPlan } from '../terraform-plan/detect';

/** How much of a file's start tells a plan from a configuration, as discovery sniffs it (formats.md §2: 4 KiB). */
export const PLAN_DETECTION_HEAD = 4096;

/**
 * A Terraform configuration file: `.tf`, and `.tf.json` (Terraform's JSON syntax), and OpenTofu's `.tofu` and
 * `.tofu.json`; a plan saved under such a name stays a plan.
 */
export function isTerraformConfiguration(file: string, head: string): boolean {
  return isTerraformFileName(file) && !(isTerraformJson(file) && isTerraformPlan(file, head));
}

/** A name a Terraform or OpenTofu configuration file has (`isTerraformConfiguration` also tells a plan apart). */
export function isTerraformFileName(file: string): boolean {
  return file.endsWith('.tf') || file.endsWith('.tofu') || isTerraformJson(file);
}

/** Whether a Terraform configuration file is in JSON syntax (`isTerraformConfiguration`). */
export function isTerraformJson(file: string): boolean {
  return file.endsWith('.tf.json') || file.endsWith('.tofu.json');
}

/**
 * Whether a configuration file is an override file: `override.tf` or `*_override.tf`, and their `.tf.json`, `.tofu`
 * and `.tofu.json` forms (Terraform's and OpenTofu's "Override Files"), merged into the module's blocks
 * (`mergeOverrideFiles`) rather than declaring blocks of their own.
 */
export function isOverrideFile(file: string): boolean {
  const stem = path.posix.basename(file.split('\\').join('/')).replace(/\.(?:tf|tofu)(?:\.json)?$/, '');
  return stem === 'override' || stem.endsWith('_override');
}

/**
 * A folder's configuration files as OpenTofu loads them: `x.tf` is left out where `x.tofu` is beside it, and
 * `x.tf.json` where `x.tofu.json` is (OpenTofu's "Extension Precedence", `filterTfPathsWithTofuAlternatives`), so a
 * module written for both is read once, as OpenTofu reads it. `files` are of one folder.
 */
export function withoutTofuAlternatives<T>(files: T[], pathOf: (file: T) => string): T[] {
  const paths = new Set(files.map(pathOf));
  // Almost no folder has a `.tofu` file: the list is returned as it is then.
  if (![...paths].some((file) => file.endsWith('.tofu') || file.endsWith('.tofu.json'))) return files;
  return files.filter((file) => {
    const name = pathOf(file);
    const tofu = name.endsWith('.tf') ? `${name.slice(0, -'.tf'.length)}.tofu` : name.endsWith('.tf.json') ? `${name.slice(0, -'.tf.json'.length)}.tofu.json` : undefined;
    return tofu === undefined || !paths.has(tofu);
  });
}

/**
 * How many of `paths` OpenTofu leaves out (`x.tf` beside `x.tofu`, see `withoutTofuAlternatives`): files found but
 * not read, which the scan's file count leaves out too.
 */
export function tofuAlternativesLeftOut(paths: readonly string[]): number {
  if (!paths.some((file) => file.endsWith('.tofu') || file.endsWith('.tofu.json'))) return 0;
  const byFolder = new Map<string, string[]>();
  for (const file of paths) {
    if (!isTerraformFileName(file)) continue;
    const folder = path.posix.dirname(file);
    const list = byFolder.get(folder);
    if (list) list.push(file);
    else byFolder.set(folder, [file]);
  }
  let leftOut = 0;
  for (const files of byFolder.values()) leftOut += files.length - withoutTofuAlternatives(files, (file) => file).length;
  return leftOut;
}

/** Scanned folders linked by local module calls, and which of them are read as root modules. */
export interface TerraformRootGroup {
  /** Every `.tf` and `.tf.json` file of the group's folders, folders in sorted order. */
  files: SourceFile[];
  /**
   * The folders read as root modules, sorted, with their files; a folder whose files declare something twice is no
   * module (`hasDuplicateDeclarations`): each of its files is a root of its own (`isSingleFile`).
   */
  roots: TerraformRoot[];
}

export interface TerraformRoot {
  directory: string;
  files: SourceFile[];
  /** One file of a folder of separate examples, read alone: reports name the root by the file, not the folder. */
  isSingleFile?: true;
}

/**
 * Splits the scanned `.tf` files into groups of folders connected by local module calls (`source = "./x"`,
 * `"../x"`), in the order of their first folder. Groups are independent: the pipeline may parse each group in its
 * own worker, with the same result as one call over all files.
 *
 * Within a group, a folder that another scanned folder reaches through local module calls, and that does not reach
 * that folder back (a cycle keeps both), is a module of the scan, not a root: reading it as a root would report its
 * variables without defaults as unresolved (FW303), its targets twice (once with, once without the module
 * prefix), and its registry calls as not analysed. The calls are found by text (`module "…" {` blocks and their
 * `source` string) rather than by a full parse, so that splitting stays cheap.
 */
export function terraformRootGroups(files: SourceFile[]): TerraformRootGroup[] {
  const byDirectory = new Map<string, SourceFile[]>();
  for (const file of files) {
    const directory = path.dirname(file.absolutePath);
    const list = byDirectory.get(directory);
    if (list) list.push(file);
    else byDirectory.set(directory, [file]);
  }
  for (const [directory, list] of byDirectory) byDirectory.set(directory, withoutTofuAlternatives(list, (file) => file.absolutePath));
  const directories = [...byDirectory.keys()].sort();
  const calls = new Map<string, string[]>();
  for (const directory of directories) {
    const called = new Set<string>();
    for (const file of byDirectory.get(directory)!) {
      for (const source of isTerraformJson(file.path) ? jsonModuleSources(file.text) : localModuleSources(file.text)) {
        const target = path.resolve(directory, source);
        if (target !== directory && byDirectory.has(target)) called.add(target);
      }
    }
    calls.set(directory, [...called].sort());
  }
  // Connected components (calls taken in both directions), by union-find over the sorted folders.
  const parent = new Map(directories.map((directory) => [directory, directory]));
  const find = (directory: string): string => {
    let current = directory;
    while (parent.get(current) !== current) current = parent.get(current)!;
    parent.set(directory, current);
    return current;
  };
  for (const [directory, called] of calls) {
    for (const target of called) {
      const [a, b] = [find(directory), find(target)].sort();
      if (a !== b) parent.set(b!, a!);
    }
  }
  const components = new Map<string, string[]>();
  for (const directory of directories) {
    const key = find(directory);
    components.set(key, [...(components.get(key) ?? []), directory]);
  }
  const reachable = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(calls.get(start) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(calls.get(next) ?? []));
    }
    return seen;
  };
  const groups: TerraformRootGroup[] = [];
  for (const members of [...components.values()].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0))) {
    const reach = new Map(members.map((directory) => [directory, reachable(directory)]));
    const isModule = (directory: string): boolean => members.some((other) => other !== directory && reach.get(other)!.has(directory) && !reach.get(directory)!.has(other));
    groups.push({
      files: members.flatMap((directory) => byDirectory.get(directory)!),
      roots: members.filter((directory) => !isModule(directory)).flatMap((directory) => rootsOfFolder(directory, byDirectory.get(directory)!)),
    });
  }
  return groups;
}

/**
 * A root folder's root modules: the folder, or each of its files where they declare something twice (Terraform
 * rejects such a folder; read as one module, the last declaration would silently replace the others).
 */
function rootsOfFolder(directory: string, files: SourceFile[]): TerraformRoot[] {
  if (files.length < 2 || !hasDuplicateDeclarations(files)) return [{ directory, files }];
  return files.map((file) => ({ directory, files: [file], isSingleFile: true }));
}

const MODULE_BLOCK = /^[ \t]*module[ \t]+"[^"\n]*"[ \t]*\{/gm;
const SOURCE_ARGUMENT = /^[ \t]*source[ \t]*=[ \t]*"([^"\n]*)"/m;
const BLOCK_END = /^\}/m;

/** A local path (`./x`, `../x`): the module's files are the caller's neighbours, not installed by `terraform init`. */
export function isLocalSource(source: string): boolean {
  return /^\.\.?[\\/]/.test(source) || source === '.' || source === '..';
}

/** The local `source` paths of a file's top-level `module` blocks (`./x`, `../x`, `.`, `..`), found by text. */
function localModuleSources(text: string): string[] {
  const sources: string[] = [];
  // Most files call no module: a plain substring search rules that out far faster than the multiline regex, which
  // tries a match at every line of the file.
  if (!text.includes('module')) return sources;
  MODULE_BLOCK.lastIndex = 0;
  for (let match = MODULE_BLOCK.exec(text); match; match = MODULE_BLOCK.exec(text)) {
    const rest = text.slice(match.index + match[0].length);
    const end = BLOCK_END.exec(rest);
    const body = end ? rest.slice(0, end.index) : rest;
    const source = SOURCE_ARGUMENT.exec(body)?.[1];
    if (source !== undefined && isLocalSource(source)) sources.push(source);
  }
  return sources;
}

/** The local `source` paths of the `module` blocks of a file in JSON syntax (nothing when it is not valid JSON). */
function jsonModuleSources(text: string): string[] {
  return jsonDeclarations(text)
    .filter((declaration) => declaration.type === 'module' && typeof declaration.body.source === 'string' && isLocalSource(declaration.body.source))
    .map((declaration) => declaration.body.source as string);
}

/**
 * The top-level blocks of a file in JSON syntax (`{"resource": {"aws_security_group": {"web": {…}}}}`), each with the
 * key that would declare it twice (`resource.aws_security_group.web`); a label level or a body may also be an array of
 * objects. Nothing for a file that is not valid JSON: its parse reports that.
 */
function jsonDeclarations(text: string): Array<{ type: string; key: string; body: Record<string, unknown> }> {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return [];
  }
  const declarations: Array<{ type: string; key: string; body: Record<string, unknown> }> = [];
  const labelCounts: Record<string, number> = { resource: 2, data: 2, variable: 1, output: 1, module: 1 };
  const walk = (type: string, value: unknown, labels: string[]): void => {
    for (const object of jsonObjects(value)) {
      if (labels.length === labelCounts[type]) declarations.push({ type, key: [type, ...labels].join('.'), body: object });
      else for (const [label, inner] of Object.entries(object)) if (label !== '//') walk(type, inner, [...labels, label]);
    }
  };
  for (const object of jsonObjects(data)) {
    for (const [type, value] of Object.entries(object)) if (labelCounts[type] !== undefined) walk(type, value, []);
  }
  return declarations;
}

/** An object, or the objects of an array: how Terraform's JSON syntax writes one or several of a thing. */
function jsonObjects(value: unknown): Array<Record<string, unknown>> {
  const isObject = (item: unknown): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item);
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

const DECLARATION = /^(?:(resource|data)[ \t]+"([^"\n]*)"[ \t]+"([^"\n]*)"|(variable|output|module)[ \t]+"([^"\n]*)")[ \t]*\{/gm;

/**
 * Whether the files declare a resource, data source, variable, output or module call twice (top-level blocks, found
 * by text; override files aside): Terraform rejects such a folder as one module ("Duplicate resource configuration"), so its files are
 * separate examples, not parts of a module (fwlint's own fixture folders are such collections).
 */
function hasDuplicateDeclarations(files: readonly SourceFile[]): boolean {
  const declared = new Set<string>();
  for (const file of files) {
    // An override file redeclares what it changes: Terraform merges it into the module (`mergeOverrideFiles`).
    if (isOverrideFile(file.path)) continue;
    if (isTerraformJson(file.path)) {
      for (const { key } of jsonDeclarations(file.text)) {
        if (declared.has(key)) return true;
        declared.add(key);
      }
      continue;
    }
    DECLARATION.lastIndex = 0;
    for (let match = DECLARATION.exec(file.text); match; match = DECLARATION.exec(file.text)) {
      const key = match[1] !== undefined ? `${match[1]}.${match[2]}.${match[3]}` : `${match[4]}.${match[5]}`;
      if (declared.has(key)) return true;
      declared.add(key);
    }
  }
  return false;
}

/**
 * A Terraform module is its folder's `.tf`, `.tf.json`, `.tofu` and `.tofu.json` files (`FormatParser.readsWithFolder`),
 * unless they declare something twice.
 */
export const TERRAFORM_FOLDER: Pick<FormatParser, 'readsWithFolder' | 'formsOneUnit'> = {
  readsWithFolder: isTerraformFileName,
  formsOneUnit: (folderFiles) => !hasDuplicateDeclarations(folderFiles),
};
