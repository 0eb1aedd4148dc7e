import * as path from 'node:path';
import type { Diagnostic } from '../model/diagnostic';
import { errorDiagnostic, warningDiagnostic } from '../model/diagnostic';
import type { RenderFormat, RulePack } from '../packs';

// Loaded when a profile command runs: registering the commands must not load ajv and YAML (`fwlint --version`).
const config = (): typeof import('../config/config') => require('../config/config') as typeof import('../config/config');
const packsModule = (): typeof import('../packs') => require('../packs') as typeof import('../packs');
const addressSets = (): typeof import('../model/address-set') => require('../model/address-set') as typeof import('../model/address-set');

export interface PackQuery {
  cwd: string;
  rulePackDirs: string[];
  configFile?: string;
}

/** Built-in packs plus `--rules` folders and the config's `rulePacks`. */
export function loadAllPacks(query: PackQuery): { packs: RulePack[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { findConfigFile, loadConfig, shadowedConfigWarning } = config();
  const configPath = query.configFile ? path.resolve(query.cwd, query.configFile) : findConfigFile(query.cwd, query.cwd);
  const dirs = query.rulePackDirs.map((dir) => path.resolve(query.cwd, dir));
  if (configPath) {
    const shadowed = query.configFile ? undefined : shadowedConfigWarning(configPath, query.cwd);
    if (shadowed) diagnostics.push(shadowed);
    const loaded = loadConfig(configPath, query.cwd);
    diagnostics.push(...loaded.diagnostics);
    dirs.push(...(loaded.value.config.rulePacks ?? []).map((dir) => path.resolve(loaded.value.directory, dir)));
  }
  const loaded = packsModule().loadPacks(dirs);
  return { packs: loaded.value, diagnostics: [...diagnostics, ...loaded.diagnostics] };
}

export function listProfiles(packs: RulePack[], json: boolean): string {
  const { formatPackList, packListJson } = packsModule();
  return json ? `${JSON.stringify(packListJson(packs), null, 2)}\n` : ensureNewline(formatPackList(packs));
}

export interface RoleQuery {
  ref: string;
  phase?: 'install' | 'operate';
  options: string[];
  /** `NAME=VALUE` items of `--param` (pack parameters such as wmi-port). */
  params?: string[];
}

/**
 * The role's advanced rule set as a table or JSON. Without `--option` every flow is listed, conditional ones with
 * their condition (contract: "every flow with ... condition"); with options, the unconditional flows and theirs.
 */
export function showProfile(packs: RulePack[], query: RoleQuery, json: boolean): { text?: string; diagnostics: Diagnostic[] } {
  const { formatRoleTable, resolveRole, roleJson } = packsModule();
  const params = parseParams(query.params ?? []);
  if (params.diagnostics.length > 0) return { diagnostics: params.diagnostics };
  const resolved = resolveRole(packs, query.ref, { ...selection(query), parameters: params.values, allConditions: query.options.length === 0 });
  if (!resolved.value) return { diagnostics: withDefaultMessage(resolved.diagnostics, query.ref) };
  const text = json ? `${JSON.stringify(roleJson(resolved.value), null, 2)}\n` : ensureNewline(formatRoleTable(resolved.value));
  return { text, diagnostics: resolved.diagnostics.map(flagDiagnostic) };
}

export function renderProfile(
  packs: RulePack[],
  query: RoleQuery & { format: RenderFormat; peers: string[] },
): { text?: string; diagnostics: Diagnostic[] } {
  const { renderRole, resolveRole, unknownPeerMessages, unusedPeerMessages } = packsModule();
  const { AddressSet, SetParseError } = addressSets();
  const diagnostics: Diagnostic[] = [];
  const peers: Record<string, string[]> = {};
  for (const binding of query.peers) {
    const index = binding.indexOf('=');
    if (index <= 0) {
      diagnostics.push(errorDiagnostic('usage/peer', '', `--peer expects NAME=CIDR, got "${binding}"`));
      continue;
    }
    const name = binding.slice(0, index);
    const cidrs = binding.slice(index + 1).split(',').map((cidr) => cidr.trim()).filter(Boolean);
    try {
      AddressSet.parseList(cidrs.join(','));
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      diagnostics.push(errorDiagnostic('usage/peer', '', `--peer ${name}: ${error.message}`));
      continue;
    }
    peers[name] = [...(peers[name] ?? []), ...cidrs];
  }
  // A misspelt peer would otherwise stay unbound without a word.
  for (const message of unknownPeerMessages(packs, query.ref, Object.keys(peers))) diagnostics.push(errorDiagnostic('usage/peer', '', message));
  // A peer of the pack that this role does not use: rendered nowhere, so the binding would be lost without a word.
  const warnings = unusedPeerMessages(packs, query.ref, Object.keys(peers)).map((message) => warningDiagnostic('usage/peer', '', `--peer: ${message}`));
  const params = parseParams(query.params ?? []);
  diagnostics.push(...params.diagnostics);
  if (diagnostics.length > 0) return { diagnostics };
  const resolved = resolveRole(packs, query.ref, { ...selection(query), parameters: params.values });
  if (!resolved.value) return { diagnostics: withDefaultMessage(resolved.diagnostics, query.ref) };
  return { text: ensureNewline(renderRole(resolved.value, query.format, { peers })), diagnostics: [...warnings, ...resolved.diagnostics.map(flagDiagnostic)] };
}

/** `--param NAME=VALUE` items: VALUE a whole number (the pack checks the name and the port range). */
function parseParams(items: readonly string[]): { values: Record<string, number>; diagnostics: Diagnostic[] } {
  const values: Record<string, number> = {};
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    const match = /^([^=]+)=\s*([0-9]+)\s*$/.exec(item);
    if (!match) diagnostics.push(errorDiagnostic('usage/param', '', `--param expects NAME=PORT (e.g. wmi-port=30000), got "${item}"`));
    else values[match[1]!.trim()] = Number(match[2]);
  }
  return { values, diagnostics };
}

function selection(query: RoleQuery): { phase?: 'install' | 'operate'; options: string[] } {
  return query.phase ? { phase: query.phase, options: query.options } : { options: query.options };
}

/** Here the phase can only be `--phase`'s: a phase without effect names the flag. */
function flagDiagnostic(diagnostic: Diagnostic): Diagnostic {
  return diagnostic.code === 'packs/phase-no-effect' ? { ...diagnostic, message: `--phase: ${diagnostic.message}` } : diagnostic;
}

function withDefaultMessage(diagnostics: Diagnostic[], ref: string): Diagnostic[] {
  return diagnostics.length > 0 ? diagnostics : [errorDiagnostic('usage/profile', '', `unknown profile "${ref}" (see fwlint profiles)`)];
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
