import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../../model/location';
import type { Annotation, SourceFile } from '../../model/source-file';
import type { InstalledModule, RootModule } from '../../model/target';
import type { Attribute, Block } from '../terraform/hcl';
import { parseTerraformConfiguration, terraformAnnotations } from '../terraform/json-syntax';
import { relativeTo } from '../terraform/module';
import type { ModuleFile } from '../terraform/module';
import { isLocalSource, readModulesManifest, resolveModuleSource, type ModulesManifest } from '../terraform/module-tree';
import { movesOf, type AddressMove } from '../terraform/moved-blocks';
import { mergeOverrideFiles, writtenIn } from '../terraform/override-files';
import { isTerraformConfiguration, isTerraformFileName, PLAN_DETECTION_HEAD, withoutTofuAlternatives } from '../terraform/root-groups';
import { moduleCallPath, type ConfigModule } from './plan-document';

/**
 * A `resource "<type>" "<name>"` block found in the configuration on disk, with the module's override files merged
 * in as Terraform merges them: the block is the original's, in its own file; an argument or nested block an override
 * file writes is written there (`partOf`).
 */
export interface ConfigurationBlock {
  /** Display path of the `.tf` file (relative to cwd, `/` separators). */
  file: string;
  text: string;
  block: Block;
  /** The `.tf` file itself, which `writtenIn` tells merged parts from. */
  source: SourceFile;
}

/** The file a part of a found block (an argument, a nested block) is written in: an override file, or the block's. */
export function partOf(found: ConfigurationBlock, part: Attribute | Block): { file: string; text: string } {
  const file = writtenIn(part, found.source);
  return file === found.source ? { file: found.file, text: found.text } : { file: file.path, text: file.text };
}

/** A module folder's `.tf` files as read: its `resource` blocks by `<type>.<name>`, and the files themselves. */
interface ConfigurationFolder {
  blocks: Map<string, ConfigurationBlock>;
  files: ModuleFile[];
  /** Their `fwlint:` comments, kept once a resource is looked for in the folder. */
  annotations: Annotation[];
  isAnnotating: boolean;
}

/**
 * Plan JSON has no source positions (formats.md §2.5). This finds where a planned resource is written: the plan
 * file's folder is the root module; a child module's folder comes from the `configuration` module call sources
 * (local paths relative to the calling module) or `.terraform/modules/modules.json`; the resource is the
 * `resource "<type>" "<name>"` block in that folder's `.tf` files. The `fwlint:` comments of every `.tf` file read
 * are kept (`annotations`), so in-source suppressions and profiles apply to plan findings located in those files
 * exactly as they do to the HCL path's. Their `moved` blocks give planned resources their former addresses, as in
 * the HCL path (the JSON `configuration` omits them).
 */
export class ConfigurationSource {
  private readonly rootDirectory: string;
  private readonly manifest: ModulesManifest | undefined;
  private readonly folders = new Map<string, ConfigurationFolder>();
  private readonly movesByModule = new Map<string, AddressMove[]>();
  /** `fwlint:` annotations of the `.tf` files read so far, in reading order. */
  readonly annotations: Annotation[] = [];

  constructor(private readonly planFile: SourceFile) {
    this.rootDirectory = path.dirname(planFile.absolutePath);
    this.manifest = readModulesManifest(this.rootDirectory);
  }

  find(callPath: readonly string[], type: string, name: string, configuration: ConfigModule | undefined): ConfigurationBlock | undefined {
    const directories = this.moduleDirectories(callPath, configuration);
    if (directories.length !== callPath.length + 1) return undefined;
    const folder = this.folderOf(directories[callPath.length]!);
    this.keepAnnotations(folder);
    return folder.blocks.get(`${type}.${name}`);
  }

  /**
   * The `moved` blocks of the root module and of each module instance on the way to `moduleAddress`
   * (`module.net["a"].module.sg`), their addresses made absolute; empty where the folders are not on disk.
   */
  moves(moduleAddress: string, configuration: ConfigModule | undefined): AddressMove[] {
    const cached = this.movesByModule.get(moduleAddress);
    if (cached) return cached;
    const callPath: string[] = [];
    const instances: string[] = [];
    for (let rest = moduleAddress, address = ''; rest.length > 0; ) {
      const step = /^\.?(module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)/.exec(rest);
      if (!step) break;
      address = address ? `${address}.${step[1]}` : step[1]!;
      callPath.push(step[2]!);
      instances.push(address);
      rest = rest.slice(step[0].length);
    }
    const directories = this.moduleDirectories(callPath, configuration);
    const moves = directories.flatMap((directory, depth) => movesOf(this.folderOf(directory).files, depth === 0 ? '' : instances[depth - 1]!));
    this.movesByModule.set(moduleAddress, moves);
    return moves;
  }

