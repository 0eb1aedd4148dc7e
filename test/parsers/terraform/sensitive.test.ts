import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';
import { runCli } from '../../helpers/run-cli';

/**
 * Regression (qa-h2): values Terraform redacts (`sensitive = true`, `sensitive()`, plan `after_sensitive`) were echoed
 * in messages, JSON/SARIF properties and baselines ("allows ingress from 0.0.0.0/0" for `var.office_cidrs` set in
 * terraform.tfvars). They are still judged, but shown as `(sensitive value of …)`.
 */
const FIXTURE = 'terraform/sensitive';

describe('Terraform sensitive values', () => {
  it('judges sensitive values and marks the rules built from them, through locals, conditionals, sensitive() and module inputs', () => {
    const result = scanFixture(FIXTURE);
    expect(result.diagnostics).toEqual([]);
    const marks = result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.sensitive?.peer ?? '-'}`));
    expect(marks).toEqual([
      'aws_security_group.admin.ingress[0] 22 var.office_cidrs',
      'aws_security_group.admin.ingress[1] 3389 var.office_cidrs',
      'aws_security_group.admin.ingress[2] 873 local.backup_cidr',
      'aws_security_group.admin.ingress[3] 443 -',
      'module.admin.aws_security_group.admin.ingress[0] 5985 var.office_cidrs',
      'module.admin.aws_security_group.admin.ingress[0] 5985 var.office_cidrs',
    ]);
    // A redaction never hides a finding: every world-open rule is still reported, at its severity.
    const fw101 = result.findings.filter((finding) => finding.checkId === 'FW101');
    expect(fw101.map((finding) => `${finding.severity} ${finding.message}`)).toEqual([
      'critical aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/22',
      'critical aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/3389',
      'high aws_security_group.admin allows ingress from (sensitive value of local.backup_cidr) on tcp/873',
      'high aws_security_group.admin allows ingress from 0.0.0.0/0 on tcp/443',
      'critical module.admin.aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/5985',
    ]);
    const sensitive = fw101.filter((finding) => !finding.message.includes('tcp/443'));
    expect(sensitive[0]!.properties).toMatchObject({ peer: '(sensitive value of var.office_cidrs)', witness: 'tcp/22 from (sensitive value of var.office_cidrs)' });
    const shown = JSON.stringify(sensitive);
    expect(shown).not.toContain('0.0.0.0');
    expect(shown).not.toContain('203.0.113');
    expect(JSON.stringify(result.findings)).not.toContain('10.8.0.0');
  });

  it('keeps a value given with --var sensitive', () => {
    const result = scanFixture(FIXTURE, { parse: { vars: { office_cidrs: '["0.0.0.0/1", "128.0.0.0/1"]' }, varFiles: [], params: {} } });
    const ssh = result.findings.filter((finding) => finding.message.includes('tcp/22'));
    // The two CIDRs are one written value: one finding, whose union (0.0.0.0/0) is redacted too.
    expect(ssh.map((finding) => `${finding.severity} ${finding.message}`)).toEqual(['critical aws_security_group.admin allows ingress from (sensitive value of var.office_cidrs) on tcp/22']);
    expect(JSON.stringify(ssh)).not.toMatch(/(0|128)\.0\.0\.0/);
  });

  it('shows no sensitive value in SARIF, JSON or a written baseline', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-'));
    try {
      const baseline = path.join(folder, 'baseline.json');
      const fixture = path.join('fixtures', FIXTURE);
      const sarif = await runCli(['scan', fixture, '--format', 'sarif', '--write-baseline', baseline], REPO_ROOT);
      const json = await runCli(['scan', fixture, '--format', 'json'], REPO_ROOT);
      expect([sarif.code, json.code]).toEqual([1, 1]);
      const sensitiveOnes = (items: Array<{ message: unknown }>): string => {
        const shown = items.filter((item) => !JSON.stringify(item.message).includes('tcp/443'));
        expect(shown.length).toBe(4);
        return JSON.stringify(shown);
      };
      const outputs = [
        sensitiveOnes(JSON.parse(sarif.stdout).runs[0].results),
        sensitiveOnes(JSON.parse(json.stdout).findings),
        sensitiveOnes(JSON.parse(fs.readFileSync(baseline, 'utf8')).findings),
      ];
      for (const output of outputs) {
        expect(output).toContain('(sensitive value of var.office_cidrs)');
        expect(output).not.toContain('0.0.0.0');
      }
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

/**
 * Regression (qa-h1): the network ACL, Azure NSG and GCP firewall rule builders did not mark their rules, so a
 * sensitive `cidr_block`, `source_address_prefix(es)`, `source_ranges` or port was echoed in findings.
 */
describe('Terraform sensitive values of network ACLs, Azure NSGs and GCP firewalls', () => {
  const PLATFORMS = 'terraform/sensitive-platforms';

  it('marks the rules built from sensitive peers and ports, and still reports them world-open', () => {
    const result = scanFixture(PLATFORMS);
    expect(result.diagnostics).toEqual([]);
    const marks = result.targets.flatMap((target) => target.rules.map((rule) => `${rule.resourceAddress} ${rule.ports.toString()} ${rule.sensitive?.peer ?? '-'} ${rule.sensitive?.traffic ?? '-'}`));
    expect(marks).toEqual([
      'aws_network_acl.edge.ingress[0] 22 var.edge_cidr -',
      'aws_network_acl_rule.rdp 3389 - var.admin_port',
      'azurerm_network_security_group.app.security_rule[0] 22 var.admin_prefixes -',
      'azurerm_network_security_rule.rdp 3389 var.any_source -',
      'google_compute_firewall.admin.allow[0] 22 var.admin_prefixes -',
    ]);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.severity} ${finding.message}`)).toEqual([
      'FW101 critical aws_network_acl.edge allows ingress from (sensitive value of var.edge_cidr) on tcp/22',
      'FW101 critical aws_network_acl.edge allows ingress from 0.0.0.0/0 on tcp/(sensitive value of var.admin_port)',
      'FW101 critical azurerm_network_security_group.app allows ingress from (sensitive value of var.admin_prefixes) on tcp/22',
      'FW101 critical azurerm_network_security_group.app allows ingress from (sensitive value of var.any_source) on tcp/3389',
      'FW101 critical google_compute_firewall.admin allows ingress from (sensitive value of var.admin_prefixes) on tcp/22',
    ]);
  });

  it('shows no sensitive value in JSON or SARIF', async () => {
    const fixture = path.join('fixtures', PLATFORMS);
    const sarif = await runCli(['scan', fixture, '--format', 'sarif'], REPO_ROOT);
    const json = await runCli(['scan', fixture, '--format', 'json'], REPO_ROOT);
    expect([sarif.code, json.code]).toEqual([1, 1]);
    const outputs = [JSON.parse(sarif.stdout).runs[0].results, JSON.parse(json.stdout).findings] as Array<Array<{ message: unknown }>>;
    for (const findings of outputs) {
      expect(findings.length).toBe(5);
      // The NACL rule with a sensitive port has a plain peer; every other one has a sensitive peer.
      const sensitivePeers = findings.filter((finding) => !JSON.stringify(finding.message).includes('var.admin_port'));
      const shown = JSON.stringify(sensitivePeers);
      expect(sensitivePeers.length).toBe(4);
      expect(shown).not.toContain('0.0.0.0');
      expect(shown).not.toContain('::/0');
      expect(shown).not.toContain('"*"');
      expect(JSON.stringify(findings)).not.toContain('3389,');
      expect(JSON.stringify(findings.filter((finding) => JSON.stringify(finding.message).includes('var.admin_port')))).not.toContain('3389');
    }
  });

  it('marks the rules of a plan whose values are sensitive, and shows none of them', () => {
    const original = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/plan/plan.json'), 'utf8')) as {
      resource_changes: Array<{ address: string; change: { after: Record<string, unknown>; after_sensitive: Record<string, unknown> } }>;
    };
    const change = (address: string): { after: Record<string, unknown>; after_sensitive: Record<string, unknown> } => original.resource_changes.find((each) => each.address === address)!.change;
    change('aws_network_acl_rule.ephemeral_out').after_sensitive = { cidr_block: true };
    change('azurerm_network_security_rule.ssh').after.source_address_prefixes = ['*'];
    change('azurerm_network_security_rule.ssh').after_sensitive = { source_address_prefixes: [true] };
    change('google_compute_firewall.web').after_sensitive.source_ranges = true;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-plan-'));
    try {
      fs.writeFileSync(path.join(folder, 'plan.json'), JSON.stringify(original));
      const result = scan({ paths: ['plan.json'], cwd: folder, today: '2026-11-23' });
      const rules = result.targets.flatMap((target) => target.rules).filter((rule) => rule.sensitive !== undefined);
      expect(rules.map((rule) => `${rule.resourceAddress.replace(/#\w+/, '#')} ${JSON.stringify(rule.sensitive)}`)).toEqual([
        'aws_network_acl_rule.ephemeral_out {"peer":""}',
        'azurerm_network_security_rule.ssh {"peer":""}',
        'google_compute_firewall.web.allow[#] {"peer":""}',
      ]);
      const named = result.findings.filter((finding) => /ephemeral_out|rule\.ssh|compute_firewall\.web/.test(finding.ruleId ?? ''));
      expect(named.map((finding) => `${finding.checkId} ${finding.message}`).sort()).toEqual([
        'FW101 azurerm_network_security_group.app allows ingress from (sensitive value) on tcp/22, 2200-2210',
        'FW101 google_compute_firewall.web allows ingress from (sensitive value) on tcp/80, 443',
        'FW103 aws_network_acl.edge opens 64512 tcp ports (1024-65535) to (sensitive value), more than 1024',
      ]);
      expect(JSON.stringify(named)).not.toMatch(/0\.0\.0\.0|::\/0|"\*"/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

/** Regression (qa-h1): diagnostics about an invalid value quoted it, a sensitive one too (`"not-a-cidr" is not a CIDR`). */
describe('Terraform diagnostics about sensitive values', () => {
  const VARIABLES = ['bad_cidr', 'bad_host', 'bad_port', 'bad_protocol', 'bad_prefix', 'bad_action', 'source_port']
    .map((name) => `variable "${name}" {\n  sensitive = true\n}\n`)
    .join('');
  const TFVARS = 'bad_cidr = "secret-cidr"\nbad_host = "10.99.0.1/8"\nbad_port = "77777"\nbad_protocol = "secretproto"\nbad_prefix = "secret prefix!"\nbad_action = "secretaction"\nsource_port = "72222"\n';
  const MAIN = `${VARIABLES}
resource "aws_security_group" "sg" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.bad_cidr, var.bad_host]
  }
  ingress {
    from_port   = 22
    to_port     = var.bad_port
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = var.bad_protocol
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_network_acl" "edge" {
  ingress {
    rule_no    = 100
    action     = var.bad_action
    protocol   = "tcp"
    cidr_block = "10.0.0.0/8"
    from_port  = 22
    to_port    = 22
  }
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = var.bad_host
    from_port  = 22
    to_port    = var.bad_port
  }
  ingress {
    rule_no    = 120
    action     = "allow"
    protocol   = "tcp"
    cidr_block = var.bad_host
    from_port  = 22
    to_port    = 22
  }
}

resource "azurerm_network_security_group" "app" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "a"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = var.bad_protocol
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "b"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = var.bad_port
    source_address_prefix      = var.bad_prefix
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "c"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = var.source_port
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
  security_rule {
    name                       = "d"
    priority                   = 130
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = var.bad_prefix
    destination_address_prefix = "*"
  }
}

resource "google_compute_firewall" "admin" {
  name    = "admin"
  network = "default"
  allow {
    protocol = var.bad_protocol
  }
  allow {
    protocol = "tcp"
    ports    = [var.bad_port]
  }
  source_ranges = [var.bad_host, var.bad_cidr]
}
`;

  it('name a sensitive invalid value by its expression, never by the value', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-diagnostics-'));
    try {
      fs.writeFileSync(path.join(folder, 'main.tf'), MAIN);
      fs.writeFileSync(path.join(folder, 'terraform.tfvars'), TFVARS);
      const result = scan({ paths: ['.'], cwd: folder, today: '2026-11-23' });
      const messages = result.diagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.message}`);
      expect(messages).toEqual([
        'parse/terraform-cidr aws_security_group.sg.ingress[0]: (sensitive value of var.bad_cidr) is not a valid IPv4 CIDR (cidr_blocks)',
        'parse/terraform-cidr aws_security_group.sg.ingress[0]: (sensitive value of var.bad_host) is not a valid IPv4 CIDR (cidr_blocks)',
        'parse/terraform-port aws_security_group.sg.ingress[1]: (sensitive value of var.bad_port) is not a valid port range (from_port, to_port)',
        'parse/terraform-protocol aws_security_group.sg.ingress[2]: unknown protocol (sensitive value of var.bad_protocol)',
        'parse/terraform-nacl-action aws_network_acl.edge.ingress[0]: action must be "allow" or "deny", got (sensitive value of var.bad_action)',
        'parse/terraform-port aws_network_acl.edge.ingress[1]: (sensitive value of var.bad_port) is not a valid port range (from_port, to_port)',
        'parse/terraform-cidr aws_network_acl.edge.ingress[2]: (sensitive value of var.bad_host) is not a valid IPv4 CIDR (cidr_block)',
        'parse/terraform-protocol azurerm_network_security_group.app.security_rule[0]: protocol must be one of Tcp, Udp, Icmp, Esp, Ah, *; got (sensitive value of var.bad_protocol)',
        'parse/terraform-port azurerm_network_security_group.app.security_rule[1]: (sensitive value of var.bad_port) is not a valid port range (destination_port_range)',
        'parse/terraform-port azurerm_network_security_group.app.security_rule[2]: (sensitive value of var.source_port) is not a valid port range (source_port_range)',
        'parse/terraform-cidr azurerm_network_security_group.app.security_rule[3]: (sensitive value of var.bad_prefix) is not an address prefix or service tag (source_address_prefix)',
        'parse/terraform-protocol google_compute_firewall.admin.allow[0]: unknown protocol (sensitive value of var.bad_protocol)',
        'parse/terraform-port google_compute_firewall.admin.allow[1]: (sensitive value of var.bad_port) is not a valid port range (ports)',
        // 10.99.0.1/8 is valid here: GCP masks host bits.
        'parse/terraform-cidr google_compute_firewall.admin: (sensitive value of var.bad_cidr) is not a valid CIDR (source_ranges)',
      ]);
      expect(JSON.stringify(result.diagnostics)).not.toMatch(/secret|10\.99|10\.0\.0\.0\/8|77777|72222/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

/**
 * Regression (qa-h1): FW302 names the rule that contains the reported one by its address only, but its fingerprint
 * hashed that rule's content, a sensitive value too (a hash of a guessable `0.0.0.0/0` reveals it).
 */
describe('Terraform sensitive values of a rule another finding names', () => {
  const MAIN = `variable "wide" {
  type      = string
  sensitive = true
}

resource "aws_security_group" "web" {
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = [var.wide]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.1.0.0/16"]
  }
}
`;

  function fw302(wide: string): Array<{ message: string; fingerprint: string }> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-fw302-'));
    try {
      fs.writeFileSync(path.join(folder, 'main.tf'), MAIN);
      const result = scan({ paths: ['.'], cwd: folder, today: '2026-11-23', parse: { vars: { wide }, varFiles: [], params: {} } });
      return result.findings.filter((finding) => finding.checkId === 'FW302').map(({ message, fingerprint }) => ({ message, fingerprint }));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }

  it('keeps the fingerprint of a finding whose containing rule is sensitive when that value changes', () => {
    const open = fw302('0.0.0.0/0');
    // Regression (qa-h5): the contained rule's peer was shown, which tells that the sensitive value holds it.
    expect(open.map((finding) => finding.message)).toEqual(['aws_security_group.web: rule aws_security_group.web.ingress[1] (tcp/443 from (sensitive value of var.wide)) is fully contained in aws_security_group.web.ingress[0]']);
    // The fingerprint names the containing rule's value by its expression: the same for any value, as for the rule's own.
    expect(fw302('10.0.0.0/8')).toEqual(open);
  });

  // Regression (qa-h5): a rule that duplicates a sensitive one showed its own peer and ports, which are the value.
  it('shows neither the peer nor the ports of a rule that duplicates a sensitive one', () => {
    const rule = (ports: string, cidr: string): string => `  ingress {
    from_port   = ${ports}
    to_port     = ${ports}
    protocol    = "tcp"
    cidr_blocks = [${cidr}]
  }
`;
    const result = scanFolder({
      'main.tf': `variable "office" {
  sensitive = true
  default   = "198.51.100.0/24"
}
variable "port" {
  sensitive = true
  default   = 8443
}
resource "aws_security_group" "web" {
${rule('443', 'var.office')}${rule('443', '"198.51.100.0/24"')}${rule('var.port', '"10.0.0.0/8"')}${rule('8443', '"10.0.0.0/8"')}}
`,
    });
    expect(result.findings.filter((finding) => finding.checkId === 'FW302').map((finding) => finding.message)).toEqual([
      'aws_security_group.web: rule aws_security_group.web.ingress[1] (tcp/443 from (sensitive value of var.office)) duplicates aws_security_group.web.ingress[0]',
      'aws_security_group.web: rule aws_security_group.web.ingress[3] (tcp/(sensitive value of var.port) from 10.0.0.0/8) duplicates aws_security_group.web.ingress[2]',
    ]);
    expect(JSON.stringify(result.findings.filter((finding) => finding.checkId === 'FW302'))).not.toMatch(/198\.51|8443/);
  });

  // Regression (qa-h5): a rule inside a sensitive list's CIDRs together only (10.0.0.0/8 inside 10.0.0.0/9 and
  // 10.128.0.0/9) was shown, as the redaction knew the first CIDR only.
  it('redacts a rule that only a sensitive written rule\'s items hold together', () => {
    const result = scanFolder({
      'main.tf': `variable "office" {\n  type      = list(string)\n  sensitive = true\n  default   = ["10.0.0.0/9", "10.128.0.0/9"]\n}\nresource "aws_security_group" "web" {\n  ingress {\n    from_port   = 0\n    to_port     = 65535\n    protocol    = "tcp"\n    cidr_blocks = var.office\n  }\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`,
    });
    const fw302 = result.findings.filter((finding) => finding.checkId === 'FW302');
    expect(fw302.map((finding) => finding.message)).toEqual([
      'aws_security_group.web: rule aws_security_group.web.ingress[1] (tcp/443 from (sensitive value of var.office)) is fully contained in aws_security_group.web.ingress[0]',
    ]);
    expect(JSON.stringify(fw302)).not.toContain('10.0.0.0');
  });
});

// Regression (QA w4): ports from sensitive variables were shown where checks write them without a protocol (FW103's
// "opens 8001 tcp ports (1000-9000)", `properties.ports`, FW202's `excess[].ports`), and FW101 named the service of a
// sensitive port (`sensitiveServices: ["ssh"]`).
describe('Terraform sensitive ports written without their protocol', () => {
  it('shows neither the ports nor the services named after them', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-ports-'));
    try {
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        `variable "p" {
  type      = number
  sensitive = true
  default   = 22
}
variable "lo" {
  type      = number
  sensitive = true
  default   = 1000
}
variable "hi" {
  type      = number
  sensitive = true
  default   = 9000
}
resource "aws_security_group" "a" {
  ingress {
    from_port   = var.p
    to_port     = var.p
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = var.lo
    to_port     = var.hi
    protocol    = "tcp"
    cidr_blocks = ["198.51.100.0/24"]
  }
  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
      );
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      const shown = JSON.stringify(result.findings);
      expect(shown).not.toMatch(/1000-9000|"ssh"/);
      const wide = result.findings.find((finding) => finding.checkId === 'FW103')!;
      expect(wide.message).toBe('aws_security_group.a opens 8001 tcp ports ((sensitive value of var.lo)) from 198.51.100.0/24, more than 1024');
      expect(wide.properties.ports).toBe('(sensitive value of var.lo)');
      const services = result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.properties.sensitiveServices);
      // The service of a port that is not sensitive is still named.
      expect(services).toEqual([['(sensitive value of var.p)'], ['rdp']]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** Scans a temporary folder holding `files` (name → text), then removes it. */
function scanFolder(files: Record<string, string>, options: Partial<Parameters<typeof scan>[0]> = {}): ReturnType<typeof scan> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-sensitive-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    return scan({ paths: ['.'], cwd: folder, today: '2026-11-23', ...options });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

// Regression (qa-h5): FW201 named the exact part of a bound peer that a sensitive rule leaves missing: with
// scaleio-nodes bound to 10.10.0.0/16, "tcp/7072 from 10.10.128.0/17 is not allowed" tells that the sensitive
// var.office is 10.10.0.0/17, and "tcp/6611 to 10.10.128.0/17" that the sensitive port of the rule to 10.10.0.0/17
// is 6611.
describe('Terraform sensitive values that shape what a required flow misses', () => {
  const CONFIG = `targets:
  - match: ["aws_security_group.sds"]
    profile: dell-emc-scaleio/sds
    phase: operate
    peers: { scaleio-nodes: ["10.10.0.0/16"] }
`;
  const main = (sensitive: boolean): string => `variable "office" {
  type      = string
  sensitive = ${sensitive}
  default   = "10.10.0.0/17"
}
variable "mdm_port" {
  type      = number
  sensitive = ${sensitive}
  default   = 6611
}
resource "aws_security_group" "sds" {
  ingress {
    from_port   = 7072
    to_port     = 7072
    protocol    = "tcp"
    cidr_blocks = [var.office]
  }
  egress {
    from_port   = var.mdm_port
    to_port     = var.mdm_port
    protocol    = "tcp"
    cidr_blocks = ["10.10.0.0/17"]
  }
  egress {
    from_port   = 7072
    to_port     = 9011
    protocol    = "tcp"
    cidr_blocks = ["10.10.0.0/16"]
  }
}
`;
  const fw201 = (sensitive: boolean) => scanFolder({ '.fwlint.yaml': CONFIG, 'main.tf': main(sensitive) }).findings.filter((finding) => finding.checkId === 'FW201');

  it('names the whole flow and the value it depends on, never the part left', () => {
    expect(fw201(false).map((finding) => finding.message)).toEqual([
      'aws_security_group.sds (dell-emc-scaleio/sds): tcp/6611 to 10.10.128.0/17 (MDM communication to the MDMs (other end of their operate-phase 6611 from scaleio-nodes)) is not allowed',
      'aws_security_group.sds (dell-emc-scaleio/sds): tcp/7072 from 10.10.128.0/17 (SDS communication, needed during install and after) is not allowed',
    ]);
    const findings = fw201(true);
    expect(findings.map((finding) => finding.message)).toEqual([
      'aws_security_group.sds (dell-emc-scaleio/sds): part of tcp/6611 to 10.10.0.0/16 (which part depends on (sensitive value of var.mdm_port)) (MDM communication to the MDMs (other end of their operate-phase 6611 from scaleio-nodes)) is not allowed',
      'aws_security_group.sds (dell-emc-scaleio/sds): part of tcp/7072 from 10.10.0.0/16 (which part depends on (sensitive value of var.office)) (SDS communication, needed during install and after) is not allowed',
    ]);
    expect(findings[1]!.properties).toMatchObject({
      missing: [{ traffic: 'part of tcp/7072 from 10.10.0.0/16', ports: '7072', addresses: '10.10.0.0/16', dependsOn: '(sensitive value of var.office)' }],
      witness: '(sensitive value of var.office)',
    });
    expect(JSON.stringify(findings)).not.toMatch(/10\.10\.128|10\.10\.0\.0\/17/);
  });

  // Regression (qa-h5): the note on an unconfirmed flow quoted a sensitive group or prefix list id as what cannot be
  // resolved ("but prefix list pl-0secret, security group sg-0secret cannot be resolved statically").
  it('names a sensitive group or prefix list that may carry the flow by its origin', () => {
    const variable = (name: string, value: string): string => `variable "${name}" {\n  sensitive = true\n  default   = "${value}"\n}\n`;
    const result = scanFolder({
      '.fwlint.yaml': CONFIG,
      'main.tf': `${variable('sg', 'sg-0secret')}${variable('pl', 'pl-0secret')}resource "aws_security_group" "sds" {
  ingress {
    from_port       = 7072
    to_port         = 7072
    protocol        = "tcp"
    security_groups = [var.sg]
    prefix_list_ids = [var.pl]
  }
}
`,
    });
    const unconfirmed = result.findings.filter((finding) => finding.messageId === 'unconfirmed');
    expect(unconfirmed.map((finding) => finding.message)).toEqual([
      'aws_security_group.sds (dell-emc-scaleio/sds): tcp/7072 from 10.10.0.0/16 (SDS communication, needed during install and after) cannot be confirmed: aws_security_group.sds.ingress[0] may carry it, but (sensitive value of var.pl), (sensitive value of var.sg) cannot be resolved statically',
    ]);
    expect(JSON.stringify(result.findings)).not.toContain('secret');
  });
});

// Regression (qa-h5): a fwlint:profile tag whose value is sensitive was quoted by the warnings about it ("needs
// <pack>/<role>, got "…"", "unknown role '…' in pack …").
describe('Terraform sensitive fwlint:profile tags', () => {
  it('name the value in the diagnostics about it, never quote it', () => {
    const variable = (name: string, value: string): string => `variable "${name}" {\n  sensitive = true\n  default   = ${value}\n}\n`;
    const group = (name: string, tags: string): string => `resource "aws_security_group" "${name}" {\n  tags = ${tags}\n}\n`;
    const result = scanFolder({
      'main.tf': [
        variable('role', '"dell-emc-scaleio/secret-role"'),
        variable('word', '"secretword"'),
        variable('tags', '{ "fwlint:profile" = "secretpack/sds" }'),
        group('role', '{ "fwlint:profile" = var.role }'),
        group('word', '{ "fwlint:profile" = var.word }'),
        group('option', '{ "fwlint:profile" = "dell-emc-scaleio/sds options=${var.word} phase=install phase=operate" }'),
        group('tags', 'var.tags'),
      ].join(''),
    });
    expect(result.diagnostics.map((diagnostic) => `${diagnostic.range?.startLine} ${diagnostic.code} ${diagnostic.message}`)).toEqual([
      '14 packs/unknown-role (sensitive value of var.role) names no role of its pack (fwlint:profile)',
      '17 parse/terraform-profile-tag aws_security_group.word: (sensitive value of var.word) is not a valid fwlint:profile value (<pack>/<role> [phase=install|operate] [options=a,b])',
      '20 packs/unknown-option (sensitive value of var.word) names no option of its pack (fwlint:profile)',
      '20 parse/terraform-profile-tag aws_security_group.option: (sensitive value of var.word) is not a valid fwlint:profile value (<pack>/<role> [phase=install|operate] [options=a,b])',
      '23 packs/unknown-pack (sensitive value of var.tags) names no known rule pack (fwlint:profile)',
    ]);
    expect(JSON.stringify(result.diagnostics)).not.toMatch(/secret/);
  });

  it('name a plan\'s sensitive tag value (after_sensitive) the same way', () => {
    const change = { actions: ['create'], before: null, after: { name: 'a', tags: { 'fwlint:profile': 'dell-emc-scaleio/secret-role' }, ingress: [], egress: [] }, after_unknown: {}, after_sensitive: { tags: { 'fwlint:profile': true } } };
    const plan = {
      format_version: '1.2',
      resource_changes: [{ address: 'aws_security_group.a', mode: 'managed', type: 'aws_security_group', name: 'a', change }],
      configuration: { root_module: { resources: [{ address: 'aws_security_group.a', mode: 'managed', type: 'aws_security_group', name: 'a', expressions: {} }] } },
    };
    const result = scanFolder({ 'plan.json': JSON.stringify(plan) });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code.startsWith('packs/')).map((diagnostic) => diagnostic.message)).toEqual(['(sensitive value) names no role of its pack (fwlint:profile)']);
    expect(JSON.stringify(result.diagnostics)).not.toMatch(/secret/);
  });
});

// Regression (qa-h5): a sensitive ICMP type or code was shown ("on icmp echo-request (type 8)", its witness and
// `properties.icmp`): the port redaction skipped rules of every port, as ICMP rules are.
describe('Terraform sensitive ICMP types and codes', () => {
  it('are named in messages, witnesses and properties, for security groups and network ACLs', () => {
    const variable = (name: string, value: number): string => `variable "${name}" {\n  type      = number\n  sensitive = true\n  default   = ${value}\n}\n`;
    const result = scanFolder({
      'main.tf': `${variable('echo', 8)}${variable('code', 4)}
resource "aws_security_group" "web" {
  ingress {
    from_port   = var.echo
    to_port     = -1
    protocol    = "icmp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 3
    to_port     = var.code
    protocol    = "icmp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_network_acl" "edge" {
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "icmp"
    cidr_block = "0.0.0.0/0"
    icmp_type  = var.echo
    icmp_code  = -1
    from_port  = 0
    to_port    = 0
  }
}
`,
    });
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on icmp (sensitive value of var.echo)',
      'FW101 aws_security_group.web allows ingress from 0.0.0.0/0 on icmp (sensitive value of var.code)',
      'FW101 aws_network_acl.edge allows ingress from 0.0.0.0/0 on icmp (sensitive value of var.echo)',
    ]);
    expect(result.findings[0]!.properties).toMatchObject({ witness: 'icmp (sensitive value of var.echo) from 203.0.113.7', icmp: '(sensitive value of var.echo)' });
    expect(JSON.stringify(result.findings)).not.toMatch(/type 8|echo-request|code 4|"type":/);
  });
});

// Regression (qa-h5): FW301 showed the peer of an allow rule that a sensitive deny overrides, which lies inside it.
describe('Terraform sensitive rules that override another', () => {
  it('redact what FW301 shows of the overridden rule inside their value', () => {
    const entry = (number: number, action: string, cidr: string): string => `  ingress {\n    rule_no    = ${number}\n    action     = "${action}"\n    protocol   = "tcp"\n    cidr_block = ${cidr}\n    from_port  = 22\n    to_port    = 22\n  }\n`;
    const result = scanFolder({
      'main.tf': `variable "blocked" {\n  sensitive = true\n  default   = "10.0.0.0/8"\n}\nresource "aws_network_acl" "edge" {\n${entry(100, 'deny', 'var.blocked')}${entry(110, 'allow', '"10.1.0.0/16"')}}\n`,
    });
    const fw301 = result.findings.filter((finding) => finding.checkId === 'FW301');
    expect(fw301.map((finding) => finding.message)).toEqual([
      'aws_network_acl.edge: allow rule aws_network_acl.edge.ingress[1] ((sensitive value of var.blocked)) never takes effect; it is fully overridden by aws_network_acl.edge.ingress[0]',
    ]);
    expect(JSON.stringify(fw301)).not.toContain('10.1.0.0');
  });
});

// Regression (qa-h5): what a sensitive deny leaves of an allow was shown exactly: "allows ingress from 0.0.0.0/0 on
// tcp/7000-7049, 7051-9100" (FW101, FW103) tells that the deny's var.port is 7050, and FW202's "rule allows … from
// 10.10.128.0/17" that the deny's var.blocked is 10.10.0.0/17.
describe('Terraform sensitive denies that take part of an allow', () => {
  const entry = (number: number, action: string, cidr: string, from: string, to: string): string =>
    `  ingress {\n    rule_no    = ${number}\n    action     = "${action}"\n    protocol   = "tcp"\n    cidr_block = ${cidr}\n    from_port  = ${from}\n    to_port    = ${to}\n  }\n`;

  it('name the allow\'s part left by what it depends on (FW101, FW103)', () => {
    const result = scanFolder({
      'main.tf': `variable "port" {\n  sensitive = true\n  default   = 7050\n}\nresource "aws_network_acl" "edge" {\n${entry(100, 'deny', '"0.0.0.0/0"', 'var.port', 'var.port')}${entry(110, 'allow', '"0.0.0.0/0"', '7000', '9100')}}\n`,
    });
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.message}`)).toEqual([
      'FW101 aws_network_acl.edge allows ingress from 0.0.0.0/0 on part of tcp/7000-9100 (which part depends on (sensitive value of var.port))',
      'FW103 aws_network_acl.edge opens 2100 tcp ports (part of 7000-9100 (which part depends on (sensitive value of var.port))) from 0.0.0.0/0, more than 1024 (the rule allows 7000-9100; deny rules that take precedence block the rest from public addresses)',
    ]);
    expect(JSON.stringify(result.findings)).not.toMatch(/7049|7051/);
  });

  it('name the part of a rule beyond a role that a sensitive deny leaves (FW202), and keep the role\'s advice', () => {
    const nsgRule = (name: string, priority: number, access: string, ports: string, source: string): string =>
      `  security_rule {\n    name                       = "${name}"\n    priority                   = ${priority}\n    direction                  = "Inbound"\n    access                     = "${access}"\n    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = ${ports}\n    source_address_prefix      = ${source}\n    destination_address_prefix = "*"\n  }\n`;
    const result = scanFolder({
      '.fwlint.yaml': 'targets:\n  - match: ["azurerm_network_security_group.sds"]\n    profile: dell-emc-scaleio/sds\n    phase: operate\n    peers: { scaleio-nodes: ["10.10.0.0/16"] }\n',
      'main.tf': `variable "blocked" {\n  sensitive = true\n  default   = "10.10.0.0/17"\n}\nresource "azurerm_network_security_group" "sds" {\n  name                = "sds"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${nsgRule('deny', 100, 'Deny', '"7000-7100"', 'var.blocked')}${nsgRule('allow', 200, 'Allow', '"7000-7100"', '"10.10.0.0/16"')}}\n`,
    });
    const fw202 = result.findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202.map((finding) => finding.message)).toEqual([
      "azurerm_network_security_group.sds (dell-emc-scaleio/sds): rule allows tcp/7000-7071, 7073-7100 from part of 10.10.0.0/16 (which part depends on (sensitive value of var.blocked)) beyond the vendor's advanced rule set; use instead: tcp/7072 from 10.10.0.0/16 (scaleio-nodes)",
    ]);
    expect(fw202[0]!.properties).toMatchObject({ excess: [{ addresses: 'part of 10.10.0.0/16 (which part depends on (sensitive value of var.blocked))' }] });
    expect(JSON.stringify(result.findings)).not.toContain('10.10.128');
  });
});

// Regression (qa-h5): standalone rules naming a group that is not among the resources by a sensitive id (or an NSG
// by a sensitive name or resource group) made a target named after the value, shown in every finding.
describe('Terraform sensitive ids of groups that are not among the resources', () => {
  it('name the target by the value\'s origin, one target per value', () => {
    const variable = (name: string, value: string): string => `variable "${name}" {\n  sensitive = true\n  default   = ${value}\n}\n`;
    const awsRule = (name: string, group: string, port: number): string =>
      `resource "aws_security_group_rule" "${name}" {\n  type              = "ingress"\n  security_group_id = ${group}\n  from_port         = ${port}\n  to_port           = ${port}\n  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n`;
    const nsgRule = (name: string, priority: number, port: number): string =>
      `resource "azurerm_network_security_rule" "${name}" {\n  name                        = "${name}"\n  priority                    = ${priority}\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "${port}"\n  source_address_prefix       = "*"\n  destination_address_prefix  = "*"\n  resource_group_name         = var.rg\n  network_security_group_name = var.nsg\n}\n`;
    const result = scanFolder({
      'main.tf': [
        variable('ids', '["sg-0secret1", "sg-0secret2"]'),
        variable('rg', '"rg-secret"'),
        variable('nsg', '"nsg-secret"'),
        awsRule('a1', 'var.ids[0]', 80),
        awsRule('a2', 'var.ids[0]', 81),
        awsRule('b1', 'var.ids[1]', 82),
        awsRule('b2', 'var.ids[1]', 83),
        nsgRule('ssh', 100, 22),
        nsgRule('rdp', 110, 3389),
      ].join(''),
    });
    expect(result.targets.map((target) => `${target.id}: ${target.rules.map((rule) => rule.ports.toString()).join(', ')}`)).toEqual([
      '(sensitive value of var.ids): 80, 81',
      '(sensitive value of var.ids) #2: 82, 83',
      '(sensitive value of var.rg)/(sensitive value of var.nsg): 22, 3389',
    ]);
    expect(JSON.stringify(result.findings)).not.toContain('secret');
  });
});
