import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli';

// QA s13 f5 items 1 and 2: FW202's replacement for an `aws_security_group_rule` was inline `ingress {}` blocks under a
// comment (pasted over the resource, they do not parse), and it had no SARIF fix; a block with one flagged family of
// a dual-stack rule had no SARIF fix either. Each test applies what fwlint offers, literally, and scans again.

let directory = '';
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-rule-resource-fixes-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { region: SarifRegion } }>;
  properties: Record<string, unknown>;
  fixes?: Array<{ description: { text: string }; artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: Array<{ deletedRegion: SarifRegion; insertedContent: { text: string } }> }> }>;
}

const LINUX_CONFIG = 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/linux\n    peers:\n      control-portal: ["10.5.0.0/24"]\n';

/** Writes main.tf and .fwlint.yaml into a folder of its own and returns the SARIF results of scanning it. */
async function sarifOf(name: string, text: string, config: string): Promise<SarifResult[]> {
  const folder = path.join(directory, name);
  fs.mkdirSync(path.join(folder, '.git'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'main.tf'), text);
  fs.writeFileSync(path.join(folder, '.fwlint.yaml'), config);
  const run = await runCli(['scan', '.', '--format', 'sarif'], folder);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { runs: Array<{ results: SarifResult[] }> }).runs[0]!.results;
}

/** `text` with `region` (1-based lines and columns, end column exclusive) replaced by `inserted`. */
function replaceRegion(text: string, region: SarifRegion, inserted: string): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
  return text.slice(0, offset(region.startLine, region.startColumn)) + inserted + text.slice(offset(region.endLine, region.endColumn));
}

/** The text with every SARIF fix of `results` applied, the last region first so that earlier ones keep their place. */
function withSarifFixes(text: string, results: SarifResult[]): string {
  const replacements = results.flatMap((result) => result.fixes ?? []).flatMap((fix) => fix.artifactChanges.flatMap((change) => change.replacements));
  replacements.sort((a, b) => b.deletedRegion.startLine - a.deletedRegion.startLine);
  return replacements.reduce((fixed, replacement) => replaceRegion(fixed, replacement.deletedRegion, replacement.insertedContent.text), text);
}

const fw202 = (results: SarifResult[]): SarifResult[] => results.filter((result) => result.ruleId === 'FW202');

const GROUP = 'resource "aws_security_group" "web" {\n  name = "web"\n}\n\n';
const SSH_ADMIN = `${GROUP}resource "aws_security_group_rule" "web_ssh_admin" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}
`;

