import { AddressSet, ICMP, ICMPV6, PUBLIC_ADDRESSES, SetParseError, PortSet, addressPeer, anyPeer, parseProtocol } from '../../model';
import type { KnownProtocol, Peer } from '../../model';
import { shorten } from '../shared/hostile-input';

/**
 * Address keywords netsh and PowerShell accept in `localip`/`remoteip` (formats.md §4.1, §4.4), lower case →
 * the spelling we report. `Any` and `Internet` are handled apart: both mean the world (contract.md FW101).
 */
const ADDRESS_KEYWORDS: ReadonlyMap<string, string> = new Map(
  ['LocalSubnet', 'DNS', 'DHCP', 'WINS', 'DefaultGateway', 'Intranet', 'PlayToDevice', 'IntranetRemoteAccess', 'CaptivePortal'].map(
    (name) => [name.toLowerCase(), name],
  ),
);

/** Port keywords (formats.md §4.1); other alphanumeric tokens are kept too, as written. */
const PORT_KEYWORDS: ReadonlyMap<string, string> = new Map(
  ['RPC', 'RPC-EPMap', 'IPHTTPS', 'IPHTTPSIn', 'IPHTTPSOut', 'Teredo', 'PlayToDiscovery'].map((name) => [name.toLowerCase(), name]),
);

/**
 * The TCP ports Windows gives a port keyword, for the keywords that have fixed ones: the RPC endpoint mapper listens
 * on 135; IP-HTTPS tunnels over HTTPS, 443 (`IPHTTPS` in older exports, `IPHTTPSIn`/`IPHTTPSOut` in newer ones);
 * `RPC` ("RPC Dynamic Ports") is the RPC services' dynamic ports, which Windows takes from its dynamic port range,
 * 49152-65535 by default since Windows Vista / Server 2008. fwlint judges `RPC` as that whole default range (a host
 * whose range was changed with `netsh int ipv4 set dynamicport` is judged by the default one). `Teredo`,
 * `PlayToDiscovery` and unknown words have no fixed port: they are unknown (FW303), never open or safe.
 */
const KEYWORD_PORTS: ReadonlyMap<string, PortSet> = new Map([
  ['RPC-EPMap', PortSet.parse('135')],
  ['RPC', PortSet.parse('49152-65535')],
  ['IPHTTPS', PortSet.parse('443')],
  ['IPHTTPSIn', PortSet.parse('443')],
  ['IPHTTPSOut', PortSet.parse('443')],
]);

export const ALL_PROFILES: readonly string[] = ['domain', 'private', 'public'];

export type ParsedItem<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * One item of a netsh address list: `Any`, a keyword, an address with or without `/32`/`/128`, a CIDR, a mask
 * (`10.0.0.0/255.0.0.0`) or a range `a-b`. Host bits are cleared, as Windows does.
 */
