import { PortSet } from '../../src/model/port-set';
import { loadPacks } from '../../src/packs/load-packs';
import { installOnlyFlows, resolveRole } from '../../src/packs/resolve-role';
import type { RequiredFlow, RoleProfile } from '../../src/packs/rule-pack';

const packs = loadPacks([]).value;
const scaleio = packs.find((pack) => pack.id === 'dell-emc-scaleio')!;

function profileOf(ref: string, sel: Parameters<typeof resolveRole>[2] = {}): RoleProfile {
  const result = resolveRole(packs, ref, sel);
  expect(result.diagnostics).toEqual([]);
  return result.value!;
}

/** `in tcp 7072 scaleio-nodes` per flow, in pack order. */
function summary(flows: readonly RequiredFlow[]): string[] {
  return flows.map((flow) => `${flow.direction} ${flow.protocol} ${flow.ports.toString()} ${flow.peer}${flow.phase ? ` [${flow.phase}]` : ''}`);
}

describe('resolveRole: phases', () => {
  test('without a phase a role requires the union of its phases', () => {
    const sds = profileOf('dell-emc-scaleio/sds');
    expect(sds.phase).toBeUndefined();
    expect(summary(sds.flows)).toEqual([
      'in tcp 135 installer [install]',
      'in tcp 445 installer [install]',
      'in tcp 24158 installer [install]',
      'in tcp 7072 installer [install]',
      'in tcp 7072 scaleio-nodes',
      'out tcp 6611 scaleio-nodes [operate]',
      'out tcp 7072 scaleio-nodes',
    ]);
    expect(sds).toMatchObject({ pack: 'dell-emc-scaleio', role: 'sds', title: 'ScaleIO SDS (data server)', source: '001_bbbad23a889d8e1d.txt', options: [] });
  });

  test('operate drops the install flows', () => {
    const sds = profileOf('dell-emc-scaleio/sds', { phase: 'operate' });
    expect(sds.phase).toBe('operate');
    expect(summary(sds.flows)).toEqual(['in tcp 7072 scaleio-nodes', 'out tcp 6611 scaleio-nodes [operate]', 'out tcp 7072 scaleio-nodes']);
    expect(summary(profileOf('dell-emc-scaleio/sdc', { phase: 'operate' }).flows)).toEqual(['out tcp 6611 scaleio-nodes [operate]', 'out tcp 7072 scaleio-nodes']);
  });

  test('install drops the operate-only flows; MDM 6611 is "technically not needed for installation" (seed l.41)', () => {
    const mdm = profileOf('dell-emc-scaleio/mdm', { phase: 'install' });
    expect(summary(mdm.flows.filter((flow) => flow.ports.has(6611)))).toEqual([]);
    expect(mdm.flows.some((flow) => flow.ports.has(9011) && flow.peer === 'scaleio-nodes')).toBe(true);
    expect(summary(profileOf('dell-emc-scaleio/mdm', { phase: 'operate' }).flows.filter((flow) => flow.ports.has(6611)))).toEqual([
      'in tcp 6611 scaleio-nodes [operate]',
      'out tcp 6611 scaleio-nodes [operate]',
    ]);
  });

  test('install-only flows are marked whatever the selected phase, and exclude ports needed later', () => {
    for (const phase of [undefined, 'install', 'operate'] as const) {
      const mdm = profileOf('dell-emc-scaleio/mdm', phase ? { phase } : {});
      expect(summary(mdm.installOnly!)).toEqual([
        'in tcp 135 installer [install]',
        'in tcp 445 installer [install]',
        'in tcp 24158 installer [install]',
      ]);
    }
    expect(summary(installOnlyFlows(scaleio, 'tb'))).toEqual([
      'in tcp 135 installer [install]',
      'in tcp 445 installer [install]',
      'in tcp 24158 installer [install]',
    ]);
    expect(installOnlyFlows(scaleio, 'no-such-role')).toEqual([]);
    expect(installOnlyFlows(scaleio, 'sds', { parameters: { 'wmi-port': 7072 } }).map((flow) => flow.ports.toString())).toEqual(['135', '445']);
  });

  test('packs without phases accept a phase, keep every flow, and warn that the phase has no effect', () => {
    const result = resolveRole(packs, 'lumen-cloud/linux', { phase: 'operate' });
    expect(result.value!.flows).toHaveLength(1);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([
      "warning packs/phase-no-effect: phase 'operate' has no effect on lumen-cloud/linux: none of its flows is limited to a phase, so all of them apply",
    ]);
  });
});

