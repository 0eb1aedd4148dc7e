import { AddressSet, SetParseError } from '../../model/address-set';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceLocation } from '../../model/location';
import type { Peer } from '../../model/peer';
import type { Value } from './hcl';
import type { ResourceInstance } from './resources';
import { asString, invalidValueMessage, sensitiveOrigin, unknownText, type Field } from './to-model';

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

/** One entry's CIDR as written: where, and the instance address it is reported under. */
interface WrittenEntry {
  cidr: Field | undefined;
  address: string;
  file: string;
}

interface ListDefinition {
  list: ResourceInstance;
  entries: WrittenEntry[];
  /** Some entry cannot be known: its instance's count, for_each or condition, or its `dynamic` block's. */
  isIncomplete: boolean;
}

/** The addresses a list's entries hold, and the origin of a sensitive entry (`Value.sensitive`), if any. */
interface ListAddresses {
  addresses: AddressSet;
  definedAt: SourceLocation;
  sensitive: string | undefined;
}

/**
 * The managed prefix lists of one module tree (or plan) whose entries are written there: the `entry` blocks of an
 * `aws_ec2_managed_prefix_list` and the `aws_ec2_managed_prefix_list_entry` resources that name it by reference. A
 * rule naming such a list by reference (`prefix_list_ids = [aws_ec2_managed_prefix_list.admins.id]`) has the union
 * of its entries' CIDRs as its peer. A list is read only when every entry of it is known: an entry of a `dynamic`
 * block or resource repeated an unknown number of times, or existing only under a condition, an unresolved or invalid
 * `cidr` (an error at it) or a list without any entry here (filled elsewhere) leave its rules a symbolic prefix-list
 * peer, as lists named by literal id (`pl-…`, AWS-managed ones among them) and data sources are.
 */
export class PrefixLists {
  private readonly read = new Map<string, ListAddresses | null>();

  private constructor(
    private readonly lists: ReadonlyMap<string, ListDefinition>,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The lists among `instances`; undefined when there is none (most configurations), so rules look up nothing. */
  static of(instances: readonly ResourceInstance[], diagnostics: Diagnostic[]): PrefixLists | undefined {
    const lists = new Map<string, ListDefinition>();
    for (const instance of instances) {
      if (instance.type !== MANAGED_PREFIX_LIST) continue;
      const blocks = instance.blocks.get('entry') ?? [];
      lists.set(instance.address, {
        list: instance,
        entries: blocks.map((block) => ({ cidr: block.fields.get('cidr'), address: block.address, file: block.location.file })),
        isIncomplete: isConditional(instance) || blocks.some((block) => block.branch !== undefined),
      });
    }
    if (lists.size === 0) return undefined;
    for (const instance of instances) {
      if (instance.type !== MANAGED_PREFIX_LIST_ENTRY) continue;
      // An entry naming its list otherwise (a literal id, a variable) adds to a list that is not written here.
      const join = instance.fields.get('prefix_list_id')?.value;
      const definition = join?.kind === 'ref' ? lists.get(join.address) : undefined;
      if (!definition) continue;
      definition.entries.push({ cidr: instance.fields.get('cidr'), address: instance.address, file: instance.file });
      if (isConditional(instance)) definition.isIncomplete = true;
    }
    return new PrefixLists(lists, diagnostics);
  }

  /**
   * The peer a rule's `prefix_list_ids` element (`prefix_list_id`) stands for: the CIDRs of the list it references,
   * with the origin of a sensitive entry; undefined when it names no list of these resources or the list's entries
   * cannot all be known.
   */
  peerOf(value: Value): { peer: Peer; sensitive: string | undefined } | undefined {
    if (value.kind !== 'ref') return undefined;
    const known = this.addressesOf(value.address);
    if (!known) return undefined;
    return { peer: { kind: 'addresses', addresses: known.addresses, text: `prefix list ${value.address}`, definedAt: known.definedAt, prefixListId: value.text }, sensitive: known.sensitive };
  }

  /** Read once per list, when a rule first names it: its diagnostics are reported once. */
  private addressesOf(address: string): ListAddresses | undefined {
    let known = this.read.get(address);
    if (known === undefined) {
      const definition = this.lists.get(address);
      known = definition ? this.readList(definition) : null;
      this.read.set(address, known);
    }
    return known ?? undefined;
  }

  private readList(definition: ListDefinition): ListAddresses | null {
    if (definition.isIncomplete || definition.entries.length === 0) return null;
    let addresses = AddressSet.EMPTY;
    let sensitive: string | undefined;
    for (const entry of definition.entries) {
      if (!entry.cidr || unknownText(entry.cidr.value) !== undefined) return null;
      const text = asString(entry.cidr.value);
      if (text === undefined) {
        this.diagnostics.push(errorDiagnostic('parse/terraform-cidr', entry.file, `${entry.address}: cidr must be a string`, entry.cidr.range));
        return null;
      }
      try {
        addresses = addresses.union(AddressSet.parseCidr(text));
      } catch (error) {
        if (!(error instanceof SetParseError)) throw error;
        const message = invalidValueMessage(error.message, 'is not a valid CIDR (cidr)', entry.cidr.value);
        this.diagnostics.push(errorDiagnostic('parse/terraform-cidr', entry.file, `${entry.address}: ${message}`, entry.cidr.range));
        return null;
      }
      sensitive ??= sensitiveOrigin(entry.cidr.value);
    }
    return { addresses, definedAt: definition.list.location, sensitive };
  }
}

/** An instance that may or may not exist, or of which there may be more: its count, for_each or condition is unknown. */
function isConditional(instance: ResourceInstance): boolean {
  return instance.unknowns.length > 0 || instance.branch !== undefined;
}
