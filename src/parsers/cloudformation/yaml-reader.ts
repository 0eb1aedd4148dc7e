import { CST, Lexer, LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Alias, Document, Node as YamlNode, ScalarTag, CollectionTag, Tags } from 'yaml';
import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import type { Annotation } from '../../model/source-file';
import { annotationsFromComments, lineStarts, positionAt, type SourceComment } from '../shared/annotations';
import { describeYamlError, firstOfItsKind, isYamlStackOverflow } from '../shared/hostile-input';
import { ALIAS_EXPANSION_BUDGET, MAX_NESTING_DEPTH } from './limits';
import type { MapEntry, ReadResult, TemplateNode } from './template-node';

/**
 * YAML short forms of the intrinsic functions and their long-form keys (CloudFormation intrinsic function reference).
 * `Length`/`ToJsonString` belong to the AWS::LanguageExtensions transform; they are accepted and left unresolved.
 */
const SHORT_FORMS: ReadonlyMap<string, string> = new Map([
  ['Ref', 'Ref'],
  ['Condition', 'Condition'],
  ...['Sub', 'GetAtt', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'Cidr', 'Equals', 'Not', 'And', 'Or',
    'ImportValue', 'GetAZs', 'Transform', 'Length', 'ToJsonString'].map((name): [string, string] => [name, `Fn::${name}`]),
]);

