import FW101 from '../../src/checks/fw101-world-open-ingress';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW101, {
  valid: [{ fixture: 'checks/FW101/terraform/good-restricted-ssh.tf' }],
  invalid: [
    { fixture: 'checks/FW101/terraform/bad-ssh-from-world.tf', findings: [{ line: 9, column: 20, messageId: 'worldOpen', severity: 'critical', message: /from 0\.0\.0\.0\/0 on tcp\/22$/ }] },
    { fixture: 'checks/FW101/terraform/bad-ipv6-world.tf', findings: [{ line: 9, messageId: 'worldOpen', severity: 'high', message: /from ::\/0 on tcp\/8080/ }] },
    // The netsh keyword RPC is the dynamic RPC range: no listed port, but every RPC server on the host (critical).
    { fixture: 'checks/FW101/netsh/bad-rpc-dynamic-from-any.cmd', findings: [{ line: 4, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/49152-65535$/ }] },
    {
      // "World" is a set: two halves of IPv4 in two rules are the whole internet.
      fixture: 'checks/FW101/terraform/bad-world-split-over-rules.tf',
      findings: [
        { line: 9, messageId: 'worldOpenCombined', severity: 'critical' },
        { line: 16, messageId: 'worldOpenCombined', severity: 'critical' },
      ],
    },
    {
      // Only the family the union covers is blamed: the private IPv4 rule beside a split IPv6 world is not.
      fixture: 'checks/FW101/terraform/bad-ipv6-split-beside-private-ipv4.tf',
      findings: [
        { line: 10, column: 25, messageId: 'worldOpenCombined', severity: 'critical', message: /from ::\/1 on tcp\/22,/ },
        { line: 10, column: 33, messageId: 'worldOpenCombined', severity: 'critical', message: /from 8000::\/1 on tcp\/22,/ },
      ],
    },
    {
      // A private range inside the halves adds nothing to the world they open: not blamed either.
      fixture: 'checks/FW101/terraform/bad-world-split-with-private-inside.tf',
      findings: [
        { line: 9, column: 20, messageId: 'worldOpenCombined', message: /from 0\.0\.0\.0\/1 on tcp\/22,/ },
        { line: 9, column: 33, messageId: 'worldOpenCombined', message: /from 128\.0\.0\.0\/1 on tcp\/22,/ },
      ],
    },
  ],
});

describe('FW101 publicPorts', () => {
  it('does not report ports the config declares public', () => {
    const { scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');
    const result = scanFixture('demo/network.tf', { configFile: 'fixtures/demo/.fwlint.yaml' });
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => finding.properties.traffic)).toEqual(['tcp/22']);
  });
});
