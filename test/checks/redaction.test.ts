import { Redaction, redactedContentKey, shapingDenies } from '../../src/checks/redaction';
import { contentKeyOf } from '../../src/model/rule';
import { rule } from '../helpers/build-rule';

/** Regression (qa-h2): the values Terraform redacts are judged but never shown (README "Sensitive values"). */
describe('Redaction of sensitive rule values', () => {
  const office = rule('in', 'tcp', '22', '10.0.0.0/8', { sensitive: { peer: 'var.office_cidrs' } });

  it('replaces the peer as written and every address inside it, and leaves other addresses', () => {
    const redaction = Redaction.of([office])!;
    expect(redaction.text('from 10.0.0.0/8 on tcp/22')).toBe('from (sensitive value of var.office_cidrs) on tcp/22');
    expect(redaction.text('from 10.1.0.0/16, 10.2.0.0/16, 192.0.2.0/24; witness tcp/22 from 10.0.0.7')).toBe(
      'from (sensitive value of var.office_cidrs), 192.0.2.0/24; witness tcp/22 from (sensitive value of var.office_cidrs)',
    );
    expect(redaction.data({ openFrom: [{ peer: '10.0.0.0/8', traffic: 'tcp/22' }], count: 1 })).toEqual({
      openFrom: [{ peer: '(sensitive value of var.office_cidrs)', traffic: 'tcp/22' }],
      count: 1,
    });
  });

  it('replaces sensitive ports, and drops fixes that would write a sensitive value', () => {
    const redaction = Redaction.of([rule('in', 'tcp', '2200-2299', '0.0.0.0/0', { sensitive: { traffic: '' } })])!;
    expect(redaction.text('from 0.0.0.0/0 on tcp/2222 and tcp/80')).toBe('from 0.0.0.0/0 on tcp/(sensitive value) and tcp/80');
    const fix = (insertedText: string) => ({ description: 'narrow the rule', file: 'main.tf', deleted: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }, insertedText });
    expect(Redaction.of([office])!.fixes([fix('cidr_blocks = ["10.0.0.0/9"]'), fix('')]).map((each) => each.insertedText)).toEqual(['']);
  });

  // QA w6: a sensitive ICMP type (ports: every port) made every port list "match", and `0.0.0.0/0` was read as
  // protocol 0, port 0: "from 0.0.0.0/(sensitive value of var.icmp)".
  it('leaves addresses and port lists alone where the sensitive traffic holds every port', () => {
    const icmp = Redaction.of([rule('in', 'icmp', 'all', '0.0.0.0/0', { sensitive: { traffic: 'var.icmp' } })])!;
    expect(icmp.text('from 0.0.0.0/0 and 10.0.0.0/8 on tcp/80')).toBe('from 0.0.0.0/0 and 10.0.0.0/8 on tcp/80');
    const ports = Redaction.of([rule('in', 'tcp', '0-10', '0.0.0.0/0', { sensitive: { traffic: 'var.p' } })])!;
    expect(ports.text('from 0.0.0.0/0 on tcp/0-10')).toBe('from 0.0.0.0/0 on tcp/(sensitive value of var.p)');
  });

  // Regression (qa-h5): a sensitive ICMP type or code (`from_port = var.type` with protocol icmp) was shown.
  it('replaces the ICMP types and codes of sensitive ICMP traffic, as messages, witnesses and data write them', () => {
    const echo = Redaction.of([rule('in', 'icmp', 'all', '0.0.0.0/0', { icmp: { type: 8, code: 'any' }, sensitive: { traffic: 'var.type' } })])!;
    expect(echo.text('allows ingress from 0.0.0.0/0 on icmp echo-request (type 8); tcp/80')).toBe('allows ingress from 0.0.0.0/0 on icmp (sensitive value of var.type); tcp/80');
    expect(echo.text('icmp destination-unreachable (type 3, codes 0, 1), type 200, code 4 and 3 more types')).toBe('icmp (sensitive value of var.type)');
    expect(echo.text('icmp (all types except echo-request (type 8)) and icmp (all types)')).toBe('icmp (sensitive value of var.type) and icmp (sensitive value of var.type)');
    expect(echo.text('icmp type 8 code 0 from 203.0.113.7; icmpv6 echo-request (type 128)')).toBe('icmp (sensitive value of var.type) from 203.0.113.7; icmpv6 echo-request (type 128)');
    expect(echo.data({ icmp: [{ protocol: 'icmp', type: 8, code: 'any', name: 'echo-request' }], count: 8 })).toEqual({ icmp: '(sensitive value of var.type)', count: 8 });
    const v6 = Redaction.of([rule('in', 'icmpv6', 'all', '::/0', { icmp: { type: 128, code: 'any' }, sensitive: { traffic: 'var.type' } })])!;
    expect(v6.text('icmpv6 echo-request (type 128); icmp echo-request (type 8)')).toBe('icmpv6 (sensitive value of var.type); icmp echo-request (type 8)');
  });

  // Regression (qa-h5): what a sensitive deny left of an allow (`tcp/7000-7049, 7051-9100`) told the deny's value.
  it('replaces what sensitive denies leave of the finding\'s rules, and nothing that overlaps them', () => {
    const allow = rule('in', 'tcp', '7000-9100', '10.0.0.0/8');
    const portDeny = rule('in', 'tcp', '7050', '0.0.0.0/0', { action: 'deny', sensitive: { traffic: 'var.port' } });
    const peerDeny = rule('in', 'tcp', '7000-9100', '10.0.0.0/9', { action: 'deny', sensitive: { peer: 'var.blocked' } });
    const elsewhere = rule('in', 'udp', '7050', '10.0.0.0/9', { action: 'deny', sensitive: { peer: 'var.udp' } });
    const denies = shapingDenies([portDeny, allow, peerDeny, elsewhere], [allow]);
    expect(denies).toEqual([portDeny, peerDeny]);
    const redaction = Redaction.of([allow], denies)!;
    expect(redaction.text('on tcp/7000-7049, 7051-9100 from 10.128.0.0/9; witness tcp/7000 from 10.128.0.1')).toBe(
      'on part of tcp/7000-9100 (which part depends on (sensitive value of var.port)) from part of 10.0.0.0/8 (which part depends on (sensitive value of var.blocked)); witness part of tcp/7000-9100 (which part depends on (sensitive value of var.port)) from part of 10.0.0.0/8 (which part depends on (sensitive value of var.blocked))',
    );
    // The rule as written, and a part holding some of the deny's, were not left by it.
    expect(redaction.text('the rule allows tcp/7000-9100 from 10.0.0.0/8 (10.0.0.0/9 and tcp/7050-7060)')).toBe('the rule allows tcp/7000-9100 from 10.0.0.0/8 (10.0.0.0/9 and tcp/7050-7060)');
    expect(redaction.data({ ports: '7000-7049, 7051-9100', instead: 'use instead: tcp/7072 from 10.200.0.0/16' })).toEqual({
      ports: 'part of 7000-9100 (which part depends on (sensitive value of var.port))',
      instead: 'use instead: tcp/7072 from 10.200.0.0/16',
    });
    expect(Redaction.of([allow], shapingDenies([allow, elsewhere], [allow]))).toBeUndefined();
  });

  // Regression (qa-h5): only a port list's first item was matched, so what a plain deny left of sensitive ports showed
  // the rest: "tcp/(sensitive value of var.hi), 7051-9100".
  it('replaces every item of a port list inside sensitive ports, and keeps the others', () => {
    const redaction = Redaction.of([rule('in', 'tcp', '7000-9100', '0.0.0.0/0', { sensitive: { traffic: 'var.hi' } })])!;
    expect(redaction.text('on tcp/7000-7049, 7051-9100 from 0.0.0.0/0')).toBe('on tcp/(sensitive value of var.hi) from 0.0.0.0/0');
    expect(redaction.text('on tcp/80, 7000-7049, 7051-9100; udp/53')).toBe('on tcp/80, (sensitive value of var.hi); udp/53');
  });

  it('gives no redaction for rules without sensitive values', () => {
    expect(Redaction.of([rule('in', 'tcp', '22', '0.0.0.0/0')])).toBeUndefined();
  });

  it('keeps a sensitive value out of the fingerprint content, and other rules as they were', () => {
    const world = rule('in', 'tcp', '22', '0.0.0.0/0', { sensitive: { peer: 'var.office_cidrs' } });
    expect(redactedContentKey(world, contentKeyOf(world))).toBe(redactedContentKey(office, contentKeyOf(office)));
    expect(redactedContentKey(world, contentKeyOf(world))).not.toContain('0.0.0.0');
    const plain = rule('in', 'tcp', '22', '0.0.0.0/0');
    expect(redactedContentKey(plain, contentKeyOf(plain))).toBe(contentKeyOf(plain));
  });
});
