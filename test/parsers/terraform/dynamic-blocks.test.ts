import { scanFixture } from '../../helpers/scan-fixture';

describe('Terraform dynamic blocks', () => {
  it("binds the iterator's key as Terraform does: a set's element, a map's key, a list's index", () => {
    const result = scanFixture('terraform/dynamic-keys');
    expect(result.diagnostics).toEqual([]);
    const rules = result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.description}`));
    expect(rules).toEqual([
      'aws_security_group.list.ingress[0] 5432 list 0=5432',
      'aws_security_group.list.ingress[1] 6379 list 1=6379',
      'aws_security_group.list.egress[0] 443 list from a set 0=a',
      'aws_security_group.list.egress[1] 443 list from a set 1=b',
      'aws_security_group.map.ingress[0] 443 map 443=https',
      'aws_security_group.map.ingress[1] 8443 map 8443=alt',
      'aws_security_group.set.ingress[0] 22 set 22=22',
      'aws_security_group.set.ingress[1] 3389 set 3389=3389',
    ]);
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => finding.message)).toEqual([expect.stringMatching(/on tcp\/22$/), expect.stringMatching(/on tcp\/3389$/)]);
  });
});
