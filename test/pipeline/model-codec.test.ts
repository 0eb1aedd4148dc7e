import { discoverFiles } from '../../src/discover/discover';
import { readSourceFile } from '../../src/discover/read';
import { AddressSet } from '../../src/model/address-set';
import { IntervalSet } from '../../src/model/interval-set';
import { PortSet } from '../../src/model/port-set';
import type { FormatParser, ParseResult, SourceFile } from '../../src/model/source-file';
import { PARSERS } from '../../src/parsers';
import { encodeParseResult, ModelCodecError, ModelDecoder, roundTripParseResult } from '../../src/pipeline/model-codec';
import { REPO_ROOT } from '../helpers/scan-fixture';
import { rule, target } from '../helpers/build-rule';

/** Stable text of a model graph: key order included, sets by class and canonical text, BigInts as text. */
function snapshot(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof PortSet) return `PortSet(${item.toString()})`;
    if (item instanceof AddressSet) return `AddressSet(${item.toString()})`;
    if (item instanceof IntervalSet) return `IntervalSet(${item.intervals.map(([lo, hi]) => `${lo}-${hi}`).join(',')})`;
    if (typeof item === 'bigint') return `${item}n`;
    return item;
  });
}

function fixtureResults(): Array<{ parser: FormatParser; result: ParseResult }> {
  const discovered = discoverFiles(['fixtures'], REPO_ROOT).value;
  const byParser = new Map<FormatParser, SourceFile[]>();
  for (const entry of discovered) {
    const { file } = readSourceFile(entry, 50 * 1024 * 1024);
    if (!file) continue;
    const parser = PARSERS.find((candidate) => candidate.detect(file.path, file.text.slice(0, 4096)));
    if (!parser) continue;
    byParser.set(parser, [...(byParser.get(parser) ?? []), file]);
  }
  return [...byParser].map(([parser, files]) => ({ parser, result: parser.parse(files, { vars: {}, varFiles: [], params: {} }) }));
}

describe('model codec', () => {
  it('round-trips every fixture of every format: same graph, same key order, live sets', () => {
    const results = fixtureResults();
    expect(results.length).toBeGreaterThanOrEqual(3);
    for (const { parser, result } of results) {
      expect(result.targets.length).toBeGreaterThan(0);
      const decoded = roundTripParseResult(result);
      expect(snapshot(decoded)).toBe(snapshot(result));
      expect(decoded).toEqual(result);
      for (const decodedTarget of decoded.targets) {
        for (const decodedRule of decodedTarget.rules) {
          expect(decodedRule.ports).toBeInstanceOf(PortSet);
          if (decodedRule.peer.kind === 'addresses') {
            expect(decodedRule.peer.addresses).toBeInstanceOf(AddressSet);
            // A decoded set works, not only looks right.
            expect(decodedRule.peer.addresses.union(AddressSet.EMPTY).equals(decodedRule.peer.addresses)).toBe(true);
          }
        }
      }
      expect(`${parser.kind}: ${decoded.targets.length}`).toBe(`${parser.kind}: ${result.targets.length}`);
    }
  });

  it('keeps shared objects shared, undefined fields, nulls, BigInts and interval sets', () => {
    const shared = { file: 'a.tf', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 } };
    const first = rule('in', 'tcp', '22', '10.0.0.0/8', { location: shared, description: undefined as unknown as string });
    const second = rule('in', 'icmp', 'all', '0.0.0.0/0', { location: shared, icmp: { type: 8, code: 'any' } });
    const input = {
      targets: [target([first, second, first], { unknowns: [] })],
      annotations: [],
      diagnostics: [{ code: 'parse/x', severity: 'warning' as const, message: 'm', file: 'a.tf' }],
      extra: { big: 2n ** 100n, protocols: IntervalSet.of([[6n, 6n], [17n, 17n]]), none: null },
    } as unknown as ParseResult;
    const decoded = roundTripParseResult(input) as ParseResult & { extra: { big: bigint; protocols: IntervalSet; none: null } };
    expect(snapshot(decoded)).toBe(snapshot(input));
    const rules = decoded.targets[0]!.rules;
    expect(rules[0]).toBe(rules[2]);
    expect(rules[0]!.location).toBe(rules[1]!.location);
    expect(Object.keys(rules[0]!)).toContain('description');
    expect(decoded.extra.big).toBe(2n ** 100n);
    expect(decoded.extra.protocols).toBeInstanceOf(IntervalSet);
    expect(decoded.extra.protocols.has(17n)).toBe(true);
    expect(decoded.extra.none).toBeNull();
  });

  it('decodes equal sets of different messages to one instance, and the canonical constants to themselves', () => {
    const decoder = new ModelDecoder();
    const message = (): ParseResult => ({
      targets: [target([rule('in', 'tcp', 'all', '0.0.0.0/0, ::/0'), rule('out', 'udp', '53', '10.1.0.0/16, 192.0.2.0/24, 2001:db8::/32')])],
      annotations: [],
      diagnostics: [],
    });
    const a = decoder.decode(encodeParseResult(message()));
    const b = decoder.decode(encodeParseResult(message()));
    const peers = (result: ParseResult): AddressSet[] => result.targets[0]!.rules.map((r) => (r.peer as { addresses: AddressSet }).addresses);
    expect(peers(a)[0]).toBe(AddressSet.ALL);
    expect(a.targets[0]!.rules[0]!.ports).toBe(PortSet.ALL);
    expect(peers(a)[1]).toBe(peers(b)[1]);
    expect(peers(a)[1]!.toString()).toBe('10.1.0.0/16, 192.0.2.0/24, 2001:db8::/32');
  });

  it('survives structured clone, as between threads', () => {
    const { result } = fixtureResults()[0]!;
    const cloned = structuredClone(encodeParseResult(result));
    expect(snapshot(new ModelDecoder().decode(cloned))).toBe(snapshot(result));
  });

  it('refuses what it cannot revive, so the unit is parsed in the main thread instead', () => {
    class Custom {
      value = 1;
    }
    const withClass = { targets: [], annotations: [], diagnostics: [], extra: new Custom() } as unknown as ParseResult;
    expect(() => encodeParseResult(withClass)).toThrow(ModelCodecError);
    const withFunction = { targets: [], annotations: [], diagnostics: [], extra: () => 1 } as unknown as ParseResult;
    expect(() => encodeParseResult(withFunction)).toThrow(ModelCodecError);
  });

  it('needs the model classes it revives to keep their internals (AddressSet v4/v6)', () => {
    // The codec reads AddressSet's private interval sets by name: a rename must fail here, not in a worker.
    const set = AddressSet.parseList('10.0.0.0/8, ::/0');
    const decoded = roundTripParseResult({ targets: [], annotations: [], diagnostics: [], set } as unknown as ParseResult) as unknown as { set: AddressSet };
    expect(decoded.set.equals(set)).toBe(true);
    expect(decoded.set).not.toBe(set);
  });
});
