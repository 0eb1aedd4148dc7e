import FW102 from '../../src/checks/fw102-all-traffic';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW102, {
  valid: [{ fixture: 'checks/FW102/terraform/good-self-all-traffic.tf' }],
  invalid: [
    { fixture: 'checks/FW102/terraform/bad-all-protocols-from-office.tf', findings: [{ line: 9, messageId: 'allProtocols', severity: 'high' }] },
    { fixture: 'checks/FW102/terraform/bad-all-tcp-ports.tf', findings: [{ line: 9, messageId: 'allPorts', severity: 'medium' }] },
  ],
});
