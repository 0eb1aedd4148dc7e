import * as fs from 'node:fs';
import * as path from 'node:path';
import { warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceLocation } from '../../model/location';
import type { UnknownValue } from '../../model/rule';
import type { InstalledModule } from '../../model/target';
import type { ParseOptions, SourceFile } from '../../model/source-file';
import { dataFiles, type DataFileCache } from './data-files';
import { evaluate, listValue, markSensitive, objectValue, valuesEqual, type Block, type Definition, type Reference, type ReferenceStep, type Scope, type Value } from './hcl';
import {
  bindModule,
  instanceScope,
  lazyInputs,
  loadModule,
  parseModuleSource,
  relativeTo,
  variableDefaults,
  type LoadedModule,
  type ModuleFile,
  type ModuleInput,
  type ModuleSource,
} from './module';
import { ownProviderConfigs, passedProviderConfigs, type ProviderConfigs } from './providers';
import { byKey, conditionalCount, repetitionsPerSide } from './hcl-resources';
import { scopeWrittenIn, writtenIn } from './override-files';
import { collectionEntries, instanceKeySuffix, knownCollectionEntries } from './resource-expansion';
import { unknownText } from './to-model';
import { isLocalSource, isTerraformConfiguration, isTerraformFileName, PLAN_DETECTION_HEAD, withoutTofuAlternatives } from './root-groups';

export { isLocalSource };

/** Nesting limit for module calls: deeper trees are reported, not followed (Terraform itself has no limit). */
export const MAX_MODULE_DEPTH = 16;
/** Module instances per root module, across every level: a guard against `count = 100000` on a module. */
export const MAX_MODULE_INSTANCES = 1000;
/** Arguments of a `module` block that are not inputs of the child module. */
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Where a module call's source is on disk, or why it is not there. */
export type ModuleLocation = { directory: string } | { problem: string };

/** The modules `terraform init` installed, from `.terraform/modules/modules.json`: call key (`net.sg`) → folder. */
export type ModulesManifest = ReadonlyMap<string, string>;

/** Reads `<root>/.terraform/modules/modules.json` (fields `Key`, `Source`, `Dir`, Dir relative to the root); undefined when absent or unreadable. */
export function readModulesManifest(rootDirectory: string): ModulesManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(rootDirectory, '.terraform', 'modules', 'modules.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as { Modules?: Array<{ Key?: unknown; Dir?: unknown }> };
    const manifest = new Map<string, string>();
    for (const entry of Array.isArray(data.Modules) ? data.Modules : []) {
      if (typeof entry?.Key === 'string' && typeof entry.Dir === 'string') manifest.set(entry.Key, path.resolve(rootDirectory, entry.Dir));
    }
    return manifest;
  } catch {
    return undefined;
  }
}

/**
 * Finds a module call's source folder: a local path (`./x`, `../x`) relative to the calling module's folder;
 * anything else (registry, git, http, s3) only where `terraform init` put it, per `modules.json`.
 */
export function resolveModuleSource(callerDirectory: string, source: string, keyPath: readonly string[], manifest: ModulesManifest | undefined): ModuleLocation {
  if (isLocalSource(source)) return { directory: path.resolve(callerDirectory, source) };
  const installed = manifest?.get(keyPath.join('.'));
  if (installed) return { directory: installed };
  return { problem: 'run terraform init or scan its source' };
}

/** State shared by every module instance of one parse call. */
export interface ModuleTreeContext {
  /** Folder of the root module being expanded. */
  rootDirectory: string;
  /** A file of the scan, to turn absolute paths into display paths. */
  sample: SourceFile;
  manifest: ModulesManifest | undefined;
  /** Parsed module folders read from disk, by absolute folder; null when the folder has no readable `.tf` file. */
  sources: Map<string, ModuleSource | null>;
  diagnostics: Diagnostic[];
  instanceCount: number;
  /** What the module tree's `file()` calls read (see `dataFiles`). */
  dataFileCache: DataFileCache;
}

