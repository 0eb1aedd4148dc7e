import { REPORT_FORMATS, REPORTERS } from '../../src/report';

it('lists every reporter as a --format name, in order', () => {
  expect([...REPORT_FORMATS]).toEqual(Object.keys(REPORTERS));
});
