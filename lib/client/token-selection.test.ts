import { describe, expect, it } from 'vitest';
import type { TokenDto } from '@/lib/contract/schemas';
import { findProviderToken, isSameToken, pickSessionToken, tokenMatchesSelection } from './token-selection';

const token = (over: Partial<TokenDto>): TokenDto =>
  ({
    providerId: 'bcda',
    environmentId: 'builtin',
    issuedAt: 0,
    fingerprint: { hmacPrefix: 'aaaa', length: 10 },
    ...over,
  }) as TokenDto;

describe('pickSessionToken', () => {
  it('takes the newest token of the provider and environment', () => {
    const tokens = [
      token({ issuedAt: 1 }),
      token({ issuedAt: 3, environmentId: 'sandbox' }),
      token({ issuedAt: 2, fingerprint: { hmacPrefix: 'bbbb', length: 10 } }),
    ];
    expect(pickSessionToken(tokens, 'bcda', 'builtin')?.issuedAt).toBe(2);
    expect(pickSessionToken(tokens, 'other', 'builtin')).toBeUndefined();
  });
  it('compares by fingerprint', () => {
    expect(isSameToken(token({}), token({ issuedAt: 5 }))).toBe(true);
    expect(isSameToken(token({}), token({ fingerprint: { hmacPrefix: 'bbbb', length: 10 } }))).toBe(false);
  });
});

describe('findProviderToken', () => {
  it('takes the provider’s token whatever its environment', () => {
    const tokens = [token({ issuedAt: 1 }), token({ providerId: 'bluebutton', issuedAt: 2, environmentId: 'sandbox' })];
    expect(findProviderToken(tokens, 'bluebutton')?.environmentId).toBe('sandbox');
    expect(findProviderToken(tokens, 'candid')).toBeUndefined();
  });
});

describe('tokenMatchesSelection', () => {
  it('needs the same environment and credential set', () => {
    const preset = token({ presetId: 'patient-access' });
    expect(tokenMatchesSelection(preset, 'builtin', 'patient-access')).toBe(true);
    expect(tokenMatchesSelection(preset, 'builtin', 'client-credentials')).toBe(false);
    expect(tokenMatchesSelection(preset, 'sandbox', 'patient-access')).toBe(false);
    expect(tokenMatchesSelection(token({}), 'builtin', undefined)).toBe(true);
    expect(tokenMatchesSelection(token({}), 'builtin', 'patient-access')).toBe(false);
  });
});
