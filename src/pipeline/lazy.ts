/**
 * A module loaded on first use: `fwlint --version`, `rules` or `explain` never load ajv, YAML, the parsers or the
 * engine, and a scan loads only what it reaches (no packs unless a target maps to a role).
 */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}
