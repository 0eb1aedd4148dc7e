import { scanFixture } from '../../helpers/scan-fixture';

/**
 * Regression (QA 3 item 3): in plan JSON a `prefix_list_ids` / `prefix_list_id` known only after apply (the list is
 * created in the same plan) became a symbolic prefix-list peer: no finding at all, where the same configuration as HCL
 * is FW101. It is unresolved (FW303), as an unknown `cidr_blocks` is.
 */
function essence(fixture: string): string[] {
  return scanFixture(fixture).findings.map((finding) => `${finding.checkId} ${finding.location.file.split('/').pop()}:${finding.location.range.startLine} ${finding.message}`);
}

describe('Terraform plan JSON: prefix list ids known only after apply', () => {
  it('reports an inline rule naming a list the plan creates as unresolved, at the .tf reference', () => {
    expect(essence('terraform/plan-unknown-prefix-list/plan.json')).toEqual([
      'FW303 main.tf:15 aws_security_group.web: prefix_list_ids of rule aws_security_group.web.ingress[#217d3388] (inbound tcp/22) could not be resolved statically (aws_ec2_managed_prefix_list.admins.id); the rule was checked only as far as it is known',
    ]);
  });

  it('reports standalone rules (prefix_list_id, prefix_list_ids) as unresolved without the .tf files', () => {
    expect(essence('terraform/plan-unknown-prefix-list/standalone/plan.json')).toEqual([
      'FW303 plan.json:1 aws_security_group.web: prefix_list_id of rule aws_vpc_security_group_ingress_rule.a (inbound tcp/22) could not be resolved statically (aws_ec2_managed_prefix_list.admins.id); the rule was checked only as far as it is known',
      'FW303 plan.json:1 aws_security_group.web: prefix_list_ids of rule aws_security_group_rule.b (inbound tcp/3389) could not be resolved statically (aws_ec2_managed_prefix_list.admins.id); the rule was checked only as far as it is known',
    ]);
  });
});
