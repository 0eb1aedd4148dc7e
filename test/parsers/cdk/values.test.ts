import { brief, readFixture, readText, rule, rulesOf, target } from './read-fixture';

describe('values read statically', () => {
  it('folds consts, templates, spreads, object properties, wrappers, loops and helpers called in the file', () => {
    const result = readFixture('values.ts');
    expect(result.diagnostics).toEqual([]);
    expect(rulesOf(result, 'Values/Folded')).toEqual([
      // allowWeb(sg, PRIVATE): the helper's loop over [...BASE_PORTS, 8443], located in the helper.
      'Values/Folded.addIngressRule[1]#0: in allow tcp 80 10.20.0.0/16',
      'Values/Folded.addIngressRule[2]#0: in allow tcp 443 10.20.0.0/16',
      'Values/Folded.addIngressRule[3]#0: in allow tcp 8443 10.20.0.0/16',
      'Values/Folded.addIngressRule[0]#0: in allow tcp 22 198.51.100.0/24',
      'Values/Folded.addEgressRule[0]#0: out allow tcp 5432 10.20.0.0/16',
      'Values/Folded.addIngressRule[4]#0: in allow udp 53 198.51.100.0/24',
    ]);
  });

  it.each([
    ['a string concatenation', "const cidr = '10.0.' + '0.0/16';", 'ec2.Peer.ipv4(cidr)', 'in allow tcp 22 10.0.0.0/16'],
    ['an object spread', "const base = { cidr: '10.1.0.0/16' }; const net = { ...base, port: 22 };", 'ec2.Peer.ipv4(net.cidr)', 'in allow tcp 22 10.1.0.0/16'],
    ['a computed key', "const nets = { office: '10.2.0.0/16' }; const key = 'office';", 'ec2.Peer.ipv4(nets[key])', 'in allow tcp 22 10.2.0.0/16'],
    ['array destructuring', "const [first] = ['10.3.0.0/16', '10.4.0.0/16'];", 'ec2.Peer.ipv4(first)', 'in allow tcp 22 10.3.0.0/16'],
    ['a let never reassigned', "let cidr = '10.5.0.0/16';", 'ec2.Peer.ipv4(cidr)', 'in allow tcp 22 10.5.0.0/16'],
    ['a known condition', "const prod = true; const cidr = prod ? '10.6.0.0/16' : '0.0.0.0/0';", 'ec2.Peer.ipv4(cidr)', 'in allow tcp 22 10.6.0.0/16'],
    ['a default', "const cidr = undefined ?? '10.7.0.0/16';", 'ec2.Peer.ipv4(cidr)', 'in allow tcp 22 10.7.0.0/16'],
    ['an arrow returning a value', "const office = () => '10.8.0.0/16';", 'ec2.Peer.ipv4(office())', 'in allow tcp 22 10.8.0.0/16'],
  ])('folds %s', (_what, declarations, peer, expected) => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
${declarations}
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(${peer}, ec2.Port.tcp(22));
`);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'Sg').rules.map(brief)).toEqual([expected]);
  });

  it('does not fold a let that is reassigned; reads a conditional it cannot decide once per side', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
let cidr = '10.0.0.0/16';
if (process.env.OPEN) cidr = '0.0.0.0/0';
const other = process.env.STAGE === 'prod' ? '10.0.0.0/16' : '0.0.0.0/0';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(22));
sg.addIngressRule(ec2.Peer.ipv4(other), ec2.Port.tcp(22));
`);
    const rules = target(result, 'Sg').rules;
    expect(rules.map(brief)).toEqual(['in allow tcp 22 unresolved cidr', 'in allow tcp 22 10.0.0.0/16', 'in allow tcp 22 0.0.0.0/0']);
    expect(rules.map((rule) => rule.branch)).toEqual([undefined, "process.env.STAGE === 'prod'", "!(process.env.STAGE === 'prod')"]);
  });
});

