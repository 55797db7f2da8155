import { describe, expect, it } from 'vitest';
import { bcda } from '@/lib/providers/bcda';
import { parseTokenResponse, type TokenResponseExpectations } from './token-response';

const expectations: TokenResponseExpectations = {
  documentedLifetimeSeconds: 1200,
  knownDeviations: bcda.knownDeviations,
  providerName: 'CMS BCDA',
};
const json = { contentType: 'application/json', cacheControl: 'no-store' };

function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS512', typ: 'JWT' })}.${enc(claims)}.c2ln`;
}

describe('parseTokenResponse', () => {
  it("reads BCDA's exact bytes and records the string expires_in and lower-case bearer as known quirks", () => {
    const jwt = fakeJwt({ iat: 1000, exp: 2200 });
    const result = parseTokenResponse(
      { ...json, body: `{"access_token": "${jwt}", "expires_in": "1200", "token_type":"bearer"}` },
      expectations,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.expiresInSeconds).toBe(1200);
    expect(result.value.expiresInRaw).toBe('1200');
    expect(result.value.tokenType).toBe('bearer');
    expect(result.value.deviations.map((d) => [d.code, d.known])).toEqual([
      ['token_type_case', true],
      ['expires_in_string', true],
    ]);
  });

  it('finds nothing to report in a spec-following response', () => {
    const result = parseTokenResponse({ ...json, body: '{"access_token":"abc","expires_in":3600,"token_type":"Bearer"}' }, expectations);
    expect(result.ok && result.value.deviations).toEqual([]);
  });

  it('flags a missing Cache-Control: no-store and a non-JSON content type', () => {
    const result = parseTokenResponse(
      { contentType: 'text/plain', cacheControl: null, body: '{"access_token":"abc","expires_in":3600,"token_type":"Bearer"}' },
      expectations,
    );
    expect(result.ok && result.value.deviations.map((d) => d.code)).toEqual(['content_type', 'cache_control']);
  });

  it('falls back to the JWT lifetime, then to the documented lifetime, when expires_in is missing', () => {
    const withJwt = parseTokenResponse({ ...json, body: JSON.stringify({ access_token: fakeJwt({ iat: 0, exp: 300 }), token_type: 'Bearer' }) }, expectations);
    expect(withJwt.ok && withJwt.value.expiresInSeconds).toBe(300);
    const opaque = parseTokenResponse({ ...json, body: '{"access_token":"opaque","token_type":"Bearer"}' }, expectations);
    expect(opaque.ok && opaque.value.expiresInSeconds).toBe(1200);
    expect(opaque.ok && opaque.value.deviations[0]?.code).toBe('expires_in_missing');
  });

  it('rounds a fractional expires_in down and says so', () => {
    const result = parseTokenResponse({ ...json, body: '{"access_token":"a","token_type":"Bearer","expires_in":16768.52}' }, expectations);
    expect(result.ok && result.value.expiresInSeconds).toBe(16768);
    expect(result.ok && result.value.deviations[0]?.code).toBe('expires_in_float');
  });

  it('warns when expires_in disagrees with the JWT', () => {
    const result = parseTokenResponse(
      { ...json, body: JSON.stringify({ access_token: fakeJwt({ iat: 0, exp: 600 }), token_type: 'Bearer', expires_in: 3600 }) },
      expectations,
    );
    expect(result.ok && result.value.deviations.map((d) => d.code)).toContain('expires_in_mismatch');
  });

  it.each([
    ['not json', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"token_type":"Bearer"}', 'no access_token'],
    ['{"access_token":""}', 'no access_token'],
  ])('refuses %s', (body, message) => {
    const result = parseTokenResponse({ ...json, body }, expectations);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('accepts a garbage expires_in but warns', () => {
    const result = parseTokenResponse({ ...json, body: '{"access_token":"a","token_type":"Bearer","expires_in":"soon"}' }, expectations);
    expect(result.ok && result.value.deviations[0]).toMatchObject({ code: 'expires_in_invalid', severity: 'warning' });
  });
});