interface ModuleCallInstance {
  /** Count index or for_each key; null for a call without either. */
  key: Value | null;
  instance: ModuleInstance;
}

interface ModuleCall {
  expansion: 'single' | 'count' | 'for_each' | 'unknown';
  instances: ModuleCallInstance[];
}

/** One instance a module call makes: its address suffix, key and scope, its condition, and the unknowns it carries. */
interface ExpansionEntry {
  suffix: string;
  key: Value | null;
  scope: Scope;
  branch?: string;
  unknowns?: UnknownValue[];
}

/**
 * One instance of a module in a module tree: a root module, or a child created by a `module` block (once per
 * count index / for_each key). Children are created on first use: when a reference reaches into them
 * (`module.net.sg_id`) or when the tree is walked for resources.
 */
export class ModuleInstance {
  readonly module: LoadedModule;
  private readonly calls = new Map<string, ModuleCall | null>();
  private readonly callsInProgress = new Set<string>();
  private readonly outputs = new Map<string, Value>();
  private readonly outputsInProgress = new Set<string>();
  private providerConfigs: ProviderConfigs | undefined;

  private constructor(
    private readonly context: ModuleTreeContext,
    bind: (resolveModule: (reference: Reference) => Value | undefined) => LoadedModule,
    /** Call names from the root (`['net', 'sg']`): the key of `modules.json`. */
    readonly keyPath: readonly string[],
    /** Folders of this module and its callers, for cycle detection. */
    private readonly ancestry: readonly string[],
    /** Unknowns inherited from an unresolved count/for_each of this or an enclosing module call. */
    readonly unknowns: readonly UnknownValue[],
    /** Conditions this instance exists under (`count = var.create ? 1 : 0` on this or an enclosing module call). */
    readonly conditions: readonly string[],
    /** Provider configurations the caller passes down (see `passedProviderConfigs`); none for a root. */
    private readonly inheritedProviders: ProviderConfigs,
    /** Set when this module, or a module calling it, was installed by `terraform init` (see `InstalledModule`). */
    readonly installed?: InstalledModule,
  ) {
    this.module = bind((reference) => this.resolveModuleReference(reference));
  }

  /** The root module of a scanned folder: variables from defaults, tfvars and the command line. */
  static root(context: ModuleTreeContext, directory: string, files: SourceFile[], options: ParseOptions): ModuleInstance {
    return new ModuleInstance(context, (resolveModule) => loadModule(directory, files, options, undefined, resolveModule, dataFiles(directory, directory, context.dataFileCache, files, context.diagnostics)), [], [directory], [], [], new Map());
  }

  get address(): string {
    return this.module.address;
  }

  /** The provider configurations this instance's resources can use: its own `provider` blocks and those passed down. */
  get providers(): ProviderConfigs {
    this.providerConfigs ??= new Map([...this.inheritedProviders, ...ownProviderConfigs(this.module)]);
    return this.providerConfigs;
  }

  /** This instance and every module instance below it, depth first in source order. */
  allInstances(): ModuleInstance[] {
    const result: ModuleInstance[] = [this];
    for (const { block } of this.moduleBlocks()) {
      const call = this.call(block.labels[0]!);
      for (const { instance } of call?.instances ?? []) result.push(...instance.allInstances());
    }
    return result;
  }

  /** Where this module calls each child module: the header of its `module "<name>"` block, by call name. */
  callSites(): Map<string, SourceLocation> {
    return new Map(this.moduleBlocks().map(({ file, block }) => [block.labels[0]!, moduleCallHeader(file.file, block)]));
  }

  /** Where this module calls a child module it could not follow (not installed, no literal source, …), each warned about. */
  notFollowedCallSites(): SourceLocation[] {
    return this.moduleBlocks()
      .filter(({ block }) => this.call(block.labels[0]!) === null)
      .map(({ file, block }) => moduleCallHeader(file.file, block));
  }

