/**
 * `npm run bench`: generates deterministic corpora per input kind, scans each in a fresh child process (runner.ts)
 * at 1×, 4× and 16× size, and prints wall time, MB/s, peak RSS, the split by stage and the growth ratio per kind.
 *
 *   node dist/bench/run.js [--kind terraform|cloudformation|netsh|cdk|profile|all] [--scale 1|4|16|1,4,16]
 *                          [--runs N] [--workers N] [--full] [--keep] [--dir DIR] [--markdown] [--node-arg ARG]
 */
import { measureEngineAlone } from './engine-alone';
import { measureHclReader } from './hcl-throughput';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Corpus } from './corpus';
import { CDK_FILES_AT_SCALE_1, generateCdk } from './generate-cdk';
import { CLOUDFORMATION_TEMPLATES_AT_SCALE_1, generateCloudFormation } from './generate-cloudformation';
import { generateNetsh, NETSH_RULES_PER_HOST } from './generate-netsh';
import { generateProfile, PROFILE_FILES_AT_SCALE_1 } from './generate-profile';
import { generateTerraform, TERRAFORM_FILES_AT_SCALE_1 } from './generate-terraform';
import type { RunMeasurement, RunRequest } from './runner';

export const KINDS = ['terraform', 'cloudformation', 'netsh', 'cdk', 'profile'] as const;
export type BenchKind = (typeof KINDS)[number];

export interface BenchOptions {
  kinds: BenchKind[];
  scales: number[];
  runs: number;
  workers?: number;
  /** Run 16× Terraform and netsh at full size instead of the trimmed default. */
  full: boolean;
  keep: boolean;
  dir: string;
  markdown: boolean;
  nodeArgs: string[];
}

/** What one (kind, scale) measured: the median run by wall time. */
export interface BenchRow {
  kind: BenchKind;
  scale: number;
  corpus: Corpus;
  wallMs: number;
  measurement: RunMeasurement;
}

/**
 * Sizes per kind and scale. 16× Terraform (32,000 files, 312 MiB) and 16× netsh (16 hosts × 50k rules, 510 MiB)
 * take minutes and several GB; by default they are trimmed to 8× and the ratio is taken against 8×, unless --full.
 * The profile kind (100k rules at 1×) is trimmed to 4× (400k rules) the same way.
 */
export function plannedSize(kind: BenchKind, scale: number, full: boolean): { effectiveScale: number; generate: (root: string) => Corpus } {
  const trimmed = kind === 'profile' ? 4 : kind === 'terraform' || kind === 'netsh' ? 8 : Infinity;
  const effectiveScale = !full && scale > trimmed ? trimmed : scale;
  switch (kind) {
    case 'terraform':
      return { effectiveScale, generate: (root) => generateTerraform(root, { files: TERRAFORM_FILES_AT_SCALE_1 * effectiveScale }) };
    case 'cloudformation':
      return { effectiveScale, generate: (root) => generateCloudFormation(root, { templates: CLOUDFORMATION_TEMPLATES_AT_SCALE_1 * effectiveScale }) };
    case 'netsh':
      return { effectiveScale, generate: (root) => generateNetsh(root, { hosts: effectiveScale, rulesPerHost: NETSH_RULES_PER_HOST }) };
    case 'cdk':
      return { effectiveScale, generate: (root) => generateCdk(root, { files: CDK_FILES_AT_SCALE_1 * effectiveScale }) };
    case 'profile':
      return { effectiveScale, generate: (root) => generateProfile(root, { files: PROFILE_FILES_AT_SCALE_1 * effectiveScale }) };
  }
}

/** True when a parser of this kind is registered (the CDK parser may not exist yet). */
function hasParser(kind: BenchKind): boolean {
  if (kind !== 'cdk') return true;
  const { PARSERS } = require('../parsers') as typeof import('../parsers');
  return PARSERS.some((parser) => parser.kind === 'cdk');
}

