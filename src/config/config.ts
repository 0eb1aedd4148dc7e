import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { errorDiagnostic, warningDiagnostic, type Diagnostic, type WithDiagnostics } from '../model/diagnostic';
import type { SourceRange } from '../model/location';
import { SetParseError } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import type { Severity } from '../model/severity';
export { matchesGlob } from '../model/glob';
import { formatMegabytes, readRegularFile } from '../discover/read';
import { settingsRoot } from '../discover/settings-root';
import { describeYamlError, firstAliasOffset, firstOfItsKind, shorten } from '../parsers/shared/hostile-input';
import { isAtMostOneEditApart } from '../parsers/shared/annotations';
import { dateProblem } from '../suppress/suppress';
import { SCHEMAS, schemaValidator } from '../schemas/validators';

export interface TargetMapping {
  match: string[];
  /**
   * Absent: the entry binds peers and parameters (and phase, options) for targets a `fwlint:profile` comment or tag, or
   * `--profile`, maps. Several roles of one pack (a host carrying them all) are one reference, `pack/a,b`: a list in
   * the file is joined so when loaded.
   */
  profile?: string;
  phase?: 'install' | 'operate';
  options?: string[];
  parameters?: Record<string, number>;
  peers?: Record<string, string[]>;
}

export interface IgnoreEntry {
  check: string;
  target?: string;
  ports?: string;
  peer?: string;
  reason: string;
  expires?: string;
}

export interface FwlintConfig {
  rulePacks?: string[];
  targets?: TargetMapping[];
  checks?: Record<string, 'off' | Severity | { severity?: Severity | 'off'; [option: string]: unknown }>;
  publicPorts?: string[];
  failOn?: Severity | 'none';
  ignore?: IgnoreEntry[];
}

export interface LoadedConfig {
  config: FwlintConfig;
  /** Relative path of the file, for messages; undefined when no config file applies. */
  file?: string;
  /** Folder the config's relative paths are resolved against. */
  directory: string;
  /** Where `ignore:` entries (`/ignore/<i>`) and `checks:` keys (`/checks/<id>`) are, for messages about them. */
  locations?: Record<string, SourceRange>;
  /** Where a JSON pointer (`/targets/0/peers/admin`) is written in the file, for messages about valid values. */
  locate?: (pointer: string) => SourceRange | undefined;
  /**
   * Entries of `targets:` and `ignore:` (`/targets/1`) that have an error: they apply to nothing, and stand in their
   * list as entries matching nothing so that the others keep their index. Undefined when there is none.
   */
  leftOut?: ReadonlySet<string>;
}

export const CONFIG_FILE_NAMES = ['.fwlint.yaml', '.fwlint.yml'];

/** A config is a few hundred lines; anything near this size is not one (and is not read whole into memory). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function configValidator(): ReturnType<typeof schemaValidator> {
  return schemaValidator('config');
}

/**
 * Finds `.fwlint.yaml` in `start` or its parents, up to the repository root (a folder holding `.git`); without a
 * repository, up to the working directory `cwd` when `start` is inside it, else in `start` only (`settingsRoot`).
 */
export function findConfigFile(start: string, cwd: string): string | undefined {
  let current = path.resolve(start);
  if (fs.existsSync(current) && !fs.statSync(current).isDirectory()) current = path.dirname(current);
  const root = settingsRoot(current, cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (current === root || path.dirname(current) === current) return undefined;
    current = path.dirname(current);
  }
}

/**
 * A warning when the folder of a config file found by `findConfigFile` also holds the other name: only the first of
 * `CONFIG_FILE_NAMES` is read, and the settings of the other would be silently ignored.
 */
export function shadowedConfigWarning(file: string, cwd: string): Diagnostic | undefined {
  const folder = path.dirname(file);
  const others = CONFIG_FILE_NAMES.filter((name) => name !== path.basename(file) && fs.existsSync(path.join(folder, name)));
  if (others.length === 0) return undefined;
  const display = (name: string): string => path.relative(cwd, path.join(folder, name)).split(path.sep).join('/');
  return warningDiagnostic(
    'config/shadowed',
    display(others[0]!),
    `${display(path.basename(file))} and ${display(others[0]!)} are both in one folder: fwlint reads ${path.basename(file)} only, and ignores ${others[0]}; merge them into one file`,
  );
}

