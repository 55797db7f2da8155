import { describe, expect, it } from 'vitest';
import { formatHeaderLines, getHeader, parseHeaderLines } from './headers';

describe('headers', () => {
  it('looks names up case-insensitively', () => {
    expect(getHeader([['Content-Location', '/x'], ['x-progress', 'Pending']], 'content-location')).toBe('/x');
    expect(getHeader([], 'x')).toBeUndefined();
  });
  it('round-trips Name: value lines', () => {
    const headers = { Accept: 'application/fhir+json', Prefer: 'respond-async' };
    expect(parseHeaderLines(formatHeaderLines(headers))).toEqual(headers);
    expect(parseHeaderLines('junk\n: nothing\nX-A:  b:c \n')).toEqual({ 'X-A': 'b:c' });
  });
});
