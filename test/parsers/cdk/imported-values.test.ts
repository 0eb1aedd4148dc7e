import { join } from 'node:path';
import type { ParseResult, SourceFile } from '../../../src/model/source-file';
import { cdkParser } from '../../../src/parsers/cdk';
import { cdkUnitGroups } from '../../../src/parsers/cdk/module-sources';
import { scanFiles } from '../../helpers/scan-fixture';
import { brief, REPO_ROOT, target } from './read-fixture';

/**
 * Regression (QA 5/11): `import { ANYWHERE, SSH } from './net'` with `net.ts` a plain TypeScript module of constants
 * left the peer and port unresolved (two FW303 notes, exit 0), so an SSH port open to the world passed the gate.
 */
const file = (path: string, text: string, moduleOnly = false): SourceFile => ({
  path, absolutePath: join(REPO_ROOT, path), text, encoding: 'utf-8', ...(moduleOnly ? { moduleOnly: true as const } : {}),
});

/** The stack file read with the given modules beside it, as the pipeline hands a unit over. */
function readWith(stack: string, modules: Record<string, string>): ParseResult {
  return cdkParser.parse([file('lib/stack.ts', `import * as ec2 from 'aws-cdk-lib/aws-ec2';
const sg = new ec2.SecurityGroup(scope, 'Sg', { vpc, allowAllOutbound: false });
${stack}
`), ...Object.entries(modules).map(([path, text]) => file(path, text, true))], { vars: {}, varFiles: [], params: {} });
}

const rules = (result: ParseResult): string[] => target(result, 'Sg').rules.map((rule) => `${brief(rule)}${rule.branch ? ` when ${rule.branch}` : ''}`);

