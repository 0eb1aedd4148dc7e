import { AddressSet } from '../model/address-set';
import { IntervalSet } from '../model/interval-set';
import { PortSet } from '../model/port-set';
import type { ParseResult } from '../model/source-file';

/**
 * Sends parse results from a worker thread to the main thread. Structured clone keeps plain data (BigInts too) but
 * drops prototypes, so `PortSet`, `AddressSet` and `IntervalSet` would arrive as dead objects; and it copies every
 * string and every small object one by one. This codec turns a ParseResult into compact plain data and back:
 *
 * - every object and array keeps its keys, their order and its identity (an object shared by two rules is decoded
 *   once and shared again), so the decoded graph equals the parser's output, whatever fields a parser adds;
 * - a set is sent as its canonical intervals and decoded once per distinct value: equal sets of a whole scan share
 *   one instance (sets are immutable), which keeps the main thread's model small;
 * - strings, object shapes and `{ file, range }` locations are sent once per message and referenced by index.
 *
 * Any other class instance (a Map, a Date, a parser's own class) cannot be revived: `encodeParseResult` throws
 * `ModelCodecError`, and the caller parses that unit in the main thread instead.
 */

/** What travels: only arrays, numbers, strings and BigInts (structured-clone and worker safe). */
export interface EncodedParseResult {
  strings: string[];
  /** Per object shape: field tags (one character each) then the field names, `\u0001`-separated. */
  shapes: string[];
  /** Flat `[file, startLine, startColumn, endLine, endColumn]` per location; `file` indexes `strings`. */
  locations: number[];
  /** Per PortSet: flat `[from, to, …]`, and its canonical text (the main thread interns sets by it). */
  portSets: number[][];
  portSetKeys: string[];
  /** Per AddressSet: flat IPv4 bounds then flat IPv6 bounds, and its canonical text. */
  addressSets: Array<[bigint[], bigint[]]>;
  addressSetKeys: string[];
  /** The encoded ParseResult object. */
  root: unknown[];
}

export class ModelCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelCodecError';
  }
}

/**
 * Field tags. Objects and arrays carry the tag of each of their values (in the shape, or as a tag string first in
 * the array), so a value itself is a bare number, string index, BigInt or nested array.
 */
const TAG = {
  /** A string from the message's table (short strings repeat: kinds, platforms, protocol names). */
  string: 's',
  /** A string sent as is (long strings are mostly unique: ids, content keys, messages). */
  rawString: 'S',
  number: 'n',
  true: 't',
  false: 'f',
  null: 'N',
  undefined: 'U',
  bigint: 'g',
  object: 'o',
  array: 'a',
  /** An object or array already sent in this message: the value is its sequence number. */
  reference: 'r',
  location: 'L',
  portSet: 'P',
  addressSet: 'A',
  intervalSet: 'I',
} as const;

const SEPARATOR = '\u0001';
/** Longer strings are sent inline: looking them up costs more than sending them twice. */
const MAX_TABLE_STRING = 24;

/** AddressSet has no accessor for its interval sets; bracket access reaches them with their types checked. */
function familiesOf(set: AddressSet): { v4: IntervalSet; v6: IntervalSet } {
  return { v4: set['v4'], v6: set['v6'] };
}

