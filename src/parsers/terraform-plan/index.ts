import { errorDiagnostic, warningDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourceRange } from '../../model/location';
import type { FormatParser, ParseResult, SourceFile } from '../../model/source-file';
import { firstJsonSyntaxError } from '../shared/json-error';
import type { Target } from '../../model/target';
import { formerAddresses } from '../terraform/moved-blocks';
import { targetsFromResources } from '../terraform/resources';
import { ConfigurationSource } from './configuration-source';
import { readPlanDocument, type PlanDocument } from './plan-document';
import { planResourceInstances } from './plan-resources';

import { isTerraformPlan } from './detect';

/**
 * Terraform plan JSON (`terraform show -json plan.out`, formats.md §2), and the state JSON of `terraform show
 * -json` as a fallback. Detected by content: a `.json` file with `format_version` and plan keys in its first 4 KiB.
 * Rules are built by the same layer as the HCL path (`terraform/resources.ts`).
 */
export const terraformPlanParser: FormatParser = {
  kind: 'terraform-plan',
  detect: isTerraformPlan,
  parse(files: SourceFile[]): ParseResult {
    const result: ParseResult = { targets: [], annotations: [], diagnostics: [] };
    for (const file of files) {
      const diagnostics: Diagnostic[] = [];
      let data: unknown;
      const text = file.text.replace(/^\uFEFF/, '');
      try {
        data = JSON.parse(text);
      } catch {
        const { message, range } = firstJsonSyntaxError(text);
        result.diagnostics.push(errorDiagnostic('parse/plan-json', file.path, `invalid JSON: ${message}`, range));
        continue;
      }
      const plan = readPlanDocument(data);
      if ('code' in plan) {
        result.diagnostics.push(errorDiagnostic(plan.code, file.path, plan.message, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }));
        continue;
      }
      if (plan.isErrored) result.diagnostics.push(erroredPlanError(file.path, text));
      else if (plan.isIncomplete) result.diagnostics.push(incompletePlanWarning(file.path, text, plan.deferred));
      const source = new ConfigurationSource(file);
      const instances = planResourceInstances(plan, file, source);
      const targets = targetsFromResources(instances, diagnostics);
      recordFormerIds(targets, plan, source);
      recordInstalledModules(targets, plan, source);
      recordRootModules(targets, plan, source);
      // The rules the plan leaves out (not targeted, deferred) may carry a required flow: FW201 cannot say it is missing.
      if (plan.isIncomplete) for (const target of targets) target.incompleteBecause = INCOMPLETE_PLAN_REASON;
      result.targets.push(...targets);
      result.diagnostics.push(...diagnostics);
      // Findings on resources whose .tf could not be found point at the plan file: say so once, with the cause.
      // A forgotten resource's configuration is gone by design (a `removed` block replaces it).
      const forgotten = plan.resources.filter((resource) => resource.isForgotten).map((resource) => resource.address);
      const unmapped = instances.filter((instance) => instance.descriptionNote !== undefined && !forgotten.includes(instance.address)).map((instance) => instance.address);
      if (unmapped.length > 0) result.diagnostics.push(unmappedWarning(file.path, unmapped));
      if (forgotten.length > 0) result.diagnostics.push(forgottenWarning(file.path, forgotten));
      // The `fwlint:ignore` / `fwlint:profile` comments of the .tf files the findings are mapped to (formats.md §2.5).
      result.annotations.push(...source.annotations);
    }
    // Two plans of one configuration read the same .tf files: report each annotation once.
    const seen = new Set<string>();
    result.annotations = result.annotations.filter((annotation) => {
      const identity = `${annotation.file}:${annotation.range.startLine}:${annotation.range.startColumn}:${annotation.directive}`;
      if (seen.has(identity)) return false;
      seen.add(identity);
      return true;
    });
    return result;
  },
};

/**
 * Gives each target the addresses it had before `moved` blocks renamed it, as the HCL path does: those the `moved`
 * blocks of the `.tf` files on disk say (the JSON `configuration` omits them), then the plan's `previous_address`
 * (where the prior state holds it) if they do not name it. A plan applied since records no previous address.
 */
function recordFormerIds(targets: Target[], plan: PlanDocument, source: ConfigurationSource): void {
  const resources = new Map(plan.resources.map((resource) => [resource.address, resource]));
  for (const target of targets) {
    const resource = resources.get(target.id);
    if (!resource) continue;
    const formerIds = formerAddresses(resource.address, source.moves(resource.moduleAddress, plan.configuration));
    if (resource.previousAddress !== undefined && !formerIds.includes(resource.previousAddress)) formerIds.push(resource.previousAddress);
    if (formerIds.length > 0) target.formerIds = formerIds;
  }
}

