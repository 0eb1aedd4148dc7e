import { protocolSet } from '../engine/effective';
import { ICMP_V4_PROTOCOL, ICMP_V6_PROTOCOL } from '../engine/icmp';
import { AddressSet, SetParseError, unionOf } from '../model/address-set';
import type { FixSuggestion } from '../model/finding';
import { describePeer } from '../model/peer';
import { PortSet } from '../model/port-set';
import { redactedText, ruleContentKey, type Rule } from '../model/rule';

/**
 * Hides the values Terraform redacts (`Rule.sensitive`) from what a finding shows, after a check judged them: every
 * address or CIDR a sensitive peer contains, the peer as written, and port lists (ICMP types) a sensitive traffic
 * contains, become `(sensitive value of var.office_cidrs)`. Text-based, so it also covers what checks derive from the
 * value (a part left after denies, a witness address inside it), whichever check built the text; what a sensitive
 * deny leaves of the finding's rules lies outside the value, and is named as a part of them (`Shaped`).
 */
export class Redaction {
  private constructor(
    private readonly peers: ReadonlyArray<{ addresses?: AddressSet; written: string[]; text: string }>,
    private readonly traffic: ReadonlyArray<{ ports: PortSet; text: string }>,
    private readonly icmp: ReadonlyArray<{ protocol: 'icmp' | 'icmpv6'; text: string }>,
    private readonly shaped: Shaped,
  ) {}

  /**
   * The redaction for a finding about `rules`; undefined when none of them is sensitive (the usual case).
   * `denies`: sensitive deny rules that take part of them away (`shapingDenies`): what is left of them tells those.
   */
  static of(rules: readonly Rule[], denies: readonly Rule[] = []): Redaction | undefined {
    const shaped = denies.length > 0 ? shapedBy(rules, denies) : NOTHING_SHAPED;
    if (shaped === NOTHING_SHAPED && !rules.some((rule) => rule.sensitive !== undefined)) return undefined;
    // One entry per origin, its addresses the union of its rules': a value's CIDRs are one rule each, and a finding
    // on them may show their union (`0.0.0.0/1` and `128.0.0.0/1` as `0.0.0.0/0`).
    const peers = new Map<string, { addresses?: AddressSet; written: string[]; text: string }>();
    const traffic: Array<{ ports: PortSet; text: string }> = [];
    const icmp: Array<{ protocol: 'icmp' | 'icmpv6'; text: string }> = [];
    for (const rule of rules) {
      const sensitive = rule.sensitive;
      if (sensitive?.peer !== undefined) {
        const text = redactedText(sensitive.peer);
        const entry = peers.get(text) ?? { written: [], text };
        peers.set(text, entry);
        const peer = rule.peer;
        if (peer.kind === 'addresses') {
          entry.addresses = entry.addresses === undefined ? peer.addresses : entry.addresses.union(peer.addresses);
          entry.written.push(peer.text);
        } else {
          entry.written.push(...(peer.kind === 'sg-ref' || peer.kind === 'prefix-list' ? [peer.id, describePeer(peer)] : [describePeer(peer)]));
        }
      }
      if (sensitive?.traffic !== undefined) {
        traffic.push({ ports: rule.ports, text: redactedText(sensitive.traffic) });
        // An ICMP rule's type and code are its ports (`from_port = var.type`).
        const protocol = rule.protocol.kind === 'number' ? rule.protocol.value : undefined;
        if (protocol === ICMP_V4_PROTOCOL || protocol === ICMP_V6_PROTOCOL) icmp.push({ protocol: protocol === ICMP_V4_PROTOCOL ? 'icmp' : 'icmpv6', text: redactedText(sensitive.traffic) });
      }
    }
    for (const entry of peers.values()) entry.written = entry.written.filter((text) => text !== '').sort((a, b) => b.length - a.length);
    return new Redaction([...peers.values()], traffic, icmp, shaped);
  }

