import * as path from 'node:path';
import type { FwlintConfig, LoadedConfig } from '../config/config';
import type { ProfileAssignment } from '../engine/profile-diff';
import type { AddressSet } from '../model/address-set';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../model/diagnostic';
import { redactedText } from '../model/rule';
import type { ProfileBinding, Target } from '../model/target';
import type { RulePack } from '../packs/rule-pack';
import { lazy } from './lazy';
import type { ScanOptions } from './scan';

/*
 * Profile assignment: which vendor role each target is judged against (`--profile`, config `targets:` entries,
 * `fwlint:profile` comments and tags), with the peers, parameters, phase and options that apply, and every problem
 * in those settings reported at the line that names it.
 */
const configModule = lazy(() => require('../config/config') as typeof import('../config/config'));
const addressSetModule = lazy(() => require('../model/address-set') as typeof import('../model/address-set'));
const packsModule = lazy(() => require('../packs/load-packs') as typeof import('../packs/load-packs'));
const resolveRoleModule = lazy(() => require('../packs/resolve-role') as typeof import('../packs/resolve-role'));

interface ProfileRequest {
  ref: string;
  phase?: 'install' | 'operate';
  options: string[];
  parameters: Record<string, number>;
  peers: Record<string, string[]>;
  origin: string;
  /** The config entry whose peers and parameters apply (`/targets/2`), for messages with a line. */
  entry?: string;
  /** A config entry applies (not `--profile`): the profile, phase and options it gives have lines in the config. */
  mappedByConfig?: boolean;
  /**
   * Where the in-source `fwlint:profile` comment or tag that maps the role (or gives some of its fields) is, its file,
   * and the options it names that are in use.
   */
  annotation?: import('../model/location').SourceRange;
  annotationFile?: string;
  annotationOptions?: string[];
  /** The mapping is a `fwlint:profile` comment: an error at it (an unknown option) maps nothing. */
  isStrict?: boolean;
  /** The mapping is a sensitive tag value (`ProfileBinding.sensitive`): the diagnostics at it do not quote it. */
  sensitive?: string;
  /** The phase is `--phase`'s (it replaced any phase of the mapping). */
  phaseFromFlag?: boolean;
}

/**
 * Maps targets to roles: `--profile` (every target) wins over config `targets:` entries, which win over an in-source
 * `fwlint:profile` comment or tag. Config entries also bind peers for matching targets whatever mapped them.
 * `--phase` and `--option` without `--profile` apply to every mapped target: the phase replaces the mapping's, the
 * options are added to its own.
 *
 * One scope at a time: the targets of a parse unit (a Terraform root module, a template, a plan), where the groups
 * their rules reference are looked up; two root modules may both define `aws_security_group.db`, and a reference
 * in one is not the other's. Then `finish()` for what needs every target: config entries that mapped nothing, flags
 * that applied to nothing. Every diagnostic is reported once per scan, whatever the number of scopes.
 */
export class ProfileAssigner {
  private readonly config: FwlintConfig;
  private readonly mappings: NonNullable<FwlintConfig['targets']>;
  /** Per used config entry, the id of the first target it maps. */
  private readonly applied = new Map<number, string>();
  /** Every target id in scan order, kept only when there are config entries (for the unmatched-entry messages). */
  private readonly ids: string[] = [];
  private requested = 0;
  private packs: RulePack[] | undefined;
  /** Resolved roles by request, without groups (those are per scope): each request is resolved and reported once. */
  private readonly resolved = new Map<string, ProfileAssignment | null>();
  /** Resolved roles by what they mean (role, phase, options, parameters, peers), whatever mapped them. */
  private readonly byMeaning = new Map<string, ProfileAssignment | null>();
  /** Annotations and config entries already warned about (`reportEntryBeside`). */
  private readonly reported = new Set<string>();
  /** Per config entry with a `profile:`, whether it names no role (unknown pack or role): such an entry maps nothing. */
  private readonly entryNamesNoRole = new Map<number, boolean>();
  /** The scan's options, without a `--profile` that names no role (and the `--phase`, `--option` given with it). */
  private readonly options: ScanOptions;

