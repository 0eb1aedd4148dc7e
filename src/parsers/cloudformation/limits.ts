/** Size and depth limits that keep hostile or broken templates from hanging or crashing a scan (style.md §2). */

/** Larger than any template CloudFormation accepts (1 MB from S3), with room for generated CDK output. */
export const MAX_TEMPLATE_CHARS = 8 * 1024 * 1024;

/** Nesting depth of YAML/JSON values; real templates stay far below 50. */
export const MAX_NESTING_DEPTH = 200;

/**
 * Values YAML aliases may expand to (plus one per character of the template). Bounds billion-laughs input (an alias
 * of an alias of …), which `yaml`'s own `maxAliasCount` guards only in `toJS()`, not in our walk of the document.
 */
export const ALIAS_EXPANSION_BUDGET = 10_000;

/** Conditions that cannot be decided and are evaluated both ways per resource: 2^4 = 16 evaluations at most. */
export const MAX_BRANCHING_CONDITIONS = 4;

/** Longest diagnostic message; longer ones (a megabyte-long logical id quoted in it) are shortened. */
export const MAX_MESSAGE_CHARS = 600;

/**
 * Values `Fn::ForEach` loops of one template may stamp out (each copy of each node of a loop's output counts one).
 * Far above what a deployable template generates (500 resources), it bounds a hostile loop over a long collection.
 */
export const FOREACH_EXPANSION_BUDGET = 200_000;
