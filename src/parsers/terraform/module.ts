import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFileError, errorDiagnostic, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import type { Annotation, CliVarSource, ParseOptions, SourceFile } from '../../model/source-file';
import {
  evaluate,
  fromJs,
  markSensitive,
  parseHcl,
  stringValue,
  unknownValue,
  type Attribute,
  type Block,
  type DataFiles,
  type Definition,
  type Reference,
  type Scope,
  type Value,
  withSensitivityOf,
} from './hcl';
import { isEvaluatingDescriptively } from './data-files';
import { parseTerraformConfiguration, terraformAnnotations } from './json-syntax';
import { gcpNetworkDataReference } from './gcp-networks';
import { wholeResourceResolver, writtenArgumentResolver } from './resource-expansion';
import { mergeOverrideFiles, writtenIn } from './override-files';
import { convertToType, variableTypes, type TypeConstraint } from './variable-types';

/** One parsed `.tf` or `.tf.json` file of a module. */
export interface ModuleFile {
  file: SourceFile;
  blocks: Block[];
}

/** A module folder's parsed `.tf` files, before any variable is bound: shared by every instance of the module. */
export interface ModuleSource {
  directory: string;
  files: ModuleFile[];
  /** Declared variable types, which every value bound to the variable is converted to (`bindModule`). */
  variableTypes: ReadonlyMap<string, TypeConstraint>;
  /** Defaults of the variables declared `nullable = false`: a null given for one of them means its default. */
  nonNullableDefaults: ReadonlyMap<string, Value>;
  /** Variables declared `sensitive = true`: whatever value they are given is marked sensitive (`Value.sensitive`). */
  sensitiveVariables: ReadonlySet<string>;
  annotations: Annotation[];
  diagnostics: Diagnostic[];
}

/** One instance of a Terraform module: its files, variable values, lazily evaluated locals and reference resolver. */
export interface LoadedModule {
  directory: string;
  /** `''` for a root module, else `module.net`, `module.net.module.sg["a"]`. */
  address: string;
  files: ModuleFile[];
  vars: ReadonlyMap<string, Value>;
  locals: ReadonlyMap<string, Value>;
  /** Resolves what the maps do not hold: managed resources (address-prefixed) and, when bound, module outputs. */
  resolve: (reference: Reference) => Value | undefined;
  /** Where a local, or an input of this module instance, is written (see `Scope.definitionOf`). */
  definitionOf: (root: 'local' | 'var', name: string) => Definition | undefined;
  /** The data files its `file()` calls may read (`Scope.dataFiles`). */
  dataFiles?: DataFiles;
  annotations: Annotation[];
  diagnostics: Diagnostic[];
}

const MAX_LOCAL_DEPTH = 64;

/**
 * Parses a module folder's `.tf` and `.tf.json` files (native and JSON syntax, into one AST): blocks, with its
 * override files merged in (`mergeOverrideFiles`), `fwlint:` annotations in comments (a JSON file's `"//"`
 * properties), syntax diagnostics.
 */
export function parseModuleSource(directory: string, files: SourceFile[]): ModuleSource {
  const diagnostics: Diagnostic[] = [];
  const annotations: Annotation[] = [];
  const moduleFiles: ModuleFile[] = [];
  for (const file of files) {
    const parsed = parseTerraformConfiguration(file.text, file.path);
    diagnostics.push(...parsed.diagnostics);
    annotations.push(...terraformAnnotations(file.text, file.path, parsed));
    moduleFiles.push({ file, blocks: parsed.body?.blocks ?? [] });
  }
  const merged = mergeOverrideFiles(moduleFiles);
  diagnostics.push(...merged.diagnostics);
  return {
    directory,
    files: merged.files,
    variableTypes: variableTypes(moduleFiles),
    nonNullableDefaults: nonNullableDefaults(moduleFiles),
    sensitiveVariables: sensitiveVariables(moduleFiles),
    annotations,
    diagnostics,
  };
}

