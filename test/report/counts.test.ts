import { renderText } from '../../src/report/text';
import { countOf } from '../../src/report/report-context';
import { basicInput, testContext } from './report-fixture';

// Review item 5: "1 baseline entries no longer occur".
describe('counts in report prose', () => {
  it('countOf picks singular or plural', () => {
    expect(countOf(0, 'finding')).toBe('0 findings');
    expect(countOf(1, 'finding')).toBe('1 finding');
    expect(countOf(1, 'baseline entry', 'baseline entries')).toBe('1 baseline entry');
    expect(countOf(3, 'baseline entry', 'baseline entries')).toBe('3 baseline entries');
  });

  it('the text summary says "1 baseline entry no longer occurs" and "2 baseline entries no longer occur"', () => {
    const input = basicInput();
    const one = renderText({ ...input, stats: { ...input.stats, baselined: 2, baselineAbsent: 1 } }, testContext());
    expect(one).toContain('2 in baseline, 1 baseline entry no longer occurs');
    const two = renderText({ ...input, stats: { ...input.stats, baselined: 1, baselineAbsent: 2 } }, testContext());
    expect(two).toContain('1 in baseline, 2 baseline entries no longer occur');
  });
});
