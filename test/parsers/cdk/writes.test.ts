import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';
import { brief, readFixture, readText, target } from './read-fixture';

/** Values written after they are made, and code that may not run (issue 9, gaps 1, 2 and 10). */
describe('writes to arrays and objects', () => {
  const result = readFixture('writes.ts');
  const sg = target(result, 'Writes/Sg');

  it('applies a certain write, makes every other write unknown, and follows a certain early return', () => {
    expect(result.diagnostics).toEqual([]);
    expect(sg.rules.map(brief)).toEqual([
      'in allow tcp 22 0.0.0.0/0',
      'in allow tcp 23 unresolved cfg.cidr',
      'in allow tcp 3389 unresolved defaults.cidr',
      'in allow tcp 5901 unresolved spliced[0]',
      'in allow tcp 24 0.0.0.0/0',
      'in allow tcp 3390 0.0.0.0/0',
    ]);
    // The unresolved peers are recorded (FW303), and `allowAllOutbound: open` is an unknown, not a default rule.
    expect(sg.rules.flatMap((rule) => rule.unknowns.map((unknown) => unknown.expr))).toEqual(['cfg.cidr', 'defaults.cidr', 'spliced[0]']);
    expect(sg.unknowns?.map((unknown) => `${unknown.field} = ${unknown.expr}`)).toEqual(['allowAllOutbound = open']);
  });

  it('notes the condition a rule is added under', () => {
    expect(sg.rules.map((rule) => rule.branch)).toEqual([undefined, undefined, undefined, undefined, 'allow', 'open']);
  });

  const cases: [string, string, string][] = [
    ['an index write under a condition', "const c = ['10.0.0.0/8']; if (process.env.X) c[0] = '0.0.0.0/0';", 'c[0]'],
    ['an index write past the end', "const c = ['10.0.0.0/8']; c[5] = '0.0.0.0/0';", 'c[0]'],
    ['a length write', "const c = ['10.0.0.0/8']; c.length = 0;", 'c[0]'],
    ['a write with an unknown key', "const o = { cidr: '10.0.0.0/8' }; o[process.env.K as string] = '0.0.0.0/0';", 'o.cidr'],
    ['a write in an else branch', "const o = { cidr: '10.0.0.0/8' }; if (process.env.X) {} else { o.cidr = '0.0.0.0/0'; }", 'o.cidr'],
    ['a write in a loop body', "const o = { cidr: '10.0.0.0/8' }; while (process.env.X) { o.cidr = '0.0.0.0/0'; }", 'o.cidr'],
    ['a write in a catch', "const o = { cidr: '10.0.0.0/8' }; try { f(); } catch { o.cidr = '0.0.0.0/0'; }", 'o.cidr'],
    ['a write in a switch case', "const o = { cidr: '10.0.0.0/8' }; switch (process.env.S) { case 'a': o.cidr = '0.0.0.0/0'; break; }", 'o.cidr'],
    ['a write on the right of &&', "const o = { cidr: '10.0.0.0/8' }; process.env.X && (o.cidr = '0.0.0.0/0');", 'o.cidr'],
    ['a compound assignment', "const o = { cidr: '10.0.0.0/' }; o.cidr += '8';", 'o.cidr'],
    ['a delete under a condition', "const o = { cidr: '10.0.0.0/8' }; if (process.env.X) delete o.cidr;", 'o.cidr'],
    ['an object passed to an unknown function', "const o = { cidr: '10.0.0.0/8' }; tweak(o);", 'o.cidr'],
    ['a nested object passed to an unknown method', "const o = { net: { cidr: '10.0.0.0/8' } }; helpers.tweak(o);", 'o.net.cidr'],
    ['an array passed to an unknown constructor', "const c = ['10.0.0.0/8']; new Tweaker(c);", 'c[0]'],
    ['Object.assign', "const o = { cidr: '10.0.0.0/8' }; Object.assign(o, loaded);", 'o.cidr'],
    ['a pop', "const c = ['10.0.0.0/8', '10.1.0.0/16']; c.pop();", 'c[0]'],
    ['a sort', "const c = ['10.1.0.0/16', '10.0.0.0/8']; c.sort();", 'c[0]'],
    ['a declare const', 'declare const c: string;', 'c'],
    ['a declare let', 'declare let c: string;', 'c'],
    ['a write in a callback handed to unknown code', "const o = { cidr: '10.0.0.0/8' }; tweak(() => { o.cidr = '0.0.0.0/0'; });", 'o.cidr'],
    ['a write after a possible return', "const o = { cidr: '10.0.0.0/8' }; function f(x: boolean) { if (x) return; o.cidr = '0.0.0.0/0'; } f(process.env.X === '1');", 'o.cidr'],
  ];
  it.each(cases)('%s makes the value unknown (FW303), never the old content', (_what, declarations, expr) => {
    const text = `import * as ec2 from 'aws-cdk-lib/aws-ec2';
${declarations}
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.ipv4(${expr}), ec2.Port.tcp(22));
`;
    const read = readText(text);
    expect(read.diagnostics).toEqual([]);
    const rules = target(read, 'Sg').rules;
    expect(rules.map(brief)).toEqual([`in allow tcp 22 unresolved ${expr}`]);
    expect(rules[0]!.unknowns.map((unknown) => unknown.expr)).toEqual([expr]);
  });

  it.each([
    ['a certain object write', "const o = { cidr: '10.0.0.0/8' }; o.cidr = '0.0.0.0/0';", 'o.cidr', '0.0.0.0/0'],
    ['a certain index write', "const c = ['10.0.0.0/8']; c[0] = '0.0.0.0/0';", 'c[0]', '0.0.0.0/0'],
    ['a write to an object made in the same branch', "if (process.env.X) { const o = { cidr: '10.0.0.0/8' }; o.cidr = '0.0.0.0/0'; sg.addIngressRule(ec2.Peer.ipv4(o.cidr), ec2.Port.tcp(22)); }", '', '0.0.0.0/0'],
    ['a helper writing its argument, called', "const o = { cidr: '10.0.0.0/8' }; function open(p: { cidr: string }) { p.cidr = '0.0.0.0/0'; } open(o);", 'o.cidr', '0.0.0.0/0'],
    ['an object passed to a pure global', "const o = { cidr: '10.0.0.0/8' }; console.log(JSON.stringify(o)); Object.keys(o);", 'o.cidr', '10.0.0.0/8'],
    ['the sources of Object.assign', "const o = { cidr: '10.0.0.0/8' }; const merged = Object.assign({}, o);", 'o.cidr', '10.0.0.0/8'],
    ['a switch on a known value', "const o = { cidr: '10.0.0.0/8' }; const s = 'a'; switch (s) { case 'a': o.cidr = '0.0.0.0/0'; break; case 'b': o.cidr = '10.1.0.0/16'; }", 'o.cidr', '0.0.0.0/0'],
  ])('applies %s', (what, declarations, expr, expected) => {
    const branch = what.startsWith('a write to an object made');
    const read = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
${declarations}
${branch ? '' : `sg.addIngressRule(ec2.Peer.ipv4(${expr}), ec2.Port.tcp(22));`}
`);
    expect(read.diagnostics).toEqual([]);
    expect(target(read, 'Sg').rules.map(brief)).toEqual([`in allow tcp 22 ${expected}`]);
  });
});

describe('code that may not run', () => {
  it('skips the code after a return that surely runs, and notes the condition of one that may', () => {
    const read = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
function add(port: number, open: boolean) {
  if (!open) return;
  sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port));
}
add(23, false);
add(24, true);
add(25, process.env.OPEN === '1');
function both(x: boolean) {
  if (x) { return; } else { return; }
  sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(26));
}
both(process.env.X === '1');
`);
    expect(target(read, 'Sg').rules.map((rule) => `${brief(rule)} ${rule.branch ?? ''}`)).toEqual([
      'in allow tcp 24 0.0.0.0/0 ',
      'in allow tcp 25 0.0.0.0/0 open',
    ]);
  });

  it('notes undecidable if, else, ternary, && and switch conditions on the rules they add', () => {
    const read = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
if (process.env.STAGE === 'dev') sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh');
else sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(23));
process.env.OPEN && sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(24));
switch (process.env.S) { case 'x': sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(25)); }
`);
    expect(target(read, 'Sg').rules.map((rule) => [rule.description, rule.branch])).toEqual([
      ['ssh', "process.env.STAGE === 'dev'"],
      [undefined, "!(process.env.STAGE === 'dev')"],
      [undefined, 'process.env.OPEN'],
      [undefined, "process.env.S === 'x'"],
    ]);
  });

  // Regression: `c ? a : b` as an argument made the rule's peer unknown (FW303), so a world-open side went unreported.
  it('reads a rule method given `c ? a : b` once per side, each under its condition, at the call\'s one address', () => {
    const read = readText(`import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(isPublic ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(22), 'ssh');
