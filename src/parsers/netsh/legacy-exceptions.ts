/**
 * The built-in exceptions of the legacy firewall (`netsh firewall set service …`, `set icmpsetting …`): what each
 * opens inbound, as far as it is fixed. Windows XP SP2 / Server 2003 defined them; later Windows map them onto the
 * predefined rule groups of the same names.
 */

/** One opening: a protocol as `add rule protocol=` writes it, and the local ports for TCP and UDP. */
interface LegacyOpening {
  protocol: string;
  ports?: string;
}

export interface LegacyException {
  /** The exception as Windows names it, which becomes the rule name. */
  name: string;
  /** Identity within the script: a later `set` of the same exception replaces it. */
  key: string;
  openings: LegacyOpening[];
  /** What the exception also allows that fwlint does not model, for a warning. */
  notModelled?: string;
}

const SERVICES: ReadonlyMap<string, LegacyException> = new Map([
  ['fileandprint', {
    name: 'File and Printer Sharing', key: 'service:fileandprint',
    openings: [{ protocol: 'tcp', ports: '139,445' }, { protocol: 'udp', ports: '137,138' }, { protocol: 'icmpv4:8,any' }],
  }],
  ['remoteadmin', {
    name: 'Remote Administration', key: 'service:remoteadmin',
    openings: [{ protocol: 'tcp', ports: '135,445' }],
    notModelled: 'the RPC services it also lets in on dynamic ports',
  }],
  ['remotedesktop', { name: 'Remote Desktop', key: 'service:remotedesktop', openings: [{ protocol: 'tcp', ports: '3389' }] }],
  ['upnp', { name: 'UPnP Framework', key: 'service:upnp', openings: [{ protocol: 'tcp', ports: '2869' }, { protocol: 'udp', ports: '1900' }] }],
]);

/** `set icmpsetting` types that let ICMPv4 requests in (the type number is the ICMP type). */
const INBOUND_ICMP: ReadonlyMap<string, LegacyException> = new Map(
  [['8', 'echo request'], ['13', 'timestamp request'], ['17', 'address mask request']].map(([type, what]) => [
    type!, { name: `ICMP ${what} (icmpsetting ${type})`, key: `icmp:${type}`, openings: [{ protocol: `icmpv4:${type},any` }] },
  ]),
);
/** Settings for ICMP messages the host sends (2, 3, 4, 11, 12): they let nothing in. */
const OUTBOUND_ICMP: ReadonlySet<string> = new Set(['2', '3', '4', '11', '12']);
/** Inbound settings whose messages are not fixed enough to model: redirect (5), router request (9). */
const UNMODELLED_ICMP: ReadonlyMap<string, string> = new Map([['5', 'redirect'], ['9', 'router request']]);

export const LEGACY_SERVICE_TYPES = 'FILEANDPRINT, REMOTEADMIN, REMOTEDESKTOP, UPNP or ALL';
export const LEGACY_ICMP_TYPES = '2, 3, 4, 5, 8, 9, 11, 12, 13, 17 or ALL';

/** The exceptions `set service type=…` names, undefined for an unknown type. */
export function legacyServices(type: string): LegacyException[] | undefined {
  const lower = type.trim().toLowerCase();
  if (lower === 'all') return [...SERVICES.values()];
  const service = SERVICES.get(lower);
  return service === undefined ? undefined : [service];
}

/** The inbound exceptions `set icmpsetting type=…` names, and the settings not modelled; undefined for an unknown type. */
export function legacyIcmpSettings(type: string): { exceptions: LegacyException[]; notModelled: string[] } | undefined {
  const lower = type.trim().toLowerCase();
  if (lower === 'all') return { exceptions: [...INBOUND_ICMP.values()], notModelled: [...UNMODELLED_ICMP.values()] };
  const inbound = INBOUND_ICMP.get(lower);
  if (inbound !== undefined) return { exceptions: [inbound], notModelled: [] };
  const unmodelled = UNMODELLED_ICMP.get(lower);
  if (unmodelled !== undefined) return { exceptions: [], notModelled: [unmodelled] };
  return OUTBOUND_ICMP.has(lower) ? { exceptions: [], notModelled: [] } : undefined;
}
