import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CHECKS, findCheck } from '../checks';
import { isAtLeast, isSeverity, type Severity } from '../model/severity';
import { scan, type ScanOptions } from '../pipeline/scan';
import { REPORTERS, renderGithubSummary, type ReportContext, type ReportInput } from '../report';
import { readSourceText } from '../pipeline/source-text';
import { createBaseline, parseBaseline, type Baseline } from '../suppress/baseline';
import { writeFileAtomic } from './output';
import { registerProfileCommands } from './profiles';
import { INIT_CONFIG } from './init-config';

export const PACKAGE_ROOT = path.resolve(__dirname, '../..');

export function toolVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Runs the CLI; resolves to the exit code (contract: 0 clean, 1 findings at or above --fail-on, 2 errors). */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('fwlint')
    .description('Policy-as-code linter for firewall rules: vendor-required ports and over-broad rules')
    .version(toolVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run fwlint --help for usage)');

  program
    .command('scan')
    .description('scan files and folders (default .), report findings, exit with the gate\'s verdict')
    .argument('[paths...]', 'files or folders to scan', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(REPORTERS)).default('text'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('-c, --config <file>', 'configuration file (default: .fwlint.yaml found from the scanned folder upwards)')
    .option('--profile <pack/role>', 'apply a vendor role to every target scanned')
    .addOption(new Option('--phase <phase>', 'phase of the role').choices(['install', 'operate']))
    .option('--option <name>', 'role option (repeatable)', collect, [])
    .option('--rules <dir>', 'extra rule pack folder (repeatable)', collect, [])
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the gate (default low)').choices(['critical', 'high', 'medium', 'low', 'note', 'none']))
    .option('--baseline <file>', 'report only findings not in this baseline')
    .option('--write-baseline <file>', 'record the current findings as the baseline')
    .option('--var <name=value>', 'Terraform variable (repeatable)', collect, [])
    .option('--var-file <file>', 'Terraform variable file (repeatable)', collect, [])
    .option('--param <name=value>', 'CloudFormation parameter (repeatable)', collect, [])
    .option('--category <id>', 'SARIF automationDetails category, e.g. fwlint/terraform')
    .option('--include-suppressed', 'keep suppressed results in SARIF, with suppressions[]')
    .option('--max-file-size <mb>', 'skip (with an error) files larger than this many MB', '50')
    .option('--no-color', 'never color the text output')
    .option('-q, --quiet', 'print nothing but errors; the exit code still tells')
    .option('--debug', 'show stack traces of internal errors (same as FWLINT_DEBUG=1)')
    .action((paths: string[], flags: Record<string, unknown>) => {
      exitCode = withDebug(flags.debug === true || io.env.FWLINT_DEBUG === '1', () => runScan(paths, flags, io));
    });

  registerProfileCommands(program, io, (code) => {
    exitCode = code;
  });

  program
    .command('rules')
    .description('list the checks with id, name, default severity, summary')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => {
      const rows = CHECKS.map((check) => ({ id: check.id, name: check.name, defaultSeverity: check.defaultSeverity, summary: check.summary }));
      if (flags.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else io.stdout(`${rows.map((row) => `${row.id}  ${row.name.padEnd(24)} ${row.defaultSeverity.padEnd(9)} ${row.summary}`).join('\n')}\n`);
    });

  program
    .command('explain')
    .description('show a check\'s documentation: what, why, good and bad examples, how to fix and suppress')
    .argument('<check-id>')
    .action((id: string) => {
      const check = findCheck(id);
      if (!check) {
        io.stderr(`fwlint: unknown check "${id}"; known: ${CHECKS.map((c) => c.id).join(', ')}\n`);
        exitCode = 2;
        return;
      }
      const docs = readCheckDocs(check.id);
      io.stdout(docs ?? `${check.id} ${check.name}\n\n${check.summary}\n`);
    });

  program
    .command('init')
    .description('write a commented .fwlint.yaml for the current folder')
    .option('--force', 'overwrite an existing file')
    .action((flags: { force?: boolean }) => {
      const file = path.join(io.cwd, '.fwlint.yaml');
      if (fs.existsSync(file) && !flags.force) {
        io.stderr('fwlint: .fwlint.yaml already exists (use --force to overwrite)\n');
        exitCode = 2;
        return;
      }
      writeFileAtomic(file, INIT_CONFIG);
      io.stdout('wrote .fwlint.yaml\n');
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage error is 2 (contract).
      return error.exitCode === 0 ? 0 : 2;
    }
    // A bug, not bad input (bad input becomes diagnostics): one line, the stack only when asked for.
    const debug = argv.includes('--debug') || io.env.FWLINT_DEBUG === '1';
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`fwlint: internal error (please report it): ${message}\n`);
    io.stderr(debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'fwlint: run with --debug (or FWLINT_DEBUG=1) for the stack trace\n');
    return 2;
  }
  return exitCode;
}

/**
 * Runs `action` with stack traces of internal errors on or off. The stages read `FWLINT_DEBUG` from the process
 * environment; the CLI's own environment (`io.env`, which tests set) and `--debug` decide, for this run only.
 */
function withDebug<T>(debug: boolean, action: () => T): T {
  const previous = process.env.FWLINT_DEBUG;
  if (debug) process.env.FWLINT_DEBUG = '1';
  else delete process.env.FWLINT_DEBUG;
  try {
    return action();
  } finally {
    if (previous === undefined) delete process.env.FWLINT_DEBUG;
    else process.env.FWLINT_DEBUG = previous;
  }
}