  /**
   * Where the module instance at `moduleAddress` is called from the scanned sources when `terraform init` installed it
   * (or a module calling it) under `.terraform/modules/`, as the HCL path records it: the innermost `module` block
   * outside the installed folders, whose `fwlint:` comments then apply (`Target.installedModule`). Undefined for
   * the root, local modules, and where a folder or the `module` block is not on disk.
   */
  installedModule(moduleAddress: string, configuration: ConfigModule | undefined): InstalledModule | undefined {
    const callPath = moduleCallPath(moduleAddress) ?? [];
    const directories = this.moduleDirectories(callPath, configuration);
    if (callPath.length === 0 || directories.length !== callPath.length + 1) return undefined;
    let installed: InstalledModule | undefined;
    let module = configuration;
    for (let depth = 0; depth < callPath.length; depth++) {
      const call = module?.calls.get(callPath[depth]!);
      module = call?.module;
      // A local call of an installed module is installed with it, even outside its folder (`source = "../../"`).
      if (isLocalSource(call?.source ?? '') && installed === undefined) continue;
      const folder = relativeTo(this.planFile, directories[depth + 1]!);
      if (installed) {
        installed = { call: installed.call, folders: [...installed.folders, folder] };
        continue;
      }
      const header = this.moduleCallHeader(directories[depth]!, callPath[depth]!);
      if (!header) return undefined;
      installed = { call: header, folders: [folder] };
    }
    return installed;
  }

  /**
   * The root module (the plan file's folder) and its `module` block that leads to the module instance at
   * `moduleAddress` (its header), as the HCL path records them (`Target.rootModule`): findings then show where the
   * module is used. Undefined for the root's own resources, and where that block is not on disk (a plan copied away
   * from its configuration: the plan's `configuration` has the call but not where it is written).
   */
  rootModule(moduleAddress: string): RootModule | undefined {
    const name = moduleCallPath(moduleAddress)?.[0];
    const call = name === undefined ? undefined : this.moduleCallHeader(this.rootDirectory, name);
    return call && { folder: relativeTo(this.planFile, this.rootDirectory), call };
  }

  /**
   * The folder of the module at `callPath` (the root for `[]`) and its `.tf` files as read, to evaluate what they
   * write; undefined where the folder is not on disk.
   */
  moduleFolder(callPath: readonly string[], configuration: ConfigModule | undefined): { directory: string; files: readonly ModuleFile[] } | undefined {
    const directories = this.moduleDirectories(callPath, configuration);
    if (directories.length !== callPath.length + 1) return undefined;
    const directory = directories[callPath.length]!;
    return { directory, files: this.folderOf(directory).files };
  }

  /** The header of the `module "<name>"` block in a folder (`module "name"`); its folder's comments are kept. */
  private moduleCallHeader(directory: string, name: string): SourceLocation | undefined {
    const folder = this.folderOf(directory);
    for (const { file, blocks } of folder.files) {
      const block = blocks.find((candidate) => candidate.type === 'module' && candidate.labels[0] === name);
      if (!block) continue;
      this.keepAnnotations(folder);
      const end = block.labelRanges[0] ?? block.typeRange;
      return { file: file.path, range: { ...block.range, endLine: end.endLine, endColumn: end.endColumn } };
    }
    return undefined;
  }

  private keepAnnotations(folder: ConfigurationFolder): void {
    if (folder.isAnnotating) return;
    folder.isAnnotating = true;
    this.annotations.push(...folder.annotations);
  }

  /** The root module's folder, then the folder of each call of `callPath` in turn, as far as they are found. */
  private moduleDirectories(callPath: readonly string[], configuration: ConfigModule | undefined): string[] {
    const directories = [this.rootDirectory];
    let module = configuration;
    for (let depth = 0; depth < callPath.length; depth++) {
      const call = module?.calls.get(callPath[depth]!);
      module = call?.module;
      const located = resolveModuleSource(directories[depth]!, call?.source ?? '', callPath.slice(0, depth + 1), this.manifest);
      if ('problem' in located) break;
      directories.push(located.directory);
    }
    return directories;
  }

  private folderOf(directory: string): ConfigurationFolder {
    const cached = this.folders.get(directory);
    if (cached) return cached;
    const folder: ConfigurationFolder = { blocks: new Map(), files: [], annotations: [], isAnnotating: false };
    const blocks = folder.blocks;
    this.folders.set(directory, folder);
    let names: string[];
    try {
      names = fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isFile() && isTerraformFileName(entry.name))
        .map((entry) => entry.name)
        .sort();
      names = withoutTofuAlternatives(names, (name) => name);
    } catch {
      return folder;
    }
    for (const name of names) {
      const absolutePath = path.join(directory, name);
      let text: string;
      try {
        text = fs.readFileSync(absolutePath, 'utf8');
      } catch {
        continue;
      }
      // A plan saved as `*.tf.json` (this one, say) is no configuration.
      if (!isTerraformConfiguration(name, text.slice(0, PLAN_DETECTION_HEAD))) continue;
      const file = relativeTo(this.planFile, absolutePath);
      const parsed = parseTerraformConfiguration(text, file);
      folder.annotations.push(...terraformAnnotations(text, file, parsed));
      folder.files.push({ file: { path: file, absolutePath, text, encoding: 'utf-8' }, blocks: parsed.body?.blocks ?? [] });
    }
    // A resource an override file changes is the original block with its parts merged in, not the override block: its
    // place, its comments and the arguments only the original writes are the original's. (Problems of the merge are
    // the HCL path's to report.)
    for (const { file: source, blocks: fileBlocks } of mergeOverrideFiles(folder.files).files) {
      for (const block of fileBlocks) {
        if (block.type !== 'resource' || block.labels.length !== 2) continue;
        const key = `${block.labels[0]}.${block.labels[1]}`;
        if (!blocks.has(key)) blocks.set(key, { file: source.path, text: source.text, block, source });
      }
    }
    return folder;
  }
}
