import FW303 from '../../src/checks/fw303-unresolved-value';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW303, {
  valid: [{ fixture: 'checks/FW303/terraform/good-cidr-from-variable.tf' }],
  invalid: [
    { fixture: 'checks/FW303/terraform/bad-cidr-from-data-source.tf', findings: [{ line: 9, column: 20, messageId: 'unresolved', severity: 'note', message: /data\.aws_vpc\.peer\.cidr_block/ }] },
  ],
});
