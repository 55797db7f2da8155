import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveFingerprintKey } from '@/lib/http/fingerprint';
import { storedTokenFixture } from './test-helpers';
import { maskToken, toTokenDto } from './token-dto';

const originalSecret = process.env.SESSION_SECRET;
afterEach(() => {
  if (originalSecret === undefined) delete process.env.SESSION_SECRET;
  else process.env.SESSION_SECRET = originalSecret;
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const tokenOf = (length: number) => Array.from({ length }, (_, i) => ALPHABET[(i * 37 + 11) % 64]).join('');

/** The characters of the token a mask shows: what precedes and what follows the ellipsis. */
function shownOf(mask: string, token: string): number {
  const [head = '', tail = ''] = mask.split('…');
  expect(token.startsWith(head)).toBe(true);
  expect(token.endsWith(tail)).toBe(true);
  return head.length + tail.length;
}

describe('maskToken', () => {
  it.each([
    [8, 0],
    [18, 0],
    [20, 0],
    [24, 4],
    [32, 8],
    [64, 14],
    [800, 14],
  ])('SECURITY 15: a %i-character token shows %i characters: at most a quarter, at least 20 hidden', (length, shown) => {
    const token = tokenOf(length);
    const mask = maskToken(token);
    expect(mask).toContain('…');
    expect(shownOf(mask, token)).toBe(shown);
    expect(shown).toBeLessThanOrEqual(length / 4);
    expect(length - shown).toBeGreaterThanOrEqual(Math.min(length, 20));
  });

  it('keeps the start and end of a long token, as before, so tokens can be told apart', () => {
    const token = tokenOf(800);
    expect(maskToken(token)).toBe(`${token.slice(0, 10)}…${token.slice(-4)}`);
  });
});

describe('toTokenDto', () => {
  it('SECURITY 15: the fingerprints the page gets are keyed HMACs of the access and refresh tokens, never plain hashes', () => {
    const accessToken = tokenOf(18);
    const refreshToken = tokenOf(40);
    const stored = storedTokenFixture({
      providerId: 'bcda',
      credential: { kind: 'preset', presetId: 'x', clientId: 'c', label: 'X' },
      accessToken,
      refreshToken,
    });
    const password = 'token-dto-test-session-secret-of-40-chars!';
    process.env.SESSION_SECRET = password;
    const dto = toTokenDto(stored);
    const hmac = (value: string) => createHmac('sha256', deriveFingerprintKey(password)).update(value).digest('hex').slice(0, 12);
    expect(dto.fingerprint).toEqual({ hmacPrefix: hmac(accessToken), length: 18 });
    expect(dto.refresh?.fingerprint).toEqual({ hmacPrefix: hmac(refreshToken), length: 40 });
    expect(dto.fingerprint.hmacPrefix).not.toBe(createHash('sha256').update(accessToken).digest('hex').slice(0, 12));
    // An 18-character token: nothing of it is shown, so mask and fingerprint leave nothing to search.
    expect(dto.maskedToken).toBe('…');
    expect(JSON.stringify(dto)).not.toContain(accessToken);
    expect(JSON.stringify(dto)).not.toContain(refreshToken);
  });
});
