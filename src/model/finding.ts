import type { IntervalSet } from './interval-set';
import type { SourceLocation } from './location';
import type { PortSet } from './port-set';
import type { RuleChange } from './rule';
import type { Severity } from './severity';
import type { RootModule } from './target';

export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
  /** Set when the `--baseline` file muted the finding (not an annotation or a config `ignore:` entry). */
  baseline?: true;
}

/** A replacement for a range of a file (SARIF `fixes`). */
export interface FixSuggestion {
  description: string;
  file: string;
  deleted: SourceLocation['range'];
  insertedText: string;
}

/** One check result, with structured data that JSON and SARIF consumers read instead of parsing prose. */
/** Protocols (IANA numbers) by ports: one part of the traffic a finding reports. */
export interface ReportedTraffic {
  protocols: IntervalSet;
  ports: PortSet;
}

export interface Finding {
  checkId: string;
  checkName: string;
  severity: Severity;
  messageId: string;
  message: string;
  targetId: string;
  /**
   * The file defining the target (`Target.location.file`): with `targetId` (and `rootModule`) it tells apart targets
   * of one id in several files (two CloudFormation templates' `WebSG`) in reports that list targets.
   */
  targetFile?: string;
  location: SourceLocation;
  /** The group definition for a rule finding, the rule for a group finding. */
  relatedLocations: SourceLocation[];
  /**
   * A rule finding whose rule's peer is written elsewhere (a managed prefix list of the input, `Peer.definedAt`):
   * where, named as the peer is (`prefix list AdminPL`). Also related locations, after the group definition.
   */
  peerDefinitions?: Array<{ location: SourceLocation; name: string }>;
  /**
   * Where the rule is written when the finding is reported elsewhere: in a Terraform module `terraform init` installed,
   * reported at the `module` block that calls it (`Target.installedModule`). It is also the first related location.
   */
  writtenAt?: SourceLocation;
  /**
   * Windows scripts: the commands that changed the finding's rule after it was created (`Rule.changedBy`), also
   * related locations (after the others), which SARIF names as such.
   */
  ruleChanges?: RuleChange[];
  ruleId?: string;
  /** Exact sets and witness: `{ ports: "22", peer: "0.0.0.0/0", protocol: "tcp", missing: [...], excess: [...] }`. */
  properties: Record<string, unknown>;
  /** Hash of check, target and canonical rule content, never line numbers: stable when unrelated lines move. */
  fingerprint: string;
  /** Terraform, a finding on a resource of a module instance: the root module it belongs to. */
  rootModule?: RootModule;
  /**
   * With `rootModule`: the fingerprint without the root and with it as part of the resource address. `fingerprint`
   * is `withRoot` only where the module is used by several root modules of the scan (decided by the pipeline once
   * every target is known), so findings outside such modules keep the fingerprint they always had. A baseline entry
   * of the same root matches either: it may come from a scan that saw the module shared, or not.
   */
  rootFingerprints?: {
    withoutRoot: string;
    withRoot: string;
    /** The folder of the target's definition (the module's), which the pipeline asks about. */
    moduleFolder: string;
    /** With `formerFingerprints`: those without the root and with it, as `withoutRoot` and `withRoot`. */
    formerWithoutRoot?: string[];
    formerWithRoot?: string[];
  };
  /**
   * Terraform, a target renamed by `moved` blocks (`Target.formerIds`): the fingerprints the finding had under its
   * former addresses, nearest first. A baseline entry of one of them accepts the finding; SARIF keeps the oldest, so a
   * code scanning alert (and its dismissal) survives the rename while the `moved` block is there.
   */
  formerFingerprints?: string[];
  fixes?: FixSuggestion[];
  suppression?: Suppression;
}
