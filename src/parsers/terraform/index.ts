import type { Diagnostic } from '../../model/diagnostic';
import type { Annotation, FormatParser, ParseOptions, ParseResult, SourceFile } from '../../model/source-file';
import { nameGcpNetworks } from './gcp-networks';
import { hclResourceInstances } from './hcl-resources';
import type { SourceLocation } from '../../model/location';
import type { InstalledModule, Target } from '../../model/target';
import { relativeTo, type ModuleSource } from './module';
import { ModuleInstance, readModulesManifest, type ModuleTreeContext } from './module-tree';
import { formerAddresses, movesOf, type AddressMove } from './moved-blocks';
import { targetsFromResources } from './resources';
import { isTerraformConfiguration, TERRAFORM_FOLDER, terraformRootGroups } from './root-groups';

export { terraformRootGroups, type TerraformRootGroup } from './root-groups';

/**
 * Terraform configurations: every `.tf` file and every `.tf.json` file (JSON syntax, read into the same AST); the
 * files of one folder are read together as one root module. Local module
 * calls are followed into their folders (read from disk), registry and git modules where `terraform init` put them;
 * their targets carry module-prefixed addresses (`module.net.aws_security_group.web`). A scanned folder that another
 * scanned folder calls as a local module (directly or through other scanned folders) is read only as that module,
 * not also as a root of its own (see `terraformRootGroups`).
 */
export const terraformParser: FormatParser = {
  kind: 'terraform-hcl',
  detect: isTerraformConfiguration,
  ...TERRAFORM_FOLDER,
  parse(files: SourceFile[], options: ParseOptions): ParseResult {
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    const sources = new Map<string, ModuleSource | null>();
    for (const group of terraformRootGroups(files)) {
      for (const { directory, files: rootFiles, isSingleFile } of group.roots) {
        const context: ModuleTreeContext = { rootDirectory: directory, sample: rootFiles[0]!, manifest: readModulesManifest(directory), sources, diagnostics: [], instanceCount: 0, dataFileCache: new Map() };
        const root = ModuleInstance.root(context, directory, rootFiles, options);
        const instances = root.allInstances();
        const diagnostics: Diagnostic[] = [...root.module.diagnostics];
        const resources = instances.flatMap(hclResourceInstances);
        nameGcpNetworks(instances, resources);
        const targets = targetsFromResources(resources, diagnostics);
        recordRootModule(targets, isSingleFile ? rootFiles[0]!.path : relativeTo(rootFiles[0], directory), root.callSites());
        recordInstalledModules(targets, instances);
        const moves = instances.flatMap((instance) => movesOf(instance.module.files, instance.address));
        if (moves.length > 0) recordFormerIds(targets, moves);
        result.targets.push(...targets);
        result.diagnostics.push(...diagnostics, ...context.diagnostics);
        for (const instance of instances) {
          markNotFollowedCalls(instance.module.annotations, instance.notFollowedCallSites());
          result.annotations.push(...instance.module.annotations);
        }
        // Which `--var` names this root declares: a name no scanned root declares is reported once, after parsing.
        for (const name of Object.keys(options.vars)) {
          if (root.module.vars.has(name)) (result.cliVarsUsed ??= []).push(name);
        }
      }
    }
    if (result.cliVarsUsed) result.cliVarsUsed = [...new Set(result.cliVarsUsed)].sort();
    result.annotations = unique(result.annotations, (annotation) => `${annotation.file}:${annotation.range.startLine}:${annotation.range.startColumn}:${annotation.directive}`);
    result.diagnostics = unique(result.diagnostics, (diagnostic) => JSON.stringify([diagnostic.file, diagnostic.code, diagnostic.range, diagnostic.message]));
    return result;
  },
};

/** Marks the comments written at a `module` block fwlint could not follow, so that their warning says why they apply to nothing. */
function markNotFollowedCalls(annotations: readonly Annotation[], sites: readonly SourceLocation[]): void {
  if (sites.length === 0) return;
  for (const annotation of annotations) {
    const call = annotation.moduleCall;
    if (call && sites.some((site) => site.file === annotation.file && site.range.startLine === call.line)) call.isNotFollowed = true;
  }
}

/**
 * Marks the targets of module instances with the root module they belong to (its folder, and its `module` block that
 * leads to them): the same module called by two roots gives both the same address and file.
 */
function recordRootModule(targets: Target[], folder: string, calls: ReadonlyMap<string, SourceLocation>): void {
  for (const target of targets) {
    const callName = /^module\.([^.[]+)/.exec(target.id)?.[1];
    const call = callName === undefined ? undefined : calls.get(callName);
    if (call) target.rootModule = { folder, call };
  }
}

/** Marks the targets of module instances `terraform init` installed with where their module is called. */
function recordInstalledModules(targets: Target[], instances: readonly ModuleInstance[]): void {
  const installedByAddress = new Map<string, InstalledModule>();
  for (const instance of instances) if (instance.installed) installedByAddress.set(instance.address, instance.installed);
  if (installedByAddress.size === 0) return;
  for (const target of targets) {
    // The module instance is the address up to the resource (or reference) part: `module.a["k"].module.b`.
    const moduleAddress = /^(?:module\.[^.[]+(?:\[[^\]]*\])?\.)*/.exec(target.id)![0].slice(0, -1);
    const installed = installedByAddress.get(moduleAddress);
    if (installed) target.installedModule = installed;
  }
}

/** Gives each target the addresses the root's `moved` blocks say it had before. */
function recordFormerIds(targets: Target[], moves: readonly AddressMove[]): void {
  for (const target of targets) {
    const formerIds = formerAddresses(target.id, moves);
    if (formerIds.length > 0) target.formerIds = formerIds;
  }
}

/**
 * A module's files are parsed once but instantiated per call and per count/for_each key, and a module folder is
 * read by every root that calls it: report each annotation and diagnostic once.
 */
function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const identity = key(item);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}
