import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `fwlint <args>` in-process with a captured stdout and stderr, in `cwd` with environment `env`. stdout is not
 * a TTY unless `isTty` says it is.
 */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, isTty = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'fwlint', ...args], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTty,
    env,
    cwd,
  });
  return { code, stdout, stderr };
}
