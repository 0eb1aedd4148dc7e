import type { SourceRange } from '../../../model/location';

/** The result of evaluating an HCL expression. Lists, tuples and sets are `list`; maps and objects are `object`. */
export type Value = StringValue | NumberValue | BoolValue | NullValue | ListValue | ObjectValue | UnknownValue | RefValue;

/**
 * Terraform's sensitive mark, on a value computed from a variable declared `sensitive = true` or from `sensitive()`:
 * the expression that made it so (`var.office_cidrs`, `local.admin`), or '' where none names it. Rules built from
 * such a value are judged on it, but findings show it redacted, as Terraform prints "(sensitive value)". Only the
 * value as a whole is marked: whatever an expression reads a marked value for is marked as a whole.
 */
interface SensitiveMark {
  sensitive?: string;
}

export interface StringValue extends SensitiveMark {
  kind: 'string';
  value: string;
}

export interface NumberValue extends SensitiveMark {
  kind: 'number';
  value: number;
}

export interface BoolValue extends SensitiveMark {
  kind: 'bool';
  value: boolean;
}

export interface NullValue extends SensitiveMark {
  kind: 'null';
}

export interface ListValue extends SensitiveMark {
  kind: 'list';
  items: Value[];
  /**
   * Set only on a set (`toset(…)`): Terraform iterates a set with key = value, so a `dynamic` block's
   * `<iterator>.key` over it is the element, not its index. Every other operation treats it as a list.
   */
  isSet?: true;
}

export interface ObjectValue extends SensitiveMark {
  kind: 'object';
  entries: Map<string, Value>;
}

/**
 * A value that cannot be known statically. `text` and `range` locate the expression that could not be resolved
 * (e.g. `aws_vpc.main.cidr_block`); operations on an unknown return that same unknown. `error` is set when the
 * expression is invalid rather than merely unresolved (e.g. an index out of range); `try`/`can` skip only those.
 */
export interface UnknownValue extends SensitiveMark {
  kind: 'unknown';
  text: string;
  range: SourceRange;
  error?: string;
  /**
   * Set when the value is a list of unknown length of which these elements are known to be part
   * (`concat(var.extra, ["0.0.0.0/0"])`): `text` and `range` then locate the unknown rest. Only the functions that
   * build lists keep it (`keepsKnownItems`); any other use of the value sees a plain unknown (`withoutKnownItems`).
   */
  knownItems?: Value[];
  /**
   * Set with `knownItems` when the value is a set (`toset(concat(var.extra, ["a"]))`): a `dynamic` block over it has
   * each known element as its key, as over a known set, where over a list the key is an index the unknown part hides.
   */
  knownItemsFormSet?: true;
  /**
   * The same for a map of unknown keys (`merge(var.rules, { ssh = … })`): entries it is known to hold, with these
   * values, whatever the unknown part holds.
   */
  knownEntries?: Map<string, Value>;
}

/**
 * A reference to a managed resource attribute, as returned by a `Scope.resolve` callback
 * (e.g. `aws_security_group.web.id` → address `aws_security_group.web`, attribute `id`). Opaque: it survives
 * being passed around (lists, conditionals, `tolist`, `"${ref}"`), anything that needs its content gives unknown.
 */
export interface RefValue extends SensitiveMark {
  kind: 'ref';
  address: string;
  attribute: string | null;
  text: string;
  range: SourceRange;
}

export const NULL: NullValue = { kind: 'null' };
export const TRUE: BoolValue = { kind: 'bool', value: true };
export const FALSE: BoolValue = { kind: 'bool', value: false };

export function stringValue(value: string): StringValue {
  return { kind: 'string', value };
}

export function numberValue(value: number): NumberValue {
  return { kind: 'number', value };
}

export function boolValue(value: boolean): BoolValue {
  return value ? TRUE : FALSE;
}

export function listValue(items: Value[]): ListValue {
  return { kind: 'list', items };
}

/** A set: its elements, already distinct and in cty's set order. */
export function setValue(items: Value[]): ListValue {
  return { kind: 'list', items, isSet: true };
}

