/**
 * Ahead-of-time artifacts of the build (`src/build/precompile.ts`): the ajv standalone validators must accept and
 * reject exactly what ajv compiling the schema at run time does, with the same errors; the precompiled built-in packs
 * must equal what parsing their YAML gives.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { builtinPacksCacheSource, BUILTIN_RULES_DIR, loadPacks, parsePack } from '../../src/packs/load-packs';
import { schemaValidator, standaloneValidatorSource, type SchemaName } from '../../src/schemas/validators';
import { REPO_ROOT } from '../helpers/scan-fixture';

function yamlFiles(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? yamlFiles(file, pattern) : pattern.test(entry.name) ? [file] : [];
  });
}

/** Documents to validate: the real ones, and mutations of them that break the schema in different ways. */
function documents(files: string[]): unknown[] {
  const out: unknown[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = parseYaml(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    out.push(data);
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const record = data as Record<string, unknown>;
      const [firstKey] = Object.keys(record);
      out.push({ ...record, unexpectedKey: true });
      if (firstKey !== undefined) {
        out.push({ ...record, [firstKey]: 12345 });
        const { [firstKey]: _dropped, ...rest } = record;
        out.push(rest);
      }
    }
  }
  out.push(null, 42, 'text', [], {});
  return out;
}

const CASES: Record<SchemaName, string[]> = {
  pack: [...yamlFiles(BUILTIN_RULES_DIR, /\.ya?ml$/), ...yamlFiles(path.join(REPO_ROOT, 'fixtures/packs'), /\.ya?ml$/)],
  config: yamlFiles(path.join(REPO_ROOT, 'fixtures'), /^\.fwlint\.ya?ml$/),
};

describe.each(Object.keys(CASES) as SchemaName[])('the %s schema compiled ahead of time', (name) => {
  let standalone: ValidateFunction;
  let directory: string;

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-standalone-'));
    const file = path.join(directory, `${name}-schema.js`);
    // The module requires ajv's run-time helpers by package name; from a temp folder they resolve to this project's.
    const source = standaloneValidatorSource(name).replace(/require\("(ajv\/[^"]+)"\)/g, (_, id: string) => `require(${JSON.stringify(require.resolve(id))})`);
    fs.writeFileSync(file, source);
    standalone = (require(file) as { validate: ValidateFunction }).validate;
  });

  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('has documents to compare on', () => {
    expect(CASES[name].length).toBeGreaterThanOrEqual(name === 'pack' ? 4 : 3);
  });

  it('gives the verdicts and errors of the run-time compiled schema', () => {
    const runtime = schemaValidator(name);
    let rejected = 0;
    for (const document of documents(CASES[name])) {
      const expected = runtime(document);
      expect(standalone(document)).toBe(expected);
      expect(standalone.errors ?? null).toEqual(runtime.errors ?? null);
      if (!expected) rejected++;
    }
    expect(rejected).toBeGreaterThan(3);
  });

  it('records the schema text it was compiled from (a changed schema is compiled again at run time)', () => {
    const source = standaloneValidatorSource(name);
    const schemaFile = name === 'pack' ? path.join(BUILTIN_RULES_DIR, 'schema.json') : path.join(REPO_ROOT, 'schemas/fwlint-config.schema.json');
    expect(source).toContain(`schemaText: ${JSON.stringify(fs.readFileSync(schemaFile, 'utf8'))}`);
  });
});

describe('precompiled built-in packs', () => {
  it('equal what parsing each pack file gives', () => {
    const entries = JSON.parse(builtinPacksCacheSource()) as Record<string, { text: string; pack: unknown; idRange?: unknown }>;
    const names = fs.readdirSync(BUILTIN_RULES_DIR).filter((name) => /\.ya?ml$/.test(name)).sort();
    expect(Object.keys(entries)).toEqual(names);
    for (const name of names) {
      const text = fs.readFileSync(path.join(BUILTIN_RULES_DIR, name), 'utf8');
      const parsed = parsePack(text, '');
      expect(entries[name]!.text).toBe(text);
      expect(entries[name]!.pack).toEqual(JSON.parse(JSON.stringify(parsed.value)));
      expect(entries[name]!.idRange).toEqual(parsed.idRange);
    }
  });

  // After `npm run build` (which `npm ci` runs), the compiled loader reads dist/generated: same packs as from YAML.
  const built = path.join(REPO_ROOT, 'dist/packs/load-packs.js');
  (fs.existsSync(path.join(REPO_ROOT, 'dist/generated/builtin-packs.json')) && fs.existsSync(built) ? it : it.skip)('are what the built loader returns', () => {
    const fromBuild = (require(built) as typeof import('../../src/packs/load-packs')).loadPacks([], { cwd: REPO_ROOT });
    expect(fromBuild).toEqual(loadPacks([], { cwd: REPO_ROOT }));
  });
});
