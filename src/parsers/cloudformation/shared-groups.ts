import * as path from 'node:path';
import type { SourceFile } from '../../model/source-file';
import type { Target } from '../../model/target';

/** An existing group's or ACL's id as a standalone resource writes it (`GroupId: sg-0123…`, `NetworkAclId: acl-0123…`). */
export const LITERAL_GROUP_ID = /^sg-[0-9a-z]+$/i;
export const LITERAL_ACL_ID = /^acl-[0-9a-z]+$/i;

/** Anything in a template's text that may be such an id: a cheap over-approximation, for grouping files only. */
const ID_IN_TEXT = /\b(?:sg|acl)-[0-9a-z]+\b/gi;

/**
 * `TemplateURL: ./bastion.yaml` (or `"TemplateURL": "…"`; a SAM application's `Location: ./bastion.yaml`) in a
 * template's text, for grouping files only.
 */
const TEMPLATE_URL_IN_TEXT = /["']?(?:TemplateURL|Location)["']?[ \t]*:[ \t]*["']?([^\s"'{}[\],]+)/g;

/** A URL with a scheme (`https://`, `s3://`) names a template elsewhere; anything else is a path, as `package` takes it. */
const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The template a nested stack names by a local path, relative to the scan's paths as the parent's is. */
export function localTemplatePath(parentFile: string, url: string): string | undefined {
  if (URL_WITH_SCHEME.test(url)) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(parentFile), url));
}

/**
 * The templates to parse together (in discovery order, each group at its first file's place): those whose text
 * mentions one `sg-…`/`acl-…` id, so that standalone rules adding to one existing group from several templates (two
 * stacks extending a shared group) are judged as one target (see `joinSharedGroups`), and a template with the local
 * templates it names as nested stacks (`TemplateURL: ./bastion.yaml`), which are evaluated with the parameters it
 * passes (see `nested-stacks.ts`). Every other template is alone. A template that mentions a parameter whose given
 * value (`--param WebSgId=sg-0123…`, a parameter file) holds such an id counts as mentioning the id.
 */
export function cloudFormationUnitGroups(files: readonly SourceFile[], params: Readonly<Record<string, string>> = {}): SourceFile[][] {
  // Union-find over file positions, joined through the ids they mention.
  const parent = files.map((_file, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const join = (first: number, second: number): void => {
    const [a, b] = [root(first), root(second)];
    // The earlier file stays the root: a group keeps its first file's place.
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  const indexByPath = new Map(files.map((file, index) => [file.path, index]));
  const firstWithId = new Map<string, number>();
  // Parameter names are alphanumeric (CloudFormation rejects others), so they need no escaping.
  const idsOfParameters = Object.entries(params).flatMap(([name, value]) => {
    const ids = [...value.matchAll(ID_IN_TEXT)].map((match) => match[0]);
    return ids.length > 0 && /^[A-Za-z0-9]+$/.test(name) ? [{ name: new RegExp(`(?<![A-Za-z0-9:])${name}(?![A-Za-z0-9:])`), ids }] : [];
  });
  files.forEach((file, index) => {
    const given = idsOfParameters.flatMap((parameter) => (parameter.name.test(file.text) ? parameter.ids : []));
    for (const match of [...[...file.text.matchAll(ID_IN_TEXT)].map((each) => each[0]), ...given]) {
      const id = match.toLowerCase();
      const first = firstWithId.get(id);
      if (first === undefined) firstWithId.set(id, index);
      else join(first, index);
    }
    for (const match of file.text.matchAll(TEMPLATE_URL_IN_TEXT)) {
      const child = localTemplatePath(file.path, match[1]!);
      const childIndex = child === undefined ? undefined : indexByPath.get(child);
      if (childIndex !== undefined) join(index, childIndex);
    }
  });
  const groups = new Map<number, SourceFile[]>();
  files.forEach((file, index) => {
    const key = root(index);
    const group = groups.get(key);
    if (group) group.push(file);
    else groups.set(key, [file]);
  });
  return [...groups.values()];
}

/**
 * Targets of several templates named by one literal id (`sg-0123…`, `acl-0123…`) are one group or ACL of the account:
 * the first one gets the others' rules and unresolved values, so rules that open it only together are seen. A rule
 * whose id another template's rule already has there is told apart by its file (`Rule@b.yaml`), so an in-source
 * suppression in one template does not mute the other's.
 */
export function joinSharedGroups(targets: readonly Target[]): Target[] {
  const byId = new Map<string, Target>();
  const joined: Target[] = [];
  for (const target of targets) {
    const isLiteral = LITERAL_GROUP_ID.test(target.id) || LITERAL_ACL_ID.test(target.id);
    const first = isLiteral ? byId.get(target.id) : undefined;
    if (!first || first.platform !== target.platform) {
      if (isLiteral && !first) byId.set(target.id, target);
      joined.push(target);
      continue;
    }
    const ruleIds = new Set(first.rules.map((rule) => rule.id));
    for (const rule of target.rules) first.rules.push(ruleIds.has(rule.id) ? { ...rule, id: `${rule.id}@${rule.location.file}` } : rule);
    if (target.unknowns) first.unknowns = [...(first.unknowns ?? []), ...target.unknowns];
  }
  return joined;
}