describe('values imported from other files of the scan', () => {
  it('reads exported consts: strings, numbers, lists, objects, templates over other imports, enums', () => {
    const result = readWith(`import { ANYWHERE, SSH, PORTS, NETS, OFFICE, Port } from './net';
sg.addIngressRule(ec2.Peer.ipv4(ANYWHERE), ec2.Port.tcp(SSH));
for (const port of PORTS) sg.addIngressRule(ec2.Peer.ipv4(NETS.admin), ec2.Port.tcp(port));
sg.addIngressRule(ec2.Peer.ipv4(OFFICE), ec2.Port.tcp(Port.HTTPS));`, {
      'lib/net.ts': `import { BASE } from './config/base';
export const ANYWHERE = '0.0.0.0/0';
export const SSH = 22;
export const PORTS = [3389, 5432] as const;
export const NETS = { admin: '198.51.100.0/24' };
export const OFFICE = \`\${BASE}.0.0/16\`;
export enum Port { HTTP = 80, HTTPS = 443 }
`,
      'lib/config/base.ts': "export const BASE = '10.9';\n",
    });
    expect(result.diagnostics).toEqual([]);
    expect(rules(result)).toEqual([
      'in allow tcp 22 0.0.0.0/0',
      'in allow tcp 3389 198.51.100.0/24',
      'in allow tcp 5432 198.51.100.0/24',
      'in allow tcp 443 10.9.0.0/16',
    ]);
    // Located where the name is used in the stack's file, not at offsets of the module's.
    const ssh = target(result, 'Sg').rules[0]!;
    expect(ssh.peerLocation).toEqual({ file: 'lib/stack.ts', range: { startLine: 4, startColumn: 19, endLine: 4, endColumn: 42 } });
  });

  it('follows re-exports two levels deep, namespace and default imports, and keeps both sides of a fallback', () => {
    const result = readWith(`import FALLBACK, { POSTGRES, MORE, DEEP, DEEPER, FROM_ENV } from './net';
import * as net from './net';
sg.addIngressRule(ec2.Peer.ipv4(net.ANYWHERE), ec2.Port.tcp(POSTGRES));
sg.addIngressRule(ec2.Peer.ipv4(FALLBACK), ec2.Port.tcp(MORE));
sg.addIngressRule(ec2.Peer.ipv4(FALLBACK), ec2.Port.tcp(DEEP));
sg.addIngressRule(ec2.Peer.ipv4(FALLBACK), ec2.Port.tcp(DEEPER));
sg.addIngressRule(ec2.Peer.ipv4(FROM_ENV), ec2.Port.tcp(1000));`, {
      'lib/net.ts': `export const ANYWHERE = '0.0.0.0/0';
export { DB_PORT as POSTGRES } from './ports';
export * from './more';
export const FROM_ENV = process.env.CIDR ?? '0.0.0.0/0';
const office = '192.0.2.0/24';
export default office;
`,
      'lib/ports.ts': 'export const DB_PORT = 5432;\n',
      'lib/more.ts': "export * from './deep';\nexport const MORE = 8080;\n",
      'lib/deep.ts': "export * from './deeper';\nexport const DEEP = 9000;\n",
      'lib/deeper.ts': 'export const DEEPER = 9100;\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(rules(result)).toEqual([
      'in allow tcp 5432 0.0.0.0/0',
      'in allow tcp 8080 192.0.2.0/24',
      'in allow tcp 9000 192.0.2.0/24',
      // Three modules away from the stack's file: not followed.
      'in allow tcp  192.0.2.0/24',
      'in allow tcp 1000 0.0.0.0/0 when process.env.CIDR == null',
      'in allow tcp 1000 unresolved process.env.CIDR when !(process.env.CIDR == null)',
    ]);
  });

  it('leaves unknown, named after the import, what it cannot read: a missing or broken module, a function, a cycle, an unknown export', () => {
    const result = readWith(`import { X } from './broken';
import { Y } from './missing';
import { helper, OPAQUE, LOOP } from './net';
sg.addIngressRule(ec2.Peer.ipv4(X), ec2.Port.tcp(1));
sg.addIngressRule(ec2.Peer.ipv4(Y), ec2.Port.tcp(2));
sg.addIngressRule(ec2.Peer.ipv4(helper()), ec2.Port.tcp(3));
sg.addIngressRule(ec2.Peer.ipv4(OPAQUE), ec2.Port.tcp(4));
sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(LOOP));`, {
      'lib/broken.ts': 'export const X = ;\n',
      'lib/net.ts': `import { BACK } from './cycle';
export function helper() { return '0.0.0.0/0'; }
export const OPAQUE = process.env.OPAQUE;
export const LOOP = BACK;
export const FORTH = 1;
`,
      'lib/cycle.ts': "import { FORTH } from './net';\nexport const BACK = FORTH;\n",
    });
    // Nothing is reported about the modules themselves: they are not inputs of the call.
    expect(result.diagnostics).toEqual([]);
    expect(rules(result)).toEqual([
      // Named with the module it comes from.
      "in allow tcp 1 unresolved X from './broken'",
      "in allow tcp 2 unresolved Y from './missing'",
      'in allow tcp 3 unresolved helper()',
      "in allow tcp 4 unresolved OPAQUE from './net'",
      'in allow tcp  0.0.0.0/0',
    ]);
    expect(target(result, 'Sg').rules[4]!.unknowns.map((unknown) => unknown.expr)).toEqual(["LOOP from './net'"]);
  });

  it('names the module of an import it cannot read, through renames, namespaces, members and CommonJS', () => {
    const result = readWith(`import { SSH as S, NETS } from './net';
import * as net from './net';
const { admin } = NETS;
const { RDP } = require('./ports');
sg.addIngressRule(ec2.Peer.ipv4(net.OFFICE), ec2.Port.tcp(S));
sg.addIngressRule(ec2.Peer.ipv4(admin), ec2.Port.tcp(RDP));
sg.addIngressRule(ec2.Peer.ipv4(NETS.deep.cidr), ec2.Port.tcp(443));`, {});
    expect(target(result, 'Sg').rules.map((rule) => rule.unknowns.map((unknown) => unknown.expr))).toEqual([
      ["S (SSH from './net')", "net.OFFICE from './net'"],
      ["RDP from './ports'", "NETS.admin from './net'"],
      ["NETS.deep.cidr from './net'"],
    ]);
  });

  it('copies an exported object that holds itself once', () => {
    const result = readWith("import { NET } from './net';\nsg.addIngressRule(ec2.Peer.ipv4(NET.self.self.cidr), ec2.Port.tcp(22));", {
      'lib/net.ts': "export const NET: any = { cidr: '0.0.0.0/0' };\nNET.self = NET;\n",
    });
    expect(rules(result)).toEqual(['in allow tcp 22 0.0.0.0/0']);
  });

  it('reads no rules from a module read for its values, even one that is CDK code', () => {
    const result = readWith("import { CIDR } from './other-stack';\nsg.addIngressRule(ec2.Peer.ipv4(CIDR), ec2.Port.tcp(22));", {
      'lib/other-stack.ts': `import * as ec2 from 'aws-cdk-lib/aws-ec2';
export const CIDR = '10.0.0.0/8';
new ec2.SecurityGroup(scope, 'Other', { vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
`,
    });
    expect(result.targets.map((each) => each.id)).toEqual(['Sg']);
    expect(rules(result)).toEqual(['in allow tcp 22 10.0.0.0/8']);
  });
});