/**
 * Marks the targets of modules `terraform init` installed with the `module` block that calls them, as the HCL path
 * does: their findings are reported there, not in `.terraform/modules/` (needs the `.tf` files and modules.json).
 */
function recordInstalledModules(targets: Target[], plan: PlanDocument, source: ConfigurationSource): void {
  const resources = new Map(plan.resources.map((resource) => [resource.address, resource]));
  for (const target of targets) {
    const resource = resources.get(target.id);
    const installed = resource && source.installedModule(resource.moduleAddress, plan.configuration);
    if (installed) target.installedModule = installed;
  }
}

/**
 * Marks the targets of module instances with the root module and its `module` block that leads to them, as the HCL
 * path does (a related location of their findings, `root` in JSON and SARIF); needs the root's `.tf` files beside the plan.
 */
function recordRootModules(targets: Target[], plan: PlanDocument, source: ConfigurationSource): void {
  const resources = new Map(plan.resources.map((resource) => [resource.address, resource]));
  for (const target of targets) {
    const resource = resources.get(target.id);
    const root = resource && source.rootModule(resource.moduleAddress);
    if (root) target.rootModule = root;
  }
}

/**
 * Since Terraform 1.4 a failed `terraform plan -out` still writes what it planned before the error, and `terraform
 * show -json` marks it `"errored": true`: the resources it did not reach are missing, so the scan cannot pass.
 */
function erroredPlanError(file: string, text: string): Diagnostic {
  return errorDiagnostic(
    'parse/plan-errored',
    file,
    'this plan is incomplete ("errored": true: planning failed, and Terraform wrote only what it had planned so far): the results cover only the resources it holds; fix the error and plan again',
    rangeOfFirst(text, /"errored"\s*:\s*true/),
  );
}

/** The range of the first match of `pattern` in the plan's text (the key that says so), else the first character. */
function rangeOfFirst(text: string, pattern: RegExp): SourceRange {
  const match = pattern.exec(text);
  const before = match ? text.slice(0, match.index).split('\n') : [''];
  const line = before.length;
  const column = before[before.length - 1]!.length + 1;
  return { startLine: line, startColumn: column, endLine: line, endColumn: column + (match ? match[0].length : 1) };
}

/** FW201's reason for a flow it cannot confirm on a target of a plan that is not complete. */
const INCOMPLETE_PLAN_REASON = 'the plan is not complete ("complete": false), and rules it does not hold may carry it';

/**
 * Terraform writes `"complete": false` when the plan does not cover the whole configuration (`-target`, changes
 * deferred to a later round): what it holds is checked, but resources it leaves out are not, and a flow their rules
 * may carry is not reported missing (FW201 gives a note). A warning, not an error: `terraform apply` takes such a plan.
 */
function incompletePlanWarning(file: string, text: string, deferred: string[]): Diagnostic {
  const deferredText = deferred.length === 0 ? '' : `; deferred to a later plan, not checked: ${listed(deferred)}`;
  return warningDiagnostic(
    'parse/plan-incomplete',
    file,
    `this plan is incomplete ("complete": false: planned with -target, or with changes deferred): the results cover only the resources it holds${deferredText}; a required flow (FW201) is not reported missing on its targets but as "cannot be confirmed"; plan the whole configuration to check all of it`,
    rangeOfFirst(text, /"complete"\s*:\s*false/),
  );
}

/** Resources the plan forgets (`removed` with `destroy = false`) are checked as live, and no longer managed. */
function forgottenWarning(file: string, addresses: string[]): Diagnostic {
  return warningDiagnostic(
    'parse/plan-forgotten',
    file,
    `the plan forgets ${listed(addresses)} without destroying ${addresses.length === 1 ? 'it' : 'them'} (a \`removed\` block with \`destroy = false\`): ${addresses.length === 1 ? 'it stays' : 'they stay'} live and ${addresses.length === 1 ? 'is' : 'are'} checked as ${addresses.length === 1 ? 'it is' : 'they are'} now, but Terraform no longer manages ${addresses.length === 1 ? 'it' : 'them'}`,
    { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
  );
}

/** The first three addresses, then how many more. */
function listed(addresses: string[]): string {
  return addresses.length > 3 ? `${addresses.slice(0, 3).join(', ')} and ${addresses.length - 3} more` : addresses.join(', ');
}

function unmappedWarning(file: string, addresses: string[]): Diagnostic {
  return warningDiagnostic(
    'parse/plan-configuration-not-found',
    file,
    `the configuration of ${listed(addresses)} was not found on disk (fwlint takes the plan file's folder as the root module: write the plan there); findings on ${addresses.length === 1 ? 'it' : 'them'} point at the plan file, and fwlint:ignore/profile comments in the .tf files cannot apply`,
    { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
  );
}
