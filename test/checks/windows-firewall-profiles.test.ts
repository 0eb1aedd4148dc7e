import { scanFiles } from '../helpers/scan-fixture';

/** QA 6/11 b): findings on Windows rules limited to some profiles name them, in the message and in JSON/SARIF. */
describe('properties.firewallProfiles of findings on Windows rules', () => {
  const scanScript = (...lines: string[]) => scanFiles({ 'h2.cmd': [...lines, ''].join('\r\n') }).findings
    .map((finding) => [finding.checkId, finding.message, finding.properties.firewallProfiles]);

  it('names the profiles of an all-traffic rule in FW101 and FW102 alike', () => {
    expect(scanScript('netsh advfirewall firewall add rule name=any-proto dir=in action=allow profile=private')).toEqual([
      ['FW101', 'h2 allows ingress from 0.0.0.0/0, ::/0 on all traffic (profiles: private)', ['private']],
      ['FW102', 'h2 allows all traffic from Any (profiles: private)', ['private']],
    ]);
  });

  it('gives FW101 the profiles block rules leave open, and other checks the profiles of their rules', () => {
    expect(scanScript(
      'netsh advfirewall firewall add rule name=RDP dir=in action=allow protocol=tcp localport=3389',
      'netsh advfirewall firewall add rule name=NoRDP dir=in action=block protocol=tcp localport=3389 profile=public',
      'netsh advfirewall firewall add rule name=Dyn dir=in action=allow protocol=tcp localport=49152-65535 profile=domain',
    )).toEqual([
      ['FW101', 'h2 allows ingress from 0.0.0.0/0, ::/0 on tcp/3389 (profiles: domain, private)', ['domain', 'private']],
      ['FW101', 'h2 allows ingress from 0.0.0.0/0, ::/0 on tcp/49152-65535 (profiles: domain)', ['domain']],
      ['FW103', 'h2 opens 16384 tcp ports (49152-65535) from Any, more than 1024', ['domain']],
    ]);
  });

  it('leaves the property out where every profile is concerned', () => {
    expect(scanScript('netsh advfirewall firewall add rule name=any dir=in action=allow')).toEqual([
      ['FW101', 'h2 allows ingress from 0.0.0.0/0, ::/0 on all traffic', undefined],
      ['FW102', 'h2 allows all traffic from Any', undefined],
    ]);
  });
});
