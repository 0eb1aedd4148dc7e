import type { ModuleFile } from './module';

/** One `moved { from = … to = … }` block, its addresses made absolute (prefixed with the module instance's address). */
export interface AddressMove {
  from: string;
  to: string;
}

/** Former addresses kept per target: a guard against a long or branching history of `moved` blocks. */
const MAX_FORMER_ADDRESSES = 32;

const KEY = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;
const NAME = String.raw`[A-Za-z_][\w-]*`;
/** `module.a[0].module.b.aws_security_group.web["x"]`, `module.a`: what Terraform accepts in a `moved` block. */
const MOVABLE_ADDRESS = new RegExp(String.raw`^(?:module\.${NAME}(?:${KEY})?\.)*(?:module\.${NAME}|${NAME}\.${NAME})(?:${KEY})?$`);

/**
 * The `moved` blocks of a module instance's files. Terraform reads `from` and `to` relative to the module they are
 * written in, so the instance's address (`module.net["a"]`) prefixes both; a data source or an address that is not
 * a plain traversal is no move (Terraform rejects it).
 */
export function movesOf(files: readonly ModuleFile[], moduleAddress: string): AddressMove[] {
  const moves: AddressMove[] = [];
  const prefix = moduleAddress ? `${moduleAddress}.` : '';
  for (const { file, blocks } of files) {
    for (const block of blocks) {
      if (block.type !== 'moved') continue;
      const text = (name: string): string | undefined => {
        const attribute = block.body.attributes.find((candidate) => candidate.name === name);
        const written = attribute ? withoutSpaces(file.text.slice(attribute.expr.start, attribute.expr.end)) : undefined;
        return written !== undefined && MOVABLE_ADDRESS.test(written) && !written.startsWith('data.') ? written : undefined;
      };
      const [from, to] = [text('from'), text('to')];
      if (from !== undefined && to !== undefined && from !== to) moves.push({ from: prefix + from, to: prefix + to });
    }
  }
  return moves;
}

/** Removes blanks outside string keys (`module.a [ "x" ]` is `module.a["x"]`, as the target ids write it). */
function withoutSpaces(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (part) => (part.startsWith('"') ? part : ''));
}

/**
 * The addresses `address` had before the moves, nearest first, following chains (`a` → `b`, `b` → `c`: `c` was
 * `b`, and before that `a`). A move of a whole resource or module call (`from = module.a  to = module.b`) moves its
 * instances with their keys and everything inside a module; a move of one instance (`to = aws_security_group.web[0]`)
 * only that instance.
 */
export function formerAddresses(address: string, moves: readonly AddressMove[]): string[] {
  const formers: string[] = [];
  const seen = new Set([address]);
  for (let index = -1; index < formers.length && formers.length < MAX_FORMER_ADDRESSES; index++) {
    const current = index < 0 ? address : formers[index]!;
    for (const move of moves) {
      const former = formerAddress(current, move);
      if (former === undefined || seen.has(former)) continue;
      seen.add(former);
      formers.push(former);
      if (formers.length === MAX_FORMER_ADDRESSES) break;
    }
  }
  return formers;
}

/** The address `address` had before `move`, or undefined when the move is not about it. */
function formerAddress(address: string, { from, to }: AddressMove): string | undefined {
  if (!address.startsWith(to)) return undefined;
  const rest = address.slice(to.length);
  if (rest === '' || rest.startsWith('.')) return from + rest;
  // Instance keys carry over only between two whole resources or module calls (Terraform's rule for `moved`).
  if (rest.startsWith('[') && !to.endsWith(']') && !from.endsWith(']')) return from + rest;
  return undefined;
}
