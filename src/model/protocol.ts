/**
 * IP protocol of a rule: every protocol, one IANA protocol number, or a value that could not be resolved statically
 * (`expr` as written, `var.proto`): it admits no protocol for certain (FW303 names it), and FW101 judges the rule on
 * every protocol it could be.
 */
export type Protocol = KnownProtocol | { kind: 'unknown'; expr: string };

/** A protocol written as a value: every protocol, or one IANA protocol number (what `parseProtocol` reads). */
export type KnownProtocol = { kind: 'any' } | { kind: 'number'; value: number };

export const ANY_PROTOCOL: KnownProtocol = { kind: 'any' };
export const TCP: KnownProtocol = { kind: 'number', value: 6 };
export const UDP: KnownProtocol = { kind: 'number', value: 17 };
export const ICMP: KnownProtocol = { kind: 'number', value: 1 };
export const ICMPV6: KnownProtocol = { kind: 'number', value: 58 };

/** IANA numbers of the protocol names the supported platforms accept (formats.md §0). */
const PROTOCOL_NUMBERS: Record<string, number> = {
  icmp: 1, icmpv4: 1, ipip: 4, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132,
};

const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 4: 'ipip', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 132: 'sctp' };

/**
 * Parses a protocol name or number case-insensitively (`TCP`, `6`, `-1`, `all`, `any`, `*`).
 * Returns undefined for anything else; callers report it with their own location.
 */
export function parseProtocol(text: string | number): KnownProtocol | undefined {
  // The common spellings first: every rule of a scan goes through here.
  if (text === 'tcp') return TCP;
  if (text === 'udp') return UDP;
  const normalized = String(text).trim().toLowerCase();
  if (normalized === '-1' || normalized === 'all' || normalized === 'any' || normalized === '*') return ANY_PROTOCOL;
  if (/^\d{1,3}$/.test(normalized)) {
    const value = Number(normalized);
    return value <= 255 ? NUMBERED[value] : undefined;
  }
  // Own keys only: a plain lookup would turn "constructor" or "__proto__" into a protocol "number".
  const value = Object.hasOwn(PROTOCOL_NUMBERS, normalized) ? PROTOCOL_NUMBERS[normalized] : undefined;
  return value === undefined ? undefined : NUMBERED[value];
}

/** One shared (immutable) Protocol per number, the named constants among them. */
const NUMBERED: readonly KnownProtocol[] = Array.from({ length: 256 }, (_, value): KnownProtocol =>
  value === 6 ? TCP : value === 17 ? UDP : value === 1 ? ICMP : value === 58 ? ICMPV6 : { kind: 'number', value },
);

/** The protocol a rule gives as a value that could not be resolved statically (`expr` as written). */
export function unresolvedProtocol(expr: string): Protocol {
  return { kind: 'unknown', expr };
}

export function protocolName(protocol: Protocol): string {
  if (protocol.kind === 'any') return 'all';
  if (protocol.kind === 'unknown') return `<unresolved protocol: ${protocol.expr}>`;
  return PROTOCOL_NAMES[protocol.value] ?? `proto-${protocol.value}`;
}

/** True for protocols whose rules carry port ranges (TCP, UDP, SCTP). */
export function hasPorts(protocol: Protocol): boolean {
  return protocol.kind === 'number' && (protocol.value === 6 || protocol.value === 17 || protocol.value === 132);
}

export function sameProtocol(a: Protocol, b: Protocol): boolean {
  if (a.kind === 'number') return b.kind === 'number' && a.value === b.value;
  return a.kind === 'unknown' ? b.kind === 'unknown' && a.expr === b.expr : b.kind === 'any';
}
