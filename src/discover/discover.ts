import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { describeFileError, errorDiagnostic, type Diagnostic, type WithDiagnostics } from '../model/diagnostic';
import { settingsRoot } from './settings-root';
import { markSynthesizedOutputs, type SynthesizingApp } from './synthesized-output';

/** Folders never scanned: VCS data, dependencies, Terraform's download cache. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform', '.hg', '.svn']);

export interface DiscoveredFile {
  /** Relative to cwd, `/` separators. */
  path: string;
  absolutePath: string;
  size: number;
  /**
   * Not named nor in a scanned folder: read only because a named file's format reads it together with that file (the
   * other `.tf` files of a named `.tf` file's folder, one Terraform module). Its findings are not reported.
   */
  isCompanion?: true;
  /**
   * In the output folder of a CDK or CDKTF app found by the same walk, and not named (nor below a folder named) on
   * the command line: the apps writing there. Its targets that repeat the source are dropped (`dropSynthesizedDuplicates`).
   */
  synthesizedBy?: SynthesizingApp[];
}

/**
 * For a named file, which other files of its folder its format reads together with it (a predicate on their names),
 * or undefined when it is read alone.
 */
export type CompanionsOf = (fileName: string) => ((siblingName: string) => boolean) | undefined;

/**
 * Expands files and folders into a sorted list of files (code-unit order, so output never depends on the file
 * system), skipping VCS/dependency folders and whatever `.gitignore` files along the way ignore. Paths given
 * explicitly are always kept: a named file, and a named folder even if a `.gitignore` above it ignores it. Unreadable
 * paths and symlink loops become diagnostics. A named file whose format reads its folder as one unit (`companionsOf`)
 * brings in the other files of that unit, as a scan of the folder would find them (same `.gitignore` files), marked
 * `isCompanion` unless also named or found in a scanned folder. Files in a found CDK/CDKTF app's output folder are
 * marked `synthesizedBy`.
 */
export function discoverFiles(inputs: string[], cwd: string, companionsOf?: CompanionsOf): WithDiagnostics<DiscoveredFile[]> {
  const diagnostics: Diagnostic[] = [];
  const found = new Map<string, DiscoveredFile>();
  const visitedDirectories = new Set<string>();

  const add = (absolutePath: string, size: number): void => {
    const relative = toRelative(absolutePath, cwd);
    if (!found.has(relative)) found.set(relative, { path: relative, absolutePath, size });
  };

  const walk = (directory: string, ignores: Array<{ base: string; rules: Ignore }>): void => {
    let realDirectory: string;
    try {
      realDirectory = fs.realpathSync(directory);
    } catch (error) {
      diagnostics.push(errorDiagnostic('read/unreadable', toRelative(directory, cwd), `cannot read folder: ${describeFileError(error)}`));
      return;
    }
    if (visitedDirectories.has(realDirectory)) return; // symlink loop or a folder reached twice
    visitedDirectories.add(realDirectory);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(errorDiagnostic('read/unreadable', toRelative(directory, cwd), `cannot read folder: ${describeFileError(error)}`));
      return;
    }
    const localIgnores = [...ignores];
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      try {
        localIgnores.push({ base: directory, rules: ignore().add(fs.readFileSync(path.join(directory, '.gitignore'), 'utf8')) });
      } catch {
        // An unreadable .gitignore only means nothing extra is ignored.
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const entryPath = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = fs.statSync(entryPath);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch (error) {
          // A dangling link is an error only where an input may be: not when ignored (`.env -> /run/secrets/env`),
          // nor when its name is no input's (`latest.log`), as a file no detector recognises is skipped silently.
          const ignored = isIgnored(entryPath, false, localIgnores) || isIgnored(entryPath, true, localIgnores);
          if (!ignored && looksLikeInput(entry.name)) diagnostics.push(errorDiagnostic('read/unreadable', toRelative(entryPath, cwd), `cannot follow link: ${describeFileError(error)}`));
          continue;
        }
      }
      if (isDirectory && SKIPPED_DIRECTORIES.has(entry.name)) continue;
      if (isIgnored(entryPath, isDirectory, localIgnores)) continue;
      if (isDirectory) walk(entryPath, localIgnores);
      else if (isFile) add(entryPath, safeSize(entryPath));
    }
  };

  // Folders of named files whose format reads the folder's files together, with the predicate on their names.
  const companionFolders = new Map<string, (siblingName: string) => boolean>();
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      diagnostics.push(errorDiagnostic('read/not-found', toRelative(absolute, cwd), `cannot read ${input}: ${describeFileError(error)}`));
      continue;
    }
    if (stat.isDirectory()) {
      // A folder named on the command line is scanned even when a `.gitignore` above it ignores it, as a named file
      // is; the `.gitignore` files inside it still apply.
      const inherited = inheritedIgnores(absolute, cwd);
      walk(absolute, isIgnored(absolute, true, inherited) ? [] : inherited);
    }
    else {
      add(absolute, stat.size);
      const isCompanion = companionsOf?.(path.basename(absolute));
      if (isCompanion && !companionFolders.has(path.dirname(absolute))) companionFolders.set(path.dirname(absolute), isCompanion);
    }
  }
  // After every input: a file also named or found in a scanned folder is an input of its own, not a companion.
  for (const [directory, isCompanion] of companionFolders) {
    for (const absolutePath of companionFiles(directory, isCompanion, cwd)) {
      const relative = toRelative(absolutePath, cwd);
      if (!found.has(relative)) found.set(relative, { path: relative, absolutePath, size: safeSize(absolutePath), isCompanion: true });
    }
  }
  const files = [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  markSynthesizedOutputs(files, inputs.map((input) => path.resolve(cwd, input)));
  return { value: files, diagnostics };
}

