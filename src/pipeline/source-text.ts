import * as fs from 'node:fs';
import { decodeBytes } from '../discover/read';

/** A scanned file's text decoded as the read stage decodes it (UTF-16 netsh exports too), for code frames. */
export function readSourceText(absolutePath: string): string | undefined {
  try {
    return decodeBytes(fs.readFileSync(absolutePath), absolutePath)?.text;
  } catch {
    return undefined;
  }
}
