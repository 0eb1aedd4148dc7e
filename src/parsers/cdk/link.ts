import type { Peer } from '../../model/peer';
import type { Rule, UnknownValue } from '../../model/rule';
import type { ConstructClassLink, ConstructInstanceLink, ConstructLinks } from '../../model/source-file';
import type { Target } from '../../model/target';

/** Beyond this many paths for one target (classes instantiated many times, nested), the rest are left out. */
const MAX_PATHS_PER_TARGET = 256;

/**
 * Names the targets of a stack or construct class by where other scanned files instantiate it. The parser reads each
 * file on its own, so a class that its file exports but never instantiates is read once with a stand-in root: the
 * class name for a stack (`WebStack/WebSg`), `${WebTier}` for a construct (`${WebTier}/Sg`). When scanned files
 * instantiate the class (`new WebStack(app, 'WebStack-prod')` in `bin/app.ts`), each instance gets its own copy of
 * those targets under its real path (`WebStack-prod/WebSg`), as CDK creates one group per instance; instances inside
 * other such classes are followed to their own instances. A class no scanned file instantiates keeps its stand-in.
 *
 * Pure and deterministic: the result depends on the targets' order and the links as a set, not on the order in which
 * files were parsed or split between workers.
 */
export function linkConstructPaths(targets: readonly Target[], links: ConstructLinks): Target[] {
  if (links.classes.length === 0 || links.instances.length === 0) return [...targets];
  const resolver = new PathResolver(links);
  const linked: Target[] = [];
  for (const target of targets) {
    const renames = target.kind === 'cdk' ? resolver.renames(target.location.file, target.id) : undefined;
    if (!renames) {
      linked.push(target);
      continue;
    }
    for (const newRoot of renames.paths) linked.push(renamed(target, renames.root, newRoot));
  }
  return linked;
}

class PathResolver {
  private readonly classesByFile = new Map<string, ConstructClassLink[]>();
  private readonly instancesByClass = new Map<ConstructClassLink, ConstructInstanceLink[]>();
  private readonly memo = new Map<ConstructClassLink, string[]>();

  constructor(links: ConstructLinks) {
    const classesByModule = new Map<string, ConstructClassLink>();
    const classesByName = new Map<string, ConstructClassLink[]>();
    // Sorted copies: the result must not depend on the order files were parsed in.
    const classes = [...links.classes].sort((a, b) => compare(a.file, b.file) || compare(a.name, b.name) || compare(a.root, b.root));
    for (const link of classes) {
      const key = `${moduleKey(link.file)}\u0000${link.name}`;
      if (!classesByModule.has(key)) classesByModule.set(key, link);
      const named = classesByName.get(link.name) ?? [];
      named.push(link);
      classesByName.set(link.name, named);
      const inFile = this.classesByFile.get(link.file) ?? [];
      if (!inFile.some((other) => other.root === link.root)) inFile.push(link);
      this.classesByFile.set(link.file, inFile);
    }
    for (const instance of links.instances) {
      // The module the import names; else (a barrel file re-exporting it, not itself a scanned CDK file) the one
      // scanned class of that name, when there is exactly one.
      const named = classesByName.get(instance.name) ?? [];
      const exported = classesByModule.get(`${instance.module}\u0000${instance.name}`) ?? (named.length === 1 ? named[0] : undefined);
      // A class exported under several names (`export default WebStack` beside `export class WebStack`, CommonJS
      // `module.exports = WebStack`) is one class: its instances go to the one link its file keeps for that root.
      const link = exported && this.classesByFile.get(exported.file)?.find((other) => other.root === exported.root);
      if (!link) continue;
      const list = this.instancesByClass.get(link) ?? [];
      list.push(instance);
      this.instancesByClass.set(link, list);
    }
  }

  /** For an id under a stand-in root of `file` whose class is instantiated elsewhere: the root and its real paths. */
  renames(file: string, id: string): { root: string; paths: string[] } | undefined {
    const link = this.classOf(file, id);
    if (!link) return undefined;
    const paths = this.instancePaths(link, new Set());
    return paths.length > 0 ? { root: link.root, paths } : undefined;
  }