  private moduleBlocks(): Array<{ file: ModuleFile; block: Block }> {
    const blocks: Array<{ file: ModuleFile; block: Block }> = [];
    for (const file of this.module.files) {
      for (const block of file.blocks) if (block.type === 'module' && block.labels.length === 1) blocks.push({ file, block });
    }
    return blocks;
  }

  /** The instances of `module "<name>"`, created on first use; null when the call cannot be followed. */
  private call(name: string): ModuleCall | null {
    if (this.calls.has(name)) return this.calls.get(name)!;
    if (this.callsInProgress.has(name)) return null; // an input or count refers back to the call itself
    const entry = this.moduleBlocks().find(({ block }) => block.labels[0] === name);
    if (!entry) return null;
    this.callsInProgress.add(name);
    const call = this.createCall(name, entry.file, entry.block);
    this.callsInProgress.delete(name);
    this.calls.set(name, call);
    return call;
  }

  private createCall(name: string, { file }: ModuleFile, block: Block): ModuleCall | null {
    const context = this.context;
    const header = moduleCallHeader(file, block);
    const warn = (code: string, message: string): null => {
      context.diagnostics.push(warningDiagnostic(code, header.file, message, header.range));
      return null;
    };
    const sourceAttribute = block.body.attributes.find((attribute) => attribute.name === 'source');
    const sourceValue = sourceAttribute ? evaluate(sourceAttribute.expr, { text: writtenIn(sourceAttribute, file).text }) : undefined;
    if (sourceValue?.kind !== 'string') return warn('parse/terraform-module-source', `module ${name} has no literal "source"; it was not analysed`);
    const keyPath = [...this.keyPath, name];
    const located = resolveModuleSource(this.module.directory, sourceValue.value, keyPath, context.manifest);
    if ('problem' in located) return warn('parse/terraform-module-not-found', `module ${name} (source ${sourceValue.value}) was not analysed: ${located.problem}`);
    if (this.ancestry.includes(located.directory)) return warn('parse/terraform-module-cycle', `module ${name} (source ${sourceValue.value}) calls a module that is already being expanded; the cycle was not followed`);
    if (keyPath.length > MAX_MODULE_DEPTH) return warn('parse/terraform-module-depth', `module ${name} is nested more than ${MAX_MODULE_DEPTH} levels deep; it was not analysed`);
    const source = readModuleFolder(located.directory, context);
    if (!source) return warn('parse/terraform-module-not-found', `module ${name} (source ${sourceValue.value}) was not analysed: ${relativeTo(context.sample, located.directory)} holds no readable .tf file`);

    // A registry or git module, or a local one called from such a module: its files are under `.terraform/modules/`,
    // also where the local path leads out of the caller's folder (`source = "../../"` of
    // terraform-aws-modules/security-group's `modules/ssh`, which calls the package's root).
    const installed: InstalledModule | undefined =
      isLocalSource(sourceValue.value) && this.installed === undefined ? undefined : { call: this.installed?.call ?? header, folders: [...(this.installed?.folders ?? []), relativeTo(context.sample, located.directory)] };
    const callAddress = `${this.address ? `${this.address}.` : ''}module.${name}`;
    const base = instanceScope(this.module, file.text);
    const keys = this.expansionKeys(block, base, file, callAddress);
    const remaining = MAX_MODULE_INSTANCES - context.instanceCount;
    if (keys.entries.length > remaining) {
      warn('parse/terraform-module-limit', `module ${name}: more than ${MAX_MODULE_INSTANCES} module instances; the rest were not analysed`);
      keys.entries = keys.entries.slice(0, Math.max(0, remaining));
    }
    context.instanceCount += keys.entries.length;
    const defaults = variableDefaults(source.files);
    const providers = passedProviderConfigs(block, this.providers);
    const instances = keys.entries.map(({ suffix, key, scope, branch, unknowns }) => {
      const inputs = new Map<string, ModuleInput>();
      const definitions = new Map<string, Definition>();
      for (const attribute of block.body.attributes) {
        if (META_ARGUMENTS.has(attribute.name)) continue;
        const inputScope = scopeWrittenIn(attribute, file, scope);
        inputs.set(attribute.name, { evaluate: () => evaluate(attribute.expr, inputScope), range: attribute.range });
        definitions.set(attribute.name, { expr: attribute.expr, scope: inputScope });
      }
      const vars = lazyInputs(defaults, inputs);
      const child = new ModuleInstance(
        context,
        (resolveModule) => bindModule(source, `${callAddress}${suffix}`, vars, resolveModule, [], definitions, dataFiles(context.rootDirectory, located.directory, context.dataFileCache, source.files.map((moduleFile) => moduleFile.file), context.diagnostics)),
        keyPath,
        [...this.ancestry, located.directory],
        unknowns ? [...this.unknowns, ...unknowns] : this.unknowns,
        branch === undefined ? this.conditions : [...this.conditions, ...branch.split(' and ')],
        providers,
        installed,
      );
      return { key, instance: child };
    });
    return { expansion: keys.expansion, instances };
  }

