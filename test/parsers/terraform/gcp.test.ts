import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import { protocolName } from '../../../src/model/protocol';
import type { Rule } from '../../../src/model/rule';
import { scan } from '../../../src/pipeline/scan';
import { scanFixture } from '../../helpers/scan-fixture';

function summary(rule: Rule): string {
  return `${rule.direction} ${rule.action} ${rule.priority ?? '-'} ${protocolName(rule.protocol)}/${rule.ports.toString()} ${describePeer(rule.peer)}${rule.enabled ? '' : ' (disabled)'}`;
}

describe('Terraform Google Cloud firewalls (issue #8)', () => {
  const result = scanFixture('terraform/gcp');
  const byId = new Map(result.targets.map((target) => [target.id, target]));
  const own = (id: string): string[] => byId.get(id)!.rules.filter((rule) => rule.resourceAddress.startsWith(`${id}.`)).map(summary);

  it('makes one target per firewall resource, with its allow/deny blocks, direction, priority and peers', () => {
    expect(result.diagnostics).toEqual([]);
    expect([...byId.keys()]).toEqual([
      'google_compute_firewall.block_telnet',
      'google_compute_firewall.egress_dns',
      'google_compute_firewall.internal',
      'google_compute_firewall.legacy',
      'google_compute_firewall.web',
    ]);
    expect(own('google_compute_firewall.web')).toEqual(['in allow 1000 tcp/80, 443, 8000-8080 0.0.0.0/0', 'in allow 1000 tcp/80, 443, 8000-8080 ::/0']);
    expect(own('google_compute_firewall.internal')).toEqual([
      'in allow 500 udp/0-65535 network tag app',
      'in allow 500 udp/0-65535 service account app@example-project.iam.gserviceaccount.com',
      'in allow 500 icmp/0-65535 network tag app',
      'in allow 500 icmp/0-65535 service account app@example-project.iam.gserviceaccount.com',
    ]);
    expect(own('google_compute_firewall.egress_dns')).toEqual(['out allow 1000 udp/53 8.8.8.8/32', 'out allow 1000 udp/53 2001:4860:4860::8888/128']);
    expect(own('google_compute_firewall.block_telnet')).toEqual(['in deny 1000 tcp/23 10.0.0.0/8']);
    expect(own('google_compute_firewall.legacy')).toEqual(['in allow 1000 tcp/3389 192.0.2.0/24 (disabled)']);
  });

  it('keeps target tags and service accounts as the target scope', () => {
    expect(byId.get('google_compute_firewall.web')!.scope).toEqual(['web']);
    expect(byId.get('google_compute_firewall.internal')!.scope).toEqual(['db@example-project.iam.gserviceaccount.com']);
    expect(byId.get('google_compute_firewall.block_telnet')!.scope).toBeUndefined();
  });

  it('lets rules of other firewalls on the network that cover the target take part in its precedence', () => {
    for (const id of ['google_compute_firewall.web', 'google_compute_firewall.internal', 'google_compute_firewall.legacy', 'google_compute_firewall.egress_dns']) {
      expect(byId.get(id)!.rules.filter((rule) => rule.action === 'deny').map((rule) => rule.resourceAddress)).toEqual(['google_compute_firewall.block_telnet.deny[0]']);
    }
    // The untagged firewalls apply to the web instances too; they are shared, reported in their own targets only.
    expect(byId.get('google_compute_firewall.web')!.sharedRules!.map((rule) => rule.resourceAddress)).toEqual([
      'google_compute_firewall.block_telnet.deny[0]',
      'google_compute_firewall.egress_dns.allow[0]',
      'google_compute_firewall.egress_dns.allow[0]',
      'google_compute_firewall.legacy.allow[0]',
    ]);
    // The web firewall's rules apply to web instances only: no other firewall receives them.
    expect(result.targets.filter((target) => target.rules.some((rule) => rule.resourceAddress.startsWith('google_compute_firewall.web.'))).map((target) => target.id)).toEqual(['google_compute_firewall.web']);
    // Egress allows are not affected by an ingress deny; each written rule is counted once.
    expect(result.findings.filter((finding) => finding.targetId === 'google_compute_firewall.egress_dns')).toEqual([]);
    expect(result.stats.rules).toBe(10);
    // At equal priority a deny beats an allow (FW301 fixture).
    const tie = scanFixture('checks/FW301/terraform/bad-gcp-deny-wins-tie.tf');
    expect(tie.findings.filter((finding) => finding.checkId === 'FW301').map((finding) => finding.properties.overriddenBy)).toEqual([['google_compute_firewall.deny_ssh.deny[0]']]);
  });

  it('opens every port when a block has no ports, and treats a rule without sources as from 0.0.0.0/0', () => {
    const noPorts = scanFixture('checks/FW101/terraform/bad-gcp-no-ports.tf');
    expect(noPorts.targets[0]!.rules.map(summary)).toEqual(['in allow 1000 tcp/0-65535 0.0.0.0/0']);
    const plan = scanFixture('terraform/plan/main.tf');
    const icmp = plan.targets.find((target) => target.id === 'google_compute_firewall.icmp')!;
    expect(icmp.rules.map(summary)).toEqual(['in allow 1000 icmp/0-65535 0.0.0.0/0']);
    expect(icmp.rules[0]!.icmp).toEqual({ type: 'any', code: 'any' });
    // The implied source is located at the resource header: there is no value to point at.
    expect(icmp.rules[0]!.peerLocation!.range.startLine).toBe(icmp.location.range.startLine);
  });

  it('reports a disabled rule as not enforced: it opens nothing', () => {
    expect(result.findings.filter((finding) => finding.targetId === 'google_compute_firewall.legacy')).toEqual([]);
  });

  it('reports an invalid direction and builds no rule', () => {
    const invalid = scanFixture('terraform/invalid');
    expect(invalid.targets.find((target) => target.id === 'google_compute_firewall.broken')!.rules).toEqual([]);
    expect(invalid.diagnostics.filter((diagnostic) => diagnostic.message.startsWith('google')).map((diagnostic) => [diagnostic.code, diagnostic.range?.startLine])).toEqual([['parse/terraform-gcp-direction', 77]]);
  });
});

