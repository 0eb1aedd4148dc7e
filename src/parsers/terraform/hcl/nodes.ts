import type { SourceRange } from '../../../model/location';
import type {
  Attribute,
  BinaryExpr,
  BinaryOperator,
  Block,
  Body,
  ConditionalExpr,
  Expression,
  ForExpr,
  FunctionCallExpr,
  GetAttrExpr,
  IndexExpr,
  InvalidExpr,
  LiteralExpr,
  ObjectExpr,
  ObjectItem,
  ParensExpr,
  SplatExpr,
  SplatItemExpr,
  Spanned,
  TemplateExpr,
  TemplateFor,
  TemplateIf,
  TemplateInterp,
  TemplatePart,
  TupleExpr,
  UnaryExpr,
  VariableExpr,
} from './ast';

/** What a node needs to place its offsets: the parser's `LineMap` of the node's file. */
export interface RangeSource {
  range(start: number, end: number): SourceRange;
}

/*
 * Fields are `declare`d and assigned in the constructors: a class field declaration (and a `#private` field) is a
 * define per field per instance, which made building nodes twice as slow as an object literal; plain assignments
 * are quicker than the literal.
 */

/**
 * The nodes `parseHcl` builds. A node's line/column `range` is made from its offsets on first read and kept (about
 * one node in six is ever asked, and a scan builds millions). Setting `range` replaces it, as on a plain node.
 * `range` is an accessor, not an own property, so a spread (`{ ...node }`) drops it: copy nodes with `copyNode`.
 */
abstract class ParsedNode implements Spanned {
  declare start: number;
  declare end: number;
  /** The line map of the node's file. */
  declare readonly lineMap: RangeSource;
  /** `range`, once made or set. */
  declare keptRange: SourceRange | undefined;

  constructor(lineMap: RangeSource, start: number, end: number) {
    this.start = start;
    this.end = end;
    this.lineMap = lineMap;
    this.keptRange = undefined;
  }

  get range(): SourceRange {
    return (this.keptRange ??= this.lineMap.range(this.start, this.end));
  }

  set range(range: SourceRange) {
    this.keptRange = range;
  }
}

export class BodyNode extends ParsedNode implements Body {
  declare attributes: Attribute[];
  declare blocks: Block[];

  constructor(lineMap: RangeSource, start: number, end: number, attributes: Attribute[], blocks: Block[]) {
    super(lineMap, start, end);
    this.attributes = attributes;
    this.blocks = blocks;
  }
}

export class AttributeNode extends ParsedNode implements Attribute {
  declare name: string;
  declare expr: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, name: string, expr: Expression) {
    super(lineMap, start, end);
    this.name = name;
    this.expr = expr;
  }
}

/** A block; like `range`, its type's and labels' ranges are made from their offsets when first read, and kept. */
export class BlockNode extends ParsedNode implements Block {
  declare type: string;
  declare labels: string[];
  declare body: Body;
  declare readonly typeEnd: number;
  /** Start and end offset of each label, in pairs. */
  declare readonly labelOffsets: readonly number[];
  declare keptTypeRange: SourceRange | undefined;
  declare keptLabelRanges: SourceRange[] | undefined;

  constructor(lineMap: RangeSource, start: number, end: number, type: string, typeEnd: number, labels: string[], labelOffsets: readonly number[], body: Body) {
    super(lineMap, start, end);
    this.type = type;
    this.labels = labels;
    this.body = body;
    this.typeEnd = typeEnd;
    this.labelOffsets = labelOffsets;
    this.keptTypeRange = undefined;
    this.keptLabelRanges = undefined;
  }

  get typeRange(): SourceRange {
    return (this.keptTypeRange ??= this.lineMap.range(this.start, this.typeEnd));
  }

  get labelRanges(): SourceRange[] {
    if (this.keptLabelRanges === undefined) {
      const offsets = this.labelOffsets;
      this.keptLabelRanges = [];
      for (let i = 0; i < offsets.length; i += 2) this.keptLabelRanges.push(this.lineMap.range(offsets[i]!, offsets[i + 1]!));
    }
    return this.keptLabelRanges;
  }
}

