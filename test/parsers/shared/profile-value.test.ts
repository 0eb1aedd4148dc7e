import { parseProfileValue } from '../../../src/parsers/shared/profile-value';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';

const at = { file: 'main.tf', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } };

describe('fwlint:profile value (every format: comments and tags)', () => {
  it('reads the role, the phase and the options', () => {
    expect(parseProfileValue('  netapp-cloud-manager/cvo phase=operate options=ha,azure ', at)).toEqual({
      binding: { ref: 'netapp-cloud-manager/cvo', phase: 'operate', options: ['ha', 'azure'], location: at },
      problems: [],
    });
    expect(parseProfileValue('lumen-cloud/linux', at)).toEqual({ binding: { ref: 'lumen-cloud/linux', options: [], location: at }, problems: [] });
  });

  it('names each setting it cannot use, and keeps the rest', () => {
    const { binding, problems } = parseProfileValue('lumen-cloud/linux phase=later options= colour=red options=a,,b', at);
    expect(binding).toEqual({ ref: 'lumen-cloud/linux', options: ['a', 'b'], location: at });
    expect(problems).toEqual([
      'fwlint:profile: "phase=later" is not phase=install|operate or options=a,b',
      'fwlint:profile: "options=" is not phase=install|operate or options=a,b',
      'fwlint:profile: "colour=red" is not phase=install|operate or options=a,b',
    ]);
  });

  // Regression (QA h6 item 3): `options=ha options=backup-to-s3` applied backup-to-s3 alone, without a word.
  it('names a setting given more than once, and keeps the first', () => {
    const { binding, problems } = parseProfileValue('netapp-cloud-manager/cvo options=ha phase=operate options=backup-to-s3,ha phase=install', at);
    expect(binding).toEqual({ ref: 'netapp-cloud-manager/cvo', phase: 'operate', options: ['ha'], location: at });
    expect(problems).toEqual([
      'fwlint:profile: options= is given more than once ("options=ha", then "options=backup-to-s3,ha"); write it once: options=ha,backup-to-s3',
      'fwlint:profile: phase= is given more than once ("phase=operate", then "phase=install"); write it once',
    ]);
    // A first setting fwlint cannot use is reported as such; the second is then the one given.
    expect(parseProfileValue('lumen-cloud/linux options= options=a', at)).toEqual({
      binding: { ref: 'lumen-cloud/linux', options: ['a'], location: at },
      problems: ['fwlint:profile: "options=" is not phase=install|operate or options=a,b'],
    });
  });

  it('a repeated setting: in a comment an error at its line that maps nothing, in a tag a warning that keeps the first', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-profile-repeat-'));
    try {
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        'resource "aws_security_group" "tagged" {\n  name = "tagged"\n  tags = { "fwlint:profile" = "netapp-cloud-manager/cvo options=ha options=backup-to-s3" }\n}\n' +
          '# fwlint:profile netapp-cloud-manager/cvo options=ha options=backup-to-s3\nresource "aws_security_group" "e" {\n  name = "e"\n}\n',
      );
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}: ${d.message}`)).toEqual([
        'warning parse/terraform-profile-tag 3: aws_security_group.tagged: fwlint:profile: options= is given more than once ("options=ha", then "options=backup-to-s3"); write it once: options=ha,backup-to-s3',
        'error annotation/invalid 5: fwlint:profile: options= is given more than once ("options=ha", then "options=backup-to-s3"); write it once: options=ha,backup-to-s3',
      ]);
      expect(Object.fromEntries(result.targets.map((target) => [target.id, target.profile?.options]))).toEqual({ 'aws_security_group.tagged': ['ha'], 'aws_security_group.e': undefined });
      expect(new Set(result.findings.filter((finding) => finding.checkId === 'FW201').map((finding) => finding.targetId))).toEqual(new Set(['aws_security_group.tagged']));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('maps nothing without <pack>/<role>', () => {
    for (const text of ['', '   ', 'lumen-cloud', 'a/b/c', '/linux']) {
      expect(parseProfileValue(text, at)).toEqual({ problems: [`fwlint:profile needs <pack>/<role>, got "${text.trim()}"`] });
    }
  });

  it('in a Terraform tag: each problem is a warning at the tags, and the role is still mapped', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-profile-tag-'));
    try {
      fs.writeFileSync(
        path.join(directory, 'main.tf'),
        'resource "aws_security_group" "web" {\n  name = "web"\n  tags = {\n    "fwlint:profile" = "lumen-cloud/linux phase=soon"\n  }\n}\n',
      );
      const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range?.startLine}: ${d.message}`)).toEqual([
        'warning parse/terraform-profile-tag 3: aws_security_group.web: fwlint:profile: "phase=soon" is not phase=install|operate or options=a,b',
      ]);
      expect(result.targets[0]!.profile?.ref).toBe('lumen-cloud/linux');
      expect(result.findings.some((finding) => finding.checkId === 'FW201')).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
