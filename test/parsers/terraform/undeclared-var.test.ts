import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';

/** Terraform rejects `-var` for a variable no root module declares; fwlint warns, so a typo does not go unnoticed. */
describe('--var for a variable no scanned root module declares', () => {
  let root = '';
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-undeclared-var-'));
    const group = (name: string, variable: string): string =>
      `variable "${variable}" {\n  type = string\n}\n\nresource "aws_security_group" "${name}" {\n  name = "${name}"\n\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = [var.${variable}]\n  }\n}\n`;
    for (const [folder, variable] of [['a', 'admin_cidr'], ['b', 'office_cidr']] as const) {
      fs.mkdirSync(path.join(root, folder));
      fs.writeFileSync(path.join(root, folder, 'main.tf'), group(folder, variable));
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([1, 2])('warns once for the names no root declares, with %i parse thread(s), and still uses the others', (workers) => {
    const result = scan({
      paths: ['.'],
      cwd: root,
      today: '2026-11-23',
      workers,
      parse: { vars: { admin_cidr: '0.0.0.0/0', office_cidr: '10.0.0.0/8', admni_cidr: '10.1.0.0/16' }, varFiles: [], params: {} },
    });
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.message])).toEqual([
      ['parse/terraform-undeclared-var', 'warning', '--var admni_cidr: no scanned Terraform root module declares variable "admni_cidr"; the value is not used'],
    ]);
    // admin_cidr (declared in a/) took effect: SSH from the world.
    expect(result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.targetId)).toEqual(['aws_security_group.a']);
  });
});