export function objectValue(entries: Map<string, Value> | Record<string, Value>): ObjectValue {
  return { kind: 'object', entries: entries instanceof Map ? entries : new Map(Object.entries(entries)) };
}

export function unknownValue(text: string, range: SourceRange, error?: string): UnknownValue {
  return error === undefined ? { kind: 'unknown', text, range } : { kind: 'unknown', text, range, error };
}

/**
 * A list of unknown length holding at least `items` (see `UnknownValue.knownItems`); `rest` names the unknown part.
 * Without known items it is just that unknown.
 */
export function partialList(rest: UnknownValue, items: Value[]): UnknownValue {
  const plain = withoutKnownItems(rest);
  return items.length === 0 ? plain : { ...plain, knownItems: items };
}

/** A set of unknown size holding at least `items` (see `UnknownValue.knownItemsFormSet`). */
export function partialSet(rest: UnknownValue, items: Value[]): UnknownValue {
  const list = partialList(rest, items);
  return list.knownItems === undefined ? list : { ...list, knownItemsFormSet: true };
}

/** A map of unknown keys holding at least `entries` (see `UnknownValue.knownEntries`); `rest` names the unknown part. */
export function partialMap(rest: UnknownValue, entries: Map<string, Value>): UnknownValue {
  const plain = withoutKnownItems(rest);
  return entries.size === 0 ? plain : { ...plain, knownEntries: entries };
}

/** The unknown without the elements it is known to hold: what it is to anything but a collection-building function. */
export function withoutKnownItems(value: UnknownValue): UnknownValue {
  if (value.knownItems === undefined && value.knownEntries === undefined) return value;
  const { knownItems: _items, knownItemsFormSet: _isSet, knownEntries: _entries, ...plain } = value;
  return plain;
}

/** `value` marked sensitive (see `SensitiveMark`); a value already marked keeps the origin it has. */
export function markSensitive(value: Value, origin: string): Value {
  return value.sensitive !== undefined ? value : { ...value, sensitive: origin };
}

/** `value` with the sensitive mark of `from`, when `from` has one: a part of a sensitive value is sensitive. */
export function withSensitivityOf(from: Value, value: Value): Value {
  return from.sensitive === undefined ? value : markSensitive(value, from.sensitive);
}

/** Converts JSON-like data (e.g. a `.tfvars.json` file) to a Value; anything else becomes null. */
export function fromJs(data: unknown): Value {
  if (data === null || data === undefined) return NULL;
  if (typeof data === 'string') return stringValue(data);
  if (typeof data === 'number') return numberValue(data);
  if (typeof data === 'boolean') return boolValue(data);
  if (Array.isArray(data)) return listValue(data.map(fromJs));
  if (typeof data === 'object') {
    const entries = new Map<string, Value>();
    for (const [key, item] of Object.entries(data as Record<string, unknown>)) entries.set(key, fromJs(item));
    return { kind: 'object', entries };
  }
  return NULL;
}

