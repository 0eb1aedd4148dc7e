import { errorDiagnostic, warningDiagnostic, type Diagnostic, type WithDiagnostics } from '../model/diagnostic';
import { MAX_PORT, PortSet, SetParseError } from '../model/port-set';
import {
  PHASES,
  type FlowProtocol,
  type PackFlow,
  type PackRole,
  type Phase,
  type RequiredFlow,
  type RoleProfile,
  type RulePack,
} from './rule-pack';

/** A role selection as it arrives from a config file or the command line: names still unchecked. */
export interface RoleSelectionInput {
  phase?: Phase | (string & {});
  options?: readonly string[];
  parameters?: Readonly<Record<string, number>>;
  /** Include every conditional flow, selected or not (each keeps its `condition`). Options still get checked. */
  allConditions?: boolean;
}

/**
 * Resolves `<pack>/<role>` into the role's advanced rule set for one selection.
 * Contract: without a phase a role requires the union of its phases; with a phase, flows of the other phase are
 * dropped; a flow with a condition is included only when its option is selected; `{parameter}` ports take the
 * selection's value or the pack's default; `allConditions` keeps every conditional flow (a listing, not a requirement).
 * Unknown pack or role gives `value: null`; an unknown phase, option or
 * parameter gives a diagnostic naming the known ones and is ignored (the profile is still returned).
 * Diagnostics have no file: they concern the caller's reference, which the caller locates.
 */
export function resolveRole(
  packs: readonly RulePack[],
  ref: string,
  sel: RoleSelectionInput = {},
): WithDiagnostics<RoleProfile | null> {
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, message: string): void => {
    diagnostics.push(errorDiagnostic(code, '', message));
  };

  const found = packRoleOf(packs, ref);
  if ('problem' in found) {
    report(found.problem.code, found.problem.message);
    return { value: null, diagnostics };
  }
  const { pack, role } = found;

  let phase: Phase | undefined;
  if (sel.phase !== undefined) {
    if ((PHASES as readonly string[]).includes(sel.phase)) phase = sel.phase as Phase;
    else report('packs/unknown-phase', `unknown phase '${sel.phase}'; known phases: ${PHASES.join(', ')}`);
  }
  // A phase on a role none of whose flows is limited to one selects nothing: say so, as for a misspelt option.
  const hasPhases = [...role.flows, ...role.basic].some((flow) => flow.phase !== undefined);
  if (phase !== undefined && !hasPhases) {
    diagnostics.push(warningDiagnostic('packs/phase-no-effect', '', `phase '${phase}' has no effect on ${pack.id}/${role.id}: none of its flows is limited to a phase, so all of them apply`));
  }

  const options = new Set<string>();
  for (const option of sel.options ?? []) {
    if (Object.hasOwn(pack.options, option)) options.add(option);
    else report('packs/unknown-option', `unknown option '${option}' for pack '${pack.id}'; ${knownNames('options', Object.keys(pack.options))}`);
  }

  const parameters = parameterValues(pack, sel.parameters ?? {}, report);
  for (const message of parameterCollisions(pack, sel.parameters ?? {}, parameters)) diagnostics.push(warningDiagnostic('packs/parameter-collision', '', message));
  const toRequired = (flow: PackFlow): RequiredFlow | undefined => {
    try {
      return requiredFlowOf(flow, parameters);
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      // Packs are checked at load time; this catches hand-built packs only.
      report('packs/bad-ports', `${pack.id}/${role.id}: flow ${flow.id}: ${error.message}`);
      return undefined;
    }
  };

  const selected = (flow: PackFlow): boolean =>
    (phase === undefined || flow.phase === undefined || flow.phase === phase) &&
    (flow.condition === undefined || sel.allConditions === true || options.has(flow.condition));

  const profile: RoleProfile = {
    pack: pack.id,
    role: role.id,
    title: role.title,
    source: pack.source,
    hasPhases,
    options: [...options].sort(compareCodeUnits),
    flows: role.flows.filter(selected).map(toRequired).filter(isDefined),
    basic: role.basic.filter(selected).map(toRequired).filter(isDefined),
    installOnly: installOnlyOf(role, options, parameters),
    peerDescriptions: { ...pack.peers },
    parameters,
  };
  if (phase !== undefined) profile.phase = phase;
  if (sel.allConditions === true) profile.allConditions = true;
  const left = role.flows.filter((flow) => (phase === undefined || flow.phase === undefined || flow.phase === phase) && !selected(flow));
  if (left.length > 0) {
    const conditions = new Set(left.map((flow) => flow.condition!));
    profile.omitted = { flows: left.length, options: Object.keys(pack.options).filter((option) => conditions.has(option)) };
  }
  return { value: profile, diagnostics };
}

