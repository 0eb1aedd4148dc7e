import * as os from 'node:os';
import * as path from 'node:path';
import { isFolder, isWithin, settingsRoot } from '../discover/settings-root';
import type { Check, CheckContext } from '../checks';
import type { FindingSubject, SuppressionEntry } from '../suppress/suppress';
import type { Baseline, BaselineEntry } from '../suppress/baseline';
import type { FwlintConfig, LoadedConfig } from '../config/config';
import type { EffectiveSet } from '../engine/effective';
import type { ProfileAssignment, ProfileDiff } from '../engine/profile-diff';
import { errorDiagnostic, textWithPaths, warningDiagnostic, type Diagnostic } from '../model/diagnostic';
import type { Finding, FixSuggestion } from '../model/finding';
import { isWindowsHostKind, type SourceLocation } from '../model/location';
import { isSeverity, type Severity } from '../model/severity';
import type { Annotation, ConstructLinks, FormatParser, ParseOptions, ParseResult, SourceFile } from '../model/source-file';
import { summaryRuleCount, type Rule } from '../model/rule';
import type { ProfileBinding, Target, TargetEntry } from '../model/target';
import { parseProfileValue } from '../parsers/shared/profile-value';
import { planAlongsideConfiguration } from '../parsers/terraform-plan/alongside';
import { tofuAlternativesLeftOut } from '../parsers/terraform/root-groups';
import { isModuleSource } from '../parsers/cdk/module-sources';
import { unrecognisedTemplateReason } from '../parsers/cloudformation/detect';
import { annotationIdentity, diagnosticIdentity, mergeUnitResults, parseHere, planParseUnits, type ParseUnit, type UnitOutcome } from './parse-units';
import type { ParsePool } from './parallel-parse';
import { ProfileAssigner } from './assign-profiles';
import { lazy } from './lazy';
import { readSourceText } from './source-text';

/*
 * Stages are loaded on first use: `fwlint --version`, `rules` or `explain` never load ajv, YAML, the parsers or
 * the engine, and a scan loads only what it reaches (no packs unless a target maps to a role).
 */
const checksModule = lazy(() => require('../checks') as typeof import('../checks'));
const suppressModule = lazy(() => require('../suppress/suppress') as typeof import('../suppress/suppress'));
const baselineModule = lazy(() => require('../suppress/baseline') as typeof import('../suppress/baseline'));
const configModule = lazy(() => require('../config/config') as typeof import('../config/config'));
const discoverModule = lazy(() => require('../discover/discover') as typeof import('../discover/discover'));
const readModule = lazy(() => require('../discover/read') as typeof import('../discover/read'));
const synthesizedOutputModule = lazy(() => require('../discover/synthesized-output') as typeof import('../discover/synthesized-output'));
const effectiveModule = lazy(() => require('../engine/effective') as typeof import('../engine/effective'));
const profileDiffModule = lazy(() => require('../engine/profile-diff') as typeof import('../engine/profile-diff'));
const portSetModule = lazy(() => require('../model/port-set') as typeof import('../model/port-set'));
const fixesModule = lazy(() => require('./fixes') as typeof import('./fixes'));
const parsersModule = lazy(() => require('../parsers') as typeof import('../parsers'));
const parallelModule = lazy(() => require('./parallel-parse') as typeof import('./parallel-parse'));
const declaredResourcesModule = lazy(() => require('../parsers/terraform/declared-resources') as typeof import('../parsers/terraform/declared-resources'));

export interface ScanOptions {
  paths: string[];
  cwd: string;
  /** Explicit `--config`; otherwise `.fwlint.yaml` is searched from the first scanned path upwards. */
  configFile?: string;
  /** `--profile`, applied to every target scanned. */
  profile?: string;
  phase?: 'install' | 'operate';
  options?: string[];
  /** `--rules DIR`: more rule packs. */
  rulePackDirs?: string[];
  parse?: Partial<ParseOptions>;
  /**
   * `--param-file`: CloudFormation parameter files (absolute paths), in the `aws cloudformation` CLI form or the
   * CodePipeline template-configuration form. Later files override earlier ones; `parse.params` overrides both.
   */
  paramFiles?: string[];
  maxFileBytes?: number;
  baseline?: Baseline;
  /**
   * `--baseline FILE` (absolute): read here, so an unreadable or invalid file is a diagnostic and the scan goes on
   * without a baseline. `baseline` wins when both are given.
   */
  baselineFile?: string;
  /** `YYYY-MM-DD`, for suppression expiry. */
  today: string;
  parsers?: readonly FormatParser[];
  /**
   * Threads that parse: 1 parses in this thread only; n ≥ 2 adds n − 1 worker threads (fewer when there are fewer
   * files). Default (undefined or 0): one per core but one (`os.availableParallelism() - 1`) when the input is large
   * (over 2 MB or 200 files) and there are more than two cores, else this thread alone, so small scans start fast. Output is the same either way, in content and order. Custom `parsers` always parse here.
   */
  workers?: number;
  /**
   * Keep every target in `ScanResult.targets` (default). False lets the scan judge each parse unit (a Terraform
   * root module, a template, a netsh file) as soon as it is parsed and drop its model, so memory holds a few units'
   * models rather than the whole input's: `targets` is then empty (`targetFiles` still lists them). The CLI passes
   * false. Plans and CDK source, whose units are linked, are scanned whole either way.
   */
  keepModel?: boolean;
}

/** Above either size the default is to parse in worker threads on more than two cores (issue #10). */
const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;
const PARALLEL_MIN_FILES = 200;

export interface ScanStats {
  /** Files discovered under the scanned paths. */
  files: number;
  /** Files read into the model: the inputs parsed, and files they load (Terraform modules outside the scanned paths). */
  parsedFiles: number;
  targets: number;
  rules: number;
  suppressed: number;
  baselined: number;
  baselineAbsent: number;
  timingsMs: Record<'discover' | 'read' | 'parse' | 'evaluate', number>;
}

export interface ScanResult {
  /** Sorted by file, line, column, check, target, message. Suppressed findings are included, marked. */
  findings: Finding[];
  /** Sorted by file, line, column, code. */
  diagnostics: Diagnostic[];
  checks: ReadonlyArray<Check<unknown>>;
  /** Every target, sorted by id; empty when `keepModel` is false and the scan could drop them. */
  targets: Target[];
  /** Every target's id and defining file, sorted by id, whatever `keepModel`. */
  targetFiles: TargetEntry[];
  config?: LoadedConfig;
  stats: ScanStats;
  /** Entries of the applied baseline that no finding matched where the scan looked (`stats.baselineAbsent` of them). */
  baselineAbsentEntries: BaselineEntry[];
  /** Entries of the applied baseline whose place this scan did not look at (see `baselineEntryInScope`): not absent. */
  baselineUnseenEntries: BaselineEntry[];
}

