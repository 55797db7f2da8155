import { describe, expect, it } from 'vitest';
import { getHeader } from './headers';

describe('getHeader', () => {
  it('looks names up case-insensitively and gives the first value', () => {
    expect(getHeader([['Content-Location', '/x'], ['x-progress', 'Pending']], 'content-location')).toBe('/x');
    expect(getHeader([['Retry-After', '5'], ['retry-after', '9']], 'RETRY-AFTER')).toBe('5');
    expect(getHeader([], 'x')).toBeUndefined();
  });
});
