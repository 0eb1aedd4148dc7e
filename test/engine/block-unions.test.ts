import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Prng } from '../../src/bench/prng';
import { computeEffective } from '../../src/engine/effective';
import { scan } from '../../src/pipeline/scan';
import { rule, target } from '../helpers/build-rule';

/**
 * QA h7 item 3: naming the blocks that shadow a keyword allow only together united them one by one, largest first,
 * each into the union of those before (blocks × intervals of that union): thousands of small blocks in no particular
 * order took seconds (20,000 about 15 s). The findings must not change: the same blocks, the redundant ones left out.
 */

const NETWORK = 10 << 24;
/** The range the small blocks cover: 10.0.0.0/19. */
const RANGE_SIZE = 8192;

function address(offset: number): string {
  const value = NETWORK + offset;
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

function block(name: string, remoteip: string, port = 445): string {
  return `netsh advfirewall firewall add rule name="${name}" dir=in action=block protocol=tcp localport=${port} remoteip=${remoteip}`;
}

/**
 * A host blocking every address on tcp/445, all but 10.0.0.0/19 in one rule and that range in 5,000 small rules (3,192
 * pairs and 1,808 single hosts, in a seeded shuffled order), with redundant and unrelated blocks between them, then an
 * allow from LocalSubnet. `leaveOut`: one host of the range no block holds.
 */
function host(leaveOut?: number): { script: string; holding: string[] } {
  const small: Array<{ offset: number; size: 1 | 2 }> = [];
  let offset = 0;
  for (let i = 0; i < 3192; i++, offset += 2) small.push({ offset, size: 2 });
  for (; offset < RANGE_SIZE; offset++) small.push({ offset, size: 1 });
  expect(small).toHaveLength(5000);
  const prng = new Prng(7);
  for (let i = small.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [small[i], small[j]] = [small[j]!, small[i]!];
  }
  const lines = ['@echo off', block('Block the rest', `0.0.0.0-9.255.255.255,${address(RANGE_SIZE)}-255.255.255.255,::/0`)];
  const holding = ['"Block the rest"#1'];
  small.forEach(({ offset: first, size }, index) => {
    const name = `Block ${index}`;
    const held = leaveOut !== undefined && leaveOut >= first && leaveOut < first + size;
    if (size === 2 && held) lines.push(block(name, address(first + (leaveOut === first ? 1 : 0))));
    else if (size === 2) lines.push(block(name, `${address(first)}/31`));
    else if (!held) lines.push(block(name, address(first)));
    if (!held || size === 2) holding.push(`"${name}"#1`);
    // Every 100th: a host inside a pair (held by it: never named), a copy of a rule (the first is named), and a
    // block of another port (it does not meet the allow). None where an address is left out: they would hold it.
    if (index % 100 === 0 && !held) {
      lines.push(block(`Inside ${index}`, address(first + size - 1)));
      if (size === 1) lines.push(block(`Copy ${index}`, address(first)));
      lines.push(block(`Other port ${index}`, address(first), 446));
    }
  });
  lines.push('netsh advfirewall firewall add rule name="SMB from the subnet" dir=in action=allow protocol=tcp localport=445 remoteip=LocalSubnet');
  return { script: `${lines.join('\r\n')}\r\n`, holding };
}

function shadowedBy(script: string): string[][] {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fwlint-block-unions-'));
  try {
    fs.writeFileSync(path.join(directory, 'host.cmd'), script);
    const result = scan({ paths: ['.'], cwd: directory, today: '2026-11-23' });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    return result.findings.filter((finding) => finding.checkId === 'FW301').map((finding) => (finding.properties as { overriddenBy: string[] }).overriddenBy);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe('keyword allows under thousands of blocks that hold every address only together', () => {
  it('names exactly the blocks that add addresses, in rule order', () => {
    const { script, holding } = host();
    const found = shadowedBy(script);
    expect(found).toHaveLength(1);
    expect(found[0]).toEqual(holding);
    // Neither a host inside a pair, nor the second of two equal blocks, nor a block of another port.
    expect(found[0]!.some((name) => /Inside|Copy|Other port/.test(name))).toBe(false);
  });

  it('names none when one address of the range is held by no block', () => {
    // A host among the single ones, and one of a pair (the pair's rule then blocks its other host only).
    expect(shadowedBy(host(RANGE_SIZE - 3).script)).toEqual([]);
    expect(shadowedBy(host(1001).script)).toEqual([]);
  });
});

describe('the blocks named, against a plain model of the rule', () => {
  // Blocks of small ranges in 10.0.0.0/28 beside one of every other address: the allow is shadowed exactly when they
  // cover the /28, by the blocks that add addresses when taken largest first (rule order among equals), in rule order.
  it('agrees on random small blocks', () => {
    const windows = { platform: 'windows-fw' as const };
    const lan = { kind: 'keyword', name: 'LocalSubnet' } as const;
    const ranges = fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(ranges, (pairs) => {
      const rest = rule('in', 'tcp', '445', `0.0.0.0-9.255.255.255,10.0.0.16-255.255.255.255,::/0`, { ...windows, action: 'deny' });
      const small = pairs.map(([first, length]) => ({ first, last: Math.min(15, first + length) }));
      const blocks = small.map(({ first, last }) => rule('in', 'tcp', '445', `${address(first)}-${address(last)}`, { ...windows, action: 'deny' }));
      const allow = rule('in', 'tcp', '445', lan, windows);
      const shadowed = computeEffective(target([rest, ...blocks, allow], windows)).shadowed;
      const bySize = small.map((range, index) => ({ ...range, index })).sort((a, b) => (b.last - b.first) - (a.last - a.first) || a.index - b.index);
      const covered = new Set<number>();
      const named = new Set<number>();
      for (const { first, last, index } of bySize) {
        if (covered.size === 16) break;
        let adds = false;
        for (let offset = first; offset <= last; offset++) if (!covered.has(offset)) (covered.add(offset), (adds = true));
        if (adds) named.add(index);
      }
      if (covered.size < 16) expect(shadowed).toEqual([]);
      else expect(shadowed).toEqual([{ rule: allow, by: [rest, ...blocks.filter((_block, index) => named.has(index))] }]);
    }), { numRuns: 200 });
  });
});
