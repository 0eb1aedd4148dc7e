import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { errorDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import { lineStarts, rangeOf } from '../shared/annotations';
import { bracketDepth, describeJsonError } from '../shared/json-error';
import { MAX_NESTING_DEPTH } from './limits';
import type { MapEntry, ReadResult, TemplateNode } from './template-node';

/**
 * Reads a JSON template into a located value tree. Strict, as CloudFormation is (ECMA-404): comments and trailing
 * commas are errors. Never throws on bad input.
 */
export function readJsonTemplate(text: string, file: string): ReadResult {
  const starts = lineStarts(text);
  const toRange = (start: number, end: number): SourceRange => rangeOf(starts, start, Math.max(start, end));
  const diagnostics: Diagnostic[] = [];
  const deepest = bracketDepth(text, MAX_NESTING_DEPTH);
  if (deepest.depth > MAX_NESTING_DEPTH) {
    // jsonc-parser recurses once per level; refuse before it can overflow the stack.
    diagnostics.push(errorDiagnostic('parse/cfn-too-deep', file, `values are nested more than ${MAX_NESTING_DEPTH} levels deep; the template is not read`, toRange(deepest.offset, deepest.offset + 1)));
    return { annotations: [], diagnostics };
  }
  const errors: ParseError[] = [];
  // A byte-order mark is not JSON; a space of the same length keeps every offset.
  const tree = parseTree(text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  for (const error of errors) {
    diagnostics.push(errorDiagnostic('parse/cfn-json-syntax', file, `JSON syntax error: ${describeJsonError(printParseErrorCode(error.error))}`, toRange(error.offset, error.offset + error.length)));
  }
  const root = tree ? convert(tree, text, toRange, file, diagnostics) : undefined;
  return { root, annotations: [], diagnostics };
}

function convert(node: JsonNode, text: string, toRange: (start: number, end: number) => SourceRange, file: string, diagnostics: Diagnostic[]): TemplateNode {
  const range = toRange(node.offset, node.offset + node.length);
  switch (node.type) {
    case 'object': {
      const entries: MapEntry[] = [];
      const firstByKey = new Map<string, SourceRange>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        const keyRange = toRange(keyNode.offset, keyNode.offset + keyNode.length);
        const first = firstByKey.get(key);
        if (first) {
          diagnostics.push(errorDiagnostic('parse/cfn-duplicate-key', file, `duplicate key "${key}" (first defined on line ${first.startLine}); the last one is used, as CloudFormation does`, keyRange));
        } else {
          firstByKey.set(key, keyRange);
        }
        const value: TemplateNode = valueNode
          ? convert(valueNode, text, toRange, file, diagnostics)
          : { kind: 'scalar', value: null, range: keyRange };
        // CloudFormation takes the last of duplicate keys: the earlier entry goes.
        if (first) entries.splice(entries.findIndex((entry) => entry.key === key), 1);
        entries.push({ key, keyRange, value, range: { ...keyRange, endLine: value.range.endLine, endColumn: value.range.endColumn } });
      }
      return { kind: 'map', entries, range };
    }
    case 'array':
      return { kind: 'list', items: (node.children ?? []).map((child) => convert(child, text, toRange, file, diagnostics)), range };
    case 'number': {
      const written = text.slice(node.offset, node.offset + node.length);
      return written === String(node.value) ? { kind: 'scalar', value: node.value as number, range } : { kind: 'scalar', value: node.value as number, range, written };
    }
    case 'string':
    case 'boolean':
      return { kind: 'scalar', value: node.value as string | number | boolean, range };
    default:
      return { kind: 'scalar', value: null, range };
  }
}
