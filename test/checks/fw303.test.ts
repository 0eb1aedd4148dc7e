import FW303 from '../../src/checks/fw303-unresolved-value';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkTester } from '../helpers/check-tester';
import { REPO_ROOT, scanFiles } from '../helpers/scan-fixture';

checkTester.run(FW303, {
  valid: [{ fixture: 'checks/FW303/terraform/good-cidr-from-variable.tf' }],
  invalid: [
    { fixture: 'checks/FW303/terraform/bad-cidr-from-data-source.tf', findings: [{ line: 9, column: 20, messageId: 'unresolved', severity: 'note', message: /data\.aws_vpc\.peer\.cidr_block/ }] },
    // One unresolved value shared by two rules: one note per rule, both at the value, each naming its rule and traffic.
    {
      fixture: 'checks/FW303/cdk/bad-pulumi-config-in-two-rules.ts',
      findings: [
        { line: 6, column: 19, messageId: 'unresolved', message: /^admin: cidrBlocks of rule admin\.ingress\[0\] \(inbound tcp\/22\) could not be resolved statically \(config\.require\("adminCidr"\)\)/ },
        { line: 6, column: 19, messageId: 'unresolved', message: /^admin: cidrBlocks of rule admin\.ingress\[1\] \(inbound tcp\/3389\) could not be resolved statically/ },
      ],
    },
    // A plan without its .tf files puts every value at plan.json:1:1: the rules' notes must not swallow each other.
    {
      fixture: 'checks/FW303/terraform-plan/bad-two-rules-unknown.json',
      findings: [
        { line: 1, column: 1, messageId: 'unresolved', message: /^aws_security_group\.admin: cidr_blocks of rule aws_security_group\.admin\.ingress\[#\w+\] \(inbound tcp\/3389\) could not be resolved statically \(known after apply\)/ },
        { line: 1, column: 1, messageId: 'unresolved', message: /^aws_security_group\.admin: cidr_blocks of rule aws_security_group\.admin\.ingress\[#\w+\] \(inbound tcp\/22\) could not be resolved statically \(known after apply\)/ },
      ],
    },
    // An item beyond the condition limit: its traffic is not known, so the note does not describe it.
    {
      fixture: 'checks/FW303/cloudformation/bad-if-beyond-condition-limit.yaml',
      findings: [
        { line: 63, messageId: 'unresolved', message: /^SG: SecurityGroupIngress\[4\] of rule SG\.SecurityGroupIngress\[4\] could not be resolved statically \(!If \[C4,/ },
        { line: 70, messageId: 'unresolved', message: /^SG: SecurityGroupIngress\[5\] of rule SG\.SecurityGroupIngress\[5\] could not be resolved statically \(!If \[C5,/ },
      ],
    },
    // One rule listing two peers becomes two rules with the same unknown: still one note for that rule and field.
    // Regression (QA 12): a variable set under a condition was taken as set for certain (here 10.0.0.0/8, no finding);
    // where the condition does not hold it is unknown.
    { fixture: 'checks/FW303/netsh/bad-cidr-set-only-for-dev.cmd', findings: [{ line: 3, column: 96, messageId: 'unresolved', message: /^bad-cidr-set-only-for-dev: peer of rule "RDP"#1 \(inbound tcp\/3389\) could not be resolved statically \(%CIDR%\); .* \(when !\("%1"=="dev"\)\)$/ }] },
    { fixture: 'checks/FW303/netsh/bad-unknown-profile-two-peers.cmd', findings: [{ line: 3, column: 122, messageId: 'unresolved', message: /^bad-unknown-profile-two-peers: profiles of rule "Mgmt"#1 \(inbound tcp\/22\) could not/ }] },
    // QA s13 f5 item 3: a dynamic block over six peers with an unresolved port gave six notes alike at one line. One
    // note per written place and value, naming the items (their traffic where it is the same for all).
    {
      fixture: 'checks/FW303/terraform/bad-dynamic-block-items-one-note.tf',
      findings: [
        { line: 17, column: 7, messageId: 'unresolved', message: /^aws_security_group\.admin: from_port of rules aws_security_group\.admin\.ingress\[0\], \[1\], \[2\], \[3\], \[4\], \[5\] could not be resolved statically \(var\.admin_port\); the rules were checked only as far as it is known$/ },
        { line: 25, column: 5, messageId: 'unresolved', message: /^aws_security_group\.admin: aws_security_group\.admin\.ingress\[6\]\.from_port could not be resolved statically \(var\.admin_port\); the rule was checked/ },
        { line: 39, column: 24, messageId: 'unresolved', message: /^aws_security_group\.admin: cidr_blocks of rules aws_security_group_rule\.jump\[0\], \[1\], \[2\] \(inbound tcp\/443\) could not be resolved statically \(var\.jump_range\)/ },
      ],
    },
  ],
});

describe('FW303 notes of one written place', () => {
  const FIXTURE = 'checks/FW303/terraform/bad-dynamic-block-items-one-note.tf';
  const text = fs.readFileSync(path.join(REPO_ROOT, 'fixtures', FIXTURE), 'utf8');
  const notes = (source: string) => scanFiles({ 'main.tf': source }).findings.filter((finding) => finding.checkId === 'FW303');

  it('lists the items in properties, and hashes all their rules into the fingerprint (a baseline entry of one item does not cover them)', () => {
    const [items, single] = notes(text);
    expect(items!.properties).toEqual({ field: 'from_port', expression: 'var.admin_port', rules: [0, 1, 2, 3, 4, 5].map((index) => `aws_security_group.admin.ingress[${index}]`) });
    expect(single!.properties).toEqual({ field: 'aws_security_group.admin.ingress[6].from_port', expression: 'var.admin_port' });
    // One item's content changed (its peer): the finding for them all is another one; the static block's keeps its own.
    const [changedItems, changedSingle] = notes(text.replace('"10.0.6.0/24"', '"10.0.7.0/24"'));
    expect(changedItems!.fingerprint).not.toBe(items!.fingerprint);
    expect(changedSingle!.fingerprint).toBe(single!.fingerprint);
    // With one item left, the note is that item's, as it was before items were merged.
    const [one] = notes(text.replace(/admin_peers = \[[^\]]*\]/, 'admin_peers = ["10.0.1.0/24"]'));
    expect(one!.message).toMatch(/^aws_security_group\.admin: aws_security_group\.admin\.ingress\[0\]\.from_port could not be resolved statically/);
    expect(one!.properties).toEqual({ field: 'aws_security_group.admin.ingress[0].from_port', expression: 'var.admin_port' });
  });

  it('counts items past eight', () => {
    const many = notes(text.replace(/admin_peers = \[[^\]]*\]/, `admin_peers = [${Array.from({ length: 11 }, (_, index) => `"10.1.${index}.0/24"`).join(', ')}]`));
    expect(many[0]!.message).toContain('from_port of rules aws_security_group.admin.ingress[0], [1], [2], [3], [4], [5], [6], [7] and 3 more could not');
  });
});
