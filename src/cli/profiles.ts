import { Command, Option } from 'commander';
import type { Diagnostic } from '../model/diagnostic';
import { printable } from '../report/code-frame';
import { listProfiles, loadAllPacks, renderProfile, showProfile } from '../pipeline/profiles';

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `fwlint profiles`, `fwlint profiles show`, `fwlint render`. */
export function registerProfileCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const report = (diagnostics: Diagnostic[]): boolean => {
    for (const diagnostic of diagnostics) {
      const where = diagnostic.file ? `${diagnostic.file}${diagnostic.range ? `:${diagnostic.range.startLine}:${diagnostic.range.startColumn}` : ''}: ` : '';
      // A warning leaves the output usable: labelled, so it does not read as the error it is not.
      const label = diagnostic.severity === 'error' ? '' : `${diagnostic.severity}: `;
      io.stderr(`fwlint: ${label}${printable(`${where}${diagnostic.message}`)}\n`);
    }
    const failed = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
    if (failed) setExitCode(2);
    return failed;
  };

  const profiles = program
    .command('profiles')
    .description('list the vendor rule packs and their roles')
    .option('--json', 'print JSON')
    .option('--rules <dir>', 'extra rule pack folder (repeatable)', collect, [])
    .option('-c, --config <file>', 'configuration file (for its rulePacks)')
    // Excess words are checked here: commander would say "too many arguments" for a mistyped `show`, since this
    // command has an action of its own.
    .allowExcessArguments()
    .action((flags: { json?: boolean; rules: string[]; config?: string }, command: Command) => {
      if (command.args.length > 0) {
        command.error(`error: unknown command '${command.args[0]}' for 'profiles'; to list one role's rules: fwlint profiles show <pack>/<role>`, { code: 'commander.unknownCommand' });
      }
      const { packs, diagnostics } = loadAllPacks({ cwd: io.cwd, rulePackDirs: flags.rules, ...(flags.config ? { configFile: flags.config } : {}) });
      report(diagnostics);
      io.stdout(listProfiles(packs, flags.json === true));
    });

  profiles
    .command('show')
    .description('the advanced rule set of one role: every flow with direction, protocol, ports, peer, phase, condition, purpose')
    .argument('<pack/role>')
    .option('--json', 'print JSON')
    .addOption(new Option('--phase <phase>', 'only the flows of this phase').choices(['install', 'operate']))
    .option('--option <name>', 'only the unconditional flows and those of this option (repeatable; default: every flow)', collect, [])
    .option('--param <name=value>', 'pack parameter, e.g. wmi-port=30000 (repeatable)', collect, [])
    .option('--rules <dir>', 'extra rule pack folder (repeatable)', collect, [])
    .option('-c, --config <file>', 'configuration file (for its rulePacks)')
    .action((ref: string, flags: ShowFlags, command: Command) => {
      // `--json`, `--rules` and `-c` after `show` may be parsed by the parent `profiles` command, which declares them too.
      const parent = (command.parent?.opts() ?? {}) as { json?: boolean; rules?: string[]; config?: string };
      const json = flags.json === true || parent.json === true;
      const config = flags.config ?? parent.config;
      const { packs, diagnostics } = loadAllPacks({ cwd: io.cwd, rulePackDirs: [...flags.rules, ...(parent.rules ?? [])], ...(config ? { configFile: config } : {}) });
      if (report(diagnostics)) return;
      const shown = showProfile(packs, { ref, options: flags.option, params: flags.param, ...(flags.phase ? { phase: flags.phase } : {}) }, json);
      // An error (an unknown --option) prints nothing: a table of the wrong selection would read as the answer.
      if (report(shown.diagnostics)) return;
      if (shown.text) io.stdout(shown.text);
      else setExitCode(2);
    });

  program
    .command('render')
    .description('print a role\'s advanced rule set as ready-to-use code')
    .argument('<pack/role>')
    // Required, but checked in the action: commander checks mandatory options before arguments, and `fwlint render`
    // alone should first say that the role is missing.
    .addOption(new Option('-f, --format <format>', 'output format (required)').choices(['terraform', 'cloudformation', 'netsh', 'powershell', 'json']))
    .option('--peer <name=cidr>', 'bind a symbolic peer to addresses (repeatable)', collect, [])
    .addOption(new Option('--phase <phase>', 'only the flows of this phase').choices(['install', 'operate']))
    .option('--option <name>', 'role option (repeatable)', collect, [])
    .option('--param <name=value>', 'pack parameter, e.g. wmi-port=30000 (repeatable)', collect, [])
    .option('--rules <dir>', 'extra rule pack folder (repeatable)', collect, [])
    .option('-c, --config <file>', 'configuration file (for its rulePacks)')
    .action((ref: string, flags: RenderFlags, command: Command) => {
      if (!flags.format) command.error("error: required option '-f, --format <format>' not specified", { exitCode: 2, code: 'commander.missingMandatoryOptionValue' });
      const { packs, diagnostics } = loadAllPacks({ cwd: io.cwd, rulePackDirs: flags.rules, ...(flags.config ? { configFile: flags.config } : {}) });
      if (report(diagnostics)) return;
      const rendered = renderProfile(packs, {
        ref,
        format: flags.format,
        peers: flags.peer,
        options: flags.option,
        params: flags.param,
        ...(flags.phase ? { phase: flags.phase } : {}),
      });
      if (report(rendered.diagnostics) || !rendered.text) {
        setExitCode(2);
        return;
      }
      io.stdout(rendered.text);
    });
}

interface ShowFlags {
  json?: boolean;
  phase?: 'install' | 'operate';
  option: string[];
  param: string[];
  rules: string[];
  config?: string;
}

interface RenderFlags {
  format?: 'terraform' | 'cloudformation' | 'netsh' | 'powershell' | 'json';
  peer: string[];
  phase?: 'install' | 'operate';
  option: string[];
  param: string[];
  rules: string[];
  config?: string;
}
