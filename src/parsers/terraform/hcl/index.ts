/**
 * fwlint's reader for HCL native syntax (Terraform `.tf`) and its static expression evaluator.
 * `parseHcl` gives an AST with source positions, comments and diagnostics; `evaluate` turns an expression into a
 * Value, with `unknown` (never a guess) wherever a value depends on something outside the given scope.
 */
export { parseHcl, type ParsedHcl, type ParseOptions } from './parser';
export type { HclComment } from './lexer';
export { accessedNameRange, attributeNameRange, copyNode, findAttribute, blocksOfType, mentionsVariable, objectKeyName, unwrapParens } from './ast';
export type {
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
  TemplateText,
  TupleExpr,
  UnaryExpr,
  VariableExpr,
} from './ast';
export { NO_FILE, dynamicIteratorName, evaluate, iteratorValue, type DataFileList, type DataFileRead, type DataFiles, type Definition, type Reference, type ReferenceStep, type Scope } from './evaluate';
export {
  NULL,
  boolValue,
  firstUnknown,
  formatNumber,
  fromJs,
  isWhollyKnown,
  listValue,
  markSensitive,
  numberValue,
  objectValue,
  parseDecimal,
  stringValue,
  toJs,
  unknownValue,
  valuesEqual,
  withSensitivityOf,
  withoutKnownItems,
  type BoolValue,
  type ListValue,
  type NullValue,
  type NumberValue,
  type ObjectValue,
  type RefValue,
  type StringValue,
  type UnknownValue,
  type Value,
} from './value';
export { measureParseThroughput, syntheticTerraform } from './throughput';