// Regression (QA 5/04): `cidr.includes(':') ? Peer.ipv6(cidr) : Peer.ipv4(cidr)` was not decided on a known cidr, so
// each side was read: "Invalid IPv6 CIDR: "0.0.0.0/0" (CDK rejects it at synth)" (exit 2) and "(when …)" findings.
describe('string methods on a known string', () => {
  const read = (declarations: string, peer: string) => readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
${declarations}
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(${peer}, ec2.Port.tcp(22));
`);

  it('decide a peer helper by family, called in a loop over known CIDRs: no side CDK never takes is read', () => {
    const result = read(`const CIDRS = ['0.0.0.0/0', '::/0'];
function peerFor(cidr: string) { return cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr); }
for (const c of CIDRS) sg0.addIngressRule(peerFor(c), ec2.Port.tcp(22));
const sg0 = undefined;`, "ec2.Peer.ipv4('10.0.0.0/8')");
    expect(result.diagnostics).toEqual([]);
    const helperResult = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const CIDRS = ['0.0.0.0/0', '::/0'];
function peerFor(cidr: string) { return cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr); }
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
for (const c of CIDRS) sg.addIngressRule(peerFor(c), ec2.Port.tcp(22));
`);
    expect(helperResult.diagnostics).toEqual([]);
    const rules = target(helperResult, 'Sg').rules;
    expect(rules.map(brief)).toEqual(['in allow tcp 22 0.0.0.0/0', 'in allow tcp 22 ::/0']);
    expect(rules.map((rule) => rule.branch)).toEqual([undefined, undefined]);
  });

  it.each([
    ['startsWith', "const c = '10.1.0.0/16';", "c.startsWith('10.') ? ec2.Peer.ipv4(c) : ec2.Peer.anyIpv4()", 'in allow tcp 22 10.1.0.0/16'],
    ['endsWith', "const c = '10.1.0.0/16';", "c.endsWith('/0') ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(c)", 'in allow tcp 22 10.1.0.0/16'],
    ['indexOf', "const c = '2001:db8::/32';", "c.indexOf(':') >= 0 ? ec2.Peer.ipv6(c) : ec2.Peer.ipv4(c)", 'in allow tcp 22 2001:db8::/32'],
    ['toLowerCase and ===', "const stage = 'PROD';", "stage.toLowerCase() === 'prod' ? ec2.Peer.ipv4('10.2.0.0/16') : ec2.Peer.anyIpv4()", 'in allow tcp 22 10.2.0.0/16'],
    ['trim', "const c = ' 10.3.0.0/16 ';", 'ec2.Peer.ipv4(c.trim())', 'in allow tcp 22 10.3.0.0/16'],
    ['split', "const [cidr] = '10.4.0.0/16,0.0.0.0/0'.split(',');", 'ec2.Peer.ipv4(cidr)', 'in allow tcp 22 10.4.0.0/16'],
    ['replace and slice', "const c = 'x10.5.0.0/24'.slice(1).replace('/24', '/16');", 'ec2.Peer.ipv4(c)', 'in allow tcp 22 10.5.0.0/16'],
    ['padEnd and concat', "const c = '10.6.0.0'.concat('/').padEnd(11, '16');", 'ec2.Peer.ipv4(c)', 'in allow tcp 22 10.6.0.0/16'],
    ['includes of a known list', "const OFFICES = ['10.7.0.0/16']; const c = '10.7.0.0/16';", 'OFFICES.includes(c) ? ec2.Peer.ipv4(c) : ec2.Peer.anyIpv4()', 'in allow tcp 22 10.7.0.0/16'],
    ['join of a known list', "const c = ['10', '8', '0', '0/16'].join('.');", 'ec2.Peer.ipv4(c)', 'in allow tcp 22 10.8.0.0/16'],
  ])('fold %s', (_what, declarations, peer, expected) => {
    const result = read(declarations, peer);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'Sg').rules.map((rule) => [brief(rule), rule.branch])).toEqual([[expected, undefined]]);
  });

  it.each([
    ['an unknown string', "const c = process.env.CIDR ?? '';", "c.includes(':') ? ec2.Peer.anyIpv6() : ec2.Peer.anyIpv4()"],
    ['an argument not known', "const c = '10.0.0.0/8';", "c.includes(process.env.X) ? ec2.Peer.anyIpv6() : ec2.Peer.anyIpv4()"],
    ['a method with a callback', "const c = '10.0.0.0/8';", "c.replace('10', () => '0') === '0.0.0.0/8' ? ec2.Peer.anyIpv6() : ec2.Peer.anyIpv4()"],
    ['a method that is not folded', "const c = '10.0.0.0/8';", "c.localeCompare('a') > 0 ? ec2.Peer.anyIpv6() : ec2.Peer.anyIpv4()"],
    ['a result past the string bound', "const c = 'x'.repeat(1e9);", "c.length > 0 ? ec2.Peer.anyIpv6() : ec2.Peer.anyIpv4()"],
  ])('leave a condition on %s undecided: both sides read', (_what, declarations, peer) => {
    const result = read(declarations, peer);
    expect(target(result, 'Sg').rules.map(brief)).toEqual(['in allow tcp 22 ::/0', 'in allow tcp 22 0.0.0.0/0']);
  });
});