/**
 * A warning for each config file in a folder of the scanned files below where the config search starts: one scan
 * reads one config, found from the folder holding every scanned path upwards (`findConfigFile`), so a sub-project's
 * `.fwlint.yaml` is not read when the scan names paths outside it (`fwlint scan app/main.tf web/main.tf`, or `.`).
 * Its role mappings and ignores would silently not apply (QA 14 item 04).
 */
export function unappliedConfigWarnings(scannedFiles: readonly string[], searchStart: string, usedFile: string | undefined, cwd: string): Diagnostic[] {
  // Compared and named by real path: a link into a folder (`app/up -> ..`) reaches the config in use again.
  const realPath = (file: string): string => {
    try {
      return fs.realpathSync(file);
    } catch {
      return file;
    }
  };
  const used = usedFile === undefined ? undefined : realPath(path.resolve(cwd, usedFile));
  let start = path.resolve(searchStart);
  if (fs.existsSync(start) && !fs.statSync(start).isDirectory()) start = path.dirname(start);
  const below = start.endsWith(path.sep) ? start : start + path.sep;
  const seen = new Set<string>();
  const unapplied: string[] = [];
  for (const file of scannedFiles) {
    for (let folder = path.dirname(path.resolve(file)); folder.startsWith(below) && !seen.has(folder); folder = path.dirname(folder)) {
      seen.add(folder);
      const found = CONFIG_FILE_NAMES.map((name) => path.join(folder, name)).find((candidate) => fs.existsSync(candidate));
      const real = found === undefined ? undefined : realPath(found);
      if (real !== undefined && real !== used && !unapplied.includes(real)) unapplied.push(real);
    }
  }
  const realCwd = realPath(cwd);
  const display = (file: string): string => path.relative(realCwd, file).split(path.sep).join('/') || file;
  const reading = used === undefined ? 'reads no config' : `reads ${display(used)}`;
  return unapplied.sort().map((file) =>
    warningDiagnostic(
      'config/not-applied',
      display(file),
      `not applied: this scan ${reading} (one config per scan, found from the folder holding every scanned path upwards); scan ${display(path.dirname(file))} on its own, or pass --config ${display(file)}`,
    ),
  );
}

