import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import type { Attribute, Block, Body, Expression, HclComment, ObjectItem, ParsedHcl, TemplatePart } from './hcl';
import { LineMap, parseHcl, parseHclExpression, parseHclTemplate } from './hcl/parser';
import { evaluate } from './hcl';
import { isLocalSource, isTerraformJson } from './root-groups';
import { bracketDepth, describeJsonError } from '../shared/json-error';
import { annotationsFromComments } from '../shared/annotations';
import type { Annotation } from '../../model/source-file';
import { PREFIX_LIST_TYPES } from './prefix-lists';
import { TARGET_TYPES } from './resources';

/** Nesting depth of a `.tf.json` file; jsonc-parser recurses once per level (generated files stay far below). */
const MAX_JSON_DEPTH = 200;

/** What a block's body holds besides attributes: its nested block types, and the arguments Terraform reads as expressions. */
interface BodySchema {
  blocks: ReadonlyMap<string, BlockSchema>;
  /** Arguments whose JSON strings are expressions (`"provider": "aws.west"`), not templates (Terraform's JSON syntax). */
  expressions: ReadonlySet<string>;
}

interface BlockSchema {
  labels: number;
  body: () => BodySchema;
}

const NO_BLOCKS: BodySchema = { blocks: new Map(), expressions: new Set() };
const META_EXPRESSIONS = new Set(['provider', 'depends_on', 'providers']);
/**
 * A resource's or data source's body, and the body of its nested blocks (which the same names nest in): the rule
 * blocks fwlint reads, then Terraform's own. Made on first use: the resource tables are not loaded yet when this
 * module is.
 */
let resourceBodySchema: BodySchema | undefined;
function resourceBody(): BodySchema {
  if (resourceBodySchema) return resourceBodySchema;
  const ruleBlocks = [...new Set([...[...TARGET_TYPES.values()].flatMap((type) => type.blocks), ...[...PREFIX_LIST_TYPES.values()].flat()])].sort();
  const dynamicBody: BodySchema = { blocks: new Map([['content', { labels: 0, body: resourceBody }]]), expressions: new Set(['iterator']) };
  resourceBodySchema = {
    blocks: new Map<string, BlockSchema>([
      ...ruleBlocks.map((name): [string, BlockSchema] => [name, { labels: 0, body: resourceBody }]),
      ['dynamic', { labels: 1, body: () => dynamicBody }],
      ['lifecycle', { labels: 0, body: () => ({ blocks: new Map(), expressions: new Set(['ignore_changes', 'replace_triggered_by']) }) }],
      ['provisioner', { labels: 1, body: () => NO_BLOCKS }],
      ['connection', { labels: 0, body: () => NO_BLOCKS }],
    ]),
    expressions: META_EXPRESSIONS,
  };
  return resourceBodySchema;
}

/** Terraform's top-level block types: how many labels each has, and its body. */
const TOP_LEVEL: ReadonlyMap<string, BlockSchema> = new Map<string, BlockSchema>([
  ['resource', { labels: 2, body: resourceBody }],
  ['data', { labels: 2, body: resourceBody }],
  ['ephemeral', { labels: 2, body: resourceBody }],
  ['variable', { labels: 1, body: () => ({ blocks: new Map([['validation', { labels: 0, body: () => NO_BLOCKS }]]), expressions: new Set(['type']) }) }],
  ['output', { labels: 1, body: () => ({ blocks: new Map([['precondition', { labels: 0, body: () => NO_BLOCKS }]]), expressions: META_EXPRESSIONS }) }],
  ['module', { labels: 1, body: () => ({ blocks: new Map(), expressions: META_EXPRESSIONS }) }],
  ['provider', { labels: 1, body: () => NO_BLOCKS }],
  ['locals', { labels: 0, body: () => NO_BLOCKS }],
  ['terraform', { labels: 0, body: () => NO_BLOCKS }],
  ['moved', { labels: 0, body: () => ({ blocks: new Map(), expressions: new Set(['from', 'to']) }) }],
  ['removed', { labels: 0, body: () => ({ blocks: new Map(), expressions: new Set(['from']) }) }],
  ['import', { labels: 0, body: () => ({ blocks: new Map(), expressions: new Set(['to', 'provider']) }) }],
  ['check', { labels: 1, body: () => NO_BLOCKS }],
]);

/** The property Terraform's JSON syntax ignores in any object, as a comment. */
const COMMENT_PROPERTY = '//';

