import type { PortSet } from '../model/port-set';

export type FlowDirection = 'in' | 'out';
export type FlowProtocol = 'tcp' | 'udp' | 'icmp' | 'all';
export type Phase = 'install' | 'operate';

/** The phases a flow can be limited to (contract: "phases install, operate"). */
export const PHASES: readonly Phase[] = ['install', 'operate'];

/** A flow as written in a pack file: ports are still text and may reference parameters (`"{wmi-port}"`). */
export interface PackFlow {
  /** Stable id: the file's `id`, or `<direction>/<protocol>/<ports>/<peer>[?<condition>]`. */
  id: string;
  direction: FlowDirection;
  protocol: FlowProtocol;
  /** Port items as written (`"22"`, `"161-162"`, `"{wmi-port}"`); empty for icmp/all, meaning all ports. */
  ports: string[];
  peer: string;
  purpose: string;
  phase?: Phase;
  condition?: string;
  alternatives: Array<{ protocol: FlowProtocol; ports: string[] }>;
  /** 1-based line of the flow in its pack file, for diagnostics. */
  line?: number;
}

export interface PackRole {
  id: string;
  title: string;
  description: string;
  flows: PackFlow[];
  /** The vendor's basic (permissive) rules, e.g. all-traffic outbound. */
  basic: PackFlow[];
}

export interface PackParameter {
  default: number;
  description: string;
}

/** A validated vendor rule pack (one file of `rules/` or of a user's rule pack folder). */
export interface RulePack {
  id: string;
  title: string;
  vendor: string;
  productVersion: string;
  /** The vendor document the pack was transcribed from (seed file name or URL). */
  source: string;
  description?: string;
  /** The pack file, relative to the working directory, `/` separators. */
  file: string;
  peers: Record<string, string>;
  /** Peer -> roles of this pack whose security groups hold that peer's hosts (see `ProfileAssignment.peerRoles`). */
  peerRoles: Record<string, string[]>;
  parameters: Record<string, PackParameter>;
  options: Record<string, string>;
  /** In file order. */
  roles: Record<string, PackRole>;
}

/** One alternative way to satisfy a required flow (e.g. the HTTP port of an HTTPS connector). */
export interface FlowAlternative {
  protocol: FlowProtocol;
  ports: PortSet;
}

/** A flow a role needs, with parameters substituted and ports parsed. */
export interface RequiredFlow {
  /** Stable, e.g. "in/tcp/9011/installer". */
  id: string;
  direction: FlowDirection;
  protocol: FlowProtocol;
  /** PortSet.ALL for all/icmp. */
  ports: PortSet;
  /** Symbolic peer name. */
  peer: string;
  purpose: string;
  phase?: Phase;
  condition?: string;
  alternatives: FlowAlternative[];
  /**
   * Only in an FW202 replacement: the part of the peer's bound addresses to render, when other rules of the group
   * already allow the rest.
   */
  cidrs?: readonly string[];
}

/** The advanced rule set of one role for one selection of phase, options and parameters. */
export interface RoleProfile {
  pack: string;
  role: string;
  title: string;
  source: string;
  phase?: string;
  /**
   * Whether some flow of the role is limited to a phase, so that a phase selects something. False: a phase has no
   * effect (`packs/phase-no-effect`); undefined (hand-built profiles): not known.
   */
  hasPhases?: boolean;
  /** Selected options, sorted. */
  options: string[];
  /**
   * Every conditional flow is included whatever the options (`fwlint profiles show` without `--option`): the view of
   * the role's whole advanced rule set, each conditional flow marked with its condition.
   */
  allConditions?: boolean;
  /** Conditional flows of the phase left out because their option is not selected, and those options (pack order). */
  omitted?: { flows: number; options: string[] };
  flows: RequiredFlow[];
  basic: RequiredFlow[];
  /**
   * Install-phase flows reduced to the ports no other phase needs (FW203), filled whatever the selected phase.
   * Optional so that hand-built profiles (tests) need not carry it.
   */
  installOnly?: RequiredFlow[];
  /** Peer name -> description, for renderings and messages. */
  peerDescriptions?: Record<string, string>;
  /** Parameter values used (defaults overridden by the selection). */
  parameters?: Record<string, number>;
}
