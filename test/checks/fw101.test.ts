import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import FW101 from '../../src/checks/fw101-world-open-ingress';
import { scan } from '../../src/pipeline/scan';
import { checkTester } from '../helpers/check-tester';

checkTester.run(FW101, {
  valid: [
    { fixture: 'checks/FW101/terraform/good-restricted-ssh.tf' },
    // Regression (ICMP accuracy): echo requests from one half and echo replies from the other open no ICMP message to
    // the world, and an ICMPv4 rule from ::/0 admits nothing (it was "from ::/0 on icmp").
    { fixture: 'checks/FW101/netsh/good-echo-halves.cmd' },
    // Managed prefix lists written in the input holding private and office networks only (QA 06).
    { fixture: 'checks/FW101/cloudformation/good-ssh-from-office-prefix-list.yaml' },
    { fixture: 'checks/FW101/terraform/good-ssh-from-office-prefix-list.tf' },
    // Whatever the port turns out to be, a deny before the allow (NACL) or a block rule (Windows) closes it.
    { fixture: 'checks/FW101/cloudformation/good-port-parameter-all-tcp-denied.json' },
    { fixture: 'checks/FW101/netsh/good-port-variable-blocked.cmd' },
    { fixture: 'checks/FW101/terraform/good-port-variable-all-tcp-denied.tf' },
    // A rule deleted under a condition and narrowed under its negation is open to the world on no run.
    { fixture: 'checks/FW101/netsh/good-rdp-closed-in-both-branches.cmd' },
    // Half of IPv4 is not the whole internet; nor is 0.0.0.0/0 less a public /7 (2^25 addresses, over 1/256 of the
    // public ones), the boundary of the world-open criterion.
    { fixture: 'checks/FW101/terraform/good-nacl-half-of-ipv4.tf' },
    { fixture: 'checks/FW101/terraform/good-nacl-world-but-a-slash-7-denied.tf' },
    // QA 4/01: IPv6's internet is global unicast 2000::/3. 8000::/1, 2001:db8::/32 and fc00::/7 hold none of it, and
    // a NACL deny, an NSG deny or a Windows block of 2000::/3 ahead of an allow from ::/0 leaves none of it open.
    { fixture: 'checks/FW101/terraform/good-ssh-from-ipv6-outside-global-unicast.tf' },
    { fixture: 'checks/FW101/netsh/good-ssh-ipv6-global-unicast-blocked.cmd' },
  ],
  invalid: [
    {
      // QA 4/01: 2000::/3 (global unicast, every address the internet routes) gave no finding; ::/1 holds it. Each is
      // named as written; the halves of 2000::/3 open SSH to the IPv6 internet together.
      fixture: 'checks/FW101/terraform/bad-ssh-from-ipv6-global-unicast.tf',
      findings: [
        { line: 9, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.gua allows ingress from 2000::\/3 on tcp\/22$/ },
        { line: 19, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.low_half allows ingress from ::\/1 on tcp\/22$/ },
        { line: 30, messageId: 'worldOpenCombined', severity: 'critical', message: /^aws_security_group\.gua_halves allows ingress from 2000::\/4 on tcp\/22, which together/ },
        { line: 36, messageId: 'worldOpenCombined', severity: 'critical', message: /^aws_security_group\.gua_halves allows ingress from 3000::\/4 on tcp\/22, which together/ },
      ],
    },
    // Regression (QA 3/01): any deny that took precedence, however small, left the effective set short of 0.0.0.0/0
    // and silenced FW101. World-open is every public address of a family but less than 1/256 of them; the message
    // names what is left out: the excluded CIDRs, or "every public IPv4 address" where private ranges are among them.
    { fixture: 'checks/FW101/terraform/bad-nacl-ssh-world-but-one-denied.tf', findings: [{ line: 17, messageId: 'worldOpen', severity: 'critical', message: /^aws_network_acl\.one_host_denied allows ingress from 0\.0\.0\.0\/0 except 0\.0\.0\.0\/32 on tcp\/22$/ }] },
    { fixture: 'checks/FW101/terraform/bad-nsg-rdp-private-ranges-denied.tf', findings: [{ line: 25, messageId: 'worldOpen', severity: 'critical', message: /^azurerm_network_security_group\.private_denied allows ingress from every public IPv4 address on tcp\/3389$/ }] },
    {
      fixture: 'checks/FW101/terraform/bad-gcp-world-but-one-host-denied.tf',
      findings: [
        { line: 20, messageId: 'worldOpen', severity: 'critical', message: /^google_compute_firewall\.rdp allows ingress from 0\.0\.0\.0\/0 except 203\.0\.113\.7\/32 on tcp\/3389$/ },
        // 203.0.113.7 is a documentation address, no internet host's: the message names routable addresses left out.
        { line: 39, messageId: 'worldOpen', severity: 'critical', message: /^google_compute_firewall\.ssh allows ingress from every public IPv4 address on tcp\/22$/ },
      ],
    },
    // QA 4/11: bogons (multicast, class E, 0/8, documentation and benchmarking ranges) are no internet host's either: a
    // bogon deny list, or class E alone (1/16 of IPv4), before an allow from 0.0.0.0/0 leaves it world-open.
    { fixture: 'checks/FW101/terraform/bad-nacl-ssh-world-behind-bogon-denies.tf', findings: [{ line: 121, messageId: 'worldOpen', severity: 'critical', message: /^aws_network_acl\.bogons_denied allows ingress from every public IPv4 address on tcp\/22$/ }] },
    { fixture: 'checks/FW101/terraform/bad-nacl-ssh-world-but-class-e-denied.tf', findings: [{ line: 16, messageId: 'worldOpen', severity: 'critical', message: /^aws_network_acl\.class_e_denied allows ingress from 0\.0\.0\.0\/0 except 240\.0\.0\.0\/4 on tcp\/22$/ }] },
    { fixture: 'checks/FW101/netsh/bad-rdp-any-but-private-blocked.cmd', findings: [{ line: 6, messageId: 'worldOpen', severity: 'critical', message: /^jumphost allows ingress from every public IPv4 address and ::\/0 on tcp\/3389$/ }] },
    // A public /9 (2^23 addresses) is under 1/256 of the public IPv4 addresses: still world-open.
    { fixture: 'checks/FW101/terraform/bad-nacl-world-but-a-slash-9-denied.tf', findings: [{ line: 17, messageId: 'worldOpen', severity: 'critical', message: /from 0\.0\.0\.0\/0 except 8\.0\.0\.0\/9 on tcp\/22$/ }] },
    {
      // Two halves, one host denied ahead of them: world-open together; the carved half named by what it lacks.
      fixture: 'checks/FW101/terraform/bad-world-split-but-one-denied.tf',
      findings: [
        { line: 16, messageId: 'worldOpenCombined', severity: 'critical', message: /from 0\.0\.0\.0\/1 on tcp\/22, which together/ },
        { line: 24, messageId: 'worldOpenCombined', severity: 'critical', message: /from 128\.0\.0\.0\/1 except 203\.0\.113\.7\/32 on tcp\/22, which together/ },
      ],
    },
    {
      // A deny of one host on tcp/22 ahead of all traffic from 0.0.0.0/0: tcp/22 is world-open too, and named apart
      // with what it lacks (it was "on all protocols other than tcp; tcp/0-21, 23-65535").
      fixture: 'checks/FW102/terraform/bad-nacl-all-traffic-one-host-denied.tf',
      findings: [{ line: 21, messageId: 'worldOpen', severity: 'critical', message: /^aws_network_acl\.edge allows ingress from 0\.0\.0\.0\/0 on all protocols other than tcp; tcp\/0-21, 23-65535 and from 0\.0\.0\.0\/0 except 203\.0\.113\.7\/32 on tcp\/22$/ }],
    },
    {
      // Regression: the message listed 33 CIDRs of what a deny of one host left ("0.0.0.0/1, 128.0.0.0/2, … and 29 more").
      fixture: 'checks/FW102/terraform/bad-azure-star-one-host-denied.tf',
      findings: [{ line: 27, messageId: 'worldOpen', severity: 'critical', message: /^azurerm_network_security_group\.web allows ingress from 0\.0\.0\.0\/0 \(except 203\.0\.113\.7\/32\) and ::\/0 on all traffic$/ }],
    },
    // A source port limit does not make an Allow from `*` safe: the client picks its source port.
    { fixture: 'checks/FW101/terraform/bad-azure-ssh-from-any-source-port-53.tf', findings: [{ line: 15, messageId: 'worldOpen' }] },
    // Regression (QA 11b): a rule from the whole internet whose ports are unresolved was only FW303's note, which the
    // default gate ignores. It is world-open on whichever port the value is: high (the port is not known to be
    // sensitive); the unresolved port from a private range stays FW303's alone.
    {
      fixture: 'checks/FW101/cloudformation/bad-port-parameter-from-world.yaml',
      findings: [{
        line: 13,
        column: 78,
        messageId: 'worldOpenUnresolvedPorts',
        severity: 'high',
        message: /^AppSG allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: !Ref Port>: its ports could not be resolved statically, so any port may be open$/,
      }],
    },
    {
      // A deny before it closes tcp/22 only: every other port the value could be stays open.
      fixture: 'checks/FW101/cloudformation/bad-port-parameter-from-world.json',
      findings: [{ line: 13, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^PublicAcl allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: !Ref Port>: its ports could not be resolved statically, so any port but tcp\/22 may be open$/ }],
    },
    {
      fixture: 'checks/FW101/netsh/bad-port-variable-from-any.cmd',
      findings: [{ line: 4, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^app-port-open allows ingress from 0\.0\.0\.0\/0, ::\/0 on tcp\/<unresolved: %APP_PORT%> \(profiles: domain\): its ports could not be resolved statically, so any port may be open$/ }],
    },
    // Regression: Terraform (HCL and plan) and CDK/Pulumi readers dropped a rule whose port was unresolved, so a rule
    // from the whole internet on it was FW303's note only. Kept as CloudFormation keeps it, and reported the same way,
    // at the rule's peer; the private one stays FW303's alone.
    {
      fixture: 'checks/FW101/terraform/bad-port-variable-from-world.tf',
      findings: [
        { line: 19, column: 20, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^aws_security_group\.app allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: var\.app_port>: its ports could not be resolved statically, so any port may be open$/ },
        // A `dynamic` block's item.
        { line: 36, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from ::\/0 on tcp\/<unresolved: var\.admin_port>: .* so any port may be open$/ },
        { line: 55, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from 0\.0\.0\.0\/0 on tcp\/<unresolved: var\.app_port>: / },
        { line: 63, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from 0\.0\.0\.0\/0 on tcp\/<unresolved: var\.admin_port>: / },
      ],
    },
    {
      fixture: 'checks/FW101/terraform/bad-port-variable-azure-gcp-nacl.tf',
      findings: [
        { line: 24, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^azurerm_network_security_group\.web allows ingress from 0\.0\.0\.0\/0, ::\/0 on tcp\/<unresolved: var\.web_port>: .* so any port may be open$/ },
        { line: 38, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^google_compute_firewall\.app allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: var\.web_ports>: .* so any port may be open$/ },
        { line: 60, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^aws_network_acl\.public allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: var\.web_port>: .* so any port but tcp\/22 may be open$/ },
        // An Azure `*` rule on unresolved ports is TCP and UDP on them: one finding naming both.
        { line: 75, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: / on tcp\/<unresolved: var\.web_port>; udp\/<unresolved: var\.web_port>: its ports could not be resolved statically, so any port may be open$/ },
      ],
    },
    {
      // A port known only after apply, located at the .tf the plan was made from.
      fixture: 'checks/FW101/terraform-plan/bad-port-known-after-apply.json',
      findings: [{ line: 19, column: 24, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^aws_security_group\.db allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: aws_db_instance\.main\.port>: its ports could not be resolved statically, so any port may be open$/ }],
    },
    {
      fixture: 'checks/FW101/cdk/bad-port-prop-from-world.ts',
      findings: [
        { line: 16, column: 24, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^AppStack\/App allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: props\.appPort>: its ports could not be resolved statically, so any port may be open$/ },
        { line: 17, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from 0\.0\.0\.0\/0 on tcp\/<unresolved: props\.adminPort>: / },
        { line: 25, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from ::\/0 on tcp\/<unresolved: props\.adminPort>: / },
      ],
    },
    {
      fixture: 'checks/FW101/cdk/bad-pulumi-port-config-from-world.ts',
      findings: [
        { line: 10, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^app allows ingress from 0\.0\.0\.0\/0 on tcp\/<unresolved: config\.requireNumber\("appPort"\)>: its ports could not be resolved statically, so any port may be open$/ },
        { line: 19, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from 0\.0\.0\.0\/0 on tcp\/<unresolved: config\.requireNumber\("appPort"\)>: / },
        { line: 27, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /from ::\/0 on tcp\/<unresolved: config\.requireNumber\("appPort"\)>: / },
      ],
    },
    // Regression (QA s12): a rule whose protocol was unresolved (`protocol = var.proto`) was dropped from the model,
    // FW303's note only, though tcp, udp or -1 (all traffic) opens port 22 or more to the whole internet. Kept with its
    // protocol unknown and judged on every protocol it could be, high as unresolved ports are; denies that take
    // precedence still count, and a deny of an unresolved protocol blocks nothing. The private one, and an unresolved
    // ICMP type (no port exposed), stay FW303's alone.
    {
      fixture: 'checks/FW101/terraform/bad-protocol-variable-from-world.tf',
      findings: [
        { line: 24, column: 20, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^aws_security_group\.proto_var allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto> port 22: its protocol could not be resolved statically, so any protocol may be open$/ },
        { line: 32, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^aws_security_group\.proto_var allows ingress from ::\/0 on <unresolved protocol: var\.proto> port <unresolved: var\.proto_port>: its protocol and ports could not be resolved statically, so any protocol and port may be open$/ },
        { line: 58, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: / from 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto> ports 8000-8080: / },
        { line: 66, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: / from 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto> port 3389: / },
        { line: 88, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^aws_network_acl\.proto_edge allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto> port 53: its protocol could not be resolved statically, so any protocol but tcp may be open$/ },
        { line: 107, messageId: 'worldOpen', severity: 'high', message: /^aws_network_acl\.proto_edge allows ingress from 0\.0\.0\.0\/0 on tcp\/8443$/ },
        { line: 124, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^azurerm_network_security_group\.proto_var allows ingress from 0\.0\.0\.0\/0, ::\/0 on <unresolved protocol: var\.proto> port 22: / },
        { line: 138, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^google_compute_firewall\.proto_var allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto> port 22: / },
      ],
    },
    // Regression: netsh skipped a rule whose protocol was unresolved (parse/netsh-unresolved); kept and judged as
    // Terraform's, a block of an unresolved protocol ahead of it blocking nothing.
    {
      fixture: 'checks/FW101/netsh/bad-protocol-variable-from-any.cmd',
      findings: [{ line: 7, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^rdp-protocol allows ingress from 0\.0\.0\.0\/0, ::\/0 on <unresolved protocol: %PROTO%> port 3389: its protocol could not be resolved statically, so any protocol may be open$/ }],
    },
    {
      fixture: 'checks/FW101/cloudformation/bad-protocol-parameter-from-world.yaml',
      findings: [
        { line: 18, column: 74, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^AppSG allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: !Ref Protocol> port 22: its protocol could not be resolved statically, so any protocol may be open$/ },
        { line: 32, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^AppSG allows ingress from ::\/0 on <unresolved protocol: !Ref Protocol> port 3389: / },
        { line: 44, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^PublicAcl allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: !Ref ProtocolNumber> port 53: / },
      ],
    },
    {
      fixture: 'checks/FW101/cdk/bad-pulumi-protocol-config-from-world.ts',
      findings: [
        { line: 13, column: 66, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^web allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: config\.require\("protocol"\)> port 22: its protocol could not be resolved statically, so any protocol may be open$/ },
        { line: 26, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^web allows ingress from ::\/0 on <unresolved protocol: config\.require\("protocol"\)> port 3389: / },
      ],
    },
    {
      // A CDK Port unknown as a whole: protocol and ports, named once by the value.
      fixture: 'checks/FW101/cdk/bad-port-construct-prop-from-world.ts',
      findings: [{ line: 15, column: 25, messageId: 'worldOpenUnresolvedProtocol', severity: 'high', message: /^EdgeStack\/Edge allows ingress from 0\.0\.0\.0\/0 on <unresolved protocol: props\.servicePort>: its protocol and ports could not be resolved statically, so any protocol and port may be open$/ }],
    },
    // Regression (QA 13): a delete/set that runs only under a condition was replayed as certain, so the world-open
    // rule vanished; it stays, under the other case.
    {
      fixture: 'checks/FW101/netsh/bad-rdp-deleted-only-in-prod.cmd',
      findings: [
        { line: 2, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/3389 \(when !\("%1"=="prod"\)\)$/ },
        { line: 4, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/22 \(when !\("%1"=="prod"\)\)$/ },
      ],
    },
    { fixture: 'checks/FW101/netsh/bad-rdp-deleted-only-by-uninstall-label.cmd', findings: [{ line: 3, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/3389 \(when !\(:uninstall is reached\)\)$/ }] },
    // One finding per written place (as ESLint reports one problem per node): a dynamic block's items share the peer
    // they are reported at, and are one finding naming their ports' union, with the highest severity of its items
    // (tcp/23 is telnet). Two blocks are two places; the instances of a counted group are two groups, two findings.
    {
      fixture: 'checks/FW101/terraform/bad-dynamic-block-sensitive-ports.tf',
      findings: [
        { line: 13, column: 22, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.admin allows ingress from 0\.0\.0\.0\/0 on tcp\/22, 3389$/ },
        { line: 23, column: 22, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.admin allows ingress from 0\.0\.0\.0\/0 on tcp\/23, 8080$/ },
        { line: 36, column: 20, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.pair\[0\] allows ingress from 0\.0\.0\.0\/0 on tcp\/22$/ },
        { line: 36, column: 20, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.pair\[1\] allows ingress from 0\.0\.0\.0\/0 on tcp\/22$/ },
      ],
    },
    // Regression (call :label): the subroutine's line was one rule "when :allow is reached" with unknown ports (FW303 only).
    { fixture: 'checks/FW101/netsh/bad-rdp-open-through-call-subroutine.cmd', findings: [{ line: 9, messageId: 'worldOpen', severity: 'critical', message: /allows ingress from 0\.0\.0\.0\/0, ::\/0 on tcp\/3389$/ }] },
    // Regression (QA 11a): loops over literal lists left the port unknown (FW303 note only, exit 0); one rule per item.
    {
      fixture: 'checks/FW101/netsh/bad-ports-from-literal-loops.cmd',
      findings: [
        // One finding per written line: the loop's rules are one place, their ports united.
        { line: 2, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/22, 445$/ },
        { line: 4, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/23, 139$/ },
      ],
    },
    {
      fixture: 'checks/FW101/netsh/bad-ports-from-powershell-literal-loops.ps1',
      findings: [
        // One finding per written line: the loop's rules are one place, their ports united.
        { line: 2, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/22, 445$/ },
        { line: 3, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/23, 139$/ },
      ],
    },
    // Regression (QA 12): a variable assigned under a condition was taken as assigned for certain; each value is
    // judged under its case.
    { fixture: 'checks/FW101/netsh/bad-rdp-from-any-only-for-dev.cmd', findings: [{ line: 4, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/3389 \(when "%1"=="dev"\)$/ }] },
    { fixture: 'checks/FW101/netsh/bad-rdp-from-any-unless-prod.ps1', findings: [{ line: 7, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/3389 \(when !\$Prod\)$/ }] },
    { fixture: 'checks/FW101/netsh/bad-rdp-deleted-only-if-prod.ps1', findings: [{ line: 3, messageId: 'worldOpen', severity: 'critical', message: /on tcp\/3389 \(when !\$Prod\)$/ }] },
    { fixture: 'checks/FW101/terraform/bad-ssh-from-world.tf', findings: [{ line: 9, column: 20, messageId: 'worldOpen', severity: 'critical', message: /from 0\.0\.0\.0\/0 on tcp\/22$/ }] },
    { fixture: 'checks/FW101/terraform/bad-ipv6-world.tf', findings: [{ line: 9, messageId: 'worldOpen', severity: 'high', message: /from ::\/0 on tcp\/8080/ }] },
    // Azure: SSH denied from IPv4 only is still open from ::/0 (critical), beside HTTP from both families.
    // Regression: the message named the union of families ("from 0.0.0.0/0, ::/0 on tcp/22, 80"); each traffic is
    // named with the family it is open from.
    {
      fixture: 'checks/FW101/terraform/bad-azure-ssh-open-from-ipv6-only.tf',
      findings: [{ line: 26, messageId: 'worldOpen', severity: 'critical', message: /^azurerm_network_security_group\.c allows ingress from ::\/0 on tcp\/22 and from 0\.0\.0\.0\/0, ::\/0 on tcp\/80$/ }],
    },
    {
      // Regression: likewise TCP denied from ::/0 under an Azure `*` rule, whose UDP stays open from both families.
      fixture: 'checks/FW101/terraform/bad-azure-rdp-tcp-denied-from-ipv6.tf',
      findings: [{ line: 26, messageId: 'worldOpen', severity: 'critical', message: /^azurerm_network_security_group\.x allows ingress from 0\.0\.0\.0\/0 on tcp\/3389 and from 0\.0\.0\.0\/0, ::\/0 on udp\/3389$/ }],
    },
    // A conditional whose condition has no value: the world-open side is reported under its condition.
    { fixture: 'checks/FW101/terraform/bad-ssh-from-world-when-public.tf', findings: [{ line: 14, column: 33, messageId: 'worldOpen', severity: 'critical', message: /from 0\.0\.0\.0\/0 on tcp\/22 \(when var\.public\)$/ }] },
    // Regression: protocol and CIDRs come from the optional() defaults of the variable's type (it was FW303 only, exit 0).
    { fixture: 'checks/FW101/terraform/bad-ssh-from-world-optional-default.tf', findings: [{ line: 24, column: 7, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.bastion allows ingress from 0\.0\.0\.0\/0 on tcp\/22$/ }] },
    // L2 network ACL entries (acl.addEntry) default to allow and ingress.
    { fixture: 'checks/FW101/cdk/bad-l2-network-acl-rdp.ts', findings: [{ line: 11, messageId: 'worldOpen', severity: 'critical', message: /Public allows ingress from 0\.0\.0\.0\/0 on tcp\/3389$/ }] },
    { fixture: 'checks/FW101/cdk/bad-ssh-any-ipv4-when-public.ts', findings: [{ line: 14, messageId: 'worldOpen', severity: 'critical', message: /from 0\.0\.0\.0\/0 on tcp\/22 \(when props\.isPublic\)$/ }] },
    // Regression (QA 5/04): `cidr.includes(':') ? Peer.ipv6(cidr) : Peer.ipv4(cidr)` on known CIDRs takes one side: no
    // "(when …)", and no input error for the Peer of the side CDK never builds (it was exit 2).
    { fixture: 'checks/FW101/cdk/bad-ssh-peer-helper-by-family.ts', findings: [{ line: 18, column: 30, messageId: 'worldOpen', severity: 'critical', message: /^Prod\/Bastion allows ingress from 0\.0\.0\.0\/0 on tcp\/22 and from ::\/0 on tcp\/22$/ }] },
    // Regression (QA 5/10): a loop over `cfg.getObject('rdpPorts') ?? [3389]` runs over the fallback list under its
    // condition (it was "any port", high only), and over unknown ports otherwise.
    {
      fixture: 'checks/FW101/cdk/bad-pulumi-rdp-default-port-list.ts',
      findings: [
        { line: 12, messageId: 'worldOpen', severity: 'critical', message: /^jump allows ingress from 0\.0\.0\.0\/0 on tcp\/3389 \(when cfg\.getObject<number\[\]>\('rdpPorts'\) == null\)$/ },
        { line: 12, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /on tcp\/<unresolved: element of ports>: .* \(when !\(cfg\.getObject<number\[\]>\('rdpPorts'\) == null\)\)$/ },
      ],
    },
    // Regression (QA 5/15): members of a TypeScript enum (`Port.RDP`, `Cidr.Anywhere` of a const enum) are folded as consts are.
    {
      fixture: 'checks/FW101/cdk/bad-pulumi-enum-ports.ts',
      findings: [
        { line: 4, column: 30, messageId: 'worldOpen', severity: 'critical', message: /^jump allows ingress from 0\.0\.0\.0\/0 on tcp\/22$/ },
        { line: 8, column: 75, messageId: 'worldOpen', severity: 'critical', message: /^jump allows ingress from 0\.0\.0\.0\/0 on tcp\/3389$/ },
      ],
    },
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
      // Regression (QA t27): rules naming their group as one(aws_security_group.web[*].id) join it, so the halves combine.
      fixture: 'checks/FW101/terraform/bad-world-split-through-splat.tf',
      findings: [
        { line: 17, messageId: 'worldOpenCombined', severity: 'critical', message: /^aws_security_group\.web\[0\] allows ingress from 0\.0\.0\.0\/1 on tcp\/22,/ },
        { line: 25, messageId: 'worldOpenCombined', severity: 'critical', message: /^aws_security_group\.web\[0\] allows ingress from 128\.0\.0\.0\/1 on tcp\/22,/ },
      ],
    },
    {
      // Regression (QA t34): rules naming one group by a literal id are that group's rules together.
      fixture: 'checks/FW101/terraform/bad-world-split-by-group-id.tf',
      findings: [
        { line: 7, messageId: 'worldOpenCombined', severity: 'critical', message: /^sg-0abc allows ingress from 0\.0\.0\.0\/1 on tcp\/3389,/ },
        { line: 15, messageId: 'worldOpenCombined', severity: 'critical', message: /^sg-0abc allows ingress from 128\.0\.0\.0\/1 on tcp\/3389,/ },
      ],
    },
    {
      // Only the family the union covers is blamed: the private IPv4 rule beside a split IPv6 world is not. The halves
      // are those of global unicast 2000::/3 (QA 4/01: ::/1 holds all of it, so ::/1 + 8000::/1 split nothing).
      fixture: 'checks/FW101/terraform/bad-ipv6-split-beside-private-ipv4.tf',
      findings: [
        { line: 10, column: 25, messageId: 'worldOpenCombined', severity: 'critical', message: /from 2000::\/4 on tcp\/22,/ },
        { line: 10, column: 37, messageId: 'worldOpenCombined', severity: 'critical', message: /from 3000::\/4 on tcp\/22,/ },
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
    // QA 4/10: a dynamic block or a netsh for loop over both halves of IPv4 is one finding whose own union is the whole
    // internet: plain worldOpen, not "which together with its other rules …" (there are none).
    { fixture: 'checks/FW101/terraform/bad-dynamic-block-over-both-halves.tf', findings: [{ line: 11, messageId: 'worldOpen', severity: 'high', message: /^aws_security_group\.dynamic_halves allows ingress from 0\.0\.0\.0\/0 on tcp\/8080$/ }] },
    { fixture: 'checks/FW101/netsh/bad-for-loop-over-both-halves.cmd', findings: [{ line: 3, messageId: 'worldOpen', severity: 'high', message: /^bad-for-loop-over-both-halves allows ingress from 0\.0\.0\.0\/0 on tcp\/8080$/ }] },
    {
      // QA 4/02: a deny of 0.0.0.0/1 under var.strict split the allow into two pieces, each named "0.0.0.0/0 except" the
      // other's half and "which together with its other rules …"; one rule's pieces are named by their union.
      fixture: 'checks/FW101/terraform/bad-gcp-conditional-deny-of-half.tf',
      findings: [
        { line: 32, messageId: 'worldOpen', severity: 'high', message: /^google_compute_firewall\.allow_ssh allows ingress from 0\.0\.0\.0\/0 on tcp\/80$/ },
        { line: 32, messageId: 'worldOpen', severity: 'critical', message: /^google_compute_firewall\.allow_ssh allows ingress from every public IPv4 address on tcp\/22 \(when !var\.strict\)$/ },
      ],
    },
    // QA s12/02: a deny that exists only under a condition was named as an exception in every case ("every public
    // IPv4 address except 8.8.8.0/24 on tcp/22"): the finding names what is open in every case, and each such
    // exception with the condition under which the deny exists.
    {
      fixture: 'checks/FW101/terraform/bad-gcp-ssh-world-but-one-range-denied-when-strict.tf',
      findings: [{ line: 33, messageId: 'worldOpen', severity: 'critical', message: /^google_compute_firewall\.lockdown_ssh allows ingress from every public IPv4 address \(except 8\.8\.8\.0\/24 when var\.lockdown\) on tcp\/22 and from 0\.0\.0\.0\/0 on tcp\/80$/ }],
    },
    {
      // A deny present in every case stays in the except list; one range denied under either of two conditions names both.
      fixture: 'checks/FW101/terraform/bad-nacl-ssh-world-but-ranges-denied-under-conditions.tf',
      findings: [{ line: 56, messageId: 'worldOpen', severity: 'critical', message: /^aws_network_acl\.ssh_edge allows ingress from 0\.0\.0\.0\/0 except 192\.0\.2\.0\/24 \(and 8\.8\.8\.0\/24 when var\.nacl_strict or var\.nacl_eu; 8\.8\.9\.0\/24 when var\.nacl_eu\) on tcp\/22$/ }],
    },
    { fixture: 'checks/FW101/terraform/bad-nsg-rdp-one-range-denied-when-strict.tf', findings: [{ line: 36, messageId: 'worldOpen', severity: 'critical', message: /^azurerm_network_security_group\.rdp_jump allows ingress from 0\.0\.0\.0\/0, ::\/0 \(except 8\.8\.8\.0\/24 when var\.nsg_strict\) on tcp\/3389$/ }] },
    { fixture: 'checks/FW101/cloudformation/bad-nacl-ssh-one-range-denied-when-strict.yaml', findings: [{ line: 34, messageId: 'worldOpen', severity: 'critical', message: /^Acl allows ingress from 0\.0\.0\.0\/0 \(except 8\.8\.8\.0\/24 when IsStrict=true\) on tcp\/22$/ }] },
    { fixture: 'checks/FW101/terraform/bad-gcp-port-variable-one-range-denied-when-strict.tf', findings: [{ line: 31, messageId: 'worldOpenUnresolvedPorts', severity: 'high', message: /^google_compute_firewall\.partner_app allows ingress from every public IPv4 address \(except 8\.8\.8\.0\/24 when var\.partner_strict\) on tcp\/<unresolved: var\.partner_port>: / }] },
    { fixture: 'checks/FW101/netsh/bad-rdp-one-range-blocked-only-in-prod.cmd', findings: [{ line: 6, messageId: 'worldOpen', severity: 'critical', message: /^rdp-partner-gateway allows ingress from 0\.0\.0\.0\/0 \(except 8\.8\.8\.0\/24 when "%1"=="prod"\) on tcp\/3389$/ }] },
    {
      // Regression (one netsh rule, two findings): a RemoteIP list is one rule, reported once with the union of its
      // items, not once per item ("from 0.0.0.0/1 …, which together with its other rules …" and "from 128.0.0.0/1 …").
      fixture: 'checks/FW101/netsh/bad-world-split-in-one-rule.cmd',
      findings: [
        { line: 4, messageId: 'worldOpen', severity: 'high', message: /^webhost allows ingress from 0\.0\.0\.0\/0 on tcp\/8080$/ },
        { line: 6, messageId: 'worldOpen', severity: 'high', message: /^webhost allows ingress from 0\.0\.0\.0\/0, ::\/0 on tcp\/9000$/ },
        { line: 8, messageId: 'worldOpen', severity: 'critical', message: /^webhost allows ingress from 0\.0\.0\.0\/0, ::\/0 on tcp\/3389$/ },
      ],
    },
    {
      // Regression (ICMP accuracy): the ICMP types are named, and each ICMP version only with its own address family
      // (it was "from ::/0 on icmp" and "from 0.0.0.0/0 on icmpv6").
      fixture: 'checks/FW101/terraform/bad-icmp-from-world.tf',
      findings: [
        { line: 9, column: 25, messageId: 'worldOpen', severity: 'high', message: /^aws_security_group\.edge allows ingress from 0\.0\.0\.0\/0 on icmp echo-request \(type 8\)$/ },
        { line: 19, column: 25, messageId: 'worldOpen', severity: 'high', message: /^aws_security_group\.edge allows ingress from ::\/0 on icmpv6 \(all types\)$/ },
      ],
    },
    {
      // Rules for one ICMP type combine like ports do, and name the type (it was "on icmp").
      fixture: 'checks/FW101/netsh/bad-echo-split-over-rules.cmd',
      findings: [
        { line: 4, messageId: 'worldOpenCombined', message: /from 0\.0\.0\.0\/1 on icmp echo-request \(type 8\), which together/ },
        { line: 5, messageId: 'worldOpenCombined', message: /from 128\.0\.0\.0\/1 on icmp echo-request \(type 8\), which together/ },
      ],
    },
    {
      fixture: 'checks/FW101/cloudformation/bad-icmp-from-world.yaml',
      findings: [
        { line: 8, messageId: 'worldOpen', message: /from 0\.0\.0\.0\/0 on icmp destination-unreachable \(type 3, code 4\)$/ },
        { line: 9, messageId: 'worldOpen', message: /from ::\/0 on icmpv6 echo-request \(type 128\)$/ },
      ],
    },
    {
      // Regression (QA c16): rules added to one imported group were each a target of their own, so neither half of
      // IPv4 was reported; they share the target ImportValue:<export name>.
      fixture: 'checks/FW101/cloudformation/bad-ssh-split-over-imported-group.yaml',
      findings: [
        { line: 11, column: 15, messageId: 'worldOpenCombined', severity: 'critical', message: /^ImportValue:network-AppSecurityGroupId allows ingress from 0\.0\.0\.0\/1 on tcp\/22,/ },
        { line: 19, column: 15, messageId: 'worldOpenCombined', severity: 'critical', message: /^ImportValue:network-AppSecurityGroupId allows ingress from 128\.0\.0\.0\/1 on tcp\/22,/ },
      ],
    },
    {
      // Regression (QA c15): a GroupId written `!Sub "${AppSG}"` or `!Sub "${AppSG.GroupId}"` (short, long and list
      // forms) names AppSG; such rules were targets of their own. The IPv6 halves are those of global unicast 2000::/3.
      fixture: 'checks/FW101/cloudformation/bad-rdp-split-over-sub-references.yaml',
      findings: [
        { line: 17, messageId: 'worldOpenCombined', severity: 'critical', message: /^AppSG allows ingress from 0\.0\.0\.0\/1 on tcp\/3389,/ },
        { line: 25, messageId: 'worldOpenCombined', severity: 'critical', message: /^AppSG allows ingress from 128\.0\.0\.0\/1 on tcp\/3389,/ },
        { line: 33, messageId: 'worldOpenCombined', severity: 'critical', message: /^AppSG allows ingress from 2000::\/4 on tcp\/22,/ },
        { line: 41, messageId: 'worldOpenCombined', severity: 'critical', message: /^AppSG allows ingress from 3000::\/4 on tcp\/22,/ },
      ],
    },
    {
      // Regression (QA 06): a rule naming a prefix list of the template was a symbolic peer whatever its Entries held;
      // it stands for their CIDRs (here two halves, one from a parameter's default): SSH and RDP from the internet.
      fixture: 'checks/FW101/cloudformation/bad-ssh-from-world-prefix-list.yaml',
      findings: [
        { line: 22, column: 76, messageId: 'worldOpen', severity: 'critical', message: /^AdminSG allows ingress from 0\.0\.0\.0\/0 on tcp\/22$/ },
        { line: 23, column: 80, messageId: 'worldOpen', severity: 'critical', message: /^AdminSG allows ingress from 0\.0\.0\.0\/0 on tcp\/3389$/ },
      ],
    },
    {
      // Likewise Terraform: entry blocks (a dynamic one among them) and aws_ec2_managed_prefix_list_entry resources.
      fixture: 'checks/FW101/terraform/bad-ssh-from-world-prefix-list.tf',
      findings: [
        { line: 47, column: 24, messageId: 'worldOpen', severity: 'critical', message: /^aws_security_group\.admin_jump allows ingress from 0\.0\.0\.0\/0 on tcp\/22$/ },
        { line: 56, column: 3, messageId: 'worldOpen', severity: 'high', message: /^aws_security_group\.admin_jump allows ingress from ::\/0 on tcp\/2222$/ },
      ],
    },
    {
      // Regression: a NACL deny of echo requests was left out of the message ("icmp (all types)"), and the witness was
      // an echo request, which the deny blocks.
      fixture: 'checks/FW101/terraform/bad-icmp-all-but-echo-denied.tf',
      findings: [{ line: 24, messageId: 'worldOpen', severity: 'high', message: /^aws_network_acl\.edge allows ingress from 0\.0\.0\.0\/0 on icmp \(all types except echo-request \(type 8\)\)$/ }],
    },
    {
      // Regression: a NACL deny of echo requests did not narrow an allow of every protocol ("on all traffic").
      fixture: 'checks/FW101/terraform/bad-all-traffic-echo-denied.tf',
      findings: [{
        line: 23,
        messageId: 'worldOpen',
        severity: 'critical',
        message: /^aws_network_acl\.perimeter allows ingress from 0\.0\.0\.0\/0 on all protocols other than icmp; icmp \(all types except echo-request \(type 8\)\)$/,
      }],
    },
    {
      // Likewise on Windows, per profile: ICMPv6 echo requests are blocked on Public only.
      fixture: 'checks/FW101/netsh/bad-icmp-all-but-echo-blocked.cmd',
      findings: [
        { line: 2, messageId: 'worldOpen', message: /from 0\.0\.0\.0\/0 on icmp \(all types except echo-request \(type 8\)\)$/ },
        { line: 4, messageId: 'worldOpen', message: /from ::\/0 on icmpv6 \(all types except echo-request \(type 128\)\)$/ },
        { line: 4, messageId: 'worldOpen', message: /from ::\/0 on icmpv6 echo-request \(type 128\) \(profiles: domain, private\)$/ },
      ],
    },
    {
      // Both regressions at once: an exported rule with a RemoteIP list and an ICMP type table is one rule, open to the
      // IPv4 internet (its ::/0 item does not carry ICMPv4) on the two types it lists.
      fixture: 'checks/FW101/netsh/bad-icmp-types-from-world.txt',
      findings: [
        { line: 1, messageId: 'worldOpen', message: /from 0\.0\.0\.0\/0 on icmp destination-unreachable \(type 3, code 4\), echo-request \(type 8\)$/ },
        { line: 16, messageId: 'worldOpen', message: /from ::\/0 on icmpv6 \(all types\)$/ },
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

describe('FW101 on unresolved ports', () => {
  const { scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');

  it('keeps FW303 for the value, and says in the properties which ports it could be', () => {
    const result = scanFixture('checks/FW101/cloudformation/bad-port-parameter-from-world.json');
    expect(result.findings.map((finding) => finding.checkId).sort()).toEqual(['FW101', 'FW303', 'FW303']);
    const finding = result.findings.find((each) => each.checkId === 'FW101')!;
    expect(finding.properties).toEqual({
      traffic: 'tcp/<unresolved: !Ref Port>',
      peer: '0.0.0.0/0',
      sensitiveServices: [],
      unresolvedPorts: ['!Ref Port'],
      possiblePorts: '0-21, 23-65535',
    });
  });

  it('does not combine halves of the internet on unresolved ports (they need not be the same ports)', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fw101-unresolved-'));
    try {
      fs.writeFileSync(path.join(directory, 'h.cmd'), [
        'netsh advfirewall firewall add rule name="Low" dir=in action=allow protocol=tcp localport=%A% remoteip=0.0.0.0/1',
        'netsh advfirewall firewall add rule name="High" dir=in action=allow protocol=tcp localport=%B% remoteip=128.0.0.0/1',
        '',
      ].join('\n'));
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23', workers: 1 });
      expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW303', 'FW303']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('FW101 on an unresolved protocol', () => {
  const { scanFiles, scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');

  it('keeps FW303 for the value, and says in the properties which protocols and ports it could be', () => {
    const result = scanFixture('checks/FW101/terraform/bad-protocol-variable-from-world.tf');
    const findings = result.findings.filter((each) => each.checkId === 'FW101');
    expect(findings[0]!.properties).toEqual({
      traffic: '<unresolved protocol: var.proto> port 22',
      peer: '0.0.0.0/0',
      sensitiveServices: [],
      unresolvedProtocol: ['var.proto'],
      possibleProtocols: '0-255',
      possiblePorts: '22',
    });
    // Both unresolved: both named; a deny of tcp ahead of it leaves the other protocols.
    expect(findings[1]!.properties).toMatchObject({ unresolvedProtocol: ['var.proto'], unresolvedPorts: ['var.proto_port'], possibleProtocols: '0-255', possiblePorts: '0-65535' });
    expect(findings[4]!.properties).toMatchObject({ possibleProtocols: '0-5, 7-255', possiblePorts: '53' });
    expect(result.findings.filter((each) => each.checkId === 'FW303').map((each) => each.properties.field)).toContain('aws_security_group.proto_var.ingress[0].protocol');
  });

  it('is not exempted by publicPorts, which name one protocol: the value may be all traffic', () => {
    const files = {
      'main.tf': 'variable "proto" {}\nresource "aws_security_group" "web" {\n  ingress {\n    protocol    = var.proto\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n',
      '.fwlint.yaml': 'publicPorts: ["tcp/443", "udp/443"]\n',
    };
    const result = scanFiles(files);
    expect(result.findings.filter((each) => each.checkId === 'FW101').map((each) => each.properties.traffic)).toEqual(['<unresolved protocol: var.proto> port 443']);
  });
});

describe('FW101 ICMP findings', () => {
  const { scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');
  const fw101 = (fixture: string) => scanFixture(fixture).findings.filter((finding) => finding.checkId === 'FW101');

  it('names the ICMP types and the one address family in the JSON/SARIF properties', () => {
    const [echo, allV6] = fw101('checks/FW101/terraform/bad-icmp-from-world.tf');
    expect(echo!.properties).toEqual({
      traffic: 'icmp echo-request (type 8)',
      peer: '0.0.0.0/0',
      sensitiveServices: [],
      witness: 'icmp type 8 code 0 from 203.0.113.7',
      icmp: [{ protocol: 'icmp', type: 8, code: 'any', name: 'echo-request' }],
    });
    expect(allV6!.properties).toMatchObject({ traffic: 'icmpv6 (all types)', peer: '::/0', witness: 'icmpv6 type 128 code 0 from 2001:db8::7', icmp: [{ protocol: 'icmpv6', type: 'any', code: 'any' }] });
  });

  it('gives a witness the deny does not block, and lists only the open types (regression: echo request, denied)', () => {
    const [finding] = fw101('checks/FW101/terraform/bad-icmp-all-but-echo-denied.tf');
    expect(finding!.properties.witness).toBe('icmp type 0 code 0 from 203.0.113.7');
    // QA h6 #4: the open types were 255 entries, one per type; runs of types are range text now, still exact.
    expect(finding!.properties.icmp).toEqual([
      { protocol: 'icmp', type: '0-7', code: 'any' },
      { protocol: 'icmp', type: '9-255', code: 'any' },
    ]);
  });

  it('names a few of many ICMP types in the message and counts the rest; the properties keep them all (QA h6 #4)', () => {
    const [finding] = fw101('checks/FW101/netsh/bad-icmp-many-types-blocked.cmd');
    expect(finding!.message).toMatch(/on icmp \(all types except echo-reply \(type 0\), .*, parameter-problem \(type 12\) and 2 more types\)$/);
    expect(finding!.properties.traffic).toMatch(/parameter-problem \(type 12\), timestamp-request \(type 13\), timestamp-reply \(type 14\)\)$/);
    expect(finding!.properties.icmp).toEqual([
      { protocol: 'icmp', type: 1, code: 'any' },
      { protocol: 'icmp', type: 2, code: 'any' },
      { protocol: 'icmp', type: '6-8', code: 'any' },
      { protocol: 'icmp', type: '15-255', code: 'any' },
    ]);
  });

  it('lists every type and code of a rule with an ICMP type table', () => {
    const [icmp] = fw101('checks/FW101/netsh/bad-icmp-types-from-world.txt');
    expect(icmp!.properties.icmp).toEqual([
      { protocol: 'icmp', type: 3, code: 4, name: 'destination-unreachable' },
      { protocol: 'icmp', type: 8, code: 'any', name: 'echo-request' },
    ]);
    expect(icmp!.properties.peer).toBe('0.0.0.0/0');
  });

  it('keeps the fingerprints of findings the fixes did not split or join', () => {
    // Computed before ICMP types were named and before RemoteIP lists were reported once: one rule, one finding
    // then as now, so baselines keep matching.
    const byMessage = (fixture: string) => Object.fromEntries(fw101(fixture).map((finding) => [finding.location.range.startLine, finding.fingerprint]));
    expect(byMessage('netsh/narrowed-blocks/host.cmd')).toEqual({ 3: 'b5c0eb2f3542d6a6', 5: '8885d47a4d887326', 7: 'd57c6672a2e437ce', 9: '14e654128a51e7e5', 11: '99b4822d7663ec16' });
    expect(byMessage('checks/FW101/netsh/bad-rpc-dynamic-from-any.cmd')).toEqual({ 4: '278e6b5702497670' });
    // Computed before a deny of echo requests split an allow of every protocol: the finding is still that rule's.
    expect(byMessage('checks/FW101/terraform/bad-all-traffic-echo-denied.tf')).toEqual({ 23: 'a4fe4fc11c1f5018' });
  });

  it('keeps accepting baseline entries of a finding once worded as combined (QA 4/02)', () => {
    // f24d64ff44c0e6db: the tcp/22 finding's fingerprint while it read "…, which together with its other rules …".
    const finding = fw101('checks/FW101/terraform/bad-gcp-conditional-deny-of-half.tf').find((each) => each.messageId === 'worldOpen' && each.severity === 'critical');
    expect(finding!.fingerprint).not.toBe('f24d64ff44c0e6db');
    expect(finding!.formerFingerprints).toContain('f24d64ff44c0e6db');
  });
});

describe('FW101 with a deny under a condition (QA s12/02)', () => {
  const { scanFiles, scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');
  const fixture = 'checks/FW101/terraform/bad-gcp-ssh-world-but-one-range-denied-when-strict.tf';

  it('lists what is open per traffic with the conditional exception, not as carved out in every case', () => {
    const [finding] = scanFixture(fixture).findings.filter((each) => each.checkId === 'FW101');
    const openFrom = finding!.properties.openFrom as Array<{ peer: string; traffic: string; exceptWhen?: unknown }>;
    expect(openFrom.map(({ traffic, exceptWhen }) => ({ traffic, exceptWhen }))).toEqual([
      { traffic: 'tcp/22', exceptWhen: [{ peer: '8.8.8.0/24', when: 'var.lockdown' }] },
      { traffic: 'tcp/80', exceptWhen: undefined },
    ]);
    // tcp/22 is open from 8.8.8.0/24 where the deny does not exist: only the private ranges are out in every case.
    expect(openFrom[0]!.peer).not.toMatch(/8\.8\.0\.0\/21/);
    expect(openFrom[0]!.peer).toMatch(/(^|, )8\.0\.0\.0\/7(,|$)/);
    expect(finding!.properties.exceptWhen).toEqual([{ peer: '8.8.8.0/24', when: 'var.lockdown' }]);
    // The conditional deny is still shown (the message names it), beside the deny of the private ranges (after the
    // target's resource, as for every GCP finding).
    expect(finding!.relatedLocations.map((location) => location.range.startLine)).toEqual([28, 11, 23]);
  });

  it('keeps the fingerprint the finding has without the conditional deny', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../fixtures', fixture), 'utf8');
    const withoutConditionalDeny = text.replace(/resource "google_compute_firewall" "lockdown_deny_partner" \{[\s\S]*?\n\}\n/, '');
    expect(withoutConditionalDeny).not.toContain('lockdown_deny_partner');
    const fingerprint = (files: Record<string, string>) => scanFiles(files).findings.filter((each) => each.checkId === 'FW101').map((each) => each.fingerprint);
    expect(fingerprint({ 'main.tf': text })).toEqual(fingerprint({ 'main.tf': withoutConditionalDeny }));
  });
});

describe('FW101 open from different address families', () => {
  const { scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');

  it('lists each traffic with the family it is open from in properties.openFrom; the witness comes from an open family', () => {
    const [finding] = scanFixture('checks/FW101/terraform/bad-azure-ssh-open-from-ipv6-only.tf').findings.filter((each) => each.checkId === 'FW101');
    expect(finding!.properties).toEqual({
      traffic: 'tcp/22, 80',
      peer: '0.0.0.0/0, ::/0',
      sensitiveServices: ['ssh'],
      witness: 'tcp/22 from 2001:db8::7',
      openFrom: [
        { peer: '::/0', traffic: 'tcp/22' },
        { peer: '0.0.0.0/0, ::/0', traffic: 'tcp/80' },
      ],
    });
  });

  it('adds no openFrom when everything is open from the same families', () => {
    const [finding] = scanFixture('checks/FW101/terraform/bad-azure-internet-rdp.tf').findings.filter((each) => each.checkId === 'FW101');
    expect(finding!.properties.openFrom).toBeUndefined();
  });
});

describe('FW101 with denies that leave the internet open (QA 3/01)', () => {
  const { scanFixture } = require('../helpers/scan-fixture') as typeof import('../helpers/scan-fixture');
  const fw101 = (fixture: string) => scanFixture(fixture).findings.filter((finding) => finding.checkId === 'FW101');

  it('shows the denies that carve the remainder out as related locations, once per written deny', () => {
    const [finding] = fw101('checks/FW101/terraform/bad-nacl-ssh-world-but-one-denied.tf');
    // The ACL, then the deny entry (rule 10).
    expect(finding!.relatedLocations.map((location) => location.range.startLine)).toEqual([3, 5]);
    const [rdp, ssh] = fw101('checks/FW101/terraform/bad-gcp-world-but-one-host-denied.tf');
    expect(rdp!.relatedLocations.map((location) => location.range.startLine)).toEqual([13, 7]);
    // One deny of four source ranges: one location.
    expect(ssh!.relatedLocations.map((location) => location.range.startLine)).toEqual([32, 26]);
  });

  it('gives a witness address the deny does not block', () => {
    const [rdp] = fw101('checks/FW101/terraform/bad-gcp-world-but-one-host-denied.tf');
    expect(rdp!.properties.witness).toBe('tcp/3389 from 203.0.113.0');
    const [ssh] = fw101('checks/FW101/terraform/bad-nacl-ssh-world-but-one-denied.tf');
    expect(ssh!.properties.witness).toBe('tcp/22 from 203.0.113.7');
  });

  it('a finding that traffic narrowed by a deny joined keeps matching its former fingerprint (baselines)', () => {
    // Computed before tcp/22 denied from one host counted as world-open: the finding was on every other port.
    const [finding] = scanFixture('checks/FW102/terraform/bad-nacl-all-traffic-one-host-denied.tf').findings.filter((each) => each.checkId === 'FW101');
    expect(finding!.formerFingerprints).toContain('e0de5aad51a06da1');
    const { applyBaseline, createBaseline } = require('../../src/suppress/baseline') as typeof import('../../src/suppress/baseline');
    const baseline = createBaseline([{ ...finding!, fingerprint: 'e0de5aad51a06da1' }]);
    expect(applyBaseline([finding!], baseline)).toEqual({ baselined: 1, absent: [], unseen: [] });
  });

  it('keeps the exact cases as they were: no related deny, the written world', () => {
    const [finding] = fw101('checks/FW101/terraform/bad-ssh-from-world.tf');
    expect(finding!.message).toMatch(/from 0\.0\.0\.0\/0 on tcp\/22$/);
    expect(finding!.relatedLocations).toHaveLength(1);
  });
});