/** Tags of the YAML 1.1 schema that CloudFormation accepts; it rejects binary, omap, pairs, set and timestamp. */
const PLAIN_TAGS = new Set(['!', 'str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((name) => (name === '!' ? name : `tag:yaml.org,2002:${name}`)));

/** Registers every short form in its scalar, sequence and mapping variants, keeping the node as written. */
function cloudFormationTags(schemaTags: Tags): Tags {
  const custom: Array<ScalarTag | CollectionTag> = [];
  for (const name of SHORT_FORMS.keys()) {
    const tag = `!${name}`;
    custom.push({ tag, resolve: (text: string) => text });
    custom.push({ tag, collection: 'seq', resolve: (seq) => seq });
    custom.push({ tag, collection: 'map', resolve: (map) => map });
  }
  // CloudFormation supports no timestamps: `2010-09-09` stays a string. `<<` stays one too, for the walk to merge with
  // positions kept (see `mergeEntries`).
  const unsupported = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:merge']);
  return [...schemaTags.filter((tag) => typeof tag === 'string' || !unsupported.has(tag.tag)).map(withDigitsRequired), ...custom];
}

/**
 * The `yaml` library's YAML 1.1 float patterns accept a number without digits: `E1`, `e10` (a logical id, a
 * name) read as NaN, and `.` too. A float needs a digit before its exponent or after its point.
 */
const FLOAT_PATTERNS: Readonly<Record<string, RegExp>> = {
  EXP: /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)[eE][-+]?[0-9]+$/,
  PLAIN: /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/,
};

function withDigitsRequired(tag: Tags[number]): Tags[number] {
  if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:float' || !('test' in tag) || tag.test === undefined) return tag;
  if (tag.format === 'EXP') return { ...tag, test: FLOAT_PATTERNS.EXP };
  // The decimal form (`1.5`), told apart from `.inf`/`.nan` and the sexagesimal `1:30.5` by what it matches.
  if (tag.format === undefined && tag.test.test('1.5') && !tag.test.test('.inf')) return { ...tag, test: FLOAT_PATTERNS.PLAIN };
  return tag;
}

/** Reads a YAML template into a located value tree; never throws on bad input. */
export function readYamlTemplate(text: string, file: string): ReadResult {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  // CloudFormation reads YAML 1.1 (template-formats: "supports the YAML Version 1.1 specification"), so `yes` is a
  // boolean there; duplicate keys are reported by our walk with both lines, which also expands merge keys.
  const document = parseDocument(text, {
    version: '1.1',
    customTags: cloudFormationTags,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    merge: false,
  });
  const toRange = (start: number, end: number): SourceRange => {
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(Math.max(start, end));
    return { startLine: from.line, startColumn: from.col, endLine: to.line, endColumn: to.col };
  };
  const seen = new Set<string>();
  for (const error of document.errors) {
    // `yaml` may report one failure twice, and a stack overflow on absurd nesting once per nesting level.
    if (!firstOfItsKind(seen, error.code, error.message, error.pos[0])) continue;
    const range = toRange(error.pos[0], error.pos[1]);
    if (error.code === 'MULTIPLE_TAGS') {
      diagnostics.push(errorDiagnostic('parse/cfn-stacked-tags', file,
        'a YAML node can carry only one tag, so two short forms cannot be stacked (`!Base64 !Sub …`): write the outer one in long form (`Fn::Base64: !Sub …`)', range));
    } else if (error.code === 'MULTIPLE_DOCS') {
      // CloudFormation rejects such a file; the library's advice (`parseAllDocuments()`) is for fwlint's code, not its users.
      diagnostics.push(errorDiagnostic('parse/cfn-yaml-syntax', file,
        `a CloudFormation template is one YAML document, but a second one starts on line ${range.startLine}${text.startsWith('---', error.pos[0]) ? ' (`---`)' : ''}: split the file into one template per file; only the first document is read`, range));
    } else if (isYamlStackOverflow(error.message)) {
      diagnostics.push(errorDiagnostic('parse/cfn-too-deep', file, `YAML ${describeYamlError(error.message)}; the template is not fully read`, range));
    } else {
      diagnostics.push(errorDiagnostic('parse/cfn-yaml-syntax', file, `YAML syntax error: ${firstLine(error.message)}`, range));
    }
  }
  for (const warning of document.warnings) {
    // Unknown tags are reported by the walk below, as errors: CloudFormation rejects them.
    if (warning.code === 'TAG_RESOLVE_FAILED') continue;
    diagnostics.push(warningDiagnostic('parse/cfn-yaml-warning', file, firstLine(warning.message), toRange(warning.pos[0], warning.pos[1])));
  }
  const walker = new YamlWalker(text, file, document, toRange, diagnostics);
  const root = document.contents ? walker.convert(document.contents, 0) : undefined;
  return { root, annotations: readAnnotations(text, file, toRange, document), diagnostics };
}

/** A plain `<<` key: a quoted one is the string `<<`, as YAML 1.1 reads it. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && key.type === 'PLAIN';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

class YamlWalker {
  private expandedCount = 0;
  private readonly expansionBudget: number;
  private readonly expanding = new Set<YamlNode>();
  /** Every alias's anchor, found in one walk of the document when the first alias is met. */
  private aliasTargets: Map<Alias, YamlNode | undefined> | undefined;
  private readonly reported = new Set<string>();
  /** Aliases without an anchor, or inside what they refer to, already reported. */
  private readonly reportedAliases = new Set<Alias>();
  /** The outermost alias being expanded, where an expansion over budget is reported. */
  private aliasSite: [number, number] | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly document: Document.Parsed,
    private readonly toRange: (start: number, end: number) => SourceRange,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.expansionBudget = ALIAS_EXPANSION_BUDGET + text.length;
  }

  convert(node: unknown, depth: number, fallbackOffset = 0): TemplateNode {
    const [start, end] = this.offsetsOf(node, fallbackOffset);
    const empty: TemplateNode = { kind: 'scalar', value: null, range: this.toRange(start, start) };
    // Only values produced by alias expansion count: the rest is bounded by the size of the text itself.
    if (this.aliasSite !== undefined && ++this.expandedCount > this.expansionBudget) {
      const [siteStart, siteEnd] = this.aliasSite ?? [start, end];
      this.reportOnce('parse/cfn-alias-limit', `YAML aliases expand to more than ${this.expansionBudget} values; further aliases are not expanded (alias bomb?)`, siteStart, siteEnd);
      return empty;
    }
    if (depth > MAX_NESTING_DEPTH) {
      this.reportOnce('parse/cfn-too-deep', `values are nested more than ${MAX_NESTING_DEPTH} levels deep; deeper values are not read`, start, end);
      return empty;
    }
    if (isAlias(node)) return this.convertAlias(node, depth, start, end);
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      const plain = this.convertUntagged(node, depth, start, end);
      return node.tag === undefined || PLAIN_TAGS.has(node.tag) ? plain : this.applyTag(node.tag, plain, start);
    }
    return empty;
  }

  private convertAlias(node: Alias, depth: number, start: number, end: number): TemplateNode {
    this.reportOnce('parse/cfn-yaml-alias', 'CloudFormation does not support YAML aliases (template-formats); fwlint expands them, the deployment would fail', start, end, 'warning');
    const target = this.resolveAlias(node);
    if (!target || this.expanding.has(target)) {
      // Once per written alias: copies of it that other aliases expand would repeat the error at the same place.
      if (!this.reportedAliases.has(node)) {
        this.reportedAliases.add(node);
        this.diagnostics.push(errorDiagnostic('parse/cfn-yaml-alias', this.file, `alias *${node.source} ${target ? 'refers to itself' : 'has no anchor'}`, this.toRange(start, end)));
      }
      return { kind: 'scalar', value: null, range: this.toRange(start, end) };
    }
    this.expanding.add(target);
    const outermost = this.aliasSite === undefined;
    if (outermost) this.aliasSite = [start, end];
    try {
      return this.convert(target, depth + 1, start);
    } finally {
      this.expanding.delete(target);
      if (outermost) this.aliasSite = undefined;
    }
  }

  /**
   * The node an alias refers to: the last node with its anchor before it in document order, as `Alias.resolve`
   * defines it. `Alias.resolve` walks the whole document on every call, quadratic in the number of aliases (16k
   * aliases took 27 s); one walk records every alias's anchor, after which each lookup is constant.
   */
  private resolveAlias(alias: Alias): YamlNode | undefined {
    if (!this.aliasTargets) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      visit(this.document, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchors.set(node.anchor, node);
        },
      });
      this.aliasTargets = targets;
    }
    return this.aliasTargets.get(alias);
  }

  private convertUntagged(node: YamlNode, depth: number, start: number, end: number): TemplateNode {
    if (isScalar(node)) {
      const value = node.value;
      const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value
        : value === null || value === undefined ? null
        : String(value);
      const range = this.toRange(start, end);
      return typeof scalar === 'number' && node.source !== undefined && node.source !== String(scalar)
        ? { kind: 'scalar', value: scalar, range, written: node.source }
        : { kind: 'scalar', value: scalar, range };
    }
    if (isSeq(node)) {
      const items = node.items.map((item) => this.convert(item, depth + 1, start));
      const last = items[items.length - 1];
      const range = node.flow || !last ? this.toRange(start, end) : { ...this.toRange(start, start), endLine: last.range.endLine, endColumn: last.range.endColumn };
      return { kind: 'list', items, range };
    }
    const entries: MapEntry[] = [];
    const firstByKey = new Map<string, SourceRange>();
    const explicitKeys = isMap(node) && node.items.some((pair) => isPair(pair) && isMergeKey(pair.key)) ? this.explicitKeys(node.items) : undefined;
    for (const pair of isMap(node) ? node.items : []) {
      if (!isPair(pair)) continue;
      const keyNode = isAlias(pair.key) ? this.resolveAlias(pair.key) : pair.key;
      const [keyStart, keyEnd] = this.offsetsOf(pair.key, start);
      const keyRange = this.toRange(keyStart, keyEnd);
      if (keyNode !== null && keyNode !== undefined && !isScalar(keyNode)) {
        this.diagnostics.push(errorDiagnostic('parse/cfn-complex-key', this.file, 'a mapping key must be a plain value in a CloudFormation template', keyRange));
        continue;
      }
      // A key is a name as written: YAML 1.1 would make `Yes:` a boolean and `0x1F:` the number 31.
      const key = keyNode && isScalar(keyNode) ? (typeof keyNode.value === 'string' ? keyNode.value : keyNode.source ?? String(keyNode.value ?? '')) : '';
      if (isMergeKey(pair.key)) {
        this.reportOnce('parse/cfn-yaml-merge', 'the CloudFormation service does not accept YAML merge keys (<<); fwlint merges them as `aws cloudformation package` and SAM do before deploying', keyStart, keyEnd, 'warning');
        this.mergeEntries(pair.value, depth, keyEnd, explicitKeys!, entries, firstByKey);
        continue;
      }
      const first = firstByKey.get(key);
      if (first) {
        this.diagnostics.push(errorDiagnostic('parse/cfn-duplicate-key', this.file, `duplicate key "${key}" (first defined on line ${first.startLine}); the last one is used, as CloudFormation does`, keyRange));
      } else {
        firstByKey.set(key, keyRange);
      }
      const value = this.convert(pair.value, depth + 1, keyEnd);
      // CloudFormation takes the last of duplicate keys: the earlier entry goes.
      if (first) entries.splice(entries.findIndex((entry) => entry.key === key), 1);
      entries.push({ key, keyRange, value, range: { ...keyRange, endLine: value.range.endLine, endColumn: value.range.endColumn } });
    }
    const last = entries[entries.length - 1];
    const flow = isMap(node) && node.flow;
    const range = flow || !last ? this.toRange(start, end) : { ...this.toRange(start, start), endLine: last.range.endLine, endColumn: last.range.endColumn };
    return { kind: 'map', entries, range };
  }

  /**
   * A YAML 1.1 merge key (`<<: *rule`, `<<: [*a, *b]`): the entries of the mappings it names join this one where it
   * has no such key (the first mapping of a list wins), each at the place it is written. The CloudFormation service
   * rejects it, as it rejects aliases, but `aws cloudformation package` and SAM expand merges (aws-cli #3827), so
   * templates using it are deployed that way: read as they expand it, with a warning (once per template).
   */
  private mergeEntries(valueNode: unknown, depth: number, valueStart: number, explicitKeys: ReadonlySet<string>, entries: MapEntry[], firstByKey: Map<string, SourceRange>): void {
    const value = this.convert(valueNode as YamlNode | null, depth + 1, valueStart);
    const sources = value.kind === 'list' ? value.items : [value];
    if (sources.some((source) => source.kind !== 'map' || source.shortForm)) {
      this.diagnostics.push(errorDiagnostic('parse/cfn-yaml-merge', this.file, 'a merge key (<<) takes a mapping or a list of mappings; it is not read', value.range));
      return;
    }
    for (const source of sources) {
      if (source.kind !== 'map') continue;
      for (const entry of source.entries) {
        if (explicitKeys.has(entry.key) || firstByKey.has(entry.key)) continue;
        firstByKey.set(entry.key, entry.keyRange);
        entries.push(entry);
      }
    }
  }

  /** The keys a mapping writes itself, which entries a merge key brings do not override. */
  private explicitKeys(pairs: readonly unknown[]): Set<string> {
    const keys = new Set<string>();
    for (const pair of pairs) {
      if (!isPair(pair) || isMergeKey(pair.key)) continue;
      const keyNode = isAlias(pair.key) ? this.resolveAlias(pair.key) : pair.key;
      if (keyNode && isScalar(keyNode)) keys.add(typeof keyNode.value === 'string' ? keyNode.value : keyNode.source ?? String(keyNode.value ?? ''));
    }
    return keys;
  }

  /** Rewrites a short form to its long form, or keeps an unknown tag as `{ "!Tag": value }` after reporting it. */
  private applyTag(tag: string, value: TemplateNode, valueStart: number): TemplateNode {
    const tagStart = this.tagStart(tag, valueStart);
    const keyRange = this.toRange(tagStart, tagStart + tag.replace(/^tag:yaml\.org,2002:/, '!!').length);
    const range = { ...keyRange, endLine: value.range.endLine, endColumn: value.range.endColumn };
    const longForm = tag.startsWith('!') ? SHORT_FORMS.get(tag.slice(1)) : undefined;
    if (longForm === undefined) {
      const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
      const message = shown.startsWith('!!')
        ? `CloudFormation does not support the YAML tag ${shown}`
        : `unknown tag ${shown}: CloudFormation short forms are ${[...SHORT_FORMS.keys()].map((name) => `!${name}`).join(', ')}`;
      this.diagnostics.push(errorDiagnostic('parse/cfn-unknown-tag', this.file, message, keyRange));
      return { kind: 'map', entries: [{ key: shown, keyRange, value, range }], range, shortForm: true };
    }
    let argument = value;
    if (longForm === 'Fn::GetAtt' && value.kind === 'scalar' && typeof value.value === 'string') {
      argument = splitGetAtt(value.value, value.range, this.text.slice(valueStart, valueStart + value.value.length) === value.value);
    }
    return { kind: 'map', entries: [{ key: longForm, keyRange, value: argument, range }], range, shortForm: true };
  }

  /** `yaml` ranges start at the value, after the tag; the tag sits just before it (after an anchor at most). */
  private tagStart(tag: string, valueStart: number): number {
    const written = tag.replace(/^tag:yaml\.org,2002:/, '!!');
    const found = this.text.lastIndexOf(written, valueStart);
    return found !== -1 && valueStart - found <= 256 ? found : valueStart;
  }

  private offsetsOf(node: unknown, fallback: number): [number, number] {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (!range) return [fallback, fallback];
    let end = range[1];
    while (end > range[0] && /\s/.test(this.text[end - 1]!)) end--;
    return [range[0], end];
  }

  private reportOnce(code: string, message: string, start: number, end: number, severity: 'error' | 'warning' = 'error'): void {
    if (this.reported.has(code)) return;
    this.reported.add(code);
    const make = severity === 'error' ? errorDiagnostic : warningDiagnostic;
    this.diagnostics.push(make(code, this.file, message, this.toRange(start, end)));
  }
}