describe('CDK parse units', () => {
  it('carry the modules a file imports, transitively up to three deep, marked moduleOnly; TypeScript before compiled JavaScript', () => {
    const stack = file('lib/stack.ts', "import { A } from './a';\nimport * as cdk from 'aws-cdk-lib';\n");
    const other = file('lib/other.ts', "import * as cdk from 'aws-cdk-lib';\nexport const O = 1;\n");
    const sources = [
      file('lib/a.js', 'export const A = 0;\n'),
      file('lib/a.ts', "export * from './b';\nimport { O } from './other';\nexport const A = 1;\n"),
      file('lib/b.ts', "export * from './c';\n"),
      file('lib/c.ts', "export { D } from './d';\n"),
      file('lib/d.ts', 'export const D = 4;\n'),
      file('lib/types.ts', 'export interface T { a: string }\n'),
    ];
    const groups = cdkUnitGroups([stack, other], sources);
    expect(groups.map((group) => group.map((each) => `${each.path}${each.moduleOnly ? ' (module)' : ''}`))).toEqual([
      ['lib/stack.ts', 'lib/a.ts (module)', 'lib/b.ts (module)', 'lib/other.ts (module)', 'lib/c.ts (module)'],
      ['lib/other.ts'],
    ]);
  });
});

describe('imported values through the scan', () => {
  const stack = `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ANYWHERE, SSH } from './net';
const st = new cdk.Stack(new cdk.App(), 'Prod');
const sg = new ec2.SecurityGroup(st, 'Bastion', { vpc: ec2.Vpc.fromLookup(st, 'V', {}), allowAllOutbound: false });
sg.addIngressRule(ec2.Peer.ipv4(ANYWHERE), ec2.Port.tcp(SSH), 'ssh');
`;
  const files = {
    'lib/net.ts': "export const ANYWHERE = '0.0.0.0/0';\nexport const SSH = 22;\n",
    'lib/stack.ts': stack,
    // Other TypeScript of the folder, imported by no CDK file or unreadable: no targets, no messages.
    'lib/util.ts': 'export const broken = ;\n',
    'test/stack.test.ts': "import { SSH } from '../lib/net';\nexport const x = SSH;\n",
  };

  it('reports the world-open SSH of the QA layout, and nothing about the other TypeScript files', () => {
    const result = scanFiles(files);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((each) => each.id)).toEqual(['Prod/Bastion']);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.location.file}:${finding.location.range.startLine} ${finding.message}`)).toEqual([
      'FW101 critical lib/stack.ts:6 Prod/Bastion allows ingress from 0.0.0.0/0 on tcp/22',
    ]);
  });

  it('does not read a module outside the scanned paths: naming the stack file alone leaves the import unresolved', () => {
    const result = scanFiles(files, { paths: ['lib/stack.ts'] });
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.properties.expression ?? ''}`)).toEqual([
      "FW303 note ANYWHERE from './net'",
      "FW303 note SSH from './net'",
    ]);
  });
});