describe('FW202 on an aws_security_group_rule', () => {
  it('offers aws_security_group_rule resources with its security_group_id, named after it, over the whole resource', async () => {
    const results = fw202(await sarifOf('ssh-admin', SSH_ADMIN, LINUX_CONFIG));
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result!.locations[0]!.physicalLocation.region).toEqual({ startLine: 5, startColumn: 1, endLine: 12, endColumn: 2 });
    const resource = [
      'resource "aws_security_group_rule" "web_ssh_admin_1" {',
      '  type              = "ingress"',
      '  security_group_id = aws_security_group.web.id',
      expect.stringMatching(/^ {2}description {7}= "SSH used by the Control Portal[^"]*\[in\/tcp\/22\/control-portal\]"$/),
      '  from_port         = 22',
      '  to_port           = 22',
      '  protocol          = "tcp"',
      '  cidr_blocks       = ["10.5.0.0/24"]',
      '}',
    ];
    const replacement = String(result!.properties.replacement);
    expect(replacement).not.toMatch(/ingress \{|write one rule resource per block/);
    expect(replacement.trimEnd().split('\n').slice(-resource.length)).toEqual(resource);
    expect(result!.fixes).toHaveLength(1);
    const [change] = result!.fixes![0]!.artifactChanges;
    expect(change!.replacements.map((each) => each.deletedRegion)).toEqual([{ startLine: 5, startColumn: 1, endLine: 12, endColumn: 2 }]);
    expect(change!.replacements[0]!.insertedContent.text.split('\n')).toEqual(resource);
  });

  it('rescans clean with the replacement pasted over the finding, and with the SARIF fix applied', async () => {
    const results = fw202(await sarifOf('ssh-admin-applied', SSH_ADMIN, LINUX_CONFIG));
    const pasted = replaceRegion(SSH_ADMIN, results[0]!.locations[0]!.physicalLocation.region, String(results[0]!.properties.replacement).trimEnd());
    const fixed = withSarifFixes(SSH_ADMIN, results);
    for (const [name, text] of [['pasted', pasted], ['fixed', fixed]] as const) {
      const rescanned = await sarifOf(`ssh-admin-${name}`, text, LINUX_CONFIG);
      expect(rescanned.map((result) => `${result.ruleId} ${result.message.text}`)).toEqual([]);
    }
  });

  it('writes an egress rule as type "egress", and both families of a dual-stack flow in one resource', async () => {
    const config = 'targets:\n  - match: ["*"]\n    profile: netapp-cloud-manager/ha-mediator\n    peers:\n      admin: ["10.1.0.0/24", "2001:db8:1::/48"]\n      cloud-manager: ["10.2.0.10/32"]\n      aws-api: ["10.2.5.0/24"]\n';
    const text = `${GROUP}resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  ipv6_cidr_blocks  = ["2001:db8::/32"]
}

resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.web.id
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  cidr_blocks       = ["10.2.0.0/16"]
}

resource "aws_security_group_rule" "api" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 3000
  to_port           = 3000
  protocol          = "tcp"
  cidr_blocks       = ["10.2.0.10/32"]
}
`;
    const results = fw202(await sarifOf('families', text, config));
    const inserted = results.flatMap((result) => result.fixes ?? []).map((fix) => fix.artifactChanges[0]!.replacements[0]!.insertedContent.text);
    expect(inserted).toEqual([
      expect.stringMatching(/^resource "aws_security_group_rule" "ssh_1" \{\n {2}type {14}= "ingress"\n[\s\S]*\n {2}cidr_blocks {7}= \["10\.1\.0\.0\/24"\]\n {2}ipv6_cidr_blocks {2}= \["2001:db8:1::\/48"\]\n\}$/),
      expect.stringMatching(/^resource "aws_security_group_rule" "out_1" \{\n {2}type {14}= "egress"\n {2}security_group_id = aws_security_group\.web\.id\n[\s\S]*\n {2}cidr_blocks {7}= \["10\.2\.0\.10\/32"\]\n\}\n\nresource "aws_security_group_rule" "out_2" \{\n {2}type {14}= "egress"\n/),
    ]);
    const rescanned = await sarifOf('families-fixed', withSarifFixes(text, results), config);
    // udp/53 to aws-api was never allowed: FW201 says so before and after.
    expect(rescanned.filter((result) => /^FW20[12]$/.test(result.ruleId)).map((result) => result.message.text)).toEqual([expect.stringContaining('udp/53 to 10.2.5.0/24')]);
  });

  it('removes a rule resource the role needs none of', async () => {
    const text = SSH_ADMIN.replace('from_port         = 0', 'from_port         = 8080').replace('to_port           = 65535', 'to_port           = 8080');
    const results = fw202(await sarifOf('removed', text, LINUX_CONFIG));
    expect(results.map((result) => result.message.text)).toEqual([expect.stringContaining('the role needs none of it: remove the rule')]);
    expect(results[0]!.fixes!.map((fix) => fix.description.text)).toEqual(['Remove the resource (lumen-cloud/linux needs no such rule)']);
    const rescanned = await sarifOf('removed-fixed', withSarifFixes(text, results), LINUX_CONFIG);
    expect(rescanned.filter((result) => result.ruleId === 'FW202')).toEqual([]);
  });

  it('keeps the inline blocks under a note for a counted rule resource (its text makes other instances)', async () => {
    const text = SSH_ADMIN.replace('  type ', '  count             = 1\n  type ');
    const results = fw202(await sarifOf('counted', text, LINUX_CONFIG));
    expect(String(results[0]!.properties.replacement)).toContain('is a rule resource: write one rule resource per block below');
    expect(results[0]!.fixes).toBeUndefined();
  });
});

describe('FW202 SARIF fix for a dual-stack rule with one family flagged', () => {
  const MEDIATOR = (cidrs: string, ipv6: string, resource: boolean): string =>
    resource
      ? `${GROUP}resource "aws_security_group_rule" "ssh" {\n  type              = "ingress"\n  security_group_id = aws_security_group.web.id\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = ${cidrs}\n  ipv6_cidr_blocks  = ${ipv6}\n}\n`
      : `resource "aws_security_group" "web" {\n  name = "web"\n  ingress {\n    from_port        = 22\n    to_port          = 22\n    protocol         = "tcp"\n    cidr_blocks      = ${cidrs}\n    ipv6_cidr_blocks = ${ipv6}\n  }\n}\n`;
  const config = (admin: string): string => `targets:\n  - match: ["*"]\n    profile: netapp-cloud-manager/ha-mediator\n    peers:\n      admin: ${admin}\n      cloud-manager: ["10.2.0.10/32"]\n`;

  it.each([
    ['an inline block, IPv4 world flagged, IPv6 world allowed', false, '["0.0.0.0/0"]', '["::/0"]', '["10.1.0.0/24", "::/0"]', /cidr_blocks {6}= \["10\.1\.0\.0\/24"\]\n {4}ipv6_cidr_blocks = \["::\/0"\]/, 'keeping what ::/0 carries'],
    ['an inline block, IPv6 flagged, IPv4 exact', false, '["10.1.0.0/24"]', '["2001:db8::/32"]', '["10.1.0.0/24", "2001:db8:1::/48"]', /cidr_blocks {6}= \["10\.1\.0\.0\/24"\]\n {4}ipv6_cidr_blocks = \["2001:db8:1::\/48"\]/, 'keeping what 10.1.0.0/24 carries'],
    ['a rule resource, IPv4 world flagged, IPv6 world allowed', true, '["0.0.0.0/0"]', '["::/0"]', '["10.1.0.0/24", "::/0"]', /cidr_blocks {7}= \["10\.1\.0\.0\/24"\]\n {2}ipv6_cidr_blocks {2}= \["::\/0"\]/, 'keeping what ::/0 carries'],
  ])('%s: the fix writes both families, and the fixed file has no FW202 or FW201', async (_, resource, cidrs, ipv6, admin, written, keeping) => {
    const name = `dual-${resource ? 'resource' : 'block'}-${cidrs.length}`;
    const text = MEDIATOR(cidrs, ipv6, resource);
    const results = fw202(await sarifOf(name, text, config(admin)));
    expect(results).toHaveLength(1);
    expect(results[0]!.message.text).toMatch(/; keep (::\/0|10\.1\.0\.0\/24)$/);
    const fixes = results[0]!.fixes ?? [];
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.description.text).toContain(keeping);
    const inserted = fixes[0]!.artifactChanges[0]!.replacements[0]!.insertedContent.text;
    expect(inserted).toMatch(written);
    // The same flows as the replacement fragment in properties (which adds its comments; a block's is not indented).
    expect(String(results[0]!.properties.replacement)).toContain(resource ? inserted : inserted.replace(/^ {2}/gm, ''));
    // The group's other flows were never allowed: FW201 says the same before and after; FW202 has nothing left to say.
    const missing = (all: SarifResult[]): string[] => all.filter((result) => result.ruleId === 'FW201').map((result) => result.message.text);
    const before = await sarifOf(`${name}-before`, text, config(admin));
    const rescanned = await sarifOf(`${name}-fixed`, withSarifFixes(text, results), config(admin));
    expect(fw202(rescanned)).toEqual([]);
    expect(missing(rescanned)).toEqual(missing(before));
  });

  it('offers no edit where the flagged family has nothing to write and the other stays (the message names the peer to remove)', async () => {
    const results = fw202(await sarifOf('dual-remove-one', MEDIATOR('["192.168.0.0/16"]', '["2001:db8:1::/48"]', false), config('["10.1.0.0/24", "2001:db8:1::/48"]')));
    expect(results.map((result) => result.message.text)).toEqual([expect.stringContaining("remove 192.168.0.0/16 from the rule's peers, keeping 2001:db8:1::/48")]);
    expect(results[0]!.fixes).toBeUndefined();
  });
});

