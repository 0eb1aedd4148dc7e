/**
 * Issue #11, no quadratic path on the single-line hostile inputs: each is read (detected, parsed and turned into
 * rules, as the pipeline does) at two sizes, n and 4n, and the work counted by `WorkMeter` (JavaScript steps and
 * native scans, no clock) must grow about linearly: at most 5 times for 4 times the input, where a loop that rescans
 * the line for each item makes it about 16 times. The corpus test only shows that the 1 MB inputs give no error; this
 * one fails when reading them turns quadratic, even if the output stays right. The sizes are a sixty-fourth and a
 * sixteenth of the corpus's (16 and 64 KB): the meter runs the code in the interpreter alone, so big inputs would be
 * slow, and a quadratic term already dominates at 16 KB.
 */
import * as path from 'node:path';
import { measureWorkInFreshThread } from '../helpers/work-meter';
import { LONG_LINES } from './helpers';

/** 25% over linear: what differs between sizes (item names one digit longer, fixed costs) stays well under it. */
const MAX_GROWTH = 5;

const sized = LONG_LINES.map((long) => ({ ...long, small: long.text(Math.round(long.fullCount / 64)), large: long.text(Math.round(long.fullCount / 16)) }));

describe('reading a single-line hostile input takes work linear in its size', () => {
  let work: number[];
  beforeAll(async () => {
    // One thread for all inputs: starting one (loading and transpiling the parsers) is most of the cost.
    work = await measureWorkInFreshThread(
      path.join(__dirname, 'long-line-reader.ts'),
      'readAsPipeline',
      // Calling each parser once first: its first call compiles and fills caches.
      ['warm-up.tf', ''],
      sized.flatMap((long) => [[long.file, long.text(8)], [long.file, long.small], [long.file, long.large]]),
    );
  });

  it.each(sized.map((long, index) => [long.name, long, index] as const))('%s', (_name, long, index) => {
    const [smallWork, largeWork] = [work[index * 3 + 1]!, work[index * 3 + 2]!];
    const growth = largeWork / smallWork;
    if (growth > MAX_GROWTH) {
      throw new Error(`${long.file}: ${largeWork} units of work for ${long.large.length} characters, ${smallWork} for ${long.small.length}: ${growth.toFixed(2)} times for ${(long.large.length / long.small.length).toFixed(2)} times the input`);
    }
    // The count is real work, not a constant: more than one unit per character read.
    expect(smallWork).toBeGreaterThan(long.small.length);
  });
});
