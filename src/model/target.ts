import type { SourceKind, SourceLocation } from './location';
import type { Platform, Rule, UnknownValue } from './rule';

/** A profile mapping written in the source: `fwlint:profile pack/role phase=operate options=ha` or a tag. */
export interface ProfileBinding {
  ref: string;
  phase?: 'install' | 'operate';
  options: string[];
  location: SourceLocation;
  /**
   * Written in a comment: an error in it (an unknown option included) maps nothing, while a tag with a problem still
   * maps what it can (README "Mapping targets to roles").
   */
  isStrict?: boolean;
  /**
   * Terraform: the origin of a sensitive tag value (`Value.sensitive`, `var.role`): diagnostics about the value name
   * it (`(sensitive value of var.role)`), never quote it.
   */
  sensitive?: string;
}

/** A nested rule block of a Terraform resource as written: a block of its own, or a `dynamic` block (all its items). */
export interface WrittenBlock {
  /** The block name (`ingress`, `egress`, `security_rule`), a `dynamic` block's label. */
  name: string;
  /** The whole block, the place its rules are reported at. */
  location: SourceLocation;
  isDynamic?: true;
}

/** One firewall: a security group, NACL, NSG, GCP network firewall set, or a Windows host. */
export interface Target {
  /** Contract ids: Terraform address, CloudFormation logical id, netsh host name, CDK construct path. */
  id: string;
  kind: SourceKind;
  platform: Platform;
  /** Resource type as written (`aws_security_group`, `AWS::EC2::SecurityGroup`, `netsh-export`). */
  resourceType: string;
  location: SourceLocation;
  rules: Rule[];
  profile?: ProfileBinding;
  /**
   * The group or ACL is not defined in the scanned input (CloudFormation `!ImportValue`, a parameter or a literal
   * `sg-…` id; a Terraform rule naming a group not among the resources; a CDK imported group): only the rules written
   * here are known, and its other rules, where it is defined, may carry what these do not (FW201: unconfirmed).
   */
  definedElsewhere?: true;
  /**
   * Why rules of this target may be missing from the input although the target is defined in it: a Terraform plan
   * that is not complete (`"complete": false`: `-target`, deferred changes) holds only some resources. FW201 cannot
   * confirm a flow missing then, as for `definedElsewhere`.
   */
  incompleteBecause?: string;
  /**
   * Rules of rule resources whose group (ACL) is known only after apply, in a plan read without its `.tf` files
   * (`security_group_id = local.this_sg_id`): they may be this target's, created by the same plan, and are a target
   * of their own with an FW303 note. FW201 counts them as rules with unresolved values: a flow they may carry is
   * unconfirmed, not missing.
   */
  unjoinedRules?: Rule[];
  /**
   * Terraform: a group or ACL defined elsewhere that several rule resources name has no block of its own in the
   * source: `location` is its first rule's, where its own findings are reported, but a comment written there is that
   * rule's, as everywhere, and does not apply to every rule of the group.
   */
  isLocatedAtItsFirstRule?: true;
  /** Values that kept whole rules from being known (a `dynamic` block over an unresolved collection, say): FW303. */
  unknowns?: UnknownValue[];
  /**
   * Terraform HCL: the resource's nested rule blocks as written (`ingress`, `dynamic "egress"`, …), in source order,
   * those that make no rule included (an unknown protocol, a `dynamic` block over an empty list): Terraform rejects
   * `egress = []` beside any `egress` block, and leaves a group's deployed rules alone when it has none.
   */
  writtenBlocks?: WrittenBlock[];
  /** GCP target tags / service accounts the rules apply to; empty = the whole network. */
  scope?: string[];
  /**
   * Rules among `rules` that belong to other targets but apply to this one's instances too (GCP: the firewall rules
   * of the same network that cover this firewall's target tags). They take part in this target's evaluation; findings
   * about them are reported in their own target only.
   */
  sharedRules?: Rule[];
  /**
   * Among `sharedRules`, those of firewalls that target exactly this one's instances (the same target tags or service
   * accounts): narrowing their scope cannot leave these instances out, and such a firewall mapped alike reports them
   * itself.
   */
  sharedRulesOfSameInstances?: Rule[];
  /** Terraform, a resource of a module instance: the root module it belongs to (see `RootModule`). */
  rootModule?: RootModule;
  /** Terraform, a resource of a module `terraform init` installed (registry, git): see `InstalledModule`. */
  installedModule?: InstalledModule;
  /**
   * Terraform: the addresses `moved` blocks say this target had before (nearest first). A baseline entry or an alert
   * recorded under one of them still stands for it: renaming a resource or a module call is no new finding.
   */
  formerIds?: string[];
}