export class LiteralNode extends ParsedNode implements LiteralExpr {
  declare readonly kind: 'literal';
  declare value: number | boolean | null;

  constructor(lineMap: RangeSource, start: number, end: number, value: number | boolean | null) {
    super(lineMap, start, end);
    this.kind = 'literal';
    this.value = value;
  }
}

export class TemplateNode extends ParsedNode implements TemplateExpr {
  declare readonly kind: 'template';
  declare parts: TemplatePart[];
  declare heredoc: TemplateExpr['heredoc'];

  constructor(lineMap: RangeSource, start: number, end: number, parts: TemplatePart[], heredoc: TemplateExpr['heredoc']) {
    super(lineMap, start, end);
    this.kind = 'template';
    this.parts = parts;
    this.heredoc = heredoc;
  }
}

export class InterpNode extends ParsedNode implements TemplateInterp {
  declare readonly kind: 'interp';
  declare expr: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, expr: Expression) {
    super(lineMap, start, end);
    this.kind = 'interp';
    this.expr = expr;
  }
}

export class TemplateIfNode extends ParsedNode implements TemplateIf {
  declare readonly kind: 'template-if';
  declare condition: Expression;
  declare thenParts: TemplatePart[];
  declare elseParts: TemplatePart[] | null;

  constructor(lineMap: RangeSource, start: number, end: number, condition: Expression, thenParts: TemplatePart[], elseParts: TemplatePart[] | null) {
    super(lineMap, start, end);
    this.kind = 'template-if';
    this.condition = condition;
    this.thenParts = thenParts;
    this.elseParts = elseParts;
  }
}

export class TemplateForNode extends ParsedNode implements TemplateFor {
  declare readonly kind: 'template-for';
  declare keyVar: string | null;
  declare valueVar: string;
  declare collection: Expression;
  declare bodyParts: TemplatePart[];

  constructor(lineMap: RangeSource, start: number, end: number, keyVar: string | null, valueVar: string, collection: Expression, bodyParts: TemplatePart[]) {
    super(lineMap, start, end);
    this.kind = 'template-for';
    this.keyVar = keyVar;
    this.valueVar = valueVar;
    this.collection = collection;
    this.bodyParts = bodyParts;
  }
}

export class TupleNode extends ParsedNode implements TupleExpr {
  declare readonly kind: 'tuple';
  declare items: Expression[];

  constructor(lineMap: RangeSource, start: number, end: number, items: Expression[]) {
    super(lineMap, start, end);
    this.kind = 'tuple';
    this.items = items;
  }
}

export class ObjectNode extends ParsedNode implements ObjectExpr {
  declare readonly kind: 'object';
  declare items: ObjectItem[];

  constructor(lineMap: RangeSource, start: number, end: number, items: ObjectItem[]) {
    super(lineMap, start, end);
    this.kind = 'object';
    this.items = items;
  }
}

export class ObjectItemNode extends ParsedNode implements ObjectItem {
  declare key: Expression;
  declare value: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, key: Expression, value: Expression) {
    super(lineMap, start, end);
    this.key = key;
    this.value = value;
  }
}

export class VariableNode extends ParsedNode implements VariableExpr {
  declare readonly kind: 'variable';
  declare name: string;

  constructor(lineMap: RangeSource, start: number, end: number, name: string) {
    super(lineMap, start, end);
    this.kind = 'variable';
    this.name = name;
  }
}

export class GetAttrNode extends ParsedNode implements GetAttrExpr {
  declare readonly kind: 'get-attr';
  declare object: Expression;
  declare name: string;

  constructor(lineMap: RangeSource, start: number, end: number, object: Expression, name: string) {
    super(lineMap, start, end);
    this.kind = 'get-attr';
    this.object = object;
    this.name = name;
  }
}

export class IndexNode extends ParsedNode implements IndexExpr {
  declare readonly kind: 'index';
  declare collection: Expression;
  declare key: Expression;
  declare isLegacy: boolean;

  constructor(lineMap: RangeSource, start: number, end: number, collection: Expression, key: Expression, isLegacy: boolean) {
    super(lineMap, start, end);
    this.kind = 'index';
    this.collection = collection;
    this.key = key;
    this.isLegacy = isLegacy;
  }
}