export function parseArguments(argv: string[]): BenchOptions {
  const options: BenchOptions = { kinds: [...KINDS], scales: [1, 4, 16], runs: 1, full: false, keep: false, dir: '', markdown: false, nodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--kind') {
      const kind = value();
      if (kind !== 'all' && !(KINDS as readonly string[]).includes(kind)) throw new Error(`--kind expects ${KINDS.join('|')}|all, got "${kind}"`);
      options.kinds = kind === 'all' ? [...KINDS] : [kind as BenchKind];
    } else if (flag === '--scale') {
      options.scales = value().split(',').map((item) => {
        const scale = Number(item);
        if (![1, 4, 16].includes(scale)) throw new Error(`--scale expects 1, 4 or 16 (or a comma list), got "${item}"`);
        return scale;
      });
    } else if (flag === '--runs') {
      options.runs = Math.max(1, Number(value()) || 1);
    } else if (flag === '--workers') {
      options.workers = Number(value());
    } else if (flag === '--full') {
      options.full = true;
    } else if (flag === '--keep') {
      options.keep = true;
    } else if (flag === '--dir') {
      options.dir = path.resolve(value());
    } else if (flag === '--markdown') {
      options.markdown = true;
    } else if (flag === '--node-arg') {
      options.nodeArgs.push(value());
    } else {
      throw new Error(`unknown argument "${flag}"`);
    }
  }
  return options;
}

/** Forks the runner on a corpus and resolves with its measurement and the wall time seen from outside. */
export function measureOnce(corpus: Corpus, workers: number | undefined, nodeArgs: string[]): Promise<{ wallMs: number; measurement: RunMeasurement }> {
  const request: RunRequest = { paths: ['.'], cwd: corpus.root, sarifFile: path.join(path.dirname(corpus.root), `${path.basename(corpus.root)}.sarif`) };
  if (workers !== undefined) request.workers = workers;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(path.join(__dirname, 'runner.js'), [], { execArgv: nodeArgs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: { ok: true; measurement: RunMeasurement } | { ok: false; error: string } | undefined;
    child.on('message', (message) => {
      answer = message as typeof answer;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (answer?.ok) resolve({ wallMs, measurement: answer.measurement });
      else reject(new Error(answer && !answer.ok ? answer.error : `runner exited with ${code} and no answer`));
    });
    child.send(request);
  });
}

const MB = 1024 * 1024;

function formatRow(row: BenchRow): string[] {
  const { measurement: m, corpus } = row;
  const mb = corpus.bytes / MB;
  return [
    row.kind,
    `${row.scale}×`,
    String(corpus.files),
    mb.toFixed(1),
    String(m.rules),
    row.wallMs.toFixed(0),
    (mb / (row.wallMs / 1000)).toFixed(1),
    (Math.max(m.maxRssBytes, m.sampledRssBytes) / MB).toFixed(0),
    m.loadMs.toFixed(0),
    m.stages.discover.toFixed(0),
    m.stages.read.toFixed(0),
    m.stages.parse.toFixed(0),
    m.stages.evaluate.toFixed(0),
    m.engineMs.toFixed(0),
    m.stages.report.toFixed(0),
    String(m.findings),
    m.scanThread ? 'yes' : 'no',
  ];
}

const HEADER = ['kind', 'scale', 'files', 'MiB', 'rules', 'wall ms', 'MiB/s', 'peak RSS MiB', 'load', 'discover', 'read', 'parse', 'evaluate', 'engine', 'report', 'findings', 'scan thread'];