/** The pack and role `ref` names, with the peers the role's flows use (every phase and option, in order of first use). */
function roleWithPeers(packs: readonly RulePack[], ref: string) {
  const found = packRoleOf(packs, ref);
  if ('problem' in found) return undefined;
  const { pack, role } = found;
  return { pack, role, rolePeers: [...new Set([...role.flows, ...role.basic].map((flow) => flow.peer))] };
}

/**
 * Checks `--peer` names against a role: a name the pack does not declare is an error naming the role's own peers
 * (every phase and option, in order of first use), so that a typo does not leave a peer silently unbound.
 * Returns one message per unknown name; [] for an unknown pack or role (resolveRole reports those).
 */
export function unknownPeerMessages(packs: readonly RulePack[], ref: string, names: readonly string[]): string[] {
  const found = roleWithPeers(packs, ref);
  if (!found) return [];
  const { pack, role, rolePeers } = found;
  return names
    .filter((name) => !Object.hasOwn(pack.peers, name))
    .map((name) => `unknown peer '${name}' for ${pack.id}/${role.id}; its peers: ${rolePeers.join(', ')}`);
}

/**
 * Checks `--peer` names the pack declares against one role: a peer none of the role's flows uses (in any phase or
 * option) would be bound to no effect. Returns one message per such name, listing the role's peers; [] for an
 * unknown pack or role, and for names the pack does not declare (unknownPeerMessages reports those).
 */
export function unusedPeerMessages(packs: readonly RulePack[], ref: string, names: readonly string[]): string[] {
  const found = roleWithPeers(packs, ref);
  if (!found) return [];
  const { pack, role, rolePeers } = found;
  return names
    .filter((name) => Object.hasOwn(pack.peers, name) && !rolePeers.includes(name))
    .map((name) => `peer '${name}' is not a peer of ${pack.id}/${role.id} (no flow of the role uses it; the binding has no effect); its peers: ${rolePeers.join(', ')}`);
}

/**
 * The flows of a role that only the install phase needs (FW203): each install-phase flow reduced to the ports that
 * no flow of the operate phase (or of both phases) needs in the same direction and protocol; empty ones dropped.
 * Conditional flows count only when their option is in `sel.options`. Returns [] for an unknown role.
 */
export function installOnlyFlows(
  pack: RulePack,
  role: string,
  sel: { options?: readonly string[]; parameters?: Readonly<Record<string, number>> } = {},
): RequiredFlow[] {
  const found = packRoleOf([pack], `${pack.id}/${role}`);
  if ('problem' in found) return [];
  const packRole = found.role;
  const options = new Set((sel.options ?? []).filter((option) => Object.hasOwn(pack.options, option)));
  const parameters = parameterValues(pack, sel.parameters ?? {}, () => undefined);
  return installOnlyOf(packRole, options, parameters);
}

