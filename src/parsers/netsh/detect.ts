import type { ScriptDialect } from './script-reader';
import { splitLines } from './line-span';

/**
 * Detection of Windows Firewall inputs, kept apart from the parser so that a scan loads the parser only when a file
 * is detected (docs/performance.md, start-up).
 */

/** How much of a file detection and format sniffing look at (style.md §2: the first 4 KiB). */
export const HEAD_CHARS = 4096;

export const SCRIPT_DIALECTS: ReadonlyMap<string, ScriptDialect> = new Map([
  ['.cmd', 'cmd'],
  ['.bat', 'cmd'],
  ['.ps1', 'powershell'],
]);
/** Formats other parsers own or that only document netsh: never claimed on content alone. */
const OTHER_FORMATS: ReadonlySet<string> = new Set([
  '.md', '.markdown', '.rst', '.adoc', '.html', '.htm', '.xml', '.tf', '.tfvars', '.hcl', '.json', '.yaml', '.yml',
  '.template', '.ts', '.js', '.mjs', '.cjs', '.py', '.go', '.rs', '.cs', '.java', '.kt', '.rb', '.sh', '.psm1',
]);
export const NETSH_COMMAND =
  /\bnetsh(?:\.exe)?"?\s+(?:[-/][rucpa]\s+\S+\s+)*(?:advfirewall\s+)?firewall\s|^\s*advfirewall\s+firewall(?:\s+(?:add|set|delete)\s|\s*$)/im;
const SEPARATOR = /^-{70}\s*$/;
/** A label padded to the value column, in any language: `Regelname:                            …`. */
export const PADDED_LABEL = /^\S[^:：]*[:：][ \t]{2,}\S/;

export const RULE_NAME_LINE = /^Rule Name:/i;
/** `Domain Profile Settings:` — a block of `netsh advfirewall show allprofiles` (or `show domainprofile`, …) output. */
export const PROFILE_SETTINGS_LINE = /^(Domain|Private|Public) Profile Settings:\s*$/i;
export const NO_RULES_LINE = /^\s*No rules match the specified criteria\.?\s*$/i;

/**
 * True for show-rule exports recognised by content (a `Rule Name:` line, `No rules match…`, or the 70-hyphen
 * separator under a padded label, which also catches non-English exports so they fail loudly), for `.cmd`, `.bat`
 * and `.ps1` files, and for `.txt` files whose head holds a netsh firewall command.
 */
export function detectNetsh(path: string, head: string): boolean {
  const extension = extensionOf(path);
  if (SCRIPT_DIALECTS.has(extension)) return true;
  if (OTHER_FORMATS.has(extension)) return false;
  const text = head.slice(0, HEAD_CHARS);
  if (looksLikeExport(text)) return true;
  return extension === '.txt' && NETSH_COMMAND.test(text);
}

/**
 * A `Rule Name:` or `No rules match` line, or a separator under a padded label (any language) or under a profile
 * header of `show allprofiles` output.
 */
export function looksLikeExport(head: string): boolean {
  const lines = splitLines(head.startsWith('\uFEFF') ? head.slice(1) : head);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (RULE_NAME_LINE.test(line) || NO_RULES_LINE.test(line)) return true;
    if (i > 0 && SEPARATOR.test(line) && (PADDED_LABEL.test(lines[i - 1]!) || PROFILE_SETTINGS_LINE.test(lines[i - 1]!))) return true;
  }
  return false;
}

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}
