import { evaluate, fromJs, numberValue, stringValue, unknownValue, type Attribute, type Block, type Scope, type Value } from '../terraform/hcl';
import { bindModule, instanceScope, lazyInputs, parseModuleSource, variableDefaults, type LoadedModule, type ModuleFile, type ModuleInput, type ModuleSource } from '../terraform/module';
import { collectionEntries } from '../terraform/resource-expansion';
import type { SourceFile } from '../../model/source-file';
import { writtenIn } from '../terraform/override-files';
import { partOf, type ConfigurationBlock, type ConfigurationSource } from './configuration-source';
import type { PlanDocument } from './plan-document';

/** One step of a module instance address: `module.app["dev"]` → name `app`, key `"dev"`. */
interface ModuleStep {
  name: string;
  key: Value | undefined;
  /** The address of the module instance that calls it (`''` for the root). */
  callerAddress: string;
}

/** The module instances followed from one reference, as Terraform nests them at most. */
const MAX_MODULE_DEPTH = 64;

/**
 * Evaluates what the `.tf` files beside a plan write for a planned instance's argument with the HCL evaluator, in
 * the scope Terraform gave that instance: its module's locals and variables (the plan's `variables` for the root, the
 * calling `module` block's arguments for a child module, then the defaults), its own `count.index` or `each`
 * (`each.value` from its `for_each` evaluated the same way), and managed resources as the plan has them: a
 * resource named without an index (`aws_security_group.this[*].id`) is the list or map of its planned instances, not
 * what its `count` may evaluate to. This joins rules written `aws_security_group.this[each.value.sg].id` or
 * `local.this_sg_id` (a local holding a conditional over the group ids), which the plan's JSON configuration only
 * lists as references, to the planned group instance the HCL path joins them to.
 */
export class WrittenReferences {
  private readonly modules = new Map<string, LoadedModule | null>();
  /** Parsed once per folder: every instance of a module shares it. */
  private readonly sources = new Map<string, ModuleSource>();

  constructor(
    private readonly plan: PlanDocument,
    private readonly source: ConfigurationSource,
    private readonly planned: ReadonlySet<string>,
  ) {}

  /**
   * The address of the planned resource instance that `attribute` of the resource instance `address` (as found in
   * `text`, its `.tf` file) refers to, in the module instance `moduleAddress`; undefined when the evaluation does not
   * reach exactly one planned instance.
   */
  referencedInstance(address: string, moduleAddress: string, found: ConfigurationBlock, attribute: Attribute): string | undefined {
    const module = this.moduleAt(moduleAddress);
    if (!module) return undefined;
    // Each argument is evaluated in the text of the file it is written in (an override file's, see `partOf`).
    const scopeOf = this.instanceScopeOf(module, found.block, (part) => partOf(found, part).text, instanceKeyOf(address));
    if (!scopeOf) return undefined;
    const value = evaluate(attribute.expr, scopeOf(attribute));
    return value.kind === 'ref' && this.planned.has(value.address) ? value.address : undefined;
  }

  /**
   * The scope an argument of one instance of `block` (a resource or module call) is evaluated in, with `count.index`
   * or `each` for `key`: in the text of the file the argument is written in (`textOf`; an override file's, for one
   * merged from it).
   */
  private instanceScopeOf(module: LoadedModule, block: Block, textOf: (attribute: Attribute) => string, key: Value | undefined): ((attribute: Attribute) => Scope) | undefined {
    const scopeOf = (attribute: Attribute): Scope => instanceScope(module, textOf(attribute));
    if (key === undefined) return scopeOf;
    const count = block.body.attributes.find((attribute) => attribute.name === 'count');
    if (count) return key.kind === 'number' ? (attribute) => ({ ...scopeOf(attribute), count: { index: key } }) : undefined;
    const forEach = block.body.attributes.find((attribute) => attribute.name === 'for_each');
    if (!forEach || key.kind !== 'string') return undefined;
    const entries = collectionEntries(evaluate(forEach.expr, scopeOf(forEach)));
    const entry = entries?.find(([entryKey]) => entryKey === key.value);
    // `each.key` is the instance key whatever the collection; `each.value` only where the collection is known.
    const each = { key, value: entry ? entry[1] : unknownValue('each.value', forEach.range) };
    return (attribute) => ({ ...scopeOf(attribute), each });
  }

