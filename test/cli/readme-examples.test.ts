import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/run-cli';
import { REPO_ROOT } from '../helpers/scan-fixture';

/**
 * The README's worked examples (`$ fwlint scan …` blocks) are what a new user runs first: each must print what the
 * README shows. Code frames and blank lines are left out there; a line starting with `…` stands for findings left out.
 */
const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^```\n\$ fwlint (scan [^\n]+)\n([\s\S]*?)^```/gm)].map((match) => ({
  command: match[1]!,
  expected: match[2]!.split('\n').filter((line) => line.trim() !== ''),
}));

/** The text report without code frames (`  12 | …`, `> 12 | …`, `    | ^^^`) and blank lines. */
function withoutFrames(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '' && !/^\s*(>\s*)?\d*\s*\|/.test(line));
}

describe('README worked examples', () => {
  it('finds the examples', () => {
    expect(examples.map((example) => example.command.split(' ')[1])).toEqual(
      expect.arrayContaining(['fixtures/examples/terraform', 'fixtures/examples/cloudformation', 'fixtures/demo/hosts/sds01.txt', 'fixtures/cdk/pulumi.ts']),
    );
  });

  it.each(examples.map((example) => [example.command, example.expected] as const))('fwlint %s prints what the README shows', async (command, expected) => {
    const { stdout } = await runCli([...command.split(' '), '--no-color'], REPO_ROOT);
    const actual = withoutFrames(stdout);
    // Walk both: an expected `…` line skips actual lines up to the next expected line.
    let index = 0;
    for (let e = 0; e < expected.length; e++) {
      const line = expected[e]!;
      if (line.trim().startsWith('…')) {
        const next = expected[e + 1];
        while (index < actual.length && actual[index] !== next) index++;
        continue;
      }
      expect(actual[index]).toBe(line);
      index++;
    }
    expect(actual.slice(index)).toEqual([]);
  });
});
