import { scanFixture } from '../helpers/scan-fixture';

/** The same infrastructure written in Terraform and in CloudFormation gives the same findings, differing only in location. */
describe('Terraform / CloudFormation pair', () => {
  const essence = (fixture: string, targetNames: Record<string, string>): string[] =>
    scanFixture(fixture)
      .findings.map((finding) => `${finding.checkId} ${finding.severity} ${targetNames[finding.targetId] ?? finding.targetId} ${JSON.stringify(finding.properties)}`)
      .sort();

  it('reports the same findings for both', () => {
    const terraform = essence('pair/terraform', { 'aws_security_group.web': 'web', 'aws_security_group.db': 'db' });
    const cloudFormation = essence('cloudformation/pair', { WebSG: 'web', DbSG: 'db' });
    expect(terraform.length).toBeGreaterThan(0);
    expect(cloudFormation).toEqual(terraform);
  });
});
