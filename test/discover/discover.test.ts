import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverFiles } from '../../src/discover/discover';

/** A throwaway tree: `files` maps a relative path to its content. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-discover-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}

const roots: string[] = [];
function make(files: Record<string, string>): string {
  const root = tree(files);
  roots.push(root);
  return root;
}
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function found(inputs: string[], cwd: string): string[] {
  const result = discoverFiles(inputs, cwd);
  expect(result.diagnostics).toEqual([]);
  return result.value.map((file) => file.path);
}

describe('discoverFiles', () => {
  it('skips .git, node_modules and .terraform at any depth', () => {
    const root = make({
      'main.tf': '',
      '.git/config.tf': '',
      'node_modules/pkg/index.tf': '',
      '.terraform/modules/vpc/main.tf': '',
      'env/prod/main.tf': '',
      'env/prod/.terraform/providers/x.tf': '',
      'env/prod/node_modules/y.tf': '',
    });
    expect(found(['.'], root)).toEqual(['env/prod/main.tf', 'main.tf']);
  });

  it('honours the root .gitignore and nested ones, each relative to its own folder', () => {
    const root = make({
      '.gitignore': 'generated/\n*.bak.tf\n',
      'main.tf': '',
      'old.bak.tf': '',
      'generated/out.tf': '',
      'app/.gitignore': 'local.tf\n',
      'app/local.tf': '',
      'app/app.tf': '',
      // The nested rule is relative to app/: a local.tf elsewhere is kept.
      'local.tf': '',
    });
    expect(found(['.'], root)).toEqual(['.gitignore', 'app/.gitignore', 'app/app.tf', 'local.tf', 'main.tf']);
  });

  it('follows git on a nested negation: the deepest .gitignore that matches decides', () => {
    const root = make({
      '.gitignore': 'sub/*.tf\n',
      'sub/.gitignore': '!keep.tf\n',
      'sub/keep.tf': '',
      'sub/drop.tf': '',
    });
    expect(found(['.'], root)).toEqual(['.gitignore', 'sub/.gitignore', 'sub/keep.tf']);
  });

  it('applies the .gitignore files above a scanned folder', () => {
    const root = make({ '.git/HEAD': '', '.gitignore': '*.bak.tf\n', 'infra/main.tf': '', 'infra/old.bak.tf': '' });
    expect(found(['infra'], root)).toEqual(['infra/main.tf']);
    expect(found(['.'], path.join(root, 'infra'))).toEqual(['main.tf']);
  });

  it('keeps paths given explicitly, whatever the ignores say', () => {
    const root = make({
      '.gitignore': 'generated/\n*.bak.tf\n',
      'old.bak.tf': '',
      'generated/out.tf': '',
      'generated/.gitignore': 'scratch.tf\n',
      'generated/scratch.tf': '',
      'node_modules/pkg/rules.tf': '',
    });
    expect(found(['old.bak.tf', 'node_modules/pkg/rules.tf'], root)).toEqual(['node_modules/pkg/rules.tf', 'old.bak.tf']);
    // A named folder is scanned though the root ignores it; the .gitignore inside it still applies.
    expect(found(['generated'], root)).toEqual(['generated/.gitignore', 'generated/out.tf']);
    expect(found(['node_modules/pkg'], root)).toEqual(['node_modules/pkg/rules.tf']);
  });

  it('returns files in code-unit order and reports a missing path', () => {
    const root = make({ 'b.tf': '', 'Z.tf': '', 'a/z.tf': '' });
    const result = discoverFiles(['.', 'missing.tf'], root);
    expect(result.value.map((file) => file.path)).toEqual(['Z.tf', 'a/z.tf', 'b.tf']);
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.file])).toEqual([['read/not-found', 'missing.tf']]);
  });
});

// Regressions (QA): a dangling link that .gitignore ignores (or that is no input) failed the gate with exit 2, and a
// `.gitignore` pattern never applied to a name starting with two dots.
describe('discoverFiles: dangling links and dotted names', () => {
  it('reports a dangling link only where an input may be, and never when it is ignored', () => {
    const root = make({ 'main.tf': '', '.gitignore': '.env\ncurrent\n' });
    fs.symlinkSync('/nonexistent/secrets/env', path.join(root, '.env'));
    fs.symlinkSync('../build/current', path.join(root, 'current'));
    fs.symlinkSync('/nonexistent/latest.log', path.join(root, 'latest.log'));
    fs.symlinkSync('/nonexistent/network.tf', path.join(root, 'network.tf'));
    const result = discoverFiles(['.'], root);
    expect(result.value.map((file) => file.path)).toEqual(['.gitignore', 'main.tf']);
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.file])).toEqual([['read/unreadable', 'network.tf']]);
  });

  it('applies .gitignore to a name starting with two dots', () => {
    const root = make({ '.gitignore': '*.tf\n!a.tf\n', 'a.tf': '', 'b.tf': '', '..dots.tf': '' });
    expect(found(['.'], root)).toEqual(['.gitignore', 'a.tf']);
  });
});

// Regression (QA h6 item 2): without any `.git`, the `.gitignore` files of every folder up to `/` applied, so one
// left in /tmp or $HOME could silently drop files from a scan of /tmp/x/infra. As for `.fwlint.yaml`, the search now
// stops at the repository root, or without one at the working directory (or the scanned folder when outside it).
describe('discoverFiles: .gitignore files above a scanned folder without a repository', () => {
  it('stops at the working directory, or at the scanned folder when the working directory is not above it', () => {
    const root = make({ '.gitignore': '*.tf\n', 'x/infra/main.tf': '', 'elsewhere/.keep': '' });
    // The working directory's own .gitignore applies, as in a repository's root.
    expect(found(['x/infra'], root)).toEqual([]);
    // Above the working directory: not read.
    expect(found(['infra'], path.join(root, 'x'))).toEqual(['infra/main.tf']);
    expect(found([path.join(root, 'x/infra')], path.join(root, 'elsewhere'))).toEqual(['../x/infra/main.tf']);
  });

  it('reads none above the repository root, even when the root itself is scanned', () => {
    const root = make({ '.gitignore': '*.tf\n', 'repo/.git/HEAD': '', 'repo/main.tf': '', 'repo/infra/net.tf': '' });
    expect(found(['.'], path.join(root, 'repo'))).toEqual(['infra/net.tf', 'main.tf']);
    expect(found(['repo'], root)).toEqual(['repo/infra/net.tf', 'repo/main.tf']);
    expect(found(['infra'], path.join(root, 'repo'))).toEqual(['infra/net.tf']);
  });
});

// QA h8: a named `.tf` file was read alone (lint-staged, pre-commit, editors pass changed files only): a world-open
// RDP rule whose CIDR is a variable declared in variables.tf passed as unresolved.
describe('discoverFiles: the companions of a named file whose format reads its folder together', () => {
  const terraformCompanions = (name: string) => (name.endsWith('.tf') ? (sibling: string) => sibling.endsWith('.tf') : undefined);
  const listed = (inputs: string[], cwd: string) => {
    const result = discoverFiles(inputs, cwd, terraformCompanions);
    expect(result.diagnostics).toEqual([]);
    return result.value.map((file) => `${file.path}${file.isCompanion ? ' (companion)' : ''}`);
  };

  it('adds the other .tf files of a named .tf file\'s folder, marked, and nothing else of the folder or below', () => {
    const root = make({ 'net/main.tf': '', 'net/variables.tf': '', 'net/notes.txt': '', 'net/terraform.tfvars': '', 'net/sub/other.tf': '' });
    expect(listed(['net/main.tf'], root)).toEqual(['net/main.tf', 'net/variables.tf (companion)']);
  });

  it('respects the .gitignore files a scan of the folder would read', () => {
    const root = make({ '.git/HEAD': '', '.gitignore': 'net/generated.tf\n', 'net/.gitignore': 'local.tf\n', 'net/main.tf': '', 'net/generated.tf': '', 'net/local.tf': '', 'net/vars.tf': '' });
    expect(listed(['net/main.tf'], root)).toEqual(['net/main.tf', 'net/vars.tf (companion)']);
  });

  it('reads a folder once for several of its files named, and a file named or in a scanned folder is no companion', () => {
    const root = make({ 'net/a.tf': '', 'net/b.tf': '', 'net/c.tf': '', 'app/main.tf': '', 'app/vars.tf': '' });
    expect(listed(['net/a.tf', 'net/c.tf'], root)).toEqual(['net/a.tf', 'net/b.tf (companion)', 'net/c.tf']);
    expect(listed(['app/main.tf', 'app'], root)).toEqual(['app/main.tf', 'app/vars.tf']);
  });

  it('adds nothing for a file its format reads alone', () => {
    const root = make({ 'cfn/a.yaml': '', 'cfn/b.yaml': '' });
    expect(listed(['cfn/a.yaml'], root)).toEqual(['cfn/a.yaml']);
  });
});