// Regression: a string method, template or concatenation applied to a value decided per side (`c ? a : b`, a `??`
// fallback) gave one unknown value, so a world-open side was only an FW303 note.
describe('a string built from a value decided per side', () => {
  const read = (declarations: string, peer: string) => readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
${declarations}
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(${peer}, ec2.Port.tcp(22));
`);
  const sides = (result: ReturnType<typeof readText>): Array<[string, string | undefined]> => target(result, 'Sg').rules.map((rule) => [brief(rule), rule.branch]);
  const ternary = "const cidr = process.env.PROD ? ' 10.0.0.0/8 ' : ' 0.0.0.0/0 ';";

  it.each([
    ['trim', ternary, 'ec2.Peer.ipv4(cidr.trim())'],
    ['toLowerCase and trimStart', ternary, 'ec2.Peer.ipv4(cidr.toLowerCase().trimStart().trimEnd())'],
    ['a template literal', "const cidr = process.env.PROD ? '10.0.0.0' : '0.0.0.0';", 'ec2.Peer.ipv4(`${cidr}/${process.env.PROD ? 8 : 0}`)'],
    ['a concatenation', "const cidr = process.env.PROD ? '10.0.0.0' : '0.0.0.0';", "ec2.Peer.ipv4(cidr + (process.env.PROD ? '/8' : '/0'))"],
  ])('keeps both sides through %s', (_what, declarations, peer) => {
    const result = read(declarations, peer);
    expect(result.diagnostics).toEqual([]);
    expect(sides(result)).toEqual([['in allow tcp 22 10.0.0.0/8', 'process.env.PROD'], ['in allow tcp 22 0.0.0.0/0', '!process.env.PROD']]);
  });

  it('keeps the known side of a fallback, the other unknown', () => {
    const result = read('', "ec2.Peer.ipv4((process.env.CIDR ?? ' 0.0.0.0/0').trim())");
    expect(result.diagnostics).toEqual([]);
    expect(sides(result)).toEqual([
      ['in allow tcp 22 0.0.0.0/0', 'process.env.CIDR == null'],
      ["in allow tcp 22 unresolved (process.env.CIDR ?? ' 0.0.0.0/0').trim()", '!(process.env.CIDR == null)'],
    ]);
  });

  it('gives one value when both sides give the same', () => {
    const result = read("const cidr = process.env.PROD ? '10.0.0.0/8 ' : ' 10.0.0.0/8';", 'ec2.Peer.ipv4(cidr.trim())');
    expect(sides(result)).toEqual([['in allow tcp 22 10.0.0.0/8', undefined]]);
  });
});

// Regression: `Number(p)`, `parseInt(p, 10)` and `+p` were unknown even of a known string, so a port written as a string
// (an environment default, `const p = admin ? '22' : '443'`) was open on every port (FW101 high) and an FW303 note.
describe('a port converted to a number', () => {
  const read = (declarations: string, port: string) => readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
${declarations}
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(${port}));
`);
  const sides = (result: ReturnType<typeof readText>): Array<[string, string | undefined]> => target(result, 'Sg').rules.map((rule) => [brief(rule), rule.branch]);
  const ternary = "const p = process.env.ADMIN ? '22' : '443';";

  it.each([
    ['Number', 'Number(p)'],
    ['parseInt with a radix', 'parseInt(p, 10)'],
    ['Number.parseInt', 'Number.parseInt(p)'],
    ['parseFloat', 'parseFloat(p)'],
    ['unary plus', '+p'],
  ])('keeps both sides through %s', (_what, port) => {
    const result = read(ternary, port);
    expect(result.diagnostics).toEqual([]);
    expect(sides(result)).toEqual([['in allow tcp 22 0.0.0.0/0', 'process.env.ADMIN'], ['in allow tcp 443 0.0.0.0/0', '!process.env.ADMIN']]);
  });

  it.each([
    ['Number of a known string', "Number('8080')", 'in allow tcp 8080 0.0.0.0/0'],
    ['parseInt of a port and protocol', "parseInt('8080/tcp', 10)", 'in allow tcp 8080 0.0.0.0/0'],
    ['parseInt in base 16', "parseInt('1f90', 16)", 'in allow tcp 8080 0.0.0.0/0'],
    ['an unknown stays unknown', 'Number(process.env.PORT)', 'in allow tcp  0.0.0.0/0'],
    ['an unknown radix stays unknown', "parseInt('22', radix)", 'in allow tcp  0.0.0.0/0'],
  ])('reads %s', (_what, port, expected) => {
    expect(target(read('', port), 'Sg').rules.map(brief)).toEqual([expected]);
  });

  it('keeps the known side of a fallback, the other unknown, and is not fooled by a local function named Number', () => {
    expect(sides(read('', "Number(process.env.PORT ?? '22')"))).toEqual([
      ['in allow tcp 22 0.0.0.0/0', 'process.env.PORT == null'],
      ['in allow tcp  0.0.0.0/0', '!(process.env.PORT == null)'],
    ]);
    expect(sides(read('function Number(x: string) { return 3389; }', "Number('22')"))).toEqual([['in allow tcp 3389 0.0.0.0/0', undefined]]);
  });
});

