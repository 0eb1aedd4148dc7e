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
});