/** `!GetAtt Res.Attr.Sub` means `[Res, Attr.Sub]`: the logical id has no dots, attribute names may. */
function splitGetAtt(text: string, range: SourceRange, isPlain: boolean): TemplateNode {
  const dot = text.indexOf('.');
  if (dot <= 0) return { kind: 'scalar', value: text, range };
  const sameLine = isPlain && range.startLine === range.endLine;
  const resourceRange = sameLine ? { ...range, endColumn: range.startColumn + dot } : range;
  const attributeRange = sameLine ? { ...range, startColumn: range.startColumn + dot + 1 } : range;
  return {
    kind: 'list',
    items: [
      { kind: 'scalar', value: text.slice(0, dot), range: resourceRange },
      { kind: 'scalar', value: text.slice(dot + 1), range: attributeRange },
    ],
    range,
  };
}

/**
 * `fwlint:` directives in `#` comments. The YAML lexer yields the source as consecutive tokens (plus one-character
 * control markers that are not source text), so comment offsets come from a running sum: quoted strings and block
 * scalars containing `#` are single tokens and never mistaken for comments.
 */
function readAnnotations(text: string, file: string, toRange: (start: number, end: number) => SourceRange, document: Document.Parsed): Annotation[] {
  // Near misses (`FWLINT:IGNORE`, `fwlint: ignore`) are read too, to be reported.
  if (!/fwlint/i.test(text)) return [];
  const comments: SourceComment[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (token.length === 1 && (type === 'doc-mode' || type === 'flow-error-end' || type === 'scalar')) continue;
    let start = offset;
    if (!text.startsWith(token, offset)) {
      // Resynchronise if a marker character also occurs in the source; a comment's position matters, not its token.
      const found = text.indexOf(token, offset);
      if (found === -1) continue;
      start = found;
    }
    offset = start + token.length;
    // Every comment, so that an annotation's next line of code skips the comments below it.
    if (type === 'comment') comments.push({ text: token.slice(1), range: toRange(start, start + token.length), start, end: start + token.length });
  }
  const annotations = annotationsFromComments(text, file, comments);
  placeIndentedComments(annotations, text, document);
  return annotations;
}