export function parseAddressItem(item: string): ParsedItem<Peer> {
  const text = item.trim();
  const lower = text.toLowerCase();
  // Windows "Internet" is every address outside the intranet; fwlint judges it as world-open like Any
  // (contract.md FW101), and messages name it as written. It is not exact: it does not hold LocalSubnet and the
  // other keywords, which name intranet addresses, and it carries a required flow (FW201) only from public addresses.
  if (lower === 'any' || lower === '*') return { ok: true, value: anyPeer('Any') };
  // A keyword with 4 or 6 appended is restricted to that family (New-NetFirewallRule -RemoteAddress: "LocalSubnet4"
  // is the local IPv4 addresses); Windows prints the restricted forms back in its exports.
  const family = /^(.*[a-z])([46])$/.exec(lower);
  const base = family === null || (family[1] !== 'internet' && !ADDRESS_KEYWORDS.has(family[1]!)) ? lower : family[1]!;
  const suffix = base === lower ? '' : family![2]!;
  if (base === 'internet') {
    const addresses = suffix === '4' ? AddressSet.ALL_V4 : suffix === '6' ? AddressSet.ALL_V6 : AddressSet.ALL;
    return { ok: true, value: { kind: 'addresses', addresses, text: `Internet${suffix}`, isApproximate: true, certainAddresses: PUBLIC_ADDRESSES.intersect(addresses) } };
  }
  const keyword = ADDRESS_KEYWORDS.get(base);
  if (keyword !== undefined) return { ok: true, value: { kind: 'keyword', name: `${keyword}${suffix}` } };
  if (text === '') return { ok: false, error: 'empty address' };
  try {
    if (text.includes('-')) {
      // `-1` or `10.0.0.5-` is no range: a range has an address on each side of its dash.
      if (/^\s*-|-\s*$/.test(text)) return { ok: false, error: 'a range needs an address on each side of "-"' };
      return { ok: true, value: addressPeer(AddressSet.parseRange(text), text) };
    }
    const slash = text.indexOf('/');
    if (slash !== -1 && text.slice(slash + 1).includes('.')) {
      const prefix = maskToPrefix(text.slice(slash + 1));
      if (prefix === undefined) return { ok: false, error: `"${shorten(text)}" has an invalid subnet mask` };
      return { ok: true, value: addressPeer(AddressSet.parseCidr(`${text.slice(0, slash)}/${prefix}`, { hostBits: 'mask' }), text) };
    }
    return { ok: true, value: addressPeer(AddressSet.parseCidr(text, { hostBits: 'mask' }), text) };
  } catch (error) {
    if (error instanceof SetParseError) return { ok: false, error: shorten(error.message, 300) };
    throw error;
  }
}

