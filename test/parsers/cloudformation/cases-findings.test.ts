import { scanFixture } from '../../helpers/scan-fixture';

/** The checks each CloudFormation case fixture triggers, the same in its YAML and its JSON spelling. */
const CASES: Record<string, string[]> = {
  'bad-all-tcp-ports': ['FW102'],
  'bad-all-traffic-egress': ['FW104', 'FW104'],
  'bad-implicit-egress': ['FW104'],
  'bad-ssh-world': ['FW101'],
  'good-restricted-sg': [],
};

describe('CloudFormation case fixtures: findings', () => {
  it.each(Object.entries(CASES))('%s gives %j in YAML and JSON', (name, expected) => {
    for (const extension of ['yaml', 'json']) {
      const result = scanFixture(`cloudformation/cases/${name}.${extension}`);
      expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
      expect(result.findings.map((finding) => finding.checkId).sort()).toEqual(expected);
    }
  });

  it('standalone rules and network ACL entries: the ACL denies SSH before its rule 100 allows 443 from the world', () => {
    const result = scanFixture('cloudformation/cases/standalone-and-nacl.yaml');
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.location.range.startLine}`).sort()).toEqual([
      'FW101 PublicAcl 72', // allow tcp/443 from 0.0.0.0/0 (rule 100)
      'FW101 PublicAcl 93', // ICMPv6 echo from ::/0
      'FW102 DbSG 19', // all traffic to 10.0.0.0/16
      'FW103 PublicAcl 84', // egress 1024-65535 to the world
      'FW303 ImportValue:shared-sg-id 47', // the group SharedIngress adds to is another stack's
    ]);
  });

  it('the implicit egress beside a standalone egress resource: the messages say the resource does not remove it (QA 13)', () => {
    const result = scanFixture('cloudformation/cases/implicit-egress-standalone.yaml');
    const messages = Object.fromEntries(result.findings.map((finding) => [finding.checkId, finding.message]));
    expect(Object.keys(messages).sort()).toEqual(['FW104', 'FW202']);
    const cause = "the group's own SecurityGroupEgress list is empty, and standalone egress rules such as Out80 do not remove it";
    expect(messages.FW104).toContain(`(the platform's implicit default egress: ${cause})`);
    expect(messages.FW202).toContain(`the platform's implicit egress (${cause}) allows`);
    expect(messages.FW202).toContain("list the egress rules in the group's SecurityGroupEgress instead (any rule there removes the implicit one; Out80 stays in force beside them): tcp/443 and udp/53 to aws-api");
    expect(Object.values(messages).join('\n')).not.toContain('writing any egress rule removes the implicit one');
    // Without the standalone resource the wording stays: the group lists no egress rule.
    const alone = scanFixture('cloudformation/cases/bad-implicit-egress.yaml');
    expect(alone.findings.map((finding) => finding.message).join('\n')).toContain('added because the group lists no egress rule');
  });
});
