import FW102 from '../../src/checks/fw102-all-traffic';
import { checkTester } from '../helpers/check-tester';
import { scanFixture } from '../helpers/scan-fixture';

checkTester.run(FW102, {
  valid: [
    { fixture: 'checks/FW102/terraform/good-self-all-traffic.tf' },
    // Regression: judged on what the rule effectively allows. Deny entries before it leave tcp/443 only, which is
    // not all traffic (it was "allows every tcp port").
    { fixture: 'checks/FW102/terraform/good-nacl-all-tcp-mostly-denied.tf' },
    // The same with a Windows block rule, which wins over the allow.
    { fixture: 'checks/FW102/netsh/good-all-tcp-mostly-blocked.cmd' },
    // Egress to 0.0.0.0/0 on all traffic with a deny of 8.8.8.0/24 only when var.strict: FW104 reports it, naming the
    // exception with its condition; the piece open only where that deny does not exist kept it FW102's as well.
    { fixture: 'checks/FW104/terraform/bad-nacl-egress-one-range-denied-when-strict.tf' },
    // Loopback is no peer: all traffic to 127.0.0.1/32 (and ::1) is the placeholder egress that removes a group's
    // implicit allow-all egress, which FW202 itself advises; it was "allows all traffic to 127.0.0.1/32".
    { fixture: 'checks/FW102/terraform/good-loopback-placeholder-egress.tf' },
    { fixture: 'checks/FW102/cloudformation/good-loopback-placeholder-egress.yaml' },
    { fixture: 'checks/FW102/netsh/good-loopback-all-traffic.cmd' },
    // CDK's placeholder for allowAllOutbound: false (icmp 252/86 to 255.255.255.255/32) admits nothing either.
    { fixture: 'checks/FW102/cdk/good-no-outbound-placeholder.ts' },
  ],
  invalid: [
    {
      // Denies that exist only when var.strict were read as in every case ("leave … tcp/all ports … open", "parts of
      // 10.0.0.0/8"): what they take out is named with their condition, as FW101 and FW104 name such exceptions, after
      // what unconditional denies leave; a rule all traffic only where such a deny is absent says when.
      fixture: 'checks/FW102/terraform/bad-all-traffic-deny-under-condition.tf',
      findings: [
        { line: 36, messageId: 'allProtocols', severity: 'medium', message: /^aws_network_acl\.reduced allows all traffic from 10\.0\.0\.0\/8 \(deny rules that take precedence leave all protocols other than tcp, udp; tcp\/all ports; udp\/0-52, 54-65535 from 10\.0\.0\.0\/8 open, except tcp\/25 when var\.strict\)$/ },
        { line: 57, messageId: 'allProtocols', severity: 'medium', message: /^aws_network_acl\.subnet allows all traffic from 10\.0\.0\.0\/8 \(except all traffic from 10\.1\.0\.0\/16 when var\.strict\)$/ },
        { line: 80, messageId: 'allPorts', severity: 'medium', message: /^aws_network_acl\.mostly allows every tcp port from 10\.0\.0\.0\/8 \(when !var\.strict\)$/ },
        { line: 114, messageId: 'allProtocols', severity: 'medium', message: /^azurerm_network_security_group\.nsg allows all traffic from 10\.0\.0\.0\/8 \(except tcp\/25 when var\.strict\)$/ },
      ],
    },
    {
      // Regression: blocks of a keyword peer (LocalSubnet) under a condition were read as in every case ("deny rules
      // that take precedence leave … open"); each is named with its condition, as for an address peer.
      fixture: 'checks/FW102/netsh/bad-all-traffic-keyword-blocked-under-conditions.cmd',
      findings: [{ line: 5, messageId: 'allProtocols', severity: 'medium', message: /^lan-strict allows all traffic from LocalSubnet \(except tcp\/25 when "%1"=="strict"; udp\/53 when "%2"=="eu"\)$/ }],
    },
    {
      // Regression (QA 7/03): with a deny of everything under var.b deciding the finding's condition, the deny of tcp/25
      // under var.a was read as in every case ("leave all protocols other than tcp; tcp/0-24, 26-65535 … open").
      fixture: 'checks/FW102/terraform/bad-all-traffic-two-denies-under-conditions.tf',
      findings: [{ line: 35, messageId: 'allProtocols', severity: 'medium', message: /^aws_network_acl\.n allows all traffic from 10\.0\.0\.0\/8 \(except tcp\/25 when var\.a\) \(when !var\.b\)$/ }],
    },
    {
      // One finding per written place: a dynamic block's items (one per partner range) are one finding naming both;
      // the static block is another place, another finding.
      fixture: 'checks/FW102/terraform/bad-dynamic-block-all-tcp-ports.tf',
      findings: [
        { line: 16, column: 22, messageId: 'allPorts', severity: 'high', message: /^aws_security_group\.partners allows every tcp port from 198\.51\.100\.0\/24, 203\.0\.113\.0\/24$/ },
        { line: 24, column: 20, messageId: 'allPorts', severity: 'high', message: /^aws_security_group\.partners allows every tcp port from 192\.0\.2\.0\/24$/ },
      ],
    },
    { fixture: 'checks/FW102/terraform/bad-all-protocols-from-office.tf', findings: [{ line: 9, messageId: 'allProtocols', severity: 'high', message: /^aws_security_group\.office allows all traffic from 198\.51\.100\.0\/24$/ }] },
    { fixture: 'checks/FW102/terraform/bad-all-tcp-ports.tf', findings: [{ line: 9, messageId: 'allPorts', severity: 'medium' }] },
    {
      // Loopback beside a real peer in one rule: the real peer alone is reported.
      fixture: 'checks/FW102/terraform/bad-all-traffic-loopback-beside-private.tf',
      findings: [{ line: 9, column: 36, messageId: 'allProtocols', severity: 'medium', message: /^aws_security_group\.mixed allows all traffic to 10\.0\.0\.0\/8$/ }],
    },
    {
      // Egress to a world split over rules is FW104's, as a single 0.0.0.0/0 is; only the private range is FW102's.
      fixture: 'checks/FW104/terraform/bad-world-split-egress.tf',
      findings: [{ line: 33, messageId: 'allProtocols', severity: 'medium', message: /to 10\.0\.0\.0\/8$/ }],
    },
    {
      // World-open on every TCP port but one (a deny ahead of it): FW104 does not report it, so FW102 does, naming
      // what stays open.
      fixture: 'checks/FW102/terraform/bad-nacl-egress-all-but-smtp.tf',
      findings: [{
        line: 21,
        messageId: 'allPorts',
        severity: 'medium',
        message: /^aws_network_acl\.app allows every tcp port to 0\.0\.0\.0\/0 \(deny rules that take precedence leave tcp\/0-24, 26-65535 to 0\.0\.0\.0\/0 open\)$/,
      }],
    },
    {
      // Regression: a deny of part of the peer left the finding naming the rule as written only.
      fixture: 'checks/FW102/terraform/bad-azure-all-traffic-partly-denied.tf',
      findings: [{
        line: 28,
        messageId: 'allProtocols',
        severity: 'high',
        message: /^azurerm_network_security_group\.partner allows all traffic from 198\.51\.100\.0\/24 \(deny rules that take precedence leave all traffic from 198\.51\.100\.128\/25 open\)$/,
      }],
    },
    {
      // Regression: what a deny of one host leaves of 0.0.0.0/0 was listed prefix by prefix (32 CIDRs in the message);
      // it is "parts of" the written peer now, with the exact sets in the finding's traffic.
      fixture: 'checks/FW102/terraform/bad-nacl-all-traffic-one-host-denied.tf',
      findings: [{
        line: 21,
        messageId: 'allProtocols',
        severity: 'high',
        message: /^aws_network_acl\.edge allows all traffic from 0\.0\.0\.0\/0 \(deny rules that take precedence leave all protocols other than tcp; tcp\/0-21, 23-65535 from 0\.0\.0\.0\/0 and tcp\/22 from parts of 0\.0\.0\.0\/0 open\)$/,
      }],
    },
    {
      // QA h6 item 4: blocks of 40 ports listed 41 ranges of what is left; the message names 8 and counts the rest.
      fixture: 'checks/FW102/netsh/bad-all-traffic-many-ports-blocked.cmd',
      findings: [{
        line: 7,
        messageId: 'allProtocols',
        severity: 'high',
        message: /leave all protocols other than icmp, tcp; tcp\/0-999, 1001-1099, 1101-1199, 1201-1299, 1301-1399, 1401-1499, 1501-1599, 1601-1699 and 33 more ranges from 0\.0\.0\.0\/0, ::\/0 and icmp \(all types except echo-request \(type 8\)\) from 0\.0\.0\.0\/0 open\)$/,
      }],
    },
    {
      // QA h2 item 4: blocks of 18 protocols listed them all; the message names 8 and counts the rest, as for ports.
      fixture: 'checks/FW102/netsh/bad-all-traffic-many-protocols-blocked.cmd',
      findings: [{
        line: 23,
        messageId: 'allProtocols',
        severity: 'high',
        message: /leave all protocols other than proto-2, ipip, proto-8, proto-9, proto-12, proto-20, proto-27, proto-29 and 10 more protocols from 0\.0\.0\.0\/0, ::\/0 open\)$/,
      }],
    },
    {
      // QA h6 item 3: Azure's `*` was "parts of *"; named as FW101 names it, the written keyword kept.
      fixture: 'checks/FW102/terraform/bad-azure-star-one-host-denied.tf',
      findings: [{
        line: 27,
        messageId: 'allProtocols',
        severity: 'high',
        message: /^azurerm_network_security_group\.web allows all traffic from \* \(deny rules that take precedence leave all traffic from parts of 0\.0\.0\.0\/0, ::\/0 \(\*\) open\)$/,
      }],
    },
    {
      // A deny of echo requests leaves every other protocol and ICMP type: still all traffic, with what is left named.
      fixture: 'checks/FW101/terraform/bad-all-traffic-echo-denied.tf',
      findings: [{ line: 23, messageId: 'allProtocols', severity: 'high', message: /leave all protocols other than icmp; icmp \(all types except echo-request \(type 8\)\) from 0\.0\.0\.0\/0 open\)$/ }],
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
    {
      // Regression (QA 18a): a block on the Domain profile only left "tcp/all ports from ::/0" in the message, which
      // holds on Private and Public only; what is left is named per set of profiles, as FW101 names it.
      fixture: 'checks/FW102/netsh/bad-all-traffic-ssh-blocked-on-domain.cmd',
      findings: [{
        line: 5,
        messageId: 'allProtocols',
        message: /^ssh-blocked-on-domain allows all traffic from ::\/0 \(deny rules that take precedence leave all protocols other than tcp; tcp\/0-21, 23-65535 from ::\/0 and tcp\/22 from ::\/0 \(profiles: private, public\) open\)$/,
      }],
    },
  ],
});