describe('resolveRole: parameters', () => {
  test('{wmi-port} defaults to 24158 and takes the selected value', () => {
    const byDefault = profileOf('dell-emc-scaleio/mdm');
    const wmi = byDefault.flows.find((flow) => flow.id === 'in/tcp/{wmi-port}/installer')!;
    expect(wmi.ports.toString()).toBe('24158');
    expect(byDefault.parameters).toEqual({ 'wmi-port': 24158 });
    const custom = profileOf('dell-emc-scaleio/mdm', { parameters: { 'wmi-port': 30000 } });
    expect(custom.flows.find((flow) => flow.id === 'in/tcp/{wmi-port}/installer')!.ports.toString()).toBe('30000');
    expect(custom.flows.some((flow) => flow.ports.has(24158))).toBe(false);
  });

  test('an unknown parameter or a value that is not a port is a diagnostic; the default stays', () => {
    const unknown = resolveRole(packs, 'dell-emc-scaleio/sdc', { parameters: { 'rpc-port': 1 } });
    expect(unknown.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      "packs/unknown-parameter: unknown parameter 'rpc-port' for pack 'dell-emc-scaleio'; known parameters: wmi-port",
    ]);
    const bad = resolveRole(packs, 'dell-emc-scaleio/sdc', { parameters: { 'wmi-port': 70000 } });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['packs/bad-parameter']);
    expect(bad.value!.flows.some((flow) => flow.ports.has(24158))).toBe(true);
  });

  // Review item (fix/uxb): `--param wmi-port=0` was accepted; a parameter is a service's fixed port, never 0.
  test('a parameter is a service port 1-65535: 0 is refused, and the message states the bounds it checks', () => {
    // Accepted (1 with a warning only: a well-known port, see packs/parameter-collision).
    for (const port of [1, 65535]) expect(resolveRole(packs, 'dell-emc-scaleio/sdc', { parameters: { 'wmi-port': port } }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const port of [0, 65536]) {
      const refused = resolveRole(packs, 'dell-emc-scaleio/sdc', { parameters: { 'wmi-port': port } });
      expect(refused.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([`packs/bad-parameter: parameter 'wmi-port' must be a port number 1-65535, got ${port}`]);
    }
  });
});

describe('resolveRole: options', () => {
  test('conditional flows stay out unless their option is selected', () => {
    const plain = profileOf('citrix-app-layering/appliance');
    expect(plain.flows.some((flow) => flow.condition !== undefined)).toBe(false);
    const azure = profileOf('citrix-app-layering/appliance', { options: ['azure'] });
    expect(azure.options).toEqual(['azure']);
    expect(azure.flows.filter((flow) => flow.condition !== undefined).map((flow) => flow.id)).toEqual([
      'in/tcp/3500/admin?azure',
      'out/tcp/443/azure?azure',
    ]);
  });

  test('alternatives: the HTTP port of an HTTPS connector', () => {
    const vsphere = profileOf('citrix-app-layering/appliance', { options: ['vsphere'] });
    const connector = vsphere.flows.find((flow) => flow.id === 'in/tcp/3504/admin?vsphere')!;
    expect(connector.alternatives.map((alternative) => `${alternative.protocol} ${alternative.ports.toString()}`)).toEqual(['tcp 3004']);
  });

  test('options are sorted and de-duplicated', () => {
    expect(profileOf('netapp-cloud-manager/cvo', { options: ['ha', 'backup-to-s3', 'ha'] }).options).toEqual(['backup-to-s3', 'ha']);
  });

  test('all-protocol flows cover every port', () => {
    const cvo = profileOf('netapp-cloud-manager/cvo', { options: ['ha'] });
    const cluster = cvo.flows.find((flow) => flow.id === 'out/all/all/ha-partner?ha')!;
    expect(cluster.ports.isAll()).toBe(true);
    expect(cvo.basic.map((flow) => `${flow.protocol} ${flow.ports.toString()}`)).toEqual(['icmp 0-65535', 'tcp 0-65535', 'udp 0-65535']);
  });

  test('an unknown option is a diagnostic naming the known ones; the profile is still returned', () => {
    const result = resolveRole(packs, 'citrix-app-layering/agent', { options: ['xenserver', 'hyper-v'] });
    expect(result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      "packs/unknown-option: unknown option 'xenserver' for pack 'citrix-app-layering'; known options: azure, citrix-hypervisor, citrix-provisioning, google, hyper-v, nutanix, vsphere",
    ]);
    expect(result.value!.options).toEqual(['hyper-v']);
    const none = resolveRole(packs, 'lumen-cloud/linux', { options: ['ha'] });
    expect(none.diagnostics[0]!.message).toBe("unknown option 'ha' for pack 'lumen-cloud'; the pack has no options");
  });
});

