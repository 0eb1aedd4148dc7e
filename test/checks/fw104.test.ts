import FW104 from '../../src/checks/fw104-world-open-egress';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW104, {
  valid: [{ fixture: 'checks/FW104/terraform/good-https-egress.tf' }, { fixture: 'checks/FW104/terraform/good-half-internet-egress.tf' }],
  invalid: [
    {
      // One finding per written place: a dynamic block's items (every tcp port, every udp port) are one finding.
      fixture: 'checks/FW104/terraform/bad-dynamic-block-all-egress.tf',
      findings: [
        { line: 13, column: 22, messageId: 'worldOpenEgress', message: /^aws_security_group\.out allows egress to 0\.0\.0\.0\/0 on tcp\/all ports; udp\/all ports$/ },
        { line: 21, column: 25, messageId: 'worldOpenEgress', message: /^aws_security_group\.out allows egress to ::\/0 on all traffic$/ },
      ],
    },
    {
      fixture: 'checks/FW104/terraform/bad-all-egress.tf',
      findings: [
        { line: 9, messageId: 'worldOpenEgress', message: /to 0\.0\.0\.0\/0 on all traffic/ },
        { line: 10, messageId: 'worldOpenEgress', message: /to ::\/0 on all traffic/ },
      ],
    },
    {
      // "World" is a set: 0.0.0.0/1 + 128.0.0.0/1 (one block) and ::/1 + 8000::/1 (two blocks) are the whole internet.
      fixture: 'checks/FW104/terraform/bad-world-split-egress.tf',
      findings: [
        { line: 10, column: 20, messageId: 'worldOpenEgressCombined', message: /to 0\.0\.0\.0\/1 on all traffic, which together/ },
        { line: 10, column: 33, messageId: 'worldOpenEgressCombined', message: /to 128\.0\.0\.0\/1 on all traffic, which together/ },
        { line: 18, messageId: 'worldOpenEgressCombined', message: /to ::\/1 on tcp\/all ports, which together/ },
        { line: 25, messageId: 'worldOpenEgressCombined', message: /to 8000::\/1 on tcp\/all ports, which together/ },
      ],
    },
    {
      // CDK L2: the rule comes from allowAllOutbound's default (true), not from a missing egress list.
      fixture: 'checks/FW104/cdk/bad-default-allow-all-outbound.ts',
      findings: [{ line: 9, messageId: 'worldOpenEgress', message: /to 0\.0\.0\.0\/0 on all traffic \(CDK's default egress: allowAllOutbound is not set to false, and egress rules added to the group do not remove it\)$/ }],
    },
    {
      // Regression (one netsh rule, two findings): a RemoteIP list is one rule, reported once naming all its items.
      fixture: 'checks/FW104/netsh/bad-egress-split-in-one-rule.cmd',
      findings: [{ line: 4, messageId: 'worldOpenEgress', message: /^buildhost allows egress to 0\.0\.0\.0\/0 on all traffic$/ }],
    },
  ],
});
