import * as path from 'node:path';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceFile } from '../../model/source-file';
import { copyNode, evaluate, type Attribute, type Block, type Body } from './hcl';
import { isOverrideFile } from './root-groups';

/** One parsed configuration file of a module and its top-level blocks (`ModuleFile` of module.ts). */
interface ParsedFile {
  file: SourceFile;
  blocks: Block[];
}

/**
 * The file an attribute or block merged from an override file is written in. A merged block holds parts of several
 * files, and its parts' ranges and offsets are in their own file: what evaluates or locates a part asks here.
 */
const overrideParts = new WeakMap<Attribute | Block, SourceFile>();
/** The bodies holding parts of an override file: the readers of resource bodies ask per part only in these. */
const mergedBodies = new WeakSet<Body>();

/** The file `node` is written in: its override file when it was merged from one, else `container`, its block's. */
export function writtenIn(node: Attribute | Block, container: SourceFile): SourceFile {
  return overrideParts.get(node) ?? container;
}

/** Whether some attribute or nested block of `body` was merged from an override file (see `writtenIn`). */
export function hasOverrideParts(body: Body): boolean {
  return mergedBodies.has(body);
}

/**
 * A module's files with its override files merged in, as Terraform does (`Module.mergeFile`): the primary files
 * first, then each override file, in lexical order of their names, block by block. A block merges into the block of
 * the same header (type and labels; a `provider` by name and `alias`): an attribute written in the override replaces
 * the original's of that name; a nested block type written in it (or as a `dynamic` block's label) replaces every
 * block of that type, `dynamic` ones too (`mergeBody`); a `variable` or `output` takes attributes only. A `locals`
 * entry replaces the local of its name. The merged block takes the original's place; its parts keep their own file
 * (`writtenIn`). An override block or local with no original is an error in Terraform: reported, and read as
 * written. Blocks Terraform does not merge this way (`terraform`, `moved`, …) are read as written.
 */
export function mergeOverrideFiles<T extends ParsedFile>(files: readonly T[]): { files: T[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!files.some((parsed) => isOverrideFile(parsed.file.path))) return { files: [...files], diagnostics };
  const primaries = files.filter((parsed) => !isOverrideFile(parsed.file.path)).map((parsed) => ({ ...parsed, blocks: [...parsed.blocks] }));
  const overrides = files.filter((parsed) => isOverrideFile(parsed.file.path)).sort((a, b) => compareNames(path.posix.basename(a.file.path), path.posix.basename(b.file.path)));
  // Where each original block is: its file and its place among the file's blocks.
  const originals = new Map<string, { parsed: T; index: number }>();
  const locals = new Map<string, { parsed: T; index: number }>();
  for (const parsed of primaries) {
    parsed.blocks.forEach((block, index) => {
      if (block.type === 'locals') {
        for (const attribute of block.body.attributes) if (!locals.has(attribute.name)) locals.set(attribute.name, { parsed, index });
        return;
      }
      const key = mergeKey(block, parsed.file);
      if (key !== undefined && !originals.has(key)) originals.set(key, { parsed, index });
    });
  }
  const merged: T[] = [];
  for (const override of overrides) {
    const kept: Block[] = [];
    for (const block of override.blocks) {
      if (block.type === 'locals') {
        const unmatched = block.body.attributes.filter((attribute) => {
          const original = locals.get(attribute.name);
          if (original) {
            const target = original.parsed.blocks[original.index]!;
            original.parsed.blocks[original.index] = withBody(target, mergedAttributes(target.body, [attribute], override.file), target.body.blocks);
            return false;
          }
          diagnostics.push(errorDiagnostic('parse/terraform-override-missing', override.file.path, `local value "${attribute.name}" of an override file has no original to override; Terraform rejects it ("Missing base local value definition to override")`, attribute.range));
          return true;
        });
        if (unmatched.length > 0) kept.push(withBody(block, unmatched, block.body.blocks));
        continue;
      }
      const key = mergeKey(block, override.file);
      if (key === undefined) {
        kept.push(block);
        continue;
      }
      const original = originals.get(key);
      if (!original) {
        const header = [block.type, ...block.labels.map((label) => JSON.stringify(label))].join(' ');
        diagnostics.push(errorDiagnostic('parse/terraform-override-missing', override.file.path, `${header} of an override file has no original to override; Terraform rejects it (an override file can only change a block declared in a primary file); read as written`, headerRange(block)));
        kept.push(block);
        continue;
      }
      const target = original.parsed.blocks[original.index]!;
      original.parsed.blocks[original.index] = mergedBlock(target, block, override.file);
    }
    merged.push({ ...override, blocks: kept });
  }
  return { files: [...primaries, ...merged], diagnostics };
}

