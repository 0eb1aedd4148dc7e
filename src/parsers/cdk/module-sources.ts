import type { SourceFile } from '../../model/source-file';
import { moduleKey, relativeModule } from './link';
import { MAX_SOURCE_CHARS } from './limits';

// Planning only (no parser loaded): the pipeline groups CDK files with the modules they import (imports.ts reads them).

/** TypeScript and JavaScript sources another file can import (declaration files hold no values). */
const MODULE_SOURCE = /\.[cm]?[jt]s$/i;
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `require('…')`: a string test, no parse. */
const RELATIVE_SPECIFIER = /\b(?:from|import|require\s*\()\s*(['"])(\.\.?(?:\/[^'"\r\n]*)?)\1/g;

/**
 * A file's text says it exports values: `export const`, `export enum`, `export { … }`, `export *`, `export default`,
 * or CommonJS `module.exports`, `exports.X` and TypeScript's `export =`.
 */
export const EXPORTS_VALUES = /\bexport\s+(?:const\b|let\b|var\b|enum\b|\{|\*|default\b)|\bexport\s*=|\bmodule\.exports\b|\bexports\s*[.[]/;

/**
 * How many modules deep imports are followed from the file being read: `stack.ts` → `net.ts` → a re-export of
 * `ports.ts` → one more. Deeper chains stay unknown.
 */
export const MAX_IMPORT_DEPTH = 3;

/** Modules one unit carries for its file; a barrel re-exporting a whole library is cut here. */
const MAX_MODULES_PER_UNIT = 64;

/** Whether a file may be imported for its values by a CDK file: TypeScript or JavaScript, not a declaration file. */
export function isModuleSource(path: string, text: string): boolean {
  return MODULE_SOURCE.test(path) && !DECLARATION_FILE.test(path) && text.length <= MAX_SOURCE_CHARS && EXPORTS_VALUES.test(text);
}

/**
 * The parse units of CDK files: each file with the modules it imports by relative path, directly or through them (up
 * to MAX_IMPORT_DEPTH), found among `files` and `moduleSources` (the scan's other TypeScript and JavaScript files).
 * Those travel with the unit marked `moduleOnly`: read only for the values the unit's file imports, never for rules.
 */
export function cdkUnitGroups(files: readonly SourceFile[], moduleSources: readonly SourceFile[]): SourceFile[][] {
  const byModule = moduleIndex([...files, ...moduleSources]);
  return files.map((file) => {
    const group: SourceFile[] = [file];
    const seen = new Set<SourceFile>([file]);
    let level: SourceFile[] = [file];
    for (let depth = 0; depth < MAX_IMPORT_DEPTH && level.length > 0; depth++) {
      const next: SourceFile[] = [];
      for (const importer of level) {
        for (const specifier of relativeSpecifiers(importer.text)) {
          const key = relativeModule(importer.path, specifier);
          const imported = key === undefined ? undefined : byModule.get(key);
          if (!imported || seen.has(imported) || !EXPORTS_VALUES.test(imported.text) || group.length > MAX_MODULES_PER_UNIT) continue;
          seen.add(imported);
          next.push(imported);
          group.push({ ...imported, moduleOnly: true });
        }
      }
      level = next;
    }
    return group;
  });
}

function relativeSpecifiers(text: string): string[] {
  return [...text.matchAll(RELATIVE_SPECIFIER)].map((match) => match[2]!);
}

/** Files by module key (`lib/net`); of `net.ts` and `net.js` (compiled beside it), the TypeScript source. */
export function moduleIndex(files: readonly SourceFile[]): Map<string, SourceFile> {
  const byModule = new Map<string, SourceFile>();
  const rank = (path: string): number => (/\.[cm]?ts$/i.test(path) ? 0 : 1);
  for (const file of files) {
    if (!MODULE_SOURCE.test(file.path) || DECLARATION_FILE.test(file.path)) continue;
    const key = moduleKey(file.path);
    const known = byModule.get(key);
    if (!known || rank(file.path) < rank(known.path) || (rank(file.path) === rank(known.path) && file.path < known.path)) byModule.set(key, file);
  }
  return byModule;
}