function sensitiveVariables(files: ModuleFile[]): Set<string> {
  const names = new Set<string>();
  for (const { file, blocks } of files) {
    for (const block of blocks) {
      if (block.type !== 'variable' || block.labels.length !== 1) continue;
      const sensitive = block.body.attributes.find((attribute) => attribute.name === 'sensitive');
      const written = sensitive && evaluate(sensitive.expr, { text: writtenIn(sensitive, file).text });
      if (written?.kind === 'bool' && written.value) names.add(block.labels[0]!);
    }
  }
  return names;
}

function nonNullableDefaults(files: ModuleFile[]): Map<string, Value> {
  const defaults = new Map<string, Value>();
  for (const { file, blocks } of files) {
    for (const block of blocks) {
      if (block.type !== 'variable' || block.labels.length !== 1) continue;
      const attribute = (name: string) => block.body.attributes.find((candidate) => candidate.name === name);
      const nullable = attribute('nullable');
      const fallback = attribute('default');
      if (!nullable || !fallback) continue;
      const written = evaluate(nullable.expr, { text: writtenIn(nullable, file).text });
      if (written.kind === 'bool' && !written.value) defaults.set(block.labels[0]!, evaluate(fallback.expr, { text: writtenIn(fallback, file).text }));
    }
  }
  return defaults;
}

/** Declared variables of a module with their defaults (unknown `var.<name>` without one). */
export function variableDefaults(files: ModuleFile[]): Map<string, Value> {
  const vars = new Map<string, Value>();
  for (const { file, blocks } of files) {
    for (const block of blocks) {
      if (block.type !== 'variable' || block.labels.length !== 1) continue;
      const name = block.labels[0]!;
      const defaultAttribute = block.body.attributes.find((attribute) => attribute.name === 'default');
      vars.set(name, defaultAttribute ? evaluate(defaultAttribute.expr, { text: writtenIn(defaultAttribute, file).text }) : unknownValue(`var.${name}`, block.range));
    }
  }
  return vars;
}

/**
 * Loads a root module: parses its `.tf` files and binds its variables: defaults, then `terraform.tfvars`,
 * `*.auto.tfvars` (alphabetical), then `--var-file` and `--var` in command-line order, a later one winning
 * (Terraform's precedence, lowest first: "Variable Definition Precedence"). Reads the module's tfvars files from disk
 * next to the `.tf` files, as Terraform does.
 */
export function loadModule(
  directory: string,
  files: SourceFile[],
  options: ParseOptions,
  source = parseModuleSource(directory, files),
  resolveModule?: (reference: Reference) => Value | undefined,
  dataFiles?: DataFiles,
): LoadedModule {
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  const vars = variableDefaults(source.files);
  const declared = new Set(vars.keys());
  // Terraform's precedence, lowest first: defaults, TF_VAR_ environment variables, then the files and the command line.
  for (const [name, raw] of Object.entries(options.envVars ?? {})) {
    if (!declared.has(name)) continue;
    const value = textVariableValue(`TF_VAR_${name}`, 'parse/terraform-var-env', name, raw, source, diagnostics);
    if (value) vars.set(name, value);
  }
  const tfvarsFiles = listTfvars(directory);
  for (const tfvars of tfvarsFiles) assignTfvars(tfvars, vars, diagnostics, relativeTo(files[0], tfvars));
  const cliSources: CliVarSource[] = options.cliVarSources ?? [
    ...options.varFiles.map((file): CliVarSource => ({ kind: 'var-file', file })),
    ...Object.entries(options.vars).map(([name, value]): CliVarSource => ({ kind: 'var', name, value })),
  ];
  for (const cliSource of cliSources) {
    if (cliSource.kind === 'var-file') {
      assignTfvars(cliSource.file, vars, diagnostics, relativeTo(files[0], cliSource.file));
    } else if (declared.has(cliSource.name)) {
      const value = textVariableValue(`--var ${cliSource.name}`, 'parse/terraform-var-cli', cliSource.name, cliSource.value, source, diagnostics);
      if (value) vars.set(cliSource.name, value);
    }
  }
  return bindModule(source, '', vars, resolveModule, diagnostics, undefined, dataFiles);
}