// QA s13 qa-7 item 10: a peer list with an unresolved part (`concat(var.extra, ["0.0.0.0/0"])`, whose known element is a
// rule since db38229) got a SARIF fix writing only the advanced rules: applied, it dropped `var.extra` silently (and
// both fixes wrote the IPv6 peer, a new FW302). The message read "0.0.0.0/0 except … 0.0.0.0/0".
describe('FW202 on a peer list with an unresolved part', () => {
  const UNKNOWN_PART = `variable "extra" {
  type = list(string)
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = concat(var.extra, ["0.0.0.0/0"])
  }
}

resource "aws_security_group_rule" "r" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = concat(var.extra, ["0.0.0.0/0"])
  security_group_id = aws_security_group.web.id
}
`;

  it('offers no edit, and the message and replacement say to keep the unknown part', async () => {
    const results = fw202(await sarifOf('unknown-part', UNKNOWN_PART, LINUX_CONFIG));
    expect(results.map((result) => result.message.text)).toEqual([
      expect.stringContaining("rule allows tcp/22 from 0.0.0.0/0 except tcp/22 from 10.5.0.0/24 beyond the vendor's advanced rule set; use instead of 0.0.0.0/0: tcp/22 from 10.5.0.0/24 (control-portal); keep var.extra in the rule's peers as written (it is not known statically, so no fix is offered)"),
      // The resource's flows are written by the block's replacement: it says to drop its known peer, keeping var.extra.
      expect.stringContaining("once that is applied, the role needs none of it: remove 0.0.0.0/0 from the rule's peers, keeping var.extra as written (not known statically)"),
    ]);
    expect(results.map((result) => result.fixes)).toEqual([undefined, undefined]);
    expect(String(results[0]!.properties.replacement)).toContain('# Its peer list also holds var.extra, not known statically: keep it as written');
    // Applying every fix edits nothing, so it adds no finding (the fixes used to cut var.extra and add FW302).
    expect(withSarifFixes(UNKNOWN_PART, results)).toBe(UNKNOWN_PART);
  });

  it('keeps the advice of a wholly unresolved peer list, which is what the finding is about', async () => {
    const text = UNKNOWN_PART.replace(/concat\(var\.extra, \["0\.0\.0\.0\/0"\]\)/g, 'var.extra').replace(/= 22\n/g, '= 8080\n');
    const results = fw202(await sarifOf('unknown-whole', text, LINUX_CONFIG));
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.message.text).not.toMatch(/keep(ing)? var\.extra|remove {2}from/);
  });

  it('says to remove the known peer only, keeping the unknown part, where the role needs none of it', async () => {
    const text = UNKNOWN_PART.replace(/= 22\n/g, '= 8080\n');
    const results = fw202(await sarifOf('unknown-part-removed', text, LINUX_CONFIG));
    expect(results.map((result) => result.message.text)).toEqual([
      expect.stringContaining("the role needs none of it: remove 0.0.0.0/0 from the rule's peers, keeping var.extra as written (not known statically)"),
      expect.stringContaining("the role needs none of it: remove 0.0.0.0/0 from the rule's peers, keeping var.extra as written (not known statically)"),
    ]);
    expect(results.flatMap((result) => result.fixes ?? [])).toEqual([]);
  });
});