/**
 * Reads a file of Terraform's JSON syntax (`.tf.json`) into the AST `parseHcl` gives for the same configuration in
 * native syntax, so every later step reads both alike. Its strings are templates (`"${var.x}"`) parsed by the HCL
 * reader, with positions in this file; a `"//"` property's string is a comment (where `fwlint:` annotations are
 * read). A property that names a nested block fwlint reads (`ingress`, `dynamic`, …) and holds an object or a
 * non-empty array of objects is read as block(s), each located at its own object; every other property is an
 * argument. Never throws: a syntax error is a diagnostic, and the file is then not read.
 */
export function parseTerraformJson(text: string, file: string): ParsedHcl {
  return new JsonReader(text, file).read();
}

/** Parses a Terraform configuration file in the syntax its name says: JSON for `.tf.json`, else native HCL. */
export function parseTerraformConfiguration(text: string, file: string): ParsedHcl {
  return isTerraformJson(file) ? parseTerraformJson(text, file) : parseHcl(text, file);
}

/**
 * The `fwlint:` annotations of a configuration file's comments: in JSON syntax its `"//"` properties. One written
 * above or in a `module` block says so (`Annotation.moduleCall`); in native syntax one written in the block is about
 * the block (`Annotation.subjectLine`), as a `"//"` in the module's JSON object is. In native syntax one written in a
 * `resource` block outside the blocks nested in it (above `name`) gets `Annotation.enclosingBlockLine`: it applies to
 * the resource's target, as a `"//"` in the resource's JSON object does, unless a rule holds it or starts below it.
 */
export function terraformAnnotations(text: string, file: string, parsed: Pick<ParsedHcl, 'comments' | 'body'>): Annotation[] {
  const annotations = annotationsFromComments(text, file, parsed.comments);
  let calls: ModuleCallBlock[] | undefined;
  for (const annotation of annotations) {
    calls ??= moduleCallBlocks(parsed.body?.blocks ?? [], text);
    const found = calls.find(({ range }) => isAboutBlock(annotation, range));
    if (!found) {
      if (annotation.subjectColumn === undefined) {
        const resource = (parsed.body?.blocks ?? []).find((block) => block.type === 'resource' && holds(block.range, annotation.range));
        if (resource && !resource.body.blocks.some((nested) => holds(nested.range, annotation.range))) annotation.enclosingBlockLine = resource.range.startLine;
      }
      continue;
    }
    annotation.moduleCall = found.call;
    if (annotation.subjectColumn === undefined) annotation.subjectLine = found.range.startLine;
  }
  return annotations;
}

/** Whether `inner` starts inside `outer`, after its first character and before its last. */
function holds(outer: SourceRange, inner: SourceRange): boolean {
  const { startLine, startColumn } = inner;
  const isAfterStart = startLine > outer.startLine || (startLine === outer.startLine && startColumn > outer.startColumn);
  const isBeforeEnd = startLine < outer.endLine || (startLine === outer.endLine && startColumn < outer.endColumn);
  return isAfterStart && isBeforeEnd;
}

interface ModuleCallBlock {
  range: SourceRange;
  call: NonNullable<Annotation['moduleCall']>;
}

/**
 * Whether a comment is about the block of `range`: placed exactly on its start (JSON), or written above it (its next
 * line of code, or its subject, is the block's first line), in it, or at the end of its first line.
 */
function isAboutBlock(annotation: Annotation, range: SourceRange): boolean {
  if (annotation.subjectColumn !== undefined) return annotation.subjectLine === range.startLine && annotation.subjectColumn === range.startColumn;
  const line = annotation.subjectLine ?? annotation.nextCodeLine;
  return line === range.startLine || holds(range, annotation.range);
}

/** A file's `module` blocks: where each is, its name, and whether its `source` is a local path. */
function moduleCallBlocks(blocks: readonly Block[], text: string): ModuleCallBlock[] {
  const calls: ModuleCallBlock[] = [];
  for (const block of blocks) {
    if (block.type !== 'module' || block.labels.length !== 1) continue;
    const source = block.body.attributes.find((attribute) => attribute.name === 'source');
    const value = source && evaluate(source.expr, { text });
    calls.push({ range: block.range, call: { name: block.labels[0]!, line: block.range.startLine, isLocal: value?.kind === 'string' && isLocalSource(value.value) } });
  }
  return calls;
}

class JsonReader {
  private readonly lines: LineMap;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly comments: HclComment[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.lines = new LineMap(text);
  }