  /**
   * Instance keys of a module call: `count` indexes, `for_each` keys (sorted), or one placeholder `[*]` when unresolved
   * (after the keys a partly known `for_each` surely has: `merge(var.extra, { ssh = … })`).
   * A count or for_each written `c ? … : …` with an undecidable `c` is read as a resource's is: the instances of its
   * sides, those one side only creates under that side's conditions (`branch`, joined with ` and `). A `for_each`
   * whose sides give one key different values makes one instance per side at that key's address, each under its
   * side's conditions, as a resource's does (see `resolveModuleReference` for what a reference to it reads).
   */
  private expansionKeys(block: Block, base: Scope, file: SourceFile, callAddress: string): { expansion: ModuleCall['expansion']; entries: ExpansionEntry[] } {
    const count = block.body.attributes.find((attribute) => attribute.name === 'count');
    const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
    // The instance that stands for those an unresolved count or for_each makes: `[*]`, read once with the unknown.
    const unknownRest = (attribute: NonNullable<typeof count>, value: Value, name: string): ExpansionEntry => ({
      suffix: '[*]',
      key: null,
      scope: base,
      unknowns: [{ field: `${callAddress}.${name}`, expr: unknownText(value) ?? writtenIn(attribute, file).text.slice(attribute.expr.start, attribute.expr.end), location: { file: writtenIn(attribute, file).path, range: attribute.range } }],
    });
    const unresolved = (attribute: NonNullable<typeof count>, value: Value, name: string) => ({ expansion: 'unknown' as const, entries: [unknownRest(attribute, value, name)] });
    if (count) {
      const countScope = scopeWrittenIn(count, file, base);
      const value = evaluate(count.expr, countScope);
      const indexes =
        value.kind === 'number' && Number.isInteger(value.value) && value.value >= 0
          ? Array.from({ length: Math.min(value.value, MAX_MODULE_INSTANCES + 1) }, (_, index): { index: number; branch?: string } => ({ index }))
          : conditionalCount(count.expr, countScope, MAX_MODULE_INSTANCES + 1);
      if (!indexes) return unresolved(count, value, 'count');
      return {
        expansion: 'count',
        entries: indexes.map(({ index, branch }) => {
          const key: Value = { kind: 'number', value: index };
          return { suffix: `[${index}]`, key, scope: { ...base, count: { index: key } }, ...(branch !== undefined ? { branch } : {}) };
        }),
      };
    }
    if (forEach) {
      const forEachScope = scopeWrittenIn(forEach, file, base);
      const value = evaluate(forEach.expr, forEachScope);
      const known = collectionEntries(value);
      const perSide = known ? undefined : repetitionsPerSide(forEach.expr, forEachScope, collectionEntries, (key) => key);
      const entries = known?.map(([key, item]) => ({ key, item, conditions: [] as readonly string[] })) ?? (perSide && byKey(perSide));
      const instanceAt = ({ key, item, conditions }: { key: string; item: Value; conditions: readonly string[] }): ExpansionEntry => {
        const keyValue: Value = { kind: 'string', value: key };
        return { suffix: instanceKeySuffix(key), key: keyValue, scope: { ...base, each: { key: keyValue, value: item } }, ...(conditions.length > 0 ? { branch: conditions.join(' and ') } : {}) };
      };
      if (entries) return { expansion: 'for_each', entries: entries.map(instanceAt) };
      // `merge(var.extra, { ssh = … })`: the instances it surely has, and the rest read once as possibly present, as a
      // resource's for_each over such a collection is.
      const partlyKnown = knownCollectionEntries(value);
      if (!partlyKnown) return unresolved(forEach, value, 'for_each');
      return { expansion: 'for_each', entries: [...partlyKnown.entries.map(([key, item]) => instanceAt({ key, item, conditions: [] })), unknownRest(forEach, value, 'for_each')] };
    }
    return { expansion: 'single', entries: [{ suffix: '', key: null, scope: base }] };
  }

