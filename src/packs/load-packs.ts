import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { errorDiagnostic, warningDiagnostic, type Diagnostic, type WithDiagnostics } from '../model/diagnostic';
import type { SourceRange } from '../model/location';
import { PortSet, SetParseError } from '../model/port-set';
import { formatMegabytes, readRegularFile } from '../discover/read';
import { describeYamlError, firstAliasOffset, firstOfItsKind, isYamlStackOverflow } from '../parsers/shared/hostile-input';
import { GENERATED_DIR, schemaValidator } from '../schemas/validators';
import type { FlowDirection, FlowProtocol, PackFlow, PackRole, Phase, RulePack } from './rule-pack';

/** `yaml` is loaded on first use (45 ms): the built-in packs usually come precompiled. */
const yaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');

/**
 * The built-in packs. `../../rules` is the package root's `rules/` both from `src/packs` (ts-jest) and from
 * `dist/packs` (after build); package.json lists `rules` in "files".
 */
export const BUILTIN_RULES_DIR = path.resolve(__dirname, '../../rules');

/** JSON Schema every pack file (built-in or user) is validated against. */
export const PACK_SCHEMA_FILE = path.join(BUILTIN_RULES_DIR, 'schema.json');

export interface LoadPacksOptions {
  /** Diagnostics name files relative to this folder. Default: process.cwd(). */
  cwd?: string;
  /** Load the built-in packs of `rules/` before `dirs`. Default: true. */
  builtins?: boolean;
}

const PACK_FILE = /\.ya?ml$/i;

/** The largest built-in pack is a few KB; a rule pack file beyond this is refused rather than read into memory. */
const MAX_PACK_BYTES = 4 * 1024 * 1024;

/**
 * Loads the built-in packs, then every `*.yaml`/`*.yml` file of each folder in `dirs` (or the file itself), in
 * code-unit order of file names. Never throws on bad input: unreadable files, YAML syntax errors, schema violations,
 * dangling references and duplicate pack ids become diagnostics, and the offending pack is left out.
 */
/**
 * Whether a `.json` file beside the packs of a folder is a JSON Schema (the shipped layout puts `schema.json` there for
 * editors): named `schema.json` or `*.schema.json`, or an object with a `$schema` key and no `roles` (a pack may name
 * its schema with `$schema` too). A file that cannot be read or parsed may be a broken pack: not one.
 */
function isJsonSchemaFile(absolute: string): boolean {
  if (/(^|\.)schema\.json$/i.test(path.basename(absolute))) return true;
  const read = readRegularFile(absolute, MAX_PACK_BYTES);
  if ('problem' in read) return false;
  try {
    const value: unknown = JSON.parse(read.bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, '$schema') && !Object.hasOwn(value, 'roles');
  } catch {
    return false;
  }
}

export function loadPacks(dirs: readonly string[], options: LoadPacksOptions = {}): WithDiagnostics<RulePack[]> {
  const cwd = options.cwd ?? process.cwd();
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const addFile = (absolute: string): void => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push(absolute);
  };

  const skippedJson = new Set<string>();
  const roots = options.builtins === false ? [...dirs] : [BUILTIN_RULES_DIR, ...dirs];
  for (const root of roots) {
    const absolute = path.resolve(cwd, root);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      diagnostics.push(errorDiagnostic('packs/read', displayPath(cwd, absolute), `cannot read rule packs: ${reason(error)}`));
      continue;
    }
    if (stat.isDirectory()) {
      let entries: string[];
      try {
        entries = fs.readdirSync(absolute);
      } catch (error) {
        diagnostics.push(errorDiagnostic('packs/read', displayPath(cwd, absolute), `cannot read rule packs: ${reason(error)}`));
        continue;
      }
      entries.sort(compareCodeUnits);
      for (const name of entries) if (PACK_FILE.test(name)) addFile(path.join(absolute, name));
      // A pack written as JSON is read when named itself, but not from a folder (which may hold a schema.json beside
      // the packs): said below, rather than leaving the pack unknown without a word.
      if (absolute !== BUILTIN_RULES_DIR) for (const name of entries) if (/\.json$/i.test(name)) skippedJson.add(path.join(absolute, name));
    } else {
      addFile(absolute);
    }
  }

  for (const absolute of skippedJson) {
    if (seen.has(absolute) || isJsonSchemaFile(absolute)) continue;
    const message = 'not read: only .yaml and .yml files are read from a rule pack folder; if this is a rule pack, name the file itself in rulePacks (or --rules), or rename it to .yaml (JSON is valid YAML); if it is not, move it out of the folder (a JSON Schema there, such as schema.json, is left alone)';
    diagnostics.push(warningDiagnostic('packs/not-read', displayPath(cwd, absolute), message));
  }

  const packs: RulePack[] = [];
  const fileOfId = new Map<string, string>();
  for (const absolute of files) {
    const file = displayPath(cwd, absolute);
    const read = readRegularFile(absolute, MAX_PACK_BYTES);
    if ('problem' in read) {
      const why = read.problem === 'too-large' ? `it is larger than ${formatMegabytes(MAX_PACK_BYTES)}` : read.reason;
      diagnostics.push(errorDiagnostic('packs/read', file, `cannot read rule pack: ${why}`));
      continue;
    }
    if (read.bytes.includes(0)) {
      diagnostics.push(errorDiagnostic('packs/read', file, 'cannot read rule pack: the file is binary (contains NUL bytes), not YAML'));
      continue;
    }
    const text = read.bytes.toString('utf8');
    const parsed = (path.dirname(absolute) === BUILTIN_RULES_DIR ? precompiledPack(path.basename(absolute), text, file) : undefined) ?? parsePack(text, file);
    diagnostics.push(...parsed.diagnostics);
    const pack = parsed.value;
    if (!pack) continue;
    const firstFile = fileOfId.get(pack.id);
    if (firstFile !== undefined) {
      diagnostics.push(
        errorDiagnostic(
          'packs/duplicate-id',
          file,
          `/id: pack id '${pack.id}' is already defined in ${firstFile}; pack ids must be unique, this file is ignored`,
          parsed.idRange,
        ),
      );
      continue;
    }
    fileOfId.set(pack.id, file);
    packs.push(pack);
  }
  return { value: packs, diagnostics };
}

