import { beforeAll, describe, expect, it } from 'vitest';
import { importJWK, SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { generateClientKey, publicJwks, type StoredClientKey } from '@/lib/smart/client-keys';
import { mintClientAssertion } from '@/lib/smart/client-assertion';
import { createMemoryJtiStore, verifyClientAssertion, type VerifyClientAssertionOptions } from './assertion-verifier';
import type { AssertionRejectionCode } from '@/lib/contract/assertion-rejections';

const TOKEN_URL = 'https://ehr.example.org/oauth2/token';
const CLIENT = 'client-1';
const NOW = new Date('2025-01-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;

let rsa: StoredClientKey;
let ec: StoredClientKey;
let stranger: StoredClientKey;
beforeAll(async () => {
  [rsa, ec, stranger] = await Promise.all([generateClientKey('RS384'), generateClientKey('ES384'), generateClientKey('ES384')]);
});

function options(overrides: Partial<VerifyClientAssertionOptions> = {}): VerifyClientAssertionOptions {
  return { expectedAudience: TOKEN_URL, clientId: CLIENT, jwks: publicJwks([rsa, ec]), seenJtis: createMemoryJtiStore(), now: NOW, ...overrides };
}

/** Signs exactly what it is given, to craft the assertions a careless client would send. */
async function craft(
  claims: JWTPayload,
  header: Partial<JWTHeaderParameters> = {},
  key: StoredClientKey = ec,
  signingAlg: string = key.alg,
): Promise<string> {
  const base: JWTPayload = { iss: CLIENT, sub: CLIENT, aud: TOKEN_URL, iat: NOW_S, exp: NOW_S + 300, jti: 'jti-1' };
  const payload = Object.fromEntries(Object.entries({ ...base, ...claims }).filter(([, v]) => v !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: signingAlg, kid: key.kid, typ: 'JWT', ...header } as JWTHeaderParameters)
    .sign(await importJWK(key.privateJwk, signingAlg));
}

async function codes(assertion: string, overrides: Partial<VerifyClientAssertionOptions> = {}): Promise<AssertionRejectionCode[]> {
  const result = await verifyClientAssertion(assertion, options(overrides));
  return result.ok ? [] : result.reasons.map((r) => r.code);
}

describe('verifyClientAssertion', () => {
  it('accepts minted RS384 and ES384 assertions', async () => {
    for (const key of [rsa, ec]) {
      const { assertion } = await mintClientAssertion({ key, clientId: CLIENT, tokenUrl: TOKEN_URL, now: NOW });
      const result = await verifyClientAssertion(assertion, options({ clientAssertionType: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' }));
      expect(result).toMatchObject({ ok: true, claims: { iss: CLIENT, aud: TOKEN_URL } });
    }
  });

  it('wrong aud: shows expected and got', async () => {
    const result = await verifyClientAssertion(await craft({ aud: 'https://ehr.example.org/oauth2/authorize' }), options());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toEqual([
      expect.objectContaining({ code: 'wrong_aud', expected: TOKEN_URL, got: '"https://ehr.example.org/oauth2/authorize"' }),
    ]);
    expect(result.reasons[0]?.message).toContain(TOKEN_URL);
    expect(await codes(await craft({ aud: `${TOKEN_URL}/` }))).toEqual(['wrong_aud']);
    expect(await codes(await craft({ aud: ['https://other', TOKEN_URL] }))).toEqual([]);
  });

  it('kid not in the JWKS: lists the kids it has', async () => {
    const result = await verifyClientAssertion(await craft({}, {}, stranger), options());
    if (result.ok) throw new Error('accepted');
    expect(result.reasons.map((r) => r.code)).toEqual(['unknown_kid']);
    expect(result.reasons[0]?.message).toContain(stranger.kid);
    expect(result.reasons[0]?.message).toContain(rsa.kid);
    expect(result.reasons[0]?.message).toContain(ec.kid);
    expect(await codes(await craft({}, { kid: undefined }))).toEqual(['missing_kid']);
  });

  it('iss ≠ sub, and iss ≠ the client id', async () => {
    expect(await codes(await craft({ sub: 'someone-else' }))).toEqual(['iss_not_sub']);
    expect(await codes(await craft({ iss: 'other', sub: 'other' }))).toEqual(['iss_not_client_id']);
  });

  it('expired, exp too far in the future, missing exp, iat in the future', async () => {
    expect(await codes(await craft({ iat: NOW_S - 400, exp: NOW_S - 100 }))).toEqual(['expired']);
    expect(await codes(await craft({ exp: NOW_S }))).toEqual(['expired']);
    expect(await codes(await craft({ exp: NOW_S + 301 }))).toEqual(['exp_too_far']);
    expect(await codes(await craft({ exp: NOW_S + 300 }))).toEqual([]);
    expect(await codes(await craft({ exp: NOW_S + 3600 }), { maxLifetimeSeconds: 3600 })).toEqual([]);
    expect(await codes(await craft({ exp: undefined }))).toEqual(['missing_exp']);
    expect(await codes(await craft({ iat: NOW_S + 120 }))).toEqual(['issued_in_future']);
    expect(await codes(await craft({ iat: NOW_S + 20, exp: NOW_S - 10 }), { clockToleranceSeconds: 30 })).toEqual([]);
  });

  it('missing jti', async () => {
    expect(await codes(await craft({ jti: undefined }))).toEqual(['missing_jti']);
    expect(await codes(await craft({ jti: '' }))).toEqual(['missing_jti']);
  });

  it('replayed jti within its TTL; the same jti is accepted again after the TTL', async () => {
    const seenJtis = createMemoryJtiStore();
    const { assertion } = await mintClientAssertion({ key: ec, clientId: CLIENT, tokenUrl: TOKEN_URL, now: NOW, lifetimeSeconds: 60, jti: 'once' });
    expect(await codes(assertion, { seenJtis })).toEqual([]);
    const replay = await verifyClientAssertion(assertion, options({ seenJtis, now: new Date(NOW.getTime() + 30_000) }));
    expect(replay.ok ? [] : replay.reasons.map((r) => r.code)).toEqual(['replayed_jti']);
    // After the TTL (the first assertion's exp) the jti is forgotten; the old assertion itself is now expired.
    const later = new Date(NOW.getTime() + 61_000);
    expect(await codes(assertion, { seenJtis, now: later })).toEqual(['expired']);
    const reused = await mintClientAssertion({ key: ec, clientId: CLIENT, tokenUrl: TOKEN_URL, now: later, jti: 'once' });
    expect(await codes(reused.assertion, { seenJtis, now: later })).toEqual([]);
  });

  it('a refused assertion does not use up its jti; jtis are per client', async () => {
    const seenJtis = createMemoryJtiStore();
    expect(await codes(await craft({ aud: 'https://wrong' }), { seenJtis })).toEqual(['wrong_aud']);
    expect(await codes(await craft({}), { seenJtis })).toEqual([]);
    expect(await codes(await craft({ iss: 'client-2', sub: 'client-2' }), { seenJtis, clientId: 'client-2' })).toEqual([]);
  });

  it('wrong alg: RS256 when RS384 is registered, and none', async () => {
    const rs256 = await verifyClientAssertion(await craft({}, {}, rsa, 'RS256'), options());
    if (rs256.ok) throw new Error('accepted');
    expect(rs256.reasons).toEqual([expect.objectContaining({ code: 'wrong_alg', got: '"RS256"' })]);
    const registeredRs256 = await craft({}, {}, rsa, 'RS256');
    expect(await codes(registeredRs256, { algorithms: ['RS256', 'RS384'] })).toEqual(['wrong_alg']);
    const [, p] = (await craft({})).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: ec.kid, typ: 'JWT' })).toString('base64url')}.${p}.`;
    const result = await verifyClientAssertion(none, options());
    if (result.ok) throw new Error('accepted');
    expect(result.reasons.map((r) => r.code)).toEqual(['wrong_alg']);
    expect(result.reasons[0]?.message).toContain('unsigned');
  });

  it('bad signature: signed by another key under a registered kid, or altered claims', async () => {
    expect(await codes(await craft({}, { kid: ec.kid }, stranger))).toEqual(['bad_signature']);
    const [h, , s] = (await craft({})).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: CLIENT, sub: CLIENT, aud: TOKEN_URL, iat: NOW_S, exp: NOW_S + 300, jti: 'x' })).toString('base64url');
    expect(await codes(`${h}.${forged}.${s}`)).toEqual(['bad_signature']);
  });

  it('wrong typ and wrong client_assertion_type', async () => {
    expect(await codes(await craft({}, { typ: 'at+jwt' }))).toEqual(['wrong_typ']);
    expect(await codes(await craft({}, { typ: undefined }))).toEqual(['wrong_typ']);
    expect(await codes(await craft({}), { clientAssertionType: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' })).toEqual([
      'wrong_assertion_type',
    ]);
  });

  it('not a JWT at all, and several faults at once', async () => {
    expect(await codes('opaque-secret')).toEqual(['malformed_assertion']);
    const many = await codes(await craft({ aud: 'x', sub: 'y', jti: undefined, exp: NOW_S - 1 }, {}, stranger));
    expect(many).toEqual(['unknown_kid', 'iss_not_sub', 'wrong_aud', 'expired', 'missing_jti']);
  });
});

describe('createMemoryJtiStore', () => {
  it('refuses rather than forgets when full of live entries', () => {
    const store = createMemoryJtiStore({ maxEntries: 2 });
    expect(store.claim('a', 100, 0)).toBe(true);
    expect(store.claim('b', 10, 0)).toBe(true);
    expect(store.claim('c', 100, 5)).toBe(false);
    expect(store.claim('c', 100, 10)).toBe(true);
    expect(store.claim('a', 200, 50)).toBe(false);
  });
});
