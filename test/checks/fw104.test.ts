import FW104 from '../../src/checks/fw104-world-open-egress';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW104, {
  valid: [{ fixture: 'checks/FW104/terraform/good-https-egress.tf' }],
  invalid: [
    {
      fixture: 'checks/FW104/terraform/bad-all-egress.tf',
      findings: [
        { line: 9, messageId: 'worldOpenEgress', message: /to 0\.0\.0\.0\/0 on all traffic/ },
        { line: 10, messageId: 'worldOpenEgress', message: /to ::\/0 on all traffic/ },
      ],
    },
  ],
});