/** Loads and validates a config file; errors name the file, the path inside it, the line and the problem. */
export function loadConfig(file: string, cwd: string): WithDiagnostics<LoadedConfig> {
  const relative = path.relative(cwd, file).split(path.sep).join('/');
  const empty: LoadedConfig = { config: {}, file: relative, directory: path.dirname(file) };
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if ('problem' in read) {
    const why = read.problem === 'too-large' ? `it is larger than ${formatMegabytes(MAX_CONFIG_BYTES)}` : read.reason;
    return { value: empty, diagnostics: [errorDiagnostic('config/unreadable', relative, `cannot read config: ${why}`)] };
  }
  const text = read.bytes.toString('utf8');
  if (text.includes('\u0000')) {
    return { value: empty, diagnostics: [errorDiagnostic('config/binary', relative, 'the config file is not UTF-8 text (it contains NUL bytes: binary, or saved as UTF-16); save it as UTF-8 YAML', pointRange(1, 1))] };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    const seen = new Set<string>();
    return {
      value: empty,
      diagnostics: document.errors
        .filter((error) => firstOfItsKind(seen, error.code, error.message, error.pos[0]))
        .map((error) => {
          const start = lineCounter.linePos(error.pos[0]);
          return errorDiagnostic('config/yaml', relative, `invalid YAML: ${describeYamlError(error.message)}`, pointRange(start.line, start.col));
        }),
    };
  }
  let data: unknown;
  try {
    data = (document.toJS({ maxAliasCount: 100 }) ?? {}) as unknown;
  } catch (error) {
    // `yaml` throws here for alias bombs ("Excessive alias count") and for absurd nesting: bad input, reported.
    return { value: empty, diagnostics: [errorDiagnostic('config/yaml', relative, `invalid YAML: ${describeYamlError(error instanceof Error ? error.message : String(error))}`, toPoint(lineCounter, firstAliasOffset(document)))] };
  }
  const validate = configValidator();
  const diagnostics: Diagnostic[] = [];
  // Every problem of the file is reported in one run, as a linter's user expects (QA 14 item 05): the part of the file
  // a problem is in (an entry of `targets:` or `ignore:`, an item of a list, a key) is left out, and the later passes
  // (port lists, dates, the roles named) still read the rest.
  const inError = new Set<string>();
  if (!validate(data)) {
    const configSchema = JSON.parse(fs.readFileSync(SCHEMAS.config.file, 'utf8')) as SchemaNode;
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const unknownKey = error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty?: unknown }).additionalProperty) : undefined;
      inError.add(partInError(error.instancePath === '' && unknownKey !== undefined ? `/${escapePointer(unknownKey)}` : error.instancePath));
    }
    for (const error of relevantErrors(validate.errors ?? [], data)) {
      const pointer = error.instancePath || '/';
      // An unknown key is pointed at where it is written, not at the whole object holding it.
      const node =
        error.keyword === 'additionalProperties'
          ? keyAtPointer(document.contents as YamlNode | null, error.instancePath, String((error.params as { additionalProperty?: unknown }).additionalProperty))
          : nodeAtPointer(document.contents as YamlNode | null, error.instancePath);
      const range = node?.range ? toRange(lineCounter, node.range[0], node.range[1]) : undefined;
      const detail = schemaProblem(error, configSchema);
      if (detail === undefined) continue;
      const message = `${pointer}: ${detail}`;
      if (seen.has(message)) continue;
      seen.add(message);
      diagnostics.push(errorDiagnostic('config/schema', relative, message, range));
    }
  }
  const locate = (pointer: string): SourceRange | undefined => {
    const node = nodeAtPointer(document.contents as YamlNode | null, pointer);
    return node?.range ? toRange(lineCounter, node.range[0], node.range[1]) : undefined;
  };
  // The schema checks the shape of port lists and dates; numbers out of range, reversed ranges and days that no
  // calendar has are found by parsing them.
  const valueProblems = inError.has('') ? [] : [...portListProblems(data, inError), ...inapplicableIgnoreSettings(data, inError), ...expiryProblems(data, inError)];
  for (const { pointer, problem, code } of valueProblems) {
    diagnostics.push(errorDiagnostic(code ?? 'config/schema', relative, code === undefined ? `${pointer}: ${problem}` : problem, locate(pointer)));
  }
  const leftOut = new Set([...inError, ...valueProblems.map(({ pointer }) => partInError(pointer))]);
  const applied = withoutParts(data as Record<string, unknown>, leftOut);
  for (const mapping of (applied as { targets?: Array<{ profile?: string | string[] }> }).targets ?? []) {
    if (Array.isArray(mapping.profile)) mapping.profile = mapping.profile.join(',');
  }
  const value: LoadedConfig = { config: applied, file: relative, directory: path.dirname(file), locate, locations: entryLocations(document.contents as YamlNode | null, lineCounter) };
  const leftOutEntries = [...leftOut].filter((pointer) => ENTRY_LISTS.some((list) => pointer.startsWith(`/${list}/`)));
  if (leftOutEntries.length > 0) value.leftOut = new Set(leftOutEntries);
  return { value, diagnostics };
}

/** Lists whose entries are named by their index in messages (`/targets/2`): an entry left out keeps its place. */
const ENTRY_LISTS = ['targets', 'ignore'] as const;
/** Lists and maps whose items are left out one by one when in error; of any other key, the whole value. */
const ITEM_LISTS = [...ENTRY_LISTS, 'publicPorts', 'rulePacks', 'checks'];

/** The part of the config a problem at `pointer` puts out of use: an item of a list (or a `checks:` key), else a top-level key. */
function partInError(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  if (segments.length === 0) return '';
  return ITEM_LISTS.includes(segments[0]!) && segments.length > 1 ? `/${segments[0]}/${segments[1]}` : `/${segments[0]}`;
}

/**
 * A copy of the config without the parts in error (`partInError`). An entry of `targets:` or `ignore:` left out keeps
 * its place as an entry that matches nothing, so that the others keep their index (`/targets/2`) in messages; the
 * consumers skip it by `LoadedConfig.leftOut`.
 */
