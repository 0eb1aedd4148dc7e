import * as fs from 'node:fs';
import * as path from 'node:path';
import { warningDiagnostic, type Diagnostic } from '../model/diagnostic';
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
 * (`cdk.json`/`cdktf.json` among the walked files): `cdk synth` writes the app's rules there again. Files reached from
 * a path named on the command line at or below the output folder are not marked: a named path is always scanned.
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
    const app = apps.find((candidate) => isWithin(file.absolutePath, candidate.outputFolder));
    if (!app) continue;
    const named = namedPaths.some((named) => isWithin(named, app.outputFolder) && isWithin(file.absolutePath, named));
    if (!named) file.synthesizedBy = app;
  }
}

/**
 * The `"output"` of a `cdk.json`/`cdktf.json`, if it names one. A file that cannot be read or is not JSON gives the
 * tool's default: it is the tool's configuration, not an input, and the tool itself reports it.
 */
function configuredOutput(configFile: string): string | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as unknown;
    const output = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).output : undefined;
    return typeof output === 'string' && output.trim() !== '' ? output : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The synthesized output not to read: the files marked by `markSynthesizedOutputs` for an app whose source the scan
 * reads (`isAppSource`: a file of the app's folder, outside its output folder, that the CDK parser reads), since every
 * rule found there is found in the source too. Without the source (a scan of a repository holding only the templates,
 * or of a Python CDK app), the output is read as any other input. One warning per app whose skipped files hold an
 * input (`isInput`), saying how to scan them.
 */
export function synthesizedOutputsToSkip(
  files: readonly DiscoveredFile[],
  isAppSource: (file: DiscoveredFile) => boolean,
  isInput: (file: DiscoveredFile) => boolean,
  cwd: string,
): { skipped: Set<string>; diagnostics: Diagnostic[] } {
  const skipped = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const apps = new Set<SynthesizingApp>();
  for (const file of files) if (file.synthesizedBy) apps.add(file.synthesizedBy);
  for (const app of apps) {
    const sourceRead = files.some((file) => isWithin(file.absolutePath, app.appFolder) && !isWithin(file.absolutePath, app.outputFolder) && isAppSource(file));
    if (!sourceRead) continue;
    let holdsInput = false;
    for (const file of files) {
      if (file.synthesizedBy !== app) continue;
      skipped.add(file.path);
      holdsInput ||= isInput(file);
    }
    if (!holdsInput) continue;
    const folder = toRelative(app.outputFolder, cwd);
    diagnostics.push(warningDiagnostic(
      'scan/synthesized-output-skipped',
      app.configFile,
      `${folder} not scanned: the ${app.output} synthesized from this ${app.tool} app, whose source is scanned (each rule would be reported twice); to scan it too, name the folder: fwlint scan ${shellWord(folder)}`,
    ));
  }
  return { skipped, diagnostics };
}

/** A path as one shell word, quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
