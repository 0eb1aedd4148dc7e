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
      // of times, an invalid CIDR: not known.
      'prefix list aws_ec2_managed_prefix_list.unknown_cidr.id',
      'prefix list aws_ec2_managed_prefix_list.unknown_dynamic.id',
      'prefix list aws_ec2_managed_prefix_list.counted_entries.id',
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

  it('reports a world-open list, redacting a sensitive entry, and nothing (no FW303 either) for the unresolved ones', () => {
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message}`)).toEqual([
      'FW101 128 aws_security_group.app allows ingress from (sensitive value of var.admin_cidr) on tcp/3389',
    ]);
    expect(JSON.stringify(result.findings)).not.toContain('0.0.0.0/0');
  });

  it('points to the prefix list as a related location, named in SARIF', async () => {
    const run = await runCli(['scan', `fixtures/${FIXTURE}`, '--format', 'sarif'], REPO_ROOT);
    const [finding] = JSON.parse(run.stdout).runs[0].results as Array<{ relatedLocations: Array<{ physicalLocation: { region: { startLine: number } }; message: { text: string } }> }>;
    expect(finding!.relatedLocations.map((location) => `${location.physicalLocation.region.startLine} ${location.message.text}`)).toEqual([
      '104 definition of aws_security_group.app',
      '87 definition of prefix list aws_ec2_managed_prefix_list.admins',
    ]);
  });
});