const port = legacy ? ec2.Port.tcp(8080) : ec2.Port.tcp(443);
sg.addIngressRule(ec2.Peer.ipv4(wide ? '0.0.0.0/0' : '10.1.0.0/16'), port);
sg.addIngressRule(ec2.Peer.ipv4('10.2.0.0/16'), ec2.Port.tcp(5432));
`);
    expect(read.diagnostics).toEqual([]);
    expect(target(read, 'Sg').rules.map((rule) => `${rule.resourceAddress} ${brief(rule)} | ${rule.branch ?? '-'}`)).toEqual([
      'Sg.addIngressRule[0] in allow tcp 22 0.0.0.0/0 | isPublic',
      'Sg.addIngressRule[0] in allow tcp 22 10.0.0.0/8 | !isPublic',
      'Sg.addIngressRule[1] in allow tcp 8080 0.0.0.0/0 | wide and legacy',
      'Sg.addIngressRule[1] in allow tcp 443 0.0.0.0/0 | wide and !legacy',
      'Sg.addIngressRule[1] in allow tcp 8080 10.1.0.0/16 | !wide and legacy',
      'Sg.addIngressRule[1] in allow tcp 443 10.1.0.0/16 | !wide and !legacy',
      // The next call keeps its own number.
      'Sg.addIngressRule[2] in allow tcp 5432 10.2.0.0/16 | -',
    ]);
  });

  it('says in every finding on such a rule which condition it is under, as for a CloudFormation branch', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-cdk-branch-'));
    try {
      fs.writeFileSync(path.join(directory, 'stack.ts'), `import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
if (process.env.OPEN) sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh');
`);
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23', workers: 1 });
      const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
      expect(fw101.map((finding) => [finding.message, finding.properties.branch])).toEqual([
        ['Sg allows ingress from 0.0.0.0/0 on tcp/22 (when process.env.OPEN)', 'process.env.OPEN'],
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
