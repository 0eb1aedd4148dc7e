import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FixSuggestion } from '../../src/model/finding';
import { scan, type ScanResult } from '../../src/pipeline/scan';
import { scanFixture } from '../helpers/scan-fixture';

let directory = '';
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-fixes-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

/** A config that binds the Lumen control-portal peer, so the replacement is complete code. */
function bindControlPortal(): string {
  const file = path.join(directory, '.fwlint.yaml');
  fs.writeFileSync(file, 'targets:\n  - match: ["*"]\n    profile: lumen-cloud/windows\n    peers:\n      control-portal: ["10.5.0.0/24"]\n');
  return file;
}

describe('FW202 fixes', () => {
  it('offers the vendor\'s advanced rules as a replacement for an over-broad Terraform block', () => {
    const result = scanFixture('checks/FW202/terraform/bad-lumen-windows-all-tcp.tf', { configFile: bindControlPortal() });
    const fw202 = result.findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.fixes).toHaveLength(1);
    const fix = fw202.fixes![0]!;
    expect(fix.deleted).toEqual(expect.objectContaining({ startLine: 6, startColumn: 3 }));
    expect(fix.insertedText).toMatch(/^ingress \{\n {4}description += "WinRM[^\n]*\n {4}from_port += 5985\n {4}to_port += 5985\n {4}protocol += "tcp"\n {4}cidr_blocks = \["10\.5\.0\.0\/24"\]\n {2}\}$/);
  });

  // QA 9 item 11: an applied fix wrote LF lines and space indentation into a tab-indented CRLF file.
  it('writes the replacement in the file\'s line endings and indentation (CRLF, tabs)', () => {
    const folder = path.join(directory, 'tabs-crlf');
    fs.mkdirSync(folder, { recursive: true });
    const source = fs.readFileSync(path.join(__dirname, '../../fixtures/checks/FW202/terraform/bad-lumen-windows-all-tcp.tf'), 'utf8');
    const tabbed = source.split('\n').map((line) => line.replace(/^( {2})+/, (spaces) => '\t'.repeat(spaces.length / 2))).join('\r\n');
    fs.writeFileSync(path.join(folder, 'main.tf'), tabbed);
    const fw202 = scan({ paths: ['.'], cwd: folder, configFile: bindControlPortal(), today: '2026-11-23' }).findings.find((finding) => finding.checkId === 'FW202')!;
    const fix = fw202.fixes![0]!;
    expect(fix.deleted).toEqual(expect.objectContaining({ startLine: 6, startColumn: 2 }));
    expect(fix.insertedText).toMatch(/^ingress \{\r\n\t\tdescription += "WinRM[^\r\n]*\r\n\t\tfrom_port += 5985\r\n\t\tto_port += 5985\r\n\t\tprotocol += "tcp"\r\n\t\tcidr_blocks = \["10\.5\.0\.0\/24"\]\r\n\t\}$/);
    expect(fix.insertedText.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('offers no edit when a peer of the replacement is unbound (it would name an undeclared variable); the rendering stays in properties', () => {
    const result = scanFixture('checks/FW202/terraform/bad-lumen-windows-all-tcp.tf');
    const fw202 = result.findings.find((finding) => finding.checkId === 'FW202')!;
    expect(fw202.fixes ?? []).toEqual([]);
    expect(String(fw202.properties.replacement)).toContain('variable "control_portal_cidrs"');
    // Regression (QA 16 item 07): the note said "bind them with --peer NAME=CIDR", an option scan does not have.
    expect(String(fw202.properties.replacement)).toContain("# Unbound peers are variables; declare them in the module, or bind them in .fwlint.yaml (peers: of the target's targets: entry) and scan again:");
    expect(String(fw202.properties.replacement)).not.toContain('--peer');
  });

  // Items named by key (`egress["http"]`) are inline only under their group's address: a rule resource of its own
  // named `ingress` with for_each (`aws_security_group_rule.ingress["winrm"]`) ends alike, and stays a resource.
  it('renders the replacement of a for_each rule resource named ingress as a resource, not as an inline block', () => {
    const folder = path.join(directory, 'rule-resource-named-ingress');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.tf'), 'resource "aws_security_group" "win" {\n  name = "win"\n}\nresource "aws_security_group_rule" "ingress" {\n  for_each          = { winrm = 5000 }\n  type              = "ingress"\n  security_group_id = aws_security_group.win.id\n  from_port         = each.value\n  to_port           = 6000\n  protocol          = "tcp"\n  cidr_blocks       = ["10.0.0.0/8"]\n}\n');
    const fw202 = scan({ paths: ['.'], cwd: folder, configFile: bindControlPortal(), today: '2026-11-23' }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202.map((finding) => finding.ruleId)).toEqual(['aws_security_group_rule.ingress["winrm"]#0']);
    expect(String(fw202[0]!.properties.replacement)).toContain('aws_security_group_rule.ingress["winrm"] is a rule resource');
    expect(fw202[0]!.fixes ?? []).toEqual([]);
  });

  // QA 3 item 08: each instance's fix replaced the one block with its own peer; applying one broke the other.
  it('offers no edit of a block that several for_each instances are made from; each keeps its replacement in properties', () => {
    const folder = path.join(directory, 'for-each-instances');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.tf'), 'resource "aws_security_group" "vm" {\n  for_each = toset(["a", "b"])\n  name     = "vm-${each.key}"\n  ingress {\n    from_port   = 22\n    to_port     = 23\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/16"]\n  }\n}\n');
    const binding = (instance: string, cidr: string) => `  - match: ['aws_security_group.vm["${instance}"]']\n    profile: lumen-cloud/linux\n    peers:\n      control-portal: ["${cidr}"]\n`;
    fs.writeFileSync(path.join(folder, '.fwlint.yaml'), `targets:\n${binding('a', '10.0.0.0/24')}${binding('b', '10.0.1.0/24')}`);
    const fw202 = scan({ paths: ['.'], cwd: folder, today: '2026-11-23' }).findings.filter((finding) => finding.checkId === 'FW202');
    expect(fw202.map((finding) => finding.targetId)).toEqual(['aws_security_group.vm["a"]', 'aws_security_group.vm["b"]']);
    expect(fw202.map((finding) => finding.fixes ?? [])).toEqual([[], []]);
    expect(fw202.map((finding) => String(finding.properties.replacement).match(/10\.0\.[01]\.0\/24/)?.[0])).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
  });
});

// QA h8 item 2: the fix for a group's only egress block (the role needs none of it) replaced the block with a comment.
// Without any egress block the AWS provider leaves the group's egress unmanaged (formats.md §1.1): the world-open
// rule stays deployed. The fix now writes `egress = []`, which removes it.
describe('FW202 fix holding a flow the vendor requires as all traffic', () => {
  it('writes the fwlint:ignore FW102 the rendering writes above it, so the fixed file passes FW102 (the flow is the vendor\'s)', () => {
    const folder = path.join(directory, 'ha-partner');
    fs.mkdirSync(folder, { recursive: true });
    const peers = ['active-directory', 'admin', 'backup-endpoint', 'backup-server', 'clients', 'cloud-manager', 'dhcp', 'dns', 'ha-mediator', 'ha-partner', 'intercluster-peers', 'mail-server', 'monitor-server', 'ndmp-destination', 'syslog-server'];
    const config = path.join(folder, '.fwlint.yaml');
    fs.writeFileSync(config, `targets:\n  - match: ["*"]\n    profile: netapp-cloud-manager/cvo\n    options: [ha]\n    peers:\n${peers.map((peer, index) => `      ${peer}: ["10.${20 + index}.0.0/24"]\n`).join('')}`);
    // All traffic to a /16 holding the HA partner's /24 (10.29.0.0/24): the replacement is all traffic to the partner.
    const text = 'resource "aws_security_group" "cvo" {\n  name = "cvo"\n  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["10.29.0.0/16"]\n  }\n}\n';
    const file = path.join(folder, 'main.tf');
    fs.writeFileSync(file, text);
    const checksOf = (result: ScanResult): string[] => result.findings.filter((finding) => !finding.suppression && finding.checkId !== 'FW201').map((finding) => finding.checkId);
    const before = scan({ paths: [folder], cwd: folder, configFile: config, today: '2026-11-23' });
    expect(checksOf(before)).toEqual(['FW202', 'FW102']);
    const fix = before.findings.find((finding) => finding.checkId === 'FW202')!.fixes![0]!;
    expect(fix.insertedText).toMatch(/^# fwlint:ignore FW102 reason="vendor's advanced rule set: [^"]* needs all traffic to ha-partner"\n {2}egress \{\n[^}]*cidr_blocks = \["10\.29\.0\.0\/24"\]\n {2}\}$/);
    const lines = text.split('\n');
    const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
    fs.writeFileSync(file, text.slice(0, offset(fix.deleted.startLine, fix.deleted.startColumn)) + fix.insertedText + text.slice(offset(fix.deleted.endLine, fix.deleted.endColumn)));
    const after = scan({ paths: [folder], cwd: folder, configFile: config, today: '2026-11-23' });
    expect(checksOf(after)).toEqual([]);
    expect(after.findings.filter((finding) => finding.suppression).map((finding) => finding.checkId)).toEqual(['FW102']);
  });
});

describe('FW202 fix for a rule the role needs none of', () => {
  const GROUP = (egress: string) => `# fwlint:profile lumen-cloud/linux
resource "aws_security_group" "app" {
  name = "app"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/24"]
  }
${egress}}
`;
  // A standalone egress rule that joins the group: with it, `egress = []` would delete it on every apply.
  const STANDALONE_DNS_EGRESS = `resource "aws_security_group_rule" "dns" {
  type              = "egress"
  security_group_id = aws_security_group.app.id
  from_port         = 53
  to_port           = 53
  protocol          = "udp"
  cidr_blocks       = ["10.0.0.2/32"]
}
`;
  const ALL_EGRESS = '  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n';
  const HTTPS_EGRESS = '  egress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.9.0.0/16"]\n  }\n';

  /** Writes `text` as main.tf of a folder of its own (away from the config above) and scans it. */
  function scanText(name: string, text: string) {
    const folder = path.join(directory, 'no-config', name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.tf'), text);
    fs.mkdirSync(path.join(directory, 'no-config', '.git'), { recursive: true });
    return scan({ paths: [folder], cwd: path.join(directory, 'no-config'), today: '2026-11-23' });
  }

  /** The text with a fix applied: its deleted region (1-based lines, columns end-exclusive) replaced by its text. */
  function applyFix(text: string, fix: FixSuggestion): string {
    const lines = text.split('\n');
    const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
    return text.slice(0, offset(fix.deleted.startLine, fix.deleted.startColumn)) + fix.insertedText + text.slice(offset(fix.deleted.endLine, fix.deleted.endColumn));
  }

  const egressFinding = (result: ScanResult) => result.findings.find((finding) => finding.checkId === 'FW202' && finding.ruleId?.includes('.egress['));

  it('writes egress = [] in place of the group\'s only egress block, and the fixed file has no finding on egress', () => {
    const text = GROUP(ALL_EGRESS);
    const fw202 = egressFinding(scanText('last-egress', text))!;
    expect(fw202.message).toContain('write egress = [] in place of the block');
    expect(fw202.fixes).toHaveLength(1);
    expect(fw202.fixes![0]!.insertedText).toBe('egress = []');
    const fixed = applyFix(text, fw202.fixes![0]!);
    expect(fixed).toContain('\n  egress = []\n}');
    const rescanned = scanText('last-egress-fixed', fixed);
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW104')).toEqual([]);
    expect(rescanned.targets.find((target) => target.id === 'aws_security_group.app')!.rules.filter((rule) => rule.direction === 'out')).toEqual([]);
  });

  it('removes the block where another block of its direction stays', () => {
    // The role needs the ingress block on tcp/22 (its peer unbound), not the one on tcp/80.
    const text = GROUP('  ingress {\n    from_port   = 80\n    to_port     = 80\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n');
    const fw202 = scanText('two-ingress', text).findings.find((finding) => finding.checkId === 'FW202' && finding.ruleId?.includes('.ingress[1]'))!;
    expect(fw202.message).toContain('the role needs none of it: remove the rule');
    expect(fw202.fixes![0]!.insertedText).not.toContain('ingress = []');
  });

  // QA w6: `egress = []` beside a standalone rule of the group would make the provider delete that rule on every
  // apply; without inline blocks the standalone rules keep working, so the last block is removed.
  it('removes the last block, without egress = [], where a standalone rule of that direction joins the group', () => {
    const text = GROUP(ALL_EGRESS) + STANDALONE_DNS_EGRESS;
    const fw202 = egressFinding(scanText('standalone-egress', text))!;
    expect(fw202.message).toContain('the role needs none of it: remove the rule');
    expect(fw202.fixes?.map((fix) => fix.insertedText).join('')).not.toContain('egress = []');
  });

  // QA h2 item 1: with two egress blocks the role needs none of, each fix removed its own block; applying both left
  // no egress block at all, which keeps the deployed rules. The first block's fix now writes egress = [].
  it('writes egress = [] in place of the first of several egress blocks that all go, and applying every fix removes all egress', () => {
    const text = GROUP(ALL_EGRESS + HTTPS_EGRESS + HTTPS_EGRESS.replace('10.9.0.0/16', '10.8.0.0/16'));
    const findings = scanText('all-egress', text).findings.filter((finding) => finding.checkId === 'FW202' && finding.ruleId?.includes('.egress['));
    expect(findings.map((finding) => finding.ruleId)).toEqual(['aws_security_group.app.egress[0]#0', 'aws_security_group.app.egress[1]#0', 'aws_security_group.app.egress[2]#0']);
    expect(findings[0]!.message).toContain("nor of the group's 2 other egress blocks: write egress = [] in place of this block and remove the others");
    expect(findings[1]!.message).toContain('remove the rule, and write egress = [] in place of the first, aws_security_group.app.egress[0]');
    const fixes = findings.flatMap((finding) => finding.fixes ?? []);
    expect(fixes.map((fix) => fix.insertedText.startsWith('egress = []'))).toEqual([true, false, false]);
    // Applied from the end of the file, as a tool applying all suggestions does, so earlier regions keep their place.
    const fixed = [...fixes].sort((a, b) => b.deleted.startLine - a.deleted.startLine).reduce(applyFix, text);
    expect(fixed.match(/egress = \[\]/g)).toHaveLength(1);
    expect(fixed).not.toMatch(/egress \{/);
    const rescanned = scanText('all-egress-fixed', fixed);
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW104')).toEqual([]);
    expect(rescanned.targets.find((target) => target.id === 'aws_security_group.app')!.rules.filter((rule) => rule.direction === 'out')).toEqual([]);
  });

  // QA h4 item 1: a block that makes no model rule was not counted as staying, so `egress = []` was offered beside it,
  // which Terraform rejects (an `egress` argument and `egress` blocks together, a `dynamic` one included).
  const dynamicEgress = (forEach: string) => `  dynamic "egress" {\n    for_each = ${forEach}\n    content {\n      from_port   = egress.value\n      to_port     = egress.value\n      protocol    = "tcp"\n      cidr_blocks = ["10.0.0.0/8"]\n    }\n  }\n`;
  // While an empty dynamic block stays, removing the other blocks leaves none: the deployed rules stay, and the
  // message says so (an unknown collection may make rules: nothing to say).
  const EMPTY_NOTE = "; the group's other egress block is a dynamic block that makes no rule here; while it makes none, the group keeps the egress rules already deployed (write egress = [] in place of it to remove those)";
  it.each([
    ['an unknown protocol', 'unknown-protocol', '  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "bogus"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n', ''],
    ['a dynamic block over an empty list', 'empty-dynamic', dynamicEgress('[]'), EMPTY_NOTE],
    ['a dynamic block over an unknown list', 'unknown-dynamic', dynamicEgress('var.ports'), ''],
  ])('never writes egress = [] beside an egress block that makes no rule (%s)', (_, name, staying, note) => {
    const text = GROUP(ALL_EGRESS + staying) + (name === 'unknown-dynamic' ? 'variable "ports" {\n  type = list(number)\n}\n' : '');
    const fw202 = egressFinding(scanText(`staying-${name}`, text))!;
    expect(fw202.message.endsWith(`the role needs none of it: remove the rule${note}`)).toBe(true);
    expect(fw202.fixes).toHaveLength(1);
    expect(fw202.fixes![0]!.insertedText).not.toContain('egress = []');
  });

  // QA h4 item 2: a `dynamic` block's items and a block's several peers kept per-rule advice: each item said to remove
  // itself from the for_each (an empty for_each leaves no block, which keeps the deployed rules), and the fixes of a
  // group with a several-peer block wrote `egress = []` beside that block or claimed a fix it did not have. The advice
  // is now per written block: applying every fix leaves exactly `egress = []`.
  const DYNAMIC_EGRESS = '  dynamic "egress" {\n    for_each = [80, 8080]\n    content {\n      from_port   = egress.value\n      to_port     = egress.value\n      protocol    = "tcp"\n      cidr_blocks = ["10.0.0.0/8"]\n    }\n  }\n';
  const TWO_CIDR_EGRESS = HTTPS_EGRESS.replace('["10.9.0.0/16"]', '["10.9.0.0/16", "10.8.0.0/16"]');

  /** Scans `text`, applies every FW202 fix (from the end of the file), and checks that no egress is left. */
  function expectEveryFixToEmptyEgress(name: string, text: string) {
    const findings = scanText(name, text).findings.filter((finding) => finding.checkId === 'FW202' && finding.ruleId?.includes('.egress['));
    const fixes = findings.flatMap((finding) => finding.fixes ?? []);
    const fixed = [...fixes].sort((a, b) => b.deleted.startLine - a.deleted.startLine).reduce(applyFix, text);
    expect(fixed.match(/egress = \[\]/g)).toHaveLength(1);
    expect(fixed).not.toMatch(/egress \{|dynamic "egress"/);
    const rescanned = scanText(`${name}-fixed`, fixed);
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW104')).toEqual([]);
    expect(rescanned.targets.find((target) => target.id === 'aws_security_group.app')!.rules.filter((rule) => rule.direction === 'out')).toEqual([]);
    return findings;
  }

  it('writes egress = [] in place of a dynamic block none of whose items the role needs, once', () => {
    const findings = expectEveryFixToEmptyEgress('dynamic-only', GROUP(DYNAMIC_EGRESS));
    // One finding for the block's items (one written place), with the block's one edit.
    expect(findings.map((finding) => finding.message.replace(/.*beyond the vendor's advanced rule set; /, ''))).toEqual([
      "the role needs none of this dynamic block's items: write egress = [] in place of the dynamic block (a group without egress blocks keeps the egress rules already deployed)",
    ]);
    expect(findings[0]!.message).toContain('rule allows tcp/80, 8080 to 10.0.0.0/8 beyond');
    expect(findings.map((finding) => finding.fixes?.length ?? 0)).toEqual([1]);
  });

  it('edits a dynamic block over a map (items named by key, `egress["http"]`) as one over a list', () => {
    const findings = expectEveryFixToEmptyEgress('dynamic-map', GROUP(DYNAMIC_EGRESS.replace('[80, 8080]', '{ http = 80, alt = 8080 }')));
    expect(findings.map((finding) => finding.ruleId)).toEqual(['aws_security_group.app.egress["alt"]#0']);
    expect(findings.map((finding) => finding.fixes?.length ?? 0)).toEqual([1]);
  });

  it('removes a dynamic block none of whose items the role needs, naming it as the first block where it is', () => {
    const findings = expectEveryFixToEmptyEgress('dynamic-first', GROUP(DYNAMIC_EGRESS + ALL_EGRESS));
    expect(findings[0]!.message).toContain("none of this dynamic block's items nor of the group's other egress block: write egress = [] in place of this dynamic block and remove the other");
    expect(findings[1]!.message).toContain('remove the rule, and write egress = [] in place of the first, the dynamic "egress" block at line 10 (');
  });

  it('removes the whole dynamic block after a block that takes egress = []', () => {
    const findings = expectEveryFixToEmptyEgress('dynamic-second', GROUP(ALL_EGRESS + DYNAMIC_EGRESS));
    expect(findings[1]!.message).toContain("none of this dynamic block's items nor of the group's other egress block: remove the dynamic block, and write egress = [] in place of the first, aws_security_group.app.egress[0]");
  });

  it('says to remove a dynamic block none of whose items the role needs where another block stays', () => {
    // A standalone egress rule joins the group, so no `egress = []`: the dynamic block goes as a whole, by one edit.
    const text = GROUP(DYNAMIC_EGRESS) + STANDALONE_DNS_EGRESS;
    const findings = scanText('dynamic-standalone', text).findings.filter((finding) => finding.checkId === 'FW202' && finding.ruleId?.includes('.egress['));
    expect(findings.map((finding) => finding.message.replace(/.*; /, ''))).toEqual(["the role needs none of this dynamic block's items: remove the dynamic block"]);
    expect(findings[0]!.fixes!.map((fix) => fix.description)).toEqual(['Remove the block (lumen-cloud/linux needs none of its 2 rules)']);
  });

  it('writes egress = [] in place of a block with several peers that all go, and removes the other block', () => {
    const findings = expectEveryFixToEmptyEgress('two-cidrs-first', GROUP(TWO_CIDR_EGRESS + ALL_EGRESS));
    // One finding and one edit per block: the first block's two peers are one finding.
    expect(findings.map((finding) => finding.location.range.startLine)).toEqual([10, 16]);
    expect(findings.map((finding) => finding.fixes?.length ?? 0)).toEqual([1, 1]);
  });

  it('removes a block with several peers that all go where another block takes egress = []', () => {
    const findings = expectEveryFixToEmptyEgress('two-cidrs-second', GROUP(ALL_EGRESS + TWO_CIDR_EGRESS));
    expect(findings[1]!.message).toContain('remove the rule, and write egress = [] in place of the first, aws_security_group.app.egress[0]');
  });

  it('never writes egress = [] inside the attribute form\'s list (taking the element out leaves the list)', () => {
    const text = GROUP('  egress = [{\n    from_port        = 0\n    to_port          = 0\n    protocol         = "-1"\n    cidr_blocks      = ["0.0.0.0/0"]\n    description      = null\n    ipv6_cidr_blocks = null\n    prefix_list_ids  = null\n    security_groups  = null\n    self             = null\n  }]\n');
    const fw202 = egressFinding(scanText('list-egress', text))!;
    expect(fw202.message).toContain('remove the rule');
    // QA w6: a comment in place of the element swallowed the closing `]` (a syntax error once applied): no edit.
    expect(fw202.fixes).toBeUndefined();
  });
});

// QA h4 item 4: a block with several CIDRs got no edit, one finding per CIDR each naming its own part. The block's
// first finding now replaces it with the advanced rules of all its flagged peers together, where every peer is flagged.
describe('FW202 fix for a block with several peers', () => {
  const GROUP = (cidrs: string, ports = [0, 65535]) => `resource "aws_security_group" "win" {
  name = "win"
  ingress {
    from_port   = ${ports[0]}
    to_port     = ${ports[1]}
    protocol    = "tcp"
    cidr_blocks = ${cidrs}
  }
  egress = []
}
`;
  function scanText(name: string, text: string) {
    const folder = path.join(directory, 'several-peers', name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.tf'), text);
    return scan({ paths: [folder], cwd: folder, configFile: bindControlPortal(), today: '2026-11-23' });
  }
  function applyFix(text: string, fix: FixSuggestion): string {
    const lines = text.split('\n');
    const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
    return text.slice(0, offset(fix.deleted.startLine, fix.deleted.startColumn)) + fix.insertedText + text.slice(offset(fix.deleted.endLine, fix.deleted.endColumn));
  }

  it.each([
    ['two halves of the bound peer, each to be replaced by its half: one block for the whole peer', 'halves', '["10.5.0.0/25", "10.5.0.128/25"]'],
    ['one peer to replace and one to remove', 'replace-and-remove', '["10.5.0.0/24", "192.168.0.0/16"]'],
  ])('replaces the block once (%s), and the fixed file has no finding', (_, name, cidrs) => {
    const text = GROUP(cidrs);
    const findings = scanText(name, text).findings.filter((finding) => finding.checkId === 'FW202');
    // The block's peers are one finding at the block (one written place).
    expect(findings).toHaveLength(1);
    const fixes = findings.flatMap((finding) => finding.fixes ?? []);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.description).toBe("Replace the block with the vendor's advanced rules for its 2 flagged peers (lumen-cloud/windows)");
    expect(fixes[0]!.insertedText).toMatch(/^ingress \{\n[^}]*from_port += 5985\n {4}to_port += 5985\n {4}protocol += "tcp"\n {4}cidr_blocks = \["10\.5\.0\.0\/24"\]\n {2}\}$/);
    const rescanned = scanText(`${name}-fixed`, applyFix(text, fixes[0]!));
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW201')).toEqual([]);
  });

  it('replaces a block whose CIDR list comes from a variable (one finding for all its peers)', () => {
    const text = `variable "cidrs" {\n  default = ["10.5.0.0/25", "192.168.0.0/16"]\n}\n${GROUP('var.cidrs')}`;
    const findings = scanText('variable-list', text).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fixes).toHaveLength(1);
    const rescanned = scanText('variable-list-fixed', applyFix(text, findings[0]!.fixes![0]!));
    expect(rescanned.findings.filter((finding) => finding.checkId === 'FW202' || finding.checkId === 'FW201')).toEqual([]);
  });

  it('offers no replacement of a block whose rules are those of two sides of a condition', () => {
    const text = `variable "c" {\n  type = bool\n}\n${GROUP('[each.value]').replace('name = "win"', 'for_each = var.c ? { a = "10.5.0.0/25" } : { a = "192.168.0.0/16" }\n  name     = "win"')}`;
    const findings = scanText('two-sides', text).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings.map((finding) => finding.message.replace(/.*\(when /, ''))).toEqual(['var.c)', '!var.c)']);
    expect(findings.flatMap((finding) => finding.fixes ?? [])).toEqual([]);
  });

  it('offers no edit where a peer of the block is needed as written (one edit of the block cannot keep it exactly)', () => {
    const findings = scanText('one-needed', GROUP('["10.5.0.0/24", "192.168.0.0/16"]', [5985, 5985])).findings.filter((finding) => finding.checkId === 'FW202');
    expect(findings.map((finding) => finding.message)).toEqual([expect.stringContaining("remove 192.168.0.0/16 from the rule's peers, keeping 10.5.0.0/24")]);
    expect(findings[0]!.fixes).toBeUndefined();
  });
});

// QA 15 item 09: the replacement of a rule whose peer is a security group or a managed prefix list wrote the addresses
// they stand for as cidr_blocks (a whole subnet for a group's members; a list no longer followed), and with the group's
// peer unbound, variables that may hold any address. It now names the rule's own peer, narrowed to the role's ports.
describe('FW202 replacement of a rule whose peer is a security group or prefix list', () => {
  const GROUPS = `# fwlint:profile netapp-cloud-manager/cloud-manager
resource "aws_security_group" "cm" {
  name = "cm"
}

# fwlint:profile netapp-cloud-manager/ha-mediator
resource "aws_security_group" "mediator" {
  name = "mediator"
  ingress {
    from_port       = 0
    to_port         = 0
    protocol        = "-1"
    security_groups = [aws_security_group.cm.id]
  }
}
`;
  const PREFIX_LIST = `resource "aws_ec2_managed_prefix_list" "admins" {
  name           = "admins"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr = "10.0.0.0/24"
  }
}

# fwlint:profile lumen-cloud/linux
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port       = 0
    to_port         = 65535
    protocol        = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.admins.id]
  }
}
`;
  const CFN = `Resources:
  CmSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: cm
      Tags:
        - Key: fwlint:profile
          Value: netapp-cloud-manager/cloud-manager
  MediatorSG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: mediator
      Tags:
        - Key: fwlint:profile
          Value: netapp-cloud-manager/ha-mediator
      SecurityGroupIngress:
        - IpProtocol: "-1"
          SourceSecurityGroupId: !Ref CmSG
`;
  const BIND = 'targets:\n  - match: ["*"]\n    peers:\n      cloud-manager: ["10.2.0.0/24"]\n      control-portal: ["10.0.0.0/24"]\n';
  function scanFiles(name: string, files: Record<string, string>, config = BIND): ScanResult {
    const folder = path.join(directory, 'written-peer', name);
    fs.mkdirSync(folder, { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, file), text);
    fs.writeFileSync(path.join(folder, '.fwlint.yaml'), config);
    return scan({ paths: ['.'], cwd: folder, today: '2026-11-23' });
  }
  function applyFix(text: string, fix: FixSuggestion): string {
    const lines = text.split('\n');
    const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
    return text.slice(0, offset(fix.deleted.startLine, fix.deleted.startColumn)) + fix.insertedText + text.slice(offset(fix.deleted.endLine, fix.deleted.endColumn));
  }
  const ruleFindings = (result: ScanResult, target: string) => result.findings.filter((finding) => finding.checkId === 'FW202' && finding.targetId === target && finding.messageId === 'excess');

  it.each([
    ['a mapped group', GROUPS, 'aws_security_group.mediator', 'security_groups = [aws_security_group.cm.id]', /from_port += 3000\n {4}to_port += 3000\n {4}protocol += "tcp"\n/],
    ['a managed prefix list', PREFIX_LIST, 'aws_security_group.web', 'prefix_list_ids = [aws_ec2_managed_prefix_list.admins.id]', /from_port += 22\n {4}to_port += 22\n {4}protocol += "tcp"\n/],
  ])('keeps %s as the peer and narrows only the ports; applied, the rule has no excess', (_, text, target, peer, ports) => {
    const [finding] = ruleFindings(scanFiles(target, { 'main.tf': text }), target);
    const fix = finding!.fixes![0]!;
    expect(fix.insertedText).toContain(peer);
    expect(fix.insertedText).toMatch(ports);
    expect(fix.insertedText).not.toContain('cidr_blocks');
    expect(String(finding!.properties.replacement)).toContain(peer);
    const fixed = scanFiles(`${target}-fixed`, { 'main.tf': applyFix(text, fix) });
    expect(fixed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(ruleFindings(fixed, target)).toEqual([]);
  });

  it('with the group\'s peer unbound, writes no variable and no peer the rule did not admit', () => {
    const [finding] = ruleFindings(scanFiles('unbound', { 'main.tf': GROUPS }, 'targets: []\n'), 'aws_security_group.mediator');
    const replacement = String(finding!.properties.replacement);
    expect(replacement).not.toMatch(/cidr_blocks|variable "/);
    expect(replacement.match(/security_groups = \[aws_security_group\.cm\.id\]/g)?.length).toBeGreaterThan(0);
    expect(replacement).not.toContain('protocol        = "-1"');
  });

  // QA 15 item 09 (unbound): with admin bound and the group's own peer (cloud-manager) not, the replacement also wrote
  // the admin SSH flow (tcp/22 from the group, which the rule admits, but nothing says its members are the admins),
  // and the message named the admins' addresses. Only the flows of the peer the group's role is are written.
  it('with the group\'s members unbound, writes only the flows of the peer its role is, and names the group', () => {
    const [finding] = ruleFindings(scanFiles('unbound-admin-bound', { 'main.tf': GROUPS }, 'targets:\n  - match: ["aws_security_group.mediator"]\n    peers:\n      admin: ["10.1.0.0/24"]\n'), 'aws_security_group.mediator');
    expect(finding!.message).toMatch(/; use instead: tcp\/3000 from security group aws_security_group\.cm \(cloud-manager\)$/);
    const replacement = String(finding!.properties.replacement);
    expect(replacement.match(/^ingress \{$/gm)).toHaveLength(1);
    expect(replacement).toMatch(/from_port += 3000\n {2}to_port += 3000\n {2}protocol += "tcp"\n {2}security_groups = \[aws_security_group\.cm\.id\]/);
    expect(finding!.properties.replacementFlows).toEqual([expect.objectContaining({ peer: 'cloud-manager', ports: ['3000'] })]);
  });

  it('keeps a CloudFormation SourceSecurityGroupId; pasted in place of the item, the rule has no excess', () => {
    const [finding] = ruleFindings(scanFiles('cfn', { 't.yaml': CFN }), 'MediatorSG');
    const replacement = String(finding!.properties.replacement);
    expect(replacement).toContain('SourceSecurityGroupId: !Ref CmSG');
    expect(replacement).not.toContain('CidrIp');
    const items = replacement.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => `        ${line}`).join('\n');
    const fixed = CFN.replace('        - IpProtocol: "-1"\n          SourceSecurityGroupId: !Ref CmSG\n', `${items}\n`);
    const rescanned = scanFiles('cfn-fixed', { 't.yaml': fixed });
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(ruleFindings(rescanned, 'MediatorSG')).toEqual([]);
  });
});

// QA 15 items 01 and 15: the replacement of an object of a list (`ingress = [{…}]` in HCL, or any rule of a .tf.json
// file) was an `ingress { }` block: pasted, the file no longer parsed. It is now objects with every attribute, in the
// file's syntax; a .tf.json rule gets no SARIF edit (HCL text, or a comment in a removed rule's place, is no JSON).
describe('FW202 replacement of a list object (attribute form, Terraform JSON)', () => {
  const OBJECT = (syntax: 'hcl' | 'json', from: number, to: number, cidr: string): string => {
    const attributes: Array<[string, string]> = [['description', '"x"'], ['from_port', String(from)], ['to_port', String(to)], ['protocol', '"tcp"'], ['cidr_blocks', `["${cidr}"]`], ['ipv6_cidr_blocks', '[]'], ['prefix_list_ids', '[]'], ['security_groups', '[]'], ['self', 'false']];
    return syntax === 'hcl' ? `{\n${attributes.map(([key, value]) => `  ${key} = ${value}`).join('\n')}\n}` : `{${attributes.map(([key, value]) => `"${key}": ${value}`).join(', ')}}`;
  };
  const HCL = `# fwlint:profile lumen-cloud/linux
resource "aws_security_group" "web" {
  name = "web"
  ingress = [
    ${OBJECT('hcl', 20, 25, '0.0.0.0/0')},
    ${OBJECT('hcl', 443, 443, '10.0.0.0/24')},
  ]
  egress = []
}
`;
  const JSON_TEXT = `{"resource": {"aws_security_group": {"web": {
  "tags": {"fwlint:profile": "lumen-cloud/linux"},
  "name": "web",
  "ingress": [
    ${OBJECT('json', 20, 25, '0.0.0.0/0')}
  ],
  "egress": []
}}}}
`;
  const BIND = 'targets:\n  - match: ["*"]\n    peers:\n      control-portal: ["10.0.0.0/24"]\n';
  function scanFile(name: string, file: string, text: string): ScanResult {
    const folder = path.join(directory, 'list-objects', name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, file), text);
    fs.writeFileSync(path.join(folder, '.fwlint.yaml'), BIND);
    return scan({ paths: ['.'], cwd: folder, today: '2026-11-23' });
  }
  /** The replacement pasted in place of the finding's range (the object), its comment lines left out. */
  function paste(text: string, range: { startLine: number; startColumn: number; endLine: number; endColumn: number }, replacement: string): string {
    const lines = text.split('\n');
    const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((sum, each) => sum + each.length + 1, 0) + column - 1;
    const pasted = replacement.split('\n').filter((line) => !line.startsWith('#')).join('\n').trimEnd();
    return text.slice(0, offset(range.startLine, range.startColumn)) + pasted + text.slice(offset(range.endLine, range.endColumn));
  }

  it.each([
    ['an object of the HCL attribute form', 'main.tf', HCL],
    ['an object of a .tf.json list', 'main.tf.json', JSON_TEXT],
  ])('replaces %s by objects of its syntax with every attribute; pasted, the file parses and the rule has no excess', (_, file, text) => {
    const result = scanFile(file, file, text);
    const finding = result.findings.find((each) => each.checkId === 'FW202' && each.ruleId === 'aws_security_group.web.ingress[0]#0')!;
    expect(finding.fixes).toBeUndefined();
    const replacement = String(finding.properties.replacement);
    expect(replacement).not.toMatch(/ingress \{/);
    expect(replacement).toMatch(/self += false|"self": false/);
    const fixed = paste(text, finding.location.range, replacement);
    if (file.endsWith('.json')) expect(() => JSON.parse(fixed)).not.toThrow();
    const rescanned = scanFile(`${file}-fixed`, file, fixed);
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((each) => each.checkId === 'FW202' && /tcp\/(20|22)/.test(each.message))).toEqual([]);
    expect(rescanned.findings.filter((each) => each.checkId === 'FW201')).toEqual([]);
  });
});

// QA 15 item 08: the Terraform fix wrote the vendor's purpose over the user's description ("ssh", a ticket id) and
// dropped the block's comments. A replacement rule of the block's own protocol and ports keeps the description as
// written (with its end-of-line comment); otherwise it is carried over as a comment. The block's comments stay.
describe('FW202 Terraform replacement keeps the block\'s description and comments', () => {
  const fw202 = () => {
    const findings = scanFixture('terraform/fw202-fix-keeps-description').findings.filter((finding) => finding.checkId === 'FW202');
    return (group: string) => findings.find((finding) => finding.targetId === group)!;
  };

  it('keeps the description and comments of a block whose peers only are narrowed', () => {
    const finding = fw202()('aws_security_group.web');
    const expected = /^ingress \{\n {4}# opened for NET-1234\n {4}\/\* office until Q3 \*\/\n {4}description += "ssh" # keep me\n {4}from_port += 22\n/;
    expect(finding.fixes![0]!.insertedText).toMatch(expected);
    expect(String(finding.properties.replacement)).toMatch(/\ningress \{\n {2}# opened for NET-1234\n {2}\/\* office until Q3 \*\/\n {2}description += "ssh" # keep me\n/);
  });

  it('carries over, as a comment, the description of a block whose replacement has other ports', () => {
    const fix = fw202()('aws_security_group.mgmt').fixes![0]!;
    expect(fix.insertedText).toMatch(/^ingress \{\n {4}# the replaced rule's description: "mgmt \(NET-77\)"\n {4}description += "SSH used by/);
  });

  it('keeps the description of a rule resource in the resources that take its place', () => {
    const fix = fw202()('aws_security_group.api').fixes![0]!;
    expect(fix.insertedText).toMatch(/^resource "aws_security_group_rule" "api_ssh_1" \{\n[^]*\n {2}description += "ssh from the portal" # NET-9\n/);
  });

  it('applied, leaves no FW201 or FW202 and keeps the text outside the replaced blocks', () => {
    const result = scanFixture('terraform/fw202-fix-keeps-description');
    const source = fs.readFileSync(path.join(__dirname, '../../fixtures/terraform/fw202-fix-keeps-description/main.tf'), 'utf8');
    const lines = source.split('\n');
    const fixes = result.findings.filter((finding) => finding.checkId === 'FW202').map((finding) => finding.fixes![0]!);
    fixes.sort((a, b) => b.deleted.startLine - a.deleted.startLine);
    for (const fix of fixes) {
      const { startLine, startColumn, endLine, endColumn } = fix.deleted;
      lines.splice(startLine - 1, endLine - startLine + 1, `${lines[startLine - 1]!.slice(0, startColumn - 1)}${fix.insertedText}${lines[endLine - 1]!.slice(endColumn - 1)}`);
    }
    const folder = path.join(directory, 'keeps-description');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'main.tf'), lines.join('\n'));
    fs.copyFileSync(path.join(__dirname, '../../fixtures/terraform/fw202-fix-keeps-description/.fwlint.yaml'), path.join(folder, '.fwlint.yaml'));
    const rescanned = scan({ paths: ['.'], cwd: folder, today: '2026-11-23' });
    expect(rescanned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(rescanned.findings.filter((finding) => /^FW20[12]$/.test(finding.checkId)).map((finding) => finding.message)).toEqual([]);
  });
});
