import { join } from 'node:path';
import type { ParseResult, SourceFile } from '../../../src/model/source-file';
import { cdkParser } from '../../../src/parsers/cdk';
import { cdkUnitGroups, isModuleSource } from '../../../src/parsers/cdk/module-sources';
import { scanFixture } from '../../helpers/scan-fixture';
import { brief, REPO_ROOT, target } from './read-fixture';

/**
 * CommonJS modules (`require`, `module.exports`, `exports.X`) are followed as ES imports and exports are: the same
 * three levels, read statically, never loaded. Before, `const { SSH } = require('./net')` left the port unresolved
 * (FW303) and `module.exports = { WebStack }` kept the stack's stand-in name.
 */
const file = (path: string, text: string, moduleOnly = false): SourceFile => ({
  path, absolutePath: join(REPO_ROOT, path), text, encoding: 'utf-8', ...(moduleOnly ? { moduleOnly: true as const } : {}),
});

/** The stack file read with the given modules beside it, as the pipeline hands a unit over. */
function readWith(stack: string, modules: Record<string, string>): ParseResult {
  return cdkParser.parse([file('lib/stack.js', `const ec2 = require('aws-cdk-lib/aws-ec2');
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
${stack}
`), ...Object.entries(modules).map(([path, text]) => file(path, text, true))], { vars: {}, varFiles: [], params: {} });
}
const rules = (result: ParseResult): string[] => target(result, 'Sg').rules.map(brief);

