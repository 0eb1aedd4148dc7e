import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Annotation, SourceFile } from '../../model/source-file';
import { annotationFromComment } from '../shared/annotations';
import { parseHcl, type Block } from '../terraform/hcl';
import { relativeTo } from '../terraform/module';
import { readModulesManifest, resolveModuleSource, type ModulesManifest } from '../terraform/module-tree';
import type { ConfigModule } from './plan-document';

/** A `resource "<type>" "<name>"` block found in the configuration on disk. */
export interface ConfigurationBlock {
  /** Display path of the `.tf` file (relative to cwd, `/` separators). */
  file: string;
  text: string;
  block: Block;
}

/**
 * Plan JSON has no source positions (formats.md §2.5). This finds where a planned resource is written: the plan
 * file's folder is the root module; a child module's folder comes from the `configuration` module call sources
 * (local paths relative to the calling module) or `.terraform/modules/modules.json`; the resource is the
 * `resource "<type>" "<name>"` block in that folder's `.tf` files. The `fwlint:` comments of every `.tf` file read
 * are kept (`annotations`), so in-source suppressions and profiles apply to plan findings located in those files
 * exactly as they do to the HCL path's.
 */
export class ConfigurationSource {
  private readonly rootDirectory: string;
  private readonly manifest: ModulesManifest | undefined;
  private readonly folders = new Map<string, Map<string, ConfigurationBlock>>();
  /** `fwlint:` annotations of the `.tf` files read so far, in reading order. */
  readonly annotations: Annotation[] = [];

  constructor(private readonly planFile: SourceFile) {
    this.rootDirectory = path.dirname(planFile.absolutePath);
    this.manifest = readModulesManifest(this.rootDirectory);
  }

  find(callPath: readonly string[], type: string, name: string, configuration: ConfigModule | undefined): ConfigurationBlock | undefined {
    const directory = this.moduleDirectory(callPath, configuration);
    return directory === undefined ? undefined : this.blocksOf(directory).get(`${type}.${name}`);
  }

  private moduleDirectory(callPath: readonly string[], configuration: ConfigModule | undefined): string | undefined {
    let directory = this.rootDirectory;
    let module = configuration;
    for (let depth = 0; depth < callPath.length; depth++) {
      const call = module?.calls.get(callPath[depth]!);
      module = call?.module;
      const located = resolveModuleSource(directory, call?.source ?? '', callPath.slice(0, depth + 1), this.manifest);
      if ('problem' in located) return undefined;
      directory = located.directory;
    }
    return directory;
  }

  private blocksOf(directory: string): Map<string, ConfigurationBlock> {
    const cached = this.folders.get(directory);
    if (cached) return cached;
    const blocks = new Map<string, ConfigurationBlock>();
    this.folders.set(directory, blocks);
    let names: string[];
    try {
      names = fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.tf'))
        .map((entry) => entry.name)
        .sort();
    } catch {
      return blocks;
    }
    for (const name of names) {
      const absolutePath = path.join(directory, name);
      let text: string;
      try {
        text = fs.readFileSync(absolutePath, 'utf8');
      } catch {
        continue;
      }
      const file = relativeTo(this.planFile, absolutePath);
      const parsed = parseHcl(text, file);
      for (const comment of parsed.comments) {
        const annotation = annotationFromComment(comment.text, file, comment.range);
        if (annotation) this.annotations.push(annotation);
      }
      for (const block of parsed.body?.blocks ?? []) {
        if (block.type !== 'resource' || block.labels.length !== 2) continue;
        const key = `${block.labels[0]}.${block.labels[1]}`;
        if (!blocks.has(key)) blocks.set(key, { file, text, block });
      }
    }
    return blocks;
  }
}