export function renderTable(rows: BenchRow[], markdown: boolean): string {
  const cells = [HEADER, ...rows.map(formatRow)];
  if (markdown) {
    const line = (row: string[]): string => `| ${row.join(' | ')} |`;
    return [line(HEADER), line(HEADER.map((_, i) => (i < 2 ? '---' : '---:'))), ...cells.slice(1).map(line)].join('\n');
  }
  const widths = HEADER.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

/** Time and memory growth from the smallest to each larger size of a kind, per unit of input (1.0 = linear). */
export function renderScaling(rows: BenchRow[]): string {
  const lines: string[] = [];
  for (const kind of KINDS) {
    const ofKind = rows.filter((row) => row.kind === kind).sort((a, b) => a.corpus.bytes - b.corpus.bytes);
    if (ofKind.length < 2) continue;
    const base = ofKind[0]!;
    for (const row of ofKind.slice(1)) {
      const size = row.corpus.bytes / base.corpus.bytes;
      const time = row.wallMs / base.wallMs;
      const scanTime = row.measurement.inProcessMs - row.measurement.loadMs;
      const baseScanTime = base.measurement.inProcessMs - base.measurement.loadMs;
      const evaluate = row.measurement.stages.evaluate / base.measurement.stages.evaluate;
      const engine = row.measurement.engineMs / base.measurement.engineMs;
      lines.push(
        `${kind} ${base.scale}× → ${row.scale}×: input ×${size.toFixed(2)}, wall ×${time.toFixed(2)} (scan ×${(scanTime / baseScanTime).toFixed(2)}, ` +
          `${((scanTime / baseScanTime) / size).toFixed(2)} per unit of input), peak RSS ×${(rssOf(row) / rssOf(base)).toFixed(2)}` +
          (kind === 'profile'
            ? `; evaluate ${base.measurement.stages.evaluate.toFixed(0)} → ${row.measurement.stages.evaluate.toFixed(0)} ms, ×${evaluate.toFixed(2)} (${(evaluate / size).toFixed(2)} per unit of input)` +
              `; engine ${base.measurement.engineMs.toFixed(0)} → ${row.measurement.engineMs.toFixed(0)} ms, ×${engine.toFixed(2)} (${(engine / size).toFixed(2)} per unit of input)`
            : ''),
      );
    }
  }
  return lines.join('\n');
}

function rssOf(row: BenchRow): number {
  return Math.max(row.measurement.maxRssBytes, row.measurement.sampledRssBytes);
}

export function machineDescription(): string {
  const cpus = os.cpus();
  const [load1, load5] = os.loadavg();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${load1!.toFixed(2)} / ${load5!.toFixed(2)} (1 / 5 min) at start`;
}

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchRow[]> {
  const base = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-bench-'));
  log(`machine: ${machineDescription()}`);
  const rows: BenchRow[] = [];
  for (const kind of options.kinds) {
    if (!hasParser(kind)) {
      log(`${kind}: skipped, no ${kind} parser is registered in src/parsers/index.ts yet`);
      continue;
    }
    for (const scale of options.scales) {
      const plan = plannedSize(kind, scale, options.full);
      const root = path.join(base, `${kind}-${plan.effectiveScale}x`);
      fs.rmSync(root, { recursive: true, force: true });
      const corpus = plan.generate(root);
      if (plan.effectiveScale !== scale) corpus.note = `${corpus.note ? `${corpus.note}; ` : ''}trimmed from ${scale}× to ${plan.effectiveScale}× (use --full)`;
      const runs: Array<{ wallMs: number; measurement: RunMeasurement }> = [];
      for (let run = 0; run < options.runs; run++) runs.push(await measureOnce(corpus, options.workers, options.nodeArgs));
      runs.sort((a, b) => a.wallMs - b.wallMs);
      const median = runs[Math.floor((runs.length - 1) / 2)]!;
      const row: BenchRow = { kind, scale: plan.effectiveScale, corpus, ...median };
      rows.push(row);
      log(`${kind} ${plan.effectiveScale}×: ${corpus.files} files, ${(corpus.bytes / MB).toFixed(1)} MiB, ${median.measurement.rules} rules, ${median.measurement.targets} targets, ` +
        `evaluate ${median.measurement.stages.evaluate.toFixed(0)} ms (every check; of it the engine, effective sets and profile diffs, ${median.measurement.engineMs.toFixed(0)} ms), ` +
        `${median.wallMs.toFixed(0)} ms wall` +
        `${runs.length > 1 ? ` (median of ${runs.length}: ${runs.map((r) => r.wallMs.toFixed(0)).join(', ')})` : ''}${corpus.note ? ` [${corpus.note}]` : ''}`);
      if (kind === 'profile') {
        const engine = await measureEngineAlone(root, 3, options.nodeArgs);
        log(`profile ${plan.effectiveScale}×: engine alone (effective sets of ${engine.targets} targets, ${engine.rules} rules, and profile diffs of the ${engine.mappedTargets} mapped to ${engine.roles} roles; model built first, untimed, in a fresh process): ` +
          `${engine.coldMs.toFixed(0)} ms cold, ${engine.warmMs.toFixed(0)} ms warm (best of 3 further passes); ${engine.gaps} missing flows, excess rules and install-only openings`);
      }
      if (kind === 'terraform') {
        const reader = measureHclReader(root);
        log(`terraform ${plan.effectiveScale}×: HCL reader alone (lexer and parser with positions, best of 3 in this process): ${reader.files} files, ${(reader.bytes / MB).toFixed(1)} MiB in ${reader.bestMs.toFixed(0)} ms, ${reader.mbPerSecond.toFixed(1)} MB/s`);
      }
      if (!options.keep) {
        fs.rmSync(root, { recursive: true, force: true });
        fs.rmSync(`${root}.sarif`, { force: true });
      }
    }
  }
  if (!options.keep && !options.dir) fs.rmSync(base, { recursive: true, force: true });
  return rows;
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const rows = await runBench(options, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`\n${renderTable(rows, options.markdown)}\n`);
  const scaling = renderScaling(rows);
  if (scaling) process.stdout.write(`\n${scaling}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