function withoutParts(data: Record<string, unknown>, parts: ReadonlySet<string>): FwlintConfig {
  if (parts.has('')) return {};
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (parts.has(`/${escapePointer(key)}`)) continue;
    if (!ITEM_LISTS.includes(key) || typeof value !== 'object' || value === null) {
      copy[key] = value;
    } else if (Array.isArray(value)) {
      const isEntryList = (ENTRY_LISTS as readonly string[]).includes(key);
      const placeholder = key === 'targets' ? { match: [] } : { check: '', reason: '' };
      copy[key] = isEntryList
        ? value.map((item, index) => (parts.has(`/${key}/${index}`) ? placeholder : item))
        : value.filter((_item, index) => !parts.has(`/${key}/${index}`));
    } else {
      copy[key] = Object.fromEntries(Object.entries(value).filter(([name]) => !parts.has(`/${key}/${escapePointer(name)}`)));
    }
  }
  return copy as FwlintConfig;
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The ranges of `ignore:` entries and `checks:` keys (JSON pointers), so diagnostics about them name their line. */
function entryLocations(root: YamlNode | null, lineCounter: LineCounter): Record<string, SourceRange> {
  const locations: Record<string, SourceRange> = {};
  const ignore = nodeAtPointer(root, '/ignore');
  if (isSeq(ignore)) {
    ignore.items.forEach((item, index) => {
      const range = (item as YamlNode | null)?.range;
      if (range) locations[`/ignore/${index}`] = toRange(lineCounter, range[0], range[1]);
    });
  }
  const checks = nodeAtPointer(root, '/checks');
  if (isMap(checks)) {
    for (const pair of checks.items) {
      const key = pair.key as YamlNode | null;
      if (key?.range) locations[`/checks/${String((key as { value?: unknown }).value ?? key.toString())}`] = toRange(lineCounter, key.range[0], key.range[1]);
    }
  }
  return locations;
}

/**
 * Ajv reports a value that fits no branch of a `oneOf` with every branch's complaint and a summary ("must be object",
 * "must be one of off, …", "must match exactly one schema"). Only the branch written for the value's kind speaks to
 * what the user meant: for `FW103: { maxPort: 1 }` the object branch ("unknown key"), for `FW104: sever` the list of
 * names. The summary is dropped when a branch says more.
 */
