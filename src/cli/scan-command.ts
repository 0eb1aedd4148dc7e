import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { isAtLeast, isSeverity, type Severity } from '../model/severity';
import type { CliVarSource } from '../model/source-file';
import { compareDiagnostics, scan, type ScanOptions, type ScanResult } from '../pipeline/scan';
import { warningDiagnostic, type Diagnostic } from '../model/diagnostic';
import { toRelative } from '../discover/discover';
import { renderGithubSummary, renderReportChunks, type ReportContext, type ReportFormat, type ReportInput } from '../report';
import { printable } from '../report/code-frame';
import { batched } from '../report/json-chunks';
import { sarifRoot } from '../report/sarif-root';
import { readSourceText } from '../pipeline/source-text';
import { pseudoParameterProblem } from '../parsers/cloudformation/pseudo-parameters';
import { createBaseline } from '../suppress/baseline';
import type { GzipMeasurement, GzipSizeMeter } from './gzip-size-meter';
import { writeFileAtomic, writeProblem } from './output';
import { readCheckDocs, toolVersion } from './package-info';

/** What a command reads and writes besides files: the CLI's process, or a test's capture. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Where a thread with time to spare can measure a SARIF report's gzip size as it is written (the scan thread's main
   * thread, `gzip-size-meter.ts`); without it the file is read back and compressed after writing.
   */
  gzipSizeMeter?: GzipSizeMeter;
}

/** `fwlint scan`'s options as commander parses them: plain values, so they can be handed to the scan thread. */
export type ScanFlags = Record<string, unknown>;

function parseAssignments(values: string[], flag: string): Record<string, string> | string {
  const result: Record<string, string> = {};
  for (const value of values) {
    const index = value.indexOf('=');
    if (index <= 0) return `${flag} expects NAME=VALUE, got "${value}"`;
    result[value.slice(0, index)] = value.slice(index + 1);
  }
  return result;
}

/**
 * `--var` and `--var-file` in command-line order, from the values of each and the order of the two (`varOrder`, as
 * main records it); undefined without that order, and then every `--var-file` applies before every `--var`.
 */
function cliVarSources(flags: ScanFlags, cwd: string): CliVarSource[] | undefined {
  const order = flags.varOrder as Array<'var' | 'var-file'> | undefined;
  const vars = [...(flags.var as string[])];
  const files = [...(flags.varFile as string[])];
  if (!order || order.length !== vars.length + files.length) return undefined;
  return order.map((kind): CliVarSource => {
    if (kind === 'var-file') return { kind, file: path.resolve(cwd, files.shift()!) };
    // parseAssignments has checked the form: NAME=VALUE with a non-empty NAME.
    const assignment = vars.shift()!;
    const index = assignment.indexOf('=');
    return { kind, name: assignment.slice(0, index), value: assignment.slice(index + 1) };
  });
}

/** `TF_VAR_<name>` environment variables (Terraform reads them below the variable files), by `<name>`, in name order. */
function terraformEnvVars(env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) {
    const value = env[key];
    if (key.startsWith('TF_VAR_') && key.length > 'TF_VAR_'.length && value !== undefined) vars[key.slice('TF_VAR_'.length)] = value;
  }
  return vars;
}

/**
 * Why `--output` may not be written where asked: the same file as `--baseline` or `--write-baseline` (a typo in a CI
 * step would replace the accepted findings with a report, and the next run fail on an invalid baseline). The same
 * file for `--baseline` and `--write-baseline` is the usual way to update a baseline, and allowed.
 */
function outputOverwritingBaseline(flags: ScanFlags, cwd: string): string | undefined {
  if (typeof flags.output !== 'string') return undefined;
  const output = samePathKey(path.resolve(cwd, flags.output));
  for (const flag of ['baseline', 'writeBaseline'] as const) {
    const given = flags[flag];
    if (typeof given === 'string' && samePathKey(path.resolve(cwd, given)) === output) {
      return `--output and --${flag === 'baseline' ? 'baseline' : 'write-baseline'} name the same file (${flags.output}): the report would replace the baseline; write the report elsewhere`;
    }
  }
  return undefined;
}

