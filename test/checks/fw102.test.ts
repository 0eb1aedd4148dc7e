import FW102 from '../../src/checks/fw102-all-traffic';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW102, {
  valid: [{ fixture: 'checks/FW102/terraform/good-self-all-traffic.tf' }],
  invalid: [
    { fixture: 'checks/FW102/terraform/bad-all-protocols-from-office.tf', findings: [{ line: 9, messageId: 'allProtocols', severity: 'high' }] },
    { fixture: 'checks/FW102/terraform/bad-all-tcp-ports.tf', findings: [{ line: 9, messageId: 'allPorts', severity: 'medium' }] },
    {
      // Egress to a world split over rules is FW104's, as a single 0.0.0.0/0 is; only the private range is FW102's.
      fixture: 'checks/FW104/terraform/bad-world-split-egress.tf',
      findings: [{ line: 33, messageId: 'allProtocols', severity: 'medium', message: /to 10\.0\.0\.0\/8$/ }],
    },
    {
      // World-open on every TCP port but one (a deny ahead of it): FW104 does not report it, so FW102 does.
      fixture: 'checks/FW102/terraform/bad-nacl-egress-all-but-smtp.tf',
      findings: [{ line: 21, messageId: 'allPorts', severity: 'medium', message: /every tcp port to 0\.0\.0\.0\/0$/ }],
    },
    {
      // Half the internet on every protocol stays FW102's when the other half is open on one port only.
      fixture: 'checks/FW104/terraform/good-half-internet-egress.tf',
      findings: [{ line: 10, messageId: 'allProtocols', severity: 'high', message: /to 0\.0\.0\.0\/1$/ }],
    },
    {
      // Regression (one netsh rule, two findings): a RemoteIP list is one rule, reported once naming all its items.
      fixture: 'checks/FW102/netsh/bad-all-traffic-from-two-hosts.cmd',
      findings: [{ line: 4, messageId: 'allProtocols', message: /^jumphost allows all traffic from 198\.51\.100\.7, 203\.0\.113\.9$/ }],
    },
  ],
});
