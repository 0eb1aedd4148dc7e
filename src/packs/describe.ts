import type { PortSet } from '../model/port-set';
import { PHASES, type FlowProtocol, type RequiredFlow, type RoleProfile, type RulePack } from './rule-pack';

/** Text table of every pack's roles (PACK, ROLE, TITLE, FLOWS), packs sorted by id, roles in file order. */
export function formatPackList(packs: readonly RulePack[]): string {
  const rows: string[][] = [['PACK', 'ROLE', 'TITLE', 'FLOWS']];
  for (const pack of sortedPacks(packs)) {
    for (const role of Object.values(pack.roles)) rows.push([pack.id, role.id, role.title, String(role.flows.length)]);
  }
  const lines = table(rows);
  const hints: string[] = [];
  for (const pack of sortedPacks(packs)) {
    const extras: string[] = [];
    const phases = phasesOf(pack);
    if (phases.length > 0) extras.push(`phases ${phases.join(', ')}`);
    const options = Object.keys(pack.options);
    if (options.length > 0) extras.push(`options ${options.join(', ')}`);
    const parameters = Object.entries(pack.parameters).map(([name, parameter]) => `${name}=${parameter.default}`);
    if (parameters.length > 0) extras.push(`parameters ${parameters.join(', ')}`);
    if (extras.length > 0) hints.push(`${pack.id}: ${extras.join('; ')}`);
  }
  return [...lines, ...(hints.length > 0 ? ['', ...hints] : [])].join('\n') + '\n';
}

export interface PackListEntry {
  id: string;
  title: string;
  vendor: string;
  productVersion: string;
  source: string;
  phases: string[];
  options: Array<{ name: string; description: string }>;
  parameters: Array<{ name: string; default: number; description: string }>;
  roles: Array<{ id: string; title: string; description: string; flows: number }>;
}

/** JSON-ready list of packs (sorted by id) and their roles, with flow counts; keys in a fixed order. */
export function packListJson(packs: readonly RulePack[]): { packs: PackListEntry[] } {
  return {
    packs: sortedPacks(packs).map((pack) => ({
      id: pack.id,
      title: pack.title,
      vendor: pack.vendor,
      productVersion: pack.productVersion,
      source: pack.source,
      phases: phasesOf(pack),
      options: Object.entries(pack.options).map(([name, description]) => ({ name, description })),
      parameters: Object.entries(pack.parameters).map(([name, parameter]) => ({
        name,
        default: parameter.default,
        description: parameter.description,
      })),
      roles: Object.values(pack.roles).map((role) => ({
        id: role.id,
        title: role.title,
        description: role.description,
        flows: role.flows.length,
      })),
    })),
  };
}

/**
 * Text view of a role's advanced rule set: a header (pack/role, title, source, phase, options), then one row per
 * flow with DIRECTION, PROTOCOL, PORTS, PEER, PHASE, CONDITION, PURPOSE, then the vendor's basic rules if any.
 */
export function formatRoleTable(profile: RoleProfile): string {
  const lines = [
    `${profile.pack}/${profile.role}  ${profile.title}`,
    `source: ${profile.source}`,
    `phase: ${phaseLabel(profile)}   options: ${optionsLabel(profile)}${parametersLabel(profile, '   ')}`,
    '',
  ];
  if (profile.flows.length === 0) lines.push('No flows are required for this selection.');
  else lines.push(...flowTable(profile.flows));
  const conditional = profile.flows.filter((flow) => flow.condition !== undefined);
  if (profile.allConditions && conditional.length > 0) {
    const options = [...new Set(conditional.map((flow) => flow.condition!))];
    lines.push(
      '',
      `${conditional.length} of these ${profile.flows.length} flows ${conditional.length === 1 ? 'is' : 'are'} required only with an option (CONDITION): ${options.join(', ')}.`,
      'Select the options in use with --option NAME to see only their flows.',
    );
  }
  if (profile.omitted) {
    const { flows, options } = profile.omitted;
    lines.push('', `${flows} conditional ${flows === 1 ? 'flow is' : 'flows are'} not shown: ${flows === 1 ? 'it needs' : 'they need'} option ${options.join(', ')} (add --option NAME, or leave out --option to list every flow).`);
  }
  if (profile.basic.length > 0) {
    lines.push('', "Vendor's basic (permissive) rules, which the advanced set above replaces:", ...flowTable(profile.basic));
  }
  return lines.join('\n') + '\n';
}

