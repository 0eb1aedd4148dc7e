import { readFixture, readText } from './read-fixture';

/** Construct paths when part of the tree is not in the file (issue 9, gap 3). */
describe('construct paths with an unknown scope', () => {
  it('names the groups of constructs never instantiated in the file after their class, without a duplicate warning', () => {
    const result = readFixture('library-constructs.ts');
    expect(result.targets.map((target) => target.id)).toEqual(['${WebTier}/Sg', '${DbTier}/Sg', 'MyStack/Direct']);
    expect(result.diagnostics).toEqual([]);
  });

  it('shows a scope that is not known, and the id of the construct made in it', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
class Tier extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ec2.SecurityGroup(this, 'Sg', { vpc, allowAllOutbound: false }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  }
}
export function build(parent: Construct) {
  new Tier(parent, 'Web');
  new Tier(parent, 'Db');
}
`);
    expect(result.targets.map((target) => target.id)).toEqual(['${parent}/Web/Sg', '${parent}/Db/Sg']);
    expect(result.diagnostics).toEqual([]);
  });
});