/** A file's path with links resolved as far as the file or its folder exists, for telling two names of one file apart. */
function samePathKey(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}

/** Runs `fwlint scan`: scan, report, baseline, exit code (contract: 0 clean, 1 findings at or above --fail-on, 2 errors). */
export function runScan(paths: string[], flags: ScanFlags, io: Io): number {
  const vars = parseAssignments(flags.var as string[], '--var');
  const params = parseAssignments(flags.param as string[], '--param');
  const pseudo = typeof params === 'string' ? undefined : Object.keys(params).map(pseudoParameterProblem).find((problem) => problem !== undefined);
  if (typeof vars === 'string' || typeof params === 'string' || pseudo !== undefined) {
    io.stderr(`fwlint: ${typeof vars === 'string' ? vars : typeof params === 'string' ? params : `--param ${pseudo}`}\n`);
    return 2;
  }
  const maxFileMb = Number(flags.maxFileSize);
  if (!Number.isFinite(maxFileMb) || maxFileMb <= 0) {
    io.stderr(`fwlint: --max-file-size expects a number of MB, got "${String(flags.maxFileSize)}"\n`);
    return 2;
  }
  const clash = outputOverwritingBaseline(flags, io.cwd);
  if (clash !== undefined) {
    io.stderr(`fwlint: ${clash}\n`);
    return 2;
  }
  const options: ScanOptions = {
    paths,
    cwd: io.cwd,
    options: flags.option as string[],
    rulePackDirs: flags.rules as string[],
    parse: { vars, varFiles: (flags.varFile as string[]).map((file) => path.resolve(io.cwd, file)), params, cliVarSources: cliVarSources(flags, io.cwd), envVars: terraformEnvVars(io.env) },
    paramFiles: (flags.paramFile as string[]).map((file) => path.resolve(io.cwd, file)),
    maxFileBytes: maxFileMb * 1024 * 1024,
    today: new Date().toISOString().slice(0, 10),
    // No report reads the model: the scan may judge each parse unit as it goes and drop it (docs/performance.md).
    keepModel: false,
  };
  if (typeof flags.config === 'string') options.configFile = flags.config;
  // Repeated: several roles of one pack, one reference as `pack/a,b` is (a role list, not the last one given).
  const profiles = flags.profile as string[];
  if (profiles.length > 0) options.profile = profiles.join(',');
  if (flags.phase === 'install' || flags.phase === 'operate') options.phase = flags.phase;
  if (typeof flags.baseline === 'string') options.baselineFile = path.resolve(io.cwd, flags.baseline);

  // The model (`targets`) is not part of any report: keeping only what the reports read frees it before rendering,
  // which is when a large scan's memory peaks.
  const result = reportData(scan(options));
  const failOnSetting = (flags.failOn as string | undefined) ?? result.config?.config.failOn ?? 'low';
  const hasErrors = result.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  const failing = failOnSetting === 'none' || !isSeverity(failOnSetting)
    ? []
    : result.findings.filter((finding) => !finding.suppression && isAtLeast(finding.severity, failOnSetting as Severity));
  const exitCode = hasErrors ? 2 : failing.length > 0 ? 1 : 0;

  let writeFailed = false;
  // What --write-baseline did beyond writing the findings: warnings in the report (JSON and SARIF notifications too).
  const baselineNotes: Diagnostic[] = [];
  if (typeof flags.writeBaseline === 'string') {
    // A file that could not be read hides its findings: after errors, an accepted finding that did not occur may
    // still be there, so its entry is kept rather than dropped (and the finding reported as new once it is read).
    const keptAfterErrors = hasErrors ? result.baselineAbsentEntries : [];
    // A partial scan (a folder, a named file) did not look at the other entries' places: they are carried over as is.
    const unseen = result.baselineUnseenEntries;
    const written = path.resolve(io.cwd, flags.writeBaseline);
    if (!writeOrReport(flags.writeBaseline, `${JSON.stringify(createBaseline(result.findings, [...keptAfterErrors, ...unseen]), null, 2)}\n`, '--write-baseline', io)) writeFailed = true;
    else {
      const file = toRelative(written, io.cwd);
      if (keptAfterErrors.length > 0) {
        const entries = keptAfterErrors.length === 1 ? '1 baseline entry that did not occur' : `${keptAfterErrors.length} baseline entries that did not occur`;
        baselineNotes.push(warningDiagnostic('baseline/kept-after-errors', file, `--write-baseline kept ${entries}: the scan had errors, and a file that could not be read may still hold them; fix the errors and write the baseline again to drop them`));
      }
      if (unseen.length > 0) {
        const entries = unseen.length === 1 ? '1 baseline entry' : `${unseen.length} baseline entries`;
        baselineNotes.push(warningDiagnostic('baseline/carried-over', file, `--write-baseline carried over ${entries} unchanged: their files or root modules are not in what this scan reports (outside its paths, or siblings of a named file)`));
      }
    }
  }
  const diagnostics = baselineNotes.length > 0 ? [...result.diagnostics, ...baselineNotes].sort(compareDiagnostics) : result.diagnostics;
  const input: ReportInput = { findings: result.findings, diagnostics, checks: result.checks, targets: result.targets, stats: result.stats, exitCode };
  const sourceCache = new Map<string, string[] | undefined>();
  const context: ReportContext = {
    toolVersion: toolVersion(),
    color: flags.color !== false && io.isTty && !io.env.NO_COLOR && typeof flags.output !== 'string',
    sourceLines: (file) => {
      if (!sourceCache.has(file)) {
        sourceCache.set(file, readSourceText(path.resolve(io.cwd, file))?.split('\n'));
      }
      return sourceCache.get(file);
    },
    includeSuppressed: flags.includeSuppressed === true,
    checkDocs: readCheckDocs,
  };
  if (typeof flags.category === 'string') context.category = flags.category;
  // SARIF URIs and GitHub annotation paths are relative to the repository root, wherever the scan runs.
  if (flags.format === 'sarif' || flags.format === 'github') context.sarifRoot = sarifRoot(io.cwd);
  // Written piece by piece: a large scan's JSON or SARIF report never exists as one string (docs/performance.md).
  const report = batched(renderReportChunks(flags.format as ReportFormat, input, context));
  if (typeof flags.output === 'string') {
    // The report cannot go where asked: the diagnostics below still reach stderr, and the exit code says so.
    const file = path.resolve(io.cwd, flags.output);
    const meter = flags.format === 'sarif' ? io.gzipSizeMeter : undefined;
    if (!writeOrReport(flags.output, meter ? measuredAsWritten(report, meter) : report, '--output', io)) {
      meter?.discard();
      writeFailed = true;
    } else if (flags.format === 'sarif') {
      const warning = sarifUploadSizeWarning(file, MAX_SARIF_GZIP_BYTES, meter?.finish());
      if (warning) io.stderr(`fwlint: ${flags.output}: ${warning}\n`);
    }
  } else if (!flags.quiet || flags.format !== 'text') {
    // --quiet silences the text report only: a machine-readable report on stdout is the point of the run.
    for (const piece of report) io.stdout(piece);
  }
  // In GitHub Actions, the github format also writes a Markdown job summary (formats.md §5.6).
  if (flags.format === 'github' && io.env.GITHUB_STEP_SUMMARY) {
    // The summary is an extra: a path that cannot be written is a warning, and the exit code stays the findings'.
    try {
      fs.appendFileSync(io.env.GITHUB_STEP_SUMMARY, renderGithubSummary(input, context));
    } catch (error) {
      io.stderr(`fwlint: warning: cannot write the job summary to GITHUB_STEP_SUMMARY (${io.env.GITHUB_STEP_SUMMARY}): ${writeProblem(error)}\n`);
    }
  }
  if (flags.quiet || typeof flags.output === 'string' || flags.format !== 'text') {
    for (const diagnostic of result.diagnostics.filter((d) => d.severity === 'error')) {
      const where = diagnostic.range ? `${diagnostic.file}:${diagnostic.range.startLine}:${diagnostic.range.startColumn}` : diagnostic.file;
      io.stderr(printable(`fwlint: ${where ? `${where}: ` : ''}${diagnostic.message}`) + '\n');
    }
    // Said where the person running the command sees it, as before they were in the report.
    for (const note of baselineNotes) io.stderr(`fwlint: ${note.message}\n`);
  }
  return writeFailed ? 2 : exitCode;
}