  /** `text` with the sensitive values replaced; the same text when it shows none of them. */
  text(text: string): string {
    let result = text;
    for (const peer of this.peers) {
      for (const written of peer.written) result = replaceWord(result, written, peer.text);
      const addresses = peer.addresses;
      if (addresses !== undefined) result = result.replace(ADDRESS, (found) => (isWithin(found, addresses) ? peer.text : found));
      result = collapseRepeats(result, peer.text);
    }
    for (const part of this.shaped.addresses) {
      result = result.replace(ADDRESS_LIST, (found) => (isLeftOf(found, part) ? part.shown : found));
    }
    for (const part of this.shaped.ports) {
      result = result.replace(PORT_LIST, (found, protocol: string, list: string) => (isPortsLeftOf(list.replace(/\s/g, ''), part) ? `part of ${protocol}/${part.shown}` : found));
      result = result.replace(BARE_PORT_LIST, (found, lead: string, list: string) => (isPortsLeftOf(list.replace(/\s/g, ''), part) ? `${lead}part of ${part.shown}` : found));
    }
    for (const { protocol, text: redacted } of this.icmp) {
      result = result.replace(ICMP_MESSAGES, (found, written: string) => (written === protocol ? `${protocol} ${redacted}` : found));
    }
    for (const { ports, text: redacted } of this.traffic) {
      // Every port (ICMP, all protocols): no port list tells anything of the value.
      if (ports.isAll()) continue;
      // Item by item, as a list may join other rules' ports (`tcp/80, 7000-7049, 7051-9100`): none of the value's shows.
      result = result.replace(PORT_LIST, (found, protocol: string, list: string) => {
        const items = list.split(/, ?/).map((item) => (isPortsWithin(item, ports) ? redacted : item));
        return items.includes(redacted) ? `${protocol}/${[...new Set(items)].join(', ')}` : found;
      });
      // Ports written without their protocol: `(the rule allows 1000-9000; …)`.
      result = result.replace(BARE_PORT_LIST, (found, lead: string, list: string) => (isPortsWithin(list.replace(/\s/g, ''), ports) ? `${lead}${redacted}` : found));
    }
    return result;
  }

  /** Every string inside `data` (objects and arrays, recursively) redacted; other values as they are. */
  data<T>(data: T): T {
    if (typeof data === 'string') return this.text(data) as T;
    if (Array.isArray(data)) return data.map((item) => this.data(item)) as T;
    if (data !== null && typeof data === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(data)) {
        // The ICMP types and codes of a finding (`icmp: [{ type: 8, … }]`) are numbers: the whole list is the value.
        out[key] =
          key === 'icmp' && this.icmp.length > 0 ? this.icmp[0]!.text
          : PORT_KEYS.has(key) ? this.portData(key, value)
          : ROLE_KEYS.has(key) && this.shaped !== NOTHING_SHAPED ? new Redaction(this.peers, this.traffic, this.icmp, NOTHING_SHAPED).data(value)
          : this.data(value);
      }
      return out as T;
    }
    return data;
  }

  /**
   * A value under a key that holds ports without their protocol (`ports: "1000-9000"`, message data of FW103/FW202),
   * or the services named after them (`sensitiveServices: ["ssh"]`): redacted when sensitive traffic holds them.
   */
  private portData(key: string, value: unknown): unknown {
    if (typeof value === 'string' && key !== 'sensitiveServices') {
      const left = this.shaped.ports.find((part) => isPortsLeftOf(value.replace(/\s/g, ''), part));
      if (left !== undefined) return `part of ${left.shown}`;
    }
    if (this.traffic.length === 0) return this.data(value);
    // Services are named after the ports a finding reports; with sensitive ports, naming them would tell the ports.
    if (key === 'sensitiveServices') return Array.isArray(value) && value.length > 0 ? [this.traffic[0]!.text] : value;
    if (Array.isArray(value)) return value.map((item) => this.portData(key, item));
    if (typeof value !== 'string') return this.data(value);
    const sensitive = this.traffic.find(({ ports }) => isPortsWithin(value.replace(/\s/g, ''), ports));
    return sensitive !== undefined ? sensitive.text : this.text(value);
  }

  /** The fixes that do not write a sensitive value: replacement code cannot show it redacted. */
  fixes(fixes: FixSuggestion[]): FixSuggestion[] {
    return fixes.filter((fix) => this.text(fix.insertedText) === fix.insertedText && this.text(fix.description) === fix.description);
  }
}

/**
 * What sensitive deny rules took from a finding's rules: a part of their addresses (or ports) that such a deny shares
 * with them and that a text shows none of was left by the deny, and tells its value; it is shown as `part of 10.0.0.0/8
 * (which part depends on (sensitive value of var.blocked))`.
 */