// Regression (QA 5/04): a value reaching Peer.ipv4/ipv6 only on a side fwlint could not rule out was an input error
// claiming CDK rejects it, so a stack that synthesizes fine exited 2. As for Terraform conditionals, it is a warning.
describe('a value invalid on one side only of an undecidable condition', () => {
  it('is a warning naming the side, and the valid side is read; invalid on both sides it stays an error', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
const cidr = process.env.V6 ? '::/0' : '10.0.0.0/8';
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(22));
sg.addIngressRule(isOpen ? ec2.Peer.ipv4('0.0.0.0') : ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.tcp(443));
if (stage === 'prod') {
  sg.addIngressRule(cidr.length > 0 ? ec2.Peer.ipv6(process.env.PROD ? '0.0.0.0/0' : '::/0') : ec2.Peer.ipv6('2001:db8::/32'), ec2.Port.tcp(80));
}
sg.addIngressRule(isOpen ? ec2.Peer.ipv4('bad') : ec2.Peer.ipv4('worse'), ec2.Port.tcp(8080));
`);
    expect(result.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.range?.startLine, diagnostic.message])).toEqual([
      ['warning', 3, 'Invalid IPv4 CIDR: "::/0" (CDK rejects it at synth) (when process.env.V6)'],
      ['warning', 5, 'CIDR mask is missing in IPv4: "0.0.0.0"; did you mean "0.0.0.0/32"? (CDK rejects it at synth) (when isOpen)'],
      // `cidr.length` is known on neither side of `cidr`: both sides of that test are read, under every condition in force.
      ['warning', 7, "Invalid IPv6 CIDR: \"0.0.0.0/0\" (CDK rejects it at synth) (when stage === 'prod' and cidr.length > 0 and process.env.PROD)"],
      ['error', 9, 'Invalid IPv4 CIDR: "bad" (CDK rejects it at synth)'],
      ['error', 9, 'Invalid IPv4 CIDR: "worse" (CDK rejects it at synth)'],
    ]);
    expect(target(result, 'Sg').rules.map((rule) => [brief(rule), rule.branch])).toEqual([
      ['in allow tcp 22 10.0.0.0/8', '!process.env.V6'],
      ['in allow tcp 443 10.1.0.0/16', '!isOpen'],
      ['in allow tcp 80 ::/0', "stage === 'prod' and cidr.length > 0 and !process.env.PROD"],
      ['in allow tcp 80 2001:db8::/32', "stage === 'prod' and !(cidr.length > 0)"],
    ]);
  });

  it('is an error when it is invalid on the side that surely runs, even after a warning for the same value', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
const BAD = '::/0';
function peer(v6: boolean) { return v6 ? ec2.Peer.ipv6(BAD) : ec2.Peer.ipv4(BAD); }
sg.addIngressRule(peer(process.env.V6 === '1'), ec2.Port.tcp(22));
sg.addIngressRule(peer(false), ec2.Port.tcp(22));
`);
    expect(result.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.message])).toEqual([
      ['warning', 'Invalid IPv4 CIDR: "::/0" (CDK rejects it at synth) (when !v6)'],
      ['error', 'Invalid IPv4 CIDR: "::/0" (CDK rejects it at synth)'],
    ]);
  });
});

