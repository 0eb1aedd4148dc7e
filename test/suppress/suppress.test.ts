import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';
import { scanFiles, scanFixture } from '../helpers/scan-fixture';

describe('suppressions', () => {
  const result = scanFixture('suppress');
  const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
  const byPort = (port: string) => fw101.find((finding) => finding.properties.traffic === `tcp/${port}`)!;

  it('applies an inline fwlint:ignore with a reason to the rule below it', () => {
    expect(byPort('443').suppression).toEqual({ kind: 'inSource', justification: 'public load balancer' });
  });

  it('does not apply an expired suppression, and reports that it expired', () => {
    expect(byPort('22').suppression).toBeUndefined();
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'suppress/expired', severity: 'warning', message: expect.stringContaining('expired on 2020-01-01') }));
  });

  it('scopes a config ignore by ports: 80 is accepted, 22 on the same group is not', () => {
    expect(byPort('80').suppression).toEqual({ kind: 'external', justification: 'public web' });
  });

  it('reports suppressions that matched nothing', () => {
    const unused = result.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused').map((diagnostic) => diagnostic.message);
    expect(unused).toEqual(expect.arrayContaining([expect.stringContaining('nothing to suppress here'), expect.stringContaining('matches nothing')]));
  });

  it('requires a reason', () => {
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'annotation/invalid', file: 'fixtures/suppress/web.tf', message: expect.stringContaining('needs a reason') }));
  });

  it('counts suppressed findings but keeps them out of the failing set', () => {
    expect(result.stats.suppressed).toBe(2);
    expect(fw101.filter((finding) => !finding.suppression).map((finding) => finding.properties.traffic)).toEqual(['tcp/22']);
  });
});

// Regression (QA): the first entry in list order took the finding, so the comment on the rule was called unused
// ("remove it") and the finding carried the target comment's reason.
describe('several suppressions covering one finding', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-nested-ignore-'));
  let result: ReturnType<typeof scan>;
  beforeAll(() => {
    fs.writeFileSync(path.join(directory, 't.yaml'), [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  # fwlint:ignore FW101 reason="public web, review by Q3" expires=2099-01-01',
      '  Web:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: x',
      '      SecurityGroupIngress:',
      '        # fwlint:ignore FW101 reason="bastion: SSH accepted permanently"',
      '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}',
      '        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}',
      '      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}]',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(directory, '.fwlint.yaml'), 'ignore:\n  - { check: FW101, target: "Web", ports: "tcp/443", reason: "config: public web" }\n');
    result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23', workers: 1 });
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('applies the most specific one: the rule comment, then the target comment, then the config', () => {
    expect(result.findings.map((finding) => [finding.properties.traffic, finding.suppression])).toEqual([
      ['tcp/22', { kind: 'inSource', justification: 'bastion: SSH accepted permanently' }],
      ['tcp/443', { kind: 'inSource', justification: 'public web, review by Q3' }],
    ]);
  });

  it('calls none of them unused: each covers a finding', () => {
    expect(result.diagnostics).toEqual([]);
  });
});

describe('annotations over several instances', () => {
  // Regression (issue #8 note): the annotation attached to one `count` instance only.
  const result = scanFixture('suppress-instances');

  it('maps every instance to the profile', () => {
    const missing = result.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.targetId);
    expect(missing).toEqual(['aws_security_group.vm[0]', 'aws_security_group.vm[1]']);
  });

  it('suppresses the rule in every instance, and does not call the annotation unused', () => {
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101).toHaveLength(2);
    expect(fw101.every((finding) => finding.suppression?.justification === 'public web')).toBe(true);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'suppress/unused')).toEqual([]);
  });
});