/** Result of parsing one pack file; `idRange` locates its `id` value for duplicate-id diagnostics. */
export interface ParsedPack extends WithDiagnostics<RulePack | null> {
  idRange?: SourceRange;
}

/**
 * Parses and validates the text of one pack file. `file` is only used to label diagnostics.
 * Returns `value: null` when the pack has any error.
 */
export function parsePack(text: string, file: string): ParsedPack {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locate = (offsetStart: number, offsetEnd: number): SourceRange => rangeOf(lineCounter, text, offsetStart, offsetEnd);

  const seen = new Set<string>();
  const yamlErrors = doc.errors
    .filter((error) => firstOfItsKind(seen, error.code, error.message, error.pos[0]))
    .map((error) => {
      const [start, end] = error.pos;
      const problem = isYamlStackOverflow(error.message) ? describeYamlError(error.message) : `YAML syntax error: ${firstLine(error.message)}`;
      return errorDiagnostic('packs/yaml', file, problem, locate(start, end));
    });
  if (yamlErrors.length > 0) return { value: null, diagnostics: yamlErrors };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml throws here for alias bombs and unresolved aliases: bad input, so reported, not rethrown.
    return { value: null, diagnostics: [errorDiagnostic('packs/yaml', file, `YAML error: ${describeYamlError(reason(error))}`, locate(firstAliasOffset(doc), firstAliasOffset(doc)))] };
  }

  const at = (pointer: string, preferKey = false): SourceRange | undefined => {
    const span = spanOfPointer(doc, pointer, preferKey);
    return span ? locate(span[0], span[1]) : undefined;
  };

  const validate = packValidator();
  if (!validate(data)) {
    return { value: null, diagnostics: schemaDiagnostics(validate.errors ?? [], file, at) };
  }

  const raw = data as RawPack;
  const diagnostics = checkReferences(raw, file, at);
  if (diagnostics.length > 0) return { value: null, diagnostics };

  const pack: RulePack = {
    id: raw.id,
    title: raw.title,
    vendor: raw.vendor,
    productVersion: raw.productVersion,
    source: raw.source,
    file,
    peers: { ...raw.peers },
    peerRoles: Object.fromEntries(Object.entries(raw.peerRoles ?? {}).map(([peer, roles]) => [peer, [...roles]])),
    parameters: Object.fromEntries(
      Object.entries(raw.parameters ?? {}).map(([name, parameter]) => [name, { default: parameter.default, description: parameter.description }]),
    ),
    options: { ...(raw.options ?? {}) },
    roles: {},
  };
  if (raw.description !== undefined) pack.description = raw.description;
  for (const [roleId, rawRole] of Object.entries(raw.roles)) {
    const role: PackRole = {
      id: roleId,
      title: rawRole.title,
      description: rawRole.description,
      flows: rawRole.flows.map((flow, index) => toPackFlow(flow, at(`/roles/${escapePointer(roleId)}/flows/${index}`))),
      basic: (rawRole.basic ?? []).map((flow, index) => toPackFlow(flow, at(`/roles/${escapePointer(roleId)}/basic/${index}`))),
    };
    pack.roles[roleId] = role;
  }
  const result: ParsedPack = { value: pack, diagnostics: [] };
  const idRange = at('/id');
  if (idRange) result.idRange = idRange;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Raw (schema-validated) shapes

