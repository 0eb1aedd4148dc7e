import FW301 from '../../src/checks/fw301-shadowed-rule';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW301, {
  valid: [
    { fixture: 'checks/FW301/netsh/good-allow-partly-blocked.txt' },
    { fixture: 'checks/FW301/terraform/good-nacl-allow-before-deny.tf' },
    // Azure `*` on ports is a TCP and a UDP rule to the model: a Deny of UDP alone leaves the rule working.
    { fixture: 'checks/FW301/terraform/good-star-rule-partly-denied.tf' },
    // ICMP rules that also name addresses of their own family take effect through them (`::/0` beside IPv4 ranges).
    { fixture: 'checks/FW101/terraform/bad-icmp-from-world.tf' },
    { fixture: 'checks/FW101/netsh/bad-icmp-types-from-world.txt' },
    // Blocks from Internet, 0.0.0.0/0, another keyword or one profile do not certainly hold LocalSubnet; nor LocalSubnet Any.
    { fixture: 'checks/FW301/netsh/good-keyword-allow-under-partial-blocks.cmd' },
  ],
  invalid: [
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
  ],
});
