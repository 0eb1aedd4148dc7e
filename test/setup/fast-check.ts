/**
 * Property tests run on a fixed seed so that `npm test` (and so the CI gate) gives the same verdict on the same
 * commit. Random exploration is `npm run fuzz`, which sets FWLINT_PROPERTY_SEED to a fresh seed and prints it;
 * replay a failure with `FWLINT_PROPERTY_SEED=<seed> npx jest <file>`. Tests that pass their own `seed` keep it.
 */
import fc from 'fast-check';

const seed = Number(process.env.FWLINT_PROPERTY_SEED ?? 20261123);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