  /** The value of `output "<name>"`, evaluated on first use in this instance's scope; undefined when not declared. */
  output(name: string): Value | undefined {
    const cached = this.outputs.get(name);
    if (cached) return cached;
    for (const { file, blocks } of this.module.files) {
      for (const block of blocks) {
        if (block.type !== 'output' || block.labels[0] !== name) continue;
        const valueAttribute = block.body.attributes.find((attribute) => attribute.name === 'value');
        if (!valueAttribute) return undefined;
        if (this.outputsInProgress.has(name)) return undefined;
        this.outputsInProgress.add(name);
        const value = evaluate(valueAttribute.expr, instanceScope(this.module, writtenIn(valueAttribute, file).text));
        this.outputsInProgress.delete(name);
        this.outputs.set(name, value);
        return value;
      }
    }
    return undefined;
  }

  /** The outputs as an object; only `only` when given (so a reference to one output does not evaluate the others). */
  private outputObject(only: string | undefined): Value {
    const names = only !== undefined ? [only] : this.outputNames();
    const entries = new Map<string, Value>();
    for (const name of names) {
      const value = this.output(name);
      if (value !== undefined) entries.set(name, value);
    }
    return objectValue(entries);
  }

  private outputNames(): string[] {
    return this.module.files.flatMap(({ blocks }) => blocks.filter((block) => block.type === 'output' && block.labels.length === 1).map((block) => block.labels[0]!));
  }

  /** `module.<call>[key].<output>…`: the child instance's output value, with the remaining steps applied. */
  private resolveModuleReference(reference: Reference): Value | undefined {
    const [callStep, ...rest] = reference.steps;
    if (callStep?.kind !== 'attr') return undefined;
    const call = this.call(callStep.name);
    if (!call || call.expansion === 'unknown') return undefined;
    const attributeName = (step: ReferenceStep | undefined): string | undefined => (step?.kind === 'attr' ? step.name : undefined);
    if (call.expansion === 'single') return applySteps(call.instances[0]!.instance.outputObject(attributeName(rest[0])), rest);
    const index = rest[0];
    if (index?.kind === 'index') {
      if (index.key.kind === 'unknown') return index.key;
      const matches = call.instances.filter(({ key }) => key !== null && (key.kind === 'number' || key.kind === 'string') && index.key.kind === key.kind && index.key.value === key.value);
      return sameOnEverySide(matches.map(({ instance }) => applySteps(instance.outputObject(attributeName(rest[1])), rest.slice(1))));
    }
    if (call.expansion === 'count') return applySteps(listValue(call.instances.map(({ instance }) => instance.outputObject(undefined))), rest);
    // Beside its known instances, a for_each over a partly known collection has an unknown rest (key null).
    if (call.instances.some(({ key }) => key === null)) return undefined;
    const byKey = new Map<string, Array<Value | undefined>>();
    for (const { key, instance } of call.instances) {
      const name = key?.kind === 'string' ? key.value : '';
      byKey.set(name, [...(byKey.get(name) ?? []), instance.outputObject(undefined)]);
    }
    const entries = new Map<string, Value>();
    for (const [name, values] of byKey) {
      const value = sameOnEverySide(values);
      if (value === undefined) return undefined;
      entries.set(name, value);
    }
    return applySteps(objectValue(entries), rest);
  }
}

