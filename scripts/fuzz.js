#!/usr/bin/env node
/**
 * `npm run fuzz [-- RUNS [SEED]]`: a longer, randomized session of the pipeline fuzzer (test/hostile/fuzz.test.ts).
 * CI runs the same test with a fixed seed and 300 runs. Defaults here: 2000 runs, a new seed each time (printed in
 * the test title; replay a failure with `npm run fuzz -- 2000 <seed>`). Inputs that break a guarantee are saved under
 * the system temp folder (fwlint-fuzz-failure-*) and named in the failure message.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const runs = process.argv[2] ?? process.env.FWLINT_FUZZ_RUNS ?? '2000';
const seed = process.argv[3] ?? process.env.FWLINT_FUZZ_SEED ?? String(Date.now() % 2 ** 31);
process.stdout.write(`fwlint fuzz: ${runs} runs, seed ${seed}\n`);
const jest = require.resolve('jest/bin/jest', { paths: [path.resolve(__dirname, '..')] });
const result = spawnSync(process.execPath, [jest, 'test/hostile/fuzz', '--verbose'], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, FWLINT_FUZZ_RUNS: runs, FWLINT_FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
