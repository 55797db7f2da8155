import { describe, expect, it } from 'vitest';
import { getHeader, readRetryAfterMs } from './headers';

describe('getHeader', () => {
  it('looks names up case-insensitively and gives the first value', () => {
    expect(getHeader([['Content-Location', '/x'], ['x-progress', 'Pending']], 'content-location')).toBe('/x');
    expect(getHeader([['Retry-After', '5'], ['retry-after', '9']], 'RETRY-AFTER')).toBe('5');
    expect(getHeader([], 'x')).toBeUndefined();
  });
});

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
describe('readRetryAfterMs', () => {
  it('reads delta-seconds and HTTP-dates, and nothing else', () => {
    expect(readRetryAfterMs('3', T0)).toBe(3000);
    expect(readRetryAfterMs('Thu, 01 Jan 2026 12:00:07 GMT', T0)).toBe(7000);
    expect(readRetryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', T0)).toBe(0);
    expect(readRetryAfterMs('soon', T0)).toBeNull();
    expect(readRetryAfterMs(undefined, T0)).toBeNull();
    expect(readRetryAfterMs('-1', T0)).toBeNull();
  });
});