/**
 * The one value the instances at one address give (a `for_each` key with another value per side of a condition has
 * an instance per side): undefined, so unresolved, when there is none or they differ, rather than one side's value
 * without its condition. (An output is not read per side: its sides' conditions are not carried by a value.)
 */
function sameOnEverySide(values: ReadonlyArray<Value | undefined>): Value | undefined {
  const [first, ...others] = values;
  if (first === undefined) return undefined;
  return others.every((other) => other !== undefined && valuesEqual(first, other) === true) ? first : undefined;
}

/** The header of a `module "<name>"` block (`module "name"`), where diagnostics and reports point at the call. */
function moduleCallHeader(file: SourceFile, block: Block): SourceLocation {
  const end = block.labelRanges[0] ?? block.typeRange;
  return { file: file.path, range: { ...block.range, endLine: end.endLine, endColumn: end.endColumn } };
}

/**
 * Applies attribute and index steps to a value; undefined where the value has no such element (the caller reports
 * unknown). A part of a sensitive output is sensitive.
 */
function applySteps(start: Value, steps: readonly ReferenceStep[]): Value | undefined {
  let value = start;
  let sensitiveOrigin = start.sensitive;
  for (const step of steps) {
    sensitiveOrigin ??= value.sensitive;
    if (value.kind === 'unknown') return value;
    if (value.kind === 'ref') {
      if (step.kind === 'attr' && value.attribute === null) {
        value = { ...value, attribute: step.name };
        continue;
      }
      return undefined;
    }
    if (step.kind === 'attr') {
      if (value.kind !== 'object') return undefined;
      const next = value.entries.get(step.name);
      if (next === undefined) return undefined;
      value = next;
      continue;
    }
    const key = step.key;
    if (key.kind === 'unknown') return key;
    if (value.kind === 'list' && key.kind === 'number' && Number.isInteger(key.value) && key.value >= 0 && key.value < value.items.length) value = value.items[key.value]!;
    else if (value.kind === 'object' && key.kind === 'string' && value.entries.has(key.value)) value = value.entries.get(key.value)!;
    else return undefined;
  }
  sensitiveOrigin ??= value.sensitive;
  return sensitiveOrigin === undefined ? value : markSensitive(value, sensitiveOrigin);
}

/** Parses a module folder read from disk (every `*.tf`, `*.tf.json`, `*.tofu` and `*.tofu.json` file as OpenTofu loads them, sorted, but a plan), once per parse call. */
function readModuleFolder(directory: string, context: ModuleTreeContext): ModuleSource | null {
  if (context.sources.has(directory)) return context.sources.get(directory)!;
  let names: string[];
  try {
    names = fs
      .readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile() && isTerraformFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
    names = withoutTofuAlternatives(names, (name) => name);
  } catch {
    names = [];
  }
  const files: SourceFile[] = [];
  for (const name of names) {
    const absolutePath = path.join(directory, name);
    try {
      const text = fs.readFileSync(absolutePath, 'utf8');
      if (isTerraformConfiguration(name, text.slice(0, PLAN_DETECTION_HEAD))) files.push({ path: relativeTo(context.sample, absolutePath), absolutePath, text, encoding: 'utf-8' });
    } catch {
      // An unreadable file is skipped; a folder with none left is reported by the caller.
    }
  }
  const source = files.length > 0 ? parseModuleSource(directory, files) : null;
  if (source) context.diagnostics.push(...source.diagnostics);
  context.sources.set(directory, source);
  return source;
}
