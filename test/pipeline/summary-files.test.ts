import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../src/pipeline/scan';

describe('summary: files the rules come from', () => {
  it('counts a module file outside the scanned folder that holds rules', () => {
    const directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-files-')));
    try {
      fs.mkdirSync(path.join(directory, 'root'));
      fs.mkdirSync(path.join(directory, 'mod'));
      fs.writeFileSync(path.join(directory, 'root/main.tf'), 'module "web" {\n  source = "../mod"\n}\nresource "aws_security_group" "a" {\n  name = "a"\n}\n');
      fs.writeFileSync(path.join(directory, 'root/notes.txt'), 'not an input\n');
      fs.writeFileSync(path.join(directory, 'mod/main.tf'), 'resource "aws_security_group" "m" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n');
      const result = scan({ paths: ['root'], cwd: directory, today: '2026-11-24' });
      expect(result.findings.map((finding) => finding.location.file)).toContain('mod/main.tf');
      expect(result.stats).toMatchObject({ files: 2, parsedFiles: 2, targets: 2 });
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});