/** A block mapping's entry or a block list's item: where it starts, and the column of its key or `-`. */
interface BlockPart {
  start: number;
  end: number;
  column: number;
}

/**
 * YAML has no closing brace: indentation is its block structure. A comment on its own line indented deeper than the
 * line after it is inside what is written above it, at that depth (a rule's mapping, after its last property), not
 * above the next line: it gets `Annotation.enclosingLine`, the first line of the innermost mapping entry or list item
 * (of the YAML AST) holding it, and no next line. A comment at the next line's indentation (a list's `-`) stays
 * above what follows.
 */
function placeIndentedComments(annotations: readonly Annotation[], text: string, document: Document.Parsed): void {
  let parts: BlockPart[] | undefined;
  let starts: number[] | undefined;
  for (const annotation of annotations) {
    if (annotation.nextCodeLine === undefined) continue;
    starts ??= lineStarts(text);
    const commentColumn = annotation.range.startColumn - 1;
    const nextLineStart = starts[annotation.nextCodeLine - 1]!;
    const nextColumn = /^[ \t]*/.exec(text.slice(nextLineStart, nextLineStart + commentColumn + 1))![0].length;
    if (commentColumn <= nextColumn) continue;
    const previousCode = lastCodeBefore(text, starts, annotation.range.startLine);
    if (previousCode === undefined) continue;
    parts ??= blockParts(document, text);
    let innermost: BlockPart | undefined;
    for (const part of parts) {
      if (part.start <= previousCode && previousCode < part.end && part.column < commentColumn && (!innermost || part.start > innermost.start)) innermost = part;
    }
    if (!innermost) continue;
    annotation.enclosingLine = positionAt(starts, innermost.start).line;
    delete annotation.nextCodeLine;
  }
}

