import { describePeer } from '../../../src/model';
import { scanFixture } from '../../helpers/scan-fixture';

/**
 * Regression (QA 3 item 4): CDK `PrefixList` / `CfnPrefixList` entries were not read, so SSH from a list holding
 * 0.0.0.0/0 passed, where the synthesized template (read by the CloudFormation reader) is FW101. A rule naming such a
 * list by its id attribute (`prefixListId`, `attrPrefixListId`, `ref`) has the entries' CIDRs as its peer when they are
 * all known; otherwise the list stays symbolic.
 */
describe('CDK prefix lists of the stack', () => {
  const result = scanFixture('cdk/prefix-lists.ts');

  it('reads lists whose entries are all known, and keeps the others symbolic', () => {
    expect(result.targets.flatMap((target) => target.rules).map((rule) => `${rule.ports.toString()} ${describePeer(rule.peer)}${rule.peer.kind === 'addresses' ? ` = ${rule.peer.addresses.toString()}` : ''}`)).toEqual([
      '22 prefix list Net/Admins = 0.0.0.0/0',
      '3389 prefix list Net/Ops = 0.0.0.0/0',
      '8080 prefix list office.prefixListId',
      '5432 prefix list Net/Ops = 0.0.0.0/0',
    ]);
  });

  it('reports the world-open lists with the list as a related location', () => {
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.location.range.startLine} ${finding.message} | ${(finding.peerDefinitions ?? []).map((definition) => `${definition.location.range.startLine} ${definition.name}`).join('; ')}`)).toEqual([
      'FW101 15 Net/Web allows ingress from 0.0.0.0/0 on tcp/22 | 11 prefix list Net/Admins',
      'FW101 16 Net/Web allows ingress from 0.0.0.0/0 on tcp/3389 | 12 prefix list Net/Ops',
      'FW101 18 Net/Web allows ingress from 0.0.0.0/0 on tcp/5432 | 12 prefix list Net/Ops',
    ]);
  });
});
