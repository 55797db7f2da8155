import { describe, expect, it } from 'vitest';
import { formatHeaderLines, parseHeaderLines } from './headers';

describe('header lines', () => {
  it('round-trips Name: value lines', () => {
    const headers = { Accept: 'application/fhir+json', Prefer: 'respond-async' };
    expect(parseHeaderLines(formatHeaderLines(headers))).toEqual(headers);
    expect(parseHeaderLines('junk\n: nothing\nX-A:  b:c \n')).toEqual({ 'X-A': 'b:c' });
  });
});
