import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findConfigFile } from '../../src/config/config';
import { scanFiles } from '../helpers/scan-fixture';
import { scan } from '../../src/pipeline/scan';

// Regression (QA h6 item 2): without any `.git`, `.fwlint.yaml` was looked for in every parent folder up to `/`, so a
// config in /tmp or $HOME silently applied to a scan of /tmp/x/infra. contract.md: "Found in the scanned folder or
// its parents up to the repository root"; without a repository the search stops at the working directory (where
// `fwlint init` writes the config) or, for a folder outside it, at the scanned folder itself.
describe('findConfigFile', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-find-config-')));
    fs.mkdirSync(path.join(root, 'x/infra'), { recursive: true });
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.writeFileSync(path.join(root, '.fwlint.yaml'), 'failOn: high\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('without a repository, looks no higher than the working directory', () => {
    expect(findConfigFile(path.join(root, 'x/infra'), root)).toBe(path.join(root, '.fwlint.yaml'));
    expect(findConfigFile(path.join(root, 'x/infra'), path.join(root, 'x'))).toBeUndefined();
    expect(findConfigFile(path.join(root, 'x/infra'), path.join(root, 'x/infra'))).toBeUndefined();
  });

  it('without a repository, looks only in a scanned folder outside the working directory', () => {
    expect(findConfigFile(path.join(root, 'x/infra'), path.join(root, 'elsewhere'))).toBeUndefined();
    fs.writeFileSync(path.join(root, 'x/infra/.fwlint.yaml'), 'failOn: low\n');
    expect(findConfigFile(path.join(root, 'x/infra'), path.join(root, 'elsewhere'))).toBe(path.join(root, 'x/infra/.fwlint.yaml'));
  });

  it('in a repository, looks up to its root, wherever the working directory is', () => {
    fs.mkdirSync(path.join(root, 'x/.git'));
    expect(findConfigFile(path.join(root, 'x/infra'), root)).toBeUndefined();
    fs.writeFileSync(path.join(root, 'x/.fwlint.yaml'), 'failOn: low\n');
    expect(findConfigFile(path.join(root, 'x/infra'), path.join(root, 'elsewhere'))).toBe(path.join(root, 'x/.fwlint.yaml'));
    expect(findConfigFile(path.join(root, 'x/infra'), path.join(root, 'x/infra'))).toBe(path.join(root, 'x/.fwlint.yaml'));
  });
});

// Regression (QA 9, item 10): with both names in one folder, .fwlint.yml was silently ignored.
describe('.fwlint.yaml and .fwlint.yml in one folder', () => {
  const SSH = 'resource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
  const IGNORE_ALL = 'ignore:\n  - { check: FW101, reason: "lab" }\n';

  it('reads .fwlint.yml alone', () => {
    const result = scanFiles({ '.git/HEAD': '', 'main.tf': SSH, '.fwlint.yml': IGNORE_ALL });
    expect(result.diagnostics).toEqual([]);
    expect(result.findings.map((finding) => finding.suppression?.justification)).toEqual(['lab']);
  });

  it('reads .fwlint.yaml, and warns naming both files that .fwlint.yml is ignored', () => {
    const result = scanFiles({ '.git/HEAD': '', 'main.tf': SSH, '.fwlint.yml': IGNORE_ALL, '.fwlint.yaml': 'failOn: high\n' });
    expect(result.diagnostics).toEqual([
      {
        code: 'config/shadowed',
        severity: 'warning',
        file: '.fwlint.yml',
        message: '.fwlint.yaml and .fwlint.yml are both in one folder: fwlint reads .fwlint.yaml only, and ignores .fwlint.yml; merge them into one file',
      },
    ]);
    expect(result.findings.map((finding) => finding.suppression)).toEqual([undefined]);
  });

  it('does not warn when --config names the file', () => {
    const result = scanFiles({ '.git/HEAD': '', 'main.tf': SSH, '.fwlint.yml': IGNORE_ALL, '.fwlint.yaml': 'failOn: high\n' }, { configFile: '.fwlint.yml' });
    expect(result.diagnostics).toEqual([]);
  });
});

// Regression (QA 14, item 04): a sub-project's .fwlint.yaml stopped applying, without a word, as soon as the scan named
// a second path (lint-staged passing app/main.tf web/main.tf) or scanned the repository root: its role mappings and
// ignores vanished and the gate passed.
describe('a config below where the search starts', () => {
  const SSH = 'resource "aws_security_group" "a" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
  const IGNORE_ALL = 'ignore:\n  - { check: FW101, reason: "lab" }\n';
  const files = { '.git/HEAD': '', 'app/main.tf': SSH, 'app/.fwlint.yaml': IGNORE_ALL, 'web/main.tf': SSH };
  const notApplied = (reading: string) => ({
    code: 'config/not-applied',
    severity: 'warning',
    file: 'app/.fwlint.yaml',
    message: `not applied: this scan ${reading} (one config per scan, found from the folder holding every scanned path upwards); scan app on its own, or pass --config app/.fwlint.yaml`,
  });

  it('is read when the scan names only its folder or its files', () => {
    for (const paths of [['app'], ['app/main.tf']]) {
      const result = scanFiles(files, { paths });
      expect(result.diagnostics).toEqual([]);
      expect(result.findings.map((finding) => finding.suppression?.justification)).toEqual(['lab']);
    }
  });

  it('is named as not applied when the scan reaches above it', () => {
    for (const paths of [['.'], ['app/main.tf', 'web/main.tf'], ['app', 'web']]) {
      const result = scanFiles(files, { paths });
      expect(result.diagnostics).toEqual([notApplied('reads no config')]);
      expect(result.findings.map((finding) => finding.suppression)).toEqual([undefined, undefined]);
    }
    expect(scanFiles({ ...files, '.fwlint.yaml': 'failOn: high\n' }).diagnostics).toEqual([notApplied('reads .fwlint.yaml')]);
  });

  // Regression (QA 16 item 09): the config in use, reached again through a link (app/up -> ..), was named as not applied.
  it('is compared and named by real path', () => {
    const directory = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-not-applied-link-')));
    try {
      for (const [name, text] of Object.entries({ '.git/HEAD': '', '.fwlint.yaml': 'failOn: high\n', 'app/main.tf': SSH, 'shared/main.tf': SSH, 'shared/.fwlint.yaml': IGNORE_ALL })) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), text);
      }
      fs.symlinkSync('..', path.join(directory, 'app/up'));
      fs.symlinkSync('../shared', path.join(directory, 'app/shared-link'));
      const result = scan({ paths: ['app'], cwd: directory, today: '2026-11-23' });
      expect(result.diagnostics.filter((diagnostic) => diagnostic.code === 'config/not-applied').map((diagnostic) => diagnostic.file)).toEqual(['shared/.fwlint.yaml']);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('is not named when --config chooses the config, or when it is in an unscanned folder', () => {
    expect(scanFiles(files, { paths: ['.'], configFile: 'app/.fwlint.yaml' }).diagnostics).toEqual([]);
    expect(scanFiles(files, { paths: ['web'] }).diagnostics).toEqual([]);
  });
});
