import { scanFixture } from '../../helpers/scan-fixture';

/**
 * The same two groups written in Terraform, CloudFormation and CDK give the same findings: check, severity and the
 * structured properties, once each format's target ids are mapped to common names.
 */
describe('same groups, three formats', () => {
  const essence = (fixture: string, targetNames: Record<string, string>): string[] =>
    scanFixture(fixture)
      .findings.map((finding) => `${finding.checkId} ${finding.severity} ${targetNames[finding.targetId] ?? finding.targetId} ${JSON.stringify(finding.properties)}`)
      .sort();

  it('reports for the CDK stack what Terraform and CloudFormation report', () => {
    const terraform = essence('pair/terraform', { 'aws_security_group.web': 'web', 'aws_security_group.db': 'db' });
    const cloudFormation = essence('cloudformation/pair', { WebSG: 'web', DbSG: 'db' });
    const cdk = essence('cdk/pair', { 'WebStack/Web': 'web', 'WebStack/Db': 'db' });
    expect(terraform.length).toBeGreaterThan(0);
    expect(cdk).toEqual(terraform);
    expect(cdk).toEqual(cloudFormation);
  });

  it('parses the CDK stack cleanly into the two groups', () => {
    const result = scanFixture('cdk/pair');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['WebStack/Db', 'WebStack/Web']);
  });
});
