import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scan } from '../../../src/pipeline/scan';

const OPEN_SSH = 'resource "aws_security_group" "NAME" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';

describe('Terraform module files are shown relative to the working directory, like discovered files', () => {
  let base: string;
  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-module-paths-')));
    const write = (relative: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(base, relative)), { recursive: true });
      fs.writeFileSync(path.join(base, relative), text);
    };
    write('elsewhere/cwd/.keep', '');
    write('proj/main.tf', `module "web" {\n  source = "./modules/sg"\n}\nmodule "shared" {\n  source = "../shared/sg"\n}\n${OPEN_SSH.replace('NAME', 'root')}`);
    write('proj/modules/sg/main.tf', OPEN_SSH.replace('NAME', 'web'));
    write('shared/sg/main.tf', OPEN_SSH.replace('NAME', 'shared'));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  const filesOf = (cwd: string, paths: string[]) => {
    const result = scan({ paths, cwd, today: '2026-11-23' });
    return {
      targets: result.targets.map((target) => `${target.id} ${target.location.file}`),
      findings: result.findings.filter((finding) => finding.checkId === 'FW101').map((finding) => finding.location.file),
      rules: [...new Set(result.targets.flatMap((target) => target.rules.map((rule) => rule.location.file)))],
    };
  };

  it('scanning a folder outside the working directory: root and child module files alike', () => {
    const seen = filesOf(path.join(base, 'elsewhere/cwd'), [path.join(base, 'proj')]);
    expect(seen.targets).toEqual([
      'aws_security_group.root ../../proj/main.tf',
      'module.shared.aws_security_group.shared ../../shared/sg/main.tf',
      'module.web.aws_security_group.web ../../proj/modules/sg/main.tf',
    ]);
    expect(seen.findings).toEqual(['../../proj/main.tf', '../../proj/modules/sg/main.tf', '../../shared/sg/main.tf']);
    expect(seen.rules).toEqual(['../../proj/main.tf', '../../shared/sg/main.tf', '../../proj/modules/sg/main.tf']);
  });

  it('scanning the working directory: a module outside it is ../…, not absolute', () => {
    const seen = filesOf(path.join(base, 'proj'), ['.']);
    expect(seen.targets).toEqual([
      'aws_security_group.root main.tf',
      'module.shared.aws_security_group.shared ../shared/sg/main.tf',
      'module.web.aws_security_group.web modules/sg/main.tf',
    ]);
  });
});
