import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FwlintConfig } from '../config/config';
import { warningDiagnostic, type Diagnostic } from '../model/diagnostic';
import { matchesGlob } from '../model/glob';
import { contentKeyOf, type Rule } from '../model/rule';
import type { Target } from '../model/target';
import type { Baseline } from '../suppress/baseline';
import { toRelative, type DiscoveredFile } from './discover';
import { isWithin } from './settings-root';

/** The apps whose synthesized output is a folder of inputs fwlint also reads: config file, tool, default folder. */
const SYNTHESIZING_APPS: ReadonlyArray<{ configFile: string; tool: string; defaultOutput: string; output: string }> = [
  { configFile: 'cdk.json', tool: 'AWS CDK', defaultOutput: 'cdk.out', output: 'CloudFormation templates' },
  { configFile: 'cdktf.json', tool: 'CDKTF', defaultOutput: 'cdktf.out', output: 'Terraform JSON' },
];

/** A CDK or CDKTF app found by a scan, and the folder its `synth` writes to. */
export interface SynthesizingApp {
  tool: string;
  /** What the output folder holds, for the message. */
  output: string;
  /** The app's `cdk.json`/`cdktf.json`, relative to cwd. */
  configFile: string;
  /** Absolute. */
  appFolder: string;
  /** Absolute: the config's `"output"` (relative to the app's folder), else the tool's default. */
  outputFolder: string;
}

/**
 * Marks the files of a scanned folder that lie in the output folder of a CDK or CDKTF app found by the same walk
 * (`cdk.json`/`cdktf.json` among the walked files), with every app writing there: `cdk synth` writes the app's rules
 * there again. Files reached from a path named on the command line at or below the output folder are not marked: a
 * named path is always scanned.
 */
export function markSynthesizedOutputs(files: DiscoveredFile[], namedPaths: readonly string[]): void {
  const apps: SynthesizingApp[] = [];
  for (const file of files) {
    if (file.isCompanion) continue;
    const kind = SYNTHESIZING_APPS.find((candidate) => candidate.configFile === path.basename(file.absolutePath));
    if (!kind) continue;
    const appFolder = path.dirname(file.absolutePath);
    const outputFolder = path.resolve(appFolder, configuredOutput(file.absolutePath) ?? kind.defaultOutput);
    // `"output": "."` or `".."` would hide the app's own source: not an output folder fwlint can tell apart.
    if (isWithin(appFolder, outputFolder)) continue;
    apps.push({ tool: kind.tool, output: kind.output, configFile: file.path, appFolder, outputFolder });
  }
  if (apps.length === 0) return;
  for (const file of files) {
    // Two apps may write to one folder (`"output": "../../synth"`): each of them owns its files.
    const owners = apps.filter((app) => isWithin(file.absolutePath, app.outputFolder)
      && !namedPaths.some((named) => isWithin(named, app.outputFolder) && isWithin(file.absolutePath, named)));
    if (owners.length > 0) file.synthesizedBy = owners;
  }
}

/**
 * The `"output"` of a `cdk.json`/`cdktf.json`, if it names one. A file that cannot be read or is not JSON gives the
 * tool's default: it is the tool's configuration, not an input, and the tool itself reports it.
 */
function configuredOutput(configFile: string): string | undefined {
  try {
    // A BOM (Windows editors) is no JSON, but the CDK CLI reads such a file: so does this.
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8').replace(/^\uFEFF/, '')) as unknown;
    const output = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).output : undefined;
    return typeof output === 'string' && output.trim() !== '' ? output : undefined;
  } catch {
    return undefined;
  }
}

