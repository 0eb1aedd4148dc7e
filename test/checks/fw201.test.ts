import FW201 from '../../src/checks/fw201-required-flow-missing';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW201, {
  valid: [
    { fixture: 'checks/FW201/terraform/good-lumen-linux.tf' },
    // --profile applies a role to every target scanned.
    { fixture: 'checks/FW202/terraform/good-lumen-windows-winrm.tf', options: { profile: 'lumen-cloud/windows' } },
  ],
  invalid: [
    {
      fixture: 'checks/FW201/terraform/bad-lumen-linux-without-ssh.tf',
      findings: [{ line: 2, messageId: 'missing', severity: 'high', message: /tcp\/22 from control-portal \(any address\) \(SSH used by the Control Portal/ }],
    },
    { fixture: 'checks/FW201/terraform/good-lumen-linux.tf', options: { profile: 'lumen-cloud/windows' }, findings: [{ line: 2, messageId: 'missing', message: /tcp\/5985/ }] },
  ],
});