// Regression (QA 5/15): `Port.RDP` of `enum Port { SSH = 22, RDP = 3389 }` was unresolved ("any port", high).
describe('enums of the file', () => {
  it('are folded like consts: literal members, auto-increment, string members, earlier members, const enum', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
enum Port { SSH = 22, RDP = 3389, NEXT, DOUBLE = SSH * 2 }
const enum Cidr { Anywhere = '0.0.0.0/0', 'office-net' = '10.0.0.0/8' }
enum Counted { Zero, One }
export enum Exported { Web = 443 }
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.ipv4(Cidr.Anywhere), ec2.Port.tcp(Port.RDP));
sg.addIngressRule(ec2.Peer.ipv4(Cidr['office-net']), ec2.Port.tcpRange(Port.NEXT, Port.DOUBLE + 4000));
sg.addIngressRule(ec2.Peer.ipv4(Cidr['office-net']), ec2.Port.tcpRange(Counted.Zero, Counted.One));
sg.addIngressRule(ec2.Peer.ipv4(Cidr['office-net']), ec2.Port.tcp(Exported.Web));
`);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'Sg').rules.map(brief)).toEqual([
      'in allow tcp 3389 0.0.0.0/0',
      'in allow tcp 3390-4044 10.0.0.0/8',
      'in allow tcp 0-1 10.0.0.0/8',
      'in allow tcp 443 10.0.0.0/8',
    ]);
  });

  it('map numeric values back to names, keys in JavaScript\'s order, and merge two declarations of one enum', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
enum Port { RDP = 3389, SSH = 22 }
enum Port { HTTPS = 443 }
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
Object.keys(Port).forEach((key, index) => sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(1000 + index), key));
sg.addIngressRule(ec2.Peer.ipv4(Port[22] === 'SSH' ? '10.9.0.0/16' : '0.0.0.0/0'), ec2.Port.tcp(Port.HTTPS));
`);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'Sg').rules.map((rule) => rule.description)).toEqual(['22', '443', '3389', 'RDP', 'SSH', 'HTTPS', undefined]);
    expect(brief(target(result, 'Sg').rules[6]!)).toBe('in allow tcp 443 10.9.0.0/16');
  });

  it('leave a member that is not a constant, and a declared enum, unknown', () => {
    const result = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
enum Ports { App = Number(process.env.APP_PORT), Next }
declare enum Ambient { Ssh = 22 }
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(Ports.App));
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(Ports.Next));
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(Ambient.Ssh));
`);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'Sg').rules.flatMap((rule) => rule.unknowns.map((unknown) => unknown.expr))).toEqual([
      'Number(process.env.APP_PORT)', 'Ports.Next', 'Ambient.Ssh',
    ]);
  });
});

describe('unknown values', () => {
  const result = readFixture('unknown-values.ts');
  const opaque = target(result, 'UnknownStack/Opaque');

  it('keeps rules with an unresolved peer, peer unknown and recorded, never open', () => {
    expect(opaque.rules.map(brief)).toEqual([
      'in allow tcp 22 unresolved props.adminCidr',
      // `process.env.OFFICE_CIDR ?? '10.0.0.0/8'`: the fallback where the variable is not set, unknown elsewhere.
      'in allow tcp 443 10.0.0.0/8',
      'in allow tcp 443 unresolved process.env.OFFICE_CIDR',
      // `Port.tcp(props.appPort)`: no ports known (see below).
      'in allow tcp  unresolved vpc.vpcCidrBlock',
      'in allow tcp 80 unresolved props.adminCidr',
    ]);
    expect(opaque.rules[0]!.peer).toEqual({ kind: 'unknown', expr: 'props.adminCidr' });
    expect(opaque.rules[0]!.unknowns).toEqual([{
      field: 'peer', expr: 'props.adminCidr',
      location: { file: 'fixtures/cdk/unknown-values.ts', range: { startLine: 17, startColumn: 23, endLine: 17, endColumn: 53 } },
    }]);
  });

  it('keeps a rule whose TCP port is unresolved with no ports and the unknown on the rule (as CloudFormation does), and records an unresolved allowAllOutbound on the target', () => {
    expect(opaque.unknowns).toEqual([
      { field: 'allowAllOutbound', expr: 'props.allowAll', location: { file: 'fixtures/cdk/unknown-values.ts', range: { startLine: 16, startColumn: 79, endLine: 16, endColumn: 93 } } },
    ]);
    const appPort = rule(result, 'UnknownStack/Opaque', 'UnknownStack/Opaque.addIngressRule[2]#0');
    expect(appPort.ports.isEmpty()).toBe(true);
    expect(appPort.unknowns.map((unknown) => [unknown.field, unknown.expr])).toEqual([
      ['UnknownStack/Opaque.addIngressRule[2].port', 'props.appPort'],
      ['peer', 'vpc.vpcCidrBlock'],
    ]);
    expect(appPort.unknowns[0]!.location).toEqual({ file: 'fixtures/cdk/unknown-values.ts', range: { startLine: 19, startColumn: 69, endLine: 19, endColumn: 82 } });
    // No default egress is assumed when allowAllOutbound is unknown.
    expect(opaque.rules.filter((candidate) => candidate.direction === 'out')).toEqual([]);
  });

  it('records the unknown default port of another construct\'s connections', () => {
    const database = target(result, 'props.database');
    expect(database.rules).toEqual([]);
    expect(database.unknowns?.map((unknown) => [unknown.field, unknown.expr])).toEqual([
      ['group', 'props.database'],
      ['props.database.connections.allowDefaultPortFrom[0].port', 'default port of props.database'],
    ]);
  });

  it('keeps rules added to a group passed in on a stand-in target named after the expression', () => {
    const group = target(result, 'group');
    expect(group.resourceType).toBe('aws-cdk-lib.aws_ec2.ISecurityGroup');
    expect(group.unknowns?.map((unknown) => [unknown.field, unknown.expr])).toEqual([['group', 'group']]);
    expect(rulesOf(result, 'group')).toEqual(['group.addIngressRule[0]#0: in allow tcp 22 0.0.0.0/0']);
    expect(result.diagnostics).toEqual([]);
  });

  it('names a construct whose id is unresolved by the expression, recording it', () => {
    const named = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
new ec2.SecurityGroup(scope, \`\${prefix}-sg\`, { vpc, allowAllOutbound: false });
`);
    expect(named.targets.map((t) => t.id)).toEqual(['${prefix}-sg']);
    expect(named.targets[0]!.unknowns?.map((unknown) => [unknown.field, unknown.expr])).toEqual([['id', '`${prefix}-sg`']]);
  });

  it('treats an unknown connectable peer (a load balancer, say) as unknown', () => {
    const connectable = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
const lb = new elbv2.ApplicationLoadBalancer(scope, 'Lb', { vpc });
const sg = new ec2.SecurityGroup(scope, 'App', { vpc, allowAllOutbound: false });
sg.connections.allowFrom(lb, ec2.Port.tcp(8080));
`);
    expect(target(connectable, 'App').rules.map(brief)).toEqual(['in allow tcp 8080 unresolved lb']);
  });
});

// Regression (QA): in the `cdk init` layout (the stack class instantiated in bin/app.ts), a helper the class calls was
// first read with unknown arguments, which made a stand-in group `sg` with FW303 notes beside the real one.
describe('a helper function a class of the file calls', () => {
  it('is read with the arguments the class passes, not also with unknown ones', () => {
    const result = readText(`import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

function openSsh(sg: ec2.SecurityGroup) {
  sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(22));
}

export class FnStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = ec2.Vpc.fromLookup(this, 'Vpc', { isDefault: true });
    const f = new ec2.SecurityGroup(this, 'F', { vpc, allowAllOutbound: false });
    openSsh(f);
  }
}
`);
    expect(result.targets.map((each) => each.id)).toEqual(['FnStack/F']);
    expect(rulesOf(result, 'FnStack/F')).toEqual(['FnStack/F.addIngressRule[0]#0: in allow tcp 22 10.0.0.0/8']);
  });
});

// Regression (QA): `Object.entries` of a known object was unknown, so a world-open rule in such a loop was FW303 only.
describe('Object.keys, values and entries of a known object', () => {
  it('are folded, so loops over them add their rules', () => {
    const result = readText(`import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