/**
 * The files of a folder whose names `isCompanion` accepts and that a scan of the folder named on the command line
 * would read: the `.gitignore` files above it (unless they ignore the folder itself) and its own apply. Unreadable
 * entries are left out: the folder scan reports them, a named file's companions are context.
 */
function companionFiles(directory: string, isCompanion: (name: string) => boolean, cwd: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const inherited = inheritedIgnores(directory, cwd);
  const ignores = isIgnored(directory, true, inherited) ? [] : inherited;
  if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
    try {
      ignores.push({ base: directory, rules: ignore().add(fs.readFileSync(path.join(directory, '.gitignore'), 'utf8')) });
    } catch {
      // An unreadable .gitignore only means nothing extra is ignored.
    }
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!isCompanion(entry.name)) continue;
    const entryPath = path.join(directory, entry.name);
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        isFile = fs.statSync(entryPath).isFile();
      } catch {
        continue;
      }
    }
    if (isFile && !isIgnored(entryPath, false, ignores)) files.push(entryPath);
  }
  return files;
}

/** Names of the inputs fwlint reads (Terraform, plans and templates, netsh exports and scripts, CDK/Pulumi). */
const INPUT_EXTENSIONS = /\.(tf|tofu|tfvars|tf\.json|ya?ml|json|template|txt|cmd|bat|ps1|[cm]?[jt]s)$/i;

/** Whether a file of this name may be an input, by its extension (for files whose content cannot be read). */
export function looksLikeInput(file: string): boolean {
  return INPUT_EXTENSIONS.test(file);
}

/**
 * `.gitignore` files of the folders above a scanned folder, up to the repository root, also apply (without a
 * repository, up to the working directory, see `settingsRoot`); none above the root, as in git.
 */
function inheritedIgnores(directory: string, cwd: string): Array<{ base: string; rules: Ignore }> {
  const chain: Array<{ base: string; rules: Ignore }> = [];
  const root = settingsRoot(directory, cwd);
  if (directory === root) return chain;
  let current = path.dirname(directory);
  for (;;) {
    const gitignore = path.join(current, '.gitignore');
    if (fs.existsSync(gitignore)) {
      try {
        chain.unshift({ base: current, rules: ignore().add(fs.readFileSync(gitignore, 'utf8')) });
      } catch {
        // ignore unreadable
      }
    }
    if (current === root || current === path.dirname(current)) break;
    current = path.dirname(current);
  }
  return chain;
}

/**
 * git's rule: the deepest `.gitignore` with a matching pattern decides, and within one file the last matching
 * pattern wins, so `!keep.tf` in `sub/.gitignore` keeps `sub/keep.tf` that the root's `sub/*.tf` ignores. (A
 * file in an ignored folder cannot be kept again: the walk never enters that folder, as git does not.)
 */
function isIgnored(entryPath: string, isDirectory: boolean, ignores: Array<{ base: string; rules: Ignore }>): boolean {
  for (let level = ignores.length - 1; level >= 0; level--) {
    const { base, rules } = ignores[level]!;
    const relative = path.relative(base, entryPath).split(path.sep).join('/');
    // Outside this `.gitignore`'s folder (`../x`), not a name starting with dots (`..dots.tf`).
    if (relative === '' || relative === '..' || relative.startsWith('../')) continue;
    const verdict = rules.test(isDirectory ? `${relative}/` : relative);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
}

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export function toRelative(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}
