import FW202 from '../../src/checks/fw202-broader-than-profile';
import { checkTester } from '../helpers/check-tester';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../../src/model/finding';
import { REPO_ROOT, scanFiles, scanFixture } from '../helpers/scan-fixture';

checkTester.run(FW202, {
  valid: [
    { fixture: 'checks/FW202/terraform/good-lumen-windows-winrm.tf' },
    // QA 3/07: a NACL's return entries for the role's flows (tcp/1024-65535 to admin and cloud-manager, from
    // cloud-manager and aws-api) were excess, "remove the rule". This is the advice of the case below, applied.
    { fixture: 'checks/FW202/terraform-nacl-bound/good-mediator-advice-applied.tf' },
    { fixture: 'checks/FW203/nacl-operate-replies/good-return-entries-to-cluster.tf' },
  ],
  invalid: [
    {
      fixture: 'checks/FW202/terraform/bad-lumen-windows-all-tcp.tf',
      findings: [{ line: 6, messageId: 'excess', message: /allows tcp\/0-5984, 5986-65535 from 10\.0\.0\.0\/8 .*use instead: tcp\/5985 from control-portal/ }],
    },
    {
      // An ICMP rule's excess names its ICMP type and code, as FW101 does (it said just "icmp").
      fixture: 'checks/FW202/terraform/bad-lumen-linux-icmp-echo.tf',
      findings: [{ line: 15, messageId: 'excess', message: /rule allows icmp echo-request \(type 8, code 0\) from 0\.0\.0\.0\/0 beyond the vendor's advanced rule set/ }],
    },
    {
      // A RemoteIP list is one model rule per item; the written rule is reported once, its addresses united.
      fixture: 'checks/FW202/netsh/bad-remoteip-list-beyond-role.cmd',
      findings: [{ line: 4, messageId: 'excess', message: /rule allows tcp\/8080 from 10\.0\.0\.1\/32, 10\.0\.0\.2\/31 beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ }],
    },
    {
      // A block rule on one profile: the excess names its profiles where they differ.
      fixture: 'checks/FW202/netsh/bad-port-blocked-on-one-profile.cmd',
      findings: [{ line: 3, messageId: 'excess', message: /rule allows tcp\/8081 from 10\.0\.0\.5\/32; tcp\/8080 from 10\.0\.0\.5\/32 on the Domain and Private profiles beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ }],
    },
    {
      // QA 15 item 04: a block on one profile inside what the role permits cut the rule's pieces per profile; the
      // same excess was listed twice, "on the Domain and Private profiles" and "on the Public profile".
      fixture: 'checks/FW202/netsh-bound/bad-block-inside-role-flow-on-one-profile.cmd',
      findings: [
        { line: 1, messageId: 'excess', message: /rule allows tcp\/5986-5990 from 10\.0\.0\.0\/16; tcp\/5985 from 10\.0\.1\.0\/24, [^;]*10\.0\.128\.0\/17 beyond the vendor's advanced rule set; use instead: tcp\/5985 from 10\.0\.0\.0\/24 \(control-portal\)$/ },
      ],
    },
    {
      // QA h4 item 3: the excess listed all 13 protocols the block rules leave out; messages count those past eight,
      // as FW101 and FW102 do (the properties keep them all, below).
      fixture: 'checks/FW202/netsh/bad-many-protocols-blocked.cmd',
      findings: [
        {
          line: 16,
          messageId: 'excess',
          message: /rule allows all traffic from 10\.0\.0\.0\/8 except tcp\/5985 and ipip; proto-41; gre; esp; ah; proto-94; proto-97; proto-98 and 5 more protocols from 10\.0\.0\.0\/8 beyond the vendor's advanced rule set; use instead: tcp\/5985 from control-portal$/,
        },
      ],
    },
    {
      // QA h4 item 3: 22 port ranges of excess; the message names eight. The ports to use instead are all listed.
      fixture: 'checks/FW202/terraform/bad-citrix-appliance-all-tcp.tf',
      findings: [
        {
          line: 7,
          messageId: 'excess',
          message: /rule allows tcp\/0-21, 23-79, 81-442, 444-2999, 3001, 3003, 3005, 3007-3008 and 13 more ranges from 10\.0\.0\.0\/8 beyond the vendor's advanced rule set; use instead: tcp\/22, 80, 443, 3000, 3002, 3004, 3006, 3009, 3012, 3015-3016, 3500, 3502, 3504, 3506, 3509, 3512, 3515-3516, 8888 from admin; /,
        },
      ],
    },
    {
      // QA 18 item 02: an instance of a rule resource with count or for_each was told "remove the item of the dynamic
      // block's for_each" (count) or "remove the rule" (for_each), which would remove the required tcp/22 instance too.
      fixture: 'checks/FW202/terraform/bad-rule-resource-instances.tf',
      findings: [
        { line: 15, messageId: 'excess', message: /tcp\/8080 from 10\.9\.0\.0\/16 beyond the vendor's advanced rule set; the role needs none of it: remove instance aws_security_group_rule\.counted\[1\]: take its element out of what the resource's count is taken from \(its other instances make other rules\)$/ },
        { line: 25, messageId: 'excess', message: /tcp\/8080 from 10\.9\.0\.0\/16 beyond the vendor's advanced rule set; the role needs none of it: remove the item "8080" of aws_security_group_rule\.keyed's for_each that makes this rule \(its other items make other rules\)$/ },
        { line: 36, messageId: 'excess', message: /tcp\/8443, 9443 from 10\.9\.0\.0\/16 beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ },
      ],
    },
    {
      // QA h5 #6: one item of a dynamic block; removing the block would remove the required tcp/22 too.
      fixture: 'checks/FW202/terraform/bad-dynamic-block-item.tf',
      findings: [{ line: 11, messageId: 'excess', message: /rule allows tcp\/2222 from 10\.1\.0\.0\/24 beyond the vendor's advanced rule set; the role needs none of it: remove the item of the dynamic block's for_each that makes this rule \(its other items make other rules\)$/ }],
    },
    {
      // One finding per written place: the items of a dynamic block all beyond the role are one finding at the block,
      // naming their union (it printed one per item, each advising to remove the block); items that go while others of
      // their block stay are one too. The static block is another place, another finding.
      fixture: 'checks/FW202/terraform/bad-dynamic-block-items-one-finding.tf',
      findings: [
        { line: 16, messageId: 'excess', message: /rule allows tcp\/80, 443 from 0\.0\.0\.0\/0 beyond the vendor's advanced rule set; the role needs none of this dynamic block's items: remove the dynamic block$/ },
        { line: 26, messageId: 'excess', message: /rule allows tcp\/8443, 9090 from 10\.0\.0\.0\/8 beyond the vendor's advanced rule set; the role needs none of it: remove the items of the dynamic block's for_each that make these rules \(its other items make other rules\)$/ },
        { line: 36, messageId: 'excess', message: /rule allows tcp\/8080 from 0\.0\.0\.0\/0 beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ },
      ],
    },
    {
      // Regression (QA): a rule of another GCP firewall that applies to the mapped firewall's instances was reported in
      // its own firewall only, which is mapped to no role: the excess went unreported. Reported at the rule, once.
      fixture: 'checks/FW202/terraform/bad-gcp-shared-rule.tf',
      // QA h6 item 2: removing it would change the other firewall's instances too; narrowing its scope is offered.
      findings: [
        {
          line: 22,
          messageId: 'excess',
          message:
            /^google_compute_firewall\.web \(lumen-cloud\/windows\): rule allows tcp\/8080 from 10\.0\.0\.0\/8 beyond .*remove the rule; it is another firewall's rule and applies to that firewall's instances too: to keep it there, narrow its target tags \(or target service accounts\) so that it leaves these instances out$/,
        },
      ],
    },
    {
      // QA 10: two firewalls of the same target tags mapped alike judge the rule alike: reported once, in its own
      // firewall, without advice to narrow target tags (the same instances; nothing to keep "there").
      fixture: 'checks/FW202/gcp-same-instances/bad-same-tags-mapped-alike.tf',
      findings: [{ line: 10, messageId: 'excess', message: /^google_compute_firewall\.sds \(dell-emc-scaleio\/sds\): rule allows tcp\/135, 445 from 10\.10\.0\.0\/16 .*the role needs none of it: remove the rule$/ }],
    },
    {
      // The other firewall of the same target tags mapped to no role: reported in the mapped one, without that advice.
      fixture: 'checks/FW202/gcp-same-instances/bad-same-tags-unmapped-firewall.tf',
      findings: [{ line: 18, messageId: 'excess', message: /^google_compute_firewall\.app \(lumen-cloud\/linux\): rule allows tcp\/8080 from 10\.0\.0\.0\/8 .*the role needs none of it: remove the rule$/ }],
    },
    {
      // QA 4/07: a merged finding (the items of a dynamic block, the CIDRs of one list) listed 16 split CIDRs where one
      // block reads "… except tcp/22 from 10.5.0.0/24": the union of the items less the permitted part, the same set.
      fixture: 'terraform/merged-excess-minus-form',
      findings: [
        { line: 5, messageId: 'excess', message: /rule allows tcp\/22, 2222 from 10\.0\.0\.0\/8 except tcp\/22 from 10\.5\.0\.0\/24 beyond the vendor's advanced rule set; use instead: tcp\/22 from 10\.5\.0\.0\/24 \(control-portal\)$/ },
        { line: 18, messageId: 'excess', message: /rule allows tcp\/22 from 10\.0\.0\.0\/8, 192\.168\.0\.0\/16, ::\/0 except tcp\/22 from 10\.5\.0\.0\/24 beyond / },
      ],
    },
    {
      // Regression (QA h6 item 3b): one CIDR of a list beyond the role said "remove the rule", which would drop the
      // needed 10.50.0.0/24 too; only when no element stays is the whole rule to go.
      fixture: 'terraform/one-cidr-of-list',
      findings: [
        { line: 6, messageId: 'excess', message: /rule allows tcp\/22 from 203\.0\.113\.0\/24 beyond the vendor's advanced rule set; the role needs none of it: remove 203\.0\.113\.0\/24 from the rule's peers, keeping 10\.50\.0\.0\/24$/ },
        // Both peers of one block (cidr_blocks and ipv6_cidr_blocks) go: one finding at the block, naming both.
        { line: 14, messageId: 'excess', message: /from 198\.51\.100\.0\/24, 2001:db8::\/32 beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ },
      ],
    },
    {
      // QA h4 item 5: with the peers bound to addresses a sensitive variable holds, "use instead" said "(sensitive value
      // of var.mgmt) (admin)" for each peer, and the excess repeated the redacted peer too. The peers are now named,
      // with one note; the excess names the redacted addresses once.
      fixture: 'terraform/sensitive-bound-peers',
      findings: [
        {
          line: 12,
          messageId: 'excess',
          message:
            /rule allows tcp\/0-21, 23-2999, 3001-65535 from \(sensitive value of var\.mgmt\) beyond the vendor's advanced rule set; use instead: tcp\/22 from admin; tcp\/3000 from cloud-manager \(the addresses bound to admin and cloud-manager are sensitive\)$/,
        },
        {
          line: 19,
          messageId: 'excess',
          message:
            /rule allows all traffic to \(sensitive value of var\.mgmt\) except tcp\/80, 443 and udp\/53 beyond the vendor's advanced rule set; use instead: tcp\/80 to cloud-manager; tcp\/443 and udp\/53 to aws-api \(the addresses bound to cloud-manager are sensitive\)$/,
        },
      ],
    },
    {
      // QA 3/09: an Allow from the Internet tag was taken to carry WinRM from the Control Portal's private range:
      // "… except tcp/5985 from 10.0.0.0/24 …; use instead: tcp/5985 from 10.0.0.0/24". It carries none of the role's
      // flows (FW201 reports WinRM missing), so all of it is excess.
      fixture: 'checks/FW202/terraform-azure-bound/bad-lumen-windows-winrm-from-internet-tag.tf',
      findings: [{ line: 7, messageId: 'excess', message: /rule allows tcp\/5985-5986 from 0\.0\.0\.0\/0, ::\/0 beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ }],
    },
    {
      // QA 3/11: likewise an Allow limited to source port 53 (DNS replies), which no WinRM client sends from. It would
      // carry WinRM but for that limit: replaced by WinRM without it, not removed (QA 15 item 14).
      fixture: 'checks/FW202/terraform-azure-bound/bad-lumen-windows-all-tcp-from-source-port-53.tf',
      findings: [{ line: 7, messageId: 'excess', message: /rule allows tcp\/all ports from 10\.0\.0\.0\/8 \(source port 53\) beyond the vendor's advanced rule set; use instead: tcp\/5985 from 10\.0\.0\.0\/24 \(control-portal\), without the source-port limit \(a client picks its own source port, so the limit keeps these flows out\)$/ }],
    },
    {
      // The same for netsh: remoteip=Internet (the intranet left out), and remoteport=53.
      fixture: 'checks/FW201/netsh-bound/bad-lumen-winrm-from-internet-keyword.cmd',
      findings: [{ line: 5, messageId: 'excess', message: /rule allows tcp\/5985 from 0\.0\.0\.0\/0, ::\/0 beyond the vendor's advanced rule set; the role needs none of it: remove the rule$/ }],
    },
    {
      fixture: 'checks/FW201/netsh-bound/bad-lumen-winrm-from-remote-port.cmd',
      findings: [{ line: 4, messageId: 'excess', message: /rule allows tcp\/5985 from 10\.0\.0\.0\/8 \(source port 53\) beyond the vendor's advanced rule set; use instead: tcp\/5985 from 10\.0\.0\.0\/24 \(control-portal\), without the source-port limit/ }],
    },
    {
      // From Internet with the Control Portal bound to a public range: the rule carries WinRM from it.
      fixture: 'checks/FW201/netsh-bound/good-lumen-winrm-from-internet-keyword-public-peer.cmd',
      findings: [{ line: 4, messageId: 'excess', message: /rule allows tcp\/5985 from 0\.0\.0\.0\/0, ::\/0 except tcp\/5985 from 203\.0\.113\.0\/24 beyond the vendor's advanced rule set; use instead: tcp\/5985 from 203\.0\.113\.0\/24 \(control-portal\)$/ }],
    },
    {
      // QA 3/07: the advice for a NACL named no return entry, so applying it dropped every reply. It names them apart.
      fixture: 'checks/FW202/terraform-nacl-bound/bad-mediator-broader-than-role.tf',
      findings: [
        {
          line: 5,
          messageId: 'excess',
          message:
            /rule allows tcp\/all ports from 10\.0\.0\.0\/8 except tcp\/22 from 10\.1\.0\.0\/24, tcp\/3000 from 10\.2\.0\.0\/24, tcp\/1024-65535 from 10\.0\.0\.0\/8 beyond the vendor's advanced rule set; use instead: tcp\/22 from 10\.1\.0\.0\/24 \(admin\); tcp\/3000 from 10\.2\.0\.0\/24 \(cloud-manager\); for the replies \(a NACL is stateless\): tcp\/1024-65535 from 10\.2\.0\.0\/24 \(cloud-manager\); tcp\/1024-65535 from 0\.0\.0\.0\/0 \(aws-api\)$/,
        },
        {
          line: 22,
          messageId: 'basicRule',
          message:
            /the advanced rule set allows only: tcp\/80 to 10\.2\.0\.0\/24 \(cloud-manager\); tcp\/443 and udp\/53 to 0\.0\.0\.0\/0 \(aws-api\); for the replies \(a NACL is stateless\): tcp\/1024-65535 to 10\.1\.0\.0\/24 \(admin\); tcp\/1024-65535 to 10\.2\.0\.0\/24 \(cloud-manager\)$/,
        },
      ],
    },
    {
      // A return entry broader than the replies: what lies beyond them is still excess; the advice is the replies.
      fixture: 'checks/FW202/terraform-nacl-bound/bad-return-entry-to-every-address.tf',
      findings: [
        {
          line: 21,
          messageId: 'excess',
          message:
            /rule allows tcp\/1024-65535 to 10\.0\.0\.0\/8 except tcp\/1024-65535 to 10\.1\.0\.0\/24, 10\.2\.0\.0\/24 beyond the vendor's advanced rule set; use instead: for the replies \(a NACL is stateless\): tcp\/1024-65535 to 10\.1\.0\.0\/24 \(admin\); tcp\/1024-65535 to 10\.2\.0\.0\/24 \(cloud-manager\)$/,
        },
      ],
    },
    {
      // QA 4/04: in the operate phase the replies of install-only flows to the unbound installer (tcp/1024-65535 to
      // every address) made the egress return entry to 0.0.0.0/0 no excess at all. Replies follow their flow's phase.
      fixture: 'checks/FW203/nacl-operate-replies/bad-return-entries-to-every-address.tf',
      findings: [
        {
          line: 36,
          messageId: 'excess',
          message: /rule allows tcp\/1024-65535 to 0\.0\.0\.0\/0 except tcp\/1024-65535 to 10\.10\.0\.0\/16 beyond the vendor's advanced rule set; use instead: for the replies \(a NACL is stateless\): tcp\/1024-65535 to 10\.10\.0\.0\/16 \(scaleio-nodes\)$/,
        },
        { line: 44, messageId: 'excess', message: /rule allows tcp\/1024-65535 from 0\.0\.0\.0\/0 except tcp\/7072, 24158 from 0\.0\.0\.0\/0, tcp\/1024-65535 from 10\.10\.0\.0\/16 beyond/ },
      ],
    },
    {
      // QA 5/14: the IsProd=true side of the same !If (10.2.0.0/24) was counted as another rule carrying tcp/3000, so the
      // IsProd=false side read "the role needs none of it: remove the rule", which cut the API flow in that stack.
      fixture: 'cloudformation/fw202-if-sides',
      findings: [{ line: 16, messageId: 'excess', message: /rule allows tcp\/3000 from 10\.0\.0\.0\/8 except tcp\/3000 from 10\.2\.0\.0\/24 beyond the vendor's advanced rule set; use instead: tcp\/3000 from 10\.2\.0\.0\/24 \(cloud-manager\) \(when IsProd=false\)$/ }],
    },
    {
      // QA 5/05: the exact IPv4 peer of a dual-stack block stays; "use instead" replaces the flagged peer only.
      fixture: 'terraform/fw202-dual-stack-ipv6-too-broad',
      findings: [{ line: 3, messageId: 'excess', message: /rule allows tcp\/22 from 2001:db8::\/32 except tcp\/22 from 2001:db8:1::\/48 beyond the vendor's advanced rule set; use instead of 2001:db8::\/32: tcp\/22 from 2001:db8:1::\/48 \(admin\); keep 10\.1\.0\.0\/24$/ }],
    },
    {
      fixture: 'terraform/fw202-dual-stack-ipv4-too-broad',
      findings: [{ line: 3, messageId: 'excess', message: /rule allows tcp\/22 from 10\.0\.0\.0\/8 except tcp\/22 from 10\.1\.0\.0\/24 beyond the vendor's advanced rule set; use instead of 10\.0\.0\.0\/8: tcp\/22 from 10\.1\.0\.0\/24 \(admin\); keep 2001:db8:1::\/48$/ }],
    },
    {
      // QA 5/17: the finding on an aws_vpc_security_group_ingress_rule covered the resource's first line only; it covers
      // the whole resource, which its replacement (resources of the same type) takes.
      fixture: 'terraform/fw202-vpc-rule-resources',
      findings: [
        { line: 4, messageId: 'excess', message: /rule allows tcp\/22 from 10\.0\.0\.0\/8 except tcp\/22 from 10\.1\.0\.0\/24, 10\.3\.0\.0\/24 beyond the vendor's advanced rule set; use instead: tcp\/22 from 10\.1\.0\.0\/24, 10\.3\.0\.0\/24 \(admin\)$/ },
        { line: 18, messageId: 'basicRule' },
      ],
    },
    {
      // QA 5/09: the API rule read "the role needs none of it: remove the rule" because the catch-all rule's replacement
      // writes its flow (the shared addresses are written once, by the first rule); it says so now.
      fixture: 'cloudformation/fw202-flow-written-by-other',
      findings: [
        { line: 11, messageId: 'excess', message: /use instead: tcp\/22 from 10\.1\.0\.0\/24 \(admin\); tcp\/3000 from 10\.2\.0\.10\/32 \(cloud-manager\)$/ },
        { line: 19, messageId: 'excess', message: /rule allows tcp\/3000 from 10\.2\.0\.0\/24 except tcp\/3000 from 10\.2\.0\.10\/32 beyond the vendor's advanced rule set; the role's flows it carries are written by the replacement of AdminIn; once that is applied, the role needs none of it: remove the rule$/ },
      ],
    },
    {
      // QA 5/18: one item of an Fn::ForEach loop read "the role needs none of it: remove the rule" at the loop's body,
      // which makes the required In22 and In3000 as well; it names the item's value, at its place in the collection.
      fixture: 'cloudformation/fw202-foreach-item',
      findings: [{ line: 15, column: 22, messageId: 'excess', message: /rule allows tcp\/8080 from 10\.0\.0\.0\/8 beyond the vendor's advanced rule set; the role needs none of it: remove "8080" from the collection of Fn::ForEach::In \(generated resource In8080\)$/ }],
    },
    {
      // The same for an item the role needs part of: what to change for that item, not a fragment for the loop's body.
      fixture: 'cloudformation/fw202-foreach-item-replaced',
      findings: [{ line: 14, column: 14, messageId: 'excess', message: /beyond the vendor's advanced rule set; remove "3000" from the collection of Fn::ForEach::In \(generated resource In3000\) and use instead: tcp\/3000 from 10\.2\.0\.0\/24 \(cloud-manager\)$/ }],
    },
    {
      fixture: 'demo/cloud-manager.tf',
      findings: [{ line: 23, messageId: 'basicRule', message: /this is the vendor's basic rule \(all traffic to 0\.0\.0\.0\/0\); the advanced rule set allows only: tcp\/88, 139, 389, 445, 464, 749 and udp\/137-138, 464 to active-directory/ }],
    },
    {
      // QA 3: with the role's egress flows carried by the group's other rules, the basic rule read "the advanced rule
      // set allows only: nothing in this direction", as if the role needed no egress.
      fixture: 'checks/FW202/terraform/bad-basic-rule-beside-required-rules.tf',
      findings: [{ line: 22, messageId: 'basicRule', message: /this is the vendor's basic rule \(all traffic to 0\.0\.0\.0\/0\); the advanced rule set allows only: what its other rules already allow, so this rule can go$/ }],
    },
  ],
});

describe('FW202 findings at one written place', () => {
  const findings = scanFixture('hcl/security-groups.tf').findings.filter((each) => each.checkId === 'FW202' && each.messageId === 'basicRule');

  it('reports the peers of one block as one finding, and leaves the fingerprint of the same content elsewhere as it was', () => {
    // The egress block's 0.0.0.0/0 and ::/0 are one finding; the standalone all_out rule (all traffic to ::/0, the
    // content of the block's second peer) kept the rank it had beside that peer's finding (`#2`): its fingerprint,
    // and so its baseline entry, are those it had when each peer was a finding of its own.
    expect(findings.map((finding) => [finding.location.range.startLine, finding.message.replace(/;.*/, '')])).toEqual([
      [41, "aws_security_group.connector (netapp-cloud-manager/cloud-manager): this is the vendor's basic rule (all traffic to 0.0.0.0/0, ::/0)"],
      [83, "aws_security_group.connector (netapp-cloud-manager/cloud-manager): this is the vendor's basic rule (all traffic to ::/0)"],
    ]);
    expect(findings[1]!.fingerprint).toBe('b252ecb6a5028ddc');
    expect(findings[1]!.formerFingerprints).toContain('ca43f07c968284fd');
  });
});

describe('FW202 long lists', () => {
  it('keeps every protocol in properties.excess', () => {
    const [finding] = scanFixture('checks/FW202/netsh/bad-many-protocols-blocked.cmd').findings.filter((each) => each.checkId === 'FW202');
    const traffic = (finding!.properties.excess as Array<{ traffic: string }>).map((excess) => excess.traffic).join('; ');
    expect(traffic).toContain('proto-98, proto-103, proto-108, proto-112, proto-115, sctp from 10.0.0.0/8');
  });
});

describe('FW202 with sensitive bound peers', () => {
  // QA h4 item 5: the replacement (properties and SARIF edit) wrote the bound addresses the sensitive variable holds.
  it('shows the sensitive addresses in neither the replacement nor an edit', () => {
    const findings = scanFixture('terraform/sensitive-bound-peers').findings.filter((each) => each.checkId === 'FW202');
    expect(findings).toHaveLength(2);
    for (const finding of findings) {
      expect(JSON.stringify(finding)).not.toMatch(/10\.1\.0\./);
      expect(finding.fixes).toBeUndefined();
    }
    expect(String(findings[0]!.properties.replacement)).toContain('cidr_blocks = ["(sensitive value of var.mgmt)"]');
  });
});

/** A fixture folder's files with every FW202 `properties.replacement` pasted over its finding's range, as a user would. */
function withReplacementsApplied(folder: string, findings: readonly Finding[]): Record<string, string> {
  const directory = path.join(REPO_ROOT, 'fixtures', folder);
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(directory)) files[name] = fs.readFileSync(path.join(directory, name), 'utf8');
  // Last range first, so that earlier ranges keep their lines.
  const edits = findings.filter((finding) => finding.checkId === 'FW202' && typeof finding.properties.replacement === 'string');
  edits.sort((a, b) => b.location.range.startLine - a.location.range.startLine);
  for (const finding of edits) {
    const name = path.basename(finding.location.file);
    const lines = files[name]!.split('\n');
    const { startLine, startColumn, endLine, endColumn } = finding.location.range;
    const text = `${lines[startLine - 1]!.slice(0, startColumn - 1)}${String(finding.properties.replacement).replace(/\n$/, '')}${lines[endLine - 1]!.slice(endColumn - 1)}`;
    lines.splice(startLine - 1, endLine - startLine + 1, text);
    files[name] = lines.join('\n');
  }
  return files;
}

describe('FW202 replacements applied', () => {
  // QA 5/05: the replacement of a dual-stack block wrote only the flagged family's flow; pasted over the block, it
  // dropped the admins' exact range of the other family (a new FW201). Both families are written.
  it.each([
    ['terraform/fw202-dual-stack-ipv6-too-broad'],
    ['terraform/fw202-dual-stack-ipv4-too-broad'],
  ])('%s: keeps both families and leaves no FW201 or FW202', (folder) => {
    const findings = scanFixture(folder).findings.filter((finding) => finding.checkId === 'FW202');
    expect(String(findings[0]!.properties.replacement)).toMatch(/cidr_blocks {6}= \["10\.1\.0\.0\/24"\]\n {2}ipv6_cidr_blocks = \["2001:db8:1::\/48"\]/);
    const rescanned = scanFiles(withReplacementsApplied(folder, findings));
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((finding) => /^FW20[12]$/.test(finding.checkId)).map((finding) => finding.message)).toEqual([]);
  });

  // QA 15 item 14: a rule limited to client source ports 1024-65535 was to be removed ("the role needs none of it"),
  // with WinRM then missing. Its replacement is the role's flow without the limit (its other conditions kept).
  it('replaces a rule limited to some source ports by its flows without the limit, which leaves no FW201 or FW202', () => {
    const folder = 'netsh/fw202-winrm-source-port-range';
    const findings = scanFixture(folder).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/rule allows tcp\/5985-5986 from 10\.0\.0\.0\/16 \(source port 1024-65535\) beyond the vendor's advanced rule set; use instead: tcp\/5985 from 10\.0\.0\.0\/24 \(control-portal\), without the source-port limit \(a client picks its own source port, so the limit keeps these flows out\)$/),
    ]);
    const replacement = String(findings[0]!.properties.replacement);
    expect(replacement).toMatch(/-LocalPort 5985 -RemoteAddress '10\.0\.0\.0\/24' -InterfaceAlias 'Ethernet 2' -Description/);
    expect(replacement).not.toMatch(/-RemotePort/);
    const rescanned = scanFiles(withReplacementsApplied(folder, findings));
    expect(rescanned.findings.filter((finding) => /^FW20[12]$/.test(finding.checkId)).map((finding) => finding.message)).toEqual([]);
  });

  // QA 5/18: a fragment for one Fn::ForEach item would take the place of the loop's body, that is of every item.
  it('gives no replacement fragment for one item of an Fn::ForEach loop', () => {
    const findings = scanFixture('cloudformation/fw202-foreach-item-replaced').findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings.map((finding) => [finding.ruleId, finding.properties.replacement])).toEqual([['In3000', undefined]]);
  });

  // QA 5/17: an aws_vpc_security_group_ingress_rule was replaced by inline `ingress {}` blocks with a `cidr_blocks` list,
  // which that resource type does not take, over its first line only. Now: resources of its type, one per CIDR.
  it('writes an aws_vpc_security_group_*_rule as resources of its type, one per CIDR, over the whole resource', () => {
    const folder = 'terraform/fw202-vpc-rule-resources';
    const findings = scanFixture(folder).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings.map((finding) => [finding.location.range.startLine, finding.location.range.endLine])).toEqual([[4, 10], [18, 22]]);
    const ssh = String(findings[0]!.properties.replacement);
    expect(ssh).not.toMatch(/ingress \{|cidr_blocks/);
    expect(ssh).toContain(
      'resource "aws_vpc_security_group_ingress_rule" "ssh_2" {\n  security_group_id = aws_security_group.med.id\n  description       = "SSH connections to the HA mediator [in/tcp/22/admin]"\n  ip_protocol       = "tcp"\n  from_port         = 22\n  to_port           = 22\n  cidr_ipv4         = "10.3.0.0/24"\n}',
    );
    expect(String(findings[1]!.properties.replacement).match(/resource "aws_vpc_security_group_egress_rule" "all_\d"/g)).toHaveLength(3);
    const rescanned = scanFiles(withReplacementsApplied(folder, findings));
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.map((finding) => finding.message)).toEqual([]);
  });

  // QA 5/12: one finding for all items of a dynamic block, but its replacement said it replaced the first item and to
  // remove that item from the for_each; followed, the block's other items stayed (another FW202).
  it('names every item of a dynamic block that one finding replaces', () => {
    const folder = 'terraform/fw202-dynamic-block-items';
    const findings = scanFixture(folder).findings.filter((finding) => finding.checkId === 'FW202');
    const replacement = String(findings[0]!.properties.replacement);
    expect(replacement).toContain('# fwlint: replaces the dynamic block aws_security_group.med.ingress (items "api", "ssh", "web") with');
    expect(replacement).toContain("# The replaced rules are every item of the dynamic block (\"api\", \"ssh\", \"web\"): these blocks take the whole dynamic block's place.");
    expect(replacement).not.toContain('remove that item');
    const rescanned = scanFiles(withReplacementsApplied(folder, findings));
    expect(rescanned.findings.filter((finding) => /^FW20[12]$/.test(finding.checkId)).map((finding) => finding.message)).toEqual([]);
  });

  // A known element of a dynamic block's collection of unknown length (`concat(var.x, [{…}])`, rule `ingress[?]`): the
  // block makes the unknown part's rules too, so neither the advice nor the replacement is to remove or replace the block
  // or "the rule", and no edit is offered.
  it('advises on the known element of a collection of unknown length as on one item of its dynamic block', () => {
    const findingsFor = (forEach: string): Finding[] =>
      scanFiles({
        'main.tf': `variable "more_ssh" {
  type = list(object({ from = number, to = number }))
}

# fwlint:profile netapp-cloud-manager/ha-mediator
resource "aws_security_group" "mediator" {
  name = "mediator"

  dynamic "ingress" {
    for_each = ${forEach}
    content {
      from_port   = ingress.value.from
      to_port     = ingress.value.to
      protocol    = "tcp"
      cidr_blocks = ["10.1.0.0/24"]
    }
  }
}
`,
      }).findings.filter((finding) => finding.checkId === 'FW202');
    const removed = findingsFor('concat(var.more_ssh, [{ from = 2222, to = 2222 }])');
    expect(removed.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/rule allows tcp\/2222 from 10\.1\.0\.0\/24 beyond the vendor's advanced rule set; the role needs none of it: remove the item of the dynamic block's for_each that makes this rule \(its other items make other rules\)$/),
    ]);
    expect(removed[0]!.fixes).toBeUndefined();
    const replaced = findingsFor('concat(var.more_ssh, [{ from = 0, to = 1000 }])');
    expect(replaced).toHaveLength(1);
    const replacement = String(replaced[0]!.properties.replacement);
    expect(replacement).toContain('# fwlint: replaces aws_security_group.mediator.ingress[?] with');
    expect(replacement).toContain('# The replaced rule is one item of a dynamic block: remove that item from its for_each and write these blocks beside the dynamic block.');
    expect(replaced[0]!.fixes).toBeUndefined();
  });

  // Items of unknown index (`[?]`) and the unknown rest (`[*]`) have no key: the replacement named them "?, ?2, *".
  it('names the items of unknown index and the unknown rest of a dynamic block by their addresses\' ends', () => {
    const findings = scanFiles({
      'main.tf': `variable "rule_names" {
  type = list(string)
}

# fwlint:profile netapp-cloud-manager/ha-mediator
resource "aws_security_group" "mediator" {
  name = "mediator"

  dynamic "ingress" {
    for_each = concat(var.rule_names, ["a", "b"])
    content {
      description = ingress.value
      from_port   = 0
      to_port     = 1000
      protocol    = "tcp"
      cidr_blocks = ["10.1.0.0/24"]
    }
  }
}
`,
    }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings).toHaveLength(1);
    const replacement = String(findings[0]!.properties.replacement);
    expect(replacement).toContain('# fwlint: replaces the dynamic block aws_security_group.mediator.ingress (items [?], [?2], [*]) with');
    expect(findings[0]!.fixes).toBeUndefined();
  });

  // The unknown rest alone (`for_each = var.rule_names`) was taken for a rule resource: "ingress[*] is a rule resource:
  // write one rule resource per block below".
  it('replaces the unknown rest of a dynamic block alone as an item of that block', () => {
    const findings = scanFiles({
      'main.tf': `variable "rule_names" {
  type = list(string)
}

# fwlint:profile netapp-cloud-manager/ha-mediator
resource "aws_security_group" "mediator" {
  name = "mediator"

  dynamic "ingress" {
    for_each = var.rule_names
    content {
      description = ingress.value
      from_port   = 0
      to_port     = 1000
      protocol    = "tcp"
      cidr_blocks = ["10.1.0.0/24"]
    }
  }
}
`,
    }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings).toHaveLength(1);
    const replacement = String(findings[0]!.properties.replacement);
    expect(replacement).toContain('# The replaced rule is one item of a dynamic block: remove that item from its for_each and write these blocks beside the dynamic block.');
    expect(replacement).not.toContain('is a rule resource');
    expect(findings[0]!.fixes).toBeUndefined();
  });

  it('writes an unbound peer of an aws_vpc_security_group_*_rule replacement as a for_each over its variable', () => {
    const directory = path.join(REPO_ROOT, 'fixtures', 'terraform/fw202-vpc-rule-resources');
    const config = fs.readFileSync(path.join(directory, '.fwlint.yaml'), 'utf8').replace(/^.*aws-api.*\n/m, '');
    const findings = scanFiles({ 'main.tf': fs.readFileSync(path.join(directory, 'main.tf'), 'utf8'), '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(String(findings[1]!.properties.replacement)).toContain('"all_2" {\n  for_each          = toset(var.aws_api_cidrs)\n  security_group_id = aws_security_group.med.id\n');
    expect(String(findings[1]!.properties.replacement)).toContain('  cidr_ipv4         = each.value\n}');
  });
});

// Regression (QA s13 #5): for a block that `count` instances (or two calls of one module) of other roles are made from,
// the advice was "write ingress = [] in place of the block", which removes the other instance's required flow (FW201
// there); the SARIF fix was already withheld for such blocks. The advice now names them and says to depend on the instance.
describe('FW202 advice for a block shared by targets of other roles', () => {
  const config = 'targets:\n  - match: ["*"]\n    peers: { control-portal: ["10.0.0.0/24"] }\n';
  const counted = (roles: string) => `variable "roles" {
  default = ${roles}
}
resource "aws_security_group" "this" {
  count = 2
  name  = "node-\${var.roles[count.index]}"
  tags  = { "fwlint:profile" = "lumen-cloud/\${var.roles[count.index]}" }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/24"]
  }
}
`;
  const fw202 = (files: Record<string, string>, paths?: string[]): Finding[] =>
    scanFiles({ ...files, '.fwlint.yaml': config }, paths ? { paths } : {}).findings.filter((finding) => finding.checkId === 'FW202');

  it('names the count instances of another role instead of advising to remove the block for all', () => {
    const findings = fw202({ 'main.tf': counted('["linux", "windows"]') });
    expect(findings.map((finding) => finding.message)).toEqual([
      "aws_security_group.this[1] (lumen-cloud/windows): rule allows tcp/22 from 10.0.0.0/24 beyond the vendor's advanced rule set; the role needs none of it, but the block also makes the rules of aws_security_group.this[0] (lumen-cloud/linux): make it depend on the instance (a dynamic block whose for_each is empty for this one) rather than remove it for all",
    ]);
    expect(findings[0]!.fixes).toBeUndefined();
    // Rules to use instead: the same warning after them.
    const wide = fw202({ 'main.tf': counted('["linux", "windows"]').replace('from_port   = 22', 'from_port   = 0').replace('to_port     = 22', 'to_port     = 65535') });
    expect(wide.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^aws_security_group\.this\[0\] .*; use instead: tcp\/22 from 10\.0\.0\.0\/24 \(control-portal\); but the block also makes the rules of aws_security_group\.this\[1\] \(lumen-cloud\/windows\): make this change depend on the instance/),
      expect.stringMatching(/^aws_security_group\.this\[1\] .*; use instead: tcp\/5985 from 10\.0\.0\.0\/24 \(control-portal\); but the block also makes the rules of aws_security_group\.this\[0\] \(lumen-cloud\/linux\)/),
    ]);
  });

  it('names the other call of a module', () => {
    const node = 'variable "role" { type = string }\nresource "aws_security_group" "this" {\n  name = "node-${var.role}"\n  tags = { "fwlint:profile" = "lumen-cloud/${var.role}" }\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/24"]\n  }\n}\n';
    const live = 'module "lin" {\n  source = "../modules/node"\n  role   = "linux"\n}\nmodule "win" {\n  source = "../modules/node"\n  role   = "windows"\n}\n';
    const findings = fw202({ 'modules/node/main.tf': node, 'live/main.tf': live }, ['live']);
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^module\.win\.aws_security_group\.this \(lumen-cloud\/windows\): .*; the role needs none of it, but the block also makes the rules of module\.lin\.aws_security_group\.this \(lumen-cloud\/linux\): make it depend on the instance/),
    ]);
  });

  it('keeps the advice where every instance has the same role (the same finding for each)', () => {
    const findings = fw202({ 'main.tf': counted('["windows", "windows"]') });
    expect(findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(/^aws_security_group\.this\[0\] .*the role needs none of it: write ingress = \[\] in place of the block/),
      expect.stringMatching(/^aws_security_group\.this\[1\] .*the role needs none of it: write ingress = \[\] in place of the block/),
    ]);
  });
});

// QA s13 qa-7 item 15: a CloudFormation group whose only egress item is the documented 127.0.0.1/32 placeholder was
// told "remove the rule"; applied, the group has no egress item and AWS's implicit allow-all egress is back (FW104).
describe('FW202 on the last item of a CloudFormation group\'s SecurityGroupEgress', () => {
  const config = 'targets:\n  - match: ["Sg"]\n    profile: lumen-cloud/linux\n    peers:\n      control-portal: ["10.1.0.0/24"]\n';
  const template = (egress: string[]): string =>
    `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: linux vm\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.1.0.0/24}\n${
      egress.length > 0 ? `      SecurityGroupEgress:\n${egress.map((item) => `        - ${item}\n`).join('')}` : ''}`;
  const scanTemplate = (egress: string[]): Finding[] => scanFiles({ 't.yaml': template(egress), '.fwlint.yaml': config }).findings;
  const messages = (findings: Finding[], checkId: string): string[] => findings.filter((finding) => finding.checkId === checkId).map((finding) => finding.message);
  const PLACEHOLDER = '{IpProtocol: "-1", CidrIp: 127.0.0.1/32}';

  // QA 15 item 05: the placeholder the advice below says to write was told "keep it" (a medium finding): the gate
  // could never pass. It admits nothing that leaves the host, as CDK's own placeholder, and is not reported.
  it('does not report the loopback placeholder, which is what keeps the implicit egress away', () => {
    const findings = scanTemplate([PLACEHOLDER]);
    expect(messages(findings, 'FW202')).toEqual([]);
    expect(messages(findings, 'FW104')).toEqual([]);
    // What "remove the rule" led to.
    expect(messages(scanTemplate([]), 'FW104')).toEqual([expect.stringContaining('allows egress to 0.0.0.0/0, ::/0 on all traffic')]);
  });

  it('says to put a placeholder in place of the last egress items the role needs none of, and removes the others beside a placeholder', () => {
    const findings = scanTemplate(['{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 203.0.113.0/24}', '{IpProtocol: udp, FromPort: 514, ToPort: 514, CidrIp: 203.0.113.9/32}']);
    expect(messages(findings, 'FW202')).toEqual([
      expect.stringMatching(/the role needs none of it, but so is the group's other egress rule: removing them all would bring back the platform's implicit allow-all egress, so write in their place one egress rule that admits nothing \(for example all traffic to 127\.0\.0\.1\/32\)$/),
      expect.stringMatching(/the role needs none of it, but so is the group's other egress rule: removing them all/),
    ]);
    // The advice applied: the placeholder alone, kept (above). Beside it, another item goes as any rule does.
    const beside = scanTemplate(['{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 203.0.113.0/24}', PLACEHOLDER]);
    expect(messages(beside, 'FW202')).toEqual([expect.stringMatching(/tcp\/8080 to 203\.0\.113\.0\/24 .*the role needs none of it: remove the rule$/)]);
    expect(messages(scanTemplate(['{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 203.0.113.0/24}']), 'FW202')).toEqual([
      expect.stringMatching(/the role needs none of it, but it is the group's last egress rule: removing it would bring back the platform's implicit allow-all egress, so write in its place one egress rule that admits nothing/),
    ]);
  });
});

// A CDK L1 CfnSecurityGroup synthesizes to the same AWS::EC2::SecurityGroup: its last securityGroupEgress item was
// told "remove the rule", which brings back the implicit allow-all egress as for the template.
describe('FW202 on the last item of a CDK L1 group\'s securityGroupEgress', () => {
  const config = 'targets:\n  - match: ["Prod/Sg"]\n    profile: lumen-cloud/linux\n    peers:\n      control-portal: ["10.1.0.0/24"]\n';
  const stack = (egress: string[]): string => `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
const st = new cdk.Stack(new cdk.App(), 'Prod');
new ec2.CfnSecurityGroup(st, 'Sg', {
  groupDescription: 'linux vm',
  securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.1.0.0/24' }],
  ${egress.length > 0 ? `securityGroupEgress: [${egress.join(', ')}],` : ''}
});
`;
  const messages = (egress: string[], checkId: string): string[] =>
    scanFiles({ 'stack.ts': stack(egress), '.fwlint.yaml': config }).findings.filter((finding) => finding.checkId === checkId).map((finding) => finding.message);

  it('does not report the loopback placeholder, and says to put one in place of the last items the role needs none of', () => {
    expect(messages(["{ ipProtocol: '-1', cidrIp: '127.0.0.1/32' }"], 'FW202')).toEqual([]);
    expect(messages(["{ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, cidrIp: '203.0.113.0/24' }"], 'FW202')).toEqual([
      expect.stringMatching(/the role needs none of it, but it is the group's last egress rule: removing it would bring back the platform's implicit allow-all egress, so write in its place one egress rule that admits nothing/),
    ]);
    expect(messages([], 'FW104')).toEqual([expect.stringContaining('allows egress to 0.0.0.0/0, ::/0 on all traffic')]);
  });
});