/**
 * Binds a module instance: its variable values (a child module's inputs, evaluated lazily in the caller's scope),
 * converted to their declared types, so `optional()` object attributes get their defaults whichever source (default,
 * tfvars, `--var`, module input) gave the value; lazily evaluated locals, and a resolver that prefixes resource addresses with the instance address and hands
 * `module.*` references to `resolveModule`.
 */
export function bindModule(
  source: ModuleSource,
  address: string,
  vars: ReadonlyMap<string, Value>,
  resolveModule?: (reference: Reference) => Value | undefined,
  diagnostics: Diagnostic[] = [...source.diagnostics],
  /** The caller's arguments, for a module instance. */
  inputs?: ReadonlyMap<string, Definition>,
  dataFiles?: DataFiles,
): LoadedModule {
  vars = markedVariables(typedVariables(vars, source.variableTypes, source.nonNullableDefaults), source.sensitiveVariables);
  const resolve = (reference: Reference): Value | undefined => {
    if (reference.root === 'module') return resolveModule?.(reference);
    const resolved = resourceReference(reference) ?? gcpNetworkDataReference(reference);
    if (!resolved || resolved.kind !== 'ref') return resolved;
    const prefixed = address === '' ? resolved : { ...resolved, address: `${address}.${resolved.address}` };
    const nameStep = reference.steps[0];
    if (reference.steps.length === 1 && nameStep?.kind === 'attr') return wholeResource(reference.root, nameStep.name, prefixed);
    return (nameStep?.kind === 'attr' && writtenAddressArgument(reference, nameStep.name, resolved.attribute)) || prefixed;
  };
  const wholeResource = wholeResourceResolver(source.files, (text) => ({ text, vars, locals, resolve, dataFiles }));
  const writtenArgument = writtenArgumentResolver(source.files, (text) => ({ text, vars, locals, resolve, dataFiles }));
  // `type.name.argument` or `type.name[key].argument`, nothing after it: the argument as the instance writes it.
  const writtenAddressArgument = (reference: Reference, name: string, attribute: string | null): Value | undefined => {
    const last = reference.steps[reference.steps.length - 1];
    if (attribute === null || last?.kind !== 'attr' || last.name !== attribute) return undefined;
    const index = reference.steps[1];
    if (reference.steps.length === 2) return writtenArgument(reference.root, name, undefined, attribute);
    return reference.steps.length === 3 && index?.kind === 'index' ? writtenArgument(reference.root, name, index.key, attribute) : undefined;
  };
  const localExpressions = new Map<string, { attribute: Attribute; text: string }>();
  for (const { file, blocks } of source.files) {
    for (const block of blocks) {
      if (block.type !== 'locals') continue;
      for (const attribute of block.body.attributes) localExpressions.set(attribute.name, { attribute, text: writtenIn(attribute, file).text });
    }
  }
  const locals = lazyLocals(localExpressions, vars, resolve, dataFiles);
  const definitionOf = (root: 'local' | 'var', name: string): Definition | undefined => {
    if (root === 'var') return inputs?.get(name);
    const entry = localExpressions.get(name);
    return entry && { expr: entry.attribute.expr, scope: { text: entry.text, vars, locals, resolve, definitionOf, moduleAddress: address, dataFiles } };
  };
  return { directory: source.directory, address, files: source.files, vars, locals, resolve, definitionOf, dataFiles, annotations: source.annotations, diagnostics };
}

/** A module call argument that binds a child variable: evaluated in the caller's scope when first used. */
export interface ModuleInput {
  evaluate: () => Value;
  range: SourceRange;
}