describe('in-source suppressions stay in their root module', () => {
  // Regression: `envs/dev` and `envs/prod` both define aws_security_group.web; a comment in dev muted prod's finding.
  const group = (comment: string): string => `resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
${comment}    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
  const ignore = '    # fwlint:ignore FW101 reason="dev bastion, torn down nightly"\n';
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-suppress-scope-'));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('envs/dev/main.tf', group(ignore));
    write('envs/prod/main.tf', group(''));
    // A module shared by two roots: a comment in the module's source applies to every instance.
    write('modules/bastion/main.tf', group(ignore));
    write('stacks/a/main.tf', 'module "bastion" {\n  source = "../../modules/bastion"\n}\n');
    write('stacks/b/main.tf', 'module "bastion" {\n  source = "../../modules/bastion"\n}\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const keepModel of [false, true]) {
    it(`a comment in one root module does not mute the same address in another (${keepModel ? 'whole model' : 'unit by unit'})`, () => {
      const result = scan({ paths: ['envs'], cwd: root, today: '2026-11-23', keepModel, workers: 1 });
      const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
      expect(fw101.map((finding) => [finding.location.file, finding.suppression?.justification ?? null])).toEqual([
        ['envs/dev/main.tf', 'dev bastion, torn down nightly'],
        ['envs/prod/main.tf', null],
      ]);
      expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('suppress/'))).toEqual([]);
    });
  }

  it('a comment in a module shared by two roots applies to both instances, and is used', () => {
    const result = scan({ paths: ['modules', 'stacks'], cwd: root, today: '2026-11-23', keepModel: false, workers: 1 });
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => finding.targetId)).toEqual(['module.bastion.aws_security_group.web', 'module.bastion.aws_security_group.web']);
    expect(fw101.every((finding) => finding.suppression?.justification === 'dev bastion, torn down nightly')).toBe(true);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('suppress/'))).toEqual([]);
  });
});

// Regression (QA): an entry for exactly the traffic a finding reports said "matched no finding; remove it" when a
// block rule or `publicPorts` had narrowed the finding below the rule as written.
describe('config ignore ports are compared with the traffic the finding reports', () => {
  function scanWith(files: Record<string, string>): ReturnType<typeof scan> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-ignore-traffic-'));
    try {
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(directory, name), content);
      return scan({ paths: ['.'], cwd: directory, today: '2026-11-23', workers: 1 });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }
  const outcome = (result: ReturnType<typeof scan>): string[] => [
    ...result.findings.map((finding) => `${finding.checkId} ${finding.properties.traffic} ${finding.suppression ? 'suppressed' : 'open'}`),
    ...result.diagnostics.map((diagnostic) => diagnostic.code),
  ];

  it('mutes a netsh finding on tcp/3389 whose rule also names 3390, closed by a block rule', () => {
    const host = 'netsh advfirewall firewall add rule name="Admin" dir=in action=allow protocol=tcp localport=3389-3390\nnetsh advfirewall firewall add rule name="NoAlt" dir=in action=block protocol=tcp localport=3390\n';
    expect(outcome(scanWith({ 'h.cmd': host, '.fwlint.yaml': 'ignore:\n  - { check: FW101, target: "h", ports: "tcp/3389", reason: "bastion RDP" }\n' }))).toEqual(['FW101 tcp/3389 suppressed']);
    // An entry narrower than what is reported still mutes nothing.
    expect(outcome(scanWith({ 'h.cmd': host.replace('3389-3390', '3388-3390'), '.fwlint.yaml': 'ignore:\n  - { check: FW101, target: "h", ports: "tcp/3389", reason: "bastion RDP" }\n' }))).toEqual([
      'FW101 tcp/3388-3389 open',
      'suppress/unused',
    ]);
  });

  it('mutes the part publicPorts leaves of a Terraform rule (tcp/443 of 80-443 with 80-442 public)', () => {
    const group = 'resource "aws_security_group" "lb" {\n  ingress {\n    protocol    = "tcp"\n    from_port   = 80\n    to_port     = 443\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const config = 'publicPorts: ["tcp/80-442"]\nignore:\n  - { check: FW101, target: "aws_security_group.lb", ports: "tcp/443", reason: "public web" }\n';
    expect(outcome(scanWith({ 'main.tf': group, '.fwlint.yaml': config }))).toEqual(['FW101 tcp/443 suppressed']);
    // The peer is still the rule's: an entry for another peer mutes nothing.
    const otherPeer = config.replace('ports: "tcp/443"', 'ports: "tcp/443", peer: "10.0.0.0/8"');
    expect(outcome(scanWith({ 'main.tf': group, '.fwlint.yaml': otherPeer }))).toEqual(['FW101 tcp/443 open', 'suppress/unused']);
  });

  it('mutes a finding on unresolved ports only by an entry that holds every port the value could be', () => {
    const host = 'netsh advfirewall firewall add rule name="App" dir=in action=allow protocol=tcp localport=%APP_PORT%\n';
    const entry = (ports: string) => `checks: { FW303: off }\nignore:\n  - { check: FW101, target: "h", ports: "${ports}", reason: "app port" }\n`;
    // %APP_PORT% may be any port, not only 443.
    expect(outcome(scanWith({ 'h.cmd': host, '.fwlint.yaml': entry('tcp/443') }))).toEqual(['FW101 tcp/<unresolved: %APP_PORT%> open', 'suppress/unused']);
    expect(outcome(scanWith({ 'h.cmd': host, '.fwlint.yaml': entry('tcp/0-65535') }))).toEqual(['FW101 tcp/<unresolved: %APP_PORT%> suppressed']);
  });
});

// QA 18/08: the items of one written place (a `dynamic` block, the instances of a counted rule resource) are one
// finding; an entry for tcp/443 could not accept the 443 item: the finding stayed "tcp/22, 443" and the entry was
// reported "matched no finding; remove it". The items an entry accepts are now a finding of their own, muted.
describe('config ignore ports on the items of one written place', () => {
  const dynamicGroup = (ports: string, peer = '0.0.0.0/0') =>
    `resource "aws_security_group" "web" {\n  name = "web"\n  dynamic "ingress" {\n    for_each = [${ports}]\n    content {\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = "tcp"\n      cidr_blocks = ["${peer}"]\n    }\n  }\n}\n`;
  const entry = (fields: string) => `ignore:\n  - { check: FW101, target: "aws_security_group.web", ${fields}, reason: "public web" }\n`;
  const outcome = (result: ReturnType<typeof scan>): string[] => [
    ...result.findings.map((finding) => `${finding.checkId} ${finding.message} ${finding.suppression ? 'suppressed' : 'open'}`),
    ...result.diagnostics.map((diagnostic) => diagnostic.code),
  ];

  it('mutes the accepted item and narrows the finding of the others', () => {
    expect(outcome(scanFiles({ 'main.tf': dynamicGroup('443, 22, 3389'), '.fwlint.yaml': entry('ports: "tcp/443"') }))).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22, 3389 open',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/443 suppressed',
    ]);
  });

  it('keeps the items one finding where one entry accepts them all, or none does', () => {
    expect(outcome(scanFiles({ 'main.tf': dynamicGroup('443, 22'), '.fwlint.yaml': entry('ports: "tcp/22,443"') }))).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22, 443 suppressed',
    ]);
    expect(outcome(scanFiles({ 'main.tf': dynamicGroup('443, 22'), '.fwlint.yaml': entry('ports: "tcp/8443"') }))).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22, 443 open',
      'suppress/unused',
    ]);
    // An expired entry mutes nothing, so it keeps no item apart either.
    expect(outcome(scanFiles({ 'main.tf': dynamicGroup('443, 22'), '.fwlint.yaml': entry('ports: "tcp/443", expires: 2026-01-31') }))).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22, 443 open',
      'suppress/expired',
    ]);
  });

  it('mutes the items of a counted rule resource (terraform-aws-modules ingress_rules) alike', () => {
    const rules =
      'variable "ingress_rules" {\n  default = ["https-443-tcp", "ssh-tcp"]\n}\nvariable "rules" {\n  default = {\n    https-443-tcp = [443, 443, "tcp"]\n    ssh-tcp       = [22, 22, "tcp"]\n  }\n}\n' +
      'resource "aws_security_group" "web" {\n  name = "web"\n}\n' +
      'resource "aws_security_group_rule" "ingress_rules" {\n  count             = length(var.ingress_rules)\n  security_group_id = aws_security_group.web.id\n  type              = "ingress"\n  cidr_blocks       = ["0.0.0.0/0"]\n' +
      '  from_port         = var.rules[var.ingress_rules[count.index]][0]\n  to_port           = var.rules[var.ingress_rules[count.index]][1]\n  protocol          = var.rules[var.ingress_rules[count.index]][2]\n}\n';
    expect(outcome(scanFiles({ 'main.tf': rules, '.fwlint.yaml': entry('ports: "tcp/443"') }))).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/22 open',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on tcp/443 suppressed',
    ]);
  });

  it('does the same for a check judging the rules as written (FW103)', () => {
    const wide =
      'resource "aws_security_group" "app" {\n  name = "app"\n  dynamic "ingress" {\n    for_each = [[1000, 3000], [4000, 9000]]\n    content {\n      from_port   = ingress.value[0]\n      to_port     = ingress.value[1]\n      protocol    = "tcp"\n      cidr_blocks = ["203.0.113.0/24"]\n    }\n  }\n}\n';
    const config = 'ignore:\n  - { check: FW103, target: "aws_security_group.app", ports: "tcp/1000-3000", reason: "media ports" }\n';
    expect(outcome(scanFiles({ 'main.tf': wide, '.fwlint.yaml': config })).filter((line) => line.startsWith('FW103'))).toEqual([
      'FW103 aws_security_group.app opens 2001 tcp ports (1000-3000) from 203.0.113.0/24, more than 1024 suppressed',
      'FW103 aws_security_group.app opens 5001 tcp ports (4000-9000) from 203.0.113.0/24, more than 1024 open',
    ]);
  });

  it('does the same by peer (FW102)', () => {
    const partners =
      'resource "aws_security_group" "app" {\n  name = "app"\n  dynamic "ingress" {\n    for_each = ["198.51.100.0/24", "203.0.113.0/24"]\n    content {\n      from_port   = 0\n      to_port     = 65535\n      protocol    = "tcp"\n      cidr_blocks = [ingress.value]\n    }\n  }\n}\n';
    const config = 'ignore:\n  - { check: FW102, target: "aws_security_group.app", peer: "198.51.100.0/24", reason: "partner" }\n';
    expect(outcome(scanFiles({ 'main.tf': partners, '.fwlint.yaml': config })).filter((line) => line.startsWith('FW102'))).toEqual([
      'FW102 aws_security_group.app allows every tcp port from 198.51.100.0/24 suppressed',
      'FW102 aws_security_group.app allows every tcp port from 203.0.113.0/24 open',
    ]);
  });

  // FW203 joins the items of one place open only for installation too: an entry for one item mutes it alone.
  it('does the same for the items open only for installation (FW203)', () => {
    const installOnly =
      '# fwlint:profile dell-emc-scaleio/sdc phase=operate\nresource "aws_security_group" "web" {\n  name = "web"\n  dynamic "ingress" {\n    for_each = [135, 445]\n    content {\n      from_port   = ingress.value\n      to_port     = ingress.value\n      protocol    = "tcp"\n      cidr_blocks = ["10.10.0.5/32"]\n    }\n  }\n}\n';
    const smb = 'ignore:\n  - { check: FW203, target: "aws_security_group.web", ports: "tcp/445", reason: "file share" }\n';
    expect(outcome(scanFiles({ 'main.tf': installOnly, '.fwlint.yaml': smb })).filter((line) => line.startsWith('FW203')).map((line) => line.replace(/, needed .*( \w+)$/, '$1'))).toEqual([
      'FW203 aws_security_group.web (dell-emc-scaleio/sdc) is in the operate phase but still allows tcp/135 open',
      'FW203 aws_security_group.web (dell-emc-scaleio/sdc) is in the operate phase but still allows tcp/445 suppressed',
    ]);
  });

  it('does the same for FW104 on egress items', () => {
    const egress =
      'resource "aws_security_group" "web" {\n  name = "web"\n  dynamic "egress" {\n    for_each = ["tcp", "udp"]\n    content {\n      from_port   = 0\n      to_port     = 65535\n      protocol    = egress.value\n      cidr_blocks = ["0.0.0.0/0"]\n    }\n  }\n}\n';
    const config = 'ignore:\n  - { check: FW104, target: "aws_security_group.web", ports: "tcp/0-65535", reason: "proxy-less web egress" }\n';
    expect(outcome(scanFiles({ 'main.tf': egress, '.fwlint.yaml': config })).filter((line) => line.startsWith('FW104'))).toEqual([
      'FW104 aws_security_group.web allows egress to 0.0.0.0/0 on tcp/all ports suppressed',
      'FW104 aws_security_group.web allows egress to 0.0.0.0/0 on udp/all ports open',
    ]);
  });
});

describe('annotations on a GCP firewall rule shared with the network', () => {
  // The untagged firewall's rule takes part in the web firewall's evaluation too (README "Terraform"); a comment on it
  // belongs to its own firewall only.
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-suppress-gcp-'));
    fs.writeFileSync(
      path.join(root, 'main.tf'),
      `resource "google_compute_firewall" "all" {
  name          = "all"
  network       = "vpc"
  source_ranges = ["10.0.0.0/8"]
  # fwlint:profile lumen-cloud/windows
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

resource "google_compute_firewall" "web" {
  name          = "web"
  network       = "vpc"
  source_ranges = ["10.0.0.0/8"]
  target_tags   = ["web"]
  allow {
    protocol = "tcp"
    ports    = ["80"]
  }
}
`,
    );
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('maps only the rule\'s own target to the profile', () => {
    const result = scan({ paths: ['.'], cwd: root, today: '2026-11-23' });
    expect(result.targets.find((target) => target.id === 'google_compute_firewall.web')!.sharedRules).toHaveLength(1);
    expect(result.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.targetId)).toEqual(['google_compute_firewall.all']);
  });
});

describe('an ignore comment on a GCP firewall rule shared with the network', () => {
  // The rule is reported in the mapped web firewall too (FW202 judges it against web's role): a comment on it must
  // reach that finding, and is used.
  it('suppresses the finding of every firewall that reports the rule', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-suppress-gcp-shared-'));
    try {
      const fixture = fs.readFileSync(path.join(__dirname, '../../fixtures/checks/FW202/terraform/bad-gcp-shared-rule.tf'), 'utf8');
      const annotated = fixture.replace('  allow {\n    protocol = "tcp"\n    ports    = ["8080"]', '  # fwlint:ignore FW202 reason="metrics scraper"\n  allow {\n    protocol = "tcp"\n    ports    = ["8080"]');
      expect(annotated).not.toBe(fixture);
      fs.writeFileSync(path.join(root, 'main.tf'), annotated);
      const result = scan({ paths: ['.'], cwd: root, today: '2026-11-23' });
      expect(result.findings.filter((finding) => finding.checkId === 'FW202').map((finding) => [finding.targetId, finding.suppression?.justification])).toEqual([
        ['google_compute_firewall.web', 'metrics scraper'],
      ]);
      expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('suppress/'))).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