interface RawFlow {
  id?: string;
  direction: FlowDirection;
  protocol: FlowProtocol;
  ports?: Array<string | number>;
  peer: string;
  purpose: string;
  phase?: Phase;
  condition?: string;
  alternatives?: Array<{ protocol: FlowProtocol; ports?: Array<string | number> }>;
}

interface RawPack {
  id: string;
  title: string;
  vendor: string;
  productVersion: string;
  source: string;
  description?: string;
  peers: Record<string, string>;
  peerRoles?: Record<string, string[]>;
  parameters?: Record<string, { default: number; description: string }>;
  options?: Record<string, string>;
  roles: Record<string, { title: string; description: string; flows: RawFlow[]; basic?: RawFlow[] }>;
}

/** `<direction>/<protocol>/<ports as written>/<peer>[?<condition>]`, e.g. `in/tcp/9011/installer`. */
export function flowIdOf(flow: Pick<PackFlow, 'direction' | 'protocol' | 'ports' | 'peer' | 'condition'>): string {
  const ports = flow.ports.length > 0 ? flow.ports.join(',') : 'all';
  const base = `${flow.direction}/${flow.protocol}/${ports}/${flow.peer}`;
  return flow.condition ? `${base}?${flow.condition}` : base;
}

function toPackFlow(raw: RawFlow, range: SourceRange | undefined): PackFlow {
  const flow: PackFlow = {
    id: '',
    direction: raw.direction,
    protocol: raw.protocol,
    ports: (raw.ports ?? []).map(String),
    peer: raw.peer,
    purpose: raw.purpose,
    alternatives: (raw.alternatives ?? []).map((alternative) => ({
      protocol: alternative.protocol,
      ports: (alternative.ports ?? []).map(String),
    })),
  };
  if (raw.phase) flow.phase = raw.phase;
  if (raw.condition) flow.condition = raw.condition;
  flow.id = raw.id ?? flowIdOf(flow);
  if (range) flow.line = range.startLine;
  return flow;
}

// ---------------------------------------------------------------------------------------------------------------
// Reference checks: what JSON Schema cannot say (names declared elsewhere in the file, port arithmetic)

type Locator = (pointer: string, preferKey?: boolean) => SourceRange | undefined;

const PARAMETER_REFERENCE = /^\{([a-z0-9][a-z0-9-]*)\}$/;