/** The whole pipeline: discover → read/detect → parse → map profiles → evaluate → suppress → sorted result. */
export function scan(options: ScanOptions): ScanResult {
  const diagnostics: Diagnostic[] = [];
  const timings = { discover: 0, read: 0, parse: 0, evaluate: 0 };
  let clock = performance.now();
  const lap = (stage: keyof typeof timings): void => {
    const now = performance.now();
    timings[stage] += now - clock;
    clock = now;
  };

  const loaded = loadEffectiveConfig(options, diagnostics);
  const config = loaded?.config ?? {};
  const baseline = options.baseline ?? (options.baselineFile !== undefined ? readBaselineFile(options.baselineFile, options.cwd, diagnostics) : undefined);

  const parsers = options.parsers ?? parsersModule().PARSERS;
  const discovered = discoverModule().discoverFiles(options.paths.length > 0 ? options.paths : ['.'], options.cwd, companionsOf(parsers));
  diagnostics.push(...discovered.diagnostics);
  if (!options.configFile) {
    const scannedFiles = discovered.value.filter((file) => !file.isCompanion).map((file) => file.absolutePath);
    diagnostics.push(...configModule().unappliedConfigWarnings(scannedFiles, configSearchStart(options), loaded?.file, options.cwd));
  }
  lap('discover');
  // Workers start now and load the parsers while this thread reads the files.
  let pool = startPool(options, parsers, discovered.value);

  try {
    const { byParser, parsedPaths, inputPaths, moduleSources } = readInputs(options, parsers, discovered.value, diagnostics);
    const synthesizedDuplicates = synthesizedDuplicateCandidates(discovered.value, byParser);
    for (const diagnostic of foldersWithoutInputs(options, inputPaths)) diagnostics.push(diagnostic);
    for (const diagnostic of planAlongsideConfiguration(byParser)) diagnostics.push(diagnostic);
    lap('read');

    const parseOptions: ParseOptions = { vars: {}, varFiles: [], params: {}, ...options.parse };
    // Where each parameter value comes from, so a value CloudFormation would refuse is reported with its source.
    const paramOrigins = new Map<string, string>();
    if (options.paramFiles && options.paramFiles.length > 0) {
      parseOptions.params = { ...readParameterFiles(options.paramFiles, options.cwd, diagnostics, paramOrigins), ...parseOptions.params };
    }
    for (const name of Object.keys(options.parse?.params ?? {})) paramOrigins.set(name, '--param');
    if (paramOrigins.size > 0) parseOptions.paramOrigins = { ...Object.fromEntries(paramOrigins), ...options.parse?.paramOrigins };
    const companions = new Set(discovered.value.filter((file) => file.isCompanion).map((file) => file.path));
    if (companions.size > 0) readNonModulesAlone(byParser, companions, parsedPaths);
    const units = planParseUnits(byParser, parsers, { params: parseOptions.params, moduleSources });
    // From here the units hold the texts, and drop each one when it is parsed.
    byParser.clear();
    const suppressions: SuppressionEntry[] = [];
    // Only config `ignore:` entries read a finding's rule (its ports, protocol, peer): the rules are kept only then.
    const findingRules = (config.ignore ?? []).length > 0 ? new Map<Finding, FindingSubject>() : undefined;
    // The parse unit of findings, where in-source suppressions must tell units apart (see SuppressionEntry.scope).
    const findingScopes = new Map<Finding, number>();
    const allRootsScanned = scanReachesEveryCaller(options);
    const checks = new CheckRunner(config, diagnostics, findingRules, options.cwd, options.today, loaded?.file, loaded?.locations);
    const assigner = new ProfileAssigner(options, loaded, diagnostics);
    // The same comment can reach two parsers (a .tf file scanned and also read for a plan's locations): keep it once.
    const annotationKeys = new Set<string>();
    const firstAnnotations = (list: readonly Annotation[]): Annotation[] =>
      list.filter((annotation) => {
        const key = annotationIdentity(annotation);
        if (annotationKeys.has(key)) return false;
        annotationKeys.add(key);
        return true;
      });
    const cliVarsUsed = new Set<string>();
    // The parameters of the rule packs mapped in this scan, by name (`wmi-port` → dell-emc-scaleio): a `--param` of
    // that name was most likely meant for the pack (as `render --param` sets it), not for CloudFormation.
    const packParameters = new Map<string, string>();
    const declaredParameters = new Set<string>();
    let targets: Target[] = [];
    const targetFiles: TargetEntry[] = [];
    // Roots of each module instance target (module folder and target id): a module used by several roots.
    const moduleTargetRoots = new Map<string, Set<string>>();
    let ruleCount = 0;
    let findings: Finding[] = [];
    // Files the model comes from beyond the inputs (a Terraform module's folder outside the scanned paths): the
    // summary's "rules in N files" counts them too.
    const modelFiles = new Set<string>();
    const count = (judged: readonly Target[]): void => {
      let last = '';
      const note = (file: string): void => {
        if (file === last) return;
        last = file;
        if (!parsedPaths.has(file)) modelFiles.add(file);
      };
      for (const target of judged) {
        if (target.rootModule) {
          targetFiles.push({ id: target.id, file: target.location.file, root: target.rootModule.folder });
          const key = moduleTargetKey(path.posix.dirname(target.location.file), target.id);
          const roots = moduleTargetRoots.get(key);
          if (roots) roots.add(target.rootModule.folder);
          else moduleTargetRoots.set(key, new Set([target.rootModule.folder]));
        } else {
          targetFiles.push({ id: target.id, file: target.location.file });
        }
        // A rule shared with other targets (GCP firewalls of one network) is counted in its own target only.
        ruleCount += summaryRuleCount(target.rules, target.sharedRules && new Set(target.sharedRules));
        note(target.location.file);
        for (const rule of target.rules) note(rule.location.file);
      }
    };

    if (options.keepModel === false && streamable(units)) {
      // Each unit is judged as soon as it is parsed (here or by a worker) and dropped before the next: the scan holds
      // one unit's model at a time (and the findings), not the whole input's. Same findings and diagnostics as the
      // path below (tested).
      const { duplicateHostWarnings } = require('../parsers/netsh/duplicate-hosts') as typeof import('../parsers/netsh/duplicate-hosts');
      const terraformDiagnostics = new Set<string>();
      const terraformSiblings = new Map<string, SuppressionEntry[]>();
      const hosts: NetshHost[] = [];
      const judge = (unit: ParseUnit, outcome: UnitOutcome): void => {
        lap('parse');
        if (outcome.kind === 'error') {
          for (const file of unit.paths) diagnostics.push(internalDiagnostic('internal/parse', file, outcome.error));
          return;
        }
        const result = outcome.result;
        for (const name of result.cliVarsUsed ?? []) cliVarsUsed.add(name);
        for (const name of result.declaredParameters ?? []) declaredParameters.add(name);
        for (const diagnostic of result.diagnostics) {
          // Each unit reads the shared inputs (--var-file): their problems are reported once, as one parse call does.
          if (unit.parser.kind === 'terraform-hcl') {
            const key = diagnosticIdentity(diagnostic);
            if (terraformDiagnostics.has(key)) continue;
            terraformDiagnostics.add(key);
          }
          diagnostics.push(diagnostic);
        }
        // A module folder read by the root modules of several units holds one comment for the instances of each: it
        // applies in every unit, as one suppression (used if any instance needed it), reported on once.
        const isTerraform = unit.parser.kind === 'terraform-hcl';
        const annotationDiagnostics: Diagnostic[] = [];
        const unitSuppressions = annotationSuppressions(isTerraform ? result.annotations : firstAnnotations(result.annotations), result.targets, annotationDiagnostics, () => unit.index, allRootsScanned);
        for (const diagnostic of annotationDiagnostics) {
          const key = diagnosticIdentity(diagnostic);
          if (isTerraform && terraformDiagnostics.has(key)) continue;
          if (isTerraform) terraformDiagnostics.add(key);
          diagnostics.push(diagnostic);
        }
        if (isTerraform) joinSiblingsAcrossUnits(unitSuppressions, terraformSiblings);
        suppressions.push(...unitSuppressions);
        const profiles = assigner.assign(result.targets);
        notePackParameters(profiles, packParameters);
        // Only a unit with in-source suppressions needs its findings' unit known (the others' match none of them).
        const scoped = unitSuppressions.some((entry) => entry.scope !== undefined);
        for (const finding of checks.run(result.targets, profiles)) {
          findings.push(finding);
          if (scoped) findingScopes.set(finding, unit.index);
        }
        count(result.targets);
        for (const target of result.targets) if (isWindowsHostKind(target.kind)) hosts.push({ kind: target.kind, id: target.id, location: target.location });
        lap('evaluate');
      };
      if (pool && units.length >= 2) {
        pool.parse(units, parseOptions, parsers, judge);
      } else {
        for (const unit of units) {
          const outcome = parseHere(unit, parseOptions);
          unit.files = [];
          judge(unit, outcome);
        }
      }
      pool?.close();
      pool = undefined;
      // One host exported or scripted in several files: only visible across units.
      diagnostics.push(...duplicateHostWarnings(hosts));
    } else {
      const outcomes = pool && units.length >= 2
        ? pool.parse(units, parseOptions, parsers)
        : units.map((unit) => {
            const outcome = parseHere(unit, parseOptions);
            unit.files = [];
            return outcome;
          });
      pool?.close();
      pool = undefined;
      // A security group reference is looked up among the targets of its own unit (root module, template, plan);
      // CDK constructs are linked across files, so CDK targets share one scope.
      const scopes = new Map<Target, number>();
      for (const unit of units) {
        const outcome = outcomes[unit.index]!;
        if (outcome.kind === 'result' && unit.parser.kind !== 'cdk') for (const target of outcome.result.targets) scopes.set(target, unit.index);
      }
      const annotations: Annotation[] = [];
      const constructLinks: ConstructLinks = { classes: [], instances: [] };
      for (const result of mergeOutcomes(parsers, units, outcomes, diagnostics)) {
        for (const target of result.targets) targets.push(target);
        for (const name of result.cliVarsUsed ?? []) cliVarsUsed.add(name);
        for (const name of result.declaredParameters ?? []) declaredParameters.add(name);
        if (result.constructLinks) {
          constructLinks.classes.push(...result.constructLinks.classes);
          constructLinks.instances.push(...result.constructLinks.instances);
        }
        for (const annotation of firstAnnotations(result.annotations)) annotations.push(annotation);
        for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
      }
      // One host exported or scripted in several files (netsh and PowerShell alike): only visible across units.
      const hosts = targets.filter((target) => isWindowsHostKind(target.kind));
      if (hosts.length > 1) {
        const { duplicateHostWarnings } = require('../parsers/netsh/duplicate-hosts') as typeof import('../parsers/netsh/duplicate-hosts');
        diagnostics.push(...duplicateHostWarnings(hosts));
      }
      // Resolve across files: CDK classes defined in one file and instantiated in another (parsers read files alone).
      if (constructLinks.classes.length > 0 && constructLinks.instances.length > 0) {
        const { linkConstructPaths } = require('../parsers/cdk/link') as typeof import('../parsers/cdk/link');
        targets = linkConstructPaths(targets, constructLinks);
      }
      lap('parse');
      const scopeOf = (target: Target): number | undefined => scopes.get(target);
      suppressions.push(...annotationSuppressions(annotations, targets, diagnostics, scopeOf, allRootsScanned));
      // After linking (a synthesized group is matched to its source construct by the full construct path) and after the
      // fwlint:profile comments are attached, before roles are mapped: a group is dropped only if judged as its source
      // is, and no setting names it alone. (Never needed above: a scan reading CDK source is not streamed.)
      if (synthesizedDuplicates) {
        const { dropSynthesizedDuplicates, namesSynthesizedId } = synthesizedOutputModule();
        const settings = { roleOf: (target: Target) => assigner.roleOf(target), namesSynthesized: namesSynthesizedId(config, baseline) };
        const deduplicated = dropSynthesizedDuplicates(targets, synthesizedDuplicates, options.paths.length > 0 ? options.paths : ['.'], options.cwd, settings);
        targets = deduplicated.targets;
        for (const diagnostic of deduplicated.diagnostics) diagnostics.push(diagnostic);
      }
      const profiles = assigner.assignByScope(targets, scopeOf);
      notePackParameters(profiles, packParameters);
      findings = checks.run(targets, profiles, (finding, target) => {
        const scope = scopes.get(target);
        if (scope !== undefined) findingScopes.set(finding, scope);
      });
      count(targets);
      lap('evaluate');
    }
    assigner.finish();
    // Terraform rejects a -var for a variable the root module does not declare; here it is a warning (a typo would
    // otherwise leave the default in place unnoticed).
    for (const name of Object.keys(parseOptions.vars).sort()) {
      if (!cliVarsUsed.has(name)) diagnostics.push(warningDiagnostic('parse/terraform-undeclared-var', '', `--var ${name}: no scanned Terraform root module declares variable "${name}"; the value is not used`));
    }
    // CloudFormation rejects a parameter the template does not declare: the same warning for --param and --param-file.
    diagnostics.push(...undeclaredParameterWarnings(parseOptions.params, paramOrigins, declaredParameters, packParameters));

    useRootFingerprints(findings, moduleTargetRoots);
    suppressions.push(...configSuppressions(config, loaded, diagnostics));
    diagnostics.push(
      ...suppressModule().applySuppressions(findings, suppressions, (finding) => findingRules?.get(finding), options.today, (finding) => findingScopes.get(finding)),
    );
    const rootFolders = new Set(targetFiles.flatMap((target) => (target.root === undefined ? [] : [target.root])));
    const baselineCounts = baseline
      ? baselineModule().applyBaseline(findings, baseline, baselineEntryInScope(options, companions, (file) => parsedPaths.has(file) || modelFiles.has(file), rootFolders))
      : { baselined: 0, absent: [], unseen: [] };
    // Companions were read for the named files' sake: their findings (after their suppressions and baseline entries
    // were used) are left out, and so are their warnings; their errors stay, as the module read was incomplete.
    if (companions.size > 0) {
      noteFindingsLeftOut(findings, companions, targetFiles);
      findings = findings.filter((finding) => !companions.has(finding.location.file));
      for (const entry of targetFiles) if (companions.has(entry.file)) entry.isInUnnamedSibling = true;
      const kept = diagnostics.filter((diagnostic) => diagnostic.severity === 'error' || !companions.has(diagnostic.file));
      diagnostics.length = 0;
      diagnostics.push(...kept);
    }
    lap('evaluate');

    findings.sort(compareFindings);
    diagnostics.sort(compareDiagnostics);
    const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    targets.sort(byId);
    // Ids repeat where a module is used by several roots: the root orders them.
    targetFiles.sort((a, b) => byId(a, b) || ((a.root ?? '') < (b.root ?? '') ? -1 : (a.root ?? '') > (b.root ?? '') ? 1 : 0));
    const result: ScanResult = {
      findings,
      diagnostics,
      checks: checksModule().CHECKS,
      targets,
      targetFiles,
      stats: {
        // `x.tf` beside `x.tofu` is found but not read (OpenTofu reads `x.tofu` only): not one of the files scanned.
        files: discovered.value.length - tofuAlternativesLeftOut(discovered.value.map((file) => file.path)),
        parsedFiles: parsedPaths.size + modelFiles.size,
        targets: targetFiles.length,
        rules: ruleCount,
        suppressed: findings.filter((finding) => finding.suppression && finding.suppression.baseline !== true).length,
        // Of the reported findings: a named file's siblings' findings matched entries too, and are left out.
        baselined: companions.size > 0 ? findings.filter((finding) => finding.suppression?.baseline === true).length : baselineCounts.baselined,
        baselineAbsent: baselineCounts.absent.length,
        timingsMs: timings,
      },
      baselineAbsentEntries: baselineCounts.absent,
      baselineUnseenEntries: baselineCounts.unseen,
    };
    if (loaded) result.config = loaded;
    return result;
  } finally {
    pool?.close();
  }
}

