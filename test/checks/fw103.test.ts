import FW103 from '../../src/checks/fw103-wide-port-range';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW103, {
  valid: [{ fixture: 'checks/FW103/terraform/good-wide-range-private.tf' }],
  invalid: [{ fixture: 'checks/FW103/terraform/bad-wide-range-public.tf', findings: [{ line: 9, messageId: 'widePortRange', message: /64512 tcp ports \(1024-65535\)/ }] }],
});
