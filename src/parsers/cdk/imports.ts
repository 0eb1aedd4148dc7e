import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { SourceFile } from '../../model/source-file';
import { relativeModule } from './link';
import { EXPORTS_VALUES, MAX_IMPORT_DEPTH, moduleIndex } from './module-sources';
import { StaticReader, type ImportedModules, type Library } from './reader';
import { SourceContext } from './source-context';
import type { Value } from './values';

/** Nothing modelled: a module read for its values adds no rules and calls into no library. */
const NO_LIBRARY: Library = {
  construct: () => undefined,
  call: () => undefined,
  member: () => undefined,
  method: () => undefined,
  property: () => undefined,
  unresolvedMethod: () => undefined,
};

/**
 * The modules of one parse call, read for their exported values when a file imports them: parsed with
 * typescript-estree and folded by the static reader (nothing is executed, no library modelled, no diagnostics kept),
 * each at most once. A module that does not parse, is not among the files, or imports itself back gives nothing.
 */
export class ModuleTable implements ImportedModules {
  private readonly byModule: Map<string, SourceFile>;
  private readonly exportsByFile = new Map<SourceFile, ReadonlyMap<string, Value> | undefined>();
  private readonly reading = new Set<SourceFile>();

  constructor(files: readonly SourceFile[]) {
    this.byModule = moduleIndex(files);
  }

  exportsOf(importer: string, specifier: string, depth: number): ReadonlyMap<string, Value> | undefined {
    const key = relativeModule(importer, specifier);
    const file = key === undefined ? undefined : this.byModule.get(key);
    if (!file || file.path === importer || depth >= MAX_IMPORT_DEPTH || this.reading.has(file)) return undefined;
    if (this.exportsByFile.has(file)) return this.exportsByFile.get(file);
    if (!EXPORTS_VALUES.test(file.text)) {
      this.exportsByFile.set(file, undefined);
      return undefined;
    }
    this.reading.add(file);
    try {
      const exports = this.read(file, depth + 1);
      this.exportsByFile.set(file, exports);
      return exports;
    } finally {
      this.reading.delete(file);
    }
  }

  private read(file: SourceFile, depth: number): ReadonlyMap<string, Value> | undefined {
    let program: TSESTree.Program;
    try {
      program = parse(file.text, { filePath: file.path, loc: false, range: true, comment: false, jsx: false, jsDocParsingMode: 'none', suppressDeprecatedPropertyWarnings: true });
    } catch {
      // Not readable here (a syntax error, nesting too deep): its names stay unknown where they are imported.
      return undefined;
    }
    try {
      return new StaticReader(program, new SourceContext(file.path, file.text), NO_LIBRARY, { modules: this, depth }).readExports();
    } catch (error) {
      if (error instanceof RangeError) return undefined;
      throw error;
    }
  }
}
