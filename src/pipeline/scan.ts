import * as path from 'node:path';
import { CHECKS, toFinding, type Check, type CheckContext } from '../checks';
import { configIgnoreEntry, applySuppressions, attachAnnotation, parseIgnoreArgument, type SuppressionEntry } from '../suppress/suppress';
import { applyBaseline, type Baseline } from '../suppress/baseline';
import { findConfigFile, loadConfig, matchesGlob, type FwlintConfig, type LoadedConfig } from '../config/config';
import { discoverFiles } from '../discover/discover';
import { DEFAULT_MAX_FILE_BYTES, readSourceFile } from '../discover/read';
import { computeEffective, type EffectiveSet } from '../engine/effective';
import { computeProfileDiff, type ProfileAssignment, type ProfileDiff } from '../engine/profile-diff';
import { AddressSet, SetParseError } from '../model/address-set';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../model/diagnostic';
import type { Finding } from '../model/finding';
import { PortSet } from '../model/port-set';
import type { Rule } from '../model/rule';
import { isSeverity, type Severity } from '../model/severity';
import type { Annotation, FormatParser, ParseOptions, SourceFile } from '../model/source-file';
import type { ProfileBinding, Target } from '../model/target';
import { loadPacks } from '../packs/load-packs';
import { resolveRole } from '../packs/resolve-role';
import type { RulePack } from '../packs/rule-pack';
import { PARSERS } from '../parsers';

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
  maxFileBytes?: number;
  baseline?: Baseline;
  /** `YYYY-MM-DD`, for suppression expiry. */
  today: string;
  parsers?: readonly FormatParser[];
}

export interface ScanStats {
  files: number;
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
  targets: Target[];
  config?: LoadedConfig;
  stats: ScanStats;
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

  const discovered = discoverFiles(options.paths.length > 0 ? options.paths : ['.'], options.cwd);
  diagnostics.push(...discovered.diagnostics);
  lap('discover');

  const parsers = options.parsers ?? PARSERS;
  const byParser = new Map<FormatParser, SourceFile[]>();
  for (const entry of discovered.value) {
    const explicit = options.paths.some((input) => path.resolve(options.cwd, input) === entry.absolutePath);
    const { file, diagnostic } = readSourceFile(entry, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (diagnostic) {
      // Binary or oversized files found while walking a folder are not inputs unless their name says they are.
      if (explicit || looksLikeInput(entry.path)) diagnostics.push(diagnostic);
      continue;
    }
    if (!file) continue;
    const head = file.text.slice(0, 4096);
    const parser = parsers.find((candidate) => safeDetect(candidate, file.path, head));
    if (!parser) {
      if (explicit) diagnostics.push(errorDiagnostic('read/unsupported', file.path, 'not a recognised input (Terraform, CloudFormation, netsh export or script)'));
      continue;
    }
    if (parser.kind !== 'netsh' && file.encoding === 'cp437') {
      diagnostics.push(errorDiagnostic('read/encoding', file.path, 'file is not valid UTF-8; save it as UTF-8', { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }));
      continue;
    }
    byParser.set(parser, [...(byParser.get(parser) ?? []), file]);
  }
  lap('read');

  const parseOptions: ParseOptions = { vars: {}, varFiles: [], params: {}, ...options.parse };
  const targets: Target[] = [];
  const annotations: Annotation[] = [];
  let parsedFiles = 0;
  for (const parser of parsers) {
    const files = byParser.get(parser);
    if (!files) continue;
    parsedFiles += files.length;
    try {
      const result = parser.parse(files, parseOptions);
      targets.push(...result.targets);
      annotations.push(...result.annotations);
      diagnostics.push(...result.diagnostics);
    } catch (error) {
      // A parser bug must not hide the other formats' findings: report it per file and go on.
      for (const file of files) diagnostics.push(internalDiagnostic('internal/parse', file.path, error));
    }
  }
  lap('parse');

  const suppressions: SuppressionEntry[] = [];
  for (const annotation of annotations) {
    if (annotation.directive === 'target') continue; // consumed by the netsh parser
    const attached = attachAnnotation(annotation, targets);
    const where = { file: annotation.file, range: annotation.range };
    if (!attached) {
      diagnostics.push(warningDiagnostic('annotation/unattached', annotation.file, `fwlint:${annotation.directive} has no target or rule below it`, annotation.range));
      continue;
    }
    if (annotation.directive === 'profile') {
      const binding = parseProfileAnnotation(annotation.argument, where);
      if ('error' in binding) diagnostics.push(errorDiagnostic('annotation/invalid', annotation.file, binding.error, annotation.range));
      else attached.target.profile = binding;
      continue;
    }
    const parsed = parseIgnoreArgument(annotation.argument);
    if ('error' in parsed) {
      diagnostics.push(errorDiagnostic('annotation/invalid', annotation.file, parsed.error, annotation.range));
      continue;
    }
    const entry: SuppressionEntry = { origin: 'inSource', checks: parsed.checks, reason: parsed.reason, targetId: attached.target.id, location: where, used: 0 };
    if (parsed.expires) entry.expires = parsed.expires;
    if (attached.rule) entry.ruleId = attached.rule.id;
    suppressions.push(entry);
  }
  for (const ignore of config.ignore ?? []) {
    const entry = configIgnoreEntry(ignore);
    if (loaded?.file) entry.location = { file: loaded.file, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } };
    suppressions.push(entry);
  }

