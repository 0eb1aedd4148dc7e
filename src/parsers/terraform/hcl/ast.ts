import type { SourceRange } from '../../../model/location';

/**
 * Position data carried by every node: `start`/`end` are UTF-16 offsets into the source (end exclusive). The parser's
 * nodes make `range` from them when it is first read (nodes.ts): copy a node with `copyNode`, not a spread.
 */
export interface Spanned {
  range: SourceRange;
  start: number;
  end: number;
}

/** The contents of a file or of a block: attributes and nested blocks, each in source order. */
export interface Body extends Spanned {
  attributes: Attribute[];
  blocks: Block[];
}

/** `name = expr`. `range` spans from the name to the end of the expression (the name's own: `attributeNameRange`). */
export interface Attribute extends Spanned {
  name: string;
  expr: Expression;
}

/** `type "label" label { ... }`. `range` spans from the type to the closing brace. */
export interface Block extends Spanned {
  type: string;
  typeRange: SourceRange;
  labels: string[];
  labelRanges: SourceRange[];
  body: Body;
}

export type Expression =
  | LiteralExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | SplatItemExpr
  | FunctionCallExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | ParensExpr
  | ForExpr
  | InvalidExpr;

/** A number, bool or null literal. Strings are always templates. */
export interface LiteralExpr extends Spanned {
  kind: 'literal';
  value: number | boolean | null;
}

/** A quoted string or heredoc. A single `${...}` part and nothing else passes its value through unconverted. */
export interface TemplateExpr extends Spanned {
  kind: 'template';
  parts: TemplatePart[];
  /** Null for quoted strings. */
  heredoc: { marker: string; isIndented: boolean } | null;
}

export type TemplatePart = TemplateText | TemplateInterp | TemplateIf | TemplateFor;

/**
 * Literal text with escapes decoded and `~` / indented-heredoc trimming applied. Offsets only, no `range`: nothing
 * locates a piece of literal text (its template's range does), and every quoted string has one.
 */
export interface TemplateText {
  kind: 'text';
  value: string;
  start: number;
  end: number;
}

/** `${ expr }`; the range includes the delimiters. */
export interface TemplateInterp extends Spanned {
  kind: 'interp';
  expr: Expression;
}

/** `%{ if cond }...%{ else }...%{ endif }`. */
export interface TemplateIf extends Spanned {
  kind: 'template-if';
  condition: Expression;
  thenParts: TemplatePart[];
  elseParts: TemplatePart[] | null;
}

/** `%{ for k, v in coll }...%{ endfor }`. */
export interface TemplateFor extends Spanned {
  kind: 'template-for';
  keyVar: string | null;
  valueVar: string;
  collection: Expression;
  bodyParts: TemplatePart[];
}

/** `[a, b, c]`. */
export interface TupleExpr extends Spanned {
  kind: 'tuple';
  items: Expression[];
}

/** `{ k = v, "k" = v, (expr) = v }`. A bare identifier key is the literal name, not a variable (see `objectKeyName`). */
export interface ObjectExpr extends Spanned {
  kind: 'object';
  items: ObjectItem[];
}

export interface ObjectItem extends Spanned {
  key: Expression;
  value: Expression;
}

/** A bare name: the root of a reference such as `var` in `var.x`, or a for-expression iterator. */
export interface VariableExpr extends Spanned {
  kind: 'variable';
  name: string;
}

/** `object.name` (the name's own range: `accessedNameRange`). */
export interface GetAttrExpr extends Spanned {
  kind: 'get-attr';
  object: Expression;
  name: string;
}

/** `collection[key]`, or the legacy `collection.0` form (`isLegacy`). */
export interface IndexExpr extends Spanned {
  kind: 'index';
  collection: Expression;
  key: Expression;
  isLegacy: boolean;
}

/** `source[*].each` or `source.*.each`; `each` is evaluated with `splat-item` bound to every element. */
export interface SplatExpr extends Spanned {
  kind: 'splat';
  source: Expression;
  each: Expression;
  isAttrOnly: boolean;
}

/** The element placeholder inside a splat's `each` expression; its range is the `[*]` or `.*` marker. */
export interface SplatItemExpr extends Spanned {
  kind: 'splat-item';
}

/** `f(a, b...)`; `name` includes a provider namespace as `provider::aws::f`. */
export interface FunctionCallExpr extends Spanned {
  kind: 'function-call';
  name: string;
  nameRange: SourceRange;
  args: Expression[];
  expandFinal: boolean;
}

