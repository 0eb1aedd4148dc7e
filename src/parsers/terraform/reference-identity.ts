import { unwrapParens, type Expression } from './hcl';
import { parseHclExpression } from './hcl/parser';

/**
 * A reference written as the traversal it reads, one spelling for each (`var.sg_ids.web` for `var.sg_ids["web"]`,
 * `(var.sg_ids).web` and `lookup(var.sg_ids, "web")`; `x[0]` for `x.0`): in HCL, `.name` and `["name"]` read the same
 * element, so rules naming one unresolved group in either spelling name one group. A key that is not a name of
 * letters, digits and `_` stays an index (`var.ids["web-1"]`). Undefined for anything but a traversal with literal keys.
 */
export function canonicalReference(text: string): string | undefined {
  const parsed = parseHclExpression(text, 'reference');
  return parsed.diagnostics.length > 0 ? undefined : traversalText(parsed.expr);
}

// HCL names may hold `-`, but `x.web-1` reads like a subtraction: such a key is written as an index.
const IDENTIFIER = /^[A-Za-z_]\w*$/;

function traversalText(written: Expression): string | undefined {
  const expr = unwrapParens(written);
  switch (expr.kind) {
    case 'variable':
      return expr.name;
    case 'get-attr': {
      const object = traversalText(expr.object);
      return object === undefined ? undefined : `${object}.${expr.name}`;
    }
    case 'index': {
      const collection = traversalText(expr.collection);
      return collection === undefined ? undefined : withKey(collection, expr.key);
    }
    case 'function-call': {
      // `lookup(map, key)` without a default is `map[key]`; with one, it may read the default instead.
      if (expr.name !== 'lookup' || expr.args.length !== 2 || expr.expandFinal) return undefined;
      const map = traversalText(expr.args[0]!);
      return map === undefined ? undefined : withKey(map, expr.args[1]!);
    }
    default:
      return undefined;
  }
}

function withKey(collection: string, key: Expression): string | undefined {
  if (key.kind === 'literal') return typeof key.value === 'number' && Number.isInteger(key.value) && key.value >= 0 ? `${collection}[${key.value}]` : undefined;
  const name = literalString(key);
  if (name === undefined) return undefined;
  return IDENTIFIER.test(name) ? `${collection}.${name}` : `${collection}[${JSON.stringify(name)}]`;
}

function literalString(expr: Expression): string | undefined {
  if (expr.kind !== 'template' || expr.heredoc !== null) return undefined;
  if (expr.parts.length === 0) return '';
  const [part] = expr.parts;
  return expr.parts.length === 1 && part!.kind === 'text' ? part!.value : undefined;
}
