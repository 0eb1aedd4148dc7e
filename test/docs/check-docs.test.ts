import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseTypeScript } from '@typescript-eslint/typescript-estree';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { CHECKS } from '../../src/checks';
import { isSeverity } from '../../src/model/severity';
import { scanFiles } from '../helpers/scan-fixture';

// Docs test (after typescript-eslint's docs.test.ts): every check has docs/checks/<ID>-<name>.md with the same
// structure, which `fwlint explain` prints and SARIF embeds as rule help.

const REPO_ROOT = path.resolve(__dirname, '../..');
const DOCS_DIR = path.join(REPO_ROOT, 'docs/checks');
const CONTRACT = path.resolve(__dirname, '../../../shared/docs/contract.md');
const CONFIG_SCHEMA = path.join(REPO_ROOT, 'schemas/fwlint-config.schema.json');

const REQUIRED_HEADINGS = ['What', 'Why', 'Bad', 'Good', 'How to fix', 'How to suppress'];
/** Checks that no netsh rule can trigger: their Bad/Good sections need no ```bat example. */
const WITHOUT_NETSH = new Set<string>();
/** Checks that no AWS CDK / Pulumi / CDKTF TypeScript program can trigger: their Bad/Good sections need no ```ts example. */
const WITHOUT_TYPESCRIPT = new Set<string>();

interface CodeBlock {
  language: string;
  code: string;
  /** The `## ` section the block is in. */
  section: string;
}

interface CheckDoc {
  file: string;
  text: string;
  lines: string[];
  headings: string[];
  sections: Map<string, string>;
  blocks: CodeBlock[];
}