  /** The module instance at `moduleAddress` bound as Terraform binds it; undefined where its files are not on disk. */
  private moduleAt(moduleAddress: string): LoadedModule | undefined {
    const cached = this.modules.get(moduleAddress);
    if (cached !== undefined) return cached ?? undefined;
    this.modules.set(moduleAddress, null);
    const loaded = this.loadModule(moduleAddress);
    this.modules.set(moduleAddress, loaded ?? null);
    return loaded;
  }

  private loadModule(moduleAddress: string): LoadedModule | undefined {
    const steps = moduleSteps(moduleAddress);
    if (!steps || steps.length > MAX_MODULE_DEPTH) return undefined;
    const callPath = steps.map((step) => step.name);
    const folder = this.source.moduleFolder(callPath, this.plan.configuration);
    if (!folder) return undefined;
    const source = this.sources.get(folder.directory) ?? parseModuleSource(folder.directory, folder.files.map((file) => file.file));
    this.sources.set(folder.directory, source);
    const defaults = variableDefaults(source.files);
    if (steps.length === 0) {
      for (const [name, value] of this.plan.variables) if (defaults.has(name)) defaults.set(name, fromJs(value));
      return bindModule(source, '', defaults);
    }
    const caller = this.moduleAt(steps[steps.length - 1]!.callerAddress);
    const call = caller && moduleCall(caller.files, steps[steps.length - 1]!.name);
    const inputs = new Map<string, ModuleInput>();
    if (caller && call) {
      const scopeOf = this.instanceScopeOf(caller, call.block, (attribute) => writtenIn(attribute, call.file).text, steps[steps.length - 1]!.key);
      for (const attribute of call.block.body.attributes) {
        if (scopeOf) inputs.set(attribute.name, { evaluate: () => evaluate(attribute.expr, scopeOf(attribute)), range: attribute.range });
        else inputs.set(attribute.name, { evaluate: () => unknownValue(`var.${attribute.name}`, attribute.range), range: attribute.range });
      }
    }
    return bindModule(source, moduleAddress, lazyInputs(defaults, inputs));
  }
}

function moduleCall(files: readonly ModuleFile[], name: string): { block: Block; file: SourceFile } | undefined {
  for (const { file, blocks } of files) {
    const block = blocks.find((candidate) => candidate.type === 'module' && candidate.labels[0] === name);
    if (block) return { block, file };
  }
  return undefined;
}

/** The instance key at the end of an address: `[1]` → 1, `["web"]` → "web"; undefined without one. */
function instanceKeyOf(address: string): Value | undefined {
  const match = /\[(\d+|"(?:[^"\\]|\\.)*")\]$/.exec(address);
  if (!match) return undefined;
  return match[1]!.startsWith('"') ? stringValue(JSON.parse(match[1]!) as string) : numberValue(Number(match[1]));
}

/** The module calls of a module instance address with their keys; undefined when it is malformed. */
function moduleSteps(moduleAddress: string): ModuleStep[] | undefined {
  const steps: ModuleStep[] = [];
  let rest = moduleAddress;
  while (rest.length > 0) {
    const match = /^\.?module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/.exec(rest);
    if (!match) return undefined;
    steps.push({ name: match[1]!, key: match[2] === undefined ? undefined : instanceKeyOf(match[2]), callerAddress: moduleAddress.slice(0, moduleAddress.length - rest.length) });
    rest = rest.slice(match[0].length);
  }
  return steps;
}