const SERVICES = { ssh: 22, rdp: 3389 };
const stack = new cdk.Stack(new cdk.App(), 'S');
const vpc = ec2.Vpc.fromLookup(stack, 'V', {});
const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
for (const [name, port] of Object.entries(SERVICES)) sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), name);
for (const port of Object.values(SERVICES)) sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(port));
for (const name of Object.keys(SERVICES)) sg.addIngressRule(ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.tcp(name === 'ssh' ? 2222 : 3390));
`);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'S/Sg').rules.map(brief)).toEqual([
      'in allow tcp 22 0.0.0.0/0',
      'in allow tcp 3389 0.0.0.0/0',
      'in allow tcp 22 10.0.0.0/8',
      'in allow tcp 3389 10.0.0.0/8',
      'in allow tcp 2222 10.1.0.0/16',
      'in allow tcp 3390 10.1.0.0/16',
    ]);
  });
});

// Regression (QA): `for (let i = 0; i < PORTS.length; i++)` was read once with `i` unknown, so a world-open SSH rule
// in such a loop was FW303 only.
describe('classic index loops', () => {
  const header = `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
const PORTS = [22, 3389];
const COUNT = 2;
const stack = new cdk.Stack(new cdk.App(), 'S');
const vpc = ec2.Vpc.fromLookup(stack, 'V', {});
const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
`;

  it('are unrolled over a known array or count with i++, ++i or i += 1', () => {
    const result = readText(`${header}
