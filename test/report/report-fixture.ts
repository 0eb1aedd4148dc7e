import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../src/checks';
import type { Finding } from '../../src/model/finding';
import type { SourceRange } from '../../src/model/location';
import type { ReportContext, ReportInput } from '../../src/report/report-context';

/**
 * The fixed input every reporter golden is rendered from: two targets in two files (a Terraform NACL and a
 * CloudFormation security group), every severity, one suppressed finding, one parse error and one warning.
 * Messages carry characters each format must escape (`|`, `<`, `&`, `"`, `%`, `:` and `,`).
 */
export function basicInput(): ReportInput {
  const findings: Finding[] = [
    finding({
      checkId: 'FW104', checkName: 'world-open-egress', severity: 'medium', messageId: 'worldOpenEgress',
      message: "AppSecurityGroup allows egress to 0.0.0.0/0 on all traffic (the platform's implicit default egress, added because the group lists no egress rule)",
      targetId: 'AppSecurityGroup', file: 'cfn/app.yaml', range: range(2, 11, 2, 35), ruleId: 'AppSecurityGroup.default-egress',
      fingerprint: '3c4d5e6f708192a3', properties: { traffic: 'all traffic', peer: '0.0.0.0/0', synthetic: true },
    }),
    finding({
      checkId: 'FW201', checkName: 'required-flow-missing', severity: 'high', messageId: 'missing',
      message: 'AppSecurityGroup (netapp-cloud-manager/cvo): tcp/443 from admin (any address) (HTTPS access to the System Manager web console on the cluster management LIF) is not allowed',
      targetId: 'AppSecurityGroup', file: 'cfn/app.yaml', range: range(3, 5, 3, 49), fingerprint: '0f1e2d3c4b5a6978',
      properties: { profile: 'netapp-cloud-manager/cvo', witness: 'tcp/443 from 203.0.113.7' },
    }),
    finding({
      checkId: 'FW101', checkName: 'world-open-ingress', severity: 'high', messageId: 'worldOpen',
      message: 'AppSecurityGroup allows ingress from 0.0.0.0/0 on tcp/443',
      targetId: 'AppSecurityGroup', file: 'cfn/app.yaml', range: range(12, 20, 12, 31), ruleId: 'AppSecurityGroup.SecurityGroupIngress[0]',
      fingerprint: '1a2b3c4d5e6f7081', properties: { traffic: 'tcp/443', peer: '0.0.0.0/0', sensitiveServices: [] },
      suppression: { kind: 'inSource', justification: 'public web' },
    }),
    finding({
      checkId: 'FW103', checkName: 'wide-port-range', severity: 'medium', messageId: 'widePortRange',
      message: 'AppSecurityGroup opens 55536 tcp ports (10000-65535) from 198.51.100.0/24, more than 1024',
      targetId: 'AppSecurityGroup', file: 'cfn/app.yaml', range: range(17, 20, 17, 37), ruleId: 'AppSecurityGroup.SecurityGroupIngress[1]',
      fingerprint: '2b3c4d5e6f708192', properties: { protocol: 'tcp', ports: '10000-65535', portCount: 55536, peer: '198.51.100.0/24' },
      related: [{ file: 'cfn/app.yaml', range: range(2, 3, 2, 19) }],
    }),
    finding({
      checkId: 'FW101', checkName: 'world-open-ingress', severity: 'critical', messageId: 'worldOpen',
      message: 'aws_network_acl.edge allows ingress from 0.0.0.0/0 on tcp/22',
      targetId: 'aws_network_acl.edge', file: 'infra/network.tf', range: range(12, 19, 12, 30), ruleId: 'aws_network_acl.edge.ingress[0]',
      fingerprint: '4d5e6f708192a3b4', properties: { traffic: 'tcp/22', peer: '0.0.0.0/0', sensitiveServices: ['ssh'], witness: 'tcp/22 from 203.0.113.7' },
      related: [{ file: 'infra/network.tf', range: range(3, 1, 3, 39) }],
    }),
    finding({
      checkId: 'FW102', checkName: 'all-traffic', severity: 'high', messageId: 'allPorts',
      message: 'aws_network_acl.edge allows every tcp port from 203.0.113.0/24',
      targetId: 'aws_network_acl.edge', file: 'infra/network.tf', range: range(21, 19, 21, 35), ruleId: 'aws_network_acl.edge.ingress[1]',
      fingerprint: '5e6f708192a3b4c5', properties: { protocol: 'tcp', ports: '0-65535', peer: '203.0.113.0/24' },
    }),
    finding({
      checkId: 'FW301', checkName: 'shadowed-rule', severity: 'low', messageId: 'shadowed',
      message: 'aws_network_acl.edge: allow rule aws_network_acl.edge.ingress[3] (10.1.0.0/16) never takes effect; it is fully overridden by aws_network_acl.edge.ingress[2]',
      targetId: 'aws_network_acl.edge', file: 'infra/network.tf', range: range(38, 3, 45, 4), ruleId: 'aws_network_acl.edge.ingress[3]',
      fingerprint: '6f708192a3b4c5d6', properties: { overriddenBy: ['aws_network_acl.edge.ingress[2]'] },
    }),
    finding({
      checkId: 'FW303', checkName: 'unresolved-value', severity: 'note', messageId: 'unresolved',
      message: 'aws_network_acl.edge: cidr_block could not be resolved statically (lookup(var.cidrs, "a|b") & <x>, 50%: a,b); the rule was checked only as far as it is known',
      targetId: 'aws_network_acl.edge', file: 'infra/network.tf', range: range(52, 19, 52, 60), ruleId: 'aws_network_acl.edge.ingress[4]',
      fingerprint: '708192a3b4c5d6e7', properties: { field: 'cidr_block', expression: 'lookup(var.cidrs, "a|b") & <x>, 50%: a,b' },
    }),
  ];
  return {
    findings,
    diagnostics: [
      { code: 'parse/yaml-syntax', severity: 'error', message: 'unexpected end of flow sequence; expected "]"', file: 'cfn/broken.yaml', range: range(7, 5, 7, 6) },
      { code: 'suppress/unused', severity: 'warning', message: 'suppression of FW104 ("temporary") matched no finding; remove it', file: 'infra/network.tf', range: range(60, 1, 60, 45) },
    ],
    checks: CHECKS,
    targets: [
      { id: 'AppSecurityGroup', file: 'cfn/app.yaml' },
      { id: 'aws_network_acl.edge', file: 'infra/network.tf' },
      { id: 'aws_security_group.clean', file: 'infra/network.tf' },
    ],
    stats: { files: 3, parsedFiles: 2, targets: 3, rules: 11, suppressed: 1, baselined: 0, baselineAbsent: 0 },
    exitCode: 2,
  };
}

