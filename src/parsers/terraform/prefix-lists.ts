import { AddressSet, SetParseError } from '../../model/address-set';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import { compareLocations, type SourceLocation } from '../../model/location';
import type { UnknownValue } from '../../model/rule';
import type { Peer } from '../../model/peer';
import type { Value } from './hcl';
import type { ResourceInstance } from './resources';
import { asString, invalidValueMessage, modulePrefix, sensitiveOrigin, unknownText, type Field } from './to-model';

const MANAGED_PREFIX_LIST = 'aws_ec2_managed_prefix_list';
const MANAGED_PREFIX_LIST_ENTRY = 'aws_ec2_managed_prefix_list_entry';

/** Resource types read for the entries of managed prefix lists, with the nested blocks that hold entries. */
export const PREFIX_LIST_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  [MANAGED_PREFIX_LIST, ['entry']],
  [MANAGED_PREFIX_LIST_ENTRY, []],
]);

const PREFIX_LIST_TYPE_NAMES: ReadonlyMap<string, string> = new Map([...PREFIX_LIST_TYPES.keys()].map((type) => [type, type]));

/** The prefix-list type's name as this module's constant (equal to `type`), undefined for any other type. */
export function prefixListTypeName(type: string): string | undefined {
  return PREFIX_LIST_TYPE_NAMES.get(type);
}

/** One entry as written: its CIDR, where, the instance address it is reported under, and when it exists. */
interface WrittenEntry {
  cidr: Field | undefined;
  address: string;
  file: string;
  /** The resource that adds the entry: the list itself, or an `aws_ec2_managed_prefix_list_entry`. */
  definedAt: SourceLocation;
  /** The condition the entry exists under (a `dynamic` block over `c ? [...] : []`, a toggled entry resource). */
  branch: string | undefined;
}

interface ListDefinition {
  /** The list resource, when the list is written here; none for a list named by literal id or data source. */
  list: ResourceInstance | undefined;
  entries: WrittenEntry[];
  /** Entries that cannot be known: their instance's count or for_each, or their `dynamic` block's. */
  unknownEntries: UnknownValue[];
}

/** One peer a rule naming a list has: its known entries (per adding resource and condition), or an unknown part. */
interface ListPeer {
  peer: Peer;
  /** The origin of a sensitive entry among the peer's (`Value.sensitive`), if any. */
  sensitive: string | undefined;
  /** For an unknown entry: what FW303 reports. */
  unknown?: UnknownValue;
  /** The condition the peer's entries exist under. */
  branch?: string;
}

/**
 * The managed prefix lists of one module tree (or plan) whose entries are written there: the `entry` blocks of an
 * `aws_ec2_managed_prefix_list` and the `aws_ec2_managed_prefix_list_entry` resources that name a list, by reference
 * to such a resource, to a data source, or by literal id (`pl-…`). A rule naming the list the same way
 * (`prefix_list_ids = [aws_ec2_managed_prefix_list.admins.id]`) gets one peer per resource adding entries, holding
 * their CIDRs, so SSH from a list holding `0.0.0.0/0` is FW101 with the adding resource as related location. The known
 * entries are a lower bound of the list (`Peer.isLowerBound`) when it may hold more: an entry of a `dynamic` block or
 * resource repeated an unknown number of times or with an unresolved `cidr` is an unknown peer of its own (FW303), an
 * entry existing only under a condition a peer under that condition (`Rule.branch`), and a list not written here (a
 * data source, a literal id) keeps its symbolic prefix-list peer for the entries added elsewhere. An invalid `cidr` is
 * an error at it and leaves the entry out. A list without any entry here (filled elsewhere), AWS-managed lists among
 * them, stays the symbolic prefix-list peer.
 */
export class PrefixLists {
  private readonly read = new Map<string, ListPeer[] | null>();