for (let i = 0; i < PORTS.length; i++) sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS[i]));
for (let i = 1; i <= COUNT; ++i) sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(8000 + i));
for (var i = 0; i < 2; i += 1) {
  const port = PORTS[i];
  sg.addIngressRule(ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.tcp(port));
}
for (let i = 5; i < 2; i++) sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(i));
`);
    expect(result.diagnostics).toEqual([]);
    expect(target(result, 'S/Sg').rules.map(brief)).toEqual([
      'in allow tcp 22 0.0.0.0/0',
      'in allow tcp 3389 0.0.0.0/0',
      'in allow tcp 8001 10.0.0.0/8',
      'in allow tcp 8002 10.0.0.0/8',
      'in allow tcp 22 10.1.0.0/16',
      'in allow tcp 3389 10.1.0.0/16',
    ]);
    expect(target(result, 'S/Sg').unknowns).toBeUndefined();
  });

  it.each([
    ['an unknown bound', 'for (let i = 0; i < process.env.N; i++)'],
    ['a step other than one', 'for (let i = 0; i < PORTS.length; i += 2)'],
    ['a counter counting down', 'for (let i = PORTS.length - 1; i >= 0; i--)'],
    ['a bound that calls code', 'for (let i = 0; i < count(); i++)'],
    ['a counter the body changes', 'for (let i = 0; i < PORTS.length; i++) { i = i + 1;'],
    ['a trip count past the unroll limit', 'for (let i = 0; i < 100000; i++)'],
  ])('stay unresolved with %s', (_what, loop) => {
    const body = loop.endsWith(';') ? ' sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS[i])); }' : ' sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PORTS[i]));';
    const result = readText(`${header}const count = () => 2;\n${loop}${body}\n`);
    // Read once, the rule's port unknown: one rule on no known port, its unknown (FW303) on it.
    expect(target(result, 'S/Sg').rules.map(brief)).toEqual(['in allow tcp  0.0.0.0/0']);
    expect(target(result, 'S/Sg').rules[0]!.unknowns.map((unknown) => unknown.expr)).toEqual(['PORTS[i]']);
    expect(target(result, 'S/Sg').unknowns).toBeUndefined();
  });
});

/**
 * A TCP/UDP port that cannot be read keeps the rule with no ports and the unknown on it, as the CloudFormation reader
 * keeps one (FW101 judges it on every port it could be). Since QA s12 so does a port whose protocol is unknown too
 * (its protocol unknown: FW101 judges it on every protocol), and an unknown ICMP type (it admits nothing, FW303 only);
 * both used to leave the rule out.
 */
describe('unresolved ports', () => {
  const read = (lines: string): ReturnType<typeof readText> => readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
${lines}
`);
  const ruleUnknowns = (result: ReturnType<typeof readText>, id: string): string[] => target(result, id).rules.map((each) => `${brief(each)} | ${each.unknowns.map((unknown) => `${unknown.field}=${unknown.expr}`).join(' ')}`);

  it('keeps an L2 rule whose TCP or UDP port is unknown, told apart by the expression, and a Port construct of a known protocol', () => {
    const result = read(`sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.a));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.a));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.b));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.udpRange(1000, props.c));
sg.addIngressRule(ec2.Peer.anyIpv4(), new ec2.Port({ protocol: ec2.Protocol.TCP, fromPort: props.d, toPort: props.d, stringRepresentation: 'd' }));`);
    expect(result.diagnostics).toEqual([]);
    // The second call adds the same rule as the first, which CDK skips.
    expect(ruleUnknowns(result, 'Sg')).toEqual([
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[0].port=props.a',
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[2].port=props.b',
      'in allow udp  0.0.0.0/0 | Sg.addIngressRule[3].port=props.c',
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[4].port=props.d',
    ]);
    expect(target(result, 'Sg').unknowns).toBeUndefined();
  });

  it('tells apart rules whose unknown ports differ only in a bound after the first unknown one, as CDK does', () => {
    const result = read(`sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(props.port, props.port + 10));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(props.port, 9000));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.port));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(props.port, props.port));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(80, props.top));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(81, props.top));
sg.addIngressRule(ec2.Peer.anyIpv4(), new ec2.Port({ protocol: ec2.Protocol.TCP, fromPort: props.port, toPort: 9000, stringRepresentation: 'p' }));`);
    expect(result.diagnostics).toEqual([]);
    // tcpRange(p, p) opens what tcp(p) opens: one rule, as with known ports; the Port construct's range is the second
    // call's.
    expect(ruleUnknowns(result, 'Sg')).toEqual([
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[0].port=props.port',
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[1].port=props.port',
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[2].port=props.port',
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[4].port=props.top',
      'in allow tcp  0.0.0.0/0 | Sg.addIngressRule[5].port=props.top',
    ]);
  });

  it('keeps a rule whose Port is unknown as a whole (protocol unknown) or whose ICMP type is unknown (no ports)', () => {
    const result = read(`sg.addIngressRule(ec2.Peer.anyIpv4(), props.port);
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.icmpType(props.type));
sg.addIngressRule(ec2.Peer.anyIpv4(), new ec2.Port({ protocol: props.protocol, fromPort: 22, toPort: 22, stringRepresentation: 'p' }));
sg.addIngressRule(ec2.Peer.anyIpv4(), new ec2.Port({ protocol: ec2.Protocol.ICMP, fromPort: props.type, toPort: -1, stringRepresentation: 'i' }));`);
    expect(result.diagnostics).toEqual([]);
    expect(ruleUnknowns(result, 'Sg')).toEqual([
      'in allow <unresolved protocol: props.port>  0.0.0.0/0 | Sg.addIngressRule[0].port=props.port',
      'in allow icmp  0.0.0.0/0 | Sg.addIngressRule[1].port=props.type',
      'in allow <unresolved protocol: props.protocol>  0.0.0.0/0 | Sg.addIngressRule[2].port=props.protocol',
      'in allow icmp  0.0.0.0/0 | Sg.addIngressRule[3].port=props.type',
    ]);
    expect(target(result, 'Sg').unknowns).toBeUndefined();
  });

  it('keeps a Pulumi rule whose protocol is unknown, with its ports, and one whose ICMP type is unknown, with none', () => {
    const result = readText(`import * as aws from '@pulumi/aws';
new aws.ec2.SecurityGroup('app', { ingress: [
  { protocol: cfg.protocol, fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] },
  { protocol: cfg.protocol, fromPort: -1, toPort: -1, cidrBlocks: ['0.0.0.0/0'] },
  { protocol: cfg.protocol, fromPort: cfg.port, toPort: cfg.port, cidrBlocks: ['0.0.0.0/0'] },
  { protocol: 'icmp', fromPort: cfg.type, toPort: -1, cidrBlocks: ['0.0.0.0/0'] },
] });
`);
    expect(result.diagnostics).toEqual([]);
    expect(ruleUnknowns(result, 'app')).toEqual([
      'in allow <unresolved protocol: cfg.protocol> 22 0.0.0.0/0 | app.ingress[0].protocol=cfg.protocol',
      'in allow <unresolved protocol: cfg.protocol> 0-65535 0.0.0.0/0 | app.ingress[1].protocol=cfg.protocol',
      'in allow <unresolved protocol: cfg.protocol>  0.0.0.0/0 | app.ingress[2].protocol=cfg.protocol app.ingress[2].fromPort=cfg.port app.ingress[2].toPort=cfg.port',
      'in allow icmp  0.0.0.0/0 | app.ingress[3].fromPort=cfg.type',
    ]);
    expect(target(result, 'app').unknowns).toBeUndefined();
  });

  it('keeps a network ACL entry whose port range is unknown, each bound named as a port', () => {
    const result = read(`const acl = new ec2.CfnNetworkAcl(scope, 'Acl', { vpcId: 'vpc-1' });
new ec2.CfnNetworkAclEntry(scope, 'App', { networkAclId: acl.ref, ruleNumber: 100, protocol: 6, ruleAction: 'allow', cidrBlock: '0.0.0.0/0', portRange: { from: props.port, to: props.port } });`);
    expect(result.diagnostics).toEqual([]);
    expect(ruleUnknowns(result, 'Acl')).toEqual(['in allow tcp  0.0.0.0/0 #100 | App.portRange.from=props.port App.portRange.to=props.port']);
  });

  // Regression: an ACL entry whose protocol was unresolved was left out (FW303 only), where Terraform and
  // CloudFormation keep it with its protocol unknown, so FW101 judges it on every protocol it could be.
  it('keeps network ACL entries whose protocol or traffic is unknown, with the port range written', () => {
    const result = read(`const acl = new ec2.NetworkAcl(scope, 'Acl', { vpc });
new ec2.CfnNetworkAclEntry(scope, 'L1', { networkAclId: acl.networkAclId, ruleNumber: 100, protocol: props.protocol, ruleAction: 'allow', cidrBlock: '0.0.0.0/0', portRange: { from: 22, to: 22 } });
new ec2.CfnNetworkAclEntry(scope, 'NoRange', { networkAclId: acl.networkAclId, ruleNumber: 105, protocol: props.protocol, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' });
new ec2.CfnNetworkAclEntry(scope, 'Both', { networkAclId: acl.networkAclId, ruleNumber: 107, protocol: props.protocol, ruleAction: 'allow', cidrBlock: '0.0.0.0/0', portRange: { from: props.port, to: 22 } });
new ec2.NetworkAclEntry(scope, 'L2', { networkAcl: acl, ruleNumber: 110, cidr: ec2.AclCidr.anyIpv4(), traffic: props.traffic });
acl.addEntry('Deny', { ruleNumber: 120, cidr: ec2.AclCidr.anyIpv4(), traffic: props.traffic, ruleAction: ec2.Action.DENY, direction: ec2.TrafficDirection.EGRESS });`);
    expect(result.diagnostics).toEqual([]);
    expect(ruleUnknowns(result, 'Acl')).toEqual([
      'in allow <unresolved protocol: props.protocol> 22 0.0.0.0/0 #100 | L1.protocol=props.protocol',
      'in allow <unresolved protocol: props.protocol> 0-65535 0.0.0.0/0 #105 | NoRange.protocol=props.protocol',
      'in allow <unresolved protocol: props.protocol>  0.0.0.0/0 #107 | Both.protocol=props.protocol Both.portRange.from=props.port',
      'in allow <unresolved protocol: props.traffic> 0-65535 0.0.0.0/0 #110 | L2.traffic=props.traffic',
      'out deny <unresolved protocol: props.traffic> 0-65535 0.0.0.0/0 #120 | Acl/Deny.traffic=props.traffic',
    ]);
    expect(target(result, 'Acl').unknowns).toBeUndefined();
  });

  it('keeps Pulumi NetworkAclRule and inline NetworkAcl entries whose protocol is unknown, with their ports', () => {
    const result = readText(`import * as aws from '@pulumi/aws';
const acl = new aws.ec2.NetworkAcl('acl', { vpcId: 'vpc-1', ingress: [{ ruleNo: 90, action: 'allow', protocol: cfg.require('inProto'), cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 }] });
new aws.ec2.NetworkAclRule('ssh', { networkAclId: acl.id, ruleNumber: 100, egress: false, protocol: cfg.require('proto'), ruleAction: 'allow', cidrBlock: '0.0.0.0/0', fromPort: 22, toPort: 22 });
new aws.ec2.NetworkAclRule('any', { networkAclId: acl.id, ruleNumber: 110, egress: false, protocol: cfg.require('proto'), ruleAction: 'allow', cidrBlock: '0.0.0.0/0', fromPort: cfg.port, toPort: cfg.port });
`);
    expect(result.diagnostics).toEqual([]);
    expect(ruleUnknowns(result, 'acl')).toEqual([
      "in allow <unresolved protocol: cfg.require('inProto')> 0 0.0.0.0/0 #90 | acl.ingress[0].protocol=cfg.require('inProto')",
      "in allow <unresolved protocol: cfg.require('proto')> 22 0.0.0.0/0 #100 | ssh.protocol=cfg.require('proto')",
      "in allow <unresolved protocol: cfg.require('proto')>  0.0.0.0/0 #110 | any.protocol=cfg.require('proto') any.fromPort=cfg.port any.toPort=cfg.port",
    ]);
    expect(target(result, 'acl').unknowns).toBeUndefined();
  });

  it('keeps a Pulumi rule whose fromPort and toPort are unknown', () => {
    const result = readText(`import * as aws from '@pulumi/aws';
new aws.ec2.SecurityGroup('app', { ingress: [{ protocol: 'tcp', fromPort: cfg.port, toPort: cfg.port, cidrBlocks: ['0.0.0.0/0'] }] });
`);
    expect(result.diagnostics).toEqual([]);
    expect(ruleUnknowns(result, 'app')).toEqual(['in allow tcp  0.0.0.0/0 | app.ingress[0].fromPort=cfg.port app.ingress[0].toPort=cfg.port']);
  });
});
