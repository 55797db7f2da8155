import { describe, expect, it } from 'vitest';
import type { TokenDto } from './schemas';
import { isSameToken, pickSessionToken } from './token-selection';

const token = (over: Partial<TokenDto>): TokenDto =>
  ({
    providerId: 'bcda',
    environmentId: 'builtin',
    issuedAt: 0,
    fingerprint: { sha256Prefix: 'aaaa', length: 10 },
    ...over,
  }) as TokenDto;

describe('pickSessionToken', () => {
  it('takes the newest token of the provider and environment', () => {
    const tokens = [
      token({ issuedAt: 1 }),
      token({ issuedAt: 3, environmentId: 'sandbox' }),
      token({ issuedAt: 2, fingerprint: { sha256Prefix: 'bbbb', length: 10 } }),
    ];
    expect(pickSessionToken(tokens, 'bcda', 'builtin')?.issuedAt).toBe(2);
    expect(pickSessionToken(tokens, 'other', 'builtin')).toBeUndefined();
  });
  it('compares by fingerprint', () => {
    expect(isSameToken(token({}), token({ issuedAt: 5 }))).toBe(true);
    expect(isSameToken(token({}), token({ fingerprint: { sha256Prefix: 'bbbb', length: 10 } }))).toBe(false);
  });
});
