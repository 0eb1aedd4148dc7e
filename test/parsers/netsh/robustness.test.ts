import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { contentKeyOf, PortSet } from '../../../src/model';
import type { ParseOptions, ParseResult, SourceFile } from '../../../src/model';
import { decodeBytes, decodeCp437 } from '../../../src/discover/read';
import { netshParser } from '../../../src/parsers/netsh';

const FIXTURES = join(__dirname, '../../../fixtures/netsh');
const OPTIONS: ParseOptions = { vars: {}, varFiles: [], params: {} };
const SEPARATOR = '-'.repeat(70);

const fixtureTexts: Array<{ name: string; text: string }> = ['exports', 'scripts'].flatMap((folder) =>
  readdirSync(join(FIXTURES, folder)).map((name) => ({
    name: `${folder}/${name}`,
    text: ((bytes: Buffer) => decodeBytes(bytes)?.text ?? decodeCp437(bytes))(readFileSync(join(FIXTURES, folder, name))),
  })),
);

/** Pieces of both grammars, so that mutations reach deep paths instead of only breaking the first line. */
const GRAMMAR_PIECES = [
  'Rule Name:                            ', SEPARATOR, '\r\n', '\n', '\r', ':', '  ', 'Action:                               Allow',
  'Protocol:                             ICMPv4', '                                      Type    Code', '     8   Any',
  'RemoteIP:                             ', 'LocalPort:                            ', 'Ok.', 'No rules match the specified criteria.',
  '^', '`', '"', "'", '%', '%%', '%1', '!X!', '$', '$(', '${', '(', ')', '{', '}', '&', '&&', '|', ';', '>', '2>&1', '<#', '#>',
  '#', '::', 'REM fwlint:target x', 'REM fwlint:profile a/b phase=install options=x,', '=', ',', '-', '/', '..',
  'netsh advfirewall firewall add rule ', 'netsh firewall add portopening ', 'advfirewall firewall', ' new ', 'set rule ',
  'delete rule name=all', 'name=', 'dir=in', 'action=block', 'protocol=icmpv6:', 'remoteip=', 'localport=', '70000', '9-1',
  '::/0', '10.0.0.0/255.0.255.0', '255.255.255.255', 'LocalSubnet', 'Any', 'RPC', '\u0000', '\uFFFD', '\uD800', 'é',
];

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'truncate'; at: number };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 300 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...GRAMMAR_PIECES), fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 })),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 600 }) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, mutation: Mutation): string {
  const at = text.length === 0 ? 0 : ('at' in mutation ? mutation.at % (text.length + 1) : 0);
  switch (mutation.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + mutation.length);
    case 'insert':
      return text.slice(0, at) + mutation.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + mutation.length) + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    case 'swapLines': {
      const lines = text.split('\n');
      const a = mutation.a % lines.length;
      const b = mutation.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
  }
}

function parseAs(path: string, text: string): ParseResult {
  const file: SourceFile = { path, absolutePath: `/work/${path}`, text, encoding: 'utf-8' };
  return netshParser.parse([file], OPTIONS);
}

/** Every result must be well-formed model data pointing inside the text, whatever the input. */
function checkWellFormed(result: ParseResult, text: string): void {
  const lineCount = text.split('\n').length;
  const inText = (range: { startLine: number; endLine: number }): boolean =>
    range.startLine >= 1 && range.startLine <= range.endLine && range.endLine <= lineCount;
  for (const target of result.targets) {
    expect(target.id).not.toBe('');
    for (const rule of target.rules) {
      expect(rule.ports).toBeInstanceOf(PortSet);
      expect(['in', 'out']).toContain(rule.direction);
      expect(['allow', 'deny', 'bypass']).toContain(rule.action);
      expect(inText(rule.location.range)).toBe(true);
      if (rule.peerLocation) expect(inText(rule.peerLocation.range)).toBe(true);
      expect(contentKeyOf(rule)).not.toBe('');
    }
  }
  for (const diagnostic of result.diagnostics) {
    expect(diagnostic.code).toMatch(/^parse\/netsh-[a-z-]+$/);
    if (diagnostic.range) expect(inText(diagnostic.range)).toBe(true);
  }
}

describe('netsh parser robustness', () => {
  it('never throws on mutated fixtures, read as an export, a .cmd, a .ps1 or a .txt, and yields no more than the text holds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtureTexts),
        fc.array(mutationArbitrary, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('host.txt', 'setup.cmd', 'setup.ps1', 'export'),
        (fixture, mutations, path) => {
          const text = mutations.reduce(mutate, fixture.text);
          const result = parseAs(path, text);
          checkWellFormed(result, text);
          // Deterministic, in place of a time limit: what multiplies (loops, calls, conditions) stays within its
          // budget, and these small fixtures never give more rules and diagnostics than characters.
          expect(result.targets.reduce((count, target) => count + target.rules.length, 0) + result.diagnostics.length).toBeLessThanOrEqual(text.length + 1);
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom('a.txt', 'a.cmd', 'a.ps1'), (text, path) => {
        checkWellFormed(parseAs(path, text), text);
      }),
      { numRuns: 300 },
    );
  });

  it('reads an export of 50,000 rules (linear: one pass, no per-rule rescans)', () => {
    const blocks: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const port = 1024 + (i % 60_000);
      blocks.push(
        [
          `Rule Name:                            Rule ${i % 1000}`,
          SEPARATOR,
          'Enabled:                              Yes',
          `Direction:                            ${i % 2 === 0 ? 'In' : 'Out'}`,
          'Profiles:                             Domain,Private,Public',
          'Grouping:',
          'LocalIP:                              Any',
          `RemoteIP:                             10.${(i >> 8) & 255}.${i & 255}.0/24`,
          'Protocol:                             TCP',
          `LocalPort:                            ${port}`,
          `RemotePort:                           ${port}`,
          'Edge traversal:                       No',
          `Action:                               ${i % 3 === 0 ? 'Block' : 'Allow'}`,
        ].join('\r\n'),
      );
    }
    const text = `\r\n${blocks.join('\r\n\r\n')}\r\nOk.\r\n`;
    const result = parseAs('big.txt', text);
    // Written without `verbose`: its block rules are one warning for the file, not one each.
    expect(result.diagnostics.map((d) => [d.code, d.range?.startLine])).toEqual([['parse/netsh-export-not-verbose', 2]]);
    const rules = result.targets[0]!.rules;
    expect(rules).toHaveLength(50_000);
    expect(rules[49_999]!.resourceAddress).toBe('"Rule 999"#50');
    expect(rules[49_999]!.location.range.startLine).toBe(2 + 49_999 * 14);
  }, 120_000);

  it('replays a script of 50,000 add rule commands', () => {
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      lines.push(`netsh advfirewall firewall add rule name="Rule ${i}" dir=in action=allow protocol=tcp localport=${1 + (i % 65_000)} remoteip=LocalSubnet`);
    }
    const result = parseAs('big.cmd', lines.join('\r\n'));
    expect(result.diagnostics).toEqual([]);
    expect(result.targets[0]!.rules).toHaveLength(50_000);
  }, 120_000);
});
