import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { BUILTIN_RULES_DIR, loadPacks, parsePack } from '../../src/packs/load-packs';
import type { Diagnostic } from '../../src/model/diagnostic';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'fixtures/packs');
const BUILTIN_IDS = ['citrix-app-layering', 'dell-emc-scaleio', 'lumen-cloud', 'netapp-cloud-manager'];

/** `code line:column message` — enough to pin a diagnostic without depending on field order. */
function brief(diagnostic: Diagnostic): string {
  return `${diagnostic.code} ${diagnostic.range?.startLine}:${diagnostic.range?.startColumn} ${diagnostic.message}`;
}

function loadFixture(name: string): Diagnostic[] {
  const result = loadPacks([path.join(FIXTURES, name)], { cwd: ROOT, builtins: false });
  expect(result.value).toEqual([]);
  for (const diagnostic of result.diagnostics) {
    expect(diagnostic.file).toBe(`fixtures/packs/${name}`);
    expect(diagnostic.severity).toBe('error');
  }
  return result.diagnostics;
}

describe('built-in packs', () => {
  test('resolve rules/ relative to the package root', () => {
    expect(BUILTIN_RULES_DIR).toBe(path.join(ROOT, 'rules'));
  });

  test('load without diagnostics, one pack per file', () => {
    const result = loadPacks([], { cwd: ROOT });
    expect(result.diagnostics).toEqual([]);
    expect(result.value.map((pack) => pack.id)).toEqual(BUILTIN_IDS);
    expect(result.value.map((pack) => pack.file)).toEqual(BUILTIN_IDS.map((id) => `rules/${id}.yaml`));
  });

  test.each(BUILTIN_IDS)('%s is valid against rules/schema.json on its own (independent ajv instance)', (id) => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'rules/schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strictRequired: false }).compile(schema);
    const data: unknown = parse(fs.readFileSync(path.join(ROOT, 'rules', `${id}.yaml`), 'utf8'));
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(data)).toBe(true);
    expect((data as { source: string }).source).toMatch(/^00[0-3]_[0-9a-f]{16}\.txt$/);
  });

  test('roles and options match the contract', () => {
    const packs = Object.fromEntries(loadPacks([], { cwd: ROOT }).value.map((pack) => [pack.id, pack]));
    expect(Object.keys(packs['lumen-cloud']!.roles)).toEqual(['linux', 'windows']);
    expect(Object.keys(packs['dell-emc-scaleio']!.roles)).toEqual(['mdm', 'tb', 'sds', 'sdc']);
    expect(Object.keys(packs['citrix-app-layering']!.roles)).toEqual(['appliance', 'agent', 'compositing-machine']);
    expect(Object.keys(packs['netapp-cloud-manager']!.roles)).toEqual(['cloud-manager', 'cvo', 'ha-mediator', 'ha-mediator-internal']);
    expect(Object.keys(packs['citrix-app-layering']!.options).sort()).toEqual(
      ['azure', 'citrix-hypervisor', 'citrix-provisioning', 'google', 'hyper-v', 'nutanix', 'vsphere'],
    );
    expect(Object.keys(packs['netapp-cloud-manager']!.options)).toContain('ha');
    expect(packs['dell-emc-scaleio']!.parameters['wmi-port']!.default).toBe(24158);
  });

  test('every flow records where it is in its file', () => {
    for (const pack of loadPacks([], { cwd: ROOT }).value) {
      for (const role of Object.values(pack.roles)) for (const flow of role.flows) expect(flow.line).toBeGreaterThan(0);
    }
  });
});

