import { formatAddress } from '../../../model/address-set';
import type { SourceRange } from '../../../model/location';
import {
  boolValue,
  decimalArithmetic,
  firstUnknown,
  formatNumber,
  fromJs,
  listValue,
  NULL,
  numberValue,
  objectValue,
  parseDecimal,
  partialList,
  partialMap,
  partialSet,
  setValue,
  stringValue,
  unknownValue,
  valuesEqual,
  withoutKnownItems,
  type ListValue,
  type ObjectValue,
  type UnknownValue,
  type Value,
} from './value';
import { translateRe2 } from '../../shared/re2-pattern';

/** Where a function is called from: failures and unsupported cases become unknowns located here. */
export interface CallSite {
  name: string;
  text: string;
  range: SourceRange;
}

type HclFunction = (args: Value[], call: CallSite) => Value;

/**
 * Calls a Terraform built-in. Unknown or reference arguments give an unknown result (except for the functions
 * that pass values through); an unsupported function gives an unknown carrying the call's text, without error.
 */
export function callFunction(name: string, args: Value[], call: CallSite): Value {
  const entry = FUNCTIONS.get(name);
  if (!entry) return unknownValue(call.text, call.range);
  if (!entry.acceptsUnknowns) {
    for (const arg of args) {
      if (arg.kind === 'unknown') return withoutKnownItems(arg);
      if (arg.kind === 'ref') return unknownValue(arg.text, arg.range);
    }
  }
  if (args.length < entry.minArgs || args.length > entry.maxArgs) {
    const expected = entry.minArgs === entry.maxArgs ? `${entry.minArgs}` : entry.maxArgs === Infinity ? `at least ${entry.minArgs}` : `${entry.minArgs} to ${entry.maxArgs}`;
    return fail(call, `expects ${expected} argument${entry.maxArgs === 1 ? '' : 's'}, got ${args.length}`);
  }
  const result = entry.fn(args, call);
  return result.kind === 'unknown' && !entry.keepsKnownItems ? withoutKnownItems(result) : result;
}

/** Whether `evaluate` computes the pure function `name` (`file` and the other functions reading files aside). */
export function isSupportedFunction(name: string): boolean {
  return FUNCTIONS.has(name);
}

/** Names of the functions `evaluate` implements (others evaluate to unknown). */
export function supportedFunctions(): string[] {
  return [...FUNCTIONS.keys()].sort();
}

/** An evaluation error, e.g. `element([], 0)`; `try` and `can` recognise these. */
function fail(call: CallSite, message: string): UnknownValue {
  return unknownValue(call.text, call.range, `${call.name}: ${message}`);
}

/** Not computed statically (e.g. a regular expression), but not an error either. */
function notComputed(call: CallSite): UnknownValue {
  return unknownValue(call.text, call.range);
}

function describe(value: Value): string {
  return value.kind === 'null' ? 'null' : value.kind === 'list' ? 'list' : value.kind === 'object' ? 'object' : value.kind;
}

/** Primitive-to-string conversion Terraform applies to string parameters; null for non-primitives. */
function asString(value: Value): string | null {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number') return formatNumber(value.value);
  if (value.kind === 'bool') return value.value ? 'true' : 'false';
  return null;
}

function asNumber(value: Value): number | null {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'string') return parseDecimal(value.value);
  return null;
}

function asInteger(value: Value): number | null {
  const n = asNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first evaluation error anywhere inside `value` (unresolved unknowns are not errors). */
function firstError(value: Value): UnknownValue | null {
  if (value.kind === 'unknown') return value.error !== undefined ? value : null;
  if (value.kind === 'list') {
    for (const item of value.items) {
      const found = firstError(item);
      if (found) return found;
    }
  } else if (value.kind === 'object') {
    for (const item of value.entries.values()) {
      const found = firstError(item);
      if (found) return found;
    }
  }
  return null;
}

function asUnknown(value: Value): UnknownValue {
  return value.kind === 'unknown' ? value : unknownValue((value as { text: string }).text, (value as { range: SourceRange }).range);
}

// ---- collections ---------------------------------------------------------------------------------------------

function requireList(value: Value, call: CallSite, what = 'argument'): ListValue | UnknownValue {
  return value.kind === 'list' ? value : fail(call, `${what} must be a list, not ${describe(value)}`);
}

function requireObject(value: Value, call: CallSite, what = 'argument'): ObjectValue | UnknownValue {
  return value.kind === 'object' ? value : fail(call, `${what} must be a map or object, not ${describe(value)}`);
}

/**
 * A list argument as its known elements and, when its length is unknown, the unknown standing for the rest
 * (`UnknownValue.knownItems`); or the error it is.
 */
function listParts(value: Value, call: CallSite, what = 'argument'): { items: Value[]; rest?: UnknownValue } | UnknownValue {
  if (value.kind === 'list') return { items: value.items };
  if (value.kind === 'unknown') return value.error !== undefined ? value : { items: value.knownItems ?? [], rest: value };
  if (value.kind === 'ref') return { items: [], rest: unknownValue(value.text, value.range) };
  return fail(call, `${what} must be a list, not ${describe(value)}`);
}

/** The known elements of every argument in order, and the first unknown part among them (the rest's length is unknown). */
function joinedListParts(args: Value[], call: CallSite): { items: Value[]; rest?: UnknownValue } | UnknownValue {
  const items: Value[] = [];
  let rest: UnknownValue | undefined;
  for (const arg of args) {
    const parts = listParts(arg, call);
    if ('kind' in parts) return parts;
    items.push(...parts.items);
    rest ??= parts.rest;
  }
  return rest ? { items, rest } : { items };
}

/** `items` flattened into `out`; returns the first unknown element (the flattened length is then unknown), or an error. */
function flattenInto(items: Value[], out: Value[]): { rest?: UnknownValue; error?: UnknownValue } {
  let rest: UnknownValue | undefined;
  for (const item of items) {
    if (item.kind === 'list' || (item.kind === 'unknown' && item.error === undefined)) {
      // An unknown element might itself be a list, so the flattened length is unknown; its known elements are in it.
      if (item.kind === 'unknown') rest ??= item;
      const inner = flattenInto(item.kind === 'list' ? item.items : item.knownItems ?? [], out);
      if (inner.error) return inner;
      rest ??= inner.rest;
    } else if (item.kind === 'unknown') {
      return { error: item };
    } else {
      out.push(item);
    }
  }
  return rest ? { rest } : {};
}

/** Removes later duplicates; elements whose equality cannot be decided are kept. */
function distinctItems(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const item of items) {
    if (!out.some((seen) => valuesEqual(seen, item) === true)) out.push(item);
  }
  return out;
}