function installOnlyOf(role: PackRole, options: ReadonlySet<string>, parameters: Record<string, number>): RequiredFlow[] {
  const applicable: RequiredFlow[] = [];
  for (const flow of role.flows) {
    if (flow.condition !== undefined && !options.has(flow.condition)) continue;
    try {
      applicable.push(requiredFlowOf(flow, parameters));
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
    }
  }
  const laterNeeds = applicable.filter((flow) => flow.phase !== 'install');
  const result: RequiredFlow[] = [];
  for (const flow of applicable) {
    if (flow.phase !== 'install') continue;
    let ports = flow.ports;
    for (const other of laterNeeds) {
      if (other.direction !== flow.direction) continue;
      if (other.protocol === 'all' || other.protocol === flow.protocol) ports = ports.subtract(other.ports);
    }
    if (!ports.isEmpty()) result.push({ ...flow, ports });
  }
  return result;
}

/**
 * The pack and role a profile reference names. A reference may name several roles of one pack, for a host that
 * carries them all (ScaleIO's MDM + SDS + SDC host, whose ports the seed says to "aggregate"): `pack/a,pack/b` or
 * `pack/a,b`. Their flows are merged into one role, in pack order whatever the order written (so `sds,mdm` and
 * `mdm,sds` are one role, `mdm,sds`), a flow two roles share kept once: the union is what is required and permitted,
 * and install-only ports are those no role needs in the operate phase.
 */
export function packRoleOf(packs: readonly RulePack[], ref: string): { pack: RulePack; role: PackRole } | { problem: { code: string; message: string } } {
  const items = ref.trim().split(',').map((item) => item.trim());
  const first = /^([^/]+)\/([^/]+)$/.exec(items[0] ?? '');
  if (!first) return { problem: { code: 'packs/bad-reference', message: `profile '${ref}' must be written <pack>/<role>, e.g. dell-emc-scaleio/sds` } };
  const packId = first[1]!;
  const roleIds: string[] = [];
  for (const item of items) {
    const [, itemPack, itemRole] = /^(?:([^/]+)\/)?([^/]+)$/.exec(item) ?? [];
    if (itemRole === undefined || (itemPack !== undefined && itemPack !== packId)) {
      return { problem: { code: 'packs/bad-reference', message: `profile '${ref}' must name roles of one pack: <pack>/<role>[,<role>...], e.g. dell-emc-scaleio/mdm,sds` } };
    }
    roleIds.push(itemRole);
  }
  const pack = packs.find((candidate) => candidate.id === packId);
  if (!pack) return { problem: { code: 'packs/unknown-pack', message: `unknown rule pack '${packId}'; known packs: ${sortedNames(packs.map((p) => p.id))}` } };
  // Own keys only: a role named `constructor` or `toString` must not find Object.prototype's.
  const unknown = roleIds.find((roleId) => !Object.hasOwn(pack.roles, roleId));
  if (unknown !== undefined) return { problem: { code: 'packs/unknown-role', message: `unknown role '${unknown}' in pack '${pack.id}'; known roles: ${Object.keys(pack.roles).join(', ')}` } };
  const roles = Object.values(pack.roles).filter((role) => roleIds.includes(role.id));
  if (roles.length === 1) return { pack, role: roles[0]! };
  return {
    pack,
    role: {
      id: roles.map((role) => role.id).join(','),
      title: roles.map((role) => role.title).join(' + '),
      description: roles.map((role) => role.description).join(' '),
      flows: distinctFlows(roles.flatMap((role) => role.flows)),
      basic: distinctFlows(roles.flatMap((role) => role.basic)),
    },
  };
}