  constructor(
    options: ScanOptions,
    private readonly loaded: LoadedConfig | undefined,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.config = loaded?.config ?? {};
    this.mappings = this.config.targets ?? [];
    this.options = options;
    // A typo on the command line must not also drop every mapping of the config and the source (QA 14 item 03): the
    // error is reported once, and the targets are mapped as if `--profile` (and the flags given for its role) were
    // not there.
    if (options.profile) {
      const problem = this.roleProblem(options.profile);
      if (problem !== undefined) {
        diagnostics.push(errorDiagnostic(problem.code, '--profile', `${problem.message}; the targets are judged as the config and the source map them`));
        const { profile: _profile, phase: _phase, options: _options, ...rest } = options;
        this.options = rest;
      }
    }
  }

  /** What is wrong with a profile reference (`pack/role`) when it names no role, else undefined. */
  private roleProblem(ref: string): { code: string; message: string } | undefined {
    const found = resolveRoleModule().packRoleOf(this.loadPacks(), ref);
    return 'problem' in found ? found.problem : undefined;
  }

  /**
   * The config entry that maps a target id (-1: none): the first whose globs match it, of those without an error.
   * An entry left out by the config's own checks, or naming no role (while `--profile` does not replace it), maps
   * nothing: it must not silently win over a valid `fwlint:profile` comment or a later entry; its error is reported
   * (exit 2) and the target is mapped as if the entry were not there.
   */
  private entryFor(id: string): number {
    if (this.mappings.length === 0) return -1;
    const { matchesGlob } = configModule();
    return this.mappings.findIndex((entry, index) => entry.match.some((glob) => matchesGlob(glob, id)) && !this.isEntryInError(index));
  }

  private isEntryInError(index: number): boolean {
    if (this.loaded?.leftOut?.has(`/targets/${index}`)) return true;
    const ref = this.mappings[index]!.profile;
    if (this.options.profile || ref === undefined) return false;
    let inError = this.entryNamesNoRole.get(index);
    if (inError === undefined) {
      inError = this.roleProblem(ref) !== undefined;
      this.entryNamesNoRole.set(index, inError);
    }
    return inError;
  }

  /**
   * Roles of targets of several scopes, scope by scope in order of first appearance; `scopeOf` undefined is one
   * shared scope (CDK, whose constructs are linked across files).
   */
  assignByScope(targets: readonly Target[], scopeOf: (target: Target) => number | undefined): Map<Target, ProfileAssignment> {
    const scopes = new Map<number | undefined, Target[]>();
    for (const target of targets) {
      const scope = scopeOf(target);
      const list = scopes.get(scope);
      if (list) list.push(target);
      else scopes.set(scope, [target]);
    }
    const assignments = new Map<Target, ProfileAssignment>();
    for (const scoped of scopes.values()) for (const [target, assignment] of this.assign(scoped)) assignments.set(target, assignment);
    return assignments;
  }

  /** Roles of these targets, one scope: a rule referencing a security group looks it up among them. */
  assign(targets: readonly Target[]): Map<Target, ProfileAssignment> {
    const assignments = new Map<Target, ProfileAssignment>();
    const requests = new Map<Target, ProfileRequest>();
    for (const target of targets) {
      const index = this.entryFor(target.id);
      if (this.mappings.length > 0) this.ids.push(target.id);
      if (index >= 0 && !this.applied.has(index)) this.applied.set(index, target.id);
      const request = profileRequest(this.options, this.loaded, index, target.profile);
      if (request) requests.set(target, request);
      if (index >= 0 && !this.options.profile) this.reportEntryBeside(index, target);
    }
    if (requests.size === 0) return assignments;
    this.requested += requests.size;
    const packs = this.loadPacks();
    // A rule that references a security group mapped to a role stands for that role's peer addresses.
    const groups = Object.create(null) as Record<string, string>;
    // One assignment per resolved role in this scope: the targets mapped alike share it.
    const scoped = new Map<ProfileAssignment, ProfileAssignment>();
    for (const [target, request] of requests) {
      const base = this.resolve(packs, JSON.stringify(request), request);
      // As resolved: several roles written in any order are one (`pack/a,b` in pack order).
      groups[target.id] = base?.ref ?? request.ref;
      if (!base) continue;
      let assignment = scoped.get(base);
      if (assignment === undefined) {
        assignment = { ...base, groups };
        scoped.set(base, assignment);
      }
      assignments.set(target, assignment);
    }
    return assignments;
  }

