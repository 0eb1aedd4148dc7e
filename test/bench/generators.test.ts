import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCdk, cdkStack } from '../../src/bench/generate-cdk';
import { generateCloudFormation } from '../../src/bench/generate-cloudformation';
import { generateNetsh, netshExport } from '../../src/bench/generate-netsh';
import { generateTerraform, terraformFile } from '../../src/bench/generate-terraform';
import { Prng, seedOf } from '../../src/bench/prng';
import { parseArguments, plannedSize, renderScaling, renderTable, type BenchRow } from '../../src/bench/run';
import type { RunMeasurement } from '../../src/bench/runner';
import { parseHcl } from '../../src/parsers/terraform/hcl';
import { PARSERS } from '../../src/parsers';
import { scan } from '../../src/pipeline/scan';

function listFiles(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('benchmark generators', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-bench-test-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('draws the same numbers from the same seed', () => {
    const a = new Prng(seedOf('terraform', 7));
    const b = new Prng(seedOf('terraform', 7));
    const drawn = Array.from({ length: 20 }, () => a.int(0, 1000));
    expect(Array.from({ length: 20 }, () => b.int(0, 1000))).toEqual(drawn);
    expect(new Set(drawn).size).toBeGreaterThan(10);
    expect(seedOf('terraform', 7)).not.toBe(seedOf('terraform', 8));
  });

  it('writes the same corpus twice, byte for byte', () => {
    for (const generate of [
      (dir: string) => generateTerraform(dir, { files: 12, filesPerFolder: 5 }),
      (dir: string) => generateCloudFormation(dir, { templates: 4 }),
      (dir: string) => generateNetsh(dir, { hosts: 1, rulesPerHost: 50 }),
      (dir: string) => generateCdk(dir, { files: 3 }),
    ]) {
      const first = generate(path.join(root, 'a'));
      const second = generate(path.join(root, 'b'));
      const files = listFiles(first.root);
      expect(listFiles(second.root)).toEqual(files);
      for (const file of files) expect(fs.readFileSync(path.join(second.root, file), 'utf8')).toBe(fs.readFileSync(path.join(first.root, file), 'utf8'));
      expect(second.bytes).toBe(first.bytes);
      fs.rmSync(path.join(root, 'a'), { recursive: true });
      fs.rmSync(path.join(root, 'b'), { recursive: true });
    }
  });

  it('makes Terraform files like the reference corpus: about 10 KB and 57 blocks each, valid HCL', () => {
    let chars = 0;
    let blocks = 0;
    const countBlocks = (body: { blocks: Array<{ body: unknown }> }): void => {
      for (const block of body.blocks) {
        blocks++;
        countBlocks(block.body as { blocks: Array<{ body: unknown }> });
      }
    };
    for (let index = 0; index < 40; index++) {
      const text = terraformFile(index);
      chars += text.length;
      const parsed = parseHcl(text, `f${index}.tf`);
      expect(parsed.diagnostics).toEqual([]);
      countBlocks(parsed.body!);
    }
    expect(chars / 40).toBeGreaterThan(9000);
    expect(chars / 40).toBeLessThan(11500);
    expect(blocks / 40).toBeGreaterThan(50);
    expect(blocks / 40).toBeLessThan(65);
  });

  it('writes inputs that scan without a single diagnostic, with findings', () => {
    generateTerraform(path.join(root, 'tf'), { files: 6, filesPerFolder: 3 });
    generateCloudFormation(path.join(root, 'cfn'), { templates: 4 });
    fs.mkdirSync(path.join(root, 'hosts'));
    fs.writeFileSync(path.join(root, 'hosts', 'h.txt'), netshExport(3, 400));
    const hasCdk = PARSERS.some((parser) => parser.kind === 'cdk');
    if (hasCdk) {
      fs.mkdirSync(path.join(root, 'cdk'));
      fs.writeFileSync(path.join(root, 'cdk', 'stack.ts'), cdkStack(4));
    }
    const result = scan({ paths: ['.'], cwd: root, today: '2026-11-23', workers: 1 });
    expect(result.diagnostics).toEqual([]);
    expect(result.stats.parsedFiles).toBe(6 + 4 + 1 + (hasCdk ? 1 : 0));
    const kinds = new Set(result.targets.map((target) => target.kind));
    expect([...kinds].sort()).toEqual(['cloudformation', 'netsh', 'terraform-hcl', ...(hasCdk ? ['cdk'] : [])].sort());
    expect(result.findings.length).toBeGreaterThan(50);
  });
});