/**
 * Terraform: the root module a resource of a module instance belongs to. A module folder called by `envs/dev` and
 * `envs/prod` gives both the same address (`module.bastion.aws_security_group.this`) and file; the root tells them
 * apart, in reports, fingerprints and baselines.
 */
export interface RootModule {
  /**
   * The root module's folder, as reports name files (`envs/prod`; `.` for the folder the scan runs in); the file, for
   * a file of a folder of separate examples read alone (`examples/a.tf`).
   */
  folder: string;
  /** The root's `module` block that leads to the instance (its header): where the module is used. */
  call: SourceLocation;
}

/**
 * Terraform: a module that `terraform init` installed (registry, git, http sources) under `.terraform/modules/`. Its
 * files are outside the repository's sources (git-ignored; code scanning cannot show them, and a re-download replaces
 * them), so findings at a place in its folders are reported at `call`, the `module` block that brings it in.
 */
export interface InstalledModule {
  /** The innermost `module` block in the scanned sources on the way to the module (its header). */
  call: SourceLocation;
  /** The installed folders the target's module instance comes from (its own and its installed callers'), as files are named. */
  folders: string[];
}

/** Whether `file` (a display path) is in one of `module`'s installed folders. */
export function isInstalledFile(module: InstalledModule, file: string): boolean {
  return module.folders.some((folder) => file.startsWith(`${folder}/`));
}

/** A scanned target as reports that list targets read it (JUnit, Markdown): once the model is freed. */
export interface TargetEntry {
  id: string;
  /** The file defining it. */
  file: string;
  /** A resource of a Terraform module instance: its root module's folder (`RootModule.folder`). */
  root?: string;
  /**
   * Defined in a file that was not named on the command line but read with a named one (a sibling `.tf` file of its
   * module): the scan judged it, but left out the findings located in that file (README "Files scanned").
   */
  isInUnnamedSibling?: true;
  /**
   * Checks with an active finding on it located in such a sibling, and the first such file of each: the finding was
   * left out, so the check did not pass there either.
   */
  leftOutFindings?: Array<{ checkId: string; file: string }>;
}

/**
 * How reports that list targets name them, given every target (and finding) with its root module where it has one
 * and its defining file: by id; with the root where several roots' instances of a module share the id
 * (`module.bastion.aws_security_group.this (root envs/prod)`); with the file where targets of one id (and root) are
 * defined in several files (`WebSG (stacks/b.yaml)`: two CloudFormation templates, two stacks), as the summary counts
 * them. Elsewhere the id alone, so names stay as short as they can.
 */
export function targetNamer(entries: Iterable<{ id: string; root?: string | undefined; file?: string | undefined }>): (targetId: string, rootFolder: string | undefined, file?: string) => string {
  const rootsById = new Map<string, Set<string>>();
  const filesByIdAndRoot = new Map<string, Set<string>>();
  const addTo = (map: Map<string, Set<string>>, key: string, value: string): void => {
    const values = map.get(key);
    if (values) values.add(value);
    else map.set(key, new Set([value]));
  };
  for (const { id, root, file } of entries) {
    if (root !== undefined) addTo(rootsById, id, root);
    if (file !== undefined) addTo(filesByIdAndRoot, `${id}\u0000${root ?? ''}`, file);
  }
  return (targetId, rootFolder, file) => {
    const withRoot = rootFolder !== undefined && (rootsById.get(targetId)?.size ?? 0) > 1 ? `${targetId} (root ${rootFolder})` : targetId;
    const inSeveralFiles = file !== undefined && (filesByIdAndRoot.get(`${targetId}\u0000${rootFolder ?? ''}`)?.size ?? 0) > 1;
    return inSeveralFiles ? `${withRoot} (${file})` : withRoot;
  };
}
