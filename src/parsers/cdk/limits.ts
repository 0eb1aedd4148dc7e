/** Larger sources are not read: a hand-written stack is far smaller, and parsing time grows with size. */
export const MAX_SOURCE_CHARS = 2_000_000;

/** Nesting of expressions and statements the reader follows before giving up on a branch (stack safety). */
export const MAX_DEPTH = 400;

/** Nested calls of functions and constructors declared in the file (recursion stops here). */
export const MAX_CALL_DEPTH = 12;

/** Elements of a known array a `for…of` or `forEach` is unrolled over; longer loops are read once, values unknown. */
export const MAX_UNROLL = 256;

/** Evaluation steps per file: a bound on the work loops and calls can multiply. */
export const MAX_STEPS = 500_000;

/** Strings built by concatenation or templates longer than this are treated as unknown. */
export const MAX_STRING_CHARS = 65_536;

/**
 * Sides of `c ? a : b` arguments a rule method is read under, nested or in several arguments: 3 splits are up to 8
 * readings of one call; past that the remaining choices stay unknown.
 */
export const MAX_CHOICE_SPLITS = 3;