describe('benchmark driver', () => {
  it('reads its arguments', () => {
    expect(parseArguments([])).toMatchObject({ kinds: ['terraform', 'cloudformation', 'netsh', 'cdk', 'profile'], scales: [1, 4, 16], runs: 1 });
    expect(parseArguments(['--kind', 'netsh', '--scale', '4', '--runs', '3', '--workers', '2'])).toMatchObject({ kinds: ['netsh'], scales: [4], runs: 3, workers: 2 });
    expect(parseArguments(['--scale', '1,16']).scales).toEqual([1, 16]);
    expect(() => parseArguments(['--kind', 'pulumi'])).toThrow(/--kind/);
    expect(() => parseArguments(['--scale', '3'])).toThrow(/--scale/);
    expect(() => parseArguments(['--frobnicate'])).toThrow(/unknown argument/);
  });

  it('trims 16× Terraform and netsh to 8× unless --full', () => {
    expect(plannedSize('terraform', 16, false).effectiveScale).toBe(8);
    expect(plannedSize('netsh', 16, false).effectiveScale).toBe(8);
    expect(plannedSize('terraform', 16, true).effectiveScale).toBe(16);
    expect(plannedSize('cloudformation', 16, false).effectiveScale).toBe(16);
    expect(plannedSize('terraform', 4, false).effectiveScale).toBe(4);
    expect(plannedSize('profile', 16, false).effectiveScale).toBe(4);
    expect(plannedSize('profile', 16, true).effectiveScale).toBe(16);
  });

  it('prints a table and the growth per unit of input', () => {
    const measurement = (scanMs: number, evaluate = 4, engineMs = 2): RunMeasurement => ({
      inProcessMs: scanMs + 100,
      scanThread: false,
      loadMs: 100,
      stages: { discover: 1, read: 2, parse: scanMs - 10, evaluate, report: 3 },
      engineMs,
      maxRssBytes: 200 * 1024 * 1024,
      sampledRssBytes: 190 * 1024 * 1024,
      files: 10,
      targets: 5,
      rules: 50,
      findings: 7,
      errors: 0,
      sarifBytes: 1000,
    });
    const rows: BenchRow[] = [
      { kind: 'netsh', scale: 1, corpus: { kind: 'netsh', root: '/x', files: 1, bytes: 10 * 1024 * 1024 }, wallMs: 1000, measurement: measurement(800) },
      { kind: 'netsh', scale: 4, corpus: { kind: 'netsh', root: '/y', files: 4, bytes: 40 * 1024 * 1024 }, wallMs: 3400, measurement: measurement(3200) },
    ];
    const table = renderTable(rows, false);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('MiB/s');
    expect(renderTable(rows, true).split('\n')[1]).toMatch(/^\| --- \| --- \| ---: \|/);
    expect(renderScaling(rows)).toBe('netsh 1× → 4×: input ×4.00, wall ×3.40 (scan ×4.00, 1.00 per unit of input), peak RSS ×1.00');
    // The profile kind also gives the evaluate stage and the engine's part of it, with their growth.
    const profileRows: BenchRow[] = [
      { kind: 'profile', scale: 1, corpus: { kind: 'profile', root: '/p', files: 1, bytes: 1024 }, wallMs: 1000, measurement: measurement(800, 500, 200) },
      { kind: 'profile', scale: 4, corpus: { kind: 'profile', root: '/q', files: 4, bytes: 4096 }, wallMs: 4000, measurement: measurement(3200, 2200, 880) },
    ];
    expect(renderTable(profileRows, false).split('\n')[0]).toMatch(/evaluate +engine/);
    expect(renderScaling(profileRows)).toContain('; evaluate 500 → 2200 ms, ×4.40 (1.10 per unit of input); engine 200 → 880 ms, ×4.40 (1.10 per unit of input)');
  });
});