describe('FW102 after denies', () => {
  const fw102 = (fixture: string) => scanFixture(fixture).findings.find((each) => each.checkId === 'FW102')!;

  it('gives the ports still open, the written ones and what is left in properties', () => {
    expect(fw102('checks/FW102/terraform/bad-nacl-egress-all-but-smtp.tf').properties).toEqual({
      protocol: 'tcp', ports: '0-24, 26-65535', writtenPorts: '0-65535', peer: '0.0.0.0/0', traffic: 'tcp/0-24, 26-65535 to 0.0.0.0/0',
    });
    expect(fw102('checks/FW102/terraform/bad-all-tcp-ports.tf').properties).toEqual({ protocol: 'tcp', ports: '0-65535', peer: '10.0.0.0/8' });
  });

  it('keeps every range of what is left in properties.traffic when the message counts them (QA h6 #4)', () => {
    const { traffic } = fw102('checks/FW102/netsh/bad-all-traffic-many-ports-blocked.cmd').properties as { traffic: string };
    expect(traffic).toMatch(/^all protocols other than icmp, tcp; tcp\/0-999, 1001-1099, (\d+-\d+, ){38}4901-65535 from 0\.0\.0\.0\/0, ::\/0 and icmp/);
  });

  it('keeps the fingerprint of a finding that denies narrowed (one rule, one finding, before and after)', () => {
    // Computed before FW102 judged the effective set.
    expect(fw102('checks/FW102/terraform/bad-nacl-egress-all-but-smtp.tf').fingerprint).toBe('89ff435341768699');
    expect(fw102('checks/FW102/terraform/bad-azure-all-traffic-partly-denied.tf').fingerprint).toBe('5b8d9de77514e86e');
  });
});

