import type { Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import type { Annotation } from '../../model/source-file';

/**
 * A template value with its source range, the same shape for YAML and JSON input. YAML short forms (`!Ref X`) are
 * already rewritten to their long form (`{ Ref: X }`) with `shortForm` set, so the evaluator sees one syntax.
 */
export type TemplateNode = ScalarNode | ListNode | MapNode;

export interface ScalarNode {
  kind: 'scalar';
  value: string | number | boolean | null;
  range: SourceRange;
  /** A number as written, when its value prints otherwise (`99999999999999999999` is the double 1e20): for messages. */
  written?: string;
}

export interface ListNode {
  kind: 'list';
  items: TemplateNode[];
  range: SourceRange;
}

export interface MapEntry {
  key: string;
  /** The key as written, where an `Fn::ForEach` loop replaced its identifier in it. */
  writtenKey?: string;
  keyRange: SourceRange;
  value: TemplateNode;
  /** From the key's start to the value's end. */
  range: SourceRange;
}

export interface MapNode {
  kind: 'map';
  entries: MapEntry[];
  range: SourceRange;
  /** Written as a YAML short-form tag (`!Sub …`); only changes how the node is printed back. */
  shortForm?: boolean;
}

/** What a reader hands to the evaluator: the root (absent when nothing usable was read) plus what it found. */
export interface ReadResult {
  root?: TemplateNode;
  annotations: Annotation[];
  diagnostics: Diagnostic[];
}

/** First entry with that key (duplicates are reported by the readers, and the first one wins, as in `yaml`). */
export function entryOf(map: MapNode, key: string): MapEntry | undefined {
  return map.entries.find((entry) => entry.key === key);
}

/** True for `{ Ref: … }`, `{ "Fn::…": … }` and unknown YAML tags kept as `{ "!Tag": … }`. */
export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::') || key.startsWith('!');
}

/** The single intrinsic entry of a map node, when the node is a function call. */
export function intrinsicOf(node: TemplateNode): MapEntry | undefined {
  if (node.kind !== 'map' || node.entries.length !== 1) return undefined;
  const entry = node.entries[0]!;
  return isIntrinsicKey(entry.key) ? entry : undefined;
}

const MAX_EXPR_LENGTH = 80;

/**
 * Compact one-line text of a node for messages and `unknowns`: `!ImportValue shared-cidr`, `!GetAtt Vpc.CidrBlock`,
 * `!If [IsProd, 10.0.0.0/8, !Ref AWS::NoValue]`. Long forms print as short forms so both inputs read the same.
 */
export function describeNode(node: TemplateNode): string {
  const text = printNode(node, 0);
  return text.length > MAX_EXPR_LENGTH ? `${text.slice(0, MAX_EXPR_LENGTH - 1)}…` : text;
}

function printNode(node: TemplateNode, depth: number): string {
  if (depth > 6) return '…';
  switch (node.kind) {
    case 'scalar':
      return node.value === null ? 'null' : String(node.value);
    case 'list':
      return `[${node.items.map((item) => printNode(item, depth + 1)).join(', ')}]`;
    case 'map': {
      const intrinsic = intrinsicOf(node);
      if (intrinsic) {
        const name = intrinsic.key.startsWith('Fn::') ? intrinsic.key.slice(4) : intrinsic.key.replace(/^!/, '');
        const argument = intrinsic.value;
        if (name === 'GetAtt' && argument.kind === 'list' && argument.items.every((item) => item.kind === 'scalar')) {
          return `!GetAtt ${argument.items.map((item) => printNode(item, depth + 1)).join('.')}`;
        }
        return `!${name} ${printNode(argument, depth + 1)}`;
      }
      return `{${node.entries.map((entry) => `${entry.key}: ${printNode(entry.value, depth + 1)}`).join(', ')}}`;
    }
  }
}
