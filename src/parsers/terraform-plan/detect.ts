const FORMAT_VERSION = /"format_version"\s*:/;
const PLAN_KEYS = /"(planned_values|resource_changes|terraform_version)"\s*:/;
/** `terraform show -json` of a workspace without state yet prints only this (a state of no resources). */
const EMPTY_STATE = /^\uFEFF?\s*\{\s*"format_version"\s*:\s*"1\.\d+"\s*\}\s*$/;

/** A `.json` file with `format_version` and plan keys in its first 4 KiB, or an empty state (formats.md §2). */
export function isTerraformPlan(path: string, head: string): boolean {
  return /\.json$/i.test(path) && FORMAT_VERSION.test(head) && (PLAN_KEYS.test(head) || EMPTY_STATE.test(head));
}
