import type { SourceRange } from '../../model';

/** One written value and where it is: an export line's value, or a script's `key=value` argument. */
export interface SpecField {
  /** How the value is named in the source, for messages: `RemoteIP` (export) or `remoteip` (script). */
  label: string;
  text: string;
  range: SourceRange;
  /** The variable reference (`%MGMT_NET%`, `$mgmt`, `%%p`) when the value could not be resolved statically. */
  unresolved?: string;
}

/** One row of the ICMP `Type Code` table an export prints under `Protocol:`, or an item of a PowerShell `IcmpType` list. */
export interface IcmpRow {
  type: string;
  code: string;
  range: SourceRange;
  /** A PowerShell item (`8`, `3:4`): its property and the item as written, for messages. */
  item?: { label: string; written: string };
}

/**
 * A Windows firewall rule as written, before it becomes model rules: fields are keyed by the `netsh advfirewall
 * firewall add rule` parameter names (formats.md §4.4) whether they come from an export label or a script argument,
 * so that exports and scripts share one conversion (`to-model.ts`).
 */
export interface NetshRuleSpec {
  name: string;
  /** The export block (`Rule Name:` through `Action:`) or the script command line(s). */
  location: SourceRange;
  fields: Map<string, SpecField>;
  icmpRows: IcmpRow[];
  /** Export labels that are not in `EXPORT_LABELS`, kept as written: never fatal (formats.md §4.1). */
  extra: Map<string, SpecField>;
  /**
   * Export: the block lacks the lines only `show rule … verbose` prints (`Program`, `Service`, `InterfaceTypes`,
   * `Security`, `Rule source`), so whether the rule is limited to a program, service or interface type is not known.
   */
  conditionsNotShown?: true;
  /** Stands for an inbound default policy of AllowInbound, not a rule (`Rule.hostDefault`). */
  hostDefault?: true;
  /**
   * Script: the conditions the rule exists under (`Rule.branch` literals), when the commands that created or changed
   * it run only under some (`script-flow.ts`).
   */
  branch?: string[];
  /** Created by `New-NetFirewallRule` in a PowerShell script (`Rule.kind` powershell), not by netsh. */
  source?: 'powershell';
  /** Script: the commands that changed the rule after it was created, in order (`Rule.changedBy`). */
  changes?: SpecChange[];
}

/** A script command that changed a rule (`set rule … new`, `Set-NetFirewallRule`), and the parameters it changed as written. */
export interface SpecChange {
  location: SourceRange;
  command: string;
  changed: string[];
}

/**
 * Export labels (English, formats.md §4.1) → `add rule` parameter names. Labels not listed are kept in `extra`
 * under their own text.
 */
export const EXPORT_LABELS: ReadonlyMap<string, string> = new Map([
  ['rule name', 'name'],
  ['description', 'description'],
  ['enabled', 'enable'],
  ['direction', 'dir'],
  ['profiles', 'profile'],
  ['grouping', 'group'],
  ['localip', 'localip'],
  ['remoteip', 'remoteip'],
  ['protocol', 'protocol'],
  ['localport', 'localport'],
  ['remoteport', 'remoteport'],
  ['edge traversal', 'edge'],
  ['program', 'program'],
  ['service', 'service'],
  ['interfacetypes', 'interfacetype'],
  ['security', 'security'],
  ['rule source', 'rulesource'],
  ['action', 'action'],
]);