export function testContext(overrides: Partial<ReportContext> = {}): ReportContext {
  return {
    toolVersion: '0.0.0-test',
    color: false,
    sourceLines: () => undefined,
    checkDocs: () => undefined,
    includeSuppressed: false,
    ...overrides,
  };
}

/**
 * Compares `actual` with `test/report/golden/<name>` byte for byte. `UPDATE_GOLDEN=1 npx jest test/report`
 * rewrites the file instead; review the diff before committing it.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(__dirname, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual, 'utf8');
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`golden file ${path.relative(process.cwd(), file)} is missing: run UPDATE_GOLDEN=1 npx jest test/report`);
  const expected = fs.readFileSync(file);
  // The string comparison gives a readable diff; the byte comparison also catches a BOM or invalid UTF-8.
  expect(actual).toBe(expected.toString('utf8'));
  expect(Buffer.from(actual, 'utf8').equals(expected)).toBe(true);
}

function range(startLine: number, startColumn: number, endLine: number, endColumn: number): SourceRange {
  return { startLine, startColumn, endLine, endColumn };
}

interface FindingSpec {
  checkId: string;
  checkName: string;
  severity: Finding['severity'];
  messageId: string;
  message: string;
  targetId: string;
  file: string;
  range: SourceRange;
  fingerprint: string;
  properties: Record<string, unknown>;
  ruleId?: string;
  related?: Finding['relatedLocations'];
  suppression?: Finding['suppression'];
}

function finding(spec: FindingSpec): Finding {
  const result: Finding = {
    checkId: spec.checkId,
    checkName: spec.checkName,
    severity: spec.severity,
    messageId: spec.messageId,
    message: spec.message,
    targetId: spec.targetId,
    location: { file: spec.file, range: spec.range },
    relatedLocations: spec.related ?? [],
    properties: spec.properties,
    fingerprint: spec.fingerprint,
  };
  if (spec.ruleId) result.ruleId = spec.ruleId;
  if (spec.suppression) result.suppression = spec.suppression;
  return result;
}