/** The flows, each traffic (direction, protocol, ports, peer, phase, condition, alternatives) once: the first's purpose. */
function distinctFlows(flows: readonly PackFlow[]): PackFlow[] {
  const seen = new Set<string>();
  return flows.filter((flow) => {
    const key = JSON.stringify([flow.direction, flow.protocol, flow.ports, flow.peer, flow.phase ?? null, flow.condition ?? null, flow.alternatives]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Converts a pack flow into a required flow: parameters substituted, ports parsed (PortSet.ALL for icmp/all). */
export function requiredFlowOf(flow: PackFlow, parameters: Readonly<Record<string, number>>): RequiredFlow {
  const required: RequiredFlow = {
    id: flow.id,
    direction: flow.direction,
    protocol: flow.protocol,
    ports: portSetOf(flow.protocol, flow.ports, parameters),
    peer: flow.peer,
    purpose: flow.purpose,
    alternatives: flow.alternatives.map((alternative) => ({
      protocol: alternative.protocol,
      ports: portSetOf(alternative.protocol, alternative.ports, parameters),
    })),
  };
  if (flow.phase !== undefined) required.phase = flow.phase;
  if (flow.condition !== undefined) required.condition = flow.condition;
  return required;
}

function portSetOf(protocol: FlowProtocol, items: readonly string[], parameters: Readonly<Record<string, number>>): PortSet {
  if (protocol === 'icmp' || protocol === 'all' || items.length === 0) return PortSet.ALL;
  let ports = PortSet.EMPTY;
  for (const item of items) {
    const text = item.replace(/\{([a-z0-9][a-z0-9-]*)\}/g, (_whole, name: string) => {
      const value = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
      if (value === undefined) throw new SetParseError(`unknown parameter '${name}'`);
      return String(value);
    });
    ports = ports.union(PortSet.parse(text));
  }
  return ports;
}

/** The lowest port a parameter may name. */
const MIN_SERVICE_PORT = 1;

function parameterValues(
  pack: RulePack,
  overrides: Readonly<Record<string, number>>,
  report: (code: string, message: string) => void,
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [name, parameter] of Object.entries(pack.parameters)) values[name] = parameter.default;
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(pack.parameters, name)) {
      report('packs/unknown-parameter', `unknown parameter '${name}' for pack '${pack.id}'; ${knownNames('parameters', Object.keys(pack.parameters))}`);
    } else if (!Number.isInteger(value) || value < MIN_SERVICE_PORT || value > MAX_PORT) {
      // A parameter names the port a service listens on: port 0 is "any free port" to the OS, never a fixed service
      // port (the pack schema's parameterPort and the config schema have the same bounds).
      report('packs/bad-parameter', `parameter '${name}' must be a port number ${MIN_SERVICE_PORT}-${MAX_PORT}, got ${String(value)}`);
    } else {
      values[name] = value;
    }
  }
  return values;
}

/** Below this a port is a well-known service's: a parameter that names a service's own port should not be there. */
const FIRST_REGISTERED_PORT = 1024;

/**
 * A parameter set to a port the pack's flows already use for something else (ScaleIO's `wmi-port` set to 445, SMB),
 * or to a well-known port: the rule opened for one service then opens the other too, and closing one closes both. A
 * warning per parameter set so (the value is still used), naming the flow it collides with.
 */
function parameterCollisions(pack: RulePack, overrides: Readonly<Record<string, number>>, values: Readonly<Record<string, number>>): string[] {
  const messages: string[] = [];
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(pack.parameters, name) || values[name] !== overrides[name]) continue;
    const port = values[name]!;
    const fixed = Object.values(pack.roles)
      .flatMap((role) => role.flows)
      .find((flow) => flow.ports.some((item) => !item.includes('{') && portItemHas(item, port)));
    if (fixed) messages.push(`parameter '${name}' is ${port}, the port of flow ${fixed.id} (${fixed.purpose}): one rule would open both; choose a port no flow of ${pack.id} uses`);
    else if (port < FIRST_REGISTERED_PORT) messages.push(`parameter '${name}' is ${port}, a well-known port (below ${FIRST_REGISTERED_PORT}) that other services listen on; choose a free high port`);
  }
  return messages;
}

/** Whether a port item as written (`"445"`, `"161-162"`) holds the port; a malformed one (hand-built packs) holds none. */
function portItemHas(item: string, port: number): boolean {
  try {
    return PortSet.parse(item).has(port);
  } catch (error) {
    if (!(error instanceof SetParseError)) throw error;
    return false;
  }
}

function knownNames(label: string, names: readonly string[]): string {
  return names.length === 0 ? `the pack has no ${label}` : `known ${label}: ${names.join(', ')}`;
}

function sortedNames(names: readonly string[]): string {
  return [...names].sort(compareCodeUnits).join(', ');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
