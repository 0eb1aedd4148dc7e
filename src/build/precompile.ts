/**
 * Build step (`npm run build`, after tsc): writes what a scan would otherwise compute at every start into
 * `dist/generated/`: the JSON Schema validators as ajv standalone code (`src/schemas/validators.ts`) and the
 * built-in rule packs already parsed and validated (`src/packs/load-packs.ts`). Both are used only while they match
 * the files they were made from, so a stale build is slower, never wrong.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinPacksCacheSource } from '../packs/load-packs';
import { compiledValidatorFile, GENERATED_DIR, standaloneValidatorSource, type SchemaName } from '../schemas/validators';
import { writeFileAtomic } from '../cli/output';

function main(): void {
  fs.mkdirSync(GENERATED_DIR, { recursive: true });
  for (const name of ['pack', 'config'] as SchemaName[]) writeFileAtomic(compiledValidatorFile(name), standaloneValidatorSource(name));
  const packs = builtinPacksCacheSource();
  writeFileAtomic(path.join(GENERATED_DIR, 'builtin-packs.json'), packs);
}

main();