describe('resolveRole: references', () => {
  test.each([
    ['nope/sds', 'packs/unknown-pack', "unknown rule pack 'nope'; known packs: citrix-app-layering, dell-emc-scaleio, lumen-cloud, netapp-cloud-manager"],
    ['dell-emc-scaleio/mds', 'packs/unknown-role', "unknown role 'mds' in pack 'dell-emc-scaleio'; known roles: mdm, tb, sds, sdc"],
    ['dell-emc-scaleio', 'packs/bad-reference', "profile 'dell-emc-scaleio' must be written <pack>/<role>, e.g. dell-emc-scaleio/sds"],
    ['a/b/c', 'packs/bad-reference', "profile 'a/b/c' must be written <pack>/<role>, e.g. dell-emc-scaleio/sds"],
  ])('%s', (ref, code, message) => {
    const result = resolveRole(packs, ref, {});
    expect(result.value).toBeNull();
    expect(result.diagnostics).toEqual([{ code, severity: 'error', file: '', message }]);
  });

  test('an unknown phase is a diagnostic naming the known ones; the union is returned', () => {
    const result = resolveRole(packs, 'dell-emc-scaleio/sds', { phase: 'runtime' });
    expect(result.diagnostics.map((d) => d.message)).toEqual(["unknown phase 'runtime'; known phases: install, operate"]);
    expect(result.value!.phase).toBeUndefined();
    expect(result.value!.flows).toHaveLength(7);
  });

  test('user packs resolve like built-in ones', () => {
    const withUser = loadPacks(['fixtures/packs/user'], { cwd: `${__dirname}/../..` }).value;
    const acme = resolveRole(withUser, 'acme-appliance/appliance', { options: ['snmp'], parameters: { 'api-port': 9443 } });
    expect(acme.diagnostics).toEqual([]);
    expect(summary(acme.value!.flows)).toEqual(['in tcp 443, 9443 admin', 'in udp 161 monitoring', 'out icmp 0-65535 monitoring']);
    expect(acme.value!.flows[2]!.ports).toEqual(PortSet.ALL);
  });

  test('stable ids', () => {
    expect(profileOf('dell-emc-scaleio/mdm').flows.map((flow) => flow.id)).toContain('in/tcp/9011/installer');
    expect(profileOf('netapp-cloud-manager/cvo', { options: ['snmp'] }).flows.map((flow) => flow.id)).toContain('in/tcp/161-162/monitor-server?snmp');
  });
});

describe('resolveRole: several roles of one pack (a host that carries them all, ScaleIO seed l.7)', () => {
  test('the union of the roles\' flows, each shared flow once, in pack order whatever the order written', () => {
    const both = profileOf('dell-emc-scaleio/mdm,dell-emc-scaleio/sds', { phase: 'operate' });
    expect(both).toMatchObject({ pack: 'dell-emc-scaleio', role: 'mdm,sds', title: 'ScaleIO MDM (meta data manager, incl. Callhome) + ScaleIO SDS (data server)' });
    expect(summary(both.flows)).toEqual([
      'in tcp 9011 scaleio-nodes',
      'in tcp 6611 scaleio-nodes [operate]',
      'out tcp 9011 scaleio-nodes',
      'out tcp 6611 scaleio-nodes [operate]',
      'out tcp 7072 scaleio-nodes',
      'in tcp 7072 scaleio-nodes',
    ]);
    expect(profileOf('dell-emc-scaleio/sds,mdm', { phase: 'operate' })).toEqual(both);
  });

  test('install-only ports are those no role of the union needs later, each once', () => {
    // The MDM's 9011 and the SDS's 7072 from the installer are ports the union needs in operation too.
    expect(summary(profileOf('dell-emc-scaleio/mdm,sds').installOnly!)).toEqual(['in tcp 135 installer [install]', 'in tcp 445 installer [install]', 'in tcp 24158 installer [install]']);
  });

  test.each([
    ['dell-emc-scaleio/mdm,lumen-cloud/linux', 'packs/bad-reference', "profile 'dell-emc-scaleio/mdm,lumen-cloud/linux' must name roles of one pack: <pack>/<role>[,<role>...], e.g. dell-emc-scaleio/mdm,sds"],
    ['dell-emc-scaleio/mdm,', 'packs/bad-reference', "profile 'dell-emc-scaleio/mdm,' must name roles of one pack: <pack>/<role>[,<role>...], e.g. dell-emc-scaleio/mdm,sds"],
    ['dell-emc-scaleio/mdm,sdx', 'packs/unknown-role', "unknown role 'sdx' in pack 'dell-emc-scaleio'; known roles: mdm, tb, sds, sdc"],
  ])('%s', (ref, code, message) => {
    expect(resolveRole(packs, ref, {})).toEqual({ value: null, diagnostics: [{ code, severity: 'error', file: '', message }] });
  });
});
