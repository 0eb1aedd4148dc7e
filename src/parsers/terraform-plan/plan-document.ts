/**
 * The parts of `terraform show -json` output fwlint reads (formats.md §2): resource instances with their post-apply
 * values and unknown/sensitive markers, and the un-evaluated configuration (module calls, references).
 */

/** One managed resource instance as planned. */
export interface PlanResource {
  address: string;
  /** `module.net["a"].module.sg`; empty for the root module. */
  moduleAddress: string;
  type: string;
  name: string;
  /** `change.after` (or `values` from planned_values / a state). */
  values: Record<string, unknown>;
  /** `change.after_unknown`: `true` at every path that is known only after apply. */
  unknown: unknown;
  /** `change.after_sensitive` / `sensitive_values`. */
  sensitive: unknown;
  /** `previous_address`: the address the prior state holds the instance under, where `moved` blocks renamed it. */
  previousAddress?: string;
  /**
   * Action `["forget"]` (a `removed` block with `destroy = false`): Terraform drops the instance from its state but
   * does not destroy it, so it stays live, unmanaged; `values` are `change.before`.
   */
  isForgotten?: true;
}

/** A module of `configuration`: its resources' expressions by module-relative address, and its calls. */
export interface ConfigModule {
  resources: Map<string, ConfigResource>;
  calls: Map<string, ConfigCall>;
  /** Output name → its `expression` (`{ references }`), to follow `module.x.out` into the module. */
  outputs: Map<string, unknown>;
}

export interface ConfigCall {
  source: string | undefined;
  module: ConfigModule;
  /** Input name → the call's argument expression, to follow `var.x` out of the module. */
  inputs: Record<string, unknown>;
}

export interface ConfigResource {
  /** Argument name → `{ constant_value }` / `{ references }`; nested blocks are arrays of such maps. */
  expressions: Record<string, unknown>;
  /** `provider_config_key`: the provider configuration the resource uses (`google`, `google.b`, `module.m:google`). */
  providerConfigKey?: string;
}

/** A managed resource instance as it is before the plan: `change.before`, also of instances the plan deletes. */
interface PriorResource {
  type: string;
  values: Record<string, unknown>;
}

export interface PlanDocument {
  resources: PlanResource[];
  /** `change.before` of the instances that exist before the plan (none for planned_values or a state). */
  prior: PriorResource[];
  /** Undefined when the JSON has no `configuration` (a state, or a trimmed plan). */
  configuration: ConfigModule | undefined;
  /** `configuration.provider_config` key → the configuration's `project`, where the plan says it (GCP). */
  providerProjects: Map<string, string>;
  /** The root module's variable values the plan was made with (`variables`: name → value). */
  variables: Map<string, unknown>;
  /** `"errored": true`: planning failed, and the plan holds only what Terraform planned before it did. */
  isErrored: boolean;
  /**
   * `"complete": false`: the plan does not describe every resource of the configuration (`-target`,
   * or changes deferred to a later plan). Plans without the field are taken as complete.
   */
  isIncomplete: boolean;
  /** The addresses of `deferred_changes[].resource_change` (deferred actions): planned in a later round. */
  deferred: string[];
}