/** Variable values of a child module: the caller's input expressions, evaluated on first use; cycles become unknown. */
export function lazyInputs(defaults: ReadonlyMap<string, Value>, inputs: ReadonlyMap<string, ModuleInput>): ReadonlyMap<string, Value> {
  const values = new Map<string, Value>();
  // Inputs first evaluated for a description, name or tag, whose notes on functions not computed were held back.
  const notesHeldBack = new Set<string>();
  const inProgress = new Set<string>();
  const map = {
    get(name: string): Value | undefined {
      const cached = values.get(name);
      if (cached && !(notesHeldBack.has(name) && !isEvaluatingDescriptively())) return cached;
      const input = inputs.get(name);
      if (!input || !defaults.has(name)) return defaults.get(name);
      if (inProgress.has(name) || inProgress.size > MAX_LOCAL_DEPTH) return unknownValue(`var.${name}`, input.range, 'cyclic module input');
      inProgress.add(name);
      const value = input.evaluate();
      inProgress.delete(name);
      values.set(name, value);
      if (isEvaluatingDescriptively()) notesHeldBack.add(name);
      else notesHeldBack.delete(name);
      return value;
    },
    has(name: string): boolean {
      return defaults.has(name);
    },
  };
  return map as unknown as ReadonlyMap<string, Value>;
}

/**
 * Variable values as Terraform binds them, on first use (module inputs are themselves lazy): a null given for a
 * `nullable = false` variable is its default, and every value is converted to the declared type.
 */
function typedVariables(vars: ReadonlyMap<string, Value>, types: ReadonlyMap<string, TypeConstraint>, nonNullable: ReadonlyMap<string, Value>): ReadonlyMap<string, Value> {
  if (types.size === 0 && nonNullable.size === 0) return vars;
  return convertedOnRead(vars, (name, given) => {
    const value = given.kind === 'null' ? nonNullable.get(name) ?? given : given;
    const type = types.get(name);
    // The declared type changes the value, not its sensitivity (a module input given a sensitive root variable).
    return type === undefined ? value : withSensitivityOf(value, convertToType(value, type));
  });
}

/**
 * Variable values with those of the variables declared `sensitive = true` marked `var.<name>`, whichever source
 * (default, tfvars, `--var`, `TF_VAR_`, module input) gave them; a value already sensitive keeps its origin.
 */
function markedVariables(vars: ReadonlyMap<string, Value>, sensitive: ReadonlySet<string>): ReadonlyMap<string, Value> {
  if (sensitive.size === 0) return vars;
  return convertedOnRead(vars, (name, value) => (sensitive.has(name) ? markSensitive(value, `var.${name}`) : value));
}

/** `vars` as `convert` makes each value, converted when first read and kept (only `get` and `has` are used). */
function convertedOnRead(vars: ReadonlyMap<string, Value>, convert: (name: string, value: Value) => Value): ReadonlyMap<string, Value> {
  const converted = new Map<string, Value>();
  const map = {
    get(name: string): Value | undefined {
      const cached = converted.get(name);
      if (cached) return cached;
      const given = vars.get(name);
      if (given === undefined) return undefined;
      const value = convert(name, given);
      converted.set(name, value);
      return value;
    },
    has(name: string): boolean {
      return vars.has(name);
    },
  };
  return map as unknown as ReadonlyMap<string, Value>;
}

/** `terraform.tfvars`, then `*.auto.tfvars` in alphabetical order (and their `.json` forms). */
function listTfvars(directory: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return [];
  }
  const autos = names.filter((name) => /\.auto\.tfvars(\.json)?$/.test(name)).sort();
  const base = names.filter((name) => name === 'terraform.tfvars' || name === 'terraform.tfvars.json');
  return [...base, ...autos].map((name) => path.join(directory, name));
}

/**
 * The display path of a file fwlint reads itself (a module folder's `.tf` file, a tfvars file): relative to the
 * working directory with `/` separators, like discovered files (`discover.ts` `toRelative`). The working directory
 * is not known here, so the path is found from a discovered file's (`sample`): its folder's display path joined with
 * the way from that folder to `absolute`. That is exactly `path.relative(cwd, absolute)` when the sample lies under
 * the working directory; when it lies outside (`../../tmp/x/main.tf`), a file reached by going up past the sample's
 * and the working directory's common folder may be shown by a longer way than the shortest one (the same file
 * either way). A file on another drive keeps its absolute path.
 */
export function relativeTo(sample: SourceFile | undefined, absolute: string): string {
  if (!sample) return absolute.split(path.sep).join('/');
  const fromSample = path.relative(path.dirname(sample.absolutePath), absolute);
  if (path.isAbsolute(fromSample)) return absolute.split(path.sep).join('/');
  return path.posix.normalize(path.posix.join(path.posix.dirname(sample.path), fromSample.split(path.sep).join('/')));
}