/** The offset of the last character of code (not blank, not a `#` comment line) on the lines before `line`. */
function lastCodeBefore(text: string, starts: readonly number[], line: number): number | undefined {
  for (let index = line - 2; index >= 0; index--) {
    const content = text.slice(starts[index], (starts[index + 1] ?? text.length + 1) - 1);
    const trimmed = content.trimEnd();
    if (trimmed.trim() === '' || trimmed.trimStart().startsWith('#')) continue;
    return starts[index]! + trimmed.length - 1;
  }
  return undefined;
}

/** Every entry of a block mapping and item of a block list, walked without recursion (a template may nest deeply). */
function blockParts(document: Document.Parsed, text: string): BlockPart[] {
  const parts: BlockPart[] = [];
  const columnAt = (offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        pending.push(pair.value);
        const key = pair.key as YamlNode | null;
        const value = pair.value as YamlNode | null;
        if (node.flow || !key?.range) continue;
        parts.push({ start: key.range[0], end: value?.range?.[1] ?? key.range[1], column: columnAt(key.range[0]) });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        pending.push(item);
        const range = (item as YamlNode | null)?.range;
        if (node.flow || !range) continue;
        // The item's `-` is the last one before its content (which may itself start with one: `- -1`), on its line
        // or a line above.
        const dash = text.lastIndexOf('-', range[0] - 1);
        if (dash >= 0) parts.push({ start: dash, end: range[1], column: columnAt(dash) });
      }
    }
  }
  return parts;
}