function flatBounds(set: IntervalSet): bigint[] {
  const flat: bigint[] = [];
  for (const [lo, hi] of set.intervals) flat.push(lo, hi);
  return flat;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const RANGE_SHAPE = ['startLine', 'startColumn', 'endLine', 'endColumn'];

/** A node of the shape trie: field name → value tag → next node; a node that ends an object has an index. */
interface ShapeNode {
  index: number;
  /** Tags and names of the fields on the path to this node. */
  tags: string;
  keys: string[];
  next: Map<string, Map<string, ShapeNode>>;
  lastKey?: string;
  lastTag?: string;
  lastChild?: ShapeNode;
}

class Encoder {
  readonly strings: string[] = [];
  readonly shapes: string[] = [];
  readonly locations: number[] = [];
  readonly portSets: number[][] = [];
  readonly portSetKeys: string[] = [];
  readonly addressSets: Array<[bigint[], bigint[]]> = [];
  readonly addressSetKeys: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  // Shapes are found by walking a trie with the object's (key, tag) pairs: no string is built per object.
  private readonly shapeRoot: ShapeNode = { index: -1, tags: '', keys: [], next: new Map() };
  private readonly seen = new Map<object, number>();
  private sequence = 0;
  private readonly locationIndex = new Map<object, number>();
  private readonly portSetIndex = new Map<PortSet, number>();
  private readonly portSetByKey = new Map<string, number>();
  private readonly addressSetIndex = new Map<AddressSet, number>();
  private readonly addressSetByKey = new Map<string, number>();

  string(value: string): number {
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, index);
    }
    return index;
  }

  /** Appends the encoded value to `out` and returns its tag. */
  value(value: unknown, out: unknown[]): string {
    switch (typeof value) {
      case 'string':
        if (value.length > MAX_TABLE_STRING) {
          out.push(value);
          return TAG.rawString;
        }
        out.push(this.string(value));
        return TAG.string;
      case 'number':
        out.push(value);
        return TAG.number;
      case 'boolean':
        out.push(0);
        return value ? TAG.true : TAG.false;
      case 'undefined':
        out.push(0);
        return TAG.undefined;
      case 'bigint':
        out.push(value);
        return TAG.bigint;
      case 'object':
        if (value === null) {
          out.push(0);
          return TAG.null;
        }
        return this.object(value, out);
      default:
        throw new ModelCodecError(`cannot send a ${typeof value} value`);
    }
  }

  private object(value: object, out: unknown[]): string {
    const location = this.locationIndex.get(value);
    if (location !== undefined) {
      out.push(location);
      return TAG.location;
    }
    const previous = this.seen.get(value);
    if (previous !== undefined) {
      out.push(previous);
      return TAG.reference;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) return this.plainObject(value as Record<string, unknown>, out);
    if (prototype === Array.prototype) {
      const array = value as unknown[];
      this.seen.set(value, this.sequence++);
      let tags = '';
      const encoded: unknown[] = [0];
      // Holes and extra properties are not model data; a hole reads as undefined (JSON would not keep it either).
      for (let i = 0; i < array.length; i++) tags += this.value(array[i], encoded);
      encoded[0] = this.string(tags);
      out.push(encoded);
      return TAG.array;
    }
    if (value instanceof PortSet) {
      out.push(this.portSet(value));
      return TAG.portSet;
    }
    if (value instanceof AddressSet) {
      out.push(this.addressSet(value));
      return TAG.addressSet;
    }
    if (value instanceof IntervalSet) {
      out.push(flatBounds(value));
      return TAG.intervalSet;
    }
    throw new ModelCodecError(`cannot send an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'an unknown class'}`);
  }

  private plainObject(record: Record<string, unknown>, out: unknown[]): string {
    // Only objects whose first key is `file` can be locations: the others skip the shape test.
    for (const first in record) {
      if (first === 'file' && this.isLocation(record)) {
        const index = this.locations.length / 5;
        const range = record.range as Record<string, number>;
        this.locations.push(this.string(record.file as string), range.startLine!, range.startColumn!, range.endLine!, range.endColumn!);
        this.locationIndex.set(record, index);
        out.push(index);
        return TAG.location;
      }
      break;
    }
    this.seen.set(record, this.sequence++);
    const encoded: unknown[] = [0];
    let node = this.shapeRoot;
    for (const key in record) {
      const tag = this.value(record[key], encoded);
      // Objects of one kind follow the same path: the last step taken from a node is checked first.
      if (node.lastKey === key && node.lastTag === tag) {
        node = node.lastChild!;
        continue;
      }
      let byTag = node.next.get(key);
      if (!byTag) {
        byTag = new Map();
        node.next.set(key, byTag);
      }
      let child = byTag.get(tag);
      if (!child) {
        child = { index: -1, tags: node.tags + tag, keys: [...node.keys, key], next: new Map() };
        byTag.set(tag, child);
      }
      node.lastKey = key;
      node.lastTag = tag;
      node.lastChild = child;
      node = child;
    }
    if (node.index === -1) {
      node.index = this.shapes.length;
      this.shapes.push(node.tags + SEPARATOR + node.keys.join(SEPARATOR));
    }
    encoded[0] = node.index;
    out.push(encoded);
    return TAG.object;
  }

  /** `{ file: string, range: { startLine, startColumn, endLine, endColumn } }`, keys in that order, numbers only. */
  private isLocation(value: Record<string, unknown>): boolean {
    if (typeof value.file !== 'string') return false;
    const keys = Object.keys(value);
    if (keys.length !== 2 || keys[1] !== 'range') return false;
    const range = value.range;
    if (typeof range !== 'object' || range === null || !isPlainObject(range) || this.seen.has(range)) return false;
    const rangeKeys = Object.keys(range);
    if (rangeKeys.length !== 4) return false;
    for (let i = 0; i < 4; i++) {
      if (rangeKeys[i] !== RANGE_SHAPE[i] || typeof (range as Record<string, unknown>)[rangeKeys[i]!] !== 'number') return false;
    }
    return true;
  }

  private portSet(set: PortSet): number {
    let index = this.portSetIndex.get(set);
    if (index !== undefined) return index;
    const flat = set.ranges().flat();
    const key = flat.join(',');
    index = this.portSetByKey.get(key);
    if (index === undefined) {
      index = this.portSets.length;
      this.portSets.push(flat);
      this.portSetKeys.push(key);
      this.portSetByKey.set(key, index);
    }
    this.portSetIndex.set(set, index);
    return index;
  }

  private addressSet(set: AddressSet): number {
    let index = this.addressSetIndex.get(set);
    if (index !== undefined) return index;
    const { v4, v6 } = familiesOf(set);
    const key = setKey(v4, v6);
    index = this.addressSetByKey.get(key);
    if (index === undefined) {
      index = this.addressSets.length;
      this.addressSets.push([flatBounds(v4), flatBounds(v6)]);
      this.addressSetKeys.push(key);
      this.addressSetByKey.set(key, index);
    }
    this.addressSetIndex.set(set, index);
    return index;
  }
}

