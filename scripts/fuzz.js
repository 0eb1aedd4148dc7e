#!/usr/bin/env node
/**
 * `npm run fuzz [-- RUNS [SEED]]`: a longer, randomized session of the property tests.
 * `npm test` (and CI) runs every property test on a fixed seed (test/setup/fast-check.ts) and the pipeline fuzzer
 * (test/hostile/fuzz.test.ts) with 300 runs, so a commit always gets the same verdict. Here every property test gets
 * a new seed each time (printed first, and in the fuzzer's test title) and the pipeline fuzzer RUNS runs (default
 * 2000); replay a failure with `npm run fuzz -- RUNS <seed>`. Inputs that break a pipeline guarantee are saved under
 * the system temp folder (fwlint-fuzz-failure-*) and named in the failure message.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const PROPERTY_TESTS = [
  'test/hostile/fuzz',
  'test/hostile/diff-invariants',
  'test/model/',
  'test/engine/set-facts',
  'test/parsers/terraform/hcl/oracle',
  'test/parsers/terraform/hcl/mutation',
  'test/parsers/cloudformation/fuzz',
  'test/parsers/netsh/',
];

const runs = process.argv[2] ?? process.env.FWLINT_FUZZ_RUNS ?? '2000';
const seed = process.argv[3] ?? process.env.FWLINT_FUZZ_SEED ?? String(Date.now() % 2 ** 31);
process.stdout.write(`fwlint fuzz: ${runs} pipeline runs, seed ${seed}\n`);
const jest = require.resolve('jest/bin/jest', { paths: [path.resolve(__dirname, '..')] });
const result = spawnSync(process.execPath, [jest, ...PROPERTY_TESTS], {
  cwd: path.resolve(__dirname, '..'),
  stdio: 'inherit',
  env: { ...process.env, FWLINT_FUZZ_RUNS: runs, FWLINT_FUZZ_SEED: seed, FWLINT_PROPERTY_SEED: seed, FWLINT_ORACLE_RUNS: '2000' },
});
process.exit(result.status ?? 1);