interface Shaped {
  addresses: ReadonlyArray<{ own: AddressSet; denied: AddressSet; shown: string }>;
  ports: ReadonlyArray<{ own: PortSet; denied: PortSet; shown: string }>;
}

const NOTHING_SHAPED: Shaped = { addresses: [], ports: [] };

/**
 * The enabled deny rules of `rules` with a sensitive value that may take traffic away from an allow among `own` (same
 * direction, protocol, ports and addresses in common), and so shape what a finding about `own` shows. Cheap when
 * no rule of the target is sensitive: its sensitive denies are looked up once per rule list.
 */
export function shapingDenies(rules: readonly Rule[], own: readonly Rule[]): Rule[] {
  let denies = sensitiveDenies.get(rules);
  if (denies === undefined) sensitiveDenies.set(rules, (denies = rules.filter((rule) => rule.enabled && rule.action === 'deny' && rule.sensitive !== undefined)));
  if (denies.length === 0) return denies;
  return denies.filter((deny) => !own.includes(deny) && own.some((rule) => rule.action !== 'deny' && mayTakeFrom(deny, rule)));
}

const sensitiveDenies = new WeakMap<readonly Rule[], Rule[]>();

function mayTakeFrom(deny: Rule, rule: Rule): boolean {
  if (deny.direction !== rule.direction || !protocolSet(deny.protocol).overlaps(protocolSet(rule.protocol)) || !deny.ports.overlaps(rule.ports)) return false;
  return deny.peer.kind !== 'addresses' || rule.peer.kind !== 'addresses' || deny.peer.addresses.overlaps(rule.peer.addresses);
}

function shapedBy(rules: readonly Rule[], denies: readonly Rule[]): Shaped {
  const allows = rules.filter((rule) => rule.action !== 'deny');
  const ownAddresses = unionOf(allows.flatMap((rule) => (rule.peer.kind === 'addresses' ? [rule.peer.addresses] : [])));
  const ownPorts = allows.reduce((ports, rule) => ports.union(rule.ports), PortSet.EMPTY);
  const addresses: Array<Shaped['addresses'][number]> = [];
  const ports: Array<Shaped['ports'][number]> = [];
  for (const deny of denies) {
    const sensitive = deny.sensitive!;
    if (sensitive.peer !== undefined && deny.peer.kind === 'addresses' && ownAddresses.overlaps(deny.peer.addresses)) {
      addresses.push({ own: ownAddresses, denied: deny.peer.addresses, shown: `part of ${ownAddresses.toString()} (which part depends on ${redactedText(sensitive.peer)})` });
    }
    if (sensitive.traffic !== undefined && !deny.ports.isAll() && ownPorts.overlaps(deny.ports)) {
      ports.push({ own: ownPorts, denied: deny.ports, shown: `${ownPorts.toString()} (which part depends on ${redactedText(sensitive.traffic)})` });
    }
  }
  return addresses.length === 0 && ports.length === 0 ? NOTHING_SHAPED : { addresses, ports };
}

/** Whether an address list in a text is a part of a finding's addresses that a sensitive deny left (none of its own). */
function isLeftOf(text: string, part: Shaped['addresses'][number]): boolean {
  try {
    const shown = AddressSet.parseList(text, { hostBits: 'mask' });
    return part.own.containsAll(shown) && !shown.overlaps(part.denied);
  } catch (error) {
    if (error instanceof SetParseError) return false;
    throw error;
  }
}

function isPortsLeftOf(list: string, part: Shaped['ports'][number]): boolean {
  try {
    const shown = PortSet.parse(list);
    return part.own.containsAll(shown) && !shown.overlaps(part.denied);
  } catch (error) {
    if (error instanceof SetParseError) return false;
    throw error;
  }
}

/**
 * A rule's content for fingerprints with its sensitive parts named by origin instead of hashed: a hash of a guessable
 * value (`0.0.0.0/0`) would reveal it, and a changed value does not reopen an accepted finding.
 */