/** Why a JSON document is not a plan fwlint can read, for a diagnostic. */
export interface PlanProblem {
  code: string;
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the resource instances of a plan: `resource_changes` (flat, with actions and unknown markers) when present,
 * skipping data sources, deposed objects and instances being only deleted (a forgotten one stays, as it was); otherwise the recursive
 * `planned_values.root_module` (or a state's `values.root_module`), which carries no unknown markers. Also what
 * existed before the plan (`change.before`, deleted and deposed objects included), which AWS groups read back.
 */
export function readPlanDocument(data: unknown): PlanDocument | PlanProblem {
  if (!isObject(data)) return { code: 'parse/plan-shape', message: 'a Terraform plan is a JSON object' };
  const version = data.format_version;
  if (typeof version !== 'string' || !/^1\./.test(version)) {
    return { code: 'parse/plan-format-version', message: `unsupported plan format_version ${JSON.stringify(version)}: fwlint reads format 1.x (terraform show -json)` };
  }
  const resources: PlanResource[] = [];
  const prior: PriorResource[] = [];
  if (Array.isArray(data.resource_changes)) {
    for (const change of data.resource_changes) {
      if (!isObject(change) || change.mode !== 'managed') continue;
      if (typeof change.address !== 'string' || typeof change.type !== 'string' || typeof change.name !== 'string') continue;
      const details = isObject(change.change) ? change.change : {};
      if (isObject(details.before)) prior.push({ type: change.type, values: details.before });
      if (change.deposed !== undefined) continue;
      const actions = Array.isArray(details.actions) ? details.actions : [];
      // A destroy-only instance has no post-apply value (after is null): nothing of it remains to lint.
      if (actions.length === 1 && actions[0] === 'delete') continue;
      // A forgotten instance (after is null too) is not destroyed: it stays live as it is now.
      const isForgotten = actions.length === 1 && actions[0] === 'forget' && isObject(details.before);
      const values = isForgotten ? details.before : details.after;
      if (!isObject(values)) continue;
      const resource: PlanResource = {
        address: change.address,
        moduleAddress: typeof change.module_address === 'string' ? change.module_address : '',
        type: change.type,
        name: change.name,
        values,
        unknown: isForgotten ? undefined : details.after_unknown,
        sensitive: isForgotten ? details.before_sensitive : details.after_sensitive,
      };
      if (isForgotten) resource.isForgotten = true;
      if (typeof change.previous_address === 'string' && change.previous_address !== change.address) resource.previousAddress = change.previous_address;
      resources.push(resource);
    }
  } else {
    const root = isObject(data.planned_values) ? data.planned_values.root_module : isObject(data.values) ? data.values.root_module : undefined;
    collectPlannedValues(root, '', resources, 0);
  }
  const configuration = isObject(data.configuration) ? readConfigModule(data.configuration.root_module, 0) : undefined;
  const providerProjects = isObject(data.configuration) ? readProviderProjects(data.configuration.provider_config, data.variables) : new Map<string, string>();
  const variables = new Map<string, unknown>();
  if (isObject(data.variables)) {
    for (const [name, variable] of Object.entries(data.variables)) if (isObject(variable) && 'value' in variable) variables.set(name, variable.value);
  }
  const deferred = Array.isArray(data.deferred_changes)
    ? data.deferred_changes.map((entry) => (isObject(entry) && isObject(entry.resource_change) ? entry.resource_change.address : undefined)).filter((address): address is string => typeof address === 'string')
    : [];
  return { resources, prior, configuration, providerProjects, variables, isErrored: data.errored === true, isIncomplete: data.complete === false, deferred };
}

/**
 * The `project` of each provider configuration, as `configuration.provider_config` writes it: a constant, or a root
 * variable (`var.project`) whose value the plan's `variables` give. A GCP resource without a `project` of its own is
 * in its provider configuration's (google provider docs, "project"), as the HCL path reads it.
 */
function readProviderProjects(providerConfig: unknown, variables: unknown): Map<string, string> {
  const projects = new Map<string, string>();
  if (!isObject(providerConfig)) return projects;
  for (const [key, config] of Object.entries(providerConfig)) {
    if (!isObject(config) || !isObject(config.expressions)) continue;
    const expression = config.expressions.project;
    if (!isObject(expression)) continue;
    if (typeof expression.constant_value === 'string' && expression.constant_value) {
      projects.set(key, expression.constant_value);
      continue;
    }
    // Only root variables have values in the plan; a module's provider configuration names the module's variables.
    const references = Array.isArray(expression.references) ? expression.references : [];
    const variable = references.length === 1 && typeof references[0] === 'string' && config.module_address === undefined ? /^var\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(references[0]) : null;
    const value = variable && isObject(variables) && isObject(variables[variable[1]!]) ? (variables[variable[1]!] as Record<string, unknown>).value : undefined;
    if (typeof value === 'string' && value) projects.set(key, value);
  }
  return projects;
}

const MAX_MODULE_DEPTH = 64;

function collectPlannedValues(module: unknown, moduleAddress: string, out: PlanResource[], depth: number): void {
  if (!isObject(module) || depth > MAX_MODULE_DEPTH) return;
  for (const resource of Array.isArray(module.resources) ? module.resources : []) {
    if (!isObject(resource) || resource.mode !== 'managed' || !isObject(resource.values)) continue;
    if (typeof resource.address !== 'string' || typeof resource.type !== 'string' || typeof resource.name !== 'string') continue;
    out.push({ address: resource.address, moduleAddress, type: resource.type, name: resource.name, values: resource.values, unknown: undefined, sensitive: resource.sensitive_values });
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) {
    if (isObject(child) && typeof child.address === 'string') collectPlannedValues(child, child.address, out, depth + 1);
  }
}

function readConfigModule(module: unknown, depth: number): ConfigModule {
  const result: ConfigModule = { resources: new Map(), calls: new Map(), outputs: new Map() };
  if (!isObject(module) || depth > MAX_MODULE_DEPTH) return result;
  for (const resource of Array.isArray(module.resources) ? module.resources : []) {
    if (!isObject(resource) || typeof resource.address !== 'string') continue;
    const config: ConfigResource = { expressions: isObject(resource.expressions) ? resource.expressions : {} };
    if (typeof resource.provider_config_key === 'string') config.providerConfigKey = resource.provider_config_key;
    result.resources.set(resource.address, config);
  }
  if (isObject(module.module_calls)) {
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (!isObject(call)) continue;
      // The JSON format documents `source`; some versions also write `resolved_source` (formats.md §2.2).
      const source = typeof call.source === 'string' ? call.source : typeof call.resolved_source === 'string' ? call.resolved_source : undefined;
      result.calls.set(name, { source, module: readConfigModule(call.module, depth + 1), inputs: isObject(call.expressions) ? call.expressions : {} });
    }
  }
  if (isObject(module.outputs)) {
    for (const [name, output] of Object.entries(module.outputs)) {
      if (isObject(output)) result.outputs.set(name, output.expression);
    }
  }
  return result;
}

/** Call names of a module address: `module.net["a"].module.sg[0]` → `['net', 'sg']`; undefined when malformed. */
export function moduleCallPath(moduleAddress: string): string[] | undefined {
  const names: string[] = [];
  let rest = moduleAddress;
  while (rest.length > 0) {
    const match = /^\.?module\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest);
    if (!match) return undefined;
    names.push(match[1]!);
    rest = rest.slice(match[0].length);
    if (rest.startsWith('[')) {
      const key = /^\[(?:\d+|"(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!key) return undefined;
      rest = rest.slice(key[0].length);
    }
  }
  return names;
}

/**
 * The managed resource an expression refers to (`aws_security_group.web` from `["aws_security_group.web.id",
 * "aws_security_group.web"]`), with an instance key when the reference has a literal one; undefined for variables,
 * locals, data sources, module outputs and the like.
 */
export function referencedResource(expression: unknown): string | undefined {
  if (!isObject(expression) || !Array.isArray(expression.references)) return undefined;
  let best: string | undefined;
  for (const reference of expression.references) {
    if (typeof reference !== 'string') continue;
    const match = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/.exec(reference);
    if (!match || !match[1]!.includes('_') || ['var', 'local', 'data', 'module', 'path', 'terraform', 'count', 'each', 'self'].includes(match[1]!)) continue;
    const address = match[0];
    if (!best || address.length > best.length) best = address;
  }
  return best;
}

/** The first reference of an expression (for FW303 messages: what the unknown value depends on). */
export function firstReference(expression: unknown): string | undefined {
  if (!isObject(expression) || !Array.isArray(expression.references)) return undefined;
  const first = expression.references.find((reference): reference is string => typeof reference === 'string');
  return first;
}

/** A module of `configuration` at a module instance address, with the chain of its callers (innermost last). */
export interface ConfigScope {
  module: ConfigModule | undefined;
  /** `''` for the root, else `module.app["dev"]`. */
  address: string;
  /** The calling scope and this module's call in it; undefined for the root. */
  caller?: { scope: ConfigScope; call: ConfigCall };
}

/** The scope of a module instance address (`module.net["a"].module.sg`), or undefined when it is malformed. */
export function configScopeAt(configuration: ConfigModule | undefined, moduleAddress: string): ConfigScope | undefined {
  let scope: ConfigScope = { module: configuration, address: '' };
  let rest = moduleAddress;
  while (rest.length > 0) {
    const match = /^\.?module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/.exec(rest);
    if (!match) return undefined;
    const call = scope.module?.calls.get(match[1]!);
    const address = `${scope.address ? `${scope.address}.` : ''}module.${match[1]}${match[2] ?? ''}`;
    scope = call ? { module: call.module, address, caller: { scope, call } } : { module: undefined, address };
    rest = rest.slice(match[0].length);
  }
  return scope;
}

const MAX_REFERENCE_HOPS = 32;

/**
 * The full address of the managed resource an expression refers to, following module outputs into their module
 * (`module.app["dev"].sg_id` → the output's expression in `module.app["dev"]`) and module variables out to the
 * calling module's argument (`var.sg_id`), as the HCL path evaluates them. Undefined when no managed resource is
 * reached (a data source, a literal, a reference without the instance key of a module with count/for_each).
 */
export function referencedAddress(expression: unknown, scope: ConfigScope | undefined, hops = 0): string | undefined {
  if (!scope || hops > MAX_REFERENCE_HOPS) return undefined;
  const direct = referencedResource(expression);
  if (direct) return scope.address ? `${scope.address}.${direct}` : direct;
  if (!isObject(expression) || !Array.isArray(expression.references)) return undefined;
  for (const reference of expression.references) {
    if (typeof reference !== 'string') continue;
    const output = /^module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(reference);
    if (output) {
      const call = scope.module?.calls.get(output[1]!);
      if (!call || !call.module.outputs.has(output[3]!)) continue;
      const address = `${scope.address ? `${scope.address}.` : ''}module.${output[1]}${output[2] ?? ''}`;
      const found = referencedAddress(call.module.outputs.get(output[3]!), { module: call.module, address, caller: { scope, call } }, hops + 1);
      if (found) return found;
      continue;
    }
    const variable = /^var\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(reference);
    if (variable && scope.caller && variable[1]! in scope.caller.call.inputs) {
      const found = referencedAddress(scope.caller.call.inputs[variable[1]!], scope.caller.scope, hops + 1);
      if (found) return found;
    }
  }
  return undefined;
}