function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

function parseAssignments(values: string[], flag: string): Record<string, string> | string {
  const result: Record<string, string> = {};
  for (const value of values) {
    const index = value.indexOf('=');
    if (index <= 0) return `${flag} expects NAME=VALUE, got "${value}"`;
    result[value.slice(0, index)] = value.slice(index + 1);
  }
  return result;
}

function runScan(paths: string[], flags: Record<string, unknown>, io: Io): number {
  const vars = parseAssignments(flags.var as string[], '--var');
  const params = parseAssignments(flags.param as string[], '--param');
  if (typeof vars === 'string' || typeof params === 'string') {
    io.stderr(`fwlint: ${typeof vars === 'string' ? vars : params}\n`);
    return 2;
  }
  const maxFileMb = Number(flags.maxFileSize);
  if (!Number.isFinite(maxFileMb) || maxFileMb <= 0) {
    io.stderr(`fwlint: --max-file-size expects a number of MB, got "${String(flags.maxFileSize)}"\n`);
    return 2;
  }
  let baseline: Baseline | undefined;
  if (typeof flags.baseline === 'string') {
    try {
      const parsed = parseBaseline(JSON.parse(fs.readFileSync(path.resolve(io.cwd, flags.baseline), 'utf8')));
      if ('error' in parsed) throw new Error(parsed.error);
      baseline = parsed;
    } catch (error) {
      io.stderr(`fwlint: ${flags.baseline}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const options: ScanOptions = {
    paths,
    cwd: io.cwd,
    options: flags.option as string[],
    rulePackDirs: flags.rules as string[],
    parse: { vars, varFiles: (flags.varFile as string[]).map((file) => path.resolve(io.cwd, file)), params },
    maxFileBytes: maxFileMb * 1024 * 1024,
    today: new Date().toISOString().slice(0, 10),
  };
  if (typeof flags.config === 'string') options.configFile = flags.config;
  if (typeof flags.profile === 'string') options.profile = flags.profile;
  if (flags.phase === 'install' || flags.phase === 'operate') options.phase = flags.phase;
  if (baseline) options.baseline = baseline;

  const result = scan(options);
  const failOnSetting = (flags.failOn as string | undefined) ?? result.config?.config.failOn ?? 'low';
  const hasErrors = result.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  const failing = failOnSetting === 'none' || !isSeverity(failOnSetting)
    ? []
    : result.findings.filter((finding) => !finding.suppression && isAtLeast(finding.severity, failOnSetting as Severity));
  const exitCode = hasErrors ? 2 : failing.length > 0 ? 1 : 0;

  let writeFailed = false;
  if (typeof flags.writeBaseline === 'string') {
    if (!writeOrReport(path.resolve(io.cwd, flags.writeBaseline), `${JSON.stringify(createBaseline(result.findings), null, 2)}\n`, '--write-baseline', io)) writeFailed = true;
  }
  const input: ReportInput = { findings: result.findings, diagnostics: result.diagnostics, checks: result.checks, stats: result.stats, exitCode };
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
  const report = REPORTERS[flags.format as string]!(input, context);
  if (typeof flags.output === 'string') {
    // The report cannot go where asked: the diagnostics below still reach stderr, and the exit code says so.
    if (!writeOrReport(path.resolve(io.cwd, flags.output), report, '--output', io)) writeFailed = true;
  } else if (!flags.quiet) {
    io.stdout(report);
  }
  // In GitHub Actions, the github format also writes a Markdown job summary (formats.md §5.6).
  if (flags.format === 'github' && io.env.GITHUB_STEP_SUMMARY) {
    fs.appendFileSync(io.env.GITHUB_STEP_SUMMARY, renderGithubSummary(input, context));
  }
  if (flags.quiet || typeof flags.output === 'string' || flags.format !== 'text') {
    for (const diagnostic of result.diagnostics.filter((d) => d.severity === 'error')) {
      const where = diagnostic.range ? `${diagnostic.file}:${diagnostic.range.startLine}:${diagnostic.range.startColumn}` : diagnostic.file;
      io.stderr(`fwlint: ${where ? `${where}: ` : ''}${diagnostic.message}\n`);
    }
  }
  return writeFailed ? 2 : exitCode;
}

/** Writes a report or baseline atomically; a file that cannot be written is a usage error (exit 2), not a crash. */
function writeOrReport(file: string, content: string, flag: string, io: Io): boolean {
  try {
    writeFileAtomic(file, content);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a parent is not a folder' : error instanceof Error ? error.message : String(error);
    io.stderr(`fwlint: cannot write ${flag} ${path.relative(io.cwd, file) || file}: ${why}\n`);
    return false;
  }
}

const docsCache = new Map<string, string | undefined>();

export function readCheckDocs(checkId: string): string | undefined {
  if (!docsCache.has(checkId)) {
    const check = findCheck(checkId);
    let text: string | undefined;
    if (check) {
      try {
        text = fs.readFileSync(path.join(PACKAGE_ROOT, check.docsPath), 'utf8');
      } catch {
        text = undefined;
      }
    }
    docsCache.set(checkId, text);
  }
  return docsCache.get(checkId);
}
