import FW302 from '../../src/checks/fw302-redundant-rule';
import { rule, target } from '../helpers/build-rule';
import { scanFixture } from '../helpers/scan-fixture';

/**
 * A block rule removes traffic only where it matches all of it: a block for one program, service, local address,
 * interface type, remote-port range or ICMP type leaves the rest of the allow in effect (formats.md §4.3, §4.6).
 */
describe('denies that match part of an allow', () => {
  it('leave Windows allows open to everything the block does not match, and shadow only a same-condition allow', () => {
    const result = scanFixture('netsh/narrowed-blocks');
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => `${finding.location.range.startLine} ${finding.checkId} ${finding.severity}`)).toEqual([
      '3 FW101 critical', // SQL: the block is for one program
      '5 FW101 critical', // RDP: the block is for wireless interfaces
      '7 FW101 critical', // SMB: the block is for one service
      '9 FW101 critical', // VNC: the block is for remote ports 1-1023
      '11 FW101 high', // echo requests: the block is for "destination unreachable"
      '13 FW301 low', // Telnet: allow and block name the same program (case-insensitively)
    ]);
  });

  it('in FW302: an ICMP type and code is inside the type, and a rule for one type is not inside another type', () => {
    const typeOnly = rule('in', 'icmp', 'all', '10.0.0.0/8', { icmp: { type: 3, code: 'any' } });
    const typeAndCode = rule('in', 'icmp', 'all', '10.0.0.0/8', { icmp: { type: 3, code: 4 } });
    const echo = rule('in', 'icmp', 'all', '10.0.0.0/8', { icmp: { type: 8, code: 'any' } });
    const ctx = { options: {}, effective: () => { throw new Error('unused'); }, profileDiff: () => undefined, publicPorts: [] } as never;
    const findings = FW302.evaluate(target([typeOnly, typeAndCode, echo]), ctx);
    expect(findings.map((finding) => `${finding.rule!.resourceAddress} in ${finding.properties!.containedIn as string}`)).toEqual([
      `${typeAndCode.resourceAddress} in ${typeOnly.resourceAddress}`,
    ]);
  });
});
