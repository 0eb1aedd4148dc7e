import { scanFixture } from '../helpers/scan-fixture';

describe('suppressions', () => {
  const result = scanFixture('suppress');
  const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
  const byPort = (port: string) => fw101.find((finding) => finding.properties.traffic === `tcp/${port}`)!;

  it('applies an inline fwlint:ignore with a reason to the rule below it', () => {
    expect(byPort('443').suppression).toEqual({ kind: 'inSource', justification: 'public load balancer' });
  });

  it('does not apply an expired suppression, and reports that it expired', () => {
    expect(byPort('22').suppression).toBeUndefined();
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'suppress/expired', severity: 'warning', message: expect.stringContaining('expired on 2020-01-01') }));
  });

  it('scopes a config ignore by ports: 80 is accepted, 22 on the same group is not', () => {
    expect(byPort('80').suppression).toEqual({ kind: 'external', justification: 'public web' });
  });

  it('reports suppressions that matched nothing', () => {
    const unused = result.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused').map((diagnostic) => diagnostic.message);
    expect(unused).toEqual(expect.arrayContaining([expect.stringContaining('nothing to suppress here'), expect.stringContaining('matches nothing')]));
  });

  it('requires a reason', () => {
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'annotation/invalid', file: 'fixtures/suppress/web.tf', message: expect.stringContaining('needs a reason') }));
  });

  it('counts suppressed findings but keeps them out of the failing set', () => {
    expect(result.stats.suppressed).toBe(2);
    expect(fw101.filter((finding) => !finding.suppression).map((finding) => finding.properties.traffic)).toEqual(['tcp/22']);
  });
});

describe('annotations over several instances', () => {
  // Regression (issue #8 note): the annotation attached to one `count` instance only.
  const result = scanFixture('suppress-instances');

  it('maps every instance to the profile', () => {
    const missing = result.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.targetId);
    expect(missing).toEqual(['aws_security_group.vm[0]', 'aws_security_group.vm[1]']);
  });

  it('suppresses the rule in every instance, and does not call the annotation unused', () => {
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101).toHaveLength(2);
    expect(fw101.every((finding) => finding.suppression?.justification === 'public web')).toBe(true);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused')).toEqual([]);
  });
});
