import FW302 from '../../src/checks/fw302-redundant-rule';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW302, {
  valid: [{ fixture: 'checks/FW302/terraform/good-disjoint-rules.tf' }],
  invalid: [{ fixture: 'checks/FW302/terraform/bad-contained-rule.tf', findings: [{ line: 16, messageId: 'contained', message: /ingress\[1\] .* is fully contained in aws_security_group\.web\.ingress\[0\]/ }] }],
});

describe('FW302 on small and large targets', () => {
  const { rule, target } = require('../helpers/build-rule') as typeof import('../helpers/build-rule');
  const ctx = { options: {}, effective: () => { throw new Error('unused'); }, profileDiff: () => undefined, publicPorts: [] } as never;
  const summary = (rules: ReturnType<typeof rule>[]) =>
    FW302.evaluate(target(rules), ctx).map((finding) => `${finding.messageId} ${finding.rule!.resourceAddress} ${finding.properties!.containedIn as string}`);

  it('finds the same containments and duplicates whether a direction has few rules or many (the plain scan and the per-protocol lists)', () => {
    const make = () => [
      rule('in', 'tcp', '0-1000', '10.0.0.0/8'),
      rule('in', 'tcp', '22', '10.1.0.0/16'),
      rule('in', 'all', 'all', '192.168.0.0/16'),
      rule('in', 'udp', '53', '192.168.1.0/24'),
      rule('in', 'tcp', '0-1000', '10.0.0.0/8'),
      rule('out', 'tcp', '443', '0.0.0.0/0'),
      rule('out', 'tcp', '443', '0.0.0.0/1'),
    ];
    const small = make();
    const few = summary(small).map((line) => line.replace(/rule\d+/g, (name) => `#${small.findIndex((r) => r.resourceAddress === name)}`));
    const large = make();
    // Forty disjoint inbound rules after them: the large path, same findings for the first seven.
    for (let i = 0; i < 40; i++) large.push(rule('in', 'udp', String(2000 + i), `198.51.100.${i}/32`));
    const many = summary(large).map((line) => line.replace(/rule\d+/g, (name) => `#${large.findIndex((r) => r.resourceAddress === name)}`));
    expect(few).toEqual(['duplicate #4 #0', 'contained #1 #0', 'contained #3 #2', 'contained #6 #5']);
    expect(many).toEqual(few);
  });
});
