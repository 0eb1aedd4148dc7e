import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Options, ValidateFunction } from 'ajv';

/**
 * Validators of fwlint's own JSON Schemas (rule packs, `.fwlint.yaml`). `npm run build` compiles them ahead of time
 * into ajv standalone modules (`dist/generated/*-schema.js`, by `src/build/precompile.ts`), so a scan never pays
 * ajv's schema compilation (about 110 ms per schema). Without a build (ts-jest), or when a schema file no longer
 * matches the text it was compiled from, the schema is compiled with ajv at first use: same options, same errors.
 */
export type SchemaName = 'pack' | 'config';

const PACKAGE_ROOT = path.resolve(__dirname, '../..');

export const SCHEMAS: Record<SchemaName, { file: string; options: Options }> = {
  pack: { file: path.join(PACKAGE_ROOT, 'rules/schema.json'), options: { allErrors: true, verbose: true, strict: true, strictRequired: false } },
  config: { file: path.join(PACKAGE_ROOT, 'schemas/fwlint-config.schema.json'), options: { allErrors: true, strict: false } },
};

/** Where the build writes generated modules: `dist/generated`, next to `dist/schemas`. */
export const GENERATED_DIR = path.resolve(__dirname, '../generated');

export function compiledValidatorFile(name: SchemaName): string {
  return path.join(GENERATED_DIR, `${name}-schema.js`);
}

/** A compiled module: the validator and the schema text it was compiled from. */
interface CompiledValidatorModule {
  validate: ValidateFunction;
  schemaText: string;
}

const validators = new Map<SchemaName, ValidateFunction>();

/** The validator of a schema: ahead-of-time compiled when up to date, else compiled now. Cached. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    // The schemas ship with the package; failing to read or compile one is a broken installation, not bad input.
    const schemaText = fs.readFileSync(SCHEMAS[name].file, 'utf8');
    validate = loadCompiled(name, schemaText) ?? compileNow(name, schemaText, false).validate;
    validators.set(name, validate);
  }
  return validate;
}

function loadCompiled(name: SchemaName, schemaText: string): ValidateFunction | undefined {
  const file = compiledValidatorFile(name);
  if (!fs.existsSync(file)) return undefined;
  const compiled = require(file) as CompiledValidatorModule;
  return compiled.schemaText === schemaText ? compiled.validate : undefined;
}

function compileNow(name: SchemaName, schemaText: string, source: boolean): { ajv: import('ajv').default; validate: ValidateFunction } {
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  const ajv = new Ajv({ ...SCHEMAS[name].options, ...(source ? { code: { source: true } } : {}) });
  return { ajv, validate: ajv.compile(JSON.parse(schemaText) as object) };
}

/** Source of the ahead-of-time module for a schema: ajv standalone code, plus the schema text it stands for. */
export function standaloneValidatorSource(name: SchemaName): string {
  const schemaText = fs.readFileSync(SCHEMAS[name].file, 'utf8');
  const { ajv, validate } = compileNow(name, schemaText, true);
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
  const code = standaloneCode(ajv, validate);
  return `${code}\nmodule.exports = { validate: module.exports, schemaText: ${JSON.stringify(schemaText)} };\n`;
}
