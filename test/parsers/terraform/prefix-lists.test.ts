import { describePeer, type Rule } from '../../../src/model';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';
import { runCli } from '../../helpers/run-cli';

/**
 * Regression (QA 06): a rule naming an `aws_ec2_managed_prefix_list` of the configuration was a symbolic peer whatever
 * its entries held, so SSH from a list holding 0.0.0.0/0 passed. The peer is the union of the entries' CIDRs (entry
 * blocks, dynamic ones too, and `aws_ec2_managed_prefix_list_entry` resources naming the list) where they are all
 * known; otherwise it stays the symbolic list, as before.
 */
const FIXTURE = 'terraform/prefix-lists';

/** Peer of a rule: the CIDRs for a resolved list, the symbolic list otherwise. */
function peerOf(rule: Rule): string {
  const { peer } = rule;
  return peer.kind === 'addresses' ? `${describePeer(peer)} = ${peer.addresses.toString()}` : describePeer(peer);
}

describe('Terraform managed prefix lists of the configuration', () => {
  const result = scanFixture(FIXTURE);

  it('resolves lists whose entries are known, and keeps the others symbolic', () => {
    const app = result.targets.find((target) => target.id === 'aws_security_group.app')!;
    expect(app.rules.map(peerOf)).toEqual([
      'prefix list aws_ec2_managed_prefix_list.known = 10.0.0.0/8, 192.168.0.0/16',
      // An entry from a variable without a value, a dynamic block over one, entry resources repeated an unknown number
      // of times: unknown peers beside the known entries; an invalid CIDR (the apply fails): the list as named.
      'prefix list aws_ec2_managed_prefix_list.unknown_cidr = 10.0.0.0/8',
      'unresolved var.office',
      'unresolved var.office_cidrs',
      'unresolved var.replicas',
      'prefix list aws_ec2_managed_prefix_list.invalid.id',
      // One instance of a counted list.
      'prefix list aws_ec2_managed_prefix_list.per_zone[1] = 10.1.0.0/16',
      // A literal id (AWS-managed or created elsewhere) and a data source: not written here.
      'prefix list pl-0123abcd',
      'prefix list data.aws_ec2_managed_prefix_list.s3.id',
      // A list of a module, through its output.
      'prefix list module.net.aws_ec2_managed_prefix_list.office = 203.0.113.0/24',
      'prefix list aws_ec2_managed_prefix_list.admins = 0.0.0.0/0',
    ]);
  });

  it('reports an invalid entry CIDR at the entry, once', () => {
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}:${d.range?.startColumn} ${d.message}`)).toEqual([
      'error parse/terraform-cidr 73:5 aws_ec2_managed_prefix_list.invalid.entry[0]: "10.0.0.1/8" has host bits set (network address is 10.0.0.0/8)',
    ]);
  });

  it('reports a world-open list, redacting a sensitive entry, and FW303 at each unresolved entry', () => {
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message}`)).toEqual([
      'FW303 40 aws_security_group.app: aws_ec2_managed_prefix_list.unknown_cidr.entry[1].cidr of rule aws_security_group.app.ingress[0] (inbound tcp/22) could not be resolved statically (var.office); the rule was checked only as far as it is known',
      'FW303 49 aws_security_group.app: aws_ec2_managed_prefix_list.unknown_dynamic.dynamic "entry".for_each of rule aws_security_group.app.ingress[0] (inbound tcp/22) could not be resolved statically (var.office_cidrs); the rule was checked only as far as it is known',
      'FW303 63 aws_security_group.app: aws_ec2_managed_prefix_list_entry.replica.count of rule aws_security_group.app.ingress[0] (inbound tcp/22) could not be resolved statically (var.replicas); the rule was checked only as far as it is known',
      'FW101 128 aws_security_group.app allows ingress from (sensitive value of var.admin_cidr) on tcp/3389',
    ]);
    expect(JSON.stringify(result.findings)).not.toContain('0.0.0.0/0');
  });

  it('points to the prefix list as a related location, named in SARIF', async () => {
    const run = await runCli(['scan', `fixtures/${FIXTURE}`, '--format', 'sarif'], REPO_ROOT);
    const [finding] = (JSON.parse(run.stdout).runs[0].results as Array<{ ruleId: string; relatedLocations: unknown[] }>).filter((result) => result.ruleId === 'FW101') as Array<{ relatedLocations: Array<{ physicalLocation: { region: { startLine: number } }; message: { text: string } }> }>;
    expect(finding!.relatedLocations.map((location) => `${location.physicalLocation.region.startLine} ${location.message.text}`)).toEqual([
      '104 definition of aws_security_group.app',
      '87 definition of prefix list aws_ec2_managed_prefix_list.admins',
    ]);
  });
});

