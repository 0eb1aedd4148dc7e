/**
 * Independent check of the built-in packs against the vendor documents in /work/shared/seeds: every port the
 * documents state, typed in by hand from reading them (not generated from the packs), with protocol, direction,
 * role and phase, for both ends when both ends are fwlint roles. The test also runs backwards: a pack may hold
 * nothing this table does not list, so no pack invents a port.
 *
 * Row format: <role> <in|out> <tcp|udp|icmp|all> <port|range|-> [peer=P] [phase=install|operate] [if=OPTION]
 *             [basic] [install-only] [alt]
 *   phase=install  the flow is limited to the install phase; phase=operate: needed in operate (operate or both)
 *   if=OPTION      the flow's condition (rows without if= must be unconditional)
 *   basic          one of the vendor's basic (permissive) rules, not an advanced flow
 *   install-only   reported by installOnlyFlows (FW203)
 *   alt            carried only as an alternative of another flow (either satisfies it); rows without alt must be
 *                  a flow's own protocol and ports
 */
import { PortSet } from '../../src/model/port-set';
import { loadPacks } from '../../src/packs/load-packs';
import { installOnlyFlows, resolveRole } from '../../src/packs/resolve-role';
import type { RequiredFlow, RulePack } from '../../src/packs/rule-pack';