  const profiles = assignProfiles(targets, options, loaded, diagnostics);
  const findings = evaluateChecks(targets, config, profiles, diagnostics);
  lap('evaluate');

  const rulesById = new Map<string, Rule>();
  for (const target of targets) for (const rule of target.rules) rulesById.set(`${target.id}\u0000${rule.id}`, rule);
  diagnostics.push(...applySuppressions(findings, suppressions, rulesById, options.today));
  const baselineCounts = options.baseline ? applyBaseline(findings, options.baseline) : { baselined: 0, absent: 0 };

  findings.sort(compareFindings);
  diagnostics.sort(compareDiagnostics);
  targets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const result: ScanResult = {
    findings,
    diagnostics,
    checks: CHECKS,
    targets,
    stats: {
      files: discovered.value.length,
      parsedFiles,
      targets: targets.length,
      rules: targets.reduce((sum, target) => sum + target.rules.length, 0),
      suppressed: findings.filter((finding) => finding.suppression && finding.suppression.justification !== 'in baseline').length,
      baselined: baselineCounts.baselined,
      baselineAbsent: baselineCounts.absent,
      timingsMs: timings,
    },
  };
  if (loaded) result.config = loaded;
  return result;
}

function loadEffectiveConfig(options: ScanOptions, diagnostics: Diagnostic[]): LoadedConfig | undefined {
  const file = options.configFile
    ? path.resolve(options.cwd, options.configFile)
    : findConfigFile(commonAncestor((options.paths.length > 0 ? options.paths : ['.']).map((input) => path.resolve(options.cwd, input))));
  if (!file) return undefined;
  const loaded = loadConfig(file, options.cwd);
  diagnostics.push(...loaded.diagnostics);
  return loaded.value;
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

const INPUT_EXTENSIONS = /\.(tf|tfvars|tf\.json|ya?ml|json|template|txt|cmd|bat|ps1|ts|js)$/i;

function looksLikeInput(file: string): boolean {
  return INPUT_EXTENSIONS.test(file);
}

function safeDetect(parser: FormatParser, file: string, head: string): boolean {
  try {
    return parser.detect(file, head);
  } catch {
    return false;
  }
}

function internalDiagnostic(code: string, file: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const detail = process.env.FWLINT_DEBUG === '1' && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return errorDiagnostic(code, file, `internal error while reading this file (please report it): ${message}${detail}`);
}

/** Parses `pack/role [phase=install|operate] [options=a,b]`. */
export function parseProfileAnnotation(argument: string, location: ProfileBinding['location']): ProfileBinding | { error: string } {
  const [ref, ...rest] = argument.trim().split(/\s+/);
  if (!ref || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(ref)) return { error: `fwlint:profile needs <pack>/<role>, got "${argument.trim()}"` };
  const binding: ProfileBinding = { ref, options: [], location };
  for (const item of rest) {
    const [key, value] = item.split('=');
    if (key === 'phase' && (value === 'install' || value === 'operate')) binding.phase = value;
    else if (key === 'options' && value) binding.options = value.split(',').filter(Boolean);
    else return { error: `fwlint:profile: unknown setting "${item}" (use phase=install|operate, options=a,b)` };
  }
  return binding;
}

interface ProfileRequest {
  ref: string;
  phase?: 'install' | 'operate';
  options: string[];
  parameters: Record<string, number>;
  peers: Record<string, string[]>;
  origin: string;
}

/**
 * Maps targets to roles: `--profile` (every target) wins over config `targets:` entries, which win over an in-source
 * `fwlint:profile` comment or tag. Config entries also bind peers for matching targets whatever mapped them.
 */
function assignProfiles(targets: Target[], options: ScanOptions, loaded: LoadedConfig | undefined, diagnostics: Diagnostic[]): Map<Target, ProfileAssignment> {
  const assignments = new Map<Target, ProfileAssignment>();
  const config = loaded?.config ?? {};
  const requests = new Map<Target, ProfileRequest>();
  for (const target of targets) {
    const mapping = (config.targets ?? []).find((entry) => entry.match.some((glob) => matchesGlob(glob, target.id)));
    const peers = mapping?.peers ?? {};
    const parameters = mapping?.parameters ?? {};
    if (options.profile) {
      const request: ProfileRequest = { ref: options.profile, options: options.options ?? [], parameters, peers, origin: '--profile' };
      if (options.phase) request.phase = options.phase;
      requests.set(target, request);
    } else if (mapping) {
      const request: ProfileRequest = { ref: mapping.profile, options: mapping.options ?? [], parameters, peers, origin: loaded?.file ?? 'config' };
      if (mapping.phase) request.phase = mapping.phase;
      requests.set(target, request);
    } else if (target.profile) {
      const request: ProfileRequest = { ref: target.profile.ref, options: target.profile.options, parameters, peers, origin: target.profile.location.file };
      if (target.profile.phase) request.phase = target.profile.phase;
      requests.set(target, request);
    }
  }
  if (requests.size === 0) return assignments;

  const packDirs = [
    ...(options.rulePackDirs ?? []).map((dir) => path.resolve(options.cwd, dir)),
    ...(config.rulePacks ?? []).map((dir) => path.resolve(loaded!.directory, dir)),
  ];
  const packs = loadPacks(packDirs);
  diagnostics.push(...packs.diagnostics);
  const cache = new Map<string, ProfileAssignment | null>();
  for (const [target, request] of requests) {
    const key = JSON.stringify(request);
    if (!cache.has(key)) cache.set(key, buildAssignment(packs.value, request, diagnostics));
    const assignment = cache.get(key);
    if (assignment) assignments.set(target, assignment);
  }
  return assignments;
}

function buildAssignment(packs: RulePack[], request: ProfileRequest, diagnostics: Diagnostic[]): ProfileAssignment | null {
  const selection = { options: request.options, parameters: request.parameters, ...(request.phase ? { phase: request.phase } : {}) };
  const required = resolveRole(packs, request.ref, selection);
  if (!required.value) {
    diagnostics.push(...required.diagnostics.map((diagnostic) => ({ ...diagnostic, file: diagnostic.file || request.origin })));
    return null;
  }
  const pack = packs.find((candidate) => candidate.id === request.ref.split('/')[0]);
  // Everything the role may use, whatever the phase or options: never counted as excess (contract).
  const permitted = resolveRole(packs, request.ref, { options: Object.keys(pack?.options ?? {}), parameters: request.parameters });
  const peers: Record<string, AddressSet> = {};
  for (const [peer, cidrs] of Object.entries(request.peers)) {
    try {
      peers[peer] = AddressSet.parseList(cidrs.join(','));
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      diagnostics.push(errorDiagnostic('config/peer', request.origin, `peer "${peer}" of ${request.ref}: ${error.message}`));
    }
  }
  const assignment: ProfileAssignment = {
    ref: request.ref,
    title: required.value.title,
    required: required.value.flows,
    permitted: permitted.value?.flows ?? required.value.flows,
    basic: required.value.basic,
    peers,
  };
  if (request.phase) assignment.phase = request.phase;
  return assignment;
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

function evaluateChecks(targets: Target[], config: FwlintConfig, profiles: Map<Target, ProfileAssignment>, diagnostics: Diagnostic[]): Finding[] {
  const effectiveCache = new Map<Target, EffectiveSet>();
  const diffCache = new Map<Target, ProfileDiff | undefined>();
  const effective = (target: Target): EffectiveSet => {
    let value = effectiveCache.get(target);
    if (!value) {
      value = computeEffective(target);
      effectiveCache.set(target, value);
    }
    return value;
  };
  const profileDiff = (target: Target): ProfileDiff | undefined => {
    if (!diffCache.has(target)) {
      const assignment = profiles.get(target);
      diffCache.set(target, assignment ? computeProfileDiff(target, effective(target), assignment) : undefined);
    }
    return diffCache.get(target);
  };
  const publicPorts = (config.publicPorts ?? []).map((text) => {
    const [protocol, ports] = text.split('/');
    return { protocol: protocol === 'udp' ? 17 : 6, ports: PortSet.parse(ports ?? 'any') };
  });
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const setting = checkSetting(config, check.id);
    if (setting.off) continue;
    const context: CheckContext<unknown> = {
      options: { ...(check.defaultOptions as object), ...setting.options },
      effective,
      profileDiff,
      publicPorts,
    };
    for (const target of targets) {
      try {
        for (const spec of check.evaluate(target, context)) {
          findings.push(toFinding(check, target, spec, setting.severity ?? spec.severity ?? check.defaultSeverity));
        }
      } catch (error) {
        diagnostics.push(internalDiagnostic(`internal/${check.id}`, target.location.file, error));
      }
    }
  }
  return findings;
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

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
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
