import type { ModuleFile } from './module';
import { writtenIn } from './override-files';
import {
  NULL,
  boolValue,
  evaluate,
  formatNumber,
  numberValue,
  objectKeyName,
  objectValue,
  parseDecimal,
  stringValue,
  type Expression,
  type Value,
} from './hcl';

/**
 * A variable's declared `type`, as far as converting a value to it needs. `any` also stands for a type expression
 * fwlint does not read: values pass through it unchanged, so a misread type never drops or invents anything.
 */
export type TypeConstraint =
  | { kind: 'any' }
  | { kind: 'string' | 'number' | 'bool' }
  | { kind: 'list' | 'set' | 'map'; element: TypeConstraint }
  | { kind: 'tuple'; elements: TypeConstraint[] }
  | { kind: 'object'; attributes: Map<string, ObjectAttributeType> };

export interface ObjectAttributeType {
  type: TypeConstraint;
  isOptional: boolean;
  /** `optional(T, default)`'s default, already converted to T; undefined when there is none (or it is null). */
  defaultValue?: Value;
}

const ANY: TypeConstraint = { kind: 'any' };

/** The declared types of a module's variables; a variable without `type` is left out (it converts nothing). */
export function variableTypes(files: ModuleFile[]): Map<string, TypeConstraint> {
  const types = new Map<string, TypeConstraint>();
  for (const { file, blocks } of files) {
    for (const block of blocks) {
      if (block.type !== 'variable' || block.labels.length !== 1) continue;
      const typeAttribute = block.body.attributes.find((attribute) => attribute.name === 'type');
      if (!typeAttribute) continue;
      const type = readTypeConstraint(typeAttribute.expr, writtenIn(typeAttribute, file).text);
      if (type.kind !== 'any') types.set(block.labels[0]!, type);
    }
  }
  return types;
}

/**
 * Reads a type expression (`list(object({ port = number, protocol = optional(string, "tcp") }))`) as HCL's
 * typeexpr does: keywords and type constructor calls, never evaluated as a value. `text` is the file's source, for
 * evaluating `optional` defaults (constants in valid Terraform).
 */
export function readTypeConstraint(expr: Expression, text: string): TypeConstraint {
  if (expr.kind === 'parens') return readTypeConstraint(expr.expr, text);
  // `list` alone means list(any); `"string"` is the quoted form Terraform 0.11 wrote and still accepts.
  const keyword = expr.kind === 'variable' ? expr.name : quotedKeyword(expr);
  if (keyword !== null) {
    if (keyword === 'string' || keyword === 'number' || keyword === 'bool') return { kind: keyword };
    if (keyword === 'list' || keyword === 'set' || keyword === 'map') return { kind: keyword, element: ANY };
    return ANY;
  }
  if (expr.kind !== 'function-call' || expr.args.length !== 1 || expr.expandFinal) return ANY;
  const [argument] = expr.args as [Expression];
  switch (expr.name) {
    case 'list':
    case 'set':
    case 'map':
      return { kind: expr.name, element: readTypeConstraint(argument, text) };
    case 'tuple':
      return argument.kind === 'tuple' ? { kind: 'tuple', elements: argument.items.map((item) => readTypeConstraint(item, text)) } : ANY;
    case 'object':
      return argument.kind === 'object' ? readObjectType(argument.items, text) : ANY;
    default:
      return ANY;
  }
}

function quotedKeyword(expr: Expression): string | null {
  if (expr.kind !== 'template' || expr.heredoc !== null || expr.parts.length !== 1) return null;
  const [part] = expr.parts;
  return part?.kind === 'text' ? part.value : null;
}

function readObjectType(items: ReadonlyArray<{ key: Expression; value: Expression }>, text: string): TypeConstraint {
  const attributes = new Map<string, ObjectAttributeType>();
  for (const { key, value } of items) {
    const name = objectKeyName(key);
    // Terraform takes only bare names here; without every name the attribute list is not known, so convert nothing.
    if (name === null) return ANY;
    if (value.kind === 'function-call' && value.name === 'optional' && (value.args.length === 1 || value.args.length === 2)) {
      const type = readTypeConstraint(value.args[0]!, text);
      const written = value.args[1] && evaluate(value.args[1], { text });
      const defaultValue = written && written.kind !== 'null' ? convertToType(written, type) : undefined;
      attributes.set(name, defaultValue ? { type, isOptional: true, defaultValue } : { type, isOptional: true });
    } else {
      attributes.set(name, { type: readTypeConstraint(value, text), isOptional: false });
    }
  }
  return { kind: 'object', attributes };
}

/**
 * Converts a value to a declared type as Terraform does when it binds a variable: every object whose type has
 * `optional` attributes gets the missing or null ones set to their default, or null; attributes the object type
 * does not declare are dropped (a module reading them would fail in Terraform); primitives convert between
 * string, number and bool. Unknowns, references, and values Terraform would reject (a string for a list, an
 * object missing a required attribute) are kept as they are: fwlint reports on what is written, it does not
 * validate types.
 */
export function convertToType(value: Value, type: TypeConstraint): Value {
  switch (type.kind) {
    case 'any':
      return value;
    case 'string':
    case 'number':
    case 'bool':
      return convertPrimitive(value, type.kind);
    case 'list':
    case 'set':
      return value.kind === 'list' ? { ...value, items: value.items.map((item) => convertToType(item, type.element)) } : value;
    case 'tuple':
      if (value.kind !== 'list' || value.items.length !== type.elements.length) return value;
      return { ...value, items: value.items.map((item, index) => convertToType(item, type.elements[index]!)) };
    case 'map':
      if (value.kind !== 'object') return value;
      return objectValue(new Map([...value.entries].map(([key, item]) => [key, convertToType(item, type.element)])));
    case 'object':
      return value.kind === 'object' ? convertObject(value.entries, type.attributes) : value;
  }
}

function convertObject(entries: ReadonlyMap<string, Value>, attributes: ReadonlyMap<string, ObjectAttributeType>): Value {
  const converted = new Map<string, Value>();
  for (const [name, attribute] of attributes) {
    const given = entries.get(name);
    // hcl typeexpr `Defaults.Apply` replaces a null attribute by its default as well as a missing one.
    if (given === undefined || given.kind === 'null') {
      if (attribute.defaultValue) converted.set(name, attribute.defaultValue);
      else if (attribute.isOptional || given) converted.set(name, NULL);
      continue;
    }
    converted.set(name, convertToType(given, attribute.type));
  }
  return objectValue(converted);
}

function convertPrimitive(value: Value, kind: 'string' | 'number' | 'bool'): Value {
  if (kind === 'string') {
    if (value.kind === 'number') return stringValue(formatNumber(value.value));
    if (value.kind === 'bool') return stringValue(String(value.value));
    return value;
  }
  if (value.kind !== 'string') return value;
  if (kind === 'number') {
    const parsed = parseDecimal(value.value);
    return parsed === null ? value : numberValue(parsed);
  }
  return value.value === 'true' || value.value === 'false' ? boolValue(value.value === 'true') : value;
}