describe('Terraform Google Cloud firewalls of one network, judged together', () => {
  const result = scanFixture('terraform/gcp-network');
  const findings = (checkId: string): Array<[string, number]> =>
    result.findings.filter((finding) => finding.checkId === checkId).map((finding) => [finding.targetId, finding.location.range.startLine]);

  it('keeps one target per firewall resource, each rule at its own place', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toHaveLength(14);
    expect(result.stats.rules).toBe(14);
  });

  it('adds up allows of several firewalls: two halves of IPv4 are world-open (FW101), a required flow is complete (FW201)', () => {
    expect(findings('FW101')).toEqual([
      ['google_compute_firewall.ssh_low', 8],
      ['google_compute_firewall.ssh_high', 20],
      ['google_compute_firewall.web_ssh', 74],
      ['google_compute_firewall.open_http', 99],
      ['google_compute_firewall.lab_ssh', 176],
    ]);
    expect(result.findings.filter((finding) => finding.targetId === 'google_compute_firewall.ssh_low').map((finding) => finding.messageId)).toEqual(['worldOpenCombined']);
    expect(findings('FW201')).toEqual([]);
  });

  it('lets a deny for all instances override an allow for some, but not a deny for other target tags', () => {
    expect(result.findings.filter((finding) => finding.checkId === 'FW301').map((finding) => [finding.targetId, finding.properties.overriddenBy])).toEqual([
      ['google_compute_firewall.web_rdp', ['google_compute_firewall.deny_rdp.deny[0]']],
    ]);
    // deny_web_http applies to web instances only: open_http still opens tcp/8080 on the others (FW101 above).
    expect(result.targets.find((target) => target.id === 'google_compute_firewall.open_http')!.rules.map((rule) => rule.resourceAddress)).toEqual([
      'google_compute_firewall.deny_rdp.deny[0]',
      'google_compute_firewall.open_http.allow[0]',
    ]);
    // Unresolved target tags may name some instances only: that deny hides nothing from lab_ssh (FW101 above).
    expect(result.targets.find((target) => target.id === 'google_compute_firewall.lab_ssh')!.rules.map((rule) => rule.resourceAddress)).toEqual(['google_compute_firewall.lab_ssh.allow[0]']);
  });

  it('reports one of two equal rules of one scope as redundant, once', () => {
    expect(findings('FW302')).toEqual([['google_compute_firewall.metrics_b', 148]]);
  });
});