export interface RoleJsonFlow {
  id: string;
  direction: string;
  protocol: string;
  /** Canonical range strings: ["22", "161-162"]. */
  ports: string[];
  peer: string;
  phase: string | null;
  condition: string | null;
  purpose: string;
  alternatives: Array<{ protocol: string; ports: string[] }>;
}

export interface RoleJson {
  pack: string;
  role: string;
  title: string;
  source: string;
  phase: string | null;
  options: string[];
  /** True when every conditional flow is listed whatever the options (`profiles show` without `--option`). */
  allConditions: boolean;
  flows: RoleJsonFlow[];
  basic: RoleJsonFlow[];
}

/**
 * JSON-ready view of a role's advanced rule set; keys in a fixed order, absent phase/condition as null. With
 * `allConditions` the flows include every conditional flow, each with its `condition`.
 */
export function roleJson(profile: RoleProfile): RoleJson {
  return {
    pack: profile.pack,
    role: profile.role,
    title: profile.title,
    source: profile.source,
    // As the table: a phase selects nothing on a role without flows limited to one (`phaseLabel`).
    phase: (profile.hasPhases === false ? undefined : profile.phase) ?? null,
    options: [...profile.options],
    allConditions: profile.allConditions === true,
    flows: profile.flows.map(flowJson),
    basic: profile.basic.map(flowJson),
  };
}

function flowJson(flow: RequiredFlow): RoleJsonFlow {
  return {
    id: flow.id,
    direction: flow.direction,
    protocol: flow.protocol,
    ports: flow.ports.toStrings(),
    peer: flow.peer,
    phase: flow.phase ?? null,
    condition: flow.condition ?? null,
    purpose: flow.purpose,
    alternatives: flow.alternatives.map((alternative) => ({ protocol: alternative.protocol, ports: alternative.ports.toStrings() })),
  };
}

/** `22, 80-90` for TCP/UDP, `all` for ICMP and all-protocol flows. */
export function portsLabel(protocol: FlowProtocol, ports: PortSet): string {
  return protocol === 'icmp' || protocol === 'all' || ports.isAll() ? 'all' : ports.toString();
}

function flowTable(flows: readonly RequiredFlow[]): string[] {
  const rows = [['DIRECTION', 'PROTOCOL', 'PORTS', 'PEER', 'PHASE', 'CONDITION', 'PURPOSE']];
  for (const flow of flows) {
    let ports = portsLabel(flow.protocol, flow.ports);
    for (const alternative of flow.alternatives) {
      const label = portsLabel(alternative.protocol, alternative.ports);
      ports += alternative.protocol === flow.protocol ? ` or ${label}` : ` or ${alternative.protocol} ${label}`;
    }
    rows.push([flow.direction, flow.protocol, ports, flow.peer, flow.phase ?? '-', flow.condition ?? '-', flow.purpose]);
  }
  return table(rows);
}

function table(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  // The last column is not padded, so lines carry no trailing spaces.
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  '));
}

/** `<sep>parameters: wmi-port=30000` when the pack has parameters, else ''. */
export function parametersLabel(profile: RoleProfile, separator: string): string {
  const entries = Object.entries(profile.parameters ?? {});
  return entries.length > 0 ? `${separator}parameters: ${entries.map(([name, value]) => `${name}=${value}`).join(', ')}` : '';
}

function optionsLabel(profile: RoleProfile): string {
  if (profile.options.length > 0) return profile.options.join(', ');
  if (profile.allConditions && profile.flows.some((flow) => flow.condition !== undefined)) return 'none selected, every conditional flow listed';
  return 'none';
}

/**
 * `install`, `operate`, or `all (install and operate)` when no phase is selected or the role has no flow limited to
 * one (`packs/phase-no-effect`: every flow applies, as the table shows).
 */
function phaseLabel(profile: RoleProfile): string {
  return (profile.hasPhases === false ? undefined : profile.phase) ?? 'all (install and operate)';
}

/**
 * The phases a pack's roles tell apart: both once any flow is limited to one (the operate phase is every flow but the
 * install-only ones, even where no flow is marked `operate`), else none.
 */
function phasesOf(pack: RulePack): string[] {
  const hasPhases = Object.values(pack.roles).some((role) => role.flows.some((flow) => flow.phase !== undefined));
  return hasPhases ? [...PHASES] : [];
}

function sortedPacks(packs: readonly RulePack[]): RulePack[] {
  return [...packs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