/** Canonical text of an address set's bounds: IPv4 in decimal, IPv6 in hex. */
function setKey(v4: IntervalSet, v6: IntervalSet): string {
  let key = '';
  for (const [lo, hi] of v4.intervals) key += `${Number(lo)}-${Number(hi)},`;
  key += '|';
  for (const [lo, hi] of v6.intervals) key += `${lo.toString(16)}-${hi.toString(16)},`;
  return key;
}

/** Encodes one parse result; throws ModelCodecError when it holds something that cannot be revived. */
export function encodeParseResult(result: ParseResult): EncodedParseResult {
  const encoder = new Encoder();
  const out: unknown[] = [];
  if (encoder.value(result, out) !== TAG.object) throw new ModelCodecError('a parse result must be a plain object');
  return {
    strings: encoder.strings,
    shapes: encoder.shapes,
    locations: encoder.locations,
    portSets: encoder.portSets,
    portSetKeys: encoder.portSetKeys,
    addressSets: encoder.addressSets,
    addressSetKeys: encoder.addressSetKeys,
    root: out[0] as unknown[],
  };
}

interface Shape {
  tags: string;
  keys: string[];
}

/**
 * Decodes messages from any number of workers. Sets are interned across messages: equal sets decode to one shared
 * instance (the canonical `ALL`/`EMPTY` constants where they match), so a scan holds each distinct set once.
 */
export class ModelDecoder {
  private readonly portSets = new Map<string, PortSet>([
    [PortSet.ALL.ranges().flat().join(','), PortSet.ALL],
    ['', PortSet.EMPTY],
  ]);
  private readonly addressSets = new Map<string, AddressSet>();

  constructor() {
    for (const set of [AddressSet.EMPTY, AddressSet.ALL, AddressSet.ALL_V4, AddressSet.ALL_V6]) {
      const { v4, v6 } = familiesOf(set);
      this.addressSets.set(setKey(v4, v6), set);
    }
  }