export function redactedContentKey(rule: Rule, contentKey: string): string {
  const sensitive = rule.sensitive;
  if (sensitive === undefined) return contentKey;
  const peer = sensitive.peer === undefined ? rule.peer : { kind: 'unknown' as const, expr: `sensitive:${sensitive.peer}` };
  if (sensitive.traffic === undefined) return ruleContentKey({ ...rule, peer });
  return `${ruleContentKey({ direction: rule.direction, action: rule.action, protocol: { kind: 'any' }, ports: PortSet.ALL, peer })}|sensitive:${sensitive.traffic}`;
}

/** IPv4 and IPv6 addresses and CIDRs in text (IPv6: two colons at least, so `tcp/22:` or times do not match). */
const ADDRESS_TEXT = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\/\d{1,3})?)`;
const ADDRESS = new RegExp(String.raw`(?<![\w.:])${ADDRESS_TEXT}(?![\w:]|\.\d)`, 'g');

/** A list of them as messages write address sets: `10.0.0.0/9, 10.128.0.0/10`. */
const ADDRESS_LIST = new RegExp(String.raw`(?<![\w.:])${ADDRESS_TEXT}(?:, ${ADDRESS_TEXT})*(?![\w:]|\.\d)`, 'g');

/** `tcp/22, 80, 1000-2000` as the checks print traffic (items joined with or without a space). */
const PORT_LIST = /(?<![\w.:/])(tcp|udp|sctp|\d+)\/(\d+(?:-\d+)?(?:, ?\d+(?:-\d+)?)*)\b/g;

/** Port lists without a protocol where finding texts write them: after "allows " or in parentheses. */
const BARE_PORT_LIST = /(\(|\ballows )(\d+(?:-\d+)?(?:, ?\d+(?:-\d+)?)*)(?=[);])/g;

/** One ICMP type as the checks name it: `echo-request (type 8)`, `type 3, codes 0, 1`. */
const ICMP_TYPE = String.raw`(?:[a-z][\w-]* \(type \d+(?:, codes? \d+(?:, \d+)*)?\)|type \d+(?:, codes? \d+(?:, \d+)*)?)`;
const ICMP_TYPES = String.raw`${ICMP_TYPE}(?:, ${ICMP_TYPE})*(?: and \d+ more types)?`;

/**
 * ICMP messages as the checks write them (`describeIcmp`, witnesses): `icmp echo-request (type 8)`, `icmpv6 (all types
 * except type 1)`, `icmp type 8 code 0`; the protocol is group 1.
 */
const ICMP_MESSAGES = new RegExp(String.raw`\b(icmp|icmpv6) (?:type \d+ code \d+|\(all types(?: except ${ICMP_TYPES})?\)|${ICMP_TYPES})`, 'g');

/**
 * Data keys that tell what a vendor role requires (FW202's advice): parts of a finding's rules that they name are the
 * role's, not what a deny left of the rules.
 */
const ROLE_KEYS = new Set(['instead', 'advanced', 'unselected', 'replacementFlows', 'unselectedOptionFlows']);

/** Data keys whose strings are port lists without their protocol, or services named after such ports. */
const PORT_KEYS = new Set(['ports', 'writtenPorts', 'sensitiveServices']);

function isWithin(text: string, addresses: AddressSet): boolean {
  try {
    return addresses.containsAll(AddressSet.parseCidr(text, { hostBits: 'mask' }));
  } catch (error) {
    if (error instanceof SetParseError) return false;
    throw error;
  }
}

function isPortsWithin(list: string, ports: PortSet): boolean {
  try {
    return ports.containsAll(PortSet.parse(list));
  } catch (error) {
    if (error instanceof SetParseError) return false;
    throw error;
  }
}

/** Replaces `word` where it stands alone (not inside a longer name or number). */
function replaceWord(text: string, word: string, replacement: string): string {
  let result = '';
  let from = 0;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if ((before !== undefined && /[\w.:/-]/.test(before)) || (after !== undefined && /[\w:/-]/.test(after))) continue;
    result += text.slice(from, at) + replacement;
    from = at + word.length;
  }
  return from === 0 ? text : result + text.slice(from);
}

/** `(sensitive value of X), (sensitive value of X)` (one per CIDR of the value) said once. */
function collapseRepeats(text: string, redacted: string): string {
  const repeated = `${redacted}, ${redacted}`;
  let result = text;
  while (result.includes(repeated)) result = result.split(repeated).join(redacted);
  return result;
}
