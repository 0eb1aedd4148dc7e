import fc from 'fast-check';
import { REPORT_FORMATS, REPORTERS, renderReportChunks } from '../../src/report';
import { batched, jsonChunks } from '../../src/report/json-chunks';
import { basicInput, testContext } from './report-fixture';

describe('jsonChunks', () => {
  it('joins to JSON.stringify(value, null, 2) for any JSON value, at any streaming depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 6 }), (value, depth) => {
        expect([...jsonChunks(value, depth)].join('')).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out undefined members and writes null for undefined items, as JSON.stringify does', () => {
    const value = { a: undefined, b: [undefined, 1, () => 2], c: { d: undefined }, e: 'line\nbreak' };
    expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
  });

  it('yields a large array in pieces, never as one string', () => {
    const results = Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x'.repeat(50) }));
    const chunks = [...jsonChunks({ runs: [{ results }] })];
    const whole = JSON.stringify(results, null, 2).length;
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(whole / 2);
  });
});

describe('batched', () => {
  it('joins small pieces into writes of at least the given size, the last one excepted, losing nothing', () => {
    const pieces = Array.from({ length: 100 }, (_, i) => 'x'.repeat(i % 7));
    const batches = [...batched(pieces, 50)];
    expect(batches.join('')).toBe(pieces.join(''));
    for (const batch of batches.slice(0, -1)) expect(batch.length).toBeGreaterThanOrEqual(50);
  });

  it('passes a piece of half the size or more through as it is, after the small pieces before it', () => {
    const large = 'y'.repeat(30);
    const pieces = ['a', 'bb', large, 'c', large, large, 'd'];
    expect([...batched(pieces, 50)]).toEqual(['abb', large, 'c', large, large, 'd']);
  });
});

describe('renderReportChunks', () => {
  it.each(REPORT_FORMATS)('%s: the pieces join to the reporter\'s output', (format) => {
    expect([...renderReportChunks(format, basicInput(), testContext())].join('')).toBe(REPORTERS[format](basicInput(), testContext()));
  });
});
