import FW301 from '../../src/checks/fw301-shadowed-rule';
import { renderSarif } from '../../src/report/sarif';
import { checkTester } from '../helpers/check-tester';
import { scanFixture } from '../helpers/scan-fixture';
import { basicInput, testContext } from '../report/report-fixture';
import { sarifValidator } from '../report/sarif-schema';

checkTester.run(FW301, {
  valid: [
    { fixture: 'checks/FW301/netsh/good-allow-partly-blocked.txt' },
    // Regression: a block of the allow's keyword under `if "%1"=="strict"` was read as in every case ("never takes
    // effect"); the allow works whenever the script runs without "strict".
    { fixture: 'checks/FW301/netsh/good-keyword-allow-blocked-only-under-condition.cmd' },
    { fixture: 'checks/FW301/terraform/good-nacl-allow-before-deny.tf' },
    // Azure `*` on ports is a TCP and a UDP rule to the model: a Deny of UDP alone leaves the rule working.
    { fixture: 'checks/FW301/terraform/good-star-rule-partly-denied.tf' },
    // ICMP rules that also name addresses of their own family take effect through them (`::/0` beside IPv4 ranges).
    { fixture: 'checks/FW101/terraform/bad-icmp-from-world.tf' },
    { fixture: 'checks/FW101/netsh/bad-icmp-types-from-world.txt' },
    // Blocks from Internet, 0.0.0.0/0, another keyword or one profile do not certainly hold LocalSubnet; nor LocalSubnet Any.
    { fixture: 'checks/FW301/netsh/good-keyword-allow-under-partial-blocks.cmd' },
    // QA: a block from Internet was taken to hold every address, so allows from 10.0.0.0/8 or a public address
    // (which the intranet may hold) were reported never to take effect.
    { fixture: 'checks/FW301/netsh/good-allow-under-internet-block.cmd' },
    // An Azure Deny limited to some source ports leaves the Allow open from every other source port.
    { fixture: 'checks/FW301/terraform/good-azure-deny-on-other-source-ports.tf' },
  ],
  invalid: [
    {
      // One finding per written place: a dynamic block's items overridden by the same deny are one finding at the block.
      fixture: 'checks/FW301/terraform/bad-azure-dynamic-items-overridden.tf',
      findings: [
        {
          line: 27,
          messageId: 'shadowed',
          message: /allow rule azurerm_network_security_group\.jump\.security_rule\["office"\], azurerm_network_security_group\.jump\.security_rule\["vpn"\] \(10\.0\.0\.0\/8, 192\.168\.0\.0\/16\) never takes effect; it is fully overridden by azurerm_network_security_group\.jump\.security_rule\[0\]$/,
        },
      ],
    },
    {
      // QA 3/11: a Deny limited to source ports was left out entirely; it overrides an Allow on the same source ports.
      fixture: 'checks/FW301/terraform/bad-azure-deny-on-same-source-ports.tf',
      findings: [{ line: 18, messageId: 'shadowed', message: /security_rule\[1\] \(10\.0\.0\.0\/8\) never takes effect; it is fully overridden by azurerm_network_security_group\.app\.security_rule\[0\]$/ }],
    },
    { fixture: 'checks/FW301/terraform/bad-nacl-allow-after-deny.tf', findings: [{ line: 13, messageId: 'shadowed', message: /ingress\[1\] \(10\.1\.0\.0\/16\) never takes effect; it is fully overridden by aws_network_acl\.edge\.ingress\[0\]$/ }] },
    {
      // ICMPv4 from IPv6 addresses only admits nothing: said by FW301, not taken as traffic by FW202 and the rest.
      fixture: 'checks/FW301/terraform/bad-icmp-from-ipv6.tf',
      findings: [{ line: 10, messageId: 'icmpFamily', message: /\(icmp echo-request \(type 8, code 0\) from 2001:db8::\/32\) never takes effect: ICMPv4 reaches only IPv4 addresses \(for IPv6 peers use ICMPv6, protocol 58\)$/ }],
    },
    {
      // A RemoteIP list is one model rule per item; the written rule is reported once, its addresses united.
      fixture: 'checks/FW301/netsh/bad-remoteip-list-under-block.cmd',
      findings: [{ line: 3, messageId: 'shadowed', message: /allow rule "Lab hosts"#1 \(10\.0\.0\.1\/32, 10\.0\.0\.2\/31\) never takes effect; it is fully overridden by "Block lab"#1$/ }],
    },
    {
      // Likewise a blocking rule with a RemoteIP list is named once.
      fixture: 'checks/FW301/netsh/bad-blocked-by-split-block-list.cmd',
      findings: [{ line: 3, messageId: 'shadowed', message: /allow rule "RDP"#1 \(Any\) never takes effect; it is fully overridden by "Block RDP low"#1, "Block RDP high"#1$/ }],
    },
    {
      // QA: keyword addresses (LocalSubnet, DefaultGateway) were never found shadowed, even under a block from Any.
      fixture: 'checks/FW301/netsh/bad-keyword-allow-under-block-any.cmd',
      findings: [
        { line: 3, messageId: 'shadowed', message: /allow rule "SMB subnet"#1 \(LocalSubnet\) never takes effect; it is fully overridden by "No SMB"#1$/ },
        { line: 5, messageId: 'shadowed', message: /allow rule "Gateway agent"#1 \(DefaultGateway\) never takes effect; it is fully overridden by "No agent"#1$/ },
      ],
    },
    {
      // QA: blocks holding every address as CIDRs (remoteip=0.0.0.0/0,::/0, or a block per family) did not hold a
      // keyword's addresses; only a block from Any did.
      fixture: 'checks/FW301/netsh/bad-keyword-allow-under-blocks-of-every-address.cmd',
      findings: [
        { line: 3, messageId: 'shadowed', message: /allow rule "SMB subnet"#1 \(LocalSubnet\) never takes effect; it is fully overridden by "No SMB"#1$/ },
        { line: 5, messageId: 'shadowed', message: /allow rule "Gateway agent"#1 \(DefaultGateway\) never takes effect; it is fully overridden by "No agent over IPv4"#1, "No agent over IPv6"#1$/ },
      ],
    },
    {
      // QA h5 item 2: blocks that hold every address only together (two IPv4 halves and IPv6, in three rules) did not
      // count; where they add up on some ports or some profiles only, the allow still takes effect on the rest.
      fixture: 'checks/FW301/netsh/bad-keyword-allow-under-blocks-adding-up.cmd',
      findings: [
        { line: 3, messageId: 'shadowed', message: /allow rule "SMB subnet"#1 \(LocalSubnet\) never takes effect; it is fully overridden by "No SMB low"#1, "No SMB high"#1, "No SMB over IPv6"#1$/ },
      ],
    },
    {
      // An allow from Internet is still overridden by a block from Internet, and by blocks of every address.
      fixture: 'checks/FW301/netsh/bad-internet-allow-under-internet-block.cmd',
      findings: [
        { line: 2, messageId: 'shadowed', message: /allow rule "Web from the internet"#1 \(Internet\) never takes effect; it is fully overridden by "No web from the internet"#1$/ },
        { line: 4, messageId: 'shadowed', message: /allow rule "Admin from the internet"#1 \(Internet\) never takes effect; it is fully overridden by "No admin"#1$/ },
      ],
    },
  ],
});

describe('FW301 related locations', () => {
  // Regression: relatedLocations pointed at the overriding rule's resource (the NACL), not at the rule itself.
  function shadowedOf(fixture: string) {
    const result = scanFixture(fixture);
    const finding = result.findings.find((each) => each.checkId === 'FW301')!;
    const target = result.targets.find((each) => each.id === finding.targetId)!;
    return { result, finding, target };
  }

  it('point at the overriding rule (the ingress block), not at the resource holding it', () => {
    const { finding, target } = shadowedOf('checks/FW301/terraform/bad-nacl-allow-after-deny.tf');
    const deny = target.rules.find((rule) => rule.resourceAddress === 'aws_network_acl.edge.ingress[0]')!;
    expect(finding.relatedLocations).toEqual([deny.location]);
    expect(finding.relatedLocations[0]!.range.startLine).toBe(4);
    expect(finding.relatedLocations).not.toContainEqual(target.location);
  });

  it('point at every overriding rule once, in the order of properties.overriddenBy', () => {
    const { finding, target } = shadowedOf('checks/FW301/netsh/bad-blocked-by-split-block-list.cmd');
    expect(finding.properties.overriddenBy).toEqual(['"Block RDP low"#1', '"Block RDP high"#1']);
    const lines = (finding.properties.overriddenBy as string[]).map((name) => target.rules.find((rule) => rule.resourceAddress === name)!.location.range.startLine);
    expect(lines).toEqual([4, 5]);
    expect(finding.relatedLocations.map((location) => location.range.startLine)).toEqual([4, 5]);
  });

  it('are valid SARIF relatedLocations named after the overriding rules', () => {
    const { result, finding } = shadowedOf('checks/FW301/netsh/bad-blocked-by-split-block-list.cmd');
    const input = { ...basicInput(), findings: [finding], diagnostics: result.diagnostics };
    const log = JSON.parse(renderSarif(input, testContext()));
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const related = log.runs[0].results[0].relatedLocations as Array<{ id: number; message: { text: string }; physicalLocation: { region: { startLine: number } } }>;
    expect(related.map((each) => [each.id, each.physicalLocation.region.startLine, each.message.text])).toEqual([
      [1, 4, 'overriding rule "Block RDP low"#1'],
      [2, 5, 'overriding rule "Block RDP high"#1'],
    ]);
  });
});