  private classOf(file: string, path: string): ConstructClassLink | undefined {
    return this.classesByFile.get(file)?.find((link) => path === link.root || path.startsWith(`${link.root}/`));
  }

  /** Every real path of a class's instances, sorted; empty when no scanned file instantiates it. */
  private instancePaths(link: ConstructClassLink, active: Set<ConstructClassLink>): string[] {
    const known = this.memo.get(link);
    if (known) return known;
    // A class instantiated (indirectly) inside itself cannot be named: its instances are left out.
    if (active.has(link)) return [];
    active.add(link);
    const paths = new Set<string>();
    for (const instance of this.instancesByClass.get(link) ?? []) {
      const own = instancePath(instance, link.role);
      // The instance may itself be made inside a class that other files instantiate.
      const outer = this.classOf(instance.file, own);
      const outerPaths = outer ? this.instancePaths(outer, active) : [];
      if (outer && outerPaths.length > 0) {
        for (const outerPath of outerPaths) paths.add(`${outerPath}${own.slice(outer.root.length)}`);
      } else {
        paths.add(own);
      }
    }
    active.delete(link);
    const sorted = [...paths].sort(compare).slice(0, MAX_PATHS_PER_TARGET);
    this.memo.set(link, sorted);
    return sorted;
  }
}

/**
 * The construct path an instance gets, as the reader names one made in its own file: a stack is a root of the paths
 * fwlint reports even when its scope is not visible; a construct whose scope is unknown shows it as `${scope}/Id`.
 */
function instancePath(instance: ConstructInstanceLink, role: ConstructClassLink['role']): string {
  if (instance.scope !== undefined) return instance.scope === '' ? instance.id : `${instance.scope}/${instance.id}`;
  return role === 'stack' ? instance.id : `\${${instance.scopeText}}/${instance.id}`;
}

/** A copy of a target with `root` replaced by `newRoot` wherever a name starts with it. */
function renamed(target: Target, root: string, newRoot: string): Target {
  const rename = (name: string): string => {
    if (!name.startsWith(root)) return name;
    const next = name.charAt(root.length);
    return next === '' || next === '/' || next === '.' || next === '#' ? newRoot + name.slice(root.length) : name;
  };
  const renameUnknown = (unknown: UnknownValue): UnknownValue => ({ ...unknown, field: rename(unknown.field) });
  const renamePeer = (peer: Peer): Peer => (peer.kind === 'sg-ref' ? { ...peer, id: rename(peer.id) } : peer);
  const copy: Target = {
    ...target,
    id: rename(target.id),
    rules: target.rules.map((rule): Rule => {
      const next: Rule = { ...rule, id: rename(rule.id), resourceAddress: rename(rule.resourceAddress), peer: renamePeer(rule.peer), unknowns: rule.unknowns.map(renameUnknown) };
      if (rule.localAddresses) next.localAddresses = rule.localAddresses.map(renamePeer);
      return next;
    }),
  };
  if (target.unknowns) copy.unknowns = target.unknowns.map(renameUnknown);
  return copy;
}

/**
 * `../lib/web-stack` imported by `bin/app.ts` → `lib/web-stack`: the module's path from the scan's root, without
 * extension or a trailing `/index`. Undefined for package imports. Only the text is used; nothing is read from disk.
 */
export function relativeModule(file: string, specifier: string): string | undefined {
  if (specifier !== '.' && specifier !== '..' && !specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const parts = file.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else parts.push('..');
    } else {
      parts.push(part);
    }
  }
  return moduleKey(parts.join('/'));
}

/** A module's path without its extension or a trailing `/index`: `lib/web-stack.ts` → `lib/web-stack`. */
export function moduleKey(path: string): string {
  return path.replace(/\.(?:d\.)?[cm]?[jt]sx?$/i, '').replace(/(^|\/)index$/, '').replace(/^$/, '.');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
