import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { errorDiagnostic, type Diagnostic, type WithDiagnostics } from '../model/diagnostic';
import type { SourceRange } from '../model/location';
import type { Severity } from '../model/severity';

export interface TargetMapping {
  match: string[];
  profile: string;
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
}

export const CONFIG_FILE_NAMES = ['.fwlint.yaml', '.fwlint.yml'];

let validateConfig: ReturnType<Ajv['compile']> | undefined;

function configValidator(): ReturnType<Ajv['compile']> {
  if (!validateConfig) {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schemas/fwlint-config.schema.json'), 'utf8'));
    validateConfig = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validateConfig;
}

/** Finds `.fwlint.yaml` in `start` or its parents, up to the repository root (a folder holding `.git`). */
export function findConfigFile(start: string): string | undefined {
  let current = path.resolve(start);
  if (fs.existsSync(current) && !fs.statSync(current).isDirectory()) current = path.dirname(current);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(current, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (fs.existsSync(path.join(current, '.git')) || path.dirname(current) === current) return undefined;
    current = path.dirname(current);
  }
}

/** Loads and validates a config file; errors name the file, the path inside it, the line and the problem. */
export function loadConfig(file: string, cwd: string): WithDiagnostics<LoadedConfig> {
  const relative = path.relative(cwd, file).split(path.sep).join('/');
  const empty: LoadedConfig = { config: {}, file: relative, directory: path.dirname(file) };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { value: empty, diagnostics: [errorDiagnostic('config/unreadable', relative, `cannot read config: ${(error as Error).message}`)] };
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      value: empty,
      diagnostics: document.errors.map((error) => {
        const start = lineCounter.linePos(error.pos[0]);
        return errorDiagnostic('config/yaml', relative, `invalid YAML: ${error.message.split('\n')[0]}`, pointRange(start.line, start.col));
      }),
    };
  }
  const data = (document.toJS({ maxAliasCount: 100 }) ?? {}) as unknown;
  const validate = configValidator();
  if (!validate(data)) {
    const diagnostics: Diagnostic[] = (validate.errors ?? []).map((error) => {
      const pointer = error.instancePath || '/';
      const node = nodeAtPointer(document.contents as YamlNode | null, error.instancePath);
      const range = node?.range ? toRange(lineCounter, node.range[0], node.range[1]) : undefined;
      const detail = error.keyword === 'additionalProperties'
        ? `unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : error.keyword === 'enum'
          ? `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`
          : error.message ?? 'is invalid';
      return errorDiagnostic('config/schema', relative, `${pointer}: ${detail}`, range);
    });
    return { value: empty, diagnostics };
  }
  return { value: { config: data as FwlintConfig, file: relative, directory: path.dirname(file) }, diagnostics: [] };
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

function pointRange(line: number, column: number): SourceRange {
  return { startLine: line, startColumn: column, endLine: line, endColumn: column };
}

/** Matches a target id against a glob with `*` and `?`. */
export function matchesGlob(glob: string, value: string): boolean {
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(value);
}
