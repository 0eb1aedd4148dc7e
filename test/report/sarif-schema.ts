import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The OASIS SARIF 2.1.0 schema, from `shared/schemas/` next to the repository or a folder above it (a git worktree
 * lives deeper than the main checkout). A missing schema fails the test: validation is never skipped silently.
 */
export function sarifSchemaPath(): string {
  let directory = path.resolve(__dirname, '../..');
  for (;;) {
    const candidate = path.join(path.dirname(directory), 'shared/schemas/sarif-2.1.0.json');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('SARIF 2.1.0 schema not found (expected shared/schemas/sarif-2.1.0.json beside the repository or a folder above it)');
    directory = parent;
  }
}

let validator: ValidateFunction | undefined;

/** A cached ajv validator of the SARIF 2.1.0 schema. */
export function sarifValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(sarifSchemaPath(), 'utf8')));
  }
  return validator;
}