describe('broken packs give precise diagnostics', () => {
  test('misspelt protocol: JSON pointer, allowed values and line', () => {
    expect(loadFixture('bad-protocol.yaml').map(brief)).toEqual([
      'packs/schema 17:19 /roles/sds/flows/2/protocol: must be one of tcp, udp, icmp, all',
    ]);
  });

  test('missing and unknown properties, wrong enum, bad port text', () => {
    expect(loadFixture('bad-structure.yaml').map(brief)).toEqual([
      "packs/schema 2:1 /: must have required property 'productVersion'",
      "packs/schema 13:9 /roles/web/flows/0: must have required property 'purpose'",
      "packs/schema 17:9 /roles/web/flows/1: must have required property 'ports'",
      'packs/schema 17:20 /roles/web/flows/1/direction: must be one of in, out',
      "packs/schema 19:9 /roles/web/flows/1/port: unknown property 'port'; allowed: id, direction, protocol, ports, peer, purpose, phase, condition, alternatives",
      "packs/schema 22:9 /roles/web/flows/2: must have required property 'ports'",
      'packs/schema 28:17 /roles/web/flows/3/ports/0: must be a port number, a port "22", a range "161-162" or a parameter reference "{wmi-port}"',
    ]);
  });

  test('invalid names point at the key', () => {
    const messages = loadFixture('bad-names.yaml').map(brief);
    expect(messages).toEqual([
      "packs/schema 2:5 /id: must be a lower-case name: letters, digits and '-', starting with a letter or digit",
      "packs/schema 8:3 /peers/Admin Users: invalid name 'Admin Users': must be a lower-case name: letters, digits and '-', starting with a letter or digit",
      "packs/schema 10:3 /roles/WebServer: invalid name 'WebServer': must be a lower-case name: letters, digits and '-', starting with a letter or digit",
    ]);
  });

  test('YAML syntax errors are located and do not throw', () => {
    const diagnostics = loadFixture('bad-syntax.yaml');
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of diagnostics) {
      expect(diagnostic.code).toBe('packs/yaml');
      expect(diagnostic.message).toMatch(/^YAML syntax error: /);
      expect(diagnostic.range?.startLine).toBe(6);
    }
  });

  test('undeclared peer, option and parameter name the declared ones', () => {
    expect(loadFixture('bad-references.yaml').map(brief)).toEqual([
      "packs/unknown-peer 19:64 /roles/node/flows/1/peer: unknown peer 'cluster'; declared peers: installer",
      "packs/unknown-option 20:86 /roles/node/flows/2/condition: unknown option 'dr'; declared options: ha",
      "packs/unknown-parameter 21:49 /roles/node/flows/3/ports/0: unknown parameter 'rpc-port'; declared parameters: wmi-port",
    ]);
  });

  test('peerRoles naming an undeclared peer or a role the pack does not have', () => {
    expect(loadFixture('bad-peer-roles.yaml').map(brief)).toEqual([
      "packs/unknown-role 10:21 /peerRoles/installer/1: unknown role 'controller'; roles of this pack: node",
      "packs/unknown-peer 11:3 /peerRoles/cluster: unknown peer 'cluster'; declared peers: installer",
    ]);
  });

  test('out-of-range, reversed and superfluous ports; the same flow twice', () => {
    expect(loadFixture('bad-ports.yaml').map(brief)).toEqual([
      'packs/bad-ports 14:49 /roles/node/flows/0/ports/0: port 70000 is out of range 0-65535',
      'packs/bad-ports 15:49 /roles/node/flows/1/ports/0: reversed port range "90-80"',
      'packs/bad-ports 16:49 /roles/node/flows/2/ports: ports must be omitted for protocol icmp (it covers all ports)',
      "packs/duplicate-flow 18:9 /roles/node/flows/4: flow id 'in/udp/53/any-host' is already used by /roles/node/flows/3; merge the two flows or give one an explicit id",
    ]);
  });

  test('a folder of broken packs: every file reported, nothing thrown, nothing loaded', () => {
    const result = loadPacks([FIXTURES], { cwd: ROOT, builtins: false });
    expect(result.value).toEqual([]);
    const files = [...new Set(result.diagnostics.map((diagnostic) => diagnostic.file))];
    expect(files).toEqual([
      'fixtures/packs/bad-names.yaml',
      'fixtures/packs/bad-peer-roles.yaml',
      'fixtures/packs/bad-ports.yaml',
      'fixtures/packs/bad-protocol.yaml',
      'fixtures/packs/bad-references.yaml',
      'fixtures/packs/bad-structure.yaml',
      'fixtures/packs/bad-syntax.yaml',
    ]);
  });

  test('edge inputs: empty file, a list, an alias bomb guard', () => {
    expect(parsePack('', 'x.yaml').diagnostics.map((d) => d.message)).toEqual(['/: must be object']);
    expect(parsePack('- a\n- b\n', 'x.yaml').diagnostics.map((d) => d.message)).toEqual(['/: must be object']);
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    const result = parsePack(bomb, 'x.yaml');
    expect(result.value).toBeNull();
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  // Review item (fix/uxb): a parameter names a service's fixed port; 0 is not one (same bounds as resolveRole and the config).
  test('a parameter default of 0 is refused by the schema; 1 is accepted', () => {
    const fixture = fs.readFileSync(path.join(FIXTURES, 'bad-references.yaml'), 'utf8').replace(/\n {6}- \{[^\n]*(cluster|condition: dr|rpc-port)[^\n]*/g, '');
    expect(parsePack(fixture.replace('default: 24158', 'default: 1'), 'x.yaml').diagnostics).toEqual([]);
    const zero = parsePack(fixture.replace('default: 24158', 'default: 0'), 'x.yaml');
    expect(zero.diagnostics.map((d) => `${d.code} ${d.range?.startLine} ${d.message}`)).toEqual(['packs/schema 10 /parameters/wmi-port/default: must be >= 1']);
  });

  test('a missing folder is a diagnostic', () => {
    const result = loadPacks(['no/such/folder'], { cwd: ROOT });
    expect(result.value.map((pack) => pack.id)).toEqual(BUILTIN_IDS);
    expect(result.diagnostics.map((d) => `${d.code} ${d.file} ${d.message}`)).toEqual([
      'packs/read no/such/folder cannot read rule packs: no such file or folder',
    ]);
  });
});

describe('user packs', () => {
  test('load after the built-ins, from a folder or a file', () => {
    const fromDir = loadPacks(['fixtures/packs/user'], { cwd: ROOT });
    expect(fromDir.diagnostics).toEqual([]);
    expect(fromDir.value.map((pack) => pack.id)).toEqual([...BUILTIN_IDS, 'acme-appliance']);
    const fromFile = loadPacks(['fixtures/packs/user/acme-appliance.yaml'], { cwd: ROOT });
    expect(fromFile.value.map((pack) => pack.id)).toEqual([...BUILTIN_IDS, 'acme-appliance']);
    const acme = fromFile.value[4]!;
    expect(acme.file).toBe('fixtures/packs/user/acme-appliance.yaml');
    expect(acme.roles['appliance']!.flows.map((flow) => flow.id)).toEqual([
      'in/tcp/443,{api-port}/admin',
      'in/udp/161/monitoring?snmp',
      'out/icmp/all/monitoring',
    ]);
  });

  test('a pack id used twice is a diagnostic at the second file; the first pack wins', () => {
    const result = loadPacks(['fixtures/packs/duplicate'], { cwd: ROOT });
    expect(result.value.map((pack) => pack.id)).toEqual(BUILTIN_IDS);
    expect(result.value.find((pack) => pack.id === 'lumen-cloud')!.file).toBe('rules/lumen-cloud.yaml');
    expect(result.diagnostics.map(brief)).toEqual([
      "packs/duplicate-id 2:5 /id: pack id 'lumen-cloud' is already defined in rules/lumen-cloud.yaml; pack ids must be unique, this file is ignored",
    ]);
    expect(result.diagnostics[0]!.file).toBe('fixtures/packs/duplicate/lumen-cloud-copy.yaml');
  });

  // QA s13 qa-7 item 05: a copy of the shipped layout (packs beside rules/schema.json, for yaml-language-server) was
  // warned about, and its advice, renaming schema.json to .yaml, would make the folder fail pack validation (exit 2).
  test('a JSON Schema beside the packs of a folder is left alone; a JSON pack naming its schema is still warned about', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-json-schema-'));
    try {
      const pack = parse(fs.readFileSync(path.join(ROOT, 'fixtures/packs/user/acme-appliance.yaml'), 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(path.join(folder, 'acme.yaml'), fs.readFileSync(path.join(ROOT, 'fixtures/packs/user/acme-appliance.yaml')));
      fs.copyFileSync(path.join(ROOT, 'rules/schema.json'), path.join(folder, 'schema.json'));
      fs.copyFileSync(path.join(ROOT, 'rules/schema.json'), path.join(folder, 'packs.schema.json'));
      fs.writeFileSync(path.join(folder, 'other.json'), JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }));
      fs.writeFileSync(path.join(folder, 'x2.json'), JSON.stringify({ $schema: './schema.json', ...pack }));
      const result = loadPacks(['.'], { cwd: folder, builtins: false });
      expect(result.value.map((each) => each.id)).toEqual(['acme-appliance']);
      expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.file])).toEqual([['packs/not-read', 'x2.json']]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  // QA s13 11a: a JSON pack in a rulePacks folder was passed over without a word (then "unknown rule pack").
  test('a .json file in a pack folder is not read, with a warning naming it, unless the file itself is named', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-json-pack-'));
    try {
      fs.writeFileSync(path.join(folder, 'x2.json'), JSON.stringify(parse(fs.readFileSync(path.join(ROOT, 'fixtures/packs/user/acme-appliance.yaml'), 'utf8'))));
      const fromDir = loadPacks(['.'], { cwd: folder, builtins: false });
      expect(fromDir.value).toEqual([]);
      expect(fromDir.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, diagnostic.file, diagnostic.message])).toEqual([
        ['warning', 'packs/not-read', 'x2.json', 'not read: only .yaml and .yml files are read from a rule pack folder; if this is a rule pack, name the file itself in rulePacks (or --rules), or rename it to .yaml (JSON is valid YAML); if it is not, move it out of the folder (a JSON Schema there, such as schema.json, is left alone)'],
      ]);
      const named = loadPacks(['.', 'x2.json'], { cwd: folder, builtins: false });
      expect(named.diagnostics).toEqual([]);
      expect(named.value.map((pack) => pack.id)).toEqual(['acme-appliance']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the same folder given twice (or the built-in folder again) is read once', () => {
    const result = loadPacks(['rules', 'fixtures/packs/user', 'fixtures/packs/user/'], { cwd: ROOT });
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toHaveLength(5);
  });
});