/** cty sets iterate strings lexically and numbers numerically; mixed or unknown content keeps its order. */
function setOrder(items: Value[]): Value[] {
  if (items.length > 0 && items.every((item) => item.kind === 'string')) {
    return [...items].sort((a, b) => compareStrings((a as { value: string }).value, (b as { value: string }).value));
  }
  if (items.length > 0 && items.every((item) => item.kind === 'number')) {
    return [...items].sort((a, b) => (a as { value: number }).value - (b as { value: number }).value);
  }
  return items;
}

const MAX_GENERATED_ELEMENTS = 100_000;

// ---- strings -------------------------------------------------------------------------------------------------

/** Go's encoding/json string escaping, which Terraform's jsonencode uses (it escapes <, > and & too). */
function jsonString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escaped: string | null = null;
    if (c === 0x22) escaped = '\\"';
    else if (c === 0x5c) escaped = '\\\\';
    else if (c === 0x0a) escaped = '\\n';
    else if (c === 0x0d) escaped = '\\r';
    else if (c === 0x09) escaped = '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      escaped = '\\u' + c.toString(16).padStart(4, '0');
    }
    if (escaped !== null) {
      out += s.slice(from, i) + escaped;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

function jsonEncode(value: Value): string | UnknownValue {
  switch (value.kind) {
    case 'string':
      return jsonString(value.value);
    case 'number':
      return formatNumber(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'list': {
      const parts: string[] = [];
      for (const item of value.items) {
        const encoded = jsonEncode(item);
        if (typeof encoded !== 'string') return encoded;
        parts.push(encoded);
      }
      return `[${parts.join(',')}]`;
    }
    case 'object': {
      const parts: string[] = [];
      for (const key of [...value.entries.keys()].sort(compareStrings)) {
        const encoded = jsonEncode(value.entries.get(key)!);
        if (typeof encoded !== 'string') return encoded;
        parts.push(`${jsonString(key)}:${encoded}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return asUnknown(value);
  }
}

/** Terraform `format`: the common verbs %s %d %f %v %q %t with flags, width and precision; others are not computed. */
function formatString(spec: string, args: Value[], call: CallSite): Value {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c !== '%') {
      const next = spec.indexOf('%', i);
      const end = next < 0 ? spec.length : next;
      out += spec.slice(i, end);
      i = end;
      continue;
    }
    i++;
    if (spec[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let flags = '';
    while (i < spec.length && '-+ 0#'.includes(spec[i])) flags += spec[i++];
    let width = '';
    while (i < spec.length && spec[i] >= '0' && spec[i] <= '9') width += spec[i++];
    let precision: number | null = null;
    if (spec[i] === '.') {
      i++;
      let digits = '';
      while (i < spec.length && spec[i] >= '0' && spec[i] <= '9') digits += spec[i++];
      precision = digits === '' ? 0 : Number(digits);
    }
    const verb = spec[i++];
    if (verb === undefined) return fail(call, 'format string ends with an incomplete verb');
    if (!'sdfvqt'.includes(verb)) return notComputed(call);
    if (argIndex >= args.length) return fail(call, `not enough arguments for the format string`);
    const arg = args[argIndex++];
    let text: string;
    switch (verb) {
      case 's': {
        const s = asString(arg);
        if (s === null) return fail(call, `%s needs a string, not ${describe(arg)}`);
        text = precision === null ? s : s.slice(0, precision);
        break;
      }
      case 'd': {
        const n = asInteger(arg);
        if (n === null) return fail(call, `%d needs a whole number`);
        text = formatNumber(Math.abs(n));
        if (n < 0) text = '-' + text;
        else if (flags.includes('+')) text = '+' + text;
        break;
      }
      case 'f': {
        const n = asNumber(arg);
        if (n === null) return fail(call, `%f needs a number`);
        text = n.toFixed(precision ?? 6);
        if (n >= 0 && flags.includes('+')) text = '+' + text;
        break;
      }
      case 't':
        if (arg.kind !== 'bool') return fail(call, `%t needs a bool`);
        text = arg.value ? 'true' : 'false';
        break;
      case 'q': {
        const s = asString(arg);
        if (s === null) return fail(call, `%q needs a string`);
        text = jsonString(s);
        break;
      }
      default: {
        // %v: primitives as with %s, collections as JSON (Terraform renders them the same way).
        const s = arg.kind === 'list' || arg.kind === 'object' ? jsonEncode(arg) : arg.kind === 'null' ? 'null' : asString(arg);
        if (s === null) return fail(call, `%v cannot format ${describe(arg)}`);
        if (typeof s !== 'string') return s;
        text = s;
      }
    }
    const padTo = width === '' ? 0 : Number(width);
    if (text.length < padTo) {
      const padding = padTo - text.length;
      if (flags.includes('-')) {
        text += ' '.repeat(padding);
      } else if (flags.includes('0') && 'df'.includes(verb)) {
        const sign = text.startsWith('-') || text.startsWith('+') ? text[0] : '';
        text = sign + '0'.repeat(padding) + text.slice(sign.length);
      } else {
        text = ' '.repeat(padding) + text;
      }
    }
    out += text;
  }
  return stringValue(out);
}

// ---- IP addresses (cidrsubnet, cidrhost, cidrnetmask, cidrsubnets) -------------------------------------------

interface Cidr {
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
  bits: 32 | 128;
}

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  let head = text;
  let tailV4: bigint | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const group of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const left = parseGroups(halves[0]);
  const right = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  if (tailV4 !== null) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const isV6 = address.includes(':');
  const bits: 32 | 128 = isV6 ? 128 : 32;
  const value = isV6 ? parseIPv6(address) : parseIPv4(address);
  if (value === null || prefix > bits) return null;
  return { network: value & ~hostMask(bits, prefix), prefix, bits };
}

function hostMask(bits: number, prefix: number): bigint {
  return (1n << BigInt(bits - prefix)) - 1n;
}

/** Go's net.IP.String and RFC 5952 agree (first longest zero run compressed): the model's formatter serves both. */
function formatIP(value: bigint, bits: 32 | 128): string {
  return formatAddress(value, bits === 32 ? 4 : 6);
}

function cidrArgument(value: Value, call: CallSite): Cidr | UnknownValue {
  const text = asString(value);
  const cidr = text === null ? null : parseCidr(text);
  return cidr ?? fail(call, `invalid CIDR address ${JSON.stringify(text ?? describe(value))}`);
}

// ---- regular expressions ------------------------------------------------------------------------------------

interface RegexMatcher {
  regexp: RegExp;
  groupNames: ReadonlyArray<string | undefined>;
  text: string;
}

/** The pattern as a JS RegExp and the string to match, or the unknown/error `regex`/`regexall` give instead. */
function regexMatcher(pattern: Value, value: Value, call: CallSite): RegexMatcher | UnknownValue {
  const source = asString(pattern);
  const text = asString(value);
  if (source === null || text === null) return fail(call, 'arguments must be strings');
  const translated = translateRe2(source);
  // A pattern fwlint does not translate (or that is not RE2) stays unresolved rather than an error: `can()` of it
  // must not decide a condition on fwlint's limits.
  if (translated.kind === 'refused' || !translated.isWithinBudget(text.length)) return notComputed(call);
  const { groupNames } = translated;
  if (groupNames.some((name) => name === undefined) && groupNames.some((name) => name !== undefined)) {
    return fail(call, 'regex pattern must use either all named or all unnamed capture groups');
  }
  return { regexp: translated.regexp, groupNames, text };
}

/** Terraform's result for one match: the matched text, a list of the groups, or an object of the named groups. */
function matchValue(match: RegExpExecArray, groupNames: ReadonlyArray<string | undefined>): Value {
  if (groupNames.length === 0) return stringValue(match[0]);
  // A group that took no part in the match is null.
  const captures = groupNames.map((_, index) => (match[index + 1] === undefined ? NULL : stringValue(match[index + 1]!)));
  if (groupNames[0] === undefined) return listValue(captures);
  return objectValue(new Map(groupNames.map((name, index) => [name!, captures[index]!])));
}

// ---- the table -----------------------------------------------------------------------------------------------

interface FunctionEntry {
  fn: HclFunction;
  minArgs: number;
  maxArgs: number;
  /** Receives unknown and reference arguments itself instead of short-circuiting to unknown. */
  acceptsUnknowns: boolean;
  /** May return a list of unknown length with known elements (`UnknownValue.knownItems`); others never do. */
  keepsKnownItems: boolean;
}

const FUNCTIONS = new Map<string, FunctionEntry>();

function define(name: string, minArgs: number, maxArgs: number, fn: HclFunction, acceptsUnknowns = false, keepsKnownItems = false): void {
  FUNCTIONS.set(name, { fn, minArgs, maxArgs, acceptsUnknowns, keepsKnownItems });
}

/**
 * A function building a collection from collections: given lists of unknown length (maps of unknown keys), its result
 * keeps their known elements (entries).
 */
function defineListBuilder(name: string, minArgs: number, maxArgs: number, fn: HclFunction): void {
  FUNCTIONS.set(name, { fn, minArgs, maxArgs, acceptsUnknowns: true, keepsKnownItems: true });
}

/** The list of `items`, of unknown length when there is an unknown `rest`. */
function listResult(items: Value[], rest: UnknownValue | undefined): Value {
  return rest ? partialList(rest, items) : listValue(items);
}

/** The elements of known lists, or the first unknown among them (set operations need every element). */
function decidedItems(lists: ListValue[]): Value[][] | UnknownValue {
  for (const list of lists) {
    const unknown = firstUnknown(list);
    if (unknown) return withoutKnownItems(asUnknown(unknown));
  }
  return lists.map((list) => list.items);
}

function stringFunction(name: string, transform: (s: string) => string): void {
  define(name, 1, 1, ([value], call) => {
    const s = asString(value);
    return s === null ? fail(call, `argument must be a string, not ${describe(value)}`) : stringValue(transform(s));
  });
}

define('length', 1, 1, ([value], call) => {
  if (value.kind === 'list') return numberValue(value.items.length);
  if (value.kind === 'object') return numberValue(value.entries.size);
  if (value.kind === 'string') return numberValue([...value.value].length);
  return fail(call, `cannot take the length of ${describe(value)}`);
});

defineListBuilder('concat', 1, Infinity, (args, call) => {
  const parts = joinedListParts(args, call);
  return 'kind' in parts ? parts : listResult(parts.items, parts.rest);
});

defineListBuilder('flatten', 1, 1, ([value], call) => {
  const parts = listParts(value, call);
  if ('kind' in parts) return parts;
  const out: Value[] = [];
  const flattened = flattenInto(parts.items, out);
  return flattened.error ?? listResult(out, parts.rest ?? flattened.rest);
});

defineListBuilder('tolist', 1, 1, ([value], call) => {
  if (value.kind === 'list') return value.isSet ? listValue(value.items) : value;
  // A set of unknown size becomes a list: its known elements' indexes are unknown.
  if (value.kind === 'unknown') return value.knownItemsFormSet ? partialList(value, value.knownItems ?? []) : value;
  if (value.kind === 'ref') return unknownValue(value.text, value.range);
  return value.kind === 'null' ? value : fail(call, `cannot convert ${describe(value)} to a list`);
});

defineListBuilder('toset', 1, 1, ([value], call) => {
  if (value.kind === 'null') return value;
  const parts = listParts(value, call);
  if ('kind' in parts) return parts;
  const items = distinctItems(parts.items);
  return parts.rest ? partialSet(parts.rest, items) : setValue(setOrder(items));
});

defineListBuilder('setunion', 1, Infinity, (args, call) => {
  const parts = joinedListParts(args, call);
  if ('kind' in parts) return parts;
  const distinct = distinctItems(parts.items);
  return parts.rest ? partialSet(parts.rest, distinct) : setValue(setOrder(distinct));
});

// Which elements are in an intersection or a difference depends on every element, so an unknown gives an unknown.
define('setintersection', 1, Infinity, (args, call) => {
  const lists: ListValue[] = [];
  for (const arg of args) {
    const list = requireList(arg, call);
    if (list.kind !== 'list') return list;
    lists.push(list);
  }
  const decided = decidedItems(lists);
  if ('kind' in decided) return decided;
  const [first, ...others] = decided;
  return setValue(setOrder(distinctItems(first.filter((item) => others.every((other) => other.some((o) => valuesEqual(o, item) === true))))));
});

define('setsubtract', 2, 2, ([from, remove], call) => {
  const fromList = requireList(from, call, 'first argument');
  if (fromList.kind !== 'list') return fromList;
  const removeList = requireList(remove, call, 'second argument');
  if (removeList.kind !== 'list') return removeList;
  const decided = decidedItems([fromList, removeList]);
  if ('kind' in decided) return decided;
  return setValue(setOrder(distinctItems(decided[0].filter((item) => !decided[1].some((o) => valuesEqual(o, item) === true)))));
});

define('tomap', 1, 1, ([value], call) => (value.kind === 'object' || value.kind === 'null' ? value : fail(call, `cannot convert ${describe(value)} to a map`)));

// Terraform's marks: the evaluator notes `sensitive(x)` as sensitive and `nonsensitive(x)` as not (Value.sensitive).
define('sensitive', 1, 1, ([value]) => value, true, true);
define('nonsensitive', 1, 1, ([value]) => {
  if (value.sensitive === undefined) return value;
  const { sensitive: _mark, ...unmarked } = value;
  return unmarked as Value;
}, true, true);

define('tostring', 1, 1, ([value], call) => {
  if (value.kind === 'string' || value.kind === 'null' || value.kind === 'unknown' || value.kind === 'ref') return value;
  const s = asString(value);
  return s === null ? fail(call, `cannot convert ${describe(value)} to a string`) : stringValue(s);
}, true);

define('tonumber', 1, 1, ([value], call) => {
  if (value.kind === 'null') return value;
  const n = asNumber(value);
  return n === null ? fail(call, `cannot convert ${value.kind === 'string' ? JSON.stringify(value.value) : describe(value)} to a number`) : numberValue(n);
});

define('tobool', 1, 1, ([value], call) => {
  if (value.kind === 'null' || value.kind === 'bool') return value;
  if (value.kind === 'string' && (value.value === 'true' || value.value === 'false')) return boolValue(value.value === 'true');
  return fail(call, `cannot convert ${describe(value)} to a bool`);
});

define('lookup', 2, 3, ([map, key, fallback], call) => {
  if (map!.kind === 'unknown' && map!.error !== undefined) return map!;
  if (key!.kind === 'unknown' || key!.kind === 'ref') return asUnknown(key!);
  // An element of a map not known statically is unresolved as the element (`lookup(var.sg_ids, "web")`), not as the
  // whole map: `lookup(var.sg_ids, "db")` reads another.
  if (map!.kind === 'unknown' || map!.kind === 'ref') return notComputed(call);
  const object = requireObject(map, call, 'first argument');
  if (object.kind !== 'object') return object;
  const name = asString(key);
  if (name === null) return fail(call, 'the key must be a string');
  const found = object.entries.get(name);
  if (found !== undefined) return found;
  return fallback ?? fail(call, `no element for key ${JSON.stringify(name)} and no default`);
}, true);

defineListBuilder('merge', 0, Infinity, (args, call) => {
  let entries = new Map<string, Value>();
  let rest: UnknownValue | undefined;
  for (const arg of args) {
    if (arg.kind === 'null') continue;
    if (arg.kind === 'unknown' || arg.kind === 'ref') {
      if (arg.kind === 'unknown' && arg.error !== undefined) return arg;
      // A later argument wins: a map of unknown keys may replace any entry so far, so only its own known ones stay.
      rest ??= asUnknown(arg);
      entries = new Map(arg.kind === 'unknown' ? arg.knownEntries ?? [] : []);
      continue;
    }
    const object = requireObject(arg, call);
    if (object.kind !== 'object') return object;
    for (const [key, value] of object.entries) entries.set(key, value);
  }
  return rest ? partialMap(rest, entries) : { kind: 'object', entries };
});

define('element', 2, 2, ([value, index], call) => {
  const list = requireList(value, call, 'first argument');
  if (list.kind !== 'list') return list;
  const i = asInteger(index);
  if (i === null || i < 0) return fail(call, 'the index must be a non-negative whole number');
  if (list.items.length === 0) return fail(call, 'cannot use element on an empty list');
  return list.items[i % list.items.length];
});

define('keys', 1, 1, ([value], call) => {
  const object = requireObject(value, call);
  if (object.kind !== 'object') return object;
  return listValue([...object.entries.keys()].sort(compareStrings).map(stringValue));
});

define('values', 1, 1, ([value], call) => {
  const object = requireObject(value, call);
  if (object.kind !== 'object') return object;
  return listValue([...object.entries.keys()].sort(compareStrings).map((key) => object.entries.get(key)!));
});

defineListBuilder('distinct', 1, 1, ([value], call) => {
  const parts = listParts(value, call);
  if ('kind' in parts) return parts;
  return listResult(distinctItems(parts.items), parts.rest);
});

defineListBuilder('compact', 1, 1, ([value], call) => {
  const parts = listParts(value, call);
  if ('kind' in parts) return parts;
  const out: Value[] = [];
  let rest = parts.rest;
  for (const item of parts.items) {
    if (item.kind === 'unknown') {
      if (item.error !== undefined) return item;
      // An unknown element might be "" (dropped) or not, so the result's length is unknown; the others are kept.
      rest ??= item;
      continue;
    }
    if (item.kind === 'null' || (item.kind === 'string' && item.value === '')) continue;
    if (item.kind !== 'string' && item.kind !== 'ref') return fail(call, `elements must be strings, not ${describe(item)}`);
    out.push(item);
  }
  return listResult(out, rest);
});

define('coalesce', 1, Infinity, (args) => {
  // An unresolved argument may be "" or null: which one is taken is unknown. A resource's attribute (an id) is never
  // empty, so `coalesce(var.existing_sg, aws_security_group.x.id)` with `existing_sg = ""` is the group's id.
  const unknown = args.find((arg) => arg.kind === 'unknown');
  if (unknown !== undefined) return unknown;
  for (const arg of args) {
    if (arg.kind === 'null' || (arg.kind === 'string' && arg.value === '')) continue;
    return arg;
  }
  return NULL;
}, true);

defineListBuilder('coalescelist', 1, Infinity, (args, call) => {
  for (const arg of args) {
    const parts = listParts(arg, call);
    if ('kind' in parts) return parts;
    // A list of unknown length with a known element is not empty; without one it may or may not be.
    if (parts.items.length > 0) return arg;
    if (parts.rest) return parts.rest;
  }
  return listValue([]);
});

define('contains', 2, 2, ([value, wanted], call) => {
  const list = requireList(value, call, 'first argument');
  if (list.kind !== 'list') return list;
  let undecided: Value | null = null;
  for (const item of list.items) {
    const equal = valuesEqual(item, wanted);
    if (equal === true) return boolValue(true);
    if (equal === null && undecided === null) undecided = firstUnknown(item) ?? item;
  }
  return undecided ? asUnknown(undecided) : boolValue(false);
});

define('join', 2, 2, ([separator, value], call) => {
  const sep = asString(separator);
  if (sep === null) return fail(call, 'the separator must be a string');
  const list = requireList(value, call, 'second argument');
  if (list.kind !== 'list') return list;
  const only = onlyReferenceJoined(list.items, sep);
  if (only !== undefined) return only;
  const parts: string[] = [];
  for (const item of list.items) {
    if (item.kind === 'unknown' || item.kind === 'ref') return asUnknown(item);
    const s = asString(item);
    if (s === null) return fail(call, `elements must be strings, not ${describe(item)}`);
    parts.push(s);
  }
  return stringValue(parts.join(sep));
});

/**
 * The resource attribute a `join` gives when it joins one reference to nothing (`join("", aws_security_group.x.*.id)`,
 * the idiom for a group toggled by `count`, or a single item): the joined string is that attribute, so the result is
 * the reference itself and still names its resource. Undefined when anything else is part of the string.
 */
function onlyReferenceJoined(items: readonly Value[], separator: string): Value | undefined {
  let reference: Value | undefined;
  for (const item of items) {
    if (item.kind === 'ref' && item.attribute !== null && reference === undefined) reference = item;
    else if (!(item.kind === 'string' && item.value === '' && separator === '' && item.sensitive === undefined)) return undefined;
  }
  return reference;
}

define('split', 2, 2, ([separator, value], call) => {
  const sep = asString(separator);
  const s = asString(value);
  if (sep === null || s === null) return fail(call, 'arguments must be strings');
  if (s === '') return listValue([]);
  return listValue(s.split(sep).map(stringValue));
});

define('format', 1, Infinity, ([spec, ...rest], call) => {
  const s = asString(spec);
  return s === null ? fail(call, 'the format must be a string') : formatString(s, rest, call);
});

stringFunction('lower', (s) => s.toLowerCase());
stringFunction('upper', (s) => s.toUpperCase());
stringFunction('trimspace', (s) => s.trim());
stringFunction('chomp', (s) => {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 10 || s.charCodeAt(end - 1) === 13)) end--;
  return s.slice(0, end);
});

define('trim', 2, 2, ([value, cutset], call) => {
  const s = asString(value);
  const cut = asString(cutset);
  if (s === null || cut === null) return fail(call, 'arguments must be strings');
  const chars = new Set([...cut]);
  const runes = [...s];
  let a = 0;
  let b = runes.length;
  while (a < b && chars.has(runes[a])) a++;
  while (b > a && chars.has(runes[b - 1])) b--;
  return stringValue(runes.slice(a, b).join(''));
});

define('trimprefix', 2, 2, ([value, prefix], call) => {
  const s = asString(value);
  const p = asString(prefix);
  if (s === null || p === null) return fail(call, 'arguments must be strings');
  return stringValue(s.startsWith(p) ? s.slice(p.length) : s);
});

define('trimsuffix', 2, 2, ([value, suffix], call) => {
  const s = asString(value);
  const p = asString(suffix);
  if (s === null || p === null) return fail(call, 'arguments must be strings');
  return stringValue(p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
});

define('startswith', 2, 2, ([value, prefix], call) => {
  const s = asString(value);
  const p = asString(prefix);
  return s === null || p === null ? fail(call, 'arguments must be strings') : boolValue(s.startsWith(p));
});

define('endswith', 2, 2, ([value, suffix], call) => {
  const s = asString(value);
  const p = asString(suffix);
  return s === null || p === null ? fail(call, 'arguments must be strings') : boolValue(s.endsWith(p));
});

define('strcontains', 2, 2, ([value, part], call) => {
  const s = asString(value);
  const p = asString(part);
  return s === null || p === null ? fail(call, 'arguments must be strings') : boolValue(s.includes(p));
});

define('regex', 2, 2, ([pattern, value], call) => {
  const matcher = regexMatcher(pattern, value, call);
  if ('kind' in matcher) return matcher;
  const match = matcher.regexp.exec(matcher.text);
  // Terraform: no match is an error, so `can(regex(…))` is false.
  return match ? matchValue(match, matcher.groupNames) : fail(call, 'pattern did not match any part of the given string');
});

define('regexall', 2, 2, ([pattern, value], call) => {
  const matcher = regexMatcher(pattern, value, call);
  if ('kind' in matcher) return matcher;
  const global = new RegExp(matcher.regexp.source, `${matcher.regexp.flags}g`);
  const matches: Value[] = [];
  let previousEnd = -1;
  for (let match = global.exec(matcher.text); match; match = global.exec(matcher.text)) {
    const end = match.index + match[0].length;
    if (match[0] === '') {
      // Step past an empty match by a whole code point; Go skips an empty match right after the previous match.
      global.lastIndex = end + (matcher.text.codePointAt(end)! > 0xffff ? 2 : 1);
      if (match.index === previousEnd) continue;
    }
    matches.push(matchValue(match, matcher.groupNames));
    previousEnd = end;
  }
  return listValue(matches);
});

define('replace', 3, 3, ([value, search, replacement], call) => {
  const s = asString(value);
  const find = asString(search);
  const by = asString(replacement);
  if (s === null || find === null || by === null) return fail(call, 'arguments must be strings');
  // Terraform treats a search string wrapped in slashes as an RE2 regular expression; not evaluated here.
  if (find.length > 1 && find.startsWith('/') && find.endsWith('/')) return notComputed(call);
  if (find === '') return stringValue(s);
  return stringValue(s.split(find).join(by));
});

define('substr', 3, 3, ([value, offset, length], call) => {
  const s = asString(value);
  let from = asInteger(offset);
  const count = asInteger(length);
  if (s === null || from === null || count === null) return fail(call, 'expects a string, an offset and a length');
  const runes = [...s];
  if (from < 0) from = Math.max(0, runes.length + from);
  const to = count < 0 ? runes.length : Math.min(runes.length, from + count);
  return stringValue(runes.slice(from, to).join(''));
});

define('range', 1, 3, (args, call) => {
  const numbers = args.map(asNumber);
  if (numbers.some((n) => n === null)) return fail(call, 'arguments must be numbers');
  const given = numbers as number[];
  const start = given.length === 1 ? 0 : given[0];
  const limit = given.length === 1 ? given[0] : given[1];
  const step = given.length === 3 ? given[2] : start <= limit ? 1 : -1;
  if (step === 0) return fail(call, 'step must not be zero');
  if ((step > 0 && start > limit) || (step < 0 && start < limit)) return fail(call, 'step goes away from the limit');
  const out: Value[] = [];
  for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
    // Terraform caps range() at 1024 elements.
    if (out.length >= 1024) return fail(call, 'more than 1024 elements');
    out.push(numberValue(n));
  }
  return listValue(out);
});

define('try', 1, Infinity, (args, call) => {
  for (const arg of args) {
    if (firstError(arg)) continue;
    // An unresolved argument may or may not fail once known, so the result is unresolved too (Terraform's try).
    return arg;
  }
  return fail(call, 'no argument evaluated without errors');
}, true, true);

define('can', 1, 1, ([value]) => {
  if (firstError(value)) return boolValue(false);
  if (value.kind === 'unknown') return value;
  return boolValue(true);
}, true);

define('jsonencode', 1, 1, ([value]) => {
  const encoded = jsonEncode(value);
  return typeof encoded === 'string' ? stringValue(encoded) : encoded;
});

define('min', 1, Infinity, (args, call) => {
  const numbers = args.map(asNumber);
  if (numbers.some((n) => n === null)) return fail(call, 'arguments must be numbers');
  return numberValue(Math.min(...(numbers as number[])));
});

define('max', 1, Infinity, (args, call) => {
  const numbers = args.map(asNumber);
  if (numbers.some((n) => n === null)) return fail(call, 'arguments must be numbers');
  return numberValue(Math.max(...(numbers as number[])));
});

define('abs', 1, 1, ([value], call) => {
  const n = asNumber(value);
  return n === null ? fail(call, 'argument must be a number') : numberValue(Math.abs(n));
});

define('ceil', 1, 1, ([value], call) => {
  const n = asNumber(value);
  return n === null ? fail(call, 'argument must be a number') : numberValue(Math.ceil(n));
});

define('floor', 1, 1, ([value], call) => {
  const n = asNumber(value);
  return n === null ? fail(call, 'argument must be a number') : numberValue(Math.floor(n));
});

define('sum', 1, 1, ([value], call) => {
  const list = requireList(value, call);
  if (list.kind !== 'list') return list;
  if (list.items.length === 0) return fail(call, 'cannot sum an empty list');
  let total = 0;
  for (const item of list.items) {
    if (item.kind === 'unknown' || item.kind === 'ref') return asUnknown(item);
    const n = asNumber(item);
    if (n === null) return fail(call, 'elements must be numbers');
    total = decimalArithmetic('+', total, n);
  }
  return numberValue(total);
});

define('zipmap', 2, 2, ([keys, values], call) => {
  const keyList = requireList(keys, call, 'first argument');
  if (keyList.kind !== 'list') return keyList;
  const valueList = requireList(values, call, 'second argument');
  if (valueList.kind !== 'list') return valueList;
  if (keyList.items.length !== valueList.items.length) return fail(call, 'the lists must have the same length');
  const entries = new Map<string, Value>();
  for (let i = 0; i < keyList.items.length; i++) {
    const key = keyList.items[i];
    if (key.kind === 'unknown' || key.kind === 'ref') return asUnknown(key);
    const name = asString(key);
    if (name === null) return fail(call, 'keys must be strings');
    entries.set(name, valueList.items[i]);
  }
  return { kind: 'object', entries };
});

define('setproduct', 1, Infinity, (args, call) => {
  let product: Value[][] = [[]];
  for (const arg of args) {
    const list = requireList(arg, call);
    if (list.kind !== 'list') return list;
    if (product.length * list.items.length > MAX_GENERATED_ELEMENTS) return notComputed(call);
    product = product.flatMap((prefix) => list.items.map((item) => [...prefix, item]));
  }
  return listValue(product.map(listValue));
});

define('one', 1, 1, ([value], call) => {
  // `one(data.aws_security_group.db[*].id)` unresolved is named as written: it is the one instance's id, which
  // the reader of standalone rules tells apart from other elements of the list (`element(…, 1)`).
  if (value!.kind === 'unknown') return value!.error === undefined ? notComputed(call) : value!;
  if (value!.kind === 'ref') return unknownValue(value!.text, value!.range);
  const list = requireList(value, call);
  if (list.kind !== 'list') return list;
  if (list.items.length === 0) return NULL;
  return list.items.length === 1 ? list.items[0] : fail(call, `the list has ${list.items.length} elements, not at most one`);
}, true);

defineListBuilder('reverse', 1, 1, ([value], call) => {
  const parts = listParts(value, call);
  return 'kind' in parts ? parts : listResult([...parts.items].reverse(), parts.rest);
});

define('slice', 3, 3, ([value, start, end], call) => {
  const list = requireList(value, call, 'first argument');
  if (list.kind !== 'list') return list;
  const from = asInteger(start);
  const to = asInteger(end);
  if (from === null || to === null || from < 0 || to > list.items.length || from > to) return fail(call, 'indices out of range');
  return listValue(list.items.slice(from, to));
});

defineListBuilder('sort', 1, 1, ([value], call) => {
  const parts = listParts(value, call);
  if ('kind' in parts) return parts;
  let rest = parts.rest;
  const strings: string[] = [];
  for (const item of parts.items) {
    if (item.kind === 'unknown' && item.error !== undefined) return item;
    if (item.kind === 'unknown' || item.kind === 'ref') {
      // Where an unknown element sorts is unknown: the known ones are still in the result.
      rest ??= asUnknown(item);
      continue;
    }
    const s = asString(item);
    if (s === null) return fail(call, 'elements must be strings');
    strings.push(s);
  }
  return listResult(strings.sort(compareStrings).map(stringValue), rest);
});

define('index', 2, 2, ([value, wanted], call) => {
  const list = requireList(value, call, 'first argument');
  if (list.kind !== 'list') return list;
  for (let i = 0; i < list.items.length; i++) {
    const equal = valuesEqual(list.items[i], wanted);
    if (equal === true) return numberValue(i);
    if (equal === null) return asUnknown(firstUnknown(list.items[i]) ?? firstUnknown(wanted)!);
  }
  return fail(call, 'the value is not in the list');
});

define('alltrue', 1, 1, ([value], call) => {
  const list = requireList(value, call);
  if (list.kind !== 'list') return list;
  for (const item of list.items) {
    if (item.kind === 'unknown' || item.kind === 'ref') return asUnknown(item);
    if (item.kind !== 'bool' && !(item.kind === 'string' && (item.value === 'true' || item.value === 'false'))) return fail(call, 'elements must be bools');
    if (item.kind === 'bool' ? !item.value : item.value === 'false') return boolValue(false);
  }
  return boolValue(true);
});

define('anytrue', 1, 1, ([value], call) => {
  const list = requireList(value, call);
  if (list.kind !== 'list') return list;
  let undecided: Value | null = null;
  for (const item of list.items) {
    if (item.kind === 'unknown' || item.kind === 'ref') {
      undecided ??= item;
      continue;
    }
    if (item.kind === 'bool' ? item.value : item.kind === 'string' && item.value === 'true') return boolValue(true);
  }
  return undecided ? asUnknown(undecided) : boolValue(false);
});

define('cidrsubnet', 3, 3, ([prefix, newbits, netnum], call) => {
  const cidr = cidrArgument(prefix, call);
  if ('kind' in cidr) return cidr;
  const extra = asInteger(newbits);
  const number = asInteger(netnum);
  if (extra === null || number === null || extra < 0) return fail(call, 'newbits and netnum must be whole numbers');
  const newPrefix = cidr.prefix + extra;
  if (newPrefix > cidr.bits) return fail(call, `insufficient address space to extend prefix of ${cidr.prefix} by ${extra}`);
  if (number < 0 || BigInt(number) >= 1n << BigInt(extra)) return fail(call, `prefix extension of ${extra} does not accommodate a subnet numbered ${number}`);
  const network = cidr.network | (BigInt(number) << BigInt(cidr.bits - newPrefix));
  return stringValue(`${formatIP(network, cidr.bits)}/${newPrefix}`);
});

define('cidrhost', 2, 2, ([prefix, hostnum], call) => {
  const cidr = cidrArgument(prefix, call);
  if ('kind' in cidr) return cidr;
  const host = asInteger(hostnum);
  if (host === null) return fail(call, 'hostnum must be a whole number');
  const size = 1n << BigInt(cidr.bits - cidr.prefix);
  // A negative host number counts back from the end of the range (Terraform cidrhost).
  const offset = host < 0 ? size + BigInt(host) : BigInt(host);
  if (offset < 0n || offset >= size) return fail(call, `prefix of ${cidr.prefix} does not accommodate a host numbered ${host}`);
  return stringValue(formatIP(cidr.network + offset, cidr.bits));
});

define('cidrnetmask', 1, 1, ([prefix], call) => {
  const cidr = cidrArgument(prefix, call);
  if ('kind' in cidr) return cidr;
  if (cidr.bits !== 32) return fail(call, 'only IPv4 prefixes have a netmask');
  return stringValue(formatIP(0xffffffffn & ~hostMask(32, cidr.prefix), 32));
});

define('cidrsubnets', 1, Infinity, ([prefix, ...newbits], call) => {
  const cidr = cidrArgument(prefix, call);
  if ('kind' in cidr) return cidr;
  if (newbits.length === 0) return listValue([]);
  const modulus = 1n << BigInt(cidr.bits);
  const parentEnd = cidr.network + (1n << BigInt(cidr.bits - cidr.prefix));
  // Allocate consecutively, aligning each subnet to its own size (Terraform cidrsubnets via go-cidr NextSubnet).
  let next = cidr.network;
  const out: Value[] = [];
  for (const value of newbits) {
    const extra = asInteger(value);
    if (extra === null || extra < 1) return fail(call, 'each newbits value must be a whole number of at least 1');
    const length = cidr.prefix + extra;
    if (length > cidr.bits) return fail(call, `would extend prefix to ${length} bits, which is too long for this address`);
    const size = 1n << BigInt(cidr.bits - length);
    const start = ((next + size - 1n) / size) * size;
    if (start + size > parentEnd || start + size > modulus) return fail(call, 'not enough remaining address space for a subnet with a prefix of ' + length);
    out.push(stringValue(`${formatIP(start, cidr.bits)}/${length}`));
    next = start + size;
  }
  return listValue(out);
});

// ---- encodings and more string functions ----------------------------------------------------------------------

define('jsondecode', 1, 1, ([value], call) => {
  const text = asString(value);
  if (text === null) return fail(call, `argument must be a string, not ${describe(value)}`);
  try {
    return fromJs(JSON.parse(text));
  } catch (error) {
    return fail(call, `invalid JSON: ${(error as Error).message}`);
  }
});

/** The `yaml` package, loaded on the first `yamldecode`: most scans never call it. */
const yaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');

define('yamldecode', 1, 1, ([value], call) => {
  const text = asString(value);
  if (text === null) return fail(call, `argument must be a string, not ${describe(value)}`);
  let data: unknown;
  try {
    // YAML 1.2 core schema, as Terraform's decoder; one document; the library's alias limit guards against alias bombs.
    data = yaml().parse(text, { schema: 'core', uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    return fail(call, `invalid YAML: ${((error as Error).message.split('\n')[0] ?? '').trim()}`);
  }
  if (!isDecodable(data)) return fail(call, 'the YAML holds a value Terraform cannot represent');
  return fromJs(data);
});

/** Plain YAML data (strings, finite numbers, bools, null, lists, maps): what `fromJs` converts faithfully. */
function isDecodable(data: unknown, depth = 0): boolean {
  if (depth > 500) return false;
  if (data === null || typeof data === 'string' || typeof data === 'boolean') return true;
  if (typeof data === 'number') return Number.isFinite(data);
  if (Array.isArray(data)) return data.every((item) => isDecodable(item, depth + 1));
  if (typeof data === 'object' && Object.getPrototypeOf(data) === Object.prototype) return Object.values(data as object).every((item) => isDecodable(item, depth + 1));
  return false;
}

define('csvdecode', 1, 1, ([value], call) => {
  const text = asString(value);
  if (text === null) return fail(call, `argument must be a string, not ${describe(value)}`);
  const rows = csvRows(text);
  if (typeof rows === 'string') return fail(call, rows);
  if (rows.length === 0) return fail(call, 'missing header line');
  const [header, ...records] = rows;
  const out: Value[] = [];
  for (const [index, record] of records.entries()) {
    if (record.length !== header!.length) return fail(call, `record ${index + 1} has ${record.length} fields, the header ${header!.length}`);
    out.push(objectValue(new Map(header!.map((name, i) => [name, stringValue(record[i]!)]))));
  }
  return listValue(out);
});

/** RFC 4180 records (Go's encoding/csv as Terraform uses it: quoted fields, `""` escapes, blank lines skipped). */
function csvRows(text: string): string[][] | string {
  const rows: string[][] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      continue;
    }
    const row: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return `a quoted field of line ${rows.length + 1} is not closed`;
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += text[i++];
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') return `extraneous text after a quoted field on line ${rows.length + 1}`;
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') return `a bare " in a field on line ${rows.length + 1}`;
          field += text[i++];
        }
      }
      row.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    rows.push(row);
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
  }
  return rows;
}

/** Go's strings.Title, which Terraform's `title` uses: a letter after a separator is upper-cased. */
stringFunction('title', (s) => {
  let out = '';
  let previous = ' ';
  for (const char of s) {
    out += isTitleSeparator(previous) ? char.toUpperCase() : char;
    previous = char;
  }
  return out;
});

function isTitleSeparator(char: string): boolean {
  if (char.length === 1 && char.charCodeAt(0) < 0x80) return !/[A-Za-z0-9_]/.test(char);
  if (/[\p{L}\p{Nd}]/u.test(char)) return false;
  return /\s/u.test(char);
}

define('formatlist', 1, Infinity, ([spec, ...rest], call) => {
  const s = asString(spec);
  if (s === null) return fail(call, 'the format must be a string');
  // Lists give one result per element (all of the same length); other arguments repeat; no list gives one result.
  let length = -1;
  for (const arg of rest) {
    if (arg.kind !== 'list') continue;
    if (length >= 0 && arg.items.length !== length) return fail(call, 'the list arguments must all have the same length');
    length = arg.items.length;
  }
  const out: Value[] = [];
  for (let i = 0; i < (length < 0 ? 1 : length); i++) {
    const args = rest.map((arg) => (arg.kind === 'list' ? arg.items[i]! : arg));
    const unknown = args.find((arg) => arg.kind === 'unknown' || arg.kind === 'ref');
    if (unknown) return asUnknown(unknown);
    const formatted = formatString(s, args, call);
    if (formatted.kind !== 'string') return formatted;
    out.push(formatted);
  }
  return listValue(out);
});

define('parseint', 2, 2, ([value, base], call) => {
  const text = asString(value);
  const radix = asInteger(base);
  if (text === null || radix === null) return fail(call, 'expects a string and a base');
  if (radix < 2 || radix > 62) return fail(call, 'the base must be between 2 and 62');
  // Bases above 36 tell upper from lower case; not computed here.
  if (radix > 36) return notComputed(call);
  const digits = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  const valid = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  if (digits === '' || [...digits.toLowerCase()].some((digit) => !valid.includes(digit))) return fail(call, `cannot parse ${JSON.stringify(text)} as a base ${radix} integer`);
  const n = parseInt(digits, radix);
  return numberValue(text.startsWith('-') ? -n : n);
});
