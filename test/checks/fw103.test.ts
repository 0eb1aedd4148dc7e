import FW103 from '../../src/checks/fw103-wide-port-range';
import { checkTester } from '../helpers/check-tester';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanFixture } from '../helpers/scan-fixture';

checkTester.run(FW103, {
  valid: [
    { fixture: 'checks/FW103/terraform/good-wide-range-private.tf' },
    // Regression: judged on the ports the rule effectively opens, after the higher-priority Deny (999 ports, not 40000).
    { fixture: 'checks/FW103/terraform/good-azure-range-mostly-denied.tf' },
    // Every TCP port as written, 1000 left by the deny: not FW102's (all traffic) nor, by default, this check's.
    { fixture: 'checks/FW103/terraform/good-all-ports-mostly-denied.tf' },
  ],
  invalid: [
    {
      // One finding per written place: a dynamic block's items are one finding, their ranges united and counted together.
      fixture: 'checks/FW103/terraform/bad-dynamic-block-wide-ranges.tf',
      findings: [
        { line: 16, column: 22, messageId: 'widePortRange', message: /opens 4000 tcp ports \(1000-2999, 5000-6999\) from 198\.51\.100\.0\/24, more than 1024$/ },
        { line: 24, column: 20, messageId: 'widePortRange', message: /opens 10000 tcp ports \(10000-19999\) from 198\.51\.100\.0\/24, more than 1024$/ },
      ],
    },
    { fixture: 'checks/FW103/terraform/bad-wide-range-public.tf', findings: [{ line: 9, messageId: 'widePortRange', message: /64512 tcp ports \(1024-65535\) from 198\.51\.100\.0\/24, more than 1024$/ }] },
    {
      // Regression: a deny before the rule takes ports out; the count and ports are what stays open, the written range is named.
      fixture: 'checks/FW103/terraform/bad-nacl-range-partly-denied.tf',
      findings: [{
        line: 20,
        messageId: 'widePortRange',
        message: /^aws_network_acl\.edge opens 1099 tcp ports \(1-1099\) from 198\.51\.100\.0\/24, more than 1024 \(the rule allows 1-65000; deny rules that take precedence block the rest from public addresses\)$/,
      }],
    },
    {
      // Regression (one netsh rule, two findings): a RemoteIP list is one rule, reported once naming all its items.
      fixture: 'checks/FW103/netsh/bad-wide-udp-from-two-ranges.cmd',
      findings: [{ line: 4, messageId: 'widePortRange', message: /^mediahost opens 10001 udp ports \(10000-20000\) from 198\.51\.100\.0\/24, 203\.0\.113\.0\/24, more than 1024$/ }],
    },
    {
      // QA h4 item 3: a deny under `count = var.strict ? 1 : 0` closes part of the range only then; the finding gave
      // the union of both cases without a condition. What is open in every case, then all that is open otherwise.
      fixture: 'checks/FW103/terraform/bad-nacl-range-denied-under-condition.tf',
      findings: [
        { line: 27, messageId: 'widePortRange', message: /^aws_network_acl\.n opens 35535 tcp ports \(30001-65535\) from 198\.51\.100\.0\/24, more than 1024 \(the rule allows 1024-65535; deny rules that take precedence block the rest from public addresses\)$/ },
        { line: 27, messageId: 'widePortRange', message: /^aws_network_acl\.n opens 64512 tcp ports \(1024-65535\) from 198\.51\.100\.0\/24, more than 1024 \(when !var\.strict\)$/ },
      ],
    },
    {
      // The same with a CloudFormation entry under `Condition: IsStrict`: the condition as FW101 writes it.
      fixture: 'checks/FW103/cloudformation/bad-nacl-range-denied-under-condition.yaml',
      findings: [
        { line: 32, messageId: 'widePortRange', message: /^Acl opens 35535 tcp ports \(30001-65535\) from 198\.51\.100\.0\/24, more than 1024 \(the rule allows/ },
        { line: 32, messageId: 'widePortRange', message: /^Acl opens 64512 tcp ports \(1024-65535\) from 198\.51\.100\.0\/24, more than 1024 \(when IsStrict=false\)$/ },
      ],
    },
  ],
});

describe('FW103 properties after denies', () => {
  it('give the ports still open and their count, and the written range apart', () => {
    const finding = scanFixture('checks/FW103/terraform/bad-nacl-range-partly-denied.tf').findings.find((each) => each.checkId === 'FW103')!;
    expect(finding.properties).toEqual({ protocol: 'tcp', ports: '1-1099', portCount: 1099, writtenPorts: '1-65000', peer: '198.51.100.0/24' });
  });

  it('stay as written when no deny takes anything out', () => {
    const finding = scanFixture('checks/FW103/terraform/bad-wide-range-public.tf').findings.find((each) => each.checkId === 'FW103')!;
    expect(finding.properties).toEqual({ protocol: 'tcp', ports: '1024-65535', portCount: 64512, peer: '198.51.100.0/24' });
  });

  it('do not count ports that a deny leaves open to private addresses only', () => {
    // The allow from 0.0.0.0/0 keeps tcp/2000-60000 from private ranges only after a Deny on `Internet`: 1999 ports.
    const finding = scanFixture('checks/FW103/terraform/bad-azure-range-internet-denied.tf').findings.find((each) => each.checkId === 'FW103')!;
    expect(finding.message).toMatch(/opens 1999 tcp ports \(1-1999\) from \*, more than 1024 \(the rule allows 1-60000;/);
  });
});

describe('FW103 on a rule of every port that denies narrow', () => {
  // Regression: a rule written with every port was left to FW102, which leaves it once denies keep 1024 ports or
  // fewer open: with a lower maxPorts, what is left went unreported by both.
  it('reports what is left when it is more than a maxPorts set below 1024', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fw103-'));
    const configFile = path.join(folder, 'fwlint.yaml');
    fs.writeFileSync(configFile, 'checks:\n  FW103: { maxPorts: 100 }\n');
    try {
      const findings = scanFixture('checks/FW103/terraform/good-all-ports-mostly-denied.tf', { configFile }).findings.filter((each) => each.checkId === 'FW103' || each.checkId === 'FW102');
      expect(findings.map((each) => `${each.checkId} ${each.message}`)).toEqual([
        'FW103 aws_network_acl.partner opens 1000 tcp ports (0-999) from 198.51.100.0/24, more than 100 (the rule allows 0-65535; deny rules that take precedence block the rest from public addresses)',
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
