import { scanFiles, scanFixture } from '../../helpers/scan-fixture';

describe('CDK sources through the scan pipeline', () => {
  it('maps a fwlint:profile comment to the group below and suppresses with fwlint:ignore', () => {
    const result = scanFixture('cdk/annotations.ts');
    // lumen-cloud has no phases: the comment's phase=operate is read, and warned about at the comment (fix/uxb).
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.file, d.range?.startLine])).toEqual([['packs/phase-no-effect', 'warning', 'fixtures/cdk/annotations.ts', 8]]);
    const web = result.targets.find((target) => target.id === 'Annotated/Web');
    expect(web?.profile).toMatchObject({ ref: 'lumen-cloud/linux', phase: 'operate' });
    const worldOpen = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(worldOpen.map((finding) => [finding.ruleId, finding.suppression?.justification ?? null])).toEqual([
      ['Annotated/Web.addIngressRule[0]#0', 'public web server'],
      ['Annotated/Web.addIngressRule[1]#0', null],
    ]);
  });

  it('reports a syntax error with its position and exit-worthy severity, and still scans the other files', () => {
    const result = scanFixture(['cdk/errors/syntax-error.ts', 'cdk/pair']);
    expect(result.diagnostics).toEqual([expect.objectContaining({
      code: 'parse/cdk-syntax', severity: 'error', file: 'fixtures/cdk/errors/syntax-error.ts',
      range: { startLine: 6, startColumn: 1, endLine: 6, endColumn: 1 },
    })]);
    expect(result.findings.length).toBeGreaterThan(0);
  });

  it('reports values CDK or AWS reject as errors and leaves those rules out', () => {
    const result = scanFixture('cdk/errors/invalid-values.ts');
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.range?.startLine} ${diagnostic.severity} ${diagnostic.code}`)).toEqual([
      '10 error parse/cdk-bad-cidr',
      '11 error parse/cdk-bad-cidr',
      '12 error parse/cdk-bad-port',
      '13 error parse/cdk-bad-port',
      '14 error parse/cdk-all-traffic-egress',
      '15 error parse/cdk-no-default-port',
      '18 error parse/cdk-bad-protocol',
      '19 warning parse/cdk-rule-without-peer',
    ]);
    const invalid = result.targets.find((target) => target.id === 'InvalidStack/Invalid');
    expect(invalid?.rules).toEqual([]);
    // BadL1 lists an (invalid) egress item, so no default egress is added either.
    expect(result.targets.find((target) => target.id === 'InvalidStack/BadL1')?.rules).toEqual([]);
  });

  it('reports an unresolved value as FW303 at the value', () => {
    const result = scanFixture('cdk/unknown-values.ts');
    const unresolved = result.findings.filter((finding) => finding.checkId === 'FW303');
    expect(unresolved.map((finding) => `${finding.targetId} ${finding.properties.field} ${finding.location.range.startLine}`)).toEqual([
      'UnknownStack/Opaque allowAllOutbound 16',
      'UnknownStack/Opaque peer 17',
      'UnknownStack/Opaque peer 18',
      // The rule on an unresolved port is kept, so its unresolved peer is reported too.
      'UnknownStack/Opaque peer 19',
      'UnknownStack/Opaque UnknownStack/Opaque.addIngressRule[2].port 19',
      'UnknownStack/Opaque peer 20',
      'props.database group 22',
      'props.database props.database.connections.allowDefaultPortFrom[0].port 22',
      'group group 28',
    ]);
    // Unknown is not open: no world-open finding comes from the unresolved peers.
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.targetId)).toEqual(['group']);
  });

  // Regression: ACL entries of an unknown protocol were left out, FW303 only; FW303 named the kept rule's traffic
  // as `(inbound )` when the unknown was the entry's `traffic`.
  it('judges a network ACL entry of an unknown protocol on every protocol, as for Terraform', () => {
    const result = scanFiles({ 'stack.ts': `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
const st = new cdk.Stack(new cdk.App(), 'Prod');
const acl = new ec2.NetworkAcl(st, 'Acl', { vpc: ec2.Vpc.fromLookup(st, 'V', {}) });
new ec2.NetworkAclEntry(st, 'E1', { networkAcl: acl, ruleNumber: 100, cidr: ec2.AclCidr.anyIpv4(), traffic: props.traffic });
` });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`)).toEqual([
      'FW101 high Prod/Acl allows ingress from 0.0.0.0/0 on <unresolved protocol: props.traffic>: its protocol could not be resolved statically, so any protocol may be open',
      'FW303 note Prod/Acl: Prod/E1.traffic could not be resolved statically (props.traffic); the rule was checked only as far as it is known',
    ]);
    expect(result.findings[0]!.properties.unresolvedProtocol).toEqual(['props.traffic']);
  });
});
