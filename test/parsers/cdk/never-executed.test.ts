import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFixture } from '../../helpers/scan-fixture';
import { REPO_ROOT } from './read-fixture';

const MARKER = join(REPO_ROOT, 'fixtures/cdk/EXECUTED');

describe('scanning never runs the scanned program', () => {
  it('reads fixtures/cdk/never-executed.ts without running its top-level code, and still reports its group', () => {
    // The fixture's first statement would write this marker, its second would throw.
    expect(existsSync(MARKER)).toBe(false);
    const exitCode = process.exitCode;
    const result = scanFixture('cdk/never-executed.ts');
    expect(existsSync(MARKER)).toBe(false);
    expect(process.exitCode).toBe(exitCode);
    expect(result.diagnostics).toEqual([]);
    expect(result.targets.map((target) => target.id)).toEqual(['Trap/Trap']);
    expect(result.findings.map((finding) => `${finding.checkId} ${finding.ruleId}`)).toContain('FW101 Trap/Trap.addIngressRule[0]#0');
  });

  it('has no code path that loads or evaluates source: the CDK reader imports only the parser, the model and its own files', () => {
    const folder = join(REPO_ROOT, 'src/parsers/cdk');
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts'))) {
      const code = readFileSync(join(folder, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      const imports = [...code.matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
      for (const specifier of imports) {
        expect(`${file}: ${specifier}`).toMatch(/: (@typescript-eslint\/typescript-estree|\.\.\/\.\.\/model\/[a-z-]+|\.\.\/shared\/(?:annotations|profile-value|aws-default-egress)|\.\/[a-z-]+)$/);
      }
      expect(`${file}: ${code}`).not.toMatch(/\b(eval|Function|require|import)\s*\(|\bnode:vm\b|child_process|\bprocess\.chdir\b/);
    }
  });
});
