const FORMAT_VERSION = /"format_version"\s*:/;
const PLAN_KEYS = /"(planned_values|resource_changes|terraform_version)"\s*:/;

/** A `.json` file with `format_version` and plan keys in its first 4 KiB (formats.md §2). */
export function isTerraformPlan(path: string, head: string): boolean {
  return /\.json$/i.test(path) && FORMAT_VERSION.test(head) && PLAN_KEYS.test(head);
}
