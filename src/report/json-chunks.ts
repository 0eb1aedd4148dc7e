/**
 * `JSON.stringify(value, null, 2)`, in pieces: a report of tens of thousands of results is written as it is produced
 * instead of as one string of tens of MB (and again as a Buffer of the same size), which is where a large scan's
 * memory used to peak. Same bytes as JSON.stringify for plain data (objects, arrays, strings, numbers, booleans,
 * null; `undefined` members left out), which is all a report holds: tested against JSON.stringify.
 */
export function* jsonChunks(value: unknown, streamDepth = 4): Generator<string> {
  yield* chunksOf(value, '', streamDepth);
}

function* chunksOf(value: unknown, indent: string, streamDepth: number): Generator<string> {
  if (streamDepth <= 0 || value === null || typeof value !== 'object') {
    // Below the streamed levels, a whole subtree at once (JSON.stringify is native and fast).
    const text = JSON.stringify(value, null, 2) as string | undefined;
    yield indented(text ?? 'null', indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    if (streamDepth === 1) {
      // Items are written whole: many at a time, already indented for their level (see `itemsAt`).
      for (let start = 0; start < value.length; start += ITEMS_PER_PIECE) {
        if (start > 0) yield ',\n';
        yield itemsAt(value.slice(start, start + ITEMS_PER_PIECE), inner);
      }
      yield `\n${indent}]`;
      return;
    }
    for (let i = 0; i < value.length; i++) {
      yield inner;
      const item: unknown = value[i];
      // JSON.stringify writes null for array holes, undefined, functions and symbols.
      yield* chunksOf(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, inner, streamDepth - 1);
      yield i < value.length - 1 ? ',\n' : `\n${indent}]`;
    }
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, member]) => member !== undefined && typeof member !== 'function' && typeof member !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, member] = entries[i]!;
    yield `${inner}${JSON.stringify(key)}: `;
    yield* chunksOf(member, inner, streamDepth - 1);
    yield i < entries.length - 1 ? ',\n' : `\n${indent}}`;
  }
}

const ITEMS_PER_PIECE = 500;

/**
 * Array items as JSON.stringify writes them at `indent` (items separated by `,\n`): the items are stringified
 * inside as many one-element arrays as their level needs, and the wrapping is sliced off. Native stringify then
 * does the indenting (re-indenting the text afterwards costs as much as stringifying it).
 */
function itemsAt(items: unknown[], indent: string): string {
  const levels = indent.length / 2;
  let wrapped: unknown = items;
  for (let level = 1; level < levels; level++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let prefix = 0;
  let suffix = 0;
  for (let level = 0; level < levels; level++) {
    prefix += level * 2 + 2; // indentation, "[", "\n"
    suffix += level * 2 + 2; // "\n", indentation, "]"
  }
  return text.slice(prefix, text.length - suffix);
}

/** Re-indents JSON text for its nesting level (a string value never holds a raw line break in JSON). */
function indented(json: string, indent: string): string {
  return indent === '' || !json.includes('\n') ? json : json.replace(/\n/g, `\n${indent}`);
}

/**
 * Joins small pieces into writes of about `size` characters. A piece of half that size or more (many results at once)
 * is written as it is, after what is pending: joining would only copy it.
 */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (chunk.length >= size / 2) {
      if (length > 0) yield pending.join('');
      pending = [];
      length = 0;
      yield chunk;
      continue;
    }
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (length > 0) yield pending.join('');
}