/** Records on each target entry the checks whose active findings on it are located in a companion (`leftOutFindings`). */
function noteFindingsLeftOut(findings: readonly Finding[], companions: ReadonlySet<string>, targetFiles: readonly TargetEntry[]): void {
  const key = (id: string, root: string | undefined, file: string): string => `${id}\u0000${root ?? ''}\u0000${file}`;
  const entries = new Map(targetFiles.map((entry) => [key(entry.id, entry.root, entry.file), entry]));
  for (const finding of findings) {
    if (finding.suppression || !companions.has(finding.location.file)) continue;
    const entry = entries.get(key(finding.targetId, finding.rootModule?.folder, finding.targetFile ?? finding.location.file));
    if (!entry || entry.leftOutFindings?.some((known) => known.checkId === finding.checkId)) continue;
    (entry.leftOutFindings ??= []).push({ checkId: finding.checkId, file: finding.location.file });
  }
}

/**
 * Drops the companions of a folder whose files do not form one unit with the named ones (`FormatParser.formsOneUnit`:
 * `.tf` files declaring something twice, which Terraform rejects as a module), so the named files are read alone.
 */
function readNonModulesAlone(byParser: Map<FormatParser, SourceFile[]>, companions: ReadonlySet<string>, parsedPaths: Set<string>): void {
  for (const [parser, files] of byParser) {
    const formsOneUnit = parser.formsOneUnit;
    if (formsOneUnit === undefined || !files.some((file) => companions.has(file.path))) continue;
    const byFolder = new Map<string, SourceFile[]>();
    for (const file of files) byFolder.set(path.dirname(file.absolutePath), [...(byFolder.get(path.dirname(file.absolutePath)) ?? []), file]);
    const dropped = new Set<SourceFile>();
    for (const folderFiles of byFolder.values()) {
      if (!folderFiles.some((file) => companions.has(file.path)) || formsOneUnit(folderFiles)) continue;
      for (const file of folderFiles) if (companions.has(file.path)) dropped.add(file);
    }
    if (dropped.size === 0) continue;
    byParser.set(parser, files.filter((file) => !dropped.has(file)));
    for (const file of dropped) parsedPaths.delete(file.path);
  }
}

/** For discovery: the other files of a named file's folder that its parser reads together with it. */
function companionsOf(parsers: readonly FormatParser[]): import('../discover/discover').CompanionsOf {
  return (fileName) => {
    const parser = parsers.find((candidate) => candidate.readsWithFolder?.(fileName));
    return parser ? (siblingName) => parser.readsWithFolder!(siblingName) : undefined;
  };
}

/**
 * Starts the workers of this scan (see ScanOptions.workers): this thread parses too, so n threads are n − 1 workers.
 * Undefined when this thread parses alone.
 */
function startPool(options: ScanOptions, parsers: readonly FormatParser[], files: ReadonlyArray<{ size: number }>): ParsePool | undefined {
  // Workers load the registry's parsers; custom ones cannot be sent to them.
  if (parsers !== parsersModule().PARSERS || files.length < 2) return undefined;
  let threads = Math.floor(options.workers ?? 0);
  if (threads <= 0) {
    let bytes = 0;
    for (const file of files) bytes += file.size;
    const cores = os.availableParallelism();
    // Measured on two cores (docs/performance.md, "Parallel parse"): a second parsing thread slows both (they share
    // the cores with V8's garbage collector), and decoding the workers' results costs this thread about a third of
    // what parsing them here would: one thread is faster at every size there. With more cores one stays for the GC.
    const worthIt = cores > 2 && (bytes > PARALLEL_MIN_BYTES || files.length > PARALLEL_MIN_FILES);
    threads = worthIt ? cores - 1 : 1;
  }
  if (threads < 2) return undefined;
  return parallelModule().ParsePool.start(Math.min(threads, files.length) - 1);
}

