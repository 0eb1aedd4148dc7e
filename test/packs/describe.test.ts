import { loadPacks, parsePack } from '../../src/packs/load-packs';
import { formatPackList, formatRoleTable, packListJson, roleJson } from '../../src/packs/describe';
import { resolveRole } from '../../src/packs/resolve-role';
import type { RoleProfile } from '../../src/packs/rule-pack';

const packs = loadPacks([]).value;

function profileOf(ref: string, sel: Parameters<typeof resolveRole>[2] = {}): RoleProfile {
  return resolveRole(packs, ref, sel).value!;
}

describe('formatPackList', () => {
  const text = formatPackList(packs);
  const lines = text.split('\n');

  test('one row per role with its flow count, packs sorted by id', () => {
    expect(lines[0]).toMatch(/^PACK\s+ROLE\s+TITLE\s+FLOWS$/);
    expect(text).toMatch(/^dell-emc-scaleio\s+sds\s+ScaleIO SDS \(data server\)\s+7$/m);
    expect(text).toMatch(/^lumen-cloud\s+linux\s+Lumen Cloud Linux VM\s+1$/m);
    expect(text).toMatch(/^netapp-cloud-manager\s+ha-mediator-internal\s+.*\s+2$/m);
    const packColumn = lines.slice(1, 14).map((line) => line.split(/\s+/)[0]);
    expect(packColumn).toEqual([...packColumn].sort());
    expect(lines.slice(1, 14)).toHaveLength(13);
  });

  test('columns are aligned and lines carry no trailing spaces', () => {
    const rows = lines.slice(0, 14);
    const flowsColumn = rows[0]!.indexOf('FLOWS');
    for (const row of rows) {
      expect(row).toBe(row.trimEnd());
      expect(row.slice(0, flowsColumn).length).toBe(flowsColumn);
    }
  });

  test('names phases, options and parameters under the table', () => {
    expect(text).toContain('dell-emc-scaleio: phases install, operate; parameters wmi-port=24158');
    expect(text).toContain('citrix-app-layering: options azure, citrix-hypervisor, citrix-provisioning, google, hyper-v, nutanix, vsphere');
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('packListJson', () => {
  test('packs, roles and flow counts in a fixed shape', () => {
    const json = packListJson(packs);
    expect(json.packs.map((pack) => pack.id)).toEqual(['citrix-app-layering', 'dell-emc-scaleio', 'lumen-cloud', 'netapp-cloud-manager']);
    const scaleio = json.packs[1]!;
    expect(Object.keys(scaleio)).toEqual(['id', 'title', 'vendor', 'productVersion', 'source', 'phases', 'options', 'parameters', 'roles']);
    expect(scaleio.phases).toEqual(['install', 'operate']);
    expect(scaleio.parameters).toEqual([{ name: 'wmi-port', default: 24158, description: expect.any(String) }]);
    expect(scaleio.roles.map((role) => `${role.id}:${role.flows}`)).toEqual(['mdm:9', 'tb:8', 'sds:7', 'sdc:5']);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('formatRoleTable', () => {
  test('header and one row per flow with direction, protocol, ports, peer, phase, condition, purpose', () => {
    const text = formatRoleTable(profileOf('dell-emc-scaleio/sds'));
    expect(text.split('\n').slice(0, 5)).toEqual([
      'dell-emc-scaleio/sds  ScaleIO SDS (data server)',
      'source: 001_bbbad23a889d8e1d.txt',
      'phase: all (install and operate)   options: none   parameters: wmi-port=24158',
      '',
      expect.stringMatching(/^DIRECTION\s+PROTOCOL\s+PORTS\s+PEER\s+PHASE\s+CONDITION\s+PURPOSE$/),
    ]);
    expect(text).toMatch(/^in\s+tcp\s+24158\s+installer\s+install\s+-\s+Fixed WMI port/m);
    expect(text).toMatch(/^out\s+tcp\s+7072\s+scaleio-nodes\s+-\s+-\s+SDS communication to the SDSs \(other end of their 7072 from scaleio-nodes\)$/m);
  });

  test('alternatives, conditions, all-port flows and basic rules', () => {
    const appliance = formatRoleTable(profileOf('citrix-app-layering/appliance', { options: ['azure'] }));
    expect(appliance).toContain('options: azure');
    expect(appliance).toMatch(/^in\s+tcp\s+3500 or 3000\s+admin\s+-\s+azure\s+Azure connector communication/m);
    const cvo = formatRoleTable(profileOf('netapp-cloud-manager/cvo', { options: ['ha'] }));
    expect(cvo).toMatch(/^in\s+icmp\s+all\s+admin\s+/m);
    expect(cvo).toMatch(/^out\s+all\s+all\s+ha-partner\s+-\s+ha\s+/m);
    expect(cvo).toContain("Vendor's basic (permissive) rules");
    expect(cvo).toMatch(/^out\s+tcp\s+all\s+anywhere\s+/m);
  });

  test('allConditions lists every conditional flow with its CONDITION and counts them', () => {
    const all = profileOf('citrix-app-layering/appliance', { allConditions: true });
    const pack = packs.find((candidate) => candidate.id === 'citrix-app-layering')!;
    expect(all.flows).toHaveLength(pack.roles.appliance!.flows.length);
    const text = formatRoleTable(all);
    expect(text).toContain('options: none selected, every conditional flow listed');
    expect(text).toMatch(/^out\s+tcp\s+9440\s+nutanix-prism\s+-\s+nutanix\s+Nutanix Prism/m);
    expect(text).toMatch(/^in\s+tcp\s+3504 or 3004\s+admin\s+-\s+vsphere\s+/m);
    const conditional = all.flows.filter((flow) => flow.condition !== undefined).length;
    expect(conditional).toBeGreaterThan(0);
    expect(text).toContain(`${conditional} of these ${all.flows.length} flows are required only with an option (CONDITION): azure,`);
    expect(all.omitted).toBeUndefined();
  });

  test('a selection of options says how many conditional flows it leaves out and which options add them', () => {
    const services = ['dhcp-replies', 'active-directory', 'smtp', 'snmp', 'syslog', 'ndmp', 'snapmirror'];
    const cvo = profileOf('netapp-cloud-manager/cvo', { options: ['ha', ...services] });
    expect(cvo.omitted).toEqual({ flows: 2, options: ['backup-to-s3', 'ontap-api-3000'] });
    expect(formatRoleTable(cvo)).toContain('2 conditional flows are not shown: they need option backup-to-s3, ontap-api-3000');
    const lumen = profileOf('netapp-cloud-manager/cvo', { options: ['ha', 'ontap-api-3000', ...services] });
    expect(formatRoleTable(lumen)).toContain('1 conditional flow is not shown: it needs option backup-to-s3');
    const none = formatRoleTable(profileOf('netapp-cloud-manager/cvo'));
    expect(none).toMatch(/\d+ conditional flows are not shown: they need option ha, backup-to-s3/);
    expect(formatRoleTable(profileOf('lumen-cloud/linux'))).not.toContain('conditional');
  });

  test('an empty selection says so', () => {
    expect(formatRoleTable({ ...profileOf('lumen-cloud/linux'), flows: [] })).toContain('No flows are required for this selection.');
  });
});

describe('roleJson', () => {
  test('canonical range strings and fixed keys', () => {
    const json = roleJson(profileOf('netapp-cloud-manager/cvo', { options: ['snmp'] }));
    expect(Object.keys(json)).toEqual(['pack', 'role', 'title', 'source', 'phase', 'options', 'allConditions', 'flows', 'basic']);
    expect(json).toMatchObject({ pack: 'netapp-cloud-manager', role: 'cvo', source: '003_1cb75aa83d0a3982.txt', phase: null });
    const snmp = json.flows.find((flow) => flow.id === 'in/udp/161-162/monitor-server?snmp')!;
    expect(snmp).toEqual({
      id: 'in/udp/161-162/monitor-server?snmp',
      direction: 'in',
      protocol: 'udp',
      ports: ['161-162'],
      peer: 'monitor-server',
      phase: null,
      condition: 'snmp',
      purpose: 'Simple network management protocol',
      alternatives: [],
    });
    expect(Object.keys(snmp)).toEqual(['id', 'direction', 'protocol', 'ports', 'peer', 'phase', 'condition', 'purpose', 'alternatives']);
  });

  test('phase, condition and alternatives', () => {
    const mdm = roleJson(profileOf('dell-emc-scaleio/mdm', { phase: 'install' }));
    expect(mdm.phase).toBe('install');
    expect(mdm.flows[0]).toMatchObject({ ports: ['135'], phase: 'install' });
    const agent = roleJson(profileOf('citrix-app-layering/agent', { options: ['hyper-v'] }));
    expect(agent.flows.find((flow) => flow.condition === 'hyper-v')!.alternatives).toEqual([{ protocol: 'tcp', ports: ['3012'] }]);
  });
});

// QA s13 11e/f: a custom pack with install-phase flows only was listed with "phases install" (operate is meaningful:
// every flow but those); "1 of these 2 flows are"; and a phase without effect was printed as the phase in use.
describe('phases and counts as profiles and render tell them', () => {
  const custom = parsePack(`id: x-pack
title: X
vendor: X
productVersion: "1"
source: x.pdf
peers:
  admins: admins
options:
  ha: HA
roles:
  server:
    title: S
    description: S
    flows:
      - { direction: in, protocol: tcp, ports: ["22"], peer: admins, phase: install, purpose: install ssh }
      - { direction: in, protocol: tcp, ports: ["22"], peer: admins, condition: ha, purpose: ha ssh }
`, 'x.yaml').value!;

  test('a pack with install-phase flows only has both phases', () => {
    expect(formatPackList([custom])).toContain('x-pack: phases install, operate; options ha');
    expect(packListJson([custom]).packs[0]!.phases).toEqual(['install', 'operate']);
  });

  test('one conditional flow "is" required', () => {
    expect(formatRoleTable(resolveRole([custom], 'x-pack/server', { allConditions: true }).value!)).toContain('1 of these 2 flows is required only with an option (CONDITION): ha.');
  });

  test('a phase the role has no use for is shown as all phases', () => {
    expect(formatRoleTable(profileOf('lumen-cloud/linux', { phase: 'install' })).split('\n')[2]).toBe('phase: all (install and operate)   options: none');
    // A role that has phases keeps the one selected.
    expect(formatRoleTable(profileOf('dell-emc-scaleio/sds', { phase: 'install' })).split('\n')[2]).toMatch(/^phase: install   options: none/);
  });
});
