/**
 * How a terminal lays out a line of source: which columns each character takes. East Asian wide and fullwidth
 * characters and emoji take two columns (an emoji sequence joined by U+200D, a flag or a skin tone as one emoji),
 * combining marks and other zero-width characters none, tabs advance to the next multiple of TAB_WIDTH, and control
 * characters are shown as U+FFFD, one column (see `printable`). Node has no `string-width`; this is the part of it the
 * code frame needs.
 */

/** Tabs advance to the next multiple of this many columns, in the source line and the caret line alike. */
const TAB_WIDTH = 4;

/**
 * Called for each character (code point) of a line in order: its UTF-16 index in the line, the column it starts at
 * (from 0), the columns it takes and the text to show for it. A character that joins the one before it (a combining
 * mark, the rest of an emoji sequence) takes no columns. Returning false stops the scan.
 */
type CellVisitor = (index: number, column: number, width: number, shown: string) => boolean;

/**
 * Visits the characters of `line` with their display columns (see the module comment). Linear, code point by code
 * point: `Intl.Segmenter` would find grapheme clusters, but takes quadratic time on a long line without ASCII.
 */
export function scanCells(line: string, visit: CellVisitor, from = 0): void {
  // Within the plain prefix (`plainPrefixLength`) every character is one column: a scan may start anywhere in it.
  let column = from;
  let index = from;
  const length = line.length;
  // Whether the character before is an emoji a zero-width joiner or a skin tone modifier may extend, or a joiner.
  let previousEmoji = false;
  let previousJoiner = false;
  // Regional indicators pair into flags: the second of a pair takes no columns.
  let openIndicator = false;
  while (index < length) {
    const code = line.charCodeAt(index);
    // ASCII not followed by an emoji variation selector (a keycap, `1` U+FE0F U+20E3): most source, and a line may be
    // a megabyte long.
    if (code < 0x80 && line.charCodeAt(index + 1) !== 0xfe0f) {
      const width = code === 9 ? TAB_WIDTH - (column % TAB_WIDTH) : 1;
      const shown = code === 9 ? ' '.repeat(width) : code < 0x20 || code === 0x7f ? '\uFFFD' : line[index]!;
      if (!visit(index, column, width, shown)) return;
      column += width;
      index++;
      previousEmoji = previousJoiner = openIndicator = false;
      continue;
    }
    const codePoint = line.codePointAt(index)!;
    const simpleWidth = line.charCodeAt(index + 1) === 0xfe0f ? 0 : commonWidth(codePoint);
    if (simpleWidth !== 0) {
      if (!visit(index, column, simpleWidth, line[index]!)) return;
      column += simpleWidth;
      index++;
      previousEmoji = previousJoiner = openIndicator = false;
      continue;
    }
    const text = String.fromCodePoint(codePoint);
    const isIndicator = codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff;
    const control = CONTROL.test(text);
    let width: number;
    if (control) width = 1;
    else if (isIndicator) width = openIndicator ? 0 : 2;
    else if ((previousJoiner || previousEmoji) && EMOJI_MODIFIER.test(text)) width = 0;
    else if (previousJoiner && EXTENDED_PICTOGRAPHIC.test(text)) width = 0;
    else if (EMOJI_PRESENTATION.test(text) || (line.charCodeAt(index + text.length) === 0xfe0f && EMOJI.test(text))) width = 2;
    else if (ZERO_WIDTH.test(text)) width = 0;
    else width = isWide(codePoint) ? 2 : 1;
    if (!visit(index, column, width, control ? '\uFFFD' : text)) return;
    column += width;
    index += text.length;
    openIndicator = isIndicator && !openIndicator;
    previousJoiner = codePoint === 0x200d;
    // A joiner, variation selector or modifier keeps the sequence open for the next joiner.
    if (!previousJoiner && width !== 0) previousEmoji = EXTENDED_PICTOGRAPHIC.test(text);
  }
}

/**
 * The width of the most common characters that are neither emoji nor zero-width, without the property tests: 2 for
 * CJK ideographs and Hangul syllables, 1 for Latin-1 and Latin Extended letters; 0 for any other character.
 */
function commonWidth(codePoint: number): number {
  if ((codePoint >= 0x3400 && codePoint <= 0x9fff) || (codePoint >= 0xac00 && codePoint <= 0xd7a3)) return 2;
  return codePoint >= 0xa0 && codePoint <= 0x2ff ? 1 : 0;
}

/**
 * How many characters `line` starts with that are printable ASCII other than tab, none of them made an emoji by a
 * variation selector: each is one column, its column its index.
 */
export function plainPrefixLength(line: string): number {
  const found = NOT_PLAIN.exec(line);
  if (found === null) return line.length;
  return found.index > 0 && line.charCodeAt(found.index) === 0xfe0f ? found.index - 1 : found.index;
}

const NOT_PLAIN = /[^\x20-\x7e]/;

/** The columns `text` takes on a terminal, starting at column 0. */
export function displayWidth(text: string): number {
  let total = 0;
  scanCells(text, (_index, column, width) => {
    total = column + width;
    return true;
  });
  return total;
}

// C0 controls but tab, DEL and C1 controls: shown as U+FFFD by `printable`.
const CONTROL = /^[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
// Emoji shown as emoji by default (U+1F600), and those a variation selector 16 after them asks for (U+2764 U+FE0F).
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}/u;
const EMOJI = /^\p{Emoji}/u;
const EXTENDED_PICTOGRAPHIC = /^\p{Extended_Pictographic}/u;
const EMOJI_MODIFIER = /^\p{Emoji_Modifier}/u;
// Combining marks and format characters (zero-width joiner, variation selectors, bidi marks), but the soft hyphen,
// which terminals show; Hangul vowels and final consonants that join an initial consonant.
const ZERO_WIDTH = /^(?!\u00ad)[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\ud7b0-\ud7ff]/u;

/**
 * East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth.txt, W and F, by block; emoji are told by their
 * property instead): CJK, kana, Hangul, Yi, fullwidth forms, Tangut and the CJK extensions.
 */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x2329, 0x232a], // angle brackets
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed CJK
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth ASCII
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x16fe4], // ideographic symbols
  [0x17000, 0x18cff], // Tangut, Khitan
  [0x1aff0, 0x1b2ff], // kana extended and supplement, small kana, Nushu
  [0x1f200, 0x1f265], // enclosed ideographic supplement
  [0x20000, 0x2fffd], // CJK extensions B to F, compatibility supplement
  [0x30000, 0x3fffd], // CJK extensions G and H
];

function isWide(codePoint: number): boolean {
  if (codePoint < 0x1100) return false;
  for (const [lo, hi] of WIDE_RANGES) {
    if (codePoint < lo) return false;
    if (codePoint <= hi) return true;
  }
  return false;
}