  /**
   * The role a target would be judged against (role, phase, options, parameters, peers), as `assign` would map it,
   * without mapping it, recording it or reporting anything; '' when nothing maps it. Two targets with the same key are
   * judged alike.
   */
  roleOf(target: Target): string {
    const index = this.entryFor(target.id);
    const request = profileRequest(this.options, this.loaded, index, target.profile);
    if (!request) return '';
    return JSON.stringify([request.ref, request.phase ?? null, [...request.options].sort(), request.parameters, request.peers]);
  }

  /**
   * What a config entry does beside a target's own mapping, where the user may expect otherwise: an entry of another
   * role replaces the `fwlint:profile` comment or tag (its phase and options too), and an entry without `profile` on a
   * target nothing else maps binds peers for nothing. Warnings, once per annotation and per entry.
   */
  private reportEntryBeside(index: number, target: Target): void {
    const mapping = this.mappings[index]!;
    const file = this.loaded?.file ?? 'config';
    const binding = target.profile;
    if (binding !== undefined && mapping.profile !== undefined && mapping.profile !== binding.ref) {
      const key = `${binding.location.file}:${binding.location.range.startLine}:${binding.location.range.startColumn}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
      const written = binding.sensitive !== undefined ? redactedText(binding.sensitive) : binding.ref;
      this.diagnostics.push(warningDiagnostic('config/overridden-annotation', binding.location.file,
        `fwlint:profile ${written} of ${target.id} is overridden by ${file} /targets/${index} (profile: ${mapping.profile}); its phase and options do not apply`, binding.location.range));
    } else if (binding === undefined && mapping.profile === undefined && !this.reported.has(`/targets/${index}`)) {
      this.reported.add(`/targets/${index}`);
      this.diagnostics.push(warningDiagnostic('config/no-profile', file,
        `/targets/${index}: targets entry ${index} has no profile and ${target.id} has no fwlint:profile comment or tag (nor --profile): its peers and parameters apply to nothing there`, this.loaded?.locate?.(`/targets/${index}/match`)));
    }
  }

  /** After the last scope: config entries no target used, flags that applied to no target, user packs never loaded. */
  finish(): void {
    const { options, loaded, mappings, diagnostics } = this;
    const { matchesGlob } = configModule();
    // An entry no target uses (its globs match nothing, or only targets an earlier entry maps) is still checked, as if
    // a target had matched it: a typo in its profile, options, parameters or peers must not pass silently.
    const unused: ProfileRequest[] = [];
    mappings.forEach((mapping, index) => {
      if (this.applied.has(index) || loaded?.leftOut?.has(`/targets/${index}`)) return;
      const request = profileRequest(options, loaded, index, undefined);
      if (request) unused.push(request);
      if (loaded?.file === undefined) return;
      const globs = mapping.match.map((glob) => JSON.stringify(glob)).join(', ');
      const shadowed = this.ids.find((id) => mapping.match.some((glob) => matchesGlob(glob, id)));
      // An entry naming no role is passed over by the targets it matches; its error says why.
      if (shadowed !== undefined && this.isEntryInError(index)) return;
      // A target takes the first entry that matches it: a later entry matching only such targets never applies.
      const earlier = shadowed !== undefined ? this.entryFor(shadowed) : -1;
      const message = shadowed !== undefined
        ? `/targets/${index}/match: targets entry ${index} (match: ${globs}) matches only targets an earlier entry maps first (${shadowed} by /targets/${earlier}); it applies to nothing`
        : `/targets/${index}/match: targets entry ${index} (match: ${globs}) matched no scanned target id; it applies to nothing`;
      diagnostics.push(warningDiagnostic(shadowed !== undefined ? 'config/shadowed-target' : 'config/unmatched-target', loaded.file, message, loaded.locate?.(`/targets/${index}/match`)));
    });
    const extraOptions = options.profile ? [] : (options.options ?? []);
    if (!options.profile && this.requested === 0 && (options.phase || extraOptions.length > 0)) {
      const flags = [options.phase ? '--phase' : '', extraOptions.length > 0 ? '--option' : ''].filter(Boolean).join(' and ');
      diagnostics.push(warningDiagnostic('usage/profile', '', `${flags} applied to no target: no target is mapped to a role (use --profile, a config targets: entry or a fwlint:profile comment)`));
    }
    // User packs are validated whenever they are named (a broken pack is exit 2 even if no target uses it); the
    // built-in packs are loaded only when some target maps to a role or the config has targets: entries to check.
    if (unused.length === 0 && this.packDirs().length === 0) return;
    const packs = this.loadPacks();
    for (const request of unused) this.resolve(packs, JSON.stringify(request), request);
  }

  private resolve(packs: RulePack[], key: string, request: ProfileRequest): ProfileAssignment | null {
    let base = this.resolved.get(key);
    if (base === undefined) {
      // Built (and its problems reported) per request, since the messages name where the role was mapped; but
      // requests for the same role, phase, options, parameters and peers share one value, so that what the
      // engine prepares per assignment is prepared once for all of them (an annotation per target is common).
      base = buildAssignment(packs, request, this.diagnostics, this.loaded);
      const { ref, phase, options, parameters, peers } = request;
      const meaning = JSON.stringify([ref, phase ?? null, options, parameters, peers]);
      // Only a role that maps is shared: a comment in error maps nothing, a tag with the same settings still maps.
      const same = base !== null ? this.byMeaning.get(meaning) : undefined;
      if (same) base = same;
      else if (base !== null) this.byMeaning.set(meaning, base);
      this.resolved.set(key, base);
    }
    return base;
  }

  private packDirs(): string[] {
    return [
      ...(this.options.rulePackDirs ?? []).map((dir) => path.resolve(this.options.cwd, dir)),
      ...(this.config.rulePacks ?? []).map((dir) => path.resolve(this.loaded!.directory, dir)),
    ];
  }

  private loadPacks(): RulePack[] {
    if (!this.packs) {
      const packs = packsModule().loadPacks(this.packDirs(), { cwd: this.options.cwd });
      this.diagnostics.push(...packs.diagnostics);
      this.packs = packs.value;
    }
    return this.packs;
  }
}

/**
 * The role request of one target (or, without `binding`, of a config entry no target uses): `--profile` wins over
 * the config entry `index` (-1: none matched), which wins over the target's in-source `binding`. A config entry and
 * an annotation of the same role (or an entry without `profile`) merge field by field, the entry's where both give
 * one: `# fwlint:profile dell-emc-scaleio/mdm phase=operate` keeps its phase beside an entry that binds peers. An
 * entry mapping another role replaces the annotation (`config/overridden-annotation` says so, see `reportEntryBeside`).
 * `--phase` and `--option` without `--profile` apply to every mapped target: the phase replaces the mapping's, the
 * options are added to its own. Undefined when nothing maps the target.
 */
function profileRequest(options: ScanOptions, loaded: LoadedConfig | undefined, index: number, binding: ProfileBinding | undefined): ProfileRequest | undefined {
  const mapping = index >= 0 ? loaded?.config.targets?.[index] : undefined;
  const peers = mapping?.peers ?? {};
  const parameters = mapping?.parameters ?? {};
  // The annotation takes part unless `--profile` or the entry maps another role.
  const annotation = !options.profile && binding !== undefined && (mapping?.profile === undefined || mapping.profile === binding.ref) ? binding : undefined;
  let request: ProfileRequest | undefined;
  if (options.profile) {
    request = { ref: options.profile, options: options.options ?? [], parameters, peers, origin: '--profile' };
    if (options.phase) request.phase = options.phase;
  } else if (mapping?.profile !== undefined || annotation !== undefined) {
    const ref = mapping?.profile ?? annotation!.ref;
    const origin = mapping?.profile !== undefined ? (loaded?.file ?? 'config') : annotation!.location.file;
    request = { ref, options: mapping?.options ?? annotation?.options ?? [], parameters, peers, origin };
    const phase = mapping?.phase ?? annotation?.phase;
    if (phase) request.phase = phase;
    if (annotation) {
      request.annotation = annotation.location.range;
      request.annotationFile = annotation.location.file;
      request.annotationOptions = mapping?.options === undefined ? annotation.options : [];
      // A comment in error maps nothing, unless the entry maps the role itself.
      if (annotation.isStrict && mapping?.profile === undefined) request.isStrict = true;
      if (annotation.sensitive !== undefined) request.sensitive = annotation.sensitive;
    }
  }
  if (!request) return undefined;
  if (mapping && loaded?.file) {
    request.entry = `/targets/${index}`;
    if (!options.profile) request.mappedByConfig = true;
  }
  if (options.phase) request.phaseFromFlag = true;
  if (!options.profile) {
    const extraOptions = options.options ?? [];
    if (options.phase) request.phase = options.phase;
    if (extraOptions.length > 0) request.options = [...new Set([...request.options, ...extraOptions])];
  }
  return request;
}

function buildAssignment(
  packs: RulePack[],
  request: ProfileRequest,
  diagnostics: Diagnostic[],
  loaded: LoadedConfig | undefined,
): ProfileAssignment | null {
  const selection = { options: request.options, parameters: request.parameters, ...(request.phase ? { phase: request.phase } : {}) };
  const { resolveRole } = resolveRoleModule();
  const { AddressSet, SetParseError } = addressSetModule();
  const required = resolveRole(packs, request.ref, selection);
  // Unknown options, phases or parameters are reported even when the role resolves: a typo must not pass silently.
  let isAnnotationInError = false;
  for (const diagnostic of required.diagnostics) {
    let placed = diagnostic.file ? diagnostic : selectionDiagnostic(diagnostic, request, loaded);
    const isAtAnnotation = request.annotation !== undefined && placed.range === request.annotation;
    if (placed.severity === 'error' && isAtAnnotation) isAnnotationInError = true;
    if (isAtAnnotation && request.sensitive !== undefined) placed = { ...placed, message: sensitiveMappingMessage(placed.code, request.sensitive) };
    // A bad --profile or --option, or a config entry's bad role, is the same message for every target it maps: once.
    if (diagnostics.some((other) => isSameDiagnostic(other, placed))) continue;
    diagnostics.push(placed);
  }
  // A comment with an error maps nothing, as one fwlint cannot parse (README); an error of --option is not the
  // comment's. A tag with an error still maps what it can.
  if (!required.value || (request.isStrict && isAnnotationInError)) return null;
  const pack = packs.find((candidate) => candidate.id === request.ref.split('/')[0]);
  // Everything the role may use, whatever the phase or options: never counted as excess (contract).
  const permitted = resolveRole(packs, request.ref, { options: Object.keys(pack?.options ?? {}), parameters: request.parameters });
  // No prototype: a peer named `__proto__` or `constructor` is just a name.
  const peers = Object.create(null) as Record<string, AddressSet>;
  // Peers come from the config entry even under --profile: their errors belong to the config file, at their line.
  const fromConfig = request.entry !== undefined && loaded?.file !== undefined;
  const peerFile = fromConfig ? loaded!.file! : request.origin;
  const where = (pointer: string): import('../model/location').SourceRange | undefined => (fromConfig ? loaded!.locate?.(pointer) : undefined);
  const knownPeers = pack ? Object.keys(pack.peers) : [];
  for (const [peer, cidrs] of Object.entries(request.peers)) {
    const pointer = `${request.entry ?? ''}/peers/${peer.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (pack && !Object.hasOwn(pack.peers, peer)) {
      diagnostics.push(
        warningDiagnostic('config/peer', peerFile, `${pointer}: unknown peer "${peer}" for ${request.ref}; the pack's peers are ${knownPeers.join(', ')}`, where(pointer)),
      );
      continue;
    }
    for (const [i, cidr] of cidrs.entries()) {
      try {
        AddressSet.parseList(cidr);
      } catch (error) {
        if (!(error instanceof SetParseError)) throw error;
        diagnostics.push(errorDiagnostic('config/peer', peerFile, `${pointer}/${i}: peer "${peer}" of ${request.ref}: ${error.message}`, where(`${pointer}/${i}`)));
      }
    }
    try {
      peers[peer] = AddressSet.parseList(cidrs.join(','));
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
    }
  }
  const assignment: ProfileAssignment = {
    ref: `${required.value.pack}/${required.value.role}`,
    title: required.value.title,
    required: required.value.flows,
    permitted: permitted.value?.flows ?? required.value.flows,
    basic: required.value.basic,
    peers,
    options: request.options,
  };
  if (request.phase) assignment.phase = request.phase;
  const parameters = required.value.parameters;
  if (parameters && Object.keys(parameters).length > 0) assignment.parameters = parameters;
  if (pack?.peerRoles && Object.keys(pack.peerRoles).length > 0) assignment.peerRoles = pack.peerRoles;
  return assignment;
}

/**
 * A role-resolution diagnostic placed where the offending value is written: config parameters (also under
 * `--profile`) and, when the config entry maps the role, its profile, phase and options at their line in the
 * config; a role mapped in the source at its `fwlint:profile` comment or tag. Flags given on the command line
 * (`--profile`, `--phase`, `--option`) have no place in a file.
 */
function selectionDiagnostic(diagnostic: Diagnostic, request: ProfileRequest, loaded: LoadedConfig | undefined): Diagnostic {
  const names = (list: readonly string[]): string | undefined => list.find((name) => diagnostic.message.includes(`'${name}'`));
  const pointerOf = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');
  const entry = loaded?.file !== undefined ? request.entry : undefined;
  const mapping = entry !== undefined ? loaded!.config.targets?.[Number(entry.slice('/targets/'.length))] : undefined;
  // A phase without effect that came from --phase is the flag's: it concerns no file.
  if (diagnostic.code === 'packs/phase-no-effect' && request.phaseFromFlag) return { ...diagnostic, file: '', message: `--phase: ${diagnostic.message}` };
  let pointer: string | undefined;
  if (entry !== undefined && ['packs/unknown-parameter', 'packs/bad-parameter', 'packs/parameter-collision'].includes(diagnostic.code)) {
    const name = names(Object.keys(request.parameters));
    if (name !== undefined) pointer = `${entry}/parameters/${pointerOf(name)}`;
  } else if (entry !== undefined && request.mappedByConfig) {
    // Each field at the place that gives it: the entry's, else the annotation's (merged field by field).
    if (diagnostic.code === 'packs/unknown-option') {
      const option = names(mapping?.options ?? []);
      if (option !== undefined) pointer = `${entry}/options/${mapping!.options!.indexOf(option)}`;
    } else if (diagnostic.code === 'packs/unknown-phase' || diagnostic.code === 'packs/phase-no-effect') {
      if (mapping?.phase !== undefined) pointer = `${entry}/phase`;
    } else if (['packs/unknown-role', 'packs/unknown-pack', 'packs/bad-reference'].includes(diagnostic.code)) {
      if (mapping?.profile !== undefined) pointer = `${entry}/profile`;
    }
  }
  if (pointer !== undefined) {
    const range = loaded!.locate?.(pointer);
    return { ...diagnostic, file: loaded!.file!, message: `${pointer}: ${diagnostic.message}`, ...(range ? { range } : {}) };
  }
  // An unknown option added by --option is the flag's: it concerns no file.
  if (request.origin !== '--profile' && diagnostic.code === 'packs/unknown-option') {
    const own = [...(request.mappedByConfig ? (mapping?.options ?? []) : []), ...(request.annotationOptions ?? [])];
    if (names(own) === undefined) return { ...diagnostic, file: '', message: `--option: ${diagnostic.message}` };
  }
  if (request.annotation) return { ...diagnostic, file: request.annotationFile ?? request.origin, range: request.annotation };
  return { ...diagnostic, file: request.origin };
}

/** What a role-resolution diagnostic about a sensitive tag value says, naming it instead of quoting what it holds. */
function isSameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.file === b.file && a.code === b.code && a.message === b.message && a.range?.startLine === b.range?.startLine && a.range?.startColumn === b.range?.startColumn;
}

function sensitiveMappingMessage(code: string, origin: string): string {
  const problem = SENSITIVE_MAPPING_PROBLEMS[code] ?? 'is not a valid fwlint:profile value';
  return `${redactedText(origin)} ${problem} (fwlint:profile)`;
}

const SENSITIVE_MAPPING_PROBLEMS: Readonly<Record<string, string>> = {
  'packs/bad-reference': 'is not <pack>/<role>',
  'packs/unknown-pack': 'names no known rule pack',
  'packs/unknown-role': 'names no role of its pack',
  'packs/unknown-phase': 'names no known phase',
  'packs/phase-no-effect': 'names a phase that has no effect on its role',
  'packs/unknown-option': 'names no option of its pack',
};
