import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';
import { DEFAULT_MAX_FILE_BYTES, formatMegabytes, readRegularFile } from '../../discover/read';
import { warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceFile } from '../../model/source-file';
import { NO_FILE, type DataFileList, type DataFileRead, type DataFiles } from './hcl';

/** What a module instance's `file()` calls read, by absolute path: shared by the instances of one root's module tree. */
export type DataFileCache = Map<string, DataFileRead>;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Most files one `fileset()` call lists: more is no folder of rule files, and stays unresolved. */
const MAX_LISTED_FILES = 1000;

/** How many evaluations of arguments that decide no rule (descriptions, names, tags) are under way. */
let descriptiveEvaluations = 0;

/**
 * `evaluateArgument()` for an argument that decides no rule (a description, name or tag): a function it cannot compute
 * leaves only that text unknown, so the warning that a value is unresolved (`parse/terraform-not-computed`) is not
 * given for it, nor for the locals it reads first (those are evaluated again when a rule argument reads them).
 */
export function evaluatedDescriptively<T>(evaluateArgument: () => T): T {
  descriptiveEvaluations++;
  try {
    return evaluateArgument();
  } finally {
    descriptiveEvaluations--;
  }
}

/** Whether an argument that decides no rule is being evaluated (see `evaluatedDescriptively`). */
export function isEvaluatingDescriptively(): boolean {
  return descriptiveEvaluations > 0;
}

/**
 * The files `file()`, `templatefile()` and `fileset()` may read or list for a module in `moduleDirectory` of the root module in
 * `rootDirectory`, and the `path.module` they are named with. A relative path is taken from the root module's folder,
 * as Terraform takes it from the working directory. Only a file inside the root module's folder or the module's own
 * (whose `.tf` files fwlint reads anyway) is read, also through a link, and no larger than an input file may be:
 * anything else stays unresolved rather than reading outside what the user scanned.
 */
export function dataFiles(rootDirectory: string, moduleDirectory: string, cache: DataFileCache, files: readonly SourceFile[], diagnostics: Diagnostic[]): DataFiles {
  const relativeModule = path.relative(rootDirectory, moduleDirectory).split(path.sep).join('/');
  return {
    modulePath: relativeModule === '' ? '.' : relativeModule,
    noteNotComputed: (text, range, message) => {
      if (isEvaluatingDescriptively()) return;
      const file = files.find((candidate) => candidate.text === text);
      // Each instance of a module notes it again: the parser reports a diagnostic once (`unique`).
      if (file) diagnostics.push(warningDiagnostic('parse/terraform-not-computed', file.path, message, range));
    },
    read: (written) => {
      const absolute = path.resolve(rootDirectory, written);
      const cached = cache.get(`${moduleDirectory}\0${absolute}`);
      if (cached) return cached;
      const result = readDataFile(absolute, [rootDirectory, moduleDirectory]);
      cache.set(`${moduleDirectory}\0${absolute}`, result);
      return result;
    },
    list: (folder, pattern) => listDataFiles(path.resolve(rootDirectory, folder), pattern, [rootDirectory, moduleDirectory]),
  };
}

/**
 * `fileset(folder, pattern)` as Terraform computes it (doublestar: `*` and `?` within a path segment, `**` across
 * segments, `[…]`, `{a,b}`, dot files included): the regular files matched, links followed, relative to the folder
 * with `/`, sorted (a set of strings). No folder there lists nothing, as in Terraform. Confined as `file()` is: a
 * folder or a matched file (its link resolved) outside the allowed folders leaves the whole set unresolved, so no
 * listing is silently short.
 */
function listDataFiles(folder: string, pattern: string, allowed: string[]): DataFileList {
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch {
    return { files: [] };
  }
  if (!isInside(realFolder, allowed)) return { notRead: 'the folder is outside the scanned module folders' };
  // Terraform joins the pattern to the folder, which also cleans it (`rules/../*.yaml` is `*.yaml`; a leading `/` goes).
  const cleaned = path.posix.normalize(pattern.replace(/^\/+/, ''));
  const matches = globSync(cleaned, { cwd: folder, onlyFiles: true, dot: true, expandDirectories: false, followSymbolicLinks: true });
  if (matches.length > MAX_LISTED_FILES) return { notRead: `more than ${MAX_LISTED_FILES} files match` };
  const files: string[] = [];
  for (const match of matches) {
    const absolute = path.resolve(folder, match);
    let real: string;
    try {
      real = fs.realpathSync(absolute);
      if (!fs.statSync(real).isFile()) continue;
    } catch {
      continue;
    }
    if (!isInside(real, allowed)) return { notRead: `${JSON.stringify(match)} is outside the scanned module folders` };
    files.push(path.relative(folder, absolute).split(path.sep).join('/'));
  }
  return { files: [...new Set(files)].sort() };
}

/** Whether the real path `real` is one of the `allowed` folders (links resolved) or inside one. */
function isInside(real: string, allowed: string[]): boolean {
  return allowed.some((folder) => {
    let realFolder: string;
    try {
      realFolder = fs.realpathSync(folder);
    } catch {
      return false;
    }
    const relative = path.relative(realFolder, real);
    return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
  });
}

function readDataFile(absolute: string, allowed: string[]): DataFileRead {
  let real: string;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    return { error: NO_FILE };
  }
  if (!isInside(real, allowed)) return { notRead: 'the file is outside the scanned module folders' };
  const read = readRegularFile(real, DEFAULT_MAX_FILE_BYTES);
  if ('problem' in read) {
    if (read.problem === 'too-large') return { notRead: `the file is larger than ${formatMegabytes(DEFAULT_MAX_FILE_BYTES)}` };
    return { error: read.reason };
  }
  try {
    return { text: UTF8.decode(read.bytes) };
  } catch {
    return { error: 'the file is not valid UTF-8' };
  }
}