// QA 15 item 12: the new resources were named in_1, in_2 though the module has an in_1: applied, the module declares
// aws_security_group_rule.in_1 twice, which Terraform rejects. They take names free in the module.
describe('FW202 fix of a rule resource beside one named like its replacements', () => {
  it('names the new resources after it, skipping the names the module has', async () => {
    const text = `${SSH_ADMIN}
resource "aws_security_group" "other" {
  name = "other"
}

resource "aws_security_group_rule" "web_ssh_admin_1" {
  type              = "egress"
  security_group_id = aws_security_group.other.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.5.0.0/24"]
}
`;
    const results = fw202(await sarifOf('name-taken', text, LINUX_CONFIG.replace('["*"]', '["aws_security_group.web"]')));
    const fixes = results.flatMap((result) => result.fixes ?? []);
    expect(fixes).toHaveLength(1);
    const fixed = withSarifFixes(text, results);
    const names = [...fixed.matchAll(/^resource "aws_security_group_rule" "([^"]+)"/gm)].map((match) => match[1]);
    expect(names).toEqual(['web_ssh_admin_2', 'web_ssh_admin_1']);
    expect(String(results[0]!.properties.replacement)).toContain('"web_ssh_admin_2"');
  });
});

// QA s16 (qa-17) items 01 and 05: a group or prefix-list peer written in a single-valued attribute was written with
// its attribute name twice (`source_security_group_id = source_security_group_id = …`), and a name taken by a rule
// resource that makes no instance (`count = 0`, an empty `for_each`) was given to a replacement.
const WINDOWS_CONFIG = 'targets:\n  - match: [aws_security_group.win]\n    profile: lumen-cloud/windows\n';
const WIN_GROUPS = 'resource "aws_security_group" "admin" {\n  name = "admin"\n}\n\nresource "aws_security_group" "win" {\n  name = "win"\n}\n\n';