  read(): ParsedHcl {
    const empty: Body = { attributes: [], blocks: [], range: this.range(0, 0), start: 0, end: 0 };
    const deepest = bracketDepth(this.text, MAX_JSON_DEPTH);
    if (deepest.depth > MAX_JSON_DEPTH) {
      this.problem(`values are nested more than ${MAX_JSON_DEPTH} levels deep; the file is not read`, deepest.offset, deepest.offset + 1);
      return this.result(empty);
    }
    if (this.text.replace(/^\uFEFF/, '').trim() === '') {
      // Terraform rejects it as it rejects any invalid JSON; "value expected (a trailing comma?)" would puzzle.
      this.problem('the file is empty, and Terraform\'s JSON syntax needs an object (at least {}); the file is not read', 0, 0);
      return this.result(empty);
    }
    const errors: ParseError[] = [];
    // A byte-order mark is not JSON; a space of the same length keeps every offset.
    const root = parseTree(this.text.startsWith('\uFEFF') ? ` ${this.text.slice(1)}` : this.text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    // The first error only: the file is not read, and jsonc-parser's recovery reports one mistake several times.
    const error = errors[0];
    if (error) this.problem(`JSON syntax error: ${describeJsonError(printParseErrorCode(error.error))}; the file is not read`, error.offset, error.offset + Math.max(1, error.length));
    if (error || !root) return this.result(empty);
    if (root.type !== 'object') {
      this.problem(`expected an object of Terraform block types ("resource", "variable", …), found ${describeNode(root)}`, root.offset, root.offset + root.length);
      return this.result(empty);
    }
    const blocks: Block[] = [];
    for (const { key, value } of this.properties(root)) {
      const schema = TOP_LEVEL.get(key.value as string);
      if (!schema) {
        this.problem(`unknown block type "${key.value as string}" (Terraform rejects it); it is not read`, key.offset, key.offset + key.length);
        continue;
      }
      this.readBlocks(key, value, schema, [], blocks);
    }
    return this.result({ attributes: [], blocks, range: this.range(root.offset, root.offset + root.length), start: root.offset, end: root.offset + root.length });
  }

  private result(body: Body): ParsedHcl {
    return { body, comments: this.comments, diagnostics: this.diagnostics };
  }

  private problem(message: string, start: number, end: number): void {
    this.diagnostics.push(errorDiagnostic('parse/terraform-json', this.file, message, this.range(start, end)));
  }

  /**
   * Whether `key` was written before in its object (`seen`, recorded here): an error, as HCL's JSON reader gives
   * ("Duplicate argument", "Duplicate object attribute"), where JSON parsers would silently keep the last; the first
   * is kept, as HCL keeps it.
   */
  private isDuplicateKey(seen: Map<string, JsonNode>, key: JsonNode, what: string): boolean {
    const name = key.value as string;
    const first = seen.get(name);
    if (!first) {
      seen.set(name, key);
      return false;
    }
    const at = this.range(first.offset, first.offset + first.length);
    this.problem(`duplicate ${what} ${JSON.stringify(name)}: already written at ${at.startLine}:${at.startColumn}; Terraform rejects a key written twice in one object (the first is read)`, key.offset, key.offset + key.length);
    return true;
  }

  private range(start: number, end: number): SourceRange {
    return this.lines.range(start, end);
  }

  /**
   * An object's properties. Where the object holds blocks or arguments, its `"//"` comments are recorded and left
   * out; an object value (`isValue`) keeps a `"//"` key as any other, as Terraform does. A comment's subject
   * (`HclComment.subjectLine`, `subjectColumn`) is placed by offsets, not lines, so that a one-line (minified) file
   * binds as a pretty-printed one: in a block's object (`blockStart`, where the block starts) the block; in any other
   * object (of block types or names) the property after it, else that object itself, which is no rule or target.
   */
  private properties(object: JsonNode, isValue = false, blockStart?: number): Array<{ key: JsonNode; value: JsonNode }> {
    const result: Array<{ key: JsonNode; value: JsonNode }> = [];
    let waitingForNextKey: HclComment[] = [];
    for (const property of object.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || !value) continue;
      if (key.value === COMMENT_PROPERTY && !isValue) {
        if (value.type === 'string') {
          const comment: HclComment = { text: value.value as string, line: this.lines.line(property.offset), range: this.range(property.offset, property.offset + property.length), start: property.offset, end: property.offset + property.length };
          if (blockStart !== undefined) this.placeSubject(comment, blockStart);
          else waitingForNextKey.push(comment);
          this.comments.push(comment);
        }
        continue;
      }
      for (const comment of waitingForNextKey) this.placeSubject(comment, key.offset);
      waitingForNextKey = [];
      result.push({ key, value });
    }
    for (const comment of waitingForNextKey) this.placeSubject(comment, object.offset);
    return result;
  }

