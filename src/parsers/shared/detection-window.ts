/**
 * How far into a file a detector may look for its marker when the first 4 KiB hold only a header (a licence, a
 * changelog): past any real header, and far short of reading a whole large file for every file of a scan.
 */
export const MAX_DETECT_CHARS = 256 * 1024;