function assignTfvars(file: string, vars: Map<string, Value>, diagnostics: Diagnostic[], displayPath: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    diagnostics.push(errorDiagnostic('read/unreadable', displayPath, `cannot read variable file: ${describeFileError(error)}`));
    return;
  }
  if (file.endsWith('.json')) {
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      for (const [name, value] of Object.entries(data)) vars.set(name, fromJs(value));
    } catch (error) {
      diagnostics.push(errorDiagnostic('parse/tfvars-json', displayPath, `invalid JSON: ${(error as Error).message}`));
    }
    return;
  }
  const parsed = parseHcl(text, displayPath);
  diagnostics.push(...parsed.diagnostics);
  for (const attribute of parsed.body?.attributes ?? []) vars.set(attribute.name, evaluate(attribute.expr, { text }));
  for (const block of parsed.body?.blocks ?? []) {
    diagnostics.push(warningDiagnostic('parse/tfvars-block', displayPath, `blocks are not allowed in a variable file ("${block.type}")`, block.typeRange));
  }
}

/** A variable value given as text (`--var`, `TF_VAR_`) read as an HCL expression, or the first syntax problem. */
function hclValue(text: string): { value: Value } | { problem: string } {
  const source = `value = ${text}\n`;
  const parsed = parseHcl(source, '--var');
  const attribute = parsed.body?.attributes[0];
  if (parsed.diagnostics.length > 0 || !attribute) {
    // Named as the value given, not as the `value = …` line it is parsed in.
    const problem = (parsed.diagnostics[0]?.message ?? 'not an expression').replace('end of file', 'end of the value').replace('a newline after the value of "value"', 'the end of the value');
    return { problem };
  }
  return { value: evaluate(attribute.expr, { text: source }) };
}

/**
 * A variable value given as text (`--var`, `TF_VAR_`), read per the variable's declaration as Terraform does
 * (`configs.decodeVariableType`, `VariableParsingMode`): without `type`, or of type string, number or bool, the text
 * itself (`VariableParseLiteral`: `[prod] web` is a string, and so is `["10.0.0.0/8"]` for a variable without
 * `type`, which is worth a warning); for any other type (`any` too), an HCL expression (`VariableParseHCL`), which
 * when invalid is an error at the variable's declaration (Terraform stops there too) and gives no value.
 */