  private placeSubject(comment: HclComment, offset: number): void {
    const { startLine, startColumn } = this.range(offset, offset);
    comment.subjectLine = startLine;
    comment.subjectColumn = startColumn;
  }

  /**
   * The blocks of `type` (named by `typeKey`) in `value`: for each label still to read, an object of label → more
   * (or an array of such objects), then a body (an object, or an array of objects, one block each).
   */
  private readBlocks(typeKey: JsonNode, value: JsonNode, schema: BlockSchema, labels: JsonNode[], out: Block[]): void {
    const objects = value.type === 'array' ? value.children ?? [] : [value];
    for (const object of objects) {
      if (object.type !== 'object') {
        const what = labels.length < schema.labels ? `an object of ${labels.length === 0 ? 'names' : 'more names'}` : 'an object (the block body)';
        this.problem(`${typeKey.value as string}${labels.map((label) => ` "${label.value as string}"`).join('')}: expected ${what}, found ${describeNode(object)}`, object.offset, object.offset + object.length);
        continue;
      }
      if (labels.length < schema.labels) {
        for (const { key, value: inner } of this.properties(object)) this.readBlocks(typeKey, inner, schema, [...labels, key], out);
        continue;
      }
      // A block starts at its last label, else at its own object when it is one of an array, else at its type.
      const startNode = labels[labels.length - 1] ?? (value.type === 'array' ? object : typeKey);
      const end = object.offset + object.length;
      out.push({
        type: typeKey.value as string,
        typeRange: this.range(typeKey.offset, typeKey.offset + typeKey.length),
        labels: labels.map((label) => label.value as string),
        labelRanges: labels.map((label) => this.range(label.offset, label.offset + label.length)),
        body: this.readBody(object, schema.body(), startNode.offset),
        range: this.range(startNode.offset, end),
        start: startNode.offset,
        end,
      });
    }
  }

  private readBody(object: JsonNode, schema: BodySchema, blockStart: number): Body {
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    const argumentKeys = new Map<string, JsonNode>();
    for (const { key, value } of this.properties(object, false, blockStart)) {
      const name = key.value as string;
      const blockSchema = schema.blocks.get(name);
      // A block type may be written several times (`"ingress": [...]` twice adds blocks); an argument only once.
      if (blockSchema && isBlockValue(value)) {
        this.readBlocks(key, value, blockSchema, [], blocks);
        continue;
      }
      if (this.isDuplicateKey(argumentKeys, key, 'argument')) continue;
      const expr = this.expression(value, schema.expressions.has(name));
      // The name's own range (`attributeNameRange`) starts at the attribute's: inside the key's quotes.
      const start = key.offset + 1;
      attributes.push({ name, expr, range: this.range(start, expr.end), start, end: expr.end });
    }
    const end = object.offset + object.length;
    return { attributes, blocks, range: this.range(object.offset, end), start: object.offset, end };
  }

  /** A JSON value as an expression: strings are templates, or expressions where Terraform wants one (`isExpression`). */
  private expression(node: JsonNode, isExpression: boolean): Expression {
    const start = node.offset;
    const end = node.offset + node.length;
    const range = this.range(start, end);
    switch (node.type) {
      case 'string':
        return this.stringExpression(node, isExpression);
      case 'number':
      case 'boolean':
        return { kind: 'literal', value: node.value as number | boolean, range, start, end };
      case 'null':
        return { kind: 'literal', value: null, range, start, end };
      case 'array':
        return { kind: 'tuple', items: (node.children ?? []).map((child) => this.expression(child, isExpression)), range, start, end };
      case 'object': {
        const keys = new Map<string, JsonNode>();
        const items: ObjectItem[] = [];
        for (const { key, value } of this.properties(node, true)) {
          if (this.isDuplicateKey(keys, key, 'object attribute')) continue;
          // Object keys are templates (`"${var.name}": …`), a plain one its text.
          const keyExpr = this.stringExpression(key, false);
          const valueExpr = this.expression(value, isExpression);
          items.push({ key: keyExpr, value: valueExpr, range: this.range(key.offset, valueExpr.end), start: key.offset, end: valueExpr.end });
        }
        return { kind: 'object', items, range, start, end };
      }
      default:
        return { kind: 'invalid', range, start, end };
    }
  }