describe('FW202 fix of a rule resource whose peer is a single-valued attribute', () => {
  it.each([
    ['aws_security_group_rule', 'source_security_group_id', 'type                     = "ingress"\n  protocol                 = "tcp"', 'aws_security_group.admin.id'],
    ['aws_vpc_security_group_ingress_rule', 'referenced_security_group_id', 'ip_protocol                  = "tcp"', 'aws_security_group.admin.id'],
    ['aws_vpc_security_group_ingress_rule', 'prefix_list_id', 'ip_protocol                  = "tcp"', '"pl-0abc1234"'],
  ])('%s with %s: the attribute written once, and the applied fix rescans clean', async (type, attribute, protocol, value) => {
    const text = `${WIN_GROUPS}resource "${type}" "mgmt" {
  security_group_id            = aws_security_group.win.id
  ${protocol}
  from_port                    = 5000
  to_port                      = 6000
  ${attribute} = ${value}
}
`;
    const results = fw202(await sarifOf(`scalar-peer-${attribute}`, text, WINDOWS_CONFIG));
    expect(results).toHaveLength(1);
    const replacement = String(results[0]!.properties.replacement);
    expect(replacement).toMatch(new RegExp(`\\n  ${attribute} += ${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    expect(replacement).not.toContain(`${attribute} = ${attribute}`);
    const fixed = withSarifFixes(text, results);
    expect(fixed).not.toBe(text);
    const rescanned = await sarifOf(`scalar-peer-${attribute}-fixed`, fixed, WINDOWS_CONFIG);
    expect(rescanned.filter((result) => result.ruleId === 'FW202').map((result) => result.message.text)).toEqual([]);
  });
});

describe('FW202 fix of a rule resource beside a block of the next name that makes no instance', () => {
  it.each([['count = 0'], ['for_each = {}']])('skips the name of a block with %s', async (expansion) => {
    const text = `${SSH_ADMIN}
resource "aws_security_group_rule" "web_ssh_admin_1" {
  ${expansion}
  type              = "egress"
  security_group_id = aws_security_group.web.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.5.0.0/24"]
}
`;
    const results = fw202(await sarifOf(`name-taken-${expansion.split(' ')[0]}`, text, LINUX_CONFIG));
    const fixed = withSarifFixes(text, results);
    const names = [...fixed.matchAll(/^resource "aws_security_group_rule" "([^"]+)"/gm)].map((match) => match[1]);
    expect(names).toEqual(['web_ssh_admin_2', 'web_ssh_admin_1']);
  });
});
