import type { ProfileDiff } from '../engine/profile-diff';
import type { FixSuggestion } from '../model/finding';
import type { Rule } from '../model/rule';
import type { Target } from '../model/target';
import { renderTerraformReplacement, type RequiredFlow } from '../packs';

/**
 * A SARIF fix for an FW202 finding: the over-broad rule's block replaced by the vendor's advanced rules it was
 * meant to carry. Only for Terraform inline `ingress`/`egress` blocks that produce exactly one rule (a block with
 * several peers would need several edits of one region).
 */
export function replacementFix(target: Target, rule: Rule, diff: ProfileDiff): FixSuggestion | undefined {
  if (rule.kind !== 'terraform-hcl' || !/\.(ingress|egress)\[\d+\]$/.test(rule.resourceAddress)) return undefined;
  const sharing = target.rules.filter((other) => other.location.file === rule.location.file && other.location.range.startLine === rule.location.range.startLine);
  if (sharing.length !== 1) return undefined;
  const excess = diff.excess.find((entry) => entry.rule === rule);
  if (!excess) return undefined;
  const peers: Record<string, string[]> = {};
  for (const [peer, addresses] of Object.entries(diff.assignment.peers)) peers[peer] = addresses.toCidrs();
  const indent = ' '.repeat(Math.max(0, rule.location.range.startColumn - 1));
  const text = renderTerraformReplacement(excess.replacementFlows as RequiredFlow[], { peers }, indent);
  return {
    description: `Replace with the vendor's advanced rules (${diff.assignment.ref})`,
    file: rule.location.file,
    deleted: rule.location.range,
    insertedText: text,
  };
}
