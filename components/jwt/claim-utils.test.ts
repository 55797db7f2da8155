import { describe, expect, it } from 'vitest';
import { describeClaimValue, orderClaims } from './claim-utils';

describe('describeClaimValue', () => {
  it('reads NumericDate claims as times', () => {
    expect(describeClaimValue('exp', 1_800_000_000)).toEqual({ kind: 'time', ms: 1_800_000_000_000, raw: 1_800_000_000 });
  });
  it('parses BCDA’s JSON-string dat claim', () => {
    expect(describeClaimValue('dat', '{"cms_ids":["A9994"]}')).toEqual({
      kind: 'json',
      value: { cms_ids: ['A9994'] },
      fromString: true,
    });
  });
  it('keeps objects as JSON and strings as text', () => {
    expect(describeClaimValue('aud', ['a', 'b'])).toEqual({ kind: 'json', value: ['a', 'b'], fromString: false });
    expect(describeClaimValue('iss', 'ssas')).toEqual({ kind: 'text', text: 'ssas' });
    expect(describeClaimValue('x', '{not json}')).toEqual({ kind: 'text', text: '{not json}' });
  });
  it('shows a non-numeric time claim as text', () => {
    expect(describeClaimValue('exp', '1200')).toEqual({ kind: 'text', text: '1200' });
  });
});

describe('orderClaims', () => {
  it('puts registered claims first, others as sent', () => {
    const ordered = orderClaims({ dat: 1, cid: 2, exp: 3, iss: 4, use: 5, iat: 6 }).map(([k]) => k);
    expect(ordered).toEqual(['iss', 'exp', 'iat', 'dat', 'cid', 'use']);
  });
});
