import FW303 from '../../src/checks/fw303-unresolved-value';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW303, {
  valid: [{ fixture: 'checks/FW303/terraform/good-cidr-from-variable.tf' }],
  invalid: [
    { fixture: 'checks/FW303/terraform/bad-cidr-from-data-source.tf', findings: [{ line: 9, column: 20, messageId: 'unresolved', severity: 'note', message: /data\.aws_vpc\.peer\.cidr_block/ }] },
    // One unresolved value shared by two rules: one note per rule, both at the value, each naming its rule and traffic.
    {
      fixture: 'checks/FW303/cdk/bad-pulumi-config-in-two-rules.ts',
      findings: [
        { line: 6, column: 19, messageId: 'unresolved', message: /^admin: cidrBlocks of rule admin\.ingress\[0\] \(inbound tcp\/22\) could not be resolved statically \(config\.require\("adminCidr"\)\)/ },
        { line: 6, column: 19, messageId: 'unresolved', message: /^admin: cidrBlocks of rule admin\.ingress\[1\] \(inbound tcp\/3389\) could not be resolved statically/ },
      ],
    },
    // A plan without its .tf files puts every value at plan.json:1:1: the rules' notes must not swallow each other.
    {
      fixture: 'checks/FW303/terraform-plan/bad-two-rules-unknown.json',
      findings: [
        { line: 1, column: 1, messageId: 'unresolved', message: /^aws_security_group\.admin: cidr_blocks of rule aws_security_group\.admin\.ingress\[#\w+\] \(inbound tcp\/3389\) could not be resolved statically \(known after apply\)/ },
        { line: 1, column: 1, messageId: 'unresolved', message: /^aws_security_group\.admin: cidr_blocks of rule aws_security_group\.admin\.ingress\[#\w+\] \(inbound tcp\/22\) could not be resolved statically \(known after apply\)/ },
      ],
    },
    // An item beyond the condition limit: its traffic is not known, so the note does not describe it.
    {
      fixture: 'checks/FW303/cloudformation/bad-if-beyond-condition-limit.yaml',
      findings: [
        { line: 63, messageId: 'unresolved', message: /^SG: SecurityGroupIngress\[4\] of rule SG\.SecurityGroupIngress\[4\] could not be resolved statically \(!If \[C4,/ },
        { line: 70, messageId: 'unresolved', message: /^SG: SecurityGroupIngress\[5\] of rule SG\.SecurityGroupIngress\[5\] could not be resolved statically \(!If \[C5,/ },
      ],
    },
    // One rule listing two peers becomes two rules with the same unknown: still one note for that rule and field.
    // Regression (QA 12): a variable set under a condition was taken as set for certain (here 10.0.0.0/8, no finding);
    // where the condition does not hold it is unknown.
    { fixture: 'checks/FW303/netsh/bad-cidr-set-only-for-dev.cmd', findings: [{ line: 3, column: 96, messageId: 'unresolved', message: /^bad-cidr-set-only-for-dev: peer of rule "RDP"#1 \(inbound tcp\/3389\) could not be resolved statically \(%CIDR%\); .* \(when !\("%1"=="dev"\)\)$/ }] },
    { fixture: 'checks/FW303/netsh/bad-unknown-profile-two-peers.cmd', findings: [{ line: 3, column: 122, messageId: 'unresolved', message: /^bad-unknown-profile-two-peers: profiles of rule "Mgmt"#1 \(inbound tcp\/22\) could not/ }] },
  ],
});