const SEEDS: Record<string, { source: string; table: string }> = {
  'lumen-cloud': {
    // 000: "For Linux VMs ... SSH (port 22)"; "For Windows VMs ... WinRM (5985)".
    source: '000_48a7ec884e4ea963.txt',
    table: `
      linux   in tcp 22   peer=control-portal
      windows in tcp 5985 peer=control-portal
    `,
  },
  'dell-emc-scaleio': {
    // 001: install lists per function (all TCP, from the script's host), then normal operation:
    // "MDMs need 9011 and 6611 open, the TB needs 9011 and SDSs need 7072". 135, 445 and WMI: install only;
    // 7072 and 9011 "needed during install and after". 6611 is in the MDM's list but "Technically not needed for
    // installation but must be opened for normal operation" (l.41): operate only, from the cluster. The document
    // states listening sides only; 9011 is "MDM and TB communication" (l.45), so mdm and tb send it; 6611 ("MDM
    // communication") and 7072 ("SDS communication") name no sender: every role gets their outbound end.
    source: '001_bbbad23a889d8e1d.txt',
    table: `
      mdm in tcp 135   peer=installer phase=install install-only
      mdm in tcp 445   peer=installer phase=install install-only
      mdm in tcp 24158 peer=installer phase=install install-only
      mdm in tcp 9011  peer=installer phase=install
      mdm in tcp 9011  peer=scaleio-nodes phase=operate
      mdm in tcp 6611  peer=scaleio-nodes phase=operate
      mdm out tcp 9011 peer=scaleio-nodes phase=operate
      mdm out tcp 6611 peer=scaleio-nodes phase=operate
      mdm out tcp 7072 peer=scaleio-nodes phase=operate
      tb in tcp 135    peer=installer phase=install install-only
      tb in tcp 445    peer=installer phase=install install-only
      tb in tcp 24158  peer=installer phase=install install-only
      tb in tcp 9011   peer=installer phase=install
      tb in tcp 9011   peer=scaleio-nodes phase=operate
      tb out tcp 9011  peer=scaleio-nodes phase=operate
      tb out tcp 6611  peer=scaleio-nodes phase=operate
      tb out tcp 7072  peer=scaleio-nodes phase=operate
      sds in tcp 135   peer=installer phase=install install-only
      sds in tcp 445   peer=installer phase=install install-only
      sds in tcp 24158 peer=installer phase=install install-only
      sds in tcp 7072  peer=installer phase=install
      sds in tcp 7072  peer=scaleio-nodes phase=operate
      sds out tcp 6611 peer=scaleio-nodes phase=operate
      sds out tcp 7072 peer=scaleio-nodes phase=operate
      sdc in tcp 135   peer=installer phase=install install-only
      sdc in tcp 445   peer=installer phase=install install-only
      sdc in tcp 24158 peer=installer phase=install install-only
      sdc out tcp 6611 peer=scaleio-nodes phase=operate
      sdc out tcp 7072 peer=scaleio-nodes phase=operate
    `,
  },
  'citrix-app-layering': {
    // 002: Admin user table, Internal connections, External connection, Key ports, agent and connector lists.
    // Connector "3000 (HTTP), 3500 (HTTPS)": HTTPS required, HTTP its alternative. "Port 53 - DNS protocol" names
    // no transport: udp/53 required, tcp/53 its alternative. File share: SMB 445 or NFS 2049.
    source: '002_1bba7742d99b4ea2.txt',
    table: `
      appliance in tcp 80    peer=admin
      appliance in tcp 443   peer=admin
      appliance in tcp 22    peer=admin
      appliance in tcp 8888  peer=admin
      appliance in tcp 3000  peer=admin if=azure alt
      appliance in tcp 3500  peer=admin if=azure
      appliance in tcp 3015  peer=admin if=hyper-v alt
      appliance in tcp 3515  peer=admin if=hyper-v
      appliance in tcp 3002  peer=admin if=citrix-hypervisor alt
      appliance in tcp 3502  peer=admin if=citrix-hypervisor
      appliance in tcp 3009  peer=admin if=citrix-provisioning alt
      appliance in tcp 3509  peer=admin if=citrix-provisioning
      appliance in tcp 3016  peer=admin if=google alt
      appliance in tcp 3516  peer=admin if=google
      appliance in tcp 3012  peer=admin if=hyper-v alt
      appliance in tcp 3512  peer=admin if=hyper-v
      appliance in tcp 3006  peer=admin if=nutanix alt
      appliance in tcp 3506  peer=admin if=nutanix
      appliance in tcp 3004  peer=admin if=vsphere alt
      appliance in tcp 3504  peer=admin if=vsphere

      appliance in tcp 443   peer=agent
      agent out tcp 443      peer=appliance
      appliance out tcp 8016 peer=agent
      agent in tcp 8016      peer=appliance
      appliance in tcp 8787  peer=agent
      agent out tcp 8787     peer=appliance
      appliance in tcp 3009  peer=agent if=citrix-provisioning alt
      appliance in tcp 3509  peer=agent if=citrix-provisioning
      agent out tcp 3009     peer=appliance if=citrix-provisioning alt
      agent out tcp 3509     peer=appliance if=citrix-provisioning
      appliance in tcp 3012  peer=agent if=hyper-v alt
      appliance in tcp 3512  peer=agent if=hyper-v
      agent out tcp 3012     peer=appliance if=hyper-v alt
      agent out tcp 3512     peer=appliance if=hyper-v
      appliance in tcp 3015  peer=agent if=hyper-v alt
      appliance in tcp 3515  peer=agent if=hyper-v
      agent out tcp 3015     peer=appliance if=hyper-v alt
      agent out tcp 3515     peer=appliance if=hyper-v

      appliance out tcp 443  peer=compositing-machine
      compositing-machine in tcp 443 peer=appliance
      compositing-machine out tcp 443 peer=appliance
      appliance in tcp 443   peer=compositing-machine
      compositing-machine out tcp 3260 peer=appliance
      appliance in tcp 3260  peer=compositing-machine

      appliance out tcp 443  peer=vcenter if=vsphere
      appliance out tcp 443  peer=esxi-hosts if=vsphere
      appliance out tcp 389  peer=active-directory
      appliance out tcp 636  peer=active-directory
      appliance out tcp 443  peer=azure if=azure
      appliance out tcp 443  peer=google-cloud if=google
      appliance out tcp 5900 peer=citrix-hypervisor if=citrix-hypervisor
      appliance out tcp 9440 peer=nutanix-prism if=nutanix
      appliance out tcp 443  peer=citrix-web-api
      appliance out tcp 80   peer=citrix-cdn

      appliance out udp 53   peer=active-directory
      appliance out tcp 53   peer=active-directory alt
      appliance out tcp 445  peer=file-share
      appliance out tcp 2049 peer=file-share alt
      appliance out udp 123  peer=ntp
      appliance out udp 67   peer=dhcp
      appliance in udp 68    peer=dhcp
    `,
  },
  'netapp-cloud-manager': {
    // 003: Cloud Manager inbound/outbound (basic and advanced), CVO inbound/outbound (basic and advanced),
    // HA mediator external group (inbound, basic and advanced outbound), HA mediator internal group.
    // CVO tcp/3000 from Cloud Manager is absent from the CVO inbound table: required only with ontap-api-3000.
    source: '003_1cb75aa83d0a3982.txt',
    table: `
      cloud-manager in tcp 22    peer=admin
      cloud-manager in tcp 80    peer=clients
      cloud-manager in tcp 80    peer=cloud-compliance if=cloud-compliance
      cloud-manager in tcp 443   peer=clients
      cloud-manager in tcp 3128  peer=cloud-compliance if=cloud-compliance-proxy
      cloud-manager out tcp 0-65535 basic
      cloud-manager out udp 0-65535 basic
      cloud-manager out tcp 88   peer=active-directory
      cloud-manager out tcp 139  peer=active-directory
      cloud-manager out tcp 389  peer=active-directory
      cloud-manager out tcp 445  peer=active-directory
      cloud-manager out tcp 464  peer=active-directory
      cloud-manager out tcp 749  peer=active-directory
      cloud-manager out udp 137  peer=active-directory
      cloud-manager out udp 138  peer=active-directory
      cloud-manager out udp 464  peer=active-directory
      cloud-manager out tcp 443  peer=internet
      cloud-manager out tcp 443  peer=cvo
      cvo in tcp 443             peer=cloud-manager
      cloud-manager out tcp 3000 peer=cvo
      cvo in tcp 3000            peer=cloud-manager if=ontap-api-3000
      cloud-manager out tcp 8088 peer=backup-to-s3 if=backup-to-s3
      cloud-manager out udp 53   peer=dns
      cloud-manager out tcp 80   peer=cloud-compliance if=cloud-compliance

      cvo in icmp -         peer=admin
      cvo in tcp 80         peer=admin
      cvo in tcp 443        peer=admin
      cvo in tcp 22         peer=admin
      cvo in tcp 111        peer=clients
      cvo in tcp 139        peer=clients
      cvo in tcp 161        peer=monitor-server if=snmp
      cvo in tcp 162        peer=monitor-server if=snmp
      cvo in tcp 445        peer=clients
      cvo in tcp 635        peer=clients
      cvo in tcp 749        peer=clients
      cvo in tcp 2049       peer=clients
      cvo in tcp 3260       peer=clients
      cvo in tcp 4045       peer=clients
      cvo in tcp 4046       peer=clients
      cvo in tcp 10000      peer=backup-server if=ndmp
      cvo in tcp 11104      peer=intercluster-peers if=snapmirror
      cvo in tcp 11105      peer=intercluster-peers if=snapmirror
      cvo in udp 111        peer=clients
      cvo in udp 161        peer=monitor-server if=snmp
      cvo in udp 162        peer=monitor-server if=snmp
      cvo in udp 635        peer=clients
      cvo in udp 2049       peer=clients
      cvo in udp 4045       peer=clients
      cvo in udp 4046       peer=clients
      cvo in udp 4049       peer=clients
      cvo out icmp -        basic
      cvo out tcp 0-65535   basic
      cvo out udp 0-65535   basic
      cvo out tcp 88        peer=active-directory if=active-directory
      cvo out udp 137       peer=active-directory if=active-directory
      cvo out udp 138       peer=active-directory if=active-directory
      cvo out tcp 139       peer=active-directory if=active-directory
      cvo out tcp 389       peer=active-directory if=active-directory
      cvo out tcp 445       peer=active-directory if=active-directory
      cvo out tcp 464       peer=active-directory if=active-directory
      cvo out udp 464       peer=active-directory if=active-directory
      cvo out tcp 749       peer=active-directory if=active-directory
      cvo out tcp 5010      peer=backup-endpoint if=backup-to-s3
      cvo out all -         peer=ha-partner if=ha
      cvo in all -          peer=ha-partner if=ha
      cvo out tcp 3000      peer=ha-mediator if=ha
      cvo out icmp -        peer=ha-mediator if=ha
      cvo in udp 68         peer=dhcp if=dhcp-replies
      cvo out udp 67        peer=dhcp
      cvo out udp 53        peer=dns
      cvo out tcp 18600-18699 peer=ndmp-destination if=ndmp
      cvo out tcp 25        peer=mail-server if=smtp
      cvo out tcp 161       peer=monitor-server if=snmp
      cvo out udp 161       peer=monitor-server if=snmp
      cvo out tcp 162       peer=monitor-server if=snmp
      cvo out udp 162       peer=monitor-server if=snmp
      cvo out tcp 11104     peer=intercluster-peers if=snapmirror
      cvo out tcp 11105     peer=intercluster-peers if=snapmirror
      cvo out udp 514       peer=syslog-server if=syslog

      ha-mediator in tcp 22     peer=admin
      ha-mediator in tcp 3000   peer=cloud-manager
      cloud-manager out tcp 3000 peer=ha-mediator if=ha
      ha-mediator out tcp 0-65535 basic
      ha-mediator out udp 0-65535 basic
      ha-mediator out tcp 80    peer=cloud-manager
      cloud-manager in tcp 80   peer=ha-mediator if=ha
      ha-mediator out tcp 443   peer=aws-api
      ha-mediator out udp 53    peer=aws-api

      ha-mediator-internal in all -  peer=ha-nodes
      ha-mediator-internal out all - peer=ha-nodes
    `,
  },
};

