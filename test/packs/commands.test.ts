import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli';
import { REPO_ROOT } from '../helpers/scan-fixture';

/** `fwlint profiles show` and `fwlint render` as a user runs them: flags, exit codes and messages. */
async function run(args: string[], cwd = REPO_ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runCli(args, cwd);
  return { code, stdout, stderr };
}

describe('fwlint profiles show', () => {
  it('lists every flow of the role by default, conditional ones with their condition', async () => {
    const { code, stdout } = await run(['profiles', 'show', 'citrix-app-layering/appliance', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { allConditions: boolean; flows: Array<{ condition: string | null; ports: string[] }> };
    expect(json.allConditions).toBe(true);
    const list = JSON.parse((await run(['profiles', '--json'])).stdout) as { packs: Array<{ id: string; roles: Array<{ id: string; flows: number }> }> };
    const count = list.packs.find((pack) => pack.id === 'citrix-app-layering')!.roles.find((role) => role.id === 'appliance')!.flows;
    expect(json.flows).toHaveLength(count);
    expect(json.flows.filter((flow) => flow.condition === 'nutanix').map((flow) => flow.ports)).toEqual([['3506'], ['9440']]);

    const text = (await run(['profiles', 'show', 'netapp-cloud-manager/cvo'])).stdout;
    expect(text).toMatch(/^out\s+all\s+all\s+ha-partner\s+-\s+ha\s+/m);
    expect(text).toMatch(/^out\s+tcp\s+5010\s+backup-endpoint\s+-\s+backup-to-s3\s+/m);
  });

  it('--option keeps the unconditional flows and those of the options named, and says what it left out', async () => {
    const { code, stdout } = await run(['profiles', 'show', 'citrix-app-layering/appliance', '--option', 'azure']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^out\s+tcp\s+443\s+azure\s+-\s+azure\s+/m);
    expect(stdout).not.toMatch(/nutanix-prism/);
    expect(stdout).toMatch(/conditional flows are not shown: they need option citrix-hypervisor, citrix-provisioning, google, hyper-v, nutanix, vsphere/);
  });

  it('--param sets a pack parameter; a bad name or value exits 2', async () => {
    const shown = await run(['profiles', 'show', 'dell-emc-scaleio/mdm', '--param', 'wmi-port=30000']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^in\s+tcp\s+30000\s+installer\s+install\s+/m);
    expect(shown.stdout).not.toMatch(/24158/);
    expect(shown.stdout).toContain('parameters: wmi-port=30000');
    const unknown = await run(['profiles', 'show', 'dell-emc-scaleio/mdm', '--param', 'wmi-prot=30000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown parameter 'wmi-prot' for pack 'dell-emc-scaleio'; known parameters: wmi-port");
    const bad = await run(['profiles', 'show', 'dell-emc-scaleio/mdm', '--param', 'wmi-port=high']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--param expects NAME=PORT');
    expect((await run(['profiles', 'show', 'dell-emc-scaleio/mdm', '--param', 'wmi-port=70000'])).code).toBe(2);
  });
});

describe('fwlint render', () => {
  // Review item (fix/uxb): silent no-ops. A pack peer the role does not use, or a phase on a role without phases.
  it('warns (exit 0) on a --peer the pack knows but the role does not use, naming the role\'s peers', async () => {
    const { code, stdout, stderr } = await run(['render', 'netapp-cloud-manager/ha-mediator', '-f', 'netsh', '--peer', 'clients=10.0.0.0/8']);
    expect(code).toBe(0);
    expect(stdout).toContain('netsh advfirewall');
    expect(stderr).toBe("fwlint: warning: --peer: peer 'clients' is not a peer of netapp-cloud-manager/ha-mediator (no flow of the role uses it; the binding has no effect); its peers: admin, cloud-manager, aws-api, anywhere\n");
    expect((await run(['render', 'netapp-cloud-manager/ha-mediator', '-f', 'netsh', '--peer', 'admin=10.0.0.0/8'])).stderr).toBe('');
  });

  it('warns (exit 0) on --phase for a role none of whose flows has a phase; not for a role with phases', async () => {
    for (const command of [['render', 'lumen-cloud/linux', '-f', 'json'], ['profiles', 'show', 'lumen-cloud/linux']]) {
      const { code, stderr } = await run([...command, '--phase', 'install']);
      expect(code).toBe(0);
      expect(stderr).toBe("fwlint: warning: --phase: phase 'install' has no effect on lumen-cloud/linux: none of its flows is limited to a phase, so all of them apply\n");
    }
    expect((await run(['render', 'dell-emc-scaleio/sds', '-f', 'json', '--phase', 'install'])).stderr).toBe('');
  });

  it('exits 2 on a --peer name the pack does not know, naming the role\'s peers', async () => {
    const { code, stdout, stderr } = await run(['render', 'dell-emc-scaleio/sds', '-f', 'netsh', '--peer', 'nobody=10.0.0.0/8']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown peer 'nobody' for dell-emc-scaleio/sds; its peers: installer, scaleio-nodes");
    expect((await run(['render', 'dell-emc-scaleio/sds', '-f', 'netsh', '--peer', 'installer=10.0.0.5/32'])).code).toBe(0);
  });

  it('--param sets the port of a parameterised flow', async () => {
    const { code, stdout } = await run(['render', 'dell-emc-scaleio/sdc', '-f', 'netsh', '--param', 'wmi-port=30000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/localport=30000 /);
    expect(stdout).not.toMatch(/24158/);
    expect(stdout).toContain('REM phase: all (install and operate); options: none; parameters: wmi-port=30000');
  });
});

/**
 * QA 13: the rendering of the vendor's advanced rule set, scanned as a user would (the annotation alone, no
 * configuration), passes fwlint's default gate: NetApp's all-traffic flows with the HA partner failed it (FW102).
 * Every built-in role with all its options, in every format a scan reads (`json` describes the role, it is no input),
 * with its peers unbound (variables, parameters, placeholders) and bound.
 */
describe('fwlint render output passes fwlint scan', () => {
  const { loadPacks } = require('../../src/packs') as typeof import('../../src/packs');
  const formats = [{ format: 'terraform', file: 'main.tf' }, { format: 'cloudformation', file: 'template.yaml' }, { format: 'netsh', file: 'host.cmd' }];
  const cases = loadPacks([]).value.flatMap((pack) =>
    Object.entries(pack.roles).flatMap(([role, profile]) => {
      const options = Object.keys(pack.options).flatMap((option) => ['--option', option]);
      const peers = [...new Set(profile.flows.map((flow) => flow.peer))].flatMap((peer, index) => ['--peer', `${peer}=10.${index}.0.0/24`]);
      return formats.flatMap(({ format, file }) => [
        { ref: `${pack.id}/${role}`, format, file, peers: 'unbound', args: options },
        { ref: `${pack.id}/${role}`, format, file, peers: 'bound', args: [...options, ...peers] },
      ]);
    }),
  );

  it.each(cases)('$ref $format, peers $peers', async ({ ref, format, file, args }) => {
    const rendered = await run(['render', ref, '-f', format, ...args]);
    expect(rendered.code).toBe(0);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-render-gate-'));
    try {
      fs.writeFileSync(path.join(directory, file), rendered.stdout);
      const scanned = await run(['scan', '.', '--format', 'json'], directory);
      const report = JSON.parse(scanned.stdout) as { findings: Array<{ checkId: string; severity: string; message: string; suppression: unknown }>; diagnostics?: unknown[] };
      const gated = report.findings.filter((finding) => finding.suppression === null && finding.severity !== 'note');
      expect(gated.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([]);
      expect(scanned.code).toBe(0);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('says why it does not gate the all-traffic flows it renders (netapp-cloud-manager/ha-mediator-internal)', async () => {
    const { stdout } = await run(['render', 'netapp-cloud-manager/ha-mediator-internal', '-f', 'terraform', '--peer', 'ha-nodes=10.0.1.0/24']);
    expect(stdout).toContain('  # fwlint:ignore FW102 reason="vendor\'s advanced rule set: in/all/all/ha-nodes needs all traffic from ha-nodes"\n  ingress {');
    expect(stdout).toContain('  # fwlint:ignore FW102 reason="vendor\'s advanced rule set: out/all/all/ha-nodes needs all traffic to ha-nodes"\n  egress {');
  });
});

describe('-c/--config on profiles show and render', () => {
  let directory: string;
  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-packs-config-'));
    fs.mkdirSync(path.join(directory, 'conf', 'packs'), { recursive: true });
    fs.writeFileSync(path.join(directory, 'conf', 'fw.yaml'), 'rulePacks: [./packs]\n');
    fs.writeFileSync(
      path.join(directory, 'conf', 'packs', 'acme.yaml'),
      [
        'id: acme',
        'title: Acme',
        'vendor: Acme',
        'productVersion: "1"',
        'source: acme.txt',
        'peers: { ops: Operators }',
        'roles:',
        '  web:',
        '    title: Web server',
        '    description: Acme web server',
        '    flows:',
        '      - { direction: in, protocol: tcp, ports: ["8443"], peer: ops, purpose: Admin console }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('loads the config file\'s rulePacks', async () => {
    expect((await run(['profiles', 'show', 'acme/web'], directory)).code).toBe(2);
    const shown = await run(['profiles', 'show', 'acme/web', '-c', 'conf/fw.yaml'], directory);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^in\s+tcp\s+8443\s+ops\s+/m);
    const rendered = await run(['render', 'acme/web', '--format', 'netsh', '--config', 'conf/fw.yaml', '--peer', 'ops=10.1.0.0/16'], directory);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toMatch(/localport=8443 remoteip=10\.1\.0\.0\/16/);
  });
});
