import FW302 from '../../src/checks/fw302-redundant-rule';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW302, {
  valid: [{ fixture: 'checks/FW302/terraform/good-disjoint-rules.tf' }],
  invalid: [{ fixture: 'checks/FW302/terraform/bad-contained-rule.tf', findings: [{ line: 16, messageId: 'contained', message: /ingress\[1\] .* is fully contained in aws_security_group\.web\.ingress\[0\]/ }] }],
});