  private constructor(
    private readonly lists: ReadonlyMap<string, ListDefinition>,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The lists among `instances`; undefined when there is none (most configurations), so rules look up nothing. */
  static of(instances: readonly ResourceInstance[], diagnostics: Diagnostic[]): PrefixLists | undefined {
    const lists = new Map<string, ListDefinition>();
    for (const instance of instances) {
      if (instance.type !== MANAGED_PREFIX_LIST) continue;
      // A `dynamic` block over an unknown collection records the unknown; its content (`entry[*]`) may be absent.
      const blocks = (instance.blocks.get('entry') ?? []).filter((block) => !block.address.includes('[*'));
      lists.set(instance.address, {
        list: instance,
        entries: blocks.map((block) => ({ cidr: block.fields.get('cidr'), address: block.address, file: block.location.file, definedAt: instance.location, branch: block.branch })),
        unknownEntries: [...instance.unknowns],
      });
    }
    for (const instance of instances) {
      if (instance.type !== MANAGED_PREFIX_LIST_ENTRY) continue;
      const key = listKey(instance.fields.get('prefix_list_id')?.value, instance.address);
      if (key === undefined) continue;
      let definition = lists.get(key);
      if (!definition) {
        // A list named by data source or literal id, or by a reference to a list resource not among `instances`.
        if (namesListResource(key)) continue;
        definition = { list: undefined, entries: [], unknownEntries: [] };
        lists.set(key, definition);
      }
      if (instance.unknowns.length > 0) {
        definition.unknownEntries.push(...instance.unknowns);
        continue;
      }
      const cidr = instance.fields.get('cidr');
      definition.entries.push({ cidr, address: instance.address, file: cidr?.file ?? instance.file, definedAt: instance.location, branch: instance.branch });
    }
    if (lists.size === 0) return undefined;
    return new PrefixLists(lists, diagnostics);
  }

  /**
   * The peers a rule's `prefix_list_ids` element (`prefix_list_id`) stands for, for a list with entries written here;
   * undefined otherwise (the rule keeps the symbolic prefix-list peer).
   */
  peersOf(value: Value, ruleAddress: string): ListPeer[] | undefined {
    const key = listKey(value, ruleAddress);
    if (key === undefined) return undefined;
    let peers = this.read.get(key);
    if (peers === undefined) {
      // Read once per list, when a rule first names it: its diagnostics are reported once.
      const definition = this.lists.get(key);
      peers = definition && (definition.entries.length > 0 || definition.unknownEntries.length > 0) ? this.readList(definition, value) : null;
      this.read.set(key, peers);
    }
    return peers ?? undefined;
  }

  private readList(definition: ListDefinition, named: Value): ListPeer[] | null {
    const name = definition.list?.address ?? asString(named) ?? unknownText(named) ?? '?';
    const prefixListId = named.kind === 'ref' ? named.text : name;
    // Known entries by adding resource and condition, in order: one peer each.
    const groups: Array<{ definedAt: SourceLocation; branch: string | undefined; addresses: AddressSet; sensitive: string | undefined }> = [];
    const unknowns: ListPeer[] = definition.unknownEntries.map((unknown) => ({ peer: { kind: 'unknown', expr: unknown.expr }, sensitive: undefined, unknown }));
    for (const entry of definition.entries) {
      const addresses = this.entryAddresses(entry);
      // A list the apply would reject: the rule stays the list as named.
      if (addresses === null) return null;
      if (addresses === undefined) {
        const expr = entry.cidr ? unknownText(entry.cidr.value) ?? '?' : 'cidr';
        const location = { file: entry.file, range: entry.cidr?.range ?? entry.definedAt.range };
        const unknown = { field: `${entry.address}.cidr`, expr, location };
        unknowns.push({ peer: { kind: 'unknown', expr }, sensitive: undefined, unknown, ...(entry.branch !== undefined ? { branch: entry.branch } : {}) });
        continue;
      }
      const sensitive = entry.cidr ? sensitiveOrigin(entry.cidr.value) : undefined;
      const group = groups.find((each) => each.branch === entry.branch && compareLocations(each.definedAt, entry.definedAt) === 0);
      if (group) {
        group.addresses = group.addresses.union(addresses);
        group.sensitive ??= sensitive;
      } else {
        groups.push({ definedAt: entry.definedAt, branch: entry.branch, addresses, sensitive });
      }
    }
    // The list may hold more than one peer's entries: each is then only some of its addresses.
    const isLowerBound = groups.length + unknowns.length > 1 || definition.list === undefined;
    const peers: ListPeer[] = groups.map((group) => {
      const peer: Peer = { kind: 'addresses', addresses: group.addresses, text: `prefix list ${name}`, definedAt: group.definedAt, prefixListId };
      if (isLowerBound) peer.isLowerBound = true;
      return { peer, sensitive: group.sensitive, ...(group.branch !== undefined ? { branch: group.branch } : {}) };
    });
    // A list not written here holds the entries added elsewhere too: those stay the list as named.
    if (definition.list === undefined) peers.push({ peer: { kind: 'prefix-list', id: prefixListId }, sensitive: undefined });
    return [...peers, ...unknowns];
  }

  /** An entry's addresses; undefined when its `cidr` is unresolved, null when it is invalid (an error at it). */
  private entryAddresses(entry: WrittenEntry): AddressSet | undefined | null {
    if (!entry.cidr || unknownText(entry.cidr.value) !== undefined) return undefined;
    const text = asString(entry.cidr.value);
    if (text === undefined) {
      this.diagnostics.push(errorDiagnostic('parse/terraform-cidr', entry.file, `${entry.address}: cidr must be a string`, entry.cidr.range));
      return null;
    }
    try {
      return AddressSet.parseCidr(text);
    } catch (error) {
      if (!(error instanceof SetParseError)) throw error;
      const message = invalidValueMessage(error.message, 'is not a valid CIDR (cidr)', entry.cidr.value);
      this.diagnostics.push(errorDiagnostic('parse/terraform-cidr', entry.file, `${entry.address}: ${message}`, entry.cidr.range));
      return null;
    }
  }
}

/** A key of a list resource's address (`module.net.aws_ec2_managed_prefix_list.office`), not of a data source. */
function namesListResource(key: string): boolean {
  const parts = key.split('.');
  return parts[parts.length - 2] === MANAGED_PREFIX_LIST && parts[parts.length - 3] !== 'data';
}

/**
 * How a rule or an entry resource (at `address`) names a list, the same for both: a reference's address (a list
 * resource), a data source's (in the module of `address`), a literal id; undefined for anything else (a variable).
 */
function listKey(value: Value | undefined, address: string): string | undefined {
  if (value?.kind === 'ref') return value.address;
  if (value?.kind === 'string' && value.value !== '') return `id:${value.value}`;
  // Data sources stay unknown values: their text names them within the module.
  const dataSource = value?.kind === 'unknown' ? DATA_SOURCE_ID.exec(value.text) : null;
  return dataSource ? `${modulePrefix(address)}${dataSource[1]}` : undefined;
}

const DATA_SOURCE_ID = /^(data\.aws_ec2_managed_prefix_list\.[A-Za-z_][\w-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)\.id$/;