/** What the reports read of a scan: targets reduced to their ids and files, so the model can be freed. */
function reportData(scanned: ScanResult): Omit<ScanResult, 'targets' | 'targetFiles'> & { targets: ScanResult['targetFiles'] } {
  const { findings, diagnostics, checks, stats, config, targetFiles, baselineAbsentEntries, baselineUnseenEntries } = scanned;
  const data = { findings, diagnostics, checks, stats, targets: targetFiles, baselineAbsentEntries, baselineUnseenEntries };
  return config ? { ...data, config } : data;
}

/** GitHub rejects a SARIF upload larger than this, gzip-compressed (formats.md §5.6). */
export const MAX_SARIF_GZIP_BYTES = 10 * 1024 * 1024;

/**
 * A warning when a written SARIF file is over GitHub's upload limit once gzip-compressed, else undefined. Compressing
 * never makes JSON bigger than this, so only files larger than the limit are compressed (to measure them). The
 * fastest level first: its output is larger than the default level's (the uploader's), so within the limit it
 * settles the question at a third of the cost (40 MB of SARIF: 85 against 235 ms); only over it is the default
 * level measured. `measured` is that fastest-level size when another thread took it as the file was written.
 */
export function sarifUploadSizeWarning(file: string, limit = MAX_SARIF_GZIP_BYTES, measured?: GzipMeasurement): string | undefined {
  const size = fs.statSync(file).size;
  if (size <= limit) return undefined;
  // A measurement taken while writing holds when the file is just what was written (not a redirect appended to).
  const measuredFastest = measured?.bytes === size ? measured.fastestLevelGzipBytes : undefined;
  let text: Buffer | undefined;
  const fastest = measuredFastest ?? zlib.gzipSync((text = fs.readFileSync(file)), { level: zlib.constants.Z_BEST_SPEED }).length;
  if (fastest <= limit) return undefined;
  const compressed = zlib.gzipSync(text ?? fs.readFileSync(file)).length;
  if (compressed <= limit) return undefined;
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
  return `the SARIF file is ${mb(compressed)} MB gzip-compressed; GitHub code scanning rejects uploads over ${mb(limit)} MB. Split the scan into several --category uploads or turn noisy checks off`;
}

/** The pieces as the bytes written, each handed to `meter` once it is written. */
function* measuredAsWritten(pieces: Iterable<string>, meter: GzipSizeMeter): Generator<Uint8Array> {
  for (const piece of pieces) {
    const bytes = Buffer.from(piece);
    yield bytes;
    meter.add(bytes);
  }
}

/**
 * Writes a report or baseline atomically; a file that cannot be written is a usage error (exit 2), not a crash. The
 * message names the file as it was given (an absolute path stays absolute).
 */
function writeOrReport(given: string, content: string | Iterable<string | Uint8Array>, flag: string, io: Io): boolean {
  try {
    writeFileAtomic(path.resolve(io.cwd, given), content);
    return true;
  } catch (error) {
    io.stderr(`fwlint: cannot write ${flag} ${given}: ${writeProblem(error)}\n`);
    return false;
  }
}