function relevantErrors(errors: readonly ErrorObject[], data: unknown): ErrorObject[] {
  const oneOfOf = (error: ErrorObject): string | undefined => /^(.*\/oneOf)\/\d+\//.exec(error.schemaPath)?.[1];
  const kept = errors.filter((error) => {
    if (error.keyword === 'oneOf' || oneOfOf(error) === undefined) return true;
    const summary = errors.find((other) => other.keyword === 'oneOf' && other.schemaPath === oneOfOf(error));
    // Complaints about members of an object value come from the object branch: always to the point.
    if (!summary || error.instancePath !== summary.instancePath) return true;
    const value = valueAt(data, error.instancePath);
    const valueIsObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    // "must be object" for a name, "must be one of …" for an object: the other branch says it better.
    if (error.keyword === 'type') return false;
    if (error.keyword === 'enum' || error.keyword === 'const') return !valueIsObject;
    return true;
  });
  return kept.filter((error) => error.keyword !== 'oneOf' || !kept.some((other) => oneOfOf(other) === error.schemaPath));
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/** What an Ajv error says, in words; undefined for the summary error that repeats a more precise one. */
interface SchemaNode {
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

function schemaProblem(error: ErrorObject, schema: SchemaNode): string | undefined {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    const known = Object.keys(schemaAt(schema, error.schemaPath.replace(/\/additionalProperties$/, ''))?.properties ?? {});
    // A case or spelling slip (`failon`, `ignroe`) is the usual cause: name the key meant.
    const sameButCase = known.find((name) => name.toLowerCase() === key.toLowerCase());
    const meant = sameButCase ?? known.find((name) => isAtMostOneEditApart(name, key));
    const hint = sameButCase !== undefined ? ` (did you mean "${meant}"? keys are case-sensitive)` : meant !== undefined ? ` (did you mean "${meant}"?)` : '';
    return `unknown key "${shorten(key)}"${hint}`;
  }
  if (error.keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  // A key that breaks `propertyNames` gives two errors: the pattern it misses (naming the key) and this summary.
  if (error.keyword === 'propertyNames') return undefined;
  if (error.propertyName !== undefined) return `key "${shorten(error.propertyName)}" ${error.message ?? 'is invalid'}`;
  return error.message ?? 'is invalid';
}

/** The schema object a validation error's `schemaPath` (`#/properties/ignore/items`) names, if any. */
function schemaAt(schema: SchemaNode, schemaPath: string): SchemaNode | undefined {
  let node: unknown = schema;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter((piece) => piece !== '')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node !== null && typeof node === 'object' ? (node as SchemaNode) : undefined;
}

/** A problem the schema cannot see, at its JSON pointer; `code` when not `config/schema` (the message is then whole). */
interface ValueProblem {
  pointer: string;
  problem: string;
  code?: string;
}

/** The items of a top-level list of the config with their index, but those in error (`partInError`). */
function itemsInUse<T>(data: unknown, key: string, inError: ReadonlySet<string>): Array<[T, number]> {
  const list = (data as Record<string, unknown>)[key];
  if (inError.has(`/${key}`) || !Array.isArray(list)) return [];
  return list.flatMap((item, index) => (inError.has(`/${key}/${index}`) ? [] : [[item as T, index] as [T, number]]));
}

/** `publicPorts` and `ignore[].ports` entries that are not valid port lists (`tcp/70000`, `tcp/8443-8080`). */
function portListProblems(data: unknown, inError: ReadonlySet<string>): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const check = (pointer: string, text: string): void => {
    // `all` without ports names no port list.
    if (!text.includes('/')) return;
    try {
      PortSet.parse(text.slice(text.indexOf('/') + 1));
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      problems.push({ pointer, problem: `"${shorten(text)}": ${error.message}` });
    }
  };
  for (const [text, index] of itemsInUse<string>(data, 'publicPorts', inError)) check(`/publicPorts/${index}`, text);
  for (const [entry, index] of itemsInUse<IgnoreEntry>(data, 'ignore', inError)) {
    if (entry.ports !== undefined) check(`/ignore/${index}/ports`, entry.ports);
  }
  return problems;
}

/**
 * Checks whose findings are about no rule: an FW201 finding is a required flow that is missing. An `ignore:` entry's
 * `ports` and `peer` are compared with a finding's rule, so on such a check they could never match.
 */
const RULELESS_CHECKS = ['FW201'];

/** `ignore[].ports` and `ignore[].peer` given for a check whose findings have no rule to compare them with. */
function inapplicableIgnoreSettings(data: unknown, inError: ReadonlySet<string>): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const [entry, index] of itemsInUse<IgnoreEntry>(data, 'ignore', inError)) {
    if (!RULELESS_CHECKS.includes(entry.check)) continue;
    for (const key of ['ports', 'peer'] as const) {
      if (entry[key] === undefined) continue;
      problems.push({
        pointer: `/ignore/${index}/${key}`,
        problem: `${key} does not apply to ${entry.check}, whose finding is a required flow that is missing, not a rule: accept it by target (all of that target's missing flows), or give the flow's peer under targets:`,
      });
    }
  }
  return problems;
}

/** `ignore[].expires` written as a date that no calendar has (`2027-02-30`): such an entry must not mute for ever. */
function expiryProblems(data: unknown, inError: ReadonlySet<string>): ValueProblem[] {
  return itemsInUse<IgnoreEntry>(data, 'ignore', inError).flatMap(([entry, index]) => {
    const problem = entry.expires === undefined ? undefined : dateProblem(entry.expires);
    return problem === undefined ? [] : [{ pointer: `/ignore/${index}/expires`, code: 'config/ignore', problem: `ignore entry for ${entry.check}: expires: ${entry.expires} ${problem}` }];
  });
}

/** The key `name` of the map at `pointer`, as written. */
function keyAtPointer(root: YamlNode | null, pointer: string, name: string): YamlNode | undefined {
  const map = nodeAtPointer(root, pointer);
  if (!isMap(map)) return map;
  const pair = map.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === name);
  return (pair?.key as YamlNode | null | undefined) ?? map;
}

function nodeAtPointer(root: YamlNode | null, pointer: string): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node)) node = node.get(key, true) as YamlNode | undefined;
    else if (isSeq(node)) node = node.get(Number(key), true) as YamlNode | undefined;
    else return undefined;
  }
  return node ?? undefined;
}

function toRange(lineCounter: LineCounter, start: number, end: number): SourceRange {
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(end);
  return { startLine: from.line, startColumn: from.col, endLine: to.line, endColumn: to.col };
}

function toPoint(lineCounter: LineCounter, offset: number): SourceRange {
  const start = lineCounter.linePos(offset);
  return pointRange(start.line, start.col);
}

function pointRange(line: number, column: number): SourceRange {
  return { startLine: line, startColumn: column, endLine: line, endColumn: column };
}