  /**
   * A JSON string read by the HCL reader, its positions moved from the decoded string into this file: most strings
   * have no escape and sit in the file as they are; for one that has, each decoded character maps to its escape.
   */
  private stringExpression(node: JsonNode, isExpression: boolean): Expression {
    const decoded = node.value as string;
    const contentStart = node.offset + 1;
    if (!isExpression && !decoded.includes('${') && !decoded.includes('%{')) {
      // Most strings are plain text ("tcp", "10.0.0.0/16"): the template the HCL reader would give, without running it.
      const end = node.offset + node.length;
      const parts: TemplatePart[] = decoded === '' ? [] : [{ kind: 'text', value: decoded, start: contentStart, end: end - 1 }];
      return { kind: 'template', parts, heredoc: null, range: this.range(node.offset, end), start: node.offset, end };
    }
    const toFile = fileOffsets(this.text, contentStart, node.offset + node.length - 1, decoded.length);
    const parsed = isExpression ? parseHclExpression(decoded, this.file) : parseHclTemplate(decoded, this.file);
    const decodedLines = parsed.diagnostics.length > 0 ? lineStartsOf(decoded) : [];
    for (const diagnostic of parsed.diagnostics) {
      const from = decodedOffset(decodedLines, diagnostic.range!.startLine, diagnostic.range!.startColumn);
      const to = decodedOffset(decodedLines, diagnostic.range!.endLine, diagnostic.range!.endColumn);
      this.diagnostics.push({ ...diagnostic, range: this.range(toFile(from), toFile(to)) });
    }
    if (isExpression && parsed.diagnostics.length > 0) {
      return { kind: 'invalid', range: this.range(node.offset, node.offset + node.length), start: node.offset, end: node.offset + node.length };
    }
    relocate(parsed.expr, toFile, this.lines);
    if (parsed.expr.kind === 'template') {
      // A template spans its quotes, as a quoted string of native syntax does.
      parsed.expr.start = node.offset;
      parsed.expr.end = node.offset + node.length;
      parsed.expr.range = this.range(parsed.expr.start, parsed.expr.end);
    }
    return parsed.expr;
  }
}

/** Whether a property's value is written as block(s): an object, or a non-empty array of objects (`[]` is an argument). */
function isBlockValue(value: JsonNode): boolean {
  if (value.type === 'object') return true;
  if (value.type !== 'array' || !value.children || value.children.length === 0) return false;
  return value.children.every((child) => child.type === 'object');
}

function describeNode(node: JsonNode): string {
  return node.type === 'null' ? 'null' : node.type === 'array' ? 'an array' : node.type === 'object' ? 'an object' : `a ${node.type}`;
}

/**
 * Maps offsets in a JSON string's decoded value to offsets in the file, whose raw content is `text[from, to)`. JSON
 * decodes every escape (`\n`, `\"`, `\u0041`, each half of a surrogate pair) to one UTF-16 unit.
 */
function fileOffsets(text: string, from: number, to: number, decodedLength: number): (offset: number) => number {
  if (to - from === decodedLength) return (offset) => from + offset;
  const starts: number[] = [];
  for (let i = from; i < to; ) {
    starts.push(i);
    if (text.charCodeAt(i) !== 92 /* \ */) i++;
    else i += text.charCodeAt(i + 1) === 117 /* u */ ? 6 : 2;
  }
  starts.push(to);
  return (offset) => starts[Math.min(offset, starts.length - 1)]!;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function decodedOffset(lineStarts: readonly number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? 0) + column - 1;
}

/** Moves every node of an expression parsed from a decoded string to its place in the file (offsets and ranges). */
function relocate(root: Expression, toFile: (offset: number) => number, lines: LineMap): void {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const spanned = node as { start?: unknown; end?: unknown; range?: SourceRange; kind?: string; name?: string; nameRange?: SourceRange };
    for (const [key, value] of Object.entries(spanned)) if (key !== 'range' && key !== 'nameRange') visit(value);
    if (typeof spanned.start !== 'number' || typeof spanned.end !== 'number') return;
    const decodedStart = spanned.start;
    const start = toFile(decodedStart);
    const end = toFile(spanned.end);
    spanned.start = start;
    spanned.end = end;
    if (spanned.range) spanned.range = lines.range(start, end);
    // A function's name is written where the call starts.
    if (spanned.kind === 'function-call' && spanned.name !== undefined) spanned.nameRange = lines.range(start, toFile(decodedStart + spanned.name.length));
  };
  visit(root);
}
