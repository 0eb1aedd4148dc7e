import FW203 from '../../src/checks/fw203-install-only-port-open';
import { checkTester } from '../helpers/check-tester';
import { scanFiles, scanFixture } from '../helpers/scan-fixture';

checkTester.run(FW203, {
  valid: [
    { fixture: 'checks/FW203/terraform/good-scaleio-sdc-install-ports-in-install.tf' },
    // The folder's .fwlint.yaml maps the host: operate phase, `scaleio-nodes` bound, the installer not.
    { fixture: 'checks/FW203/netsh-cluster-bound/good-cluster-only.cmd' },
    // ICMPv6 echo requests: the install-phase ICMP flow is ICMPv4 (see the invalid icmp-pack cases).
    { fixture: 'checks/FW203/icmp-pack/good-icmpv6-echo-request.tf' },
    // QA 4/05: the return entry FW201 demands, from the cluster, holds WMI's tcp/24158: on a stateless NACL that is a
    // reply the operate phase needs, not an install-only port (FW203 and FW201 could not both be passed).
    { fixture: 'checks/FW203/nacl-operate-replies/good-return-entries-to-cluster.tf' },
  ],
  invalid: [
    {
      // Beyond the replies' addresses the install-only port is still open, and named as such.
      fixture: 'checks/FW203/nacl-operate-replies/bad-return-entries-to-every-address.tf',
      findings: [{ line: 44, messageId: 'installOnly', message: /still allows tcp\/24158 from 0\.0\.0\.0\/0 except 10\.10\.0\.0\/16 \(outside the replies to scaleio-nodes\); tcp\/7072 from 0\.0\.0\.0\/0 except 10\.10\.0\.0\/16 \(outside scaleio-nodes; installer is not bound\), tcp\/24158 needed only during installation; tcp\/7072 needed from installer only during installation, in operation from scaleio-nodes only \(/ }],
    },
    {
      // One finding per written place: a dynamic block's items open only for installation are one finding naming the
      // ports' union and every purpose; the static block is its own finding.
      fixture: 'checks/FW203/terraform/bad-scaleio-sdc-install-ports-dynamic.tf',
      findings: [
        {
          line: 8,
          messageId: 'installOnly',
          message: /still allows tcp\/135, 445, needed only during installation \(RPC endpoint mapper to establish the installer's initial WMI connection; SMB used by the installer to copy the ScaleIO installation files to the host\)$/,
        },
        { line: 18, messageId: 'installOnly', message: /still allows tcp\/24158, needed only during installation/ },
      ],
    },
    {
      // QA 10: reported once for two firewalls of the same target tags mapped alike, in the rule's own firewall, without
      // advice to narrow target tags that are the same.
      fixture: 'checks/FW202/gcp-same-instances/bad-same-tags-mapped-alike.tf',
      findings: [{ line: 10, messageId: 'installOnly', message: /^google_compute_firewall\.sds \(dell-emc-scaleio\/sds\) is in the operate phase but still allows tcp\/135, 445, needed only during installation \([^;]*; [^;]*\)$/ }],
    },
    {
      fixture: 'checks/FW203/terraform/bad-scaleio-sdc-install-ports-in-operate.tf',
      findings: [
        { line: 6, messageId: 'installOnly', message: /tcp\/135/ },
        { line: 13, messageId: 'installOnly', message: /tcp\/445/ },
        { line: 20, messageId: 'installOnly', message: /tcp\/24158/ },
      ],
    },
    {
      // Regression (QA): a rule of another GCP firewall that applies to the mapped firewall's instances was reported in
      // its own firewall only, which is mapped to no role: the install-only port went unreported.
      fixture: 'checks/FW203/terraform/bad-gcp-shared-install-port.tf',
      // QA h2 item 3: with the advice FW202 gives such a rule, to narrow its target tags rather than remove it.
      findings: [{
        line: 23,
        messageId: 'installOnly',
        message: /^google_compute_firewall\.sdc \(dell-emc-scaleio\/sdc\) is in the operate phase but still allows tcp\/135,.*\); it is another firewall's rule and applies to that firewall's instances too: to keep it there, narrow its target tags \(or target service accounts\) so that it leaves these instances out$/,
      }],
    },
    {
      // A RemoteIP list is one model rule per item; the written rule is reported once (it was once per host).
      fixture: 'checks/FW203/netsh/bad-install-ports-remoteip-list.cmd',
      findings: [{ line: 5, messageId: 'installOnly', message: /still allows tcp\/135, 445, needed only during installation/ }],
    },
    {
      // An unbound installer stands for any address: beyond the bound cluster, only the installer needs the port.
      // Regression (QA h6 item 5): those addresses were labelled "(installer)", as if they were the installer's.
      fixture: 'checks/FW203/netsh-cluster-bound/bad-unbound-installer.cmd',
      findings: [{ line: 5, messageId: 'installOnly', message: /still allows tcp\/7072 from 10\.0\.0\.0\/8 except 10\.10\.1\.0\/24 \(outside scaleio-nodes; installer is not bound\), needed from installer only during installation, in operation from scaleio-nodes only \(/ }],
    },
    {
      // A block on one profile: the rule is still one finding, and 135 is named open on the other two profiles only.
      fixture: 'checks/FW203/netsh/bad-install-port-blocked-on-one-profile.cmd',
      findings: [{ line: 4, messageId: 'installOnly', message: /still allows tcp\/445; tcp\/135 on the Domain and Private profiles, needed only/ }],
    },
    // QA h7 item 2: FW203 ignored ICMP types. A rule for echo requests read as opening all of an install-phase ICMP
    // flow, a block of echo requests did not narrow an allow of all ICMP, and ICMP beside tcp/135 read as "tcp/all
    // ports". The folder maps its targets to a test-only pack (fixtures/packs/install-icmp): no shipped pack has an
    // install-phase ICMP flow.
    {
      fixture: 'checks/FW203/icmp-pack/bad-echo-request-only.tf',
      findings: [{ line: 5, messageId: 'installOnly', message: /^aws_security_group\.node_echo \(probe\/node\) is in the operate phase but still allows icmp echo-request \(type 8\), needed only during installation \(the installer pings the node\)$/ }],
    },
    {
      fixture: 'checks/FW203/icmp-pack/bad-echo-request-blocked.cmd',
      findings: [{ line: 5, messageId: 'installOnly', message: /still allows icmp \(all types except echo-request \(type 8\)\), needed only during installation/ }],
    },
    {
      fixture: 'checks/FW203/icmp-pack/bad-all-traffic.tf',
      findings: [{ line: 5, messageId: 'installOnly', message: /still allows icmp; tcp\/135, needed only during installation \(the installer pings the node; RPC endpoint mapper for the installer\)$/ }],
    },
    {
      // The operate phase needs ICMP from admin: only the installer's echo requests are install-only.
      fixture: 'checks/FW203/icmp-pack/bad-installer-echo-from-range.tf',
      findings: [{ line: 6, messageId: 'installOnly', message: /still allows icmp echo-request \(type 8\) from 10\.0\.0\.5\/32 \(installer\), needed from installer only during installation, in operation from admin only \(/ }],
    },
  ],
});

describe('FW203 identity', () => {
  it('keeps the fingerprint of an unbound installer\'s part that the wording changed (baselines still match)', () => {
    const result = scanFixture('checks/FW203/netsh-cluster-bound/bad-unbound-installer.cmd');
    // The fingerprint fwlint gave while the part read "(installer)".
    expect(result.findings.filter((finding) => finding.checkId === 'FW203').map((finding) => finding.fingerprint)).toEqual(['d12e2bd4fe88f0f9']);
  });
});

describe('FW203 ICMP types in properties', () => {
  it('lists the ICMP types of a part that opens some of them, as FW201 does', () => {
    const [finding] = scanFixture('checks/FW203/icmp-pack/bad-echo-request-blocked.cmd').findings.filter((each) => each.checkId === 'FW203');
    expect((finding!.properties as { open: unknown[] }).open).toEqual([
      {
        traffic: 'icmp (all types except echo-request (type 8))',
        ports: '0-65535',
        addresses: 'any',
        peer: null,
        icmp: [{ protocol: 'icmp', type: '0-7', code: 'any' }, { protocol: 'icmp', type: '9-255', code: 'any' }],
      },
    ]);
  });
});

// Regression (QA s13 #3): a custom pack's unselected conditional flow to an unbound peer, on the port of an
// install-only flow, was taken as any address needing that port in the operate phase: no FW203 (and FW202 left it to
// FW203), exit 0. An unselected option's flow excuses only its bound peer's addresses, as FW202 reads it.
describe('FW203 with an unselected option\'s flow on an install-only port', () => {
  const pack = `id: x-pack
title: X
vendor: X
productVersion: "1"
source: x.pdf
peers:
  admins: admins
options:
  ha: HA
roles:
  server:
    title: S
    description: S
    flows:
      - { direction: in, protocol: tcp, ports: ["22"], peer: admins, phase: install, purpose: install ssh }
      - { direction: in, protocol: tcp, ports: ["22"], peer: admins, condition: ha, purpose: ha ssh }
`;
  const fw203 = (annotation: string, config = ''): string[] =>
    scanFiles({
      'packs/x.yaml': pack,
      '.fwlint.yaml': `rulePacks: [./packs]\n${config}`,
      'main.tf': `# fwlint:profile x-pack/server ${annotation}\nresource "aws_security_group" "s" {\n  name = "s"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`,
    }).findings.filter((finding) => finding.checkId === 'FW203' || finding.checkId === 'FW202').map((finding) => `${finding.checkId} ${finding.message}`);

  it('reports the install-only port where the option is not selected and its peer unbound', () => {
    expect(fw203('phase=operate')).toEqual(['FW203 aws_security_group.s (x-pack/server) is in the operate phase but still allows tcp/22, needed only during installation (install ssh)']);
  });

  it('does not where the option is selected, or where its peer is bound (then its addresses are excused)', () => {
    expect(fw203('phase=operate options=ha')).toEqual([]);
    expect(fw203('phase=operate', 'targets:\n  - match: ["*"]\n    peers: { admins: ["10.0.0.0/8"] }\n')).toEqual([]);
  });
});