  decode(message: EncodedParseResult): ParseResult {
    const shapes: Shape[] = message.shapes.map((text) => {
      const parts = text.split(SEPARATOR);
      return { tags: parts[0]!, keys: parts.slice(1) };
    });
    const ports = message.portSets.map((flat, index) => this.portSet(message.portSetKeys[index]!, flat));
    const addresses = message.addressSets.map((bounds, index) => this.addressSet(message.addressSetKeys[index]!, bounds));
    const strings = message.strings;
    const flatLocations = message.locations;
    const locations: Array<{ file: string; range: { startLine: number; startColumn: number; endLine: number; endColumn: number } } | undefined> = new Array(flatLocations.length / 5);
    const objects: unknown[] = [];

    const location = (index: number): unknown => {
      let decoded = locations[index];
      if (!decoded) {
        const at = index * 5;
        decoded = {
          file: strings[flatLocations[at]!]!,
          range: { startLine: flatLocations[at + 1]!, startColumn: flatLocations[at + 2]!, endLine: flatLocations[at + 3]!, endColumn: flatLocations[at + 4]! },
        };
        locations[index] = decoded;
      }
      return decoded;
    };

    const value = (tag: string, encoded: unknown): unknown => {
      switch (tag) {
        case TAG.string:
          return strings[encoded as number];
        case TAG.rawString:
        case TAG.number:
        case TAG.bigint:
          return encoded;
        case TAG.true:
          return true;
        case TAG.false:
          return false;
        case TAG.null:
          return null;
        case TAG.undefined:
          return undefined;
        case TAG.location:
          return location(encoded as number);
        case TAG.portSet:
          return ports[encoded as number];
        case TAG.addressSet:
          return addresses[encoded as number];
        case TAG.intervalSet:
          return intervalSet(encoded as bigint[]);
        case TAG.reference:
          return objects[encoded as number];
        case TAG.array: {
          const cells = encoded as unknown[];
          const tags = strings[cells[0] as number]!;
          const array: unknown[] = new Array(tags.length);
          objects.push(array);
          for (let i = 0; i < tags.length; i++) array[i] = value(tags[i]!, cells[i + 1]);
          return array;
        }
        case TAG.object: {
          const cells = encoded as unknown[];
          const shape = shapes[cells[0] as number]!;
          const object: Record<string, unknown> = {};
          objects.push(object);
          const { tags, keys } = shape;
          for (let i = 0; i < keys.length; i++) object[keys[i]!] = value(tags[i]!, cells[i + 1]);
          return object;
        }
        default:
          throw new ModelCodecError(`unknown tag "${tag}"`);
      }
    };
    return value(TAG.object, message.root) as ParseResult;
  }

  private portSet(key: string, flat: number[]): PortSet {
    let set = this.portSets.get(key);
    if (!set) {
      const ranges: Array<[number, number]> = [];
      for (let i = 0; i < flat.length; i += 2) ranges.push([flat[i]!, flat[i + 1]!]);
      set = PortSet.fromRanges(ranges);
      this.portSets.set(key, set);
    }
    return set;
  }

  private addressSet(key: string, bounds: [bigint[], bigint[]]): AddressSet {
    let set = this.addressSets.get(key);
    if (!set) {
      const pieces: AddressSet[] = [];
      bounds.forEach((flat, family) => {
        for (let i = 0; i < flat.length; i += 2) pieces.push(AddressSet.fromInterval(family === 0 ? 4 : 6, flat[i]!, flat[i + 1]!));
      });
      set = unionAll(pieces);
      this.addressSets.set(key, set);
    }
    return set;
  }
}

/** Union of many sets as a balanced tree: n log n interval work where a left fold would be quadratic. */
function unionAll(sets: AddressSet[]): AddressSet {
  if (sets.length === 0) return AddressSet.EMPTY;
  let level = sets;
  while (level.length > 1) {
    const next: AddressSet[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i]!.union(level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

function intervalSet(flat: bigint[]): IntervalSet {
  const intervals: Array<[bigint, bigint]> = [];
  for (let i = 0; i < flat.length; i += 2) intervals.push([flat[i]!, flat[i + 1]!]);
  return IntervalSet.of(intervals);
}

/** Encode then decode in one thread: what the main thread sees of a worker's result (tests use it). */
export function roundTripParseResult(result: ParseResult): ParseResult {
  return new ModelDecoder().decode(encodeParseResult(result));
}