// Regression (QA): a firewall naming its network by name and one naming it by reference did not share it, so two
// halves of IPv4 in them passed (0 findings).
describe('Terraform Google Cloud firewalls naming one network by name and by reference', () => {
  it('joins them: the network resource\'s name stands for the reference', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-gcp-network-'));
    try {
      const firewall = (name: string, network: string, range: string): string =>
        `resource "google_compute_firewall" "${name}" {\n  name          = "${name}"\n  network       = ${network}\n  source_ranges = ["${range}"]\n  allow {\n    protocol = "tcp"\n    ports    = ["3389"]\n  }\n}\n`;
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        `resource "google_compute_network" "vpc" { name = "vpc" }\n${firewall('a', '"vpc"', '0.0.0.0/1')}${firewall('b', 'google_compute_network.vpc.self_link', '128.0.0.0/1')}`,
      );
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.messageId}`)).toEqual([
        'FW101 google_compute_firewall.a worldOpenCombined',
        'FW101 google_compute_firewall.b worldOpenCombined',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA): firewalls in different projects naming the same network name were judged as one network, so two
// halves of IPv4 in two projects were reported world-open (FW101).
describe('Terraform Google Cloud firewalls of one network name in several projects', () => {
  it('joins firewalls of one project only; one that does not tell its project joins where the name has one known project', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-gcp-project-'));
    try {
      const firewall = (name: string, network: string, project: string | undefined, range: string): string =>
        `resource "google_compute_firewall" "${name}" {\n  name          = "${name}"\n  network       = ${network}\n${project ? `  project       = "${project}"\n` : ''}  source_ranges = ["${range}"]\n  allow {\n    protocol = "tcp"\n    ports    = ["3389"]\n  }\n}\n`;
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        [
          // "vpc" in two known projects: a and b are apart; c and d, which do not tell theirs, only join each other.
          firewall('a', '"vpc"', 'proj-a', '0.0.0.0/1'),
          firewall('b', '"vpc"', 'proj-b', '128.0.0.0/1'),
          firewall('c', '"vpc"', undefined, '128.0.0.0/1'),
          firewall('d', '"vpc"', undefined, '0.0.0.0/1'),
          // "edge" in one known project (the network resource's): e, which does not tell its project, joins f.
          'resource "google_compute_network" "edge" {\n  name    = "edge"\n  project = "proj-e"\n}\n',
          firewall('e', '"edge"', undefined, '0.0.0.0/1'),
          firewall('f', 'google_compute_network.edge.self_link', undefined, '128.0.0.0/1'),
          // A self link names the project: "edge2" of proj-x is not "edge2" of proj-y.
          firewall('g', '"projects/proj-x/global/networks/edge2"', undefined, '0.0.0.0/1'),
          firewall('h', '"edge2"', 'proj-y', '128.0.0.0/1'),
        ].join(''),
      );
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.map((finding) => `${finding.checkId} ${finding.targetId} ${finding.messageId}`)).toEqual([
        'FW101 google_compute_firewall.c worldOpenCombined',
        'FW101 google_compute_firewall.d worldOpenCombined',
        'FW101 google_compute_firewall.e worldOpenCombined',
        'FW101 google_compute_firewall.f worldOpenCombined',
      ]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// Regression (QA h6): a firewall without `project` was taken to be in an unknown project, though Terraform puts it in
// its provider configuration's: firewalls under providers of different projects were merged, and one under the
// provider of an explicitly named project was not joined with it.
describe('Terraform Google Cloud firewalls in their provider configuration\'s project', () => {
  it('reads the default and aliased providers\' project, passed down to modules as Terraform does', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-gcp-provider-'));
    try {
      const firewall = (name: string, network: string, extra: string, range: string, ports = '3389'): string =>
        `resource "google_compute_firewall" "${name}" {\n  name          = "${name}"\n  network       = "${network}"\n${extra}  source_ranges = ["${range}"]\n  allow {\n    protocol = "tcp"\n    ports    = ["${ports}"]\n  }\n}\n`;
      const write = (file: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
        fs.writeFileSync(path.join(directory, file), text);
      };
      write(
        'main.tf',
        [
          'variable "project" {\n  default = "proj-a"\n}\n',
          'provider "google" {\n  project = var.project\n}\n',
          'provider "google" {\n  alias   = "b"\n  project = "proj-b"\n}\n',
          // "vpc": a (default provider, proj-a) joins c (proj-a written); b (alias, proj-b) and the module's d
          // (given google.b) are in proj-b, where IPv4 is not covered.
          firewall('a', 'vpc', '', '0.0.0.0/1'),
          firewall('b', 'vpc', '  provider      = google.b\n', '0.0.0.0/1', '3389-3390'),
          firewall('c', 'vpc', '  project       = "proj-a"\n', '128.0.0.0/1'),
          'module "other" {\n  source    = "./other"\n  providers = {\n    google = google.b\n  }\n}\n',
          // "vpc3": the module's f inherits the default provider (proj-a) and joins g, not h of proj-z.
          'module "inherit" {\n  source = "./inherit"\n}\n',
          firewall('g', 'vpc3', '  project       = "proj-a"\n', '128.0.0.0/1'),
          firewall('h', 'vpc3', '  project       = "proj-z"\n', '128.0.0.0/1'),
          // A null project is no project: i is in proj-a too.
          firewall('i', 'vpc3', '  project       = null\n', '128.0.0.0/1', '3390'),
          // "vpc4": the network resource has no project, so it is in the default provider's; j, under a provider
          // without one, is in its network's proj-a and joins k, not l of proj-z.
          'provider "google" {\n  alias = "noproj"\n}\n',
          'resource "google_compute_network" "n4" {\n  name = "vpc4"\n}\n',
          firewall('j', 'vpc4', '  provider      = google.noproj\n', '0.0.0.0/1').replace('"vpc4"', 'google_compute_network.n4.self_link'),
          firewall('k', 'vpc4', '  project       = "proj-a"\n', '128.0.0.0/1'),
          firewall('l', 'vpc4', '  project       = "proj-z"\n', '128.0.0.0/1'),
        ].join(''),
      );
      write('other/main.tf', firewall('d', 'vpc', '', '128.0.0.0/2'));
      write('inherit/main.tf', firewall('f', 'vpc3', '', '0.0.0.0/1'));
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => `${finding.targetId} ${finding.messageId}`)).toEqual([
        'module.inherit.google_compute_firewall.f worldOpenCombined',
        'google_compute_firewall.a worldOpenCombined',
        'google_compute_firewall.c worldOpenCombined',
        'google_compute_firewall.g worldOpenCombined',
        'google_compute_firewall.j worldOpenCombined',
        'google_compute_firewall.k worldOpenCombined',
      ]);
      // Each firewall is judged with the rules of its own project's network only.
      const networkOf = (id: string): string[] => [...new Set(result.targets.find((target) => target.id === id)!.rules.map((rule) => rule.resourceAddress.replace(/\.allow\[0\]$/, '')))].sort();
      expect(networkOf('google_compute_firewall.a')).toEqual(['google_compute_firewall.a', 'google_compute_firewall.c']);
      expect(networkOf('google_compute_firewall.b')).toEqual(['google_compute_firewall.b', 'module.other.google_compute_firewall.d']);
      expect(networkOf('module.inherit.google_compute_firewall.f')).toEqual(['google_compute_firewall.g', 'google_compute_firewall.i', 'module.inherit.google_compute_firewall.f']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

// QA 18/04: a network reference crossing a module boundary (a module output, a module input, a data source) was not
// followed to its name: those firewalls were not judged with the ones writing "prod-vpc", so split world-open RDP passed
// and a guard-rail deny was ignored (a false critical). What cannot be resolved is an FW303 note, never silence.
describe('Terraform Google Cloud firewalls naming one network across module boundaries', () => {
  const result = scanFixture('terraform/gcp-network-across-modules');
  const folderOf = (file: string): string => path.relative('fixtures/terraform/gcp-network-across-modules', file).split(path.sep).slice(0, -1).join('/');
  const found = (checkId: string): Array<[string, string]> =>
    result.findings.filter((finding) => finding.checkId === checkId).map((finding) => [folderOf(finding.location.file), finding.targetId]);

  it('joins a module output, a module input, a data source and a network of a child module to the network\'s name', () => {
    expect(result.diagnostics).toEqual([]);
    expect(found('FW101')).toEqual([
      ['data-source', 'google_compute_firewall.rdp_low'],
      ['data-source', 'google_compute_firewall.rdp_high'],
      ['module-input', 'google_compute_firewall.rdp_high'],
      ['module-output', 'google_compute_firewall.rdp_low'],
      ['module-output', 'google_compute_firewall.rdp_high'],
      ['modules/app', 'module.app.google_compute_firewall.rdp_low'],
      ['modules/app', 'module.app.google_compute_firewall.rdp_high'],
      ['modules/firewall', 'module.firewall.google_compute_firewall.rdp_low'],
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').every((finding) => finding.messageId === 'worldOpenCombined')).toBe(true);
  });

  it('lets a deny naming the network override an allow naming it through a module output', () => {
    expect(found('FW301')).toEqual([['guard-rail-deny', 'google_compute_firewall.allow_rdp']]);
    expect(result.findings.filter((finding) => folderOf(finding.location.file) === 'guard-rail-deny' && finding.checkId === 'FW101')).toEqual([]);
  });

  it('reports a network that cannot be resolved (FW303) and judges that firewall without the others', () => {
    expect(result.findings.filter((finding) => finding.checkId === 'FW303').map((finding) => [folderOf(finding.location.file), finding.location.range.startLine, finding.message])).toEqual([
      ['unresolved', 7, 'google_compute_firewall.rdp_low: google_compute_firewall.rdp_low.network could not be resolved statically (var.network); the rule was checked only as far as it is known'],
    ]);
    expect(found('FW101').filter(([folder]) => folder === 'unresolved')).toEqual([]);
  });
});