/** Prefix length of a contiguous dotted IPv4 mask (`255.255.240.0` → 20); undefined for anything else. */
export function maskToPrefix(mask: string): number | undefined {
  const parts = mask.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  const value = parts.reduce((acc, part) => acc * 256 + Number(part), 0);
  const bits = value.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

/** Splits a comma list into trimmed items; an empty list gives one empty item so that callers report it. */
export function splitList(text: string): string[] {
  return text.split(',').map((item) => item.trim());
}

/**
 * What marks an item holding a variable reference the script left unresolved (`%EXTRA%`, `%%p`, `%1`, `!X!`, `$x`,
 * `$(…)`): no address, port or keyword netsh accepts has these characters.
 */
const REFERENCE_MARK = /[%!$]/;

export interface PartlyKnownList {
  /** The items without a reference, as written. */
  known: string[];
  /** The items with one, joined as written (`%EXTRA%`): the list's unresolved rest. */
  unresolved: string;
}

/**
 * A comma list of a value that holds unresolved references beside items written out (`%EXTRA%,any`, `$port,3389`):
 * whatever the references turn out to hold, the list holds the written items too. Undefined when every item holds a
 * reference (or none does): then nothing of the list is known.
 */
export function partlyKnownList(text: string): PartlyKnownList | undefined {
  const items = splitList(text);
  const known = items.filter((item) => !REFERENCE_MARK.test(item));
  if (known.length === 0 || known.length === items.length) return undefined;
  return { known, unresolved: items.filter((item) => REFERENCE_MARK.test(item)).join(',') };
}

export interface ParsedPorts {
  /** The numeric items plus the fixed ports of the keywords that have them (`KEYWORD_PORTS`). */
  ports: PortSet;
  /** Every keyword, as written (canonical spelling for the known ones), for display and the rule's content key. */
  keywords: string[];
  /** Keywords without fixed ports (`Teredo`, `PlayToDiscovery`, unknown words): their ports are unknown. */
  unmappedKeywords: string[];
  errors: string[];
}

/**
 * A netsh port list: `Any`, `N`, `N-M`, keywords, comma separated. Keywords go to `keywords`, and those with fixed
 * ports add them to `ports` (`RPC-EPMap` → 135); the others go to `unmappedKeywords` too. Bad items are reported and
 * left out.
 */
export function parsePortList(text: string): ParsedPorts {
  let ports = PortSet.EMPTY;
  const keywords: string[] = [];
  const unmappedKeywords: string[] = [];
  const errors: string[] = [];
  for (const item of splitList(text)) {
    const lower = item.toLowerCase();
    if (lower === 'any' || lower === '*') {
      ports = PortSet.ALL;
      continue;
    }
    if (/^\d+(\s*-\s*\d+)?$/.test(item)) {
      try {
        ports = ports.union(PortSet.parse(item));
      } catch (error) {
        if (!(error instanceof SetParseError)) throw error;
        errors.push(shorten(error.message, 300));
      }
      continue;
    }
    const keyword = PORT_KEYWORDS.get(lower) ?? (/^[A-Za-z][A-Za-z0-9-]*$/.test(item) ? item : undefined);
    if (keyword === undefined) {
      errors.push(item === '' ? `empty item in port list "${text}"` : `invalid port "${item}"`);
      continue;
    }
    keywords.push(keyword);
    const fixed = KEYWORD_PORTS.get(keyword);
    if (fixed !== undefined) ports = ports.union(fixed);
    else unmappedKeywords.push(keyword);
  }
  return { ports, keywords, unmappedKeywords, errors };
}

export interface ParsedProfiles {
  profiles: string[];
  /** True for the legacy `CURRENT` profile, whose meaning depends on the machine's network at run time. */
  isCurrent: boolean;
  errors: string[];
}

/** `Domain,Private,Public`, `any`/`all`, legacy `standard` (= private) and `current`; canonical order, lower case. */
export function parseProfiles(text: string): ParsedProfiles {
  const found = new Set<string>();
  const errors: string[] = [];
  let isCurrent = false;
  for (const item of splitList(text)) {
    const lower = item.toLowerCase();
    if (lower === 'any' || lower === 'all') ALL_PROFILES.forEach((profile) => found.add(profile));
    else if (ALL_PROFILES.includes(lower)) found.add(lower);
    else if (lower === 'standard') found.add('private');
    else if (lower === 'current') {
      // netsh firewall (legacy): the profile active when the command ran, one of domain or standard.
      isCurrent = true;
      found.add('domain');
      found.add('private');
    } else errors.push(item === '' ? `empty item in profile list "${text}"` : `unknown profile "${item}"`);
  }
  return { profiles: ALL_PROFILES.filter((profile) => found.has(profile)), isCurrent, errors };
}

export interface ParsedProtocol {
  protocol: KnownProtocol;
  /** Type/code written inline (`icmpv4:8,any`); undefined when not given. */
  icmp?: { type: string; code: string };
}

/** `TCP`, `UDP`, `ICMPv4`, `ICMPv6`, `Any`, `0`–`255`, or `icmpv4:type,code` (netsh `add rule`). */
export function parseNetshProtocol(text: string): ParsedItem<ParsedProtocol> {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = (colon === -1 ? trimmed : trimmed.slice(0, colon)).toLowerCase();
  if (colon !== -1) {
    if (name !== 'icmpv4' && name !== 'icmpv6') return { ok: false, error: `invalid protocol "${shorten(trimmed)}"` };
    const [type, code, extra] = trimmed.slice(colon + 1).split(',');
    if (type === undefined || code === undefined || extra !== undefined) {
      return { ok: false, error: `invalid ICMP type/code "${shorten(trimmed)}" (expected ${name}:type,code)` };
    }
    return { ok: true, value: { protocol: name === 'icmpv4' ? ICMP : ICMPV6, icmp: { type: type.trim(), code: code.trim() } } };
  }
  if (name === 'icmpv4') return { ok: true, value: { protocol: ICMP } };
  if (name === 'icmpv6') return { ok: true, value: { protocol: ICMPV6 } };
  const protocol = parseProtocol(name);
  if (protocol === undefined || name === '-1' || name === '*' || name === 'all') {
    return { ok: false, error: `invalid protocol "${shorten(trimmed)}"` };
  }
  return { ok: true, value: { protocol } };
}

/** An ICMP type or code: `Any` or 0–255. */
export function parseIcmpNumber(text: string): number | 'any' | undefined {
  const trimmed = text.trim();
  if (/^any$/i.test(trimmed) || trimmed === '*') return 'any';
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= 255 ? value : undefined;
}

/** `yes`/`no` (script) or `Yes`/`No` (export); also `true`/`false`. */
export function parseYesNo(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'yes' || lower === 'true') return true;
  if (lower === 'no' || lower === 'false') return false;
  return undefined;
}