describe('FW102 with denies under a condition', () => {
  it('lists each exception with its condition in properties.exceptWhen, and keeps the fingerprint of a lone conditional finding', () => {
    const findings = scanFixture('checks/FW102/terraform/bad-all-traffic-deny-under-condition.tf').findings.filter((each) => each.checkId === 'FW102');
    expect(findings.map((finding) => finding.properties.exceptWhen)).toEqual([
      [{ traffic: 'tcp/25', when: 'var.strict' }],
      [{ traffic: 'all traffic from 10.1.0.0/16', when: 'var.strict' }],
      undefined,
      [{ traffic: 'tcp/25', when: 'var.strict' }],
    ]);
    expect(findings[2]!.properties.branch).toBe('!var.strict');
    // The fingerprints these findings had while the message read the denies as in every case: baselines still match.
    expect(findings.map((finding) => finding.fingerprint)).toEqual(['73b5698e2a341839', '03c8d00e4a2232a1', '11bc54b43adb557c', '553e1fe1c5592804']);
  });

  it('names the exception of one deny under its own condition where another decides the finding\'s condition (QA 7/03)', () => {
    const [finding, ...others] = scanFixture('checks/FW102/terraform/bad-all-traffic-two-denies-under-conditions.tf').findings.filter((each) => each.checkId === 'FW102');
    expect(others).toEqual([]);
    expect(finding!.properties).toMatchObject({ exceptWhen: [{ traffic: 'tcp/25', when: 'var.a' }], branch: '!var.b' });
    // The fingerprint it had while it read the var.a deny as in every case: a baseline entry still matches.
    expect(finding!.fingerprint).toBe('8b871d55dcd5bd9e');
  });
});