interface Row {
  text: string;
  role: string;
  direction: 'in' | 'out';
  protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  ports: PortSet;
  peer?: string;
  phase?: 'install' | 'operate';
  condition?: string;
  basic: boolean;
  installOnly: boolean;
  alt: boolean;
}

function parseTable(table: string): Row[] {
  return table
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((text) => {
      const [role, direction, protocol, ports, ...flags] = text.split(/\s+/) as [string, Row['direction'], Row['protocol'], string, ...string[]];
      const row: Row = {
        text,
        role,
        direction,
        protocol,
        ports: ports === '-' ? PortSet.ALL : PortSet.parse(ports),
        basic: flags.includes('basic'),
        installOnly: flags.includes('install-only'),
        alt: flags.includes('alt'),
      };
      for (const flag of flags) {
        const [key, value] = flag.split('=');
        if (key === 'peer') row.peer = value!;
        if (key === 'phase') row.phase = value as Row['phase'];
        if (key === 'if') row.condition = value!;
      }
      return row;
    });
}

const packs = loadPacks([]).value;

function resolveAll(pack: RulePack, role: string): { flows: RequiredFlow[]; basic: RequiredFlow[] } {
  const resolved = resolveRole(packs, `${pack.id}/${role}`, { options: Object.keys(pack.options) });
  expect(resolved.diagnostics).toEqual([]);
  return { flows: resolved.value!.flows, basic: resolved.value!.basic };
}