/**
 * Regression (QA 3, items 1, 2 and 5): a list was read only when every entry was known, so one unknown or conditional
 * entry hid a known 0.0.0.0/0 (no finding at all); entries added by `aws_ec2_managed_prefix_list_entry` to a list named
 * by data source or literal id were ignored; and the related location was the list, not the entry resource adding
 * 0.0.0.0/0. Known entries are a lower bound of the list: they count for exposure, but make no containment certain.
 */
describe('Terraform managed prefix lists known in part', () => {
  const FIXTURE_PARTIAL = 'terraform/prefix-lists-partial';
  const result = scanFixture(FIXTURE_PARTIAL);

  it('reads the known entries, each unknown entry as an unknown peer, a conditional entry under its condition', () => {
    const app = result.targets.find((target) => target.id === 'aws_security_group.app')!;
    expect(app.rules.map((rule) => `${peerOf(rule)}${rule.branch ? ` when ${rule.branch}` : ''}${rule.peer.kind === 'addresses' && rule.peer.isLowerBound ? ' (lower bound)' : ''}`)).toEqual([
      'prefix list aws_ec2_managed_prefix_list.mixed = 0.0.0.0/0 (lower bound)',
      'unresolved var.office_cidr',
      'prefix list aws_ec2_managed_prefix_list.toggled = 10.0.0.0/8 (lower bound)',
      'prefix list aws_ec2_managed_prefix_list.toggled = 0.0.0.0/0 when var.public (lower bound)',
      // Lists not written here: the entries added here, and the list as named for those added elsewhere.
      'prefix list data.aws_ec2_managed_prefix_list.shared.id = 0.0.0.0/0 (lower bound)',
      'prefix list data.aws_ec2_managed_prefix_list.shared.id',
      'prefix list pl-0123456789abcdef0 = 0.0.0.0/0 (lower bound)',
      'prefix list pl-0123456789abcdef0',
      // One peer per resource adding entries.
      'prefix list aws_ec2_managed_prefix_list.office = 10.0.0.0/8 (lower bound)',
      'prefix list aws_ec2_managed_prefix_list.office = 0.0.0.0/0 (lower bound)',
    ]);
  });

  it('reports the known world-open entries (FW101), the unknown ones (FW303), and no containment of a partial list', () => {
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.file.split('/').pop()}:${finding.location.range.startLine} ${finding.message}`)).toEqual([
      'FW303 main.tf:19 aws_security_group.app: aws_ec2_managed_prefix_list.mixed.entry[1].cidr of rule aws_security_group.app.ingress[0] (inbound tcp/22) could not be resolved statically (var.office_cidr); the rule was checked only as far as it is known',
      'FW303 main.tf:78 aws_security_group.internal: aws_ec2_managed_prefix_list.partial_inside.entry[1].cidr of rule aws_vpc_security_group_ingress_rule.https_partial (inbound tcp/443) could not be resolved statically (var.office_cidr); the rule was checked only as far as it is known',
      'FW101 main.tf:98 aws_security_group.app allows ingress from 0.0.0.0/0 on tcp/22',
      'FW101 main.tf:105 aws_security_group.app allows ingress from 0.0.0.0/0 on tcp/3389 (when var.public)',
      'FW101 main.tf:112 aws_security_group.app allows ingress from 0.0.0.0/0 on tcp/5432',
      'FW101 main.tf:112 aws_security_group.app allows ingress from 0.0.0.0/0 on tcp/5432',
      'FW101 main.tf:119 aws_security_group.app allows ingress from 0.0.0.0/0 on tcp/6379',
      // The fully known list inside 10.0.0.0/8 is redundant; the one known only in part (https_partial) is not.
      'FW302 main.tf:148 aws_security_group.internal: rule aws_vpc_security_group_ingress_rule.https_known (tcp/443 from prefix list aws_ec2_managed_prefix_list.known_inside) is fully contained in aws_vpc_security_group_ingress_rule.https_internal',
    ]);
  });

  it('points to the resources adding the world-open entries as related locations', () => {
    const related = result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => (finding.peerDefinitions ?? []).map((definition) => `${definition.location.range.startLine} ${definition.name}`).join('; '));
    expect(related).toEqual([
      '11 prefix list aws_ec2_managed_prefix_list.mixed',
      '24 prefix list aws_ec2_managed_prefix_list.toggled',
      '44 prefix list data.aws_ec2_managed_prefix_list.shared.id',
      '49 prefix list pl-0123456789abcdef0',
      // The list's own entry and the entry resource adding 0.0.0.0/0 beside it.
      '55 prefix list aws_ec2_managed_prefix_list.office; 64 prefix list aws_ec2_managed_prefix_list.office',
    ]);
  });
});
