import FW103 from '../../src/checks/fw103-wide-port-range';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW103, {
  valid: [{ fixture: 'checks/FW103/terraform/good-wide-range-private.tf' }],
  invalid: [
    { fixture: 'checks/FW103/terraform/bad-wide-range-public.tf', findings: [{ line: 9, messageId: 'widePortRange', message: /64512 tcp ports \(1024-65535\)/ }] },
    {
      // Regression (one netsh rule, two findings): a RemoteIP list is one rule, reported once naming all its items.
      fixture: 'checks/FW103/netsh/bad-wide-udp-from-two-ranges.cmd',
      findings: [{ line: 4, messageId: 'widePortRange', message: /^mediahost opens 10001 udp ports \(10000-20000\) from 198\.51\.100\.0\/24, 203\.0\.113\.0\/24, more than 1024$/ }],
    },
  ],
});