export interface ConditionalExpr extends Spanned {
  kind: 'conditional';
  condition: Expression;
  trueExpr: Expression;
  falseExpr: Expression;
}

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr extends Spanned {
  kind: 'binary';
  op: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface UnaryExpr extends Spanned {
  kind: 'unary';
  op: '!' | '-';
  operand: Expression;
}

export interface ParensExpr extends Spanned {
  kind: 'parens';
  expr: Expression;
}

/** `[for k, v in coll : v if c]` (`isObject` false) or `{for k, v in coll : k => v... if c}`. */
export interface ForExpr extends Spanned {
  kind: 'for';
  keyVar: string | null;
  valueVar: string;
  collection: Expression;
  keyExpr: Expression | null;
  valueExpr: Expression;
  condition: Expression | null;
  isGrouped: boolean;
  isObject: boolean;
}

/** Placeholder where a syntax error left no expression; it evaluates to unknown. */
export interface InvalidExpr extends Spanned {
  kind: 'invalid';
}

/** The literal name of an object key written as a bare identifier (`{ name = 1 }`), else null (the key is evaluated). */
export function objectKeyName(key: Expression): string | null {
  return key.kind === 'variable' ? key.name : null;
}

/**
 * Where an attribute's name is written. Not stored on every attribute (most are never asked): the name is an
 * identifier, on one line, at the attribute's start, so its range follows from the attribute's.
 */
export function attributeNameRange(attribute: Attribute): SourceRange {
  const { startLine, startColumn } = attribute.range;
  return { startLine, startColumn, endLine: startLine, endColumn: startColumn + attribute.name.length };
}

/** Where the name of `object.name` is written: an identifier, on one line, at the expression's end. */
export function accessedNameRange(expr: GetAttrExpr): SourceRange {
  const { endLine, endColumn } = expr.range;
  return { startLine: endLine, startColumn: endColumn - expr.name.length, endLine, endColumn };
}

/**
 * A copy of `node` with `changes` applied, as `{ ...node, ...changes }` but keeping its `range`, which a spread drops
 * from a parsed node (its range is an accessor, not an own property).
 */
export function copyNode<T extends Spanned>(node: T, changes: Partial<T>): T {
  return { ...node, range: node.range, ...changes };
}

/** The expression inside any parentheses around it: `((x))` → `x`. */
export function unwrapParens(expr: Expression): Expression {
  let inner = expr;
  while (inner.kind === 'parens') inner = inner.expr;
  return inner;
}

/** Returns the first attribute of `body` called `name`, if any. */
export function findAttribute(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((attribute) => attribute.name === name);
}

/** Returns the nested blocks of `body` of the given type, in source order. */
export function blocksOfType(body: Body, type: string): Block[] {
  return body.blocks.filter((block) => block.type === type);
}

/**
 * True when `name` is used as a variable anywhere in `node` (a body: its attributes and nested blocks). Conservative:
 * a for-expression's own iterator of the same name counts too. Bare object keys are names, not variables.
 */
export function mentionsVariable(node: Body | Expression | TemplatePart, name: string): boolean {
  if ('attributes' in node) {
    return node.attributes.some((attribute) => mentionsVariable(attribute.expr, name)) || node.blocks.some((block) => mentionsVariable(block.body, name));
  }
  const any = (items: ReadonlyArray<Expression | TemplatePart | null>): boolean => items.some((item) => item !== null && mentionsVariable(item, name));
  switch (node.kind) {
    case 'variable':
      return node.name === name;
    case 'literal':
    case 'splat-item':
    case 'invalid':
    case 'text':
      return false;
    case 'template':
      return any(node.parts);
    case 'interp':
      return mentionsVariable(node.expr, name);
    case 'template-if':
      return any([node.condition, ...node.thenParts, ...(node.elseParts ?? [])]);
    case 'template-for':
      return any([node.collection, ...node.bodyParts]);
    case 'tuple':
      return any(node.items);
    case 'object':
      return node.items.some((item) => (objectKeyName(item.key) === null && mentionsVariable(item.key, name)) || mentionsVariable(item.value, name));
    case 'get-attr':
      return mentionsVariable(node.object, name);
    case 'index':
      return any([node.collection, node.key]);
    case 'splat':
      return any([node.source, node.each]);
    case 'function-call':
      return any(node.args);
    case 'conditional':
      return any([node.condition, node.trueExpr, node.falseExpr]);
    case 'binary':
      return any([node.left, node.right]);
    case 'unary':
      return mentionsVariable(node.operand, name);
    case 'parens':
      return mentionsVariable(node.expr, name);
    case 'for':
      return any([node.collection, node.keyExpr, node.valueExpr, node.condition]);
  }
}