/** The baseline of `--baseline FILE`, or undefined with a `baseline/unreadable` or `baseline/invalid` diagnostic. */
function readBaselineFile(file: string, cwd: string, diagnostics: Diagnostic[]): Baseline | undefined {
  const display = path.relative(cwd, file).split(path.sep).join('/') || file;
  const read = readModule().readRegularFile(file, MAX_BASELINE_FILE_BYTES);
  if ('problem' in read) {
    const why = read.problem === 'too-large' ? `it is larger than ${MAX_BASELINE_FILE_BYTES / 1024 / 1024} MB` : read.reason;
    diagnostics.push(errorDiagnostic('baseline/unreadable', display, `cannot read baseline file: ${why}; findings were not compared with a baseline`));
    return undefined;
  }
  const parsed = baselineModule().baselineFromText(read.bytes.toString('utf8'), display);
  diagnostics.push(...parsed.diagnostics);
  return parsed.value;
}

/** About 200 bytes an entry: room for far more findings than any report shows. */
const MAX_BASELINE_FILE_BYTES = 256 * 1024 * 1024;

/** The values of `--param-file` files, later files winning; unreadable or invalid files become diagnostics. */
function readParameterFiles(files: string[], cwd: string, diagnostics: Diagnostic[], origins: Map<string, string>): Record<string, string> {
  const { readRegularFile } = readModule();
  const { readParameterFile } = require('../parsers/cloudformation/parameter-file') as typeof import('../parsers/cloudformation/parameter-file');
  const values: Record<string, string> = {};
  for (const file of files) {
    const display = path.relative(cwd, file).split(path.sep).join('/') || file;
    const read = readRegularFile(file, MAX_PARAMETER_FILE_BYTES);
    if ('problem' in read) {
      const why = read.problem === 'too-large' ? 'it is larger than 4 MB' : read.reason;
      diagnostics.push(errorDiagnostic('read/unreadable', display, `cannot read the parameter file: ${why}`));
      continue;
    }
    const parsed = readParameterFile(read.bytes.toString('utf8').replace(/^\uFEFF/, ''), display);
    diagnostics.push(...parsed.diagnostics);
    Object.assign(values, parsed.value);
    for (const name of Object.keys(parsed.value)) origins.set(name, display);
  }
  return values;
}

/**
 * A warning for each given parameter value (`--param`, `--param-file`) that no scanned template declares, naming where
 * it was given, with a template's parameter that differs only in case as the likely meant one. Settable pseudo
 * parameters (`AWS::Region`) apply to every template.
 */
function undeclaredParameterWarnings(params: Record<string, string>, origins: ReadonlyMap<string, string>, declared: ReadonlySet<string>, packParameters: ReadonlyMap<string, string>): Diagnostic[] {
  const { SETTABLE_PSEUDO_PARAMETERS } = require('../parsers/cloudformation/pseudo-parameters') as typeof import('../parsers/cloudformation/pseudo-parameters');
  const warnings: Diagnostic[] = [];
  for (const name of Object.keys(params).sort()) {
    if (declared.has(name) || SETTABLE_PSEUDO_PARAMETERS.includes(name)) continue;
    const origin = origins.get(name) ?? '--param';
    const sameButCase = [...declared].filter((candidate) => candidate.toLowerCase() === name.toLowerCase()).sort();
    const pack = packParameters.get(name);
    const hint = sameButCase.length > 0 ? ` (did you mean ${sameButCase.join(' or ')}? names are case-sensitive)`
      : pack !== undefined ? `; ${name} is a parameter of rule pack ${pack}, which scan does not take from --param: set it for its targets with \`parameters: { ${name}: ${params[name]} }\` in a .fwlint.yaml targets entry` : '';
    const where = origin === '--param' ? `--param ${name}` : `parameter ${name}`;
    warnings.push(warningDiagnostic('parse/cfn-undeclared-param', origin === '--param' ? '' : origin, `${where}: no scanned CloudFormation template declares parameter "${name}"; the value is not used${hint}`));
  }
  return warnings;
}

/** Adds the parameter names of the packs `profiles` maps targets to, each with its pack's id. */
function notePackParameters(profiles: ReadonlyMap<Target, ProfileAssignment>, into: Map<string, string>): void {
  for (const assignment of profiles.values()) {
    if (assignment.parameters === undefined) continue;
    const pack = assignment.ref.slice(0, assignment.ref.indexOf('/'));
    for (const name of Object.keys(assignment.parameters)) if (!into.has(name)) into.set(name, pack);
  }
}

/** How a template detection cannot decide is made one it recognises (README "CloudFormation", detection). */
const START_TEMPLATE_HINT = 'start it with AWSTemplateFormatVersion: "2010-09-09" to have it read';

/** A parameter file holds a few dozen values; anything near this size is not one. */
const MAX_PARAMETER_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Reads and detects every discovered file: the inputs of each parser, in discovery order, and the TypeScript and
 * JavaScript files that are no input but export values a CDK file may import (`moduleSources`).
 */