/** Converts a Value to plain JSON-like data, or undefined if it contains an unknown or a reference anywhere. */
export function toJs(value: Value): unknown {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list': {
      const out: unknown[] = [];
      for (const item of value.items) {
        const converted = toJs(item);
        if (converted === undefined) return undefined;
        out.push(converted);
      }
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, item] of value.entries) {
        const converted = toJs(item);
        if (converted === undefined) return undefined;
        Object.defineProperty(out, key, { value: converted, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** True when the value, including every nested element, is known (no unknown and no reference). */
export function isWhollyKnown(value: Value): boolean {
  switch (value.kind) {
    case 'unknown':
    case 'ref':
      return false;
    case 'list':
      return value.items.every(isWhollyKnown);
    case 'object':
      for (const item of value.entries.values()) if (!isWhollyKnown(item)) return false;
      return true;
    default:
      return true;
  }
}

/** Returns the first unknown or reference inside `value` (depth-first), or null. */
export function firstUnknown(value: Value): UnknownValue | RefValue | null {
  switch (value.kind) {
    case 'unknown':
    case 'ref':
      return value;
    case 'list':
      for (const item of value.items) {
        const found = firstUnknown(item);
        if (found) return found;
      }
      return null;
    case 'object':
      for (const item of value.entries.values()) {
        const found = firstUnknown(item);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/** Deep equality of known values with Terraform's strictness (`1 != "1"`); null when either side is not known. */
export function valuesEqual(a: Value, b: Value): boolean | null {
  if (a.kind === 'unknown' || b.kind === 'unknown') return null;
  if (a.kind === 'ref' || b.kind === 'ref') {
    if (a.kind === 'ref' && b.kind === 'ref' && a.address === b.address && a.attribute === b.attribute) return true;
    return null;
  }
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'null':
      return true;
    case 'list': {
      const other = b as ListValue;
      if (a.items.length !== other.items.length) return false;
      let isUncertain = false;
      for (let i = 0; i < a.items.length; i++) {
        const equal = valuesEqual(a.items[i], other.items[i]);
        if (equal === false) return false;
        if (equal === null) isUncertain = true;
      }
      return isUncertain ? null : true;
    }
    case 'object': {
      const other = b as ObjectValue;
      if (a.entries.size !== other.entries.size) return false;
      let isUncertain = false;
      for (const [key, item] of a.entries) {
        const otherItem = other.entries.get(key);
        if (otherItem === undefined) return false;
        const equal = valuesEqual(item, otherItem);
        if (equal === false) return false;
        if (equal === null) isUncertain = true;
      }
      return isUncertain ? null : true;
    }
  }
}

/** Terraform's number-to-string conversion: integers without a decimal point or exponent. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}

/**
 * Terraform computes with 512-bit binary floats (cty.Number), where `0.1 + 0.2 == 0.3` holds; JavaScript doubles give
 * 0.30000000000000004, which can decide a rule (`count = sum([0.1, 0.2]) == 0.3 ? 1 : 0`). Sums, differences and
 * products are therefore done exactly on the operands' shortest decimal forms (what they were written as) and rounded
 * once to a double, which agrees with Terraform wherever its result rounds to the same decimal (it does for decimals
 * written with up to about 150 digits). Numbers with an exponent form (`1e-7`, `1e21`) stay doubles; integers beyond
 * 2^53 are already rounded when read (a documented limit).
 */
export function decimalArithmetic(op: '+' | '-' | '*', a: number, b: number): number {
  const isSafe = Number.isSafeInteger(a) && Number.isSafeInteger(b);
  const doubles = op === '+' ? a + b : op === '-' ? a - b : a * b;
  if (isSafe && Number.isSafeInteger(doubles)) return doubles;
  const x = exactDecimal(a);
  const y = exactDecimal(b);
  if (x === undefined || y === undefined) return doubles;
  if (op === '*') return decimalToNumber(x.digits * y.digits, x.scale + y.scale);
  const scale = Math.max(x.scale, y.scale);
  const left = x.digits * 10n ** BigInt(scale - x.scale);
  const right = y.digits * 10n ** BigInt(scale - y.scale);
  return decimalToNumber(op === '+' ? left + right : left - right, scale);
}

/** `n` as an integer of digits and a count of them after the point (`0.25` is 25 and 2); undefined for an exponent form. */
function exactDecimal(n: number): { digits: bigint; scale: number } | undefined {
  const written = String(n);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(written);
  if (match === null) return undefined;
  const fraction = match[3] ?? '';
  const digits = BigInt(match[2]! + fraction);
  return { digits: match[1] === '-' ? -digits : digits, scale: fraction.length };
}

function decimalToNumber(digits: bigint, scale: number): number {
  const sign = digits < 0n ? '-' : '';
  const text = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0');
  return Number(`${sign}${text.slice(0, text.length - scale)}.${text.slice(text.length - scale) || '0'}`);
}

/** Decimal number syntax as cty accepts it in strings: no hex, no surrounding spaces (linear: no nested quantifiers). */
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Parses a decimal number string (e.g. the "22" in `from_port = "22"`); null if it is not one. */
export function parseDecimal(text: string): number | null {
  if (text.length > 400 || !DECIMAL.test(text)) return null;
  return Number(text);
}
