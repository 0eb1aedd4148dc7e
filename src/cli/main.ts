import * as fs from 'node:fs';
import * as path from 'node:path';
import { Argument, Command, CommanderError, Option } from 'commander';
import { printable } from '../report/code-frame';
import { REPORT_FORMATS } from '../report/formats';
import { writeFileAtomic, writeProblem } from './output';
import { readCheckDocs, toolVersion } from './package-info';
import { registerProfileCommands } from './profiles';
import { INIT_CONFIG } from './init-config';
import type { Io } from './scan-command';
import { runScanCommand } from './scan-thread';

export { PACKAGE_ROOT, readCheckDocs, toolVersion } from './package-info';
export type { Io } from './scan-command';

/** The checks are loaded by the commands that list or explain them, not for `--version` or `--help`. */
const checksModule = (): typeof import('../checks') => require('../checks') as typeof import('../checks');

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Runs the CLI; resolves to the exit code (contract: 0 clean, 1 findings at or above --fail-on, 2 errors). */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  // Terraform applies -var and -var-file in command-line order, a later one winning; commander reads options in that
  // order, so each of the two records its turn here (`varOrder` of the scan flags).
  const varOrder: Array<'var' | 'var-file'> = [];
  const collectInOrder = (kind: 'var' | 'var-file') => (value: string, previous: string[]): string[] => {
    varOrder.push(kind);
    return [...previous, value];
  };
  const program = new Command('fwlint')
    .description('Policy-as-code linter for firewall rules: vendor-required ports and over-broad rules')
    .version(toolVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run fwlint --help for usage)');

  program
    .command('scan')
    .description('scan files and folders (default .), report findings, exit with the gate\'s verdict')
    // The pipeline scans `.` when no path is given; help shows that rather than the empty list commander holds.
    .addArgument(new Argument('[paths...]', 'files or folders to scan').default([], '"."'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('-c, --config <file>', 'configuration file (default: .fwlint.yaml found from the scanned folder upwards)')
    .option('--profile <pack/role>', 'apply a vendor role to every target scanned (repeatable: several roles of one pack, for hosts that carry them all)', collect, [])
    .addOption(new Option('--phase <phase>', 'phase of the role').choices(['install', 'operate']))
    .option('--option <name>', 'role option (repeatable)', collect, [])
    .option('--rules <dir>', 'extra rule pack folder (repeatable)', collect, [])
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the gate (default low)').choices(['critical', 'high', 'medium', 'low', 'note', 'none']))
    .option('--baseline <file>', 'report only findings not in this baseline')
    .option('--write-baseline <file>', 'record the current findings as the baseline')
    .option('--var <name=value>', 'Terraform variable (repeatable; with --var-file, a later one wins)', collectInOrder('var'), [])
    .option('--var-file <file>', 'Terraform variable file (repeatable; with --var, a later one wins)', collectInOrder('var-file'), [])
    .option('--param <name=value>', 'CloudFormation parameter (repeatable)', collect, [])
    .option('--param-file <file>', 'CloudFormation parameters file, as for aws cloudformation or CodePipeline (repeatable)', collect, [])
    .option('--category <id>', 'SARIF automationDetails category, e.g. fwlint/terraform')
    .option('--include-suppressed', 'keep suppressed results in SARIF, with suppressions[]')
    .option('--max-file-size <mb>', 'skip (with an error) files larger than this many MB', '50')
    .option('--no-color', 'never color the text output')
    .option('-q, --quiet', 'text format: print nothing but errors (on stderr); other formats are written in full')
    .option('--debug', 'show stack traces of internal errors (same as FWLINT_DEBUG=1)')
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      exitCode = await runScanCommand(paths, { ...flags, varOrder: [...varOrder] }, io, flags.debug === true || io.env.FWLINT_DEBUG === '1');
    });

  registerProfileCommands(program, io, (code) => {
    exitCode = code;
  });

  program
    .command('rules')
    .description('list the checks with id, name, default severity, summary')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => {
      const { CHECKS } = checksModule();
      const rows = CHECKS.map((check) => ({ id: check.id, name: check.name, defaultSeverity: check.defaultSeverity, summary: check.summary }));
      if (flags.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else io.stdout(`${rows.map((row) => `${row.id}  ${row.name.padEnd(24)} ${row.defaultSeverity.padEnd(9)} ${row.summary}`).join('\n')}\n`);
    });

  program
    .command('explain')
    .description('show a check\'s documentation: what, why, good and bad examples, how to fix and suppress')
    .argument('<check-id>')
    .action((id: string) => {
      const { CHECKS, findCheck } = checksModule();
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
      // Either name is read as the config: a `.fwlint.yaml` beside an existing `.fwlint.yml` would silently replace it.
      const { CONFIG_FILE_NAMES } = require('../config/config') as typeof import('../config/config');
      const name = CONFIG_FILE_NAMES.find((candidate) => fs.existsSync(path.join(io.cwd, candidate))) ?? CONFIG_FILE_NAMES[0]!;
      const file = path.join(io.cwd, name);
      if (fs.existsSync(file) && !flags.force) {
        io.stderr(`fwlint: ${name} already exists (use --force to overwrite)\n`);
        exitCode = 2;
        return;
      }
      try {
        writeFileAtomic(file, INIT_CONFIG);
      } catch (error) {
        io.stderr(`fwlint: cannot write ${name}: ${writeProblem(error)}\n`);
        exitCode = 2;
        return;
      }
      io.stdout(`wrote ${name}\n`);
    });

  pointHelpHintAtSubcommands(program);
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
    io.stderr(`fwlint: internal error (please report it): ${printable(message)}\n`);
    io.stderr(debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'fwlint: run with --debug (or FWLINT_DEBUG=1) for the stack trace\n');
    return 2;
  }
  return exitCode;
}

/** A usage error under a subcommand points at that subcommand's help (`fwlint scan --help`), which lists its options. */
function pointHelpHintAtSubcommands(command: Command, prefix = 'fwlint'): void {
  for (const subcommand of command.commands) {
    const name = `${prefix} ${subcommand.name()}`;
    subcommand.showHelpAfterError(`(run ${name} --help for usage)`);
    pointHelpHintAtSubcommands(subcommand, name);
  }
}

function processIo(): Io {
  return {
    stdout: writerTo(process.stdout),
    stderr: writerTo(process.stderr),
    isTty: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}


/**
 * Writes to `stream` until its reader goes away: `fwlint scan . | head` closes the pipe early, which is no error of
 * the scan. The rest of the output is dropped and the exit code stays the scan's (an unhandled EPIPE used to crash
 * with a stack trace and exit 1, failing `set -o pipefail` gates on clean scans). Other stream errors still throw.
 */
export function writerTo(stream: NodeJS.WritableStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}