describe('CommonJS imports and exports in CDK source', () => {
  it('reads require() as a whole, destructured, or one member, of module.exports objects and exports.X assignments', () => {
    const result = readWith(`const { ANYWHERE, SSH: ssh } = require('./net');
const net = require('./net');
const RDP = require('./ports').RDP;
const ports = require('./ports');
sg.addIngressRule(ec2.Peer.ipv4(ANYWHERE), ec2.Port.tcp(ssh));
sg.addIngressRule(ec2.Peer.ipv4(net.OFFICE), ec2.Port.tcp(RDP));
sg.addIngressRule(ec2.Peer.ipv4(net.OFFICE), ec2.Port.tcp(ports.POSTGRES));
function later() { return require('./net').ANYWHERE; }
sg.addIngressRule(ec2.Peer.ipv4(later()), ec2.Port.tcp(require('./ports').RDP));`, {
      'lib/net.js': "const ANYWHERE = '0.0.0.0/0';\nmodule.exports = { ANYWHERE, OFFICE: '198.51.100.0/24', SSH: 22 };\n",
      'lib/ports.js': 'exports.RDP = 3389;\nmodule.exports.POSTGRES = 5432;\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(rules(result)).toEqual([
      'in allow tcp 22 0.0.0.0/0',
      'in allow tcp 3389 198.51.100.0/24',
      'in allow tcp 5432 198.51.100.0/24',
      'in allow tcp 3389 0.0.0.0/0',
    ]);
    // Located where the name is used in the stack's file.
    expect(target(result, 'Sg').rules[0]!.peerLocation).toEqual({ file: 'lib/stack.js', range: { startLine: 7, startColumn: 19, endLine: 7, endColumn: 42 } });
  });

  it('follows Node: module.exports replaces what exports.X added before, exports.X after it is lost, a value as a whole', () => {
    const result = readWith(`const { LOST, KEPT, ADDED, LATE } = require('./net');
const cidr = require('./cidr');
import port = require('./port');
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port));
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(KEPT));
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(ADDED));
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(LOST));
sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(LATE));`, {
      'lib/net.js': 'exports.LOST = 1;\nmodule.exports = { KEPT: 2 };\nmodule.exports.ADDED = 3;\nexports.LATE = 4;\n',
      'lib/cidr.js': "module.exports = '203.0.113.0/24';\n",
      'lib/port.ts': 'export = 8443;\n',
    });
    expect(rules(result)).toEqual([
      'in allow tcp 8443 203.0.113.0/24',
      'in allow tcp 2 203.0.113.0/24',
      'in allow tcp 3 203.0.113.0/24',
      'in allow tcp  203.0.113.0/24',
      'in allow tcp  203.0.113.0/24',
    ]);
    expect(target(result, 'Sg').rules.slice(3).map((rule) => rule.unknowns.map((unknown) => unknown.expr))).toEqual([["LOST from './net'"], ["LATE from './net'"]]);
  });

  it('keeps the limits of ES imports: three modules deep, a reassigned binding stays unknown, nothing is loaded', () => {
    const result = readWith(`const { A, B } = require('./a');
let { C } = require('./a');
C = process.env.C;
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(A));
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(B));
sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/8'), ec2.Port.tcp(C));`, {
      'lib/a.js': "const b = require('./b');\nmodule.exports = { A: b.B1, B: b.DEEP, C: 3 };\n",
      'lib/b.js': "const { C1, DEEP } = require('./c');\nmodule.exports = { B1: C1, DEEP };\n",
      'lib/c.js': "module.exports = { C1: 100, DEEP: require('./d').D };\n",
      'lib/d.js': 'module.exports = { D: 9000 };\n',
    });
    expect(rules(result)).toEqual(['in allow tcp 100 10.0.0.0/8', 'in allow tcp  10.0.0.0/8', 'in allow tcp  10.0.0.0/8']);
  });

  it('an export written again where the order is not known (if, function, loop, Object.assign) is unknown, never its first value', () => {
    const result = readWith(`const { A, B, D, E, KEPT } = require('./net');
const whole = require('./whole');
const assigned = require('./assigned');
sg.addIngressRule(ec2.Peer.ipv4(A), ec2.Port.tcp(3389));
sg.addIngressRule(ec2.Peer.ipv4(B), ec2.Port.tcp(22));
sg.addIngressRule(ec2.Peer.ipv4(D), ec2.Port.tcp(23));
sg.addIngressRule(ec2.Peer.ipv4(KEPT), ec2.Port.tcp(24));
sg.addIngressRule(ec2.Peer.ipv4(whole.WORLD), ec2.Port.tcp(25));
sg.addIngressRule(ec2.Peer.ipv4(assigned.E), ec2.Port.tcp(5985));
sg.addIngressRule(ec2.Peer.ipv4(E), ec2.Port.tcp(5986));`, {
      'lib/net.js': `exports.A = '10.0.0.0/8';
if (process.env.OPEN) exports.A = '0.0.0.0/0';
exports.B = '10.0.0.0/8';
function widen() { exports.B = '0.0.0.0/0'; }
widen();
exports.D = '10.0.0.0/8';
for (const x of [1]) { module.exports['D'] += ''; }
exports.KEPT = '10.0.0.0/8';
if (exports.KEPT) console.log(exports.KEPT);
exports.E = '10.0.0.0/8';
`,
      'lib/whole.js': "module.exports = { WORLD: '10.0.0.0/8' };\nif (process.env.OPEN) module.exports.WORLD = '0.0.0.0/0';\n",
      'lib/assigned.js': "module.exports.E = '10.0.0.0/8';\nObject.assign(module.exports, { E: '0.0.0.0/0' });\n",
    });
    // Only KEPT, whose later uses are reads, keeps its value.
    expect(rules(result)).toEqual([
      "in allow tcp 3389 unresolved A from './net'",
      "in allow tcp 22 unresolved B from './net'",
      "in allow tcp 23 unresolved D from './net'",
      'in allow tcp 24 10.0.0.0/8',
      'in allow tcp 25 unresolved WORLD',
      'in allow tcp 5985 unresolved E',
      'in allow tcp 5986 10.0.0.0/8',
    ]);
  });

  it('a package required (not a construct library) is unknown as its ES import is, FW303 naming the package', () => {
    const result = readWith(`const other = require('some-pkg');
const { CIDR2 } = require('some-pkg');
const PORT = require('@acme/ports').SSH;
sg.addIngressRule(ec2.Peer.ipv4(other.CIDR), ec2.Port.tcp(22));
sg.addIngressRule(ec2.Peer.ipv4(CIDR2), ec2.Port.tcp(PORT));`, {});
    expect(target(result, 'Sg').rules.flatMap((rule) => rule.unknowns.map((unknown) => unknown.expr)).sort()).toEqual([
      "CIDR2 from 'some-pkg'", "PORT (SSH from '@acme/ports')", "other.CIDR from 'some-pkg'",
    ]);
  });

  it('a member the module read does not export is shown with the module, required or imported as a namespace', () => {
    const result = cdkParser.parse([file('lib/stack.ts', `import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as esm from './net';
const cjs = require('./net');
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.ipv4(esm.MISSING), ec2.Port.tcp(esm.SSH));
sg.addIngressRule(ec2.Peer.ipv4(cjs.MISSING), ec2.Port.tcp(cjs.SSH));
`), file('lib/net.ts', 'export const SSH = 22;\n', true)], { vars: {}, varFiles: [], params: {} });
    expect(rules(result)).toEqual(["in allow tcp 22 unresolved esm.MISSING from './net'", "in allow tcp 22 unresolved cjs.MISSING from './net'"]);
  });

  it('carries required modules in the parse unit, and a module.exports file is a module source', () => {
    const stack = file('lib/stack.js', "const cdk = require('aws-cdk-lib');\nconst { X } = require('./net');\n");
    const net = file('lib/net.js', "exports.X = require( './more' ).Y;\n");
    const more = file('lib/more.js', 'module.exports = { Y: 1 };\n');
    expect([net, more].map((each) => isModuleSource(each.path, each.text))).toEqual([true, true]);
    expect(isModuleSource('lib/plain.js', 'const exportsCount = 1;\n')).toBe(false);
    expect(cdkUnitGroups([stack], [net, more]).map((group) => group.map((each) => each.path))).toEqual([['lib/stack.js', 'lib/net.js', 'lib/more.js']]);
  });
});

