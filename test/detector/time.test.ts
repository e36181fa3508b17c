import { etDate, formatEt, parseTimestamp } from '../../lambda/detector/time';

describe('parseTimestamp', () => {
  it.each([
    ['2026-06-01T14:05:00Z', Date.UTC(2026, 5, 1, 14, 5)],
    ['2026-06-01T10:05:00-04:00', Date.UTC(2026, 5, 1, 14, 5)],
    ['2026-06-01T23:05:00+0900', Date.UTC(2026, 5, 1, 14, 5)],
    ['2026-06-01T14:05Z', Date.UTC(2026, 5, 1, 14, 5)],
    ['2026-06-01T13:41:07.725Z', Date.UTC(2026, 5, 1, 13, 41, 7, 725)],
    ['2026-06-01T13:41:07.123456+00:00', Date.UTC(2026, 5, 1, 13, 41, 7, 123)],
  ])('parses %s', (text, ms) => {
    expect(parseTimestamp(text)).toBe(ms);
  });

  it.each([
    '',
    'now',
    '2026-06-01',
    '2026-06-01T14:05:00',
    '2026-02-30T00:00:00Z',
    '2026-06-01T24:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-06-01T14:05:00+25:00',
    1717250700000,
    null,
  ])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('ET helpers', () => {
  it('renders ET and the ET date around DST changes', () => {
    expect(formatEt(Date.UTC(2026, 2, 8, 6, 59))).toBe('2026-03-08T01:59:00-05:00');
    expect(formatEt(Date.UTC(2026, 2, 8, 7, 0))).toBe('2026-03-08T03:00:00-04:00');
    expect(etDate(Date.UTC(2026, 5, 2, 3, 59))).toBe('2026-06-01');
    expect(etDate(Date.UTC(2026, 5, 2, 4, 0))).toBe('2026-06-02');
  });
});