function checkReferences(raw: RawPack, file: string, at: Locator): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, pointer: string, problem: string): void => {
    diagnostics.push(errorDiagnostic(code, file, `${pointer}: ${problem}`, at(pointer)));
  };
  const peers = Object.keys(raw.peers);
  const options = Object.keys(raw.options ?? {});
  const parameters = raw.parameters ?? {};

  // Names are used as keys of plain objects further on (peer bindings, roles): one that Object.prototype already
  // has (`constructor`) would find the inherited value instead of nothing. The schema's name pattern already
  // rules out `__proto__` and every mixed-case name; this catches the rest.
  const sections = { peers: raw.peers, peerRoles: raw.peerRoles ?? {}, options: raw.options ?? {}, parameters, roles: raw.roles } as Record<string, object>;
  for (const [section, names] of Object.entries(sections)) {
    for (const name of Object.keys(names)) {
      if (name in Object.prototype) {
        const pointer = `/${section}/${escapePointer(name)}`;
        diagnostics.push(errorDiagnostic('packs/reserved-name', file, `${pointer}: '${name}' is a reserved name (a property of every JavaScript object); choose another name`, at(pointer, true)));
      }
    }
  }

  const checkPorts = (pointer: string, protocol: FlowProtocol, ports: Array<string | number> | undefined): void => {
    if (ports === undefined) return;
    if (protocol === 'icmp' || protocol === 'all') {
      report('packs/bad-ports', `${pointer}/ports`, `ports must be omitted for protocol ${protocol} (it covers all ports)`);
      return;
    }
    ports.forEach((item, index) => {
      const itemPointer = `${pointer}/ports/${index}`;
      const text = String(item);
      const reference = PARAMETER_REFERENCE.exec(text);
      if (reference) {
        const name = reference[1]!;
        if (!Object.hasOwn(parameters, name)) {
          report('packs/unknown-parameter', itemPointer, `unknown parameter '${name}'; ${known('declared parameters', Object.keys(parameters))}`);
        }
        return;
      }
      try {
        PortSet.parse(text);
      } catch (error) {
        if (!(error instanceof SetParseError)) throw error;
        report('packs/bad-ports', itemPointer, error.message);
      }
    });
  };

  const roles = Object.keys(raw.roles);
  for (const [peer, peerRoles] of Object.entries(raw.peerRoles ?? {})) {
    const pointer = `/peerRoles/${escapePointer(peer)}`;
    if (!peers.includes(peer)) {
      diagnostics.push(errorDiagnostic('packs/unknown-peer', file, `${pointer}: unknown peer '${peer}'; ${known('declared peers', peers)}`, at(pointer, true)));
    }
    peerRoles.forEach((role, index) => {
      if (!roles.includes(role)) report('packs/unknown-role', `${pointer}/${index}`, `unknown role '${role}'; ${known('roles of this pack', roles)}`);
    });
  }

  for (const [roleId, role] of Object.entries(raw.roles)) {
    for (const list of ['flows', 'basic'] as const) {
      const ids = new Map<string, number>();
      (role[list] ?? []).forEach((flow, index) => {
        const pointer = `/roles/${escapePointer(roleId)}/${list}/${index}`;
        if (!peers.includes(flow.peer)) {
          report('packs/unknown-peer', `${pointer}/peer`, `unknown peer '${flow.peer}'; ${known('declared peers', peers)}`);
        }
        if (flow.condition !== undefined && !options.includes(flow.condition)) {
          report('packs/unknown-option', `${pointer}/condition`, `unknown option '${flow.condition}'; ${known('declared options', options)}`);
        }
        checkPorts(pointer, flow.protocol, flow.ports);
        (flow.alternatives ?? []).forEach((alternative, alternativeIndex) =>
          checkPorts(`${pointer}/alternatives/${alternativeIndex}`, alternative.protocol, alternative.ports),
        );
        const id = flow.id ?? flowIdOf({ ...flow, ports: (flow.ports ?? []).map(String) });
        const first = ids.get(id);
        if (first !== undefined) {
          report(
            'packs/duplicate-flow',
            pointer,
            `flow id '${id}' is already used by /roles/${escapePointer(roleId)}/${list}/${first}; merge the two flows or give one an explicit id`,
          );
        } else {
          ids.set(id, index);
        }
      });
    }
  }
  return diagnostics;
}

function known(label: string, names: readonly string[]): string {
  return names.length === 0 ? `there are no ${label}` : `${label}: ${names.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Schema validation and error wording

function packValidator(): ReturnType<typeof schemaValidator> {
  return schemaValidator('pack');
}

// ---------------------------------------------------------------------------------------------------------------
// Built-in packs parsed at build time (`src/build/precompile.ts`): YAML parsing and validation cost a scan that maps
// a target to a profile about 200 ms; the result is the same for the same text, so the build does it once.

interface PrecompiledPack {
  /** The file text the entry was made from: used only while the file still reads the same. */
  text: string;
  pack: RulePack;
  idRange?: SourceRange;
}

let precompiled: Map<string, PrecompiledPack> | null | undefined;

function precompiledPack(name: string, text: string, file: string): ParsedPack | undefined {
  if (precompiled === undefined) {
    try {
      const entries = JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, 'builtin-packs.json'), 'utf8')) as Record<string, PrecompiledPack>;
      precompiled = new Map(Object.entries(entries));
    } catch {
      precompiled = null; // Not built (ts-jest) or unreadable: parse the YAML.
    }
  }
  const entry = precompiled?.get(name);
  if (!entry || entry.text !== text) return undefined;
  const result: ParsedPack = { value: { ...(JSON.parse(JSON.stringify(entry.pack)) as RulePack), file }, diagnostics: [] };
  if (entry.idRange) result.idRange = entry.idRange;
  return result;
}

/** The content of `dist/generated/builtin-packs.json`: every built-in pack that parses without a diagnostic. */
export function builtinPacksCacheSource(): string {
  const entries: Record<string, PrecompiledPack> = {};
  for (const name of fs.readdirSync(BUILTIN_RULES_DIR).filter((entry) => PACK_FILE.test(entry)).sort(compareCodeUnits)) {
    const text = fs.readFileSync(path.join(BUILTIN_RULES_DIR, name), 'utf8');
    const parsed = parsePack(text, '');
    if (!parsed.value || parsed.diagnostics.length > 0) continue;
    const entry: PrecompiledPack = { text, pack: parsed.value };
    if (parsed.idRange) entry.idRange = parsed.idRange;
    entries[name] = entry;
  }
  return `${JSON.stringify(entries)}\n`;
}

interface SchemaProblem {
  pointer: string;
  problem: string;
  /** Point at the property name rather than its value (unknown or misspelt keys). */
  atKey: boolean;
}

function schemaDiagnostics(errors: readonly ErrorObject[], file: string, at: Locator): Diagnostic[] {
  // An anyOf failure already says what the value must be; its branches' own failures at the same value (reached
  // through $ref, so their schema paths do not nest under the anyOf) would only add noise.
  const anyOfValues = new Set(errors.filter((error) => error.keyword === 'anyOf').map((error) => error.instancePath));
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && anyOfValues.has(error.instancePath)) continue;
    const problem = describeSchemaError(error);
    if (problem) problems.push(problem);
  }
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const { pointer, problem, atKey } of problems) {
    const shown = pointer === '' ? '/' : pointer;
    const key = `${shown}: ${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(errorDiagnostic('packs/schema', file, key, at(pointer, atKey)));
  }
  return diagnostics.sort(
    (a, b) => (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0) || (a.range?.startColumn ?? 0) - (b.range?.startColumn ?? 0),
  );
}

