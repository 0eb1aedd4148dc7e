import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describePeer } from '../../../src/model/peer';
import type { Target } from '../../../src/model/target';
import { scan } from '../../../src/pipeline/scan';
import { REPO_ROOT, scanFixture } from '../../helpers/scan-fixture';

function peersOf(target: Target): string[] {
  return target.rules.map((rule) => `${rule.resourceAddress} ${rule.direction} ${describePeer(rule.peer)}`);
}

describe('Terraform: a rule naming its own group as the peer is the self peer', () => {
  it('reads source_security_group_id / referenced_security_group_id equal to security_group_id as self', () => {
    const result = scanFixture('terraform/self-reference');
    expect(result.diagnostics).toEqual([]);
    const k8s = result.targets.find((target) => target.id === 'aws_security_group.k8s')!;
    expect(k8s.rules.map((rule) => rule.peer.kind)).toEqual(['self', 'self', 'self', 'self', 'sg-ref']);
    expect(peersOf(k8s).at(-1)).toBe('aws_security_group_rule.from_lb in security group aws_security_group.lb');
    // FW102 exempts the group itself: only the rule from the other group is reported.
    const fw102 = result.findings.filter((finding) => finding.checkId === 'FW102');
    expect(fw102.map((finding) => finding.location.range.startLine)).toEqual([44]);
  });

  it('in a plan, compares the known ids: the group id in a standalone rule and in an inline rule is self', () => {
    const result = scanFixture('terraform/self-reference-plan/plan.json');
    const k8s = result.targets.find((target) => target.id === 'aws_security_group.k8s')!;
    // Without a configuration, the inline self entry is the standalone rule read back into the group: counted once.
    expect(k8s.rules.map((rule) => `${rule.resourceAddress.replace(/\[#\w+\]/, '')} ${JSON.stringify(rule.peer)}`)).toEqual([
      'aws_security_group.k8s.ingress {"kind":"sg-ref","id":"sg-0a1b2c3d4e5f60002"}',
      'aws_security_group_rule.k8s_self {"kind":"self"}',
    ]);
    expect(result.findings.filter((finding) => finding.checkId === 'FW102').map((finding) => finding.message)).toEqual([
      expect.stringMatching(/from security group sg-0a1b2c3d4e5f60002/),
    ]);
    // A configuration that writes `ingress` makes the inline entries the group's own: its own id there is self too.
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-self-'));
    try {
      const plan = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'fixtures/terraform/self-reference-plan/plan.json'), 'utf8')) as Record<string, unknown>;
      plan.configuration = {
        root_module: {
          resources: [
            { address: 'aws_security_group.k8s', mode: 'managed', type: 'aws_security_group', name: 'k8s', expressions: { ingress: { references: ['aws_security_group.other.id'] } } },
            { address: 'aws_security_group_rule.k8s_self', mode: 'managed', type: 'aws_security_group_rule', name: 'k8s_self', expressions: { security_group_id: { constant_value: 'sg-0a1b2c3d4e5f60001' } } },
          ],
        },
      };
      fs.writeFileSync(path.join(directory, 'plan.json'), JSON.stringify(plan));
      const written = scan({ paths: ['plan.json'], cwd: directory, today: '2026-11-23' }).targets.find((target) => target.id === 'aws_security_group.k8s')!;
      expect(written.rules.map((rule) => rule.peer)).toEqual([{ kind: 'self' }, { kind: 'sg-ref', id: 'sg-0a1b2c3d4e5f60002' }, { kind: 'self' }]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reads an inline security_groups entry naming the group itself as self (a cycle Terraform rejects), others as groups', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-self-'));
    try {
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        [
          'resource "aws_security_group" "other" {}',
          'resource "aws_security_group" "k8s" {',
          '  ingress {',
          '    from_port       = 0',
          '    to_port         = 0',
          '    protocol        = "-1"',
          '    security_groups = [aws_security_group.k8s.id, aws_security_group.other.id]',
          '  }',
          '}',
          '',
        ].join('\n'),
      );
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      const k8s = result.targets.find((target) => target.id === 'aws_security_group.k8s')!;
      expect(k8s.rules.map((rule) => rule.peer)).toEqual([{ kind: 'self' }, { kind: 'sg-ref', id: 'aws_security_group.other' }]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