/** The imports that make a source file an app's own: AWS CDK's for a `cdk.json` app, CDKTF's for a `cdktf.json` one. */
const TOOL_IMPORT: Readonly<Record<string, RegExp>> = {
  'AWS CDK': /(['"])(?:aws-cdk-lib|@aws-cdk\/[\w.-]+)(?:\/[^'"\r\n]*)?\1/,
  CDKTF: /(['"])(?:cdktf|@cdktf\/[\w.-]+)(?:\/[^'"\r\n]*)?\1/,
};

/** A file read, by its path relative to cwd. */
interface ReadText {
  path: string;
  text: string;
}

/**
 * The synthesized output that may repeat source targets: for each input file of an output folder whose every owning
 * app has its own source read, its targets' construct paths by target id (the template's `Metadata.aws:cdk:path`,
 * `cdk.tf.json`'s `"//".metadata.path`). Dropped after parsing by `dropSynthesizedDuplicates`.
 */
export interface SynthesizedDuplicates {
  constructPaths: Map<string, Map<string, string>>;
  /** The first app owning each such file, for the warning. */
  appOf: Map<string, SynthesizingApp>;
}

/**
 * The files of `outputs` (inputs read, any format) in the output folder of apps whose source the scan reads: a file
 * of `appSources` (read by the CDK parser) importing the app's tool, below the app's folder, outside its output, and
 * not below a nested app's config file (a TypeScript tool app inside a Python app's folder is not the Python app's
 * source). Undefined when there is none.
 */
export function synthesizedDuplicateCandidates(
  discovered: readonly DiscoveredFile[],
  appSources: readonly ReadText[],
  outputs: readonly ReadText[],
): SynthesizedDuplicates | undefined {
  const byPath = new Map(discovered.map((file) => [file.path, file]));
  const configFolders = new Set<string>();
  for (const file of discovered) {
    if (!file.isCompanion && SYNTHESIZING_APPS.some((kind) => kind.configFile === path.basename(file.absolutePath))) configFolders.add(path.dirname(file.absolutePath));
  }
  const sourceRead = new Map<SynthesizingApp, boolean>();
  const isSourceRead = (app: SynthesizingApp): boolean => {
    let read = sourceRead.get(app);
    if (read === undefined) {
      read = appSources.some((source) => {
        const absolutePath = byPath.get(source.path)?.absolutePath;
        return absolutePath !== undefined && !isWithin(absolutePath, app.outputFolder)
          && nearestConfigFolder(absolutePath, configFolders) === app.appFolder && TOOL_IMPORT[app.tool]!.test(source.text);
      });
      sourceRead.set(app, read);
    }
    return read;
  };
  const duplicates: SynthesizedDuplicates = { constructPaths: new Map(), appOf: new Map() };
  for (const output of outputs) {
    const owners = byPath.get(output.path)?.synthesizedBy;
    if (!owners || !owners.every(isSourceRead)) continue;
    const paths = constructPathsOf(output.text);
    if (paths.size === 0) continue;
    duplicates.constructPaths.set(output.path, paths);
    duplicates.appOf.set(output.path, owners[0]!);
  }
  return duplicates.constructPaths.size > 0 ? duplicates : undefined;
}

/** The folder of the nearest `cdk.json`/`cdktf.json` at or above a file. */
function nearestConfigFolder(absolutePath: string, configFolders: ReadonlySet<string>): string | undefined {
  for (let folder = path.dirname(absolutePath); ; folder = path.dirname(folder)) {
    if (configFolders.has(folder)) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/** Construct paths by target id: CloudFormation logical ids, Terraform `type.name` addresses. */
function constructPathsOf(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return paths;
  }
  const record = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  const root = record(document);
  for (const [logicalId, resource] of Object.entries(record(root?.Resources) ?? {})) {
    const constructPath = record(record(resource)?.Metadata)?.['aws:cdk:path'];
    if (typeof constructPath === 'string') paths.set(logicalId, constructPath);
  }
  for (const [type, resources] of Object.entries(record(root?.resource) ?? {})) {
    for (const [name, resource] of Object.entries(record(resources) ?? {})) {
      const constructPath = record(record(record(resource)?.['//'])?.metadata)?.path;
      if (typeof constructPath === 'string') paths.set(`${type}.${name}`, constructPath);
    }
  }
  return paths;
}

/**
 * How the scan's settings see a synthesized target beside its source target: given after profile assignment's inputs
 * are known (config `targets:`, `--profile`, `fwlint:profile` comments and tags), before anything is mapped.
 */
export interface SettingsOfPair {
  /** The role a target is judged against (see `ProfileAssigner.roleOf`): '' for none. */
  roleOf(target: Target): string;
  /** Whether a setting names the synthesized target by its own id and not the source target (see `namesSynthesizedId`). */
  namesSynthesized(synthesized: Target, source: Target): boolean;
}

/**
 * Drops the targets of synthesized output that a source target repeats: the one at the same construct path (an L2
 * construct's `…/Resource` is the construct's), both fully known, with the same rules, mapped to no role or to the
 * source's, and named by no setting as the synthesized target alone (a `targets:` entry mapping the template's logical id keeps
 * the template's group, as it did before the source was read). Anything else the output holds is kept, even if
 * reported twice: a group made by a construct library, a value the source does not know, an escape hatch
 * (`addPropertyOverride`), an aspect exist only in the synthesized template. One warning per app
 * whose output had targets dropped, naming them and how to scan them (the scanned `paths` plus the folder).
 */
export function dropSynthesizedDuplicates(
  targets: Target[],
  duplicates: SynthesizedDuplicates,
  paths: readonly string[],
  cwd: string,
  settings: SettingsOfPair,
): { targets: Target[]; diagnostics: Diagnostic[] } {
  // An id two source targets share (two apps, one stack name) matches neither.
  const sourceTargets = new Map<string, Target | null>();
  for (const target of targets) if (target.kind === 'cdk') sourceTargets.set(target.id, sourceTargets.has(target.id) ? null : target);
  const sourceAt = (constructPath: string): Target | undefined =>
    sourceTargets.get(constructPath) ?? sourceTargets.get(constructPath.replace(/\/Resource$/, '')) ?? undefined;
  const dropped = new Map<SynthesizingApp, string[]>();
  const kept = targets.filter((target) => {
    const paths = duplicates.constructPaths.get(target.location.file);
    const constructPath = paths?.get(target.id);
    if (constructPath === undefined) return true;
    const source = sourceAt(constructPath);
    // A peer group of the template (`SourceSecurityGroupId: GetAtt WebSg…`) is named by its logical id there, by its
    // construct path in the source.
    const sourceIdOf = (logicalId: string): string | undefined => {
      const peerPath = paths!.get(logicalId);
      return peerPath === undefined ? undefined : sourceAt(peerPath)?.id;
    };
    if (!source || !repeats(target, source, sourceIdOf)) return true;
    // A role of the template's own (a config entry or tag naming it) must be the source's; without one the source's
    // mapping (a comment, its construct path) is the construct's, and the template's group says nothing more.
    const role = settings.roleOf(target);
    if ((role !== '' && role !== settings.roleOf(source)) || settings.namesSynthesized(target, source)) return true;
    const app = duplicates.appOf.get(target.location.file)!;
    const list = dropped.get(app);
    if (list) list.push(source.id);
    else dropped.set(app, [source.id]);
    return false;
  });
  const diagnostics: Diagnostic[] = [];
  for (const [app, ids] of dropped) {
    const sorted = [...new Set(ids)].sort();
    const named = sorted.length > 3 ? `${sorted.slice(0, 3).join(', ')} and ${sorted.length - 3} more` : sorted.join(', ');
    const folder = toRelative(app.outputFolder, cwd);
    diagnostics.push(warningDiagnostic(
      'scan/synthesized-output-skipped',
      app.configFile,
      `${folder}: ${sorted.length === 1 ? 'a target' : `${sorted.length} targets`} of the ${app.output} synthesized from this ${app.tool} app not reported again (${named}): the scanned source gives ${sorted.length === 1 ? 'it' : 'each'} with the same rules; the folder's other targets are scanned. To report ${sorted.length === 1 ? 'it' : 'them'} from the output too, name the folder: fwlint scan ${[...paths, folder].map(shellWord).join(' ')}`,
    ));
  }
  return { targets: kept, diagnostics };
}

/**
 * Whether a synthesized target says nothing its source target does not: both known, same rules, the synthesized rules'
 * peer groups named as the source names them (`sourceIdOf`). The role is the settings' to compare.
 */
function repeats(synthesized: Target, source: Target, sourceIdOf: (id: string) => string | undefined): boolean {
  if (!fullyKnown(synthesized) || !fullyKnown(source)) return false;
  if (synthesized.definedElsewhere !== source.definedElsewhere) return false;
  if (synthesized.rules.length !== source.rules.length) return false;
  const synthesizedKey = (rule: Rule): string => {
    const peerId = rule.peer.kind === 'sg-ref' ? sourceIdOf(rule.peer.id) : undefined;
    return peerId === undefined ? contentKeyOf(rule) : contentKeyOf({ ...rule, peer: { ...rule.peer, id: peerId } as Rule['peer'] });
  };
  const keys = (rules: readonly Rule[], key: (rule: Rule) => string): string => rules.map(key).sort().join('\n');
  return keys(synthesized.rules, synthesizedKey) === keys(source.rules, contentKeyOf);
}

function fullyKnown(target: Target): boolean {
  return (target.unknowns ?? []).length === 0 && target.rules.every((rule) => rule.unknowns.length === 0);
}

/**
 * Whether a config `targets:` glob, an `ignore:` entry's target glob or a baseline entry names a synthesized target by
 * its own id (a template's logical id, the id fwlint reports for it when the output is scanned alone) and not its
 * source target: such a setting is about the synthesized target, which is then kept for it to apply to. A glob
 * matching both (`*`) treats them alike.
 */
export function namesSynthesizedId(config: FwlintConfig, baseline: Baseline | undefined): (synthesized: Target, source: Target) => boolean {
  const globs = [
    ...(config.targets ?? []).flatMap((entry) => entry.match),
    ...(config.ignore ?? []).flatMap((entry) => (entry.target === undefined ? [] : [entry.target])),
  ];
  // Baseline entries without a file (older baselines) match by id alone, as they match findings.
  const baselined = new Set((baseline?.findings ?? []).map((entry) => `${entry.targetId}\u0000${entry.file ?? ''}`));
  return (synthesized, source) =>
    globs.some((glob) => matchesGlob(glob, synthesized.id) && !matchesGlob(glob, source.id))
    || (synthesized.id !== source.id && (baselined.has(`${synthesized.id}\u0000${synthesized.location.file}`) || baselined.has(`${synthesized.id}\u0000`)));
}

/** A path as one shell word, quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