function describeSchemaError(error: ErrorObject): SchemaProblem | undefined {
  const schemaDescription = (error.parentSchema as { description?: unknown } | undefined)?.description;
  const described = typeof schemaDescription === 'string' ? schemaDescription : undefined;
  // Failures inside `propertyNames` carry the offending key; the wrapper error that follows repeats it.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const pointer = `${error.instancePath}/${escapePointer(propertyName)}`;
    return { pointer, problem: `invalid name '${propertyName}': must be ${described ?? 'a valid name'}`, atKey: true };
  }
  switch (error.keyword) {
    case 'propertyNames':
    case 'if':
      return undefined;
    case 'required':
      return { pointer: error.instancePath, problem: `must have required property '${String(error.params['missingProperty'])}'`, atKey: false };
    case 'additionalProperties': {
      const property = String(error.params['additionalProperty']);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: `${error.instancePath}/${escapePointer(property)}`,
        problem: `unknown property '${property}'${allowed.length > 0 ? `; allowed: ${allowed.join(', ')}` : ''}`,
        atKey: true,
      };
    }
    case 'enum':
      return {
        pointer: error.instancePath,
        problem: `must be one of ${(error.params['allowedValues'] as unknown[]).map(String).join(', ')}`,
        atKey: false,
      };
    case 'pattern':
    case 'anyOf':
      return { pointer: error.instancePath, problem: described ? `must be ${described}` : (error.message ?? 'is invalid'), atKey: false };
    default:
      return { pointer: error.instancePath, problem: error.message ?? `fails ${error.keyword}`, atKey: false };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON pointer -> YAML source span

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Offsets [start, end) of the node a JSON pointer names, or of its nearest existing ancestor (a missing property is
 * reported at the object that lacks it). Collections are shortened to their first line so that a diagnostic does not
 * span a whole block.
 */
function spanOfPointer(doc: Document, pointer: string, preferKey: boolean): [number, number] | undefined {
  const { isCollection, isMap, isPair, isScalar, isSeq } = yaml();
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.items.length) break;
      keyNode = undefined;
      node = node.items[index];
    } else {
      break;
    }
  }
  const target = preferKey && keyNode ? keyNode : (node ?? keyNode);
  const range = (target as { range?: [number, number, number] } | null | undefined)?.range;
  if (!range) return undefined;
  if (isCollection(target)) return [range[0], range[0]];
  return [range[0], range[1]];
}

function rangeOf(lineCounter: LineCounter, text: string, start: number, end: number): SourceRange {
  // A collection (or an error without extent) is shown as the rest of its first line.
  let stop = end;
  if (stop <= start) {
    const newline = text.indexOf('\n', start);
    stop = newline === -1 ? text.length : newline;
    if (stop > start && text[stop - 1] === '\r') stop--;
  }
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(stop, start));
  return { startLine: from.line, startColumn: from.col, endLine: to.line, endColumn: to.col };
}

// ---------------------------------------------------------------------------------------------------------------

function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  return (relative === '' ? path.basename(absolute) : relative).split(path.sep).join('/');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reason(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    if (code === 'ENOENT') return 'no such file or folder';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'EISDIR') return 'is a folder';
    return code;
  }
  return error instanceof Error ? firstLine(error.message) : String(error);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