export class SplatNode extends ParsedNode implements SplatExpr {
  declare readonly kind: 'splat';
  declare source: Expression;
  declare each: Expression;
  declare isAttrOnly: boolean;

  constructor(lineMap: RangeSource, start: number, end: number, source: Expression, each: Expression, isAttrOnly: boolean) {
    super(lineMap, start, end);
    this.kind = 'splat';
    this.source = source;
    this.each = each;
    this.isAttrOnly = isAttrOnly;
  }
}

export class SplatItemNode extends ParsedNode implements SplatItemExpr {
  declare readonly kind: 'splat-item';

  constructor(lineMap: RangeSource, start: number, end: number) {
    super(lineMap, start, end);
    this.kind = 'splat-item';
  }
}

export class FunctionCallNode extends ParsedNode implements FunctionCallExpr {
  declare readonly kind: 'function-call';
  declare name: string;
  declare nameRange: SourceRange;
  declare args: Expression[];
  declare expandFinal: boolean;

  constructor(lineMap: RangeSource, start: number, end: number, name: string, nameRange: SourceRange, args: Expression[], expandFinal: boolean) {
    super(lineMap, start, end);
    this.kind = 'function-call';
    this.name = name;
    this.nameRange = nameRange;
    this.args = args;
    this.expandFinal = expandFinal;
  }
}

export class ConditionalNode extends ParsedNode implements ConditionalExpr {
  declare readonly kind: 'conditional';
  declare condition: Expression;
  declare trueExpr: Expression;
  declare falseExpr: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, condition: Expression, trueExpr: Expression, falseExpr: Expression) {
    super(lineMap, start, end);
    this.kind = 'conditional';
    this.condition = condition;
    this.trueExpr = trueExpr;
    this.falseExpr = falseExpr;
  }
}

export class BinaryNode extends ParsedNode implements BinaryExpr {
  declare readonly kind: 'binary';
  declare op: BinaryOperator;
  declare left: Expression;
  declare right: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, op: BinaryOperator, left: Expression, right: Expression) {
    super(lineMap, start, end);
    this.kind = 'binary';
    this.op = op;
    this.left = left;
    this.right = right;
  }
}

export class UnaryNode extends ParsedNode implements UnaryExpr {
  declare readonly kind: 'unary';
  declare op: '!' | '-';
  declare operand: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, op: '!' | '-', operand: Expression) {
    super(lineMap, start, end);
    this.kind = 'unary';
    this.op = op;
    this.operand = operand;
  }
}

export class ParensNode extends ParsedNode implements ParensExpr {
  declare readonly kind: 'parens';
  declare expr: Expression;

  constructor(lineMap: RangeSource, start: number, end: number, expr: Expression) {
    super(lineMap, start, end);
    this.kind = 'parens';
    this.expr = expr;
  }
}

export class ForNode extends ParsedNode implements ForExpr {
  declare readonly kind: 'for';
  declare keyVar: string | null;
  declare valueVar: string;
  declare collection: Expression;
  declare keyExpr: Expression | null;
  declare valueExpr: Expression;
  declare condition: Expression | null;
  declare isGrouped: boolean;
  declare isObject: boolean;

  constructor(
    lineMap: RangeSource,
    start: number,
    end: number,
    keyVar: string | null,
    valueVar: string,
    collection: Expression,
    keyExpr: Expression | null,
    valueExpr: Expression,
    condition: Expression | null,
    isGrouped: boolean,
    isObject: boolean,
  ) {
    super(lineMap, start, end);
    this.kind = 'for';
    this.keyVar = keyVar;
    this.valueVar = valueVar;
    this.collection = collection;
    this.keyExpr = keyExpr;
    this.valueExpr = valueExpr;
    this.condition = condition;
    this.isGrouped = isGrouped;
    this.isObject = isObject;
  }
}

export class InvalidNode extends ParsedNode implements InvalidExpr {
  declare readonly kind: 'invalid';

  constructor(lineMap: RangeSource, start: number, end: number) {
    super(lineMap, start, end);
    this.kind = 'invalid';
  }
}
