import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The highest folder whose `.fwlint.yaml` and `.gitignore` apply to the folder `start`: the repository root (the
 * nearest folder at or above `start` holding `.git`, a folder or a worktree's file). Without a repository, the
 * working directory when `start` is inside it (where `fwlint init` writes the config), else `start` itself: a config
 * or `.gitignore` left in /tmp or $HOME must not silently apply to a scan of /tmp/x/infra.
 */
export function settingsRoot(start: string, cwd: string): string {
  const folder = path.resolve(start);
  const repository = enclosingRepository(folder);
  if (repository !== undefined) return repository;
  const workingDirectory = path.resolve(cwd);
  return isWithin(folder, workingDirectory) ? workingDirectory : folder;
}

/** The nearest folder at or above `start` holding `.git` (a folder, or a file in a worktree or submodule), if any. */
export function enclosingRepository(start: string): string | undefined {
  for (let current = path.resolve(start); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** Whether `folder` is `ancestor` or lies below it. */
export function isWithin(folder: string, ancestor: string): boolean {
  const relative = path.relative(ancestor, folder);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** Whether `file` is an existing folder (false for anything that cannot be read). */
export function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