function readInputs(
  options: ScanOptions,
  parsers: readonly FormatParser[],
  discovered: ReadonlyArray<import('../discover/discover').DiscoveredFile>,
  diagnostics: Diagnostic[],
): { byParser: Map<FormatParser, SourceFile[]>; parsedPaths: Set<string>; inputPaths: string[]; moduleSources: SourceFile[] } {
  const { DEFAULT_MAX_FILE_BYTES, readSourceFile } = readModule();
  const explicitPaths = new Set(options.paths.map((input) => path.resolve(options.cwd, input)));
  const byParser = new Map<FormatParser, SourceFile[]>();
  // Absolute paths of the files taken as inputs, including those reported as unreadable.
  const inputPaths: string[] = [];
  const parsedPaths = new Set<string>();
  const moduleSources: SourceFile[] = [];
  for (const entry of discovered) {
    const explicit = explicitPaths.has(entry.absolutePath);
    const { file, diagnostic } = readSourceFile(entry, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (diagnostic) {
      // Binary or oversized files found while walking a folder are not inputs unless their name says they are.
      if (explicit || discoverModule().looksLikeInput(entry.path)) {
        diagnostics.push(diagnostic);
        inputPaths.push(entry.absolutePath);
      }
      continue;
    }
    if (!file) continue;
    // Empty (or only whitespace or a BOM): valid, but worth saying, so an empty input is not mistaken for a clean one.
    const empty = file.text.trim() === '';
    const head = file.text.slice(0, 4096);
    const parser = parsers.find((candidate) => safeDetect(candidate, file.path, head, file.text));
    if (!parser) {
      if (!isLegacyCodePage(file) && isModuleSource(file.path, file.text)) moduleSources.push(file);
      // A template detection could not decide is said, so that its findings are not missed without a word.
      const template = empty ? undefined : unrecognisedTemplateReason(file.path, file.text);
      const lookalike = template === undefined ? undefined : `it looks like a CloudFormation template (every top-level key is a template section), but ${template}; ${START_TEMPLATE_HINT}`;
      if (explicit) diagnostics.push(empty ? emptyFile(file.path) : errorDiagnostic('read/unsupported', file.path, `not a recognised input (Terraform, CloudFormation, AWS CDK, CDKTF or Pulumi source, netsh export or script)${lookalike === undefined ? '' : `: ${lookalike}`}`));
      else if (lookalike !== undefined) diagnostics.push(warningDiagnostic('scan/unrecognised-template', file.path, `not read: ${lookalike}`));
      continue;
    }
    // An empty JSON file is no valid JSON: its parser's error says so, and "nothing to check" beside it would not.
    if (empty && !file.path.endsWith('.json')) diagnostics.push(emptyFile(file.path));
    inputPaths.push(entry.absolutePath);
    if (parser.kind !== 'netsh' && isLegacyCodePage(file)) {
      diagnostics.push(invalidUtf8(file));
      continue;
    }
    const list = byParser.get(parser);
    if (list) list.push(file);
    else byParser.set(parser, [file]);
    parsedPaths.add(file.path);
  }
  return { byParser, parsedPaths, inputPaths, moduleSources };
}

/**
 * The synthesized output (`cdk.out`, `cdktf.out`) of the CDK/CDKTF apps whose source is read, with its targets'
 * construct paths, read while the texts are at hand; its targets that repeat source targets are dropped after parsing
 * (src/discover/synthesized-output.ts).
 */
function synthesizedDuplicateCandidates(
  discovered: ReadonlyArray<import('../discover/discover').DiscoveredFile>,
  byParser: ReadonlyMap<FormatParser, SourceFile[]>,
): import('../discover/synthesized-output').SynthesizedDuplicates | undefined {
  if (!discovered.some((file) => file.synthesizedBy)) return undefined;
  const synthesized = new Set(discovered.filter((file) => file.synthesizedBy).map((file) => file.path));
  const appSources: SourceFile[] = [];
  const outputs: SourceFile[] = [];
  for (const [parser, files] of byParser) {
    for (const file of files) {
      if (synthesized.has(file.path)) outputs.push(file);
      else if (parser.kind === 'cdk') appSources.push(file);
    }
  }
  return synthesizedOutputModule().synthesizedDuplicateCandidates(discovered, appSources, outputs);
}

/**
 * A `scan/no-inputs` warning for each scanned folder (the default `.` included) holding no input file at all: a CI
 * gate pointed at the wrong folder must not pass silently. Named files that are not inputs get no such warning (a
 * pre-commit hook passes every changed file); a path that does not exist is already an error from discovery.
 */
function foldersWithoutInputs(options: ScanOptions, inputPaths: readonly string[]): Diagnostic[] {
  const { toRelative } = discoverModule();
  const diagnostics: Diagnostic[] = [];
  for (const input of options.paths.length > 0 ? options.paths : ['.']) {
    const folder = path.resolve(options.cwd, input);
    if (!isFolder(folder)) continue;
    const prefix = folder.endsWith(path.sep) ? folder : `${folder}${path.sep}`;
    if (inputPaths.some((file) => file.startsWith(prefix))) continue;
    const { message, messagePaths } = textWithPaths`no input file in folder "${toRelative(folder, options.cwd)}": fwlint reads Terraform (.tf, plan JSON), CloudFormation (YAML, JSON), netsh exports and scripts, and AWS CDK, CDKTF or Pulumi source; check the path`;
    diagnostics.push({ ...warningDiagnostic('scan/no-inputs', '', message), messagePaths });
  }
  return diagnostics;
}

/** A warning, not an error: an empty `.tf` file is valid Terraform and must not fail the run (exit code 2). */
function emptyFile(file: string): Diagnostic {
  return warningDiagnostic('read/empty', file, 'empty file, nothing to check');
}

/** Decoded in a Windows code page because the bytes are not UTF-8, which only netsh inputs may be. */
function isLegacyCodePage(file: SourceFile): boolean {
  return file.encoding === 'cp437' || file.encoding === 'cp1252';
}

/** Not UTF-8: the error names the line and column of the first byte that is not (cp437/cp1252 text has one character per byte). */
function invalidUtf8(file: SourceFile): Diagnostic {
  const offset = file.invalidUtf8At ?? 0;
  const before = file.text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return errorDiagnostic('read/encoding', file.path, 'file is not valid UTF-8 (the first byte that is not is here); save it as UTF-8', { startLine: line, startColumn: column, endLine: line, endColumn: column + 1 });
}

function moduleTargetKey(moduleFolder: string, targetId: string): string {
  return `${moduleFolder}\u0000${targetId}`;
}

/**
 * Gives the findings on a module's resource the fingerprint with the root, and a message naming it
 * (`… (root envs/prod)`), where several roots of the scan use the module (`envs/dev` and `envs/prod` calling
 * `modules/sg`): their findings differ only by root, and an alert or a baseline entry of one must not stand for the
 * other. Elsewhere the fingerprint stays the one without the root, and the message says nothing of a root that is
 * the only one (JSON and SARIF still carry it, and the root's `module` block is a related location).
 */
function useRootFingerprints(findings: readonly Finding[], rootsByModuleTarget: ReadonlyMap<string, ReadonlySet<string>>): void {
  for (const finding of findings) {
    const fingerprints = finding.rootFingerprints;
    if (!fingerprints || (rootsByModuleTarget.get(moduleTargetKey(fingerprints.moduleFolder, finding.targetId))?.size ?? 0) < 2) continue;
    finding.fingerprint = fingerprints.withRoot;
    if (fingerprints.formerWithRoot) finding.formerFingerprints = fingerprints.formerWithRoot;
    finding.message = `${finding.message} (root ${finding.rootModule!.folder})`;
  }
}

/** The parsers whose units can be judged one at a time: each unit's targets, rules and comments are its own. */
const STREAMABLE_KINDS: ReadonlySet<string> = new Set(['terraform-hcl', 'cloudformation', 'netsh', 'powershell']);

/**
 * Whether each unit can be judged alone, with the same result as the whole model: no plan (it reads `.tf` files for
 * its locations, so their comments concern two parsers' targets), no CDK (constructs linked across files), no file
 * in two units (a Terraform module folder called from two root modules).
 */
function streamable(units: readonly ParseUnit[]): boolean {
  const seen = new Set<string>();
  for (const unit of units) {
    if (!STREAMABLE_KINDS.has(unit.parser.kind)) return false;
    for (const file of unit.paths) {
      if (seen.has(file)) return false;
      seen.add(file);
    }
  }
  return true;
}

/** What the netsh duplicate-host check reads of a target. */
type NetshHost = Pick<Target, 'kind' | 'id' | 'location'>;

/**
 * Merges unit outcomes per parser, in registry order, as one `parser.parse(files)` call per parser would have
 * produced them. A unit whose parser threw (a bug) is reported on each of its files; the other units are kept.
 */
function mergeOutcomes(parsers: readonly FormatParser[], units: readonly ParseUnit[], outcomes: readonly UnitOutcome[], diagnostics: Diagnostic[]): ParseResult[] {
  const merged: ParseResult[] = [];
  for (const parser of parsers) {
    const results: ParseResult[] = [];
    for (const unit of units) {
      if (unit.parser !== parser) continue;
      const outcome = outcomes[unit.index]!;
      if (outcome.kind === 'result') results.push(outcome.result);
      else for (const file of unit.paths) diagnostics.push(internalDiagnostic('internal/parse', file, outcome.error));
    }
    if (results.length > 0) merged.push(mergeUnitResults(parser, results));
  }
  return merged;
}

/**
 * A target's `fwlint:profile` comment, beside the one already attached to it from another line: a host that carries
 * several roles of a pack (ScaleIO MDM + SDS) may say so line by line, which maps it to all of them (as
 * `pack/a,b` does), their options together. Two phases that differ are a problem (the message); so are roles of
 * another pack, named with both comments' places (the merged `a/x,b/y` would be a reference nobody wrote), and then
 * the target maps nothing (`mapsNothing`), as a comment with any problem maps nothing. A binding that is not such a
 * comment (a tag, or the same line again) is replaced.
 */
function withAnotherRole(existing: ProfileBinding | undefined, binding: ProfileBinding, targetId: string): ProfileBinding | { problem: string; mapsNothing?: true } {
  const own = { ...binding, isStrict: true };
  if (existing?.isStrict !== true || sameStart(existing.location, binding.location)) return own;
  const [existingPack, pack] = [packOfReference(existing.ref), packOfReference(binding.ref)];
  if (existingPack !== undefined && pack !== undefined && existingPack !== pack) {
    const placeOf = (location: ProfileBinding['location']): string => (location.file === binding.location.file ? `line ${location.range.startLine}` : `${location.file}:${location.range.startLine}`);
    return {
      problem: `${targetId} is mapped to roles of two packs: ${existing.ref} (${placeOf(existing.location)}) and ${binding.ref} (${placeOf(binding.location)}); a target takes roles of one pack, so it is mapped to none`,
      mapsNothing: true,
    };
  }
  if (existing.phase !== undefined && binding.phase !== undefined && existing.phase !== binding.phase) {
    return { problem: `fwlint:profile ${binding.ref} phase=${binding.phase} contradicts phase=${existing.phase} of fwlint:profile ${existing.ref} for the same target; a host has one phase` };
  }
  const merged: ProfileBinding = { ...existing, ref: `${existing.ref},${binding.ref}`, options: [...new Set([...existing.options, ...binding.options])] };
  const phase = existing.phase ?? binding.phase;
  if (phase !== undefined) merged.phase = phase;
  return merged;
}

/** The pack a profile reference names (`dell-emc-scaleio` of `dell-emc-scaleio/mdm,sds`); undefined when none is written. */
function packOfReference(ref: string): string | undefined {
  return /^\s*([^/,\s]+)\//.exec(ref)?.[1];
}

function sameStart(a: ProfileBinding['location'], b: ProfileBinding['location']): boolean {
  return a.file === b.file && a.range.startLine === b.range.startLine && a.range.startColumn === b.range.startColumn;
}

/**
 * In-source `fwlint:ignore` and `fwlint:profile` annotations attached to their targets (given the targets of the
 * annotations' files, or more): profile comments map their targets, ignore comments become suppression entries.
 */
function annotationSuppressions(
  annotations: readonly Annotation[],
  targets: Target[],
  diagnostics: Diagnostic[],
  scopeOf: (target: Target) => number | undefined,
  allRootsScanned: (moduleFolder: string) => boolean,
): SuppressionEntry[] {
  const { attachAnnotationAll, parseIgnoreArgument } = suppressModule();
  const suppressions: SuppressionEntry[] = [];
  // attachAnnotation only looks at targets and rules of the annotation's file: give it those (in scan order, which
  // decides ties), not every target of the scan, so many annotations do not cost annotations × rules.
  const targetsByFile = annotations.length > 0 ? indexTargetsByFile(targets) : new Map<string, Target[]>();
  // Targets whose comments named two packs: they map nothing, also when a later comment names one of the packs again.
  const mappedToTwoPacks = new Set<Target>();
  for (const annotation of annotations) {
    if (annotation.directive === 'target') continue; // consumed by the netsh parser
    if (annotation.directive === 'misspelled') {
      diagnostics.push(
        warningDiagnostic('annotation/not-directive', annotation.file, `"${annotation.argument}" is not an fwlint directive, so this comment does nothing: directives are written in lower case, as fwlint:ignore, fwlint:profile or fwlint:target`, annotation.range),
      );
      continue;
    }
    // Every instance written at that place (count/for_each, a module called twice) gets the annotation.
    const attachedAll = attachAnnotationAll(annotation, targetsByFile.get(annotation.file) ?? []);
    const where = { file: annotation.file, range: annotation.range };
    // A comment the parser attached to no rule (netsh, above `delete rule`) is still a suppression: reported unused.
    const isDetached = attachedAll.length === 0 && annotation.ruleIds !== undefined && annotation.directive === 'ignore';
    if (attachedAll.length === 0 && !isDetached) {
      diagnostics.push(warningDiagnostic('annotation/unattached', annotation.file, unattachedMessage(annotation), annotation.range));
      continue;
    }
    if (annotation.directive === 'profile') {
      // A comment is strict: with any problem it maps nothing (an error, exit 2).
      const { binding, problems } = parseProfileValue(annotation.argument, where);
      for (const problem of problems) diagnostics.push(errorDiagnostic('annotation/invalid', annotation.file, problem, annotation.range));
      // Whether the pack knows the role and options is asked when the role is resolved: isStrict maps nothing then too.
      if (binding && problems.length === 0) {
        for (const attached of attachedAll) {
          if (mappedToTwoPacks.has(attached.target)) continue;
          const merged = withAnotherRole(attached.target.profile, binding, attached.target.id);
          if ('ref' in merged) {
            attached.target.profile = merged;
            continue;
          }
          diagnostics.push(errorDiagnostic('annotation/invalid', annotation.file, merged.problem, annotation.range));
          if (merged.mapsNothing) {
            delete attached.target.profile;
            mappedToTwoPacks.add(attached.target);
          }
        }
      }
      continue;
    }
    const parsed = parseIgnoreArgument(annotation.argument);
    if ('error' in parsed) {
      diagnostics.push(errorDiagnostic('annotation/invalid', annotation.file, parsed.error, annotation.range));
      continue;
    }
    // As under `checks:` in the config: a mistyped id beside a used one would otherwise go unnoticed.
    const knownChecks = checksModule().CHECKS.map((check) => check.id);
    for (const id of parsed.checks.filter((checkId) => !knownChecks.includes(checkId))) {
      diagnostics.push(warningDiagnostic('annotation/unknown-check', annotation.file, `fwlint:ignore ${id} is not an fwlint check (known: ${knownChecks.join(', ')}); it suppresses nothing`, annotation.range));
    }
    if (isDetached) {
      const entry: SuppressionEntry = { origin: 'inSource', checks: parsed.checks, reason: parsed.reason, location: where, isDetached: true, used: 0 };
      if (parsed.expires) entry.expires = parsed.expires;
      suppressions.push(entry);
      continue;
    }
    // One entry per instance, sharing a use counter: the suppression is "unused" only if no instance needed it.
    const group: SuppressionEntry[] = attachedAll.map((attached) => {
      const entry: SuppressionEntry = { origin: 'inSource', checks: parsed.checks, reason: parsed.reason, targetId: attached.target.id, location: where, used: 0 };
      if (parsed.expires) entry.expires = parsed.expires;
      if (attached.rule) {
        entry.ruleId = attached.rule.id;
        entry.ruleExtent = { file: attached.rule.location.file, range: attached.rule.extent ?? attached.rule.location.range };
      }
      const scope = scopeOf(attached.target);
      if (scope !== undefined) entry.scope = scope;
      return entry;
    });
    // A comment in a module's file mutes the module's instances in every root that calls it, scanned or not.
    const moduleFolder = path.posix.dirname(annotation.file);
    const isInModule = attachedAll.some(({ target }) => target.rootModule !== undefined && target.rootModule.folder !== moduleFolder);
    if (isInModule && !allRootsScanned(moduleFolder)) for (const entry of group) entry.mayBeUsedOutsideScan = true;
    for (const entry of group) entry.siblings = group;
    suppressions.push(...group);
  }
  return suppressions;
}

/**
 * Why an annotation applies to nothing: it must be on the line above a rule or target, or at the end of its line; a
 * `"//"` property of a Terraform JSON block (its subject at or above it), in the object of a rule or resource.
 */
function unattachedMessage(annotation: Annotation): string {
  const { subjectLine, moduleCall } = annotation;
  if (moduleCall !== undefined && annotation.directive === 'profile') {
    const instead = moduleCall.isLocal ? 'write the comment above the target in the module\'s files, or map' : 'map';
    return `fwlint:profile applies to nothing: a module block maps no target (each target of module "${moduleCall.name}" is mapped on its own); ${instead} its targets in .fwlint.yaml (targets:)`;
  }
  if (moduleCall?.isLocal === true) {
    return `fwlint:${annotation.directive} applies to nothing: module "${moduleCall.name}" is a local module, whose findings are reported in its own files; write the comment there, above the rule or target (it applies to every call of the module), or add an ignore: entry to .fwlint.yaml`;
  }
  if (moduleCall?.isNotFollowed === true) {
    return `fwlint:${annotation.directive} applies to nothing yet: fwlint could not read module "${moduleCall.name}" (see the warning at its block: for a registry or git module, run terraform init), so no finding of it is reported at the block; once it is read, the comment applies to those findings`;
  }
  if (moduleCall !== undefined) {
    return `fwlint:${annotation.directive} applies to nothing: fwlint read no rule or target in module "${moduleCall.name}", whose findings would be reported at its block`;
  }
  const { startLine, startColumn } = annotation.range;
  const subjectColumn = annotation.subjectColumn ?? 1;
  if (subjectLine !== undefined && (subjectLine < startLine || (subjectLine === startLine && subjectColumn <= startColumn))) {
    return `fwlint:${annotation.directive} applies to nothing: the object it is written in (line ${subjectLine}) is no rule or target fwlint read; write it in the object of the rule or resource`;
  }
  if (subjectLine !== undefined && annotation.subjectColumn !== undefined) {
    return `fwlint:${annotation.directive} applies to nothing: the property after it (line ${subjectLine}, column ${subjectColumn}) is no rule or target fwlint read; write it in the object of the rule or resource`;
  }
  if (annotation.enclosingLine !== undefined) {
    return `fwlint:${annotation.directive} applies to nothing: its indentation puts it inside what starts on line ${annotation.enclosingLine}, which is in no rule fwlint read; write it on the line above the rule or target, indented as its first line`;
  }
  const where = annotation.nextCodeLine !== undefined ? `on line ${annotation.nextCodeLine} below it` : 'on its line';
  return `fwlint:${annotation.directive} applies to nothing: no rule or target fwlint read starts ${where}; write it on the line above the rule or target (or at the end of the rule's line)`;
}

/**
 * Makes the entries of one comment read by several units (a module folder that root modules of several units call)
 * siblings of the entries it made in earlier units: one suppression, unused only when no instance anywhere used it.
 */
function joinSiblingsAcrossUnits(entries: readonly SuppressionEntry[], groupsByComment: Map<string, SuppressionEntry[]>): void {
  for (const entry of entries) {
    const group = entry.siblings;
    if (!group || group[0] !== entry || !entry.location) continue;
    const key = `${entry.location.file}:${entry.location.range.startLine}:${entry.location.range.startColumn}`;
    const earlier = groupsByComment.get(key);
    if (!earlier) {
      groupsByComment.set(key, group);
      continue;
    }
    for (const member of group) {
      earlier.push(member);
      member.siblings = earlier;
    }
  }
}

/**
 * Whether the scan looked where a baseline entry's finding would be, so that matching nothing means it no longer
 * occurs: its file was read (its findings not left out, as a named `.tf` file's siblings' are) or lies in the scanned
 * paths (a deleted file), and its root module, if it names one, was read or lies in them too. An entry without a file,
 * from an older baseline, says nothing of where it is: judged by any scan, as before.
 */
function baselineEntryInScope(
  options: ScanOptions,
  companions: ReadonlySet<string>,
  wasRead: (file: string) => boolean,
  rootFolders: ReadonlySet<string>,
): (entry: BaselineEntry) => boolean {
  const scanned = (options.paths.length > 0 ? options.paths : ['.']).map((input) => path.resolve(options.cwd, input));
  const inScannedPaths = (file: string): boolean => scanned.some((input) => isWithin(path.resolve(options.cwd, file), input));
  return (entry) => {
    if (entry.file === undefined) return true;
    if (companions.has(entry.file) || !(wasRead(entry.file) || inScannedPaths(entry.file))) return false;
    return entry.root === undefined || rootFolders.has(entry.root) || inScannedPaths(entry.root);
  };
}

/**
 * Whether every root module that may call a module folder (a display path) was scanned: the folder is in the scanned
 * paths and they include the repository root (the nearest folder with `.git` above the working directory, else the
 * working directory), so no root module elsewhere in the repository was left out.
 */
function scanReachesEveryCaller(options: ScanOptions): (moduleFolder: string) => boolean {
  const scanned = (options.paths.length > 0 ? options.paths : ['.']).map((input) => path.resolve(options.cwd, input));
  let coversRepository: boolean | undefined;
  return (moduleFolder) => {
    coversRepository ??= scanned.some((folder) => isWithin(settingsRoot(options.cwd, options.cwd), folder));
    return coversRepository && scanned.some((folder) => isWithin(path.resolve(options.cwd, moduleFolder), folder));
  };
}

/** Config `ignore:` entries, placed at their line in the config file. */
/**
 * The config `ignore:` entries limited by `ports` or `peer` that apply today (`CheckContext.ignoreKey`): an expired
 * entry, or one whose date cannot be read, suppresses nothing, so it keeps no rules of one place apart either.
 */
function limitedIgnoreEntries(config: FwlintConfig, today: string): SuppressionEntry[] {
  if (!(config.ignore ?? []).some((ignore) => ignore.ports !== undefined || ignore.peer !== undefined)) return [];
  const { configIgnoreEntry, dateProblem } = suppressModule();
  return (config.ignore ?? [])
    .map((ignore) => configIgnoreEntry(ignore))
    .filter((entry) => (entry.protocol !== undefined || entry.peer !== undefined) && (entry.expires === undefined || (dateProblem(entry.expires) === undefined && entry.expires >= today)));
}

function configSuppressions(config: FwlintConfig, loaded: LoadedConfig | undefined, diagnostics: Diagnostic[]): SuppressionEntry[] {
  const { configIgnoreEntry } = suppressModule();
  const known = checksModule().CHECKS.map((check) => check.id);
  const suppressions: SuppressionEntry[] = [];
  (config.ignore ?? []).forEach((ignore, index) => {
    // An entry with an error mutes nothing; the error is reported where the config is read.
    if (loaded?.leftOut?.has(`/ignore/${index}`)) return;
    const entry = configIgnoreEntry(ignore);
    // Messages about an entry (expired, unused) point to its line.
    if (loaded?.file) entry.location = { file: loaded.file, range: loaded.locations?.[`/ignore/${index}`] ?? { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } };
    // As for `checks:` and a comment's ids: an id that is no check says so, rather than "matched no finding".
    if (!known.includes(ignore.check)) {
      diagnostics.push(warningDiagnostic('config/unknown-check', loaded?.file ?? '', `ignore: ${ignore.check} is not an fwlint check (known: ${known.join(', ')}); the entry suppresses nothing`, entry.location?.range));
      return;
    }
    suppressions.push(entry);
  });
  return suppressions;
}

/** Targets whose definition or any rule is in each file, in scan order. */
function indexTargetsByFile(targets: Target[]): Map<string, Target[]> {
  const byFile = new Map<string, Target[]>();
  const add = (file: string, target: Target): void => {
    const list = byFile.get(file);
    if (!list) byFile.set(file, [target]);
    else if (list[list.length - 1] !== target) list.push(target);
  };
  for (const target of targets) {
    add(target.location.file, target);
    for (const rule of target.rules) add(rule.location.file, target);
    // A module `terraform init` installed is reported, and suppressed, at its `module` block.
    if (target.installedModule) add(target.installedModule.call.file, target);
  }
  return byFile;
}

function loadEffectiveConfig(options: ScanOptions, diagnostics: Diagnostic[]): LoadedConfig | undefined {
  const file = options.configFile
    ? path.resolve(options.cwd, options.configFile)
    : configModule().findConfigFile(configSearchStart(options), options.cwd);
  if (!file) return undefined;
  const shadowed = options.configFile ? undefined : configModule().shadowedConfigWarning(file, options.cwd);
  if (shadowed) diagnostics.push(shadowed);
  const loaded = configModule().loadConfig(file, options.cwd);
  diagnostics.push(...loaded.diagnostics);
  return loaded.value;
}

/** Where the config search starts: the deepest folder (or the file) containing every scanned path. */
function configSearchStart(options: ScanOptions): string {
  return commonAncestor((options.paths.length > 0 ? options.paths : ['.']).map((input) => path.resolve(options.cwd, input)));
}

/** Deepest folder containing every scanned path: the config search starts there, whatever the order of the paths. */
function commonAncestor(paths: string[]): string {
  let ancestor = paths[0]!;
  for (const candidate of paths.slice(1)) {
    while (!(candidate === ancestor || candidate.startsWith(ancestor.endsWith(path.sep) ? ancestor : ancestor + path.sep))) {
      ancestor = path.dirname(ancestor);
    }
  }
  return ancestor;
}

function safeDetect(parser: FormatParser, file: string, head: string, text: string): boolean {
  try {
    return parser.detect(file, head, text);
  } catch {
    return false;
  }
}

function internalDiagnostic(code: string, file: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const detail = process.env.FWLINT_DEBUG === '1' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return errorDiagnostic(code, file, `internal error while reading this file (please report it): ${message}${detail}`);
}

function checkSetting(config: FwlintConfig, id: string): { severity?: Severity; off: boolean; options: Record<string, unknown> } {
  const setting = config.checks?.[id];
  if (setting === undefined) return { off: false, options: {} };
  if (setting === 'off') return { off: true, options: {} };
  if (typeof setting === 'string') return isSeverity(setting) ? { severity: setting, off: false, options: {} } : { off: false, options: {} };
  const { severity, ...rest } = setting;
  if (severity === 'off') return { off: true, options: rest };
  return severity && isSeverity(severity) ? { severity, off: false, options: rest } : { off: false, options: rest };
}

/**
 * Runs every enabled check on targets, target by target: the engine's effective set and profile diff of a target
 * are computed once, shared by the checks, and dropped before the next target, so memory does not grow with the
 * scan. Findings come out in a different order than check by check, but only findings of the same check and target
 * can tie under `compareFindings`, and their relative order is the same either way.
 */
class CheckRunner {
  private readonly enabled: Array<{ check: Check<unknown>; context: CheckContext<unknown>; severity: Severity | undefined }> = [];
  private effectiveOf: Target | undefined;
  private effectiveValue: EffectiveSet | undefined;
  private diffOf: Target | undefined;
  private diffValue: ProfileDiff | undefined;
  private profiles: ReadonlyMap<Target, ProfileAssignment> = new Map();
  private runTargets: readonly Target[] = [];
  private ownersValue: Map<Rule, Target> | undefined;
  private placeTargets: Map<string, Target[]> | undefined;
  /** The lines of files that SARIF fixes edit, read again (the parse stage drops texts): the fixes are in their style. */
  private readonly fixFileLines = new Map<string, string[] | undefined>();

  /** `findingRules`, when given, receives the rules (and reported traffic) of every rule finding (for config `ignore:` entries). */
  constructor(
    config: FwlintConfig,
    private readonly diagnostics: Diagnostic[],
    private readonly findingRules: Map<Finding, FindingSubject> | undefined,
    private readonly cwd: string,
    today: string,
    configFile?: string,
    configLocations?: LoadedConfig['locations'],
  ) {
    const { CHECKS } = checksModule();
    const publicPorts = (config.publicPorts ?? []).map((text) => {
      const [protocol, ports] = text.split('/');
      return { protocol: protocol === 'udp' ? 17 : 6, ports: portSetModule().PortSet.parse(ports ?? 'any') };
    });
    // A mistyped id in `checks:` would silently turn nothing off or change no severity.
    const known = new Set(CHECKS.map((check) => check.id));
    for (const id of Object.keys(config.checks ?? {})) {
      if (known.has(id)) continue;
      diagnostics.push(warningDiagnostic('config/unknown-check', configFile ?? '', `checks: ${id} is not an fwlint check (known: ${[...known].join(', ')}); the setting has no effect`, configLocations?.[`/checks/${id}`]));
    }
    const effective = (target: Target): EffectiveSet => this.effective(target);
    const profileDiff = (target: Target): ProfileDiff | undefined => this.profileDiff(target);
    // Only for the target's own rule: a rule of another target that applies here (`Target.sharedRules`) is theirs.
    const targetsSharingPlace = (target: Target, rule: Rule): Array<{ target: Target; profile?: string }> =>
      this.owners().get(rule) !== target ? [] : this.targetsAt(rule.location).filter((other) => other !== target).map((other) => {
        const profile = this.profiles.get(other)?.ref;
        return profile === undefined ? { target: other } : { target: other, profile };
      });
    const limitedIgnores = limitedIgnoreEntries(config, today);
    for (const check of CHECKS) {
      const setting = checkSetting(config, check.id);
      if (setting.off) continue;
      const context: CheckContext<unknown> = {
        options: { ...(check.defaultOptions as object), ...setting.options },
        effective,
        profileDiff,
        publicPorts,
        targetsSharingPlace,
      };
      const ignores = limitedIgnores.filter((entry) => entry.checks.includes(check.id));
      if (ignores.length > 0) {
        const { configEntryAccepts } = suppressModule();
        context.ignoreKey = (target, rules, traffic) => {
          const subject = traffic !== undefined ? { rules, traffic } : { rules };
          return ignores.flatMap((entry, index) => (configEntryAccepts(entry, target.id, subject) ? [index] : [])).join(',');
        };
      }
      this.enabled.push({ check, context, severity: setting.severity });
    }
  }

  /** `fix` with the line endings and indentation of the file it edits, where the file can be read again. */
  private inFileStyle(fix: FixSuggestion): FixSuggestion {
    const lines = this.sourceLines(fix.file);
    return lines ? fixesModule().inFileStyle(fix, lines) : fix;
  }

  /** A scanned file's lines, read again (once) for the fixes and replacements that write a value as it is written. */
  private readonly sourceLines = (file: string): string[] | undefined => {
    if (!this.fixFileLines.has(file)) this.fixFileLines.set(file, readSourceText(path.resolve(this.cwd, file))?.split('\n'));
    return this.fixFileLines.get(file);
  };

  private readonly declaredResourceNames = new Map<string, readonly string[]>();

  /** The input as FW202's replacements read it: files' lines, and the rule resources of a root module by type. */
  private readonly fixSources = {
    lines: this.sourceLines,
    // Every `resource` block of the type the folder declares, also those that make no rule (`count = 0`, an empty
    // `for_each`): Terraform rejects a second block of a taken name. Read once per folder and type.
    resourceNames: (type: string, file: string): readonly string[] => {
      const key = `${path.dirname(file)}\u0000${type}`;
      let names = this.declaredResourceNames.get(key);
      if (!names) this.declaredResourceNames.set(key, (names = declaredResourcesModule().declaredResourceNames(path.resolve(this.cwd, path.dirname(file)), type)));
      return names;
    },
  };

  /** The findings of every enabled check on these targets, judged against `profiles` where a target has one. */
  run(targets: readonly Target[], profiles: ReadonlyMap<Target, ProfileAssignment>, onFinding?: (finding: Finding, target: Target) => void): Finding[] {
    const { toFinding, specsAcrossBranches } = checksModule();
    this.profiles = profiles;
    this.runTargets = targets;
    const findings: Finding[] = [];
    for (const target of targets) {
      // Rules of other targets that take part in this one's evaluation are reported in their own target only, but for
      // checks that judge them against this target's role (FW202, FW203).
      const shared = target.sharedRules !== undefined ? new Set(target.sharedRules) : undefined;
      // Those checks too leave to its own target a rule whose target has the same instances and role: there it is
      // judged alike (the same rules, the same role), and reported once.
      let judgedAlike: Set<Rule> | undefined;
      if (target.sharedRulesOfSameInstances !== undefined && profiles.has(target)) {
        const owners = this.owners();
        judgedAlike = new Set(target.sharedRulesOfSameInstances.filter((rule) => profiles.get(owners.get(rule)!) === profiles.get(target)));
      }
      for (const { check, context, severity } of this.enabled) {
        try {
          const evaluated = check.evaluate(target, context);
          const own = shared === undefined
            ? evaluated
            : check.reportsSharedRules
              ? judgedAlike && judgedAlike.size > 0 ? evaluated.filter((spec) => spec.rule === undefined || !judgedAlike!.has(spec.rule)) : evaluated
              : evaluated.filter((spec) => spec.rule === undefined || !shared.has(spec.rule));
          // One finding for a rule that exists under any of several branches (`when var.a or var.b`).
          const { specs, alike } = specsAcrossBranches(own);
          for (const spec of specs) {
            const others = alike?.get(spec);
            const finding = toFinding(check, target, spec, severity ?? spec.severity ?? check.defaultSeverity, others, this.cwd);
            if (spec.rule) {
              const rules = others ? [spec, ...others].flatMap((each) => each.rules ?? [each.rule!]) : spec.rules ?? [spec.rule];
              // The traffic reported, where every spec narrows it (else the rules as written are).
              const traffic = others ? ([spec, ...others].every((each) => each.traffic) ? [spec, ...others].flatMap((each) => each.traffic!) : undefined) : spec.traffic;
              this.findingRules?.set(finding, traffic ? { rules, traffic } : { rules });
            }
            // FW202 knows the rules to use instead: offer them as a SARIF fix where the format allows a clean edit.
            const diff = check.id === 'FW202' && spec.rule ? this.profileDiff(target) : undefined;
            const fix = diff && spec.rule ? fixesModule().replacementFix(target, spec.rule, diff, this.fixSources) : undefined;
            // A block that several targets are made from (`count`/`for_each` instances) is one text for all of them:
            // an edit for one instance's role would change the others' rules too.
            if (fix && this.targetsAt(spec.rule!.location).length < 2) finding.fixes = [this.inFileStyle(fix)];
            // The replacement in the rule's own format, for every format (JSON and SARIF properties).
            const replacement = diff && spec.rule ? fixesModule().replacementText(target, spec.rule, diff, spec.rules, this.fixSources) : undefined;
            if (replacement) finding.properties = { ...finding.properties, replacement };
            findings.push(finding);
            onFinding?.(finding, target);
          }
        } catch (error) {
          this.diagnostics.push(internalDiagnostic(`internal/${check.id}`, target.location.file, error));
        }
      }
    }
    this.effectiveOf = this.diffOf = undefined;
    this.effectiveValue = this.diffValue = undefined;
    this.profiles = new Map();
    this.runTargets = [];
    this.ownersValue = this.placeTargets = undefined;
    return findings;
  }

  /** Each rule's own target among those of the current run: computed on first use. */
  private owners(): Map<Rule, Target> {
    return (this.ownersValue ??= ownTargets(this.runTargets));
  }

  /** The targets of the current run whose rules are written at `location`. */
  private targetsAt(location: SourceLocation): readonly Target[] {
    this.placeTargets ??= targetsByPlace(this.owners());
    return this.placeTargets.get(placeKey(location)) ?? [];
  }

  private effective(target: Target): EffectiveSet {
    if (this.effectiveOf !== target || !this.effectiveValue) {
      this.effectiveValue = effectiveModule().computeEffective(target);
      this.effectiveOf = target;
    }
    return this.effectiveValue;
  }

  private profileDiff(target: Target): ProfileDiff | undefined {
    if (this.diffOf !== target) {
      const assignment = this.profiles.get(target);
      this.diffValue = assignment ? profileDiffModule().computeProfileDiff(target, this.effective(target), assignment) : undefined;
      this.diffOf = target;
    }
    return this.diffValue;
  }
}

function placeKey({ file, range }: SourceLocation): string {
  return `${file}:${range.startLine}:${range.startColumn}`;
}

/**
 * The targets whose rules are written at each place, in scan order: more than one where a resource block is expanded
 * by `count` or `for_each`, or a module is called more than once.
 */
function targetsByPlace(owners: ReadonlyMap<Rule, Target>): Map<string, Target[]> {
  const byPlace = new Map<string, Set<Target>>();
  for (const [rule, target] of owners) {
    const key = placeKey(rule.location);
    const set = byPlace.get(key);
    if (set === undefined) byPlace.set(key, new Set([target]));
    else set.add(target);
  }
  return new Map([...byPlace].map(([key, set]) => [key, [...set]]));
}

/** Each rule's own target: the one holding it not as a rule shared from another (`Target.sharedRules`). */
function ownTargets(targets: readonly Target[]): Map<Rule, Target> {
  const owners = new Map<Rule, Target>();
  for (const target of targets) {
    const shared = target.sharedRules !== undefined ? new Set(target.sharedRules) : undefined;
    for (const rule of target.rules) if (!shared?.has(rule)) owners.set(rule, target);
  }
  return owners;
}

export function compareFindings(a: Finding, b: Finding): number {
  const la = a.location;
  const lb = b.location;
  if (la.file !== lb.file) return la.file < lb.file ? -1 : 1;
  return (
    la.range.startLine - lb.range.startLine ||
    la.range.startColumn - lb.range.startColumn ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.targetId, b.targetId) ||
    compareText(a.message, b.message)
  );
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    (a.range?.startLine ?? 0) - (b.range?.startLine ?? 0) ||
    (a.range?.startColumn ?? 0) - (b.range?.startColumn ?? 0) ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
