import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INIT_CONFIG } from '../../src/cli/init-config';
import { scan } from '../../src/pipeline/scan';

/**
 * The configuration examples users copy (README "Configuration" and "Mapping targets to roles", the `fwlint init`
 * template) must be valid as written: every entry maps a target of the fixture and nothing is reported about the
 * config or the packs. Regression: the README set `wmi-port` on a netapp-cloud-manager/cvo entry (review, fix/uxb).
 */
const REPO_ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const FIXTURE = path.join(REPO_ROOT, 'fixtures/docs/readme-config');

/** The first ```yaml block after `heading`, with its indentation removed. */
function yamlBlockAfter(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const block = /^( *)```yaml\n([\s\S]*?)^\1```$/m.exec(README.slice(start));
  expect(block).not.toBeNull();
  const indent = block![1]!.length;
  return block![2]!.split('\n').map((line) => line.slice(indent)).join('\n');
}

/** The init template's commented `targets:` block, uncommented. */
function initTargets(): string {
  const lines = INIT_CONFIG.split('\n');
  const from = lines.indexOf('# targets:');
  expect(from).toBeGreaterThanOrEqual(0);
  const block: string[] = [];
  for (const line of lines.slice(from)) {
    if (!/^# {0,}(targets:|  )/.test(line)) break;
    block.push(line.slice(2));
  }
  return block.join('\n') + '\n';
}

function configProblems(config: string): Array<[string, string]> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-readme-config-'));
  try {
    for (const name of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, name), path.join(directory, name));
    fs.mkdirSync(path.join(directory, 'firewall-rules'));
    fs.writeFileSync(path.join(directory, '.fwlint.yaml'), config);
    const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
    expect(result.stats.targets).toBeGreaterThanOrEqual(3);
    return result.diagnostics.filter((diagnostic) => /^(config|packs|usage)\//.test(diagnostic.code)).map((diagnostic) => [diagnostic.code, diagnostic.message]);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('configuration examples are valid as written', () => {
  it('README "Configuration: .fwlint.yaml"', () => {
    const config = yamlBlockAfter('## Configuration: `.fwlint.yaml`');
    expect(config).toContain('parameters:');
    expect(configProblems(config)).toEqual([]);
  });

  it('README "Mapping targets to roles"', () => {
    const config = yamlBlockAfter('### Mapping targets to roles');
    expect(config).toContain('targets:');
    expect(configProblems(config)).toEqual([]);
  });

  it('fwlint init: the targets: block, uncommented, including parameters', () => {
    const config = initTargets();
    expect(config).toContain('parameters:');
    expect(configProblems(config)).toEqual([]);
  });

  it('fwlint init links the README\'s configuration heading by its GitHub anchor', () => {
    const heading = /^## (Configuration.*)$/m.exec(README)![1]!;
    // GitHub: lower case, punctuation other than - and space removed, spaces to hyphens.
    const anchor = heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
    expect(INIT_CONFIG).toContain(`https://github.com/fwlint/fwlint#${anchor}\n`);
  });
});