function textVariableValue(origin: string, code: string, name: string, raw: string, source: ModuleSource, diagnostics: Diagnostic[]): Value | undefined {
  const type = source.variableTypes.get(name);
  if (type?.kind === 'string' || type?.kind === 'number' || type?.kind === 'bool') return stringValue(raw);
  const declaration = variableDeclaration(source, name);
  const typeAttribute = declaration?.block.body.attributes.find((attribute) => attribute.name === 'type');
  const trimmed = raw.trim();
  if (!typeAttribute) {
    if (declaration && /^[[{]/.test(trimmed) && 'value' in hclValue(trimmed)) {
      const message = `${origin}: variable "${name}" has no type, so Terraform takes ${JSON.stringify(raw)} as a string, not as a list or map; declare its type (\`type = ${trimmed.startsWith('{') ? 'map(string)' : 'list(string)'}\`) to give one`;
      diagnostics.push(warningDiagnostic(code, declaration.file, message, declaration.block.labelRanges?.[0] ?? declaration.block.range));
    }
    return stringValue(raw);
  }
  const parsed = hclValue(trimmed);
  if ('value' in parsed) return parsed.value;
  if (declaration) {
    const typeText = writtenIn(typeAttribute, declaration.source).text.slice(typeAttribute.expr.start, typeAttribute.expr.end);
    const message = `${origin}: invalid value for variable "${name}": ${parsed.problem}; Terraform reads a value of type ${typeText} as an HCL expression, such as ${hclExample(type, trimmed)}`;
    diagnostics.push(errorDiagnostic(code, declaration.file, message, declaration.block.labelRanges?.[0] ?? declaration.block.range));
  }
  return undefined;
}

/** The first `variable "NAME"` block of a module, its file and the file's path. */
function variableDeclaration(source: ModuleSource, name: string): { block: Block; file: string; source: SourceFile } | undefined {
  for (const { file, blocks } of source.files) {
    const block = blocks.find((candidate) => candidate.type === 'variable' && candidate.labels[0] === name);
    if (block) return { block, file: file.path, source: file };
  }
  return undefined;
}

/** How a value of `type` is written in HCL, with `text` in it where it fits: `["0.0.0.0/0"]` for a list of strings. */
function hclExample(type: TypeConstraint | undefined, text: string): string {
  const quoted = JSON.stringify(text);
  if (type?.kind === 'list' || type?.kind === 'set' || type?.kind === 'tuple') return type.kind !== 'tuple' && type.element.kind === 'number' ? '[22, 443]' : `[${quoted}]`;
  if (type?.kind === 'map' || type?.kind === 'object') return `{ name = ${quoted} }`;
  return quoted;
}

/** Locals evaluated on first use, so they may reference each other in any order; cycles become unknown. */
function lazyLocals(
  expressions: Map<string, { attribute: Attribute; text: string }>,
  vars: ReadonlyMap<string, Value>,
  resolve: (reference: Reference) => Value | undefined,
  dataFiles: DataFiles | undefined,
): ReadonlyMap<string, Value> {
  const values = new Map<string, Value>();
  // Locals first evaluated for a description, name or tag, whose notes on functions not computed were held back.
  const notesHeldBack = new Set<string>();
  const inProgress = new Set<string>();
  const map = {
    get(name: string): Value | undefined {
      const cached = values.get(name);
      if (cached && !(notesHeldBack.has(name) && !isEvaluatingDescriptively())) return cached;
      const entry = expressions.get(name);
      if (!entry) return undefined;
      if (inProgress.has(name) || inProgress.size > MAX_LOCAL_DEPTH) return unknownValue(`local.${name}`, entry.attribute.range, 'cyclic local value');
      inProgress.add(name);
      const evaluated = evaluate(entry.attribute.expr, { text: entry.text, vars, locals: map as unknown as ReadonlyMap<string, Value>, resolve, dataFiles });
      // `sensitive(…)` names no variable: the local does.
      const value = evaluated.sensitive === '' ? { ...evaluated, sensitive: `local.${name}` } : evaluated;
      inProgress.delete(name);
      values.set(name, value);
      if (isEvaluatingDescriptively()) notesHeldBack.add(name);
      else notesHeldBack.delete(name);
      return value;
    },
    has(name: string): boolean {
      return expressions.has(name);
    },
  };
  return map as unknown as ReadonlyMap<string, Value>;
}

/**
 * Managed resources resolve to opaque references (`aws_security_group.web.id` → address `aws_security_group.web`),
 * which is all a rule needs to join its group; data sources, modules and anything else stay unknown.
 */
export function resourceReference(reference: Reference): Value | undefined {
  const [nameStep, ...rest] = reference.steps;
  if (!nameStep || nameStep.kind !== 'attr' || !reference.root.includes('_')) return undefined;
  if (['var', 'local', 'data', 'module', 'path', 'terraform', 'count', 'each', 'self'].includes(reference.root)) return undefined;
  let address = `${reference.root}.${nameStep.name}`;
  let remaining = rest;
  const index = rest[0];
  if (index?.kind === 'index' && (index.key.kind === 'number' || index.key.kind === 'string')) {
    address += index.key.kind === 'number' ? `[${index.key.value}]` : `[${JSON.stringify(index.key.value)}]`;
    remaining = rest.slice(1);
  }
  const attribute = remaining[0]?.kind === 'attr' ? remaining[0].name : null;
  return { kind: 'ref', address, attribute, text: reference.text, range: reference.range };
}

/** The scope of one resource instance. */
export function instanceScope(module: LoadedModule, text: string, extra: Partial<Scope> = {}): Scope {
  return { text, vars: module.vars, locals: module.locals, resolve: module.resolve, definitionOf: module.definitionOf, moduleAddress: module.address, dataFiles: module.dataFiles, ...extra };
}
