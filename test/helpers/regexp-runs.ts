export interface RegexpRun {
  /** The expression's source. */
  source: string;
  input: string;
}

/**
 * The regular expressions run while `run` ran, with their texts: a deterministic guard against catastrophic
 * backtracking, where a time limit would be flaky on a loaded machine. `RegExp.prototype.exec` sees every match
 * (`test`, `match`, `replace` and `split` with an expression go through it).
 */
export function regexpRunsDuring<T>(run: () => T): { value: T; runs: RegexpRun[] } {
  const exec = jest.spyOn(RegExp.prototype, 'exec');
  try {
    const value = run();
    return { value, runs: exec.mock.calls.map(([input], index) => ({ source: (exec.mock.contexts[index] as RegExp).source, input: String(input) })) };
  } finally {
    exec.mockRestore();
  }
}
