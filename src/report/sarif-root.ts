import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { enclosingRepository } from '../discover/settings-root';

/** A SARIF `artifactLocation`: relative to `%SRCROOT%`, or an absolute `file://` URI for a file outside it. */
export interface ArtifactLocation {
  uri: string;
  uriBaseId?: '%SRCROOT%';
}

/** Where SARIF URIs are relative to (formats.md §5.3, §5.9): the repository root, and how to locate a scanned file. */
export interface SarifRoot {
  /** `file:///abs/root/`, for `originalUriBaseIds["%SRCROOT%"]`. */
  rootUri: string;
  /** The location of a file given relative to the scan's working directory (as findings and diagnostics are). */
  locate(file: string): ArtifactLocation;
  /** The same file as a plain path relative to the repository root (`infra/main.tf`), or undefined outside it. */
  repositoryPath(file: string): string | undefined;
  /** The same file as an absolute path, symlinks resolved (as `locate` gives a file outside the root). */
  absolutePath(file: string): string;
  /**
   * How texts name a file or folder (a root module's) in the URIs' path space, the same from any working directory:
   * relative to the repository root (`.` for the root itself), else absolute.
   */
  rootRelativePath(file: string): string;
}

/** The nearest folder at or above `cwd` holding `.git` (a folder, or a file in a worktree or submodule); else `cwd`. */
export function repositoryRoot(cwd: string): string {
  return enclosingRepository(cwd) ?? path.resolve(cwd);
}

function realpath(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return file;
  }
}

/**
 * The SARIF root of a scan run in `cwd`: URIs relative to the repository root (symlinks resolved first, as GitHub
 * cannot show results under symlinked paths), forward slashes, percent-encoded per segment; a file outside the root
 * gets its absolute `file://` URI and no `uriBaseId`. Reads the file system (realpath), once per distinct file.
 */
export function sarifRoot(cwd: string, root = repositoryRoot(cwd)): SarifRoot {
  const realRoot = realpath(path.resolve(root));
  const cache = new Map<string, ArtifactLocation>();
  return {
    rootUri: pathToFileURL(realRoot).href.replace(/\/?$/, '/'),
    locate(file: string): ArtifactLocation {
      let location = cache.get(file);
      if (!location) {
        const absolute = realpath(path.resolve(cwd, file));
        const relative = path.relative(realRoot, absolute);
        const inside = relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
        location = inside
          ? { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
          : { uri: pathToFileURL(absolute).href };
        cache.set(file, location);
      }
      return location;
    },
    repositoryPath(file: string): string | undefined {
      const location = this.locate(file);
      return location.uriBaseId ? location.uri.split('/').map(decodeURIComponent).join('/') : undefined;
    },
    absolutePath(file: string): string {
      return realpath(path.resolve(cwd, file));
    },
    rootRelativePath(file: string): string {
      const inside = this.repositoryPath(file);
      if (inside !== undefined) return inside;
      const absolute = this.absolutePath(file);
      return absolute === realRoot ? '.' : absolute;
    },
  };
}
