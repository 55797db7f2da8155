import { describe, expect, it } from 'vitest';
import { formatGoTimeString, formatRfc3339Nano, parseRfc3339 } from './go-format';

describe('Go time formats', () => {
  it('formats time.Time.String() with trimmed fractions', () => {
    expect(formatGoTimeString(Date.UTC(2026, 7, 22, 20, 44, 1, 705))).toBe('2026-08-22 20:44:01.705 +0000 UTC');
    expect(formatGoTimeString(Date.UTC(2026, 7, 22, 20, 44, 1, 700))).toBe('2026-08-22 20:44:01.7 +0000 UTC');
    expect(formatGoTimeString(Date.UTC(2026, 7, 22, 20, 44, 1))).toBe('2026-08-22 20:44:01 +0000 UTC');
    expect(formatRfc3339Nano(Date.UTC(2026, 11, 9, 20, 44, 1, 50))).toBe('2026-12-09T20:44:01.05Z');
  });

  it.each([
    ['2020-02-01T00:00:00Z', Date.UTC(2020, 1, 1)],
    ['2020-02-01T00:00:00.123456789+02:00', Date.UTC(2020, 0, 31, 22, 0, 0, 123)],
    ['2020-02-29T23:59:59-05:00', Date.UTC(2020, 2, 1, 4, 59, 59)],
  ])('parses %s as Go does', (value, expected) => {
    expect(parseRfc3339(value)).toBe(expected);
  });

  it.each(['2020-02-01', '2020-02-01 00:00:00Z', '2020-02-01t00:00:00Z', '2021-02-29T00:00:00Z', '2020-02-01T24:00:00Z', '2020-02-01T00:00:00+0200'])(
    'rejects %s as Go does',
    (value) => {
      expect(parseRfc3339(value)).toBeUndefined();
    },
  );
});