/** The flow itself (or, for an `alt` row, one of its alternatives and not the flow itself) carries the row's protocol and ports. */
function carries(flow: RequiredFlow, row: Row): boolean {
  const own = flow.protocol === row.protocol && flow.ports.containsAll(row.ports);
  if (!row.alt) return own;
  return !own && flow.alternatives.some((variant) => variant.protocol === row.protocol && variant.ports.containsAll(row.ports));
}

function matches(flow: RequiredFlow, row: Row): boolean {
  if (flow.direction !== row.direction || !carries(flow, row)) return false;
  if (row.peer !== undefined && flow.peer !== row.peer) return false;
  if (flow.condition !== row.condition) return false;
  if (row.phase === 'install' && flow.phase !== 'install') return false;
  if (row.phase === 'operate' && flow.phase === 'install') return false;
  if (row.phase === undefined && flow.phase !== undefined) return false;
  return true;
}

describe.each(Object.entries(SEEDS))('%s covers its seed document', (packId, seed) => {
  const pack = packs.find((candidate) => candidate.id === packId)!;
  const rows = parseTable(seed.table);

  test('records the seed as its source', () => {
    expect(pack.source).toBe(seed.source);
  });

  test.each(rows.map((row) => [row.text, row] as const))('%s', (_text, row) => {
    expect(Object.keys(pack.roles)).toContain(row.role);
    const { flows, basic } = resolveAll(pack, row.role);
    const candidates = row.basic ? basic : flows;
    expect(candidates.filter((flow) => matches(flow, row)).map((flow) => flow.id)).not.toEqual([]);
    if (row.installOnly) {
      const installOnly = installOnlyFlows(pack, row.role, { options: Object.keys(pack.options) });
      expect(installOnly.some((flow) => flow.direction === row.direction && flow.ports.containsAll(row.ports))).toBe(true);
    }
  });

  test('holds no port, protocol or direction that the table does not list', () => {
    for (const role of Object.keys(pack.roles)) {
      const { flows, basic } = resolveAll(pack, role);
      for (const [isBasic, list] of [[false, flows], [true, basic]] as const) {
        for (const flow of list) {
          const variants = [{ protocol: flow.protocol, ports: flow.ports }, ...flow.alternatives];
          for (const variant of variants) {
            const listed = rows
              .filter((row) => row.role === role && row.basic === isBasic && row.direction === flow.direction && row.protocol === variant.protocol)
              .reduce((ports, row) => ports.union(row.ports), PortSet.EMPTY);
            expect(`${role} ${flow.id} ${variant.protocol} ${variant.ports.subtract(listed).toString()}`).toBe(
              `${role} ${flow.id} ${variant.protocol} `,
            );
          }
        }
      }
    }
  });

  test('install-only ports are exactly the rows marked install-only', () => {
    for (const role of Object.keys(pack.roles)) {
      const expected = rows
        .filter((row) => row.role === role && row.installOnly)
        .reduce((ports, row) => ports.union(row.ports), PortSet.EMPTY);
      const actual = installOnlyFlows(pack, role, { options: Object.keys(pack.options) }).reduce(
        (ports, flow) => ports.union(flow.ports),
        PortSet.EMPTY,
      );
      expect(`${role}: ${actual.toString()}`).toBe(`${role}: ${expected.toString()}`);
    }
  });
});