/** Byte order of names, as Go sorts a folder's file names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The header a block is merged by, or undefined for a block type that is not merged. */
function mergeKey(block: Block, file: SourceFile): string | undefined {
  switch (block.type) {
    case 'resource':
    case 'data':
      return block.labels.length === 2 ? `${block.type}\u0000${block.labels[0]}\u0000${block.labels[1]}` : undefined;
    case 'variable':
    case 'output':
    case 'module':
      return block.labels.length === 1 ? `${block.type}\u0000${block.labels[0]}` : undefined;
    case 'provider': {
      if (block.labels.length !== 1) return undefined;
      const alias = block.body.attributes.find((attribute) => attribute.name === 'alias');
      const value = alias && evaluate(alias.expr, { text: writtenIn(alias, file).text });
      return `provider\u0000${block.labels[0]}\u0000${value?.kind === 'string' ? value.value : ''}`;
    }
    default:
      return undefined;
  }
}

/** `original` with `override` merged in (see `mergeOverrideFiles`). */
function mergedBlock(original: Block, override: Block, file: SourceFile): Block {
  const attributes = mergedAttributes(original.body, override.body.attributes, file);
  // Terraform reads only the attributes of a variable's or output's override (its `validation` blocks stay).
  if (original.type === 'variable' || original.type === 'output') return withBody(original, attributes, original.body.blocks);
  const replaced = new Set(override.body.blocks.map((block) => (block.type === 'dynamic' ? block.labels[0] : block.type)));
  const kept = original.body.blocks.filter((block) => !replaced.has(block.type === 'dynamic' ? block.labels[0] : block.type));
  for (const block of override.body.blocks) overrideParts.set(block, file);
  return withBody(original, attributes, [...kept, ...override.body.blocks]);
}

/** `body`'s attributes with each of `overriding` in place of the one of its name (after them where there is none). */
function mergedAttributes(body: Body, overriding: readonly Attribute[], file: SourceFile): Attribute[] {
  const attributes = [...body.attributes];
  for (const attribute of overriding) {
    overrideParts.set(attribute, file);
    const index = attributes.findIndex((existing) => existing.name === attribute.name);
    if (index >= 0) attributes[index] = attribute;
    else attributes.push(attribute);
  }
  return attributes;
}

/** `block` with a body of `attributes` and `blocks`, marked as holding parts of override files. */
function withBody(block: Block, attributes: Attribute[], blocks: Block[]): Block {
  const body = copyNode(block.body, { attributes, blocks });
  mergedBodies.add(body);
  // A parsed block's type and label ranges are accessors, which `copyNode` (a spread) does not copy.
  return copyNode(block, { body, typeRange: block.typeRange, labelRanges: block.labelRanges });
}

/** A block's header: its type and labels. */
function headerRange(block: Block): Block['range'] {
  const last = block.labelRanges[block.labelRanges.length - 1] ?? block.typeRange;
  return { startLine: block.typeRange.startLine, startColumn: block.typeRange.startColumn, endLine: last.endLine, endColumn: last.endColumn };
}

/** `scope` to evaluate `node` in: with the text of the override file it was merged from, if it was (`writtenIn`). */
export function scopeWrittenIn<S extends { text: string }>(node: Attribute | Block, container: SourceFile, scope: S): S {
  const file = overrideParts.get(node);
  return file === undefined || file === container ? scope : { ...scope, text: file.text };
}
