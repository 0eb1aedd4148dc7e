import { scanFixture } from '../../helpers/scan-fixture';

/**
 * Regression (QA 3 item 3): in plan JSON a `prefix_list_ids` / `prefix_list_id` known only after apply (the list is
 * created in the same plan) became a symbolic prefix-list peer: no finding at all, where the same configuration as HCL
 * is FW101. A list the plan has stands for its planned entries, as in HCL (QA 3 item 5); a list id the plan cannot
 * tie to a planned list is unresolved (FW303), as an unknown `cidr_blocks` is.
 */
function essence(fixture: string): string[] {
  return scanFixture(fixture).findings.map((finding) => `${finding.checkId} ${finding.location.file.split('/').pop()}:${finding.location.range.startLine} ${finding.message}`);
}

describe('Terraform plan JSON: prefix list ids known only after apply', () => {
  it('judges an inline rule naming a list the plan creates by the list\'s planned entries, at the .tf reference, as the HCL path does', () => {
    expect(essence('terraform/plan-unknown-prefix-list/plan.json')).toEqual(['FW101 main.tf:15 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22']);
    expect(essence('terraform/plan-unknown-prefix-list/plan.json')).toEqual(essence('terraform/plan-unknown-prefix-list/main.tf'));
  });

  it('judges a prefix_list_id naming a planned list by its entries, those of planned entry resources too, without the .tf files', () => {
    // The list holds 10.0.0.0/8; an aws_ec2_managed_prefix_list_entry adds 0.0.0.0/0. A `prefix_list_ids` list the plan
    // leaves wholly unknown cannot be split into items without the .tf files: it stays unresolved.
    expect(essence('terraform/plan-prefix-list-entries/plan.json')).toEqual([
      'FW101 plan.json:1 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22',
      'FW303 plan.json:1 aws_security_group.web: prefix_list_ids of rule aws_security_group_rule.b (inbound tcp/3389) could not be resolved statically (aws_ec2_managed_prefix_list.admins.id); the rule was checked only as far as it is known',
    ]);
  });

  it('reports standalone rules (prefix_list_id, prefix_list_ids) as unresolved without the .tf files', () => {
    expect(essence('terraform/plan-unknown-prefix-list/standalone/plan.json')).toEqual([
      'FW303 plan.json:1 aws_security_group.web: prefix_list_id of rule aws_vpc_security_group_ingress_rule.a (inbound tcp/22) could not be resolved statically (aws_ec2_managed_prefix_list.admins.id); the rule was checked only as far as it is known',
      'FW303 plan.json:1 aws_security_group.web: prefix_list_ids of rule aws_security_group_rule.b (inbound tcp/3389) could not be resolved statically (aws_ec2_managed_prefix_list.admins.id); the rule was checked only as far as it is known',
    ]);
  });
});
