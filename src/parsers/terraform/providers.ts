import { evaluate, objectKeyName, unwrapParens, type Block, type Expression, type Value } from './hcl';
import type { SourceFile } from '../../model/source-file';
import { instanceScope, type LoadedModule } from './module';
import { writtenIn } from './override-files';

/** A `provider` block and the module instance whose scope its arguments are evaluated in. */
interface ProviderConfig {
  block: Block;
  module: LoadedModule;
  /** The file the block is written in (an argument merged from an override file is in its own: `writtenIn`). */
  file: SourceFile;
}

/** The provider configurations a module instance sees, by address: `google` (default) or `google.west` (alias). */
export type ProviderConfigs = ReadonlyMap<string, ProviderConfig>;

/** The `provider` blocks written in a module instance, by address (`google`, or `google.<alias>` with an `alias`). */
export function ownProviderConfigs(module: LoadedModule): Map<string, ProviderConfig> {
  const configs = new Map<string, ProviderConfig>();
  for (const { file, blocks } of module.files) {
    for (const block of blocks) {
      if (block.type !== 'provider' || block.labels.length !== 1) continue;
      const alias = providerArgument({ block, module, file }, 'alias');
      if (alias !== undefined && alias.kind !== 'string') continue;
      configs.set(alias ? `${block.labels[0]!}.${alias.value}` : block.labels[0]!, { block, module, file });
    }
  }
  return configs;
}

/**
 * The provider configurations a module call gives its child: those its `providers` map names
 * (`providers = { google = google.west }`), or, without one, the caller's default (unaliased) configurations.
 * Terraform: "a child module automatically inherits default provider configurations from its parent"; a `providers`
 * argument "overrides the default inheritance behavior" (Providers Within Modules).
 */
export function passedProviderConfigs(call: Block, caller: ProviderConfigs): Map<string, ProviderConfig> {
  const passed = new Map<string, ProviderConfig>();
  const providers = call.body.attributes.find((attribute) => attribute.name === 'providers');
  if (!providers) {
    for (const [address, config] of caller) if (!address.includes('.')) passed.set(address, config);
    return passed;
  }
  const map = unwrapParens(providers.expr);
  if (map.kind !== 'object') return passed;
  for (const item of map.items) {
    const childAddress = providerAddress(item.key);
    const callerAddress = providerAddress(item.value);
    const config = callerAddress === undefined ? undefined : caller.get(callerAddress);
    if (childAddress !== undefined && config) passed.set(childAddress, config);
  }
  return passed;
}

/**
 * The provider configuration a resource uses: its `provider` meta-argument (`google.west`), else the default
 * configuration of the provider its type is named after (`google_compute_firewall` → `google`).
 */
export function resourceProviderConfig(resource: Block, type: string, configs: ProviderConfigs): ProviderConfig | undefined {
  const chosen = resource.body.attributes.find((attribute) => attribute.name === 'provider');
  const address = chosen ? providerAddress(chosen.expr) : type.slice(0, type.indexOf('_'));
  return address === undefined ? undefined : configs.get(address);
}

/** A provider configuration's argument, evaluated in the scope of the module that writes it; undefined when absent. */
export function providerArgument(config: ProviderConfig, name: string): Value | undefined {
  const attribute = config.block.body.attributes.find((candidate) => candidate.name === name);
  return attribute && evaluate(attribute.expr, instanceScope(config.module, writtenIn(attribute, config.file).text));
}

/** `google` or `google.west` written as a bare reference (or, in a `providers` key, a quoted name). */
function providerAddress(expr: Expression): string | undefined {
  const inner = unwrapParens(expr);
  if (inner.kind === 'get-attr') {
    const object = unwrapParens(inner.object);
    return object.kind === 'variable' ? `${object.name}.${inner.name}` : undefined;
  }
  if (inner.kind === 'template' && inner.parts.length === 1 && inner.parts[0]!.kind === 'text') return inner.parts[0]!.value;
  return objectKeyName(inner) ?? undefined;
}