describe('the cdk init JavaScript layout (fixtures/cdk/commonjs)', () => {
  it('names the stack by bin/app.js\'s instance and resolves the values of the required modules', () => {
    const result = scanFixture('cdk/commonjs');
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((each) => each.id)).toEqual(['WebStack-prod/WebSg']);
    expect(result.targets[0]!.rules.map(brief)).toEqual(['in allow tcp 22 0.0.0.0/0', 'in allow tcp 5432 198.51.100.0/24', 'in allow tcp 3389 0.0.0.0/0']);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.location.file}:${finding.location.range.startLine}`)).toEqual([
      'FW101 WebStack-prod/WebSg fixtures/cdk/commonjs/lib/web-stack.js:13',
      'FW101 WebStack-prod/WebSg fixtures/cdk/commonjs/lib/web-stack.js:15',
    ]);
  });

  it('links a class exported as module.exports itself, or through a namespace binding', () => {
    const stack = (name: string, exported: string): SourceFile => file(`lib/${name}.js`, `const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
class ${name} extends cdk.Stack {
  constructor(scope, id) {
    super(scope, id);
    new ec2.SecurityGroup(this, 'Sg', { vpc });
  }
}
${exported}
`);
    const app = file('bin/app.js', `const cdk = require('aws-cdk-lib');
const Whole = require('../lib/Whole');
const named = require('../lib/Named');
const app = new cdk.App();
new Whole(app, 'W1');
new named.Named(app, 'N1');
`);
    const { linkConstructPaths } = require('../../../src/parsers/cdk/link') as typeof import('../../../src/parsers/cdk/link');
    const result = cdkParser.parse([app, stack('Whole', 'module.exports = Whole;'), stack('Named', 'exports.Named = Named;')], { vars: {}, varFiles: [], params: {} });
    expect(linkConstructPaths(result.targets, result.constructLinks!).map((each) => each.id).sort()).toEqual(['N1/Sg', 'W1/Sg']);
  });

  it('links a class expression exported in place: module.exports = class X …, exports.X = class …, module.exports = { X: class … }', () => {
    const stack = (name: string, exported: string): SourceFile => file(`lib/${name}.js`, `const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
${exported} extends cdk.Stack {
  constructor(scope, id) {
    super(scope, id);
    new ec2.SecurityGroup(this, 'Sg', { vpc });
  }
}${exported.startsWith('module.exports = {') ? ' }' : ''};
`);
    const app = file('bin/app.js', `const cdk = require('aws-cdk-lib');
const WebStack = require('../lib/Web');
const { DbStack } = require('../lib/Db');
const { CacheStack } = require('../lib/Cache');
const app = new cdk.App();
new WebStack(app, 'Web-prod');
new DbStack(app, 'Db-prod');
new DbStack(app, 'Db-dev');
new CacheStack(app, 'Cache-prod');
`);
    const { linkConstructPaths } = require('../../../src/parsers/cdk/link') as typeof import('../../../src/parsers/cdk/link');
    const result = cdkParser.parse([
      app, stack('Web', 'module.exports = class WebStack'), stack('Db', 'exports.DbStack = class'), stack('Cache', 'module.exports = { CacheStack: class'),
    ], { vars: {}, varFiles: [], params: {} });
    expect(linkConstructPaths(result.targets, result.constructLinks!).map((each) => each.id).sort()).toEqual(['Cache-prod/Sg', 'Db-dev/Sg', 'Db-prod/Sg', 'Web-prod/Sg']);
  });
});