function readDoc(file: string): CheckDoc {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const headings: string[] = [];
  const sections = new Map<string, string>();
  const blocks: CodeBlock[] = [];
  let section = '';
  let fence: { indent: string; language: string; lines: string[] } | undefined;
  for (const line of lines) {
    const fenceMatch = /^(\s*)```(\S*)\s*$/.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[2] === '') {
        blocks.push({ language: fence.language, code: fence.lines.join('\n'), section });
        fence = undefined;
      } else {
        fence.lines.push(line.startsWith(fence.indent) ? line.slice(fence.indent.length) : line);
      }
    } else if (fenceMatch) {
      fence = { indent: fenceMatch[1]!, language: fenceMatch[2]!, lines: [] };
    } else if (line.startsWith('## ')) {
      section = line.slice(3).trim();
      headings.push(section);
      sections.set(section, '');
    }
    if (section && !line.startsWith('## ')) sections.set(section, `${sections.get(section)}${line}\n`);
  }
  if (fence) throw new Error(`${file}: unterminated code block`);
  return { file, text, lines, headings, sections, blocks };
}

/** The syntax error typescript-estree reports for `code`, as the CDK reader parses it; empty when it parses. */
function typeScriptErrors(code: string): string[] {
  try {
    parseTypeScript(code, { jsx: false });
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

function firstParagraph(section: string): string {
  return section.trim().split(/\n\s*\n/)[0]!.trim();
}

/** `| FW101 | world-open-ingress | … |` rows of the contract's `## Checks` table. */
function contractChecks(): Map<string, string> {
  const text = fs.readFileSync(CONTRACT, 'utf8');
  const start = text.indexOf('\n## Checks');
  if (start === -1) throw new Error(`${CONTRACT} has no "## Checks" section`);
  const end = text.indexOf('\n## ', start + 1);
  const table = text.slice(start, end === -1 ? undefined : end);
  const checks = new Map<string, string>();
  for (const match of table.matchAll(/^\|\s*(FW\d{3})\s*\|\s*([a-z0-9-]+)\s*\|/gm)) checks.set(match[1]!, match[2]!);
  return checks;
}

function docFileOf(id: string, name: string): string {
  return path.join(DOCS_DIR, `${id}-${name}.md`);
}

describe('check docs', () => {
  test('every registered check has its docs file at docsPath', () => {
    const missing = CHECKS.filter((check) => !fs.existsSync(path.join(REPO_ROOT, check.docsPath))).map((check) => check.docsPath);
    expect(missing).toEqual([]);
    for (const check of CHECKS) expect(check.docsPath).toBe(`docs/checks/${check.id}-${check.name}.md`);
  });

  describe.each(CHECKS.map((check) => [check.id, check] as const))('%s', (_id, check) => {
    const file = path.join(REPO_ROOT, check.docsPath);
    const doc = (): CheckDoc => readDoc(file);

    test('starts with "# <ID> <name>" and states the default severity', () => {
      const { lines } = doc();
      expect(lines[0]).toBe(`# ${check.id} ${check.name}`);
      expect(lines).toContain(`Default severity: ${check.defaultSeverity}`);
    });

    test('has the required sections in order, and only those', () => {
      expect(doc().headings).toEqual(REQUIRED_HEADINGS);
    });

    test('What starts with a one-paragraph description usable as SARIF fullDescription', () => {
      const paragraph = firstParagraph(doc().sections.get('What')!);
      expect(paragraph.length).toBeGreaterThan(40);
      expect(paragraph.length).toBeLessThanOrEqual(1024);
      expect(paragraph).not.toMatch(/^(```|- |\d+\. )/);
    });

    test('Bad and Good have Terraform and CloudFormation examples (and netsh and CDK/Pulumi TypeScript where those can express it)', () => {
      const { blocks } = doc();
      for (const section of ['Bad', 'Good']) {
        const languages = blocks.filter((block) => block.section === section).map((block) => block.language);
        expect(languages).toEqual(expect.arrayContaining(['hcl', 'yaml']));
        if (!WITHOUT_NETSH.has(check.id)) expect([section, languages]).toEqual([section, expect.arrayContaining(['bat'])]);
        if (!WITHOUT_TYPESCRIPT.has(check.id)) expect([section, languages]).toEqual([section, expect.arrayContaining(['ts'])]);
      }
    });

    test('How to suppress shows the annotation and both config forms', () => {
      const section = doc().sections.get('How to suppress')!;
      expect(section).toMatch(new RegExp(`fwlint:ignore ${check.id}\\b[^\\n]*reason="[^"]+"[^\\n]*expires=\\d{4}-\\d{2}-\\d{2}`));
      expect(section).toMatch(new RegExp(`ignore:\\n\\s+- \\{ check: ${check.id},`));
      expect(section).toMatch(new RegExp(`checks:\\n\\s+${check.id}: off`));
    });
  });

  describe('every docs file', () => {
    const files = fs.existsSync(DOCS_DIR) ? fs.readdirSync(DOCS_DIR).filter((name) => name.endsWith('.md')).sort() : [];

    test('is named <ID>-<name>.md after its title line, with a valid default severity', () => {
      for (const name of files) {
        const doc = readDoc(path.join(DOCS_DIR, name));
        const title = /^# (FW\d{3}) ([a-z0-9-]+)$/.exec(doc.lines[0] ?? '');
        expect(title).not.toBeNull();
        expect(name).toBe(`${title![1]}-${title![2]}.md`);
        const severity = doc.lines.find((line) => line.startsWith('Default severity: '))?.slice('Default severity: '.length);
        expect(isSeverity(severity)).toBe(true);
        expect(doc.headings).toEqual(REQUIRED_HEADINGS);
      }
    });

    test('code blocks are hcl, yaml, bat or ts, and the YAML and the TypeScript parse', () => {
      for (const name of files) {
        for (const block of readDoc(path.join(DOCS_DIR, name)).blocks) {
          expect([name, block.language]).toEqual([name, expect.stringMatching(/^(hcl|yaml|bat|ts)$/)]);
          if (block.language === 'ts') expect([name, typeScriptErrors(block.code)]).toEqual([name, []]);
          if (block.language !== 'yaml') continue;
          const parsed = parseDocument(block.code);
          expect([name, parsed.errors.map((error) => error.message)]).toEqual([name, []]);
        }
      }
    });

    test('config snippets are valid .fwlint.yaml (against schemas/fwlint-config.schema.json)', () => {
      const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(CONFIG_SCHEMA, 'utf8')));
      let snippets = 0;
      for (const name of files) {
        for (const block of readDoc(path.join(DOCS_DIR, name)).blocks) {
          if (block.language !== 'yaml') continue;
          const value: unknown = parseDocument(block.code).toJS();
          if (typeof value !== 'object' || value === null || 'Resources' in value || 'Parameters' in value) continue;
          snippets++;
          validate(value);
          expect([name, block.code, validate.errors ?? []]).toEqual([name, block.code, []]);
        }
      }
      expect(snippets).toBeGreaterThan(0);
    });

    test('links to other check docs point at existing files', () => {
      for (const name of files) {
        const { text } = readDoc(path.join(DOCS_DIR, name));
        for (const match of text.matchAll(/\]\((FW\d{3}-[a-z0-9-]+\.md)\)/g)) {
          expect([name, fs.existsSync(path.join(DOCS_DIR, match[1]!))]).toEqual([name, true]);
        }
      }
    });

  });

  /** The file each example is scanned as, by its block's language. */
  const EXAMPLE_FILES: Record<string, string> = { hcl: 'main.tf', yaml: 'template.yaml', bat: 'rules.cmd', ts: 'stack.ts' };

  describe('every Bad and Good example, scanned alone, is what its section says (a fixture in each format)', () => {
    const examples = CHECKS.flatMap((check) => {
      const blocks = readDoc(path.join(REPO_ROOT, check.docsPath)).blocks.filter((block) => block.section === 'Bad' || block.section === 'Good');
      return blocks.map((block) => {
        const sameKind = blocks.filter((other) => other.section === block.section && other.language === block.language);
        const name = sameKind.length > 1 ? `${block.language} #${sameKind.indexOf(block) + 1}` : block.language;
        return [check.id, block.section, name, block] as const;
      });
    });

    it.each(examples)('%s %s %s', (checkId, section, _name, block) => {
      const result = scanFiles({ [EXAMPLE_FILES[block.language]!]: block.code });
      expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
      expect(result.targets.length).toBeGreaterThan(0);
      const own = result.findings.filter((finding) => finding.checkId === checkId);
      if (section === 'Bad') expect(own.length).toBeGreaterThan(0);
      else expect(own.map((finding) => finding.message)).toEqual([]);
    });
  });

  const contractPresent = fs.existsSync(CONTRACT);
  const describeContract = contractPresent ? describe : describe.skip;
  if (!contractPresent) console.warn(`contract.md not found at ${CONTRACT}: the contract table assertions are skipped`);

  describeContract('agree with the contract table (shared/docs/contract.md "## Checks")', () => {
    test('every registered check is in the contract table with the same name', () => {
      const contract = contractChecks();
      expect(contract.size).toBeGreaterThan(0);
      for (const check of CHECKS) expect([check.id, contract.get(check.id)]).toEqual([check.id, check.name]);
    });

    test('every contract check that is registered has docs, and every docs file is a contract check', () => {
      const contract = contractChecks();
      for (const [id, name] of contract) {
        if (CHECKS.some((check) => check.id === id)) expect([id, fs.existsSync(docFileOf(id, name))]).toEqual([id, true]);
      }
      const documented = fs.readdirSync(DOCS_DIR).filter((file) => file.endsWith('.md'));
      for (const file of documented) {
        const [, id, name] = /^(FW\d{3})-(.+)\.md$/.exec(file) ?? [];
        expect([file, id !== undefined && contract.get(id) === name]).toEqual([file, true]);
      }
    });
  });
});
