import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import FW104 from '../../src/checks/fw104-world-open-egress';
import { worldOpenEgress } from '../../src/checks/fw104-world-egress-sets';
import { computeEffective } from '../../src/engine/effective';
import { scan } from '../../src/pipeline/scan';
import { rule, target } from '../helpers/build-rule';
import { checkTester } from '../helpers/check-tester';
import { scanFixture } from '../helpers/scan-fixture';

checkTester.run(FW104, {
  valid: [
    { fixture: 'checks/FW104/terraform/good-https-egress.tf' },
    { fixture: 'checks/FW104/terraform/good-half-internet-egress.tf' },
    // 0.0.0.0/0 less a public /7 lacks more than 1/256 of the internet: FW102's, not FW104's.
    { fixture: 'checks/FW104/terraform/good-nacl-egress-slash-7-denied.tf' },
    // QA 4/01: a NACL deny of 2000::/3 (IPv6 global unicast) ahead of ::/0 leaves no internet host reachable, and
    // 8000::/1 holds none: FW102's, not FW104's.
    { fixture: 'checks/FW104/terraform/good-nacl-egress-ipv6-global-unicast-denied.tf' },
    // Unresolved egress that cannot be all traffic to the internet: a deny of tcp/25 ahead of every TCP port the value
    // could be, or a private destination (FW303's notes only).
    { fixture: 'checks/FW104/terraform/good-egress-unresolved-not-all-ports.tf' },
    // Regression (QA 7/02): one port of unresolved number (from and to the same value, CDK Port.tcp(x)) is never
    // every port, whatever the value is: FW303's notes only, not "any port may be open".
    { fixture: 'checks/FW104/terraform/good-egress-unresolved-one-port.tf' },
    { fixture: 'checks/FW104/cloudformation/good-egress-unresolved-one-port.yaml' },
    { fixture: 'checks/FW104/cdk/good-egress-unresolved-one-port.ts' },
    // The same judgement in every format that can leave a value unresolved: one port of unresolved number, a range
    // with a known bound other than 0, unresolved ports to a private range; and an unresolved destination, which never
    // counts as the internet (FW102 reports the all-traffic rule to it, FW303 notes it).
    { fixture: 'checks/FW104/cloudformation/good-egress-unresolved-one-port.json' },
    { fixture: 'checks/FW104/cloudformation/good-egress-to-unresolved-destination.yaml' },
    { fixture: 'checks/FW104/cdk/good-pulumi-egress-unresolved-one-port.ts' },
    { fixture: 'checks/FW104/netsh/good-egress-unresolved-private-or-destination.cmd' },
    { fixture: 'checks/FW104/netsh/good-egress-unresolved-private-or-destination.ps1' },
  ],
  invalid: [
    {
      // Regression: egress to the world whose protocol or ports could not be resolved gave no FW104 (only FW303's
      // note), though the value may make it all traffic; named by the value, as FW101 names unresolved ingress.
      fixture: 'checks/FW104/terraform/bad-egress-unresolved-protocol-or-ports.tf',
      findings: [
        { line: 21, messageId: 'worldOpenEgressUnresolvedProtocol', severity: 'medium', message: /^aws_security_group\.proto allows egress to 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto> port 443: its protocol could not be resolved statically, so any protocol may be open$/ },
        { line: 31, messageId: 'worldOpenEgressUnresolvedPorts', severity: 'medium', message: /^aws_security_group\.ports allows egress to ::\/0 on tcp\/<unresolved: var\.port_from, var\.port_to>: its ports could not be resolved statically, so any port may be open$/ },
        { line: 52, messageId: 'worldOpenEgressUnresolvedProtocol', severity: 'medium', message: /^aws_network_acl\.out allows egress to 0\.0\.0\.0\/0 on <unresolved protocol: var\.proto>: its protocol could not be resolved statically, so any protocol but tcp may be open$/ },
      ],
    },
    // Unresolved protocol or port range to the whole internet, in each format that can leave them unresolved.
    ...['yaml', 'json'].map((extension) => ({
      fixture: `checks/FW104/cloudformation/bad-egress-unresolved-protocol-or-ports.${extension}`,
      findings: [
        { line: 15, messageId: 'worldOpenEgressUnresolvedProtocol', message: /^ProtoSg allows egress to 0\.0\.0\.0\/0 on <unresolved protocol: !Ref Proto> port 443: its protocol could not be resolved statically, so any protocol may be open$/ },
        { line: extension === 'yaml' ? 21 : 35, messageId: 'worldOpenEgressUnresolvedPorts', message: /^PortsSg allows egress to ::\/0 on tcp\/<unresolved: !Ref LowPort, !Ref HighPort>: its ports could not be resolved statically, so any port may be open$/ },
      ],
    })),
    {
      fixture: 'checks/FW104/cdk/bad-pulumi-egress-unresolved-protocol-or-ports.ts',
      findings: [
        { line: 13, messageId: 'worldOpenEgressUnresolvedProtocol', message: /^out allows egress to 0\.0\.0\.0\/0 on <unresolved protocol: config\.require\("protocol"\)> port 443: its protocol could not be resolved statically, so any protocol may be open$/ },
        { line: 14, messageId: 'worldOpenEgressUnresolvedPorts', message: /^out allows egress to ::\/0 on tcp\/<unresolved: config\.requireNumber\("lowPort"\), config\.requireNumber\("highPort"\)>: its ports could not be resolved statically, so any port may be open$/ },
      ],
    },
    { fixture: 'checks/FW104/netsh/bad-egress-unresolved-ports.cmd', findings: [{ line: 5, messageId: 'worldOpenEgressUnresolvedPorts', message: /^outbound-ports allows egress to 0\.0\.0\.0\/0, ::\/0 on tcp\/<unresolved: %PORTS%>: its ports could not be resolved statically, so any port may be open$/ }] },
    // Regression: a netsh or PowerShell rule whose protocol was unresolved was skipped (parse/netsh-unresolved), so
    // neither FW104 nor FW303 said anything about it; Terraform's `protocol = var.proto` was reported.
    { fixture: 'checks/FW104/netsh/bad-egress-unresolved-protocol.cmd', findings: [{ line: 5, messageId: 'worldOpenEgressUnresolvedProtocol', message: /^outbound-protocol allows egress to 0\.0\.0\.0\/0, ::\/0 on <unresolved protocol: %PROTO%>: its protocol could not be resolved statically, so any protocol may be open$/ }] },
    { fixture: 'checks/FW104/netsh/bad-egress-unresolved-protocol.ps1', findings: [{ line: 5, messageId: 'worldOpenEgressUnresolvedProtocol', message: /^outbound-protocol-ps allows egress to 0\.0\.0\.0\/0, ::\/0 on <unresolved protocol: \$Protocol> port 443: its protocol could not be resolved statically, so any protocol may be open$/ }] },
    { fixture: 'checks/FW104/netsh/bad-egress-unresolved-ports.ps1', findings: [{ line: 5, messageId: 'worldOpenEgressUnresolvedPorts', message: /^outbound-ports-ps allows egress to 0\.0\.0\.0\/0, ::\/0 on udp\/<unresolved: \$Ports>: its ports could not be resolved statically, so any port may be open$/ }] },
    { fixture: 'checks/FW104/terraform-plan/bad-egress-ports-known-after-apply.json', findings: [{ line: 25, messageId: 'worldOpenEgressUnresolvedPorts', message: /^aws_security_group\.agent allows egress to 0\.0\.0\.0\/0 on tcp\/<unresolved: aws_db_instance\.primary\.port, aws_db_instance\.replica\.port>: its ports could not be resolved statically, so any port may be open$/ }] },
    // A CDK range between two different values may be every TCP port (QA 7/02 keeps it).
    { fixture: 'checks/FW104/cdk/bad-egress-unresolved-port-range.ts', findings: [{ line: 15, messageId: 'worldOpenEgressUnresolvedPorts', message: /^RangeStack\/Sg allows egress to 0\.0\.0\.0\/0 on tcp\/<unresolved: props\.lowPort>: its ports could not be resolved statically, so any port may be open$/ }] },
    // QA 4/01: 2000::/3 is the whole IPv6 internet, named as written.
    { fixture: 'checks/FW104/terraform/bad-egress-to-ipv6-global-unicast.tf', findings: [{ line: 8, messageId: 'worldOpenEgress', message: /^aws_security_group\.gua_out allows egress to 2000::\/3 on all traffic$/ }] },
    // Regression (QA 3/01): a deny of 255.255.255.255/32 ahead of the allow silenced FW104.
    // QA 4/10: a dynamic block over both halves of IPv4 is world-open by its own union: plain, not "together with its other rules".
    { fixture: 'checks/FW104/terraform/bad-dynamic-block-over-both-halves-egress.tf', findings: [{ line: 11, messageId: 'worldOpenEgress', message: /^aws_security_group\.halves allows egress to 0\.0\.0\.0\/0 on all traffic$/ }] },
    { fixture: 'checks/FW104/terraform/bad-nacl-egress-broadcast-denied.tf', findings: [{ line: 17, messageId: 'worldOpenEgress', message: /^aws_network_acl\.broadcast_denied allows egress to 0\.0\.0\.0\/0 except 255\.255\.255\.255\/32 on all traffic$/ }] },
    { fixture: 'checks/FW104/terraform/bad-nsg-egress-private-denied.tf', findings: [{ line: 26, messageId: 'worldOpenEgress', message: /^azurerm_network_security_group\.private_denied allows egress to every public IPv4 address and ::\/0 on all traffic$/ }] },
    // QA s12/02: a deny under a condition is named with it, not as an exception in every case ("to 0.0.0.0/0 except 8.8.8.0/24").
    { fixture: 'checks/FW104/terraform/bad-nacl-egress-one-range-denied-when-strict.tf', findings: [{ line: 27, messageId: 'worldOpenEgress', message: /^aws_network_acl\.out allows egress to 0\.0\.0\.0\/0 \(except 8\.8\.8\.0\/24 when var\.strict\) on all traffic$/ }] },
    {
      // One finding per written place: a dynamic block's items (every tcp port, every udp port) are one finding.
      fixture: 'checks/FW104/terraform/bad-dynamic-block-all-egress.tf',
      findings: [
        { line: 13, column: 22, messageId: 'worldOpenEgress', message: /^aws_security_group\.out allows egress to 0\.0\.0\.0\/0 on tcp\/all ports; udp\/all ports$/ },
        { line: 21, column: 25, messageId: 'worldOpenEgress', message: /^aws_security_group\.out allows egress to ::\/0 on all traffic$/ },
      ],
    },
    {
      fixture: 'checks/FW104/terraform/bad-all-egress.tf',
      findings: [
        { line: 9, messageId: 'worldOpenEgress', message: /to 0\.0\.0\.0\/0 on all traffic/ },
        { line: 10, messageId: 'worldOpenEgress', message: /to ::\/0 on all traffic/ },
      ],
    },
    {
      // "World" is a set: 0.0.0.0/1 + 128.0.0.0/1 (one block) and 2000::/4 + 3000::/4 (two blocks, the halves of IPv6
      // global unicast 2000::/3) are the whole internet.
      fixture: 'checks/FW104/terraform/bad-world-split-egress.tf',
      findings: [
        { line: 10, column: 20, messageId: 'worldOpenEgressCombined', message: /to 0\.0\.0\.0\/1 on all traffic, which together/ },
        { line: 10, column: 33, messageId: 'worldOpenEgressCombined', message: /to 128\.0\.0\.0\/1 on all traffic, which together/ },
        { line: 18, messageId: 'worldOpenEgressCombined', message: /to 2000::\/4 on tcp\/all ports, which together/ },
        { line: 25, messageId: 'worldOpenEgressCombined', message: /to 3000::\/4 on tcp\/all ports, which together/ },
      ],
    },
    {
      // CDK L2: the rule comes from allowAllOutbound's default (true), not from a missing egress list.
      fixture: 'checks/FW104/cdk/bad-default-allow-all-outbound.ts',
      findings: [{ line: 9, messageId: 'worldOpenEgress', message: /to 0\.0\.0\.0\/0 on all traffic \(CDK's default egress: allowAllOutbound is not set to false, and egress rules added to the group do not remove it\)$/ }],
    },
    {
      // Regression (one netsh rule, two findings): a RemoteIP list is one rule, reported once naming all its items.
      fixture: 'checks/FW104/netsh/bad-egress-split-in-one-rule.cmd',
      findings: [{ line: 4, messageId: 'worldOpenEgress', message: /^buildhost allows egress to 0\.0\.0\.0\/0 on all traffic$/ }],
    },
  ],
});

describe('FW104 with denies that leave the internet open (QA 3/01)', () => {
  it('shows the deny as a related location, and FW102 leaves the rule to FW104', () => {
    const result = scanFixture('checks/FW104/terraform/bad-nacl-egress-broadcast-denied.tf');
    expect(result.findings.map((finding) => finding.checkId)).toEqual(['FW104']);
    expect(result.findings[0]!.relatedLocations.map((location) => location.range.startLine)).toEqual([3, 5]);
  });
});

describe('FW104 of a dynamic block over both halves (QA 4/10)', () => {
  it('keeps accepting baseline entries of the finding once worded as combined', () => {
    // cdb6c6dbc0159175: its fingerprint while it read "…, which together with its other rules …".
    const [finding] = scanFixture('checks/FW104/terraform/bad-dynamic-block-over-both-halves-egress.tf').findings.filter((each) => each.checkId === 'FW104');
    expect(finding!.messageId).toBe('worldOpenEgress');
    expect(finding!.formerFingerprints).toContain('cdb6c6dbc0159175');
  });
});

describe('FW104 on unresolved egress', () => {
  it('gives the JSON fields FW101 gives unresolved ingress: the values and all they could still be', () => {
    const findings = scanFixture('checks/FW104/terraform/bad-egress-unresolved-protocol-or-ports.tf').findings.filter((each) => each.checkId === 'FW104');
    expect(findings.map((finding) => finding.properties)).toEqual([
      { traffic: '<unresolved protocol: var.proto> port 443', peer: '0.0.0.0/0', synthetic: false, unresolvedProtocol: ['var.proto'], possibleProtocols: '0-255', possiblePorts: '443' },
      { traffic: 'tcp/<unresolved: var.port_from, var.port_to>', peer: '::/0', synthetic: false, unresolvedPorts: ['var.port_from', 'var.port_to'], possiblePorts: '0-65535' },
      { traffic: '<unresolved protocol: var.proto>', peer: '0.0.0.0/0', synthetic: false, unresolvedProtocol: ['var.proto'], possibleProtocols: '0-5, 7-255', possiblePorts: '0-65535' },
    ]);
  });
});

describe('FW104 grouping by written place and condition', () => {
  it('reports the items of one dynamic block once per condition they exist under', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fw104-'));
    try {
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        `variable "open" { type = bool }
resource "aws_security_group" "out" {
  dynamic "egress" {
    for_each = var.open ? ["tcp", "udp"] : ["-1"]
    content {
      from_port   = 0
      to_port     = egress.value == "-1" ? 0 : 65535
      protocol    = egress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`,
      );
      const findings = scan({ paths: ['.'], cwd: directory, today: '2026-11-25' }).findings.filter((finding) => finding.checkId === 'FW104');
      // One place (the block's CIDR), two conditions: the tcp and udp items together, the all-traffic item alone.
      expect(findings.map((finding) => `${finding.location.range.startLine}:${finding.location.range.startColumn} ${finding.message}`)).toEqual([
        '9:22 aws_security_group.out allows egress to 0.0.0.0/0 on all traffic (when !var.open)',
        '9:22 aws_security_group.out allows egress to 0.0.0.0/0 on tcp/all ports; udp/all ports (when var.open)',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('shares one empty map of combinations between targets that have none', () => {
    const alone = worldOpenEgress(computeEffective(target([rule('out', 'all', 'all', '0.0.0.0/0')])));
    const narrow = worldOpenEgress(computeEffective(target([rule('out', 'tcp', '443', '10.0.0.0/8')])));
    expect(alone.combined.size).toBe(0);
    expect(alone.combined).toBe(narrow.combined);
    expect(alone.combinedUnder).toBe(narrow.combinedUnder);
    // Two halves of IPv4 on all traffic: a combination of their own.
    const halves = worldOpenEgress(computeEffective(target([rule('out', 'all', 'all', '0.0.0.0/1'), rule('out', 'all', 'all', '128.0.0.0/1')])));
    expect([...halves.combined.values()].map((protocols) => protocols.size())).toEqual([256n, 256n]);
  });
});
